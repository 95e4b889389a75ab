//! The `allyplan` command line: a thin layer over the library. Each subcommand lives in
//! `cli/<name>.rs`; exit codes are documented in the README.

mod cli;

use std::process::ExitCode as ProcessExit;

use clap::{Parser, Subcommand};

use allyplan::{Error, ExitCode};

#[derive(Parser)]
#[command(
    name = "allyplan",
    version,
    about = "Level production across monthly cycles under ally-sourcing constraints"
)]
struct Cli {
    #[command(flatten)]
    global: cli::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a model and its data files; report every problem.
    Validate(cli::validate::Args),
    /// Solve a model, verify the plan and write the reports.
    Solve(cli::solve::Args),
    /// Write the exact LP that `solve` would build, as MPS or LP.
    Export(cli::export::Args),
    /// Explain why a model is infeasible: which policies must give, and by how much.
    Explain(cli::explain::Args),
    /// Render the reports of a saved plan.json again, without solving.
    Report(cli::report::Args),
    /// Compare two plans: cost, volume, sourcing and binding constraints.
    Compare(cli::compare::Args),
    /// Solve many models in parallel, each isolated, with a summary.
    Batch(cli::batch::Args),
    /// Solve a grid of variants of one model and chart the trade-off.
    Sweep(cli::sweep::Args),
    /// Combine the summaries of sharded batch or sweep runs.
    Merge(cli::merge::Args),
    /// Write a valid, plausible scenario of a requested size (for trials and benchmarks).
    Generate(cli::generate::Args),
    /// Write a small, commented starter scenario to edit into your own.
    Init(cli::init::Args),
    /// Print the JSON Schema of model and data files, for editors' completion and checks.
    Schema(cli::schema::Args),
}

fn main() -> ProcessExit {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Validate(args) => cli::validate::run(&cli.global, args),
        Command::Solve(args) => cli::solve::run(&cli.global, args),
        Command::Export(args) => cli::export::run(&cli.global, args),
        Command::Explain(args) => cli::explain::run(&cli.global, args),
        Command::Report(args) => cli::report::run(&cli.global, args),
        Command::Compare(args) => cli::compare::run(&cli.global, args),
        Command::Batch(args) => cli::batch::run(&cli.global, args),
        Command::Sweep(args) => cli::sweep::run(&cli.global, args),
        Command::Merge(args) => cli::merge::run(&cli.global, args),
        Command::Generate(args) => cli::generate::run(&cli.global, args),
        Command::Init(args) => cli::init::run(&cli.global, args),
        Command::Schema(args) => cli::schema::run(&cli.global, args),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            cli::report_error(&e);
            match e {
                Error::InvalidInput(_) | Error::Usage(_) | Error::BadPlan { .. } => {
                    ExitCode::InvalidInput
                }
                _ => ExitCode::Failure,
            }
        }
    };
    ProcessExit::from(code.code())
}
