//! One value per entry, held in chunks that renders share.
//!
//! `serve` keeps each entry's card and its parts of the data files (its
//! rows of `timeline.json`, of the search index and of each export) from
//! one render to the next. Held one pointer per entry, a rebuild after a
//! one-entry edit copied 200,000 pointers per kind of part, each copy a
//! write to a count in another place in memory, and dropping the last
//! render's copies as many again. Held in chunks, a chunk none of whose entries changed is
//! shared whole: a rebuild copies a pointer per chunk, and makes again only
//! the chunks that hold a changed entry.

use std::sync::Arc;

use rayon::prelude::*;

/// Entries per chunk.
const CHUNK: usize = 1024;

/// One value per entry (by chronology position), in shared chunks.
pub struct Chunked<T: ?Sized> {
    chunks: Vec<Arc<[Arc<T>]>>,
    len: usize,
}

impl<T: ?Sized> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: ?Sized> Clone for Chunked<T> {
    fn clone(&self) -> Self {
        Chunked {
            chunks: self.chunks.clone(),
            len: self.len,
        }
    }
}

impl<T: ?Sized> std::ops::Index<usize> for Chunked<T> {
    type Output = Arc<T>;

    fn index(&self, pos: usize) -> &Arc<T> {
        &self.chunks[pos / CHUNK][pos % CHUNK]
    }
}

impl<T: ?Sized + Send + Sync> Chunked<T> {
    /// The values of `digests.len()` entries: the one `last` holds for an
    /// entry whose digest is the one `same` recorded (the last render's,
    /// when the order of the entries is the same), else `make`'s. A chunk
    /// whose every entry is kept is `last`'s own.
    pub fn made(
        same: Option<&[u64]>,
        digests: &[u64],
        last: &Chunked<T>,
        make: impl Fn(usize) -> Arc<T> + Sync,
    ) -> Chunked<T> {
        let len = digests.len();
        let Some(old) = same.filter(|old| old.len() == len && last.len == len) else {
            return Chunked::from_fn(len, make);
        };
        let chunks = (0..len.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let range = c * CHUNK..((c + 1) * CHUNK).min(len);
                if old[range.clone()] == digests[range.clone()] {
                    return Arc::clone(&last.chunks[c]);
                }
                range
                    .map(|pos| match old[pos] == digests[pos] {
                        true => Arc::clone(&last[pos]),
                        false => make(pos),
                    })
                    .collect()
            })
            .collect();
        Chunked { chunks, len }
    }

    /// The values of the entries at `0..len`, from `make`.
    pub fn from_fn(len: usize, make: impl Fn(usize) -> Arc<T> + Sync) -> Chunked<T> {
        let chunks = (0..len.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| (c * CHUNK..((c + 1) * CHUNK).min(len)).map(&make).collect())
            .collect();
        Chunked { chunks, len }
    }
}

impl<T: ?Sized> Chunked<T> {
    /// How many entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of the entry at `pos`.
    pub fn get(&self, pos: usize) -> Option<&Arc<T>> {
        self.chunks.get(pos / CHUNK)?.get(pos % CHUNK)
    }

    /// Every value, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<T>> + Clone {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// True when the entry at `pos` has the same value (the same pointer)
    /// in both.
    pub fn same_at(&self, other: &Chunked<T>, pos: usize) -> bool {
        match (self.get(pos), other.get(pos)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The positions whose value is not the same pointer in `other` (every
    /// position when the lengths differ).
    pub fn changed_from(&self, other: &Chunked<T>) -> Vec<usize> {
        if self.len != other.len {
            return (0..self.len).collect();
        }
        let mut changed = Vec::new();
        for (c, (mine, theirs)) in self.chunks.iter().zip(&other.chunks).enumerate() {
            if Arc::ptr_eq(mine, theirs) {
                continue;
            }
            for (i, (a, b)) in mine.iter().zip(theirs.iter()).enumerate() {
                if !Arc::ptr_eq(a, b) {
                    changed.push(c * CHUNK + i);
                }
            }
        }
        changed
    }

    /// True when every entry has the same value (the same pointer) in both.
    pub fn all_same(&self, other: &Chunked<T>) -> bool {
        self.len == other.len && self.changed_from(other).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: &Chunked<str>) -> Vec<String> {
        c.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn unchanged_chunks_are_shared_and_changed_entries_made_again() {
        let n = CHUNK * 2 + 5;
        let digests: Vec<u64> = (0..n as u64).collect();
        let first = Chunked::made(None, &digests, &Chunked::default(), |p| {
            Arc::from(format!("v{p}").as_str())
        });
        assert_eq!(first.len(), n);
        assert_eq!(&*first[CHUNK + 3], "v1027");
        assert_eq!(values(&first).len(), n);

        // One entry of the second chunk changed.
        let mut next_digests = digests.clone();
        next_digests[CHUNK + 3] = 99_999;
        let next = Chunked::made(Some(&digests), &next_digests, &first, |p| {
            Arc::from(format!("new{p}").as_str())
        });
        assert!(Arc::ptr_eq(&next.chunks[0], &first.chunks[0]));
        assert!(Arc::ptr_eq(&next.chunks[2], &first.chunks[2]));
        assert!(!Arc::ptr_eq(&next.chunks[1], &first.chunks[1]));
        assert!(next.same_at(&first, CHUNK + 2));
        assert!(!next.same_at(&first, CHUNK + 3));
        assert_eq!(&*next[CHUNK + 3], "new1027");
        assert_eq!(next.changed_from(&first), vec![CHUNK + 3]);
        assert!(!next.all_same(&first));
        assert!(next.clone().all_same(&next));

        // Another order of the entries: everything made again.
        let other = Chunked::made(None, &next_digests, &next, |p| {
            Arc::from(format!("o{p}").as_str())
        });
        assert_eq!(other.changed_from(&next).len(), n);
        assert_eq!(&*other[0], "o0");

        // Fewer entries: nothing is taken from a render of another length.
        let shorter = Chunked::made(Some(&digests), &digests[..10], &first, |p| {
            Arc::from(format!("s{p}").as_str())
        });
        assert_eq!(
            values(&shorter),
            (0..10).map(|p| format!("s{p}")).collect::<Vec<_>>()
        );
        assert!(shorter.get(10).is_none());
        assert!(Chunked::<str>::default().is_empty());
    }
}
