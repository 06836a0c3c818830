//! The words the search index knows an entry by, cut exactly as `annals.js`
//! cuts a query: lower case, accents taken off (NFD without U+0300–U+036F),
//! curly apostrophes made straight, then runs of letters and digits
//! (Unicode's Alphabetic and Numeric, the script's `[\p{Alphabetic}\p{N}]`).
//! Both sides must agree to the character, or a word the page shows would
//! never be found.

use unicode_normalization::UnicodeNormalization;

/// `text` as the finder compares it: lower case, without combining accents.
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        })
        .collect()
}

/// The words of `text`, normalised, in order (with repeats).
pub fn words(text: &str) -> impl Iterator<Item = String> {
    normalise(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The distinct words of all `texts`, sorted as [`js_order`] sorts them.
pub fn distinct<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<String> = texts.into_iter().flat_map(words).collect();
    all.sort_unstable_by(|a, b| js_order(a, b));
    all.dedup();
    all
}

/// The order of JavaScript's `<` on strings (UTF-16 code units), which the
/// script uses to find a word's shard among the shards' first words.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_without_accents() {
        let got: Vec<String> = words("Kyiv’s Café — NATO-summit, 2022: Zaporizhzhia").collect();
        assert_eq!(
            got,
            [
                "kyiv",
                "s",
                "cafe",
                "nato",
                "summit",
                "2022",
                "zaporizhzhia"
            ]
        );
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        let got: Vec<String> = words("Переговори у Києві; مفاوضات هدنة").collect();
        assert_eq!(got, ["переговори", "у", "києві", "مفاوضات", "هدنة"]);
    }

    #[test]
    fn distinct_words_sort_as_javascript_does() {
        // U+FF21 (fullwidth A, lower cased to U+FF41) sorts after the astral
        // U+1D400 in UTF-8 but before it in UTF-16.
        let got = distinct(["b a b", "\u{1d41a} \u{ff41}"]);
        assert_eq!(got, ["a", "b", "\u{1d41a}", "\u{ff41}"]);
    }
}
