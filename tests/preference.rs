//! `regional_value_content` with `preference: {tariff}`: the rule is no longer hard;
//! units leaving a site on lanes into another bloc country pay the tariff unless the
//! rule holds (one binary per site, product and window: a MILP). The answers are worked
//! out by hand in the fixtures (tests/fixtures/v2/rvc-preference/), from the rvc-hand
//! case whose optimum with the hard rule (26,150) and without it (24,500) is known.

mod common;

use std::path::{Path, PathBuf};

use allyplan::plan::Plan;
use allyplan::{ExitCode, SolveRequest};
use common::load_model;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/v2/rvc-preference/{name}.yaml"))
}

fn solve(name: &str, backend: Option<&str>) -> (ExitCode, Plan) {
    let sc = load_model(&fixture(name));
    let request = SolveRequest {
        backend: backend.map(str::to_string),
        ..SolveRequest::default()
    };
    let solved = allyplan::solve_scenario(&sc, &request);
    (solved.exit, solved.plan)
}

#[cfg(feature = "highs")]
mod with_highs {
    use super::*;

    fn optimal(name: &str) -> Plan {
        let (exit, plan) = solve(name, None);
        assert_eq!(exit, ExitCode::Ok, "{:?}", plan.message);
        let v = plan.verification.as_ref().expect("verified");
        assert!(v.passed, "{v:#?}");
        plan
    }

    #[test]
    fn a_low_tariff_is_paid_rather_than_meeting_the_rule() {
        let plan = optimal("low");
        // 24,500 without the rule + 1% of 1,000 on each of the 100 packs sent to the US.
        assert!((plan.objective.unwrap() - 25_500.0).abs() < 1e-6);
        let costs = plan.costs.as_ref().unwrap();
        assert!((costs.tariffs_duties - 1_000.0).abs() < 1e-6);
        let rows = &plan.network.as_ref().unwrap().value_content;
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].met);
        assert_eq!(rows[0].tariff_paid, Some(1_000.0));
        // Every cell is Chinese: the cheapest plan once the rule is given up.
        let cn: f64 = plan
            .shipments
            .iter()
            .filter(|s| s.from == "cn-cells")
            .map(|s| s.quantity)
            .sum();
        assert!((cn - 200.0).abs() < 1e-6, "{cn}");
        assert!(plan.decisions.as_ref().and_then(|d| d.mip).is_some());
    }

    #[test]
    fn a_high_tariff_makes_the_plan_meet_the_rule() {
        let plan = optimal("high");
        // Meeting the rule costs 26,150 (75 Mexican cells); not meeting it 49,500.
        assert!((plan.objective.unwrap() - 26_150.0).abs() < 1e-6);
        assert_eq!(plan.costs.as_ref().unwrap().tariffs_duties, 0.0);
        let rows = &plan.network.as_ref().unwrap().value_content;
        assert!(rows[0].met);
        assert_eq!(rows[0].tariff_paid, Some(0.0));
        let mx: f64 = plan
            .shipments
            .iter()
            .filter(|s| s.from == "mx-cells")
            .map(|s| s.quantity)
            .sum();
        assert!((mx - 75.0).abs() < 1e-6, "{mx}");
    }
}

/// A backend without a MIP solver refuses the model (exit 2), naming the preference.
#[test]
fn backends_without_integers_say_so() {
    for backend in ["clarabel", "microlp"] {
        let (exit, plan) = solve("low", Some(backend));
        assert_eq!(exit, ExitCode::InvalidInput, "{backend}");
        let message = plan.message.unwrap_or_default();
        assert!(
            message.contains("`preference` of usmca-rvc") && message.contains(backend),
            "{backend}: {message}"
        );
        assert!(plan.objective.is_none());
    }
}

/// The verifier's own check of the preference: the binary is whole, a window that
/// claims the rule holds must meet it, and the tariff is charged where it does not.
#[cfg(feature = "highs")]
#[test]
fn the_verifier_checks_the_preference_and_its_tariff() {
    let sc = load_model(&fixture("low"));
    let model = allyplan::build(&sc);
    let backend = allyplan::backend_for("highs", &model.lp);
    let outcome = allyplan::solve(&model.lp, backend.as_ref(), &Default::default());
    let values = outcome.values.expect("a point");
    let objective = model.lp.objective_of(&values);
    let a = allyplan::Allocation::from_solution(&sc, &model, &values);
    let v = allyplan::verify(&sc, &a, objective);
    assert!(v.passed, "{v:#?}");
    // The tariff is recomputed from the shipments, not read from the LP's cost column.
    assert!((v.costs.tariffs_duties - 1_000.0).abs() < 1e-6);

    let key = *a
        .decisions
        .policy
        .keys()
        .next()
        .expect("one preference binary");
    let mut claims = a.clone();
    claims.decisions.policy.insert(key, 1.0);
    let v = allyplan::verify(&sc, &claims, objective);
    assert!(!v.passed);
    let worst = v.worst_constraint.unwrap_or_default();
    assert!(
        worst.contains("usmca value content of pack at mx-assembly"),
        "{worst}"
    );

    let mut half = a.clone();
    half.decisions.policy.insert(key, 0.5);
    let v = allyplan::verify(&sc, &half, objective);
    assert!(
        v.violations.iter().any(|x| x
            .constraint
            .contains("preference of pack at mx-assembly is not whole")),
        "{:#?}",
        v.violations
    );
}
