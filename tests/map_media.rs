//! Maps, location honesty, media and the privacy check (issue 22), built
//! with the real binary: the map page's marks, `max_precision` in every
//! output, image variants and their cache, click-to-load remote media,
//! other-origin resources reported, and every kind of bad input.

mod common;

use common::Site;

const SITE: &str = "title: Map test\nbase_url: https://example.org/m/\n";

const PLACES: &str = "- id: kyiv\n  name: Kyiv\n  lat: 50.450123\n  lon: 30.523456\n- id: nowhere\n  name: Nowhere\n";

const EVENTS: &str = "\
- id: own-point
  date: 2022-02-24
  title: Own point
  track: military
  location: {name: Hostomel, lat: 50.588789, lon: 30.204567, precision: near}
- id: by-place
  date: 2022-03-01
  title: By place
  track: diplomacy
  places: [kyiv]
- id: unplaced
  date: 2022-03-02
  title: Nowhere to be seen
  places: [nowhere]
";

fn site(extra_site: &str) -> Site {
    let s = Site::empty();
    s.write("site.yaml", format!("{SITE}{extra_site}"))
        .write("content/places.yaml", PLACES)
        .write("content/events/e.yaml", EVENTS);
    s
}

#[test]
fn the_map_page_has_one_mark_per_located_entry() {
    let s = site("");
    s.build(&[]).success();
    let out = s.public();
    let map = out.page("map/");
    assert_eq!(map.matches("<a class=\"mark ").count(), 2, "{map}");
    assert_eq!(map.matches("<li id=\"at-").count(), 2);
    assert!(map.contains("data-id=\"own-point\"") && map.contains("data-id=\"by-place\""));
    assert!(!map.contains("data-id=\"unplaced\""));
    assert!(
        map.contains("without a place, only on the timeline: 1"),
        "the unlocated entry is counted"
    );
    // The legend names each track in words, beside its colour.
    assert!(map.contains(
        "<li class=\"tone-0\"><span class=\"sw\" aria-hidden=\"true\"></span>military</li>"
    ));
    // The base map ships with the site: outlines inline, map/base.svg for locators.
    assert!(map.contains("<g class=\"land\"") && map.contains("\"><path d=\"M"));
    let base = out.read("map/base.svg");
    assert!(
        base.len() < 150_000,
        "base map of a country-level view: {} bytes",
        base.len()
    );
    // The map's script and style are the map page's own.
    assert!(
        map.contains("<script src=\"../map.js\"")
            && !out.page("").contains("<script src=\"./map.js\"")
    );
    // The event page shows a locator drawn over the base map.
    let event = out.page("events/own-point/");
    assert!(event.contains("class=\"locator\"") && event.contains("map/base.svg"));
    assert!(event.contains("near this point"));
    // No other origin anywhere but links.
    assert!(!map.contains("src=\"http") && !map.contains("href=\"//"));
}

#[test]
fn a_site_without_located_entries_has_no_map() {
    let s = Site::empty();
    s.write("site.yaml", SITE).write(
        "content/events/e.yaml",
        "- id: a\n  date: 2022\n  title: A\n",
    );
    s.build(&[]).success();
    assert!(!s.public().exists("map/index.html"));
    assert!(!s.public().page("").contains("map/"));
}

/// Every number in `text` that starts like one of `prefixes` has at most
/// `decimals` decimals.
fn assert_coarse(file: &str, text: &str, prefixes: &[&str], decimals: usize) {
    for p in prefixes {
        for (i, _) in text.match_indices(p) {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_ascii_digit()) {
                continue;
            }
            let number: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let places = number.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(
                places <= decimals,
                "{file}: {number} has more than {decimals} decimals"
            );
        }
    }
}

#[test]
fn max_precision_coarsens_every_published_coordinate() {
    let s = site("map:\n  max_precision: settlement\n");
    s.build(&[]).success();
    let out = s.public();
    let mut checked = 0;
    for file in out.files() {
        let Ok(text) = std::fs::read_to_string(s.path("public").join(&file)) else {
            continue;
        };
        assert_coarse(
            &file,
            &text,
            &["50.45", "30.52", "50.58", "50.59", "30.2"],
            2,
        );
        checked += 1;
    }
    assert!(checked > 10);
    let event = out.page("events/own-point/");
    assert!(event.contains("50.59, 30.2"), "rounded to two decimals");
    assert!(event.contains("location known to the settlement"));
    let map = out.page("map/");
    assert!(map.contains("data-lat=\"50.45\" data-lon=\"30.52\""));
    assert!(map.contains("more precisely than “settlement”"));
}

#[test]
fn location_and_media_mistakes_are_reported_together() {
    let s = site("");
    s.build(&[]).success();
    let before = s.tree();
    s.write("content/media/photo.jpg", b"not a jpeg at all");
    s.write(
        "content/events/bad.yaml",
        "\
- id: bad-one
  date: 2022-05-01
  title: Bad one
  location: {lat: 91, lon: 30}
- id: bad-two
  date: 2022-05-02
  title: Bad two
  location: {lat: 50, lon: 30, precision: street}
  media:
    - file: media/phota.jpg
      alt: A photo
    - file: media/photo.jpg
      alt: Not really a photo
    - file: media/photo.jpg
    - url: ftp://example.org/clip.mp4
",
    );
    let run = s.build(&[]);
    run.exit(1);
    let f = "content/events/bad.yaml";
    run.error_at(f, 4, &["lat", "91"]);
    run.error_at(f, 8, &["unknown precision \"street\"", "settlement"]);
    run.error_at(
        f,
        10,
        &[
            "media file \"media/phota.jpg\" not found",
            "did you mean `media/photo.jpg`",
        ],
    );
    run.error_at(f, 14, &["an image needs `alt`"]);
    run.error_at(f, 15, &["ftp://example.org/clip.mp4", "http"]);
    s.remove("content/events/bad.yaml");
    s.write(
        "content/events/bad.yaml",
        "- id: bad-three\n  date: 2022-05-03\n  title: Bad three\n  media:\n    - file: media/photo.jpg\n      alt: Not really a photo\n",
    );
    let run = s.build(&[]);
    run.exit(1);
    run.error_at(f, 5, &["media/photo.jpg", "not a readable image"]);
    s.remove("content/events/bad.yaml");
    s.remove("content/media/photo.jpg");
    std::fs::remove_dir(s.path("content/media")).unwrap();
    common::assert_same_tree(&before, &s.tree(), "a failed build");
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x % 256) as u8,
            (y % 256) as u8,
            ((x / 7 + y / 5) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn images_get_sizes_variants_and_a_cache() {
    let s = site("");
    s.write("content/media/front.png", png(1200, 800));
    s.write(
        "content/events/m.yaml",
        "\
- id: with-media
  date: 2022-06-01
  title: With media
  media:
    - file: media/front.png
      alt: A coloured test card
      caption: The test card
      credit: Jane Doe
      license: CC BY 4.0
      content_warning: Bright colours
    - url: https://www.youtube.com/watch?v=abc123
      caption: A video
      credit: Someone
",
    );
    let first = s.build(&["--timings"]);
    first
        .success()
        .prints("images: 1 published, 1 resized, 0 from the cache");
    let out = s.public();
    for f in [
        "media/front.png",
        "media/front-480.png",
        "media/front-960.png",
    ] {
        assert!(out.exists(f), "{f}");
    }
    let page = out.page("events/with-media/");
    assert!(page.contains("width=\"1200\" height=\"800\""), "{page}");
    assert!(page.contains("media/front-480.png 480w"));
    assert!(page.contains("alt=\"A coloured test card\""));
    assert!(page.contains("Credit: Jane Doe · Licence: CC BY 4.0"));
    assert!(page.contains("<details class=\"cw\">"));
    // Remote media: a placeholder, no frame, the provider named.
    assert!(page.contains("Hosted on YouTube"));
    assert!(
        page.contains("data-embed=\"https://www.youtube-nocookie.com/embed/abc123?autoplay=1\"")
    );
    assert!(!page.contains("<iframe"));
    // The second build resizes nothing.
    let second = s.build(&["--timings"]);
    second
        .success()
        .prints("images: 1 published, 0 resized, 1 from the cache");
    let variant = s.path("public/media/front-480.png");
    let decoded = image::open(&variant).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 320));
}

#[test]
fn resources_from_other_origins_are_reported_with_file_and_line() {
    let s = site("");
    s.write(
        "templates/base.html",
        "<!DOCTYPE html>\n<html><head>\n<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2?family=Inter\">\n{% block head %}{% endblock head %}</head><body>{% block main %}{% endblock main %}</body></html>\n",
    );
    s.write(
        "static/extra.css",
        "body{color:red}\n@font-face{font-family:X;src:url(https://fonts.gstatic.com/x.woff2)}\n",
    );
    let run = s.build(&[]);
    run.success();
    for (file, line, host) in [
        ("templates/base.html", 3, "fonts.googleapis.com"),
        ("static/extra.css", 2, "fonts.gstatic.com"),
    ] {
        let prefix = format!("warning: {file}:{line}:");
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&prefix)
                && l.contains(host)
                && l.contains("another origin")),
            "expected a warning at {file}:{line}\n{}",
            run.stderr
        );
    }
    s.write("site.yaml", format!("{SITE}privacy: strict\n"));
    let run = s.build(&[]);
    run.exit(1);
    run.error_at(
        "templates/base.html",
        3,
        &["web font", "fonts.googleapis.com"],
    );
    run.error_at("static/extra.css", 2, &["fonts.gstatic.com"]);
}

#[test]
fn the_example_site_fetches_nothing_from_other_origins() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::run_in(root, &["check"], &[]);
    run.success();
    assert!(!run.stderr.contains("another origin"), "{}", run.stderr);
}

#[test]
fn check_measures_images_but_resizes_and_writes_nothing() {
    let s = site("");
    s.write("content/media/front.png", png(1200, 800));
    s.write(
        "content/events/m.yaml",
        "- id: with-media\n  date: 2022-06-01\n  title: With media\n  media:\n    - file: media/front.png\n      alt: A test card\n",
    );
    // Before any build: no cache, no output, and none made by the check.
    s.run(&["check"]).success();
    assert!(!s.path(".annals").exists(), "check wrote the image cache");
    assert!(!s.path("public").exists(), "check wrote output");
    // A broken image is still an error of the check, at its line.
    s.write("content/media/front.png", b"not a png at all");
    s.run(&["check"]).exit(1).error_in(
        "content/events/m.yaml",
        &["media/front.png", "not a readable image"],
    );
    assert!(!s.path(".annals").exists());
    // After a build, the check leaves the cache as the build left it.
    s.write("content/media/front.png", png(1200, 800));
    s.build(&[]).success();
    let cache = |s: &Site| {
        let mut names: Vec<(String, u64)> = std::fs::read_dir(s.path(".annals/media"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().len(),
                )
            })
            .collect();
        names.sort();
        names
    };
    let before = cache(&s);
    assert!(!before.is_empty());
    s.run(&["check"]).success();
    assert_eq!(cache(&s), before);
}

#[test]
fn events_gpx_has_a_waypoint_per_located_entry_rounded_to_its_precision() {
    let s = site("map: {max_precision: near}\n");
    s.build(&[]).success();
    let out = s.public();
    let text = out.read("events.gpx");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let gpx = doc.root_element();
    assert_eq!(gpx.tag_name().name(), "gpx");
    assert_eq!(
        gpx.tag_name().namespace(),
        Some("http://www.topografix.com/GPX/1/1")
    );
    assert_eq!(gpx.attribute("version"), Some("1.1"));
    let wpts: Vec<_> = gpx.children().filter(|n| n.has_tag_name("wpt")).collect();
    let child = |n: &roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let names: Vec<String> = wpts.iter().map(|w| child(w, "name").unwrap()).collect();
    assert_eq!(
        names,
        ["Own point", "By place"],
        "the unplaced entry is left out"
    );
    // Own point: 50.588789, 30.204567 known "near" (three decimals);
    // By place: Kyiv from the registry, known to the settlement (two).
    let at = |w: &roxmltree::Node| {
        (
            w.attribute("lat").unwrap().to_string(),
            w.attribute("lon").unwrap().to_string(),
        )
    };
    assert_eq!(at(&wpts[0]), ("50.589".into(), "30.205".into()));
    assert_eq!(at(&wpts[1]), ("50.45".into(), "30.52".into()));
    assert_eq!(
        child(&wpts[0], "time").as_deref(),
        Some("2022-02-24T00:00:00+00:00")
    );
    assert_eq!(child(&wpts[0], "type").as_deref(), Some("event"));
    let link = wpts[0].children().find(|c| c.has_tag_name("link")).unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.org/m/events/own-point/")
    );
    assert!(
        child(&wpts[0], "desc")
            .unwrap()
            .contains("military · confirmed · Hostomel · precision: near")
    );
    // Switched off like the other exports.
    s.write("site.yaml", format!("{SITE}exports: {{gpx: false}}\n"));
    s.build(&[]).success();
    assert!(!s.public().exists("events.gpx"));
    assert!(s.public().exists("events.geojson"));
}
