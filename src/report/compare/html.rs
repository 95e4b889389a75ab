//! `compare.html`: the comparison of two plans as a self-contained HTML page (every id
//! escaped), with a chart of the cost changes.

use std::fmt::Write;

use super::text::{
    binding_word, bloc_row, delta_money, matched_word, move_sentence, opt_change_text, opt_count,
    opt_value, periods_text, plain_units, presence_word, sha_short, shown_moves, summary,
    utilization_text, value, SHOWN_MOVES, SHOWN_ROWS,
};
use crate::fmt::{escape_html, money};
use crate::plan::comparison::{
    same, Better, BindingChange, BlocShareDelta, Comparison, Delta, Unit,
};
use crate::report::chart::diverging_bars;
use crate::report::page::page;

pub(super) use super::table::{html_change_cell, html_table, td, td_num};

/// A horizontal bar chart of cost changes by component (inline SVG, no script).
fn cost_chart(c: &Comparison) -> String {
    let rows: Vec<(String, f64, String)> = c
        .changed_costs()
        .filter(|x| x.delta.change.abs() >= 0.5)
        .map(|x| {
            (
                x.component.clone(),
                x.delta.change,
                delta_money(x.delta.change),
            )
        })
        .collect();
    diverging_bars("Cost change by component", &rows)
}

/// The comparison as a self-contained HTML page (every id escaped).
pub fn render(c: &Comparison) -> String {
    let esc = |s: &str| escape_html(s);
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<h1>Plan comparison: {} → {}</h1>",
        esc(&c.old.model),
        esc(&c.new.model)
    );
    let _ = writeln!(
        body,
        "<p class=\"meta\"><strong>Old:</strong> {} — {}, {}, {}<br>\n<strong>New:</strong> {} — {}, {}, {}</p>",
        esc(&c.old.label),
        esc(&c.old.model),
        esc(c.old.status.word()),
        esc(&periods_text(&c.old)),
        esc(&c.new.label),
        esc(&c.new.model),
        esc(c.new.status.word()),
        esc(&periods_text(&c.new))
    );

    let _ = writeln!(
        body,
        "<section>\n<h2>Summary</h2>\n<div class=\"panel\"><ul class=\"findings\">"
    );
    for line in summary(c, &esc) {
        let _ = writeln!(body, "<li>{line}</li>");
    }
    let _ = writeln!(body, "</ul></div>\n</section>");

    let _ = writeln!(body, "<section>\n<h2>Status and objective</h2>");
    let objective_cell = match (c.old.objective, c.new.objective) {
        (Some(a), Some(b)) => html_change_cell(&Delta::new(a, b), Unit::Dollars, Better::Lower),
        (x, y) => td_num(&opt_change_text(x, y, Unit::Dollars)),
    };
    let rows = vec![
        format!(
            "{}{}{}{}",
            td("Status"),
            td_num(c.old.status.word()),
            td_num(c.new.status.word()),
            td_num(if c.status_changed { "changed" } else { "–" })
        ),
        format!(
            "{}{}{}{objective_cell}",
            td("Objective"),
            td_num(&opt_value(c.old.objective, Unit::Dollars)),
            td_num(&opt_value(c.new.objective, Unit::Dollars)),
        ),
    ];
    body.push_str(&html_table(&["", "Old", "New", "Change"], 1, &rows));
    for (side, s) in [("Old", &c.old), ("New", &c.new)] {
        if let Some(m) = &s.message {
            let _ = writeln!(body, "<p>{side} plan: {}</p>", esc(m));
        }
        if !s.conflict.is_empty() {
            let names: Vec<String> = s.conflict.iter().map(|n| esc(n)).collect();
            let _ = writeln!(
                body,
                "<p>{side} plan's conflicting rules: {}.</p>",
                names.join(", ")
            );
        }
    }
    let _ = writeln!(body, "</section>");

    if !c.costs.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Cost by component</h2>");
        body.push_str(&cost_chart(c));
        let rows: Vec<String> = c
            .costs
            .iter()
            .filter(|x| {
                x.component == "total" || x.delta.old.abs() > 0.005 || x.delta.new.abs() > 0.005
            })
            .map(|x| {
                if x.component == "total" {
                    format!(
                        "<tr class=\"total\"><td>total</td><td class=\"num\">{}</td>\
                         <td class=\"num\">{}</td>{}</tr>",
                        escape_html(&money(x.delta.old)),
                        escape_html(&money(x.delta.new)),
                        html_change_cell(&x.delta, Unit::Dollars, Better::Lower)
                    )
                } else {
                    format!(
                        "{}{}{}{}",
                        td(&x.component),
                        td_num(&money(x.delta.old)),
                        td_num(&money(x.delta.new)),
                        html_change_cell(&x.delta, Unit::Dollars, Better::Lower)
                    )
                }
            })
            .collect();
        body.push_str(&html_table(
            &["Component", "Old", "New", "Change"],
            1,
            &rows,
        ));
        let _ = writeln!(body, "</section>");
    }

    if !c.measures.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Service and operations</h2>");
        let rows: Vec<String> = c
            .measures
            .iter()
            .map(|m| {
                format!(
                    "{}{}{}{}",
                    td(&m.measure),
                    td_num(&value(m.delta.old, m.unit)),
                    td_num(&value(m.delta.new, m.unit)),
                    html_change_cell(&m.delta, m.unit, m.better)
                )
            })
            .collect();
        body.push_str(&html_table(&["Measure", "Old", "New", "Change"], 1, &rows));
        let _ = writeln!(body, "</section>");
    }

    if !c.sites.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Volume moved</h2>");
        if !c.periods.compared.is_empty() {
            let _ = writeln!(
                body,
                "<p>Over the {} common periods.</p>",
                c.periods.compared.len()
            );
        }
        let moves = shown_moves(&c.site_moves);
        if moves.is_empty() {
            let _ = writeln!(body, "<p>No production moved between sites.</p>");
        } else {
            let _ = writeln!(
                body,
                "<p>Between sites (per product, largest first):</p>\n<ul>"
            );
            for m in moves.iter().take(SHOWN_MOVES) {
                let _ = writeln!(body, "<li>{}.</li>", esc(&move_sentence(m, false)));
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
        let cross = shown_moves(&c.country_moves);
        if !cross.is_empty() {
            let _ = writeln!(body, "<p>Between countries:</p>\n<ul>");
            for m in cross.iter().take(SHOWN_MOVES) {
                let _ = writeln!(body, "<li>{}.</li>", esc(&move_sentence(m, true)));
            }
            let _ = writeln!(body, "</ul>");
        }
        let _ = writeln!(body, "<h3>Production by site</h3>");
        let rows: Vec<String> = c
            .sites
            .iter()
            .map(|s| {
                format!(
                    "{}{}{}{}{}{}{}",
                    td(&format!("{}{}", s.site, presence_word(s.presence))),
                    td(&s.country),
                    td_num(&plain_units(s.units.old)),
                    td_num(&plain_units(s.units.new)),
                    html_change_cell(&s.units, Unit::Units, Better::Neither),
                    html_change_cell(&s.load, Unit::CapacityUnits, Better::Neither),
                    td_num(&utilization_text(&s.load, &s.capacity)),
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Site",
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            2,
            &rows,
        ));
        let _ = writeln!(body, "<h3>Production by country</h3>");
        let rows: Vec<String> = c
            .countries
            .iter()
            .map(|x| {
                format!(
                    "{}{}{}{}{}{}",
                    td(&x.country),
                    td_num(&plain_units(x.units.old)),
                    td_num(&plain_units(x.units.new)),
                    html_change_cell(&x.units, Unit::Units, Better::Neither),
                    html_change_cell(&x.load, Unit::CapacityUnits, Better::Neither),
                    td_num(&utilization_text(&x.load, &x.capacity)),
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            1,
            &rows,
        ));
        let _ = writeln!(body, "</section>");
    }

    super::network::html_section(&mut body, c);
    super::decisions::html_section(&mut body, c);

    if !c.bloc_shares.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Bloc shares</h2>");
        let changed: Vec<&BlocShareDelta> = c.bloc_shares.iter().filter(|b| b.changed()).collect();
        let _ = writeln!(
            body,
            "<p class=\"lead\">Lowest share over the periods and delivered-weighted average; {} of {} targets changed.</p>",
            changed.len(),
            c.bloc_shares.len()
        );
        let rows: Vec<String> = changed
            .iter()
            .take(SHOWN_ROWS * 2)
            .map(|b| {
                let cells = bloc_row(b, &|s: &str| s.to_string());
                let share_cell = |text: &str, a: Option<f64>, b: Option<f64>| {
                    let dir = match (a, b) {
                        (Some(x), Some(y)) if !same(x, y) => {
                            if y > x {
                                " up"
                            } else {
                                " down"
                            }
                        }
                        _ => "",
                    };
                    format!("<td class=\"num{dir}\">{}</td>", escape_html(text))
                };
                format!(
                    "{}{}{}{}{}{}{}{}",
                    td(&cells[0]),
                    td(&cells[1]),
                    td(&cells[2]),
                    td(&cells[3]),
                    share_cell(&cells[4], b.target_old, b.target_new),
                    share_cell(&cells[5], b.lowest_old, b.lowest_new),
                    share_cell(&cells[6], b.average_old, b.average_new),
                    td_num(&cells[7]),
                )
            })
            .collect();
        if !rows.is_empty() {
            body.push_str(&html_table(
                &[
                    "Policy",
                    "Bloc",
                    "Market",
                    "Product",
                    "Target",
                    "Lowest share",
                    "Average share",
                    "Missed",
                ],
                4,
                &rows,
            ));
        }
        if changed.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                body,
                "<p>… and {} more in compare.json.</p>",
                changed.len() - SHOWN_ROWS * 2
            );
        }
        let _ = writeln!(body, "</section>");
    }

    if !c.policies.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Binding policies</h2>");
        let rows: Vec<String> = c
            .policies
            .iter()
            .map(|p| {
                let tone = match p.change {
                    BindingChange::NewlyBinding => " class=\"worse\" style=\"color:#b42318\"",
                    BindingChange::NoLongerBinding => " class=\"better\" style=\"color:#067647\"",
                    _ => "",
                };
                format!(
                    "{}{}{}{}{}<td{tone}>{}</td>",
                    td(&p.display_name()),
                    td(&p.kind),
                    td(matched_word(p.matched)),
                    td_num(&format!(
                        "{} → {}",
                        opt_count(p.binding_old),
                        opt_count(p.binding_new)
                    )),
                    td_num(&format!(
                        "{} → {}",
                        opt_count(p.rows_old),
                        opt_count(p.rows_new)
                    )),
                    binding_word(p.change)
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Policy",
                "Kind",
                "Matched",
                "Binding rows",
                "Rows",
                "Status",
            ],
            3,
            &rows,
        ));
        let mut items = Vec::new();
        for p in &c.policies {
            if !p.newly_binding_rows.is_empty() {
                let rows: Vec<String> = p
                    .newly_binding_rows
                    .iter()
                    .map(|r| format!("<code>{}</code>", esc(r)))
                    .collect();
                items.push(format!(
                    "Newly binding rows of {}: {}",
                    esc(&p.display_name()),
                    rows.join(", ")
                ));
            }
        }
        let lim = &c.capacity_limits;
        items.push(format!(
            "Site-periods at full capacity (regular + overtime): {} → {}.",
            lim.full_old, lim.full_new
        ));
        for (what, list) in [
            ("Newly at full capacity", &lim.newly_full),
            ("No longer at full capacity", &lim.no_longer_full),
        ] {
            if !list.is_empty() {
                let shown: Vec<String> = list
                    .iter()
                    .take(SHOWN_ROWS)
                    .map(|r| format!("{} {}", esc(&r.site), esc(&r.period)))
                    .collect();
                let more = if list.len() > SHOWN_ROWS {
                    format!(" … and {} more", list.len() - SHOWN_ROWS)
                } else {
                    String::new()
                };
                items.push(format!("{what}: {}{more}.", shown.join(", ")));
            }
        }
        let _ = writeln!(body, "<ul>");
        for i in items {
            let _ = writeln!(body, "<li>{i}</li>");
        }
        let _ = writeln!(body, "</ul>\n</section>");
    }

    let _ = writeln!(body, "<section>\n<h2>Shadow prices</h2>");
    let sp = &c.shadow_prices;
    if let Some(note) = &sp.note {
        let _ = writeln!(body, "<p>Not compared: {}.</p>", esc(note));
    } else if sp.capacity.is_empty() && sp.bloc_share.is_empty() && sp.policies.is_empty() {
        let _ = writeln!(body, "<p>No shadow price changed.</p>");
    } else {
        for (title, list) in [
            ("Capacity ($ per capacity unit)", &sp.capacity),
            ("Bloc share ($ per percentage point)", &sp.bloc_share),
            ("Other policy rows ($ per unit relaxed)", &sp.policies),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(body, "<h3>{}, largest changes</h3>", esc(title));
            let rows: Vec<String> = list
                .iter()
                .take(SHOWN_ROWS / 2)
                .map(|p| {
                    format!(
                        "{}{}{}{}{}",
                        td(&p.item),
                        td(&p.per),
                        td_num(&money(p.delta.old)),
                        td_num(&money(p.delta.new)),
                        html_change_cell(&p.delta, Unit::Dollars, Better::Neither)
                    )
                })
                .collect();
            body.push_str(&html_table(
                &["Item", "Per", "Old", "New", "Change"],
                2,
                &rows,
            ));
        }
    }
    let _ = writeln!(body, "</section>");

    let _ = writeln!(body, "<section>\n<h2>Inputs and run</h2>");
    if c.metadata.is_empty() {
        let _ = writeln!(
            body,
            "<p>Same model name, solver, overrides and LP size.</p>"
        );
    } else {
        let rows: Vec<String> = c
            .metadata
            .iter()
            .map(|f| format!("{}{}{}", td(&f.field), td(&f.old), td(&f.new)))
            .collect();
        body.push_str(&html_table(&["Setting", "Old", "New"], 3, &rows));
    }
    if !c.inputs.is_empty() {
        let rows: Vec<String> = c
            .inputs
            .iter()
            .map(|i| {
                let path = match (&i.old_path, &i.new_path) {
                    (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                    (Some(p), _) | (None, Some(p)) => p.clone(),
                    (None, None) => String::new(),
                };
                format!(
                    "{}{}<td><code>{}</code></td><td><code>{}</code></td>{}",
                    td(&path),
                    td(&i.role),
                    esc(&sha_short(&i.old_sha256)),
                    esc(&sha_short(&i.new_sha256)),
                    td(&i.change)
                )
            })
            .collect();
        body.push_str(&html_table(
            &["Input", "Role", "Old SHA-256", "New SHA-256", "Change"],
            5,
            &rows,
        ));
    }
    let _ = writeln!(body, "</section>");

    if !c.notes.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Notes</h2>\n<ul>");
        for n in &c.notes {
            let _ = writeln!(body, "<li>{}</li>", esc(n));
        }
        let _ = writeln!(body, "</ul>\n</section>");
    }

    page(
        &format!("allyplan — compare {} → {}", c.old.model, c.new.model),
        &body,
    )
}
