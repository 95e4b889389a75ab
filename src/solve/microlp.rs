//! microlp through good_lp: pure Rust simplex, the embedded default. Gives no duals.

use good_lp::solvers::microlp::microlp;
use good_lp::{
    constraint, variable, Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus,
    SolverModel, Variable, WithTimeLimit,
};

use super::{Backend, SolveOptions, SolveOutcome, SolveStatus};
use crate::build::{LpModel, Sense};

pub struct MicroLp;

impl Backend for MicroLp {
    fn name(&self) -> &'static str {
        "microlp"
    }

    fn gives_duals(&self) -> bool {
        false
    }

    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome {
        let mut vars = ProblemVariables::new();
        let columns: Vec<Variable> = lp
            .columns
            .iter()
            .map(|c| {
                let mut def = variable().min(c.lower);
                if c.upper.is_finite() {
                    def = def.max(c.upper);
                }
                vars.add(def)
            })
            .collect();
        let objective: Expression = lp
            .columns
            .iter()
            .zip(&columns)
            .filter(|(c, _)| c.cost != 0.0)
            .map(|(c, &v)| c.cost * v)
            .sum();
        let mut model = vars.minimise(objective).using(microlp);
        // Duration conversion panics on negative or huge values; a limit beyond ~30
        // years is no limit.
        if let Some(limit) = options
            .time_limit_s
            .filter(|l| l.is_finite() && *l > 0.0 && *l < 1e9)
        {
            model = model.with_time_limit(limit);
        }
        for (i, row) in lp.rows.iter().enumerate() {
            let entries = lp.row_entries(i);
            let mut expr = Expression::with_capacity(entries.len());
            for &(j, a) in entries {
                expr.add_mul(a, columns[j]);
            }
            let c = match row.sense {
                Sense::Le => constraint::leq(expr, row.rhs),
                Sense::Ge => constraint::geq(expr, row.rhs),
                Sense::Eq => constraint::eq(expr, row.rhs),
            };
            model.add_constraint(c);
        }
        let (status, values) = match model.solve() {
            Ok(solution) => {
                let status = match solution.status() {
                    SolutionStatus::Optimal => SolveStatus::Optimal,
                    SolutionStatus::TimeLimit | SolutionStatus::GapLimit => SolveStatus::TimeLimit,
                };
                let values = columns.iter().map(|&v| solution.value(v)).collect();
                (status, Some(values))
            }
            Err(ResolutionError::Infeasible) => (SolveStatus::Infeasible, None),
            Err(ResolutionError::Unbounded) => (SolveStatus::Unbounded, None),
            Err(ResolutionError::Other(msg)) if msg.contains("Time limit") => {
                (SolveStatus::TimeLimit, None)
            }
            Err(e) => (SolveStatus::Error(e.to_string()), None),
        };
        SolveOutcome {
            status,
            values,
            row_duals: None,
            seconds: 0.0,
        }
    }
}
