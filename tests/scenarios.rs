//! Named scenarios (`scenarios:` in the model, `--scenario a,b`): each worked out by hand
//! in tests/fixtures/scenarios/model.yaml. They apply in the order given, and the
//! command line's `--set` comes last and wins.

mod common;

use common::{allyplan, stderr};

const MODEL: &str = "tests/fixtures/scenarios/model.yaml";

fn objective(extra: &[&str]) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let mut args = vec!["solve", MODEL, "--out", out.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    let o = allyplan(&args);
    assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    plan["objective"].as_f64().unwrap()
}

#[track_caller]
fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-6, "{got} != {want}");
}

#[test]
fn each_scenario_gives_its_hand_worked_cost() {
    close(objective(&[]), 2_700.0);
    close(objective(&["--scenario", "tariff-shock"]), 4_200.0);
    close(objective(&["--scenario", "mx-shock"]), 3_300.0);
    close(objective(&["--scenario", "surge"]), 5_400.0);
    // 30 more widgets for Canada from a (b has no lane there): 30 × (10 + 3).
    close(objective(&["--scenario", "canada"]), 2_700.0 + 390.0);
}

#[test]
fn scenarios_compose_in_order_and_the_command_line_wins() {
    // Surge, then the tariff on every US lane: 600 widgets from b at 14.
    close(objective(&["--scenario", "surge,tariff-shock"]), 8_400.0);
    // mx-shock sets b's tariff to 0.1; tariff-shock then adds 0.05 to both lanes:
    // b 8 + 1 + 15 = 24, a 10 + 1 + 5 = 16: a makes all, 4,800.
    close(objective(&["--scenario", "mx-shock,tariff-shock"]), 4_800.0);
    // In the other order tariff-shock's rise on b's lane is replaced by 0.1: a at 16,
    // b at 19: 4,800 again, from a.
    close(objective(&["--scenario", "tariff-shock,mx-shock"]), 4_800.0);
    // --set comes after every scenario.
    close(
        objective(&["--scenario", "mx-shock", "--set", "lanes[b>m].tariff=0"]),
        2_700.0,
    );
}

#[test]
fn an_unknown_scenario_names_the_closest() {
    let o = allyplan(&["validate", MODEL, "--scenario", "surg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("--scenario surg: the model has no scenario `surg` (did you mean `surge`?)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_batch_file_entry_takes_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("runs.yaml");
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL);
    std::fs::write(
        &file,
        format!(
            "entries:\n  - {{model: {m}, name: base}}\n  - {{model: {m}, name: shock, scenario: [surge, tariff-shock]}}\n",
            m = model.display()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = allyplan(&[
        "batch",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let rows = summary["rows"].as_array().unwrap();
    close(rows[0]["objective"].as_f64().unwrap(), 2_700.0);
    close(rows[1]["objective"].as_f64().unwrap(), 8_400.0);
}
