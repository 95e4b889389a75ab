//! allyplan: levels production across monthly cycles under ally-sourcing constraints.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] (YAML → raw, located values) → [`validate`] (→ [`scenario::Scenario`]) →
//! [`lp`] (→ LP, one module per constraint family) → [`solve`] (backends) →
//! [`verify`] (independent re-check) → [`plan`] (the report contract) → [`report`].
//! Policy kinds live in [`policy`], one file each, below every stage that uses them;
//! they read the [`network`] and a plan's [`allocation`].

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Index loops over periods and tensors read closer to the LP's notation than iterators.
#![allow(clippy::needless_range_loop)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
pub mod allocation;
pub mod assemble;
pub mod compare;
pub mod diag;
pub mod error;
pub mod explain;
pub mod export;
pub mod fmt;
pub mod generate;
pub mod load;
pub mod lp;
pub mod network;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod report;
pub mod runs;
pub mod scenario;
pub mod shadow;
pub mod solve;
pub mod validate;
pub mod verify;

pub use error::{Error, ExitCode};
pub use load::Overrides;
pub use pipeline::{check, check_with, solve_scenario, SolveRequest, Solved};
