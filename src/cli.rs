//! The command line: one args struct per command, each with `run()`. The
//! only module that prints.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::Diagnostic;

/// Prints a line to stdout, ignoring a closed pipe: a long-running `serve`
/// must not die because whoever read its output went away.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Like `say!`, on stderr.
macro_rules! say_err {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
use crate::site::{self, Options, Outcome};

/// Exit status of `check --external` when no cited host could be reached.
pub const NETWORK_UNREACHABLE: u8 = 3;

/// annals: a static site generator for conflict timelines.
#[derive(Debug, Parser)]
#[command(name = "annals", version, about, propagate_version = true)]
pub struct Cli {
    /// The site folder (default: the current folder).
    #[arg(
        short = 'r',
        long = "root",
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a new site in DIR (created if missing; must be empty).
    Init(InitArgs),
    /// Build the site into public/ (or --output DIR).
    Build(BuildArgs),
    /// Load and validate everything a build would, and write nothing.
    Check(CheckArgs),
    /// Turn raw article text into an article and draft events.
    Import(crate::import::ImportArgs),
    /// Build, serve over HTTP, rebuild on change and reload open tabs.
    Serve(ServeArgs),
    /// Check a copy of the built site against its manifest.json.
    Verify(VerifyArgs),
}

/// `annals init DIR`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
    /// Also write .github/workflows/pages.yml, which publishes the site on
    /// GitHub Pages at every push to main.
    #[arg(long)]
    pub github_pages: bool,
}

/// `annals build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: public/ in the site folder).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Publish at this URL instead of site.yaml's base_url.
    #[arg(long = "base-url", value_name = "URL")]
    pub base_url: Option<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Also write gzip and brotli copies (.gz, .br) of every text file over
    /// 1 KB, for hosts that serve them (nginx gzip_static).
    #[arg(long)]
    pub precompress: bool,
    /// Also write the whole site into this zip archive, to open offline.
    #[arg(long, value_name = "FILE.zip")]
    pub bundle: Option<PathBuf>,
    /// Build as of this day (YYYY-MM-DD, default today in the site's time
    /// zone): a correction dated after it is an error.
    #[arg(long, value_name = "DATE", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDate>,
    /// Build from scratch, without reading or writing the build cache
    /// (.annals/build/): every file is written into a fresh folder.
    #[arg(long = "no-cache")]
    pub no_cache: bool,
}

/// `annals check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Also check that every external source URL still answers (cached
    /// for a week in .annals/linkcheck.json).
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds one request may take.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, value_parser = parse_timeout, requires = "external")]
    pub timeout: f64,
    /// Check as of this day (YYYY-MM-DD, default today in the site's time
    /// zone): a correction dated after it is an error.
    #[arg(long, value_name = "DATE", value_parser = parse_now)]
    pub now: Option<chrono::NaiveDate>,
    /// Make an external source without an archived copy (`archive:`) an
    /// error instead of a warning.
    #[arg(long)]
    pub require_archive: bool,
}

/// A `--now` day.
fn parse_now(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a day: write YYYY-MM-DD"))
}

/// A timeout in seconds: a positive number, at most a day.
fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err(format!(
            "expected a number of seconds between 0 and 86400, such as 10 or 0.5, not \"{text}\""
        )),
    }
}

/// `annals verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The copy to check: an output folder or a bundle (.zip); default:
    /// public/ in the site folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `annals serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (the next free one if it is busy).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; other machines can reach the preview only if
    /// this is not a loopback address.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// With `--drafts` and a `--bind` address other machines can reach: yes,
    /// show the drafts to the network too.
    #[arg(long)]
    pub expose_drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl Cli {
    /// Runs the chosen command; the exit code follows cli.md.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Init(args) => args.run(),
            Command::Build(args) => args.run(self.root),
            Command::Check(args) => args.run(self.root),
            Command::Import(args) => args.run(self.root),
            Command::Serve(args) => args.run(self.root),
            Command::Verify(args) => args.run(self.root),
        }
    }
}

impl InitArgs {
    fn run(self) -> ExitCode {
        match crate::init::init_with(&self.dir, self.github_pages) {
            Ok(files) => {
                println!(
                    "created a new site in {} ({} files)",
                    self.dir.display(),
                    files.len()
                );
                if self.github_pages {
                    println!(
                        "GitHub Pages: set ANNALS_GIT at the top of {} to the annals repository you install from",
                        crate::init::GITHUB_PAGES_PATH
                    );
                }
                println!("next: cd {} && annals build", self.dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&[e]),
        }
    }
}

impl BuildArgs {
    fn run(self, root: PathBuf) -> ExitCode {
        let out = self.output.clone().unwrap_or_else(|| root.join("public"));
        let opts = Options {
            root,
            base_url: self.base_url,
            drafts: self.drafts,
            now: self.now,
            archives: crate::trust::Archives::Ignore,
        };
        let progress = std::io::stderr().is_terminal();
        if progress {
            eprint!("building {} …\r", opts.root.display());
        }
        let publishing = crate::publish::Settings {
            precompress: self.precompress,
            bundle: self.bundle.clone(),
            ..Default::default()
        };
        let outcome = if self.no_cache {
            site::build_with(&opts, &out, &publishing)
        } else {
            crate::incremental::build::build(&opts, &out, &publishing)
        };
        if progress {
            eprint!("\x1b[2K");
        }
        print_diagnostics(&outcome);
        let Some(report) = outcome.report else {
            return content_failure(&outcome);
        };
        if self.timings {
            for (stage, time) in &report.timings.stages {
                eprintln!("  {stage:<11} {:>8.1} ms", time.as_secs_f64() * 1000.0);
            }
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            let m = &report.media;
            eprintln!(
                "  images: {} published, {} resized, {} from the cache, {:.1} ms",
                m.images,
                m.resized,
                m.cached,
                ms(m.time)
            );
            eprintln!("  pages by template (ms summed over threads):");
            eprintln!(
                "    {:<20} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
                "template", "pages", "data", "template", "write", "total", "MB"
            );
            for t in &report.templates {
                let c = &t.cost;
                eprintln!(
                    "    {:<20} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                    t.name,
                    t.pages,
                    ms(c.data),
                    ms(c.template),
                    ms(c.write),
                    ms(c.time()),
                    c.bytes as f64 / 1e6
                );
            }
        }
        let bundle = self
            .bundle
            .as_ref()
            .map(|b| format!(" and {}", b.display()))
            .unwrap_or_default();
        println!(
            "built {}: {}, {} into {}{bundle} in {:.2} s",
            counted_entries(report.events, report.articles),
            counted(report.pages, "page"),
            counted(report.files, "file"),
            out.display(),
            report.timings.total().as_secs_f64()
        );
        ExitCode::SUCCESS
    }
}

impl CheckArgs {
    fn run(self, root: PathBuf) -> ExitCode {
        let external = self.external.then(|| crate::linkcheck::Settings {
            timeout: std::time::Duration::from_secs_f64(self.timeout),
            ..crate::linkcheck::Settings::new(&root)
        });
        let opts = Options {
            root,
            base_url: None,
            drafts: self.drafts,
            now: self.now,
            archives: if self.require_archive {
                crate::trust::Archives::Require
            } else {
                crate::trust::Archives::Warn
            },
        };
        // The YAML the last build parsed is read, never written: a check
        // writes nothing.
        let kept = crate::incremental::parsed::ParsedDisk::read_only(&opts.root);
        let (outcome, links) = site::check_keeping(&opts, external.as_ref(), Some(&kept));
        if std::env::var_os(crate::incremental::build::REPORT_VAR).is_some() {
            kept.report();
        }
        print_diagnostics(&outcome);
        let Some(report) = outcome.report else {
            return content_failure(&outcome);
        };
        if let Some(links) = links {
            if links.unreachable > 0 {
                eprintln!(
                    "error: the network is unreachable: none of the hosts cited answered (no name resolved, no connection was made), so {} link{} could not be checked; none is called dead. Check again when online.",
                    links.unreachable,
                    if links.unreachable == 1 { "" } else { "s" }
                );
                return ExitCode::from(NETWORK_UNREACHABLE);
            }
            println!(
                "external links: {} checked ({} from the cache), {} dead, {} moved permanently",
                links.urls, links.cached, links.dead, links.moved
            );
            if links.dead > 0 {
                let citing = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "failed: {} dead link{}, cited {citing} time{}",
                    links.dead,
                    if links.dead == 1 { "" } else { "s" },
                    if citing == 1 { "" } else { "s" }
                );
                return ExitCode::from(1);
            }
        }
        let waiting: usize = report.drafts_per_file.iter().map(|(_, n)| n).sum();
        if waiting > 0 {
            println!("{waiting} drafts wait for review:");
            for (file, n) in &report.drafts_per_file {
                println!("  {}: {n}", crate::error::display_path(file));
            }
        }
        println!(
            "ok: {}, {}; nothing written",
            counted_entries(report.events, report.articles),
            counted(report.pages, "page")
        );
        ExitCode::SUCCESS
    }
}

impl VerifyArgs {
    fn run(self, root: PathBuf) -> ExitCode {
        let dir = self.dir.unwrap_or_else(|| root.join("public"));
        let result = match crate::verify::verify(&dir) {
            Ok(r) => r,
            Err(e) => return fail(&[e]),
        };
        for d in &result.problems {
            say_err!("{d}");
        }
        if !result.problems.is_empty() {
            let n = result.problems.len();
            say_err!(
                "failed: {n} file{} missing, changed or extra, against the {} files listed in {}",
                if n == 1 { "" } else { "s" },
                result.listed,
                crate::error::display_path(&result.manifest_path)
            );
            return ExitCode::from(1);
        }
        say!(
            "ok: all {} files match {} (its sha256: {})",
            result.listed,
            crate::error::display_path(&result.manifest_path),
            result.manifest_sha256
        );
        ExitCode::SUCCESS
    }
}

impl ServeArgs {
    fn run(self, root: PathBuf) -> ExitCode {
        if !self.bind.is_loopback() {
            if self.drafts && !self.expose_drafts {
                eprintln!(
                    "error: --drafts with --bind {} would show unreviewed drafts to anyone on the network; add --expose-drafts if that is meant, or leave out --bind to serve this machine only",
                    self.bind
                );
                return ExitCode::from(2);
            }
            say_err!(
                "warning: serving on {}, which other machines can reach: anyone on the network can read this preview, which is work in progress (unpublished edits{})",
                self.bind,
                if self.drafts { ", and drafts" } else { "" }
            );
        }
        let open = self.open;
        let opts = crate::serve::ServeOptions {
            site: Options {
                root,
                base_url: None,
                drafts: self.drafts,
                now: None,
                archives: crate::trust::Archives::Ignore,
            },
            bind: self.bind,
            port: self.port,
        };
        let report = move |event: crate::serve::Event<'_>| match event {
            crate::serve::Event::Listening { url, busy } => {
                for port in busy {
                    say_err!("port {port} is busy; trying the next one");
                }
                say!("serving {url} (Ctrl-C to stop)");
                if open {
                    open_browser(&url);
                }
            }
            crate::serve::Event::Built(result, changed) => {
                for d in &result.diagnostics {
                    say_err!("{d}");
                }
                let what = crate::serve::describe_changes(changed);
                let ms = result.elapsed.as_secs_f64() * 1000.0;
                if result.files.is_some() {
                    let stages: Vec<String> = result
                        .stages
                        .iter()
                        .map(|(name, t)| format!("{name} {:.0}", t.as_secs_f64() * 1000.0))
                        .collect();
                    say!(
                        "rebuilt in {ms:.0} ms ({what}): {} files changed; {} pages rendered, {} kept ({} ms)",
                        result.changed.len(),
                        result.pages.0,
                        result.pages.1,
                        stages.join(", ")
                    );
                } else {
                    let errors = result.diagnostics.iter().filter(|d| d.is_error()).count();
                    say!(
                        "build failed in {ms:.0} ms ({what}): {errors} errors; still serving the last good site"
                    );
                }
            }
        };
        match crate::serve::run(opts, &report) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&[e]),
        }
    }
}

/// Opens a URL in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser ({opener}); open {url} yourself");
    }
}

fn print_diagnostics(outcome: &Outcome) {
    let mut err = std::io::stderr().lock();
    for d in &outcome.diagnostics {
        let _ = writeln!(err, "{d}");
    }
}

/// "1 page", "2 pages": a count with its noun, singular for one.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "72 entries (67 events, 5 articles)", each noun counted correctly.
fn counted_entries(events: usize, articles: usize) -> String {
    let total = events + articles;
    format!(
        "{} {} ({}, {})",
        total,
        if total == 1 { "entry" } else { "entries" },
        counted(events, "event"),
        counted(articles, "article")
    )
}

fn content_failure(outcome: &Outcome) -> ExitCode {
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "failed: {errors} error{}; nothing was written",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}

fn fail(diags: &[Diagnostic]) -> ExitCode {
    for d in diags {
        eprintln!("{d}");
    }
    ExitCode::from(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_correctly() {
        assert_eq!(counted(1, "error"), "1 error");
        assert_eq!(counted(2, "error"), "2 errors");
        assert_eq!(counted(0, "page"), "0 pages");
        assert_eq!(counted_entries(1, 0), "1 entry (1 event, 0 articles)");
        assert_eq!(counted_entries(31, 4), "35 entries (31 events, 4 articles)");
    }
}
