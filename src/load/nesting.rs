//! A linear pre-pass that refuses deep flow nesting (`[[[[…` or `{a: {a: …`) and
//! over-long plain keys before any YAML parser sees the text.
//!
//! Inside a flow collection every open bracket may still begin a key, and YAML scanners
//! (libyaml behind serde_yaml, and yaml-rust2) re-check every pending key at each token:
//! a file nested N levels deep on one line costs them N² steps (100,000 levels took most
//! of a minute). This pass reads each character once, tells brackets that open a flow
//! collection from brackets inside quoted text, comments, plain text and block scalars
//! (`|`, `>`), and stops at the first bracket that nests deeper than the limit. Block
//! nesting is left to the span index, which sees it as parser events at no such cost.
//!
//! The YAML scanners give up on a key longer than 1,024 characters with "could not find
//! expected ':'", which says nothing of the key-length limit; so the pass also measures
//! each plain (unquoted) key on one line when its `:` comes, and stops at the first one
//! longer than `max_key_chars`. Quoted keys are left to the span index.

use super::spans::Exceeded;

/// The first flow collection nested deeper than `max_depth`, or plain key longer than
/// `max_key_chars`, whichever comes first; positions are (line, column), 1-based.
pub fn pre_pass(text: &str, max_depth: usize, max_key_chars: usize) -> Option<Exceeded> {
    Pass::new(text, max_depth, max_key_chars).run()
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
    key_limit: usize,
    /// A plain scalar on this line that may be a key: the columns (0-based, in
    /// characters) where it starts and just past its last character that is not a space.
    key: Option<(usize, usize)>,
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
    fn new(text: &'a str, limit: usize, key_limit: usize) -> Self {
        Pass {
            bytes: text.as_bytes(),
            limit,
            key_limit,
            key: None,
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

    fn run(mut self) -> Option<Exceeded> {
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
        // A key is on one line: a plain scalar that goes on is not one.
        self.key = None;
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
        self.key = None;
        self.state = State::Normal;
        self.node_start = false;
        self.in_plain = false;
    }

    fn normal(&mut self, b: u8, next: Option<&u8>) -> Option<Exceeded> {
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

    fn open(&mut self) -> Option<Exceeded> {
        self.depth += 1;
        self.in_plain = false;
        self.key = None;
        (self.depth > self.limit).then_some(Exceeded::Depth {
            limit: self.limit,
            at: (self.line, self.column + 1),
        })
    }

    /// A plain scalar starts at the current character.
    fn plain_starts(&mut self) {
        self.key = Some((self.column, self.column + 1));
    }

    /// Byte `b` (not a space) goes on the plain scalar.
    fn plain_goes_on(&mut self, b: u8) {
        if let Some((_, end)) = &mut self.key {
            // A continuation byte of a UTF-8 character is in the column counted already.
            *end = self.column + usize::from(b & 0xC0 != 0x80);
        }
    }

    /// A `:` that ends a key: refuses the plain scalar before it if it is too long.
    fn key_ends(&mut self) -> Option<Exceeded> {
        let (start, end) = self.key.take()?;
        let chars = end - start;
        (chars > self.key_limit).then_some(Exceeded::KeyLength {
            limit: self.key_limit,
            chars,
            at: (self.line, start + 1),
        })
    }

    fn block(&mut self, b: u8, next: Option<&u8>) -> Option<Exceeded> {
        if !self.node_start {
            // Inside a plain scalar or after a quoted key: `: ` starts the value.
            if b == b':' && is_blank(next) {
                self.node_start = true;
                return self.key_ends();
            }
            self.plain_goes_on(b);
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
                self.plain_starts();
            }
        }
        if matches!(b, b'"' | b'\'') {
            self.node_column = self.column;
        }
        None
    }

    fn flow(&mut self, b: u8, next: Option<&u8>) -> Option<Exceeded> {
        match b {
            b'[' | b'{' => return self.open(),
            b']' | b'}' => {
                self.depth -= 1;
                self.in_plain = false;
                self.key = None;
                if self.depth == 0 {
                    self.node_start = false;
                }
            }
            b',' => {
                self.in_plain = false;
                self.key = None;
            }
            b':' if is_blank(next) || is_flow_indicator(next) => {
                self.in_plain = false;
                return self.key_ends();
            }
            _ if self.in_plain => self.plain_goes_on(b),
            b'"' => self.state = State::Double { escaped: false },
            b'\'' => self.state = State::Single,
            b'&' | b'!' => self.state = State::Property,
            _ => {
                self.in_plain = true;
                self.plain_starts();
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
        match pre_pass(text, limit, usize::MAX) {
            Some(Exceeded::Depth { at, .. }) => Some(at),
            _ => None,
        }
    }

    fn long_key(text: &str, limit: usize) -> Option<(usize, (usize, usize))> {
        match pre_pass(text, usize::MAX, limit) {
            Some(Exceeded::KeyLength { chars, at, .. }) => Some((chars, at)),
            _ => None,
        }
    }

    #[test]
    fn measures_plain_keys_on_one_line() {
        assert_eq!(long_key("abcdef: 1\n", 5), Some((6, (1, 1))));
        assert_eq!(long_key("abcde: 1\n", 5), None);
        assert_eq!(long_key("a:\n  - éééééé  : x\n", 5), Some((6, (2, 5))));
        assert_eq!(long_key("a: {x: 1, abcdef: 2}\n", 5), Some((6, (1, 11))));
        assert_eq!(long_key("a: [abc:def:ghi]\n", 5), None);
        // Values, quoted keys, comments, block text and plain text over lines are not
        // plain keys.
        for text in [
            "a: abcdefgh\n",
            "a: abcdefgh and more\n",
            "\"abcdefgh\": 1\n",
            "# abcdefgh: 1\n",
            "a: |\n  abcdefgh: 1\n",
            "a: [abcdefgh, 1]\n",
            "a: x abcdefgh\n  abc: 1\n",
        ] {
            assert_eq!(long_key(text, 5), None, "{text:?}");
        }
    }

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
