//! `allyplan compare OLD/plan.json NEW/plan.json`: what changed between two plans.
//!
//! Prints the comparison as Markdown on stdout (or JSON with `--json`). With `--out DIR`
//! it writes `compare.md`, `compare.html` and `compare.json` to that folder instead, in one
//! locked step (the folder must be empty, new or allyplan's), and prints only the
//! headline sentences (the JSON with `--json`); `--quiet --out DIR` prints nothing. A path may name a plan file or the folder
//! holding `plan.json`. Exits 0 whatever changed; a file that is not a plan is an error
//! naming it.

use std::path::PathBuf;

use allyplan::compare;
use allyplan::report::compare as documents;
use allyplan::{Error, ExitCode};

use super::report::load_plan;
use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// The earlier plan (e.g. last month's, or the baseline).
    pub old: PathBuf,
    /// The later plan (e.g. this month's, or the policy variant).
    pub new: PathBuf,
    /// Also write compare.md, compare.html and compare.json into this folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the comparison as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let (old, old_file) = load_plan(&args.old)?;
    let (new, new_file) = load_plan(&args.new)?;
    let comparison = compare(&old, &new).labelled(
        &old_file.display().to_string(),
        &new_file.display().to_string(),
    );
    let markdown = documents::markdown::render(&comparison);
    let json = documents::json(&comparison)?;
    if let Some(dir) = &args.out {
        let files = [
            ("compare.md", markdown.clone()),
            ("compare.html", documents::html::render(&comparison)),
            ("compare.json", json.clone()),
        ]
        .map(|(name, text)| (name.to_string(), text.into_bytes()));
        for path in allyplan::update_dir(dir, &files)? {
            if !global.quiet {
                say!("wrote {}", path.display());
            }
        }
    }
    match (&args.out, args.json, global.quiet) {
        (Some(_), _, true) => {}
        (_, true, _) => print!("{json}"),
        (Some(dir), false, false) => {
            for line in documents::text::summary(&comparison, &|s: &str| s.to_string()) {
                println!("- {line}");
            }
            println!(
                "(the whole comparison: {})",
                dir.join("compare.md").display()
            );
        }
        (None, false, _) => print!("{markdown}"),
    }
    Ok(ExitCode::Ok)
}
