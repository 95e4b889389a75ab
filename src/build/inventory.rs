//! Inventory rows: I[s,p,t] = I[s,p,t−1] + x[s,p,t] − Σ_m y[s,m,p,t] with I[s,p,−1] = initial,
//! and Σ_p I[s,p,t] ≤ inventory capacity where one is given.

use super::keys::RowKey;
use super::lp::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let sc = b.scenario;
    for (k, make) in sc.makes.iter().enumerate() {
        for t in 0..sc.n_periods() {
            let mut terms = Vec::with_capacity(4 + b.lanes_by_site[make.site].len());
            terms.extend(b.cols.inventory[[k, t]].map(|c| (c, 1.0)));
            if t > 0 {
                terms.extend(b.cols.inventory[[k, t - 1]].map(|c| (c, -1.0)));
            }
            terms.extend(b.cols.production[[k, t]].map(|c| (c, -1.0)));
            for &lane in &b.lanes_by_site[make.site] {
                terms.extend(b.cols.shipment[[lane, make.product, t]].map(|c| (c, 1.0)));
            }
            let rhs = if t == 0 {
                sc.initial_inventory[[make.site, make.product]]
            } else {
                0.0
            };
            b.lp.add_row(
                RowKey::InventoryBalance { make: k, t },
                terms,
                Sense::Eq,
                rhs,
            );
        }
    }
    for (s, site) in sc.sites.iter().enumerate() {
        let Some(cap) = site.inventory_capacity else {
            continue;
        };
        if b.makes_by_site[s].is_empty() {
            continue;
        }
        for t in 0..sc.n_periods() {
            let terms: Vec<(usize, f64)> = b.makes_by_site[s]
                .iter()
                .filter_map(|&k| b.cols.inventory[[k, t]].map(|c| (c, 1.0)))
                .collect();
            b.lp.add_row(
                RowKey::InventoryCapacity { site: s, t },
                terms,
                Sense::Le,
                cap,
            );
        }
    }
}
