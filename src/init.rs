//! `annals init DIR`: a new site with one article, one events file and registries.

use std::fs;
use std::path::Path;

use crate::error::Diagnostic;

const SITE_YAML: &str = r#"title: "My conflict timeline"
base_url: "https://example.org/timeline/"
description: "A dated, sourced chronology"
language: en
timezone: UTC
per_page: 100
"#;

const EVENTS_YAML: &str = r#"# Each event needs an id ([a-z0-9-]), a date and a title.
# Dates: 2022, 2022-02, 2022-02-24 or 2022-02-24T05:00:00+02:00;
# end a date with ~ (approximate), ? (uncertain) or % (both).
- id: first-event
  date: 2024-05
  title: The first event of the timeline
  summary: |
    Write what happened in a few sentences of **Markdown**.
  track: diplomacy
  importance: 3
  actors: [example-government]
  places: [example-city]
  sources:
    - article: welcome
    - url: https://example.org/report
      title: A report on the first event
      publisher: Example Wire
      accessed: 2024-06-01

- id: talks-begin
  date: 2024-06-10~
  end: 2024-06-12
  title: Talks begin
  track: diplomacy
  status: unverified
  actors: [example-government]
  related: [first-event]
"#;

const ARTICLE_MD: &str = r#"---
title: Welcome to the timeline
date: 2024-06-01
summary: How this timeline is put together.
author: The editors
tags: [about]
events: [first-event]
---
This article explains what the timeline covers. Articles are Markdown with
YAML front matter; the `events:` list links them to the events they cover.
"#;

const ACTORS_YAML: &str = r#"- id: example-government
  name: Example Government
  aliases: [the government]
  kind: state
  description: A placeholder actor; replace it with your own.
"#;

const PLACES_YAML: &str = r#"- id: example-city
  name: Example City
  kind: city
  lat: 50.45
  lon: 30.52
"#;

const ABOUT_MD: &str = r#"---
title: About
slug: about
---
Who keeps this timeline, and how to reach them.
"#;

/// The GitHub Pages workflow `init --github-pages` writes (docs/deploy.md).
pub const GITHUB_PAGES_WORKFLOW: &str = include_str!("../deploy/github-pages.yml");

/// Where `init --github-pages` writes the workflow.
pub const GITHUB_PAGES_PATH: &str = ".github/workflows/pages.yml";

/// Writes a new site into `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    init_with(dir, false)
}

/// Like [`init`]; with `github_pages`, also the workflow that publishes the
/// site on GitHub Pages.
pub fn init_with(dir: &Path, github_pages: bool) -> Result<Vec<String>, Diagnostic> {
    if dir.exists() {
        let non_empty = fs::read_dir(dir)
            .map_err(|e| Diagnostic::global(format!("cannot read {}: {e}", dir.display())))?
            .next()
            .is_some();
        if non_empty {
            return Err(Diagnostic::global(format!(
                "{} is not empty: `annals init` only writes into a new or empty folder",
                dir.display()
            )));
        }
    }
    let files = [
        ("site.yaml", SITE_YAML),
        ("content/events/events.yaml", EVENTS_YAML),
        ("content/articles/welcome.md", ARTICLE_MD),
        ("content/actors.yaml", ACTORS_YAML),
        ("content/places.yaml", PLACES_YAML),
        ("content/pages/about.md", ABOUT_MD),
        (".gitignore", "/public\n/.annals/\n"),
    ];
    let workflow = [(GITHUB_PAGES_PATH, GITHUB_PAGES_WORKFLOW)];
    let extra: &[(&str, &str)] = if github_pages { &workflow } else { &[] };
    let mut written = Vec::new();
    for &(rel, text) in files.iter().chain(extra) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::global(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        fs::write(&path, text)
            .map_err(|e| Diagnostic::global(format!("cannot write {}: {e}", path.display())))?;
        written.push(rel.to_string());
    }
    Ok(written)
}
