//! `load_band`: min·capacity[s,t] ≤ ℓ[s,t] ≤ max·capacity[s,t] for each site in scope.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};

pub fn add(b: &mut Builder, policy: usize, min: f64, max: f64, sites: &[bool]) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for s in (0..sc.sites.len()).filter(|&s| sites[s]) {
        if cx.makes_by_site[s].is_empty() {
            continue;
        }
        for t in 0..sc.n_periods() {
            let cap = sc.capacity[[s, t]];
            if min * cap > 0.0 {
                let row = PolicyRow::BandMin { site: s, t };
                add_policy_row(
                    lp,
                    sc,
                    policy,
                    row,
                    cx.load_terms(s, t),
                    Sense::Ge,
                    min * cap,
                );
            }
            let row = PolicyRow::BandMax { site: s, t };
            add_policy_row(
                lp,
                sc,
                policy,
                row,
                cx.load_terms(s, t),
                Sense::Le,
                max * cap,
            );
        }
    }
}
