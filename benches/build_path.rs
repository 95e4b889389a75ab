//! The build path on generated scenarios: load + validate, LP construction, and verify +
//! plan assembly (on a plan that leaves all demand unmet: the verifier's work does not
//! depend on the values). Solving is measured by `scripts/bench.py`, against HiGHS.
//!
//! `cargo bench --bench build_path` (a few minutes); `ALLYPLAN_BENCH_SIZES=small` keeps to
//! the two smaller sizes.

use std::path::PathBuf;
use std::time::Duration;

use allyplan::plan::Metadata;
use allyplan::verify;
use allyplan::Allocation;
use allyplan::{build, VarKey};
use allyplan::{generate, Spec, MODEL_FILE};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SIZES: &[(usize, usize, usize, usize)] = &[(6, 3, 3, 12), (40, 20, 8, 12), (100, 50, 8, 24)];

fn sizes() -> &'static [(usize, usize, usize, usize)] {
    match std::env::var("ALLYPLAN_BENCH_SIZES").as_deref() {
        Ok("small") => &SIZES[..2],
        _ => SIZES,
    }
}

/// Writes a generated scenario into a temporary folder; returns the folder (kept alive)
/// and the model path.
fn scenario_files(size: (usize, usize, usize, usize)) -> (tempfile::TempDir, PathBuf) {
    let (sites, products, markets, periods) = size;
    let spec = Spec {
        sites,
        products,
        markets,
        periods,
        seed: 1,
        decisions: false,
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    generate(&spec)
        .expect("generate")
        .write(dir.path())
        .expect("write the scenario");
    let model = dir.path().join(MODEL_FILE);
    (dir, model)
}

fn label(size: (usize, usize, usize, usize)) -> String {
    format!("{}x{}x{}x{}", size.0, size.1, size.2, size.3)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("build_path");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for &size in sizes() {
        let (_dir, model_path) = scenario_files(size);
        let (sc, _) = allyplan::check(&model_path).expect("a valid scenario");
        let model = build(&sc);
        let name = label(size);
        group.throughput(Throughput::Elements(model.lp.n_nonzeros() as u64));

        group.bench_with_input(
            BenchmarkId::new("load_validate", &name),
            &model_path,
            |b, p| b.iter(|| allyplan::check(p).expect("valid")),
        );
        group.bench_with_input(BenchmarkId::new("build", &name), &sc, |b, sc| {
            b.iter(|| build(sc))
        });

        // A point that leaves all demand unmet.
        let values: Vec<f64> = model
            .lp
            .columns
            .iter()
            .map(|c| match c.key {
                VarKey::Unmet { market, product, t } => sc.demand[[market, product, t]],
                _ => 0.0,
            })
            .collect();
        group.bench_function(BenchmarkId::new("verify_plan", &name), |b| {
            b.iter(|| {
                let allocation = Allocation::from_solution(&sc, &model, &values);
                let objective = model.lp.objective_of(&values);
                let verification = verify(&sc, &allocation, objective);
                allyplan::plan_from_solution(
                    &sc,
                    &model,
                    &values,
                    &allocation,
                    verification,
                    Metadata::default(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
