//! Stock rows. Balance at a site or hub, per origin class where the site's stock is
//! split by class (one row otherwise):
//! I[s,p,t] = I[s,p,t−1] + x[s,p,t] + arrivals[s,p,t] − departures[s,p,t]
//! − Σ_q bom[q,p]·x[s,q,t], with I[s,p,−1] = initial (made and initial stock count in
//! the site's own class). Then Σ_p I[s,p,t] ≤ inventory capacity, I[s,p,t] ≤ a
//! product's cap, and I[s,p,last] ≥ final stock.

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let origins = &sc.origins;
    let n_t = sc.n_periods();
    let mut terms: Vec<(usize, f64)> = Vec::new();
    for &(s, p) in &cx.cols.holdings {
        let classes = origins.at(s, p);
        let split = classes.len() > 1;
        let own = origins.own_class(s, p);
        let make = sc.make_index[[s, p]];
        for t in 0..n_t {
            for &k in classes {
                terms.clear();
                terms.extend(
                    cx.stock_classes(s, p, t)
                        .filter(|x| x.0 == k)
                        .map(|x| (x.1, 1.0)),
                );
                if t > 0 {
                    terms.extend(
                        cx.stock_classes(s, p, t - 1)
                            .filter(|x| x.0 == k)
                            .map(|x| (x.1, -1.0)),
                    );
                }
                if k == own {
                    if let Some(c) = make.and_then(|mk| cx.cols.production[[mk, t]]) {
                        terms.push((c, -1.0));
                    }
                }
                for &lane in &cx.lanes.by_site[s] {
                    terms.extend(
                        cx.shipment_classes(lane, p, t)
                            .filter(|x| x.0 == k)
                            .map(|x| (x.1, 1.0)),
                    );
                }
                for &lane in &cx.lanes.into_site[s] {
                    let lead = sc.lanes[lane].lead_time;
                    if lead <= t {
                        terms.extend(
                            cx.shipment_classes(lane, p, t - lead)
                                .filter(|x| x.0 == k)
                                .map(|x| (x.1, -1.0)),
                        );
                    }
                }
                for &u in &cx.uses_by_site[s] {
                    if sc.bom_uses[u].component == p {
                        terms.extend(cx.consumption_terms(u, t, k));
                    }
                }
                let rhs = if t == 0 && k == own {
                    sc.initial_inventory[[s, p]]
                } else {
                    0.0
                };
                lp.add_row(
                    RowKey::InventoryBalance {
                        site: s,
                        product: p,
                        class: split.then_some(k),
                        t,
                    },
                    terms.iter().copied(),
                    Sense::Eq,
                    rhs,
                );
            }
        }
    }
    let mut held_at: Vec<Vec<usize>> = vec![Vec::new(); sc.sites.len()];
    for &(s, p) in &cx.cols.holdings {
        held_at[s].push(p);
    }
    for (s, site) in sc.sites.iter().enumerate() {
        let Some(cap) = &site.inventory_capacity else {
            continue;
        };
        if held_at[s].is_empty() {
            continue;
        }
        for (t, &cap) in cap.iter().enumerate() {
            let terms = held_at[s]
                .iter()
                .flat_map(|&p| cx.stock_classes(s, p, t).map(|(_, c)| (c, 1.0)));
            lp.add_row(
                RowKey::InventoryCapacity { site: s, t },
                terms,
                Sense::Le,
                cap,
            );
        }
    }
    for (limit, cap) in sc.storage_limits.iter().enumerate() {
        for (t, &x) in cap.capacity.iter().enumerate() {
            terms.clear();
            terms.extend(
                cx.stock_classes(cap.site, cap.product, t)
                    .map(|(_, c)| (c, 1.0)),
            );
            if terms.is_empty() {
                continue;
            }
            lp.add_row(
                RowKey::ProductStorage { limit, t },
                terms.iter().copied(),
                Sense::Le,
                x,
            );
        }
    }
    let Some(last) = n_t.checked_sub(1) else {
        return;
    };
    for ((s, p), &x) in sc.final_stock.indexed_iter() {
        if x <= 0.0 {
            continue;
        }
        terms.clear();
        terms.extend(cx.stock_classes(s, p, last).map(|(_, c)| (c, 1.0)));
        lp.add_row(
            RowKey::FinalStock {
                site: s,
                product: p,
            },
            terms.iter().copied(),
            Sense::Ge,
            x,
        );
    }
}
