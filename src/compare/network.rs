//! The multi-tier part of a comparison: units moved per tier pair and per lane, supply
//! that moved from one source to another, the origin mix of what markets and sites
//! receive, and regional value content.
//!
//! Rules:
//! - Flows are totals over each plan's own horizon (`NetworkPlan::flows`). A plan
//!   without a network is read from its shipments: its sites are tier 0, everything
//!   else it ships to is a market, and a shipment's origin is the shipping site's
//!   country.
//! - Tiers are each plan's own (a node's `tier`); deliveries to markets end in
//!   `markets`. A tier is named after the kinds of its nodes when it holds hubs.
//! - A lane is a (from, to) pair, all modes, products and origins together; a lane in
//!   one plan only counts 0 in the other.
//! - Origin: the flow's `origin` where the plan records one, otherwise the country of
//!   the shipping site (`unknown` when a hub forwards it). A country's blocs are those
//!   its nodes name in the same plan (in the other plan's, when a plan has no network);
//!   an origin that is itself a bloc name counts for that bloc, and an origin class of
//!   several countries (`MX+US`) for the blocs that hold all of them.
//! - Value content rows are matched by (bloc, site, product, window), in order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::volumes::{match_moves, ordered};
use crate::plan::comparison::{
    Delta, LaneFlowDelta, NetworkComparison, OriginMixDelta, OriginShare, Presence, ProductUnits,
    SupplyMove, TierFlowDelta, ValueContentDelta,
};
use crate::plan::{NodeKind, Plan, ValueContentRow};

/// Origin of units whose origin the plan does not record and that a hub forwards.
const UNKNOWN: &str = "unknown";

struct Node {
    kind: NodeKind,
    country: String,
    tier: usize,
    blocs: Vec<String>,
}

struct Flow<'a> {
    from: &'a str,
    to: &'a str,
    to_market: bool,
    product: &'a str,
    origin: Option<&'a str>,
    quantity: f64,
}

/// One plan as a network: nodes by id, flows, value content.
struct View<'a> {
    has_network: bool,
    nodes: BTreeMap<&'a str, Node>,
    /// Node ids in the plan's order.
    order: Vec<&'a str>,
    flows: Vec<Flow<'a>>,
    value_content: &'a [ValueContentRow],
}

impl<'a> View<'a> {
    fn of(plan: &'a Plan) -> View<'a> {
        let mut nodes = BTreeMap::new();
        let mut order = Vec::new();
        match &plan.network {
            Some(net) => {
                for n in &net.nodes {
                    order.push(n.id.as_str());
                    nodes.entry(n.id.as_str()).or_insert_with(|| Node {
                        kind: n.kind,
                        country: n.country.clone(),
                        tier: n.tier,
                        blocs: n.blocs.clone(),
                    });
                }
                View {
                    has_network: true,
                    nodes,
                    order,
                    flows: net
                        .flows
                        .iter()
                        .map(|f| Flow {
                            from: &f.from,
                            to: &f.to,
                            to_market: f.to_market,
                            product: &f.product,
                            origin: f.origin.as_deref(),
                            quantity: f.quantity,
                        })
                        .collect(),
                    value_content: &net.value_content,
                }
            }
            None => {
                for s in &plan.sites {
                    order.push(s.id.as_str());
                    nodes.entry(s.id.as_str()).or_insert_with(|| Node {
                        kind: NodeKind::Site,
                        country: s.country.clone(),
                        tier: 0,
                        blocs: Vec::new(),
                    });
                }
                let sites: BTreeSet<&str> = plan.sites.iter().map(|s| s.id.as_str()).collect();
                for r in &plan.shipments {
                    if !sites.contains(r.to.as_str()) && !nodes.contains_key(r.to.as_str()) {
                        order.push(r.to.as_str());
                        nodes.insert(
                            r.to.as_str(),
                            Node {
                                kind: NodeKind::Market,
                                country: String::new(),
                                tier: 1,
                                blocs: Vec::new(),
                            },
                        );
                    }
                }
                View {
                    has_network: false,
                    nodes,
                    order,
                    flows: plan
                        .shipments
                        .iter()
                        .map(|r| Flow {
                            from: &r.from,
                            to: &r.to,
                            to_market: !sites.contains(r.to.as_str()),
                            product: &r.product,
                            origin: r.origin.as_deref(),
                            quantity: r.quantity,
                        })
                        .collect(),
                    value_content: &[],
                }
            }
        }
    }

    fn country(&self, id: &str) -> Option<&str> {
        self.nodes
            .get(id)
            .map(|n| n.country.as_str())
            .filter(|c| !c.is_empty())
    }

    /// The origin of a flow's units (see the module rules).
    fn origin_of(&self, f: &Flow<'a>) -> String {
        if let Some(o) = f.origin {
            return o.to_string();
        }
        match self.nodes.get(f.from) {
            Some(n) if n.kind == NodeKind::Hub => UNKNOWN.to_string(),
            Some(n) if !n.country.is_empty() => n.country.clone(),
            _ => UNKNOWN.to_string(),
        }
    }

    /// Country → the blocs that hold it, as the plan's nodes name them.
    fn bloc_map(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for n in self.nodes.values() {
            if !n.country.is_empty() {
                out.entry(n.country.clone())
                    .or_default()
                    .extend(n.blocs.iter().cloned());
            }
        }
        out
    }
}

/// Where a flow starts or ends, for the tier pairs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Tier(usize),
    Markets,
    Unlisted,
}

fn from_end(view: &View, f: &Flow) -> End {
    match view.nodes.get(f.from) {
        Some(n) if n.kind == NodeKind::Market => End::Markets,
        Some(n) => End::Tier(n.tier),
        None => End::Unlisted,
    }
}

fn to_end(view: &View, f: &Flow) -> End {
    if f.to_market {
        return End::Markets;
    }
    match view.nodes.get(f.to) {
        Some(n) if n.kind == NodeKind::Market => End::Markets,
        Some(n) => End::Tier(n.tier),
        None => End::Unlisted,
    }
}

fn presence(old: bool, new: bool) -> Presence {
    match (old, new) {
        (true, false) => Presence::OldOnly,
        (false, true) => Presence::NewOnly,
        _ => Presence::Both,
    }
}

/// Largest |change| first; ties keep their order (callers sort by key first).
fn by_change<T>(rows: &mut [T], change: impl Fn(&T) -> f64) {
    rows.sort_by(|a, b| change(b).abs().total_cmp(&change(a).abs()));
}

/// The multi-tier comparison, when either plan has a network.
pub fn network_of(old: &Plan, new: &Plan) -> Option<NetworkComparison> {
    if old.network.is_none() && new.network.is_none() {
        return None;
    }
    let (a, b) = (View::of(old), View::of(new));
    Some(NetworkComparison {
        old_network: a.has_network,
        new_network: b.has_network,
        tiers: tiers(&a, &b),
        lanes: lanes(&a, &b),
        supply_moves: supply_moves(&a, &b),
        origin_mix: origin_mix(&a, &b),
        value_content: value_content(a.value_content, b.value_content),
    })
}

fn tiers(a: &View, b: &View) -> Vec<TierFlowDelta> {
    let totals = |v: &View| {
        let mut out: BTreeMap<(End, End), f64> = BTreeMap::new();
        for f in &v.flows {
            *out.entry((from_end(v, f), to_end(v, f))).or_default() += f.quantity;
        }
        out
    };
    let (x, y) = (totals(a), totals(b));
    // The kinds of the nodes in each tier, over both plans.
    let mut kinds: BTreeMap<usize, BTreeSet<NodeKind>> = BTreeMap::new();
    for n in a.nodes.values().chain(b.nodes.values()) {
        if n.kind != NodeKind::Market {
            kinds.entry(n.tier).or_default().insert(n.kind);
        }
    }
    let name = |e: End| match e {
        End::Markets => "markets".to_string(),
        End::Unlisted => "unlisted nodes".to_string(),
        End::Tier(t) => {
            let k = kinds.get(&t);
            let hubs = k.is_some_and(|k| k.contains(&NodeKind::Hub));
            let sites = k.is_some_and(|k| k.contains(&NodeKind::Site));
            match (sites, hubs) {
                (false, true) => format!("tier {t} (hubs)"),
                (true, true) => format!("tier {t} (sites and hubs)"),
                _ => format!("tier {t}"),
            }
        }
    };
    let keys: BTreeSet<(End, End)> = x.keys().chain(y.keys()).copied().collect();
    let tier_of = |e: End| match e {
        End::Tier(t) => Some(t),
        _ => None,
    };
    let mut rows: Vec<TierFlowDelta> = keys
        .into_iter()
        .map(|(from, to)| TierFlowDelta {
            label: format!("{} → {}", name(from), name(to)),
            from_tier: tier_of(from),
            to_tier: tier_of(to),
            to_markets: to == End::Markets,
            presence: presence(x.contains_key(&(from, to)), y.contains_key(&(from, to))),
            units: Delta::new(
                x.get(&(from, to)).copied().unwrap_or(0.0),
                y.get(&(from, to)).copied().unwrap_or(0.0),
            ),
        })
        .collect();
    by_change(&mut rows, |r| r.units.change);
    rows
}

#[derive(Default)]
struct LaneTotals {
    to_market: bool,
    units: f64,
    products: BTreeMap<String, f64>,
}

fn lanes(a: &View, b: &View) -> Vec<LaneFlowDelta> {
    let totals = |v: &View| {
        let mut out: BTreeMap<(String, String), LaneTotals> = BTreeMap::new();
        for f in &v.flows {
            let t = out
                .entry((f.from.to_string(), f.to.to_string()))
                .or_default();
            t.to_market |= f.to_market;
            t.units += f.quantity;
            *t.products.entry(f.product.to_string()).or_default() += f.quantity;
        }
        out
    };
    let (x, y) = (totals(a), totals(b));
    let keys: BTreeSet<&(String, String)> = x.keys().chain(y.keys()).collect();
    let country = |id: &str| {
        b.country(id)
            .or_else(|| a.country(id))
            .unwrap_or_default()
            .to_string()
    };
    let empty = LaneTotals::default();
    let mut rows: Vec<LaneFlowDelta> = keys
        .into_iter()
        .map(|key| {
            let (p, q) = (x.get(key), y.get(key));
            let (s, t) = (p.unwrap_or(&empty), q.unwrap_or(&empty));
            let products: BTreeSet<&String> = s.products.keys().chain(t.products.keys()).collect();
            LaneFlowDelta {
                from: key.0.clone(),
                from_country: country(&key.0),
                to: key.1.clone(),
                to_country: country(&key.1),
                to_market: s.to_market || t.to_market,
                presence: presence(p.is_some(), q.is_some()),
                units: Delta::new(s.units, t.units),
                products: products
                    .into_iter()
                    .map(|p| ProductUnits {
                        product: p.clone(),
                        delta: Delta::new(
                            s.products.get(p).copied().unwrap_or(0.0),
                            t.products.get(p).copied().unwrap_or(0.0),
                        ),
                    })
                    .filter(|p| p.delta.changed())
                    .collect(),
            }
        })
        .collect();
    by_change(&mut rows, |r| r.units.change);
    rows
}

fn supply_moves(a: &View, b: &View) -> Vec<SupplyMove> {
    // (into, product) → source → units.
    type Supply = BTreeMap<(String, String), BTreeMap<String, f64>>;
    let totals = |v: &View| {
        let mut out: Supply = BTreeMap::new();
        for f in &v.flows {
            *out.entry((f.to.to_string(), f.product.to_string()))
                .or_default()
                .entry(f.from.to_string())
                .or_default() += f.quantity;
        }
        out
    };
    let (x, y) = (totals(a), totals(b));
    let markets: BTreeSet<&str> = a
        .flows
        .iter()
        .chain(&b.flows)
        .filter(|f| f.to_market)
        .map(|f| f.to)
        .collect();
    let keys: BTreeSet<&(String, String)> = x.keys().chain(y.keys()).collect();
    let none = BTreeMap::new();
    let mut out = Vec::new();
    for key in keys {
        let (s, t) = (x.get(key).unwrap_or(&none), y.get(key).unwrap_or(&none));
        let sources = ordered(s.keys().map(String::as_str), t.keys().map(String::as_str));
        let changes: Vec<(String, String, Delta)> = sources
            .into_iter()
            .map(|src| {
                let c = b
                    .country(&src)
                    .or_else(|| a.country(&src))
                    .unwrap_or_default()
                    .to_string();
                let d = Delta::new(
                    s.get(&src).copied().unwrap_or(0.0),
                    t.get(&src).copied().unwrap_or(0.0),
                );
                (src, c, d)
            })
            .collect();
        for m in match_moves(&key.1, &changes) {
            out.push(SupplyMove {
                product: m.product,
                into: key.0.clone(),
                into_market: markets.contains(key.0.as_str()),
                units: m.units,
                from: m.from,
                from_country: m.from_country,
                to: m.to,
                to_country: m.to_country,
            });
        }
    }
    out.sort_by(|x, y| {
        y.units
            .total_cmp(&x.units)
            .then_with(|| x.product.cmp(&y.product))
            .then_with(|| x.into.cmp(&y.into))
            .then_with(|| x.from.cmp(&y.from))
            .then_with(|| x.to.cmp(&y.to))
    });
    out
}

/// (receiver, product) → origin → units; receiver `None` is the markets.
type Mix = BTreeMap<(Option<String>, String), BTreeMap<String, f64>>;

fn mix_of(v: &View) -> Mix {
    let mut out: Mix = BTreeMap::new();
    for f in &v.flows {
        let receiver = (!f.to_market).then(|| f.to.to_string());
        *out.entry((receiver, f.product.to_string()))
            .or_default()
            .entry(v.origin_of(f))
            .or_default() += f.quantity;
    }
    out
}

/// Origin → units, summed into the blocs that hold each origin.
fn by_bloc(
    origins: &BTreeMap<String, f64>,
    blocs: &BTreeMap<String, BTreeSet<String>>,
    names: &BTreeSet<String>,
) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (origin, units) in origins {
        // An origin class of several countries (`MX+US`) is in the blocs that hold
        // every one of them.
        let mut parts = origin.split('+');
        let first = parts.next().unwrap_or_default();
        let mut of: BTreeSet<&String> = blocs.get(first).into_iter().flatten().collect();
        for part in parts {
            let held: BTreeSet<&String> = blocs.get(part).into_iter().flatten().collect();
            of = of.intersection(&held).copied().collect();
        }
        if names.contains(origin) {
            of.insert(origin);
        }
        for bloc in of {
            *out.entry(bloc.clone()).or_default() += units;
        }
    }
    out
}

fn shares(
    old: &BTreeMap<String, f64>,
    new: &BTreeMap<String, f64>,
    totals: (f64, f64),
) -> Vec<OriginShare> {
    let share = |units: f64, total: f64| (total > 0.0).then(|| units / total);
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut rows: Vec<OriginShare> = keys
        .into_iter()
        .map(|k| {
            let (x, y) = (
                old.get(k).copied().unwrap_or(0.0),
                new.get(k).copied().unwrap_or(0.0),
            );
            let (share_old, share_new) = (share(x, totals.0), share(y, totals.1));
            OriginShare {
                origin: k.clone(),
                units: Delta::new(x, y),
                share_old,
                share_new,
                points: share_old.zip(share_new).map(|(p, q)| 100.0 * (q - p)),
            }
        })
        .collect();
    by_change(&mut rows, |r| r.points.unwrap_or(0.0));
    rows
}

fn origin_mix(a: &View, b: &View) -> Vec<OriginMixDelta> {
    let (x, y) = (mix_of(a), mix_of(b));
    let (mut blocs_a, mut blocs_b) = (a.bloc_map(), b.bloc_map());
    // A plan without a network names no blocs: it borrows the other plan's.
    if !a.has_network {
        blocs_a = blocs_b.clone();
    }
    if !b.has_network {
        blocs_b = blocs_a.clone();
    }
    let names: BTreeSet<String> = blocs_a
        .values()
        .chain(blocs_b.values())
        .flatten()
        .cloned()
        .collect();
    let keys: BTreeSet<&(Option<String>, String)> = x.keys().chain(y.keys()).collect();
    let none = BTreeMap::new();
    let mut rows: Vec<OriginMixDelta> = keys
        .into_iter()
        .map(|key| {
            let (s, t) = (x.get(key).unwrap_or(&none), y.get(key).unwrap_or(&none));
            let totals = (s.values().sum::<f64>(), t.values().sum::<f64>());
            OriginMixDelta {
                receiver: key.0.clone(),
                product: key.1.clone(),
                units: Delta::new(totals.0, totals.1),
                countries: shares(s, t, totals),
                blocs: shares(
                    &by_bloc(s, &blocs_a, &names),
                    &by_bloc(t, &blocs_b, &names),
                    totals,
                ),
            }
        })
        .collect();
    // Markets first, then receivers in the plans' node order; within each, the largest
    // change in any share first.
    let rank = ordered(a.order.iter().copied(), b.order.iter().copied());
    let place = |r: &OriginMixDelta| match &r.receiver {
        None => 0,
        Some(id) => 1 + rank.iter().position(|x| x == id).unwrap_or(rank.len()),
    };
    let largest = |r: &OriginMixDelta| {
        r.countries
            .iter()
            .chain(&r.blocs)
            .filter_map(|s| s.points)
            .fold(0.0_f64, |m, p| m.max(p.abs()))
    };
    rows.sort_by(|p, q| {
        (p.receiver.is_some())
            .cmp(&q.receiver.is_some())
            .then_with(|| largest(q).total_cmp(&largest(p)))
            .then_with(|| place(p).cmp(&place(q)))
            .then_with(|| p.product.cmp(&q.product))
    });
    rows
}

fn component_share(r: &ValueContentRow) -> Option<f64> {
    let all = r.regional_components + r.other_components;
    (all > 0.0).then(|| r.regional_components / all)
}

fn value_content(old: &[ValueContentRow], new: &[ValueContentRow]) -> Vec<ValueContentDelta> {
    let key = |r: &ValueContentRow| {
        (
            r.bloc.clone(),
            r.site.clone(),
            r.product.clone(),
            r.period.clone(),
        )
    };
    // Indices of the new plan's rows by key, in order, taken as they are matched.
    let mut pending: BTreeMap<_, VecDeque<usize>> = BTreeMap::new();
    for (i, r) in new.iter().enumerate() {
        pending.entry(key(r)).or_default().push_back(i);
    }
    let mut taken = vec![false; new.len()];
    let mut pairs: Vec<(Option<&ValueContentRow>, Option<&ValueContentRow>)> = Vec::new();
    for r in old {
        let j = pending.get_mut(&key(r)).and_then(VecDeque::pop_front);
        if let Some(j) = j {
            taken[j] = true;
        }
        pairs.push((Some(r), j.and_then(|j| new.get(j))));
    }
    pairs.extend(
        new.iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(r, _)| (None, Some(r))),
    );
    pairs
        .into_iter()
        .filter_map(|(o, n)| {
            let any = o.or(n)?;
            let points = |p: Option<f64>, q: Option<f64>| p.zip(q).map(|(p, q)| 100.0 * (q - p));
            let (share_old, share_new) = (o.and_then(|r| r.share), n.and_then(|r| r.share));
            let (cs_old, cs_new) = (o.and_then(component_share), n.and_then(component_share));
            Some(ValueContentDelta {
                old_policy: o.map(|r| r.policy.clone()),
                new_policy: n.map(|r| r.policy.clone()),
                bloc: any.bloc.clone(),
                site: any.site.clone(),
                product: any.product.clone(),
                period: any.period.clone(),
                presence: presence(o.is_some(), n.is_some()),
                produced: Delta::new(o.map_or(0.0, |r| r.produced), n.map_or(0.0, |r| r.produced)),
                share_old,
                share_new,
                points: points(share_old, share_new),
                target_old: o.map(|r| r.target),
                target_new: n.map(|r| r.target),
                margin_old: o.and_then(|r| r.margin_points),
                margin_new: n.and_then(|r| r.margin_points),
                met_old: o.map(|r| r.met),
                met_new: n.map(|r| r.met),
                component_share_old: cs_old,
                component_share_new: cs_new,
                component_points: points(cs_old, cs_new),
            })
        })
        .collect()
}
