//! Plan-to-plan comparison.
