//! Every document allyplan writes, rendered from plain data alone: the reports of a plan
//! ([`plan`]), the comparison of two plans ([`compare`]), the summaries of batches
//! ([`batch`]) and sweeps ([`sweep`]), and why a model is infeasible ([`explain`]).
//! Charts come from one kit ([`chart`]), HTML pages from one shell ([`page`]), CSV files
//! from one writer ([`csv`]); numbers and escaping from [`crate::fmt`]. Nothing here
//! solves, compares or runs anything.

pub mod batch;
pub mod chart;
pub mod compare;
pub mod csv;
pub mod explain;
pub mod page;
pub mod plan;
pub mod sweep;
pub mod table;

pub use plan::{plan_json, read_plan, render_formats, write_all, write_formats, Format};
