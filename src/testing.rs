//! What the unit tests share: folders and small sites in the system's
//! temporary folder, removed when dropped.

use std::path::{Path, PathBuf};

/// A fresh, empty folder of the system's temporary folder, named after the
/// tests (`kind`), the test (`name`) and the process (a folder left by an
/// earlier run is removed first); removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Makes the folder.
    pub fn new(kind: &str, name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("annals-{kind}-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A site in a [`TempDir`]: a `site.yaml` (one language, Kyiv time),
/// `content/events/`, and `files` (path, text) written.
pub fn small_site(kind: &str, name: &str, files: &[(&str, &str)]) -> TempDir {
    let root = TempDir::new(kind, name);
    std::fs::create_dir_all(root.join("content/events")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/\ntimezone: Europe/Kyiv\n",
    )
    .unwrap();
    for (rel, text) in files {
        std::fs::write(root.join(rel), text).unwrap();
    }
    root
}
