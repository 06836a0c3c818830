//! The search index of a rebuild: after an edit to a few entries, only the
//! shards those entries are in are made again; the sink keeps the rest.
//!
//! The index ([`shards`]) is made from every entry's row. A full make reads
//! all rows and lists every word and facet term of every entry; here the
//! lists are kept between rebuilds (each with its entries by class, its
//! segments when it is long, and its bytes as its shard holds it), and an
//! edit moves only the entries it changed in and out of the lists of their
//! old and new words and terms. The row shards and class and date blocks
//! holding a changed entry are made again; the term shards, facet files and
//! part files whose lists changed or whose parts were numbered otherwise
//! (parts are numbered in the order lists are written, so a list that gains
//! or loses a segment moves the numbers of every later one); `facets.js`
//! when a facet list changed; the manifest always. Anything else (another
//! order of entries, other classes for unchanged entries, many changed
//! entries) makes the whole index again. Either way the files are byte for
//! byte those [`shards::files_with`] makes.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::chunked::Chunked;

use crate::chronology::Chronology;
use crate::digest::hash_of;
use crate::render::search::postings::{ByClass, Written};
use crate::render::search::shards::{
    self, BLOCK, Classes, Meta, OutFile, ROWS_PER_SHARD, Tables, block, facet_file, facet_lists,
    facet_table, list_json, manifest, part_files, row_shard, split, term_cuts, term_shard,
    word_entry, word_lists,
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

/// A list of entries (a word's or a facet term's) and how it was written.
#[derive(Default)]
struct Listed {
    by: ByClass,
    /// Its segments, when it is long enough to be cut.
    cut: Option<Written>,
    /// The number of its first part file, as written.
    first: usize,
    /// Its bytes as its shard holds them (a word: `"word":list`).
    bytes: Vec<u8>,
    /// Its entries changed in this rebuild.
    dirty: bool,
    /// Written again in this rebuild (changed, or its parts renumbered).
    written: bool,
}

impl Listed {
    fn new(by: ByClass) -> Listed {
        Listed {
            by,
            dirty: true,
            ..Listed::default()
        }
    }

    fn parts(&self) -> usize {
        self.cut.as_ref().map_or(0, shards::parts_of)
    }
}

/// What a term shard held: its first and last word and how many words.
type Signature = (Box<str>, Box<str>, usize);

/// The index as the last render made it.
pub struct Index {
    /// The rows it was made from, by position.
    rows: Rows,
    metas: Vec<Meta>,
    classes: Classes,
    /// The digest of the facets' tables.
    facets_key: u64,
    /// Each block's bounds.
    bounds: Vec<Value>,
    /// Each facet's terms' lists.
    facets: [Vec<Listed>; 4],
    words: BTreeMap<Word, Listed>,
    /// Each term shard's [`Signature`].
    terms: Vec<Signature>,
}

/// The files of the search index, made safe; and the paths of those the
/// sink keeps as the last render made them.
pub struct Made {
    /// Files made.
    pub files: Vec<(String, Vec<u8>)>,
    /// Files kept.
    pub kept: Vec<String>,
}

/// Each entry's row, by position.
type Rows = Chunked<[u8]>;

/// Above this share of changed entries the whole index is made again.
const MOST_CHANGED: usize = 8;

/// The search index of `rows` (one per entry, as `row_bytes` makes them),
/// from `last` where the entries' order is the same (`same_order`), and
/// what to keep of it for the next render.
pub fn files(
    chron: &Chronology,
    rows: &Rows,
    last: Option<Index>,
    same_order: bool,
) -> (Made, Index) {
    files_with(&Tables::of(chron), rows, last, same_order)
}

/// [`files`] with the site's tables given.
fn files_with(
    tables: &Tables,
    rows: &Rows,
    last: Option<Index>,
    same_order: bool,
) -> (Made, Index) {
    let facets_key = hash_of(&tables.facets);
    let last =
        last.filter(|l| same_order && l.rows.len() == rows.len() && l.facets_key == facets_key);
    if let Some(last) = last {
        let changed = rows.changed_from(&last.rows);
        if changed.len() <= rows.len() / MOST_CHANGED
            && let Some(made) = edit(tables, rows, last, &changed)
        {
            return made;
        }
    }
    whole(tables, rows, facets_key)
}

/// The whole index, and the lists kept for the next render.
fn whole(tables: &Tables, rows: &Rows, facets_key: u64) -> (Made, Index) {
    let parts: Vec<shards::Parts<'_>> = (0..rows.len())
        .into_par_iter()
        .map(|i| split(&rows[i]))
        .collect();
    let metas: Vec<Meta> = parts.iter().map(|p| p.meta.clone()).collect();
    let classes = Classes::of(metas.iter());
    let texts: Vec<&str> = parts.iter().map(|p| p.words).collect();
    let words: BTreeMap<Word, Listed> = word_lists(&texts, &classes.class_of)
        .into_par_iter()
        .map(|(w, by)| (Word(w.into()), Listed::new(by)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    drop(texts);
    let meta_refs: Vec<&Meta> = metas.iter().collect();
    let facets = facet_lists(&tables.facets, &meta_refs, &classes.class_of)
        .map(|terms| terms.into_iter().map(Listed::new).collect());
    drop(meta_refs);
    let mut files: Vec<OutFile> = parts
        .par_chunks(ROWS_PER_SHARD)
        .enumerate()
        .map(|(i, chunk)| {
            let rows: Vec<&[u8]> = chunk.iter().map(|p| p.row).collect();
            row_shard(i, &rows)
        })
        .collect();
    drop(parts);
    let mut index = Index {
        rows: rows.clone(),
        metas,
        classes,
        facets_key,
        bounds: Vec::new(),
        facets,
        words,
        terms: Vec::new(),
    };
    let all: Vec<usize> = (0..rows.len()).step_by(BLOCK).collect();
    let mut kept = Vec::new();
    index.blocks(&all, &mut files, &mut kept);
    index.lists(tables, true, &mut files, &mut kept);
    (made(files, kept), index)
}

/// The files made safe, with those kept.
fn made(files: Vec<OutFile>, kept: Vec<String>) -> Made {
    let files = files
        .into_par_iter()
        .map(|(path, bytes)| (path, crate::script_safe::escape(bytes)))
        .collect();
    Made { files, kept }
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

/// The words of a row, each once.
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

/// What an entry's move takes out of and puts in lists: with the same
/// class, only the items it lost and gained; with another, all of them.
fn moves<'a, T: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    same_class: bool,
) -> (Vec<&'a T>, Vec<&'a T>) {
    if !same_class {
        return (old.iter().collect(), new.iter().collect());
    }
    let out = old.iter().filter(|t| !new.contains(t));
    let into = new.iter().filter(|t| !old.contains(t));
    (out.collect(), into.collect())
}

/// The index after the entries at `changed` changed, from `last`; none
/// when it has to be made whole (classes of unchanged entries moved).
fn edit(tables: &Tables, rows: &Rows, mut last: Index, changed: &[usize]) -> Option<(Made, Index)> {
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

    // Each changed entry out of the lists of its old words and terms, into
    // those of its new.
    for (&i, old_meta) in changed.iter().zip(&old_metas) {
        let id = i as u32;
        let old_class = last.classes.class_of[i];
        let new_class = classes.class_of[i];
        let same_class = old_class == new_class;
        let old_row = Arc::clone(&last.rows[i]);
        let (old_words, new_words) = (words_of(&old_row), words_of(&rows[i]));
        let (out, into) = moves(&old_words, &new_words, same_class);
        for w in out {
            if let Some(listed) = last.words.get_mut(&Word((*w).into())) {
                listed.by.remove(old_class, id);
                listed.dirty = true;
            }
        }
        for w in into {
            let listed = last.words.entry(Word((*w).into())).or_default();
            listed.by.insert(new_class, id);
            listed.dirty = true;
        }
        let new_meta = &last.metas[i];
        for (f, terms) in last.facets.iter_mut().enumerate() {
            let (out, into) = moves(&old_meta.facets[f], &new_meta.facets[f], same_class);
            for &t in out {
                if let Some(listed) = terms.get_mut(t as usize) {
                    listed.by.remove(old_class, id);
                    listed.dirty = true;
                }
            }
            for &t in into {
                if let Some(listed) = terms.get_mut(t as usize) {
                    listed.by.insert(new_class, id);
                    listed.dirty = true;
                }
            }
        }
    }
    last.words.retain(|_, l| !l.by.is_empty());
    last.classes = classes;
    last.rows = rows.clone();

    let mut files: Vec<OutFile> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    // Rows, and the class and date blocks, where a changed entry is.
    let mut shards_changed: Vec<usize> = changed.iter().map(|i| i / ROWS_PER_SHARD).collect();
    shards_changed.dedup();
    for s in 0..rows.len().div_ceil(ROWS_PER_SHARD) {
        if shards_changed.binary_search(&s).is_ok() {
            let range = s * ROWS_PER_SHARD..((s + 1) * ROWS_PER_SHARD).min(rows.len());
            let row_list: Vec<&[u8]> = range.map(|r| split(&rows[r]).row).collect();
            files.push(row_shard(s, &row_list));
        } else {
            kept.push(shards::shard_path("r", s));
        }
    }
    let mut starts: Vec<usize> = changed.iter().map(|i| i / BLOCK * BLOCK).collect();
    starts.dedup();
    last.blocks(&starts, &mut files, &mut kept);
    last.lists(tables, false, &mut files, &mut kept);
    Some((made(files, kept), last))
}

impl Index {
    /// Makes the class and date blocks starting at `starts` (in order) and
    /// keeps the others; their bounds updated.
    fn blocks(&mut self, starts: &[usize], files: &mut Vec<OutFile>, kept: &mut Vec<String>) {
        let n = self.metas.len();
        let count = n.div_ceil(BLOCK);
        self.bounds.resize(count, Value::Null);
        let meta_refs: Vec<&Meta> = self.metas.iter().collect();
        let made: Vec<(usize, (Value, OutFile, OutFile))> = starts
            .par_iter()
            .map(|&from| {
                let range = from..(from + BLOCK).min(n);
                let b = from / BLOCK;
                let width = self.classes.width;
                let made = block(
                    b,
                    &meta_refs[range.clone()],
                    &self.classes.class_of[range],
                    width,
                );
                (b, made)
            })
            .collect();
        let mut made = made.into_iter().peekable();
        for b in 0..count {
            match made.next_if(|(at, _)| *at == b) {
                Some((_, (bound, k, d))) => {
                    self.bounds[b] = bound;
                    files.push(k);
                    files.push(d);
                }
                None => {
                    kept.push(shards::shard_path("k", b));
                    kept.push(shards::shard_path("d", b));
                }
            }
        }
    }

    /// Writes again the lists whose entries changed or whose part files
    /// were numbered otherwise, and the shards and part files holding them
    /// (keeping the others), `facets.js` when a facet list changed (or the
    /// index is made `whole`), and the manifest.
    fn lists(
        &mut self,
        tables: &Tables,
        whole: bool,
        files: &mut Vec<OutFile>,
        kept: &mut Vec<String>,
    ) {
        let facet_changed = whole || self.facets.iter().flatten().any(|l| l.dirty);
        // Cut again what changed, on every core.
        let cut = |l: &mut Listed| {
            if l.dirty {
                let written = l.by.written();
                l.cut = Some(written);
            }
        };
        self.facets.par_iter_mut().flatten().for_each(cut);
        self.words.par_iter_mut().for_each(|(_, l)| cut(l));
        // Number the parts in the order they are written: facets, then
        // words. A list is written again when it changed or its first
        // part's number did.
        let mut next = 0;
        let number = |l: &mut Listed, next: &mut usize| {
            let parts = l.parts();
            l.written = l.dirty || (parts > 0 && l.first != *next);
            l.first = *next;
            *next += parts;
        };
        for l in self.facets.iter_mut().flatten() {
            number(l, &mut next);
        }
        for l in self.words.values_mut() {
            number(l, &mut next);
        }
        // Their bytes, on every core; a list in place keeps no segments.
        let bytes = |l: &mut Listed, word: Option<&str>| {
            if !l.written {
                return;
            }
            let cut = l.cut.take().unwrap_or(Written::Inline(Value::Null));
            let json = list_json(&cut, l.first);
            l.bytes = match word {
                Some(w) => word_entry(w, &json),
                None => json,
            };
            if matches!(cut, Written::Cut { .. }) {
                l.cut = Some(cut);
            }
        };
        self.facets
            .par_iter_mut()
            .flatten()
            .for_each(|l| bytes(l, None));
        self.words
            .par_iter_mut()
            .for_each(|(w, l)| bytes(l, Some(&w.0)));

        // The facets' files.
        if facet_changed {
            let facets = &self.facets;
            files.push(facet_table(&tables.facets, |f, i| facets[f][i].by.len()));
        } else {
            kept.push("search/facets.js".to_string());
        }
        for (f, terms) in self.facets.iter().enumerate() {
            for (i, l) in terms.iter().enumerate() {
                if l.written {
                    files.push(facet_file(f, i, &l.bytes));
                } else {
                    kept.push(shards::shard_path(shards::FACETS[f], i));
                }
            }
        }

        // The term shards.
        let cuts = term_cuts(self.words.values().map(|l| l.bytes.len()));
        let terms = signatures(&self.words, &cuts);
        let listed: Vec<(&Word, &Listed)> = self.words.iter().collect();
        for (i, &from) in cuts.iter().enumerate() {
            let to = cuts.get(i + 1).copied().unwrap_or(listed.len());
            let same = self.terms.get(i) == Some(&terms[i])
                && !listed[from..to].iter().any(|(_, l)| l.written);
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

        // The part files, and the manifest.
        let lists = self.facets.iter().flatten().chain(self.words.values());
        for l in lists {
            let Some(cut) = &l.cut else { continue };
            if l.written {
                files.extend(part_files(cut, l.first));
            } else {
                kept.extend((l.first..l.first + l.parts()).map(|i| shards::shard_path("p", i)));
            }
        }
        files.push(manifest(
            tables,
            self.metas.len(),
            &self.classes,
            self.bounds.clone(),
            &firsts,
        ));
        drop(listed);
        self.terms = terms;
        for l in self
            .facets
            .iter_mut()
            .flatten()
            .chain(self.words.values_mut())
        {
            l.dirty = false;
            l.written = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::postings::SEGMENT;
    use std::collections::HashMap;

    /// A small deterministic generator (xorshift), so that the edits are
    /// the same on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// One entry's row bytes: a row naming it, its meta line and words.
    fn row(i: usize, meta: &Meta, words: &[String]) -> Arc<[u8]> {
        Arc::from(format!("[{i}]\n{}\n{}", meta.line(), words.join(" ")).into_bytes())
    }

    fn tables() -> Tables {
        let terms = |prefix: &str, n: usize| {
            (0..n)
                .map(|i| (format!("{prefix}{i}"), format!("{prefix} {i}")))
                .collect()
        };
        Tables {
            tracks: vec![("a".into(), "A".into(), 0), ("b".into(), "B".into(), 1)],
            facets: [terms("t", 9), terms("a", 3), terms("p", 2), Vec::new()],
            eras: Vec::new(),
            cols: vec!["id"],
        }
    }

    /// The files a clean make gives, made safe, by path.
    fn clean(tables: &Tables, rows: &[Arc<[u8]>]) -> HashMap<String, Vec<u8>> {
        shards::files_with(tables, rows)
            .into_iter()
            .map(|(path, bytes)| (path, crate::script_safe::escape(bytes)))
            .collect()
    }

    /// The output after a rebuild: the files made, those kept as they were.
    fn apply(before: &HashMap<String, Vec<u8>>, made: Made) -> HashMap<String, Vec<u8>> {
        let mut out: HashMap<String, Vec<u8>> = made.files.into_iter().collect();
        for path in made.kept {
            let bytes = before.get(&path).cloned();
            assert!(
                bytes.is_some(),
                "kept {path}, which the last make did not have"
            );
            assert!(
                out.insert(path.clone(), bytes.unwrap_or_default())
                    .is_none()
            );
        }
        out
    }

    /// The rows held as a render holds them, each the same pointer.
    fn chunked(rows: &[Arc<[u8]>]) -> Chunked<[u8]> {
        Chunked::from_fn(rows.len(), |i| Arc::clone(&rows[i]))
    }

    #[test]
    fn edits_give_the_files_a_clean_make_gives_with_long_lists_cut() {
        // Over a segment of entries: "all" and tag 0 are long lists cut in
        // two segments; "grow" starts short and crosses the cut as edits
        // give it to more entries, which numbers every later part anew.
        let n = SEGMENT as usize + 1500;
        let tables = tables();
        let mut metas: Vec<Meta> = Vec::new();
        let mut words: Vec<Vec<String>> = Vec::new();
        for i in 0..n {
            metas.push(Meta {
                track: (i % 2) as i64,
                status: (i % 3) as u8,
                start: 20000101 + i as u32,
                end: 20000101 + i as u32,
                facets: [
                    vec![0, 1 + (i % 8) as u32],
                    vec![(i % 3) as u32],
                    vec![],
                    vec![],
                ],
                ..Meta::default()
            });
            let mut w = vec!["all".to_string(), format!("w{}", i % 700)];
            if i % 2 == 0 {
                w.push("even".into());
            }
            if i < 8000 {
                // Just short of the cut: a step of many edits crosses it.
                w.push("grow".into());
            }
            words.push(w);
        }
        let mut rows: Vec<Arc<[u8]>> = (0..n).map(|i| row(i, &metas[i], &words[i])).collect();
        let (made, mut index) = files_with(&tables, &chunked(&rows), None, true);
        let mut out = apply(&HashMap::new(), made);
        assert_eq!(out, clean(&tables, &rows));
        let grow = Word("grow".into());
        assert!(index.words.get(&grow).is_some_and(|l| l.parts() == 0));
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut cut_by_edit = 0;
        for step in 0..24 {
            let many = if step % 6 == 5 { 600 } else { 1 + rng.below(3) };
            for _ in 0..many {
                let i = rng.below(n);
                let kind = if many > 100 { 1 } else { rng.below(6) };
                match kind {
                    0 => words[i].retain(|w| w != "all"),
                    1 => words[i].push("grow".into()),
                    2 => metas[i].facets[0] = vec![rng.below(9) as u32],
                    3 => metas[i].status = rng.below(3) as u8,
                    4 => metas[i].start += 1,
                    _ => words[i] = vec![format!("new{}", rng.below(50))],
                }
                words[i].sort();
                words[i].dedup();
                rows[i] = row(i, &metas[i], &words[i]);
            }
            let (made, next) = files_with(&tables, &chunked(&rows), Some(index), true);
            index = next;
            cut_by_edit += usize::from(index.words.get(&grow).is_some_and(|l| l.parts() > 0));
            out = apply(&out, made);
            let want = clean(&tables, &rows);
            let mut wrong: Vec<&String> = want
                .iter()
                .filter(|(p, b)| out.get(*p) != Some(b))
                .map(|(p, _)| p)
                .collect();
            wrong.extend(out.keys().filter(|p| !want.contains_key(*p)));
            assert!(wrong.is_empty(), "step {step}: files differ: {wrong:?}");
        }
        assert!(cut_by_edit > 0, "the edits cut a list that was short");
    }

    #[test]
    fn a_site_without_facet_terms_has_its_facets_file_made() {
        // Regression: with no term in any facet, no facet list changed,
        // and the first make kept a `facets.js` no make had written.
        let tables = Tables {
            facets: Default::default(),
            ..tables()
        };
        let rows: Vec<Arc<[u8]>> = (0..3)
            .map(|i| row(i, &Meta::default(), &["word".to_string()]))
            .collect();
        let (made, _) = files_with(&tables, &chunked(&rows), None, true);
        assert!(made.kept.is_empty(), "kept {:?}", made.kept);
        let out = apply(&HashMap::new(), made);
        assert_eq!(out, clean(&tables, &rows));
    }
}
