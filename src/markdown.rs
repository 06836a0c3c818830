//! Markdown in one place: pulldown-cmark's options, links made relative to
//! the page, and sanitising of raw HTML.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Markdown rendered for one page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Internal link targets, relative to the site root (`events/x/`), each
    /// with the line (0-based, within the Markdown) it is written on, to check.
    pub internal_links: Vec<(String, usize)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown for a page at `page_path` (`events/x/`), whose way back
/// to the site root is `root` (`../../`). Links written from the site root
/// (`/events/y/`) are made relative, so the output works under any path.
pub fn to_html(markdown: &str, page_path: &str, root: &str, allow_raw_html: bool) -> Rendered {
    let mut internal_links = Vec::new();
    let mut has_raw_html = false;
    let line_of = |offset: usize| markdown[..offset.min(markdown.len())].matches('\n').count();
    let mut rewrite = |dest: &CowStr<'_>, offset: usize| -> String {
        let mut found = Vec::new();
        let url = rewrite_url(dest, page_path, root, allow_raw_html, &mut found).to_string();
        internal_links.extend(found.into_iter().map(|l| (l, line_of(offset))));
        url
    };
    let events = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(rewrite(&dest_url, range.start)),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(rewrite(&dest_url, range.start)),
                title,
                id,
            }),
            other => other,
        });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if has_raw_html && !allow_raw_html {
        out = SANITISER.clean(&out).to_string();
    }
    Rendered {
        html: out,
        internal_links,
    }
}

/// The sanitiser for raw HTML: ammonia's safe defaults, keeping the
/// attributes pulldown-cmark itself writes (footnote ids, classes, alignment).
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect());
    b
});

/// Makes a link safe and portable: `javascript:` and other script-capable
/// schemes are dropped; a link from the site root becomes relative to the page.
fn rewrite_url<'a>(
    dest: &CowStr<'a>,
    page_path: &str,
    root: &str,
    allow_raw_html: bool,
    internal: &mut Vec<String>,
) -> CowStr<'a> {
    let url = dest.trim();
    if let Some(scheme) = scheme(url) {
        let safe = matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel");
        return if safe || allow_raw_html {
            dest.clone()
        } else {
            CowStr::Borrowed("#")
        };
    }
    if url.starts_with("//") || url.starts_with('#') || url.is_empty() {
        return dest.clone();
    }
    if let Some(site_path) = url.strip_prefix('/') {
        internal.push(strip_suffix(site_path).to_string());
        return CowStr::from(format!("{root}{site_path}"));
    }
    internal.push(resolve(page_path, strip_suffix(url)));
    dest.clone()
}

/// The scheme of an absolute URL, lower-cased (`None` for relative links).
/// Browsers ignore whitespace and control characters inside a scheme
/// ("java\tscript:"), so they are ignored here too.
fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let before = &url[..colon];
    if before.contains(['/', '?', '#']) {
        return None;
    }
    let squeezed: String = before
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    (!squeezed.is_empty()).then(|| squeezed.to_ascii_lowercase())
}

fn strip_suffix(url: &str) -> &str {
    let end = url.find(['#', '?']).unwrap_or(url.len());
    &url[..end]
}

/// Resolves a relative link against a page folder, giving a site-root path.
pub fn resolve(page_path: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page_path.split('/').filter(|p| !p.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The text of Markdown without its markup, whitespace folded: for
/// excerpts, meta descriptions and search.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `text`, cut at a word and ended with "…".
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_extensions() {
        let r = to_html(
            "a ~~b~~ \"c\"\n\n| x |\n|---|\n| 1 |\n\nnote[^1]\n\n[^1]: here\n",
            "events/e/",
            "../../",
            false,
        );
        assert!(r.html.contains("<del>b</del>"), "{}", r.html);
        assert!(r.html.contains("“c”"), "{}", r.html);
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("footnote"), "{}", r.html);
    }

    #[test]
    fn sanitises_raw_html() {
        let r = to_html(
            "hi <script>alert(1)</script> <b onclick=\"x()\">b</b>\n\n<iframe src=\"https://e.org\"></iframe>\n",
            "a/",
            "../",
            false,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        assert!(r.html.contains("<b>b</b>"), "{}", r.html);
        let kept = to_html("<b onclick=\"x()\">b</b>", "a/", "../", true);
        assert!(kept.html.contains("onclick"));
    }

    #[test]
    fn drops_script_links() {
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let r = to_html(&format!("[x]({bad})"), "a/", "../", false);
            assert!(r.html.contains("href=\"#\""), "{bad}: {}", r.html);
        }
        let ok = to_html("[x](https://e.org/a)", "a/", "../", false);
        assert!(ok.html.contains("href=\"https://e.org/a\""));
    }

    #[test]
    fn makes_site_links_relative() {
        let r = to_html(
            "[a](/events/minsk-ii/) [b](../other/#x)",
            "events/e/",
            "../../",
            false,
        );
        assert!(
            r.html.contains("href=\"../../events/minsk-ii/\""),
            "{}",
            r.html
        );
        assert_eq!(
            r.internal_links,
            [
                ("events/minsk-ii/".to_string(), 0),
                ("events/other/".to_string(), 0)
            ]
        );
        let lines = to_html("a\n\nb [c](/x/)\n\n[d](/y/)", "a/", "../", false);
        assert_eq!(lines.internal_links[1], ("y/".to_string(), 4));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("events/e/", "../f/"), "events/f/");
        assert_eq!(resolve("events/e/", "../../about/"), "about/");
        assert_eq!(resolve("about/", "img.png"), "about/img.png");
    }

    #[test]
    fn plain_text_and_excerpt() {
        assert_eq!(
            plain_text("**Bold** and [link](x).\n\nNext"),
            "Bold and link. Next"
        );
        assert_eq!(excerpt("one two three", 100), "one two three");
        assert_eq!(excerpt("one two three", 9), "one two…");
    }
}
