//! The trees of a multilingual site (`languages: [uk, en]`): the same
//! chronology (entries, ids, order and links shared) told in each language,
//! with the titles and summaries written for it and dates in its words.

use std::sync::Arc;

use super::{Chronology, EntryKind};

/// Where the tree of `lang` sits: `"en/"`, or `""` for the default
/// language published at the root.
pub fn tree_of(lang: &str) -> String {
    format!("{lang}/")
}

impl Chronology {
    /// Whether the site is published in several languages.
    pub fn multilingual(&self) -> bool {
        self.config.languages.len() > 1
    }

    /// The chronology as the tree of `lang` at `tree` tells it: each event's
    /// title and summary in `lang` where written (else the default
    /// language's), dates in its words.
    pub fn in_language(&self, lang: &str, tree: &str) -> Chronology {
        let config = self.config.for_tree(lang, tree);
        let names = config.date_names;
        let events = self
            .events
            .iter()
            .map(|e| {
                let mut ev = (**e).clone();
                if let Some(t) = ev.translations.titles.get(lang) {
                    ev.title = t.clone();
                }
                if let Some(s) = ev.translations.summaries.get(lang) {
                    ev.summary = Some(s.clone());
                }
                ev.dates = ev.dates.with_names(names);
                Arc::new(ev)
            })
            .collect();
        let articles = self
            .articles
            .iter()
            .map(|a| {
                let mut ar = a.in_language(lang);
                ar.dates = ar.dates.with_names(names);
                Arc::new(ar)
            })
            .collect();
        let eras = self
            .eras
            .iter()
            .map(|e| {
                let mut era = e.clone();
                era.dates = era.dates.with_names(names);
                era
            })
            .collect();
        Chronology {
            config,
            events,
            articles,
            pages: self.pages.clone(),
            actor_registry: self.actor_registry.clone(),
            place_registry: self.place_registry.clone(),
            eras,
            derived: self.derived.clone(),
            drafts: self.drafts,
            images: Arc::clone(&self.images),
            located: std::sync::OnceLock::new(),
            ends: std::sync::OnceLock::new(),
        }
    }

    /// Whether the entry at `pos` lacks a text in this tree's language (it
    /// is then shown in the default language, with a notice).
    pub fn untranslated(&self, pos: usize) -> bool {
        let Some(default) = self.config.languages.first() else {
            return false;
        };
        let lang = &self.config.language;
        if lang == default {
            return false;
        }
        let e = self.entries[pos];
        match e.kind {
            EntryKind::Event => !self.events[e.index].translations.titles.contains_key(lang),
            EntryKind::Article => !self.articles[e.index].has_language(lang),
        }
    }
}
