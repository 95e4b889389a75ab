//! Key-path → (line, column) index of a YAML document.
//!
//! serde_yaml's `Value` carries no positions, so a second, event-level pass with
//! yaml-rust2 records where each key path starts. Only positions come from here;
//! values always come from serde_yaml. If the two parsers ever disagree on a path,
//! the lookup falls back to the nearest ancestor, which still points close by.
//!
//! The same pass enforces the structural limits of [`ScanLimits`] *before* serde_yaml
//! builds a value: how many values a file holds, how deeply they nest, and how much
//! aliases (`*name`) expand it. The events are pulled one at a time (yaml-rust2's own
//! `load` recurses once per nesting level and can overflow the stack), and the pass
//! stops at the first limit exceeded, so a hostile file costs little memory.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// Structural limits checked while indexing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    /// Values (scalars, lists, mappings and aliases) written in the file.
    pub max_nodes: usize,
    /// Values once every alias is expanded (what serde_yaml would build).
    pub max_expanded: u64,
    /// Lists and mappings nested inside each other.
    pub max_depth: usize,
    /// Characters in a mapping key.
    pub max_key_chars: usize,
}

impl ScanLimits {
    /// No limit at all (for tests and tools that index trusted text).
    pub const NONE: ScanLimits = ScanLimits {
        max_nodes: usize::MAX,
        max_expanded: u64::MAX,
        max_depth: usize::MAX,
        max_key_chars: usize::MAX,
    };
}

/// The first limit a file exceeded, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    /// More than `limit` values written; `at` is where the one past the limit starts.
    Nodes { limit: usize, at: (usize, usize) },
    /// Aliases expand the document beyond `limit` values; `at` is the alias that did it.
    Expansion { limit: u64, at: (usize, usize) },
    /// Nested deeper than `limit`; `at` is where the list or mapping too deep starts.
    Depth { limit: usize, at: (usize, usize) },
    /// A mapping key of `chars` characters, more than `limit`.
    KeyLength {
        limit: usize,
        chars: usize,
        at: (usize, usize),
    },
}

/// An open list or mapping during the scan.
struct Open {
    anchor: usize,
    /// Expanded values counted before it started.
    start: u64,
    /// A mapping whose next value is a key.
    at_key: Option<bool>,
}

/// A value finished: a mapping's next value switches between key and value.
fn finished(open: &mut [Open]) {
    if let Some(Open {
        at_key: Some(k), ..
    }) = open.last_mut()
    {
        *k = !*k;
    }
}

/// Positions of key paths such as `sites[2].capacity`, 1-based.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    positions: HashMap<String, (usize, usize)>,
    /// How a path is shown, where not as itself: values read from a table are named by
    /// their column's header.
    names: HashMap<String, String>,
    duplicates: Vec<DuplicateKey>,
    first_alias: Option<(usize, usize)>,
    first_merge_key: Option<(usize, usize)>,
    second_document: Option<(usize, usize)>,
    #[cfg(test)]
    deepest: usize,
    #[cfg(test)]
    nodes: usize,
    expanded: u64,
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
    /// Indexes `text` without limits.
    #[cfg(test)]
    pub fn build(text: &str) -> SpanIndex {
        Self::scan(text, &ScanLimits::NONE).0
    }

    /// Indexes `text`, stopping at the first limit exceeded. A syntax error also stops
    /// the pass (serde_yaml reports it with its own position); whatever was indexed
    /// before it is kept.
    pub fn scan(text: &str, limits: &ScanLimits) -> (SpanIndex, Option<Exceeded>) {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let mut documents = 0usize;
        let mut exceeded = None;
        // Expanded size of each anchor, and the open containers: (anchor, expanded at start).
        let mut anchor_sizes: HashMap<usize, u64> = HashMap::new();
        let mut open: Vec<Open> = Vec::new();
        let mut expanded: u64 = 0;
        while let Ok((event, mark)) = parser.next_token() {
            let at = (mark.line(), mark.col() + 1);
            match &event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents == 2 {
                        builder.second_document = Some(at);
                    }
                    // Positions are those of the first document (the only one accepted).
                    if documents > 1 {
                        continue;
                    }
                }
                _ if documents > 1 => continue,
                Event::Scalar(text, _, anchor, _) => {
                    builder.nodes += 1;
                    expanded = expanded.saturating_add(1);
                    if *anchor > 0 {
                        anchor_sizes.insert(*anchor, 1);
                    }
                    let is_key = matches!(
                        open.last(),
                        Some(Open {
                            at_key: Some(true),
                            ..
                        })
                    );
                    if is_key && text == "<<" {
                        builder.first_merge_key.get_or_insert(at);
                    }
                    // Byte length first: only long keys pay for counting characters.
                    if is_key && text.len() > limits.max_key_chars {
                        let chars = text.chars().count();
                        if chars > limits.max_key_chars {
                            exceeded = Some(Exceeded::KeyLength {
                                limit: limits.max_key_chars,
                                chars,
                                at,
                            });
                            break;
                        }
                    }
                    finished(&mut open);
                }
                Event::Alias(anchor) => {
                    builder.nodes += 1;
                    builder.first_alias.get_or_insert(at);
                    let size = anchor_sizes.get(anchor).copied().unwrap_or(1);
                    expanded = expanded.saturating_add(size);
                    finished(&mut open);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    builder.nodes += 1;
                    expanded = expanded.saturating_add(1);
                    let at_key = matches!(event, Event::MappingStart(..)).then_some(true);
                    open.push(Open {
                        anchor: *anchor,
                        start: expanded - 1,
                        at_key,
                    });
                    builder.deepest = builder.deepest.max(open.len());
                    if open.len() > limits.max_depth {
                        exceeded = Some(Exceeded::Depth {
                            limit: limits.max_depth,
                            at,
                        });
                        break;
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some(done) = open.pop() {
                        if done.anchor > 0 {
                            anchor_sizes.insert(done.anchor, expanded - done.start);
                        }
                    }
                    finished(&mut open);
                }
                _ => {}
            }
            if builder.nodes > limits.max_nodes {
                exceeded = Some(Exceeded::Nodes {
                    limit: limits.max_nodes,
                    at,
                });
                break;
            }
            if expanded > limits.max_expanded {
                exceeded = Some(Exceeded::Expansion {
                    limit: limits.max_expanded,
                    at,
                });
                break;
            }
            builder.on_event(event, mark);
        }
        let index = SpanIndex {
            positions: builder.positions,
            names: HashMap::new(),
            duplicates: builder.duplicates,
            first_alias: builder.first_alias,
            first_merge_key: builder.first_merge_key,
            second_document: builder.second_document,
            #[cfg(test)]
            deepest: builder.deepest,
            #[cfg(test)]
            nodes: builder.nodes,
            expanded,
        };
        (index, exceeded)
    }

    /// Positions set by hand, for values read from a table (a CSV file or a sheet): each
    /// path points at its cell (line = row, column = column number, both 1-based; column
    /// 0 for a whole row) and is shown as `name`, its column's header.
    pub fn from_cells(cells: impl IntoIterator<Item = (String, (usize, usize), String)>) -> Self {
        let mut index = SpanIndex::default();
        for (path, at, name) in cells {
            index.positions.insert(path.clone(), at);
            index.names.insert(path, name);
        }
        index
    }

    /// How `path` is shown in a message: the name set for it (or for its nearest
    /// ancestor that has one) by [`SpanIndex::from_cells`], else `None` (the path itself).
    pub fn shown_key(&self, path: &str) -> Option<&str> {
        if self.names.is_empty() {
            return None;
        }
        let mut current = path;
        loop {
            if let Some(name) = self.names.get(current) {
                return Some(name);
            }
            if current.is_empty() {
                return None;
            }
            current = parent_path(current);
        }
    }

    /// Keys written twice in the same mapping, in file order.
    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Where the first alias (`*name`) is written.
    pub fn first_alias(&self) -> Option<(usize, usize)> {
        self.first_alias
    }

    /// Where the first merge key (`<<`) is written.
    pub fn first_merge_key(&self) -> Option<(usize, usize)> {
        self.first_merge_key
    }

    /// Where a second YAML document (`---`) starts, if the file has one.
    pub fn second_document(&self) -> Option<(usize, usize)> {
        self.second_document
    }

    /// Deepest nesting of lists and mappings seen.
    #[cfg(test)]
    pub fn deepest(&self) -> usize {
        self.deepest
    }

    /// Values (scalars, lists, mappings, aliases) written in the file.
    #[cfg(test)]
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// Values once every alias is expanded (as far as the scan went).
    pub fn expanded(&self) -> u64 {
        self.expanded
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
    first_alias: Option<(usize, usize)>,
    first_merge_key: Option<(usize, usize)>,
    second_document: Option<(usize, usize)>,
    deepest: usize,
    nodes: usize,
    stack: Vec<Frame>,
    /// Depth of containers being skipped: complex mapping keys, and containers whose
    /// path is longer than [`MAX_INDEXED_PATH`] (their problems point at an ancestor).
    skip_depth: usize,
    /// The container skipped is a value (not a key): its parent moves on when it ends.
    skip_is_value: bool,
}

/// Longest key path indexed. Deeper or longer paths fall back to their nearest indexed
/// ancestor, so the index stays linear in the file's size.
pub const MAX_INDEXED_PATH: usize = 1024;

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
                        *key = Some(text.clone());
                        if full.len() > MAX_INDEXED_PATH {
                            return None;
                        }
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

impl Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.skip_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.skip_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    self.skip_depth -= 1;
                    if self.skip_depth == 0 && self.skip_is_value {
                        self.value_done();
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Scalar(..) | Event::Alias(..) => {
                if let Some(path) = self.node_path(&event, mark) {
                    if path.len() <= MAX_INDEXED_PATH {
                        self.positions
                            .entry(path)
                            .or_insert((mark.line(), mark.col() + 1));
                    }
                    self.value_done();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                match self.node_path(&event, mark) {
                    Some(path) if path.len() > MAX_INDEXED_PATH => {
                        self.skip_depth = 1;
                        self.skip_is_value = true;
                    }
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
                        self.skip_is_value = false;
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
    fn deep_nesting_is_indexed_without_recursion() {
        // yaml-rust2's own `load` recurses per level; 100k levels would overflow the stack.
        let text = format!("a:\n  {}x\n", "- ".repeat(100_000));
        let (spans, exceeded) = SpanIndex::scan(&text, &ScanLimits::NONE);
        assert_eq!(exceeded, None);
        assert_eq!(spans.deepest(), 100_001);
        let limits = ScanLimits {
            max_depth: 128,
            ..ScanLimits::NONE
        };
        let (_, exceeded) = SpanIndex::scan(&text, &limits);
        assert!(matches!(
            exceeded,
            Some(Exceeded::Depth {
                limit: 128,
                at: (2, _)
            })
        ));
    }

    #[test]
    fn alias_expansion_is_measured() {
        let mut text = String::from("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        let mut previous = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g'] {
            let refs = vec![format!("*{previous}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        let (spans, exceeded) = SpanIndex::scan(&text, &ScanLimits::NONE);
        assert_eq!(exceeded, None);
        assert_eq!(spans.first_alias(), Some((2, 8)));
        let limits = ScanLimits {
            max_expanded: 100_000,
            ..ScanLimits::NONE
        };
        let (_, exceeded) = SpanIndex::scan(&text, &limits);
        assert!(
            matches!(exceeded, Some(Exceeded::Expansion { at: (5, _), .. })),
            "{exceeded:?}"
        );
    }

    #[test]
    fn node_count_is_capped() {
        let text = format!("[{}]", vec!["1"; 1000].join(","));
        let limits = ScanLimits {
            max_nodes: 100,
            ..ScanLimits::NONE
        };
        let (_, exceeded) = SpanIndex::scan(&text, &limits);
        assert!(matches!(exceeded, Some(Exceeded::Nodes { limit: 100, .. })));
        let (spans, exceeded) = SpanIndex::scan(&text, &ScanLimits::NONE);
        assert_eq!((spans.nodes(), exceeded), (1001, None));
    }

    #[test]
    fn long_paths_fall_back_to_an_ancestor() {
        let key = "k".repeat(600);
        let text = format!("a:\n  {key}:\n    {key}:\n      x: [1, 2]\n  b: 3\n");
        let spans = SpanIndex::build(&text);
        let deep = format!("a.{key}.{key}.x[1]");
        assert_eq!(spans.lookup(&deep), Some((2, 3)));
        assert_eq!(spans.lookup("a.b"), Some((5, 3)));
    }

    #[test]
    fn long_keys_are_refused_but_long_values_are_not() {
        let limits = ScanLimits {
            max_key_chars: 10,
            ..ScanLimits::NONE
        };
        let text = "a: {bb: [x, y], cccccccccccc: 1}\n";
        let (_, exceeded) = SpanIndex::scan(text, &limits);
        assert_eq!(
            exceeded,
            Some(Exceeded::KeyLength {
                limit: 10,
                chars: 12,
                at: (1, 17)
            })
        );
        let text = "a: {bb: [x, y], c: cccccccccccc}\n- ignored";
        let (_, exceeded) = SpanIndex::scan(text, &limits);
        assert_eq!(exceeded, None);
    }

    #[test]
    fn finds_a_second_document() {
        let spans = SpanIndex::build("a: 1\n---\nb: 2\n");
        assert_eq!(spans.second_document(), Some((2, 1)));
        assert_eq!(spans.lookup("b"), Some((1, 1)));
    }

    #[test]
    fn flow_mappings_in_sequences() {
        let text = "lanes:\n  - {from: a, to: b, cost: 3}\n  - {from: c, to: d}\n";
        let spans = SpanIndex::build(text);
        assert_eq!(spans.lookup("lanes[1].to"), Some((3, 15)));
        assert_eq!(spans.lookup("lanes[0].cost"), Some((2, 22)));
    }
}
