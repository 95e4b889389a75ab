//! Key-path → (line, column) index of a YAML document.
//!
//! serde_yaml's `Value` carries no positions, so a second, event-level pass with
//! yaml-rust2 records where each key path starts. Only positions come from here;
//! values always come from serde_yaml. If the two parsers ever disagree on a path,
//! the lookup falls back to the nearest ancestor, which still points close by.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Positions of key paths such as `sites[2].capacity`, 1-based.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    positions: HashMap<String, (usize, usize)>,
    duplicates: Vec<DuplicateKey>,
}

/// A key written twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// Where the key was first written.
    pub first: (usize, usize),
}

impl SpanIndex {
    pub fn build(text: &str) -> SpanIndex {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // A syntax error is reported by serde_yaml with its own position; whatever was
        // indexed before the error is still useful.
        let _ = parser.load(&mut builder, false);
        SpanIndex {
            positions: builder.positions,
            duplicates: builder.duplicates,
        }
    }

    /// Keys written twice in the same mapping, in file order.
    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Position of `path`, or of its nearest ancestor that has one.
    pub fn lookup(&self, path: &str) -> Option<(usize, usize)> {
        let mut current = path;
        loop {
            if let Some(&pos) = self.positions.get(current) {
                return Some(pos);
            }
            if current.is_empty() {
                return None;
            }
            current = parent_path(current);
        }
    }
}

/// `a.b[3]` → `a.b`; `a.b` → `a`; `a` → ``.
fn parent_path(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

pub fn child_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn child_index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

enum Frame {
    /// `has_key`: whether the mapping's position is settled. A block mapping's start
    /// event is reported late, so a list-item mapping takes its first key's position.
    Map {
        path: String,
        key: Option<String>,
        has_key: bool,
    },
    Seq {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Builder {
    positions: HashMap<String, (usize, usize)>,
    duplicates: Vec<DuplicateKey>,
    stack: Vec<Frame>,
    /// Depth of containers used as mapping keys (complex keys are not indexed).
    skip_depth: usize,
}

impl Builder {
    /// Path of a node starting now, or `None` when the node is a mapping key.
    fn node_path(&mut self, event: &Event, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => Some(child_index(path, *index)),
            Some(Frame::Map { path, key, has_key }) => match key {
                Some(k) => Some(child_key(path, k)),
                None => {
                    // This node is a key.
                    if let Event::Scalar(text, ..) = event {
                        let here = (mark.line(), mark.col() + 1);
                        if !*has_key {
                            *has_key = true;
                            self.positions.insert(path.clone(), here);
                        }
                        let full = child_key(path, text);
                        match self.positions.get(&full) {
                            Some(&first) => self.duplicates.push(DuplicateKey {
                                path: full,
                                line: here.0,
                                column: here.1,
                                first,
                            }),
                            None => {
                                self.positions.insert(full, here);
                            }
                        }
                        *key = Some(text.clone());
                    }
                    None
                }
            },
        }
    }

    /// A value finished: move the parent on to its next key or item.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Seq { index, .. }) => *index += 1,
            Some(Frame::Map { key, .. }) => *key = None,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.skip_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.skip_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => self.skip_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Scalar(..) | Event::Alias(..) => {
                if let Some(path) = self.node_path(&event, mark) {
                    self.positions
                        .entry(path)
                        .or_insert((mark.line(), mark.col() + 1));
                    self.value_done();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                match self.node_path(&event, mark) {
                    Some(path) => {
                        // A mapping held by a key keeps the key's position; one that is a
                        // list item (or the root) takes its first key's.
                        let held_by_key = self.positions.contains_key(&path);
                        self.positions
                            .entry(path.clone())
                            .or_insert((mark.line(), mark.col() + 1));
                        self.stack.push(match event {
                            Event::MappingStart(..) => Frame::Map {
                                path,
                                key: None,
                                has_key: held_by_key,
                            },
                            _ => Frame::Seq { path, index: 0 },
                        });
                    }
                    None => {
                        // A complex (non-scalar) key: skip it, but the map now expects a value.
                        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                            *key = Some(String::from("?"));
                        }
                        self.skip_depth = 1;
                    }
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_keys_and_items() {
        let text = "periods: [a, b]\nsites:\n  - id: x\n    capacity: 10\n  - id: y\n    capacity: [1, 2]\n";
        let spans = SpanIndex::build(text);
        assert_eq!(spans.lookup("periods"), Some((1, 1)));
        assert_eq!(spans.lookup("sites[0].id"), Some((3, 5)));
        assert_eq!(spans.lookup("sites[1].capacity"), Some((6, 5)));
        assert_eq!(spans.lookup("sites[1].capacity[1]"), Some((6, 19)));
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(spans.lookup("sites[1].nothing.here"), Some((5, 5)));
    }

    #[test]
    fn flow_mappings_in_sequences() {
        let text = "lanes:\n  - {from: a, to: b, cost: 3}\n  - {from: c, to: d}\n";
        let spans = SpanIndex::build(text);
        assert_eq!(spans.lookup("lanes[1].to"), Some((3, 15)));
        assert_eq!(spans.lookup("lanes[0].cost"), Some((2, 22)));
    }
}
