//! Load rows: ℓ[s,t] = Σ_p rate·x[s,p,t] ≤ capacity[s,t] + o[s,t].

use super::keys::RowKey;
use super::lp::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let sc = b.scenario;
    for s in 0..sc.sites.len() {
        if b.makes_by_site[s].is_empty() {
            continue;
        }
        for t in 0..sc.n_periods() {
            let mut terms = b.load_terms(s, t);
            if let Some(o) = b.cols.overtime[[s, t]] {
                terms.push((o, -1.0));
            }
            b.lp.add_row(
                RowKey::Capacity { site: s, t },
                terms,
                Sense::Le,
                sc.capacity[[s, t]],
            );
        }
    }
}
