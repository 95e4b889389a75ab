//! `allyplan merge DIR... [--out DIR]`: combine the summaries of the shards of one batch
//! or sweep (`--shard K/N` runs) into `summary.{csv,json,md}` (and, for a sweep, the
//! trade-off files). Fails, naming the entries, unless the shards come from the same
//! entry list and cover every entry exactly once. Exits like the batch would have.

use std::path::PathBuf;

use allyplan::report::batch::json;
use allyplan::shard::{self, read_summary, summary_files};
use allyplan::{Error, ExitCode};

use super::batch::{report, write_summary};
use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// Output folders of the shards (their summary.shard-*.json files are read), or
    /// summary files.
    #[arg(required = true, value_name = "DIR")]
    pub inputs: Vec<PathBuf>,
    /// Where to write the merged summary (default: the folder, when only one is given).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the merged summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let out = match (&args.out, args.inputs.as_slice()) {
        (Some(out), _) => out.clone(),
        (None, [only]) if only.is_dir() => only.clone(),
        _ => {
            return Err(Error::Usage(
                "give --out DIR for the merged summary".to_string(),
            ))
        }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for input in &args.inputs {
        for file in summary_files(input)? {
            let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if !seen.contains(&key) {
                seen.push(key);
                files.push(file);
            }
        }
    }
    let mut parts = Vec::with_capacity(files.len());
    for file in files {
        let summary = read_summary(&file)?;
        parts.push((file, summary));
    }
    if global.verbose > 0 {
        for (file, s) in &parts {
            say!(
                "read {}: {} rows{}",
                file.display(),
                s.rows.len(),
                s.shard
                    .map(|sh| format!(" (shard {sh})"))
                    .unwrap_or_default()
            );
        }
    }
    let merged = shard::merge(parts, &out)?;
    let written = write_summary(&merged, &out)?;
    report(global, &merged, &written);
    if args.json {
        print!("{}", json(&merged)?);
    }
    Ok(merged.exit())
}
