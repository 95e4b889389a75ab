//! `allyplan report PLAN.json [--format html|md|csv|xlsx|all] [--out DIR]`: re-render a
//! saved plan.
//!
//! Reports are a pure function of the plan, so what this writes is byte-for-byte what
//! `solve` wrote for the same plan. Nothing is solved.
//!
//! **plan.json is never rewritten.** Into the plan's own folder (the default) only the
//! reports are written. Into another folder, with every format (no `--format`, or `all`), the plan
//! file is *copied* there as `plan.json`, byte for byte, so the folder holds the plan its
//! reports came from and looks like a `solve` output; with `--format`, only the chosen
//! reports are written. Either way the folder is written like `solve` writes one: under
//! its lock, in one step, and only if it is new, empty or allyplan's.

use std::path::{Path, PathBuf};

use allyplan::plan::{Plan, PLAN_FORMAT};
use allyplan::report::{self, Format as Output};
use allyplan::{Error, ExitCode, OutputMode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// A plan.json written by `solve` (or the folder holding it).
    pub plan: PathBuf,
    /// Which reports to write (default: csv, md and html). Repeatable, or
    /// comma-separated: md,csv,xlsx; `all` adds plan.xlsx to the default set.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// Output folder (default: the plan's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A format named on the command line (`solve` and `report`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Md,
    Csv,
    /// `plan.xlsx`, one workbook (written only when asked for).
    Xlsx,
    /// Every format: the default set and `plan.xlsx`.
    All,
}

/// The reports that `--format` names (plan.json aside), without repeats: CSV, Markdown
/// and HTML when none is named (so default output folders keep exactly their files),
/// and `plan.xlsx` as well with `all`.
pub fn chosen_reports(formats: &[Format]) -> Vec<Output> {
    if formats.is_empty() {
        return vec![Output::Csv, Output::Markdown, Output::Html];
    }
    if formats.contains(&Format::All) {
        return vec![Output::Csv, Output::Markdown, Output::Html, Output::Xlsx];
    }
    let mut v = Vec::new();
    for f in formats {
        let o = match f {
            Format::Csv => Output::Csv,
            Format::Md => Output::Markdown,
            Format::Html => Output::Html,
            Format::Xlsx | Format::All => Output::Xlsx,
        };
        if !v.contains(&o) {
            v.push(o);
        }
    }
    v
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
    // Read the plan's bytes first: if the plan changes before the reports are written,
    // the check under the lock sees it.
    let given = if args.plan.is_dir() {
        args.plan.join("plan.json")
    } else {
        args.plan.clone()
    };
    let early = allyplan::read_bounded(&given, allyplan::MAX_PLAN_BYTES).ok();
    let (plan, file) = load_plan(&args.plan)?;
    let plan_bytes = match early {
        Some(bytes) => bytes,
        None => allyplan::read_bounded(&file, allyplan::MAX_PLAN_BYTES)
            .map_err(|e| Error::io(&file, e))?,
    };
    let home = folder_of(&file);
    let dir = args.out.clone().unwrap_or_else(|| home.clone());
    let all = args.format.is_empty() || args.format.contains(&Format::All);
    let outputs = chosen_reports(&args.format);
    let mut files = Vec::new();
    let written = if all && !same_folder(&dir, &home) {
        // A complete output folder, like `solve` writes: replaced as a whole.
        files.push(("plan.json".to_string(), plan_bytes.clone()));
        files.extend(report::render_formats(&plan, &outputs)?);
        // The solve's warm start goes with its plan, so the copy serves --warm-start too.
        let start = home.join(allyplan::WARM_START_FILE);
        if let Ok(bytes) = allyplan::read_bounded(&start, allyplan::MAX_PLAN_BYTES) {
            files.push((allyplan::WARM_START_FILE.to_string(), bytes));
        }
        allyplan::replace_dir(&dir, &files)?
    } else {
        // Some reports, added to the folder; into the plan's own folder only while its
        // plan.json is still the one they were rendered from.
        files.extend(report::render_formats(&plan, &outputs)?);
        let unchanged = same_folder(&dir, &home).then_some(("plan.json", plan_bytes.as_slice()));
        allyplan::write_dir(&dir, &files, OutputMode::Update { unchanged })?
    };
    if !global.quiet {
        if outputs.contains(&Output::Csv) && plan.costs.is_none() {
            say!(
                "note: no CSV tables: {} has no solution (status {})",
                file.display(),
                plan.status
            );
        }
        for path in &written {
            say!("wrote {}", path.display());
        }
        say!(
            "{}: re-rendered {} file(s) from {} into {}",
            plan.model,
            written.len(),
            file.display(),
            dir.display()
        );
    }
    Ok(ExitCode::Ok)
}
