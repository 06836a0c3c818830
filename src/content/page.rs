//! Free pages: `content/pages/**/*.md` (about, methodology), published at `SLUG/`.

use crate::error::Diagnostics;
use crate::fields::{Fields, Located, check_id};
use crate::source::{Origin, SourceFile, parse_front_matter};

/// Top-level output folders a page may not take.
pub const RESERVED_SLUGS: [&str; 11] = [
    "events", "articles", "years", "tags", "actors", "places", "tracks", "page", "static",
    "assets", "eras",
];

/// One free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its slug: the page is published at `SLUG/`.
    pub slug: Located<String>,
    /// Its title.
    pub title: String,
    /// A one-line description for meta tags.
    pub description: Option<String>,
    /// The Markdown body.
    pub body: String,
    /// The file it was read from.
    pub source: std::path::PathBuf,
    /// The line of the file the body starts on.
    pub body_line: usize,
}

/// Reads one page file.
pub fn parse_page(file: &SourceFile, diags: &mut Diagnostics) -> Option<Page> {
    let (fm, doc, value) = match parse_front_matter(file) {
        Ok(parsed) => parsed,
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let mut f = Fields::new(&value, Origin::new(&doc, Vec::new()), "page", diags)?;
    let title = f.required_text("title");
    let slug_field = f.text("slug");
    let slug_origin = f.origin_of("slug");
    let description = f.text("description");
    let origin = f.origin().clone();
    f.finish();
    let slug = match slug_field {
        Some(s) => check_id(&s, &slug_origin, diags).then_some(Located {
            value: s,
            origin: slug_origin,
        }),
        None => crate::content::article::slug_from_file_name(&file.path, &origin, diags),
    }?;
    if RESERVED_SLUGS.contains(&slug.value.as_str()) {
        diags.error(
            slug.origin.span(),
            format!(
                "a page may not use the slug \"{}\": that folder holds the site's own pages",
                slug.value
            ),
        );
        return None;
    }
    Some(Page {
        slug,
        title: title?,
        description,
        body: fm.body.to_string(),
        source: file.path.clone(),
        body_line: fm.body_line,
    })
}
