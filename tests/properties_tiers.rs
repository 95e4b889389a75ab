//! Property tests on random small two-tier scenarios (proptest).
//!
//! Each case draws 1–4 component suppliers (China, Korea, Mexico or the US) of 1–2
//! components, an optional hub at the border, 1–2 assembly sites (Mexico or the US) that
//! make a pack from those components (a bill of materials), lanes suppliers → hub →
//! assembly (some direct, some with a capacity or a mode), named resources, hub
//! throughput, 1–3 periods with lead times, and a `regional_value_content` rule and a
//! `min_bloc_share` (hard or soft). Unmet demand is priced and both rules hold when
//! nothing is made, so every scenario is feasible.
//!
//! Properties:
//! 1. every optimal plan passes the independent verifier (origin classes included);
//! 2. raising the value-content target never lowers the optimal cost;
//! 3. scaling every cost, price and penalty by k scales the optimal cost by k;
//! 4. dropping the lane capacities and hub throughput never raises the cost;
//! 5. removing the rules never raises the cost;
//! 6. listing sites, products and lanes in another order leaves the cost unchanged.

mod common;

use std::fmt::Write as _;

use allyplan::{ExitCode, SolveRequest};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 32;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        max_shrink_iters: 256,
        ..Config::default()
    }
}

const SUPPLIER_COUNTRIES: &[&str] = &["CN", "KR", "MX", "US"];
const ASSEMBLY_COUNTRIES: &[&str] = &["MX", "US"];

#[derive(Debug, Clone)]
struct Supplier {
    country: &'static str,
    /// Which components it makes (at least one), and at what cost.
    makes: Vec<Option<f64>>,
    capacity: f64,
    /// Lane to the hub (if any) and direct lane to each assembly site: (cost, lead,
    /// capacity), `None` when there is no such lane.
    to_hub: Option<(f64, usize, Option<f64>)>,
    direct: Vec<Option<(f64, usize, Option<f64>)>>,
}

#[derive(Debug, Clone)]
struct Assembly {
    country: &'static str,
    line: f64,
    cost: f64,
    from_hub: (f64, usize),
    to_market: f64,
}

#[derive(Debug, Clone)]
struct Spec {
    periods: usize,
    /// Component unit values and bom quantities.
    components: Vec<(f64, f64)>,
    pack_value: f64,
    suppliers: Vec<Supplier>,
    assemblies: Vec<Assembly>,
    hub: Option<f64>,
    demand: Vec<f64>,
    penalty: f64,
    rvc: Option<(f64, Option<f64>)>,
    bloc_share: Option<(f64, Option<f64>)>,
}

/// What a property changes in a spec before it is written.
#[derive(Debug, Clone)]
struct Variant {
    cost_scale: f64,
    limits: bool,
    rules: bool,
    rvc_target: Option<f64>,
    /// Shuffle the entries of every list in the data file with this seed (0: as drawn).
    shuffle: u64,
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            cost_scale: 1.0,
            limits: true,
            rules: true,
            rvc_target: None,
            shuffle: 0,
        }
    }
}

fn whole(range: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    range.prop_map(f64::round)
}

fn lane(periods: usize) -> impl Strategy<Value = Option<(f64, usize, Option<f64>)>> {
    prop::option::weighted(
        0.7,
        (
            whole(1.0..30.0),
            0..periods,
            prop::option::weighted(0.3, whole(20.0..400.0)),
        ),
    )
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=3, 1usize..=2, 1usize..=4, 1usize..=2).prop_flat_map(
        |(periods, n_components, n_suppliers, n_assemblies)| {
            let supplier = (
                prop::sample::select(SUPPLIER_COUNTRIES),
                prop::collection::vec(prop::option::weighted(0.7, whole(5.0..80.0)), n_components),
                whole(50.0..800.0),
                lane(periods),
                prop::collection::vec(lane(periods), n_assemblies),
            )
                .prop_map(|(country, mut makes, capacity, to_hub, direct)| {
                    if makes.iter().all(Option::is_none) {
                        makes[0] = Some(20.0);
                    }
                    Supplier {
                        country,
                        makes,
                        capacity,
                        to_hub,
                        direct,
                    }
                });
            let assembly = (
                prop::sample::select(ASSEMBLY_COUNTRIES),
                whole(50.0..600.0),
                whole(10.0..200.0),
                (whole(0.0..10.0), 0..periods),
                whole(1.0..40.0),
            )
                .prop_map(|(country, line, cost, from_hub, to_market)| Assembly {
                    country,
                    line,
                    cost,
                    from_hub,
                    to_market,
                });
            let share = || {
                prop::option::weighted(
                    0.6,
                    (0.1f64..0.9, prop::option::weighted(0.4, whole(1.0..50.0))),
                )
            };
            (
                Just(periods),
                prop::collection::vec((whole(20.0..400.0), 1.0f64..3.0), n_components),
                whole(500.0..3000.0),
                prop::collection::vec(supplier, n_suppliers),
                prop::collection::vec(assembly, n_assemblies),
                prop::option::weighted(0.6, whole(50.0..1000.0)),
                prop::collection::vec(whole(0.0..300.0), periods),
                whole(2000.0..20000.0),
                share(),
                share(),
            )
                .prop_map(
                    |(
                        periods,
                        components,
                        pack_value,
                        suppliers,
                        assemblies,
                        hub,
                        demand,
                        penalty,
                        rvc,
                        bloc_share,
                    )| {
                        let mut spec = Spec {
                            periods,
                            components: components
                                .into_iter()
                                .map(|(v, q)| (v, (q * 2.0).round() / 2.0))
                                .collect(),
                            pack_value,
                            suppliers,
                            assemblies,
                            hub,
                            demand,
                            penalty,
                            rvc,
                            bloc_share,
                        };
                        connect(&mut spec);
                        spec
                    },
                )
        },
    )
}

/// Makes every component reachable from every assembly site: each component has a
/// supplier, and each supplier a way to each assembly site (through the hub when there
/// is one, else a direct lane). Lanes drawn as absent get a plain one.
fn connect(spec: &mut Spec) {
    let n = spec.suppliers.len();
    for c in 0..spec.components.len() {
        if spec.suppliers.iter().all(|s| s.makes[c].is_none()) {
            spec.suppliers[c % n].makes[c] = Some(25.0);
        }
    }
    let hub = spec.hub.is_some();
    for s in &mut spec.suppliers {
        if hub {
            s.to_hub.get_or_insert((10.0, 0, None));
        } else {
            for d in &mut s.direct {
                d.get_or_insert((12.0, 0, None));
            }
        }
    }
}

fn num(x: f64) -> String {
    format!("{x}")
}

/// The model and data files of a spec.
fn render(spec: &Spec, v: &Variant) -> (String, String) {
    let k = v.cost_scale;
    let periods: Vec<String> = (0..spec.periods)
        .map(|t| format!("2027-{:02}", t + 1))
        .collect();
    let mut d = String::new();
    let _ = writeln!(d, "periods: [{}]", periods.join(", "));
    let _ = writeln!(d, "products:");
    let bom: Vec<String> = spec
        .components
        .iter()
        .enumerate()
        .map(|(c, (_, q))| format!("c{c}: {}", num(*q)))
        .collect();
    let _ = writeln!(
        d,
        "  - {{id: pack, unit_value: {}, bom: {{{}}}}}",
        num(spec.pack_value),
        bom.join(", ")
    );
    for (c, (value, _)) in spec.components.iter().enumerate() {
        let _ = writeln!(d, "  - {{id: c{c}, unit_value: {}}}", num(*value));
    }
    let _ = writeln!(d, "sites:");
    for (i, s) in spec.suppliers.iter().enumerate() {
        let makes: Vec<String> = s
            .makes
            .iter()
            .enumerate()
            .filter_map(|(c, m)| {
                m.map(|cost| format!("c{c}: {{rate: 1, cost: {}}}", num(cost * k)))
            })
            .collect();
        let _ = writeln!(
            d,
            "  - {{id: sup{i}, country: {}, capacity: {}, products: {{{}}}}}",
            s.country,
            num(s.capacity),
            makes.join(", ")
        );
    }
    if let Some(throughput) = spec.hub {
        let limit = if v.limits {
            format!(", throughput: {}", num(throughput))
        } else {
            String::new()
        };
        let _ = writeln!(d, "  - {{id: hub, country: US, kind: hub{limit}}}");
    }
    for (a, s) in spec.assemblies.iter().enumerate() {
        let _ = writeln!(
            d,
            "  - {{id: asm{a}, country: {}, resources: {{line: {}}}, products: {{pack: {{cost: {}, uses: {{line: 1}}}}}}}}",
            s.country,
            num(s.line),
            num(s.cost * k)
        );
    }
    let _ = writeln!(d, "markets:\n  - {{id: us-east, country: US}}");
    let _ = writeln!(d, "lanes:");
    let lane_text = |d: &mut String,
                     from: &str,
                     to: &str,
                     (cost, lead, cap): (f64, usize, Option<f64>),
                     mode: &str| {
        let cap = match cap {
            Some(c) if v.limits => format!(", capacity: {}", num(c)),
            _ => String::new(),
        };
        let _ = writeln!(
            d,
            "  - {{from: {from}, to: {to}, cost: {}, lead_time: {lead}{cap}, mode: {mode}}}",
            num(cost * k)
        );
    };
    for (i, s) in spec.suppliers.iter().enumerate() {
        let from = format!("sup{i}");
        if let (Some(l), Some(_)) = (s.to_hub, spec.hub) {
            lane_text(&mut d, &from, "hub", l, "ocean");
        }
        for (a, l) in s.direct.iter().enumerate() {
            if let Some(l) = l {
                lane_text(&mut d, &from, &format!("asm{a}"), *l, "truck");
            }
        }
    }
    for (a, s) in spec.assemblies.iter().enumerate() {
        if spec.hub.is_some() {
            let (cost, lead) = s.from_hub;
            lane_text(
                &mut d,
                "hub",
                &format!("asm{a}"),
                (cost, lead, None),
                "rail",
            );
        }
        let _ = writeln!(
            d,
            "  - {{from: asm{a}, to: us-east, cost: {}}}",
            num(s.to_market * k)
        );
    }
    let quantities: Vec<String> = spec.demand.iter().map(|q| num(*q)).collect();
    let _ = writeln!(
        d,
        "demand:\n  - {{market: us-east, product: pack, quantity: [{}]}}",
        quantities.join(", ")
    );

    let mut m = String::new();
    let _ = writeln!(m, "name: two-tier-property\nblocs:\n  usmca: [US, MX, CA]");
    let _ = writeln!(m, "objective:\n  unmet_penalty: {}", num(spec.penalty * k));
    let _ = writeln!(m, "policies:");
    let soft = |p: Option<f64>| {
        p.map_or(String::new(), |p| {
            format!(", soft: {{penalty: {}}}", num(p * k))
        })
    };
    if v.rules {
        if let Some((share, penalty)) = spec.rvc {
            let share = v.rvc_target.unwrap_or(share);
            let _ = writeln!(
                m,
                "  - {{name: rvc, kind: regional_value_content, bloc: usmca, min_share: {}, products: [pack]{}}}",
                num(share),
                soft(penalty)
            );
        }
        if let Some((share, penalty)) = spec.bloc_share {
            let _ = writeln!(
                m,
                "  - {{name: bloc, kind: min_bloc_share, bloc: usmca, min_share: {}, products: all{}}}",
                num(share),
                soft(penalty)
            );
        }
    }
    if m.ends_with("policies:\n") {
        m.push_str("  []\n");
        m = m.replace("policies:\n  []\n", "policies: []\n");
    }
    let d = if v.shuffle == 0 {
        d
    } else {
        shuffled(&d, v.shuffle)
    };
    (m, d)
}

/// The data file with the one-line entries of each list section in another order.
fn shuffled(data: &str, seed: u64) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut block: Vec<String> = Vec::new();
    let mut state = seed;
    let mut flush = |block: &mut Vec<String>, out: &mut Vec<String>| {
        // Fisher-Yates with a xorshift generator: deterministic for a seed.
        for i in (1..block.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = (state % (i as u64 + 1)) as usize;
            block.swap(i, j);
        }
        out.append(block);
    };
    for line in data.lines() {
        if line.starts_with("  - ") {
            block.push(line.to_string());
        } else {
            flush(&mut block, &mut out);
            out.push(line.to_string());
        }
    }
    flush(&mut block, &mut out);
    out.join("\n") + "\n"
}

/// Loads, validates, solves; the plan must be optimal and verified. Returns the cost.
fn solve(spec: &Spec, v: &Variant) -> Result<f64, TestCaseError> {
    let (model, data) = render(spec, v);
    let sc = common::scenario(&model, &data);
    let request = SolveRequest {
        backend: std::env::var("ALLYPLAN_PROPERTY_BACKEND").ok(),
        ..SolveRequest::default()
    };
    let solved = allyplan::solve_scenario(&sc, &request);
    let plan = &solved.plan;
    prop_assert_eq!(
        solved.exit,
        ExitCode::Ok,
        "status {} ({:?}) for\n{}\n{}",
        plan.status,
        plan.message,
        model,
        data
    );
    let verification = plan
        .verification
        .as_ref()
        .ok_or_else(|| TestCaseError::fail("an optimal plan carries its verification"))?;
    prop_assert!(
        verification.passed,
        "verification failed: worst {:?} ({}), gap {}\n{}\n{}",
        verification.worst_constraint,
        verification.worst_violation,
        verification.objective_gap,
        model,
        data
    );
    prop_assert!(
        plan.metadata.solver_note.is_none(),
        "solved only after a fallback: {:?}",
        plan.metadata.solver_note
    );
    plan.objective
        .ok_or_else(|| TestCaseError::fail("an optimal plan has an objective"))
}

fn at_most(a: f64, b: f64) -> bool {
    a <= b + 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(config())]

    /// 1. Every optimal plan passes the independent verifier (checked inside `solve`).
    #[test]
    fn every_two_tier_plan_passes_the_verifier(spec in spec()) {
        solve(&spec, &Variant::default())?;
    }

    /// 2. Raising the value-content target never lowers the optimal cost.
    #[test]
    fn raising_the_value_content_target_never_lowers_the_cost(
        spec in spec(),
        low in 0.0f64..0.5,
        step in 0.05f64..0.5,
    ) {
        prop_assume!(spec.rvc.is_some());
        let lower = solve(&spec, &Variant { rvc_target: Some(low), ..Variant::default() })?;
        let higher =
            solve(&spec, &Variant { rvc_target: Some(low + step), ..Variant::default() })?;
        prop_assert!(at_most(lower, higher), "{} at {} > {} at {}", lower, low, higher, low + step);
    }

    /// 3. Scaling every cost, price and penalty by k scales the optimal cost by k.
    #[test]
    fn scaling_two_tier_costs_scales_the_objective(spec in spec(), k in 0.5f64..4.0) {
        let k = (k * 4.0).round() / 4.0;
        let base = solve(&spec, &Variant::default())?;
        let scaled = solve(&spec, &Variant { cost_scale: k, ..Variant::default() })?;
        prop_assert!(close(base * k, scaled), "{} × {} ≠ {}", base, k, scaled);
    }

    /// 4. Dropping lane capacities and hub throughput never raises the cost.
    #[test]
    fn dropping_lane_and_hub_limits_never_raises_the_cost(spec in spec()) {
        let limited = solve(&spec, &Variant::default())?;
        let free = solve(&spec, &Variant { limits: false, ..Variant::default() })?;
        prop_assert!(at_most(free, limited), "{} without limits > {} with", free, limited);
    }

    /// 6. Listing sites, products and lanes in another order leaves the cost unchanged
    /// (origin classes and where they can be do not depend on the order).
    #[test]
    fn reordering_two_tier_entries_leaves_the_cost_unchanged(
        spec in spec(),
        seed in 1u64..u64::MAX,
    ) {
        let base = solve(&spec, &Variant::default())?;
        let reordered = solve(&spec, &Variant { shuffle: seed, ..Variant::default() })?;
        prop_assert!(close(base, reordered), "{} ≠ {} reordered", base, reordered);
    }

    /// 5. Removing the value-content and bloc-share rules never raises the cost.
    #[test]
    fn removing_origin_rules_never_raises_the_cost(spec in spec()) {
        let ruled = solve(&spec, &Variant::default())?;
        let free = solve(&spec, &Variant { rules: false, ..Variant::default() })?;
        prop_assert!(at_most(free, ruled), "{} without rules > {} with", free, ruled);
    }
}
