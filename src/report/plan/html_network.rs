//! The multi-tier sections of `report.html`: the network diagram with the flows between
//! tiers, value content against targets (a chart per site and product, and a table),
//! resources, throughput and lanes against capacity, component consumption, and the
//! panels of their shadow prices. Nothing for a one-tier plan.

use std::fmt::Write;

use super::html_parts::{distinct, period_index, Palette, SMALL_H, SMALL_W};
use super::network_summary::{
    consumption, hubs, lanes, largest, ratio, resources, signed_points, tier_label, tier_pairs,
    value_groups, ValueGroup,
};
use super::network_svg::network_svg;
use crate::fmt::{escape_html as escape, money, pct, percent, target_pct, units};
use crate::plan::{NodeKind, Plan, ShadowPrices};
use crate::report::chart::{self, ALERT_COLOR, MET_COLOR};

/// Rows of each table; the rest are in the CSV files.
const ROWS: usize = 40;

/// The network diagram, with the flows between tiers.
pub fn network_section(b: &mut String, plan: &Plan, palette: &Palette) {
    let Some(net) = &plan.network else { return };
    let _ = writeln!(
        b,
        "<h2 id=\"network\">Network</h2><p class=\"lead\">Goods move left to right, upstream tiers first and markets last. \
         Boxes are sites, hexagons hubs and outlined pills markets, in their country's colour; a dot marks each bloc the country is in. \
         Line width is units moved over the horizon, all products; hover a line or a node for its numbers.</p>"
    );
    let diagram = network_svg(net, palette);
    b.push_str("<div class=\"panel\">");
    let items: Vec<(String, String, &str)> = diagram
        .countries
        .iter()
        .map(|(c, color)| (escape(c), color.clone(), ""))
        .collect();
    chart::legend(b, &items);
    b.push_str(&diagram.svg);
    if let Some(note) = &diagram.note {
        let _ = write!(b, "<p class=\"note\">{note}</p>");
    }
    let pairs = tier_pairs(net);
    if !pairs.is_empty() {
        b.push_str("<table style=\"margin-top:10px\"><tr><th>From</th><th>To</th><th class=\"num\">Units</th><th class=\"num\">Node pairs</th><th>Largest flow</th></tr>");
        for p in &pairs {
            let (from, to, product, q) = p.largest;
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"id\">{} → {}, {}: {}</td></tr>",
                escape(&tier_label(net, p.from_tier)),
                escape(&tier_label(net, p.to_tier)),
                units(p.units),
                p.links,
                escape(from),
                escape(to),
                escape(product),
                units(q)
            );
        }
        b.push_str("</table>");
    }
    b.push_str("</div>\n");
}

/// Regional value content against its targets: per rule, a chart per site and product
/// and a table with the margins and the largest sources of component value.
pub fn value_content_section(b: &mut String, plan: &Plan) {
    let Some(net) = &plan.network else { return };
    let groups = value_groups(net);
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<h2 id=\"value\">Value content against targets</h2><p class=\"lead\">Regional value content: value added in the bloc plus components of bloc origin, \
         over the value made, per site, product and window. Green bars meet the dashed target, red bars miss it; the numbers are margins in percentage points.</p>"
    );
    for policy in distinct(groups.iter().map(|g| g.policy)) {
        let mine: Vec<&ValueGroup> = groups.iter().filter(|g| g.policy == policy).collect();
        let first = mine.first().map_or((0.0, ""), |g| (g.target, g.bloc));
        let _ = writeln!(
            b,
            "<h3>{} <span class=\"meta\">— at least {} of value from {}</span></h3>",
            escape(policy),
            target_pct(first.0),
            escape(first.1)
        );
        b.push_str("<div class=\"panel\">");
        chart::legend(
            b,
            &[
                ("met".into(), MET_COLOR.into(), ""),
                ("missed".into(), ALERT_COLOR.into(), ""),
                (
                    format!("target {}", target_pct(first.0)),
                    String::new(),
                    "dash",
                ),
                ("bar labels: margin, points".into(), String::new(), "none"),
            ],
        );
        b.push_str("<div class=\"grid3\">");
        for g in mine.iter().take(ROWS) {
            value_chart(b, plan, g);
        }
        b.push_str("</div>");
        value_table(b, &mine);
        b.push_str("</div>\n");
    }
}

fn value_chart(b: &mut String, plan: &Plan, g: &ValueGroup) {
    let index = period_index(plan);
    let by_period =
        !g.per_horizon() && g.rows.iter().all(|r| index.contains_key(r.period.as_str()));
    let names: Vec<String> = if by_period {
        plan.periods.clone()
    } else {
        g.rows.iter().map(|r| r.period.clone()).collect()
    };
    let labels = if by_period {
        chart::period_labels(&plan.periods).0
    } else {
        names.clone()
    };
    let mut values = vec![None; names.len()];
    let mut met = vec![true; names.len()];
    let mut notes = vec![String::new(); names.len()];
    for (k, r) in g.rows.iter().enumerate() {
        let i = if by_period {
            index.get(r.period.as_str()).copied().unwrap_or(k)
        } else {
            k
        };
        if i < names.len() {
            values[i] = r.share;
            met[i] = r.met;
            notes[i] = r.margin_points.map(signed_points).unwrap_or_default();
        }
    }
    let lowest = values.iter().flatten().fold(g.target, |m, v| m.min(*v));
    let y_min = (((lowest - 0.05) * 10.0).floor() / 10.0).clamp(0.0, 0.9);
    let status = match g.missed() {
        0 => format!("all {} met", g.rows.len()),
        k => format!(
            "<b style=\"color:{ALERT_COLOR}\">{k} of {} missed</b>",
            g.rows.len()
        ),
    };
    let tight = g
        .tightest()
        .and_then(|r| r.margin_points.map(|m| (m, r.period.as_str())))
        .map_or(String::new(), |(m, p)| {
            format!(" · tightest {} pts in {}", signed_points(m), escape(p))
        });
    let _ = write!(
        b,
        "<figure><figcaption><b class=\"id\">{}</b> <span class=\"m\">{} · {status}{tight}</span></figcaption>{}</figure>",
        escape(g.site),
        escape(g.product),
        chart::target_bars(&chart::TargetBars {
            label: &format!("{} value content of {} at {}", g.policy, g.product, g.site),
            width: SMALL_W,
            height: SMALL_H,
            categories: &labels,
            category_names: &names,
            values: &values,
            met: &met,
            notes: &notes,
            target: g.target,
            target_label: &format!("target {}", target_pct(g.target)),
            y_min,
        })
    );
}

fn value_table(b: &mut String, groups: &[&ValueGroup]) {
    b.push_str("<table style=\"margin-top:10px\"><tr><th>Site</th><th>Product</th><th>Scope</th><th class=\"num\">Share, all windows</th><th class=\"num\">Tightest</th><th>Where</th><th class=\"num\">Margin, points</th><th class=\"num\">Met</th><th>Largest sources of component value (tightest window)</th></tr>");
    for g in groups.iter().take(ROWS) {
        let tight = g.tightest();
        let mut sources: Vec<&crate::plan::ComponentSource> = tight
            .map(|r| r.sources.iter().collect())
            .unwrap_or_default();
        sources.sort_by(|a, b| b.share.total_cmp(&a.share));
        let sources: Vec<String> = sources
            .iter()
            .take(3)
            .map(|s| {
                format!(
                    "{} from {} <span class=\"meta\">{}{}</span> {}",
                    escape(&s.component),
                    escape(&s.source),
                    escape(&s.country),
                    if s.regional { ", regional" } else { "" },
                    pct(s.share)
                )
            })
            .collect();
        let missed = g.missed();
        let margin = tight.and_then(|r| r.margin_points);
        let _ = write!(
            b,
            "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"nw\">{}</td><td class=\"num\"{}>{}</td><td class=\"num\">{}{}/{}{}</td><td class=\"id\">{}</td></tr>",
            escape(g.site),
            escape(g.product),
            if g.per_horizon() { "horizon" } else { "per period" },
            g.share().map_or("–".to_string(), percent),
            tight.and_then(|r| r.share).map_or("–".to_string(), percent),
            tight.map_or(String::new(), |r| escape(&r.period)),
            if margin.is_some_and(|m| m < 0.0) && missed > 0 {
                format!(" style=\"color:{ALERT_COLOR}\"")
            } else {
                String::new()
            },
            margin.map_or("–".to_string(), signed_points),
            if missed > 0 { "<b style=\"color:#c92a2a\">" } else { "" },
            g.rows.len() - missed,
            g.rows.len(),
            if missed > 0 { "</b>" } else { "" },
            sources.join("<br>")
        );
    }
    if groups.len() > ROWS {
        let _ = write!(
            b,
            "<tr><td colspan=\"9\" class=\"meta\">… {} more (all in value_content.csv)</td></tr>",
            groups.len() - ROWS
        );
    }
    b.push_str("</table>");
}

/// A utilization bar for a table cell (100% is 100 px; red at capacity).
fn bar(u: f64, full: bool) -> String {
    format!(
        "<span class=\"bar\" style=\"width:{}px;background:{}\"></span>",
        (100.0 * u.clamp(0.0, 1.0)).round().max(1.0),
        if full { ALERT_COLOR } else { "#5b7fa6" }
    )
}

fn peak_cells(peak: Option<(&str, f64)>, full: usize) -> String {
    match peak {
        Some((p, u)) => format!(
            "<td class=\"num\">{}</td><td style=\"width:110px\">{}</td><td class=\"nw\">{}</td>",
            percent(u),
            bar(u, full > 0),
            escape(p)
        ),
        None => "<td class=\"num\">–</td><td></td><td></td>".to_string(),
    }
}

fn more(b: &mut String, total: usize, columns: usize, file: &str) {
    if total > ROWS {
        let _ = write!(
            b,
            "<tr><td colspan=\"{columns}\" class=\"meta\">… {} more (all in {file})</td></tr>",
            total - ROWS
        );
    }
}

/// Resources, throughput and lanes against their capacities.
pub fn capacity_section(b: &mut String, plan: &Plan) {
    let Some(net) = &plan.network else { return };
    let _ = writeln!(
        b,
        "<h2 id=\"capacity\">Resources, throughput and lanes</h2><p class=\"lead\">Use against capacity over the horizon, fullest first; red bars are at capacity in at least one period.</p>"
    );
    let all = resources(net);
    if !all.is_empty() {
        b.push_str("<h3>Resources</h3><div class=\"panel\"><table><tr><th>Site</th><th>Resource</th><th class=\"num\">Used</th><th class=\"num\">Capacity</th><th class=\"num\">Average</th><th class=\"num\">Peak</th><th></th><th>Where</th><th class=\"num\">Periods full</th></tr>");
        for r in all.iter().take(ROWS) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}<td class=\"num\">{}</td></tr>",
                escape(r.site),
                escape(r.resource),
                units(r.used),
                units(r.capacity),
                percent(ratio(r.used, r.capacity)),
                peak_cells(r.peak, r.full),
                r.full
            );
        }
        more(b, all.len(), 9, "resources.csv");
        b.push_str("</table></div>\n");
    }
    let all = hubs(net);
    if !all.is_empty() {
        b.push_str("<h3>Throughput</h3><div class=\"panel\"><table><tr><th>Site</th><th>Kind</th><th class=\"num\">Arrived</th><th class=\"num\">Throughput</th><th class=\"num\">Peak</th><th></th><th>Where</th><th class=\"num\">Periods full</th><th class=\"num\">Departed</th><th class=\"num\">End stock</th></tr>");
        for h in all.iter().take(ROWS) {
            let kind = match h.kind {
                Some(NodeKind::Hub) => "hub",
                Some(NodeKind::Site) => "site",
                Some(NodeKind::Market) => "market",
                None => "",
            };
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td>{kind}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(h.site),
                units(h.arrived),
                h.capacity.map_or("unlimited".to_string(), units),
                peak_cells(h.peak, h.full),
                h.full,
                units(h.departed),
                units(h.end_stock)
            );
        }
        more(b, all.len(), 10, "throughput.csv");
        b.push_str("</table></div>\n");
    }
    let all = lanes(net);
    if !all.is_empty() {
        b.push_str("<h3>Lanes with a capacity</h3><div class=\"panel\"><table><tr><th>From</th><th>To</th><th>Mode</th><th class=\"num\">Used</th><th class=\"num\">Capacity</th><th class=\"num\">Peak</th><th></th><th>Where</th><th class=\"num\">Periods full</th></tr>");
        for l in all.iter().take(ROWS) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}<td class=\"num\">{}</td></tr>",
                escape(l.from),
                escape(l.to),
                escape(l.mode.unwrap_or("")),
                units(l.used),
                units(l.capacity),
                peak_cells(l.peak, l.full),
                l.full
            );
        }
        more(b, all.len(), 9, "lane_use.csv");
        b.push_str("</table></div>\n");
    }
    if net.resources.is_empty() && net.throughput.is_empty() && net.lane_use.is_empty() {
        b.push_str("<p class=\"note\">No named resource, throughput limit or lane capacity in this model.</p>\n");
    }
}

/// Components consumed to make each product, summed over the horizon.
pub fn components_section(b: &mut String, plan: &Plan) {
    let Some(net) = &plan.network else { return };
    let all = consumption(net);
    let _ = writeln!(
        b,
        "<h2 id=\"components\">Component consumption</h2><p class=\"lead\">Units of each component consumed to make each product, over the horizon, largest first.</p>"
    );
    if all.is_empty() {
        b.push_str("<p class=\"note\">No components are consumed.</p>\n");
        return;
    }
    b.push_str("<div class=\"panel\"><table><tr><th>Site</th><th>Product made</th><th>Component</th><th class=\"num\">Units consumed</th><th class=\"num\">Periods</th></tr>");
    for c in all.iter().take(ROWS) {
        let _ = write!(
            b,
            "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td></tr>",
            escape(c.site),
            escape(c.product),
            escape(c.component),
            units(c.units),
            c.periods,
            plan.periods.len()
        );
    }
    more(b, all.len(), 5, "consumption.csv");
    b.push_str("</table></div>\n");
}

fn price_panel(b: &mut String, title: &str, count: usize, what: &str, header: &str) {
    let _ = write!(
        b,
        "<div class=\"panel\"><h3 style=\"margin-top:0\">{title}</h3><p class=\"meta\">{count} {what} with a price</p><table><tr>{header}</tr>"
    );
}

/// The panels of the prices of resources, lanes, throughput and value content.
pub fn network_price_panels(b: &mut String, sp: &ShadowPrices) {
    if !sp.resources.is_empty() {
        price_panel(
            b,
            "One more unit of a resource",
            sp.resources.len(),
            "resource-periods",
            "<th>Site</th><th>Resource</th><th>Period</th><th class=\"num\">$ / unit</th>",
        );
        for r in largest(&sp.resources, |r| r.value) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&r.site),
                escape(&r.resource),
                escape(&r.period),
                money(r.value)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.lanes.is_empty() {
        price_panel(
            b,
            "One more unit of lane capacity",
            sp.lanes.len(),
            "lane-periods",
            "<th>From</th><th>To</th><th>Mode</th><th>Departure</th><th class=\"num\">$ / unit</th>",
        );
        for l in largest(&sp.lanes, |l| l.value) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&l.from),
                escape(&l.to),
                escape(l.mode.as_deref().unwrap_or("")),
                escape(&l.period),
                money(l.value)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.throughput.is_empty() {
        price_panel(
            b,
            "One more unit of throughput",
            sp.throughput.len(),
            "site-periods",
            "<th>Site</th><th>Period</th><th class=\"num\">$ / unit</th>",
        );
        for t in largest(&sp.throughput, |t| t.value) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&t.site),
                escape(&t.period),
                money(t.value)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.value_content.is_empty() {
        price_panel(
            b,
            "One more point of value content",
            sp.value_content.len(),
            "windows",
            "<th>Policy</th><th>Site</th><th>Product</th><th>Period</th><th class=\"num\">$ / point</th>",
        );
        for v in largest(&sp.value_content, |v| v.cost_per_point) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&v.policy),
                escape(&v.site),
                escape(&v.product),
                escape(&v.period),
                money(v.cost_per_point)
            );
        }
        b.push_str("</table></div>");
    }
}
