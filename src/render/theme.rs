//! The theme: the built-in templates compiled into the binary, with a
//! site's own `templates/` laid over them by name, ready to render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics, Span, display_path};
use crate::i18n::Translations;
use crate::source::SourceFile;

macro_rules! builtin_templates {
    ($($name:literal),* $(,)?) => {
        /// The built-in templates, by name.
        pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../templates/", $name)))),*
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
    "corrections.html",
    "404.html",
    "map.html",
    "partials/entry_groups.html",
    "partials/entry_card.html",
    "partials/links.html",
    "partials/prevnext.html",
    "partials/status_note.html",
    "partials/corrections.html",
    "partials/totals.html",
    "partials/methodology.html",
    "partials/media.html",
    "partials/locator.html",
    "partials/map_mark.html",
    "partials/map_item.html",
    "partials/term_period.html",
);

/// The theme's own template that renders an entry's map mark and list item
/// at once (`partials/map_mark.html`, `partials/map_item.html`), with
/// [`MAP_PART_BREAK`] between them.
pub const MAP_PARTS_TEMPLATE: &str = "annals/map_parts.html";
/// What the theme puts between a mark and its list item.
macro_rules! map_part_break {
    () => {
        "\u{1}annals-map-part\u{1}"
    };
}
/// See [`MAP_PARTS_TEMPLATE`].
pub const MAP_PART_BREAK: &str = map_part_break!();
/// The text of [`MAP_PARTS_TEMPLATE`].
pub const MAP_PARTS_TEXT: &str = concat!(
    "{% include \"partials/map_mark.html\" %}",
    map_part_break!(),
    "{% include \"partials/map_item.html\" %}"
);

/// Templates of the theme's own making, not files: a site cannot override
/// them (it overrides the partials they include).
const INTERNAL_TEMPLATES: &[(&str, &str)] = &[(MAP_PARTS_TEMPLATE, MAP_PARTS_TEXT)];

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
    digest: u64,
    translations: Arc<Translations>,
}

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
        let translations = Arc::new(Translations::load(root, &mut diags));
        let origins: BTreeMap<String, Origin> = sources
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let mut theme = Theme {
            tera: tera::Tera::default(),
            origins,
            digest: crate::digest::hash_of(&(
                sources.iter().map(|(n, (t, _))| (n, t)).collect::<Vec<_>>(),
                translations.digest(),
            )),
            translations,
        };
        theme.translations.register(&mut theme.tera);
        theme.tera.register_filter("num", num_filter);
        // Syntax errors are found template by template, so that all are reported at once.
        for (name, (text, _)) in &sources {
            let mut alone = tera::Tera::default();
            theme.translations.register(&mut alone);
            alone.register_filter("num", num_filter);
            if let Err(e) = alone.add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(theme.diagnostic(&e, Some(name)));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        if let Err(e) = theme.tera.add_raw_templates(
            sources
                .iter()
                .map(|(n, (t, _))| (n.as_str(), t.as_str()))
                .chain(INTERNAL_TEMPLATES.iter().copied()),
        ) {
            diags.push(theme.diagnostic(&e, None));
            return Err(diags);
        }
        Ok(theme)
    }

    /// Whether the template `name` is the built-in one (the site does not
    /// override it).
    pub fn is_builtin(&self, name: &str) -> bool {
        matches!(self.origins.get(name), Some(Origin::BuiltIn))
    }

    /// Whether the site has templates of its own (overriding built-in ones
    /// or added): only those may read values the built-in ones leave unread.
    pub fn has_own_templates(&self) -> bool {
        self.origins.values().any(|o| matches!(o, Origin::Site(_)))
    }

    /// The translation tables the templates' `t()` reads.
    pub fn translations(&self) -> &Arc<Translations> {
        &self.translations
    }

    /// A digest of every template's name and text (and the site's
    /// translation tables): equal digests render equal inputs alike.
    pub fn digest(&self) -> u64 {
        self.digest
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

/// `{{ n | num }}`: a number in the site's digits (`site.digits`).
fn num_filter(n: tera::Value, _: tera::Kwargs, state: &tera::State) -> String {
    let text = match n.as_str() {
        Some(s) => s.to_string(),
        None => n.to_string(),
    };
    let site: Option<tera::Value> = state.get("site").ok().flatten();
    let arabic = site
        .as_ref()
        .and_then(|s| s.get_from_path("digits"))
        .and_then(|d| d.as_str())
        == Some("arabic");
    if arabic {
        crate::i18n::to_arabic_digits(&text)
    } else {
        text
    }
}

fn flatten(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Files under `root/dir`, as (name relative to `dir` with `/`, path relative to root).
fn site_files(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    crate::source::site_files(root, dir, diags)
        .into_iter()
        .map(|rel| (display_path(rel.strip_prefix(dir).unwrap_or(&rel)), rel))
        .collect()
}
