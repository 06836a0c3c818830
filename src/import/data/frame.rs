//! What a dataset holds besides its events, written into the site: the
//! eras of a TimelineJS timeline are appended to `content/eras.yaml` (an era
//! already there under the same title is left as the curators have it), and
//! its title slide becomes a free page under `content/pages/` (left alone
//! when that page exists). Nothing a timeline carries is dropped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::Value;

use super::problem::Problem;
use super::registries::normalise;
use super::timelinejs::{EraSlide, Frame, TitleSlide};
use crate::import::write::Output;

const ERAS_FILE: &str = "content/eras.yaml";

/// An era as `eras.yaml` writes it.
#[derive(Debug, Serialize)]
struct NewEra {
    id: String,
    title: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// A free page's front matter.
#[derive(Debug, Serialize)]
struct PageFront<'a> {
    title: &'a str,
    slug: &'a str,
}

/// The files the frame adds to, and what was added or kept.
#[derive(Debug, Default)]
pub struct FrameWrites {
    /// Files to write.
    pub outputs: Vec<Output>,
    /// Eras added to `eras.yaml`.
    pub eras_added: usize,
    /// Eras already there under the same title.
    pub eras_kept: usize,
    /// Pages added (the title slides).
    pub pages_added: Vec<PathBuf>,
    /// Title slides whose page exists already, left as it is.
    pub pages_kept: Vec<PathBuf>,
}

/// Plans the writes of a timeline's title slides and eras.
pub fn plan(root: &Path, frame: &Frame) -> Result<FrameWrites, Vec<Problem>> {
    let mut out = FrameWrites::default();
    if !frame.eras.is_empty() {
        eras(root, &frame.eras, &mut out).map_err(|p| vec![p])?;
    }
    let mut taken: HashSet<PathBuf> = HashSet::new();
    for slide in &frame.titles {
        title_page(root, slide, &mut taken, &mut out);
    }
    Ok(out)
}

fn eras(root: &Path, slides: &[EraSlide], out: &mut FrameWrites) -> Result<(), Problem> {
    let rel = Path::new(ERAS_FILE);
    let full = root.join(rel);
    let old = if full.is_file() {
        std::fs::read_to_string(&full)
            .map_err(|e| Problem::file(rel, format!("cannot read: {e}")))?
    } else {
        String::new()
    };
    let existing: Vec<Value> = match serde_yaml::from_str::<Value>(&old) {
        Ok(Value::Sequence(items)) => items,
        Ok(Value::Null) => Vec::new(),
        Ok(_) => return Err(Problem::file(rel, "not a list of eras: cannot add to it")),
        Err(e) => {
            return Err(Problem::at(
                rel,
                e.location().map_or(0, |l| l.line()),
                format!("cannot read the eras, so cannot add to them: {e}"),
            ));
        }
    };
    let field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mut ids: HashSet<String> = existing.iter().filter_map(|v| field(v, "id")).collect();
    let mut titles: HashSet<String> = existing
        .iter()
        .filter_map(|v| field(v, "title"))
        .map(|t| normalise(&t))
        .collect();
    let mut added: Vec<NewEra> = Vec::new();
    for s in slides {
        let title = if s.title.trim().is_empty() {
            match &s.end {
                Some(end) => format!("{} – {end}", s.date),
                None => s.date.clone(),
            }
        } else {
            s.title.clone()
        };
        if !titles.insert(normalise(&title)) {
            out.eras_kept += 1;
            continue;
        }
        let id = free_id(&crate::slug::slugify(&title), "era", &ids);
        ids.insert(id.clone());
        added.push(NewEra {
            id,
            title,
            date: s.date.clone(),
            end: s.end.clone(),
            description: (!s.description.trim().is_empty()).then(|| s.description.clone()),
        });
    }
    out.eras_added = added.len();
    if added.is_empty() {
        return Ok(());
    }
    let text = if old.trim_start().starts_with('[') {
        let mut all = existing;
        all.extend(added.iter().filter_map(|e| serde_yaml::to_value(e).ok()));
        serde_yaml::to_string(&all)
    } else {
        serde_yaml::to_string(&added).map(|appended| {
            let old = old.trim_end();
            if old.is_empty() || old == "null" || old == "~" {
                appended
            } else {
                format!("{old}\n\n{appended}")
            }
        })
    }
    .map_err(|e| Problem::file(rel, format!("cannot write the eras: {e}")))?;
    out.outputs.push(Output {
        path: rel.to_path_buf(),
        text: Some(text),
    });
    Ok(())
}

fn title_page(
    root: &Path,
    slide: &TitleSlide,
    taken: &mut HashSet<PathBuf>,
    out: &mut FrameWrites,
) {
    let title = if slide.title.trim().is_empty() {
        "Introduction"
    } else {
        slide.title.as_str()
    };
    let slug = match crate::slug::slugify(title) {
        s if s.is_empty() => "introduction".to_string(),
        s => s,
    };
    let rel = Path::new("content/pages").join(format!("{slug}.md"));
    if root.join(&rel).exists() || !taken.insert(rel.clone()) {
        out.pages_kept.push(rel);
        return;
    }
    let front = serde_yaml::to_string(&PageFront { title, slug: &slug }).unwrap_or_default();
    let body = slide.body.trim();
    out.outputs.push(Output {
        path: rel.clone(),
        text: Some(format!("---\n{front}---\n{body}\n")),
    });
    out.pages_added.push(rel);
}

/// `base` (or `fallback` when empty) made unique among `ids`.
fn free_id(base: &str, fallback: &str, ids: &HashSet<String>) -> String {
    let base = if base.is_empty() { fallback } else { base };
    if !ids.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !ids.contains(c))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn era(title: &str, date: &str, end: Option<&str>) -> EraSlide {
        EraSlide {
            path: PathBuf::from("t.json"),
            line: 1,
            title: title.into(),
            date: date.into(),
            end: end.map(str::to_string),
            description: String::new(),
        }
    }

    /// A site folder of its own for each test (`name`), with `eras.yaml` when given.
    fn site(name: &str, eras: Option<&str>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("annals-frame-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content")).unwrap();
        if let Some(text) = eras {
            std::fs::write(dir.join(ERAS_FILE), text).unwrap();
        }
        dir
    }

    #[test]
    fn new_eras_are_appended_and_known_titles_kept() {
        let dir = site(
            "append",
            Some("# ours\n- id: early-war\n  title: Early War\n  date: 2014\n"),
        );
        let frame = Frame {
            titles: Vec::new(),
            eras: vec![
                era("Early  war", "2014", Some("2015")),
                era("Full-scale war", "2022-02-24", None),
                era("", "2016", Some("2017")),
            ],
        };
        let w = plan(&dir, &frame).unwrap();
        assert_eq!((w.eras_added, w.eras_kept), (2, 1));
        let text = w.outputs[0].text.as_deref().unwrap();
        assert!(text.starts_with("# ours\n- id: early-war"), "{text}");
        let all: Vec<Value> = serde_yaml::from_str(text).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[1]["id"].as_str(), Some("full-scale-war"));
        assert!(all[1].get("end").is_none());
        assert_eq!(all[2]["title"].as_str(), Some("2016 – 2017"));
        assert_eq!(all[2]["id"].as_str(), Some("2016-2017"));
    }

    #[test]
    fn an_id_taken_by_another_title_gets_a_suffix() {
        let dir = site(
            "suffix",
            Some("- id: war\n  title: The war\n  date: 2014\n"),
        );
        let frame = Frame {
            titles: Vec::new(),
            eras: vec![era("War", "2022", None)],
        };
        let w = plan(&dir, &frame).unwrap();
        let all: Vec<Value> = serde_yaml::from_str(w.outputs[0].text.as_deref().unwrap()).unwrap();
        assert_eq!(all[1]["id"].as_str(), Some("war-2"));
    }

    #[test]
    fn an_unreadable_eras_file_is_named() {
        let dir = site("bad", Some("- id: [unclosed\n"));
        let frame = Frame {
            titles: Vec::new(),
            eras: vec![era("War", "2022", None)],
        };
        let p = plan(&dir, &frame).unwrap_err();
        assert!(p[0].to_string().contains("eras.yaml"), "{}", p[0]);
    }

    #[test]
    fn the_title_slide_is_a_page_unless_it_exists() {
        let dir = site("title", None);
        let slide = TitleSlide {
            path: PathBuf::from("t.json"),
            line: 1,
            title: "War: a timeline".into(),
            body: "For *readers*.".into(),
        };
        let frame = Frame {
            titles: vec![slide.clone(), slide],
            eras: Vec::new(),
        };
        let w = plan(&dir, &frame).unwrap();
        assert_eq!(
            w.pages_added,
            [PathBuf::from("content/pages/war-a-timeline.md")]
        );
        assert_eq!(w.pages_kept.len(), 1);
        let text = w.outputs[0].text.as_deref().unwrap();
        assert!(
            text.starts_with(
                "---\ntitle: 'War: a timeline'\nslug: war-a-timeline\n---\nFor *readers*.\n"
            ),
            "{text}"
        );
    }
}
