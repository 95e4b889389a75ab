//! `allyplan schema`: print the JSON Schema of model and data files, for editors.

use std::io::Write;
use std::path::Path;

use allyplan::{schema_text, SchemaFor};
use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// Describe model files only (default: one schema for model and data files).
    #[arg(long, conflicts_with = "data")]
    pub model: bool,
    /// Describe data files only.
    #[arg(long)]
    pub data: bool,
}

pub fn run(_global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let which = match (args.model, args.data) {
        (true, _) => SchemaFor::Model,
        (_, true) => SchemaFor::Data,
        _ => SchemaFor::Both,
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(schema_text(which).as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::Ok),
        // `allyplan schema | head` closes the pipe early: not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::Ok),
        Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
    }
}
