//! `allyplan export MODEL --output FILE.mps|FILE.lp`.

use std::path::PathBuf;

use allyplan::{Error, ExitCode};

use super::{Global, ModelArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Where to write the LP; the format follows the extension (.mps or .lp).
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("export is not available yet".to_string()))
}
