//! Output folders at scale: a site above its `folder_limit` gets its entry
//! pages in dated folders, and every link to them (pages, search index,
//! `timeline.json`, sitemap, feed, exports) leads to a file the build wrote;
//! a small site keeps `events/ID/`; a long timeline's pager stays short.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use common::{Output, Site, attr_values, entries};

/// A site of generated events (`per_day` on each of `days` days of
/// 2022-03, one dated by month only, one by year only, three in 2021) and
/// two articles, one linking an event page from its Markdown.
fn generated(limit: usize, per_page: usize, days: usize, per_day: usize) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!(
            "title: Generated\nbase_url: https://example.org/war/\ntimezone: Europe/Kyiv\n\
             per_page: {per_page}\nfolder_limit: {limit}\n"
        ),
    );
    let mut events = String::new();
    for d in 1..=days {
        for i in 0..per_day {
            let _ = write!(
                events,
                "- id: e-{d}-{i}\n  date: 2022-03-{d:02}\n  title: Event {d} {i}\n  \
                 track: military\n  tags: [t{}]\n  summary: Day {d}, number {i}.\n",
                i % 3
            );
            if d == 1 && i == 0 {
                events.push_str("  sources:\n    - article: report\n");
            }
        }
    }
    events.push_str("- id: march-only\n  date: 2022-03\n  title: Sometime in March\n");
    events.push_str("- id: year-only\n  date: 2022\n  title: Sometime in 2022\n");
    for i in 0..3 {
        let _ = write!(
            events,
            "- id: old-{i}\n  date: 2021-0{}-01\n  title: Old {i}\n",
            i + 1
        );
    }
    site.write("content/events/generated.yaml", events);
    // Written where the page of old-1 is: dated above the limit.
    let old = if limit < days * per_day + 5 {
        "2021/old-1"
    } else {
        "old-1"
    };
    site.write(
        "content/articles/report.md",
        format!(
            "---\ntitle: The report\nslug: report\ndate: 2022-03-02\nevents: [old-0]\n---\n\
             Read [the old one](../../events/{old}/).\n"
        ),
    );
    site.write(
        "content/articles/other.md",
        "---\ntitle: Another\nslug: other\ndate: 2021-05-01\n---\nText.\n",
    );
    site
}

/// Every `href` and `src` of every HTML page that stays on the site,
/// resolved from the page's folder, missing from the output.
fn broken_links(out: &Output) -> Vec<String> {
    let files: BTreeSet<String> = out.files().into_iter().collect();
    let mut broken = Vec::new();
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = out.read(page);
        let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        for attr in ["href", "src"] {
            for link in attr_values(&html, attr) {
                let link = link.split(['#', '?']).next().unwrap_or("");
                if link.is_empty() || link.contains(':') || link.starts_with("//") {
                    continue;
                }
                let mut parts: Vec<&str> = if link.starts_with('/') {
                    // Absolute paths start with the base path, /war/.
                    Vec::new()
                } else {
                    folder.split('/').filter(|s| !s.is_empty()).collect()
                };
                let rel = link.strip_prefix("/war/").unwrap_or(link);
                for seg in rel.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let target = parts.join("/");
                let found = files.contains(&target)
                    || files.contains(&format!("{target}/index.html"))
                    || (target.is_empty() && files.contains("index.html"));
                if !found {
                    broken.push(format!("{page}: {link}"));
                }
            }
        }
    }
    broken
}

/// The path below the base URL of an absolute URL of the site.
fn below_base(url: &str) -> &str {
    url.strip_prefix(common::BASE_URL)
        .unwrap_or_else(|| panic!("{url} is not on the site"))
}

#[test]
fn a_site_above_the_limit_gets_dated_folders_with_working_links() {
    // 2022 holds 5 x 3 + 2 = 17 events (> 6): by month; March 16 (> 6): by
    // day, each day 3. 2021 holds 3: a year folder.
    let site = generated(6, 10, 5, 3);
    site.build(&[]).success();
    let out = site.public();
    assert!(out.exists("events/2022/03/01/e-1-0/index.html"));
    assert!(out.exists("events/2022/03/05/e-5-2/index.html"));
    assert!(out.exists("events/2022/03/march-only/index.html"));
    assert!(out.exists("events/2022/year-only/index.html"));
    assert!(out.exists("events/2021/old-0/index.html"));
    assert!(!out.exists("events/e-1-0"), "no flat folder is left");
    // Two articles are under the limit: their URLs stay.
    assert!(out.exists("articles/report/index.html"));
    // No folder holds more than the limit of entry pages.
    for folder in ["events", "events/2022", "events/2022/03", "events/2021"] {
        let n = std::fs::read_dir(out.dir.join(folder)).unwrap().count();
        assert!(n <= 6, "{folder} holds {n}");
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // Data files link the new paths.
    let timeline = out.timeline();
    for e in entries(&timeline) {
        let url = e["url"].as_str().unwrap();
        assert!(
            out.exists(&format!("{}index.html", below_base(url))),
            "{url}"
        );
    }
    let sitemap = out.read("sitemap.xml");
    for loc in common::element_texts(&sitemap, "loc") {
        let path = below_base(loc);
        assert!(
            out.exists(&format!("{path}index.html")) || out.exists(path),
            "{loc}"
        );
    }
    assert!(sitemap.contains("events/2022/03/02/e-2-1/"));
    assert!(out.read("feed.xml").contains("events/2022/03/05/"));
    assert!(out.read("events.csv").contains("events/2022/03/01/e-1-0/"));
    // The search index names a `path` column and its row shards give each
    // row its path.
    let index = out.read("search-index.js");
    assert!(index.contains(r#""path"]"#), "{}", &index[..400]);
    let rows: String = walkdir::WalkDir::new(out.dir.join("search/r"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(rows.contains(r#""events/2022/03/01/e-1-0/""#));
    // The event page's previous and next link the dated folders.
    let page = out.read("events/2022/03/01/e-1-1/index.html");
    assert!(
        page.contains("../../../../../events/2022/03/01/e-1-2/"),
        "next"
    );
    site.run(&["verify"]).success().prints("ok: all ");
}

#[test]
fn a_markdown_link_to_a_flat_path_of_a_sharded_site_is_reported() {
    let site = generated(6, 10, 5, 3);
    site.write(
        "content/articles/other.md",
        "---\ntitle: Another\nslug: other\ndate: 2021-05-01\n---\nSee [it](../../events/old-1/).\n",
    );
    let run = site.build(&[]);
    run.exit(1);
    run.error_at(
        "content/articles/other.md",
        6,
        &["broken link", "events/old-1/"],
    );
}

#[test]
fn a_site_under_the_limit_keeps_its_urls() {
    let site = generated(20_000, 10, 5, 3);
    site.build(&[]).success();
    let out = site.public();
    assert!(out.exists("events/e-1-0/index.html"));
    assert!(out.exists("events/old-0/index.html"));
    assert!(!out.exists("events/2022"));
    let index = out.read("search-index.js");
    assert!(!index.contains(r#""path""#));
    let url = entries(&out.timeline())[0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with("https://example.org/war/events/old-0/"),
        "{url}"
    );
}

#[test]
fn the_default_limit_keeps_the_fixture_urls() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let out = site.public();
    assert!(out.exists("events/a-strike/index.html"));
    assert!(out.exists("articles/invasion-explainer/index.html"));
}

#[test]
fn a_long_timeline_pager_lists_the_pages_near_the_current_one() {
    // 23 entries one per page: 23 pages, more than the 20 a pager lists in full.
    let site = generated(20_000, 1, 4, 4);
    site.build(&[]).success();
    let out = site.public();
    let page = out.read("page/12/index.html");
    let pager = page.split(r#"<nav class="pager""#).nth(1).unwrap();
    let pager = pager.split("</nav>").next().unwrap();
    let numbers: Vec<&str> = attr_values(pager, "href").into_iter().collect();
    assert_eq!(
        numbers,
        [
            "../../page/11/",
            "../../",
            "../../page/9/",
            "../../page/10/",
            "../../page/11/",
            "../../page/13/",
            "../../page/14/",
            "../../page/15/",
            "../../page/23/",
            "../../page/13/"
        ]
    );
    assert_eq!(pager.matches("pg-gap").count(), 2);
    assert!(pager.contains(r#"aria-current="page""#));
    // A pager of 20 pages lists them all.
    let site = generated(20_000, 1, 4, 4);
    site.write(
        "site.yaml",
        site.read("site.yaml").replace("per_page: 1", "per_page: 2"),
    );
    site.build(&[]).success();
    let page = site.public().read("page/5/index.html");
    assert!(!page.contains("pg-gap"));
    let broken = broken_links(&site.public());
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_folder_above_the_limit_is_warned_about() {
    // 23 entries one per page: page/ holds pages 2 to 23, more than 10.
    let site = generated(10, 1, 4, 4);
    let run = site.build(&[]);
    run.success();
    run.prints("the output folder page/ holds 22 entries, more than folder_limit (10)");
    // Entry pages keep within it by themselves.
    assert!(!run.stderr.contains("folder events/"), "{}", run.stderr);
    // Under the limit, no warning.
    let site = generated(20_000, 1, 4, 4);
    let run = site.build(&[]);
    assert!(!run.stderr.contains("output folder"), "{}", run.stderr);
}
