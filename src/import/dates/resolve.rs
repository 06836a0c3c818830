//! Resolving date mentions against the article date (the rules are in the
//! docs of [`super`]).

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::find::weekday_label;
use super::tense::Tense;
use super::{Found, Mention, Modifier, Resolved, What};

/// Resolves every mention of an article's sentences (see the module docs).
pub fn resolve_all(found: &[Vec<Found>], article: NaiveDate) -> Vec<Vec<Mention>> {
    // Weekdays resolved with confidence give their date to the others.
    let mut anchors: HashMap<Weekday, Option<NaiveDate>> = HashMap::new();
    for f in found.iter().flatten() {
        if let What::Weekday(wd, m) = f.what
            && (m != Modifier::None || f.strong)
        {
            let (r, _) = weekday(wd, m, f.tense, article);
            let entry = anchors.entry(wd).or_insert(Some(r.start));
            if *entry != Some(r.start) {
                *entry = None;
            }
        }
    }
    found
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .filter_map(|f| {
                    let (resolved, rule) = resolve(f, article, &anchors)?;
                    Some(Mention {
                        text: f.text.clone(),
                        tokens: f.tokens.clone(),
                        resolved,
                        rule,
                    })
                })
                .collect()
        })
        .collect()
}

fn tense_name(t: Tense) -> &'static str {
    match t {
        Tense::Past => "past tense",
        Tense::Future => "future tense",
        Tense::Unknown => "no tense cue",
    }
}

fn resolve(
    f: &Found,
    article: NaiveDate,
    anchors: &HashMap<Weekday, Option<NaiveDate>>,
) -> Option<(Resolved, String)> {
    Some(match f.what {
        What::Fixed(r, rule) => (r, rule.to_string()),
        What::Weekday(wd, Modifier::None)
            if !f.strong && matches!(anchors.get(&wd), Some(Some(_))) =>
        {
            let date = anchors[&wd]?;
            (
                Resolved::day(date),
                format!("the same {} as elsewhere in the article", weekday_label(wd)),
            )
        }
        What::Weekday(wd, m) => {
            let (r, rule) = weekday(wd, m, f.tense, article);
            (r, rule)
        }
        What::Month(month, m) => {
            let year = month_year(month, m, f.tense, article);
            let rule = match m {
                Modifier::Last => "the latest such month before the article's".to_string(),
                Modifier::Next => "the earliest such month after the article's".to_string(),
                Modifier::This => "that month of the article's year".to_string(),
                Modifier::None => format!("month without a year, {}", tense_name(f.tense)),
            };
            (Resolved::month(year, month)?, rule)
        }
        What::DayNoYear(month, day) => {
            let candidates = (article.year() - 1..=article.year() + 1)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day));
            let date = match f.tense {
                Tense::Past => candidates.filter(|d| *d <= article).max(),
                Tense::Future => candidates.filter(|d| *d >= article).min(),
                Tense::Unknown => {
                    candidates.min_by_key(|d| ((*d - article).num_days().abs(), *d > article))
                }
            }?;
            (
                Resolved::day(date),
                format!("day without a year, {}", tense_name(f.tense)),
            )
        }
    })
}

/// The date of a weekday mention (see the module docs).
fn weekday(wd: Weekday, m: Modifier, tense: Tense, article: NaiveDate) -> (Resolved, String) {
    let back = (article.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
    let ahead = (7 - back) % 7;
    let (offset, rule): (i64, String) = match (m, tense) {
        (Modifier::Last, _) => (
            -(if back == 0 { 7 } else { back } as i64),
            format!(
                "last {}: the one before the article date",
                weekday_label(wd)
            ),
        ),
        (Modifier::Next, _) => (
            if ahead == 0 { 7 } else { ahead } as i64,
            format!("next {}: the one after the article date", weekday_label(wd)),
        ),
        (_, Tense::Past) => (
            -(back as i64),
            "weekday, past tense: on or before the article date".into(),
        ),
        (_, Tense::Future) => (
            ahead as i64,
            "weekday, future tense: on or after the article date".into(),
        ),
        (_, Tense::Unknown) if ahead < back => {
            (ahead as i64, "weekday, no tense cue: the nearest".into())
        }
        (_, Tense::Unknown) => (-(back as i64), "weekday, no tense cue: the nearest".into()),
    };
    let date = if offset >= 0 {
        article.checked_add_days(Days::new(offset as u64))
    } else {
        article.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    (Resolved::day(date.unwrap_or(article)), rule)
}

/// The year of a month named without one (see the module docs).
fn month_year(month: u32, m: Modifier, tense: Tense, article: NaiveDate) -> i32 {
    let (ay, am) = (article.year(), article.month());
    let on_or_before = if month <= am { ay } else { ay - 1 };
    let on_or_after = if month >= am { ay } else { ay + 1 };
    match (m, tense) {
        (Modifier::Last, _) => {
            if month < am {
                ay
            } else {
                ay - 1
            }
        }
        (Modifier::Next, _) => {
            if month > am {
                ay
            } else {
                ay + 1
            }
        }
        (Modifier::This, _) => ay,
        (_, Tense::Past) => on_or_before,
        (_, Tense::Future) => on_or_after,
        (_, Tense::Unknown) => {
            let back = (am + 12 - month) % 12;
            let ahead = (month + 12 - am) % 12;
            if ahead < back {
                on_or_after
            } else {
                on_or_before
            }
        }
    }
}
