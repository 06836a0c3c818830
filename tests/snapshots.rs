//! Snapshots of the key outputs of the `basic` fixture: an event page's
//! `<main>`, the index's first screen, `timeline.json` and the feed. Any
//! change to them shows in the diff of `tests/snapshots/` for review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test snapshots`
//! to accept them all).

mod common;

use common::Site;

/// The text from the first `start` to the end of the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let to = text[from..]
        .find(end)
        .map_or(text.len(), |i| from + i + end.len());
    &text[from..to]
}

#[test]
fn key_outputs_of_the_basic_fixture() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let out = site.public();
    let event = out.page("events/invasion-day/");
    insta::assert_snapshot!("event_main", between(&event, "<main", "</main>"));
    // The first screen: everything up to the end of the first month's entries.
    let index = out.page("");
    let month = index
        .find("<section class=\"month")
        .expect("a month on the index");
    let end = month + index[month..].find("</ol>").expect("the month's list") + "</ol>".len();
    let first_month = &index[..end];
    insta::assert_snapshot!("index_first_screen", first_month);
    insta::assert_snapshot!("timeline_json", out.read("timeline.json"));
    insta::assert_snapshot!("feed", out.read("feed.xml"));
}
