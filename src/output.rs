//! Writing the output folder all at once: files go into a fresh folder
//! beside the target, which replaces the old one only when all are written.
//! A failed build therefore leaves the previous output exactly as it was.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::render::OutputFile;

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

/// Writes `files` as the new content of `out`.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::global(format!("cannot {what} {}: {e}", path.display()))
    };
    fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
    let staging = parent.join(format!(".{name}.annals-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.annals-old-{}", std::process::id()));
    for stale in [&staging, &retired] {
        if stale.exists() {
            fs::remove_dir_all(stale).map_err(|e| io("remove", stale, e))?;
        }
    }
    if let Err(e) = write_all(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &retired).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io("move aside", out, e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous output back: a failed build must leave it as it was.
        let _ = fs::rename(&retired, out);
        let _ = fs::remove_dir_all(&staging);
        return Err(io("replace", out, e));
    }
    if retired.exists() {
        let _ = fs::remove_dir_all(&retired);
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .chain(std::iter::once(dir.to_path_buf()))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder)
            .map_err(|e| Diagnostic::global(format!("cannot create {}: {e}", folder.display())))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        fs::write(&path, &f.bytes)
            .map_err(|e| Diagnostic::global(format!("cannot write {}: {e}", path.display())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = std::env::temp_dir().join(format!("annals-output-test-{}", std::process::id()));
        let out = tmp.join("public");
        write_atomically(
            &out,
            &[file("a/index.html", "1"), file("timeline.json", "{}")],
        )
        .unwrap();
        write_atomically(&out, &[file("b.txt", "2"), file("timeline.json", "{}")]).unwrap();
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
