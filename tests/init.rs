//! `allyplan init DIR`: the starter scenario validates and solves, and init never
//! replaces a file.

mod common;

use common::{allyplan, stderr};

#[test]
fn the_starter_validates_solves_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let starter = dir.path().join("plan");
    let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let o = allyplan(&["init", &s(&starter)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let model = starter.join("model.yaml");
    for name in ["model.yaml", "data/network.yaml"] {
        let text = std::fs::read_to_string(starter.join(name)).unwrap();
        assert!(text.starts_with('#'), "{name} starts with a comment");
    }
    // The forecast is a table a spreadsheet opens: a header, then a row per market and
    // product with one quantity per period.
    let demand = std::fs::read_to_string(starter.join("data/demand.csv")).unwrap();
    let mut lines = demand.lines();
    assert!(lines.next().unwrap().starts_with("market,product,2027-01,"));
    assert!(lines.all(|l| l.split(',').count() == 8), "{demand}");
    let o = allyplan(&["validate", &s(&model)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));

    let out = starter.join("out");
    let o = allyplan(&["solve", &s(&model), "--out", &s(&out), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["status"], "optimal");
    assert_eq!(plan["kpis"]["fill_rate"], 1.0);
    // Its scenario runs too, and costs more.
    let shock = starter.join("shock");
    let o = allyplan(&[
        "solve",
        &s(&model),
        "--scenario",
        "tariff-shock",
        "--out",
        &s(&shock),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let shocked: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shock.join("plan.json")).unwrap()).unwrap();
    assert!(shocked["objective"].as_f64() > plan["objective"].as_f64());

    // A second init into the same folder changes nothing and says why.
    std::fs::write(&model, "# mine\n").unwrap();
    let o = allyplan(&["init", &s(&starter)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&model).unwrap(), "# mine\n");
}
