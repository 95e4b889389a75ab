//! Warm starts: `solve --warm-start`, and the entries of `sweep` and `batch` starting
//! from the one before. A warm solve gives the cold solve's objective (1e-9), and the
//! start is matched by name, so a re-plan whose periods moved on by a month, with a site
//! added and a product dropped, still starts from last month's basis.

mod common;

use std::path::Path;

use common::{allyplan, repo, stderr};
use serde_json::Value;

fn plan(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("plan.json")).expect("plan.json");
    serde_json::from_str(&text).expect("plan.json is JSON")
}

fn objective(plan: &Value) -> f64 {
    plan["objective"].as_f64().expect("an objective")
}

fn assert_close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        "{what}: {a} against {b}"
    );
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Solves `model` into `out` with `args`; the exit must be 0.
fn solve(model: &Path, out: &Path, args: &[&str]) -> Value {
    let mut all = vec!["solve", s(model), "--out", s(out), "-q"];
    all.extend(args);
    let o = allyplan(&all);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    plan(out)
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "warm starts need HiGHS")]
fn a_warm_solve_of_a_variant_gives_the_cold_objective() {
    let dir = tempfile::tempdir().unwrap();
    let model = repo().join("models/baseline.yaml");
    let first = dir.path().join("first");
    let base = solve(&model, &first, &[]);
    assert!(base.get("metadata").unwrap().get("warm_start").is_none());
    let text = std::fs::read_to_string(first.join("warm-start.txt")).unwrap();
    assert!(text.starts_with("# allyplan warm start v1\n"), "{text}");
    assert!(text.contains("\nC B "), "basic columns are listed");

    for set in [
        "demand[us-east/battery-module].quantity*=1.1",
        "lanes[*>@US].tariff+=0.25",
        "sites[hagerstown].capacity*=0.8",
    ] {
        let cold = solve(
            &model,
            &dir.path().join("cold"),
            &["--set", set, "--solver", "highs-simplex"],
        );
        // The start by plan.json, by folder and by the file itself.
        for from in [
            first.join("plan.json"),
            first.clone(),
            first.join("warm-start.txt"),
        ] {
            let warm = solve(
                &model,
                &dir.path().join("warm"),
                &["--set", set, "--warm-start", s(&from)],
            );
            assert_close(objective(&warm), objective(&cold), set);
            assert_eq!(warm["status"], "optimal");
            let w = &warm["metadata"]["warm_start"];
            assert_eq!(w["basis"], true, "{w}");
            assert_eq!(w["columns_matched"], w["start_columns"], "{w}");
            assert_eq!(w["rows_matched"], w["start_rows"], "{w}");
            assert!(
                w["from"].as_str().unwrap().ends_with("warm-start.txt"),
                "{w}"
            );
            assert_eq!(warm["verification"]["passed"], true);
        }
        assert!(
            (objective(&cold) - objective(&base)).abs() > 1.0,
            "{set} changes the plan"
        );
    }
}

#[test]
fn a_missing_or_broken_start_solves_cold_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let model = repo().join("models/baseline.yaml");
    let broken = dir.path().join("broken.txt");
    std::fs::write(&broken, "# allyplan warm start v1\nsize 1 1\nC Q 1 x\n").unwrap();
    let cold = solve(&model, &dir.path().join("cold"), &[]);
    for (from, why) in [
        (dir.path().join("nowhere/plan.json"), "warm-start.txt"),
        (broken.clone(), "line 3: unknown status `Q`"),
    ] {
        let out = dir.path().join("out");
        let o = allyplan(&[
            "solve",
            s(&model),
            "--out",
            s(&out),
            "--warm-start",
            s(&from),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("warning: no warm start") && err.contains(why),
            "{err}"
        );
        let p = plan(&out);
        assert!(p["metadata"].get("warm_start").is_none());
        assert_eq!(p["objective"], cold["objective"]);
    }
}

/// A network with `periods`, `sites` and `products`: each site makes every product, each
/// market wants each product every period.
fn network(periods: &[&str], sites: &[(&str, &str, f64)], products: &[&str]) -> String {
    let list = |items: &[&str]| items.join(", ");
    let mut out = format!("periods: [{}]\nproducts:\n", list(periods));
    for (k, p) in products.iter().enumerate() {
        out.push_str(&format!("  - {{id: {p}, unit_value: {}}}\n", 100 + 50 * k));
    }
    out.push_str("sites:\n");
    for (id, country, capacity) in sites {
        out.push_str(&format!(
            "  - id: {id}\n    country: {country}\n    capacity: {capacity}\n    products:\n"
        ));
        for (k, p) in products.iter().enumerate() {
            let cost = 10.0 + k as f64 + if *country == "US" { 4.0 } else { 0.0 };
            out.push_str(&format!("      {p}: {{rate: 1.0, cost: {cost}}}\n"));
        }
    }
    out.push_str("markets:\n  - {id: east, country: US}\n  - {id: north, country: MX}\nlanes:\n");
    for (id, country, _) in sites {
        for (m, cost) in [("east", 3.0), ("north", 2.0)] {
            let extra = if *country == "MX" && m == "east" {
                2.0
            } else {
                0.0
            };
            out.push_str(&format!(
                "  - {{from: {id}, to: {m}, cost: {}, tariff: 0.02}}\n",
                cost + extra
            ));
        }
    }
    out.push_str("demand:\n");
    for m in ["east", "north"] {
        for (k, p) in products.iter().enumerate() {
            let q: Vec<String> = periods
                .iter()
                .map(|t| {
                    let month: f64 = t[5..].parse().unwrap();
                    format!("{}", 300.0 + 40.0 * k as f64 + 25.0 * (month % 5.0))
                })
                .collect();
            out.push_str(&format!(
                "  - {{market: {m}, product: {p}, quantity: [{}]}}\n",
                q.join(", ")
            ));
        }
    }
    out
}

const MODEL: &str = "name: re-plan
data: [network.yaml]
blocs: {usmca: [US, MX]}
objective: {unmet_penalty: 5000, leveling_weight: 2}
policies:
  - {name: bloc, kind: min_bloc_share, bloc: usmca, min_share: 0.6}
  - {name: ramp, kind: ramp_limit, max_change: 0.3}
solver: {backend: highs}
";

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "warm starts need HiGHS")]
fn next_months_re_plan_starts_from_last_months_basis() {
    let dir = tempfile::tempdir().unwrap();
    let last = dir.path().join("last");
    let next = dir.path().join("next");
    for d in [&last, &next] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("model.yaml"), MODEL).unwrap();
    }
    std::fs::write(
        last.join("network.yaml"),
        network(
            &[
                "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06",
            ],
            &[
                ("austin", "US", 2400.0),
                ("monterrey", "MX", 2000.0),
                ("shenzhen", "CN", 3000.0),
            ],
            &["cell", "board", "pack"],
        ),
    )
    .unwrap();
    // A month later: the horizon moved on, a Mexican site opened, `board` is gone.
    std::fs::write(
        next.join("network.yaml"),
        network(
            &[
                "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07",
            ],
            &[
                ("austin", "US", 2400.0),
                ("monterrey", "MX", 2000.0),
                ("shenzhen", "CN", 3000.0),
                ("saltillo", "MX", 800.0),
            ],
            &["cell", "pack"],
        ),
    )
    .unwrap();
    let last_out = dir.path().join("out-last");
    solve(&last.join("model.yaml"), &last_out, &[]);
    let cold = solve(
        &next.join("model.yaml"),
        &dir.path().join("cold"),
        &["--solver", "highs-simplex"],
    );
    let warm = solve(
        &next.join("model.yaml"),
        &dir.path().join("warm"),
        &["--warm-start", s(&last_out.join("plan.json"))],
    );
    assert_close(objective(&warm), objective(&cold), "the re-plan");
    assert_eq!(warm["verification"]["passed"], true);
    let w = &warm["metadata"]["warm_start"];
    assert_eq!(w["basis"], true, "{w}");
    // The months both horizons share, of the products and sites both have, matched;
    // January and `board` did not.
    let matched = w["columns_matched"].as_u64().unwrap();
    let named = w["start_columns"].as_u64().unwrap();
    assert!(matched > 0 && matched < named, "{w}");
    assert!(2 * matched >= named, "{w}");
}

/// A sweep's variants, warm (the default) and `--cold`: the same objectives; every
/// variant but the first starts from an earlier one.
#[test]
#[cfg_attr(not(feature = "highs"), ignore = "warm starts need HiGHS")]
fn sweep_variants_warm_and_cold_agree() {
    let dir = tempfile::tempdir().unwrap();
    let run = |cold: bool| {
        let out = dir.path().join(if cold { "cold" } else { "warm" });
        let mut args = vec![
            "sweep",
            "models/baseline.yaml",
            "--vary",
            "policies[critical-usmca-70].min_share=0.6..0.9 step 0.05",
            "--jobs",
            "1",
            "--solver",
            "highs-simplex",
            "--out",
            s(&out),
        ];
        if cold {
            args.push("--cold");
        }
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_allyplan"))
            .args(&args)
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c == 0), "{}", stderr(&o));
        let summary: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        let rows = summary["rows"].as_array().unwrap().clone();
        (out, rows)
    };
    let (warm_dir, warm) = run(false);
    let (cold_dir, cold) = run(true);
    assert_eq!(warm.len(), 7);
    for (w, c) in warm.iter().zip(&cold) {
        assert_eq!(w["status"], c["status"]);
        if let (Some(a), Some(b)) = (w["objective"].as_f64(), c["objective"].as_f64()) {
            assert_close(a, b, w["name"].as_str().unwrap());
        }
        let name = w["output"].as_str().unwrap();
        let warm_plan = plan(&warm_dir.join(name));
        let cold_plan = plan(&cold_dir.join(name));
        assert!(cold_plan["metadata"].get("warm_start").is_none());
        let started = warm_plan["metadata"].get("warm_start");
        if w["index"] == 0 {
            assert!(started.is_none());
        } else if w["status"] == "optimal" {
            let from = started.expect("a warm start")["from"].as_str().unwrap();
            assert!(from.starts_with("entry "), "{from}");
        }
    }
}

/// A backend that takes no start solves cold, and plan.json does not claim otherwise.
#[test]
fn a_backend_without_starts_ignores_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let model = repo().join("models/baseline.yaml");
    let first = dir.path().join("first");
    solve(&model, &first, &["--solver", "microlp"]);
    assert!(first.join("warm-start.txt").is_file(), "values are kept");
    let again = solve(
        &model,
        &dir.path().join("again"),
        &["--solver", "microlp", "--warm-start", s(&first)],
    );
    assert!(
        again["metadata"].get("warm_start").is_none(),
        "{}",
        again["metadata"]
    );
    assert_eq!(again["status"], "optimal");
}
