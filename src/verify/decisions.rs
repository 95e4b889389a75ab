//! The verifier's checks of decisions over the horizon, from the allocation alone:
//! every integer decision is whole (1e-6), an expansion is built at most once and never
//! before `from`, opening and closing follow the open state from `initially`, a make
//! with `min_run` makes 0 or at least that, and contracts stay within min and max (a
//! shortfall paid where it has a price). Capacity × open and expansions are checked with
//! the capacities themselves (`Allocation::capacity`). The costs are recomputed here:
//! fixed costs while open, opening and closing, investment and shortfall payments.

use super::Checker;
use crate::allocation::Allocation;
use crate::plan::CostBreakdown;
use crate::scenario::Scenario;

/// Largest distance from a whole number accepted for an integer decision.
pub const INTEGRALITY_TOLERANCE: f64 = 1e-6;

fn whole(x: f64) -> f64 {
    (x - x.round()).abs()
}

pub(super) fn check(sc: &Scenario, a: &Allocation, c: &mut Checker, costs: &mut CostBreakdown) {
    let d = &sc.decisions;
    let v = &a.decisions;
    let n_t = sc.n_periods();
    let period = |t: usize| sc.periods[t].as_str();
    // Integrality is absolute: a value 1e-6 from whole is a fraction, whatever the
    // row's size, so it is scaled to count against the feasibility tolerance.
    let integral = |c: &mut Checker, x: f64, what: &dyn Fn() -> String| {
        let off = whole(x);
        let excess = if off > INTEGRALITY_TOLERANCE {
            off
        } else {
            0.0
        };
        c.check(excess, 0.0, || format!("{} is not whole ({x})", what()));
    };

    for s in 0..sc.sites.len() {
        let Some(rule) = d.open[s] else {
            costs.fixed += d.fixed_cost[s] * n_t as f64;
            for t in 0..n_t {
                // Always 1 in a solved allocation. Only a value that is not is checked
                // (and counted), so a model without decisions keeps its count of checks.
                let w = v.open[[s, t]];
                if w != 1.0 {
                    c.check((w - 1.0).abs(), 0.0, || {
                        format!(
                            "{} cannot close, but its open state in {} is {w}",
                            sc.sites[s].id,
                            period(t)
                        )
                    });
                }
            }
            continue;
        };
        let mut was = if rule.initially { 1.0 } else { 0.0 };
        for t in 0..n_t {
            let w = v.open[[s, t]];
            let site = &sc.sites[s].id;
            integral(c, w, &|| format!("open at {site} in {}", period(t)));
            c.check(-w, 0.0, || format!("open ≥ 0 at {site} in {}", period(t)));
            c.check(w - 1.0, 1.0, || {
                format!("open ≤ 1 at {site} in {}", period(t))
            });
            costs.fixed += d.fixed_cost[s] * w;
            costs.opening_closing +=
                rule.opening_cost * (w - was).max(0.0) + rule.closing_cost * (was - w).max(0.0);
            was = w;
        }
    }

    for (e, exp) in d.expansions.iter().enumerate() {
        let site = &sc.sites[exp.site].id;
        let name = || format!("expansion {} at {site}", exp.name);
        let mut total = 0.0;
        for t in 0..n_t {
            let b = v.built[[e, t]];
            c.check(-b, 0.0, || format!("{} built ≥ 0 in {}", name(), period(t)));
            if t < exp.from {
                c.check(b.abs(), 0.0, || {
                    format!(
                        "{} built in {}, before it may be ({})",
                        name(),
                        period(t),
                        period(exp.from)
                    )
                });
            }
            if exp.integer {
                integral(c, b, &|| format!("{} built in {}", name(), period(t)));
            }
            total += b;
            costs.investment += exp.cost * b;
        }
        c.check(total - 1.0, 1.0, || {
            format!("{} built more than once", name())
        });
    }

    for (k, run) in d.min_run.iter().enumerate() {
        let Some(min_run) = *run else { continue };
        let mk = &sc.makes[k];
        for t in 0..n_t {
            let x = a.production[[mk.site, mk.product, t]];
            let r = v.run[[k, t]];
            let what = || {
                format!(
                    "min_run of {} at {} in {}",
                    sc.products[mk.product].id,
                    sc.sites[mk.site].id,
                    period(t)
                )
            };
            integral(c, r, &what);
            // 0, or at least min_run: a run below the minimum is short by min_run − x
            // (or x, whichever is nearer a legal value).
            if x > 0.0 {
                c.check((min_run - x).min(x), min_run, what);
            }
        }
    }

    for (ci, contract) in d.contracts.iter().enumerate() {
        for (w, (window, periods)) in contract.per.groups(n_t).into_iter().enumerate() {
            let shipped = a.contract_shipped(sc, ci, &periods);
            let when = window.map_or("the horizon", period);
            let name = || format!("contract {} in {when}", contract.name);
            match contract.shortfall_cost {
                Some(price) => {
                    let short = v.shortfall[ci][w];
                    c.check(-short, 0.0, || format!("{} shortfall ≥ 0", name()));
                    c.check(contract.min - shipped - short, contract.min, || {
                        format!("{} minimum (with shortfall)", name())
                    });
                    costs.contract_shortfall += price * short;
                }
                None => c.check(contract.min - shipped, contract.min, || {
                    format!("{} minimum", name())
                }),
            }
            if let Some(max) = contract.max {
                c.check(shipped - max, max, || format!("{} maximum", name()));
            }
        }
    }
}
