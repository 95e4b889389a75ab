//! Bad-input tests: every folder under `tests/fixtures/bad/` is one kind of broken input.
//!
//! Each case folder holds a `model.yaml` (plus any data files it names) and an
//! `expected.txt`: the exit code on the first line as `exit: N`, then the exact stderr of
//! `allyplan validate model.yaml` run inside that folder (so paths read `model.yaml:3:5`).
//!
//! To regenerate the expected files after a deliberate change to messages, run
//! `ALLYPLAN_BLESS=1 cargo test --test bad_input`, then read the diff before committing.
//!
//! A case folder that also holds a `pending.txt` documents a known problem with the
//! current output: its `expected.txt` is written by hand (what the tool should print),
//! it is never blessed, and the case only has to run without a panic. When the tool is
//! fixed and the output matches, the test fails to say that `pending.txt` can be deleted.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Fewer cases than this means the fixture folder is missing or was emptied by mistake.
const MIN_CASES: usize = 40;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

/// Case folders, sorted by name.
fn case_dirs() -> Vec<PathBuf> {
    let root = fixtures_dir();
    let entries = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read fixture folder {}: {e}", root.display()));
    let mut dirs: Vec<PathBuf> = entries
        .map(|entry| entry.expect("reading a fixture folder entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn case_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn allyplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run allyplan in {}: {e}", dir.display()))
}

/// `exit: N` on the first line, then stderr as printed.
fn render(output: &Output) -> String {
    let code = output
        .status
        .code()
        .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
    format!("exit: {code}\n{}", String::from_utf8_lossy(&output.stderr))
}

/// A line diff (longest common subsequence): `-` expected only, `+` actual only.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("   {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!(" - {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!(" + {}\n", b[j]));
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str(" (the two differ in the final newline)\n");
    }
    out
}

#[test]
fn bad_inputs_report_the_expected_diagnostics() {
    let bless = std::env::var_os("ALLYPLAN_BLESS").is_some_and(|v| v == "1");
    let dirs = case_dirs();
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let name = case_name(dir);
        if !dir.join("model.yaml").is_file() {
            failures.push(format!("{name}: the case folder has no model.yaml"));
            continue;
        }
        let pending = dir.join("pending.txt").is_file();
        let output = allyplan(dir, &["validate", "model.yaml"]);
        let actual = render(&output);
        if actual.contains("panicked") {
            failures.push(format!("{name}: allyplan panicked:\n{actual}"));
            continue;
        }
        let expected_path = dir.join("expected.txt");
        if bless && !pending {
            fs::write(&expected_path, &actual)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected_path.display()));
            checked += 1;
            continue;
        }
        let expected = match fs::read_to_string(&expected_path) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!(
                    "{name}: cannot read expected.txt ({e}); run with ALLYPLAN_BLESS=1 to create it"
                ));
                continue;
            }
        };
        match (pending, expected == actual) {
            (false, true) => checked += 1,
            (false, false) => failures.push(format!(
                "{name}: stderr differs from expected.txt (- expected, + actual):\n{}",
                line_diff(&expected, &actual)
            )),
            (true, true) => failures.push(format!(
                "{name}: now prints what expected.txt asks for; delete its pending.txt \
                 so the case is checked like the others"
            )),
            (true, false) => {
                eprintln!("pending (known problem, see pending.txt): {name}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input case(s) failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
    assert!(
        checked >= MIN_CASES,
        "only {checked} bad-input case(s) were checked in {}; expected at least {MIN_CASES}",
        fixtures_dir().display()
    );
}

/// A run that stops on bad input must not touch what an earlier run wrote: every case
/// that `validate` rejects (exit 2) is solved into a folder holding an earlier plan.
#[test]
fn solve_on_bad_input_exits_2_and_keeps_existing_output() {
    let previous =
        b"{\"status\": \"optimal\", \"objective\": 153.675, \"note\": \"an earlier run\"}\n";
    let mut solved = 0;
    for dir in case_dirs() {
        let case = case_name(&dir);
        let expected = fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
        if !expected.starts_with("exit: 2\n") || dir.join("pending.txt").is_file() {
            continue;
        }
        let out = tempfile::tempdir().expect("creating a temporary folder");
        let plan = out.path().join("plan.json");
        fs::write(&plan, previous).expect("writing the earlier plan.json");
        let out_arg = out.path().to_str().expect("temporary folder path is UTF-8");

        let output = allyplan(&dir, &["solve", "model.yaml", "--out", out_arg]);

        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{case}: `allyplan solve` should exit 2 on bad input; stderr:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{case}: panicked:\n{stderr}");
        assert_eq!(
            fs::read(&plan).expect("reading plan.json after the run"),
            previous,
            "{case}: the earlier plan.json was changed"
        );
        let mut left: Vec<String> = fs::read_dir(out.path())
            .expect("listing the out folder")
            .map(|e| {
                e.expect("out folder entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        assert_eq!(left, ["plan.json"], "{case}: the out folder gained files");
        solved += 1;
    }
    assert!(
        solved >= MIN_CASES,
        "only {solved} rejected case(s) were solved; expected at least {MIN_CASES}"
    );
}
