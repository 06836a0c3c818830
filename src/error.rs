//! Diagnostics: every problem found in a run, with the file, line and column it came from.
//!
//! Loading never stops at the first problem: each stage pushes into a
//! [`Diagnostics`] list and one gate after loading decides whether to render.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a problem is: a file relative to the site root, and a line and
/// column (both 1-based) where they can be known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file, relative to the site root, written with `/`.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Span {
    /// A span naming a whole file.
    pub fn file(file: impl Into<PathBuf>) -> Span {
        Span {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A span at a line and column of a file.
    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Span {
        Span {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// A path as shown in messages: forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Longest part of a value a message shows.
const SHOWN_CHARS: usize = 60;

/// A value as a message shows it: whole when short, else its first 60
/// characters and its size, so that a huge value cannot flood the terminal.
pub fn cut(value: &str) -> String {
    match value.char_indices().nth(SHOWN_CHARS) {
        None => value.to_string(),
        Some((at, _)) => format!("{}... ({} bytes)", &value[..at], value.len()),
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Stops the build (exit status 1).
    Error,
    /// Reported; the build goes on.
    Warning,
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where; `None` for problems of the whole run (an unreadable output folder).
    pub span: Option<Span>,
    /// The message: names the offending value and, where it helps, the fix.
    pub message: String,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span: Some(span),
            message: message.into(),
        }
    }

    /// A warning at a place.
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span: Some(span),
            message: message.into(),
        }
    }

    /// An error of the whole run, tied to no file.
    pub fn global(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span: None,
            message: message.into(),
        }
    }

    /// True for errors (not warnings).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.span {
            Some(span) => write!(f, "{label}: {span}: {}", self.message),
            None => write!(f, "{label}: {}", self.message),
        }
    }
}

/// Every problem of a run, in the order a reader expects: by file, then line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds an error at a place.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::error(span, message));
    }

    /// Adds a warning at a place.
    pub fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::warning(span, message));
    }

    /// Moves every problem of `other` into this list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one error (not a warning) was found.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// True when nothing at all was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems sorted by file, line and column, errors before warnings at one place.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.span, a.severity, &a.message).cmp(&(&b.span, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.clone().sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_compiler_style() {
        let d = Diagnostic::error(
            Span::at("content/events/2025.yaml", 12, 7),
            "invalid date \"2025-13-01\": month must be 01-12",
        );
        assert_eq!(
            d.to_string(),
            "error: content/events/2025.yaml:12:7: invalid date \"2025-13-01\": month must be 01-12"
        );
        let w = Diagnostic::warning(Span::file("site.yaml"), "x");
        assert_eq!(w.to_string(), "warning: site.yaml: x");
    }

    #[test]
    fn long_values_are_cut() {
        assert_eq!(cut("short"), "short");
        let long = "x".repeat(10_000);
        assert_eq!(cut(&long), format!("{}... (10000 bytes)", "x".repeat(60)));
        assert_eq!(
            cut(&"й".repeat(61)),
            format!("{}... (122 bytes)", "й".repeat(60))
        );
    }

    #[test]
    fn sorts_by_file_then_line() {
        let mut all = Diagnostics::new();
        all.error(Span::at("b.yaml", 1, 1), "b");
        all.error(Span::at("a.yaml", 9, 1), "a9");
        all.error(Span::at("a.yaml", 2, 1), "a2");
        let order: Vec<_> = all.sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(order, ["a2", "a9", "b"]);
    }
}
