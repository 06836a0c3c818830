//! The render of a rebuild: the plain render's steps, with what the last
//! good render made kept where its inputs are the same.
//!
//! What a page depends on is found, not listed: every page's data is built
//! as a clean build builds it, and its key is a digest of everything its
//! template receives (its data, `page`, `root`, and `site` with the asset
//! names in it) and of every template's text. A page whose key is the one
//! the last render recorded for its path comes out byte for byte the same,
//! so the sink keeps the bytes it has; the others are rendered. A card's
//! HTML is likewise kept by a digest of the card, the site and the theme.

use foldhash::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::assets::Statics;
use crate::chronology::Chronology;
use crate::digest::{hash_of, hasher};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::render::card_html::{CardHtml, CardSlots};
use crate::render::job::PageJob;
use crate::render::pages::Pages;
use crate::render::theme::Theme;
use crate::render::views::Cards;
use crate::render::{self, Page, Rendered, data, search};

/// What the last good render made, by the digests of its inputs. Every key
/// is a 64-bit digest of values (never of addresses), so that a cache on
/// disk can keep them beside the version of annals that made them.
#[derive(Default)]
pub struct Memo {
    /// Output path of each page → the digest of its template's inputs.
    pages: HashMap<Arc<str>, u64>,
    /// Digest of a card, the site and the theme → the HTML made of it.
    cards: HashMap<u64, Arc<CardSlots>>,
}

impl Memo {
    /// How many pages it knows.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// True when it knows no page.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Renders as [`render::render`] does into `sink`, which holds the output
/// of the render `last` was made by: pages whose inputs did not change are
/// kept there. Returns what was rendered and the memo of this render.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    last: &Memo,
) -> Option<(Rendered, Memo)> {
    let site = render::site_value(chron, theme, statics);
    let world = hash_of(&(theme.digest(), value_digest(&site)));
    let cards = Cards::new(chron);
    let card_keys: Vec<u64> = (0..cards.len())
        .into_par_iter()
        .map(|pos| hash_of(&(world, cards.card(pos))))
        .collect();
    let slots: Vec<Arc<CardSlots>> = card_keys
        .iter()
        .map(|key| last.cards.get(key).cloned().unwrap_or_default())
        .collect();
    let html = CardHtml::with_slots(theme, &site, &cards, slots.clone());
    let pages = Pages::new(chron, &cards, &html);
    let jobs = pages.all();
    let made: Vec<(Result<Page, Diagnostic>, Option<PageKey>)> = jobs
        .par_iter()
        .map(|job| page(chron, theme, &site, world, sink, job, last))
        .collect();
    let html_paths = render::html_paths(&jobs);
    drop(jobs);
    drop(pages);
    drop(html);
    let data = render::data_files(
        chron,
        &cards,
        &html_paths,
        || data::timeline_json(chron),
        || search::index_js(chron, &cards),
    );
    let mut memo = Memo {
        pages: HashMap::default(),
        cards: card_keys.into_iter().zip(slots).collect(),
    };
    let made = made
        .into_iter()
        .map(|(page, key)| {
            if let Some((path, key)) = key {
                memo.pages.insert(path, key);
            }
            page
        })
        .collect();
    let rendered = render::finish(made, data, statics, diags, sink)?;
    Some((rendered, memo))
}

/// A page's output path and the digest of its template's inputs.
type PageKey = (Arc<str>, u64);

/// One page: its data built, its key found from it, and the page kept or
/// rendered.
fn page(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    world: u64,
    sink: &dyn Sink,
    job: &PageJob<'_>,
    last: &Memo,
) -> (Result<Page, Diagnostic>, Option<PageKey>) {
    let started = Instant::now();
    let data = match job.data() {
        Ok(d) => d,
        Err(e) => return (Err(e), None),
    };
    let context = render::page_context(chron, site, job, &data.data);
    let mut h = hasher();
    world.hash(&mut h);
    job.template.hash(&mut h);
    hash_context(&context, &data.data, &mut h);
    let key = h.finish();
    let path = render::file_of(&job.path);
    let memo = (Arc::from(path.as_str()), key);
    if last.pages.get(path.as_str()) == Some(&key) {
        let kept = sink.keep(&path).map(|()| Page {
            path,
            template: job.template,
            links: data.links,
            cost: None,
        });
        return (kept, Some(memo));
    }
    let made = render::render_built(chron, theme, site, sink, job, data, started.elapsed());
    (made, Some(memo))
}

/// Adds what a page's template receives besides `site` (in the world
/// digest): `root` and `page`, read back from the context, and its data.
fn hash_context(
    context: &tera::Context,
    data: &[(&'static str, tera::Value)],
    h: &mut impl Hasher,
) {
    for key in ["root", "page"] {
        key.hash(h);
        match context.get(key) {
            Some(v) => hash_value(v, h),
            None => 0u8.hash(h),
        }
    }
    data.len().hash(h);
    for (key, value) in data {
        key.hash(h);
        hash_value(value, h);
    }
}

/// The digest of one template value.
pub fn value_digest(value: &tera::Value) -> u64 {
    let mut h = hasher();
    hash_value(value, &mut h);
    h.finish()
}

/// Feeds a template value to `h`: its kind, then its content. A map's
/// entries are taken in any order (their digests are summed), since Tera's
/// maps keep none.
fn hash_value(value: &tera::Value, h: &mut impl Hasher) {
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(h);
    if let Some(map) = value.as_map() {
        let mut sum = 0u64;
        for (k, v) in map {
            let mut eh = hasher();
            k.hash(&mut eh);
            hash_value(v, &mut eh);
            sum = sum.wrapping_add(eh.finish());
        }
        map.len().hash(h);
        sum.hash(h);
    } else if let Some(items) = value.as_array() {
        items.len().hash(h);
        for item in items {
            hash_value(item, h);
        }
    } else if let Some(s) = value.as_str() {
        value.is_safe().hash(h);
        s.hash(h);
    } else if let Some(b) = value.as_bool() {
        b.hash(h);
    } else if let Some(n) = value.as_i128() {
        n.hash(h);
    } else if let Some(n) = value.as_u128() {
        n.hash(h);
    } else if let Some(f) = value.as_f64() {
        f.to_bits().hash(h);
    } else if let Some(b) = value.as_bytes() {
        b.hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hash_by_content_and_maps_in_any_order() {
        let a = tera::Value::from_serializable(&serde_json::json!({"a": 1, "b": [true, "x"]}));
        let b = tera::Value::from_serializable(&serde_json::json!({"b": [true, "x"], "a": 1}));
        let c = tera::Value::from_serializable(&serde_json::json!({"a": 1, "b": [true, "y"]}));
        let d = tera::Value::from_serializable(&serde_json::json!({"a": 1.0, "b": [true, "x"]}));
        assert_eq!(value_digest(&a), value_digest(&b));
        assert_ne!(value_digest(&a), value_digest(&c));
        assert_ne!(value_digest(&a), value_digest(&d));
        let safe = tera::Value::safe_string("<b>");
        let plain = tera::Value::from("<b>");
        assert_ne!(value_digest(&safe), value_digest(&plain));
    }
}
