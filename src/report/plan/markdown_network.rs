//! The multi-tier sections of `report.md`: the network by tier and the flows between
//! tiers, value content against targets, resources, throughput, lane use and component
//! consumption; and the prices of resources, lanes, throughput and value content. Nothing
//! for a one-tier plan.

use std::fmt::Write;

use super::network_summary::{
    consumption, edges, hubs, lanes, largest, ratio, resources, signed_points, tier_label,
    tier_pairs, value_groups,
};
use crate::fmt::{escape_markdown as escape, money, pct, percent, target_pct, units};
use crate::plan::{NetworkPlan, NodeKind, Plan, ShadowPrices};

/// Rows of each table; the rest are in the CSV files.
const ROWS: usize = 30;
/// Nodes listed per tier.
const NODES_PER_TIER: usize = 12;

/// Every multi-tier section, in report order.
pub fn write_network(md: &mut String, plan: &Plan) {
    let Some(net) = &plan.network else { return };
    write_tiers(md, net);
    write_value_content(md, net);
    write_resources(md, net);
    write_throughput(md, net);
    write_lane_use(md, net);
    write_consumption(md, net);
}

fn kind_word(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Site => "site",
        NodeKind::Hub => "hub",
        NodeKind::Market => "market",
    }
}

/// `… and N more rows in `file`.` under a table cut at [`ROWS`].
fn more_rows(md: &mut String, total: usize, file: &str) {
    if total > ROWS {
        let _ = writeln!(md, "\n… and {} more rows in `{file}`.", total - ROWS);
    }
    let _ = writeln!(md);
}

fn peak_cells(peak: Option<(&str, f64)>) -> (String, String) {
    peak.map_or(("–".to_string(), String::new()), |(p, u)| {
        (percent(u), escape(p))
    })
}

fn write_tiers(md: &mut String, net: &NetworkPlan) {
    let mut tiers: Vec<usize> = net.nodes.iter().map(|n| n.tier).collect();
    tiers.sort_unstable();
    tiers.dedup();
    let moved: f64 = edges(net).iter().map(|e| e.units).sum();
    let _ = writeln!(md, "## Network\n");
    let _ = writeln!(
        md,
        "{} nodes in {} tiers, upstream first; {} units moved along lanes over the horizon.\n",
        net.nodes.len(),
        tiers.len(),
        units(moved)
    );
    let _ = writeln!(md, "| Tier | Nodes (kind, country, blocs) |\n|---|---|");
    for &tier in &tiers {
        let nodes: Vec<String> = net
            .nodes
            .iter()
            .filter(|n| n.tier == tier)
            .map(|n| {
                let blocs = if n.blocs.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {}",
                        n.blocs
                            .iter()
                            .map(|b| escape(b))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                };
                format!(
                    "{} ({}, {}{blocs})",
                    escape(&n.id),
                    kind_word(n.kind),
                    escape(&n.country)
                )
            })
            .collect();
        let mut cell = nodes
            .iter()
            .take(NODES_PER_TIER)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if nodes.len() > NODES_PER_TIER {
            let _ = write!(cell, " … and {} more", nodes.len() - NODES_PER_TIER);
        }
        let _ = writeln!(md, "| {} | {cell} |", tier_label(net, tier));
    }
    let _ = writeln!(md);
    let pairs = tier_pairs(net);
    if !pairs.is_empty() {
        let _ = writeln!(md, "Flows between tiers, all products:\n");
        let _ = writeln!(
            md,
            "| From | To | Units | Node pairs | Largest flow |\n|---|---|---:|---:|---|"
        );
        for p in &pairs {
            let (from, to, product, q) = p.largest;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} → {}, {}: {} |",
                tier_label(net, p.from_tier),
                tier_label(net, p.to_tier),
                units(p.units),
                p.links,
                escape(from),
                escape(to),
                escape(product),
                units(q)
            );
        }
        let _ = writeln!(md);
    }
    let all = edges(net);
    if !all.is_empty() {
        let _ = writeln!(
            md,
            "Largest flows between nodes (top {}):\n",
            all.len().min(ROWS)
        );
        let _ = writeln!(md, "| From | To | Units | Products |\n|---|---|---:|---|");
        for e in all.iter().take(ROWS) {
            let products: Vec<String> = e
                .products
                .iter()
                .take(3)
                .map(|(p, q)| format!("{} {}", escape(p), units(*q)))
                .collect();
            let more = if e.products.len() > 3 {
                format!(" … +{}", e.products.len() - 3)
            } else {
                String::new()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {}{more} |",
                escape(e.from),
                escape(e.to),
                units(e.units),
                products.join(", ")
            );
        }
        more_rows(md, all.len(), "flows.csv");
    }
}

fn write_value_content(md: &mut String, net: &NetworkPlan) {
    let groups = value_groups(net);
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Value content against targets\n");
    let _ = writeln!(
        md,
        "Regional value content (value added in the bloc plus components of bloc origin, over the value made), per site and product; the tightest window and its margin in percentage points.\n"
    );
    let _ = writeln!(
        md,
        "| Policy | Site | Product | Target | Share, all windows | Tightest | Where | Margin (points) | Met | Largest component source |\n|---|---|---|---:|---:|---:|---|---:|---|---|"
    );
    for g in groups.iter().take(ROWS) {
        let tight = g.tightest();
        let source = tight
            .and_then(|r| {
                r.sources
                    .iter()
                    .reduce(|best, s| if s.share > best.share { s } else { best })
            })
            .map_or(String::new(), |s| {
                format!(
                    "{} from {} ({})",
                    escape(&s.component),
                    escape(&s.source),
                    pct(s.share)
                )
            });
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {}/{} | {source} |",
            escape(g.policy),
            escape(g.site),
            escape(g.product),
            target_pct(g.target),
            g.share().map_or("–".to_string(), percent),
            tight.and_then(|r| r.share).map_or("–".to_string(), percent),
            tight.map_or(String::new(), |r| escape(&r.period)),
            tight
                .and_then(|r| r.margin_points)
                .map_or("–".to_string(), signed_points),
            g.rows.len() - g.missed(),
            g.rows.len()
        );
    }
    more_rows(md, groups.len(), "value_content.csv");
}

fn write_resources(md: &mut String, net: &NetworkPlan) {
    let all = resources(net);
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Resources\n");
    let _ = writeln!(
        md,
        "Use of each resource over the horizon (`default` is the capacity that `rate` loads), busiest first.\n"
    );
    let _ = writeln!(
        md,
        "| Site | Resource | Used | Capacity | Average | Peak | Where | Periods full |\n|---|---|---:|---:|---:|---:|---|---:|"
    );
    for r in all.iter().take(ROWS) {
        let (peak, at) = peak_cells(r.peak);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {peak} | {at} | {} |",
            escape(r.site),
            escape(r.resource),
            units(r.used),
            units(r.capacity),
            percent(ratio(r.used, r.capacity)),
            r.full
        );
    }
    more_rows(md, all.len(), "resources.csv");
}

fn write_throughput(md: &mut String, net: &NetworkPlan) {
    let all = hubs(net);
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Throughput\n");
    let _ = writeln!(
        md,
        "Units arriving at each hub (and each site with a throughput limit) over the horizon.\n"
    );
    let _ = writeln!(
        md,
        "| Site | Kind | Arrived | Throughput | Peak | Where | Periods full | Departed | End stock |\n|---|---|---:|---:|---:|---|---:|---:|---:|"
    );
    for h in all.iter().take(ROWS) {
        let (peak, at) = peak_cells(h.peak);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {peak} | {at} | {} | {} | {} |",
            escape(h.site),
            h.kind.map_or("", kind_word),
            units(h.arrived),
            h.capacity.map_or("unlimited".to_string(), units),
            h.full,
            units(h.departed),
            units(h.end_stock)
        );
    }
    more_rows(md, all.len(), "throughput.csv");
}

fn write_lane_use(md: &mut String, net: &NetworkPlan) {
    let all = lanes(net);
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Lane use against capacity\n");
    let _ = writeln!(
        md,
        "| From | To | Mode | Used | Capacity | Peak | Where | Periods full |\n|---|---|---|---:|---:|---:|---|---:|"
    );
    for l in all.iter().take(ROWS) {
        let (peak, at) = peak_cells(l.peak);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {peak} | {at} | {} |",
            escape(l.from),
            escape(l.to),
            l.mode.map(escape).unwrap_or_default(),
            units(l.used),
            units(l.capacity),
            l.full
        );
    }
    more_rows(md, all.len(), "lane_use.csv");
}

fn write_consumption(md: &mut String, net: &NetworkPlan) {
    let all = consumption(net);
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Component consumption\n");
    let _ = writeln!(
        md,
        "| Site | Product made | Component | Units consumed | Periods |\n|---|---|---|---:|---:|"
    );
    for c in all.iter().take(ROWS) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            escape(c.site),
            escape(c.product),
            escape(c.component),
            units(c.units),
            c.periods
        );
    }
    more_rows(md, all.len(), "consumption.csv");
}

/// The prices of a multi-tier plan, top 10 of each kind.
pub fn write_network_prices(md: &mut String, sp: &ShadowPrices) {
    if !sp.resources.is_empty() {
        let _ = writeln!(
            md,
            "Value of one more unit of a resource (top {}):\n",
            sp.resources.len().min(10)
        );
        let _ = writeln!(
            md,
            "| Site | Resource | Period | $ per unit |\n|---|---|---|---:|"
        );
        for r in largest(&sp.resources, |x| x.value) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                escape(&r.site),
                escape(&r.resource),
                escape(&r.period),
                money(r.value)
            );
        }
        let _ = writeln!(md);
    }
    if !sp.lanes.is_empty() {
        let _ = writeln!(
            md,
            "Value of one more unit of lane capacity (top {}):\n",
            sp.lanes.len().min(10)
        );
        let _ = writeln!(
            md,
            "| From | To | Mode | Departure | $ per unit |\n|---|---|---|---|---:|"
        );
        for l in largest(&sp.lanes, |x| x.value) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                escape(&l.from),
                escape(&l.to),
                l.mode.as_deref().map(escape).unwrap_or_default(),
                escape(&l.period),
                money(l.value)
            );
        }
        let _ = writeln!(md);
    }
    if !sp.throughput.is_empty() {
        let _ = writeln!(
            md,
            "Value of one more unit of throughput (top {}):\n",
            sp.throughput.len().min(10)
        );
        let _ = writeln!(md, "| Site | Period | $ per unit |\n|---|---|---:|");
        for t in largest(&sp.throughput, |x| x.value) {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                escape(&t.site),
                escape(&t.period),
                money(t.value)
            );
        }
        let _ = writeln!(md);
    }
    if !sp.value_content.is_empty() {
        let _ = writeln!(
            md,
            "Cost of one more percentage point of value content (top {}):\n",
            sp.value_content.len().min(10)
        );
        let _ = writeln!(
            md,
            "| Policy | Site | Product | Period | $ per point |\n|---|---|---|---|---:|"
        );
        for v in largest(&sp.value_content, |x| x.cost_per_point) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                escape(&v.policy),
                escape(&v.site),
                escape(&v.product),
                escape(&v.period),
                money(v.cost_per_point)
            );
        }
        let _ = writeln!(md);
    }
}
