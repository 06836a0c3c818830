//! A serve session: the site kept in memory and rebuilt from what changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::incremental::Incremental;
use crate::site::{Options, Timings};

type Map<V> = foldhash::HashMap<Arc<str>, V>;

/// The rendered site: output path → bytes. A rebuild changes a few files
/// of a site's hundreds of thousands, and the site being served is read
/// while the next is made: the next shares the map of the files that stay
/// (`base`) and holds the files that changed beside it, merged into a map
/// of their own once they are many.
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<Map<Arc<Body>>>,
    /// Files put since `base` was made (`Some`), or taken out (`None`).
    changes: Map<Option<Arc<Body>>>,
    len: usize,
}

impl Files {
    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<Body>> {
        match self.changes.get(path) {
            Some(changed) => changed.as_ref(),
            None => self.base.get(path),
        }
    }

    /// Whether there is a file at `path`.
    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every file, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<Body>)> {
        let kept = self
            .base
            .iter()
            .filter(|(path, _)| !self.changes.contains_key(&***path));
        let changed = self
            .changes
            .iter()
            .filter_map(|(path, body)| body.as_ref().map(|b| (path, b)));
        kept.chain(changed)
    }

    /// Every file's path, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.iter().map(|(path, _)| path)
    }

    /// Puts `body` at `path`, in place of any file there.
    pub fn insert(&mut self, path: Arc<str>, body: Arc<Body>) {
        if !self.contains_key(&path) {
            self.len += 1;
        }
        self.changes.insert(path, Some(body));
    }

    /// Takes the file at `path` out.
    pub fn remove(&mut self, path: &Arc<str>) {
        if self.contains_key(path) {
            self.len -= 1;
            if self.base.contains_key(&**path) {
                self.changes.insert(Arc::clone(path), None);
            } else {
                self.changes.remove(&**path);
            }
        }
    }

    /// Merges the changes into a map of their own once they are more than
    /// a sixteenth of the files kept: lookups stay one map's, and a rebuild
    /// copies only the changes (the base is shared).
    fn settle(&mut self) {
        if self.changes.len() <= 1024 + self.base.len() / 16 {
            return;
        }
        let mut base: Map<Arc<Body>> = Map::default();
        base.reserve(self.len);
        for (path, body) in self.iter() {
            base.insert(Arc::clone(path), Arc::clone(body));
        }
        self.base = Arc::new(base);
        self.changes = Map::default();
    }
}

impl std::ops::Index<&str> for Files {
    type Output = Arc<Body>;

    /// The file at `path`; panics when there is none, as a map's index does.
    fn index(&self, path: &str) -> &Arc<Body> {
        match self.get(path) {
            Some(body) => body,
            None => panic!("no file at {path}"),
        }
    }
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Files({} files)", self.len)
    }
}

/// A file's bytes, or how to make them once someone reads them: the
/// exports of a large site are hundreds of megabytes, and a rebuild
/// leaves them to be made when a reader asks for one.
pub struct Body {
    bytes: std::sync::OnceLock<Vec<u8>>,
    make: Option<Arc<dyn Fn() -> Vec<u8> + Send + Sync>>,
}

impl Body {
    /// Bytes already made.
    pub fn new(bytes: Vec<u8>) -> Body {
        Body {
            bytes: std::sync::OnceLock::from(bytes),
            make: None,
        }
    }

    /// Bytes made by `make` the first time they are read.
    pub fn later(make: Arc<dyn Fn() -> Vec<u8> + Send + Sync>) -> Body {
        Body {
            bytes: std::sync::OnceLock::new(),
            make: Some(make),
        }
    }

    /// The bytes (made now if they were not yet).
    pub fn as_slice(&self) -> &[u8] {
        self.bytes
            .get_or_init(|| self.make.as_ref().map_or_else(Vec::new, |make| make()))
    }
}

impl std::ops::Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.bytes.get() {
            Some(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            None => f.write_str("Body(not made yet)"),
        }
    }
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuild {
    /// Errors and warnings of the build, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The new site, when the build succeeded.
    pub files: Option<Arc<Files>>,
    /// Output paths whose bytes changed, were added or removed.
    pub changed: Vec<String>,
    /// The base URL's path the site is served under ("/war/").
    pub base_path: String,
    /// Origins allowed to frame the site (`embed.allow` of site.yaml).
    pub embed_allow: Vec<String>,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each stage took (load, chronology, render).
    pub stages: Vec<(&'static str, Duration)>,
    /// Pages rendered, and pages kept from the previous build unrendered.
    pub pages: (usize, usize),
    /// Data files kept from the previous build, not made again.
    pub kept_data: usize,
    /// What each template cost, and the costliest pages (`bench/reload.rs`
    /// prints them).
    pub templates: Vec<crate::render::TemplateStats>,
    /// See [`Rebuild::templates`].
    pub costliest: Vec<(String, crate::render::PageCost)>,
    /// Whether only stylesheets of `static/` changed.
    stylesheets_only: bool,
}

impl Rebuild {
    /// True when only stylesheets changed: the browser can swap styles
    /// without reloading the page. (Pages change too, since they name the
    /// stylesheet by a hash of its content; the tab fetches the new name.)
    pub fn css_only(&self) -> bool {
        self.stylesheets_only && !self.changed.is_empty()
    }
}

/// The site of one `serve` run.
pub struct Session {
    opts: Options,
    memory: Incremental,
    files: Option<Arc<Files>>,
    base_path: String,
    embed_allow: Vec<String>,
}

impl Session {
    /// A session that has built nothing yet.
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            memory: Incremental::new(),
            files: None,
            base_path: "/".to_string(),
            embed_allow: Vec::new(),
        }
    }

    /// The last good site.
    pub fn files(&self) -> Option<Arc<Files>> {
        self.files.clone()
    }

    /// Rebuilds after `changed` (paths relative to the site root) changed;
    /// an empty list rebuilds everything that may have changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuild {
        let start = Instant::now();
        self.memory.changed(&self.opts.root, changed);
        if let Ok(config) = Config::load(&self.opts.root) {
            self.base_path = config.base_path().to_string();
            self.embed_allow = config.embed_allow.clone();
        }
        let mut diags = Diagnostics::new();
        let mut timings = Timings::default();
        let sink = crate::output::Collect::default();
        let rendered = self
            .memory
            .rebuild(&self.opts, &mut diags, &mut timings, &sink);
        let mut result = Rebuild {
            diagnostics: Vec::new(),
            files: None,
            changed: Vec::new(),
            base_path: self.base_path.clone(),
            embed_allow: self.embed_allow.clone(),
            elapsed: Duration::ZERO,
            stages: Vec::new(),
            pages: (0, 0),
            kept_data: 0,
            templates: Vec::new(),
            costliest: Vec::new(),
            stylesheets_only: stylesheets_only(&self.opts.root, changed),
        };
        if let Some((_, r)) = &rendered {
            result.pages = (r.pages - r.kept, r.kept);
            result.kept_data = r.kept_data;
            result.templates = r.templates.clone();
            result.costliest = r.costliest.clone();
        }
        result.stages = timings.stages;
        if let Some((_, r)) = &rendered {
            let started = Instant::now();
            let (new, changed) =
                self.update(sink.into_sorted(), &r.paths, self.memory.files_to_make());
            result.stages.push(("update", started.elapsed()));
            result.changed = changed;
            let new = Arc::new(new);
            self.files = Some(Arc::clone(&new));
            result.files = Some(new);
        }
        // The loaded site and the previous build's memo are let go of on
        // another thread once the rebuild is done: freeing tens of
        // thousands of values takes a while, and the reload need not wait.
        let retired = self.memory.take_retired();
        std::thread::spawn(move || drop((rendered, retired)));
        result.diagnostics = diags.sorted();
        result.elapsed = start.elapsed();
        result
    }

    /// The new site and the paths that changed in it: the previous site
    /// with the files `made` put in (a file that came out the same keeps
    /// the previous bytes, so memory holds one copy of what stays the same)
    /// and the files no longer in `paths` (every path of the new site,
    /// sorted) taken out. The pages the render kept are the previous
    /// site's already.
    fn update(
        &self,
        made: Vec<crate::output::OutputFile>,
        paths: &[String],
        later: Vec<crate::incremental::render::Later>,
    ) -> (Files, Vec<String>) {
        let mut new = self.files.as_deref().cloned().unwrap_or_default();
        let mut changed = Vec::new();
        for f in made {
            if new
                .get(f.path.as_str())
                .is_some_and(|prev| prev[..] == f.bytes[..])
            {
                continue;
            }
            new.insert(Arc::from(f.path.as_str()), Arc::new(Body::new(f.bytes)));
            changed.push(f.path);
        }
        // The data files left to be made when asked for (the exports, the
        // files of `timeline.json`): a new one where its parts changed (or
        // it is not there yet), else the one there, made already if it was
        // asked for.
        for (path, changed_parts, make) in later {
            if changed_parts || !new.contains_key(&path) {
                new.insert(Arc::from(path.as_str()), Arc::new(Body::later(make)));
                changed.push(path);
            }
        }
        if new.len() != paths.len() {
            let gone: Vec<Arc<str>> = new
                .keys()
                .filter(|p| paths.binary_search_by(|q| q.as_str().cmp(p)).is_err())
                .cloned()
                .collect();
            for path in gone {
                new.remove(&path);
                changed.push(path.to_string());
            }
        }
        new.settle();
        changed.sort();
        (new, changed)
    }
}

/// True when the changes are stylesheets of `static/` (and the folders
/// holding them, which watchers report as changed too).
fn stylesheets_only(root: &Path, changed: &[PathBuf]) -> bool {
    let is_css = |p: &PathBuf| p.extension().is_some_and(|e| e == "css");
    changed.iter().any(is_css)
        && changed
            .iter()
            .all(|p| p.starts_with("static") && (is_css(p) || root.join(p).is_dir()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn files_share_what_stays_and_read_as_one_map() {
        let body = |b: &str| Arc::new(Body::new(b.as_bytes().to_vec()));
        let read = |files: &Files| {
            let mut all: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec()))
                .collect();
            all.sort();
            all
        };
        let mut files = Files::default();
        for i in 0..3000 {
            files.insert(Arc::from(format!("p{i}").as_str()), body("old"));
        }
        // Settled into a base of its own: the next copy shares it.
        files.settle();
        assert!(files.changes.is_empty());
        assert_eq!(files.len(), 3000);
        let before = files.clone();
        let mut next = before.clone();
        assert!(Arc::ptr_eq(&next.base, &before.base));
        next.insert(Arc::from("p1"), body("new"));
        next.insert(Arc::from("added"), body("a"));
        next.remove(&Arc::from("p2"));
        next.remove(&Arc::from("added"));
        next.remove(&Arc::from("nowhere"));
        next.insert(Arc::from("p2"), body("back"));
        next.remove(&Arc::from("p3"));
        assert_eq!(next.len(), 2999);
        assert_eq!(next.get("p1").map(|b| b.to_vec()), Some(b"new".to_vec()));
        assert_eq!(next.get("p2").map(|b| b.to_vec()), Some(b"back".to_vec()));
        assert!(!next.contains_key("p3") && !next.contains_key("added"));
        assert_eq!(next.iter().count(), 2999);
        assert_eq!(next.keys().filter(|p| p.starts_with("p1")).count(), 1111);
        // The site being served is untouched.
        assert_eq!(before.get("p1").map(|b| b.to_vec()), Some(b"old".to_vec()));
        assert!(before.contains_key("p3"));
        // Many changes are merged into a new base; the files read the same.
        let seen = read(&next);
        for i in 0..2000 {
            next.insert(Arc::from(format!("q{i}").as_str()), body("q"));
        }
        next.settle();
        assert!(next.changes.is_empty() && !Arc::ptr_eq(&next.base, &before.base));
        assert_eq!(next.len(), 4999);
        let mut expected = seen;
        expected.extend((0..2000).map(|i| (format!("q{i}"), b"q".to_vec())));
        expected.sort();
        assert_eq!(read(&next), expected);
    }

    #[test]
    fn a_body_left_for_later_is_made_once_when_read() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let body = Body::later(Arc::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            b"id,date\n".to_vec()
        }));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "made before it was read");
        assert_eq!(&body[..], b"id,date\n");
        assert_eq!(body.as_slice(), b"id,date\n");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(Body::new(b"x".to_vec()).as_slice(), b"x");
    }
}
