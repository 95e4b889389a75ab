//! Property tests on random small scenarios (proptest).
//!
//! Each case draws a network (1–3 periods, 1–2 products, 1–3 sites in the US, Mexico or
//! China with initial stock and a last load now and then, 1–2 markets in the US, Mexico or
//! Canada, random lanes (some with a cost per product), lead times, costs, capacities,
//! overtime, storage and demand) and a few policies (load-band and contract minimums
//! among them, soft so that the scenario stays feasible), writes it as YAML, loads, validates, builds and solves it
//! with the default backend (microlp). Unmet demand is priced and every hard policy can
//! be met by shipping nothing, so every scenario is feasible.
//!
//! Properties:
//! 1. every optimal plan passes the independent verifier;
//! 2. raising a `min_bloc_share` never lowers the optimal cost;
//! 3. scaling every cost, price and penalty by k scales the optimal cost by k;
//! 4. reordering the entries of every list (and map) in the input leaves the cost unchanged;
//! 5. removing a policy never raises the cost;
//! 6. adding capacity to a site never raises the cost (load-band minimums aside: they
//!    are a share of capacity).
//!
//! `cargo test` runs [`DEFAULT_CASES`] cases per property; set `PROPTEST_CASES` for more,
//! and `ALLYPLAN_PROPERTY_BACKEND` (e.g. `clarabel`) to solve with another backend.

mod common;

use std::fmt::Write as _;

use allyplan::{ExitCode, SolveRequest};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 64;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        // Shrinking re-solves many scenarios; a few hundred steps find a small one.
        max_shrink_iters: 512,
        ..Config::default()
    }
}

#[derive(Debug, Clone)]
struct Product {
    unit_value: f64,
    critical: bool,
    penalty: f64,
}

#[derive(Debug, Clone)]
struct Site {
    country: &'static str,
    capacity: Vec<f64>,
    /// Per product: (rate, cost) when the site makes it.
    makes: Vec<Option<(f64, f64)>>,
    overtime: Option<(f64, f64)>,
    holding: f64,
    storage: Option<f64>,
    /// Units on hand before the first period, of each product it makes.
    initial: Option<f64>,
    /// Load in the period before the horizon.
    last_load: Option<f64>,
}

#[derive(Debug, Clone)]
struct Lane {
    from: usize,
    to: usize,
    cost: f64,
    lead_time: usize,
    tariff: f64,
    duty: f64,
    emissions: f64,
    /// A cost per product instead of one cost (`None`: that product cannot use the lane).
    per_product: Option<Vec<Option<f64>>>,
}

#[derive(Debug, Clone)]
enum Policy {
    MinBloc {
        share: f64,
        per_period: bool,
    },
    MaxCountry {
        share: f64,
    },
    Exclude,
    Ramp {
        change: f64,
    },
    /// A load band; a minimum above 0 is soft at `penalty` (so the scenario stays feasible).
    Band {
        min: f64,
        max: f64,
        penalty: f64,
    },
    /// A contract volume; a minimum above 0 is soft at `penalty`.
    Volume {
        site: usize,
        min: f64,
        max: f64,
        penalty: f64,
    },
    Emissions {
        max: f64,
    },
    FillRate {
        min: f64,
        penalty: f64,
    },
}

#[derive(Debug, Clone)]
struct Spec {
    periods: usize,
    products: Vec<Product>,
    sites: Vec<Site>,
    markets: usize,
    /// Each market's country (US, MX or CA).
    market_countries: Vec<&'static str>,
    lanes: Vec<Lane>,
    /// Per (market, product): quantity per period.
    demand: Vec<Vec<Vec<f64>>>,
    leveling_weight: f64,
    carbon_price: f64,
    policies: Vec<Policy>,
}

/// Changes applied when a spec is written out.
#[derive(Debug, Clone)]
struct Variant {
    /// Multiplies every cost, price and penalty.
    cost_scale: f64,
    /// Replaces every `min_bloc_share`'s share.
    min_share: Option<f64>,
    /// Leaves out the policy at this index.
    drop_policy: Option<usize>,
    /// Adds capacity to one site in every period.
    extra_capacity: Option<(usize, f64)>,
    /// Shuffles every list and map with this seed (0: file order as generated).
    shuffle: u64,
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            cost_scale: 1.0,
            min_share: None,
            drop_policy: None,
            extra_capacity: None,
            shuffle: 0,
        }
    }
}

/// Round to 2 decimals so the YAML holds exactly the numbers the spec means.
fn money(range: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    range.prop_map(|x| (x * 100.0).round() / 100.0)
}

fn whole(range: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    range.prop_map(f64::round)
}

fn policy(n_sites: usize) -> impl Strategy<Value = Policy> {
    prop_oneof![
        (money(0.0..1.0), any::<bool>())
            .prop_map(|(share, per_period)| Policy::MinBloc { share, per_period }),
        money(0.3..1.0).prop_map(|share| Policy::MaxCountry { share }),
        Just(Policy::Exclude),
        money(0.05..1.0).prop_map(|change| Policy::Ramp { change }),
        (
            prop::option::weighted(0.5, money(0.05..0.6)),
            money(0.5..1.5),
            money(1.0..200.0)
        )
            .prop_map(|(min, max, penalty)| Policy::Band {
                min: min.unwrap_or(0.0).min(max),
                max,
                penalty
            }),
        (
            0..n_sites,
            prop::option::weighted(0.5, 0.0..1.0f64),
            whole(0.0..2000.0),
            money(1.0..200.0)
        )
            .prop_map(|(site, min, max, penalty)| Policy::Volume {
                site,
                min: min.map_or(0.0, |f| (f * max).round()),
                max,
                penalty
            }),
        whole(0.0..50_000.0).prop_map(|max| Policy::Emissions { max }),
        (money(0.0..1.0), money(1.0..5000.0))
            .prop_map(|(min, penalty)| Policy::FillRate { min, penalty }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=3, 1usize..=2, 1usize..=3, 1usize..=2)
        .prop_flat_map(|(periods, n_products, n_sites, markets)| {
            let product = (money(0.0..500.0), any::<bool>(), money(100.0..5000.0)).prop_map(
                |(unit_value, critical, penalty)| Product {
                    unit_value,
                    critical,
                    penalty,
                },
            );
            let site = (
                prop::sample::select(vec!["US", "MX", "CN"]),
                prop::collection::vec(whole(0.0..1500.0), periods),
                prop::collection::vec(
                    prop::option::weighted(0.75, (money(0.2..3.0), money(0.0..60.0))),
                    n_products,
                ),
                prop::option::of((whole(0.0..300.0), money(0.0..80.0))),
                money(0.0..5.0),
                prop::option::of(whole(0.0..500.0)),
                prop::option::weighted(0.3, whole(0.0..100.0)),
                prop::option::weighted(0.3, 0.0..0.05f64),
            )
                .prop_map(
                    move |(country, capacity, makes, overtime, holding, storage, initial, last)| {
                        // Feasible by construction: initial stock fits the storage, and a
                        // last load within 5% of the first capacity lets the first load
                        // be 0 under any ramp limit drawn (at least 5%).
                        let initial =
                            initial.filter(|&i| storage.is_none_or(|s| i * n_products as f64 <= s));
                        let last_load = last.map(|f| (f * capacity[0]).floor());
                        Site {
                            country,
                            capacity,
                            makes,
                            overtime,
                            holding,
                            storage,
                            initial,
                            last_load,
                        }
                    },
                );
            let lane = (
                0..n_sites,
                0..markets,
                money(0.0..30.0),
                0..periods,
                money(0.0..0.3),
                money(0.0..5.0),
                money(0.0..10.0),
                prop::option::weighted(
                    0.3,
                    prop::collection::vec(
                        prop::option::weighted(0.8, money(0.0..30.0)),
                        n_products,
                    ),
                ),
            )
                .prop_map(
                    |(from, to, cost, lead_time, tariff, duty, emissions, per_product)| Lane {
                        from,
                        to,
                        cost,
                        lead_time,
                        tariff,
                        duty,
                        emissions,
                        per_product,
                    },
                );
            (
                Just(periods),
                prop::collection::vec(product, n_products),
                prop::collection::vec(site, n_sites),
                Just(markets),
                prop::collection::vec(prop::sample::select(vec!["US", "MX", "CA"]), markets),
                prop::collection::vec(lane, 1..=6),
                prop::collection::vec(
                    prop::collection::vec(
                        prop::collection::vec(whole(0.0..400.0), periods),
                        n_products,
                    ),
                    markets,
                ),
                money(0.0..3.0),
                money(0.0..0.2),
                prop::collection::vec(policy(n_sites), 0..=4),
            )
        })
        .prop_map(
            |(
                periods,
                products,
                sites,
                markets,
                market_countries,
                lanes,
                demand,
                leveling_weight,
                carbon_price,
                policies,
            )| {
                // One lane per (site, market): later duplicates are dropped.
                let mut seen = Vec::new();
                let lanes = lanes
                    .into_iter()
                    .filter(|l| {
                        let key = (l.from, l.to);
                        let fresh = !seen.contains(&key);
                        seen.push(key);
                        fresh
                    })
                    .collect();
                Spec {
                    periods,
                    products,
                    sites,
                    markets,
                    market_countries,
                    lanes,
                    demand,
                    leveling_weight,
                    carbon_price,
                    policies,
                }
            },
        )
}

/// A small deterministic shuffle (the order is part of what is being tested, so it
/// must not depend on anything but the seed).
fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    if seed == 0 {
        return items;
    }
    let mut state = seed;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (state >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
    items
}

fn num(x: f64) -> String {
    format!("{x}")
}

fn list(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|&x| num(x)).collect();
    format!("[{}]", parts.join(", "))
}

fn period(t: usize) -> String {
    format!("2027-{:02}", t + 1)
}

/// The model text (without `data`, which the test helper adds) and the data text.
fn render(spec: &Spec, v: &Variant) -> (String, String) {
    let k = v.cost_scale;
    let seed = v.shuffle;
    let mut data = String::new();
    let periods: Vec<String> = (0..spec.periods).map(period).collect();
    let _ = writeln!(data, "periods: [{}]", periods.join(", "));

    let _ = writeln!(data, "products:");
    let order = shuffled((0..spec.products.len()).collect(), seed);
    for p in order {
        let pr = &spec.products[p];
        let _ = writeln!(
            data,
            "  - {{id: p{p}, unit_value: {}, critical: {}, unmet_penalty: {}}}",
            num(pr.unit_value * k),
            pr.critical,
            num(pr.penalty * k)
        );
    }

    let _ = writeln!(data, "sites:");
    let order = shuffled((0..spec.sites.len()).collect(), seed.wrapping_add(1));
    for s in order {
        let site = &spec.sites[s];
        let mut capacity = site.capacity.clone();
        if let Some((at, extra)) = v.extra_capacity {
            if at == s {
                capacity.iter_mut().for_each(|c| *c += extra);
            }
        }
        let _ = writeln!(data, "  - id: s{s}");
        let _ = writeln!(data, "    country: {}", site.country);
        let _ = writeln!(data, "    capacity: {}", list(&capacity));
        if let Some(last) = site.last_load {
            let _ = writeln!(data, "    last_load: {}", num(last));
        }
        if let Some((cap, cost)) = site.overtime {
            let _ = writeln!(
                data,
                "    overtime: {{capacity: {}, cost: {}}}",
                num(cap),
                num(cost * k)
            );
        }
        let made: Vec<usize> = (0..spec.products.len())
            .filter(|&p| site.makes[p].is_some())
            .collect();
        let _ = writeln!(data, "    products:");
        if made.is_empty() {
            let _ = writeln!(data, "      {{}}");
        }
        for &p in &shuffled(made.clone(), seed.wrapping_add(2)) {
            if let Some((rate, cost)) = site.makes[p] {
                let _ = writeln!(
                    data,
                    "      p{p}: {{rate: {}, cost: {}}}",
                    num(rate),
                    num(cost * k)
                );
            }
        }
        if !made.is_empty() {
            let holding: Vec<String> = shuffled(made.clone(), seed.wrapping_add(3))
                .iter()
                .map(|p| format!("p{p}: {}", num(site.holding * k)))
                .collect();
            let _ = writeln!(data, "    inventory:");
            let _ = writeln!(data, "      holding_cost: {{{}}}", holding.join(", "));
            if let Some(cap) = site.storage {
                let _ = writeln!(data, "      capacity: {}", num(cap));
            }
            if let Some(units) = site.initial {
                let initial: Vec<String> = shuffled(made.clone(), seed.wrapping_add(7))
                    .iter()
                    .map(|p| format!("p{p}: {}", num(units)))
                    .collect();
                let _ = writeln!(data, "      initial: {{{}}}", initial.join(", "));
            }
        }
    }

    let _ = writeln!(data, "markets:");
    for m in shuffled((0..spec.markets).collect(), seed.wrapping_add(4)) {
        let _ = writeln!(
            data,
            "  - {{id: m{m}, country: {}}}",
            spec.market_countries[m]
        );
    }

    let _ = writeln!(data, "lanes:");
    for l in shuffled((0..spec.lanes.len()).collect(), seed.wrapping_add(5)) {
        let lane = &spec.lanes[l];
        // A per-product map when the lane has one with at least one product on it.
        let cost = match &lane.per_product {
            Some(costs) if costs.iter().any(Option::is_some) => {
                let entries: Vec<String> = costs
                    .iter()
                    .enumerate()
                    .filter_map(|(p, c)| c.map(|c| format!("p{p}: {}", num(c * k))))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            _ => num(lane.cost * k),
        };
        let _ = writeln!(
            data,
            "  - {{from: s{}, to: m{}, cost: {}, lead_time: {}, tariff: {}, duty: {}, emissions: {}}}",
            lane.from,
            lane.to,
            cost,
            lane.lead_time,
            num(lane.tariff),
            num(lane.duty * k),
            num(lane.emissions)
        );
    }

    let _ = writeln!(data, "demand:");
    let pairs: Vec<(usize, usize)> = (0..spec.markets)
        .flat_map(|m| (0..spec.products.len()).map(move |p| (m, p)))
        .collect();
    for (m, p) in shuffled(pairs, seed.wrapping_add(6)) {
        let _ = writeln!(
            data,
            "  - {{market: m{m}, product: p{p}, quantity: {}}}",
            list(&spec.demand[m][p])
        );
    }

    let mut model = String::from("name: property\nblocs: {usmca: [US, MX, CA]}\n");
    let _ = writeln!(
        model,
        "objective: {{unmet_penalty: {}, leveling_weight: {}, carbon_price: {}}}",
        num(1000.0 * k),
        num(spec.leveling_weight * k),
        num(spec.carbon_price * k)
    );
    let _ = writeln!(model, "policies:");
    let mut any = false;
    for (i, policy) in spec.policies.iter().enumerate() {
        if v.drop_policy == Some(i) {
            continue;
        }
        any = true;
        let line = match policy {
            Policy::MinBloc { share, per_period } => format!(
                "{{kind: min_bloc_share, bloc: usmca, min_share: {}, per: {}}}",
                num(v.min_share.unwrap_or(*share)),
                if *per_period { "period" } else { "horizon" }
            ),
            Policy::MaxCountry { share } => {
                format!("{{kind: max_country_share, max_share: {}}}", num(*share))
            }
            Policy::Exclude => {
                "{kind: exclude_origin, countries: [CN], products: critical}".to_string()
            }
            Policy::Ramp { change } => {
                format!("{{kind: ramp_limit, max_change: {}}}", num(*change))
            }
            Policy::Band { min, max, penalty } if *min > 0.0 => format!(
                "{{kind: load_band, min: {}, max: {}, soft: {{penalty: {}}}}}",
                num(*min),
                num(*max),
                num(*penalty * k)
            ),
            Policy::Band { max, .. } => format!("{{kind: load_band, min: 0, max: {}}}", num(*max)),
            Policy::Volume {
                site,
                min,
                max,
                penalty,
            } if *min > 0.0 => format!(
                "{{kind: site_volume, site: s{site}, min: {}, max: {}, soft: {{penalty: {}}}}}",
                num(*min),
                num(*max),
                num(*penalty * k)
            ),
            Policy::Volume { site, max, .. } => {
                format!("{{kind: site_volume, site: s{site}, max: {}}}", num(*max))
            }
            Policy::Emissions { max } => {
                format!("{{kind: emissions_cap, max: {}}}", num(*max))
            }
            Policy::FillRate { min, penalty } => format!(
                "{{kind: min_fill_rate, min: {}, soft: {{penalty: {}}}}}",
                num(*min),
                num(*penalty * k)
            ),
        };
        let _ = writeln!(model, "  - {line}");
    }
    if !any {
        model = model.replace("policies:\n", "policies: []\n");
    }
    (model, data)
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
        "verification failed: worst {:?} ({}), gap {}",
        verification.worst_constraint,
        verification.worst_violation,
        verification.objective_gap
    );
    // The pipeline re-solves a plan that fails verification with another backend; the
    // first backend's plan must have passed on its own.
    prop_assert!(
        plan.metadata.solver_note.is_none(),
        "solved only after a fallback: {:?}",
        plan.metadata.solver_note
    );
    plan.objective
        .ok_or_else(|| TestCaseError::fail("an optimal plan has an objective"))
}

/// `a ≤ b` up to solver round-off.
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
    fn every_optimal_plan_passes_the_verifier(spec in spec()) {
        solve(&spec, &Variant::default())?;
    }

    /// 2. Raising a minimum bloc share never lowers the optimal cost.
    #[test]
    fn raising_a_min_bloc_share_never_lowers_the_cost(
        mut spec in spec(),
        low in money(0.0..1.0),
        raise in money(0.0..1.0),
        per_period in any::<bool>(),
    ) {
        if !spec.policies.iter().any(|p| matches!(p, Policy::MinBloc { .. })) {
            spec.policies.push(Policy::MinBloc { share: low, per_period });
        }
        let high = (low + raise).min(1.0);
        let cost_low = solve(&spec, &Variant { min_share: Some(low), ..Variant::default() })?;
        let cost_high = solve(&spec, &Variant { min_share: Some(high), ..Variant::default() })?;
        prop_assert!(
            at_most(cost_low, cost_high),
            "min_share {} costs {} but {} costs {}", low, cost_low, high, cost_high
        );
    }

    /// 3. Scaling every cost, price and penalty by k scales the optimal cost by k.
    #[test]
    fn scaling_costs_by_k_scales_the_objective_by_k(
        spec in spec(),
        k in prop::sample::select(vec![0.01, 0.5, 2.0, 10.0, 1000.0]),
    ) {
        let base = solve(&spec, &Variant::default())?;
        let scaled = solve(&spec, &Variant { cost_scale: k, ..Variant::default() })?;
        prop_assert!(
            close(scaled, k * base),
            "cost {} scaled by {} should be {}, is {}", base, k, k * base, scaled
        );
    }

    /// 4. The order of entries in the input does not change the optimal cost.
    #[test]
    fn reordering_ids_leaves_the_objective_unchanged(spec in spec(), seed in 1u64..u64::MAX) {
        let base = solve(&spec, &Variant::default())?;
        let reordered = solve(&spec, &Variant { shuffle: seed, ..Variant::default() })?;
        prop_assert!(close(base, reordered), "{} in file order, {} reordered", base, reordered);
    }

    /// 5. Removing a policy never raises the cost.
    #[test]
    fn removing_a_policy_never_raises_the_cost(
        mut spec in spec(),
        extra in policy(1),
        pick in any::<prop::sample::Index>(),
    ) {
        if spec.policies.is_empty() {
            spec.policies.push(extra);
        }
        let i = pick.index(spec.policies.len());
        let with = solve(&spec, &Variant::default())?;
        let without = solve(&spec, &Variant { drop_policy: Some(i), ..Variant::default() })?;
        prop_assert!(
            at_most(without, with),
            "without {:?} the cost rose from {} to {}", spec.policies[i], with, without
        );
    }

    /// 6. Adding capacity to a site never raises the cost. Not with a load-band minimum:
    /// it is a share of capacity, so more capacity raises the load the site must carry
    /// (the widened generator found this); those minimums are left out here.
    #[test]
    fn adding_capacity_never_raises_the_cost(
        mut spec in spec(),
        pick in any::<prop::sample::Index>(),
        extra in whole(1.0..2000.0),
    ) {
        for policy in &mut spec.policies {
            if let Policy::Band { min, .. } = policy {
                *min = 0.0;
            }
        }
        let s = pick.index(spec.sites.len());
        let before = solve(&spec, &Variant::default())?;
        let after = solve(&spec, &Variant { extra_capacity: Some((s, extra)), ..Variant::default() })?;
        prop_assert!(
            at_most(after, before),
            "{} more capacity at s{} raised the cost from {} to {}", extra, s, before, after
        );
    }
}

/// The generator's own check: a fixed spec renders to valid input.
#[test]
fn a_fixed_spec_renders_and_solves() {
    let spec = Spec {
        periods: 2,
        products: vec![Product {
            unit_value: 100.0,
            critical: true,
            penalty: 500.0,
        }],
        sites: vec![Site {
            country: "MX",
            capacity: vec![100.0, 50.0],
            makes: vec![Some((1.0, 10.0))],
            overtime: Some((20.0, 5.0)),
            holding: 1.0,
            storage: Some(40.0),
            initial: None,
            last_load: None,
        }],
        markets: 1,
        market_countries: vec!["US"],
        lanes: vec![Lane {
            from: 0,
            to: 0,
            cost: 2.0,
            lead_time: 0,
            tariff: 0.1,
            duty: 1.0,
            emissions: 2.0,
            per_product: None,
        }],
        demand: vec![vec![vec![80.0, 90.0]]],
        leveling_weight: 0.0,
        carbon_price: 0.0,
        policies: vec![Policy::MinBloc {
            share: 0.5,
            per_period: true,
        }],
    };
    let cost = solve(&spec, &Variant::default()).expect("solves");
    // 170 units at 10 + 2 + 0.1·100 + 1 = 23. Period 2 needs 40 beyond its capacity:
    // 20 made in period 1 (all its spare capacity) and held at 1, and 20 on overtime at 5.
    common::assert_close(cost, 170.0 * 23.0 + 20.0 * 1.0 + 20.0 * 5.0, "cost");
}
