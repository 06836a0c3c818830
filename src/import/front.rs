//! Front matter of Markdown inputs: the fields the import carries over.

use super::paragraphs::collapse;
use super::text_error::TextError;

/// Front-matter fields of a Markdown input that the import carries over.
#[derive(Debug, Clone, Default)]
pub struct Front {
    /// `title`.
    pub title: Option<String>,
    /// `date`, as written.
    pub date: Option<String>,
    /// `slug`.
    pub slug: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `source`.
    pub source: Option<String>,
    /// `source_url`.
    pub source_url: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `actors`.
    pub actors: Vec<String>,
    /// `places`.
    pub places: Vec<String>,
    /// `events`.
    pub events: Vec<String>,
    /// Keys that are not carried over.
    pub dropped: Vec<String>,
}

/// Splits `---` front matter off and reads the fields the import carries over.
pub fn split_front(text: &str) -> Result<(Option<Front>, &str), TextError> {
    if text.lines().next().map(str::trim_end) != Some("---") {
        return Ok((None, text));
    }
    let file = crate::source::SourceFile::from_text("input", text);
    let fm =
        crate::source::split_front_matter(&file).map_err(|d| TextError::new(Some(1), d.message))?;
    // The body starts after the closing fence's line, found by counting
    // lines: `file` is normalised again (`\r\r\n` was `\r\n` in `text`, and is
    // now `\n`), so its byte offsets are not those of `text`.
    let body_start = text
        .match_indices('\n')
        .nth(fm.body_line - 2)
        .map_or(text.len(), |(n, _)| n + 1);
    let value: serde_yaml::Value = serde_yaml::from_str(fm.yaml).map_err(|e| {
        let line = e.location().map(|l| l.line() + fm.yaml_offset);
        TextError::new(line, format!("invalid YAML in the front matter: {e}"))
    })?;
    Ok((Some(read_front(&value)), &text[body_start..]))
}

fn read_front(value: &serde_yaml::Value) -> Front {
    let mut front = Front::default();
    let Some(map) = value.as_mapping() else {
        return front;
    };
    let text = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let list = |v: &serde_yaml::Value| -> Vec<String> {
        match v {
            serde_yaml::Value::Sequence(items) => items.iter().filter_map(text).collect(),
            other => text(other).into_iter().collect(),
        }
    };
    for (k, v) in map {
        let key = k.as_str().unwrap_or_default();
        match key {
            "title" => front.title = text(v),
            "date" => front.date = text(v),
            "slug" => front.slug = text(v),
            "summary" => front.summary = text(v).map(|s| collapse(&s)),
            "author" => front.author = text(v),
            "source" => front.source = text(v),
            "source_url" => front.source_url = text(v),
            "tags" => front.tags = list(v),
            "actors" => front.actors = list(v),
            "places" => front.places = list(v),
            "events" => front.events = list(v),
            "draft" => {}
            other => front.dropped.push(other.to_string()),
        }
    }
    front
}
