//! Articles: `content/articles/**/*.md`, Markdown with YAML front matter.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use crate::date::{DateRange, DateStyle};
use crate::error::{Diagnostic, Diagnostics, Span};
use crate::fields::{Fields, Located, check_id};
use crate::source::{Origin, SourceFile, parse_front_matter_keeping};
use crate::source::{Recallable, Spot};

/// One article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Unique slug across article slugs and event ids.
    pub slug: Located<String>,
    /// Where its front matter is.
    pub origin: Origin,
    /// Its publication date.
    pub dates: DateRange,
    /// Plain-text title.
    pub title: String,
    /// One or two plain-text sentences.
    pub summary: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// Who published it.
    pub source: Option<String>,
    /// The original's address.
    pub source_url: Option<String>,
    /// Free tags.
    pub tags: Vec<Located<String>>,
    /// Actor ids.
    pub actors: Vec<Located<String>>,
    /// Place ids.
    pub places: Vec<Located<String>>,
    /// Ids of the events it covers.
    pub events: Vec<Located<String>>,
    /// Left out unless building with `--drafts`.
    pub draft: bool,
    /// When it was updated and the corrections made.
    pub revisions: super::provenance::Revisions,
    /// A warning shown before its summary and body.
    pub content_warning: Option<String>,
    /// Pictures and videos.
    pub media: Vec<crate::media::item::MediaItem>,
    /// The Markdown body: held, or let go once parsed (a build's) and read
    /// again for its page ([`Article::body`]).
    pub(super) body: Recallable,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// A hash of the body, made when first asked for.
    body_hash: std::sync::OnceLock<u64>,
    /// Its title and summary per language, written inline
    /// (`title: {uk: ..., en: ...}`) or in sibling files (`name.en.md`).
    pub translations: super::event::Translations,
    /// Its sibling files by language (`name.en.md`): each one's body and
    /// where it is.
    pub siblings: std::collections::BTreeMap<String, Arc<super::siblings::Sibling>>,
    /// Its front matter as read, which a sibling's shared fields are
    /// compared with.
    pub front: Option<Arc<serde_yaml::Value>>,
}

impl Article {
    /// The Markdown body, read again from its file when it was let go; an
    /// error naming the file when it can no longer be read as it was.
    pub fn body(&self) -> Result<Cow<'_, str>, Diagnostic> {
        self.body
            .get()
            .map_err(|m| Diagnostic::error(Span::file(self.origin.file()), m))
    }

    /// A hash of the Markdown body, made once: what `serve` compares to
    /// tell whether the article changed (with its front matter's).
    pub fn body_hash(&self) -> u64 {
        *self.body_hash.get_or_init(|| self.body.hash())
    }

    /// Gives it another body (a sibling's), and a body hash that covers the
    /// front matter of `primary` too: the article's digest is that of where
    /// it is and of this hash, and both its files make what is shown.
    pub(super) fn set_body(&mut self, body: Recallable, body_line: usize, primary: u64) {
        let hash = crate::digest::hash_of(&(primary, body.hash()));
        self.body = body;
        self.body_line = body_line;
        self.body_hash = std::sync::OnceLock::from(hash);
    }

    /// Lets its front matter's text and its body go, to be read again from
    /// `file` (which it was parsed from) when asked for.
    pub(super) fn let_go(&mut self, root: &Path, file: &SourceFile) {
        let Ok(fm) = crate::source::split_front_matter(file) else {
            return;
        };
        if let Some(spot) = Spot::of(root, file, fm.yaml) {
            self.origin.let_go_of_text(spot);
        }
        if let Some(spot) = Spot::of(root, file, fm.body) {
            self.body.let_go(spot);
        }
    }
}

/// What is left of an article that had errors.
#[derive(Debug, Clone, Default)]
pub struct Unplaced {
    /// The slug it would most likely have had, so that references to it do
    /// not cascade into more errors.
    pub slug: Option<String>,
    /// The article with stand-ins for a failed date or title, when its front
    /// matter could be read: never published, kept so that its references
    /// are still checked.
    pub shell: Option<Box<Article>>,
}

impl Unplaced {
    fn slug(slug: Option<String>) -> Unplaced {
        Unplaced { slug, shell: None }
    }
}

/// Reads one article file; on errors, gives back what is left of it.
/// `stem` is its name without the extension and language (`note` for
/// `note.uk.md`), which gives its slug.
pub fn parse_article(
    file: &SourceFile,
    stem: &str,
    style: DateStyle,
    kept: Option<&dyn crate::source::KeptYaml>,
    diags: &mut Diagnostics,
) -> Result<Article, Unplaced> {
    let stem_slug = || Some(stem.to_string()).filter(|s| crate::fields::is_valid_id(s));
    let (fm, doc, value) = match parse_front_matter_keeping(file, kept) {
        Ok(parsed) => parsed,
        Err(e) => {
            diags.push(e);
            return Err(Unplaced::slug(stem_slug()));
        }
    };
    let root = Origin::new(&doc, Vec::new());
    if value.is_null() {
        diags.error(
            root.span(),
            "the front matter is empty: an article needs at least `title` and `date`",
        );
        return Err(Unplaced::slug(stem_slug()));
    }
    let mut f =
        Fields::new(&value, root, "article", diags).ok_or_else(|| Unplaced::slug(stem_slug()))?;
    let (title, titles) = f.translated("title", true);
    let date = f.required_date("date", style);
    let slug_field = f.text("slug");
    let slug_origin = f.origin_of("slug");
    let (summary, summaries) = f.translated("summary", false);
    let summary = summary
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let author = f.text("author");
    let source = f.text("source");
    let source_url = f.text("source_url");
    let tags = f.text_list("tags");
    let actors = f.id_list("actors");
    let places = f.id_list("places");
    let events = f.id_list("events");
    let draft = f.boolean("draft").unwrap_or(false);
    let revisions = super::provenance::read_revisions(&mut f, style);
    let content_warning = f
        .text("content_warning")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let media = f
        .nested("media")
        .map(|(v, o)| crate::media::item::read_media(v, o, f.diags))
        .unwrap_or_default();
    let url_origin = f.origin_of("source_url");
    let origin = f.origin().clone();
    f.finish();

    let slug = match slug_field {
        Some(s) => check_id(&s, &slug_origin, diags).then_some(Located {
            value: s,
            origin: slug_origin,
        }),
        None => slug_from_stem(stem, &file.path, &origin, diags),
    };
    if let Some(url) = &source_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        diags.error(
            url_origin.span(),
            format!(
                "source_url \"{}\" must start with https:// or http://",
                crate::error::cut(url)
            ),
        );
    }
    let Some(slug) = slug else {
        return Err(Unplaced::default());
    };
    let dates = date.and_then(|d| crate::content::event::date_range(d, None, diags));
    let placed = title.is_some() && dates.is_some();
    let article = Article {
        slug,
        origin,
        dates: dates.unwrap_or_else(crate::content::event::stand_in_dates),
        title: title.unwrap_or_default(),
        summary,
        author,
        source,
        source_url,
        tags,
        actors,
        places,
        events,
        draft,
        revisions,
        content_warning,
        media,
        body: Recallable::Held(fm.body.to_string()),
        body_line: fm.body_line,
        body_hash: std::sync::OnceLock::new(),
        translations: super::event::Translations { titles, summaries },
        siblings: std::collections::BTreeMap::new(),
        front: Some(Arc::new(value)),
    };
    if placed {
        Ok(article)
    } else {
        Err(Unplaced {
            slug: Some(article.slug.value.clone()),
            shell: Some(Box::new(article)),
        })
    }
}

/// The default slug: the file name without its extension.
pub fn slug_from_file_name(
    path: &Path,
    origin: &Origin,
    diags: &mut Diagnostics,
) -> Option<Located<String>> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    slug_from_stem(&stem, path, origin, diags)
}

/// The slug a file's name gives (`stem`: the name without its extension,
/// and without its language for an article's language file).
fn slug_from_stem(
    stem: &str,
    path: &Path,
    origin: &Origin,
    diags: &mut Diagnostics,
) -> Option<Located<String>> {
    if crate::fields::is_valid_id(stem) {
        return Some(Located {
            value: stem.to_string(),
            origin: origin.clone(),
        });
    }
    let hint = crate::slug::slugify(stem);
    diags.error(
        crate::error::Span::at(path, 1, 1),
        format!(
            "the file name \"{stem}\" is not a valid slug: rename the file or add `slug: {}` to the front matter",
            if hint.is_empty() { "my-slug" } else { &hint }
        ),
    );
    None
}
