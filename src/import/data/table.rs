//! Reading a dataset file: its encoding checked (UTF-16 is named, not
//! garbled), then parsed as CSV (comma, semicolon or tab, as the header
//! uses) or as JSON, into a header and rows that remember their line.

use std::path::{Path, PathBuf};

use super::record::Row;

use super::problem::Problem;

/// Largest dataset file accepted (a full ACLED country export is ~100 MB).
const MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A spreadsheet: column names and rows of text cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, for messages.
    pub path: PathBuf,
    /// Column names as written in the header row.
    pub headers: Vec<String>,
    /// Each row's line in the file and its cells.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Every row, with what a reader needs to name its cells and its line.
    pub fn each_row(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, cells)| self.row(*line, cells))
    }

    /// One row of this table.
    pub fn row<'a>(&'a self, line: usize, cells: &'a [String]) -> Row<'a> {
        Row {
            path: &self.path,
            line,
            headers: &self.headers,
            cells,
        }
    }

    /// The index of a column, by name (case and surrounding spaces aside).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    /// An error unless every column named is present: names the missing
    /// ones and, for each, the closest present header.
    pub fn require(&self, names: &[&str]) -> Result<(), Problem> {
        let missing: Vec<String> = names
            .iter()
            .filter(|n| self.column(n).is_none())
            .map(|n| {
                let lower: Vec<String> = self
                    .headers
                    .iter()
                    .map(|h| h.trim().to_lowercase())
                    .collect();
                let close = crate::suggest::did_you_mean(n, lower.iter().map(String::as_str))
                    .or_else(|| {
                        // "event_id" for "event_id_cnty": the longest shared start, if telling.
                        lower
                            .iter()
                            .map(|h| {
                                (
                                    h.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count(),
                                    h,
                                )
                            })
                            .filter(|(k, _)| *k >= 4)
                            .max_by_key(|(k, _)| *k)
                            .map(|(_, h)| h.as_str())
                    });
                match close {
                    Some(close) => format!("{n} (closest present: {close})"),
                    None => n.to_string(),
                }
            })
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Problem::file(
            &self.path,
            format!(
                "the header lacks the required column{} {}; present: {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                self.headers.join(", ")
            ),
        ))
    }
}

/// Reads a file's bytes, refusing folders, huge files and UTF-16; strips a
/// UTF-8 byte-order mark.
pub fn read_text(path: &Path) -> Result<String, Problem> {
    let meta =
        std::fs::metadata(path).map_err(|e| Problem::file(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(Problem::file(path, "is a folder, not a dataset file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(Problem::file(path, "is larger than 2 GiB"));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Problem::file(path, format!("cannot read: {e}")))?;
    decode(path, bytes)
}

/// The text of a file's bytes, or why it is not UTF-8 text.
pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<String, Problem> {
    if let Some(which) = utf16(&bytes) {
        return Err(Problem::file(
            path,
            format!(
                "is UTF-16 ({which}), not UTF-8: save or export it as UTF-8 (CSV UTF-8) and import again"
            ),
        ));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        Problem::at(
            path,
            line,
            format!(
                "column {col}: not UTF-8 (byte 0x{:02X}): save the file as UTF-8",
                bytes[at]
            ),
        )
    })
}

/// "little-endian" or "big-endian" when the bytes look like UTF-16: a
/// byte-order mark, or NUL bytes in every other place of the first bytes.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some("little-endian");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some("big-endian");
    }
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let odd_nul = head.chunks(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    let even_nul = head.chunks(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    if odd_nul * 10 >= pairs * 9 {
        Some("little-endian")
    } else if even_nul * 10 >= pairs * 9 {
        Some("big-endian")
    } else {
        None
    }
}

/// Parses CSV text: the delimiter is the one of `,`, `;` or tab that the
/// header row uses most.
pub fn parse_csv(path: &Path, text: &str) -> Result<Table, Problem> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_problem(path, &e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(Problem::file(path, "is empty: expected a header row"));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let line = record.position().map_or(0, |p| p.line() as usize);
                rows.push((line, record.iter().map(str::to_string).collect()));
            }
            Err(e) => return Err(csv_problem(path, &e)),
        }
    }
    Ok(Table {
        path: path.to_path_buf(),
        headers,
        rows,
    })
}

fn csv_problem(path: &Path, e: &csv::Error) -> Problem {
    match e.position() {
        Some(p) => Problem::at(path, p.line() as usize, format!("unreadable CSV: {e}")),
        None => Problem::file(path, format!("unreadable CSV: {e}")),
    }
}

/// A table from a JSON list of flat objects (the UCDP API's `Result`, or a
/// plain list): the columns are the keys in order of first appearance; the
/// "line" of a row is its 1-based position in the list.
pub fn from_json_objects(path: &Path, items: &[serde_json::Value]) -> Result<Table, Problem> {
    let mut headers: Vec<String> = Vec::new();
    for item in items {
        let Some(obj) = item.as_object() else {
            return Err(Problem::file(
                path,
                "expected a list of objects (one per row)",
            ));
        };
        for k in obj.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let cells = headers
                .iter()
                .map(|h| match item.get(h) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect();
            (i + 1, cells)
        })
        .collect();
    Ok(Table {
        path: path.to_path_buf(),
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf16() {
        let le: Vec<u8> = "id,date\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let e = decode(Path::new("a.csv"), le.clone()).unwrap_err();
        assert!(e.to_string().contains("UTF-16 (little-endian)"), "{e}");
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(le);
        assert!(decode(Path::new("a.csv"), bom).is_err());
        assert_eq!(
            decode(Path::new("a"), b"\xEF\xBB\xBFid".to_vec()).unwrap(),
            "id"
        );
    }

    #[test]
    fn reads_semicolons_and_lines() {
        let t = parse_csv(Path::new("a.csv"), "a;b\n1;\"x\ny\"\n2;z\n").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0], (2, vec!["1".to_string(), "x\ny".to_string()]));
        assert_eq!(t.rows[1].0, 4);
        let e = t.require(&["a", "event_id"]).unwrap_err();
        assert!(e.to_string().contains("event_id"), "{e}");
    }
}
