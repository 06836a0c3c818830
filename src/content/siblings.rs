//! An article in several languages as sibling files: `note.md` (or
//! `note.uk.md`, in the default language) and `note.en.md` are one article,
//! with one slug, date and set of links, told in each language.
//!
//! The default-language file holds the article's front matter; a sibling
//! holds what is written per language (`title`, `summary`,
//! `content_warning`) and its own body. A sibling may repeat a shared field
//! only with the same value, so that no language quietly differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_yaml::Value;

use super::Article;
use crate::error::{Diagnostics, Span, display_path};
use crate::fields::Fields;
use crate::source::{Origin, SourceFile, parse_front_matter};
use crate::yaml_locate::Seg;

/// The fields a sibling writes in its own language.
const OWN: [&str; 3] = ["title", "summary", "content_warning"];

/// One language's file of an article (`note.en.md`).
#[derive(Debug, Clone)]
pub struct Sibling {
    /// Its language tag, as the file name gives it (lower case).
    pub lang: String,
    /// The article it belongs to: its folder and name without extension or
    /// language (`content/articles/note`).
    pub group: PathBuf,
    /// Where its front matter is.
    pub origin: Origin,
    /// Its title, summary and content warning.
    pub title: Option<String>,
    /// One or two sentences.
    pub summary: Option<String>,
    /// A warning shown before its summary and body.
    pub content_warning: Option<String>,
    /// Its Markdown body (the default language's when empty).
    pub body: String,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// Every other field it writes, with where: each must equal the
    /// default-language file's.
    shared: Vec<(String, Value, Span)>,
}

/// Whether `s` has the shape of a language tag in a file name: two or
/// three letters, with an optional region or script (`pt-br`, `zh-hant`).
/// `v2`, `final` or `2022` are not tags, so such names stay plain.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// An article file's name without extension, split into the article's
/// name and the language it names, if any: `note.en.md` is
/// `("note", Some("en"))`, `note.md` is `("note", None)`.
pub fn split_name(path: &Path) -> (String, Option<String>) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    match stem.rsplit_once('.') {
        Some((base, lang)) if !base.is_empty() && is_language_tag(lang) => {
            (base.to_string(), Some(lang.to_ascii_lowercase()))
        }
        _ => (stem, None),
    }
}

/// The article a file belongs to: its folder and its name without
/// extension or language.
pub fn group_of(path: &Path) -> PathBuf {
    path.with_file_name(split_name(path).0)
}

/// Reads a sibling file in `lang`. Its fields other than the translated
/// ones are kept to be compared with the default-language file's.
pub fn parse_sibling(file: &SourceFile, lang: &str, diags: &mut Diagnostics) -> Option<Sibling> {
    let (fm, doc, value) = match parse_front_matter(file) {
        Ok(parsed) => parsed,
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let root = Origin::new(&doc, Vec::new());
    let empty = Value::Mapping(serde_yaml::Mapping::new());
    let value = if value.is_null() { empty } else { value };
    let mut shared = Vec::new();
    if let Value::Mapping(map) = &value {
        for (k, v) in map {
            if let Some(k) = k.as_str().filter(|k| !OWN.contains(k)) {
                let span = root.child(Seg::Key(k.to_string())).key_span();
                shared.push((k.to_string(), v.clone(), span));
            }
        }
    }
    let mut f = Fields::new(&value, root, "article", diags)?;
    let trimmed = |t: Option<String>| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let title = trimmed(f.text("title"));
    let summary = trimmed(f.text("summary"));
    let content_warning = trimmed(f.text("content_warning"));
    let origin = f.origin().clone();
    // The shared fields are checked against the default-language file's,
    // not read here: they are not unknown.
    drop(f);
    Some(Sibling {
        lang: lang.to_string(),
        group: group_of(&file.path),
        origin,
        title,
        summary,
        content_warning,
        body: fm.body.to_string(),
        body_line: fm.body_line,
        shared,
    })
}

/// Each article's default-language file, by the article's group
/// ([`group_of`]).
/// By group as written (hashed as bytes, not component by component).
pub type Primaries = foldhash::HashMap<std::ffi::OsString, Primary>;

/// A default-language file of an article, as [`merge`] sees it.
pub struct Primary {
    /// Its file.
    pub file: PathBuf,
    /// Its place in the content's articles, or `None` when it had errors.
    pub index: Option<usize>,
}

/// Joins each sibling to the article of its group, reporting a sibling
/// with no default-language file, two files for one language, and a shared
/// field that differs. `primaries` maps each group to its
/// default-language file.
pub fn merge(
    articles: &mut [Arc<Article>],
    primaries: &Primaries,
    siblings: Vec<(PathBuf, Sibling)>,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<(PathBuf, String), PathBuf> = BTreeMap::new();
    for (rel, sibling) in siblings {
        let Some(primary) = primaries.get(sibling.group.as_os_str()) else {
            let name = display_path(&sibling.group);
            diags.error(
                Span::file(&rel),
                format!(
                    "a translation (\"{}\") of an article with no default-language file: write {name}.md (in the site's first language) beside it",
                    sibling.lang
                ),
            );
            continue;
        };
        if let Some(first) = seen.insert((sibling.group.clone(), sibling.lang.clone()), rel.clone())
        {
            diags.error(
                Span::file(&rel),
                format!(
                    "the article is already written in \"{}\" in {}: keep one file per language",
                    sibling.lang,
                    display_path(&first)
                ),
            );
            continue;
        }
        // Its article had errors (already reported): nothing to join.
        let Some(index) = primary.index else {
            continue;
        };
        let article = Arc::make_mut(&mut articles[index]);
        check_shared(article, &primary.file, &sibling, diags);
        if let Some(title) = &sibling.title {
            if article.translations.titles.contains_key(&sibling.lang) {
                diags.error(
                    sibling.origin.child(Seg::Key("title".into())).span(),
                    format!(
                        "the title in \"{}\" is also written inline in {}: keep one",
                        sibling.lang,
                        display_path(&primary.file)
                    ),
                );
            }
            article
                .translations
                .titles
                .insert(sibling.lang.clone(), title.clone());
        } else {
            diags.error(
                sibling.origin.span(),
                format!(
                    "a translation is missing the required field `title` (the article's title in \"{}\")",
                    sibling.lang
                ),
            );
        }
        if let Some(summary) = &sibling.summary {
            article
                .translations
                .summaries
                .insert(sibling.lang.clone(), summary.clone());
        }
        article
            .siblings
            .insert(sibling.lang.clone(), Arc::new(sibling));
    }
}

/// Reports each field a sibling writes that the default-language file
/// does not write alike.
fn check_shared(article: &Article, file: &Path, sibling: &Sibling, diags: &mut Diagnostics) {
    let front = article.front.as_deref();
    for (key, value, span) in &sibling.shared {
        let theirs = front.and_then(|f| f.get(key.as_str()));
        if theirs == Some(value) {
            continue;
        }
        let how = if theirs.is_some() {
            "differs from"
        } else {
            "is not in"
        };
        diags.error(
            span.clone(),
            format!(
                "`{key}` {how} {}: every language of an article shares it, so write it there only (a translation writes {})",
                display_path(file),
                OWN.map(|k| format!("`{k}`")).join(", ")
            ),
        );
    }
}

impl Article {
    /// The article as told in `lang`: its title, summary, content warning
    /// and body from that language's sibling or inline translation, where
    /// written.
    pub fn in_language(&self, lang: &str) -> Article {
        let mut ar = self.clone();
        if let Some(t) = self.translations.titles.get(lang) {
            ar.title = t.clone();
        }
        if let Some(s) = self.translations.summaries.get(lang) {
            ar.summary = Some(s.clone());
        }
        if let Some(sib) = self.siblings.get(lang) {
            if sib.content_warning.is_some() {
                ar.content_warning = sib.content_warning.clone();
            }
            // Both files make what is shown: the hash covers both.
            let both = self.origin.source_hash() ^ sib.origin.source_hash().rotate_left(1);
            if sib.body.trim().is_empty() {
                ar.set_body(self.body.clone(), self.body_line, both);
            } else {
                ar.set_body(
                    crate::source::Recallable::Held(sib.body.clone()),
                    sib.body_line,
                    both,
                );
                // Problems in its body (links) are reported in its own file.
                ar.origin = sib.origin.clone();
            }
        }
        ar
    }

    /// Whether it has a text of its own in `lang`.
    pub fn has_language(&self, lang: &str) -> bool {
        self.translations.titles.contains_key(lang) || self.siblings.contains_key(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_a_language_tag_only() {
        let s = |p: &str| split_name(Path::new(p));
        assert_eq!(s("a/note.en.md"), ("note".into(), Some("en".into())));
        assert_eq!(s("a/note.pt-BR.md"), ("note".into(), Some("pt-br".into())));
        assert_eq!(s("a/note.md"), ("note".into(), None));
        for plain in ["a/report.v2.md", "a/x.final.md", "a/2022.03.md", "a/.en.md"] {
            assert_eq!(s(plain).1, None, "{plain}");
        }
        assert_eq!(
            group_of(Path::new("content/articles/y/note.uk.md")),
            PathBuf::from("content/articles/y/note")
        );
    }
}
