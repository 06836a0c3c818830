//! The integrity manifest and `annals verify`, and the offline bundle:
//! every file listed with its size and hash, every missing, changed and
//! extra file of a copy named, the bundle complete once unzipped.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;

use common::{Site, assert_same_tree};
use sha2::{Digest, Sha256};

#[test]
fn a_static_manifest_json_is_refused() {
    let site = Site::fixture("basic");
    site.write("static/manifest.json", "{\"name\": \"my app\"}");
    site.build(&[])
        .exit(1)
        .error_in("static/manifest.json", &["integrity manifest"]);
    site.run(&["check"])
        .exit(1)
        .error_in("static/manifest.json", &["integrity manifest"]);
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_manifest_lists_every_file_with_its_size_and_hash() {
    let site = common::basic::built(&[]);
    let tree = site.public().tree();
    let manifest: serde_json::Value = serde_json::from_slice(&tree.files["manifest.json"]).unwrap();
    assert_eq!(manifest["version"], 1);
    let listed = manifest["files"].as_array().unwrap();
    let paths: Vec<&str> = listed.iter().map(|e| e["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "sorted by path");
    let expected: Vec<&str> = tree
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| *p != "manifest.json")
        .collect();
    assert_eq!(paths, expected, "every file but the manifest itself");
    for e in listed {
        let bytes = &tree.files[e["path"].as_str().unwrap()];
        assert_eq!(e["size"], bytes.len());
        assert_eq!(e["sha256"], sha256(bytes));
    }
    // SHA256SUMS says the same, in the format of `sha256sum -c`.
    let sums = String::from_utf8(tree.files["SHA256SUMS"].clone()).unwrap();
    assert_eq!(sums.lines().count(), listed.len() - 1);
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        assert_eq!(hash, sha256(&tree.files[path]), "{path}");
    }
}

#[test]
fn verify_accepts_an_intact_copy() {
    let site = common::basic::built(&[]);
    let copy = site.outside().join("usb-stick");
    copy_tree(&site.path("public"), &copy);
    let run = site.run(&["verify", copy.to_str().unwrap()]);
    run.success().prints("ok: all ");
    let manifest = fs::read(copy.join("manifest.json")).unwrap();
    run.prints(&sha256(&manifest));
    // Without DIR: the site's public/.
    site.run(&["verify"]).success();
}

#[test]
fn verify_names_every_changed_missing_and_extra_file() {
    let site = common::basic::built(&[]);
    let public = site.path("public");
    let html = public.join("events/tie-a/index.html");
    let text = fs::read_to_string(&html).unwrap();
    // Same size, other content: only the hash can tell.
    fs::write(&html, text.replacen("Tie", "Tye", 1)).unwrap();
    let css = public.join("sitemap.xml");
    let mut css_text = fs::read_to_string(&css).unwrap();
    css_text.push_str("<!-- tampered -->");
    fs::write(&css, css_text).unwrap();
    fs::remove_file(public.join("feed.xml")).unwrap();
    fs::write(public.join("events/tie-a/extra.js"), "alert(1)").unwrap();

    let run = site.run(&["verify", "public"]);
    run.exit(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    run.error_in("public/sitemap.xml", &["changed", "bytes"]);
    run.error_in("public/events/tie-a/index.html", &["changed", "SHA-256"]);
    run.error_in("public/feed.xml", &["missing"]);
    run.error_in(
        "public/events/tie-a/extra.js",
        &["extra", "not in the manifest"],
    );
    run.prints("failed: 4 files");
}

#[test]
fn verify_explains_a_missing_or_broken_manifest() {
    let site = common::basic::built(&[]);
    let manifest = site.path("public/manifest.json");
    let good = fs::read(&manifest).unwrap();
    for bad in [
        &b"{\"version\": 1, \"files\": ["[..],
        b"[]",
        b"",
        &b"\xff\xfe"[..],
    ] {
        fs::write(&manifest, bad).unwrap();
        site.run(&["verify", "public"])
            .exit(1)
            .error_in("public/manifest.json", &["not a valid annals manifest"]);
    }
    let tampered = String::from_utf8(good)
        .unwrap()
        .replacen("\"version\": 1", "\"version\": 9", 1);
    fs::write(&manifest, tampered).unwrap();
    site.run(&["verify", "public"]).exit(1).prints("version 9");
    fs::remove_file(&manifest).unwrap();
    site.run(&["verify", "public"])
        .exit(1)
        .error_in("public/manifest.json", &["missing"]);
    site.run(&["verify", "no-such-folder"])
        .exit(1)
        .prints("no such folder");
}

/// Copies a folder recursively.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dst = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dst).unwrap();
        } else {
            fs::copy(entry.path(), &dst).unwrap();
        }
    }
}

/// Unzips `zip` into `dir`.
fn unzip(zip: &Path, dir: &Path) {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    archive.extract(dir).unwrap();
}

#[test]
fn the_bundle_unzips_into_a_complete_site() {
    let site = common::basic::built(&["--precompress", "--bundle", "../dist/war-2025.zip"]);
    let zip = site.outside().join("dist/war-2025.zip");
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    assert!(
        names.iter().all(|n| n.starts_with("war-2025/")),
        "{names:?}"
    );
    assert!(names.contains(&"war-2025/index.html".to_string()));
    assert!(names.contains(&"war-2025/manifest.json".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".gz") || n.ends_with(".br")),
        "precompressed files are of no use offline"
    );
    let mut index = String::new();
    archive
        .by_name("war-2025/index.html")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert_eq!(index, site.public().read("index.html"));

    // Unzipped anywhere, it is complete: verify says so.
    let elsewhere = site.outside().join("offline");
    unzip(&zip, &elsewhere);
    let unzipped = elsewhere.join("war-2025");
    assert!(unzipped.join("index.html").is_file());
    site.run(&["verify", unzipped.to_str().unwrap()]).success();
    // ... and verify reads the archive itself too.
    site.run(&["verify", zip.to_str().unwrap()])
        .success()
        .prints("ok: all ");
}

#[test]
fn a_failed_build_leaves_the_previous_bundle() {
    let site = common::basic::built(&["--bundle", "timeline.zip"]);
    let before = fs::read(site.path("timeline.zip")).unwrap();
    site.write(
        "content/events/bad.yaml",
        "- id: bad\n  date: 2022-13\n  title: Bad\n",
    );
    site.build(&["--bundle", "timeline.zip"]).exit(1);
    assert!(fs::read(site.path("timeline.zip")).unwrap() == before);
    let leftovers: Vec<String> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("annals-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_bundle_inside_the_output_folder_is_refused() {
    let site = common::basic::built(&[]);
    let before = site.public().tree();
    site.build(&["--bundle", "public/site.zip"])
        .exit(1)
        .prints("inside the output folder");
    assert_same_tree(
        &before,
        &site.public().tree(),
        "public/ after a refused bundle",
    );
}
