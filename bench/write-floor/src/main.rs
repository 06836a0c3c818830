//! The write-only floor: the time to create and write the files of a built
//! site, with nothing else (no parsing, no rendering). It is the lower bound
//! a build's `write` stage, and its wall time, are measured against.
//!
//! Usage: `write-floor [--threads N] [--repeat R] [--keep] SOURCE DEST`
//!
//! SOURCE is a finished output folder (of annals or Hugo). Every file in it
//! is read into memory first (not timed), then, timed, the folders are
//! created and the files written into DEST (which must not exist) the way a
//! generator would: `create_dir_all` for each folder, then one
//! `File::create` + `write_all` per file, spread over N threads (default:
//! the number of CPUs). DEST is removed afterwards unless `--keep` is given.
//! With `--repeat R`, DEST is written R times (removed in between, not
//! timed) and every time is printed.
//!
//! Output, one line per repetition, machine-readable:
//! `floor files=F dirs=D bytes=B threads=N mkdir_ms=X write_ms=Y total_ms=Z`

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// One file of the site: its path relative to the output root, and its bytes.
struct File {
    rel: PathBuf,
    bytes: Vec<u8>,
}

struct Args {
    threads: usize,
    repeat: usize,
    keep: bool,
    source: PathBuf,
    dest: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut repeat = 1;
    let mut keep = false;
    let mut positional = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--threads" => threads = number(it.next(), "--threads")?,
            "--repeat" => repeat = number(it.next(), "--repeat")?,
            "--keep" => keep = true,
            "-h" | "--help" => return Err(String::new()),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [source, dest]: [PathBuf; 2] = positional
        .try_into()
        .map_err(|_| "expected SOURCE and DEST".to_string())?;
    Ok(Args {
        threads: threads.max(1),
        repeat: repeat.max(1),
        keep,
        source,
        dest,
    })
}

fn number(value: Option<String>, flag: &str) -> Result<usize, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number"))
}

/// Every regular file under `root`, read into memory, sorted by path.
fn read_tree(root: &Path) -> std::io::Result<Vec<File>> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(root.join(&rel))? {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(rel);
            } else if kind.is_file() {
                let bytes = fs::read(root.join(&rel))?;
                files.push(File { rel, bytes });
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

/// Writes the site into `dest`; returns (folders, mkdir time, write time) in ms.
fn write_site(dest: &Path, files: &[File], threads: usize) -> std::io::Result<(usize, f64, f64)> {
    let start = Instant::now();
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| f.rel.parent().map(|p| dest.join(p)))
        .chain(std::iter::once(dest.to_path_buf()))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    let mkdir = start.elapsed();
    // Files are handed out one at a time from a shared counter, so a few
    // large files (the home page, timeline.json) do not unbalance the threads.
    let next = AtomicUsize::new(0);
    let result: std::io::Result<()> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> std::io::Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { return Ok(()) };
                        let mut out = fs::File::create(dest.join(&f.rel))?;
                        out.write_all(&f.bytes)?;
                    }
                })
            })
            .collect();
        // The scope joins every thread anyway; the first error is the one reported.
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")))
        })
    });
    result?;
    let total = start.elapsed();
    Ok((
        folders.len(),
        mkdir.as_secs_f64() * 1e3,
        (total - mkdir).as_secs_f64() * 1e3,
    ))
}

fn run(args: &Args) -> Result<(), String> {
    if args.dest.exists() {
        return Err(format!(
            "{} exists; the floor writes into a fresh folder",
            args.dest.display()
        ));
    }
    let files = read_tree(&args.source)
        .map_err(|e| format!("cannot read {}: {e}", args.source.display()))?;
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    for i in 0..args.repeat {
        let (dirs, mkdir_ms, write_ms) = write_site(&args.dest, &files, args.threads)
            .map_err(|e| format!("cannot write into {}: {e}", args.dest.display()))?;
        println!(
            "floor files={} dirs={dirs} bytes={bytes} threads={} mkdir_ms={mkdir_ms:.1} write_ms={write_ms:.1} total_ms={:.1}",
            files.len(),
            args.threads,
            mkdir_ms + write_ms
        );
        if !args.keep || i + 1 < args.repeat {
            fs::remove_dir_all(&args.dest)
                .map_err(|e| format!("cannot remove {}: {e}", args.dest.display()))?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("write-floor: {e}");
            }
            eprintln!("usage: write-floor [--threads N] [--repeat R] [--keep] SOURCE DEST");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("write-floor: {e}");
            ExitCode::FAILURE
        }
    }
}
