//! Infeasibility explanation: elastic relaxation and deletion filtering.
