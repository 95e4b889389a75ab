//! Multi-tier networks (format v2): known answers from published models that need its
//! features, hand-checked value-content and origin cases (`tests/fixtures/v2/`, whose
//! README derives every figure), solved by every backend this build has, and what the
//! plan reports about them.

mod common;

use std::path::{Path, PathBuf};

use allyplan::plan::Plan;
use allyplan::{ExitCode, Scenario, SolveRequest};
use common::{assert_close, inventory, load_model, production, shipped_total, unmet_total};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v2/{name}/model.yaml"))
}

fn backends() -> Vec<&'static str> {
    allyplan::BACKENDS
        .iter()
        .copied()
        .filter(|b| *b != "auto")
        .collect()
}

fn solve_with(sc: &Scenario, backend: &str) -> Plan {
    let request = SolveRequest {
        backend: Some(backend.to_string()),
        ..SolveRequest::default()
    };
    let solved = allyplan::solve_scenario(sc, &request);
    assert_eq!(
        solved.exit,
        ExitCode::Ok,
        "{backend}: {:?}",
        solved.plan.message
    );
    let v = solved.plan.verification.as_ref().expect("a verified plan");
    assert!(v.passed, "{backend}: verification failed: {v:#?}");
    solved.plan
}

/// Solves a fixture with every backend and checks the objective against the known
/// answer (relative 1e-6: the interior-point backend stops at that accuracy).
fn solved(name: &str, expected: f64) -> Vec<(&'static str, Plan)> {
    let sc = load_model(&fixture(name));
    backends()
        .into_iter()
        .map(|b| {
            let plan = solve_with(&sc, b);
            let objective = plan.objective.expect("an objective");
            assert!(
                (objective - expected).abs() <= 1e-6 * expected.abs().max(1.0),
                "{name} with {b}: expected {expected}, got {objective}"
            );
            (b, plan)
        })
        .collect()
}

/// Loose enough for the interior-point backend's round-off on unique values.
#[track_caller]
fn near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-4 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

/// Williams, *Model Building in Mathematical Programming*, 12.3 "Factory planning 1":
/// five machine types as named resources with a maintenance schedule, storage of at
/// most 100 of each product, 50 of each in stock at the end. Published profit
/// 93,715.18; allyplan's objective is Σ profit·sales limit − profit = 641,615/28.
#[test]
fn williams_factory_planning() {
    for (b, plan) in solved("factory-planning", 641_615.0 / 28.0) {
        let x = |p: &str, t: &str| production(&plan, "factory", p, t);
        near(x("prod1", "jan"), 500.0, b);
        near(x("prod1", "feb"), 700.0, b);
        near(x("prod1", "jun"), 550.0, b);
        near(x("prod2", "jan"), 6220.0 / 7.0, b);
        near(x("prod3", "jan"), 382.5, b);
        near(inventory(&plan, "factory", "prod3", "jan"), 82.5, b);
        for p in [
            "prod1", "prod2", "prod3", "prod4", "prod5", "prod6", "prod7",
        ] {
            near(inventory(&plan, "factory", p, "jun"), 50.0, b);
        }
        let network = plan.network.as_ref().expect("a multi-tier plan");
        // Every named resource stays within its capacity.
        for r in &network.resources {
            assert!(r.used <= r.capacity + 1e-6, "{b}: {r:?}");
        }
        assert!(network.resources.iter().any(|r| r.resource == "grinder"));
    }
}

/// Williams 12.19 "Distribution 1": two factories, four depots (hubs with throughput),
/// six customers, routes factory→depot, factory→customer and depot→customer. Minimum
/// cost 198,500.
#[test]
fn williams_depot_distribution() {
    for (b, plan) in solved("depot", 198_500.0) {
        let y = |from: &str, to: &str| shipped_total(&plan, from, to, "product");
        near(y("brighton", "birmingham"), 50_000.0, b);
        near(y("brighton", "london"), 55_000.0, b);
        near(y("liverpool", "c1"), 50_000.0, b);
        near(y("liverpool", "c6"), 20_000.0, b);
        near(y("birmingham", "c2"), 10_000.0, b);
        near(y("birmingham", "c4"), 35_000.0, b);
        near(y("london", "c5"), 55_000.0, b);
        near(y("exeter", "c3"), 40_000.0, b);
        near(
            y("liverpool", "exeter") + y("brighton", "exeter"),
            40_000.0,
            "into exeter",
        );
        let network = plan.network.as_ref().expect("a multi-tier plan");
        let birmingham = network
            .throughput
            .iter()
            .find(|r| r.site == "birmingham")
            .expect("birmingham's throughput");
        near(birmingham.arrived, 50_000.0, "birmingham at its throughput");
        assert_eq!(birmingham.capacity, Some(50_000.0));
    }
}

/// OR-Tools' `SimpleMinCostFlowProgram`: a transshipment network with a capacity on
/// every arc (lanes between hubs, one cycle). Minimum cost 150.
#[test]
fn or_tools_min_cost_flow() {
    for (b, plan) in solved("min-cost-flow", 150.0) {
        let y = |from: &str, to: &str| shipped_total(&plan, from, to, "unit");
        near(y("node-0", "node-1"), 12.0, b);
        near(y("node-0", "node-2"), 8.0, b);
        near(y("node-1", "node-2"), 8.0, b);
        near(y("node-1", "node-3"), 4.0, b);
        near(y("node-1", "node-4"), 0.0, b);
        near(y("node-4", "node-2"), 0.0, b);
        assert_close(unmet_total(&plan), 0.0, "all demand met");
        let network = plan.network.as_ref().expect("a multi-tier plan");
        let full = network
            .lane_use
            .iter()
            .find(|r| r.from == "node-1" && r.to == "node-3")
            .expect("lane node-1 → node-3");
        near(full.used, full.capacity, "node-1 → node-3 at capacity");
        // One more unit of capacity on a full lane is worth the detour it saves:
        // node-0 → node-2 (4) instead of node-0 → node-1 → node-2 (4 + 2) saves 2;
        // node-1 → node-3 (2) instead of node-1 → node-2 → node-3 (2 + 1) saves 1.
        if let Some(prices) = &plan.shadow_prices {
            let lane = |from: &str, to: &str| {
                prices
                    .lanes
                    .iter()
                    .find(|l| l.from == from && l.to == to)
                    .map(|l| l.value)
            };
            near(lane("node-0", "node-2").unwrap_or(0.0), 2.0, b);
            near(lane("node-1", "node-3").unwrap_or(0.0), 1.0, b);
        }
    }
}

/// A 75% USMCA value-content rule, worked out by hand: 100 packs need 75 Mexican cells
/// (cells from China are cheaper); 26,150.
#[test]
fn value_content_by_hand() {
    for name in ["rvc-hand", "rvc-hand-hub"] {
        for (b, plan) in solved(name, 26_150.0) {
            let what = format!("{name} with {b}");
            near(
                production(&plan, "mx-cells", "cell", "2027-01"),
                75.0,
                &what,
            );
            near(
                production(&plan, "cn-cells", "cell", "2027-01"),
                125.0,
                &what,
            );
            near(
                production(&plan, "mx-assembly", "pack", "2027-01"),
                100.0,
                &what,
            );
            let network = plan.network.as_ref().expect("a multi-tier plan");
            assert_eq!(network.value_content.len(), 1, "{what}");
            let row = &network.value_content[0];
            assert_eq!(
                (row.site.as_str(), row.product.as_str()),
                ("mx-assembly", "pack")
            );
            near(row.value, 100_000.0, &what);
            near(row.value_added, 50_000.0, &what);
            near(row.regional_components, 25_000.0, &what);
            near(row.other_components, 25_000.0, &what);
            near(row.share.unwrap_or(0.0), 0.75, &what);
            assert!(row.met, "{what}");
            // Chinese cells are half the component value, wherever they pass.
            let cn: f64 = row
                .sources
                .iter()
                .filter(|s| s.country == "CN")
                .map(|s| s.share)
                .sum();
            near(cn, 0.5, &what);
            // One more point of value content costs: dual × 100,000 × 1%.
            if let Some(prices) = &plan.shadow_prices {
                let price = prices
                    .value_content
                    .iter()
                    .find(|p| p.site == "mx-assembly")
                    .expect("a value-content price");
                // Each point needs 1,000 $ more of bloc cells = 5 cells at 22 $ more.
                near(price.cost_per_point, 110.0, &what);
            }
        }
    }
}

/// Units forwarded through a hub keep the origin of the site that made them: Chinese
/// modules through a US hub count as Chinese for a 60% bloc share; 8,000.
#[test]
fn origin_is_kept_through_a_hub() {
    for (b, plan) in solved("forwarding-origin", 8_000.0) {
        near(production(&plan, "mx-plant", "module", "2027-01"), 60.0, b);
        near(production(&plan, "cn-plant", "module", "2027-01"), 40.0, b);
        let cn: f64 = plan
            .sourcing
            .iter()
            .filter(|r| r.country == "CN")
            .map(|r| r.quantity)
            .sum();
        near(cn, 40.0, b);
    }
}

/// Where no policy tracks origin, the plan still names the origin of what a hub
/// forwards: each sender's mix of origin countries (here exact: the hub receives 60
/// Chinese and 40 Mexican units and forwards all 100).
#[test]
fn flows_through_a_hub_name_their_origins_without_a_policy() {
    let data = "
        periods: [2027-01]
        products:
          - {id: module, unit_value: 100}
        sites:
          - {id: cn-plant, country: CN, capacity: 60, products: {module: {rate: 1, cost: 50}}}
          - {id: mx-plant, country: MX, capacity: 60, products: {module: {rate: 1, cost: 80}}}
          - {id: us-dc, country: US, kind: hub}
        markets:
          - {id: us-east, country: US}
        lanes:
          - {from: cn-plant, to: us-dc, cost: 10}
          - {from: mx-plant, to: us-dc, cost: 5}
          - {from: us-dc, to: us-east, cost: 5}
        demand:
          - {market: us-east, product: module, quantity: [100]}
    ";
    let sc = common::scenario("name: hub-origin\n", data);
    let plan = solve_with(&sc, "microlp");
    let network = plan.network.as_ref().expect("a multi-tier plan");
    let forwarded = |origin: &str| -> f64 {
        network
            .flows
            .iter()
            .filter(|f| f.from == "us-dc" && f.to_market && f.origin.as_deref() == Some(origin))
            .map(|f| f.quantity)
            .sum()
    };
    near(forwarded("CN"), 60.0, "Chinese modules forwarded");
    near(forwarded("MX"), 40.0, "Mexican modules forwarded");
    // Nodes come by tier: plants, then the hub, then the market.
    let tier = |id: &str| network.nodes.iter().find(|n| n.id == id).map(|n| n.tier);
    assert_eq!(
        (tier("cn-plant"), tier("us-dc"), tier("us-east")),
        (Some(0), Some(1), Some(2))
    );
}

/// The shipped two-tier example: its value-content rule binds, Chinese cells are
/// bought only as far as the rule allows, and the findings describe the network in
/// words (a site that loads only named resources is not called idle).
#[test]
fn shipped_two_tier_example() {
    let sc = load_model(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/two-tier.yaml"));
    let plan = solve_with(&sc, "microlp");
    near(
        plan.objective.unwrap_or(0.0),
        162_034_459.79,
        "two-tier objective",
    );
    let network = plan.network.as_ref().expect("a multi-tier plan");
    assert!(
        network.value_content.iter().all(|r| r.met),
        "every window meets the rule"
    );
    let tightest = network
        .value_content
        .iter()
        .filter_map(|r| r.margin_points)
        .fold(f64::INFINITY, f64::min);
    near(tightest, 0.0, "the rule binds somewhere");
    let findings = allyplan::report::plan::findings::findings(&plan);
    assert!(
        findings.iter().any(|f| f.contains("meets USMCA RVC 75%")),
        "{findings:#?}"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.contains("Not used at all") && f.contains("ningbo-cells")),
        "ningbo-cells makes cells with named resources only: {findings:#?}"
    );
}

/// A sweep of the value-content target: cost rises with it, and the summary reports the
/// worst row against each target.
#[test]
fn sweep_of_the_value_content_target() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("sweep");
    let o = common::allyplan(&[
        "sweep",
        "models/two-tier.yaml",
        "--vary",
        "policies[usmca-rvc-75].min_share=0.6..0.8 step 0.1",
        "--out",
        out.to_str().expect("a UTF-8 path"),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    let summary: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let rows = summary["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    let mut last = 0.0;
    for (row, target) in rows.iter().zip([0.6, 0.7, 0.8]) {
        let cost = row["objective"].as_f64().expect("a cost");
        assert!(
            cost > last,
            "cost rises with the target: {cost} after {last}"
        );
        last = cost;
        let v = &row["value_content"][0];
        assert_eq!(v["policy"], "usmca-rvc-75");
        near(v["target"].as_f64().unwrap_or(0.0), target, "target");
        // The rule binds: its worst row sits on the target.
        near(v["worst"].as_f64().unwrap_or(0.0), target, "worst row");
        assert_eq!(v["rows_met"], v["rows"]);
    }
    let csv = std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
    assert!(csv
        .lines()
        .next()
        .is_some_and(|h| h.contains("value_content_worst:usmca-rvc-75")));
}
