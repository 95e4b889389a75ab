//! Every file allyplan reads back goes through the bounded reader: a plan, a summary or
//! a batch entry that is a device or a named pipe is refused at once (exit 2, the file
//! named), never read until memory runs out and never waited on.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::hostile::run;
use common::stderr;

/// A named pipe in `dir`; under CI its absence fails the test rather than skipping it.
fn fifo(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status();
    if made.is_ok_and(|s| s.success()) {
        Some(path)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "mkfifo is needed under CI"
        );
        eprintln!("skipped: mkfifo is not available");
        None
    }
}

#[track_caller]
fn assert_refused(o: &Output, what: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let err = stderr(o);
    assert!(err.contains(what), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn report_refuses_a_device_instead_of_reading_it_forever() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(
        dir.path(),
        &["report", "/dev/zero", "--out", out.to_str().unwrap()],
    );
    assert_refused(&o, "/dev/zero");
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn report_and_compare_refuse_a_named_pipe_instead_of_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pipe) = fifo(dir.path(), "plan.json") else {
        return;
    };
    let pipe = pipe.to_str().unwrap();
    let o = run(dir.path(), &["report", pipe, "--out", "r"]);
    assert_refused(&o, "plan.json");
    let o = run(dir.path(), &["compare", pipe, pipe, "--out", "c"]);
    assert_refused(&o, "plan.json");
}

#[test]
fn merge_refuses_a_summary_that_is_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard-1");
    std::fs::create_dir(&shard).unwrap();
    let Some(pipe) = fifo(&shard, "summary.json") else {
        return;
    };
    // Named as a folder that holds it, and named itself.
    for arg in [shard.as_path(), pipe.as_path()] {
        let o = run(
            dir.path(),
            &["merge", arg.to_str().unwrap(), "--out", "merged"],
        );
        assert_refused(&o, "summary.json");
    }
}

#[test]
fn batch_refuses_a_model_that_is_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pipe) = fifo(dir.path(), "model.yaml") else {
        return;
    };
    let o = run(dir.path(), &["batch", pipe.to_str().unwrap(), "--out", "b"]);
    assert_refused(&o, "model.yaml");
}
