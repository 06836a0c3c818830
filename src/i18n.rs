//! The theme's words in the reader's language: translation tables
//! (`i18n/LANG.yaml`, shipped with the theme and overridable by a site key
//! by key), CLDR plural rules for counts, and the `t()` template function.
//!
//! A table maps keys to text, or to plural forms (`one`, `few`, `many`,
//! `other`, ...) where a count is shown. `{n}` in a text is the count;
//! any other `{name}` is the argument of that name given to `t()`. A key a
//! language lacks falls back to English; `annals check` lists such keys.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;

use crate::error::{Diagnostics, Span};
use crate::source::SourceFile;

/// The tables shipped with the theme, by language.
pub const BUILTIN_TABLES: &[(&str, &str)] = &[
    ("en", include_str!("../i18n/en.yaml")),
    ("uk", include_str!("../i18n/uk.yaml")),
    ("ru", include_str!("../i18n/ru.yaml")),
    ("ar", include_str!("../i18n/ar.yaml")),
    ("fr", include_str!("../i18n/fr.yaml")),
];

/// The primary subtags of languages written right to left.
const RTL: &[&str] = &[
    "ar", "fa", "he", "iw", "ur", "ps", "ckb", "dv", "yi", "sd", "ug", "syr",
];

/// Whether a BCP 47 tag names a language written right to left.
pub fn is_rtl(tag: &str) -> bool {
    RTL.contains(&primary(tag).as_str())
}

/// `ltr` or `rtl`, for `dir` attributes.
pub fn dir_of(tag: &str) -> &'static str {
    if is_rtl(tag) { "rtl" } else { "ltr" }
}

/// The primary subtag of a BCP 47 tag, lower case ("uk-UA" → "uk").
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// One entry of a table: a text, or a text per plural category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Message {
    /// The same text whatever the count.
    Text(String),
    /// Texts by CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`).
    Plural(BTreeMap<String, String>),
}

/// The site's tables as its configuration carries them to the code that
/// writes words itself (figure lines, feeds, citations); none before the
/// theme is loaded, when the shipped tables serve. Two are equal when
/// their site files are.
#[derive(Clone, Default)]
pub struct SiteWords(pub Option<Arc<Translations>>);

impl SiteWords {
    /// The tables: the site's, else the shipped ones.
    pub fn tables(&self) -> &Translations {
        self.0.as_deref().unwrap_or_else(|| Translations::shared())
    }

    fn digest(&self) -> Option<u64> {
        self.0.as_ref().map(|t| t.digest())
    }
}

impl PartialEq for SiteWords {
    fn eq(&self, other: &SiteWords) -> bool {
        self.digest() == other.digest()
    }
}

impl Eq for SiteWords {}

impl std::fmt::Debug for SiteWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SiteWords({:?})", self.digest())
    }
}

/// One language's table.
pub type Table = BTreeMap<String, Message>;

/// Every language's table, with English as the fallback.
pub struct Translations {
    tables: BTreeMap<String, Table>,
    rules: BTreeMap<String, PluralRules>,
    digest: u64,
}

impl std::fmt::Debug for Translations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translations")
            .field("languages", &self.tables.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Translations {
    /// The shipped tables, each overlaid key by key with the site's
    /// `i18n/LANG.yaml` (a site file may also add a language). Broken
    /// files are errors in `diags`.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Translations {
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        for (lang, text) in BUILTIN_TABLES {
            let table: Table = serde_yaml::from_str(text)
                .unwrap_or_else(|e| panic!("built-in table i18n/{lang}.yaml is broken: {e}"));
            tables.insert(lang.to_string(), table);
        }
        let mut site_text = Vec::new();
        for rel in crate::source::site_files(root, "i18n", diags) {
            let Some(lang) = rel
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml").or_else(|| n.strip_suffix(".yml")))
                .map(str::to_string)
            else {
                continue;
            };
            let file = match SourceFile::read(root, &rel) {
                Ok(f) => f,
                Err(e) => {
                    diags.push(e);
                    continue;
                }
            };
            match parse_table(&file.text) {
                Ok(table) => {
                    site_text.push((lang.clone(), file.text.clone()));
                    tables.entry(primary(&lang)).or_default().extend(table);
                }
                Err(why) => diags.error(
                    Span::file(&rel),
                    format!("cannot read this translation table: {why}"),
                ),
            }
        }
        Translations::from_tables(tables, &site_text)
    }

    /// The shipped tables, read once and shared.
    pub fn shared() -> &'static Translations {
        static SHARED: std::sync::OnceLock<Translations> = std::sync::OnceLock::new();
        SHARED.get_or_init(Translations::builtin)
    }

    /// The shipped tables only.
    pub fn builtin() -> Translations {
        Translations::load(
            Path::new("/nonexistent-annals-site"),
            &mut Diagnostics::new(),
        )
    }

    fn from_tables(
        tables: BTreeMap<String, Table>,
        site_text: &[(String, String)],
    ) -> Translations {
        let rules = tables
            .keys()
            .filter_map(|lang| {
                let id: unic_langid::LanguageIdentifier = lang.parse().ok()?;
                let rules = PluralRules::create(id, PluralRuleType::CARDINAL).ok()?;
                Some((lang.clone(), rules))
            })
            .collect();
        Translations {
            digest: crate::digest::hash_of(&site_text),
            tables,
            rules,
        }
    }

    /// A digest of the site's own tables (the shipped ones are part of the binary).
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The text of `key` in `lang` for count `n` (when given), with `{n}`
    /// and the `args` put in; English when `lang` lacks the key, the key
    /// itself when English lacks it too.
    pub fn text(&self, lang: &str, key: &str, n: Option<i64>, args: &[(&str, String)]) -> String {
        self.text_in(lang, key, n, args, false)
    }

    /// [`Translations::text`], with the count in Arabic-Indic digits when `arabic_digits`.
    pub fn text_in(
        &self,
        lang: &str,
        key: &str,
        n: Option<i64>,
        args: &[(&str, String)],
        arabic_digits: bool,
    ) -> String {
        let lang = primary(lang);
        let (message, used) = match self.tables.get(&lang).and_then(|t| t.get(key)) {
            Some(m) => (Some(m), lang.as_str()),
            None => (self.tables.get("en").and_then(|t| t.get(key)), "en"),
        };
        let Some(message) = message else {
            return key.to_string();
        };
        let raw = match message {
            Message::Text(s) => s.as_str(),
            Message::Plural(forms) => {
                let category = n
                    .and_then(|n| self.rules.get(used)?.select(cldr_operand(used, n)).ok())
                    .unwrap_or(PluralCategory::OTHER);
                forms
                    .get(category_name(&category))
                    .or_else(|| forms.get("other"))
                    .or_else(|| forms.values().next())
                    .map_or("", String::as_str)
            }
        };
        let mut out = raw.to_string();
        if !out.contains('{') {
            return out;
        }
        if let Some(n) = n {
            let n = n.to_string();
            let n = if arabic_digits {
                to_arabic_digits(&n)
            } else {
                n
            };
            out = out.replace("{n}", &n);
        }
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The keys English has and `lang` does not (none for English or a
    /// language without a table at all, which is reported apart).
    pub fn missing(&self, lang: &str) -> Vec<&str> {
        let (Some(en), Some(table)) = (self.tables.get("en"), self.tables.get(&primary(lang)))
        else {
            return Vec::new();
        };
        en.keys()
            .filter(|k| !table.contains_key(*k))
            .map(String::as_str)
            .collect()
    }

    /// Whether there is a table for `lang`.
    pub fn has(&self, lang: &str) -> bool {
        self.tables.contains_key(&primary(lang))
    }

    /// The languages with a table, for messages.
    pub fn languages(&self) -> Vec<&str> {
        self.tables.keys().map(String::as_str).collect()
    }

    /// Every key of a language's table with its text for the script
    /// (plural forms as maps), English filling the gaps: keys starting with `js.`.
    pub fn script_table(&self, lang: &str) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        let mut put = |table: &Table| {
            for (k, v) in table.iter().filter(|(k, _)| k.starts_with("js.")) {
                let value = match v {
                    Message::Text(s) => serde_json::Value::String(s.clone()),
                    Message::Plural(forms) => serde_json::json!(forms),
                };
                out.insert(k.trim_start_matches("js.").to_string(), value);
            }
        };
        if let Some(en) = self.tables.get("en") {
            put(en);
        }
        if let Some(t) = self.tables.get(&primary(lang)) {
            put(t);
        }
        serde_json::Value::Object(out)
    }

    /// Registers `t(key=..., n=..., ...)` on `tera`: the text of `key` in
    /// the language of the page (`site.language`).
    pub fn register(self: &Arc<Self>, tera: &mut tera::Tera) {
        let me = Arc::clone(self);
        tera.register_function(
            "t",
            move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
                // Called some ten times per card and page: read borrowed,
                // allocate only the arguments' texts.
                let key: &str = kwargs.must_get("key")?;
                let n: Option<i64> = kwargs.get("n")?;
                let site: Option<tera::Value> = state.get("site")?;
                let field = |name: &'static str| {
                    site.as_ref()
                        .and_then(|s| s.get_from_path(name))
                        .and_then(|l| l.as_str())
                };
                let lang = field("language").unwrap_or("en");
                let arabic = field("digits") == Some("arabic");
                let args: Vec<(&str, String)> = kwargs
                    .iter()
                    .filter_map(|(k, v)| {
                        let name = k.as_str()?;
                        (name != "key" && name != "n").then(|| {
                            let text = match v.as_str() {
                                Some(s) => s.to_string(),
                                None => v.to_string(),
                            };
                            (name, text)
                        })
                    })
                    .collect();
                Ok(me.text_in(lang, key, n, &args, arabic))
            },
        );
    }
}

/// Western digits turned into Arabic-Indic ones (٠١٢٣٤٥٦٧٨٩).
pub fn to_arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The number to give `intl_pluralrules` for `n` in `lang`. Its Arabic rule
/// (7.0.2) tests the integer itself where CLDR tests `n % 100` for "few"
/// (3..10) and "many" (11..99), so that 103 or 121 come out "other"; from
/// 100 on, those categories depend on `n % 100` alone, which is given
/// instead. The other languages are given `n` as it is.
fn cldr_operand(lang: &str, n: i64) -> i64 {
    let rem = n.rem_euclid(100);
    if matches!(lang, "ar" | "ars") && n >= 100 && rem >= 3 {
        rem
    } else {
        n
    }
}

fn category_name(c: &PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// A table from its YAML text: every value a text or a map of plural forms.
fn parse_table(text: &str) -> Result<Table, String> {
    if text.trim().is_empty() {
        return Ok(Table::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let map = value
        .as_mapping()
        .ok_or("it must be a mapping of keys to texts")?;
    let mut out = Table::new();
    for (k, v) in map {
        let key = k.as_str().ok_or("every key must be text")?;
        let message: Message = serde_yaml::from_value(v.clone()).map_err(|_| {
            format!("`{key}` must be a text or a mapping of plural forms (one, few, many, other)")
        })?;
        if let Message::Plural(forms) = &message
            && let Some(bad) = forms
                .keys()
                .find(|f| !["zero", "one", "two", "few", "many", "other"].contains(&f.as_str()))
        {
            return Err(format!(
                "`{key}` has plural form `{bad}`; use zero, one, two, few, many or other"
            ));
        }
        out.insert(key.to_string(), message);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_are_complete() {
        let t = Translations::builtin();
        for (lang, _) in BUILTIN_TABLES {
            assert!(t.missing(lang).is_empty(), "{lang}: {:?}", t.missing(lang));
        }
    }

    #[test]
    fn plural_forms_follow_cldr() {
        let t = Translations::builtin();
        assert_eq!(t.text("en", "count.events", Some(1), &[]), "1 event");
        assert_eq!(t.text("en", "count.events", Some(31), &[]), "31 events");
        assert_eq!(t.text("uk", "count.events", Some(1), &[]), "1 подія");
        assert_eq!(t.text("uk", "count.events", Some(3), &[]), "3 події");
        assert_eq!(t.text("uk", "count.events", Some(5), &[]), "5 подій");
        assert_eq!(t.text("uk", "count.events", Some(21), &[]), "21 подія");
        assert_eq!(t.text("ru", "count.events", Some(22), &[]), "22 события");
        assert_ne!(
            t.text("ar", "count.events", Some(2), &[]),
            t.text("ar", "count.events", Some(3), &[])
        );
        // Arabic's "few" and "many" follow n % 100 (CLDR), past 100 too.
        for (n, form) in [
            (3, "{n} أحداث"),
            (11, "{n} حدثًا"),
            (100, "{n} حدث"),
            (102, "{n} حدث"),
            (103, "{n} أحداث"),
            (121, "{n} حدثًا"),
            (1000, "{n} حدث"),
            (1011, "{n} حدثًا"),
        ] {
            assert_eq!(
                t.text("ar", "count.events", Some(n), &[]),
                form.replace("{n}", &n.to_string()),
                "{n}"
            );
        }
    }

    #[test]
    fn missing_key_falls_back_to_english_then_the_key() {
        let mut tables = BTreeMap::new();
        tables.insert(
            "en".to_string(),
            Table::from([("a".to_string(), Message::Text("A {x}".to_string()))]),
        );
        tables.insert("xx".to_string(), Table::new());
        let t = Translations::from_tables(tables, &[]);
        assert_eq!(t.text("xx", "a", None, &[("x", "1".to_string())]), "A 1");
        assert_eq!(t.text("xx", "b", None, &[]), "b");
        assert_eq!(t.missing("xx"), vec!["a"]);
    }

    #[test]
    fn directions_and_digits() {
        assert!(is_rtl("ar") && is_rtl("fa-IR") && is_rtl("he") && is_rtl("ckb"));
        assert!(!is_rtl("uk") && !is_rtl("en"));
        assert_eq!(to_arabic_digits("24 فبراير 2022"), "٢٤ فبراير ٢٠٢٢");
        let t = Translations::builtin();
        assert_eq!(t.text("ar", "count.events", Some(31), &[]), "31 حدثًا");
        assert_eq!(
            t.text_in("ar", "count.events", Some(31), &[], true),
            "٣١ حدثًا"
        );
    }

    #[test]
    fn bad_tables_are_refused() {
        assert!(parse_table("a: {one: x, several: y}\n").is_err());
        assert!(parse_table("- a\n").is_err());
        assert!(parse_table("a: [1, 2]\n").is_err());
    }
}
