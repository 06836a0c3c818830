//! Words of a sentence: the tokens the date finder, the tense guesser and the
//! title drafter walk over.
//!
//! A word is a run of letters and digits, with inner hyphens and apostrophes
//! kept (`full-scale`, `Monday’s`, `2022-02-24`); everything else that is not
//! a space is a one-character punctuation token.

/// One token of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written.
    pub text: &'a str,
    /// Byte offset of its first character in the sentence.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// True for words (letters and digits), false for punctuation.
    pub word: bool,
}

impl<'a> Token<'a> {
    /// The word without a possessive ending: `Monday’s` → `Monday`.
    pub fn bare(&self) -> &'a str {
        for suffix in ["'s", "’s", "'", "’"] {
            if let Some(stem) = self.text.strip_suffix(suffix)
                && !stem.is_empty()
            {
                return stem;
            }
        }
        self.text
    }

    /// True when the word has a possessive ending.
    pub fn possessive(&self) -> bool {
        self.bare().len() != self.text.len()
    }

    /// True when this is the word `w`, ignoring ASCII case (possessives kept).
    pub fn is(&self, w: &str) -> bool {
        self.word && self.text.eq_ignore_ascii_case(w)
    }

    /// True when this is one of `words`, ignoring ASCII case.
    pub fn is_any(&self, words: &[&str]) -> bool {
        self.word && words.iter().any(|w| self.text.eq_ignore_ascii_case(w))
    }

    /// True for a punctuation mark that ends a clause: `, ; : ( ) — –` and quotes.
    pub fn is_boundary(&self) -> bool {
        !self.word
            && matches!(
                self.text,
                "," | ";" | ":" | "(" | ")" | "—" | "–" | "\"" | "“" | "”" | "[" | "]"
            )
    }

    /// True when the word starts with an upper-case letter.
    pub fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

fn joins(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‑')
}

/// Splits a sentence into words and punctuation marks.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            out.push(Token {
                text: &text[start..end],
                start,
                end,
                word: false,
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                end = i + c.len_utf8();
                chars.next();
            } else if joins(c)
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                chars.next();
            } else {
                break;
            }
        }
        out.push(Token {
            text: &text[start..end],
            start,
            end,
            word: true,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_marks() {
        let t = tokenize("The full-scale invasion, on Monday’s 2022-02-24 (U.S.)");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "The",
                "full-scale",
                "invasion",
                ",",
                "on",
                "Monday’s",
                "2022-02-24",
                "(",
                "U",
                ".",
                "S",
                ".",
                ")"
            ]
        );
        assert_eq!(t[5].bare(), "Monday");
        assert!(t[5].possessive());
        assert!(t[3].is_boundary());
        assert!(t[0].is("the"));
    }
}
