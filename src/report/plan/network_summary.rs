//! The multi-tier part of a plan summarised for people, shared by `report.md`,
//! `report.html` and the findings: flows between tiers and between nodes, each resource,
//! hub and lane over the horizon, component consumption, and the value-content rows of
//! each (rule, site, product). Plain arithmetic on [`NetworkPlan`], and the one way a
//! margin in points is written.

use std::collections::BTreeMap;

use crate::plan::{NetworkPlan, NodeKind, NodeRow, ValueContentRow};

/// Units below this are solver noise, not a flow.
pub const FLOW_SHOWN: f64 = 0.5;

/// `used` fills `capacity` (within a millionth of it, or of one unit).
pub fn at_capacity(used: f64, capacity: f64) -> bool {
    capacity > 0.0 && used >= capacity - 1e-6 * capacity.max(1.0)
}

/// A margin in percentage points with its sign: `+3.1`, `-2.0`, `0.0`.
pub fn signed_points(points: f64) -> String {
    if points.abs() < 0.05 {
        "0.0".to_string()
    } else {
        format!("{points:+.1}")
    }
}

/// used / capacity, 0 when there is no capacity.
pub fn ratio(used: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        used / capacity
    } else {
        0.0
    }
}

/// The 10 largest of `rows` by the size of `value` (the plan's order among equals).
pub fn largest<T>(rows: &[T], value: impl Fn(&T) -> f64) -> Vec<&T> {
    let mut sorted: Vec<&T> = rows.iter().collect();
    sorted.sort_by(|a, b| value(b).abs().total_cmp(&value(a).abs()));
    sorted.truncate(10);
    sorted
}

/// The plan has a price of a multi-tier kind.
pub fn has_network_prices(sp: &crate::plan::ShadowPrices) -> bool {
    !(sp.resources.is_empty()
        && sp.lanes.is_empty()
        && sp.throughput.is_empty()
        && sp.value_content.is_empty())
}

/// The node of an id, if the plan lists it.
pub fn node<'a>(net: &'a NetworkPlan, id: &str) -> Option<&'a NodeRow> {
    net.nodes.iter().find(|n| n.id == id)
}

/// A column's name: `markets` when it holds only markets, `tier N` otherwise.
pub fn tier_label(net: &NetworkPlan, tier: usize) -> String {
    let mut nodes = net.nodes.iter().filter(|n| n.tier == tier).peekable();
    if nodes.peek().is_some() && nodes.all(|n| n.kind == NodeKind::Market) {
        "markets".to_string()
    } else {
        format!("tier {tier}")
    }
}

/// Everything that moved from one node to another over the horizon, all products,
/// modes and origins together.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub units: f64,
    /// Units by product, largest first.
    pub products: Vec<(&'a str, f64)>,
}

/// The flows aggregated per (from, to), largest first (ties by from, then to); flows
/// below [`FLOW_SHOWN`] units are left out.
pub fn edges(net: &NetworkPlan) -> Vec<Edge<'_>> {
    let mut by_pair: BTreeMap<(&str, &str), BTreeMap<&str, f64>> = BTreeMap::new();
    for f in &net.flows {
        *by_pair
            .entry((f.from.as_str(), f.to.as_str()))
            .or_default()
            .entry(f.product.as_str())
            .or_insert(0.0) += f.quantity;
    }
    let mut out: Vec<Edge> = by_pair
        .into_iter()
        .map(|((from, to), products)| {
            let mut products: Vec<(&str, f64)> = products.into_iter().collect();
            products.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            Edge {
                from,
                to,
                units: products.iter().map(|p| p.1).sum(),
                products,
            }
        })
        .filter(|e| e.units >= FLOW_SHOWN)
        .collect();
    out.sort_by(|a, b| {
        b.units
            .total_cmp(&a.units)
            .then_with(|| (a.from, a.to).cmp(&(b.from, b.to)))
    });
    out
}

/// The flows from one column of the network to another.
#[derive(Debug, Clone, PartialEq)]
pub struct TierPair<'a> {
    pub from_tier: usize,
    pub to_tier: usize,
    pub units: f64,
    /// Node pairs with a flow.
    pub links: usize,
    /// The largest (from, to, product, units) flow between them.
    pub largest: (&'a str, &'a str, &'a str, f64),
}

/// The flows summed per (tier of `from`, tier of `to`), in tier order; flows between
/// ids the plan does not list as nodes are left out.
pub fn tier_pairs(net: &NetworkPlan) -> Vec<TierPair<'_>> {
    let tiers: BTreeMap<&str, usize> = net.nodes.iter().map(|n| (n.id.as_str(), n.tier)).collect();
    let mut pairs: BTreeMap<(usize, usize), TierPair> = BTreeMap::new();
    for e in edges(net) {
        let (Some(&a), Some(&b)) = (tiers.get(e.from), tiers.get(e.to)) else {
            continue;
        };
        let (product, units) = e.products.first().copied().unwrap_or(("", 0.0));
        let pair = pairs.entry((a, b)).or_insert(TierPair {
            from_tier: a,
            to_tier: b,
            units: 0.0,
            links: 0,
            largest: (e.from, e.to, product, units),
        });
        pair.units += e.units;
        pair.links += 1;
        if units > pair.largest.3 {
            pair.largest = (e.from, e.to, product, units);
        }
    }
    pairs.into_values().collect()
}

/// One resource of one site over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceUse<'a> {
    pub site: &'a str,
    pub resource: &'a str,
    pub used: f64,
    pub capacity: f64,
    /// The period of highest utilization and that utilization.
    pub peak: Option<(&'a str, f64)>,
    /// Periods in which it is used to capacity.
    pub full: usize,
}

/// Every (site, resource), busiest first (ties in the plan's order).
pub fn resources(net: &NetworkPlan) -> Vec<ResourceUse<'_>> {
    let mut out: Vec<ResourceUse> = Vec::new();
    for r in &net.resources {
        let i = match out
            .iter()
            .position(|u| u.site == r.site && u.resource == r.resource)
        {
            Some(i) => i,
            None => {
                out.push(ResourceUse {
                    site: &r.site,
                    resource: &r.resource,
                    used: 0.0,
                    capacity: 0.0,
                    peak: None,
                    full: 0,
                });
                out.len() - 1
            }
        };
        let u = &mut out[i];
        u.used += r.used;
        u.capacity += r.capacity;
        if r.capacity > 0.0 && u.peak.is_none_or(|(_, p)| r.utilization > p) {
            u.peak = Some((&r.period, r.utilization));
        }
        u.full += usize::from(at_capacity(r.used, r.capacity));
    }
    out.sort_by(|a, b| peak_of(b.peak).total_cmp(&peak_of(a.peak)));
    out
}

fn peak_of(peak: Option<(&str, f64)>) -> f64 {
    peak.map_or(f64::NEG_INFINITY, |(_, u)| u)
}

/// Arrivals at one hub (or site with a throughput) over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct HubUse<'a> {
    pub site: &'a str,
    pub kind: Option<NodeKind>,
    pub arrived: f64,
    pub departed: f64,
    /// Throughput over the horizon; `None` when unlimited in every period.
    pub capacity: Option<f64>,
    pub peak: Option<(&'a str, f64)>,
    pub full: usize,
    /// The first period at capacity.
    pub first_full: Option<&'a str>,
    /// Units held at the end of the last period listed.
    pub end_stock: f64,
}

/// Every hub or site with throughput rows, in the plan's order.
pub fn hubs(net: &NetworkPlan) -> Vec<HubUse<'_>> {
    let mut out: Vec<HubUse> = Vec::new();
    for r in &net.throughput {
        let i = match out.iter().position(|h| h.site == r.site) {
            Some(i) => i,
            None => {
                out.push(HubUse {
                    site: &r.site,
                    kind: node(net, &r.site).map(|n| n.kind),
                    arrived: 0.0,
                    departed: 0.0,
                    capacity: None,
                    peak: None,
                    full: 0,
                    first_full: None,
                    end_stock: 0.0,
                });
                out.len() - 1
            }
        };
        let h = &mut out[i];
        h.arrived += r.arrived;
        h.departed += r.departed;
        h.end_stock = r.stock;
        if let Some(cap) = r.capacity {
            h.capacity = Some(h.capacity.unwrap_or(0.0) + cap);
            let u = ratio(r.arrived, cap);
            if cap > 0.0 && h.peak.is_none_or(|(_, p)| u > p) {
                h.peak = Some((&r.period, u));
            }
            if at_capacity(r.arrived, cap) {
                h.full += 1;
                h.first_full.get_or_insert(&r.period);
            }
        }
    }
    out
}

/// One lane with a capacity over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneUse<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub mode: Option<&'a str>,
    pub used: f64,
    pub capacity: f64,
    pub peak: Option<(&'a str, f64)>,
    pub full: usize,
    pub first_full: Option<&'a str>,
}

/// Every capacitated lane, fullest first (ties in the plan's order).
pub fn lanes(net: &NetworkPlan) -> Vec<LaneUse<'_>> {
    let mut out: Vec<LaneUse> = Vec::new();
    for r in &net.lane_use {
        let mode = r.mode.as_deref();
        let i = match out
            .iter()
            .position(|l| l.from == r.from && l.to == r.to && l.mode == mode)
        {
            Some(i) => i,
            None => {
                out.push(LaneUse {
                    from: &r.from,
                    to: &r.to,
                    mode,
                    used: 0.0,
                    capacity: 0.0,
                    peak: None,
                    full: 0,
                    first_full: None,
                });
                out.len() - 1
            }
        };
        let l = &mut out[i];
        l.used += r.used;
        l.capacity += r.capacity;
        let u = ratio(r.used, r.capacity);
        if r.capacity > 0.0 && l.peak.is_none_or(|(_, p)| u > p) {
            l.peak = Some((&r.period, u));
        }
        if at_capacity(r.used, r.capacity) {
            l.full += 1;
            l.first_full.get_or_insert(&r.period);
        }
    }
    out.sort_by(|a, b| peak_of(b.peak).total_cmp(&peak_of(a.peak)));
    out
}

/// Components consumed for one product at one site over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Consumed<'a> {
    pub site: &'a str,
    pub product: &'a str,
    pub component: &'a str,
    pub units: f64,
    /// Periods with any consumption.
    pub periods: usize,
}

/// Consumption per (site, product, component), largest first (ties in the plan's
/// order); nothing below [`FLOW_SHOWN`] units.
pub fn consumption(net: &NetworkPlan) -> Vec<Consumed<'_>> {
    let mut out: Vec<Consumed> = Vec::new();
    for r in &net.consumption {
        let i = match out
            .iter()
            .position(|c| c.site == r.site && c.product == r.product && c.component == r.component)
        {
            Some(i) => i,
            None => {
                out.push(Consumed {
                    site: &r.site,
                    product: &r.product,
                    component: &r.component,
                    units: 0.0,
                    periods: 0,
                });
                out.len() - 1
            }
        };
        out[i].units += r.quantity;
        out[i].periods += usize::from(r.quantity >= FLOW_SHOWN);
    }
    out.retain(|c| c.units >= FLOW_SHOWN);
    out.sort_by(|a, b| b.units.total_cmp(&a.units));
    out
}

/// The value-content rows of one rule, site and product.
#[derive(Debug, Clone)]
pub struct ValueGroup<'a> {
    pub policy: &'a str,
    pub bloc: &'a str,
    pub site: &'a str,
    pub product: &'a str,
    pub target: f64,
    pub rows: Vec<&'a ValueContentRow>,
}

impl<'a> ValueGroup<'a> {
    /// The window with the smallest margin (the first of equals); `None` when nothing is
    /// made in any window.
    pub fn tightest(&self) -> Option<&'a ValueContentRow> {
        self.rows
            .iter()
            .copied()
            .filter(|r| r.margin_points.is_some())
            .min_by(|a, b| {
                let m = |r: &ValueContentRow| r.margin_points.unwrap_or(f64::INFINITY);
                m(a).total_cmp(&m(b))
            })
    }

    pub fn missed(&self) -> usize {
        self.rows.iter().filter(|r| !r.met).count()
    }

    /// Regional value over all windows as a share of the value made.
    pub fn share(&self) -> Option<f64> {
        let value: f64 = self.rows.iter().map(|r| r.value).sum();
        let regional: f64 = self
            .rows
            .iter()
            .map(|r| r.value_added + r.regional_components)
            .sum();
        (value > 0.0).then(|| regional / value)
    }

    /// Windows are whole horizons rather than periods.
    pub fn per_horizon(&self) -> bool {
        self.rows.iter().all(|r| r.period == "horizon")
    }
}

/// The value-content rows grouped per (rule, site, product), in the plan's order.
pub fn value_groups(net: &NetworkPlan) -> Vec<ValueGroup<'_>> {
    let mut out: Vec<ValueGroup> = Vec::new();
    for r in &net.value_content {
        match out
            .iter_mut()
            .find(|g| g.policy == r.policy && g.site == r.site && g.product == r.product)
        {
            Some(g) => g.rows.push(r),
            None => out.push(ValueGroup {
                policy: &r.policy,
                bloc: &r.bloc,
                site: &r.site,
                product: &r.product,
                target: r.target,
                rows: vec![r],
            }),
        }
    }
    out
}

/// The groups in the order a reader should see them: misses first (largest shortfall
/// first), then the tightest margins; groups with nothing made last.
pub fn value_groups_by_margin(net: &NetworkPlan) -> Vec<ValueGroup<'_>> {
    let mut groups = value_groups(net);
    groups.sort_by(|a, b| {
        let key = |g: &ValueGroup| {
            g.tightest()
                .and_then(|r| r.margin_points)
                .unwrap_or(f64::INFINITY)
        };
        key(a).total_cmp(&key(b))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{FlowRow, LaneUseRow, ThroughputRow};

    fn node(id: &str, kind: NodeKind, tier: usize) -> NodeRow {
        NodeRow {
            id: id.to_string(),
            kind,
            country: "MX".to_string(),
            blocs: Vec::new(),
            tier,
        }
    }

    fn flow(from: &str, to: &str, product: &str, quantity: f64) -> FlowRow {
        FlowRow {
            from: from.to_string(),
            to: to.to_string(),
            mode: None,
            product: product.to_string(),
            origin: Some("MX".to_string()),
            to_market: false,
            quantity,
        }
    }

    fn lane(period: &str, capacity: f64, used: f64) -> LaneUseRow {
        LaneUseRow {
            from: "a".to_string(),
            to: "b".to_string(),
            mode: Some("rail".to_string()),
            period: period.to_string(),
            capacity,
            used,
        }
    }

    #[test]
    fn flows_add_up_per_pair_and_per_tier() {
        let net = NetworkPlan {
            nodes: vec![
                node("a", NodeKind::Site, 0),
                node("c", NodeKind::Site, 0),
                node("b", NodeKind::Hub, 1),
                node("m", NodeKind::Market, 2),
            ],
            flows: vec![
                flow("a", "b", "cell", 300.0),
                flow("a", "b", "cell", 200.0),
                flow("a", "b", "board", 100.0),
                flow("c", "b", "cell", 550.0),
                flow("b", "m", "cell", 0.2),
            ],
            ..NetworkPlan::default()
        };
        let e = edges(&net);
        assert_eq!(e.len(), 2, "the 0.2-unit flow is noise");
        assert_eq!((e[0].from, e[0].units), ("a", 600.0));
        assert_eq!(e[0].products, vec![("cell", 500.0), ("board", 100.0)]);
        assert_eq!((e[1].from, e[1].units), ("c", 550.0));
        let pairs = tier_pairs(&net);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].units, pairs[0].links), (1150.0, 2));
        assert_eq!(pairs[0].largest, ("c", "b", "cell", 550.0));
        assert_eq!(tier_label(&net, 1), "tier 1");
        assert_eq!(tier_label(&net, 2), "markets");
    }

    #[test]
    fn lanes_and_hubs_at_capacity() {
        assert!(at_capacity(4000.0, 4000.0));
        assert!(at_capacity(3999.999, 4000.0));
        assert!(!at_capacity(3999.9, 4000.0));
        assert!(!at_capacity(0.0, 0.0));
        let net = NetworkPlan {
            lane_use: vec![
                lane("p1", 100.0, 50.0),
                lane("p2", 100.0, 100.0),
                lane("p3", 100.0, 100.0),
            ],
            throughput: ["p1", "p2"]
                .iter()
                .map(|p| ThroughputRow {
                    site: "hub".to_string(),
                    period: p.to_string(),
                    capacity: None,
                    arrived: 10.0,
                    departed: 5.0,
                    stock: 5.0,
                })
                .collect(),
            ..NetworkPlan::default()
        };
        let l = lanes(&net);
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].used, l[0].capacity), (250.0, 300.0));
        assert_eq!((l[0].full, l[0].first_full), (2, Some("p2")));
        assert_eq!(l[0].peak, Some(("p2", 1.0)));
        let h = hubs(&net);
        assert_eq!((h[0].arrived, h[0].capacity, h[0].full), (20.0, None, 0));
        assert_eq!((h[0].peak, h[0].end_stock), (None, 5.0));
    }

    #[test]
    fn margins_are_signed() {
        assert_eq!(signed_points(3.1), "+3.1");
        assert_eq!(signed_points(-2.0000001), "-2.0");
        assert_eq!(signed_points(-0.01), "0.0");
    }
}
