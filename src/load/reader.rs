//! A checked walk over a serde_yaml `Value` that reports every problem with its file,
//! line and key path instead of stopping at the first one.

use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::limits::{MAX_NUMBER, MAX_TEXT_CHARS};
use super::overrides::AppliedSet;
use super::spans::{child_index, child_key, SpanIndex};
use super::text::scalar_text;
use crate::diag::{snippet, Diagnostics, Loc, Spanned};
use crate::fmt::number_text;
use crate::fmt::{is_bidi_control, is_invisible, printable};

/// Which numbers a field accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// Finite and ≥ 0.
    NonNegative,
    /// Finite and > 0.
    Positive,
    /// A share in [0, 1].
    Share,
}

/// A number, or one number per period.
#[derive(Debug, Clone, PartialEq)]
pub enum PerPeriod {
    Scalar(f64),
    List(Vec<f64>),
}

pub struct Reader<'a> {
    pub file: Arc<str>,
    spans: &'a SpanIndex,
    pub diags: &'a mut Diagnostics,
    /// Paths set from the command line: their problems point at the `--set` argument.
    overridden: &'a [AppliedSet],
}

impl<'a> Reader<'a> {
    pub fn new(file: Arc<str>, spans: &'a SpanIndex, diags: &'a mut Diagnostics) -> Self {
        Reader {
            file,
            spans,
            diags,
            overridden: &[],
        }
    }

    pub fn with_overrides(mut self, overridden: &'a [AppliedSet]) -> Self {
        self.overridden = overridden;
        self
    }

    pub fn loc(&self, path: &str) -> Loc {
        let set_here = self.overridden.iter().find(|a| {
            path == a.path
                || path
                    .strip_prefix(a.path.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        });
        if let Some(a) = set_here {
            return Loc {
                file: format!("--set {}", a.argument).into(),
                line: 0,
                column: 0,
                key: path.to_string(),
            };
        }
        let (line, column) = self.spans.lookup(path).unwrap_or((0, 0));
        let key = self.spans.shown_key(path).unwrap_or(path);
        Loc {
            file: self.file.clone(),
            line,
            column,
            key: key.to_string(),
        }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>) {
        let loc = self.loc(path);
        self.diags.error(loc, message);
    }

    pub fn error_help(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let loc = self.loc(path);
        self.diags.error_help(loc, message, help);
    }

    /// An unknown word among a few fixed ones, with "did you mean" or the list.
    pub fn unknown_word(&mut self, path: &str, what: &str, word: &str, expected: &[&str]) {
        let loc = self.loc(path);
        self.diags
            .unknown(loc, what, word, expected.iter().copied(), true);
    }

    pub fn warning(&mut self, path: &str, message: impl Into<String>) {
        let loc = self.loc(path);
        self.diags.warning(loc, message);
    }

    /// An error at `path`: `expected` there, `found` instead (its contents quoted).
    pub fn type_error(&mut self, path: &str, expected: &str, found: &Value) {
        // A whole file of the wrong kind may be anything (a link to a private file):
        // say what it is, never what it holds.
        let found = if path.is_empty() {
            kind_of(found)
        } else {
            describe(found)
        };
        self.error(path, format!("expected {expected}, found {found}"));
    }

    /// A mapping whose keys must all be in `allowed`; unknown keys are reported with a
    /// suggestion and otherwise ignored.
    pub fn map<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'v Mapping> {
        let Value::Mapping(map) = value else {
            self.type_error(path, "a mapping (key: value)", value);
            return None;
        };
        for key in map.keys() {
            match key.as_str() {
                Some(k) if allowed.contains(&k) => {}
                Some(k) => {
                    let key_path = child_key(path, k);
                    let loc = self.loc(&key_path);
                    self.diags
                        .unknown(loc, "key", k, allowed.iter().copied(), true);
                }
                None => self.error(path, format!("keys must be text, found {}", describe(key))),
            }
        }
        Some(map)
    }

    /// A mapping with free-form text keys (ids), in file order.
    pub fn entries<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
    ) -> Vec<(Spanned<String>, &'v Value, String)> {
        let Value::Mapping(map) = value else {
            self.type_error(path, "a mapping (id: value)", value);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(map.len());
        for (key, item) in map {
            match scalar_text(key) {
                Some(k) => {
                    let item_path = child_key(path, &k);
                    if let Some(problem) = label_problem(&k, MAX_TEXT_CHARS) {
                        self.error(&item_path, problem);
                        continue;
                    }
                    let loc = self.loc(&item_path);
                    out.push((Spanned::new(nfc(k), loc), item, item_path));
                }
                None => self.error(path, format!("keys must be text, found {}", describe(key))),
            }
        }
        out
    }

    pub fn seq<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v [Value]> {
        match value {
            Value::Sequence(items) => Some(items),
            other => {
                self.type_error(path, "a list", other);
                None
            }
        }
    }

    /// The value under `key`, reporting it as missing when absent.
    pub fn required<'v>(&mut self, map: &'v Mapping, path: &str, key: &str) -> Option<&'v Value> {
        let found = map.get(key);
        if found.is_none() && !misspelt(map, key) {
            self.error(path, format!("missing required key `{key}`"));
        }
        found
    }

    /// A text label (an id, a name, a period); numbers are accepted and kept as written
    /// (e.g. period `1`). At most [`MAX_TEXT_CHARS`] characters, none of them control
    /// characters or bidirectional overrides.
    /// Labels are kept in Unicode NFC ([`nfc`]).
    pub fn text(&mut self, value: &Value, path: &str) -> Option<Spanned<String>> {
        self.text_limited(value, path, MAX_TEXT_CHARS)
            .map(|t| Spanned::new(nfc(t.value), t.loc))
    }

    /// [`Reader::text`] with another length limit (file paths).
    pub fn text_limited(
        &mut self,
        value: &Value,
        path: &str,
        max_chars: usize,
    ) -> Option<Spanned<String>> {
        match scalar_text(value) {
            Some(s) => match label_problem(&s, max_chars) {
                Some(problem) => {
                    self.error(path, problem);
                    None
                }
                None => Some(Spanned::new(s, self.loc(path))),
            },
            None => {
                self.type_error(path, "text", value);
                None
            }
        }
    }

    pub fn text_list(&mut self, value: &Value, path: &str) -> Vec<Spanned<String>> {
        self.text_list_limited(value, path, MAX_TEXT_CHARS)
    }

    /// [`Reader::text_list`] with another length limit (file paths).
    pub fn text_list_limited(
        &mut self,
        value: &Value,
        path: &str,
        max_chars: usize,
    ) -> Vec<Spanned<String>> {
        let Some(items) = self.seq(value, path) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.text_limited(v, &child_index(path, i), max_chars))
            .collect()
    }

    pub fn bool(&mut self, value: &Value, path: &str) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.type_error(path, "true or false", other);
                None
            }
        }
    }

    pub fn number(&mut self, value: &Value, path: &str, range: Range) -> Option<f64> {
        let Some(x) = value.as_f64() else {
            // YAML reads `1e400` as text: it does not fit a 64-bit float.
            if let Value::String(s) = value {
                let plain = s.trim();
                let numeric = plain.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
                if numeric && plain.parse::<f64>().is_ok_and(f64::is_infinite) {
                    self.error(
                        path,
                        format!(
                            "{} is out of range: numbers must be finite, at most about 1.8e308",
                            printable(plain)
                        ),
                    );
                    return None;
                }
            }
            self.type_error(path, "a number", value);
            return None;
        };
        if !x.is_finite() {
            let written = if x.is_nan() {
                ".nan"
            } else if x > 0.0 {
                ".inf"
            } else {
                "-.inf"
            };
            self.error(path, format!("must be a finite number, found {written}"));
            return None;
        }
        if x.abs() > MAX_NUMBER {
            self.error(
                path,
                format!(
                    "{x:e} is too large: numbers may be at most 1e15 in size (a solver keeps no precision beyond)"
                ),
            );
            return None;
        }
        let problem = match range {
            Range::NonNegative if x < 0.0 => Some("must not be negative"),
            Range::Positive if x <= 0.0 => Some("must be greater than 0"),
            Range::Share if !(0.0..=1.0).contains(&x) => Some("must be a share between 0 and 1"),
            _ => None,
        };
        match problem {
            Some(p) if range == Range::Share && (2.0..=100.0).contains(&x) => {
                let loc = self.loc(path);
                self.diags.error_help(
                    loc,
                    format!("{p}, found {}", number_text(x)),
                    format!("write {x}% as {}", number_text(x / 100.0)),
                );
                None
            }
            Some(p) => {
                self.error(path, format!("{p}, found {}", number_text(x)));
                None
            }
            None => Some(x),
        }
    }

    /// A whole number ≥ 0.
    pub fn count(&mut self, value: &Value, path: &str) -> Option<usize> {
        match value.as_u64() {
            Some(n) => match usize::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(path, format!("{n} is too large"));
                    None
                }
            },
            None => {
                self.type_error(path, "a whole number ≥ 0", value);
                None
            }
        }
    }

    pub fn per_period(
        &mut self,
        value: &Value,
        path: &str,
        range: Range,
    ) -> Option<Spanned<PerPeriod>> {
        let loc = self.loc(path);
        match value {
            Value::Sequence(items) => {
                let mut list = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.number(item, &child_index(path, i), range) {
                        Some(x) => list.push(x),
                        None => ok = false,
                    }
                }
                ok.then(|| Spanned::new(PerPeriod::List(list), loc))
            }
            other => self
                .number(other, path, range)
                .map(|x| Spanned::new(PerPeriod::Scalar(x), loc)),
        }
    }

    /// Optional field helpers: `None` when absent, `Some(None)`-like errors are reported.
    pub fn opt_number(
        &mut self,
        map: &Mapping,
        path: &str,
        key: &str,
        range: Range,
    ) -> Option<f64> {
        map.get(key)
            .and_then(|v| self.number(v, &child_key(path, key), range))
    }
}

/// A key of `map` other than `key` looks like a misspelling of it (and is reported as
/// unknown with `key` as the suggestion, so `key` is not also reported as missing).
pub fn misspelt(map: &Mapping, key: &str) -> bool {
    map.keys()
        .filter_map(Value::as_str)
        .any(|k| k != key && crate::diag::did_you_mean(k, [key]).is_some())
}

/// What is wrong with a label (an id, a name, a period, a path), if anything: empty,
/// longer than `max_chars`, or holding a control character or direction override
/// (which could rewrite a terminal or disguise an id in a report).
pub fn label_problem(text: &str, max_chars: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("must not be empty".to_string());
    }
    if text.len() > max_chars && text.chars().count() > max_chars {
        let short: String = text.chars().take(40).collect();
        return Some(format!(
            "\"{}…\" is {} characters long; the limit is {max_chars}",
            printable(&short),
            text.chars().count()
        ));
    }
    if let Some(c) = text.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
        return Some(format!(
            "must not contain control characters or direction overrides (found U+{:04X})",
            c as u32
        ));
    }
    text.chars().find(|&c| is_invisible(c)).map(|c| {
        format!(
            "must not contain invisible characters (found U+{:04X}): the id would look like another",
            c as u32
        )
    })
}

/// A label in Unicode NFC, so that an id typed composed (`é`) and one typed decomposed
/// (`e` + accent) are one id, and two that look the same cannot both be defined.
pub fn nfc(text: String) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// A value as quoted in a message (text cut at [`crate::diag::MAX_SNIPPET_CHARS`]).
fn describe(value: &Value) -> String {
    match value {
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("text \"{}\"", snippet(s)),
        other => kind_of(other),
    }
}

/// What kind of value this is, without its contents.
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(_) => "true or false".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "text".into(),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", snippet(&t.tag.to_string())),
    }
}

#[cfg(test)]
mod nfc_tests {
    use super::*;

    #[test]
    fn labels_are_kept_in_nfc_and_invisible_characters_are_refused() {
        assert_eq!(nfc("quere\u{301}taro".to_string()), "quer\u{e9}taro");
        assert_eq!(nfc("hagerstown".to_string()), "hagerstown");
        let problem = label_problem("hager\u{200b}stown", 256).unwrap();
        assert!(problem.contains("U+200B"), "{problem}");
        assert!(label_problem("us-\u{2028}west", 256).is_some());
        assert!(label_problem("querétaro", 256).is_none());
    }
}
