//! Fingerprints of what a page is made from, so that `serve` renders again
//! only the pages whose inputs changed.
//!
//! A page's fingerprint hashes everything its data is built from: the
//! site-wide inputs (configuration, registries, eras, the theme, the asset
//! names), its own fields, and the signatures of the entries it shows (their
//! cards, and for an entry's own page its source text). Equal fingerprints
//! mean equal data, hence equal bytes: the previous page is kept.

use foldhash::{HashMap, HashMapExt};
use std::fmt::{self, Debug, Write as _};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use foldhash::quality::{FixedState, FoldHasher};

use rayon::prelude::*;

use super::views::SiteView;
use crate::chronology::{Chronology, EntryKind};
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
    pub fn new(chron: &Chronology, theme_generation: u64, site: &SiteView) -> Sigs {
        let global = Fp::new("site")
            .debug(site)
            .debug(&chron.config)
            .debug(&chron.actor_registry)
            .debug(&chron.place_registry)
            .debug(&chron.eras)
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
/// session by a hash of the inputs they were made from.
pub type Kept<T> = HashMap<u64, Arc<T>>;

/// One value per entry, made in parallel. With the signatures and the
/// values an earlier build kept, an entry whose `key` (a hash of its inputs)
/// is among them gets that value instead of a new one. Returns the values by
/// position and, with a memo, what this build keeps for the next.
pub fn per_entry<T: ?Sized + Send + Sync>(
    count: usize,
    memo: Option<(&Sigs, &Kept<T>)>,
    key: impl Fn(&Sigs, usize) -> u64 + Sync,
    make: impl Fn(usize) -> Arc<T> + Sync,
) -> (Vec<Arc<T>>, Kept<T>) {
    let Some((sigs, kept)) = memo else {
        return ((0..count).into_par_iter().map(&make).collect(), Kept::new());
    };
    let keyed: Vec<(u64, Arc<T>)> = (0..count)
        .into_par_iter()
        .map(|pos| {
            let key = key(sigs, pos);
            let value = kept.get(&key).map_or_else(|| make(pos), Arc::clone);
            (key, value)
        })
        .collect();
    let next = keyed
        .iter()
        .map(|(key, value)| (*key, Arc::clone(value)))
        .collect();
    (keyed.into_iter().map(|(_, value)| value).collect(), next)
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
}

impl Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memo")
            .field("pages", &self.pages.len())
            .field("cards", &self.cards.len())
            .field("card_html", &self.card_html.len())
            .field("json", &self.json.len())
            .field("search", &self.search.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
