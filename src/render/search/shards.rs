//! The sharded search index: a small manifest (`search-index.js`) and
//! script files under `search/` that the finder loads only when a query or
//! a filter needs them (see `docs/templates.md`, "The search index").
//!
//! Every file is a script, not JSON, so that it loads from `file://` too:
//! a shard calls `annalsShard(key, data)`. Entries are numbered by their
//! place in the chronology (0 is the oldest). Each entry has a *class*, the
//! tuple (track, status, kind, major) that the finder's cheap filters test;
//! every list of entries is kept apart by class, so those filters never
//! need an entry's row.
//!
//! | file | key | data |
//! |---|---|---|
//! | `search/r/G/N.js` | `r/N` | rows `N*rows ..` in [`COLUMNS`](super::COLUMNS) |
//! | `search/t/G/N.js` | `t/N` | `{word: list}`, words from `terms[N]` on |
//! | `search/p/G/N.js` | `p/N` | `{class: gaps}`: one segment of a long list |
//! | `search/k/G/N.js` | `k/N` | the class of each entry of block `N`, `cw` characters each |
//! | `search/d/G/N.js` | `d/N` | `[start, end, start, end, ...]` of block `N` |
//! | `search/tags/G/N.js` (`actors`, `places`, `kinds`) | `tags/N` | a list |
//! | `search/facets.js` | `facets` | `{tags: [[slug, name, count]], actors, places, kinds}` |
//!
//! `G` is `N / 1000`, so that no folder holds more than a thousand shards.
//! A *list* is `{class: gaps}` when short; a long one is cut by segment of
//! entry numbers ([`super::postings`]) and is then `{"n": {class: count},
//! "s": [[segment, part, count], ...]}`, its segments in the part files
//! `p/part`: the finder counts its matches from `n` and loads its segments
//! in the reader's order only as far as the reader goes.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::STATUSES;
use super::postings::{ByClass, LAST, MORE, SEGMENT, Written};
use super::tokens::js_order;
use crate::chronology::{Chronology, Taxonomy};

/// Rows per row shard: a result list's first screen fetches one shard per
/// result at worst, so they stay a few kilobytes.
pub const ROWS_PER_SHARD: usize = 8;
/// Entries per block of the class and date columns.
pub const BLOCK: usize = 4096;
/// About how many bytes of lists a word shard holds (a word with more has
/// a shard of its own).
pub const TERM_SHARD_BYTES: usize = 16 * 1024;
/// Shards per folder.
pub const PER_FOLDER: usize = 1000;
/// The facets with lists of their own, in the manifest's order.
pub const FACETS: [&str; 4] = ["tags", "actors", "places", "kinds"];

/// A file of the index: its path and bytes.
pub type OutFile = (String, Vec<u8>);

/// What the index needs of an entry besides its row, as [`super::row_bytes`]
/// writes it on the line after the row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The track's index, -1 for none.
    pub track: i64,
    /// The status's index in [`STATUSES`].
    pub status: u8,
    /// 0 for an event, 1 for an article.
    pub kind: u8,
    /// Whether it is an event of importance 4 or 5.
    pub major: bool,
    /// `YYYYMMDD` of its first day.
    pub start: u32,
    /// `YYYYMMDD` of its last day.
    pub end: u32,
    /// Its terms of `tags`, `actors`, `places`, and its kinds of figures.
    pub facets: [Vec<u32>; 4],
}

impl Meta {
    /// One line of numbers: `track status kind major start end t,t a p k`.
    pub fn line(&self) -> String {
        let list = |l: &[u32]| {
            if l.is_empty() {
                "-".to_string()
            } else {
                l.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            }
        };
        format!(
            "{} {} {} {} {} {} {} {} {} {}",
            self.track,
            self.status,
            self.kind,
            u8::from(self.major),
            self.start,
            self.end,
            list(&self.facets[0]),
            list(&self.facets[1]),
            list(&self.facets[2]),
            list(&self.facets[3]),
        )
    }

    /// A line [`Meta::line`] wrote.
    pub fn parse(line: &str) -> Option<Meta> {
        let mut parts = line.split(' ');
        let mut next = || parts.next();
        let track = next()?.parse().ok()?;
        let status = next()?.parse().ok()?;
        let kind = next()?.parse().ok()?;
        let major = next()? == "1";
        let start = next()?.parse().ok()?;
        let end = next()?.parse().ok()?;
        let mut facets: [Vec<u32>; 4] = Default::default();
        for facet in &mut facets {
            let text = next()?;
            if text != "-" {
                *facet = text
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .ok()?;
            }
        }
        Some(Meta {
            track,
            status,
            kind,
            major,
            start,
            end,
            facets,
        })
    }

    /// Its class: (track, status, kind, major).
    pub fn class_key(&self) -> ClassKey {
        (self.track, self.status, self.kind, self.major)
    }
}

/// One entry as [`super::row_bytes`] made it: its row, meta and words.
pub struct Parts<'a> {
    /// Its row (JSON).
    pub row: &'a [u8],
    /// What the cheap filters and facets test.
    pub meta: Meta,
    /// Its distinct words, separated by spaces.
    pub words: &'a str,
}

/// An entry's [`super::row_bytes`] taken apart.
pub fn split(blob: &[u8]) -> Parts<'_> {
    let mut lines = blob.splitn(3, |&b| b == b'\n');
    let row = lines.next().unwrap_or(b"null");
    let meta = lines
        .next()
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(Meta::parse)
        .unwrap_or_default();
    let words = lines
        .next()
        .and_then(|l| std::str::from_utf8(l).ok())
        .unwrap_or("");
    Parts { row, meta, words }
}

/// The path of shard `n` of `kind` (`r`, `t`, `k`, `d`, `tags`, ...).
pub fn shard_path(kind: &str, n: usize) -> String {
    format!("search/{kind}/{}/{n}.js", n / PER_FOLDER)
}

/// A shard's script: `annalsShard("key",data);`.
fn script(key: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + key.len() + 20);
    out.extend_from_slice(b"annalsShard(\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\",");
    out.extend_from_slice(data);
    out.extend_from_slice(b");\n");
    out
}

fn value_script(key: &str, value: &Value) -> Vec<u8> {
    script(
        key,
        &serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec()),
    )
}

/// The class alphabet: a class is written as `width` of these, most
/// significant first.
fn class_chars(class: usize, width: usize, out: &mut Vec<u8>) {
    for i in (0..width).rev() {
        let digit = (class >> (6 * i)) & 63;
        out.push(if digit < 32 {
            LAST[digit]
        } else {
            MORE[digit - 32]
        });
    }
}

/// A class: (track, status, kind, major).
pub type ClassKey = (i64, u8, u8, bool);

/// The classes of the entries, numbered in order of first use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classes {
    /// Each entry's class.
    pub class_of: Vec<u32>,
    /// Each class and how many entries have it.
    pub classes: Vec<(ClassKey, usize)>,
    /// Characters per class in the class columns.
    pub width: usize,
}

impl Classes {
    /// The classes of entries with these metas, in order.
    pub fn of<'a>(metas: impl Iterator<Item = &'a Meta>) -> Classes {
        let mut class_of: Vec<u32> = Vec::new();
        let mut classes: Vec<(ClassKey, usize)> = Vec::new();
        let mut class_ids: HashMap<ClassKey, u32> = HashMap::new();
        for meta in metas {
            let key = meta.class_key();
            let id = *class_ids.entry(key).or_insert_with(|| {
                classes.push((key, 0));
                (classes.len() - 1) as u32
            });
            classes[id as usize].1 += 1;
            class_of.push(id);
        }
        let mut width = 1;
        while classes.len() > 1 << (6 * width) {
            width += 1;
        }
        Classes {
            class_of,
            classes,
            width,
        }
    }
}

/// The site's tables the index names its entries' terms by.
#[derive(Debug, Clone, Default, Hash)]
pub struct Tables {
    /// Each track's slug, name and tone.
    pub tracks: Vec<(String, String, u8)>,
    /// The terms of [`FACETS`], each as (slug, name).
    pub facets: [Vec<(String, String)>; 4],
    /// Each era's id and title.
    pub eras: Vec<(String, String)>,
    /// The rows' columns ([`super::columns`]).
    pub cols: Vec<&'static str>,
}

impl Tables {
    /// The tables of `chron`.
    pub fn of(chron: &Chronology) -> Tables {
        // Each kind of figures with its name in the site's language.
        let words = crate::render::figures::Words::of(chron);
        let kinds = super::figure_kinds(chron)
            .into_iter()
            .map(|k| {
                let name = words.kind(&k);
                (k, name)
            })
            .collect();
        Tables {
            tracks: chron
                .tracks
                .terms
                .iter()
                .map(|t| {
                    let tone = super::track_tone(chron, &t.slug);
                    (t.slug.clone(), t.name.clone(), tone)
                })
                .collect(),
            facets: [
                terms(&chron.tags),
                terms(&chron.actors),
                terms(&chron.places),
                kinds,
            ],
            eras: chron
                .eras
                .iter()
                .map(|e| (e.id.value.clone(), e.title.clone()))
                .collect(),
            cols: super::columns(chron),
        }
    }
}

/// Row shard `i`, of these rows.
pub fn row_shard(i: usize, rows: &[&[u8]]) -> OutFile {
    let mut data = Vec::with_capacity(rows.iter().map(|r| r.len() + 1).sum::<usize>() + 2);
    data.push(b'[');
    for (j, row) in rows.iter().enumerate() {
        if j > 0 {
            data.push(b',');
        }
        data.extend_from_slice(row);
    }
    data.push(b']');
    (shard_path("r", i), script(&format!("r/{i}"), &data))
}

/// Block `b` of the class and date columns, of the entries with these
/// metas and classes: its bounds (for the manifest) and its two files.
pub fn block(
    b: usize,
    metas: &[&Meta],
    class_of: &[u32],
    width: usize,
) -> (Value, OutFile, OutFile) {
    let mut chars = Vec::with_capacity(metas.len() * width);
    for &c in class_of {
        class_chars(c as usize, width, &mut chars);
    }
    let chars = String::from_utf8(chars).unwrap_or_default();
    let dates: Vec<u32> = metas.iter().flat_map(|m| [m.start, m.end]).collect();
    let min_start = metas.iter().map(|m| m.start).min().unwrap_or(0);
    let max_start = metas.iter().map(|m| m.start).max().unwrap_or(0);
    let min_end = metas.iter().map(|m| m.end).min().unwrap_or(0);
    let max_end = metas.iter().map(|m| m.end).max().unwrap_or(0);
    (
        json!([min_start, max_start, min_end, max_end]),
        (
            shard_path("k", b),
            value_script(&format!("k/{b}"), &chars.into()),
        ),
        (
            shard_path("d", b),
            value_script(&format!("d/{b}"), &json!(dates)),
        ),
    )
}

/// How many part files a list takes.
pub fn parts_of(list: &Written) -> usize {
    match list {
        Written::Inline(_) => 0,
        Written::Cut { segments, .. } => segments.len(),
    }
}

/// A list as its shard holds it (JSON), its part files numbered from
/// `first`: in place, or the header of a cut list.
pub fn list_json(list: &Written, first: usize) -> Vec<u8> {
    let json = match list {
        Written::Inline(value) => serde_json::to_vec(value),
        Written::Cut { counts, segments } => {
            let segments: Vec<Value> = segments
                .iter()
                .enumerate()
                .map(|(j, (segment, count, _))| json!([segment, first + j, count]))
                .collect();
            serde_json::to_vec(&json!({"n": counts, "s": segments}))
        }
    };
    json.unwrap_or_else(|_| b"null".to_vec())
}

/// The part files of a list (none when it is in place), numbered from
/// `first`.
pub fn part_files(list: &Written, first: usize) -> Vec<OutFile> {
    let Written::Cut { segments, .. } = list else {
        return Vec::new();
    };
    segments
        .iter()
        .enumerate()
        .map(|(j, (_, _, lists))| {
            let i = first + j;
            (shard_path("p", i), value_script(&format!("p/{i}"), lists))
        })
        .collect()
}

/// Each term of the facets' tables with the entries (of these metas and
/// classes) that have it, by class.
pub fn facet_lists(
    tables: &[Vec<(String, String)>; 4],
    metas: &[&Meta],
    class_of: &[u32],
) -> [Vec<ByClass>; 4] {
    let mut lists: [Vec<ByClass>; 4] = Default::default();
    for (f, table) in tables.iter().enumerate() {
        lists[f] = vec![ByClass::default(); table.len()];
    }
    for (id, meta) in metas.iter().enumerate() {
        for (f, list) in meta.facets.iter().enumerate() {
            for &term in list {
                if let Some(by) = lists[f].get_mut(term as usize) {
                    by.push(class_of[id], id as u32);
                }
            }
        }
    }
    lists
}

/// `search/facets.js`: each facet's terms with their counts (`count(f,
/// i)`: of term `i` of facet `f`).
pub fn facet_table(
    tables: &[Vec<(String, String)>; 4],
    count: impl Fn(usize, usize) -> usize,
) -> OutFile {
    let mut table = serde_json::Map::new();
    for (f, name) in FACETS.iter().enumerate() {
        table.insert(
            name.to_string(),
            tables[f]
                .iter()
                .enumerate()
                .map(|(i, (slug, title))| json!([slug, title, count(f, i)]))
                .collect(),
        );
    }
    (
        "search/facets.js".to_string(),
        value_script("facets", &Value::Object(table)),
    )
}

/// The file of term `i` of facet `f` ([`FACETS`]), holding `list` (of
/// [`list_json`]).
pub fn facet_file(f: usize, i: usize, list: &[u8]) -> OutFile {
    let name = FACETS[f];
    (shard_path(name, i), script(&format!("{name}/{i}"), list))
}

/// A word as its term shard holds it: `"word":list`, the list as
/// [`list_json`] writes it.
pub fn word_entry(word: &str, list: &[u8]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(word).unwrap_or_default();
    bytes.push(b':');
    bytes.extend_from_slice(list);
    bytes
}

/// Where the words (in order, each of the given size as [`word_entry`]
/// writes it) are cut into term shards: the index of each shard's first
/// word.
pub fn term_cuts(sizes: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut shard = 0usize;
    for (i, size) in sizes.enumerate() {
        if shard > 0 && shard + size > TERM_SHARD_BYTES {
            shard = 0;
        }
        if shard == 0 {
            cuts.push(i);
            shard = 1;
        } else {
            shard += 1;
        }
        shard += size;
    }
    cuts
}

/// Term shard `i`, of these words as [`word_entry`] wrote them.
pub fn term_shard<'a>(i: usize, words: impl Iterator<Item = &'a [u8]>) -> OutFile {
    let mut data = vec![b'{'];
    for (j, word) in words.enumerate() {
        if j > 0 {
            data.push(b',');
        }
        data.extend_from_slice(word);
    }
    data.push(b'}');
    (shard_path("t", i), script(&format!("t/{i}"), &data))
}

/// The manifest `search-index.js`.
pub fn manifest(
    tables: &Tables,
    n: usize,
    classes: &Classes,
    bounds: Vec<Value>,
    firsts: &[&str],
) -> OutFile {
    let mut track_counts = vec![0usize; tables.tracks.len()];
    for ((track, ..), count) in &classes.classes {
        if let Ok(t) = usize::try_from(*track)
            && let Some(c) = track_counts.get_mut(t)
        {
            *c += count;
        }
    }
    let manifest = json!({
        "v": 2,
        "n": n,
        "rows": ROWS_PER_SHARD,
        "block": BLOCK,
        "folder": PER_FOLDER,
        "seg": SEGMENT,
        "cw": classes.width,
        "tracks": tables.tracks.iter().zip(&track_counts).map(|((slug, name, tone), count)| {
            json!([slug, name, tone, count])
        }).collect::<Vec<_>>(),
        "statuses": STATUSES,
        "eras": tables.eras.iter().map(|(id, title)| json!([id, title])).collect::<Vec<_>>(),
        "facets": FACETS.iter().zip(tables.facets.iter()).map(|(name, t)| (name.to_string(), json!(t.len()))).collect::<serde_json::Map<_, _>>(),
        "classes": classes.classes.iter().map(|((track, status, kind, major), count)| {
            json!([track, status, kind, u8::from(*major), count])
        }).collect::<Vec<_>>(),
        "blocks": bounds,
        "terms": firsts,
        "cols": tables.cols,
    });
    let mut manifest_js = b"window.annalsIndex=".to_vec();
    manifest_js
        .extend_from_slice(&serde_json::to_vec(&manifest).unwrap_or_else(|_| b"null".to_vec()));
    manifest_js.extend_from_slice(b";\n");
    ("search-index.js".to_string(), manifest_js)
}

/// Each word of these entries (`words` of [`Parts`]) with the entries
/// that have it, by class, in the order the script looks words up in.
pub fn word_lists<'a>(words: &[&'a str], class_of: &[u32]) -> Vec<(&'a str, ByClass)> {
    // Made for a part of the entries at a time on every core, then joined
    // part after part: each word's ids stay increasing in each class.
    const PART: usize = 16_384;
    let parts: Vec<foldhash::HashMap<&str, ByClass>> = words
        .par_chunks(PART)
        .enumerate()
        .map(|(n, part)| {
            let mut lists: foldhash::HashMap<&str, ByClass> = Default::default();
            for (i, text) in part.iter().enumerate() {
                let id = n * PART + i;
                for w in text.split(' ').filter(|w| !w.is_empty()) {
                    lists.entry(w).or_default().push(class_of[id], id as u32);
                }
            }
            lists
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut lists = parts.next().unwrap_or_default();
    for part in parts {
        for (w, list) in part {
            match lists.entry(w) {
                std::collections::hash_map::Entry::Occupied(mut at) => at.get_mut().append(list),
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(list);
                }
            }
        }
    }
    let mut lists: Vec<(&str, ByClass)> = lists.into_iter().collect();
    lists.par_sort_unstable_by(|a, b| js_order(a.0, b.0));
    lists
}

/// Every file of the index, from each entry's [`super::row_bytes`], with
/// the site's tables given (a test of scale calls it with made-up rows,
/// without a site).
pub fn files_with(tables: &Tables, entries: &[Arc<[u8]>]) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    each_file(tables, entries, &mut |file| all.push(file));
    all
}

/// How many row shards are made (on every core) before they are handed on.
const ROW_SHARDS_AT_ONCE: usize = 1024;

/// The files of [`files_with`], each handed to `put` as soon as it is made
/// (rows, then the class and date blocks, the facets' lists, the words'
/// shards, the manifest and the facets' table), so that a large site's
/// index (370 MB in 194,458 files at 1,000,000 entries) is never held
/// whole besides the lists it is made from.
///
/// Part files are numbered in the order their lists are written: the
/// facets' terms (facet by facet), then the words in order.
pub fn each_file(tables: &Tables, entries: &[Arc<[u8]>], put: &mut dyn FnMut(OutFile)) {
    each_file_of(
        tables,
        entries.len(),
        &|pos| Arc::clone(&entries[pos]),
        None,
        &mut |_| false,
        put,
    );
}

/// What the last build's index held of each entry (its meta and words, by
/// position) and which entries changed since: a build that updates its
/// output makes rows only for the row shards holding a changed entry.
pub struct Known<'a> {
    /// By position: whether the entry changed since the last build.
    pub changed: &'a [bool],
    /// Each entry's meta and words as the last build's index held them.
    pub entries: &'a Entries,
}

/// Each entry's meta and distinct words, by position: what the lists are
/// made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entries {
    /// Each entry's [`Meta`].
    pub metas: Vec<Meta>,
    /// Each entry's distinct words, separated by spaces.
    pub words: Vec<Box<str>>,
}

/// [`each_file`] with the `n` entries' blobs made by `make` (by position),
/// a group of row shards' worth at a time: each group's rows go to their
/// shards, and only what the lists need (the meta and the words) is kept
/// of them, so that every entry's row is never held at once. With
/// `known`, a row shard none of whose entries changed is offered to
/// `keep` first (which keeps the last build's file and says so) and its
/// entries' rows are not made. Returns what the lists were made of.
pub fn each_file_of(
    tables: &Tables,
    n: usize,
    make: &(dyn Fn(usize) -> Arc<[u8]> + Sync),
    known: Option<&Known<'_>>,
    keep: &mut dyn FnMut(&str) -> bool,
    put: &mut dyn FnMut(OutFile),
) -> Entries {
    let known = known.filter(|k| {
        k.changed.len() == n && k.entries.metas.len() == n && k.entries.words.len() == n
    });
    let group = ROWS_PER_SHARD * ROW_SHARDS_AT_ONCE;
    let mut metas: Vec<Meta> = Vec::with_capacity(n);
    let mut words: Vec<Box<str>> = Vec::with_capacity(n);
    for (g, start) in (0..n).step_by(group).enumerate() {
        let end = (start + group).min(n);
        let kept: Vec<bool> = (start..end)
            .step_by(ROWS_PER_SHARD)
            .map(|from| {
                let to = (from + ROWS_PER_SHARD).min(end);
                known.is_some_and(|k| k.changed[from..to].iter().all(|c| !c))
                    && keep(&shard_path("r", from / ROWS_PER_SHARD))
            })
            .collect();
        let blobs: Vec<Option<Arc<[u8]>>> = (start..end)
            .into_par_iter()
            .map(|pos| (!kept[(pos - start) / ROWS_PER_SHARD]).then(|| make(pos)))
            .collect();
        let parts: Vec<Option<Parts<'_>>> = blobs.iter().map(|b| b.as_deref().map(split)).collect();
        // Rows, a few to a shard.
        let row_shards: Vec<OutFile> = parts
            .par_chunks(ROWS_PER_SHARD)
            .enumerate()
            .filter(|(i, _)| !kept[*i])
            .map(|(i, chunk)| {
                let rows: Vec<&[u8]> = chunk
                    .iter()
                    .map(|p| p.as_ref().map_or(&b"null"[..], |p| p.row))
                    .collect();
                row_shard(g * ROW_SHARDS_AT_ONCE + i, &rows)
            })
            .collect();
        row_shards.into_iter().for_each(&mut *put);
        for (i, p) in parts.into_iter().enumerate() {
            match (p, known) {
                (Some(p), _) => {
                    metas.push(p.meta);
                    words.push(p.words.into());
                }
                (None, Some(k)) => {
                    metas.push(k.entries.metas[start + i].clone());
                    words.push(k.entries.words[start + i].clone());
                }
                (None, None) => {
                    metas.push(Meta::default());
                    words.push("".into());
                }
            }
        }
    }
    crate::memtrace::mark("search rows");
    let entries = Entries { metas, words };
    let metas: Vec<&Meta> = entries.metas.iter().collect();
    let classes = Classes::of(metas.iter().copied());

    // The class and date columns, by block, and each block's bounds.
    let blocks: Vec<(Value, OutFile, OutFile)> = metas
        .par_chunks(BLOCK)
        .zip(classes.class_of.par_chunks(BLOCK))
        .enumerate()
        .map(|(b, (chunk, chunk_classes))| block(b, chunk, chunk_classes, classes.width))
        .collect();
    let mut bounds: Vec<Value> = Vec::with_capacity(blocks.len());
    for (bound, k, d) in blocks {
        bounds.push(bound);
        put(k);
        put(d);
    }

    // Facets: one list of entries per term.
    let lists = facet_lists(&tables.facets, &metas, &classes.class_of);
    let table = facet_table(&tables.facets, |f, i| lists[f][i].len());
    let mut next_part = 0;
    for (f, terms) in lists.iter().enumerate() {
        for (i, by) in terms.iter().enumerate() {
            let written = by.written();
            put(facet_file(f, i, &list_json(&written, next_part)));
            part_files(&written, next_part)
                .into_iter()
                .for_each(&mut *put);
            next_part += parts_of(&written);
        }
    }
    drop(lists);
    crate::memtrace::mark("search facets");

    // Words: each word's list, words in order cut into shards.
    let words: Vec<&str> = entries.words.iter().map(|w| &**w).collect();
    let lists = word_lists(&words, &classes.class_of);
    // Each word's list, encoded once; then as `"word":list`, its parts
    // numbered in the words' order.
    let written: Vec<(&str, Written)> =
        lists.par_iter().map(|(w, by)| (*w, by.written())).collect();
    drop(lists);
    let encoded: Vec<(&str, Vec<u8>)> = written
        .into_iter()
        .map(|(w, list)| {
            let bytes = word_entry(w, &list_json(&list, next_part));
            part_files(&list, next_part).into_iter().for_each(&mut *put);
            next_part += parts_of(&list);
            (w, bytes)
        })
        .collect();
    let cuts = term_cuts(encoded.iter().map(|(_, b)| b.len()));
    let firsts: Vec<&str> = cuts.iter().map(|&c| encoded[c].0).collect();
    for (i, &from) in cuts.iter().enumerate() {
        let to = cuts.get(i + 1).copied().unwrap_or(encoded.len());
        put(term_shard(i, encoded[from..to].iter().map(|(_, b)| &b[..])));
    }
    put(manifest(tables, n, &classes, bounds, &firsts));
    put(table);
    drop(encoded);
    drop(words);
    drop(metas);
    entries
}

fn terms(taxonomy: &Taxonomy) -> Vec<(String, String)> {
    taxonomy
        .terms
        .iter()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_made_in_parts_are_those_made_in_one_go() {
        // Words shared across the parts' borders, in several classes.
        let texts: Vec<String> = (0..40_000u32)
            .map(|i| {
                format!(
                    "all w{} x{} {}",
                    i % 7,
                    i % 1_000,
                    if i % 3 == 0 { "third" } else { "" }
                )
            })
            .collect();
        let words: Vec<&str> = texts.iter().map(String::as_str).collect();
        let class_of: Vec<u32> = (0..40_000u32).map(|i| i % 5).collect();
        let mut one_go: HashMap<&str, ByClass> = HashMap::new();
        for (id, text) in words.iter().enumerate() {
            for w in text.split(' ').filter(|w| !w.is_empty()) {
                one_go.entry(w).or_default().push(class_of[id], id as u32);
            }
        }
        let made = word_lists(&words, &class_of);
        assert_eq!(made.len(), one_go.len());
        for (w, list) in &made {
            assert_eq!(list.json(), one_go[w].json(), "{w}");
            assert_eq!(list.len(), one_go[w].len(), "{w}");
        }
        assert_eq!(
            made.iter().find(|(w, _)| *w == "all").unwrap().1.len(),
            40_000
        );
    }

    #[test]
    fn meta_lines_round_trip() {
        let meta = Meta {
            track: -1,
            status: 3,
            kind: 1,
            major: true,
            start: 20220200,
            end: 20220231,
            facets: [vec![1, 2], vec![], vec![7], vec![0, 1]],
        };
        assert_eq!(meta.line(), "-1 3 1 1 20220200 20220231 1,2 - 7 0,1");
        assert_eq!(Meta::parse(&meta.line()), Some(meta));
        assert_eq!(Meta::parse("1 2"), None);
    }

    #[test]
    fn classes_take_more_characters_past_64() {
        let mut out = Vec::new();
        class_chars(5, 1, &mut out);
        class_chars(64 + 33, 2, &mut out);
        assert_eq!(out, b"FBh");
    }

    #[test]
    fn shard_paths_keep_folders_small() {
        assert_eq!(shard_path("r", 0), "search/r/0/0.js");
        assert_eq!(shard_path("t", 12_345), "search/t/12/12345.js");
    }
}
