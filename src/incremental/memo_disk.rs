//! The render memo ([`Memo`]) in the build cache's file: each entry's
//! digest, and each page's digests and the entries it read, so that a
//! cached build keeps a page without building its data, as `serve` does;
//! where each entry's part lies in each export's file, so that an export
//! is made of the last one with only the changed entries' parts made
//! again; and each entry's meta (as numbers) and words in the search
//! index, so that only the row shards holding a changed entry are made
//! again.
//!
//! The per-entry values `serve` keeps in memory (cards, their HTML, the
//! rows of `timeline.json`, of the search index and of the exports) are
//! not written: they are most of the memo's bytes (70 MB at 12,000
//! entries, against 4 MB for the rest), so reading them back would cost
//! about what making them again does. A cached build makes the data files
//! whole, as the plain build does, and card HTML only for the pages it
//! renders.

use std::sync::Arc;

use super::bytes::{Reader, Writer};
use super::render::{Memo, PageMemo};
use crate::error::Span;
use crate::export::{Export, Layout};
use crate::render::search::Remembered;
use crate::render::search::shards::{Entries, Meta};

/// Writes `memo` (without the chronology order it holds by identity).
pub fn encode(memo: &Memo, w: &mut Writer) {
    w.u64(memo.world);
    w.u64(memo.entries.len() as u64);
    for d in &memo.entries {
        w.u64(*d);
    }
    w.u64(memo.pages.len() as u64);
    for (path, page) in &memo.pages {
        w.str(path);
        w.u64(page.known);
        w.u64(page.read_key);
        w.u64(page.data_key);
        w.u64(page.reads.len() as u64);
        for pos in page.reads.iter() {
            w.u32(*pos);
        }
        w.u64(page.links.len() as u64);
        for (link, span) in &page.links {
            w.str(link);
            w.str(&span.file.to_string_lossy());
            w.u64(span.line.map_or(0, |l| l as u64 + 1));
            w.u64(span.column.map_or(0, |c| c as u64 + 1));
        }
    }
    w.u64(memo.layouts.len() as u64);
    for (export, layout) in &memo.layouts {
        w.str(export.path());
        w.u64(layout.head);
        w.u64(layout.slots.len() as u64);
        for slot in &layout.slots {
            w.u32(*slot);
        }
    }
    match &memo.search_entries {
        None => w.u64(0),
        Some(search) => {
            w.u64(1);
            w.u64(search.key);
            encode_search(&search.entries, w);
        }
    }
}

/// Each entry's meta (its numbers) and its words as written.
fn encode_search(entries: &Entries, w: &mut Writer) {
    w.u64(entries.metas.len() as u64);
    for (meta, words) in entries.metas.iter().zip(&entries.words) {
        w.u64(meta.track as u64);
        w.u8(meta.status);
        w.u8(meta.kind);
        w.u8(u8::from(meta.major));
        w.u32(meta.start);
        w.u32(meta.end);
        for facet in &meta.facets {
            w.u32(facet.len() as u32);
            for term in facet {
                w.u32(*term);
            }
        }
        w.str(words);
    }
}

/// What [`encode_search`] wrote.
fn decode_search(r: &mut Reader<'_>) -> Option<Entries> {
    let count = r.count()?;
    let mut entries = Entries {
        metas: Vec::with_capacity(count),
        words: Vec::with_capacity(count),
    };
    for _ in 0..count {
        let mut meta = Meta {
            track: r.u64()? as i64,
            status: r.u8()?,
            kind: r.u8()?,
            major: r.u8()? == 1,
            start: r.u32()?,
            end: r.u32()?,
            ..Meta::default()
        };
        for facet in &mut meta.facets {
            let n = r.u32()? as usize;
            if n > r.0.len() {
                return None;
            }
            facet.reserve(n);
            for _ in 0..n {
                facet.push(r.u32()?);
            }
        }
        entries.metas.push(meta);
        entries.words.push(r.str()?.into());
    }
    Some(entries)
}

/// Reads a memo [`encode`] wrote; `None` at any damage.
pub fn decode(r: &mut Reader<'_>) -> Option<Memo> {
    let mut memo = Memo {
        world: r.u64()?,
        ..Memo::default()
    };
    let n = r.count()?;
    memo.entries.reserve(n);
    for _ in 0..n {
        memo.entries.push(r.u64()?);
    }
    let n = r.count()?;
    memo.pages.reserve(n);
    for _ in 0..n {
        let path: Arc<str> = Arc::from(r.str()?);
        let (known, read_key, data_key) = (r.u64()?, r.u64()?, r.u64()?);
        let count = r.count()?;
        let mut reads = Vec::with_capacity(count);
        for _ in 0..count {
            reads.push(r.u32()?);
        }
        let mut links = Vec::new();
        for _ in 0..r.count()? {
            let link = r.str()?;
            let file = r.str()?;
            let line = r.u64()?.checked_sub(1).map(|l| l as usize);
            let column = r.u64()?.checked_sub(1).map(|c| c as usize);
            let span = Span {
                file: file.into(),
                line,
                column,
            };
            links.push((link, span));
        }
        let page = PageMemo {
            known,
            reads: Arc::from(reads),
            read_key,
            data_key,
            links,
        };
        memo.pages.insert(path, page);
    }
    for _ in 0..r.count()? {
        let export = Export::at_path(&r.str()?)?;
        let head = r.u64()?;
        let count = r.count()?;
        let mut slots = Vec::with_capacity(count);
        for _ in 0..count {
            slots.push(r.u32()?);
        }
        memo.layouts.push((export, Layout { head, slots }));
    }
    if r.u64()? == 1 {
        let key = r.u64()?;
        let entries = decode_search(r)?;
        memo.search_entries = Some(Remembered { key, entries });
    }
    Some(memo)
}
