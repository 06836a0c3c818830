//! Telling text in another encoding from UTF-8 by its first bytes, so that a
//! file saved as UTF-16 (as some Windows editors do) is named for what it is,
//! with how to convert it, instead of being called "not valid UTF-8".

use std::fmt;

/// An encoding annals does not read, recognised by its byte-order mark (or,
/// for UTF-16 without one, by the zero bytes every ASCII character carries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
    /// UTF-7, UTF-1, UTF-EBCDIC, SCSU, BOCU-1 or GB18030, by their marks.
    OtherMarked(&'static str),
}

impl Encoding {
    /// The name `iconv -f` takes.
    pub fn iconv_name(self) -> &'static str {
        match self {
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
            Encoding::OtherMarked(name) => name,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Utf32Le => "UTF-32 (little-endian)",
            Encoding::Utf32Be => "UTF-32 (big-endian)",
            Encoding::OtherMarked(name) => name,
        };
        f.write_str(name)
    }
}

/// The encoding of `bytes` when it is plainly not UTF-8 (a foreign
/// byte-order mark, or UTF-16 text without one); `None` otherwise.
pub fn other_encoding(bytes: &[u8]) -> Option<Encoding> {
    // UTF-32 first: its little-endian mark starts like UTF-16's.
    const MARKS: [(&[u8], Encoding); 10] = [
        (&[0xFF, 0xFE, 0x00, 0x00], Encoding::Utf32Le),
        (&[0x00, 0x00, 0xFE, 0xFF], Encoding::Utf32Be),
        (&[0xFF, 0xFE], Encoding::Utf16Le),
        (&[0xFE, 0xFF], Encoding::Utf16Be),
        (&[0x2B, 0x2F, 0x76], Encoding::OtherMarked("UTF-7")),
        (&[0xF7, 0x64, 0x4C], Encoding::OtherMarked("UTF-1")),
        (
            &[0xDD, 0x73, 0x66, 0x73],
            Encoding::OtherMarked("UTF-EBCDIC"),
        ),
        (&[0x0E, 0xFE, 0xFF], Encoding::OtherMarked("SCSU")),
        (&[0xFB, 0xEE, 0x28], Encoding::OtherMarked("BOCU-1")),
        (&[0x84, 0x31, 0x95, 0x33], Encoding::OtherMarked("GB18030")),
    ];
    if let Some((_, e)) = MARKS.iter().find(|(mark, _)| bytes.starts_with(mark)) {
        return Some(*e);
    }
    // No mark: ASCII text in UTF-16 has a zero in every other byte.
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() >= 4 {
        let zeros = |odd: usize| {
            head.iter()
                .skip(odd)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        let half = head.len() / 2;
        if zeros(1) * 10 >= half * 9 && zeros(0) == 0 {
            return Some(Encoding::Utf16Le);
        }
        if zeros(0) * 10 >= half * 9 && zeros(1) == 0 {
            return Some(Encoding::Utf16Be);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn recognises_marks_and_bare_utf16() {
        assert_eq!(
            other_encoding(&utf16le("id: a\n", true)),
            Some(Encoding::Utf16Le)
        );
        assert_eq!(
            other_encoding(&utf16le("- id: a\n  date: 2022\n", false)),
            Some(Encoding::Utf16Le)
        );
        let be: Vec<u8> = "id: a\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(other_encoding(&be), Some(Encoding::Utf16Be));
        assert_eq!(
            other_encoding(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]),
            Some(Encoding::Utf32Le)
        );
        assert_eq!(other_encoding("\u{feff}id: a\n".as_bytes()), None);
        assert_eq!(other_encoding("id: київ\n".as_bytes()), None);
        assert_eq!(other_encoding(b""), None);
        assert_eq!(Encoding::Utf16Le.iconv_name(), "UTF-16LE");
    }
}
