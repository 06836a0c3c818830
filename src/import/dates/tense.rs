//! Guessing whether a sentence speaks of the past or the future, from the
//! words nearest to a date mention (the cue lists are in the docs of
//! [`super`]).

use std::ops::Range;

use crate::import::words::Token;

/// The direction a sentence points in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// Already happened.
    Past,
    /// Still to come.
    Future,
    /// No cue found.
    Unknown,
}

#[rustfmt::skip]
const FUTURE: &[&str] = &[
    "will", "shall", "would", "upcoming", "scheduled", "planned", "expected", "due", "ahead",
    "coming", "next", "later", "plans", "intends", "soon",
];
#[rustfmt::skip]
const PAST: &[&str] = &[
    "was", "were", "had", "did", "met", "held", "said", "told", "took", "gave", "came", "went",
    "saw", "spoke", "left", "began", "won", "lost", "fell", "sent", "made", "found", "struck",
    "ago", "earlier", "previously", "already", "wasn't", "weren't", "didn't", "hadn't", "led",
    "fought", "brought", "thought", "sought", "caught", "began", "rang", "wrote", "broke",
];
/// Participles and `-ed` words that are not past cues after these.
const BE: &[&str] = &["be", "been", "being", "is", "are", "am", "'s", "’s"];
/// Words ending in `-ed` that are not verbs in the past.
#[rustfmt::skip]
const NOT_PAST: &[&str] = &[
    "indeed", "united", "armed", "based", "limited", "detailed", "advanced", "related",
    "interested", "concerned", "alleged", "proceed", "exceed", "succeed", "speed", "seed", "feed",
    "breed", "bleed", "greed", "hundred", "need", "embed", "biased", "unprecedented", "supposed",
    "beloved", "sacred", "aged", "red", "bed", "shed", "wed",
];

/// The tense a word signals, if any.
fn cue(tokens: &[Token<'_>], j: usize) -> Option<Tense> {
    let t = tokens[j];
    if !t.word {
        return None;
    }
    let w = t.text.to_lowercase().replace('’', "'");
    let prev = j.checked_sub(1).map(|p| tokens[p].text.to_lowercase());
    let next = tokens.get(j + 1).map(|n| n.text.to_lowercase());
    let next_is = |words: &[&str]| next.as_deref().is_some_and(|n| words.contains(&n));
    if FUTURE.contains(&w.as_str())
        || w.ends_with("'ll")
        || (w == "set" || w == "going") && next_is(&["to", "for"])
        || w == "be" && prev.as_deref() == Some("to")
    {
        return Some(Tense::Future);
    }
    let after_be = prev.as_deref().is_some_and(|p| BE.contains(&p));
    let participle = PAST.contains(&w.as_str())
        || w.len() >= 5
            && w.ends_with("ed")
            && w.chars().all(|c| c.is_alphabetic())
            && !NOT_PAST.contains(&w.as_str());
    let auxiliary = matches!(w.as_str(), "was" | "were" | "had" | "did");
    (participle && (auxiliary || !after_be)).then_some(Tense::Past)
}

/// The tense of the cue nearest to the mention, and whether it is close:
/// within three words and with no clause boundary in between.
pub fn tense_near(tokens: &[Token<'_>], range: &Range<usize>) -> (Tense, bool) {
    let mut best: Option<(usize, Tense, bool)> = None;
    for j in (0..tokens.len()).filter(|j| !range.contains(j)) {
        let Some(tense) = cue(tokens, j) else {
            continue;
        };
        let between = if j < range.start {
            j + 1..range.start
        } else {
            range.end..j
        };
        let words = tokens[between.clone()].iter().filter(|t| t.word).count() + 1;
        let boundary = tokens[between].iter().any(Token::is_boundary);
        let score = words + if boundary { 10 } else { 0 };
        if best.is_none_or(|(s, ..)| score < s) {
            best = Some((score, tense, words <= 3 && !boundary));
        }
    }
    best.map_or((Tense::Unknown, false), |(_, t, strong)| (t, strong))
}
