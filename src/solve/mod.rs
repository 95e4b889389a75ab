//! Stage 4: hand the LP to a solver backend and bring back a status and a point.

mod clarabel;
mod good_lp_model;
#[cfg(feature = "highs")]
mod highs;
mod microlp;
mod start;

pub use start::{Basis, BasisStatus, Fitted, Start};

pub use crate::network::{BACKENDS, OPTIONAL_BACKENDS};

/// Largest model (in columns) `auto` gives to HiGHS's dual simplex; above it, interior
/// point with crossover. On generated scenarios (scripts/bench_methods.py, BENCHMARKS.md)
/// the simplex takes 0.74× the IPM's time at 5.4k columns and 1.35× at 12.6k, 3.1× at
/// 25k: they cross near 8k.
pub const AUTO_SIMPLEX_MAX_COLUMNS: usize = 8_000;

/// Largest model (in columns) `auto` gives to microlp in a build without HiGHS. On generated scenarios (see
/// BENCHMARKS.md) it takes about 1 s at 5.5k columns, 7 s at 9k and 13 s at 12k (and
/// loses accuracy beyond: 4e-4 violations at 25k), so 5k keeps it to about a second.
pub const AUTO_MICROLP_MAX_COLUMNS: usize = 5_000;

use std::time::Instant;

use crate::lp::{LpModel, Sense};
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
    /// Relative MIP gap at which an integer model counts as solved.
    pub mip_gap: Option<f64>,
    /// A point to start from (a previous incumbent), where the backend takes one.
    pub start: Option<Vec<f64>>,
    /// A basis to start the simplex method from (a previous solve's), where the backend
    /// takes one: HiGHS then solves an LP by the simplex method from it.
    pub basis: Option<Basis>,
    /// Threads the backend may use (`None`: its own choice).
    pub threads: Option<usize>,
}

/// How a MIP search ended.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MipInfo {
    /// Relative gap between the incumbent and the best bound.
    pub gap: f64,
    /// The best bound on the optimum.
    pub bound: f64,
    /// Branch-and-bound nodes explored.
    pub nodes: u64,
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
    /// For an integer model: the gap, bound and nodes of the search.
    pub mip: Option<MipInfo>,
    /// The final simplex basis of an LP, when the backend gives one.
    pub basis: Option<Basis>,
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
            mip: None,
            basis: None,
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
    /// Whether it solves models with integer columns (a MILP).
    fn solves_integers(&self) -> bool {
        false
    }
    /// Whether it starts from `SolveOptions::basis` and `start` (a warm start).
    fn takes_starts(&self) -> bool {
        false
    }
    /// Whether the backend stops by itself at `time_limit_s`, set-up included. A backend
    /// that does not (Clarabel factorises before its clock starts) is watched: see
    /// [`solve`].
    fn stops_in_time(&self) -> bool {
        false
    }
    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome;
}

/// The backend for a `solver.backend` name. `auto` takes HiGHS when built in: dual
/// simplex up to [`AUTO_SIMPLEX_MAX_COLUMNS`], interior point with crossover above;
/// without HiGHS it keeps microlp to small models and takes Clarabel above. Unknown
/// names (rejected by validation) fall back to `auto`.
pub fn backend_for(name: &str, lp: &LpModel) -> Box<dyn Backend> {
    match name {
        "clarabel" => Box::new(clarabel::Clarabel),
        "microlp" => Box::new(microlp::MicroLp),
        #[cfg(feature = "highs")]
        "highs" => Box::new(highs::Highs { simplex: false }),
        #[cfg(feature = "highs")]
        "highs-simplex" => Box::new(highs::Highs { simplex: true }),
        _ => auto(lp),
    }
}

#[cfg(feature = "highs")]
fn auto(lp: &LpModel) -> Box<dyn Backend> {
    Box::new(highs::Highs {
        simplex: lp.columns.len() <= AUTO_SIMPLEX_MAX_COLUMNS,
    })
}

#[cfg(not(feature = "highs"))]
fn auto(lp: &LpModel) -> Box<dyn Backend> {
    if lp.columns.len() <= AUTO_MICROLP_MAX_COLUMNS {
        Box::new(microlp::MicroLp)
    } else {
        Box::new(clarabel::Clarabel)
    }
}

/// The backends to try, in order, when `first`'s answer does not hold up: the other
/// HiGHS method, then the other pure-Rust backends (microlp only on models it solves in
/// about a second).
pub fn fallbacks(first: &str, lp: &LpModel) -> Vec<&'static str> {
    let order: &[&'static str] = if cfg!(feature = "highs") {
        &["highs-simplex", "highs", "clarabel", "microlp"]
    } else {
        &["clarabel", "microlp"]
    };
    order
        .iter()
        .copied()
        .filter(|&b| b != first)
        .filter(|&b| b != "microlp" || lp.columns.len() <= AUTO_MICROLP_MAX_COLUMNS)
        .collect()
}

/// Whether the objective is bounded below by the signs alone: every column with a
/// negative cost has a finite upper bound and every column with a positive cost a finite
/// lower bound. Such a model can never be unbounded.
pub fn bounded_below(lp: &LpModel) -> bool {
    lp.columns
        .iter()
        .all(|c| (c.cost >= 0.0 || c.upper.is_finite()) && (c.cost <= 0.0 || c.lower.is_finite()))
}

/// Whether the point with every column at its lower bound satisfies every row (within
/// 1e-9, relative): such a model can never be infeasible.
pub fn feasible_at_lower_bounds(lp: &LpModel) -> bool {
    if lp.columns.iter().any(|c| !c.lower.is_finite()) {
        return false;
    }
    let x: Vec<f64> = lp.columns.iter().map(|c| c.lower).collect();
    lp.rows.iter().enumerate().all(|(i, row)| {
        let activity: f64 = lp.row_entries(i).iter().map(|&(j, a)| a * x[j]).sum();
        let tolerance = 1e-9 * row.rhs.abs().max(1.0);
        match row.sense {
            Sense::Le => activity <= row.rhs + tolerance,
            Sense::Ge => activity >= row.rhs - tolerance,
            Sense::Eq => (activity - row.rhs).abs() <= tolerance,
        }
    })
}

/// Solves with the named backend and times it. With a time limit, a backend that does not
/// stop in time by itself solves on a thread of its own, and the answer is a time-out
/// once the limit (plus 5% and 0.2 s) has passed: the command goes on, and the thread's
/// late answer is dropped.
pub fn solve(lp: &LpModel, backend: &dyn Backend, options: &SolveOptions) -> SolveOutcome {
    let start = Instant::now();
    let mut outcome = match options.time_limit_s {
        Some(limit) if !backend.stops_in_time() && limit.is_finite() && limit < 1e9 => {
            watched(lp, backend.name(), options, limit)
        }
        _ => backend.solve(lp, options),
    };
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

fn watched(lp: &LpModel, name: &'static str, options: &SolveOptions, limit: f64) -> SolveOutcome {
    let deadline = std::time::Duration::from_secs_f64(limit.max(0.0) * 1.05 + 0.2);
    let (lp, options) = (lp.clone(), options.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("solve-{name}"))
        .spawn(move || {
            let backend = backend_for(name, &lp);
            let _ = tx.send(backend.solve(&lp, &options));
        });
    if spawned.is_err() {
        return SolveOutcome::primal(
            SolveStatus::Error(format!("could not start a thread for {name}")),
            None,
        );
    }
    match rx.recv_timeout(deadline) {
        Ok(outcome) => outcome,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            SolveOutcome::primal(SolveStatus::TimeLimit, None)
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => SolveOutcome::primal(
            SolveStatus::Error(format!("{name} stopped without an answer")),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{RowKey, VarKey};

    fn column(t: usize) -> VarKey {
        VarKey::Overtime { site: 0, t }
    }

    fn row(t: usize) -> RowKey {
        RowKey::Capacity { site: 0, t }
    }

    #[test]
    fn non_negative_costs_on_non_negative_columns_rule_out_unbounded() {
        let mut lp = LpModel::new();
        let x = lp.add_column(column(0), 3.0, f64::INFINITY);
        let y = lp.add_column(column(1), 0.0, f64::INFINITY);
        lp.add_row(row(0), [(x, 1.0), (y, -1.0)], Sense::Ge, 2.0);
        assert!(bounded_below(&lp));
        // A negative cost on a column with no upper bound could run away.
        lp.columns[y].cost = -1.0;
        assert!(!bounded_below(&lp));
        // With an upper bound it cannot.
        lp.columns[y].upper = 10.0;
        assert!(bounded_below(&lp));
    }

    #[test]
    fn a_model_the_zero_plan_satisfies_cannot_be_infeasible() {
        let mut lp = LpModel::new();
        let x = lp.add_column(column(0), 1.0, f64::INFINITY);
        lp.add_row(row(0), [(x, 1.0)], Sense::Le, 1e12);
        assert!(feasible_at_lower_bounds(&lp));
        lp.add_row(row(1), [(x, 1.0)], Sense::Eq, 0.0);
        assert!(feasible_at_lower_bounds(&lp));
        // Demand to meet: the zero plan breaks it, so a claim of infeasible stands.
        lp.add_row(row(2), [(x, 1.0)], Sense::Ge, 5.0);
        assert!(!feasible_at_lower_bounds(&lp));
    }

    #[test]
    fn fallbacks_never_retry_the_same_backend() {
        let lp = LpModel::new();
        for first in BACKENDS {
            let next = fallbacks(first, &lp);
            assert!(!next.contains(first), "{first}: {next:?}");
            assert!(!next.is_empty(), "{first}");
        }
    }
}
