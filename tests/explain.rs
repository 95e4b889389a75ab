//! Infeasibility explanation: one model made infeasible on purpose per policy family
//! (`tests/fixtures/infeasible-*`), each explained with the right conflicting set, place
//! and number; a feasible model reported feasible; the `explain` subcommand end to end.
//!
//! Every number below is computed by hand in the comments. "Alone" means: that rule is
//! relaxed and every other rule is held, which is how each finding is computed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use allyplan::plan::{Explanation, Finding};
use allyplan::report::explain::render_text;
use allyplan::{explain, explain_with, ExplainOptions, CAPACITY, STORAGE};
use common::load_model;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name).join("model.yaml")
}

fn explain_fixture(name: &str) -> Explanation {
    let scenario = load_model(&fixture(name));
    let explanation = explain(&scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!explanation.feasible, "{name} should be infeasible");
    assert_eq!(explanation.model, scenario.name);
    explanation
}

/// The (largest) finding of a group.
fn finding<'a>(e: &'a Explanation, group: &str) -> &'a Finding {
    e.findings
        .iter()
        .find(|f| f.group == group)
        .unwrap_or_else(|| panic!("no finding for {group}:\n{}", render_text(e)))
}

#[track_caller]
fn assert_conflict(e: &Explanation, expected: &[&str]) {
    assert_eq!(e.conflict, expected, "\n{}", render_text(e));
    assert_eq!(e.members.len(), expected.len());
    assert!(
        e.members.iter().all(|m| m.enough_alone),
        "every member is enough alone here:\n{}",
        render_text(e)
    );
    // Every member has at least one finding, and findings come member by member.
    let order: Vec<&str> = e.findings.iter().map(|f| f.group.as_str()).collect();
    let mut deduped = order.clone();
    deduped.dedup();
    assert_eq!(
        deduped, expected,
        "findings grouped by member in conflict order"
    );
}

#[track_caller]
fn assert_says(f: &Finding, parts: &[&str]) {
    for part in parts {
        assert!(
            f.sentence.contains(part),
            "expected `{part}` in: {}",
            f.sentence
        );
    }
}

#[track_caller]
fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

#[test]
fn named_resources_name_the_machines_short() {
    // Williams' factory planning with every unit of the market limits to be sold: the
    // machines can make at most 11,617.1 of the 14,010 units; in January the grinders
    // (three of four up: 1,152 hours) would need 1,280.
    let e = explain_fixture("infeasible-resources");
    assert_conflict(&e, &["serve-all", "resources"]);
    let fill = finding(&e, "serve-all");
    assert_says(
        fill,
        &["at most 82.9% of demand against 100% (11,617.1 of 14,010 units)"],
    );
    let grinder = e
        .findings
        .iter()
        .find(|f| f.place.resource.as_deref() == Some("grinder"))
        .expect("a grinder finding");
    assert_eq!(grinder.place.site.as_deref(), Some("factory"));
    assert_says(
        grinder,
        &["resources: factory would need 128 more units of grinder in jan: its use must reach 1,280 but it has 1,152"],
    );
}

#[test]
fn lane_capacities_name_the_lanes_short() {
    // 35 units demanded, all to be served, but the lanes out of node-0 carry 15 + 8.
    let e = explain_fixture("infeasible-lane");
    assert_conflict(&e, &["serve-all", "lane capacity"]);
    assert_says(
        finding(&e, "serve-all"),
        &["the network can serve at most 65.7% of demand against 100% (23 of 35 units)"],
    );
    let lanes: Vec<&str> = e
        .findings
        .iter()
        .filter_map(|f| f.place.lane.as_deref())
        .collect();
    assert!(
        lanes.iter().any(|l| l.starts_with("node-0 → ")),
        "{lanes:?}"
    );
}

#[test]
fn value_content_says_which_components_must_change() {
    // tests/fixtures/v2/README.md "rvc-hand": 100 packs need 0.75 Mexican cells each
    // (75), but mx-cells makes 50; all 100 packs must be served. Relaxing the rule alone:
    // 50 Mexican cells give 500·100 + 100·100 (boards) + 200·50 = $70,000 of $100,000
    // (70% against 75%), $5,000 short: 25 of the 150 Chinese cells, at $200 each.
    let e = explain_fixture("infeasible-value-content");
    assert_conflict(&e, &["usmca-rvc", "serve-all", CAPACITY]);
    let main = finding(&e, "usmca-rvc");
    assert_eq!(main.kind, "regional_value_content");
    assert_eq!(main.place.site.as_deref(), Some("mx-assembly"));
    assert_eq!(main.place.product.as_deref(), Some("pack"));
    assert_near(main.shortfall, 5000.0, "value content short, $");
    assert_near(main.actual, 70_000.0, "regional value content, $");
    assert_says(
        main,
        &[
            "regional_value_content 'usmca-rvc' cannot hold for pack at mx-assembly in 2027-01",
            "at most $70,000 of its $100,000 of value can be usmca content (70% against 75%)",
            "25 of the 150 units of cell from CN (worth $5,000 as components)",
        ],
    );
}

#[test]
fn min_bloc_share_when_allied_capacity_is_too_small() {
    // monterrey (MX, the only USMCA plant) makes 2,300 h / 2 h = 1,150 units a month;
    // demand 1,500 / 1,600 / 1,400 must all be served (fill rate 100%), 80% from USMCA:
    // 1,200 / 1,280 / 1,120 units. Building ahead cannot help: monterrey runs flat out in
    // January and February, and March's spare 30 units come too late.
    // - the bloc share alone: short 1,200 − 1,150 = 50 in 2027-01 and 1,280 − 1,150 = 130
    //   in 2027-02 (holding costs rule out moving January's units to February); the worst
    //   is 2027-02 with 1,150 of 1,600 = 71.875% → "71.9%";
    // - the fill rate alone: at most 1,150 / 0.8 = 1,437.5 in Jan and Feb, 1,400 in Mar:
    //   4,275 of 4,500 = 95%;
    // - capacity alone: monterrey needs 1,200·2 − 2,300 = 100 h in Jan and
    //   1,280·2 − 2,300 = 260 h in Feb.
    let e = explain_fixture("infeasible-bloc-share");
    assert_conflict(&e, &["critical-usmca-80", "serve-everything", CAPACITY]);
    let main = &e.findings[0];
    assert_eq!(main.group, "critical-usmca-80");
    assert_eq!(main.kind, "min_bloc_share");
    assert_eq!(main.place.market.as_deref(), Some("us-east"));
    assert_eq!(main.place.product.as_deref(), Some("battery-module"));
    assert_eq!(main.worst_period.as_deref(), Some("2027-02"));
    assert_eq!(main.periods, ["2027-01", "2027-02"]);
    assert_near(main.shortfall, 130.0, "bloc shortfall in 2027-02");
    assert_near(
        main.total_shortfall,
        180.0,
        "bloc shortfall over the horizon",
    );
    assert_near(main.actual, 1150.0, "USMCA units in 2027-02");
    assert_says(
        main,
        &[
            "min_bloc_share 'critical-usmca-80' cannot hold for us-east / battery-module",
            "in 2 of 3 months (worst 2027-02)",
            "USMCA sites can deliver at most 1,150 of 1,600 units (71.9% against 80%)",
        ],
    );
    let fill = finding(&e, "serve-everything");
    assert_says(
        fill,
        &[
            "over the horizon",
            "at most 95% of demand against 100%",
            "4,275 of 4,500",
        ],
    );
    let capacity = finding(&e, CAPACITY);
    assert_eq!(capacity.place.site.as_deref(), Some("monterrey"));
    assert_near(capacity.shortfall, 260.0, "extra hours in 2027-02");
    assert_near(capacity.total_shortfall, 360.0, "extra hours in all");
    assert_says(
        capacity,
        &["monterrey would need 260 more capacity hours", "2027-02"],
    );
}

#[test]
fn max_country_share_when_only_one_country_can_supply() {
    // Both plants are in the US, so the US share is 100% of whatever is delivered; at
    // most 60% is allowed, and 95% of 1,000 units must be served. Capacity is plentiful,
    // so capacity is not part of the conflict.
    // - the country share alone: deliver the 950 units the fill rate needs, all from the
    //   US: 950 of 950 = 100% against 60% (950 − 0.6·950 = 380 units over);
    // - the fill rate alone: with the US share capped, nothing can be delivered: 0%.
    let e = explain_fixture("infeasible-country-share");
    assert_conflict(&e, &["dual-source-60", "fill-95"]);
    let main = &e.findings[0];
    assert_eq!(main.group, "dual-source-60");
    assert_eq!(main.place.country.as_deref(), Some("US"));
    assert_eq!(main.worst_period, None);
    assert_near(main.shortfall, 380.0, "units over the 60% cap");
    assert_says(
        main,
        &[
            "for us-midwest / wire-harness over the horizon",
            "other countries can deliver at most 0 of 950 units, so US supplies 950",
            "(100% against at most 60%)",
        ],
    );
    assert_says(
        finding(&e, "fill-95"),
        &["at most 0% of demand against 95%", "0 of 1,000 units"],
    );
}

#[test]
fn exclude_origin_when_the_others_cannot_make_enough() {
    // hagerstown makes 1,500 h / 2 h = 750 units; 90% of 1,000 = 900 must be served and
    // China is excluded for critical products.
    // - the exclusion alone: 900 − 750 = 150 units from shenzhen;
    // - the fill rate alone: 750 of 1,000 = 75%;
    // - capacity alone: hagerstown needs 900·2 − 1,500 = 300 more hours.
    let e = explain_fixture("infeasible-exclude-origin");
    assert_conflict(&e, &["no-cn-critical", "fill-90", CAPACITY]);
    let main = &e.findings[0];
    assert_eq!(main.group, "no-cn-critical");
    assert_eq!(main.kind, "exclude_origin");
    assert_near(main.shortfall, 150.0, "units from China");
    assert_says(
        main,
        &[
            "exclude_origin 'no-cn-critical' cannot hold for us-east / battery-module in 2027-01",
            "other origins can deliver at most 750 of the 900 units needed",
            "150 must come from shenzhen (CN)",
        ],
    );
    assert_says(
        finding(&e, "fill-90"),
        &["at most 75% of demand against 90%"],
    );
    assert_says(
        finding(&e, CAPACITY),
        &["hagerstown would need 300 more capacity hours in 2027-01"],
    );
}

#[test]
fn ramp_limit_when_load_must_jump_from_last_load() {
    // windsor worked 1,000 h in December; January's 800 units need 800·2 = 1,600 h and
    // nothing can be built before the horizon. The ramp allows 10% of 2,000 = 200 h a
    // month. Capacity (2,000 h) is not the problem.
    // - the ramp alone: a change of 600 h in 2027-01, 400 over the limit;
    // - the fill rate alone: loads of at most 1,200 / 1,400 / 1,600 h make 600 + 700 + 800
    //   = 2,100 of 2,400 units = 87.5%.
    let e = explain_fixture("infeasible-ramp");
    assert_conflict(&e, &["ramp-10", "serve-all"]);
    let main = &e.findings[0];
    assert_eq!(main.place.site.as_deref(), Some("windsor"));
    assert_eq!(main.periods, ["2027-01"]);
    assert_near(main.shortfall, 400.0, "hours over the ramp limit");
    assert_eq!(main.unit, "capacity hours");
    assert_says(
        main,
        &[
            "ramp_limit 'ramp-10' cannot hold at windsor in 2027-01",
            "load must rise from 1,000 to 1,600 capacity hours, a change of 600 against the 200 (10% of capacity) allowed",
        ],
    );
    assert_says(
        finding(&e, "serve-all"),
        &["at most 87.5% of demand against 100%", "2,100 of 2,400"],
    );
}

#[test]
fn load_band_minimum_when_production_has_nowhere_to_go() {
    // The band keeps saltillo at ≥ 50% of 1,000 h = 500 h = 500 units; only 200 sell and
    // the warehouse holds 100.
    // - the band alone: at most 200 + 100 = 300 h, 200 below the minimum;
    // - storage alone: 500 − 200 = 300 units held against room for 100: 200 more.
    let e = explain_fixture("infeasible-load-band");
    assert_conflict(&e, &["keep-crew-50", STORAGE]);
    let main = &e.findings[0];
    assert_eq!(main.kind, "load_band");
    assert_near(main.shortfall, 200.0, "hours below the band");
    assert_says(
        main,
        &[
            "load_band 'keep-crew-50' cannot hold at saltillo in 2027-01",
            "at most 300 capacity hours, below the band's minimum of 500 (50% of capacity)",
        ],
    );
    assert_says(
        finding(&e, STORAGE),
        &[
            "saltillo would need room for 200 more units in 2027-01",
            "must hold 300",
        ],
    );
}

#[test]
fn site_volume_minimum_above_capacity() {
    // The contract takes 2,000 units a month; monterrey has (4,000 + 200) / 2 = 2,100 in
    // January and March but (3,000 + 200) / 2 = 1,600 in February.
    // - the contract alone: 1,600 in 2027-02, 400 short;
    // - capacity alone: 2,000·2 − 3,000 − 200 = 800 more hours in 2027-02.
    let e = explain_fixture("infeasible-site-volume");
    assert_conflict(&e, &["monterrey-shelter", CAPACITY]);
    let main = &e.findings[0];
    assert_eq!(main.periods, ["2027-02"]);
    assert_near(main.shortfall, 400.0, "units short of the contract");
    assert_says(
        main,
        &["site_volume contract 'monterrey-shelter' needs 2,000 units a month at monterrey but it can make at most 1,600 in 2027-02"],
    );
    let capacity = finding(&e, CAPACITY);
    assert_near(capacity.shortfall, 800.0, "extra hours");
    assert_says(
        capacity,
        &[
            "monterrey would need 800 more capacity hours in 2027-02",
            "3,000 regular and 200 overtime",
        ],
    );
}

#[test]
fn emissions_cap_with_a_fill_rate() {
    // 90% of 1,000 = 900 units must be served; allentown makes 400 at 1 kg each, the rest
    // comes from ulsan at 10 kg; the cap is 4,500 kg.
    // - the cap alone: 400·1 + 500·10 = 5,400 kg, 900 over;
    // - the fill rate alone: 400 + (4,500 − 400) / 10 = 810 units = 81%;
    // - capacity alone: with O from ulsan, (900 − O) + 10·O ≤ 4,500 → O ≤ 400, so
    //   allentown must make 500: 100 more hours.
    let e = explain_fixture("infeasible-emissions");
    assert_conflict(&e, &["co2-cap", "fill-90", CAPACITY]);
    let main = &e.findings[0];
    assert_eq!(main.unit, "kg CO2e");
    assert_near(main.actual, 5400.0, "emissions");
    assert_near(main.shortfall, 900.0, "kg over the cap");
    assert_says(
        main,
        &[
            "emissions_cap 'co2-cap' cannot hold over the horizon",
            "emit at least 5,400 kg CO2e against a cap of 4,500 (900 over)",
        ],
    );
    assert_says(
        finding(&e, "fill-90"),
        &["at most 81% of demand against 90%"],
    );
    assert_says(
        finding(&e, CAPACITY),
        &["allentown would need 100 more capacity hours"],
    );
}

#[test]
fn min_fill_rate_alone_without_enough_capacity() {
    // juarez makes 931 a month, 1,862 in all, against 98% of 2,000 = 1,960.
    // - the fill rate alone: 1,862 / 2,000 = 93.1%;
    // - capacity alone: 1,960 − 1,862 = 98 more hours in all (how they split between the
    //   two months is a tie, so only the total is checked).
    let e = explain_fixture("infeasible-fill-rate");
    assert_conflict(&e, &["fill-98", CAPACITY]);
    let main = &e.findings[0];
    assert_near(main.actual, 1862.0, "units served");
    assert_near(main.shortfall, 98.0, "units short of 98%");
    assert_says(
        main,
        &[
            "min_fill_rate 'fill-98' cannot hold over the horizon",
            "can serve at most 93.1% of demand against 98% (1,862 of 2,000 units)",
        ],
    );
    let capacity: f64 = e
        .findings
        .iter()
        .filter(|f| f.group == CAPACITY)
        .map(|f| f.total_shortfall)
        .sum();
    assert_near(capacity, 98.0, "extra hours in all");
}

#[test]
fn storage_when_initial_inventory_cannot_be_shipped() {
    // richmond starts with 800 units, holds at most 500 and can sell 100 a month: it must
    // hold 700 at the end of January (200 over) and 600 at the end of February (100 over).
    // No policy is involved.
    let e = explain_fixture("infeasible-storage");
    assert_conflict(&e, &[STORAGE]);
    let main = &e.findings[0];
    assert_eq!(main.place.site.as_deref(), Some("richmond"));
    assert_eq!(main.periods, ["2027-01", "2027-02"]);
    assert_eq!(main.worst_period.as_deref(), Some("2027-01"));
    assert_near(main.shortfall, 200.0, "units over in January");
    assert_near(main.total_shortfall, 300.0, "units over in all");
    assert_says(
        main,
        &[
            "storage: richmond would need room for 200 more units in 2 of 2 months (worst 2027-01)",
            "must hold 700 at the end of the month but has room for 500",
        ],
    );
    // Only one finding: repeated periods are summarised, not listed line by line.
    assert_eq!(e.findings.len(), 1);
}

#[test]
fn a_member_that_is_not_enough_alone_says_what_else_must_give() {
    // Demand 1,100 must all be served; the site has 1,000 h (rate 1) and its band allows
    // 80% = 800 h. Two conflicts overlap: {band, fill rate} and {capacity, fill rate}.
    // Physical limits are filtered first, so the minimal set reported is {band, fill
    // rate}. Relaxing the band alone still leaves capacity short, so capacity must give
    // too: the band is then 1,100 − 800 = 300 h over. The fill rate alone: 800 of 1,100
    // = 72.7%.
    let scenario = common::scenario(
        "
        policies:
          - {name: band-80, kind: load_band, max: 0.8}
          - {name: serve-all, kind: min_fill_rate, min: 1.0}
        ",
        "
        periods: [p1]
        products: [{id: w}]
        sites:
          - {id: a, country: US, capacity: 1000, products: {w: {rate: 1, cost: 1}}}
        markets: [{id: m, country: US}]
        lanes: [{from: a, to: m, cost: 1}]
        demand: [{market: m, product: w, quantity: 1100}]
        ",
    );
    let e = explain(&scenario).unwrap();
    assert!(!e.feasible);
    assert_eq!(
        e.conflict,
        ["band-80", "serve-all"],
        "\n{}",
        render_text(&e)
    );
    assert!(!e.members[0].enough_alone);
    assert_eq!(e.members[0].together_with, [CAPACITY]);
    assert!(e.members[1].enough_alone);
    let band = finding(&e, "band-80");
    assert_near(band.shortfall, 300.0, "hours above the band");
    assert_says(
        band,
        &[
            "in p1",
            "it must use 1,100 capacity hours, above the band's maximum of 800 (80% of capacity)",
        ],
    );
    assert_says(
        finding(&e, "serve-all"),
        &["at most 72.7% of demand against 100%"],
    );
    let text = render_text(&e);
    assert!(
        text.contains("relaxing 'band-80' alone is not enough: 'capacity' must give as well"),
        "{text}"
    );
}

#[test]
fn a_feasible_model_is_reported_feasible() {
    let scenario = load_model(&repo().join("models/baseline.yaml"));
    let e = explain(&scenario).expect("explain baseline");
    assert!(e.feasible, "{}", render_text(&e));
    assert!(e.conflict.is_empty() && e.findings.is_empty());
    assert!(render_text(&e).contains("the model is feasible"));
}

#[test]
fn explanations_round_trip_through_json() {
    let e = explain_fixture("infeasible-site-volume");
    let json = serde_json::to_string(&e).unwrap();
    let back: Explanation = serde_json::from_str(&json).unwrap();
    assert_eq!(back.conflict, e.conflict);
    assert_eq!(back.findings.len(), e.findings.len());
    assert_eq!(back.findings[0].sentence, e.findings[0].sentence);

    // A caller that already knows the model is infeasible (`solve`) skips the first solve.
    let scenario = load_model(&fixture("infeasible-site-volume"));
    let options = ExplainOptions {
        known_infeasible: true,
        ..ExplainOptions::default()
    };
    let again = explain_with(&scenario, &options).unwrap();
    assert_eq!(again.conflict, e.conflict);
    assert_eq!(again.solves + 1, e.solves);

    // Told so wrongly, it still finds the feasible plan.
    let feasible = load_model(&repo().join("tests/fixtures/trnsport/model.yaml"));
    assert!(explain_with(&feasible, &options).unwrap().feasible);
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run allyplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn explain_subcommand_prints_the_explanation() {
    let model = fixture("infeasible-bloc-share");
    let out = run_cli(&["explain", model.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("the model is infeasible"), "{stdout}");
    assert!(
        stdout.contains("USMCA sites can deliver at most 1,150 of 1,600 units (71.9% against 80%)"),
        "{stdout}"
    );

    // --json gives the same explanation, machine-readable.
    let out = run_cli(&["explain", model.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let e: Explanation = serde_json::from_slice(&out.stdout).expect("JSON explanation");
    assert_eq!(
        e.conflict,
        ["critical-usmca-80", "serve-everything", CAPACITY]
    );

    // A what-if override that lowers the share far enough makes the model feasible.
    let out = run_cli(&[
        "explain",
        model.to_str().unwrap(),
        "--set",
        "policies[critical-usmca-80].min_share=0.7",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("the model is feasible"));
}

#[test]
fn explain_subcommand_rejects_bad_input() {
    let out = run_cli(&["explain", "tests/fixtures/bad/negative-number/model.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let missing = Path::new("tests/fixtures/no-such-model.yaml");
    let out = run_cli(&["explain", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
}
