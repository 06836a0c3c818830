//! What the `basic` fixture holds: its published entries in chronology order,
//! the marks of its drafts, its titles that need care.

use super::Site;

/// The published entries of `basic`, in the order the spec gives them.
pub const BASIC_ORDER: &[&str] = &[
    // The same start: the year, then the month, then the day.
    "year-2022",
    "jan-2022",
    "new-year-day",
    "early-warning",
    // The day 2022-02-24 starts at 00:00 Kyiv time, before both instants.
    "invasion-day",
    // 06:00+05:00 is 01:00 UTC, earlier than 05:00+02:00 (03:00 UTC): instants, not text.
    "z-rockets",
    "a-strike",
    "invasion-explainer",
    // The approximate month of March before its days.
    "convoy",
    // Same start, shorter span first (although "talks-long" < "talks-short").
    "talks-short",
    "talks-long",
    "local-time",
    "theatre-strike",
    // Equal in all but id (declared b before a).
    "tie-a",
    "tie-b",
    "siege-percent",
    "kherson-offensive",
    "kherson-liberated",
    "script-title",
    "raw-html",
    "jeddah-talks-notes",
    // From the single-mapping `.yml` file.
    "alaska-summit-2025",
];

/// What identifies the draft event and the draft article of `basic` in any output.
pub const DRAFT_MARKS: &[&str] = &[
    "secret-draft",
    "Quokka Draft Event",
    "quokka-tag",
    "draft-notes",
    "Okapi Draft Notes",
    "okapi-tag",
];

/// An event title that must never reach a page as markup.
pub const SCRIPT_TITLE: &str = "<script>alert(1)</script>";

/// The title of `kherson-liberated`.
pub const UKRAINIAN_TITLE: &str = "Звільнення Херсона";

/// The title of the article `jeddah-talks-notes`.
pub const ARABIC_TITLE: &str = "محادثات جدة حول أوكرانيا";

/// A copy of `basic` built with `annals build ARGS`, which must succeed.
pub fn built(args: &[&str]) -> Site {
    let site = Site::fixture("basic");
    site.build(args).success();
    site
}
