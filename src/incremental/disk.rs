//! The build cache's file (`.annals/build/cache.bin`): what the last cached
//! `annals build` made and from what, in a small binary format of our own.
//!
//! The file starts with a magic line, the format number and the version of
//! annals that wrote it, and ends with a digest of its body: a file of
//! another format or version, cut short or changed in any byte reads as no
//! cache at all, and the build starts from scratch. Keys are the 64-bit
//! digests of [`crate::digest`], whose seeds are fixed for one version.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::digest::hash_of;
use crate::render::card_html::Splice;

/// Where the cache lives, under the site root (beside `.annals/media/`).
pub const CACHE_FILE: &str = ".annals/build/cache.bin";

const MAGIC: &[u8] = b"annals build cache\n";

/// The format of the file; a change of layout bumps it.
const FORMAT: u32 = 1;

/// What a cached build remembers.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cache {
    /// The output folder it describes, as given.
    pub out: String,
    /// The digest of the configuration, the options and the theme.
    pub setup: u64,
    /// The digest of the theme and of `site` as templates receive it.
    pub world: u64,
    /// Card splices by the digest of the card, the world and the heading.
    pub cards: Vec<(u64, Splice)>,
    /// Each page's path and the digest of everything its template received.
    pub pages: Vec<(String, u64)>,
    /// Every file of the output as written: path, size, modification time
    /// (nanoseconds since the epoch) and SHA-256 in hex.
    pub files: Vec<OutputRecord>,
}

/// One file of the output as the cached build left it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    /// Path under the output folder.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// The path of the cache of the site at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_FILE)
}

/// The modification time of a file, in nanoseconds since the epoch.
pub fn mtime_of(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

impl Cache {
    /// Reads the cache at `root`; `None` when there is none or it is not
    /// one this annals wrote whole.
    pub fn read(root: &Path) -> Option<Cache> {
        let bytes = std::fs::read(path(root)).ok()?;
        Cache::decode(&bytes)
    }

    /// Writes the cache at `root` (into a new file renamed over the old,
    /// so that a cut-off write leaves no half file).
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let target = path(root);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = target.with_extension(format!("new-{}", std::process::id()));
        std::fs::write(&tmp, self.encode())?;
        std::fs::rename(&tmp, &target)
    }

    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Writer::default();
        body.str(&self.out);
        body.u64(self.setup);
        body.u64(self.world);
        body.u64(self.cards.len() as u64);
        for (key, splice) in &self.cards {
            body.u64(*key);
            match splice {
                Some(html) => {
                    body.u8(1);
                    body.str(html);
                }
                None => body.u8(0),
            }
        }
        body.u64(self.pages.len() as u64);
        for (path, key) in &self.pages {
            body.str(path);
            body.u64(*key);
        }
        body.u64(self.files.len() as u64);
        for f in &self.files {
            body.str(&f.path);
            body.u64(f.size);
            body.u64(f.mtime);
            body.str(&f.sha256);
        }
        let mut out = Writer::default();
        out.0.extend_from_slice(MAGIC);
        out.u64(u64::from(FORMAT));
        out.str(env!("CARGO_PKG_VERSION"));
        out.u64(body.0.len() as u64);
        out.u64(hash_of(&body.0[..]));
        out.0.extend_from_slice(&body.0);
        out.0
    }

    /// Reads the file's bytes; `None` for another format or version, or
    /// any damage.
    pub fn decode(bytes: &[u8]) -> Option<Cache> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let mut r = Reader(rest);
        if r.u64()? != u64::from(FORMAT) || r.str()? != env!("CARGO_PKG_VERSION") {
            return None;
        }
        let len = usize::try_from(r.u64()?).ok()?;
        let sum = r.u64()?;
        if r.0.len() != len || hash_of(r.0) != sum {
            return None;
        }
        let mut cache = Cache {
            out: r.str()?,
            setup: r.u64()?,
            world: r.u64()?,
            ..Cache::default()
        };
        for _ in 0..r.count()? {
            let key = r.u64()?;
            let splice = match r.u8()? {
                0 => None,
                1 => Some(Arc::from(r.str()?)),
                _ => return None,
            };
            cache.cards.push((key, splice));
        }
        for _ in 0..r.count()? {
            cache.pages.push((r.str()?, r.u64()?));
        }
        for _ in 0..r.count()? {
            cache.files.push(OutputRecord {
                path: r.str()?,
                size: r.u64()?,
                mtime: r.u64()?,
                sha256: r.str()?,
            });
        }
        r.0.is_empty().then_some(cache)
    }
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A count of items, each at least a byte long: never more than the
    /// bytes left (so that a damaged count cannot ask for a huge list).
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }

    fn str(&mut self) -> Option<String> {
        let n = usize::try_from(self.u64()?).ok()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Cache {
        Cache {
            out: "public".to_string(),
            setup: 7,
            world: 9,
            cards: vec![(1, Some(Arc::from("<article>"))), (2, None)],
            pages: vec![("events/a/".to_string(), 42)],
            files: vec![OutputRecord {
                path: "index.html".to_string(),
                size: 3,
                mtime: 1_700_000_000_000_000_000,
                sha256: "ab".repeat(32),
            }],
        }
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let cache = sample();
        assert_eq!(Cache::decode(&cache.encode()), Some(cache));
    }

    #[test]
    fn damage_of_any_kind_reads_as_no_cache() {
        let bytes = sample().encode();
        // Cut short anywhere.
        for n in 0..bytes.len() {
            assert_eq!(Cache::decode(&bytes[..n]), None, "cut at {n}");
        }
        // Any byte changed.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x20;
            assert_eq!(Cache::decode(&b), None, "byte {i} changed");
        }
        // Another version of annals wrote it.
        let other = String::from_utf8_lossy(&bytes)
            .replace(env!("CARGO_PKG_VERSION"), "0.0.0-other")
            .into_bytes();
        assert_eq!(Cache::decode(&other), None);
        assert_eq!(Cache::decode(b"garbage"), None);
    }
}
