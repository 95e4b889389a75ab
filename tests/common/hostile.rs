//! Running allyplan on hostile input: a hang guard, a small valid project to break, and
//! the assertion that bad input is refused (exit 2) without a panic.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::stderr;

/// Longest any single run may take before the test calls it hung.
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// Runs allyplan in `dir` with `args` (and extra environment), killing it if it hangs.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_allyplan"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("ALLYPLAN_DATA_ROOT")
        .env_remove("ALLYPLAN_ALLOW_LINKS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start allyplan");
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for allyplan") {
            break status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("allyplan {args:?} hung (killed after {HANG_GUARD:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    }
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[])
}

/// Asserts exit code 2 (invalid input), no panic, and that stderr holds `needle`.
#[track_caller]
pub fn assert_rejected(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panicked:\n{err}");
    assert_eq!(o.status.code(), Some(2), "expected exit 2; stderr:\n{err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
}

pub const DATA: &str = "periods: [2027-01, 2027-02]
products:
  - {id: widget, unit_value: 100}
sites:
  - id: plant
    country: US
    capacity: 1000
    products:
      widget: {rate: 1, cost: 10}
markets:
  - {id: east, country: US}
lanes:
  - {from: plant, to: east, cost: 2}
demand:
  - {market: east, product: widget, quantity: [100, 120]}
";

/// A folder with `model.yaml` (naming `data`) and `data.yaml`.
pub fn project(model_extra: &str, data: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::write(
        dir.path().join("model.yaml"),
        format!("name: limits\ndata: [data.yaml]\n{model_extra}"),
    )
    .expect("write model.yaml");
    fs::write(dir.path().join("data.yaml"), data).expect("write data.yaml");
    dir
}
