//! `annals import --format ...` end to end: the fixture datasets of
//! tests/fixtures/datasets (ACLED, UCDP, TimelineJS JSON and sheet, a
//! spreadsheet with a mapping) imported into a copy of the basic fixture
//! site with the real binary; the result builds, a re-import of a changed
//! file adds, updates, keeps local edits as conflicts and lists vanished
//! rows; bad inputs are reported all at once and write nothing.

mod common;

use common::{Site, entry, fixtures_dir};
use serde_yaml::Value;

/// The basic fixture site with the named dataset files copied into `data/`.
fn site_with(files: &[&str]) -> Site {
    let site = Site::fixture("basic");
    for f in files {
        let bytes = std::fs::read(fixtures_dir().join("datasets").join(f)).unwrap();
        site.write(&format!("data/{f}"), bytes);
    }
    site
}

fn yaml(site: &Site, rel: &str) -> Value {
    serde_yaml::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The imported event with this id, from a file holding a list of events.
fn event<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_sequence()
        .unwrap()
        .iter()
        .find(|e| e["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn acled_imports_builds_and_reimports_safely() {
    let site = site_with(&["acled.csv", "acled-v2.csv"]);
    let run = site.run(&["import", "--format", "acled", "data/acled.csv"]);
    run.success()
        .prints("acled: 4 rows: 4 added, 0 updated, 0 unchanged, 0 conflicts, 0 gone");
    let feb = yaml(&site, "content/events/acled/2022/2022-02.yaml");
    let mar = yaml(&site, "content/events/acled/2022/2022-03.yaml");
    let e101 = event(&feb, "acled-ukr101");
    assert_eq!(e101["date"].as_str(), Some("2022-02-24"));
    assert_eq!(e101["track"].as_str(), Some("Explosions/Remote violence"));
    assert_eq!(e101["location"]["lat"].as_f64(), Some(49.9935));
    assert_eq!(e101["figures"][0]["kind"].as_str(), Some("killed"));
    assert_eq!(e101["figures"][0]["best"].as_i64(), Some(3));
    assert_eq!(e101["figures"][0]["by"].as_str(), Some("ACLED"));
    assert_eq!(e101["figures"][0]["as_of"].as_str(), Some("2022-03-01"));
    assert_eq!(e101["data"]["geo_precision"].as_i64(), Some(1));
    assert_eq!(
        e101["data"]["source_scale"].as_str(),
        Some("National-International")
    );
    assert_eq!(e101["import"]["dataset"].as_str(), Some("acled"));
    assert_eq!(e101["import"]["row"].as_str(), Some("UKR101"));
    // time_precision 2 is an approximate day, 3 the month.
    assert_eq!(
        event(&feb, "acled-ukr102")["date"].as_str(),
        Some("2022-02-26~")
    );
    let e103 = event(&mar, "acled-ukr103");
    assert_eq!(e103["date"].as_str(), Some("2022-03"));
    assert!(
        e103.get("location").is_none(),
        "no coordinates: no location"
    );
    // The actor under two spellings is one registry entry, used by both rows.
    let actors = site.read("content/actors.yaml");
    assert_eq!(
        actors.matches("name: Military Forces of Russia").count(),
        1,
        "{actors}"
    );
    assert_eq!(
        event(&feb, "acled-ukr102")["actors"][1],
        event(&feb, "acled-ukr101")["actors"][0]
    );
    let places = site.read("content/places.yaml");
    assert!(
        places.contains("name: Kharkivska") && places.contains("kind: admin1"),
        "{places}"
    );
    site.build(&[]).success();
    let tl = site.public().timeline();
    assert_eq!(entry(&tl, "acled-ukr102")["date"]["approximate"], true);
    assert_eq!(entry(&tl, "acled-ukr103")["date"]["precision"], "month");

    // The same file again changes nothing, and says so.
    let before = site.tree();
    site.run(&["import", "--format", "acled", "data/acled.csv"])
        .success()
        .prints("0 added, 0 updated, 4 unchanged, 0 conflicts, 0 gone")
        .prints("nothing changed");
    assert_eq!(before.diff(&site.tree()), "");

    // Curators edit two entries; then a newer file arrives.
    let feb_path = "content/events/acled/2022/2022-02.yaml";
    let mar_path = "content/events/acled/2022/2022-03.yaml";
    let text = site.read(feb_path).replace(
        "fighting continued for Hostomel airfield.",
        "the battle for Hostomel airfield went on (curator).",
    );
    site.write(feb_path, text);
    let text = site.read(mar_path).replace(
        "title: Peaceful protest in Kherson",
        "title: Kherson rallies against the occupation",
    );
    site.write(mar_path, text);

    let before = site.tree();
    let dry = site.run(&[
        "import",
        "--format",
        "acled",
        "--dry-run",
        "data/acled-v2.csv",
    ]);
    dry.success().prints("dry run: ");
    assert_eq!(before.diff(&site.tree()), "", "a dry run writes nothing");

    let run = site.run(&["import", "--format", "acled", "data/acled-v2.csv"]);
    run.success()
        .prints("acled: 4 rows: 1 added, 2 updated, 1 unchanged, 1 conflict, 1 gone");
    let conflict = run
        .stdout
        .lines()
        .find(|l| l.starts_with("conflict: acled-ukr102"))
        .unwrap_or_else(|| panic!("no conflict line\n{}", run.stdout));
    assert!(
        conflict.contains("summary")
            && conflict.contains("(curator)")
            && conflict.contains("(revised)"),
        "{conflict}"
    );
    assert!(
        run.stdout.contains("gone: acled UKR104 (acled-ukr104"),
        "{}",
        run.stdout
    );
    let feb = yaml(&site, feb_path);
    let mar = yaml(&site, mar_path);
    // Changed upstream, untouched here: updated.
    assert!(
        event(&feb, "acled-ukr101")["summary"]
            .as_str()
            .unwrap()
            .contains("and a school")
    );
    assert_eq!(
        event(&feb, "acled-ukr101")["figures"][0]["best"].as_i64(),
        Some(4)
    );
    // Edited here and upstream: kept.
    assert!(
        event(&feb, "acled-ukr102")["summary"]
            .as_str()
            .unwrap()
            .contains("(curator)")
    );
    // Gone upstream: kept, with the curator's title.
    assert_eq!(
        event(&mar, "acled-ukr104")["title"].as_str(),
        Some("Kherson rallies against the occupation")
    );
    let apr = yaml(&site, "content/events/acled/2022/2022-04.yaml");
    assert_eq!(
        event(&apr, "acled-ukr105")["title"].as_str(),
        Some("Attack in Bucha")
    );
    site.build(&[]).success();
    // The conflict is raised again until resolved; nothing else changes.
    site.run(&["import", "--format", "acled", "data/acled-v2.csv"])
        .success()
        .prints("0 added, 0 updated, 4 unchanged, 1 conflict, 1 gone")
        .prints("nothing changed");
}

#[test]
fn ucdp_spans_and_figures() {
    let site = site_with(&["ucdp.csv"]);
    site.run(&["import", "--format", "ucdp", "data/ucdp.csv"])
        .success()
        .prints("3 added");
    let mar = yaml(&site, "content/events/ucdp/2022/2022-03.yaml");
    let e = event(&mar, "ucdp-401002");
    assert_eq!(e["date"].as_str(), Some("2022-03-01"));
    assert_eq!(e["end"].as_str(), Some("2022-03-04"));
    let f = &e["figures"][0];
    assert_eq!(
        (f["low"].as_i64(), f["best"].as_i64(), f["high"].as_i64()),
        (Some(40), Some(44), Some(120))
    );
    assert!(
        e["figures"][3]["note"]
            .as_str()
            .unwrap()
            .contains("civilians")
    );
    assert_eq!(e["data"]["source_office"].as_str(), Some("BBC"));
    let apr = yaml(&site, "content/events/ucdp/2022/2022-04.yaml");
    // A whole month (date_prec 4), without coordinates.
    assert_eq!(event(&apr, "ucdp-401003")["date"].as_str(), Some("2022-04"));
    let feb = yaml(&site, "content/events/ucdp/2022/2022-02.yaml");
    assert_eq!(
        event(&feb, "ucdp-401001")["date"].as_str(),
        Some("2022-02-24")
    );
    site.build(&[]).success();
    let tl = site.public().timeline();
    assert_eq!(entry(&tl, "ucdp-401002")["end"]["value"], "2022-03-04");

    // Another dataset name, into another folder; outside content/events is refused.
    site.run(&[
        "import",
        "--format",
        "ucdp",
        "--dataset",
        "ged-copy",
        "--into",
        "../elsewhere",
        "data/ucdp.csv",
    ])
    .exit(2)
    .prints("content/events/");
    site.run(&[
        "import",
        "--format",
        "ucdp",
        "--dataset",
        "ged-copy",
        "--into",
        "content/events/ged",
        "data/ucdp.csv",
    ])
    .success()
    .prints("ged-copy: 3 rows: 3 added");
    let copy = yaml(&site, "content/events/ged/2022/2022-03.yaml");
    // The ids of the first import are taken: the copy's get a suffix.
    assert_eq!(
        event(&copy, "ucdp-401002-2")["import"]["dataset"].as_str(),
        Some("ged-copy")
    );
}

#[test]
fn timelinejs_json_and_sheet() {
    let site = site_with(&["timeline.json", "sheet.csv"]);
    site.run(&["import", "--format", "timelinejs", "data/timeline.json"])
        .success()
        .prints("4 added")
        .prints("eras: 1 added to content/eras.yaml, 0 already there")
        .prints("title slide: written as the page content/pages/fixture-timeline.md");
    // The era slide is an era, after the curators' own; the title slide a page.
    let eras = yaml(&site, "content/eras.yaml");
    let early = event(&eras, "early-war");
    assert_eq!(
        (
            early["title"].as_str(),
            early["date"].as_str(),
            early["end"].as_str()
        ),
        (Some("Early war"), Some("2014"), Some("2015"))
    );
    assert_eq!(eras[0]["id"].as_str(), Some("full-scale"));
    let page = site.read("content/pages/fixture-timeline.md");
    assert!(
        page.starts_with(
            "---\ntitle: Fixture timeline\nslug: fixture-timeline\n---\nFor the tests.\n"
        ),
        "{page}"
    );
    // Again: nothing new, and what is there stays.
    site.write(
        "content/pages/fixture-timeline.md",
        "---\ntitle: Ours now\n---\nEdited.\n",
    );
    site.run(&["import", "--format", "timelinejs", "data/timeline.json"])
        .success()
        .prints("eras: 0 added to content/eras.yaml, 1 already there")
        .prints("title slide: content/pages/fixture-timeline.md exists; kept as it is")
        .prints("nothing changed");
    assert!(
        site.read("content/pages/fixture-timeline.md")
            .contains("Edited.")
    );
    let e = yaml(&site, "content/events/timelinejs/2014/2014-03.yaml");
    let vote = event(&e, "tl-crimea-vote");
    assert_eq!(vote["title"].as_str(), Some("Referendum in Crimea"));
    let summary = vote["summary"].as_str().unwrap();
    assert!(
        summary.contains("**occupation**")
            && summary.contains("[Report](https://example.org/report)"),
        "{summary}"
    );
    assert!(
        !summary.contains('<') && !summary.contains("alert") && !summary.contains("steal"),
        "{summary}"
    );
    assert_eq!(
        vote["sources"][0]["publisher"].as_str(),
        Some("Photo: Example Agency")
    );
    assert_eq!(
        vote["data"]["media"]["url"].as_str(),
        Some("https://example.org/photo.jpg")
    );
    assert_eq!(vote["track"].as_str(), Some("Politics"));
    let talks = event(
        &yaml(&site, "content/events/timelinejs/2015/2015-02.yaml"),
        "tl-talks-2015",
    )
    .clone();
    assert_eq!(
        (talks["date"].as_str(), talks["end"].as_str()),
        (Some("2015-02"), Some("2015-03"))
    );
    let y2016 = yaml(&site, "content/events/timelinejs/2016/2016.yaml");
    let no_id = &y2016[0];
    assert!(
        no_id["id"].as_str().unwrap().starts_with("tl-"),
        "{no_id:?}"
    );
    assert_eq!(
        no_id["data"]["display_date"].as_str(),
        Some("Sometime in 2016")
    );
    let strike = yaml(&site, "content/events/timelinejs/2022/2022-02.yaml");
    assert_eq!(
        event(&strike, "tl-strike")["date"].as_str(),
        Some("2022-02-24 04:50")
    );
    site.run(&[
        "import",
        "--format",
        "timelinejs",
        "--dataset",
        "sheet",
        "data/sheet.csv",
    ])
    .success()
    .prints("sheet: 2 rows: 2 added")
    .prints("eras: 1 added to content/eras.yaml, 1 already there")
    .prints("title slide: written as the page content/pages/title-slide.md");
    let eras = yaml(&site, "content/eras.yaml");
    let minsk = event(&eras, "minsk-years");
    assert_eq!(
        (minsk["date"].as_str(), minsk["end"].as_str()),
        (Some("2015-02-12"), Some("2022-02-23"))
    );
    assert_eq!(
        minsk["description"].as_str(),
        Some("Between **Minsk II** and the invasion")
    );
    let built = site.build(&[]);
    built.success();
    // The new era is on the timeline, and the title slide's page is published.
    assert!(site.read("public/index.html").contains("Minsk years"));
    assert!(
        site.read("public/fixture-timeline/index.html")
            .contains("Edited.")
    );
}

#[test]
fn spreadsheet_with_a_mapping() {
    let site = site_with(&["custom.csv", "custom-map.yaml"]);
    let suggested = site.run(&[
        "import",
        "--format",
        "csv",
        "--suggest-map",
        "data/custom.csv",
    ]);
    suggested.success();
    let map: Value = serde_yaml::from_str(&suggested.stdout).unwrap();
    assert_eq!(map["title"].as_str(), Some("What"));
    assert_eq!(map["lat"].as_str(), Some("Lat"));
    site.run(&[
        "import",
        "--format",
        "csv",
        "--map",
        "data/custom-map.yaml",
        "data/custom.csv",
    ])
    .success()
    .prints("csv: 4 rows: 4 added");
    let feb = yaml(&site, "content/events/csv/2022/2022-02.yaml");
    assert_eq!(event(&feb, "row-a1")["date"].as_str(), Some("2022-02-24"));
    assert_eq!(
        event(&feb, "row-a1")["sources"][0]["url"].as_str(),
        Some("https://example.org/a")
    );
    let mar = yaml(&site, "content/events/csv/2022/2022-03.yaml");
    assert_eq!(event(&mar, "row-a2")["date"].as_str(), Some("2022-03"));
    assert_eq!(
        event(&mar, "row-a2")["figures"][0]["best"].as_i64(),
        Some(100)
    );
    let y = yaml(&site, "content/events/csv/2023/2023.yaml");
    assert_eq!(event(&y, "row-a3")["date"].as_str(), Some("2023"));
    site.build(&[]).success();

    // A mapping naming an unknown field or column.
    site.write(
        "data/bad-map.yaml",
        "date: When\ntitle: What\nheadline: What\nplaces: Were\n",
    );
    let run = site.run(&[
        "import",
        "--format",
        "csv",
        "--map",
        "data/bad-map.yaml",
        "data/custom.csv",
    ]);
    run.exit(1);
    run.error_at("data/bad-map.yaml", 3, &["unknown field `headline`"]);
    run.error_at(
        "data/bad-map.yaml",
        4,
        &["\"Were\"", "did you mean `Where`"],
    );
}

#[test]
fn bad_inputs_are_all_reported_and_nothing_is_written() {
    let site = site_with(&[
        "acled-bad.csv",
        "acled-header.csv",
        "acled-utf16.csv",
        "timeline-bad.json",
    ]);
    let before = site.tree();
    let run = site.run(&["import", "--format", "acled", "data/acled-bad.csv"]);
    run.exit(1);
    run.error_at("data/acled-bad.csv", 3, &["event_date", "\"2022-13-45\""]);
    run.error_at("data/acled-bad.csv", 4, &["latitude", "\"north\""]);
    run.error_at(
        "data/acled-bad.csv",
        5,
        &["\"UKR1\" occurs twice", "acled-bad.csv:2"],
    );
    run.prints("nothing was written");

    let run = site.run(&["import", "--format", "acled", "data/acled-header.csv"]);
    run.exit(1);
    let line = run.error_in("data/acled-header.csv", &["event_id_cnty"]);
    assert!(
        line.contains("closest present: event_id") && line.contains("closest present: event_dt"),
        "{line}"
    );

    let run = site.run(&["import", "--format", "acled", "data/acled-utf16.csv"]);
    run.exit(1).error_in("data/acled-utf16.csv", &["UTF-16"]);

    let run = site.run(&["import", "--format", "timelinejs", "data/timeline-bad.json"]);
    run.exit(1).error_in(
        "data/timeline-bad.json",
        &["not a TimelineJS timeline", "events"],
    );
    // A bad era and a bad event of one timeline are reported together.
    site.write(
        "data/eras-bad.json",
        r#"{"events": [{"start_date": {"year": 2022, "month": 14}, "text": {"headline": "x"}}],
            "eras": [{"start_date": {"year": 2014}, "end_date": {"year": "soon"}, "text": {"headline": "Early"}},
                     {"end_date": {"year": 2015}}]}"#,
    );
    let run = site.run(&["import", "--format", "timelinejs", "data/eras-bad.json"]);
    run.exit(1);
    run.error_at("data/eras-bad.json", 1, &["era end", "\"soon\""]);
    run.error_at("data/eras-bad.json", 2, &["an era needs a start date"]);
    run.error_at("data/eras-bad.json", 1, &["start date", "month \"14\""]);
    run.prints("nothing was written");
    site.remove("data/eras-bad.json");
    assert_eq!(before.diff(&site.tree()), "");
}

#[test]
fn exports_parse_and_match_the_timeline() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let out = site.public();
    let tl = out.timeline();
    let ids = common::entry_ids(&tl);

    // events.csv: RFC 4180 with a header, one row per entry, no BOM.
    let csv_text = out.read("events.csv");
    assert!(!csv_text.starts_with('\u{feff}'));
    assert!(csv_text.contains("\r\n"));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let csv_ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(csv_ids, ids);
    let title_col = header.iter().position(|h| h == "title").unwrap();
    for (r, e) in rows.iter().zip(common::entries(&tl)) {
        assert_eq!(&r[title_col], e["title"].as_str().unwrap());
    }

    // events.geojson: a FeatureCollection of located entries.
    let geo: serde_json::Value = serde_json::from_str(&out.read("events.geojson")).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    for f in geo["features"].as_array().unwrap() {
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
        assert!(ids.contains(&f["id"].as_str().unwrap().to_string()));
    }

    // timeline.ics: one VEVENT per entry, folded lines, CRLF.
    let ics = out.read("timeline.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), ids.len());
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }

    // timelinejs.json: a title slide and one slide per entry.
    let tjs: serde_json::Value = serde_json::from_str(&out.read("timelinejs.json")).unwrap();
    assert_eq!(tjs["title"]["text"]["headline"], "Fixture Timeline");
    let slides: Vec<&str> = tjs["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["unique_id"].as_str().unwrap())
        .collect();
    assert_eq!(slides, ids);

    // The cite block on an event page.
    let first_event = common::entries(&tl)
        .iter()
        .find(|e| e["kind"] == "event")
        .unwrap();
    let page = out.page(
        first_event["url"]
            .as_str()
            .unwrap()
            .trim_start_matches(common::BASE_URL),
    );
    assert!(
        page.contains("Cite this")
            && page.contains("@misc{")
            && page.contains("&quot;container-title&quot;"),
        "no cite block"
    );
    // The HTML validator refuses aria-labelledby on a <pre> without a role
    // (the audit found 136 such errors); the headings above each block name it.
    assert!(
        !page.contains("<pre class=\"cite-text\" aria-labelledby"),
        "a cite block's <pre> carries aria-labelledby"
    );

    // Each can be switched off.
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}exports:\n  csv: false\n  ics: false\n  timelinejs: false\n  geojson: false\n  gpx: false\n  cite: false\n"),
    );
    site.build(&[]).success();
    for f in [
        "events.csv",
        "timeline.ics",
        "timelinejs.json",
        "events.geojson",
        "events.gpx",
    ] {
        assert!(!out.exists(f), "{f} still written");
    }
    assert!(
        !out.page(
            first_event["url"]
                .as_str()
                .unwrap()
                .trim_start_matches(common::BASE_URL)
        )
        .contains("Cite this")
    );
    site.write(
        "site.yaml",
        format!("{config}exports:\n  csv_bom: true\n  cvs: false\n"),
    );
    site.build(&[]).exit(1).error_at(
        "site.yaml",
        9,
        &["unknown field `cvs`", "did you mean `csv`"],
    );
}
