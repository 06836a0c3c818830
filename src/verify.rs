//! `annals verify`: checks a copy of a built site (a folder, or the zip
//! bundle) against its `manifest.json`, naming every missing, changed and
//! extra file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Span, display_path};
use crate::publish::manifest::{self, Entry, Manifest};

/// What a verification found.
#[derive(Debug)]
pub struct Verification {
    /// How many files the manifest lists.
    pub listed: usize,
    /// Where the manifest is (inside the archive for a bundle).
    pub manifest_path: PathBuf,
    /// SHA-256 of `manifest.json` itself, to compare with a published one.
    pub manifest_sha256: String,
    /// One error per missing, changed or extra file, in path order.
    pub problems: Vec<Diagnostic>,
}

/// Checks the folder or zip archive at `target` against the manifest it holds.
/// `Err` when there is no usable manifest (or nothing readable at all).
pub fn verify(target: &Path) -> Result<Verification, Diagnostic> {
    let copy = if target.is_file() {
        Copy::of_zip(target)?
    } else if target.is_dir() {
        Copy::of_folder(target)?
    } else {
        return Err(Diagnostic::global(format!(
            "{}: no such folder or zip archive",
            target.display()
        )));
    };
    let manifest_path = copy.shown(manifest::FILE);
    let bytes = copy.manifest.clone().ok_or_else(|| {
        Diagnostic::error(
            Span::file(&manifest_path),
            "missing: this is not a copy of an annals build, or it was built before manifests existed (build it again)",
        )
    })?;
    let listed = Manifest::parse(&bytes).map_err(|e| {
        Diagnostic::error(
            Span::file(&manifest_path),
            format!("not a valid annals manifest: {e}"),
        )
    })?;
    let mut problems = compare(&listed, &copy.files, |p| copy.shown(p));
    let top = copy
        .base
        .file_name()
        .map(|t| t.to_string_lossy().into_owned());
    for name in &copy.outside {
        problems.push(Diagnostic::error(
            Span::file(target.join(name)),
            format!(
                "outside the bundle's top folder `{}/`, which holds its manifest: not part of the site (a bundle annals makes keeps every file in that folder)",
                top.as_deref().unwrap_or("")
            ),
        ));
    }
    Ok(Verification {
        listed: listed.files.len(),
        manifest_path,
        manifest_sha256: crate::digest::sha256_hex(&bytes),
        problems,
    })
}

/// Every difference between what the manifest lists and what is there.
fn compare(
    listed: &Manifest,
    found: &BTreeMap<String, Result<Entry, String>>,
    shown: impl Fn(&str) -> PathBuf,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |path: &str, message: String| Diagnostic::error(Span::file(shown(path)), message);
    for want in &listed.files {
        match found.get(&want.path) {
            None => problems.push(at(&want.path, "missing".to_string())),
            Some(Err(e)) => problems.push(at(&want.path, format!("cannot read: {e}"))),
            Some(Ok(have)) if have.size != want.size => problems.push(at(
                &want.path,
                format!(
                    "changed: {} bytes, the manifest says {}",
                    have.size, want.size
                ),
            )),
            Some(Ok(have)) if !have.sha256.eq_ignore_ascii_case(&want.sha256) => problems.push(at(
                &want.path,
                "changed: its SHA-256 differs from the manifest's".to_string(),
            )),
            Some(Ok(_)) => {}
        }
    }
    let known: std::collections::HashSet<&str> =
        listed.files.iter().map(|e| e.path.as_str()).collect();
    for path in found.keys().filter(|p| !known.contains(p.as_str())) {
        problems.push(at(path, "extra: not in the manifest".to_string()));
    }
    problems.sort_by(|a, b| a.span.cmp(&b.span));
    problems
}

/// The files of a copy, hashed, and its manifest's bytes.
struct Copy {
    /// How paths are shown: the folder (or archive) as given, then the path.
    base: PathBuf,
    manifest: Option<Vec<u8>>,
    files: BTreeMap<String, Result<Entry, String>>,
    /// A bundle's entries that sit outside the top folder holding its manifest.
    outside: Vec<String>,
}

impl Copy {
    fn shown(&self, path: &str) -> PathBuf {
        self.base.join(path)
    }

    fn of_folder(dir: &Path) -> Result<Copy, Diagnostic> {
        let mut paths = Vec::new();
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| {
                Diagnostic::global(format!("cannot read {}: {e}", display_path(dir)))
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("walkdir stays under its root");
            paths.push((display_path(rel), entry.into_path()));
        }
        let mut files: BTreeMap<String, Result<Entry, String>> = paths
            .par_iter()
            .map(|(rel, full)| {
                let entry = std::fs::read(full)
                    .map(|bytes| Entry::of(rel, &bytes))
                    .map_err(|e| e.to_string());
                (rel.clone(), entry)
            })
            .collect();
        let manifest = match files.remove(manifest::FILE) {
            Some(_) => std::fs::read(dir.join(manifest::FILE)).ok(),
            None => None,
        };
        Ok(Copy {
            base: dir.to_path_buf(),
            outside: Vec::new(),
            manifest,
            files,
        })
    }

    /// A bundle: the files under its single top folder.
    fn of_zip(path: &Path) -> Result<Copy, Diagnostic> {
        let fail = |e: &dyn std::fmt::Display| {
            Diagnostic::global(format!(
                "{}: not a readable zip archive: {e}",
                path.display()
            ))
        };
        let file = File::open(path).map_err(|e| fail(&e))?;
        let mut archive = zip::ZipArchive::new(file).map_err(|e| fail(&e))?;
        let mut items = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let mut item = archive.by_index(i).map_err(|e| fail(&e))?;
            if item.is_dir() {
                continue;
            }
            let mut bytes = Vec::new();
            let read = item.read_to_end(&mut bytes).map_err(|e| e.to_string());
            items.push((item.name().to_string(), read.map(|_| bytes)));
        }
        let top = single_top_folder(items.iter().map(|(name, _)| name.as_str()))
            .or_else(|| manifest_folder(items.iter().map(|(name, _)| name.as_str())));
        let mut files = BTreeMap::new();
        let mut manifest = None;
        let mut outside = Vec::new();
        for (name, bytes) in items {
            let rel = match &top {
                Some(top) => match name
                    .strip_prefix(top.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(rel) => rel.to_string(),
                    None => {
                        outside.push(name);
                        continue;
                    }
                },
                None => name,
            };
            match bytes {
                Ok(bytes) if rel == manifest::FILE => manifest = Some(bytes),
                Ok(bytes) => {
                    files.insert(rel.clone(), Ok(Entry::of(&rel, &bytes)));
                }
                Err(e) => {
                    files.insert(rel, Err(e));
                }
            }
        }
        Ok(Copy {
            base: top.map_or_else(|| path.to_path_buf(), |t| path.join(t)),
            outside,
            manifest,
            files,
        })
    }
}

/// The top folder that holds `manifest.json`, when the names have several
/// top folders (or files beside them) and exactly one such folder.
fn manifest_folder<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut found = names.filter_map(|n| {
        let (top, rest) = n.split_once('/')?;
        (rest == manifest::FILE).then(|| top.to_string())
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The folder every name starts with, if there is one (a bundle has one).
fn single_top_folder<'a>(mut names: impl Iterator<Item = &'a str>) -> Option<String> {
    let first = names.next()?.split_once('/')?.0.to_string();
    names
        .all(|n| n.split_once('/').is_some_and(|(top, _)| top == first))
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            version: 1,
            generator: "test".into(),
            files: files
                .iter()
                .map(|(p, t)| Entry::of(p, t.as_bytes()))
                .collect(),
        }
    }

    #[test]
    fn names_each_missing_changed_and_extra_file() {
        let manifest = listed(&[
            ("a.html", "a"),
            ("b.html", "b"),
            ("c.html", "c"),
            ("d.css", "d"),
        ]);
        let mut found = BTreeMap::new();
        found.insert("a.html".to_string(), Ok(Entry::of("a.html", b"a")));
        found.insert("b.html".to_string(), Ok(Entry::of("b.html", b"B")));
        found.insert("c.html".to_string(), Ok(Entry::of("c.html", b"cc")));
        found.insert("e.txt".to_string(), Ok(Entry::of("e.txt", b"e")));
        let problems: Vec<String> = compare(&manifest, &found, |p| PathBuf::from("site").join(p))
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "error: site/b.html: changed: its SHA-256 differs from the manifest's",
                "error: site/c.html: changed: 2 bytes, the manifest says 1",
                "error: site/d.css: missing",
                "error: site/e.txt: extra: not in the manifest",
            ]
        );
    }
}
