//! Atomic output: a file is written to a temporary file beside the target and renamed;
//! a whole output folder is written into a hidden staging folder and swapped into place
//! in one step. A run killed at any point leaves the previous reports whole and no
//! partial folder that looks complete. A lock keeps two runs out of the same folder.
//! Files allyplan reads back (plans, summaries, batch files) go through [`read_bounded`].

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Environment variable for fault-injection tests: abort the process after writing this
/// many files into a staging folder, as a crash or SIGKILL would.
pub const FAULT_AFTER_FILES: &str = "ALLYPLAN_FAULT_AFTER_FILES";

/// Writes `files` (name, contents) as the complete new contents of folder `dir`.
///
/// The folder is replaced as a whole: files of an earlier run that are not written again
/// disappear with it. To protect folders that are not allyplan's, an existing non-empty
/// `dir` must hold a `plan.json` or `summary.json`.
pub fn replace_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Error> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{}: not a folder name", dir.display())))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let _lock = lock(&parent.join(format!(".{name}.lock")), dir)?;
    if dir.exists() {
        check_replaceable(dir)?;
    }
    // A staging folder left by a killed run is ours to clear: we hold the lock.
    let staging = parent.join(format!(".{name}.partial"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
    let fault_after: Option<usize> = std::env::var(FAULT_AFTER_FILES)
        .ok()
        .and_then(|v| v.parse().ok());
    for (count, (file, bytes)) in files.iter().enumerate() {
        if fault_after == Some(count) {
            std::process::abort();
        }
        let path = staging.join(file);
        let mut f = File::create(&path).map_err(|e| Error::io(&path, e))?;
        f.write_all(bytes).map_err(|e| Error::io(&path, e))?;
        f.sync_all().map_err(|e| Error::io(&path, e))?;
    }
    sync_dir(&staging);
    if dir.exists() {
        exchange(&staging, dir)?;
        // `staging` now holds the previous run's files.
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    } else {
        std::fs::rename(&staging, dir).map_err(|e| Error::io(dir, e))?;
    }
    sync_dir(&parent);
    Ok(files.iter().map(|(file, _)| dir.join(file)).collect())
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

fn check_replaceable(dir: &Path) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let empty = entries.next().is_none();
    let ours = dir.join("plan.json").is_file() || dir.join("summary.json").is_file();
    if empty || ours {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} exists and is not an allyplan output folder (no plan.json); choose another --out",
            dir.display()
        )))
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
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".allyplan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
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
