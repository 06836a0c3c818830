//! Rendering: the chronology in, `(path, bytes)` pairs out, handed to a
//! [`Sink`] as they are made. No file is written here; `build`'s sink writes
//! them to disk, `serve`'s keeps them in memory.

pub mod card_html;
pub mod data;
pub mod detail;
pub mod fingerprint;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use foldhash::HashSet;
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

    /// Keeps the page at `path` as the previous build made it (its inputs
    /// did not change). Only sinks that keep a previous build can.
    fn keep(&self, path: &str) -> Result<(), Diagnostic> {
        Err(Diagnostic::error(
            Span::file(path),
            "internal error: this output has no previous build to keep pages from",
        ))
    }
}

/// A sink that keeps every file in memory. Pages it is told to keep are
/// left to its owner, which holds the previous build they come from (the
/// render's [`Rendered::paths`] names every file of the new site).
#[derive(Default)]
pub struct Collect {
    files: Mutex<Vec<OutputFile>>,
}

impl Collect {
    /// The files made, sorted by path.
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

    fn keep(&self, _path: &str) -> Result<(), Diagnostic> {
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
    /// With a memo of the previous build: the memo of this one.
    pub memo: Option<fingerprint::Memo>,
    /// With a memo: how many pages were kept as they were.
    pub kept: usize,
}

/// What one template cost in a render (`annals build --timings`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateStats {
    /// The template's name.
    pub name: &'static str,
    /// Pages rendered with it.
    pub pages: usize,
    /// What making those pages cost, summed over threads.
    pub cost: PageCost,
}

/// What making pages cost, in time summed over threads, and in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageCost {
    /// Building the values the template receives (entry cards rendered on
    /// first use included).
    pub data: std::time::Duration,
    /// Running the template.
    pub template: std::time::Duration,
    /// Handing the HTML to the output (writing it, and its checksum).
    pub write: std::time::Duration,
    /// Bytes of HTML made.
    pub bytes: usize,
}

impl PageCost {
    /// All the time.
    pub fn time(&self) -> std::time::Duration {
        self.data + self.template + self.write
    }

    fn add(&mut self, other: &PageCost) {
        self.data += other.data;
        self.template += other.template;
        self.write += other.write;
        self.bytes += other.bytes;
    }
}

/// Renders every page, data file and asset of the site into `sink`.
/// Problems (template errors, broken internal links, assets that would
/// overwrite pages, a sink that cannot write) go to `diags`; the summary is
/// returned only when there were none.
///
/// With the `memo` of the previous build (serve), a page whose inputs did
/// not change is not rendered: the sink is told to keep it.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    root: &Path,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    memo: Option<&fingerprint::Memo>,
) -> Option<Rendered> {
    let mut statics = theme::static_files(root, diags);
    let assets = theme::fingerprint(&mut statics);
    let site_view = SiteView::new(chron, assets);
    let settled = memo.map(|m| {
        m.entries
            .as_ref()
            .and_then(|last| last.settled(chron))
            .unwrap_or_else(|| fingerprint::settled(chron))
    });
    let sigs = settled
        .map(|settled| fingerprint::Sigs::new(chron, theme.generation(), &site_view, settled));
    let (cards, cards_memo) = Cards::new(chron, sigs.as_ref().zip(memo.map(|m| &m.cards)));
    let site = tera::Value::from_serializable(&site_view);
    let (html, card_memo) = card_html::CardHtml::new(
        theme,
        &site,
        &cards,
        sigs.as_ref().zip(memo.map(|m| &m.card_html)),
    );
    let pages = Pages::new(chron, &cards, &html, sigs.as_ref());
    let carried = match (memo.and_then(|m| m.entries.as_ref()), &sigs) {
        (Some(last), Some(sigs)) => last.carried(chron, sigs, &cards, &pages.shared),
        _ => Vec::new(),
    };
    let pages = pages.carrying(carried);
    let jobs = pages.all();
    let html_paths: Vec<String> = jobs
        .iter()
        .filter(|j| j.template != "404.html")
        .map(|j| j.path.to_string())
        .collect();

    // Pages on every core, then the data files: the cards' HTML is let go
    // before the data files' buffers are made, so that memory never holds both.
    // With a memo, a page whose fingerprint (page key, hash of its inputs)
    // did not change is kept.
    let fingerprints: Vec<Option<(u64, u64)>> = match memo {
        Some(_) => jobs
            .par_iter()
            .map(|job| {
                if job.carried.is_some() {
                    return job.carried;
                }
                let fp = fingerprint::Fp::new(job.template)
                    .with(&job.fingerprint)
                    .with(&job.path)
                    .with(&job.title)
                    .with(&job.description)
                    .with(job.section)
                    .finish();
                Some((fingerprint::page_key(&job.path), fp))
            })
            .collect(),
        None => vec![None; jobs.len()],
    };
    let mut results: Vec<Option<Result<PageOutcome, Diagnostic>>> = jobs
        .par_iter()
        .zip(&fingerprints)
        .map(|(job, &fingerprint)| {
            let (key, fp) = fingerprint?;
            let (old, links) = memo?.pages.get(&key)?;
            (*old == fp).then(|| {
                let path = file_of(&job.path);
                sink.keep(&path)?;
                Ok(PageOutcome {
                    path,
                    links: links.clone(),
                    cost: None,
                    fingerprint,
                })
            })
        })
        .collect();
    // The pages to render. Kept pages leave a few, of any size: the largest
    // go first, so that no core is left alone with a long list at the end
    // (a build's jobs come largest first already).
    let mut todo: Vec<usize> = (0..jobs.len()).filter(|&i| results[i].is_none()).collect();
    if memo.is_some() {
        todo.sort_by_key(|&i| std::cmp::Reverse(jobs[i].size_hint));
    }
    let made: Vec<(usize, Result<PageOutcome, Diagnostic>)> = todo
        .par_iter()
        .map(|&i| {
            if jobs[i].carried.is_some() {
                let lost = "internal error: a page carried from the last build is not in its memo";
                return (i, Err(Diagnostic::global(lost)));
            }
            let made = render_job(chron, theme, &site, sink, &jobs[i]).map(|mut page| {
                page.fingerprint = fingerprints[i];
                page
            });
            (i, made)
        })
        .collect();
    for (i, r) in made {
        results[i] = Some(r);
    }
    let results: Vec<Result<PageOutcome, Diagnostic>> = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(Diagnostic::global(
                    "internal error: a page was neither kept nor rendered",
                ))
            })
        })
        .collect();
    let templates_of: Vec<&'static str> = jobs.iter().map(|j| j.template).collect();
    // What the entry pages were made from, for the next build to carry them.
    let entry_pages = sigs.as_ref().zip(settled).map(|(sigs, settled)| {
        let mut by_position = vec![None; chron.entries.len()];
        for (job, fingerprint) in jobs.iter().zip(&fingerprints) {
            if let Some(pos) = job.entry {
                by_position[pos] = *fingerprint;
            }
        }
        let shared = pages.shared.clone();
        fingerprint::EntryPages::new(chron, settled, sigs, &cards, shared, by_position)
    });
    drop(jobs);
    drop(pages);
    drop(html);
    let ((timeline, json_memo), ((search, search_memo), (sitemap, feed))) = rayon::join(
        || data::timeline_json(chron, sigs.as_ref().zip(memo.map(|m| &m.json))),
        || {
            rayon::join(
                || search::index_js(chron, &cards, sigs.as_ref().zip(memo.map(|m| &m.search))),
                || {
                    rayon::join(
                        || data::sitemap(&chron.config.base_url, &html_paths),
                        || data::atom_feed(chron, &cards),
                    )
                },
            )
        },
    );
    let mut data_files = vec![
        ("sitemap.xml", sitemap),
        ("feed.xml", feed),
        ("search-index.js", search),
        ("timeline.json", timeline),
    ];
    data_files.extend(crate::export::files(chron));
    let mut paths = Vec::with_capacity(results.len() + 16);
    let mut links = Vec::new();
    let mut templates: Vec<TemplateStats> = Vec::new();
    let mut new_memo = memo.map(|_| fingerprint::Memo {
        pages: Default::default(),
        cards: cards_memo,
        card_html: card_memo,
        json: json_memo,
        search: search_memo,
        entries: entry_pages,
    });
    let mut kept = 0;
    for (r, template) in results.into_iter().zip(templates_of) {
        match r {
            Ok(page) => {
                if let (Some(m), Some((key, fp))) = (new_memo.as_mut(), page.fingerprint) {
                    m.pages.insert(key, (fp, page.links.clone()));
                }
                if !page.links.is_empty() {
                    links.push((page.path.clone(), page.links));
                }
                paths.push(page.path);
                let Some(cost) = page.cost else {
                    kept += 1;
                    continue;
                };
                let i = match templates.iter().position(|t| t.name == template) {
                    Some(i) => i,
                    None => {
                        templates.push(TemplateStats {
                            name: template,
                            ..TemplateStats::default()
                        });
                        templates.len() - 1
                    }
                };
                templates[i].pages += 1;
                templates[i].cost.add(&cost);
            }
            Err(d) => diags.push(d),
        }
    }
    templates.sort_by(|a, b| b.cost.time().cmp(&a.cost.time()).then(a.name.cmp(b.name)));
    let pages = paths.len();
    for (path, bytes) in data_files {
        put(sink, path.to_string(), bytes, &mut paths, diags);
    }
    // What was generated, sorted, for the few static files to be checked against.
    paths.par_sort_unstable();
    let generated = paths.len();
    for (path, bytes) in statics {
        if paths[..generated].binary_search(&path).is_ok() {
            diags.error(
                Span::file(Path::new("static").join(&path)),
                format!("this file would overwrite the generated {path}; rename or remove it"),
            );
            continue;
        }
        put(sink, path, bytes, &mut paths, diags);
    }
    // Two sorted runs (generated, then static files): merged in one pass.
    paths[generated..].sort_unstable();
    paths.sort();

    check_links(&links, &paths, diags);
    (!diags.has_errors()).then_some(Rendered {
        pages,
        paths,
        templates,
        memo: new_memo,
        kept,
    })
}

/// A page handed to the sink (or kept).
struct PageOutcome {
    /// Its output path.
    path: String,
    /// The internal links of its Markdown, with where they were written.
    links: Vec<(String, Span)>,
    /// What making it cost; none when it was kept.
    cost: Option<PageCost>,
    /// Its key and fingerprint, when builds are remembered.
    fingerprint: Option<(u64, u64)>,
}

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

/// Builds a page's data, renders it and hands it to the sink.
fn render_job(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    sink: &dyn Sink,
    job: &PageJob<'_>,
) -> Result<PageOutcome, Diagnostic> {
    let started = std::time::Instant::now();
    let data = job.data()?;
    let built = std::time::Instant::now();
    let file = render_page(chron, theme, site, job, &data.data)?;
    let rendered = std::time::Instant::now();
    let bytes = file.bytes.len();
    let path = file.path.clone();
    sink.put(file)?;
    let cost = PageCost {
        data: built - started,
        template: rendered - built,
        write: rendered.elapsed(),
        bytes,
    };
    Ok(PageOutcome {
        path,
        links: data.links,
        cost: Some(cost),
        fingerprint: None,
    })
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
        title: job.title.to_string(),
        description: job.description.to_string(),
        path: job.path.to_string(),
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
    let mut bytes = Vec::with_capacity(job.size_hint);
    theme.render_to(job.template, &context, &mut bytes)?;
    Ok(OutputFile {
        path: file_of(&job.path),
        bytes,
    })
}

/// Every link written in Markdown to a page of this site must lead somewhere.
fn check_links(links: &[(String, Vec<(String, Span)>)], paths: &[String], diags: &mut Diagnostics) {
    if links.is_empty() {
        return;
    }
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
