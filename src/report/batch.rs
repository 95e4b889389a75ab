//! The documents of a batch or sweep summary: `summary.json`, `summary.csv` and
//! `summary.md` (or `summary.shard-K-of-N.*` for a shard), and its one-line headline.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::fmt::{
    csv_number as num, escape_markdown as escape, markdown_code, markdown_link_target, money,
    percent, units,
};
use crate::output::update_dir;
use crate::plan::summary::{Row, RowStatus, Summary};
use crate::report::csv::table;

fn noun(summary: &Summary) -> &'static str {
    if summary.kind == "sweep" {
        "variants"
    } else {
        "models"
    }
}

/// `12 models: 10 optimal, 1 infeasible, 1 invalid — 4.2 s wall`.
pub fn headline(summary: &Summary) -> String {
    let mut parts: Vec<String> = Vec::new();
    for status in RowStatus::ALL {
        if let Some(n) = summary.counts.get(status.word()) {
            parts.push(format!("{n} {status}"));
        }
    }
    let mut conditions: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &summary.rows {
        for c in &row.conditions {
            *conditions.entry(c.as_str()).or_insert(0) += 1;
        }
    }
    let scope = match summary.shard {
        Some(s) => format!(
            "shard {s}: {} of {} {}",
            summary.rows.len(),
            summary.entries_total,
            noun(summary)
        ),
        None if summary.rows.len() != summary.entries_total => format!(
            "{} of {} {}",
            summary.rows.len(),
            summary.entries_total,
            noun(summary)
        ),
        None => format!("{} {}", summary.rows.len(), noun(summary)),
    };
    let mut line = format!(
        "{scope}: {} — {:.1} s wall",
        if parts.is_empty() {
            "none run".to_string()
        } else {
            parts.join(", ")
        },
        summary.wall_seconds
    );
    if !conditions.is_empty() {
        let list: Vec<String> = conditions.iter().map(|(c, n)| format!("{n} {c}")).collect();
        line.push_str(&format!("; --fail-on: {}", list.join(", ")));
    }
    line
}

/// `summary.json`, pretty-printed with a trailing newline.
pub fn json(summary: &Summary) -> Result<String, Error> {
    let mut text =
        serde_json::to_string_pretty(summary).map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Policies with value-content figures, in order of first appearance.
fn value_policies(summary: &Summary) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in &summary.rows {
        for v in &row.value_content {
            if !out.contains(&v.policy) {
                out.push(v.policy.clone());
            }
        }
    }
    out
}

/// Policies with bloc-share figures, in order of first appearance.
fn bloc_policies(summary: &Summary) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in &summary.rows {
        for b in &row.bloc_shares {
            if !out.contains(&b.policy) {
                out.push(b.policy.clone());
            }
        }
    }
    out
}

fn param_paths(summary: &Summary) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in &summary.rows {
        for p in &row.params {
            if !out.contains(&p.path) {
                out.push(p.path.clone());
            }
        }
    }
    out
}

/// `summary.csv`: one row per entry.
pub fn csv(summary: &Summary) -> Result<String, Error> {
    let params = param_paths(summary);
    let blocs = bloc_policies(summary);
    let mut header: Vec<String> = ["index", "name", "model", "overrides"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(params.iter().cloned());
    header.extend(
        [
            "status",
            "failed",
            "conditions",
            "objective",
            "production",
            "overtime",
            "transport",
            "tariffs_duties",
            "carbon",
            "holding",
            "unmet_penalty",
            "leveling",
            "soft_policy_penalties",
            "demand",
            "unmet",
            "fill_rate",
            "policy_slack",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    for b in &blocs {
        header.push(format!("bloc_share:{b}"));
        header.push(format!("bloc_worst:{b}"));
    }
    let values = value_policies(summary);
    for v in &values {
        header.push(format!("value_content_worst:{v}"));
        header.push(format!("value_content_margin:{v}"));
    }
    header.extend(
        ["wall_seconds", "solve_seconds", "output", "message"]
            .iter()
            .map(|s| s.to_string()),
    );
    let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
    let rows = summary.rows.iter().map(|r| {
        let mut cells: Vec<String> = vec![
            r.index.to_string(),
            r.name.clone(),
            r.model.clone(),
            r.overrides.join("; "),
        ];
        for p in &params {
            cells.push(
                r.params
                    .iter()
                    .find(|x| &x.path == p)
                    .map(|x| x.value.clone())
                    .unwrap_or_default(),
            );
        }
        cells.push(r.status.word().to_string());
        cells.push(r.failed.to_string());
        cells.push(r.conditions.join(";"));
        cells.push(opt(r.objective));
        match &r.costs {
            Some(c) => {
                for (_, v) in c.all_components().into_iter().take(9) {
                    cells.push(num(v));
                }
            }
            None => cells.extend(std::iter::repeat_n(String::new(), 9)),
        }
        cells.push(opt(r.demand));
        cells.push(opt(r.unmet));
        cells.push(opt(r.fill_rate));
        cells.push(opt(r.policy_slack));
        for b in &blocs {
            let found = r.bloc_shares.iter().find(|x| &x.policy == b);
            cells.push(opt(found.and_then(|x| x.share)));
            cells.push(opt(found.and_then(|x| x.worst)));
        }
        for v in &values {
            let found = r.value_content.iter().find(|x| &x.policy == v);
            cells.push(opt(found.and_then(|x| x.worst)));
            cells.push(opt(found.and_then(|x| x.worst_margin_points)));
        }
        cells.push(format!("{:.3}", r.wall_seconds));
        cells.push(
            r.solve_seconds
                .map(|s| format!("{s:.3}"))
                .unwrap_or_default(),
        );
        cells.push(r.output.clone().unwrap_or_default());
        cells.push(r.message.clone().unwrap_or_default());
        cells
    });
    table(&header, rows)
}

/// `summary.md`: the headline, a table, and what went wrong where.
pub fn markdown(summary: &Summary) -> String {
    let mut md = String::new();
    let title = if summary.kind == "sweep" {
        "Sweep summary"
    } else {
        "Batch summary"
    };
    let _ = writeln!(md, "# {title}\n");
    let _ = writeln!(md, "**{}**\n", escape(&headline(summary)));
    let mut facts = vec![format!("{} thread(s)", summary.jobs)];
    if !summary.shards.is_empty() {
        let list: Vec<String> = summary.shards.iter().map(|s| s.to_string()).collect();
        facts.push(format!("shard(s) {}", list.join(", ")));
    }
    if !summary.fail_on.is_empty() {
        facts.push(format!("--fail-on {}", summary.fail_on.join(",")));
    }
    facts.push(format!("exit code {}", summary.exit_code));
    facts.push(format!(
        "entry list fingerprint `{}`",
        summary
            .fingerprint
            .get(..16)
            .unwrap_or(&summary.fingerprint)
    ));
    let _ = writeln!(md, "{}.\n", facts.join(" · "));
    let params = param_paths(summary);
    // The same index as summary.csv and summary.json (from 0, as shards count).
    let _ = write!(md, "| index | entry |");
    for p in &params {
        let _ = write!(md, " {} |", escape(p));
    }
    let shares_header = if value_policies(summary).is_empty() {
        "bloc shares (overall, worst row / target)"
    } else {
        "bloc shares (overall, worst row / target) and value content (worst row / target)"
    };
    let _ = writeln!(
        md,
        " status | total cost | fill rate | unmet | {shares_header} | wall | report |"
    );
    let _ = write!(md, "|---:|---|");
    for _ in &params {
        md.push_str("---|");
    }
    let _ = writeln!(md, "---|---:|---:|---:|---|---:|---|");
    for r in &summary.rows {
        let _ = write!(md, "| {} | {} |", r.index, escape(&r.name));
        for p in &params {
            let v = r.params.iter().find(|x| &x.path == p);
            let _ = write!(md, " {} |", escape(v.map_or("", |x| x.value.as_str())));
        }
        let status = if r.conditions.is_empty() {
            r.status.word().to_string()
        } else {
            format!("{} (fails on {})", r.status, r.conditions.join(", "))
        };
        let status = if r.failed {
            format!("**{}**", escape(&status))
        } else {
            escape(&status)
        };
        let shares: Vec<String> = r
            .bloc_shares
            .iter()
            .map(|b| {
                format!(
                    "{}: {}, {} / {}",
                    escape(&b.policy),
                    b.share.map(percent).unwrap_or_else(|| "–".into()),
                    b.worst.map(percent).unwrap_or_else(|| "–".into()),
                    percent(b.target)
                )
            })
            .chain(r.value_content.iter().map(|v| {
                format!(
                    "{} (value content): worst {} / {} ({}/{} met)",
                    escape(&v.policy),
                    v.worst.map(percent).unwrap_or_else(|| "–".into()),
                    percent(v.target),
                    v.rows_met,
                    v.rows
                )
            }))
            .collect();
        let report = match &r.output {
            Some(o) if r.costs.is_some() || r.status != RowStatus::Invalid => {
                format!("[report]({}/report.md)", markdown_link_target(o))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            md,
            " {} | {} | {} | {} | {} | {:.2} s | {} |",
            status,
            r.objective.map(money).unwrap_or_else(|| "–".into()),
            r.fill_rate.map(percent).unwrap_or_else(|| "–".into()),
            r.unmet.map(units).unwrap_or_else(|| "–".into()),
            if shares.is_empty() {
                "–".to_string()
            } else {
                shares.join("; ")
            },
            r.wall_seconds,
            report
        );
    }
    let troubled: Vec<&Row> = summary
        .rows
        .iter()
        .filter(|r| r.failed || r.status != RowStatus::Optimal)
        .collect();
    if !troubled.is_empty() {
        let _ = writeln!(md, "\n## Not optimal or failed\n");
        for r in troubled {
            let _ = writeln!(
                md,
                "### {} — {}{}\n",
                escape(&r.name),
                escape(r.status.word()),
                if r.conditions.is_empty() {
                    String::new()
                } else {
                    format!(" (fails on {})", escape(&r.conditions.join(", ")))
                }
            );
            let _ = writeln!(md, "Model {}.", markdown_code(&r.model));
            if !r.overrides.is_empty() {
                let _ = writeln!(md, "Overrides: {}.", escape(&r.overrides.join("; ")));
            }
            if !r.diagnostics.is_empty() {
                md.push_str("\n```\n");
                for d in &r.diagnostics {
                    let _ = writeln!(md, "{}", d.replace("```", "'''"));
                }
                md.push_str("```\n");
            } else if let Some(m) = &r.message {
                let _ = writeln!(md, "\n{}", escape(m));
            }
            md.push('\n');
        }
    }
    md
}

/// `STEM.json`, `STEM.csv` and `STEM.md` as (file name, contents), where STEM is
/// `summary` (or `summary.shard-K-of-N` for a shard).
pub fn summary_files(summary: &Summary) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let stem = summary.file_stem();
    Ok(vec![
        (format!("{stem}.json"), json(summary)?.into_bytes()),
        (format!("{stem}.csv"), csv(summary)?.into_bytes()),
        (format!("{stem}.md"), markdown(summary).into_bytes()),
    ])
}

/// Adds the [`summary_files`] to folder `dir` under its lock (see
/// [`crate::output::write_dir`]). Returns the files written.
pub fn write_summary(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    update_dir(dir, &summary_files(summary)?)
}
