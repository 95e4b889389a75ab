//! Diagnostics: problems found in the input, each pointing at a file, a line and a key path.

use std::borrow::Cow;

use crate::fmt::printable;
use std::fmt;
use std::sync::Arc;

/// Problems stored and printed per run; the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Where in the input a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// File path as shown to the user (relative to the working directory when possible).
    pub file: Arc<str>,
    /// 1-based line; 0 when unknown (e.g. the file could not be read at all).
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// Key path inside the file, e.g. `sites[2].capacity`; empty for the whole file.
    pub key: String,
}

impl Loc {
    /// A location naming a whole file.
    pub fn file(file: impl Into<Arc<str>>) -> Self {
        Loc {
            file: file.into(),
            line: 0,
            column: 0,
            key: String::new(),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable(&self.file))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Spanned<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Spanned { value, loc }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
    /// A hint such as "did you mean `capacity`?".
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: ", self.loc, level)?;
        if !self.loc.key.is_empty() {
            write!(f, "{}: ", printable(&self.loc.key))?;
        }
        write!(f, "{}", printable(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", printable(help))?;
        }
        Ok(())
    }
}

/// Collected problems. Loading and validation keep going after a problem so that a
/// single run reports as many as possible. The first [`MAX_DIAGNOSTICS`] are kept; the
/// rest are only counted, and [`Diagnostics::sorted`] ends with a note saying so.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    omitted_errors: usize,
    omitted_warnings: usize,
    /// The note on what was left out, once anything was (boxed: `Diagnostics` travels
    /// inside every `Error`).
    omitted_note: Option<Box<Diagnostic>>,
    /// "Did you mean" suggestions computed so far (each compares against every id).
    suggestions: usize,
}

/// Suggestions computed per run, and the most candidates one may compare against:
/// beyond either, unknown names are reported without a hint.
const MAX_SUGGESTIONS: usize = 200;
const MAX_SUGGESTION_CANDIDATES: usize = 50_000;

impl Diagnostics {
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(Severity::Error, loc, message.into(), None);
    }

    pub fn error_help(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Error, loc, message.into(), Some(help.into()));
    }

    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(Severity::Warning, loc, message.into(), None);
    }

    pub fn warning_help(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Warning, loc, message.into(), Some(help.into()));
    }

    /// Reports an unknown name (`what` is e.g. "key", "site") with the closest candidate
    /// as a hint; with `list_all`, lists every candidate when none is close.
    pub fn unknown<'a>(
        &mut self,
        loc: Loc,
        what: &str,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str> + Clone,
        list_all: bool,
    ) {
        let message = format!("unknown {what} `{}`", snippet(word));
        if self.items.len() >= MAX_DIAGNOSTICS {
            // Not shown anyway: skip the search for a suggestion.
            self.error(loc, message);
            return;
        }
        self.suggestions += 1;
        let affordable = self.suggestions <= MAX_SUGGESTIONS
            && candidates
                .clone()
                .into_iter()
                .nth(MAX_SUGGESTION_CANDIDATES)
                .is_none();
        let suggestion = if affordable {
            did_you_mean(word, candidates.clone())
        } else {
            None
        };
        match suggestion {
            Some(s) => self.error_help(loc, message, format!("did you mean `{s}`?")),
            None if list_all => {
                let mut all: Vec<&str> = candidates.into_iter().collect();
                all.sort_unstable();
                self.error_help(loc, message, format!("expected one of: {}", all.join(", ")))
            }
            None => self.error(loc, message),
        }
    }

    fn push(&mut self, severity: Severity, loc: Loc, message: String, help: Option<String>) {
        if self.items.len() < MAX_DIAGNOSTICS {
            self.items.push(Diagnostic {
                severity,
                loc,
                message,
                help,
            });
            return;
        }
        match severity {
            Severity::Error => self.omitted_errors += 1,
            Severity::Warning => self.omitted_warnings += 1,
        }
        let omitted = self.omitted_errors + self.omitted_warnings;
        let note = self.omitted_note.get_or_insert_with(|| {
            Box::new(Diagnostic {
                severity,
                loc: Loc::file(loc.file.clone()),
                message: String::new(),
                help: None,
            })
        });
        if severity == Severity::Error {
            note.severity = Severity::Error;
        }
        note.message = format!(
            "{omitted} more problem(s) not shown ({} error(s), {} warning(s)); only the first {MAX_DIAGNOSTICS} are listed",
            self.omitted_errors, self.omitted_warnings
        );
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d.severity, d.loc, d.message, d.help);
        }
        self.omitted_errors += other.omitted_errors;
        self.omitted_warnings += other.omitted_warnings;
        if self.omitted_note.is_none() {
            self.omitted_note = other.omitted_note;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.omitted_errors > 0 || self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Errors found, including those not kept.
    pub fn error_count(&self) -> usize {
        self.omitted_errors
            + self
                .items
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count()
    }

    /// Warnings found, including those not kept.
    pub fn warning_count(&self) -> usize {
        self.omitted_warnings
            + self
                .items
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Problems in a stable order: by file, then line, then column, then message. When
    /// some were left out, a last entry says how many.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.loc.file, a.loc.line, a.loc.column, &a.message).cmp(&(
                &b.loc.file,
                b.loc.line,
                b.loc.column,
                &b.message,
            ))
        });
        items.extend(self.omitted_note.as_deref());
        items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Characters of input text quoted in a message, at most; longer text is cut, with `…`.
pub const MAX_SNIPPET_CHARS: usize = 80;

/// `text` as quoted in a message: its first [`MAX_SNIPPET_CHARS`] characters, and `…`
/// when there is more.
pub fn snippet(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_SNIPPET_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Long words are no typos worth a quadratic comparison.
    const LONGEST: usize = 64;
    let word_chars = word.chars().count();
    if word_chars > LONGEST {
        return None;
    }
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate_chars = candidate.chars().count();
        let limit = (candidate_chars.max(word_chars) / 3).max(1);
        // The distance is at least the difference in length.
        if candidate_chars > LONGEST || candidate_chars.abs_diff(word_chars) > limit {
            continue;
        }
        let distance = edit_distance(&lower, &candidate.to_lowercase());
        if distance <= limit
            && best.is_none_or(|(d, b)| distance < d || (distance == d && candidate < b))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance over chars (optimal string alignment): insertions, deletions,
/// substitutions and swaps of two neighbours each count as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for j in 0..=b.len() {
        d[j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["capacity", "country", "overtime", "products"];
        assert_eq!(did_you_mean("capcity", keys), Some("capacity"));
        assert_eq!(did_you_mean("contry", keys), Some("country"));
        assert_eq!(did_you_mean("zebra", keys), None);
        assert_eq!(did_you_mean("usmac", ["usmca", "allies"]), Some("usmca"));
    }

    #[test]
    fn keeps_the_first_problems_and_counts_the_rest() {
        let mut diags = Diagnostics::default();
        for i in 0..MAX_DIAGNOSTICS + 30 {
            diags.warning(Loc::file("a.yaml"), format!("w{i}"));
        }
        for i in 0..20 {
            diags.error(Loc::file("b.yaml"), format!("e{i}"));
        }
        assert_eq!(diags.warning_count(), MAX_DIAGNOSTICS + 30);
        assert_eq!(diags.error_count(), 20);
        assert!(diags.has_errors());
        let sorted = diags.sorted();
        assert_eq!(sorted.len(), MAX_DIAGNOSTICS + 1);
        let last = sorted[MAX_DIAGNOSTICS].to_string();
        assert_eq!(
            last,
            format!("a.yaml: error: 50 more problem(s) not shown (20 error(s), 30 warning(s)); only the first {MAX_DIAGNOSTICS} are listed")
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let mut diags = Diagnostics::default();
        diags.error(
            Loc {
                file: "a.yaml".into(),
                line: 1,
                column: 1,
                key: "sites[0].id".into(),
            },
            "unknown site `x\u{1b}[2J\ny\u{202e}z`",
        );
        assert_eq!(
            diags.to_string(),
            "a.yaml:1:1: error: sites[0].id: unknown site `x\\u{1b}[2J\\u{a}y\\u{202e}z`\n"
        );
        assert_eq!(printable("plain é"), "plain é");
    }

    #[test]
    fn long_words_get_no_suggestion() {
        let long = "a".repeat(100);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        assert_eq!(
            did_you_mean("site-1", ["site-2", "a-much-longer-site-id"]),
            Some("site-2")
        );
    }

    #[test]
    fn renders_file_line_column_key() {
        let mut diags = Diagnostics::default();
        diags.error_help(
            Loc {
                file: "data/a.yaml".into(),
                line: 4,
                column: 5,
                key: "sites[0].capcity".into(),
            },
            "unknown key `capcity`",
            "did you mean `capacity`?",
        );
        assert_eq!(
            diags.to_string(),
            "data/a.yaml:4:5: error: sites[0].capcity: unknown key `capcity` (did you mean `capacity`?)\n"
        );
    }
}
