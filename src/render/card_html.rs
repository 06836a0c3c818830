//! Entry cards' HTML for the lists that show them.
//!
//! While `partials/entry_card.html` is the built-in one, a card is written
//! by [`super::card_writer`] where a page lists it, and nothing is kept.
//! A site's own partial is rendered through Tera, once per card, as follows.
//! An entry is listed on some ten pages (the timeline, its archives, its
//! tags, actors, places and track, the pages of related events). Its card
//! (`partials/entry_card.html`) depends only on the card itself, the
//! heading level, `root` and `site`, so it is rendered once per heading level
//! with a marker in place of `root`, and each page gets a copy with its own
//! way back to the site root put in the marker's place. One copy is kept per
//! card and heading level: the one for `../../` (most pages that list
//! cards), with where the root was put; pages there share it, others get a
//! copy with their root in those places. Lists receive items
//! `{entry, html}` and print `{{ item.html }}` (a string already marked
//! safe: the `safe` filter would copy it).
//!
//! The card is rendered with two different markers; only when putting the
//! second marker in place of the first gives the second rendering exactly
//! (`root` printed as is, and no card text that looks like a marker) is the
//! splice used. Otherwise that card is rendered for each page.

use std::sync::{Arc, OnceLock};

// The theme's own template that renders both map partials at once (and
// what it puts between them) lives with the theme, which compiles it.
use super::card_writer::{CardDot, CardWriter};
use super::theme::{MAP_PART_BREAK, MAP_PARTS_TEMPLATE, Theme};
use super::views::Cards;
use crate::chunked::Chunked;
use crate::error::Diagnostic;
use crate::map::page::Mark;
use crate::map::{CARD_H, CARD_W, Frame};

/// The template that renders one card.
pub const CARD_TEMPLATE: &str = "partials/entry_card.html";

/// Stand-ins for `root` while a card is rendered for every page.
const MARKER: &str = "\u{1}annals-root\u{1}";
const CHECK: &str = "\u{1}annals-check\u{1}";

/// What is made of one card, on demand: per heading level, the card with
/// the marker (or none when it cannot be spliced), and the list items for
/// the shared roots. Slots may be handed from one render to the next while
/// the card, the theme and the site stay the same.
#[derive(Default)]
pub struct CardSlots {
    splices: [OnceLock<Made>; 2],
    items: [OnceLock<tera::Value>; ITEM_SLOTS],
    /// The card's HTML for the shared roots (kept only when slots are
    /// handed on: the map page and related cards ask for it).
    cards: [OnceLock<tera::Value>; ITEM_SLOTS],
    /// The entry's mark and list item on the map page, with the digest of
    /// the map's frame they were drawn in (kept only when slots are
    /// handed on).
    map: OnceLock<(u64, MapParts)>,
}

/// An entry's mark on the map page's drawing and its item in the page's
/// list (`partials/map_mark.html`, `partials/map_item.html`).
pub type MapParts = (Arc<str>, Arc<str>);

/// The partials of the map page's marks and list items.
pub const MAP_MARK_TEMPLATE: &str = "partials/map_mark.html";
/// See [`MAP_MARK_TEMPLATE`].
pub const MAP_ITEM_TEMPLATE: &str = "partials/map_item.html";
/// `map/`'s way back to the site root (it is one folder deep): the parts
/// a rebuild keeps per entry are those of that page.
pub const MAP_ROOT: &str = "../";

/// The writer of the map page's parts when both partials are built in.
fn map_writer<'a>(theme: &'a Theme, site: &tera::Value) -> Option<super::map_html::MapWriter<'a>> {
    (theme.is_builtin(MAP_MARK_TEMPLATE) && theme.is_builtin(MAP_ITEM_TEMPLATE))
        .then(|| super::map_html::MapWriter::new(theme.translations(), site))
}

/// A card rendered with the marker, when the marker can be replaced by any root.
pub type Splice = Option<Arc<str>>;

/// The root a card's HTML is kept for: the one of most pages that list it
/// (term pages, year archives, entry pages).
const KEPT_ROOT: &str = SHARED_ROOTS[0];

/// A card's HTML at one heading level, made once.
enum Made {
    /// The card for [`KEPT_ROOT`] (shared by every page with that root,
    /// not copied), with the places where that root was put: a page with
    /// another root gets a copy with its own root there. One copy of the
    /// card is kept, not one with the marker and one for the root.
    Spliced { html: tera::Value, at: Box<[u32]> },
    /// The card cannot be spliced: it is rendered for each page.
    Whole,
}

impl Made {
    /// From the card rendered with the marker (`None`: cannot be spliced).
    fn of(splice: Splice) -> Made {
        let Some(marked) = splice else {
            return Made::Whole;
        };
        let mut html = String::with_capacity(marked.len());
        let mut at = Vec::new();
        let mut last = 0;
        for (i, _) in marked.match_indices(MARKER) {
            html.push_str(&marked[last..i]);
            // Card HTML is far below 4 GiB; a larger one is rendered whole.
            let Ok(offset) = u32::try_from(html.len()) else {
                return Made::Whole;
            };
            at.push(offset);
            html.push_str(KEPT_ROOT);
            last = i + MARKER.len();
        }
        html.push_str(&marked[last..]);
        Made::Spliced {
            html: tera::Value::safe_string(&html),
            at: at.into_boxed_slice(),
        }
    }

    /// The card with `root` in the marker's places (none when it cannot
    /// be spliced).
    fn with_root(&self, root: &str) -> Option<tera::Value> {
        let Made::Spliced { html, at } = self else {
            return None;
        };
        if root == KEPT_ROOT {
            return Some(html.clone());
        }
        let text = html.as_str().unwrap_or_default();
        let mut out = String::with_capacity(text.len() + at.len() * root.len());
        let mut last = 0;
        for &offset in at.iter() {
            let offset = offset as usize;
            out.push_str(&text[last..offset]);
            out.push_str(root);
            last = offset + KEPT_ROOT.len();
        }
        out.push_str(&text[last..]);
        Some(tera::Value::safe_string(&out))
    }

    /// The card rendered with the marker, as [`Splice`] says.
    fn splice(&self) -> Splice {
        let html = self.with_root(MARKER)?;
        Some(Arc::from(html.as_str().unwrap_or_default()))
    }
}

impl CardSlots {
    /// Slots holding the splices an earlier render made of the same card,
    /// theme and site (per heading level: `<h3>`, `<h4>`; none where it
    /// made none).
    pub fn with_splices(splices: [Option<Splice>; 2]) -> CardSlots {
        let slots = CardSlots::default();
        for (slot, splice) in slots.splices.iter().zip(splices) {
            if let Some(s) = splice {
                let _ = slot.set(Made::of(s));
            }
        }
        slots
    }

    /// The splices made so far, per heading level (`<h3>`, `<h4>`).
    pub fn splices(&self) -> [Option<Splice>; 2] {
        [
            self.splices[0].get().map(Made::splice),
            self.splices[1].get().map(Made::splice),
        ]
    }
}

/// The heading levels cards are rendered at: `<h3>` on entry pages (under
/// a section's `<h2>`), `<h4>` in year and month groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardHeading {
    /// `<h3>`.
    H3,
    /// `<h4>`.
    H4,
}

impl CardHeading {
    fn level(self) -> u8 {
        match self {
            CardHeading::H3 => 3,
            CardHeading::H4 => 4,
        }
    }

    fn slot(self) -> usize {
        usize::from(self == CardHeading::H4)
    }
}

/// The ways back to the site root of the pages that list the most cards:
/// term pages, year archives and entry pages all sit two folders deep, the
/// timeline's first page at the root, its embeddable copy and the map one
/// folder deep. Their list items are made once per card and heading level
/// and shared when slots are handed on to a later render (`serve`); a
/// build makes each item as a page asks for it, around the card's HTML
/// (for the first root, shared: see `Made`), so that it never holds an
/// item per card and heading besides the HTML.
const SHARED_ROOTS: [&str; 3] = ["../../", "./", "../"];

/// Item slots per card: one per shared root and heading level.
const ITEM_SLOTS: usize = 6;

/// Every entry's card HTML, per heading level, made on demand from any thread.
pub struct CardHtml<'a> {
    theme: &'a Theme,
    site: &'a tera::Value,
    cards: &'a Cards,
    slots: Chunked<CardSlots>,
    /// How many of the [`SHARED_ROOTS`] have their items kept.
    shared_roots: usize,
    /// The card's small map, from `site.map` (none without one).
    card_map: Option<CardMap>,
    /// The map page's marks and items, written without Tera while the
    /// theme's partials for them are the built-in ones.
    map_writer: Option<super::map_html::MapWriter<'a>>,
    /// The cards, written without Tera while the theme's card partial is
    /// the built-in one: then nothing is kept per card.
    writer: Option<CardWriter<'a>>,
    /// Whether list items carry the card as a value (`item.entry`): only
    /// a site's own templates may read it, the built-in ones do not.
    entries_in_items: bool,
}

/// Where a dot goes on an entry card's small map (`map/card.svg`): the
/// window of `site.map.card`, `CARD_W` by `CARD_H` units, read once
/// from the site. The dot is placed here rather than by the template, whose
/// arithmetic cost more than the rest of the card (each card is rendered
/// four times: two heading levels, and each splice checked).
struct CardMap {
    x_scale: f64,
    card: [f64; 4],
    radius: Vec<(String, u32)>,
}

impl CardMap {
    fn from_site(site: &tera::Value) -> Option<CardMap> {
        let map = site.get_from_path("map")?;
        let number = |path: &str| map.get_from_path(path).and_then(tera::Value::as_f64);
        let card = [
            number("card.0")?,
            number("card.1")?,
            number("card.2")?,
            number("card.3")?,
        ];
        let radius = map
            .get_from_path("card_r")?
            .as_map()?
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), u32::try_from(v.as_u64()?).ok()?)))
            .collect();
        Some(CardMap {
            x_scale: number("x_scale")?,
            card,
            radius,
        })
    }

    fn dot(&self, loc: &super::views::CardLoc) -> CardDot {
        let [x0, y0, w, h] = self.card;
        CardDot {
            cx: ((loc.lon * self.x_scale - x0) * CARD_W / w).round() as i64,
            cy: ((0.0 - loc.lat * 100.0 - y0) * CARD_H / h).round() as i64,
            r: self
                .radius
                .iter()
                .find(|(p, _)| p == loc.precision)
                .map_or(3, |(_, r)| *r),
        }
    }
}

impl<'a> CardHtml<'a> {
    /// The theme the cards are rendered with.
    pub fn theme(&self) -> &'a Theme {
        self.theme
    }

    /// Card HTML for these cards, made on first use (and, with the
    /// built-in card partial, written where a page asks for it and not kept).
    pub fn new(theme: &'a Theme, site: &'a tera::Value, cards: &'a Cards) -> CardHtml<'a> {
        let slots = if theme.is_builtin(CARD_TEMPLATE) {
            Chunked::default()
        } else {
            Chunked::from_fn(cards.len(), |_| Arc::default())
        };
        CardHtml::with(theme, site, cards, slots, 0)
    }

    /// Card HTML starting from `slots` (one per card, by position) that an
    /// earlier render of the same cards, theme and site filled. The
    /// timeline's items are kept in them too, for a later render to reuse.
    pub fn with_slots(
        theme: &'a Theme,
        site: &'a tera::Value,
        cards: &'a Cards,
        slots: Chunked<CardSlots>,
    ) -> CardHtml<'a> {
        CardHtml::with(theme, site, cards, slots, SHARED_ROOTS.len())
    }

    /// Card HTML starting from `slots` (one per card, by position) holding
    /// the splices of an earlier build of the same cards, theme and site
    /// (list items are made as in [`CardHtml::new`]).
    pub fn with_splices(
        theme: &'a Theme,
        site: &'a tera::Value,
        cards: &'a Cards,
        slots: Chunked<CardSlots>,
    ) -> CardHtml<'a> {
        CardHtml::with(theme, site, cards, slots, 0)
    }

    /// The constructors' common part: `shared_roots` of the
    /// [`SHARED_ROOTS`] have their items kept.
    fn with(
        theme: &'a Theme,
        site: &'a tera::Value,
        cards: &'a Cards,
        slots: Chunked<CardSlots>,
        shared_roots: usize,
    ) -> CardHtml<'a> {
        CardHtml {
            theme,
            site,
            cards,
            slots,
            shared_roots,
            card_map: CardMap::from_site(site),
            map_writer: map_writer(theme, site),
            writer: theme
                .is_builtin(CARD_TEMPLATE)
                .then(|| CardWriter::new(theme.translations(), site)),
            entries_in_items: theme.has_own_templates(),
        }
    }

    /// The cards.
    pub fn cards(&self) -> &'a Cards {
        self.cards
    }

    /// The card of the entry at `pos` for a page whose way back to the
    /// site root is `root`, as a safe string.
    pub fn get(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        crate::reads::note(pos);
        if self.shared_roots == SHARED_ROOTS.len()
            && let Some(i) = SHARED_ROOTS.iter().position(|r| *r == root)
        {
            let slot = &self.slots[pos].cards[i * 2 + heading.slot()];
            if let Some(card) = slot.get() {
                return Ok(card.clone());
            }
            let card = self.make(pos, root, heading)?;
            return Ok(slot.get_or_init(|| card).clone());
        }
        self.make(pos, root, heading)
    }

    /// The card's HTML for `root`, from its splice when it has one.
    fn make(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        if let Some(w) = &self.writer {
            let dot = self.dot(pos);
            let card = self.cards.card(pos);
            return Ok(tera::Value::safe_string(&w.card(
                card,
                root,
                heading.level(),
                dot,
            )));
        }
        let slot = &self.slots[pos].splices[heading.slot()];
        let made = match slot.get() {
            Some(s) => s,
            None => {
                // Two threads may both make it; they make the same.
                let made = Made::of(self.splice(pos, heading)?);
                slot.get_or_init(|| made)
            }
        };
        match made.with_root(root) {
            Some(html) => Ok(html),
            None => self.render(pos, root, heading),
        }
    }

    /// The item a list shows: `{entry, html}`.
    pub fn item(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        crate::reads::note(pos);
        let shared = SHARED_ROOTS[..self.shared_roots]
            .iter()
            .position(|r| *r == root);
        if let Some(i) = shared {
            let slot = &self.slots[pos].items[i * 2 + heading.slot()];
            if let Some(item) = slot.get() {
                return Ok(item.clone());
            }
            let html = self.get(pos, root, heading)?;
            return Ok(slot
                .get_or_init(|| item(self.entry(pos), html, None))
                .clone());
        }
        let html = self.get(pos, root, heading)?;
        Ok(item(self.entry(pos), html, None))
    }

    /// The card as a list item's `entry`, when the site's templates may
    /// read it.
    pub fn entry(&self, pos: usize) -> Option<tera::Value> {
        self.entries_in_items.then(|| self.cards.value(pos))
    }

    /// The dot of the card at `pos` on its small map, if it has one.
    fn dot(&self, pos: usize) -> Option<CardDot> {
        let loc = self.cards.card(pos).loc.as_ref()?;
        Some(self.card_map.as_ref()?.dot(loc))
    }

    /// The mark and list item of `m` on a map page whose way back to the
    /// site root is `root` (`map/`: [`MAP_ROOT`]; a period's page is
    /// deeper), drawn in the frame `frame` (`frame_value` as the partials
    /// see it, whose digest is `frame_key`). Those of `map/` are kept per
    /// entry for the next rebuild.
    pub fn map_parts(
        &self,
        m: &Mark,
        root: &str,
        frame: &Frame,
        frame_value: &tera::Value,
        frame_key: u64,
    ) -> Result<MapParts, Diagnostic> {
        crate::reads::note(m.pos);
        let keep = self.shared_roots == SHARED_ROOTS.len() && root == MAP_ROOT;
        if keep
            && let Some((key, parts)) = self.slots[m.pos].map.get()
            && *key == frame_key
        {
            return Ok(parts.clone());
        }
        let parts = match &self.map_writer {
            Some(w) => (
                Arc::from(w.mark(m, frame.view[2], root)),
                Arc::from(w.item(m, root)),
            ),
            None => self.map_parts_rendered(m, root, frame_value)?,
        };
        if keep {
            let _ = self.slots[m.pos].map.set((frame_key, parts.clone()));
        }
        Ok(parts)
    }

    /// The mark and list item of `m` through the site's own partials.
    fn map_parts_rendered(
        &self,
        m: &Mark,
        root: &str,
        frame_value: &tera::Value,
    ) -> Result<MapParts, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert_value("site", self.site.clone());
        context.insert("root", root);
        context.insert("m", m);
        context.insert_value("f", frame_value.clone());
        let text = |template: &str| -> Result<Arc<str>, Diagnostic> {
            let mut out = Vec::with_capacity(1024);
            self.theme.render_to(template, &context, &mut out)?;
            Ok(Arc::from(String::from_utf8_lossy(&out).as_ref()))
        };
        // Both in one render (the context is made once); apart when a
        // site's partial happens to print the mark between them.
        let both = text(MAP_PARTS_TEMPLATE)?;
        Ok(match both.split_once(MAP_PART_BREAK) {
            Some((mark, item)) if !item.contains(MAP_PART_BREAK) => {
                (Arc::from(mark), Arc::from(item))
            }
            _ => (text(MAP_MARK_TEMPLATE)?, text(MAP_ITEM_TEMPLATE)?),
        })
    }

    /// The card rendered with the marker, if the marker can be spliced.
    fn splice(&self, pos: usize, heading: CardHeading) -> Result<Splice, Diagnostic> {
        let marked = self.render_text(pos, MARKER, heading)?;
        let checked = self.render_text(pos, CHECK, heading)?;
        Ok((marked.replace(MARKER, CHECK) == checked).then(|| Arc::from(marked)))
    }

    fn render(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        Ok(tera::Value::safe_string(
            &self.render_text(pos, root, heading)?,
        ))
    }

    fn render_text(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<String, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert_value("site", self.site.clone());
        context.insert("root", root);
        context.insert_value("entry", self.cards.value(pos));
        context.insert("card_heading", &heading.level());
        if let Some(dot) = self.dot(pos) {
            context.insert("card_dot", &dot);
        }
        let mut out = Vec::with_capacity(1024);
        self.theme.render_to(CARD_TEMPLATE, &context, &mut out)?;
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

/// A list item: the card's value (when the site's templates may read
/// it), its HTML and, on the timeline, the era that begins with it.
pub fn item(
    entry: Option<tera::Value>,
    html: tera::Value,
    era_start: Option<tera::Value>,
) -> tera::Value {
    let mut map = std::collections::BTreeMap::<&'static str, tera::Value>::new();
    if let Some(entry) = entry {
        map.insert("entry", entry);
    }
    map.insert("html", html);
    if let Some(era) = era_start {
        map.insert("era_start", era);
    }
    tera::Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_not_escaped_and_differ() {
        assert_ne!(MARKER, CHECK);
        for marker in [MARKER, CHECK] {
            let mut out = Vec::new();
            tera::escape_html(marker, &mut out).unwrap();
            assert_eq!(out, marker.as_bytes());
        }
    }
}
