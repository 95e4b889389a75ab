//! Known-answer tests: published optima of textbook LPs, written in allyplan's format.

mod common;

use std::path::Path;

use common::{
    assert_close, inventory, load_model, objective, overtime, production, scenario, shipped, solve,
    unmet_total,
};

/// `|actual − expected| ≤ 1e-9 · |expected|`.
#[track_caller]
fn assert_rel(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs(),
        "expected {expected}, got {actual}"
    );
}

/// Dantzig's transportation problem (GAMS model library `trnsport`; G. B. Dantzig,
/// *Linear Programming and Extensions*, 1963), shipped as `tests/fixtures/trnsport/model.yaml`.
///
/// Published optimum: 153.675. GAMS reports seattle→new-york 50, seattle→chicago 300,
/// san-diego→new-york 275, san-diego→topeka 275, but that point is not the unique
/// optimum: both canneries ship to new-york at the same 0.225, seattle's supply row has
/// dual 0 and san-diego has 50 cases to spare, so seattle→new-york can be anything in
/// [0, 50]. With the demand duals (new-york 0.225, chicago 0.153, topeka 0.126) the
/// reduced costs of seattle→topeka (0.162 − 0.126 = 0.036) and san-diego→chicago
/// (0.162 − 0.153 = 0.009) are positive, so every optimum has them at 0; hence chicago's
/// 300 all come from seattle and topeka's 275 all from san-diego. We assert those, plus
/// the new-york total and seattle's share of it within [0, 50].
#[test]
fn dantzig_trnsport() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trnsport/model.yaml");
    let sc = load_model(&model);
    let plan = solve(&sc);
    assert_rel(objective(&plan), 153.675);

    let y = |from: &str, to: &str| shipped(&plan, from, to, "cases", "base");
    assert_close(y("seattle", "chicago"), 300.0, "seattle→chicago");
    assert_close(y("san-diego", "topeka"), 275.0, "san-diego→topeka");
    assert_close(y("seattle", "topeka"), 0.0, "seattle→topeka");
    assert_close(y("san-diego", "chicago"), 0.0, "san-diego→chicago");
    assert_close(
        y("seattle", "new-york") + y("san-diego", "new-york"),
        325.0,
        "new-york total",
    );
    let seattle_ny = y("seattle", "new-york");
    assert!(
        (-1e-9..=50.0 + 1e-9).contains(&seattle_ny),
        "seattle→new-york must be within [0, 50], got {seattle_ny}"
    );
    // Supply follows: seattle makes its 300 for chicago plus its share of new-york
    // (300 to 350), san-diego the rest of the 900 cases (550 to 600). Nothing is unmet.
    assert_close(
        production(&plan, "seattle", "cases", "base"),
        300.0 + seattle_ny,
        "seattle supply",
    );
    assert_close(
        production(&plan, "san-diego", "cases", "base"),
        900.0 - 300.0 - seattle_ny,
        "san-diego supply",
    );
    assert_close(unmet_total(&plan), 0.0, "unmet");
}

/// Sailco, from W. L. Winston, *Operations Research: Applications and Algorithms*, 4th ed.,
/// §3.10 ("A Multiperiod Decision Problem: An Inventory Model"), Example 12.
///
/// Quarterly demand 40, 60, 75, 25 sailboats; regular-time production up to 40 boats a
/// quarter at $400; overtime production unlimited at $450; $20 per boat held at the end of
/// a quarter; 10 boats on hand at the start. Published optimum $78,450: regular-time
/// production 40, 40, 40, 25; overtime 0, 10, 35, 0; end inventory 10, 0, 0, 0.
/// (Regular production in quarter 4 is 25, not 40: only 25 boats are needed.)
///
/// In allyplan's terms: regular capacity 40 per quarter at rate 1 and cost 400; overtime
/// capacity (1000, i.e. unlimited) at a $50 premium per capacity unit, so an overtime boat
/// costs 400 + 50 = 450. Check: 190 boats × 400 + 45 overtime × 50 + 10 held × 20
/// = 76,000 + 2,250 + 200 = 78,450. The optimum is unique: holding is strictly positive,
/// so overtime happens as late as possible (quarter 2 needs 100 − 10 − 80 = 10, quarter 3
/// needs 175 − 10 − 120 − 10 = 35).
#[test]
fn winston_sailco() {
    let sc = scenario(
        "
        name: sailco
        objective: {unmet_penalty: 100000}
        ",
        "
        periods: [q1, q2, q3, q4]
        products:
          - {id: sailboat}
        sites:
          - id: sailco
            country: US
            capacity: 40
            overtime: {capacity: 1000, cost: 50}
            products:
              sailboat: {rate: 1, cost: 400}
            inventory:
              initial: {sailboat: 10}
              holding_cost: {sailboat: 20}
        markets:
          - {id: customers, country: US}
        lanes:
          - {from: sailco, to: customers, cost: 0}
        demand:
          - {market: customers, product: sailboat, quantity: [40, 60, 75, 25]}
        ",
    );
    let plan = solve(&sc);
    assert_rel(objective(&plan), 78_450.0);

    let quarters = ["q1", "q2", "q3", "q4"];
    let regular = [40.0, 40.0, 40.0, 25.0];
    let extra = [0.0, 10.0, 35.0, 0.0];
    let held = [10.0, 0.0, 0.0, 0.0];
    for (i, q) in quarters.iter().enumerate() {
        let made = production(&plan, "sailco", "sailboat", q);
        let ot = overtime(&plan, "sailco", q);
        assert_close(ot, extra[i], &format!("overtime in {q}"));
        assert_close(made - ot, regular[i], &format!("regular production in {q}"));
        assert_close(
            inventory(&plan, "sailco", "sailboat", q),
            held[i],
            &format!("end inventory in {q}"),
        );
    }
    assert_close(unmet_total(&plan), 0.0, "unmet");
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(costs.production, 76_000.0, "production cost");
    assert_close(costs.overtime, 2_250.0, "overtime premium");
    assert_close(costs.holding, 200.0, "holding cost");
}

/// Northern Airplane Co., from F. S. Hillier and G. J. Lieberman, *Introduction to
/// Operations Research*, chapter "The Transportation and Assignment Problems"
/// (§8.1 in the 7th/8th eds., §9.1 in the 9th/10th): production scheduling of jet engines.
///
/// Scheduled installations 10, 15, 25, 20 engines in months 1–4; maximum production 25,
/// 35, 30, 10; unit production cost 1.08, 1.11, 1.10, 1.13 ($ million); storage 0.015 per
/// engine per month. Published optimal total cost $77.3 million.
///
/// The production cost differs by month, which allyplan expresses per site, so (as in the
/// book's transportation formulation, source i = "production in month i") each month is a
/// site with capacity only in its own month; every site holds stock at 0.015.
///
/// Hand check: total cost = Σ x_t·(c_t + 0.015·(5 − t)) − 0.015·Σ cumulative demand.
/// Effective costs 1.14, 1.155, 1.13, 1.145 → fill months 3, 1, 4 to capacity (30, 25, 10)
/// and take the remaining 5 from month 2; cumulative production 25, 30, 60, 70 covers
/// cumulative demand 10, 25, 50, 70, so this is feasible and (strictly cheaper than any
/// alternative) unique. Cost: 28.5 + 5.775 + 33.9 + 11.45 − 0.015 × 155 = 77.3.
/// Stock at the end of months 1–4: 15, 5, 10, 0 (holding 0.45).
#[test]
fn hillier_lieberman_northern_airplane() {
    let sc = scenario(
        "
        name: northern-airplane
        objective: {unmet_penalty: 1000}
        ",
        "
        periods: [m1, m2, m3, m4]
        products:
          - {id: engine}
        sites:
          - id: made-m1
            country: US
            capacity: [25, 0, 0, 0]
            products: {engine: {rate: 1, cost: 1.08}}
            inventory: {holding_cost: {engine: 0.015}}
          - id: made-m2
            country: US
            capacity: [0, 35, 0, 0]
            products: {engine: {rate: 1, cost: 1.11}}
            inventory: {holding_cost: {engine: 0.015}}
          - id: made-m3
            country: US
            capacity: [0, 0, 30, 0]
            products: {engine: {rate: 1, cost: 1.10}}
            inventory: {holding_cost: {engine: 0.015}}
          - id: made-m4
            country: US
            capacity: [0, 0, 0, 10]
            products: {engine: {rate: 1, cost: 1.13}}
            inventory: {holding_cost: {engine: 0.015}}
        markets:
          - {id: assembly, country: US}
        lanes:
          - {from: made-m1, to: assembly}
          - {from: made-m2, to: assembly}
          - {from: made-m3, to: assembly}
          - {from: made-m4, to: assembly}
        demand:
          - {market: assembly, product: engine, quantity: [10, 15, 25, 20]}
        ",
    );
    let plan = solve(&sc);
    assert_rel(objective(&plan), 77.3);

    let months = ["m1", "m2", "m3", "m4"];
    let made = [25.0, 5.0, 30.0, 10.0];
    let stock = [15.0, 5.0, 10.0, 0.0];
    for (i, m) in months.iter().enumerate() {
        let site = format!("made-{m}");
        assert_close(
            production(&plan, &site, "engine", m),
            made[i],
            &format!("production in {m}"),
        );
        let held: f64 = months
            .iter()
            .map(|s| inventory(&plan, &format!("made-{s}"), "engine", m))
            .sum();
        assert_close(held, stock[i], &format!("stock at the end of {m}"));
    }
    assert_close(unmet_total(&plan), 0.0, "unmet");
    assert_close(
        plan.costs.as_ref().expect("costs").holding,
        0.45,
        "storage cost",
    );
}
