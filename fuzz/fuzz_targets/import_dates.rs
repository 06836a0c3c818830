//! Fuzzes the import's date resolver: date mentions found in any text (one
//! sentence a line), resolved against an article date taken from the input.
#![no_main]

use annals::import::dates::{find, resolve_all};
use annals::import::words::tokenize;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((day, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // An article date between 1 January 1900 and about 2079, from two bytes.
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
    let article = first + chrono::Days::new(u64::from(u16::from_le_bytes(*day)));
    let sentences: Vec<&str> = text.lines().collect();
    let found: Vec<_> = sentences
        .iter()
        .map(|s| find(&tokenize(s), s, article))
        .collect();
    let mentions = resolve_all(&found, article);
    assert_eq!(mentions.len(), sentences.len());
    for m in mentions.iter().flatten() {
        let _ = m.resolved.to_string();
        let _ = m.resolved.plain();
    }
});
