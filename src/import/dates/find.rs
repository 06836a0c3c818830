//! Finding date mentions in the tokens of a sentence.

use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};

use super::tense::{Tense, tense_near};
use super::{Found, Modifier, Resolved, What};
use crate::import::words::Token;

#[rustfmt::skip]
const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];
#[rustfmt::skip]
const MONTH_ABBR: [(&str, u32); 12] = [
    ("Jan", 1), ("Feb", 2), ("Mar", 3), ("Apr", 4), ("Jun", 6), ("Jul", 7), ("Aug", 8), ("Sep", 9),
    ("Sept", 9), ("Oct", 10), ("Nov", 11), ("Dec", 12),
];
#[rustfmt::skip]
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("Monday", Weekday::Mon), ("Tuesday", Weekday::Tue), ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu), ("Friday", Weekday::Fri), ("Saturday", Weekday::Sat),
    ("Sunday", Weekday::Sun),
];
/// Words after which a bare year (or the month "May") is a date.
#[rustfmt::skip]
const CUES: &[&str] = &[
    "in", "since", "of", "by", "until", "till", "from", "during", "early", "late", "mid", "before",
    "after", "throughout", "through", "the", "to", "spring", "summer", "autumn", "fall", "winter",
    "last", "next", "this", "around", "between",
];
#[rustfmt::skip]
const NUMBERS: [&str; 12] = [
    "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
];

fn month_name(word: &str) -> Option<u32> {
    let word = strip_period_prefix(word);
    MONTHS.iter().position(|m| *m == word).map(|i| i as u32 + 1)
}

/// A month by its full name or abbreviation (`Feb`, `Sept`).
fn month_any(word: &str) -> Option<u32> {
    month_name(word).or_else(|| MONTH_ABBR.iter().find(|(a, _)| *a == word).map(|&(_, m)| m))
}

/// True for the name of a month (or its abbreviation) or of a weekday.
pub fn is_date_word(word: &str) -> bool {
    month_any(strip_period_prefix(word)).is_some() || weekday_name(word).is_some()
}

/// The English name of a weekday: `Monday`.
pub fn weekday_label(wd: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, d)| *d == wd)
        .map_or("", |(name, _)| name)
}

fn weekday_name(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(w, _)| *w == word).map(|&(_, d)| d)
}

/// `mid-March` → `March`, `early-2024` → `2024`.
fn strip_period_prefix(word: &str) -> &str {
    for p in ["mid-", "early-", "late-"] {
        if let Some(rest) = word.strip_prefix(p) {
            return rest;
        }
    }
    word
}

fn year_number(word: &str) -> Option<i32> {
    let w = strip_period_prefix(word);
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

/// A day of the month: `24`, `24th`, `1st`.
fn day_number(word: &str) -> Option<u32> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &word[digits..];
    if !(1..=2).contains(&digits) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    word[..digits].parse().ok().filter(|d| (1..=31).contains(d))
}

fn count_word(word: &str) -> Option<u64> {
    let lower = word.to_ascii_lowercase();
    NUMBERS
        .iter()
        .position(|n| *n == lower)
        .map(|i| i.max(1) as u64)
        .or_else(|| lower.parse().ok().filter(|&n| (1..=99).contains(&n)))
}

/// A cursor over the tokens of one sentence.
struct Scan<'t, 'a> {
    tokens: &'t [Token<'a>],
}

impl<'a> Scan<'_, 'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        self.tokens.get(i).filter(|t| t.word).map(|t| t.bare())
    }

    fn lower_is(&self, i: usize, words: &[&str]) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_any(words))
    }

    fn punct(&self, i: usize, mark: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| !t.word && t.text == mark)
    }

    /// Index after an optional `.` (after an abbreviation) or `,`.
    fn skip(&self, i: usize, mark: &str) -> usize {
        if self.punct(i, mark) { i + 1 } else { i }
    }

    fn year_at(&self, i: usize) -> Option<i32> {
        self.word(i).and_then(year_number)
    }

    fn modifier(&self, i: usize) -> (Modifier, usize) {
        if i >= 2 && self.lower_is(i - 2, &["this"]) && self.lower_is(i - 1, &["coming"]) {
            return (Modifier::Next, i - 2);
        }
        if i >= 2 && self.lower_is(i - 2, &["this"]) && self.lower_is(i - 1, &["past"]) {
            return (Modifier::Last, i - 2);
        }
        if i == 0 {
            return (Modifier::None, i);
        }
        match self.tokens[i - 1].text.to_ascii_lowercase().as_str() {
            "last" | "past" => (Modifier::Last, i - 1),
            "next" | "coming" => (Modifier::Next, i - 1),
            "this" => (Modifier::This, i - 1),
            _ => (Modifier::None, i),
        }
    }
}

/// Finds every date mention in a sentence. `article` is the article date.
pub fn find(tokens: &[Token<'_>], sentence: &str, article: NaiveDate) -> Vec<Found> {
    let scan = Scan { tokens };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((range, what)) = match_at(&scan, i, article) else {
            i += 1;
            continue;
        };
        let (tense, strong) = match what {
            What::Fixed(..) => (Tense::Unknown, true),
            _ => tense_near(tokens, &range),
        };
        let text = sentence[tokens[range.start].start..tokens[range.end - 1].end].to_string();
        i = range.end;
        out.push(Found {
            text,
            tokens: range,
            what,
            tense,
            strong,
        });
    }
    out
}

fn match_at(s: &Scan<'_, '_>, i: usize, article: NaiveDate) -> Option<(Range<usize>, What)> {
    let w = s.word(i)?;
    if let Some((len, r, rule)) = relative(s, i, article) {
        return Some((i..i + len, What::Fixed(r, rule)));
    }
    // 2022-02-24
    if w.len() == 10
        && let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d")
    {
        return Some((i..i + 1, What::Fixed(Resolved::day(d), "a date")));
    }
    // 24 February [2022], the 24th of February [2022]
    if let Some(day) = day_number(w) {
        let mut j = i + 1;
        if s.lower_is(j, &["of"]) {
            j += 1;
        }
        if let Some(month) = s.word(j).and_then(month_any) {
            let after = s.skip(j + 1, ".");
            return Some(day_and_month(s, i, after, month, day));
        }
    }
    if let Some(month) = month_any(w) {
        let after = s.skip(i + 1, ".");
        // February 24[, 2022]
        if let Some(day) = s.word(after).and_then(day_number) {
            return Some(day_and_month(s, i, after + 1, month, day));
        }
        // February[,] 2022
        let y = s.skip(after, ",");
        if let Some(year) = s.year_at(y) {
            let r = Resolved::month(year, month)?;
            return Some((i..y + 1, What::Fixed(r, "a month")));
        }
        // in February, last December (full names; "May" only after a cue word)
        if month_name(w).is_some() && (w != "May" || i > 0 && s.lower_is(i - 1, CUES)) {
            let (modifier, from) = s.modifier(i);
            return Some((from..i + 1, What::Month(month, modifier)));
        }
    }
    if let Some(wd) = weekday_name(w) {
        let (modifier, from) = s.modifier(i);
        return Some((from..i + 1, What::Weekday(wd, modifier)));
    }
    if let Some(year) = s.year_at(i) {
        let cued = w != strip_period_prefix(w) || i > 0 && s.lower_is(i - 1, CUES);
        let number_follows = s.punct(i + 1, "%")
            || s.word(i + 1)
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
        if cued && !number_follows {
            return Some((i..i + 1, What::Fixed(Resolved::year(year)?, "a year")));
        }
    }
    None
}

/// After a day and a month: an optional `, 2022` makes it a full date.
fn day_and_month(
    s: &Scan<'_, '_>,
    from: usize,
    after: usize,
    month: u32,
    day: u32,
) -> (Range<usize>, What) {
    let y = s.skip(after, ",");
    if let Some(year) = s.year_at(y)
        && let Some(d) = NaiveDate::from_ymd_opt(year, month, day)
    {
        return (from..y + 1, What::Fixed(Resolved::day(d), "a date"));
    }
    (from..after, What::DayNoYear(month, day))
}

/// Phrases relative to the article date alone: `yesterday`, `last week`,
/// `earlier this year`, `three days ago`. Gives the length in tokens.
fn relative(
    s: &Scan<'_, '_>,
    i: usize,
    article: NaiveDate,
) -> Option<(usize, Resolved, &'static str)> {
    let lw = |k: usize| {
        s.word(i + k)
            .map(str::to_ascii_lowercase)
            .unwrap_or_default()
    };
    let (a, b, c, d) = (lw(0), lw(1), lw(2), lw(3));
    let day = |n: i64| {
        article
            .checked_add_signed(chrono::TimeDelta::days(n))
            .map(Resolved::day)
    };
    let this_month = Resolved::month(article.year(), article.month());
    let month_shift = |n: i32| {
        let m = article.year() * 12 + article.month0() as i32 + n;
        Resolved::month(m.div_euclid(12), m.rem_euclid(12) as u32 + 1)
    };
    let year = |n: i32| Resolved::year(article.year() + n);
    Some(match (a.as_str(), b.as_str(), c.as_str(), d.as_str()) {
        ("the", "day", "before", "yesterday") => (4, day(-2)?, "two days before the article"),
        ("the", "day", "after", "tomorrow") => (4, day(2)?, "two days after the article"),
        ("yesterday", ..) => (1, day(-1)?, "the day before the article"),
        ("today" | "tonight", ..) => (1, day(0)?, "the article date"),
        ("tomorrow", ..) => (1, day(1)?, "the day after the article"),
        ("last", "night", ..) => (2, day(-1)?, "the day before the article"),
        ("this", "morning" | "afternoon" | "evening", ..) => (2, day(0)?, "the article date"),
        ("earlier" | "later", "this", "year", _) | ("earlier" | "later", "in", "the", "year") => (
            if b == "this" { 3 } else { 4 },
            year(0)?.approx(),
            "the article's year, vaguely",
        ),
        ("earlier" | "later", "this", "month", _) | ("earlier" | "later", "in", "the", "month") => {
            (
                if b == "this" { 3 } else { 4 },
                this_month?.approx(),
                "the article's month, vaguely",
            )
        }
        ("last", "week", ..) => (2, day(-7)?.approx(), "about a week before the article"),
        ("this", "week", ..) => (2, day(0)?.approx(), "the article's week"),
        ("next", "week", ..) => (2, day(7)?.approx(), "about a week after the article"),
        ("last", "month", ..) => (2, month_shift(-1)?, "the month before the article's"),
        ("this", "month", ..) => (2, this_month?, "the article's month"),
        ("next", "month", ..) => (2, month_shift(1)?, "the month after the article's"),
        ("last", "year", ..) => (2, year(-1)?, "the year before the article's"),
        ("this", "year", ..) => (2, year(0)?, "the article's year"),
        ("next", "year", ..) => (2, year(1)?, "the year after the article's"),
        (n, unit, "ago", _) => {
            let n = count_word(n)?;
            let back = match unit {
                "day" | "days" => day(-(n as i64))?,
                "week" | "weeks" => day(-7 * n as i64)?.approx(),
                "month" | "months" => month_shift(-(n as i32))?.approx(),
                "year" | "years" => year(-(n as i32))?.approx(),
                _ => return None,
            };
            (3, back, "counted back from the article date")
        }
        _ => return None,
    })
}
