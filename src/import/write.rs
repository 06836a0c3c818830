//! Rendering an imported article and its draft events as file text
//! (serialised with serde_yaml, so any title or sentence is quoted safely),
//! and writing a file's outputs all together or not at all.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::drafts::Draft;

/// The front matter of an imported article. Every field of the content
/// format's list is written, `null` when unknown, so curators see what to fill.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFront {
    /// Headline.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Teaser or standfirst.
    pub summary: Option<String>,
    /// From Markdown front matter only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publisher (`--source`).
    pub source: Option<String>,
    /// Address of the original (`--url`).
    pub source_url: Option<String>,
    /// From Markdown front matter only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Actor ids.
    pub actors: Vec<String>,
    /// Place ids.
    pub places: Vec<String>,
    /// Event ids: the drafts, and any the front matter listed.
    pub events: Vec<String>,
}

/// The article file: front matter, then the Markdown body.
pub fn article_text(front: &ArticleFront, body: &str) -> Result<String, serde_yaml::Error> {
    let yaml = serde_yaml::to_string(front)?;
    Ok(format!("---\n{yaml}---\n{}\n", body.trim_end()))
}

#[derive(Serialize)]
struct EventOut<'a> {
    id: &'a str,
    date: String,
    title: &'a str,
    summary: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    actors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    places: &'a [String],
    sources: [ArticleRef<'a>; 1],
}

#[derive(Serialize)]
struct ArticleRef<'a> {
    article: &'a str,
}

/// A draft with its final id and the notes shown above it.
pub struct DraftOut<'a> {
    /// The draft.
    pub draft: &'a Draft,
    /// Its id, unique across the site.
    pub id: String,
    /// Review hints, one line each (written as YAML comments).
    pub hints: Vec<String>,
}

/// The drafts file: a header saying how to review, then each draft with
/// comments telling how its date was found.
pub fn drafts_text(
    input: &str,
    slug: &str,
    drafts: &[DraftOut<'_>],
) -> Result<String, serde_yaml::Error> {
    let mut out = format!(
        "# Draft events proposed by `annals import` from {input}\n\
         # for the article content/articles/{slug}.md.\n\
         # Drafts stay out of the site until reviewed: check each date and title,\n\
         # then set `status: confirmed` (or unverified, disputed), or move the\n\
         # event to another events file; delete the ones that are not events.\n",
        input = one_line(input),
    );
    for d in drafts {
        out.push('\n');
        let mut lines: Vec<String> = Vec::new();
        for m in &d.draft.mentions {
            let line = format!(
                "# \"{}\" → {} ({})\n",
                one_line(&m.text),
                m.resolved,
                m.rule
            );
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        out.extend(lines);
        for hint in &d.hints {
            out.push_str(&format!("# {}\n", one_line(hint)));
        }
        let event = EventOut {
            id: &d.id,
            date: d.draft.date.to_string(),
            title: &d.draft.title,
            summary: &d.draft.summary,
            status: "draft",
            actors: &d.draft.actors,
            places: &d.draft.places,
            sources: [ArticleRef { article: slug }],
        };
        out.push_str(&serde_yaml::to_string(&[event])?);
    }
    Ok(out)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One file to write (`Some` text) or to remove (`None`), relative to the site root.
#[derive(Debug, Clone)]
pub struct Output {
    /// Where, relative to the site root.
    pub path: PathBuf,
    /// The new text, or `None` to remove a stale file.
    pub text: Option<String>,
}

/// Writes every output of one import, or none: each text goes to a hidden
/// temporary file beside its target first, and only when all are written
/// are they renamed into place.
pub fn write_all(root: &Path, outputs: &[Output]) -> Result<(), String> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let stage = |out: &Output, text: &str| -> Result<(PathBuf, PathBuf), String> {
        let target = root.join(&out.path);
        let shown = crate::error::display_path(&out.path);
        let dir = target.parent().unwrap_or(root);
        fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder for {shown}: {e}"))?;
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let temp = dir.join(format!(".{name}.import-tmp"));
        fs::write(&temp, text).map_err(|e| format!("cannot write {shown}: {e}"))?;
        Ok((temp, target))
    };
    for out in outputs {
        let Some(text) = &out.text else { continue };
        match stage(out, text) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (temp, _) in &staged {
                    let _ = fs::remove_file(temp);
                }
                return Err(e);
            }
        }
    }
    for (temp, target) in &staged {
        fs::rename(temp, target)
            .map_err(|e| format!("cannot move {} into place: {e}", target.display()))?;
    }
    for out in outputs.iter().filter(|o| o.text.is_none()) {
        let target = root.join(&out.path);
        if target.exists() {
            fs::remove_file(&target).map_err(|e| {
                format!(
                    "cannot remove {}: {e}",
                    crate::error::display_path(&out.path)
                )
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::import::dates::Resolved;

    #[test]
    fn awkward_text_is_quoted_and_reads_back() {
        let awkward = "Talks: \"No\" # deal - yes: null";
        let front = ArticleFront {
            title: awkward.to_string(),
            date: "2025-08-17".to_string(),
            summary: Some("- starts like a list item; ends with a colon:".to_string()),
            author: None,
            source: Some("yes".to_string()),
            source_url: None,
            tags: Vec::new(),
            actors: Vec::new(),
            places: vec!["kyiv".to_string()],
            events: Vec::new(),
        };
        let text = article_text(&front, "Body.").unwrap();
        let yaml = text
            .strip_prefix("---\n")
            .unwrap()
            .split("\n---\n")
            .next()
            .unwrap();
        let back: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(back["title"].as_str(), Some(awkward));
        assert_eq!(back["source"].as_str(), Some("yes"));
        assert!(back["source_url"].is_null());
        assert!(text.ends_with("---\nBody.\n"));

        let draft = Draft {
            base_id: "2022-02-x".to_string(),
            date: Resolved::month(2022, 2).unwrap(),
            title: awkward.to_string(),
            summary: "It said: \"yes\".".to_string(),
            actors: Vec::new(),
            places: Vec::new(),
            mentions: Vec::new(),
        };
        let out = [DraftOut {
            draft: &draft,
            id: "2022-02-x".to_string(),
            hints: vec!["same date as the event y\n(two lines)".to_string()],
        }];
        let text = drafts_text("raw/a b.txt", "a-b", &out).unwrap();
        assert!(
            text.contains("# same date as the event y (two lines)\n"),
            "{text}"
        );
        let back: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back[0]["title"].as_str(), Some(awkward));
        assert_eq!(back[0]["date"].as_str(), Some("2022-02"));
        assert_eq!(back[0]["status"].as_str(), Some("draft"));
        assert_eq!(back[0]["sources"][0]["article"].as_str(), Some("a-b"));
        let day = Resolved::day(NaiveDate::from_ymd_opt(2025, 8, 18).unwrap());
        assert_eq!(day.approx().to_string(), "2025-08-18~");
    }

    #[test]
    fn writes_all_or_nothing() {
        let root = std::env::temp_dir().join(format!("annals-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("blocked")).unwrap();
        // A file where a folder must go: the second output cannot be written.
        fs::write(root.join("blocked/sub"), "x").unwrap();
        let outputs = [
            Output {
                path: "a/one.md".into(),
                text: Some("one".into()),
            },
            Output {
                path: "blocked/sub/two.yaml".into(),
                text: Some("two".into()),
            },
        ];
        assert!(write_all(&root, &outputs).is_err());
        assert!(!root.join("a/one.md").exists());
        assert!(!root.join("a/.one.md.import-tmp").exists());
        write_all(&root, &outputs[..1]).unwrap();
        assert_eq!(fs::read_to_string(root.join("a/one.md")).unwrap(), "one");
        let _ = fs::remove_dir_all(&root);
    }
}
