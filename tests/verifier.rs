//! The independent verifier: a solved plan passes; corrupting the allocation in one
//! specific way makes it fail and names the broken constraint.

mod common;

use allyplan::build;
use allyplan::plan::Verification;
use allyplan::verify;
use allyplan::Allocation;
use allyplan::Scenario;
use allyplan::{backend_for, solve, SolveOptions, SolveStatus};
use common::{assert_close, scenario};

/// Two periods, products `crit` (critical) and `plain`, demand crit [30, 30] and
/// plain [50, 50] at `east` (US). Sites (capacity 100, holding $1, lanes free):
/// us (US, $10), mx (MX, $6, last_load 40), cn (CN, $4).
/// Policies: ≥ 60% of plain from usmca; no critical from CN; mx's load may change by at
/// most 20% of capacity (20) per period.
///
/// Optimum by hand: crit cannot come from cn, mx is cheaper than us: mx 30 a period.
/// plain: cn 40% (20), mx 60% (30). mx's load is 60 in both periods, exactly
/// last_load + 20 in t1. Cost: 60 × 6 + 60 × 6 + 40 × 4 = 880.
fn scenario_under_test() -> Scenario {
    scenario(
        "
        blocs: {usmca: [US, MX, CA]}
        objective: {unmet_penalty: 1000}
        policies:
          - {name: usmca-60, kind: min_bloc_share, bloc: usmca, min_share: 0.6, products: [plain]}
          - {name: no-cn-critical, kind: exclude_origin, countries: [CN], products: critical}
          - {name: ramp-mx, kind: ramp_limit, max_change: 0.2, sites: [mx]}
        ",
        "
        periods: [t1, t2]
        products:
          - {id: crit, critical: true}
          - {id: plain}
        sites:
          - id: us
            country: US
            capacity: 100
            products: {crit: {rate: 1, cost: 10}, plain: {rate: 1, cost: 10}}
            inventory: {holding_cost: {crit: 1, plain: 1}}
          - id: mx
            country: MX
            capacity: 100
            last_load: 40
            products: {crit: {rate: 1, cost: 6}, plain: {rate: 1, cost: 6}}
            inventory: {holding_cost: {crit: 1, plain: 1}}
          - id: cn
            country: CN
            capacity: 100
            products: {crit: {rate: 1, cost: 4}, plain: {rate: 1, cost: 4}}
            inventory: {holding_cost: {crit: 1, plain: 1}}
        markets: [{id: east, country: US}]
        lanes:
          - {from: us, to: east}
          - {from: mx, to: east}
          - {from: cn, to: east}
        demand:
          - {market: east, product: crit, quantity: 30}
          - {market: east, product: plain, quantity: 50}
        ",
    )
}

/// Index helpers for the scenario above.
struct Ids {
    us: usize,
    mx: usize,
    cn: usize,
    crit: usize,
    plain: usize,
    /// Lane index from a site index.
    lane_from: Vec<usize>,
}

fn ids(sc: &Scenario) -> Ids {
    let mut lane_from = vec![usize::MAX; sc.sites.len()];
    for (l, lane) in sc.lanes.iter().enumerate() {
        lane_from[lane.from] = l;
    }
    Ids {
        us: sc.site_ids["us"],
        mx: sc.site_ids["mx"],
        cn: sc.site_ids["cn"],
        crit: sc.product_ids["crit"],
        plain: sc.product_ids["plain"],
        lane_from,
    }
}

/// Solves the scenario and returns the allocation and the solver's objective.
fn solved(sc: &Scenario) -> (Allocation, f64) {
    let model = build(sc);
    let backend = backend_for("microlp", &model.lp);
    let outcome = solve(&model.lp, backend.as_ref(), &SolveOptions::default());
    assert_eq!(outcome.status, SolveStatus::Optimal);
    let values = outcome.values.expect("an optimal solve has values");
    let allocation = Allocation::from_solution(sc, &model, &values);
    (allocation, model.lp.objective_of(&values))
}

/// Verifies a (corrupted) allocation against its own recomputed cost, so that only the
/// broken constraint can make it fail.
fn verify_consistent_cost(sc: &Scenario, a: &Allocation) -> Verification {
    let cost = verify(sc, a, 0.0).objective_recomputed;
    let v = verify(sc, a, cost);
    assert!(
        v.objective_gap < 1e-12,
        "the cost was recomputed: {}",
        v.objective_gap
    );
    v
}

#[track_caller]
fn assert_fails_on(v: &Verification, expected_worst: &str) {
    assert!(!v.passed, "verification should fail: {v:#?}");
    assert_eq!(
        v.worst_constraint.as_deref(),
        Some(expected_worst),
        "worst constraint; violations: {:#?}",
        v.violations
    );
    assert!(
        v.violations.iter().any(|x| x.constraint == expected_worst),
        "violations should list `{expected_worst}`: {:#?}",
        v.violations
    );
    assert!(v.worst_violation > 1e-6);
}

#[test]
fn the_solved_allocation_passes() {
    let sc = scenario_under_test();
    let (a, objective) = solved(&sc);
    assert_close(objective, 880.0, "objective");
    let i = ids(&sc);
    for t in 0..2 {
        assert_close(a.production[[i.mx, i.crit, t]], 30.0, "mx crit");
        assert_close(a.production[[i.mx, i.plain, t]], 30.0, "mx plain");
        assert_close(a.production[[i.cn, i.plain, t]], 20.0, "cn plain");
        assert_close(a.production[[i.us, i.crit, t]], 0.0, "us crit");
    }
    let v = verify(&sc, &a, objective);
    assert!(v.passed, "{v:#?}");
    assert!(
        v.worst_violation < 1e-6,
        "worst violation {}",
        v.worst_violation
    );
    assert!(v.objective_gap < 1e-9, "objective gap {}", v.objective_gap);
    assert!(v.violations.is_empty());
    assert!(v.checks > 0);
    assert_close(v.objective_recomputed, 880.0, "recomputed objective");
}

#[test]
fn exceeding_capacity_is_caught() {
    // us makes 150 extra plain in t1 and keeps them (inventory balance still holds):
    // load 150 on capacity 100.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.production[[i.us, i.plain, 0]] += 150.0;
    a.inventory[[i.us, i.plain, 0]] += 150.0;
    a.inventory[[i.us, i.plain, 1]] += 150.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "capacity at us in t1");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 50.0, "capacity excess");
}

#[test]
fn a_broken_inventory_balance_is_caught() {
    // cn claims 5 plain units on hand at the end of t1 that it never made.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.inventory[[i.cn, i.plain, 0]] += 5.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "inventory balance at cn / plain in t1");
    // The phantom stock is then missing from t2's balance as well.
    assert!(v
        .violations
        .iter()
        .any(|x| x.constraint == "inventory balance at cn / plain in t2"));
}

#[test]
fn shipping_more_than_demand_is_caught() {
    // us makes and ships 5 crit more than east wants in t1.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.production[[i.us, i.crit, 0]] += 5.0;
    a.shipments[[i.lane_from[i.us], i.crit, 0]] += 5.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "demand at east / crit in t1");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 5.0, "excess delivered");
}

#[test]
fn a_broken_bloc_share_is_caught() {
    // 10 plain units in t1 move from mx to cn: usmca delivers 20 of 50 (40% < 60%),
    // short by 0.6 × 50 − 20 = 10.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.production[[i.mx, i.plain, 0]] -= 10.0;
    a.shipments[[i.lane_from[i.mx], i.plain, 0]] -= 10.0;
    a.production[[i.cn, i.plain, 0]] += 10.0;
    a.shipments[[i.lane_from[i.cn], i.plain, 0]] += 10.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "usmca-60: usmca share of east / plain");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 10.0, "bloc shortfall");
}

#[test]
fn shipping_from_an_excluded_origin_is_caught() {
    // 5 crit units in t1 move from mx to cn, which may not supply critical products.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.production[[i.mx, i.crit, 0]] -= 5.0;
    a.shipments[[i.lane_from[i.mx], i.crit, 0]] -= 5.0;
    a.production[[i.cn, i.crit, 0]] += 5.0;
    a.shipments[[i.lane_from[i.cn], i.crit, 0]] += 5.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(
        &v,
        "shipment cn → east of crit in t1 from CN: no-cn-critical forbids it",
    );
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
}

#[test]
fn a_broken_ramp_limit_is_caught() {
    // mx makes 10 plain units of t2's volume in t1 and holds them: loads 70, 50.
    // The t1 change from last_load is 30 > 20; t2's change (−20) is still allowed.
    let sc = scenario_under_test();
    let (mut a, _) = solved(&sc);
    let i = ids(&sc);
    a.production[[i.mx, i.plain, 0]] += 10.0;
    a.inventory[[i.mx, i.plain, 0]] += 10.0;
    a.production[[i.mx, i.plain, 1]] -= 10.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "ramp-mx: load change at mx in t1");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 10.0, "ramp excess");
}

#[test]
fn a_misreported_objective_is_caught() {
    // The allocation is intact but the reported cost is 1% too high.
    let sc = scenario_under_test();
    let (a, objective) = solved(&sc);
    let v = verify(&sc, &a, objective * 1.01);
    assert!(!v.passed, "{v:#?}");
    assert!(v.worst_violation < 1e-6, "no constraint is violated");
    assert!(v.violations.is_empty());
    assert_close(
        v.objective_gap,
        0.01 * 880.0 / (1.01 * 880.0),
        "objective gap",
    );
    assert_close(v.objective_recomputed, 880.0, "recomputed objective");
}

/// The tolerance scales with the size of the row, as solvers measure their own
/// feasibility: a last-digits error in a balance of millions of units is round-off, a
/// thousand units is not. (Before, a balance row whose net was 0 was held to an absolute
/// 1e-6 however large its terms.)
#[test]
fn the_tolerance_scales_with_the_row() {
    let sc = scenario(
        "objective: {unmet_penalty: 1000}\n",
        "
        periods: [t1, t2]
        products: [{id: part}]
        sites:
          - id: big
            country: US
            capacity: 10000000
            products: {part: {rate: 1, cost: 2}}
            inventory: {holding_cost: {part: 1}}
        markets: [{id: east, country: US}]
        lanes: [{from: big, to: east}]
        demand: [{market: east, product: part, quantity: 5000000}]
        ",
    );
    let (mut a, _) = solved(&sc);
    let (big, part) = (sc.site_ids["big"], sc.product_ids["part"]);
    assert_close(
        a.production[[big, part, 0]],
        5_000_000.0,
        "production in t1",
    );
    assert_close(a.inventory[[big, part, 0]], 0.0, "stock at the end of t1");

    // 0.01 units in a row whose terms add up to 10,000,000: 1e-9 of it.
    a.production[[big, part, 0]] += 0.01;
    let v = verify_consistent_cost(&sc, &a);
    assert!(v.passed, "{v:#?}");
    assert!(v.worst_violation < 2e-9, "{}", v.worst_violation);

    // A thousand units is 1e-4 of it: a violation, named.
    a.production[[big, part, 0]] += 1000.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "inventory balance at big / part in t1");
}

// Multi-tier row families (tests/fixtures/v2; their README derives every figure).

fn v2_fixture(name: &str) -> Scenario {
    common::load_model(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/v2/{name}/model.yaml")),
    )
}

fn site(sc: &Scenario, id: &str) -> usize {
    sc.site_ids[id]
}

fn product(sc: &Scenario, id: &str) -> usize {
    sc.product_ids[id]
}

fn lane(sc: &Scenario, from: &str, to: &str) -> usize {
    sc.lanes
        .iter()
        .enumerate()
        .position(|(l, ln)| sc.sites[ln.from].id == from && sc.dest_id(l) == to)
        .expect("the lane")
}

/// Moves `units` cells of the cell-module's consumption at mx-assembly from the
/// Mexican-origin class to the Chinese one (in period 0).
fn move_consumption(sc: &Scenario, a: &mut Allocation, units: f64) {
    let (asm, cell) = (site(sc, "mx-assembly"), product(sc, "cell"));
    let u = sc
        .bom_uses
        .iter()
        .position(|u| u.component == cell && sc.makes[u.make].site == asm)
        .expect("cells consumed at mx-assembly");
    let at = sc.origins.at(asm, cell).to_vec();
    let cn = sc.origins.own_class(site(sc, "cn-cells"), cell);
    let mx = sc.origins.own_class(site(sc, "mx-cells"), cell);
    let split = a
        .consumption_classes
        .get_mut(&(u, 0))
        .expect("consumption split by origin");
    split[at.iter().position(|&k| k == cn).expect("CN class")] += units;
    split[at.iter().position(|&k| k == mx).expect("MX class")] -= units;
}

#[test]
fn a_broken_value_content_is_caught() {
    // 10 Mexican cells become Chinese: made and shipped by cn-cells instead, consumed as
    // Chinese. Only the rule breaks: $2,000 of bloc component value short.
    let sc = v2_fixture("rvc-hand");
    let (mut a, _) = solved(&sc);
    let cell = product(&sc, "cell");
    let (cn, mx) = (site(&sc, "cn-cells"), site(&sc, "mx-cells"));
    a.production[[mx, cell, 0]] -= 10.0;
    a.production[[cn, cell, 0]] += 10.0;
    a.shipments[[lane(&sc, "mx-cells", "mx-assembly"), cell, 0]] -= 10.0;
    a.shipments[[lane(&sc, "cn-cells", "mx-assembly"), cell, 0]] += 10.0;
    move_consumption(&sc, &mut a, 10.0);
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "usmca-rvc: usmca value content of pack at mx-assembly");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 2000.0, "value content short, $");
}

#[test]
fn a_lane_over_its_capacity_is_caught() {
    // One unit rerouted node-1 → node-3 directly instead of through node-2: every
    // balance holds, the lane (capacity 4) carries 5.
    let sc = v2_fixture("min-cost-flow");
    let (mut a, _) = solved(&sc);
    let unit = product(&sc, "unit");
    a.shipments[[lane(&sc, "node-1", "node-3"), unit, 0]] += 1.0;
    a.shipments[[lane(&sc, "node-1", "node-2"), unit, 0]] -= 1.0;
    a.shipments[[lane(&sc, "node-2", "node-3"), unit, 0]] -= 1.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "capacity of lane node-1 → node-3 in once");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(
        v.violations[0].amount,
        1.0,
        "units over the lane's capacity",
    );
}

#[test]
fn an_origin_class_out_of_balance_is_caught() {
    // The hub ships 10 more Chinese cells and 10 fewer Mexican ones than it received
    // (totals unchanged), and the plant consumes them so: the hub's Chinese-origin
    // stock would go negative.
    let sc = v2_fixture("rvc-hand-hub");
    let (mut a, _) = solved(&sc);
    let (hub, cell) = (site(&sc, "laredo-hub"), product(&sc, "cell"));
    let l = lane(&sc, "laredo-hub", "mx-assembly");
    let at = sc.origins.at(hub, cell).to_vec();
    let cn = sc.origins.own_class(site(&sc, "cn-cells"), cell);
    let mx = sc.origins.own_class(site(&sc, "mx-cells"), cell);
    let split = a
        .shipment_classes
        .get_mut(&(l, cell, 0))
        .expect("the hub's cells split by origin");
    split[at.iter().position(|&k| k == cn).expect("CN class")] += 10.0;
    split[at.iter().position(|&k| k == mx).expect("MX class")] -= 10.0;
    move_consumption(&sc, &mut a, 10.0);
    let v = verify_consistent_cost(&sc, &a);
    assert!(!v.passed);
    let names: Vec<&str> = v.violations.iter().map(|x| x.constraint.as_str()).collect();
    assert!(
        names.contains(&"balance of CN-origin cell at laredo-hub in 2027-01"),
        "{names:#?}"
    );
    assert!(
        names.contains(&"usmca-rvc: usmca value content of pack at mx-assembly"),
        "{names:#?}"
    );
}

// Decisions over the horizon: each row family broken in an otherwise optimal allocation.

/// Three periods, demand [30, 120, 30] at m. `far` (US, $10, capacity 1000) ships 10 to
/// 40 a period under contract `far-band` (hard); `near` (US, $4, capacity 100, overtime
/// 20 at $3) starts closed, costs 200 a period open, 300 to open and 100 to close, runs
/// at least 20 when it runs, and may build `line-2` (+50, $100, from p2); `cn` (CN, $8,
/// lane $5) owes 80 over the horizon under `cn-take`, short at $2 a unit. Holding costs
/// $7 a unit, so nothing is made ahead.
///
/// The optimum (HiGHS): near opens in p2 and stays open (makes 110 with 10 overtime, then
/// 20); far ships 30, 10, 10; cn ships nothing and pays for 80 units short.
fn decisions_scenario() -> Scenario {
    scenario(
        "objective: {unmet_penalty: 1000}\n",
        "
        periods: [p1, p2, p3]
        products: [{id: widget}]
        sites:
          - id: far
            country: US
            capacity: 1000
            products: {widget: {rate: 1, cost: 10}}
            inventory: {holding_cost: {widget: 7}}
          - id: near
            country: US
            capacity: 100
            overtime: {capacity: 20, cost: 3}
            fixed_cost: 200
            open: {initially: false, opening_cost: 300, closing_cost: 100}
            expansions:
              - {name: line-2, capacity: 50, cost: 100, from: p2}
            products: {widget: {rate: 1, cost: 4, min_run: 20}}
            inventory: {holding_cost: {widget: 7}}
          - id: cn
            country: CN
            capacity: 1000
            products: {widget: {rate: 1, cost: 8}}
            inventory: {holding_cost: {widget: 7}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: far, to: m}
          - {from: near, to: m}
          - {from: cn, to: m, cost: 5}
        demand: [{market: m, product: widget, quantity: [30, 120, 30]}]
        contracts:
          - {name: far-band, site: far, min: 10, max: 40, per: period}
          - {name: cn-take, site: cn, min: 80, shortfall_cost: 2}
        ",
    )
}

/// Solves an integer model with HiGHS.
fn solved_mip(sc: &Scenario) -> (Allocation, f64) {
    let model = build(sc);
    let backend = backend_for("highs", &model.lp);
    let outcome = solve(&model.lp, backend.as_ref(), &SolveOptions::default());
    assert_eq!(outcome.status, SolveStatus::Optimal);
    let values = outcome.values.expect("an optimal solve has values");
    let allocation = Allocation::from_solution(sc, &model, &values);
    (allocation, model.lp.objective_of(&values))
}

/// Moves `units` of widget made and shipped in period `t` from site `from` to site `to`.
fn move_units(sc: &Scenario, a: &mut Allocation, from: &str, to: &str, t: usize, units: f64) {
    let w = product(sc, "widget");
    for (site_id, sign) in [(from, -1.0), (to, 1.0)] {
        let s = site(sc, site_id);
        a.production[[s, w, t]] += sign * units;
        a.shipments[[lane(sc, site_id, "m"), w, t]] += sign * units;
    }
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn the_solved_decisions_pass() {
    let sc = decisions_scenario();
    let (a, objective) = solved_mip(&sc);
    let (far, near, cn, w) = (
        site(&sc, "far"),
        site(&sc, "near"),
        site(&sc, "cn"),
        product(&sc, "widget"),
    );
    // Hand-checked: far 50 units (500), near 130 (520) with 10 overtime (30), fixed 400,
    // opening 300, shortfall 160: 1910.
    assert_close(objective, 1910.0, "objective");
    assert_eq!(a.decisions.open.row(near).to_vec(), [0.0, 1.0, 1.0]);
    assert_eq!(a.decisions.built.row(0).to_vec(), [0.0, 0.0, 0.0]);
    for (t, (f, n)) in [(30.0, 0.0), (10.0, 110.0), (10.0, 20.0)]
        .iter()
        .enumerate()
    {
        assert_close(a.production[[far, w, t]], *f, "far");
        assert_close(a.production[[near, w, t]], *n, "near");
        assert_close(a.production[[cn, w, t]], 0.0, "cn");
    }
    assert_close(a.decisions.shortfall[1][0], 80.0, "cn-take short");
    let v = verify(&sc, &a, objective);
    assert!(v.passed, "{v:#?}");
    assert_close(v.costs.fixed, 400.0, "fixed");
    assert_close(v.costs.opening_closing, 300.0, "opening and closing");
    assert_close(v.costs.investment, 0.0, "investment");
    assert_close(v.costs.contract_shortfall, 160.0, "shortfall");
    assert_close(v.objective_recomputed, 1910.0, "recomputed");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn an_open_state_that_is_not_whole_is_caught() {
    // Half open in p3: capacity 50 still covers the 20 made there.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.open[[site(&sc, "near"), 2]] = 0.5;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "open at near in p3 is not whole (0.5)");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn an_open_state_at_a_site_that_cannot_close_is_caught() {
    // far has no `open`: an allocation that doubles its capacity with an open state of 2
    // is caught, though no capacity row is broken.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.open[[site(&sc, "far"), 0]] = 2.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "far cannot close, but its open state in p1 is 2");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_closed_site_making_units_is_caught() {
    // near, closed in p1 (capacity 100 × 0), makes 25 of far's units.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    move_units(&sc, &mut a, "far", "near", 0, 25.0);
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "capacity at near in p1");
    assert_close(
        v.violations[0].amount,
        25.0,
        "load over a closed site's capacity",
    );
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn overtime_at_a_closed_site_is_caught() {
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.overtime[[site(&sc, "near"), 0]] = 5.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "overtime limit at near in p1");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 5.0, "overtime while closed");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn an_expansion_built_before_it_may_be_is_caught() {
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.built[[0, 0]] = 1.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(
        &v,
        "expansion line-2 at near built in p1, before it may be (p2)",
    );
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn an_expansion_built_twice_is_caught() {
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.built[[0, 1]] = 1.0;
    a.decisions.built[[0, 2]] = 1.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "expansion line-2 at near built more than once");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 1.0, "built once too many");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn half_an_integer_expansion_is_caught() {
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.built[[0, 1]] = 0.5;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(
        &v,
        "expansion line-2 at near built in p2 is not whole (0.5)",
    );
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_run_below_its_minimum_is_caught() {
    // near makes 10 (min_run / 2) in p3 instead of 20; far makes the other 10.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    move_units(&sc, &mut a, "near", "far", 2, 10.0);
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "min_run of widget at near in p3");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 10.0, "units short of the run");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_hard_contract_minimum_broken_is_caught() {
    // far ships nothing in p3; near makes its 10 (capacity and run allow it).
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    move_units(&sc, &mut a, "far", "near", 2, 10.0);
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "contract far-band in p3 minimum");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 10.0, "units short of the minimum");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_contract_maximum_broken_is_caught() {
    // far makes 50 of near's p2 units: it ships 60, over its 40.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    move_units(&sc, &mut a, "near", "far", 1, 50.0);
    a.overtime[[site(&sc, "near"), 1]] = 0.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(&v, "contract far-band in p2 maximum");
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 20.0, "units over the maximum");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn an_under_reported_shortfall_is_caught() {
    // cn ships nothing but reports 40 short of 80, not 80.
    let sc = decisions_scenario();
    let (mut a, _) = solved_mip(&sc);
    a.decisions.shortfall[1][0] = 40.0;
    let v = verify_consistent_cost(&sc, &a);
    assert_fails_on(
        &v,
        "contract cn-take in the horizon minimum (with shortfall)",
    );
    assert_eq!(v.violations.len(), 1, "{:#?}", v.violations);
    assert_close(v.violations[0].amount, 40.0, "shortfall not reported");
}

#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn decision_costs_are_recomputed() {
    // The cost reported without the opening cost (300) is caught as an objective gap;
    // no row is broken.
    let sc = decisions_scenario();
    let (a, objective) = solved_mip(&sc);
    let v = verify(&sc, &a, objective - 300.0);
    assert!(!v.passed, "{v:#?}");
    assert!(v.violations.is_empty(), "{:#?}", v.violations);
    assert_close(v.objective_recomputed, 1910.0, "recomputed");
    assert_close(
        v.objective_gap,
        300.0 / 1610.0,
        "objective gap (of the reported)",
    );
    // Each decision cost is recomputed from the allocation: built in p2, line-2 adds
    // its 100; the shortfall at 2 a unit follows the reported shortfall.
    let mut built = a.clone();
    built.decisions.built[[0, 1]] = 1.0;
    let v = verify(&sc, &built, objective);
    assert_close(v.costs.investment, 100.0, "investment");
    assert_close(
        v.objective_gap,
        100.0 / 1910.0,
        "gap from the investment left out",
    );
    let mut open = a.clone();
    open.decisions.open[[site(&sc, "near"), 0]] = 1.0;
    let v = verify(&sc, &open, objective);
    // Open from p1: one more period's fixed cost (200), opening charged in p1 instead.
    assert_close(v.costs.fixed, 600.0, "fixed");
    assert_close(v.costs.opening_closing, 300.0, "opening");
    let mut short = a;
    short.decisions.shortfall[1][0] = 100.0;
    let v = verify(&sc, &short, objective);
    assert_close(v.costs.contract_shortfall, 200.0, "shortfall paid");
}
