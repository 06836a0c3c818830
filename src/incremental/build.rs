//! `annals build` with its cache on disk (`.annals/build/`): the plain
//! build's steps, with what the last cached build made kept where its
//! inputs are the same, and only the files whose bytes changed written.
//!
//! Every page's data is built and its digest (of everything its template
//! receives, with the theme and `site`) compared with the one recorded: a
//! page whose digest is the same and whose file is on disk as the last
//! build left it is kept, unrendered and unwritten. Entry cards are kept by
//! the digest of what they are rendered from. The data files are made
//! whole. A cache of another version of annals, another output folder, or
//! damaged in any way is ignored: the build starts from scratch and writes
//! a new one. The output equals a clean build's byte for byte (the test
//! `build_cache` edits a site and compares).

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use foldhash::HashMap;
use rayon::prelude::*;

use super::disk::{self, Cache, OutputRecord};
use super::render::{hash_context, value_digest};
use super::update::Update;
use crate::digest::{hash_of, hasher};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, Sink};
use crate::publish;
use crate::render::card_html::{CardHtml, CardSlots};
use crate::render::job::PageJob;
use crate::render::pages::Pages;
use crate::render::views::Cards;
use crate::render::{self, Page, Rendered};
use crate::site::{self, Loaded, Options, Outcome, Timings};

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
    let Some(loaded) = site::load(opts, &mut diags, &mut timings) else {
        return Outcome::new(None, diags);
    };
    let mut clock = Instant::now();
    let setup = setup_digest(opts, &loaded);
    let out_key = out.to_string_lossy().to_string();
    let cache = Cache::read(&opts.root).filter(|c| c.out == out_key && out.is_dir());
    let config = &loaded.chronology.config;
    let made = match cache {
        // The files of the last build are known: only changed ones are written.
        Some(cache) => {
            let known = if cache.setup == setup {
                Known::from(&cache)
            } else {
                Known::default()
            };
            let update = match Update::begin(out, cache.files) {
                Ok(u) => u,
                Err(e) => {
                    diags.push(e);
                    return Outcome::new(None, diags);
                }
            };
            let on_disk = |path: &str| update.on_disk(path).is_some();
            let Some((rendered, memo)) = render(&loaded, &known, &on_disk, &update, &mut diags)
            else {
                return Outcome::new(None, diags);
            };
            timings.lap("render", &mut clock);
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
            let Some((rendered, memo)) = render(
                &loaded,
                &Known::default(),
                &|_| false,
                &publisher,
                &mut diags,
            ) else {
                return Outcome::new(None, diags);
            };
            timings.lap("render", &mut clock);
            publisher
                .finish()
                .and_then(|_| records_of(out))
                .map(|files| (rendered, memo, files))
        }
    };
    let (rendered, memo, files) = match made {
        Ok(m) => m,
        Err(e) => {
            // The output may be half updated: the next build starts afresh.
            let _ = std::fs::remove_file(disk::path(&opts.root));
            diags.push(e);
            return Outcome::new(None, diags);
        }
    };
    timings.lap("publish", &mut clock);
    let count = files.len();
    let cache = Cache {
        out: out_key,
        setup,
        world: memo.world,
        cards: memo.cards,
        pages: memo.pages,
        files,
    };
    // A cache that cannot be written only makes the next build slower.
    if cache.write(&opts.root).is_err() {
        let _ = std::fs::remove_file(disk::path(&opts.root));
    }
    timings.lap("cache", &mut clock);
    let report = site::report(&loaded, &rendered, count, timings);
    std::mem::forget(loaded);
    Outcome::new(Some(report), diags)
}

/// The digest of what makes every cached key stale: `site.yaml` as
/// written, the options of the build and the templates.
fn setup_digest(opts: &Options, loaded: &Loaded) -> u64 {
    let config = std::fs::read(opts.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    hash_of(&(
        config,
        &opts.base_url,
        opts.drafts,
        loaded.theme.digest(),
        env!("CARGO_PKG_VERSION"),
    ))
}

/// Every file under `out` as now on disk (after a build from scratch).
fn records_of(out: &Path) -> Result<Vec<OutputRecord>, Diagnostic> {
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
    Ok(records)
}

/// What the last build recorded, ready to look up.
#[derive(Default)]
struct Known {
    world: u64,
    cards: HashMap<u64, render::card_html::Splice>,
    pages: HashMap<String, u64>,
}

impl Known {
    fn from(cache: &Cache) -> Known {
        Known {
            world: cache.world,
            cards: cache.cards.iter().cloned().collect(),
            pages: cache.pages.iter().cloned().collect(),
        }
    }
}

/// What this build records for the next.
struct Memo {
    world: u64,
    cards: Vec<(u64, render::card_html::Splice)>,
    pages: Vec<(String, u64)>,
}

/// The key of a card's splice at a heading level.
fn card_key(world: u64, card: &crate::render::views::EntryCard, heading: u8) -> u64 {
    hash_of(&(world, card, heading))
}

/// Renders as [`render::render`] does into `sink`, keeping the pages whose
/// template would receive what it received when the file on disk was
/// made (`on_disk` tells whether it is still there as made).
fn render(
    loaded: &Loaded,
    known: &Known,
    on_disk: &(dyn Fn(&str) -> bool + Sync),
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Option<(Rendered, Memo)> {
    let (chron, theme, statics) = (&loaded.chronology, &*loaded.theme, &loaded.statics);
    if chron.multilingual() {
        // The trees of a multilingual site are rendered as a plain build does.
        let rendered = render::render(chron, theme, statics, diags, sink)?;
        let memo = Memo {
            world: 0,
            cards: Vec::new(),
            pages: Vec::new(),
        };
        return Some((rendered, memo));
    }
    let site = render::site_value(chron, theme, statics);
    let world = hash_of(&(theme.digest(), value_digest(&site)));
    let cards = Cards::new(chron);
    // With the built-in card partial, cards are written where pages list
    // them and nothing of them is kept or cached.
    let spliced = !theme.is_builtin(render::card_html::CARD_TEMPLATE);
    let keys: Vec<[u64; 2]> = (0..if spliced { cards.len() } else { 0 })
        .into_par_iter()
        .map(|pos| {
            let card = cards.card(pos);
            [card_key(world, card, 3), card_key(world, card, 4)]
        })
        .collect();
    let slots: Vec<Arc<CardSlots>> = keys
        .par_iter()
        .map(|k| {
            let splice = |key: &u64| known.cards.get(key).cloned();
            Arc::new(CardSlots::with_splices([splice(&k[0]), splice(&k[1])]))
        })
        .collect();
    let html = if spliced {
        CardHtml::with_splices(theme, &site, &cards, slots.clone())
    } else {
        CardHtml::new(theme, &site, &cards)
    };
    let pages = Pages::new(chron, &cards, &html);
    // Entry pages' jobs are made as they are rendered and dropped once
    // written (as the plain build does): never all held at once.
    let (timeline, lists) = pages.lists();
    let decide = Decide {
        chron,
        theme,
        site: &site,
        world,
        same_world: known.world == world,
        known,
        on_disk,
        sink,
    };
    // The map page first and alone, as the plain build renders it.
    let mut made: Vec<Decided> = lists
        .iter()
        .filter(|j| render::alone(j))
        .map(|job| decide.page(job))
        .collect();
    made.par_extend(
        timeline
            .par_iter()
            .map(|job| decide.page(job))
            .chain(
                (0..chron.entries.len())
                    .into_par_iter()
                    .map(|pos| decide.page(&pages.entry(pos))),
            )
            .chain(
                lists
                    .par_iter()
                    .filter(|j| !render::alone(j))
                    .map(|job| decide.page(job)),
            ),
    );
    // In the order of `Pages::all`: the sitemap lists them so.
    let mut html_paths = render::html_paths(&timeline);
    html_paths.extend((0..chron.entries.len()).map(|pos| cards.card(pos).path.clone()));
    html_paths.extend(render::html_paths(&lists));
    drop((timeline, lists));
    drop(pages);
    drop(html);
    let data = render::put_data_files(chron, &cards, &html_paths, sink);
    let mut memo = Memo {
        world,
        cards: Vec::with_capacity(slots.len() * 2),
        pages: Vec::with_capacity(made.len()),
    };
    for (k, slot) in keys.iter().zip(&slots) {
        for (key, splice) in k.iter().zip(slot.splices()) {
            if let Some(s) = splice {
                memo.cards.push((*key, s));
            }
        }
    }
    let made = made
        .into_iter()
        .map(|(page, remembered)| {
            memo.pages.extend(remembered);
            page
        })
        .collect();
    let rendered = render::finish(made, data, Vec::new(), statics, diags, sink)?;
    render::warn_crowded(&rendered.paths, chron.config.folder_limit, diags);
    Some((rendered, memo))
}

/// A page kept or rendered, and its path and digest to record.
type Decided = (Result<Page, Diagnostic>, Option<(String, u64)>);

/// What deciding about each page needs.
struct Decide<'a> {
    chron: &'a crate::chronology::Chronology,
    theme: &'a crate::render::theme::Theme,
    site: &'a tera::Value,
    world: u64,
    same_world: bool,
    known: &'a Known,
    on_disk: &'a (dyn Fn(&str) -> bool + Sync),
    sink: &'a dyn Sink,
}

impl Decide<'_> {
    /// One page: its data built and digested; kept when the digest is the
    /// one recorded and its file is on disk as made, rendered otherwise.
    fn page(&self, job: &PageJob<'_>) -> Decided {
        let started = Instant::now();
        let path = render::file_of(&job.path);
        let data = match job.data() {
            Ok(d) => d,
            Err(e) => return (Err(e), None),
        };
        let context = render::page_context(self.chron, self.site, job, &data.data);
        let mut h = hasher();
        self.world.hash(&mut h);
        job.template.hash(&mut h);
        hash_context(&context, &data.data, &mut h);
        let key = h.finish();
        let remembered = Some((path.clone(), key));
        if self.same_world && self.known.pages.get(&path) == Some(&key) && (self.on_disk)(&path) {
            let kept = self.sink.keep(&path).map(|()| Page {
                path,
                template: job.template,
                links: data.links,
                cost: None,
            });
            return (kept, remembered);
        }
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
}
