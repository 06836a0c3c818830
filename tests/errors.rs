//! Bad content, one defect at a time: the good `basic` fixture is built, one
//! file is broken, and the next build must exit with status 1, report the
//! defect as `error: FILE:LINE[:COL]: message` naming the offending value (and
//! the fix, where one is known), and leave the previous `public/` exactly as
//! it was (cli.md, "Exit status and messages").

mod common;

use common::broken::{Broken, one_error};
use common::{Site, assert_same_tree};

#[test]
fn invalid_dates_name_the_file_the_line_and_the_text() {
    let b = Broken::new();
    for (date, why) in [
        ("2025-13-01", "month"),
        ("2023-02-30", "28"),
        ("2022-00", "month"),
        ("last tuesday", ""),
        ("24/02/2022", ""),
        ("2022-2-24", ""),
        ("2022-02-24T25:00:00+02:00", "hour"),
        ("2022-02-24~?", ""),
        ("0000", "year"),
    ] {
        b.write(
            "content/events/bad-date.yaml",
            format!("# One broken date.\n- id: bad-date\n  date: \"{date}\"\n  title: Bad date\n"),
        );
        let run = b.fails_once();
        run.error_at(
            "content/events/bad-date.yaml",
            3,
            &["invalid date", &format!("\"{date}\""), why],
        );
    }
}

#[test]
fn an_invalid_date_in_front_matter_counts_lines_from_the_opening_fence() {
    one_error(
        "content/articles/bad-date.md",
        "---\ntitle: A bad date\nsummary: Short.\ndate: 2022-02-30\n---\nBody.\n",
        4,
        &["\"2022-02-30\""],
    );
}

#[test]
fn an_invalid_date_in_eras_is_reported() {
    let b = Broken::new();
    b.write(
        "content/eras.yaml",
        "- id: full-scale\n  title: Full-scale invasion\n  date: 2022-02-24\n  end: 2022-14\n",
    );
    b.fails_once()
        .error_at("content/eras.yaml", 4, &["\"2022-14\""]);
}

#[test]
fn an_end_before_the_start_is_reported_at_the_end() {
    one_error(
        "content/events/bad-span.yaml",
        "- id: bad-span\n  title: Backwards\n  date: 2022-05-10\n  end: 2022-05-01\n",
        4,
        &["2022-05-01", "2022-05-10"],
    );
}

#[test]
fn an_end_instant_before_the_start_instant_is_reported() {
    one_error(
        "content/events/bad-span.yaml",
        "- id: bad-span\n  title: Backwards\n  date: 2022-02-24T05:00:00+02:00\n  end: 2022-02-24T04:00:00+02:00\n",
        4,
        &["2022-02-24T04:00:00+02:00", "2022-02-24T05:00:00+02:00"],
    );
}

#[test]
fn an_era_ending_before_it_starts_is_reported() {
    let b = Broken::new();
    b.write(
        "content/eras.yaml",
        "- id: backwards\n  title: Backwards\n  date: 2022-05\n  end: 2022-04\n",
    );
    b.fails_once()
        .error_at("content/eras.yaml", 4, &["2022-04", "2022-05"]);
}

#[test]
fn missing_required_fields_of_an_event_are_reported_at_the_event() {
    let b = Broken::new();
    let good = "- id: fine\n  date: 2022-05-10\n  title: Fine\n";
    for (broken, field) in [
        ("- id: no-title\n  date: 2022-05-10\n", "`title`"),
        ("- id: no-date\n  title: No date\n", "`date`"),
        ("- date: 2022-05-10\n  title: No id\n", "`id`"),
    ] {
        b.write("content/events/missing.yaml", format!("{good}{broken}"));
        b.fails_once()
            .error_at("content/events/missing.yaml", 4, &["missing", field]);
    }
}

#[test]
fn missing_required_fields_of_an_article_are_reported() {
    let b = Broken::new();
    for (front, field) in [
        ("date: 2022-05-01\nsummary: No title.\n", "`title`"),
        ("title: No date\nsummary: Short.\n", "`date`"),
    ] {
        b.write(
            "content/articles/missing.md",
            format!("---\n{front}---\nBody.\n"),
        );
        b.fails_once()
            .error_at("content/articles/missing.md", 2, &["missing", field]);
    }
}

#[test]
fn a_missing_base_url_in_site_yaml_is_reported() {
    let b = Broken::new();
    b.write("site.yaml", "title: \"Fixture Timeline\"\nlanguage: en\n");
    b.fails_once().error_at("site.yaml", 1, &["`base_url`"]);
}

#[test]
fn out_of_range_importance_is_reported_with_its_value() {
    let b = Broken::new();
    for (value, shown) in [
        ("7", "7"),
        ("0", "0"),
        ("-1", "-1"),
        ("high", "high"),
        ("2.5", "2.5"),
    ] {
        b.write(
            "content/events/importance.yaml",
            format!("- id: new-one\n  date: 2022-05-11\n  title: New\n  importance: {value}\n"),
        );
        b.fails_once().error_at(
            "content/events/importance.yaml",
            4,
            &["`importance`", shown, "1", "5"],
        );
    }
}

#[test]
fn duplicate_event_ids_across_files_name_both_files() {
    let b = Broken::new();
    let first = b.site.line_of("content/events/2022.yaml", "id: tie-a");
    b.write(
        "content/events/more.yaml",
        "# Another file.\n- id: tie-a\n  date: 2022-05-10\n  title: Tie A again\n",
    );
    let run = b.fails_once();
    let here = format!("content/events/2022.yaml:{first}:");
    let there = "content/events/more.yaml:2:";
    let line = run.errors()[0];
    assert!(
        line.contains(&here) && line.contains(there) && line.contains("\"tie-a\""),
        "expected one error naming {here} and {there}, got:\n{}",
        run.stderr
    );
}

#[test]
fn duplicate_article_slugs_name_both_files() {
    let b = Broken::new();
    b.write(
        "content/articles/copy.md",
        "---\ntitle: A copy\nslug: raw-html\ndate: 2022-05-01\n---\nBody.\n",
    );
    let run = b.fails_once();
    let line = run.errors()[0];
    assert!(
        line.contains("content/articles/copy.md:3:")
            && line.contains("content/articles/raw-html.md")
            && line.contains("\"raw-html\""),
        "expected one error naming both files, got:\n{}",
        run.stderr
    );
}

#[test]
fn an_article_slug_may_not_reuse_an_event_id() {
    let b = Broken::new();
    let event_line = b.site.line_of("content/events/2022.yaml", "id: tie-a");
    b.write(
        "content/articles/tie.md",
        "---\ntitle: Clash\nslug: tie-a\ndate: 2022-05-01\n---\nBody.\n",
    );
    let run = b.fails_once();
    let line = run.errors()[0];
    assert!(
        line.contains("content/articles/tie.md:3:")
            && line.contains(&format!("content/events/2022.yaml:{event_line}:"))
            && line.contains("\"tie-a\""),
        "expected one error naming both files, got:\n{}",
        run.stderr
    );
}

#[test]
fn invalid_ids_are_reported_with_the_id_they_could_be() {
    let b = Broken::new();
    b.write(
        "content/events/bad-id.yaml",
        "- id: fine-one\n  date: 2022-05-10\n  title: Fine\n- id: Bad_Id\n  date: 2022-05-10\n  title: Bad\n",
    );
    b.fails_once().error_at(
        "content/events/bad-id.yaml",
        4,
        &["invalid id", "\"Bad_Id\"", "did you mean `bad-id`?"],
    );
    b.site.remove("content/events/bad-id.yaml");
    b.write(
        "content/articles/bad-slug.md",
        "---\ntitle: Bad slug\nslug: My Slug\ndate: 2022-05-01\n---\nBody.\n",
    );
    b.fails_once().error_at(
        "content/articles/bad-slug.md",
        3,
        &["\"My Slug\"", "did you mean `my-slug`?"],
    );
}

#[test]
fn an_article_file_name_that_is_no_slug_is_reported() {
    one_error(
        "content/articles/My Notes.md",
        "---\ntitle: Notes\ndate: 2022-05-01\n---\nBody.\n",
        1,
        &["\"My Notes\"", "my-notes"],
    );
}

#[test]
fn unknown_references_suggest_the_closest_known_id() {
    let b = Broken::new();
    let event = |extra: &str| format!("- id: new-one\n  date: 2022-05-11\n  title: New\n{extra}");
    let cases = [
        (
            "content/events/refs.yaml",
            event("  related: [invasion-dya]\n"),
            4,
            [
                "unknown event",
                "\"invasion-dya\"",
                "did you mean `invasion-day`?",
            ],
        ),
        (
            "content/events/refs.yaml",
            event("  sources:\n    - article: invasion-explaner\n"),
            5,
            [
                "unknown article",
                "\"invasion-explaner\"",
                "did you mean `invasion-explainer`?",
            ],
        ),
        (
            "content/events/refs.yaml",
            event("  actors: [donald-trump, vladimir-putn]\n"),
            4,
            [
                "unknown actor",
                "\"vladimir-putn\"",
                "did you mean `vladimir-putin`?",
            ],
        ),
        (
            "content/events/refs.yaml",
            event("  places: [kiyv]\n"),
            4,
            ["unknown place", "\"kiyv\"", "did you mean `kyiv`?"],
        ),
    ];
    for (rel, text, line, needles) in cases {
        b.write(rel, text);
        b.fails_once().error_at(rel, line, &needles);
    }
    b.site.remove("content/events/refs.yaml");
    b.write(
        "content/articles/refs.md",
        "---\ntitle: Refs\ndate: 2022-05-01\nevents: [tie-a, alaska-sumit-2025]\n---\nBody.\n",
    );
    b.fails_once().error_at(
        "content/articles/refs.md",
        4,
        &[
            "\"alaska-sumit-2025\"",
            "did you mean `alaska-summit-2025`?",
        ],
    );
}

#[test]
fn an_unknown_reference_without_a_close_id_has_no_suggestion() {
    let run = one_error(
        "content/events/refs.yaml",
        "- id: new-one\n  date: 2022-05-11\n  title: New\n  related: [zzzz-qqqq]\n",
        4,
        &["unknown event", "\"zzzz-qqqq\""],
    );
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}

#[test]
fn an_article_listed_as_an_event_is_reported() {
    one_error(
        "content/articles/refs.md",
        "---\ntitle: Refs\ndate: 2022-05-01\nevents: [raw-html]\n---\nBody.\n",
        4,
        &["\"raw-html\"", "article"],
    );
}

#[test]
fn an_unknown_status_suggests_the_right_one() {
    one_error(
        "content/events/status.yaml",
        "- id: new-one\n  date: 2022-05-11\n  title: New\n  status: confrimed\n",
        4,
        &["\"confrimed\"", "did you mean `confirmed`?"],
    );
}

#[test]
fn a_misspelt_field_suggests_the_right_one() {
    let b = Broken::new();
    b.write(
        "content/events/typo.yaml",
        "- id: new-one\n  date: 2022-05-11\n  title: New\n  improtance: 4\n",
    );
    b.fails_once().error_at(
        "content/events/typo.yaml",
        4,
        &["`improtance`", "did you mean `importance`?"],
    );
}

#[test]
fn an_unknown_time_zone_suggests_the_closest() {
    let b = Broken::new();
    let config = b
        .site
        .read("site.yaml")
        .replace("Europe/Kyiv", "Europe/Kyyiv");
    let line = b.site.line_of("site.yaml", "timezone:");
    b.write("site.yaml", config);
    b.fails_once().error_at(
        "site.yaml",
        line,
        &["\"Europe/Kyyiv\"", "did you mean `Europe/Kyiv`?"],
    );
}

#[test]
fn a_broken_internal_link_is_reported_at_its_line() {
    one_error(
        "content/articles/links.md",
        "---\ntitle: Links\ndate: 2022-05-01\n---\nSee [a missing event](../../events/no-such-event/).\n",
        5,
        &["no-such-event"],
    );
}

/// A build lets each file's text go once it is parsed and reads it again
/// when a message needs a position or a page its body: positions found
/// after loading, in files with a byte-order mark and CRLF line ends, are
/// those of the file as written.
#[test]
fn problems_found_after_loading_point_into_files_read_again() {
    let b = Broken::new();
    b.write(
        "content/events/crlf.yaml",
        "\u{feff}# Written on Windows.\r\n- id: crlf-one\r\n  date: 2022-05-01\r\n  title: One\r\n\r\n- id: crlf-two\r\n  date: 2022-05-02\r\n  title: Two\r\n  actors: [nobody-known]\r\n",
    );
    b.write(
        "content/articles/crlf.md",
        "\u{feff}---\r\ntitle: Écrit\r\ndate: 2022-05-01\r\nevents: [crlf-one, crlf-three]\r\n---\r\nFirst line é.\r\n\r\nSee [nothing](../../events/no-such-event/).\r\n",
    );
    let run = b.fails();
    run.error_at(
        "content/events/crlf.yaml",
        9,
        &["unknown actor \"nobody-known\""],
    );
    run.error_at("content/articles/crlf.md", 4, &["\"crlf-three\""]);
    assert_eq!(run.errors().len(), 2, "{}", run.stderr);
    // Links are checked as pages are made, once the content is sound.
    b.write(
        "content/events/crlf.yaml",
        "\u{feff}- id: crlf-one\r\n  date: 2022-05-01\r\n  title: One\r\n",
    );
    b.write(
        "content/articles/crlf.md",
        "\u{feff}---\r\ntitle: Écrit\r\ndate: 2022-05-01\r\nevents: [crlf-one]\r\n---\r\nFirst line é.\r\n\r\nSee [nothing](../../events/no-such-event/).\r\n",
    );
    let run = b.fails();
    run.error_at("content/articles/crlf.md", 8, &["no-such-event"]);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
}

/// The body an article's page shows is its file's, read again after the
/// build let it go: byte for byte what the file holds (a byte-order mark
/// and CRLF line ends aside).
#[test]
fn an_article_page_shows_its_body_read_again() {
    let b = Broken::new();
    b.write(
        "content/articles/crlf-body.md",
        "\u{feff}---\r\ntitle: Body read again\r\ndate: 2022-05-01\r\n---\r\nПерший рядок, *наголос*.\r\n\r\nDruhý odstavec.\r\n",
    );
    let run = b.site.build(&[]);
    run.success();
    let page = b.site.public().page("articles/crlf-body/");
    assert!(
        page.contains("<p>Перший рядок, <em>наголос</em>.</p>"),
        "{page}"
    );
    assert!(page.contains("<p>Druhý odstavec.</p>"), "{page}");
    // Without a summary, the description is made of the same body.
    assert!(
        page.contains(
            "<meta name=\"description\" content=\"Перший рядок, наголос. Druhý odstavec.\">"
        ),
        "{page}"
    );
}

#[test]
fn two_defects_in_two_files_are_reported_together() {
    let b = Broken::new();
    b.write(
        "content/events/bad-one.yaml",
        "- id: bad-one\n  date: 2022-13\n  title: Bad month\n",
    );
    b.write(
        "content/articles/bad-two.md",
        "---\ntitle: Bad reference\ndate: 2022-05-01\nevents: [tie-c]\n---\nBody.\n",
    );
    let run = b.fails();
    run.error_at("content/events/bad-one.yaml", 2, &["\"2022-13\""]);
    run.error_at(
        "content/articles/bad-two.md",
        4,
        &["\"tie-c\"", "did you mean"],
    );
    assert_eq!(run.errors().len(), 2, "{}", run.stderr);
}

#[test]
fn two_defects_in_one_file_are_reported_together() {
    let b = Broken::new();
    b.write(
        "content/events/bad.yaml",
        "- id: first\n  date: 2022-13\n  title: Bad month\n- id: second\n  date: 2022-05-01\n  title: Bad importance\n  importance: 9\n",
    );
    let run = b.fails();
    run.error_at("content/events/bad.yaml", 2, &["\"2022-13\""]);
    run.error_at("content/events/bad.yaml", 7, &["`importance`", "9"]);
    assert_eq!(run.errors().len(), 2, "{}", run.stderr);
}

#[test]
fn paths_in_messages_are_relative_to_the_site_root() {
    let b = Broken::new();
    b.write(
        "content/events/bad.yaml",
        "- id: bad\n  date: 2022-13\n  title: Bad\n",
    );
    let root = b.site.root().to_str().unwrap().to_string();
    let run = common::run_in(b.site.outside(), &["-r", &root, "build"], &[]);
    run.exit(1);
    run.error_at("content/events/bad.yaml", 2, &["\"2022-13\""]);
    assert_same_tree(
        &b.before,
        &b.site.public().tree(),
        "public/ after a failed build",
    );
}

#[test]
fn a_failed_first_build_creates_no_output_folder() {
    let site = Site::fixture("basic");
    site.write(
        "content/events/bad.yaml",
        "- id: bad\n  date: 2022-13\n  title: Bad\n",
    );
    site.build(&[])
        .exit(1)
        .error_at("content/events/bad.yaml", 2, &["\"2022-13\""]);
    assert!(
        !site.path("public").exists(),
        "a failed build created public/"
    );
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("public")),
        "a failed build left {names:?}"
    );
}

#[test]
fn messages_have_the_compiler_style_of_cli_md() {
    // The example of cli.md, word for word: file, line, column, the value, the rule.
    let b = Broken::new();
    b.write(
        "content/events/2025.yaml",
        "- id: bad-month\n  date: 2025-13-01\n  title: Bad month\n",
    );
    let run = b.fails_once();
    assert_eq!(
        run.errors(),
        ["error: content/events/2025.yaml:2:9: invalid date \"2025-13-01\": month must be 01-12"]
    );
}

#[test]
fn tags_and_tracks_without_letters_or_digits_are_each_reported() {
    let b = Broken::new();
    b.write(
        "content/events/no-slug.yaml",
        "- id: no-slug-one\n  date: 2022-03-01\n  title: One\n  track: \"???\"\n  tags: [\"!!!\", fine]\n- id: no-slug-two\n  date: 2022-03-02\n  title: Two\n  tags: [\"!!!\"]\n",
    );
    let run = b.fails();
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
    run.error_at(
        "content/events/no-slug.yaml",
        4,
        &["track \"???\"", "no letters or digits"],
    );
    run.error_at(
        "content/events/no-slug.yaml",
        5,
        &["tag \"!!!\"", "no letters or digits"],
    );
    run.error_at(
        "content/events/no-slug.yaml",
        9,
        &["tag \"!!!\"", "no letters or digits"],
    );
}
