//! The command line of cli.md: `check` writes nothing, `init` scaffolds a
//! site that builds, a wrong command line exits with status 2, and `build`
//! replaces its output folder as a whole and reports in one line.

mod common;

use common::{Site, Tree, assert_same_tree, entries, entry};

#[test]
fn check_on_a_good_site_exits_0_and_writes_nothing() {
    let site = Site::fixture("basic");
    let before = site.tree();
    site.run(&["check"]).success();
    assert!(!site.path("public").exists(), "check created public/");
    assert_same_tree(&before, &site.tree(), "the site folder after check");
    site.run(&["check", "--drafts"]).success();
    assert_same_tree(
        &before,
        &site.tree(),
        "the site folder after check --drafts",
    );
}

#[test]
fn check_leaves_a_previous_output_alone() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let before = site.tree();
    site.write(
        "content/events/extra.yaml",
        "- id: extra\n  date: 2022-05-01\n  title: Extra\n",
    );
    site.run(&["check"]).success();
    site.remove("content/events/extra.yaml");
    assert_same_tree(&before, &site.tree(), "the site folder after check");
}

#[test]
fn check_reports_content_errors_like_build() {
    let site = Site::fixture("basic");
    site.write(
        "content/events/bad.yaml",
        "- id: bad\n  date: 2022-02-30\n  title: Bad\n",
    );
    let before = site.tree();
    let run = site.run(&["check"]);
    run.exit(1)
        .error_at("content/events/bad.yaml", 2, &["\"2022-02-30\""]);
    assert_same_tree(
        &before,
        &site.tree(),
        "the site folder after a failed check",
    );
}

#[test]
fn check_validates_templates_and_internal_links() {
    let site = Site::fixture("basic");
    site.write(
        "templates/event.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if event.track %}\n{% endblock main %}\n",
    );
    site.run(&["check"])
        .exit(1)
        .error_in("templates/event.html", &["template"]);
    site.remove("templates/event.html");
    site.write(
        "content/articles/links.md",
        "---\ntitle: Links\ndate: 2022-05-01\n---\nSee [nowhere](../../events/no-such-event/).\n",
    );
    site.run(&["check"])
        .exit(1)
        .error_in("content/articles/links.md", &["no-such-event"]);
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let site = Site::empty();
    let dir = site.root().to_str().unwrap().to_string();
    common::run_in(site.outside(), &["init", &dir], &[]).success();
    for file in ["site.yaml", "content/actors.yaml", "content/places.yaml"] {
        assert!(site.path(file).is_file(), "init did not write {file}");
    }
    let files = Tree::of(site.root());
    let has = |prefix: &str, ext: &str| {
        files
            .files
            .keys()
            .any(|f| f.starts_with(prefix) && f.ends_with(ext))
    };
    assert!(has("content/articles/", ".md"), "init wrote no article");
    assert!(
        has("content/events/", ".yaml") || has("content/events/", ".yml"),
        "init wrote no events file"
    );

    common::run_in(site.outside(), &["build", "-r", &dir], &[]).success();
    let t = site.public().timeline();
    let kinds: Vec<&str> = entries(&t)
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"event") && kinds.contains(&"article"),
        "{kinds:?}"
    );
    assert!(site.public().exists("index.html"));
    common::run_in(site.outside(), &["-r", &dir, "check"], &[]).success();
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = Site::empty();
    site.write("notes.txt", "mine");
    let dir = site.root().to_str().unwrap().to_string();
    let run = common::run_in(site.outside(), &["init", &dir], &[]);
    assert!(
        run.code.is_some_and(|c| c != 0),
        "init into a non-empty folder succeeded:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert_eq!(site.read("notes.txt"), "mine");
    assert!(
        !site.path("site.yaml").exists(),
        "init wrote into a non-empty folder"
    );
}

#[test]
fn init_refuses_an_existing_site() {
    let site = Site::fixture("basic");
    let before = site.tree();
    let run = site.run(&["init", "."]);
    assert!(run.code.is_some_and(|c| c != 0), "{}", run.stderr);
    assert_same_tree(&before, &site.tree(), "the site after a refused init");
}

#[test]
fn a_wrong_command_line_exits_2() {
    let site = Site::fixture("basic");
    for args in [
        &["frobnicate"][..],
        &[][..],
        &["build", "--no-such-flag"][..],
        &["build", "--output"][..],
        &["check", "extra-argument"][..],
        &["init"][..],
        &["import", "article.txt"][..],
    ] {
        let run = site.run(args);
        run.exit(2);
        assert!(!run.stderr.is_empty(), "no message for {args:?}");
    }
    assert!(
        !site.path("public").exists(),
        "a wrong command line wrote output"
    );
}

#[test]
fn a_missing_site_yaml_is_an_error() {
    let site = Site::empty();
    std::fs::create_dir_all(site.root()).unwrap();
    site.run(&["build"])
        .exit(1)
        .error_in("site.yaml", &["site.yaml"]);
    assert!(!site.path("public").exists());
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_write() {
    let site = Site::fixture("basic");
    site.write("public/precious.txt", "keep me");
    let run = site.build(&[]);
    run.exit(1);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert_eq!(site.read("public/precious.txt"), "keep me");
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = Site::fixture("basic");
    let dest = site.outside().join("elsewhere");
    site.build(&["-o", dest.to_str().unwrap()]).success();
    assert!(dest.join("timeline.json").is_file());
    assert!(dest.join("events/invasion-day/index.html").is_file());
    assert!(
        !site.path("public").exists(),
        "public/ was written despite -o"
    );
}

#[test]
fn rebuilding_replaces_the_previous_output() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    site.write(
        "content/events/2022.yaml",
        site.read("content/events/2022.yaml")
            .replace("title: Tie B", "title: Tie B renamed"),
    );
    site.remove("content/articles/raw-html.md");
    site.build(&[]).success();
    let out = site.public();
    assert!(
        !out.exists("articles/raw-html"),
        "a removed article's page is left behind"
    );
    assert_eq!(entry(&out.timeline(), "tie-b")["title"], "Tie B renamed");
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains("public"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn a_build_prints_one_summary_line_and_no_progress_off_a_terminal() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    run.success();
    assert_eq!(
        run.stdout.lines().count(),
        1,
        "expected one summary line:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("22"),
        "the summary does not count the 22 entries: {}",
        run.stdout
    );
    // The fixture's Markdown shows images from another origin on purpose
    // (to test the sanitiser): the privacy check's warnings about them are due.
    let other: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.contains("(another origin)"))
        .collect();
    assert!(
        other.is_empty(),
        "a good build printed on stderr:\n{}",
        run.stderr
    );
    assert!(!run.stdout.contains('\r') && !run.stdout.contains('\u{1b}'));
}

#[test]
fn timings_split_each_templates_pages_into_data_template_and_write() {
    let site = Site::fixture("basic");
    let run = site.build(&["--timings"]);
    run.success();
    for stage in ["load", "chronology", "templates", "render", "publish"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms")),
            "no {stage} stage in:\n{}",
            run.stderr
        );
    }
    let header = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("template "))
        .unwrap_or_else(|| panic!("no table header in:\n{}", run.stderr));
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        columns,
        [
            "template", "pages", "data", "template", "write", "total", "MB"
        ]
    );
    let rows: Vec<Vec<&str>> = run
        .stderr
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|c| c.len() == 7 && c[0].ends_with(".html"))
        .collect();
    let event = rows
        .iter()
        .find(|c| c[0] == "event.html")
        .unwrap_or_else(|| panic!("no event.html row in:\n{}", run.stderr));
    let events = entries(&site.public().timeline())
        .iter()
        .filter(|e| e["kind"] == "event")
        .count();
    assert_eq!(event[1], events.to_string(), "one page per event");
    let ms: Vec<f64> = event[2..6].iter().map(|v| v.parse().unwrap()).collect();
    assert!(
        (ms[0] + ms[1] + ms[2] - ms[3]).abs() <= 0.25,
        "data + template + write is not the total: {event:?}"
    );
    assert!(ms[1] > 0.0, "the templates took no time: {event:?}");
    let pages: usize = rows.iter().map(|c| c[1].parse::<usize>().unwrap()).sum();
    assert!(
        run.stdout.contains(&format!("{pages} pages")),
        "the table's pages ({pages}) are not the summary's:\n{}",
        run.stdout
    );
}

#[test]
fn warnings_do_not_change_the_exit_status() {
    let site = Site::fixture("basic");
    site.write("content/events/empty.yaml", "");
    let run = site.build(&[]);
    run.success();
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("warning: content/events/empty.yaml")),
        "no warning for an empty events file:\n{}",
        run.stderr
    );
}
