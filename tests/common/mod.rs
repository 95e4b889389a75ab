//! Shared helpers for the integration tests: write a model and a data file into a fresh
//! temporary directory, load and validate them, solve, and read numbers back out of the
//! plan.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

pub mod hostile;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use allyplan::plan::{Plan, PlanStatus};
use allyplan::Scenario;
use allyplan::{ExitCode, SolveRequest};

/// The repository root (tests run the binary from there, so paths read as in the README).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the built `allyplan` binary in the repository root.
pub fn allyplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run allyplan")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The Python that runs the independent checks (`PYTHON`, default `python3`).
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Whether `python -c "import IMPORTS"` works, asked once per test binary. Outside CI a
/// missing package skips the caller's checks, with a note on stderr that `what` did not
/// run and how to `install` it; with `CI` set it fails them.
pub fn python_imports(imports: &str, what: &str, install: &str) -> bool {
    use std::collections::BTreeMap;
    use std::io::Write as _;
    use std::sync::Mutex;
    static ASKED: Mutex<BTreeMap<String, bool>> = Mutex::new(BTreeMap::new());
    let mut asked = ASKED.lock().unwrap_or_else(|e| e.into_inner());
    let available = *asked.entry(imports.to_string()).or_insert_with(|| {
        let ok = Command::new(python())
            .args(["-c", &format!("import {imports}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok && std::env::var_os("CI").is_none() {
            // Straight to stderr, past the test harness's capture, once per run.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: python3 cannot import {imports}, so {what} did not run ({install})"
            );
        }
        ok
    });
    assert!(
        available || std::env::var_os("CI").is_none(),
        "CI is set but `{} -c 'import {imports}'` fails: {install}",
        python()
    );
    available
}

/// Absolute tolerance (scaled by max(1, |expected|)) for comparing solver output with
/// hand-computed answers.
pub const TOL: f64 = 1e-6;

/// Removes the indentation common to all non-blank lines, so YAML can be written
/// indented inside Rust source.
pub fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes `model` (without a `data` key: `data: [data.yaml]` is added) and `data` into a
/// fresh temporary directory, loads and validates them, and returns the scenario.
/// Panics with the diagnostics when the input is invalid.
pub fn scenario(model: &str, data: &str) -> Scenario {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let model_path = dir.path().join("model.yaml");
    std::fs::write(&model_path, format!("data: [data.yaml]\n{}", dedent(model)))
        .expect("write model.yaml");
    std::fs::write(dir.path().join("data.yaml"), dedent(data)).expect("write data.yaml");
    load_model(&model_path)
}

/// Loads and validates a model file, panicking with the diagnostics when it is invalid.
pub fn load_model(model_path: &Path) -> Scenario {
    match allyplan::check(model_path) {
        Ok((scenario, _warnings)) => scenario,
        Err(allyplan::Error::InvalidInput(diags)) => {
            panic!("{} is invalid:\n{diags}", model_path.display())
        }
        Err(e) => panic!("{}: {e}", model_path.display()),
    }
}

/// Builds, solves and verifies; asserts the status is optimal and verification passed.
pub fn solve(scenario: &Scenario) -> Plan {
    let solved = allyplan::solve_scenario(scenario, &SolveRequest::default());
    let plan = solved.plan;
    if let Some(v) = &plan.verification {
        assert!(
            v.passed,
            "verification failed: worst {:?} ({}), objective gap {}, violations {:#?}",
            v.worst_constraint, v.worst_violation, v.objective_gap, v.violations
        );
    }
    assert_eq!(
        plan.status,
        PlanStatus::Optimal,
        "status {} ({:?})",
        plan.status,
        plan.message
    );
    assert_eq!(solved.exit, ExitCode::Ok);
    assert!(
        plan.verification.is_some(),
        "an optimal plan carries its verification"
    );
    plan
}

/// Asserts `actual` is within [`TOL`] of `expected` (relative for large values).
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    let tol = TOL * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: expected {expected}, got {actual}"
    );
}

pub fn objective(plan: &Plan) -> f64 {
    plan.objective.expect("an optimal plan has an objective")
}

/// Units of `product` made at `site` in `period` (0 when the plan lists none).
pub fn production(plan: &Plan, site: &str, product: &str, period: &str) -> f64 {
    plan.production
        .iter()
        .filter(|r| r.site == site && r.product == product && r.period == period)
        .map(|r| r.quantity)
        .sum()
}

/// Units of `product` leaving `from` for `to` in `departure`.
pub fn shipped(plan: &Plan, from: &str, to: &str, product: &str, departure: &str) -> f64 {
    plan.shipments
        .iter()
        .filter(|r| {
            r.from == from && r.to == to && r.product == product && r.departure == departure
        })
        .map(|r| r.quantity)
        .sum()
}

/// Units of `product` shipped from `from` to `to` over the whole horizon.
pub fn shipped_total(plan: &Plan, from: &str, to: &str, product: &str) -> f64 {
    plan.shipments
        .iter()
        .filter(|r| r.from == from && r.to == to && r.product == product)
        .map(|r| r.quantity)
        .sum()
}

/// Units of `product` held at `site` at the end of `period`.
pub fn inventory(plan: &Plan, site: &str, product: &str, period: &str) -> f64 {
    plan.inventory
        .iter()
        .filter(|r| r.site == site && r.product == product && r.period == period)
        .map(|r| r.quantity)
        .sum()
}

/// Demand of `product` at `market` not served in `period`.
pub fn unmet(plan: &Plan, market: &str, product: &str, period: &str) -> f64 {
    plan.unmet
        .iter()
        .filter(|r| r.market == market && r.product == product && r.period == period)
        .map(|r| r.unmet)
        .sum()
}

/// Total unmet demand over the plan.
pub fn unmet_total(plan: &Plan) -> f64 {
    plan.unmet.iter().map(|r| r.unmet).sum()
}

fn site_period<'a>(plan: &'a Plan, site: &str, period: &str) -> &'a allyplan::plan::SitePeriod {
    plan.sites
        .iter()
        .find(|s| s.id == site)
        .unwrap_or_else(|| panic!("no site {site} in the plan"))
        .periods
        .iter()
        .find(|p| p.period == period)
        .unwrap_or_else(|| panic!("no period {period} at site {site}"))
}

/// Overtime capacity units used at `site` in `period`.
pub fn overtime(plan: &Plan, site: &str, period: &str) -> f64 {
    site_period(plan, site, period).overtime
}

/// Load (capacity units) at `site` in `period`.
pub fn site_load(plan: &Plan, site: &str, period: &str) -> f64 {
    site_period(plan, site, period).load
}

/// Slack a (soft) policy used, as reported in `plan.policies`.
pub fn slack(plan: &Plan, policy: &str) -> f64 {
    plan.policies
        .iter()
        .find(|p| p.name == policy)
        .unwrap_or_else(|| panic!("no policy {policy} in the plan"))
        .slack
}
