//! Many solves at once. Imports run one way: [`entries`] (what to solve, and how each is
//! named) → [`batch`] (solving them in parallel into a summary) → [`sweep`] (a grid of
//! variants and its trade-off). [`shard`] (merging the summaries of shards) needs only the
//! summary data, `plan::summary::Summary`.

pub mod batch;
pub mod entries;
pub mod shard;
pub mod sweep;
