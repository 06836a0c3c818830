//! Source files: reading text with the path in every error, splitting front
//! matter while keeping its line offset, and parsing YAML with located errors.

use std::borrow::Cow;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::digest::hash_of;
use crate::error::{Diagnostic, Diagnostics, Span};
use crate::yaml_locate::{LocationIndex, Seg};

/// Largest file annals reads unless `site.yaml` says otherwise
/// (`max_file_mb`): anything bigger is almost surely not a hand-written
/// content file, and reading and parsing it would only waste time and memory.
pub const DEFAULT_MAX_FILE_MB: u64 = 16;

/// A content file's text, as read from disk and normalised.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (used in every message).
    pub path: PathBuf,
    /// The text: without a UTF-8 byte-order mark, CRLF turned into LF
    /// (line numbers are unchanged by both).
    pub text: String,
}

impl SourceFile {
    /// Reads `root/rel`, refusing files over the default size limit.
    pub fn read(root: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
        SourceFile::read_limited(root, rel, DEFAULT_MAX_FILE_MB)
    }

    /// Reads `root/rel`, refusing files over `max_mb` megabytes before reading them.
    pub fn read_limited(root: &Path, rel: &Path, max_mb: u64) -> Result<SourceFile, Diagnostic> {
        let full = root.join(rel);
        let span = Span::file(rel);
        let meta = fs::metadata(&full)
            .map_err(|e| Diagnostic::error(span.clone(), format!("cannot read file: {e}")))?;
        let max = max_mb.saturating_mul(1024 * 1024);
        if meta.len() > max {
            return Err(Diagnostic::error(
                span,
                format!(
                    "file is too large: {} bytes, over the limit of {max_mb} MB a file may have (raise `max_file_mb` in site.yaml if it is meant to be this big)",
                    meta.len()
                ),
            ));
        }
        let bytes = fs::read(&full)
            .map_err(|e| Diagnostic::error(span.clone(), format!("cannot read file: {e}")))?;
        if let Some(encoding) = crate::encoding::other_encoding(&bytes) {
            return Err(Diagnostic::error(
                Span::at(rel, 1, 1),
                format!(
                    "file is {encoding} text, not UTF-8: save it as UTF-8 in your editor, or convert it with `iconv -f {} -t UTF-8 {name} > {name}.utf8` and replace it",
                    encoding.iconv_name(),
                    name = crate::error::display_path(rel)
                ),
            ));
        }
        let text = decode(bytes).map_err(|(line, column)| {
            Diagnostic::error(
                Span::at(rel, line, column),
                "file is not valid UTF-8 text (save it as UTF-8)",
            )
        })?;
        Ok(SourceFile {
            path: rel.to_path_buf(),
            text,
        })
    }

    /// A source file made from text in memory (tests, `import`).
    pub fn from_text(path: impl Into<PathBuf>, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: normalise(text.to_string()),
        }
    }
}

/// Turns bytes into normalised text, or gives the line and column of the first
/// byte that is not UTF-8.
fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(normalise(text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let before = &bytes[..bad];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            Err((line, column))
        }
    }
}

fn normalise(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    text
}

/// True for files editors and systems leave behind: hidden files, swap and
/// backup files, vim's `4913` probe.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// The files under `root/dir`, relative to `root`, in path order; hidden
/// and editor files are left out, and links are followed only when they
/// lead to a file inside the site folder (others get a warning).
pub fn site_files(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    site_files_linked(root, dir, diags)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// Like [`site_files`], each file with whether it is a link (to a file that
/// may sit outside the folders a watcher watches).
pub fn site_files_linked(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(PathBuf, bool)> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| PathBuf::from(dir), relative);
                diags.error(Span::file(path), format!("cannot read: {e}"));
                continue;
            }
        };
        let rel = relative(entry.path());
        let linked = entry.path_is_symlink();
        if linked {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(&canonical_root) => {
                    diags.warning(
                        Span::file(&rel),
                        "skipped: a link to a folder (links to files inside the site are followed)",
                    );
                    continue;
                }
                _ => {
                    diags.warning(
                        Span::file(&rel),
                        "skipped: a link that leads outside the site folder (or nowhere)",
                    );
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        out.push((rel, linked));
    }
    out
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Lines before the YAML's first line (1: the opening `---`).
    pub yaml_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// The 1-based line the body starts on.
    pub body_line: usize,
}

/// A Markdown file's front matter split off and its YAML parsed: the parts,
/// the YAML document (for origins of its values) and its value. Either
/// step's problem is the error, with its place.
pub fn parse_front_matter(
    file: &SourceFile,
) -> Result<(FrontMatter<'_>, Arc<YamlSource>, serde_yaml::Value), Diagnostic> {
    parse_front_matter_keeping(file, None)
}

/// Like [`parse_front_matter`], with the YAML taken from `kept` when an
/// earlier build parsed the same text (see [`YamlSource::parse_keeping`]).
pub fn parse_front_matter_keeping<'a>(
    file: &'a SourceFile,
    kept: Option<&dyn KeptYaml>,
) -> Result<(FrontMatter<'a>, Arc<YamlSource>, serde_yaml::Value), Diagnostic> {
    let fm = split_front_matter(file)?;
    let doc = YamlSource::new(&file.path, fm.yaml, fm.yaml_offset);
    let value = doc.parse_keeping(kept)?;
    Ok((fm, doc, value))
}

/// Splits `---` fenced front matter from a Markdown body. The opening fence
/// must be the first line; the closing one is `---` (or `...`) alone on a line.
pub fn split_front_matter(file: &SourceFile) -> Result<FrontMatter<'_>, Diagnostic> {
    let text = file.text.as_str();
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(Diagnostic::error(
            Span::at(&file.path, 1, 1),
            "missing front matter: the file must start with a line `---`, then YAML (title, date, ...), then `---`",
        ));
    }
    // After the first line break: `lines` drops a `\r` before it, which
    // `first_line` does not count.
    let yaml_start = text.find('\n').map_or(text.len(), |n| n + 1);
    let mut offset = yaml_start;
    for (i, line) in text[offset..].split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let body_start = offset + line.len();
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                yaml_offset: 1,
                body: &text[body_start..],
                // The opening fence is line 1, the YAML starts on line 2.
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Span::at(&file.path, 1, 1),
        "unclosed front matter: no closing `---` line after the opening one",
    ))
}

// Text let go once parsed, read again when asked for: a build holds the
// entries it parsed, not every file's text beside them (a million entries'
// sources are gigabytes). `serve` holds its texts: its files change under it.
/// Whether parsed files keep their text in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Kept: `serve`, whose files change between rebuilds, and tests.
    Held,
    /// Let go once parsed, read again when needed: `build` and `check`.
    LetGo,
}

/// Where a piece of a file's text lies: the file, and the byte range in
/// its text as [`SourceFile`] reads it (without a byte-order mark, line
/// ends made `\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// The file as it is opened (the site root joined to its path).
    pub file: PathBuf,
    /// The bytes of the piece in the file's text.
    pub range: Range<usize>,
}

impl Spot {
    /// The piece of `file` that `part` is, when `part` is a slice of
    /// `file.text`; `None` for text made elsewhere.
    pub fn of(root: &Path, file: &SourceFile, part: &str) -> Option<Spot> {
        let whole = file.text.as_bytes().as_ptr_range();
        let start = part.as_ptr();
        if !whole.contains(&start) && start != whole.end {
            return None;
        }
        let offset = start as usize - whole.start as usize;
        Some(Spot {
            file: root.join(&file.path),
            range: offset..offset + part.len(),
        })
    }

    /// The whole of `file`.
    pub fn whole(root: &Path, file: &SourceFile) -> Spot {
        Spot {
            file: root.join(&file.path),
            range: 0..file.text.len(),
        }
    }

    /// The piece read again, or why it cannot be.
    pub fn read(&self) -> Result<String, String> {
        let file = SourceFile::read_limited(Path::new(""), &self.file, u64::MAX >> 20)
            .map_err(|d| d.message)?;
        file.text
            .get(self.range.clone())
            .map(str::to_string)
            .ok_or_else(|| "the file is shorter than when it was read".to_string())
    }
}

/// A piece of text, held or let go.
#[derive(Debug, Clone)]
pub enum Recallable {
    /// In memory.
    Held(String),
    /// Let go: read again from its spot. `check` is the hash of the text as
    /// it was, so that a file changed since is told apart.
    LetGo {
        /// Where it is.
        spot: Spot,
        /// [`hash_of`] the text when it was let go.
        check: u64,
    },
}

impl Recallable {
    /// The text, read again if let go. An error when the file can no
    /// longer be read or no longer holds the same text (it was edited
    /// while the site was being built): the caller names the file.
    pub fn get(&self) -> Result<Cow<'_, str>, String> {
        match self {
            Recallable::Held(text) => Ok(Cow::Borrowed(text)),
            Recallable::LetGo { spot, check } => {
                let text = spot.read()?;
                if hash_of(text.as_str()) == *check {
                    Ok(Cow::Owned(text))
                } else {
                    Err("the file changed while the site was being built: build again".into())
                }
            }
        }
    }

    /// Lets the text go, to be read again from `spot`.
    pub fn let_go(&mut self, spot: Spot) {
        if let Recallable::Held(text) = self {
            let check = hash_of(text);
            *self = Recallable::LetGo { spot, check };
        }
    }

    /// [`hash_of`] the text, without reading it again.
    pub fn hash(&self) -> u64 {
        match self {
            Recallable::Held(text) => hash_of(text),
            Recallable::LetGo { check, .. } => *check,
        }
    }

    /// Whether the text is held in memory.
    pub fn is_held(&self) -> bool {
        matches!(self, Recallable::Held(_))
    }
}

impl Default for Recallable {
    fn default() -> Recallable {
        Recallable::Held(String::new())
    }
}

/// YAML documents parsed by earlier builds, kept between them (the build
/// cache keeps them on disk): a file whose text is the same as then need
/// not be parsed again. Only documents that parsed without error are kept;
/// the value of a text is the same at every parse, so what is taken from
/// here is what parsing would give.
pub trait KeptYaml: Sync {
    /// The value parsed from the text of the file at `rel` whose
    /// [`YamlSource::text_hash`] is `hash`, when it is kept.
    fn value(&self, rel: &Path, hash: u64) -> Option<serde_yaml::Value>;
    /// Keeps `value`, parsed from that text.
    fn keep(&self, rel: &Path, hash: u64, value: &serde_yaml::Value);
}

/// YAML text of one file (or of its front matter), kept after parsing so
/// that any value can still be pointed at. Shared by every [`Origin`] taken from it.
pub struct YamlSource {
    /// The file the YAML is in, relative to the site root.
    pub path: PathBuf,
    /// The YAML text, held, or let go once parsed (a build's) and read
    /// again when a position in it is asked for.
    text: Mutex<Recallable>,
    /// Lines of the file before the YAML's first line.
    pub line_offset: usize,
    index: OnceLock<LocationIndex>,
    text_hash: OnceLock<u64>,
}

impl std::fmt::Debug for YamlSource {
    // The text stands for itself by its hash: the lazily made index and
    // hash are not shown, so that the form does not change once they are made.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YamlSource")
            .field("path", &self.path)
            .field("line_offset", &self.line_offset)
            .field("text_hash", &self.text_hash())
            .finish()
    }
}

impl YamlSource {
    /// YAML that is a whole file.
    pub fn whole(file: &SourceFile) -> Arc<YamlSource> {
        YamlSource::new(&file.path, &file.text, 0)
    }

    /// YAML that starts after `line_offset` lines of its file.
    pub fn new(path: &Path, text: &str, line_offset: usize) -> Arc<YamlSource> {
        Arc::new(YamlSource {
            path: path.to_path_buf(),
            text: Mutex::new(Recallable::Held(text.to_string())),
            line_offset,
            index: OnceLock::new(),
            text_hash: OnceLock::new(),
        })
    }

    /// A hash of the text and where it is, made once: what `serve` compares
    /// to tell whether the entries read from it changed.
    pub fn text_hash(&self) -> u64 {
        *self
            .text_hash
            .get_or_init(|| self.with_text(|text| hash_of(&(&self.path, self.line_offset, text))))
    }

    /// Calls `f` with the text: the one held, or the file's read again
    /// (empty when it can no longer be read: positions then fall back to
    /// the document's first line).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        let held = self.text.lock().unwrap_or_else(PoisonError::into_inner);
        match &*held {
            Recallable::Held(text) => f(text),
            let_go => {
                let let_go = let_go.clone();
                drop(held);
                f(&let_go.get().unwrap_or_default())
            }
        }
    }

    /// Lets the text go, to be read again from `spot` when a position is
    /// asked for (its hash is made first: digests stay the same).
    pub fn let_go(&self, spot: Spot) {
        self.text_hash();
        self.text
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .let_go(spot);
    }

    /// Parses the YAML into a value; an empty document is `Null`. The text
    /// is first scanned for nesting too deep and a second document (see
    /// [`crate::yaml_guard`]), which the parser would be slow or vague about.
    pub fn parse(&self) -> Result<serde_yaml::Value, Diagnostic> {
        self.with_text(|text| {
            if let Err(p) = crate::yaml_guard::check(text) {
                return Err(Diagnostic::error(
                    Span::at(&self.path, p.line + self.line_offset, p.column),
                    p.message,
                ));
            }
            serde_yaml::from_str::<serde_yaml::Value>(text)
                .map_err(|e| crate::yaml_errors::diagnose(&e, text, &self.path, self.line_offset))
        })
    }

    /// Parses the YAML as [`YamlSource::parse`] does, or takes the value
    /// from `kept` when an earlier build parsed the same text there (and
    /// gives it what is parsed now).
    pub fn parse_keeping(
        &self,
        kept: Option<&dyn KeptYaml>,
    ) -> Result<serde_yaml::Value, Diagnostic> {
        let Some(kept) = kept else {
            return self.parse();
        };
        let hash = self.text_hash();
        if let Some(value) = kept.value(&self.path, hash) {
            return Ok(value);
        }
        let parsed = self.parse();
        if let Ok(value) = &parsed {
            kept.keep(&self.path, hash, value);
        }
        parsed
    }

    /// The place of the value at `path` (a key's value, or a sequence item),
    /// or of the nearest enclosing value that can be found. The index of
    /// positions is only built when an error needs it: valid files cost nothing extra.
    pub fn span_of(&self, path: &[Seg]) -> Span {
        self.find(path, false)
    }

    /// The place of the key at the end of `path` (for unknown or wrong keys).
    pub fn span_of_key(&self, path: &[Seg]) -> Span {
        self.find(path, true)
    }

    fn find(&self, path: &[Seg], key: bool) -> Span {
        let index = self
            .index
            .get_or_init(|| self.with_text(LocationIndex::build));
        self.find_in(index, path, key)
    }

    fn find_in(&self, index: &LocationIndex, path: &[Seg], key: bool) -> Span {
        let mut path = path.to_vec();
        loop {
            let found = if key {
                index.key(&path)
            } else {
                index.value(&path)
            };
            if let Some((line, column)) = found {
                return Span::at(&self.path, line + self.line_offset, column);
            }
            if path.pop().is_none() {
                return Span::at(&self.path, 1 + self.line_offset, 1);
            }
        }
    }
}

/// Finds the places of many values, document after document, keeping only
/// the last document's index of positions: for checks that warn about the
/// values of a valid site by the thousand (sources without an archived
/// copy), where an index kept by every document it names would hold more
/// memory than the content itself (800 MB at 200,000 entries). Values of
/// one document should come one after another.
#[derive(Default)]
pub struct Locator {
    last: Option<(Arc<YamlSource>, LocationIndex)>,
}

impl Locator {
    /// The place of the value `origin` names (as [`Origin::span`]).
    pub fn span(&mut self, origin: &Origin) -> Span {
        let doc = &origin.doc;
        let segs = origin.path.segs();
        if let Some(index) = doc.index.get() {
            return doc.find_in(index, &segs, false);
        }
        let index = match &mut self.last {
            Some((last, index)) if Arc::ptr_eq(last, doc) => &*index,
            last => {
                let built = doc.with_text(LocationIndex::build);
                let (_, index) = last.insert((Arc::clone(doc), built));
                &*index
            }
        };
        doc.find_in(index, &segs, false)
    }
}

/// Where a parsed value came from: its document and its path in it.
#[derive(Debug, Clone)]
pub struct Origin {
    doc: Arc<YamlSource>,
    path: SegPath,
}

impl Origin {
    /// The value at `path` of `doc`.
    pub fn new(doc: &Arc<YamlSource>, path: Vec<Seg>) -> Origin {
        Origin {
            doc: Arc::clone(doc),
            path: SegPath::of(&path),
        }
    }

    /// The place of the value.
    pub fn span(&self) -> Span {
        self.doc.span_of(&self.path.segs())
    }

    /// The place of the key that holds the value.
    pub fn key_span(&self) -> Span {
        self.doc.span_of_key(&self.path.segs())
    }

    /// A hash of the text of the YAML the value is in (see
    /// [`YamlSource::text_hash`]).
    pub fn source_hash(&self) -> u64 {
        self.doc.text_hash()
    }

    /// Lets the text of its document go, to be read again from `spot`
    /// (see [`YamlSource::let_go`]).
    pub fn let_go_of_text(&self, spot: Spot) {
        self.doc.let_go(spot);
    }

    /// The file it is in, relative to the site root.
    pub fn file(&self) -> &Path {
        &self.doc.path
    }

    /// The origin of a value below this one.
    pub fn child(&self, seg: Seg) -> Origin {
        let mut path = self.path.segs();
        path.push(seg);
        Origin {
            doc: Arc::clone(&self.doc),
            path: SegPath::of(&path),
        }
    }
}

/// A path into a YAML document, kept small: every parsed value keeps one
/// (for messages that point at it), and most are a few steps whose keys
/// are field names (`[3, "tags", 1]`). Up to [`SHORT`] steps are held in
/// place, each an index or a key's number in a table of names shared by
/// the process; longer paths, large indexes and names once the table is
/// full are held as written.
#[derive(Clone)]
enum SegPath {
    Short { len: u8, steps: [u32; SHORT] },
    Long(Arc<[Seg]>),
}

/// How many steps a short path holds.
const SHORT: usize = 4;

/// The most key names the shared table holds (field names are a few
/// dozen; keys of free data beyond this keep their paths as written).
const NAMES_MAX: usize = 4096;

/// The shared table of key names: each name once, never let go.
#[derive(Default)]
struct Names {
    numbers: std::collections::HashMap<&'static str, u32>,
    names: Vec<&'static str>,
}

fn names() -> &'static std::sync::RwLock<Names> {
    static NAMES: OnceLock<std::sync::RwLock<Names>> = OnceLock::new();
    NAMES.get_or_init(Default::default)
}

/// The number of a key's name in the shared table, added if there is room.
fn name_number(name: &str) -> Option<u32> {
    let table = names();
    if let Ok(t) = table.read()
        && let Some(&n) = t.numbers.get(name)
    {
        return Some(n);
    }
    let mut t = table.write().ok()?;
    if let Some(&n) = t.numbers.get(name) {
        return Some(n);
    }
    if t.names.len() >= NAMES_MAX {
        return None;
    }
    let n = u32::try_from(t.names.len()).ok()?;
    let kept: &'static str = Box::leak(name.to_string().into_boxed_str());
    t.names.push(kept);
    t.numbers.insert(kept, n);
    Some(n)
}

/// The name numbered `n` in the shared table.
fn name_of(n: u32) -> &'static str {
    names()
        .read()
        .ok()
        .and_then(|t| t.names.get(n as usize).copied())
        .unwrap_or_default()
}

impl SegPath {
    /// A step: an index `i` as `i << 1`, a key as its name's number `n` as
    /// `n << 1 | 1`.
    fn step(seg: &Seg) -> Option<u32> {
        match seg {
            Seg::Index(i) => u32::try_from(*i)
                .ok()
                .filter(|i| *i < 1 << 31)
                .map(|i| i << 1),
            Seg::Key(k) => name_number(k).map(|n| n << 1 | 1),
        }
    }

    fn of(path: &[Seg]) -> SegPath {
        let mut steps = [0u32; SHORT];
        if path.len() <= SHORT {
            let all = path
                .iter()
                .zip(steps.iter_mut())
                .all(|(seg, step)| SegPath::step(seg).map(|s| *step = s).is_some());
            if all {
                return SegPath::Short {
                    len: path.len() as u8,
                    steps,
                };
            }
        }
        SegPath::Long(Arc::from(path))
    }

    fn segs(&self) -> Vec<Seg> {
        match self {
            SegPath::Short { len, steps } => steps[..usize::from(*len)]
                .iter()
                .map(|&s| {
                    if s & 1 == 0 {
                        Seg::Index((s >> 1) as usize)
                    } else {
                        Seg::Key(name_of(s >> 1).to_string())
                    }
                })
                .collect(),
            SegPath::Long(segs) => segs.to_vec(),
        }
    }
}

impl std::fmt::Debug for SegPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.segs().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_their_steps() {
        let doc = YamlSource::new(Path::new("a.yaml"), "a: 1\n", 0);
        let long_key = "k".repeat(40);
        for path in [
            vec![],
            vec![Seg::Index(3), Seg::Key("tags".into()), Seg::Index(1)],
            vec![Seg::Key(long_key.clone()), Seg::Index(usize::MAX)],
            (0..9).map(Seg::Index).collect(),
        ] {
            let origin = Origin::new(&doc, path.clone());
            assert_eq!(origin.path.segs(), path);
            let child = origin.child(Seg::Key("title".into()));
            let mut longer = path.clone();
            longer.push(Seg::Key("title".into()));
            assert_eq!(child.path.segs(), longer);
        }
        // A field path is held in place, with no allocation of its own.
        let short = SegPath::of(&[Seg::Index(0), Seg::Key("actors".into()), Seg::Index(2)]);
        assert!(matches!(short, SegPath::Short { len: 3, .. }));
        assert!(std::mem::size_of::<Origin>() <= 32);
    }

    #[test]
    fn a_locator_finds_what_a_span_finds_and_leaves_no_index_behind() {
        let text =
            "- id: a\n  sources:\n    - url: x\n- id: b\n  sources:\n    - url: y\n    - url: z\n";
        let first = YamlSource::new(Path::new("a.yaml"), text, 2);
        let second = YamlSource::new(Path::new("b.yaml"), text, 0);
        let source = |doc: &Arc<YamlSource>, event: usize, i: usize| {
            Origin::new(doc, vec![Seg::Index(event), Seg::Key("sources".into())])
                .child(Seg::Index(i))
        };
        let mut locator = Locator::default();
        let found: Vec<Span> = [
            (&first, 0, 0),
            (&first, 1, 1),
            (&second, 1, 0),
            (&first, 1, 0),
        ]
        .into_iter()
        .map(|(doc, e, i)| locator.span(&source(doc, e, i)))
        .collect();
        assert!(first.index.get().is_none() && second.index.get().is_none());
        assert_eq!(found[0], Span::at("a.yaml", 5, 7));
        assert_eq!(found[1], Span::at("a.yaml", 9, 7));
        assert_eq!(found[2], Span::at("b.yaml", 6, 7));
        // The same places as the spans a document keeps its index for.
        assert_eq!(found[3], source(&first, 1, 0).span());
        assert_eq!(found[1], source(&first, 1, 1).span());
        assert!(first.index.get().is_some());
        // Once a document has its index, the locator reads that one.
        assert_eq!(locator.span(&source(&first, 0, 0)), found[0]);
    }

    #[test]
    fn strips_bom_and_crlf() {
        let f = SourceFile::from_text("a.md", "\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n");
        assert_eq!(f.text, "---\ntitle: x\n---\nbody\n");
    }

    #[test]
    fn reports_first_invalid_byte() {
        let bytes = b"ok\nab\xffc".to_vec();
        assert_eq!(decode(bytes), Err((2, 3)));
    }

    #[test]
    fn splits_front_matter_keeping_lines() {
        let f = SourceFile::from_text("a.md", "---\ntitle: x\ndate: 2022\n---\nHello\n");
        let fm = split_front_matter(&f).unwrap();
        assert_eq!(fm.yaml, "title: x\ndate: 2022\n");
        assert_eq!(fm.yaml_offset, 1);
        assert_eq!(fm.body, "Hello\n");
        assert_eq!(fm.body_line, 5);
    }

    #[test]
    fn front_matter_errors() {
        let open = SourceFile::from_text("a.md", "---\ntitle: x\n");
        assert!(
            split_front_matter(&open)
                .unwrap_err()
                .message
                .contains("unclosed")
        );
        let none = SourceFile::from_text("a.md", "title: x\n");
        assert!(
            split_front_matter(&none)
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        let empty = SourceFile::from_text("a.md", "");
        assert!(split_front_matter(&empty).is_err());
    }

    #[test]
    fn yaml_errors_are_offset_to_the_file() {
        let f = SourceFile::from_text("a.md", "---\ntitle: x\n  bad: [\n---\n");
        let fm = split_front_matter(&f).unwrap();
        let src = YamlSource::new(&f.path, fm.yaml, fm.yaml_offset);
        let err = src.parse().unwrap_err();
        let line = err.span.unwrap().line.unwrap();
        assert!(line >= 3, "line {line}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn keeps_where_an_unclosed_list_started() {
        let f = SourceFile::from_text("a.md", "---\nid: x\ntags: [one, two\ntitle: y\n---\n");
        let fm = split_front_matter(&f).unwrap();
        let err = YamlSource::new(&f.path, fm.yaml, fm.yaml_offset)
            .parse()
            .unwrap_err();
        assert!(err.message.contains("starts at line 3"), "{}", err.message);
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghijklmnop".chars() {
            yaml.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let f = SourceFile::from_text("bomb.yaml", &yaml);
        let err = YamlSource::whole(&f).parse().unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
        assert_eq!(err.span.unwrap().line, Some(2));
    }

    #[test]
    fn a_piece_let_go_is_read_again_as_it_was() {
        let dir = crate::testing::TempDir::new("recall", "again");
        // A byte-order mark and CRLF line ends: offsets are in the text as read.
        std::fs::write(
            dir.join("a.md"),
            "\u{feff}---\r\ntitle: T\r\n---\r\nBody é\r\n",
        )
        .unwrap();
        let file = SourceFile::read(&dir, Path::new("a.md")).unwrap();
        let body = &file.text[file.text.find("Body").unwrap()..];
        let spot = Spot::of(&dir, &file, body).unwrap();
        let mut text = Recallable::Held(body.to_string());
        text.let_go(spot);
        assert!(!text.is_held());
        assert_eq!(text.get().unwrap(), "Body é\n");
        assert!(Spot::of(&dir, &file, "elsewhere").is_none());
        assert_eq!(Spot::whole(&dir, &file).read().unwrap(), file.text);
    }

    #[test]
    fn a_file_changed_or_gone_since_is_an_error_not_other_text() {
        let dir = crate::testing::TempDir::new("recall", "changed");
        std::fs::write(dir.join("a.md"), "one two").unwrap();
        let file = SourceFile::read(&dir, Path::new("a.md")).unwrap();
        let mut text = Recallable::Held(file.text.clone());
        text.let_go(Spot::whole(&dir, &file));
        std::fs::write(dir.join("a.md"), "one too").unwrap();
        assert!(text.get().unwrap_err().contains("changed while"));
        std::fs::write(dir.join("a.md"), "one").unwrap();
        assert!(text.get().unwrap_err().contains("shorter"));
        std::fs::remove_file(dir.join("a.md")).unwrap();
        assert!(text.get().unwrap_err().contains("cannot read"));
    }
}
