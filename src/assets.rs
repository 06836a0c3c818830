//! The site's static files: the built-in assets compiled into the binary,
//! with a site's own `static/` files laid over them by name, loaded with the
//! rest of the site's sources and handed to the render as data. The
//! stylesheet and script are published under names that carry a hash of
//! their content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostics, Span, display_path};

macro_rules! builtin_static {
    ($($name:literal),* $(,)?) => {
        /// The built-in assets, by path under the output root.
        pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../static/", $name)))),*
        ];
    };
}

builtin_static!(
    "annals.css",
    "annals-pages.css",
    "annals.js",
    "favicon.svg",
    "map.js",
    "map.css"
);

/// Every static file to publish, by output path, and the names of the
/// stylesheet and script among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statics {
    /// (output path, bytes), in path order.
    pub files: Vec<(String, Vec<u8>)>,
    /// The stylesheet's and script's published names.
    pub names: Assets,
}

/// The static files of the site at `root`, stylesheet and script named by
/// their content.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Statics {
    let mut files = static_files(root, diags);
    let names = fingerprint(&mut files);
    Statics { files, names }
}

/// The theme's stylesheet and script, by the names pages link them with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Assets {
    /// `annals.HASH.css`.
    pub css: String,
    /// `annals.HASH.js`.
    pub js: String,
    /// `annals-pages.HASH.css`: the styles of every page but the
    /// timeline's, which does not load them.
    pub pages_css: String,
}

/// Gives the theme's stylesheet and script names that carry a hash of their
/// content (`annals.3f9c2a7b01.css`), so that hosts may let browsers cache
/// them for good: a changed file is a new name. Returns the names.
pub fn fingerprint(files: &mut [(String, Vec<u8>)]) -> Assets {
    let mut assets = Assets {
        css: "annals.css".to_string(),
        js: "annals.js".to_string(),
        pages_css: "annals-pages.css".to_string(),
    };
    for (path, bytes) in files.iter_mut() {
        let slot = match path.as_str() {
            "annals.css" => &mut assets.css,
            "annals.js" => &mut assets.js,
            "annals-pages.css" => &mut assets.pages_css,
            _ => continue,
        };
        let hash = crate::digest::sha256_hex(bytes);
        let (stem, ext) = path.rsplit_once('.').unwrap_or((path.as_str(), ""));
        *path = format!("{stem}.{}.{ext}", &hash[..10]);
        slot.clone_from(path);
    }
    assets
}

/// The static assets to publish: the built-in ones, then the site's
/// `static/` files over them. Returns (output path, bytes) in path order.
pub fn static_files(root: &Path, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut files: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), published(name, bytes)))
        .collect();
    for (name, rel) in site_files(root, "static", diags) {
        match std::fs::read(root.join(&rel)) {
            Ok(bytes) => {
                // A site's unchanged copy of a built-in asset is published as the built-in one.
                let builtin = BUILTIN_STATIC
                    .iter()
                    .find(|(n, b)| *n == name && *b == bytes.as_slice());
                let bytes = match builtin {
                    Some((n, b)) => published(n, b),
                    None => bytes,
                };
                files.insert(name, bytes);
            }
            Err(e) => diags.error(Span::file(&rel), format!("cannot read: {e}")),
        }
    }
    files.into_iter().collect()
}

/// A built-in asset as published: the script without its comment lines
/// and indentation (about a sixth of its weight, which browsers only run),
/// the rest as they are.
fn published(name: &str, bytes: &[u8]) -> Vec<u8> {
    match (name, std::str::from_utf8(bytes)) {
        ("annals.js", Ok(text)) => compact_script(text).into_bytes(),
        ("annals.css" | "annals-pages.css" | "map.css", Ok(text)) => {
            compact_style(text).into_bytes()
        }
        _ => bytes.to_vec(),
    }
}

/// `text` without lines that hold only a `//` comment, blank lines, and the
/// indentation of the others. Only for a script whose strings and template
/// literals each fit on one line (the built-in one; its test checks it):
/// inside a literal across lines, indentation would be text.
fn compact_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim_start) {
        if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `text` (a stylesheet) without its `/* */` comments, blank lines and
/// indentation: what the reader downloads is the rules alone. A quoted
/// string is kept as it is, comment marks and all.
fn compact_style(text: &str) -> String {
    let mut bare = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['/', '"', '\'']) {
        let (head, tail) = rest.split_at(i);
        bare.push_str(head);
        let quote = tail.as_bytes()[0];
        if quote == b'/' {
            if let Some(comment) = tail.strip_prefix("/*") {
                rest = comment.find("*/").map_or("", |end| &comment[end + 2..]);
            } else {
                bare.push('/');
                rest = &tail[1..];
            }
            continue;
        }
        // A string: up to its closing quote (past escaped ones), else the end.
        let mut end = tail.len();
        let mut escaped = false;
        for (j, b) in tail.bytes().enumerate().skip(1) {
            match b {
                b'\\' if !escaped => escaped = true,
                _ if b == quote && !escaped => {
                    end = j + 1;
                    break;
                }
                _ => escaped = false,
            }
        }
        bare.push_str(&tail[..end]);
        rest = &tail[end..];
    }
    bare.push_str(rest);
    let mut out = String::with_capacity(bare.len());
    for line in bare.lines().map(str::trim) {
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Files under `root/dir`, as (name relative to `dir` with `/`, path relative to root).
fn site_files(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    crate::source::site_files(root, dir, diags)
        .into_iter()
        .map(|rel| (display_path(rel.strip_prefix(dir).unwrap_or(&rel)), rel))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(name: &str) -> &'static str {
        let (_, bytes) = BUILTIN_STATIC.iter().find(|(n, _)| *n == name).unwrap();
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_script_loses_comment_lines_and_indentation_only() {
        let text = "// about it\n(() => {\n  // why\n  const a = \"//x\"; // kept\n\n    if (a) go(`${a}`);\n})();\n";
        assert_eq!(
            compact_script(text),
            "(() => {\nconst a = \"//x\"; // kept\nif (a) go(`${a}`);\n})();\n"
        );
    }

    #[test]
    fn the_builtin_script_keeps_every_literal_on_one_line() {
        // What compacting relies on: no template literal or string runs on
        // to the next line, so no indentation is text.
        for (i, line) in builtin("annals.js").lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            assert_eq!(
                code.matches('`').count() % 2,
                0,
                "annals.js:{}: a template literal runs on: {line}",
                i + 1
            );
            assert!(
                !code.ends_with('\\'),
                "annals.js:{}: a string runs on: {line}",
                i + 1
            );
        }
    }

    #[test]
    fn the_builtin_script_is_published_compacted_and_other_assets_as_they_are() {
        let js = builtin("annals.js");
        let published_js = String::from_utf8(published("annals.js", js.as_bytes())).unwrap();
        assert!(published_js.len() < js.len() * 9 / 10, "hardly compacted");
        assert_eq!(
            published_js.lines().count(),
            js.lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .count()
        );
        let favicon = builtin("favicon.svg");
        assert_eq!(
            published("favicon.svg", favicon.as_bytes()),
            favicon.as_bytes()
        );
    }

    #[test]
    fn stylesheets_lose_comments_and_indentation_but_not_strings() {
        let text = "/* about */\n:root{--a:1}\n  /* why\n  on two lines */\n.a::before{content:\"/* kept */\"}\n\n  .b{background:url('x/*y.svg')} /* end */\n";
        assert_eq!(
            compact_style(text),
            ":root{--a:1}\n.a::before{content:\"/* kept */\"}\n.b{background:url('x/*y.svg')}\n"
        );
        // An unclosed comment or string ends the text, without a panic.
        assert_eq!(compact_style("a{}/* open"), "a{}\n");
        assert_eq!(compact_style("a{content:\"open"), "a{content:\"open\n");
        for name in ["annals.css", "annals-pages.css", "map.css"] {
            let css = builtin(name);
            let out = String::from_utf8(published(name, css.as_bytes())).unwrap();
            assert!(!out.contains("/*"), "{name} keeps a comment");
            // Every rule is kept: as many braces as before.
            assert_eq!(
                out.matches('{').count(),
                css.matches('{').count() - {
                    let mut n = 0;
                    let mut r = css;
                    while let Some(i) = r.find("/*") {
                        let end = r[i..].find("*/").unwrap() + i;
                        n += r[i..end].matches('{').count();
                        r = &r[end..];
                    }
                    n
                }
            );
        }
    }

    #[test]
    fn a_sites_unchanged_copy_is_published_like_the_builtin_and_a_changed_one_as_is() {
        let dir = std::env::temp_dir().join(format!("annals-theme-static-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("static")).unwrap();
        let js = builtin("annals.js");
        std::fs::write(dir.join("static/annals.js"), js).unwrap();
        let mut diags = Diagnostics::new();
        let files = static_files(&dir, &mut diags);
        let find = |files: &[(String, Vec<u8>)]| {
            files
                .iter()
                .find(|(n, _)| n == "annals.js")
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(find(&files), published("annals.js", js.as_bytes()));
        let changed = format!("{js}// mine\n");
        std::fs::write(dir.join("static/annals.js"), &changed).unwrap();
        let files = static_files(&dir, &mut diags);
        assert_eq!(find(&files), changed.as_bytes());
        assert!(!diags.has_errors());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
