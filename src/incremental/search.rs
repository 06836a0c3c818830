//! The search index of a rebuild: after an edit to a few entries, only the
//! shards those entries are in are made again; the sink keeps the rest.
//!
//! The index ([`shards`]) is made from every entry's row. A full make reads
//! all rows and lists every word of every entry; here the lists are kept
//! between rebuilds (each word with its entries by class, and its bytes as
//! its term shard holds it), and an edit moves only the entries it changed
//! in and out of the lists of their old and new words. The row shards and
//! class and date blocks holding a changed entry are made again; the term
//! shards whose words changed or moved, the facets' lists when an entry's
//! facets changed, and the manifest always. Anything else (another order of
//! entries, other classes for unchanged entries, many changed entries) makes
//! the whole index again, as a build does, byte for byte the same.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::chronology::Chronology;
use crate::digest::hash_of;
use crate::render::search::postings::ByClass;
use crate::render::search::shards::{
    self, BLOCK, Classes, Meta, OutFile, ROWS_PER_SHARD, block, facet_files, facet_tables,
    manifest, row_shard, split, term_cuts, term_shard, word_entry, word_lists,
};
use crate::render::search::tokens::js_order;

/// A word, ordered as the script orders words (UTF-16 code units).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word(Box<str>);

impl Ord for Word {
    fn cmp(&self, other: &Self) -> Ordering {
        js_order(&self.0, &other.0)
    }
}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A word's entries by class, and its bytes in its term shard.
struct Listed {
    by: ByClass,
    bytes: Vec<u8>,
    /// Made again in this rebuild: its shard is made again.
    dirty: bool,
}

/// What a term shard held: its first and last word and how many words.
type Signature = (Box<str>, Box<str>, usize);

/// The index as the last render made it.
pub struct Index {
    /// The rows it was made from, by position.
    rows: Vec<Arc<[u8]>>,
    metas: Vec<Meta>,
    classes: Classes,
    /// The digest of the facets' tables.
    tables: u64,
    /// Each block's bounds.
    bounds: Vec<Value>,
    words: BTreeMap<Word, Listed>,
    /// Each term shard's [`Signature`].
    terms: Vec<Signature>,
    /// The paths of the facets' files.
    facet_paths: Vec<String>,
}

/// The files of the search index, made safe; and the paths of those the
/// sink keeps as the last render made them.
pub struct Made {
    /// Files made.
    pub files: Vec<(String, Vec<u8>)>,
    /// Files kept.
    pub kept: Vec<String>,
}

/// Above this share of changed entries the whole index is made again.
const MOST_CHANGED: usize = 8;

/// The search index of `rows` (one per entry, as `row_bytes` makes them),
/// from `last` where the entries' order is the same (`same_order`), and
/// what to keep of it for the next render.
pub fn files(
    chron: &Chronology,
    rows: &[Arc<[u8]>],
    last: Option<Index>,
    same_order: bool,
) -> (Made, Index) {
    let tables = facet_tables(chron);
    let tables_key = hash_of(&tables);
    let last = last.filter(|l| same_order && l.rows.len() == rows.len() && l.tables == tables_key);
    if let Some(last) = last {
        let changed: Vec<usize> = (0..rows.len())
            .filter(|&i| !Arc::ptr_eq(&rows[i], &last.rows[i]))
            .collect();
        if changed.len() <= rows.len() / MOST_CHANGED {
            if let Some(made) = edit(chron, rows, last, &changed, &tables) {
                return made;
            }
        }
    }
    whole(chron, rows, &tables, tables_key)
}

/// The whole index, and the lists kept for the next render: the files
/// [`shards::files`] makes, from the same steps.
fn whole(
    chron: &Chronology,
    rows: &[Arc<[u8]>],
    tables: &[Vec<(String, String)>; 4],
    tables_key: u64,
) -> (Made, Index) {
    let parts: Vec<shards::Parts<'_>> = rows.par_iter().map(|b| split(b)).collect();
    let metas: Vec<Meta> = parts.iter().map(|p| p.meta.clone()).collect();
    let classes = Classes::of(metas.iter());
    let texts: Vec<&str> = parts.iter().map(|p| p.words).collect();
    let words: BTreeMap<Word, Listed> = word_lists(&texts, &classes.class_of)
        .into_par_iter()
        .map(|(w, by)| {
            let bytes = word_entry(w, &by);
            (
                Word(w.into()),
                Listed {
                    by,
                    bytes,
                    dirty: false,
                },
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let mut files: Vec<OutFile> = parts
        .par_chunks(ROWS_PER_SHARD)
        .enumerate()
        .map(|(i, chunk)| {
            let rows: Vec<&[u8]> = chunk.iter().map(|p| p.row).collect();
            row_shard(i, &rows)
        })
        .collect();
    drop(parts);
    let meta_refs: Vec<&Meta> = metas.iter().collect();
    let mut bounds = Vec::new();
    for (b, (m, c)) in meta_refs
        .chunks(BLOCK)
        .zip(classes.class_of.chunks(BLOCK))
        .enumerate()
    {
        let (bound, k, d) = block(b, m, c, classes.width);
        bounds.push(bound);
        files.push(k);
        files.push(d);
    }
    let facets = facet_files(tables, &meta_refs, &classes.class_of);
    let facet_paths = facets.iter().map(|(path, _)| path.clone()).collect();
    files.extend(facets);
    let cuts = term_cuts(words.values().map(|l| l.bytes.len()));
    let listed: Vec<(&Word, &Listed)> = words.iter().collect();
    for (i, &from) in cuts.iter().enumerate() {
        let to = cuts.get(i + 1).copied().unwrap_or(listed.len());
        files.push(term_shard(
            i,
            listed[from..to].iter().map(|(_, l)| &l.bytes[..]),
        ));
    }
    let firsts: Vec<&str> = cuts.iter().map(|&c| &*listed[c].0.0).collect();
    files.push(manifest(
        chron,
        rows.len(),
        &classes,
        bounds.clone(),
        &firsts,
        tables,
    ));
    drop(listed);
    let terms = signatures(&words, &cuts);
    let files = files
        .into_par_iter()
        .map(|(path, bytes)| (path, crate::script_safe::escape(bytes)))
        .collect();
    let index = Index {
        rows: rows.to_vec(),
        metas,
        classes,
        tables: tables_key,
        bounds,
        words,
        terms,
        facet_paths,
    };
    (
        Made {
            files,
            kept: Vec::new(),
        },
        index,
    )
}

/// Each term shard's [`Signature`], the shards starting at `cuts`.
fn signatures(words: &BTreeMap<Word, Listed>, cuts: &[usize]) -> Vec<Signature> {
    let keys: Vec<&Word> = words.keys().collect();
    cuts.iter()
        .enumerate()
        .map(|(i, &from)| {
            let to = cuts.get(i + 1).copied().unwrap_or(keys.len());
            (keys[from].0.clone(), keys[to - 1].0.clone(), to - from)
        })
        .collect()
}

/// The words of a row, as a sorted list.
fn words_of(row: &[u8]) -> Vec<&str> {
    let mut words: Vec<&str> = split(row)
        .words
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The index after the entries at `changed` changed, from `last`; none
/// when it has to be made whole (classes of unchanged entries moved).
fn edit(
    chron: &Chronology,
    rows: &[Arc<[u8]>],
    mut last: Index,
    changed: &[usize],
    tables: &[Vec<(String, String)>; 4],
) -> Option<(Made, Index)> {
    let old_metas: Vec<Meta> = changed.iter().map(|&i| last.metas[i].clone()).collect();
    for &i in changed {
        last.metas[i] = split(&rows[i]).meta;
    }
    let classes = if changed
        .iter()
        .zip(&old_metas)
        .all(|(&i, old)| last.metas[i].class_key() == old.class_key())
    {
        // The same classes, and the same counts.
        last.classes.clone()
    } else {
        let classes = Classes::of(last.metas.iter());
        let moved = classes.width != last.classes.width
            || (0..rows.len()).any(|i| {
                classes.class_of[i] != last.classes.class_of[i]
                    && changed.binary_search(&i).is_err()
            });
        if moved {
            return None;
        }
        classes
    };
    let mut files: Vec<OutFile> = Vec::new();
    let mut kept: Vec<String> = Vec::new();

    // Words: each changed entry out of its old words' lists, into its new.
    for &i in changed {
        let id = i as u32;
        let old_class = last.classes.class_of.get(i).copied().unwrap_or_default();
        let new_class = classes.class_of[i];
        let old_row = Arc::clone(&last.rows[i]);
        for w in words_of(&old_row) {
            if let Some(listed) = last.words.get_mut(&Word(w.into())) {
                listed.by.remove(old_class, id);
                listed.dirty = true;
            }
        }
        for w in words_of(&rows[i]) {
            let listed = last.words.entry(Word(w.into())).or_insert_with(|| Listed {
                by: ByClass::default(),
                bytes: Vec::new(),
                dirty: true,
            });
            listed.by.insert(new_class, id);
            listed.dirty = true;
        }
    }
    last.words.retain(|_, l| !l.by.is_empty());
    for (w, listed) in last.words.iter_mut().filter(|(_, l)| l.dirty) {
        listed.bytes = word_entry(&w.0, &listed.by);
    }
    let cuts = term_cuts(last.words.values().map(|l| l.bytes.len()));
    let terms = signatures(&last.words, &cuts);
    let listed: Vec<(&Word, &Listed)> = last.words.iter().collect();
    for (i, &from) in cuts.iter().enumerate() {
        let to = cuts.get(i + 1).copied().unwrap_or(listed.len());
        let same =
            last.terms.get(i) == Some(&terms[i]) && !listed[from..to].iter().any(|(_, l)| l.dirty);
        if same {
            kept.push(shards::shard_path("t", i));
        } else {
            files.push(term_shard(
                i,
                listed[from..to].iter().map(|(_, l)| &l.bytes[..]),
            ));
        }
    }
    let firsts: Vec<&str> = cuts.iter().map(|&c| &*listed[c].0.0).collect();

    // Rows, and the class and date blocks, where a changed entry is.
    let row_shards = rows.len().div_ceil(ROWS_PER_SHARD);
    for s in 0..row_shards {
        let range = s * ROWS_PER_SHARD..((s + 1) * ROWS_PER_SHARD).min(rows.len());
        if changed.iter().any(|i| range.contains(i)) {
            let chunk: Vec<shards::Parts<'_>> = rows[range].iter().map(|r| split(r)).collect();
            let row_list: Vec<&[u8]> = chunk.iter().map(|p| p.row).collect();
            files.push(row_shard(s, &row_list));
        } else {
            kept.push(shards::shard_path("r", s));
        }
    }
    let meta_refs: Vec<&Meta> = last.metas.iter().collect();
    let mut bounds = std::mem::take(&mut last.bounds);
    for (b, bound) in bounds.iter_mut().enumerate() {
        let range = b * BLOCK..((b + 1) * BLOCK).min(rows.len());
        if changed.iter().any(|i| range.contains(i)) {
            let (made, k, d) = block(
                b,
                &meta_refs[range.clone()],
                &classes.class_of[range],
                classes.width,
            );
            *bound = made;
            files.push(k);
            files.push(d);
        } else {
            kept.push(shards::shard_path("k", b));
            kept.push(shards::shard_path("d", b));
        }
    }

    // Facets: made again when a changed entry's facets or class changed.
    let facets_same = changed.iter().zip(&old_metas).all(|(&i, old)| {
        last.metas[i].facets == old.facets && classes.class_of[i] == last.classes.class_of[i]
    });
    if facets_same {
        kept.extend(last.facet_paths.iter().cloned());
    } else {
        files.extend(facet_files(tables, &meta_refs, &classes.class_of));
    }
    files.push(manifest(
        chron,
        rows.len(),
        &classes,
        bounds.clone(),
        &firsts,
        tables,
    ));
    let files = files
        .into_par_iter()
        .map(|(path, bytes)| (path, crate::script_safe::escape(bytes)))
        .collect();
    for listed in last.words.values_mut() {
        listed.dirty = false;
    }
    let index = Index {
        rows: rows.to_vec(),
        metas: last.metas,
        classes,
        tables: last.tables,
        bounds,
        words: last.words,
        terms,
        facet_paths: last.facet_paths,
    };
    Some((Made { files, kept }, index))
}
