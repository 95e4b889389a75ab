//! Snapshot tests of `report.md`: the Markdown a planner reads is compared byte for byte
//! with the files under `tests/snapshots/`. Models with a unique optimum only, so the
//! snapshot does not depend on which optimal vertex a solver lands on.
//! `ALLYPLAN_BLESS=1 cargo test --test markdown_snapshots` rewrites them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(model: &str, snapshot: &str, exit: i32) {
    check_with(model, snapshot, exit, "microlp", &|text| text.to_string());
}

/// The MIP line with its node count, which may differ between machines, as `N nodes`.
#[cfg(feature = "highs")]
fn mask_nodes(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match line.split_once(" node") {
            Some((head, tail)) if line.starts_with("MIP: ") => {
                let head = head.rsplit_once(' ').map_or("", |(h, _)| h);
                let tail = tail.strip_prefix('s').unwrap_or(tail);
                out.push_str(&format!("{head} N nodes{tail}"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn check_with(model: &str, snapshot: &str, exit: i32, solver: &str, mask: &dyn Fn(&str) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_allyplan"))
        .args([
            "solve",
            model,
            // The same backend in every build (the pure-Rust one too), so the snapshot is
            // the same whatever `auto` would pick.
            "--solver",
            solver,
            "--out",
            dir.path().join("plan").to_str().unwrap(),
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(exit),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actual = mask(&std::fs::read_to_string(dir.path().join("plan/report.md")).unwrap());
    let path = repo().join("tests/snapshots").join(snapshot);
    if std::env::var("ALLYPLAN_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing; run with ALLYPLAN_BLESS=1", path.display()));
    if actual != expected {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  - {e}\n  + {a}", i + 1))
            .collect();
        panic!(
            "{} differs from {} ({} vs {} lines):\n{}",
            model,
            Path::new(snapshot).display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// Dantzig's trnsport with the tie between the canneries broken (see the fixture): the
/// shipped trnsport has a range of optima, and a snapshot must not depend on the vertex.
#[test]
fn trnsport_report() {
    check(
        "tests/fixtures/trnsport-unique/model.yaml",
        "trnsport-unique.report.md",
        0,
    );
}

/// A multi-tier plan: the value-content case through a hub, whose optimum is unique
/// (tests/fixtures/v2/README.md, "rvc-hand-hub"): the network, value content and its
/// sources, throughput and the shadow price of a point of value content.
#[test]
fn value_content_through_a_hub_report() {
    check(
        "tests/fixtures/v2/rvc-hand-hub/model.yaml",
        "rvc-hand-hub.report.md",
        0,
    );
}

/// An integer model (tests/fixtures/decisions/smoke: optimum $4,820, unique): the
/// decisions section, its findings and the basis of the shadow prices. Integer models
/// need HiGHS; the node count is masked.
#[cfg(feature = "highs")]
#[test]
fn decisions_report() {
    check_with(
        "tests/fixtures/decisions/smoke/model.yaml",
        "decisions-smoke.report.md",
        0,
        "highs",
        &mask_nodes,
    );
}

#[test]
fn sailco_report() {
    check("tests/fixtures/sailco/model.yaml", "sailco.report.md", 0);
}

#[test]
fn infeasible_report() {
    check(
        "tests/fixtures/infeasible-site-volume/model.yaml",
        "infeasible-site-volume.report.md",
        3,
    );
}
