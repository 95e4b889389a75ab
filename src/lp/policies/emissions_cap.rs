//! `emissions_cap`: Σ emissions·y ≤ max over the horizon, or per departure period.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};
use crate::network::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    max: f64,
    per: Per,
    products: &[bool],
    markets: &[bool],
    sites: &[bool],
) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let mut terms = Vec::new();
    for (t, periods) in per.groups(sc.n_periods()) {
        terms.clear();
        for (l, lane) in sc.lanes.iter().enumerate() {
            if lane.emissions <= 0.0 || !markets[lane.to] || !sites[lane.from] {
                continue;
            }
            for p in (0..sc.products.len()).filter(|&p| products[p]) {
                for &departure in &periods {
                    if let Some(c) = cx.cols.shipment[[l, p, departure]] {
                        terms.push((c, lane.emissions));
                    }
                }
            }
        }
        if !terms.is_empty() {
            let row = PolicyRow::Emissions { t };
            add_policy_row(lp, sc, policy, row, terms.iter().copied(), Sense::Le, max);
        }
    }
}
