//! End-to-end tests of `allyplan report` (re-render a saved plan) and `allyplan compare`
//! (what changed between two plans), on the shipped models.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;

mod common;

use common::{allyplan, stderr};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The two shipped models, solved once per test run into one temporary folder.
struct Solved {
    _dir: tempfile::TempDir,
    baseline: PathBuf,
    strict: PathBuf,
    infeasible: PathBuf,
}

fn solved() -> &'static Solved {
    static SOLVED: OnceLock<Solved> = OnceLock::new();
    SOLVED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let baseline = dir.path().join("baseline");
        let strict = dir.path().join("usmca-strict");
        let infeasible = dir.path().join("infeasible");
        for (model, out, code) in [
            ("models/baseline.yaml", &baseline, 0),
            ("models/usmca-strict.yaml", &strict, 0),
            ("tests/fixtures/infeasible/model.yaml", &infeasible, 3),
        ] {
            let o = allyplan(&["--quiet", "solve", model, "--out", s(out)]);
            assert_eq!(o.status.code(), Some(code), "{model}: {}", stderr(&o));
        }
        Solved {
            _dir: dir,
            baseline,
            strict,
            infeasible,
        }
    })
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&read(path)).expect("valid JSON")
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-6 * a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
}

/// The visible files of a folder (not allyplan's manifest), sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------
// report

#[test]
fn report_md_reproduces_what_solve_wrote() {
    let base = &solved().baseline;
    let out = tempfile::tempdir().unwrap();
    let o = allyplan(&[
        "report",
        s(&base.join("plan.json")),
        "--format",
        "md",
        "--out",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        read(&out.path().join("report.md")),
        read(&base.join("report.md")),
        "report.md is a pure function of the plan"
    );
    // Only what was asked for: no plan.json copy, no CSV, no HTML.
    assert_eq!(files_in(out.path()), vec!["report.md".to_string()]);
    assert!(stderr(&o).contains("report.md"), "{}", stderr(&o));
}

#[test]
fn report_into_another_folder_writes_every_format_and_copies_the_plan() {
    let base = &solved().baseline;
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("again");
    let o = allyplan(&["report", s(&base.join("plan.json")), "--out", s(&target)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Same files as solve wrote, byte for byte (plan.json copied verbatim).
    assert_eq!(files_in(&target), files_in(base));
    for name in files_in(base) {
        assert_eq!(read(&target.join(&name)), read(&base.join(&name)), "{name}");
    }
}

#[test]
fn report_in_place_rewrites_reports_but_never_the_plan() {
    let base = &solved().baseline;
    let work = tempfile::tempdir().unwrap();
    let plan = work.path().join("plan.json");
    std::fs::copy(base.join("plan.json"), &plan).unwrap();
    let before = read(&plan);
    // A plan.json alone does not make the folder allyplan's: its reports go elsewhere.
    let o = allyplan(&["--quiet", "report", s(work.path())]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not an allyplan output folder"));
    assert_eq!(files_in(work.path()), ["plan.json"]);
    // With the manifest solve wrote beside it (the reports deleted), it is.
    std::fs::copy(
        base.join(".allyplan-manifest"),
        work.path().join(".allyplan-manifest"),
    )
    .unwrap();
    // A folder works as well as the file.
    let o = allyplan(&["--quiet", "report", s(work.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "--quiet: {}", stderr(&o));
    assert_eq!(read(&plan), before);
    // Every report back; the solve's warm start is not a report (it was not copied).
    let mut reports = files_in(base);
    reports.retain(|f| f != "warm-start.txt");
    assert_eq!(files_in(work.path()), reports);
    for name in [
        "report.md",
        "report.html",
        "production.csv",
        "bloc_shares.csv",
    ] {
        assert_eq!(
            read(&work.path().join(name)),
            read(&base.join(name)),
            "{name}"
        );
    }
    // Several formats at once, comma-separated.
    let out = tempfile::tempdir().unwrap();
    let o = allyplan(&[
        "report",
        s(&plan),
        "--format",
        "csv,html",
        "--out",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names = files_in(out.path());
    assert!(names.contains(&"report.html".to_string()), "{names:?}");
    assert!(names.contains(&"shipments.csv".to_string()), "{names:?}");
    assert!(!names.contains(&"report.md".to_string()), "{names:?}");
    assert!(!names.contains(&"plan.json".to_string()), "{names:?}");
}

#[test]
fn report_of_an_infeasible_plan_has_no_csv() {
    let inf = &solved().infeasible;
    let out = tempfile::tempdir().unwrap();
    let o = allyplan(&["report", s(&inf.join("plan.json")), "--out", s(out.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), files_in(inf));
    assert_eq!(
        read(&out.path().join("report.md")),
        read(&inf.join("report.md"))
    );
    let o = allyplan(&[
        "report",
        s(&inf.join("plan.json")),
        "--format",
        "csv",
        "--out",
        s(&out.path().join("csv")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("no CSV tables"), "{}", stderr(&o));
}

#[test]
fn report_rejects_a_file_that_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("not-a-plan.json");
    std::fs::write(&bogus, "{\"hello\": \"world\"}\n").unwrap();
    let o = allyplan(&["report", s(&bogus)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).contains("not-a-plan.json"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read plan"), "{}", stderr(&o));
    assert_eq!(files_in(dir.path()), vec!["not-a-plan.json".to_string()]);

    let yaml = dir.path().join("model.yaml");
    std::fs::write(&yaml, "name: x\n").unwrap();
    let o = allyplan(&["report", s(&yaml)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).contains("model.yaml"), "{}", stderr(&o));

    let missing = dir.path().join("missing.json");
    let o = allyplan(&["report", s(&missing)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------
// compare

fn compare_shipped() -> &'static (String, Value, String, tempfile::TempDir) {
    static DONE: OnceLock<(String, Value, String, tempfile::TempDir)> = OnceLock::new();
    DONE.get_or_init(|| {
        let sv = solved();
        let out = tempfile::tempdir().unwrap();
        let o = allyplan(&[
            "compare",
            s(&sv.baseline.join("plan.json")),
            s(&sv.strict.join("plan.json")),
            "--out",
            s(out.path()),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let md = String::from_utf8(read(&out.path().join("compare.md"))).unwrap();
        // With --out, stdout holds the summary sentences of compare.md, and where it is.
        let printed = stdout(&o);
        let summary: Vec<&str> = md
            .split("## Summary\n\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap_or("")
            .lines()
            .collect();
        let first: Vec<&str> = printed.lines().take(summary.len()).collect();
        assert_eq!(first, summary, "stdout is compare.md's summary");
        assert!(printed.lines().last().unwrap_or("").contains("compare.md"));
        let cmp = json(&out.path().join("compare.json"));
        let html = String::from_utf8(read(&out.path().join("compare.html"))).unwrap();
        (md, cmp, html, out)
    })
}

#[test]
fn compare_objective_and_cost_deltas_add_up() {
    let sv = solved();
    let (md, cmp, _, _) = compare_shipped();
    let old = json(&sv.baseline.join("plan.json"));
    let new = json(&sv.strict.join("plan.json"));
    let (o, n) = (num(&old["objective"]), num(&new["objective"]));
    close(num(&cmp["objective"]["change"]), n - o, "objective delta");
    close(num(&cmp["objective"]["old"]), o, "old objective");
    close(num(&cmp["objective"]["new"]), n, "new objective");

    let costs = cmp["costs"].as_array().unwrap();
    let total = costs
        .iter()
        .find(|c| c["component"] == "total")
        .expect("a total row");
    let parts: f64 = costs
        .iter()
        .filter(|c| c["component"] != "total")
        .map(|c| num(&c["change"]))
        .sum();
    close(parts, num(&total["change"]), "components sum to the total");
    close(
        num(&total["change"]),
        n - o,
        "total cost delta is the objective delta",
    );
    assert!(md.contains("Total cost rises by"), "{md}");
    assert!(md.contains("▲"), "increases are marked");
    assert!(md.contains("▼"), "decreases are marked");
}

#[test]
fn compare_volume_moved_is_consistent() {
    let sv = solved();
    let (md, cmp, _, _) = compare_shipped();
    let old = json(&sv.baseline.join("plan.json"));
    let new = json(&sv.strict.join("plan.json"));
    let produced = num(&new["kpis"]["produced"]) - num(&old["kpis"]["produced"]);

    let sites = cmp["sites"].as_array().unwrap();
    let site_sum: f64 = sites.iter().map(|x| num(&x["units"]["change"])).sum();
    close(
        site_sum,
        produced,
        "site deltas sum to the production delta",
    );
    close(
        num(&cmp["production"]["change"]),
        produced,
        "production delta",
    );
    let country_sum: f64 = cmp["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| num(&x["units"]["change"]))
        .sum();
    close(
        country_sum,
        produced,
        "country deltas sum to the production delta",
    );

    // Per product: what left sites = moves + net decrease; what arrived = moves + net increase.
    for product in cmp["products"].as_array().unwrap() {
        let name = product["product"].as_str().unwrap();
        let net = num(&product["change"]);
        let (mut down, mut up) = (0.0, 0.0);
        for site in sites {
            for p in site["products"].as_array().unwrap() {
                if p["product"] == name {
                    let d = num(&p["change"]);
                    if d < 0.0 {
                        down -= d;
                    } else {
                        up += d;
                    }
                }
            }
        }
        let moved: f64 = cmp["site_moves"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["product"] == name)
            .map(|m| num(&m["units"]))
            .sum();
        let tol = 1e-4 * down.max(up).max(1.0);
        assert!(
            (down - (moved + (-net).max(0.0))).abs() <= tol,
            "{name}: decreases {down} = moved {moved} + net decrease {net}"
        );
        assert!(
            (up - (moved + net.max(0.0))).abs() <= tol,
            "{name}: increases {up} = moved {moved} + net increase {net}"
        );
    }
    let first = &cmp["site_moves"][0];
    let sentence = format!(
        "units moved from {} ({}) to {} ({})",
        first["from"].as_str().unwrap(),
        first["from_country"].as_str().unwrap(),
        first["to"].as_str().unwrap(),
        first["to_country"].as_str().unwrap()
    );
    assert!(md.contains(&sentence), "{sentence} in\n{md}");
}

#[test]
fn compare_reports_the_stricter_bloc_share_target_and_the_cn_site() {
    let (md, cmp, _, _) = compare_shipped();
    let rows = cmp["bloc_shares"].as_array().unwrap();
    let critical: Vec<&Value> = rows
        .iter()
        .filter(|r| r["old_policy"] == "critical-usmca-70")
        .collect();
    assert!(!critical.is_empty(), "the critical target is matched");
    for r in &critical {
        assert_eq!(r["new_policy"], "critical-usmca-90", "{r}");
        close(num(&r["target_old"]), 0.7, "old target");
        close(num(&r["target_new"]), 0.9, "new target");
    }
    assert!(
        md.contains("critical-usmca-70 → critical-usmca-90 (usmca): target 70.0% → 90.0%"),
        "{md}"
    );
    // The new, softer all-products target appears as new.
    assert!(rows
        .iter()
        .any(|r| r["new_policy"] == "all-usmca-50" && r["presence"] == "new_only"));

    // The Chinese site is in the site and country tables, and the CN exclusion, widened
    // from critical products to everything, is matched across its rename.
    let shenzhen = cmp["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["site"] == "shenzhen")
        .expect("shenzhen is compared");
    assert_eq!(shenzhen["country"], "CN");
    assert!(md.contains("| shenzhen | CN |"), "{md}");
    assert!(md.contains("| CN |"), "{md}");
    assert!(md.contains("no-cn-critical → no-cn-anything"), "{md}");
    let policies = cmp["policies"].as_array().unwrap();
    assert!(policies
        .iter()
        .any(|p| p["old_name"] == "fill-rate-97" && p["new_name"] == "fill-rate-95"));
    assert!(policies
        .iter()
        .any(|p| p["new_name"] == "all-usmca-50" && p["change"] == "newly_binding"));
    // Inputs: the model file changed, the data files did not.
    let inputs = cmp["inputs"].as_array().unwrap();
    assert_eq!(inputs[0]["role"], "model");
    assert_eq!(inputs[0]["change"], "changed");
    assert!(inputs[1..].iter().all(|i| i["change"] == "same"));
}

#[test]
fn compare_md_has_every_section() {
    let (md, _, html, _) = compare_shipped();
    let headings: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.split(':').next().unwrap_or(l))
        .collect();
    assert_eq!(
        headings,
        vec![
            "# Plan comparison",
            "## Summary",
            "## Status and objective",
            "## Cost by component",
            "## Service and operations",
            "## Volume moved",
            "### Production by site",
            "### Production by country",
            "## Bloc shares",
            "## Binding policies",
            "## Shadow prices",
            "## Inputs and run",
        ]
    );
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains("<svg"), "a cost chart");
    assert!(html.contains("▲") && html.contains("▼"));
    for h in [
        "Summary",
        "Cost by component",
        "Volume moved",
        "Bloc shares",
        "Binding policies",
    ] {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "{h}");
    }
}

#[test]
fn compare_a_plan_with_itself_reports_no_changes() {
    let sv = solved();
    let plan = sv.baseline.join("plan.json");
    let o = allyplan(&["compare", s(&plan), s(&plan), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cmp: Value = serde_json::from_str(&stdout(&o)).expect("--json prints JSON");
    assert_eq!(cmp["unchanged"], true);
    assert!(cmp["site_moves"].as_array().unwrap().is_empty());
    assert!(cmp["metadata"].as_array().unwrap().is_empty());
    let o = allyplan(&["compare", s(&plan), s(&plan)]);
    let md = stdout(&o);
    assert!(md.contains("No changes"), "{md}");
    assert!(!md.contains('▲') && !md.contains('▼'), "{md}");
    assert!(md.contains("No production moved between sites."), "{md}");
}

#[test]
fn compare_with_an_infeasible_plan_compares_what_it_can() {
    let sv = solved();
    let o = allyplan(&[
        "compare",
        s(&sv.baseline.join("plan.json")),
        s(&sv.infeasible.join("plan.json")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("Status changed from optimal to infeasible"),
        "{md}"
    );
    assert!(md.contains("The new plan has no solution"), "{md}");
    assert!(md.contains("## Notes"), "{md}");
    assert!(!md.contains("## Cost by component"), "{md}");
}

#[test]
fn compare_rejects_a_file_that_is_not_a_plan() {
    let sv = solved();
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("weird.json");
    std::fs::write(&bogus, "[1, 2, 3]").unwrap();
    let out = dir.path().join("out");
    let o = allyplan(&[
        "compare",
        s(&sv.baseline.join("plan.json")),
        s(&bogus),
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).contains("weird.json"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn plan_json_round_trips_exactly() {
    // Reports are re-rendered from the parsed plan: every number must come back bit for bit.
    for dir in [&solved().baseline, &solved().strict, &solved().infeasible] {
        let path = dir.join("plan.json");
        let plan = allyplan::report::read_plan(&path).expect("read plan.json");
        let again = allyplan::report::plan_json(&plan).expect("serialise");
        assert!(
            again.as_bytes() == read(&path).as_slice(),
            "{} does not round-trip",
            path.display()
        );
    }
}

/// The baseline plan with a small multi-tier network: `ningbo` cells (CN) through the
/// `laredo-dc` hub to `saltillo`, where `monterrey-cells` (MX) supplies `mx_cells` of them.
fn with_network(plan: &Value, mx_cells: f64, rvc: f64) -> Value {
    let node = |id: &str, kind: &str, country: &str, usmca: bool, tier: u32| {
        serde_json::json!({"id": id, "kind": kind, "country": country,
            "blocs": if usmca { vec!["usmca"] } else { vec![] }, "tier": tier})
    };
    let flow = |from: &str, to: &str, product: &str, origin: &str, q: f64, market: bool| {
        serde_json::json!({"from": from, "to": to, "product": product, "origin": origin,
            "to_market": market, "quantity": q})
    };
    let cn = 16_000.0 - mx_cells;
    let mut p = plan.clone();
    p["network"] = serde_json::json!({
        "nodes": [
            node("ningbo", "site", "CN", false, 0),
            node("monterrey-cells", "site", "MX", true, 0),
            node("laredo-dc", "hub", "US", true, 1),
            node("saltillo", "site", "MX", true, 2),
            node("us-east", "market", "US", true, 3),
        ],
        "flows": [
            flow("ningbo", "laredo-dc", "cell-module", "CN", cn, false),
            flow("monterrey-cells", "laredo-dc", "cell-module", "MX", mx_cells, false),
            flow("laredo-dc", "saltillo", "cell-module", "CN", cn, false),
            flow("laredo-dc", "saltillo", "cell-module", "MX", mx_cells, false),
            flow("saltillo", "us-east", "battery-pack", "MX", 4000.0, true),
        ],
        "consumption": [], "resources": [], "throughput": [], "lane_use": [],
        "value_content": [{
            "policy": "rvc-75", "bloc": "usmca", "site": "saltillo", "product": "battery-pack",
            "period": "horizon", "produced": 4000.0, "value": 3.6e7,
            "value_added": 1.2e7, "regional_components": 1.5e6 * mx_cells / 1000.0,
            "other_components": 1.5e6 * cn / 1000.0, "share": rvc, "target": 0.75,
            "margin_points": 100.0 * (rvc - 0.75), "met": rvc >= 0.75, "sources": []
        }]
    });
    p
}

#[test]
fn compare_multi_tier_plans_adds_the_network_section() {
    let sv = solved();
    let base = json(&sv.baseline.join("plan.json"));
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    let write = |path: &Path, v: &Value| {
        std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap()
    };
    write(&old, &with_network(&base, 0.0, 0.68));
    write(&new, &with_network(&base, 12_000.0, 0.8));
    let out = dir.path().join("out");
    let o = allyplan(&["compare", s(&old), s(&new), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // With --out, stdout holds only the headline sentences; the whole comparison is in
    // compare.md.
    let printed = stdout(&o);
    assert!(printed.lines().count() < 20, "{printed}");
    assert!(printed.contains("compare.md"), "{printed}");
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("##")).collect();
    let at = |h: &str| headings.iter().position(|x| *x == h);
    assert!(
        at("## Volume moved") < at("## Network flows"),
        "{headings:?}"
    );
    assert!(
        at("## Network flows") < at("## Bloc shares"),
        "{headings:?}"
    );
    for h in [
        "### Between tiers",
        "### Lanes",
        "### Origin mix",
        "### Regional value content",
    ] {
        assert!(headings.contains(&h), "{h}: {headings:?}");
    }
    assert!(
        md.contains("- Supply moved between sources: 12,000 cell-module units into laredo-dc moved from ningbo (CN) to monterrey-cells (MX)."),
        "{md}"
    );
    assert!(
        md.contains("usmca value content of battery-pack at saltillo (horizon) 68.0% → 80.0% (+12.0 points; usmca share of component value +75.0 points), now meets its 75.0% target"),
        "{md}"
    );

    let cmp = json(&out.join("compare.json"));
    assert_eq!(cmp["unchanged"], false);
    let lanes = cmp["network"]["lanes"].as_array().unwrap();
    assert_eq!(lanes[0]["from"], "monterrey-cells");
    close(num(&lanes[0]["units"]["change"]), 12_000.0, "new supplier");
    assert_eq!(lanes[1]["from"], "ningbo");
    close(num(&lanes[1]["units"]["change"]), -12_000.0, "old supplier");
    let mix = cmp["network"]["origin_mix"].as_array().unwrap();
    let saltillo = mix
        .iter()
        .find(|g| g["receiver"] == "saltillo")
        .expect("saltillo's cells");
    close(
        num(&saltillo["blocs"][0]["points"]),
        75.0,
        "usmca share of cells",
    );
    let html = String::from_utf8(read(&out.join("compare.html"))).unwrap();
    assert!(html.contains("<h2>Network flows</h2>"));
    assert!(
        html.contains("<td class=\"id\">monterrey-cells (MX) → laredo-dc (US)</td>"),
        "a lane row"
    );
    assert!(html.contains(">▲ +12,000</td>"), "its change");
    assert!(
        !html.contains("Change in units moved between tiers"),
        "no tier chart: the tier totals are the same"
    );

    // The same plan with and without its network: the one-tier side is read from its
    // shipments, and a note says so.
    let o = allyplan(&[
        "compare",
        s(&sv.baseline.join("plan.json")),
        s(&old),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cmp: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(cmp["network"]["old_network"], false);
    assert_eq!(cmp["network"]["new_network"], true);
    assert!(cmp["notes"].as_array().unwrap().iter().any(|n| n
        .as_str()
        .unwrap_or("")
        .starts_with("The old plan has one tier")));

    // A multi-tier plan against itself: no changes.
    let o = allyplan(&["compare", s(&new), s(&new), "--json"]);
    let cmp: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(cmp["unchanged"], true);
    assert!(cmp["network"]["supply_moves"]
        .as_array()
        .unwrap()
        .is_empty());
}
