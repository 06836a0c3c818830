//! The map of a site with more located entries than the map's `page_max`:
//! `map/` draws its newest month, with a jump navigation to a map page per
//! year (per month in a year over the limit, cut into parts in a month over
//! it), every located entry is drawn on exactly one of them, none draws more
//! than the limit, and every link holds (the build checks its internal
//! links). Within the limit, `map/` draws everything, as before.

mod common;

use common::Site;

/// 400 events over 2014–2021 (50 a year), then 300 in 2022 (50 from
/// January to February, 200 in March, 50 from April to August); every
/// event but each fifth has a location, so 560 are on the map.
fn site(extra_config: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!("title: Maps\nbase_url: https://example.org/\ntimezone: UTC\n{extra_config}"),
    );
    let mut yaml = String::new();
    for i in 0..700usize {
        let (year, month, day) = common::period_date(i);
        yaml.push_str(&format!(
            "- id: e{i:04}\n  date: {year}-{month:02}-{day:02}\n  title: Event {i}\n  track: {}\n",
            ["military", "diplomacy"][i % 2],
        ));
        if i % 5 != 0 {
            yaml.push_str(&format!(
                "  location: {{name: Place {i}, lat: {}, lon: {}}}\n",
                46.0 + (i % 40) as f64 / 10.0,
                30.0 + (i % 70) as f64 / 10.0
            ));
        }
    }
    site.write("content/events/all.yaml", yaml);
    site
}

/// The ids of the entries a map page draws (its list's items), and checks
/// that each has its mark on the map.
fn drawn(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices("<li id=\"at-") {
        let rest = &html[at + 11..];
        out.push(rest[..rest.find('"').unwrap()].to_string());
    }
    let marks = html.matches("<a class=\"mark ").count();
    assert_eq!(marks, out.len(), "a mark for each item of the list");
    out
}

/// Every relative link of the page at `path` (a folder) that does not lead
/// to a file of `out`.
fn broken_links(out: &common::Output, path: &str) -> Vec<String> {
    let html = out.page(path);
    let mut broken = Vec::new();
    for (at, _) in html.match_indices("href=\"") {
        let target = &html[at + 6..];
        let target = &target[..target.find('"').unwrap()];
        if target.contains(':') || target.starts_with('#') || target.starts_with('/') {
            continue;
        }
        let target = target.split('#').next().unwrap();
        let mut parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for step in target.split('/') {
            match step {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut file = parts.join("/");
        if target.ends_with('/') || target.is_empty() {
            file = if file.is_empty() {
                "index.html".into()
            } else {
                format!("{file}/index.html")
            };
        }
        if !out.exists(&file) {
            broken.push(format!("{target} ({file})"));
        }
    }
    broken
}

fn located() -> Vec<String> {
    (0..700)
        .filter(|i| i % 5 != 0)
        .map(|i| format!("e{i:04}"))
        .collect()
}

#[test]
fn a_map_over_the_limit_gets_a_page_per_year_and_month_and_draws_its_newest() {
    let site = site("map:\n  page_max: 40\n");
    site.build(&[]).success();
    let out = site.public();
    let map = out.page("map/");
    // Its newest month (August 2022: e0690 .. e0699, but e0690 and e0695).
    let newest: Vec<String> = (690..700)
        .filter(|i| i % 5 != 0)
        .map(|i| format!("e{i:04}"))
        .collect();
    assert_eq!(drawn(&map), newest, "map/ draws the newest month");
    // The timeline's map panel shows map/: it says whose entries those are.
    assert!(out.page("").contains(
        "located entries, with the same filters; the map page leads to every other month."
    ));
    // The jump navigation links every year, and the busy year's months.
    for year in 2014..=2022 {
        assert!(
            map.contains(&format!("href=\"../map/{year}/\"")),
            "no link to {year}"
        );
    }
    // A month links its page (a map page has no month groups to point at).
    assert!(map.contains("href=\"../map/2022/03/\""));
    assert!(!map.contains("#y20"));
    // The lede counts the site's located entries, each page its own.
    assert!(map.contains("Located entries: 560;"));

    // Years within the limit (40 located) draw theirs; 2022 (240) leads to
    // its months, and March (160) is cut into parts of 40.
    let mut seen = Vec::new();
    for year in 2014..=2021 {
        let page = out.page(&format!("map/{year}/"));
        assert!(page.contains("aria-current=\"page\""), "{year} is marked");
        assert!(page.contains(&format!("<a href=\"../../map/\">Map</a> · {year}</h1>")));
        assert!(
            page.contains(&format!("<title>{year} · Map")),
            "{year}'s title"
        );
        seen.extend(drawn(&page));
    }
    let busy = out.page("map/2022/");
    assert!(
        !busy.contains("id=\"map\""),
        "a year leading to its months draws no empty map"
    );
    assert!(busy.contains("Located entries: 560;"));
    assert!(
        drawn(&busy).is_empty(),
        "a year over the limit leads to its months"
    );
    let mut paths = vec!["map/2022/01/".to_string(), "map/2022/02/".to_string()];
    paths.extend((1..=4).map(|k| match k {
        1 => "map/2022/03/".to_string(),
        k => format!("map/2022/03/page/{k}/"),
    }));
    paths.extend((4..=8).map(|m| format!("map/2022/{m:02}/")));
    for path in &paths {
        let page = out.page(path);
        let ids = drawn(&page);
        assert!(ids.len() <= 40, "{path} draws {} entries", ids.len());
        seen.extend(ids);
    }
    assert!(!out.exists("map/2022/03/page/5/index.html"));
    // Parts of a month have titles of their own.
    assert!(
        out.page("map/2022/03/")
            .contains("<title>March 2022 · Map · Maps</title>")
    );
    assert!(
        out.page("map/2022/03/page/2/")
            .contains("<title>March 2022 · Map · Page 2 of 4 · Maps</title>")
    );
    // Every link of every depth of map page leads somewhere: the marks and
    // items are written for the page's own way back to the root.
    for path in [
        "map/",
        "map/2014/",
        "map/2022/",
        "map/2022/03/",
        "map/2022/03/page/2/",
    ] {
        assert_eq!(broken_links(&out, path), Vec::<String>::new(), "{path}");
    }
    assert_eq!(seen, located(), "every located entry once, in order");
    // The same frame everywhere: the map's view is the whole site's.
    let view = |html: &str| {
        let at = html.find("data-view=\"").unwrap();
        html[at..at + 60].to_string()
    };
    assert_eq!(view(&map), view(&out.page("map/2014/")));
    // The sitemap lists the new pages.
    let sitemap = out.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/map/2022/03/page/2/"));
}

#[test]
fn within_the_limit_the_map_draws_every_located_entry_on_one_page() {
    let site = site("");
    site.build(&[]).success();
    let out = site.public();
    let map = out.page("map/");
    assert_eq!(drawn(&map), located());
    assert!(!map.contains("term-jump"));
    assert!(
        out.page("")
            .contains("located entries: 560, with the same filters.")
    );
    assert!(!out.exists("map/2022/index.html"));
}

#[test]
fn the_map_page_max_must_be_a_positive_number() {
    let site = site("map:\n  page_max: 0\n");
    site.build(&[])
        .exit(1)
        .error_at("site.yaml", 5, &["page_max"]);
}

#[test]
fn a_cached_rebuild_of_a_split_map_equals_a_clean_build() {
    let site = site("map:\n  page_max: 40\n");
    site.build(&[]).success();
    common::check_cached_rebuild_of_moved_events(
        &site,
        60,
        "  location: {lat: 48.5, lon: 35.1}\n",
        "map/2021/07/index.html",
    );
}
