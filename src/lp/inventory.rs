//! Inventory rows: I[s,p,t] = I[s,p,t−1] + x[s,p,t] − Σ_m y[s,m,p,t] with I[s,p,−1] = initial,
//! and Σ_p I[s,p,t] ≤ inventory capacity where one is given.

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for (k, make) in sc.makes.iter().enumerate() {
        let lanes = &cx.lanes_by_site[make.site];
        for t in 0..sc.n_periods() {
            let held = cx.cols.inventory[[k, t]].map(|c| (c, 1.0));
            let before = if t > 0 {
                cx.cols.inventory[[k, t - 1]].map(|c| (c, -1.0))
            } else {
                None
            };
            let made = cx.cols.production[[k, t]].map(|c| (c, -1.0));
            let shipped = lanes
                .iter()
                .filter_map(|&lane| cx.cols.shipment[[lane, make.product, t]].map(|c| (c, 1.0)));
            let rhs = if t == 0 {
                sc.initial_inventory[[make.site, make.product]]
            } else {
                0.0
            };
            lp.add_row(
                RowKey::InventoryBalance { make: k, t },
                held.into_iter().chain(before).chain(made).chain(shipped),
                Sense::Eq,
                rhs,
            );
        }
    }
    for (s, site) in sc.sites.iter().enumerate() {
        let Some(cap) = site.inventory_capacity else {
            continue;
        };
        if cx.makes_by_site[s].is_empty() {
            continue;
        }
        for t in 0..sc.n_periods() {
            let terms = cx.makes_by_site[s]
                .iter()
                .filter_map(|&k| cx.cols.inventory[[k, t]].map(|c| (c, 1.0)));
            lp.add_row(
                RowKey::InventoryCapacity { site: s, t },
                terms,
                Sense::Le,
                cap,
            );
        }
    }
}
