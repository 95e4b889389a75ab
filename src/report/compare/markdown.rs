//! `compare.md`: the comparison of two plans as Markdown (every id escaped).

use std::fmt::Write;

use super::text::{
    binding_word, bloc_row, change_text, delta_units, matched_word, move_sentence, opt_change_text,
    opt_count, opt_value, periods_text, plain_units, presence_word, sha_short, shown_moves,
    summary, utilization_text, value, SHOWN_MOVES, SHOWN_ROWS,
};
use crate::fmt::{escape_markdown as escape, money};
use crate::plan::comparison::{BlocShareDelta, Comparison, Unit};

pub(super) use super::table::md_table;

/// The comparison as Markdown (every id escaped).
pub fn render(c: &Comparison) -> String {
    let esc = |s: &str| escape(s);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Plan comparison: {} → {}\n",
        escape(&c.old.model),
        escape(&c.new.model)
    );
    let _ = writeln!(
        md,
        "- **Old:** {} — {}, {}, {}",
        escape(&c.old.label),
        escape(&c.old.model),
        escape(c.old.status.word()),
        escape(&periods_text(&c.old))
    );
    let _ = writeln!(
        md,
        "- **New:** {} — {}, {}, {}\n",
        escape(&c.new.label),
        escape(&c.new.model),
        escape(c.new.status.word()),
        escape(&periods_text(&c.new))
    );

    let _ = writeln!(md, "## Summary\n");
    for line in summary(c, &esc) {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Status and objective\n");
    let mut rows = vec![vec![
        "Status".to_string(),
        escape(c.old.status.word()),
        escape(c.new.status.word()),
        if c.status_changed { "changed" } else { "–" }.to_string(),
    ]];
    rows.push(vec![
        "Objective".to_string(),
        opt_value(c.old.objective, Unit::Dollars),
        opt_value(c.new.objective, Unit::Dollars),
        opt_change_text(c.old.objective, c.new.objective, Unit::Dollars),
    ]);
    md_table(
        &mut md,
        &["", "Old", "New", "Change"],
        "|---|---:|---:|---:|",
        &rows,
    );
    for (side, s) in [("Old", &c.old), ("New", &c.new)] {
        if let Some(m) = &s.message {
            let _ = writeln!(md, "{side} plan: {}\n", escape(m));
        }
        if !s.conflict.is_empty() {
            let names: Vec<String> = s.conflict.iter().map(|n| escape(n)).collect();
            let _ = writeln!(
                md,
                "{side} plan's conflicting rules: {}.\n",
                names.join(", ")
            );
        }
    }

    if !c.costs.is_empty() {
        let _ = writeln!(md, "## Cost by component\n");
        let rows: Vec<Vec<String>> = c
            .costs
            .iter()
            .filter(|x| {
                x.component == "total" || x.delta.old.abs() > 0.005 || x.delta.new.abs() > 0.005
            })
            .map(|x| {
                let bold = |s: String| {
                    if x.component == "total" {
                        format!("**{s}**")
                    } else {
                        s
                    }
                };
                vec![
                    bold(x.component.clone()),
                    bold(money(x.delta.old)),
                    bold(money(x.delta.new)),
                    bold(change_text(&x.delta, Unit::Dollars)),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Component", "Old", "New", "Change"],
            "|---|---:|---:|---:|",
            &rows,
        );
    }

    if !c.measures.is_empty() {
        let _ = writeln!(md, "## Service and operations\n");
        let rows: Vec<Vec<String>> = c
            .measures
            .iter()
            .map(|m| {
                vec![
                    m.measure.clone(),
                    value(m.delta.old, m.unit),
                    value(m.delta.new, m.unit),
                    change_text(&m.delta, m.unit),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Measure", "Old", "New", "Change"],
            "|---|---:|---:|---:|",
            &rows,
        );
    }

    if !c.sites.is_empty() {
        let _ = writeln!(md, "## Volume moved\n");
        if !c.periods.compared.is_empty() {
            let _ = writeln!(
                md,
                "Over the {} common periods.\n",
                c.periods.compared.len()
            );
        }
        let moves = shown_moves(&c.site_moves);
        if moves.is_empty() {
            let _ = writeln!(md, "No production moved between sites.\n");
        } else {
            let _ = writeln!(md, "Between sites (per product, largest first):\n");
            for m in moves.iter().take(SHOWN_MOVES) {
                let _ = writeln!(md, "- {}.", escape(&move_sentence(m, false)));
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
        let cross = shown_moves(&c.country_moves);
        if !cross.is_empty() {
            let _ = writeln!(md, "Between countries:\n");
            for m in cross.iter().take(SHOWN_MOVES) {
                let _ = writeln!(md, "- {}.", escape(&move_sentence(m, true)));
            }
            let _ = writeln!(md);
        }
        let net: Vec<String> = c
            .products
            .iter()
            .filter(|p| p.delta.changed() && p.delta.change.abs() >= 0.5)
            .map(|p| {
                format!(
                    "{} {} units",
                    escape(&p.product),
                    delta_units(p.delta.change)
                )
            })
            .collect();
        if !net.is_empty() {
            let _ = writeln!(
                md,
                "Net change in production (not moved, made more or less): {}.\n",
                net.join(", ")
            );
        }

        let _ = writeln!(md, "### Production by site\n");
        let rows: Vec<Vec<String>> = c
            .sites
            .iter()
            .map(|s| {
                vec![
                    format!("{}{}", escape(&s.site), presence_word(s.presence)),
                    escape(&s.country),
                    plain_units(s.units.old),
                    plain_units(s.units.new),
                    change_text(&s.units, Unit::Units),
                    change_text(&s.load, Unit::CapacityUnits),
                    utilization_text(&s.load, &s.capacity),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Site",
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            "|---|---|---:|---:|---:|---:|---:|",
            &rows,
        );
        let _ = writeln!(md, "### Production by country\n");
        let rows: Vec<Vec<String>> = c
            .countries
            .iter()
            .map(|x| {
                vec![
                    escape(&x.country),
                    plain_units(x.units.old),
                    plain_units(x.units.new),
                    change_text(&x.units, Unit::Units),
                    change_text(&x.load, Unit::CapacityUnits),
                    utilization_text(&x.load, &x.capacity),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            "|---|---:|---:|---:|---:|---:|",
            &rows,
        );
    }

    super::network::markdown_section(&mut md, c);
    super::decisions::markdown_section(&mut md, c);

    if !c.bloc_shares.is_empty() {
        let _ = writeln!(md, "## Bloc shares\n");
        let changed: Vec<&BlocShareDelta> = c.bloc_shares.iter().filter(|b| b.changed()).collect();
        let _ = writeln!(
            md,
            "Lowest share over the periods and delivered-weighted average; {} of {} targets changed.\n",
            changed.len(),
            c.bloc_shares.len()
        );
        let rows: Vec<Vec<String>> = changed
            .iter()
            .take(SHOWN_ROWS * 2)
            .map(|b| bloc_row(b, &esc))
            .collect();
        if !rows.is_empty() {
            md_table(
                &mut md,
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
                "|---|---|---|---|---:|---:|---:|---:|",
                &rows,
            );
        }
        if changed.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                md,
                "… and {} more in compare.json.\n",
                changed.len() - SHOWN_ROWS * 2
            );
        }
    }

    if !c.policies.is_empty() {
        let _ = writeln!(md, "## Binding policies\n");
        let rows: Vec<Vec<String>> = c
            .policies
            .iter()
            .map(|p| {
                let how = matched_word(p.matched);
                vec![
                    escape(&p.display_name()),
                    escape(&p.kind),
                    how.to_string(),
                    format!(
                        "{} → {}",
                        opt_count(p.binding_old),
                        opt_count(p.binding_new)
                    ),
                    format!("{} → {}", opt_count(p.rows_old), opt_count(p.rows_new)),
                    binding_word(p.change).to_string(),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Policy",
                "Kind",
                "Matched",
                "Binding rows",
                "Rows",
                "Status",
            ],
            "|---|---|---|---:|---:|---|",
            &rows,
        );
        for p in &c.policies {
            if !p.newly_binding_rows.is_empty() {
                let rows: Vec<String> = p
                    .newly_binding_rows
                    .iter()
                    .map(|r| crate::fmt::markdown_code(r))
                    .collect();
                let _ = writeln!(
                    md,
                    "- Newly binding rows of {}: {}",
                    escape(&p.display_name()),
                    rows.join(", ")
                );
            }
        }
        let lim = &c.capacity_limits;
        let _ = writeln!(
            md,
            "\nSite-periods at full capacity (regular + overtime): {} → {}.",
            lim.full_old, lim.full_new
        );
        for (what, list) in [
            ("Newly at full capacity", &lim.newly_full),
            ("No longer at full capacity", &lim.no_longer_full),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list
                    .iter()
                    .take(SHOWN_ROWS)
                    .map(|r| format!("{} {}", escape(&r.site), escape(&r.period)))
                    .collect();
                let more = if list.len() > SHOWN_ROWS {
                    format!(" … and {} more", list.len() - SHOWN_ROWS)
                } else {
                    String::new()
                };
                let _ = writeln!(md, "- {what}: {}{more}.", items.join(", "));
            }
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Shadow prices\n");
    let sp = &c.shadow_prices;
    if let Some(note) = &sp.note {
        let _ = writeln!(md, "Not compared: {}.\n", escape(note));
    } else if sp.capacity.is_empty() && sp.bloc_share.is_empty() && sp.policies.is_empty() {
        let _ = writeln!(md, "No shadow price changed.\n");
    } else {
        for (title, list) in [
            ("Capacity ($ per capacity unit)", &sp.capacity),
            ("Bloc share ($ per percentage point)", &sp.bloc_share),
            ("Other policy rows ($ per unit relaxed)", &sp.policies),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(md, "{title}, largest changes:\n");
            let rows: Vec<Vec<String>> = list
                .iter()
                .take(SHOWN_ROWS / 2)
                .map(|p| {
                    vec![
                        escape(&p.item),
                        escape(&p.per),
                        money(p.delta.old),
                        money(p.delta.new),
                        change_text(&p.delta, Unit::Dollars),
                    ]
                })
                .collect();
            md_table(
                &mut md,
                &["Item", "Per", "Old", "New", "Change"],
                "|---|---|---:|---:|---:|",
                &rows,
            );
        }
    }

    let _ = writeln!(md, "## Inputs and run\n");
    if c.metadata.is_empty() {
        let _ = writeln!(md, "Same model name, solver, overrides and LP size.\n");
    } else {
        let rows: Vec<Vec<String>> = c
            .metadata
            .iter()
            .map(|f| vec![escape(&f.field), escape(&f.old), escape(&f.new)])
            .collect();
        md_table(&mut md, &["Setting", "Old", "New"], "|---|---|---|", &rows);
    }
    if !c.inputs.is_empty() {
        let rows: Vec<Vec<String>> = c
            .inputs
            .iter()
            .map(|i| {
                let path = match (&i.old_path, &i.new_path) {
                    (Some(a), Some(b)) if a != b => format!("{} → {}", escape(a), escape(b)),
                    (Some(p), _) | (None, Some(p)) => escape(p),
                    (None, None) => String::new(),
                };
                vec![
                    path,
                    i.role.clone(),
                    crate::fmt::markdown_code(&sha_short(&i.old_sha256)),
                    crate::fmt::markdown_code(&sha_short(&i.new_sha256)),
                    i.change.clone(),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Input", "Role", "Old SHA-256", "New SHA-256", "Change"],
            "|---|---|---|---|---|",
            &rows,
        );
    }

    if !c.notes.is_empty() {
        let _ = writeln!(md, "## Notes\n");
        for n in &c.notes {
            let _ = writeln!(md, "- {}", escape(n));
        }
        let _ = writeln!(md);
    }
    md
}
