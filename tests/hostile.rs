//! Hostile and careless input, with the real binary: deep nesting, huge
//! values and files, a second YAML document, other encodings, dates written
//! by hand, a broken site.yaml beside broken content. Each must fail fast,
//! with the file, line and a message that says what to do, and leave the
//! previous output untouched (see `Broken::fails`).

mod common;

use std::time::Duration;

use common::Site;
use common::broken::Broken;

/// Generous for a debug build on a busy machine; the work itself takes milliseconds.
const FAST: Duration = Duration::from_secs(3);

const EVENTS: &str = "content/events/hostile.yaml";

#[track_caller]
fn fails_fast(b: &Broken) -> common::Run {
    let run = b.fails();
    assert!(run.elapsed < FAST, "took {:?}\n{}", run.elapsed, run.stderr);
    run
}

#[test]
fn deep_flow_nesting_fails_at_once_naming_the_nesting() {
    for text in ["[".repeat(40_000), format!("a: {}", "{a: ".repeat(40_000))] {
        let b = Broken::new();
        b.write(EVENTS, &text);
        let run = fails_fast(&b);
        run.error_at(EVENTS, 1, &["nesting is too deep", "64"]);
        assert!(!run.stderr.contains("alias"), "{}", run.stderr);
        assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    }
}

#[test]
fn deep_block_nesting_in_front_matter_is_placed_in_the_file() {
    let mut yaml = String::from("title: Deep\ndate: 2022\n");
    for depth in 0..200 {
        yaml.push_str(&" ".repeat(depth * 2));
        yaml.push_str("k:\n");
    }
    let b = Broken::new();
    b.write(
        "content/articles/deep.md",
        format!("---\n{yaml}---\nBody.\n"),
    );
    let run = fails_fast(&b);
    // Line 1 is the fence, 2-3 the title and date; level 65 is the 65th `k:`.
    run.error_at("content/articles/deep.md", 3 + 65, &["nesting is too deep"]);
}

#[test]
fn a_second_document_is_reported_at_its_marker() {
    let b = Broken::new();
    b.write(
        EVENTS,
        "- id: one\n  date: 2022\n  title: One\n---\n- id: two\n  date: 2022\n  title: Two\n",
    );
    let run = fails_fast(&b);
    run.error_at(EVENTS, 4, &["second YAML document"]);
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let b = Broken::new();
    let mut text = String::from("- id: big\n  date: 2022\n  title: Big\n  summary: \"");
    text.push_str(&"x".repeat(17 * 1024 * 1024));
    text.push_str("\"\n");
    b.write(EVENTS, &text);
    let run = fails_fast(&b);
    let line = run.error_in(EVENTS, &["too large", "16 MB", "max_file_mb"]);
    assert!(line.len() < 300, "{line}");
}

#[test]
fn the_size_limit_is_set_in_site_yaml() {
    let site = Site::fixture("basic");
    let config = site.read("site.yaml");
    site.write(
        "content/events/big.yaml",
        format!(
            "- id: big\n  date: 2022\n  title: Big\n  summary: \"{}\"\n",
            "x".repeat(2 * 1024 * 1024)
        ),
    );
    site.write("site.yaml", format!("{config}max_file_mb: 1\n"));
    site.run(&["check"])
        .exit(1)
        .error_in("content/events/big.yaml", &["over the limit of 1 MB"]);
    site.write("site.yaml", format!("{config}max_file_mb: 3\n"));
    site.run(&["check"]).success();
}

#[test]
fn a_huge_value_is_cut_in_the_message_and_fails_fast() {
    let b = Broken::new();
    let huge = "a".repeat(10_000_000);
    b.write(
        EVENTS,
        format!("- id: big\n  date: 2022\n  title: Big\n  actors: [{huge}]\n"),
    );
    let run = b.fails();
    assert!(run.elapsed < Duration::from_secs(15), "{:?}", run.elapsed);
    let line = run.error_in(EVENTS, &["unknown actor", "... (10000000 bytes)"]);
    assert!(line.len() < 300, "{} bytes", line.len());
    assert!(
        run.stderr.len() < 10_000,
        "{} bytes of messages",
        run.stderr.len()
    );
}

#[test]
fn utf16_files_are_named_with_how_to_convert_them() {
    let text = "- id: wide\n  date: 2022\n  title: Wide\n";
    let with_bom: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let without: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, name) in [(with_bom, "UTF-16LE"), (without, "UTF-16BE")] {
        let b = Broken::new();
        b.write(EVENTS, bytes);
        let run = fails_fast(&b);
        run.error_at(EVENTS, 1, &["UTF-16", "iconv -f", name, "-t UTF-8"]);
        assert!(!run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    }
}

#[test]
fn hand_written_dates_get_the_form_annals_reads() {
    let cases: &[(&str, &[&str])] = &[
        ("c. 2014", &["`2014~`"]),
        ("circa 2014", &["`2014~`"]),
        ("~2014", &["`2014~`"]),
        ("early 2022", &["`2022~`"]),
        ("mid 2022", &["`2022~`"]),
        ("late 2022", &["`2022~`"]),
        ("late March 2022", &["`2022-03~`"]),
        ("spring 2022", &["`2022~`", "`2022-04~`"]),
        ("March 2022?", &["`2022-03?`"]),
        (
            "24-25 February 2022",
            &["`date: 2022-02-24`", "`end: 2022-02-25`"],
        ),
        ("24/02/2022", &["`2022-02-24`"]),
        ("24.02.2022 05:00", &["`2022-02-24T05:00`"]),
        ("02/24/2022", &["`2022-02-24`"]),
        ("03/04/2022", &["ambiguous", "`2022-04-03`", "`2022-03-04`"]),
    ];
    let mut yaml = String::new();
    for (i, (date, _)) in cases.iter().enumerate() {
        yaml.push_str(&format!(
            "- id: careless-{i}\n  date: \"{date}\"\n  title: Careless {i}\n"
        ));
    }
    let b = Broken::new();
    b.write(EVENTS, &yaml);
    let run = fails_fast(&b);
    for (i, (date, needles)) in cases.iter().enumerate() {
        let mut all = vec![*date];
        all.extend_from_slice(needles);
        run.error_at(EVENTS, 3 * i + 2, &all);
    }
    assert_eq!(run.errors().len(), cases.len(), "{}", run.stderr);
}

#[test]
fn a_bad_site_yaml_and_bad_content_are_reported_in_one_run() {
    let b = Broken::new();
    let config = b.site.read("site.yaml");
    b.write(
        "site.yaml",
        config
            .replace("Europe/Kyiv", "Europe/Kiev2")
            .replace("per_page: 4", "per_page: many"),
    );
    b.write(
        EVENTS,
        "- id: broken-date\n  date: 24/02/2022\n  title: Bad date\n  actors: [nobody-known]\n  status: rumoured\n",
    );
    let run = b.fails();
    run.error_in("site.yaml", &["Europe/Kiev2"]);
    run.error_in("site.yaml", &["per_page"]);
    run.error_at(EVENTS, 2, &["24/02/2022", "`2022-02-24`"]);
    // The entry whose date failed still has its other fields checked.
    run.error_at(EVENTS, 4, &["unknown actor \"nobody-known\""]);
    run.error_at(EVENTS, 5, &["unknown status \"rumoured\""]);
    assert_eq!(run.errors().len(), 5, "{}", run.stderr);
    run.prints("failed: 5 errors");
}

#[test]
fn yaml_that_is_not_yaml_still_lets_the_content_be_checked() {
    let b = Broken::new();
    b.write("site.yaml", "title: [unclosed\n");
    b.write(EVENTS, "- id: x\n  date: 2022\n");
    let run = b.fails();
    run.error_in("site.yaml", &["invalid YAML"]);
    run.error_in(EVENTS, &["required field `title`"]);
}

#[test]
fn yaml_syntax_errors_carry_hints() {
    let cases: &[(&str, usize, &[&str])] = &[
        (
            "- id: a\n  date: 2022\n  title: War: day one\n",
            3,
            &["must be quoted", "title: \"War: day one\""],
        ),
        (
            "- id: a\n\tdate: 2022\n  title: Tab\n",
            2,
            &["spaces", "tab"],
        ),
        (
            "- id: a\n  date: 2022\n  title: \"open\n",
            4,
            &["never closed"],
        ),
        (
            "- id: a\n  date: 2022\n  tags: [a, b\n  title: T\n",
            3,
            &["not closed"],
        ),
        (
            "- id: a\n  date: 2022\n  title: T\n - id: b\n",
            4,
            &["indentation"],
        ),
    ];
    for (text, line, needles) in cases {
        let b = Broken::new();
        b.write(EVENTS, text);
        let run = fails_fast(&b);
        let found = run.errors().into_iter().any(|l| {
            (l.starts_with(&format!("error: {EVENTS}:{line}:"))
                || l.contains(&format!("line {line}")))
                && needles.iter().all(|n| l.contains(n))
        });
        assert!(
            found,
            "{text:?}: expected {needles:?} at line {line}\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_duplicate_key_names_the_key_and_both_lines() {
    let b = Broken::new();
    b.write(
        EVENTS,
        "- id: dup\n  title: First\n  date: 2022\n  title: Second\n",
    );
    let run = fails_fast(&b);
    run.error_at(EVENTS, 4, &["`title`", "first at line 2"]);
    assert!(!run.stderr.contains(".[0]"), "{}", run.stderr);
}

#[test]
fn data_files_cannot_end_a_script_element() {
    let site = Site::fixture("basic");
    site.write(
        EVENTS,
        "- id: sneaky\n  date: 2022-05-01\n  title: \"Sneaky </script><script>alert(1)</script> \u{2028} line\"\n  summary: \"More </script> here\"\n",
    );
    site.build(&[]).success();
    let public = site.public();
    for file in [
        "search-index.js",
        "search/r/0/0.js",
        "search/t/0/0.js",
        "timeline.json",
        "events/sneaky/index.html",
    ] {
        let text = public.read(file);
        let data = if file.ends_with(".html") {
            text.split("application/ld+json\">")
                .nth(1)
                .and_then(|s| s.split("</script>").next())
                .expect("a JSON-LD block")
                .to_string()
        } else {
            text
        };
        assert!(!data.contains("</"), "{file}: raw </ in {data}");
        assert!(!data.contains('\u{2028}'), "{file}: raw U+2028");
    }
    let timeline = public.timeline();
    let sneaky = common::entry(&timeline, "sneaky");
    assert!(sneaky["title"].as_str().unwrap().contains("</script>"));
}

#[test]
fn check_external_without_a_network_says_so_and_calls_nothing_dead() {
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}/gone", l.local_addr().unwrap().port())
    };
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Offline\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    site.write(
        "content/events/events.yaml",
        format!(
            "- id: e1\n  date: 2024-01-01\n  title: One\n  sources:\n    - url: http://no-such-host.invalid/a\n    - url: {refused}\n"
        ),
    );
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    run.exit(3);
    run.prints("the network is unreachable");
    run.prints("2 links could not be checked; none is called dead");
    assert!(!run.stderr.contains("dead link"), "{}", run.stderr);
    assert!(
        run.errors().iter().all(|l| !l.contains("events.yaml")),
        "{}",
        run.stderr
    );
    // Nothing was remembered about links that could not be asked.
    assert!(!site.path(".annals/linkcheck.json").exists());
}

#[test]
fn verify_names_bundle_entries_outside_its_top_folder() {
    use std::io::Write;
    let site = Site::fixture("basic");
    let bundle = site.path("site.zip");
    site.build(&["--bundle", bundle.to_str().unwrap()])
        .success();
    // The same bundle with one more entry beside its top folder.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap()).unwrap();
    let tampered = site.path("tampered.zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let item = archive.by_index(i).unwrap();
        out.raw_copy_file(item).unwrap();
    }
    out.start_file("stray.txt", opts).unwrap();
    out.write_all(b"not part of the site").unwrap();
    out.finish().unwrap();
    let run = site.run(&["verify", tampered.to_str().unwrap()]);
    run.exit(1);
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("tampered.zip/stray.txt"))
        .unwrap_or_else(|| panic!("stray.txt not named\n{}", run.stderr));
    assert!(
        line.contains("outside the bundle's top folder `site/`"),
        "{line}"
    );
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
}

#[test]
fn an_article_whose_date_fails_still_has_its_references_checked() {
    let b = Broken::new();
    b.write(
        "content/articles/careless.md",
        "---\ntitle: Careless\ndate: late March 2022\nevents: [no-such-event]\nactors: [nobody-known]\n---\nBody.\n",
    );
    let run = b.fails();
    run.error_at("content/articles/careless.md", 3, &["`2022-03~`"]);
    run.error_at(
        "content/articles/careless.md",
        4,
        &["unknown event \"no-such-event\""],
    );
    run.error_at(
        "content/articles/careless.md",
        5,
        &["unknown actor \"nobody-known\""],
    );
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
}
