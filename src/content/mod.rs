//! Loading a site's content: every file under `content/`, parsed in
//! parallel, every problem collected.

pub mod article;
pub mod event;
pub mod page;
pub mod provenance;
pub mod registry;
pub mod siblings;

use foldhash::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostics, Span};
use crate::source::Spot;
pub use crate::source::{KeptYaml, Texts};
use crate::source::{SourceFile, YamlSource};

pub use article::Article;
pub use event::{Event, ExternalSource, Point, Source, Status};
pub use page::Page;
pub use registry::{Entity, Era, Kind, Registry};

/// Everything a site's `content/` holds, parsed but not yet cross-checked.
#[derive(Debug, Default)]
pub struct Content {
    /// Curated events, in file order (shared, so that a rebuild may keep them).
    pub events: Vec<Arc<Event>>,
    /// Articles, in file order (shared, so that a rebuild may keep them).
    pub articles: Vec<Arc<Article>>,
    /// Free pages.
    pub pages: Vec<Page>,
    /// `actors.yaml`, when the site has one.
    pub actors: Option<Registry>,
    /// `places.yaml`, when the site has one.
    pub places: Option<Registry>,
    /// `eras.yaml`, in file order.
    pub eras: Vec<Era>,
    /// Events with errors that keep them off the timeline, kept so that
    /// their references are still checked.
    pub unplaced_events: Vec<Arc<Event>>,
    /// The same for articles.
    pub unplaced_articles: Vec<Arc<Article>>,
    /// Ids and slugs of events and articles that had errors: already
    /// reported, so references to them are not reported again.
    pub broken_ids: HashSet<String>,
    /// How many draft events and articles each file holds (for `check`).
    pub drafts_per_file: Vec<(PathBuf, usize)>,
}

/// What a content file is, by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Under `content/events/`.
    Events,
    /// Under `content/articles/`.
    Article,
    /// Under `content/pages/`.
    Page,
    /// `content/actors.yaml`.
    Actors,
    /// `content/places.yaml`.
    Places,
    /// `content/eras.yaml`.
    Eras,
}

/// One parsed file.
#[derive(Clone)]
pub enum Parsed {
    /// An events file.
    Events(event::EventsFile),
    /// An article, or what is left of one that had errors.
    Article(Result<Arc<Article>, article::Unplaced>),
    /// An article's file in another language than the default
    /// (`note.en.md`), joined to its article when the content is assembled.
    Translation(Option<Box<siblings::Sibling>>),
    /// A free page.
    Page(Box<Page>),
    /// The actors or places registry.
    Registry(Kind, Registry),
    /// The eras.
    Eras(Vec<Era>),
    /// Nothing usable (its problems are reported).
    Nothing,
}

/// A content file found by the walk: its path, its kind, whether it is a
/// link (its target may lie outside what a watcher sees).
pub type Listed = (PathBuf, FileKind, bool);

/// Reads every content file under `root/content`. Problems go to `diags`;
/// what could be read is returned either way. `texts` says whether the
/// events' and articles' texts are kept once parsed (see [`Texts`]).
pub fn load(root: &Path, config: &Config, texts: Texts, diags: &mut Diagnostics) -> Content {
    load_keeping(root, config, texts, None, diags)
}

/// Like [`load`], with the YAML of events files and articles' front matter
/// that an earlier build parsed taken from `kept` while their text is the
/// same (and what is parsed now given to it).
pub fn load_keeping(
    root: &Path,
    config: &Config,
    texts: Texts,
    kept: Option<&dyn KeptYaml>,
    diags: &mut Diagnostics,
) -> Content {
    let files = discover(root, diags);
    let parsed: Vec<(PathBuf, Parsed, Diagnostics)> = files
        .par_iter()
        .map(|(rel, kind, _)| {
            let mut d = Diagnostics::new();
            let parsed = parse_file_with(root, rel, *kind, config, texts, kept, &mut d);
            (rel.clone(), parsed, d)
        })
        .collect();
    assemble(parsed, diags)
}

/// The content of parsed files, in path order; their problems go to `diags`.
pub fn assemble(parsed: Vec<(PathBuf, Parsed, Diagnostics)>, diags: &mut Diagnostics) -> Content {
    let mut content = Content::default();
    let events: usize = parsed
        .iter()
        .map(|(_, p, _)| match p {
            Parsed::Events(file) => file.events.len(),
            _ => 0,
        })
        .sum();
    content.events.reserve(events);
    // Each article's default-language file, by article, and the siblings to
    // join to them once every file is read. Hashed, not ordered: paths
    // compare component by component, and a rebuild assembles every file.
    let mut primaries: siblings::Primaries = siblings::Primaries::default();
    let mut translations = Vec::new();
    // Each article file's group, found on every core.
    let groups: Vec<Option<PathBuf>> = parsed
        .par_iter()
        .map(|(rel, parsed, _)| {
            matches!(parsed, Parsed::Article(_)).then(|| siblings::group_of(rel))
        })
        .collect();
    for ((rel, parsed, d), group) in parsed.into_iter().zip(groups) {
        diags.extend(d);
        let drafts = match parsed {
            Parsed::Events(file) => {
                let drafts = file
                    .events
                    .iter()
                    .filter(|e| e.status == Status::Draft)
                    .count();
                content.events.extend(file.events);
                content.broken_ids.extend(file.broken_ids);
                content.unplaced_events.extend(file.unplaced);
                drafts
            }
            Parsed::Article(Ok(a)) => {
                let draft = usize::from(a.draft);
                let index = Some(content.articles.len());
                primary(&mut primaries, group, &rel, index, diags);
                content.articles.push(a);
                draft
            }
            Parsed::Translation(sibling) => {
                translations.extend(sibling.map(|s| (rel.clone(), *s)));
                0
            }
            Parsed::Article(Err(unplaced)) => {
                primary(&mut primaries, group, &rel, None, diags);
                content.broken_ids.extend(unplaced.slug);
                content
                    .unplaced_articles
                    .extend(unplaced.shell.map(Arc::from));
                0
            }
            Parsed::Page(p) => {
                content.pages.push(*p);
                0
            }
            Parsed::Registry(Kind::Actors, r) => {
                content.actors = Some(r);
                0
            }
            Parsed::Registry(Kind::Places, r) => {
                content.places = Some(r);
                0
            }
            Parsed::Eras(eras) => {
                content.eras = eras;
                0
            }
            Parsed::Nothing => 0,
        };
        if drafts > 0 {
            content.drafts_per_file.push((rel, drafts));
        }
    }
    if !translations.is_empty() {
        siblings::merge(&mut content.articles, &primaries, translations, diags);
    }
    // An article's front matter as read is only compared with its
    // translations' (just done): let it go where nothing else holds the
    // article (`serve` keeps parsed files, and their front matter, for
    // translations added later).
    for article in &mut content.articles {
        if let Some(a) = Arc::get_mut(article) {
            a.front = None;
        }
    }
    content
}

/// Notes `rel` as the default-language file of its article; two (`note.md`
/// and `note.uk.md`) are an error naming both.
fn primary(
    primaries: &mut siblings::Primaries,
    group: Option<PathBuf>,
    rel: &Path,
    index: Option<usize>,
    diags: &mut Diagnostics,
) {
    let group = group
        .unwrap_or_else(|| siblings::group_of(rel))
        .into_os_string();
    if let Some(first) = primaries.get(&group) {
        diags.error(
            Span::file(rel),
            format!(
                "the article is already written in the default language in {}: keep one of the two files (the default language's file may be named either way)",
                crate::error::display_path(&first.file)
            ),
        );
        return;
    }
    primaries.insert(
        group,
        siblings::Primary {
            file: rel.to_path_buf(),
            index,
        },
    );
}
/// Reads and parses one content file of the given kind. With
/// [`Texts::LetGo`], an events file's text and an article's front matter
/// and body are let go once parsed, to be read again from the file when
/// asked for (a position for a message, the body for its page).
pub fn parse_file(
    root: &Path,
    rel: &Path,
    kind: FileKind,
    config: &Config,
    texts: Texts,
    d: &mut Diagnostics,
) -> Parsed {
    parse_file_with(root, rel, kind, config, texts, None, d)
}

/// Like [`parse_file`], with an events file's YAML and an article's front
/// matter taken from `kept` when an earlier build parsed the same text
/// (see [`KeptYaml`]).
fn parse_file_with(
    root: &Path,
    rel: &Path,
    kind: FileKind,
    config: &Config,
    texts: Texts,
    kept: Option<&dyn KeptYaml>,
    d: &mut Diagnostics,
) -> Parsed {
    let file = match SourceFile::read_limited(root, rel, config.max_file_mb) {
        Ok(f) => f,
        Err(e) => {
            d.push(e);
            return Parsed::Nothing;
        }
    };
    let tz = config.date_style();
    match kind {
        FileKind::Events => {
            let doc = YamlSource::whole(&file);
            let events = event::events_of(&doc, doc.parse_keeping(kept), tz, d);
            if texts == Texts::LetGo {
                doc.let_go(Spot::whole(root, &file));
            }
            Parsed::Events(events)
        }
        FileKind::Article => {
            let mut parsed = parse_article_file(&file, config, kept, d);
            if texts == Texts::LetGo
                && let Parsed::Article(Ok(article)) = &mut parsed
                && let Some(article) = Arc::get_mut(article)
            {
                article.let_go(root, &file);
            }
            parsed
        }
        FileKind::Page => {
            page::parse_page(&file, d).map_or(Parsed::Nothing, |p| Parsed::Page(Box::new(p)))
        }
        FileKind::Actors => Parsed::Registry(
            Kind::Actors,
            registry::parse_registry(&YamlSource::whole(&file), Kind::Actors, d),
        ),
        FileKind::Places => Parsed::Registry(
            Kind::Places,
            registry::parse_registry(&YamlSource::whole(&file), Kind::Places, d),
        ),
        FileKind::Eras => Parsed::Eras(registry::parse_eras(&YamlSource::whole(&file), tz, d)),
    }
}

/// An article file: the article in the default language (`note.md` or
/// `note.uk.md`), or one of its translations (`note.en.md`).
fn parse_article_file(
    file: &SourceFile,
    config: &Config,
    kept: Option<&dyn KeptYaml>,
    d: &mut Diagnostics,
) -> Parsed {
    let (stem, lang) = siblings::split_name(&file.path);
    let languages = if config.languages.is_empty() {
        std::slice::from_ref(&config.language)
    } else {
        config.languages.as_slice()
    };
    let known = |l: &str| languages.iter().any(|x| x.eq_ignore_ascii_case(l));
    match lang {
        Some(lang) if !known(&lang) => {
            d.error(
                Span::file(&file.path),
                format!(
                    "the file name gives the language \"{lang}\", which is not one of the site's languages ({}): name a translation NAME.LANG.md with LANG from `languages` (or rename the file)",
                    languages.join(", ")
                ),
            );
            Parsed::Translation(None)
        }
        Some(lang) if !languages[0].eq_ignore_ascii_case(&lang) => {
            Parsed::Translation(siblings::parse_sibling(file, &lang, d).map(Box::new))
        }
        _ => Parsed::Article(
            article::parse_article(file, &stem, config.date_style(), kept, d).map(Arc::new),
        ),
    }
}

pub use crate::source::is_ignored_name;

/// Lists the content files to read, sorted by path, each with its kind.
/// Links are followed only when they stay inside the site root.
pub fn discover(root: &Path, diags: &mut Diagnostics) -> Vec<Listed> {
    if !root.join("content").is_dir() {
        diags.warning(
            Span::file("content"),
            "the site has no content/ folder: nothing to publish",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (rel, linked) in crate::source::site_files_linked(root, "content", diags) {
        // content/media/ holds the files entries' `media:` name (read by crate::media).
        if rel.starts_with("content/media") {
            continue;
        }
        match classify(&rel) {
            Some(kind) => out.push((rel, kind, linked)),
            None => diags.warning(Span::file(&rel), unknown_file_hint(&rel)),
        }
    }
    out
}

fn classify(rel: &Path) -> Option<FileKind> {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_lowercase());
    let ext = ext.as_deref();
    let is_yaml = matches!(ext, Some("yaml" | "yml"));
    match parts.as_slice() {
        [_, file] if is_yaml => match rel.file_stem()?.to_str()? {
            "actors" => Some(FileKind::Actors),
            "places" => Some(FileKind::Places),
            "eras" => Some(FileKind::Eras),
            _ => None,
        },
        [_, section, _, ..] => match (section.as_str(), ext) {
            ("events", Some("yaml" | "yml")) => Some(FileKind::Events),
            ("articles", Some("md" | "markdown")) => Some(FileKind::Article),
            ("pages", Some("md" | "markdown")) => Some(FileKind::Page),
            _ => None,
        },
        _ => None,
    }
}

fn unknown_file_hint(rel: &Path) -> String {
    let s = crate::error::display_path(rel);
    if s.starts_with("content/events/") {
        "ignored: events files end in .yaml or .yml".to_string()
    } else if s.starts_with("content/articles/") || s.starts_with("content/pages/") {
        "ignored: articles and pages end in .md".to_string()
    } else {
        "ignored: not a content file (expected content/events/, content/articles/, content/pages/, or actors.yaml, places.yaml, eras.yaml)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("content/events/2025.yaml"), Some(FileKind::Events));
        assert_eq!(c("content/events/a/b/c.yml"), Some(FileKind::Events));
        assert_eq!(c("content/articles/x.md"), Some(FileKind::Article));
        assert_eq!(c("content/pages/about.md"), Some(FileKind::Page));
        assert_eq!(c("content/actors.yaml"), Some(FileKind::Actors));
        assert_eq!(c("content/places.yml"), Some(FileKind::Places));
        assert_eq!(c("content/eras.yaml"), Some(FileKind::Eras));
        assert_eq!(c("content/events/readme.txt"), None);
        assert_eq!(c("content/other.yaml"), None);
    }

    #[test]
    fn ignores_editor_files() {
        for name in [".x.swp", "a.yaml~", "4913", "#a.yaml#", ".hidden"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("2025.yaml"));
    }
}
