//! The documents of one [`Plan`]: `plan.json`, the CSV tables, `report.md`,
//! `report.html` and, on request, `plan.xlsx`, rendered from the plan alone (no solver
//! types here).

pub mod csv;
mod csv_decisions;
mod csv_network;
mod decisions;
pub mod findings;
mod findings_network;
pub mod html;
mod html_charts;
mod html_network;
mod html_parts;
mod html_tables;
pub mod markdown;
mod markdown_network;
mod network_summary;
mod network_svg;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output::{read_bounded, write_atomic, MAX_PLAN_BYTES};
use crate::plan::Plan;

/// `plan.json`, pretty-printed with a trailing newline.
pub fn plan_json(plan: &Plan) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(plan).map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Reads a `plan.json` written earlier.
pub fn read_plan(path: &Path) -> Result<Plan, Error> {
    // A missing file, a device, a pipe or an oversized file is a bad argument (exit 2),
    // not an I/O failure.
    let bytes = read_bounded(path, MAX_PLAN_BYTES).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound
        | std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::InvalidData => Error::BadPlan {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
        _ => Error::io(path, e),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| Error::BadPlan {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes every output of a plan as the new contents of folder `dir`, replacing the
/// folder as a whole in one step (see [`crate::output::replace_dir`]); returns the
/// files written.
pub fn write_all(plan: &Plan, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("plan.json".into(), plan_json(plan)?.into_bytes())];
    if plan.costs.is_some() {
        for (name, text) in csv::tables(plan)? {
            files.push((name, text.into_bytes()));
        }
    }
    files.push(("report.md".into(), markdown::render(plan).into_bytes()));
    files.push(("report.html".into(), html::render(plan).into_bytes()));
    crate::output::replace_dir(dir, &files)
}

/// One kind of output of a plan, for [`write_formats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `plan.json`.
    Json,
    /// The CSV tables (only for plans with a solution).
    Csv,
    /// `report.md`.
    Markdown,
    /// `report.html`.
    Html,
    /// `plan.xlsx`: a Summary sheet and the tables (only on request: not in
    /// [`write_all`]'s set).
    Xlsx,
}

impl Format {
    /// What `solve` writes when no format is named: everything but `plan.xlsx`.
    pub const DEFAULT: [Format; 4] = [Format::Json, Format::Csv, Format::Markdown, Format::Html];
    /// Every format, `plan.xlsx` included (`--format all`).
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        Format::Xlsx,
    ];
}

/// The files of the chosen formats as (file name, contents), in [`write_all`]'s order and
/// with the same contents, `plan.xlsx` last. CSV tables exist only for plans with a
/// solution; the workbook of a plan without one holds its Summary sheet alone.
pub fn render_formats(plan: &Plan, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if formats.contains(&Format::Json) {
        files.push(("plan.json".into(), plan_json(plan)?.into_bytes()));
    }
    if formats.contains(&Format::Csv) && plan.costs.is_some() {
        for (name, text) in csv::tables(plan)? {
            files.push((name, text.into_bytes()));
        }
    }
    if formats.contains(&Format::Markdown) {
        files.push(("report.md".into(), markdown::render(plan).into_bytes()));
    }
    if formats.contains(&Format::Html) {
        files.push(("report.html".into(), html::render(plan).into_bytes()));
    }
    if formats.contains(&Format::Xlsx) {
        files.push(("plan.xlsx".into(), xlsx::render(plan)?));
    }
    Ok(files)
}

/// Writes the chosen outputs of a plan into `dir`, each atomically; returns the files
/// written (none for [`Format::Csv`] alone when the plan has no solution).
pub fn write_formats(plan: &Plan, dir: &Path, formats: &[Format]) -> Result<Vec<PathBuf>, Error> {
    let files = render_formats(plan, formats)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
