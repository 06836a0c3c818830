//! The modules of `src/` import each other one way only: a test over the
//! `use` lines and `crate::`/`super::` paths of every source file (tests
//! aside), which fails naming the files of any import cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/render/mod.rs` → `["render"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or("").trim().to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.trim().is_empty())
        .flat_map(|i| expand(i).into_iter().map(move |p| format!("{prefix}{p}")))
        .collect()
}

/// The paths a file's code names: its `use` trees and inline
/// `crate::`/`super::` paths, outside comments and its test module.
fn named_paths(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        out.extend(expand(&rest[..end]));
        rest = &rest[end..];
    }
    for start in ["crate::", "super::"] {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(start) {
            let path: String = rest[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path.clone());
            rest = &rest[i + path.len().max(1)..];
        }
    }
    out
}

/// The file of the deepest module a path names, from the module `from`.
fn resolve(
    path: &str,
    from: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<PathBuf> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    let mut base: Vec<String> = match parts.first() {
        Some(&"crate") => Vec::new(),
        Some(&"super") | Some(&"self") => from.to_vec(),
        _ => return None,
    };
    while let Some(&head) = parts.first() {
        match head {
            "crate" | "self" => {}
            "super" => {
                base.pop();
            }
            _ => break,
        }
        parts.remove(0);
    }
    let mut best = None;
    let mut module = base;
    if modules.contains_key(&module) {
        best = modules.get(&module).cloned();
    }
    for part in parts {
        module.push(part.to_string());
        match modules.get(&module) {
            Some(file) => best = Some(file.clone()),
            None => break,
        }
    }
    best
}

#[test]
fn no_module_imports_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        // `main.rs` is the binary: it reaches the library as `annals::`.
        for path in named_paths(&text) {
            if let Some(to) = resolve(&path, &from, &modules)
                && to != *file
            {
                edges.entry(file.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first search; a file met again on the current path closes a cycle.
    fn visit(
        file: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        stack: &mut Vec<PathBuf>,
        done: &mut BTreeSet<PathBuf>,
        cycles: &mut Vec<Vec<PathBuf>>,
    ) {
        if let Some(i) = stack.iter().position(|f| f == file) {
            cycles.push(stack[i..].to_vec());
            return;
        }
        if !done.insert(file.clone()) {
            return;
        }
        stack.push(file.clone());
        for next in edges.get(file).into_iter().flatten() {
            visit(next, edges, stack, done, cycles);
        }
        stack.pop();
    }
    let (mut done, mut cycles) = (BTreeSet::new(), Vec::new());
    for file in &files {
        visit(file, &edges, &mut Vec::new(), &mut done, &mut cycles);
    }
    let shown: Vec<String> = cycles
        .iter()
        .map(|c| {
            c.iter()
                .map(|f| f.strip_prefix(&src).unwrap().display().to_string())
                .collect::<Vec<_>>()
                .join(" -> ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "import cycles in src/:\n{}",
        shown.join("\n")
    );
    assert!(edges.len() > 20, "the test read too few imports: {edges:?}");
}

#[test]
fn use_trees_expand_to_their_paths() {
    assert_eq!(
        expand("super::{a, b::{C, d as e}}"),
        ["super::a", "super::b::C", "super::b::d"]
    );
}
