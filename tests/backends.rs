//! Every backend against the same models: identical objectives (to 1e-6 relative),
//! shadow prices where the backend gives them, checked against hand computations and
//! finite differences.

mod common;

use std::path::{Path, PathBuf};

use allyplan::plan::{Plan, PlanStatus};
use allyplan::Scenario;
use allyplan::{ExitCode, SolveRequest};
use common::{load_model, scenario};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Backends of this build, `auto` aside.
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
        time_limit_s: None,
        explain_infeasible: false,
        solver_log: false,
        default_time_limit_s: None,
        started_at: None,
        ..Default::default()
    };
    let solved = allyplan::solve_scenario(sc, &request);
    assert_eq!(
        solved.exit,
        ExitCode::Ok,
        "{backend}: {:?}",
        solved.plan.message
    );
    assert_eq!(solved.plan.metadata.solver, backend);
    solved.plan
}

#[track_caller]
fn assert_rel(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

#[test]
fn every_backend_finds_the_same_optimum() {
    let cases = [
        ("models/baseline.yaml", None),
        ("models/usmca-strict.yaml", None),
        ("tests/fixtures/trnsport/model.yaml", Some(153.675)),
        ("tests/fixtures/sailco/model.yaml", Some(78_450.0)),
    ];
    for (model, known) in cases {
        let sc = load_model(&repo(model));
        let reference = solve_with(&sc, "microlp").objective.unwrap();
        if let Some(known) = known {
            assert_rel(reference, known, model);
        }
        for backend in backends() {
            let plan = solve_with(&sc, backend);
            assert_rel(
                plan.objective.unwrap(),
                reference,
                &format!("{model} with {backend}"),
            );
            let v = plan.verification.as_ref().unwrap();
            assert!(
                v.passed && v.worst_violation < 1e-6,
                "{model} with {backend}: {v:?}"
            );
        }
    }
}

#[test]
fn microlp_says_it_gives_no_shadow_prices() {
    let sc = load_model(&repo("tests/fixtures/trnsport/model.yaml"));
    let plan = solve_with(&sc, "microlp");
    assert!(plan.shadow_prices.is_none());
    assert!(plan
        .duals_note
        .as_deref()
        .unwrap()
        .contains("no shadow prices"));
}

/// trnsport's published demand marginals (GAMS): new-york 0.225, chicago 0.153,
/// topeka 0.126; neither cannery's capacity is binding at a price.
#[test]
fn trnsport_demand_marginals() {
    let sc = load_model(&repo("tests/fixtures/trnsport/model.yaml"));
    for backend in backends().into_iter().filter(|b| *b != "microlp") {
        let plan = solve_with(&sc, backend);
        let sp = plan.shadow_prices.as_ref().expect("duals");
        let marginal = |market: &str| {
            sp.demand
                .iter()
                .find(|d| d.market == market)
                .map(|d| d.marginal_cost)
                .unwrap()
        };
        assert_rel(marginal("new-york"), 0.225, backend);
        assert_rel(marginal("chicago"), 0.153, backend);
        assert_rel(marginal("topeka"), 0.126, backend);
        assert!(sp.capacity.is_empty(), "{backend}: {:?}", sp.capacity);
    }
}

/// Sailco: regular capacity is full in every quarter but the last. One more boat of
/// regular capacity saves the $50 overtime premium in q2 and q3; in q1 it saves q2's
/// premium less one quarter's holding ($50 − $20 = $30); in q4 it is worth nothing.
#[test]
fn sailco_capacity_values() {
    let sc = load_model(&repo("tests/fixtures/sailco/model.yaml"));
    for backend in backends().into_iter().filter(|b| *b != "microlp") {
        let plan = solve_with(&sc, backend);
        let sp = plan.shadow_prices.as_ref().expect("duals");
        let value = |period: &str| {
            sp.capacity
                .iter()
                .find(|c| c.period == period)
                .map_or(0.0, |c| c.value)
        };
        assert_rel(value("q1"), 30.0, backend);
        assert_rel(value("q2"), 50.0, backend);
        assert_rel(value("q3"), 50.0, backend);
        assert_rel(value("q4"), 0.0, backend);
    }
}

const SHARE_DATA: &str = "
    periods: [t1]
    products:
      - {id: module, critical: true}
    sites:
      - id: us
        country: US
        capacity: 1000
        products: {module: {rate: 1, cost: 10}}
      - id: cn
        country: CN
        capacity: 1000
        products: {module: {rate: 1, cost: 5}}
    markets:
      - {id: east, country: US}
    lanes:
      - {from: us, to: east}
      - {from: cn, to: east}
    demand:
      - {market: east, product: module, quantity: 100}
";

fn share_model(min_share: f64) -> Scenario {
    let model = format!(
        "blocs: {{usmca: [US, MX, CA]}}\npolicies:\n  - {{name: usmca, kind: min_bloc_share, bloc: usmca, min_share: {min_share}}}\n"
    );
    scenario(&model, SHARE_DATA)
}

/// With share α the US site makes 100α at $10 and China 100(1 − α) at $5, so the cost
/// is 500 + 500α: one percentage point costs $5, and the reported cost per point must
/// match both that and the finite difference between two solves.
#[test]
fn bloc_share_cost_per_point_matches_a_finite_difference() {
    for backend in backends().into_iter().filter(|b| *b != "microlp") {
        let at_60 = solve_with(&share_model(0.60), backend);
        let at_61 = solve_with(&share_model(0.61), backend);
        let difference = at_61.objective.unwrap() - at_60.objective.unwrap();
        assert_rel(difference, 5.0, "finite difference");
        let sp = at_60.shadow_prices.as_ref().expect("duals");
        assert_eq!(sp.bloc_share.len(), 1);
        assert_rel(sp.bloc_share[0].cost_per_point, 5.0, backend);
        assert_rel(sp.bloc_share[0].cost_per_point, difference, backend);
    }
}

#[test]
fn a_time_out_is_reported_as_such() {
    let sc = load_model(&repo("models/baseline.yaml"));
    let request = SolveRequest {
        backend: Some("microlp".to_string()),
        time_limit_s: Some(1e-6),
        explain_infeasible: false,
        solver_log: false,
        default_time_limit_s: None,
        started_at: None,
        ..Default::default()
    };
    let solved = allyplan::solve_scenario(&sc, &request);
    assert_eq!(solved.exit, ExitCode::SolverFailure);
    assert_eq!(solved.plan.status, PlanStatus::TimeLimit);
    assert!(solved.plan.message.unwrap().contains("time limit"));
}

/// `auto` picks HiGHS's dual simplex for models of this size (microlp in a build without
/// HiGHS), so the default build gives shadow prices.
#[test]
fn auto_picks_the_simplex_for_small_models() {
    let sc = load_model(&repo("models/baseline.yaml"));
    let plan = {
        let request = SolveRequest {
            backend: Some("auto".to_string()),
            time_limit_s: None,
            explain_infeasible: false,
            solver_log: false,
            default_time_limit_s: None,
            started_at: None,
            ..Default::default()
        };
        allyplan::solve_scenario(&sc, &request).plan
    };
    if cfg!(feature = "highs") {
        assert!(plan.metadata.variables <= allyplan::AUTO_SIMPLEX_MAX_COLUMNS);
        assert_eq!(plan.metadata.solver, "highs-simplex");
        assert!(plan.shadow_prices.is_some(), "{:?}", plan.duals_note);
    } else {
        assert!(plan.metadata.variables <= allyplan::AUTO_MICROLP_MAX_COLUMNS);
        assert_eq!(plan.metadata.solver, "microlp");
    }
}
