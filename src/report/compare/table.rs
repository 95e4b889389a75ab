//! The table pieces the compare documents share: HTML cells and tables, Markdown
//! tables. Below the documents (it imports only `text`, plain data and `fmt`).

use std::fmt::Write;

use super::text::change_text;
use crate::fmt::escape_html;
use crate::plan::comparison::{Better, Delta, Unit};

/// Colour of a change: red when worse, green when better, neutral otherwise.
fn tone(change: f64, better: Better) -> &'static str {
    match better {
        Better::Neither => "neutral",
        Better::Higher if change > 0.0 => "better",
        Better::Lower if change < 0.0 => "better",
        _ => "worse",
    }
}

fn tone_style(tone: &str) -> &'static str {
    match tone {
        "better" => "color:#067647",
        "worse" => "color:#b42318",
        _ => "",
    }
}

/// A `<td>` holding a change, marked ▲/▼ and coloured by whether it is better or worse.
pub(super) fn html_change_cell(d: &Delta, unit: Unit, better: Better) -> String {
    if !d.changed() {
        return "<td class=\"num delta same\">–</td>".to_string();
    }
    let direction = if d.change > 0.0 { "up" } else { "down" };
    let tone = tone(d.change, better);
    format!(
        "<td class=\"num delta {direction} {tone}\" style=\"{}\">{}</td>",
        tone_style(tone),
        escape_html(&change_text(d, unit))
    )
}

pub(super) fn html_table(header: &[&str], numeric_from: usize, rows: &[String]) -> String {
    let mut out = String::from("<div class=\"panel\">\n<table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", escape_html(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        if r.starts_with("<tr") {
            let _ = writeln!(out, "{r}");
        } else {
            let _ = writeln!(out, "<tr>{r}</tr>");
        }
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

pub(super) fn td(text: &str) -> String {
    format!("<td class=\"id\">{}</td>", escape_html(text))
}

pub(super) fn td_num(text: &str) -> String {
    format!("<td class=\"num\">{}</td>", escape_html(text))
}

pub(super) fn md_table(md: &mut String, header: &[&str], align: &str, rows: &[Vec<String>]) {
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let _ = writeln!(md, "{align}");
    for row in rows {
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    let _ = writeln!(md);
}
