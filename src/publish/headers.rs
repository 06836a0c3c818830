//! What a static host should send along with the files: `robots.txt`, and a
//! `_headers` file (the format Netlify and Cloudflare Pages read) with the
//! security headers the built-in theme is written to satisfy.

/// The Content-Security-Policy of the built-in theme. The theme loads its
/// own stylesheet and script, has no inline script or style (JSON-LD data
/// blocks are not executed, so `script-src` does not apply to them) and no
/// style attributes; images are the site's own or `data:` URLs. Frames and
/// media from elsewhere are the click-to-load players of `media:` (YouTube's
/// privacy-enhanced player, Vimeo's, a video file), loaded only when the
/// reader asks. A site that opts in to map `tiles` adds their host to
/// `img-src` in its own headers.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; media-src 'self' https:";

/// The `frame-ancestors` source list of the origins allowed to frame the
/// site (`embed: {allow: [...]}` in site.yaml): `'none'` when there is none.
pub fn frame_ancestors(allow: &[String]) -> String {
    if allow.is_empty() {
        "'none'".to_string()
    } else if allow.iter().any(|a| a == "*") {
        "*".to_string()
    } else {
        let mut out = String::from("'self'");
        for origin in allow {
            out.push(' ');
            out.push_str(origin);
        }
        out
    }
}

/// The theme's policy, with the given framing origins.
pub fn content_security_policy(allow: &[String]) -> String {
    CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'",
        &format!("frame-ancestors {}", frame_ancestors(allow)),
    )
}

/// The headers sent with every file of a site framed by `allow`:
/// [`SECURITY_HEADERS`] with its policy's `frame-ancestors`, and without
/// `X-Frame-Options` once some origin may frame it (that header cannot name
/// origins, and would refuse them in browsers that read it first).
pub fn security_headers(allow: &[String]) -> Vec<(&'static str, String)> {
    SECURITY_HEADERS
        .iter()
        .filter(|(name, _)| allow.is_empty() || *name != "X-Frame-Options")
        .map(|(name, value)| {
            if *name == "Content-Security-Policy" {
                (*name, content_security_policy(allow))
            } else {
                (*name, value.to_string())
            }
        })
        .collect()
}

/// Every header sent with every file, in `_headers` order (no site may frame it).
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    // A reader of a conflict timeline should not tell the sites it cites
    // which page they came from.
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
];

/// The cache header of a fingerprinted file: its name changes whenever its
/// content does, so it can be kept for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `robots.txt`: everything may be crawled; the sitemap is named by its
/// absolute URL, as the format requires.
pub fn robots_txt(base_url: &str) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n").into_bytes()
}

/// `_headers`: the security headers for every path, and a long cache
/// lifetime for each fingerprinted file (see [`is_fingerprinted`]).
pub fn headers_file<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    embed_allow: &[String],
) -> Vec<u8> {
    let mut out = String::from(
        "# Headers for static hosts that read this file (Netlify, Cloudflare Pages).\n\
         # Written by annals; put your own _headers in static/ to replace it.\n\
         /*\n",
    );
    for (name, value) in security_headers(embed_allow) {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    let mut fingerprinted: Vec<&str> = paths.into_iter().filter(|p| is_fingerprinted(p)).collect();
    fingerprinted.sort_unstable();
    for path in fingerprinted {
        out.push_str(&format!("\n/{path}\n  Cache-Control: {IMMUTABLE}\n"));
    }
    out.into_bytes()
}

/// True for a file whose name carries a content hash (`annals.3f9c2a7b.css`):
/// a dot-separated part of at least 8 hex digits before the extension.
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap() {
        let robots = String::from_utf8(robots_txt("https://example.org/war/")).unwrap();
        assert!(robots.contains("Sitemap: https://example.org/war/sitemap.xml\n"));
    }

    #[test]
    fn framing_follows_the_embed_setting() {
        let none = String::from_utf8(headers_file(["index.html"], &[])).unwrap();
        assert!(none.contains("frame-ancestors 'none'") && none.contains("X-Frame-Options: DENY"));
        let allow = vec!["https://news.example".to_string()];
        let some = String::from_utf8(headers_file(["index.html"], &allow)).unwrap();
        assert!(
            some.contains("frame-ancestors 'self' https://news.example;")
                || some.contains("frame-ancestors 'self' https://news.example\n"),
            "{some}"
        );
        assert!(!some.contains("X-Frame-Options"));
        assert_eq!(frame_ancestors(&["*".to_string()]), "*");
    }

    #[test]
    fn fingerprints() {
        assert!(is_fingerprinted("annals.3f9c2a7b.css"));
        assert!(is_fingerprinted("assets/app.0123456789abcdef.js"));
        assert!(!is_fingerprinted("annals.css"));
        assert!(!is_fingerprinted("events/deadbeef12/index.html"));
        assert!(!is_fingerprinted("archive.2022.html"));
        assert!(!is_fingerprinted("deadbeef12.css"));
    }

    #[test]
    fn caches_only_fingerprinted_files() {
        let text =
            String::from_utf8(headers_file(["annals.css", "annals.3f9c2a7b.js"], &[])).unwrap();
        assert!(text.starts_with("# Headers"));
        assert!(text.contains("/*\n  Content-Security-Policy: default-src 'self';"));
        assert!(text.contains(&format!(
            "/annals.3f9c2a7b.js\n  Cache-Control: {IMMUTABLE}\n"
        )));
        assert!(!text.contains("/annals.css"));
    }
}
