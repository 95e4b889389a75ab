//! The network diagram of a multi-tier plan: one column per tier, left to right, markets
//! last; sites as boxes, hubs as hexagons and markets as outlined pills, filled or
//! outlined in their country's colour, with a badge per bloc the country belongs to; one
//! line per (from, to) with its width proportional to the units moved over the horizon,
//! all products together. Each node and line has a tooltip.
//!
//! The layout is deterministic: nodes start in the plan's order within their column and
//! are then ordered by the weighted mean position of their neighbours (a few sweeps left
//! to right and back, ties kept in their order). Above [`MAX_NODES`] nodes only the
//! nodes of the largest flows are drawn, and the diagram says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::html_parts::{is_usmca, Palette, FULL_W};
use super::network_summary::{edges, tier_label, Edge};
use crate::fmt::{escape_html as escape, group, percent, units};
use crate::plan::{NetworkPlan, NodeKind, NodeRow};
use crate::report::chart::{n, CATEGORICAL, CHAR_W, INK, MUTED, OVERSEAS_COLORS, USMCA_COLORS};

/// Nodes drawn at most; above this the nodes of the largest flows are drawn.
pub const MAX_NODES: usize = 40;
/// Lines drawn at most (the largest).
pub const MAX_EDGES: usize = 160;
/// Line widths, px: the largest flow gets the widest, none is thinner than the thinnest.
pub const MIN_STROKE: f64 = 1.5;
pub const MAX_STROKE: f64 = 16.0;

const NODE_W: f64 = 150.0;
const MARGIN: f64 = 14.0;
/// Height of the key and of the column headings above the nodes.
const KEY_H: f64 = 30.0;
const HEAD_H: f64 = 26.0;
/// Barycentre sweeps (alternately using the left and the right neighbours).
const SWEEPS: usize = 4;

/// The diagram and what goes around it.
pub struct Diagram {
    pub svg: String,
    /// Country colours of the nodes drawn, USMCA first.
    pub countries: Vec<(String, String)>,
    /// A sentence when not every node or line is drawn (trusted HTML).
    pub note: Option<String>,
}

/// One colour per country of the network's nodes: the plan's palette first, then the
/// countries only markets or hubs have.
pub fn node_colors(net: &NetworkPlan, palette: &Palette) -> Vec<(String, String)> {
    let mut colors = palette.countries.clone();
    let mut warm = colors.iter().filter(|(c, _)| !is_usmca(c)).count();
    for node in &net.nodes {
        if colors.iter().any(|(c, _)| *c == node.country) {
            continue;
        }
        let color = match USMCA_COLORS.iter().find(|(c, _)| *c == node.country) {
            Some((_, color)) => (*color).to_string(),
            None => {
                warm += 1;
                OVERSEAS_COLORS[(warm - 1) % OVERSEAS_COLORS.len()].to_string()
            }
        };
        colors.push((node.country.clone(), color));
    }
    colors.sort_by_key(|(c, _)| {
        USMCA_COLORS
            .iter()
            .position(|(u, _)| u == c)
            .unwrap_or(USMCA_COLORS.len())
    });
    colors
}

/// The blocs of the network's nodes, in order of first appearance, with their badge
/// colours.
pub fn bloc_colors(net: &NetworkPlan) -> Vec<(String, String)> {
    let mut blocs: Vec<(String, String)> = Vec::new();
    for bloc in net.nodes.iter().flat_map(|n| n.blocs.iter()) {
        if !blocs.iter().any(|(b, _)| b == bloc) {
            let color = CATEGORICAL[blocs.len() % CATEGORICAL.len()].to_string();
            blocs.push((bloc.clone(), color));
        }
    }
    blocs
}

/// Ink or white, whichever reads better on `hex` (`#rrggbb`).
fn text_on(hex: &str) -> &'static str {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0)
    };
    let luma = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
    if luma > 0.62 {
        INK
    } else {
        "#fff"
    }
}

/// At most `max` characters of `text`, with `…` when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The nodes to draw: all of them, or (above [`MAX_NODES`]) those of the largest flows.
fn chosen<'a>(net: &'a NetworkPlan, all: &[Edge]) -> Vec<&'a NodeRow> {
    if net.nodes.len() <= MAX_NODES {
        return net.nodes.iter().collect();
    }
    let mut keep: BTreeSet<&str> = BTreeSet::new();
    for e in all {
        let new = [e.from, e.to]
            .iter()
            .filter(|id| !keep.contains(*id))
            .count();
        if keep.len() + new <= MAX_NODES {
            keep.insert(e.from);
            keep.insert(e.to);
        }
    }
    net.nodes
        .iter()
        .filter(|n| keep.contains(n.id.as_str()))
        .collect()
}

/// Node indices per column, each column ordered by the barycentre of its neighbours.
fn layout(nodes: &[&NodeRow], shown: &[&Edge], columns: usize) -> Vec<Vec<usize>> {
    let tiers: Vec<usize> = {
        let set: BTreeSet<usize> = nodes.iter().map(|n| n.tier).collect();
        set.into_iter().collect()
    };
    let column_of: Vec<usize> = nodes
        .iter()
        .map(|n| tiers.iter().position(|t| *t == n.tier).unwrap_or(0))
        .collect();
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (i, c) in column_of.iter().enumerate() {
        cols[*c].push(i);
    }
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let links: Vec<(usize, usize, f64)> = shown
        .iter()
        .filter_map(|e| Some((*index.get(e.from)?, *index.get(e.to)?, e.units)))
        .collect();
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in order {
            let mut pos = vec![0.0; nodes.len()];
            for col in &cols {
                for (k, &i) in col.iter().enumerate() {
                    pos[i] = (k as f64 + 0.5) / col.len() as f64;
                }
            }
            let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    let (mut sum, mut weight) = (0.0, 0.0);
                    for &(a, b, w) in &links {
                        let other = match down {
                            true if b == v && column_of[a] < c => a,
                            false if a == v && column_of[b] > c => b,
                            _ => continue,
                        };
                        sum += w * pos[other];
                        weight += w;
                    }
                    let bary = if weight > 0.0 { sum / weight } else { pos[v] };
                    (bary, k, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
        }
    }
    cols
}

/// The diagram of a network.
pub fn network_svg(net: &NetworkPlan, palette: &Palette) -> Diagram {
    let countries = node_colors(net, palette);
    let blocs = bloc_colors(net);
    let color = |country: &str| {
        countries
            .iter()
            .find(|(c, _)| c == country)
            .map_or("#adb5bd", |(_, col)| col.as_str())
    };
    let all = edges(net);
    let nodes = chosen(net, &all);
    let drawn: BTreeSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let mut shown: Vec<&Edge> = all
        .iter()
        .filter(|e| drawn.contains(e.from) && drawn.contains(e.to))
        .collect();
    let lines_cut = shown.len() > MAX_EDGES;
    shown.truncate(MAX_EDGES);
    let note = (nodes.len() < net.nodes.len() || lines_cut).then(|| {
        let total: f64 = all.iter().map(|e| e.units).sum();
        let kept: f64 = shown.iter().map(|e| e.units).sum();
        format!(
            "The network has {} nodes and {} flows between them: the diagram shows the {} nodes and {} flows that carry the most ({} of all units moved). Every flow is in <code>flows.csv</code>.",
            group(net.nodes.len() as u64),
            group(all.len() as u64),
            nodes.len(),
            shown.len(),
            if total > 0.0 { percent(kept / total) } else { "–".to_string() }
        )
    });

    let tiers: BTreeSet<usize> = nodes.iter().map(|n| n.tier).collect();
    let tiers: Vec<usize> = tiers.into_iter().collect();
    let columns = tiers.len().max(1);
    let cols = layout(&nodes, &shown, columns);
    let rows = cols.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let (pitch, node_h) = if rows <= 12 {
        (40.0, 26.0)
    } else {
        (32.0, 24.0)
    };
    let width = FULL_W;
    let body_top = KEY_H + HEAD_H;
    let height = body_top + pitch * rows as f64 + MARGIN;
    let spacing = if columns > 1 {
        (width - 2.0 * MARGIN - NODE_W) / (columns - 1) as f64
    } else {
        0.0
    };
    let mut place: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (c, col) in cols.iter().enumerate() {
        let x = MARGIN + spacing * c as f64;
        let offset = 0.5 * pitch * (rows - col.len()) as f64;
        for (k, &i) in col.iter().enumerate() {
            let y = body_top + offset + pitch * k as f64 + 0.5 * (pitch - node_h);
            place.insert(nodes[i].id.as_str(), (x, y));
        }
    }

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart network\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Network: flows between tiers over the horizon\">",
        n(width),
        n(height),
        n(width),
        n(height)
    );
    key(&mut out, &blocs, all.first().map_or(0.0, |e| e.units));
    for (c, tier) in tiers.iter().enumerate() {
        let x = MARGIN + spacing * c as f64 + 0.5 * NODE_W;
        let _ = write!(
            out,
            "<text class=\"tier\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\" font-weight=\"600\">{}</text>",
            n(x),
            n(KEY_H + 14.0),
            escape(&tier_label(net, *tier))
        );
    }

    // Lines first, largest first, so the smaller ones stay visible on top.
    let max_units = shown.first().map_or(1.0, |e| e.units.max(1e-9));
    let country_of: BTreeMap<&str, &str> = nodes
        .iter()
        .map(|n| (n.id.as_str(), n.country.as_str()))
        .collect();
    for e in &shown {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (place.get(e.from), place.get(e.to)) else {
            continue;
        };
        let (sx, sy, tx, ty) = (x1 + NODE_W, y1 + 0.5 * node_h, x2, y2 + 0.5 * node_h);
        let bend = if tx > sx {
            (0.5 * (tx - sx)).max(30.0)
        } else {
            60.0
        };
        let stroke = (MAX_STROKE * e.units / max_units).clamp(MIN_STROKE, MAX_STROKE);
        let products: Vec<String> = e
            .products
            .iter()
            .map(|(p, q)| format!("{p} {}", units(*q)))
            .collect();
        let tip = format!(
            "{} → {}: {} units ({})",
            e.from,
            e.to,
            units(e.units),
            products.join(" · ")
        );
        let _ = write!(
            out,
            "<path class=\"flow\" d=\"M{} {} C{} {} {} {} {} {}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"0.5\" stroke-width=\"{}\"><title>{}</title></path>",
            n(sx),
            n(sy),
            n(sx + bend),
            n(sy),
            n(tx - bend),
            n(ty),
            n(tx),
            n(ty),
            color(country_of.get(e.from).copied().unwrap_or("")),
            n(stroke),
            escape(&tip)
        );
    }

    let mut inflow: BTreeMap<&str, f64> = BTreeMap::new();
    let mut outflow: BTreeMap<&str, f64> = BTreeMap::new();
    for e in &all {
        *outflow.entry(e.from).or_insert(0.0) += e.units;
        *inflow.entry(e.to).or_insert(0.0) += e.units;
    }
    for col in &cols {
        for &i in col {
            let node = nodes[i];
            let Some(&(x, y)) = place.get(node.id.as_str()) else {
                continue;
            };
            let fill = color(&node.country);
            let kind = match node.kind {
                NodeKind::Site => "site",
                NodeKind::Hub => "hub",
                NodeKind::Market => "market",
            };
            let blocs_text = if node.blocs.is_empty() {
                "no bloc".to_string()
            } else {
                node.blocs.join(", ")
            };
            let tip = format!(
                "{} — {kind}, {}, {blocs_text}; in {} units, out {} units",
                node.id,
                node.country,
                units(inflow.get(node.id.as_str()).copied().unwrap_or(0.0)),
                units(outflow.get(node.id.as_str()).copied().unwrap_or(0.0))
            );
            let _ = write!(
                out,
                "<g class=\"node {kind}\"><title>{}</title>",
                escape(&tip)
            );
            shape(&mut out, node.kind, (x, y), (NODE_W, node_h), fill);
            let ink = match node.kind {
                NodeKind::Market => INK,
                _ => text_on(fill),
            };
            let badges = node.blocs.len().min(4) as f64 * 11.0;
            let room = ((NODE_W - 18.0 - badges) / CHAR_W).floor().max(4.0) as usize;
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{ink}\">{}</text>",
                n(x + 9.0),
                n(y + 0.5 * node_h + 0.5),
                escape(&fit(&node.id, room))
            );
            for (j, bloc) in node.blocs.iter().take(4).enumerate() {
                let badge = blocs
                    .iter()
                    .find(|(b, _)| b == bloc)
                    .map_or(MUTED, |(_, c)| c.as_str());
                let _ = write!(
                    out,
                    "<circle class=\"bloc\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{badge}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
                    n(x + NODE_W - 9.0 - 11.0 * j as f64),
                    n(y + 0.5 * node_h)
                );
            }
            out.push_str("</g>");
        }
    }
    out.push_str("</svg>");
    let shown_countries: BTreeSet<&str> = nodes.iter().map(|n| n.country.as_str()).collect();
    let countries = countries
        .iter()
        .filter(|(c, _)| shown_countries.contains(c.as_str()))
        .cloned()
        .collect();
    Diagram {
        svg: out,
        countries,
        note,
    }
}

/// A node's outline at (x, y): a box (site), a hexagon (hub) or a pill (market).
fn shape(out: &mut String, kind: NodeKind, (x, y): (f64, f64), (w, h): (f64, f64), fill: &str) {
    match kind {
        NodeKind::Site => {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\"/>",
                n(x),
                n(y),
                n(w),
                n(h)
            );
        }
        NodeKind::Hub => {
            let tip = 0.5 * h;
            let _ = write!(
                out,
                "<polygon points=\"{},{} {},{} {},{} {},{} {},{} {},{}\" fill=\"{fill}\"/>",
                n(x),
                n(y + tip),
                n(x + tip),
                n(y),
                n(x + w - tip),
                n(y),
                n(x + w),
                n(y + tip),
                n(x + w - tip),
                n(y + h),
                n(x + tip),
                n(y + h)
            );
        }
        NodeKind::Market => {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"#fff\" stroke=\"{fill}\" stroke-width=\"2.5\"/>",
                n(x + 1.0),
                n(y + 1.0),
                n(w - 2.0),
                n(h - 2.0),
                n(0.5 * h - 1.0)
            );
        }
    }
}

/// The key along the top: the three node shapes, the bloc badges and the line scale.
fn key(out: &mut String, blocs: &[(String, String)], widest: f64) {
    let y = 6.0;
    let h = 16.0;
    let mut x = MARGIN;
    for (kind, word) in [
        (NodeKind::Site, "site"),
        (NodeKind::Hub, "hub"),
        (NodeKind::Market, "market"),
    ] {
        shape(out, kind, (x, y), (28.0, h), MUTED);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{INK}\">{word}</text>",
            n(x + 34.0),
            n(y + 0.5 * h)
        );
        x += 34.0 + word.len() as f64 * CHAR_W + 18.0;
    }
    for (bloc, color) in blocs {
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{INK}\">{}</text>",
            n(x + 5.0),
            n(y + 0.5 * h),
            n(x + 14.0),
            n(y + 0.5 * h),
            escape(&format!("in {bloc}"))
        );
        x += 14.0 + (bloc.chars().count() + 3) as f64 * CHAR_W + 18.0;
    }
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\" stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{INK}\">{}</text>",
        n(x),
        n(y + 0.5 * h),
        n(x + 28.0),
        n(y + 0.5 * h),
        n(MAX_STROKE.min(h)),
        n(x + 34.0),
        n(y + 0.5 * h),
        escape(&format!(
            "line width: units over the horizon, all products (widest {})",
            units(widest)
        ))
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::FlowRow;

    fn node(id: &str, kind: NodeKind, country: &str, tier: usize) -> NodeRow {
        NodeRow {
            id: id.to_string(),
            kind,
            country: country.to_string(),
            blocs: Vec::new(),
            tier,
        }
    }

    fn flow(from: &str, to: &str, quantity: f64) -> FlowRow {
        FlowRow {
            from: from.to_string(),
            to: to.to_string(),
            mode: None,
            product: "p".to_string(),
            origin: None,
            to_market: false,
            quantity,
        }
    }

    fn ids<'a>(nodes: &[&'a NodeRow], col: &[usize]) -> Vec<&'a str> {
        col.iter().map(|&i| nodes[i].id.as_str()).collect()
    }

    #[test]
    fn columns_are_ordered_by_their_neighbours() {
        // a feeds y and b feeds x: drawn in the plan's order (x above y) the lines cross.
        let net = NetworkPlan {
            nodes: vec![
                node("a", NodeKind::Site, "CN", 0),
                node("b", NodeKind::Site, "CN", 0),
                node("x", NodeKind::Site, "MX", 1),
                node("y", NodeKind::Site, "MX", 1),
                node("m", NodeKind::Market, "US", 2),
            ],
            flows: vec![
                flow("a", "y", 100.0),
                flow("b", "x", 90.0),
                flow("x", "m", 90.0),
                flow("y", "m", 100.0),
            ],
            ..NetworkPlan::default()
        };
        let all = edges(&net);
        let shown: Vec<&Edge> = all.iter().collect();
        let nodes: Vec<&NodeRow> = net.nodes.iter().collect();
        let cols = layout(&nodes, &shown, 3);
        assert_eq!(ids(&nodes, &cols[0]), ["a", "b"]);
        assert_eq!(ids(&nodes, &cols[1]), ["y", "x"]);
        assert_eq!(ids(&nodes, &cols[2]), ["m"]);
        // The same data gives the same drawing.
        let palette = Palette {
            countries: Vec::new(),
        };
        assert_eq!(
            network_svg(&net, &palette).svg,
            network_svg(&net.clone(), &palette).svg
        );
    }

    #[test]
    fn countries_without_sites_get_colours_too() {
        let net = NetworkPlan {
            nodes: vec![
                node("a", NodeKind::Site, "CN", 0),
                node("h", NodeKind::Hub, "CA", 1),
                node("m", NodeKind::Market, "DE", 2),
            ],
            ..NetworkPlan::default()
        };
        let palette = Palette {
            countries: vec![("CN".to_string(), OVERSEAS_COLORS[0].to_string())],
        };
        let colors = node_colors(&net, &palette);
        let find = |c: &str| colors.iter().find(|(k, _)| k == c).map(|(_, v)| v.as_str());
        assert_eq!(find("CA"), Some("#74b3e0"));
        assert_eq!(find("CN"), Some(OVERSEAS_COLORS[0]));
        assert_eq!(find("DE"), Some(OVERSEAS_COLORS[1]));
        assert_eq!(colors[0].0, "CA", "USMCA first");
    }

    #[test]
    fn labels_fit_their_box_and_read_on_their_fill() {
        assert_eq!(fit("ningbo-cells", 20), "ningbo-cells");
        assert_eq!(fit("a-very-long-supplier-name", 10), "a-very-lo…");
        assert_eq!(fit("<&>é<&>", 4), "<&>…");
        assert_eq!(text_on("#1c5d99"), "#fff");
        assert_eq!(text_on("#f2b134"), INK);
        // A cut label is escaped after it is cut.
        let net = NetworkPlan {
            nodes: vec![node(
                "<b>&amp;-a-name-far-too-long-for-its-box",
                NodeKind::Site,
                "CN",
                0,
            )],
            ..NetworkPlan::default()
        };
        let svg = network_svg(
            &net,
            &Palette {
                countries: Vec::new(),
            },
        )
        .svg;
        assert!(svg.contains(">&lt;b&gt;&amp;amp;-a-name-far…</text>"));
        assert!(!svg.contains("<b>"));
    }
}
