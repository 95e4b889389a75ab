//! Sharding a batch or sweep across machines, and merging the shards' summaries.
//!
//! `--shard K/N` (1-based K) takes the entries whose position `i` in the full,
//! deterministic entry list has `i % N == K - 1`. Every worker computes the same full
//! list, so the N shards cover every entry exactly once without talking to each other.
//! Each shard writes `summary.shard-K-of-N.{json,csv,md}`; [`merge`] checks that a set of
//! shard summaries comes from one batch (same entry-list fingerprint) and covers every
//! entry exactly once, and combines them.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::load::normalize;
use crate::output::{read_bounded, MAX_PLAN_BYTES};
use crate::plan::summary::{Summary, SUMMARY_FORMAT};

/// Reads one summary file.
pub fn read_summary(path: &Path) -> Result<Summary, Error> {
    let bytes = read_bounded(path, MAX_PLAN_BYTES).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            Error::Usage(format!(
                "{}: not an allyplan batch or sweep summary: {e}",
                path.display()
            ))
        }
        _ => Error::io(path, e),
    })?;
    let summary: Summary = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not an allyplan batch or sweep summary: {e}",
            path.display()
        ))
    })?;
    if summary.summary_format != SUMMARY_FORMAT {
        return Err(Error::Usage(format!(
            "{}: summary format {} (this allyplan reads format {SUMMARY_FORMAT})",
            path.display(),
            summary.summary_format
        )));
    }
    Ok(summary)
}

/// The summary files a `merge` argument stands for: a file as given; for a folder, its
/// shard summaries (`summary.shard-*.json`) when it has any, else its `summary.json`.
pub fn summary_files(arg: &Path) -> Result<Vec<PathBuf>, Error> {
    // Anything that is there and not a folder is read as a summary, and a device or a
    // pipe is refused there, by name.
    if arg.exists() && !arg.is_dir() {
        return Ok(vec![arg.to_path_buf()]);
    }
    if !arg.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such file or folder",
            arg.display()
        )));
    }
    let listing = std::fs::read_dir(arg).map_err(|e| Error::io(arg, e))?;
    let mut shards: Vec<PathBuf> = Vec::new();
    for item in listing {
        let item = item.map_err(|e| Error::io(arg, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with("summary.shard-") && name.ends_with(".json") {
            shards.push(item.path());
        }
    }
    shards.sort();
    if !shards.is_empty() {
        return Ok(shards);
    }
    let whole = arg.join("summary.json");
    if whole.exists() {
        Ok(vec![whole])
    } else {
        Err(Error::Usage(format!(
            "{}: no summary.json or summary.shard-*.json in this folder",
            arg.display()
        )))
    }
}

/// Names in a list, shortened to the first 20.
fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// `path` relative to `base` (both absolute), with `..` where needed.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match std::env::current_dir() {
        Ok(cwd) => normalize(&cwd.join(path)),
        Err(_) => path.to_path_buf(),
    }
}

/// Combines summaries (each read from the file beside it) into one summary whose entry
/// folders are given relative to `out`. Fails, naming the entries, unless the parts come
/// from the same batch and together cover every entry exactly once.
pub fn merge(parts: Vec<(PathBuf, Summary)>, out: &Path) -> Result<Summary, Error> {
    let Some((first_file, first)) = parts.first() else {
        return Err(Error::Usage("nothing to merge".to_string()));
    };
    let (first_file, first) = (first_file.clone(), first.clone());
    let mut problems = Vec::new();
    for (file, s) in &parts[1..] {
        if s.kind != first.kind {
            problems.push(format!(
                "{} is a {} summary but {} is a {} summary",
                file.display(),
                s.kind,
                first_file.display(),
                first.kind
            ));
        } else if s.fingerprint != first.fingerprint || s.entries_total != first.entries_total {
            problems.push(format!(
                "{} comes from a different {} than {} (entry lists differ: {} entries, fingerprint {}… against {} entries, {}…)",
                file.display(),
                s.kind,
                first_file.display(),
                s.entries_total,
                s.fingerprint.get(..12).unwrap_or(&s.fingerprint),
                first.entries_total,
                first.fingerprint.get(..12).unwrap_or(&first.fingerprint)
            ));
        } else if s.fail_on != first.fail_on || s.infeasible_fails != first.infeasible_fails {
            problems.push(format!(
                "{} was run with --fail-on {} but {} with --fail-on {}",
                file.display(),
                display_fail_on(&s.fail_on),
                first_file.display(),
                display_fail_on(&first.fail_on)
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Usage(problems.join("\n")));
    }
    if first.entry_names.len() != first.entries_total {
        return Err(Error::Usage(format!(
            "{}: lists {} entry names but {} entries",
            first_file.display(),
            first.entry_names.len(),
            first.entries_total
        )));
    }

    // Coverage: every entry exactly once.
    let out_abs = absolute(out);
    let mut seen: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    let mut unknown = Vec::new();
    for (file, s) in &parts {
        for row in &s.rows {
            if first.entry_names.get(row.index) == Some(&row.name) {
                seen.entry(row.name.as_str()).or_default().push(file);
            } else {
                unknown.push(format!("{} (in {})", row.name, file.display()));
            }
        }
    }
    let missing: Vec<String> = first
        .entry_names
        .iter()
        .filter(|n| !seen.contains_key(n.as_str()))
        .cloned()
        .collect();
    let duplicated: Vec<String> = seen
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| {
            let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            format!("{name} (in {})", shown.join(" and "))
        })
        .collect();
    if !(missing.is_empty() && duplicated.is_empty() && unknown.is_empty()) {
        let mut message = format!(
            "the summaries do not cover the {} {} entries exactly once:",
            first.entries_total, first.kind
        );
        if !missing.is_empty() {
            message.push_str(&format!(
                "\n  missing {} entr{}: {}",
                missing.len(),
                if missing.len() == 1 { "y" } else { "ies" },
                name_list(&missing)
            ));
        }
        if !duplicated.is_empty() {
            message.push_str(&format!(
                "\n  duplicated {} entr{}: {}",
                duplicated.len(),
                if duplicated.len() == 1 { "y" } else { "ies" },
                name_list(&duplicated)
            ));
        }
        if !unknown.is_empty() {
            message.push_str(&format!(
                "\n  {} row(s) not in the entry list: {}",
                unknown.len(),
                name_list(&unknown)
            ));
        }
        let mut counts: Vec<usize> = parts
            .iter()
            .flat_map(|(_, s)| s.shards.iter().map(|sh| sh.count))
            .collect();
        counts.sort_unstable();
        counts.dedup();
        if counts.len() > 1 {
            message.push_str(&format!(
                "\n  (the parts were split into different numbers of shards: {}; merge the shards of one run)",
                counts
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return Err(Error::Usage(message));
    }

    let mut rows = Vec::with_capacity(first.entries_total);
    let mut shards = Vec::new();
    let mut wall: f64 = 0.0;
    let mut jobs = 0;
    for (file, s) in &parts {
        let dir = file.parent().unwrap_or(Path::new("."));
        let dir_abs = absolute(dir);
        for row in &s.rows {
            let mut row = row.clone();
            if let Some(output) = &row.output {
                let target = dir_abs.join(output);
                row.output = Some(relative_to(&target, &out_abs).display().to_string());
            }
            rows.push(row);
        }
        shards.extend(s.shards.iter().copied());
        wall = wall.max(s.wall_seconds);
        jobs += s.jobs;
    }
    rows.sort_by_key(|r| r.index);
    shards.sort();
    shards.dedup();
    let mut merged = first;
    merged.rows = rows;
    merged.shards = shards;
    merged.shard = None;
    merged.wall_seconds = wall;
    merged.jobs = jobs;
    merged.recount();
    Ok(merged)
}

pub fn display_fail_on(fail_on: &[String]) -> String {
    if fail_on.is_empty() {
        "(none)".to_string()
    } else {
        fail_on.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/a/b/c"), Path::new("/a/b")),
            PathBuf::from("c")
        );
        assert_eq!(
            relative_to(Path::new("/a/x/c"), Path::new("/a/b")),
            PathBuf::from("../x/c")
        );
    }
}
