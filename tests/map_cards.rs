//! The small locator map of every entry card (issue 22, point 1): one
//! shared `map/card.svg` behind a dot placed by geography, a text
//! alternative naming the place, on every page that lists the card; and
//! the map's and media's words taken from the translation tables.

mod common;

use common::Site;

const SITE: &str = "title: Card maps\nbase_url: https://example.org/c/\n";

const PLACES: &str = "\
- id: kyiv
  name: Kyiv
  lat: 50.45
  lon: 30.52
- id: lviv
  name: Lviv
  lat: 49.84
  lon: 24.03
- id: nowhere
  name: Nowhere
";

const EVENTS: &str = "\
- id: west
  date: 2022-02-24
  title: In the west
  tags: [shared]
  places: [lviv]
- id: east
  date: 2022-02-25
  title: In the east
  tags: [shared]
  location: {name: Brovary, lat: 50.51, lon: 30.79, precision: region}
- id: nowhere-at-all
  date: 2022-02-26
  title: Unplaced
  tags: [shared]
  places: [nowhere]
";

fn site(extra: &str) -> Site {
    let s = Site::empty();
    s.write("site.yaml", format!("{SITE}{extra}"))
        .write("content/places.yaml", PLACES)
        .write("content/events/e.yaml", EVENTS);
    s
}

/// The card of `id` in `page`: from its link to the end of its `<article>`.
fn card<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("events/{id}/\""))
        .unwrap_or_else(|| panic!("no card of {id}"));
    let start = page[..at].rfind("<article").expect("the card's start");
    let end = at + page[at..].find("</article>").expect("the card's end");
    &page[start..end]
}

/// The (cx, cy, r) of a card's locator dot, if it has one.
fn dot(card: &str) -> Option<(f64, f64, f64)> {
    let svg = &card[card.find("<svg class=\"e-loc\"")?..];
    let attr = |name: &str| -> f64 {
        let at = svg.find(&format!(" {name}=\"")).expect("an attribute") + name.len() + 3;
        svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
    };
    Some((attr("cx"), attr("cy"), attr("r")))
}

#[test]
fn every_located_card_has_a_small_map_on_every_page_that_lists_it() {
    let s = site("");
    s.build(&[]).success();
    let out = s.public();
    assert!(dot(card(&out.page("places/lviv/"), "west")).is_some());
    for path in ["", "tags/shared/", "years/2022/"] {
        let page = out.page(path);
        let west = card(&page, "west");
        let east = card(&page, "east");
        // A text alternative naming the place, in the card's own SVG.
        assert!(
            west.contains("<svg class=\"e-loc\" viewBox=\"0 0 90 60\" role=\"img\"><title>On the map: Lviv</title>"),
            "{path}: {west}"
        );
        assert!(
            east.contains("<title>On the map: Brovary</title>"),
            "{path}"
        );
        assert!(
            dot(card(&page, "nowhere-at-all")).is_none(),
            "{path}: an unplaced entry has no map"
        );
        // Placed by geography: Lviv lies west of Brovary, a little south.
        let (wx, wy, wr) = dot(west).unwrap();
        let (ex, ey, er) = dot(east).unwrap();
        assert!(
            wx < ex && wy > ey,
            "{path}: west ({wx}, {wy}), east ({ex}, {ey})"
        );
        for (x, y) in [(wx, wy), (ex, ey)] {
            assert!((0.0..=90.0).contains(&x) && (0.0..=60.0).contains(&y));
        }
        // A location known only to the region is drawn as a wider area.
        assert!(er > wr, "region {er}, settlement {wr}");
        assert!(east.contains("class=\"p-region\""));
        // No copy of the base map in the card: the dot only.
        assert!(!west.contains("<path") && !west.contains("<image"));
    }
    // The one shared base map of the cards: small, a window three by two.
    let svg = out.read("map/card.svg");
    assert!(svg.len() < 30_000, "map/card.svg is {} bytes", svg.len());
    let vb = &svg[svg.find("viewBox=\"").unwrap() + 9..];
    let vb: Vec<f64> = vb[..vb.find('"').unwrap()]
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert!((vb[2] / vb[3] - 1.5).abs() < 0.01, "{vb:?}");
    // The stylesheet sizes the map (so nothing shifts) and draws
    // map/card.svg behind it, relative to itself at the site's root.
    let css_name = out
        .files()
        .into_iter()
        .find(|f| f.starts_with("annals.") && f.ends_with(".css"))
        .unwrap();
    let css = out.read(&css_name);
    let rule = &css[css.find(".e-loc{").expect("the card map's rule")..];
    let rule = &rule[..rule.find('}').unwrap()];
    assert!(
        rule.contains("width:") && rule.contains("height:"),
        "{rule}"
    );
    assert!(rule.contains("url(map/card.svg)"), "{rule}");
    // Geography is not mirrored in a right-to-left language: no
    // physical side in the rule but the map's own.
    assert!(rule.contains("float:inline-end"), "{rule}");
}

#[test]
fn a_site_without_located_entries_has_no_card_maps() {
    let s = Site::empty();
    s.write("site.yaml", SITE).write(
        "content/events/e.yaml",
        "- id: a\n  date: 2022\n  title: A\n",
    );
    s.build(&[]).success();
    let out = s.public();
    assert!(!out.page("").contains("e-loc\""));
    assert!(!out.exists("map/card.svg"));
}

#[test]
fn card_maps_follow_max_precision() {
    // Coarsened to the region: the event's point is rounded at load, so its
    // card's dot is where the published coordinates put it, and the place
    // stands for no more than the region.
    let s = site("map: {max_precision: region}\n");
    s.build(&[]).success();
    let page = s.public().page("");
    let west = card(&page, "west");
    assert!(west.contains("class=\"p-region\""), "{west}");
}

#[test]
fn the_maps_and_medias_words_come_from_the_translation_tables() {
    let s = site("language: uk\n");
    s.write(
        "content/events/m.yaml",
        "- id: with-video\n  date: 2022-03-01\n  title: Відео\n  location: {lat: 50.4, lon: 30.5}\n  media:\n    - url: https://www.youtube.com/watch?v=abcdefghijk\n      caption: Запис\n      credit: Автор\n      license: CC BY 4.0\n",
    );
    s.build(&[]).success();
    let out = s.public();
    let index = out.page("");
    assert!(index.contains(">Мапа</a>"), "the navigation's Map label");
    assert!(index.contains("<title>На мапі: Lviv</title>"));
    assert!(index.contains("<summary>Мапа записів</summary>"));
    let map = out.page("map/");
    assert!(map.contains("<title>Мапа · "), "the map page's title");
    for english in [
        ">Map<",
        "Only what’s on screen",
        "Zoom in",
        "Legend",
        "Drag or use",
        "All tracks",
        "data-w-close=\"Close\"",
    ] {
        assert!(!map.contains(english), "the map page says {english:?}");
    }
    assert!(map.contains("data-w-cluster=\"Записів тут: {n}. Наблизити\""));
    let event = out.page("events/with-video/");
    for english in [
        "Hosted on",
        "Load from",
        "Open on",
        "Credit:",
        "Licence:",
        ">Media <",
    ] {
        assert!(!event.contains(english), "the event page says {english:?}");
    }
    assert!(event.contains("Завантажити з YouTube"), "{event}");
    assert!(event.contains("data-player=\"Програвач YouTube\""));
    assert!(event.contains("Ліцензія: CC BY 4.0"));
}
