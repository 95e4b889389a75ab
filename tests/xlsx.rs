//! `plan.xlsx` (`--format xlsx`), read back with an independent reader: openpyxl, through
//! `tests/xlsx_read.py`. Without python3 or openpyxl these tests are skipped with a note
//! (in CI, where `CI` is set, they fail instead). `PYTHON` chooses the interpreter.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use common::{allyplan, hostile, python, python_imports, repo, stderr};

/// Whether openpyxl can be imported (see [`python_imports`]).
fn openpyxl_available() -> bool {
    python_imports(
        "openpyxl",
        "tests/xlsx.rs reading plan.xlsx back",
        "pip install openpyxl",
    )
}

/// The workbook as openpyxl reads it (see `tests/xlsx_read.py`).
fn read_workbook(path: &Path) -> Value {
    let out = Command::new(python())
        .arg(repo().join("tests/xlsx_read.py"))
        .arg(path)
        .output()
        .expect("run tests/xlsx_read.py");
    assert!(
        out.status.success(),
        "xlsx_read.py {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("xlsx_read.py prints JSON")
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn column(sheet: &Value, name: &str) -> usize {
    sheet["header"]
        .as_array()
        .expect("header")
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {}", sheet["name"]))
}

/// The Summary sheet's value for `item`.
fn summary<'a>(book: &'a Value, item: &str) -> &'a Value {
    sheet(book, "Summary")["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r[1] == item)
        .map(|r| &r[2])
        .unwrap_or_else(|| panic!("no Summary line {item}"))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read the output folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn baseline_workbook_reads_back_with_the_plans_figures() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("baseline");
    let out_s = out.to_str().expect("utf-8 path");
    let o = allyplan(&[
        "solve",
        "models/baseline.yaml",
        "--format",
        "csv,xlsx",
        "--out",
        out_s,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = files_in(&out);
    assert!(names.contains(&"plan.xlsx".to_string()), "{names:?}");
    assert!(names.contains(&"production.csv".to_string()), "{names:?}");
    // Only what was asked for, and plan.json.
    assert!(!names.contains(&"report.md".to_string()), "{names:?}");
    assert!(!names.contains(&"report.html".to_string()), "{names:?}");
    if !openpyxl_available() {
        return;
    }
    let book = read_workbook(&out.join("plan.xlsx"));
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(out.join("plan.json")).expect("plan.json"))
            .expect("plan.json parses");

    // One Summary sheet, then the CSV tables in their order, named after their files.
    let mut expected = vec!["Summary".to_string()];
    expected.extend(
        names
            .iter()
            .filter_map(|n| n.strip_suffix(".csv"))
            .map(str::to_string),
    );
    let mut got: Vec<String> = book["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(got[0], "Summary");
    assert_eq!(
        &got[..8],
        &[
            "Summary",
            "production",
            "shipments",
            "inventory",
            "utilization",
            "sourcing_shares",
            "bloc_shares",
            "unmet"
        ]
    );
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "one sheet per CSV file");

    // The total cost is a number equal to plan.json's objective.
    let objective = plan["objective"].as_f64().expect("objective");
    let in_book = summary(&book, "objective (total cost, $)")
        .as_f64()
        .expect("a number");
    assert_eq!(in_book, objective);
    assert_eq!(summary(&book, "status"), "optimal");
    assert_eq!(summary(&book, "model"), &plan["model"]);
    assert_eq!(summary(&book, "result"), "passed");
    let fill = plan["kpis"]["fill_rate"].as_f64().expect("fill rate");
    assert_eq!(summary(&book, "fill rate").as_f64(), Some(fill));

    // A production cell equals the CSV's, and is a number.
    let mut csv = csv::Reader::from_path(out.join("production.csv")).expect("production.csv");
    let first = csv
        .records()
        .next()
        .expect("a production row")
        .expect("a record");
    let production = sheet(&book, "production");
    let q = column(production, "quantity");
    let row = &production["rows"][0];
    assert_eq!(row[0], first[0]);
    assert_eq!(row[2], first[2]);
    let quantity: f64 = first[3].parse().expect("a number");
    assert!(quantity > 0.0);
    // The CSV rounds to 6 decimals; the workbook keeps plan.json's number.
    let cell = row[q].as_f64().expect("a number");
    assert!((cell - quantity).abs() <= 1e-6, "{cell} against {quantity}");
    assert_eq!(Some(cell), plan["production"][0]["quantity"].as_f64());
    assert_eq!(production["types"][0][q], "n");
    assert_eq!(
        production["rows"].as_array().map(Vec::len),
        Some(csv.records().count() + 1)
    );

    // Every sheet: bold header, frozen header row, a filter over the table.
    for s in book["sheets"].as_array().expect("sheets") {
        assert_eq!(s["freeze_panes"], "A2", "{}", s["name"]);
        assert_eq!(s["header_bold"], true, "{}", s["name"]);
        if s["name"] != "Summary" {
            let filter = s["auto_filter"].as_str().expect("an autofilter");
            assert!(filter.starts_with("A1:"), "{filter}");
        }
    }
    // Number formats: $ in money columns, % in shares, whole units in quantities.
    let shipments = sheet(&book, "shipments");
    assert_eq!(
        shipments["formats"][column(shipments, "unit_cost")],
        "#,##0.00"
    );
    assert_eq!(shipments["formats"][column(shipments, "quantity")], "#,##0");
    let utilization = sheet(&book, "utilization");
    assert_eq!(
        utilization["formats"][column(utilization, "utilization")],
        "0.0%"
    );
    assert_eq!(book["formula_elements"], 0);

    // `report --format xlsx` renders the same workbook from plan.json alone.
    let again = tmp.path().join("again");
    let o = allyplan(&[
        "report",
        out.join("plan.json").to_str().expect("utf-8"),
        "--format",
        "xlsx",
        "--out",
        again.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(&again), vec!["plan.xlsx"]);
    assert_eq!(
        fs::read(again.join("plan.xlsx")).expect("re-rendered"),
        fs::read(out.join("plan.xlsx")).expect("solved"),
        "report re-renders the workbook byte for byte"
    );
}

#[test]
fn formats_choose_the_files_and_the_default_set_has_no_workbook() {
    let dir = hostile::project("", hostile::DATA);
    let o = hostile::run(dir.path(), &["solve", "model.yaml", "--out", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let default = files_in(&dir.path().join("all"));
    assert!(!default.contains(&"plan.xlsx".to_string()), "{default:?}");
    assert!(default.contains(&"report.html".to_string()), "{default:?}");

    let o = hostile::run(
        dir.path(),
        &["solve", "model.yaml", "--format", "xlsx", "--out", "x"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        files_in(&dir.path().join("x")),
        vec!["plan.json", "plan.xlsx", "warm-start.txt"]
    );

    let o = hostile::run(
        dir.path(),
        &["solve", "model.yaml", "--format", "all", "--out", "every"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut every = default.clone();
    every.push("plan.xlsx".to_string());
    every.sort();
    assert_eq!(files_in(&dir.path().join("every")), every);

    // Into the plan's own folder, `report --format xlsx` adds the workbook and leaves
    // the other files as they were.
    let before = fs::read(dir.path().join("all/report.md")).expect("report.md");
    let o = hostile::run(dir.path(), &["report", "all/plan.json", "--format", "xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(&dir.path().join("all")), every);
    assert_eq!(
        fs::read(dir.path().join("all/report.md")).expect("report.md"),
        before
    );

    let o = hostile::run(
        dir.path(),
        &["solve", "model.yaml", "--format", "pdf", "--out", "bad"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

const FORMULA: &str = "=HYPERLINK(\"http://evil\",\"x\")";

#[test]
fn ids_that_look_like_formulas_are_text() {
    let data = hostile::DATA
        .replace(
            "id: widget",
            "id: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"",
        )
        .replace(
            "      widget: {rate: 1, cost: 10}",
            "      \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\": {rate: 1, cost: 10}",
        )
        .replace(
            "product: widget",
            "product: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"",
        )
        .replace("id: east", "id: \"@SUM(A1:A9)\"")
        .replace("to: east", "to: \"@SUM(A1:A9)\"")
        .replace("market: east", "market: \"@SUM(A1:A9)\"");
    let dir = hostile::project("", &data);
    let o = hostile::run(
        dir.path(),
        &["solve", "model.yaml", "--format", "xlsx", "--out", "out"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    if !openpyxl_available() {
        return;
    }
    let book = read_workbook(&dir.path().join("out/plan.xlsx"));
    assert_eq!(book["formula_elements"], 0, "no cell is a formula");
    let production = sheet(&book, "production");
    let p = column(production, "product");
    assert_eq!(production["rows"][0][p], FORMULA);
    assert_eq!(production["types"][0][p], "s");
    let unmet = sheet(&book, "unmet");
    let m = column(unmet, "market");
    assert_eq!(unmet["rows"][0][m], "@SUM(A1:A9)");
    assert_eq!(unmet["types"][0][m], "s");
    // The workbook holds the id as typed, without the CSV files' leading `'`.
    for s in book["sheets"].as_array().expect("sheets") {
        for (row, types) in s["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .zip(s["types"].as_array().expect("types"))
        {
            for (value, t) in row
                .as_array()
                .expect("row")
                .iter()
                .zip(types.as_array().expect("t"))
            {
                assert_ne!(t, "f", "{}: {value}", s["name"]);
                if let Some(text) = value.as_str() {
                    assert!(!text.starts_with("'="), "{}: {text}", s["name"]);
                }
            }
        }
    }
}
