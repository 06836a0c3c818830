//! Recognising actors and places in text by the names and aliases of the
//! registries (`actors.yaml`, `places.yaml`).
//!
//! Names are compared word by word, case-sensitively (so the alias `US`
//! does not match the pronoun "us"), after transliteration to ASCII (so
//! `Zelenskyy`, `Зеленський` and `Zelensky` are matched as written in the
//! registry) and with dotted initials folded (`U.S.` matches `US`). The
//! longest name wins: "Volodymyr Zelensky" is one match, not two.

use std::collections::{HashMap, HashSet};

use crate::content::{Kind, Registry};

/// One recognised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Actor or place.
    pub kind: Kind,
    /// The registry id.
    pub id: String,
    /// The name as written in the text.
    pub text: String,
    /// Byte offset of the name in the text.
    pub start: usize,
}

/// Every name and alias of the registries, ready for matching.
#[derive(Debug, Default)]
pub struct Matcher {
    names: HashMap<String, Vec<(Kind, String)>>,
    first_words: HashSet<String>,
    longest: usize,
}

impl Matcher {
    /// A matcher for the entities of both registries (either may be absent).
    pub fn new(actors: Option<&Registry>, places: Option<&Registry>) -> Matcher {
        let mut m = Matcher::default();
        for (kind, registry) in [(Kind::Actors, actors), (Kind::Places, places)] {
            for entity in registry.iter().flat_map(|r| r.entities.iter()) {
                let id = &entity.id.value;
                for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                    m.add(kind, id, name);
                }
            }
        }
        m
    }

    fn add(&mut self, kind: Kind, id: &str, name: &str) {
        let words: Vec<String> = words(name).into_iter().map(|w| w.text).collect();
        let Some(first) = words.first() else { return };
        self.first_words.insert(first.clone());
        self.longest = self.longest.max(words.len());
        let ids = self.names.entry(words.join(" ")).or_default();
        if !ids.iter().any(|(k, i)| *k == kind && i == id) {
            ids.push((kind, id.to_string()));
        }
    }

    /// Every name in `text`, in order, longest match first.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let words = words(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let hit = self.first_words.contains(&words[i].text).then(|| {
                let mut key = String::new();
                let mut best = None;
                for (n, w) in words[i..].iter().take(self.longest).enumerate() {
                    if n > 0 {
                        key.push(' ');
                    }
                    key.push_str(&w.text);
                    if let Some(ids) = self.names.get(&key) {
                        best = Some((n + 1, ids));
                    }
                }
                best
            });
            match hit.flatten() {
                Some((len, ids)) => {
                    let written = &text[words[i].start..words[i + len - 1].end];
                    out.extend(ids.iter().map(|(kind, id)| Found {
                        kind: *kind,
                        id: id.clone(),
                        text: written.to_string(),
                        start: words[i].start,
                    }));
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// A word for name matching: transliterated, with its place in the text.
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// Splits text into runs of letters and digits; `U.S.` becomes one word `US`.
fn words(text: &str) -> Vec<Word> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, text.len()));
    }
    let initial = |(s, e): (usize, usize)| {
        let w = &text[s..e];
        w.chars().count() == 1 && w.chars().all(char::is_uppercase) && text[e..].starts_with('.')
    };
    let mut out: Vec<Word> = Vec::with_capacity(runs.len());
    let mut k = 0;
    while k < runs.len() {
        let (s, mut e) = runs[k];
        let mut joined = text[s..e].to_string();
        // Dotted initials written without spaces: U.S., U.K., D.C.
        while initial((runs[k].0, e))
            && runs.get(k + 1).is_some_and(|&n| n.0 == e + 1 && initial(n))
        {
            k += 1;
            e = runs[k].1;
            joined.push_str(&text[runs[k].0..e]);
        }
        out.push(Word {
            text: deunicode::deunicode(&joined),
            start: s,
            end: e,
        });
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::content::registry::parse_registry;
    use crate::error::Diagnostics;
    use crate::source::{SourceFile, YamlSource};

    fn registry(kind: Kind, yaml: &str) -> Registry {
        let file = SourceFile::from_text("r.yaml", yaml);
        let doc: Arc<YamlSource> = YamlSource::whole(&file);
        let mut d = Diagnostics::new();
        let r = parse_registry(&doc, kind, &mut d);
        assert!(!d.has_errors(), "{d}");
        r
    }

    #[test]
    fn finds_names_and_aliases() {
        let actors = registry(
            Kind::Actors,
            "- {id: volodymyr-zelensky, name: Volodymyr Zelensky, aliases: [Zelensky, Zelenskyy, Володимир Зеленський]}\n\
             - {id: united-states, name: United States, aliases: [US]}\n\
             - {id: nato, name: NATO}\n\
             - {id: ursula-von-der-leyen, name: Ursula von der Leyen, aliases: [von der Leyen]}\n",
        );
        let places = registry(
            Kind::Places,
            "- {id: washington, name: \"Washington, D.C.\", aliases: [Washington, White House]}\n",
        );
        let m = Matcher::new(Some(&actors), Some(&places));
        let ids = |text: &str| -> Vec<String> { m.find(text).into_iter().map(|f| f.id).collect() };
        let cases: &[(&str, &[&str])] = &[
            ("Volodymyr Zelensky met us.", &["volodymyr-zelensky"]),
            (
                "Zelensky's trip and Zelenskyy's aide",
                &["volodymyr-zelensky", "volodymyr-zelensky"],
            ),
            ("Володимир Зеленський", &["volodymyr-zelensky"]),
            (
                "the U.S. President at the White House",
                &["united-states", "washington"],
            ),
            (
                "a NATO-like pact, with von der Leyen",
                &["nato", "ursula-von-der-leyen"],
            ),
            ("Washington, D.C. hosts", &["washington"]),
            ("zelensky in lower case is not a name", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(ids(text), *want, "{text}");
        }
        assert_eq!(m.find("at the White House.")[0].text, "White House");
    }
}
