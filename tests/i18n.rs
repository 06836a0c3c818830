//! Sites in other languages and for live trackers: the theme's words from
//! the translation tables, right-to-left pages, newest-first lists, framing
//! for embeds, and `timeline.json` checked against its published schema.

mod common;

use std::fs;
use std::path::Path;

use common::{Site, attr_values};

/// A small Arabic site: titles in Arabic with Latin names and dates inside.
fn arabic_site(extra_config: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!(
            "title: \"حرب في أوكرانيا\"\nbase_url: https://example.org/war/\nlanguage: ar\ntimezone: Europe/Kyiv\nper_page: 2\n{extra_config}"
        ),
    );
    site.write(
        "content/events/2022.yaml",
        "- id: invasion\n  date: 2022-02-24T05:00\n  title: \"بدء الغزو الشامل، وقمة NATO في 24 February\"\n  summary: \"هجوم على Kyiv فجرًا.\"\n  track: \"عسكري\"\n  importance: 5\n  actors: [russia]\n  places: [kyiv]\n  status: disputed\n  content_warning: \"صور قاسية\"\n  sources:\n    - url: https://example.org/a\n      title: \"تقرير\"\n  figures:\n    - {kind: killed, low: 12, high: 1400, best: 85, by: russia, source: 0}\n    - {kind: killed, low: 3, by: \"مراقبون\"}\n    - {kind: injured, high: 2}\n    - {kind: displaced, best: 1}\n    - {kind: detained, low: 2, best: 5}\n    - {kind: missing, best: 7, high: 9}\n  updated: 2022-03-02\n  corrections:\n    - date: 2022-03-02\n      note: \"صُحّح التوقيت.\"\n- id: talks\n  date: 2022-03-29\n  title: \"محادثات في إسطنبول\"\n  track: \"دبلوماسي\"\n  actors: [russia]\n- id: long-war\n  date: 2014\n  end: 2022\n  title: \"حرب في دونباس\"\n  actors: [russia]\n",
    );
    site.write(
        "content/articles/note.md",
        "---\ntitle: \"ملاحظة تحليلية\"\ndate: 2022-03-01\nevents: [invasion]\nactors: [russia]\n---\nنص المقال.\n",
    );
    site
}

/// The English table's words (each a text or its plural forms), split at
/// placeholders, that are long enough to be told from names and codes.
fn english_words() -> Vec<String> {
    let table: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string("i18n/en.yaml").unwrap()).unwrap();
    let mut out = Vec::new();
    for (key, value) in table.as_mapping().unwrap() {
        if key.as_str() == Some("language.name") {
            continue;
        }
        let texts: Vec<String> = match value {
            serde_yaml::Value::String(s) => vec![s.clone()],
            serde_yaml::Value::Mapping(m) => m
                .values()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        for text in texts {
            for part in text.split(['{', '}']) {
                let part = part.trim_matches(|c: char| " .,:;()“”".contains(c));
                let letters = part.chars().filter(char::is_ascii_alphabetic).count();
                if letters >= 4 && !["OpenStreetMap", "JSON", "Atom"].contains(&part) {
                    out.push(part.to_string());
                }
            }
        }
    }
    out
}

/// Text and labelling attributes of a page, without scripts and without
/// what is marked not to be translated (the citation formats' field names).
fn visible_text(html: &str) -> String {
    let out = without(
        &without(html, "<script", "</script>"),
        "<pre class=\"cite-text\" translate=\"no\">",
        "</pre>",
    );
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    for attr in ["aria-label", "placeholder", "title"] {
        for v in attr_values(&out, attr) {
            text.push(' ');
            text.push_str(v);
        }
    }
    text.replace("&amp;", "&").replace("&quot;", "\"")
}

/// `html` without each part from `open` to `close`.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find(close)
            .map_or("", |j| &rest[i + j + close.len()..]);
    }
    out.push_str(rest);
    out
}

/// The text around the first `word` in `text`, for messages.
fn around(text: &str, word: &str) -> String {
    let i = text.find(word).unwrap_or(0);
    let before: String = text[..i].chars().rev().take(80).collect();
    let after: String = text[i..].chars().take(word.len() + 80).collect();
    format!("{}{after}", before.chars().rev().collect::<String>())
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphabetic())
            && !after.is_some_and(|c| c.is_ascii_alphabetic())
    })
}

fn html_pages(dir: &Path) -> Vec<(String, String)> {
    let tree = common::Tree::of(dir);
    tree.files
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn an_arabic_site_is_right_to_left_and_has_no_english_interface_word() {
    let site = arabic_site("");
    site.build(&[]).success();
    let words = english_words();
    assert!(words.len() > 100, "only {} English words", words.len());
    let pages = html_pages(&site.path("public"));
    assert!(pages.len() > 10);
    for (path, html) in &pages {
        assert!(
            html.contains("<html lang=\"ar\" dir=\"rtl\">"),
            "{path}: not an Arabic right-to-left page"
        );
        let text = visible_text(html);
        for w in &words {
            assert!(
                !contains_word(&text, w),
                "{path}: English \"{w}\" left in {}",
                around(&text, w)
            );
        }
    }
    // The text built in Rust (figures, totals, feeds, "cite this") is
    // Arabic too.
    let actor = site.public().page("actors/russia/");
    let totals = &actor[actor.find("class=\"totals\"").expect("totals")..];
    assert!(
        totals.contains("3–1,400 قتيل") && totals.contains("حدثان بلا رقم"),
        "{totals}"
    );
    let event = site.public().page("events/invasion/");
    assert!(
        event.contains("class=\"cite\""),
        "no cite block on an Arabic site"
    );
    assert!(event.contains("حدث بتاريخ"), "the BibTeX note is Arabic");
    for file in ["feed.xml", "corrections.xml"] {
        let xml = site.public().read(file);
        // Less the addresses (`<id>`), which are not words.
        let mut text = visible_text(&without(&xml, "<id>", "</id>"));
        for v in attr_values(&xml, "label") {
            text.push(' ');
            text.push_str(v);
        }
        for w in &words {
            assert!(!contains_word(&text, w), "{file}: English \"{w}\" left");
        }
    }
    assert!(
        site.public()
            .read("corrections.xml")
            .contains("<title>تصحيح: ")
    );
    // The finder's tables of facets, [slug, name, count] each.
    let search = site.public().read("search/facets.js");
    assert!(
        search.contains("[\"killed\",\"قتلى\","),
        "the finder's kinds are Arabic"
    );
    // Dates and Latin names inside Arabic text are isolated.
    let index = site.public().page("");
    assert!(
        index.contains("dir=\"auto\">24 فبراير 2022، 05:00 (UTC+2)</time>"),
        "{index}"
    );
    assert!(index.contains("dir=\"auto\">بدء الغزو الشامل، وقمة NATO في 24 February</a>"));
    // The finder's words come from the Arabic table, in a JSON blob.
    assert!(index.contains("<script type=\"application/json\" id=\"annals-words\">"));
    assert!(index.contains("\"clear\"") || index.contains("مسح الكل"));
}

#[test]
fn arabic_digits_are_a_choice() {
    let site = arabic_site("digits: arabic\n");
    site.build(&[]).success();
    let index = site.public().page("");
    assert!(index.contains("٢٤ فبراير ٢٠٢٢، ٠٥:٠٠ (UTC+٢)"), "{index}");
    let latin = arabic_site("");
    latin.build(&[]).success();
    assert!(latin.public().page("").contains("24 فبراير 2022"));
}

#[test]
fn plural_counts_follow_the_language() {
    let site = arabic_site("");
    site.build(&[]).success();
    let actor = site.public().page("actors/russia/");
    // Three events ("few") and one article ("one"), counted apart.
    assert!(
        actor.contains("3 أحداث، مقال واحد") || actor.contains("3 أحداث, مقال واحد"),
        "{actor}"
    );
}

#[test]
fn term_spans_reach_the_latest_end_and_count_events_and_articles_apart() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nlanguage: en\n",
    );
    site.write(
        "content/events/all.yaml",
        "- id: war\n  date: 2014\n  end: 2022\n  title: The war\n  actors: [x]\n- id: talks\n  date: 2016-05-02\n  title: Talks\n  actors: [x]\n",
    );
    site.write(
        "content/articles/a.md",
        "---\ntitle: A note\ndate: 2015-01-01\nactors: [x]\n---\nText.\n",
    );
    site.build(&[]).success();
    let page = site.public().page("actors/x/");
    assert!(page.contains("2 events, 1 article"), "{page}");
    assert!(
        page.contains("<time datetime=\"2022\" dir=\"auto\">2022</time>"),
        "{page}"
    );
    let list = site.public().page("actors/");
    assert!(
        list.contains("<time datetime=\"2022\" dir=\"auto\">2022</time>"),
        "{list}"
    );
}

#[test]
fn a_site_table_overrides_the_theme_key_by_key_and_check_warns_of_gaps() {
    let site = arabic_site("");
    site.write("i18n/ar.yaml", "nav.archive: المحفوظات\n");
    site.build(&[]).success();
    let index = site.public().page("");
    assert!(index.contains(">المحفوظات</a>"));
    assert!(index.contains(">المسارات</a>"), "other keys stay");
    // A language the theme has no table for: English words, and a warning.
    let de = Site::empty();
    de.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nlanguage: de\n",
    )
    .write("content/events.yaml", "- id: a\n  date: 2022\n  title: A\n");
    let run = de.run(&["check"]);
    run.success();
    assert!(
        run.stderr
            .contains("no translation table for language \"de\""),
        "{}",
        run.stderr
    );
    // A table missing keys: they are listed.
    let partial = Site::empty();
    partial
        .write(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguage: xx\n",
        )
        .write("content/events.yaml", "- id: a\n  date: 2022\n  title: A\n")
        .write("i18n/xx.yaml", "skip: Skip!\n");
    let run = partial.run(&["check"]);
    run.success();
    assert!(
        run.stderr.contains("have no translation into \"xx\""),
        "{}",
        run.stderr
    );
    // A broken table is an error naming the file.
    partial.write("i18n/xx.yaml", "skip: {several: x}\n");
    let run = partial.run(&["check"]);
    run.exit(1);
    assert!(run.stderr.contains("i18n/xx.yaml"), "{}", run.stderr);
}

#[test]
fn newest_first_lists_the_latest_entries_first() {
    let site = arabic_site("order: newest\n");
    site.build(&[]).success();
    let index = site.public().page("");
    let chronicle = &index[index.find("id=\"chronicle\"").unwrap()..];
    let note = chronicle.find("articles/note/").unwrap();
    let talks = chronicle.find("events/talks/").unwrap();
    assert!(talks < note, "talks (29 March) before the note (1 March)");
    assert!(
        !chronicle.contains("events/long-war/"),
        "the oldest is on the last page"
    );
    assert!(index.contains("data-order=\"newest\""));
    // The latest strip lists the entries touched last.
    assert!(index.contains("class=\"latest\""));
}

#[test]
fn embeds_are_framed_only_by_the_allowed_origins() {
    let closed = arabic_site("");
    closed.build(&[]).success();
    let headers = closed.public().read("_headers");
    assert!(headers.contains("frame-ancestors 'none'"));
    assert!(headers.contains("X-Frame-Options: DENY"));
    // The embed page still has a heading and its own landmarks (axe asks for both).
    let embed = closed.public().read("embed/index.html");
    assert!(
        embed.contains("<h1 class=\"visually-hidden\""),
        "the embed page has no <h1>"
    );
    assert!(
        embed.contains("<footer class=\"embed-foot"),
        "the embed link sits outside a landmark"
    );
    let open = arabic_site("embed:\n  allow: [\"https://news.example\"]\n");
    open.build(&[]).success();
    let headers = open.public().read("_headers");
    assert!(
        headers.contains("frame-ancestors 'self' https://news.example"),
        "{headers}"
    );
    assert!(!headers.contains("X-Frame-Options"));
    let embed = open.public().page("embed/");
    assert!(embed.contains("<base target=\"_blank\">"));
    assert!(!embed.contains("class=\"site-header\""));
}

#[test]
fn timeline_json_of_the_example_site_validates_against_its_schema() {
    let site = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    site.write("site.yaml", fs::read(repo.join("site.yaml")).unwrap());
    copy(&repo.join("content"), &site.path("content"));
    site.build(&[]).success();
    let schema: serde_json::Value =
        serde_json::from_str(&site.public().read("timeline.schema.json")).unwrap();
    let timeline = site.public().timeline();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&timeline)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let first = &timeline["entries"][0];
    for field in [
        "summary",
        "display",
        "actors",
        "places",
        "coordinates",
        "language",
    ] {
        assert!(first.get(field).is_some(), "no {field} in {first}");
    }
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_bilingual_site_has_a_tree_per_language_and_links_every_translation_both_ways() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Хроніка\nbase_url: https://example.org/war/\nlanguages: [uk, en]\ntimezone: Europe/Kyiv\n",
    );
    site.write(
        "content/events/a.yaml",
        "- id: invasion\n  date: 2022-02-24T05:00\n  title: {uk: \"Повномасштабне вторгнення\", en: \"Full-scale invasion\"}\n  summary: {uk: \"Опис.\", en: \"A summary.\"}\n- id: only-uk\n  date: 2022-03-01\n  title: \"Лише українською\"\n",
    );
    site.build(&[]).success();
    let out = site.public();
    for tree in ["", "uk/", "en/"] {
        for file in [
            "index.html",
            "timeline.json",
            "feed.xml",
            "search-index.js",
            "events/invasion/index.html",
        ] {
            assert!(out.exists(&format!("{tree}{file}")), "no {tree}{file}");
        }
    }
    let uk = out.page("uk/events/invasion/");
    let en = out.page("en/events/invasion/");
    assert!(
        uk.contains("<html lang=\"uk\" dir=\"ltr\">") && uk.contains("Повномасштабне вторгнення")
    );
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">") && en.contains("Full-scale invasion"));
    assert!(
        en.contains("24 February 2022, 05:00 (UTC+2)")
            && uk.contains("24 лютого 2022, 05:00 (UTC+2)")
    );
    // Every page of every tree links its translations, both ways.
    let pages = html_pages(&site.path("public/en"));
    assert!(pages.len() > 10);
    for (path, html) in &pages {
        if path == "404.html" {
            continue;
        }
        let page = path.trim_end_matches("index.html");
        for lang in ["uk", "en"] {
            // The default language's canonical pages are at the root.
            let tree = if lang == "uk" { "" } else { "en/" };
            let link = format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.org/war/{tree}{page}\">"
            );
            assert!(html.contains(&link), "en/{path} lacks {link}");
            let back = out.page(&format!("{lang}/{path}"));
            assert!(
                back.contains("hreflang=\"en\""),
                "{lang}/{path} does not link back"
            );
        }
    }
    // The Ukrainian tree has no English interface word.
    let words = english_words();
    for (path, html) in html_pages(&site.path("public/uk")) {
        assert!(html.contains("<html lang=\"uk\" dir=\"ltr\">"), "uk/{path}");
        let text = visible_text(&html);
        for w in &words {
            assert!(
                !contains_word(&text, w),
                "uk/{path}: English \"{w}\" left in {}",
                around(&text, w)
            );
        }
    }
    // An entry without an English text is shown in Ukrainian, with a notice.
    let untranslated = out.page("en/events/only-uk/");
    assert!(
        untranslated.contains("class=\"untranslated\"")
            && untranslated.contains("Лише українською")
    );
    assert!(
        !out.page("uk/events/only-uk/")
            .contains("class=\"untranslated\"")
    );
    // Each tree's timeline.json is in its language; ids are shared.
    let en_json: serde_json::Value = serde_json::from_str(&out.read("en/timeline.json")).unwrap();
    assert_eq!(en_json["site"]["language"], "en");
    assert_eq!(en_json["entries"][0]["title"], "Full-scale invasion");
    assert_eq!(
        en_json["entries"][0]["url"],
        "https://example.org/war/en/events/invasion/"
    );
}

/// A bilingual site whose article is written as sibling files.
fn sibling_site(files: &[(&str, &str)]) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Хроніка\nbase_url: https://example.org/war/\nlanguages: [uk, en]\ntimezone: Europe/Kyiv\n",
    );
    site.write(
        "content/events/a.yaml",
        "- id: invasion\n  date: 2022-02-24\n  title: {uk: \"Вторгнення\", en: \"Invasion\"}\n",
    );
    for (path, text) in files {
        site.write(path, *text);
    }
    site
}

const NOTE_UK: &str = "---\ntitle: \"Нотатка\"\nsummary: \"Коротко.\"\ndate: 2022-03-01\nevents: [invasion]\n---\nТекст українською.\n";
const NOTE_EN: &str = "---\ntitle: \"A note\"\nsummary: \"In short.\"\ndate: 2022-03-01\n---\nThe English text, with [the invasion](../../events/invasion/).\n";

#[test]
fn sibling_article_files_are_one_article_in_two_languages() {
    for default_name in ["note.md", "note.uk.md"] {
        let site = sibling_site(&[
            (&format!("content/articles/{default_name}"), NOTE_UK),
            ("content/articles/note.en.md", NOTE_EN),
        ]);
        site.build(&[]).success();
        let out = site.public();
        let uk = out.page("uk/articles/note/");
        let en = out.page("en/articles/note/");
        assert!(uk.contains("Нотатка") && uk.contains("Текст українською."));
        assert!(!uk.contains("The English text"));
        assert!(
            en.contains("A note") && en.contains("The English text"),
            "{en}"
        );
        assert!(!en.contains("Текст українською."));
        assert!(
            !en.contains("class=\"untranslated\""),
            "a translated article has no notice"
        );
        assert!(!out.exists("en/articles/note.en/index.html"));
        // Links are shared: the event page of each tree links the article.
        assert!(out.page("en/events/invasion/").contains("articles/note/"));
        assert!(en.contains("hreflang=\"uk\"") && uk.contains("hreflang=\"en\""));
        let json: serde_json::Value = serde_json::from_str(&out.read("en/timeline.json")).unwrap();
        let note = json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "note")
            .expect("the article in en/timeline.json");
        assert_eq!(note["title"], "A note");
        assert_eq!(note["summary"], "In short.");
    }
}

#[test]
fn sibling_files_give_what_inline_translations_give() {
    let siblings = sibling_site(&[
        (
            "content/articles/note.md",
            "---\ntitle: \"Нотатка\"\nsummary: \"Коротко.\"\ndate: 2022-03-01\nevents: [invasion]\n---\nТекст.\n",
        ),
        (
            "content/articles/note.en.md",
            "---\ntitle: \"A note\"\nsummary: \"In short.\"\n---\n",
        ),
    ]);
    let inline = sibling_site(&[(
        "content/articles/note.md",
        "---\ntitle: {uk: \"Нотатка\", en: \"A note\"}\nsummary: {uk: \"Коротко.\", en: \"In short.\"}\ndate: 2022-03-01\nevents: [invasion]\n---\nТекст.\n",
    )]);
    siblings.build(&[]).success();
    inline.build(&[]).success();
    let a = common::Tree::of(&siblings.path("public"));
    let b = common::Tree::of(&inline.path("public"));
    let names_a: Vec<&String> = a.files.keys().collect();
    let names_b: Vec<&String> = b.files.keys().collect();
    assert_eq!(names_a, names_b);
    for (path, bytes) in &a.files {
        assert!(
            b.files[path] == *bytes,
            "{path} differs between siblings and inline"
        );
    }
}

#[test]
fn bad_sibling_files_are_errors_naming_the_file() {
    let site = sibling_site(&[
        ("content/articles/note.md", NOTE_UK),
        ("content/articles/note.uk.md", NOTE_UK),
        ("content/articles/note.de.md", NOTE_EN),
        ("content/articles/note.en.md", NOTE_EN),
        ("content/articles/note.en.markdown", NOTE_EN),
        ("content/articles/lonely.en.md", NOTE_EN),
        (
            "content/articles/other.md",
            "---\ntitle: Інша\ndate: 2022-04-01\n---\nТекст.\n",
        ),
        (
            "content/articles/other.en.md",
            "---\ntitle: Other\ndate: 2022-04-02\n---\nText.\n",
        ),
    ]);
    let run = site.build(&[]);
    run.exit(1);
    let err = &run.stderr;
    for needle in [
        "content/articles/note.uk.md: the article is already written in the default language in content/articles/note.md",
        "content/articles/note.de.md: the file name gives the language \"de\", which is not one of the site's languages (uk, en)",
        "content/articles/note.en.md: the article is already written in \"en\"",
        "content/articles/lonely.en.md: a translation (\"en\") of an article with no default-language file",
        "content/articles/other.en.md:3",
        "`date` differs from content/articles/other.md",
    ] {
        assert!(err.contains(needle), "no «{needle}» in:\n{err}");
    }
}

#[test]
fn the_root_copy_is_the_canonical_page_of_the_default_language() {
    let site = sibling_site(&[("content/articles/note.md", NOTE_UK)]);
    site.build(&[]).success();
    let out = site.public();
    let canonical = |page: &str| {
        let html = out.page(page);
        let at = html
            .find("<link rel=\"canonical\" href=\"")
            .expect("a canonical link");
        let rest = &html[at + 28..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let base = "https://example.org/war/";
    for (page, want) in [
        ("", ""),
        ("uk/", ""),
        ("en/", "en/"),
        ("events/invasion/", "events/invasion/"),
        ("uk/events/invasion/", "events/invasion/"),
        ("en/events/invasion/", "en/events/invasion/"),
    ] {
        assert_eq!(
            canonical(page),
            format!("{base}{want}"),
            "canonical of /{page}"
        );
        let html = out.page(page);
        let path = want.trim_start_matches("en/");
        for link in [
            format!("<link rel=\"alternate\" hreflang=\"uk\" href=\"{base}{path}\">"),
            format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{base}en/{path}\">"),
            format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}{path}\">"),
        ] {
            assert!(html.contains(&link), "/{page} lacks {link}");
        }
    }
    // Not at the root: the language's folder is canonical.
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}default_language_at_root: false\n"),
    );
    site.build(&[]).success();
    assert_eq!(
        canonical("uk/events/invasion/"),
        format!("{base}uk/events/invasion/")
    );
    assert!(out.page("en/").contains(&format!(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}uk/\">"
    )));
    assert!(!out.exists("events/invasion/index.html"));
}

#[test]
fn messages_count_correctly() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\n")
        .write(
            "content/events/a.yaml",
            "- id: a\n  date: 2022-13-01\n  title: A\n",
        );
    let run = site.build(&[]);
    run.exit(1);
    assert!(run.stderr.contains("failed: 1 error;"), "{}", run.stderr);
    site.write(
        "content/events/a.yaml",
        "- id: a\n  date: 2022-13-01\n  title: A\n- id: b\n  date: 2022-14-01\n  title: B\n",
    );
    let run = site.build(&[]);
    run.exit(1);
    assert!(run.stderr.contains("failed: 2 errors;"), "{}", run.stderr);
    site.write(
        "content/events/a.yaml",
        "- id: a\n  date: 2022-12-01\n  title: A\n",
    );
    let run = site.run(&["check"]);
    run.success();
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("1 entry (1 event, 0 articles)"), "{out}");
}

#[test]
fn a_site_table_changes_the_words_written_in_code_too() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\nlanguage: en\n")
        .write(
            "content/events/a.yaml",
            "- id: a\n  date: 2022-03-01\n  title: A strike\n  figures:\n    - {kind: killed, low: 3}\n  corrections:\n    - date: 2022-03-02\n      note: Fixed.\n",
        )
        .write(
            "i18n/en.yaml",
            "figures.at_least: \"no fewer than {n}\"\nfeed.correction: \"Corrected: {title}\"\n",
        );
    site.build(&[]).success();
    let out = site.public();
    assert!(out.page("events/a/").contains("no fewer than 3 killed"));
    assert!(out.page("").contains("no fewer than 3 killed"));
    assert!(
        out.read("corrections.xml")
            .contains("<title>Corrected: A strike</title>")
    );
}

/// The interface text of a page: its text and labelling attributes less
/// scripts, what is marked not to be translated, and every piece of user
/// text (which the theme isolates with `dir="auto"` or `<bdi>`, so that
/// what is left is the theme's own words).
fn interface_text(html: &str) -> String {
    const VOID: [&str; 13] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let html = without(html, "<script", "</script>");
    let html = without(&html, "<!--", "-->");
    let mut out = String::new();
    // Open elements, each with whether it holds user text.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        let user = open.last().is_some_and(|e| e.1);
        if !user {
            out.push_str(&rest[..lt]);
            out.push(' ');
        }
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g);
        let tag = &rest[lt + 1..gt];
        rest = &rest[(gt + 1).min(rest.len())..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(i) = open.iter().rposition(|e| e.0 == name) {
                open.truncate(i);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // The document's <title> holds the page's and the site's titles.
        let isolates = name == "bdi"
            || name == "title"
            || tag.contains("dir=\"auto\"")
            || tag.contains("translate=\"no\"")
            || name == "code";
        if !user && !isolates {
            for attr in ["aria-label", "placeholder", "title", "alt"] {
                for v in attr_values(&format!("<{tag}>"), attr) {
                    out.push(' ');
                    out.push_str(v);
                }
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            open.push((name, user || isolates));
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&quot;", "\"")
}

/// The example site (the repository's) with `lines` in place of its
/// `language`, built.
fn example_site_in(lines: &str) -> Site {
    let site = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = fs::read_to_string(repo.join("site.yaml")).unwrap();
    let config: String = config
        .lines()
        .filter(|l| !l.starts_with("language:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("site.yaml", format!("{config}{lines}\n"));
    copy(&repo.join("content"), &site.path("content"));
    site.build(&[]).success();
    site
}

/// Checks one page of each kind under `dir` for its `<html>` element and
/// for English interface words; returns how many pages it checked.
/// Pages under the folders `skip` (other trees) are left out.
fn assert_no_english_interface(dir: &Path, html_tag: &str, skip: &[&str]) -> usize {
    let words = english_words();
    let mut seen = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (path, html) in &html_pages(dir) {
        let parts: Vec<&str> = path.split('/').collect();
        let kind = if parts.len() > 2 {
            parts[0]
        } else {
            path.as_str()
        };
        if skip.contains(&parts[0]) || !seen.insert(kind.to_string()) {
            continue;
        }
        checked += 1;
        assert!(html.contains(html_tag), "{path} lacks {html_tag}");
        let text = interface_text(html);
        for w in &words {
            assert!(
                !contains_word(&text, w),
                "{path}: English \"{w}\" left in {}",
                around(&text, w)
            );
        }
    }
    checked
}

#[test]
fn the_example_site_in_arabic_shows_no_english_interface_word() {
    let site = example_site_in("language: ar");
    let checked =
        assert_no_english_interface(&site.path("public"), "<html lang=\"ar\" dir=\"rtl\">", &[]);
    assert!(checked > 12, "{checked} pages checked");
}

#[test]
fn the_example_site_in_ukrainian_and_english_has_no_english_interface_word_in_ukrainian() {
    let site = example_site_in("languages: [uk, en]");
    for tree in ["public", "public/uk"] {
        let checked = assert_no_english_interface(
            &site.path(tree),
            "<html lang=\"uk\" dir=\"ltr\">",
            &["uk", "en"],
        );
        assert!(checked > 12, "{tree}: {checked} pages checked");
    }
    let en = html_pages(&site.path("public/en"));
    assert!(
        en.iter()
            .all(|(_, h)| h.contains("<html lang=\"en\" dir=\"ltr\">"))
    );
}

/// Each `<loc>` of a sitemap, with the `hreflang` alternates of its `<url>`.
fn sitemap_urls(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let doc = roxmltree::Document::parse(xml).expect("the sitemap is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let loc = url
                .children()
                .find(|n| n.has_tag_name("loc"))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string();
            let alternates = url
                .children()
                .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
                .map(|n| {
                    (
                        n.attribute("hreflang").unwrap_or_default().to_string(),
                        n.attribute("href").unwrap_or_default().to_string(),
                    )
                })
                .collect();
            (loc, alternates)
        })
        .collect()
}

#[test]
fn every_language_sitemap_lists_canonical_urls_with_their_translations() {
    let site = sibling_site(&[
        ("content/articles/note.md", NOTE_UK),
        ("content/articles/note.en.md", NOTE_EN),
    ]);
    site.build(&[]).success();
    let out = site.public();
    let base = "https://example.org/war/";
    for (sitemap, home) in [
        ("sitemap.xml", base.to_string()),
        ("uk/sitemap.xml", base.to_string()),
        ("en/sitemap.xml", format!("{base}en/")),
    ] {
        let urls = sitemap_urls(&out.read(sitemap));
        assert!(urls.len() > 5, "{sitemap} lists its pages");
        assert!(
            urls.iter().any(|(loc, _)| *loc == home),
            "{sitemap} lists {home}"
        );
        for (loc, alternates) in &urls {
            assert!(
                !loc.starts_with(&format!("{base}uk/")),
                "{sitemap} lists {loc}, not canonical"
            );
            // The page it names says it is canonical there.
            let page = loc.strip_prefix(base).unwrap();
            let html = out.page(page);
            assert!(
                html.contains(&format!("<link rel=\"canonical\" href=\"{loc}\">")),
                "{sitemap}: {loc} is not the page's canonical URL"
            );
            // Its translations, as the page's head names them.
            assert_eq!(alternates.len(), 3, "{sitemap}: {loc}");
            for (lang, href) in alternates {
                assert!(
                    html.contains(&format!(
                        "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">"
                    )),
                    "{sitemap}: {loc}'s {lang} alternate {href} is not in its head"
                );
            }
        }
    }

    // The default language not at the root: each tree lists its folder, the
    // root's sitemap is an index of theirs, and the language-choice page
    // names each language's home.
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}default_language_at_root: false\n"),
    );
    site.build(&[]).success();
    for lang in ["uk", "en"] {
        let urls = sitemap_urls(&out.read(&format!("{lang}/sitemap.xml")));
        assert!(
            urls.iter()
                .all(|(loc, _)| loc.starts_with(&format!("{base}{lang}/"))),
            "{lang}/sitemap.xml"
        );
        let (loc, alternates) = &urls[0];
        let path = loc.strip_prefix(&format!("{base}{lang}/")).unwrap();
        assert!(alternates.contains(&("x-default".to_string(), format!("{base}uk/{path}"))));
    }
    let index = out.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).expect("XML");
    let listed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        listed,
        [
            format!("{base}uk/sitemap.xml"),
            format!("{base}en/sitemap.xml")
        ]
    );
    assert!(doc.root_element().has_tag_name("sitemapindex"));
    let chooser = out.read("index.html");
    for link in [
        format!("<link rel=\"alternate\" hreflang=\"uk\" href=\"{base}uk/\">"),
        format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{base}en/\">"),
        format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}uk/\">"),
    ] {
        assert!(chooser.contains(&link), "the root page lacks {link}");
    }
}
