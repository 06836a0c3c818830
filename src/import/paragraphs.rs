//! Paragraphs and sentences: raw text paragraphed by lines, Markdown read
//! for its text, paragraphs split into sentences.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub fn closing_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | '»')
}

/// True when a line ends like a sentence: `.`, `!` or `?`, maybe in quotes.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(closing_quote)
        .ends_with(['.', '!', '?', '…'])
}

pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain-text paragraphs of raw text (see the module docs).
pub fn raw_paragraphs(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for block in lines.split(|l| l.trim().is_empty()) {
        if block.is_empty() {
            continue;
        }
        if is_hard_wrapped(block) {
            out.push(collapse(&block.join(" ")));
        } else {
            out.extend(block.iter().map(|l| collapse(l)));
        }
    }
    out
}

fn is_hard_wrapped(block: &[&str]) -> bool {
    let Some((_, inner)) = block.split_last() else {
        return false;
    };
    !inner.is_empty()
        && inner
            .iter()
            .all(|l| (40..=100).contains(&l.trim().chars().count()))
        && inner.iter().any(|l| !ends_sentence(l))
}

/// A backslash before marks that would turn a raw paragraph into a heading,
/// quote, list or rule in Markdown.
pub fn escape_block_start(paragraph: &str) -> String {
    let digits = paragraph.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && paragraph[digits..].starts_with(['.', ')']) {
        let (n, rest) = paragraph.split_at(digits);
        return format!("{n}\\{rest}");
    }
    if paragraph.starts_with(['#', '>', '-', '+', '*', '=', '|', '<', '`', '~', '_']) {
        format!("\\{paragraph}")
    } else {
        paragraph.to_string()
    }
}

/// Plain-text paragraphs (and list items, quotes, headings) of Markdown.
pub fn markdown_paragraphs(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Item)
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                let p = collapse(&current);
                if !p.is_empty() {
                    out.push(p);
                }
                current.clear();
            }
            _ => {}
        }
    }
    let p = collapse(&current);
    if !p.is_empty() {
        out.push(p);
    }
    out
}

/// The first sentence of a paragraph, and the second too while short.
pub fn lead_sentences(paragraph: &str) -> String {
    let all = sentences(paragraph);
    let mut out = String::new();
    for s in all.iter().take(2) {
        if !out.is_empty() && out.len() + s.len() > 300 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// Words after which a full stop does not end a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "sr", "jr", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
    "gov", "sen", "rep", "prof", "rev", "hon", "pres", "no", "nos", "vs", "etc", "al", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "co", "corp", "inc", "ltd", "bros", "dept", "govt", "est",
];

/// Splits a paragraph into sentences: a `.`, `!` or `?` (and any closing
/// quotes) followed by a space and a capital, a digit or an opening quote,
/// except after an abbreviation (`Feb.`, `Mr.`) or an initial (`U.S.`, `J.`).
pub fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if !matches!(c, '.' | '!' | '?' | '…') {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        while e < chars.len()
            && (closing_quote(chars[e].1) || matches!(chars[e].1, '.' | '!' | '?'))
        {
            e += 1;
        }
        let spaced = e < chars.len() && chars[e].1.is_whitespace();
        let next = chars[e..]
            .iter()
            .map(|&(_, c)| c)
            .find(|c| !c.is_whitespace());
        let opens = next.is_some_and(|n| {
            n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '‘' | '\'' | '(')
        });
        if spaced && opens && !(c == '.' && is_abbreviation(&paragraph[start..i])) {
            let end = chars.get(e).map_or(paragraph.len(), |&(p, _)| p);
            push_trimmed(&mut out, &paragraph[start..end]);
            start = end;
        }
        k = e;
    }
    push_trimmed(&mut out, &paragraph[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// True when the text before a full stop ends in an abbreviation or initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let last = word.rsplit('.').next().unwrap_or(word);
    let single_letter = last.chars().count() == 1 && last.chars().all(char::is_alphabetic);
    single_letter || word.contains('.') || ABBREVIATIONS.contains(&last.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::parse;

    #[test]
    fn paragraphs_by_line_or_wrapped() {
        let wrapped = "Title Line\n\nThis paragraph was wrapped by an editor at a fixed\nwidth, so its lines end in the middle of a sentence\nand must be joined.\n\nNext.\n";
        let doc = parse(wrapped, false).unwrap();
        assert_eq!(doc.paragraphs.len(), 2, "{:?}", doc.paragraphs);
        assert!(doc.paragraphs[0].contains("fixed width"));
        let per_line = "Title Line\nShort one.\nShort two.\n";
        assert_eq!(
            parse(per_line, false).unwrap().paragraphs,
            ["Short one.", "Short two."]
        );
    }

    #[test]
    fn escapes_markdown_in_raw_text() {
        let doc = parse("Title Line\n\n# not a heading\n1. not a list\n", false).unwrap();
        assert_eq!(doc.body, "\\# not a heading\n\n1\\. not a list");
    }

    #[test]
    fn splits_sentences() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            (
                "The U.S. President spoke. Then he left.",
                &["The U.S. President spoke.", "Then he left."],
            ),
            (
                "On Feb. 24 it began. \"Quote.\" Done!",
                &["On Feb. 24 it began.", "\"Quote.\"", "Done!"],
            ),
            (
                "J. D. Vance met Mr. Smith on Monday.",
                &["J. D. Vance met Mr. Smith on Monday."],
            ),
            (
                "It rose 2.5 per cent. Then fell.",
                &["It rose 2.5 per cent.", "Then fell."],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(sentences(input), *want, "{input}");
        }
    }
}
