//! Batches, sweeps and shards: many models solved in parallel, each isolated.
//!
//! A batch is a deterministic list of [`Entry`]s (a model file with overrides and a
//! unique, folder-safe name). [`run`] solves them on `jobs` threads, each with
//! [`solve_to_dir`] into `OUT/<entry name>/`. One entry's failure never stops the others:
//! invalid input, infeasibility, a solver failure or even a panic becomes that entry's
//! status in the [`Summary`], whose rows keep the input order whatever order the entries
//! finish in.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::diag::{did_you_mean, Severity};
use crate::error::{Error, ExitCode};
use crate::fmt::{
    csv_number as num, escape_markdown as escape, money, neutralise_csv as neutralise, percent,
    units,
};
use crate::load::{normalize, Overrides, MAX_FILE_BYTES};
use crate::output::write_atomic;
use crate::pipeline::{safe_folder_name, solve_to_dir, SolveRequest};
use crate::plan::CostBreakdown;
use crate::plan::Plan;
use crate::runs::shard::{fingerprint, Shard};
use crate::runs::sweep::SweepSpec;

/// Version of the `summary.json` layout.
pub const SUMMARY_FORMAT: u32 = 1;

/// A varied parameter's value in one sweep entry (`policies[x].min_share` = `0.80`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub path: String,
    pub value: String,
}

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
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
    if too_big {
        return Peek::Unreadable;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
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
    check_keys(top, &["entries", "set", "disable"], "", &mut problems);
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
                    &["model", "name", "set", "disable"],
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

/// Business conditions that make an entry fail (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailOn {
    /// Some demand is not served (beyond LP round-off).
    Unmet,
    /// The model is infeasible. Always a failure in batches; in sweeps only when asked.
    Infeasible,
    /// A soft policy used its slack (the plan pays to break a rule).
    PolicySlack,
}

impl FailOn {
    pub const ALL: [FailOn; 3] = [FailOn::Unmet, FailOn::Infeasible, FailOn::PolicySlack];

    pub fn word(self) -> &'static str {
        match self {
            FailOn::Unmet => "unmet",
            FailOn::Infeasible => "infeasible",
            FailOn::PolicySlack => "policy-slack",
        }
    }

    pub fn parse(text: &str) -> Result<FailOn, String> {
        let t = text.trim();
        FailOn::ALL
            .into_iter()
            .find(|f| f.word() == t || f.word().replace('-', "_") == t)
            .ok_or_else(|| {
                format!("--fail-on `{t}`: expected one of unmet, infeasible, policy-slack")
            })
    }
}

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// `batch` or `sweep`.
    pub kind: String,
    /// Each entry's reports go to `out/<entry name>/`; summaries to `out/`.
    pub out: PathBuf,
    /// Threads; 0 means one per available core.
    pub jobs: usize,
    pub request: SolveRequest,
    pub fail_on: Vec<FailOn>,
    /// An infeasible entry fails the run (batches). In sweeps it is a result, unless
    /// `--fail-on infeasible`.
    pub infeasible_fails: bool,
    pub shard: Option<Shard>,
    pub sweep: Option<SweepSpec>,
}

impl RunOptions {
    pub fn batch(out: PathBuf) -> RunOptions {
        RunOptions {
            kind: "batch".to_string(),
            out,
            jobs: 0,
            request: SolveRequest::standard(),
            fail_on: Vec::new(),
            infeasible_fails: true,
            shard: None,
            sweep: None,
        }
    }
}

/// The number of threads `jobs` asks for (0: one per core), never more than `tasks`.
pub fn thread_count(jobs: usize, tasks: usize) -> usize {
    let want = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    want.min(tasks).max(1)
}

/// A `min_bloc_share` policy's targets against what one plan delivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlocShare {
    pub policy: String,
    pub bloc: String,
    pub target: f64,
    /// From the bloc / delivered, over every row of the policy.
    pub share: Option<f64>,
    /// The lowest share in any one row (market, product, period).
    pub worst: Option<f64>,
    pub rows: usize,
    pub rows_met: usize,
}

/// One entry's outcome: a row of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the full entry list (input order).
    pub index: usize,
    pub name: String,
    /// The model file as given.
    pub model: String,
    /// The model's `name`, once it was read.
    pub model_name: Option<String>,
    pub overrides: Vec<String>,
    #[serde(default)]
    pub params: Vec<Param>,
    /// `optimal` | `infeasible` | `unbounded` | `time_limit` | `invalid` | `error`.
    pub status: String,
    /// Whether this entry fails the run (its status, or a `--fail-on` condition).
    pub failed: bool,
    /// The `--fail-on` conditions it meets.
    pub conditions: Vec<String>,
    pub objective: Option<f64>,
    pub costs: Option<CostBreakdown>,
    pub demand: Option<f64>,
    pub unmet: Option<f64>,
    pub fill_rate: Option<f64>,
    /// Total slack used by soft policies, in their own units.
    pub policy_slack: Option<f64>,
    pub bloc_shares: Vec<BlocShare>,
    /// What went wrong, in a sentence (or the first diagnostics).
    pub message: Option<String>,
    /// Every error diagnostic of an invalid entry.
    #[serde(default)]
    pub diagnostics: Vec<String>,
    pub warnings: usize,
    pub wall_seconds: f64,
    pub solve_seconds: Option<f64>,
    /// The entry's report folder, relative to the summary's folder.
    pub output: Option<String>,
}

impl Row {
    /// A row with nothing known yet but the entry.
    pub fn new(entry: &Entry, index: usize) -> Row {
        Row {
            index,
            name: entry.name.clone(),
            model: normalize(&entry.model).display().to_string(),
            model_name: None,
            overrides: entry.overrides.describe(),
            params: entry.params.clone(),
            status: "error".to_string(),
            failed: true,
            conditions: Vec::new(),
            objective: None,
            costs: None,
            demand: None,
            unmet: None,
            fill_rate: None,
            policy_slack: None,
            bloc_shares: Vec::new(),
            message: None,
            diagnostics: Vec::new(),
            warnings: 0,
            wall_seconds: 0.0,
            solve_seconds: None,
            output: None,
        }
    }

    /// Takes the figures of a solved plan.
    pub fn take_plan(&mut self, plan: &Plan) {
        self.status = plan.status.word().to_string();
        self.model_name = Some(plan.model.clone());
        self.objective = plan.objective;
        self.costs = plan.costs.clone();
        if let Some(k) = &plan.kpis {
            self.demand = Some(k.demand);
            self.unmet = Some(k.unmet);
            self.fill_rate = Some(k.fill_rate);
        }
        if plan.costs.is_some() {
            self.policy_slack = Some(
                plan.policies
                    .iter()
                    .filter(|p| p.soft)
                    .map(|p| p.slack.max(0.0))
                    .sum(),
            );
        }
        self.bloc_shares = bloc_shares(plan);
        self.message = plan.message.clone();
        self.solve_seconds = Some(plan.metadata.run.solve_seconds);
    }
}

fn bloc_shares(plan: &Plan) -> Vec<BlocShare> {
    let mut out: Vec<(BlocShare, f64, f64)> = Vec::new();
    for r in &plan.bloc_shares {
        let pos = match out.iter().position(|(b, _, _)| b.policy == r.policy) {
            Some(p) => p,
            None => {
                out.push((
                    BlocShare {
                        policy: r.policy.clone(),
                        bloc: r.bloc.clone(),
                        target: r.target,
                        share: None,
                        worst: None,
                        rows: 0,
                        rows_met: 0,
                    },
                    0.0,
                    0.0,
                ));
                out.len() - 1
            }
        };
        let (b, delivered, from_bloc) = &mut out[pos];
        *delivered += r.delivered;
        *from_bloc += r.from_bloc;
        b.rows += 1;
        if r.met {
            b.rows_met += 1;
        }
        if let Some(s) = r.share {
            b.worst = Some(b.worst.map_or(s, |w: f64| w.min(s)));
        }
    }
    out.into_iter()
        .map(|(mut b, delivered, from_bloc)| {
            if delivered > 0.0 {
                b.share = Some(from_bloc / delivered);
            }
            b
        })
        .collect()
}

/// Quantities below this share of total demand are LP round-off, not business facts.
const ROUND_OFF: f64 = 1e-6;

/// Whether a row's status fails the run (before `--fail-on` conditions).
pub fn status_fails(status: &str, infeasible_fails: bool) -> bool {
    match status {
        "optimal" => false,
        "infeasible" => infeasible_fails,
        _ => true,
    }
}

/// Sets `conditions` and `failed` from the row's figures.
pub fn classify(row: &mut Row, fail_on: &[FailOn], infeasible_fails: bool) {
    let scale = row.demand.unwrap_or(0.0).max(1.0) * ROUND_OFF;
    row.conditions = fail_on
        .iter()
        .filter(|f| match f {
            FailOn::Unmet => row.status == "optimal" && row.unmet.is_some_and(|u| u > scale),
            FailOn::PolicySlack => {
                row.status == "optimal" && row.policy_slack.is_some_and(|s| s > scale)
            }
            FailOn::Infeasible => row.status == "infeasible",
        })
        .map(|f| f.word().to_string())
        .collect();
    row.failed = status_fails(&row.status, infeasible_fails) || !row.conditions.is_empty();
}

/// Progress of a run, for displays. Sent from the worker threads.
#[derive(Debug)]
pub enum Event<'a> {
    Started {
        index: usize,
        name: &'a str,
    },
    Finished {
        row: &'a Row,
        /// Entries finished so far in this run, and how many it has.
        done: usize,
        total: usize,
    },
}

/// The standard job: solve one entry into `out/<name>/` and describe the outcome.
pub fn solve_entry(entry: &Entry, index: usize, opts: &RunOptions) -> Row {
    let dir = opts.out.join(&entry.name);
    let start = Instant::now();
    let result = solve_to_dir(&entry.model, &entry.overrides, &opts.request, Some(&dir));
    let mut row = Row::new(entry, index);
    match result {
        Ok(written) => {
            row.take_plan(&written.solved.plan);
            row.warnings = written.warnings.warning_count();
            row.output = Some(entry.name.clone());
        }
        Err(Error::InvalidInput(diags)) => {
            row.status = "invalid".to_string();
            row.warnings = diags.warning_count();
            row.diagnostics = diags
                .sorted()
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .take(50)
                .map(|d| d.to_string())
                .collect();
            let first: Vec<&str> = row.diagnostics.iter().take(3).map(String::as_str).collect();
            let more = diags.error_count().saturating_sub(first.len());
            row.message = Some(if more > 0 {
                format!("{} (and {more} more)", first.join("; "))
            } else {
                first.join("; ")
            });
        }
        Err(e) => {
            row.status = "error".to_string();
            row.message = Some(e.to_string());
        }
    }
    row.wall_seconds = start.elapsed().as_secs_f64();
    row
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `f(0..n)` on `threads` threads taking the next index from a shared counter.
fn parallel_for(n: usize, threads: usize, f: &(dyn Fn(usize) + Sync)) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                f(i);
            });
        }
    });
}

/// Solves every entry (of the shard, if any) and returns the summary.
pub fn run(entries: &[Entry], opts: &RunOptions, observer: &(dyn Fn(Event<'_>) + Sync)) -> Summary {
    run_with(entries, opts, observer, &solve_entry)
}

/// [`run`] with another job per entry (tests use this to check isolation).
pub fn run_with(
    entries: &[Entry],
    opts: &RunOptions,
    observer: &(dyn Fn(Event<'_>) + Sync),
    job: &(dyn Fn(&Entry, usize, &RunOptions) -> Row + Sync),
) -> Summary {
    let start = Instant::now();
    let selected: Vec<usize> = match opts.shard {
        Some(shard) => shard.select(entries.len()),
        None => (0..entries.len()).collect(),
    };
    let total = selected.len();
    let threads = thread_count(opts.jobs, total);
    let slots: Mutex<Vec<Option<Row>>> = Mutex::new(vec![None; total]);
    let done = AtomicUsize::new(0);
    parallel_for(total, threads, &|k| {
        let index = selected[k];
        let entry = &entries[index];
        observer(Event::Started {
            index,
            name: &entry.name,
        });
        let started = Instant::now();
        let mut row = match catch_unwind(AssertUnwindSafe(|| job(entry, index, opts))) {
            Ok(row) => row,
            Err(payload) => {
                let mut row = Row::new(entry, index);
                row.status = "error".to_string();
                row.message = Some(format!("internal error (panic): {}", panic_text(&*payload)));
                row.wall_seconds = started.elapsed().as_secs_f64();
                row
            }
        };
        classify(&mut row, &opts.fail_on, opts.infeasible_fails);
        let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
        observer(Event::Finished {
            row: &row,
            done: finished,
            total,
        });
        let mut slots = slots.lock().unwrap_or_else(|e| e.into_inner());
        slots[k] = Some(row);
    });
    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    let rows: Vec<Row> = slots
        .into_iter()
        .zip(&selected)
        .map(|(row, &index)| {
            row.unwrap_or_else(|| {
                // Unreachable in practice: every slot is filled unless a thread died.
                let mut row = Row::new(&entries[index], index);
                row.message = Some("the entry did not finish".to_string());
                row
            })
        })
        .collect();
    let mut fail_on: Vec<String> = opts.fail_on.iter().map(|f| f.word().to_string()).collect();
    fail_on.sort();
    fail_on.dedup();
    let mut summary = Summary {
        summary_format: SUMMARY_FORMAT,
        kind: opts.kind.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        entries_total: entries.len(),
        entry_names: entries.iter().map(|e| e.name.clone()).collect(),
        fingerprint: fingerprint(
            entries
                .iter()
                .map(|e| (e.name.as_str(), e.overrides.describe())),
        ),
        shard: opts.shard,
        shards: opts.shard.into_iter().collect(),
        jobs: threads,
        wall_seconds: start.elapsed().as_secs_f64(),
        fail_on,
        infeasible_fails: opts.infeasible_fails,
        counts: BTreeMap::new(),
        failed: 0,
        exit_code: 0,
        sweep: opts.sweep.clone(),
        rows,
    };
    summary.recount();
    summary
}

/// The outcome of a batch or sweep: `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub summary_format: u32,
    /// `batch` or `sweep`.
    pub kind: String,
    pub tool_version: String,
    /// Entries in the full list (all shards).
    pub entries_total: usize,
    /// Names of the full list, in order.
    pub entry_names: Vec<String>,
    /// SHA-256 of the full entry list (names and overrides).
    pub fingerprint: String,
    /// The shard this run took (`None` for a whole run or a merge).
    pub shard: Option<Shard>,
    /// The shards these rows come from (empty: an unsharded run).
    pub shards: Vec<Shard>,
    /// Threads used (summed over merged shards).
    pub jobs: usize,
    /// Wall time of the run (the longest shard's, after a merge).
    pub wall_seconds: f64,
    pub fail_on: Vec<String>,
    pub infeasible_fails: bool,
    /// Rows per status.
    pub counts: BTreeMap<String, usize>,
    /// Rows that fail the run.
    pub failed: usize,
    /// The exit code the run calls for.
    pub exit_code: u8,
    /// The grid, for sweeps.
    pub sweep: Option<SweepSpec>,
    /// One per entry of this run, in input order.
    pub rows: Vec<Row>,
}

/// Statuses in the order the headline lists them.
const STATUS_ORDER: [&str; 6] = [
    "optimal",
    "infeasible",
    "unbounded",
    "time_limit",
    "invalid",
    "error",
];

impl Summary {
    /// Recomputes `counts`, `failed` and `exit_code` from the rows.
    pub fn recount(&mut self) {
        self.counts.clear();
        for row in &self.rows {
            *self.counts.entry(row.status.clone()).or_insert(0) += 1;
        }
        self.failed = self.rows.iter().filter(|r| r.failed).count();
        self.exit_code = self.exit().code();
    }

    /// 0 when nothing failed; 7 when an entry did not reach an optimal plan (infeasible
    /// points of a sweep excepted); 8 when the only failures are `--fail-on` conditions.
    pub fn exit(&self) -> ExitCode {
        if self
            .rows
            .iter()
            .any(|r| status_fails(&r.status, self.infeasible_fails))
        {
            ExitCode::BatchFailures
        } else if self.rows.iter().any(|r| !r.conditions.is_empty()) {
            ExitCode::FailOnCondition
        } else {
            ExitCode::Ok
        }
    }

    fn noun(&self) -> &'static str {
        if self.kind == "sweep" {
            "variants"
        } else {
            "models"
        }
    }

    /// `12 models: 10 optimal, 1 infeasible, 1 invalid — 4.2 s wall`.
    pub fn headline(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for status in STATUS_ORDER {
            if let Some(n) = self.counts.get(status) {
                parts.push(format!("{n} {status}"));
            }
        }
        for (status, n) in &self.counts {
            if !STATUS_ORDER.contains(&status.as_str()) {
                parts.push(format!("{n} {status}"));
            }
        }
        let mut conditions: BTreeMap<&str, usize> = BTreeMap::new();
        for row in &self.rows {
            for c in &row.conditions {
                *conditions.entry(c.as_str()).or_insert(0) += 1;
            }
        }
        let scope = match self.shard {
            Some(s) => format!(
                "shard {s}: {} of {} {}",
                self.rows.len(),
                self.entries_total,
                self.noun()
            ),
            None if self.rows.len() != self.entries_total => format!(
                "{} of {} {}",
                self.rows.len(),
                self.entries_total,
                self.noun()
            ),
            None => format!("{} {}", self.rows.len(), self.noun()),
        };
        let mut line = format!(
            "{scope}: {} — {:.1} s wall",
            if parts.is_empty() {
                "none run".to_string()
            } else {
                parts.join(", ")
            },
            self.wall_seconds
        );
        if !conditions.is_empty() {
            let list: Vec<String> = conditions.iter().map(|(c, n)| format!("{n} {c}")).collect();
            line.push_str(&format!("; --fail-on: {}", list.join(", ")));
        }
        line
    }

    /// The file stem of this summary: `summary`, or `summary.shard-K-of-N` for a shard.
    pub fn file_stem(&self) -> String {
        match self.shard {
            Some(s) => s.file_stem(),
            None => "summary".to_string(),
        }
    }

    pub fn to_json(&self) -> Result<String, Error> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// Policies with bloc-share figures, in order of first appearance.
    fn bloc_policies(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for row in &self.rows {
            for b in &row.bloc_shares {
                if !out.contains(&b.policy) {
                    out.push(b.policy.clone());
                }
            }
        }
        out
    }

    fn param_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for row in &self.rows {
            for p in &row.params {
                if !out.contains(&p.path) {
                    out.push(p.path.clone());
                }
            }
        }
        out
    }

    /// `summary.csv`: one row per entry.
    pub fn to_csv(&self) -> Result<String, Error> {
        let params = self.param_paths();
        let blocs = self.bloc_policies();
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
        header.extend(
            ["wall_seconds", "solve_seconds", "output", "message"]
                .iter()
                .map(|s| s.to_string()),
        );
        let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_err = |e: csv::Error| Error::Other(format!("CSV: {e}"));
        w.write_record(&header).map_err(csv_err)?;
        for r in &self.rows {
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
            cells.push(r.status.clone());
            cells.push(r.failed.to_string());
            cells.push(r.conditions.join(";"));
            cells.push(opt(r.objective));
            match &r.costs {
                Some(c) => {
                    for (_, v) in c.components() {
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
            cells.push(format!("{:.3}", r.wall_seconds));
            cells.push(
                r.solve_seconds
                    .map(|s| format!("{s:.3}"))
                    .unwrap_or_default(),
            );
            cells.push(r.output.clone().unwrap_or_default());
            cells.push(r.message.clone().unwrap_or_default());
            let safe: Vec<String> = cells.iter().map(|c| neutralise(c)).collect();
            w.write_record(&safe).map_err(csv_err)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Other(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| Error::Other(e.to_string()))
    }

    /// `summary.md`: the headline, a table, and what went wrong where.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let title = if self.kind == "sweep" {
            "Sweep summary"
        } else {
            "Batch summary"
        };
        let _ = writeln!(md, "# {title}\n");
        let _ = writeln!(md, "**{}**\n", escape(&self.headline()));
        let mut facts = vec![format!("{} thread(s)", self.jobs)];
        if !self.shards.is_empty() {
            let list: Vec<String> = self.shards.iter().map(|s| s.to_string()).collect();
            facts.push(format!("shard(s) {}", list.join(", ")));
        }
        if !self.fail_on.is_empty() {
            facts.push(format!("--fail-on {}", self.fail_on.join(",")));
        }
        facts.push(format!("exit code {}", self.exit_code));
        facts.push(format!(
            "entry list fingerprint `{}`",
            self.fingerprint.get(..16).unwrap_or(&self.fingerprint)
        ));
        let _ = writeln!(md, "{}.\n", facts.join(" · "));
        let params = self.param_paths();
        let _ = write!(md, "| # | entry |");
        for p in &params {
            let _ = write!(md, " {} |", escape(p));
        }
        let _ = writeln!(
            md,
            " status | total cost | fill rate | unmet | bloc shares (overall, worst row / target) | wall | report |"
        );
        let _ = write!(md, "|---:|---|");
        for _ in &params {
            md.push_str("---|");
        }
        let _ = writeln!(md, "---|---:|---:|---:|---|---:|---|");
        for r in &self.rows {
            let _ = write!(md, "| {} | {} |", r.index + 1, escape(&r.name));
            for p in &params {
                let v = r.params.iter().find(|x| &x.path == p);
                let _ = write!(md, " {} |", escape(v.map_or("", |x| x.value.as_str())));
            }
            let status = if r.conditions.is_empty() {
                r.status.clone()
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
                .collect();
            let report = match &r.output {
                Some(o) if r.costs.is_some() || r.status != "invalid" => {
                    format!("[report]({}/report.md)", o)
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
        let troubled: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.failed || r.status != "optimal")
            .collect();
        if !troubled.is_empty() {
            let _ = writeln!(md, "\n## Not optimal or failed\n");
            for r in troubled {
                let _ = writeln!(
                    md,
                    "### {} — {}{}\n",
                    escape(&r.name),
                    escape(&r.status),
                    if r.conditions.is_empty() {
                        String::new()
                    } else {
                        format!(" (fails on {})", escape(&r.conditions.join(", ")))
                    }
                );
                let _ = writeln!(md, "Model `{}`.", r.model.replace('`', "'"));
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
}

/// Writes `STEM.json`, `STEM.csv` and `STEM.md` into `dir`, each atomically, where STEM
/// is `summary` (or `summary.shard-K-of-N` for a shard). Returns the files written.
pub fn write_summary(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let stem = summary.file_stem();
    let files = [
        (format!("{stem}.json"), summary.to_json()?),
        (format!("{stem}.csv"), summary.to_csv()?),
        (format!("{stem}.md"), summary.to_markdown()),
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

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.to_string(),
            model: PathBuf::from(format!("{name}.yaml")),
            overrides: Overrides::default(),
            params: Vec::new(),
        }
    }

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
                "_.._etc",
                "entry-summary.json"
            ]
        );
    }

    #[test]
    fn a_panicking_entry_is_isolated_and_rows_keep_input_order() {
        let entries: Vec<Entry> = ["a", "b", "c", "d", "e"].iter().map(|n| entry(n)).collect();
        let mut opts = RunOptions::batch(PathBuf::from("unused"));
        opts.jobs = 3;
        let job = |e: &Entry, i: usize, _: &RunOptions| -> Row {
            if e.name == "c" {
                panic!("boom in c");
            }
            // Finish out of order.
            std::thread::sleep(std::time::Duration::from_millis(((5 - i) * 5) as u64));
            let mut row = Row::new(e, i);
            row.status = if e.name == "d" {
                "infeasible"
            } else {
                "optimal"
            }
            .to_string();
            row
        };
        let summary = run_with(&entries, &opts, &|_| {}, &job);
        let names: Vec<&str> = summary.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
        assert_eq!(summary.rows[2].status, "error");
        assert!(summary.rows[2]
            .message
            .as_deref()
            .unwrap_or("")
            .contains("boom in c"));
        assert_eq!(summary.counts.get("optimal"), Some(&3));
        assert_eq!(summary.failed, 2);
        assert_eq!(summary.exit(), ExitCode::BatchFailures);
        assert!(summary
            .headline()
            .starts_with("5 models: 3 optimal, 1 infeasible, 1 error"));
    }

    #[test]
    fn fail_on_conditions() {
        let mut row = Row::new(&entry("a"), 0);
        row.status = "optimal".to_string();
        row.demand = Some(1000.0);
        row.unmet = Some(1e-7);
        row.policy_slack = Some(3.0);
        classify(&mut row, &[FailOn::Unmet, FailOn::PolicySlack], true);
        assert_eq!(row.conditions, ["policy-slack"]);
        assert!(row.failed);
        let mut inf = Row::new(&entry("b"), 1);
        inf.status = "infeasible".to_string();
        classify(&mut inf, &[], false);
        assert!(!inf.failed, "an infeasible sweep point is a result");
        classify(&mut inf, &[FailOn::Infeasible], false);
        assert!(inf.failed);
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
}
