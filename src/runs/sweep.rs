//! Parameter sweeps: the grid of variants of one model (`--vary PATH=A..B step S`), solved
//! like a batch, and the trade-off they show: a table (`sweep.csv`, `sweep.json`,
//! `sweep.md`) and a chart of total cost and unmet demand against the first varied
//! parameter (`sweep.svg`, `sweep.html`).
//!
//! With several `--vary`, the first is the chart's x axis and every combination of the
//! others is one line. Nothing is warm-started: each variant runs the whole pipeline (see
//! the README for why).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fmt::{
    csv_number as num, escape_html as html_escape, escape_markdown as escape, money, money_short,
    neutralise_csv as neutralise, percent, signed_money, unescape_markdown, units,
};
use crate::load::{normalize, Overrides};
use crate::output::write_atomic;
use crate::pipeline::safe_folder_name;
use crate::report::chart::{
    n, nice_ticks, tick_label, Fmt, LinearScale, ALERT_COLOR, CHAR_W, GRID, INK, LINE_COLORS, MUTED,
};
use crate::report::page::page;
use crate::runs::batch::{name_entries_with, Entry, EntrySpec, Param, Row, Summary};

/// Largest grid accepted.
pub const MAX_VARIANTS: usize = 10_000;

/// One `--vary`: a model path and the values it takes, as written into `--set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vary {
    pub path: String,
    pub values: Vec<String>,
}

/// What a sweep varies, recorded in its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// The model file as given.
    pub model: String,
    /// Overrides applied to every variant (`--set`, `--disable`).
    pub overrides: Vec<String>,
    pub vary: Vec<Vary>,
}

/// Digits after the decimal point as written (`0.05` → 2); `None` for exponent forms.
fn written_decimals(text: &str) -> Option<usize> {
    if text.contains(['e', 'E']) {
        return None;
    }
    Some(text.split_once('.').map_or(0, |(_, f)| f.len()))
}

fn parse_number(text: &str, what: &str, arg: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "--vary `{arg}`: {what} `{}` is not a number",
            text.trim()
        )),
    }
}

impl Vary {
    /// Parses `PATH=A..B step S` (A, A+S, … up to B) or `PATH=v1,v2,v3`.
    pub fn parse(arg: &str) -> Result<Vary, String> {
        let usage = format!(
            "--vary `{arg}`: expected PATH=A..B step S or PATH=v1,v2,…, e.g. 'policies[critical-usmca-70].min_share=0.5..0.95 step 0.05'"
        );
        let (path, spec) = arg.split_once('=').ok_or_else(|| usage.clone())?;
        let (path, spec) = (path.trim(), spec.trim());
        if path.is_empty() || spec.is_empty() {
            return Err(usage);
        }
        let values = if let Some((a, rest)) = spec.split_once("..") {
            let mut words = rest.split_whitespace();
            let b = words.next().ok_or_else(|| usage.clone())?;
            let step = match (words.next(), words.next(), words.next()) {
                (Some("step"), Some(s), None) => s,
                (None, _, _) => {
                    return Err(format!(
                        "--vary `{arg}`: a range needs a step, e.g. {a}..{b} step 0.05"
                    ))
                }
                _ => return Err(usage),
            };
            let (lo, hi, s) = (
                parse_number(a, "the start", arg)?,
                parse_number(b, "the end", arg)?,
                parse_number(step, "the step", arg)?,
            );
            if s <= 0.0 {
                return Err(format!("--vary `{arg}`: the step must be positive"));
            }
            if hi < lo {
                return Err(format!(
                    "--vary `{arg}`: the end ({b}) is below the start ({a})"
                ));
            }
            let count = ((hi - lo) / s + 1e-9).floor() + 1.0;
            if count > MAX_VARIANTS as f64 {
                return Err(format!(
                    "--vary `{arg}`: {count} values; at most {MAX_VARIANTS}"
                ));
            }
            let decimals = [a, b, step]
                .iter()
                .map(|t| written_decimals(t.trim()))
                .try_fold(0usize, |m, d| d.map(|d| m.max(d)));
            (0..count as usize)
                .map(|i| {
                    let v = lo + i as f64 * s;
                    match decimals {
                        Some(d) => {
                            let text = format!("{v:.d$}");
                            // No `-0.00`.
                            if text
                                .trim_start_matches('-')
                                .chars()
                                .all(|c| c == '0' || c == '.')
                            {
                                text.trim_start_matches('-').to_string()
                            } else {
                                text
                            }
                        }
                        None => {
                            let r = (v * 1e12).round() / 1e12;
                            format!("{r}")
                        }
                    }
                })
                .collect::<Vec<_>>()
        } else {
            spec.split(',').map(|v| v.trim().to_string()).collect()
        };
        if values.iter().any(String::is_empty) {
            return Err(format!("--vary `{arg}`: an empty value in the list"));
        }
        for (i, v) in values.iter().enumerate() {
            let same = |w: &String| {
                w == v || matches!((w.parse::<f64>(), v.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
            };
            if values[..i].iter().any(same) {
                return Err(format!("--vary `{arg}`: the value {v} is listed twice"));
            }
        }
        Ok(Vary {
            path: path.to_string(),
            values,
        })
    }

    /// Every value parses as a number.
    pub fn numeric(&self) -> bool {
        self.values.iter().all(|v| v.parse::<f64>().is_ok())
    }
}

/// The last key of a path without its selector: `policies[x].min_share` → `min_share`.
fn last_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// Short names of the varied paths, for entry names: the last key when these are
/// distinct, else the whole path.
fn short_names(vary: &[Vary]) -> Vec<String> {
    let keys: Vec<&str> = vary.iter().map(|v| last_key(&v.path)).collect();
    let distinct = keys
        .iter()
        .enumerate()
        .all(|(i, k)| !k.is_empty() && !keys[..i].contains(k));
    vary.iter()
        .zip(&keys)
        .map(|(v, k)| {
            if distinct {
                safe_folder_name(k)
            } else {
                safe_folder_name(&v.path)
            }
        })
        .collect()
}

/// The grid: every combination of the values, the first `--vary` varying fastest (so
/// each combination of the others is one contiguous line of the chart). Entries are
/// named `min_share=0.80` (several: `min_share=0.80,leveling_weight=5`).
pub fn grid(model: &Path, base: &Overrides, vary: &[Vary]) -> Result<Vec<Entry>, Error> {
    if vary.is_empty() {
        return Err(Error::Usage("give at least one --vary".to_string()));
    }
    for (i, v) in vary.iter().enumerate() {
        if vary[..i].iter().any(|w| w.path == v.path) {
            return Err(Error::Usage(format!("--vary {}: varied twice", v.path)));
        }
    }
    let total = vary
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
        .filter(|&n| n <= MAX_VARIANTS)
        .ok_or_else(|| {
            Error::Usage(format!(
                "the grid has more than {MAX_VARIANTS} variants; vary fewer values"
            ))
        })?;
    let names = short_names(vary);
    let mut specs = Vec::with_capacity(total);
    for k in 0..total {
        // Mixed radix, first --vary fastest.
        let mut rest = k;
        let mut params = Vec::with_capacity(vary.len());
        for v in vary {
            let j = rest % v.values.len();
            rest /= v.values.len();
            params.push(Param {
                path: v.path.clone(),
                value: v.values[j].clone(),
            });
        }
        let name = params
            .iter()
            .zip(&names)
            .map(|(p, n)| format!("{n}={}", safe_folder_name(&p.value)))
            .collect::<Vec<_>>()
            .join(",");
        let mut overrides = base.clone();
        for p in &params {
            overrides.set.push((p.path.clone(), p.value.clone()));
        }
        specs.push(EntrySpec {
            name: Some(name),
            model: model.to_path_buf(),
            overrides,
            params,
        });
    }
    Ok(name_entries_with(specs, &|s: &str| s.to_string()))
}

/// The spec recorded in the summary.
pub fn spec(model: &Path, base: &Overrides, vary: &[Vary]) -> SweepSpec {
    SweepSpec {
        model: normalize(model).display().to_string(),
        overrides: base.describe(),
        vary: vary.to_vec(),
    }
}

/// One variant on the trade-off curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub name: String,
    /// The value of the first varied parameter, as written.
    pub value: String,
    /// The same as a number, when it is one.
    pub x: Option<f64>,
    pub status: String,
    pub objective: Option<f64>,
    pub unmet: Option<f64>,
    pub fill_rate: Option<f64>,
    /// The lowest row share of the varied `min_bloc_share` policy, when it is one.
    pub worst_share: Option<f64>,
    /// Cost change from the previous optimal point of the line.
    pub delta_cost: Option<f64>,
    /// Δcost / (Δshare × 100): what one more percentage point costs, for share parameters.
    pub cost_per_point: Option<f64>,
    pub output: Option<String>,
}

/// One line: the points of one combination of the other varied parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// `leveling_weight=5` (empty with a single `--vary`).
    pub label: String,
    pub params: Vec<Param>,
    pub points: Vec<Point>,
}

/// The trade-off table of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tradeoff {
    pub model: String,
    /// The varied parameter on the x axis.
    pub parameter: String,
    /// Whether it is a share (`…min_share`/`…max_share`), so a point costs something.
    pub share: bool,
    /// Whether every value is a number (a numeric x axis).
    pub numeric: bool,
    pub headline: String,
    pub lines: Vec<Line>,
}

fn policy_selector(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("policies[")?;
    rest.split_once(']').map(|(sel, _)| sel)
}

/// The trade-off of a complete sweep summary (`None` for a batch).
pub fn tradeoff(summary: &Summary) -> Option<Tradeoff> {
    let spec = summary.sweep.as_ref()?;
    let primary = spec.vary.first()?;
    let share = primary.path.ends_with("min_share") || primary.path.ends_with("max_share");
    let numeric = primary.numeric();
    let selector = policy_selector(&primary.path);
    let mut lines: Vec<Line> = Vec::new();
    for row in &summary.rows {
        let others: Vec<Param> = row
            .params
            .iter()
            .filter(|p| p.path != primary.path)
            .cloned()
            .collect();
        let value = row
            .params
            .iter()
            .find(|p| p.path == primary.path)
            .map(|p| p.value.clone())
            .unwrap_or_default();
        let pos = match lines.iter().position(|l| l.params == others) {
            Some(p) => p,
            None => {
                let label = others
                    .iter()
                    .map(|p| format!("{}={}", last_key(&p.path), p.value))
                    .collect::<Vec<_>>()
                    .join(", ");
                lines.push(Line {
                    label,
                    params: others,
                    points: Vec::new(),
                });
                lines.len() - 1
            }
        };
        lines[pos].points.push(point(row, value, selector));
    }
    for line in &mut lines {
        // Order along the axis as the values were given.
        line.points.sort_by_key(|p| {
            primary
                .values
                .iter()
                .position(|v| *v == p.value)
                .unwrap_or(usize::MAX)
        });
        let mut previous: Option<(Option<f64>, f64)> = None;
        for p in &mut line.points {
            let (true, Some(cost)) = (p.status == "optimal", p.objective) else {
                continue;
            };
            if let Some((px, pcost)) = previous {
                p.delta_cost = Some(cost - pcost);
                if let (true, Some(x), Some(px)) = (share, p.x, px) {
                    let dx = x - px;
                    if dx.abs() > 1e-12 {
                        p.cost_per_point = Some((cost - pcost) / (dx * 100.0));
                    }
                }
            }
            previous = Some((p.x, cost));
        }
    }
    Some(Tradeoff {
        model: spec.model.clone(),
        parameter: primary.path.clone(),
        share,
        numeric,
        headline: summary.headline(),
        lines,
    })
}

fn point(row: &Row, value: String, selector: Option<&str>) -> Point {
    let optimal = row.status == "optimal";
    let worst_share = selector.and_then(|sel| {
        row.bloc_shares
            .iter()
            .find(|b| b.policy == sel)
            .and_then(|b| b.worst)
    });
    Point {
        name: row.name.clone(),
        x: value.parse::<f64>().ok(),
        value,
        status: row.status.clone(),
        // Only verified optimal plans have figures on the curve.
        objective: row.objective.filter(|_| optimal),
        unmet: row.unmet.filter(|_| optimal),
        fill_rate: row.fill_rate.filter(|_| optimal),
        worst_share,
        delta_cost: None,
        cost_per_point: None,
        output: row.output.clone(),
    }
}

impl Tradeoff {
    fn has_worst_share(&self) -> bool {
        self.lines
            .iter()
            .flat_map(|l| &l.points)
            .any(|p| p.worst_share.is_some())
    }

    fn other_paths(&self) -> Vec<String> {
        self.lines
            .first()
            .map(|l| l.params.iter().map(|p| p.path.clone()).collect())
            .unwrap_or_default()
    }

    /// Columns after `status` in the tables.
    fn right_columns(&self) -> usize {
        4 + usize::from(self.share) + usize::from(self.has_worst_share())
    }

    /// The trade-off table for people: headers and formatted cells (not escaped), with
    /// the point of each row. The status column is `right_columns()` from the end.
    fn table(&self) -> (Vec<String>, Vec<(Vec<String>, &Point)>) {
        let worst = self.has_worst_share();
        let mut header = vec![last_key(&self.parameter).to_string()];
        header.extend(self.other_paths().iter().map(|o| last_key(o).to_string()));
        header.push("status".to_string());
        header.push("total cost".to_string());
        header.push("Δ cost".to_string());
        if self.share {
            header.push("cost of one more point".to_string());
        }
        header.push("unmet".to_string());
        header.push("fill rate".to_string());
        if worst {
            header.push("worst share".to_string());
        }
        let dash = || "–".to_string();
        let mut rows = Vec::new();
        for line in &self.lines {
            for p in &line.points {
                let mut cells = vec![p.value.clone()];
                cells.extend(line.params.iter().map(|q| q.value.clone()));
                cells.push(p.status.clone());
                cells.push(p.objective.map(money).unwrap_or_else(dash));
                cells.push(p.delta_cost.map(signed_money).unwrap_or_else(dash));
                if self.share {
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
    pub fn findings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let key = escape(last_key(&self.parameter));
        for line in &self.lines {
            let prefix = if line.label.is_empty() {
                String::new()
            } else {
                format!("With {}: ", escape(&line.label))
            };
            let optimal: Vec<&Point> = line
                .points
                .iter()
                .filter(|p| p.status == "optimal" && p.objective.is_some())
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
                if self.share {
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
                .filter(|p| p.status != "optimal")
                .map(|p| format!("{} ({})", escape(&p.value), escape(&p.status)))
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
    pub fn to_csv(&self) -> Result<String, Error> {
        let csv_err = |e: csv::Error| Error::Other(format!("CSV: {e}"));
        let others = self.other_paths();
        let worst = self.has_worst_share();
        let mut header: Vec<String> = vec![self.parameter.clone()];
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
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).map_err(csv_err)?;
        for line in &self.lines {
            for p in &line.points {
                let mut cells = vec![p.value.clone()];
                cells.extend(line.params.iter().map(|q| q.value.clone()));
                cells.push(p.name.clone());
                cells.push(p.status.clone());
                cells.push(opt(p.objective));
                cells.push(opt(p.unmet));
                cells.push(opt(p.fill_rate));
                if worst {
                    cells.push(opt(p.worst_share));
                }
                cells.push(opt(p.delta_cost));
                cells.push(opt(p.cost_per_point));
                cells.push(p.output.clone().unwrap_or_default());
                let safe: Vec<String> = cells.iter().map(|c| neutralise(c)).collect();
                w.write_record(&safe).map_err(csv_err)?;
            }
        }
        let bytes = w.into_inner().map_err(|e| Error::Other(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| Error::Other(e.to_string()))
    }

    pub fn to_json(&self) -> Result<String, Error> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// `sweep.md`.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Sweep of {}\n", escape(&self.parameter));
        let _ = writeln!(
            md,
            "Model `{}`. **{}**\n",
            self.model.replace('`', "'"),
            escape(&self.headline)
        );
        for f in self.findings() {
            let _ = writeln!(md, "- {f}");
        }
        let _ = writeln!(md, "\n![total cost and unmet demand](sweep.svg)\n");
        let (header, rows) = self.table();
        md.push('|');
        for h in &header {
            let _ = write!(md, " {} |", escape(h));
        }
        md.push_str(" report |\n|");
        for (i, _) in header.iter().enumerate() {
            md.push_str(if i == header.len() - 1 - self.right_columns() {
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
                Some(o) if p.status != "invalid" => {
                    let _ = writeln!(md, " [report]({o}/report.md) |");
                }
                _ => md.push_str("  |\n"),
            }
        }
        md
    }

    /// `sweep.html`: the chart, findings and table on one self-contained page.
    pub fn to_html(&self) -> String {
        let mut body = String::new();
        let _ = write!(
            body,
            "<h1>Sweep of <span class=\"mono\">{}</span></h1>\n<p class=\"lead\">Model <span class=\"mono\">{}</span> · {}</p>\n",
            html_escape(&self.parameter),
            html_escape(&self.model),
            html_escape(&self.headline)
        );
        body.push_str("<div class=\"panel\"><ul class=\"findings\">");
        for f in self.findings() {
            let _ = write!(body, "<li>{}</li>", html_escape(&unescape_markdown(&f)));
        }
        body.push_str("</ul></div>\n<div class=\"panel\">");
        body.push_str(&self.to_svg());
        body.push_str("</div>\n<h2>Trade-off table</h2>\n<table><thead><tr>");
        let (header, rows) = self.table();
        let status_col = header.len() - 1 - self.right_columns();
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
                    let pill = if p.status == "optimal" { "ok" } else { "bad" };
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
                Some(o) if p.status != "invalid" => {
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
        page(&format!("Sweep of {}", self.parameter), &body)
    }

    /// `sweep.svg`: total cost (top) and unmet demand (bottom) against the parameter.
    pub fn to_svg(&self) -> String {
        chart(self)
    }
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

fn chart(t: &Tradeoff) -> String {
    const W: f64 = 820.0;
    const RIGHT: f64 = 24.0;
    const COST_TOP: f64 = 70.0;
    const COST_H: f64 = 250.0;
    const UNMET_TOP: f64 = 380.0;
    const UNMET_H: f64 = 120.0;
    const H: f64 = 560.0;

    let points: Vec<&Point> = t.lines.iter().flat_map(|l| &l.points).collect();
    let optimal = |p: &Point| p.status == "optimal" && p.objective.is_some();
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
                    format!("{} = {}", last_key(&t.parameter), p.value)
                } else {
                    format!("{} = {}, {}", last_key(&t.parameter), p.value, line.label)
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
                            html_escape(&p.status)
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

/// Writes `sweep.{csv,json,md,svg,html}` into `dir` (each atomically) for a summary that
/// covers every variant; returns the files written (none for a batch or a partial shard).
pub fn write_outputs(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if summary.rows.len() != summary.entries_total {
        return Ok(Vec::new());
    }
    let Some(t) = tradeoff(summary) else {
        return Ok(Vec::new());
    };
    let files = [
        ("sweep.csv", t.to_csv()?),
        ("sweep.json", t.to_json()?),
        ("sweep.md", t.to_markdown()),
        ("sweep.svg", t.to_svg()),
        ("sweep.html", t.to_html()),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_lists() {
        let v = Vary::parse("policies[a].min_share=0.5..0.95 step 0.05").unwrap();
        assert_eq!(v.path, "policies[a].min_share");
        assert_eq!(v.values.len(), 10);
        assert_eq!(v.values[0], "0.50");
        assert_eq!(v.values[6], "0.80");
        assert_eq!(v.values[9], "0.95");
        let v = Vary::parse("objective.leveling_weight=0,2, 5").unwrap();
        assert_eq!(v.values, ["0", "2", "5"]);
        let v = Vary::parse("x=1..3 step 1").unwrap();
        assert_eq!(v.values, ["1", "2", "3"]);
        let v = Vary::parse("x=-0.2..0.2 step 0.1").unwrap();
        assert_eq!(v.values, ["-0.2", "-0.1", "0.0", "0.1", "0.2"]);
        assert!(Vary::parse("x=0.5..0.9")
            .unwrap_err()
            .contains("needs a step"));
        assert!(Vary::parse("x=0.9..0.5 step 0.1").is_err());
        assert!(Vary::parse("x=0..1 step 0").is_err());
        assert!(Vary::parse("x=1,1.0").unwrap_err().contains("twice"));
        assert!(Vary::parse("noequals").is_err());
    }

    #[test]
    fn grid_is_cartesian_first_vary_fastest() {
        let vary = [
            Vary::parse("policies[p].min_share=0.5,0.6").unwrap(),
            Vary::parse("objective.leveling_weight=1,2,3").unwrap(),
        ];
        let entries = grid(Path::new("m.yaml"), &Overrides::default(), &vary).unwrap();
        assert_eq!(entries.len(), 6);
        assert_eq!(entries[0].name, "min_share=0.5,leveling_weight=1");
        assert_eq!(entries[1].name, "min_share=0.6,leveling_weight=1");
        assert_eq!(entries[2].name, "min_share=0.5,leveling_weight=2");
        assert_eq!(
            entries[1].overrides.set,
            [
                ("policies[p].min_share".to_string(), "0.6".to_string()),
                ("objective.leveling_weight".to_string(), "1".to_string())
            ]
        );
    }

    #[test]
    fn same_last_keys_use_whole_paths() {
        let vary = [
            Vary::parse("policies[a].min_share=0.5").unwrap(),
            Vary::parse("policies[b].min_share=0.6").unwrap(),
        ];
        let entries = grid(Path::new("m.yaml"), &Overrides::default(), &vary).unwrap();
        assert_eq!(
            entries[0].name,
            "policies_a_.min_share=0.5,policies_b_.min_share=0.6"
        );
    }
}
