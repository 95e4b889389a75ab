//! Stranded stock: a site forced to produce (a `site_volume` or `load_band` minimum) with
//! nowhere to store at a cost piles up stock that never ships, and `validate` warns about
//! the site.
//!
//! The fixture `tests/fixtures/stranded/`: three months, demand for bearings at us-east
//! [0, 2000, 2000]. ningbo (CN) must make at least 3,000 a month and has no inventory
//! block; its lane takes a month, so what leaves in 2027-03 would arrive after the
//! horizon. busan (KR) holds 300 bearings from the start.

mod common;

use std::path::Path;

use common::{allyplan, stderr};

const MODEL: &str = "tests/fixtures/stranded/model.yaml";

const WARNING: &str = "tests/fixtures/stranded/data.yaml:8:5: warning: sites[0].id: site `ningbo` must produce (site_volume `ningbo-contract`: at least 3,000 units every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock (add `inventory: {holding_cost: {bearing: …}, capacity: …}` to the site, so that stock has a cost and a limit)";

#[test]
fn validate_warns_about_a_forced_site_without_storage() {
    let out = allyplan(&["validate", MODEL]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "{WARNING}\n{MODEL}: valid (3 periods, 2 sites, 1 markets, 1 products, 2 lanes, 1 policies, 1 warning)\n"
        )
    );
}

/// Writes the fixture's data with `edit` applied and a model with `policies`, and returns
/// the warnings `validate` gives.
fn warnings(policies: &str, edit: impl Fn(&str) -> String) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let data =
        std::fs::read_to_string(common::repo().join("tests/fixtures/stranded/data.yaml")).unwrap();
    std::fs::write(dir.path().join("data.yaml"), edit(&data)).unwrap();
    let model = dir.path().join("model.yaml");
    std::fs::write(&model, format!("data: [data.yaml]\npolicies:\n{policies}")).unwrap();
    let (_, diags) = allyplan::check(Path::new(&model)).expect("valid input");
    diags
        .sorted()
        .iter()
        .map(|d| format!("{}: {}", d.loc.key, d.message))
        .collect()
}

const CONTRACT: &str = "  - {name: contract, kind: site_volume, site: ningbo, min: 3000}\n";

#[test]
fn the_warning_needs_a_forced_site_with_free_unlimited_storage_and_periods() {
    let same = |d: &str| d.to_string();
    assert_eq!(
        warnings(CONTRACT, same),
        ["sites[0].id: site `ningbo` must produce (site_volume `contract`: at least 3,000 units every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock"]
    );
    // A load_band minimum forces every site in scope: ningbo and busan. busan has an
    // inventory block, but it sets no holding cost or capacity.
    assert_eq!(
        warnings("  - {name: band, kind: load_band, min: 0.25}\n", same),
        [
            "sites[0].id: site `ningbo` must produce (load_band `band`: at least 25% of its capacity every period) but has no `inventory` block: whatever it cannot ship piles up as free, unlimited stock",
            "sites[1].id: site `busan` must produce (load_band `band`: at least 25% of its capacity every period) but its `inventory` block sets no `holding_cost` or `capacity`: whatever it cannot ship piles up as free, unlimited stock",
        ]
    );
    // No warning: no minimum, a minimum of 0, a holding cost, a storage capacity, one period.
    assert!(warnings("  - {kind: site_volume, site: ningbo, max: 3000}\n", same).is_empty());
    assert!(warnings("  - {kind: load_band, min: 0, max: 0.9}\n", same).is_empty());
    let priced = |d: &str| {
        d.replace(
            "      bearing: {rate: 1, cost: 5}\n",
            "      bearing: {rate: 1, cost: 5}\n    inventory: {holding_cost: {bearing: 0.5}}\n",
        )
    };
    assert!(warnings(CONTRACT, priced).is_empty());
    let capped = |d: &str| {
        d.replace(
            "      bearing: {rate: 1, cost: 5}\n",
            "      bearing: {rate: 1, cost: 5}\n    inventory: {capacity: 100}\n",
        )
    };
    assert!(warnings(CONTRACT, capped).is_empty());
    let one_period = |d: &str| {
        d.replace("[2027-01, 2027-02, 2027-03]", "[2027-01]")
            .replace("[0, 2000, 2000]", "[2000]")
            .replace("lead_time: 1", "lead_time: 0")
    };
    assert!(warnings(CONTRACT, one_period).is_empty());
}
