//! Reading the fields of a YAML mapping into typed values, collecting every
//! problem with the line it is on instead of stopping at the first one.

use serde_yaml::{Mapping, Value};

use crate::date::{Date, DateStyle};
use crate::error::Diagnostics;
use crate::source::Origin;
use crate::suggest::did_you_mean;
use crate::yaml_locate::Seg;

/// A value together with where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub origin: Origin,
}

/// The fields of one mapping (an event, an article's front matter, ...).
pub struct Fields<'a> {
    map: &'a Mapping,
    origin: Origin,
    what: &'static str,
    used: Vec<&'static str>,
    /// Where problems go.
    pub diags: &'a mut Diagnostics,
}

/// True when `s` is a valid id: `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The YAML type of a value, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

impl<'a> Fields<'a> {
    /// Starts reading `value`, which must be a mapping; reports and returns
    /// `None` otherwise. `what` names the thing in messages ("event").
    pub fn new(
        value: &'a Value,
        origin: Origin,
        what: &'static str,
        diags: &'a mut Diagnostics,
    ) -> Option<Fields<'a>> {
        match value {
            Value::Mapping(map) => Some(Fields {
                map,
                origin,
                what,
                used: Vec::new(),
                diags,
            }),
            other => {
                diags.error(
                    origin.span(),
                    format!(
                        "expected {} as a mapping of `key: value` fields, found {}",
                        article(what),
                        type_name(other)
                    ),
                );
                None
            }
        }
    }

    /// Where the mapping itself is.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Where the value of `key` is (or the mapping, when `key` is absent).
    pub fn origin_of(&self, key: &str) -> Origin {
        self.origin.child(Seg::Key(key.to_string()))
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn error(&mut self, key: &str, message: String) {
        let span = self.origin_of(key).span();
        self.diags.error(span, message);
    }

    fn missing(&mut self, key: &str) {
        let span = self.origin.span();
        let message = format!(
            "{} is missing the required field `{key}`",
            article(self.what)
        );
        self.diags.error(span, message);
    }

    /// Plain text of a scalar (numbers and booleans as written).
    fn scalar_text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A value as messages show it: its text, cut when long, or its type.
    fn shown(v: &Value) -> String {
        Self::scalar_text(v).map_or_else(|| type_name(v).to_string(), |s| crate::error::cut(&s))
    }

    /// An optional text field.
    pub fn text(&mut self, key: &'static str) -> Option<String> {
        let v = self.get(key)?;
        match Self::scalar_text(v) {
            Some(s) => Some(s),
            None => {
                self.error(key, format!("`{key}` must be text, found {}", type_name(v)));
                None
            }
        }
    }

    /// A required, non-empty text field.
    pub fn required_text(&mut self, key: &'static str) -> Option<String> {
        if self.map.get(key).is_none_or(Value::is_null) {
            self.used.push(key);
            self.missing(key);
            return None;
        }
        let text = self.text(key)?;
        if text.trim().is_empty() {
            self.error(key, format!("`{key}` is empty"));
            return None;
        }
        Some(text.trim().to_string())
    }

    /// A text field that may be written once or per language
    /// (`title: {uk: ..., en: ...}`): the first text given, and every
    /// language's text by its tag (empty for a plain text).
    pub fn translated(
        &mut self,
        key: &'static str,
        required: bool,
    ) -> (Option<String>, std::collections::BTreeMap<String, String>) {
        let mut per_language = std::collections::BTreeMap::new();
        let Some(Value::Mapping(map)) = self.map.get(key) else {
            let text = if required {
                self.required_text(key)
            } else {
                self.text(key).filter(|s| !s.trim().is_empty())
            };
            return (text, per_language);
        };
        self.used.push(key);
        let mut first = None;
        for (lang, text) in map {
            let (Some(lang), Some(text)) = (lang.as_str(), Self::scalar_text(text)) else {
                self.error(
                    key,
                    format!("`{key}` per language must map language tags to texts (`{key}: {{uk: ..., en: ...}}`)"),
                );
                continue;
            };
            let valid =
                !lang.is_empty() && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                self.error(
                    key,
                    format!("`{key}` has an invalid language tag \"{lang}\""),
                );
                continue;
            }
            let text = text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            first.get_or_insert_with(|| text.clone());
            per_language.insert(lang.to_ascii_lowercase(), text);
        }
        if required && first.is_none() {
            self.error(key, format!("`{key}` is empty"));
        }
        (first, per_language)
    }

    /// An optional id field (`[a-z0-9]+(-[a-z0-9]+)*`).
    pub fn id(&mut self, key: &'static str) -> Option<Located<String>> {
        let text = self.text(key)?;
        let origin = self.origin_of(key);
        check_id(&text, &origin, self.diags).then_some(Located {
            value: text,
            origin,
        })
    }

    /// A required id field.
    pub fn required_id(&mut self, key: &'static str) -> Option<Located<String>> {
        if self.map.get(key).is_none_or(Value::is_null) {
            self.used.push(key);
            self.missing(key);
            return None;
        }
        self.id(key)
    }

    /// A list of text values; a single text is taken as a list of one.
    pub fn text_list(&mut self, key: &'static str) -> Vec<Located<String>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let origin = self.origin_of(key);
        match v {
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_origin = origin.child(Seg::Index(i));
                    match Self::scalar_text(item) {
                        Some(s) if !s.trim().is_empty() => out.push(Located {
                            value: s.trim().to_string(),
                            origin: item_origin,
                        }),
                        _ => self.diags.error(
                            item_origin.span(),
                            format!("items of `{key}` must be text, found {}", type_name(item)),
                        ),
                    }
                }
                out
            }
            other => match Self::scalar_text(other) {
                Some(s) => vec![Located {
                    value: s.trim().to_string(),
                    origin,
                }],
                None => {
                    self.error(
                        key,
                        format!("`{key}` must be a list, found {}", type_name(other)),
                    );
                    Vec::new()
                }
            },
        }
    }

    /// A list of ids, each checked.
    pub fn id_list(&mut self, key: &'static str) -> Vec<Located<String>> {
        let items = self.text_list(key);
        items
            .into_iter()
            .filter(|item| check_id(&item.value, &item.origin, self.diags))
            .collect()
    }

    /// An optional date (a YAML integer year is accepted).
    pub fn date(&mut self, key: &'static str, style: DateStyle) -> Option<Located<Date>> {
        let v = self.get(key)?;
        let origin = self.origin_of(key);
        let Some(text) = Self::scalar_text(v) else {
            self.error(
                key,
                format!("`{key}` must be a date, found {}", type_name(v)),
            );
            return None;
        };
        match Date::parse_in(&text, style) {
            Ok(date) => {
                if let Some(note) = date.note() {
                    self.diags.warning(origin.span(), note.to_string());
                }
                Some(Located {
                    value: date,
                    origin,
                })
            }
            Err(e) => {
                let message = match crate::date_suggest::suggest(&text) {
                    Some(hint) => format!("{e}; {hint}"),
                    None => e.to_string(),
                };
                self.diags.error(origin.span(), message);
                None
            }
        }
    }

    /// A required date that may be an uncertain window (`A..B`): the first
    /// bound, located, and the second when it is a window. An error in
    /// either bound is reported at the field.
    pub fn required_date_or_window(
        &mut self,
        key: &'static str,
        style: DateStyle,
    ) -> Option<(Located<Date>, Option<Date>)> {
        let text = match self.map.get(key) {
            Some(Value::String(s)) if s.contains(crate::date::WINDOW_SEP) => s.clone(),
            _ => return self.required_date(key, style).map(|d| (d, None)),
        };
        self.used.push(key);
        let origin = self.origin_of(key);
        let (a, b) = text
            .split_once(crate::date::WINDOW_SEP)
            .unwrap_or((text.as_str(), ""));
        let mut parse = |part: &str, which: &str| match Date::parse_in(part, style) {
            Ok(d) => Some(d),
            Err(e) => {
                self.diags.error(
                    origin.span(),
                    format!("{e} (the {which} of the window \"{}\")", text.trim()),
                );
                None
            }
        };
        let (start, end) = (parse(a, "start"), parse(b, "end"));
        Some((
            Located {
                value: start?,
                origin,
            },
            Some(end?),
        ))
    }

    /// A required date.
    pub fn required_date(&mut self, key: &'static str, style: DateStyle) -> Option<Located<Date>> {
        if self.map.get(key).is_none_or(Value::is_null) {
            self.used.push(key);
            self.missing(key);
            return None;
        }
        self.date(key, style)
    }

    /// An optional whole number within `min..=max`.
    pub fn int_in(&mut self, key: &'static str, min: i64, max: i64) -> Option<i64> {
        let v = self.get(key)?;
        match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(n) => {
                self.error(key, format!("`{key}` is {n}, must be {min} to {max}"));
                None
            }
            None => {
                let shown = Self::shown(v);
                self.error(
                    key,
                    format!(
                        "`{key}` must be a whole number from {min} to {max}, found \"{shown}\""
                    ),
                );
                None
            }
        }
    }

    /// An optional number within `min..=max` (coordinates).
    pub fn float_in(&mut self, key: &'static str, min: f64, max: f64) -> Option<f64> {
        let v = self.get(key)?;
        match v.as_f64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let shown = Self::shown(v);
                self.error(
                    key,
                    format!("`{key}` must be a number from {min} to {max}, found \"{shown}\""),
                );
                None
            }
        }
    }

    /// An optional boolean.
    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let v = self.get(key)?;
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                let shown = Self::shown(other);
                self.error(
                    key,
                    format!("`{key}` must be true or false, found \"{shown}\""),
                );
                None
            }
        }
    }

    /// The raw value of a nested field (a mapping or list read by the caller).
    pub fn nested(&mut self, key: &'static str) -> Option<(&'a Value, Origin)> {
        let v = self.get(key)?;
        Some((v, self.origin_of(key)))
    }

    /// Reports every key that was not read as unknown, with the closest known
    /// key: a misspelt field must not be silently ignored.
    pub fn finish(self) {
        for k in self.map.keys() {
            let Some(name) = k.as_str() else {
                let shown = Self::shown(k);
                self.diags.error(
                    self.origin.span(),
                    format!("field names must be text, found `{shown}`"),
                );
                continue;
            };
            if self.used.contains(&name) {
                continue;
            }
            let span = self.origin.child(Seg::Key(name.to_string())).key_span();
            let hint = did_you_mean(name, self.used.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_else(|| format!("; known fields: {}", self.used.join(", ")));
            self.diags.error(
                span,
                format!(
                    "unknown field `{}` in {}{hint}",
                    crate::error::cut(name),
                    article(self.what)
                ),
            );
        }
    }
}

/// Reports an invalid id; returns whether it is valid.
pub fn check_id(id: &str, origin: &Origin, diags: &mut Diagnostics) -> bool {
    if is_valid_id(id) {
        return true;
    }
    // The id the curator most likely meant (lower case, hyphens for spaces).
    let hint = if id.len() > 256 {
        String::new()
    } else {
        crate::slug::slugify(id)
    };
    let fix = if !hint.is_empty() && hint != id {
        format!(" (did you mean `{hint}`?)")
    } else {
        String::new()
    };
    diags.error(
        origin.span(),
        format!(
            "invalid id \"{}\": ids use lower-case letters, digits and single hyphens{fix}",
            crate::error::cut(id)
        ),
    );
    false
}

fn article(what: &str) -> String {
    let vowel = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for good in ["a", "alaska-summit-2025", "2022", "x1-y2"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "київ"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
