//! Load rows of the default resource: ℓ[s,t] = Σ_p rate·x[s,p,t] ≤ capacity[s,t] + o[s,t]
//! (sites without one, and hubs, have none). Capacity is the effective one: × open, plus
//! the expansions built so far.

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for s in 0..sc.sites.len() {
        if cx.makes_by_site[s].is_empty() || !sc.sites[s].default_resource {
            continue;
        }
        for t in 0..sc.n_periods() {
            let overtime = cx.cols.overtime[[s, t]].map(|o| (o, -1.0));
            let cap = cx.default_capacity(s, t);
            for (i, (extra, rhs)) in cap.at_most(1.0).into_iter().enumerate() {
                let key = if i == 0 {
                    RowKey::Capacity { site: s, t }
                } else {
                    RowKey::OpenCapacity { site: s, t }
                };
                lp.add_row(
                    key,
                    cx.load_terms(s, t).chain(overtime).chain(extra),
                    Sense::Le,
                    rhs,
                );
            }
        }
    }
}
