//! Tables as data files: demand (long and wide), site capacity and lanes from CSV and
//! from `.xlsx` sheets give the same plans as the YAML they replace, and bad tables get
//! errors naming file, row and column.

mod common;

use std::path::Path;

use common::{dedent, load_model, objective, repo, solve};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// The network: three periods, two sites, two markets, two products; `{capacity}` and
/// `{lanes}` are filled in by each test.
const NETWORK: &str = r#"
    periods: ["2027-01", "2027-02", "2027-03"]
    products:
      - {id: cell, unit_value: 100, critical: true}
      - {id: board, unit_value: 40}
    sites:
      - id: austin
        country: US
        {austin_capacity}
        products:
          cell: {rate: 1.0, cost: 20}
          board: {rate: 0.5, cost: 8}
      - id: monterrey
        country: MX
        {monterrey_capacity}
        products:
          cell: {rate: 1.2, cost: 15}
          board: {rate: 0.4, cost: 6}
    markets:
      - {id: us-east, country: US}
      - {id: mx-north, country: MX}
    {lanes}
"#;

const LANES_YAML: &str = r#"lanes:
      - {from: austin, to: us-east, cost: 4, lead_time: 0, emissions: 2}
      - {from: austin, to: mx-north, cost: 9, lead_time: 1, tariff: 0.1}
      - {from: monterrey, to: us-east, cost: 7, lead_time: 1, duty: 2, capacity: 400}
      - {from: monterrey, to: mx-north, cost: 3}"#;

const LANES_CSV: &str = "from,to,mode,cost,lead_time,tariff,duty,emissions,capacity
austin,us-east,,4,0,,,2,
austin,mx-north,,9,1,0.1,,,
monterrey,us-east,,7,1,,2,,400
monterrey,mx-north,,3,,,,,
";

const DEMAND_YAML: &str = r#"
    demand:
      - {market: us-east, product: cell, quantity: [300, 420, 380], unmet_penalty: 900}
      - {market: us-east, product: board, quantity: [500, 520, 610]}
      - {market: mx-north, product: cell, quantity: [150, 160, 170]}
      - {market: mx-north, product: board, quantity: [200, 0, 260], unmet_penalty: [300, 310, 320]}
"#;

/// The same demand, one column per period (columns in another order than the periods).
const DEMAND_WIDE: &str = "market,product,2027-02,2027-01,2027-03,unmet_penalty
us-east,cell,420,300,380,900
us-east,board,520,500,610,
mx-north,cell,160,150,170,
";

/// The same demand, one row per period (rows in any order).
const DEMAND_LONG: &str = "market,product,period,quantity,unmet_penalty
us-east,cell,2027-01,300,900
us-east,cell,2027-02,420,900
us-east,board,2027-01,500,
us-east,cell,2027-03,380,900
us-east,board,2027-02,520,
us-east,board,2027-03,610,
mx-north,cell,2027-01,150,
mx-north,cell,2027-02,160,
mx-north,cell,2027-03,170,
mx-north,board,2027-01,200,300
mx-north,board,2027-02,0,310
mx-north,board,2027-03,260,320
";

fn network(capacity: bool, lanes: bool) -> String {
    let text = dedent(NETWORK);
    let cap = |n: &str| {
        if capacity {
            format!("capacity: {n}")
        } else {
            String::new()
        }
    };
    text.replace("{austin_capacity}", &cap("[800, 900, 700]"))
        .replace("{monterrey_capacity}", &cap("600"))
        .replace("{lanes}", if lanes { LANES_YAML } else { "" })
}

const MODEL: &str = "name: tables
objective: {unmet_penalty: 1000, leveling_weight: 0.5}
policies:
  - {kind: min_bloc_share, bloc: usmca, min_share: 0.5, products: critical}
blocs: {usmca: [US, MX]}
";

/// Writes `files` and a model reading `data` into a fresh folder; returns the plan as
/// JSON without its metadata.
fn plan_of(files: &[(&str, &[u8])], data: &[&str]) -> Value {
    let dir = project(files, data);
    plan_json(&dir.path().join("model.yaml"))
}

/// A fresh folder holding `files` and `model.yaml`, a model reading `data`.
fn project(files: &[(&str, &[u8])], data: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(
        dir.path().join("model.yaml"),
        format!("data: [{}]\n{MODEL}", data.join(", ")),
    )
    .unwrap();
    dir
}

fn plan_json(model: &Path) -> Value {
    let plan = solve(&load_model(model));
    assert!(objective(&plan) > 0.0);
    let mut json = serde_json::to_value(&plan).unwrap();
    json.as_object_mut().unwrap().remove("metadata");
    json
}

/// The YAML-only plan the tables must reproduce.
fn yaml_plan() -> Value {
    let net = network(true, true);
    let demand = dedent(DEMAND_YAML);
    plan_of(
        &[
            ("net.yaml", net.as_bytes()),
            ("demand.yaml", demand.as_bytes()),
        ],
        &["net.yaml", "demand.yaml"],
    )
}

/// The last demand entry of DEMAND_YAML, for the wide CSV that lacks it (a wide row's
/// penalty is one number for every period).
const BOARD_MX: &str = "demand:
  - {market: mx-north, product: board, quantity: [200, 0, 260], unmet_penalty: [300, 310, 320]}
";

fn assert_same(a: &Value, b: &Value, what: &str) {
    assert_eq!(a["objective"], b["objective"], "{what}: objective");
    assert!(a == b, "{what}: the plans differ");
}

#[test]
fn demand_from_a_long_or_wide_csv_gives_the_yaml_plan() {
    let expected = yaml_plan();
    // The plan is not trivial: something is made, shipped and left unmet.
    assert!(!expected["shipments"].as_array().unwrap().is_empty());
    let net = network(true, true);
    let long = plan_of(
        &[
            ("net.yaml", net.as_bytes()),
            ("demand.csv", DEMAND_LONG.as_bytes()),
        ],
        &["net.yaml", "demand.csv"],
    );
    assert_same(&long, &expected, "long CSV");
    let wide = plan_of(
        &[
            ("net.yaml", net.as_bytes()),
            ("demand.csv", DEMAND_WIDE.as_bytes()),
            ("board.yaml", BOARD_MX.as_bytes()),
        ],
        &["net.yaml", "demand.csv", "board.yaml"],
    );
    assert_same(&wide, &expected, "wide CSV");
}

#[test]
fn lanes_and_site_capacity_from_csv_give_the_yaml_plan() {
    let expected = yaml_plan();
    let demand = dedent(DEMAND_YAML);
    let net = network(false, false);
    let capacity = "site,2027-01,2027-02,2027-03\naustin,800,900,700\nmonterrey,600,600,600\n";
    let plan = plan_of(
        &[
            ("net.yaml", net.as_bytes()),
            ("demand.yaml", demand.as_bytes()),
            ("lanes.csv", LANES_CSV.as_bytes()),
            ("capacity.csv", capacity.as_bytes()),
        ],
        // The tables may come before the YAML that defines the periods and sites.
        &["capacity.csv", "net.yaml", "lanes.csv", "demand.yaml"],
    );
    // Lanes come in file order: the CSV's take the place of the YAML's.
    assert_same(&plan, &expected, "lanes and capacity from CSV");

    // Another capacity changes the plan: the table is really read.
    let smaller = "site,2027-01,2027-02,2027-03\naustin,100,100,100\nmonterrey,600,600,600\n";
    let plan = plan_of(
        &[
            ("net.yaml", net.as_bytes()),
            ("demand.yaml", demand.as_bytes()),
            ("lanes.csv", LANES_CSV.as_bytes()),
            ("capacity.csv", smaller.as_bytes()),
        ],
        &["net.yaml", "lanes.csv", "demand.yaml", "capacity.csv"],
    );
    assert!(plan["objective"].as_f64() > expected["objective"].as_f64());
}

/// A workbook with a wide demand sheet, a lanes sheet, a capacity sheet and a notes
/// sheet that is no table.
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheets: [(&str, &str); 4] = [
        ("notes", "written by the planning team\nsee the README\n"),
        ("demand", DEMAND_LONG),
        ("lanes", LANES_CSV),
        (
            "capacity",
            "site,2027-01,2027-02,2027-03\naustin,800,900,700\nmonterrey,600,600,600\n",
        ),
    ];
    for (name, csv) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                if cell.is_empty() {
                    continue;
                }
                // Numbers as numbers, except the header (periods stay text).
                match cell.parse::<f64>() {
                    Ok(x) if r > 0 => sheet.write_number(r, c, x).map(|_| ()),
                    _ => sheet.write_string(r, c, cell).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn sheets_of_an_xlsx_workbook_give_the_yaml_plan() {
    let expected = yaml_plan();
    let book = workbook();
    let net = network(true, true);
    let one_sheet = plan_of(
        &[("net.yaml", net.as_bytes()), ("forecast.xlsx", &book)],
        &["net.yaml", "forecast.xlsx#demand"],
    );
    assert_same(&one_sheet, &expected, "one sheet");
    // The whole workbook: demand, lanes and capacity (the notes sheet is passed over).
    let bare = network(false, false);
    let all = plan_of(
        &[("net.yaml", bare.as_bytes()), ("forecast.xlsx", &book)],
        &["net.yaml", "forecast.xlsx"],
    );
    // The workbook's lanes follow its demand; lane order does not change the plan.
    assert_eq!(all["objective"], expected["objective"]);
    assert_eq!(all["production"], expected["production"]);
    assert_eq!(all["unmet"], expected["unmet"]);
}

#[test]
fn the_shipped_csv_forecast_gives_the_baseline_plan() {
    let yaml = plan_json(&repo().join("models/baseline.yaml"));
    let csv = plan_json(&repo().join("models/baseline-csv.yaml"));
    assert!(yaml["objective"].as_f64().unwrap() > 1e6);
    assert_eq!(csv["objective"], yaml["objective"]);
    // The two models differ only in their names.
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("model");
        v
    };
    assert!(strip(csv) == strip(yaml), "the plans differ");
}

/// `allyplan validate` on a model reading `data`, with `files` beside it: (exit, stderr).
fn validate(files: &[(&str, &[u8])], data: &[&str]) -> (i32, String) {
    let dir = project(files, data);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(["validate", "model.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn bad_cells_are_reported_at_their_row_and_column() {
    let net = network(true, true);
    let csv = "market,product,2027-01,2027-02,2027-03\nus-east,cell,1,2,3\nus-east,board,4,-5,6\nmx-north,cell,7,,1e400\n";
    let (code, err) = validate(
        &[("net.yaml", net.as_bytes()), ("d.csv", csv.as_bytes())],
        &["net.yaml", "d.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("d.csv:3:4: error: 2027-02: must not be negative, found -5"),
        "{err}"
    );
    assert!(
        err.contains("d.csv:4:4: error: 2027-02: expected a number, found an empty cell"),
        "{err}"
    );
    assert!(
        err.contains("d.csv:4:5: error: 2027-03: 1e400 is out of range"),
        "{err}"
    );

    // A file with `;` between fields: its header is one unknown column.
    let (code, err) = validate(
        &[
            ("net.yaml", net.as_bytes()),
            ("d.csv", b"market;product;2027-01\n"),
        ],
        &["net.yaml", "d.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("d.csv:1: error: unknown table header `market;product;2027-01` (fields are separated by commas, not semicolons; a table's first row is one of: `market,product,period,quantity"),
        "{err}"
    );

    // A demand given twice, in a table and in YAML: the YAML reader's message.
    let demand = dedent(DEMAND_YAML);
    let (code, err) = validate(
        &[
            ("net.yaml", net.as_bytes()),
            ("d.yaml", demand.as_bytes()),
            ("d.csv", DEMAND_WIDE.as_bytes()),
        ],
        &["net.yaml", "d.yaml", "d.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("d.csv:2: error: demand for us-east / cell is given twice (first at d.yaml:"),
        "{err}"
    );

    // In the long form, a period twice for one market and product, and one missing.
    let long = "market,product,period,quantity\nus-east,cell,2027-01,1\nus-east,cell,2027-01,2\nus-east,cell,2027-02,3\n";
    let (code, err) = validate(
        &[("net.yaml", net.as_bytes()), ("d.csv", long.as_bytes())],
        &["net.yaml", "d.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("d.csv:3:3: error: period: demand for us-east / cell in period 2027-01 is given twice (first at row 2)"),
        "{err}"
    );
    assert!(
        err.contains("d.csv:2: error: demand for us-east / cell has no row for period `2027-03`"),
        "{err}"
    );

    // Lane cells: a lead time must be whole, a cost is required.
    let lanes = "from,to,cost,lead_time\naustin,us-east,,1.5\n";
    let net = network(true, false);
    let demand = dedent(DEMAND_YAML);
    let (code, err) = validate(
        &[
            ("net.yaml", net.as_bytes()),
            ("d.yaml", demand.as_bytes()),
            ("l.csv", lanes.as_bytes()),
        ],
        &["net.yaml", "d.yaml", "l.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("l.csv:2:3: error: cost: expected a number, found an empty cell"),
        "{err}"
    );
    assert!(
        err.contains(
            "l.csv:2:4: error: lead_time: expected a whole number ≥ 0, found the number 1.5"
        ),
        "{err}"
    );
}

#[test]
fn a_site_capacity_given_in_yaml_and_a_table_is_refused() {
    let net = network(true, true);
    let demand = dedent(DEMAND_YAML);
    let capacity = "site,2027-01,2027-02,2027-03\nmonterrey,1,2,3\nmonterrey,1,2,3\n";
    let (code, err) = validate(
        &[
            ("net.yaml", net.as_bytes()),
            ("d.yaml", demand.as_bytes()),
            ("c.csv", capacity.as_bytes()),
        ],
        &["net.yaml", "d.yaml", "c.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("c.csv:2:1: error: site: the capacity of site `monterrey` is given twice (first at net.yaml:"),
        "{err}"
    );
    assert!(
        err.contains("c.csv:3:1: error: site: the capacity of site `monterrey` is given twice (first at c.csv:2:1)"),
        "{err}"
    );
    // Without capacity in YAML or a table, the site's capacity is missing.
    let bare = network(false, true);
    let (code, err) = validate(
        &[("net.yaml", bare.as_bytes()), ("d.yaml", demand.as_bytes())],
        &["net.yaml", "d.yaml"],
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.matches("missing required key `capacity`").count(),
        2,
        "{err}"
    );
}

/// `allyplan solve` on a model reading `data`, with `files` beside it and `sets` given
/// with `--set`: the plan's objective.
fn objective_with_sets(files: &[(&str, &[u8])], data: &[&str], sets: &[&str]) -> f64 {
    let dir = project(files, data);
    let mut args = vec!["solve", "model.yaml", "--quiet", "--out", "out"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{sets:?}: {err}");
    let plan: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/plan.json")).unwrap()).unwrap();
    plan["objective"].as_f64().unwrap()
}

#[test]
fn set_by_id_reaches_values_read_from_tables() {
    let net_yaml = network(true, true);
    let demand_yaml = dedent(DEMAND_YAML);
    let yaml_files: [(&str, &[u8]); 2] = [
        ("net.yaml", net_yaml.as_bytes()),
        ("demand.yaml", demand_yaml.as_bytes()),
    ];
    let yaml_data = ["net.yaml", "demand.yaml"];
    let bare = network(false, false);
    let capacity = "site,2027-01,2027-02,2027-03\naustin,800,900,700\nmonterrey,600,600,600\n";
    let table_files: [(&str, &[u8]); 4] = [
        ("net.yaml", bare.as_bytes()),
        ("demand.csv", DEMAND_LONG.as_bytes()),
        ("lanes.csv", LANES_CSV.as_bytes()),
        ("capacity.csv", capacity.as_bytes()),
    ];
    let table_data = ["net.yaml", "lanes.csv", "demand.csv", "capacity.csv"];
    let base = objective_with_sets(&yaml_files, &yaml_data, &[]);
    assert_eq!(
        objective_with_sets(&table_files, &table_data, &[]),
        base,
        "without sets"
    );
    // Each set, on the YAML and on the tables: the same plan, and another than without.
    let cases: [&[&str]; 5] = [
        &["demand[us-east/cell].quantity*=1.5"],
        &["demand[mx-north/board].quantity=[900, 900, 900]"],
        &["lanes[austin>us-east].cost=30"],
        &["sites[austin].capacity*=0.5"],
        // A country selector on the sites, from the YAML that defines them.
        &[
            "sites[@MX].capacity=[100, 100, 100]",
            "lanes[*>us-east].cost+=5",
        ],
    ];
    for sets in cases {
        let yaml = objective_with_sets(&yaml_files, &yaml_data, sets);
        let tables = objective_with_sets(&table_files, &table_data, sets);
        assert!(
            (yaml - tables).abs() <= 1e-9 * yaml.abs(),
            "{sets:?}: {yaml} from YAML, {tables} from tables"
        );
        assert!((yaml - base).abs() > 1.0, "{sets:?} changes nothing");
    }
}

#[test]
fn the_shipped_scenarios_reach_the_csv_forecast() {
    let objective = |model: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_allyplan"))
            .args([
                "solve",
                model,
                "--scenario",
                "demand-surge",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .current_dir(repo())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let plan: Value =
            serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
        plan["objective"].as_f64().unwrap()
    };
    let yaml = objective("models/baseline.yaml");
    let csv = objective("models/baseline-csv.yaml");
    assert!(
        (yaml - csv).abs() <= 1e-9 * yaml,
        "demand-surge: {yaml} from YAML, {csv} from CSV"
    );
    // The surge is really applied: the baseline itself costs less.
    let base = plan_json(&repo().join("models/baseline.yaml"));
    assert!(base["objective"].as_f64().unwrap() < 0.99 * yaml);
}
