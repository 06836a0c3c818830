//! Fuzzes the Markdown renderer: any text rendered with and without raw HTML,
//! as plain text and as an excerpt.
#![no_main]

use annals::markdown::{excerpt, plain_text, to_html};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let rendered = to_html(text, "events/fuzz/", "../../", flags & 1 == 1);
    let lines = text.matches('\n').count();
    for (_, line) in &rendered.internal_links {
        assert!(*line <= lines);
    }
    let plain = plain_text(text);
    let cut = excerpt(&plain, usize::from(flags >> 1));
    assert!(cut.chars().count() <= usize::from(flags >> 1) + 1);
});
