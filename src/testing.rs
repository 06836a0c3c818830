//! What the unit tests share: small sites written to a temporary folder.

use std::path::PathBuf;

/// A site in a folder of the system's temporary folder named after the
/// tests (`kind`), the test (`name`) and the process: a `site.yaml` (one
/// language, Kyiv time), `content/events/`, and `files` (path, text)
/// written. A folder left by an earlier run is removed first.
pub fn small_site(kind: &str, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("annals-{kind}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
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
