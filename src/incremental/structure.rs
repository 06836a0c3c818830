//! The chronology's structure kept between rebuilds: what it derives from
//! the ids, dates, status, terms and references of its entries (their order,
//! links, eras, taxonomies and archives). An edit that changes none of those
//! inputs (a title, a summary, an external source) takes it as it was
//! instead of checking, ordering, linking and indexing every entry again.

use foldhash::HashSet;
use std::sync::Arc;

use crate::chronology::{self, Chronology, Derived};
use crate::config::Config;
use crate::content::{Article, Content, Event, Source, Status};
use crate::error::Diagnostics;
use crate::fields::Located;

/// The structure of a chronology whose checks found nothing, with what it
/// was derived from.
pub struct Structure {
    config: Config,
    drafts: bool,
    events: Vec<Arc<Event>>,
    articles: Vec<Arc<Article>>,
    broken_ids: HashSet<String>,
    derived: Derived,
}

impl Structure {
    /// Whether `content` gives the same structure: the same configuration,
    /// no file but events and articles changed, and every event and article
    /// the same one or one whose structural fields are equal.
    fn fits(&self, config: &Config, content: &Content, drafts: bool, settled: bool) -> bool {
        settled
            && self.drafts == drafts
            && self.config == *config
            && self.broken_ids == content.broken_ids
            && all_alike(&self.events, &content.events, same_event_structure)
            && all_alike(&self.articles, &content.articles, same_article_structure)
    }
}

/// The chronology of `content`, as [`chronology::build`] makes it, taking
/// the structure `kept` by the previous rebuild when it fits; `settled`
/// says that only events and articles may differ from the previous load.
/// Only a structure whose checks found nothing is kept for the next: the
/// problems of another would be reported where the previous build found
/// them.
pub fn build(
    config: Config,
    content: Content,
    drafts: bool,
    settled: bool,
    kept: &mut Option<Structure>,
    diags: &mut Diagnostics,
) -> Chronology {
    let reused = kept
        .as_ref()
        .filter(|s| s.fits(&config, &content, drafts, settled))
        .map(|s| s.derived.clone());
    let broken_ids = content.broken_ids.clone();
    let kept_config = config.clone();
    let mut found = Diagnostics::new();
    let chron = match reused {
        Some(derived) => chronology::assemble(config, content, drafts, derived),
        None => chronology::build(config, content, drafts, &mut found),
    };
    *kept = found.is_empty().then(|| Structure {
        config: kept_config,
        drafts,
        events: chron.events.clone(),
        articles: chron.articles.clone(),
        broken_ids,
        derived: chron.derived(),
    });
    diags.extend(found);
    chron
}

fn all_alike<T>(old: &[Arc<T>], new: &[Arc<T>], alike: fn(&T, &T) -> bool) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| Arc::ptr_eq(a, b) || alike(a, b))
}

/// Equal in everything the chronology derives from an event: id, dates,
/// whether it is a draft, track, terms, related events and cited articles.
fn same_event_structure(a: &Event, b: &Event) -> bool {
    a.id.value == b.id.value
        && a.dates == b.dates
        && (a.status == Status::Draft) == (b.status == Status::Draft)
        && a.track == b.track
        && same_values(&a.tags, &b.tags)
        && same_values(&a.actors, &b.actors)
        && same_values(&a.places, &b.places)
        && same_values(&a.related, &b.related)
        && cited_articles(a).eq(cited_articles(b))
}

fn cited_articles(e: &Event) -> impl Iterator<Item = &str> {
    e.sources.iter().filter_map(|s| match s {
        Source::Article(slug) => Some(slug.value.as_str()),
        Source::External(_) => None,
    })
}

/// Equal in everything the chronology derives from an article: slug,
/// dates, whether it is a draft, terms and the events it covers.
fn same_article_structure(a: &Article, b: &Article) -> bool {
    a.slug.value == b.slug.value
        && a.dates == b.dates
        && a.draft == b.draft
        && same_values(&a.tags, &b.tags)
        && same_values(&a.actors, &b.actors)
        && same_values(&a.places, &b.places)
        && same_values(&a.events, &b.events)
}

fn same_values(a: &[Located<String>], b: &[Located<String>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
}

#[cfg(test)]
mod tests {
    use super::super::content::ContentCache;
    use super::*;
    use std::path::Path;

    /// A site in a temporary folder, loaded as `serve` loads it: through a
    /// content cache, keeping the chronology's structure between builds.
    struct Session {
        root: crate::testing::TempDir,
        cache: ContentCache,
        kept: Option<Structure>,
    }

    const EVENTS: &str = "content/events/e.yaml";

    impl Session {
        fn new(name: &str, events: &str) -> Session {
            let root = crate::testing::small_site(
                "structure",
                name,
                &[
                    (
                        "content/actors.yaml",
                        "- id: kyiv-city\n  name: Kyiv City\n",
                    ),
                    (EVENTS, events),
                ],
            );
            Session {
                root,
                cache: ContentCache::default(),
                kept: None,
            }
        }

        /// Writes `rel` and tells the cache, as the watcher does.
        fn edit(&mut self, rel: &str, text: &str) {
            std::fs::write(self.root.join(rel), text).unwrap();
            self.cache.invalidate(Path::new(rel), true);
        }

        fn build(&mut self) -> (Chronology, Vec<String>) {
            let config = Config::load(&self.root).unwrap();
            let mut diags = Diagnostics::new();
            let (content, settled) =
                super::super::content::load(&self.root, &config, &mut self.cache, &mut diags);
            let chron = build(config, content, false, settled, &mut self.kept, &mut diags);
            let messages = diags.sorted().iter().map(|d| d.to_string()).collect();
            (chron, messages)
        }
    }

    const TWO: &str = "- id: a\n  date: 2022-03-01\n  title: A\n  tags: [Drones]\n  actors: [kyiv-city]\n  related: [b]\n- id: b\n  date: 2022-02-01\n  title: B\n";

    fn tag_slugs(c: &Chronology) -> Vec<&str> {
        c.tags.terms.iter().map(|t| t.slug.as_str()).collect()
    }

    #[test]
    fn an_edit_to_text_alone_keeps_the_structure() {
        let mut s = Session::new("text", TWO);
        let (first, messages) = s.build();
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(first.id(0), "b");
        s.edit(
            EVENTS,
            &TWO.replace("title: A", "title: A, retitled\n  summary: New text."),
        );
        let (second, _) = s.build();
        assert!(Arc::ptr_eq(&first.links, &second.links));
        assert!(Arc::ptr_eq(&first.tags, &second.tags));
        assert_eq!(second.title(1), "A, retitled");
    }

    #[test]
    fn an_edit_to_what_orders_links_or_indexes_derives_it_again() {
        let edits = [
            ("date", TWO.replace("2022-03-01", "2022-01-01")),
            ("tag", TWO.replace("[Drones]", "[Drones, Shelling]")),
            ("related", TWO.replace("  related: [b]\n", "")),
            ("actor", TWO.replace("  actors: [kyiv-city]\n", "")),
            ("id", TWO.replace("id: b", "id: c").replace("[b]", "[c]")),
            (
                "draft",
                TWO.replace("title: B\n", "title: B\n  status: draft\n"),
            ),
        ];
        for (name, text) in edits {
            let mut s = Session::new(name, TWO);
            let (first, _) = s.build();
            s.edit(EVENTS, &text);
            let (second, messages) = s.build();
            assert!(messages.is_empty(), "{name}: {messages:?}");
            assert!(!Arc::ptr_eq(&first.tags, &second.tags), "{name}");
            // The same as a build with nothing kept.
            let mut fresh = Session::new(&format!("{name}-fresh"), &text);
            let (clean, _) = fresh.build();
            assert_eq!(second.entries, clean.entries, "{name}");
            assert_eq!(second.links, clean.links, "{name}");
            assert_eq!(second.related, clean.related, "{name}");
            assert_eq!(tag_slugs(&second), tag_slugs(&clean), "{name}");
            assert_eq!(
                second.actors.terms.len(),
                clean.actors.terms.len(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_registry_edit_or_a_problem_derives_it_again() {
        let mut s = Session::new("registry", TWO);
        let (first, _) = s.build();
        s.edit(
            "content/actors.yaml",
            "- id: kyiv-city\n  name: City of Kyiv\n",
        );
        let (second, _) = s.build();
        assert!(!Arc::ptr_eq(&first.actors, &second.actors));
        assert_eq!(second.actors.terms[0].name, "City of Kyiv");

        // A structure whose checks found a problem is not kept: the next
        // build reports it again, where it now is.
        let broken = TWO.replace("related: [b]", "related: [nowhere]");
        s.edit(EVENTS, &broken);
        let (_, messages) = s.build();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains(":6:"), "{messages:?}");
        s.edit(EVENTS, &format!("# moved down\n{broken}"));
        let (_, messages) = s.build();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains(":7:"), "{messages:?}");
    }
}
