//! Publishing: reproducible output, portable links, robots.txt and
//! `_headers`, precompressed files, and the GitHub Pages workflow that
//! `init` writes. The manifest, `verify` and the bundle: tests/verify.rs.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{BASE_URL, Run, Site, TempDir, Tree, assert_same_tree, attr_values, run_in};

/// The repository root: also the example site.
fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of the example site a build reads, relative to its root.
fn example_files() -> Vec<PathBuf> {
    let root = example_dir();
    let mut files = vec![PathBuf::from("site.yaml")];
    for dir in ["content", "static"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.push(entry.path().strip_prefix(&root).unwrap().to_path_buf());
            }
        }
    }
    files
}

/// Copies `files` from `from` into `to` in the given order, giving each
/// file the modification time `mtime(i)`.
fn copy_in_order(from: &Path, files: &[PathBuf], to: &Path, mtime: impl Fn(usize) -> SystemTime) {
    for (i, rel) in files.iter().enumerate() {
        let dst = to.join(rel);
        fs::create_dir_all(dst.parent().unwrap()).unwrap();
        fs::copy(from.join(rel), &dst).unwrap();
        let file = fs::File::options().write(true).open(&dst).unwrap();
        file.set_modified(mtime(i)).unwrap();
    }
}

/// A copy of the example site, built with `args` in `env`: (its output, the run).
fn build_copy(
    tmp: &Path,
    files: &[PathBuf],
    mtime: impl Fn(usize) -> SystemTime,
    args: &[&str],
    env: &[(&str, &str)],
) -> (PathBuf, Run) {
    let root = tmp.join("site");
    copy_in_order(&example_dir(), files, &root, mtime);
    let mut all = vec!["build", "-o", "../out"];
    all.extend_from_slice(args);
    let run = run_in(&root, &all, env);
    run.success();
    (tmp.join("out"), run)
}

/// Paths of every HTML file of an output folder, with `/`.
fn html_files(tree: &Tree) -> Vec<(&str, String)> {
    tree.files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), String::from_utf8(b.clone()).unwrap()))
        .collect()
}

#[test]
fn two_builds_of_differently_made_copies_are_byte_identical() {
    let files = example_files();
    let mut reversed = files.clone();
    reversed.reverse();
    // Interleave the second copy too, so that neither order is a plain reversal of sorting.
    let (odd, even): (Vec<_>, Vec<_>) = reversed
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 1);
    let shuffled: Vec<PathBuf> = odd.into_iter().chain(even).map(|(_, p)| p).collect();

    let (a, b) = (TempDir::new(), TempDir::new());
    let old = |i: usize| UNIX_EPOCH + Duration::from_secs(1_000_000_000 + i as u64);
    let new = |i: usize| SystemTime::now() - Duration::from_secs(i as u64 * 3600);
    let (out_a, _) = build_copy(
        a.path(),
        &files,
        old,
        &["--bundle", "../timeline.zip"],
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC")],
    );
    let (out_b, _) = build_copy(
        b.path(),
        &shuffled,
        new,
        &["--bundle", "../timeline.zip"],
        &[
            ("RAYON_NUM_THREADS", "2"),
            ("TZ", "Pacific/Kiritimati"),
            ("LC_ALL", "de_DE.UTF-8"),
        ],
    );
    let (tree_a, tree_b) = (Tree::of(&out_a), Tree::of(&out_b));
    assert!(tree_a.files.contains_key("manifest.json"));
    assert!(
        tree_a.files.len() > 100,
        "the example site has hundreds of files"
    );
    assert_same_tree(&tree_a, &tree_b, "the second build");
    let zip_a = fs::read(a.path().join("timeline.zip")).unwrap();
    let zip_b = fs::read(b.path().join("timeline.zip")).unwrap();
    assert!(zip_a == zip_b, "the two bundles differ");
}

#[test]
fn precompressed_builds_are_byte_identical_too() {
    let (a, b) = (Site::fixture("basic"), Site::fixture("basic"));
    a.run_with_env(&["build", "--precompress"], &[("RAYON_NUM_THREADS", "1")])
        .success();
    b.run_with_env(
        &["build", "--precompress"],
        &[("RAYON_NUM_THREADS", "2"), ("TZ", "UTC")],
    )
    .success();
    let tree = a.public().tree();
    assert!(tree.files.keys().any(|p| p.ends_with(".html.br")));
    assert_same_tree(&tree, &b.public().tree(), "the second precompressed build");
}

/// The target of a relative link from the page at `page` (a file path).
fn resolve(page: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{link} on {page} leaves the site");
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if link.is_empty() || link.ends_with('/') || link.ends_with("/.") || link == "." {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    target
}

#[test]
fn every_link_of_the_example_site_is_relative_and_leads_somewhere() {
    let tmp = TempDir::new();
    let (out, _) = build_copy(
        tmp.path(),
        &example_files(),
        |_| SystemTime::now(),
        &[],
        &[],
    );
    let tree = Tree::of(&out);
    let base_url = fs::read_to_string(example_dir().join("site.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .map(|v| v.trim().trim_matches('"').to_string())
        .unwrap();
    let pages = html_files(&tree);
    assert!(pages.len() > 100);
    let mut checked = 0;
    for (path, html) in &pages {
        if *path == "404.html" {
            // Served at any depth: its links start from the site's path on purpose.
            continue;
        }
        // The canonical link is absolute by definition.
        let canonical = format!("<link rel=\"canonical\" href=\"{base_url}");
        let html = html.replacen(&canonical, "", 1);
        for attr in ["href", "src", "action"] {
            for link in attr_values(&html, attr) {
                assert!(
                    !link.starts_with('/') && !link.starts_with(&base_url),
                    "{path}: {attr}=\"{link}\" is not relative"
                );
                if link.contains("://") || link.starts_with("mailto:") || link.starts_with('#') {
                    continue;
                }
                let target = resolve(path, link);
                assert!(
                    tree.files.contains_key(&target),
                    "{path}: {attr}=\"{link}\" leads to {target}, which does not exist"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn the_theme_satisfies_its_content_security_policy() {
    let site = common::basic::built(&[]);
    let tree = site.public().tree();
    for (path, html) in html_files(&tree) {
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains(" src=")
                    || tag.contains("type=\"application/ld+json\"")
                    || tag.contains("type=\"application/json\""),
                "{path}: inline script {tag}>"
            );
        }
        assert!(!html.contains("<style"), "{path}: inline <style>");
        assert!(
            attr_values(&html, "style").is_empty(),
            "{path}: style attribute"
        );
        for handler in [
            "onclick", "onload", "onerror", "onsubmit", "onchange", "oninput",
        ] {
            assert!(attr_values(&html, handler).is_empty(), "{path}: {handler}");
        }
        assert!(!html.contains("javascript:"), "{path}: javascript: URL");
    }
    let headers = site.public().read("_headers");
    assert!(headers.contains(
        "/*\n  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
    ));
    assert!(headers.contains("  X-Content-Type-Options: nosniff\n"));
    assert!(headers.contains("  Referrer-Policy: no-referrer\n"));
}

#[test]
fn robots_txt_names_the_sitemap_and_static_files_win() {
    let site = common::basic::built(&[]);
    assert_eq!(
        site.public().read("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE_URL}sitemap.xml\n")
    );
    site.build(&["--base-url", "https://mirror.example.net/"])
        .success();
    assert!(
        site.public()
            .read("robots.txt")
            .contains("Sitemap: https://mirror.example.net/sitemap.xml")
    );

    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.write("static/_headers", "/*\n  X-Mine: yes\n");
    site.build(&[]).success();
    assert_eq!(
        site.public().read("robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
    assert_eq!(site.public().read("_headers"), "/*\n  X-Mine: yes\n");
}

#[test]
fn precompressed_siblings_hold_the_same_bytes() {
    let site = common::basic::built(&["--precompress"]);
    let tree = site.public().tree();
    let mut compressed = 0;
    for (path, bytes) in &tree.files {
        let text_like = [".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"]
            .iter()
            .any(|e| path.ends_with(e));
        let listed_elsewhere = path == "manifest.json";
        if text_like && bytes.len() >= 1024 && !listed_elsewhere {
            let gz = tree.files.get(&format!("{path}.gz"));
            let br = tree.files.get(&format!("{path}.br"));
            let (gz, br) = (
                gz.unwrap_or_else(|| panic!("no {path}.gz")),
                br.unwrap_or_else(|| panic!("no {path}.br")),
            );
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == *bytes, "{path}.gz");
            let mut back = Vec::new();
            brotli::Decompressor::new(&br[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == *bytes, "{path}.br");
            assert!(br.len() < bytes.len() && gz.len() < bytes.len());
            compressed += 1;
        }
        if bytes.len() < 1024 {
            assert!(
                !tree.files.contains_key(&format!("{path}.gz")),
                "{path} is too small to compress"
            );
        }
    }
    assert!(compressed > 10);
    assert!(!tree.files.contains_key("favicon.svg.gz") || tree.files["favicon.svg"].len() >= 1024);
    // The manifest lists them too, and verify checks them.
    assert!(
        site.public()
            .read("manifest.json")
            .contains("\"index.html.gz\"")
    );
    site.run(&["verify"]).success();
}

#[test]
fn init_writes_a_github_pages_workflow_that_parses() {
    let site = Site::empty();
    site.run(&["init", site.root().to_str().unwrap(), "--github-pages"])
        .success()
        .prints("ANNALS_GIT");
    let text = site.read(".github/workflows/pages.yml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert!(yaml["env"]["ANNALS_GIT"].as_str().is_some());
    assert_eq!(yaml["permissions"]["pages"], "write");
    assert_eq!(yaml["permissions"]["id-token"], "write");
    let steps = |job: &str| -> Vec<String> {
        yaml["jobs"][job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|s| {
                s["uses"]
                    .as_str()
                    .or(s["run"].as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let build = steps("build");
    let has = |steps: &[String], needle: &str| steps.iter().any(|s| s.contains(needle));
    assert!(has(&build, "actions/checkout@"));
    // What the last build kept is restored before building.
    let kept = yaml["jobs"]["build"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["with"]["path"] == ".annals")
        .expect("a step that keeps .annals between runs");
    assert!(kept["uses"].as_str().unwrap().starts_with("actions/cache@"));
    assert!(kept["with"]["restore-keys"].as_str().is_some());
    assert!(has(&build, "cargo install --locked --git \"$ANNALS_GIT\""));
    assert!(has(&build, "annals build"));
    assert!(has(&build, "actions/upload-pages-artifact@"));
    assert_eq!(
        yaml["jobs"]["build"]["steps"]
            .as_sequence()
            .unwrap()
            .last()
            .unwrap()["with"]["path"],
        "public"
    );
    assert!(has(&steps("deploy"), "actions/deploy-pages@"));
    assert_eq!(yaml["jobs"]["deploy"]["needs"], "build");
    // The scaffolded site builds, and keeps the link cache out of git.
    assert!(site.read(".gitignore").contains("/.annals/"));
    site.build(&[]).success();
    // Without the flag, no workflow.
    let plain = Site::empty();
    plain
        .run(&["init", plain.root().to_str().unwrap()])
        .success();
    assert!(!plain.path(".github").exists());
}

#[test]
fn build_help_documents_the_publishing_flags() {
    let run = run_in(&example_dir(), &["build", "--help"], &[]);
    run.success().prints("--precompress").prints("--bundle");
    let run = run_in(&example_dir(), &["verify", "--help"], &[]);
    run.success().prints("manifest.json");
}
