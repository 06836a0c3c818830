//! Lists of entry numbers as the search shards carry them: sorted, each
//! written as its gap from the one before, in a base-32 varint of letters
//! and digits (`annals.js` decodes it). A common word, found every few
//! entries, costs about one character an entry.
//!
//! A value is cut into 5-bit groups, most significant first; every group
//! but the last is written with [`MORE`], the last with [`LAST`]. The first
//! number is written as it is, each next one as `n - previous - 1`.
//!
//! A long list (over [`LONG_LIST_BYTES`]) is cut by *segment*, a fixed
//! range of [`SEGMENT`] entry numbers: its shard holds only its counts by
//! class and the segments it has entries in, and each segment's lists are a
//! part file of their own, so the finder loads a common word's entries a
//! segment at a time, as far as the reader goes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Entries per segment of a long list: a multiple of the class columns'
/// block ([`super::shards::BLOCK`]), so that the manifest's block bounds
/// give each segment's dates.
pub const SEGMENT: u32 = 16_384;
/// A list whose gaps take more bytes than this is cut into segments.
pub const LONG_LIST_BYTES: usize = 8 * 1024;

/// A list as a shard carries it.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// `{"class": "gaps", ...}`, in the shard itself.
    Inline(Value),
    /// Cut by segment: the count of each class (`{"class": count}`), and
    /// each segment's number, count and `{"class": "gaps"}`, in order.
    Cut {
        counts: Value,
        segments: Vec<(u32, usize, Value)>,
    },
}

/// The characters of a last group, 0 to 31.
pub const LAST: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
/// The characters of a group that more groups follow, 0 to 31.
pub const MORE: &[u8; 32] = b"ghijklmnopqrstuvwxyz0123456789-_";

/// `ids` (sorted, distinct) as a gap string.
pub fn encode(ids: &[u32]) -> String {
    let mut out = Vec::with_capacity(ids.len() + 8);
    let mut previous: Option<u32> = None;
    for &id in ids {
        let value = match previous {
            None => id,
            Some(p) => id.saturating_sub(p).saturating_sub(1),
        };
        previous = Some(id);
        push(&mut out, value);
    }
    String::from_utf8(out).unwrap_or_default()
}

fn push(out: &mut Vec<u8>, value: u32) {
    let mut groups = [0u8; 7];
    let mut n = 0;
    let mut v = value;
    loop {
        groups[n] = (v & 31) as u8;
        n += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (1..n).rev() {
        out.push(MORE[groups[i] as usize]);
    }
    out.push(LAST[groups[0] as usize]);
}

/// A gap string back as numbers (what the script does; for tests and checks).
pub fn decode(text: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    let mut previous: Option<u32> = None;
    for b in text.bytes() {
        if let Some(g) = MORE.iter().position(|&c| c == b) {
            acc = acc * 32 + g as u64;
        } else {
            let g = LAST.iter().position(|&c| c == b)?;
            acc = acc * 32 + g as u64;
            let value = u32::try_from(acc).ok()?;
            let id = match previous {
                None => value,
                Some(p) => p.checked_add(value)?.checked_add(1)?,
            };
            out.push(id);
            previous = Some(id);
            acc = 0;
        }
    }
    (acc == 0).then_some(out)
}

/// Entry numbers kept apart by the class of their entry (see
/// [`super::shards`]): the shards write each class's list on its own, so
/// that the script filters by track, status, kind and importance without
/// reading any entry.
#[derive(Debug, Default, Clone)]
pub struct ByClass {
    lists: BTreeMap<u32, Vec<u32>>,
    len: usize,
}

impl ByClass {
    /// Adds entry `id` of class `class`; ids come in increasing order.
    pub fn push(&mut self, class: u32, id: u32) {
        self.lists.entry(class).or_default().push(id);
        self.len += 1;
    }

    /// Adds the entries of `later`, each of whose ids is above every id of
    /// this one in its class.
    pub fn append(&mut self, later: ByClass) {
        for (class, ids) in later.lists {
            self.lists.entry(class).or_default().extend(ids);
        }
        self.len += later.len;
    }

    /// Adds entry `id` of class `class` in its place (a rebuild's edit).
    pub fn insert(&mut self, class: u32, id: u32) {
        let list = self.lists.entry(class).or_default();
        if let Err(at) = list.binary_search(&id) {
            list.insert(at, id);
            self.len += 1;
        }
    }

    /// Takes entry `id` of class `class` out (a rebuild's edit).
    pub fn remove(&mut self, class: u32, id: u32) {
        if let Some(list) = self.lists.get_mut(&class)
            && let Ok(at) = list.binary_search(&id)
        {
            list.remove(at);
            self.len -= 1;
            if list.is_empty() {
                self.lists.remove(&class);
            }
        }
    }

    /// How many entries in all.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `{"class": "gaps", ...}` as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.lists
                .iter()
                .map(|(class, ids)| (class.to_string(), encode(ids).into()))
                .collect(),
        )
    }

    /// The list in place when it is short, else cut by segment.
    pub fn written(&self) -> Written {
        let inline: Map<String, Value> = self
            .lists
            .iter()
            .map(|(class, ids)| (class.to_string(), encode(ids).into()))
            .collect();
        let bytes: usize = inline
            .values()
            .map(|v| v.as_str().map_or(0, str::len) + 8)
            .sum();
        if bytes <= LONG_LIST_BYTES {
            return Written::Inline(Value::Object(inline));
        }
        let counts: Map<String, Value> = self
            .lists
            .iter()
            .map(|(class, ids)| (class.to_string(), ids.len().into()))
            .collect();
        let mut by_segment: BTreeMap<u32, BTreeMap<u32, &[u32]>> = BTreeMap::new();
        for (&class, ids) in &self.lists {
            let mut rest: &[u32] = ids;
            while let Some(&first) = rest.first() {
                let segment = first / SEGMENT;
                let end = rest.partition_point(|&id| id / SEGMENT == segment);
                by_segment
                    .entry(segment)
                    .or_default()
                    .insert(class, &rest[..end]);
                rest = &rest[end..];
            }
        }
        let segments = by_segment
            .into_iter()
            .map(|(segment, lists)| {
                let count = lists.values().map(|l| l.len()).sum();
                let value = Value::Object(
                    lists
                        .into_iter()
                        .map(|(class, ids)| (class.to_string(), encode(ids).into()))
                        .collect(),
                );
                (segment, count, value)
            })
            .collect();
        Written::Cut {
            counts: Value::Object(counts),
            segments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_round_trip() {
        let cases: [&[u32]; 5] = [
            &[],
            &[0],
            &[0, 1, 2, 3],
            &[5, 40, 41, 1_000, 1_000_000, u32::MAX],
            &[31, 32, 1023, 1024],
        ];
        for ids in cases {
            let text = encode(ids);
            assert_eq!(decode(&text).as_deref(), Some(ids), "{text}");
        }
    }

    #[test]
    fn dense_lists_cost_a_character_an_entry() {
        let ids: Vec<u32> = (0..10_000).map(|i| i * 7).collect();
        // The first, 0, is "A"; each gap of 6 is "G".
        assert_eq!(encode(&ids).len(), ids.len());
        assert_eq!(&encode(&[0, 7, 14])[..], "AGG");
        assert_eq!(&encode(&[32])[..], "hA");
    }

    #[test]
    fn broken_strings_are_refused() {
        assert_eq!(decode("h"), None);
        assert_eq!(decode("A!"), None);
    }

    #[test]
    fn inserted_and_removed_ids_give_the_lists_pushed_ones_give() {
        let mut pushed = ByClass::default();
        for (class, id) in [(0, 1), (1, 2), (0, 5)] {
            pushed.push(class, id);
        }
        let mut edited = ByClass::default();
        for (class, id) in [(0, 5), (1, 3), (0, 1), (1, 2)] {
            edited.insert(class, id);
        }
        edited.remove(1, 3);
        edited.remove(0, 9);
        assert_eq!(edited.len(), 3);
        assert_eq!(edited.json(), pushed.json());
        edited.remove(1, 2);
        assert_eq!(edited.json(), serde_json::json!({"0": "BD"}));
    }

    #[test]
    fn long_lists_are_cut_by_segment_and_short_ones_kept_whole() {
        let mut short = ByClass::default();
        short.push(0, 3);
        assert_eq!(
            short.written(),
            Written::Inline(serde_json::json!({"0": "D"}))
        );
        // Every third entry of three segments and a bit, in two classes.
        let mut long = ByClass::default();
        let ids: Vec<u32> = (0..3 * SEGMENT + 30).step_by(3).collect();
        for &id in &ids {
            long.push(id % 2, id);
        }
        let Written::Cut { counts, segments } = long.written() else {
            panic!("a long list is cut");
        };
        let even = ids.iter().filter(|&&i| i % 2 == 0).count();
        assert_eq!(
            counts,
            serde_json::json!({"0": even, "1": ids.len() - even})
        );
        assert_eq!(
            segments.iter().map(|s| s.0).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        let mut back = Vec::new();
        for (segment, count, lists) in &segments {
            let mut here: Vec<u32> = lists
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .flat_map(|g| decode(g.as_str().unwrap_or("!")).unwrap_or_default())
                .collect();
            assert_eq!(here.len(), *count);
            assert!(here.iter().all(|id| id / SEGMENT == *segment));
            here.sort_unstable();
            back.extend(here);
        }
        assert_eq!(back, ids);
    }

    #[test]
    fn classes_keep_their_own_lists() {
        let mut by = ByClass::default();
        for (class, id) in [(1, 0), (0, 1), (1, 2), (1, 3)] {
            by.push(class, id);
        }
        assert_eq!(by.len(), 4);
        assert_eq!(by.json(), serde_json::json!({"0": "B", "1": "ABA"}));
    }
}
