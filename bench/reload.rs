//! Where serve's rebuild after one event edit spends its time, in process:
//! the site at the given root is built once as `serve` builds it, then one
//! event's title is edited `RUNS` times, and each rebuild's stages, the
//! cost of each template and the costliest pages are printed, with the
//! medians of the stages at the end.
//!
//! `cargo run --release --example reload -- SITE [RUNS [PAUSE_MS]]` (the site is
//! edited in place: give it a copy, e.g. of the corpus `serve_bench.py`
//! makes; its first events file is the one edited).

use std::path::{Path, PathBuf};
use std::time::Duration;

use annals::serve::session::Session;
use annals::site::Options;

// As the binary: mimalloc, freed memory kept for the next rebuild.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: reload SITE [RUNS [PAUSE_MS]]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    // A pause before each edit (ms), as `serve_bench.py` waits between its
    // edits: caches go cold, as they do between a person's edits.
    let pause: u64 = args.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    // mimalloc's `purge_delay` (option 15) set to never, as `annals serve` does.
    // SAFETY: sets one of mimalloc's integer options.
    unsafe { libmimalloc_sys::mi_option_set(15, -1) };
    let mut session = Session::new(Options {
        root: root.clone(),
        base_url: None,
        drafts: false,
        now: None,
        archives: annals::trust::Archives::Ignore,
    });
    let first = session.rebuild(&[]);
    assert!(first.files.is_some(), "{:?}", first.diagnostics);
    println!("first build: {:.0} ms", ms(first.elapsed));
    drop(first);
    let file = first_events_file(&root.join("content/events"));
    let relative = file.strip_prefix(&root).unwrap_or(&file).to_path_buf();
    let original = std::fs::read_to_string(&file).unwrap_or_default();
    let mut stages: Vec<(&'static str, Vec<f64>)> = Vec::new();
    let mut totals = Vec::new();
    for run in 0..runs {
        std::thread::sleep(Duration::from_millis(pause));
        let edited = edit_title(&original, run);
        std::fs::write(&file, edited).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let faults = minor_faults();
        let r = session.rebuild(std::slice::from_ref(&relative));
        let faults = minor_faults().saturating_sub(faults);
        assert!(r.files.is_some(), "{:?}", r.diagnostics);
        totals.push(ms(r.elapsed));
        let line: Vec<String> = r
            .stages
            .iter()
            .map(|(name, t)| format!("{name} {:.1}", ms(*t)))
            .collect();
        println!(
            "run {run}: {:.1} ms, {} pages rendered, {} kept, {} data files kept, {} files changed, {faults} page faults ({})",
            ms(r.elapsed),
            r.pages.0,
            r.pages.1,
            r.kept_data,
            r.changed.len(),
            line.join(", ")
        );
        for (name, t) in &r.stages {
            match stages.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(ms(*t)),
                None => stages.push((name, vec![ms(*t)])),
            }
        }
        if run + 1 == runs {
            for t in &r.templates {
                println!(
                    "  {:<28} {:>4} pages {:>7.1} ms (data {:.1}, template {:.1}, write {:.1}) {:>9} bytes",
                    t.name,
                    t.pages,
                    ms(t.cost.time()),
                    ms(t.cost.data),
                    ms(t.cost.template),
                    ms(t.cost.write),
                    t.cost.bytes
                );
            }
            for (path, cost) in &r.costliest {
                println!(
                    "  {:<40} {:>7.1} ms (data {:.1}, template {:.1}) {:>9} bytes",
                    path,
                    ms(cost.time()),
                    ms(cost.data),
                    ms(cost.template),
                    cost.bytes
                );
            }
        }
    }
    std::fs::write(&file, original).unwrap_or_default();
    let stages: Vec<String> = stages
        .iter()
        .map(|(name, list)| format!("{name} {:.1}", median(list)))
        .collect();
    println!(
        "median of {runs}: {:.1} ms ({})",
        median(&totals),
        stages.join(", ")
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(list: &[f64]) -> f64 {
    let mut sorted = list.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The first `.yaml` file under `dir`, by name, folders first as walked.
fn first_events_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.truncate(1);
    files
        .pop()
        .unwrap_or_else(|| panic!("no events file under {}", dir.display()))
}

/// `text` with its first `title:` line given ` (edit N)` at its end.
fn edit_title(text: &str, n: usize) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            if !done && trimmed.starts_with("title: ") {
                done = true;
                format!("{line} (edit {n})")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The minor page faults of this process so far (Linux; 0 elsewhere): a
/// rebuild that touches memory the process had not used before pays one
/// per page, which on a virtual machine costs microseconds each.
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    rest.split_whitespace()
        .nth(7)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
