//! `ramp_limit`: Δ⁺[s,t] + Δ⁻[s,t] ≤ r·capacity[s,t] for each site in scope.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};

pub fn add(b: &mut Builder, policy: usize, max_change: f64, sites: &[bool]) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for s in (0..sc.sites.len()).filter(|&s| sites[s]) {
        for t in 0..sc.n_periods() {
            let (Some(up), Some(down)) = (cx.cols.load_up[[s, t]], cx.cols.load_down[[s, t]])
            else {
                continue;
            };
            let rhs = max_change * sc.capacity[[s, t]];
            let row = PolicyRow::Ramp { site: s, t };
            add_policy_row(
                lp,
                sc,
                policy,
                row,
                [(up, 1.0), (down, 1.0)],
                Sense::Le,
                rhs,
            );
        }
    }
}
