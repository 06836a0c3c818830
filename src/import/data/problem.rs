//! A problem with a dataset input: the file, the line, the column and the
//! cell's value when there is one, and what is wrong; shown in the
//! compiler style the rest of annals uses.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::display_path;

/// A problem with an input: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// Its line (0: the file as a whole).
    pub line: usize,
    /// The column, and the cell's value.
    pub cell: Option<(String, String)>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// About a whole file.
    pub fn file(path: &Path, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: 0,
            cell: None,
            message: message.into(),
        }
    }

    /// About one line.
    pub fn at(path: &Path, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line,
            cell: None,
            message: message.into(),
        }
    }

    /// About one cell: file:line:column and its value.
    pub fn cell(
        path: &Path,
        line: usize,
        column: &str,
        value: &str,
        why: impl fmt::Display,
    ) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line,
            cell: Some((column.to_string(), value.to_string())),
            message: why.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", display_path(&self.path))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        match &self.cell {
            Some((col, value)) => write!(f, ": column {col}: \"{value}\": {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}
