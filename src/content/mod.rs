//! Loading a site's content: every file under `content/`, parsed in
//! parallel, every problem collected.

pub mod article;
pub mod event;
pub mod page;
pub mod registry;

use foldhash::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostics, Span};
use crate::source::{SourceFile, YamlSource};

pub use article::Article;
pub use event::{Event, ExternalSource, Point, Source, Status};
pub use page::Page;
pub use registry::{Entity, Era, Kind, Registry};

/// Everything a site's `content/` holds, parsed but not yet cross-checked.
#[derive(Debug, Default)]
pub struct Content {
    /// Curated events, in file order (shared with the parsed-file cache).
    pub events: Vec<Arc<Event>>,
    /// Articles, in file order (shared with the parsed-file cache).
    pub articles: Vec<Arc<Article>>,
    /// Free pages.
    pub pages: Vec<Page>,
    /// `actors.yaml`, when the site has one.
    pub actors: Option<Registry>,
    /// `places.yaml`, when the site has one.
    pub places: Option<Registry>,
    /// `eras.yaml`, in file order.
    pub eras: Vec<Era>,
    /// Ids and slugs of events and articles that had errors: already
    /// reported, so references to them are not reported again.
    pub broken_ids: HashSet<String>,
    /// How many draft events and articles each file holds (for `check`).
    pub drafts_per_file: Vec<(PathBuf, usize)>,
    /// True when the files were those of the previous load of a session and
    /// every one but the events and articles (pages, registries, eras) came
    /// from its cache unchanged: only events and articles can differ from
    /// what that load gave.
    pub only_entries_may_differ: bool,
}

/// What a content file is, by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Events,
    Article,
    Page,
    Actors,
    Places,
    Eras,
}

/// One parsed file.
#[derive(Clone)]
enum Parsed {
    Events(event::EventsFile),
    Article(Result<Arc<Article>, Option<String>>),
    Page(Box<Page>),
    Registry(Kind, Registry),
    Eras(Vec<Era>),
    Nothing,
}

/// Parsed files kept between builds (by `serve`): a file is parsed again
/// only when it was reported changed, or, after the folder was walked again,
/// when its size or modification time moved.
#[derive(Default)]
pub struct ContentCache {
    files: HashMap<PathBuf, Arc<CachedFile>>,
    timezone: Option<chrono_tz::Tz>,
    keep: bool,
    /// The content files the last walk found, and what it reported, while
    /// no file has been told to have been added or removed since. While it
    /// holds, the caller reports every change (a watcher does): a cached
    /// file it did not name is taken as it is, without asking the file
    /// system, unless it is a link (its target may be outside what is
    /// watched).
    listing: Option<(Vec<Listed>, Diagnostics)>,
}

/// A content file found by the walk: its path, its kind, whether it is a link.
type Listed = (PathBuf, FileKind, bool);

struct CachedFile {
    stamp: Option<(SystemTime, u64)>,
    parsed: Parsed,
    diags: Diagnostics,
}

impl ContentCache {
    /// An empty cache that keeps what it parses.
    pub fn new() -> ContentCache {
        ContentCache {
            keep: true,
            ..ContentCache::default()
        }
    }

    /// Forgets one file, which changed; `is_file` tells whether it is a
    /// file now. A file that is not one of those found last time, or no
    /// longer is one, makes the next load look for files again.
    pub fn invalidate(&mut self, rel: &Path, is_file: bool) {
        self.files.remove(rel);
        let known = self
            .listing
            .as_ref()
            .is_some_and(|(files, _)| files.iter().any(|(f, _, _)| f == rel));
        if !(known && is_file) {
            self.listing = None;
        }
    }

    /// Makes the next load look for files again (files may have been added
    /// or removed without being told).
    pub fn rescan(&mut self) {
        self.listing = None;
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.files.clear();
        self.listing = None;
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Reads every content file under `root/content`. Problems go to `diags`;
/// what could be read is returned either way.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Content {
    // A cache that keeps nothing: parsed values move straight into the content.
    load_cached(root, config, &mut ContentCache::default(), diags)
}

/// Like [`load`], reusing what `cache` holds for files that did not change.
pub fn load_cached(
    root: &Path,
    config: &Config,
    cache: &mut ContentCache,
    diags: &mut Diagnostics,
) -> Content {
    if cache.timezone != Some(config.timezone) {
        cache.clear();
        cache.timezone = Some(config.timezone);
    }
    let (files, told) = match &cache.listing {
        Some((files, found)) => {
            diags.extend(found.clone());
            (files.clone(), true)
        }
        None => {
            let mut found = Diagnostics::new();
            let files = discover(root, &mut found);
            if cache.keep {
                cache.listing = Some((files.clone(), found.clone()));
            }
            diags.extend(found);
            (files, false)
        }
    };
    // Each file with whether it leaves the content other than events and
    // articles as the previous load gave it (taken from the cache, or an
    // events or article file).
    let fresh: Vec<(PathBuf, Arc<CachedFile>, bool)> = files
        .par_iter()
        .map(|(rel, kind, linked)| {
            let hit = cache.files.get(rel).filter(|hit| hit.stamp.is_some());
            let entries = matches!(kind, FileKind::Events | FileKind::Article);
            if let Some(hit) = hit
                && told
                && !linked
            {
                return (rel.clone(), Arc::clone(hit), true);
            }
            let now = if cache.keep {
                stamp(&root.join(rel))
            } else {
                None
            };
            if let Some(hit) = hit
                && hit.stamp == now
            {
                return (rel.clone(), Arc::clone(hit), true);
            }
            let mut d = Diagnostics::new();
            let parsed = parse_file(root, rel, *kind, config, &mut d);
            let file = CachedFile {
                stamp: now,
                parsed,
                diags: d,
            };
            (rel.clone(), Arc::new(file), entries)
        })
        .collect();
    let only_entries_may_differ = told && fresh.iter().all(|(_, _, settled)| *settled);
    if cache.keep {
        cache.files = fresh
            .iter()
            .map(|(rel, f, _)| (rel.clone(), Arc::clone(f)))
            .collect();
    }
    // Files still cached are taken out of the cache by copy; their events
    // and articles are shared, not copied.
    let parsed: Vec<(PathBuf, Parsed, Diagnostics)> = fresh
        .into_par_iter()
        .map(|(rel, f, _)| match Arc::try_unwrap(f) {
            Ok(f) => (rel, f.parsed, f.diags),
            Err(shared) => (rel, shared.parsed.clone(), shared.diags.clone()),
        })
        .collect();

    let mut content = Content {
        only_entries_may_differ,
        ..Content::default()
    };
    let events: usize = parsed
        .iter()
        .map(|(_, p, _)| match p {
            Parsed::Events(file) => file.events.len(),
            _ => 0,
        })
        .sum();
    content.events.reserve(events);
    for (rel, parsed, d) in parsed {
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
                drafts
            }
            Parsed::Article(Ok(a)) => {
                let draft = usize::from(a.draft);
                content.articles.push(a);
                draft
            }
            Parsed::Article(Err(slug)) => {
                content.broken_ids.extend(slug);
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
    content
}

fn parse_file(
    root: &Path,
    rel: &Path,
    kind: FileKind,
    config: &Config,
    d: &mut Diagnostics,
) -> Parsed {
    let file = match SourceFile::read(root, rel) {
        Ok(f) => f,
        Err(e) => {
            d.push(e);
            return Parsed::Nothing;
        }
    };
    let tz = config.date_style();
    match kind {
        FileKind::Events => {
            Parsed::Events(event::parse_events_file(&YamlSource::whole(&file), tz, d))
        }
        FileKind::Article => Parsed::Article(article::parse_article(&file, tz, d).map(Arc::new)),
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

pub use crate::source::is_ignored_name;

/// Lists the content files to read, sorted by path, each with its kind.
/// Links are followed only when they stay inside the site root.
fn discover(root: &Path, diags: &mut Diagnostics) -> Vec<Listed> {
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
