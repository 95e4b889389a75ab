//! Demand rows: Σ_s y[s,m,p,t−lead(s,m)] + u[m,p,t] = demand[m,p,t], one per positive demand.

use super::keys::RowKey;
use super::lp::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let sc = b.scenario;
    for m in 0..sc.markets.len() {
        for p in 0..sc.products.len() {
            for t in 0..sc.n_periods() {
                let quantity = sc.demand[[m, p, t]];
                if quantity <= 0.0 {
                    continue;
                }
                let mut terms = b.arrivals(m, p, t);
                terms.iter_mut().for_each(|(_, a)| *a = 1.0);
                terms.extend(b.cols.unmet[[m, p, t]].map(|c| (c, 1.0)));
                b.lp.add_row(
                    RowKey::Demand {
                        market: m,
                        product: p,
                        t,
                    },
                    terms,
                    Sense::Eq,
                    quantity,
                );
            }
        }
    }
}
