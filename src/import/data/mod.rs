//! `annals import --format acled|ucdp|timelinejs|csv FILE...`: datasets to
//! events, re-runnable on newer versions of the same dataset.
//!
//! - [`table`]: the file's encoding and CSV or JSON rows;
//! - [`acled`], [`ucdp`], [`timelinejs`], [`mapping`]: one reader per
//!   format, each making [`record::Record`]s (with [`html`] for
//!   TimelineJS's HTML text);
//! - [`registries`]: actor and place names to registry ids;
//! - [`entry`]: a record as an event mapping with its `import:` origin;
//! - [`store`] and [`merge`]: the events already imported, and what a new
//!   version of a row changes in them;
//! - [`frame`]: a timeline's title slide and eras, as a page and eras.
//!
//! Every problem of every row is collected before anything is written; the
//! writes go through [`super::write::write_all`], all or nothing.

pub mod acled;
pub mod entry;
pub mod frame;
pub mod html;
pub mod mapping;
pub mod merge;
pub mod problem;
pub mod record;
pub mod registries;
pub mod store;
pub mod table;
pub mod timelinejs;
pub mod ucdp;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_yaml::Value;

pub use self::problem::Problem;
use self::record::{Record, Row};
use self::registries::Registry;
use self::store::Store;
use self::timelinejs::Frame;
use crate::error::display_path;

/// The formats `--format` takes besides the default text import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Raw article text (the default).
    Text,
    /// ACLED export (CSV).
    Acled,
    /// UCDP GED (CSV, or the API's JSON).
    Ucdp,
    /// TimelineJS JSON, or its Google Sheet as CSV.
    Timelinejs,
    /// Any spreadsheet (CSV) with `--map`.
    Csv,
}

impl Format {
    /// The name used for the dataset and id prefixes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Acled => "acled",
            Format::Ucdp => "ucdp",
            Format::Timelinejs => "timelinejs",
            Format::Csv => "csv",
        }
    }
}

/// A format's reader of one row.
type RowReader = fn(&Row<'_>) -> Result<Record, Vec<Problem>>;

/// What to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// The dataset files.
    pub files: Vec<PathBuf>,
    /// Their format.
    pub format: Format,
    /// The mapping, for `--format csv`.
    pub map: Option<PathBuf>,
    /// The dataset's name in `import:` blocks (default: the format's).
    pub dataset: Option<String>,
    /// Where new events go (default `content/events/DATASET`), relative to the root.
    pub into: Option<PathBuf>,
    /// Report, write nothing.
    pub dry_run: bool,
}

/// A row gone from the dataset.
#[derive(Debug, Clone)]
pub struct Gone {
    /// Its row id.
    pub row: String,
    /// Its event id.
    pub id: String,
    /// Where the entry is.
    pub path: PathBuf,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Dataset name.
    pub dataset: String,
    /// Rows read.
    pub rows: usize,
    /// New entries.
    pub added: usize,
    /// Entries with fields updated from upstream.
    pub updated: usize,
    /// Entries left as they were.
    pub unchanged: usize,
    /// Conflicts: event id, file, field, values.
    pub conflicts: Vec<(String, PathBuf, merge::Conflict)>,
    /// Entries whose row is no longer in the dataset.
    pub gone: Vec<Gone>,
    /// Registry entries added: actors, places.
    pub new_actors: usize,
    /// Places added.
    pub new_places: usize,
    /// Eras added to `eras.yaml`, and eras already there by their title.
    pub eras: (usize, usize),
    /// Pages made from title slides, and title slides whose page exists.
    pub pages: (Vec<PathBuf>, Vec<PathBuf>),
    /// Files written (or that would be).
    pub files: Vec<PathBuf>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Reads every input into records, and what the files hold besides rows
/// (a timeline's title and eras); all problems of all files together.
pub fn read_records(opts: &Options) -> Result<(Vec<Record>, Frame), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut all = Vec::new();
    let mut frame = Frame::default();
    for path in &opts.files {
        let (mut r, mut p) = read_file(path, opts, &mut frame);
        all.append(&mut r);
        problems.append(&mut p);
    }
    for (r, path) in &all {
        if let Some(why) = check_dates(r) {
            problems.push(Problem::at(path, r.line, why));
        }
        if let Some(s) = &r.status
            && !crate::content::event::Status::ALL
                .iter()
                .any(|(n, _)| n == s)
        {
            problems.push(Problem::at(
                path,
                r.line,
                format!(
                    "unknown status \"{s}\": use confirmed, unverified, disputed, debunked or draft"
                ),
            ));
        }
    }
    let mut seen: HashMap<&str, (&Path, usize)> = HashMap::new();
    let mut seen_ids: HashMap<&str, &str> = HashMap::new();
    for (r, path) in all.iter() {
        if let Some((p, line)) = seen.get(r.key.as_str()) {
            problems.push(Problem::at(
                path,
                r.line,
                format!(
                    "the row id \"{}\" occurs twice: first at {}:{line}",
                    r.key,
                    display_path(p)
                ),
            ));
            continue;
        }
        if let Some(other) = seen_ids.get(r.id.as_str()) {
            problems.push(Problem::at(
                path,
                r.line,
                format!(
                    "the row ids \"{other}\" and \"{}\" both make the event id {}",
                    r.key, r.id
                ),
            ));
            continue;
        }
        seen.insert(&r.key, (path, r.line));
        seen_ids.insert(&r.id, &r.key);
    }
    if problems.is_empty() {
        Ok((all.into_iter().map(|(r, _)| r).collect(), frame))
    } else {
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(problems)
    }
}

/// The records of one file, and the problems of its rows (the good rows are
/// kept so that a duplicate id among them is reported in the same run).
/// Why a record's dates would not load, if they would not: each is read
/// as the content format reads it, and the end may not come before the start.
fn check_dates(r: &Record) -> Option<String> {
    let tz = chrono_tz::UTC;
    let start = match crate::date::Date::parse(&r.date, tz) {
        Ok(d) => d,
        Err(e) => return Some(format!("date \"{}\": {e}", r.date)),
    };
    let end = match r.end.as_deref().map(|e| crate::date::Date::parse(e, tz)) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => return Some(format!("end \"{}\": {e}", r.end.as_deref().unwrap_or(""))),
    };
    crate::date::DateRange::new(start, end)
        .err()
        .map(|e| e.to_string())
}

fn read_file(
    path: &Path,
    opts: &Options,
    frame: &mut Frame,
) -> (Vec<(Record, PathBuf)>, Vec<Problem>) {
    match read_rows(path, opts, frame) {
        Ok((records, problems)) => (
            records
                .into_iter()
                .map(|r| (r, path.to_path_buf()))
                .collect(),
            problems,
        ),
        Err(problems) => (Vec::new(), problems),
    }
}

fn read_rows(
    path: &Path,
    opts: &Options,
    frame: &mut Frame,
) -> Result<(Vec<Record>, Vec<Problem>), Vec<Problem>> {
    let text = table::read_text(path).map_err(|p| vec![p])?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with(['{', '[']);
    let records = match opts.format {
        Format::Timelinejs => {
            let (records, more) = if json {
                timelinejs::read_json(path, &text)?
            } else {
                let t = table::parse_csv(path, &text).map_err(|p| vec![p])?;
                t.require(timelinejs::REQUIRED).map_err(|p| vec![p])?;
                timelinejs::read_sheet(&t)?
            };
            frame.titles.extend(more.titles);
            frame.eras.extend(more.eras);
            records
        }
        Format::Csv => {
            let t = table::parse_csv(path, &text).map_err(|p| vec![p])?;
            let Some(map) = &opts.map else {
                return Err(vec![Problem::file(
                    path,
                    "--format csv needs --map MAPPING.yaml (write a first one with --suggest-map)",
                )]);
            };
            let mapping = mapping::load(map, &t)?;
            mapping::read(&t, &mapping)?
        }
        Format::Acled | Format::Ucdp => {
            let t = if json {
                json_table(path, &text)?
            } else {
                table::parse_csv(path, &text).map_err(|p| vec![p])?
            };
            let (required, read): (&[&str], RowReader) = match opts.format {
                Format::Acled => (acled::REQUIRED, acled::read),
                _ => (ucdp::REQUIRED, ucdp::read),
            };
            t.require(required).map_err(|p| vec![p])?;
            let results: Vec<Result<Record, Vec<Problem>>> = t
                .rows
                .par_iter()
                .map(|(line, cells)| read(&t.row(*line, cells)))
                .collect();
            let mut problems = Vec::new();
            let mut out = Vec::with_capacity(results.len());
            for r in results {
                match r {
                    Ok(r) => out.push(r),
                    Err(mut p) => problems.append(&mut p),
                }
            }
            return Ok((out, problems));
        }
        Format::Text => Vec::new(),
    };
    Ok((records, Vec::new()))
}

/// A JSON dataset (the UCDP or ACLED API's answer: `{"Result": [...]}`,
/// `{"data": [...]}`, or a bare list) as a table.
fn json_table(path: &Path, text: &str) -> Result<table::Table, Vec<Problem>> {
    let doc: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| vec![Problem::at(path, e.line(), format!("not valid JSON: {e}"))])?;
    let items = match &doc {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o
            .get("Result")
            .or_else(|| o.get("data"))
            .and_then(|v| v.as_array())
        {
            Some(a) => a,
            None => {
                return Err(vec![Problem::file(
                    path,
                    "expected a list of rows, or an object with a `Result` or `data` list",
                )]);
            }
        },
        _ => return Err(vec![Problem::file(path, "expected a list of rows")]),
    };
    table::from_json_objects(path, items).map_err(|p| vec![p])
}

/// The file a new event goes to: `BASE/YYYY/YYYY-MM.yaml` (`BASE/YYYY/YYYY.yaml` for a year).
fn file_for(base: &Path, date: &str) -> PathBuf {
    let year: String = date.chars().take(4).collect();
    let month: String = date.chars().skip(5).take(2).collect();
    if month.len() == 2 && month.chars().all(|c| c.is_ascii_digit()) {
        base.join(&year).join(format!("{year}-{month}.yaml"))
    } else {
        base.join(&year).join(format!("{year}.yaml"))
    }
}

/// Imports the dataset into the site: reads, reconciles, writes (unless a dry run).
pub fn import(opts: &Options) -> Result<Report, Vec<Problem>> {
    let started = Instant::now();
    let dataset = opts
        .dataset
        .clone()
        .unwrap_or_else(|| opts.format.name().to_string());
    if !opts.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(vec![Problem::file(
            &opts.root.join(crate::config::CONFIG_FILE),
            "no site here: run the import in a site folder or name it with -r DIR",
        )]);
    }
    let t = |what: &str| {
        if std::env::var_os("ANNALS_IMPORT_TIMINGS").is_some() {
            eprintln!("  {what:<12} {:>8.2} s", started.elapsed().as_secs_f64());
        }
    };
    let (records, frame) = read_records(opts)?;
    t("read");
    let framed = frame::plan(&opts.root, &frame)?;
    let mut actors = Registry::load(&opts.root, "actors").map_err(|p| vec![p])?;
    let mut places = Registry::load(&opts.root, "places").map_err(|p| vec![p])?;
    let mut store = Store::load(&opts.root, &dataset)?;
    t("site");
    let base = opts
        .into
        .clone()
        .unwrap_or_else(|| Path::new("content/events").join(&dataset));
    let mut report = Report {
        dataset: dataset.clone(),
        rows: records.len(),
        ..Report::default()
    };
    // Registry ids in row order (each new name gets its id once), then the
    // rows' mappings and hashes in parallel.
    let ids: Vec<(Vec<String>, Vec<String>)> = records
        .iter()
        .map(|r| entry::resolve(r, &mut actors, &mut places))
        .collect();
    let built: Vec<(serde_yaml::Mapping, String)> = records
        .par_iter()
        .zip(ids)
        .map(|(r, (a, p))| {
            let fields = entry::fields_of(r, a, p);
            let hashes = entry::hashes_text(&entry::hashes(&fields));
            (fields, hashes)
        })
        .collect();
    t("prepare");
    let mut present: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut lookup = (dataset.clone(), String::new());
    for (r, (fields, hashes)) in records.iter().zip(built) {
        present.insert(&r.key);
        lookup.1.clone_from(&r.key);
        match store.imported.get(&lookup).copied() {
            Some((fi, i)) => {
                let file = &mut store.files[fi];
                let merged = merge::merge(&mut file.items[i], &fields, &hashes, &dataset, &r.key);
                if !merged.conflicts.is_empty() {
                    let id = file.items[i]
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    for c in merged.conflicts.iter().cloned() {
                        report.conflicts.push((id.clone(), file.path.clone(), c));
                    }
                }
                if merged.updated.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.updated += 1;
                }
                file.changed |= merged.changed;
            }
            None => {
                let mut id = r.id.clone();
                let mut n = 2;
                while store.ids.contains(&id) {
                    id = format!("{}-{n}", r.id);
                    n += 1;
                }
                store.ids.insert(id.clone());
                let path = file_for(&base, &r.date);
                let fi = store
                    .target(&opts.root, &path, &dataset)
                    .map_err(|p| vec![p])?;
                let file = &mut store.files[fi];
                file.items
                    .push(entry::new_event(&id, fields, &dataset, &r.key, hashes));
                file.changed = true;
                report.added += 1;
            }
        }
    }
    t("reconcile");
    let mut gone: Vec<Gone> = store
        .imported
        .iter()
        .filter(|((_, row), _)| !present.contains(row.as_str()))
        .map(|((_, row), &(fi, i))| Gone {
            row: row.clone(),
            id: store.files[fi].items[i]
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            path: store.files[fi].path.clone(),
        })
        .collect();
    gone.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
    report.gone = gone;
    report.new_actors = actors.added();
    report.new_places = places.added();
    report.eras = (framed.eras_added, framed.eras_kept);
    report.pages = (framed.pages_added, framed.pages_kept);
    let mut outputs: Vec<super::write::Output> = store
        .changed_texts()
        .into_iter()
        .map(|(path, text)| super::write::Output {
            path,
            text: Some(text),
        })
        .collect();
    outputs.extend(framed.outputs);
    for reg in [&actors, &places] {
        if let Some(text) = reg.new_text() {
            outputs.push(super::write::Output {
                path: reg.path.clone(),
                text: Some(text),
            });
        }
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    t("serialise");
    report.files = outputs.iter().map(|o| o.path.clone()).collect();
    if !opts.dry_run && !outputs.is_empty() {
        super::write::write_all(&opts.root, &outputs)
            .map_err(|e| vec![Problem::file(&opts.root, e)])?;
    }
    t("write");
    report.elapsed = started.elapsed();
    // Freeing a large dataset's values one by one takes seconds; the
    // command ends right after the import, and the system takes it all back.
    std::mem::forget(store);
    std::mem::forget(outputs);
    std::mem::forget(records);
    Ok(report)
}
