//! `max_country_share`: Σ_{s∈c} y ≤ β·Σ_s y over arrivals, for every country with a site,
//! per (market, product) in scope and per arrival period (or over the horizon).

use super::period_groups;
use crate::build::keys::PolicyRow;
use crate::build::lp::Sense;
use crate::build::Builder;
use crate::scenario::Per;

pub fn add(
    b: &mut Builder,
    policy: usize,
    max_share: f64,
    products: &[bool],
    markets: &[bool],
    per: Per,
) {
    let sc = b.scenario;
    if max_share >= 1.0 {
        return;
    }
    let countries = sc.site_countries();
    let lane_country: Vec<usize> = sc
        .lanes
        .iter()
        .map(|l| {
            countries
                .iter()
                .position(|c| *c == sc.sites[l.from].country)
                .unwrap_or(0)
        })
        .collect();
    for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
        for p in (0..sc.products.len()).filter(|&p| products[p]) {
            for (t, periods) in period_groups(per, sc.n_periods()) {
                let arrivals: Vec<(usize, usize)> = periods
                    .iter()
                    .flat_map(|&arrival| b.arrivals_by_lane(m, p, arrival))
                    .collect();
                for country in 0..countries.len() {
                    // Nothing to constrain when this country cannot deliver here.
                    if !arrivals
                        .iter()
                        .any(|&(lane, _)| lane_country[lane] == country)
                    {
                        continue;
                    }
                    let terms = arrivals
                        .iter()
                        .map(|&(lane, c)| {
                            let own = if lane_country[lane] == country {
                                1.0
                            } else {
                                0.0
                            };
                            (c, own - max_share)
                        })
                        .collect();
                    let row = PolicyRow::CountryShare {
                        country,
                        market: m,
                        product: p,
                        t,
                    };
                    b.add_policy_row(policy, row, terms, Sense::Le, 0.0);
                }
            }
        }
    }
}
