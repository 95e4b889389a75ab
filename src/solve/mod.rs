//! Stage 4: hand the LP to a solver backend and bring back a status and a point.

mod clarabel;
mod good_lp_model;
#[cfg(feature = "highs")]
mod highs;
mod microlp;

pub use crate::network::{BACKENDS, OPTIONAL_BACKENDS};

/// Largest model (in columns) `auto` gives to microlp. On generated scenarios (see
/// BENCHMARKS.md) it takes about 1 s at 5.5k columns, 7 s at 9k and 13 s at 12k (and
/// loses accuracy beyond: 4e-4 violations at 25k), so 5k keeps it to about a second.
pub const AUTO_MICROLP_MAX_COLUMNS: usize = 5_000;

use std::time::Instant;

use crate::lp::LpModel;
use crate::plan::PlanStatus;

/// How a solve ended.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "detail")]
pub enum SolveStatus {
    /// Proven optimal.
    Optimal,
    /// No point satisfies every row.
    Infeasible,
    /// The cost can decrease without bound.
    Unbounded,
    /// The time limit ran out; `values` holds the best point found, if any.
    TimeLimit,
    /// The backend failed for another reason.
    Error(String),
}

impl SolveStatus {
    /// The status a plan gets from this outcome.
    pub fn plan_status(&self) -> PlanStatus {
        match self {
            SolveStatus::Optimal => PlanStatus::Optimal,
            SolveStatus::Infeasible => PlanStatus::Infeasible,
            SolveStatus::Unbounded => PlanStatus::Unbounded,
            SolveStatus::TimeLimit => PlanStatus::TimeLimit,
            SolveStatus::Error(_) => PlanStatus::Error,
        }
    }

    /// The word used in `plan.json`'s `status`.
    pub fn word(&self) -> &'static str {
        self.plan_status().word()
    }
}

#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    pub time_limit_s: Option<f64>,
    /// Let the backend print its own log on stderr.
    pub log: bool,
}

/// What a backend returns.
#[derive(Debug, Clone)]
pub struct SolveOutcome {
    pub status: SolveStatus,
    /// Column values, in column order, when the backend has a point.
    pub values: Option<Vec<f64>>,
    /// Row duals (∂ objective / ∂ rhs), when the backend gives them.
    pub row_duals: Option<Vec<f64>>,
    /// Reduced costs of the columns, when the backend gives them.
    pub reduced_costs: Option<Vec<f64>>,
    pub seconds: f64,
}

impl SolveOutcome {
    /// An outcome with (at most) a primal point.
    pub fn primal(status: SolveStatus, values: Option<Vec<f64>>) -> Self {
        SolveOutcome {
            status,
            values,
            row_duals: None,
            reduced_costs: None,
            seconds: 0.0,
        }
    }
}

/// Rounds a dual to 9 significant digits and flushes noise below 1e-9 to 0, so reports
/// show `41.5`, not `41.499999999873`.
pub fn round_dual(x: f64) -> f64 {
    if !x.is_finite() || x.abs() < 1e-9 {
        return 0.0;
    }
    let digits = 9 - 1 - x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (x * scale).round() / scale
}

/// A solver backend.
pub trait Backend {
    /// Name as written in `solver.backend`.
    fn name(&self) -> &'static str;
    /// Whether `row_duals` is filled in on success.
    fn gives_duals(&self) -> bool;
    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome;
}

/// The backend for a `solver.backend` name. `auto` keeps microlp to small models and
/// otherwise takes HiGHS when built in, else Clarabel. Unknown names (rejected by
/// validation) fall back to microlp.
pub fn backend_for(name: &str, lp: &LpModel) -> Box<dyn Backend> {
    match name {
        "clarabel" => Box::new(clarabel::Clarabel),
        #[cfg(feature = "highs")]
        "highs" => Box::new(highs::Highs { simplex: false }),
        #[cfg(feature = "highs")]
        "highs-simplex" => Box::new(highs::Highs { simplex: true }),
        "auto" if lp.columns.len() > AUTO_MICROLP_MAX_COLUMNS => large_model_backend(),
        _ => Box::new(microlp::MicroLp),
    }
}

#[cfg(feature = "highs")]
fn large_model_backend() -> Box<dyn Backend> {
    Box::new(highs::Highs { simplex: false })
}

#[cfg(not(feature = "highs"))]
fn large_model_backend() -> Box<dyn Backend> {
    Box::new(clarabel::Clarabel)
}

/// Solves with the named backend and times it.
pub fn solve(lp: &LpModel, backend: &dyn Backend, options: &SolveOptions) -> SolveOutcome {
    let start = Instant::now();
    let mut outcome = backend.solve(lp, options);
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}
