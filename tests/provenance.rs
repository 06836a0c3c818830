//! Trust as data: the `provenance` fixture (verification, figures, sources
//! as evidence, corrections, windows, content warnings) built by the real
//! binary, and what its data, pages and feeds say; then each bad input.

mod common;

use common::{Site, assert_same_tree, entry, main_of, strings};

const EVENTS: &str = "content/events/2022.yaml";

/// The fixture built as of 1 June 2022 (its corrections are in May).
fn built() -> Site {
    let site = Site::fixture("provenance");
    site.build(&["--now", "2022-06-01"]).success();
    site
}

/// The text of a page's main part, tags removed and spaces collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in main_of(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn timeline_json_carries_every_provenance_field() {
    let site = built();
    let t = site.public().timeline();
    let e = entry(&t, "station-strike");
    assert_eq!(e["status"], "corroborated");
    assert_eq!(e["verification"]["status"], "corroborated");
    assert_eq!(
        strings(&e["verification"]["method"]),
        ["geolocation", "witness"]
    );
    assert_eq!(e["verification"]["by"], "Open Source Collective");
    assert_eq!(e["verification"]["on"], "2022-04-09");
    let figures = e["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 4);
    assert_eq!(figures[0]["kind"], "killed");
    assert_eq!(
        (&figures[0]["low"], &figures[0]["high"]),
        (&serde_json::json!(12), &serde_json::json!(40))
    );
    assert!(figures[0]["best"].is_null());
    assert_eq!(figures[0]["source"], 0);
    assert_eq!(figures[1]["by"], "ministry-of-health");
    assert_eq!(figures[2]["as_of"], "2022-04-09");
    assert_eq!(figures[3]["source"], "station-report");
    let sources = e["sources"].as_array().unwrap();
    assert_eq!(
        strings(&sources[1]["archive"]),
        [
            "https://archive.ph/abcde",
            "https://web.archive.org/web/2022/https://example.org/moh/statement"
        ]
    );
    assert_eq!(sources[0]["kind"], "primary");
    assert_eq!(sources[0]["type"], "report");
    assert_eq!(sources[0]["language"], "en");
    assert_eq!(sources[0]["published"], "2022-04-20");
    assert_eq!(
        sources[1]["capture"]["sha256"],
        "8a57b59c4d5486402d8596d120e55da0659a69bd6bba0dff8ccf47270a744560"
    );
    assert_eq!(sources[3]["article"], "station-report");
    // UN OHCHR, the ministry (twice, spelt two ways) and the article's publisher.
    assert_eq!(e["corroboration"], 3);
    assert_eq!(e["updated"], "2022-05-01");
    assert_eq!(e["corrections"][0]["date"], "2022-04-20");
    assert_eq!(e["corrections"].as_array().unwrap().len(), 2);
    assert_eq!(e["content_warning"], "Graphic description of casualties");
    assert!(e["window"].is_null());

    let a = entry(&t, "station-report");
    assert_eq!(a["updated"], "2022-04-12");
    assert_eq!(
        a["corrections"][0]["note"],
        "The platform number was wrong."
    );
    assert_eq!(a["content_warning"], "Images of injured people");

    let w = entry(&t, "convoy-sighted");
    assert_eq!(w["window"]["earliest"], "2022-03-02");
    assert_eq!(w["window"]["latest"], "2022-03-05");
    assert_eq!(w["date"]["value"], "2022-03-02");
    assert!(w["end"].is_null(), "a window is not a span");
    assert_eq!(entry(&t, "year-window")["window"]["latest"], "2022");
}

#[test]
fn a_window_sorts_by_its_start_reads_between_and_is_listed_once() {
    let site = built();
    let out = site.public();
    let ids = common::entry_ids(&out.timeline());
    let at = |id: &str| ids.iter().position(|i| i == id).unwrap();
    assert!(at("year-window") < at("spring-shelling"));
    assert!(at("spring-shelling") < at("convoy-sighted"));
    assert!(at("convoy-sighted") < at("station-strike"));
    // The date as the card's <time> shows it (isolated or not).
    let index = out.page("").replace("<bdi>", "").replace("</bdi>", "");
    assert!(
        index.contains(">between 2 and 5 March 2022</time>"),
        "{index}"
    );
    assert!(index.contains(">between March and April 2022</time>"));
    assert!(index.contains(">between 2021 and 2022</time>"));
    // In the archive of its start only.
    assert!(
        out.page("years/2021/")
            .contains("Construction of the fortifications")
    );
    assert!(
        !out.page("years/2022/")
            .contains("Construction of the fortifications")
    );
    assert!(out.page("years/2022/03/").contains("Shelling reported"));
    assert!(
        !out.exists("years/2022/04/index.html")
            || !out.page("years/2022/04/").contains("Shelling reported")
    );
}

#[test]
fn cards_and_the_event_page_show_badge_ranges_evidence_and_corrections() {
    let site = built();
    let out = site.public();
    let index = text_of(&out.page(""));
    assert!(
        index.contains("12–40 killed (UN OHCHR); 85 (Ministry of Health); 100 injured (Ukraine); at least 300 displaced"),
        "{index}"
    );
    assert!(index.contains("50 killed (Russia); 53–60 (Ukraine); up to 70 (Independent monitors)"));
    for label in [
        "Status: Corroborated",
        "Status: Disputed",
        "Status: Debunked",
        "Status: Unverified",
        "Status: Confirmed",
    ] {
        assert!(index.contains(label), "no badge {label:?} on the timeline");
    }

    let html = out.page("events/station-strike/");
    let page = text_of(&html);
    assert!(page.contains("Updated 1 May 2022"), "{page}");
    assert!(page.contains("Method geolocation, witness"));
    assert!(page.contains("Verified by Open Source Collective"));
    assert!(page.contains("Two independent videos match the station."));
    assert!(page.contains("Reported by 3 independent publishers"));
    assert!(
        html.contains("href=\"../../how-we-work/#statuses\""),
        "the badge's explanation links the methodology"
    );
    // The archived copies beside the live link, and the capture's hash.
    let archived = html
        .find("href=\"https://archive.ph/abcde\"")
        .expect("an archived copy");
    let live = html
        .find("href=\"https://example.org/moh/statement\"")
        .expect("the live link");
    assert!(live < archived);
    assert!(html.contains("8a57b59c4d5486402d8596d120e55da0659a69bd6bba0dff8ccf47270a744560"));
    assert!(html.contains("href=\"../../captures/station-video-notes.txt\""));
    assert!(out.exists("captures/station-video-notes.txt"));
    // The corrections log, newest first.
    let newer = page
        .find("1 May 2022 The time of the strike was corrected.")
        .expect("newest correction");
    let older = page
        .find("20 April 2022 The count of the injured was attributed to the wrong ministry.")
        .expect("older correction");
    assert!(newer < older);
    // The summary waits behind its warning.
    assert!(html.contains("<details class=\"cw cw-page\"><summary>Content warning: <span dir=\"auto\">Graphic description of casualties</span></summary>"));

    let article = out.page("articles/station-report/");
    assert!(text_of(&article).contains("Updated 12 April 2022"));
    assert!(article.contains("The platform number was wrong."));
    assert!(
        article.contains("Content warning: <span dir=\"auto\">Images of injured people</span>")
    );
}

#[test]
fn place_actor_and_year_pages_total_figures_as_ranges() {
    let site = built();
    let out = site.public();
    let place = text_of(&out.page("places/kramatorsk/"));
    // station 12–85 killed (its claims span 12 to 85); the others have none.
    assert!(place.contains("12–85 killed from 1 of 4 events"), "{place}");
    // station 100, spring shelling at least 5.
    assert!(place.contains("105 injured from 2 of 4 events"), "{place}");
    assert!(place.contains("300 displaced"));
    assert!(place.contains("2 events have no figure"), "{place}");
    let year = text_of(&out.page("years/2022/"));
    // station 12–85 plus prison 50–70.
    assert!(year.contains("62–155 killed from 2 of 5 events"), "{year}");
    let russia = text_of(&out.page("actors/russia/"));
    assert!(
        russia.contains("62–155 killed from 2 of 2 events"),
        "{russia}"
    );
    let method = out.page("how-we-work/");
    assert!(method.contains("id=\"totals\""));
    assert!(method.contains("separately"));
}

#[test]
fn the_corrections_page_and_feed_list_every_correction_newest_first() {
    let site = built();
    let out = site.public();
    let page = text_of(&out.page("corrections/"));
    let order: Vec<usize> = [
        "1 May 2022 Strike on a railway station The time",
        "20 April 2022 Strike on a railway station The count",
        "12 April 2022 What the station video shows The platform",
    ]
    .iter()
    .map(|s| {
        page.find(s)
            .unwrap_or_else(|| panic!("{s:?} not in {page}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{page}");

    let xml = out.read("corrections.xml");
    let doc = roxmltree::Document::parse(&xml).expect("corrections.xml is well-formed XML");
    let feed = doc.root_element();
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .and_then(|c| c.text().map(str::to_string))
    };
    let rfc3339 = |s: &str| chrono::DateTime::parse_from_rfc3339(s).is_ok();
    for required in ["id", "title", "updated"] {
        assert!(
            child(feed, required).is_some(),
            "the feed has no {required}"
        );
    }
    assert!(rfc3339(&child(feed, "updated").unwrap()));
    assert!(feed.children().any(|c| c.tag_name().name() == "author"));
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 3);
    let mut ids = Vec::new();
    for e in &entries {
        assert!(rfc3339(&child(*e, "updated").expect("an entry's updated")));
        assert!(child(*e, "title").is_some_and(|t| t.starts_with("Correction: ")));
        assert!(
            e.children()
                .any(|c| c.tag_name().name() == "link" && c.attribute("href").is_some())
        );
        ids.push(child(*e, "id").expect("an entry's id"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "entry ids are unique");
    assert_eq!(
        child(feed, "updated"),
        child(entries[0], "updated"),
        "updated is the newest correction"
    );
}

#[test]
fn the_search_index_filters_by_status_and_kind_of_figure() {
    let site = built();
    let index = site.public().search_index();
    let statuses = strings(&index["statuses"]);
    assert!(statuses.contains(&"corroborated".to_string()));
    let kinds: Vec<String> = index["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["displaced", "injured", "killed"]);
    let row = index["e"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "station-strike")
        .unwrap();
    assert_eq!(statuses[row[8].as_u64().unwrap() as usize], "corroborated");
    let row_kinds: Vec<&str> = row[14]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| kinds[i.as_u64().unwrap() as usize].as_str())
        .collect();
    assert_eq!(row_kinds, ["killed", "injured", "displaced"]);
    assert_eq!(row[16], "Graphic description of casualties");
}

#[test]
fn the_feed_and_json_ld_carry_status_and_corrections() {
    let site = built();
    let out = site.public();
    let feed = out.read("feed.xml");
    assert!(feed.contains("<category term=\"disputed\" label=\"Status: Disputed\"/>"));
    assert!(feed.contains("Content warning: Graphic description of casualties"));
    let article = out.page("articles/station-report/");
    assert!(article.contains("\"dateModified\":\"2022-04-12\""));
    assert!(article.contains("\"@type\":\"CorrectionComment\""));
}

#[test]
fn check_warns_about_sources_without_archive_and_can_require_them() {
    let site = Site::fixture("provenance");
    let run = site.run(&["check", "--now", "2022-06-01"]);
    run.success();
    let line = site.line_of(EVENTS, "url: https://example.org/local/news");
    assert!(
        run.stderr.contains(&format!("warning: {EVENTS}:{line}:"))
            && run.stderr.contains("no archived copy"),
        "{}",
        run.stderr
    );
    let run = site.run(&["check", "--now", "2022-06-01", "--require-archive"]);
    run.exit(1);
    run.error_at(
        EVENTS,
        line,
        &["no archived copy", "https://example.org/local/news"],
    );
}

/// The fixture, built, then changed by `edit`; the next build must fail
/// with every error expected, and leave the output as it was.
#[track_caller]
fn fails_after(edit: impl FnOnce(&Site)) -> (Site, common::Run) {
    let site = built();
    let before = site.public().tree();
    edit(&site);
    let run = site.build(&["--now", "2022-06-01"]);
    run.exit(1);
    assert_same_tree(
        &before,
        &site.public().tree(),
        "public/ after a failed build",
    );
    (site, run)
}

/// Replaces `from` with `to` in the events file.
fn replace(site: &Site, from: &str, to: &str) {
    let text = site.read(EVENTS);
    assert!(text.contains(from), "{from:?} is not in the fixture");
    site.write(EVENTS, text.replacen(from, to, 1));
}

#[test]
fn every_bad_provenance_input_is_reported_in_one_run_with_its_line() {
    let (site, run) = fails_after(|site| {
        replace(site, "    status: corroborated", "    status: corroborted");
        replace(
            site,
            "{kind: killed, low: 12, high: 40,",
            "{kind: killed, low: 40, high: 12,",
        );
        replace(
            site,
            "{kind: killed, best: 85,",
            "{kind: killed, best: -85,",
        );
        replace(
            site,
            "{kind: injured, best: 100,",
            "{kind: injured, best: 2.5,",
        );
        replace(
            site,
            "by: ministry-of-health, source: 1}",
            "by: ministry-of-health, source: 9}",
        );
        replace(
            site,
            "{kind: killed, best: 50, by: russia}",
            "{kind: killed, best: 50, by: rusia}",
        );
        replace(
            site,
            "      archive: https://web.archive.org/web/2022/https://example.org/un/report",
            "      archive: ftp://example.org/un/report",
        );
        replace(
            site,
            "      kind: primary\n      type: report",
            "      kind: tertiary\n      type: report",
        );
        replace(site, "    - date: 2022-05-01", "    - date: 2031-05-01");
        replace(
            site,
            "  date: 2022-03-02..2022-03-05",
            "  date: 2022-03-05..2022-03-02",
        );
        replace(
            site,
            "  status: disputed\n  verification:\n    status: disputed",
            "  status: confirmed\n  verification:\n    status: disputed",
        );
        site.write("static/captures/station-video-notes.txt", "tampered\n");
    });
    let at = |needle: &str| site.line_of(EVENTS, needle);
    run.error_at(
        EVENTS,
        at("status: corroborted"),
        &["unknown status \"corroborted\"", "corroborated"],
    );
    run.error_at(EVENTS, at("low: 40, high: 12"), &["inverted", "40", "12"]);
    run.error_at(EVENTS, at("best: -85"), &["-85", "negative"]);
    run.error_at(EVENTS, at("best: 2.5"), &["2.5", "whole number"]);
    run.error_at(
        EVENTS,
        at("source: 9}"),
        &["source index 9", "out of range", "4 sources"],
    );
    run.error_at(
        EVENTS,
        at("by: rusia"),
        &["unknown actor \"rusia\"", "did you mean `russia`"],
    );
    run.error_at(
        EVENTS,
        at("ftp://example.org/un/report"),
        &["archive URL \"ftp://example.org/un/report\"", "http"],
    );
    run.error_at(
        EVENTS,
        at("kind: tertiary"),
        &["unknown source kind \"tertiary\""],
    );
    run.error_at(
        EVENTS,
        at("2031-05-01"),
        &["2031-05-01", "future", "2022-06-01"],
    );
    run.error_at(
        EVENTS,
        at("2022-03-05..2022-03-02"),
        &["window", "\"2022-03-02\"", "before", "\"2022-03-05\""],
    );
    run.error_at(
        EVENTS,
        at("    status: disputed"),
        &["disagrees", "confirmed", "disputed"],
    );
    run.error_at(
        EVENTS,
        at("sha256:"),
        &["station-video-notes.txt", "does not match"],
    );
    assert_eq!(run.errors().len(), 12, "{}", run.stderr);
}

#[test]
fn a_missing_capture_a_bad_article_source_and_an_early_correction_are_errors() {
    let (site, run) = fails_after(|site| {
        site.remove("static/captures/station-video-notes.txt");
        replace(site, "source: station-report}", "source: station-reprt}");
        replace(site, "    - date: 2022-04-20", "    - date: 2022-04-01");
    });
    let at = |needle: &str| site.line_of(EVENTS, needle);
    run.error_at(
        EVENTS,
        at("capture: {file"),
        &[
            "capture file \"static/captures/station-video-notes.txt\"",
            "cannot be read",
        ],
    );
    run.error_at(
        EVENTS,
        at("station-reprt"),
        &["\"station-reprt\"", "station-report"],
    );
    run.error_at(
        EVENTS,
        at("2022-04-01"),
        &["before the publication", "station-strike"],
    );
}

#[test]
fn an_unknown_methodology_page_is_an_error() {
    let (_, run) = fails_after(|site| {
        let config = site
            .read("site.yaml")
            .replace("methodology: how-we-work", "methodology: how-we-wrk");
        site.write("site.yaml", config);
    });
    run.error_at("site.yaml", 6, &["how-we-wrk", "how-we-work"]);
}
