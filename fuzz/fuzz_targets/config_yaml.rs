//! Fuzzes the configuration loader through the YAML layer: any text as
//! `site.yaml`, every error message formatted.
#![no_main]

use annals::config::Config;
use annals::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(&SourceFile::from_text("site.yaml", text)) {
        Ok(config) => {
            let _ = config.base_path();
            let _ = config.date_style();
        }
        Err(diags) => {
            assert!(diags.has_errors());
            let _ = diags.to_string();
        }
    }
});
