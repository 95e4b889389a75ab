//! `allyplan export`: the MPS and LP text of small models, and a cross-check of the shipped
//! models and known answers in an independent solver (HiGHS, through `tests/highs_check.py`
//! and the `highspy` Python package).
//!
//! When `highspy` cannot be imported the cross-checks print a note and pass, except in CI
//! (the `CI` environment variable is set), where they fail: CI installs highspy.
//! `PYTHON` chooses the interpreter (default `python3`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use allyplan::Scenario;
use allyplan::{build, BuiltModel, RowKey, Sense, VarKey};
use allyplan::{export, to_lp, to_mps, ExportFormat as Format};
use common::{load_model, objective, python, python_imports, scenario, solve};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A plant making widgets over two periods, with overtime (an upper bound), inventory
/// and one market.
fn tiny() -> Scenario {
    scenario(
        "
        name: tiny
        objective: {unmet_penalty: 1000}
        ",
        "
        periods: [p1, p2]
        products:
          - {id: widget}
        sites:
          - id: plant
            country: US
            capacity: 10
            overtime: {capacity: 5, cost: 3}
            products:
              widget: {rate: 1, cost: 2}
            inventory:
              initial: {widget: 1}
              holding_cost: {widget: 0.25}
        markets:
          - {id: shop, country: US}
        lanes:
          - {from: plant, to: shop, cost: 0.1}
        demand:
          - {market: shop, product: widget, quantity: [8, 14]}
        ",
    )
}

/// The lines of a section: after the line `start`, up to the next line starting with a
/// non-blank character.
fn section<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| *l != start)
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .collect()
}

/// Rows and distinct columns of an MPS text.
fn mps_counts(text: &str) -> (usize, usize) {
    let rows = section(text, "ROWS");
    assert_eq!(
        rows.first().map(|l| l.trim()),
        Some("N  COST"),
        "objective row"
    );
    let columns: BTreeSet<&str> = section(text, "COLUMNS")
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    (rows.len() - 1, columns.len())
}

/// Constraint labels in the `Subject To` section of an LP text (continuation lines are
/// indented further).
fn lp_row_labels(text: &str) -> Vec<&str> {
    section(text, "Subject To")
        .into_iter()
        .filter(|l| !l.starts_with("  "))
        .filter_map(|l| l.trim().split(':').next())
        .collect()
}

#[test]
fn mps_has_sections_counts_and_bounds() {
    let sc = tiny();
    let model = build(&sc);
    let text = to_mps(&sc, &model);
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '*']))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(
        headers,
        ["NAME", "ROWS", "COLUMNS", "RHS", "BOUNDS", "ENDATA"],
        "{text}"
    );
    assert!(text.contains("NAME tiny\n"), "{text}");
    assert_eq!(
        mps_counts(&text),
        (model.lp.rows.len(), model.lp.columns.len())
    );
    // Names as allyplan writes them; no whitespace inside names.
    assert!(text.contains("x[plant,widget,p1]"), "{text}");
    assert!(text.contains("y[plant,shop,widget,p2]"), "{text}");
    assert!(text.contains("capacity[plant,p1]"), "{text}");
    // Overtime is the only bounded column: 5 per period, as UP bounds.
    let bounds = section(&text, "BOUNDS");
    let up: Vec<Vec<&str>> = bounds
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        up,
        [
            ["UP", "BND", "o[plant,p1]", "5"],
            ["UP", "BND", "o[plant,p2]", "5"]
        ]
    );
    // Costs and right-hand sides, exactly.
    let has = |a: &str, b: &str, v: &str| {
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [a, b, v])
    };
    assert!(has("x[plant,widget,p1]", "COST", "2"), "{text}");
    assert!(has("I[plant,widget,p1]", "COST", "0.25"), "{text}");
    assert!(has("y[plant,shop,widget,p1]", "COST", "0.1"), "{text}");
    assert!(has("RHS", "balance[plant,widget,p1]", "1"), "{text}");
    assert!(has("RHS", "demand[shop,widget,p2]", "14"), "{text}");
    assert!(text.contains(" E  demand[shop,widget,p1]\n"), "{text}");
    assert!(text.contains(" L  capacity[plant,p1]\n"), "{text}");
}

#[test]
fn lp_has_sections_counts_and_bounds() {
    let sc = tiny();
    let model = build(&sc);
    let text = to_lp(&sc, &model);
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\\']))
        .collect();
    assert_eq!(
        headers,
        ["Minimize", "Subject To", "Bounds", "End"],
        "{text}"
    );
    assert!(
        text.contains("Minimize\n obj: 2 x(plant,widget,p1)"),
        "{text}"
    );
    let labels = lp_row_labels(&text);
    assert_eq!(labels.len(), model.lp.rows.len(), "{text}");
    assert!(labels.contains(&"capacity(plant,p1)"), "{labels:?}");
    assert!(labels.contains(&"demand(shop,widget,p2)"), "{labels:?}");
    assert_eq!(
        section(&text, "Bounds"),
        [" o(plant,p1) <= 5", " o(plant,p2) <= 5"]
    );
    // Names: [ ] become ( ); no square brackets or hyphens anywhere outside comments.
    assert!(text.contains("x(plant,widget,p1)"), "{text}");
    assert!(text.contains("y(plant,shop,widget,p2)"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('\\')) {
        assert!(!line.contains(['[', ']']), "{line}");
        assert!(line.len() <= 78, "long line: {line}");
    }
    // Capacity: x − o ≤ 10.
    assert!(
        text.contains(" capacity(plant,p1): x(plant,widget,p1) - o(plant,p1) <= 10\n"),
        "{text}"
    );
    assert_eq!(
        export(&sc, &model, Format::Lp).variables,
        model.lp.columns.len()
    );
}

#[test]
fn export_is_deterministic() {
    for sc in [tiny(), load_model(&repo().join("models/baseline.yaml"))] {
        let a = build(&sc);
        let b = build(&sc);
        assert_eq!(to_mps(&sc, &a), to_mps(&sc, &b), "{}: MPS", sc.name);
        assert_eq!(to_lp(&sc, &a), to_lp(&sc, &b), "{}: LP", sc.name);
    }
}

#[test]
fn format_follows_the_extension() {
    assert_eq!(
        Format::from_path(Path::new("m.MPS")).ok(),
        Some(Format::Mps)
    );
    assert_eq!(
        Format::from_path(Path::new("dir/m.lp")).ok(),
        Some(Format::Lp)
    );
    match Format::from_path(Path::new("m.txt")) {
        Err(allyplan::Error::Usage(m)) => assert!(m.contains(".mps") && m.contains(".lp"), "{m}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
}

/// Ids that differ only in characters the LP format does not allow end up with distinct
/// names (a `~2` suffix), and the files still solve to the same optimum.
#[test]
fn colliding_names_are_made_unique() {
    let sc = scenario(
        "
        name: clash of names
        objective: {unmet_penalty: 100}
        ",
        "
        periods: [2027-01]
        products:
          - {id: a-b}
          - {id: a_b}
        sites:
          - id: e1
            country: US
            capacity: 10
            products:
              a-b: {rate: 1, cost: 2}
              a_b: {rate: 2, cost: 3}
        markets:
          - {id: m, country: US}
        lanes:
          - {from: e1, to: m, cost: 1}
        demand:
          - {market: m, product: a-b, quantity: [4]}
          - {market: m, product: a_b, quantity: [5]}
        ",
    );
    let model = build(&sc);
    let lp = to_lp(&sc, &model);
    assert!(lp.contains("x(e1,a_b,2027_01)"), "{lp}");
    assert!(lp.contains("x(e1,a_b,2027_01)~2"), "{lp}");
    let mps = to_mps(&sc, &model);
    assert!(mps.contains("x[e1,a-b,2027-01]"), "{mps}");
    assert!(mps.contains("x[e1,a_b,2027-01]"), "{mps}");
    assert!(mps.contains("NAME clash_of_names\n"), "{mps}");
    assert!(!mps.contains('~'), "MPS names are already unique: {mps}");
    cross_check_solved(&sc, None);
}

/// Columns in no row with no cost, empty rows, repeated entries, fixed, free and
/// negative-lower-bound columns: written so that HiGHS reads the same dimensions, and the
/// optimum does not move (none of them constrains anything).
#[test]
fn unusual_columns_and_rows_survive_the_round_trip() {
    let sc = load_model(&repo().join("tests/fixtures/sailco/model.yaml"));
    let mut model = build(&sc);
    let lp = &mut model.lp;
    let x0 = 0; // x[sailco,sailboat,q1]
    assert!(matches!(lp.columns[x0].key, VarKey::Production { .. }));
    let inf = f64::INFINITY;
    // Free-standing columns (names repeat existing ones: they get suffixes in both formats).
    let lone = lp.add_column(VarKey::Overtime { site: 0, t: 0 }, 0.0, inf);
    let fixed = lp.add_column(VarKey::Overtime { site: 0, t: 1 }, 0.0, 2.5);
    lp.columns[fixed].lower = 2.5;
    let free = lp.add_column(VarKey::Overtime { site: 0, t: 2 }, 0.0, inf);
    lp.columns[free].lower = f64::NEG_INFINITY;
    let minus = lp.add_column(VarKey::Overtime { site: 0, t: 3 }, 0.0, 3.0);
    lp.columns[minus].lower = f64::NEG_INFINITY;
    let boxed = lp.add_column(
        VarKey::Inventory {
            site: 0,
            product: 0,
            class: None,
            t: 0,
        },
        0.0,
        4.0,
    );
    lp.columns[boxed].lower = -1.0;
    // An empty row, a row with a repeated column (2·x ≤ 1000: never binding), and one
    // whose repeated entries cancel.
    let cap = RowKey::Capacity { site: 0, t: 0 };
    lp.add_row(cap, [], Sense::Le, 5.0);
    lp.add_row(cap, [(x0, 1.0), (lone, 1.0), (x0, 1.0)], Sense::Le, 1000.0);
    lp.add_row(cap, [(x0, 1.0), (free, 1.0), (x0, -1.0)], Sense::Ge, -7e-12);
    assert_eq!(lp.columns.len(), 25);
    assert_eq!(lp.rows.len(), 15);

    let mps = to_mps(&sc, &model);
    assert_eq!(mps_counts(&mps), (15, 25), "{mps}");
    assert!(mps.contains(" FX BND  o[sailco,q2]~2  2.5\n"), "{mps}");
    assert!(mps.contains(" FR BND  o[sailco,q3]~2\n"), "{mps}");
    assert!(
        mps.contains(" MI BND  o[sailco,q4]~2\n UP BND  o[sailco,q4]~2  3\n"),
        "{mps}"
    );
    assert!(
        mps.contains(" LO BND  I[sailco,sailboat,q1]~2  -1\n"),
        "{mps}"
    );
    assert!(mps.contains("capacity[sailco,q1]~3"), "{mps}");
    assert!(mps.contains("-7e-12"), "{mps}");
    let lp_text = to_lp(&sc, &model);
    assert_eq!(lp_row_labels(&lp_text).len(), 15, "{lp_text}");
    assert!(lp_text.contains(" capacity(sailco,q1)~2: 0 x(sailco,sailboat,q1) <= 5\n"));
    assert!(lp_text.contains(" capacity(sailco,q1)~3: 2 x(sailco,sailboat,q1)"));
    assert!(lp_text.contains(" o(sailco,q3)~2 free\n"), "{lp_text}");
    assert!(
        lp_text.contains(" -inf <= o(sailco,q4)~2 <= 3\n"),
        "{lp_text}"
    );
    assert!(
        lp_text.contains(" -1 <= I(sailco,sailboat,q1)~2 <= 4\n"),
        "{lp_text}"
    );
    assert!(lp_text.contains(" o(sailco,q2)~2 = 2.5\n"), "{lp_text}");
    assert!(lp_text.contains("+ 0 o(sailco,q2)~2"), "{lp_text}");
    let exported = export(&sc, &model, Format::Mps);
    // 31 + 2 (the repeated entries merged into one) + 1 (the cancelling row keeps `free`).
    assert_eq!(exported.nonzeros, 34);

    let reference = objective(&solve(&sc));
    assert_rel(reference, 78_450.0, "allyplan");
    for (format, text) in [("mps", mps), ("lp", lp_text)] {
        if let Some(h) = highs_text(&text, format) {
            assert_eq!(h.status, "optimal", "{format}");
            assert_eq!((h.columns, h.rows, h.nonzeros), (25, 15, 34), "{format}");
            assert_rel(h.objective, 78_450.0, format);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cross-checks in HiGHS.

#[test]
fn baseline_matches_highs() {
    let sc = load_model(&repo().join("models/baseline.yaml"));
    cross_check_solved(&sc, None);
}

#[test]
fn usmca_strict_matches_highs() {
    let sc = load_model(&repo().join("models/usmca-strict.yaml"));
    cross_check_solved(&sc, None);
}

#[test]
fn trnsport_matches_highs() {
    let sc = load_model(&repo().join("tests/fixtures/trnsport/model.yaml"));
    cross_check_solved(&sc, Some(153.675));
}

#[test]
fn sailco_matches_highs() {
    let sc = load_model(&repo().join("tests/fixtures/sailco/model.yaml"));
    cross_check_solved(&sc, Some(78_450.0));
}

#[test]
fn two_tier_example_matches_highs() {
    // Origin-split columns and rows (`@CN`, `@MX_US`), lanes between sites with modes,
    // named resources and value-content rows survive the round trip.
    let sc = load_model(&repo().join("models/two-tier.yaml"));
    cross_check_solved(&sc, None);
}

/// A fixed cost of a site that is always open is a constant of the objective: the MPS
/// file carries it as minus the right-hand side of `COST`, the LP file as a number in the
/// objective, and HiGHS's optimum on either is the plan's (the tiny model's 23.05 plus
/// 2 periods × 500).
#[test]
fn fixed_costs_are_the_objective_constant() {
    let sc = scenario(
        "
        name: tiny-fixed
        objective: {unmet_penalty: 1000}
        ",
        "
        periods: [p1, p2]
        products:
          - {id: widget}
        sites:
          - id: plant
            country: US
            capacity: 10
            fixed_cost: 500
            overtime: {capacity: 5, cost: 3}
            products:
              widget: {rate: 1, cost: 2}
            inventory:
              initial: {widget: 1}
              holding_cost: {widget: 0.25}
        markets:
          - {id: shop, country: US}
        lanes:
          - {from: plant, to: shop, cost: 0.1}
        demand:
          - {market: shop, product: widget, quantity: [8, 14]}
        ",
    );
    let model = build(&sc);
    let mps = to_mps(&sc, &model);
    let rhs = section(&mps, "RHS");
    assert_eq!(
        rhs[0].split_whitespace().collect::<Vec<_>>(),
        ["RHS", "COST", "-1000"]
    );
    let lp = to_lp(&sc, &model);
    let start = lp.find("Minimize").unwrap();
    let end = lp.find("Subject To").unwrap();
    assert!(lp[start..end].trim_end().ends_with(" + 1000"), "{lp}");
    let reference = objective(&solve(&sc));
    let without = objective(&solve(&tiny()));
    assert_rel(reference, without + 1000.0, "fixed cost in the plan");
    for (format, value) in cross_check(&sc, &model, "tiny-fixed") {
        assert_rel(value, reference, &format!("HiGHS on {format}"));
    }
    // Without a fixed cost, nothing is written.
    let plain = to_mps(&tiny(), &build(&tiny()));
    assert!(!plain.contains("RHS  COST"), "{plain}");
}

#[test]
fn multi_tier_known_answers_match_highs() {
    for (name, known) in [
        ("factory-planning", 641_615.0 / 28.0),
        ("depot", 198_500.0),
        ("min-cost-flow", 150.0),
        ("rvc-hand-hub", 26_150.0),
    ] {
        let path = repo().join(format!("tests/fixtures/v2/{name}/model.yaml"));
        cross_check_solved(&load_model(&path), Some(known));
    }
}

// ---------------------------------------------------------------------------------------
// Integer models.

/// Three periods, demand [30, 120, 30]: `far` always open with a fixed cost of 150 a
/// period (a constant of 450 in the objective); `near` may open (300 to open, 200 a
/// period), may build `line-2` from p2, and runs at least 20 when it runs. Optimum (as
/// in tests/decisions.rs, plus the constant): near open in p2 and p3, 1720 + 450.
fn milp() -> Scenario {
    scenario(
        "
        name: milp
        objective: {unmet_penalty: 1000}
        ",
        "
        periods: [p1, p2, p3]
        products: [{id: widget}]
        sites:
          - id: far
            country: US
            capacity: 1000
            fixed_cost: 150
            products: {widget: {rate: 1, cost: 10}}
            inventory: {holding_cost: {widget: 7}}
          - id: near
            country: US
            capacity: 100
            fixed_cost: 200
            open: {initially: false, opening_cost: 300, closing_cost: 100}
            expansions:
              - {name: line-2, capacity: 50, cost: 1000, from: p2}
            products: {widget: {rate: 1, cost: 4, min_run: 20}}
            inventory: {holding_cost: {widget: 7}}
        markets: [{id: m, country: US}]
        lanes:
          - {from: far, to: m}
          - {from: near, to: m}
        demand: [{market: m, product: widget, quantity: [30, 120, 30]}]
        ",
    )
}

/// The integer columns of the MILP, in column order, as allyplan names them.
const MILP_INTEGERS: [&str; 8] = [
    "open[near,p1]",
    "open[near,p2]",
    "open[near,p3]",
    "build[near,line-2,p2]",
    "build[near,line-2,p3]",
    "run[near,widget,p1]",
    "run[near,widget,p2]",
    "run[near,widget,p3]",
];

/// The columns between `'INTORG'` and `'INTEND'` markers of an MPS text, checking that
/// markers pair up.
fn mps_marked(text: &str) -> Vec<&str> {
    let mut marked = Vec::new();
    let mut inside = false;
    for line in section(text, "COLUMNS") {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.get(1) == Some(&"'MARKER'") {
            match words.get(2) {
                Some(&"'INTORG'") => assert!(!inside, "INTORG inside a block: {line}"),
                Some(&"'INTEND'") => assert!(inside, "INTEND outside a block: {line}"),
                other => panic!("unknown marker {other:?}"),
            }
            inside = !inside;
        } else if inside && marked.last() != Some(&words[0]) {
            marked.push(words[0]);
        }
    }
    assert!(!inside, "a block left open");
    marked
}

#[test]
fn mps_marks_integer_columns_and_writes_the_constant() {
    let sc = milp();
    let model = build(&sc);
    assert_eq!(model.lp.offset, 450.0);
    let exported = export(&sc, &model, Format::Mps);
    let text = &exported.text;
    assert_eq!(exported.integers, MILP_INTEGERS.len());
    assert_eq!(mps_marked(text), MILP_INTEGERS, "{text}");
    // The constant is the negated right-hand side of the objective row, first in RHS.
    assert_eq!(
        section(text, "RHS")
            .first()
            .map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["RHS", "COST", "-450"]),
        "{text}"
    );
    // Every integer column has its bounds written: [0, 1].
    for name in MILP_INTEGERS {
        let bound = format!(" UP BND  {name}  1");
        assert!(text.lines().any(|l| l == bound), "no {bound:?} in {text}");
    }
    // A v1 model has neither.
    let v1 = to_mps(&tiny(), &build(&tiny()));
    assert!(!v1.contains("MARKER"), "{v1}");
    assert!(!v1.contains("RHS  COST"), "{v1}");
}

#[test]
fn lp_lists_binaries_and_general_integers_and_the_constant() {
    let sc = milp();
    let mut model = build(&sc);
    let text = to_lp(&sc, &model);
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\\']))
        .collect();
    assert_eq!(
        headers,
        ["Minimize", "Subject To", "Bounds", "Binary", "End"],
        "{text}"
    );
    let binary: Vec<&str> = section(&text, "Binary")
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    let lp_names: Vec<String> = MILP_INTEGERS
        .iter()
        .map(|n| n.replace('[', "(").replace(']', ")").replace('-', "_"))
        .collect();
    assert_eq!(binary, lp_names, "{text}");
    // The objective ends with its constant.
    let objective = section(&text, "Minimize").join(" ");
    assert!(objective.ends_with(" + 450"), "{objective}");

    // An integer column that is not 0/1 is listed under General, and one without an
    // upper bound keeps it explicitly in MPS.
    let j = model
        .lp
        .columns
        .iter()
        .position(|c| c.integer)
        .expect("an integer column");
    model.lp.columns[j].upper = 3.0;
    let text = to_lp(&sc, &model);
    assert_eq!(section(&text, "General"), [" open(near,p1)"], "{text}");
    assert_eq!(
        section(&text, "Binary")
            .iter()
            .flat_map(|l| l.split_whitespace())
            .count(),
        MILP_INTEGERS.len() - 1
    );
    model.lp.columns[j].upper = f64::INFINITY;
    let mps = to_mps(&sc, &model);
    assert!(mps.lines().any(|l| l == " PL BND  open[near,p1]"), "{mps}");
}

/// HiGHS reads both exports of the MILP as a MILP (eight integer columns) with the
/// constant, and finds allyplan's optimum: 1720 + 450.
#[test]
fn milp_matches_highs() {
    let sc = milp();
    let known = 2170.0;
    #[cfg(feature = "highs")]
    {
        let request = allyplan::SolveRequest {
            backend: Some("highs".to_string()),
            ..allyplan::SolveRequest::default()
        };
        let plan = allyplan::solve_scenario(&sc, &request).plan;
        assert_rel(objective(&plan), known, "allyplan on the MILP");
    }
    for (format, value) in cross_check(&sc, &build(&sc), "milp") {
        assert_rel(value, known, &format!("milp: HiGHS on {format}"));
    }
}

/// Solves with allyplan, then checks both exported files in HiGHS against its objective
/// (and a published optimum, when there is one).
fn cross_check_solved(sc: &Scenario, known: Option<f64>) {
    let reference = objective(&solve(sc));
    eprintln!("{}: allyplan objective {reference}", sc.name);
    if let Some(k) = known {
        assert_rel(reference, k, "allyplan vs published optimum");
    }
    let model = build(sc);
    let measured = cross_check(sc, &model, &sc.name);
    for (format, value) in measured {
        assert_rel(value, reference, &format!("{}: HiGHS on {format}", sc.name));
        if let Some(k) = known {
            assert_rel(value, k, &format!("{}: HiGHS on {format}", sc.name));
        }
    }
}

/// Exports both formats, solves each in HiGHS, checks status and dimensions, and returns
/// the objectives (empty when highspy is unavailable outside CI).
fn cross_check(sc: &Scenario, model: &BuiltModel, what: &str) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    for format in [Format::Mps, Format::Lp] {
        let exported = export(sc, model, format);
        let ext = match format {
            Format::Mps => "mps",
            Format::Lp => "lp",
        };
        let Some(h) = highs_text(&exported.text, ext) else {
            return out;
        };
        assert_eq!(h.status, "optimal", "{what}.{ext}");
        assert_eq!(
            (h.columns, h.rows, h.nonzeros, h.integers),
            (
                exported.variables,
                exported.rows,
                exported.nonzeros,
                exported.integers
            ),
            "{what}.{ext}: HiGHS read other dimensions"
        );
        assert_eq!(
            h.offset, model.lp.offset,
            "{what}.{ext}: HiGHS read another constant"
        );
        eprintln!("{what}.{ext}: HiGHS objective {}", h.objective);
        out.push((ext, h.objective));
    }
    out
}

#[derive(Debug)]
struct HighsResult {
    status: String,
    objective: f64,
    columns: usize,
    rows: usize,
    nonzeros: usize,
    integers: usize,
    offset: f64,
}

/// Whether highspy can be imported (see [`python_imports`]).
fn highspy_available() -> bool {
    python_imports(
        "highspy",
        "the HiGHS cross-checks of tests/export.rs",
        "pip install highspy",
    )
}

/// Writes `text` to a temporary `.ext` file and solves it in HiGHS; `None` when skipped.
fn highs_text(text: &str, ext: &str) -> Option<HighsResult> {
    if !highspy_available() {
        return None;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(format!("model.{ext}"));
    std::fs::write(&path, text).expect("write the exported model");
    Some(highs_file(&path))
}

fn highs_file(path: &Path) -> HighsResult {
    let out = Command::new(python())
        .arg(repo().join("tests/highs_check.py"))
        .arg(path)
        .output()
        .expect("run tests/highs_check.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let get = |key: &str| -> String {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix(' ')))
            .unwrap_or_else(|| {
                panic!(
                    "highs_check.py {}: no `{key}` (exit {:?})\nstdout:\n{stdout}\nstderr:\n{}",
                    path.display(),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                )
            })
            .to_string()
    };
    HighsResult {
        status: get("status"),
        objective: get("objective").parse().expect("objective is a number"),
        columns: get("columns").parse().expect("a count"),
        rows: get("rows").parse().expect("a count"),
        nonzeros: get("nonzeros").parse().expect("a count"),
        integers: get("integers").parse().expect("a count"),
        offset: get("offset").parse().expect("the constant is a number"),
    }
}

/// `|actual − expected| ≤ 1e-6 · max(1, |expected|)`.
#[track_caller]
fn assert_rel(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

// ---------------------------------------------------------------------------------------
// The command line.

fn allyplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run allyplan")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cli_writes_the_file_and_says_so() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for name in ["t.mps", "t.LP"] {
        let file = dir.path().join("sub").join(name);
        let f = file.to_str().expect("utf-8 path");
        let out = allyplan(&[
            "export",
            "tests/fixtures/trnsport/model.yaml",
            "--output",
            f,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let sc = load_model(&repo().join("tests/fixtures/trnsport/model.yaml"));
        let model = build(&sc);
        let (n, m, k) = (
            model.lp.columns.len(),
            model.lp.rows.len(),
            model.lp.n_nonzeros(),
        );
        assert_eq!(
            stderr(&out).trim(),
            format!("wrote {f}: {n} variables, {m} rows, {k} non-zeros"),
        );
        assert!(out.stdout.is_empty());
        let text = std::fs::read_to_string(&file).expect("file written");
        let expected = if name.ends_with("mps") {
            to_mps(&sc, &model)
        } else {
            to_lp(&sc, &model)
        };
        assert_eq!(text, expected, "the CLI writes what the library renders");
        if let Some(h) = highspy_available().then(|| highs_file(&file)) {
            assert_rel(h.objective, 153.675, name);
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn cli_quiet_prints_nothing_and_overrides_apply() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("t.lp");
    let f = file.to_str().expect("utf-8 path");
    let out = allyplan(&[
        "export",
        "tests/fixtures/trnsport/model.yaml",
        "--quiet",
        "--set",
        "objective.unmet_penalty=777.5",
        "-o",
        f,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).expect("file written");
    assert!(
        text.contains("+ 777.5 u(new_york,cases,base)"),
        "the override reaches the LP: {text}"
    );
}

#[test]
fn cli_rejects_unknown_extensions_and_bad_input() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("t.txt");
    let out = allyplan(&[
        "export",
        "tests/fixtures/trnsport/model.yaml",
        "--output",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(".mps") && stderr(&out).contains(".lp"),
        "{}",
        stderr(&out)
    );
    assert!(!file.exists());

    let file = dir.path().join("t.mps");
    let out = allyplan(&[
        "export",
        "tests/fixtures/bad/duplicate-lane/model.yaml",
        "--output",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("input is not valid"),
        "{}",
        stderr(&out)
    );
    assert!(!file.exists());
}
