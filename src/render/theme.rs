//! The theme: the built-in templates and assets compiled into the binary,
//! with a site's own `templates/` and `static/` files laid over them by name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Span, display_path};
use crate::source::SourceFile;

macro_rules! builtin_templates {
    ($($name:literal),* $(,)?) => {
        /// The built-in templates, by name.
        pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../templates/", $name)))),*
        ];
    };
}

macro_rules! builtin_static {
    ($($name:literal),* $(,)?) => {
        /// The built-in assets, by path under the output root.
        pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../static/", $name)))),*
        ];
    };
}

builtin_templates!(
    "base.html",
    "timeline.html",
    "event.html",
    "article.html",
    "archive.html",
    "years.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "page.html",
    "404.html",
    "map.html",
    "partials/entry_groups.html",
    "partials/entry_card.html",
    "partials/links.html",
    "partials/media.html",
    "partials/locator.html",
);

builtin_static!(
    "annals.css",
    "annals.js",
    "favicon.svg",
    "map.js",
    "map.css"
);

/// Where a template's text came from, for messages.
#[derive(Debug, Clone)]
enum Origin {
    BuiltIn,
    Site(PathBuf),
}

/// Compiled templates, ready to render pages in parallel.
pub struct Theme {
    tera: tera::Tera,
    origins: BTreeMap<String, Origin>,
    generation: u64,
}

/// Counts the themes loaded by this process, so that each has its own number.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Theme {
    /// Compiles the built-in templates with the site's overrides from
    /// `root/templates/` (any `.html` file there replaces the built-in one of
    /// the same relative name, or adds a new one). Every broken template is reported.
    pub fn load(root: &Path) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut sources: BTreeMap<String, (String, Origin)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), (text.to_string(), Origin::BuiltIn)))
            .collect();
        for (name, rel) in site_files(root, "templates", &mut diags) {
            if !name.ends_with(".html") {
                continue;
            }
            match SourceFile::read(root, &rel) {
                Ok(file) => {
                    sources.insert(name, (file.text, Origin::Site(rel)));
                }
                Err(e) => diags.push(e),
            }
        }
        let origins: BTreeMap<String, Origin> = sources
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let mut theme = Theme {
            tera: tera::Tera::default(),
            origins,
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        // Syntax errors are found template by template, so that all are reported at once.
        for (name, (text, _)) in &sources {
            let mut alone = tera::Tera::default();
            if let Err(e) = alone.add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(theme.diagnostic(&e, Some(name)));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        if let Err(e) = theme
            .tera
            .add_raw_templates(sources.iter().map(|(n, (t, _))| (n.as_str(), t.as_str())))
        {
            diags.push(theme.diagnostic(&e, None));
            return Err(diags);
        }
        Ok(theme)
    }

    /// This theme's number among those the process loaded: a theme loaded
    /// again after a template changed has another one.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Renders a template into `out`.
    pub fn render_to(
        &self,
        template: &str,
        context: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(template, context, out)
            .map_err(|e| self.diagnostic(&e, Some(template)))
    }

    /// A tera error as a diagnostic naming the template file and line.
    fn diagnostic(&self, e: &tera::Error, template: Option<&str>) -> Diagnostic {
        let (name, line, column, message) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let name = if r.filename().is_empty() {
                    template.unwrap_or("").to_string()
                } else {
                    r.filename().to_string()
                };
                let span = r.span();
                (
                    name,
                    Some(span.start_line),
                    Some(span.start_col + 1),
                    r.message().to_string(),
                )
            }
            other => (
                template.unwrap_or("").to_string(),
                None,
                None,
                flatten(&other.to_string()),
            ),
        };
        let (file, note) = match self.origins.get(&name) {
            Some(Origin::Site(path)) => (path.clone(), String::new()),
            Some(Origin::BuiltIn) => (
                Path::new("templates").join(&name),
                " (in the built-in theme)".to_string(),
            ),
            None => (PathBuf::from("templates"), String::new()),
        };
        let span = Span {
            file,
            line: line.filter(|&l| l > 0),
            column: line.filter(|&l| l > 0).and(column),
        };
        Diagnostic::error(span, format!("template error{note}: {}", flatten(&message)))
    }
}

fn flatten(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The theme's stylesheet and script, by the names pages link them with.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assets {
    /// `annals.HASH.css`.
    pub css: String,
    /// `annals.HASH.js`.
    pub js: String,
}

/// Gives the theme's stylesheet and script names that carry a hash of their
/// content (`annals.3f9c2a7b01.css`), so that hosts may let browsers cache
/// them for good: a changed file is a new name. Returns the names.
pub fn fingerprint(files: &mut [(String, Vec<u8>)]) -> Assets {
    let mut assets = Assets {
        css: "annals.css".to_string(),
        js: "annals.js".to_string(),
    };
    for (path, bytes) in files.iter_mut() {
        let slot = match path.as_str() {
            "annals.css" => &mut assets.css,
            "annals.js" => &mut assets.js,
            _ => continue,
        };
        let hash = crate::publish::manifest::sha256_hex(bytes);
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
        let css = builtin("annals.css");
        assert_eq!(published("annals.css", css.as_bytes()), css.as_bytes());
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
