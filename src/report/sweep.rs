//! The documents of a sweep's trade-off: `sweep.csv`, `sweep.json`, `sweep.md`, and
//! `sweep.svg` (total cost and unmet demand against the first varied parameter), also
//! shown in `sweep.html` with the findings and the table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::fmt::{
    csv_number as num, escape_html as html_escape, escape_markdown as escape, money, money_short,
    percent, signed_money, unescape_markdown, units,
};
use crate::output::update_dir;
use crate::plan::summary::{param_key, Point, RowStatus, Tradeoff};
use crate::report::chart::{
    n, nice_ticks, tick_label, Fmt, LinearScale, ALERT_COLOR, CHAR_W, GRID, INK, LINE_COLORS, MUTED,
};
use crate::report::csv;
use crate::report::page::page;

fn has_worst_share(t: &Tradeoff) -> bool {
    t.lines
        .iter()
        .flat_map(|l| &l.points)
        .any(|p| p.worst_share.is_some())
}

fn other_paths(t: &Tradeoff) -> Vec<String> {
    t.lines
        .first()
        .map(|l| l.params.iter().map(|p| p.path.clone()).collect())
        .unwrap_or_default()
}

/// Columns after `status` in the tables.
fn right_columns(t: &Tradeoff) -> usize {
    4 + usize::from(t.share) + usize::from(has_worst_share(t))
}

/// The trade-off table for people: headers and formatted cells (not escaped), with
/// the point of each row. The status column is `right_columns()` from the end.
fn display_table(t: &Tradeoff) -> (Vec<String>, Vec<(Vec<String>, &Point)>) {
    let worst = has_worst_share(t);
    let mut header = vec![param_key(&t.parameter).to_string()];
    header.extend(other_paths(t).iter().map(|o| param_key(o).to_string()));
    header.push("status".to_string());
    header.push("total cost".to_string());
    header.push("Δ cost".to_string());
    if t.share {
        header.push("cost of one more point".to_string());
    }
    header.push("unmet".to_string());
    header.push("fill rate".to_string());
    if worst {
        header.push("worst share".to_string());
    }
    let dash = || "–".to_string();
    let mut rows = Vec::new();
    for line in &t.lines {
        for p in &line.points {
            let mut cells = vec![p.value.clone()];
            cells.extend(line.params.iter().map(|q| q.value.clone()));
            cells.push(p.status.word().to_string());
            cells.push(p.objective.map(money).unwrap_or_else(dash));
            cells.push(p.delta_cost.map(signed_money).unwrap_or_else(dash));
            if t.share {
                cells.push(p.cost_per_point.map(signed_money).unwrap_or_else(dash));
            }
            cells.push(p.unmet.map(units).unwrap_or_else(dash));
            cells.push(p.fill_rate.map(percent).unwrap_or_else(dash));
            if worst {
                cells.push(p.worst_share.map(percent).unwrap_or_else(dash));
            }
            rows.push((cells, p));
        }
    }
    (header, rows)
}

/// Sentences on what the sweep shows, one group per line. Markdown-escaped.
pub fn findings(t: &Tradeoff) -> Vec<String> {
    let mut out = Vec::new();
    let key = escape(param_key(&t.parameter));
    for line in &t.lines {
        let prefix = if line.label.is_empty() {
            String::new()
        } else {
            format!("With {}: ", escape(&line.label))
        };
        let optimal: Vec<&Point> = line
            .points
            .iter()
            .filter(|p| p.status == RowStatus::Optimal && p.objective.is_some())
            .collect();
        if let (Some(first), Some(last)) = (optimal.first(), optimal.last()) {
            let (a, b) = (
                first.objective.unwrap_or(0.0),
                last.objective.unwrap_or(0.0),
            );
            if optimal.len() > 1 {
                let rel = if a.abs() > 0.0 {
                    format!(", {:+.2}%", 100.0 * (b - a) / a.abs())
                } else {
                    String::new()
                };
                let tiny = 1e-9 * a.abs().max(1.0);
                if (b - a).abs() <= tiny {
                    out.push(format!(
                        "{prefix}from {key} = {} to {}, total cost stays at {}.",
                        escape(&first.value),
                        escape(&last.value),
                        money(a)
                    ));
                } else {
                    out.push(format!(
                        "{prefix}from {key} = {} to {}, total cost {} from {} to {} ({}{}{rel}).",
                        escape(&first.value),
                        escape(&last.value),
                        if b > a { "rises" } else { "falls" },
                        money(a),
                        money(b),
                        if b > a { "+" } else { "-" },
                        money((b - a).abs()),
                    ));
                }
            } else {
                out.push(format!(
                    "{prefix}only {key} = {} has an optimal plan: total cost {}.",
                    escape(&first.value),
                    money(a)
                ));
            }
            if t.share {
                if let (Some(xa), Some(xb)) = (first.x, last.x) {
                    if (xb - xa).abs() > 1e-12 {
                        let avg = (b - a) / ((xb - xa) * 100.0);
                        let steepest = line
                            .points
                            .iter()
                            .filter_map(|p| p.cost_per_point.map(|c| (c, p)))
                            .max_by(|x, y| x.0.total_cmp(&y.0));
                        let mut s = format!(
                            "{prefix}one more point of {key} costs {} on average",
                            money(avg)
                        );
                        if let Some((c, p)) = steepest {
                            let _ = write!(
                                s,
                                "; the dearest step is the one to {}, at {} a point",
                                escape(&p.value),
                                money(c)
                            );
                        }
                        s.push('.');
                        out.push(s);
                    }
                }
            }
            let (ua, ub) = (first.unmet.unwrap_or(0.0), last.unmet.unwrap_or(0.0));
            if (ua - ub).abs() >= 0.5 {
                out.push(format!(
                    "{prefix}unmet demand goes from {} to {} units.",
                    units(ua),
                    units(ub)
                ));
            } else if ua >= 0.5 {
                out.push(format!(
                    "{prefix}unmet demand stays at {} units.",
                    units(ua)
                ));
            }
        } else {
            out.push(format!("{prefix}no variant has an optimal plan."));
        }
        let not_optimal: Vec<String> = line
            .points
            .iter()
            .filter(|p| p.status != RowStatus::Optimal)
            .map(|p| format!("{} ({})", escape(&p.value), escape(p.status.word())))
            .collect();
        if !not_optimal.is_empty() {
            out.push(format!(
                "{prefix}no optimal plan at {key} = {}.",
                not_optimal.join(", ")
            ));
        }
    }
    out
}

/// `sweep.csv`.
pub fn csv(t: &Tradeoff) -> Result<String, Error> {
    let others = other_paths(t);
    let worst = has_worst_share(t);
    let mut header: Vec<String> = vec![t.parameter.clone()];
    header.extend(others.iter().cloned());
    header.extend(
        ["name", "status", "total_cost", "unmet_units", "fill_rate"]
            .iter()
            .map(|s| s.to_string()),
    );
    if worst {
        header.push("worst_share".to_string());
    }
    header.extend(
        ["delta_cost", "cost_per_point", "output"]
            .iter()
            .map(|s| s.to_string()),
    );
    let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
    let rows = t.lines.iter().flat_map(|line| {
        line.points.iter().map(move |p| {
            let mut cells = vec![p.value.clone()];
            cells.extend(line.params.iter().map(|q| q.value.clone()));
            cells.push(p.name.clone());
            cells.push(p.status.word().to_string());
            cells.push(opt(p.objective));
            cells.push(opt(p.unmet));
            cells.push(opt(p.fill_rate));
            if worst {
                cells.push(opt(p.worst_share));
            }
            cells.push(opt(p.delta_cost));
            cells.push(opt(p.cost_per_point));
            cells.push(p.output.clone().unwrap_or_default());
            cells
        })
    });
    csv::table(&header, rows)
}

/// `sweep.json`, pretty-printed with a trailing newline.
pub fn json(t: &Tradeoff) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(t).map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// `sweep.md`.
pub fn markdown(t: &Tradeoff) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Sweep of {}\n", escape(&t.parameter));
    let _ = writeln!(
        md,
        "Model {}. **{}**\n",
        crate::fmt::markdown_code(&t.model),
        escape(&t.headline)
    );
    for f in findings(t) {
        let _ = writeln!(md, "- {f}");
    }
    let _ = writeln!(md, "\n![total cost and unmet demand](sweep.svg)\n");
    let (header, rows) = display_table(t);
    md.push('|');
    for h in &header {
        let _ = write!(md, " {} |", escape(h));
    }
    md.push_str(" report |\n|");
    for (i, _) in header.iter().enumerate() {
        md.push_str(if i == header.len() - 1 - right_columns(t) {
            "---|"
        } else {
            "---:|"
        });
    }
    md.push_str("---|\n");
    for (cells, p) in rows {
        md.push('|');
        for c in &cells {
            let _ = write!(md, " {} |", escape(c));
        }
        match &p.output {
            Some(o) if p.status != RowStatus::Invalid => {
                let _ = writeln!(md, " [report]({o}/report.md) |");
            }
            _ => md.push_str("  |\n"),
        }
    }
    md
}

/// `sweep.html`: the chart, findings and table on one self-contained page.
pub fn html(t: &Tradeoff) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Sweep of <span class=\"mono\">{}</span></h1>\n<p class=\"lead\">Model <span class=\"mono\">{}</span> · {}</p>\n",
        html_escape(&t.parameter),
        html_escape(&t.model),
        html_escape(&t.headline)
    );
    body.push_str("<div class=\"panel\"><ul class=\"findings\">");
    for f in findings(t) {
        let _ = write!(body, "<li>{}</li>", html_escape(&unescape_markdown(&f)));
    }
    body.push_str("</ul></div>\n<div class=\"panel\">");
    body.push_str(&svg(t));
    body.push_str("</div>\n<h2>Trade-off table</h2>\n<table><thead><tr>");
    let (header, rows) = display_table(t);
    let status_col = header.len() - 1 - right_columns(t);
    for (i, h) in header.iter().enumerate() {
        let class = if i == status_col {
            ""
        } else {
            " class=\"num\""
        };
        let _ = write!(body, "<th{class}>{}</th>", html_escape(h));
    }
    body.push_str("<th>report</th></tr></thead><tbody>\n");
    for (cells, p) in rows {
        body.push_str("<tr>");
        for (i, c) in cells.iter().enumerate() {
            if i == status_col {
                let pill = if p.status == RowStatus::Optimal {
                    "ok"
                } else {
                    "bad"
                };
                let _ = write!(
                    body,
                    "<td><span class=\"pill {pill}\">{}</span></td>",
                    html_escape(c)
                );
            } else {
                let _ = write!(body, "<td class=\"num\">{}</td>", html_escape(c));
            }
        }
        match &p.output {
            Some(o) if p.status != RowStatus::Invalid => {
                let _ = writeln!(
                    body,
                    "<td><a href=\"{}/report.html\">report</a></td></tr>",
                    html_escape(&url_path(o))
                );
            }
            _ => body.push_str("<td></td></tr>\n"),
        }
    }
    body.push_str("</tbody></table>\n");
    page(&format!("Sweep of {}", t.parameter), &body)
}

/// Percent-encodes what a relative URL path must not hold raw.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'=' | b',' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `sweep.svg`: total cost (top) and unmet demand (bottom) against the parameter.
pub fn svg(t: &Tradeoff) -> String {
    const W: f64 = 820.0;
    const RIGHT: f64 = 24.0;
    const COST_TOP: f64 = 70.0;
    const COST_H: f64 = 250.0;
    const UNMET_TOP: f64 = 380.0;
    const UNMET_H: f64 = 120.0;
    const H: f64 = 560.0;

    let points: Vec<&Point> = t.lines.iter().flat_map(|l| &l.points).collect();
    let optimal = |p: &Point| p.status == RowStatus::Optimal && p.objective.is_some();
    // x: numeric values on a linear axis, others as evenly spaced categories.
    let categories: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for p in &points {
            if !v.contains(&p.value) {
                v.push(p.value.clone());
            }
        }
        v
    };
    let numeric = t.numeric && points.iter().all(|p| p.x.is_some());
    let xs: Vec<f64> = points.iter().filter_map(|p| p.x).collect();
    let (x_ticks, x_step, x_lo, x_hi) = if numeric && !xs.is_empty() {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        };
        let (ticks, step) = nice_ticks(lo, hi, 8);
        let pad = 0.04 * (hi - lo);
        let ticks: Vec<f64> = ticks
            .into_iter()
            .filter(|&v| v >= lo - pad - 1e-12 && v <= hi + pad + 1e-12)
            .collect();
        (ticks, step, lo - pad, hi + pad)
    } else {
        let n_cat = categories.len().max(1) as f64;
        (
            (0..categories.len()).map(|i| i as f64).collect(),
            1.0,
            -0.5,
            n_cat - 0.5,
        )
    };
    let x_of = |p: &Point| -> f64 {
        if numeric {
            p.x.unwrap_or(0.0)
        } else {
            categories.iter().position(|c| *c == p.value).unwrap_or(0) as f64
        }
    };

    let costs: Vec<f64> = points
        .iter()
        .filter(|p| optimal(p))
        .filter_map(|p| p.objective)
        .collect();
    let (c_lo, c_hi) = match (
        costs.iter().copied().reduce(f64::min),
        costs.iter().copied().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) if hi - lo > 1e-9 * hi.abs().max(1.0) => {
            let pad = 0.05 * (hi - lo);
            (lo - pad, hi + pad)
        }
        (Some(lo), Some(_)) => (
            lo - 0.005 * lo.abs().max(1.0),
            lo + 0.005 * lo.abs().max(1.0),
        ),
        _ => (0.0, 1.0),
    };
    let cost_scale = LinearScale::new(c_lo, c_hi, COST_TOP, COST_H, 5);
    let unmet_max = points
        .iter()
        .filter(|p| optimal(p))
        .filter_map(|p| p.unmet)
        .fold(0.0f64, f64::max);
    let unmet_scale = LinearScale::new(0.0, unmet_max.max(10.0), UNMET_TOP, UNMET_H, 3);
    let cost_labels = cost_scale.labels(Fmt::Money);
    let unmet_labels = unmet_scale.labels(Fmt::Count);
    let widest = cost_labels
        .iter()
        .chain(&unmet_labels)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4) as f64;
    let left = widest * CHAR_W + 40.0;
    let plot_w = W - left - RIGHT;
    let px = |x: f64| left + plot_w * (x - x_lo) / (x_hi - x_lo).max(1e-12);

    let mut s = String::new();
    let title = format!("Total cost and unmet demand against {}", t.parameter);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" font-size=\"11\">",
        html_escape(&title)
    );
    let _ = write!(s, "<rect width=\"{W}\" height=\"{H}\" fill=\"#fff\"/>");
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"{INK}\">{}</text>",
        n(left),
        html_escape(&title)
    );
    // Legend.
    let mut lx = left;
    let legend_y = 44.0;
    let many = t.lines.len() > 1;
    for (i, line) in t.lines.iter().enumerate() {
        if !many {
            break;
        }
        let color = LINE_COLORS[i % LINE_COLORS.len()];
        let label = line.label.clone();
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{legend_y}\" x2=\"{}\" y2=\"{legend_y}\" stroke=\"{color}\" stroke-width=\"2.5\"/><circle cx=\"{}\" cy=\"{legend_y}\" r=\"3\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
            n(lx),
            n(lx + 22.0),
            n(lx + 11.0),
            n(lx + 28.0),
            n(legend_y + 4.0),
            html_escape(&label)
        );
        lx += 28.0 + CHAR_W * label.chars().count() as f64 + 18.0;
    }
    if points.iter().any(|p| !optimal(p)) {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" fill=\"{ALERT_COLOR}\" font-size=\"14\" text-anchor=\"middle\">×</text><text x=\"{}\" y=\"{}\" fill=\"{INK}\">no optimal plan (infeasible, …)</text>",
            n(lx + 6.0),
            n(legend_y + 5.0),
            n(lx + 16.0),
            n(legend_y + 4.0)
        );
    }

    // Panels.
    let panels = [
        (&cost_scale, &cost_labels, "total cost ($)", true),
        (&unmet_scale, &unmet_labels, "unmet demand (units)", false),
    ];
    for (scale, labels, y_title, is_cost) in panels {
        for (tick, label) in scale.ticks.iter().zip(labels.iter()) {
            let y = scale.y(*tick);
            let _ = write!(
                s,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{MUTED}\">{}</text>",
                n(left),
                n(y),
                n(W - RIGHT),
                n(y),
                n(left - 6.0),
                n(y),
                html_escape(label)
            );
        }
        let bottom = scale.top + scale.height;
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\"/>",
            n(left),
            n(bottom),
            n(W - RIGHT),
            n(bottom)
        );
        let cy = scale.top + 0.5 * scale.height;
        let _ = write!(
            s,
            "<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\" fill=\"{INK}\">{}</text>",
            n(cy),
            n(cy),
            html_escape(y_title)
        );
        if !is_cost && unmet_max <= 0.0 && !costs.is_empty() {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\" font-style=\"italic\">no unmet demand in any optimal plan</text>",
                n(left + 0.5 * plot_w),
                n(scale.top + 0.45 * scale.height)
            );
        }
        if is_cost && scale.lo > 0.0 {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{MUTED}\" font-style=\"italic\">axis does not start at $0</text>",
                n(W - RIGHT),
                n(scale.top - 6.0)
            );
        }
        // x ticks under each panel.
        for (i, &xv) in x_ticks.iter().enumerate() {
            let x = px(xv);
            let label = if numeric {
                tick_label(xv, x_step, 0.0, Fmt::Count)
            } else {
                categories.get(i).cloned().unwrap_or_default()
            };
            let _ = write!(
                s,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
                n(x),
                n(bottom),
                n(x),
                n(bottom + 4.0),
                n(x),
                n(bottom + 16.0),
                html_escape(&label)
            );
        }
        // Lines and points.
        for (i, line) in t.lines.iter().enumerate() {
            let color = LINE_COLORS[i % LINE_COLORS.len()];
            let value_of = |p: &Point| if is_cost { p.objective } else { p.unmet };
            let mut d = String::new();
            let mut pen = false;
            for p in &line.points {
                match (optimal(p), value_of(p)) {
                    (true, Some(v)) => {
                        let _ = write!(
                            d,
                            "{}{} {}",
                            if pen { " L" } else { " M" },
                            n(px(x_of(p))),
                            n(scale.y(v))
                        );
                        pen = true;
                    }
                    _ => pen = false,
                }
            }
            if !d.is_empty() {
                let _ = write!(
                    s,
                    "<path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{}/>",
                    d.trim_start(),
                    if is_cost {
                        ""
                    } else {
                        " stroke-dasharray=\"5 3\""
                    }
                );
            }
            for p in &line.points {
                let x = px(x_of(p));
                let who = if line.label.is_empty() {
                    format!("{} = {}", param_key(&t.parameter), p.value)
                } else {
                    format!("{} = {}, {}", param_key(&t.parameter), p.value, line.label)
                };
                match (optimal(p), value_of(p)) {
                    (true, Some(v)) => {
                        let tip = if is_cost {
                            let mut tip = format!("{who}: total cost {}", money(v));
                            if let Some(c) = p.cost_per_point {
                                let _ = write!(tip, " ({} a point)", signed_money(c));
                            }
                            tip
                        } else {
                            format!("{who}: unmet demand {} units", units(v))
                        };
                        let _ = write!(
                            s,
                            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{color}\" stroke=\"#fff\" stroke-width=\"1\"><title>{}</title></circle>",
                            n(x),
                            n(scale.y(v)),
                            html_escape(&tip)
                        );
                    }
                    _ if is_cost => {
                        let _ = write!(
                            s,
                            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ALERT_COLOR}\" font-size=\"16\">×<title>{}: {}</title></text>",
                            n(x),
                            n(bottom - 6.0),
                            html_escape(&who),
                            html_escape(p.status.word())
                        );
                    }
                    _ => {}
                }
            }
        }
        if is_cost && costs.len() > 1 {
            let span = money_short(
                costs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - costs.iter().copied().fold(f64::INFINITY, f64::min),
            );
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" fill=\"{MUTED}\">spread {}</text>",
                n(left),
                n(scale.top - 6.0),
                html_escape(&span)
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
        n(left + 0.5 * plot_w),
        n(H - 14.0),
        html_escape(&t.parameter)
    );
    s.push_str("</svg>\n");
    s
}

/// `sweep.{csv,json,md,svg,html}` for a trade-off, as (file name, contents).
pub fn files(t: &Tradeoff) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let files = [
        ("sweep.csv", csv(t)?),
        ("sweep.json", json(t)?),
        ("sweep.md", markdown(t)),
        ("sweep.svg", svg(t)),
        ("sweep.html", html(t)),
    ];
    Ok(files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect())
}

/// Adds the trade-off [`files`] to folder `dir` under its lock (see
/// [`crate::output::write_dir`]); returns the files written.
pub fn write_files(t: &Tradeoff, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    update_dir(dir, &files(t)?)
}
