//! `allyplan generate`: write a plausible scenario of a requested size.

use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("generate is not available yet".to_string()))
}
