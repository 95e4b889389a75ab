//! `site_volume`: min ≤ Σ_p x[s,p,t] ≤ max in every period (a contract in units).

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};

pub fn add(
    b: &mut Builder,
    policy: usize,
    site: usize,
    min: Option<f64>,
    max: Option<f64>,
    products: &[bool],
) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let mut terms = Vec::new();
    for t in 0..sc.n_periods() {
        terms.clear();
        terms.extend(
            cx.makes_by_site[site]
                .iter()
                .filter(|&&k| products[sc.makes[k].product])
                .filter_map(|&k| cx.cols.production[[k, t]].map(|c| (c, 1.0))),
        );
        if let Some(min) = min.filter(|&m| m > 0.0) {
            let row = PolicyRow::VolumeMin { site, t };
            add_policy_row(lp, sc, policy, row, terms.iter().copied(), Sense::Ge, min);
        }
        if let Some(max) = max {
            if !terms.is_empty() {
                let row = PolicyRow::VolumeMax { site, t };
                add_policy_row(lp, sc, policy, row, terms.iter().copied(), Sense::Le, max);
            }
        }
    }
}
