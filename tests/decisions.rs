//! Known answers for decisions over the horizon, established without the MIP solver and
//! without allyplan's MILP formulation.
//!
//! For every setting of a tiny model's binaries (open or closed in each period, the
//! period an expansion is built in, a run on or off), the test writes the *plain LP* the
//! setting leaves: a v1 model without any decision key, with capacities set per period
//! (0 while closed or off, raised from the build period on) and, where a run is on, a
//! `load_band` minimum that holds production at or above `min_run`. Each plain LP is
//! solved by HiGHS's simplex and by clarabel (which must agree); the decision costs
//! (fixed cost while open, opening and closing from the state changes, investment) are
//! added here by hand. The known optimum is the least total over the settings; the MILP
//! with the decision keys must reach it (1e-6 relative) and, where it is unique, take
//! the same decisions. Each model also states one optimum worked out by hand.
//!
//! Contracts are continuous (an LP): their optimum is derived in closed form and checked
//! against v1 models with the units shipped forced.

mod common;

use std::fmt::Debug;

use allyplan::plan::{Plan, PlanStatus};
use allyplan::{ExitCode, Scenario, SolveRequest};
use common::{assert_close, objective, production, scenario};

/// Relative tolerance between the MILP, the enumeration and the hand-worked optimum.
const REL: f64 = 1e-6;

/// The backend with a MIP solver. In a build without it, the tests that need it are
/// ignored, and the known answers are still enumerated (the MILP is not solved).
const MIP: Option<&str> = Some("highs");
const HAS_MIP: bool = cfg!(feature = "highs");

/// Two LP backends that must agree on every plain LP: HiGHS's simplex and clarabel, or
/// (in a build without HiGHS) clarabel and microlp.
#[cfg(feature = "highs")]
const LP_BACKENDS: [&str; 2] = ["highs-simplex", "clarabel"];
#[cfg(not(feature = "highs"))]
const LP_BACKENDS: [&str; 2] = ["clarabel", "microlp"];

/// Every backend of this build, for models without integers.
#[cfg(feature = "highs")]
const ALL_BACKENDS: &[&str] = &["highs", "highs-simplex", "clarabel", "microlp"];
#[cfg(not(feature = "highs"))]
const ALL_BACKENDS: &[&str] = &["clarabel", "microlp"];

#[track_caller]
fn assert_rel(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= REL * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

/// Solves with `backend` (the model's own when `None`) through the pipeline; asserts an
/// optimal, verified plan.
fn solve_with(sc: &Scenario, backend: Option<&str>) -> Plan {
    let request = SolveRequest {
        backend: backend.map(str::to_string),
        ..SolveRequest::default()
    };
    let solved = allyplan::solve_scenario(sc, &request);
    let plan = solved.plan;
    let Some(v) = plan.verification.as_ref() else {
        panic!(
            "{backend:?}: no verification; status {}: {:?}",
            plan.status, plan.message
        );
    };
    assert!(
        v.passed,
        "{backend:?}: verification failed: {:?} {:#?}",
        v.worst_constraint, v.violations
    );
    assert_eq!(
        plan.status,
        PlanStatus::Optimal,
        "{backend:?}: {:?}",
        plan.message
    );
    assert_eq!(solved.exit, ExitCode::Ok);
    plan
}

/// The optimum of a plain LP (no decision keys), by both [`LP_BACKENDS`].
fn lp_optimum(model: &str, data: &str) -> f64 {
    let sc = scenario(model, data);
    let [first, second] = LP_BACKENDS.map(|b| solve_with(&sc, Some(b)));
    assert!(
        first.decisions.is_none(),
        "the plain LP has decisions:\n{data}"
    );
    assert_rel(
        objective(&second),
        objective(&first),
        &format!("{LP_BACKENDS:?} on the plain LP"),
    );
    objective(&first)
}

/// Every setting of a model's binaries with its total: the plain LP's optimum plus the
/// decision costs added by hand.
struct Enumerated<S> {
    totals: Vec<(S, f64)>,
}

impl<S: Clone + Debug + PartialEq> Enumerated<S> {
    /// `plain(s)` writes the (model, data) of the plain LP of setting `s`; `cost(s)` is
    /// what its decisions cost.
    fn new(
        settings: Vec<S>,
        plain: impl Fn(&S) -> (String, String),
        cost: impl Fn(&S) -> f64,
    ) -> Self {
        let totals = settings
            .into_iter()
            .map(|s| {
                let (model, data) = plain(&s);
                let total = lp_optimum(&model, &data) + cost(&s);
                (s, total)
            })
            .collect();
        Enumerated { totals }
    }

    fn best(&self) -> (S, f64) {
        let (s, v) = self
            .totals
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("at least one setting");
        (s.clone(), *v)
    }

    /// The best setting, asserting no other comes within the tolerance.
    fn unique_best(&self) -> (S, f64) {
        let (best, value) = self.best();
        for (s, v) in &self.totals {
            if *s != best {
                assert!(
                    *v > value + REL * value.abs().max(1.0),
                    "{s:?} ({v}) ties the best setting {best:?} ({value}): {:?}",
                    self.totals
                );
            }
        }
        (best, value)
    }
}

/// Every vector of `n` booleans.
fn all_bools(n: usize) -> Vec<Vec<bool>> {
    (0..1usize << n)
        .map(|bits| (0..n).map(|t| bits >> t & 1 == 1).collect())
        .collect()
}

/// A per-period list, `[a, b, c]`.
fn list(values: impl IntoIterator<Item = f64>) -> String {
    let items: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
    format!("[{}]", items.join(", "))
}

const PENALTY: &str = "objective: {unmet_penalty: 1000}\n";

// ---------------------------------------------------------------------------------------
// Plant opening.

/// Three periods, demand [30, 120, 30] at m. `far` (cost 10, capacity 1000) is always
/// open; `near` (cost 4, capacity 100) starts closed and costs 200 a period while open,
/// 300 to open and 100 to close. Holding costs 7 a unit, more than near saves (6), so
/// nothing is made ahead.
fn opening_data(near: &str) -> String {
    format!(
        "
        periods: [p1, p2, p3]
        products:
          - id: widget
        sites:
          - id: far
            country: US
            capacity: 1000
            products:
              widget: {{rate: 1, cost: 10}}
            inventory:
              holding_cost: {{widget: 7}}
          - id: near
            country: US
        {near}
            products:
              widget: {{rate: 1, cost: 4}}
            inventory:
              holding_cost: {{widget: 7}}
        markets:
          - {{id: m, country: US}}
        lanes:
          - {{from: far, to: m}}
          - {{from: near, to: m}}
        demand:
          - {{market: m, product: widget, quantity: [30, 120, 30]}}
        "
    )
}

const NEAR_OPEN: [f64; 3] = [200.0, 300.0, 100.0];

fn opening_milp() -> Scenario {
    scenario(
        PENALTY,
        &opening_data(
            "    capacity: 100
            fixed_cost: 200
            open: {initially: false, opening_cost: 300, closing_cost: 100}",
        ),
    )
}

/// Fixed cost while open, opening (0 → 1) and closing (1 → 0) from `initially`.
fn open_costs(open: &[bool], initially: bool, [fixed, opening, closing]: [f64; 3]) -> f64 {
    let mut was = initially;
    let mut total = 0.0;
    for &w in open {
        total += if w { fixed } else { 0.0 };
        total += match (was, w) {
            (false, true) => opening,
            (true, false) => closing,
            _ => 0.0,
        };
        was = w;
    }
    total
}

fn near_state(plan: &Plan) -> Vec<bool> {
    let d = plan.decisions.as_ref().expect("plan.decisions");
    d.sites
        .iter()
        .filter(|s| s.site == "near")
        .map(|s| s.open)
        .collect()
}

/// The known optimum of the opening model for `[fixed, opening, closing]` costs.
fn opening_enumeration(rule: [f64; 3]) -> Enumerated<Vec<bool>> {
    Enumerated::new(
        all_bools(3),
        |open| {
            let caps = list(open.iter().map(|&w| if w { 100.0 } else { 0.0 }));
            (
                PENALTY.to_string(),
                opening_data(&format!("    capacity: {caps}")),
            )
        },
        |open| open_costs(open, false, rule),
    )
}

/// Hand-worked: with everything from far the cost is 10 × 180 = 1800. Open in a period,
/// near saves 6 a unit less its fixed 200: −20 in p1 (30 units), +400 in p2 (100 units,
/// its capacity), −20 in p3. Open p2 and p3: 380 − 300 (opening) = 80 saved; open p2
/// only: 400 − 300 − 100 (closing) = 0; open throughout: 360 − 300 = 60. Best: open in
/// p2 and p3, 1720 (far 500 + near 520 + fixed 400 + opening 300). The closing cost
/// keeps it open in p3.
#[test]
fn plant_opening_matches_enumeration() {
    let (best, known) = opening_enumeration(NEAR_OPEN).unique_best();
    assert_eq!(best, [false, true, true]);
    assert_rel(
        known,
        1720.0,
        "enumerated optimum against the hand-worked one",
    );

    if !HAS_MIP {
        return;
    }
    let plan = solve_with(&opening_milp(), MIP);
    assert_rel(objective(&plan), known, "MILP against the enumeration");
    assert_eq!(near_state(&plan), best);
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(costs.fixed, 400.0, "fixed cost");
    assert_close(costs.opening_closing, 300.0, "opening and closing");
    assert_close(production(&plan, "near", "widget", "p1"), 0.0, "near in p1");
    assert_close(
        production(&plan, "near", "widget", "p2"),
        100.0,
        "near in p2",
    );
    assert_close(
        production(&plan, "near", "widget", "p3"),
        30.0,
        "near in p3",
    );
}

/// Without the closing cost, opening for p2 alone saves 400 − 300 = 100, more than
/// staying open (80): 1700, closed again in p3.
#[test]
fn plant_opening_without_a_closing_cost_closes_late() {
    let (best, known) = opening_enumeration([200.0, 300.0, 0.0]).unique_best();
    assert_eq!(best, [false, true, false]);
    assert_rel(
        known,
        1700.0,
        "enumerated optimum against the hand-worked one",
    );
    if !HAS_MIP {
        return;
    }
    let sc = scenario(
        PENALTY,
        &opening_data(
            "    capacity: 100
            fixed_cost: 200
            open: {initially: false, opening_cost: 300}",
        ),
    );
    let plan = solve_with(&sc, MIP);
    assert_rel(objective(&plan), known, "MILP against the enumeration");
    assert_eq!(near_state(&plan), best);
    let d = plan.decisions.as_ref().expect("plan.decisions");
    let events: Vec<(&str, &str)> = d
        .timeline
        .iter()
        .map(|e| (e.period.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(events, [("p2", "open"), ("p3", "close")]);
}

// ---------------------------------------------------------------------------------------
// Expansion timing.

/// Four periods, demand [60, 100, 150, 200] at m. `a` (cost 2, capacity 100) must run at
/// 60% of its capacity or more (`load_band`), so capacity built early forces production
/// that has to be held (1 a unit and period); `b` costs 10. An expansion of a adds 100
/// from its build period, `from: p2`.
fn expansion_data(a_capacity: &str, expansion: &str) -> String {
    format!(
        "
        periods: [p1, p2, p3, p4]
        products:
          - id: widget
        sites:
          - id: a
            country: US
            capacity: {a_capacity}
        {expansion}
            products:
              widget: {{rate: 1, cost: 2}}
            inventory:
              holding_cost: {{widget: 1}}
          - id: b
            country: US
            capacity: 1000
            products:
              widget: {{rate: 1, cost: 10}}
            inventory:
              holding_cost: {{widget: 1}}
        markets:
          - {{id: m, country: US}}
        lanes:
          - {{from: a, to: m}}
          - {{from: b, to: m}}
        demand:
          - {{market: m, product: widget, quantity: [60, 100, 150, 200]}}
        "
    )
}

const BAND: &str = "objective: {unmet_penalty: 1000}
policies:
  - {kind: load_band, min: 0.6, max: 1, sites: [a]}
";

const PERIODS4: [&str; 4] = ["p1", "p2", "p3", "p4"];

fn expansion_milp(cost: f64, integer: bool) -> Scenario {
    scenario(
        BAND,
        &expansion_data(
            "100",
            &format!(
                "    expansions:
              - {{name: line-2, capacity: 100, cost: {cost}, from: p2, integer: {integer}}}"
            ),
        ),
    )
}

/// a's capacities with `built` of the expansion in each period (cumulative from there).
fn built_capacities(built: [f64; 4]) -> String {
    let mut so_far = 0.0;
    list(built.iter().map(|b| {
        so_far += b;
        100.0 + 100.0 * so_far
    }))
}

/// The plain LP with the expansion built as `built` (parts per period), and its cost.
fn expansion_plain(built: [f64; 4], cost: f64) -> ((String, String), f64) {
    let data = expansion_data(&built_capacities(built), "");
    let total: f64 = built.iter().sum();
    ((BAND.to_string(), data), cost * total)
}

/// Hand-worked: built in p3, a makes all 510 units (1020) with no stock, its minimum
/// (120) below the demand from p3 on: 1020 + 500 = 1520. Built in p2, a must make 120 in
/// p2 against a demand of 100 and hold 20 into p3: 1540. Built in p4, b makes 10 in p3
/// (a makes 40 ahead in p1 and holds them two periods): 1000 + 100 + 80 + 500 = 1680.
/// Never built: a makes 100 a period (40 of p1's held for p3), b makes 110: 1980. Best:
/// build in p3, 1520; building earlier only forces stock.
#[test]
fn expansion_timing_matches_enumeration() {
    let cost = 500.0;
    // Never, or built whole in p2, p3 or p4 (p1 is before `from`).
    let settings: Vec<Option<usize>> = vec![None, Some(1), Some(2), Some(3)];
    let as_parts = |s: &Option<usize>| {
        let mut built = [0.0; 4];
        if let Some(t) = s {
            built[*t] = 1.0;
        }
        built
    };
    let enumerated = Enumerated::new(
        settings,
        |s| expansion_plain(as_parts(s), cost).0,
        |s| expansion_plain(as_parts(s), cost).1,
    );
    let (best, known) = enumerated.unique_best();
    assert_eq!(best, Some(2), "built in p3");
    assert_rel(
        known,
        1520.0,
        "enumerated optimum against the hand-worked one",
    );

    if !HAS_MIP {
        return;
    }
    let plan = solve_with(&expansion_milp(cost, true), MIP);
    assert_rel(objective(&plan), known, "MILP against the enumeration");
    let d = plan.decisions.as_ref().expect("plan.decisions");
    let e = &d.expansions[0];
    assert_eq!(e.built_in.as_deref(), Some(PERIODS4[2]));
    assert_close(e.fraction, 1.0, "built whole");
    assert_close(
        plan.costs.as_ref().expect("costs").investment,
        cost,
        "investment",
    );
    assert_close(production(&plan, "b", "widget", "p3"), 0.0, "b in p3");
}

/// `integer: false` at cost 1,200: a part f of the expansion adds 100·f from its build
/// period for 1,200·f. Without it, a makes 100 a period (40 of p1's held for p3) and b
/// makes 110 in p3 and p4. Built in p2, a part f adds 300·f units of capacity over p2,
/// p3 and p4, each replacing a unit of b (10) by one of a (2, held at most 2 periods:
/// 4), so saving 6 or more: 18 or more per unit of capacity against its 12, until b
/// makes nothing (300·f = 110, f = 11/30). Past that, capacity only saves holding (at
/// most 3 + 2 + 1 = 6 per unit of capacity). Built in p3, a unit adds only two periods
/// (12 or more, not enough to beat p2). So f = 11/30 in p2: capacity [100, 136⅔, 136⅔,
/// 136⅔], a makes all 510 units (1020) and holds 40, 76⅔ and 63⅓ (180), investment 440:
/// 1640.
#[test]
fn a_fractional_expansion_is_built_in_part() {
    let cost = 1200.0;
    let milp = expansion_milp(cost, false);
    let plan = solve_with(&milp, Some(ALL_BACKENDS[0]));
    assert_rel(objective(&plan), 1640.0, "the hand-worked optimum");
    let d = plan.decisions.as_ref().expect("plan.decisions");
    let e = &d.expansions[0];
    assert_close(e.fraction, 11.0 / 30.0, "part built");
    assert_eq!(e.built_in.as_deref(), Some("p2"));
    assert!(d.mip.is_none(), "no integer column: an LP, no MIP search");
    // An LP: the backends without a MIP solver solve it too.
    for backend in ALL_BACKENDS {
        let other = solve_with(&milp, Some(backend));
        assert_rel(objective(&other), 1640.0, backend);
    }

    // The plain LP with the part built: the same cost.
    let ((model, data), investment) = expansion_plain([0.0, 11.0 / 30.0, 0.0, 0.0], cost);
    assert_rel(
        lp_optimum(&model, &data) + investment,
        1640.0,
        "the plain LP with 11/30 built in p2",
    );
    // No part in one period, on a grid of quarters, does better.
    for t in 1..4 {
        for quarters in 0..=4 {
            let mut built = [0.0; 4];
            built[t] = f64::from(quarters) / 4.0;
            let ((model, data), investment) = expansion_plain(built, cost);
            let total = lp_optimum(&model, &data) + investment;
            assert!(
                total >= 1640.0 - REL * 1640.0,
                "{built:?} costs {total}, below the optimum"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Take-or-pay contracts.

/// Two periods, demand 50 a period at m (US). `us` makes at 10; `cn` overseas makes at 8
/// and ships at `lane` a unit; both have ample capacity, and holding at cn costs 100 (so
/// what cn makes, it ships). `contract` is the contract's entry, if any; `policies`
/// the model's.
fn contract_data(lane: f64, contract: &str) -> String {
    format!(
        "
        periods: [p1, p2]
        products:
          - id: widget
        sites:
          - id: us
            country: US
            capacity: 1000
            products:
              widget: {{rate: 1, cost: 10}}
          - id: cn
            country: CN
            capacity: 1000
            products:
              widget: {{rate: 1, cost: 8}}
            inventory:
              holding_cost: {{widget: 100}}
        markets:
          - {{id: m, country: US}}
        lanes:
          - {{from: us, to: m}}
          - {{from: cn, to: m, cost: {lane}}}
        demand:
          - {{market: m, product: widget, quantity: 50}}
        {contract}
        "
    )
}

/// A contract at cn, as written.
#[derive(Debug, Clone, Copy)]
struct Terms {
    min: f64,
    max: Option<f64>,
    per_period: bool,
    shortfall_cost: Option<f64>,
}

impl Terms {
    fn yaml(&self) -> String {
        let mut keys = vec![
            "name: cn-take".to_string(),
            "site: cn".to_string(),
            format!("min: {}", self.min),
            format!(
                "per: {}",
                if self.per_period { "period" } else { "horizon" }
            ),
        ];
        if let Some(max) = self.max {
            keys.push(format!("max: {max}"));
        }
        if let Some(s) = self.shortfall_cost {
            keys.push(format!("shortfall_cost: {s}"));
        }
        format!("contracts:\n          - {{{}}}", keys.join(", "))
    }

    /// Windows and the demand cn could serve in each.
    fn windows(&self) -> Vec<f64> {
        if self.per_period {
            vec![50.0, 50.0]
        } else {
            vec![100.0]
        }
    }

    /// Closed form: cn's unit lands at 8 + lane against us's 10. In each window cn
    /// ships q ∈ [0, demand] and at most `max`: cost 10·demand + (lane − 2)·q +
    /// shortfall_cost·(min − q)⁺, linear in q on either side of `min`, so the best q is
    /// 0, `min` or the most cn may ship; a hard `min` rules out q < min.
    fn optimum(&self, lane: f64) -> f64 {
        self.windows()
            .into_iter()
            .map(|demand| {
                let most = self.max.unwrap_or(demand).min(demand);
                let cost = |q: f64| {
                    let short = (self.min - q).max(0.0);
                    match self.shortfall_cost {
                        None if short > 0.0 => f64::INFINITY,
                        None => 10.0 * demand + (lane - 2.0) * q,
                        Some(s) => 10.0 * demand + (lane - 2.0) * q + s * short,
                    }
                };
                [0.0, self.min.min(most), most]
                    .into_iter()
                    .map(cost)
                    .fold(f64::INFINITY, f64::min)
            })
            .sum()
    }

    /// What the contract costs when cn ships `per_period` units in each period.
    fn shortfall_paid(&self, per_period: f64) -> Option<f64> {
        let shipped = if self.per_period {
            per_period
        } else {
            2.0 * per_period
        };
        let windows = self.windows().len() as f64;
        if self.max.is_some_and(|max| shipped > max + 1e-9) {
            return None;
        }
        let short = (self.min - shipped).max(0.0);
        match self.shortfall_cost {
            None if short > 1e-9 => None,
            None => Some(0.0),
            Some(s) => Some(windows * s * short),
        }
    }
}

/// The contract model's optimum three ways: the closed form, the MILP pipeline (an LP
/// here, so clarabel solves it too), and v1 models with cn's shipments forced (a
/// `site_volume` min = max at cn) on a grid through every breakpoint. By symmetry of the
/// two periods and convexity, shipping the same each period loses nothing.
fn check_contract(lane: f64, terms: Terms, hand: f64, shipped: f64) {
    let known = terms.optimum(lane);
    assert_rel(known, hand, &format!("closed form of {terms:?}"));

    let sc = scenario(PENALTY, &contract_data(lane, &terms.yaml()));
    let mut plans = Vec::new();
    for backend in ALL_BACKENDS {
        let plan = solve_with(&sc, Some(backend));
        assert_rel(objective(&plan), known, &format!("{backend} on {terms:?}"));
        plans.push(plan);
    }
    let d = plans[0].decisions.as_ref().expect("plan.decisions");
    let cn: f64 = d.contracts.iter().map(|c| c.shipped).sum();
    assert_close(cn, shipped, "units cn ships under the contract");
    let paid: f64 = d.contracts.iter().map(|c| c.shortfall_paid).sum();
    assert_close(
        plans[0].costs.as_ref().expect("costs").contract_shortfall,
        paid,
        "shortfall in the cost breakdown",
    );

    let mut best = f64::INFINITY;
    for g in [0.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0] {
        let Some(paid) = terms.shortfall_paid(g) else {
            continue;
        };
        let model = format!(
            "{PENALTY}policies:\n  - {{kind: site_volume, site: cn, min: {g}, max: {g}}}\n"
        );
        best = best.min(lp_optimum(&model, &contract_data(lane, "")) + paid);
    }
    assert_rel(best, known, &format!("v1 models with cn forced, {terms:?}"));
}

/// cn lands at 13 against us's 10: shipping costs 3 a unit more. A shortfall of 2 a unit
/// is cheaper: pay for all 80 units, 1000 + 160 = 1160, nothing shipped from cn.
#[test]
fn take_or_pay_paying_beats_shipping() {
    let terms = Terms {
        min: 80.0,
        max: None,
        per_period: false,
        shortfall_cost: Some(2.0),
    };
    check_contract(5.0, terms, 1160.0, 0.0);
}

/// A shortfall of 5 a unit costs more than shipping (3): cn ships its 80, 1000 + 240.
#[test]
fn take_or_pay_shipping_beats_paying() {
    let terms = Terms {
        min: 80.0,
        max: None,
        per_period: false,
        shortfall_cost: Some(5.0),
    };
    check_contract(5.0, terms, 1240.0, 80.0);
}

/// Without a `shortfall_cost` the minimum is hard: cn ships 80 however dear, 1240.
#[test]
fn take_or_pay_hard_minimum() {
    let terms = Terms {
        min: 80.0,
        max: None,
        per_period: false,
        shortfall_cost: None,
    };
    check_contract(5.0, terms, 1240.0, 80.0);
}

/// `per: period`, 30 a period: paying (2) for 60 units, 1120; shipping (shortfall 5)
/// 60 units, 1180; hard, also 1180.
#[test]
fn take_or_pay_per_period() {
    for (shortfall_cost, hand, shipped) in [
        (Some(2.0), 1120.0, 0.0),
        (Some(5.0), 1180.0, 60.0),
        (None, 1180.0, 60.0),
    ] {
        let terms = Terms {
            min: 30.0,
            max: None,
            per_period: true,
            shortfall_cost,
        };
        check_contract(5.0, terms, hand, shipped);
    }
}

/// cn landing at 9 beats us: it ships all it may, `max` 70 over the horizon (930), or 20
/// a period (960).
#[test]
fn take_or_pay_maximum_binds() {
    let horizon = Terms {
        min: 10.0,
        max: Some(70.0),
        per_period: false,
        shortfall_cost: None,
    };
    check_contract(1.0, horizon, 930.0, 70.0);
    let period = Terms {
        min: 10.0,
        max: Some(20.0),
        per_period: true,
        shortfall_cost: Some(1.0),
    };
    check_contract(1.0, period, 960.0, 40.0);
}

// ---------------------------------------------------------------------------------------
// Minimum runs.

/// Three periods, demand 40 a period at m. `a` makes at 5 (capacity 200) with
/// `min_run: 100`; `b` at 20. Holding costs 1 a unit and period.
fn min_run_data(a: &str) -> String {
    format!(
        "
        periods: [p1, p2, p3]
        products:
          - id: widget
        sites:
          - id: a
            country: US
        {a}
            inventory:
              holding_cost: {{widget: 1}}
          - id: b
            country: US
            capacity: 1000
            products:
              widget: {{rate: 1, cost: 20}}
            inventory:
              holding_cost: {{widget: 1}}
        markets:
          - {{id: m, country: US}}
        lanes:
          - {{from: a, to: m}}
          - {{from: b, to: m}}
        demand:
          - {{market: m, product: widget, quantity: 40}}
        "
    )
}

/// Hand-worked: a runs once, in p1, making 120 and holding 80 then 40: 600 + 120 = 720.
/// Running every period makes 100 each (300 units, 1500) and holds 60, 120, 180 (360):
/// 1860; running in p1 and p3, 1000 + 160 = 1160; everything from b, 2400.
#[test]
fn min_run_matches_enumeration() {
    // On: capacity 200 and a load of half of it at least (100 = min_run); off: 0.
    let enumerated = Enumerated::new(
        all_bools(3),
        |on| {
            let caps = list(on.iter().map(|&r| if r { 200.0 } else { 0.0 }));
            let model = format!(
                "{PENALTY}policies:\n  - {{kind: load_band, min: 0.5, max: 1, sites: [a]}}\n"
            );
            let a = format!(
                "    capacity: {caps}
            products:
              widget: {{rate: 1, cost: 5}}"
            );
            (model, min_run_data(&a))
        },
        |_| 0.0,
    );
    let (best, known) = enumerated.unique_best();
    assert_eq!(best, [true, false, false]);
    assert_rel(
        known,
        720.0,
        "enumerated optimum against the hand-worked one",
    );

    if !HAS_MIP {
        return;
    }
    let milp = scenario(
        PENALTY,
        &min_run_data(
            "    capacity: 200
            products:
              widget: {rate: 1, cost: 5, min_run: 100}",
        ),
    );
    let plan = solve_with(&milp, MIP);
    assert_rel(objective(&plan), known, "MILP against the enumeration");
    let d = plan.decisions.as_ref().expect("plan.decisions");
    let runs: Vec<bool> = d.runs.iter().map(|r| r.runs).collect();
    assert_eq!(runs, best);
    assert_close(production(&plan, "a", "widget", "p1"), 120.0, "a in p1");
}

// ---------------------------------------------------------------------------------------
// The command line: backends without a MIP solver, the gap, a time-out.

fn run_allyplan(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run allyplan")
}

/// Writes `model` (with `data: [data.yaml]` added) and `data` into a fresh folder.
fn project(model: &str, data: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("model.yaml"),
        format!(
            "name: decisions\ndata: [data.yaml]\n{}",
            common::dedent(model)
        ),
    )
    .expect("write model.yaml");
    std::fs::write(dir.path().join("data.yaml"), common::dedent(data)).expect("write data.yaml");
    dir
}

fn plan_json(dir: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("plan.json")).expect("plan.json written");
    serde_json::from_str(&text).expect("plan.json is JSON")
}

/// The opening, expansion and min_run models at once, for the command line.
fn every_integer_feature() -> tempfile::TempDir {
    project(
        "objective: {unmet_penalty: 1000}\nsolver: {mip_gap: 0.01}\n",
        &opening_data(
            "    capacity: 100
            fixed_cost: 200
            open: {initially: false, opening_cost: 300, closing_cost: 100}
            expansions:
              - {name: line-2, capacity: 50, cost: 100, from: p2}",
        )
        .replace(
            "widget: {rate: 1, cost: 4}",
            "widget: {rate: 1, cost: 4, min_run: 20}",
        ),
    )
}

#[test]
fn backends_without_a_mip_solver_refuse_an_integer_model() {
    let dir = every_integer_feature();
    for backend in ["clarabel", "microlp"] {
        let out_dir = dir.path().join(format!("out-{backend}"));
        let out = run_allyplan(
            dir.path(),
            &[
                "solve",
                "model.yaml",
                "--solver",
                backend,
                "--out",
                out_dir.to_str().expect("UTF-8 path"),
            ],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{backend}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        for needle in [
            format!("which the {backend} backend cannot solve"),
            "`open` at near".to_string(),
            "expansion line-2 at near (integer)".to_string(),
            "`min_run` of widget at near".to_string(),
            if cfg!(feature = "highs") {
                "solve with `--solver highs`".to_string()
            } else {
                "rebuild with the `highs` feature".to_string()
            },
        ] {
            assert!(err.contains(&needle), "{backend}: no {needle:?} in:\n{err}");
        }
    }
}

/// `solver.mip_gap` is reported as `decisions.mip.target_gap`, and the search stops
/// within it; the plan states the gap it reached.
#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn the_mip_gap_asked_for_is_reported_and_met() {
    let dir = every_integer_feature();
    let out_dir = dir.path().join("out");
    let out = run_allyplan(
        dir.path(),
        &[
            "solve",
            "model.yaml",
            "--solver",
            "highs",
            "--out",
            out_dir.to_str().expect("UTF-8 path"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let plan = plan_json(&out_dir);
    assert_eq!(plan["status"], "optimal");
    let mip = &plan["decisions"]["mip"];
    assert_eq!(mip["target_gap"].as_f64(), Some(0.01), "{mip}");
    let gap = mip["gap"].as_f64().expect("decisions.mip.gap");
    assert!((0.0..=0.01).contains(&gap), "gap {gap} over the target");
    let bound = mip["bound"].as_f64().expect("decisions.mip.bound");
    let objective = plan["objective"].as_f64().expect("objective");
    assert!(
        bound <= objective + 1e-6 * objective,
        "bound {bound} above the plan's cost {objective}"
    );
    assert!(objective - bound <= 0.01 * objective + 1e-6, "{mip}");
}

// ---------------------------------------------------------------------------------------
// Shadow prices of a MILP.

fn capacity_price(plan: &Plan, site: &str, period: &str) -> f64 {
    let prices = plan.shadow_prices.as_ref().expect("shadow prices");
    prices
        .capacity
        .iter()
        .filter(|c| c.site == site && c.period == period)
        .map(|c| c.value)
        .sum()
}

/// The prices of a MILP come from the LP with the integers fixed, and say so, and match
/// the plain LP of the optimal setting (near open in p2 and p3: capacities [0, 100, 100]).
/// Near's capacity in p2 (100, all used, far making the other 20) is worth what far's
/// unit costs more, 10 − 4 = 6; so is a unit in p1, where near is closed; in p3 near has
/// capacity to spare.
#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn shadow_prices_of_a_milp_come_from_the_fixed_lp() {
    let milp = solve_with(&opening_milp(), MIP);
    let prices = milp.shadow_prices.as_ref().expect("shadow prices");
    assert_eq!(
        prices.basis.as_deref(),
        Some("the LP with every integer decision fixed at its optimal value")
    );
    let plain = solve_with(
        &scenario(PENALTY, &opening_data("    capacity: [0, 100, 100]")),
        Some(LP_BACKENDS[0]),
    );
    assert!(
        plain
            .shadow_prices
            .as_ref()
            .expect("prices")
            .basis
            .is_none(),
        "an LP's prices are its own"
    );
    assert_close(
        capacity_price(&milp, "near", "p1"),
        6.0,
        "near's capacity in p1",
    );
    assert_close(
        capacity_price(&milp, "near", "p2"),
        6.0,
        "near's capacity in p2",
    );
    assert_close(
        capacity_price(&milp, "near", "p3"),
        0.0,
        "near's capacity in p3",
    );
    for period in ["p1", "p2", "p3"] {
        for site in ["near", "far"] {
            assert_close(
                capacity_price(&milp, site, period),
                capacity_price(&plain, site, period),
                &format!("capacity price at {site} in {period}"),
            );
        }
    }
    let demand = |plan: &Plan| -> Vec<f64> {
        let prices = plan.shadow_prices.as_ref().expect("prices");
        prices.demand.iter().map(|d| d.marginal_cost).collect()
    };
    assert_eq!(demand(&milp), demand(&plain), "marginal cost of demand");
    assert_eq!(demand(&milp), [10.0, 10.0, 4.0]);
}

// ---------------------------------------------------------------------------------------
// A search stopped by the clock.

/// A covering knapsack HiGHS cannot close quickly: `sites` sites may open (none is open
/// at first), each with `products` named resources of 20 to 100 units (a pseudo-random
/// sequence from `seed`), one product per resource; opening costs just under the units
/// it adds (the sum of its capacities less 1 to 5), and an unmet unit costs 1. Demand is
/// half the capacity of every site together, so the best plan fills the demand with
/// sites whose capacities fit it almost exactly: many near-optimal subsets, and a
/// proof of optimality needs thousands of nodes (80 sites and 10 products: some 20 s
/// here, to a gap of 0), while a first plan comes from the root.
fn knapsack_data(sites: usize, products: usize, seed: u64) -> String {
    let mut x = seed;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    let mut lines = vec!["periods: [once]".to_string(), "products:".to_string()];
    lines.extend((0..products).map(|k| format!("  - id: p{k}")));
    lines.push("sites:".to_string());
    let mut totals = vec![0u64; products];
    for s in 0..sites {
        let caps: Vec<u64> = (0..products).map(|_| 20 + next(81)).collect();
        for (t, c) in totals.iter_mut().zip(&caps) {
            *t += c;
        }
        let fixed = caps.iter().sum::<u64>() - 1 - next(5);
        let resources: Vec<String> = caps
            .iter()
            .enumerate()
            .map(|(k, c)| format!("r{k}: {c}"))
            .collect();
        let makes: Vec<String> = (0..products)
            .map(|k| format!("p{k}: {{cost: 0, uses: {{r{k}: 1}}}}"))
            .collect();
        lines.push(format!(
            "  - {{id: s{s}, country: US, fixed_cost: {fixed}, open: {{initially: false}}, resources: {{{}}}, products: {{{}}}}}",
            resources.join(", "),
            makes.join(", ")
        ));
    }
    lines.push("markets: [{id: m, country: US}]".to_string());
    lines.push("lanes:".to_string());
    lines.extend((0..sites).map(|s| format!("  - {{from: s{s}, to: m}}")));
    lines.push("demand:".to_string());
    lines.extend(
        totals
            .iter()
            .enumerate()
            .map(|(k, t)| format!("  - {{market: m, product: p{k}, quantity: {}}}", t / 2)),
    );
    lines.join("\n") + "\n"
}

const KNAPSACK_MODEL: &str = "objective: {unmet_penalty: 1}\n";

/// Stopped after 2 s (a first plan comes within 0.2 s here, a proof takes some 20 s):
/// the best plan found stands, verified, as `time_limit` with its gap; exit 4.
#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_time_out_keeps_the_best_plan_found() {
    let dir = project(
        &format!("{KNAPSACK_MODEL}solver: {{backend: highs, mip_gap: 0}}\n"),
        &knapsack_data(80, 10, 1),
    );
    let out_dir = dir.path().join("out");
    let out = run_allyplan(
        dir.path(),
        &[
            "solve",
            "model.yaml",
            "--time-limit",
            "2",
            "--out",
            out_dir.to_str().expect("UTF-8 path"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("with a feasible plan"), "{err}");
    assert!(err.contains("gap from the best bound"), "{err}");
    let plan = plan_json(&out_dir);
    assert_eq!(plan["status"], "time_limit");
    assert_eq!(plan["verification"]["passed"], true);
    let mip = &plan["decisions"]["mip"];
    let gap = mip["gap"].as_f64().expect("decisions.mip.gap");
    let objective = plan["objective"].as_f64().expect("the plan's cost");
    let bound = mip["bound"].as_f64().expect("decisions.mip.bound");
    assert!(gap > 0.0 && gap < 1.0, "{mip}");
    assert!(bound < objective, "{mip} against {objective}");
    assert_rel(
        gap,
        (objective - bound) / objective,
        "the gap from the bound",
    );
    assert_eq!(mip["target_gap"].as_f64(), Some(0.0));
    // No prices from a search that did not end, and the reason is given.
    assert!(
        plan.get("shadow_prices").is_none_or(|p| p.is_null()),
        "{plan}"
    );
    assert!(
        plan["duals_note"]
            .as_str()
            .is_some_and(|n| n.contains("time limit")),
        "{}",
        plan["duals_note"]
    );
}

/// Through the library, from a start (a previous incumbent, so a plan exists from the
/// first instant whatever the machine's speed): stopped after 0.5 s, the plan is at least
/// as good as the start, verified, `time_limit`, and the exit is 4.
#[test]
#[cfg_attr(not(feature = "highs"), ignore = "needs a MIP solver (HiGHS)")]
fn a_time_out_from_a_start_keeps_a_verified_plan() {
    let data = knapsack_data(80, 10, 1);
    let loose = scenario(
        &format!("{KNAPSACK_MODEL}solver: {{backend: highs, mip_gap: 0.05}}\n"),
        &data,
    );
    let keep = SolveRequest {
        keep_start: true,
        ..SolveRequest::default()
    };
    let first = allyplan::solve_scenario(&loose, &keep);
    assert_eq!(first.exit, ExitCode::Ok, "{:?}", first.plan.message);
    let start_cost = objective(&first.plan);

    let strict = scenario(
        &format!("{KNAPSACK_MODEL}solver: {{backend: highs, mip_gap: 0}}\n"),
        &data,
    );
    let request = SolveRequest {
        time_limit_s: Some(0.5),
        start: first.start.clone().map(std::sync::Arc::new),
        ..SolveRequest::default()
    };
    let solved = allyplan::solve_scenario(&strict, &request);
    let plan = &solved.plan;
    let warm = plan
        .metadata
        .warm_start
        .as_ref()
        .expect("metadata.warm_start");
    assert!(warm.values && !warm.basis, "{warm:?}");
    assert_eq!(warm.columns_matched, plan.metadata.variables);
    assert_eq!(solved.exit, ExitCode::SolverFailure, "{:?}", plan.message);
    assert_eq!(plan.status, PlanStatus::TimeLimit, "{:?}", plan.message);
    let v = plan.verification.as_ref().expect("a verified plan");
    assert!(v.passed, "{:?}", v.violations);
    let cost = objective(plan);
    assert!(
        cost <= start_cost + 1e-9 * start_cost,
        "{cost} > {start_cost}"
    );
    let mip = plan
        .decisions
        .as_ref()
        .and_then(|d| d.mip)
        .expect("decisions.mip");
    assert!(mip.gap > 0.0, "{mip:?}");
    assert_eq!(mip.target_gap, 0.0);
    let message = plan.message.as_deref().unwrap_or_default();
    assert!(message.contains("gap from the best bound"), "{message}");
    assert!(
        solved.values.is_some(),
        "the plan's point, for the next start"
    );
}
