//! Where each value of a YAML document is written: serde_yaml forgets
//! positions once a document is parsed, so when an error needs a line, the
//! text is walked once more with yaml-rust2's event parser, which keeps them.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index (0-based).
    Index(usize),
}

/// Shorthand for a key step.
pub fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

/// Positions (1-based line and column) of every key and value of a document.
#[derive(Debug, Default)]
pub struct LocationIndex {
    values: HashMap<Vec<Seg>, (usize, usize)>,
    keys: HashMap<Vec<Seg>, (usize, usize)>,
}

impl LocationIndex {
    /// Walks `text`; a syntax error stops the walk, keeping what was found before it.
    pub fn build(text: &str) -> LocationIndex {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        // Errors are already reported by serde_yaml; positions found before one still help.
        let _ = parser.load(&mut walker, false);
        walker.index
    }

    /// The position of the value at `path`.
    pub fn value(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.values.get(path).copied()
    }

    /// The position of the key at the end of `path`, or of the item for an index.
    pub fn key(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.keys
            .get(path)
            .or_else(|| self.values.get(path))
            .copied()
    }
}

enum Frame {
    Seq {
        next: usize,
    },
    /// `first`: no key seen yet. The parser marks a block mapping where its
    /// first key ends, so the first key's own position stands for the mapping.
    Map {
        key: Option<String>,
        first: bool,
    },
}

#[derive(Default)]
struct Walker {
    index: LocationIndex,
    path: Vec<Seg>,
    frames: Vec<Frame>,
    /// For each open collection: whether it was entered as a value (and so
    /// pushed a path step to pop when it closes).
    entered: Vec<bool>,
}

impl Walker {
    /// Records a node (scalar, alias or collection start) at the current
    /// position; returns whether it was a value (as opposed to a mapping key).
    fn node(&mut self, text: Option<&str>, mark: Marker) -> bool {
        let pos = (mark.line(), mark.col() + 1);
        match self.frames.last_mut() {
            Some(Frame::Map { key, first }) if key.is_none() => {
                if std::mem::take(first) {
                    self.index.values.insert(self.path.clone(), pos);
                }
                let name = text.unwrap_or("").to_string();
                self.path.push(Seg::Key(name.clone()));
                self.index.keys.entry(self.path.clone()).or_insert(pos);
                self.path.pop();
                *key = Some(name);
                false
            }
            Some(Frame::Map { key, .. }) => {
                let name = key.take().unwrap_or_default();
                self.path.push(Seg::Key(name));
                self.index.values.entry(self.path.clone()).or_insert(pos);
                true
            }
            Some(Frame::Seq { next }) => {
                self.path.push(Seg::Index(*next));
                *next += 1;
                self.index.values.entry(self.path.clone()).or_insert(pos);
                true
            }
            None => {
                self.index.values.entry(Vec::new()).or_insert(pos);
                false
            }
        }
    }

    /// Leaves the path step a finished value entered.
    fn close(&mut self, was_value: bool) {
        if was_value {
            self.path.pop();
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, ..) => {
                let v = self.node(Some(&text), mark);
                self.close(v);
            }
            Event::Alias(_) => {
                let v = self.node(None, mark);
                self.close(v);
            }
            Event::SequenceStart(..) => {
                let v = self.node(None, mark);
                self.frames.push(Frame::Seq { next: 0 });
                self.entered.push(v);
            }
            Event::MappingStart(..) => {
                let v = self.node(None, mark);
                self.frames.push(Frame::Map {
                    key: None,
                    first: true,
                });
                self.entered.push(v);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.frames.pop();
                let v = self.entered.pop().unwrap_or(false);
                self.close(v);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(segs: &[Seg]) -> Vec<Seg> {
        segs.to_vec()
    }

    #[test]
    fn finds_keys_and_values_in_sequences() {
        let text = "- id: a\n  date: 2022\n- id: b\n  date: 2025-13-01\n  actors: [x, y]\n";
        let idx = LocationIndex::build(text);
        assert_eq!(idx.value(&p(&[Seg::Index(1)])), Some((3, 3)));
        assert_eq!(idx.value(&p(&[Seg::Index(1), key("date")])), Some((4, 9)));
        assert_eq!(idx.key(&p(&[Seg::Index(1), key("date")])), Some((4, 3)));
        assert_eq!(
            idx.value(&p(&[Seg::Index(1), key("actors"), Seg::Index(1)])),
            Some((5, 15))
        );
    }

    #[test]
    fn nested_mappings() {
        let text = "id: a\nsources:\n  - article: x\n  - url: https://e.org\n    title: T\n";
        let idx = LocationIndex::build(text);
        assert_eq!(
            idx.value(&p(&[key("sources"), Seg::Index(1), key("title")])),
            Some((5, 12))
        );
        assert_eq!(idx.key(&p(&[key("id")])), Some((1, 1)));
    }

    #[test]
    fn survives_broken_yaml() {
        let idx = LocationIndex::build("a: 1\nb: [\n");
        assert_eq!(idx.value(&p(&[key("a")])), Some((1, 4)));
    }
}
