//! Table-driven tests of finding and resolving date mentions.

use chrono::NaiveDate;

use super::*;
use crate::import::paragraphs::sentences;
use crate::import::words::tokenize;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every mention of `text` (one article), as `(words, date as written)`.
fn resolved(text: &str, article: &str) -> Vec<(String, String)> {
    let article = day(article);
    let sentences = sentences(text);
    let tokens: Vec<_> = sentences.iter().map(|s| tokenize(s)).collect();
    let found: Vec<_> = sentences
        .iter()
        .zip(&tokens)
        .map(|(s, t)| find(t, s, article))
        .collect();
    resolve_all(&found, article)
        .into_iter()
        .flatten()
        .map(|m| (m.text, m.resolved.to_string()))
        .collect()
}

/// One mention expected in a sentence: its date as the content format writes it.
fn only(text: &str, article: &str) -> String {
    let all = resolved(text, article);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all[0].1.clone()
}

#[test]
fn absolute_dates() {
    let a = "2025-08-17";
    let cases = [
        ("It began on 24 February 2022.", "2022-02-24"),
        ("It began on February 24, 2022.", "2022-02-24"),
        ("It began on the 24th of February 2022.", "2022-02-24"),
        ("It began on 2022-02-24.", "2022-02-24"),
        ("It began in February 2022.", "2022-02"),
        ("Fighting eased by mid-March 2023.", "2023-03"),
        ("Crimea was seized in 2014.", "2014"),
        ("Since 2014 the war has gone on.", "2014"),
        ("The 2022 invasion changed everything.", "2022"),
        (
            "Russian forces have occupied land since the outset of the full-scale invasion in February 2022.",
            "2022-02",
        ),
        ("In May 2025 talks resumed.", "2025-05"),
    ];
    for (text, want) in cases {
        assert_eq!(only(text, a), want, "{text}");
    }
}

#[test]
fn days_and_months_without_a_year() {
    let cases = [
        // No tense: the nearest such day.
        (
            "The deadline is Feb. 24 for both sides.",
            "2025-08-17",
            "2025-02-24",
        ),
        (
            "Officials met on Dec. 30 in Geneva.",
            "2025-01-02",
            "2024-12-30",
        ),
        // Tense decides.
        (
            "The summit will open on 3 January.",
            "2025-12-20",
            "2026-01-03",
        ),
        ("The offensive began in September.", "2025-08-17", "2024-09"),
        (
            "Elections are expected in September.",
            "2025-08-17",
            "2025-09",
        ),
        // Modifiers.
        (
            "Fighting intensified last December.",
            "2025-01-02",
            "2024-12",
        ),
        (
            "The ceasefire collapsed last December.",
            "2025-12-20",
            "2024-12",
        ),
        ("Talks may resume next March.", "2025-03-10", "2026-03"),
        ("Talks may resume this March.", "2025-08-17", "2025-03"),
        ("Fighting intensified in December.", "2025-01-02", "2024-12"),
    ];
    for (text, article, want) in cases {
        assert_eq!(only(text, article), want, "{text} ({article})");
    }
}

#[test]
fn relative_to_the_article_date() {
    let a = "2025-08-17";
    let cases = [
        ("Witkoff spoke yesterday.", "2025-08-16"),
        ("Leaders meet today.", "2025-08-17"),
        ("Leaders meet tomorrow.", "2025-08-18"),
        ("The day before yesterday, it rained.", "2025-08-15"),
        ("The strike came last night.", "2025-08-16"),
        ("The envoy travelled last week.", "2025-08-10~"),
        ("The envoy travels next week.", "2025-08-24~"),
        ("Prices rose last month.", "2025-07"),
        ("They quarrelled earlier this year.", "2025~"),
        ("Talks may resume later this year.", "2025~"),
        ("Prices fell earlier this month.", "2025-08~"),
        ("The deal was signed last year.", "2024"),
        ("The bridge was hit three days ago.", "2025-08-14"),
        ("The bridge was hit two weeks ago.", "2025-08-03~"),
        ("It happened two years ago.", "2023~"),
    ];
    for (text, want) in cases {
        assert_eq!(only(text, a), want, "{text}");
    }
    // Across a year boundary.
    assert_eq!(only("Prices rose last month.", "2025-01-02"), "2024-12");
    assert_eq!(
        only("The envoy travelled last week.", "2025-01-02"),
        "2024-12-26~"
    );
}

#[test]
fn weekdays_follow_the_tense() {
    // 2025-08-17 is a Sunday; 2025-01-02 a Thursday.
    let cases = [
        (
            "The Monday meeting will be tense.",
            "2025-08-17",
            "2025-08-18",
        ),
        (
            "A U.S. envoy revealed on Sunday that talks may go on.",
            "2025-08-17",
            "2025-08-17",
        ),
        (
            "A virtual summit held on Sunday ended early.",
            "2025-08-17",
            "2025-08-17",
        ),
        (
            "The ministers met on Friday in Paris.",
            "2025-08-17",
            "2025-08-15",
        ),
        (
            "The ministers will meet on Wednesday in Paris.",
            "2025-08-17",
            "2025-08-20",
        ),
        (
            "The ministers are set to meet on Saturday.",
            "2025-08-17",
            "2025-08-23",
        ),
        (
            "The talks will be held on Tuesday.",
            "2025-08-17",
            "2025-08-19",
        ),
        ("Leaders gathered last Sunday.", "2025-08-17", "2025-08-10"),
        ("Leaders gather next Sunday.", "2025-08-17", "2025-08-24"),
        (
            "Leaders gather this coming Monday.",
            "2025-08-17",
            "2025-08-18",
        ),
        // No tense cue: the nearest.
        ("Monday brings a new round.", "2025-08-17", "2025-08-18"),
        ("Friday brings nothing new.", "2025-08-17", "2025-08-15"),
        // Across a year boundary.
        (
            "Kyiv said on Monday it would not yield.",
            "2025-01-02",
            "2024-12-30",
        ),
        (
            "The delegation will travel on Monday.",
            "2025-01-02",
            "2025-01-06",
        ),
        ("Officials met on Tuesday.", "2025-01-02", "2024-12-31"),
    ];
    for (text, article, want) in cases {
        assert_eq!(only(text, article), want, "{text} ({article})");
    }
}

#[test]
fn a_weekday_far_from_its_cue_follows_a_clear_mention() {
    let text = "The Monday meeting will be special. \
        A summit was held on Sunday, where the emphasis was placed on a strategy for Monday's discussions.";
    assert_eq!(
        resolved(text, "2025-08-17"),
        [
            ("Monday".to_string(), "2025-08-18".to_string()),
            ("Sunday".to_string(), "2025-08-17".to_string()),
            ("Monday's".to_string(), "2025-08-18".to_string()),
        ]
    );
}

#[test]
fn no_false_mentions() {
    for text in [
        "Putin may be open to a deal.",
        "More than 2,000 troops and 1000 drones were sent.",
        "Article 5 ensures collective defence.",
        "Talks may lead to a march on the capital.",
        "The 300 soldiers returned home.",
        "Nothing happened at all.",
        "Prices rose 12% in 2024 alone.",
    ] {
        let all = resolved(text, "2025-08-17");
        assert!(
            all.iter().all(|(w, _)| w.contains("2024")),
            "{text}: {all:?}"
        );
    }
}

#[test]
fn mentions_carry_precision_and_vagueness() {
    let article = day("2025-08-17");
    let sentence = "They quarrelled earlier this year.";
    let tokens = tokenize(sentence);
    let found = vec![find(&tokens, sentence, article)];
    let m = &resolve_all(&found, article)[0][0];
    assert_eq!(m.resolved.precision, Precision::Year);
    assert!(m.resolved.approximate);
    assert_eq!(m.resolved.start, day("2025-01-01"));
    assert_eq!(m.text, "earlier this year");
    // Every written form is valid in the content format.
    for written in ["2025~", "2022-02", "2025-08-18"] {
        crate::date::Date::parse(written, chrono_tz::UTC).unwrap();
    }
}
