//! `allyplan sweep` (see README).

use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("sweep is not available yet".to_string()))
}
