//! Diagnostics: problems found in the input, each pointing at a file, a line and a key path.

use std::fmt;
use std::sync::Arc;

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
        write!(f, "{}", self.file)?;
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
            write!(f, "{}: ", self.loc.key)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Collected problems. Loading and validation keep going after a problem so that a
/// single run reports as many as possible.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

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
        let message = format!("unknown {what} `{word}`");
        match did_you_mean(word, candidates.clone()) {
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
        self.items.push(Diagnostic {
            severity,
            loc,
            message,
            help,
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Problems in a stable order: by file, then line, then column, then message.
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

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&word.to_lowercase(), &candidate.to_lowercase());
        let limit = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
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
