//! Scenario generator for trials and benchmarks.
