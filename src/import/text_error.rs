//! Why an input cannot be read as an article, with the line when known;
//! shared by the text reader and the front matter reader.

/// Why an input cannot be read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl TextError {
    pub(super) fn new(line: Option<usize>, message: impl Into<String>) -> TextError {
        TextError {
            line,
            message: message.into(),
        }
    }
}
