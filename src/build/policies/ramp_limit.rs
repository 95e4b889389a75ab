//! `ramp_limit`: Δ⁺[s,t] + Δ⁻[s,t] ≤ r·capacity[s,t] for each site in scope.

use crate::build::keys::PolicyRow;
use crate::build::lp::Sense;
use crate::build::Builder;

pub fn add(b: &mut Builder, policy: usize, max_change: f64, sites: &[bool]) {
    let sc = b.scenario;
    for s in (0..sc.sites.len()).filter(|&s| sites[s]) {
        for t in 0..sc.n_periods() {
            let (Some(up), Some(down)) = (b.cols.load_up[[s, t]], b.cols.load_down[[s, t]]) else {
                continue;
            };
            let terms = vec![(up, 1.0), (down, 1.0)];
            let rhs = max_change * sc.capacity[[s, t]];
            b.add_policy_row(
                policy,
                PolicyRow::Ramp { site: s, t },
                terms,
                Sense::Le,
                rhs,
            );
        }
    }
}
