//! Shared pieces of the subcommands: global flags, model arguments with overrides,
//! diagnostics printing and the terminal-only progress spinner.

/// `eprintln!` for everything said to people on stderr: whatever part of the message
/// came from a file, a file name or a plan goes through [`allyplan::fmt::terminal`], so
/// no escape sequence reaches the terminal raw.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", allyplan::fmt::terminal(&format!($($arg)*)))
    };
}

/// `println!` with the same escaping, for results on stdout.
macro_rules! out {
    ($($arg:tt)*) => {
        println!("{}", allyplan::fmt::terminal(&format!($($arg)*)))
    };
}

pub mod batch;
pub mod compare;
pub mod explain;
pub mod export;
pub mod generate;
pub mod init;
pub mod merge;
pub mod report;
pub mod schema;
pub mod solve;
pub mod sweep;
pub mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;

use allyplan::Diagnostics;
use allyplan::Scenario;
use allyplan::{Error, Overrides};

/// Flags every subcommand takes.
#[derive(clap::Args)]
pub struct Global {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail on stderr: -v stage timings and sizes, -vv also the solver's log.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The model to read, with what-if overrides.
#[derive(clap::Args)]
pub struct ModelArgs {
    /// The model file (models/*.yaml).
    pub model: PathBuf,
    /// Override a model value: PATH=VALUE, e.g. objective.leveling_weight=5 or
    /// 'policies[critical-usmca-80].min_share=0.9' (a policy by name, or by index: #2;
    /// a name wins). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Leave out a policy, by name or by index (#2; a name wins). Repeatable.
    #[arg(long = "disable", value_name = "POLICY")]
    pub disable: Vec<String>,
    /// Apply named scenarios of the model (`scenarios:`), in order, before --set and
    /// --disable: --scenario tariff-shock,high-demand. Repeatable.
    #[arg(long = "scenario", value_name = "NAMES", value_delimiter = ',')]
    pub scenario: Vec<String>,
}

impl ModelArgs {
    pub fn overrides(&self) -> Result<Overrides, Error> {
        let set = self
            .set
            .iter()
            .map(|s| Overrides::parse_set(s).map_err(Error::Usage))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overrides {
            scenarios: self.scenario.clone(),
            set,
            disable: self.disable.clone(),
        })
    }

    /// Loads and validates the model; warnings are printed unless `quiet`.
    pub fn load(&self, global: &Global) -> Result<(Scenario, Diagnostics), Error> {
        let (scenario, warnings) = allyplan::check_with(&self.model, &self.overrides()?)?;
        if !global.quiet {
            print_diagnostics(&warnings);
        }
        Ok((scenario, warnings))
    }
}

pub fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.sorted() {
        say!("{d}");
    }
}

pub fn report_error(e: &Error) {
    match e {
        Error::InvalidInput(diags) => {
            print_diagnostics(diags);
            say!(
                "{} error(s), {} warning(s): input is not valid",
                diags.error_count(),
                diags.warning_count()
            );
        }
        other => say!("error: {other}"),
    }
}

/// Checks a solver name given on the command line.
pub fn check_backend(name: Option<&String>) -> Result<(), Error> {
    match name {
        Some(b) if allyplan::BACKENDS.contains(&b.as_str()) => Ok(()),
        Some(b) if allyplan::OPTIONAL_BACKENDS.contains(&b.as_str()) => Err(Error::Usage(format!(
            "solver `{b}` is not built into this allyplan; rebuild with `--features highs`"
        ))),
        Some(b) => Err(Error::Usage(format!(
            "unknown solver `{b}` (available: {})",
            allyplan::BACKENDS.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// A spinner on stderr, shown only on a terminal (never in scheduled jobs or CI logs).
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn start(global: &Global, message: &str) -> Progress {
        if global.quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(message.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(Some(bar))
    }

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
