//! Sharding a batch or sweep across machines, and merging the shards' summaries.
//!
//! `--shard K/N` (1-based K) takes the entries whose position `i` in the full,
//! deterministic entry list has `i % N == K - 1`. Every worker computes the same full
//! list, so the N shards cover every entry exactly once without talking to each other.
//! Each shard writes `summary.shard-K-of-N.{json,csv,md}`; [`merge`] checks that a set of
//! shard summaries comes from one batch (same entry-list fingerprint) and covers every
//! entry exactly once, and combines them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::runs::batch::{Summary, SUMMARY_FORMAT};

/// One shard of N: `index` is 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let usage = || {
            format!("`{text}`: expected K/N with 1 <= K <= N, e.g. --shard 2/8 (the second of 8 workers)")
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(usage)?;
        let index: usize = k.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }

    /// Whether the entry at position `i` (0-based) of the full list belongs to this shard.
    pub fn takes(&self, i: usize) -> bool {
        i % self.count == self.index - 1
    }

    /// Positions in a list of `len` entries that belong to this shard.
    pub fn select(&self, len: usize) -> Vec<usize> {
        (0..len).filter(|&i| self.takes(i)).collect()
    }

    /// The stem of this shard's summary files: `summary.shard-K-of-N`.
    pub fn file_stem(&self) -> String {
        format!("summary.shard-{}-of-{}", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// SHA-256 (hex) of the full entry list: each entry's name and overrides, in order. Two
/// runs agree on it exactly when they split the same batch.
pub fn fingerprint<'a>(entries: impl Iterator<Item = (&'a str, Vec<String>)>) -> String {
    let mut hasher = Sha256::new();
    for (name, overrides) in entries {
        hasher.update(name.as_bytes());
        for o in overrides {
            hasher.update([0x1f]);
            hasher.update(o.as_bytes());
        }
        hasher.update([0x1e]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads one summary file.
pub fn read_summary(path: &Path) -> Result<Summary, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let summary: Summary = serde_json::from_str(&text).map_err(|e| {
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
    if arg.is_file() {
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
    if whole.is_file() {
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
        Ok(cwd) => crate::load::normalize(&cwd.join(path)),
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
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert!(Shard::parse("1-3").is_err());
        assert!(Shard::parse("a/3").is_err());
    }

    #[test]
    fn shards_cover_every_entry_exactly_once() {
        for len in 0..40 {
            for count in 1..7 {
                let mut hits = vec![0; len];
                for index in 1..=count {
                    for i in (Shard { index, count }).select(len) {
                        hits[i] += 1;
                    }
                }
                assert!(hits.iter().all(|&h| h == 1), "len {len}, {count} shards");
            }
        }
    }

    #[test]
    fn fingerprint_depends_on_names_and_overrides() {
        let a = fingerprint([("x", vec!["set a=1".to_string()])].into_iter());
        let b = fingerprint([("x", vec!["set a=2".to_string()])].into_iter());
        let c = fingerprint([("x", vec!["set a=1".to_string()])].into_iter());
        assert_ne!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.len(), 64);
    }

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
