//! A linear pre-pass that refuses deep flow nesting (`[[[[…` or `{a: {a: …`) before any
//! YAML parser sees the text.
//!
//! Inside a flow collection every open bracket may still begin a key, and YAML scanners
//! (libyaml behind serde_yaml, and yaml-rust2) re-check every pending key at each token:
//! a file nested N levels deep on one line costs them N² steps (100,000 levels took most
//! of a minute). This pass reads each character once, tells brackets that open a flow
//! collection from brackets inside quoted text, comments, plain text and block scalars
//! (`|`, `>`), and stops at the first bracket that nests deeper than the limit. Block
//! nesting is left to the span index, which sees it as parser events at no such cost.

/// Where a flow collection nests deeper than the limit: (line, column), 1-based.
pub fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    Pass::new(text, limit).run()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    /// Up to the end of the line.
    Comment,
    /// `'…'` (a quote is escaped by doubling it).
    Single,
    /// `"…"` (a backslash escapes the next character).
    Double {
        escaped: bool,
    },
    /// An anchor or a tag (`&a`, `!!str`): up to the next space or flow indicator.
    Property,
    /// The rest of a block scalar's header line, then its content.
    ScalarHeader {
        parent: usize,
    },
    /// Lines of a block scalar: blank, or indented more than `parent`.
    ScalarBody {
        parent: usize,
    },
}

struct Pass<'a> {
    bytes: &'a [u8],
    limit: usize,
    state: State,
    depth: usize,
    line: usize,
    /// Characters (not bytes) before the current one on its line.
    column: usize,
    /// Spaces in front of the current line, and whether they are still being read.
    indent: usize,
    at_line_start: bool,
    /// The previous character was a space, a tab or a line break.
    after_space: bool,
    /// Block context: a node may start here (after `key: `, `- `, at a line's start).
    node_start: bool,
    /// Column where the latest node on this line started (a block scalar's content must
    /// be indented more than it).
    node_column: usize,
    /// Flow context: inside a plain (unquoted) scalar.
    in_plain: bool,
    /// Bytes to pass over (a document marker).
    skip: usize,
}

fn is_blank(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn is_flow_indicator(b: Option<&u8>) -> bool {
    matches!(b, Some(b',' | b'[' | b']' | b'{' | b'}'))
}

impl<'a> Pass<'a> {
    fn new(text: &'a str, limit: usize) -> Self {
        Pass {
            bytes: text.as_bytes(),
            limit,
            state: State::Normal,
            depth: 0,
            line: 1,
            column: 0,
            indent: 0,
            at_line_start: true,
            after_space: true,
            node_start: true,
            node_column: 0,
            in_plain: false,
            skip: 0,
        }
    }

    fn run(mut self) -> Option<(usize, usize)> {
        let mut i = 0;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            let next = self.bytes.get(i + 1);
            if b == b'\n' {
                self.new_line();
                i += 1;
                continue;
            }
            if self.at_line_start {
                if b == b' ' {
                    self.indent += 1;
                } else {
                    self.line_content_starts(i);
                }
            }
            if self.skip > 0 {
                self.skip -= 1;
                self.column += 1;
                i += 1;
                continue;
            }
            match self.state {
                State::Comment | State::ScalarHeader { .. } | State::ScalarBody { .. } => {}
                State::Single => {
                    if b == b'\'' {
                        if next == Some(&b'\'') {
                            i += 1;
                            self.column += 1;
                        } else {
                            self.scalar_done();
                        }
                    }
                }
                State::Double { escaped } => {
                    self.state = State::Double {
                        escaped: !escaped && b == b'\\',
                    };
                    if !escaped && b == b'"' {
                        self.scalar_done();
                    }
                }
                State::Property => {
                    if b == b' ' || b == b'\t' || (self.depth > 0 && is_flow_indicator(Some(&b))) {
                        self.state = State::Normal;
                        if let Some(at) = self.normal(b, next) {
                            return Some(at);
                        }
                    }
                }
                State::Normal => {
                    if let Some(at) = self.normal(b, next) {
                        return Some(at);
                    }
                }
            }
            self.after_space = matches!(b, b' ' | b'\t' | b'\r');
            // Continuation bytes of a UTF-8 character are not columns of their own.
            if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            i += 1;
        }
        None
    }

    fn new_line(&mut self) {
        self.line += 1;
        self.column = 0;
        self.indent = 0;
        self.at_line_start = true;
        self.after_space = true;
        match self.state {
            State::Comment | State::Property => self.state = State::Normal,
            State::ScalarHeader { parent } => self.state = State::ScalarBody { parent },
            _ => {}
        }
        if self.state == State::Normal && self.depth == 0 {
            self.node_start = true;
        }
    }

    /// The first character of a line that is not a space.
    fn line_content_starts(&mut self, i: usize) {
        self.at_line_start = false;
        self.node_column = self.indent;
        if let State::ScalarBody { parent } = self.state {
            let blank = is_blank(self.bytes.get(i));
            if !blank && self.indent <= parent {
                self.state = State::Normal;
                self.node_start = true;
            }
        }
        if self.state == State::Normal && self.depth == 0 {
            // `--- [` starts a document with a node.
            let rest = &self.bytes[i..];
            if (rest.starts_with(b"---") || rest.starts_with(b"...")) && is_blank(rest.get(3)) {
                self.node_start = true;
                self.skip = 3;
            }
        }
    }

    /// A quoted scalar ended.
    fn scalar_done(&mut self) {
        self.state = State::Normal;
        self.node_start = false;
        self.in_plain = false;
    }

    fn normal(&mut self, b: u8, next: Option<&u8>) -> Option<(usize, usize)> {
        if b == b'#' && self.after_space {
            self.state = State::Comment;
            return None;
        }
        if matches!(b, b' ' | b'\t' | b'\r') {
            return None;
        }
        if self.depth == 0 {
            self.block(b, next)
        } else {
            self.flow(b, next)
        }
    }

    fn open(&mut self) -> Option<(usize, usize)> {
        self.depth += 1;
        self.in_plain = false;
        (self.depth > self.limit).then_some((self.line, self.column + 1))
    }

    fn block(&mut self, b: u8, next: Option<&u8>) -> Option<(usize, usize)> {
        if !self.node_start {
            // Inside a plain scalar or after a quoted key: `: ` starts the value.
            if b == b':' && is_blank(next) {
                self.node_start = true;
            }
            return None;
        }
        match b {
            b'[' | b'{' => return self.open(),
            b'"' => self.state = State::Double { escaped: false },
            b'\'' => self.state = State::Single,
            b'|' | b'>' => {
                self.state = State::ScalarHeader {
                    parent: self.node_column,
                }
            }
            b'&' | b'!' => self.state = State::Property,
            b'-' | b'?' | b':' if is_blank(next) => self.node_column = self.column,
            _ => {
                self.node_column = self.column;
                self.node_start = false;
            }
        }
        if matches!(b, b'"' | b'\'') {
            self.node_column = self.column;
        }
        None
    }

    fn flow(&mut self, b: u8, next: Option<&u8>) -> Option<(usize, usize)> {
        match b {
            b'[' | b'{' => return self.open(),
            b']' | b'}' => {
                self.depth -= 1;
                self.in_plain = false;
                if self.depth == 0 {
                    self.node_start = false;
                }
            }
            b',' => self.in_plain = false,
            b':' if is_blank(next) || is_flow_indicator(next) => self.in_plain = false,
            _ if self.in_plain => {}
            b'"' => self.state = State::Double { escaped: false },
            b'\'' => self.state = State::Single,
            b'&' | b'!' => self.state = State::Property,
            _ => self.in_plain = true,
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_bracket_past_the_limit() {
        let text = format!("a:\n  b: {}x{}\n", "[".repeat(10), "]".repeat(10));
        assert_eq!(flow_too_deep(&text, 3), Some((2, 9)));
        assert_eq!(flow_too_deep(&text, 10), None);
        let text = format!("- {}\n", "{k: ".repeat(5));
        assert_eq!(flow_too_deep(&text, 4), Some((1, 19)));
    }

    #[test]
    fn brackets_that_are_text_do_not_count() {
        let deep = "[".repeat(20);
        for text in [
            format!("a: \"{deep}\"\n"),
            format!("a: '{deep}'\n"),
            format!("a: [\"x{deep}\\\"{deep}\", 'it''s {deep}']\n"),
            format!("a: b {deep}\n"),
            format!("a: x # {deep}\n"),
            format!("# {deep}\n"),
            format!("a: |\n  {deep}\n\n  {deep}\nb: 1\n"),
            format!("- k: >-\n    {deep}\n"),
            format!("a: [x{deep}"),
        ] {
            // Inside a flow collection `x[` still opens one; only the last case does that.
            let expected = text.starts_with("a: [x[").then_some((1, 10));
            assert_eq!(flow_too_deep(&text, 5), expected, "{text:?}");
        }
    }

    #[test]
    fn properties_and_document_markers_do_not_hide_nesting() {
        let deep = "[".repeat(20);
        for text in [
            format!("a: &x {deep}\n"),
            format!("a: !!seq {deep}\n"),
            format!("--- {deep}\n"),
            format!("a: |\n  text\n{deep}\n"),
            format!("\"key\": {deep}\n"),
            format!("a: [\"x\", {deep}\n"),
        ] {
            assert!(flow_too_deep(&text, 5).is_some(), "{text:?}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let text = "é: [[[x]]]\n";
        assert_eq!(flow_too_deep(text, 2), Some((1, 6)));
    }
}
