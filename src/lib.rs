//! annals: a static site generator for conflict timelines.
//!
//! Data moves one way: `Config → Content → Chronology → rendered outputs → disk`.
//! [`site::build`] and [`site::check`] run the whole pipeline; the modules
//! below are its stages.

pub mod assets;
pub mod chronology;
pub mod chunked;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod date_names;
pub mod date_suggest;
pub mod digest;
pub mod encoding;
pub mod error;
pub mod export;
pub mod fields;
pub mod i18n;
pub mod import;
pub mod incremental;
pub mod init;
pub mod linkcheck;
pub mod map;
pub mod markdown;
pub mod media;
pub mod memtrace;
pub mod output;
pub mod privacy;
pub mod publish;
pub mod reads;
pub mod render;
pub mod script_safe;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod suggest;
#[cfg(test)]
pub mod testing;
pub mod trust;
pub mod verify;
pub mod yaml_errors;
pub mod yaml_guard;
pub mod yaml_locate;
