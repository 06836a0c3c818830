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
type OutFile = (String, Vec<u8>);

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

    fn class_key(&self) -> (i64, u8, u8, bool) {
        (self.track, self.status, self.kind, self.major)
    }
}

/// One entry as [`super::row_bytes`] made it: its row, meta and words.
struct Parts<'a> {
    row: &'a [u8],
    meta: Meta,
    words: &'a str,
}

fn split(blob: &[u8]) -> Parts<'_> {
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

/// The site's tables the index names its entries' terms by.
#[derive(Debug, Clone, Default)]
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

/// The part files of cut lists, numbered in the order they are written.
#[derive(Default)]
struct PartFiles(Vec<OutFile>);

impl PartFiles {
    /// A list as its shard holds it: in place, or the header of a cut
    /// list, its segments added as part files.
    fn value(&mut self, written: Written) -> Value {
        match written {
            Written::Inline(value) => value,
            Written::Cut { counts, segments } => {
                let segments: Vec<Value> = segments
                    .into_iter()
                    .map(|(segment, count, lists)| {
                        let i = self.0.len();
                        self.0
                            .push((shard_path("p", i), value_script(&format!("p/{i}"), &lists)));
                        json!([segment, i, count])
                    })
                    .collect();
                json!({"n": counts, "s": segments})
            }
        }
    }
}

/// Every file of the index: the manifest `search-index.js` first, then the
/// shards, from each entry's [`super::row_bytes`].
pub fn files(chron: &Chronology, entries: &[Arc<[u8]>]) -> Vec<(String, Vec<u8>)> {
    files_with(&Tables::of(chron), entries)
}

/// [`files`] with the site's tables given: what a test of scale calls with
/// made-up rows, without a site.
pub fn files_with(tables_of: &Tables, entries: &[Arc<[u8]>]) -> Vec<(String, Vec<u8>)> {
    let parts: Vec<Parts<'_>> = entries.par_iter().map(|b| split(b)).collect();
    let n = parts.len();
    // Classes, numbered in order of first use.
    let mut class_of: Vec<u32> = Vec::with_capacity(n);
    let mut classes: Vec<((i64, u8, u8, bool), usize)> = Vec::new();
    let mut class_ids: HashMap<(i64, u8, u8, bool), u32> = HashMap::new();
    for p in &parts {
        let key = p.meta.class_key();
        let id = *class_ids.entry(key).or_insert_with(|| {
            classes.push((key, 0));
            (classes.len() - 1) as u32
        });
        classes[id as usize].1 += 1;
        class_of.push(id);
    }
    let width = {
        let mut w = 1;
        while classes.len() > 1 << (6 * w) {
            w += 1;
        }
        w
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();

    // Rows, a few to a shard.
    let row_shards: Vec<(String, Vec<u8>)> = parts
        .par_chunks(ROWS_PER_SHARD)
        .enumerate()
        .map(|(i, chunk)| {
            let mut data = Vec::with_capacity(chunk.iter().map(|p| p.row.len() + 1).sum());
            data.push(b'[');
            for (j, p) in chunk.iter().enumerate() {
                if j > 0 {
                    data.push(b',');
                }
                data.extend_from_slice(p.row);
            }
            data.push(b']');
            (shard_path("r", i), script(&format!("r/{i}"), &data))
        })
        .collect();

    // The class and date columns, by block, and each block's bounds.
    let blocks: Vec<(Value, OutFile, OutFile)> = parts
        .par_chunks(BLOCK)
        .zip(class_of.par_chunks(BLOCK))
        .enumerate()
        .map(|(b, (chunk, chunk_classes))| {
            let mut chars = Vec::with_capacity(chunk.len() * width);
            for &c in chunk_classes {
                class_chars(c as usize, width, &mut chars);
            }
            let chars = String::from_utf8(chars).unwrap_or_default();
            let dates: Vec<u32> = chunk
                .iter()
                .flat_map(|p| [p.meta.start, p.meta.end])
                .collect();
            let min_start = chunk.iter().map(|p| p.meta.start).min().unwrap_or(0);
            let max_start = chunk.iter().map(|p| p.meta.start).max().unwrap_or(0);
            let min_end = chunk.iter().map(|p| p.meta.end).min().unwrap_or(0);
            let max_end = chunk.iter().map(|p| p.meta.end).max().unwrap_or(0);
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
        })
        .collect();

    // Facets: one list of entries per term.
    let tables = &tables_of.facets;
    let mut part_files = PartFiles::default();
    let mut facet_lists: [Vec<ByClass>; 4] = Default::default();
    for (f, table) in tables.iter().enumerate() {
        facet_lists[f] = vec![ByClass::default(); table.len()];
    }
    for (id, p) in parts.iter().enumerate() {
        for (f, list) in p.meta.facets.iter().enumerate() {
            for &term in list {
                if let Some(by) = facet_lists[f].get_mut(term as usize) {
                    by.push(class_of[id], id as u32);
                }
            }
        }
    }
    let mut facet_table = serde_json::Map::new();
    for (f, name) in FACETS.iter().enumerate() {
        facet_table.insert(
            name.to_string(),
            tables[f]
                .iter()
                .zip(&facet_lists[f])
                .map(|((slug, title), by)| json!([slug, title, by.len()]))
                .collect(),
        );
        for (i, by) in facet_lists[f].iter().enumerate() {
            let value = part_files.value(by.written());
            out.push((
                shard_path(name, i),
                value_script(&format!("{name}/{i}"), &value),
            ));
        }
    }

    // Words: each word's list, words in order cut into shards.
    let mut words: HashMap<&str, ByClass> = HashMap::new();
    for (id, p) in parts.iter().enumerate() {
        for w in p.words.split(' ').filter(|w| !w.is_empty()) {
            words.entry(w).or_default().push(class_of[id], id as u32);
        }
    }
    let mut words: Vec<(&str, ByClass)> = words.into_iter().collect();
    words.par_sort_unstable_by(|a, b| js_order(a.0, b.0));
    // Each word's list, encoded once; then as `"word":list`, its parts
    // numbered in the words' order.
    let written: Vec<(&str, Written)> =
        words.par_iter().map(|(w, by)| (*w, by.written())).collect();
    drop(words);
    let encoded = written.into_iter().map(|(w, list)| {
        let mut bytes = serde_json::to_vec(w).unwrap_or_default();
        bytes.push(b':');
        bytes.extend_from_slice(part_files.value(list).to_string().as_bytes());
        (w, bytes)
    });
    let mut firsts: Vec<&str> = Vec::new();
    let mut term_shards: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shard: Vec<u8> = Vec::new();
    let flush = |shard: &mut Vec<u8>, out: &mut Vec<(String, Vec<u8>)>| {
        if shard.is_empty() {
            return;
        }
        let i = out.len();
        shard.push(b'}');
        let data = std::mem::take(shard);
        out.push((shard_path("t", i), script(&format!("t/{i}"), &data)));
    };
    for (word, bytes) in encoded {
        if !shard.is_empty() && shard.len() + bytes.len() > TERM_SHARD_BYTES {
            flush(&mut shard, &mut term_shards);
        }
        if shard.is_empty() {
            firsts.push(word);
            shard.push(b'{');
        } else {
            shard.push(b',');
        }
        shard.extend_from_slice(&bytes);
    }
    flush(&mut shard, &mut term_shards);

    // The manifest.
    let mut track_counts = vec![0usize; tables_of.tracks.len()];
    for ((track, ..), count) in &classes {
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
        "cw": width,
        "tracks": tables_of.tracks.iter().zip(&track_counts).map(|((slug, name, tone), count)| {
            json!([slug, name, tone, count])
        }).collect::<Vec<_>>(),
        "statuses": STATUSES,
        "eras": tables_of.eras.iter().map(|(id, title)| json!([id, title])).collect::<Vec<_>>(),
        "facets": FACETS.iter().zip(tables.iter()).map(|(name, t)| (name.to_string(), json!(t.len()))).collect::<serde_json::Map<_, _>>(),
        "classes": classes.iter().map(|((track, status, kind, major), count)| {
            json!([track, status, kind, u8::from(*major), count])
        }).collect::<Vec<_>>(),
        "blocks": blocks.iter().map(|b| b.0.clone()).collect::<Vec<_>>(),
        "terms": firsts,
        "cols": tables_of.cols,
    });
    let mut manifest_js = b"window.annalsIndex=".to_vec();
    manifest_js
        .extend_from_slice(&serde_json::to_vec(&manifest).unwrap_or_else(|_| b"null".to_vec()));
    manifest_js.extend_from_slice(b";\n");

    let mut all = Vec::with_capacity(
        out.len()
            + row_shards.len()
            + term_shards.len()
            + part_files.0.len()
            + 2 * blocks.len()
            + 2,
    );
    all.push(("search-index.js".to_string(), manifest_js));
    all.push((
        "search/facets.js".to_string(),
        value_script("facets", &Value::Object(facet_table)),
    ));
    all.extend(row_shards);
    all.extend(term_shards);
    for (_, k, d) in blocks {
        all.push(k);
        all.push(d);
    }
    all.extend(out);
    all.extend(part_files.0);
    all
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
