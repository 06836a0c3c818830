//! The pipeline as a straight line of named stages:
//! config → content → chronology → render → write. `check` is the same
//! minus the writing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::assets::{self, Statics};
use crate::chronology::{self, Chronology};
use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::media::ImageWork;
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
    /// The build's date (corrections after it are errors); today in the
    /// site's time zone when not given.
    pub now: Option<chrono::NaiveDate>,
    /// How sources without an archived copy are reported.
    pub archives: crate::trust::Archives,
}

/// How long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// (stage, time) in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Records the time since `since` as `stage`, and restarts the clock.
    pub fn lap(&mut self, stage: &'static str, since: &mut Instant) {
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
    /// The outcome of a run: its report, when it succeeded, and its problems.
    pub fn new(report: Option<Report>, diags: Diagnostics) -> Outcome {
        Outcome {
            report,
            diagnostics: diags.sorted(),
        }
    }
}

/// A loaded, checked site.
pub struct Loaded {
    /// The chronology.
    pub chronology: Chronology,
    /// The compiled theme.
    pub theme: Arc<Theme>,
    /// The static files to publish.
    pub statics: Statics,
    /// Drafts per file.
    pub drafts_per_file: Vec<(PathBuf, usize)>,
    /// What the image work cost.
    pub media: crate::media::MediaStats,
}

/// Loads config, content, theme and static files and builds the
/// chronology. Returns `None` when any of it has errors (which are in
/// `diags`).
pub fn load(opts: &Options, diags: &mut Diagnostics, timings: &mut Timings) -> Option<Loaded> {
    load_with(opts, ImageWork::Resize, diags, timings)
}

/// Like [`load`], with images resized (a build) or only measured (`check`,
/// which writes nothing, not even the image cache).
pub fn load_with(
    opts: &Options,
    images: ImageWork,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Loaded> {
    load_from(opts, images, None, diags, timings)
}

/// Like [`load`], with the YAML that earlier builds parsed taken from
/// `kept` where the text is the same (see [`content::KeptYaml`]).
pub fn load_keeping(
    opts: &Options,
    kept: &dyn content::KeptYaml,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Loaded> {
    load_from(opts, ImageWork::Resize, Some(kept), diags, timings)
}

fn load_from(
    opts: &Options,
    images: ImageWork,
    kept: Option<&dyn content::KeptYaml>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Loaded> {
    let mut clock = Instant::now();
    let config = load_config(opts, diags)?;
    let content = content::load_keeping(&opts.root, &config, content::Texts::LetGo, kept, diags);
    check_trust(opts, &config, &content, diags);
    let drafts_per_file = content.drafts_per_file.clone();
    timings.lap("load", &mut clock);
    crate::memtrace::mark("content loaded");
    let chronology = chronology::build(config, content, opts.drafts, diags);
    timings.lap("chronology", &mut clock);
    crate::memtrace::mark("chronology");
    let theme = load_theme(opts, diags);
    let mut statics = assets::load(&opts.root, diags);
    timings.lap("templates", &mut clock);
    let mut chronology = chronology;
    let media = media_and_privacy(opts, &mut chronology, &mut statics, images, diags);
    timings.lap("images", &mut clock);
    crate::memtrace::mark("templates, media");
    let mut loaded = loaded(chronology, theme?, statics, drafts_per_file, diags)?;
    loaded.media = media;
    Some(loaded)
}

/// The checks and work that need the whole site loaded: resources from
/// other origins (privacy), local media files found and read, and, when
/// the content is sound, images published with their variants (added to
/// the static files; their sizes go to the chronology, for the pages).
pub fn media_and_privacy(
    opts: &Options,
    chronology: &mut Chronology,
    statics: &mut Statics,
    images: ImageWork,
    diags: &mut Diagnostics,
) -> crate::media::MediaStats {
    let config = &chronology.config;
    crate::privacy::check(
        &opts.root,
        config.privacy_strict,
        config.allow_raw_html,
        diags,
    );
    media(opts, chronology, statics, images, diags)
}

/// Local media files found and read, and, when the content is sound,
/// images published with their variants (see [`media_and_privacy`]).
pub fn media(
    opts: &Options,
    chronology: &mut Chronology,
    statics: &mut Statics,
    images: ImageWork,
    diags: &mut Diagnostics,
) -> crate::media::MediaStats {
    crate::media::check(chronology, &opts.root, diags);
    if diags.has_errors() {
        return crate::media::MediaStats::default();
    }
    let (files, stats, measured) = crate::media::publish(chronology, &opts.root, images, diags);
    chronology.images = std::sync::Arc::new(measured);
    statics.files.extend(files);
    statics.files.sort_by(|a, b| a.0.cmp(&b.0));
    stats
}

/// Warns of the theme's words a site's language lacks (shown in English),
/// or of a language with no translation table at all.
fn translation_warnings(config: &Config, theme: &Theme, diags: &mut Diagnostics) {
    let words = theme.translations();
    let lang = &config.language;
    if !words.has(lang) {
        diags.warning(
            crate::error::Span::file(crate::config::CONFIG_FILE),
            format!(
                "the theme has no translation table for language \"{lang}\": its words are shown in English (it has {}; add i18n/{}.yaml to translate them)",
                words.languages().join(", "),
                crate::i18n::primary(lang)
            ),
        );
        return;
    }
    let missing = words.missing(lang);
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(12).copied().collect();
        let more = missing.len() - shown.len();
        diags.warning(
            crate::error::Span::file(format!("i18n/{}.yaml", crate::i18n::primary(lang))),
            format!(
                "{} of the theme's words {} no translation into \"{lang}\" and {} shown in English: {}{}",
                missing.len(),
                if missing.len() == 1 { "has" } else { "have" },
                if missing.len() == 1 { "is" } else { "are" },
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ),
        );
    }
}

/// `site.yaml`, with the base URL of `opts` over its own; warns when annals
/// has no month names for its language.
pub fn load_config(opts: &Options, diags: &mut Diagnostics) -> Option<Config> {
    // A site.yaml with errors is reported, and the content still checked
    // with defaults for what failed: every error in one run.
    let config = Config::load_or_default(&opts.root, diags)?;
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
                crate::error::cut(&config.language),
                crate::date_names::known()
            ),
        );
    }
    Some(config)
}

/// The checks of provenance against the rest of the site (see `trust`).
pub fn check_trust(
    opts: &Options,
    config: &Config,
    content: &content::Content,
    diags: &mut Diagnostics,
) {
    let settings = crate::trust::Settings {
        root: &opts.root,
        now: opts.now.unwrap_or_else(|| crate::trust::today(config)),
        archives: opts.archives,
    };
    crate::trust::check(content, config, &settings, diags);
}

/// The site's theme; `None` when a template is broken (problems in `diags`).
pub fn load_theme(opts: &Options, diags: &mut Diagnostics) -> Option<Arc<Theme>> {
    match Theme::load(&opts.root) {
        Ok(t) => Some(Arc::new(t)),
        Err(e) => {
            diags.extend(e);
            None
        }
    }
}

/// The loaded site, when nothing loaded had errors.
pub fn loaded(
    mut chronology: Chronology,
    theme: Arc<Theme>,
    statics: Statics,
    drafts_per_file: Vec<(PathBuf, usize)>,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    translation_warnings(&chronology.config, &theme, diags);
    chronology.config.words = crate::i18n::SiteWords(Some(Arc::clone(theme.translations())));
    (!diags.has_errors()).then_some(Loaded {
        chronology,
        theme,
        statics,
        drafts_per_file,
        media: crate::media::MediaStats::default(),
    })
}

/// The report of a run that made `files` files.
pub fn report(loaded: &Loaded, rendered: &Rendered, files: usize, timings: Timings) -> Report {
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
        media: loaded.media,
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
    let Some(loaded) = load(opts, &mut diags, &mut timings) else {
        return Outcome::new(None, diags);
    };
    let settings = publish::Settings {
        base_url: loaded.chronology.config.base_url.clone(),
        embed_allow: loaded.chronology.config.embed_allow.clone(),
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
        &loaded.statics,
        &mut diags,
        &publisher,
    );
    timings.lap("render", &mut clock);
    crate::memtrace::mark("rendered");
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
    check_keeping(opts, external, None)
}

/// Like [`check_with`], with the YAML that earlier builds parsed taken from
/// `kept` where the text is the same (see [`content::KeptYaml`]).
pub fn check_keeping(
    opts: &Options,
    external: Option<&linkcheck::Settings>,
    kept: Option<&dyn content::KeptYaml>,
) -> (Outcome, Option<linkcheck::Summary>) {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let Some(loaded) = load_from(opts, ImageWork::Measure, kept, &mut diags, &mut timings) else {
        return (Outcome::new(None, diags), None);
    };
    let mut clock = Instant::now();
    let rendered = render::render(
        &loaded.chronology,
        &loaded.theme,
        &loaded.statics,
        &mut diags,
        &crate::output::Discard,
    );
    timings.lap("render", &mut clock);
    let Some(rendered) = rendered else {
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
