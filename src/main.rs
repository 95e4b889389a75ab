//! The `allyplan` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode as ProcessExit;

use clap::{Parser, Subcommand};

use allyplan::diag::Diagnostics;
use allyplan::{Error, ExitCode};

#[derive(Parser)]
#[command(
    name = "allyplan",
    version,
    about = "Level production across monthly cycles under ally-sourcing constraints"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a model and its data files; report every problem.
    Validate {
        /// The model file (models/*.yaml).
        model: PathBuf,
    },
    /// Solve a model, verify the plan and write the reports.
    Solve {
        /// The model file (models/*.yaml).
        model: PathBuf,
        /// Output folder (default: out/<model name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Solver backend, overriding the model's `solver.backend`.
        #[arg(long)]
        solver: Option<String>,
        /// Time limit in seconds, overriding the model's `solver.time_limit_s`.
        #[arg(long)]
        time_limit: Option<f64>,
    },
}

fn main() -> ProcessExit {
    let cli = Cli::parse();
    let code = match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            match e {
                Error::InvalidInput(_) | Error::Usage(_) => ExitCode::InvalidInput,
                _ => ExitCode::Failure,
            }
        }
    };
    ProcessExit::from(code.code())
}

fn run(cli: &Cli) -> Result<ExitCode, Error> {
    match &cli.command {
        Command::Validate { model } => {
            let (scenario, warnings) = allyplan::check(model)?;
            print_diagnostics(&warnings);
            if !cli.quiet {
                eprintln!(
                    "{}: valid ({} periods, {} sites, {} markets, {} products, {} lanes, {} policies{})",
                    model.display(),
                    scenario.periods.len(),
                    scenario.sites.len(),
                    scenario.markets.len(),
                    scenario.products.len(),
                    scenario.lanes.len(),
                    scenario.policies.len(),
                    warning_note(&warnings)
                );
            }
            Ok(ExitCode::Ok)
        }
        Command::Solve {
            model,
            out,
            solver,
            time_limit,
        } => {
            let (scenario, warnings) = allyplan::check(model)?;
            if !cli.quiet {
                print_diagnostics(&warnings);
            }
            if let Some(b) = solver {
                if !allyplan::validate::BACKENDS.contains(&b.as_str()) {
                    return Err(Error::Usage(format!(
                        "unknown solver `{b}` (available: {})",
                        allyplan::validate::BACKENDS.join(", ")
                    )));
                }
            }
            if let Some(limit) = time_limit {
                if !(limit.is_finite() && *limit > 0.0) {
                    return Err(Error::Usage(format!(
                        "--time-limit must be a positive number of seconds, found {limit}"
                    )));
                }
            }
            let spinner = Progress::start(cli.quiet, &format!("solving {}", scenario.name));
            let request = allyplan::SolveRequest {
                backend: solver.clone(),
                time_limit_s: *time_limit,
            };
            let solved = allyplan::solve_scenario(&scenario, &request);
            spinner.finish();
            let dir = out
                .clone()
                .unwrap_or_else(|| Path::new("out").join(safe_folder_name(&scenario.name)));
            let written = allyplan::report::write_all(&solved.plan, &dir)?;
            let plan = &solved.plan;
            match (plan.objective, &plan.message) {
                (Some(objective), None) if !cli.quiet => {
                    let m = &plan.metadata;
                    let fill = plan.kpis.as_ref().map_or(1.0, |k| k.fill_rate);
                    eprintln!(
                        "{}: {} — total cost {:.2}, fill rate {:.1}%, {} variables, {} rows, build {:.2} s, solve {:.2} s",
                        scenario.name,
                        plan.status,
                        objective,
                        100.0 * fill,
                        m.variables,
                        m.rows,
                        m.build_seconds,
                        m.solve_seconds
                    );
                    eprintln!("wrote {} files to {}", written.len(), dir.display());
                }
                (_, Some(message)) => eprintln!("{}: {}: {message}", scenario.name, plan.status),
                _ => {}
            }
            Ok(solved.exit)
        }
    }
}

/// A folder name from a model name: anything but letters, digits, `-`, `_` and `.`
/// becomes `_`, so a model name can never steer output outside `out/`.
fn safe_folder_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "model".to_string(),
        s => s.to_string(),
    }
}

fn warning_note(diags: &Diagnostics) -> String {
    match diags.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}");
    }
}

fn report_error(e: &Error) {
    match e {
        Error::InvalidInput(diags) => {
            print_diagnostics(diags);
            eprintln!(
                "{} error(s), {} warning(s): input is not valid",
                diags.error_count(),
                diags.warning_count()
            );
        }
        other => eprintln!("error: {other}"),
    }
}

/// A spinner on stderr, shown only on a terminal (never in scheduled jobs or CI logs).
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn start(quiet: bool, message: &str) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(message.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(Some(bar))
    }

    fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
