//! What each decision over the horizon is worth, and the LP behind a MIP's shadow
//! prices.
//!
//! A decision is an expansion (build it or not) or a site that may open and close
//! (open or close it at all). The optimum is the best plan on its own side of each
//! decision; one more solve gives the best plan on the other side: with the decision
//! forbidden when the plan takes it, forced when it does not. The difference is what
//! the decision is worth over the horizon.

use crate::fmt::money_short;
use crate::lp::{BuiltModel, RowKey, Sense};
use crate::plan::{DecisionValue, Plan};
use crate::scenario::Scenario;
use crate::solve::{backend_for, solve, SolveOptions, SolveStatus};

/// Most decisions valued in one run (each takes a MIP solve).
pub const MAX_VALUED_DECISIONS: usize = 20;

/// The model with every integer column fixed at its (rounded) value: an LP.
pub fn fixed_lp(model: &BuiltModel, values: &[f64]) -> BuiltModel {
    let mut fixed = model.clone();
    for (c, &v) in fixed.lp.columns.iter_mut().zip(values) {
        if c.integer {
            let whole = v.round();
            c.lower = whole;
            c.upper = whole;
            c.integer = false;
        }
    }
    fixed
}

/// What the extra solves may use.
pub struct Budget<'a> {
    pub backend: &'a str,
    /// Time left of the job's limit, if it has one.
    pub time_left_s: Option<f64>,
    /// How long the main solve took.
    pub solve_seconds: f64,
    pub mip_gap: f64,
}

/// One decision: how to forbid it and how to force it on a copy of the model.
struct Decision {
    /// `build line-2 at hagerstown`.
    label: String,
    /// Verb phrase for sentences: `building line-2 at hagerstown`.
    doing: String,
    taken: bool,
    period: Option<String>,
    /// Columns whose upper bound 0 forbids it (build), or whose lower bound 1 does
    /// (keeping a site open).
    forbid: Vec<(usize, f64, f64)>,
    /// A row that forces it: Σ columns (sense) rhs.
    force: (Vec<(usize, f64)>, Sense, f64),
}

fn decisions(sc: &Scenario, model: &BuiltModel, values: &[f64]) -> Vec<Decision> {
    let cols = &model.columns.decisions;
    let n_t = sc.n_periods();
    let mut out = Vec::new();
    for (e, exp) in sc.decisions.expansions.iter().enumerate() {
        let builds: Vec<(usize, usize)> = (0..n_t)
            .filter_map(|t| cols.build[[e, t]].map(|c| (t, c)))
            .collect();
        if builds.is_empty() {
            continue;
        }
        let first = builds.iter().find(|&&(_, c)| values[c] > 0.5);
        let site = &sc.sites[exp.site].id;
        out.push(Decision {
            label: format!("build {} at {site}", exp.name),
            doing: format!("building {} at {site}", exp.name),
            taken: first.is_some(),
            period: first.map(|&(t, _)| sc.periods[t].clone()),
            forbid: builds.iter().map(|&(_, c)| (c, 0.0, 0.0)).collect(),
            force: (
                builds.iter().map(|&(_, c)| (c, 1.0)).collect(),
                Sense::Ge,
                1.0,
            ),
        });
    }
    for (s, rule) in sc.decisions.open.iter().enumerate() {
        let Some(rule) = rule else { continue };
        let opens: Vec<(usize, usize)> = (0..n_t)
            .filter_map(|t| cols.open[[s, t]].map(|c| (t, c)))
            .collect();
        let site = &sc.sites[s].id;
        let n = opens.len() as f64;
        if rule.initially {
            // The decision is to close it at some point.
            let closed = opens.iter().find(|&&(_, c)| values[c] < 0.5);
            out.push(Decision {
                label: format!("close {site}"),
                doing: format!("closing {site}"),
                taken: closed.is_some(),
                period: closed.map(|&(t, _)| sc.periods[t].clone()),
                forbid: opens.iter().map(|&(_, c)| (c, 1.0, 1.0)).collect(),
                force: (
                    opens.iter().map(|&(_, c)| (c, 1.0)).collect(),
                    Sense::Le,
                    n - 1.0,
                ),
            });
        } else {
            let opened = opens.iter().find(|&&(_, c)| values[c] > 0.5);
            out.push(Decision {
                label: format!("open {site}"),
                doing: format!("opening {site}"),
                taken: opened.is_some(),
                period: opened.map(|&(t, _)| sc.periods[t].clone()),
                forbid: opens.iter().map(|&(_, c)| (c, 0.0, 0.0)).collect(),
                force: (
                    opens.iter().map(|&(_, c)| (c, 1.0)).collect(),
                    Sense::Ge,
                    1.0,
                ),
            });
        }
    }
    out
}

/// Values every decision of an optimal integer plan and writes them into
/// `plan.decisions.values`; a note says what was left out and why.
pub fn fill(sc: &Scenario, model: &BuiltModel, values: &[f64], budget: &Budget, plan: &mut Plan) {
    let Some(objective) = plan.objective else {
        return;
    };
    let all = decisions(sc, model, values);
    if all.is_empty() {
        return;
    }
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    let mut notes = Vec::new();
    if all.len() > MAX_VALUED_DECISIONS {
        notes.push(format!(
            "only the first {MAX_VALUED_DECISIONS} of {} decisions are valued",
            all.len()
        ));
    }
    // Each extra solve gets at most 2× the main solve (and 5 s at least), within what
    // is left of the job's limit.
    let per_solve = (2.0 * budget.solve_seconds).max(5.0);
    for decision in all.into_iter().take(MAX_VALUED_DECISIONS) {
        let left = budget
            .time_left_s
            .map(|l| l - started.elapsed().as_secs_f64());
        if left.is_some_and(|l| l <= 0.0) {
            notes.push("the time limit was used up before every decision was valued".into());
            break;
        }
        let mut other = model.clone();
        if decision.taken {
            for &(c, lo, up) in &decision.forbid {
                other.lp.columns[c].lower = lo;
                other.lp.columns[c].upper = up;
            }
        } else {
            let (terms, sense, rhs) = decision.force.clone();
            // The key only names the row in logs; this model is never exported.
            let key = RowKey::BuildOnce { expansion: 0 };
            other.lp.add_row(key, terms, sense, rhs);
        }
        let limit = left.map_or(per_solve, |l| l.min(per_solve));
        let options = SolveOptions {
            time_limit_s: Some(limit),
            log: false,
            mip_gap: Some(budget.mip_gap),
            ..SolveOptions::default()
        };
        let backend = backend_for(budget.backend, &other.lp);
        let outcome = solve(&other.lp, backend.as_ref(), &options);
        let alternative = match (&outcome.status, &outcome.values) {
            (SolveStatus::Optimal, Some(v)) => Some(other.lp.objective_of(v)),
            _ => None,
        };
        let (without, with) = if decision.taken {
            (alternative, Some(objective))
        } else {
            (Some(objective), alternative)
        };
        let saves = match (without, with) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        let sentence = sentence(&decision, saves, &outcome.status);
        out.push(DecisionValue {
            decision: decision.label,
            taken: decision.taken,
            period: decision.period,
            without,
            with,
            saves,
            sentence,
        });
    }
    let d = plan.decisions.get_or_insert_with(Default::default);
    d.values = out;
    if !notes.is_empty() {
        d.values_note = Some(notes.join("; "));
    }
}

fn sentence(d: &Decision, saves: Option<f64>, status: &SolveStatus) -> String {
    let when = d
        .period
        .as_ref()
        .map_or(String::new(), |p| format!(" in {p}"));
    match (d.taken, saves) {
        (true, Some(x)) if x >= 0.0 => format!(
            "{}{when} saves {} over the horizon against the best plan without it",
            d.doing,
            money_short(x)
        ),
        (true, Some(x)) => format!(
            "{}{when} costs {} more than the best plan without it (within the MIP gap)",
            d.doing,
            money_short(-x)
        ),
        (true, None) if *status == SolveStatus::Infeasible => format!(
            "{}{when} is necessary: no plan without it meets every hard rule",
            d.doing
        ),
        (false, Some(x)) if x <= 0.0 => format!(
            "{} would cost {} more over the horizon than the plan without it",
            d.doing,
            money_short(-x)
        ),
        (false, Some(x)) => format!(
            "{} would save {} over the horizon (within the MIP gap)",
            d.doing,
            money_short(x)
        ),
        (false, None) if *status == SolveStatus::Infeasible => {
            format!(
                "{} is impossible: no plan with it meets every hard rule",
                d.doing
            )
        }
        (_, None) => format!(
            "{}: not valued (the extra solve ended {})",
            d.doing,
            status.word()
        ),
    }
}
