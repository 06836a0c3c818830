//! The command line of a dataset import: checks the options, runs
//! [`data::import`], prints conflicts, vanished rows and the summary line:
//!
//! ```text
//! conflict: acled-ukr1 (content/events/acled/2022/2022-02.yaml) summary: kept "ours", upstream "theirs"
//! gone: acled UKR9 (acled-ukr9 in content/events/acled/2022/2022-03.yaml) is no longer in the dataset; kept
//! acled: 120 rows: 3 added, 1 updated, 115 unchanged, 1 conflict, 1 gone; 2 actors and 4 places added; 3 files written in 0.05 s
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use super::ImportArgs;
use super::data::{self, Format, Options};
use crate::error::display_path;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Runs `annals import --format ...` or `--suggest-map`.
pub fn run(args: ImportArgs, root: PathBuf) -> ExitCode {
    if args.date.is_some() || args.url.is_some() || args.source.is_some() || args.force {
        eprintln!(
            "error: --date, --source, --url and --force are for article text; a dataset import takes none of them"
        );
        return ExitCode::from(2);
    }
    if let Some(file) = &args.suggest_map {
        return suggest(file, args.map.as_ref(), args.format);
    }
    if args.files.is_empty() {
        eprintln!("error: name the dataset files to import");
        return ExitCode::from(2);
    }
    if args.map.is_some() && args.format != Format::Csv {
        eprintln!("error: --map is for --format csv");
        return ExitCode::from(2);
    }
    if args.format == Format::Csv && args.map.is_none() {
        eprintln!(
            "error: --format csv needs --map MAPPING.yaml (write a first one with --suggest-map FILE)"
        );
        return ExitCode::from(2);
    }
    if let Some(into) = &args.into
        && (into.is_absolute()
            || !into.starts_with("content/events")
            || into
                .components()
                .any(|c| c == std::path::Component::ParentDir))
    {
        eprintln!(
            "error: --into {}: events are read from content/events/: give a folder under it, relative to the site",
            into.display()
        );
        return ExitCode::from(2);
    }
    let opts = Options {
        root,
        files: args.files,
        format: args.format,
        map: args.map,
        dataset: args.dataset,
        into: args.into,
        dry_run: args.dry_run,
    };
    let report = match data::import(&opts) {
        Ok(r) => r,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!(
                "failed: {}; nothing was written",
                plural(problems.len(), "problem", "problems")
            );
            return ExitCode::from(1);
        }
    };
    for (id, path, c) in &report.conflicts {
        println!(
            "conflict: {id} ({}) {}: kept {}, upstream {}",
            display_path(path),
            c.field,
            c.local,
            c.upstream
        );
    }
    for g in &report.gone {
        println!(
            "gone: {} {} ({} in {}) is no longer in the dataset; kept",
            report.dataset,
            g.row,
            g.id,
            display_path(&g.path)
        );
    }
    let (eras_added, eras_kept) = report.eras;
    if eras_added + eras_kept > 0 {
        println!(
            "eras: {eras_added} added to content/eras.yaml, {eras_kept} already there (by title; kept as they are)"
        );
    }
    for page in &report.pages.0 {
        println!("title slide: written as the page {}", display_path(page));
    }
    for page in &report.pages.1 {
        println!("title slide: {} exists; kept as it is", display_path(page));
    }
    let nothing = report.added == 0 && report.updated == 0 && report.files.is_empty();
    let written = if opts.dry_run {
        format!(
            "dry run: {} would be written",
            plural(report.files.len(), "file", "files")
        )
    } else if nothing {
        "nothing changed".to_string()
    } else {
        format!("{} written", plural(report.files.len(), "file", "files"))
    };
    println!(
        "{}: {}: {} added, {} updated, {} unchanged, {}, {} gone; {} and {} added; {written} in {:.2} s",
        report.dataset,
        plural(report.rows, "row", "rows"),
        report.added,
        report.updated,
        report.unchanged,
        plural(report.conflicts.len(), "conflict", "conflicts"),
        report.gone.len(),
        plural(report.new_actors, "actor", "actors"),
        plural(report.new_places, "place", "places"),
        report.elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}

fn suggest(file: &std::path::Path, out: Option<&PathBuf>, format: Format) -> ExitCode {
    if format != Format::Csv {
        eprintln!("error: --suggest-map is for --format csv");
        return ExitCode::from(2);
    }
    let table = match data::table::read_text(file).and_then(|t| data::table::parse_csv(file, &t)) {
        Ok(t) => t,
        Err(p) => {
            eprintln!("{p}");
            return ExitCode::from(1);
        }
    };
    let text = data::mapping::suggest(&table);
    match out {
        None => print!("{text}"),
        Some(path) => {
            if path.exists() {
                eprintln!("error: {} exists: not replaced", display_path(path));
                return ExitCode::from(1);
            }
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("error: {}: cannot write: {e}", display_path(path));
                return ExitCode::from(1);
            }
            println!(
                "wrote {}: check it, then import with --map {}",
                display_path(path),
                display_path(path)
            );
        }
    }
    ExitCode::SUCCESS
}
