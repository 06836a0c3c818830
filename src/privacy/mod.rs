//! Zero third parties, checked: every resource a published page would
//! fetch from another origin (script, stylesheet, font, image, frame,
//! media, `fetch` in a script, CSS `url()` and `@import`, a Markdown
//! image), found in the site's templates, static files and content, with
//! the file and line. A warning, or an error under `privacy: strict`. Links
//! (`<a href>`), the opt-in map tiles of site.yaml and the click-to-load
//! media of `media:` are not fetched by the page and are not reported.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Span};

/// One resource from another origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Line, from 1.
    pub line: usize,
    /// Column (characters, from 1) where its address starts.
    pub column: usize,
    /// What kind of resource ("stylesheet", "web font", "script", ...).
    pub kind: &'static str,
    /// The other origin's host.
    pub host: String,
}

/// Folders of the site scanned, and the file endings read in each.
const SCANNED: [(&str, &[&str]); 3] = [
    ("templates", &["html", "htm", "xml", "svg"]),
    ("static", &["html", "htm", "css", "js", "mjs", "svg", "xml"]),
    ("content", &["md", "markdown", "yaml", "yml"]),
];

/// What the Markdown sanitiser removes from content (unless
/// `allow_raw_html`): never fetched, so not reported there.
const SANITISED: [&str; 4] = ["script", "frame", "embedded object", "script (import)"];

/// Scans the site at `root`; findings go to `diags` (errors when `strict`).
pub fn check(root: &Path, strict: bool, raw_html: bool, diags: &mut Diagnostics) {
    // Every file read and scanned on every core, then reported in order.
    let files = scanned(root);
    let found: Vec<Option<Vec<Finding>>> = files
        .par_iter()
        .map(|(rel, _)| {
            std::fs::read_to_string(root.join(rel))
                .ok()
                .map(|text| scan(&text))
        })
        .collect();
    for ((rel, dir), found) in files.iter().zip(found) {
        // Unreadable files are reported by the stage that reads them.
        if let Some(found) = found {
            report(rel, dir, &found, strict, raw_html, diags);
        }
    }
}

/// The files scanned (relative to `root`), each with its folder, in order.
pub fn scanned(root: &Path) -> Vec<(PathBuf, &'static str)> {
    SCANNED
        .iter()
        .flat_map(|(dir, endings)| files(root, dir, endings).into_iter().map(|f| (f, *dir)))
        .collect()
}

/// The problems of what was `found` in the file at `rel`, of folder `dir`.
pub fn report(
    rel: &Path,
    dir: &str,
    found: &[Finding],
    strict: bool,
    raw_html: bool,
    diags: &mut Diagnostics,
) {
    let sanitised = dir == "content" && !raw_html;
    for f in found {
        if sanitised && SANITISED.contains(&f.kind) {
            continue;
        }
        let span = Span::at(rel, f.line, f.column);
        let message = format!(
            "loads {} {} from {} (another origin): every reader's browser would contact it; serve it from the site instead{}",
            if f.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
            f.kind,
            f.host,
            if strict {
                " (`privacy: strict` in site.yaml)"
            } else {
                " (`privacy: strict` in site.yaml makes this an error)"
            }
        );
        diags.push(if strict {
            Diagnostic::error(span, message)
        } else {
            Diagnostic::warning(span, message)
        });
    }
}

fn files(root: &Path, dir: &str, endings: &[&str]) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(&base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            !crate::source::is_ignored_name(&name)
                && endings.iter().any(|x| name.ends_with(&format!(".{x}")))
        })
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    out.sort();
    out
}

/// Every resource from another origin the text would make a page fetch.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    // A tag may span lines: the last `<tag` seen is carried over.
    let mut open_tag = String::new();
    // Only the lines with a `<`, `>` or `/` are looked at: a line without
    // them holds no address and neither opens nor closes a tag (most lines
    // of content). Lines are those of `str::lines`, numbered from 1.
    let bytes = text.as_bytes();
    let (mut from, mut line_no, mut counted_to) = (0, 1, 0);
    while let Some(off) = memchr::memchr3(b'<', b'>', b'/', &bytes[from..]) {
        let hit = from + off;
        let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |p| p + 1);
        line_no += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
        counted_to = start;
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |p| hit + p);
        let line = &text[start..end];
        let line = if end < bytes.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        };
        scan_line(line_no, line, &mut open_tag, &mut out);
        if end >= bytes.len() {
            break;
        }
        from = end + 1;
    }
    out
}

/// The findings of line `line_no` (from 1), with the tag left open by the
/// lines before it (updated for the lines after).
fn scan_line(line_no: usize, line: &str, open_tag: &mut String, out: &mut Vec<Finding>) {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = next_url(&lower, from) {
        // Past this address's `//`, so that the next search moves on.
        from = at + lower[at..].find("//").map_or(2, |i| i + 2);
        let before = &lower[..at];
        if let Some(tag) = last_tag(before) {
            *open_tag = tag;
        }
        let Some(kind) = classify(before, &lower[at..], open_tag) else {
            continue;
        };
        let host: String = lower[at..]
            .trim_start_matches("https:")
            .trim_start_matches("http:")
            .trim_start_matches("//")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            .collect();
        if host.is_empty() {
            continue;
        }
        out.push(Finding {
            line: line_no,
            column: line[..at].chars().count() + 1,
            kind,
            host,
        });
    }
    if let Some(tag) = last_tag(&lower) {
        *open_tag = tag;
    }
    if let Some(close) = lower.rfind('>')
        && lower[close..].find('<').is_none()
        && lower.rfind('<').is_none_or(|o| o < close)
    {
        open_tag.clear();
    }
}

/// Where the next absolute or protocol-relative address starts.
fn next_url(lower: &str, from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(pos) = lower.get(i..)?.find("//") {
        let at = i + pos;
        let start = if lower[..at].ends_with("https:") {
            at - 6
        } else if lower[..at].ends_with("http:") {
            at - 5
        } else {
            at
        };
        let prev = lower[..start].chars().last();
        // Protocol-relative addresses follow a quote, `(` or `=`; other
        // `//` are comments or paths.
        if start < at || matches!(prev, Some('"' | '\'' | '(' | '=' | '`')) {
            return Some(start);
        }
        i = at + 2;
    }
    None
}

/// The name of the last tag opened in `before` (`<link ...` gives "link ...").
fn last_tag(before: &str) -> Option<String> {
    let open = before.rfind('<')?;
    if before[open..].contains('>') {
        return None;
    }
    Some(before[open + 1..].to_string())
}

fn classify(before: &str, url: &str, tag: &str) -> Option<&'static str> {
    let b = before.trim_end_matches(['"', '\'', '`', ' ']);
    let font = url.contains("font")
        || [".woff", ".ttf", ".otf", ".eot"]
            .iter()
            .any(|e| url.contains(e));
    if b.ends_with("url(") {
        let line_before = before;
        return Some(if line_before.contains("@import") {
            "stylesheet (@import)"
        } else if font || line_before.contains("src:") {
            "web font"
        } else {
            "image (CSS url())"
        });
    }
    if b.ends_with("@import") {
        return Some("stylesheet (@import)");
    }
    for (call, kind) in [
        ("fetch(", "script request (fetch)"),
        ("importscripts(", "script"),
        ("import(", "script (import)"),
        (" from", "script (import)"),
        ("websocket(", "connection (WebSocket)"),
        ("eventsource(", "connection (EventSource)"),
        ("sendbeacon(", "beacon (sendBeacon)"),
    ] {
        if b.ends_with(call) {
            return Some(kind);
        }
    }
    if b.ends_with("](") {
        // `![alt](url)`: a Markdown image; `[text](url)` is a link.
        let open = b.rfind('[')?;
        return b[..open].ends_with('!').then_some("image (Markdown)");
    }
    let attr = [
        "src=",
        "srcset=",
        "poster=",
        "data=",
        "href=",
        "xlink:href=",
        "background=",
    ]
    .iter()
    .find(|a| b.ends_with(**a))?;
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let kind = match (name.as_str(), *attr) {
        ("a" | "area" | "base" | "form", _) => return None,
        ("link", _) => {
            let passive = [
                "alternate",
                "canonical",
                "author",
                "license",
                "me",
                "next",
                "prev",
                "search",
                "help",
            ];
            let rel = tag
                .split("rel=")
                .nth(1)
                .unwrap_or("")
                .trim_start_matches(['"', '\'']);
            let rel: String = rel
                .chars()
                .take_while(|c| c.is_ascii_alphabetic() || *c == '-' || *c == ' ')
                .collect();
            if rel.is_empty() || rel.split(' ').all(|r| passive.contains(&r)) {
                return None;
            }
            if font {
                "web font (stylesheet)"
            } else if rel.contains("stylesheet") {
                "stylesheet"
            } else if rel.contains("icon") {
                "icon"
            } else {
                "resource (<link rel>)"
            }
        }
        ("script", _) => "script",
        ("iframe" | "frame", _) => "frame",
        ("img" | "image" | "use" | "input" | "picture" | "svg", _) => "image",
        ("video" | "audio" | "source" | "track", _) => "media file",
        ("embed" | "object", _) => "embedded object",
        (_, "href=") => return None,
        _ => "resource",
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, &'static str, String)> {
        scan(text)
            .into_iter()
            .map(|f| (f.line, f.kind, f.host))
            .collect()
    }

    /// Every line looked at, as `scan` was first written.
    fn scan_every_line(text: &str) -> Vec<Finding> {
        let (mut out, mut open_tag) = (Vec::new(), String::new());
        for (i, line) in text.lines().enumerate() {
            scan_line(i + 1, line, &mut open_tag, &mut out);
        }
        out
    }

    #[test]
    fn passing_over_lines_without_tags_or_slashes_finds_the_same() {
        let texts = [
            "<img\n  alt='x'\n\n  src=\"https://a.example/x.png\">\n<p>after</p> ![m](https://b.example/y.png)\n",
            "no newline at the end <script src=//c.example/z.js>",
            "crlf\r\n<link\r\n\r\n href=\"https://d.example/s.css\" rel=stylesheet>\r\n",
            "a bare return at the end <img src=\"https://e.example/1.png\">\r",
            "\n\n\n- url: https://f.example/news\n  title: Київ — «https://g.example»\n<video>\n\n<source src=\"https://h.example/v.mp4\">\n</video>\n",
            "",
            "/",
            "\n<\n>\n",
        ];
        for text in texts {
            assert_eq!(scan(text), scan_every_line(text), "{text:?}");
        }
        assert_eq!(kinds(texts[0]).len(), 2);
        assert!(
            scan(texts[4]).iter().any(|f| f.line == 8),
            "{:?}",
            scan(texts[4])
        );
    }

    #[test]
    fn finds_fetched_resources() {
        let html = "<head>\n<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2?family=Inter\">\n<script src=\"//cdn.example.net/x.js\"></script>\n<img src='https://img.example.org/a.png' alt=''>\n<iframe\n  src=\"https://www.youtube.com/embed/x\"></iframe>\n";
        assert_eq!(
            kinds(html),
            vec![
                (
                    2,
                    "web font (stylesheet)",
                    "fonts.googleapis.com".to_string()
                ),
                (3, "script", "cdn.example.net".to_string()),
                (4, "image", "img.example.org".to_string()),
                (6, "frame", "www.youtube.com".to_string()),
            ]
        );
    }

    #[test]
    fn css_and_scripts() {
        let css = "@import url(\"https://a.example/x.css\");\n@font-face{src:url(https://b.example/f.woff2)}\n.x{background:url('//c.example/i.png')}\n";
        assert_eq!(
            kinds(css).iter().map(|k| k.1).collect::<Vec<_>>(),
            vec!["stylesheet (@import)", "web font", "image (CSS url())"]
        );
        let js =
            "fetch(\"https://api.example/x\").then(r => r)\n// see https://docs.example/ for why\n";
        assert_eq!(kinds(js).len(), 1);
        assert_eq!(kinds(js)[0].1, "script request (fetch)");
    }

    #[test]
    fn links_are_not_fetches() {
        let text = "<a href=\"https://example.org/\">x</a>\n<link rel=\"canonical\" href=\"https://example.org/\">\n[a link](https://example.org/)\n![a picture](https://example.org/p.png)\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";
        assert_eq!(
            kinds(text),
            vec![(4, "image (Markdown)", "example.org".to_string())]
        );
    }
}
