//! Input hardening: inputs built to make parsing slow, output folders that collide, and
//! the smaller rules of the input (numbers in messages, overrides, symlinks, snippets).
//!
//! The timing test compares two runs of one input at two sizes (a cost that grows with
//! the square of the size shows as a ratio near 4); it never compares against a fixed
//! time, so a slow or busy machine does not fail it.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use allyplan::limits::MAX_YAML_DEPTH;

const DATA: &str = "periods: [2027-01, 2027-02]
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

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_allyplan"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("ALLYPLAN_DATA_ROOT")
        .env_remove("ALLYPLAN_ALLOW_LINKS")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run allyplan")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_rejected(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panicked:\n{err}");
    assert_eq!(o.status.code(), Some(2), "expected exit 2; stderr:\n{err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
}

/// A folder with `model.yaml` (naming `data.yaml`, then `model_extra`) and `data.yaml`.
fn project(model_extra: &str, data: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::write(
        dir.path().join("model.yaml"),
        format!("name: limits\ndata: [data.yaml]\n{model_extra}"),
    )
    .expect("write model.yaml");
    fs::write(dir.path().join("data.yaml"), data).expect("write data.yaml");
    dir
}

/// The quickest of three runs of `validate` on `dir`, and the last run's output.
fn timed_validate(dir: &Path) -> (Duration, Output) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let start = Instant::now();
        let o = run(dir, &["validate", "model.yaml"]);
        best = best.min(start.elapsed());
        last = Some(o);
    }
    (best, last.expect("three runs"))
}

#[test]
fn deep_one_line_flow_nesting_is_refused_in_linear_time() {
    // `[[[[…US…]]]]` on one line: every open bracket may still start a key, and YAML
    // scanners re-check all of them at every token, so the parse was quadratic.
    let deep = |levels: usize| {
        project(
            &format!(
                "blocs:\n  deep: {}US{}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
            DATA,
        )
    };
    let (small, big) = (deep(15_000), deep(30_000));
    let (t_small, o_small) = timed_validate(small.path());
    let (t_big, o_big) = timed_validate(big.path());
    // The bracket one past the limit: `  deep: ` is 8 characters.
    let expected = format!(
        "model.yaml:4:{}: error: lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep here (allyplan's files need at most 6)\n\
         1 error(s), 0 warning(s): input is not valid\n",
        8 + MAX_YAML_DEPTH + 1
    );
    // Twice the input may cost twice the work, never four times (with room for noise:
    // both runs take milliseconds once the depth is checked first).
    assert!(
        t_big <= t_small * 5 / 2 + Duration::from_millis(300),
        "30,000 levels took {t_big:?}, 15,000 took {t_small:?}: the work grows faster than the input"
    );
    for o in [&o_small, &o_big] {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
        assert_eq!(stderr(o), expected);
    }
}

#[test]
fn deep_flow_mappings_and_a_megabyte_of_brackets_are_refused_quickly() {
    let levels = 500_000;
    let dir = project(
        &format!(
            "blocs:\n  deep: {}x{}\n",
            "{a: ".repeat(levels),
            "}".repeat(levels)
        ),
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        &format!("lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep here"),
    );
}

#[test]
fn brackets_inside_quotes_comments_and_block_text_are_not_nesting() {
    let deep = "[".repeat(200);
    let dir = project(
        &format!(
            "blocs:\n  usmca: [US, MX, \"{deep}\", '{deep}'] # {deep}\ndescription: |\n  {deep}\n  {deep}\n"
        ),
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    let err = stderr(&o);
    assert!(!err.contains("nested more than"), "{err}");
}
