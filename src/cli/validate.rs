//! `allyplan validate MODEL`: check inputs, report every problem.

use allyplan::{Error, ExitCode};

use super::{Global, ModelArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let (scenario, warnings) = args.model.load(global)?;
    if !global.quiet {
        let note = match warnings.warning_count() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        };
        say!(
            "{}: valid ({} periods, {} sites, {} markets, {} products, {} lanes, {} policies{note})",
            args.model.model.display(),
            scenario.periods.len(),
            scenario.sites.len(),
            scenario.markets.len(),
            scenario.products.len(),
            scenario.lanes.len(),
            scenario.policies.len(),
        );
    }
    Ok(ExitCode::Ok)
}
