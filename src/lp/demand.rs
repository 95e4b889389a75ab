//! Demand rows: Σ_s y[s,m,p,t−lead(s,m)] + u[m,p,t] = demand[m,p,t], one per positive demand.

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let mut terms = Vec::new();
    for m in 0..sc.markets.len() {
        for p in 0..sc.products.len() {
            for t in 0..sc.n_periods() {
                let quantity = sc.demand[[m, p, t]];
                if quantity <= 0.0 {
                    continue;
                }
                terms.clear();
                cx.for_each_arrival(m, p, t, |_, _, c| terms.push((c, 1.0)));
                terms.extend(cx.cols.unmet[[m, p, t]].map(|c| (c, 1.0)));
                lp.add_row(
                    RowKey::Demand {
                        market: m,
                        product: p,
                        t,
                    },
                    terms.iter().copied(),
                    Sense::Eq,
                    quantity,
                );
            }
        }
    }
}
