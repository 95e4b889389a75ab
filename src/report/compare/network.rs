//! The multi-tier part of the compare documents: the words (summary sentences, table
//! cells; plain text that each document escapes) and the "Network flows" section of
//! `compare.md` and `compare.html`. Nothing here is shown when neither plan has a
//! network.

use std::fmt::Write;

use super::html::{html_change_cell, html_table, td, td_num};
use super::markdown::md_table;
use super::text::{change_text, delta_units, plain_units, presence_word, SHOWN_MOVES, SHOWN_ROWS};
use crate::fmt::{escape_html, escape_markdown, group, percent};
use crate::plan::comparison::{
    same_opt, Better, Comparison, NetworkComparison, OriginMixDelta, OriginShare, SupplyMove, Unit,
    ValueContentDelta,
};
use crate::report::chart::diverging_bars;

/// A share change (in percentage points) worth a summary sentence.
pub const MATERIAL_POINTS: f64 = 1.0;
/// Supply moves, share changes and value content rows named in the summary, each.
const HEADLINES: usize = 3;

/// `id (country)`, or the id alone when the country is not known.
fn place(id: &str, country: &str) -> String {
    if country.is_empty() {
        id.to_string()
    } else {
        format!("{id} ({country})")
    }
}

/// Percentage points, signed, to one decimal: `+9.3`, `−0.4`, `0.0`.
fn signed(points: f64) -> String {
    let rounded = (points * 10.0).round() / 10.0;
    let sign = match () {
        _ if rounded > 0.0 => "+",
        _ if rounded < 0.0 => "−",
        _ => "",
    };
    format!("{sign}{:.1}", rounded.abs())
}

/// Percentage points, signed: `+9.3 pp`.
pub fn points_text(points: f64) -> String {
    format!("{} pp", signed(points))
}

fn opt_points(points: Option<f64>) -> String {
    points.map_or_else(|| "–".to_string(), points_text)
}

fn opt_share(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), percent)
}

/// "12,000 cell-module units into saltillo moved from ningbo (CN) to monterrey-cells
/// (MX)" (plain text).
pub fn supply_sentence(m: &SupplyMove) -> String {
    format!(
        "{} {} units into {} moved from {} to {}",
        group(m.units.round() as u64),
        m.product,
        m.into,
        place(&m.from, &m.from_country),
        place(&m.to, &m.to_country)
    )
}

/// "deliveries to markets" or "received at saltillo" (plain text).
pub fn receiver_text(r: &OriginMixDelta) -> String {
    match &r.receiver {
        None => "deliveries to markets".to_string(),
        Some(id) => format!("received at {id}"),
    }
}

/// "met → missed", "met", … (plain text).
fn met_text(old: Option<bool>, new: Option<bool>) -> String {
    let word = |m: Option<bool>| match m {
        Some(true) => "met",
        Some(false) => "missed",
        None => "–",
    };
    if old == new {
        word(new).to_string()
    } else {
        format!("{} → {}", word(old), word(new))
    }
}

fn pair(old: String, new: String) -> String {
    if old == new {
        old
    } else {
        format!("{old} → {new}")
    }
}

/// The shares that moved materially, blocs first (countries only when no bloc moved),
/// largest first, with the group they belong to.
fn material_shares(net: &NetworkComparison) -> Vec<(&OriginMixDelta, &OriginShare, bool)> {
    let pick = |blocs: bool| {
        let mut v: Vec<(&OriginMixDelta, &OriginShare, bool)> = net
            .origin_mix
            .iter()
            .flat_map(|g| {
                let list = if blocs { &g.blocs } else { &g.countries };
                list.iter().map(move |s| (g, s, blocs))
            })
            .filter(|(_, s, _)| s.points.is_some_and(|p| p.abs() >= MATERIAL_POINTS))
            .collect();
        v.sort_by(|x, y| {
            let p = |s: &OriginShare| s.points.unwrap_or(0.0).abs();
            p(y.1).total_cmp(&p(x.1))
        });
        v
    };
    let blocs = pick(true);
    if blocs.is_empty() {
        pick(false)
    } else {
        blocs
    }
}

fn material_value_content(net: &NetworkComparison) -> Vec<&ValueContentDelta> {
    let mut v: Vec<&ValueContentDelta> = net
        .value_content
        .iter()
        .filter(|r| {
            r.presence == crate::plan::comparison::Presence::Both
                && (r.met_old != r.met_new
                    || r.points.is_some_and(|p| p.abs() >= MATERIAL_POINTS)
                    || r.component_points
                        .is_some_and(|p| p.abs() >= MATERIAL_POINTS))
        })
        .collect();
    v.sort_by(|x, y| {
        let flip = |r: &ValueContentDelta| r.met_old != r.met_new;
        let p = |r: &ValueContentDelta| r.points.unwrap_or(0.0).abs();
        flip(y).cmp(&flip(x)).then_with(|| p(y).total_cmp(&p(x)))
    });
    v
}

/// The headline sentences of the multi-tier part (plain text with `esc`-escaped ids);
/// none when nothing moved materially.
pub fn summary_lines(c: &Comparison, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let Some(net) = &c.network else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let moves: Vec<String> = net
        .supply_moves
        .iter()
        .filter(|m| m.units >= 0.5)
        .take(HEADLINES)
        .map(|m| esc(&supply_sentence(m)))
        .collect();
    if !moves.is_empty() {
        out.push(format!(
            "Supply moved between sources: {}.",
            moves.join("; ")
        ));
    }
    let shares: Vec<String> = material_shares(net)
        .into_iter()
        .take(HEADLINES)
        .map(|(g, s, _)| {
            esc(&format!(
                "{} share of {} {} {} points ({} → {})",
                s.origin,
                g.product,
                receiver_text(g),
                signed(s.points.unwrap_or(0.0)),
                opt_share(s.share_old),
                opt_share(s.share_new)
            ))
        })
        .collect();
    if !shares.is_empty() {
        out.push(format!("Origin mix: {}.", shares.join("; ")));
    }
    let rows: Vec<String> = material_value_content(net)
        .into_iter()
        .take(HEADLINES)
        .map(|r| {
            let mut text = format!(
                "{} value content of {} at {} ({}) {} → {}",
                r.bloc,
                r.product,
                r.site,
                r.period,
                opt_share(r.share_old),
                opt_share(r.share_new)
            );
            let mut why = Vec::new();
            if let Some(p) = r.points.filter(|p| p.abs() >= 0.05) {
                why.push(format!("{} points", signed(p)));
            }
            if let Some(p) = r.component_points.filter(|p| p.abs() >= 0.05) {
                why.push(format!(
                    "{} share of component value {} points",
                    r.bloc,
                    signed(p)
                ));
            }
            if !why.is_empty() {
                let _ = write!(text, " ({})", why.join("; "));
            }
            if r.met_old != r.met_new {
                let target = opt_share(r.target_new);
                if r.met_new == Some(true) {
                    let _ = write!(text, ", now meets its {target} target");
                } else {
                    let _ = write!(text, ", now misses its {target} target");
                }
            }
            esc(&text)
        })
        .collect();
    if !rows.is_empty() {
        out.push(format!("Regional value content: {}.", rows.join("; ")));
    }
    out
}

/// A row of the tier table, as plain-text cells.
fn tier_cells(t: &crate::plan::comparison::TierFlowDelta) -> [String; 4] {
    [
        format!("{}{}", t.label, presence_word(t.presence)),
        plain_units(t.units.old),
        plain_units(t.units.new),
        change_text(&t.units, Unit::Units),
    ]
}

fn lane_name(l: &crate::plan::comparison::LaneFlowDelta) -> String {
    format!(
        "{} → {}{}",
        place(&l.from, &l.from_country),
        place(&l.to, &l.to_country),
        presence_word(l.presence)
    )
}

fn lane_products(l: &crate::plan::comparison::LaneFlowDelta) -> String {
    l.products
        .iter()
        .map(|p| format!("{} {}", p.product, delta_units(p.delta.change)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Origin-mix rows (receiver, product, origin, old, new, change) for the shares that
/// changed: blocs first, then countries; plain text.
fn mix_rows(net: &NetworkComparison) -> Vec<[String; 6]> {
    let mut rows = Vec::new();
    for g in &net.origin_mix {
        let receiver = match &g.receiver {
            None => "markets (deliveries)".to_string(),
            Some(id) => id.clone(),
        };
        for (list, bloc) in [(&g.blocs, true), (&g.countries, false)] {
            for s in list.iter().filter(|s| s.changed()) {
                rows.push([
                    receiver.clone(),
                    g.product.clone(),
                    if bloc {
                        format!("{} (bloc)", s.origin)
                    } else {
                        s.origin.clone()
                    },
                    opt_share(s.share_old),
                    opt_share(s.share_new),
                    opt_points(s.points),
                ]);
            }
        }
    }
    rows
}

/// Value content rows that changed, as plain-text cells.
fn value_rows(net: &NetworkComparison) -> Vec<[String; 9]> {
    net.value_content
        .iter()
        .filter(|r| r.changed())
        .map(|r| {
            [
                format!("{}{}", r.policy_name(), presence_word(r.presence)),
                r.bloc.clone(),
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                format!(
                    "{} ({})",
                    pair(opt_share(r.share_old), opt_share(r.share_new)),
                    opt_points(r.points)
                ),
                if same_opt(r.target_old, r.target_new) {
                    opt_share(r.target_new)
                } else {
                    pair(opt_share(r.target_old), opt_share(r.target_new))
                },
                format!(
                    "{} ({})",
                    pair(opt_points(r.margin_old), opt_points(r.margin_new)),
                    met_text(r.met_old, r.met_new)
                ),
                format!(
                    "{} ({})",
                    pair(
                        opt_share(r.component_share_old),
                        opt_share(r.component_share_new)
                    ),
                    opt_points(r.component_points)
                ),
            ]
        })
        .collect()
}

const LANE_HEADER: [&str; 5] = [
    "Lane",
    "Change by product",
    "Old units",
    "New units",
    "Change",
];

const VALUE_HEADER: [&str; 9] = [
    "Policy",
    "Bloc",
    "Site",
    "Product",
    "Window",
    "Value content",
    "Target",
    "Margin",
    "Components from the bloc",
];

fn changed_lanes(net: &NetworkComparison) -> Vec<&crate::plan::comparison::LaneFlowDelta> {
    net.lanes
        .iter()
        .filter(|l| l.units.changed() || l.presence != crate::plan::comparison::Presence::Both)
        .collect()
}

fn lead(net: &NetworkComparison) -> String {
    let one_tier = match (net.old_network, net.new_network) {
        (false, _) => " The old plan has one tier: its flows are its shipments.",
        (_, false) => " The new plan has one tier: its flows are its shipments.",
        _ => "",
    };
    format!(
        "Units moved over each plan's whole horizon, all products and modes together.{one_tier}"
    )
}

/// The "Network flows" section of `compare.md` (every id escaped).
pub fn markdown_section(md: &mut String, c: &Comparison) {
    let Some(net) = &c.network else {
        return;
    };
    let e =
        |cells: &[String]| -> Vec<String> { cells.iter().map(|x| escape_markdown(x)).collect() };
    let _ = writeln!(md, "## Network flows\n");
    let _ = writeln!(md, "{}\n", lead(net));
    let _ = writeln!(md, "### Between tiers\n");
    let rows: Vec<Vec<String>> = net.tiers.iter().map(|t| e(&tier_cells(t))).collect();
    if rows.is_empty() {
        let _ = writeln!(md, "Nothing moved in either plan.\n");
    } else {
        md_table(
            md,
            &["Tiers", "Old units", "New units", "Change"],
            "|---|---:|---:|---:|",
            &rows,
        );
    }

    let _ = writeln!(md, "### Lanes\n");
    let lanes = changed_lanes(net);
    if lanes.is_empty() {
        let _ = writeln!(
            md,
            "No lane's volume changed ({} lanes).\n",
            net.lanes.len()
        );
    } else {
        let _ = writeln!(
            md,
            "{} of {} lanes changed, largest changes first:\n",
            lanes.len(),
            net.lanes.len()
        );
        let rows: Vec<Vec<String>> = lanes
            .iter()
            .take(SHOWN_ROWS)
            .map(|l| {
                e(&[
                    lane_name(l),
                    lane_products(l),
                    plain_units(l.units.old),
                    plain_units(l.units.new),
                    change_text(&l.units, Unit::Units),
                ])
            })
            .collect();
        md_table(md, &LANE_HEADER, "|---|---|---:|---:|---:|", &rows);
        if lanes.len() > SHOWN_ROWS {
            let _ = writeln!(
                md,
                "… and {} more in compare.json.\n",
                lanes.len() - SHOWN_ROWS
            );
        }
    }
    let moves: Vec<&SupplyMove> = net.supply_moves.iter().filter(|m| m.units >= 0.5).collect();
    if !moves.is_empty() {
        let _ = writeln!(
            md,
            "Supply moved between sources (per receiver and product, largest first):\n"
        );
        for m in moves.iter().take(SHOWN_MOVES) {
            let _ = writeln!(md, "- {}.", escape_markdown(&supply_sentence(m)));
        }
        if moves.len() > SHOWN_MOVES {
            let _ = writeln!(
                md,
                "- … and {} smaller moves (see compare.json).",
                moves.len() - SHOWN_MOVES
            );
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "### Origin mix\n");
    let rows = mix_rows(net);
    if rows.is_empty() {
        let _ = writeln!(
            md,
            "No origin's share changed in what the markets and the sites receive.\n"
        );
    } else {
        let _ = writeln!(
            md,
            "Share of the units received, by origin bloc and country (changed shares only):\n"
        );
        let shown: Vec<Vec<String>> = rows.iter().take(SHOWN_ROWS * 2).map(|r| e(r)).collect();
        md_table(
            md,
            &[
                "Receiver",
                "Product",
                "Origin",
                "Old share",
                "New share",
                "Change",
            ],
            "|---|---|---|---:|---:|---:|",
            &shown,
        );
        if rows.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                md,
                "… and {} more in compare.json.\n",
                rows.len() - SHOWN_ROWS * 2
            );
        }
    }

    if !net.value_content.is_empty() {
        let _ = writeln!(md, "### Regional value content\n");
        let rows = value_rows(net);
        if rows.is_empty() {
            let _ = writeln!(
                md,
                "No value content changed ({} rows).\n",
                net.value_content.len()
            );
        } else {
            let shown: Vec<Vec<String>> = rows.iter().take(SHOWN_ROWS * 2).map(|r| e(r)).collect();
            md_table(
                md,
                &VALUE_HEADER,
                "|---|---|---|---|---|---:|---:|---:|---:|",
                &shown,
            );
            if rows.len() > SHOWN_ROWS * 2 {
                let _ = writeln!(
                    md,
                    "… and {} more in compare.json.\n",
                    rows.len() - SHOWN_ROWS * 2
                );
            }
        }
    }
}

/// The "Network flows" section of `compare.html` (every id escaped).
pub fn html_section(body: &mut String, c: &Comparison) {
    let Some(net) = &c.network else {
        return;
    };
    let esc = |s: &str| escape_html(s);
    let _ = writeln!(body, "<section>\n<h2>Network flows</h2>");
    let _ = writeln!(body, "<p class=\"lead\">{}</p>", esc(&lead(net)));
    let bars: Vec<(String, f64, String)> = net
        .tiers
        .iter()
        .filter(|t| t.units.changed() && t.units.change.abs() >= 0.5)
        .map(|t| (t.label.clone(), t.units.change, delta_units(t.units.change)))
        .collect();
    if !bars.is_empty() {
        body.push_str(&diverging_bars(
            "Change in units moved between tiers",
            &bars,
        ));
    }
    let _ = writeln!(body, "<h3>Between tiers</h3>");
    if net.tiers.is_empty() {
        let _ = writeln!(body, "<p>Nothing moved in either plan.</p>");
    } else {
        let rows: Vec<String> = net
            .tiers
            .iter()
            .map(|t| {
                let cells = tier_cells(t);
                format!(
                    "{}{}{}{}",
                    td(&cells[0]),
                    td_num(&cells[1]),
                    td_num(&cells[2]),
                    html_change_cell(&t.units, Unit::Units, Better::Neither)
                )
            })
            .collect();
        body.push_str(&html_table(
            &["Tiers", "Old units", "New units", "Change"],
            1,
            &rows,
        ));
    }

    let _ = writeln!(body, "<h3>Lanes</h3>");
    let lanes = changed_lanes(net);
    if lanes.is_empty() {
        let _ = writeln!(
            body,
            "<p>No lane's volume changed ({} lanes).</p>",
            net.lanes.len()
        );
    } else {
        let _ = writeln!(
            body,
            "<p>{} of {} lanes changed, largest changes first.</p>",
            lanes.len(),
            net.lanes.len()
        );
        let rows: Vec<String> = lanes
            .iter()
            .take(SHOWN_ROWS)
            .map(|l| {
                format!(
                    "{}{}{}{}{}",
                    td(&lane_name(l)),
                    td(&lane_products(l)),
                    td_num(&plain_units(l.units.old)),
                    td_num(&plain_units(l.units.new)),
                    html_change_cell(&l.units, Unit::Units, Better::Neither)
                )
            })
            .collect();
        body.push_str(&html_table(&LANE_HEADER, 2, &rows));
        if lanes.len() > SHOWN_ROWS {
            let _ = writeln!(
                body,
                "<p>… and {} more in compare.json.</p>",
                lanes.len() - SHOWN_ROWS
            );
        }
    }
    let moves: Vec<&SupplyMove> = net.supply_moves.iter().filter(|m| m.units >= 0.5).collect();
    if !moves.is_empty() {
        let _ = writeln!(
            body,
            "<p>Supply moved between sources (per receiver and product, largest first):</p>\n<ul>"
        );
        for m in moves.iter().take(SHOWN_MOVES) {
            let _ = writeln!(body, "<li>{}.</li>", esc(&supply_sentence(m)));
        }
        if moves.len() > SHOWN_MOVES {
            let _ = writeln!(
                body,
                "<li>… and {} smaller moves (see compare.json).</li>",
                moves.len() - SHOWN_MOVES
            );
        }
        let _ = writeln!(body, "</ul>");
    }

    let _ = writeln!(body, "<h3>Origin mix</h3>");
    let rows = mix_rows(net);
    if rows.is_empty() {
        let _ = writeln!(
            body,
            "<p>No origin's share changed in what the markets and the sites receive.</p>"
        );
    } else {
        let _ = writeln!(
            body,
            "<p>Share of the units received, by origin bloc and country (changed shares only).</p>"
        );
        let shown: Vec<String> = rows
            .iter()
            .take(SHOWN_ROWS * 2)
            .map(|r| {
                format!(
                    "{}{}{}{}{}{}",
                    td(&r[0]),
                    td(&r[1]),
                    td(&r[2]),
                    td_num(&r[3]),
                    td_num(&r[4]),
                    td_num(&r[5])
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Receiver",
                "Product",
                "Origin",
                "Old share",
                "New share",
                "Change",
            ],
            3,
            &shown,
        ));
        if rows.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                body,
                "<p>… and {} more in compare.json.</p>",
                rows.len() - SHOWN_ROWS * 2
            );
        }
    }

    if !net.value_content.is_empty() {
        let _ = writeln!(body, "<h3>Regional value content</h3>");
        let rows = value_rows(net);
        if rows.is_empty() {
            let _ = writeln!(
                body,
                "<p>No value content changed ({} rows).</p>",
                net.value_content.len()
            );
        } else {
            let shown: Vec<String> = rows
                .iter()
                .take(SHOWN_ROWS * 2)
                .map(|r| {
                    let mut row = String::new();
                    for (i, cell) in r.iter().enumerate() {
                        row.push_str(&if i < 5 { td(cell) } else { td_num(cell) });
                    }
                    row
                })
                .collect();
            body.push_str(&html_table(&VALUE_HEADER, 5, &shown));
            if rows.len() > SHOWN_ROWS * 2 {
                let _ = writeln!(
                    body,
                    "<p>… and {} more in compare.json.</p>",
                    rows.len() - SHOWN_ROWS * 2
                );
            }
        }
    }
    let _ = writeln!(body, "</section>");
}
