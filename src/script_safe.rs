//! JSON and JavaScript that stay harmless if a page ever inlines them in a
//! `<script>` element: `</` is written `<\/` (so no `</script>` can end the
//! element early) and the line separators U+2028 and U+2029 as `\u2028` and
//! `\u2029` (which older JavaScript reads as line ends inside strings). Both
//! can only occur inside JSON strings, where the escaped forms mean the same.

/// `bytes` (JSON, or JavaScript made of JSON) with `</`, U+2028 and U+2029 escaped.
pub fn escape(bytes: Vec<u8>) -> Vec<u8> {
    let needs = bytes.windows(2).any(|w| w == b"</") || bytes.windows(3).any(is_separator);
    if !needs {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"</") {
            out.extend_from_slice(b"<\\/");
            i += 2;
        } else if rest.len() >= 3 && is_separator(&rest[..3]) {
            out.extend_from_slice(if rest[2] == 0xA8 {
                b"\\u2028"
            } else {
                b"\\u2029"
            });
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Like [`escape`], for text.
pub fn escape_str(text: String) -> String {
    String::from_utf8(escape(text.into_bytes()))
        .unwrap_or_else(|_| unreachable!("only ASCII replaces whole UTF-8 sequences"))
}

/// The UTF-8 bytes of U+2028 or U+2029.
fn is_separator(w: &[u8]) -> bool {
    w[0] == 0xE2 && w[1] == 0x80 && (w[2] == 0xA8 || w[2] == 0xA9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_end_a_script() {
        let json = serde_json::to_string("a</script><b>\u{2028}c\u{2029}").unwrap();
        let safe = escape_str(json.clone());
        assert_eq!(safe, "\"a<\\/script><b>\\u2028c\\u2029\"");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, serde_json::from_str::<String>(&json).unwrap());
        assert_eq!(escape(b"{\"a\": 1}".to_vec()), b"{\"a\": 1}");
    }
}
