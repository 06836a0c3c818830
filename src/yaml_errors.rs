//! Turning the YAML parser's errors into messages a curator can act on: the
//! place in the file, the parser's words without its internal paths, and a
//! hint for the mistakes people make by hand (an unquoted colon, a tab, an
//! unclosed quote or bracket, a list item at the wrong indent, a key written twice).

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Diagnostic, Span, cut};

/// The diagnostic for a serde_yaml error in `text`, which starts after
/// `line_offset` lines of the file at `path`.
pub fn diagnose(e: &serde_yaml::Error, text: &str, path: &Path, line_offset: usize) -> Diagnostic {
    let raw = e.to_string();
    if let Some(key) = duplicate_key_name(&raw)
        && let Some(dup) = find_duplicate(text, &key)
    {
        return Diagnostic::error(
            Span::at(path, dup.second.0 + line_offset, dup.second.1),
            format!(
                "the key `{}` is written twice in one mapping: first at line {}, again here; keep one",
                cut(&dup.key),
                dup.first.0 + line_offset
            ),
        );
    }
    let place = match e.location() {
        Some(loc) => Some((loc.line(), loc.column())),
        // serde_yaml gives no place when aliases expand too far: point at the first alias.
        None => first_alias(text),
    };
    let span = match place {
        Some((line, column)) => Span::at(path, line + line_offset, column),
        None => Span::file(path),
    };
    let message = clean(&raw, line_offset);
    let lower = message.to_lowercase();
    let message = if lower.contains("repetition limit exceeded") {
        format!("{message}: the YAML expands aliases too far (an alias bomb?)")
    } else if lower.contains("recursion limit") {
        if first_alias(text).is_some() {
            format!("{message}: the YAML expands aliases too far (an alias bomb?)")
        } else {
            format!("{message}: the YAML nests lists and mappings too deep")
        }
    } else {
        let line = place.and_then(|(l, _)| text.lines().nth(l.saturating_sub(1)));
        match hint(&lower, line.unwrap_or("")) {
            Some(h) => format!("invalid YAML: {message} ({h})"),
            None => format!("invalid YAML: {message}"),
        }
    };
    Diagnostic::error(span, message)
}

/// A hint for the common mistakes, from the parser's message and the line it points at.
fn hint(lower: &str, line: &str) -> Option<String> {
    if lower.contains("tab") {
        return Some("indent with spaces: YAML does not allow tabs there".to_string());
    }
    if lower.contains("mapping values are not allowed") {
        let fix = line
            .split_once(": ")
            .filter(|(_, value)| {
                value.contains(": ") && !value.trim_start().starts_with(['"', '\''])
            })
            .map(|(key, value)| {
                let value = value.trim().replace('"', "\\\"");
                format!(": write {}: \"{}\"", key.trim(), cut(&value))
            })
            .unwrap_or_default();
        return Some(format!(
            "a value that contains `: ` must be quoted{fix}; or check the indentation"
        ));
    }
    if lower.contains("quoted scalar") {
        return Some("a quote (\" or ') is opened and never closed".to_string());
    }
    if lower.contains("flow sequence") || lower.contains("flow mapping") {
        return Some(
            "a `[` or `{` is not closed, or its items are not separated by commas".to_string(),
        );
    }
    if lower.contains("expected '-' indicator")
        || lower.contains("block sequence entries are not allowed")
        || lower.contains("did not find expected key")
        || lower.contains("block mapping")
    {
        return Some(
            "check the indentation: the `- ` items of one list, and the keys of one mapping, must start at the same column"
                .to_string(),
        );
    }
    None
}

/// serde_yaml's message without a leading internal path (`.[0]: `) and its
/// first "at line L column C" (the span carries that place); later ones,
/// which say where the construct being parsed started, are kept with lines
/// counted from the top of the file.
fn clean(raw: &str, line_offset: usize) -> String {
    let raw = strip_path(raw);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut first = true;
    while let Some(pos) = rest.find(" at line ") {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos + " at line ".len()..];
        let skipped = skip_line_column(tail);
        if !first {
            let line: usize = tail[..skipped]
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            out.push_str(&format!(" that starts at line {}", line + line_offset));
        }
        first = false;
        rest = &tail[skipped..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Drops a path such as `.[0]: ` or `[2].sources: ` before the message.
fn strip_path(raw: &str) -> &str {
    match raw.split_once(": ") {
        Some((path, rest))
            if (path.starts_with('.') || path.starts_with('['))
                && !path.contains(' ')
                && !rest.is_empty() =>
        {
            rest
        }
        _ => raw,
    }
}

/// The key of serde_yaml's "duplicate entry with key \"K\"" message.
fn duplicate_key_name(raw: &str) -> Option<String> {
    let after = raw.split_once("duplicate entry with key ")?.1;
    let quoted = after.strip_prefix('"')?;
    let end = quoted.find("\" at line").or_else(|| quoted.rfind('"'))?;
    Some(quoted[..end].replace("\\\"", "\""))
}

/// The line and column of the first alias (`*name`) in YAML text.
pub fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for (j, &b) in bytes.iter().enumerate() {
            let after_separator =
                j == 0 || matches!(bytes[j - 1], b' ' | b'[' | b',' | b'{' | b'\t');
            if b == b'*'
                && after_separator
                && bytes.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric())
            {
                return Some((i + 1, j + 1));
            }
        }
    }
    None
}

/// Length of a leading "N column M" (digits, " column ", digits).
fn skip_line_column(s: &str) -> usize {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let a = digits(s);
    let after = &s[a..];
    if let Some(rest) = after.strip_prefix(" column ") {
        a + " column ".len() + digits(rest)
    } else {
        a
    }
}

/// A key written twice in one mapping: where each is (1-based line, column).
#[derive(Debug, PartialEq, Eq)]
struct Duplicate {
    key: String,
    first: (usize, usize),
    second: (usize, usize),
}

/// Walks the text for the first key `wanted` written twice in one mapping.
fn find_duplicate(text: &str, wanted: &str) -> Option<Duplicate> {
    let mut finder = DuplicateFinder {
        wanted,
        frames: Vec::new(),
        found: None,
    };
    let _ = Parser::new_from_str(text).load(&mut finder, false);
    finder.found
}

enum Frame {
    Seq,
    Map {
        keys: HashMap<String, (usize, usize)>,
        expect_key: bool,
    },
}

struct DuplicateFinder<'a> {
    wanted: &'a str,
    frames: Vec<Frame>,
    found: Option<Duplicate>,
}

impl DuplicateFinder<'_> {
    fn node(&mut self, scalar: Option<&str>, mark: Marker) {
        let Some(Frame::Map { keys, expect_key }) = self.frames.last_mut() else {
            return;
        };
        if !*expect_key {
            *expect_key = true;
            return;
        }
        *expect_key = false;
        let Some(name) = scalar else { return };
        let here = (mark.line(), mark.col() + 1);
        match keys.get(name) {
            Some(&first) if self.found.is_none() && name == self.wanted => {
                self.found = Some(Duplicate {
                    key: name.to_string(),
                    first,
                    second: here,
                });
            }
            Some(_) => {}
            None => {
                keys.insert(name.to_string(), here);
            }
        }
    }
}

impl MarkedEventReceiver for DuplicateFinder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, ..) => self.node(Some(&text), mark),
            Event::Alias(_) => self.node(None, mark),
            Event::SequenceStart(..) => {
                self.node(None, mark);
                self.frames.push(Frame::Seq);
            }
            Event::MappingStart(..) => {
                self.node(None, mark);
                self.frames.push(Frame::Map {
                    keys: HashMap::new(),
                    expect_key: true,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.frames.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(text: &str) -> Diagnostic {
        let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        diagnose(&e, text, Path::new("a.yaml"), 0)
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let d = diag("- id: a\n  title: x\n  date: 2022\n  title: y\n");
        assert_eq!(d.span.as_ref().unwrap().line, Some(4));
        assert!(d.message.contains("`title`"), "{}", d.message);
        assert!(d.message.contains("first at line 2"), "{}", d.message);
        assert!(!d.message.contains(".[0]"), "{}", d.message);
    }

    #[test]
    fn hints_for_common_mistakes() {
        let d = diag("- id: a\n  title: War: day one\n");
        assert!(
            d.message.contains("title: \"War: day one\""),
            "{}",
            d.message
        );
        let d = diag("- id: a\n\tdate: 2022\n");
        assert!(d.message.contains("spaces"), "{}", d.message);
        let d = diag("- id: a\n  title: \"x\n");
        assert!(d.message.contains("never closed"), "{}", d.message);
        let d = diag("- id: a\n  tags: [x\n  title: y\n");
        assert!(d.message.contains("not closed"), "{}", d.message);
        let d = diag("- id: a\n  title: x\n - id: b\n");
        assert!(d.message.contains("indentation"), "{}", d.message);
    }

    #[test]
    fn strips_internal_paths() {
        assert_eq!(strip_path(".[0]: duplicate"), "duplicate");
        assert_eq!(strip_path("[1].sources: x"), "x");
        assert_eq!(strip_path("mapping values: x"), "mapping values: x");
    }
}
