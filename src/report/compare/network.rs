//! The multi-tier part of the compare documents: the words (summary sentences, table
//! cells; plain text that each document escapes) and the "Network flows" section of
//! `compare.md` and `compare.html`. Nothing here is shown when neither plan has a
//! network.

use std::fmt::Write;

use super::network_words::{met_text, opt_points, opt_share, pair, place, supply_sentence};
use super::table::{html_change_cell, html_table, md_table, td, td_num};
use super::text::{change_text, delta_units, plain_units, presence_word, SHOWN_MOVES, SHOWN_ROWS};
use crate::fmt::{escape_html, escape_markdown};
use crate::plan::comparison::{same_opt, Better, Comparison, NetworkComparison, SupplyMove, Unit};
use crate::report::chart::diverging_bars;

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
