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
    let mixes = untracked_mixes(facts);
    let mut out = Vec::new();
    for (l, lane) in net.lanes.iter().enumerate() {
        for p in 0..net.products.len() {
            // Units per origin over the horizon: by class where the origin is tracked,
            // else by the sending site's mix of origin countries.
            let mut by_origin: Vec<(String, f64)> = Vec::new();
            let mut add =
                |origin: String, q: f64| match by_origin.iter_mut().find(|e| e.0 == origin) {
                    Some(e) => e.1 += q,
                    None => by_origin.push((origin, q)),
                };
            for t in 0..net.n_periods() {
                for (k, q) in a.shipped_by_class(net, l, p, t) {
                    if q == 0.0 {
                        continue;
                    }
                    if net.origins.tracked(p) {
                        add(net.origins.label(p, k), q);
                    } else {
                        for (country, share) in &mixes[lane.from][p] {
                            add(net.origins.countries[*country].clone(), q * share);
                        }
                    }
                }
            }
            for (origin, q) in by_origin {
                let q = snap(q, &[]);
                if q == 0.0 {
                    continue;
                }
                out.push(FlowRow {
                    from: net.sites[lane.from].id.clone(),
                    to: net.dest_id(l).to_string(),
                    mode: lane.mode.clone(),
                    product: net.products[p].id.clone(),
                    origin: Some(origin),
                    to_market: lane.market().is_some(),
                    quantity: q,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.quantity.total_cmp(&x.quantity).then_with(|| {
            (&x.from, &x.to, &x.product, &x.origin).cmp(&(&y.from, &y.to, &y.product, &y.origin))
        })
    });
    out
}

/// For products whose origin no policy tracks: per site and product, the share of each
/// origin country in what the site held over the horizon (made there or held from the
/// start: its own country; received: in the mix of the sender), computed by passing the
/// mixes along the lanes until they settle. An estimate where goods of several origins
/// mix in stock; exact where each site has one source.
fn untracked_mixes(facts: &Facts) -> Vec<Vec<Vec<(usize, f64)>>> {
    let (net, a) = (facts.net, facts.alloc);
    let (n_s, n_p, n_t) = (net.sites.len(), net.products.len(), net.n_periods());
    let own = |s: usize, p: usize| -> f64 {
        net.initial_inventory[[s, p]] + (0..n_t).map(|t| a.production[[s, p, t]]).sum::<f64>()
    };
    let received = |l: usize, p: usize| -> f64 {
        let lead = net.lanes[l].lead_time;
        (0..n_t.saturating_sub(lead))
            .map(|t| a.shipments[[l, p, t]])
            .sum()
    };
    let mut mixes: Vec<Vec<Vec<(usize, f64)>>> = vec![vec![Vec::new(); n_p]; n_s];
    // Start from each site's own country; then settle the mix through the lanes (a
    // few passes: one per tier, bounded for cycles).
    for pass in 0..=n_s.min(16) {
        let mut changed = false;
        for s in 0..n_s {
            for p in 0..n_p {
                if net.origins.tracked(p) || !net.origins.holds(s, p) {
                    continue;
                }
                let mut units: Vec<(usize, f64)> = Vec::new();
                let mut put = |c: usize, q: f64| match units.iter_mut().find(|e| e.0 == c) {
                    Some(e) => e.1 += q,
                    None => units.push((c, q)),
                };
                let mine = own(s, p);
                if mine > 0.0 || pass == 0 {
                    put(net.origins.site_country[s], mine.max(f64::MIN_POSITIVE));
                }
                if pass > 0 {
                    for &l in &facts.lanes.into_site[s] {
                        let q = received(l, p);
                        if q <= 0.0 {
                            continue;
                        }
                        for &(c, share) in &mixes[net.lanes[l].from][p] {
                            put(c, q * share);
                        }
                    }
                }
                let total: f64 = units.iter().map(|e| e.1).sum();
                if total <= 0.0 {
                    continue;
                }
                let mut mix: Vec<(usize, f64)> =
                    units.into_iter().map(|(c, q)| (c, q / total)).collect();
                mix.sort_by_key(|e| e.0);
                mix.retain(|e| e.1 > 1e-12);
                let same = mix.len() == mixes[s][p].len()
                    && mix
                        .iter()
                        .zip(&mixes[s][p])
                        .all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() <= 1e-12);
                if !same {
                    mixes[s][p] = mix;
                    changed = true;
                }
            }
        }
        if pass > 0 && !changed {
            break;
        }
    }
    mixes
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
                    a.capacity(net, s, t),
                    facts.loads[[s, t]],
                ));
            }
            for &r in &named {
                let used = a.resource_use(net, r, t);
                out.push(row(
                    s,
                    &net.resources[r].name,
                    t,
                    a.resource_capacity(net, r, t),
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
            let arrived = a.arrived(net, &facts.lanes, s, t);
            let departed: f64 = facts.lanes.by_site[s].iter().map(|&l| a.sent(l, t)).sum();
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
            let used = a.sent(l, t);
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
