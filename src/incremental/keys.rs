//! The digests that tell a cached build what it may keep: of the setup
//! (what makes every kept thing stale) and of the chronology's structure
//! (what `serve` keeps the structure by, [`structure`](super::structure),
//! persisted as one number).

use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::assets::Statics;
use crate::chronology::Chronology;
use crate::content::{self, Article, Event, FileKind, Source, Status};
use crate::digest::{hash_of, hasher};
use crate::error::Diagnostics;
use crate::fields::Located;
use crate::site::Options;

/// The digest of what makes every cached key stale: `site.yaml` as
/// written, the options of the build, the templates (`theme`, their
/// digest) and the version of annals.
pub fn setup(opts: &Options, theme: u64) -> u64 {
    let config = std::fs::read(opts.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    hash_of(&(
        config,
        &opts.base_url,
        opts.drafts,
        theme,
        env!("CARGO_PKG_VERSION"),
    ))
}

/// The digest of everything a page may read besides the entries' own
/// content (which the render memo follows entry by entry): every event's
/// and article's structural fields, in file order (the fields
/// `structure.rs` compares), the ids that had errors, every other content
/// file as written (registries, eras, free pages, articles' translations)
/// and the static files with the images published among them.
pub fn structure(root: &Path, chron: &Chronology, statics: &Statics) -> u64 {
    let events: Vec<u64> = chron.events.par_iter().map(|e| event_key(e)).collect();
    let articles: Vec<u64> = chron.articles.par_iter().map(|a| article_key(a)).collect();
    let statics: Vec<u64> = statics
        .files
        .par_iter()
        .map(|(path, bytes)| hash_of(&(path, bytes)))
        .collect();
    let mut h = hasher();
    (events, articles, statics).hash(&mut h);
    others(root).hash(&mut h);
    h.finish()
}

/// The digests of the content files that hold no event and are no
/// article's own file, by path.
fn others(root: &Path) -> Vec<(String, u64)> {
    let files = content::discover(root, &mut Diagnostics::new());
    files
        .par_iter()
        .filter(|(rel, kind, _)| match kind {
            FileKind::Events => false,
            FileKind::Article => content::siblings::split_name(rel).1.is_some(),
            _ => true,
        })
        .map(|(rel, _, _)| {
            let bytes = std::fs::read(root.join(rel)).unwrap_or_default();
            (rel.to_string_lossy().to_string(), hash_of(&bytes))
        })
        .collect()
}

/// An event's id, dates, whether it is a draft, track, terms, related
/// events and cited articles.
fn event_key(e: &Event) -> u64 {
    let mut h = hasher();
    e.id.value.hash(&mut h);
    e.dates.hash(&mut h);
    (e.status == Status::Draft).hash(&mut h);
    e.track.hash(&mut h);
    for list in [&e.tags, &e.actors, &e.places, &e.related] {
        values(list, &mut h);
    }
    for s in &e.sources {
        if let Source::Article(slug) = s {
            slug.value.hash(&mut h);
        }
    }
    h.finish()
}

/// An article's slug, dates, whether it is a draft, terms and the events
/// it covers.
fn article_key(a: &Article) -> u64 {
    let mut h = hasher();
    a.slug.value.hash(&mut h);
    a.dates.hash(&mut h);
    a.draft.hash(&mut h);
    for list in [&a.tags, &a.actors, &a.places, &a.events] {
        values(list, &mut h);
    }
    h.finish()
}

fn values(list: &[Located<String>], h: &mut impl Hasher) {
    list.len().hash(h);
    for v in list {
        v.value.hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// A small site in a temporary folder.
    struct Site(crate::testing::TempDir);

    const EVENTS: &str = "content/events/e.yaml";
    const TWO: &str = "- id: a\n  date: 2022-03-01\n  title: A\n  tags: [Drones]\n- id: b\n  date: 2022-02-01\n  title: B\n";

    impl Site {
        fn new(name: &str) -> Site {
            Site(crate::testing::small_site(
                "keys",
                name,
                &[
                    ("content/actors.yaml", "- id: k\n  name: K\n"),
                    (EVENTS, TWO),
                ],
            ))
        }

        fn write(&self, rel: &str, text: &str) {
            std::fs::write(self.0.join(rel), text).unwrap();
        }

        fn key(&self) -> u64 {
            let config = Config::load(&self.0).unwrap();
            let mut diags = Diagnostics::new();
            let content = content::load(&self.0, &config, content::Texts::Held, &mut diags);
            let chron = crate::chronology::build(config, content, false, &mut diags);
            let statics = crate::assets::load(&self.0, &mut diags);
            assert!(diags.is_empty(), "{:?}", diags.sorted());
            structure(&self.0, &chron, &statics)
        }
    }

    #[test]
    fn text_keeps_the_structure_and_what_orders_links_or_indexes_does_not() {
        let site = Site::new("edits");
        let first = site.key();
        site.write(
            EVENTS,
            &TWO.replace("title: A", "title: A, retitled\n  summary: S."),
        );
        assert_eq!(site.key(), first, "a title and a summary are no structure");
        let edits = [
            (EVENTS, TWO.replace("2022-03-01", "2022-01-01")),
            (EVENTS, TWO.replace("[Drones]", "[Drones, Shelling]")),
            (
                EVENTS,
                TWO.replace("title: B\n", "title: B\n  track: military\n"),
            ),
            (
                EVENTS,
                TWO.replace("title: B\n", "title: B\n  actors: [k]\n"),
            ),
            (
                EVENTS,
                TWO.replace("title: B\n", "title: B\n  related: [a]\n"),
            ),
            (
                EVENTS,
                TWO.replace("title: B\n", "title: B\n  status: draft\n"),
            ),
            ("content/actors.yaml", "- id: k\n  name: K2\n".to_string()),
        ];
        for (rel, text) in edits {
            site.write(EVENTS, TWO);
            site.write("content/actors.yaml", "- id: k\n  name: K\n");
            assert_eq!(site.key(), first);
            site.write(rel, &text);
            assert_ne!(site.key(), first, "{rel}: {text}");
        }
    }
}
