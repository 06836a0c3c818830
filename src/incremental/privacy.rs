//! The privacy scan of a rebuild: each file's findings kept while its size
//! and modification time stay the same, so that only edited files are read
//! and scanned again.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use foldhash::HashMap;

use crate::config::Config;
use crate::error::Diagnostics;
use crate::privacy::{self, Finding};

/// The findings of every file scanned by the last rebuild.
#[derive(Default)]
pub struct Scans {
    files: HashMap<PathBuf, (u64, SystemTime, Vec<Finding>)>,
}

impl Scans {
    /// Checks the site at `root` as [`privacy::check`] does.
    pub fn check(&mut self, root: &Path, config: &Config, diags: &mut Diagnostics) {
        let mut seen = HashMap::default();
        privacy::check_with(
            root,
            config.privacy_strict,
            config.allow_raw_html,
            diags,
            &mut |path| {
                let meta = std::fs::metadata(path).ok()?;
                let stamp = (meta.len(), meta.modified().ok()?);
                let found = match self.files.remove(path) {
                    Some((len, time, found)) if (len, time) == stamp => found,
                    _ => privacy::scan(&std::fs::read_to_string(path).ok()?),
                };
                seen.insert(path.to_path_buf(), (stamp.0, stamp.1, found.clone()));
                Some(found)
            },
        );
        self.files = seen;
    }
}
