//! Multi-tier rows: named resources Σ_p uses·x[s,p,t] ≤ capacity_r[s,t]; throughput
//! Σ arrivals[s,t] ≤ throughput[s,t] at a site or hub; lane capacity Σ_p y[l,p,t] ≤
//! capacity[l,t] by departure period; and, where a component's stock is split by origin
//! class, Σ_k consumption[u,k,t] = qty·x[make,t].

use super::keys::RowKey;
use super::model::Sense;
use super::Builder;

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    let n_t = sc.n_periods();
    let mut terms: Vec<(usize, f64)> = Vec::new();
    for (r, resource) in sc.resources.iter().enumerate() {
        for t in 0..resource.capacity.len() {
            terms.clear();
            for &k in &cx.makes_by_site[resource.site] {
                for &(used, amount) in &sc.make_uses[k] {
                    if used == r {
                        terms.extend(cx.cols.production[[k, t]].map(|c| (c, amount)));
                    }
                }
            }
            if terms.is_empty() {
                continue;
            }
            let cap = cx.resource_capacity(r, t);
            for (i, (extra, rhs)) in cap.at_most(1.0).into_iter().enumerate() {
                let key = if i == 0 {
                    RowKey::Resource { resource: r, t }
                } else {
                    RowKey::OpenResource { resource: r, t }
                };
                lp.add_row(key, terms.iter().copied().chain(extra), Sense::Le, rhs);
            }
        }
    }
    for (s, site) in sc.sites.iter().enumerate() {
        let Some(throughput) = &site.throughput else {
            continue;
        };
        for (t, &cap) in throughput.iter().enumerate() {
            terms.clear();
            for &lane in &cx.lanes.into_site[s] {
                let lead = sc.lanes[lane].lead_time;
                if lead > t {
                    continue;
                }
                for p in 0..sc.products.len() {
                    terms.extend(
                        cx.shipment_classes(lane, p, t - lead)
                            .map(|(_, c)| (c, 1.0)),
                    );
                }
            }
            if terms.is_empty() {
                continue;
            }
            // A site that may close takes nothing in while closed: throughput × open.
            match cx.cols.decisions.open[[s, t]] {
                Some(w) => lp.add_row(
                    RowKey::Throughput { site: s, t },
                    terms.iter().copied().chain([(w, -cap)]),
                    Sense::Le,
                    0.0,
                ),
                None => lp.add_row(
                    RowKey::Throughput { site: s, t },
                    terms.iter().copied(),
                    Sense::Le,
                    cap,
                ),
            };
        }
    }
    for (l, lane) in sc.lanes.iter().enumerate() {
        let Some(capacity) = &lane.capacity else {
            continue;
        };
        for (t, &cap) in capacity.iter().enumerate() {
            terms.clear();
            for p in 0..sc.products.len() {
                terms.extend(cx.shipment_classes(l, p, t).map(|(_, c)| (c, 1.0)));
            }
            if terms.is_empty() {
                continue;
            }
            lp.add_row(
                RowKey::LaneCapacity { lane: l, t },
                terms.iter().copied(),
                Sense::Le,
                cap,
            );
        }
    }
    for (u, bom_use) in sc.bom_uses.iter().enumerate() {
        for t in 0..n_t {
            let Some(first) = cx.cols.consumption[[u, t]] else {
                continue;
            };
            let site = sc.makes[bom_use.make].site;
            let n = sc.origins.at(site, bom_use.component).len();
            terms.clear();
            terms.extend((first..first + n).map(|c| (c, 1.0)));
            terms.extend(cx.cols.production[[bom_use.make, t]].map(|c| (c, -bom_use.qty)));
            lp.add_row(
                RowKey::ConsumptionSplit { bom_use: u, t },
                terms.iter().copied(),
                Sense::Eq,
                0.0,
            );
        }
    }
}
