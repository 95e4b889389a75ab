//! `min_bloc_share`: Σ_{s∈bloc} y ≥ α·Σ_s y over arrivals, per (market, product) in scope
//! and per arrival period (or over the horizon).

use super::period_groups;
use crate::build::keys::PolicyRow;
use crate::build::lp::Sense;
use crate::build::Builder;
use crate::scenario::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    bloc: usize,
    min_share: f64,
    products: &[bool],
    markets: &[bool],
    per: Per,
) {
    let sc = b.scenario;
    if min_share <= 0.0 {
        return;
    }
    let in_bloc: Vec<bool> = sc
        .lanes
        .iter()
        .map(|l| sc.bloc_contains(bloc, &sc.sites[l.from].country))
        .collect();
    for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
        for p in (0..sc.products.len()).filter(|&p| products[p]) {
            for (t, periods) in period_groups(per, sc.n_periods()) {
                let mut terms = Vec::new();
                for &arrival in &periods {
                    for (lane, c) in b.arrivals_by_lane(m, p, arrival) {
                        let inside = if in_bloc[lane] { 1.0 } else { 0.0 };
                        terms.push((c, inside - min_share));
                    }
                }
                if terms.is_empty() {
                    continue;
                }
                let row = PolicyRow::BlocShare {
                    market: m,
                    product: p,
                    t,
                };
                b.add_policy_row(policy, row, terms, Sense::Ge, 0.0);
            }
        }
    }
}
