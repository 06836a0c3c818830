//! Draft events: one per date the article mentions, drafted from the
//! sentences that mention it.
//!
//! - Sentences with the same resolved date make one draft; a sentence with
//!   two dates feeds two drafts.
//! - A sentence that opens by pointing back ("The Monday meeting will ...",
//!   "It ...", "There ...") brings the sentence before it (same paragraph)
//!   along as context: its names count for the draft and it opens the summary.
//! - The title is the event noun nearest to a mention ("meeting", "summit",
//!   "invasion", ...) with the words describing it ("virtual summit",
//!   "full-scale invasion"); a bare noun gets the first place named in the
//!   draft's sentences in front ("White House meeting"). Without an event
//!   noun, the title is the clause around the mention, without the date.
//! - The id is the date, then the title's first words: `2025-08-18-white-house-meeting`.
//! - Actors and places are the registry names found in the draft's sentences.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::dates::{self, Mention, Resolved};
use super::entities::Matcher;
use super::paragraphs::sentences;
use super::text::Document;
use super::titles::{clause_title, is_event_noun, noun_title};
use super::words::{Token, tokenize};
use crate::content::Kind;

/// A proposed event, before its id is made unique across the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// `DATE-title-words`, to be made unique.
    pub base_id: String,
    /// The date it is proposed for.
    pub date: Resolved,
    /// Plain-text title.
    pub title: String,
    /// The sentences it was drafted from.
    pub summary: String,
    /// Actor ids.
    pub actors: Vec<String>,
    /// Place ids.
    pub places: Vec<String>,
    /// The mentions that gave the date, and how each was resolved.
    pub mentions: Vec<Mention>,
}

/// What the import learnt from one article's text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The drafts, in chronological order.
    pub drafts: Vec<Draft>,
    /// Actor ids named anywhere in the article.
    pub actors: Vec<String>,
    /// Place ids named anywhere in the article.
    pub places: Vec<String>,
    /// How many date mentions were found.
    pub mentions: usize,
}

#[rustfmt::skip]
const POINTING: &[&str] = &[
    "this", "that", "these", "those", "it", "they", "he", "she", "there", "such",
];

struct Sentence<'a> {
    text: &'a str,
    paragraph: usize,
}

/// Finds the dates of a document and drafts one event per date.
pub fn analyse(doc: &Document, article: NaiveDate, matcher: &Matcher) -> Analysis {
    let mut units: Vec<&str> = doc.teaser.iter().map(String::as_str).collect();
    units.extend(doc.paragraphs.iter().map(String::as_str));
    // A teaser repeated as the standfirst is read once.
    let mut seen = std::collections::HashSet::new();
    let mut all: Vec<Sentence<'_>> = Vec::new();
    for (p, unit) in units.iter().enumerate() {
        for text in sentences(unit) {
            if seen.insert(text) {
                all.push(Sentence { text, paragraph: p });
            }
        }
    }
    let tokens: Vec<Vec<Token<'_>>> = all.iter().map(|s| tokenize(s.text)).collect();
    let found: Vec<_> = all
        .iter()
        .zip(&tokens)
        .map(|(s, t)| dates::find(t, s.text, article))
        .collect();
    let mentions = dates::resolve_all(&found, article);

    let mut groups: BTreeMap<Resolved, Vec<(usize, Mention)>> = BTreeMap::new();
    for (s, ms) in mentions.iter().enumerate() {
        for m in ms {
            groups.entry(m.resolved).or_default().push((s, m.clone()));
        }
    }
    let drafts = groups
        .into_iter()
        .map(|(date, ms)| draft(date, ms, &all, &tokens, matcher))
        .collect();
    let mut names = vec![doc.title.as_str()];
    names.extend(units);
    let (actors, places) = entities(names.into_iter(), matcher);
    Analysis {
        drafts,
        actors,
        places,
        mentions: mentions.iter().map(Vec::len).sum(),
    }
}

fn draft(
    date: Resolved,
    mentions: Vec<(usize, Mention)>,
    all: &[Sentence<'_>],
    tokens: &[Vec<Token<'_>>],
    matcher: &Matcher,
) -> Draft {
    let mut dated: Vec<usize> = mentions.iter().map(|(s, _)| *s).collect();
    dated.dedup();
    let mut context: Vec<usize> = dated
        .iter()
        .filter(|&&s| s > 0 && all[s - 1].paragraph == all[s].paragraph && points_back(&tokens[s]))
        .map(|s| s - 1)
        .filter(|c| !dated.contains(c))
        .collect();
    context.dedup();
    let mut used: Vec<usize> = dated.iter().chain(&context).copied().collect();
    used.sort_unstable();
    used.dedup();
    let summary = used
        .iter()
        .map(|&s| all[s].text)
        .collect::<Vec<_>>()
        .join(" ");
    // Names: the dated sentences first, then their context.
    let texts = dated.iter().chain(&context).map(|&s| all[s].text);
    let (actors, places) = entities(texts.clone(), matcher);
    // A bare event noun is qualified by a place named in its own clause,
    // else by the last place of the sentence the draft points back to.
    let places_in = |s: usize| {
        matcher
            .find(all[s].text)
            .into_iter()
            .filter(|f| f.kind == Kind::Places)
            // "Washington, D.C." qualifies a noun as "Washington".
            .map(|f| {
                (
                    f.start,
                    f.text
                        .split(',')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                )
            })
    };
    let context_place = context.iter().rev().find_map(|&s| places_in(s).next_back());
    let place = |s: usize, bytes: std::ops::Range<usize>| {
        places_in(s)
            .find(|(start, _)| bytes.contains(start))
            .or_else(|| context_place.clone())
            .map(|(_, text)| text)
    };
    let title = noun_title(&mentions, tokens, place).unwrap_or_else(|| {
        let (s, m) = &mentions[0];
        let title = clause_title(all[*s].text, &tokens[*s], &m.tokens);
        name_the_pronoun(title, *s, all, matcher)
    });
    Draft {
        base_id: draft_id(&date, &title),
        date,
        title,
        summary,
        actors,
        places,
        mentions: mentions.into_iter().map(|(_, m)| m).collect(),
    }
}

/// `2025-08-18-white-house-meeting`: the date, then the title's first six
/// words (articles left out).
fn draft_id(date: &Resolved, title: &str) -> String {
    let slug = crate::slug::slugify(title);
    let words = slug
        .split('-')
        .filter(|w| !w.is_empty() && !matches!(*w, "a" | "an" | "the"));
    std::iter::once(date.plain().as_str())
        .chain(words.take(6))
        .collect::<Vec<_>>()
        .join("-")
}

/// "He held talks ..." → "Zelensky held talks ...": a title starting with
/// `He` or `She` takes the first actor named in its sentence, else the last
/// one of the sentence before.
fn name_the_pronoun(title: String, s: usize, all: &[Sentence<'_>], matcher: &Matcher) -> String {
    let Some(rest) = title
        .strip_prefix("He ")
        .or_else(|| title.strip_prefix("She "))
    else {
        return title;
    };
    let actors = |s: usize| {
        matcher
            .find(all[s].text)
            .into_iter()
            .filter(|f| f.kind == Kind::Actors)
    };
    let name = actors(s)
        .next()
        .or_else(|| s.checked_sub(1).and_then(|p| actors(p).next_back()));
    match name {
        Some(found) => format!("{} {rest}", found.text),
        None => title,
    }
}

/// Registry ids named in the texts: actors and places, in order of first mention.
fn entities<'a>(
    texts: impl Iterator<Item = &'a str>,
    matcher: &Matcher,
) -> (Vec<String>, Vec<String>) {
    let (mut actors, mut places) = (Vec::new(), Vec::new());
    for f in texts.flat_map(|t| matcher.find(t)) {
        let list = if f.kind == Kind::Actors {
            &mut actors
        } else {
            &mut places
        };
        if !list.contains(&f.id) {
            list.push(f.id);
        }
    }
    (actors, places)
}

/// True when a sentence opens by pointing back at the one before.
fn points_back(tokens: &[Token<'_>]) -> bool {
    let Some(first) = tokens.first() else {
        return false;
    };
    first.is_any(POINTING) || first.is("the") && tokens.iter().skip(1).take(3).any(is_event_noun)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::content::registry::parse_registry;
    use crate::error::Diagnostics;
    use crate::import::text::parse;
    use crate::source::{SourceFile, YamlSource};

    fn matcher() -> Matcher {
        let mut d = Diagnostics::new();
        let mut registry = |kind, yaml: &str| {
            let doc: Arc<YamlSource> = YamlSource::whole(&SourceFile::from_text("r.yaml", yaml));
            parse_registry(&doc, kind, &mut d)
        };
        let actors = registry(
            Kind::Actors,
            "- {id: volodymyr-zelensky, name: Volodymyr Zelensky, aliases: [Zelensky]}\n\
             - {id: donald-trump, name: Donald Trump, aliases: [Trump]}\n",
        );
        let places = registry(
            Kind::Places,
            "- {id: washington, name: \"Washington, D.C.\", aliases: [Washington, White House]}\n\
             - {id: geneva, name: Geneva}\n",
        );
        assert!(!d.has_errors(), "{d}");
        Matcher::new(Some(&actors), Some(&places))
    }

    fn drafts(text: &str, article: &str) -> Vec<Draft> {
        let doc = parse(text, false).unwrap();
        let date = NaiveDate::parse_from_str(article, "%Y-%m-%d").unwrap();
        analyse(&doc, date, &matcher()).drafts
    }

    #[test]
    fn titles_ids_and_names() {
        let text = "Headline Here\n\
            Zelensky goes to the White House to see Trump, after their quarrel earlier this year. \
            The Monday meeting will be short. \
            Leaders joined a virtual summit held on Sunday.\n\
            Forces have advanced since the full-scale invasion in February 2022.\n\
            Negotiators met on Friday in Geneva for six hours of talks on prisoner releases.\n\
            The city's mayor said on Monday that repair crews had restored heat.\n";
        let got: Vec<(String, String, String)> = drafts(text, "2025-08-17")
            .into_iter()
            .map(|d| (d.base_id, d.date.to_string(), d.title))
            .collect();
        let want = [
            (
                "2022-02-full-scale-invasion",
                "2022-02",
                "Full-scale invasion",
            ),
            ("2025-quarrel", "2025~", "Quarrel"),
            // "said on Monday" is clearly past: it keeps its own Monday.
            (
                "2025-08-11-repair-crews-had-restored-heat",
                "2025-08-11",
                "Repair crews had restored heat",
            ),
            (
                "2025-08-15-negotiators-met-in-geneva-for-six",
                "2025-08-15",
                "Negotiators met in Geneva for six hours of talks",
            ),
            ("2025-08-17-virtual-summit", "2025-08-17", "Virtual summit"),
            (
                "2025-08-18-white-house-meeting",
                "2025-08-18",
                "White House meeting",
            ),
        ];
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        assert_eq!(&got[..], &want[..]);
    }

    #[test]
    fn a_sentence_pointing_back_brings_its_context() {
        let text = "Headline Here\n\
            Zelensky goes to the White House to see Trump. \
            The Monday meeting will be short.\n";
        let all = drafts(text, "2025-08-17");
        assert_eq!(all.len(), 1);
        let d = &all[0];
        assert_eq!(d.actors, ["volodymyr-zelensky", "donald-trump"]);
        assert_eq!(d.places, ["washington"]);
        assert!(
            d.summary.starts_with("Zelensky goes to the White House"),
            "{}",
            d.summary
        );
        assert_eq!(
            d.mentions[0].rule,
            "weekday, future tense: on or after the article date"
        );
    }

    #[test]
    fn reported_speech_titles_the_reported_event() {
        let text = "Headline Here\nThe city's mayor said on Monday that repair crews had restored heat to the districts.\n";
        assert_eq!(
            drafts(text, "2025-01-02")[0].title,
            "Repair crews had restored heat"
        );
        assert!(drafts("Headline Here\nNothing dated here at all.\n", "2025-01-02").is_empty());
    }
}
