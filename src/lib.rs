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

// The stages and their helpers are private; what the command line, the tests, the
// benchmarks and the fuzz targets use is named below, once.
mod allocation;
mod assemble;
mod compare;
mod decision_values;
mod decisions;
mod diag;
mod error;
mod explain;
mod export;
pub mod fmt;
mod generate;
mod init;
mod load;
mod lp;
mod network;
mod output;
mod pipeline;
pub mod plan;
mod policy;
pub mod report;
mod runs;
mod scenario;
mod schema;
mod shadow;
mod solve;
mod validate;
mod verify;
mod window;

// The whole job, and its parts.
pub use error::{Error, ExitCode};
pub use pipeline::{
    check, check_with, default_out_dir, read_start, safe_folder_name, solve_scenario, solve_to_dir,
    start_file, SolveRequest, Solved, Written, FAULT_PERTURB, WARM_START_FILE,
};

// Input: reading and checking.
pub use diag::{Diagnostic, Diagnostics, Severity, MAX_DIAGNOSTICS};
pub use load::limits;
pub use load::Overrides;
pub use network::{Lane, Network};
pub use policy::NAMES as POLICY_KINDS;
pub use scenario::Scenario;

// The schema of input files, for editors; the loader's top-level keys it is checked against.
pub use load::data::DATA_KEYS;
pub use load::model::MODEL_KEYS;
pub use schema::{policy_kinds, schema, schema_text, SchemaFor};

// The LP, its solvers, and the checks of an answer.
pub use allocation::Allocation;
pub use assemble::plan_from_solution;
pub use lp::{build, BuiltModel, LpModel, RowKey, Sense, VarKey};
pub use solve::{
    backend_for, solve, Backend, Basis, BasisStatus, SolveOptions, SolveOutcome, SolveStatus,
    Start, AUTO_MICROLP_MAX_COLUMNS, AUTO_SIMPLEX_MAX_COLUMNS, BACKENDS, OPTIONAL_BACKENDS,
};
pub use verify::{duality_check, verify, DualityCheck};

// Around a plan: why it is infeasible, the model as LP/MPS, comparisons, generated models.
pub use compare::compare;
pub use explain::{
    explain, explain_with, ExplainOptions, CAPACITY, CONTRACTS, END_STOCK, LANES, RESOURCES,
    STORAGE, THROUGHPUT,
};
pub use export::{export, to_lp, to_mps, Exported, Format as ExportFormat};
pub use generate::{generate, Generated, Spec, DEMAND_FILE, MODEL_FILE, NETWORK_FILE};
pub use init::{init, STARTER};

// Many solves: batches, sweeps, shards.
pub use runs::{batch, entries, shard, sweep};

// Files: written whole or not at all.
pub use output::{
    claim_dir, read_bounded, replace_dir, update_dir, write_atomic, write_dir, OutputMode,
    FAULT_AFTER_FILES, MANIFEST, MAX_PLAN_BYTES,
};
