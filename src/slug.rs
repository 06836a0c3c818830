//! Slugs for URLs: transliterated to ASCII, lower case, single hyphens.

/// Turns any text into an id-shaped slug: "Black Sea Grain Deal" →
/// "black-sea-grain-deal", "Київ" → "kiyiv". Empty when nothing is left.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            pending_hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            ("Black Sea Grain Deal", "black-sea-grain-deal"),
            ("  --Hello,  World!-- ", "hello-world"),
            ("Київ", "kiyiv"),
            ("Zelensky's visit", "zelenskys-visit"),
            ("already-a-slug", "already-a-slug"),
            ("???", ""),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input}");
        }
    }
}
