//! `allyplan compare OLD/plan.json NEW/plan.json`: what changed between two plans.

use std::path::PathBuf;

use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// The earlier plan (e.g. last month's, or the baseline).
    pub old: PathBuf,
    /// The later plan (e.g. this month's, or the policy variant).
    pub new: PathBuf,
    /// Folder for compare.md and compare.html (default: print Markdown to stdout only).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("compare is not available yet".to_string()))
}
