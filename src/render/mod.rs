//! Rendering: the chronology in, `(path, bytes)` pairs out, handed to a
//! [`Sink`] as they are made. No file is written here; `build`'s sink writes
//! them to disk, `serve`'s keeps them in memory.

pub mod card_html;
pub mod data;
pub mod detail;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::chronology::Chronology;
use crate::error::Span;
use crate::error::{Diagnostic, Diagnostics};
use pages::{PageJob, Pages};
use theme::Theme;
use views::{Cards, PageMeta, SiteView};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, with `/`.
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file with this path and content.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where rendered files go, one by one and from several threads: to the
/// disk (build), into memory (serve), or nowhere (check). Rendering itself
/// does no I/O.
pub trait Sink: Sync {
    /// Takes one file.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;
}

/// A sink that keeps every file in memory.
#[derive(Default)]
pub struct Collect {
    files: Mutex<Vec<OutputFile>>,
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if let Ok(mut files) = self.files.lock() {
            files.push(file);
        }
        Ok(())
    }
}

/// A sink that keeps nothing (`check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// What a render produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// How many HTML pages.
    pub pages: usize,
    /// Every path given to the sink, sorted.
    pub paths: Vec<String>,
    /// Per template: pages, time spent (summed over threads) and bytes made.
    pub templates: Vec<TemplateStats>,
}

/// What one template cost in a render (`annals build --timings`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateStats {
    /// The template's name.
    pub name: &'static str,
    /// Pages rendered with it.
    pub pages: usize,
    /// Time spent building those pages' data and rendering them, summed
    /// over threads.
    pub time: std::time::Duration,
    /// Bytes of HTML they made.
    pub bytes: usize,
}

/// Renders every page, data file and asset of the site into `sink`.
/// Problems (template errors, broken internal links, assets that would
/// overwrite pages, a sink that cannot write) go to `diags`; the summary is
/// returned only when there were none.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    root: &Path,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Option<Rendered> {
    let mut statics = theme::static_files(root, diags);
    let assets = theme::fingerprint(&mut statics);
    let cards = Cards::new(chron);
    let site = tera::Value::from_serializable(&SiteView::new(chron, assets));
    let html = card_html::CardHtml::new(theme, &site, &cards);
    let pages = Pages::new(chron, &cards, &html);
    let jobs = pages.all();
    let html_paths: Vec<&str> = jobs
        .iter()
        .filter(|j| j.template != "404.html")
        .map(|j| j.path.as_str())
        .collect();

    // Pages on every core, with the data files made alongside them.
    let (results, data_files) = rayon::join(
        || {
            jobs.par_iter()
                .map(|job| {
                    let started = std::time::Instant::now();
                    let data = job.data()?;
                    let file = render_page(chron, theme, &site, job, &data.data)?;
                    let cost = (started.elapsed(), file.bytes.len());
                    let path = file.path.clone();
                    sink.put(file)?;
                    Ok((path, data.links, cost))
                })
                .collect::<Vec<Result<PageOutcome, Diagnostic>>>()
        },
        || {
            [
                (
                    "sitemap.xml",
                    data::sitemap(&chron.config.base_url, &html_paths),
                ),
                ("feed.xml", data::atom_feed(chron, &cards.typed)),
                ("timeline.json", data::timeline_json(chron)),
                ("search-index.js", search::index_js(chron, &cards)),
            ]
        },
    );
    let mut paths = Vec::with_capacity(results.len() + 16);
    let mut links = Vec::new();
    let mut templates: Vec<TemplateStats> = Vec::new();
    for (r, job) in results.into_iter().zip(&jobs) {
        match r {
            Ok((path, page_links, (time, bytes))) => {
                if !page_links.is_empty() {
                    links.push((path.clone(), page_links));
                }
                paths.push(path);
                let i = match templates.iter().position(|t| t.name == job.template) {
                    Some(i) => i,
                    None => {
                        templates.push(TemplateStats {
                            name: job.template,
                            ..TemplateStats::default()
                        });
                        templates.len() - 1
                    }
                };
                let t = &mut templates[i];
                t.pages += 1;
                t.time += time;
                t.bytes += bytes;
            }
            Err(d) => diags.push(d),
        }
    }
    templates.sort_by(|a, b| b.time.cmp(&a.time).then(a.name.cmp(b.name)));
    let pages = paths.len();
    let mut generated: HashSet<String> = paths.iter().cloned().collect();
    for (path, bytes) in data_files {
        generated.insert(path.to_string());
        put(sink, path.to_string(), bytes, &mut paths, diags);
    }
    for (path, bytes) in statics {
        if generated.contains(&path) {
            diags.error(
                Span::file(Path::new("static").join(&path)),
                format!("this file would overwrite the generated {path}; rename or remove it"),
            );
            continue;
        }
        put(sink, path, bytes, &mut paths, diags);
    }
    paths.sort();

    check_links(&links, &paths, diags);
    (!diags.has_errors()).then_some(Rendered {
        pages,
        paths,
        templates,
    })
}

/// A rendered page: its path, the internal links of its Markdown, and
/// what it cost (time, bytes).
type PageOutcome = (String, Vec<(String, Span)>, (std::time::Duration, usize));

fn put(
    sink: &dyn Sink,
    path: String,
    bytes: Vec<u8>,
    paths: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    paths.push(path.clone());
    if let Err(e) = sink.put(OutputFile { path, bytes }) {
        diags.push(e);
    }
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
    job: &PageJob<'_>,
    data: &[(&'static str, tera::Value)],
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
    for (key, value) in data {
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
fn check_links(links: &[(String, Vec<(String, Span)>)], paths: &[String], diags: &mut Diagnostics) {
    let existing: HashSet<&str> = paths.iter().map(String::as_str).collect();
    for (page, page_links) in links {
        for (link, span) in page_links {
            let target = link.trim_start_matches("./");
            let found = target.is_empty()
                || existing.contains(target)
                || existing.contains(file_of(target).as_str())
                || existing.contains(format!("{target}/index.html").as_str());
            if !found {
                let page = page.trim_end_matches("index.html");
                diags.error(
                    span.clone(),
                    format!(
                        "broken link to \"/{target}\" on page \"/{page}\": no such page or file"
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
