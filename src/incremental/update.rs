//! The output of a cached build that updates the previous one in place:
//! a file whose bytes are those already on disk is not written again (its
//! modification time stays, so `rsync` and `rclone` skip it); the others
//! are written into a folder beside the output first and moved into place
//! only when the whole build succeeded, and files the site no longer has
//! are removed then. A failed build leaves the output as it was.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use foldhash::HashMap;
use rayon::prelude::*;

use super::disk::{OutputRecord, mtime_of};
use crate::error::{Diagnostic, Span};
use crate::output::{OutputFile, Sink, io};
use crate::publish::{headers, manifest};

/// The sink of a cached build over an output folder it wrote before.
pub struct Update {
    out: PathBuf,
    staging: PathBuf,
    /// The previous output's files, by path.
    before: HashMap<String, OutputRecord>,
    made: Mutex<Made>,
    committed: bool,
}

#[derive(Default)]
struct Made {
    /// Every file of the new output, with its manifest entry.
    entries: Vec<manifest::Entry>,
    /// Paths written into the staging folder (their bytes changed).
    written: Vec<String>,
    folders: HashSet<PathBuf>,
}

impl Update {
    /// Starts updating `out`, whose files were `before`.
    pub fn begin(out: &Path, before: Vec<OutputRecord>) -> Result<Update, Diagnostic> {
        let (_, staging) = crate::output::beside(out, "update");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io("remove", &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| io("create", &staging, e))?;
        Ok(Update {
            out: out.to_path_buf(),
            staging,
            before: before.into_iter().map(|r| (r.path.clone(), r)).collect(),
            made: Mutex::new(Made::default()),
            committed: false,
        })
    }

    /// The previous file at `path`, when it is on disk as that build left
    /// it (same size and modification time).
    pub fn on_disk(&self, path: &str) -> Option<&OutputRecord> {
        let record = self.before.get(path)?;
        let meta = fs::metadata(self.out.join(path)).ok()?;
        (meta.is_file() && meta.len() == record.size && mtime_of(&meta) == record.mtime)
            .then_some(record)
    }

    fn note(&self, entry: manifest::Entry, written: bool) {
        if let Ok(mut made) = self.made.lock() {
            if written {
                made.written.push(entry.path.clone());
            }
            made.entries.push(entry);
        }
    }

    fn stage(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let full = self.staging.join(path);
        if let Some(folder) = full.parent() {
            let known = self.made.lock().is_ok_and(|m| m.folders.contains(folder));
            if !known {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.folders.insert(folder.to_path_buf());
                }
            }
        }
        fs::write(&full, bytes).map_err(|e| io("write", &full, e))
    }

    /// Adds the publishing files as a build does (`robots.txt`, `_headers`
    /// unless the site has its own, then `SHA256SUMS` and `manifest.json`),
    /// moves the changed files into place and removes the files the site
    /// no longer has. Returns every file of the output, as now on disk.
    pub fn finish(
        mut self,
        base_url: &str,
        embed_allow: &[String],
    ) -> Result<Vec<OutputRecord>, Diagnostic> {
        let entries = self
            .made
            .lock()
            .map(|m| m.entries.clone())
            .unwrap_or_default();
        for name in [manifest::FILE, manifest::SUMS_FILE] {
            if entries.iter().any(|e| e.path == name) {
                return Err(manifest::collision(name));
            }
        }
        let has = |path: &str| entries.iter().any(|e| e.path == path);
        if !has("robots.txt") {
            self.put(OutputFile::new("robots.txt", headers::robots_txt(base_url)))?;
        }
        if !has("_headers") {
            let file = headers::headers_file(entries.iter().map(|e| e.path.as_str()), embed_allow);
            self.put(OutputFile::new("_headers", file))?;
        }
        let mut entries = self
            .made
            .lock()
            .map(|m| m.entries.clone())
            .unwrap_or_default();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let (sums, listing) = manifest::files_for(entries);
        self.put(OutputFile::new(manifest::SUMS_FILE, sums))?;
        self.put(OutputFile::new(manifest::FILE, listing.to_bytes()))?;

        let made = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned())?);
        self.committed = true;
        for path in &made.written {
            let (from, to) = (self.staging.join(path), self.out.join(path));
            if let Some(folder) = to.parent() {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
            }
            // A folder standing where a file now goes (or the reverse) goes first.
            if to.is_dir() {
                fs::remove_dir_all(&to).map_err(|e| io("remove", &to, e))?;
            }
            fs::rename(&from, &to).map_err(|e| io("move", &to, e))?;
        }
        let _ = fs::remove_dir_all(&self.staging);
        let now: HashSet<&str> = made.entries.iter().map(|e| e.path.as_str()).collect();
        self.remove_others(&now)?;
        let written: HashSet<&str> = made.written.iter().map(String::as_str).collect();
        made.entries
            .iter()
            .map(|e| {
                if !written.contains(e.path.as_str())
                    && let Some(r) = self.before.get(&e.path)
                {
                    return Ok(r.clone());
                }
                let path = self.out.join(&e.path);
                let meta = fs::metadata(&path).map_err(|err| io("read", &path, err))?;
                Ok(OutputRecord {
                    path: e.path.clone(),
                    size: e.size,
                    mtime: mtime_of(&meta),
                    sha256: e.sha256.clone(),
                })
            })
            .collect()
    }
}

impl Update {
    /// Removes every file of the output the site does not have now (as a
    /// build into a fresh folder would not have it), and the folders left
    /// without a file. Only those folders are tried: a large site has a
    /// folder per entry, and asking each to go costs seconds.
    fn remove_others(&self, keep: &HashSet<&str>) -> Result<(), Diagnostic> {
        let (files, mut folders) = tree_of(&self.out)
            .map_err(|e| Diagnostic::global(format!("cannot read {}: {e}", self.out.display())))?;
        let (others, kept): (Vec<PathBuf>, Vec<PathBuf>) =
            files.into_par_iter().partition(|path| {
                let rel = path
                    .strip_prefix(&self.out)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                !keep.contains(rel.as_str())
            });
        others
            .par_iter()
            .try_for_each(|path| fs::remove_file(path).map_err(|e| io("remove", path, e)))?;
        // Every folder holding a file the site has, at any depth.
        let mut holding: HashSet<&Path> = HashSet::new();
        for path in &kept {
            let mut folder = path.parent();
            while let Some(f) = folder {
                if f == self.out || !holding.insert(f) {
                    break;
                }
                folder = f.parent();
            }
        }
        folders.retain(|f| !holding.contains(f.as_path()));
        // Deepest first, so that a folder holding only empty folders goes too.
        folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in folders {
            let _ = fs::remove_dir(&folder);
        }
        Ok(())
    }
}

/// Every file (or link) and every folder under `dir`, not `dir` itself;
/// folders are read on every core (a large site has one per entry).
fn tree_of(dir: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            folders.push(entry.path());
        } else {
            files.push(entry.path());
        }
    }
    let below = folders
        .par_iter()
        .map(|f| tree_of(f))
        .collect::<std::io::Result<Vec<_>>>()?;
    for (f, d) in below {
        files.extend(f);
        folders.extend(d);
    }
    Ok((files, folders))
}

impl Sink for Update {
    fn previous(&self, path: &str) -> Option<PathBuf> {
        self.on_disk(path).map(|_| self.out.join(path))
    }

    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let entry = manifest::Entry::of(&file.path, &file.bytes);
        let same = self
            .on_disk(&file.path)
            .is_some_and(|r| r.sha256 == entry.sha256);
        if !same {
            self.stage(&file.path, &file.bytes)?;
        }
        self.note(entry, !same);
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<(), Diagnostic> {
        let Some(record) = self.on_disk(path) else {
            return Err(Diagnostic::error(
                Span::file(path),
                "internal error: the build cache kept a page the output does not have",
            ));
        };
        self.note(
            manifest::Entry {
                path: record.path.clone(),
                size: record.size,
                sha256: record.sha256.clone(),
            },
            false,
        );
        Ok(())
    }
}

impl Drop for Update {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

fn poisoned() -> Diagnostic {
    Diagnostic::global("internal error: a thread writing the output failed")
}
