//! `allyplan generate`: generated scenarios are valid for any size and seed, deterministic,
//! cover every policy kind, and solve to a verified optimum that an independent solver
//! (HiGHS through `tests/highs_check.py`, when highspy is importable) agrees with.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use allyplan::build;
use allyplan::to_mps;
use allyplan::Scenario;
use allyplan::{generate, Generated, Spec, DEMAND_FILE, MODEL_FILE, NETWORK_FILE};
use allyplan::{ExitCode, SolveRequest};
use assert_cmd::Command as Cli;

fn spec(sites: usize, products: usize, markets: usize, periods: usize, seed: u64) -> Spec {
    Spec {
        sites,
        products,
        markets,
        periods,
        seed,
    }
}

/// Writes a generated scenario into a fresh folder and validates it, failing on any
/// error or warning.
fn load(spec: &Spec) -> (tempfile::TempDir, Scenario) {
    let dir = tempfile::tempdir().expect("temporary folder");
    generate(spec)
        .expect("generate")
        .write(dir.path())
        .expect("write");
    match allyplan::check(&dir.path().join(MODEL_FILE)) {
        Ok((scenario, warnings)) => {
            assert!(warnings.is_empty(), "{spec:?}: warnings:\n{warnings}");
            (dir, scenario)
        }
        Err(allyplan::Error::InvalidInput(diags)) => panic!("{spec:?} is invalid:\n{diags}"),
        Err(e) => panic!("{spec:?}: {e}"),
    }
}

#[test]
fn generated_scenarios_are_valid_for_many_sizes_and_seeds() {
    let sizes = [
        (1, 1, 1, 1),
        (2, 1, 1, 2),
        (3, 2, 2, 3),
        (6, 3, 3, 12),
        (9, 14, 13, 5),
        (12, 6, 4, 24),
        (40, 20, 8, 12),
    ];
    for (i, &(s, p, m, t)) in sizes.iter().enumerate() {
        for seed in [0, 1, 42 + i as u64, u64::MAX] {
            let (_dir, sc) = load(&spec(s, p, m, t, seed));
            assert_eq!(
                (
                    sc.sites.len(),
                    sc.products.len(),
                    sc.markets.len(),
                    sc.n_periods()
                ),
                (s, p, m, t)
            );
            assert!(!sc.lanes.is_empty());
            assert!(sc.demand.sum() > 0.0);
        }
    }
}

#[test]
fn the_same_seed_gives_byte_identical_files() {
    let s = spec(12, 6, 4, 24, 7);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(&s).unwrap().write(a.path()).unwrap();
    generate(&s).unwrap().write(b.path()).unwrap();
    for name in [MODEL_FILE, NETWORK_FILE, DEMAND_FILE] {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(!x.is_empty());
        assert!(x == y, "{name} differs between two runs with the same seed");
    }
}

#[test]
fn different_seeds_give_different_scenarios() {
    let a = generate(&spec(12, 6, 4, 24, 1)).unwrap();
    let b = generate(&spec(12, 6, 4, 24, 2)).unwrap();
    assert_ne!(a.network, b.network);
    assert_ne!(a.demand, b.demand);
    // The model names its seed.
    assert_ne!(a.model, b.model);
}

#[test]
fn every_policy_kind_is_present_and_some_are_soft() {
    let (_dir, sc) = load(&spec(6, 3, 3, 12, 1));
    let kinds: BTreeSet<&str> = sc.policies.iter().map(|p| p.rule.kind()).collect();
    let all: BTreeSet<&str> = allyplan::POLICY_KINDS.iter().copied().collect();
    assert_eq!(kinds, all);
    let soft: BTreeSet<&str> = sc
        .policies
        .iter()
        .filter(|p| p.soft_penalty.is_some())
        .map(|p| p.rule.kind())
        .collect();
    assert!(soft.len() >= 3, "{soft:?}");
    assert!(sc.policies.iter().any(|p| p.soft_penalty.is_none()));
    // A mix of origins: USMCA and overseas, with overseas lanes slower and tariffed.
    let countries = sc.site_countries();
    for c in ["US", "MX", "CN"] {
        assert!(countries.iter().any(|x| x == c), "{countries:?}");
    }
    let overseas =
        |l: &&allyplan::Lane| !["US", "MX", "CA"].contains(&sc.sites[l.from].country.as_str());
    assert!(sc
        .lanes
        .iter()
        .filter(overseas)
        .all(|l| l.lead_time >= 1 && l.tariff > 0.0));
}

#[test]
fn sizes_out_of_range_are_usage_errors() {
    for bad in [
        spec(0, 3, 3, 12, 1),
        spec(6, 0, 3, 12, 1),
        spec(6, 3, 3, 0, 1),
    ] {
        assert!(matches!(generate(&bad), Err(allyplan::Error::Usage(_))));
    }
}

fn solve_with(sc: &Scenario, backend: &str) -> allyplan::plan::Plan {
    let request = SolveRequest {
        backend: Some(backend.to_string()),
        time_limit_s: None,
        explain_infeasible: false,
        solver_log: false,
        default_time_limit_s: None,
        started_at: None,
    };
    let solved = allyplan::solve_scenario(sc, &request);
    assert_eq!(
        solved.plan.status,
        allyplan::plan::PlanStatus::Optimal,
        "{backend}: {:?}",
        solved.plan.message
    );
    assert_eq!(solved.exit, ExitCode::Ok, "{backend}");
    let v = solved.plan.verification.as_ref().expect("verified");
    assert!(v.passed, "{backend}: {v:?}");
    solved.plan
}

fn assert_rel(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

/// A small generated scenario solves to the same verified optimum with every built-in
/// backend, and HiGHS (highspy) reading the exported MPS agrees.
#[test]
fn a_small_generated_scenario_solves_and_matches_highs() {
    let (_dir, sc) = load(&spec(6, 3, 3, 12, 1));
    let microlp = solve_with(&sc, "microlp").objective.unwrap();
    let clarabel = solve_with(&sc, "clarabel").objective.unwrap();
    assert_rel(clarabel, microlp, "clarabel vs microlp");
    #[cfg(feature = "highs")]
    {
        let highs = solve_with(&sc, "highs").objective.unwrap();
        assert_rel(highs, microlp, "highs vs microlp");
    }
    if let Some(objective) = highspy_objective(&sc) {
        assert_rel(
            objective,
            microlp,
            "highspy on the exported MPS vs allyplan",
        );
    }
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// HiGHS's objective on the exported MPS, or `None` when highspy is not installed
/// (outside CI; in CI it must be).
fn highspy_objective(sc: &Scenario) -> Option<f64> {
    let available = Command::new(python())
        .args(["-c", "import highspy"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but highspy cannot be imported"
        );
        eprintln!("skipped: highspy not installed, no HiGHS cross-check");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.mps");
    std::fs::write(&path, to_mps(sc, &build(sc))).unwrap();
    let out = Command::new(python())
        .arg(repo().join("tests/highs_check.py"))
        .arg(&path)
        .output()
        .expect("run tests/highs_check.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(|l| l == "status optimal"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // highspy ran and reported optimal: a missing or unreadable objective line is a
    // broken cross-check, never a skipped one.
    let objective = stdout
        .lines()
        .find_map(|l| l.strip_prefix("objective "))
        .and_then(|v| v.parse().ok());
    assert!(
        objective.is_some(),
        "no objective line from HiGHS: {stdout}"
    );
    objective
}

#[test]
fn the_command_writes_the_three_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    Cli::cargo_bin("allyplan")
        .unwrap()
        .args(["-q", "generate", "--sites", "5", "--products", "4"])
        .args(["--markets", "2", "--periods", "6", "--seed", "9", "--out"])
        .arg(&out)
        .assert()
        .success();
    let expected: Generated = generate(&spec(5, 4, 2, 6, 9)).unwrap();
    for (name, text) in expected.files() {
        assert_eq!(
            std::fs::read_to_string(out.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
    Cli::cargo_bin("allyplan")
        .unwrap()
        .arg("validate")
        .arg(out.join(MODEL_FILE))
        .assert()
        .success();
}

#[test]
fn the_command_rejects_bad_sizes() {
    let dir = tempfile::tempdir().unwrap();
    Cli::cargo_bin("allyplan")
        .unwrap()
        .args(["generate", "--sites", "0", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(!Path::new(&dir.path().join(MODEL_FILE)).exists());
}

#[test]
fn the_command_refuses_sizes_whose_files_validate_would_refuse() {
    // 500 markets × 350 products × 240 periods: a demand file of about 180 MiB, where
    // `validate` reads at most 64 MiB. Refused up front, before anything is built.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let start = std::time::Instant::now();
    let o = Cli::cargo_bin("allyplan")
        .unwrap()
        .args(["generate", "--sites", "2", "--products", "350"])
        .args(["--markets", "500", "--periods", "240", "--out"])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: these sizes would write a demand.yaml of over ")
            && err.contains("allyplan reads files of at most 64 MiB")
            && err.contains("fewer markets, products or periods"),
        "{err}"
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(!out.exists());
    // The library refuses them too; sizes that fit are not refused.
    assert!(matches!(
        generate(&spec(2, 350, 500, 240, 1)),
        Err(allyplan::Error::Usage(_))
    ));
    assert!(spec(200, 80, 10, 24, 1).check().is_ok());
}
