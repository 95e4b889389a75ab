//! Stage 4: hand the LP to a solver backend and bring back a status and a point.

mod microlp;

/// Solver backends this build knows (`auto` picks one by model size).
pub const BACKENDS: &[&str] = &["auto", "microlp"];

use std::time::Instant;

use crate::build::LpModel;

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
    /// The word used in `plan.json`'s `status`.
    pub fn word(&self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::Unbounded => "unbounded",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::Error(_) => "error",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    pub time_limit_s: Option<f64>,
}

/// What a backend returns.
#[derive(Debug, Clone)]
pub struct SolveOutcome {
    pub status: SolveStatus,
    /// Column values, in column order, when the backend has a point.
    pub values: Option<Vec<f64>>,
    /// Row duals (∂ objective / ∂ rhs), when the backend gives them.
    pub row_duals: Option<Vec<f64>>,
    pub seconds: f64,
}

/// A solver backend.
pub trait Backend {
    /// Name as written in `solver.backend`.
    fn name(&self) -> &'static str;
    /// Whether `row_duals` is filled in on success.
    fn gives_duals(&self) -> bool;
    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome;
}

/// The backend for a `solver.backend` name (`auto` picks by size).
pub fn backend_for(name: &str, lp: &LpModel) -> Box<dyn Backend> {
    match name {
        // microlp is the only backend built in so far; `auto` will choose by size.
        "auto" | "microlp" => {
            let _ = lp;
            Box::new(microlp::MicroLp)
        }
        _ => Box::new(microlp::MicroLp),
    }
}

/// Solves with the named backend and times it.
pub fn solve(lp: &LpModel, backend: &dyn Backend, options: &SolveOptions) -> SolveOutcome {
    let start = Instant::now();
    let mut outcome = backend.solve(lp, options);
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}
