//! Limits and the security of outputs, on inputs too large or too odd to commit as
//! fixtures: a 100 MB file, devices and pipes, thousands of entries, ids made to break
//! reports, and names made to steer output folders.
//!
//! The large inputs are made at test time in temporary folders (the 100 MB file is
//! sparse: it takes no disk space). Each run is guarded by a generous deadline so that
//! a regression that reads forever fails the test instead of hanging it; the deadline
//! is a hang guard, not a speed check.

mod common;

use std::fs;
use std::path::{Component, Path};
use std::process::Command;

use allyplan::limits::{MAX_DATA_FILES, MAX_FILE_BYTES, MAX_PERIODS, MAX_YAML_DEPTH};
use allyplan::safe_folder_name;
use allyplan::MAX_DIAGNOSTICS;
use common::hostile::{assert_rejected, project, run, run_env, DATA};
use common::stderr;

#[test]
fn a_100_mb_data_file_is_refused_by_its_size_without_reading_it() {
    let dir = project("", DATA);
    let big = dir.path().join("big.yaml");
    let file = fs::File::create(&big).expect("create big.yaml");
    // Sparse: 100 MiB long, no disk space, and reading it would take 100 MiB of memory.
    file.set_len(100 * 1024 * 1024).expect("extend big.yaml");
    drop(file);
    fs::write(
        dir.path().join("model.yaml"),
        "name: limits\ndata: [data.yaml, big.yaml]\n",
    )
    .expect("write model.yaml");
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        &format!(
            "big.yaml: error: file is 100 MiB, larger than the limit of {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    );
}

#[test]
fn a_model_file_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let model = dir.path().join("model.yaml");
    fs::File::create(&model)
        .and_then(|f| f.set_len(MAX_FILE_BYTES + 1))
        .expect("make a large model.yaml");
    let o = run(dir.path(), &["solve", "model.yaml", "--out", "out"]);
    assert_rejected(
        &o,
        "model.yaml: error: file is 64 MiB, larger than the limit",
    );
    assert!(!dir.path().join("out").exists(), "nothing was written");
}

#[test]
fn devices_and_pipes_are_refused_not_read() {
    let dir = project("", DATA);
    // /dev/zero never ends: reading it would hang and fill memory.
    let o = run(dir.path(), &["validate", "/dev/zero"]);
    assert_rejected(&o, "/dev/zero: error: is not a regular file");

    // A named pipe blocks whoever opens it until a writer comes.
    let fifo = dir.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let made = made.is_ok_and(|s| s.success());
    assert!(
        made || std::env::var_os("CI").is_none(),
        "mkfifo failed under CI: the pipe case would be skipped"
    );
    if made {
        fs::write(
            dir.path().join("model.yaml"),
            "name: limits\ndata: [data.yaml, pipe.yaml]\n",
        )
        .expect("write model.yaml");
        let o = run(dir.path(), &["validate", "model.yaml"]);
        assert_rejected(
            &o,
            "data[1]: data file `pipe.yaml` is not a regular file (a device, pipe or socket)",
        );
    }

    // Devices are outside the project folder anyway; with the rule widened, the kind
    // of file is what stops them.
    fs::write(
        dir.path().join("model.yaml"),
        "name: limits\ndata: [data.yaml, /dev/zero]\n",
    )
    .expect("write model.yaml");
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(&o, "is an absolute path");
    let o = run_env(
        dir.path(),
        &["validate", "model.yaml"],
        &[("ALLYPLAN_DATA_ROOT", "/")],
    );
    assert_rejected(&o, "data file `/dev/zero` is not a regular file");
}

#[test]
fn data_root_from_the_environment_widens_the_rule() {
    let shared = tempfile::tempdir().expect("shared data folder");
    let data = shared.path().join("network.yaml");
    fs::write(&data, DATA).expect("write shared data");
    let data_arg = data.to_str().expect("UTF-8 path");
    let dir = tempfile::tempdir().expect("project folder");
    fs::write(
        dir.path().join("model.yaml"),
        format!("name: limits\ndata: ['{data_arg}']\n"),
    )
    .expect("write model.yaml");

    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(&o, "is an absolute path; data paths must be relative");

    let root = shared.path().to_str().expect("UTF-8 path");
    let o = run_env(
        dir.path(),
        &["validate", "model.yaml"],
        &[("ALLYPLAN_DATA_ROOT", root)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A root elsewhere still refuses it.
    let o = run_env(
        dir.path(),
        &["validate", "model.yaml"],
        &[("ALLYPLAN_DATA_ROOT", dir.path().to_str().expect("UTF-8"))],
    );
    assert_rejected(&o, "is outside ALLYPLAN_DATA_ROOT");
}

#[test]
fn more_data_files_than_the_limit_are_refused_before_any_is_read() {
    let dir = project("", DATA);
    let names: Vec<String> = (0..=MAX_DATA_FILES).map(|i| format!("d{i}.yaml")).collect();
    fs::write(
        dir.path().join("model.yaml"),
        format!("name: limits\ndata: [{}]\n", names.join(", ")),
    )
    .expect("write model.yaml");
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        "data[1000]: the model names 1,001 data files; the limit is 1,000",
    );
    // None of them exists: had any been looked for, "not found" would be reported.
    assert!(!stderr(&o).contains("not found"), "{}", stderr(&o));
}

#[test]
fn more_periods_than_the_limit_are_refused() {
    let labels: Vec<String> = (0..=MAX_PERIODS).map(|i| i.to_string()).collect();
    let data = DATA.replace(
        "periods: [2027-01, 2027-02]",
        &format!("periods: [{}]", labels.join(", ")),
    );
    let dir = project("", &data);
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        "periods[10000]: `periods` lists 10,001 periods; the limit is 10,000",
    );
}

#[test]
fn thousands_of_problems_are_counted_but_not_all_printed() {
    let mut data = String::from(DATA);
    data.push_str(
        "  - {market: east, product: widget, quantity: 1}\n"
            .repeat(2000)
            .as_str(),
    );
    let dir = project("", &data);
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(&o, "2000 error(s), 0 warning(s): input is not valid");
    let err = stderr(&o);
    let lines = err.lines().count();
    // The kept problems, the note on the rest, and the count.
    assert_eq!(lines, MAX_DIAGNOSTICS + 2, "{err}");
    assert!(
        err.contains("1500 more problem(s) not shown (1500 error(s), 0 warning(s))"),
        "{err}"
    );
}

#[test]
fn nesting_deep_enough_to_overflow_a_recursive_parser_is_refused() {
    // 100,000 nested block lists on one line: this used to overflow the stack (an
    // abort, not even a panic) in the pass that indexes positions.
    let dir = project(
        &format!("blocs:\n  deep:\n    {}US\n", "- ".repeat(100_000)),
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        &format!("model.yaml:5:{}: error: lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep", 2 * MAX_YAML_DEPTH + 1),
    );
}

#[test]
fn an_alias_bomb_of_a_few_hundred_bytes_is_refused() {
    let mut data = String::from(DATA);
    data.push_str("bomb:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        data.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let dir = project("", &data);
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        "aliases (`*name`) expand the model's files beyond 4,000,000 values",
    );
}

#[test]
fn a_long_key_deep_down_costs_no_quadratic_time() {
    // Keys of 250 characters nested 60 deep, holding a long list: indexing every item
    // under its full path would copy ~15 kB per item, so time would grow with the square
    // of the list. Against a list a quarter as long, linear work takes ~4× as long and
    // quadratic ~16×: 8× (plus half a second for start-up noise) tells them apart.
    let key = "k".repeat(250);
    let text = |items: usize| {
        let mut text = String::from("name: limits\ndata: [data.yaml]\nblocs:\n");
        let mut indent = String::from("  ");
        for _ in 0..60 {
            text.push_str(&format!("{indent}{key}:\n"));
            indent.push_str("  ");
        }
        text.push_str(&format!("{indent}[{}]\n", vec!["US"; items].join(", ")));
        text
    };
    let dir = project("", DATA);
    let timed = |items: usize| {
        fs::write(dir.path().join("model.yaml"), text(items)).expect("write model.yaml");
        let mut best = f64::INFINITY;
        for _ in 0..2 {
            let start = std::time::Instant::now();
            let o = run(dir.path(), &["validate", "model.yaml"]);
            best = best.min(start.elapsed().as_secs_f64());
            assert_rejected(
                &o,
                &format!("model.yaml:4:3: error: blocs.{key}: expected a list, found a mapping"),
            );
        }
        best
    };
    let quarter = timed(50_000);
    let full = timed(200_000);
    assert!(
        full <= 8.0 * quarter + 0.5,
        "200,000 items took {full:.2} s against {quarter:.2} s for 50,000: worse than linear"
    );
}

#[test]
fn the_lp_size_limit_can_be_raised_from_the_command_line() {
    let dir = project("solver: {max_variables: 5}\n", DATA);
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        "its LP would have up to 14 variables, more than the limit of 5",
    );
    let o = run(
        dir.path(),
        &[
            "validate",
            "model.yaml",
            "--set",
            "solver.max_variables=100",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---- Outputs -------------------------------------------------------------------------

/// Names that try to leave the output folder.
const HOSTILE_NAMES: &[&str] = &[
    "../../etc/x",
    "..",
    ".",
    "",
    "/etc/passwd",
    "..\\..\\windows\\system32",
    "a/../../b",
    "./.hidden",
    "....",
    "out/../../x",
    "\u{0}nul",
    "名前/../x",
    "~/.ssh/authorized_keys",
];

#[test]
fn folder_names_from_ids_never_leave_the_output_folder() {
    for name in HOSTILE_NAMES {
        let safe = safe_folder_name(name);
        assert!(!safe.is_empty(), "{name:?} → empty");
        assert!(
            !safe.starts_with('.'),
            "{name:?} → {safe:?} is hidden or relative"
        );
        let joined = Path::new("out").join(&safe);
        let components: Vec<Component> = joined.components().collect();
        assert_eq!(
            components.len(),
            2,
            "{name:?} → {safe:?} is not one plain folder name"
        );
        assert!(
            matches!(components[1], Component::Normal(_)),
            "{name:?} → {safe:?}"
        );
    }
}

#[test]
fn batch_entry_names_never_leave_the_output_folder() {
    let specs = HOSTILE_NAMES
        .iter()
        .map(|name| allyplan::entries::EntrySpec {
            name: Some((*name).to_string()),
            model: "m.yaml".into(),
            overrides: allyplan::Overrides::default(),
            params: Vec::new(),
        })
        .collect();
    for entry in allyplan::entries::name_entries(specs) {
        let joined = Path::new("out").join(&entry.name);
        assert!(
            joined
                .components()
                .skip(1)
                .all(|c| matches!(c, Component::Normal(_)))
                && joined.components().count() == 2,
            "entry name {:?} leaves the output folder",
            entry.name
        );
    }
}

#[test]
fn a_model_named_like_a_path_writes_inside_out() {
    let work = tempfile::tempdir().expect("temporary folder");
    let project_dir = work.path().join("project");
    fs::create_dir(&project_dir).expect("create project folder");
    fs::write(
        project_dir.join("model.yaml"),
        "name: ../../escaped\ndata: [data.yaml]\n",
    )
    .expect("write model.yaml");
    fs::write(project_dir.join("data.yaml"), DATA).expect("write data.yaml");
    let o = run(&project_dir, &["solve", "model.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: Vec<String> = fs::read_dir(project_dir.join("out"))
        .expect("out/ exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        // The writer's lock file (`.<name>.lock`) sits beside the folder, inside out/.
        .filter(|name| !name.ends_with(".lock"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(!written[0].contains(['/', '\\']) && !written[0].starts_with('.'));
    assert!(project_dir
        .join("out")
        .join(&written[0])
        .join("plan.json")
        .is_file());
    assert!(!work.path().join("escaped").exists());
    let parent = work.path().parent().expect("temp folder has a parent");
    assert!(!parent.join("escaped").exists());
}

/// Ids built to break reports: HTML/script injection, Markdown links and tables, and
/// spreadsheet formulas.
const NASTY_DATA: &str = r#"periods: ["+cmd|' /C calc'!A0", "2027-02"]
products:
  - {id: "=HYPERLINK(\"http://evil\",\"x\")", unit_value: 100, critical: true}
  - {id: "[click](http://evil)", unit_value: 50}
sites:
  - id: "<script>alert(1)</script>"
    country: US
    capacity: 1000
    products:
      "=HYPERLINK(\"http://evil\",\"x\")": {rate: 1, cost: 10}
      "[click](http://evil)": {rate: 1, cost: 5}
  - id: "-2+3|x"
    country: MX
    capacity: 1000
    products:
      "=HYPERLINK(\"http://evil\",\"x\")": {rate: 1, cost: 12}
markets:
  - {id: "@SUM(A1:A9)", country: US}
lanes:
  - {from: "<script>alert(1)</script>", to: "@SUM(A1:A9)", cost: 2}
  - {from: "-2+3|x", to: "@SUM(A1:A9)", cost: 1}
demand:
  - {market: "@SUM(A1:A9)", product: "=HYPERLINK(\"http://evil\",\"x\")", quantity: [100, 120]}
  - {market: "@SUM(A1:A9)", product: "[click](http://evil)", quantity: 30}
"#;

const NASTY_MODEL: &str = r#"name: "<img src=x onerror=alert(1)>"
blocs:
  "<b>bloc</b>": [US, MX]
policies:
  - {name: "**bold**|pipe <i>x</i>", kind: min_bloc_share, bloc: "<b>bloc</b>", min_share: 0.5}
  - {name: "`code` # heading", kind: max_country_share, max_share: 0.9, soft: {penalty: 100}}
"#;

#[test]
fn reports_escape_every_input_string() {
    let sc = common::scenario(NASTY_MODEL, NASTY_DATA);
    let plan = common::solve(&sc);
    let out = tempfile::tempdir().expect("temporary folder");
    let files = allyplan::report::write_all(&plan, out.path()).expect("write reports");
    assert!(files.len() >= 5, "{files:?}");

    let html = fs::read_to_string(out.path().join("report.html")).expect("report.html");
    for raw in [
        "<script>alert(1)</script>",
        "<img src=x",
        "<b>bloc</b>",
        "<i>x</i>",
    ] {
        assert!(!html.contains(raw), "report.html holds raw {raw:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let md = fs::read_to_string(out.path().join("report.md")).expect("report.md");
    for raw in [
        "<script>",
        "<img",
        "<b>",
        "<i>",
        "[click](http://evil)",
        "**bold**",
    ] {
        assert!(!md.contains(raw), "report.md holds raw {raw:?}");
    }
    // Table rows keep their shape: an id's `|` never opens a new cell.
    for line in md.lines().filter(|l| l.contains("2+3")) {
        assert!(line.contains("2+3\\|x"), "unescaped pipe in: {line}");
    }

    for path in &files {
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(path).expect("open CSV");
        for record in reader.records() {
            let record = record.expect("CSV record");
            for cell in record.iter() {
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !risky || cell.parse::<f64>().is_ok(),
                    "{}: formula-like cell {cell:?}",
                    path.display()
                );
            }
        }
    }
}

// ---- Numerics ------------------------------------------------------------------------

fn fixture(case: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(case)
}

#[test]
fn an_optimum_the_duals_do_not_confirm_is_solved_again() {
    // Costs of 0.001 next to a penalty of 5e13: Clarabel scales the costs to below its
    // tolerances, stops "solved" at a plan that leaves demand unmet for no reason, and
    // the plan passes the feasibility checks. Weak duality shows it is not optimal.
    let dir = fixture("warn-badly-scaled-costs");
    let out = tempfile::tempdir().expect("temporary folder");
    let out_arg = out.path().join("clarabel");
    let o = run(
        &dir,
        &[
            "solve",
            "model.yaml",
            "--solver",
            "clarabel",
            "--out",
            out_arg.to_str().expect("UTF-8"),
        ],
    );
    let err = stderr(&o);
    assert!(
        err.contains("warning: demand[1]: badly scaled input"),
        "{err}"
    );
    // Clarabel stops "solved" at a plan weak duality does not confirm; that answer is
    // not taken: another backend solves the model again, and the plan says why.
    assert_eq!(o.status.code(), Some(0), "{err}");
    let plan: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out_arg.join("plan.json")).expect("plan.json"))
            .expect("JSON");
    assert_eq!(plan["status"], "optimal");
    let objective = plan["objective"].as_f64().expect("objective");
    assert!((objective - 893_501.5).abs() < 1e-3, "{objective}");
    if plan["metadata"]["solver"] != "clarabel" {
        let note = plan["metadata"]["solver_note"].as_str().unwrap_or_default();
        assert!(
            note.starts_with("clarabel reported an optimum it did not prove")
                && note.contains("solved again with"),
            "{note}"
        );
    }

    // The simplex solves the same model exactly.
    let out_arg = out.path().join("microlp");
    let o = run(
        &dir,
        &[
            "solve",
            "model.yaml",
            "--solver",
            "microlp",
            "--out",
            out_arg.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Its optimum, by hand: 1000 × 322 + 2050 × 270 + 1500 × 12.001 = 893,501.5. Every
    // backend of this build reaches it (a backend whose own answer does not hold up is
    // replaced, and the plan says so).
    for backend in allyplan::BACKENDS {
        let out_arg = out.path().join(format!("every-{backend}"));
        let o = run(
            &dir,
            &[
                "solve",
                "model.yaml",
                "--solver",
                backend,
                "--out",
                out_arg.to_str().expect("UTF-8"),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{backend}: {}", stderr(&o));
        let plan: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(out_arg.join("plan.json")).expect("plan.json"),
        )
        .expect("JSON");
        let objective = plan["objective"].as_f64().expect("objective");
        assert!(
            (objective - 893_501.5).abs() < 1e-3,
            "{backend}: {objective}"
        );
    }
}

#[test]
fn well_scaled_models_pass_the_duality_check_with_every_dual_backend() {
    for model in ["models/baseline.yaml", "tests/fixtures/trnsport/model.yaml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(model);
        let (sc, _) = allyplan::check(&path).expect("valid model");
        let built = allyplan::build(&sc);
        for name in allyplan::BACKENDS {
            let backend = allyplan::backend_for(name, &built.lp);
            if !backend.gives_duals() {
                continue;
            }
            let outcome = allyplan::solve(
                &built.lp,
                backend.as_ref(),
                &allyplan::SolveOptions::default(),
            );
            let (Some(x), Some(y)) = (&outcome.values, &outcome.row_duals) else {
                panic!(
                    "{model} with {name}: no point or duals ({:?})",
                    outcome.status
                );
            };
            let check = allyplan::duality_check(&built.lp, x, y);
            assert!(check.passed(), "{model} with {name}: {check:?}");
        }
    }
}

#[test]
fn the_lp_size_estimate_is_an_upper_bound() {
    for model in [
        "models/baseline.yaml",
        "tests/fixtures/trnsport/model.yaml",
        "tests/fixtures/bad/anchors-and-merge-keys-allowed/model.yaml",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(model);
        let (sc, _) = allyplan::check(&path).expect("valid model");
        let columns = allyplan::build(&sc).lp.columns.len();
        let overrides = allyplan::Overrides {
            scenarios: Vec::new(),
            set: vec![(
                "solver.max_variables".to_string(),
                (columns - 1).to_string(),
            )],
            disable: Vec::new(),
        };
        match allyplan::check_with(&path, &overrides) {
            Err(allyplan::Error::InvalidInput(diags)) => {
                let text = diags.to_string();
                assert!(text.contains("the model is too large"), "{model}: {text}");
            }
            other => panic!(
                "{model}: {columns} columns passed a limit of {}: {:?}",
                columns - 1,
                other.map(|_| ())
            ),
        }
    }
}
