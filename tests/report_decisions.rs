//! Decisions over the horizon in the documents: `report.md`, `report.html`, the CSV
//! tables and the comparison of two plans, on the smoke model of
//! `tests/fixtures/decisions/smoke/` (optimum $4,820: site b opens in p1 and builds
//! line-2 in p2; its take-or-pay contract falls 120 units short). Integer models need
//! HiGHS.
#![cfg(feature = "highs")]

mod common;

use std::path::{Path, PathBuf};

use allyplan::plan::{Plan, PlanStatus};
use allyplan::report::plan::{csv, html, markdown};
use allyplan::{ExitCode, Scenario, SolveRequest};
use common::load_model;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decisions/smoke")
}

/// The smoke model with its data file edited by `edit`, in a temporary folder.
fn smoke_with(edit: impl Fn(&str) -> String) -> Scenario {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(fixture().join("model.yaml"), dir.path().join("model.yaml"))
        .expect("copy model.yaml");
    let data = std::fs::read_to_string(fixture().join("data.yaml")).expect("read data.yaml");
    std::fs::write(dir.path().join("data.yaml"), edit(&data)).expect("write data.yaml");
    load_model(&dir.path().join("model.yaml"))
}

fn solve(sc: &Scenario) -> Plan {
    let request = SolveRequest {
        backend: Some("highs".to_string()),
        ..SolveRequest::standard()
    };
    let solved = allyplan::solve_scenario(sc, &request);
    assert_eq!(solved.exit, ExitCode::Ok, "{:?}", solved.plan.message);
    assert_eq!(solved.plan.status, PlanStatus::Optimal);
    solved.plan
}

fn smoke() -> Plan {
    let plan = solve(&load_model(&fixture().join("model.yaml")));
    assert_eq!(plan.objective, Some(4820.0));
    plan
}

fn table<'a>(tables: &'a [(String, String)], name: &str) -> &'a str {
    tables
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// The MIP line with its node count (which may differ between machines) as `N`.
fn mip_line(md: &str) -> String {
    let line = md
        .lines()
        .find(|l| l.starts_with("MIP: "))
        .expect("a MIP line");
    let (head, tail) = line.split_once(" node").expect("a node count");
    let (head, nodes) = head.rsplit_once(' ').expect("a node count");
    assert!(nodes.chars().all(|c| c.is_ascii_digit() || c == ','));
    let tail = tail.strip_prefix('s').unwrap_or(tail);
    format!("{head} N nodes{tail}")
}

#[test]
fn markdown_has_the_timeline_the_values_and_the_mip_search() {
    let md = markdown::render(&smoke());
    assert_eq!(
        mip_line(&md),
        "MIP: 0% gap (asked for 0.01%), N nodes, best bound $4,820."
    );
    // In report order: the cost breakdown, then the decisions, then utilization.
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{md}"));
    assert!(at("## Cost breakdown") < at("## Decisions"));
    assert!(at("## Decisions") < at("## Utilization by site"));
    for line in [
        "| p1 | open | b | – | – | $200.00 |",
        "| p2 | build | b | line-2 | 50 | $300.00 |",
        "- Building line-2 at b in p2 saves $365 over the horizon against the best plan without it.",
        "| build line-2 at b | yes | p2 | $5,185 | $4,820 | $365.00 |",
        "| open b | yes | p1 | $249,135 | $4,820 | $244,315 |",
        "Every expansion is built.",
        "| b | ● | ● | ● | $150.00 |",
        "| b | widget | 30 | 3 | 0 | 380 |",
        "| b-take | b | horizon | 380 | 500 | – | 120 | $240.00 |",
        // Findings.
        "- Builds line-2 at b in p2 ($300): saves $365 over the horizon against the best plan without it.",
        "- Opens b in p1 ($200): saves $244K over the horizon against the best plan without it.",
        "- Contract b-take ships 380 of its 500 minimum: pays $240.00 for the shortfall.",
        "Shadow prices from the LP with every integer decision fixed at its optimal value.",
    ] {
        assert!(
            md.lines().any(|l| l == line),
            "no line {line:?} in\n{md}"
        );
    }
}

#[test]
fn a_plan_stopped_at_the_time_limit_says_so() {
    let mut plan = smoke();
    plan.status = PlanStatus::TimeLimit;
    let mip = plan
        .decisions
        .as_mut()
        .and_then(|d| d.mip.as_mut())
        .expect("a MIP result");
    mip.gap = 0.012;
    mip.nodes = 1234;
    let md = markdown::render(&plan);
    assert!(md.contains(
        "\nMIP: stopped at the time limit with 1.2% gap (asked for 0.01%), 1,234 nodes, best bound $4,820.\n"
    ));
    assert!(md.contains(
        "- The MIP search stopped at the time limit with 1.2% gap: the plan may cost up to that much more than the optimum (best bound $4,820).\n"
    ));
    let page = html::render(&plan);
    assert!(page.contains("<div class=\"k\">MIP gap</div><div class=\"v\">1.2%</div>"));
    assert!(page.contains("stopped at the time limit · asked for 0.01% · 1,234 nodes"));
}

#[test]
fn html_has_the_timeline_chart_the_tables_and_a_contents_entry() {
    let page = html::render(&smoke());
    for needle in [
        "<a href=\"#decisions\">Decisions</a>",
        "<h2 id=\"decisions\">Decisions over the horizon</h2>",
        "<p class=\"note\">MIP: 0% gap (asked for 0.01%), ",
        "<div class=\"k\">MIP gap</div><div class=\"v\">0%</div>",
        "aria-label=\"Decisions over the horizon by site\"",
        // One lane (b), open in every period, line-2 built in p2.
        "<title>b</title>b</text>",
        "<title>b · p1: open</title>",
        "<title>b · p3: open</title>",
        ">line-2</text>",
        "<tr><td class=\"id\">p2</td><td class=\"id\">build</td><td class=\"id\">b</td><td class=\"id\">line-2</td><td class=\"num\">50</td><td class=\"num\">$300.00</td></tr>",
        "<li>Building line-2 at b in p2 saves $365 over the horizon against the best plan without it.</li>",
        "<li>Builds line-2 at b in p2 ($300): saves $365 over the horizon against the best plan without it.</li>",
        "Shadow prices from the LP with every integer decision fixed at its optimal value.",
    ] {
        assert!(page.contains(needle), "no {needle:?} in the page");
    }
    // Site a has no decision: no lane.
    assert!(!page.contains("<title>a · p1: open"));
    assert!(!page.contains("<title>a</title>"));
}

#[test]
fn csv_tables_of_the_decisions() {
    let tables = csv::tables(&smoke()).expect("tables");
    assert_eq!(
        table(&tables, "decisions.csv"),
        "period,action,site,expansion,fraction,capacity,cost\n\
         p1,open,b,,,,200\n\
         p2,build,b,line-2,1,50,300\n"
    );
    assert_eq!(
        table(&tables, "expansions.csv"),
        "site,expansion,resource,capacity,cost,from,built_in,fraction\n\
         b,line-2,default,50,300,p2,p2,1\n"
    );
    assert_eq!(
        table(&tables, "site_states.csv").lines().nth(2),
        Some("b,p2,true,50")
    );
    assert_eq!(
        table(&tables, "runs.csv").lines().nth(2),
        Some("b,widget,p2,30,true,142.5")
    );
    assert_eq!(
        table(&tables, "contracts.csv"),
        "contract,site,window,shipped,min,max,shortfall,shortfall_cost,shortfall_paid\n\
         b-take,b,horizon,380,500,,120,2,240\n"
    );
    assert_eq!(
        table(&tables, "decision_values.csv").lines().take(2).collect::<Vec<_>>(),
        [
            "decision,taken,period,without,with,saves,sentence",
            "build line-2 at b,true,p2,5185,4820,365,building line-2 at b in p2 saves $365 over the horizon against the best plan without it",
        ]
    );
}

#[test]
fn a_plan_without_decisions_keeps_its_tables_and_sections() {
    let sc =
        load_model(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sailco/model.yaml"));
    let plan = common::solve(&sc);
    assert!(plan.decisions.is_none());
    let names: Vec<String> = csv::tables(&plan)
        .expect("tables")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for name in [
        "decisions.csv",
        "expansions.csv",
        "site_states.csv",
        "runs.csv",
        "contracts.csv",
        "decision_values.csv",
    ] {
        assert!(!names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    assert!(!markdown::render(&plan).contains("## Decisions"));
    let page = html::render(&plan);
    assert!(!page.contains("#decisions") && !page.contains("MIP gap"));
}

#[test]
fn hostile_site_ids_are_escaped_everywhere() {
    let plan = solve(&smoke_with(|data| {
        data.replace("id: b\n", "id: \"<b>&x|y\"\n")
            .replace("{from: b,", "{from: \"<b>&x|y\",")
            .replace("site: b,", "site: \"<b>&x|y\",")
    }));
    assert_eq!(plan.objective, Some(4820.0));
    let md = markdown::render(&plan);
    assert!(!md.contains("<b>"), "raw id in report.md");
    assert!(md.contains("| p2 | build | &lt;b&gt;&amp;x\\|y | line-2 | 50 | $300.00 |"));
    assert!(md.contains(
        "- Builds line-2 at &lt;b&gt;&amp;x\\|y in p2 ($300): saves $365 over the horizon against the best plan without it."
    ));
    assert!(md.contains("- Building line-2 at &lt;b&gt;&amp;x\\|y in p2 saves $365"));
    let page = html::render(&plan);
    assert!(!page.contains("<b>&x"), "raw id in report.html");
    assert!(page.contains("<title>&lt;b&gt;&amp;x|y · p2: open</title>"));
    assert!(page.contains("<td class=\"id\">&lt;b&gt;&amp;x|y</td><td class=\"id\">line-2</td>"));
    assert!(page.contains("<li>Builds line-2 at &lt;b&gt;&amp;x|y in p2 ($300): saves $365"));
    let tables = csv::tables(&plan).expect("tables");
    assert!(table(&tables, "decisions.csv").contains("\np2,build,<b>&x|y,line-2,1,50,300\n"));
}

#[test]
fn a_saved_plan_renders_the_same_decisions() {
    let plan = smoke();
    let json = allyplan::report::plan_json(&plan).expect("plan.json");
    let back: Plan = serde_json::from_str(&json).expect("read back");
    assert_eq!(markdown::render(&back), markdown::render(&plan));
    assert_eq!(html::render(&back), html::render(&plan));
}

#[test]
fn compare_names_the_build_that_is_dropped_and_the_shortfall() {
    let old = smoke();
    // At $100,000 line-2 does not pay: the plan makes more at a and ships less from b.
    let new = solve(&smoke_with(|data| {
        data.replace("cost: 300, from: p2", "cost: 100000, from: p2")
    }));
    assert_eq!(new.objective, Some(5185.0));
    let c = allyplan::compare(&old, &new);
    assert!(!c.unchanged);
    let d = c.decisions.as_ref().expect("a decisions part");
    assert_eq!(d.changes.len(), 1);
    let md = allyplan::report::compare::markdown::render(&c);
    for line in [
        "## Decisions",
        "- line-2 at b: built in p2 → not built",
        "- contract b-take: 120 → 215 units short of its minimum ($240.00 → $430.00 paid)",
        "- Decisions over the horizon: 2 differ, e.g. line-2 at b: built in p2 → not built.",
    ] {
        assert!(md.lines().any(|l| l == line), "no line {line:?} in\n{md}");
    }
    let page = allyplan::report::compare::html::render(&c);
    assert!(page.contains("<li>line-2 at b: built in p2 → not built</li>"));
    let json = allyplan::report::compare::json(&c).expect("compare.json");
    assert!(json.contains("\"decisions\": {"));
    // A plan against itself: nothing differs.
    let same = allyplan::compare(&old, &old);
    assert!(same.unchanged);
    let md = allyplan::report::compare::markdown::render(&same);
    assert!(md.contains("- Every build, opening, closing and contract shortfall is the same.\n"));
}

#[test]
fn a_plan_with_no_open_or_build_decision_has_no_timeline() {
    // As for a model whose only integer rules are minimum runs and contracts.
    let mut plan = smoke();
    let d = plan.decisions.as_mut().expect("decisions");
    d.timeline.clear();
    d.expansions.clear();
    d.sites.clear();
    d.values.clear();
    let md = markdown::render(&plan);
    assert!(md.contains("\n## Decisions\n\nMIP: 0% gap (asked for 0.01%), "));
    assert!(!md.contains("### Timeline") && !md.contains("### Open or closed"));
    assert!(md.contains("\n### Minimum runs\n"));
    assert!(!html::render(&plan).contains("aria-label=\"Decisions over the horizon by site\""));
    // With an expansion that could be built and is not, the timeline says so.
    let mut plan = smoke();
    let d = plan.decisions.as_mut().expect("decisions");
    d.timeline.clear();
    let md = markdown::render(&plan);
    assert!(md.contains("### Timeline\n\nNothing is built, opened or closed over the horizon.\n"));
}
