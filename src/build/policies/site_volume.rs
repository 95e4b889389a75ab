//! `site_volume`: min ≤ Σ_p x[s,p,t] ≤ max in every period (a contract in units).

use crate::build::keys::PolicyRow;
use crate::build::lp::Sense;
use crate::build::Builder;

pub fn add(
    b: &mut Builder,
    policy: usize,
    site: usize,
    min: Option<f64>,
    max: Option<f64>,
    products: &[bool],
) {
    let sc = b.scenario;
    for t in 0..sc.n_periods() {
        let terms: Vec<(usize, f64)> = b.makes_by_site[site]
            .iter()
            .filter(|&&k| products[sc.makes[k].product])
            .filter_map(|&k| b.cols.production[[k, t]].map(|c| (c, 1.0)))
            .collect();
        if let Some(min) = min.filter(|&m| m > 0.0) {
            let row = PolicyRow::VolumeMin { site, t };
            b.add_policy_row(policy, row, terms.clone(), Sense::Ge, min);
        }
        if let Some(max) = max {
            if !terms.is_empty() {
                let row = PolicyRow::VolumeMax { site, t };
                b.add_policy_row(policy, row, terms, Sense::Le, max);
            }
        }
    }
}
