//! `annals build`'s cache on disk (`.annals/build/`): a scripted series of
//! edits of every kind (event fields, registries, eras, files added,
//! renamed and removed, `site.yaml`, templates, static files, articles),
//! each built with the cache into `public/` and from scratch
//! (`--no-cache`) into another folder, compared byte for byte; one edit
//! builds again only the pages that read what changed; files whose bytes
//! did not change keep their modification time; a damaged cache, or one
//! of another version, is ignored without harm.

mod common;

use std::path::Path;
use std::time::SystemTime;

use common::{Site, Tree, assert_same_tree};

const CACHE: &str = ".annals/build/cache.bin";

/// Builds with the cache and from scratch, and compares the two outputs.
#[track_caller]
fn build_both(site: &Site, what: &str) {
    site.build(&[]).success();
    site.build(&["--no-cache", "-o", "../clean"]).success();
    let cached = Tree::of(&site.path("public"));
    let clean = Tree::of(&site.root().join("../clean"));
    assert!(!cached.files.is_empty(), "{what}: nothing built");
    assert_same_tree(&clean, &cached, &format!("{what}: the cached build"));
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Rewrites a file with `from` replaced by `to` (which must be in it).
#[track_caller]
fn replace(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, text.replacen(from, to, 1));
}

/// One scripted edit of the site.
type Edit = Box<dyn Fn(&Site)>;

#[test]
fn every_cached_build_equals_a_clean_build() {
    let site = Site::fixture("basic");
    build_both(&site, "the first build");
    assert!(site.path(CACHE).is_file(), "the build wrote no cache");
    let events = "content/events/2022.yaml";
    let steps: Vec<(&str, Edit)> = vec![
        (
            "an event's title",
            Box::new(|s| replace(s, events, "title: Tie B", "title: Tie B, retitled")),
        ),
        (
            "an event's date (it moves)",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "date: 2022-04-02\n  title: Tie B",
                    "date: 2022-12-30\n  title: Tie B",
                )
            }),
        ),
        (
            "an event's track",
            Box::new(|s| replace(s, events, "track: diplomacy", "track: military")),
        ),
        (
            "an event's summary added (its structure kept)",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "title: Long talks\n",
                    "title: Long talks\n  summary: Delegations met for ten days.\n",
                )
            }),
        ),
        (
            "an event's actors",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "  actors: [vladimir-putin]\n  places: [kyiv]\n  sources:\n    - article: invasion-explainer\n- id: z-rockets",
                    "  actors: [vladimir-putin, donald-trump]\n  places: [kyiv]\n  sources:\n    - article: invasion-explainer\n- id: z-rockets",
                )
            }),
        ),
        (
            "an event's external source",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "title: Invasion begins",
                    "title: The invasion begins",
                )
            }),
        ),
        (
            "an event's article source removed",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "  places: [kyiv]\n  sources:\n    - article: invasion-explainer\n- id: z-rockets",
                    "  places: [kyiv]\n- id: z-rockets",
                )
            }),
        ),
        (
            "an event removed",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "- id: convoy\n  date: 2022-03~\n  title: Convoy stalls north of Kyiv\n  track: military\n  places: [kyiv]\n",
                    "",
                )
            }),
        ),
        (
            "a registry alias",
            Box::new(|s| {
                replace(
                    s,
                    "content/places.yaml",
                    "aliases: [Київ]",
                    "aliases: [Київ, Kiev]",
                )
            }),
        ),
        (
            "an era's boundary",
            Box::new(|s| replace(s, "content/eras.yaml", "end: 2022-12", "end: 2022-03")),
        ),
        (
            "an events file renamed",
            Box::new(|s| {
                let text = s.read("content/events/2025/summit.yml");
                s.remove("content/events/2025/summit.yml");
                s.write("content/events/2025/summit-moved.yml", text);
            }),
        ),
        (
            "a free page",
            Box::new(|s| {
                let text = s.read("content/pages/about.md");
                s.write(
                    "content/pages/about.md",
                    format!("{text}\nOne more line.\n"),
                );
            }),
        ),
        (
            "an article's title",
            Box::new(|s| {
                replace(
                    s,
                    "content/articles/early-warning.md",
                    "title: Early warning signs",
                    "title: Early warning",
                )
            }),
        ),
        (
            "site.yaml's page size",
            Box::new(|s| replace(s, "site.yaml", "per_page: 4", "per_page: 3")),
        ),
        (
            "a new events file",
            Box::new(|s| {
                s.write(
                    "content/events/extra.yaml",
                    "- id: extra-one\n  date: 2022-05-05\n  title: An added event\n  actors: [vladimir-putin]\n",
                );
            }),
        ),
        (
            "a registry name",
            Box::new(|s| {
                replace(
                    s,
                    "content/actors.yaml",
                    "name: Vladimir Putin",
                    "name: V. Putin",
                )
            }),
        ),
        (
            "the events file deleted",
            Box::new(|s| {
                s.remove("content/events/extra.yaml");
            }),
        ),
        (
            "site.yaml's title",
            Box::new(|s| {
                replace(
                    s,
                    "site.yaml",
                    "Fixture Timeline",
                    "Fixture Timeline, renamed",
                )
            }),
        ),
        (
            "a template",
            Box::new(|s| {
                let builtin = std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/event.html"),
                )
                .unwrap();
                s.write(
                    "templates/event.html",
                    builtin.replacen(
                        "{% endblock main %}",
                        "<!-- edited -->{% endblock main %}",
                        1,
                    ),
                );
            }),
        ),
        (
            "a static file",
            Box::new(|s| {
                s.write("static/notes.txt", "hello");
            }),
        ),
        (
            "a static file changed",
            Box::new(|s| {
                s.write("static/notes.txt", "hello again");
            }),
        ),
        (
            "a static file removed",
            Box::new(|s| {
                s.remove("static/notes.txt");
            }),
        ),
        (
            "an article's body",
            Box::new(|s| {
                let rel = "content/articles/early-warning.md";
                let text = s.read(rel);
                s.write(rel, format!("{text}\nA paragraph added.\n"));
            }),
        ),
        ("nothing at all", Box::new(|_| {})),
    ];
    for (what, edit) in &steps {
        edit(&site);
        build_both(&site, what);
    }
}

/// The data files a cached build makes of the last build's (a year file
/// of `timeline.json` kept while its entries are the same; each export
/// made of its last file with only the changed entries' parts made again)
/// equal a clean build's, whichever entry changes and however.
#[test]
fn data_files_made_of_the_last_ones_equal_a_clean_build() {
    let site = Site::fixture("basic");
    // Year files of `timeline.json`, and located entries in every export.
    replace(
        &site,
        "site.yaml",
        "per_page: 4",
        "per_page: 4\ntimeline_json_max: 2",
    );
    let events = "content/events/2022.yaml";
    replace(
        &site,
        events,
        "title: Tie B\n",
        "title: Tie B\n  location: {name: Lviv, lat: 49.84, lon: 24.03}\n",
    );
    replace(
        &site,
        events,
        "title: New Year's Day\n",
        "title: New Year's Day\n  location: {name: Kyiv, lat: 50.45, lon: 30.52}\n",
    );
    build_both(&site, "the first build");
    assert!(site.path("public/timeline/2022.json").is_file());
    let steps: Vec<(&str, Edit)> = vec![
        (
            "the title of a located event",
            Box::new(|s| replace(s, events, "title: Tie B", "title: Tie B, retitled")),
        ),
        (
            "the earliest entry's title",
            Box::new(|s| replace(s, events, "title: New Year's Day", "title: First day")),
        ),
        (
            "a summary, and a place moved",
            Box::new(|s| {
                replace(s, events, "title: Tie A", "summary: Quiet.\n  title: Tie A");
                replace(s, events, "lat: 49.84", "lat: 49.9");
            }),
        ),
        (
            "an event without a place given one",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "title: January 2022\n",
                    "title: January 2022\n  location: {name: Odesa, lat: 46.48, lon: 30.72}\n",
                )
            }),
        ),
        (
            "the first located event's place removed",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "  location: {name: Kyiv, lat: 50.45, lon: 30.52}\n",
                    "",
                )
            }),
        ),
        (
            "figures of a kind no entry had (every search row's kinds move)",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "title: Tie A",
                    "figures:\n    - {kind: killed, best: 3, by: Kyiv officials}\n  title: Tie A",
                )
            }),
        ),
        (
            "a second kind",
            Box::new(|s| {
                replace(
                    s,
                    events,
                    "figures:\n",
                    "figures:\n    - {kind: injured, best: 9, by: Kyiv officials}\n",
                )
            }),
        ),
        (
            "a search word of one entry only",
            Box::new(|s| replace(s, events, "title: Tie A", "title: Tie A xylophonic")),
        ),
        (
            "an export changed by hand in the output, then an edit",
            Box::new(|s| {
                std::fs::write(s.path("public/events.geojson"), "{}").unwrap();
                std::fs::write(s.path("public/timeline/2022.json"), "{}").unwrap();
                replace(s, events, "title: First day", "title: The first day");
            }),
        ),
        ("nothing at all", Box::new(|_| {})),
    ];
    for (what, edit) in &steps {
        edit(&site);
        build_both(&site, what);
    }
}

#[test]
fn unchanged_files_keep_their_time_and_changed_ones_are_rewritten() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let out = site.path("public");
    let about = out.join("about/index.html");
    let before = (mtime(&about), mtime(&out.join("robots.txt")));
    let page = out.join("events/tie-b/index.html");
    let page_before = std::fs::read_to_string(&page).unwrap();
    replace(
        &site,
        "content/events/2022.yaml",
        "title: Tie B",
        "title: Tie B, retitled",
    );
    site.build(&[]).success();
    assert_eq!(
        (mtime(&about), mtime(&out.join("robots.txt"))),
        before,
        "files whose bytes did not change were written again"
    );
    let page_after = std::fs::read_to_string(&page).unwrap();
    assert_ne!(page_before, page_after);
    assert!(page_after.contains("Tie B, retitled"));
    // A file someone changed in the output is put right by the next build.
    std::fs::write(&about, "tampered").unwrap();
    site.build(&[]).success();
    assert!(std::fs::read_to_string(&about).unwrap().contains("<html"));
    // And a file that is not the site's own goes, as in a clean build.
    std::fs::write(out.join("stray.txt"), "x").unwrap();
    site.build(&[]).success();
    assert!(!out.join("stray.txt").exists());
    // In a folder of the site, in a folder of its own, or an empty folder.
    std::fs::write(out.join("events/tie-b/notes.txt"), "x").unwrap();
    std::fs::create_dir_all(out.join("events/tie-b/drafts/old")).unwrap();
    std::fs::write(out.join("events/tie-b/drafts/old/a.txt"), "x").unwrap();
    std::fs::create_dir_all(out.join("junk/empty")).unwrap();
    site.build(&[]).success();
    for gone in ["events/tie-b/notes.txt", "events/tie-b/drafts", "junk"] {
        assert!(!out.join(gone).exists(), "{gone} is still in the output");
    }
    assert!(out.join("events/tie-b/index.html").is_file());
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let good = std::fs::read(site.path(CACHE)).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = good
        .windows(version.len())
        .position(|w| w == version)
        .expect("the cache names the version that wrote it");
    let mut other_version = good.clone();
    other_version[at] = if version[0] == b'9' { b'8' } else { b'9' };
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"not a cache at all".to_vec()),
        ("empty", Vec::new()),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("a byte changed", flipped),
        ("another version", other_version),
    ];
    for (what, bytes) in cases {
        replace(
            &site,
            "content/events/2022.yaml",
            "title: Tie A",
            "title: Tie A again",
        );
        site.write(CACHE, &bytes);
        let run = site.build(&[]);
        run.success();
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        site.build(&["--no-cache", "-o", "../clean"]).success();
        assert_same_tree(
            &Tree::of(&site.root().join("../clean")),
            &Tree::of(&site.path("public")),
            &format!("the build after a cache {what}"),
        );
        assert_ne!(
            std::fs::read(site.path(CACHE)).unwrap(),
            bytes,
            "{what}: the cache was not written anew"
        );
    }
}

#[test]
fn a_failed_cached_build_leaves_the_output_as_it_was() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let before = Tree::of(&site.path("public"));
    replace(
        &site,
        "content/events/2022.yaml",
        "date: 2022-01-01",
        "date: 2022-13-45",
    );
    site.build(&[]).exit(1);
    assert_same_tree(
        &before,
        &Tree::of(&site.path("public")),
        "the output after a failed build",
    );
}

/// A run of annals with `args` (a cached build or a check) and
/// `ANNALS_CACHE_REPORT` set, and the counts of its report line that
/// starts with `prefix`.
#[track_caller]
fn reported<const N: usize>(site: &Site, args: &[&str], prefix: &str) -> ([usize; N], common::Run) {
    let run = site.run_with_env(args, &[("ANNALS_CACHE_REPORT", "1")]);
    run.success();
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} in {}", run.stderr));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    let counts = numbers
        .try_into()
        .unwrap_or_else(|_| panic!("{N} counts expected: {line}"));
    (counts, run)
}

/// The counts the build says with `ANNALS_CACHE_REPORT` set: pages kept
/// without building their data, kept after building it, rendered.
#[track_caller]
fn cached_build_counts(site: &Site) -> [usize; 3] {
    reported(site, &["build"], "build cache: ").0
}

#[test]
fn one_edit_builds_again_only_the_pages_that_read_it() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    // Nothing changed: every page kept, those with internal links in their
    // Markdown after building their data (where a link is written, for
    // messages, may have moved in its file).
    let [kept, checked, rendered] = cached_build_counts(&site);
    assert!(kept > 20, "nothing changed, {kept} kept");
    assert!(checked <= 2, "nothing changed, {checked} pages' data built");
    assert_eq!(rendered, 0, "nothing changed");
    let total = kept + checked;

    // One event's title: its page, its neighbours' and the lists that show
    // it are built again; the others are kept without their data.
    replace(
        &site,
        "content/events/2022.yaml",
        "title: Short talks",
        "title: Short talks, retitled",
    );
    let [kept, checked, rendered] = cached_build_counts(&site);
    assert_eq!(kept + checked + rendered, total);
    assert!(rendered >= 1, "the edited event's page was not rendered");
    assert!(
        checked + rendered < total / 2,
        "{checked} + {rendered} of {total} pages built again for one title"
    );
    assert!(
        site.read("public/events/talks-short/index.html")
            .contains("Short talks, retitled")
    );

    // The configuration makes every kept thing stale: every page's data is
    // built (and pages whose bytes are the same are still not written).
    replace(&site, "site.yaml", "A small timeline", "A little timeline");
    let [kept, _, _] = cached_build_counts(&site);
    assert_eq!(kept, 0, "pages kept after site.yaml changed");
}

/// The counts of YAML documents the build says with
/// `ANNALS_CACHE_REPORT` set: taken as an earlier build parsed them, and
/// parsed; with the run.
#[track_caller]
fn parsed_counts(site: &Site) -> ([usize; 2], common::Run) {
    reported(site, &["build"], "build cache, YAML: ")
}

#[test]
fn yaml_is_parsed_again_only_when_its_text_changed_whatever_the_time() {
    let site = Site::fixture("basic");
    // A time that does not exist in Kyiv: a warning made while reading the
    // event, which a build that does not parse the file must still give.
    let rel = "content/events/spring.yaml";
    site.write(
        rel,
        "- id: spring-forward\n  date: \"2022-03-27T03:30\"\n  title: Clocks move\n",
    );
    let (first, run) = parsed_counts(&site);
    assert_eq!(first[0], 0, "the first build found YAML parsed before");
    let files = first[1];
    // Every events file and every article's front matter.
    assert!(files >= 7, "{files} YAML documents parsed");
    let warning = run
        .stderr
        .lines()
        .find(|l| l.contains("does not exist in Europe/Kyiv"))
        .unwrap_or_else(|| panic!("no warning: {}", run.stderr))
        .to_string();
    assert!(
        warning.starts_with("warning: content/events/spring.yaml:2:"),
        "{warning}"
    );

    // Nothing changed: nothing parsed, the same warning at the same place.
    let (again, run) = parsed_counts(&site);
    assert_eq!(again, [files, 0]);
    assert!(run.stderr.lines().any(|l| l == warning), "{}", run.stderr);

    // `annals check` reads what is kept and writes nothing: an edited file
    // is parsed, not kept.
    let check = |site: &Site| -> [usize; 2] { reported(site, &["check"], "build cache, YAML: ").0 };
    let kept_before = kept_yaml(&site);
    assert_eq!(check(&site), [files, 0]);
    replace(&site, rel, "Clocks move", "Clocks moved");
    assert_eq!(check(&site), [files - 1, 1]);
    assert_eq!(kept_yaml(&site), kept_before, "the check wrote");
    replace(&site, rel, "Clocks moved", "Clocks move");

    // One file's text changed, its length and modification time kept (as
    // a fast edit or a checkout may leave them): it is parsed again.
    let path = site.path(rel);
    let time = mtime(&path);
    replace(&site, rel, "Clocks move", "Clocks jump");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(time))
        .unwrap();
    assert_eq!(mtime(&path), time);
    let (edited, _) = parsed_counts(&site);
    assert_eq!(edited, [files - 1, 1]);
    assert!(
        site.public()
            .page("events/spring-forward/")
            .contains("Clocks jump")
    );
    site.build(&["--no-cache", "-o", "../clean"]).success();
    assert_same_tree(
        &Tree::of(&site.root().join("../clean")),
        &Tree::of(&site.path("public")),
        "the build after an edit that kept the file's time",
    );

    // An article's body edited: its front matter is taken as parsed
    // before, its page has the new body.
    let article = "content/articles/jeddah.md";
    replace(&site, article, "نص المقال.", "نص المقال الجديد.");
    let (body, _) = parsed_counts(&site);
    assert_eq!(body, [files, 0]);
    assert!(
        site.public()
            .page("articles/jeddah-talks-notes/")
            .contains("نص المقال الجديد.")
    );
    // Its front matter edited: parsed again.
    replace(&site, article, "summary: ملخص قصير.", "summary: ملخص أقصر.");
    let (front, _) = parsed_counts(&site);
    assert_eq!(front, [files - 1, 1]);
    site.build(&["--no-cache", "-o", "../clean"]).success();
    assert_same_tree(
        &Tree::of(&site.root().join("../clean")),
        &Tree::of(&site.path("public")),
        "the build after an article's body and front matter were edited",
    );

    // A file removed from the site is no longer kept; a damaged one is
    // parsed again.
    site.remove(rel);
    let (removed, _) = parsed_counts(&site);
    assert_eq!(removed, [files - 1, 0]);
    assert_eq!(
        kept_yaml(&site).len(),
        files - 1,
        "what the removed file's text was kept as is gone"
    );
    for path in kept_yaml(&site) {
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        std::fs::write(&path, bytes).unwrap();
    }
    let (damaged, _) = parsed_counts(&site);
    assert_eq!(damaged, [0, files - 1]);
    site.build(&["--no-cache", "-o", "../clean"]).success();
    assert_same_tree(
        &Tree::of(&site.root().join("../clean")),
        &Tree::of(&site.path("public")),
        "the build after the kept YAML was damaged",
    );
}

/// The files of `.annals/build/parsed/`.
fn kept_yaml(site: &Site) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site.path(".annals/build/parsed"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}
