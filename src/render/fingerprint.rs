//! Fingerprints of what a page is made from, so that `serve` renders again
//! only the pages whose inputs changed.
//!
//! A page's fingerprint hashes everything its data is built from: the
//! site-wide inputs (configuration, registries, eras, the theme, the asset
//! names), its own fields, and the signatures of the entries it shows (their
//! cards, and for an entry's own page its source text). Equal fingerprints
//! mean equal data, hence equal bytes: the previous page is kept.

use foldhash::HashMap;
use std::fmt::{self, Debug, Write as _};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use foldhash::quality::{FixedState, FoldHasher};

use rayon::prelude::*;

use super::views::Cards;
use super::views::SiteView;
use crate::chronology::{Chronology, Entry, EntryKind};
use crate::error::Span;

/// What page fingerprints are made of, besides each page's own fields.
pub struct Sigs {
    /// Everything every page depends on: the configuration, registries,
    /// eras, the site view (free pages, asset names), the theme.
    pub global: u64,
    /// Per entry, by position: its source (the text its fields were read
    /// from, and an article's body).
    pub entry: Vec<u64>,
}

impl Sigs {
    /// The signatures of a chronology rendered with the theme numbered
    /// `theme_generation`.
    /// `settled` is [`settled`] of the chronology, or what an earlier build
    /// of the session found it to be.
    pub fn new(chron: &Chronology, theme_generation: u64, site: &SiteView, settled: u64) -> Sigs {
        let global = Fp::new("site")
            .debug(site)
            .with(&settled)
            .with(&chron.drafts)
            .with(&theme_generation)
            .finish();
        let entry = (0..chron.entries.len())
            .into_par_iter()
            .map(|pos| match chron.entries[pos].kind {
                EntryKind::Event => {
                    let e = &chron.events[chron.entries[pos].index];
                    hash_of(&(e.origin.source_hash(), &e.id.value))
                }
                EntryKind::Article => {
                    let a = &chron.articles[chron.entries[pos].index];
                    hash_of(&(a.origin.source_hash(), a.body_hash()))
                }
            })
            .collect();
        Sigs { global, entry }
    }
}

/// A hash of what the chronology was read with besides its entries: the
/// configuration, the registries and the eras. While the chronology keeps
/// its structure, none of them changed (see `chronology::Structure`), so a
/// session hashes them once per structure (see [`EntryPages::settled`]).
pub fn settled(chron: &Chronology) -> u64 {
    Fp::new("settled")
        .debug(&chron.config)
        .debug(&chron.actor_registry)
        .debug(&chron.place_registry)
        .debug(&chron.eras)
        .finish()
}

/// The hasher of fingerprints: fast, of good statistical quality, and with
/// fixed seeds, so that equal inputs hash alike in every build of a session
/// (fingerprints are never stored: another version may hash differently).
fn hasher() -> FoldHasher<'static> {
    FixedState::default().build_hasher()
}

/// A hash being built from a page's inputs.
pub struct Fp(FoldHasher<'static>);

impl Fp {
    /// A fingerprint of the given kind of page.
    pub fn new(kind: &str) -> Fp {
        let mut h = hasher();
        kind.hash(&mut h);
        Fp(h)
    }

    /// Adds a hashable value.
    pub fn with<T: Hash + ?Sized>(mut self, value: &T) -> Fp {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value through its `Debug` form (for views that are not
    /// `Hash`, such as those holding coordinates).
    pub fn debug<T: Debug + ?Sized>(mut self, value: &T) -> Fp {
        let _ = write!(HashWriter(&mut self.0), "{value:?}");
        self
    }

    /// The fingerprint.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

struct HashWriter<'a>(&'a mut FoldHasher<'static>);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The hash of one value.
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// The key a page is remembered by: a hash of its path. (Two paths with
/// one key could only mix up pages with equal fingerprints, and a page's
/// fingerprint hashes its path.)
pub fn page_key(path: &str) -> u64 {
    hash_of(path)
}

/// Values one build made for each entry, kept for the next build of a
/// session with the hash of the inputs each was made from, by position.
pub struct Kept<T: ?Sized> {
    keys: Vec<u64>,
    values: Vec<Arc<T>>,
}

impl<T: ?Sized> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T: ?Sized> Clone for Kept<T> {
    fn clone(&self) -> Self {
        Kept {
            keys: self.keys.clone(),
            values: self.values.clone(),
        }
    }
}

impl<T: ?Sized> Kept<T> {
    /// How many values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value kept for the entry at `pos` whose inputs hash to `key`.
    /// An entry is looked for where it was, then one place before and
    /// after it (where an entry added, removed or moved elsewhere leaves
    /// the others); one found nowhere is made again.
    fn find(&self, pos: usize, key: u64) -> Option<&Arc<T>> {
        [Some(pos), pos.checked_sub(1), pos.checked_add(1)]
            .into_iter()
            .flatten()
            .find(|&p| self.keys.get(p) == Some(&key))
            .map(|p| &self.values[p])
    }
}

/// One value per entry, made in parallel. With the signatures and the
/// values an earlier build kept, an entry whose `key` (a hash of its inputs)
/// is found among them (see [`Kept::find`]) gets that value instead of a new
/// one. Returns the values by position and, with a memo, what this build
/// keeps for the next.
pub fn per_entry<T: ?Sized + Send + Sync>(
    count: usize,
    memo: Option<(&Sigs, &Kept<T>)>,
    key: impl Fn(&Sigs, usize) -> u64 + Sync,
    make: impl Fn(usize) -> Arc<T> + Sync,
) -> (Vec<Arc<T>>, Kept<T>) {
    let Some((sigs, kept)) = memo else {
        return (
            (0..count).into_par_iter().map(&make).collect(),
            Kept::default(),
        );
    };
    let (keys, values): (Vec<u64>, Vec<Arc<T>>) = (0..count)
        .into_par_iter()
        .map(|pos| {
            let key = key(sigs, pos);
            let value = kept.find(pos, key).map_or_else(|| make(pos), Arc::clone);
            (key, value)
        })
        .unzip();
    let next = Kept {
        keys,
        values: values.clone(),
    };
    (values, next)
}

/// What the last good build's entry pages were made from, by position, so
/// that a rebuild that kept the chronology's structure can take most of them
/// as they were without preparing and fingerprinting each again. Every
/// vector has one item per entry of that structure.
#[derive(Clone)]
pub struct EntryPages {
    /// The chronology's order, which is shared while its structure is kept.
    structure: Arc<Vec<Entry>>,
    /// [`settled`] of that chronology.
    settled: u64,
    global: u64,
    sources: Vec<u64>,
    cards: Vec<u64>,
    shared: Vec<bool>,
    /// Each entry page's key and fingerprint.
    pages: Vec<Option<(u64, u64)>>,
}

impl EntryPages {
    /// What this build's entry pages are made from, with their keys and
    /// fingerprints by position.
    pub fn new(
        chron: &Chronology,
        settled: u64,
        sigs: &Sigs,
        cards: &Cards,
        shared: Vec<bool>,
        pages: Vec<Option<(u64, u64)>>,
    ) -> EntryPages {
        EntryPages {
            structure: Arc::clone(&chron.entries),
            settled,
            global: sigs.global,
            sources: sigs.entry.clone(),
            cards: cards.sigs().to_vec(),
            shared,
            pages,
        }
    }

    /// Whether `chron` has the structure these pages were made with.
    fn same_structure(&self, chron: &Chronology) -> bool {
        Arc::ptr_eq(&self.structure, &chron.entries)
    }

    /// [`settled`] of `chron`, known when it has the same structure.
    pub fn settled(&self, chron: &Chronology) -> Option<u64> {
        self.same_structure(chron).then_some(self.settled)
    }

    /// For each entry, its page's key and fingerprint when the page is
    /// certainly as the last build made it; empty when that cannot be told.
    ///
    /// It can be told when the chronology kept its structure (the same
    /// order, links, eras, taxonomies and archives) and what is site-wide
    /// did not change. An entry's page then shows other entries only
    /// through their cards: those around it, linked to it, related to it
    /// and next to it in its track, all relations that hold both ways. So
    /// the pages that can change are those of the entries whose source,
    /// card or shared title changed, and of the entries related to those
    /// in one of these ways.
    pub fn carried(
        &self,
        chron: &Chronology,
        sigs: &Sigs,
        cards: &Cards,
        shared: &[bool],
    ) -> Vec<Option<(u64, u64)>> {
        // The same structure has the same entries: every vector, here and
        // given, has one item per entry.
        if !self.same_structure(chron) || self.global != sigs.global {
            return Vec::new();
        }
        let n = chron.entries.len();
        let changed: Vec<usize> = (0..n)
            .filter(|&pos| {
                self.sources[pos] != sigs.entry[pos]
                    || self.cards[pos] != cards.sig(pos)
                    || self.shared[pos] != shared[pos]
            })
            .collect();
        // Many changes (a template, a site-wide value) leave little to carry.
        if changed.len() > n / 8 {
            return Vec::new();
        }
        let mut carried = self.pages.clone();
        for &pos in &changed {
            let (prev, next) = super::detail::track_neighbours(chron, pos);
            let touched = super::detail::around(chron, pos)
                .chain(chron.links[pos].iter().copied())
                .chain(chron.related[pos].iter().copied())
                .chain(prev)
                .chain(next);
            for p in touched {
                carried[p] = None;
            }
        }
        carried
    }
}

/// What a session remembers of each page of its last good build.
#[derive(Default, Clone)]
pub struct Memo {
    /// Page key (see [`page_key`]) → the page's fingerprint and the
    /// internal links of its Markdown (checked again on every build, since
    /// their targets may go).
    pub pages: HashMap<u64, (u64, Vec<(String, Span)>)>,
    /// The entries' cards, by the key of their inputs.
    pub cards: Kept<super::views::CardParts>,
    /// The HTML of the entry cards rendered, by card key.
    pub card_html: super::card_html::CardMemo,
    /// The serialised entries of `timeline.json`.
    pub json: Kept<[u8]>,
    /// The serialised entries of `search-index.js`.
    pub search: Kept<[u8]>,
    /// What the entry pages were made from.
    pub entries: Option<EntryPages>,
}

impl Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memo")
            .field("pages", &self.pages.len())
            .field("cards", &self.cards.len())
            .field("card_html", &self.card_html.len())
            .field("json", &self.json.len())
            .field("search", &self.search.len())
            .field("entries", &self.entries.as_ref().map(|e| e.pages.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Makes one value per entry, keyed by the entry's letter, and counts
    /// how many it had to make.
    fn made(letters: &str, kept: Option<&Kept<str>>) -> (String, Kept<str>, usize) {
        let sigs = Sigs {
            global: 0,
            entry: Vec::new(),
        };
        let letters: Vec<char> = letters.chars().collect();
        let count = AtomicUsize::new(0);
        let (values, next) = per_entry(
            letters.len(),
            kept.map(|k| (&sigs, k)),
            |_, pos| hash_of(&letters[pos]),
            |pos| {
                count.fetch_add(1, Ordering::Relaxed);
                Arc::from(letters[pos].to_string().as_str())
            },
        );
        (values.concat(), next, count.into_inner())
    }

    #[test]
    fn kept_values_are_found_where_they_were_or_one_place_away() {
        let (first, kept, n) = made("abcdef", Some(&Kept::default()));
        assert_eq!((first.as_str(), n), ("abcdef", 6));
        // One changed: only it is made again.
        let (values, kept, n) = made("abXdef", Some(&kept));
        assert_eq!((values.as_str(), n), ("abXdef", 1));
        // One added: the ones after it moved by one place.
        let (values, kept, n) = made("YabXdef", Some(&kept));
        assert_eq!((values.as_str(), n), ("YabXdef", 1));
        // One removed.
        let (values, kept, n) = made("YaXdef", Some(&kept));
        assert_eq!((values.as_str(), n), ("YaXdef", 0));
        // Moved far: the values between are found one place away.
        let (values, _, n) = made("aXdefY", Some(&kept));
        assert_eq!((values.as_str(), n), ("aXdefY", 1));
        // Without a memo everything is made and nothing kept.
        let (values, kept, n) = made("abc", None);
        assert_eq!((values.as_str(), n, kept.len()), ("abc", 3, 0));
    }

    #[test]
    fn equal_inputs_give_equal_fingerprints() {
        let a = Fp::new("entry").with("x").debug(&Some(1.5)).finish();
        let b = Fp::new("entry").with("x").debug(&Some(1.5)).finish();
        let c = Fp::new("entry").with("x").debug(&Some(2.5)).finish();
        let d = Fp::new("archive").with("x").debug(&Some(1.5)).finish();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }
}
