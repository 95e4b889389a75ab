//! Decisions over the horizon in `report.md` and `report.html`: the MIP search, what is
//! built, opened or closed and when, what each decision is worth, expansions not built,
//! open or closed per site and period, minimum runs and contracts; and the findings on
//! them. The parts are made once as plain text ([`parts`]) and each document escapes
//! and lays them out.

use std::fmt::Write;

use crate::fmt::{
    capitalize, escape_html, escape_markdown, gap_words, group, money, money_short, pct, qty,
};
use crate::plan::{DecisionEvent, DecisionValue, DecisionsPlan, MipResult, Plan, PlanStatus};

/// Rows of a table in the reports; the rest are in its CSV file.
const MAX_ROWS: usize = 30;
/// Findings on decisions taken, in period order; the rest are counted in one more.
const DECISIONS_SHOWN: usize = 5;
/// Units (short of a contract's minimum) below this are round-off, not a finding.
const UNITS_REPORTED: f64 = 0.5;

/// How a column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
    Center,
}

/// A table as plain text: each document escapes the cells.
pub(super) struct Table {
    pub header: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
    /// Rows left out, and the CSV file that has them all.
    pub more: Option<(usize, &'static str)>,
}

impl Table {
    fn new(header: &[(&str, Align)], rows: Vec<Vec<String>>, file: &'static str) -> Table {
        let left_out = rows.len().saturating_sub(MAX_ROWS);
        let mut rows = rows;
        rows.truncate(MAX_ROWS);
        Table {
            header: header.iter().map(|(h, _)| (*h).to_string()).collect(),
            align: header.iter().map(|(_, a)| *a).collect(),
            rows,
            more: (left_out > 0).then_some((left_out, file)),
        }
    }
}

/// One part of the section: a title, sentences, a list, a table and notes (plain text).
pub(super) struct Part {
    pub title: &'static str,
    pub lead: Vec<String>,
    pub items: Vec<String>,
    pub table: Option<Table>,
    pub notes: Vec<String>,
}

impl Part {
    fn new(title: &'static str) -> Part {
        Part {
            title,
            lead: Vec::new(),
            items: Vec::new(),
            table: None,
            notes: Vec::new(),
        }
    }
}

/// A sentence on the MIP search: gap, gap asked for, nodes and best bound.
pub(super) fn mip_line(plan: &Plan, mip: &MipResult) -> String {
    let asked = gap_words(mip.target_gap);
    let asked = asked.strip_suffix(" gap").unwrap_or(&asked);
    let how = if plan.status == PlanStatus::TimeLimit {
        format!("stopped at the time limit with {}", gap_words(mip.gap))
    } else {
        gap_words(mip.gap)
    };
    let nodes = nodes_text(mip.nodes);
    let bound = if mip.bound.is_finite() {
        format!("best bound {}", money(mip.bound))
    } else {
        "no best bound".to_string()
    };
    format!("MIP: {how} (asked for {asked}), {nodes}, {bound}.")
}

/// `1 node`, `1,234 nodes`.
pub(super) fn nodes_text(nodes: u64) -> String {
    if nodes == 1 {
        "1 node".to_string()
    } else {
        format!("{} nodes", group(nodes))
    }
}

/// Money with a leading minus for negative amounts: `-$50.00`.
fn signed(x: f64) -> String {
    if x < 0.0 {
        format!("-{}", money(-x))
    } else {
        money(x)
    }
}

fn opt_money(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), signed)
}

/// A build's expansion with the part built, when not whole: `line-2 (40%)`.
pub(super) fn expansion_cell(e: &DecisionEvent) -> String {
    let Some(name) = e.expansion.clone() else {
        return "–".to_string();
    };
    match e.fraction {
        Some(f) if f < 1.0 - 1e-9 => format!("{name} ({})", pct(f)),
        _ => name,
    }
}

/// Distinct values in order of first appearance.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The parts of the section, in report order.
pub(super) fn parts(plan: &Plan, d: &DecisionsPlan) -> Vec<Part> {
    use Align::{Center, Left, Right};
    let mut out = Vec::new();

    let mut timeline = Part::new("Timeline");
    let can_decide = !d.timeline.is_empty() || !d.expansions.is_empty() || !d.sites.is_empty();
    if !can_decide {
        // Only other integer rules (minimum runs, contracts, preference tariffs): no
        // timeline to show.
    } else if d.timeline.is_empty() {
        timeline
            .lead
            .push("Nothing is built, opened or closed over the horizon.".to_string());
    } else {
        let rows = d
            .timeline
            .iter()
            .map(|e| {
                vec![
                    e.period.clone(),
                    e.action.clone(),
                    e.site.clone(),
                    expansion_cell(e),
                    e.capacity.map_or_else(|| "–".to_string(), qty),
                    money(e.cost),
                ]
            })
            .collect();
        timeline.table = Some(Table::new(
            &[
                ("Period", Left),
                ("Action", Left),
                ("Site", Left),
                ("Expansion", Left),
                ("Capacity added", Right),
                ("Cost", Right),
            ],
            rows,
            "decisions.csv",
        ));
    }
    if can_decide {
        out.push(timeline);
    }

    if !d.values.is_empty() || d.values_note.is_some() {
        let mut values = Part::new("What each decision is worth");
        if !d.values.is_empty() {
            values.lead.push(
                "Each decision against the best plan that decides it the other way (one more solve each)."
                    .to_string(),
            );
        }
        values.items = d
            .values
            .iter()
            .map(|v| format!("{}.", capitalize(&v.sentence)))
            .collect();
        if !d.values.is_empty() {
            let rows = d
                .values
                .iter()
                .map(|v| {
                    vec![
                        v.decision.clone(),
                        if v.taken { "yes" } else { "no" }.to_string(),
                        v.period.clone().unwrap_or_else(|| "–".to_string()),
                        opt_money(v.without),
                        opt_money(v.with),
                        opt_money(v.saves),
                    ]
                })
                .collect();
            values.table = Some(Table::new(
                &[
                    ("Decision", Left),
                    ("Taken", Left),
                    ("Period", Left),
                    ("Best without", Right),
                    ("Best with", Right),
                    ("Saves", Right),
                ],
                rows,
                "decision_values.csv",
            ));
        }
        if let Some(note) = &d.values_note {
            values.notes.push(format!("{}.", capitalize(note)));
        }
        out.push(values);
    }

    if !d.expansions.is_empty() {
        let mut idle = Part::new("Expansions not built");
        let rows: Vec<Vec<String>> = d
            .expansions
            .iter()
            .filter(|x| x.fraction <= 0.0)
            .map(|x| {
                vec![
                    x.site.clone(),
                    x.name.clone(),
                    x.resource.clone(),
                    qty(x.capacity),
                    money(x.cost),
                    x.from.clone(),
                ]
            })
            .collect();
        if rows.is_empty() {
            idle.lead.push("Every expansion is built.".to_string());
        } else {
            idle.table = Some(Table::new(
                &[
                    ("Site", Left),
                    ("Expansion", Left),
                    ("Resource", Left),
                    ("Capacity", Right),
                    ("Cost", Right),
                    ("From", Left),
                ],
                rows,
                "expansions.csv",
            ));
        }
        out.push(idle);
    }

    if !d.sites.is_empty() {
        let mut states = Part::new("Open or closed");
        let sites = distinct(d.sites.iter().map(|s| s.site.as_str()));
        let rows = sites
            .iter()
            .map(|site| {
                let mine: Vec<_> = d.sites.iter().filter(|s| s.site == *site).collect();
                let mut row = vec![(*site).to_string()];
                for p in &plan.periods {
                    row.push(match mine.iter().find(|s| s.period == *p) {
                        Some(s) if s.open => "●".to_string(),
                        Some(_) => "○".to_string(),
                        None => String::new(),
                    });
                }
                row.push(money(mine.iter().map(|s| s.fixed_cost).sum()));
                row
            })
            .collect();
        let mut header: Vec<(&str, Align)> = vec![("Site", Left)];
        header.extend(plan.periods.iter().map(|p| (p.as_str(), Center)));
        header.push(("Fixed cost paid", Right));
        states.table = Some(Table::new(&header, rows, "site_states.csv"));
        states
            .notes
            .push("● open, ○ closed; the fixed cost is paid in open periods.".to_string());
        out.push(states);
    }

    if !d.runs.is_empty() {
        let mut runs = Part::new("Minimum runs");
        let mut keys: Vec<(&str, &str)> = Vec::new();
        for r in &d.runs {
            let key = (r.site.as_str(), r.product.as_str());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let rows = keys
            .iter()
            .map(|(site, product)| {
                let mine: Vec<_> = d
                    .runs
                    .iter()
                    .filter(|r| r.site == *site && r.product == *product)
                    .collect();
                let run = mine.iter().filter(|r| r.runs).count();
                vec![
                    (*site).to_string(),
                    (*product).to_string(),
                    qty(mine.first().map_or(0.0, |r| r.min_run)),
                    run.to_string(),
                    (mine.len() - run).to_string(),
                    qty(mine.iter().map(|r| r.quantity).sum()),
                ]
            })
            .collect();
        runs.lead.push(
            "Each make with a minimum run makes nothing or at least its minimum in a period."
                .to_string(),
        );
        runs.table = Some(Table::new(
            &[
                ("Site", Left),
                ("Product", Left),
                ("Minimum run", Right),
                ("Periods run", Right),
                ("Periods idle", Right),
                ("Units made", Right),
            ],
            rows,
            "runs.csv",
        ));
        out.push(runs);
    }

    if !d.contracts.is_empty() {
        let mut contracts = Part::new("Contracts");
        let rows = d
            .contracts
            .iter()
            .map(|c| {
                vec![
                    c.contract.clone(),
                    c.site.clone(),
                    c.window.clone(),
                    qty(c.shipped),
                    qty(c.min),
                    c.max.map_or_else(|| "–".to_string(), qty),
                    qty(c.shortfall),
                    money(c.shortfall_paid),
                ]
            })
            .collect();
        contracts.table = Some(Table::new(
            &[
                ("Contract", Left),
                ("Site", Left),
                ("Window", Left),
                ("Shipped", Right),
                ("Min", Right),
                ("Max", Right),
                ("Shortfall", Right),
                ("Paid", Right),
            ],
            rows,
            "contracts.csv",
        ));
        out.push(contracts);
    }
    out
}

/// The "Decisions" section of `report.md`; nothing for a plan without decisions.
pub(super) fn write_markdown(md: &mut String, plan: &Plan) {
    let Some(d) = &plan.decisions else { return };
    let esc = |s: &str| escape_markdown(s);
    let _ = writeln!(md, "## Decisions\n");
    if let Some(mip) = &d.mip {
        let _ = writeln!(md, "{}\n", esc(&mip_line(plan, mip)));
    }
    for part in parts(plan, d) {
        let _ = writeln!(md, "### {}\n", part.title);
        for line in &part.lead {
            let _ = writeln!(md, "{}\n", esc(line));
        }
        for item in &part.items {
            let _ = writeln!(md, "- {}", esc(item));
        }
        if !part.items.is_empty() {
            let _ = writeln!(md);
        }
        if let Some(t) = &part.table {
            let header: Vec<String> = t.header.iter().map(|h| esc(h)).collect();
            let _ = writeln!(md, "| {} |", header.join(" | "));
            let align: String = t
                .align
                .iter()
                .map(|a| match a {
                    Align::Left => "---|",
                    Align::Right => "---:|",
                    Align::Center => ":---:|",
                })
                .collect();
            let _ = writeln!(md, "|{align}");
            for row in &t.rows {
                let cells: Vec<String> = row.iter().map(|c| esc(c)).collect();
                let _ = writeln!(md, "| {} |", cells.join(" | "));
            }
            if let Some((n, file)) = t.more {
                let _ = writeln!(md, "\n… and {n} more rows in `{file}`.");
            }
            let _ = writeln!(md);
        }
        for note in &part.notes {
            let _ = writeln!(md, "_{}_\n", esc(note));
        }
    }
}

/// The tables and lists of the "Decisions" section of `report.html` (the chart is drawn
/// by the caller), one panel per part.
pub(super) fn write_html_parts(b: &mut String, plan: &Plan, d: &DecisionsPlan) {
    let esc = |s: &str| escape_html(s);
    for part in parts(plan, d) {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">{}</h3>",
            part.title
        );
        for line in &part.lead {
            let _ = write!(b, "<p class=\"meta\">{}</p>", esc(line));
        }
        if !part.items.is_empty() {
            b.push_str("<ul class=\"findings\">");
            for item in &part.items {
                let _ = write!(b, "<li>{}</li>", esc(item));
            }
            b.push_str("</ul>");
        }
        if let Some(t) = &part.table {
            let attr = |a: &Align| match a {
                Align::Left => "",
                Align::Right => " class=\"num\"",
                Align::Center => " style=\"text-align:center\"",
            };
            let style = if part.items.is_empty() {
                ""
            } else {
                " style=\"margin-top:10px\""
            };
            let _ = write!(b, "<table{style}><tr>");
            for (h, a) in t.header.iter().zip(&t.align) {
                let _ = write!(b, "<th{}>{}</th>", attr(a), esc(h));
            }
            b.push_str("</tr>");
            for row in &t.rows {
                b.push_str("<tr>");
                for (cell, a) in row.iter().zip(&t.align) {
                    let class = match a {
                        Align::Left => " class=\"id\"",
                        _ => attr(a),
                    };
                    let _ = write!(b, "<td{class}>{}</td>", esc(cell));
                }
                b.push_str("</tr>");
            }
            if let Some((n, file)) = t.more {
                let _ = write!(
                    b,
                    "<tr><td colspan=\"{}\" class=\"meta\">… {n} more (all in {file})</td></tr>",
                    t.header.len()
                );
            }
            b.push_str("</table>");
        }
        for note in &part.notes {
            let _ = write!(b, "<p class=\"meta\">{}</p>", esc(note));
        }
        b.push_str("</div>\n");
    }
}

/// The label of the decision an event starts, as in [`DecisionValue::decision`].
fn decision_label(e: &DecisionEvent) -> String {
    match (e.action.as_str(), &e.expansion) {
        ("build", Some(x)) => format!("build {x} at {}", e.site),
        (action, _) => format!("{action} {}", e.site),
    }
}

/// What happens, as the start of a sentence: `Builds line-2 at hagerstown in 2027-04`.
fn event_words(e: &DecisionEvent) -> String {
    let site = escape_markdown(&e.site);
    let period = escape_markdown(&e.period);
    match (e.action.as_str(), &e.expansion) {
        ("build", Some(x)) => {
            let part = match e.fraction {
                Some(f) if f < 1.0 - 1e-9 => format!("{} of ", pct(f)),
                _ => String::new(),
            };
            format!("Builds {part}{} at {site} in {period}", escape_markdown(x))
        }
        ("open", _) => format!("Opens {site} in {period}"),
        ("close", _) => format!("Closes {site} in {period}"),
        (action, _) => format!(
            "{} {site} in {period}",
            capitalize(&escape_markdown(action))
        ),
    }
}

/// The findings on decisions over the horizon (ids Markdown-escaped): a MIP stopped at
/// its time limit, each decision taken with its cost and what it saves, and each
/// contract that ships less than its minimum.
pub(super) fn decision_findings(plan: &Plan, out: &mut Vec<String>) {
    let Some(d) = &plan.decisions else { return };
    if let (Some(mip), PlanStatus::TimeLimit) = (&d.mip, plan.status) {
        out.push(format!(
            "The MIP search stopped at the time limit with {}: the plan may cost up to that much more than the optimum (best bound {}).",
            gap_words(mip.gap),
            money(mip.bound)
        ));
    }
    for e in d.timeline.iter().take(DECISIONS_SHOWN) {
        let label = decision_label(e);
        let value: Option<&DecisionValue> = d
            .values
            .iter()
            .find(|v| v.taken && v.decision == label && v.period.as_deref() == Some(&e.period));
        let cost = if e.cost.abs() >= 0.005 {
            format!(" ({})", money_short(e.cost))
        } else {
            String::new()
        };
        let what = event_words(e);
        out.push(match value.map(|v| (v, v.saves)) {
            Some((_, Some(x))) if x >= 0.0 => format!(
                "{what}{cost}: saves {} over the horizon against the best plan without it.",
                money_short(x)
            ),
            Some((_, Some(x))) => format!(
                "{what}{cost}: costs {} more than the best plan without it (within the MIP gap).",
                money_short(-x)
            ),
            Some((v, None)) => format!("{what}{cost}; {}.", escape_markdown(&v.sentence)),
            None => format!("{what}{cost}."),
        });
    }
    if d.timeline.len() > DECISIONS_SHOWN {
        out.push(format!(
            "{} more decisions are taken over the horizon (see decisions.csv).",
            d.timeline.len() - DECISIONS_SHOWN
        ));
    }
    let names = distinct(d.contracts.iter().map(|c| c.contract.as_str()));
    for name in names {
        let rows: Vec<_> = d.contracts.iter().filter(|c| c.contract == name).collect();
        let short: Vec<_> = rows
            .iter()
            .filter(|c| c.shortfall >= UNITS_REPORTED)
            .collect();
        let paid: f64 = short.iter().map(|c| c.shortfall_paid).sum();
        match short.as_slice() {
            [] => {}
            [c] => {
                let window = if c.window == "horizon" {
                    String::new()
                } else {
                    format!(" in {}", escape_markdown(&c.window))
                };
                out.push(format!(
                    "Contract {} ships {} of its {} minimum{window}: pays {} for the shortfall.",
                    escape_markdown(name),
                    qty(c.shipped),
                    qty(c.min),
                    money(paid)
                ));
            }
            many => out.push(format!(
                "Contract {} ships less than its minimum in {} of {} windows ({} units short in all): pays {} for the shortfall.",
                escape_markdown(name),
                many.len(),
                rows.len(),
                qty(many.iter().map(|c| c.shortfall).sum()),
                money(paid)
            )),
        }
    }
}
