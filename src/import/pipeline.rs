//! The import as a straight line: load the site once (registries, taken ids),
//! read and analyse every input in parallel, give out slugs and ids in input
//! order, then write each input's files all together or not at all.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::drafts::analyse;
use super::entities::Matcher;
use super::plan::{Prepared, Taken, input_error, plan};
use super::report::{FileReport, Options, Report};
use super::text::parse;
use super::write::{Output, write_all};
use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Diagnostics, Span};

/// Largest input accepted: a news article is a few kilobytes.
const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// Imports every input of `opts`; `Err` only when the site itself cannot be loaded.
pub fn import(opts: &Options) -> Result<Report, Diagnostics> {
    let started = Instant::now();
    let config = Config::load(&opts.root)?;
    let mut diags = Diagnostics::new();
    let content = content::load(&opts.root, &config, content::Texts::LetGo, &mut diags);
    let mut warnings = Vec::new();
    if diags.has_errors() {
        warnings.push(Diagnostic::warning(
            Span::file("content"),
            format!(
                "the site's content has {} errors (`annals check` lists them); importing anyway",
                diags.error_count()
            ),
        ));
    }
    let matcher = Matcher::new(content.actors.as_ref(), content.places.as_ref());
    let inputs = expand(&opts.files);
    let prepared: Vec<(PathBuf, Result<Prepared, Diagnostic>)> = inputs
        .par_iter()
        .map(|input| (input.clone(), prepare(input, opts.date, &matcher)))
        .collect();
    let mut site = Taken::new(&content);
    let planned: Vec<(FileReport, Vec<Output>)> = prepared
        .into_iter()
        .map(|(input, prep)| {
            let mut report = FileReport {
                input: input.clone(),
                result: Err(Diagnostic::global("not imported")),
                warnings: Vec::new(),
                notes: Vec::new(),
            };
            let outputs =
                match prep.and_then(|p| plan(&input, &p, opts, &content, &mut site, &mut report)) {
                    Ok((created, outputs)) => {
                        report.result = Ok(created);
                        outputs
                    }
                    Err(e) => {
                        report.result = Err(e);
                        Vec::new()
                    }
                };
            (report, outputs)
        })
        .collect();
    let files = planned
        .into_par_iter()
        .map(|(mut report, outputs)| {
            if report.result.is_ok()
                && let Err(why) = write_all(&opts.root, &outputs)
            {
                report.result = Err(input_error(&report.input, why));
            }
            report
        })
        .collect();
    Ok(Report {
        files,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Files named on the command line; a folder stands for its `.txt`, `.md`
/// and extension-less files (not hidden ones), in name order.
fn expand(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in files {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
        for entry in walker
            .filter_entry(|e| {
                e.depth() == 0 || !content::is_ignored_name(&e.file_name().to_string_lossy())
            })
            .flatten()
        {
            let ext = entry
                .path()
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase());
            if entry.file_type().is_file()
                && matches!(
                    ext.as_deref(),
                    None | Some("txt" | "text" | "md" | "markdown")
                )
            {
                out.push(entry.into_path());
            }
        }
    }
    out
}

fn prepare(input: &Path, date: NaiveDate, matcher: &Matcher) -> Result<Prepared, Diagnostic> {
    let text = read_input(input)?;
    let markdown = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let doc = parse(&text, markdown).map_err(|e| {
        let span = match e.line {
            Some(line) => Span {
                line: Some(line),
                ..Span::file(input)
            },
            None => Span::file(input),
        };
        Diagnostic::error(span, e.message)
    })?;
    let analysis = analyse(&doc, date, matcher);
    Ok(Prepared { doc, analysis })
}

/// Reads an input as text: refuses folders, huge files, binary data, text
/// that is not UTF-8 and files with nothing in them.
fn read_input(input: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(input)
        .map_err(|e| input_error(input, format!("cannot read file: {e}")))?;
    if !meta.is_file() {
        return Err(input_error(input, "not a file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(input_error(
            input,
            format!(
                "file is {} bytes: too big for an article (at most {MAX_INPUT_BYTES})",
                meta.len()
            ),
        ));
    }
    let bytes =
        std::fs::read(input).map_err(|e| input_error(input, format!("cannot read file: {e}")))?;
    // Bytes below 0x80 never occur inside a UTF-8 sequence: this holds for
    // any encoding of text, and catches images, archives and the like.
    let control =
        |b: &u8| *b < b' ' && !matches!(b, b'\n' | b'\t' | b'\r' | 0x0b | 0x0c) || *b == 0x7f;
    if bytes.iter().any(control) {
        return Err(input_error(
            input,
            "file holds binary data, not text: nothing to import",
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Read again through the loader's reader, for the line and column.
        Err(_) => {
            return Err(crate::source::SourceFile::read(Path::new(""), input)
                .err()
                .unwrap_or_else(|| input_error(input, "file is not valid UTF-8 text")));
        }
    };
    let file = crate::source::SourceFile::from_text(input, &text);
    if file.text.trim().is_empty() {
        return Err(input_error(input, "file is empty: nothing to import"));
    }
    Ok(file.text)
}
