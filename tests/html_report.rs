//! The HTML report: self-contained, escapes every id, has every chart, renders plans
//! without a solution, and is deterministic.

mod common;

use std::path::Path;

use allyplan::plan::{Plan, PlanStatus};
use allyplan::report::plan::html;
use allyplan::SolveRequest;
use common::{load_model, scenario};

const SITE: &str = "<b>&\"x\"";
const MARKET: &str = "<script>alert(1)</script>";

/// Two periods, three sites (one with a hostile id), one market whose id is a script tag,
/// a bloc-share target per period, and too little capacity in p2 (so some demand goes
/// unmet and overtime is used).
fn hostile_plan(backend: &str) -> Plan {
    let sc = scenario(
        r#"
        blocs: {usmca: [US, MX, CA]}
        objective: {unmet_penalty: 500}
        policies:
          - {name: "usmca-60 <i>", kind: min_bloc_share, bloc: usmca, min_share: 0.6, products: all, per: period}
          - {name: ramp, kind: ramp_limit, max_change: 0.5}
        "#,
        r#"
        periods: ["2027-01", "2027-02"]
        products:
          - {id: "módulo 'α'", critical: true}
        sites:
          - id: '<b>&"x"'
            country: US
            capacity: [100, 100]
            overtime: {capacity: 20, cost: 30}
            products: {"módulo 'α'": {rate: 1, cost: 10}}
          - id: mx-plant
            country: MX
            capacity: 60
            products: {"módulo 'α'": {rate: 1, cost: 8}}
          - id: overseas
            country: VN
            capacity: 100
            products: {"módulo 'α'": {rate: 1, cost: 2}}
        markets: [{id: "<script>alert(1)</script>", country: US}]
        lanes:
          - {from: '<b>&"x"', to: "<script>alert(1)</script>", cost: 1}
          - {from: mx-plant, to: "<script>alert(1)</script>", cost: 2}
          - {from: overseas, to: "<script>alert(1)</script>", cost: 3, tariff: 0.1}
        demand:
          - {market: "<script>alert(1)</script>", product: "módulo 'α'", quantity: [150, 420]}
        "#,
    );
    let request = SolveRequest {
        backend: Some(backend.to_string()),
        ..SolveRequest::default()
    };
    let plan = allyplan::solve_scenario(&sc, &request).plan;
    assert_eq!(plan.status, PlanStatus::Optimal, "{:?}", plan.message);
    assert!(plan.kpis.as_ref().is_some_and(|k| k.unmet > 1.0));
    plan
}

fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for needle in [
        "http://", "https://", "<script", "<link", "<img", "<iframe", "@import", "url(", "src=",
    ] {
        assert!(
            !html.to_lowercase().contains(needle),
            "the page refers to something outside itself: {needle}"
        );
    }
}

#[test]
fn hostile_ids_render_as_text() {
    let plan = hostile_plan("clarabel");
    let html = html::render(&plan);
    assert_self_contained(&html);
    assert!(!html.contains(SITE), "raw site id in the page");
    assert!(!html.contains(MARKET), "raw market id in the page");
    assert!(!html.contains("<i>"), "raw policy name in the page");
    assert!(html.contains("&lt;b&gt;&amp;&quot;x&quot;"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("usmca-60 &lt;i&gt;"));
    assert!(html.contains("módulo &#39;α&#39;"));
}

/// Every chart: cost, one per site, production, one bloc-share chart per market, unmet.
#[test]
fn every_chart_is_present() {
    let plan = hostile_plan("clarabel");
    let html = html::render(&plan);
    let svgs = html.matches("<svg").count();
    assert_eq!(svgs, 1 + plan.sites.len() + 1 + 1 + 1, "charts in the page");
    for section in [
        "id=\"cost\"",
        "id=\"load\"",
        "id=\"production\"",
        "id=\"bloc\"",
        "id=\"unmet\"",
        "id=\"shipments\"",
        "id=\"policies\"",
        "id=\"prices\"",
        "id=\"verification\"",
        "id=\"run\"",
    ] {
        assert!(html.contains(section), "missing section {section}");
    }
    assert!(html.contains("One more capacity unit") || html.contains("One more point"));
    // Tooltips on chart marks.
    assert!(html.contains("<title>"));
}

#[test]
fn plans_without_duals_say_why() {
    let plan = hostile_plan("microlp");
    assert!(plan.shadow_prices.is_none());
    let html = html::render(&plan);
    assert_self_contained(&html);
    assert!(html.contains("No shadow prices in this plan"));
}

#[test]
fn a_plan_without_a_solution_renders_its_status() {
    let sc = load_model(Path::new("tests/fixtures/infeasible/model.yaml"));
    let plan = allyplan::solve_scenario(&sc, &SolveRequest::default()).plan;
    assert_eq!(plan.status, PlanStatus::Infeasible);
    let html = html::render(&plan);
    assert_self_contained(&html);
    assert!(html.contains("infeasible"));
    assert!(html.contains("Run</h2>"));
    assert!(!html.contains("<svg"), "no charts without a solution");
}

#[test]
fn output_is_deterministic() {
    let plan = hostile_plan("clarabel");
    let first = html::render(&plan);
    assert_eq!(first, html::render(&plan.clone()));
    // A plan solved again renders the same (apart from the run times it records).
    let mut again = hostile_plan("clarabel");
    again.metadata = plan.metadata.clone();
    assert_eq!(first, html::render(&again));
}

#[test]
fn the_baseline_renders_with_both_backends() {
    let sc = load_model(Path::new("models/baseline.yaml"));
    for backend in ["clarabel", "microlp"] {
        let request = SolveRequest {
            backend: Some(backend.to_string()),
            ..SolveRequest::default()
        };
        let plan = allyplan::solve_scenario(&sc, &request).plan;
        assert_eq!(plan.status, PlanStatus::Optimal);
        let html = html::render(&plan);
        assert_self_contained(&html);
        // cost + 9 sites + production + 4 markets' bloc share (all demand is served).
        assert_eq!(html.matches("<svg").count(), 1 + 9 + 1 + 4, "{backend}");
        assert!(html.contains("All demand is served"));
    }
}

#[test]
fn write_all_writes_the_html_report() {
    let plan = hostile_plan("clarabel");
    let dir = tempfile::tempdir().expect("temporary directory");
    let written = allyplan::report::write_all(&plan, dir.path()).expect("write the reports");
    assert!(written.iter().any(|p| p.ends_with("report.html")));
    let text = std::fs::read_to_string(dir.path().join("report.html")).expect("read it back");
    assert_eq!(text, html::render(&plan));
}

/// The page shows the plan's own numbers: Sailco's published optimum on the cost card and
/// its quarter-3 load (40 regular + 35 overtime boats), and on the baseline each market's
/// bloc share against its target, as the plan has them.
#[test]
fn the_page_shows_the_plans_numbers() {
    let sc = load_model(Path::new("tests/fixtures/sailco/model.yaml"));
    let plan = allyplan::solve_scenario(&sc, &SolveRequest::default()).plan;
    let html = html::render(&plan);
    assert!(html.contains("Total $78.5K ($78,450), by component."));
    assert!(html.contains(
        "sailco · q3: load 75 (188% of regular capacity); regular capacity 40; overtime 35 of 1,000 allowed"
    ));

    let sc = load_model(Path::new("models/baseline.yaml"));
    let plan = allyplan::solve_scenario(&sc, &SolveRequest::default()).plan;
    let html = html::render(&plan);
    assert!(!plan.bloc_shares.is_empty());
    for row in &plan.bloc_shares {
        let Some(share) = row.share else { continue };
        let shown = format!(
            "{} · {}: {:.1}% (target {:.1}%)",
            row.product,
            row.period,
            100.0 * share,
            100.0 * row.target
        );
        assert!(html.contains(&shown), "missing `{shown}`");
    }
}
