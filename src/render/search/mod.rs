//! The search index: `search-index.js`, every published entry in a compact
//! form for the timeline's filters and full-text search. It is a script, not
//! JSON, so that it loads from `file://` too (browsers refuse `fetch()` there
//! but run a `<script src>`); `annals.js` inserts it on first use.
//!
//! The script assigns `window.annalsIndex`:
//!
//! ```text
//! { "v": 1,
//!   "tracks": [[slug, name, tone], ...], "tags": [[slug, name], ...],
//!   "actors": [[id, name], ...], "places": [[id, name], ...],
//!   "statuses": ["confirmed", ...], "eras": [[id, title], ...],
//!   "kinds": [[kind, kind], ...],
//!   "cols": ["id", "kind", "title", "when", "start", "end", "track",
//!            "importance", "status", "tags", "actors", "places", "era",
//!            "summary", "kinds", "figures", "content_warning"],
//!   "e": [[id, kind, title, when, start, end, track, importance, status,
//!          [tags], [actors], [places], era, summary, [kinds], figures,
//!          content_warning], ...] }
//! ```
//!
//! Entries are in chronology order; the script reads each cell of a row by
//! its name in `cols` ([`COLUMNS`]), never by a position of its own. `kind` is 0 for an event, 1 for an
//! article; `when` is the date as shown ("c. 24 February 2022"); `start` and
//! `end` are `YYYYMMDD` numbers of the first and last day of the span, with
//! `00` for the month or day a partial date leaves open (so `2022-02` starts
//! at 20220200 and ends at 20220231, and compares correctly with any day);
//! `track`, `status` and `era` index the tables (-1: none); the lists hold
//! indexes into `tags`, `actors` and `places`; `summary` is plain text;
//! `[kinds]` indexes the kinds of figures the event claims (killed,
//! injured, ...) in `kinds`, `figures` is its claims in one line and
//! `content_warning` its warning ("" without one). A site whose entry pages
//! are in dated folders (`folder_limit`) adds a last column, `path`: the
//! page's path from the site root.

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

pub mod postings;
pub mod shards;
pub mod tokens;

use super::views::{Cards, EntryCard, track_tone};
use crate::chronology::{Chronology, NO_TERM, Taxonomy};
use crate::date::{Date, Precision};

/// The names of an entry row's cells, in order. The index carries them as
/// `cols`, and the script finds each cell by its name there: a cell renamed
/// or moved here is seen by the script, never read as another.
pub const COLUMNS: [&str; 17] = [
    "id",
    "kind",
    "title",
    "when",
    "start",
    "end",
    "track",
    "importance",
    "status",
    "tags",
    "actors",
    "places",
    "era",
    "summary",
    "kinds",
    "figures",
    "content_warning",
];

/// The statuses an entry can have, in the order of the index's `statuses` table.
pub const STATUSES: [&str; 6] = [
    "confirmed",
    "corroborated",
    "unverified",
    "disputed",
    "debunked",
    "draft",
];

/// Every file of the search index (the manifest `search-index.js` and its
/// shards, see [`shards`]), made safe, each handed to `put` as soon as it
/// is made ([`shards::each_file_of`]); entries are made in parallel, each once.
pub fn each_index_file(chron: &Chronology, cards: &Cards, put: &mut dyn FnMut(String, Vec<u8>)) {
    each_index_file_after(chron, cards, None, &mut |_| false, put);
}

/// What a build remembers of its search index for the next build that
/// updates its output: each entry's meta and words, and the digest of the
/// tables they index into (the kinds of figures and the facets' terms).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remembered {
    /// The digest of the kinds of figures and the facets' tables.
    pub key: u64,
    /// Each entry's meta and words.
    pub entries: shards::Entries,
}

/// [`each_index_file`] after the build `last` remembers, whose entries
/// are the same but those `changed` says (by position): while the tables
/// are the same too, a row shard holding no changed entry is offered to
/// `keep` (which keeps the last build's file and says so) and its rows are
/// not made. Returns what to remember for the next build.
pub fn each_index_file_after(
    chron: &Chronology,
    cards: &Cards,
    last: Option<(&Remembered, &[bool])>,
    keep: &mut dyn FnMut(&str) -> bool,
    put: &mut dyn FnMut(String, Vec<u8>),
) -> Remembered {
    let kinds = figure_kinds(chron);
    let row = |pos: usize| row_bytes(chron, cards, pos, &kinds);
    let tables = shards::Tables::of(chron);
    let key = crate::digest::hash_of(&(&kinds, &tables.facets));
    let known = last
        .filter(|(r, _)| r.key == key)
        .map(|(r, changed)| shards::Known {
            changed,
            entries: &r.entries,
        });
    let entries = shards::each_file_of(
        &tables,
        chron.entries.len(),
        &row,
        known.as_ref(),
        keep,
        &mut |(path, bytes)| put(path, crate::script_safe::escape(bytes)),
    );
    Remembered { key, entries }
}

/// What the index holds of the entry at `pos`: its row (JSON), then on a
/// line of its own its [`shards::Meta`], then on a third its distinct words
/// separated by spaces; `kinds` is the table of kinds of figures
/// ([`figure_kinds`]).
pub fn row_bytes(chron: &Chronology, cards: &Cards, pos: usize, kinds: &[String]) -> Arc<[u8]> {
    let card = cards.card(pos);
    let (entry, meta) = row(chron, card, cards.plain(pos), pos, kinds);
    let mut out = serde_json::to_vec(&entry).unwrap_or_else(|_| b"null".to_vec());
    out.push(b'\n');
    out.extend_from_slice(meta.line().as_bytes());
    out.push(b'\n');
    let summary = entry.get(13).and_then(Value::as_str).unwrap_or("");
    let mut texts: Vec<&str> = vec![&card.title, summary];
    if let Ok(t) = usize::try_from(meta.track) {
        texts.extend(chron.tracks.terms.get(t).map(|t| t.name.as_str()));
    }
    for (f, taxonomy) in [&chron.tags, &chron.actors, &chron.places]
        .iter()
        .enumerate()
    {
        for &i in &meta.facets[f] {
            texts.extend(taxonomy.terms.get(i as usize).map(|t| t.name.as_str()));
        }
    }
    out.extend_from_slice(tokens::distinct(texts).join(" ").as_bytes());
    Arc::from(out)
}

/// The kinds of figures published events claim, sorted.
pub fn figure_kinds(chron: &Chronology) -> Vec<String> {
    // Gathered on every core, each kind once (every event is looked at,
    // few have figures), then sorted.
    let kinds = (0..chron.entries.len())
        .into_par_iter()
        .filter_map(|p| chron.event(p))
        .fold(std::collections::BTreeSet::new, |mut kinds, e| {
            kinds.extend(e.figures.iter().map(|f| f.kind.as_str()));
            kinds
        })
        .reduce(std::collections::BTreeSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    kinds.into_iter().map(str::to_string).collect()
}

/// The row of the entry at `pos`. The tables list each taxonomy's terms in
/// its order, so a term's position in its table is its index there.
fn row(
    chron: &Chronology,
    card: &EntryCard,
    plain: &str,
    pos: usize,
    kinds: &[String],
) -> (Value, shards::Meta) {
    let dates = chron.dates(pos);
    let start = day_key(dates.start(), false);
    let end = day_key(dates.end().unwrap_or(dates.start()), true);
    let summary = match chron.article(pos) {
        Some(a) => a.summary.clone().unwrap_or_default(),
        None => plain.to_string(),
    };
    let track = indexes(&chron.tracks, pos)
        .first()
        .map_or(-1, |&i| i as i64);
    let status = STATUSES.iter().position(|s| *s == card.status).unwrap_or(0);
    let era = chron.era_of[pos].map_or(-1, |i| i as i64);
    let figure_kinds: Vec<usize> = card
        .spans
        .iter()
        .filter_map(|s| kinds.iter().position(|k| *k == s.kind))
        .collect();
    let cells: [(&str, Value); 17] = [
        ("id", json!(card.id)),
        ("kind", json!(u8::from(card.kind == "article"))),
        ("title", json!(card.title)),
        ("when", json!(card.when.display)),
        ("start", json!(start)),
        ("end", json!(end)),
        ("track", json!(track)),
        ("importance", json!(card.importance)),
        ("status", json!(status)),
        ("tags", json!(indexes(&chron.tags, pos))),
        ("actors", json!(indexes(&chron.actors, pos))),
        ("places", json!(indexes(&chron.places, pos))),
        ("era", json!(era)),
        ("summary", json!(summary)),
        ("kinds", json!(figure_kinds)),
        ("figures", json!(card.figures)),
        (
            "content_warning",
            json!(card.content_warning.as_deref().unwrap_or("")),
        ),
    ];
    debug_assert!(cells.iter().map(|(name, _)| *name).eq(COLUMNS));
    let meta = shards::Meta {
        track,
        status: status as u8,
        kind: u8::from(card.kind == "article"),
        major: card.importance >= 4,
        start,
        end,
        facets: [
            indexes(&chron.tags, pos)
                .into_iter()
                .map(|i| i as u32)
                .collect(),
            indexes(&chron.actors, pos)
                .into_iter()
                .map(|i| i as u32)
                .collect(),
            indexes(&chron.places, pos)
                .into_iter()
                .map(|i| i as u32)
                .collect(),
            figure_kinds.iter().map(|&i| i as u32).collect(),
        ],
    };
    let mut row: Vec<Value> = cells.into_iter().map(|(_, value)| value).collect();
    if chron.folders.dated() {
        row.push(json!(card.path));
    }
    (Value::Array(row), meta)
}

/// The index's `cols`: [`COLUMNS`], and `path` (the page's path from the
/// site root) on a site whose entry pages are in dated folders, where the
/// id alone does not give it.
pub fn columns(chron: &Chronology) -> Vec<&'static str> {
    let mut cols = COLUMNS.to_vec();
    if chron.folders.dated() {
        cols.push("path");
    }
    cols
}

/// The positions in its table of the terms the entry at `pos` lists.
fn indexes(taxonomy: &Taxonomy, pos: usize) -> Vec<usize> {
    taxonomy
        .entry_terms(pos)
        .iter()
        .filter(|&&i| i != NO_TERM)
        .map(|&i| i as usize)
        .collect()
}

/// A date as a `YYYYMMDD` number: the first day of its period, or with
/// `last` the last one; a month or day a partial date leaves open is `00`
/// at the start and `12`/`31` at the end.
fn day_key(date: &Date, last: bool) -> u32 {
    let machine = date.machine();
    let part = |from: usize, to: usize| {
        machine
            .get(from..to)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let year = part(0, 4);
    let (month, day) = match date.precision() {
        Precision::Year if last => (12, 31),
        Precision::Year => (0, 0),
        Precision::Month if last => (part(5, 7), 31),
        Precision::Month => (part(5, 7), 0),
        _ => (part(5, 7), part(8, 10)),
    };
    year * 10_000 + month * 100 + day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_keys_bracket_partial_dates() {
        let tz: chrono_tz::Tz = "Europe/Kyiv".parse().unwrap_or(chrono_tz::UTC);
        let cases = [
            ("2022", 20220000, 20221231),
            ("2022-02~", 20220200, 20220231),
            ("2022-02-24?", 20220224, 20220224),
            ("2022-02-24T05:00:00+02:00", 20220224, 20220224),
        ];
        for (written, start, end) in cases {
            let Ok(d) = Date::parse(written, tz) else {
                panic!("{written} should parse");
            };
            assert_eq!(day_key(&d, false), start, "{written}");
            assert_eq!(day_key(&d, true), end, "{written}");
        }
    }
}
