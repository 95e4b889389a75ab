//! The verifier's multi-tier checks: named resources, throughput, lane capacity, stock
//! per product and at the end, and the split of stock, shipments and component
//! consumption by origin class (each class balances on its own, the classes add up to
//! the totals, and a class arrives only where it can be).

use super::Checker;
use crate::allocation::{Allocation, LaneIndex};
use crate::scenario::Scenario;

/// Units of `product` consumed at `site` in `t` to make other products.
pub(super) fn consumed(
    sc: &Scenario,
    a: &Allocation,
    site: usize,
    product: usize,
    t: usize,
) -> f64 {
    sc.bom_uses
        .iter()
        .filter(|u| u.component == product && sc.makes[u.make].site == site)
        .map(|u| {
            let mk = &sc.makes[u.make];
            u.qty * a.production[[mk.site, mk.product, t]]
        })
        .sum()
}

pub(super) fn check(sc: &Scenario, a: &Allocation, index: &LaneIndex, c: &mut Checker) {
    let n_t = sc.n_periods();
    let period = |t: usize| sc.periods[t].as_str();

    for (r, resource) in sc.resources.iter().enumerate() {
        let site = &sc.sites[resource.site];
        for t in 0..resource.capacity.len() {
            // × open, plus the expansions built so far.
            let cap = a.resource_capacity(sc, r, t);
            let used = a.resource_use(sc, r, t);
            c.check(used - cap, cap, || {
                format!("resource {} at {} in {}", resource.name, site.id, period(t))
            });
        }
    }

    for (s, site) in sc.sites.iter().enumerate() {
        let Some(throughput) = &site.throughput else {
            continue;
        };
        for (t, &cap) in throughput.iter().enumerate() {
            let cap = cap * a.decisions.open[[s, t]];
            let arrived = a.arrived(sc, index, s, t);
            c.check(arrived - cap, cap, || {
                format!("throughput at {} in {}", site.id, period(t))
            });
        }
    }

    for (l, lane) in sc.lanes.iter().enumerate() {
        let Some(capacity) = &lane.capacity else {
            continue;
        };
        for (t, &cap) in capacity.iter().enumerate() {
            let sent = a.sent(l, t);
            c.check(sent - cap, cap, || {
                format!("capacity of lane {} in {}", sc.lane_label(l), period(t))
            });
        }
    }

    for limit in &sc.storage_limits {
        for (t, &cap) in limit.capacity.iter().enumerate() {
            let held = a.inventory[[limit.site, limit.product, t]];
            c.check(held - cap, cap, || {
                format!(
                    "storage of {} at {} in {}",
                    sc.products[limit.product].id,
                    sc.sites[limit.site].id,
                    period(t)
                )
            });
        }
    }
    if let Some(last) = n_t.checked_sub(1) {
        for ((s, p), &x) in sc.final_stock.indexed_iter() {
            if x > 0.0 {
                let held = a.inventory[[s, p, last]];
                c.check(x - held, x, || {
                    format!("final stock of {} at {}", sc.products[p].id, sc.sites[s].id)
                });
            }
        }
    }

    origin_classes(sc, a, index, c);
}

/// Stock, shipments and consumption by origin class.
fn origin_classes(sc: &Scenario, a: &Allocation, index: &LaneIndex, c: &mut Checker) {
    let n_t = sc.n_periods();
    let period = |t: usize| sc.periods[t].as_str();
    let o = &sc.origins;

    // Each split adds up to its total, in classes that can be there, none negative.
    let parts = |what: &dyn Fn() -> String, total: f64, split: &[f64], c: &mut Checker| {
        let sum: f64 = split.iter().sum();
        c.check(
            (sum - total).abs(),
            total.abs() + split.iter().map(|x| x.abs()).sum::<f64>(),
            || format!("{} by origin adds up", what()),
        );
        for &x in split {
            c.check(-x, 0.0, || format!("{} by origin ≥ 0", what()));
        }
    };
    for (&(l, p, t), split) in &a.shipment_classes {
        let lane = &sc.lanes[l];
        let what = || {
            format!(
                "shipment {} of {} in {}",
                sc.lane_label(l),
                sc.products[p].id,
                period(t)
            )
        };
        if split.len() != o.at(lane.from, p).len() {
            c.check(f64::INFINITY, 0.0, || {
                format!("{} has the wrong origin classes", what())
            });
            continue;
        }
        parts(&what, a.shipments[[l, p, t]], split, c);
    }
    for (&(s, p, t), split) in &a.inventory_classes {
        let what = || {
            format!(
                "stock of {} at {} in {}",
                sc.products[p].id,
                sc.sites[s].id,
                period(t)
            )
        };
        if split.len() != o.at(s, p).len() {
            c.check(f64::INFINITY, 0.0, || {
                format!("{} has the wrong origin classes", what())
            });
            continue;
        }
        parts(&what, a.inventory[[s, p, t]], split, c);
    }
    for (&(u, t), split) in &a.consumption_classes {
        let bom_use = &sc.bom_uses[u];
        let mk = &sc.makes[bom_use.make];
        let what = || {
            format!(
                "consumption of {} for {} at {} in {}",
                sc.products[bom_use.component].id,
                sc.products[mk.product].id,
                sc.sites[mk.site].id,
                period(t)
            )
        };
        if split.len() != o.at(mk.site, bom_use.component).len() {
            c.check(f64::INFINITY, 0.0, || {
                format!("{} has the wrong origin classes", what())
            });
            continue;
        }
        parts(
            &what,
            bom_use.qty * a.production[[mk.site, mk.product, t]],
            split,
            c,
        );
    }

    // A class arrives only where it can be.
    for (s, site) in sc.sites.iter().enumerate() {
        for &l in &index.into_site[s] {
            let lead = sc.lanes[l].lead_time;
            for p in 0..sc.products.len() {
                for t in 0..n_t.saturating_sub(lead) {
                    for (k, y) in a.shipped_by_class(sc, l, p, t) {
                        if y != 0.0 && !o.at(s, p).contains(&k) {
                            c.check(y.abs(), 0.0, || {
                                format!(
                                    "{} of {} from {} cannot be at {}",
                                    o.label(p, k),
                                    sc.products[p].id,
                                    sc.lane_label(l),
                                    site.id
                                )
                            });
                        }
                    }
                }
            }
        }
    }

    // Each class balances on its own where stock is split by class.
    for (s, site) in sc.sites.iter().enumerate() {
        for p in 0..sc.products.len() {
            let classes = o.at(s, p);
            if classes.len() <= 1 {
                continue;
            }
            let own = o.own_class(s, p);
            for (i, &k) in classes.iter().enumerate() {
                let mut previous = if k == own {
                    sc.initial_inventory[[s, p]]
                } else {
                    0.0
                };
                for t in 0..n_t {
                    let class_of = |it: &mut dyn Iterator<Item = (u16, f64)>| -> f64 {
                        it.filter(|(x, _)| *x == k).map(|(_, y)| y).sum()
                    };
                    let shipped: f64 = index.by_site[s]
                        .iter()
                        .map(|&l| class_of(&mut a.shipped_by_class(sc, l, p, t)))
                        .sum();
                    let arrived: f64 = index.into_site[s]
                        .iter()
                        .filter_map(|&l| {
                            let lead = sc.lanes[l].lead_time;
                            (lead <= t)
                                .then(|| class_of(&mut a.shipped_by_class(sc, l, p, t - lead)))
                        })
                        .sum();
                    let consumed: f64 = sc
                        .bom_uses
                        .iter()
                        .enumerate()
                        .filter(|(_, u)| u.component == p && sc.makes[u.make].site == s)
                        .map(|(u, _)| class_of(&mut a.consumed_by_class(sc, u, t)))
                        .sum();
                    let made = if k == own {
                        a.production[[s, p, t]]
                    } else {
                        0.0
                    };
                    let held = a
                        .inventory_classes
                        .get(&(s, p, t))
                        .and_then(|v| v.get(i).copied())
                        .unwrap_or(0.0);
                    let expected = previous + made + arrived - shipped - consumed;
                    let terms = previous.abs()
                        + made.abs()
                        + arrived.abs()
                        + shipped.abs()
                        + consumed.abs()
                        + held.abs();
                    c.check((held - expected).abs(), terms, || {
                        format!(
                            "balance of {}-origin {} at {} in {}",
                            o.label(p, k),
                            sc.products[p].id,
                            site.id,
                            period(t)
                        )
                    });
                    previous = held;
                }
            }
        }
    }
}
