//! The built-in theme's HTML and its search index, on the `basic` fixture:
//! what the browser tests (tests/browser/) rely on, checked without a browser.

mod common;

use std::collections::HashSet;

use common::basic::{ARABIC_TITLE, BASIC_ORDER, DRAFT_MARKS, UKRAINIAN_TITLE, built};
use common::{attr_values, main_of};

#[test]
fn the_search_index_holds_every_published_entry_in_order() {
    let site = built(&[]);
    let out = site.public();
    let index = out.search_index();
    let tree = out.tree();
    let js: String = tree
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("search"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let ids: Vec<&str> = index["e"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e[0].as_str().expect("id"))
        .collect();
    assert_eq!(ids, BASIC_ORDER);
    for mark in DRAFT_MARKS {
        assert!(!js.contains(mark), "a draft leaks into the index: {mark}");
    }
    let tracks: Vec<&str> = index["tracks"]
        .as_array()
        .expect("tracks")
        .iter()
        .map(|t| t[0].as_str().expect("slug"))
        .collect();
    let invasion = &index["e"][ids.iter().position(|i| *i == "a-strike").expect("a-strike")];
    assert_eq!(
        tracks[invasion[6].as_u64().expect("track") as usize],
        "military"
    );
    // A day, as YYYYMMDD from its start to its end.
    assert_eq!(
        (invasion[4].as_u64(), invasion[5].as_u64()),
        (Some(20220224), Some(20220224))
    );
    // A year: open month and day at the start, the last day at the end.
    let year = &index["e"][0];
    assert_eq!(
        (year[4].as_u64(), year[5].as_u64()),
        (Some(20220000), Some(20221231))
    );
    let disputed = &index["e"][ids
        .iter()
        .position(|i| *i == "theatre-strike")
        .expect("theatre")];
    assert_eq!(
        index["statuses"][disputed[8].as_u64().expect("status") as usize],
        "disputed"
    );
}

#[test]
fn pages_hold_no_inline_script_or_style_but_json_ld() {
    let site = built(&[]);
    let tree = site.public().tree();
    for (path, bytes) in &tree.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<style"), "{path} has a <style> element");
        assert!(!html.contains(" style=\""), "{path} has a style attribute");
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap_or(0)];
            assert!(
                tag.contains(" src=\"")
                    || tag.contains("type=\"application/ld+json\"")
                    || tag.contains("type=\"application/json\""),
                "{path} has an inline script: {tag}"
            );
        }
        let handler = html.match_indices(" on").find(|(i, _)| {
            let rest = &html[i + 3..];
            let name = rest.bytes().take_while(u8::is_ascii_lowercase).count();
            name > 2 && rest[name..].starts_with("=\"")
        });
        assert!(handler.is_none(), "{path} has an event handler attribute");
    }
}

/// The reader's theme stays light: what the index loads from the site (its
/// stylesheet and script, uncompressed) is under 40 KB, and nothing is loaded
/// from anywhere else.
#[test]
fn the_index_loads_under_40_kb_of_css_and_js_and_nothing_external() {
    let site = built(&[]);
    let out = site.public();
    let index = out.read("index.html");
    // What the page fetches: `src` attributes, and the `href` of `<link>` elements
    // that are not mere references (canonical, alternate).
    let mut loaded: Vec<&str> = attr_values(&index, "src");
    for (i, _) in index.match_indices("<link ") {
        let tag = &index[i..i + index[i..].find('>').expect("a closed tag")];
        if !tag.contains("rel=\"canonical\"") && !tag.contains("rel=\"alternate\"") {
            loaded.extend(attr_values(tag, "href"));
        }
    }
    let mut assets = Vec::new();
    for url in loaded {
        assert!(!url.contains("//"), "the index loads {url} from elsewhere");
        if url.ends_with(".css") || url.ends_with(".js") {
            assets.push(url.trim_start_matches("./").to_string());
        }
    }
    assert_eq!(assets.len(), 2, "one stylesheet and one script: {assets:?}");
    let bytes: usize = assets.iter().map(|a| out.read(a).len()).sum();
    assert!(
        bytes < 40_000,
        "CSS and JS of the index weigh {bytes} bytes"
    );
}

#[test]
fn user_text_is_marked_dir_auto_wherever_it_is_shown() {
    let site = built(&[]);
    let out = site.public();
    let article = out.page("articles/jeddah-talks-notes/");
    assert!(
        article.contains(&format!("<h1 dir=\"auto\">{ARABIC_TITLE}</h1>")),
        "the Arabic title of its page is not dir=auto"
    );
    // The timeline page that lists it, and the page of a Ukrainian title.
    let listed = (1..=10)
        .map(|n| match n {
            1 => out.page(""),
            n => out.page(&format!("page/{n}/")),
        })
        .find(|p| p.contains(ARABIC_TITLE))
        .expect("a timeline page lists the Arabic title");
    assert!(listed.contains(&format!("dir=\"auto\">{ARABIC_TITLE}</a>")));
    let event = out.page("events/kherson-liberated/");
    assert!(event.contains(&format!("<h1 dir=\"auto\">{UKRAINIAN_TITLE}</h1>")));
}

#[test]
fn event_pages_carry_json_ld_open_graph_sources_and_context() {
    let site = built(&[]);
    let page = site.public().page("events/a-strike/");
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").expect("end of JSON-LD");
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).expect("JSON-LD parses");
    assert_eq!(data["@type"], "Event");
    assert_eq!(data["startDate"], "2022-02-24T05:00:00+02:00");
    assert_eq!(data["url"], "https://example.org/war/events/a-strike/");
    for meta in [
        "property=\"og:title\"",
        "property=\"og:description\"",
        "property=\"og:type\" content=\"article\"",
        "name=\"twitter:card\"",
    ] {
        assert!(page.contains(meta), "no {meta}");
    }
    let main = main_of(&page);
    assert!(main.contains("class=\"mini-i"), "no mini-timeline");
    assert_eq!(
        main.matches("aria-current=\"page\"").count(),
        1,
        "one current entry"
    );
    assert!(main.contains("id=\"permalink\""), "no permalink");
    assert!(main.contains("rel=\"prev\"") && main.contains("rel=\"next\""));
}

#[test]
fn jump_links_and_era_links_land_on_their_anchors() {
    let site = built(&[]);
    let out = site.public();
    let index = out.page("");
    let mut checked = 0;
    for href in attr_values(&index, "href") {
        let Some((path, anchor)) = href.split_once('#') else {
            continue;
        };
        let target = path.trim_start_matches("./");
        let page = out.page(target);
        assert!(
            page.contains(&format!("id=\"{anchor}\"")),
            "{href} from the index: no id {anchor} on /{target}"
        );
        checked += 1;
    }
    assert!(checked > 10, "only {checked} jump links");
    assert!(index.contains("class=\"era-card\""), "no era cards");
    let eras: HashSet<&str> = attr_values(&index, "data-era-id").into_iter().collect();
    assert_eq!(eras, HashSet::from(["full-scale", "aftermath"]));
}

#[test]
fn entries_show_track_as_text_and_honest_dates() {
    let site = built(&[]);
    let out = site.public();
    let all: String = (1..=10)
        .filter_map(|n| {
            let path = if n == 1 {
                String::new()
            } else {
                format!("page/{n}/")
            };
            out.exists(&format!("{path}index.html"))
                .then(|| out.page(&path))
        })
        .collect();
    // Colour is never alone: the track's name is printed in its label.
    assert!(all.contains("<span class=\"lbl lbl-trk\" dir=\"auto\">military</span>"));
    assert!(
        all.contains("<time datetime=\"2022\" dir=\"auto\">2022</time>"),
        "a year-only date"
    );
    assert!(
        all.contains(">c. March 2022</time>"),
        "an approximate month"
    );
    assert!(all.contains(">16 March 2022?</time>"), "an uncertain day");
    assert!(
        all.contains(
            "class=\"lbl lbl-st b-disputed\"><span class=\"visually-hidden\">Status: </span>Disputed</span>"
        ),
        "a disputed mark"
    );
    assert!(
        all.contains("class=\"lbl lbl-major\">Major</span>"),
        "a major mark"
    );
    assert!(
        all.contains("<article class=\"entry art"),
        "articles look different"
    );
}
