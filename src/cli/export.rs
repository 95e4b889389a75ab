//! `allyplan export MODEL --output FILE.mps|FILE.lp`: write the exact LP `solve` would
//! build (overrides applied), for checking it in another solver. The work is done by
//! `allyplan::export`.

use std::path::PathBuf;

use allyplan::{export, ExportFormat as Format};
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
    // A bad file name is a usage error: report it before reading any input.
    let format = Format::from_path(&args.output)?;
    let (scenario, _) = args.model.load(global)?;
    let model = allyplan::build(&scenario);
    let exported = export(&scenario, &model, format);
    allyplan::write_atomic(&args.output, exported.text.as_bytes())?;
    if !global.quiet {
        say!(
            "wrote {}: {} variables, {} rows, {} non-zeros",
            args.output.display(),
            exported.variables,
            exported.rows,
            exported.nonzeros
        );
    }
    Ok(ExitCode::Ok)
}
