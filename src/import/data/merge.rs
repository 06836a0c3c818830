//! Re-import: an entry imported before is compared field by field with the
//! row's new values. A field changed upstream and not edited here is
//! updated; one edited here and not upstream is kept; one changed on both
//! sides is kept and reported as a conflict, with both values.

use serde_yaml::{Mapping, Value};

use super::entry::{FIELDS, field_hash, hashes_text, origin, parse_hashes, show};

/// What became of one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The field.
    pub field: String,
    /// The value kept (the curator's).
    pub local: String,
    /// The dataset's new value.
    pub upstream: String,
}

/// What a re-import did to one entry.
#[derive(Debug, Default)]
pub struct Merged {
    /// Fields updated from upstream.
    pub updated: Vec<String>,
    /// Fields changed on both sides.
    pub conflicts: Vec<Conflict>,
    /// Whether the entry's text changed at all.
    pub changed: bool,
}

/// Brings `entry` (an imported event mapping) up to date with `fields`,
/// whose hashes (as written in `import.fields`) are `upstream_text`.
pub fn merge(
    entry: &mut Value,
    fields: &Mapping,
    upstream_text: &str,
    dataset: &str,
    key: &str,
) -> Merged {
    let mut out = Merged::default();
    let Value::Mapping(m) = entry else { return out };
    let recorded_text = m
        .get("import")
        .and_then(|i| i.get("fields"))
        .and_then(Value::as_str)
        .map(str::to_string);
    // Nothing changed upstream: whatever is here stays, with no need to look.
    if recorded_text.as_deref() == Some(upstream_text) {
        return out;
    }
    let recorded = recorded_text.as_deref().map(parse_hashes);
    let upstream = parse_hashes(upstream_text);
    let mut kept: Vec<(&str, String)> = Vec::with_capacity(FIELDS.len());
    for (i, f) in FIELDS.iter().enumerate() {
        let k = Value::from(*f);
        let was = recorded.as_ref().map(|r| r[i].1.clone());
        let up = upstream[i].1.clone();
        let local = field_hash(m.get(&k));
        match was {
            // Unchanged upstream: whatever is here stays.
            Some(w) if w == up => kept.push((f, w)),
            // Changed upstream, untouched here: take it.
            Some(w) if w == local => {
                match fields.get(&k) {
                    Some(v) => {
                        m.insert(k.clone(), v.clone());
                    }
                    None => {
                        m.remove(&k);
                    }
                }
                out.updated.push(f.to_string());
                kept.push((f, up));
            }
            // Both sides moved to the same value.
            _ if local == up => kept.push((f, up)),
            // Edited here and changed upstream (or never recorded): keep
            // the curator's value, and the old hash, so it is raised again.
            was => {
                out.conflicts.push(Conflict {
                    field: f.to_string(),
                    local: show(m.get(&k)),
                    upstream: show(fields.get(&k)),
                });
                kept.push((f, was.unwrap_or_else(|| local.clone())));
            }
        }
    }
    let new_origin = origin(dataset, key, hashes_text(&kept));
    if m.get("import") != Some(&new_origin) {
        m.insert("import".into(), new_origin);
        out.changed = true;
    }
    out.changed |= !out.updated.is_empty();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::data::entry::{hashes, new_event};

    fn text(m: &Mapping) -> String {
        hashes_text(&hashes(m))
    }

    fn fields(title: &str, summary: &str) -> Mapping {
        let mut m = Mapping::new();
        m.insert("date".into(), "2022-02-24".into());
        m.insert("title".into(), title.into());
        m.insert("summary".into(), summary.into());
        m
    }

    /// One re-import of row 1 of "acled" with this title and summary.
    fn upstream(e: &mut Value, title: &str, summary: &str) -> Merged {
        let row = fields(title, summary);
        merge(e, &row, &text(&row), "acled", "1")
    }

    #[test]
    fn updates_keeps_and_conflicts() {
        let mut e = new_event("x", fields("A", "S"), "acled", "1", text(&fields("A", "S")));
        // Same data again: nothing to do.
        let r = upstream(&mut e, "A", "S");
        assert!(!r.changed && r.updated.is_empty() && r.conflicts.is_empty());
        // Upstream changes the title: taken.
        let r = upstream(&mut e, "B", "S");
        assert_eq!(r.updated, ["title"]);
        assert_eq!(e["title"].as_str(), Some("B"));
        // A curator edits the summary; upstream changes it too: conflict, kept.
        e["summary"] = "Mine".into();
        let r = upstream(&mut e, "B", "Theirs");
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].local, "\"Mine\"");
        assert_eq!(r.conflicts[0].upstream, "\"Theirs\"");
        assert_eq!(e["summary"].as_str(), Some("Mine"));
        // Raised again next time; an edit upstream did not touch is kept quietly.
        let r = upstream(&mut e, "B", "Theirs");
        assert_eq!(r.conflicts.len(), 1);
        let r = upstream(&mut e, "B", "S");
        assert!(r.conflicts.is_empty(), "{r:?}");
        assert_eq!(e["summary"].as_str(), Some("Mine"));
    }
}
