//! Decisions over the horizon (a MILP where any is discrete): open[s,t] with opening
//! and closing, expansions built once, minimum runs, and take-or-pay contracts.
//!
//! Capacity × open and the expansions built so far enter the capacity rows themselves
//! (`Context::default_capacity`, `Context::resource_capacity`); this file makes the
//! decision columns and the rows that link them.

use ndarray::Array2;

use super::keys::{RowKey, VarKey};
use super::model::{LpModel, Sense};
use super::Builder;
use crate::policy::EffectiveCapacity;
use crate::scenario::Scenario;

/// The decision columns, by model index; `None` where none exists.
#[derive(Debug, Clone)]
pub struct DecisionColumns {
    /// [site, t]: open (binary), only for sites that may open and close.
    pub open: Array2<Option<usize>>,
    /// [site, t]
    pub opening: Array2<Option<usize>>,
    /// [site, t]
    pub closing: Array2<Option<usize>>,
    /// [expansion, t]: part built in t (from `from` on).
    pub build: Array2<Option<usize>>,
    /// [make, t]: runs (binary), only for makes with `min_run`.
    pub run: Array2<Option<usize>>,
    /// [contract][window]: units short of the minimum, where a shortfall has a price.
    pub shortfall: Vec<Vec<Option<usize>>>,
}

impl DecisionColumns {
    pub fn none(n_sites: usize, n_makes: usize, n_t: usize) -> Self {
        DecisionColumns {
            open: Array2::from_elem((n_sites, n_t), None),
            opening: Array2::from_elem((n_sites, n_t), None),
            closing: Array2::from_elem((n_sites, n_t), None),
            build: Array2::from_elem((0, n_t), None),
            run: Array2::from_elem((n_makes, n_t), None),
            shortfall: Vec::new(),
        }
    }
}

/// Creates the decision columns, after every other column (a model without decisions
/// keeps its columns exactly), and adds the constant fixed costs to the objective.
pub fn columns(sc: &Scenario, lp: &mut LpModel) -> DecisionColumns {
    let d = &sc.decisions;
    let n_t = sc.n_periods();
    let mut cols = DecisionColumns::none(sc.sites.len(), sc.makes.len(), n_t);
    lp.offset += d.constant_fixed_cost() * n_t as f64;
    for (s, rule) in d.open.iter().enumerate() {
        let Some(rule) = rule else { continue };
        for t in 0..n_t {
            let key = VarKey::Open { site: s, t };
            cols.open[[s, t]] = Some(lp.add_integer_column(key, d.fixed_cost[s], 1.0));
            if rule.opening_cost > 0.0 {
                let key = VarKey::Opening { site: s, t };
                cols.opening[[s, t]] = Some(lp.add_column(key, rule.opening_cost, 1.0));
            }
            if rule.closing_cost > 0.0 {
                let key = VarKey::Closing { site: s, t };
                cols.closing[[s, t]] = Some(lp.add_column(key, rule.closing_cost, 1.0));
            }
        }
    }
    cols.build = Array2::from_elem((d.expansions.len(), n_t), None);
    for (e, exp) in d.expansions.iter().enumerate() {
        for t in exp.from..n_t {
            let key = VarKey::Build { expansion: e, t };
            cols.build[[e, t]] = Some(if exp.integer {
                lp.add_integer_column(key, exp.cost, 1.0)
            } else {
                lp.add_column(key, exp.cost, 1.0)
            });
        }
    }
    for (k, run) in d.min_run.iter().enumerate() {
        if run.is_none() {
            continue;
        }
        for t in 0..n_t {
            cols.run[[k, t]] = Some(lp.add_integer_column(VarKey::Run { make: k, t }, 0.0, 1.0));
        }
    }
    for (c, contract) in d.contracts.iter().enumerate() {
        let windows = contract.per.groups(n_t).len();
        cols.shortfall.push(
            (0..windows)
                .map(|w| {
                    contract.shortfall_cost.map(|price| {
                        let key = VarKey::Shortfall {
                            contract: c,
                            window: w,
                        };
                        lp.add_column(key, price, f64::INFINITY)
                    })
                })
                .collect(),
        );
    }
    cols
}

/// The capacity `cap` of a site in `t` with its open column and the expansions of
/// `expansions` built by `t`.
pub fn effective(
    cols: &DecisionColumns,
    site: usize,
    t: usize,
    cap: f64,
    expansions: impl Iterator<Item = (usize, f64)>,
) -> EffectiveCapacity {
    let mut out = EffectiveCapacity {
        fixed: cap,
        terms: Vec::new(),
        closable: None,
    };
    let open = cols.open[[site, t]];
    if let Some(w) = open {
        out.fixed = 0.0;
        out.terms.push((w, cap));
    }
    let mut most = cap;
    for (e, added) in expansions {
        most += added;
        for tau in 0..=t {
            if let Some(b) = cols.build[[e, tau]] {
                out.terms.push((b, added));
            }
        }
    }
    if let Some(w) = open {
        if most > cap {
            out.closable = Some((w, most));
        }
    }
    out
}

/// The rows that link decisions: overtime × open, opening and closing, build once,
/// minimum runs and contracts.
pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let d = &sc.decisions;
    let dc = &cx.cols.decisions;
    let n_t = sc.n_periods();
    for (s, rule) in d.open.iter().enumerate() {
        let Some(rule) = rule else { continue };
        for t in 0..n_t {
            let Some(w) = dc.open[[s, t]] else { continue };
            if let Some(o) = cx.cols.overtime[[s, t]] {
                let cap = sc.overtime_capacity[[s, t]];
                lp.add_row(
                    RowKey::OpenOvertime { site: s, t },
                    [(o, 1.0), (w, -cap)],
                    Sense::Le,
                    0.0,
                );
            }
            let (up, down) = (dc.opening[[s, t]], dc.closing[[s, t]]);
            if up.is_none() && down.is_none() {
                continue;
            }
            // open[t] − open[t−1] = opening − closing, with only the priced side(s).
            let before = if t == 0 { None } else { dc.open[[s, t - 1]] };
            let was = if t == 0 && rule.initially { 1.0 } else { 0.0 };
            let mut terms = vec![(w, 1.0)];
            terms.extend(before.map(|c| (c, -1.0)));
            terms.extend(up.map(|c| (c, -1.0)));
            terms.extend(down.map(|c| (c, 1.0)));
            let sense = match (up, down) {
                (Some(_), Some(_)) => Sense::Eq,
                (Some(_), None) => Sense::Le,
                _ => Sense::Ge,
            };
            lp.add_row(RowKey::OpenChange { site: s, t }, terms, sense, was);
        }
    }
    for e in 0..d.expansions.len() {
        let builds: Vec<(usize, f64)> = dc
            .build
            .row(e)
            .iter()
            .flatten()
            .map(|&c| (c, 1.0))
            .collect();
        if builds.len() > 1 {
            lp.add_row(RowKey::BuildOnce { expansion: e }, builds, Sense::Le, 1.0);
        }
    }
    for (k, run) in d.min_run.iter().enumerate() {
        let Some(min_run) = *run else { continue };
        for t in 0..n_t {
            let (Some(x), Some(r)) = (cx.cols.production[[k, t]], dc.run[[k, t]]) else {
                continue;
            };
            lp.add_row(
                RowKey::MinRun { make: k, t },
                [(x, 1.0), (r, -min_run)],
                Sense::Ge,
                0.0,
            );
            let most = most_made(sc, k, t);
            lp.add_row(
                RowKey::RunLimit { make: k, t },
                [(x, 1.0), (r, -most)],
                Sense::Le,
                0.0,
            );
        }
    }
    let mut terms: Vec<(usize, f64)> = Vec::new();
    for (c, contract) in d.contracts.iter().enumerate() {
        for (w, (_, periods)) in contract.per.groups(n_t).into_iter().enumerate() {
            terms.clear();
            for &lane in &cx.lanes.by_site[contract.site] {
                for p in (0..sc.products.len()).filter(|&p| contract.products[p]) {
                    for &t in &periods {
                        terms.extend(cx.shipment_classes(lane, p, t).map(|(_, col)| (col, 1.0)));
                    }
                }
            }
            if contract.min > 0.0 {
                let short = dc.shortfall[c][w].map(|col| (col, 1.0));
                lp.add_row(
                    RowKey::ContractMin {
                        contract: c,
                        window: w,
                    },
                    terms.iter().copied().chain(short),
                    Sense::Ge,
                    contract.min,
                );
            }
            if let Some(max) = contract.max {
                lp.add_row(
                    RowKey::ContractMax {
                        contract: c,
                        window: w,
                    },
                    terms.iter().copied(),
                    Sense::Le,
                    max,
                );
            }
        }
    }
}

/// The most of make `k` its site could make in `t` with every expansion built and all
/// overtime: the smallest bound over the resources it loads.
pub fn most_made(sc: &crate::network::Network, k: usize, t: usize) -> f64 {
    let make = &sc.makes[k];
    let d = &sc.decisions;
    let mut most = f64::INFINITY;
    if make.rate > 0.0 {
        let added: f64 = d
            .default_expansions(make.site)
            .map(|(_, e)| e.capacity)
            .sum();
        let cap = sc.capacity[[make.site, t]] + sc.overtime_capacity[[make.site, t]] + added;
        most = most.min(cap / make.rate);
    }
    for &(r, used) in &sc.make_uses[k] {
        if used > 0.0 {
            let added: f64 = d.resource_expansions(r).map(|(_, e)| e.capacity).sum();
            most = most.min((sc.resources[r].capacity[t] + added) / used);
        }
    }
    most
}
