//! Leveling rows: ℓ[s,t] − ℓ[s,t−1] = Δ⁺[s,t] − Δ⁻[s,t]; the first period compares with
//! `last_load` when the site gives one.

use super::keys::RowKey;
use super::lp::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let sc = b.scenario;
    for s in 0..sc.sites.len() {
        for t in 0..sc.n_periods() {
            let (Some(up), Some(down)) = (b.cols.load_up[[s, t]], b.cols.load_down[[s, t]]) else {
                continue;
            };
            let mut terms = b.load_terms(s, t);
            let rhs = if t == 0 {
                sc.sites[s].last_load.unwrap_or(0.0)
            } else {
                terms.extend(b.load_terms(s, t - 1).into_iter().map(|(c, a)| (c, -a)));
                0.0
            };
            terms.push((up, -1.0));
            terms.push((down, 1.0));
            b.lp.add_row(RowKey::Leveling { site: s, t }, terms, Sense::Eq, rhs);
        }
    }
}
