//! `allyplan generate`: write a plausible scenario of a requested size.

use std::path::PathBuf;

use allyplan::{generate, Spec, MODEL_FILE};
use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// Number of production sites (US, Mexico, Canada and overseas).
    #[arg(long, default_value_t = 6)]
    pub sites: usize,
    /// Number of products.
    #[arg(long, default_value_t = 3)]
    pub products: usize,
    /// Number of North American markets.
    #[arg(long, default_value_t = 3)]
    pub markets: usize,
    /// Number of monthly periods (from 2027-01).
    #[arg(long, default_value_t = 12)]
    pub periods: usize,
    /// Seed: the same seed and sizes give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Tiers of the network. 1: sites ship finished products straight to markets
    /// (format v1). 2: packs made in the US from modules made in Mexico, from cells
    /// and boards bought overseas and in North America, through border hubs, under a
    /// 75% regional value content rule (format v2); --sites then counts suppliers,
    /// plants and hubs (at least 5) and --products every tier (at least 4).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub tiers: u8,
    /// Add decisions over the horizon, which make the model a MILP: sites that may open
    /// (some closed at the start) and close, with opening and closing costs, fixed costs,
    /// expansions of the busiest sites, minimum runs on a few products and a take-or-pay
    /// contract with an overseas site.
    #[arg(long)]
    pub decisions: bool,
    /// Folder to write model.yaml, network.yaml and demand.yaml into (created if needed).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let spec = Spec {
        sites: args.sites,
        products: args.products,
        markets: args.markets,
        periods: args.periods,
        seed: args.seed,
        decisions: args.decisions,
    };
    let generated = if args.tiers == 1 {
        generate(&spec)?
    } else {
        spec.generate(args.tiers)?
    };
    generated.write(&args.out)?;
    if !global.quiet {
        say!(
            "wrote {} to {}: solve it with `allyplan solve {}`",
            generated.name,
            args.out.display(),
            args.out.join(MODEL_FILE).display()
        );
    }
    Ok(ExitCode::Ok)
}
