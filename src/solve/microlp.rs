//! microlp through good_lp: pure Rust simplex, the embedded default. Gives no duals.

use good_lp::solvers::microlp::microlp;
use good_lp::{ResolutionError, Solution, SolutionStatus, SolverModel, WithTimeLimit};

use super::good_lp_model::{translate, usable_time_limit};
use super::{Backend, SolveOptions, SolveOutcome, SolveStatus};
use crate::lp::LpModel;

pub struct MicroLp;

impl Backend for MicroLp {
    fn name(&self) -> &'static str {
        "microlp"
    }

    fn gives_duals(&self) -> bool {
        false
    }

    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome {
        let start = std::time::Instant::now();
        let t = translate(lp, microlp);
        let mut model = t.model;
        // Translating counts against the limit too.
        let left = options
            .time_limit_s
            .map(|limit| limit - start.elapsed().as_secs_f64());
        if left.is_some_and(|l| l <= 0.0) {
            return SolveOutcome::primal(SolveStatus::TimeLimit, None);
        }
        if let Some(limit) = usable_time_limit(left) {
            model = model.with_time_limit(limit);
        }
        let (status, values) = match model.solve() {
            Ok(solution) => {
                let status = match solution.status() {
                    SolutionStatus::Optimal => SolveStatus::Optimal,
                    SolutionStatus::TimeLimit | SolutionStatus::GapLimit => SolveStatus::TimeLimit,
                };
                let values = t.columns.iter().map(|&v| solution.value(v)).collect();
                (status, Some(values))
            }
            Err(e) => (status_of_error(e), None),
        };
        SolveOutcome::primal(status, values)
    }
}

/// good_lp's error as a status; time limits are told apart from other failures.
pub(super) fn status_of_error(e: ResolutionError) -> SolveStatus {
    match e {
        ResolutionError::Infeasible => SolveStatus::Infeasible,
        ResolutionError::Unbounded => SolveStatus::Unbounded,
        ResolutionError::Other(msg) if msg.to_lowercase().contains("time limit") => {
            SolveStatus::TimeLimit
        }
        other => SolveStatus::Error(other.to_string()),
    }
}
