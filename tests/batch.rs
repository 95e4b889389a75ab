//! End-to-end tests of `allyplan batch`, `sweep` and `merge` (fixtures in
//! `tests/fixtures/batch/`).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

mod common;

use common::{allyplan, stderr};

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} not readable: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// (name, status) of every row, in order.
fn statuses(summary: &Value) -> Vec<(String, String)> {
    summary["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Rows without what depends on the machine (times, output paths).
fn comparable_rows(summary: &Value) -> Vec<Value> {
    summary["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let m = r.as_object_mut().unwrap();
            for key in ["wall_seconds", "solve_seconds", "output"] {
                m.remove(key);
            }
            r
        })
        .collect()
}

#[test]
fn batch_of_shipped_models_with_a_broken_and_an_infeasible_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let o = allyplan(&[
        "batch",
        "models/",
        "tests/fixtures/trnsport/model.yaml",
        "tests/fixtures/batch/broken.yaml",
        "tests/fixtures/infeasible/model.yaml",
        "--out",
        s(&out),
        "--jobs",
        "2",
        "--json",
    ]);
    // 7: the batch finished but some entries failed.
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let summary = json(&out.join("summary.json"));
    // The investment example is a MILP: without HiGHS (`--no-default-features`) no
    // backend solves it.
    let highs = cfg!(feature = "highs");
    assert_eq!(
        statuses(&summary),
        [
            ("ally-shoring-baseline-csv", "optimal"),
            ("ally-shoring-baseline", "optimal"),
            ("investments-2027", if highs { "optimal" } else { "error" }),
            ("two-tier-2027", "optimal"),
            ("usmca-strict", "optimal"),
            ("trnsport", "optimal"),
            ("broken", "invalid"),
            ("infeasible-contract", "infeasible"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(summary["exit_code"], 7);
    assert_eq!(summary["failed"], if highs { 2 } else { 3 });
    assert_eq!(summary["counts"]["optimal"], if highs { 6 } else { 5 });
    assert_eq!(summary["entries_total"], 8);
    let counts = if highs {
        "8 models: 6 optimal, 1 infeasible, 1 invalid"
    } else {
        "8 models: 5 optimal, 1 infeasible, 1 invalid, 1 error"
    };
    assert!(stderr(&o).contains(counts), "{}", stderr(&o));
    // --json prints the same summary on stdout.
    let printed: Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(printed, summary);

    let rows = summary["rows"].as_array().unwrap();
    // Solved entries: their reports are in OUT/<name>/ and agree with the summary.
    for row in rows.iter().filter(|r| r["status"] != "invalid") {
        let folder = out.join(row["output"].as_str().unwrap());
        let plan = json(&folder.join("plan.json"));
        assert_eq!(plan["status"], row["status"]);
        assert_eq!(plan["objective"], row["objective"]);
    }
    let trnsport = &rows[5];
    assert!((trnsport["objective"].as_f64().unwrap() - 153.675).abs() < 1e-6);
    assert_eq!(trnsport["fill_rate"], 1.0);
    let baseline = &rows[1];
    // The baseline with its forecast from CSV costs the same.
    assert_eq!(rows[0]["objective"], baseline["objective"]);
    assert!(baseline["costs"]["production"].as_f64().unwrap() > 0.0);
    let shares = baseline["bloc_shares"].as_array().unwrap();
    assert_eq!(shares[0]["policy"], "critical-usmca-70");
    assert!(shares[0]["worst"].as_f64().unwrap() >= 0.7 - 1e-6);
    // The invalid entry names the problem, file and line.
    let broken = &rows[6];
    assert!(broken["output"].is_null());
    assert!(
        broken["message"]
            .as_str()
            .unwrap()
            .contains("broken.yaml:6:18: error: policies[0].kind: unknown policy kind"),
        "{broken}"
    );
    assert!(rows[7]["message"].as_str().unwrap().contains("infeasible"));
    // The two-tier example solves in a batch like any other model.
    let two_tier = &rows[3];
    assert!((two_tier["objective"].as_f64().unwrap() - 162_034_459.79).abs() < 1.0);

    // CSV and Markdown have one row per entry.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for column in [
        "name",
        "status",
        "objective",
        "production",
        "fill_rate",
        "wall_seconds",
        "output",
    ] {
        assert!(
            headers.iter().any(|h| h == column),
            "no {column} in {headers:?}"
        );
    }
    assert!(headers.iter().any(|h| h == "bloc_share:critical-usmca-70"));
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 8);
    let status_col = headers.iter().position(|h| h == "status").unwrap();
    assert_eq!(&records[6][status_col], "invalid");
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains(counts));
    assert!(md.contains("unknown policy kind"));
}

#[test]
fn batch_file_with_per_entry_overrides_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/batch/overrides.yaml",
        "--out",
        s(&out),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "--quiet and all optimal: {}",
        stderr(&o)
    );
    let summary = json(&out.join("summary.json"));
    let names: Vec<String> = statuses(&summary).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "trnsport",
            "trnsport-cheap-shortage",
            "seattle-soft-400",
            "contract-dropped",
            "contract-80"
        ]
    );
    let rows = summary["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["status"] == "optimal"));
    // The overrides reached the model: recorded in the plan, and visible in the figures.
    let plan = json(&out.join("trnsport-cheap-shortage/plan.json"));
    assert_eq!(
        plan["metadata"]["overrides"],
        serde_json::json!(["set objective.unmet_penalty=0.05"])
    );
    assert!((rows[1]["objective"].as_f64().unwrap() - 45.0).abs() < 1e-6);
    assert_eq!(rows[1]["fill_rate"], 0.0);
    // Seattle can make 350 of its 400-case contract: 50 cases of slack at $1, on top of
    // trnsport's 153.675.
    assert!((rows[2]["policy_slack"].as_f64().unwrap() - 50.0).abs() < 1e-6);
    assert!((rows[2]["objective"].as_f64().unwrap() - 203.675).abs() < 1e-6);
    // Without the contract: 100 widgets at $5 to make and $1 to ship, 600.
    assert_eq!(
        rows[3]["overrides"],
        serde_json::json!(["disable too-big-contract"])
    );
    assert!((rows[3]["objective"].as_f64().unwrap() - 600.0).abs() < 1e-6);
    // A contract of 80 a period: 160 made at $5 (800), 100 shipped at $1 (100), 900.
    assert_eq!(
        rows[4]["overrides"],
        serde_json::json!(["set policies[too-big-contract].min=80"])
    );
    assert!((rows[4]["objective"].as_f64().unwrap() - 900.0).abs() < 1e-6);

    // The same batch fails on business conditions when asked: exit 8.
    let out2 = dir.path().join("o2");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/batch/overrides.yaml",
        "--out",
        s(&out2),
        "--fail-on",
        "unmet,policy-slack",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    let summary = json(&out2.join("summary.json"));
    let conditions: Vec<&Value> = summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["conditions"])
        .collect();
    assert_eq!(conditions[0], &serde_json::json!([]));
    assert_eq!(conditions[1], &serde_json::json!(["unmet"]));
    assert_eq!(conditions[2], &serde_json::json!(["policy-slack"]));
    assert!(
        stderr(&o).contains("--fail-on: 1 policy-slack, 1 unmet"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn batch_arguments_are_checked_before_solving() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (vec!["batch", "models/nope.yaml"], "no such file or folder"),
        (vec!["batch", "models/*.yml"], "no file matches"),
        (vec!["batch", "models/", "--shard", "4/3"], "--shard"),
        (vec!["batch", "models/", "--fail-on", "unment"], "--fail-on"),
        (vec!["batch", "models/", "--jobs", "0"], "--jobs"),
        (
            vec![
                "sweep",
                "tests/fixtures/trnsport/model.yaml",
                "--vary",
                "objective.leveling_weight=1..3",
            ],
            "needs a step",
        ),
        (
            vec![
                "sweep",
                "tests/fixtures/trnsport/model.yaml",
                "--vary",
                "policies[nope].min_share=0.5,0.6",
            ],
            "no item named `nope`",
        ),
    ] {
        let mut args = args.clone();
        let out = dir.path().join("never");
        args.extend(["--out", s(&out)]);
        let o = allyplan(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(!out.join("summary.json").exists());
    }
}

#[test]
fn sweep_costs_do_not_fall_as_the_min_share_rises() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let o = allyplan(&[
        "sweep",
        "models/baseline.yaml",
        "--vary",
        "policies[critical-usmca-70].min_share=0.5..0.9 step 0.1",
        "--out",
        s(&out),
        "--jobs",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = json(&out.join("summary.json"));
    let names: Vec<String> = statuses(&summary).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "min_share=0.5",
            "min_share=0.6",
            "min_share=0.7",
            "min_share=0.8",
            "min_share=0.9"
        ]
    );
    let tradeoff = json(&out.join("sweep.json"));
    assert_eq!(
        tradeoff["parameter"],
        "policies[critical-usmca-70].min_share"
    );
    assert_eq!(tradeoff["share"], true);
    let points = tradeoff["lines"][0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 5);
    let costs: Vec<f64> = points
        .iter()
        .map(|p| {
            assert_eq!(p["status"], "optimal");
            p["objective"].as_f64().unwrap()
        })
        .collect();
    for pair in costs.windows(2) {
        assert!(
            pair[1] >= pair[0] - 1e-7 * pair[0].abs(),
            "cost fell as the share rose: {costs:?}"
        );
    }
    // Each point's bloc share meets its target; the cost of a point is Δcost / Δshare.
    for (p, target) in points.iter().zip([0.5, 0.6, 0.7, 0.8, 0.9]) {
        assert!(p["worst_share"].as_f64().unwrap() >= target - 1e-6);
    }
    let per_point = points[4]["cost_per_point"].as_f64().unwrap();
    assert!((per_point - (costs[4] - costs[3]) / 10.0).abs() < 1e-6 * costs[4]);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 6);
    assert!(csv.starts_with("policies[critical-usmca-70].min_share,"));
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("total cost ($)") && svg.contains("unmet demand (units)"));
    let html = std::fs::read_to_string(out.join("sweep.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("min_share=0.9/report.html"));
    assert!(std::fs::read_to_string(out.join("sweep.md"))
        .unwrap()
        .contains("one more point of min\\_share costs"));
    assert!(out.join("min_share=0.7/plan.json").is_file());
}

#[test]
fn infeasible_sweep_points_are_results_unless_asked_to_fail() {
    let dir = tempfile::tempdir().unwrap();
    let args = |out: &Path| {
        vec![
            "sweep".to_string(),
            "tests/fixtures/infeasible/model.yaml".to_string(),
            "--vary".to_string(),
            "policies[too-big-contract].min=50..150 step 50".to_string(),
            "--out".to_string(),
            out.display().to_string(),
            "-q".to_string(),
        ]
    };
    let out = dir.path().join("a");
    let a = args(&out);
    let o = allyplan(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = json(&out.join("summary.json"));
    assert_eq!(
        statuses(&summary),
        [
            ("min=50", "optimal"),
            ("min=100", "optimal"),
            ("min=150", "infeasible")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let md = std::fs::read_to_string(out.join("sweep.md")).unwrap();
    assert!(
        md.contains("no optimal plan at min = 150 (infeasible)"),
        "{md}"
    );

    let out = dir.path().join("b");
    let mut b = args(&out);
    b.extend(["--fail-on".to_string(), "infeasible".to_string()]);
    let o = allyplan(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
}

#[test]
fn shards_cover_every_entry_once_and_merge_reproduces_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let batch = "tests/fixtures/batch/shards.yaml";
    let whole = dir.path().join("whole");
    let o = allyplan(&["batch", batch, "--out", s(&whole), "-q", "--no-explain"]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let whole_summary = json(&whole.join("summary.json"));
    let all: Vec<String> = statuses(&whole_summary)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(all.len(), 8);

    // Three workers, each in its own folder (a CI matrix) ...
    let mut seen: Vec<String> = Vec::new();
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let d = dir.path().join(format!("shard{k}"));
        let o = allyplan(&[
            "batch",
            batch,
            "--out",
            s(&d),
            "--shard",
            &format!("{k}/3"),
            "-q",
            "--no-explain",
        ]);
        assert!(matches!(o.status.code(), Some(0 | 7)), "{}", stderr(&o));
        let part = json(&d.join(format!("summary.shard-{k}-of-3.json")));
        assert!(!d.join("summary.json").exists());
        assert_eq!(part["entries_total"], 8);
        assert_eq!(part["fingerprint"], whole_summary["fingerprint"]);
        assert_eq!(part["shard"], serde_json::json!({"index": k, "count": 3}));
        for row in part["rows"].as_array().unwrap() {
            let index = row["index"].as_u64().unwrap() as usize;
            assert_eq!(index % 3, k - 1, "shard {k} took entry {index}");
            seen.push(row["name"].as_str().unwrap().to_string());
        }
        shard_dirs.push(d);
    }
    let mut sorted = seen.clone();
    sorted.sort();
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an entry ran twice: {seen:?}");
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(sorted, expected, "every entry exactly once");

    // ... merged: the same rows as the unsharded run, and the same exit code.
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shard_dirs.iter().map(|d| s(d)));
    args.extend(["--out", s(&merged), "-q"]);
    let o = allyplan(&args);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let merged_summary = json(&merged.join("summary.json"));
    assert_eq!(
        comparable_rows(&merged_summary),
        comparable_rows(&whole_summary)
    );
    assert_eq!(merged_summary["counts"], whole_summary["counts"]);
    assert_eq!(merged_summary["shards"].as_array().unwrap().len(), 3);
    assert!(merged.join("summary.csv").is_file() && merged.join("summary.md").is_file());
    // Entry folders are found from the merged summary.
    for row in merged_summary["rows"].as_array().unwrap() {
        if let Some(o) = row["output"].as_str() {
            assert!(merged.join(o).join("plan.json").is_file(), "{o}");
        }
    }

    // Three workers sharing one output folder (a shared volume), merged in place.
    let shared = dir.path().join("shared");
    for k in 1..=3 {
        let o = allyplan(&[
            "batch",
            batch,
            "--out",
            s(&shared),
            "--shard",
            &format!("{k}/3"),
            "-q",
            "--no-explain",
        ]);
        assert!(matches!(o.status.code(), Some(0 | 7)), "{}", stderr(&o));
    }
    let o = allyplan(&["merge", s(&shared), "-q"]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let in_place = json(&shared.join("summary.json"));
    assert_eq!(comparable_rows(&in_place), comparable_rows(&whole_summary));
    let outputs: Vec<&str> = in_place["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["output"].as_str())
        .collect();
    assert!(outputs.contains(&"trnsport"), "{outputs:?}");

    // An incomplete set is refused, naming what is missing.
    let o = allyplan(&[
        "merge",
        s(&shard_dirs[0]),
        s(&shard_dirs[2]),
        "--out",
        s(&dir.path().join("incomplete")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("missing 3 entries"), "{err}");
    for name in ["lw-1", "infeasible-contract", "seattle-min-300"] {
        assert!(err.contains(name), "{err}");
    }
    assert!(!dir.path().join("incomplete/summary.json").exists());

    // A shard given twice is refused, naming the duplicates.
    let o = allyplan(&[
        "merge",
        s(&shard_dirs[0]),
        s(&shard_dirs[1]),
        s(&shard_dirs[2]),
        s(&whole),
        "--out",
        s(&dir.path().join("dup")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("duplicated 8 entries"),
        "{}",
        stderr(&o)
    );

    // A shard of another batch is refused.
    let other = dir.path().join("other");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/batch/overrides.yaml",
        "--out",
        s(&other),
        "--shard",
        "2/3",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = allyplan(&[
        "merge",
        s(&shard_dirs[0]),
        s(&other),
        "--out",
        s(&dir.path().join("mixed")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("comes from a different batch"),
        "{}",
        stderr(&o)
    );
}

/// An unattended batch never waits forever: an entry whose model sets no time limit gets
/// the batch default (3,600 s), one that sets its own keeps it, and `--time-limit` wins.
#[test]
fn batch_entries_get_a_default_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/sailco/model.yaml",
        "tests/fixtures/trnsport/model.yaml",
        "--jobs",
        "1",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let limit =
        |name: &str| json(&out.join(name).join("plan.json"))["metadata"]["time_limit_s"].as_f64();
    assert_eq!(limit("sailco"), Some(3600.0), "sailco sets no limit");
    assert_eq!(limit("trnsport"), Some(60.0), "trnsport sets 60 s");

    let out = dir.path().join("limited");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/sailco/model.yaml",
        "--time-limit",
        "30",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json(&out.join("sailco").join("plan.json"))["metadata"]["time_limit_s"].as_f64(),
        Some(30.0)
    );
}
