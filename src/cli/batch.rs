//! `allyplan batch MODEL... | --dir DIR [--jobs N] [--out DIR]`: solve many models in
//! parallel, each isolated, and write `summary.{csv,json,md}` (see README, "Batches,
//! sweeps and scheduled jobs"). Also the run machinery `sweep` shares.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use allyplan::batch::{self, Event, FailOn, RunOptions};
use allyplan::entries::{self, Entry};
use allyplan::fmt::{money, percent};
use allyplan::plan::summary::{Row, RowStatus, Shard, Summary};
use allyplan::report::batch::{headline, json, summary_files};
use allyplan::{Error, ExitCode, Overrides};

use super::{check_backend, Global};

#[derive(clap::Args)]
pub struct Args {
    /// Model files, folders of models (every YAML file with a `data` key, in name
    /// order), batch files (YAML with `entries`) or glob patterns such as 'models/*.yaml'.
    #[arg(value_name = "MODEL")]
    pub inputs: Vec<String>,
    /// A folder of models, like a folder given as MODEL. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub dir: Vec<PathBuf>,
    /// Override a value in every model: PATH=VALUE (before each entry's own). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Leave out a policy in every model, by name or by index (#2; a name wins). Repeatable.
    #[arg(long = "disable", value_name = "POLICY")]
    pub disable: Vec<String>,
    /// Apply named scenarios of each model (`scenarios:`), in order, before --set and
    /// --disable. Repeatable.
    #[arg(long = "scenario", value_name = "NAMES", value_delimiter = ',')]
    pub scenario: Vec<String>,
    /// Output folder: each entry's reports in OUT/<entry>/, the summary in OUT/
    /// (default: out/batch).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Options shared by `batch` and `sweep`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Models solved at once (default: one per available core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Solver backend for every entry, overriding the models' `solver.backend`.
    #[arg(long)]
    pub solver: Option<String>,
    /// Time limit in seconds for each entry, overriding `solver.time_limit_s` (an entry
    /// whose model sets none gets 3,600 s).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Do not explain infeasible entries (explaining takes a few more solves each).
    #[arg(long)]
    pub no_explain: bool,
    /// Also fail (exit 8) when an optimal plan leaves demand unmet (`unmet`), uses a soft
    /// policy's slack (`policy-slack`), or, in a sweep, a variant is `infeasible`.
    /// Comma-separated or repeated.
    #[arg(long = "fail-on", value_name = "CONDITION", value_delimiter = ',')]
    pub fail_on: Vec<String>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Run only shard K of N (1-based): the entries at positions i with i % N == K-1.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Solve every entry from scratch. By default an entry starts from the latest
    /// finished entry before it (its basis, or its plan for a MIP), matched by name.
    #[arg(long)]
    pub cold: bool,
}

impl RunArgs {
    /// Checks the arguments and turns them into run options (`out` and `kind` to fill).
    pub fn options(&self, kind: &str, out: PathBuf) -> Result<RunOptions, Error> {
        check_backend(self.solver.as_ref())?;
        if let Some(limit) = self.time_limit {
            if !(limit.is_finite() && limit > 0.0) {
                return Err(Error::Usage(format!(
                    "--time-limit must be a positive number of seconds, found {}",
                    allyplan::fmt::number_text(limit)
                )));
            }
        }
        if self.jobs == Some(0) {
            return Err(Error::Usage(
                "--jobs must be at least 1 (leave it out for one per core)".to_string(),
            ));
        }
        let fail_on = self
            .fail_on
            .iter()
            .filter(|f| !f.trim().is_empty())
            .map(|f| FailOn::parse(f).map_err(Error::Usage))
            .collect::<Result<Vec<_>, _>>()?;
        let shard = self
            .shard
            .as_deref()
            .map(|s| Shard::parse(s).map_err(|e| Error::Usage(format!("--shard {e}"))))
            .transpose()?;
        let sweep = kind == "sweep";
        Ok(RunOptions {
            kind: kind.to_string(),
            out,
            jobs: self.jobs.unwrap_or(0),
            request: allyplan::SolveRequest {
                backend: self.solver.clone(),
                time_limit_s: self.time_limit,
                explain_infeasible: !self.no_explain,
                solver_log: false,
                default_time_limit_s: Some(batch::DEFAULT_TIME_LIMIT_S),
                started_at: None,
                start: None,
                keep_start: false,
                threads: None,
                decision_values: true,
            },
            // In a sweep an infeasible variant is a result (where the rule stops being
            // achievable); `--fail-on infeasible` makes it a condition (exit 8).
            infeasible_fails: !sweep,
            fail_on,
            shard,
            sweep: None,
            starts: if self.cold {
                batch::Starts::cold()
            } else {
                batch::Starts::default()
            },
        })
    }
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let set = args
        .set
        .iter()
        .map(|s| Overrides::parse_set(s).map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    let shared = Overrides {
        scenarios: args.scenario.clone(),
        set,
        disable: args.disable.clone(),
    };
    let mut inputs = args.inputs.clone();
    inputs.extend(args.dir.iter().map(|d| d.display().to_string()));
    if inputs.is_empty() {
        return Err(Error::Usage(
            "name the models: allyplan batch MODEL... or --dir DIR".to_string(),
        ));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out/batch"));
    let opts = args.run.options("batch", out)?;
    let collected = entries::collect(&inputs, &shared)?;
    if global.verbose > 0 {
        for skipped in &collected.skipped {
            say!("skipped {} (not a model: no `data` key)", skipped.display());
        }
    }
    let entries = entries::name_entries(collected.entries);
    execute(global, &args.run, &entries, &opts)
}

/// Solves the entries with a progress display, writes the summary (and, for a complete
/// sweep, the trade-off files), reports on stderr and returns the exit code.
pub fn execute(
    global: &Global,
    run: &RunArgs,
    entries: &[Entry],
    opts: &RunOptions,
) -> Result<ExitCode, Error> {
    if entries.is_empty() {
        return Err(Error::Usage("no entries to run".to_string()));
    }
    // Fail before solving anything when the output folder cannot be made, is not
    // allyplan's, or another run is writing it.
    allyplan::claim_dir(&opts.out)?;
    let taken = opts
        .shard
        .map_or(entries.len(), |s| s.select(entries.len()).len());
    let threads = batch::thread_count(opts.jobs, taken);
    if global.verbose > 0 {
        say!(
            "{} entries{}; {} thread(s); output in {}",
            entries.len(),
            opts.shard
                .map(|s| format!(", shard {s} takes {taken}"))
                .unwrap_or_default(),
            threads,
            opts.out.display()
        );
    }
    let display = Display::new(global, taken);
    let summary = batch::run(entries, opts, &|event| display.event(event));
    display.finish();

    let written = write_summary(&summary, &opts.out)?;
    report(global, &summary, &written);
    if run.json {
        print!("{}", json(&summary)?);
    }
    Ok(summary.exit())
}

/// Adds the summary (and, for a complete sweep, the trade-off files) to `out` in one
/// locked write; returns the files written.
pub fn write_summary(summary: &Summary, out: &std::path::Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = summary_files(summary)?;
    files.extend(allyplan::sweep::output_files(summary)?);
    allyplan::update_dir(out, &files)
}

/// The headline and what failed, on stderr. With `--quiet`, only when the run failed.
pub fn report(global: &Global, summary: &Summary, written: &[PathBuf]) {
    let failed = summary.exit() != ExitCode::Ok;
    if global.quiet && !failed {
        return;
    }
    for row in summary.rows.iter().filter(|r| r.failed) {
        let why = if row.conditions.is_empty() {
            row.message.clone().unwrap_or_default()
        } else {
            format!("fails on {}", row.conditions.join(", "))
        };
        say!(
            "  {:<11} {}: {}",
            row.status.word(),
            row.name,
            first_line(&why, 160)
        );
    }
    say!("{}", headline(summary));
    if !global.quiet {
        if let Some(first) = written.first() {
            let dir = first.parent().map(|p| p.display().to_string());
            say!(
                "wrote {} summary file(s) to {}",
                written.len(),
                dir.unwrap_or_default()
            );
        }
    }
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > max {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// One line per finished entry.
fn finished_line(row: &Row, done: usize, total: usize) -> String {
    let detail = match (row.status, row.objective) {
        (RowStatus::Optimal, Some(cost)) => format!(
            "total cost {}, fill rate {}",
            money(cost),
            percent(row.fill_rate.unwrap_or(1.0))
        ),
        _ => first_line(row.message.as_deref().unwrap_or(""), 120),
    };
    let conditions = if row.conditions.is_empty() {
        String::new()
    } else {
        format!(" [fails on {}]", row.conditions.join(", "))
    };
    format!(
        "[{done}/{total}] {}: {}{conditions} — {detail} ({:.2} s)",
        row.name,
        row.status.word(),
        row.wall_seconds
    )
}

/// Progress on stderr: bars on a terminal, one line per finished entry otherwise, nothing
/// with `--quiet`.
struct Display {
    quiet: bool,
    bars: Option<Bars>,
}

struct Bars {
    multi: indicatif::MultiProgress,
    overall: indicatif::ProgressBar,
    running: Mutex<HashMap<usize, indicatif::ProgressBar>>,
}

impl Display {
    fn new(global: &Global, total: usize) -> Display {
        if global.quiet || !std::io::stderr().is_terminal() {
            return Display {
                quiet: global.quiet,
                bars: None,
            };
        }
        let multi = indicatif::MultiProgress::new();
        let overall = multi.add(indicatif::ProgressBar::new(total as u64));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} solved [{elapsed_precise}, eta {eta}]",
        ) {
            overall.set_style(style.progress_chars("█▉░"));
        }
        overall.enable_steady_tick(std::time::Duration::from_millis(200));
        Display {
            quiet: false,
            bars: Some(Bars {
                multi,
                overall,
                running: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn event(&self, event: Event<'_>) {
        match (event, &self.bars) {
            (Event::Started { index, name }, Some(bars)) => {
                let bar = bars.multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_message(format!("solving {name}"));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                if let Ok(mut running) = bars.running.lock() {
                    running.insert(index, bar);
                }
            }
            (Event::Finished { row, done, total }, Some(bars)) => {
                if let Ok(mut running) = bars.running.lock() {
                    if let Some(bar) = running.remove(&row.index) {
                        bar.finish_and_clear();
                        bars.multi.remove(&bar);
                    }
                }
                bars.overall.inc(1);
                let _ = bars.multi.println(finished_line(row, done, total));
            }
            (Event::Finished { row, done, total }, None) if !self.quiet => {
                say!("{}", finished_line(row, done, total));
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(bars) = &self.bars {
            bars.overall.finish_and_clear();
            let _ = bars.multi.clear();
        }
    }
}
