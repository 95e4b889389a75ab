//! Solver round-off never reaches people: a plan assembled from a point with round-off
//! injected shows whole numbers, makes no finding of amounts that snap to zero, and keeps
//! the solver's and the verifier's exact figures.
//!
//! The scenario, by hand: two periods, demand for widgets at m [20, 24]. plant makes them
//! ($10, 1 capacity unit each, capacity 20, overtime up to 5 at $5), lane $1. Period 1 uses
//! all 20 units of capacity, so period 2 needs 4 units of overtime: production 20 and 24,
//! load 20 and 24, utilization 100% and 120%, nothing unmet and no stock. Cost 44 × 10 +
//! 4 × 5 + 44 × 1 = 504.

mod common;

use allyplan::plan::{Metadata, Plan};
use allyplan::report::plan::{csv, findings::findings, markdown};
use allyplan::{
    backend_for, build, plan_from_solution, solve, verify, Allocation, SolveOptions, SolveStatus,
};
use common::scenario;

/// Relative round-off put on every non-zero value of the solved point.
const RELATIVE: f64 = 3e-9;
/// Round-off put on every zero of the solved point (above the allocation's own 1e-9
/// cut-off, below the plan's 1e-7).
const NEAR_ZERO: f64 = 4e-8;

/// The plan of the scenario, from its solved point with round-off injected; and the
/// perturbed point's objective.
fn plan_with_round_off() -> (Plan, f64) {
    let sc = scenario(
        "",
        "
        periods: [p1, p2]
        products:
          - {id: widget}
        sites:
          - id: plant
            country: US
            capacity: 20
            overtime: {capacity: 5, cost: 5}
            products:
              widget: {rate: 1, cost: 10}
        markets:
          - {id: m, country: US}
        lanes:
          - {from: plant, to: m, cost: 1}
        demand:
          - {market: m, product: widget, quantity: [20, 24]}
        ",
    );
    let model = build(&sc);
    let backend = backend_for("microlp", &model.lp);
    let outcome = solve(&model.lp, backend.as_ref(), &SolveOptions::default());
    assert_eq!(outcome.status, SolveStatus::Optimal);
    let exact = outcome.values.expect("an optimal solve has values");
    assert!(
        (model.lp.objective_of(&exact) - 504.0).abs() < 1e-9,
        "the hand-worked optimum"
    );
    // 20 → 20.00000006, 0 → 4e-8: what an interior point or a simplex's last pivot leaves.
    let values: Vec<f64> = exact
        .iter()
        .enumerate()
        .map(|(j, &v)| match (v == 0.0, j % 2 == 0) {
            (true, _) => NEAR_ZERO,
            (false, true) => v * (1.0 + RELATIVE),
            (false, false) => v * (1.0 - RELATIVE),
        })
        .collect();
    let objective = model.lp.objective_of(&values);
    let allocation = Allocation::from_solution(&sc, &model, &values);
    let verification = verify(&sc, &allocation, objective);
    let plan = plan_from_solution(
        &sc,
        &model,
        &values,
        &allocation,
        verification,
        Metadata::default(),
    );
    (plan, objective)
}

#[test]
fn quantities_are_snapped_once_at_assembly() {
    let (plan, _) = plan_with_round_off();
    let quantities: Vec<f64> = plan.production.iter().map(|r| r.quantity).collect();
    assert_eq!(quantities, [20.0, 24.0]);
    assert!(plan.inventory.is_empty(), "{:?}", plan.inventory);
    let shipped: Vec<f64> = plan.shipments.iter().map(|r| r.quantity).collect();
    assert_eq!(shipped, [20.0, 24.0]);
    let unmet: Vec<f64> = plan.unmet.iter().map(|r| r.unmet).collect();
    assert_eq!(unmet, [0.0, 0.0]);
    let periods = &plan.sites[0].periods;
    let loads: Vec<(f64, f64, f64)> = periods
        .iter()
        .map(|p| (p.load, p.overtime, p.utilization))
        .collect();
    assert_eq!(loads, [(20.0, 0.0, 1.0), (24.0, 4.0, 1.2)]);
    let kpis = plan.kpis.as_ref().unwrap();
    assert_eq!(
        (kpis.demand, kpis.served, kpis.unmet, kpis.fill_rate),
        (44.0, 44.0, 0.0, 1.0)
    );
    assert_eq!((kpis.produced, kpis.overtime_used), (44.0, 4.0));
    assert_eq!(kpis.load_change, 4.0);
    assert_eq!(kpis.stranded_stock, 0.0);
    assert!(plan.stranded.is_empty());
    let sourcing: Vec<(f64, f64)> = plan
        .sourcing
        .iter()
        .map(|r| (r.quantity, r.share))
        .collect();
    assert_eq!(sourcing, [(20.0, 1.0), (24.0, 1.0)]);
}

#[test]
fn the_objective_and_the_verifier_keep_exact_figures() {
    let (plan, objective) = plan_with_round_off();
    assert_eq!(plan.objective, Some(objective));
    assert_ne!(objective, 504.0, "the round-off reached the objective");
    let v = plan.verification.as_ref().unwrap();
    assert!(v.passed);
    assert_eq!(v.objective_reported, objective);
    assert_ne!(v.objective_recomputed, 504.0);
}

#[test]
fn csv_and_markdown_show_whole_numbers_and_no_zero_finding() {
    let (plan, _) = plan_with_round_off();
    let tables = csv::tables(&plan).unwrap();
    let table = |name: &str| {
        tables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert_eq!(
        table("production.csv"),
        "site,product,period,quantity\nplant,widget,p1,20\nplant,widget,p2,24\n"
    );
    assert_eq!(table("inventory.csv"), "site,product,period,quantity\n");
    assert_eq!(
        table("utilization.csv"),
        "site,country,period,capacity,overtime_capacity,load,overtime,utilization\n\
         plant,US,p1,20,5,20,0,1\n\
         plant,US,p2,20,5,24,4,1.2\n"
    );
    assert_eq!(
        table("unmet.csv"),
        "market,product,period,demand,unmet\nm,widget,p1,20,0\nm,widget,p2,24,0\n"
    );
    assert_eq!(
        table("shipments.csv"),
        "from,to,product,departure,arrival,quantity,unit_cost\n\
         plant,m,widget,p1,p1,20,1\n\
         plant,m,widget,p2,p2,24,1\n"
    );
    assert!(!tables.iter().any(|(n, _)| n == "stranded.csv"));

    let list = findings(&plan);
    assert_eq!(list[0], "All demand is served.");
    assert_eq!(
        list[1],
        "The busiest site is plant (US) at 120.0% of regular capacity in p2, using 4 overtime units."
    );
    assert!(
        !list.iter().any(|f| f.contains(" 0 units")),
        "a finding about nothing: {list:?}"
    );
    let md = markdown::render(&plan);
    assert!(
        md.contains("| Demand served | 44 of 44 units (100.0%) |"),
        "{md}"
    );
    assert!(md.contains("| Unmet demand | 0 units |"));
    assert!(md.contains("| plant | US | 100% | 120%+ |"), "{md}");
    assert!(!md.contains("## Unmet demand"), "{md}");
}

#[test]
fn compare_makes_no_sentence_of_a_change_that_shows_as_none() {
    let (old, _) = plan_with_round_off();
    let mut new = old.clone();
    // A third of a unit short: the fill rate shows it, "unmet demand: 0 → 0" would not.
    let kpis = new.kpis.as_mut().unwrap();
    kpis.unmet = 0.3;
    kpis.served = 43.7;
    kpis.fill_rate = 43.7 / 44.0;
    let comparison = allyplan::compare(&old, &new);
    let summary = allyplan::report::compare::text::summary(&comparison, &|s| s.to_string());
    assert!(
        summary.contains(&"Fill rate: 100.0% → 99.3%.".to_string()),
        "{summary:?}"
    );
    assert!(
        !summary.iter().any(|s| s.starts_with("Unmet demand")),
        "{summary:?}"
    );
}
