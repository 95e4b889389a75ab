//! `max_country_share`: Σ_{s∈c} y ≤ β·Σ_s y over arrivals, for every country with a site,
//! per (market, product) in scope and per arrival period (or over the horizon).
//!
//! As in `bloc_share`, the total is replaced by the demand rows' d − u: the row is
//! Σ_{s∈c} y + β·Σ u ≤ β·Σ d over the periods with arrivals, so a shipment appears only
//! in its own country's row rather than in the row of every country.

use crate::lp::keys::PolicyRow;
use crate::lp::model::Sense;
use crate::lp::{add_policy_row, Builder};
use crate::network::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    max_share: f64,
    products: &[bool],
    markets: &[bool],
    per: Per,
) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    if max_share >= 1.0 {
        return;
    }
    let countries = sc.site_countries();
    let lane_country: Vec<usize> = sc
        .lane_countries(&countries)
        .into_iter()
        .map(|c| c.unwrap_or(0))
        .collect();
    let groups = per.groups(sc.n_periods());
    // Per country: its arrival columns in the current (market, product, group).
    let mut own: Vec<Vec<(usize, f64)>> = vec![Vec::new(); countries.len()];
    let mut unmet = Vec::new();
    let mut terms = Vec::new();
    for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
        for p in (0..sc.products.len()).filter(|&p| products[p]) {
            for (t, periods) in &groups {
                own.iter_mut().for_each(Vec::clear);
                unmet.clear();
                let mut demand = 0.0;
                for &arrival in periods {
                    let mut here = false;
                    cx.for_each_arrival(m, p, arrival, |lane, c| {
                        here = true;
                        own[lane_country[lane]].push((c, 1.0));
                    });
                    if here {
                        demand += sc.demand[[m, p, arrival]];
                        unmet.extend(cx.cols.unmet[[m, p, arrival]].map(|u| (u, max_share)));
                    }
                }
                for (country, columns) in own.iter().enumerate() {
                    // Nothing to constrain when this country cannot deliver here.
                    if columns.is_empty() {
                        continue;
                    }
                    terms.clear();
                    terms.extend_from_slice(columns);
                    terms.extend_from_slice(&unmet);
                    let row = PolicyRow::CountryShare {
                        country,
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
                        Sense::Le,
                        max_share * demand,
                    );
                }
            }
        }
    }
}
