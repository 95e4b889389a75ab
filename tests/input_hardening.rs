//! Input hardening: inputs built to make parsing slow, output folders that collide, and
//! the smaller rules of the input (numbers in messages, overrides, symlinks, snippets).
//!
//! The timing test compares two runs of one input at two sizes (a cost that grows with
//! the square of the size shows as a ratio near 4); it never compares against a fixed
//! time, so a slow or busy machine does not fail it.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use allyplan::limits::MAX_YAML_DEPTH;

use common::hostile::{assert_rejected, project, run, DATA};
use common::stderr;

/// The quickest of three runs of `validate` on `dir`, and the last run's output.
fn timed_validate(dir: &Path) -> (Duration, Output) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let start = Instant::now();
        let o = run(dir, &["validate", "model.yaml"]);
        best = best.min(start.elapsed());
        last = Some(o);
    }
    (best, last.expect("three runs"))
}

#[test]
fn deep_one_line_flow_nesting_is_refused_in_linear_time() {
    // `[[[[…US…]]]]` on one line: every open bracket may still start a key, and YAML
    // scanners re-check all of them at every token, so the parse was quadratic.
    let deep = |levels: usize| {
        project(
            &format!(
                "blocs:\n  deep: {}US{}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
            DATA,
        )
    };
    let (small, big) = (deep(15_000), deep(30_000));
    let (t_small, o_small) = timed_validate(small.path());
    let (t_big, o_big) = timed_validate(big.path());
    // The bracket one past the limit: `  deep: ` is 8 characters.
    let expected = format!(
        "model.yaml:4:{}: error: lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep here (allyplan's files need at most 6)\n\
         1 error(s), 0 warning(s): input is not valid\n",
        8 + MAX_YAML_DEPTH + 1
    );
    // Twice the input may cost twice the work, never four times (with room for noise:
    // both runs take milliseconds once the depth is checked first).
    assert!(
        t_big <= t_small * 5 / 2 + Duration::from_millis(300),
        "30,000 levels took {t_big:?}, 15,000 took {t_small:?}: the work grows faster than the input"
    );
    for o in [&o_small, &o_big] {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
        assert_eq!(stderr(o), expected);
    }
}

#[test]
fn deep_flow_mappings_and_a_megabyte_of_brackets_are_refused_quickly() {
    let levels = 500_000;
    let dir = project(
        &format!(
            "blocs:\n  deep: {}x{}\n",
            "{a: ".repeat(levels),
            "}".repeat(levels)
        ),
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(
        &o,
        &format!("lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep here"),
    );
}

#[test]
fn brackets_inside_quotes_comments_and_block_text_are_not_nesting() {
    let deep = "[".repeat(200);
    let dir = project(
        &format!(
            "blocs:\n  usmca: [US, MX, \"{deep}\", '{deep}'] # {deep}\ndescription: |\n  {deep}\n  {deep}\n"
        ),
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    let err = stderr(&o);
    assert!(!err.contains("nested more than"), "{err}");
}

#[test]
fn folder_names_keep_unicode_letters_and_never_merge_two_names() {
    use allyplan::safe_folder_name;
    assert_eq!(safe_folder_name("plan-東京"), "plan-東京");
    assert_eq!(safe_folder_name("Zürich_2027.v2"), "Zürich_2027.v2");
    // Names that had to be changed carry a short hash of the original, so two names
    // that clean to the same text still get two folders.
    let pairs = [
        ("a/b", "a_b"),
        ("a b", "a_b"),
        ("plan\u{202e}x", "planx"),
        (".hidden", "hidden"),
        ("..", "model"),
    ];
    for (x, y) in pairs {
        assert_ne!(safe_folder_name(x), safe_folder_name(y), "{x:?} and {y:?}");
    }
    for name in [
        "plan\u{202e}x",
        "a\u{0}b",
        "../../x",
        "..",
        ".x",
        "x\u{2066}",
    ] {
        let safe = safe_folder_name(name);
        assert!(
            !safe.starts_with('.')
                && safe != ".."
                && !safe.contains(['/', '\\'])
                && !safe.chars().any(|c| c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{name:?} → {safe:?}"
        );
    }
    // A 256-character id in a three-byte script still fits a file name (255 bytes).
    let long = "東".repeat(256);
    assert!(safe_folder_name(&long).len() <= 255);
    assert_ne!(safe_folder_name(&long), safe_folder_name(&"東".repeat(255)));
}

#[test]
fn two_models_with_non_latin_names_get_two_default_folders() {
    let dir = project("", DATA);
    let model = fs::read_to_string(dir.path().join("model.yaml")).expect("model.yaml");
    for (file, name) in [("tokyo.yaml", "plan-東京"), ("osaka.yaml", "plan-大阪")] {
        fs::write(
            dir.path().join(file),
            model.replace("name: limits", &format!("name: {name}")),
        )
        .expect("write model");
        let o = run(dir.path(), &["solve", file, "--no-explain"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for name in ["plan-東京", "plan-大阪"] {
        let plan = dir.path().join("out").join(name).join("plan.json");
        let text = fs::read_to_string(&plan).unwrap_or_else(|e| panic!("{}: {e}", plan.display()));
        assert!(
            text.contains(name),
            "{} holds another model's plan",
            plan.display()
        );
    }
}

#[test]
fn batch_entries_whose_names_clean_alike_get_distinct_folders() {
    let spec = |name: &str| allyplan::entries::EntrySpec {
        name: Some(name.to_string()),
        model: "m.yaml".into(),
        overrides: allyplan::Overrides::default(),
        params: Vec::new(),
    };
    let entries = allyplan::entries::name_entries(
        ["plan-東京", "plan-大阪", "a/b", "a_b", "a b"]
            .map(spec)
            .into(),
    );
    let mut names: Vec<String> = entries.iter().map(|e| e.name.to_lowercase()).collect();
    assert_eq!(entries[0].name, "plan-東京");
    assert_eq!(entries[1].name, "plan-大阪");
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 5, "{entries:?}");
}

#[test]
fn tiny_and_huge_numbers_are_printed_in_a_sane_form() {
    let dir = project("", DATA);
    let o = run(dir.path(), &["solve", "model.yaml", "--time-limit=-1e-300"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("found -1e-300\n"), "{}", stderr(&o));
    let dir = project(
        "policies:\n  - {kind: max_country_share, max_share: -1e-300}\n",
        DATA,
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    assert_rejected(&o, "must be a share between 0 and 1, found -1e-300\n");
}

#[test]
fn an_output_folder_under_a_file_names_the_file_in_the_way() {
    let dir = project("", DATA);
    fs::write(dir.path().join("afile"), "not a folder").expect("write afile");
    for out in ["afile/sub", "afile/sub/deeper"] {
        let o = run(
            dir.path(),
            &["solve", "model.yaml", "--no-explain", "--out", out],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!("error: {out}: `afile` is a file, not a folder\n")
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("afile")).expect("afile"),
        "not a folder"
    );
}

#[test]
fn an_over_long_key_is_refused_by_its_length_however_long() {
    use allyplan::limits::MAX_KEY_CHARS;
    // 300 characters pass the YAML scanners; 10 million used to fail inside them
    // ("could not find expected ':'") before the key's length was looked at.
    for (chars, shown) in [(300, "300"), (10_000_000, "10,000,000")] {
        for (extra, line, column) in [
            (format!("blocs:\n  {}: [US]\n", "k".repeat(chars)), 4, 3),
            (format!("{}: 1\n", "k".repeat(chars)), 3, 1),
            (format!("blocs: {{{}: [US]}}\n", "k".repeat(chars)), 3, 9),
        ] {
            let dir = project(&extra, DATA);
            let o = run(dir.path(), &["validate", "model.yaml"]);
            assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
            assert_eq!(
                stderr(&o),
                format!(
                    "model.yaml:{line}:{column}: error: a key of {shown} characters; keys and ids may have at most {MAX_KEY_CHARS}\n\
                     1 error(s), 0 warning(s): input is not valid\n"
                ),
                "{chars} characters at {line}:{column}"
            );
        }
    }
}

/// `proj/models/model.yaml` reading `../data.yaml` (the project folder is `proj`), and a
/// folder `outside` beside `proj`.
#[cfg(unix)]
fn linked_project(data_link: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    for folder in ["proj/models", "proj/shared", "outside"] {
        fs::create_dir_all(root.join(folder)).expect("create folder");
    }
    fs::write(
        root.join("proj/models/model.yaml"),
        "name: links\ndata: [../data.yaml]\n",
    )
    .expect("write model");
    std::os::unix::fs::symlink(data_link, root.join("proj/data.yaml")).expect("symlink");
    dir
}

#[cfg(unix)]
#[test]
fn data_links_that_leave_the_project_are_refused_unless_allowed() {
    use common::hostile::run_env;
    let secret = "SECRET-TOKEN root:x:0:0 and more of a file that is not allyplan's";
    let dir = linked_project("../outside/secret.yaml");
    fs::write(dir.path().join("outside/secret.yaml"), secret).expect("write secret");
    let validate =
        |env: &[(&str, &str)]| run_env(dir.path(), &["validate", "proj/models/model.yaml"], env);

    let o = validate(&[]);
    assert_rejected(&o, "proj/models/model.yaml:2:8: error: data[0]: data file `../data.yaml` is a symbolic link (or lies under one) that leads outside the project folder");
    assert!(
        stderr(&o).contains("ALLYPLAN_ALLOW_LINKS=1"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("SECRET"), "{}", stderr(&o));

    // Allowed, the link is followed, and a file that is not valid input is still not
    // echoed.
    let o = validate(&[("ALLYPLAN_ALLOW_LINKS", "1")]);
    assert_rejected(
        &o,
        "proj/data.yaml:1:1: error: expected a mapping (key: value), found text\n",
    );
    assert!(!stderr(&o).contains("SECRET"), "{}", stderr(&o));
    fs::write(dir.path().join("outside/secret.yaml"), DATA).expect("write data");
    let o = validate(&[("ALLYPLAN_ALLOW_LINKS", "1")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        validate(&[("ALLYPLAN_ALLOW_LINKS", "0")]).status.code(),
        Some(2)
    );

    // A link that stays inside the project needs no permission.
    let dir = linked_project("shared/data.yaml");
    fs::write(dir.path().join("proj/shared/data.yaml"), DATA).expect("write data");
    let o = run(dir.path(), &["validate", "proj/models/model.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn quoted_text_in_messages_is_cut_at_80_characters() {
    let long = "x".repeat(200);
    let dir = project(
        &format!("policies:\n  - {{kind: {long}}}\n"),
        &DATA.replace("capacity: 1000", &format!("capacity: {long}")),
    );
    let o = run(dir.path(), &["validate", "model.yaml"]);
    let cut = format!("{}…", "x".repeat(80));
    assert_rejected(
        &o,
        &format!("sites[0].capacity: expected a number, found text \"{cut}\"\n"),
    );
    assert!(stderr(&o).contains(&format!("`{cut}`")), "{}", stderr(&o));
    assert!(!stderr(&o).contains(&"x".repeat(81)), "{}", stderr(&o));
}
