//! Rendering: the chronology in, `(path, bytes)` pairs out, handed to a
//! [`Sink`] as they are made. No file is written here; `build`'s sink writes
//! them to disk, `serve`'s keeps them in memory.

pub mod card_html;
pub mod card_writer;
pub mod data;
pub mod detail;
pub mod figures;
pub mod job;
pub mod languages;
pub mod lists;
pub mod map_html;
pub mod pages;
pub mod provenance;
pub mod recent;
pub mod search;
pub mod theme;
pub mod trust_data;
pub mod views;

use foldhash::HashSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::assets::Statics;
use crate::chronology::Chronology;
use crate::error::Span;
use crate::error::{Diagnostic, Diagnostics};
use crate::export::{Export, Layout};
pub use crate::output::{Collect, Discard, OutputFile, Sink};
use card_html::CardHtml;
use job::{PageData, PageJob};
use pages::Pages;
use theme::Theme;
use views::{Cards, PageMeta, SiteView};

/// What a render produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// How many HTML pages.
    pub pages: usize,
    /// Every path given to the sink, sorted (shared with the next render's
    /// memo when it is `serve`'s).
    pub paths: Arc<Vec<String>>,
    /// Per template: pages, time spent (summed over threads) and bytes made.
    pub templates: Vec<TemplateStats>,
    /// How many pages the sink was told to keep as it had them.
    pub kept: usize,
    /// How many data files (search shards, `timeline.json` files, exports)
    /// the sink was told to keep as it had them.
    pub kept_data: usize,
    /// The pages that cost the most to make, costliest first (a few).
    pub costliest: Vec<(String, PageCost)>,
}

/// How many of the costliest pages a render reports.
const COSTLIEST: usize = 8;

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

    /// Adds what `other` cost.
    pub fn add(&mut self, other: &PageCost) {
        self.data += other.data;
        self.template += other.template;
        self.write += other.write;
        self.bytes += other.bytes;
    }
}

/// Renders every page, data file and asset of the site into `sink`, step
/// by step. Problems (template errors, broken internal links, assets that
/// would overwrite pages, a sink that cannot write) go to `diags`; the
/// summary is returned only when there were none.
pub fn render(
    chron: &Chronology,
    theme: &Theme,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Option<Rendered> {
    let rendered = if chron.multilingual() {
        languages::render_trees(chron, theme, statics, diags, sink)
    } else {
        render_tree(chron, theme, statics, diags, sink)
    };
    if let Some(r) = &rendered {
        warn_crowded(&r.paths, chron.config.folder_limit, diags);
    }
    rendered
}

/// A warning for each output folder holding more than `folder_limit`
/// entries: some hosts refuse such a folder, and file systems slow down.
pub fn warn_crowded(paths: &[String], limit: usize, diags: &mut Diagnostics) {
    warn_of_crowded(
        &crate::chronology::folders::crowded(paths, limit),
        limit,
        diags,
    );
}

/// The warnings of [`warn_crowded`] for the folders `over` the limit (of
/// [`crate::chronology::folders::crowded`]).
pub fn warn_of_crowded(over: &[(String, usize)], limit: usize, diags: &mut Diagnostics) {
    for (folder, n) in over {
        let folder = if folder.is_empty() { "/" } else { folder };
        diags.warning(
            Span::file(crate::config::CONFIG_FILE),
            format!(
                "the output folder {folder} holds {n} entries, more than folder_limit ({limit}): some hosts refuse or slow down on such folders (docs/deploy.md); use fewer pages there (e.g. a larger per_page) or raise folder_limit"
            ),
        );
    }
}

/// Renders one tree of the site (the whole site, in one language).
pub fn render_tree(
    chron: &Chronology,
    theme: &Theme,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Option<Rendered> {
    // The data every page shares: the site, and each entry's card.
    let site = site_value(chron, theme, statics);
    let cards = Cards::new(chron);
    crate::memtrace::mark("cards");
    let html = CardHtml::new(theme, &site, &cards);
    // Which pages exist, then each one rendered, on every core: the list
    // pages from their jobs, each entry page from a job made as it is
    // rendered and dropped once it is written.
    let pages = Pages::new(chron, &cards, &html);
    let (timeline, lists) = pages.lists();
    crate::memtrace::mark("list jobs");
    let render = |job: &PageJob<'_>| render_job(chron, theme, &site, sink, job);
    let mut made: Vec<Result<Page, Diagnostic>> =
        lists.iter().filter(|j| alone(j)).map(render).collect();
    made.par_extend(
        timeline
            .par_iter()
            .map(render)
            .chain(
                (0..chron.entries.len())
                    .into_par_iter()
                    .map(|pos| render(&pages.entry(pos))),
            )
            .chain(lists.par_iter().filter(|j| !alone(j)).map(render)),
    );
    crate::memtrace::mark("pages rendered");
    // In the order of `Pages::all`: the sitemap lists them so.
    let mut html_paths = html_paths(&timeline);
    html_paths.extend((0..chron.entries.len()).map(|pos| cards.card(pos).path.clone()));
    html_paths.extend(self::html_paths(&lists));
    // The cards' HTML is let go before the data files' buffers are made,
    // so that memory never holds both.
    drop((timeline, lists));
    drop(pages);
    drop(html);
    crate::memtrace::mark("card html dropped");
    let data = put_data_files(chron, &cards, &html_paths, sink, None).written;
    crate::memtrace::mark("data files written");
    finish(made, data, Vec::new(), statics, diags, sink, None)
}

/// Whether a page is rendered alone, before the others: the map page
/// shows every located entry at once (its lists, then the page, each as
/// large as the site), and its buffers are never to add up with other
/// pages' (it is made on every core inside).
pub fn alone(job: &PageJob<'_>) -> bool {
    job.template == "map.html"
}

/// Data files handed to the sink: each path, with the problem the sink
/// had taking it, if any.
pub type Written = Vec<(String, Option<Diagnostic>)>;

/// Hands `files` to the sink side by side (a sink digests and writes
/// each; a large site's data files are hundreds of megabytes), listed in
/// their order.
pub fn put_all(sink: &dyn Sink, files: Vec<(String, Vec<u8>)>) -> Written {
    files
        .into_par_iter()
        .map(|(path, bytes)| {
            let problem = sink
                .put(OutputFile {
                    path: path.clone(),
                    bytes,
                })
                .err();
            (path, problem)
        })
        .collect()
}

/// The data files of [`data_files`] (the same files: keep the two alike),
/// each handed to the sink as soon as it
/// is made and let go: the largest (`timeline.json`, the exports, the
/// search index) are tens of bytes per entry each, and a large site's
/// would not fit in memory all at once. One maker runs at a time, on every
/// core inside, so that the largest two are never held together.
pub fn put_data_files(
    chron: &Chronology,
    cards: &Cards,
    html_paths: &[String],
    sink: &dyn Sink,
    reuse: Option<&Reuse<'_>>,
) -> DataMade {
    let put = |files: Vec<(String, Vec<u8>)>, written: &mut Written| {
        written.extend(put_all(sink, files));
    };
    crate::memtrace::mark("data files begin");
    // After a build whose entries are known, the makers mostly read, copy
    // and digest files the last build wrote: side by side, they overlap.
    let side_by_side = reuse.is_some_and(|r| r.changed.is_some());
    let (first, second) = one_then_other(
        side_by_side,
        || {
            let mut written = Written::new();
            let mut kept = Written::new();
            data::put_timeline_files(
                chron,
                &mut |path, positions| {
                    reuse.is_some_and(|r| r.unchanged(positions))
                        && keep_previous(sink, path, &mut kept)
                },
                &mut |path, bytes| {
                    written.extend(put_all(sink, vec![(path, bytes)]));
                },
            );
            written.extend(kept);
            crate::memtrace::mark("timeline.json");
            let mut layouts = Vec::new();
            for export in Export::enabled(chron) {
                let path = export.path();
                match reuse.and_then(|r| r.export(chron, export, sink)) {
                    Some(Reused::Kept(layout)) => {
                        written.push((path.to_string(), sink.keep(path).err()));
                        layouts.push((export, layout));
                    }
                    Some(Reused::Spliced(file, layout)) => {
                        put(vec![(path.to_string(), file)], &mut written);
                        layouts.push((export, layout));
                    }
                    None => {
                        let (file, layout) = crate::export::file_and_layout(chron, export);
                        put(vec![(path.to_string(), file)], &mut written);
                        layouts.push((export, layout));
                    }
                }
                crate::memtrace::mark(path);
            }
            (written, layouts)
        },
        || {
            let mut written = Written::new();
            let mut kept = Written::new();
            put(data::sitemap_files(&chron.config, html_paths), &mut written);
            put(
                vec![("feed.xml".to_string(), data::atom_feed(chron, cards))],
                &mut written,
            );
            let corrections = data::corrections_feed(chron, &trust_data::site_corrections(chron));
            put(
                vec![("corrections.xml".to_string(), corrections)],
                &mut written,
            );
            crate::memtrace::mark("sitemap, feeds");
            // Handed on a batch at a time as they are made: a large
            // site's index is hundreds of megabytes in as many files as
            // entries.
            let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
            let mut batch_bytes = 0;
            let last = reuse.and_then(|r| r.search.zip(r.changed));
            let remembered = search::each_index_file_after(
                chron,
                cards,
                last,
                &mut |path| keep_previous(sink, path, &mut kept),
                &mut |path, bytes| {
                    batch_bytes += bytes.len();
                    batch.push((path, bytes));
                    if batch.len() >= SEARCH_BATCH_FILES || batch_bytes >= SEARCH_BATCH_BYTES {
                        put(std::mem::take(&mut batch), &mut written);
                        batch_bytes = 0;
                    }
                },
            );
            put(batch, &mut written);
            written.extend(kept);
            // Only a build that updates its output remembers.
            let remembered = reuse.map(|_| remembered);
            crate::memtrace::mark("search index");
            let schemas = data::SCHEMA_FILES
                .iter()
                .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
                .collect();
            put(schemas, &mut written);
            let maps = crate::map::Frame::new(chron).map_or_else(Vec::new, |f| f.base_maps());
            put(
                maps.into_iter()
                    .map(|(path, bytes)| (path.to_string(), bytes))
                    .collect(),
                &mut written,
            );
            (written, remembered)
        },
    );
    let ((mut written, layouts), (second, search)) = (first, second);
    written.extend(second);
    DataMade {
        written,
        layouts,
        search,
    }
}

/// The data files handed to the sink, and what a build that updates its
/// output remembers of them for the next one.
pub struct DataMade {
    /// Each file's path, with the problem the sink had taking it.
    pub written: Written,
    /// Where each entry's part lies in each export's file.
    pub layouts: Vec<(Export, Layout)>,
    /// What the search index was made of (with [`Reuse`] only).
    pub search: Option<search::Remembered>,
}

/// Keeps the previous build's file at `path` when the sink has it as that
/// build left it (noted in `kept`); false when it has not.
fn keep_previous(sink: &dyn Sink, path: &str, kept: &mut Written) -> bool {
    if sink.previous(path).is_none() {
        return false;
    }
    kept.push((path.to_string(), sink.keep(path).err()));
    true
}

/// What a build that updates the output of the last one knows of that
/// build's data files: which entries changed since (by position: the
/// chronology's order and structure are the ones that build had, so the
/// other entries' parts are as it made them) and where each entry's part
/// lies in each export's file. A file none of whose entries changed is
/// kept; an export is made from the file on disk with only the changed
/// entries' parts made again.
pub struct Reuse<'a> {
    /// By position: whether the entry is not the one the last build had
    /// (`None`: another structure, nothing is known).
    pub changed: Option<&'a [bool]>,
    /// Each export's layout as the last build wrote it.
    pub layouts: &'a [(Export, Layout)],
    /// What the last build's search index was made of.
    pub search: Option<&'a search::Remembered>,
}

/// An export the last build's file gives.
enum Reused {
    /// The file as it is (no entry changed).
    Kept(Layout),
    /// The file made of the last one.
    Spliced(Vec<u8>, Layout),
}

impl Reuse<'_> {
    /// Whether none of the entries at `positions` changed.
    fn unchanged(&self, positions: &[usize]) -> bool {
        self.changed.is_some_and(|changed| {
            positions
                .iter()
                .all(|&p| changed.get(p).is_some_and(|c| !c))
        })
    }

    /// `export` from the last build's file, when the sink has it as that
    /// build left it and its layout is known.
    fn export(&self, chron: &Chronology, export: Export, sink: &dyn Sink) -> Option<Reused> {
        let changed = self.changed?;
        let (_, layout) = self.layouts.iter().find(|(e, _)| *e == export)?;
        let file = sink.previous(export.path())?;
        if layout.slots.len() != chron.entries.len() || changed.len() != layout.slots.len() {
            return None;
        }
        if !changed.contains(&true) {
            return Some(Reused::Kept(layout.clone()));
        }
        let old = std::fs::read(file).ok()?;
        let (made, layout) = crate::export::spliced(chron, export, &old, layout, changed)?;
        Some(Reused::Spliced(made, layout))
    }
}

/// How many files of the search index (or bytes of them) are handed to
/// the sink at a time, side by side.
const SEARCH_BATCH_FILES: usize = 2048;
const SEARCH_BATCH_BYTES: usize = 16 << 20;

/// `a`, then `b`; or both at once when `together`.
fn one_then_other<A: Send, B: Send>(
    together: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if together {
        return rayon::join(a, b);
    }
    let a = a();
    (a, b())
}

/// `site` as every template receives it.
pub fn site_value(chron: &Chronology, theme: &Theme, statics: &Statics) -> tera::Value {
    tera::Value::from_serializable(&SiteView::new(
        chron,
        statics.names.clone(),
        theme.translations(),
    ))
}

/// The paths of the pages a sitemap lists (all but the 404 page).
pub fn html_paths(jobs: &[PageJob<'_>]) -> Vec<String> {
    jobs.iter()
        .filter(|j| j.template != "404.html")
        .map(|j| j.path.to_string())
        .collect()
}

/// The data files, made side by side: `sitemap.xml` (and its parts above
/// 50,000 pages), `feed.xml`,
/// `corrections.xml`, the files of `timeline.json` and of the search index
/// that `timeline` and `search` make, and the exports and base maps
/// (`map/base.svg`, `map/card.svg`) that `exports` and `base_maps` make;
/// the sitemap's files are those `sitemap` makes (of `html_paths`: as
/// [`data::sitemap_files`] makes them, or none when the sink keeps them).
pub fn data_files(
    chron: &Chronology,
    cards: &Cards,
    sitemap: impl FnOnce() -> Vec<(String, Vec<u8>)> + Send,
    timeline: impl FnOnce() -> Vec<(String, Vec<u8>)> + Send,
    search: impl FnOnce() -> Vec<(String, Vec<u8>)> + Send,
    exports: impl FnOnce() -> Vec<(&'static str, Vec<u8>)> + Send,
    base_maps: impl FnOnce() -> Vec<(&'static str, Vec<u8>)> + Send,
) -> Vec<(String, Vec<u8>)> {
    let ((timeline, search), ((sitemap, feed), (exports, base_maps))) = rayon::join(
        || rayon::join(timeline, search),
        || {
            rayon::join(
                || rayon::join(sitemap, || data::atom_feed(chron, cards)),
                || rayon::join(exports, base_maps),
            )
        },
    );
    let corrections = data::corrections_feed(chron, &trust_data::site_corrections(chron));
    let mut files = sitemap;
    files.extend([
        ("feed.xml".to_string(), feed),
        ("corrections.xml".to_string(), corrections),
    ]);
    // Both made safe part by part where they are made (search: file by
    // file; timeline: its header and each entry).
    files.extend(search);
    files.extend(timeline);
    files.extend(
        data::SCHEMA_FILES
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec())),
    );
    files.extend(
        exports
            .into_iter()
            .chain(base_maps)
            .map(|(path, bytes)| (path.to_string(), bytes)),
    );
    files
}

/// JSON with every `<` written `\u003c` (the same string to any JSON reader).
pub(crate) fn lt_escaped(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.contains(&b'<') {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + 64);
    for b in bytes {
        if b == b'<' {
            out.extend_from_slice(b"\\u003c");
        } else {
            out.push(b);
        }
    }
    out
}

/// The generated paths of a render, in the order they were given, known
/// by their digest, and sorted: a rebuild that gives the same paths in the
/// same order takes them sorted (a large site's are hundreds of thousands,
/// and most rebuilds do not change them).
pub struct SortedPaths {
    /// The digest of the paths in the order given, and of the static files.
    pub digest: u64,
    sorted: Arc<Vec<String>>,
}

/// The last steps: every page's outcome counted (problems to `diags`), the
/// data files (already handed to the sink) listed, the sink told to keep
/// the data files at `kept` as it has them (a rebuild's, unchanged), the
/// static files handed to the sink, and the internal links of every page
/// checked against the site's paths. With `sorted` (a rebuild's), the
/// paths of the last render sorted: taken when this render gives the same,
/// and replaced by this render's.
pub fn finish(
    made: Vec<Result<Page, Diagnostic>>,
    data_files: Written,
    kept: Vec<String>,
    statics: &Statics,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
    sorted: Option<&mut Option<SortedPaths>>,
) -> Option<Rendered> {
    let mut paths = Vec::with_capacity(made.len() + data_files.len() + kept.len() + 16);
    let mut links = Vec::new();
    let mut templates: Vec<TemplateStats> = Vec::new();
    let mut kept_pages = 0;
    let mut costliest: Vec<(usize, PageCost)> = Vec::new();
    for r in made {
        match r {
            Ok(page) => {
                if !page.links.is_empty() {
                    links.push((page.path.clone(), page.links));
                }
                paths.push(page.path);
                let Some(cost) = page.cost else {
                    kept_pages += 1;
                    continue;
                };
                costliest.push((paths.len() - 1, cost));
                let i = match templates.iter().position(|t| t.name == page.template) {
                    Some(i) => i,
                    None => {
                        templates.push(TemplateStats {
                            name: page.template,
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
    let costliest = costliest_of(costliest, &paths);
    let pages = paths.len();
    for (path, problem) in data_files {
        paths.push(path);
        if let Some(problem) = problem {
            diags.push(problem);
        }
    }
    let kept_data = kept.len();
    for path in kept {
        if let Err(e) = sink.keep(&path) {
            diags.push(e);
        }
        paths.push(path);
    }
    // What was generated, sorted, for the few static files to be checked
    // against; as the last render's when it gave the same paths in the
    // same order and the same static files (then none of those can
    // overwrite a generated file: that render checked them).
    let digest = sorted.as_ref().map(|_| {
        let statics: Vec<&String> = statics.files.iter().map(|(p, _)| p).collect();
        crate::digest::hash_of(&(&paths, statics))
    });
    let same = match (&sorted, digest) {
        (Some(Some(last)), Some(digest)) => last.digest == digest,
        _ => false,
    };
    let paths: Arc<Vec<String>> = if let (true, Some(Some(last))) = (same, &sorted) {
        for (path, bytes) in &statics.files {
            let file = OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            };
            if let Err(e) = sink.put(file) {
                diags.push(e);
            }
        }
        Arc::clone(&last.sorted)
    } else {
        paths.par_sort_unstable();
        let generated = paths.len();
        for (path, bytes) in &statics.files {
            if paths[..generated].binary_search(path).is_ok() {
                diags.error(
                    Span::file(Path::new("static").join(path)),
                    format!("this file would overwrite the generated {path}; rename or remove it"),
                );
                continue;
            }
            put(sink, path.clone(), bytes.clone(), &mut paths, diags);
        }
        // Two sorted runs (generated, then static files): merged in one pass.
        paths[generated..].sort_unstable();
        paths.sort();
        let paths = Arc::new(paths);
        if let (Some(slot), Some(digest)) = (sorted, digest) {
            *slot = Some(SortedPaths {
                digest,
                sorted: Arc::clone(&paths),
            });
        }
        paths
    };
    check_links(&links, &paths, diags);
    (!diags.has_errors()).then_some(Rendered {
        pages,
        paths,
        templates,
        kept: kept_pages,
        kept_data,
        costliest,
    })
}

/// The [`COSTLIEST`] pages of `costs` (by index into `paths`), costliest
/// first, with their paths.
fn costliest_of(mut costs: Vec<(usize, PageCost)>, paths: &[String]) -> Vec<(String, PageCost)> {
    let n = COSTLIEST.min(costs.len());
    if n == 0 {
        return Vec::new();
    }
    costs.select_nth_unstable_by(n - 1, |a, b| b.1.time().cmp(&a.1.time()));
    costs.truncate(n);
    costs.sort_by_key(|c| std::cmp::Reverse(c.1.time()));
    costs
        .into_iter()
        .map(|(i, cost)| (paths[i].clone(), cost))
        .collect()
}

/// A page handed to the sink (or kept as the sink has it).
pub struct Page {
    /// Its output path.
    pub path: String,
    /// Its template.
    pub template: &'static str,
    /// The internal links of its Markdown, with where they were written.
    pub links: Vec<(String, Span)>,
    /// What making it cost; none when it was kept.
    pub cost: Option<PageCost>,
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
pub fn render_job(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    sink: &dyn Sink,
    job: &PageJob<'_>,
) -> Result<Page, Diagnostic> {
    let started = std::time::Instant::now();
    let data = job.data()?;
    render_built(chron, theme, site, sink, job, data, started.elapsed())
}

/// Renders a page whose data is built (which took `data_cost`) and hands
/// it to the sink.
pub fn render_built(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    sink: &dyn Sink,
    job: &PageJob<'_>,
    data: PageData,
    data_cost: std::time::Duration,
) -> Result<Page, Diagnostic> {
    let built = std::time::Instant::now();
    let file = render_page(chron, theme, site, job, &data.data)?;
    let rendered = std::time::Instant::now();
    let bytes = file.bytes.len();
    let path = file.path.clone();
    sink.put(file)?;
    let cost = PageCost {
        data: data_cost,
        template: rendered - built,
        write: rendered.elapsed(),
        bytes,
    };
    Ok(Page {
        path,
        template: job.template,
        links: data.links,
        cost: Some(cost),
    })
}

/// The context a page's template receives: `site`, `root`, `page` and its data.
pub fn page_context(
    chron: &Chronology,
    site: &tera::Value,
    job: &PageJob<'_>,
    data: &[(&'static str, tera::Value)],
) -> tera::Context {
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
        canonical: format!("{}{}", chron.config.canonical_base(), job.path),
        section: job.section.to_string(),
        alternates: languages::alternates(&chron.config, &job.path, &root),
        x_default: languages::x_default(&chron.config, &job.path),
        untranslated: job
            .untranslated
            .then(|| languages::language_name(chron, &chron.config.languages[0])),
    };
    let mut context = tera::Context::new();
    context.insert_value("site", site.clone());
    context.insert("root", &root);
    context.insert("page", &meta);
    for (key, value) in data {
        context.insert_value(*key, value.clone());
    }
    context
}

fn render_page(
    chron: &Chronology,
    theme: &Theme,
    site: &tera::Value,
    job: &PageJob<'_>,
    data: &[(&'static str, tera::Value)],
) -> Result<OutputFile, Diagnostic> {
    let context = page_context(chron, site, job, data);
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
