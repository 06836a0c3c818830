//! Inputs the fuzz targets (fuzz/, docs/fuzzing.md) found failing, kept as
//! tests: each replays the input as its target did, then shows what the
//! real binary makes of the same input.

mod common;

use annals::date::Date;
use annals::source::{SourceFile, split_front_matter};
use common::Site;

/// date_parse, crash-f2445280621a6b851a6a2be8494b4b69776bd670: before
/// standard time, zones run on local mean time, whose offset has seconds
/// (Apia +12:33:04). RFC 3339 offsets have none, so the machine form cut
/// them and named an instant 4 seconds off, which read back as another date.
#[test]
fn machine_form_of_a_date_in_local_mean_time_reads_back_as_the_same_instant() {
    for (text, tz) in [
        ("0222-02-24T04:51:00", chrono_tz::Pacific::Apia),
        ("1853-10-04 12:00", chrono_tz::Europe::Kyiv),
        ("1853", chrono_tz::Europe::Kyiv),
    ] {
        let date = Date::parse(text, tz).unwrap();
        let start = date.rfc3339_start();
        let again = Date::parse(&start, tz).unwrap();
        assert_eq!(again.start(), date.start(), "{text} in {tz}: {start}");
        if text.len() > 4 {
            assert_eq!(date.machine(), start);
        }
    }
}

#[test]
fn timeline_json_gives_the_right_instant_for_a_date_in_local_mean_time() {
    let site = Site::fixture("basic");
    // Kyiv kept local mean time, UTC+02:02:04, until 1880.
    site.write(
        "content/events/crimea-1853.yaml",
        "- id: crimean-war-begins\n  date: 1853-10-04 12:00\n  title: The Ottoman Empire declares war on Russia\n",
    );
    site.build(&[]).success();
    let timeline = site.public().timeline();
    let date = &common::entry(&timeline, "crimean-war-begins")["date"];
    assert_eq!(date["value"], "1853-10-04 12:00");
    assert_eq!(date["start"], "1853-10-04T09:57:56+00:00");
    let page = site.public().page("events/crimean-war-begins/");
    assert!(
        page.contains("datetime=\"1853-10-04T09:57:56+00:00\""),
        "{page}"
    );
}

/// front_matter, crash-c21f807b568ca6f402647787087d2e4d046584b9: an opening
/// fence followed by stray carriage returns (`---\r\r\n`) was measured
/// without them, so the YAML started one character early, on the fence's
/// own line break, and every line after it was counted one too far.
#[test]
fn front_matter_after_a_fence_with_stray_carriage_returns_starts_on_line_two() {
    let text = "---\r\r\r\n\r\r\r\r\r\r\r+[\r\r\u{6b2}4046--explain\r\r\r\r\rdrafte\n---\n";
    let file = SourceFile::from_text("content/articles/a.md", text);
    let fm = split_front_matter(&file).unwrap();
    assert!(!fm.yaml.starts_with('\n'), "{:?}", fm.yaml);
    assert_eq!(fm.body_line, 4);

    let file = SourceFile::from_text("a.md", "---\r\r\ntitle: T\n---\nBody\n");
    let fm = split_front_matter(&file).unwrap();
    assert_eq!(
        (fm.yaml, fm.body, fm.body_line),
        ("title: T\n", "Body\n", 4)
    );
}

#[test]
fn an_error_in_front_matter_after_a_fence_with_a_stray_carriage_return_names_its_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/stray-cr.md",
        "---\r\r\ntitle: Stray\ndate: 2022-02-24\nimportance: nine\n---\nBody.\n",
    );
    site.build(&[])
        .exit(1)
        .error_at("content/articles/stray-cr.md", 4, &["importance"]);
}

/// front_matter, crash-4cb2cb9030a310dc846d85a041e383045e7085c9 (a byte index inside '–'): the import reads
/// the front matter of a text already normalised, and the splitter
/// normalises it again, which turns a remaining `\r\n` into `\n`; the body
/// was then cut at an offset of the other text, inside a character (a
/// panic) or before the closing fence (the fence kept in the body).
#[test]
fn import_front_matter_with_carriage_returns_keeps_the_body_after_the_fence() {
    use annals::import::front::split_front;
    let (front, body) = split_front("---\ntitle: a\r\n---\n–body\n").unwrap();
    assert_eq!(front.unwrap().title.as_deref(), Some("a"));
    assert_eq!(body, "–body\n");
    let text = "---\r\nsummary: a\r\nauthor: b\r\ntitle: Café\r\n---\r\nBody – text.\n";
    let (front, body) = split_front(text).unwrap();
    assert_eq!(front.unwrap().title.as_deref(), Some("Café"));
    assert_eq!(body, "Body – text.\n");
    let (_, body) = split_front("---\ntitle: a\r\n---").unwrap();
    assert_eq!(body, "");
}

#[test]
fn import_of_markdown_with_doubled_carriage_returns_writes_the_body_without_the_fence() {
    let site = Site::fixture("import/site");
    site.write(
        "in/talks.md",
        "---\r\r\nsummary: Talks\r\r\nauthor: Desk\r\r\ntitle: Talks in Genève\r\r\n---\r\r\n\
         Delegations met in Genève – the first round – on Monday.\n",
    );
    let input = site.path("in/talks.md");
    let run = site.run(&["import", input.to_str().unwrap(), "--date", "2022-02-24"]);
    run.success();
    let article = site.read("content/articles/talks-in-geneve.md");
    let body = article.splitn(3, "---\n").nth(2).unwrap();
    assert!(!body.contains("---"), "{article}");
    assert!(body.contains("Delegations met in Genève"), "{article}");
}
