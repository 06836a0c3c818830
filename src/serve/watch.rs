//! Watching the site's sources: `site.yaml`, `content/`, `templates/` and
//! `static/`, with a debouncer, since editors write a file in several steps.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::is_ignored_name;

/// The folders whose changes matter.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "i18n", "static"];

/// A running watcher; dropping it stops watching.
pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches `root` and sends each settled batch of changed paths (relative to
/// the root, editor temp files left out) to `tx`.
pub fn watch(root: &Path, tx: Sender<Vec<PathBuf>>) -> Result<Watcher, String> {
    let base = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let filter_base = base.clone();
    // An editor's save (a write, or a temporary file renamed over the old
    // one) lands within a millisecond or two; 10 ms gathers it into one
    // batch and adds little to the edit-to-reload time. A batch cut in two
    // costs a second rebuild, each of the files as they then were.
    let mut debouncer = new_debouncer(
        Duration::from_millis(10),
        None,
        move |result: DebounceEventResult| {
            let Ok(events) = result else {
                // Changes may have been missed: have the content folder
                // looked at again, every file checked.
                let _ = tx.send(vec![PathBuf::from("content")]);
                return;
            };
            let mut paths: Vec<PathBuf> = events
                .iter()
                // Reading a file (as every build does) is not a change.
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths.iter())
                .filter_map(|p| relevant(&filter_base, p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        },
    )
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    // The root itself, not recursively: site.yaml, and folders created later.
    debouncer
        .watch(&base, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", base.display()))?;
    for dir in WATCHED_DIRS {
        let path = base.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok(debouncer)
}

/// The path relative to the root, if a change there matters.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?.to_path_buf();
    if rel
        .iter()
        .any(|part| is_ignored_name(&part.to_string_lossy()))
    {
        return None;
    }
    let first = rel.iter().next()?.to_string_lossy().to_string();
    let wanted = rel == Path::new(CONFIG_FILE) || WATCHED_DIRS.contains(&first.as_str());
    wanted.then_some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sources_and_drops_editor_files() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, Path::new(p));
        assert_eq!(r("/site/site.yaml"), Some(PathBuf::from("site.yaml")));
        assert_eq!(
            r("/site/content/events/a.yaml"),
            Some(PathBuf::from("content/events/a.yaml"))
        );
        assert_eq!(
            r("/site/templates/event.html"),
            Some(PathBuf::from("templates/event.html"))
        );
        assert_eq!(r("/site/content/events/.a.yaml.swp"), None);
        assert_eq!(r("/site/content/events/a.yaml~"), None);
        assert_eq!(r("/site/content/events/4913"), None);
        assert_eq!(r("/site/public/index.html"), None);
        assert_eq!(r("/site/README.md"), None);
        assert_eq!(r("/elsewhere/site.yaml"), None);
    }
}
