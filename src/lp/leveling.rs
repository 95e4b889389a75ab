//! Leveling rows: ℓ[s,t] − ℓ[s,t−1] = Δ⁺[s,t] − Δ⁻[s,t]; the first period compares with
//! `last_load` when the site gives one.

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for s in 0..sc.sites.len() {
        for t in 0..sc.n_periods() {
            let (Some(up), Some(down)) = (cx.cols.load_up[[s, t]], cx.cols.load_down[[s, t]])
            else {
                continue;
            };
            let (previous, rhs) = if t == 0 {
                (None, sc.sites[s].last_load.unwrap_or(0.0))
            } else {
                (Some(cx.load_terms(s, t - 1).map(|(c, a)| (c, -a))), 0.0)
            };
            let terms = cx
                .load_terms(s, t)
                .chain(previous.into_iter().flatten())
                .chain([(up, -1.0), (down, 1.0)]);
            lp.add_row(RowKey::Leveling { site: s, t }, terms, Sense::Eq, rhs);
        }
    }
}
