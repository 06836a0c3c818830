//! Figures and status as text: status labels, contested figures written as
//! honest ranges, the ranges an event's claims span and their totals over a
//! list of events, and the count of independent publishers. Plain values,
//! for cards, pages and exports alike.

use serde::Serialize;

use crate::chronology::Chronology;
use crate::content::provenance::Figure;
use crate::fields::is_valid_id;
use crate::i18n::Translations;

/// The label of a status, as badges show it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "corroborated" => "Corroborated",
        "unverified" => "Unverified",
        "disputed" => "Disputed",
        "debunked" => "Debunked",
        "draft" => "Draft",
        _ => "Confirmed",
    }
}

/// The words figures are written with, in the language of a tree: from
/// the site's translation tables, with its digits.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    table: &'a Translations,
    lang: &'a str,
    arabic_digits: bool,
}

impl<'a> Words<'a> {
    /// The words of the tree `chron` tells.
    pub fn of(chron: &'a Chronology) -> Words<'a> {
        Words {
            table: chron.config.words.tables(),
            lang: &chron.config.language,
            arabic_digits: chron.config.arabic_digits,
        }
    }

    /// English, with Latin digits.
    pub fn english() -> Words<'static> {
        Words {
            table: Translations::shared(),
            lang: "en",
            arabic_digits: false,
        }
    }

    /// The text of `key` with `args` put in (`n` chooses a plural form).
    pub fn text(&self, key: &str, n: Option<u64>, args: &[(&str, String)]) -> String {
        let n = n.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        self.table
            .text_in(self.lang, key, n, args, self.arabic_digits)
    }

    /// A count for people: `1,200` (`1 200` in Ukrainian).
    pub fn count(&self, n: u64) -> String {
        let text = grouped(n, &self.text("figures.group", None, &[]));
        if self.arabic_digits {
            crate::i18n::to_arabic_digits(&text)
        } else {
            text
        }
    }

    /// `12–40`, or one number when both ends agree.
    pub fn range(&self, low: u64, high: u64) -> String {
        if low == high {
            self.count(low)
        } else {
            format!("{}–{}", self.count(low), self.count(high))
        }
    }

    /// The name of a kind of figure (`killed`), as a column heads it.
    pub fn kind(&self, kind: &str) -> String {
        let key = format!("figures.kind.{kind}");
        let text = self.text(&key, None, &[]);
        if text == key { kind.to_string() } else { text }
    }

    /// A number of one kind: `12–40 killed`. The plural form follows the
    /// high end; a form written without the number (Arabic "one") gives way
    /// to the general one, so that the number is always shown.
    pub fn of_kind(&self, numbers: &str, high: u64, kind: &str) -> String {
        let key = format!("figures.n.{kind}");
        let args = [("num", numbers.to_string())];
        let text = self.text(&key, Some(high), &args);
        if text == key {
            return format!("{numbers} {kind}");
        }
        if text.contains(numbers) {
            text
        } else {
            self.text(&key, None, &args)
        }
    }
}

/// `n` with `sep` between groups of three digits.
fn grouped(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A count for people, in English: `1,200`.
pub fn count_text(n: u64) -> String {
    grouped(n, ",")
}

/// `12–40`, or one number when both ends agree (English digits).
pub fn range_text(low: u64, high: u64) -> String {
    Words::english().range(low, high)
}

/// The numbers of one claim, as written: a range, a best estimate, or a
/// bound; never a number the claim does not give.
pub fn claim_numbers(w: &Words<'_>, f: &Figure) -> String {
    let c = |n| w.count(n);
    let t = |key: &str, args: &[(&str, String)]| w.text(key, None, args);
    match (f.low, f.best, f.high) {
        (Some(l), Some(b), Some(h)) if l != h => {
            t("figures.best", &[("range", w.range(l, h)), ("best", c(b))])
        }
        (Some(l), None, Some(h)) => w.range(l, h),
        (Some(l), _, Some(_)) => c(l),
        (None, Some(b), None) => c(b),
        (Some(l), Some(b), None) => t("figures.at_least_of", &[("n", c(b)), ("low", c(l))]),
        (None, Some(b), Some(h)) => t("figures.up_to_of", &[("n", c(b)), ("high", c(h))]),
        (Some(l), None, None) => t("figures.at_least", &[("n", c(l))]),
        (None, None, Some(h)) => t("figures.up_to", &[("n", c(h))]),
        (None, None, None) => t("figures.no_number", &[]),
    }
}

/// Who makes a claim, for people: an actor's name when `by` has an id's
/// form, else the text as written.
pub fn claimant(chron: &Chronology, by: &str) -> String {
    if is_valid_id(by) {
        chron.actor_name(by).to_string()
    } else {
        by.to_string()
    }
}

/// Every claim of an event in one line, kinds in the order first met and
/// each kind named once: `12–40 killed (UN OHCHR); 85 (Ministry of Health)`.
pub fn figures_text(chron: &Chronology, figures: &[Figure]) -> String {
    let w = Words::of(chron);
    let mut parts: Vec<String> = Vec::new();
    for kind in kinds_of(figures) {
        for (i, f) in figures.iter().filter(|f| f.kind == kind).enumerate() {
            let numbers = claim_numbers(&w, f);
            let mut part = if i == 0 {
                let high = f.high.or(f.best).or(f.low).unwrap_or(0);
                w.of_kind(&numbers, high, &kind)
            } else {
                numbers
            };
            if let Some(by) = &f.by {
                part.push_str(&format!(" ({})", claimant(chron, &by.value)));
            }
            parts.push(part);
        }
    }
    parts.join("; ")
}

/// The kinds of figures, in the order first met.
pub fn kinds_of(figures: &[Figure]) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for f in figures {
        if !kinds.contains(&f.kind) {
            kinds.push(f.kind.clone());
        }
    }
    kinds
}

/// What an event's claims of one kind span: from the lowest number any
/// claim gives to the highest.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KindSpan {
    /// killed, injured, ...
    pub kind: String,
    /// The lowest number claimed.
    pub low: u64,
    /// The highest number claimed.
    pub high: u64,
}

/// Per kind, the range all of an event's claims span.
pub fn kind_spans(figures: &[Figure]) -> Vec<KindSpan> {
    kinds_of(figures)
        .into_iter()
        .filter_map(|kind| {
            let spans: Vec<(u64, u64)> = figures
                .iter()
                .filter(|f| f.kind == kind)
                .filter_map(Figure::span)
                .collect();
            let low = spans.iter().map(|s| s.0).min()?;
            let high = spans.iter().map(|s| s.1).max()?;
            Some(KindSpan { kind, low, high })
        })
        .collect()
}

/// The total of one kind over a list of events.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KindTotal {
    /// killed, injured, ...
    pub kind: String,
    /// The sum of every event's lowest claim.
    pub low: u64,
    /// The sum of every event's highest claim.
    pub high: u64,
    /// "12–125 killed".
    pub display: String,
    /// How many events have a figure of this kind.
    pub events: usize,
    /// How many events have none of this kind.
    pub without: usize,
}

/// Totals of the figures of a list of entries: ranges, never one number.
#[derive(Debug, Clone, Hash, Serialize, Default)]
pub struct Totals {
    /// Per kind, in the order first met.
    pub kinds: Vec<KindTotal>,
    /// How many events the list holds.
    pub events: usize,
    /// How many of them have no figure at all.
    pub without: usize,
    /// "1 event has no figure", or empty when every event has one.
    pub without_text: String,
}

impl Totals {
    /// The totals of these events' spans (`None` for an article).
    pub fn of<'a>(
        w: &Words<'_>,
        spans: impl IntoIterator<Item = Option<&'a [KindSpan]>>,
    ) -> Totals {
        let mut totals = Totals::default();
        for spans in spans.into_iter().flatten() {
            totals.events += 1;
            if spans.is_empty() {
                totals.without += 1;
            }
            for s in spans {
                match totals.kinds.iter_mut().find(|k| k.kind == s.kind) {
                    Some(k) => {
                        k.low += s.low;
                        k.high += s.high;
                        k.events += 1;
                    }
                    None => totals.kinds.push(KindTotal {
                        kind: s.kind.clone(),
                        low: s.low,
                        high: s.high,
                        display: String::new(),
                        events: 1,
                        without: 0,
                    }),
                }
            }
        }
        // The named kinds in their order (killed first), then the others by name.
        let rank = |k: &str| {
            crate::content::provenance::FIGURE_KINDS
                .iter()
                .position(|n| *n == k)
                .unwrap_or(usize::MAX)
        };
        totals
            .kinds
            .sort_by(|a, b| (rank(&a.kind), &a.kind).cmp(&(rank(&b.kind), &b.kind)));
        for k in &mut totals.kinds {
            k.without = totals.events - k.events;
            k.display = w.of_kind(&w.range(k.low, k.high), k.high, &k.kind);
        }
        totals.without_text = match totals.without {
            0 => String::new(),
            n => w.text("totals.without", Some(n as u64), &[]),
        };
        totals
    }
}

/// The host of an address.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.rsplit('@').next().unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ranges() {
        assert_eq!(count_text(85), "85");
        assert_eq!(count_text(1200), "1,200");
        assert_eq!(count_text(1_234_567), "1,234,567");
        assert_eq!(range_text(12, 40), "12–40");
        assert_eq!(range_text(7, 7), "7");
    }

    #[test]
    fn totals_sum_lows_and_highs_and_count_events_without_figures() {
        let a = [KindSpan {
            kind: "killed".into(),
            low: 12,
            high: 85,
        }];
        let b = [
            KindSpan {
                kind: "killed".into(),
                low: 3,
                high: 3,
            },
            KindSpan {
                kind: "injured".into(),
                low: 10,
                high: 20,
            },
        ];
        let none: [KindSpan; 0] = [];
        let t = Totals::of(
            &Words::english(),
            [Some(&a[..]), Some(&b[..]), Some(&none[..]), None],
        );
        assert_eq!(t.events, 3);
        assert_eq!(t.without, 1);
        assert_eq!(t.without_text, "1 event has no figure");
        assert_eq!(t.kinds[0].display, "15–88 killed");
        assert_eq!((t.kinds[0].events, t.kinds[0].without), (2, 1));
        assert_eq!(t.kinds[1].display, "10–20 injured");
        assert_eq!(t.kinds[1].without, 2);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://web.archive.org/web/2022/x"),
            "web.archive.org"
        );
        assert_eq!(host_of("http://archive.ph"), "archive.ph");
    }
}

#[cfg(test)]
mod words_tests {
    use super::*;

    #[test]
    fn arabic_kinds_take_the_plural_of_the_high_end() {
        let w = Words {
            table: Translations::shared(),
            lang: "ar",
            arabic_digits: false,
        };
        assert_eq!(w.of_kind("100–121", 121, "injured"), "100–121 جريحًا");
        assert_eq!(w.of_kind("1", 1, "killed"), "1 قتيل");
        assert_eq!(w.of_kind("5", 5, "killed"), "5 قتلى");
        assert_eq!(w.of_kind("3", 3, "made-up"), "3 made-up");
    }
}
