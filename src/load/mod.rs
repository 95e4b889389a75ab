//! Stage 1: read the model file and the data files it names into raw, located values.
//!
//! Nothing here panics on input: unreadable files, YAML syntax errors, wrong types and
//! unknown keys all become diagnostics naming file, line and key path.

pub mod data;
pub mod model;
pub mod overrides;
pub mod reader;
pub mod spans;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostics, Loc};
pub use data::RawData;
pub use model::RawModel;
pub use overrides::Overrides;
use reader::Reader;
use spans::SpanIndex;

/// Largest input file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file that was read, for error messages and reproducibility metadata.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputFile {
    /// Path as shown to the user.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// Everything read from disk, before cross-file checks.
#[derive(Debug, Clone)]
pub struct RawInput {
    pub model_path: PathBuf,
    pub model: RawModel,
    pub data: Vec<RawData>,
    pub files: Vec<InputFile>,
    /// Every data file was read and has the right shape. When not, cross-file checks
    /// are skipped: ids defined in the missing parts would all look unknown.
    pub complete: bool,
    /// The command-line overrides applied, as recorded in `plan.json`.
    pub overrides: Vec<String>,
}

/// Reads `model_path` and every data file it names. Returns the raw input (when the
/// model file itself could be read) and all problems found so far.
pub fn load(model_path: &Path, overrides: &Overrides) -> (Option<RawInput>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let shown = display_path(model_path);
    let Some((mut root, spans, file)) = read_yaml(model_path, &shown, &mut diags) else {
        return (None, diags);
    };
    let applied = match overrides.apply(&mut root) {
        Ok(applied) => applied,
        Err(problems) => {
            for p in problems {
                diags.error(Loc::file("command line"), p);
            }
            return (None, diags);
        }
    };
    let model = {
        let mut r = Reader::new(shown.clone(), &spans, &mut diags).with_overrides(&applied);
        model::read_model(&mut r, &root)
    };
    let Some(model) = model else {
        return (None, diags);
    };
    let mut files = vec![file];
    let mut data = Vec::new();
    let mut complete = !model.data.is_empty();
    let base = model_path.parent().unwrap_or(Path::new(""));
    let mut seen: Vec<(PathBuf, Loc)> = Vec::new();
    for entry in &model.data {
        let path = normalize(&base.join(&entry.value));
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == path) {
            diags.error(
                entry.loc.clone(),
                format!(
                    "data file `{}` is listed twice (first at {first})",
                    entry.value
                ),
            );
            continue;
        }
        seen.push((path.clone(), entry.loc.clone()));
        let data_shown = display_path(&path);
        if path.is_dir() {
            complete = false;
            diags.error(
                entry.loc.clone(),
                format!(
                    "data file `{}` is a directory, not a YAML file",
                    entry.value
                ),
            );
            continue;
        }
        if !path.is_file() {
            complete = false;
            diags.error(
                entry.loc.clone(),
                format!(
                    "data file `{}` not found (looked for {data_shown}, relative to the model file)",
                    entry.value
                ),
            );
            continue;
        }
        let Some((root, spans, file)) = read_yaml(&path, &data_shown, &mut diags) else {
            complete = false;
            continue;
        };
        let mut r = Reader::new(data_shown, &spans, &mut diags);
        let raw = data::read_data(&mut r, &root);
        complete &= !raw.broken;
        data.push(raw);
        files.push(file);
    }
    let input = RawInput {
        model_path: model_path.to_path_buf(),
        model,
        data,
        files,
        complete,
        overrides: overrides.describe(),
    };
    (Some(input), diags)
}

/// Reads and parses one YAML file; problems become diagnostics.
fn read_yaml(
    path: &Path,
    shown: &Arc<str>,
    diags: &mut Diagnostics,
) -> Option<(Value, SpanIndex, InputFile)> {
    let file_loc = Loc::file(shown.clone());
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diags.error(
                file_loc,
                format!(
                    "file is {} MiB, larger than the limit of {} MiB",
                    meta.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        Ok(meta) if meta.is_dir() => {
            diags.error(file_loc, "is a directory, not a YAML file");
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(file_loc, format!("cannot read: {e}"));
            return None;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(file_loc, format!("cannot read: {e}"));
            return None;
        }
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = match String::from_utf8(bytes) {
        // Editors on Windows often save a byte-order mark; it is not content.
        Ok(t) => match t.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => t,
        },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = offset
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            diags.error(
                Loc {
                    line,
                    column,
                    ..file_loc
                },
                "file is not valid UTF-8 text",
            );
            return None;
        }
    };
    let mut root: Value = match serde_yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let spans = SpanIndex::build(&text);
            if let Some(dup) = spans.duplicates().first() {
                // serde_yaml points at the enclosing mapping; say which key and where.
                let key = dup.path.rsplit('.').next().unwrap_or(&dup.path);
                let message = format!(
                    "key `{key}` is given twice (first at {shown}:{}:{})",
                    dup.first.0, dup.first.1
                );
                diags.error(
                    Loc {
                        line: dup.line,
                        column: dup.column,
                        key: dup.path.clone(),
                        ..file_loc
                    },
                    message,
                );
                return None;
            }
            // The error's own location is shown in front; context such as "while
            // parsing a flow mapping at line 24 column 5" is kept.
            let message = syntax_message(&e.to_string(), shown, line, column);
            diags.error(
                Loc {
                    line,
                    column,
                    ..file_loc
                },
                format!("invalid YAML: {message}"),
            );
            return None;
        }
    };
    if let Err(e) = root.apply_merge() {
        diags.error(file_loc, format!("invalid YAML merge key: {e}"));
        return None;
    }
    let spans = SpanIndex::build(&text);
    let file = InputFile {
        path: shown.to_string(),
        sha256,
    };
    Some((root, spans, file))
}

/// serde_yaml's message without its own location (shown in front), and with any
/// "while parsing X at line L column C" context turned into a file:line:column.
fn syntax_message(raw: &str, shown: &str, line: usize, column: usize) -> String {
    let message = raw.replacen(&format!(" at line {line} column {column}"), "", 1);
    let Some((head, context)) = message.split_once(", while parsing ") else {
        return message;
    };
    let Some((what, position)) = context.rsplit_once(" at line ") else {
        return message;
    };
    let Some((l, c)) = position.split_once(" column ") else {
        return message;
    };
    format!("{head} (while parsing {what} that starts at {shown}:{l}:{c})")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lexical normalisation: removes `.` and folds `dir/..`, without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let ends_in_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if ends_in_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn display_path(path: &Path) -> Arc<str> {
    normalize(path).to_string_lossy().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(
            normalize(Path::new("models/../data/a.yaml")),
            PathBuf::from("data/a.yaml")
        );
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
    }
}
