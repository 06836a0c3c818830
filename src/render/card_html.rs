//! Entry cards rendered once and shared by every list that shows them.
//!
//! An entry is listed on some ten pages (the timeline, its archives, its
//! tags, actors, places and track, the pages of related events). Its card
//! (`partials/entry_card.html`) depends only on the card itself, the
//! heading level, `root` and `site`, so its HTML is the same on every page
//! of the same depth: it is rendered the first time a page asks for it and
//! handed to the next ones as a safe string. Lists receive items
//! `{entry, html}` and print `{{ item.html | safe }}`.

use std::sync::OnceLock;

use super::theme::Theme;
use super::views::Cards;
use crate::error::Diagnostic;

/// The template that renders one card.
pub const CARD_TEMPLATE: &str = "partials/entry_card.html";

/// Card HTML kept between the builds of a session, by card key (a hash
/// of the card and of everything site-wide), one slot per depth and heading.
pub type CardMemo = std::collections::HashMap<u64, Vec<Option<tera::Value>>>;

/// Roots that are cached: `./`, `../`, `../../`, `../../../`; deeper pages
/// render their cards each time.
const DEPTHS: usize = 4;

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

    fn slot(self, depth: usize) -> usize {
        depth * 2 + usize::from(self == CardHeading::H4)
    }
}

/// Every entry's card HTML, per depth and heading level, made on demand
/// from any thread.
pub struct CardHtml<'a> {
    theme: &'a Theme,
    site: &'a tera::Value,
    cards: &'a Cards,
    slots: Vec<[OnceLock<tera::Value>; DEPTHS * 2]>,
}

impl<'a> CardHtml<'a> {
    /// An empty cache for these cards.
    pub fn new(theme: &'a Theme, site: &'a tera::Value, cards: &'a Cards) -> CardHtml<'a> {
        CardHtml {
            theme,
            site,
            cards,
            slots: (0..cards.len()).map(|_| Default::default()).collect(),
        }
    }

    /// Fills the cache with what an earlier build made of the same cards;
    /// `keys` gives each card's key.
    pub fn seed(&self, keys: &[u64], memo: &CardMemo) {
        for (slots, key) in self.slots.iter().zip(keys) {
            if let Some(old) = memo.get(key) {
                for (slot, value) in slots.iter().zip(old) {
                    if let Some(v) = value {
                        let _ = slot.set(v.clone());
                    }
                }
            }
        }
    }

    /// What this build made, for the next one.
    pub fn export(&self, keys: &[u64]) -> CardMemo {
        self.slots
            .iter()
            .zip(keys)
            .filter(|(slots, _)| slots.iter().any(|s| s.get().is_some()))
            .map(|(slots, key)| (*key, slots.iter().map(|s| s.get().cloned()).collect()))
            .collect()
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
        let Some(depth) = depth_of(root).filter(|&d| d < DEPTHS) else {
            return self.render(pos, root, heading);
        };
        let slot = &self.slots[pos][heading.slot(depth)];
        if let Some(html) = slot.get() {
            return Ok(html.clone());
        }
        // Two threads may both render it; they make the same string.
        let html = self.render(pos, root, heading)?;
        Ok(slot.get_or_init(|| html).clone())
    }

    /// The item a list shows: `{entry, html}`.
    pub fn item(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        let html = self.get(pos, root, heading)?;
        Ok(item(self.cards.value(pos), html, None))
    }

    fn render(
        &self,
        pos: usize,
        root: &str,
        heading: CardHeading,
    ) -> Result<tera::Value, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert_value("site", self.site.clone());
        context.insert("root", root);
        context.insert_value("entry", self.cards.value(pos));
        context.insert("card_heading", &heading.level());
        let mut out = Vec::with_capacity(1024);
        self.theme.render_to(CARD_TEMPLATE, &context, &mut out)?;
        Ok(tera::Value::safe_string(&String::from_utf8_lossy(&out)))
    }
}

/// A list item: the card's value, its HTML and, on the timeline, the era
/// that begins with it.
pub fn item(entry: tera::Value, html: tera::Value, era_start: Option<tera::Value>) -> tera::Value {
    let mut map = std::collections::BTreeMap::<&'static str, tera::Value>::new();
    map.insert("entry", entry);
    map.insert("html", html);
    if let Some(era) = era_start {
        map.insert("era_start", era);
    }
    tera::Value::from(map)
}

/// 0 for `./`, 1 for `../`, 2 for `../../`...; none for any other root
/// (the 404 page's absolute one).
fn depth_of(root: &str) -> Option<usize> {
    if root == "./" {
        return Some(0);
    }
    let depth = root.len() / 3;
    (depth > 0 && root.len() == depth * 3 && root.as_bytes().chunks(3).all(|c| c == b"../"))
        .then_some(depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths_of_roots() {
        assert_eq!(depth_of("./"), Some(0));
        assert_eq!(depth_of("../"), Some(1));
        assert_eq!(depth_of("../../../"), Some(3));
        assert_eq!(depth_of("/war/"), None);
        assert_eq!(depth_of(""), None);
        assert_eq!(depth_of("..//"), None);
    }

    #[test]
    fn slots_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for depth in 0..DEPTHS {
            for h in [CardHeading::H3, CardHeading::H4] {
                assert!(seen.insert(h.slot(depth)));
                assert!(h.slot(depth) < DEPTHS * 2);
            }
        }
    }
}
