//! Text from a file or a file name never reaches a terminal, a CSV, Markdown or HTML file
//! raw, whatever its source: a model named after its file, a tampered plan.json, a
//! tampered batch summary. Escape sequences arrive written as `\u{1b}`.

mod common;

use std::fs;
use std::path::Path;

use common::hostile::{project, run, DATA};
use common::stderr;

const ESC: char = '\u{1b}';

/// Every file under `dir`, read as text (lossy), with its name.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(texts(&path));
        } else {
            let bytes = fs::read(&path).unwrap();
            out.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    out
}

#[track_caller]
fn assert_no_raw_escape(what: &str, text: &str) {
    assert!(
        !text.contains(ESC) && !text.contains('\u{9b}'),
        "{what} holds a raw escape sequence:\n{text}"
    );
}

#[test]
fn a_model_named_after_its_file_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let model = format!("plan{ESC}[31mred{ESC}]0;owned\u{7}.yaml");
    fs::write(dir.path().join(&model), "data: [data.yaml]\n").unwrap();
    fs::write(dir.path().join("data.yaml"), DATA).unwrap();
    let o = run(dir.path(), &["solve", &model, "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_no_raw_escape("stderr", &stderr(&o));
    assert_no_raw_escape("stdout", &String::from_utf8_lossy(&o.stdout));
    assert!(stderr(&o).contains("\\u{1b}[31mred"), "{}", stderr(&o));
    for (name, text) in texts(&dir.path().join("out")) {
        if name.ends_with(".md") || name.ends_with(".html") || name.ends_with(".csv") {
            assert_no_raw_escape(&name, &text);
        }
    }
}

#[test]
fn a_tampered_plan_is_escaped_in_every_document_and_on_the_terminal() {
    // A small valid project whose model is named `limits`.
    let dir = project("", DATA);
    let o = run(dir.path(), &["solve", "model.yaml", "--out", "solved"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Someone edits the plan: escape sequences in the model name and a site id.
    let plan = fs::read_to_string(dir.path().join("solved/plan.json")).unwrap();
    let tampered = plan
        .replace("\"limits\"", "\"limits\\u001b[2J\\u001b[1;1H\"")
        .replace("\"plant\"", "\"pl\\u001b[31mant\"");
    assert_ne!(tampered, plan);
    fs::create_dir(dir.path().join("copy")).unwrap();
    fs::write(dir.path().join("copy/plan.json"), tampered).unwrap();

    let copy = dir.path().join("copy/plan.json");
    let o = run(
        dir.path(),
        &["report", copy.to_str().unwrap(), "--out", "reports"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_no_raw_escape("stderr", &stderr(&o));
    let reports = texts(&dir.path().join("reports"));
    assert!(reports.iter().any(|(n, _)| n.ends_with("report.html")));
    for (name, text) in reports {
        if !name.ends_with(".json") {
            assert_no_raw_escape(&name, &text);
        }
    }

    let o = run(
        dir.path(),
        &[
            "compare",
            dir.path().join("solved/plan.json").to_str().unwrap(),
            copy.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_no_raw_escape("compare stdout", &String::from_utf8_lossy(&o.stdout));
    assert_no_raw_escape("compare stderr", &stderr(&o));
}

#[test]
fn a_tampered_summary_is_escaped_when_merged() {
    // A small valid project whose model is named `limits`.
    let dir = project("", DATA);
    let o = run(dir.path(), &["batch", "model.yaml", "--out", "run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = dir.path().join("run/summary.json");
    let text = fs::read_to_string(&summary).unwrap();
    let tampered = text.replace("\"limits\"", "\"lim\\u001b[31mits\"");
    assert_ne!(tampered, text);
    fs::create_dir(dir.path().join("shard")).unwrap();
    fs::write(dir.path().join("shard/summary.json"), tampered).unwrap();

    let o = run(
        dir.path(),
        &[
            "merge",
            dir.path().join("shard").to_str().unwrap(),
            "--out",
            "merged",
        ],
    );
    assert_no_raw_escape("stderr", &stderr(&o));
    assert_no_raw_escape("stdout", &String::from_utf8_lossy(&o.stdout));
    if dir.path().join("merged").exists() {
        for (name, text) in texts(&dir.path().join("merged")) {
            if !name.ends_with(".json") {
                assert_no_raw_escape(&name, &text);
            }
        }
    }
}
