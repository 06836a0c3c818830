//! The chronology of a good site as the real binary publishes it: the order
//! and dates of `timeline.json`, links both ways, drafts, time zones
//! (content-format.md, "Dates", "Links between entries", "General rules").

mod common;

use common::basic::{BASIC_ORDER, DRAFT_MARKS, built};
use common::{BASE_URL, Site, assert_same_tree, attr_values, entry, entry_ids, main_of, strings};
use serde_json::json;

#[test]
fn timeline_json_lists_entries_in_chronology_order() {
    let site = built(&[]);
    let timeline = site.public().timeline();
    assert_eq!(entry_ids(&timeline), BASIC_ORDER);
    assert_eq!(
        timeline["site"],
        json!({"title": "Fixture Timeline", "base_url": BASE_URL, "language": "en", "timezone": "Europe/Kyiv"})
    );
    let kinds: Vec<(&str, &str)> = common::entries(&timeline)
        .iter()
        .filter(|e| e["kind"] == "article")
        .map(|e| (e["id"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("early-warning", "article"),
            ("invasion-explainer", "article"),
            ("raw-html", "article"),
            ("jeddah-talks-notes", "article"),
        ]
    );
}

#[test]
fn timeline_json_dates_keep_what_was_written_and_the_right_offset() {
    let site = built(&[]);
    let t = site.public().timeline();
    // What was written, its start, precision and markers (the period's
    // end and the display are checked elsewhere).
    let date = |id: &str| {
        let mut d = entry(&t, id)["date"].clone();
        let m = d.as_object_mut().unwrap();
        assert!(m.remove("end").is_some() && m.remove("display").is_some());
        d
    };
    let d = |value: &str, start: &str, precision: &str, approximate: bool, uncertain: bool| {
        json!({"value": value, "start": start, "precision": precision,
               "approximate": approximate, "uncertain": uncertain})
    };
    // A year, in winter time of the site zone (Europe/Kyiv, +02:00).
    assert_eq!(
        date("year-2022"),
        d("2022", "2022-01-01T00:00:00+02:00", "year", false, false)
    );
    assert_eq!(
        date("jan-2022"),
        d(
            "2022-01",
            "2022-01-01T00:00:00+02:00",
            "month",
            false,
            false
        )
    );
    // An offset written in the file is kept.
    assert_eq!(
        date("a-strike"),
        d(
            "2022-02-24T05:00:00+02:00",
            "2022-02-24T05:00:00+02:00",
            "second",
            false,
            false
        )
    );
    assert_eq!(
        date("z-rockets"),
        d(
            "2022-02-24T06:00:00+05:00",
            "2022-02-24T06:00:00+05:00",
            "second",
            false,
            false
        )
    );
    // No offset written: the site zone.
    assert_eq!(
        date("local-time"),
        d(
            "2022-03-15 14:30",
            "2022-03-15T14:30:00+02:00",
            "minute",
            false,
            false
        )
    );
    // Markers stay in `value`.
    assert_eq!(
        date("convoy"),
        d(
            "2022-03~",
            "2022-03-01T00:00:00+02:00",
            "month",
            true,
            false
        )
    );
    assert_eq!(
        date("theatre-strike"),
        d(
            "2022-03-16?",
            "2022-03-16T00:00:00+02:00",
            "day",
            false,
            true
        )
    );
    assert_eq!(
        date("siege-percent"),
        d("2022-05%", "2022-05-01T00:00:00+03:00", "month", true, true)
    );
    // Summer time of the site zone (+03:00).
    assert_eq!(
        date("tie-a"),
        d(
            "2022-04-02",
            "2022-04-02T00:00:00+03:00",
            "day",
            false,
            false
        )
    );
    // A span: `end` in the same shape; the end crosses back into winter time.
    let offensive = entry(&t, "kherson-offensive");
    assert_eq!(offensive["display"], "29 August – 11 November 2022");
    assert_eq!(offensive["end"]["end"], "2022-11-12T00:00:00+02:00");
    let offensive = {
        let mut o = offensive.clone();
        for key in ["date", "end"] {
            let m = o[key].as_object_mut().unwrap();
            m.remove("end");
            m.remove("display");
        }
        o
    };
    assert_eq!(
        offensive["date"],
        d(
            "2022-08-29",
            "2022-08-29T00:00:00+03:00",
            "day",
            false,
            false
        )
    );
    assert_eq!(
        offensive["end"],
        d(
            "2022-11-11",
            "2022-11-11T00:00:00+02:00",
            "day",
            false,
            false
        )
    );
    assert_eq!(entry(&t, "kherson-liberated")["end"], json!(null));
}

#[test]
fn timeline_json_entry_fields_follow_the_schema() {
    let site = built(&[]);
    let t = site.public().timeline();
    let e = entry(&t, "invasion-day");
    assert_eq!(e["kind"], "event");
    assert_eq!(e["title"], "Russia invades Ukraine");
    assert_eq!(e["url"], format!("{BASE_URL}events/invasion-day/"));
    assert_eq!(e["status"], "confirmed");
    assert_eq!(e["track"], "military");
    assert_eq!(e["importance"], 5);
    assert_eq!(strings(&e["tags"]), ["invasion"]);
    let ids = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&e["actors"]), ["vladimir-putin", "volodymyr-zelensky"]);
    assert_eq!(ids(&e["places"]), ["kyiv"]);
    assert!(e["places"][0]["name"].is_string());
    // Defaults: importance 3, status confirmed.
    let plain = entry(&t, "new-year-day");
    assert_eq!(plain["importance"], 3);
    assert_eq!(plain["status"], "confirmed");
    assert_eq!(entry(&t, "theatre-strike")["status"], "disputed");
    assert_eq!(entry(&t, "siege-percent")["status"], "unverified");
    let a = entry(&t, "jeddah-talks-notes");
    assert_eq!(a["kind"], "article");
    assert_eq!(a["url"], format!("{BASE_URL}articles/jeddah-talks-notes/"));
}

#[test]
fn links_between_events_and_articles_go_both_ways_in_chronology_order() {
    let site = built(&[]);
    let t = site.public().timeline();
    let list = |id: &str, key: &str| strings(&entry(&t, id)[key]);
    // Declared by the event (sources) and by the article (events), merged.
    assert_eq!(
        list("invasion-day", "articles"),
        ["early-warning", "invasion-explainer"]
    );
    // Declared only on the event side.
    assert_eq!(list("a-strike", "articles"), ["invasion-explainer"]);
    // Declared only on the article side.
    assert_eq!(list("z-rockets", "articles"), ["invasion-explainer"]);
    // Declared as [z-rockets, invasion-day], plus a-strike from its sources: in chronology order.
    assert_eq!(
        list("invasion-explainer", "events"),
        ["invasion-day", "z-rockets", "a-strike"]
    );
    assert_eq!(list("early-warning", "events"), ["invasion-day"]);
    assert!(list("invasion-day", "events").is_empty());
    assert!(list("invasion-explainer", "articles").is_empty());
    assert!(list("tie-a", "articles").is_empty());

    // Both pages show the link, whichever side declared it.
    let out = site.public();
    let event = main_of(&out.page("events/z-rockets/")).to_string();
    assert!(
        event.contains("articles/invasion-explainer/"),
        "events/z-rockets/ does not link to the article that covers it:\n{event}"
    );
    let article = main_of(&out.page("articles/invasion-explainer/")).to_string();
    for id in ["invasion-day", "z-rockets", "a-strike"] {
        assert!(
            article.contains(&format!("events/{id}/")),
            "articles/invasion-explainer/ does not link to events/{id}/:\n{article}"
        );
    }
    let day = main_of(&out.page("events/invasion-day/")).to_string();
    for slug in ["early-warning", "invasion-explainer"] {
        assert!(
            day.contains(&format!("articles/{slug}/")),
            "events/invasion-day/ does not link to articles/{slug}/:\n{day}"
        );
    }
}

#[test]
fn drafts_are_absent_from_every_output_file() {
    let site = built(&[]);
    let out = site.public();
    let tree = out.tree();
    for mark in DRAFT_MARKS {
        assert_eq!(
            tree.files_containing(mark),
            Vec::<&str>::new(),
            "{mark:?} (from a draft) appears in the output"
        );
        let paths: Vec<&String> = tree.files.keys().filter(|p| p.contains(mark)).collect();
        assert!(paths.is_empty(), "output paths for a draft: {paths:?}");
    }
    assert!(!out.exists("events/secret-draft"));
    assert!(!out.exists("articles/draft-notes"));
    assert!(!out.exists("tags/quokka-tag"));
    assert!(!out.exists("tags/okapi-tag"));
    // The draft article's link does not reach the published event.
    let t = out.timeline();
    assert!(strings(&entry(&t, "alaska-summit-2025")["articles"]).is_empty());
    // No month archive made of drafts only (secret-draft is the only entry of June 2022).
    assert!(!out.exists("years/2022/06"));
}

#[test]
fn drafts_are_published_with_the_drafts_flag() {
    let site = built(&["--drafts"]);
    let out = site.public();
    let t = out.timeline();
    let ids = entry_ids(&t);
    let mut expected: Vec<&str> = BASIC_ORDER.to_vec();
    let after = expected
        .iter()
        .position(|id| *id == "siege-percent")
        .unwrap();
    expected.insert(after + 1, "secret-draft");
    expected.push("draft-notes");
    assert_eq!(ids, expected);
    assert_eq!(entry(&t, "secret-draft")["status"], "draft");
    assert_eq!(entry(&t, "secret-draft")["title"], "Quokka Draft Event");
    assert_eq!(
        strings(&entry(&t, "draft-notes")["events"]),
        ["alaska-summit-2025"]
    );
    assert_eq!(
        strings(&entry(&t, "alaska-summit-2025")["articles"]),
        ["draft-notes"]
    );
    for path in [
        "events/secret-draft/index.html",
        "articles/draft-notes/index.html",
        "tags/quokka-tag/index.html",
        "tags/okapi-tag/index.html",
    ] {
        assert!(out.exists(path), "{path} is missing with --drafts");
    }
    assert!(
        out.page("events/secret-draft/")
            .contains("Quokka Draft Event")
    );
}

#[test]
fn timeline_pages_show_every_entry_in_chronology_order() {
    let site = built(&[]);
    let out = site.public();
    let mut shown: Vec<String> = Vec::new();
    for page in ["", "page/2/", "page/3/", "page/4/", "page/5/", "page/6/"] {
        let html = out.page(page);
        // The "latest" strip on the first page lists entries by when they were touched.
        let main = main_of(&html);
        let main = match (
            main.find("<section class=\"latest\""),
            main.find("</section>"),
        ) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &main[..a], &main[b..]),
            _ => main.to_string(),
        };
        for href in attr_values(&main, "href") {
            let target = href.trim_start_matches("./").trim_start_matches("../");
            let id = target
                .strip_prefix("events/")
                .or_else(|| target.strip_prefix("articles/"))
                .map(|rest| rest.trim_end_matches('/'));
            if let Some(id) = id
                && shown.last().map(String::as_str) != Some(id)
            {
                shown.push(id.to_string());
            }
        }
    }
    assert_eq!(shown, BASIC_ORDER);
    let home = out.page("");
    assert!(
        home.contains("Full-scale invasion") && home.contains("Aftermath"),
        "eras are not shown"
    );
}

#[test]
fn per_page_zero_puts_the_whole_timeline_on_one_page() {
    let site = Site::fixture("basic");
    let config = site.read("site.yaml").replace("per_page: 4", "per_page: 0");
    site.write("site.yaml", config);
    site.build(&[]).success();
    let out = site.public();
    assert!(
        !out.exists("page"),
        "per_page: 0 made extra pages: {:?}",
        out.files()
    );
    let home = out.page("");
    for id in BASIC_ORDER {
        assert!(home.contains(&format!("/{id}/")), "index.html lacks {id}");
    }
}

#[test]
fn the_output_does_not_depend_on_the_machine_time_zone_or_locale() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let first = site.public().tree();
    site.run_with_env(
        &["build"],
        &[
            ("TZ", "America/Adak"),
            ("LC_ALL", "uk_UA.UTF-8"),
            ("LANG", "ar_EG.UTF-8"),
        ],
    )
    .success();
    assert_same_tree(
        &first,
        &site.public().tree(),
        "the output under another machine zone",
    );
}

#[test]
fn a_site_without_a_timezone_uses_utc() {
    let site = Site::fixture("basic");
    let config = site
        .read("site.yaml")
        .replace("timezone: Europe/Kyiv\n", "");
    site.write("site.yaml", config);
    site.build(&[]).success();
    let t = site.public().timeline();
    assert_eq!(
        entry(&t, "year-2022")["date"]["start"],
        "2022-01-01T00:00:00+00:00"
    );
    assert_eq!(
        entry(&t, "local-time")["date"]["start"],
        "2022-03-15T14:30:00+00:00"
    );
    // A written offset is kept whatever the site zone.
    assert_eq!(
        entry(&t, "a-strike")["date"]["start"],
        "2022-02-24T05:00:00+02:00"
    );
}
