//! The explanation of an infeasible model for a terminal: the verdict, the conflicting
//! rules, and what each would have to give (the largest few per rule).

use std::fmt::Write;

use crate::plan::{Explanation, Finding, Member};

/// Findings shown per group; the JSON has them all.
const SHOWN_PER_GROUP: usize = 5;
/// The group kinds of an explanation's physical limits (`crate::explain::CAPACITY` and
/// `STORAGE`): every site's capacity rows, every site's storage rows.
const CAPACITY: &str = "capacity";
const STORAGE: &str = "storage";
const RESOURCES: &str = "resources";
const LANES: &str = "lane capacity";
const THROUGHPUT: &str = "throughput";
const END_STOCK: &str = "end stock";
const CONTRACTS: &str = "contracts";

/// The explanation for a terminal: the verdict, the conflicting rules, and what each
/// would have to give (the largest few per rule).
pub fn render_text(explanation: &Explanation) -> String {
    let e = explanation;
    let mut out = String::new();
    if e.feasible {
        let _ = writeln!(out, "{}: {}; nothing to explain.", e.model, e.summary);
        for note in &e.notes {
            let _ = writeln!(out, "note: {note}");
        }
        return out;
    }
    let _ = writeln!(out, "{}: the model is infeasible.", e.model);
    let _ = writeln!(out);
    if e.members.len() == 1 {
        let _ = writeln!(
            out,
            "This limit cannot hold, whatever the other rules allow:"
        );
    } else {
        let _ = writeln!(
            out,
            "These {} rules conflict (a minimal set: giving up any one of them resolves the conflict):",
            e.members.len()
        );
    }
    for m in &e.members {
        let _ = writeln!(out, "  - {}", describe_member(m));
    }
    let _ = writeln!(out);
    let each = if e.members.len() == 1 { "it" } else { "each" };
    let _ = writeln!(
        out,
        "What {each} would have to give, every other rule held:"
    );
    for m in &e.members {
        let mine: Vec<&Finding> = e.findings.iter().filter(|f| f.group == m.name).collect();
        for f in mine.iter().take(SHOWN_PER_GROUP) {
            let _ = writeln!(out, "  - {}", f.sentence);
        }
        if mine.len() > SHOWN_PER_GROUP {
            let _ = writeln!(
                out,
                "    … and {} more places for '{}' (all of them in the JSON output)",
                mine.len() - SHOWN_PER_GROUP,
                m.name
            );
        }
    }
    if !e.notes.is_empty() {
        let _ = writeln!(out);
        for note in &e.notes {
            let _ = writeln!(out, "note: {note}");
        }
    }
    out
}

fn describe_member(m: &Member) -> String {
    let what = match m.kind.as_str() {
        CAPACITY => "capacity: regular and overtime hours of every site".to_string(),
        STORAGE => "storage: inventory room of every site".to_string(),
        RESOURCES => "resources: the named resources of every site".to_string(),
        LANES => "lane capacity: what every lane with a capacity can carry".to_string(),
        THROUGHPUT => {
            "throughput: what every hub (and site with a throughput) can take in".to_string()
        }
        END_STOCK => "end stock: the stock every site must hold at the end".to_string(),
        CONTRACTS => "contracts: the minimum and maximum of every contract".to_string(),
        kind => format!("{} ({kind})", m.name),
    };
    if m.enough_alone {
        what
    } else {
        format!(
            "{what}; not enough alone: {} must give too",
            quoted_list(&m.together_with)
        )
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`.
fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
