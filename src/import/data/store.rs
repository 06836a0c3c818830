//! The site's events files as the import sees them: the entries an earlier
//! import wrote (found by their `import:` block, wherever a curator moved
//! them), every id already taken, and the files this run changes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_yaml::Value;

use super::problem::Problem;

/// An events file as first read: its path, its events when it holds the
/// dataset's (and whether it is a single mapping), else only its ids.
type Scanned = (PathBuf, Option<Vec<Value>>, bool, Vec<String>);

/// One events file, parsed, and whether this run changed it.
#[derive(Debug)]
pub struct EventsFile {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Its events, as a list.
    pub items: Vec<Value>,
    /// Whether it was one mapping rather than a list.
    pub single: bool,
    /// Whether this run changed it.
    pub changed: bool,
}

/// Every events file an import may touch, and the ids taken.
#[derive(Debug, Default)]
pub struct Store {
    /// The files read as YAML (those holding imported entries, and targets).
    pub files: Vec<EventsFile>,
    by_path: HashMap<PathBuf, usize>,
    /// (dataset, row) to (file, index).
    pub imported: HashMap<(String, String), (usize, usize)>,
    /// Every event id in the site.
    pub ids: HashSet<String>,
}

impl Store {
    /// Reads `content/events/**`: files with an `import:` block of `dataset`
    /// are parsed whole; of the others only the ids are read.
    pub fn load(root: &Path, dataset: &str) -> Result<Store, Vec<Problem>> {
        let base = root.join("content/events");
        let mut paths: Vec<PathBuf> = Vec::new();
        if base.is_dir() {
            for e in walkdir::WalkDir::new(&base)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                let name = e.file_name().to_string_lossy();
                if e.file_type().is_file()
                    && !name.starts_with('.')
                    && (name.ends_with(".yaml") || name.ends_with(".yml"))
                {
                    paths.push(
                        e.path()
                            .strip_prefix(root)
                            .unwrap_or(e.path())
                            .to_path_buf(),
                    );
                }
            }
        }
        let marker = format!("dataset: {dataset}");
        let read: Vec<Result<Scanned, Problem>> = paths
            .into_par_iter()
            .map(|rel| {
                let text = std::fs::read_to_string(root.join(&rel))
                    .map_err(|e| Problem::file(&rel, format!("cannot read: {e}")))?;
                if !text.contains(&marker) {
                    return Ok((rel, None, false, ids_in(&text)));
                }
                let (items, single) = parse_items(&rel, &text)?;
                Ok((rel, Some(items), single, Vec::new()))
            })
            .collect();
        let mut store = Store::default();
        let mut problems = Vec::new();
        for r in read {
            match r {
                Err(p) => problems.push(p),
                Ok((_, None, _, ids)) => store.ids.extend(ids),
                Ok((rel, Some(items), single, _)) => store.add_file(rel, items, single, dataset),
            }
        }
        if problems.is_empty() {
            Ok(store)
        } else {
            Err(problems)
        }
    }

    fn add_file(&mut self, path: PathBuf, items: Vec<Value>, single: bool, dataset: &str) {
        let fi = self.files.len();
        for (i, item) in items.iter().enumerate() {
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                self.ids.insert(id.to_string());
            }
            let Some(imp) = item.get("import") else {
                continue;
            };
            if imp.get("dataset").and_then(Value::as_str) != Some(dataset) {
                continue;
            }
            let row = match imp.get("row") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            self.imported
                .entry((dataset.to_string(), row))
                .or_insert((fi, i));
        }
        self.by_path.insert(path.clone(), fi);
        self.files.push(EventsFile {
            path,
            items,
            single,
            changed: false,
        });
    }

    /// The file at `path` (relative), read when it exists, else new.
    pub fn target(&mut self, root: &Path, path: &Path, dataset: &str) -> Result<usize, Problem> {
        if let Some(&i) = self.by_path.get(path) {
            return Ok(i);
        }
        let full = root.join(path);
        if full.is_file() {
            let text = std::fs::read_to_string(&full)
                .map_err(|e| Problem::file(path, format!("cannot read: {e}")))?;
            let (items, single) = parse_items(path, &text)?;
            self.add_file(path.to_path_buf(), items, single, dataset);
        } else {
            self.by_path.insert(path.to_path_buf(), self.files.len());
            self.files.push(EventsFile {
                path: path.to_path_buf(),
                items: Vec::new(),
                single: false,
                changed: false,
            });
        }
        Ok(self.files.len() - 1)
    }

    /// The new text of every file this run changed.
    pub fn changed_texts(&self) -> Vec<(PathBuf, String)> {
        self.files
            .par_iter()
            .filter(|f| f.changed)
            .map(|f| {
                let text = if f.single && f.items.len() == 1 {
                    serde_yaml::to_string(&f.items[0])
                } else {
                    serde_yaml::to_string(&f.items)
                };
                (f.path.clone(), text.unwrap_or_default())
            })
            .collect()
    }
}

fn parse_items(path: &Path, text: &str) -> Result<(Vec<Value>, bool), Problem> {
    let value: Value = serde_yaml::from_str(text).map_err(|e| {
        Problem::at(
            path,
            e.location().map_or(0, |l| l.line()),
            format!("cannot read this events file, so cannot tell which rows it holds: {e}"),
        )
    })?;
    Ok(match value {
        Value::Sequence(items) => (items, false),
        Value::Null => (Vec::new(), false),
        m @ Value::Mapping(_) => (vec![m], true),
        _ => return Err(Problem::file(path, "not an event or a list of events")),
    })
}

/// The `id:` values of an events file, read line by line (fast, for files
/// the import does not change).
fn ids_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let l = line.trim_start().trim_start_matches("- ").trim_start();
            let v = l.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
            crate::fields::is_valid_id(v).then(|| v.to_string())
        })
        .collect()
}
