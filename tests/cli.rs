//! End-to-end tests of the `allyplan` binary on the shipped example and fixtures.

use std::path::Path;
use std::process::Command;

mod common;

use common::{allyplan, repo, stderr};

fn plan_json(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("plan.json")).expect("plan.json written");
    serde_json::from_str(&text).expect("plan.json is JSON")
}

#[test]
fn validate_accepts_the_shipped_models() {
    for model in [
        "models/baseline.yaml",
        "models/usmca-strict.yaml",
        "tests/fixtures/trnsport/model.yaml",
    ] {
        let out = allyplan(&["validate", model]);
        assert_eq!(out.status.code(), Some(0), "{model}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("valid ("),
            "{model}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn solve_baseline_writes_every_output_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("baseline");
    let out = allyplan(&[
        "solve",
        "models/baseline.yaml",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in [
        "plan.json",
        "production.csv",
        "shipments.csv",
        "inventory.csv",
        "utilization.csv",
        "sourcing_shares.csv",
        "bloc_shares.csv",
        "unmet.csv",
        "report.md",
    ] {
        let path = out_dir.join(file);
        assert!(path.is_file(), "{file} missing");
        assert!(std::fs::metadata(&path).unwrap().len() > 0, "{file} empty");
    }
    let plan = plan_json(&out_dir);
    assert_eq!(plan["status"], "optimal");
    let objective = plan["objective"].as_f64().unwrap();
    let verification = &plan["verification"];
    assert_eq!(verification["passed"], true);
    assert!(verification["worst_violation"].as_f64().unwrap() < 1e-6);
    // The cost breakdown is recomputed independently and adds up to the objective.
    let costs = &plan["costs"];
    let parts: f64 = [
        "production",
        "overtime",
        "transport",
        "tariffs_duties",
        "carbon",
        "holding",
        "unmet_penalty",
        "leveling",
        "soft_policy_penalties",
    ]
    .iter()
    .map(|k| costs[k].as_f64().unwrap())
    .sum();
    assert!((parts - objective).abs() <= 1e-6 * objective.abs());
    // Every bloc-share target of a hard policy is met.
    for row in plan["bloc_shares"].as_array().unwrap() {
        assert_eq!(row["met"], true, "{row}");
    }
    // Reproducibility metadata names every input with its SHA-256.
    let inputs = plan["metadata"]["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    for input in inputs {
        assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
    }
    // `auto` takes HiGHS's simplex at this size (microlp in the pure-Rust build), and with
    // HiGHS the first report already has shadow prices.
    if cfg!(feature = "highs") {
        assert_eq!(plan["metadata"]["solver"], "highs-simplex");
        assert!(
            plan["shadow_prices"]["capacity"].is_array(),
            "{}",
            plan["duals_note"]
        );
    } else {
        assert_eq!(plan["metadata"]["solver"], "microlp");
    }
    // The utilization table has one row per site and period.
    let utilization = std::fs::read_to_string(out_dir.join("utilization.csv")).unwrap();
    assert_eq!(utilization.lines().count(), 1 + 9 * 12);
    assert!(utilization
        .starts_with("site,country,period,capacity,overtime_capacity,load,overtime,utilization"));
    let report = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(report.contains("## Cost breakdown") && report.contains("verified independently"));
}

#[test]
fn trnsport_known_answer_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let out = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = plan_json(dir.path());
    let objective = plan["objective"].as_f64().unwrap();
    assert!((objective - 153.675).abs() < 1e-9, "objective {objective}");
}

#[test]
fn infeasible_model_has_its_own_exit_code_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = allyplan(&[
        "solve",
        "tests/fixtures/infeasible/model.yaml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("infeasible"), "{}", stderr(&out));
    let plan = plan_json(dir.path());
    assert_eq!(plan["status"], "infeasible");
    assert!(plan["objective"].is_null());
    // solve explains an infeasible model on its own: the contract and capacity conflict.
    let conflict: Vec<&str> = plan["explanation"]["conflict"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(conflict, ["too-big-contract", "capacity"]);
    assert!(stderr(&out).contains("needs 150 units"), "{}", stderr(&out));
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.contains("## Why the model is infeasible"));
}

#[test]
fn default_output_folder_is_out_slash_model_name() {
    let dir = tempfile::tempdir().unwrap();
    let model = repo().join("tests/fixtures/trnsport/model.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(["solve", model.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("out/trnsport/plan.json").is_file());
}

/// Scheduled jobs need reproducible output: two runs on the same inputs write
/// byte-identical files, except `metadata.run` (time stamp and timings) in plan.json.
#[test]
fn same_inputs_give_identical_outputs_apart_from_the_run_stamp() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let out = allyplan(&[
            "solve",
            "models/baseline.yaml",
            "--out",
            dir.path().join("x").to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0));
    }
    let mut names: Vec<String> = std::fs::read_dir(a.path().join("x"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for file in &names {
        let x = std::fs::read(a.path().join("x").join(file)).unwrap();
        let y = std::fs::read(b.path().join("x").join(file)).unwrap();
        if file == "plan.json" {
            let mut px: serde_json::Value = serde_json::from_slice(&x).unwrap();
            let mut py: serde_json::Value = serde_json::from_slice(&y).unwrap();
            assert!(px["metadata"]["run"]["generated_at"]
                .as_str()
                .unwrap()
                .ends_with('Z'));
            px["metadata"]["run"] = serde_json::Value::Null;
            py["metadata"]["run"] = serde_json::Value::Null;
            assert_eq!(px, py, "plan.json differs beyond metadata.run");
        } else {
            assert!(x == y, "{file} differs between identical runs");
        }
    }
}

/// Every file of a folder with its contents, sorted by name.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A run killed while writing (here: aborted by the fault-injection hook after two
/// files) leaves the previous reports whole and no partial folder that looks complete.
#[test]
fn a_killed_run_leaves_the_previous_reports_whole() {
    let root = tempfile::tempdir().unwrap();
    let out_dir = root.path().join("2027-01");
    let out_arg = out_dir.to_str().unwrap();
    let first = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        out_arg,
    ]);
    assert_eq!(first.status.code(), Some(0));
    let before = files_in(&out_dir);
    let killed = Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(["solve", "models/baseline.yaml", "--out", out_arg])
        .current_dir(repo())
        .env(allyplan::FAULT_AFTER_FILES, "2")
        .output()
        .unwrap();
    assert!(
        killed.status.code().is_none(),
        "the run was aborted by a signal"
    );
    let after = files_in(&out_dir);
    assert!(before == after, "the previous reports changed");
    // Only hidden leftovers (lock, partial staging folder) sit beside it.
    let visible: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(visible, ["2027-01"]);
    // The next run clears the leftovers and replaces the folder.
    let next = allyplan(&["solve", "models/baseline.yaml", "--out", out_arg]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    assert_eq!(plan_json(&out_dir)["model"], "ally-shoring-baseline");
    assert!(!root.path().join(".2027-01.partial").exists());
}

#[test]
fn solve_will_not_replace_a_folder_that_is_not_an_output_folder() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("notes.txt"), "mine").unwrap();
    let out = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        root.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not an allyplan output folder"));
    assert_eq!(
        std::fs::read_to_string(root.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn unknown_solver_on_the_command_line_is_an_error() {
    let out = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--solver",
        "cplex",
        "--out",
        "/nonexistent/never",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown solver `cplex`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn quiet_solve_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let out = allyplan(&[
        "--quiet",
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

/// A plan that fails verification is never reported as optimal: the run solves again
/// with a more accurate backend and records why.
#[test]
fn a_plan_that_fails_verification_is_solved_again_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args([
            "solve",
            "tests/fixtures/trnsport/model.yaml",
            "--solver",
            "microlp",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .current_dir(repo())
        .env(allyplan::FAULT_PERTURB, "microlp")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = plan_json(dir.path());
    assert_eq!(plan["status"], "optimal");
    assert_ne!(plan["metadata"]["solver"], "microlp");
    let note = plan["metadata"]["solver_note"].as_str().unwrap();
    assert!(
        note.starts_with("microlp failed independent verification"),
        "{note}"
    );
    assert!((plan["objective"].as_f64().unwrap() - 153.675).abs() < 1e-6);
}
