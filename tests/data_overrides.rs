//! `--set` and `sweep --vary` reach data items by id: a site's expansion cost (a capex
//! sweep), a lane by `from>to`, demand by `market/product`; an id no data file defines
//! is an input error that names the closest one.
//!
//! The fixture (tests/fixtures/decisions-sweep) by hand: site a (capacity 100, $10 a
//! unit) is always open; site b (capacity 100, $5 a unit) starts closed (opening $200,
//! $50 a period open) and may build line-2 (+50 from p2) for its `cost`; a load band of
//! 95%; demand 150, 150, 230; a contract takes 500 units from b or pays $2 a unit short.
//! With line-2 b makes 95 + 142.5 + 142.5 = 380: 3,400 production + 530 transport + 150
//! fixed + 200 opening + 240 shortfall = 4,520 + the build cost. Without it b makes 285:
//! 1,425 + 2,450 + 530 + 150 + 200 + 430 = 5,185. So line-2 pays up to a cost of 665.

mod common;

use common::{allyplan, stderr};

const MODEL: &str = "tests/fixtures/decisions-sweep/model.yaml";

#[cfg(feature = "highs")]
#[test]
fn a_capex_sweep_finds_where_the_expansion_stops_paying() {
    let dir = tempfile::tempdir().unwrap();
    let out = allyplan(&[
        "sweep",
        MODEL,
        "--vary",
        "sites[b].expansions[line-2].cost=100,600,700",
        "--jobs",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    let objectives: Vec<f64> = summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["objective"].as_f64().unwrap())
        .collect();
    assert_eq!(objectives.len(), 3);
    for (got, want) in objectives.iter().zip([4_620.0, 5_120.0, 5_185.0]) {
        assert!((got - want).abs() < 1e-6, "{objectives:?}");
    }
    // The variant at 700 does without line-2; the others build it in p2.
    for (name, built) in [("cost=100", true), ("cost=700", false)] {
        let plan: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(name).join("plan.json")).unwrap(),
        )
        .unwrap();
        let built_in = &plan["decisions"]["expansions"][0]["built_in"];
        assert_eq!(built_in.as_str() == Some("p2"), built, "{name}: {built_in}");
    }
}

#[test]
fn an_unknown_id_is_an_input_error_naming_the_closest() {
    let out = allyplan(&["validate", MODEL, "--set", "sites[bb].capacity=5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "--set sites[bb].capacity=5: no data file defines site `bb` (did you mean `b`?)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_value_set_on_a_data_item_is_located_on_the_command_line() {
    let out = allyplan(&["validate", MODEL, "--set", "sites[b].capacity=-5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("--set sites[b].capacity=-5: error: sites[1].capacity: must not be negative"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lanes_and_demand_are_named_by_their_ends() {
    let out = allyplan(&[
        "validate",
        MODEL,
        "--set",
        "lanes[a>m].cost=2",
        "--set",
        "demand[m/widget].quantity=[1, 2, 3]",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = allyplan(&["validate", MODEL, "--set", "lanes[a>x].cost=2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no data file defines lane `a>x`"),
        "{}",
        stderr(&out)
    );
}
