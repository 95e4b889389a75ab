//! Output folders never lose data: allyplan replaces only a folder it wrote itself (its
//! manifest lists every file), follows a symlinked `--out` to the real folder, writes every
//! output folder under the same lock and in one step, and follows the umask.

mod common;

use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use common::{allyplan, repo, stderr};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs the binary under a given umask.
fn with_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_allyplan"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

/// Every entry of a folder (names, sorted), hidden ones included.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Item 1: a stray `plan.json` does not make a folder allyplan's.
#[test]
fn a_folder_with_a_foreign_plan_json_is_not_replaced() {
    let root = tempfile::tempdir().unwrap();
    let infra = root.path().join("infra");
    std::fs::create_dir(&infra).unwrap();
    std::fs::write(infra.join("plan.json"), "{\"format_version\":\"1.2\"}\n").unwrap();
    std::fs::write(infra.join("main.tf"), "resource {}\n").unwrap();
    std::fs::create_dir(infra.join("modules")).unwrap();
    std::fs::write(infra.join("modules/vpc.tf"), "module {}\n").unwrap();
    let out = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&infra),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not an allyplan output folder"), "{err}");
    assert!(err.contains("infra"), "{err}");
    assert!(err.contains("main.tf") || err.contains("modules"), "{err}");
    assert_eq!(
        std::fs::read_to_string(infra.join("main.tf")).unwrap(),
        "resource {}\n"
    );
    assert!(infra.join("modules/vpc.tf").exists());
    assert_eq!(
        std::fs::read_to_string(infra.join("plan.json")).unwrap(),
        "{\"format_version\":\"1.2\"}\n"
    );
}

/// Item 1: allyplan's own folder is replaced; once a file of someone else's is added to
/// it, it is refused, and that file stays.
#[test]
fn an_own_folder_is_replaced_until_a_foreign_file_is_added() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("plan");
    let first = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&dir),
        "-q",
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(dir.join(".allyplan-manifest").is_file());
    let again = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&dir),
        "-q",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    std::fs::write(dir.join("notes.md"), "mine").unwrap();
    let refused = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&dir),
        "-q",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("notes.md"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.md")).unwrap(),
        "mine"
    );
    // An empty folder is fine.
    let empty = root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let ok = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&empty),
        "-q",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

/// Item 1, for the other commands that write folders: none deletes or overwrites a file
/// it did not write.
#[test]
fn no_command_writes_into_a_foreign_folder() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    let o = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&plan),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let foreign = root.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("report.md"), "mine").unwrap();
    let plan_file = plan.join("plan.json");
    let runs: Vec<Vec<&str>> = vec![
        vec!["report", s(&plan_file), "--out", s(&foreign)],
        vec![
            "report",
            s(&plan_file),
            "--format",
            "md",
            "--out",
            s(&foreign),
        ],
        vec!["compare", s(&plan), s(&plan), "--out", s(&foreign)],
        vec!["generate", "--out", s(&foreign)],
    ];
    for args in runs {
        let o = allyplan(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(names(&foreign), ["report.md"], "{args:?}");
        assert_eq!(
            std::fs::read_to_string(foreign.join("report.md")).unwrap(),
            "mine"
        );
    }
}

/// Item 2: `--out` through a symlink writes into the folder it points to, and the link
/// stays a link.
#[test]
fn out_through_a_symlink_writes_the_real_folder() {
    let root = tempfile::tempdir().unwrap();
    let real = root.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = root.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for _ in 0..2 {
        let o = allyplan(&[
            "solve",
            "tests/fixtures/trnsport/model.yaml",
            "--out",
            s(&link),
            "-q",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced"
        );
        assert!(
            real.join("plan.json").is_file(),
            "the target was not written"
        );
    }
    // The lock names the real folder, whichever path was given.
    assert!(root.path().join(".real.lock").exists());
    assert!(!root.path().join(".link.lock").exists());
    // A link to a folder that does not exist yet: the folder is made where it points.
    let later = root.path().join("later");
    let link2 = root.path().join("link2");
    std::os::unix::fs::symlink(&later, &link2).unwrap();
    let o = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&link2),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(later.join("plan.json").is_file());
    assert!(std::fs::symlink_metadata(&link2)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Item 3: every command that writes a folder takes the folder's lock.
#[test]
fn every_folder_writer_takes_the_lock() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    let o = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&plan),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan_file = plan.join("plan.json");
    let batch = root.path().join("batch");
    let o = allyplan(&[
        "batch",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&batch),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = root.path().join("out");
    let runs: Vec<Vec<&str>> = vec![
        vec!["report", s(&plan_file), "--out", s(&out)],
        vec!["compare", s(&plan), s(&plan), "--out", s(&out)],
        vec!["generate", "--out", s(&out)],
        vec![
            "batch",
            "tests/fixtures/trnsport/model.yaml",
            "--out",
            s(&out),
        ],
        vec!["merge", s(&batch), "--out", s(&out)],
    ];
    let lock = File::create(root.path().join(".out.lock")).unwrap();
    lock.try_lock().unwrap();
    for args in &runs {
        let o = allyplan(args);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(
            stderr(&o).contains("another allyplan run is writing"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!out.exists(), "{args:?} wrote while the lock was held");
    }
    // Re-rendering into the plan's own folder takes that folder's lock.
    let held = File::create(root.path().join(".plan.lock")).unwrap();
    held.try_lock().unwrap();
    let o = allyplan(&["report", s(&plan_file)]);
    assert!(
        stderr(&o).contains("another allyplan run is writing"),
        "{}",
        stderr(&o)
    );
}

/// Item 3: `report` killed mid-write leaves the previous folder whole, with no stray
/// temporary files.
#[test]
fn a_killed_report_leaves_the_folder_whole() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    let o = allyplan(&[
        "solve",
        "tests/fixtures/trnsport/model.yaml",
        "--out",
        s(&plan),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let other = root.path().join("other");
    let o = allyplan(&["solve", "models/baseline.yaml", "--out", s(&other), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before: Vec<(String, Vec<u8>)> = names(&other)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(other.join(&n)).unwrap()))
        .collect();
    for args in [
        vec!["report", s(&plan), "--out", s(&other)],
        vec![
            "report",
            s(&plan),
            "--format",
            "md,html",
            "--out",
            s(&other),
        ],
        vec!["report", s(&other)],
    ] {
        let killed = Command::new(env!("CARGO_BIN_EXE_allyplan"))
            .args(&args)
            .current_dir(repo())
            .env(allyplan::FAULT_AFTER_FILES, "1")
            .output()
            .unwrap();
        assert!(killed.status.code().is_none(), "{args:?} was not aborted");
        let after: Vec<(String, Vec<u8>)> = names(&other)
            .into_iter()
            .map(|n| (n.clone(), std::fs::read(other.join(&n)).unwrap()))
            .collect();
        assert!(before == after, "{args:?} changed the folder");
        let stray: Vec<String> = names(root.path())
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
    let o = allyplan(&["report", s(&plan), "--out", s(&other), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(other.join("plan.json")).unwrap(),
        std::fs::read(plan.join("plan.json")).unwrap()
    );
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Item 4: files and folders follow the umask, for every command.
#[test]
fn files_and_folders_follow_the_umask() {
    for (umask, file_mode, dir_mode) in [("022", 0o644, 0o755), ("077", 0o600, 0o700)] {
        let root = tempfile::tempdir().unwrap();
        let r = |name: &str| root.path().join(name);
        let plan = r("plan");
        let model = r("gen").join("model.yaml");
        let runs: Vec<Vec<String>> = vec![
            vec![
                "solve",
                "tests/fixtures/trnsport/model.yaml",
                "--out",
                s(&plan),
            ],
            vec!["report", s(&plan), "--out", s(&r("report"))],
            vec!["report", s(&plan), "--format", "md", "--out", s(&r("md"))],
            vec!["report", s(&plan)],
            vec!["compare", s(&plan), s(&plan), "--out", s(&r("compare"))],
            vec!["generate", "--out", s(&r("gen"))],
            vec![
                "export",
                "tests/fixtures/trnsport/model.yaml",
                "-o",
                s(&r("lp/m.lp")),
            ],
            vec![
                "batch",
                "tests/fixtures/trnsport/model.yaml",
                "--out",
                s(&r("batch")),
            ],
            vec!["merge", s(&r("batch")), "--out", s(&r("merged"))],
            vec!["solve", s(&model), "--out", s(&r("genplan"))],
        ]
        .into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect();
        for args in &runs {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            args.push("-q");
            let o = with_umask(umask, &args);
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        }
        let mut checked = 0;
        let mut stack = vec![root.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.file_name().unwrap().to_string_lossy().ends_with(".lock") {
                    continue;
                }
                if p.is_dir() {
                    assert_eq!(mode(&p), dir_mode, "umask {umask}: {}", p.display());
                    stack.push(p);
                } else {
                    assert_eq!(mode(&p), file_mode, "umask {umask}: {}", p.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 30, "{checked} files checked");
    }
}
