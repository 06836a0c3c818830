//! Telling the parts of a raw article apart: headline, teaser or standfirst,
//! body paragraphs and sentences.
//!
//! Rules, tried in this order on the first non-empty lines:
//!
//! 1. **Duplicated headline** (the raw news shape): the first of the top six
//!    lines that comes again, word for word (case, spaces and `#` marks
//!    aside), within the next three lines is the headline. What comes before
//!    it is the teaser; the body starts after the repeat.
//! 2. **Markdown heading**, in Markdown inputs only (a `.md` file, front
//!    matter, or a first line that is a `# ` heading): a `# Title` line (or a
//!    line underlined with `===`) is the headline; what comes before it is
//!    the teaser.
//! 3. **Teaser, then headline**: a first line that reads as a sentence,
//!    followed by a line that reads as a headline (short, no final full
//!    stop) and a blank line.
//! 4. Otherwise the first non-empty line is the headline.
//!
//! With front matter, its `title` wins and a heading repeating it is dropped.
//!
//! The summary is the front matter's `summary`, else the teaser, else the
//! first one or two sentences of the standfirst (the first paragraph). The
//! body is everything after the headline, standfirst included. Markdown
//! bodies are kept as written; raw text is paragraphed as below and any mark
//! that Markdown would read as a heading, list or quote is escaped.
//!
//! Raw text (not Markdown) is paragraphed by lines: blank lines always
//! separate paragraphs, and inside a block each line is a paragraph of its
//! own, unless the block looks hard-wrapped (every line but the last between
//! 40 and 100 characters, and some of them ending mid-sentence), in which
//! case its lines are joined.

use super::front::{Front, split_front};
use super::paragraphs::{
    closing_quote, collapse, ends_sentence, escape_block_start, lead_sentences,
    markdown_paragraphs, raw_paragraphs,
};
pub use super::text_error::TextError;

/// How many non-empty lines at the top are searched for the headline.
const HEAD_LINES: usize = 6;

/// The parts of one input file.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The headline, plain text.
    pub title: String,
    /// The teaser: text before the headline, plain text.
    pub teaser: Option<String>,
    /// One or two plain-text sentences.
    pub summary: Option<String>,
    /// The Markdown body (starts with the standfirst, never with the headline).
    pub body: String,
    /// The body's paragraphs as plain text, for finding dates and names.
    pub paragraphs: Vec<String>,
    /// Fields read from Markdown front matter, if there was some.
    pub front: Option<Front>,
}

/// Reads an input's text (already normalised: no BOM, LF line ends).
/// `markdown` says the file name ends in `.md`; front matter or a leading
/// `# ` heading make a file Markdown too.
pub fn parse(text: &str, markdown: bool) -> Result<Document, TextError> {
    let (front, body) = split_front(text)?;
    let lines: Vec<&str> = body.lines().collect();
    let markdown = markdown
        || front.is_some()
        || lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| atx_heading(l).is_some());
    let front_title = front.as_ref().and_then(|f| f.title.clone());
    let layout = match &front_title {
        Some(title) => skip_repeated_title(&lines, title),
        None => find_headline(&lines, markdown)
            .ok_or_else(|| TextError::new(None, "the file has no text: nothing to import"))?,
    };
    let title = front_title.unwrap_or_else(|| layout.headline.clone());
    if title.trim().is_empty() {
        return Err(TextError::new(
            None,
            "no headline found: the first line is empty",
        ));
    }
    let rest = &lines[layout.body_start.min(lines.len())..];
    let (body, paragraphs) = if markdown {
        let body = trim_blank_lines(rest).join("\n");
        let paragraphs = markdown_paragraphs(&body);
        (body, paragraphs)
    } else {
        let paragraphs = raw_paragraphs(rest);
        let body = paragraphs
            .iter()
            .map(|p| escape_block_start(p))
            .collect::<Vec<_>>()
            .join("\n\n");
        (body, paragraphs)
    };
    let teaser = (!layout.teaser.is_empty())
        .then(|| collapse(&layout.teaser.join(" ")))
        .map(|t| {
            if markdown {
                crate::markdown::plain_text(&t)
            } else {
                t
            }
        })
        .filter(|t| !t.is_empty());
    let summary = front
        .as_ref()
        .and_then(|f| f.summary.clone())
        .or_else(|| teaser.clone())
        .or_else(|| paragraphs.first().map(|p| lead_sentences(p)));
    Ok(Document {
        title: collapse(&title),
        teaser,
        summary,
        body,
        paragraphs,
        front,
    })
}

/// Where the headline is and where the body starts, in lines.
struct Layout {
    headline: String,
    teaser: Vec<String>,
    body_start: usize,
}

fn find_headline(lines: &[&str], markdown: bool) -> Option<Layout> {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .take(HEAD_LINES + 2)
        .collect();
    let first = *filled.first()?;
    let teaser_before = |end: usize| -> Vec<String> {
        lines[..end]
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    // 1. The raw news shape: the headline is printed twice.
    for (n, &i) in filled.iter().take(HEAD_LINES).enumerate() {
        let key = same_key(lines[i]);
        if key.len() < 3 {
            continue;
        }
        if let Some(&j) = filled[n + 1..]
            .iter()
            .take(3)
            .find(|&&j| same_key(lines[j]) == key)
        {
            return Some(Layout {
                headline: heading_text(lines[i]),
                teaser: teaser_before(i),
                body_start: j + 1,
            });
        }
    }
    // 2. A Markdown heading.
    for &i in filled.iter().take(HEAD_LINES).filter(|_| markdown) {
        if let Some(h) = atx_heading(lines[i]) {
            return Some(Layout {
                headline: h.to_string(),
                teaser: teaser_before(i),
                body_start: i + 1,
            });
        }
        if lines.get(i + 1).is_some_and(|u| is_setext_rule(u)) {
            return Some(Layout {
                headline: lines[i].trim().to_string(),
                teaser: teaser_before(i),
                body_start: i + 2,
            });
        }
    }
    // 3. A teaser sentence, then a headline standing alone.
    if let [a, b, _, ..] = filled[..]
        && b == a + 1
        && ends_sentence(lines[a])
        && !looks_like_headline(lines[a])
        && looks_like_headline(lines[b])
        && lines.get(b + 1).is_some_and(|l| l.trim().is_empty())
    {
        return Some(Layout {
            headline: lines[b].trim().to_string(),
            teaser: teaser_before(b),
            body_start: b + 1,
        });
    }
    // 4. The first line.
    Some(Layout {
        headline: heading_text(lines[first]),
        teaser: Vec::new(),
        body_start: first + 1,
    })
}

/// With a title from front matter: drops a leading heading (and its repeat)
/// that only restates it.
fn skip_repeated_title(lines: &[&str], title: &str) -> Layout {
    let key = same_key(title);
    let mut start = 0;
    for _ in 0..2 {
        let Some(i) = (start..lines.len()).find(|&i| !lines[i].trim().is_empty()) else {
            break;
        };
        if same_key(lines[i]) != key {
            break;
        }
        start = i + 1;
        if lines.get(start).is_some_and(|u| is_setext_rule(u)) {
            start += 1;
        }
    }
    Layout {
        headline: title.to_string(),
        teaser: Vec::new(),
        body_start: start,
    }
}

/// A line reduced for comparison: no heading marks, folded case and spaces.
fn same_key(line: &str) -> String {
    collapse(&heading_text(line))
        .trim_end_matches('.')
        .to_lowercase()
}

/// The text of a line, without Markdown heading marks.
fn heading_text(line: &str) -> String {
    atx_heading(line).unwrap_or(line.trim()).to_string()
}

fn atx_heading(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim())
}

fn is_setext_rule(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'=')
}

/// Short, a few words, and no full stop at the end.
fn looks_like_headline(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    t.chars().count() <= 200
        && (2..=30).contains(&words)
        && !t
            .trim_end_matches(closing_quote)
            .ends_with(['.', ',', ';', ':'])
}

fn trim_blank_lines<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let start = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |e| e + 1);
    &lines[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: &str = "A short teaser sentence that sums the story up for a feed.\n\
        Leaders Meet in Geneva for Talks\n\
        \n\
        Leaders Meet in Geneva for Talks\n\
        The standfirst says what the meeting is about in one sentence.\n\
        The first paragraph of the body is long enough to look like a real paragraph of news text, with details.\n\
        The second paragraph follows on its own line, as raw news text does, and ends with a full stop.\n";

    #[test]
    fn headline_layouts() {
        // (input, markdown, title, teaser, body starts with)
        let cases: &[(&str, bool, &str, Option<&str>, &str)] = &[
            (
                SHAPE,
                false,
                "Leaders Meet in Geneva for Talks",
                Some("A short teaser sentence that sums the story up for a feed."),
                "The standfirst says",
            ),
            (
                "Leaders Meet in Geneva\n\nThe standfirst.\n\nThe body.\n",
                false,
                "Leaders Meet in Geneva",
                None,
                "The standfirst.",
            ),
            (
                "# Leaders Meet in Geneva\n\nThe standfirst, in *Markdown*.\n\nThe body.\n",
                false,
                "Leaders Meet in Geneva",
                None,
                "The standfirst, in *Markdown*.",
            ),
            (
                "---\ntitle: From Front Matter\nsummary: Given.\n---\n# From Front Matter\n\nBody text.\n",
                true,
                "From Front Matter",
                None,
                "Body text.",
            ),
            (
                "A teaser that reads as one complete sentence of a news feed.\nLeaders Meet in Geneva\n\nThe standfirst.\nThe body.\n",
                false,
                "Leaders Meet in Geneva",
                Some("A teaser that reads as one complete sentence of a news feed."),
                "The standfirst.",
            ),
            (
                "Leaders Meet in Geneva\n===\n\nBody.\n",
                true,
                "Leaders Meet in Geneva",
                None,
                "Body.",
            ),
        ];
        for (input, md, title, teaser, body) in cases {
            let doc = parse(input, *md).unwrap();
            assert_eq!(doc.title, *title, "{input}");
            assert_eq!(doc.teaser.as_deref(), *teaser, "{input}");
            assert!(
                doc.body.starts_with(body),
                "{input}\n--- body:\n{}",
                doc.body
            );
            assert!(
                !doc.body.contains(title),
                "headline repeated in body: {}",
                doc.body
            );
        }
    }

    #[test]
    fn summary_prefers_teaser_then_standfirst() {
        let doc = parse(SHAPE, false).unwrap();
        assert_eq!(
            doc.summary.as_deref(),
            Some("A short teaser sentence that sums the story up for a feed.")
        );
        assert_eq!(doc.paragraphs.len(), 3);
        let plain = parse("Title Here\n\nOne. Two. Three. Four.\n\nMore.\n", false).unwrap();
        assert_eq!(plain.summary.as_deref(), Some("One. Two."));
        let front = parse("---\ntitle: T\nsummary: Given.\n---\nBody.\n", true).unwrap();
        assert_eq!(front.summary.as_deref(), Some("Given."));
    }

    #[test]
    fn empty_and_bad_front_matter() {
        assert!(parse("\n  \n", false).is_err());
        let bad = parse("---\ntitle: [\n---\nBody\n", true).unwrap_err();
        // The YAML parser stops where the open list should have closed.
        assert_eq!(bad.line, Some(3));
        assert!(parse("---\ntitle: x\n", true).is_err());
    }
}
