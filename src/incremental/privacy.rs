//! The privacy scan of a rebuild: each file's findings kept, so that only
//! edited files are read and scanned again. While every change since the
//! last scan was reported (a watcher does), the files found then are taken
//! as they are, without walking the folders or asking the file system about
//! each; otherwise the folders are walked and a file is read again when its
//! size or modification time moved.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use foldhash::{HashMap, HashSet};

use crate::config::Config;
use crate::error::Diagnostics;
use crate::privacy::{self, Finding};

/// The findings of every file scanned by the last rebuild.
#[derive(Default)]
pub struct Scans {
    /// Each file's (relative path) size, time and findings.
    files: HashMap<PathBuf, (u64, SystemTime, Vec<Finding>)>,
    /// The files the last scan found, each with its folder, while every
    /// change since is known: none makes the next scan walk the folders.
    listing: Option<Vec<(PathBuf, &'static str)>>,
    /// The files of `listing` reported changed since the last scan.
    changed: HashSet<PathBuf>,
}

impl Scans {
    /// Notes the files (relative to `root`) reported changed; an empty list
    /// means that any file may have changed. A path in a scanned folder
    /// that is not a file of the listing (a new file, one gone, a folder)
    /// makes the next scan walk the folders.
    pub fn changed(&mut self, root: &Path, changed: &[PathBuf]) {
        if changed.is_empty() {
            self.listing = None;
        }
        for path in changed {
            // Compared as text: paths compare component by component, and
            // the listing holds every file of the site.
            let listed = self
                .listing
                .as_ref()
                .is_some_and(|l| l.iter().any(|(f, _)| f.as_os_str() == path.as_os_str()));
            if listed && root.join(path).is_file() {
                self.changed.insert(path.clone());
            } else if ["content", "static", "templates"]
                .iter()
                .any(|dir| path.starts_with(dir))
            {
                self.listing = None;
            }
        }
    }

    /// Checks the site at `root` as [`privacy::check`] does.
    pub fn check(&mut self, root: &Path, config: &Config, diags: &mut Diagnostics) {
        let listing = match self.listing.take() {
            // Every change since the last scan is known: only the files
            // reported changed are looked at again, the rest are as found.
            Some(listing) => {
                for rel in std::mem::take(&mut self.changed) {
                    let last = self.files.remove(&rel);
                    if let Some(entry) = scanned_again(root, &rel, last) {
                        self.files.insert(rel, entry);
                    }
                }
                listing
            }
            None => {
                let listing = privacy::scanned(root);
                let mut seen = HashMap::default();
                for (rel, _) in &listing {
                    let last = self.files.remove(rel);
                    if let Some(entry) = scanned_again(root, rel, last) {
                        seen.insert(rel.clone(), entry);
                    }
                }
                self.files = seen;
                self.changed.clear();
                listing
            }
        };
        // A file that cannot be read is reported by the stage that reads it.
        for (rel, dir) in &listing {
            if let Some((_, _, found)) = self.files.get(rel)
                && !found.is_empty()
            {
                privacy::report(
                    rel,
                    dir,
                    found,
                    config.privacy_strict,
                    config.allow_raw_html,
                    diags,
                );
            }
        }
        self.listing = Some(listing);
    }
}

/// A file's size, time and findings: those it had (`last`) while its size
/// and modification time are the same, else scanned again; none when it
/// cannot be read.
fn scanned_again(
    root: &Path,
    rel: &Path,
    last: Option<(u64, SystemTime, Vec<Finding>)>,
) -> Option<(u64, SystemTime, Vec<Finding>)> {
    let full = root.join(rel);
    let meta = std::fs::metadata(&full).ok()?;
    let (len, time) = (meta.len(), meta.modified().ok()?);
    match last {
        Some((l, t, found)) if (l, t) == (len, time) => Some((l, t, found)),
        _ => Some((
            len,
            time,
            privacy::scan(&std::fs::read_to_string(&full).ok()?),
        )),
    }
}
