//! The test harness: a fixture site copied into a fresh temporary folder,
//! built by the real `annals` binary, with helpers to read what it wrote.
//!
//! Every run sets `TZ` to an odd zone and `LC_ALL=C`, so that a test can only
//! pass if the output depends on the site's configuration, never on the
//! machine it runs on.

// Each test binary uses its own part of the harness.
#![allow(dead_code)]

pub mod basic;
pub mod broken;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The machine time zone every run gets: UTC+14, far from any fixture's zone.
pub const ODD_TZ: &str = "Pacific/Kiritimati";

/// The `base_url` of the fixture sites.
pub const BASE_URL: &str = "https://example.org/war/";

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// The folder holding the fixture sites.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh, empty temporary folder, removed again when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates a folder with a name no other test (or test run) uses.
    pub fn new() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "annals-test-{}-{}-{nanos}",
            std::process::id(),
            NEXT_ID.fetch_add(1, Ordering::SeqCst)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        TempDir { path }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A site in its own temporary folder.
pub struct Site {
    tmp: TempDir,
    root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/NAME/` (without any `public/` left in it).
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        let from = fixtures_dir().join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_dir(&from, &site.root, true);
        site
    }

    /// A site folder that does not exist yet (for `init`).
    pub fn empty() -> Site {
        let tmp = TempDir::new();
        let root = tmp.path().join("site");
        Site { tmp, root }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder around the site root (a place outside the site).
    pub fn outside(&self) -> &Path {
        self.tmp.path()
    }

    /// A path under the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file under the site root, creating its folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self
    }

    /// Removes a file under the site root.
    pub fn remove(&self, rel: &str) -> &Site {
        let path = self.path(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
        self
    }

    /// Reads a text file under the site root.
    pub fn read(&self, rel: &str) -> String {
        read_text(&self.path(rel))
    }

    /// The 1-based number of the first line of a site file containing `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        self.read(rel)
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{rel} has no line containing {needle:?}"))
    }

    /// Runs `annals ARGS` in the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        let cwd = if self.root.is_dir() {
            self.root.as_path()
        } else {
            self.tmp.path()
        };
        run_in(cwd, args, &[])
    }

    /// Runs `annals ARGS` in the site root with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_in(&self.root, args, env)
    }

    /// Runs `annals build ARGS` in the site root.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// The default output folder, `public/`.
    pub fn public(&self) -> Output {
        Output {
            dir: self.path("public"),
        }
    }

    /// Every file under the site root, with its content (the output included).
    pub fn tree(&self) -> Tree {
        Tree::of(&self.root)
    }
}

/// Runs the real binary in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(args)
        .current_dir(cwd)
        .env("TZ", ODD_TZ)
        .env("LC_ALL", "C")
        .env_remove("LANG")
        .env_remove("LANGUAGE")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run annals {args:?}: {e}"));
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    /// The arguments it was given.
    pub args: Vec<String>,
    /// Its exit status (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
    /// How long it took, start to exit.
    pub elapsed: Duration,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "annals {}\nexit status: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts exit status 0.
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.describe());
        self
    }

    /// Asserts the given exit status.
    #[track_caller]
    pub fn exit(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit status {code}\n{}",
            self.describe()
        );
        self
    }

    /// The `error: ...` lines of stderr.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    /// Asserts an `error: FILE:LINE:` (or `error: FILE:LINE:COL:`) line on
    /// stderr whose message contains every one of `needles`.
    #[track_caller]
    pub fn error_at(&self, file: &str, line: usize, needles: &[&str]) -> &Run {
        let prefix = format!("error: {file}:{line}:");
        let found = self.errors().into_iter().any(|l| {
            l.strip_prefix(&prefix).is_some_and(|rest| {
                is_message_after_position(rest) && needles.iter().all(|n| l.contains(n))
            })
        });
        assert!(
            found,
            "expected a line `{prefix}[COL:] message` containing {needles:?}\n{}",
            self.describe()
        );
        self
    }

    /// Asserts an error naming `file` (with or without a line) whose message
    /// contains every one of `needles`; returns that line.
    #[track_caller]
    pub fn error_in(&self, file: &str, needles: &[&str]) -> &str {
        let prefix = format!("error: {file}:");
        self.errors()
            .into_iter()
            .find(|l| l.starts_with(&prefix) && needles.iter().all(|n| l.contains(n)))
            .unwrap_or_else(|| {
                panic!(
                    "expected a line starting `{prefix}` containing {needles:?}\n{}",
                    self.describe()
                )
            })
    }

    /// Asserts that stdout or stderr contains `text`.
    #[track_caller]
    pub fn prints(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "expected {text:?} in the output\n{}",
            self.describe()
        );
        self
    }
}

/// True for what follows `FILE:LINE:` in a diagnostic: ` message` or `COL: message`.
fn is_message_after_position(rest: &str) -> bool {
    if rest.starts_with(' ') {
        return true;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with(": ")
}

/// An output folder.
pub struct Output {
    /// Where it is.
    pub dir: PathBuf,
}

impl Output {
    /// True when `rel` exists (file or folder).
    pub fn exists(&self, rel: &str) -> bool {
        self.dir.join(rel).exists()
    }

    /// Reads an output file as text.
    pub fn read(&self, rel: &str) -> String {
        read_text(&self.dir.join(rel))
    }

    /// The HTML of a page, given by its folder (`events/x/`) or file.
    pub fn page(&self, path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            self.read(&format!("{path}index.html"))
        } else {
            self.read(path)
        }
    }

    /// The `<title>` of a page, given as [`Output::page`] takes it.
    pub fn title(&self, path: &str) -> String {
        let html = self.page(path);
        let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
        let end = html[start..].find("</title>").map_or(start, |i| start + i);
        html[start..end].to_string()
    }

    /// A shard of the search index (`search/...js`): the data it hands to
    /// `annalsShard(key, data)`.
    pub fn shard(&self, rel: &str) -> serde_json::Value {
        let text = self.read(rel);
        let json = text
            .split_once(',')
            .filter(|(head, _)| head.starts_with("annalsShard(\""))
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(");"))
            .unwrap_or_else(|| panic!("{rel} is not a shard: {}", &text[..text.len().min(80)]));
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The search index's manifest (`search-index.js`), with every row of
    /// its row shards put back together as `e`, and the facets' tables
    /// (`tags`, `actors`, `places`, `kinds`, each `[slug, name, count]`)
    /// from `search/facets.js`.
    pub fn search_index(&self) -> serde_json::Value {
        let js = self.read("search-index.js");
        let json = js
            .strip_prefix("window.annalsIndex=")
            .and_then(|s| s.trim_end().strip_suffix(';'))
            .unwrap_or_else(|| panic!("search-index.js is not an assignment: {}", &js[..80]));
        let mut index: serde_json::Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("search-index.js: {e}"));
        let n = index["n"].as_u64().expect("n") as usize;
        let per = index["rows"].as_u64().expect("rows") as usize;
        let folder = index["folder"].as_u64().expect("folder") as usize;
        let mut rows = Vec::with_capacity(n);
        for k in 0..n.div_ceil(per) {
            let shard = self.shard(&format!("search/r/{}/{k}.js", k / folder));
            rows.extend(shard.as_array().expect("rows").iter().cloned());
        }
        assert_eq!(rows.len(), n, "the row shards hold every entry");
        index["e"] = serde_json::Value::Array(rows);
        let facets = self.shard("search/facets.js");
        for name in ["tags", "actors", "places", "kinds"] {
            index[name] = facets[name].clone();
        }
        index
    }

    /// `timeline.json`, parsed.
    pub fn timeline(&self) -> serde_json::Value {
        let text = self.read("timeline.json");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("timeline.json is not JSON: {e}\n{text}"))
    }

    /// Every file, relative, with `/`, sorted.
    pub fn files(&self) -> Vec<String> {
        Tree::of(&self.dir).files.into_keys().collect()
    }

    /// Every file with its content.
    pub fn tree(&self) -> Tree {
        Tree::of(&self.dir)
    }
}

/// Ids of `timeline.json`'s entries, in order.
pub fn entry_ids(timeline: &serde_json::Value) -> Vec<String> {
    entries(timeline)
        .iter()
        .map(|e| {
            e["id"]
                .as_str()
                .expect("an entry without a string id")
                .to_string()
        })
        .collect()
}

/// `timeline.json`'s entries.
pub fn entries(timeline: &serde_json::Value) -> &Vec<serde_json::Value> {
    timeline["entries"]
        .as_array()
        .expect("timeline.json has no `entries` list")
}

/// The entry with this id.
#[track_caller]
pub fn entry<'a>(timeline: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    entries(timeline)
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("timeline.json has no entry {id:?}"))
}

/// A list of strings in JSON, as Rust strings.
#[track_caller]
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected a list, found {value}"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("expected text, found {v}"))
                .to_string()
        })
        .collect()
}

/// The values of every `attr="..."` in `html`, in order.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let open = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        // Only a whole attribute name: `href=`, not `data-href=`.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + open.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        if before.is_none_or(|c| c.is_whitespace()) {
            out.push(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out
}

/// The text of every `<tag>...</tag>` in `xml`, in order.
pub fn element_texts<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find(&close).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The part of a page between `<main` and `</main>` (the page's own content,
/// without the navigation shared by every page).
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |i| start + i);
    &html[start..end]
}

/// Every file of a folder, by relative path with `/`, with its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Tree {
    /// Files.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Folders (so that an added empty folder shows too).
    pub dirs: Vec<String>,
}

impl Tree {
    /// Reads a folder recursively; a missing folder is an empty tree.
    pub fn of(dir: &Path) -> Tree {
        let mut tree = Tree {
            files: BTreeMap::new(),
            dirs: Vec::new(),
        };
        if dir.is_dir() {
            walk(dir, dir, &mut tree);
        }
        tree.dirs.sort();
        tree
    }

    /// The files whose content contains `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<&str> {
        self.files
            .iter()
            .filter(|(_, bytes)| contains_bytes(bytes, needle.as_bytes()))
            .map(|(path, _)| path.as_str())
            .collect()
    }

    /// What changed from `self` to `after`, one line per path; empty when nothing did.
    pub fn diff(&self, after: &Tree) -> String {
        let mut out = String::new();
        for (path, bytes) in &self.files {
            match after.files.get(path) {
                None => writeln!(out, "removed {path}").unwrap(),
                Some(b) if b != bytes => writeln!(out, "changed {path}").unwrap(),
                Some(_) => {}
            }
        }
        for path in after.files.keys().filter(|p| !self.files.contains_key(*p)) {
            writeln!(out, "added {path}").unwrap();
        }
        for d in self.dirs.iter().filter(|d| !after.dirs.contains(d)) {
            writeln!(out, "removed folder {d}/").unwrap();
        }
        for d in after.dirs.iter().filter(|d| !self.dirs.contains(d)) {
            writeln!(out, "added folder {d}/").unwrap();
        }
        out
    }
}

/// Asserts that two trees are byte for byte the same, naming what differs.
#[track_caller]
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let diff = before.diff(after);
    assert!(diff.is_empty(), "{what} changed:\n{diff}");
}

fn walk(base: &Path, dir: &Path, tree: &mut Tree) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(base)
            .expect("under the base")
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            tree.dirs.push(rel);
            walk(base, &path, tree);
        } else {
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            tree.files.insert(rel, bytes);
        }
    }
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path, top: bool) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("a folder entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            // A fixture someone built by hand carries its output; a test starts without one.
            if top && entry.file_name() == "public" {
                continue;
            }
            copy_dir(&src, &dst, false);
        } else {
            fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        }
    }
}

/// The date (year, month, day) of the `i`-th of 700 events spread for the
/// tests of lists split by period: 50 a year over 2014–2021 (five days in
/// each of ten months), then in 2022 50 in January and February, 200 in
/// March and 50 from April to August.
pub fn period_date(i: usize) -> (usize, usize, usize) {
    if i < 400 {
        (2014 + i / 50, i % 50 / 5 + 1, i % 5 + 1)
    } else if i < 450 {
        (2022, 1 + (i - 400) / 25, (i - 400) % 25 + 1)
    } else if i < 650 {
        (2022, 3, (i - 450) / 8 + 1)
    } else {
        (2022, 4 + (i - 650) / 10, (i - 650) % 10 + 1)
    }
}

/// On a site of [`period_date`]'s events in `content/events/all.yaml`,
/// built once: moves event `e0396` (of 2021) into the busy March of 2022
/// and adds `added` events to 2021 (each with the YAML lines `extra`), then
/// checks that a cached rebuild equals a clean build, which has `expect`.
pub fn check_cached_rebuild_of_moved_events(site: &Site, added: usize, extra: &str, expect: &str) {
    let mut yaml = site.read("content/events/all.yaml").replacen(
        "- id: e0396\n  date: 2021-10-02",
        "- id: e0396\n  date: 2022-03-27",
        1,
    );
    assert!(yaml.contains("e0396\n  date: 2022-03-27"));
    for i in 0..added {
        let _ = write!(
            yaml,
            "- id: x{i:04}\n  date: 2021-{:02}-{:02}\n  title: Added {i}\n{extra}",
            i % 12 + 1,
            i % 28 + 1
        );
    }
    site.write("content/events/all.yaml", yaml);
    site.build(&[]).success();
    site.build(&["--no-cache", "-o", "../clean"]).success();
    let cached = Tree::of(&site.path("public"));
    let clean = Tree::of(&site.root().join("../clean"));
    assert!(clean.files.contains_key(expect), "no {expect}");
    assert_same_tree(&clean, &cached, "the cached rebuild");
}
