//! Atomic output: a file is written to a temporary file beside the target and renamed;
//! a whole output folder is written into a hidden staging folder and swapped into place
//! in one step ([`write_dir`], the one way every command writes a folder). A run killed
//! at any point leaves the previous reports whole and no partial folder that looks
//! complete. A lock keeps two runs out of the same folder, a manifest marks the folders
//! allyplan wrote (no other folder is ever replaced), and a symlinked output path is
//! followed to the real folder. Files allyplan reads back (plans, summaries, batch files)
//! go through [`read_bounded`].

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Environment variable for fault-injection tests: abort the process after writing this
/// many files into a staging folder, as a crash or SIGKILL would.
pub const FAULT_AFTER_FILES: &str = "ALLYPLAN_FAULT_AFTER_FILES";

/// The file, written last into every folder allyplan writes, that lists the files it
/// wrote there. A folder is allyplan's when this file exists, parses, and the folder holds
/// nothing else than the files it lists, allyplan's own working files (`.NAME.lock`,
/// `.NAME.partial`, `.allyplan-*.tmp`) and sub-folders that are allyplan's in turn (the
/// entry folders of a batch).
pub const MANIFEST: &str = ".allyplan-manifest";

/// The first line of a [`MANIFEST`].
const MANIFEST_HEADER: &str = "allyplan output manifest 1";

/// How deep sub-folders are followed when deciding whether a folder is allyplan's.
const MAX_DEPTH: usize = 4;

/// How [`write_dir`] treats the files already in the folder.
#[derive(Debug, Clone, Copy)]
pub enum OutputMode<'a> {
    /// The files given become the folder's whole contents.
    Replace,
    /// The files given are added to the folder (replacing files of the same name); the
    /// other files allyplan wrote there stay. With `unchanged`, the named file must still
    /// hold these bytes once the lock is held (so reports rendered from it match it).
    Update {
        unchanged: Option<(&'a str, &'a [u8])>,
    },
}

/// Writes `files` (name, contents) as the complete new contents of folder `dir`, in one
/// step; see [`write_dir`].
pub fn replace_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Error> {
    write_dir(dir, files, OutputMode::Replace)
}

/// Adds `files` to folder `dir`, keeping the other files allyplan wrote there; see
/// [`write_dir`].
pub fn update_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Error> {
    write_dir(dir, files, OutputMode::Update { unchanged: None })
}

/// The one way allyplan writes a folder (`solve`, `report`, `compare`, `generate`, the
/// summaries of `batch`, `sweep` and `merge`).
///
/// - `dir` is resolved once: a symlink at its last component is followed and its parent
///   made canonical, so the lock and the files are those of the real folder, and the
///   link itself is never replaced.
/// - An advisory lock (`.NAME.lock` beside the folder) turns a second writer away.
/// - Only a missing or empty folder, or one that is allyplan's (see [`MANIFEST`]), is
///   written; any other is refused ([`Error::Usage`], exit code 2) naming files that are
///   not allyplan's, and nothing is deleted.
/// - The new contents are written into a hidden staging folder (`.NAME.partial`), with
///   the manifest last, and swapped into place in one step. Only adding files to a folder
///   that holds sub-folders (a batch's entry folders, which other runs may be writing)
///   writes the files into it one by one, each atomically, and then the manifest.
/// - Files and folders are created with the umask's permissions.
pub fn write_dir(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    mode: OutputMode<'_>,
) -> Result<Vec<PathBuf>, Error> {
    for (name, _) in files {
        check_name(name).map_err(|m| Error::Other(format!("{}: {m}", dir.display())))?;
    }
    let target = resolve(dir)?;
    let (parent, name) = split(&target)?;
    let _lock = lock(&parent.join(format!(".{name}.lock")), dir)?;
    let state = inspect(&target, dir, MAX_DEPTH)?.map_err(|foreign| not_ours(dir, &foreign))?;
    if let OutputMode::Update {
        unchanged: Some((file, bytes)),
    } = mode
    {
        let path = target.join(file);
        if std::fs::read(&path).ok().as_deref() != Some(bytes) {
            return Err(Error::Other(format!(
                "{} changed while allyplan was reading it; run again",
                dir.join(file).display()
            )));
        }
    }
    let written = files.iter().map(|(file, _)| dir.join(file)).collect();
    let keep = match (mode, state) {
        (_, State::Missing) | (OutputMode::Replace, _) => Vec::new(),
        (
            OutputMode::Update { .. },
            State::Ours {
                listed,
                plain: true,
            },
        ) => listed,
        (
            OutputMode::Update { .. },
            State::Ours {
                listed,
                plain: false,
            },
        ) => {
            update_in_place(&target, files, listed)?;
            return Ok(written);
        }
    };
    // A staging folder left by a killed run is ours to clear: we hold the lock.
    let staging = parent.join(format!(".{name}.partial"));
    if std::fs::symlink_metadata(&staging).is_ok() {
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
    let mut names: BTreeSet<String> = BTreeSet::new();
    for file in keep {
        if files.iter().any(|(n, _)| *n == file) {
            continue;
        }
        let (from, to) = (target.join(&file), staging.join(&file));
        // A listed file someone deleted since is not carried over.
        if std::fs::symlink_metadata(&from).is_err() {
            continue;
        }
        // The files are never written in place, so a hard link is a safe copy.
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
        }
        names.insert(file);
    }
    let fault_after = fault_after();
    for (count, (file, bytes)) in files.iter().enumerate() {
        if fault_after == Some(count) {
            std::process::abort();
        }
        write_new(&staging.join(file), bytes)?;
        names.insert(file.clone());
    }
    write_new(&staging.join(MANIFEST), manifest_text(&names).as_bytes())?;
    sync_dir(&staging);
    if std::fs::symlink_metadata(&target).is_ok() {
        exchange(&staging, &target)?;
        // `staging` now holds the previous contents, checked above to be allyplan's.
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    } else {
        std::fs::rename(&staging, &target).map_err(|e| Error::io(dir, e))?;
    }
    sync_dir(&parent);
    Ok(written)
}

/// Makes `dir` ready for a run that writes into it over time (a batch: entry folders,
/// then the summary): resolves it as [`write_dir`] does, refuses a folder that is not
/// allyplan's, and creates it with a manifest if needed. Returns the resolved folder.
pub fn claim_dir(dir: &Path) -> Result<PathBuf, Error> {
    let target = resolve(dir)?;
    let (parent, name) = split(&target)?;
    let _lock = lock(&parent.join(format!(".{name}.lock")), dir)?;
    match inspect(&target, dir, MAX_DEPTH)?.map_err(|foreign| not_ours(dir, &foreign))? {
        State::Missing => {
            std::fs::create_dir(&target).map_err(|e| Error::io(dir, e))?;
        }
        State::Ours { .. } if target.join(MANIFEST).is_file() => return Ok(target),
        State::Ours { .. } => {}
    }
    write_atomic(
        &target.join(MANIFEST),
        manifest_text(&BTreeSet::new()).as_bytes(),
    )?;
    Ok(target)
}

/// Adds files to a folder that holds sub-folders, each atomically, then the manifest
/// (the lock is held). Leftover temporary files of a killed run are cleared first.
fn update_in_place(
    target: &Path,
    files: &[(String, Vec<u8>)],
    listed: Vec<String>,
) -> Result<(), Error> {
    for entry in std::fs::read_dir(target).map_err(|e| Error::io(target, e))? {
        let entry = entry.map_err(|e| Error::io(target, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".allyplan-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let mut names: BTreeSet<String> = listed.into_iter().collect();
    let fault_after = fault_after();
    for (count, (file, bytes)) in files.iter().enumerate() {
        if fault_after == Some(count) {
            std::process::abort();
        }
        write_atomic(&target.join(file), bytes)?;
        names.insert(file.clone());
    }
    write_atomic(&target.join(MANIFEST), manifest_text(&names).as_bytes())
}

fn fault_after() -> Option<usize> {
    std::env::var(FAULT_AFTER_FILES)
        .ok()
        .and_then(|v| v.parse().ok())
}

/// Creates a new file with the umask's permissions and makes it durable.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = File::create_new(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

/// A file name allyplan may write into a folder: one plain component.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name == MANIFEST
        || name.contains('/')
        || name.contains('\\')
        || name.contains('\n')
        || name.contains('\0')
    {
        return Err(format!("{name:?} is not a file name allyplan writes"));
    }
    Ok(())
}

fn manifest_text(names: &BTreeSet<String>) -> String {
    let mut text = format!("{MANIFEST_HEADER}\n");
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// The files a folder's manifest lists; `None` when it has none; an error message when it
/// is not one allyplan wrote.
fn read_manifest(dir: &Path) -> Result<Option<Vec<String>>, String> {
    let path = dir.join(MANIFEST);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{MANIFEST}: {e}")),
        Ok(m) if !m.is_file() => return Err(format!("{MANIFEST} is not a file")),
        Ok(_) => {}
    }
    let bytes = read_bounded(&path, 16 * 1024 * 1024).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{MANIFEST} is not UTF-8"))?;
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return Err(format!("{MANIFEST} is not an allyplan manifest"));
    }
    let mut names = Vec::new();
    for line in lines {
        check_name(line).map_err(|m| format!("{MANIFEST}: {m}"))?;
        names.push(line.to_string());
    }
    Ok(Some(names))
}

/// What is at an output path.
enum State {
    Missing,
    /// An empty folder (no manifest, `listed` empty) or allyplan's. `plain`: it holds
    /// only the files its manifest lists (no sub-folders or working files).
    Ours {
        listed: Vec<String>,
        plain: bool,
    },
}

/// Looks at `dir`: `Ok(Err(names))` when it is a folder that is not allyplan's, with the
/// names (relative to it) of up to three entries that are not.
fn inspect(dir: &Path, shown: &Path, depth: usize) -> Result<Result<State, Vec<String>>, Error> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ok(State::Missing)),
        Err(e) => return Err(Error::io(shown, e)),
        Ok(m) if !m.is_dir() => {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder",
                shown.display()
            )))
        }
        Ok(_) => {}
    }
    let manifest = match read_manifest(dir) {
        Ok(m) => m,
        Err(message) => return Ok(Err(vec![message])),
    };
    let listed = manifest.clone().unwrap_or_default();
    let mut foreign = Vec::new();
    let mut plain = true;
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(shown, e))? {
        let entry = entry.map_err(|e| Error::io(shown, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(|e| Error::io(&entry.path(), e))?;
        if name == MANIFEST || (kind.is_file() && listed.contains(&name)) {
            continue;
        }
        plain = false;
        let working = name.starts_with('.')
            && ((kind.is_file() && name.ends_with(".lock"))
                || (kind.is_dir() && name.ends_with(".partial"))
                || (kind.is_file() && name.starts_with(".allyplan-") && name.ends_with(".tmp")));
        let ours = manifest.is_some()
            && (working
                || (kind.is_dir()
                    && depth > 0
                    && matches!(
                        inspect(&entry.path(), shown, depth - 1)?,
                        Ok(State::Ours { .. })
                    )));
        if !ours {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        Ok(Ok(State::Ours { listed, plain }))
    } else {
        foreign.sort();
        Ok(Err(foreign))
    }
}

fn not_ours(dir: &Path, foreign: &[String]) -> Error {
    let shown: Vec<&str> = foreign.iter().take(2).map(String::as_str).collect();
    let more = match foreign.len().saturating_sub(2) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Error::Usage(format!(
        "{} is not an allyplan output folder: it holds {}{more}, which allyplan did not \
         write; nothing was changed. Choose another --out, or an empty folder",
        dir.display(),
        shown.join(", ")
    ))
}

/// Resolves an output path once: a symlink at the last component is followed (to a
/// folder that may not exist yet), the parent is created if needed and made canonical.
fn resolve(dir: &Path) -> Result<PathBuf, Error> {
    let mut path = dir.to_path_buf();
    let mut links = 0;
    while std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        links += 1;
        if links > 40 {
            return Err(Error::Usage(format!(
                "{}: too many levels of symbolic links",
                dir.display()
            )));
        }
        let to = std::fs::read_link(&path).map_err(|e| Error::io(&path, e))?;
        path = parent_of(&path).join(to);
    }
    if path.file_name().is_none() {
        // `..` or `/`: name the folder itself.
        path = path.canonicalize().map_err(|e| Error::io(dir, e))?;
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::Usage(format!("{}: not a folder name", dir.display())))?
        .to_os_string();
    let parent = parent_of(&path);
    create_parents(&parent, dir)?;
    let parent = parent.canonicalize().map_err(|e| Error::io(&parent, e))?;
    Ok(parent.join(name))
}

/// Creates `folder` and the folders above it; a file where a folder should be is named
/// ([`Error::Usage`], exit code 2) rather than reported as "File exists".
fn create_parents(folder: &Path, shown: &Path) -> Result<(), Error> {
    // The deepest part of the path that exists must be a folder.
    if let Some(existing) = folder.ancestors().find(|a| std::fs::metadata(a).is_ok()) {
        if !existing.is_dir() {
            return Err(Error::Usage(format!(
                "{}: `{}` is a file, not a folder",
                shown.display(),
                existing.display()
            )));
        }
    }
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A resolved folder's parent and name.
fn split(target: &Path) -> Result<(PathBuf, String), Error> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{}: not a folder name", target.display())))?;
    Ok((parent_of(target), name))
}

/// An exclusive advisory lock, released when the returned file is dropped or the process
/// dies (so a killed run leaves no stale lock behind).
fn lock(path: &Path, dir: &Path) -> Result<File, Error> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Other(format!(
            "another allyplan run is writing {} (lock {}); try again when it has finished",
            dir.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
    }
}

/// Swaps two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<(), Error> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| Error::Usage(format!("{}: path contains a NUL byte", p.display())))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::io(b, std::io::Error::last_os_error()))
    }
}

/// Elsewhere: move the old folder aside, then the new one in. A crash between the two
/// renames leaves the previous reports in `.<name>.previous`.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<(), Error> {
    let aside = a.with_extension("previous");
    std::fs::rename(b, &aside).map_err(|e| Error::io(b, e))?;
    std::fs::rename(a, b).map_err(|e| Error::io(b, e))?;
    std::fs::rename(&aside, a).map_err(|e| Error::io(a, e))
}

/// Makes a folder's entries durable (best effort: not every platform allows it).
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes `bytes` to `path` atomically (same-directory temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    create_parents(dir, path)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".allyplan-").suffix(".tmp");
    // tempfile creates 0600 files; ask for 0666, which the umask then narrows, as for
    // any other file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Largest `plan.json` or summary read back (a 1M-variable plan writes about 300 MiB).
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads a whole file for other readers of untrusted files (batch files, plans, shard
/// lists): only a regular file (a pipe would block, `/dev/zero` would never end), and
/// never more than `max` bytes, whatever the file's size says.
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::InvalidInput, "is a directory"));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "is not a regular file (a device, pipe or socket)",
        ));
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidData,
            format!("is larger than the limit of {} MiB", max / (1024 * 1024)),
        )
    };
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs
            .iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn replaces_a_folder_as_a_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("baseline");
        replace_dir(&dir, &files(&[("plan.json", "1"), ("old.csv", "x")])).unwrap();
        replace_dir(&dir, &files(&[("plan.json", "2")])).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("plan.json")).unwrap(), "2");
        assert!(
            !dir.join("old.csv").exists(),
            "files of the previous run go"
        );
        let names: Vec<String> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        assert_eq!(names, ["baseline"], "no staging folder is left behind");
    }

    #[test]
    fn refuses_to_replace_a_folder_that_is_not_ours() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("notes.txt"), "mine").unwrap();
        let err = replace_dir(root.path(), &files(&[("plan.json", "1")])).unwrap_err();
        assert!(
            err.to_string().contains("not an allyplan output folder"),
            "{err}"
        );
        assert!(root.path().join("notes.txt").exists());
    }

    #[test]
    fn a_second_writer_is_turned_away() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let held = lock(&root.path().join(".out.lock"), &dir).unwrap();
        let err = replace_dir(&dir, &files(&[("plan.json", "1")])).unwrap_err();
        assert!(
            err.to_string().contains("another allyplan run is writing"),
            "{err}"
        );
        drop(held);
        replace_dir(&dir, &files(&[("plan.json", "1")])).unwrap();
    }

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("plan.json");
        write_atomic(&target, b"old").unwrap();
        write_atomic(&target, b"new contents").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new contents");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn bounded_reads_refuse_devices_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_bounded(&path, 10).unwrap(), b"0123456789");
        let e = read_bounded(&path, 9).unwrap_err();
        assert_eq!(e.to_string(), "is larger than the limit of 0 MiB");
        let e = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(read_bounded(dir.path(), 10).is_err());
    }
}
