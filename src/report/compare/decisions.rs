//! Decisions over the horizon in the compare documents: the builds, openings and
//! closings that differ ("line-2 at hagerstown: built in 2027-04 → not built") and the
//! contract shortfalls that changed. Nothing is shown when neither plan has decisions.

use std::fmt::Write;

use crate::fmt::{escape_html, escape_markdown, money, pct, qty};
use crate::plan::comparison::{Comparison, ContractDelta, DecisionChange, Presence};

/// Changes listed in full before the rest are counted (as the other sections do).
const SHOWN_ROWS: usize = 20;

/// One side of a change: `built in 2027-04`, `built in p2, p3 (60%)`, `not built`.
fn side_words(action: &str, periods: &[String], fraction: Option<f64>) -> String {
    let (done, not) = match action {
        "build" => ("built", "not built"),
        "open" => ("opened", "not opened"),
        "close" => ("closed", "not closed"),
        _ => (action, "not"),
    };
    if periods.is_empty() {
        return not.to_string();
    }
    let part = match fraction {
        Some(f) if f > 0.0 && f < 1.0 - 1e-9 => format!(" ({})", pct(f)),
        _ => String::new(),
    };
    format!("{done} in {}{part}", periods.join(", "))
}

/// A change in words (plain text): `line-2 at hagerstown: built in 2027-04 → not built`.
pub fn change_sentence(c: &DecisionChange) -> String {
    let what = match &c.expansion {
        Some(x) => format!("{x} at {}", c.site),
        None => c.site.clone(),
    };
    format!(
        "{what}: {} → {}",
        side_words(&c.action, &c.old, c.fraction_old),
        side_words(&c.action, &c.new, c.fraction_new)
    )
}

/// A contract's shortfall change in words (plain text).
pub fn contract_sentence(c: &ContractDelta) -> String {
    let only = match c.presence {
        Presence::Both => "",
        Presence::OldOnly => " (old plan only)",
        Presence::NewOnly => " (new plan only)",
    };
    format!(
        "contract {}{only}: {} → {} units short of its minimum ({} → {} paid)",
        c.contract,
        qty(c.shortfall.old),
        qty(c.shortfall.new),
        money(c.paid.old),
        money(c.paid.new)
    )
}

/// Every line of the part, plain text; a line saying nothing differs when nothing does.
fn lines(c: &Comparison) -> Option<Vec<String>> {
    let d = c.decisions.as_ref()?;
    let mut out: Vec<String> = d.changes.iter().map(change_sentence).collect();
    out.extend(d.contracts.iter().map(contract_sentence));
    if out.is_empty() {
        out.push("Every build, opening, closing and contract shortfall is the same.".to_string());
    }
    Some(out)
}

/// The summary line on decisions, escaped by `esc`; `None` when none differ.
pub fn summary_line(c: &Comparison, esc: &dyn Fn(&str) -> String) -> Option<String> {
    let d = c.decisions.as_ref().filter(|d| d.changed())?;
    let first = d
        .changes
        .first()
        .map(change_sentence)
        .or_else(|| d.contracts.first().map(contract_sentence))?;
    let n = d.changes.len() + d.contracts.len();
    Some(if n == 1 {
        format!("Decisions over the horizon: {}.", esc(&first))
    } else {
        format!(
            "Decisions over the horizon: {n} differ, e.g. {}.",
            esc(&first)
        )
    })
}

pub fn markdown_section(md: &mut String, c: &Comparison) {
    let Some(all) = lines(c) else { return };
    let _ = writeln!(md, "## Decisions\n");
    for line in all.iter().take(SHOWN_ROWS) {
        let _ = writeln!(md, "- {}", escape_markdown(line));
    }
    if all.len() > SHOWN_ROWS {
        let _ = writeln!(
            md,
            "- … and {} more in compare.json.",
            all.len() - SHOWN_ROWS
        );
    }
    let _ = writeln!(md);
}

pub fn html_section(body: &mut String, c: &Comparison) {
    let Some(all) = lines(c) else { return };
    let _ = writeln!(
        body,
        "<section>\n<h2>Decisions</h2>\n<div class=\"panel\"><ul class=\"findings\">"
    );
    for line in all.iter().take(SHOWN_ROWS) {
        let _ = writeln!(body, "<li>{}</li>", escape_html(line));
    }
    if all.len() > SHOWN_ROWS {
        let _ = writeln!(
            body,
            "<li>… and {} more in compare.json.</li>",
            all.len() - SHOWN_ROWS
        );
    }
    let _ = writeln!(body, "</ul></div>\n</section>");
}
