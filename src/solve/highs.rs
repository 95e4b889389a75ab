//! HiGHS through good_lp (cargo feature `highs`): interior point with crossover by
//! default (much faster than simplex on leveling models), simplex on request. Gives row
//! duals and reduced costs.

use good_lp::solvers::highs::{highs, HighsSolverType};
use good_lp::{DualValues, Solution, SolutionStatus, SolutionWithDual, SolverModel, WithTimeLimit};

use super::good_lp_model::{translate, usable_time_limit};
use super::microlp::status_of_error;
use super::{round_dual, Backend, SolveOptions, SolveOutcome, SolveStatus};
use crate::build::LpModel;

pub struct Highs {
    pub simplex: bool,
}

impl Backend for Highs {
    fn name(&self) -> &'static str {
        if self.simplex {
            "highs-simplex"
        } else {
            "highs"
        }
    }

    fn gives_duals(&self) -> bool {
        true
    }

    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome {
        let t = translate(lp, highs);
        let method = if self.simplex {
            HighsSolverType::Simplex
        } else {
            HighsSolverType::Ipm
        };
        let mut model = t.model.set_solver(method).set_option("run_crossover", "on");
        model.set_verbose(options.log);
        if let Some(limit) = usable_time_limit(options.time_limit_s) {
            model = model.with_time_limit(limit);
        }
        let start = std::time::Instant::now();
        match model.solve() {
            Ok(mut solution) => {
                let status = match solution.status() {
                    SolutionStatus::Optimal => SolveStatus::Optimal,
                    SolutionStatus::TimeLimit | SolutionStatus::GapLimit => SolveStatus::TimeLimit,
                };
                let values: Vec<f64> = t.columns.iter().map(|&v| solution.value(v)).collect();
                let row_duals = {
                    let duals = solution.compute_dual();
                    t.rows
                        .iter()
                        .map(|r| round_dual(duals.dual(r.clone())))
                        .collect()
                };
                let reduced_costs = solution
                    .into_inner()
                    .dual_columns()
                    .iter()
                    .map(|&d| round_dual(d))
                    .collect();
                SolveOutcome {
                    status,
                    values: Some(values),
                    row_duals: Some(row_duals),
                    reduced_costs: Some(reduced_costs),
                    seconds: 0.0,
                }
            }
            // HiGHS stopped by its clock before any feasible point reports "no solution".
            Err(_) if timed_out(options.time_limit_s, start.elapsed().as_secs_f64()) => {
                SolveOutcome::primal(SolveStatus::TimeLimit, None)
            }
            Err(e) => SolveOutcome::primal(status_of_error(e), None),
        }
    }
}

fn timed_out(limit: Option<f64>, elapsed: f64) -> bool {
    usable_time_limit(limit).is_some_and(|l| elapsed >= 0.95 * l)
}
