//! The multi-tier part of a plan ([`NetworkPlan`]): nodes by tier, flows, component
//! consumption, resources, throughput, lane use and value content. Only for networks
//! more than one tier deep (or with a value-content rule); a one-tier plan has none.

use super::snap;
use crate::network::{Dest, Network};
use crate::plan::{
    ConsumptionRow, FlowRow, LaneUseRow, NetworkPlan, NodeKind, NodeRow, ResourceRow, ThroughputRow,
};
use crate::policy::{Facts, PolicyRule};
use crate::scenario::Scenario;

pub(super) fn network_plan(sc: &Scenario, facts: &Facts) -> Option<NetworkPlan> {
    let net = facts.net;
    if !net.multi_tier() && !has_value_content(sc) {
        return None;
    }
    Some(NetworkPlan {
        nodes: nodes(net),
        flows: flows(facts),
        consumption: consumption(facts),
        resources: resources(facts),
        throughput: throughput(facts),
        lane_use: lane_use(facts),
        value_content: value_content(sc, facts),
    })
}

/// Columns of the diagram: a site's tier is the longest chain of lanes that can feed
/// it (cycles cut at the number of sites), hubs included; markets come last.
pub(super) fn tiers(net: &Network) -> Vec<usize> {
    let n = net.sites.len();
    let mut tier = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for lane in &net.lanes {
            if let Dest::Site(d) = lane.to {
                let candidate = (tier[lane.from] + 1).min(n);
                if candidate > tier[d] {
                    tier[d] = candidate;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Close the gaps: tiers 0, 1, 2, … in order.
    let mut used: Vec<usize> = tier.clone();
    used.sort_unstable();
    used.dedup();
    tier.iter()
        .map(|t| used.iter().position(|u| u == t).unwrap_or(0))
        .collect()
}

fn nodes(net: &Network) -> Vec<NodeRow> {
    let tier = tiers(net);
    let blocs_of = |country: &str| -> Vec<String> {
        net.blocs
            .iter()
            .filter(|b| b.countries.iter().any(|c| c == country))
            .map(|b| b.name.clone())
            .collect()
    };
    let last = tier.iter().copied().max().map_or(0, |t| t + 1);
    let mut out: Vec<NodeRow> = net
        .sites
        .iter()
        .zip(&tier)
        .map(|(s, &t)| NodeRow {
            id: s.id.clone(),
            kind: if s.hub { NodeKind::Hub } else { NodeKind::Site },
            country: s.country.clone(),
            blocs: blocs_of(&s.country),
            tier: t,
        })
        .collect();
    out.sort_by_key(|n| n.tier);
    out.extend(net.markets.iter().map(|m| NodeRow {
        id: m.id.clone(),
        kind: NodeKind::Market,
        country: m.country.clone(),
        blocs: blocs_of(&m.country),
        tier: last,
    }));
    out
}

fn flows(facts: &Facts) -> Vec<FlowRow> {
    let (net, a) = (facts.net, facts.alloc);
    let mut out = Vec::new();
    for (l, lane) in net.lanes.iter().enumerate() {
        for p in 0..net.products.len() {
            let tracked = net.origins.tracked(p);
            // Units per class over the horizon.
            let mut by_class: Vec<(u16, f64)> = Vec::new();
            for t in 0..net.n_periods() {
                for (k, q) in a.shipped_by_class(net, l, p, t) {
                    let k = if tracked { k } else { 0 };
                    match by_class.iter_mut().find(|e| e.0 == k) {
                        Some(e) => e.1 += q,
                        None => by_class.push((k, q)),
                    }
                }
            }
            for (k, q) in by_class {
                let q = snap(q, &[]);
                if q == 0.0 {
                    continue;
                }
                out.push(FlowRow {
                    from: net.sites[lane.from].id.clone(),
                    to: net.dest_id(l).to_string(),
                    mode: lane.mode.clone(),
                    product: net.products[p].id.clone(),
                    origin: tracked.then(|| net.origins.label(p, k)),
                    to_market: lane.market().is_some(),
                    quantity: q,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.quantity
            .total_cmp(&x.quantity)
            .then_with(|| (&x.from, &x.to, &x.product).cmp(&(&y.from, &y.to, &y.product)))
    });
    out
}

fn consumption(facts: &Facts) -> Vec<ConsumptionRow> {
    let (net, a) = (facts.net, facts.alloc);
    let mut out = Vec::new();
    for u in &net.bom_uses {
        let mk = &net.makes[u.make];
        for t in 0..net.n_periods() {
            let q = snap(u.qty * a.production[[mk.site, mk.product, t]], &[]);
            if q != 0.0 {
                out.push(ConsumptionRow {
                    site: net.sites[mk.site].id.clone(),
                    product: net.products[mk.product].id.clone(),
                    component: net.products[u.component].id.clone(),
                    period: net.periods[t].clone(),
                    quantity: q,
                });
            }
        }
    }
    out
}

fn resources(facts: &Facts) -> Vec<ResourceRow> {
    let (net, a) = (facts.net, facts.alloc);
    let mut out = Vec::new();
    let row = |site: usize, resource: &str, t: usize, capacity: f64, used: f64| {
        let used = snap(used, &[capacity]);
        ResourceRow {
            site: net.sites[site].id.clone(),
            resource: resource.to_string(),
            period: net.periods[t].clone(),
            capacity,
            used,
            utilization: if capacity > 0.0 {
                snap(used / capacity, &[1.0])
            } else {
                0.0
            },
        }
    };
    for (s, site) in net.sites.iter().enumerate() {
        let named: Vec<usize> = (0..net.resources.len())
            .filter(|&r| net.resources[r].site == s)
            .collect();
        if named.is_empty() {
            continue;
        }
        for t in 0..net.n_periods() {
            if site.default_resource {
                out.push(row(
                    s,
                    "default",
                    t,
                    net.capacity[[s, t]],
                    facts.loads[[s, t]],
                ));
            }
            for &r in &named {
                let used: f64 =
                    net.makes
                        .iter()
                        .enumerate()
                        .filter(|(_, mk)| mk.site == s)
                        .flat_map(|(k, mk)| {
                            net.make_uses[k].iter().filter(|(x, _)| *x == r).map(
                                move |(_, amount)| amount * a.production[[mk.site, mk.product, t]],
                            )
                        })
                        .sum();
                out.push(row(
                    s,
                    &net.resources[r].name,
                    t,
                    net.resources[r].capacity[t],
                    used,
                ));
            }
        }
    }
    out
}

fn throughput(facts: &Facts) -> Vec<ThroughputRow> {
    let (net, a) = (facts.net, facts.alloc);
    let mut out = Vec::new();
    for (s, site) in net.sites.iter().enumerate() {
        if !site.hub && site.throughput.is_none() {
            continue;
        }
        for t in 0..net.n_periods() {
            let arrived: f64 = facts.lanes.into_site[s]
                .iter()
                .filter_map(|&l| {
                    let lead = net.lanes[l].lead_time;
                    (lead <= t).then(|| {
                        (0..net.products.len())
                            .map(|p| a.shipments[[l, p, t - lead]])
                            .sum::<f64>()
                    })
                })
                .sum();
            let departed: f64 = facts.lanes.by_site[s]
                .iter()
                .map(|&l| {
                    (0..net.products.len())
                        .map(|p| a.shipments[[l, p, t]])
                        .sum::<f64>()
                })
                .sum();
            let stock: f64 = (0..net.products.len())
                .map(|p| a.inventory[[s, p, t]])
                .sum();
            let capacity = site.throughput.as_ref().and_then(|c| c.get(t).copied());
            out.push(ThroughputRow {
                site: site.id.clone(),
                period: net.periods[t].clone(),
                capacity,
                arrived: snap(arrived, capacity.as_slice()),
                departed: snap(departed, &[]),
                stock: snap(stock, &[]),
            });
        }
    }
    out
}

fn lane_use(facts: &Facts) -> Vec<LaneUseRow> {
    let (net, a) = (facts.net, facts.alloc);
    let mut out = Vec::new();
    for (l, lane) in net.lanes.iter().enumerate() {
        let Some(capacity) = &lane.capacity else {
            continue;
        };
        for (t, &cap) in capacity.iter().enumerate() {
            let used: f64 = (0..net.products.len())
                .map(|p| a.shipments[[l, p, t]])
                .sum();
            out.push(LaneUseRow {
                from: net.sites[lane.from].id.clone(),
                to: net.dest_id(l).to_string(),
                mode: lane.mode.clone(),
                period: net.periods[t].clone(),
                capacity: cap,
                used: snap(used, &[cap]),
            });
        }
    }
    out
}

/// Value-content rows of every policy that has them, snapped.
pub(super) fn value_content(sc: &Scenario, facts: &Facts) -> Vec<crate::plan::ValueContentRow> {
    sc.policies
        .iter()
        .flat_map(|p| p.rule.value_content(&p.name, facts))
        .map(|mut row| {
            row.produced = snap(row.produced, &[]);
            row.value = snap(row.value, &[]);
            row.value_added = snap(row.value_added, &[]);
            row.regional_components = snap(row.regional_components, &[]);
            row.other_components = snap(row.other_components, &[]);
            row.share = row.share.map(|s| snap(s, &[row.target]));
            row.met = row.met || row.share == Some(row.target);
            row.margin_points = row.share.map(|s| snap((s - row.target) * 100.0, &[0.0]));
            for s in &mut row.sources {
                s.value = snap(s.value, &[]);
                s.share = snap(s.share, &[]);
            }
            row
        })
        .collect()
}

/// Does the scenario have a value-content rule?
pub(super) fn has_value_content(sc: &Scenario) -> bool {
    sc.policies
        .iter()
        .any(|p| matches!(p.rule, PolicyRule::RegionalValueContent(_)))
}
