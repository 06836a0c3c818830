//! Rebuilding a site again and again (`serve`): everything that remembers
//! between builds lives here, wrapped around the plain pipeline of
//! [`site`](crate::site), which knows nothing of it.
//!
//! - [`content`]: parsed content files, parsed again only when they change;
//! - [`structure`]: the chronology's order, links and indexes, taken as
//!   they were while no edit touches what they are derived from;
//! - [`render`]: pages kept by a digest of everything their template
//!   receives, card HTML by a digest of the card.
//!
//! Each rebuild's output equals a clean build of the same files (the test
//! `rebuild_equals_build` edits a generated site at random to prove it).
//! Every key is a digest of values, so that the build cache on disk
//! (`.annals/build/`: [`build`], [`keys`], [`disk`], [`memo_disk`]) keeps
//! them for `annals build`, beside the YAML it parsed ([`parsed`]).

pub mod build;
pub mod bytes;
pub mod content;
pub mod disk;
pub mod keys;
pub mod memo_disk;
pub mod parsed;
pub mod privacy;
pub mod render;
pub mod search;
pub mod structure;
pub mod update;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::assets;
use crate::config::CONFIG_FILE;
use crate::error::Diagnostics;
use crate::output::Sink;
use crate::render::Rendered;
use crate::render::theme::Theme;
use crate::site::{self, Loaded, Options, Timings};

/// What one session remembers of its last builds.
#[derive(Default)]
pub struct Incremental {
    content: content::ContentCache,
    theme: Option<Arc<Theme>>,
    structure: Option<structure::Structure>,
    memo: render::Memo,
    /// The memo of each language's tree (`""`, `"uk/"`, ...) of a
    /// multilingual site.
    trees: foldhash::HashMap<String, render::Memo>,
    /// The memo the last good build replaced, for the caller to let go of
    /// when it suits it (freeing it takes a while).
    retired: Option<render::Memo>,
    privacy: privacy::Scans,
}

impl Incremental {
    /// A session that remembers nothing yet.
    pub fn new() -> Incremental {
        Incremental::default()
    }

    /// Forgets what the files `changed` (relative to `root`) make stale; an
    /// empty list means that any file may have changed.
    pub fn changed(&mut self, root: &Path, changed: &[PathBuf]) {
        if changed.is_empty() {
            self.content.rescan();
        }
        self.privacy.changed(root, changed);
        for path in changed {
            if path == Path::new(CONFIG_FILE) {
                // The configuration decides how every file is read.
                self.content = content::ContentCache::default();
                self.structure = None;
            }
            if path.starts_with("templates") || path.starts_with("i18n") {
                self.theme = None;
            }
            if path.starts_with("content") {
                let is_file = root.join(path).is_file();
                self.content.invalidate(path, is_file);
            }
        }
    }

    /// Loads the site as [`site::load`] does, from what is remembered where
    /// the files did not change.
    pub fn load(
        &mut self,
        opts: &Options,
        diags: &mut Diagnostics,
        timings: &mut Timings,
    ) -> Option<Loaded> {
        let mut clock = Instant::now();
        let config = site::load_config(opts, diags)?;
        let (content, settled) = content::load(&opts.root, &config, &mut self.content, diags);
        site::check_trust(opts, &config, &content, diags);
        let drafts_per_file = content.drafts_per_file.clone();
        timings.lap("load", &mut clock);
        let chronology = structure::build(
            config,
            content,
            opts.drafts,
            settled,
            &mut self.structure,
            diags,
        );
        timings.lap("chronology", &mut clock);
        if self.theme.is_none() {
            self.theme = site::load_theme(opts, diags);
        }
        let mut statics = assets::load(&opts.root, diags);
        timings.lap("templates", &mut clock);
        let mut chronology = chronology;
        self.privacy.check(&opts.root, &chronology.config, diags);
        let media = site::media(
            opts,
            &mut chronology,
            &mut statics,
            crate::media::ImageWork::Resize,
            diags,
        );
        timings.lap("images", &mut clock);
        let theme = self.theme.clone()?;
        let mut loaded = site::loaded(chronology, theme, statics, drafts_per_file, diags)?;
        loaded.media = media;
        Some(loaded)
    }

    /// The data files the last rebuild left to be made when a reader asks
    /// for them: the exports (a large site's are hundreds of megabytes:
    /// making them at every rebuild was most of serve's data stage) and
    /// the files of `timeline.json` that changed.
    pub fn files_to_make(&self) -> Vec<render::Later> {
        self.memo.files_to_make()
    }

    /// Loads and renders the site into `sink`, which holds the output of the
    /// last good build: pages whose inputs did not change are kept there.
    pub fn rebuild(
        &mut self,
        opts: &Options,
        diags: &mut Diagnostics,
        timings: &mut Timings,
        sink: &dyn Sink,
    ) -> Option<(Loaded, Rendered)> {
        let loaded = self.load(opts, diags, timings)?;
        let mut clock = Instant::now();
        if loaded.chronology.multilingual() {
            // Every language's tree, as `build` writes it, each remembered
            // apart; a failed build keeps the last good memos.
            let last = std::mem::take(&mut self.trees);
            let mut next = foldhash::HashMap::default();
            let none = render::Memo::default();
            let theme = &loaded.theme;
            let rendered = crate::render::languages::render_trees_with(
                &loaded.chronology,
                &loaded.statics,
                diags,
                sink,
                |tree, told, statics, diags, into| {
                    let previous = last.get(tree).unwrap_or(&none);
                    // The trees' own steps are not timed apart.
                    let steps = &mut Timings::default();
                    let (r, memo) =
                        render::render(told, theme, statics, diags, into, previous, steps)?;
                    next.insert(tree.to_string(), memo);
                    Some(r)
                },
            );
            timings.lap("render", &mut clock);
            self.trees = if rendered.is_some() { next } else { last };
            self.memo = render::Memo::default();
            return Some((loaded, rendered?));
        }
        self.trees.clear();
        // One site's exports are made when a reader asks for them.
        self.memo.exports_later = true;
        let (rendered, memo) = render::render(
            &loaded.chronology,
            &loaded.theme,
            &loaded.statics,
            diags,
            sink,
            &self.memo,
            timings,
        )?;
        self.retired = Some(std::mem::replace(&mut self.memo, memo));
        Some((loaded, rendered))
    }

    /// The memo the last rebuild replaced, to be let go of.
    pub fn take_retired(&mut self) -> Option<render::Memo> {
        self.retired.take()
    }
}
