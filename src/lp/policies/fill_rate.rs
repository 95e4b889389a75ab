//! `min_fill_rate`: Σ u ≤ (1 − min)·Σ demand over the products and markets in scope,
//! over the horizon (default) or per period.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};
use crate::network::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    min: f64,
    per: Per,
    products: &[bool],
    markets: &[bool],
) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let mut terms = Vec::new();
    for (t, periods) in per.groups(sc.n_periods()) {
        terms.clear();
        let mut total_demand = 0.0;
        for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
            for p in (0..sc.products.len()).filter(|&p| products[p]) {
                for &period in &periods {
                    total_demand += sc.demand[[m, p, period]];
                    if let Some(c) = cx.cols.unmet[[m, p, period]] {
                        terms.push((c, 1.0));
                    }
                }
            }
        }
        if !terms.is_empty() {
            let rhs = (1.0 - min) * total_demand;
            let row = PolicyRow::FillRate { t };
            add_policy_row(lp, sc, policy, row, terms.iter().copied(), Sense::Le, rhs);
        }
    }
}
