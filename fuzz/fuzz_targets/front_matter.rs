//! Fuzzes the front matter splitter of articles and pages, and the import's
//! reading of a Markdown input's front matter.
#![no_main]

use annals::import::front::split_front;
use annals::source::{SourceFile, split_front_matter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::from_text("content/articles/fuzz.md", text);
    if let Ok(fm) = split_front_matter(&file) {
        // The parts are slices of the text, in order, and the body's line is
        // the count of lines before it, plus one.
        let lines_before = file.text.len() - fm.body.len();
        let newlines = file.text[..lines_before].matches('\n').count();
        assert!(fm.body_line == newlines + 1 || !file.text[..lines_before].ends_with('\n'));
        assert!(fm.yaml.len() <= file.text.len());
    }
    let _ = split_front(text);
});
