//! Parameter sweeps: the grid of variants of one model (`--vary PATH=A..B step S`), solved
//! like a batch, and the trade-off they show ([`Tradeoff`]: total cost and unmet demand
//! against the first varied parameter), which `report::sweep` writes as `sweep.csv`,
//! `sweep.json`, `sweep.md`, `sweep.svg` and `sweep.html`.
//!
//! With several `--vary`, the first is the chart's x axis and every combination of the
//! others is one line. Each variant runs the whole pipeline, its solve starting from the
//! latest finished variant before it (see `batch::Starts`; `--cold` turns that off).

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::{normalize, Overrides};
use crate::pipeline::folder_text;
use crate::plan::summary::{
    param_key, param_policy, Line, Param, ParamKind, Point, Row, RowStatus, Summary, SweepSpec,
    Tradeoff, Vary,
};
use crate::report::batch::headline;
use crate::runs::entries::{name_entries_with, Entry, EntrySpec};

/// Largest grid accepted.
pub const MAX_VARIANTS: usize = 10_000;

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

/// Parses `PATH=A..B step S` (A, A+S, … up to B) or `PATH=v1,v2,v3`.
pub fn parse_vary(arg: &str) -> Result<Vary, String> {
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

/// Short names of the varied paths, for entry names: the last key when these are
/// distinct, else the whole path.
fn short_names(vary: &[Vary]) -> Vec<String> {
    let keys: Vec<&str> = vary.iter().map(|v| param_key(&v.path)).collect();
    let distinct = keys
        .iter()
        .enumerate()
        .all(|(i, k)| !k.is_empty() && !keys[..i].contains(k));
    vary.iter()
        .zip(&keys)
        .map(|(v, k)| {
            if distinct {
                folder_text(k)
            } else {
                folder_text(&v.path)
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
            .map(|(p, n)| format!("{n}={}", folder_text(&p.value)))
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

/// The trade-off of a complete sweep summary (`None` for a batch).
pub fn tradeoff(summary: &Summary) -> Option<Tradeoff> {
    let spec = summary.sweep.as_ref()?;
    let primary = spec.vary.first()?;
    let share = ParamKind::of(&primary.path) == ParamKind::Share;
    let numeric = primary.numeric();
    let selector = param_policy(&primary.path);
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
                    .map(|p| format!("{}={}", param_key(&p.path), p.value))
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
            let (true, Some(cost)) = (p.status == RowStatus::Optimal, p.objective) else {
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
        headline: headline(summary),
        lines,
    })
}

fn point(row: &Row, value: String, selector: Option<&str>) -> Point {
    let optimal = row.status == RowStatus::Optimal;
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
        status: row.status,
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

/// `sweep.{csv,json,md,svg,html}` as (file name, contents) for a summary that covers
/// every variant (none for a batch or a partial shard).
pub fn output_files(summary: &Summary) -> Result<Vec<(String, Vec<u8>)>, Error> {
    if summary.rows.len() != summary.entries_total {
        return Ok(Vec::new());
    }
    match tradeoff(summary) {
        Some(t) => crate::report::sweep::files(&t),
        None => Ok(Vec::new()),
    }
}

/// Adds the [`output_files`] to folder `dir` under its lock; returns the files written.
pub fn write_outputs(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files = output_files(summary)?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    crate::output::update_dir(dir, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_lists() {
        let v = parse_vary("policies[a].min_share=0.5..0.95 step 0.05").unwrap();
        assert_eq!(v.path, "policies[a].min_share");
        assert_eq!(v.values.len(), 10);
        assert_eq!(v.values[0], "0.50");
        assert_eq!(v.values[6], "0.80");
        assert_eq!(v.values[9], "0.95");
        let v = parse_vary("objective.leveling_weight=0,2, 5").unwrap();
        assert_eq!(v.values, ["0", "2", "5"]);
        let v = parse_vary("x=1..3 step 1").unwrap();
        assert_eq!(v.values, ["1", "2", "3"]);
        let v = parse_vary("x=-0.2..0.2 step 0.1").unwrap();
        assert_eq!(v.values, ["-0.2", "-0.1", "0.0", "0.1", "0.2"]);
        assert!(parse_vary("x=0.5..0.9")
            .unwrap_err()
            .contains("needs a step"));
        assert!(parse_vary("x=0.9..0.5 step 0.1").is_err());
        assert!(parse_vary("x=0..1 step 0").is_err());
        assert!(parse_vary("x=1,1.0").unwrap_err().contains("twice"));
        assert!(parse_vary("noequals").is_err());
    }

    #[test]
    fn grid_is_cartesian_first_vary_fastest() {
        let vary = [
            parse_vary("policies[p].min_share=0.5,0.6").unwrap(),
            parse_vary("objective.leveling_weight=1,2,3").unwrap(),
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
            parse_vary("policies[a].min_share=0.5").unwrap(),
            parse_vary("policies[b].min_share=0.6").unwrap(),
        ];
        let entries = grid(Path::new("m.yaml"), &Overrides::default(), &vary).unwrap();
        assert_eq!(
            entries[0].name,
            "policies_a_.min_share=0.5,policies_b_.min_share=0.6"
        );
    }
}
