//! A multilingual site (`languages: [uk, en]`) rendered as one tree per
//! language (`uk/...`, `en/...`, the default also at the root unless
//! `default_language_at_root: false`), each with its own feed, search index
//! and `timeline.json`, every page linking its translations.

use std::sync::{Arc, Mutex};

use super::theme::Theme;
use super::views::Alternate;
use super::{Diagnostics, OutputFile, Rendered, Sink, TemplateStats};
use crate::assets::Statics;
use crate::chronology::Chronology;
use crate::chronology::languages::tree_of;
use crate::config::Config;
use crate::error::Diagnostic;

/// A sink that puts every file of a tree under its folder.
struct InTree<'a> {
    tree: &'a str,
    inner: &'a dyn Sink,
}

impl Sink for InTree<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.inner.put(OutputFile {
            path: format!("{}{}", self.tree, file.path),
            bytes: file.bytes,
        })
    }

    fn keep(&self, path: &str) -> Result<(), Diagnostic> {
        self.inner.keep(&format!("{}{path}", self.tree))
    }
}

/// The trees of the site: each language under its folder, and the default
/// language at the root too when so configured.
pub fn trees(config: &Config) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = config
        .languages
        .iter()
        .map(|l| (l.clone(), tree_of(l)))
        .collect();
    if config.default_at_root
        && let Some(default) = config.languages.first()
    {
        out.insert(0, (default.clone(), String::new()));
    }
    out
}

/// Renders every tree into `sink`.
pub fn render_trees(
    chron: &Chronology,
    theme: &Theme,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Option<Rendered> {
    render_trees_with(
        chron,
        statics,
        diags,
        sink,
        |_, told, statics, diags, into| super::render_tree(told, theme, statics, diags, into),
    )
}

/// Renders every tree into `sink` with `one`, which renders one tree (its
/// folder, its chronology, its static files' names) into the sink it is
/// given: the plain render, or `serve`'s, which remembers each tree apart.
pub fn render_trees_with(
    chron: &Chronology,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    mut one: impl FnMut(&str, &Chronology, &Statics, &mut Diagnostics, &dyn Sink) -> Option<Rendered>,
) -> Option<Rendered> {
    let mut all = Rendered::default();
    let ok = Mutex::new(true);
    for (lang, tree) in trees(&chron.config) {
        let told = chron.in_language(&lang, &tree);
        // Static files are published once, at the root; a tree's pages
        // reach them one folder up.
        let statics_here = if tree.is_empty() {
            statics.clone()
        } else {
            let mut names = statics.names.clone();
            names.css = format!("../{}", names.css);
            names.js = format!("../{}", names.js);
            names.pages_css = format!("../{}", names.pages_css);
            names.search_js = format!("../{}", names.search_js);
            Statics {
                files: Vec::new(),
                names,
            }
        };
        let into = InTree {
            tree: &tree,
            inner: sink,
        };
        match one(&tree, &told, &statics_here, diags, &into) {
            Some(r) => {
                all.pages += r.pages;
                all.kept += r.kept;
                Arc::make_mut(&mut all.paths).extend(r.paths.iter().map(|p| format!("{tree}{p}")));
                for t in r.templates {
                    match all.templates.iter_mut().find(|x| x.name == t.name) {
                        Some(x) => {
                            x.pages += t.pages;
                            x.cost.add(&t.cost);
                        }
                        None => all.templates.push(TemplateStats { ..t }),
                    }
                }
            }
            None => {
                if let Ok(mut ok) = ok.lock() {
                    *ok = false;
                }
            }
        }
    }
    if !chron.config.default_at_root {
        let index = chooser(chron);
        Arc::make_mut(&mut all.paths).push("index.html".to_string());
        // No tree is at the root: its sitemap is an index of theirs.
        let files = [
            ("index.html", index.into_bytes()),
            ("sitemap.xml", super::data::sitemap_index(&chron.config)),
        ];
        for (path, bytes) in files {
            if let Err(e) = sink.put(OutputFile {
                path: path.to_string(),
                bytes,
            }) {
                diags.push(e);
            }
        }
    }
    Arc::make_mut(&mut all.paths).sort();
    let ok = ok.into_inner().unwrap_or(false);
    (ok && !diags.has_errors()).then_some(all)
}

/// The root page of a site whose default language is not at the root: a
/// link to each language's tree, and a refresh to the default one; its
/// head names each language's home (`hreflang`, and `x-default` for the
/// default's), as every other page names its translations.
fn chooser(chron: &Chronology) -> String {
    let c = &chron.config;
    let default = c.languages.first().cloned().unwrap_or_default();
    let mut links = String::new();
    let mut alternates = String::new();
    for l in &c.languages {
        links.push_str(&format!(
            "<li><a href=\"{l}/\" hreflang=\"{l}\" lang=\"{l}\">{}</a></li>\n",
            crate::render::data::xml_escape(&language_name(chron, l))
        ));
        alternates.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\">\n",
            crate::render::data::xml_escape(&c.language_base(l))
        ));
    }
    alternates.push_str(&format!(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">\n",
        crate::render::data::xml_escape(&c.language_base(&default))
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{default}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={default}/\">\n<link rel=\"canonical\" href=\"{}{default}/\">\n{alternates}</head>\n<body>\n<main>\n<h1>{}</h1>\n<ul>\n{links}</ul>\n</main>\n</body>\n</html>\n",
        crate::i18n::dir_of(&default),
        crate::render::data::xml_escape(&c.title),
        c.site_url,
        crate::render::data::xml_escape(&c.title),
    )
}

/// A language's own name ("Українська"), from its table; the tag when it has none.
pub fn language_name(chron: &Chronology, lang: &str) -> String {
    let _ = chron;
    let words = crate::i18n::Translations::shared();
    let name = words.text(lang, "language.name", None, &[]);
    if crate::i18n::primary(lang) != "en" && name == "English" {
        lang.to_string()
    } else {
        name
    }
}

/// The page at `path` for readers of no listed language: the default
/// language's canonical page.
pub fn x_default(config: &Config, path: &str) -> Option<String> {
    let default = config
        .languages
        .first()
        .filter(|_| config.languages.len() > 1)?;
    Some(format!("{}{path}", config.language_base(default)))
}

/// The page at `path` in every language of the site (none on a
/// one-language site), for `hreflang` links and the language switcher.
pub fn alternates(config: &Config, path: &str, root: &str) -> Vec<Alternate> {
    if config.languages.len() < 2 {
        return Vec::new();
    }
    // From this page to the site's root: out of this tree's folder.
    let up = if config.tree.is_empty() { "" } else { "../" };
    config
        .languages
        .iter()
        .map(|l| {
            // The default language published at the root is linked there,
            // its canonical home.
            let at_root = config.default_at_root && config.languages.first() == Some(l);
            let tree = if at_root { String::new() } else { tree_of(l) };
            Alternate {
                lang: l.clone(),
                name: crate::i18n::Translations::shared().text(l, "language.name", None, &[]),
                url: format!("{}{path}", config.language_base(l)),
                path: format!("{root}{up}{tree}{path}"),
                current: *l == config.language,
            }
        })
        .collect()
}
