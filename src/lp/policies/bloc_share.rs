//! `min_bloc_share`: Σ_{s∈bloc} y ≥ α·Σ_s y over arrivals, per (market, product) in scope
//! and per arrival period (or over the horizon).
//!
//! The row is written with the demand rows' Σ_s y = d − u substituted for the total, as
//! Σ_{s∈bloc} y + α·Σ u ≥ α·Σ d, summed over the periods with arrivals. On the feasible
//! set it is the same row (a multiple of equality rows added), but each shipment appears
//! only when it comes from the bloc, instead of in every share row of its market and
//! product: far fewer non-zeros, and no dense rows for the interior-point solvers.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};
use crate::network::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    bloc: usize,
    min_share: f64,
    products: &[bool],
    markets: &[bool],
    per: Per,
) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    if min_share <= 0.0 {
        return;
    }
    let in_bloc = sc.lanes_from_bloc(bloc);
    let groups = per.groups(sc.n_periods());
    let mut terms = Vec::new();
    for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
        for p in (0..sc.products.len()).filter(|&p| products[p]) {
            for (t, periods) in &groups {
                terms.clear();
                let mut any = false;
                let mut demand = 0.0;
                for &arrival in periods {
                    let mut here = false;
                    cx.for_each_arrival(m, p, arrival, |lane, c| {
                        here = true;
                        if in_bloc[lane] {
                            terms.push((c, 1.0));
                        }
                    });
                    if here {
                        any = true;
                        demand += sc.demand[[m, p, arrival]];
                        terms.extend(cx.cols.unmet[[m, p, arrival]].map(|u| (u, min_share)));
                    }
                }
                if !any {
                    continue;
                }
                let row = PolicyRow::BlocShare {
                    market: m,
                    product: p,
                    t: *t,
                };
                add_policy_row(
                    lp,
                    sc,
                    policy,
                    row,
                    terms.iter().copied(),
                    Sense::Ge,
                    min_share * demand,
                );
            }
        }
    }
}
