//! Stage 1: read the model file and the data files it names (YAML, or tables: see
//! [`tables`]) into raw, located values.
//!
//! Nothing here panics on input: unreadable files, YAML syntax errors, wrong types and
//! unknown keys all become diagnostics naming file, line and key path.

pub mod data;
mod data_overrides;
pub mod decisions;
pub mod limits;
pub mod model;
mod nesting;
pub mod overrides;
pub mod reader;
pub mod spans;
pub mod tables;
mod text;

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::diag::{snippet, Diagnostics, Loc};
use crate::fmt::group;
use crate::plan::InputFile;
pub use data::RawData;
use data_overrides::{countries_of as data_countries, DataSets};
pub use limits::MAX_FILE_BYTES;
use limits::{MAX_DATA_FILES, MAX_KEY_CHARS, MAX_PATH_CHARS, MAX_TOTAL_BYTES, MAX_YAML_DEPTH};
pub use model::RawModel;
pub use overrides::Overrides;
use reader::Reader;
use spans::{Exceeded, SpanIndex};

/// Environment variable naming the folder data files must stay inside, instead of the
/// default (the folder that holds the model's folder). See [`LoadOptions`].
pub const DATA_ROOT_ENV: &str = "ALLYPLAN_DATA_ROOT";
/// `1` lets data paths follow symbolic links out of the project folder (or data root).
pub const ALLOW_LINKS_ENV: &str = "ALLYPLAN_ALLOW_LINKS";

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

/// Where data files may live.
///
/// The rule: a model names its data files by paths relative to the model file. They
/// may climb with `..`, but, once `.` and `..` are resolved (lexically, without
/// following symbolic links), they must stay inside the *project folder*: by default
/// the folder that holds the model's folder, so `models/x.yaml` may read
/// `../data/y.yaml` but not `../../etc/passwd`. Absolute paths are refused. With a
/// `data_root` (or `ALLYPLAN_DATA_ROOT` in the environment), any path, relative or
/// absolute, that resolves inside that folder is accepted instead; `/` accepts all.
///
/// The real path counts too: a data file that is a symbolic link, or lies under one,
/// must lead inside the same folder once every link is resolved, unless `allow_links`
/// (`ALLYPLAN_ALLOW_LINKS=1`) is set.
///
/// This keeps a model received from someone else from reading (and echoing in error
/// messages) files elsewhere on the machine, such as credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    pub data_root: Option<PathBuf>,
    /// Data paths may follow symbolic links out of the project folder.
    pub allow_links: bool,
}

impl LoadOptions {
    /// The default rule, or `ALLYPLAN_DATA_ROOT` when it is set and not empty; links
    /// out of it are followed only with `ALLYPLAN_ALLOW_LINKS=1`.
    pub fn from_env() -> Self {
        let data_root = std::env::var_os(DATA_ROOT_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let allow_links = std::env::var_os(ALLOW_LINKS_ENV).is_some_and(|v| v == "1");
        LoadOptions {
            data_root,
            allow_links,
        }
    }
}

/// Bytes and YAML values read so far, against the limits over all of a model's files.
#[derive(Debug, Default)]
struct Budget {
    bytes: u64,
    values: usize,
}

/// Reads `model_path` and every data file it names. Returns the raw input (when the
/// model file itself could be read) and all problems found so far. The data-path rule
/// is [`LoadOptions::from_env`].
pub fn load(model_path: &Path, overrides: &Overrides) -> (Option<RawInput>, Diagnostics) {
    load_with(model_path, overrides, &LoadOptions::from_env())
}

/// [`load`] with an explicit data-path rule.
pub fn load_with(
    model_path: &Path,
    overrides: &Overrides,
    options: &LoadOptions,
) -> (Option<RawInput>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut budget = Budget::default();
    let shown = display_path(model_path);
    let Some((mut root, spans, file)) = read_yaml(model_path, &shown, &mut diags, &mut budget)
    else {
        return (None, diags);
    };
    let mut data_sets = DataSets::default();
    let mut take = |path: &str, value: &serde_yaml::Value, edit, argument: &str| {
        data_sets.take(path, value, edit, argument)
    };
    let applied = match overrides.apply_split(&mut root, Some(&mut take)) {
        Ok(applied) => applied,
        Err(problems) => {
            for p in problems {
                diags.error(Loc::file("command line"), p);
            }
            return (None, diags);
        }
    };
    if let Some(found) = looks_like_data(&root) {
        diags.error_help(
            Loc::file(shown.clone()),
            format!(
                "this is a data file (it has {found}), not a model: allyplan reads data files through the model that names them"
            ),
            "validate or solve the model, e.g. `allyplan validate models/baseline.yaml`; a model lists its data files in `data: [...]`",
        );
        return (None, diags);
    }
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
    let rule = match PathRule::new(model_path, options) {
        Ok(rule) => rule,
        Err(e) => {
            diags.error(
                Loc::file(shown.clone()),
                format!("cannot resolve the model's folder: {e}"),
            );
            return (None, diags);
        }
    };
    if model.data.len() > MAX_DATA_FILES {
        let loc = model.data[MAX_DATA_FILES].loc.clone();
        diags.error(
            loc,
            format!(
                "the model names {} data files; the limit is {}",
                group(model.data.len() as u64),
                group(MAX_DATA_FILES as u64)
            ),
        );
        return (None, diags);
    }
    let mut seen: Vec<((PathBuf, Option<&str>), Loc)> = Vec::new();
    // Every entry read, in the model's order; read into values once all are in, since
    // `@CC` selectors of `--set` need every site's country and tables need the periods.
    let mut read = Vec::new();
    let mut countries = std::collections::HashMap::new();
    for entry in &model.data {
        let source = tables::Source::parse(&entry.value);
        if let Err(problem) = rule.check(source.path) {
            complete = false;
            match problem {
                PathProblem::Absolute => diags.error_help(
                    entry.loc.clone(),
                    format!(
                        "data file `{}` is an absolute path; data paths must be relative to the model file",
                        snippet(&entry.value)
                    ),
                    format!("to read data from elsewhere, set {DATA_ROOT_ENV} to a folder that holds it"),
                ),
                PathProblem::OutsideProject => diags.error_help(
                    entry.loc.clone(),
                    format!(
                        "data file `{}` leads outside the project folder (data paths may climb with `..` at most to the folder that holds the model's folder)",
                        snippet(&entry.value)
                    ),
                    format!("to read data from elsewhere, set {DATA_ROOT_ENV} to a folder that holds it"),
                ),
                PathProblem::LinkOutside { real, root } => diags.error_help(
                    entry.loc.clone(),
                    format!(
                        "data file `{}` is a symbolic link (or lies under one) that leads outside {}, to {}",
                        snippet(&entry.value),
                        match root {
                            Some(root) => format!("{DATA_ROOT_ENV} ({})", snippet(&root.to_string_lossy())),
                            None => "the project folder".to_string(),
                        },
                        snippet(&real.to_string_lossy())
                    ),
                    format!("to follow such links, set {ALLOW_LINKS_ENV}=1"),
                ),
                PathProblem::OutsideRoot(root) => diags.error(
                    entry.loc.clone(),
                    format!(
                        "data file `{}` is outside {DATA_ROOT_ENV} ({})",
                        snippet(&entry.value),
                        snippet(&root.to_string_lossy())
                    ),
                ),
                PathProblem::TheModel => diags.error(
                    entry.loc.clone(),
                    format!(
                        "data file `{}` is the model file itself (data files hold periods, products, sites, markets, lanes and demand)",
                        snippet(&entry.value)
                    ),
                ),
                PathProblem::TooLong(chars) => diags.error(
                    entry.loc.clone(),
                    format!(
                        "data file path is {} characters long; the limit is {}",
                        group(chars as u64),
                        group(MAX_PATH_CHARS as u64)
                    ),
                ),
            }
            continue;
        }
        let path = normalize(&base.join(source.path));
        let key = (path.clone(), source.sheet);
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == key) {
            diags.error(
                entry.loc.clone(),
                format!(
                    "data file `{}` is listed twice (first at {first})",
                    snippet(&entry.value)
                ),
            );
            continue;
        }
        seen.push((key, entry.loc.clone()));
        let data_shown = display_path(&path);
        let problem = match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => None,
            Ok(meta) if meta.is_dir() => Some(format!("is a directory, not {}", source.what())),
            Ok(_) => Some(
                "is not a regular file (a device, pipe or socket); allyplan reads only regular files"
                    .to_string(),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
                "not found (looked for {data_shown}, relative to the model file)"
            )),
            Err(e) => Some(format!("cannot be read: {e}")),
        };
        if let Some(problem) = problem {
            complete = false;
            diags.error(
                entry.loc.clone(),
                format!("data file `{}` {problem}", snippet(&entry.value)),
            );
            continue;
        }
        if source.kind != tables::Kind::Yaml {
            let file_loc = Loc::file(data_shown.clone());
            let Some((bytes, sha256)) =
                read_bounded(&path, &file_loc, source.what(), &mut diags, &mut budget)
            else {
                complete = false;
                continue;
            };
            let tables = tables::read(
                &bytes,
                &source,
                &data_shown,
                &entry.loc,
                &mut diags,
                &mut budget.values,
            );
            match tables {
                Some(tables) => read.push(Entry::Table(tables)),
                None => {
                    complete = false;
                    read.push(Entry::Table(Vec::new()));
                }
            }
            // Two sheets of one workbook: the file is listed once.
            if !files.iter().any(|f| *f.path == *data_shown) {
                files.push(InputFile {
                    path: data_shown.to_string(),
                    sha256,
                });
            }
            continue;
        }
        let Some((root, spans, file)) = read_yaml(&path, &data_shown, &mut diags, &mut budget)
        else {
            complete = false;
            continue;
        };
        data_countries(&root, &mut countries);
        read.push(Entry::Yaml(Box::new((root, spans, data_shown))));
        files.push(file);
    }
    // A site's capacity from a table: `--set sites[ID].capacity…` reaches the table's
    // value, not the YAML site (which has none).
    let table_sites: Vec<String> = read
        .iter()
        .flat_map(|e| match e {
            Entry::Table(tables) => tables::capacity_sites(tables),
            Entry::Yaml(..) => Vec::new(),
        })
        .collect();
    let in_table = |section: &str, id: &str, rest: &str| {
        section == "sites"
            && (rest == "capacity" || rest.starts_with("capacity["))
            && table_sites.iter().any(|s| s == id)
    };
    let mut pending = tables::Pending::default();
    for entry in read {
        match entry {
            Entry::Yaml(yaml) => {
                let (mut root, spans, data_shown) = *yaml;
                let applied = data_sets.apply_except(&mut root, &countries, &in_table);
                let applied = located(applied, &mut diags);
                let mut r = Reader::new(data_shown, &spans, &mut diags).with_overrides(&applied);
                let raw = data::read_data(&mut r, &root);
                complete &= !raw.broken;
                data.push(raw);
            }
            Entry::Table(tables) => {
                pending.add(data.len(), tables);
                // Filled in by `resolve`: tables need the data's periods.
                data.push(RawData::default());
            }
        }
    }
    let mut problems = Vec::new();
    let mut edit = |root: &mut serde_yaml::Value| match data_sets.apply(root, &countries) {
        Ok(applied) => applied,
        Err(p) => {
            problems.extend(p);
            Vec::new()
        }
    };
    complete &= pending.resolve(&mut data, &mut diags, &mut edit);
    for p in problems {
        diags.error(Loc::file("command line"), p);
    }
    // A set whose item no data file defines (only judged when every file was read).
    if complete {
        for p in data_sets.unmatched() {
            diags.error(Loc::file("command line"), p);
        }
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

/// One data entry, read but not yet turned into values.
enum Entry {
    Yaml(Box<(serde_yaml::Value, spans::SpanIndex, Arc<str>)>),
    Table(Vec<tables::Table>),
}

/// The `--set`s applied to a data file; their problems reported against the command line.
fn located(
    applied: Result<Vec<overrides::AppliedSet>, Vec<String>>,
    diags: &mut Diagnostics,
) -> Vec<overrides::AppliedSet> {
    applied.unwrap_or_else(|problems| {
        for p in problems {
            diags.error(Loc::file("command line"), p);
        }
        Vec::new()
    })
}

/// The data sections a file holds, in words, when it has no model key at all: a data
/// file given where a model belongs.
fn looks_like_data(root: &serde_yaml::Value) -> Option<String> {
    let serde_yaml::Value::Mapping(map) = root else {
        return None;
    };
    let keys: Vec<&str> = map.keys().filter_map(serde_yaml::Value::as_str).collect();
    if keys
        .iter()
        .any(|k| model::MODEL_KEYS.contains(k) && *k != "contracts")
    {
        return None;
    }
    let sections: Vec<String> = keys
        .iter()
        .filter(|k| data::DATA_KEYS.contains(k))
        .map(|k| format!("`{k}`"))
        .collect();
    match sections.len() {
        0 => None,
        1 => Some(sections[0].clone()),
        n => Some(format!(
            "{} and {}",
            sections[..n - 1].join(", "),
            sections[n - 1]
        )),
    }
}

/// Why a data path is refused.
#[derive(Debug, Clone, PartialEq)]
enum PathProblem {
    Absolute,
    OutsideProject,
    OutsideRoot(PathBuf),
    /// The real path (links resolved) leaves the project folder, or the data root
    /// when one is given.
    LinkOutside {
        real: PathBuf,
        root: Option<PathBuf>,
    },
    TheModel,
    TooLong(usize),
}

/// The data-path rule of [`LoadOptions`], resolved for one model.
struct PathRule {
    /// The model's folder, absolute and normalised.
    model_dir: PathBuf,
    /// The model file, absolute and normalised.
    model_file: PathBuf,
    /// Data files must resolve inside this folder.
    root: PathBuf,
    /// Absolute data paths are accepted (a root was given explicitly).
    explicit: bool,
    /// `root` and `model_file` with every symbolic link resolved (as given where that
    /// fails), to check real paths against.
    real_root: PathBuf,
    real_model: PathBuf,
    allow_links: bool,
}

impl PathRule {
    fn new(model_path: &Path, options: &LoadOptions) -> std::io::Result<PathRule> {
        let model_file = normalize(&std::path::absolute(model_path)?);
        let model_dir = model_file
            .parent()
            .map_or_else(|| model_file.clone(), Path::to_path_buf);
        let (root, explicit) = match &options.data_root {
            Some(root) => (normalize(&std::path::absolute(root)?), true),
            None => (normalize(&model_dir.join("..")), false),
        };
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        Ok(PathRule {
            real_root: real(&root),
            real_model: real(&model_file),
            model_dir,
            model_file,
            root,
            explicit,
            allow_links: options.allow_links,
        })
    }

    fn check(&self, written: &str) -> Result<(), PathProblem> {
        let chars = written.chars().count();
        if chars > MAX_PATH_CHARS {
            return Err(PathProblem::TooLong(chars));
        }
        let path = Path::new(written);
        if path.has_root() && !self.explicit {
            return Err(PathProblem::Absolute);
        }
        let resolved = normalize(&self.model_dir.join(path));
        if !resolved.starts_with(&self.root) {
            return Err(if self.explicit {
                PathProblem::OutsideRoot(self.root.clone())
            } else {
                PathProblem::OutsideProject
            });
        }
        if resolved == self.model_file {
            return Err(PathProblem::TheModel);
        }
        // Links are resolved only now, for a path that is fine as written; a path that
        // does not exist is reported as missing when it is read.
        if let Ok(real) = resolved.canonicalize() {
            if real == self.real_model {
                return Err(PathProblem::TheModel);
            }
            if !self.allow_links && !real.starts_with(&self.real_root) {
                return Err(PathProblem::LinkOutside {
                    real,
                    root: self.explicit.then(|| self.root.clone()),
                });
            }
        }
        Ok(())
    }
}

/// Reads one whole input file (`what`: "a YAML file", "a CSV file" …) and its SHA-256,
/// counting its bytes against the budget. Refuses anything but a regular file and never
/// reads past [`MAX_FILE_BYTES`].
fn read_bounded(
    path: &Path,
    file_loc: &Loc,
    what: &str,
    diags: &mut Diagnostics,
    budget: &mut Budget,
) -> Option<(Vec<u8>, String)> {
    let too_big = |size: u64| {
        format!(
            "file is {} MiB, larger than the limit of {} MiB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    // The size and kind are checked before opening: opening a pipe would wait for a
    // writer, and reading a device such as /dev/zero would never end.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            diags.error(file_loc.clone(), format!("is a directory, not {what}"));
            return None;
        }
        Ok(meta) if !meta.is_file() => {
            diags.error(
                file_loc.clone(),
                "is not a regular file (a device, pipe or socket); allyplan reads only regular files",
            );
            return None;
        }
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diags.error(file_loc.clone(), too_big(meta.len()));
            return None;
        }
        Ok(meta) if budget.bytes + meta.len() > MAX_TOTAL_BYTES => {
            diags.error(
                file_loc.clone(),
                format!(
                    "the model's files together exceed the limit of {} MiB",
                    MAX_TOTAL_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(file_loc.clone(), format!("cannot read: {e}"));
            return None;
        }
    }
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        diags.error(file_loc.clone(), format!("cannot read: {e}"));
        return None;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // The file grew after its size was checked.
        diags.error(file_loc.clone(), too_big(bytes.len() as u64));
        return None;
    }
    budget.bytes += bytes.len() as u64;
    let sha256 = hex(&Sha256::digest(&bytes));
    Some((bytes, sha256))
}

/// Reads and parses one YAML file; problems become diagnostics. Refuses anything but
/// a regular file, never reads past [`MAX_FILE_BYTES`], and checks the structural
/// limits ([`limits::scan_limits`]) before serde_yaml builds a value.
fn read_yaml(
    path: &Path,
    shown: &Arc<str>,
    diags: &mut Diagnostics,
    budget: &mut Budget,
) -> Option<(Value, SpanIndex, InputFile)> {
    let file_loc = Loc::file(shown.clone());
    let (bytes, sha256) = read_bounded(path, &file_loc, "a YAML file", diags, budget)?;
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
    // Deep flow nesting costs the YAML scanners quadratic time, and they give up on a
    // very long key before its length is looked at: refuse both first.
    let (spans, exceeded) = match nesting::pre_pass(&text, MAX_YAML_DEPTH, MAX_KEY_CHARS) {
        Some(exceeded) => (SpanIndex::default(), Some(exceeded)),
        None => SpanIndex::scan(&text, &limits::scan_limits(budget.values)),
    };
    if let Some(exceeded) = exceeded {
        let (at, message) = match exceeded {
            Exceeded::Nodes { limit, at } => (
                at,
                format!(
                    "too much YAML: the model's files together may hold at most {} values (scalars, lists and mappings), and this one passes the limit",
                    group(limit as u64 + budget.values as u64)
                ),
            ),
            Exceeded::Expansion { at, .. } => (
                at,
                format!(
                    "aliases (`*name`) expand the model's files beyond {} values, the limit (an alias bomb?); this alias passes it",
                    group(limits::MAX_YAML_VALUES as u64)
                ),
            ),
            Exceeded::Depth { limit, at } => (
                at,
                format!(
                    "lists and mappings are nested more than {limit} levels deep here (allyplan's files need at most 6)"
                ),
            ),
            Exceeded::KeyLength { limit, chars, at } => (
                at,
                format!(
                    "a key of {} characters; keys and ids may have at most {limit}",
                    group(chars as u64)
                ),
            ),
        };
        diags.error(
            Loc {
                line: at.0,
                column: at.1,
                ..file_loc
            },
            message,
        );
        return None;
    }
    budget.values += usize::try_from(spans.expanded()).unwrap_or(usize::MAX);
    let mut root: Value = match serde_yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
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
            let raw = e.to_string();
            let (line, column, message) = if raw.starts_with("repetition limit exceeded") {
                let (l, c) = spans.first_alias().unwrap_or((line, column));
                (
                    l,
                    c,
                    "aliases (`*name`) expand to too much data, over 100 times the size of the file (an alias bomb?); the first alias is here".to_string(),
                )
            } else if raw.starts_with("recursion limit exceeded") {
                (
                    line,
                    column,
                    format!("lists and mappings are nested too deeply here (allyplan's files need at most 6 levels; the limit is {MAX_YAML_DEPTH})"),
                )
            } else if let Some((key, number)) = too_wide_integer(&raw) {
                diags.error(
                    Loc {
                        line,
                        column,
                        ..file_loc
                    },
                    format!(
                        "{key}{number} is too large: numbers may be at most 1e15 in size (a solver keeps no precision beyond)"
                    ),
                );
                return None;
            } else if raw.contains("more than one document") {
                let (l, c) = spans.second_document().unwrap_or((line, column));
                (
                    l,
                    c,
                    "a second YAML document starts here (`---`); a file holds one document"
                        .to_string(),
                )
            } else {
                // The error's own location is shown in front; context such as "while
                // parsing a flow mapping at line 24 column 5" is kept.
                let mut message = syntax_message(&raw, shown, line, column);
                let at = text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .and_then(|l| l.chars().nth(column.saturating_sub(1)));
                if at == Some('\t') {
                    message.push_str(" (a tab: YAML is indented with spaces only)");
                }
                (line, column, message)
            };
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
        let (line, column) = spans.first_merge_key().unwrap_or((0, 0));
        diags.error(
            Loc {
                line,
                column,
                ..file_loc
            },
            format!("invalid YAML merge key (`<<`): {e}"),
        );
        return None;
    }
    let file = InputFile {
        path: shown.to_string(),
        sha256,
    };
    Some((root, spans, file))
}

/// An integer too wide for serde_yaml (past 64 bits): `("key: ", number)` from its
/// message `key: invalid type: integer `N` as u128, expected any YAML value`.
fn too_wide_integer(raw: &str) -> Option<(&str, &str)> {
    let (head, rest) = raw.split_once("invalid type: integer `")?;
    let (number, tail) = rest.split_once('`')?;
    if !(tail.starts_with(" as u128") || tail.starts_with(" as i128")) {
        return None;
    }
    Some((head, number))
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
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
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
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    }

    #[test]
    fn the_value_and_byte_budgets_span_all_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "x: [1, 2, 3]\n").unwrap();
        let shown: Arc<str> = "a.yaml".into();
        // Root mapping, key, list and three items: 6 values.
        let mut budget = Budget {
            bytes: 0,
            values: limits::MAX_YAML_VALUES - 6,
        };
        let mut diags = Diagnostics::default();
        assert!(read_yaml(&path, &shown, &mut diags, &mut budget).is_some());
        assert_eq!(budget.values, limits::MAX_YAML_VALUES);
        assert!(read_yaml(&path, &shown, &mut diags, &mut budget).is_none());
        let text = diags.to_string();
        assert!(
            text.starts_with("a.yaml:1:") && text.contains(": error: too much YAML: the model's files together may hold at most 4,000,000 values"),
            "{text}"
        );

        let mut budget = Budget {
            bytes: MAX_TOTAL_BYTES - 5,
            values: 0,
        };
        let mut diags = Diagnostics::default();
        assert!(read_yaml(&path, &shown, &mut diags, &mut budget).is_none());
        assert!(
            diags
                .to_string()
                .contains("the model's files together exceed the limit of 256 MiB"),
            "{diags}"
        );
    }

    fn rule(model: &str, root: Option<&str>) -> PathRule {
        let options = LoadOptions {
            data_root: root.map(PathBuf::from),
            allow_links: false,
        };
        PathRule::new(Path::new(model), &options).unwrap()
    }

    #[test]
    fn data_paths_stay_inside_the_project_folder() {
        let r = rule("/p/models/m.yaml", None);
        assert_eq!(r.check("../data/a.yaml"), Ok(()));
        assert_eq!(r.check("a.yaml"), Ok(()));
        assert_eq!(r.check("sub/../a.yaml"), Ok(()));
        assert_eq!(r.check("../../a.yaml"), Err(PathProblem::OutsideProject));
        assert_eq!(
            r.check("../data/../../etc/passwd"),
            Err(PathProblem::OutsideProject)
        );
        assert_eq!(r.check("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(r.check("/p/data/a.yaml"), Err(PathProblem::Absolute));
        assert_eq!(r.check("./m.yaml"), Err(PathProblem::TheModel));
        assert_eq!(r.check("../models/m.yaml"), Err(PathProblem::TheModel));
        let long = "a/".repeat(3000);
        assert!(matches!(r.check(&long), Err(PathProblem::TooLong(6000))));
    }

    #[test]
    fn an_explicit_root_allows_absolute_paths_inside_it() {
        let r = rule("/p/models/m.yaml", Some("/srv"));
        assert_eq!(r.check("/srv/data/a.yaml"), Ok(()));
        assert_eq!(
            r.check("../data/a.yaml"),
            Err(PathProblem::OutsideRoot(PathBuf::from("/srv")))
        );
        let r = rule("/p/models/m.yaml", Some("/"));
        assert_eq!(r.check("/etc/passwd"), Ok(()));
        assert_eq!(r.check("../../../../x.yaml"), Ok(()));
    }
}
