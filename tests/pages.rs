//! The pages and data files of a good site: escaping, sanitising, non-ASCII
//! text, relative links, base URLs, and every output path of the spec
//! (content-format.md, "Output").

mod common;

use common::basic::{ARABIC_TITLE, SCRIPT_TITLE, UKRAINIAN_TITLE, built};
use common::{BASE_URL, Site, attr_values, element_texts, entry, main_of};

#[test]
fn a_title_with_markup_is_escaped_in_html_and_plain_in_json() {
    let site = built(&[]);
    let out = site.public();
    let page = out.page("events/script-title/");
    assert!(
        main_of(&page).contains("&lt;script&gt;alert(1)"),
        "the escaped title is not on its page:\n{}",
        main_of(&page)
    );
    // No HTML or XML file holds the title unescaped (data files hold it as a string).
    let tree = out.tree();
    let raw: Vec<&str> = tree
        .files_containing("<script>alert")
        .into_iter()
        .filter(|p| p.ends_with(".html") || p.ends_with(".xml"))
        .collect();
    assert!(raw.is_empty(), "unescaped <script>alert in {raw:?}");
    assert_eq!(
        entry(&out.timeline(), "script-title")["title"],
        SCRIPT_TITLE
    );
    assert!(
        out.read("feed.xml")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

#[test]
fn titles_are_plain_text_not_markdown() {
    let site = built(&[]);
    let out = site.public();
    let page = out.page("events/tie-a/");
    assert!(
        main_of(&page).contains("Tie A &amp; *not emphasis*"),
        "{}",
        main_of(&page)
    );
    assert!(
        !page.contains("<em>not emphasis"),
        "the title was rendered as Markdown"
    );
    assert_eq!(
        entry(&out.timeline(), "tie-a")["title"],
        "Tie A & *not emphasis*"
    );
}

#[test]
fn raw_html_in_an_article_body_is_sanitised() {
    let site = built(&[]);
    let page = site.public().page("articles/raw-html/");
    let main = main_of(&page);
    for bad in [
        "<script",
        "alert(\"body",
        "alert(&quot;body",
        "steal()",
        "onclick",
        "onerror",
        "<iframe",
        "evil.example",
    ] {
        assert!(
            !main.contains(bad),
            "{bad:?} from the article body survived:\n{main}"
        );
    }
    assert!(
        !page.contains("alert(\"body\")"),
        "the body's script is in the page"
    );
    // The harmless parts stay.
    assert!(main.contains("Some text before."), "{main}");
    assert!(main.contains("link with a handler"), "{main}");
    assert!(main.contains("Text after."), "{main}");
}

#[test]
fn raw_html_in_an_event_summary_is_sanitised() {
    let site = built(&[]);
    let out = site.public();
    let main = main_of(&out.page("events/script-title/")).to_string();
    for bad in ["alert(2)", "onerror", "steal()"] {
        assert!(
            !main.contains(bad),
            "{bad:?} from the summary survived:\n{main}"
        );
    }
    assert!(
        main.contains("<em>kept</em>"),
        "harmless markup was dropped:\n{main}"
    );
    let tree = out.tree();
    for bad in ["<script>alert(2)", "onerror="] {
        assert_eq!(
            tree.files_containing(bad),
            Vec::<&str>::new(),
            "{bad:?} in the output"
        );
    }
}

#[test]
fn non_ascii_titles_are_intact_in_html_json_and_feed() {
    let site = built(&[]);
    let out = site.public();
    let t = out.timeline();
    assert_eq!(entry(&t, "kherson-liberated")["title"], UKRAINIAN_TITLE);
    assert_eq!(entry(&t, "jeddah-talks-notes")["title"], ARABIC_TITLE);
    let event = out.page("events/kherson-liberated/");
    assert!(
        main_of(&event).contains(UKRAINIAN_TITLE),
        "{}",
        main_of(&event)
    );
    assert!(
        event.contains(&format!("<title>{UKRAINIAN_TITLE}")),
        "no <title> with the title"
    );
    let article = out.page("articles/jeddah-talks-notes/");
    assert!(
        main_of(&article).contains(ARABIC_TITLE),
        "{}",
        main_of(&article)
    );
    assert!(main_of(&article).contains("نص المقال."));
    let feed = out.read("feed.xml");
    assert!(feed.contains(UKRAINIAN_TITLE) && feed.contains(ARABIC_TITLE));
    let on_timeline = out
        .files()
        .iter()
        .filter(|f| *f == "index.html" || f.starts_with("page/"))
        .any(|f| out.read(f).contains(UKRAINIAN_TITLE));
    assert!(on_timeline, "the Ukrainian title is on no timeline page");
}

#[test]
fn event_pages_carry_machine_readable_times() {
    let site = built(&[]);
    let out = site.public();
    let t = out.timeline();
    for e in common::entries(&t).iter().filter(|e| e["kind"] == "event") {
        let id = e["id"].as_str().unwrap();
        let page = out.page(&format!("events/{id}/"));
        assert!(
            page.contains("<time datetime="),
            "events/{id}/ has no <time datetime="
        );
    }
    let strike = out.page("events/a-strike/");
    assert!(strike.contains("<time datetime=\"2022-02-24T05:00:00+02:00\""));
    let day = out.page("events/invasion-day/");
    assert!(day.contains("<time datetime=\"2022-02-24\""));
}

#[test]
fn event_pages_show_external_sources() {
    let site = built(&[]);
    let main = main_of(&site.public().page("events/invasion-day/")).to_string();
    assert!(main.contains("https://news.example.com/invasion"), "{main}");
    assert!(
        main.contains("Invasion begins") && main.contains("Example Wire"),
        "{main}"
    );
}

#[test]
fn links_in_html_pages_are_relative() {
    let site = built(&[]);
    let out = site.public();
    for file in out.files().iter().filter(|f| f.ends_with(".html")) {
        let html = out.read(file);
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if file == "404.html" {
                // Served at any depth: its links start from the base path instead.
                assert!(
                    !url.starts_with('/') || url.starts_with("/war/"),
                    "404.html links to {url}, outside /war/"
                );
            } else {
                assert!(
                    !url.starts_with('/'),
                    "{file} links to the absolute path {url}"
                );
            }
        }
    }
}

/// Every absolute URL of the feed, the sitemap and the JSON starts with `base`,
/// and the sitemap lists every HTML page but the 404 page.
fn assert_urls_start_with(site: &Site, base: &str) {
    let out = site.public();
    let sitemap = out.read("sitemap.xml");
    let locs = element_texts(&sitemap, "loc");
    let pages: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .collect();
    assert_eq!(
        locs.len(),
        pages.len(),
        "sitemap.xml does not list every page"
    );
    for loc in &locs {
        assert!(
            loc.starts_with(base),
            "sitemap <loc>{loc}</loc> is not under {base}"
        );
    }
    for page in &pages {
        let url = format!("{base}{}", page.trim_end_matches("index.html"));
        assert!(locs.contains(&url.as_str()), "sitemap.xml lacks {url}");
    }

    let feed = out.read("feed.xml");
    let hrefs = attr_values(&feed, "href");
    let ids = element_texts(&feed, "id");
    assert!(
        !hrefs.is_empty() && ids.len() > 1,
        "feed.xml has no links or ids:\n{feed}"
    );
    for url in hrefs.iter().chain(&ids) {
        assert!(
            url.starts_with(base),
            "feed.xml URL {url} is not under {base}"
        );
    }

    let t = out.timeline();
    assert_eq!(t["site"]["base_url"], base);
    for e in common::entries(&t) {
        let url = e["url"].as_str().expect("an entry without a url");
        assert!(
            url.starts_with(base),
            "timeline.json url {url} is not under {base}"
        );
    }
}

#[test]
fn every_url_of_feed_sitemap_and_json_carries_the_base_url_path() {
    let site = built(&[]);
    assert_urls_start_with(&site, BASE_URL);
}

#[test]
fn base_url_flag_replaces_the_configured_one() {
    let base = "https://mirror.example.net/x/";
    let site = built(&["--base-url", base]);
    assert_urls_start_with(&site, base);
    let tree = site.public().tree();
    assert_eq!(
        tree.files_containing("example.org/war"),
        Vec::<&str>::new(),
        "the configured base_url is still used"
    );
    // The 404 page, served at any depth, links from the new base path.
    let not_found = site.public().page("404.html");
    assert!(not_found.contains("href=\"/x/"), "{not_found}");
}

#[test]
fn every_output_path_of_the_spec_exists() {
    let site = built(&[]);
    let out = site.public();
    let t = out.timeline();
    let mut expected = vec![
        "index.html",
        "page/2/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "timeline.json",
        "about/index.html",
        "years/index.html",
        "years/2022/index.html",
        "years/2022/02/index.html",
        "years/2025/08/index.html",
        "tags/index.html",
        "tags/invasion/index.html",
        "actors/index.html",
        "actors/vladimir-putin/index.html",
        "places/index.html",
        "places/kyiv/index.html",
        "tracks/index.html",
        "tracks/military/index.html",
    ]
    .into_iter()
    .map(str::to_string)
    .collect::<Vec<_>>();
    for e in common::entries(&t) {
        let folder = if e["kind"] == "event" {
            "events"
        } else {
            "articles"
        };
        expected.push(format!("{folder}/{}/index.html", e["id"].as_str().unwrap()));
    }
    let missing: Vec<&String> = expected.iter().filter(|p| !out.exists(p)).collect();
    assert!(
        missing.is_empty(),
        "missing output files: {missing:?}\nhave: {:#?}",
        out.files()
    );
    // 22 entries, 4 a page.
    assert!(out.exists("page/6/index.html"));
    assert!(!out.exists("page/7"));
    assert!(
        !out.exists("page/1"),
        "the first page is index.html, not page/1/"
    );
}

#[test]
fn taxonomy_pages_list_their_entries() {
    let site = built(&[]);
    let out = site.public();
    let military = main_of(&out.page("tracks/military/")).to_string();
    for id in ["invasion-day", "a-strike", "kherson-liberated"] {
        assert!(
            military.contains(&format!("events/{id}/")),
            "tracks/military/ lacks {id}"
        );
    }
    assert!(
        !military.contains("events/tie-a/"),
        "tracks/military/ lists a diplomacy event"
    );
    let kyiv = main_of(&out.page("places/kyiv/")).to_string();
    assert!(kyiv.contains("events/convoy/") && kyiv.contains("events/invasion-day/"));
    let tag = main_of(&out.page("tags/invasion/")).to_string();
    assert!(tag.contains("articles/early-warning/") && tag.contains("events/invasion-day/"));
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = Site::fixture("basic");
    site.write(
        "templates/event.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1 class=\"own-theme\">{{ event.title }}</h1>\n{% endblock main %}\n",
    );
    site.build(&[]).success();
    let page = site.public().page("events/script-title/");
    assert!(
        page.contains("<h1 class=\"own-theme\">&lt;script&gt;alert(1)"),
        "{page}"
    );
    // Other templates are still the built-in ones.
    assert!(
        !site
            .public()
            .page("articles/raw-html/")
            .contains("own-theme")
    );
}

#[test]
fn the_site_language_sets_html_lang_and_date_names() {
    let site = Site::fixture("basic");
    let config = site
        .read("site.yaml")
        .replace("language: en", "language: uk");
    site.write("site.yaml", config);
    site.build(&[]).success();
    let out = site.public();
    let page = out.page("events/invasion-day/");
    assert!(page.contains("<html lang=\"uk\""), "no <html lang=\"uk\">");
    assert!(out.read("feed.xml").contains("xml:lang=\"uk\""));
    // "used for <html lang> and date names" (content-format.md, site.yaml).
    let shown: Vec<&str> = page
        .split("<time datetime=\"2022-02-24\" dir=\"auto\">")
        .skip(1)
        .filter_map(|rest| rest.split("</time>").next())
        .collect();
    assert!(
        !shown.is_empty(),
        "no <time datetime=\"2022-02-24\"> on the page"
    );
    for text in shown {
        assert!(
            text.contains("лют") && !text.contains("February"),
            "24 February 2022 is shown as {text:?} on a site in Ukrainian"
        );
    }
}

#[test]
fn a_card_whose_text_looks_like_the_root_marker_is_rendered_for_each_page() {
    // Cards are rendered once with a marker where `root` goes and copied
    // into each page with the page's root; text that contains the marker
    // must not be mistaken for it.
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Marker test\nbase_url: https://example.org/\ntimezone: Europe/Kyiv\nper_page: 0\n",
    );
    site.write(
        "content/events/a.yaml",
        "- id: marked\n  date: 2022-02-24\n  title: \"Before \\x01annals-root\\x01 after\"\n  tags: [odd]\n",
    );
    site.build(&[]).success();
    let out = site.public();
    for (page, root) in [
        ("", "./"),
        ("tags/odd/", "../../"),
        ("years/2022/02/", "../../../"),
    ] {
        let html = out.page(page);
        assert!(
            html.contains("Before \u{1}annals-root\u{1} after"),
            "the title lost its text on /{page}"
        );
        assert!(
            html.contains(&format!("href=\"{root}events/marked/\"")),
            "the card's link on /{page} does not start from {root}"
        );
    }
}
