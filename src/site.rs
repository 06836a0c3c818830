//! The pipeline as a straight line of named stages:
//! config → content → chronology → render → write. `check` is the same
//! minus the writing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::chronology::{self, Chronology};
use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::output;
use crate::publish;
use crate::render::{self, Rendered, theme::Theme};

/// What a build or check is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
}

/// How long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// (stage, time) in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.stages.push((stage, now - *since));
        *since = now;
    }

    /// The sum of all stages.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Report {
    /// Published events.
    pub events: usize,
    /// Published articles.
    pub articles: usize,
    /// HTML pages.
    pub pages: usize,
    /// All files.
    pub files: usize,
    /// Draft events and articles per file (waiting for review).
    pub drafts_per_file: Vec<(PathBuf, usize)>,
    /// Stage timings.
    pub timings: Timings,
    /// What each template cost.
    pub templates: Vec<render::TemplateStats>,
    /// What the image work cost.
    pub media: crate::media::MediaStats,
}

/// The result of a run: a report when it succeeded, and every problem found
/// (warnings too) either way.
#[derive(Debug)]
pub struct Outcome {
    /// Present when the run succeeded.
    pub report: Option<Report>,
    /// Errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    fn new(report: Option<Report>, diags: Diagnostics) -> Outcome {
        Outcome {
            report,
            diagnostics: diags.sorted(),
        }
    }
}

/// What a long-running session (`serve`) keeps between builds.
#[derive(Default)]
pub struct Caches {
    /// Parsed content files.
    pub content: content::ContentCache,
    /// The compiled theme, until a template changes.
    pub theme: Option<Arc<Theme>>,
    /// Whether pages are remembered between builds (their fingerprints), so
    /// that only those whose inputs changed are rendered again.
    pub keep_pages: bool,
    /// The structure of the last chronology built, when its checks found
    /// nothing.
    pub chronology: Option<chronology::Structure>,
    /// The fingerprints of the pages of the last good build.
    pub pages: Option<render::fingerprint::Memo>,
    /// The memo the last good build replaced, for the caller to let go of
    /// when it suits it (freeing it takes a while).
    pub retired: Option<render::fingerprint::Memo>,
}

impl Caches {
    /// Caches that keep what they load.
    pub fn new() -> Caches {
        Caches {
            content: content::ContentCache::new(),
            theme: None,
            keep_pages: true,
            chronology: None,
            pages: None,
            retired: None,
        }
    }
}

/// A loaded, checked site.
pub struct Loaded {
    /// The chronology.
    pub chronology: Chronology,
    /// The compiled theme.
    pub theme: Arc<Theme>,
    /// Drafts per file.
    pub drafts_per_file: Vec<(PathBuf, usize)>,
}

/// Loads config, content and theme and builds the chronology. Returns
/// `None` when any of it has errors (which are in `diags`).
pub fn load(
    opts: &Options,
    caches: &mut Caches,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Loaded> {
    let mut clock = Instant::now();
    let config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(e) => {
            diags.extend(e);
            return None;
        }
    };
    let config = match &opts.base_url {
        Some(url) => match config.with_base_url(url) {
            Ok(c) => c,
            Err(e) => {
                diags.push(e);
                return None;
            }
        },
        None => config,
    };
    if crate::date_names::for_language(&config.language).is_none() {
        diags.warning(
            crate::error::Span::file(crate::config::CONFIG_FILE),
            format!(
                "annals has no month names for language \"{}\": dates are shown in English (it knows {})",
                config.language,
                crate::date_names::known()
            ),
        );
    }
    let mut content = content::load_cached(&opts.root, &config, &mut caches.content, diags);
    crate::map::coarsen_content(&mut content, &config.map);
    let drafts_per_file = content.drafts_per_file.clone();
    timings.lap("load", &mut clock);
    let kept = caches.keep_pages.then_some(&mut caches.chronology);
    let chronology = chronology::build(config, content, opts.drafts, kept, diags);
    timings.lap("chronology", &mut clock);
    let theme = match &caches.theme {
        Some(t) => Some(Arc::clone(t)),
        None => match Theme::load(&opts.root) {
            Ok(t) => {
                let t = Arc::new(t);
                caches.theme = Some(Arc::clone(&t));
                Some(t)
            }
            Err(e) => {
                diags.extend(e);
                None
            }
        },
    };
    timings.lap("templates", &mut clock);
    crate::privacy::check(&opts.root, chronology.config.privacy_strict, diags);
    crate::media::check(&chronology, &opts.root, diags);
    if diags.has_errors() {
        return None;
    }
    Some(Loaded {
        chronology,
        theme: theme?,
        drafts_per_file,
    })
}

/// Loads the site and renders it into `sink`.
pub fn render(
    opts: &Options,
    caches: &mut Caches,
    diags: &mut Diagnostics,
    timings: &mut Timings,
    sink: &dyn render::Sink,
) -> Option<(Loaded, Rendered)> {
    let loaded = load(opts, caches, diags, timings)?;
    let mut clock = Instant::now();
    // The memo of the last good build; it stays when this one fails.
    let memo = caches
        .keep_pages
        .then(|| caches.pages.take().unwrap_or_default());
    let rendered = render::render(
        &loaded.chronology,
        &loaded.theme,
        &opts.root,
        diags,
        sink,
        memo.as_ref(),
    );
    timings.lap("render", &mut clock);
    let Some(mut rendered) = rendered else {
        caches.pages = memo;
        return None;
    };
    if caches.keep_pages {
        caches.pages = rendered.memo.take();
        caches.retired = memo;
    }
    Some((loaded, rendered))
}

fn report(loaded: &Loaded, rendered: &Rendered, files: usize, timings: Timings) -> Report {
    let c = &loaded.chronology;
    let events = c
        .entries
        .iter()
        .filter(|e| e.kind == chronology::EntryKind::Event)
        .count();
    Report {
        events,
        articles: c.entries.len() - events,
        pages: rendered.pages,
        files,
        drafts_per_file: loaded.drafts_per_file.clone(),
        timings,
        templates: rendered.templates.clone(),
        media: rendered.media,
    }
}

/// Builds the site into `out`, replacing its previous content only when
/// everything succeeded.
pub fn build(opts: &Options, out: &Path) -> Outcome {
    build_with(opts, out, &publish::Settings::default())
}

/// Like [`build`], with the publishing extras of `publishing`
/// (precompressed files, an offline bundle); its `base_url` is taken from
/// the site. Pages are written as they are rendered, into a folder that
/// replaces the output only when everything succeeded.
pub fn build_with(opts: &Options, out: &Path, publishing: &publish::Settings) -> Outcome {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    if let Err(e) = output::check_target(&opts.root, out) {
        diags.push(e);
        return Outcome::new(None, diags);
    }
    let mut caches = Caches::default();
    let Some(loaded) = load(opts, &mut caches, &mut diags, &mut timings) else {
        return Outcome::new(None, diags);
    };
    let settings = publish::Settings {
        base_url: loaded.chronology.config.base_url.clone(),
        ..publishing.clone()
    };
    let publisher = match publish::Publisher::begin(out, settings) {
        Ok(p) => p,
        Err(e) => {
            diags.push(e);
            return Outcome::new(None, diags);
        }
    };
    let mut clock = Instant::now();
    let rendered = render::render(
        &loaded.chronology,
        &loaded.theme,
        &opts.root,
        &mut diags,
        &publisher,
        None,
    );
    timings.lap("render", &mut clock);
    // Dropping the publisher of a failed build removes what it wrote.
    let Some(rendered) = rendered else {
        return Outcome::new(None, diags);
    };
    let files = match publisher.finish() {
        Ok(n) => n,
        Err(e) => {
            diags.push(e);
            return Outcome::new(None, diags);
        }
    };
    timings.lap("publish", &mut clock);
    let report = report(&loaded, &rendered, files, timings);
    // The process ends right after a build: freeing every value one by one
    // would only cost time.
    std::mem::forget(loaded);
    Outcome::new(Some(report), diags)
}

/// Does everything a build does but write.
pub fn check(opts: &Options) -> Outcome {
    check_with(opts, None).0
}

/// Like [`check`]; with `external`, also asks every external source that a
/// published entry cites whether it still answers (dead ones are errors).
pub fn check_with(
    opts: &Options,
    external: Option<&linkcheck::Settings>,
) -> (Outcome, Option<linkcheck::Summary>) {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let Some((loaded, rendered)) = render(
        opts,
        &mut Caches::default(),
        &mut diags,
        &mut timings,
        &render::Discard,
    ) else {
        return (Outcome::new(None, diags), None);
    };
    // What a build would refuse, such as a static/manifest.json.
    if let Err(e) = publish::check_static(&rendered.paths) {
        diags.push(e);
        return (Outcome::new(None, diags), None);
    }
    let links = external.map(|settings| {
        let mut clock = Instant::now();
        let cited = linkcheck::citations(&loaded.chronology);
        let summary = linkcheck::check(&cited, settings, &mut diags);
        timings.lap("links", &mut clock);
        summary
    });
    let files = rendered.paths.len();
    let report = report(&loaded, &rendered, files, timings);
    (Outcome::new(Some(report), diags), links)
}
