//! The build cache's file (`.annals/build/cache.bin`): what the last cached
//! `annals build` made and from what, in a small binary format of our own
//! (the render memo's part is written by [`memo_disk`](super::memo_disk)).
//!
//! The file starts with a magic line, the format number and the version of
//! annals that wrote it, and ends with a digest of its body: a file of
//! another format or version, cut short or changed in any byte reads as no
//! cache at all, and the build starts from scratch. Keys are the 64-bit
//! digests of [`crate::digest`], whose seeds are fixed for one version.

use std::path::{Path, PathBuf};

use super::bytes::{Reader, Writer};
use super::memo_disk;
use super::render::Memo;
use crate::digest::hash_of;

/// Where the cache lives, under the site root (beside `.annals/media/`).
pub const CACHE_FILE: &str = ".annals/build/cache.bin";

const MAGIC: &[u8] = b"annals build cache\n";

/// The format of the file; a change of layout bumps it.
const FORMAT: u32 = 6;

/// What a cached build remembers.
#[derive(Default)]
pub struct Cache {
    /// The output folder it describes, as given.
    pub out: String,
    /// The digest of the configuration, the options and the theme.
    pub setup: u64,
    /// The digest of the chronology's structure (see `keys.rs`).
    pub structure: u64,
    /// What the render made, and from what.
    pub memo: Memo,
    /// Every file of the output as written: path, size, modification time
    /// (nanoseconds since the epoch) and SHA-256 in hex.
    pub files: Vec<OutputRecord>,
    /// Every folder of the output (`""` for the output itself) with its
    /// modification time once the build was done: a folder whose time is
    /// the same holds the files and folders the build left in it.
    pub folders: Vec<FolderRecord>,
}

/// One folder of the output (its path under it, `""` for the output
/// itself) and its modification time in nanoseconds since the epoch.
pub type FolderRecord = (String, u64);

/// Every file and every folder of an output, as a build left them.
pub type Records = (Vec<OutputRecord>, Vec<FolderRecord>);

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
        let (head, body) = self.encode_parts();
        {
            use std::io::Write as _;
            let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            file.write_all(&head)?;
            file.write_all(&body)?;
            file.flush()?;
        }
        std::fs::rename(&tmp, &target)
    }

    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let (mut head, body) = self.encode_parts();
        head.extend_from_slice(&body);
        head
    }

    /// The file's first bytes (magic, format, version, the body's length
    /// and digest), and its body.
    fn encode_parts(&self) -> (Vec<u8>, Vec<u8>) {
        // Sized once (a guess on the large side: memory never written is
        // not used), not doubled and copied as it grows.
        let entries = self.memo.entries.len();
        let guess = (1 << 20)
            + self.files.len() * 160
            + self.folders.len() * 64
            + self.memo.pages.len() * 256
            + entries * (8 + 4 * self.memo.layouts.len() + 512);
        let mut body = Writer(Vec::with_capacity(guess));
        body.str(&self.out);
        body.u64(self.setup);
        body.u64(self.structure);
        memo_disk::encode(&self.memo, &mut body);
        body.u64(self.files.len() as u64);
        for f in &self.files {
            body.str(&f.path);
            body.u64(f.size);
            body.u64(f.mtime);
            body.str(&f.sha256);
        }
        body.u64(self.folders.len() as u64);
        for (path, mtime) in &self.folders {
            body.str(path);
            body.u64(*mtime);
        }
        let mut head = Writer::default();
        head.0.extend_from_slice(MAGIC);
        head.u64(u64::from(FORMAT));
        head.str(env!("CARGO_PKG_VERSION"));
        head.u64(body.0.len() as u64);
        head.u64(hash_of(&body.0[..]));
        (head.0, body.0)
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
            structure: r.u64()?,
            memo: memo_disk::decode(&mut r)?,
            ..Cache::default()
        };
        for _ in 0..r.count()? {
            cache.files.push(OutputRecord {
                path: r.str()?,
                size: r.u64()?,
                mtime: r.u64()?,
                sha256: r.str()?,
            });
        }
        for _ in 0..r.count()? {
            cache.folders.push((r.str()?, r.u64()?));
        }
        r.0.is_empty().then_some(cache)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Span;
    use std::sync::Arc;

    fn sample() -> Cache {
        let search = crate::render::search::shards::Entries {
            metas: vec![Default::default(), Default::default()],
            words: vec!["kyiv talks".into(), "".into()],
        };
        let mut memo = Memo {
            world: 9,
            entries: vec![1, 2],
            layouts: vec![(
                crate::export::Export::Csv,
                crate::export::Layout {
                    head: 12,
                    slots: vec![40, 0],
                },
            )],
            search_entries: Some(crate::render::search::Remembered {
                key: 4,
                entries: search,
            }),
            ..Memo::default()
        };
        memo.pages.insert(
            Arc::from("events/a/index.html"),
            super::super::render::PageMemo {
                known: 1,
                reads: Arc::from(vec![0u32, 1]),
                read_key: 2,
                data_key: 3,
                links: vec![("/x/".to_string(), Span::at("content/a.md", 3, 1))],
            },
        );
        Cache {
            out: "public".to_string(),
            setup: 7,
            structure: 8,
            memo,
            files: vec![OutputRecord {
                path: "index.html".to_string(),
                size: 3,
                mtime: 1_700_000_000_000_000_000,
                sha256: "ab".repeat(32),
            }],
            folders: vec![(String::new(), 5), ("events/a".to_string(), 6)],
        }
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let bytes = sample().encode();
        let back = Cache::decode(&bytes).expect("read back");
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.memo.pages.len(), 1);
        assert_eq!(back.memo.entries, [1, 2]);
        assert_eq!(back.memo.layouts, sample().memo.layouts);
        assert_eq!(back.memo.search_entries, sample().memo.search_entries);
        assert_eq!(back.folders, sample().folders);
        let page = &back.memo.pages["events/a/index.html"];
        assert_eq!((page.known, page.read_key, page.data_key), (1, 2, 3));
        assert_eq!(&page.reads[..], [0, 1]);
        assert_eq!(page.links[0].1, Span::at("content/a.md", 3, 1));
    }

    #[test]
    fn damage_of_any_kind_reads_as_no_cache() {
        let bytes = sample().encode();
        // Cut short anywhere.
        for n in 0..bytes.len() {
            assert!(Cache::decode(&bytes[..n]).is_none(), "cut at {n}");
        }
        // Any byte changed.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x20;
            assert!(Cache::decode(&b).is_none(), "byte {i} changed");
        }
        // Another version of annals wrote it.
        let other = String::from_utf8_lossy(&bytes)
            .replace(env!("CARGO_PKG_VERSION"), "0.0.0-other")
            .into_bytes();
        assert!(Cache::decode(&other).is_none());
        assert!(Cache::decode(b"garbage").is_none());
    }
}
