//! `allyplan generate`: generated scenarios are valid for any size and seed, deterministic,
//! cover every policy kind, and solve to a verified optimum that an independent solver
//! (HiGHS through `tests/highs_check.py`, when highspy is importable) agrees with.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{python, python_imports, repo};

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
        decisions: false,
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
    // A one-tier scenario has every kind but value content, which needs components
    // (the two-tier test checks that one).
    let (_dir, sc) = load(&spec(6, 3, 3, 12, 1));
    let kinds: BTreeSet<&str> = sc.policies.iter().map(|p| p.rule.kind()).collect();
    let all: BTreeSet<&str> = allyplan::POLICY_KINDS
        .iter()
        .copied()
        .filter(|k| *k != "regional_value_content")
        .collect();
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
        ..Default::default()
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

/// HiGHS's objective on the exported MPS, or `None` when highspy is not installed
/// (outside CI; in CI it must be).
fn highspy_objective(sc: &Scenario) -> Option<f64> {
    if !python_imports(
        "highspy",
        "the HiGHS cross-check of tests/generate.rs",
        "pip install highspy",
    ) {
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

// ---------------------------------------------------------------------------------------
// Two tiers (`--tiers 2`, format v2): packs from modules from cells and boards.

use serde_yaml::Value;

fn two_tier(sites: usize, products: usize, markets: usize, periods: usize, seed: u64) -> Generated {
    spec(sites, products, markets, periods, seed)
        .generate(2)
        .expect("two-tier scenario")
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("generated YAML parses")
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_sequence()
        .unwrap_or_else(|| panic!("`{key}` is a list: {v:?}"))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is text: {v:?}"))
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v:?}"))
}

/// A number, or a list of one per period: every value.
fn numbers(v: &Value, periods: usize) -> Vec<f64> {
    match v.as_sequence() {
        Some(values) => {
            assert_eq!(values.len(), periods, "one per period: {v:?}");
            values.iter().map(number).collect()
        }
        None => vec![number(v)],
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The parsed files of a two-tier scenario, and what each product is.
struct TwoTier {
    network: Value,
    demand: Value,
    model: Value,
    /// Product id → its bill of materials (component → units).
    bom: std::collections::BTreeMap<String, Vec<(String, f64)>>,
}

impl TwoTier {
    fn new(g: &Generated) -> TwoTier {
        let network = yaml(&g.network);
        let bom = list(&network, "products")
            .iter()
            .map(|p| {
                let parts = p["bom"]
                    .as_mapping()
                    .map(|m| {
                        m.iter()
                            .map(|(c, k)| (c.as_str().unwrap().to_string(), number(k)))
                            .collect()
                    })
                    .unwrap_or_default();
                (text(p, "id").to_string(), parts)
            })
            .collect();
        TwoTier {
            network,
            demand: yaml(&g.demand),
            model: yaml(&g.model),
            bom,
        }
    }

    /// `cell`: no bill of materials; `module`: made of components only; `pack`: made of
    /// modules.
    fn tier(&self, product: &str) -> &'static str {
        let parts = &self.bom[product];
        if parts.is_empty() {
            "component"
        } else if parts.iter().all(|(c, _)| self.bom[c].is_empty()) {
            "module"
        } else {
            "pack"
        }
    }

    fn sites(&self) -> &Vec<Value> {
        list(&self.network, "sites")
    }

    fn lanes(&self) -> &Vec<Value> {
        list(&self.network, "lanes")
    }

    fn is_hub(site: &Value) -> bool {
        site["kind"].as_str() == Some("hub")
    }

    /// The tiers of what a site makes.
    fn makes(&self, site: &Value) -> BTreeSet<&'static str> {
        keys(&site["products"])
            .iter()
            .map(|p| self.tier(p))
            .collect()
    }
}

const USMCA: [&str; 3] = ["US", "MX", "CA"];

/// Every v2 feature of the design's "Multi-tier networks" is in a generated scenario,
/// consistent with itself, for small and large sizes and any seed.
#[test]
fn two_tier_files_parse_and_have_every_multi_tier_feature() {
    for (s, p, m, t) in [(5, 4, 1, 1), (6, 8, 3, 12), (9, 14, 13, 5), (40, 20, 8, 12)] {
        for seed in [0, 1, u64::MAX] {
            let g = two_tier(s, p, m, t, seed);
            let w = TwoTier::new(&g);
            let what = format!("{s}x{p}x{m}x{t} seed {seed}");
            let periods = list(&w.network, "periods").len();
            assert_eq!(periods, t, "{what}");

            // Products: packs of modules of cells and boards, every component valued.
            let tiers: BTreeSet<&str> = w.bom.keys().map(|id| w.tier(id)).collect();
            assert_eq!(
                tiers,
                BTreeSet::from(["component", "module", "pack"]),
                "{what}"
            );
            for parts in w.bom.values() {
                for (c, k) in parts {
                    assert!(*k >= 1.0, "{what}: {c} × {k}");
                }
            }
            for product in list(&w.network, "products") {
                assert!(number(&product["unit_value"]) > 0.0, "{what}: {product:?}");
            }
            let names: BTreeSet<&str> = w
                .bom
                .keys()
                .filter(|id| w.tier(id) == "component")
                .map(|id| if id.contains("cell") { "cell" } else { "board" })
                .collect();
            assert_eq!(names, BTreeSet::from(["board", "cell"]), "{what}");

            // Sites: suppliers overseas and in Mexico, module plants in Mexico, pack
            // plants in the US, hubs at the border with a throughput and nothing made.
            let mut ids = BTreeSet::new();
            let (mut overseas, mut mexican, mut hubs) = (0, 0, 0);
            for site in w.sites() {
                let id = text(site, "id");
                assert!(ids.insert(id.to_string()), "{what}: {id} twice");
                let country = text(site, "country");
                if TwoTier::is_hub(site) {
                    hubs += 1;
                    assert_eq!(country, "US", "{what}: {id}");
                    assert!(numbers(&site["throughput"], t).iter().all(|&x| x > 0.0));
                    for key in ["products", "capacity", "resources", "overtime", "last_load"] {
                        assert!(site.get(key).is_none(), "{what}: hub {id} has {key}");
                    }
                    continue;
                }
                let makes = w.makes(site);
                assert_eq!(makes.len(), 1, "{what}: {id} makes {makes:?}");
                match *makes.iter().next().unwrap() {
                    "component" if USMCA.contains(&country) => {
                        mexican += usize::from(country == "MX")
                    }
                    "component" => overseas += 1,
                    "module" => assert!(["MX", "US"].contains(&country), "{what}: {id}"),
                    _ => assert_eq!(country, "US", "{what}: {id}"),
                }
                // Named resources, and every `uses` names one of the site's.
                let resources = keys(&site["resources"]);
                assert!(!resources.is_empty(), "{what}: {id} has no resources");
                for (_, made) in site["products"].as_mapping().unwrap() {
                    assert!(keys(&made["uses"]).is_subset(&resources), "{what}: {id}");
                    assert_eq!(made.get("rate").is_some(), site.get("capacity").is_some());
                }
                // Storage: caps per product hold the initial stock; `final` is at most it.
                let inventory = &site["inventory"];
                for (product, cap) in inventory["product_capacity"]
                    .as_mapping()
                    .into_iter()
                    .flatten()
                {
                    let initial = inventory["initial"][product.as_str().unwrap()]
                        .as_f64()
                        .unwrap_or(0.0);
                    assert!(number(cap) >= initial, "{what}: {id}");
                }
                for (product, stock) in inventory["final"].as_mapping().into_iter().flatten() {
                    assert!(
                        number(stock) <= number(&inventory["initial"][product.as_str().unwrap()])
                    );
                }
            }
            assert!(
                overseas >= 1 && mexican >= 1,
                "{what}: {overseas} overseas, {mexican} Mexican"
            );
            assert_eq!(hubs, (s / 15).max(1), "{what}");
            let with = |pred: &dyn Fn(&Value) -> bool| w.sites().iter().filter(|x| pred(x)).count();
            assert!(with(&|x| x.get("resources").is_some() && x.get("capacity").is_none()) >= 1);
            assert!(
                with(&|x| x["inventory"].get("product_capacity").is_some()) >= 1,
                "{what}"
            );
            assert!(
                with(&|x| x["inventory"].get("final").is_some()) >= 1,
                "{what}"
            );
            assert!(with(&|x| TwoTier::is_hub(x) && x["inventory"].get("capacity").is_some()) >= 1);

            // Lanes: every one has a mode; (from, to, mode) is unique; some pair has an
            // ocean and an air lane; sites ship to sites and hubs; most lanes are capped.
            let markets: BTreeSet<&str> = list(&w.network, "markets")
                .iter()
                .map(|x| text(x, "id"))
                .collect();
            let mut modes: std::collections::BTreeMap<(&str, &str), BTreeSet<&str>> =
                Default::default();
            let mut capped = 0;
            for lane in w.lanes() {
                let (from, to, mode) = (text(lane, "from"), text(lane, "to"), text(lane, "mode"));
                assert!(ids.contains(from), "{what}: {lane:?}");
                assert!(ids.contains(to) || markets.contains(to), "{what}: {lane:?}");
                assert!(
                    ["ocean", "air", "truck", "rail"].contains(&mode),
                    "{what}: {mode}"
                );
                assert!(
                    modes.entry((from, to)).or_default().insert(mode),
                    "{what}: {lane:?} twice"
                );
                assert!((number(&lane["lead_time"]) as usize) < t.max(1));
                if let Some(cap) = lane.get("capacity") {
                    assert!(
                        numbers(cap, t).iter().all(|&x| x >= 1.0),
                        "{what}: {lane:?}"
                    );
                    capped += 1;
                }
            }
            assert!(
                modes
                    .values()
                    .any(|m| m.contains("ocean") && m.contains("air")),
                "{what}"
            );
            assert!(2 * capped > w.lanes().len(), "{what}: {capped} capped");
            let hub_ids: BTreeSet<&str> = w
                .sites()
                .iter()
                .filter(|x| TwoTier::is_hub(x))
                .map(|x| text(x, "id"))
                .collect();
            // No idle hub: each receives and forwards.
            for hub in &hub_ids {
                assert!(modes.keys().any(|(_, to)| to == hub), "{what}: into {hub}");
                assert!(
                    modes.keys().any(|(from, _)| from == hub),
                    "{what}: from {hub}"
                );
            }
            for d in list(&w.demand, "demand") {
                assert_eq!(list(d, "quantity").len(), t, "{what}");
            }

            // The model: every policy kind, and the value content rule as designed.
            assert_eq!(
                text(&w.model, "name"),
                format!("generated-two-tier-s{s}-p{p}-m{m}-t{t}-seed{seed}")
            );
            let kinds: BTreeSet<&str> = list(&w.model, "policies")
                .iter()
                .map(|x| text(x, "kind"))
                .collect();
            for kind in allyplan::POLICY_KINDS
                .iter()
                .chain(&["regional_value_content"])
            {
                assert!(kinds.contains(kind), "{what}: no {kind}");
            }
            let rvc = list(&w.model, "policies")
                .iter()
                .find(|x| x["kind"] == "regional_value_content" && x.get("soft").is_none())
                .expect("a hard value content rule");
            assert_eq!(text(rvc, "bloc"), "usmca");
            assert_eq!(number(&rvc["min_share"]), 0.75);
            assert_eq!(text(rvc, "sites"), "all");
            assert_eq!(text(rvc, "per"), "period");
            let scope: BTreeSet<&str> = list(rvc, "products")
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            let assemblies: BTreeSet<&str> = w
                .bom
                .keys()
                .filter(|id| w.tier(id) != "component")
                .map(String::as_str)
                .collect();
            assert_eq!(scope, assemblies, "{what}");
            assert_eq!(w.model["blocs"]["usmca"], yaml("[US, MX, CA]"), "{what}");
        }
    }
}

#[test]
fn two_tier_files_are_byte_identical_for_the_same_seed() {
    let a = two_tier(12, 10, 4, 24, 7);
    assert_eq!(a, two_tier(12, 10, 4, 24, 7));
    let b = two_tier(12, 10, 4, 24, 8);
    assert_ne!(a.network, b.network);
    assert_ne!(a.demand, b.demand);
    // Written twice, the same bytes.
    let (x, y) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    a.write(x.path()).unwrap();
    two_tier(12, 10, 4, 24, 7).write(y.path()).unwrap();
    for name in [MODEL_FILE, NETWORK_FILE, DEMAND_FILE] {
        let (p, q) = (
            std::fs::read(x.path().join(name)).unwrap(),
            std::fs::read(y.path().join(name)).unwrap(),
        );
        assert!(!p.is_empty() && p == q, "{name}");
    }
    // One tier is the v1 generator, unchanged.
    assert_eq!(
        spec(6, 3, 3, 12, 1).generate(1).unwrap(),
        generate(&spec(6, 3, 3, 12, 1)).unwrap()
    );
}

#[test]
fn two_tier_sizes_follow_the_flags() {
    let count = |g: &Generated| {
        let w = TwoTier::new(g);
        let packs = w.bom.keys().filter(|id| w.tier(id) == "pack").count();
        let modules = w.bom.keys().filter(|id| w.tier(id) == "module").count();
        (
            w.sites().len(),
            w.bom.len(),
            list(&w.network, "markets").len(),
            list(&w.network, "periods").len(),
            packs,
            modules,
            w.lanes().len(),
        )
    };
    let mut lanes = Vec::new();
    for (s, p, m, t) in [
        (5, 4, 1, 1),
        (6, 8, 3, 12),
        (12, 13, 4, 24),
        (40, 20, 8, 6),
        (100, 50, 12, 3),
    ] {
        let (sites, products, markets, periods, packs, modules, n) =
            count(&two_tier(s, p, m, t, 3));
        assert_eq!((sites, products, markets, periods), (s, p, m, t));
        assert_eq!(
            (packs, modules),
            ((p / 4).max(1), (p / 4).max(1)),
            "{s}x{p}"
        );
        lanes.push(n);
    }
    // More sites and markets, more lanes.
    assert!(lanes.windows(2).all(|w| w[0] < w[1]), "{lanes:?}");
    // A longer horizon lengthens each forecast, not the list of forecasts.
    let (short, long) = (two_tier(12, 8, 4, 6, 5), two_tier(12, 8, 4, 24, 5));
    let forecasts = |g: &Generated| list(&yaml(&g.demand), "demand").len();
    assert_eq!(forecasts(&short), forecasts(&long));
    assert!(long.demand.len() > short.demand.len() + forecasts(&short) * 18 * 2);
}

#[test]
fn two_tier_sizes_below_the_smallest_network_are_usage_errors() {
    for (bad, needs) in [
        (spec(4, 8, 3, 12, 1), "--sites of at least 5"),
        (spec(6, 3, 3, 12, 1), "--products of at least 4"),
    ] {
        match bad.generate(2) {
            Err(allyplan::Error::Usage(message)) => assert!(message.contains(needs), "{message}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    for tiers in [0, 3] {
        assert!(matches!(
            spec(6, 8, 3, 12, 1).generate(tiers),
            Err(allyplan::Error::Usage(_))
        ));
    }
    // Refused up front, before anything is built; sizes that fit are not refused.
    let start = std::time::Instant::now();
    assert!(matches!(
        spec(5000, 2000, 500, 240, 1).generate(2),
        Err(allyplan::Error::Usage(_))
    ));
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    assert!(spec(200, 80, 10, 24, 1).check_tiers(2).is_ok());
}

#[test]
fn the_command_writes_a_two_tier_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    Cli::cargo_bin("allyplan")
        .unwrap()
        .args([
            "-q",
            "generate",
            "--tiers",
            "2",
            "--sites",
            "7",
            "--products",
            "9",
        ])
        .args(["--markets", "3", "--periods", "6", "--seed", "4", "--out"])
        .arg(&out)
        .assert()
        .success();
    for (name, text) in two_tier(7, 9, 3, 6, 4).files() {
        assert_eq!(
            std::fs::read_to_string(out.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
    // `--tiers 1` is the default.
    let (one, default) = (dir.path().join("one"), dir.path().join("default"));
    for (folder, extra) in [(&one, vec!["--tiers", "1"]), (&default, vec![])] {
        Cli::cargo_bin("allyplan")
            .unwrap()
            .args(["-q", "generate", "--sites", "5", "--products", "4", "--out"])
            .arg(folder)
            .args(extra)
            .assert()
            .success();
    }
    for name in [MODEL_FILE, NETWORK_FILE, DEMAND_FILE] {
        assert_eq!(
            std::fs::read(one.join(name)).unwrap(),
            std::fs::read(default.join(name)).unwrap()
        );
    }
    // Bad tiers and too small a network: usage errors, nothing written.
    for args in [
        vec!["--tiers", "3"],
        vec!["--tiers", "2", "--products", "3"],
    ] {
        let target = dir.path().join("bad");
        let o = Cli::cargo_bin("allyplan")
            .unwrap()
            .arg("generate")
            .args(&args)
            .arg("--out")
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!target.exists());
    }
}

// ---------------------------------------------------------------------------------------
// The shipped two-tier example: models/two-tier.yaml and data/two-tier.yaml.

fn example() -> (Value, Value) {
    let read = |path: &str| yaml(&std::fs::read_to_string(repo().join(path)).unwrap());
    (read("models/two-tier.yaml"), read("data/two-tier.yaml"))
}

fn by_id<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// The example's premise holds in its numbers: Chinese cells are the cheapest landed in
/// Saltillo, and a module made of them fails the 75% rule while one made of Mexican
/// cells passes; the value added that the comments quote is the data's.
#[test]
fn the_two_tier_example_makes_the_value_content_rule_bite() {
    let (model, data) = example();
    assert_eq!(list(&data, "periods").len(), 12);
    let products = list(&data, "products");
    let value = |id: &str| number(&by_id(products, id)["unit_value"]);
    let bom = |id: &str| -> Vec<(String, f64)> {
        by_id(products, id)["bom"]
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(c, k)| (c.as_str().unwrap().to_string(), number(k)))
            .collect()
    };
    let added = |id: &str| value(id) - bom(id).iter().map(|(c, k)| k * value(c)).sum::<f64>();
    assert_eq!(added("cell-module"), 333.0);
    assert_eq!(added("battery-pack"), 2420.0);
    assert_eq!(
        bom("battery-pack"),
        vec![("cell-module".into(), 8.0), ("bms-board".into(), 1.0)]
    );

    let rule = list(&model, "policies")
        .iter()
        .find(|p| p["kind"] == "regional_value_content")
        .unwrap();
    assert_eq!(
        (text(rule, "bloc"), number(&rule["min_share"])),
        ("usmca", 0.75)
    );
    let share = number(&rule["min_share"]);
    // Regional value share of a module whose cells are all regional or all not (its
    // board regional either way).
    let module_share = |regional_cells: bool| {
        let cells = if regional_cells {
            24.0 * value("pouch-cell")
        } else {
            0.0
        };
        (added("cell-module") + cells + value("cmu-board")) / value("cell-module")
    };
    assert!(module_share(false) < share && module_share(true) >= share);

    // Landed cost of a cell in Saltillo: making it, the lane, the tariff on its value.
    let sites = list(&data, "sites");
    let lanes = list(&data, "lanes");
    let landed = |from: &str, mode: &str| {
        let lane = lanes
            .iter()
            .find(|l| l["from"] == from && l["to"] == "saltillo-modules" && l["mode"] == mode)
            .unwrap();
        let make = number(&by_id(sites, from)["products"]["pouch-cell"]["cost"]);
        make + number(&lane["cost"]) + lane["tariff"].as_f64().unwrap_or(0.0) * value("pouch-cell")
    };
    assert!(landed("ningbo-cells", "ocean") + 5.0 < landed("monterrey-cells", "truck"));
    assert_eq!(by_id(sites, "ningbo-cells")["country"], "CN");
    assert_eq!(by_id(sites, "monterrey-cells")["country"], "MX");
    assert_eq!(by_id(sites, "saltillo-modules")["country"], "MX");
    assert_eq!(by_id(sites, "spartanburg-packs")["country"], "US");
    let hub = by_id(sites, "laredo-dc");
    assert_eq!((text(hub, "kind"), text(hub, "country")), ("hub", "US"));
    assert!(number(&hub["throughput"]) > 0.0);
    // Monterrey alone cannot make every cell in the peak month; with Ningbo it can.
    let cells_per_month = |id: &str| {
        let site = by_id(sites, id);
        number(&site["resources"]["formation"])
            / number(&site["products"]["pouch-cell"]["uses"]["formation"])
    };
    let demand = list(&data, "demand");
    let packs_peak = (0..12)
        .map(|t| {
            demand
                .iter()
                .filter(|d| d["product"] == "battery-pack")
                .map(|d| number(&list(d, "quantity")[t]))
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let cells_peak = packs_peak * 8.0 * 24.0;
    assert!(cells_per_month("monterrey-cells") < cells_peak);
    assert!(cells_per_month("monterrey-cells") + cells_per_month("ningbo-cells") > cells_peak);
    // Every transport mode, two pairs with two modes, capacities on the main lanes.
    let modes: BTreeSet<&str> = lanes.iter().map(|l| text(l, "mode")).collect();
    assert_eq!(modes, BTreeSet::from(["air", "ocean", "rail", "truck"]));
    let mut pairs: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for l in lanes {
        *pairs.entry((text(l, "from"), text(l, "to"))).or_default() += 1;
    }
    assert!(pairs.values().filter(|&&n| n == 2).count() >= 2);
    assert!(lanes.iter().filter(|l| l.get("capacity").is_some()).count() >= 8);
    let markets: BTreeSet<&str> = demand.iter().map(|d| text(d, "market")).collect();
    assert_eq!(
        markets,
        BTreeSet::from(["us-central", "us-east", "us-south"])
    );
}

// ---------------------------------------------------------------------------------------
// Loading and solving two-tier scenarios: these need the v2 loader, LP and verifier.

/// Solves `sc` with `backend` and returns the plan, checking it is optimal and
/// verified, and that every row of the hard value content rule is met.
fn solve_two_tier(sc: &Scenario, backend: &str, rule: &str) -> allyplan::plan::Plan {
    let plan = solve_with(sc, backend);
    let network = plan.network.as_ref().expect("a multi-tier plan");
    let rows: Vec<_> = network
        .value_content
        .iter()
        .filter(|r| r.policy == rule)
        .collect();
    assert!(
        !rows.is_empty(),
        "{backend}: no value content rows for {rule}"
    );
    for r in rows {
        assert!(r.met, "{backend}: {r:?}");
        if let Some(share) = r.share {
            assert!(share >= r.target - 1e-6, "{backend}: {r:?}");
        }
    }
    plan
}

#[test]
fn generated_two_tier_scenarios_are_valid_for_many_sizes_and_seeds() {
    for (i, &(s, p, m, t)) in [
        (5, 4, 1, 1),
        (5, 4, 2, 2),
        (6, 8, 3, 12),
        (9, 14, 13, 5),
        (40, 20, 8, 12),
    ]
    .iter()
    .enumerate()
    {
        for seed in [0, 1, 42 + i as u64, u64::MAX] {
            let dir = tempfile::tempdir().unwrap();
            two_tier(s, p, m, t, seed).write(dir.path()).unwrap();
            match allyplan::check(&dir.path().join(MODEL_FILE)) {
                Ok((sc, warnings)) => {
                    assert!(
                        warnings.is_empty(),
                        "{s}x{p}x{m}x{t} seed {seed}: warnings:\n{warnings}"
                    );
                    assert_eq!(
                        (sc.products.len(), sc.markets.len(), sc.n_periods()),
                        (p, m, t)
                    );
                    assert!(sc.demand.sum() > 0.0);
                }
                Err(e) => panic!("{s}x{p}x{m}x{t} seed {seed}: {e}"),
            }
        }
    }
}

/// A small generated two-tier scenario solves to the same verified optimum with the
/// built-in backends, meets the value content rule in every row, and serves nearly all
/// demand (its capacities are sized for it).
#[test]
fn a_small_two_tier_scenario_solves_and_meets_the_value_content_rule() {
    let dir = tempfile::tempdir().unwrap();
    two_tier(6, 8, 3, 12, 1).write(dir.path()).unwrap();
    let (sc, _) = allyplan::check(&dir.path().join(MODEL_FILE)).expect("valid");
    let microlp = solve_two_tier(&sc, "microlp", "usmca-rvc-75");
    let clarabel = solve_two_tier(&sc, "clarabel", "usmca-rvc-75");
    assert_rel(
        clarabel.objective.unwrap(),
        microlp.objective.unwrap(),
        "clarabel vs microlp",
    );
    assert!(microlp.kpis.as_ref().unwrap().fill_rate >= 0.99);
    if let Some(objective) = highspy_objective(&sc) {
        assert_rel(
            objective,
            microlp.objective.unwrap(),
            "highspy on the exported MPS vs allyplan",
        );
    }
}

/// The shipped example: valid, optimal and verified; the rule holds in every month;
/// Saltillo mixes Chinese and Mexican cells; the optimum agrees with an independent LP
/// of the same data written from DESIGN.md and solved with HiGHS (which reproduces
/// models/baseline.yaml and models/usmca-strict.yaml to the cent): 162,034,459.79, and
/// 157,085,955.92 without the rule.
#[test]
fn the_two_tier_example_mixes_origins_under_the_rule() {
    let model = repo().join("models/two-tier.yaml");
    let (sc, warnings) = allyplan::check(&model).expect("valid");
    assert!(warnings.is_empty(), "{warnings}");
    let plan = solve_two_tier(&sc, "clarabel", "usmca-rvc-75");
    assert!((plan.objective.unwrap() - 162_034_459.79).abs() <= 1e-6 * 162_034_459.79);
    let cells_from = |from: &str| -> f64 {
        plan.shipments
            .iter()
            .filter(|s| s.from == from && s.to == "saltillo-modules" && s.product == "pouch-cell")
            .map(|s| s.quantity)
            .sum()
    };
    let (chinese, mexican) = (cells_from("ningbo-cells"), cells_from("monterrey-cells"));
    assert!(
        chinese > 100_000.0 && mexican > 100_000.0,
        "{chinese} {mexican}"
    );
    assert!(mexican > 1.5 * chinese, "{chinese} {mexican}");
    assert!(plan.kpis.as_ref().unwrap().fill_rate >= 0.99);

    // Without the rule: cheaper, and more Chinese cells.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::copy(
        repo().join("data/two-tier.yaml"),
        dir.path().join("data/two-tier.yaml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(&model).unwrap();
    let start = text.find("  - name: usmca-rvc-75").unwrap();
    let end = start
        + text[start..]
            .find("  - name: monterrey-cells-contract")
            .unwrap();
    let free = dir.path().join("models/no-rule.yaml");
    std::fs::write(&free, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let (sc, _) = allyplan::check(&free).expect("valid");
    let unruled = solve_with(&sc, "clarabel");
    assert!((unruled.objective.unwrap() - 157_085_955.92).abs() <= 1e-6 * 157_085_955.92);
    let chinese_free: f64 = unruled
        .shipments
        .iter()
        .filter(|s| s.from == "ningbo-cells" && s.to == "saltillo-modules")
        .map(|s| s.quantity)
        .sum();
    assert!(chinese_free > 1.5 * chinese, "{chinese_free} vs {chinese}");
}

// ---------------------------------------------------------------------------------------
// Decisions over the horizon (`--decisions`): a MILP on top of the same scenario.

fn with_decisions(mut spec: Spec) -> Spec {
    spec.decisions = true;
    spec
}

fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Without `--decisions` the generator writes exactly what it wrote before decisions
/// existed (SHA-256 of each file, recorded then), one tier and two.
#[test]
fn without_decisions_the_files_are_those_of_before() {
    let one = generate(&spec(6, 3, 3, 12, 1)).unwrap();
    let two = two_tier(12, 8, 4, 12, 1);
    let recorded = [
        (
            &one,
            [
                "e9d7772039b17afebefb9aa4650efbe37038cdb295f4fd372c7a20341476f4b0",
                "b5fba899a1b01ed4a2fc8cbeea3442edc6125d419381375af631f702d2228569",
                "96f31d7d27758dad79cd454b6e38d1ad31a19366df22bb0ccd8a789df5250438",
            ],
        ),
        (
            &two,
            [
                "4659b55ea6c01663f49f1496cf14c96192e12077460e5fac4703f434d347bc14",
                "d6621ff917fb9071ce3514b777de37379299b2df423c8aa66dafa2ab41eea041",
                "424a7749848fe51ea3fab9c294841dbe7d9e46fb28f6658d0ba4f2838461c092",
            ],
        ),
    ];
    for (generated, hashes) in recorded {
        for ((name, text), hash) in generated.files().iter().zip(hashes) {
            assert_eq!(sha256(text), hash, "{} {name}", generated.name);
        }
    }
}

/// `--decisions` adds decisions to the same scenario: the demand is unchanged, the
/// network gains `open` (some sites closed at the start), fixed costs, expansions,
/// minimum runs and a contract, and every size and seed validates without a warning.
#[test]
fn decisions_are_added_to_the_same_scenario_and_validate() {
    let sizes = [(3, 2, 2, 3), (6, 3, 3, 12), (12, 6, 4, 24), (40, 20, 8, 12)];
    let two_tier_sizes = [(5, 4, 1, 2), (6, 8, 3, 12), (30, 16, 6, 24)];
    let cases = sizes
        .iter()
        .map(|&s| (1u8, s))
        .chain(two_tier_sizes.iter().map(|&s| (2u8, s)));
    for (tiers, (s, p, m, t)) in cases {
        for seed in [0, 1, u64::MAX] {
            let plain = spec(s, p, m, t, seed).generate(tiers).unwrap();
            let generated = with_decisions(spec(s, p, m, t, seed))
                .generate(tiers)
                .unwrap();
            let what = format!("{tiers} tier(s) {s}x{p}x{m}x{t} seed {seed}");
            assert_eq!(generated.demand, plain.demand, "{what}");
            assert_ne!(generated.network, plain.network, "{what}");
            assert!(generated.name.ends_with("-decisions"), "{what}");
            assert!(generated.model.contains(" --decisions`"), "{what}");
            let dir = tempfile::tempdir().unwrap();
            generated.write(dir.path()).unwrap();
            let sc = match allyplan::check(&dir.path().join(MODEL_FILE)) {
                Ok((sc, warnings)) => {
                    assert!(warnings.is_empty(), "{what}: warnings:\n{warnings}");
                    sc
                }
                Err(e) => panic!("{what}: {e}"),
            };
            let d = &sc.decisions;
            assert!(d.has_integers(), "{what}");
            let expansions = if s >= 10 { 2 } else { 1 };
            assert_eq!(d.expansions.len(), expansions, "{what}");
            for e in &d.expansions {
                assert!(e.capacity > 0.0 && e.cost > 0.0 && e.integer, "{what}");
                assert!(e.from < t, "{what}");
            }
            let open: Vec<_> = d.open.iter().flatten().collect();
            assert_eq!(open.len(), (s / 5).max(1), "{what}");
            assert!(
                open.iter().any(|o| !o.initially),
                "{what}: none starts closed"
            );
            assert!(open.iter().all(|o| o.opening_cost > 0.0), "{what}");
            assert!(d.fixed_cost.iter().any(|&c| c > 0.0), "{what}");
            assert!(d.min_run.iter().any(Option::is_some), "{what}");
            // A contract with an overseas site, its minimum priced (never hard).
            assert_eq!(d.contracts.len(), 1, "{what}");
            let c = &d.contracts[0];
            let country = sc.sites[c.site].country.as_str();
            assert!(!["US", "MX", "CA"].contains(&country), "{what}: {country}");
            assert!(c.shortfall_cost.is_some_and(|x| x > 0.0), "{what}");
            assert!(c.max.is_some_and(|max| max >= c.min), "{what}");
        }
    }
}

/// A small scenario with decisions, one tier and two, solves with HiGHS to a verified
/// optimal plan within the MIP gap, and opens the site that starts closed (the network
/// was sized with it).
#[cfg(feature = "highs")]
#[test]
fn small_scenarios_with_decisions_solve_to_verified_plans() {
    for (tiers, (s, p, m, t)) in [(1u8, (6, 3, 3, 12)), (2, (5, 4, 2, 6))] {
        let generated = with_decisions(spec(s, p, m, t, 1)).generate(tiers).unwrap();
        let dir = tempfile::tempdir().unwrap();
        generated.write(dir.path()).unwrap();
        let (sc, _) = allyplan::check(&dir.path().join(MODEL_FILE)).expect("valid");
        let plan = solve_with(&sc, "highs");
        let d = plan.decisions.as_ref().expect("a decisions block");
        let mip = d.mip.expect("a MIP search");
        assert!(mip.gap <= mip.target_gap, "{mip:?}");
        assert!(
            plan.objective.unwrap() >= mip.bound - 1e-6 * mip.bound.abs(),
            "{mip:?}"
        );
        let closed: Vec<&str> = sc
            .decisions
            .open
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_some_and(|o| !o.initially))
            .map(|(i, _)| sc.sites[i].id.as_str())
            .collect();
        for site in closed {
            assert!(
                d.timeline
                    .iter()
                    .any(|e| e.site == site && e.action == "open"),
                "{}: {site} never opens: {:?}",
                generated.name,
                d.timeline
            );
        }
        assert_eq!(d.contracts.len(), 1);
        let c = &d.contracts[0];
        assert_rel(c.shipped + c.shortfall, c.min.max(c.shipped), "contract");
    }
}

/// `generate --decisions` writes the library's files.
#[test]
fn the_command_writes_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    Cli::cargo_bin("allyplan")
        .unwrap()
        .args(["-q", "generate", "--sites", "5", "--products", "4"])
        .args([
            "--markets",
            "2",
            "--periods",
            "6",
            "--seed",
            "9",
            "--decisions",
        ])
        .args(["--tiers", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let expected = with_decisions(spec(5, 4, 2, 6, 9)).generate(2).unwrap();
    for (name, text) in expected.files() {
        assert_eq!(
            std::fs::read_to_string(out.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
}
