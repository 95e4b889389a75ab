//! One test per constraint family of DESIGN.md ("The LP", "Policy rows"), each on a tiny
//! scenario whose optimum is computed by hand in the comments. Lane costs, production
//! costs and holding costs are 0 unless a test says otherwise.

mod common;

use allyplan::build;
use common::{
    assert_close, inventory, objective, overtime, production, scenario, shipped, shipped_total,
    site_load, slack, solve, unmet, unmet_total,
};

// ---------------------------------------------------------------------------------------
// Capacity and overtime
// ---------------------------------------------------------------------------------------

/// One period; site `a`: capacity 10, overtime up to 5 at $3 per capacity unit, product
/// `w` at rate 2 and $10 per unit; lane to `m` at $1; unmet $1000.
fn overtime_scenario(demand: f64) -> allyplan::Scenario {
    scenario(
        "objective: {unmet_penalty: 1000}",
        &format!(
            "
            periods: [p1]
            products: [{{id: w}}]
            sites:
              - id: a
                country: US
                capacity: 10
                overtime: {{capacity: 5, cost: 3}}
                products: {{w: {{rate: 2, cost: 10}}}}
            markets: [{{id: m, country: US}}]
            lanes: [{{from: a, to: m, cost: 1}}]
            demand: [{{market: m, product: w, quantity: {demand}}}]
            "
        ),
    )
}

#[test]
fn overtime_is_used_only_beyond_regular_capacity() {
    // Demand 4: load 8 ≤ 10, no overtime. Cost 4 × (10 + 1) = 44.
    let plan = solve(&overtime_scenario(4.0));
    assert_close(overtime(&plan, "a", "p1"), 0.0, "overtime at demand 4");
    assert_close(site_load(&plan, "a", "p1"), 8.0, "load at demand 4");
    assert_close(objective(&plan), 44.0, "objective at demand 4");

    // Demand 7: load 14 = 10 regular + 4 overtime. Cost 7 × 11 + 4 × 3 = 89.
    let plan = solve(&overtime_scenario(7.0));
    assert_close(overtime(&plan, "a", "p1"), 4.0, "overtime at demand 7");
    assert_close(objective(&plan), 89.0, "objective at demand 7");
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(costs.overtime, 12.0, "overtime cost at demand 7");
    assert_close(costs.production, 70.0, "production cost at demand 7");

    // Demand 9: load would be 18 > 10 + 5, so 15 / 2 = 7.5 units are made with all 5
    // overtime units, and 1.5 are unmet. Cost 7.5 × 11 + 5 × 3 + 1.5 × 1000 = 1597.5.
    let plan = solve(&overtime_scenario(9.0));
    assert_close(overtime(&plan, "a", "p1"), 5.0, "overtime at demand 9");
    assert_close(
        production(&plan, "a", "w", "p1"),
        7.5,
        "production at demand 9",
    );
    assert_close(unmet(&plan, "m", "w", "p1"), 1.5, "unmet at demand 9");
    assert_close(objective(&plan), 1597.5, "objective at demand 9");
}

#[test]
fn capacity_and_overtime_given_per_period() {
    // Capacity [10, 8], overtime capacity [0, 5] at $3, rate 1, cost 10, lane $1,
    // demand [10, 10]. p1 runs full (10) with no overtime available; p2 needs load 10 on
    // capacity 8: 2 overtime units. Nothing can be built ahead (p1 is full).
    // Cost: 20 × (10 + 1) + 2 × 3 = 226.
    let sc = scenario(
        "objective: {unmet_penalty: 1000}",
        "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - id: a
            country: US
            capacity: [10, 8]
            overtime: {capacity: [0, 5], cost: 3}
            products: {w: {rate: 1, cost: 10}}
        markets: [{id: m, country: US}]
        lanes: [{from: a, to: m, cost: 1}]
        demand: [{market: m, product: w, quantity: [10, 10]}]
        ",
    );
    let plan = solve(&sc);
    assert_close(overtime(&plan, "a", "p1"), 0.0, "overtime in p1");
    assert_close(overtime(&plan, "a", "p2"), 2.0, "overtime in p2");
    assert_close(objective(&plan), 226.0, "objective");
}

#[test]
fn capacity_is_shared_by_products_at_their_rates() {
    // Capacity 10; `a` takes 1 capacity unit per unit, `b` takes 2; both cost $1 to make.
    // Demand 4 of each needs load 4 + 8 = 12 > 10. Unmet: a $100, b $300 per unit, i.e.
    // a saves $99 per capacity unit and b $299 / 2 = $149.5: serve all of b (load 8) and
    // 2 of a (load 2); 2 of a go unmet. Cost: 6 × 1 + 2 × 100 = 206.
    let sc = scenario(
        "",
        "
        periods: [p1]
        products:
          - {id: a, unmet_penalty: 100}
          - {id: b, unmet_penalty: 300}
        sites:
          - {id: s, country: US, capacity: 10, products: {a: {rate: 1, cost: 1}, b: {rate: 2, cost: 1}}}
        markets: [{id: m, country: US}]
        lanes: [{from: s, to: m}]
        demand:
          - {market: m, product: a, quantity: 4}
          - {market: m, product: b, quantity: 4}
        ",
    );
    let plan = solve(&sc);
    assert_close(production(&plan, "s", "a", "p1"), 2.0, "a made");
    assert_close(production(&plan, "s", "b", "p1"), 4.0, "b made");
    assert_close(site_load(&plan, "s", "p1"), 10.0, "load");
    assert_close(unmet(&plan, "m", "a", "p1"), 2.0, "a unmet");
    assert_close(objective(&plan), 206.0, "objective");
}

// ---------------------------------------------------------------------------------------
// Inventory and storage
// ---------------------------------------------------------------------------------------

/// Site `a`: capacity [10, 10, 2], rate 1, $5 per unit, holding $1; demand [5, 5, 8];
/// unmet $1000; optional storage cap.
fn build_ahead_scenario(storage: Option<f64>) -> allyplan::Scenario {
    let storage = storage.map_or(String::new(), |c| format!(", capacity: {c}"));
    scenario(
        "objective: {unmet_penalty: 1000}",
        &format!(
            "
            periods: [p1, p2, p3]
            products: [{{id: w}}]
            sites:
              - id: a
                country: US
                capacity: [10, 10, 2]
                products: {{w: {{rate: 1, cost: 5}}}}
                inventory: {{holding_cost: {{w: 1}}{storage}}}
            markets: [{{id: m, country: US}}]
            lanes: [{{from: a, to: m}}]
            demand: [{{market: m, product: w, quantity: [5, 5, 8]}}]
            "
        ),
    )
}

#[test]
fn inventory_builds_ahead_of_a_short_period() {
    // p3 can make only 2 of its 8: 6 must be built ahead. From p2 (5 spare units) it costs
    // $1 holding each; the 6th comes from p1 and is held two periods ($2).
    // Production 6, 10, 2; end inventory 1, 6, 0.
    // Cost: 18 × 5 + (1 + 6) × 1 = 97.
    let plan = solve(&build_ahead_scenario(None));
    for (t, made, held) in [("p1", 6.0, 1.0), ("p2", 10.0, 6.0), ("p3", 2.0, 0.0)] {
        assert_close(
            production(&plan, "a", "w", t),
            made,
            &format!("production in {t}"),
        );
        assert_close(
            inventory(&plan, "a", "w", t),
            held,
            &format!("inventory in {t}"),
        );
    }
    assert_close(unmet_total(&plan), 0.0, "unmet");
    assert_close(
        plan.costs.as_ref().expect("costs").holding,
        7.0,
        "holding cost",
    );
    assert_close(objective(&plan), 97.0, "objective");
}

#[test]
fn storage_capacity_caps_inventory() {
    // As above with storage for 4 units: at most 4 can be held at the end of p2, so p3
    // gets 2 made + 4 held and 2 go unmet. The 4 are made in p2 (1 period of holding).
    // Production 5, 9, 2; end inventory 0, 4, 0.
    // Cost: 16 × 5 + 4 × 1 + 2 × 1000 = 2084.
    let plan = solve(&build_ahead_scenario(Some(4.0)));
    for (t, made, held) in [("p1", 5.0, 0.0), ("p2", 9.0, 4.0), ("p3", 2.0, 0.0)] {
        assert_close(
            production(&plan, "a", "w", t),
            made,
            &format!("production in {t}"),
        );
        assert_close(
            inventory(&plan, "a", "w", t),
            held,
            &format!("inventory in {t}"),
        );
    }
    assert_close(unmet(&plan, "m", "w", "p3"), 2.0, "unmet in p3");
    assert_close(objective(&plan), 2084.0, "objective");
}

// ---------------------------------------------------------------------------------------
// Lead time
// ---------------------------------------------------------------------------------------

/// Periods p1..p3, demand 4 each. Site `far` on a lead-1 lane at $1; optionally site
/// `near` on a lead-0 lane at $5. Unmet $1000.
fn lead_time_scenario(with_near: bool) -> allyplan::Scenario {
    let (near_site, near_lane) = if with_near {
        (
            "- {id: near, country: US, capacity: 100, products: {w: {rate: 1}}}",
            "- {from: near, to: m, cost: 5, lead_time: 0}",
        )
    } else {
        ("", "")
    };
    scenario(
        "objective: {unmet_penalty: 1000}",
        &format!(
            "
            periods: [p1, p2, p3]
            products: [{{id: w}}]
            sites:
              - {{id: far, country: US, capacity: 100, products: {{w: {{rate: 1}}}}}}
              {near_site}
            markets: [{{id: m, country: US}}]
            lanes:
              - {{from: far, to: m, cost: 1, lead_time: 1}}
              {near_lane}
            demand: [{{market: m, product: w, quantity: [4, 4, 4]}}]
            "
        ),
    )
}

#[test]
fn lead_time_shifts_arrival() {
    // `far` ships 4 in p1 (arriving p2) and 4 in p2 (arriving p3); nothing in p3, whose
    // arrival (p4) is past the horizon. p1's demand can only come from `near`.
    // Cost: 8 × 1 + 4 × 5 = 28.
    let sc = lead_time_scenario(true);
    let plan = solve(&sc);
    assert_close(
        shipped(&plan, "far", "m", "w", "p1"),
        4.0,
        "far departing p1",
    );
    assert_close(
        shipped(&plan, "far", "m", "w", "p2"),
        4.0,
        "far departing p2",
    );
    assert_close(
        shipped(&plan, "far", "m", "w", "p3"),
        0.0,
        "far departing p3",
    );
    assert_close(
        shipped(&plan, "near", "m", "w", "p1"),
        4.0,
        "near departing p1",
    );
    assert_close(
        shipped_total(&plan, "near", "m", "w"),
        4.0,
        "near over the horizon",
    );
    assert_close(objective(&plan), 28.0, "objective");
    for row in plan.shipments.iter().filter(|r| r.from == "far") {
        let expected = match row.departure.as_str() {
            "p1" => "p2",
            "p2" => "p3",
            other => panic!("far ships in {other}, whose arrival is past the horizon"),
        };
        assert_eq!(
            row.arrival, expected,
            "arrival of a shipment leaving {}",
            row.departure
        );
    }
    // No LP column exists for a shipment whose arrival falls past the horizon.
    let model = build(&sc);
    let (far_lane, w) = (0, sc.product_ids["w"]);
    assert!(model.columns.shipment[[far_lane, w, 2]].is_none());
    assert!(model.columns.shipment[[far_lane, w, 1]].is_some());

    // Without `near`, p1's demand goes unmet: 8 × 1 + 4 × 1000 = 4008.
    let plan = solve(&lead_time_scenario(false));
    assert_close(
        unmet(&plan, "m", "w", "p1"),
        4.0,
        "unmet in p1 without near",
    );
    assert_close(
        unmet(&plan, "m", "w", "p2"),
        0.0,
        "unmet in p2 without near",
    );
    assert_close(objective(&plan), 4008.0, "objective without near");
}

// ---------------------------------------------------------------------------------------
// Leveling
// ---------------------------------------------------------------------------------------

/// Two periods, demand [2, 10], capacity 20, rate 1, holding $1, no last_load.
fn leveling_scenario(weight: f64) -> allyplan::Scenario {
    scenario(
        &format!("objective: {{unmet_penalty: 1000, leveling_weight: {weight}}}"),
        "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - id: a
            country: US
            capacity: 20
            products: {w: {rate: 1}}
            inventory: {holding_cost: {w: 1}}
        markets: [{id: m, country: US}]
        lanes: [{from: a, to: m}]
        demand: [{market: m, product: w, quantity: [2, 10]}]
        ",
    )
}

#[test]
fn leveling_weight_smooths_load() {
    // Moving a unit from p2 to p1 costs $1 of holding and cuts the load change by 2.
    // x1 = 2 + a, x2 = 10 − a: cost a + w·|8 − 2a|.
    // w = 0:   just in time (2, 10), cost 0.
    // w = 0.4: 2w = 0.8 < 1, still just in time; cost 0.4 × 8 = 3.2.
    // w = 2:   2w = 4 > 1, level fully at a = 4: (6, 6), 4 held, cost 4.
    for (weight, x1, x2, cost) in [
        (0.0, 2.0, 10.0, 0.0),
        (0.4, 2.0, 10.0, 3.2),
        (2.0, 6.0, 6.0, 4.0),
    ] {
        let plan = solve(&leveling_scenario(weight));
        assert_close(
            production(&plan, "a", "w", "p1"),
            x1,
            &format!("x1 at weight {weight}"),
        );
        assert_close(
            production(&plan, "a", "w", "p2"),
            x2,
            &format!("x2 at weight {weight}"),
        );
        assert_close(
            objective(&plan),
            cost,
            &format!("objective at weight {weight}"),
        );
        let leveling = plan.costs.as_ref().expect("costs").leveling;
        assert_close(leveling, weight * (x2 - x1).abs(), "leveling cost");
    }
}

/// One period, demand 4 units at rate 2 (load 8), leveling weight 1, last_load 10.
fn last_load_scenario(holding: f64, last_load: Option<f64>) -> allyplan::Scenario {
    let last_load = last_load.map_or(String::new(), |l| format!("last_load: {l}"));
    scenario(
        "objective: {unmet_penalty: 1000, leveling_weight: 1}",
        &format!(
            "
            periods: [p1]
            products: [{{id: w}}]
            sites:
              - id: a
                country: US
                capacity: 20
                {last_load}
                products: {{w: {{rate: 2}}}}
                inventory: {{holding_cost: {{w: {holding}}}}}
            markets: [{{id: m, country: US}}]
            lanes: [{{from: a, to: m}}]
            demand: [{{market: m, product: w, quantity: 4}}]
            "
        ),
    )
}

#[test]
fn last_load_is_the_first_periods_reference() {
    // Holding $3: making one more unit saves 2 load units ($2) but costs $3 to hold, so
    // make 4 (load 8): leveling |8 − 10| × 1 = 2.
    let plan = solve(&last_load_scenario(3.0, Some(10.0)));
    assert_close(
        production(&plan, "a", "w", "p1"),
        4.0,
        "production, holding 3",
    );
    assert_close(objective(&plan), 2.0, "objective, holding 3");

    // Holding $1: make 5 (load 10 = last_load), hold 1: cost 1.
    let plan = solve(&last_load_scenario(1.0, Some(10.0)));
    assert_close(
        production(&plan, "a", "w", "p1"),
        5.0,
        "production, holding 1",
    );
    assert_close(
        inventory(&plan, "a", "w", "p1"),
        1.0,
        "inventory, holding 1",
    );
    assert_close(objective(&plan), 1.0, "objective, holding 1");

    // Without last_load the first period has nothing to level against: cost 0.
    let plan = solve(&last_load_scenario(1.0, None));
    assert_close(
        production(&plan, "a", "w", "p1"),
        4.0,
        "production, no last_load",
    );
    assert_close(objective(&plan), 0.0, "objective, no last_load");
}

// ---------------------------------------------------------------------------------------
// Sourcing policies
// ---------------------------------------------------------------------------------------

/// Market `east` (US) wants `b`; site `us` makes it at $10, `cn` at $4; capacity 200 each.
fn bloc_data(demand: &str, us_capacity: &str) -> String {
    format!(
        "
        periods: [p1, p2]
        products: [{{id: b, critical: true}}]
        sites:
          - id: us
            country: US
            capacity: {us_capacity}
            products: {{b: {{rate: 1, cost: 10}}}}
            inventory: {{holding_cost: {{b: 100}}}}
          - id: cn
            country: CN
            capacity: 200
            products: {{b: {{rate: 1, cost: 4}}}}
            inventory: {{holding_cost: {{b: 100}}}}
        markets: [{{id: east, country: US}}]
        lanes:
          - {{from: us, to: east}}
          - {{from: cn, to: east}}
        demand: [{{market: east, product: b, quantity: {demand}}}]
        "
    )
}

const USMCA: &str = "blocs: {usmca: [US, MX, CA]}\nobjective: {unmet_penalty: 1000}\n";

#[test]
fn min_bloc_share_moves_volume_to_the_bloc() {
    // Demand [100, 0]. Without a policy all 100 come from cn: 400.
    let data = bloc_data("[100, 0]", "200");
    let plan = solve(&scenario(USMCA, &data));
    assert_close(
        shipped(&plan, "cn", "east", "b", "p1"),
        100.0,
        "cn without policy",
    );
    assert_close(objective(&plan), 400.0, "objective without policy");

    // At least 70% from usmca: cn keeps exactly 30. Cost 70 × 10 + 30 × 4 = 820.
    let model = format!(
        "{USMCA}policies:\n  - {{name: ally, kind: min_bloc_share, bloc: usmca, min_share: 0.7, products: critical}}\n"
    );
    let plan = solve(&scenario(&model, &data));
    assert_close(
        shipped(&plan, "us", "east", "b", "p1"),
        70.0,
        "us with policy",
    );
    assert_close(
        shipped(&plan, "cn", "east", "b", "p1"),
        30.0,
        "cn with policy",
    );
    assert_close(objective(&plan), 820.0, "objective with policy");
    let row = plan
        .bloc_shares
        .iter()
        .find(|r| r.policy == "ally" && r.period == "p1")
        .expect("a bloc share row for p1");
    assert_close(row.share.expect("a share"), 0.7, "reported share");
    assert!(row.met);
}

#[test]
fn min_bloc_share_per_period_versus_horizon() {
    // Demand [100, 100]; us capacity [100, 40]; holding $100 at both sites; 70% usmca.
    // per: horizon — 140 of 200 from us: us ships 100 in p1 and 40 in p2 (no holding),
    //   cn ships 60 in p2. Cost 140 × 10 + 60 × 4 = 1640.
    // per: period — us needs 70 in each period but can make only 40 in p2, so it makes
    //   100 in p1 and holds 30 ($100 each). Cost 140 × 10 + 30 × 100 + 60 × 4 = 4640.
    //   (Leaving p2 demand unmet to shrink the denominator would cost far more.)
    let data = bloc_data("[100, 100]", "[100, 40]");
    let policy = |per: &str| {
        format!(
            "{USMCA}policies:\n  - {{name: ally, kind: min_bloc_share, bloc: usmca, min_share: 0.7, per: {per}}}\n"
        )
    };
    let plan = solve(&scenario(&policy("horizon"), &data));
    assert_close(
        shipped(&plan, "us", "east", "b", "p1"),
        100.0,
        "us p1 (horizon)",
    );
    assert_close(
        shipped(&plan, "us", "east", "b", "p2"),
        40.0,
        "us p2 (horizon)",
    );
    assert_close(
        shipped(&plan, "cn", "east", "b", "p2"),
        60.0,
        "cn p2 (horizon)",
    );
    assert_close(objective(&plan), 1640.0, "objective (horizon)");

    let plan = solve(&scenario(&policy("period"), &data));
    for t in ["p1", "p2"] {
        assert_close(
            shipped(&plan, "us", "east", "b", t),
            70.0,
            &format!("us {t} (period)"),
        );
        assert_close(
            shipped(&plan, "cn", "east", "b", t),
            30.0,
            &format!("cn {t} (period)"),
        );
    }
    assert_close(
        inventory(&plan, "us", "b", "p1"),
        30.0,
        "us built ahead (period)",
    );
    assert_close(objective(&plan), 4640.0, "objective (period)");
}

#[test]
fn min_bloc_share_counts_arrivals() {
    // Demand [0, 100]. us ($10) ships on a lead-1 lane, cn ($4) on a lead-0 lane. The p2
    // share row counts what *arrives* in p2: us departing p1 and cn departing p2. So us
    // sends 70 in p1, cn 30 in p2. Cost 700 + 120 = 820. (Counting departures instead
    // would leave the p2 row with cn alone and force all 100 onto us: 1000.)
    let data = "
        periods: [p1, p2]
        products: [{id: b}]
        sites:
          - {id: us, country: US, capacity: 200, products: {b: {rate: 1, cost: 10}}}
          - {id: cn, country: CN, capacity: 200, products: {b: {rate: 1, cost: 4}}}
        markets: [{id: east, country: US}]
        lanes:
          - {from: us, to: east, lead_time: 1}
          - {from: cn, to: east, lead_time: 0}
        demand: [{market: east, product: b, quantity: [0, 100]}]
        ";
    let model = format!(
        "{USMCA}policies:\n  - {{name: ally, kind: min_bloc_share, bloc: usmca, min_share: 0.7}}\n"
    );
    let plan = solve(&scenario(&model, data));
    assert_close(
        shipped(&plan, "us", "east", "b", "p1"),
        70.0,
        "us departing p1",
    );
    assert_close(production(&plan, "us", "b", "p1"), 70.0, "us made in p1");
    assert_close(
        shipped(&plan, "cn", "east", "b", "p2"),
        30.0,
        "cn departing p2",
    );
    assert_close(objective(&plan), 820.0, "objective");
}

#[test]
fn max_country_share_caps_a_single_country() {
    // Demand 100 at `m`. us1 (US, $1) and us2 (US, $2) are both cheaper than mx (MX, $3),
    // de (DE, $5). No more than 60% from one country: US ≤ 60 (all from us1, the cheaper
    // US site), then 40 from mx. Cost 60 × 1 + 40 × 3 = 180 (uncapped: 100 × 1 = 100).
    let data = "
        periods: [p1]
        products: [{id: w}]
        sites:
          - {id: us1, country: US, capacity: 200, products: {w: {rate: 1, cost: 1}}}
          - {id: us2, country: US, capacity: 200, products: {w: {rate: 1, cost: 2}}}
          - {id: mx, country: MX, capacity: 200, products: {w: {rate: 1, cost: 3}}}
          - {id: de, country: DE, capacity: 200, products: {w: {rate: 1, cost: 5}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: us1, to: m}
          - {from: us2, to: m}
          - {from: mx, to: m}
          - {from: de, to: m}
        demand: [{market: m, product: w, quantity: 100}]
        ";
    let plan = solve(&scenario("objective: {unmet_penalty: 1000}", data));
    assert_close(objective(&plan), 100.0, "objective without policy");

    let model = "
        objective: {unmet_penalty: 1000}
        policies:
          - {name: dual, kind: max_country_share, max_share: 0.6}
        ";
    let plan = solve(&scenario(model, data));
    assert_close(shipped(&plan, "us1", "m", "w", "p1"), 60.0, "us1");
    assert_close(shipped(&plan, "us2", "m", "w", "p1"), 0.0, "us2");
    assert_close(shipped(&plan, "mx", "m", "w", "p1"), 40.0, "mx");
    assert_close(shipped(&plan, "de", "m", "w", "p1"), 0.0, "de");
    assert_close(objective(&plan), 180.0, "objective with policy");
}

/// Products `crit` (critical) and `plain`, 10 each at `m`; site `cn` (CN) makes both at
/// $1, `us` at $4.
fn exclusion_scenario(soft: &str) -> allyplan::Scenario {
    scenario(
        &format!(
            "
            objective: {{unmet_penalty: 1000}}
            policies:
              - {{name: no-cn, kind: exclude_origin, countries: [CN], products: critical{soft}}}
            "
        ),
        "
        periods: [p1]
        products:
          - {id: crit, critical: true}
          - {id: plain}
        sites:
          - {id: cn, country: CN, capacity: 100, products: {crit: {rate: 1, cost: 1}, plain: {rate: 1, cost: 1}}}
          - {id: us, country: US, capacity: 100, products: {crit: {rate: 1, cost: 4}, plain: {rate: 1, cost: 4}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: cn, to: m}
          - {from: us, to: m}
        demand:
          - {market: m, product: crit, quantity: 10}
          - {market: m, product: plain, quantity: 10}
        ",
    )
}

#[test]
fn exclude_origin_hard_and_soft() {
    // Hard: crit must come from us (10 × 4); plain still from cn (10 × 1). Cost 50.
    let sc = exclusion_scenario("");
    let plan = solve(&sc);
    assert_close(
        shipped(&plan, "cn", "m", "crit", "p1"),
        0.0,
        "cn crit (hard)",
    );
    assert_close(
        shipped(&plan, "us", "m", "crit", "p1"),
        10.0,
        "us crit (hard)",
    );
    assert_close(
        shipped(&plan, "cn", "m", "plain", "p1"),
        10.0,
        "cn plain (hard)",
    );
    assert_close(objective(&plan), 50.0, "objective (hard)");
    let model = build(&sc);
    let cn_lane = 0;
    assert!(model.columns.shipment[[cn_lane, sc.product_ids["crit"], 0]].is_none());

    // Soft at $2 per unit: cn's crit costs 1 + 2 = 3 < 4, so it is used anyway:
    // 10 × 1 + 10 × 1 + 2 × 10 = 40, with 10 units of slack.
    let plan = solve(&exclusion_scenario(", soft: {penalty: 2}"));
    assert_close(
        shipped(&plan, "cn", "m", "crit", "p1"),
        10.0,
        "cn crit (soft 2)",
    );
    assert_close(objective(&plan), 40.0, "objective (soft 2)");
    assert_close(slack(&plan, "no-cn"), 10.0, "slack (soft 2)");
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(costs.soft_policy_penalties, 20.0, "penalty (soft 2)");

    // Soft at $5: 1 + 5 > 4, so us serves crit as under the hard rule: 50, no slack.
    let plan = solve(&exclusion_scenario(", soft: {penalty: 5}"));
    assert_close(
        shipped(&plan, "cn", "m", "crit", "p1"),
        0.0,
        "cn crit (soft 5)",
    );
    assert_close(objective(&plan), 50.0, "objective (soft 5)");
    assert_close(slack(&plan, "no-cn"), 0.0, "slack (soft 5)");
}

// ---------------------------------------------------------------------------------------
// Site policies
// ---------------------------------------------------------------------------------------

/// Site `a`: capacity 100, rate 1, holding $1, last_load as given; demand as given.
fn ramp_scenario(policy: &str, last_load: f64, demand: &str) -> allyplan::Scenario {
    scenario(
        &format!("objective: {{unmet_penalty: 1000}}\n{policy}"),
        &format!(
            "
            periods: [p1, p2]
            products: [{{id: w}}]
            sites:
              - id: a
                country: US
                capacity: 100
                last_load: {last_load}
                products: {{w: {{rate: 1}}}}
                inventory: {{holding_cost: {{w: 1}}}}
            markets: [{{id: m, country: US}}]
            lanes: [{{from: a, to: m}}]
            demand: [{{market: m, product: w, quantity: {demand}}}]
            "
        ),
    )
}

const RAMP_10: &str = "policies:\n  - {name: ramp, kind: ramp_limit, max_change: 0.1}\n";

#[test]
fn ramp_limit_forces_prebuilding() {
    // last_load 50, demand [50, 80]. Without a limit: (50, 80), cost 0.
    let plan = solve(&ramp_scenario("", 50.0, "[50, 80]"));
    assert_close(objective(&plan), 0.0, "objective without ramp");

    // |load change| ≤ 10: x1 ≤ 60 and x2 ≤ x1 + 10, with x1 + x2 ≥ 130, force x1 = 60,
    // x2 = 70 and 10 held at the end of p1. Cost 10.
    let plan = solve(&ramp_scenario(RAMP_10, 50.0, "[50, 80]"));
    assert_close(production(&plan, "a", "w", "p1"), 60.0, "x1");
    assert_close(production(&plan, "a", "w", "p2"), 70.0, "x2");
    assert_close(inventory(&plan, "a", "w", "p1"), 10.0, "built ahead");
    assert_close(unmet_total(&plan), 0.0, "unmet");
    assert_close(objective(&plan), 10.0, "objective with ramp");
}

#[test]
fn ramp_limit_starts_from_last_load() {
    // last_load 100, demand [50, 50], ramp 10: the load may fall only to 90, then 80.
    // End inventory 90 − 50 = 40, then 40 + 80 − 50 = 70. Cost 40 + 70 = 110.
    let plan = solve(&ramp_scenario(RAMP_10, 100.0, "[50, 50]"));
    assert_close(production(&plan, "a", "w", "p1"), 90.0, "x1");
    assert_close(production(&plan, "a", "w", "p2"), 80.0, "x2");
    assert_close(objective(&plan), 110.0, "objective");
}

#[test]
fn load_band_min_and_max() {
    // cheap (US): capacity 100, rate 1, $1, holding $0.5. dear (MX): capacity 50, rate 2,
    // $5. Demand [60, 100]. Band 40%–90% of regular capacity at every site:
    //   cheap load ∈ [40, 90]; dear load ∈ [20, 45], i.e. 10 to 22.5 units.
    // Without the band: cheap makes everything: 160.
    // p1: dear must make ≥ 10 units and ships them; cheap makes 50 (≥ 40). Cost 50 + 50.
    // p2: cheap is capped at 90, dear makes the other 10. Cost 90 + 50.
    // (Building ahead at cheap in p1 would only add holding.) Total 240.
    let data = "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - id: cheap
            country: US
            capacity: 100
            products: {w: {rate: 1, cost: 1}}
            inventory: {holding_cost: {w: 0.5}}
          - id: dear
            country: MX
            capacity: 50
            products: {w: {rate: 2, cost: 5}}
            inventory: {holding_cost: {w: 0.5}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: cheap, to: m}
          - {from: dear, to: m}
        demand: [{market: m, product: w, quantity: [60, 100]}]
        ";
    let plan = solve(&scenario("objective: {unmet_penalty: 1000}", data));
    assert_close(
        production(&plan, "dear", "w", "p1"),
        0.0,
        "dear idle without band",
    );
    assert_close(objective(&plan), 160.0, "objective without band");

    let model = "
        objective: {unmet_penalty: 1000}
        policies:
          - {name: band, kind: load_band, min: 0.4, max: 0.9}
        ";
    let plan = solve(&scenario(model, data));
    assert_close(production(&plan, "cheap", "w", "p1"), 50.0, "cheap p1");
    assert_close(production(&plan, "dear", "w", "p1"), 10.0, "dear p1");
    assert_close(site_load(&plan, "dear", "p1"), 20.0, "dear load p1");
    assert_close(production(&plan, "cheap", "w", "p2"), 90.0, "cheap p2");
    assert_close(production(&plan, "dear", "w", "p2"), 10.0, "dear p2");
    assert_close(objective(&plan), 240.0, "objective with band");
}

/// Sites a ($1) and b ($3), capacity 100, holding $1; demand [50, 50].
fn site_volume_scenario(policy: &str) -> allyplan::Scenario {
    scenario(
        &format!("objective: {{unmet_penalty: 1000}}\npolicies:\n  - {policy}\n"),
        "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - {id: a, country: US, capacity: 100, products: {w: {rate: 1, cost: 1}}, inventory: {holding_cost: {w: 1}}}
          - {id: b, country: US, capacity: 100, products: {w: {rate: 1, cost: 3}}, inventory: {holding_cost: {w: 1}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: a, to: m}
          - {from: b, to: m}
        demand: [{market: m, product: w, quantity: [50, 50]}]
        ",
    )
}

#[test]
fn site_volume_min_and_max() {
    // b must make ≥ 20 a period (take-or-pay): a 30, b 20 each period.
    // Cost 2 × (30 × 1 + 20 × 3) = 180.
    let plan = solve(&site_volume_scenario(
        "{name: contract, kind: site_volume, site: b, min: 20}",
    ));
    for t in ["p1", "p2"] {
        assert_close(
            production(&plan, "a", "w", t),
            30.0,
            &format!("a in {t} (min)"),
        );
        assert_close(
            production(&plan, "b", "w", t),
            20.0,
            &format!("b in {t} (min)"),
        );
    }
    assert_close(objective(&plan), 180.0, "objective (min)");

    // a may make ≤ 40 a period: a 40, b 10 each period. Cost 2 × (40 + 30) = 140.
    let plan = solve(&site_volume_scenario(
        "{name: contract, kind: site_volume, site: a, max: 40}",
    ));
    for t in ["p1", "p2"] {
        assert_close(
            production(&plan, "a", "w", t),
            40.0,
            &format!("a in {t} (max)"),
        );
        assert_close(
            production(&plan, "b", "w", t),
            10.0,
            &format!("b in {t} (max)"),
        );
    }
    assert_close(objective(&plan), 140.0, "objective (max)");
}

// ---------------------------------------------------------------------------------------
// Emissions, fill rate, soft policies
// ---------------------------------------------------------------------------------------

/// dirty ($1, lane emits 10 kg/unit) and clean ($3, 2 kg/unit); demand [4, 16].
fn emissions_scenario(policy: &str) -> allyplan::Scenario {
    scenario(
        &format!("objective: {{unmet_penalty: 1000}}\n{policy}"),
        "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - {id: dirty, country: US, capacity: 100, products: {w: {rate: 1, cost: 1}}}
          - {id: clean, country: US, capacity: 100, products: {w: {rate: 1, cost: 3}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: dirty, to: m, emissions: 10}
          - {from: clean, to: m, emissions: 2}
        demand: [{market: m, product: w, quantity: [4, 16]}]
        ",
    )
}

#[test]
fn emissions_cap_per_horizon_and_per_period() {
    // Uncapped: all 20 from dirty, cost 20.
    let plan = solve(&emissions_scenario(""));
    assert_close(objective(&plan), 20.0, "objective uncapped");

    // Horizon cap 120 kg: 10·d + 2·(20 − d) ≤ 120 → d ≤ 10. Cost 10 × 1 + 10 × 3 = 40.
    // (How dirty's 10 split between the periods is not unique.)
    let plan = solve(&emissions_scenario(
        "policies:\n  - {name: co2, kind: emissions_cap, max: 120}\n",
    ));
    assert_close(
        shipped_total(&plan, "dirty", "m", "w"),
        10.0,
        "dirty (horizon)",
    );
    assert_close(
        shipped_total(&plan, "clean", "m", "w"),
        10.0,
        "clean (horizon)",
    );
    assert_close(objective(&plan), 40.0, "objective (horizon)");
    let emitted = plan.kpis.as_ref().expect("kpis").emissions_kg;
    assert_close(emitted, 120.0, "emissions (horizon)");

    // 60 kg per period: p1 all dirty (4 × 10 = 40 ≤ 60); p2: 10·d + 2·(16 − d) ≤ 60 →
    // d = 3.5, clean 12.5. Cost 4 + 3.5 + 37.5 = 45.
    let plan = solve(&emissions_scenario(
        "policies:\n  - {name: co2, kind: emissions_cap, max: 60, per: period}\n",
    ));
    assert_close(
        shipped(&plan, "dirty", "m", "w", "p1"),
        4.0,
        "dirty p1 (period)",
    );
    assert_close(
        shipped(&plan, "dirty", "m", "w", "p2"),
        3.5,
        "dirty p2 (period)",
    );
    assert_close(
        shipped(&plan, "clean", "m", "w", "p2"),
        12.5,
        "clean p2 (period)",
    );
    assert_close(objective(&plan), 45.0, "objective (period)");
}

#[test]
fn emissions_cap_per_period_counts_departures() {
    // Demand [0, 10]. dirty ($1, 10 kg/unit) ships on a lead-1 lane, so it must leave in
    // p1; clean ($3, 2 kg/unit) ships on a lead-0 lane in p2. Cap 50 kg per period, by
    // departure: p1 row 10·d ≤ 50 → d = 5; p2 row 2·5 = 10 ≤ 50. Cost 5 + 15 = 20.
    // (Counting by arrival would put both in p2: 10·d + 2·(10 − d) ≤ 50 → d = 3.75, 22.5.)
    let sc = scenario(
        "
        objective: {unmet_penalty: 1000}
        policies:
          - {name: co2, kind: emissions_cap, max: 50, per: period}
        ",
        "
        periods: [p1, p2]
        products: [{id: w}]
        sites:
          - {id: dirty, country: US, capacity: 100, products: {w: {rate: 1, cost: 1}}}
          - {id: clean, country: US, capacity: 100, products: {w: {rate: 1, cost: 3}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: dirty, to: m, emissions: 10, lead_time: 1}
          - {from: clean, to: m, emissions: 2}
        demand: [{market: m, product: w, quantity: [0, 10]}]
        ",
    );
    let plan = solve(&sc);
    assert_close(
        shipped(&plan, "dirty", "m", "w", "p1"),
        5.0,
        "dirty departing p1",
    );
    assert_close(
        shipped(&plan, "clean", "m", "w", "p2"),
        5.0,
        "clean departing p2",
    );
    assert_close(objective(&plan), 20.0, "objective");
}

#[test]
fn min_fill_rate_serves_unprofitable_demand() {
    // Making a unit costs $10 but losing it only $5: uncapped, all 20 go unmet (100).
    // Fill rate ≥ 75% over the horizon: Σ unmet ≤ 5, so serve 15. Cost 150 + 25 = 175.
    let data = "
        periods: [p1, p2]
        products: [{id: w, unmet_penalty: 5}]
        sites:
          - {id: a, country: US, capacity: 100, products: {w: {rate: 1, cost: 10}}}
        markets: [{id: m, country: US}]
        lanes: [{from: a, to: m}]
        demand: [{market: m, product: w, quantity: [10, 10]}]
        ";
    let plan = solve(&scenario("", data));
    assert_close(unmet_total(&plan), 20.0, "unmet without policy");
    assert_close(objective(&plan), 100.0, "objective without policy");

    let model = "policies:\n  - {name: fill, kind: min_fill_rate, min: 0.75}\n";
    let plan = solve(&scenario(model, data));
    assert_close(unmet_total(&plan), 5.0, "unmet with policy");
    assert_close(
        plan.kpis.as_ref().expect("kpis").fill_rate,
        0.75,
        "fill rate",
    );
    assert_close(objective(&plan), 175.0, "objective with policy");
}

#[test]
fn soft_policy_slack_is_priced() {
    // min_bloc_share 70% on demand 100 (us $10, cn $4), soft. Moving a unit from cn to us
    // costs $6 and removes one unit of slack.
    // Penalty 2 < 6: keep all on cn; slack = 0.7 × 100 − 0 = 70.
    //   Objective = 400 (relaxed cost) + 2 × 70 = 540.
    // Penalty 10 > 6: comply as if hard: 820, slack 0.
    let data = bloc_data("[100, 0]", "200");
    let model = |penalty: f64| {
        format!(
            "{USMCA}policies:\n  - {{name: ally, kind: min_bloc_share, bloc: usmca, min_share: 0.7, soft: {{penalty: {penalty}}}}}\n"
        )
    };
    let plan = solve(&scenario(&model(2.0), &data));
    assert_close(
        shipped(&plan, "cn", "east", "b", "p1"),
        100.0,
        "cn (penalty 2)",
    );
    assert_close(slack(&plan, "ally"), 70.0, "slack (penalty 2)");
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(
        costs.soft_policy_penalties,
        140.0,
        "penalty cost (penalty 2)",
    );
    assert_close(
        objective(&plan),
        400.0 + 2.0 * 70.0,
        "objective (penalty 2)",
    );

    let plan = solve(&scenario(&model(10.0), &data));
    assert_close(slack(&plan, "ally"), 0.0, "slack (penalty 10)");
    assert_close(objective(&plan), 820.0, "objective (penalty 10)");

    // A soft emissions cap: dirty→clean costs $2 per unit and saves 8 kg ($0.25/kg).
    // At $0.1/kg, ignore the 120 kg cap: all dirty, 200 kg, slack 80.
    // Objective = 20 + 0.1 × 80 = 28.
    let plan = solve(&emissions_scenario(
        "policies:\n  - {name: co2, kind: emissions_cap, max: 120, soft: {penalty: 0.1}}\n",
    ));
    assert_close(
        shipped_total(&plan, "dirty", "m", "w"),
        20.0,
        "dirty (soft cap)",
    );
    assert_close(slack(&plan, "co2"), 80.0, "slack (soft cap)");
    assert_close(objective(&plan), 28.0, "objective (soft cap)");
}

// ---------------------------------------------------------------------------------------
// Cost terms and lanes
// ---------------------------------------------------------------------------------------

#[test]
fn tariff_duty_and_carbon_enter_the_cost() {
    // Product value $100. Lane mx→m: cost 1, tariff 5% (5), duty 2, 3 kg at $0.5 (1.5):
    // $9.5 landed per unit on top of $10 production. 10 units: 100 + 95 = 195.
    let data = |us_site: &str, us_lane: &str| {
        format!(
            "
            periods: [p1]
            products: [{{id: w, unit_value: 100}}]
            sites:
              - {{id: mx, country: MX, capacity: 100, products: {{w: {{rate: 1, cost: 10}}}}}}
              {us_site}
            markets: [{{id: m, country: US}}]
            lanes:
              - {{from: mx, to: m, cost: 1, tariff: 0.05, duty: 2, emissions: 3}}
              {us_lane}
            demand: [{{market: m, product: w, quantity: 10}}]
            "
        )
    };
    let model = "objective: {unmet_penalty: 1000, carbon_price: 0.5}";
    let plan = solve(&scenario(model, &data("", "")));
    assert_close(objective(&plan), 195.0, "objective");
    let costs = plan.costs.as_ref().expect("costs");
    assert_close(costs.production, 100.0, "production");
    assert_close(costs.transport, 10.0, "transport");
    assert_close(costs.tariffs_duties, 70.0, "tariffs and duties");
    assert_close(costs.carbon, 15.0, "carbon");
    let row = plan
        .shipments
        .iter()
        .find(|r| r.from == "mx")
        .expect("a shipment");
    assert_close(row.unit_cost, 9.5, "all-in lane cost per unit");

    // A domestic site at $19 beats mx's landed 19.5 (it would lose on production cost
    // alone, 10 + 1): all 10 from us, 190.
    let plan = solve(&scenario(
        model,
        &data(
            "- {id: us, country: US, capacity: 100, products: {w: {rate: 1, cost: 19}}}",
            "- {from: us, to: m}",
        ),
    ));
    assert_close(shipped(&plan, "us", "m", "w", "p1"), 10.0, "us");
    assert_close(objective(&plan), 190.0, "objective with a domestic site");
}

#[test]
fn per_product_lane_cost_map() {
    // Lane s→m carries only `a` ($2); t→m carries both ($1). s makes both at $1, t at $5.
    // a: via s, 1 + 2 = 3 (vs 6); b: only via t, 6. 10 each: 30 + 60 = 90.
    let sc = scenario(
        "objective: {unmet_penalty: 1000}",
        "
        periods: [p1]
        products: [{id: a}, {id: b}]
        sites:
          - {id: s, country: US, capacity: 100, products: {a: {rate: 1, cost: 1}, b: {rate: 1, cost: 1}}}
          - {id: t, country: US, capacity: 100, products: {a: {rate: 1, cost: 5}, b: {rate: 1, cost: 5}}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: s, to: m, cost: {a: 2}}
          - {from: t, to: m, cost: 1}
        demand:
          - {market: m, product: a, quantity: 10}
          - {market: m, product: b, quantity: 10}
        ",
    );
    let plan = solve(&sc);
    assert_close(shipped(&plan, "s", "m", "a", "p1"), 10.0, "a via s");
    assert_close(shipped(&plan, "s", "m", "b", "p1"), 0.0, "b via s");
    assert_close(shipped(&plan, "t", "m", "b", "p1"), 10.0, "b via t");
    assert_close(objective(&plan), 90.0, "objective");
    let model = build(&sc);
    assert!(model.columns.shipment[[0, sc.product_ids["b"], 0]].is_none());
}

#[test]
fn unmet_penalty_precedence() {
    // Model default $20; product y says $7; product z says $7 but its demand entry says
    // [3, 4]. Making a unit costs $5, so demand is served exactly when its penalty > 5:
    // x (20) and y (7) are served, z (3, 4) is not.
    // Cost: 2 × 1 × 5 + 2 × 10 × 5 + 100 × 3 + 100 × 4 = 10 + 100 + 700 = 810.
    let sc = scenario(
        "objective: {unmet_penalty: 20}",
        "
        periods: [p1, p2]
        products:
          - {id: x}
          - {id: y, unmet_penalty: 7}
          - {id: z, unmet_penalty: 7}
        sites:
          - {id: a, country: US, capacity: 1000, products: {x: {rate: 1, cost: 5}, y: {rate: 1, cost: 5}, z: {rate: 1, cost: 5}}}
        markets: [{id: m, country: US}]
        lanes: [{from: a, to: m}]
        demand:
          - {market: m, product: x, quantity: 1}
          - {market: m, product: y, quantity: 10}
          - {market: m, product: z, quantity: 100, unmet_penalty: [3, 4]}
        ",
    );
    let (m, x, y, z) = (
        sc.market_ids["m"],
        sc.product_ids["x"],
        sc.product_ids["y"],
        sc.product_ids["z"],
    );
    for t in 0..2 {
        assert_eq!(sc.unmet_penalty[[m, x, t]], 20.0);
        assert_eq!(sc.unmet_penalty[[m, y, t]], 7.0);
    }
    assert_eq!(sc.unmet_penalty[[m, z, 0]], 3.0);
    assert_eq!(sc.unmet_penalty[[m, z, 1]], 4.0);

    let plan = solve(&sc);
    for t in ["p1", "p2"] {
        assert_close(unmet(&plan, "m", "x", t), 0.0, &format!("x unmet in {t}"));
        assert_close(unmet(&plan, "m", "y", t), 0.0, &format!("y unmet in {t}"));
        assert_close(unmet(&plan, "m", "z", t), 100.0, &format!("z unmet in {t}"));
    }
    assert_close(objective(&plan), 810.0, "objective");
}
