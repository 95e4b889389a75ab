//! Many solves at once: batches of models, parameter sweeps, and sharding a batch over
//! several machines.

pub mod batch;
pub mod shard;
pub mod sweep;
