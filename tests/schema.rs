//! `allyplan schema`: the JSON Schema of model and data files, checked with an
//! independent validator (Python's `jsonschema`, through `tests/schema_check.py`) against
//! every shipped YAML file and against files with mistakes, and held to the loader's keys.
//!
//! When `jsonschema` or PyYAML cannot be imported the validator tests print a note and
//! pass, except in CI (the `CI` environment variable is set), where they fail: CI
//! installs both. `PYTHON` chooses the interpreter (default `python3`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{python, python_imports, repo};

use serde_json::Value;

/// `allyplan schema ARGS` as printed.
fn printed(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .arg("schema")
        .args(args)
        .output()
        .expect("run allyplan schema");
    assert!(
        out.status.success(),
        "allyplan schema {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the schema is UTF-8")
}

fn schema(args: &[&str]) -> Value {
    serde_json::from_str(&printed(args)).expect("the schema is JSON")
}

/// Whether jsonschema and PyYAML can be imported (see [`python_imports`]).
fn validator_available() -> bool {
    python_imports(
        "jsonschema, yaml",
        "the schema checks of tests/schema.rs",
        "pip install jsonschema pyyaml",
    )
}

/// Runs the validator on `files` against the schema printed with `args`; (exit code,
/// stdout).
fn validate(args: &[&str], files: &[PathBuf], expect_invalid: bool) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let schema_path = dir.path().join("allyplan.schema.json");
    std::fs::write(&schema_path, printed(args)).expect("write the schema");
    let mut cmd = Command::new(python());
    cmd.arg(repo().join("tests/schema_check.py"))
        .arg(&schema_path);
    if expect_invalid {
        cmd.arg("--expect-invalid");
    }
    let out = cmd.args(files).output().expect("run tests/schema_check.py");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "schema_check.py failed to run (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    (out.status.code().unwrap_or(-1), stdout)
}

fn yaml_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// The valid fixtures: every YAML under `tests/fixtures/` except the bad-input cases
/// (`bad/`, but for those that expect exit 0) and batch files (`batch/`: lists of runs).
fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read a fixture folder")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name == "batch" {
                continue;
            }
            if name == "bad" {
                let mut cases: Vec<PathBuf> = std::fs::read_dir(&path)
                    .expect("read tests/fixtures/bad")
                    .map(|e| e.expect("a directory entry").path())
                    .collect();
                cases.sort();
                for case in cases {
                    let expected = std::fs::read_to_string(case.join("expected.txt"));
                    if expected.is_ok_and(|t| t.starts_with("exit: 0\n")) {
                        out.extend(yaml_in(&case));
                    }
                }
                continue;
            }
            fixtures(&path, out);
        } else if name.ends_with(".yaml") {
            out.push(path);
        }
    }
}

fn shipped_yaml() -> Vec<PathBuf> {
    let mut files = yaml_in(&repo().join("models"));
    files.extend(yaml_in(&repo().join("data")));
    fixtures(&repo().join("tests/fixtures"), &mut files);
    files
}

#[test]
fn every_shipped_yaml_file_is_valid_against_the_printed_schema() {
    let files = shipped_yaml();
    // Models, data, v1/v2 and decision fixtures, and the valid bad-input cases.
    assert!(files.len() >= 60, "only {} YAML files found", files.len());
    for needle in [
        "models/baseline.yaml",
        "data/two-tier.yaml",
        "v2/factory-planning/data.yaml",
        "decisions/smoke/model.yaml",
        "bad/v2-decisions-valid/data.yaml",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(needle)),
            "{needle} is not among the files checked"
        );
    }
    if !validator_available() {
        return;
    }
    let (code, out) = validate(&[], &files, false);
    assert_eq!(code, 0, "files the loader accepts fail the schema:\n{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len()
    );
}

#[test]
fn models_and_data_files_pass_their_own_schema_and_fail_the_other() {
    if !validator_available() {
        return;
    }
    let models = yaml_in(&repo().join("models"));
    let data = yaml_in(&repo().join("data"));
    assert_eq!(validate(&["--model"], &models, false).0, 0);
    assert_eq!(validate(&["--data"], &data, false).0, 0);
    let (code, out) = validate(&["--model"], &data, true);
    assert_eq!(code, 0, "a data file passes the model schema:\n{out}");
    let (code, out) = validate(&["--data"], &models, true);
    assert_eq!(code, 0, "a model file passes the data schema:\n{out}");
}

const GOOD_MODEL: &str = "\
name: good
data: [data.yaml]
blocs: {usmca: [US, MX, CA]}
objective: {unmet_penalty: 1.0e4}
policies:
  - {kind: min_bloc_share, bloc: usmca, min_share: 0.8, products: critical, per: period}
  - {kind: load_band, min: 0.4, max: 0.95, sites: [monterrey], soft: {penalty: 50}}
  - {kind: regional_value_content, bloc: usmca, min_share: 0.75, preference: {tariff: 0.25}}
solver: {backend: highs, mip_gap: 0.001}
";

/// Writes `text` as `name` in `dir` and returns its path.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

#[test]
fn the_schema_rejects_unknown_kinds_and_keys() {
    if !validator_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let good = file(dir.path(), "good.yaml", GOOD_MODEL);
    let (code, out) = validate(&[], std::slice::from_ref(&good), false);
    assert_eq!(code, 0, "the base model is valid:\n{out}");

    // Each mistake alone, and what the validator must say of it.
    let cases = [
        (
            "unknown-kind",
            GOOD_MODEL.replace("kind: load_band", "kind: load_bnad"),
            "'load_bnad' is not one of",
        ),
        (
            "unknown-top-level-key",
            format!("{GOOD_MODEL}solvers: {{backend: clarabel}}\n"),
            "'solvers' was unexpected",
        ),
        (
            "unknown-policy-key",
            GOOD_MODEL.replace("min_share: 0.8", "min_shares: 0.8"),
            "'min_shares' was unexpected",
        ),
        (
            "key-of-another-kind",
            GOOD_MODEL.replace("max: 0.95, sites", "max: 0.95, bloc: usmca, sites"),
            "('bloc' was unexpected)",
        ),
        (
            "missing-required-policy-key",
            GOOD_MODEL.replace("bloc: usmca, min_share: 0.75, ", ""),
            "'min_share' is a required property",
        ),
        (
            "share-above-one",
            GOOD_MODEL.replace("min_share: 0.8", "min_share: 80"),
            "80 is greater than the maximum of 1",
        ),
        (
            "critical-for-sites",
            GOOD_MODEL.replace("sites: [monterrey]", "sites: critical"),
            "'critical' is not valid",
        ),
        (
            "data-key-in-a-model",
            format!("{GOOD_MODEL}sites: []\n"),
            "'sites' is not one of",
        ),
        (
            "model-key-in-a-data-file",
            "periods: [2027-01]\npolicies: []\n".to_string(),
            "'policies' is not one of",
        ),
        (
            "unknown-site-key",
            "sites:\n  - {id: a, country: US, capacity: 10, overtme: {capacity: 1}}\n".to_string(),
            "'overtme' was unexpected",
        ),
        (
            "unknown-scenario-key",
            format!("{GOOD_MODEL}scenarios:\n  surge: {{sett: {{a: 1}}}}\n"),
            "'sett' was unexpected",
        ),
        (
            "unknown-scale",
            format!("{GOOD_MODEL}scenarios:\n  surge: {{scale: {{demnd: 1.1}}}}\n"),
            "'demnd' was unexpected",
        ),
    ];
    for (name, text, word) in &cases {
        let path = file(dir.path(), &format!("{name}.yaml"), text);
        let (code, out) = validate(&[], &[path], true);
        assert_eq!(code, 0, "{name}: the schema accepts it:\n{out}");
        assert!(
            out.contains(word),
            "{name}: the validator does not say `{word}`:\n{out}"
        );
    }
}

#[test]
fn the_schema_holds_every_key_the_loader_reads() {
    let s = schema(&[]);
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(s["additionalProperties"], false);
    // An empty data file is valid (the loader warns); an empty model is not.
    assert_eq!(s["type"], serde_json::json!(["object", "null"]));
    assert_eq!(schema(&["--model"])["type"], "object");
    let top = s["properties"].as_object().expect("top-level properties");
    for key in allyplan::DATA_KEYS.iter().chain(allyplan::MODEL_KEYS) {
        let property = top
            .get(*key)
            .unwrap_or_else(|| panic!("top-level key `{key}` is missing from the schema"));
        assert!(
            property["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "`{key}` has no description"
        );
    }
    assert_eq!(
        top.len(),
        allyplan::DATA_KEYS.len() + allyplan::MODEL_KEYS.len() - 1,
        "keys in the schema the loader does not read (only `contracts` is in both lists)"
    );

    let policy = &top["policies"]["items"];
    assert_eq!(
        policy["properties"]["kind"]["enum"],
        serde_json::json!(allyplan::POLICY_KINDS)
    );
    let branches = policy["oneOf"].as_array().expect("a branch per kind");
    let kinds = allyplan::policy_kinds();
    assert_eq!(branches.len(), kinds.len());
    assert_eq!(kinds.len(), allyplan::POLICY_KINDS.len());
    for (kind, keys) in kinds {
        let branch = branches
            .iter()
            .find(|b| b["properties"]["kind"]["const"] == kind)
            .unwrap_or_else(|| panic!("no branch for policy kind `{kind}`"));
        assert_eq!(branch["additionalProperties"], false, "{kind}");
        let props = branch["properties"].as_object().expect("branch properties");
        let mut expected: Vec<&str> = vec!["kind", "name", "soft"];
        expected.extend(keys);
        expected.sort_unstable();
        let found: Vec<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(found, expected, "keys of policy kind `{kind}`");
        for key in keys {
            let p = &props[*key];
            assert!(
                p["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{kind}.{key} has no description"
            );
            assert!(
                p.get("type").is_some() || p.get("anyOf").is_some() || p.get("enum").is_some(),
                "{kind}.{key} has no type"
            );
        }
    }
}

#[test]
fn model_and_data_schemas_describe_their_own_keys() {
    let model = schema(&["--model"]);
    let data = schema(&["--data"]);
    let keys = |s: &Value| -> Vec<String> {
        s["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect()
    };
    let mut expected_model: Vec<&str> = allyplan::MODEL_KEYS.to_vec();
    let mut expected_data: Vec<&str> = allyplan::DATA_KEYS.to_vec();
    expected_model.sort_unstable();
    expected_data.sort_unstable();
    assert_eq!(keys(&model), expected_model);
    assert_eq!(keys(&data), expected_data);
    assert_eq!(model["required"], serde_json::json!(["data"]));
    // Per-period numbers: a number or a list.
    let capacity = &data["properties"]["sites"]["items"]["properties"]["capacity"];
    assert_eq!(capacity["anyOf"][0]["type"], "number");
    assert_eq!(capacity["anyOf"][1]["type"], "array");
    // The same output twice: the command is deterministic.
    assert_eq!(printed(&[]), printed(&[]));
}
