//! Fuzzes the events loader through the YAML layer: any text as an events
//! file, every error message formatted (which finds each error's line).
#![no_main]

use annals::content::event::parse_events_file;
use annals::date::DateStyle;
use annals::error::Diagnostics;
use annals::source::YamlSource;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = YamlSource::new(Path::new("content/events/fuzz.yaml"), text, 0);
    let mut diags = Diagnostics::new();
    let file = parse_events_file(&doc, DateStyle::from(chrono_tz::Europe::Kyiv), &mut diags);
    for event in &file.events {
        assert!(!event.id.value.is_empty());
        let _ = event.dates.display();
    }
    let _ = diags.to_string();
});
