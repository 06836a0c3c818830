//! Date mentions: finding them in a sentence and resolving them against the
//! article's date.
//!
//! What is found (month and weekday names must be capitalised):
//!
//! | written | resolves to | precision |
//! |---|---|---|
//! | `2022-02-24`, `24 February 2022`, `February 24, 2022`, `the 24th of February 2022` | that day | day |
//! | `Feb. 24`, `24 February` (no year) | that day in the year that puts it nearest the article date, or by tense (below) | day |
//! | `February 2022`, `mid-February 2022` | that month | month |
//! | `in February`, `last December`, `next March` (no year) | see below | month |
//! | `in 2014`, `since 2014`, `the 2022 invasion` (a year after a preposition or `the`) | that year | year |
//! | `today`, `tonight`, `this morning` / `yesterday`, `last night` / `tomorrow` | the article date / the day before / the day after | day |
//! | `last week`, `this week`, `next week`, `two weeks ago` | 7 days before / the article date / 7 days after / 14 days before | day, approximate |
//! | `three days ago` | 3 days before | day |
//! | `last month`, `this month`, `next month` | that month | month |
//! | `earlier this month`, `later this month` | the article's month | month, approximate |
//! | `last year`, `this year`, `next year` | that year | year |
//! | `earlier this year`, `later this year`, `two years ago` | that year | year, approximate |
//! | `Monday`, `on Monday`, `Monday's talks`, `last Monday`, `next Monday` | see below | day |
//!
//! **Tense.** For a weekday, a month without a year and a day without a
//! year, the tense of the sentence decides the direction. The nearest cue
//! to the mention wins (a cue across a comma counts as far away): future
//! cues are `will`, `'ll`, `shall`, `would`, `to be`, `is set to`, `going
//! to`, `due`, `expected`, `scheduled`, `planned`, `upcoming`, `coming`,
//! `next`, `ahead`, `later`; past cues are `was`, `were`, `had`, `did`,
//! `ago`, `earlier`, `already`, common irregular past forms (`met`, `held`,
//! `said`, `told`, ...) and words ending in `-ed` (except after `be`, `is`,
//! `are`: "will be held" is not past).
//!
//! **Weekdays.** Past tense: the latest such weekday *on or before* the
//! article date (an article dated Sunday saying "revealed on Sunday" means
//! that Sunday). Future tense: the earliest *on or after* it (news style
//! names today by its weekday too). No cue: the nearest of the two (the
//! article's own weekday is that day). `last Monday` is strictly before the
//! article date, `next Monday` and `this coming Monday` strictly after.
//! A weekday whose only tense cue is far from it (not within three words in
//! the same clause) takes the date of a clearly resolved mention of the same
//! weekday elsewhere in the article, when there is one: in "the Monday
//! meeting will ..." and later "... during Monday's discussions", both are
//! the same Monday.
//!
//! **Months without a year.** `last December`: the latest December before
//! the article's month; `next March`: the earliest after it; `this March`:
//! the article's year. Otherwise past tense takes the latest on or before
//! the article's month, future tense the earliest on or after, and no cue
//! the nearest. Days without a year follow the same rule.
//!
//! Arithmetic uses `chrono::NaiveDate` only: no clock and no time zone is
//! involved, so the result never depends on the machine.

mod find;
mod resolve;
pub mod tense;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::date::Precision;
pub use find::{find, is_date_word, weekday_label};
pub use resolve::resolve_all;
use tense::Tense;

/// A resolved date: where its period starts, how precise, whether vague.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resolved {
    /// The first day of the period.
    pub start: NaiveDate,
    /// Year, month or day.
    pub precision: Precision,
    /// "Circa": the text was vague ("earlier this year").
    pub approximate: bool,
}

impl Resolved {
    /// A day.
    pub fn day(date: NaiveDate) -> Resolved {
        Resolved {
            start: date,
            precision: Precision::Day,
            approximate: false,
        }
    }

    /// A month; `None` when out of range.
    pub fn month(year: i32, month: u32) -> Option<Resolved> {
        Some(Resolved {
            start: NaiveDate::from_ymd_opt(year, month, 1)?,
            precision: Precision::Month,
            approximate: false,
        })
    }

    /// A year; `None` when out of range.
    pub fn year(year: i32) -> Option<Resolved> {
        Some(Resolved {
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            precision: Precision::Year,
            approximate: false,
        })
    }

    /// The same, marked approximate.
    pub fn approx(self) -> Resolved {
        Resolved {
            approximate: true,
            ..self
        }
    }

    /// The date without its `~` marker: `2025-08-18`, `2022-02`, `2025`.
    pub fn plain(&self) -> String {
        let d = self.start;
        match self.precision {
            Precision::Year => format!("{:04}", d.year()),
            Precision::Month => format!("{:04}-{:02}", d.year(), d.month()),
            _ => d.format("%Y-%m-%d").to_string(),
        }
    }
}

impl fmt::Display for Resolved {
    /// The date in the content format's syntax: `2025-08-18`, `2022-02`, `2025~`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())?;
        if self.approximate {
            f.write_str("~")?;
        }
        Ok(())
    }
}

/// A word in front of a weekday or month that fixes its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modifier {
    None,
    Last,
    Next,
    This,
}

/// What a mention says before it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// Absolute, or relative to the article date only.
    Fixed(Resolved, &'static str),
    DayNoYear(u32, u32),
    Month(u32, Modifier),
    Weekday(Weekday, Modifier),
}

/// A date mention found in a sentence, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The words of the mention, as written.
    pub text: String,
    /// Its tokens in the sentence.
    pub tokens: Range<usize>,
    pub(crate) what: What,
    pub(crate) tense: Tense,
    /// The tense cue is within three words, in the same clause.
    pub(crate) strong: bool,
}

/// A resolved date mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The words of the mention, as written.
    pub text: String,
    /// Its tokens in the sentence.
    pub tokens: Range<usize>,
    /// The date it stands for.
    pub resolved: Resolved,
    /// How it was resolved, for the reviewer.
    pub rule: String,
}
