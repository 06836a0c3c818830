//! `site.yaml`: the site's configuration, read field by field and validated.

use std::path::Path;
use std::sync::Arc;

use chrono_tz::Tz;

use crate::date::DateStyle;
use crate::date_names::DateNames;
use crate::error::{Diagnostic, Diagnostics, Span};
use crate::fields::Fields;
use crate::source::{Origin, SourceFile, YamlSource};

/// The configuration file's name, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// `timeline_json_max` when `site.yaml` does not say.
pub const TIMELINE_JSON_MAX: usize = 20_000;

/// `term_page_max` when `site.yaml` does not say.
pub const TERM_PAGE_MAX: usize = 5_000;

/// A validated site configuration.
#[derive(Debug, Clone, PartialEq, Eq)]

pub struct Config {
    /// The site's title.
    pub title: String,
    /// Absolute URL the site is published at, always ending in `/`.
    pub base_url: String,
    /// One-line description, for meta tags and the feed.
    pub description: String,
    /// BCP 47 language tag of the site's text.
    pub language: String,
    /// Time zone for date-times written without an offset and for the start
    /// of partial dates.
    pub timezone: Tz,
    /// Entries per timeline page; 0 puts them all on one page (up to
    /// [`crate::render::pages::ONE_PAGE_MAX`]).
    pub per_page: usize,
    /// The most entries `timeline.json` holds in one file
    /// (`timeline_json_max`); a site with more gets a manifest and one file
    /// per year.
    pub timeline_json_max: usize,
    /// The most entries a tag, actor, place or track page lists
    /// (`term_page_max`); a term with more gets a page per year (and per
    /// month of a year with more), its own page showing its newest period.
    pub term_page_max: usize,
    /// Most entry pages of one kind in one folder (`folder_limit`): above
    /// it, entry pages go in folders by year (and month, and day).
    pub folder_limit: usize,
    /// Keep raw HTML in Markdown as written instead of sanitising it.
    pub allow_raw_html: bool,
    /// Month names and patterns of `language` (English when annals has none for it).
    pub date_names: &'static DateNames,
    /// Which data exports every build writes (`exports:`).
    pub exports: Exports,
    /// Write numbers in dates and counts with Arabic-Indic digits (`digits: arabic`).
    pub arabic_digits: bool,
    /// Whether lists show the newest entries first (`order: newest`).
    pub newest_first: bool,
    /// Origins allowed to show the site in a frame (`embed: {allow: [...]}`);
    /// none by default.
    pub embed_allow: Vec<String>,
    /// The translation tables (the site's over the shipped ones), set once
    /// the theme is loaded, for the words code writes itself.
    pub words: crate::i18n::SiteWords,
    /// The default image of link previews (Open Graph, Twitter), a URL or a
    /// path from the site root (`image`).
    pub image: Option<String>,
    /// `map:`: how precisely coordinates are published, opt-in tiles.
    pub map: crate::map::settings::MapSettings,
    /// `privacy: strict`: a resource from another origin is an error, not a warning.
    pub privacy_strict: bool,
    /// Largest content file read, in megabytes (`max_file_mb`).
    pub max_file_mb: u64,
    /// The languages of a multilingual site (`languages: [uk, en]`, the
    /// first the default); empty for a site in one language.
    pub languages: Vec<String>,
    /// Whether the default language's tree is also published at the root
    /// (`default_language_at_root`, true by default).
    pub default_at_root: bool,
    /// Where this configuration's tree sits in the site ("" or "en/"); the
    /// trees of a multilingual site each get their own configuration.
    pub tree: String,
    /// The whole site's URL (`base_url` of site.yaml), whichever the tree.
    pub site_url: String,
    /// The slug of the free page that explains how entries are verified
    /// and figures totalled; every status badge's explanation links to it.
    pub methodology: Option<String>,
}

/// `exports:` in site.yaml: each export on (the default) or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exports {
    /// `events.csv`.
    pub csv: bool,
    /// Start `events.csv` with a UTF-8 byte-order mark (for old Excel).
    pub csv_bom: bool,
    /// `timeline.ics`.
    pub ics: bool,
    /// `timelinejs.json`.
    pub timelinejs: bool,
    /// `events.geojson`.
    pub geojson: bool,
    /// `events.gpx`.
    pub gpx: bool,
    /// The "cite this" block on event pages.
    pub cite: bool,
}

impl Default for Exports {
    fn default() -> Self {
        Exports {
            csv: true,
            csv_bom: false,
            ics: true,
            timelinejs: true,
            geojson: true,
            gpx: true,
            cite: true,
        }
    }
}

fn read_exports(f: &mut Fields<'_>) -> Exports {
    let mut e = Exports::default();
    let Some((value, origin)) = f.nested("exports") else {
        return e;
    };
    let Some(mut g) = Fields::new(value, origin, "exports", f.diags) else {
        return e;
    };
    for (key, slot) in [
        ("csv", &mut e.csv),
        ("csv_bom", &mut e.csv_bom),
        ("ics", &mut e.ics),
        ("timelinejs", &mut e.timelinejs),
        ("geojson", &mut e.geojson),
        ("gpx", &mut e.gpx),
        ("cite", &mut e.cite),
    ] {
        if let Some(b) = g.boolean(key) {
            *slot = b;
        }
    }
    g.finish();
    e
}

/// Largest `max_file_mb` accepted: a file that size is parsed in memory.
const MAX_FILE_MB_LIMIT: i64 = 1024;

/// Most entry pages of one kind in one folder by default: static hosts and
/// file systems slow down (or refuse) with more files in one folder.
pub const DEFAULT_FOLDER_LIMIT: usize = 20_000;

impl Config {
    /// How this site reads and shows dates.
    pub fn date_style(&self) -> DateStyle {
        DateStyle {
            tz: self.timezone,
            names: self.date_names,
        }
    }

    /// Reads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::new();
        match Config::load_or_default(root, &mut diags) {
            Some(c) if !diags.has_errors() => Ok(c),
            _ => Err(diags),
        }
    }

    /// Reads `site.yaml` under `root`, reporting every problem into `diags`
    /// and standing in a default for each field that failed (for a file that
    /// is not even YAML, for all of them), so that the content can still be
    /// loaded and checked in the same run. `None` only when there is no
    /// `site.yaml` at all: then this is not a site folder.
    pub fn load_or_default(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
        let rel = Path::new(CONFIG_FILE);
        if !root.join(rel).is_file() {
            diags.error(
                Span::file(rel),
                format!(
                    "no {CONFIG_FILE} in {}: is this a site folder? (`annals init DIR` makes one)",
                    root.display()
                ),
            );
            return None;
        }
        let file = match SourceFile::read(root, rel) {
            Ok(f) => f,
            Err(e) => {
                diags.push(e);
                return Some(Config::fallback());
            }
        };
        Some(Config::parse_or_default(&file, diags))
    }

    /// Validates the text of a configuration file.
    pub fn parse(file: &SourceFile) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::new();
        let config = Config::parse_or_default(file, &mut diags);
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(config)
        }
    }

    /// Like [`Config::parse`], with defaults for what failed.
    fn parse_or_default(file: &SourceFile, diags: &mut Diagnostics) -> Config {
        let doc = YamlSource::whole(file);
        let value = match doc.parse() {
            Ok(v) => v,
            Err(e) => {
                diags.push(e);
                return Config::fallback();
            }
        };
        let origin = Origin::new(&doc, Vec::new());
        read(&value, origin, &doc, diags)
    }

    /// The configuration a site whose `site.yaml` cannot be read is checked with.
    fn fallback() -> Config {
        Config {
            title: "(site.yaml has errors)".to_string(),
            base_url: "https://example.org/".to_string(),
            description: String::new(),
            language: "en".to_string(),
            timezone: Tz::UTC,
            per_page: 100,
            timeline_json_max: TIMELINE_JSON_MAX,
            term_page_max: TERM_PAGE_MAX,
            folder_limit: DEFAULT_FOLDER_LIMIT,
            allow_raw_html: false,
            date_names: &crate::date_names::EN,
            max_file_mb: crate::source::DEFAULT_MAX_FILE_MB,
            exports: Exports::default(),
            languages: Vec::new(),
            default_at_root: true,
            tree: String::new(),
            site_url: "https://example.org/".to_string(),
            arabic_digits: false,
            newest_first: false,
            embed_allow: Vec::new(),
            words: crate::i18n::SiteWords::default(),
            image: None,
            methodology: None,
            map: crate::map::settings::MapSettings::default(),
            privacy_strict: false,
        }
    }

    /// The same configuration published at another URL (`--base-url`).
    pub fn with_base_url(mut self, url: &str) -> Result<Config, Diagnostic> {
        self.base_url = normalise_base_url(url).map_err(|why| {
            Diagnostic::global(format!(
                "invalid --base-url \"{}\": {why}",
                crate::error::cut(url)
            ))
        })?;
        Ok(self)
    }

    /// The configuration of the tree of `lang` (one of `languages`) at
    /// `tree` ("" or "en/"): its language, dates and URL.
    pub fn for_tree(&self, lang: &str, tree: &str) -> Config {
        let mut c = self.clone();
        c.language = lang.to_string();
        c.date_names = crate::date_names::for_language_digits(lang, c.arabic_digits)
            .unwrap_or(&crate::date_names::EN);
        c.tree = tree.to_string();
        c.base_url = format!("{}{tree}", self.site_url);
        c
    }

    /// The URL the pages of this tree name as canonical. When the default
    /// language is also published at the root (`default_language_at_root`,
    /// the default), the root copy is its canonical home and the pages of
    /// its folder (`uk/`) name the root's: the two never both claim to be
    /// the page.
    pub fn canonical_base(&self) -> String {
        self.language_base(&self.language)
    }

    /// Where the canonical pages of `lang` are: the root for the default
    /// language published there, else the language's folder (`en/`); the
    /// base URL on a one-language site.
    pub fn language_base(&self, lang: &str) -> String {
        match self.languages.first() {
            _ if self.languages.len() < 2 => self.base_url.clone(),
            Some(default) if default == lang && self.default_at_root => self.site_url.clone(),
            // The tree of a language is its folder (`tree_of`).
            _ => format!("{}{lang}/", self.site_url),
        }
    }

    /// The path part of the base URL ("/war/" for "https://example.org/war/").
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

fn read(
    value: &serde_yaml::Value,
    origin: Origin,
    doc: &Arc<YamlSource>,
    diags: &mut Diagnostics,
) -> Config {
    let fallback = Config::fallback();
    let Some(mut f) = Fields::new(value, origin, "site configuration", diags) else {
        return fallback;
    };
    let title = f.required_text("title");
    let base_url_text = f.required_text("base_url");
    let description = f.text("description").unwrap_or_default();
    let language = f.text("language").unwrap_or_else(|| "en".to_string());
    let timezone_text = f.text("timezone");
    let per_page = f.int_in("per_page", 0, 100_000).unwrap_or(100) as usize;
    let timeline_json_max = f
        .int_in("timeline_json_max", 0, 100_000_000)
        .unwrap_or(TIMELINE_JSON_MAX as i64) as usize;
    let term_page_max = f
        .int_in("term_page_max", 1, 100_000_000)
        .map_or(TERM_PAGE_MAX, |n| n as usize);
    let folder_limit = f
        .int_in("folder_limit", 1, 10_000_000)
        .map_or(DEFAULT_FOLDER_LIMIT, |n| n as usize);
    let allow_raw_html = f.boolean("allow_raw_html").unwrap_or(false);
    let exports = read_exports(&mut f);
    let languages_list = f.text_list("languages");
    let default_at_root = f.boolean("default_language_at_root").unwrap_or(true);
    let digits_text = f.text("digits");
    let digits_origin = f.origin_of("digits");
    let order_text = f.text("order");
    let order_origin = f.origin_of("order");
    let image = f.text("image").filter(|i| !i.trim().is_empty());
    let embed = f.nested("embed").map(|(v, o)| (v.clone(), o));
    let map = f.nested("map");
    let map = map
        .map(|(v, o)| crate::map::settings::MapSettings::read(v, o, f.diags))
        .unwrap_or_default();
    let privacy = f.text("privacy");
    let privacy_origin = f.origin_of("privacy");
    let max_file_mb = f
        .int_in("max_file_mb", 1, MAX_FILE_MB_LIMIT)
        .map_or(fallback.max_file_mb, |n| n as u64);
    let methodology = f.id("methodology").map(|m| m.value);
    let tz_origin = f.origin_of("timezone");
    let url_origin = f.origin_of("base_url");
    f.finish();
    let arabic_digits = match digits_text.as_deref() {
        None | Some("latin") => false,
        Some("arabic") => true,
        Some(other) => {
            diags.error(
                digits_origin.span(),
                format!("invalid digits \"{other}\": use latin (0123) or arabic (٠١٢٣)"),
            );
            false
        }
    };
    let privacy_strict = match privacy.as_deref().map(str::trim) {
        None | Some("warn") => false,
        Some("strict") => true,
        Some(other) => {
            diags.error(
                privacy_origin.span(),
                format!("unknown privacy \"{other}\": use `warn` (the default) or `strict`"),
            );
            false
        }
    };
    let newest_first = match order_text.as_deref() {
        None | Some("oldest") => false,
        Some("newest") => true,
        Some(other) => {
            diags.error(
                order_origin.span(),
                format!("invalid order \"{other}\": use oldest or newest"),
            );
            false
        }
    };
    let embed_allow = embed
        .map(|(value, origin)| read_embed(&value, origin, diags))
        .unwrap_or_default();

    let timezone = match timezone_text {
        None => Some(Tz::UTC),
        Some(name) => match name.parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                let hint = crate::suggest::did_you_mean(
                    &name,
                    chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()),
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_else(|| " (use an IANA name such as Europe/Kyiv or UTC)".to_string());
                diags.error(
                    tz_origin.span(),
                    format!("unknown time zone \"{}\"{hint}", crate::error::cut(&name)),
                );
                None
            }
        },
    };
    let base_url = base_url_text.and_then(|url| match normalise_base_url(&url) {
        Ok(u) => Some(u),
        Err(why) => {
            diags.error(
                url_origin.span(),
                format!("invalid base_url \"{}\": {why}", crate::error::cut(&url)),
            );
            None
        }
    });
    if language.trim().is_empty()
        || !language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        diags.error(
            doc.span_of(&[crate::yaml_locate::key("language")]),
            format!(
                "invalid language \"{}\": use a BCP 47 tag such as en, uk or ar",
                crate::error::cut(&language)
            ),
        );
    }
    let mut languages: Vec<String> = Vec::new();
    for l in &languages_list {
        let tag = l.value.trim().to_string();
        if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            diags.error(
                l.origin.span(),
                format!(
                    "invalid language \"{}\" in languages: use BCP 47 tags such as uk or en",
                    crate::error::cut(&tag)
                ),
            );
        } else if languages.contains(&tag) {
            diags.error(
                l.origin.span(),
                format!("language \"{tag}\" is listed twice"),
            );
        } else {
            languages.push(tag);
        }
    }
    // The first of `languages` is the site's language.
    let language = match languages.first() {
        Some(first) => first.clone(),
        None => language,
    };
    let base_url_for_site = base_url.unwrap_or(fallback.base_url);
    let language_ok = !language.trim().is_empty()
        && language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    Config {
        title: title.unwrap_or(fallback.title),
        base_url: base_url_for_site.clone(),
        description,
        timezone: timezone.unwrap_or(fallback.timezone),
        per_page,
        timeline_json_max,
        term_page_max,
        folder_limit,
        allow_raw_html,
        exports,
        date_names: crate::date_names::for_language_digits(&language, arabic_digits)
            .unwrap_or(&crate::date_names::EN),
        language: if language_ok {
            language
        } else {
            fallback.language
        },
        max_file_mb,
        site_url: base_url_for_site.clone(),
        languages,
        default_at_root,
        tree: String::new(),
        arabic_digits,
        newest_first,
        embed_allow,
        words: crate::i18n::SiteWords::default(),
        image,
        methodology,
        map,
        privacy_strict,
    }
}

/// `embed: {allow: [origins]}`: each origin an `https://host` (or `http://`,
/// with an optional port), or `*` for anyone.
fn read_embed(value: &serde_yaml::Value, origin: Origin, diags: &mut Diagnostics) -> Vec<String> {
    let mut f = match Fields::new(value, origin, "embed setting", diags) {
        Some(f) => f,
        None => return Vec::new(),
    };
    let allow = f.text_list("allow");
    f.finish();
    let mut out = Vec::new();
    for item in allow {
        let o = item.value.trim_end_matches('/');
        let ok = o == "*"
            || ["https://", "http://"].iter().any(|scheme| {
                o.strip_prefix(scheme).is_some_and(|host| {
                    !host.is_empty()
                        && host
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-.:*".contains(c))
                })
            });
        if ok {
            out.push(o.to_string());
        } else {
            diags.error(
                item.origin.span(),
                format!(
                    "invalid origin \"{}\" in embed.allow: write it as https://host (no path), or * for anyone",
                    item.value
                ),
            );
        }
    }
    out
}

/// Checks that a base URL is absolute http(s) and ends it with `/`.
fn normalise_base_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with https:// or http://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("it has no host");
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err("it may not contain spaces, quotes, a query or a fragment");
    }
    let mut out = url.to_string();
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<String>> {
        Config::parse(&SourceFile::from_text("site.yaml", text))
            .map_err(|d| d.sorted().into_iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn defaults() {
        let c = parse("title: T\nbase_url: https://example.org/war\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/war/");
        assert_eq!(c.base_path(), "/war/");
        assert_eq!(c.timezone, Tz::UTC);
        assert_eq!(c.per_page, 100);
        assert_eq!(c.language, "en");
        assert!(!c.allow_raw_html);
        assert!(!c.arabic_digits && !c.newest_first && c.embed_allow.is_empty());
    }

    #[test]
    fn reader_options() {
        let c = parse(
            "title: T\nbase_url: https://e.org/\nlanguage: ar\ndigits: arabic\norder: newest\nembed:\n  allow: [\"https://news.example/\", \"*\"]\nimage: og.png\n",
        )
        .unwrap();
        assert!(c.arabic_digits && c.newest_first);
        assert_eq!(c.embed_allow, ["https://news.example", "*"]);
        assert_eq!(c.image.as_deref(), Some("og.png"));
        let errs = parse(
            "title: T\nbase_url: https://e.org/\ndigits: roman\norder: random\nembed: {allow: [\"news.example/x\"], deny: 1}\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:#?}");
        assert!(errs.iter().any(|e| e.contains("invalid digits \"roman\"")));
        assert!(errs.iter().any(|e| e.contains("invalid order \"random\"")));
        assert!(
            errs.iter()
                .any(|e| e.contains("invalid origin \"news.example/x\""))
        );
        assert!(errs.iter().any(|e| e.contains("unknown field `deny`")));
    }

    #[test]
    fn every_problem_reported() {
        let errs = parse(
            "title: T\nbase_url: example.org\ntimezone: Europe/Kiev2\nper_page: -1\ntitel: x\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:#?}");
        assert!(
            errs[0].starts_with("error: site.yaml:2:11: invalid base_url"),
            "{}",
            errs[0]
        );
        assert!(
            errs[1].contains("unknown time zone \"Europe/Kiev2\""),
            "{}",
            errs[1]
        );
        assert!(errs[2].contains("per_page"), "{}", errs[2]);
        assert!(
            errs[3].contains("unknown field `titel`") && errs[3].contains("did you mean `title`"),
            "{}",
            errs[3]
        );
    }

    #[test]
    fn missing_required() {
        let errs = parse("description: x\n").unwrap_err();
        assert!(errs.iter().any(|e| e.contains("required field `title`")));
        assert!(errs.iter().any(|e| e.contains("required field `base_url`")));
        let errs = parse("").unwrap_err();
        assert!(errs[0].contains("mapping"), "{errs:?}");
    }
}
