//! "Cite this" for an event page: CSL-JSON (for Zotero and citeproc) and
//! BibTeX, citing the page as a web page of the site.

use serde::Serialize;
use serde_json::json;

use crate::chronology::Chronology;
use crate::date::Precision;

/// The citation texts shown on an event page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Cite {
    /// CSL-JSON (one item, pretty-printed).
    pub csl_json: String,
    /// A BibTeX `@misc` entry.
    pub bibtex: String,
}

/// The citations of the entry at `pos`, when the site shows them.
pub fn for_entry(chron: &Chronology, pos: usize) -> Option<Cite> {
    // Shown in every language: the labels come from the translation
    // tables; the citation key is the entry's id.
    if !chron.config.exports.cite {
        return None;
    }
    let c = &chron.config;
    let url = super::url(chron, pos);
    let title = chron.title(pos);
    let start = chron.dates(pos).start();
    let t = start.start().naive_local();
    let mut parts = vec![start.year()];
    if start.precision() >= Precision::Month {
        parts.push(chrono::Datelike::month(&t) as i32);
    }
    if start.precision() >= Precision::Day {
        parts.push(chrono::Datelike::day(&t) as i32);
    }
    let csl = json!([{
        "id": chron.id(pos),
        "type": "webpage",
        "title": title,
        "container-title": c.title,
        "URL": url,
        "event-date": {"date-parts": [parts]},
    }]);
    let key = chron.id(pos).replace('-', "_");
    let bibtex = format!(
        "@misc{{{key},\n  title = {{{{{}}}}},\n  howpublished = {{\\url{{{url}}}}},\n  organization = {{{}}},\n  note = {{{}}},\n  year = {{{}}}\n}}",
        bib(title),
        bib(&c.title),
        bib(&crate::render::figures::Words::of(chron).text(
            "cite.note",
            None,
            &[("date", chron.dates(pos).display())]
        )),
        start.year()
    );
    Some(Cite {
        csl_json: serde_json::to_string_pretty(&csl).unwrap_or_default(),
        bibtex,
    })
}

/// Text for a BibTeX field: its special characters escaped.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bibtex_escapes() {
        assert_eq!(super::bib("A & B_1 {x} 50%"), "A \\& B\\_1 \\{x\\} 50\\%");
    }
}
