//! `allyplan sweep MODEL --vary 'PATH=A..B step S' [--vary ...]`: solve the grid of
//! variants like a batch, then write the trade-off table and chart
//! (`sweep.{csv,json,md,svg,html}`) beside `summary.{csv,json,md}` (see README).

use std::path::PathBuf;

use allyplan::sweep;
use allyplan::{Error, ExitCode};

use super::batch::{execute, RunArgs};
use super::{Global, ModelArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// A parameter to vary: PATH=A..B step S, or PATH=v1,v2,v3, e.g.
    /// 'policies[critical-usmca-70].min_share=0.5..0.95 step 0.05'. Repeatable: the grid
    /// is every combination; the first is the chart's x axis.
    #[arg(long, value_name = "PATH=RANGE", required = true)]
    pub vary: Vec<String>,
    /// Output folder: each variant's reports in OUT/<variant>/, the summary and the
    /// trade-off files in OUT/ (default: out/sweep-<model file name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let vary = args
        .vary
        .iter()
        .map(|v| sweep::parse_vary(v).map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    let base = args.model.overrides()?;
    // Check the model once, with the first grid point, before starting the grid: a
    // broken model or a mistyped --vary path stops here with one report, not one per
    // variant.
    let entries = sweep::grid(&args.model.model, &base, &vary)?;
    if let Some(first) = entries.first() {
        let (_, warnings) = allyplan::check_with(&first.model, &first.overrides)?;
        if !global.quiet {
            super::print_diagnostics(&warnings);
        }
    }
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .model
            .model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".to_string());
        PathBuf::from("out").join(format!("sweep-{}", allyplan::safe_folder_name(&stem)))
    });
    let mut opts = args.run.options("sweep", out)?;
    opts.sweep = Some(sweep::spec(&args.model.model, &base, &vary));
    execute(global, &args.run, &entries, &opts)
}
