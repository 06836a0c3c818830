//! `annals build` with its cache on disk (`.annals/build/`): the plain
//! build's steps, with what the last cached build made kept where its
//! inputs are the same, and only the files whose bytes changed written.
//!
//! Pages are rendered as the plain build renders them (entry pages' jobs
//! made one by one and dropped, data files made and let go), and each is
//! decided about as `serve` decides ([`Context::page`] in
//! [`render`](super::render)), with the memo the last cached build left on
//! disk: while the chronology's structure has the digest recorded
//! ([`keys`](super::keys)), a page whose known fields and every entry it
//! read have the digests recorded is kept without building its data;
//! otherwise its data is built and it is kept when its template would
//! receive what it received. A page is kept only while its file is on disk
//! as the last build left it. A cache of another version of annals, setup
//! (configuration, options, templates) or output folder, or damaged in any
//! way, is ignored: the build starts from scratch and writes a new one. The
//! output equals a clean build's byte for byte (the test `build_cache`
//! edits a site and compares).

use std::path::Path;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use super::disk::{self, Cache, OutputRecord};
use super::keys;
use super::parsed::ParsedDisk;
use super::render::{Context, Decided, Memo, entry_digest, value_digest};
use super::update::Update;
use crate::digest::hash_of;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, Sink};
use crate::publish;
use crate::render::card_html::CardHtml;
use crate::render::pages::Pages;
use crate::render::views::Cards;
use crate::render::{self, Rendered};
use crate::site::{self, Loaded, Options, Outcome, Timings};

/// With this variable set, the build says on stderr how many pages it
/// kept and rendered (for tests and measurements).
pub const REPORT_VAR: &str = "ANNALS_CACHE_REPORT";

/// Builds the site into `out` as [`site::build_with`] does, using and
/// updating the cache under the site root. Precompressed files and the
/// offline bundle are not cached: with either, this is the plain build.
pub fn build(opts: &Options, out: &Path, publishing: &publish::Settings) -> Outcome {
    if publishing.precompress || publishing.bundle.is_some() {
        return site::build_with(opts, out, publishing);
    }
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    if let Err(e) = output::check_target(&opts.root, out) {
        diags.push(e);
        return Outcome::new(None, diags);
    }
    let parsed = ParsedDisk::open(&opts.root);
    let Some(loaded) = site::load_keeping(opts, &parsed, &mut diags, &mut timings) else {
        return Outcome::new(None, diags);
    };
    let mut clock = Instant::now();
    let setup = keys::setup(opts, loaded.theme.digest());
    let structure = keys::structure(&opts.root, &loaded.chronology, &loaded.statics);
    timings.lap("keys", &mut clock);
    let out_key = out.to_string_lossy().to_string();
    let cache = Cache::read(&opts.root).filter(|c| c.out == out_key && out.is_dir());
    timings.lap("cache read", &mut clock);
    let config = &loaded.chronology.config;
    let made = match cache {
        // The files of the last build are known: only changed ones are written.
        Some(cache) => {
            let update = match Update::begin(out, cache.files, cache.folders) {
                Ok(u) => u,
                Err(e) => {
                    diags.push(e);
                    return Outcome::new(None, diags);
                }
            };
            let last = if cache.setup == setup {
                attach(cache.memo, cache.structure == structure, &loaded, &update)
            } else {
                Memo::default()
            };
            let Some((rendered, memo)) = render(&loaded, &last, &update, &mut diags, &mut timings)
            else {
                return Outcome::new(None, diags);
            };
            clock = Instant::now();
            update
                .finish(&config.base_url, &config.embed_allow)
                .map(|files| (rendered, memo, files))
        }
        // No cache: written into a fresh folder as a plain build does.
        None => {
            let settings = publish::Settings {
                base_url: config.base_url.clone(),
                embed_allow: config.embed_allow.clone(),
                ..publishing.clone()
            };
            let publisher = match publish::Publisher::begin(out, settings) {
                Ok(p) => p,
                Err(e) => {
                    diags.push(e);
                    return Outcome::new(None, diags);
                }
            };
            let last = Memo::default();
            let Some((rendered, memo)) =
                render(&loaded, &last, &publisher, &mut diags, &mut timings)
            else {
                return Outcome::new(None, diags);
            };
            clock = Instant::now();
            publisher
                .finish()
                .and_then(|_| records_of(out))
                .map(|files| (rendered, memo, files))
        }
    };
    let (rendered, memo, (files, folders)) = match made {
        Ok(m) => m,
        Err(e) => {
            // The output may be half updated: the next build starts afresh.
            let _ = std::fs::remove_file(disk::path(&opts.root));
            diags.push(e);
            return Outcome::new(None, diags);
        }
    };
    timings.lap("publish", &mut clock);
    if std::env::var_os(REPORT_VAR).is_some() {
        parsed.report();
        let [kept, checked, rendered] = memo.counts;
        eprintln!(
            "build cache: {kept} pages kept without building their data, \
             {checked} kept after building it, {rendered} rendered"
        );
    }
    let count = files.len();
    let cache = Cache {
        out: out_key,
        setup,
        structure,
        memo,
        files,
        folders,
    };
    // A cache that cannot be written only makes the next build slower.
    if cache.write(&opts.root).is_err() {
        let _ = std::fs::remove_file(disk::path(&opts.root));
    }
    parsed.commit();
    timings.lap("cache write", &mut clock);
    let report = site::report(&loaded, &rendered, count, timings);
    // Freeing what the build held takes a while and the process ends now.
    std::mem::forget(cache);
    std::mem::forget(loaded);
    Outcome::new(Some(report), diags)
}

/// The memo read from disk, made ready for this build: the chronology's
/// order handed in when the structure is the one it was made with (its
/// pages and per-entry values then hold), and only the pages whose file is
/// on disk as the last build left it.
fn attach(mut memo: Memo, same_structure: bool, loaded: &Loaded, update: &Update) -> Memo {
    let entries = &loaded.chronology.entries;
    if same_structure && memo.entries.len() == entries.len() {
        memo.structure = Some(Arc::clone(entries));
    }
    let gone: Vec<Arc<str>> = memo
        .pages
        .par_iter()
        .filter(|(path, _)| update.on_disk(path).is_none())
        .map(|(path, _)| Arc::clone(path))
        .collect();
    for path in gone {
        memo.pages.remove(&path);
    }
    memo
}

/// Renders into `sink` as the plain build does (each entry page's job made
/// as the page is rendered and dropped once written; the data files made
/// from the chronology and let go one by one, so that memory holds no more
/// than a build without the cache), deciding about each page as `serve`'s
/// render does ([`Context::page`]) with the memo `last`. A multilingual
/// site's trees are rendered as a plain build does (and leave no memo).
fn render(
    loaded: &Loaded,
    last: &Memo,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<(Rendered, Memo)> {
    let mut clock = Instant::now();
    let (chron, theme, statics) = (&loaded.chronology, &*loaded.theme, &loaded.statics);
    if chron.multilingual() {
        let rendered = render::render(chron, theme, statics, diags, sink)?;
        timings.lap("render", &mut clock);
        return Some((rendered, Memo::default()));
    }
    let site = render::site_value(chron, theme, statics);
    let world = hash_of(&(theme.digest(), value_digest(&site)));
    let digests: Vec<u64> = (0..chron.entries.len())
        .into_par_iter()
        .map(|pos| entry_digest(chron, pos))
        .collect();
    // The pages of the last build hold while the structure does (`attach`).
    let same_structure = last
        .structure
        .as_ref()
        .is_some_and(|s| Arc::ptr_eq(s, &chron.entries));
    let cards = Cards::new(chron);
    let html = CardHtml::new(theme, &site, &cards);
    timings.lap("render cards", &mut clock);
    let pages = Pages::new(chron, &cards, &html);
    let (timeline, lists) = pages.lists();
    // The list pages' jobs live through the render and may share the
    // digests of what they hold; entry pages' jobs are dropped one by one
    // and may not (`Context::share`).
    let context = |share: bool| Context {
        chron,
        theme,
        site: &site,
        world,
        digests: &digests,
        same_world: same_structure && last.world == world,
        sink,
        last,
        counts: Default::default(),
        shared: Mutex::default(),
        share,
    };
    let (held, one_by_one) = (context(true), context(false));
    let made: Vec<Decided> = timeline
        .par_iter()
        .map(|job| held.page(job))
        .chain(
            (0..chron.entries.len())
                .into_par_iter()
                .map(|pos| one_by_one.page(&pages.entry(pos))),
        )
        .chain(lists.par_iter().map(|job| held.page(job)))
        .collect();
    let (a, b) = (
        held.counts.map(AtomicUsize::into_inner),
        one_by_one.counts.map(AtomicUsize::into_inner),
    );
    let counts = [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
    timings.lap("render pages", &mut clock);
    // In the order of `Pages::all`: the sitemap lists them so.
    let mut html_paths = render::html_paths(&timeline);
    html_paths.extend((0..chron.entries.len()).map(|pos| cards.card(pos).path.clone()));
    html_paths.extend(render::html_paths(&lists));
    drop((timeline, lists));
    drop(pages);
    drop(html);
    // While the structure is the last build's, an entry's parts of the
    // data files change only with its digest.
    let changed: Option<Vec<bool>> =
        (same_structure && last.entries.len() == digests.len()).then(|| {
            digests
                .iter()
                .zip(&last.entries)
                .map(|(a, b)| a != b)
                .collect()
        });
    let reuse = render::Reuse {
        changed: changed.as_deref(),
        layouts: &last.layouts,
        search: last.search_entries.as_ref(),
    };
    let data = render::put_data_files(chron, &cards, &html_paths, sink, Some(&reuse));
    timings.lap("render data", &mut clock);
    let mut memo = Memo {
        structure: Some(Arc::clone(&chron.entries)),
        world,
        entries: digests,
        counts,
        layouts: data.layouts,
        search_entries: data.search,
        ..Memo::default()
    };
    let made = made
        .into_iter()
        .map(|(page, remembered)| {
            if let Some((path, m)) = remembered {
                memo.pages.insert(path, m);
            }
            page
        })
        .collect();
    let rendered = render::finish(made, data.written, Vec::new(), statics, diags, sink, None)?;
    render::warn_crowded(&rendered.paths, chron.config.folder_limit, diags);
    timings.lap("render finish", &mut clock);
    Some((rendered, memo))
}

/// Every file under `out` as now on disk (after a build from scratch),
/// and every folder with its modification time.
fn records_of(out: &Path) -> Result<disk::Records, Diagnostic> {
    let listing = std::fs::read(out.join(publish::manifest::FILE))
        .ok()
        .and_then(|b| publish::manifest::Manifest::parse(&b).ok())
        .ok_or_else(|| Diagnostic::global("cannot read back the manifest just written"))?;
    let mut records: Vec<OutputRecord> = listing
        .files
        .into_par_iter()
        .filter_map(|e| {
            let meta = std::fs::metadata(out.join(&e.path)).ok()?;
            Some(OutputRecord {
                path: e.path,
                size: e.size,
                mtime: disk::mtime_of(&meta),
                sha256: e.sha256,
            })
        })
        .collect();
    // The manifest does not list itself.
    let path = out.join(publish::manifest::FILE);
    let bytes = std::fs::read(&path).map_err(|e| Diagnostic::global(e.to_string()))?;
    let meta = std::fs::metadata(&path).map_err(|e| Diagnostic::global(e.to_string()))?;
    records.push(OutputRecord {
        path: publish::manifest::FILE.to_string(),
        size: bytes.len() as u64,
        mtime: disk::mtime_of(&meta),
        sha256: crate::digest::sha256_hex(&bytes),
    });
    // A build from scratch leaves no folder without a file.
    let mut folders: std::collections::HashSet<&str> = std::collections::HashSet::from([""]);
    for record in &records {
        let mut at = record.path.as_str();
        while let Some((folder, _)) = at.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            at = folder;
        }
    }
    let folders = folders
        .into_par_iter()
        .map(|folder| {
            let time = std::fs::metadata(out.join(folder)).map_or(0, |m| disk::mtime_of(&m));
            (folder.to_string(), time)
        })
        .collect();
    Ok((records, folders))
}
