//! What an import is asked to do and what it reports: the run's options
//! and, per input file, the files it became or why nothing was written.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use crate::error::Diagnostic;

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// Input files (folders stand for the text and Markdown files in them).
    pub files: Vec<PathBuf>,
    /// The articles' publication date.
    pub date: NaiveDate,
    /// Publisher, for `source`.
    pub source: Option<String>,
    /// Address of the original, for `source_url`.
    pub url: Option<String>,
    /// Replace articles and drafts imported before.
    pub force: bool,
}

/// What one input file became.
#[derive(Debug)]
pub struct FileReport {
    /// The input, as given.
    pub input: PathBuf,
    /// The files written, or why nothing was.
    pub result: Result<Created, Diagnostic>,
    /// Problems that did not stop the import.
    pub warnings: Vec<Diagnostic>,
    /// Things the curator should know (no dates found, a possible duplicate).
    pub notes: Vec<String>,
}

/// The files an input became, relative to the site root.
#[derive(Debug, Clone)]
pub struct Created {
    /// `content/articles/SLUG.md`.
    pub article: PathBuf,
    /// `content/events/drafts/SLUG.yaml`, when there are drafts.
    pub drafts: Option<PathBuf>,
    /// How many draft events.
    pub draft_count: usize,
    /// True when an earlier import was replaced (`--force`).
    pub replaced: bool,
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    /// One per input file, in input order.
    pub files: Vec<FileReport>,
    /// Problems of the site that did not stop the import.
    pub warnings: Vec<Diagnostic>,
    /// Time from start to the last file written.
    pub elapsed: Duration,
}
