//! Hands our [`LpModel`] to any good_lp solver in one pass over its rows.

use good_lp::constraint::ConstraintReference;
use good_lp::variable::UnsolvedProblem;
use good_lp::{constraint, variable, Expression, ProblemVariables, SolverModel, Variable};

use crate::lp::{LpModel, Sense};

/// A good_lp model with the handles needed to read the answer back.
pub struct Translated<M> {
    pub model: M,
    pub columns: Vec<Variable>,
    pub rows: Vec<ConstraintReference>,
}

pub fn translate<M: SolverModel>(
    lp: &LpModel,
    solver: impl FnOnce(UnsolvedProblem) -> M,
) -> Translated<M> {
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
    let mut model = solver(vars.minimise(objective));
    let mut rows = Vec::with_capacity(lp.rows.len());
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
        rows.push(model.add_constraint(c));
    }
    Translated {
        model,
        columns,
        rows,
    }
}

/// A time limit good_lp can pass on safely (Duration conversion panics on negative or
/// huge values; a limit beyond ~30 years is no limit).
pub fn usable_time_limit(limit: Option<f64>) -> Option<f64> {
    limit.filter(|l| l.is_finite() && *l > 0.0 && *l < 1e9)
}
