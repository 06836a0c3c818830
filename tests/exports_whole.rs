//! Every export holds every entry once, in order, when the site has more
//! entries than an export makes parts of at a time (the parts are made and
//! copied into the file a chunk at a time), and a JSON export with no item
//! is still valid JSON with an empty list.

mod common;

use common::Site;

/// `events` events, one a day from 2010; every third has a location.
fn site(events: usize) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Exports\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    let mut yaml = String::new();
    let start = chrono::NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
    for i in 0..events {
        let day = start + chrono::Days::new(i as u64);
        yaml.push_str(&format!(
            "- id: e{i:05}\n  date: {day}\n  title: \"Event {i}, \\\"quoted\\\"\"\n  summary: |\n    Line one of {i}.\n    Line two, with a comma.\n"
        ));
        if i % 3 == 0 {
            yaml.push_str(&format!(
                "  location: {{lat: {}, lon: 30.5}}\n",
                45.0 + (i % 50) as f64 / 10.0
            ));
        }
    }
    site.write("content/events/all.yaml", yaml);
    site
}

fn ids(n: usize, step: usize) -> Vec<String> {
    (0..n).step_by(step).map(|i| format!("e{i:05}")).collect()
}

fn json(site: &Site, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.public().read(path))
        .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The `key` of each item of the list `list` of the JSON file at `path`.
fn listed(site: &Site, path: &str, list: &str, key: &str) -> Vec<String> {
    json(site, path)[list]
        .as_array()
        .unwrap_or_else(|| panic!("{path} has no list {list}"))
        .iter()
        .map(|item| item[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_export_holds_every_entry_once_across_chunks() {
    let n = 4_500;
    let site = site(n);
    site.build(&[]).success();
    let out = site.public();

    let csv = out.read("events.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let id = headers.iter().position(|h| h == "id").unwrap();
    let rows: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[id].to_string())
        .collect();
    assert_eq!(rows, ids(n, 1), "events.csv");

    assert_eq!(
        listed(&site, "events.geojson", "features", "id"),
        ids(n, 3),
        "events.geojson"
    );
    assert_eq!(
        listed(&site, "timelinejs.json", "events", "unique_id"),
        ids(n, 1),
        "timelinejs.json"
    );

    let ics = out.read("timeline.ics");
    let uids: Vec<String> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(|u| u.split('@').next().unwrap().to_string())
        .collect();
    assert_eq!(uids, ids(n, 1), "timeline.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));

    let gpx = out.read("events.gpx");
    assert_eq!(gpx.matches("<wpt ").count(), ids(n, 3).len(), "events.gpx");
    assert!(gpx.ends_with("</gpx>\n"));
}

#[test]
fn json_exports_without_items_hold_empty_lists() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Exports\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    site.write(
        "content/events/all.yaml",
        "- id: nowhere\n  date: 2022-03-01\n  title: Nowhere\n",
    );
    site.build(&[]).success();
    let geojson = json(&site, "events.geojson");
    assert_eq!(geojson["features"], serde_json::json!([]));
    assert_eq!(geojson["type"], "FeatureCollection");
    assert!(
        site.public()
            .read("events.geojson")
            .contains("\"features\": [],")
    );
    let gpx = site.public().read("events.gpx");
    assert!(!gpx.contains("<wpt "));
}
