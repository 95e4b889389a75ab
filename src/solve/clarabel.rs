//! Clarabel through good_lp: pure Rust interior point. Gives row duals; its values are
//! rounded (interior points sit a hair inside the bounds) before reporting.

use clarabel::solver::SolverStatus;
use good_lp::solvers::clarabel::clarabel;
use good_lp::{DualValues, Solution, SolutionWithDual, SolverModel};

use super::good_lp_model::{translate, usable_time_limit};
use super::microlp::status_of_error;
use super::{round_dual, Backend, SolveOptions, SolveOutcome, SolveStatus};
use crate::lp::LpModel;

pub struct Clarabel;

impl Backend for Clarabel {
    fn name(&self) -> &'static str {
        "clarabel"
    }

    fn gives_duals(&self) -> bool {
        true
    }

    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome {
        // Interior-point infeasibility detection misfires on badly scaled data (costs of
        // 1e4 against objectives of 1e8): solve a copy with costs and rows scaled to a
        // largest magnitude of 1, then scale values and duals back.
        let start = std::time::Instant::now();
        let scaled = Scaled::of(lp);
        let lp = &scaled.lp;
        let t = translate(lp, clarabel);
        let mut model = t.model;
        model
            .settings()
            .tol_gap_abs(1e-10)
            .tol_gap_rel(1e-10)
            .tol_feas(1e-10)
            // Static regularisation perturbs the KKT system enough to leave the
            // objective ~2e-6 above the optimum on leveling models; without it Clarabel
            // matches simplex to 1e-9.
            .static_regularization_enable(false)
            .max_iter(500)
            .verbose(options.log);
        // Scaling and translating count against the limit too.
        let left = options
            .time_limit_s
            .map(|limit| limit - start.elapsed().as_secs_f64());
        if left.is_some_and(|l| l <= 0.0) {
            return SolveOutcome::primal(SolveStatus::TimeLimit, None);
        }
        if let Some(limit) = usable_time_limit(left) {
            model.settings().time_limit(limit);
        }
        match model.solve() {
            Ok(mut solution) => {
                let status = match solution.inner().status {
                    SolverStatus::Solved => SolveStatus::Optimal,
                    SolverStatus::AlmostSolved => SolveStatus::Optimal,
                    SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => {
                        return SolveOutcome::primal(SolveStatus::Unbounded, None);
                    }
                    SolverStatus::MaxTime => {
                        return SolveOutcome::primal(SolveStatus::TimeLimit, None)
                    }
                    other => SolveStatus::Error(format!("clarabel stopped: {other:?}")),
                };
                let values: Vec<f64> = t
                    .columns
                    .iter()
                    .map(|&v| clean(solution.value(v)))
                    .collect();
                let duals = solution.compute_dual();
                let row_duals = t
                    .rows
                    .iter()
                    .zip(&scaled.row_scale)
                    .map(|(r, &rs)| round_dual(duals.dual(r.clone()) * scaled.cost_scale / rs))
                    .collect();
                SolveOutcome {
                    status,
                    values: Some(values),
                    row_duals: Some(row_duals),
                    reduced_costs: None,
                    seconds: 0.0,
                    mip: None,
                    basis: None,
                }
            }
            Err(e) => SolveOutcome::primal(status_of_error(e), None),
        }
    }
}

/// A copy of an LP with costs divided by `cost_scale` and each row by `row_scale[i]`.
struct Scaled {
    lp: LpModel,
    cost_scale: f64,
    row_scale: Vec<f64>,
}

impl Scaled {
    fn of(original: &LpModel) -> Scaled {
        let cost_scale = original
            .columns
            .iter()
            .map(|c| c.cost.abs())
            .fold(0.0, f64::max)
            .max(1e-12);
        let mut lp = LpModel::new();
        for c in &original.columns {
            let j = lp.add_column(c.key, c.cost / cost_scale, c.upper);
            lp.columns[j].lower = c.lower;
        }
        let mut row_scale = Vec::with_capacity(original.rows.len());
        for (i, row) in original.rows.iter().enumerate() {
            let entries = original.row_entries(i);
            let scale = entries.iter().map(|(_, a)| a.abs()).fold(0.0, f64::max);
            let scale = if scale > 0.0 { scale } else { 1.0 };
            lp.add_row(
                row.key,
                entries.iter().map(|&(j, a)| (j, a / scale)),
                row.sense,
                row.rhs / scale,
            );
            row_scale.push(scale);
        }
        Scaled {
            lp,
            cost_scale,
            row_scale,
        }
    }
}

/// Interior-point values a hair away from zero are zero.
fn clean(x: f64) -> f64 {
    if x.abs() < 1e-7 {
        0.0
    } else {
        x
    }
}
