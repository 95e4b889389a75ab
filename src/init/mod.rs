//! `allyplan init DIR`: a small, commented starter scenario (model, network, and a demand table)
//! that validates and solves, for a planner's first own plan.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The starter's files, relative to the folder: (path, contents).
pub const STARTER: &[(&str, &str)] = &[
    ("model.yaml", include_str!("model.yaml")),
    ("data/network.yaml", include_str!("network.yaml")),
    ("data/demand.csv", include_str!("demand.csv")),
];

/// Writes the starter scenario into `dir` (created if needed). Refuses to replace any
/// file that is already there: nothing is written then.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let targets: Vec<(PathBuf, &str)> = STARTER
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    if let Some((path, _)) = targets.iter().find(|(p, _)| p.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists; init writes only into a new folder or one without these files",
            path.display()
        )));
    }
    let mut written = Vec::new();
    for (path, text) in targets {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        crate::output::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
