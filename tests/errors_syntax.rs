//! Files that cannot be read as content at all: malformed or wrongly shaped
//! YAML, alias bombs, broken front matter, bytes that are not UTF-8, broken
//! templates. Same contract as `errors.rs`: exit status 1, the file and line,
//! the previous `public/` untouched.

mod common;

use std::time::Duration;

use common::broken::{Broken, one_error};

#[test]
fn malformed_yaml_is_reported_at_its_line() {
    one_error(
        "content/events/malformed.yaml",
        "- id: malformed\n  date: 2022-05-11\n   title: indented too far\n",
        3,
        &["YAML"],
    );
}

#[test]
fn malformed_yaml_in_front_matter_is_reported_at_the_line_of_the_file() {
    one_error(
        "content/articles/malformed.md",
        "---\ntitle: Malformed\ndate: 2022-05-01\nsummary: a: b\n---\nBody.\n",
        4,
        &["YAML"],
    );
}

#[test]
fn a_tab_in_yaml_indentation_is_reported() {
    one_error(
        "content/events/tabs.yaml",
        "- id: tabs\n\tdate: 2022-05-11\n  title: Tabs\n",
        2,
        &["tab"],
    );
}

#[test]
fn an_unclosed_bracket_points_at_the_line_that_opened_it() {
    // libyaml notices the missing `]` on line 4; the fix is on line 3, which
    // the message must name (as the position, or as "line 3" in the text).
    let b = Broken::new();
    b.write(
        "content/events/unclosed.yaml",
        "- id: unclosed\n  date: 2022-05-11\n  tags: [one, two\n  title: Unclosed\n",
    );
    let run = b.fails_once();
    let line = run.error_in("content/events/unclosed.yaml", &["YAML"]);
    assert!(
        line.starts_with("error: content/events/unclosed.yaml:3:") || line.contains("line 3"),
        "the error does not point at line 3, where the list was opened:\n{line}"
    );
}

#[test]
fn the_wrong_yaml_shape_is_reported() {
    let b = Broken::new();
    let cases: [(&str, &str, usize, &[&str]); 6] = [
        (
            "content/events/shape.yaml",
            "just some text\n",
            1,
            &["found text"],
        ),
        (
            "content/events/shape.yaml",
            "- id: fine-one\n  date: 2022-05-11\n  title: Fine\n- 42\n",
            4,
            &["found a number"],
        ),
        (
            "content/events/shape.yaml",
            "- id: fine-one\n  date: 2022-05-11\n  title: [not, text]\n",
            3,
            &["`title`", "a list"],
        ),
        (
            "content/events/shape.yaml",
            "- id: fine-one\n  date: 2022-05-11\n  title: Fine\n  tags: {a: 1}\n",
            4,
            &["`tags`", "a mapping"],
        ),
        (
            "content/events/shape.yaml",
            "- id: fine-one\n  date: 2022-05-11\n  title: Fine\n  sources: invasion-explainer\n",
            4,
            &["`sources`", "found text"],
        ),
        (
            "content/articles/shape.md",
            "---\n- title\n- date\n---\nBody.\n",
            2,
            &["found a list"],
        ),
    ];
    for (rel, text, line, needles) in cases {
        b.write(rel, text);
        b.fails_once().error_at(rel, line, needles);
        b.site.remove(rel);
    }
}

#[test]
fn a_registry_of_the_wrong_shape_gives_one_error_not_one_per_reference() {
    let b = Broken::new();
    b.write(
        "content/actors.yaml",
        "volodymyr-zelensky: Volodymyr Zelensky\n",
    );
    b.fails_once()
        .error_at("content/actors.yaml", 1, &["found a mapping"]);
}

#[test]
fn an_alias_bomb_fails_fast_with_a_clear_message() {
    // A billion laughs: 9 levels of 9 aliases each would expand to 9^9 strings.
    let mut yaml = String::from(
        "- id: bomb\n  date: 2022-05-11\n  title: Bomb\n  tags: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut prev = 'a';
    for name in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        yaml.push_str(&format!(
            "- id: bomb-{name}\n  date: 2022-05-11\n  title: Bomb\n  tags: &{name} [{refs}]\n"
        ));
        prev = name;
    }
    let b = Broken::new();
    b.write("content/events/bomb.yaml", yaml);
    let run = b.fails_once();
    assert!(
        run.elapsed < Duration::from_secs(5),
        "the alias bomb took {:?}",
        run.elapsed
    );
    let line = run.error_in("content/events/bomb.yaml", &["alias"]);
    let lines = 4 * 9;
    let at = line
        .strip_prefix("error: content/events/bomb.yaml:")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse::<usize>().ok());
    assert!(
        at.is_some_and(|n| (1..=lines).contains(&n)),
        "the alias bomb error gives no line of the file:\n{line}"
    );
}

#[test]
fn unclosed_front_matter_is_reported() {
    one_error(
        "content/articles/unclosed.md",
        "---\ntitle: Never closed\ndate: 2022-05-01\n\nBody text without a closing fence.\n",
        1,
        &["unclosed front matter"],
    );
}

#[test]
fn missing_front_matter_is_reported() {
    one_error(
        "content/articles/bare.md",
        "Just Markdown, no front matter.\n",
        1,
        &["front matter"],
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_the_first_bad_byte() {
    let b = Broken::new();
    // "Café" in Latin-1: 0xE9 is not UTF-8.
    b.write(
        "content/events/latin1.yaml",
        b"- id: latin\n  date: 2022-05-11\n  title: Caf\xe9\n".as_slice(),
    );
    b.fails_once()
        .error_at("content/events/latin1.yaml", 3, &["UTF-8"]);
    b.site.remove("content/events/latin1.yaml");
    b.write(
        "content/articles/latin1.md",
        b"---\ntitle: Caf\xe9\ndate: 2022-05-01\n---\nBody.\n".as_slice(),
    );
    let run = b.fails_once();
    run.error_at("content/articles/latin1.md", 2, &["UTF-8"]);
    assert!(
        run.errors()[0].starts_with("error: content/articles/latin1.md:2:11:"),
        "the column of the bad byte is 11:\n{}",
        run.stderr
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_keep_line_numbers() {
    let b = Broken::new();
    b.write(
        "content/events/windows.yaml",
        "\u{feff}# Saved on Windows.\r\n- id: windows\r\n  date: 2022-02-30\r\n  title: Windows\r\n",
    );
    b.fails_once()
        .error_at("content/events/windows.yaml", 3, &["\"2022-02-30\""]);
    b.site.remove("content/events/windows.yaml");
    b.write(
        "content/articles/windows.md",
        "\u{feff}---\r\ntitle: Windows\r\nsummary: Short.\r\ndate: 2022-02-30\r\n---\r\nBody.\r\n",
    );
    b.fails_once()
        .error_at("content/articles/windows.md", 4, &["\"2022-02-30\""]);
}

#[test]
fn a_template_syntax_error_names_the_site_template_and_line() {
    let b = Broken::new();
    b.write(
        "templates/event.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ event.title }</h1>\n{% endblock main %}\n",
    );
    b.fails_once()
        .error_at("templates/event.html", 3, &["template"]);
}

#[test]
fn a_template_using_an_unknown_field_names_the_template() {
    let b = Broken::new();
    b.write(
        "templates/event.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ event.no_such_field }}</h1>\n{% endblock main %}\n",
    );
    b.fails_once()
        .error_at("templates/event.html", 3, &["no_such_field"]);
}
