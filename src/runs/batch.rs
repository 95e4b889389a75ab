//! Batches: many entries solved in parallel, each isolated.
//!
//! A batch is a deterministic list of [`Entry`]s (see [`crate::runs::entries`]). [`run`]
//! solves them on `jobs` threads, each with [`solve_to_dir`] into `OUT/<entry name>/`. One
//! entry's failure never stops the others: invalid input, infeasibility, a solver failure
//! or even a panic becomes that entry's status in the [`Summary`], whose rows keep the
//! input order whatever order the entries finish in.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::diag::Severity;
use crate::error::Error;
use crate::load::normalize;
use crate::pipeline::{solve_to_dir, SolveRequest};
use crate::plan::summary::{
    BlocShare, Row, RowStatus, Shard, Summary, SweepSpec, ValueContent, SUMMARY_FORMAT,
};
use crate::plan::Plan;
use crate::runs::entries::{fingerprint, Entry};
use crate::solve::Start;

/// Time limit of an entry whose model and command line set none, in seconds: a scheduled
/// batch never waits forever on one model.
pub const DEFAULT_TIME_LIMIT_S: f64 = 3600.0;

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
    /// Warm starts by entry index: entry k starts from the latest finished entry before
    /// it (an LP from its basis, by the simplex method; a MIP from its plan), matched by
    /// the names of columns and rows. A sweep's neighbouring variants differ in a number
    /// or two, so the previous basis is nearly optimal; a start from another model
    /// altogether (under half its columns found) is not used.
    pub starts: Starts,
}

/// Warm starts shared between the entries of one run (see [`RunOptions::starts`]).
#[derive(Debug, Clone, Default)]
pub struct Starts {
    done: std::sync::Arc<Mutex<BTreeMap<usize, Arc<Start>>>>,
    /// `--cold`: every entry solves from scratch.
    pub cold: bool,
}

/// Finished entries whose starts are kept, the latest ones.
const STARTS_KEPT: usize = 8;

impl Starts {
    /// Starts that are never used (`--cold`).
    pub fn cold() -> Starts {
        Starts {
            cold: true,
            ..Starts::default()
        }
    }

    /// The start of the latest finished entry before `index` (with several jobs,
    /// entry `index − 1` may still be running).
    fn before(&self, index: usize) -> Option<Arc<Start>> {
        if self.cold {
            return None;
        }
        let map = self.done.lock().unwrap_or_else(|e| e.into_inner());
        map.range(..index).next_back().map(|(_, s)| s.clone())
    }

    /// Keeps entry `index`'s start, dropping all but the latest few.
    fn put(&self, index: usize, start: Start) {
        let mut map = self.done.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(index, Arc::new(start));
        while map.len() > STARTS_KEPT {
            map.pop_first();
        }
    }
}

/// HiGHS threads for each of `jobs` entries solved at once: the cores shared out, at
/// least one each (`None`, one job: HiGHS's own choice).
pub fn solver_threads(jobs: usize) -> Option<usize> {
    (jobs > 1).then(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (cores / jobs).max(1)
    })
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
            starts: Starts::default(),
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

/// A row with nothing known yet but the entry.
pub fn new_row(entry: &Entry, index: usize) -> Row {
    Row {
        index,
        name: entry.name.clone(),
        model: normalize(&entry.model).display().to_string(),
        model_name: None,
        overrides: entry.overrides.describe(),
        params: entry.params.clone(),
        status: RowStatus::Error,
        failed: true,
        conditions: Vec::new(),
        objective: None,
        costs: None,
        demand: None,
        unmet: None,
        fill_rate: None,
        policy_slack: None,
        bloc_shares: Vec::new(),
        value_content: Vec::new(),
        message: None,
        diagnostics: Vec::new(),
        warnings: 0,
        wall_seconds: 0.0,
        solve_seconds: None,
        output: None,
    }
}

/// Takes the figures of a solved plan into `row`.
pub fn take_plan(row: &mut Row, plan: &Plan) {
    row.status = RowStatus::from(plan.status);
    row.model_name = Some(plan.model.clone());
    row.objective = plan.objective;
    row.costs = plan.costs.clone();
    if let Some(k) = &plan.kpis {
        row.demand = Some(k.demand);
        row.unmet = Some(k.unmet);
        row.fill_rate = Some(k.fill_rate);
    }
    if plan.costs.is_some() {
        row.policy_slack = Some(
            plan.policies
                .iter()
                .filter(|p| p.soft)
                .map(|p| p.slack.max(0.0))
                .sum(),
        );
    }
    row.bloc_shares = bloc_shares(plan);
    row.value_content = value_content(plan);
    row.message = plan.message.clone();
    row.solve_seconds = Some(plan.metadata.run.solve_seconds);
}

/// Per value-content policy: its lowest share over every row, and how many rows meet it.
fn value_content(plan: &Plan) -> Vec<ValueContent> {
    let mut out: Vec<ValueContent> = Vec::new();
    let Some(network) = &plan.network else {
        return out;
    };
    for r in &network.value_content {
        let pos = match out.iter().position(|v| v.policy == r.policy) {
            Some(p) => p,
            None => {
                out.push(ValueContent {
                    policy: r.policy.clone(),
                    bloc: r.bloc.clone(),
                    target: r.target,
                    worst: None,
                    worst_margin_points: None,
                    rows: 0,
                    rows_met: 0,
                });
                out.len() - 1
            }
        };
        let v = &mut out[pos];
        v.rows += 1;
        v.rows_met += usize::from(r.met);
        if let Some(share) = r.share {
            if v.worst.is_none_or(|w| share < w) {
                v.worst = Some(share);
                v.worst_margin_points = r.margin_points;
            }
        }
    }
    out
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

/// Sets `conditions` and `failed` from the row's figures.
pub fn classify(row: &mut Row, fail_on: &[FailOn], infeasible_fails: bool) {
    let scale = row.demand.unwrap_or(0.0).max(1.0) * ROUND_OFF;
    row.conditions = fail_on
        .iter()
        .filter(|f| match f {
            FailOn::Unmet => {
                row.status == RowStatus::Optimal && row.unmet.is_some_and(|u| u > scale)
            }
            FailOn::PolicySlack => {
                row.status == RowStatus::Optimal && row.policy_slack.is_some_and(|s| s > scale)
            }
            FailOn::Infeasible => row.status == RowStatus::Infeasible,
        })
        .map(|f| f.word().to_string())
        .collect();
    row.failed = row.status.fails(infeasible_fails) || !row.conditions.is_empty();
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
    let request = SolveRequest {
        start: opts.starts.before(index),
        keep_start: !opts.starts.cold,
        ..opts.request.clone()
    };
    let result = solve_to_dir(&entry.model, &entry.overrides, &request, Some(&dir));
    let mut row = new_row(entry, index);
    match result {
        Ok(written) => {
            take_plan(&mut row, &written.solved.plan);
            if let Some(mut start) = written.solved.start {
                start.label = format!("entry {index} ({})", entry.name);
                opts.starts.put(index, start);
            }
            row.warnings = written.warnings.warning_count();
            row.output = Some(entry.name.clone());
        }
        Err(Error::InvalidInput(diags)) => {
            row.status = RowStatus::Invalid;
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
            row.status = RowStatus::Error;
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
    let opts = &RunOptions {
        request: SolveRequest {
            threads: opts.request.threads.or(solver_threads(threads)),
            ..opts.request.clone()
        },
        ..opts.clone()
    };
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
                let mut row = new_row(entry, index);
                row.status = RowStatus::Error;
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
                let mut row = new_row(&entries[index], index);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitCode;
    use crate::load::Overrides;
    use crate::report::batch::headline;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.to_string(),
            model: PathBuf::from(format!("{name}.yaml")),
            overrides: Overrides::default(),
            params: Vec::new(),
        }
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
            let mut row = new_row(e, i);
            row.status = if e.name == "d" {
                RowStatus::Infeasible
            } else {
                RowStatus::Optimal
            };
            row
        };
        let summary = run_with(&entries, &opts, &|_| {}, &job);
        let names: Vec<&str> = summary.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
        assert_eq!(summary.rows[2].status, RowStatus::Error);
        assert!(summary.rows[2]
            .message
            .as_deref()
            .unwrap_or("")
            .contains("boom in c"));
        assert_eq!(summary.counts.get("optimal"), Some(&3));
        assert_eq!(summary.failed, 2);
        assert_eq!(summary.exit(), ExitCode::BatchFailures);
        assert!(headline(&summary).starts_with("5 models: 3 optimal, 1 infeasible, 1 error"));
    }

    #[test]
    fn fail_on_conditions() {
        let mut row = new_row(&entry("a"), 0);
        row.status = RowStatus::Optimal;
        row.demand = Some(1000.0);
        row.unmet = Some(1e-7);
        row.policy_slack = Some(3.0);
        classify(&mut row, &[FailOn::Unmet, FailOn::PolicySlack], true);
        assert_eq!(row.conditions, ["policy-slack"]);
        assert!(row.failed);
        let mut inf = new_row(&entry("b"), 1);
        inf.status = RowStatus::Infeasible;
        classify(&mut inf, &[], false);
        assert!(!inf.failed, "an infeasible sweep point is a result");
        classify(&mut inf, &[FailOn::Infeasible], false);
        assert!(inf.failed);
    }
}
