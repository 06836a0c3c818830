//! A cheap, linear look at YAML text before the real parser sees it: the
//! parsers annals uses take quadratic time on deeply nested input (40,000
//! `[` took 10 s to fail), and a second document in one file fails there
//! without a line. One pass over the bytes finds both, stopping at the first.
//!
//! The scan is deliberately conservative: it counts only nesting it is sure
//! of (flow brackets, and block levels that are each indented further), so it
//! never refuses YAML that nests less than [`MAX_DEPTH`] deep; the parser's
//! own recursion limit stays behind it for anything it cannot see.

/// Deepest nesting of lists and mappings a content file may use. Real
/// content nests four or five levels; 64 leaves room and stays fast.
pub const MAX_DEPTH: usize = 64;

/// What the scan found wrong, with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The whole message.
    pub message: String,
}

/// Checks nesting depth and that the text holds one YAML document.
pub fn check(text: &str) -> Result<(), Problem> {
    let mut scan = Scan::default();
    for (i, line) in text.split('\n').enumerate() {
        scan.line(line.as_bytes(), i + 1)?;
    }
    Ok(())
}

fn too_deep(line: usize, column: usize) -> Problem {
    Problem {
        line,
        column,
        message: format!(
            "the YAML nests lists and mappings more than {MAX_DEPTH} levels deep here: nesting is too deep (content needs only a few levels)"
        ),
    }
}

#[derive(Default)]
struct Scan {
    /// Columns of the open block collections (one per level).
    indents: Vec<usize>,
    /// Open flow collections (`[`, `{`), and the block depth they sit at.
    flow: usize,
    flow_base: usize,
    /// Inside a quoted scalar that may span lines: its quote byte.
    quote: Option<u8>,
    /// In flow context, whether the next byte may start a quoted scalar.
    item_start: bool,
    /// Inside a block scalar (`|`, `>`): lines indented beyond this column belong to it.
    block_scalar: Option<usize>,
    /// Whether a node was seen (a later `---` starts a second document).
    seen_content: bool,
    /// Whether a `...` ended the document.
    ended: bool,
}

impl Scan {
    fn line(&mut self, line: &[u8], n: usize) -> Result<(), Problem> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if self.quote.is_some() || self.flow > 0 {
            return self.inline(line, 0, n);
        }
        if blank || line[indent] == b'#' || line[0] == b'%' {
            return Ok(());
        }
        if is_marker(line, b'-') {
            if self.seen_content || self.ended {
                return Err(Problem {
                    line: n,
                    column: 1,
                    message: "a second YAML document starts here (`---`): a file holds one document; remove this line, or move what follows to its own file".to_string(),
                });
            }
            return Ok(());
        }
        if is_marker(line, b'.') {
            self.ended = true;
            return Ok(());
        }
        if self.ended {
            return Err(Problem {
                line: n,
                column: indent + 1,
                message:
                    "content after the end of the YAML document (`...`): a file holds one document"
                        .to_string(),
            });
        }
        self.seen_content = true;
        self.block(line, indent, n)
    }

    /// A line in block context starting at `indent`.
    fn block(&mut self, line: &[u8], indent: usize, n: usize) -> Result<(), Problem> {
        while self.indents.last().is_some_and(|&top| top > indent) {
            self.indents.pop();
        }
        let mut col = indent;
        let mut node = indent;
        // Each `- ` opens an item; a further `- ` on the same line a nested list.
        while line.get(col) == Some(&b'-') && matches!(line.get(col + 1), None | Some(b' ')) {
            self.open(col, n)?;
            node = col;
            col += 1;
            while line.get(col) == Some(&b' ') {
                col += 1;
            }
        }
        if col >= line.len() {
            return Ok(());
        }
        let value = match key_end(line, col) {
            Some(after) => {
                self.open(col, n)?;
                node = col;
                after
            }
            None => col,
        };
        let Some(start) = (value..line.len()).find(|&i| line[i] != b' ') else {
            return Ok(());
        };
        match line[start] {
            b'|' | b'>' => self.block_scalar = Some(node),
            b'"' | b'\'' => return self.inline(line, start, n),
            b'[' | b'{' => {
                self.flow_base = self.indents.len();
                return self.inline(line, start, n);
            }
            _ => {}
        }
        Ok(())
    }

    /// Opens a block level at `col` (unless one is open there already).
    fn open(&mut self, col: usize, n: usize) -> Result<(), Problem> {
        if self.indents.last() != Some(&col) {
            self.indents.push(col);
        }
        if self.indents.len() > MAX_DEPTH {
            return Err(too_deep(n, col + 1));
        }
        Ok(())
    }

    /// Scans from `from` through quotes and flow collections.
    fn inline(&mut self, line: &[u8], from: usize, n: usize) -> Result<(), Problem> {
        let mut i = from;
        if self.flow == 0 && self.quote.is_none() {
            self.item_start = true;
        }
        while i < line.len() {
            let b = line[i];
            if let Some(q) = self.quote {
                if q == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && line.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    self.item_start = false;
                    if self.flow == 0 {
                        return Ok(());
                    }
                }
                i += 1;
                continue;
            }
            match b {
                b'"' | b'\'' if self.item_start => self.quote = Some(b),
                b'[' | b'{' if self.item_start => {
                    self.flow += 1;
                    if self.flow_base + self.flow > MAX_DEPTH {
                        return Err(too_deep(n, i + 1));
                    }
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    if self.flow == 0 {
                        return Ok(());
                    }
                    self.item_start = false;
                }
                b',' | b':' | b'?' => self.item_start = true,
                b'#' if i == 0 || matches!(line[i - 1], b' ' | b'\t') => return Ok(()),
                b' ' | b'\t' | b'\r' => {}
                _ => self.item_start = false,
            }
            i += 1;
        }
        Ok(())
    }
}

/// True for a document marker line: `---` or `...` alone or followed by a space.
fn is_marker(line: &[u8], byte: u8) -> bool {
    line.len() >= 3
        && line[..3].iter().all(|&b| b == byte)
        && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r'))
}

/// Where the value of a `key: value` line starts (just after the `:`), when
/// the text at `col` is a plain or quoted key.
fn key_end(line: &[u8], col: usize) -> Option<usize> {
    let mut i = col;
    match line[col] {
        q @ (b'"' | b'\'') => {
            i += 1;
            while i < line.len() && line[i] != q {
                i += if q == b'"' && line[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            while line.get(i) == Some(&b' ') {
                i += 1;
            }
            (line.get(i) == Some(&b':')).then_some(i + 1)
        }
        b'[' | b'{' | b'#' | b'|' | b'>' | b'&' | b'*' | b'!' => None,
        _ => {
            while i < line.len() {
                if line[i] == b':' && matches!(line.get(i + 1), None | Some(b' ' | b'\t' | b'\r')) {
                    return Some(i + 1);
                }
                if line[i] == b'#' && i > 0 && line[i - 1] == b' ' {
                    return None;
                }
                i += 1;
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_content() {
        for ok in [
            "- id: a\n  date: 2022\n  tags: [a, b]\n  sources:\n    - url: https://e.org\n      title: \"x: [y\"\n",
            "---\ntitle: T\nsummary: |\n  ---\n  [[[[[\n...\n",
            "a: 'it''s [ok'\nb: \"multi\n  line [ \"\nc: {x: [1, 2], y: \"}\"}\n",
            "- - - a\n  - b\n- c\n",
            "title: it's a [plain] thing\n# comment ---\n",
            "a: [\"x]\", 'y['']', {k: \"}\"}]\nb: |2\n    [[[[\n  ---\nc: >-\n  ---\n",
            "\"a: b\": [1]\n? complex\n: value\nanchor: &x [1, 2]\nref: *x\n",
            "summary: long text\n  [continued] here\n---x: not a marker\n",
            "--- # a comment after the start marker\na: 1\n",
            "",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
            assert!(
                serde_yaml::from_str::<serde_yaml::Value>(ok).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn deep_flow_nesting_fails_at_the_deep_bracket() {
        let text = "[".repeat(40_000);
        let p = check(&text).unwrap_err();
        assert_eq!((p.line, p.column), (1, MAX_DEPTH + 1));
        assert!(p.message.contains("too deep"));
        let text = format!("a: {}", "{a: ".repeat(40_000));
        let p = check(&text).unwrap_err();
        assert_eq!(p.line, 1);
        assert!(p.message.contains("too deep"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check(&ok), Ok(()));
    }

    #[test]
    fn deep_block_nesting_fails() {
        let mut text = String::new();
        for depth in 0..100 {
            text.push_str(&" ".repeat(depth * 2));
            text.push_str("k:\n");
        }
        let p = check(&text).unwrap_err();
        assert_eq!(p.line, MAX_DEPTH + 1);
        let dashes = "- ".repeat(200) + "x\n";
        assert!(check(&dashes).is_err());
    }

    #[test]
    fn a_second_document_is_named_at_its_marker() {
        let p = check("a: 1\nb: 2\n---\nc: 3\n").unwrap_err();
        assert_eq!(p.line, 3);
        assert!(p.message.contains("second YAML document"));
        let p = check("# c\n---\na: 1\n--- \nb: 2\n").unwrap_err();
        assert_eq!(p.line, 4);
        let p = check("a: 1\n...\nb: 2\n").unwrap_err();
        assert_eq!(p.line, 3);
    }
}
