//! Batches, sweeps and shards: many models solved in parallel, each isolated.
