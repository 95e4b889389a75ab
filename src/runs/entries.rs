//! The entries of a batch or sweep: what the command line names (model files, folders,
//! batch files, glob patterns), read into [`EntrySpec`]s and given unique, folder-safe
//! names ([`Entry`]), and the fingerprint of a full entry list that shards agree on.

use std::path::{Path, PathBuf};

use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::diag::did_you_mean;
use crate::error::Error;
use crate::load::{normalize, Overrides, MAX_FILE_BYTES};
use crate::output::read_bounded;
use crate::pipeline::safe_folder_name;
use crate::plan::summary::Param;

/// One job of a batch: a model with overrides, and a unique folder-safe name.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub model: PathBuf,
    pub overrides: Overrides,
    /// The swept parameters (sweeps only), also among `overrides`.
    pub params: Vec<Param>,
}

/// An entry before names are made unique.
#[derive(Debug, Clone, PartialEq)]
pub struct EntrySpec {
    /// The name asked for; `None` takes the model's `name`, else the file's stem.
    pub name: Option<String>,
    pub model: PathBuf,
    pub overrides: Overrides,
    pub params: Vec<Param>,
}

/// What the command line named: the entries, and files seen but left out.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub entries: Vec<EntrySpec>,
    /// YAML files in scanned folders that are not models (data files, batch files).
    pub skipped: Vec<PathBuf>,
}

/// What a YAML file looks like from its top-level keys.
enum Peek {
    /// A mapping with a `data` key (a model), with its `name` if it has one.
    Model(Option<String>),
    /// A mapping with an `entries` key (a batch file).
    BatchFile(Value),
    /// Valid YAML, but neither.
    Other,
    /// Not readable as YAML at all (kept as an entry, so the problem gets reported).
    Unreadable,
}

fn peek(path: &Path) -> Peek {
    // Only regular files, and never more than a model file may hold: a pipe or a
    // device named on the command line is reported, not waited on.
    let Some(text) = read_bounded(path, MAX_FILE_BYTES)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        return Peek::Unreadable;
    };
    let Ok(value) = serde_yaml::from_str::<Value>(&text) else {
        return Peek::Unreadable;
    };
    match &value {
        Value::Mapping(map) if map.contains_key("entries") => Peek::BatchFile(value),
        Value::Mapping(map) if map.contains_key("data") => {
            Peek::Model(map.get("name").and_then(Value::as_str).map(str::to_string))
        }
        _ => Peek::Other,
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn has_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// Expands the command line's MODEL arguments (model files, folders, batch files and
/// glob patterns) into entries, in the order given; a folder gives its models (YAML
/// files with a `data` key) in file-name order. `shared` overrides go before each
/// entry's own.
pub fn collect(inputs: &[String], shared: &Overrides) -> Result<Collected, Error> {
    let mut out = Collected::default();
    let mut problems = Vec::new();
    for input in inputs {
        let literal = Path::new(input);
        if !literal.exists() && has_glob(input) {
            let paths = match glob::glob(input) {
                Ok(paths) => paths,
                Err(e) => {
                    problems.push(format!("`{input}`: not a valid pattern: {e}"));
                    continue;
                }
            };
            let mut matched: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
            matched.sort();
            if matched.is_empty() {
                problems.push(format!("`{input}`: no file matches this pattern"));
            }
            for path in matched {
                if let Err(e) = add_path(&path, shared, &mut out) {
                    problems.push(e);
                }
            }
        } else if let Err(e) = add_path(literal, shared, &mut out) {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Usage(problems.join("\n")))
    }
}

fn add_path(path: &Path, shared: &Overrides, out: &mut Collected) -> Result<(), String> {
    if path.is_dir() {
        let listing = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut files: Vec<PathBuf> = listing
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_yaml(p) && !is_hidden(p))
            .collect();
        files.sort();
        let before = out.entries.len();
        for file in files {
            match peek(&file) {
                Peek::Model(name) => out.entries.push(model_spec(&file, name, shared)),
                Peek::Unreadable => out.entries.push(model_spec(&file, None, shared)),
                Peek::BatchFile(_) | Peek::Other => out.skipped.push(file),
            }
        }
        if out.entries.len() == before {
            return Err(format!(
                "{}: no models in this folder (a model is a YAML file with a `data` key)",
                path.display()
            ));
        }
        return Ok(());
    }
    if path.exists() && !path.is_file() {
        return Err(format!(
            "{}: is not a regular file (a device, pipe or socket)",
            path.display()
        ));
    }
    if !path.is_file() {
        return Err(format!("{}: no such file or folder", path.display()));
    }
    match peek(path) {
        Peek::BatchFile(value) => {
            let specs = read_batch_file(path, &value, shared)?;
            out.entries.extend(specs);
        }
        Peek::Model(name) => out.entries.push(model_spec(path, name, shared)),
        Peek::Other | Peek::Unreadable => out.entries.push(model_spec(path, None, shared)),
    }
    Ok(())
}

fn model_spec(path: &Path, name: Option<String>, shared: &Overrides) -> EntrySpec {
    EntrySpec {
        name: name.filter(|n| !n.trim().is_empty()),
        model: path.to_path_buf(),
        overrides: shared.clone(),
        params: Vec::new(),
    }
}

/// A YAML value written back as override text: plain scalars as written, anything else
/// as JSON (which is YAML flow syntax).
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => {
            // Keep a plain string plain when it reads back as the same string.
            match serde_yaml::from_str::<Value>(s) {
                Ok(Value::String(back)) if back == *s => s.clone(),
                _ => serde_json::to_string(s).unwrap_or_else(|_| s.clone()),
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Reads `set` (a mapping PATH: VALUE, or a list of `PATH=VALUE`) and `disable` (a list)
/// into `overrides`.
fn read_overrides(
    map: &serde_yaml::Mapping,
    at: &str,
    overrides: &mut Overrides,
    problems: &mut Vec<String>,
) {
    match map.get("set") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(sets)) => {
            for (k, v) in sets {
                match k.as_str() {
                    Some(path) if !path.trim().is_empty() => {
                        overrides.set.push((path.trim().to_string(), value_text(v)))
                    }
                    _ => problems.push(format!(
                        "{at}set: keys must be paths such as objective.leveling_weight"
                    )),
                }
            }
        }
        Some(Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().map(Overrides::parse_set) {
                    Some(Ok(pair)) => overrides.set.push(pair),
                    Some(Err(e)) => problems.push(format!("{at}set[{i}]: {e}")),
                    None => problems.push(format!("{at}set[{i}]: expected PATH=VALUE text")),
                }
            }
        }
        Some(_) => problems.push(format!(
            "{at}set: expected a mapping such as {{objective.leveling_weight: 5}}"
        )),
    }
    match map.get("scenario") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(name) => overrides.scenarios.push(name.to_string()),
                    None => problems.push(format!("{at}scenario[{i}]: expected a scenario name")),
                }
            }
        }
        Some(Value::String(s)) => overrides
            .scenarios
            .extend(s.split(',').map(|n| n.trim().to_string())),
        Some(_) => problems.push(format!("{at}scenario: expected scenario names")),
    }
    match map.get("disable") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => overrides.disable.push(s.clone()),
                    Value::Number(n) => overrides.disable.push(n.to_string()),
                    _ => {
                        problems.push(format!("{at}disable[{i}]: expected a policy name or index"))
                    }
                }
            }
        }
        Some(Value::String(s)) => overrides.disable.push(s.clone()),
        Some(_) => problems.push(format!("{at}disable: expected a list of policy names")),
    }
}

fn check_keys(map: &serde_yaml::Mapping, allowed: &[&str], at: &str, problems: &mut Vec<String>) {
    for key in map.keys() {
        let Some(key) = key.as_str() else {
            problems.push(format!("{at}: keys must be text"));
            continue;
        };
        if !allowed.contains(&key) {
            let hint = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None => format!(" (allowed: {})", allowed.join(", ")),
            };
            problems.push(format!("{at}{key}: unknown key{hint}"));
        }
    }
}

/// Reads a batch file: `entries: [{model, name?, set?, disable?}]`, with optional
/// top-level `set`/`disable` for every entry. Model paths are relative to the file.
pub fn read_batch_file(
    path: &Path,
    root: &Value,
    shared: &Overrides,
) -> Result<Vec<EntrySpec>, String> {
    let shown = path.display().to_string();
    let mut problems = Vec::new();
    let Value::Mapping(top) = root else {
        return Err(format!("{shown}: a batch file is a mapping with `entries`"));
    };
    check_keys(
        top,
        &["entries", "set", "disable", "scenario"],
        "",
        &mut problems,
    );
    let mut common = shared.clone();
    read_overrides(top, "", &mut common, &mut problems);
    let base = path.parent().unwrap_or(Path::new(""));
    let mut specs = Vec::new();
    match top.get("entries") {
        Some(Value::Sequence(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("entries[{i}].");
                let Value::Mapping(map) = item else {
                    problems.push(format!(
                        "entries[{i}]: expected a mapping such as {{model: models/baseline.yaml}}"
                    ));
                    continue;
                };
                check_keys(
                    map,
                    &["model", "name", "set", "disable", "scenario"],
                    &at,
                    &mut problems,
                );
                let mut overrides = common.clone();
                read_overrides(map, &at, &mut overrides, &mut problems);
                let name = match map.get("name") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(_) => {
                        problems.push(format!("{at}name: expected text"));
                        None
                    }
                };
                let Some(model) = map.get("model").and_then(Value::as_str) else {
                    problems.push(format!(
                        "{at}model: required: the model file, relative to the batch file"
                    ));
                    continue;
                };
                let model_path = normalize(&base.join(model));
                let name = name.or_else(|| match peek(&model_path) {
                    Peek::Model(n) => n,
                    _ => None,
                });
                specs.push(EntrySpec {
                    name,
                    model: model_path,
                    overrides,
                    params: Vec::new(),
                });
            }
        }
        Some(Value::Sequence(_)) => problems.push("entries: the list is empty".to_string()),
        _ => problems
            .push("entries: expected a list such as [{model: models/baseline.yaml}]".to_string()),
    }
    if problems.is_empty() {
        Ok(specs)
    } else {
        Err(problems
            .iter()
            .map(|p| format!("{shown}: {p}"))
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// File names of the summary and sweep outputs: entry folders never take these.
fn reserved(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.starts_with("summary.") || lower.starts_with("sweep.")
}

/// Gives every entry a unique folder-safe name: the name asked for, else the model's
/// `name`, else the file stem; on a collision (ignoring case) `-2`, `-3`, … is appended.
pub fn name_entries(specs: Vec<EntrySpec>) -> Vec<Entry> {
    name_entries_with(specs, &safe_folder_name)
}

/// [`name_entries`] with another way to make a name folder-safe.
pub fn name_entries_with(specs: Vec<EntrySpec>, clean: &dyn Fn(&str) -> String) -> Vec<Entry> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut entries = Vec::with_capacity(specs.len());
    for spec in specs {
        let wanted = spec.name.clone().unwrap_or_else(|| {
            spec.model
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "model".to_string())
        });
        let mut base = clean(&wanted);
        if reserved(&base) {
            base = format!("entry-{base}");
        }
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{base}-{k}");
            k += 1;
        }
        entries.push(Entry {
            name,
            model: spec.model,
            overrides: spec.overrides,
            params: spec.params,
        });
    }
    entries
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_safe() {
        let spec = |name: Option<&str>, model: &str| EntrySpec {
            name: name.map(str::to_string),
            model: PathBuf::from(model),
            overrides: Overrides::default(),
            params: Vec::new(),
        };
        let entries = name_entries(vec![
            spec(None, "models/baseline.yaml"),
            spec(Some("baseline"), "x.yaml"),
            spec(Some("Baseline"), "y.yaml"),
            spec(Some("../../etc"), "z.yaml"),
            spec(Some("summary.json"), "w.yaml"),
        ]);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "baseline",
                "baseline-2",
                "Baseline-3",
                "_.._etc-74ccf3c5",
                "entry-summary.json"
            ]
        );
    }

    #[test]
    fn batch_file_values_become_override_text() {
        let root: Value = serde_yaml::from_str(
            "set: {solver.time_limit_s: 60}\nentries:\n  - model: m.yaml\n    name: lw5\n    set: {objective.leveling_weight: 5, solver.backend: clarabel}\n    disable: [co2-budget]\n  - {model: m.yaml, set: ['objective.carbon_price=0.1']}\n",
        )
        .unwrap();
        let specs =
            read_batch_file(Path::new("jobs/b.yaml"), &root, &Overrides::default()).unwrap();
        assert_eq!(specs.len(), 2);
        assert_eq!(specs[0].model, PathBuf::from("jobs/m.yaml"));
        assert_eq!(specs[0].name.as_deref(), Some("lw5"));
        assert_eq!(
            specs[0].overrides.describe(),
            [
                "set solver.time_limit_s=60",
                "set objective.leveling_weight=5",
                "set solver.backend=clarabel",
                "disable co2-budget"
            ]
        );
        assert_eq!(
            specs[1].overrides.set[1],
            ("objective.carbon_price".to_string(), "0.1".to_string())
        );
        let bad: Value = serde_yaml::from_str("entries:\n  - {modl: m.yaml}\n").unwrap();
        let err = read_batch_file(Path::new("b.yaml"), &bad, &Overrides::default()).unwrap_err();
        assert!(err.contains("did you mean `model`?"), "{err}");
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
}
