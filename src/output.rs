//! Where rendered files go ([`Sink`]: the disk, memory or nowhere), and
//! writing the output folder all at once: files go into a fresh folder
//! beside the target (as they are rendered), which replaces the old one only
//! when all are written. A failed build leaves the previous output exactly
//! as it was.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Diagnostic, Span};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, with `/`.
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file with this path and content.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where rendered files go, one by one and from several threads: to the
/// disk (build), into memory (serve), or nowhere (check). Rendering itself
/// does no I/O.
pub trait Sink: Sync {
    /// Takes one file.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    /// Keeps the page at `path` as the previous build made it (its inputs
    /// did not change). Only sinks that keep a previous build can.
    fn keep(&self, path: &str) -> Result<(), Diagnostic> {
        Err(Diagnostic::error(
            Span::file(path),
            "internal error: this output has no previous build to keep pages from",
        ))
    }

    /// Where the previous build's file at `path` is, when this sink
    /// updates a previous build's output and the file is on disk as that
    /// build left it (so that it may be kept, or read to make the new one).
    fn previous(&self, _path: &str) -> Option<std::path::PathBuf> {
        None
    }
}

/// A sink that keeps every file in memory. Pages it is told to keep are
/// left to its owner, which holds the previous build they come from (the
/// render's [`Rendered::paths`] names every file of the new site).
#[derive(Default)]
pub struct Collect {
    files: Mutex<Vec<OutputFile>>,
}

impl Collect {
    /// The files made, sorted by path.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if let Ok(mut files) = self.files.lock() {
            files.push(file);
        }
        Ok(())
    }

    fn keep(&self, _path: &str) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A sink that keeps nothing (`check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Checks that `out` may be replaced: not the site itself or a folder
/// holding it, and not a non-empty folder annals did not write.
pub fn check_target(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (root_c, out_c) = (canon(root), canon(out));
    if root_c.starts_with(&out_c) {
        return Err(Diagnostic::global(format!(
            "refusing to write the output into {}: it holds the site itself",
            out.display()
        )));
    }
    if out.is_file() {
        return Err(Diagnostic::global(format!(
            "the output path {} is a file, not a folder",
            out.display()
        )));
    }
    if out.is_dir() {
        let mut entries = fs::read_dir(out).map_err(|e| {
            Diagnostic::global(format!(
                "cannot read the output folder {}: {e}",
                out.display()
            ))
        })?;
        let empty = entries.next().is_none();
        if !empty && !out.join("timeline.json").is_file() {
            return Err(Diagnostic::global(format!(
                "refusing to replace {}: it is not empty and does not look like annals output (no timeline.json); remove it or choose another --output",
                out.display()
            )));
        }
    }
    Ok(())
}

/// A fresh folder beside the output, filled file by file (from several
/// threads) and swapped in by [`Staging::commit`]. Dropped without a
/// commit, it removes itself and the previous output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    folders: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `out`.
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        let (parent, dir) = beside(out, "new");
        fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
        let (_, retired) = beside(out, "old");
        for stale in [&dir, &retired] {
            if stale.exists() {
                fs::remove_dir_all(stale).map_err(|e| io("remove", stale, e))?;
            }
        }
        fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            retired,
            folders: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file, given by its path under the output root.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(folder) = path.parent() {
            let known = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !known {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
                if let Ok(mut f) = self.folders.lock() {
                    f.insert(folder.to_path_buf());
                }
            }
        }
        fs::write(&path, bytes).map_err(|e| io("write", &path, e))
    }

    /// Reads back a file written here.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, Diagnostic> {
        let path = self.dir.join(rel);
        fs::read(&path).map_err(|e| io("read", &path, e))
    }

    /// Puts the staged folder in place of the output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.committed = true;
        if self.out.exists() {
            fs::rename(&self.out, &self.retired).map_err(|e| {
                let _ = fs::remove_dir_all(&self.dir);
                io("move aside", &self.out, e)
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous output back: a failed build must leave it as it was.
            let _ = fs::rename(&self.retired, &self.out);
            let _ = fs::remove_dir_all(&self.dir);
            return Err(io("replace", &self.out, e));
        }
        if self.retired.exists() {
            let _ = fs::remove_dir_all(&self.retired);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The folder the output `out` sits in, and a hidden working folder there
/// named after it and `label` (`.public.annals-new-PID`): on the same file
/// system, so that moving it into place is a rename.
pub(crate) fn beside(out: &Path, label: &str) -> (PathBuf, PathBuf) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    let dir = parent.join(format!(".{name}.annals-{label}-{}", std::process::id()));
    (parent, dir)
}

/// A file-system error as a problem naming what was tried and where.
pub(crate) fn io(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::global(format!("cannot {what} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stages `files` and swaps them in, as a build does.
    fn publish(out: &Path, files: &[(&str, &str)]) {
        let staging = Staging::begin(out).unwrap();
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
    }

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = std::env::temp_dir().join(format!("annals-output-test-{}", std::process::id()));
        let out = tmp.join("public");
        publish(&out, &[("a/index.html", "1"), ("timeline.json", "{}")]);
        publish(&out, &[("b.txt", "2"), ("timeline.json", "{}")]);
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "2");
        let leftovers: Vec<_> = fs::read_dir(&tmp).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn refuses_foreign_folders() {
        let tmp = std::env::temp_dir().join(format!("annals-target-test-{}", std::process::id()));
        let site = tmp.join("site");
        fs::create_dir_all(site.join("docs")).unwrap();
        fs::write(site.join("docs/notes.txt"), "mine").unwrap();
        assert!(check_target(&site, &site).is_err());
        assert!(check_target(&site, &tmp).is_err());
        assert!(check_target(&site, &site.join("docs")).is_err());
        assert!(check_target(&site, &site.join("public")).is_ok());
        fs::remove_dir_all(&tmp).unwrap();
    }
}
