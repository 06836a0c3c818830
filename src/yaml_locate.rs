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
    /// Walks `text`; a syntax error stops the walk, keeping what was found
    /// before it. Long runs of word characters (a 10 MB value) are cut short
    /// first and positions mapped back: the walk costs per character, and
    /// only where values start matters here.
    pub fn build(text: &str) -> LocationIndex {
        let (short, cuts) = shorten(text);
        let mut walker = Walker {
            cuts,
            ..Walker::default()
        };
        let mut parser = Parser::new_from_str(&short);
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

/// Runs of word characters longer than this are cut before the walk.
const LONG_RUN: usize = 256;
/// How much of a long run is kept.
const KEPT: usize = 64;

/// Where runs were cut, by 1-based line: (0-based column just after the kept
/// part, in the shortened line; characters dropped there), in line order.
type Cuts = HashMap<usize, Vec<(usize, usize)>>;

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// `text` with every run of more than 256 word characters (ASCII letters,
/// digits, `_`, `-`, `.`) cut to its first 64. Such a run is always inside
/// one token, so the structure is unchanged; only later columns of its line move.
fn shorten(text: &str) -> (std::borrow::Cow<'_, str>, Cuts) {
    let mut run = 0;
    if !text.bytes().any(|b| {
        run = if is_word(b) { run + 1 } else { 0 };
        run > LONG_RUN
    }) {
        return (std::borrow::Cow::Borrowed(text), Cuts::new());
    }
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut cuts = Cuts::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bytes = line.as_bytes();
        let mut column = 0;
        let mut start = 0;
        while start < bytes.len() {
            let len = bytes[start..].iter().take_while(|&&b| is_word(b)).count();
            if len > LONG_RUN {
                out.push_str(&line[start..start + KEPT]);
                column += KEPT;
                cuts.entry(i + 1).or_default().push((column, len - KEPT));
                start += len;
                continue;
            }
            // The run (short) and the next character, whole.
            let next = line[start + len..].chars().next().map_or(0, char::len_utf8);
            let piece = &line[start..start + len + next];
            out.push_str(piece);
            column += len + usize::from(next > 0);
            start += len + next;
        }
    }
    (std::borrow::Cow::Owned(out), cuts)
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
    /// Where the text walked was shortened.
    cuts: Cuts,
}

impl Walker {
    /// Records a node (scalar, alias or collection start) at the current
    /// position; returns whether it was a value (as opposed to a mapping key).
    fn node(&mut self, text: Option<&str>, mark: Marker) -> bool {
        let mut col = mark.col();
        if let Some(cuts) = self.cuts.get(&mark.line()) {
            let short = col;
            col += cuts
                .iter()
                .filter(|(at, _)| *at <= short)
                .map(|(_, dropped)| dropped)
                .sum::<usize>();
        }
        let pos = (mark.line(), col + 1);
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
    fn long_values_keep_their_places() {
        let long = "a".repeat(1000);
        let text = format!("- id: x\n  actors: [{long}, b, {long}]\n  title: {long}\n");
        let idx = LocationIndex::build(&text);
        let actors = |i| p(&[Seg::Index(0), key("actors"), Seg::Index(i)]);
        assert_eq!(idx.value(&actors(0)), Some((2, 12)));
        assert_eq!(idx.value(&actors(1)), Some((2, 12 + 1000 + 2)));
        assert_eq!(idx.value(&actors(2)), Some((2, 12 + 1000 + 2 + 3)));
        assert_eq!(idx.value(&p(&[Seg::Index(0), key("title")])), Some((3, 10)));
        let (short, _) = shorten("й: [ok]\n");
        assert_eq!(short, "й: [ok]\n");
    }

    #[test]
    fn survives_broken_yaml() {
        let idx = LocationIndex::build("a: 1\nb: [\n");
        assert_eq!(idx.value(&p(&[key("a")])), Some((1, 4)));
    }
}
