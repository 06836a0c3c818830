//! The render memo ([`Memo`]) in the build cache's file: each entry's
//! digest, card HTML, `timeline.json`, search and export rows, and each
//! page's digests and the entries it read, so that a cached build keeps a
//! page without building its data, as `serve` does. What is not written
//! (the cards' values, the base maps, the search index's word lists) is
//! made again by the build that reads the memo back.

use std::sync::Arc;

use super::disk::{Reader, Writer};
use super::render::{Memo, PageMemo};
use crate::error::Span;
use crate::export::Export;
use crate::render::card_html::CardSlots;

/// Every export, for reading one back by its path.
const EXPORTS: [Export; 5] = [
    Export::Csv,
    Export::Ics,
    Export::TimelineJs,
    Export::GeoJson,
    Export::Gpx,
];

/// Writes `memo` (without the chronology order it holds by identity).
pub fn encode(memo: &Memo, w: &mut Writer) {
    w.u64(memo.world);
    w.u64(memo.entries.len() as u64);
    for d in &memo.entries {
        w.u64(*d);
    }
    w.u64(memo.slots.len() as u64);
    for slot in &memo.slots {
        for splice in slot.splices() {
            match splice {
                None => w.u8(0),
                Some(None) => w.u8(1),
                Some(Some(html)) => {
                    w.u8(2);
                    w.str(&html);
                }
            }
        }
    }
    blobs(w, &memo.json);
    blobs(w, &memo.search);
    w.u64(memo.kinds.len() as u64);
    for kind in &memo.kinds {
        w.str(kind);
    }
    w.u64(memo.exports.len() as u64);
    for (export, parts) in &memo.exports {
        w.str(export.path());
        blobs(w, parts);
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
}

fn blobs(w: &mut Writer, list: &[Arc<[u8]>]) {
    w.u64(list.len() as u64);
    for b in list {
        w.bytes(b);
    }
}

fn read_blobs(r: &mut Reader<'_>) -> Option<Vec<Arc<[u8]>>> {
    let n = r.count()?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(Arc::from(r.bytes()?));
    }
    Some(list)
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
    memo.slots.reserve(n);
    for _ in 0..n {
        let mut splices = [None, None];
        for s in &mut splices {
            *s = match r.u8()? {
                0 => None,
                1 => Some(None),
                2 => Some(Some(Arc::from(r.str()?))),
                _ => return None,
            };
        }
        memo.slots.push(Arc::new(CardSlots::with_splices(splices)));
    }
    memo.json = read_blobs(r)?;
    memo.search = read_blobs(r)?;
    for _ in 0..r.count()? {
        memo.kinds.push(r.str()?);
    }
    for _ in 0..r.count()? {
        let path = r.str()?;
        let export = EXPORTS.into_iter().find(|e| e.path() == path)?;
        memo.exports.push((export, read_blobs(r)?));
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
    Some(memo)
}
