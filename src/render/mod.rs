//! Rendering: the chronology in, `(path, bytes)` pairs out. No file is
//! written here; `build` writes them to disk, `serve` may keep them in memory.

pub mod data;
pub mod detail;
pub mod pages;
pub mod theme;
pub mod views;

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::chronology::Chronology;
use crate::error::{Diagnostic, Diagnostics};
use pages::{PageJob, Pages};
use theme::Theme;
use views::{EntryCard, PageMeta, SiteView};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, with `/`.
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The whole rendered site.
#[derive(Debug, Default)]
pub struct Output {
    /// Every file, sorted by path.
    pub files: Vec<OutputFile>,
    /// How many of them are HTML pages.
    pub pages: usize,
}

/// Renders every page, data file and asset of the site. Problems (template
/// errors, broken internal links, assets that would overwrite pages) go to
/// `diags`; the output is returned only when there were no errors.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    root: &Path,
    diags: &mut Diagnostics,
) -> Option<Output> {
    let cards: Vec<EntryCard> = (0..chron.entries.len())
        .into_par_iter()
        .map(|pos| EntryCard::new(chron, pos))
        .collect();
    let jobs = Pages::new(chron, &cards).all();
    let site = tera::Value::from_serializable(&SiteView::new(chron));

    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_page(chron, theme, &site, job))
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + 8);
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    let pages = files.len();

    let html_paths: Vec<&str> = jobs
        .iter()
        .filter(|j| j.template != "404.html")
        .map(|j| j.path.as_str())
        .collect();
    files.push(OutputFile {
        path: "sitemap.xml".to_string(),
        bytes: data::sitemap(&chron.config.base_url, &html_paths),
    });
    files.push(OutputFile {
        path: "feed.xml".to_string(),
        bytes: data::atom_feed(chron, &cards),
    });
    files.push(OutputFile {
        path: "timeline.json".to_string(),
        bytes: data::timeline_json(chron),
    });

    let generated: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for (path, bytes) in theme::static_files(root, diags) {
        if generated.contains(&path) {
            diags.error(
                crate::error::Span::file(Path::new("static").join(&path)),
                format!("this file would overwrite the generated {path}; rename or remove it"),
            );
            continue;
        }
        files.push(OutputFile { path, bytes });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    check_links(&jobs, &files, diags);
    (!diags.has_errors()).then_some(Output { files, pages })
}

/// The file a page path is written to.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The way back from a page to the site root: `./`, `../`, `../../`, ...
pub fn root_of(path: &str) -> String {
    let depth = path.split('/').filter(|s| !s.is_empty()).count();
    let depth = if path.ends_with('/') || path.is_empty() {
        depth
    } else {
        depth.saturating_sub(1)
    };
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

fn render_page(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    job: &PageJob,
) -> Result<OutputFile, Diagnostic> {
    // The 404 page is served at any depth, so its links start from the site's path.
    let root = if job.template == "404.html" {
        chron.config.base_path().to_string()
    } else {
        root_of(&job.path)
    };
    let meta = PageMeta {
        title: job.title.clone(),
        description: job.description.clone(),
        path: job.path.clone(),
        canonical: format!("{}{}", chron.config.base_url, job.path),
        section: job.section.to_string(),
    };
    let mut context = tera::Context::new();
    context.insert_value("site", site.clone());
    context.insert("root", &root);
    context.insert("page", &meta);
    for (key, value) in &job.data {
        context.insert_value(*key, value.clone());
    }
    let mut bytes = Vec::with_capacity(16 * 1024);
    theme.render_to(job.template, &context, &mut bytes)?;
    Ok(OutputFile {
        path: file_of(&job.path),
        bytes,
    })
}

/// Every link written in Markdown to a page of this site must lead somewhere.
fn check_links(jobs: &[PageJob], files: &[OutputFile], diags: &mut Diagnostics) {
    let existing: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for job in jobs {
        for (link, origin) in &job.links {
            let target = link.trim_start_matches("./");
            let found = target.is_empty()
                || existing.contains(target)
                || existing.contains(file_of(target).as_str())
                || existing.contains(format!("{target}/index.html").as_str());
            if !found {
                diags.error(
                    origin.span(),
                    format!(
                        "broken link to \"/{target}\" on page \"/{}\": no such page or file",
                        job.path
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_files() {
        assert_eq!(root_of(""), "./");
        assert_eq!(root_of("about/"), "../");
        assert_eq!(root_of("events/x/"), "../../");
        assert_eq!(root_of("years/2022/02/"), "../../../");
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("events/x/"), "events/x/index.html");
        assert_eq!(file_of("404.html"), "404.html");
    }
}
