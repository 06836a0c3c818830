//! Term pages of a term with more entries than `term_page_max`: the term's
//! page shows its newest month and a jump navigation to a page per year
//! (per month in a year over the limit, cut into parts in a month over it),
//! every entry of the term is listed on exactly one of them, and every link
//! holds (the build checks its internal links). A term within the limit
//! keeps its one page, at the same address.

mod common;

use std::collections::BTreeSet;

use common::Site;

/// 400 events over 2014–2021, then 300 in 2022 (200 of them in March, 50
/// from April to August);
/// every fourth is on the `military` track, so it has 175 entries: 100
/// before 2022, 75 in 2022, 50 of them in March.
fn site(extra_config: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!("title: Terms\nbase_url: https://example.org/\ntimezone: UTC\n{extra_config}"),
    );
    let mut yaml = String::new();
    for i in 0..700usize {
        let (year, month, day) = common::period_date(i);
        yaml.push_str(&format!(
            "- id: e{i:04}\n  date: {year}-{month:02}-{day:02}\n  title: Event {i}\n  track: {}\n  tags: [t{}]\n",
            ["military", "diplomacy", "economy", "energy"][i % 4],
            i % 30,
        ));
    }
    site.write("content/events/all.yaml", yaml);
    site
}

/// The ids of the entries a page lists (its cards' links).
fn listed(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let main = html.split("<main").nth(1).unwrap_or(html);
    for (at, _) in main.match_indices("class=\"e-title\"") {
        let rest = &main[at..];
        let Some(start) = rest.find("events/") else {
            continue;
        };
        let id = &rest[start + 7..];
        out.push(id[..id.find('/').unwrap()].to_string());
    }
    out
}

fn military() -> Vec<String> {
    (0..700)
        .filter(|i| i % 4 == 0)
        .map(|i| format!("e{i:04}"))
        .collect()
}

#[test]
fn a_term_over_the_limit_gets_a_page_per_year_and_month_and_shows_its_newest() {
    let site = site("term_page_max: 40\n");
    site.build(&[]).success();
    let out = site.public();
    let term = out.page("tracks/military/");
    // Its newest month (August 2022: e0690 .. e0699, military every fourth).
    let newest: Vec<String> = (690..700)
        .filter(|i| i % 4 == 0)
        .map(|i| format!("e{i:04}"))
        .collect();
    assert_eq!(
        listed(&term),
        newest,
        "the term's page lists its newest month"
    );
    // The jump navigation links every year, and the busy year's months.
    for year in 2014..=2022 {
        assert!(
            term.contains(&format!("href=\"../../tracks/military/{year}/\"")),
            "no link to {year}"
        );
    }
    assert!(term.contains("href=\"../../tracks/military/2022/03/#y2022-03\""));
    assert!(term.contains("href=\"../../tracks/military/2021/#y2021-04\""));
    // The finder, for readers with JavaScript.
    assert!(term.contains("href=\"../../?track=military\""));

    // Years within the limit list their entries; 2022 (75) leads to its
    // months, and March (50) is cut into two parts.
    let mut seen = Vec::new();
    for year in 2014..=2021 {
        let page = out.page(&format!("tracks/military/{year}/"));
        assert!(page.contains("aria-current=\"page\""), "{year} is marked");
        seen.extend(listed(&page));
    }
    let busy = out.page("tracks/military/2022/");
    assert!(
        listed(&busy).is_empty(),
        "a year over the limit lists its months"
    );
    for month in ["01", "02", "04", "05", "06", "07", "08"] {
        assert!(busy.contains(&format!("href=\"../../../tracks/military/2022/{month}/\"")));
    }
    for path in [
        "tracks/military/2022/01/",
        "tracks/military/2022/02/",
        "tracks/military/2022/03/",
        "tracks/military/2022/03/page/2/",
        "tracks/military/2022/04/",
        "tracks/military/2022/05/",
        "tracks/military/2022/06/",
        "tracks/military/2022/07/",
        "tracks/military/2022/08/",
    ] {
        let page = out.page(path);
        let ids = listed(&page);
        assert!(ids.len() <= 40, "{path} lists {} entries", ids.len());
        seen.extend(ids);
    }
    assert!(!out.exists("tracks/military/2022/03/page/3/index.html"));
    let march = out.page("tracks/military/2022/03/");
    // The second part has a title of its own.
    let second = out.title("tracks/military/2022/03/page/2/");
    assert!(second.contains(" · Page 2 of 2 · "), "{second}");
    assert!(!out.title("tracks/military/2022/03/").contains("Page "));
    assert!(march.contains("href=\"../../../../tracks/military/2022/03/page/2/\" rel=\"next\""));
    assert_eq!(seen, military(), "every entry of the term once, in order");

    // A term within the limit keeps its one page.
    let tag = out.page("tags/t0/");
    assert!(!tag.contains("term-jump"));
    assert_eq!(listed(&tag).len(), 24);
    assert!(!out.exists("tags/t0/2014/index.html"));

    // The sitemap lists the new pages.
    let sitemap = out.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/tracks/military/2022/03/page/2/"));
}

#[test]
fn within_the_default_limit_a_term_page_lists_everything_as_before() {
    let site = site("");
    site.build(&[]).success();
    let out = site.public();
    let term = out.page("tracks/military/");
    assert_eq!(listed(&term), military());
    assert!(!term.contains("term-jump"));
    assert!(!out.exists("tracks/military/2022/index.html"));
    let ids: BTreeSet<String> = listed(&term).into_iter().collect();
    assert_eq!(ids.len(), 175);
}

#[test]
fn term_page_max_must_be_a_positive_number() {
    let site = site("term_page_max: 0\n");
    site.build(&[])
        .exit(1)
        .error_at("site.yaml", 4, &["term_page_max"]);
}

#[test]
fn a_cached_rebuild_of_split_term_pages_equals_a_clean_build() {
    let site = site("term_page_max: 40\n");
    site.build(&[]).success();
    common::check_cached_rebuild_of_moved_events(
        &site,
        200,
        "  track: military\n",
        "tracks/military/2021/07/index.html",
    );
}
