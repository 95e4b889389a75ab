//! Stranded stock: a site forced to produce (a `site_volume` or `load_band` minimum) with
//! nowhere to store at a cost piles up stock that never ships. `validate` warns about the
//! site; the plan lists the stock, and the reports say so.
//!
//! The fixture `tests/fixtures/stranded/`, by hand: three months, demand for bearings at
//! us-east [0, 2000, 2000]. ningbo (CN) must make at least 3,000 a month ($5 each) and has
//! no inventory block; its lane takes a month ($2), so what leaves in 2027-03 would arrive
//! after the horizon. busan (KR, $8, lane $3) holds 300 bearings from the start.
//!
//! ningbo makes exactly 3,000 a month (9,000) and ships the cheapest 4,000 (2,000 in each
//! of 2027-01 and 2027-02); busan's 300 would cost $3 a unit to ship instead of ningbo's
//! $2, so they stay. Stock at ningbo: 1,000, 2,000, then 5,000 at the end of 2027-03, all
//! made and never shipped; busan ends with its 300, none made. Cost 9,000 × 5 + 4,000 × 2
//! = 53,000.

mod common;

use std::path::Path;

use allyplan::plan::{Plan, StrandedRow};
use allyplan::report::plan::{csv, findings::findings, markdown};
use common::{allyplan, load_model, objective, solve, stderr};

const MODEL: &str = "tests/fixtures/stranded/model.yaml";

const WARNING: &str = "tests/fixtures/stranded/data.yaml:8:5: warning: sites[0].id: site `ningbo` must produce (site_volume `ningbo-contract`: at least 3,000 units every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock (add `inventory: {holding_cost: {bearing: …}, capacity: …}` to the site, so that stock has a cost and a limit)";

fn stranded_plan() -> Plan {
    solve(&load_model(&common::repo().join(MODEL)))
}

fn row(site: &str, initial: f64, produced: f64, shipped: f64, end: f64) -> StrandedRow {
    StrandedRow {
        site: site.to_string(),
        product: "bearing".to_string(),
        period: "2027-03".to_string(),
        initial,
        produced,
        shipped,
        end_stock: end,
        never_shipped: (end - initial).max(0.0),
    }
}

#[test]
fn validate_warns_about_a_forced_site_without_storage() {
    let out = allyplan(&["validate", MODEL]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "{WARNING}\n{MODEL}: valid (3 periods, 2 sites, 1 markets, 1 products, 2 lanes, 1 policies, 1 warning)\n"
        )
    );
}

#[test]
fn the_plan_lists_stranded_stock_worked_out_by_hand() {
    let plan = stranded_plan();
    common::assert_close(objective(&plan), 53_000.0, "cost");
    assert_eq!(
        plan.stranded,
        vec![
            row("ningbo", 0.0, 9000.0, 4000.0, 5000.0),
            row("busan", 300.0, 0.0, 0.0, 300.0),
        ]
    );
    let kpis = plan.kpis.as_ref().expect("an optimal plan has KPIs");
    assert_eq!(kpis.stranded_stock, 5300.0);
    assert_eq!(kpis.unmet, 0.0);
}

#[test]
fn the_reports_say_so() {
    let plan = stranded_plan();
    let list = findings(&plan);
    assert_eq!(
        list[..3],
        [
            "All demand is served.",
            "ningbo made 5,000 units of bearing that never shipped: 5,000 units sit in stock at the end of 2027-03.",
            "busan never shipped 300 units of its initial stock of bearing: they sit in stock at the end of 2027-03.",
        ]
    );
    let md = markdown::render(&plan);
    assert!(md.contains(
        "## Stranded stock\n\n\
         Stock still held at the end of the horizon (2027-03): made, or held from the start, and never shipped.\n\n\
         | Site | Product | Initial | Made | Shipped | End stock | Made, never shipped |\n\
         |---|---|---:|---:|---:|---:|---:|\n\
         | ningbo | bearing | 0 | 9,000 | 4,000 | 5,000 | 5,000 |\n\
         | busan | bearing | 300 | 0 | 0 | 300 | 0 |\n\n"
    ), "{md}");
    let tables = csv::tables(&plan).unwrap();
    let stranded = tables
        .iter()
        .find(|(name, _)| name == "stranded.csv")
        .map(|(_, text)| text.as_str());
    assert_eq!(
        stranded,
        Some(
            "site,product,period,initial,produced,shipped,end_stock,never_shipped\n\
             ningbo,bearing,2027-03,0,9000,4000,5000,5000\n\
             busan,bearing,2027-03,300,0,0,300,0\n"
        )
    );
    let html = allyplan::report::plan::html::render(&plan);
    assert!(html.contains("<a href=\"#stranded\">Stranded stock</a>"));
    assert!(html.contains("<h2 id=\"stranded\">Stranded stock</h2><p class=\"lead\">5,300 units still held at the end of the horizon (2027-03)"));
    assert!(html.contains("<li>ningbo made 5,000 units of bearing that never shipped: 5,000 units sit in stock at the end of 2027-03.</li>"));
    // plan.json carries it, and reads back the same.
    let json = allyplan::report::plan_json(&plan).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back.stranded, plan.stranded);
}

#[test]
fn a_shipped_model_without_stranded_stock_shows_none() {
    let plan = solve(&load_model(
        &common::repo().join("models/usmca-strict.yaml"),
    ));
    assert!(plan.stranded.is_empty(), "{:?}", plan.stranded);
    assert_eq!(plan.kpis.as_ref().unwrap().stranded_stock, 0.0);
    assert!(!findings(&plan).iter().any(|f| f.contains("never shipped")));
    assert!(!markdown::render(&plan).contains("Stranded"));
    assert!(!allyplan::report::plan::html::render(&plan).contains("stranded"));
    let tables = csv::tables(&plan).unwrap();
    assert!(!tables.iter().any(|(name, _)| name == "stranded.csv"));
    // Nothing new in plan.json either: no `stranded` list, no `stranded_stock` KPI.
    let json = allyplan::report::plan_json(&plan).unwrap();
    assert!(
        !json.contains("stranded"),
        "plan.json mentions stranded stock"
    );
}

/// Writes the fixture's data with `edit` applied and a model with `policies`, and returns
/// the warnings `validate` gives.
fn warnings(policies: &str, edit: impl Fn(&str) -> String) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let data =
        std::fs::read_to_string(common::repo().join("tests/fixtures/stranded/data.yaml")).unwrap();
    std::fs::write(dir.path().join("data.yaml"), edit(&data)).unwrap();
    let model = dir.path().join("model.yaml");
    std::fs::write(&model, format!("data: [data.yaml]\npolicies:\n{policies}")).unwrap();
    let (_, diags) = allyplan::check(Path::new(&model)).expect("valid input");
    diags
        .sorted()
        .iter()
        .map(|d| format!("{}: {}", d.loc.key, d.message))
        .collect()
}

const CONTRACT: &str = "  - {name: contract, kind: site_volume, site: ningbo, min: 3000}\n";

#[test]
fn the_warning_needs_a_forced_site_with_free_unlimited_storage_and_periods() {
    let same = |d: &str| d.to_string();
    assert_eq!(
        warnings(CONTRACT, same),
        ["sites[0].id: site `ningbo` must produce (site_volume `contract`: at least 3,000 units every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock"]
    );
    // A load_band minimum forces every site in scope: ningbo and busan. busan has an
    // inventory block, but it sets no holding cost or capacity.
    assert_eq!(
        warnings("  - {name: band, kind: load_band, min: 0.25}\n", same),
        [
            "sites[0].id: site `ningbo` must produce (load_band `band`: at least 25% of its capacity every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock",
            "sites[1].id: site `busan` must produce (load_band `band`: at least 25% of its capacity every period) but its `inventory` block sets no `holding_cost` or `capacity`: whatever it cannot ship piles up as free, unlimited stock",
        ]
    );
    // No warning: no minimum, a minimum of 0, a holding cost, a storage capacity, one period.
    assert!(warnings("  - {kind: site_volume, site: ningbo, max: 3000}\n", same).is_empty());
    assert!(warnings("  - {kind: load_band, min: 0, max: 0.9}\n", same).is_empty());
    let priced = |d: &str| {
        d.replace(
            "      bearing: {rate: 1, cost: 5}\n",
            "      bearing: {rate: 1, cost: 5}\n    inventory: {holding_cost: {bearing: 0.5}}\n",
        )
    };
    assert!(warnings(CONTRACT, priced).is_empty());
    let capped = |d: &str| {
        d.replace(
            "      bearing: {rate: 1, cost: 5}\n",
            "      bearing: {rate: 1, cost: 5}\n    inventory: {capacity: 100}\n",
        )
    };
    assert!(warnings(CONTRACT, capped).is_empty());
    let one_period = |d: &str| {
        d.replace("[2027-01, 2027-02, 2027-03]", "[2027-01]")
            .replace("[0, 2000, 2000]", "[2000]")
            .replace("lead_time: 1", "lead_time: 0")
    };
    assert!(warnings(CONTRACT, one_period).is_empty());
}

#[test]
fn beyond_three_piles_the_rest_are_counted() {
    let mut plan = stranded_plan();
    for (site, end) in [("a", 40.0), ("b", 700.0), ("c", 60.4)] {
        plan.stranded.push(row(site, 0.0, end, 0.0, end));
    }
    let list = findings(&plan);
    let stranded: Vec<&str> = list
        .iter()
        .map(String::as_str)
        .filter(|f| f.contains("never shipped") || f.contains("unshipped"))
        .collect();
    assert_eq!(
        stranded,
        [
            "ningbo made 5,000 units of bearing that never shipped: 5,000 units sit in stock at the end of 2027-03.",
            "b made 700 units of bearing that never shipped: 700 units sit in stock at the end of 2027-03.",
            "busan never shipped 300 units of its initial stock of bearing: they sit in stock at the end of 2027-03.",
            "Stock also sits unshipped at the end of the horizon for 2 more site–product pairs: 100 units (see stranded.csv).",
        ]
    );
}
