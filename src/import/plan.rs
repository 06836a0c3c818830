//! One analysed input made ready to write: its slug claimed, its drafts'
//! ids made unique across the site, what it would overwrite checked, and its
//! files rendered in memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::drafts::Analysis;
use super::report::{Created, FileReport, Options};
use super::text::Document;
use super::write::{ArticleFront, DraftOut, Output, article_text, drafts_text};
use crate::content::{Content, Registry, Status};
use crate::date::Precision;
use crate::error::{Diagnostic, Span, display_path};
use crate::fields::is_valid_id;

/// Longest slug made from a title, in bytes (cut at a hyphen).
const MAX_SLUG: usize = 80;

/// An input read and analysed, before slugs and ids are given out.
pub struct Prepared {
    /// Its parts.
    pub doc: Document,
    /// Its dates, drafts and names.
    pub analysis: Analysis,
}

/// An error about one input file.
pub fn input_error(input: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Span::file(input), message)
}

/// Ids and slugs already used on the site or earlier in this run.
pub struct Taken {
    /// Event id → the file it is in.
    events: HashMap<String, PathBuf>,
    /// Article slug → its file.
    articles: HashMap<String, PathBuf>,
    /// Ids and slugs given out in this run → the input they came from.
    run: HashMap<String, PathBuf>,
    /// Published events by date as written (`2025-08-18`, `2022-02`): (id, title, file).
    by_date: HashMap<String, Vec<(String, String, PathBuf)>>,
}

impl Taken {
    /// What the site already uses.
    pub fn new(content: &Content) -> Taken {
        let mut t = Taken {
            events: HashMap::new(),
            articles: HashMap::new(),
            run: HashMap::new(),
            by_date: HashMap::new(),
        };
        for e in &content.events {
            let file = e.origin.file().to_path_buf();
            t.events.entry(e.id.value.clone()).or_insert(file.clone());
            let start = e.dates.start();
            if e.status != Status::Draft && start.precision() >= Precision::Month {
                let plain = start.written().trim_end_matches(['~', '?', '%']);
                let key: String = plain.chars().take(10).collect();
                let entry = (e.id.value.clone(), e.title.clone(), file);
                t.by_date.entry(key).or_default().push(entry);
            }
        }
        for a in &content.articles {
            let file = a.origin.file().to_path_buf();
            t.articles.entry(a.slug.value.clone()).or_insert(file);
        }
        t
    }

    /// Whether `id` is free, not counting what is in the `replaced` files.
    fn free(&self, id: &str, replaced: &[PathBuf]) -> bool {
        let elsewhere = |f: Option<&PathBuf>| f.is_some_and(|f| !replaced.contains(f));
        !elsewhere(self.events.get(id))
            && !elsewhere(self.articles.get(id))
            && !self.run.contains_key(id)
    }
}

/// The files one input becomes.
struct Targets {
    slug: String,
    article: PathBuf,
    drafts: PathBuf,
    /// Those of the two that exist already (replaced with `--force`).
    existing: Vec<PathBuf>,
}

impl Targets {
    fn both(&self) -> [PathBuf; 2] {
        [self.article.clone(), self.drafts.clone()]
    }
}

/// Plans one input: `Err` when it cannot be written without overwriting or
/// duplicating something; warnings and notes go to `report`.
pub fn plan(
    input: &Path,
    p: &Prepared,
    opts: &Options,
    content: &Content,
    site: &mut Taken,
    report: &mut FileReport,
) -> Result<(Created, Vec<Output>), Diagnostic> {
    let targets = claim(input, &p.doc, opts, site)?;
    let drafts = assign_ids(input, &p.analysis, &targets, site, report);
    if drafts.is_empty() {
        report
            .notes
            .push("no dates found in the text: no draft events".to_string());
    }
    let front = article_front(input, p, opts, content, &drafts, site, report);
    let yaml_error = |e: serde_yaml::Error| input_error(input, format!("cannot write YAML: {e}"));
    let article = article_text(&front, &p.doc.body).map_err(yaml_error)?;
    let drafts_file = match drafts.is_empty() {
        true => None,
        false => {
            Some(drafts_text(&display_path(input), &targets.slug, &drafts).map_err(yaml_error)?)
        }
    };
    let created = Created {
        article: targets.article.clone(),
        drafts: drafts_file.is_some().then(|| targets.drafts.clone()),
        draft_count: drafts.len(),
        replaced: !targets.existing.is_empty(),
    };
    // Without drafts, a drafts file left by an earlier import is removed.
    let outputs = vec![
        Output {
            path: targets.article,
            text: Some(article),
        },
        Output {
            path: targets.drafts,
            text: drafts_file,
        },
    ];
    Ok((created, outputs))
}

/// Claims the article's slug, refusing to overwrite without `--force` and
/// to duplicate a slug or id used elsewhere.
fn claim(
    input: &Path,
    doc: &Document,
    opts: &Options,
    site: &mut Taken,
) -> Result<Targets, Diagnostic> {
    let slug = article_slug(input, doc)?;
    let article = PathBuf::from(format!("content/articles/{slug}.md"));
    let drafts = PathBuf::from(format!("content/events/drafts/{slug}.yaml"));
    let fail = |message: String| Err(input_error(input, message));
    if let Some(other) = site.run.get(&slug) {
        let (other, shown) = (display_path(other), display_path(&article));
        return fail(format!(
            "makes the same article as {other} ({shown}): give one of them another title"
        ));
    }
    let existing: Vec<PathBuf> = [&article, &drafts]
        .into_iter()
        .filter(|f| opts.root.join(f).exists())
        .cloned()
        .collect();
    if !existing.is_empty() && !opts.force {
        let names: Vec<String> = existing.iter().map(|f| display_path(f)).collect();
        let verb = if names.len() == 1 { "exists" } else { "exist" };
        return fail(format!(
            "{} already {verb}: nothing written (use --force to replace)",
            names.join(" and ")
        ));
    }
    let targets = Targets {
        slug,
        article,
        drafts,
        existing,
    };
    let replaced = targets.both();
    let slug = &targets.slug;
    if let Some(other) = site.articles.get(slug).filter(|f| !replaced.contains(f)) {
        return fail(format!(
            "the slug \"{slug}\" is already used by {}: nothing written",
            display_path(other)
        ));
    }
    if let Some(other) = site.events.get(slug).filter(|f| !replaced.contains(f)) {
        return fail(format!(
            "the slug \"{slug}\" is already the id of an event in {}: nothing written",
            display_path(other)
        ));
    }
    site.run.insert(slug.clone(), input.to_path_buf());
    Ok(targets)
}

/// Gives each draft a free id (`-2`, `-3` appended when taken) and notes
/// published events of the same date, which may be the same event.
fn assign_ids<'a>(
    input: &Path,
    analysis: &'a Analysis,
    targets: &Targets,
    site: &mut Taken,
    report: &mut FileReport,
) -> Vec<DraftOut<'a>> {
    let replaced = targets.both();
    let mut out = Vec::new();
    for d in &analysis.drafts {
        let mut id = d.base_id.clone();
        let mut n = 2;
        while !site.free(&id, &replaced) || id == targets.slug {
            id = format!("{}-{n}", d.base_id);
            n += 1;
        }
        site.run.insert(id.clone(), input.to_path_buf());
        let mut hints = Vec::new();
        for (other, title, file) in site.by_date.get(&d.date.plain()).into_iter().flatten() {
            if !replaced.contains(file) {
                hints.push(format!(
                    "same date as the event {other} (\"{title}\"): the same event?"
                ));
                report.notes.push(format!(
                    "draft {id} has the date of the event {other}: link to it instead if it is the same event"
                ));
            }
        }
        out.push(DraftOut {
            draft: d,
            id,
            hints,
        });
    }
    out
}

/// The article's front matter: text parts, command-line options, names
/// found, drafts, and what a Markdown input's front matter carried.
fn article_front(
    input: &Path,
    p: &Prepared,
    opts: &Options,
    content: &Content,
    drafts: &[DraftOut<'_>],
    site: &Taken,
    report: &mut FileReport,
) -> ArticleFront {
    let front = p.doc.front.clone().unwrap_or_default();
    let mut warn = |message: String| report.warnings.push(input_error(input, message));
    let date = opts.date.format("%Y-%m-%d").to_string();
    if let Some(written) = front.date.as_deref().filter(|d| *d != date) {
        warn(format!(
            "the front matter's date {written} is replaced by --date {date}"
        ));
    }
    for key in &front.dropped {
        warn(format!("front matter field `{key}` is not carried over"));
    }
    let mut events: Vec<String> = drafts.iter().map(|d| d.id.clone()).collect();
    for e in &front.events {
        if site.events.contains_key(e) {
            events.push(e.clone());
        } else {
            warn(format!(
                "front matter lists the unknown event \"{e}\": left out"
            ));
        }
    }
    let mut known =
        |given: &[String], found: &[String], registry: Option<&Registry>, noun: &str| {
            let mut out: Vec<String> = Vec::new();
            for id in given.iter().chain(found) {
                if registry.is_some_and(|r| r.get(id).is_none()) {
                    warn(format!(
                        "front matter names the unknown {noun} \"{id}\": left out"
                    ));
                } else if !out.contains(id) {
                    out.push(id.clone());
                }
            }
            out
        };
    let actors = known(
        &front.actors,
        &p.analysis.actors,
        content.actors.as_ref(),
        "actor",
    );
    let places = known(
        &front.places,
        &p.analysis.places,
        content.places.as_ref(),
        "place",
    );
    ArticleFront {
        title: p.doc.title.clone(),
        date,
        summary: p.doc.summary.clone(),
        author: front.author,
        source: opts.source.clone().or(front.source),
        source_url: opts.url.clone().or(front.source_url),
        tags: front.tags,
        actors,
        places,
        events,
    }
}

/// The front matter's slug, else one made from the title (at most
/// [`MAX_SLUG`] bytes, cut at a hyphen), else from the file name.
fn article_slug(input: &Path, doc: &Document) -> Result<String, Diagnostic> {
    if let Some(slug) = doc.front.as_ref().and_then(|f| f.slug.clone()) {
        return match is_valid_id(&slug) {
            true => Ok(slug),
            false => Err(input_error(
                input,
                format!(
                    "invalid slug \"{slug}\" in the front matter: use lower-case letters, digits and single hyphens"
                ),
            )),
        };
    }
    let mut slug = crate::slug::slugify(&doc.title);
    if slug.len() > MAX_SLUG {
        let cut = slug[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    if slug.is_empty()
        && let Some(stem) = input.file_stem()
    {
        slug = crate::slug::slugify(&stem.to_string_lossy());
    }
    if slug.is_empty() {
        let title = &doc.title;
        return Err(input_error(
            input,
            format!("cannot make a slug from the title \"{title}\" or the file name"),
        ));
    }
    Ok(slug)
}
