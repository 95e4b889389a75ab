//! Load rows of the default resource: ℓ[s,t] = Σ_p rate·x[s,p,t] ≤ capacity[s,t] + o[s,t]
//! (sites without one, and hubs, have none).

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
            lp.add_row(
                RowKey::Capacity { site: s, t },
                cx.load_terms(s, t).chain(overtime),
                Sense::Le,
                sc.capacity[[s, t]],
            );
        }
    }
}
