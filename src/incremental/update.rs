//! The output of a cached build that updates the previous one in place:
//! a file whose bytes are those already on disk is not written again (its
//! modification time stays, so `rsync` and `rclone` skip it); the others
//! are written into a folder beside the output first and moved into place
//! only when the whole build succeeded, and files the site no longer has
//! are removed then. A failed build leaves the output as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use foldhash::{HashMap, HashSet};
use rayon::prelude::*;

use super::disk::{FolderRecord, OutputRecord, Records, mtime_of};
use crate::error::{Diagnostic, Span};
use crate::output::{OutputFile, Sink, io};
use crate::publish::{headers, manifest};

/// The sink of a cached build over an output folder it wrote before.
pub struct Update {
    out: PathBuf,
    staging: PathBuf,
    /// The previous output's files, by path, each with whether it was
    /// found on disk as that build left it (asked once: the memo's pages
    /// are checked before rendering, and again as each is kept).
    before: HashMap<String, (OutputRecord, OnceLock<bool>)>,
    /// The previous output's folders, with their modification times.
    folders: HashMap<String, u64>,
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
    /// Starts updating `out`, whose files were `before` and folders
    /// `folders` (with their modification times).
    pub fn begin(
        out: &Path,
        before: Vec<OutputRecord>,
        folders: Vec<FolderRecord>,
    ) -> Result<Update, Diagnostic> {
        let (_, staging) = crate::output::beside(out, "update");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io("remove", &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| io("create", &staging, e))?;
        Ok(Update {
            out: out.to_path_buf(),
            staging,
            before: before
                .into_iter()
                .map(|r| (r.path.clone(), (r, OnceLock::new())))
                .collect(),
            folders: folders.into_iter().collect(),
            made: Mutex::new(Made::default()),
            committed: false,
        })
    }

    /// The previous file at `path`, when it is on disk as that build left
    /// it (same size and modification time).
    pub fn on_disk(&self, path: &str) -> Option<&OutputRecord> {
        let (record, found) = self.before.get(path)?;
        let found = found.get_or_init(|| {
            fs::metadata(self.out.join(path)).is_ok_and(|meta| {
                meta.is_file() && meta.len() == record.size && mtime_of(&meta) == record.mtime
            })
        });
        found.then_some(record)
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
    /// no longer has. Returns every file of the output, as now on disk,
    /// and every folder with its modification time.
    pub fn finish(mut self, base_url: &str, embed_allow: &[String]) -> Result<Records, Diagnostic> {
        // The site's files, by path (looked up, and listed in that order).
        let mut site = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned())?);
        site.entries
            .par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let has = |path: &str| {
            site.entries
                .binary_search_by(|e| e.path.as_str().cmp(path))
                .is_ok()
        };
        for name in [manifest::FILE, manifest::SUMS_FILE] {
            if has(name) {
                return Err(manifest::collision(name));
            }
        }
        if !has("robots.txt") {
            self.put(OutputFile::new("robots.txt", headers::robots_txt(base_url)))?;
        }
        if !has("_headers") {
            let paths = site.entries.iter().map(|e| e.path.as_str());
            let file = headers::headers_file(paths, embed_allow);
            self.put(OutputFile::new("_headers", file))?;
        }
        let added = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned())?);
        site.entries.extend(added.entries);
        site.written.extend(added.written);
        site.entries.sort_by(|a, b| a.path.cmp(&b.path));
        let (sums, listing) = manifest::files_for(site.entries.clone());
        self.put(OutputFile::new(manifest::SUMS_FILE, sums))?;
        self.put(OutputFile::new(manifest::FILE, listing.to_bytes()))?;
        drop(listing);

        let added = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned())?);
        let mut made = site;
        made.entries.extend(added.entries);
        made.written.extend(added.written);
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
        let folders = self.remove_others(&now)?;
        let written: HashSet<&str> = made.written.iter().map(String::as_str).collect();
        let files = made
            .entries
            .iter()
            .map(|e| {
                if !written.contains(e.path.as_str())
                    && let Some((r, _)) = self.before.get(&e.path)
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
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        Ok((files, folders))
    }
}

impl Update {
    /// Removes every file of the output the site does not have now (as a
    /// build into a fresh folder would not have it), and the folders left
    /// without a file. Returns the folders left, with their modification
    /// times.
    fn remove_others(&self, keep: &HashSet<&str>) -> Result<Vec<FolderRecord>, Diagnostic> {
        let cannot = |e: std::io::Error| {
            Diagnostic::global(format!("cannot read {}: {e}", self.out.display()))
        };
        let listing = self.listing().map_err(cannot)?;
        let (others, kept): (Vec<&String>, Vec<&String>) = listing
            .files
            .par_iter()
            .partition(|path| !keep.contains(path.as_str()));
        others.par_iter().try_for_each(|path| {
            let full = self.out.join(path);
            fs::remove_file(&full).map_err(|e| io("remove", &full, e))
        })?;
        // Every folder holding a file the site has, at any depth.
        let mut holding: HashSet<&str> = HashSet::default();
        for path in &kept {
            let mut at = path.as_str();
            while let Some((folder, _)) = at.rsplit_once('/') {
                if !holding.insert(folder) {
                    break;
                }
                at = folder;
            }
        }
        let (mut left, mut empty): (Vec<FolderRecord>, Vec<FolderRecord>) = listing
            .folders
            .into_iter()
            .partition(|(f, _)| f.is_empty() || holding.contains(f.as_str()));
        // Deepest first, so that a folder holding only empty folders goes too.
        empty.sort_by_key(|(f, _)| std::cmp::Reverse(f.matches('/').count()));
        for (folder, _) in &empty {
            let _ = fs::remove_dir(self.out.join(folder));
        }
        // A folder something was removed from has another time now.
        let mut touched: HashSet<&str> = HashSet::default();
        for path in others
            .iter()
            .map(|p| p.as_str())
            .chain(empty.iter().map(|(f, _)| f.as_str()))
        {
            touched.insert(path.rsplit_once('/').map_or("", |(folder, _)| folder));
        }
        left.par_iter_mut()
            .filter(|(f, _)| touched.contains(f.as_str()))
            .for_each(|(f, time)| {
                *time = fs::metadata(self.out.join(&*f)).map_or(0, |m| mtime_of(&m));
            });
        Ok(left)
    }

    /// Every file and folder of the output now (paths under it; the output
    /// itself is the folder `""`), each folder with its modification time.
    /// A folder whose time is the one recorded after the last build holds
    /// what that build left in it (adding or removing anything there
    /// changes the time), so only the other folders are read: a large
    /// site has a folder per entry, and reading each takes seconds.
    fn listing(&self) -> std::io::Result<Listing> {
        let mut files_in: HashMap<&str, Vec<&str>> = HashMap::default();
        for path in self.before.keys() {
            let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
            files_in.entry(folder).or_default().push(path);
        }
        let mut folders_in: HashMap<&str, Vec<&str>> = HashMap::default();
        for path in self.folders.keys().filter(|p| !p.is_empty()) {
            let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
            folders_in.entry(folder).or_default().push(path);
        }
        let known = Known {
            out: &self.out,
            times: &self.folders,
            files_in: &files_in,
            folders_in: &folders_in,
        };
        known.under(String::new())
    }
}

/// Every file and folder of an output, as [`Update::listing`] finds them.
#[derive(Default)]
struct Listing {
    files: Vec<String>,
    folders: Vec<FolderRecord>,
}

/// What the last build left in each folder of the output.
struct Known<'a> {
    out: &'a Path,
    times: &'a HashMap<String, u64>,
    files_in: &'a HashMap<&'a str, Vec<&'a str>>,
    folders_in: &'a HashMap<&'a str, Vec<&'a str>>,
}

impl Known<'_> {
    /// The files and folders in and under `folder` (itself included).
    fn under(&self, folder: String) -> std::io::Result<Listing> {
        let full = if folder.is_empty() {
            self.out.to_path_buf()
        } else {
            self.out.join(&folder)
        };
        let time = mtime_of(&fs::metadata(&full)?);
        let mut listing = Listing::default();
        let subfolders: Vec<String> = if self.times.get(&folder) == Some(&time) {
            let known = |map: &HashMap<&str, Vec<&str>>| {
                map.get(folder.as_str())
                    .map_or_else(Vec::new, |l| l.iter().map(|p| p.to_string()).collect())
            };
            listing.files = known(self.files_in);
            known(self.folders_in)
        } else {
            let mut subfolders = Vec::new();
            for entry in fs::read_dir(&full)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().to_string();
                let path = if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                };
                if entry.file_type()?.is_dir() {
                    subfolders.push(path);
                } else {
                    listing.files.push(path);
                }
            }
            subfolders
        };
        listing.folders.push((folder, time));
        let below = subfolders
            .into_par_iter()
            .map(|f| self.under(f))
            .collect::<std::io::Result<Vec<_>>>()?;
        for l in below {
            listing.files.extend(l.files);
            listing.folders.extend(l.folders);
        }
        Ok(listing)
    }
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
