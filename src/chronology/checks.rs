//! The checks of a site's references: ids and slugs used once, and every
//! reference (related events, cited articles, covered events, registry ids)
//! leading somewhere, with a suggestion for a near miss.

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use crate::content::{Content, Registry, Source};
use crate::error::{Diagnostics, cut};
use crate::fields::Located;
use crate::suggest::did_you_mean;

/// Two entries with one id, or two articles with one slug, are errors naming both files.
pub(super) fn check_unique_ids(content: &Content, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, (&'static str, &Located<String>)> = HashMap::new();
    let all = content
        .events
        .iter()
        .map(|e| ("event id", &e.id))
        .chain(content.articles.iter().map(|a| ("article slug", &a.slug)));
    for (what, id) in all {
        match seen.get(id.value.as_str()) {
            None => {
                seen.insert(&id.value, (what, id));
            }
            Some((first_what, first)) => {
                let message = if *first_what == what {
                    format!(
                        "duplicate {what} \"{}\": also defined at {}",
                        cut(&id.value),
                        first.origin.span()
                    )
                } else {
                    format!(
                        "{what} \"{}\" is already used as an {first_what} at {}: event ids and article slugs share one namespace",
                        cut(&id.value),
                        first.origin.span()
                    )
                };
                diags.error(id.origin.span(), message);
            }
        }
    }
    let mut pages: HashMap<&str, &Located<String>> = HashMap::new();
    for page in &content.pages {
        if let Some(first) = pages.insert(&page.slug.value, &page.slug) {
            diags.error(
                page.slug.origin.span(),
                format!(
                    "duplicate page slug \"{}\": also used at {}",
                    cut(&page.slug.value),
                    first.origin.span()
                ),
            );
        }
    }
}

/// Every reference to an event, article, actor or place must resolve.
pub(super) fn check_references(content: &Content, diags: &mut Diagnostics) {
    let event_ids: HashMap<&str, ()> = content
        .events
        .iter()
        .map(|e| (e.id.value.as_str(), ()))
        .collect();
    let article_ids: HashMap<&str, ()> = content
        .articles
        .iter()
        .map(|a| (a.slug.value.as_str(), ()))
        .collect();
    let check = |diags: &mut Diagnostics, r: &Located<String>, wanted: &str| {
        let (ids, other, other_name) = if wanted == "event" {
            (&event_ids, &article_ids, "an article")
        } else {
            (&article_ids, &event_ids, "an event")
        };
        if ids.contains_key(r.value.as_str()) || content.broken_ids.contains(&r.value) {
            return;
        }
        let message = if other.contains_key(r.value.as_str()) {
            format!(
                "\"{}\" is {other_name}, not {}",
                cut(&r.value),
                a_an(wanted)
            )
        } else {
            let hint = did_you_mean(&r.value, ids.keys().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            format!("unknown {wanted} \"{}\"{hint}", cut(&r.value))
        };
        diags.error(r.origin.span(), message);
    };
    let check_entities = |diags: &mut Diagnostics,
                          refs: &[Located<String>],
                          registry: Option<&Registry>,
                          noun: &str,
                          file: &str| {
        let Some(registry) = registry.filter(|r| !r.failed) else {
            return;
        };
        for r in refs {
            if registry.get(&r.value).is_none() && !registry.broken_ids.contains(&r.value) {
                let hint = did_you_mean(&r.value, registry.ids())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_else(|| format!("; add it to content/{file}"));
                diags.error(
                    r.origin.span(),
                    format!("unknown {noun} \"{}\"{hint}", cut(&r.value)),
                );
            }
        }
    };
    let actors = content.actors.as_ref();
    let places = content.places.as_ref();
    // Entry by entry in parallel; the problems are reported in file order.
    let (of_events, of_articles) = rayon::join(
        || {
            // Entries that failed to be placed still have their references checked.
            let events: Vec<_> = content
                .events
                .iter()
                .chain(&content.unplaced_events)
                .collect();
            each_checked(&events, |event, diags| {
                for source in &event.sources {
                    if let Source::Article(slug) = source {
                        check(diags, slug, "article");
                    }
                }
                for r in &event.related {
                    check(diags, r, "event");
                    if r.value == event.id.value {
                        diags.warning(r.origin.span(), "an event is not related to itself");
                    }
                }
                check_entities(diags, &event.actors, actors, "actor", "actors.yaml");
                check_entities(diags, &event.places, places, "place", "places.yaml");
            })
        },
        || {
            let articles: Vec<_> = content
                .articles
                .iter()
                .chain(&content.unplaced_articles)
                .collect();
            each_checked(&articles, |article, diags| {
                for r in &article.events {
                    check(diags, r, "event");
                }
                check_entities(diags, &article.actors, actors, "actor", "actors.yaml");
                check_entities(diags, &article.places, places, "place", "places.yaml");
            })
        },
    );
    for d in of_events.into_iter().chain(of_articles) {
        diags.extend(d);
    }
}

/// The problems `check` finds in each item, checked in parallel, in the
/// items' order.
fn each_checked<T: Sync>(
    items: &[T],
    check: impl Fn(&T, &mut Diagnostics) + Sync,
) -> Vec<Diagnostics> {
    items
        .par_iter()
        .map(|item| {
            let mut diags = Diagnostics::new();
            check(item, &mut diags);
            diags
        })
        .collect()
}

fn a_an(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}
