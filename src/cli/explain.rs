//! `allyplan explain MODEL`: why is a model infeasible?

use allyplan::{Error, ExitCode};

use super::{Global, ModelArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let _ = (global, args);
    Err(Error::Other("explain is not available yet".to_string()))
}
