//! `annals import` end to end: the real binary on temporary copies of the
//! fixture site (tests/fixtures/import/site), with raw texts written in the
//! shape of the curators' news articles (tests/fixtures/import/raw).
//! Every run sets `TZ` to an odd zone, to show the result does not depend
//! on the machine's time zone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml::Value;

const ODD_TZ: &str = "Pacific/Chatham";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn raw(name: &str) -> PathBuf {
    fixtures().join("raw").join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the fixture site in a temporary folder.
struct Site {
    root: PathBuf,
}

impl Site {
    fn new(name: &str) -> Site {
        let root =
            std::env::temp_dir().join(format!("annals-import-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        copy_dir(&fixtures().join("site"), &root);
        Site { root }
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(args)
            .current_dir(&self.root)
            .env("TZ", ODD_TZ)
            .output()
            .unwrap();
        Run(out)
    }

    fn import(&self, files: &[&Path], extra: &[&str]) -> Run {
        let mut args: Vec<&str> = vec!["import"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        args.extend(extra);
        self.run(&args)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }

    /// Every file under `content/`, relative to the root, sorted.
    fn content_files(&self) -> Vec<String> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else {
                    out.push(
                        path.strip_prefix(root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root.join("content"), &self.root, &mut out);
        out.sort();
        out
    }

    /// The front matter and body of an article.
    fn article(&self, slug: &str) -> (Value, String) {
        let text = self.read(&format!("content/articles/{slug}.md"));
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (yaml, body) = rest.split_once("\n---\n").expect("closing fence");
        (serde_yaml::from_str(yaml).unwrap(), body.to_string())
    }

    /// The draft events proposed for an article.
    fn drafts(&self, slug: &str) -> Vec<Value> {
        let text = self.read(&format!("content/events/drafts/{slug}.yaml"));
        serde_yaml::from_str::<Vec<Value>>(&text).unwrap()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).to_string()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).to_string()
    }
    fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "exit status\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not text in {v:?}"))
}

fn list(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_sequence()
        .map(|s| s.iter().map(|x| x.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn draft_on<'a>(drafts: &'a [Value], date: &str) -> &'a Value {
    drafts
        .iter()
        .find(|d| text(d, "date") == date)
        .unwrap_or_else(|| panic!("no draft dated {date} in {drafts:#?}"))
}

/// The checks the issue asks for, on a text with the seed's date references
/// dated 2025-08-17 (a Sunday).
fn check_washington_drafts(drafts: &[Value], slug: &str) {
    let monday = draft_on(drafts, "2025-08-18");
    let actors = list(monday, "actors");
    assert!(actors.contains(&"volodymyr-zelensky".into()), "{actors:?}");
    assert!(actors.contains(&"donald-trump".into()), "{actors:?}");
    assert!(text(monday, "title").contains("meeting"), "{monday:?}");
    let sunday = draft_on(drafts, "2025-08-17");
    assert!(
        text(sunday, "title").to_lowercase().contains("summit"),
        "{sunday:?}"
    );
    let invasion = draft_on(drafts, "2022-02");
    assert!(
        text(invasion, "title").to_lowercase().contains("invasion"),
        "{invasion:?}"
    );
    draft_on(drafts, "2025~");
    for d in drafts {
        assert_eq!(text(d, "status"), "draft");
        assert_eq!(d["sources"][0]["article"].as_str(), Some(slug));
        let id = text(d, "id");
        assert!(
            id.starts_with(text(d, "date").trim_end_matches('~')),
            "{id}"
        );
    }
}

#[test]
fn imports_an_article_in_the_news_shape() {
    let site = Site::new("news-shape");
    let run = site
        .import(
            &[&raw("washington-talks.txt")],
            &[
                "--date",
                "2025-08-17",
                "--source",
                "Test Wire",
                "--url",
                "https://example.org/story",
            ],
        )
        .expect(0);
    let slug = "zelensky-returns-to-washington-with-europes-leaders-at-his-side";
    assert!(
        run.stdout()
            .contains(&format!("created content/articles/{slug}.md")),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().contains("(4 draft events)"),
        "{}",
        run.stdout()
    );

    let (front, body) = site.article(slug);
    assert_eq!(
        text(&front, "title"),
        "Zelensky Returns to Washington With Europe's Leaders at His Side"
    );
    assert_eq!(text(&front, "date"), "2025-08-17");
    assert!(text(&front, "summary").starts_with("Kyiv's leader heads back to Washington"));
    assert_eq!(text(&front, "source"), "Test Wire");
    assert_eq!(text(&front, "source_url"), "https://example.org/story");
    for key in ["actors", "places", "events"] {
        assert!(front[key].is_sequence(), "{key}");
    }
    assert!(list(&front, "actors").contains(&"mark-rutte".into()));
    assert_eq!(list(&front, "places"), ["washington", "kyiv", "alaska"]);
    assert!(
        body.starts_with("Volodymyr Zelensky and a group of European leaders travel"),
        "{body}"
    );
    assert!(
        !body.contains("Zelensky Returns to Washington"),
        "headline in the body:\n{body}"
    );
    assert!(
        body.contains("\n\nMarco Rubio, the secretary of state"),
        "{body}"
    );

    let drafts = site.drafts(slug);
    check_washington_drafts(&drafts, slug);
    let ids: Vec<&str> = drafts.iter().map(|d| text(d, "id")).collect();
    assert_eq!(
        ids,
        [
            "2022-02-full-scale-invasion",
            "2025-tense-exchange",
            "2025-08-17-virtual-summit",
            "2025-08-18-white-house-meeting"
        ]
    );
    assert_eq!(list(&front, "events"), ids);
    let sunday = draft_on(&drafts, "2025-08-17");
    assert!(text(sunday, "summary").contains("revealed on Sunday"));
    assert!(text(sunday, "summary").contains("virtual summit held on Sunday"));
}

#[test]
fn the_written_content_loads_and_drafts_stay_unpublished() {
    let site = Site::new("round-trip");
    let r = raw("washington-talks.txt");
    site.import(&[&r], &["--date", "2025-08-17"]).expect(0);
    let check = site.run(&["check", "--drafts"]).expect(0);
    assert!(
        check.stdout().contains("4 drafts wait for review"),
        "{}",
        check.stdout()
    );
    assert!(
        check.stdout().contains("content/events/drafts/zelensky-returns-to-washington-with-europes-leaders-at-his-side.yaml: 4"),
        "{}",
        check.stdout()
    );
    assert!(!check.stderr().contains("error"), "{}", check.stderr());
    site.run(&["check"]).expect(0);
    site.run(&["build", "-o", "out"]).expect(0);
    assert!(site.exists(
        "out/articles/zelensky-returns-to-washington-with-europes-leaders-at-his-side/index.html"
    ));
    assert!(!site.exists("out/events/2025-08-18-white-house-meeting/index.html"));
    let json = site.read("out/timeline.json");
    assert!(
        !json.contains("2025-08-18-white-house-meeting"),
        "a draft was published"
    );
}

#[test]
fn never_overwrites_without_force_and_force_is_stable() {
    let site = Site::new("overwrite");
    let r = raw("washington-talks.txt");
    site.import(&[&r], &["--date", "2025-08-17"]).expect(0);
    let slug = "zelensky-returns-to-washington-with-europes-leaders-at-his-side";
    let article = site.read(&format!("content/articles/{slug}.md"));
    let drafts = site.read(&format!("content/events/drafts/{slug}.yaml"));

    let again = site
        .import(&[&r], &["--date", "2025-08-17", "--source", "Other"])
        .expect(1);
    assert!(
        again.stderr().contains("already exist"),
        "{}",
        again.stderr()
    );
    assert!(again.stderr().starts_with("error: "), "{}", again.stderr());
    assert_eq!(site.read(&format!("content/articles/{slug}.md")), article);

    let forced = site
        .import(&[&r], &["--date", "2025-08-17", "--force"])
        .expect(0);
    assert!(forced.stdout().contains("replaced"), "{}", forced.stdout());
    assert_eq!(site.read(&format!("content/articles/{slug}.md")), article);
    assert_eq!(
        site.read(&format!("content/events/drafts/{slug}.yaml")),
        drafts,
        "ids must be stable"
    );
    site.run(&["check", "--drafts"]).expect(0);
}

#[test]
fn dates_across_a_year_boundary() {
    let site = Site::new("year-boundary");
    site.import(&[&raw("kyiv-winter.txt")], &["--date", "2025-01-02"])
        .expect(0);
    let drafts = site.drafts("kyiv-counts-the-cost-of-a-hard-winter");
    let dates: Vec<&str> = drafts.iter().map(|d| text(d, "date")).collect();
    // "said on Monday", "last December", "Yesterday", "will meet ... on Friday".
    assert_eq!(dates, ["2024-12", "2024-12-30", "2025-01-01", "2025-01-03"]);
    assert!(text(draft_on(&drafts, "2024-12-30"), "summary").contains("said on Monday"));
    site.run(&["check", "--drafts"]).expect(0);
}

#[test]
fn weekday_tense_in_both_directions() {
    let site = Site::new("tense");
    site.import(&[&raw("geneva-rounds.txt")], &["--date", "2025-08-17"])
        .expect(0);
    let drafts = site.drafts("envoys-prepare-a-second-round-in-geneva");
    // "last Sunday", "met on Friday", "will meet again on Wednesday".
    let dates: Vec<&str> = drafts.iter().map(|d| text(d, "date")).collect();
    assert_eq!(dates, ["2025-08-10", "2025-08-15", "2025-08-20"]);
    assert_eq!(list(draft_on(&drafts, "2025-08-15"), "places"), ["geneva"]);
}

#[test]
fn text_without_dates_makes_an_article_and_a_note() {
    let site = Site::new("no-dates");
    let run = site
        .import(&[&raw("quiet-front.txt")], &["--date", "2025-08-17"])
        .expect(0);
    assert!(run.stdout().contains("no dates found"), "{}", run.stdout());
    let (front, body) = site.article("life-in-the-trenches-along-the-southern-front");
    assert_eq!(list(&front, "events"), Vec::<String>::new());
    assert!(body.starts_with("Units dig in and wait"));
    assert!(!site.exists("content/events/drafts"));
    site.run(&["check", "--drafts"]).expect(0);
}

#[test]
fn markdown_with_front_matter_and_plain_text() {
    let site = Site::new("markdown");
    site.import(&[&raw("istanbul-round.md")], &["--date", "2025-05-18"])
        .expect(0);
    let (front, body) = site.article("istanbul-round-ends-within-two-hours");
    assert_eq!(
        text(&front, "summary"),
        "The two delegations met briefly and agreed on a large exchange of prisoners."
    );
    assert_eq!(list(&front, "tags"), ["negotiations"]);
    assert_eq!(text(&front, "author"), "Test Writer");
    assert!(list(&front, "actors").contains(&"rustem-umerov".into()));
    assert!(
        body.starts_with("The delegations of Ukraine and Russia met"),
        "{body}"
    );
    assert!(body.contains("*agreed*"), "Markdown is kept: {body}");
    let drafts = site.drafts("istanbul-round-ends-within-two-hours");
    draft_on(&drafts, "2025-05-16");
    draft_on(&drafts, "2022");

    site.import(&[&raw("plain-headline.txt")], &["--date", "2025-03-14"])
        .expect(0);
    let (front, body) = site.article("ceasefire-proposal-lands-in-kyiv");
    assert_eq!(text(&front, "title"), "Ceasefire Proposal Lands in Kyiv");
    assert_eq!(
        text(&front, "summary"),
        "Ukrainian officials are studying a written proposal for a partial ceasefire. It covers strikes on energy sites."
    );
    assert!(body.starts_with("Ukrainian officials are studying"));
    draft_on(
        &site.drafts("ceasefire-proposal-lands-in-kyiv"),
        "2025-03-13",
    );
    site.run(&["check", "--drafts"]).expect(0);
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let site = Site::new("bad-input");
    let before = site.content_files();
    let dir = site.root.join("inputs");
    fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("binary.txt", b"GIF89a\x00\x01\x02\x00\x00title\n", "binary"),
        (
            "latin1.txt",
            b"Headline\n\nCaf\xe9 talks\n",
            "not valid UTF-8",
        ),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"\n   \n\n", "empty"),
    ];
    for (name, bytes, want) in cases {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let run = site.import(&[&path], &["--date", "2025-08-17"]).expect(1);
        assert!(run.stderr().contains(want), "{name}: {}", run.stderr());
        assert!(
            run.stderr().contains(&format!("error: {}", path.display())),
            "{}",
            run.stderr()
        );
        assert_eq!(site.content_files(), before, "{name}");
    }
    let missing = site
        .import(&[&dir.join("missing.txt")], &["--date", "2025-08-17"])
        .expect(1);
    assert!(
        missing.stderr().contains("cannot read"),
        "{}",
        missing.stderr()
    );

    let r = raw("washington-talks.txt");
    let no_date = site.import(&[&r], &[]).expect(2);
    assert!(no_date.stderr().contains("--date"), "{}", no_date.stderr());
    for (bad, want) in [
        ("2025-13-01", "month must be 01-12"),
        ("2025-08", "must be a day"),
        ("yesterday", "expected YYYY"),
    ] {
        let run = site.import(&[&r], &["--date", bad]).expect(2);
        assert!(run.stderr().contains(want), "{bad}: {}", run.stderr());
    }
    let two_urls = site
        .import(
            &[&r, &raw("quiet-front.txt")],
            &["--date", "2025-08-17", "--url", "https://e.org/"],
        )
        .expect(2);
    assert!(
        two_urls.stderr().contains("single FILE"),
        "{}",
        two_urls.stderr()
    );
    assert_eq!(site.content_files(), before);
}

#[test]
fn awkward_headlines_are_quoted_safely() {
    let site = Site::new("awkward");
    let headline = "Talks: \"No\" # Deal - Yes: Null?";
    let raw_text = format!(
        "A teaser line that reads like a sentence, for the feed.\n{headline}\n\n{headline}\n\
         The standfirst: one line, with a colon.\n\
         - Envoys met on Friday; nothing was agreed.\n"
    );
    let path = site.root.join("awkward.txt");
    fs::write(&path, raw_text).unwrap();
    site.import(&[&path], &["--date", "2025-08-17", "--source", "yes"])
        .expect(0);
    let slug = "talks-no-deal-yes-null";
    let (front, body) = site.article(slug);
    assert_eq!(text(&front, "title"), headline);
    assert_eq!(text(&front, "source"), "yes");
    assert!(body.contains("\n\n\\- Envoys met on Friday"), "{body}");
    draft_on(&site.drafts(slug), "2025-08-15");
    site.run(&["check", "--drafts"]).expect(0);
}

#[test]
fn a_folder_outside_a_site_is_refused() {
    let site = Site::new("not-a-site");
    fs::remove_file(site.root.join("site.yaml")).unwrap();
    let run = site
        .import(&[&raw("quiet-front.txt")], &["--date", "2025-08-17"])
        .expect(1);
    assert!(run.stderr().contains("site.yaml"), "{}", run.stderr());
    assert!(!site.exists("content/articles"));
}

#[test]
fn many_files_at_once_with_one_bad_one() {
    let site = Site::new("batch");
    let dir = site.root.join("inbox");
    fs::create_dir_all(&dir).unwrap();
    let template = fs::read_to_string(raw("washington-talks.txt")).unwrap();
    let headline = "Zelensky Returns to Washington With Europe's Leaders at His Side";
    for n in 0..40 {
        let text = template.replace(headline, &format!("{headline}, Part {n}"));
        fs::write(dir.join(format!("story-{n:02}.txt")), text).unwrap();
    }
    fs::write(dir.join("zz-empty.txt"), "").unwrap();
    fs::write(dir.join(".hidden.txt"), "Hidden\n\nNot imported.\n").unwrap();
    let run = site.import(&[&dir], &["--date", "2025-08-17"]).expect(1);
    assert!(
        run.stdout()
            .contains("imported 40 of 41 files: 40 articles, 160 draft events"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        run.stdout().matches(": created content/articles/").count(),
        40
    );
    assert!(
        run.stderr().contains("zz-empty.txt: file is empty"),
        "{}",
        run.stderr()
    );
    // The same sentences in every file: ids stay unique across the run.
    let first =
        site.drafts("zelensky-returns-to-washington-with-europes-leaders-at-his-side-part-0");
    let second =
        site.drafts("zelensky-returns-to-washington-with-europes-leaders-at-his-side-part-1");
    assert_eq!(
        text(draft_on(&first, "2025-08-18"), "id"),
        "2025-08-18-white-house-meeting"
    );
    assert_eq!(
        text(draft_on(&second, "2025-08-18"), "id"),
        "2025-08-18-white-house-meeting-2"
    );
    site.run(&["check", "--drafts"]).expect(0);
}

/// The raw text behind the example site's Istanbul article
/// (tests/fixtures/import/example): the drafts a curator reviewed.
#[test]
fn the_example_sites_raw_text() {
    let site = Site::new("example");
    let example = fixtures().join("example/istanbul-direct-talks.txt");
    site.import(&[&example], &["--date", "2025-05-17"])
        .expect(0);
    let drafts = site.drafts("ukraine-and-russia-hold-their-first-direct-talks-in-three-years");
    let dates: Vec<&str> = drafts.iter().map(|d| text(d, "date")).collect();
    // "March 2022", "earlier this month", "last Sunday", "on Thursday", "on Friday".
    assert_eq!(
        dates,
        [
            "2022-03",
            "2025-05~",
            "2025-05-11",
            "2025-05-15",
            "2025-05-16"
        ]
    );
    let thursday = draft_on(&drafts, "2025-05-15");
    assert!(
        text(thursday, "title").starts_with("Zelensky held talks"),
        "{thursday:?}"
    );
    site.run(&["check", "--drafts"]).expect(0);
}

/// The curators' own sample article, when the shared seeds folder is there
/// (it is not part of the repository, so nothing depends on it).
#[test]
fn the_seed_article_when_present() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_10cad30fb22825c9.txt");
    if !seed.is_file() {
        eprintln!("skipped: {} is not there", seed.display());
        return;
    }
    let site = Site::new("seed");
    site.import(&[&seed], &["--date", "2025-08-17"]).expect(0);
    let slug = "zelensky-brings-european-allies-to-washington-for-critical-ukraine-talks";
    let (front, body) = site.article(slug);
    assert_eq!(
        text(&front, "title"),
        "Zelensky Brings European Allies to Washington for Critical Ukraine Talks"
    );
    assert!(
        text(&front, "summary").starts_with("Zelensky's visit, which includes key European allies")
    );
    assert!(
        body.starts_with("Ukrainian President Volodymyr Zelensky convenes with Western leaders")
    );
    check_washington_drafts(&site.drafts(slug), slug);
    site.run(&["check", "--drafts"]).expect(0);
}
