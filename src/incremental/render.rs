//! The render of a rebuild: the plain render's steps, with what the last
//! good render made kept where its inputs are the same.
//!
//! What a page depends on is found, not listed. Each page's data is built
//! while the entries it reads are recorded ([`crate::reads`]), and the page
//! is remembered by two digests: of its known fields (path, title, template,
//! the data given up front) with the digests of the entries it read, and of
//! everything its template received. While the chronology keeps its
//! structure (its order, links and indexes; see
//! [`structure`](super::structure)) and the theme and `site` are the same,
//! a page whose first digest is unchanged is kept without building its data
//! again; otherwise its data is built, and if the second digest is the
//! recorded one the page comes out byte for byte the same and is kept too.
//! Only the others are rendered.
//!
//! An entry's digest is that of its source text and where it sits; cards,
//! `timeline.json` rows and search rows of entries whose digest did not
//! change are kept too while the structure is.

use foldhash::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::assets::Statics;
use crate::chronology::{Chronology, Entry, EntryKind, LocatedEntries};
use crate::chunked::Chunked;
use crate::digest::{hash_of, hasher};
use crate::error::{Diagnostic, Diagnostics, Span};
use crate::export::Export;
use crate::output::Sink;
use crate::reads;
use crate::render::card_html::{CardHtml, CardSlots};
use crate::render::job::PageJob;
use crate::render::pages::{KeptTitles, KeptViews, Months, Pages, TermViews, entry_template};
use crate::render::theme::Theme;
use crate::render::views::{CardParts, Cards};
use crate::render::{self, Page, Rendered, data, search};
use crate::site::Timings;

use super::search as search_index;

/// What the last good render made, and from what. Its keys are digests of
/// values; the chronology's order is held by identity (the build cache
/// keeps the rest on disk, `memo_disk.rs`, and a digest of the structure
/// instead: `build.rs` hands the chronology's order in when it matches).
#[derive(Default)]
pub struct Memo {
    /// The chronology order it was made with.
    pub(super) structure: Option<Arc<Vec<Entry>>>,
    /// The digest of the theme and `site`.
    pub(super) world: u64,
    /// Each entry's digest, by position.
    pub(super) entries: Vec<u64>,
    /// Each entry's card, its HTML, `timeline.json` row and search row.
    pub(super) cards: Option<Cards>,
    pub(super) slots: Chunked<CardSlots>,
    pub(super) json: Parts,
    pub(super) search: Parts,
    /// The kinds of figures the search rows index.
    pub(super) kinds: Vec<String>,
    /// Each export's part of every entry (shared: an export left to be
    /// made when asked for holds them).
    pub(super) exports: Vec<(Export, Parts)>,
    /// Where each entry's part lies in each export's file (the build
    /// cache's: it keeps the files, not the parts).
    pub(super) layouts: Vec<(Export, crate::export::Layout)>,
    /// Each export's frame (what comes before and after the parts) and
    /// whether it changed since the render before, when the exports are
    /// made only when asked for (`serve`).
    pub(super) frames: Vec<ExportFrame>,
    /// The files of `timeline.json` that changed in the last render, left
    /// to be made when asked for with the exports.
    pub(super) timeline_later: Vec<Later>,
    /// Whether the render leaves the exports to be made when asked for
    /// (`serve`'s single-language site; kept by the memo it makes).
    pub(super) exports_later: bool,
    /// What the search index was made of (the build cache's: it keeps the
    /// index's files, not its lists).
    pub(super) search_entries: Option<crate::render::search::Remembered>,
    /// `map/base.svg` and `map/card.svg`, by what they are drawn from.
    pub(super) base_maps: Option<BaseMaps>,
    /// The search index's word lists and what its shards were made from,
    /// taken by the next render (which leaves none when it fails: the one
    /// after makes the index whole).
    pub(super) search_index: Mutex<Option<search_index::Index>>,
    /// Output path of each page → what it was made from (`serve`'s list
    /// pages only: its entry pages are in `entry_pages`).
    pub(super) pages: HashMap<Arc<str>, PageMemo>,
    /// Each entry's page and what it was made from, by chronology position
    /// (`serve`): while the structure, theme and `site` are the same, an
    /// entry page that read no changed entry is kept by a look at its
    /// memo, without its job being made or its path looked up.
    pub(super) entry_pages: Vec<Option<(Arc<str>, PageMemo)>>,
    /// Whether each entry's title is one another entry has too (the page
    /// titles add the date): the one input of an entry page's known fields
    /// that other entries' titles decide.
    pub(super) shared_titles: Vec<bool>,
    /// Each entry's title hash ([`Pages::title_hashes`]).
    pub(super) title_hashes: Vec<u64>,
    /// The entries' months ([`Pages::months`]), taken by the next render
    /// of the same structure.
    pub(super) months: Option<Arc<Months>>,
    /// Each taxonomy's terms' views, for a render of the same structure,
    /// theme and site to take those none of whose entries changed.
    pub(super) term_views: Vec<TermViews>,
    /// How many pages the render that made it kept without building their
    /// data, kept after building it, and rendered.
    pub(super) counts: [usize; 3],
    /// The generated paths sorted, taken by the next render (which leaves
    /// none when it fails: the one after sorts them again).
    pub(super) sorted_paths: Mutex<Option<render::SortedPaths>>,
    /// The located entries ([`Chronology::located`]), taken by the next
    /// render of the same structure.
    pub(super) located: Option<Arc<LocatedEntries>>,
    /// Every entry's end ([`Chronology::ends`]), taken likewise.
    pub(super) ends: Option<Arc<Vec<chrono::NaiveDateTime>>>,
    /// The sitemap's files, by the digest of the pages' paths.
    pub(super) sitemap: Option<(u64, Vec<String>)>,
    /// The folders over `folder_limit`, by the digest of every output
    /// path and the limit.
    pub(super) crowded: Option<(u64, Vec<(String, usize)>)>,
}

/// Each entry's part of a data file, by position.
pub(super) type Parts = Chunked<[u8]>;

/// An export, its head and tail, and whether it changed.
pub(super) type ExportFrame = (Export, Arc<(Vec<u8>, Vec<u8>)>, bool);

/// A data file `serve` makes when a reader asks for it (an export, a file
/// of `timeline.json`): its path, whether it changed in the last render,
/// and how to make it.
pub type Later = (String, bool, Arc<dyn Fn() -> Vec<u8> + Send + Sync>);

impl Memo {
    /// The data files the render left to be made when asked for: the
    /// exports and the files of `timeline.json` that changed.
    pub fn files_to_make(&self) -> Vec<Later> {
        let timeline = self.timeline_later.iter().cloned();
        self.frames
            .iter()
            .filter_map(|(export, frame, changed)| {
                let (_, parts) = self.exports.iter().find(|(e, _)| e == export)?;
                let (export, frame, parts) = (*export, Arc::clone(frame), parts.clone());
                let make: Arc<dyn Fn() -> Vec<u8> + Send + Sync> = Arc::new(move || {
                    export.assemble_framed(&frame.0, parts.iter().map(|p| &p[..]), &frame.1)
                });
                Some((export.path().to_string(), *changed, make))
            })
            .chain(timeline)
            .collect()
    }
}

/// The base maps' files, by what they are drawn from.
pub(super) type BaseMaps = ([u64; 13], Arc<Vec<(&'static str, Vec<u8>)>>);

/// What a page was made from.
#[derive(Clone)]
pub(super) struct PageMemo {
    /// The digest of its known fields.
    pub(super) known: u64,
    /// The positions of the entries its data read.
    pub(super) reads: Arc<[u32]>,
    /// The digest of its known fields and of the entries it read.
    pub(super) read_key: u64,
    /// The digest of everything its template received.
    pub(super) data_key: u64,
    /// The internal links of its Markdown.
    pub(super) links: Vec<(String, Span)>,
}

impl Memo {
    /// How many pages it knows.
    pub fn len(&self) -> usize {
        self.pages.len() + self.entry_pages.iter().flatten().count()
    }

    /// True when it knows no page.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The digest of the entry at `pos`: an event's mapping as written and its
/// file; an article's front matter, where it is, and its body.
pub(super) fn entry_digest(chron: &Chronology, pos: usize) -> u64 {
    let entry = chron.entries[pos];
    match entry.kind {
        EntryKind::Event => {
            let e = &chron.events[entry.index];
            hash_of(&(0u8, e.digest))
        }
        EntryKind::Article => {
            let a = &chron.articles[entry.index];
            hash_of(&(1u8, a.origin.source_hash(), a.body_hash()))
        }
    }
}

/// Renders as [`render::render`] does into `sink`, which holds the output
/// of the render `last` was made by: pages whose inputs did not change are
/// kept there. Returns what was rendered and the memo of this render.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    last: &Memo,
    timings: &mut Timings,
) -> Option<(Rendered, Memo)> {
    let exports_later = last.exports_later;
    let mut clock = Instant::now();
    let digests: Vec<u64> = (0..chron.entries.len())
        .into_par_iter()
        .map(|pos| entry_digest(chron, pos))
        .collect();
    // The last render's per-entry values hold while the structure does.
    let same_structure = last
        .structure
        .as_ref()
        .is_some_and(|s| Arc::ptr_eq(s, &chron.entries))
        && last.entries.len() == digests.len();
    let same = same_structure.then_some(last.entries.as_slice());
    // Which entries changed since the last render, when it had this
    // structure.
    let changed: Option<Vec<bool>> = same.map(|old| {
        digests
            .par_iter()
            .zip(old)
            .map(|(now, before)| now != before)
            .collect()
    });
    if let (Some(changed), Some(old)) = (&changed, &last.located) {
        chron.preset_located(Arc::new(located_again(chron, old, changed)));
    }
    // Every entry's end is of its dates, which the structure holds.
    if let (true, Some(ends)) = (same_structure, &last.ends) {
        chron.preset_ends(Arc::clone(ends));
    }
    let site = render::site_value(chron, theme, statics);
    let world = hash_of(&(theme.digest(), value_digest(&site)));
    let same_world = same.filter(|_| last.world == world);
    // Cards hold words of the translation tables (figure lines): kept
    // while the theme and site are the same too.
    let tracks = crate::render::views::TrackViews::default();
    let last_cards = last.cards.as_ref();
    let none = Chunked::default();
    let cards = Cards::from_parts(
        Chunked::made(
            same_world,
            &digests,
            last_cards.map_or(&none, Cards::all_parts),
            |pos| Arc::new(CardParts::new(chron, pos, &tracks)),
        ),
        last_cards,
    );
    let slots = Chunked::made(same_world, &digests, &last.slots, |_| Arc::default());
    let html = CardHtml::with_slots(theme, &site, &cards, slots.clone());
    timings.lap("cards", &mut clock);
    // Which entries changed, when the structure is the last render's.
    let changed_positions: Vec<usize> = match &changed {
        Some(changed) => (0..changed.len()).filter(|&p| changed[p]).collect(),
        None => Vec::new(),
    };
    // The titles' hashes of the entries that did not change are the last
    // render's, and whose titles are shared is looked at again only around
    // those that did; the entries' months are of the structure.
    let kept_titles = match (&changed, &last.months) {
        (Some(changed), Some(months)) if last.title_hashes.len() == digests.len() => {
            let hashes = (0..digests.len())
                .into_par_iter()
                .map(|pos| match changed[pos] {
                    false => last.title_hashes[pos],
                    true => crate::render::pages::title_hash(chron, pos),
                })
                .collect();
            Some(KeptTitles {
                hashes,
                last_hashes: &last.title_hashes,
                last_shared: &last.shared_titles,
                changed: &changed_positions,
                months,
            })
        }
        _ => None,
    };
    let mut pages = Pages::with_kept(chron, &cards, &html, kept_titles);
    if changed.is_some() && same_world.is_some() {
        pages = pages.keeping_term_views(KeptViews {
            views: &last.term_views,
            changed: &changed_positions,
        });
    }
    let (timeline, lists) = pages.lists();
    let term_views =
        std::mem::take(&mut *pages.term_views.lock().unwrap_or_else(|e| e.into_inner()));
    timings.lap("jobs", &mut clock);
    let context = Context {
        chron,
        theme,
        site: &site,
        world,
        digests: &digests,
        same_world: same_world.is_some(),
        sink,
        last,
        counts: Default::default(),
        shared: Mutex::default(),
        share: true,
    };
    let (made_lists, made_entries) = rayon::join(
        || {
            timeline
                .par_iter()
                .chain(lists.par_iter())
                .map(|job| context.page(job))
                .collect::<Vec<Decided>>()
        },
        || {
            entry_pages(
                &context,
                &pages,
                changed.as_deref().filter(|_| same_world.is_some()),
            )
        },
    );
    let counts = context.counts.map(AtomicUsize::into_inner);
    timings.lap("pages", &mut clock);
    // The sitemap lists the pages in the plain build's order: the
    // timeline's, the entries', then the other lists'.
    let html_paths: Vec<String> = render::html_paths(&timeline)
        .into_iter()
        .chain((0..chron.entries.len()).map(|pos| cards.card(pos).path.clone()))
        .chain(render::html_paths(&lists))
        .collect();
    drop(timeline);
    drop(lists);
    let months = Arc::clone(pages.months());
    let shared_titles = std::mem::take(&mut pages.shared);
    let title_hashes = std::mem::take(&mut pages.title_hashes);
    drop(pages);
    drop(html);
    let json = Parts::made(same, &digests, &last.json, |pos| {
        data::timeline_entry(chron, pos)
    });
    // A search row indexes the kinds of figures of the whole site.
    let kinds = search::figure_kinds(chron);
    let same_kinds = same_world.filter(|_| last.kinds == kinds);
    let rows = Parts::made(same_kinds, &digests, &last.search, |pos| {
        search::row_bytes(chron, &cards, pos, &kinds)
    });
    let exports: Vec<(Export, Parts)> = Export::enabled(chron)
        .into_iter()
        .map(|export| {
            let last = last.exports.iter().find(|(e, _)| *e == export);
            let none = Parts::default();
            let last = last.map_or(&none, |(_, p)| p);
            (
                export,
                Parts::made(same, &digests, last, |pos| export.part(chron, pos)),
            )
        })
        .collect();
    let frame = crate::map::Frame::new(chron);
    let base_maps: Option<BaseMaps> = frame.map(|f| {
        let key = f.base_key();
        match &last.base_maps {
            Some((k, maps)) if *k == key => (key, Arc::clone(maps)),
            _ => (key, Arc::new(f.base_maps())),
        }
    });
    // Data files whose every input is the last render's are kept by the
    // sink as it has them, not made again.
    let kept: Mutex<Vec<String>> = Mutex::default();
    let keep = |paths: Vec<String>| {
        if let Ok(mut list) = kept.lock() {
            list.extend(paths);
        }
    };
    let last_index = last.search_index.lock().ok().and_then(|mut i| i.take());
    let search_kept = Mutex::new(None);
    // The sitemap is made of the pages' paths and the configuration (the
    // same with the structure): kept while both are.
    let sitemap_key = hash_of(&html_paths);
    let sitemap_kept = match &last.sitemap {
        Some((key, paths)) if same.is_some() && *key == sitemap_key => Some(paths.clone()),
        _ => None,
    };
    let sitemap_paths: Mutex<Vec<String>> = Mutex::default();
    let frames: Mutex<Vec<ExportFrame>> = Mutex::default();
    let timeline_later: Mutex<Vec<Later>> = Mutex::default();
    let made_data = render::data_files(
        chron,
        &cards,
        || match &sitemap_kept {
            Some(paths) => {
                keep(paths.clone());
                Vec::new()
            }
            None => {
                let files = data::sitemap_files(&chron.config, &html_paths);
                if let Ok(mut list) = sitemap_paths.lock() {
                    *list = files.iter().map(|(path, _)| path.clone()).collect();
                }
                files
            }
        },
        || {
            // A file whose entries are the last render's is kept.
            let mut unchanged = Vec::new();
            let (manifest, lists) = data::timeline_lists(chron, &mut |path, positions| {
                let kept = same.is_some() && positions.iter().all(|&p| last.json.same_at(&json, p));
                if kept {
                    unchanged.push(path.to_string());
                }
                kept
            });
            keep(unchanged);
            let mut files: Vec<(String, Vec<u8>)> = manifest
                .map(|m| ("timeline.json".to_string(), m))
                .into_iter()
                .collect();
            if !exports_later {
                files.par_extend(
                    lists
                        .into_par_iter()
                        .map(|list| (list.path.clone(), list.make(|p| &json[p][..]))),
                );
                return files;
            }
            // Made when asked for, with the exports: a year of a large
            // site's `timeline.json` is tens of megabytes.
            keep(lists.iter().map(|list| list.path.clone()).collect());
            if let Ok(mut later) = timeline_later.lock() {
                *later = lists
                    .into_iter()
                    .map(|list| {
                        let path = list.path.clone();
                        let json = json.clone();
                        let make: Arc<dyn Fn() -> Vec<u8> + Send + Sync> =
                            Arc::new(move || list.make(|p| &json[p][..]));
                        (path, true, make)
                    })
                    .collect();
            }
            files
        },
        || {
            let (made, index) = search_index::files(chron, &rows, last_index, same_kinds.is_some());
            if let Ok(mut slot) = search_kept.lock() {
                *slot = Some(index);
            }
            keep(made.kept);
            made.files
        },
        || {
            let unchanged = |export: &Export, parts: &Parts| {
                same.is_some()
                    && last
                        .exports
                        .iter()
                        .any(|(e, old)| e == export && old.all_same(parts))
            };
            if exports_later {
                // Made when asked for (`Memo::files_to_make`).
                keep(exports.iter().map(|(e, _)| e.path().to_string()).collect());
                if let Ok(mut frames) = frames.lock() {
                    *frames = exports
                        .iter()
                        .map(|(export, parts)| {
                            let any = parts.iter().any(|p| !p.is_empty());
                            let (head, tail) = export.frame(chron, any);
                            let changed = !unchanged(export, parts);
                            (*export, Arc::new((head, tail)), changed)
                        })
                        .collect();
                }
                return Vec::new();
            }
            let (made, unchanged): (Vec<_>, Vec<_>) =
                exports.par_iter().partition_map(|(export, parts)| {
                    if unchanged(export, parts) {
                        rayon::iter::Either::Right(export.path().to_string())
                    } else {
                        let parts = parts.iter().map(|p| &p[..]);
                        rayon::iter::Either::Left((export.path(), export.assemble(chron, parts)))
                    }
                });
            keep(unchanged);
            made
        },
        || match (&base_maps, &last.base_maps) {
            (Some((_, maps)), Some((_, old))) if Arc::ptr_eq(maps, old) => {
                keep(maps.iter().map(|(path, _)| path.to_string()).collect());
                Vec::new()
            }
            (Some((_, maps)), _) => maps.to_vec(),
            (None, _) => Vec::new(),
        },
    );
    let data = render::put_all(sink, made_data);
    let sitemap = sitemap_kept.unwrap_or_else(|| sitemap_paths.into_inner().unwrap_or_default());
    let kept = kept.into_inner().unwrap_or_default();
    let search_index = search_kept.into_inner().ok().flatten();
    timings.lap("data", &mut clock);
    let mut memo = Memo {
        structure: Some(Arc::clone(&chron.entries)),
        world,
        entries: digests,
        cards: Some(cards),
        slots,
        json,
        search: rows,
        kinds,
        exports,
        layouts: Vec::new(),
        search_entries: None,
        frames: frames.into_inner().unwrap_or_default(),
        timeline_later: timeline_later.into_inner().unwrap_or_default(),
        exports_later,
        base_maps,
        search_index: Mutex::new(search_index),
        pages: HashMap::default(),
        entry_pages: Vec::with_capacity(made_entries.len()),
        located: Some(Arc::clone(chron.located_shared())),
        ends: Some(Arc::clone(chron.ends_shared())),
        sorted_paths: Mutex::default(),
        shared_titles,
        title_hashes,
        months: Some(months),
        term_views,
        counts,
        crowded: None,
        sitemap: Some((sitemap_key, sitemap)),
    };
    let mut made = Vec::with_capacity(made_lists.len() + made_entries.len());
    for (page, remembered) in made_lists {
        if let Some((path, m)) = remembered {
            memo.pages.insert(path, m);
        }
        made.push(page);
    }
    for (page, remembered) in made_entries {
        memo.entry_pages.push(remembered);
        made.push(page);
    }
    // The paths sorted as the last render sorted them, when they are the
    // same: taken from it, else sorted and kept for the next.
    let mut sorted = last.sorted_paths.lock().ok().and_then(|mut s| s.take());
    let rendered = render::finish(made, data, kept, statics, diags, sink, Some(&mut sorted))?;
    // Which folders are crowded is a function of the paths: counted again
    // only when they changed (the digest `finish` took of them says).
    let limit = chron.config.folder_limit;
    let paths_key = match &sorted {
        Some(s) => hash_of(&(s.digest, limit)),
        None => hash_of(&(&*rendered.paths, limit)),
    };
    memo.sorted_paths = Mutex::new(sorted);
    let over = match &last.crowded {
        Some((key, over)) if *key == paths_key => over.clone(),
        _ => crate::chronology::folders::crowded(&rendered.paths, limit),
    };
    render::warn_of_crowded(&over, limit, diags);
    memo.crowded = Some((paths_key, over));
    timings.lap("finish", &mut clock);
    Some((rendered, memo))
}

/// Every entry's page (`serve`), by chronology position. While the
/// structure, theme and `site` are the last render's (`same`), the page of
/// an entry that did not change is kept by a look at its memo, without its
/// job being made, when its title is shared with another entry as it was
/// (the one known field other entries decide), it has no internal links
/// and it read no entry that changed: its known fields are those of its
/// entry's card, so their digest is the one recorded, and so is that of
/// what it read. Any other page is decided about as every page is.
fn entry_pages(context: &Context<'_>, pages: &Pages<'_>, changed: Option<&[bool]>) -> Vec<Decided> {
    let chron = context.chron;
    let last = context.last;
    let n = chron.entries.len();
    let changed = changed.filter(|_| last.entry_pages.len() == n && last.shared_titles.len() == n);
    // Another structure may have moved the entries: their memos by path.
    let by_path: HashMap<&str, &PageMemo> = match changed {
        Some(_) => HashMap::default(),
        None => last
            .entry_pages
            .iter()
            .flatten()
            .map(|(path, m)| (&**path, m))
            .collect(),
    };
    (0..n)
        .into_par_iter()
        .map(|pos| {
            let Some(changed) = changed else {
                let job = pages.entry(pos);
                let path = render::file_of(&job.path);
                let previous = by_path.get(path.as_str()).copied();
                return context.decide(&job, path, previous);
            };
            let previous = last.entry_pages[pos].as_ref();
            if let Some((path, m)) = previous
                && !changed[pos]
                && last.shared_titles[pos] == pages.shared[pos]
                && m.links.is_empty()
                && m.reads
                    .iter()
                    .all(|&r| changed.get(r as usize).is_some_and(|c| !c))
            {
                let (template, _) = entry_template(chron.entries[pos].kind);
                context.counts[0].fetch_add(1, Ordering::Relaxed);
                let kept = context.keep(path.to_string(), template, Vec::new());
                return (kept, Some((Arc::clone(path), m.clone())));
            }
            let job = pages.entry(pos);
            let path = render::file_of(&job.path);
            context.decide(&job, path, previous.map(|(_, m)| m))
        })
        .collect()
}

/// The located entries of a chronology of the last render's structure:
/// the last render's (`old`), the entries that changed looked at again.
fn located_again(
    chron: &Chronology,
    old: &[(usize, f64, f64)],
    changed: &[bool],
) -> LocatedEntries {
    let again = changed
        .iter()
        .enumerate()
        .filter(|(_, c)| **c)
        .filter_map(|(pos, _)| chron.point(pos).map(|(lat, lon, ..)| (pos, lat, lon)));
    let kept = old
        .iter()
        .filter(|(pos, ..)| !changed.get(*pos).copied().unwrap_or(true))
        .copied();
    let mut located: LocatedEntries = kept.chain(again).collect();
    located.sort_by_key(|(pos, ..)| *pos);
    located
}

/// Items from which a value known up front is digested once a render.
const SHARED_MIN: usize = 4;

/// A page kept or rendered, and what to remember of it by its path.
pub(super) type Decided = (Result<Page, Diagnostic>, Option<(Arc<str>, PageMemo)>);

/// What deciding about each page needs.
pub(super) struct Context<'a> {
    pub(super) chron: &'a Chronology,
    pub(super) theme: &'a Theme,
    pub(super) site: &'a tera::Value,
    pub(super) world: u64,
    pub(super) digests: &'a [u64],
    pub(super) same_world: bool,
    pub(super) sink: &'a dyn Sink,
    pub(super) last: &'a Memo,
    /// Pages kept without building their data, kept after, rendered.
    pub(super) counts: [AtomicUsize; 3],
    /// The digests of large values known up front, by where their items
    /// are: pages share such values (a clone of a template array or map
    /// shares its items; the timeline's hundred pages share their
    /// navigation), and each is digested once a render. Only values the
    /// jobs hold are noted, and the jobs outlive the context, so one
    /// address names one value.
    pub(super) shared: Mutex<HashMap<(usize, usize), u64>>,
    /// Whether `shared` is used: not for jobs made one by one and dropped
    /// (the build cache's entry pages), whose values' addresses may name
    /// another value later.
    pub(super) share: bool,
}

impl Context<'_> {
    /// The digest of the known fields of a page and of the entries it read.
    fn read_key(&self, known: u64, reads: &[u32]) -> u64 {
        let mut h = hasher();
        known.hash(&mut h);
        for &pos in reads {
            self.digests.get(pos as usize).hash(&mut h);
        }
        h.finish()
    }

    /// The digest of what a page is known by before its data is built: its
    /// template, path, title, description, section, the data given up
    /// front and its key (what it shows of entries it may not read).
    fn known_digest(&self, job: &PageJob<'_>) -> u64 {
        let mut h = hasher();
        self.world.hash(&mut h);
        (
            job.template,
            &*job.path,
            &*job.title,
            &*job.description,
            job.section,
            job.key(),
        )
            .hash(&mut h);
        for (key, value) in job.known_data() {
            key.hash(&mut h);
            self.shared_digest(value).hash(&mut h);
        }
        h.finish()
    }

    /// The digest of a value known up front: [`value_digest`], taken once
    /// a render for a large array or map however many pages share it.
    fn shared_digest(&self, value: &tera::Value) -> u64 {
        let items = match (value.as_array(), value.as_map()) {
            (Some(a), _) => Some((a.as_ptr() as usize, a.len())),
            (_, Some(m)) => Some((std::ptr::from_ref(m) as usize, m.len())),
            _ => None,
        };
        let Some(at) = items.filter(|(_, len)| self.share && *len >= SHARED_MIN) else {
            return value_digest(value);
        };
        if let Some(&d) = self
            .shared
            .lock()
            .ok()
            .and_then(|m| m.get(&at).copied())
            .as_ref()
        {
            return d;
        }
        let d = value_digest(value);
        if let Ok(mut m) = self.shared.lock() {
            m.insert(at, d);
        }
        d
    }

    /// One page: kept when what it read is unchanged; else its data is
    /// built (reads recorded) and it is kept when its template would
    /// receive the same, and rendered otherwise.
    pub(super) fn page(&self, job: &PageJob<'_>) -> Decided {
        let path = render::file_of(&job.path);
        let previous = self.last.pages.get(path.as_str());
        self.decide(job, path, previous)
    }

    /// [`Context::page`] for the page at `path` (its file), whose memo of
    /// the last render is `previous`.
    fn decide(&self, job: &PageJob<'_>, path: String, previous: Option<&PageMemo>) -> Decided {
        let known = self.known_digest(job);
        // A page with internal links builds its data again: where its
        // links were written (for messages) may have moved in its file.
        let comparable =
            self.same_world && previous.is_some_and(|m| m.known == known && m.links.is_empty());
        if comparable
            && let Some(m) = previous
            && self.read_key(known, &m.reads) == m.read_key
        {
            let kept = self.keep(path.clone(), job.template, m.links.clone());
            self.counts[0].fetch_add(1, Ordering::Relaxed);
            return (kept, Some((Arc::from(path.as_str()), m.clone())));
        }
        let started = Instant::now();
        let (data, reads) = reads::recorded(|| job.data());
        let data = match data {
            Ok(d) => d,
            Err(e) => return (Err(e), None),
        };
        // An entry it read changed: it is rendered, as it most likely
        // changed too (0: no digest of its inputs was taken). Otherwise
        // (another structure, theme or site) the digest of what its
        // template receives tells whether it did.
        let data_key = if comparable {
            0
        } else {
            let context = render::page_context(self.chron, self.site, job, &data.data);
            let mut h = hasher();
            self.world.hash(&mut h);
            job.template.hash(&mut h);
            hash_context(&context, &data.data, &mut h);
            h.finish()
        };
        let memo = PageMemo {
            known,
            read_key: self.read_key(known, &reads),
            reads: Arc::from(reads),
            data_key,
            links: data.links.clone(),
        };
        let remembered = Some((Arc::from(path.as_str()), memo));
        if !comparable && data_key != 0 && previous.is_some_and(|m| m.data_key == data_key) {
            self.counts[1].fetch_add(1, Ordering::Relaxed);
            return (self.keep(path, job.template, data.links), remembered);
        }
        self.counts[2].fetch_add(1, Ordering::Relaxed);
        let made = render::render_built(
            self.chron,
            self.theme,
            self.site,
            self.sink,
            job,
            data,
            started.elapsed(),
        );
        (made, remembered)
    }

    /// Tells the sink to keep the page it has at `path`.
    fn keep(
        &self,
        path: String,
        template: &'static str,
        links: Vec<(String, Span)>,
    ) -> Result<Page, Diagnostic> {
        self.sink.keep(&path).map(|()| Page {
            path,
            template,
            links,
            cost: None,
        })
    }
}

/// Adds what a page's template receives besides `site` (in the world
/// digest): `root` and `page`, read back from the context, and its data.
pub(super) fn hash_context(
    context: &tera::Context,
    data: &[(&'static str, tera::Value)],
    h: &mut impl Hasher,
) {
    for key in ["root", "page"] {
        key.hash(h);
        match context.get(key) {
            Some(v) => hash_value(v, h),
            None => 0u8.hash(h),
        }
    }
    data.len().hash(h);
    for (key, value) in data {
        key.hash(h);
        hash_value(value, h);
    }
}

/// The digest of one template value.
pub fn value_digest(value: &tera::Value) -> u64 {
    let mut h = hasher();
    hash_value(value, &mut h);
    h.finish()
}

/// Feeds a template value to `h`: its kind, then its content. A map's
/// entries are taken in any order (their digests are summed), since Tera's
/// maps keep none.
fn hash_value(value: &tera::Value, h: &mut impl Hasher) {
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(h);
    if let Some(map) = value.as_map() {
        let mut sum = 0u64;
        for (k, v) in map {
            let mut eh = hasher();
            k.hash(&mut eh);
            hash_value(v, &mut eh);
            sum = sum.wrapping_add(eh.finish());
        }
        map.len().hash(h);
        sum.hash(h);
    } else if let Some(items) = value.as_array() {
        items.len().hash(h);
        for item in items {
            hash_value(item, h);
        }
    } else if let Some(s) = value.as_str() {
        value.is_safe().hash(h);
        s.hash(h);
    } else if let Some(b) = value.as_bool() {
        b.hash(h);
    } else if let Some(n) = value.as_i128() {
        n.hash(h);
    } else if let Some(n) = value.as_u128() {
        n.hash(h);
    } else if let Some(f) = value.as_f64() {
        f.to_bits().hash(h);
    } else if let Some(b) = value.as_bytes() {
        b.hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hash_by_content_and_maps_in_any_order() {
        let a = tera::Value::from_serializable(&serde_json::json!({"a": 1, "b": [true, "x"]}));
        let b = tera::Value::from_serializable(&serde_json::json!({"b": [true, "x"], "a": 1}));
        let c = tera::Value::from_serializable(&serde_json::json!({"a": 1, "b": [true, "y"]}));
        let d = tera::Value::from_serializable(&serde_json::json!({"a": 1.0, "b": [true, "x"]}));
        assert_eq!(value_digest(&a), value_digest(&b));
        assert_ne!(value_digest(&a), value_digest(&c));
        assert_ne!(value_digest(&a), value_digest(&d));
        let safe = tera::Value::safe_string("<b>");
        let plain = tera::Value::from("<b>");
        assert_ne!(value_digest(&safe), value_digest(&plain));
    }
}
