//! `allyplan report PLAN.json [--format html|md|csv] [--out DIR]`: re-render a saved plan.
//!
//! Reports are a pure function of the plan, so what this writes is byte-for-byte what
//! `solve` wrote for the same plan. Nothing is solved.
//!
//! **plan.json is never rewritten.** Into the plan's own folder (the default) only the
//! reports are written. Into another folder, with every format (no `--format`), the plan
//! file is *copied* there as `plan.json`, byte for byte, so the folder holds the plan its
//! reports came from and looks like a `solve` output; with `--format`, only the chosen
//! reports are written.

use std::path::{Path, PathBuf};

use allyplan::plan::{Plan, PLAN_FORMAT};
use allyplan::report::{self, Format as Output};
use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// A plan.json written by `solve` (or the folder holding it).
    pub plan: PathBuf,
    /// Which reports to write (default: all). Repeatable, or comma-separated: md,csv.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// Output folder (default: the plan's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
    Csv,
}

/// Reads a plan written by `solve`: `path` is the file, or a folder holding `plan.json`.
/// Returns the plan and the file it came from. Anything that is not a plan this version
/// can read is [`Error::BadPlan`], naming the file.
pub fn load_plan(path: &Path) -> Result<(Plan, PathBuf), Error> {
    let file = if path.is_dir() {
        path.join("plan.json")
    } else {
        path.to_path_buf()
    };
    let plan = report::read_plan(&file)?;
    if plan.metadata.plan_format > PLAN_FORMAT {
        return Err(Error::BadPlan {
            path: file,
            message: format!(
                "written by a newer allyplan (plan format {}; this one reads up to {PLAN_FORMAT})",
                plan.metadata.plan_format
            ),
        });
    }
    Ok((plan, file))
}

/// The folder a file is in (`.` for a bare file name).
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether two paths name the same existing folder.
fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let (plan, file) = load_plan(&args.plan)?;
    let home = folder_of(&file);
    let dir = args.out.clone().unwrap_or_else(|| home.clone());
    let all = args.format.is_empty();
    let outputs: Vec<Output> = if all {
        vec![Output::Csv, Output::Markdown, Output::Html]
    } else {
        let mut v = Vec::new();
        for f in &args.format {
            let o = match f {
                Format::Csv => Output::Csv,
                Format::Md => Output::Markdown,
                Format::Html => Output::Html,
            };
            if !v.contains(&o) {
                v.push(o);
            }
        }
        v
    };
    let mut written = Vec::new();
    if all && !same_folder(&dir, &home) {
        let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
        let target = dir.join("plan.json");
        allyplan::write_atomic(&target, &bytes)?;
        written.push(target);
    }
    written.extend(report::write_formats(&plan, &dir, &outputs)?);
    if !global.quiet {
        if outputs.contains(&Output::Csv) && plan.costs.is_none() {
            eprintln!(
                "note: no CSV tables: {} has no solution (status {})",
                file.display(),
                plan.status
            );
        }
        for path in &written {
            eprintln!("wrote {}", path.display());
        }
        eprintln!(
            "{}: re-rendered {} file(s) from {} into {}",
            plan.model,
            written.len(),
            file.display(),
            dir.display()
        );
    }
    Ok(ExitCode::Ok)
}
