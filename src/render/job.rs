//! One page to render: its path, template, title and the data its template
//! receives, built when the page is rendered.

use std::borrow::Cow;

use serde::Serialize;

use crate::error::{Diagnostic, Span};

/// The data of one page, built when the page is rendered (and dropped right
/// after), so that memory holds the data of a few pages at a time.
#[derive(Default)]
pub struct PageData {
    /// Values inserted beside `site`, `root` and `page`.
    pub data: Vec<(&'static str, tera::Value)>,
    /// Internal links written in its Markdown, with where they were written.
    pub links: Vec<(String, Span)>,
}

type Build<'a> = Box<dyn Fn() -> Result<PageData, Diagnostic> + Send + Sync + 'a>;

/// One page to render: its path, template and data.
pub struct PageJob<'a> {
    /// Path relative to the site root (`events/x/`; empty for the home page).
    pub path: Cow<'a, str>,
    /// The template's name.
    pub template: &'static str,
    /// Title, for `<title>` and headings.
    pub title: Cow<'a, str>,
    /// Description, for meta tags.
    pub description: Cow<'a, str>,
    /// Section name, for the navigation.
    pub section: &'static str,
    /// Small data known up front (shared values are not copied).
    data: Vec<(&'static str, tera::Value)>,
    /// About how many bytes it will make (lists grow with their entries).
    pub size_hint: usize,
    /// Builds the rest of the data when the page is rendered.
    build: Option<Build<'a>>,
    /// A digest of what its data shows of entries it does not read (the
    /// totals of a term's or a year's figures on a page that lists a part
    /// of them): a rebuild keeps the page only while this is the same.
    key: u64,
    /// An entry page shown in the default language, for want of a translation.
    pub untranslated: bool,
}

impl<'a> PageJob<'a> {
    // Entry pages borrow their path, title and description from the
    // entry's card: tens of thousands of pages wait to be rendered at once.
    pub(super) fn new(
        path: impl Into<Cow<'a, str>>,
        template: &'static str,
        title: impl Into<Cow<'a, str>>,
        section: &'static str,
    ) -> PageJob<'a> {
        PageJob {
            path: path.into(),
            template,
            title: title.into(),
            description: Cow::Borrowed(""),
            section,
            data: Vec::new(),
            size_hint: 16 * 1024,
            build: None,
            key: 0,
            untranslated: false,
        }
    }

    /// A page listing `entries` entries: its size grows with them.
    pub(super) fn listing(mut self, entries: usize) -> PageJob<'a> {
        self.size_hint = 16 * 1024 + entries * 700;
        self
    }

    /// A page of about `bytes` bytes.
    pub(super) fn sized(mut self, bytes: usize) -> PageJob<'a> {
        self.size_hint = bytes;
        self
    }

    pub(super) fn with<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> PageJob<'a> {
        self.with_value(key, tera::Value::from_serializable(value))
    }

    pub(super) fn with_value(mut self, key: &'static str, value: tera::Value) -> PageJob<'a> {
        self.data.push((key, value));
        self
    }

    pub(super) fn described(mut self, description: impl Into<Cow<'a, str>>) -> PageJob<'a> {
        self.description = description.into();
        self
    }

    /// The page also shows `shown`, made of entries its data may not
    /// read (see `key`).
    pub(super) fn keyed(mut self, shown: &impl std::hash::Hash) -> PageJob<'a> {
        self.key = crate::digest::hash_of(shown);
        self
    }

    /// The digest of what the page shows of entries it does not read.
    pub fn key(&self) -> u64 {
        self.key
    }

    pub(super) fn later(
        mut self,
        build: impl Fn() -> Result<PageData, Diagnostic> + Send + Sync + 'a,
    ) -> PageJob<'a> {
        self.build = Some(Box::new(build));
        self
    }

    /// The data known up front, before the page is rendered.
    pub fn known_data(&self) -> &[(&'static str, tera::Value)] {
        &self.data
    }

    /// The page's data (an error when a card cannot be rendered).
    pub fn data(&self) -> Result<PageData, Diagnostic> {
        let mut out = match &self.build {
            Some(build) => build()?,
            None => PageData::default(),
        };
        out.data.extend(self.data.iter().cloned());
        Ok(out)
    }
}

impl PageData {
    pub(super) fn with<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> PageData {
        self.with_value(key, tera::Value::from_serializable(value))
    }

    pub(super) fn with_value(mut self, key: &'static str, value: tera::Value) -> PageData {
        self.data.push((key, value));
        self
    }
}
