//! `annals import`: raw article text → an article with front matter and
//! draft events for the dates it mentions.
//!
//! The stages, each in its own module:
//!
//! - [`text`] (with [`front`] and [`paragraphs`]): headline, teaser or
//!   standfirst, body paragraphs, sentences;
//! - [`dates`] (with [`words`]): date mentions, resolved against the
//!   article date;
//! - [`entities`]: actors and places named in the text;
//! - [`drafts`] (with [`titles`]): one draft event per date, with a title,
//!   an id and names;
//! - [`write`](mod@write): the article and drafts files, written all or nothing;
//! - [`pipeline`]: the run over many files ([`report`]: its options and
//!   what each input became).
//!
//! This module holds the command line entry, [`ImportArgs`], which prints
//! one line per input on stdout (what was created, or notes), problems on
//! stderr in the compiler style, and a summary line:
//!
//! ```text
//! raw/a.txt: created content/articles/a.md and content/events/drafts/a.yaml (4 draft events)
//! raw/c.txt: created content/articles/c.md
//! note: raw/c.txt: no dates found in the text: no draft events
//! error: raw/d.txt: content/articles/d.md already exists: nothing written (use --force to replace)
//! imported 2 of 3 files: 2 articles, 4 draft events in 0.01 s
//! ```

mod cli_data;
pub mod data;
pub mod dates;
pub mod drafts;
pub mod entities;
pub mod front;
pub mod paragraphs;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod text;
pub mod text_error;
pub mod titles;
pub mod words;
pub mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

pub use pipeline::import;
pub use report::{Created, FileReport, Options, Report};

use crate::error::display_path;

/// `annals import FILE... --date DATE [--source NAME] [--url URL] [--force]`,
/// or `annals import --format acled|ucdp|timelinejs|csv FILE...`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Raw article text or Markdown files (a folder stands for the .txt and
    /// .md files in it); with --format, the dataset files.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What the files are: text (articles, the default), acled, ucdp,
    /// timelinejs or csv (with --map).
    #[arg(long, value_enum, default_value = "text")]
    pub format: data::Format,
    /// With --format csv: the mapping of columns to fields (YAML).
    #[arg(long, value_name = "MAPPING.yaml")]
    pub map: Option<PathBuf>,
    /// With --format csv: write a first mapping for this file's header (to
    /// --map's path if given, else to stdout) and import nothing.
    #[arg(long, value_name = "FILE")]
    pub suggest_map: Option<PathBuf>,
    /// With --format: the folder new events go to (default content/events/DATASET).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// With --format: the dataset's name in the entries' `import:` blocks
    /// (default: the format's name); re-imports match rows within it.
    #[arg(long, value_name = "NAME", value_parser = parse_dataset)]
    pub dataset: Option<String>,
    /// With --format: say what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The articles' publication date (YYYY-MM-DD): "on Monday", "last
    /// month" are resolved against it. Required for text.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Who published the article (front matter `source`).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// The original's address (front matter `source_url`); one FILE only.
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    pub url: Option<String>,
    /// Replace an article (and its drafts) imported before.
    #[arg(long)]
    pub force: bool,
}

/// `--date`: a day, with the content format's own messages for bad values.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let parsed = crate::date::Date::parse(text, chrono_tz::UTC).map_err(|e| e.to_string())?;
    if parsed.precision() != crate::date::Precision::Day
        || parsed.written().ends_with(['~', '?', '%'])
    {
        return Err(format!(
            "\"{text}\": the article date must be a day, YYYY-MM-DD"
        ));
    }
    NaiveDate::parse_from_str(parsed.written(), "%Y-%m-%d").map_err(|e| e.to_string())
}

fn parse_dataset(text: &str) -> Result<String, String> {
    if crate::fields::is_valid_id(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "\"{text}\": a dataset name is lower-case letters and digits joined by hyphens"
        ))
    }
}

fn parse_url(text: &str) -> Result<String, String> {
    if text.starts_with("https://") || text.starts_with("http://") {
        Ok(text.to_string())
    } else {
        Err(format!("\"{text}\" must start with https:// or http://"))
    }
}

impl ImportArgs {
    /// Runs the import on the site at `root`; prints what it did.
    pub fn run(self, root: PathBuf) -> ExitCode {
        if self.format != data::Format::Text || self.suggest_map.is_some() {
            return cli_data::run(self, root);
        }
        if self.files.is_empty() {
            eprintln!("error: name the files to import");
            return ExitCode::from(2);
        }
        let Some(date) = self.date else {
            eprintln!(
                "error: --date DATE is required to import article text (or give --format for a dataset)"
            );
            return ExitCode::from(2);
        };
        if self.url.is_some() && (self.files.len() > 1 || self.files[0].is_dir()) {
            eprintln!("error: --url is the address of one article: give it with a single FILE");
            return ExitCode::from(2);
        }
        let opts = Options {
            root,
            files: self.files,
            date,
            source: self.source,
            url: self.url,
            force: self.force,
        };
        let report = match import(&opts) {
            Ok(r) => r,
            Err(diags) => {
                for d in diags.sorted() {
                    eprintln!("{d}");
                }
                return ExitCode::from(1);
            }
        };
        for w in &report.warnings {
            eprintln!("{w}");
        }
        let (mut ok, mut drafts) = (0, 0);
        for f in &report.files {
            print_file(f);
            if let Ok(c) = &f.result {
                ok += 1;
                drafts += c.draft_count;
            }
        }
        let total = report.files.len();
        println!(
            "imported {ok} of {total} file{}: {ok} article{}, {drafts} draft event{} in {:.2} s",
            plural(total),
            plural(ok),
            plural(drafts),
            report.elapsed.as_secs_f64()
        );
        if drafts > 0 {
            println!(
                "next: review the drafts in content/events/drafts/ (`annals check` counts them)"
            );
        }
        if ok == total {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

fn print_file(f: &FileReport) {
    let input = display_path(&f.input);
    for w in &f.warnings {
        eprintln!("{w}");
    }
    match &f.result {
        Ok(c) => {
            let verb = if c.replaced { "replaced" } else { "created" };
            let article = display_path(&c.article);
            match &c.drafts {
                Some(d) => println!(
                    "{input}: {verb} {article} and {} ({} draft event{})",
                    display_path(d),
                    c.draft_count,
                    plural(c.draft_count)
                ),
                None => println!("{input}: {verb} {article}"),
            }
            for note in &f.notes {
                println!("note: {input}: {note}");
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
