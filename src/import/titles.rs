//! Drafted titles: the event noun nearest to a date mention and the words
//! describing it, or else the clause around the mention.

use std::ops::Range;

use super::dates;
use super::dates::Mention;
use super::words::Token;

/// Event nouns a title is built around.
#[rustfmt::skip]
const EVENT_NOUNS: &[&str] = &[
    "meeting", "meetings", "talks", "summit", "call", "visit", "trip", "invasion", "attack",
    "attacks", "strike", "strikes", "offensive", "counteroffensive", "counter-offensive",
    "incursion", "exchange", "swap", "agreement", "deal", "accord", "ceasefire", "truce",
    "election", "elections", "referendum", "annexation", "vote", "conference", "negotiations",
    "speech", "address", "interview", "announcement", "statement", "sanctions", "signing", "treaty",
    "memorandum", "withdrawal", "bombardment", "shelling", "explosion", "assault", "capture",
    "siege", "massacre", "crash", "mutiny", "resignation", "inauguration", "encounter",
    "discussions", "hearing", "session", "ruling", "verdict", "operation", "raid", "blast",
    "protest", "protests", "rally", "parade", "ultimatum", "round", "handover", "release",
    "dialogue", "row", "quarrel", "dispute", "clash", "breakthrough", "launch", "coup", "uprising",
];
/// Words that end a title's noun phrase on the left.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "their", "his", "her", "its", "our", "your",
    "my", "whose", "which", "what", "some", "any", "each", "every", "no", "another", "of", "in",
    "on", "at", "to", "for", "with", "by", "from", "since", "during", "after", "before", "about",
    "over", "under", "between", "into", "against", "among", "and", "or", "but", "as", "while",
    "where", "when", "is", "are", "was", "were", "be", "been", "will", "would", "previous", "last",
    "next", "upcoming", "recent", "latest", "first", "second", "third", "new", "held", "planned",
    "scheduled", "expected", "it", "they", "he", "she", "we",
];
/// Verbs of reporting: in "X said that Y", the title is Y.
#[rustfmt::skip]
const SAYING: &[&str] = &[
    "said", "says", "told", "announced", "reported", "revealed", "confirmed", "claimed", "stated",
];
/// Words that open a subordinate clause, where a title stops.
#[rustfmt::skip]
const SUBORDINATE: &[&str] = &[
    "that", "which", "who", "whom", "whose", "where", "when", "because", "while", "although",
    "though", "after", "before", "as", "to", "so", "if", "since", "until", "but",
];
/// Words a drafted title should not start or end with.
#[rustfmt::skip]
const LOOSE: &[&str] = &[
    "and", "but", "while", "where", "which", "as", "that", "however", "meanwhile", "so", "then",
    "there", "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "by", "from", "since",
    "during", "after", "before", "around", "also", "when", "who", "their", "his", "her", "its",
    "our",
];

pub fn is_event_noun(t: &Token<'_>) -> bool {
    t.word && EVENT_NOUNS.contains(&t.bare().to_lowercase().as_str())
}

/// "White House meeting", "Virtual summit": the event noun nearest to a mention.
/// A bare noun takes a place as qualifier: `place(sentence, bytes)` gives
/// the place named in that part of the sentence (or the draft's context).
pub fn noun_title(
    mentions: &[(usize, Mention)],
    tokens: &[Vec<Token<'_>>],
    place: impl Fn(usize, Range<usize>) -> Option<String>,
) -> Option<String> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (s, m) in mentions {
        let toks = &tokens[*s];
        for j in (0..toks.len()).filter(|&j| is_event_noun(&toks[j]) && !m.tokens.contains(&j)) {
            let between = if j < m.tokens.start {
                j + 1..m.tokens.start
            } else {
                m.tokens.end..j
            };
            if toks[between.clone()].iter().any(Token::is_boundary) {
                continue;
            }
            let distance = toks[between].iter().filter(|t| t.word).count();
            // Before the mention, the noun it dates ("a summit held on
            // Sunday"); after it, only the noun it qualifies ("the Monday
            // meeting"), not a later object ("... to press for a truce").
            let reach = if j < m.tokens.start { 5 } else { 1 };
            if distance <= reach && best.is_none_or(|(d, ..)| distance < d) {
                best = Some((distance, *s, j));
            }
        }
    }
    let (_, s, j) = best?;
    let toks = &tokens[s];
    let mut words: Vec<&str> = Vec::new();
    for t in toks[..j].iter().rev() {
        let lower = t.text.to_lowercase();
        let temporal = t.text.chars().next().is_some_and(|c| c.is_ascii_digit())
            || dates::is_date_word(t.bare());
        if !t.word
            || t.possessive()
            || temporal
            || STOP.contains(&lower.as_str())
            || words.len() == 3
        {
            break;
        }
        words.push(t.text);
    }
    words.reverse();
    let noun = toks[j].bare();
    let clause = clause_bounds(toks, j..j + 1);
    let bytes = toks[clause.start].start..toks[clause.end - 1].end;
    let phrase = match (words.is_empty(), place(s, bytes)) {
        (true, Some(place)) => format!("{place} {noun}"),
        _ => {
            words.push(noun);
            words.join(" ")
        }
    };
    Some(sentence_case(&phrase))
}

/// The clause around a mention, without the mention: a title of last resort.
/// "X said that Y" gives Y; a subordinate clause after the third word is
/// cut ("... to go through a draft"), but not an idiom ("face to face").
pub fn clause_title(sentence: &str, toks: &[Token<'_>], mention: &Range<usize>) -> String {
    let Range { start, end } = clause_bounds(toks, mention.clone());
    let mut keep: Vec<usize> = (start..end).filter(|i| !mention.contains(i)).collect();
    // The preposition that introduced the date goes with it.
    if mention.start > start
        && let Some(pos) = keep.iter().position(|&i| i == mention.start - 1)
        && toks[mention.start - 1].is_any(&[
            "on", "in", "at", "since", "by", "during", "until", "from", "of", "around", "before",
            "after",
        ])
    {
        keep.remove(pos);
    }
    trim_loose(toks, &mut keep);
    // "X said that Y": Y is the event.
    if let Some(pos) = keep.iter().take(7).position(|&i| toks[i].is_any(SAYING)) {
        let rest = keep.split_off(pos + 1);
        keep = rest;
        if keep.first().is_some_and(|&i| toks[i].is("that")) {
            keep.remove(0);
        }
    }
    // At most ten words, and no subordinate clause after the third.
    let mut seen = 0;
    let cut = keep.iter().position(|&i| {
        seen += usize::from(toks[i].word);
        let idiom = |i: usize| i > 0 && toks.get(i + 1).is_some_and(|n| n.text == toks[i - 1].text);
        seen > 10 || seen > 3 && toks[i].is_any(SUBORDINATE) && !idiom(i)
    });
    keep.truncate(cut.unwrap_or(keep.len()));
    trim_loose(toks, &mut keep);
    let mut out = String::new();
    let mut prev: Option<usize> = None;
    for &i in &keep {
        if let Some(p) = prev {
            let adjacent = p + 1 == i && toks[p].end == toks[i].start;
            if !adjacent {
                out.push(' ');
            }
        }
        out.push_str(toks[i].text);
        prev = Some(i);
    }
    if out.is_empty() {
        out = sentence.trim_end_matches(['.', '!', '?']).to_string();
    }
    sentence_case(&out)
}

/// The tokens of the clause around `inner`: between the nearest clause
/// boundaries (commas, semicolons, dashes, brackets, quotes) on either side.
fn clause_bounds(toks: &[Token<'_>], inner: Range<usize>) -> Range<usize> {
    let start = toks[..inner.start]
        .iter()
        .rposition(Token::is_boundary)
        .map_or(0, |b| b + 1);
    let end = toks[inner.end..]
        .iter()
        .position(Token::is_boundary)
        .map_or(toks.len(), |b| inner.end + b);
    start..end
}

/// Drops punctuation and loose words from both ends of a title.
fn trim_loose(toks: &[Token<'_>], keep: &mut Vec<usize>) {
    let loose = |i: &usize| !toks[*i].word || toks[*i].is_any(LOOSE);
    while keep.last().is_some_and(loose) {
        keep.pop();
    }
    let lead = keep.iter().take_while(|i| loose(i)).count();
    keep.drain(..lead);
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
