//! `allyplan report PLAN.json [--format html|md|csv] [--out DIR]`: re-render a saved plan.

use std::path::PathBuf;

use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// A plan.json written by `solve`.
    pub plan: PathBuf,
    /// Which reports to write (default: all).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Output folder (default: the plan's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
    Csv,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("report is not available yet".to_string()))
}
