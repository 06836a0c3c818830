//! The map's pages (`map/`): the located entries on the base map, beside
//! their cards. A site with more located entries than the map's `page_max`
//! has `map/` show its newest month, with a jump navigation to a map page
//! per year (`map/2022/`), and a year with more than the limit leads to a
//! page per month (`map/2022/03/`, cut into parts like the archive's
//! months), as a split term's pages do: no page draws more than the limit,
//! however large the site.

use std::sync::Arc;

use rayon::prelude::*;

use super::terms::TermPeriod;
use super::{JumpYear, Pages};
use crate::map::Frame;
use crate::render::job::{PageData, PageJob};

/// How many entries' marks and list items a map page makes (in parallel)
/// before adding them to its lists.
const MAP_CHUNK: usize = 2048;

impl<'a> Pages<'a> {
    /// The map's pages: none when no entry is located, `map/` alone while
    /// the located entries are at most the map's `page_max`, else a page
    /// per period.
    pub(super) fn map_pages(&self) -> Vec<PageJob<'_>> {
        let Some(frame) = Frame::new(self.chron) else {
            return Vec::new();
        };
        let located = Arc::clone(&frame.positions);
        let frame = Arc::new(frame);
        let limit = self.chron.config.map.page_max;
        if located.len() <= limit {
            return vec![self.map_job("map/".to_string(), None, located.to_vec(), frame)];
        }
        // A map page lists its entries without month groups: the jump
        // navigation's months link pages, not places on them.
        self.split_by_period(
            "map/".to_string(),
            &located,
            limit,
            false,
            &|path, period, listed, years| {
                self.map_job(
                    path,
                    Some((period, Arc::clone(years))),
                    listed.to_vec(),
                    Arc::clone(&frame),
                )
            },
        )
    }

    /// One map page at `path`, drawing the entries at `shown` (positions,
    /// in chronology order); with the period it shows on a split map.
    fn map_job(
        &self,
        path: String,
        period: Option<(TermPeriod, Arc<Vec<JumpYear>>)>,
        shown: Vec<usize>,
        frame: Arc<Frame>,
    ) -> PageJob<'_> {
        let map_title = self.words("map.title", None, &[]);
        let title = match &period {
            Some((p, _)) if p.kind != "term" => {
                self.part_title(format!("{} · {map_title}", p.title), p.part.as_ref())
            }
            _ => map_title,
        };
        let count = shown.len();
        let root = crate::render::root_of(&path);
        // Its data is made when the page is rendered: only a page that
        // needs rendering pays for (and a rebuild digests) every mark.
        PageJob::new(path, "map.html", title, "map")
            .described(self.words("map.lede", None, &[("n", count.to_string())]))
            .listing(count)
            // Sized for a mark and an item of about 1,100 bytes per entry, so
            // that the page's buffer is not doubled (and copied) as it grows.
            .sized(64 * 1024 + count * 1280)
            .later(move || {
                let mut map =
                    crate::map::page::map_page_in((*frame).clone(), self.chron, self.cards, &shown);
                // Each mark and list item made apart (on every core), and
                // kept by a rebuild while its entry and the frame are the same.
                let frame_value = tera::Value::from_serializable(&map.frame);
                let frame_key = crate::digest::hash_of(&(map.frame.base_key(), map.frame.located));
                // Made a chunk at a time and added to the page's two lists,
                // so that every entry's parts are never held besides the lists.
                let (mut marks_html, mut list_html) = (String::new(), String::new());
                let marks = std::mem::take(&mut map.marks);
                for (i, chunk) in marks.chunks(MAP_CHUNK).enumerate() {
                    let parts = chunk
                        .par_iter()
                        .map(|m| {
                            self.html
                                .map_parts(m, &root, &map.frame, &frame_value, frame_key)
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    if i == 0 {
                        // Sized once from the first chunk, with a quarter to
                        // spare (pages never written are not memory).
                        let scale = |n: usize| n * marks.len() / chunk.len() * 5 / 4;
                        marks_html.reserve(scale(parts.iter().map(|p| p.0.len() + 1).sum()));
                        list_html.reserve(scale(parts.iter().map(|p| p.1.len() + 1).sum()));
                    }
                    for (mark, item) in &parts {
                        marks_html.push_str(mark);
                        marks_html.push('\n');
                        list_html.push_str(item);
                        list_html.push('\n');
                    }
                }
                drop(marks);
                // The page may list thousands of entries: each of its
                // values is let go as soon as the next is made from it.
                let data = PageData::default()
                    .with_value("marks_html", tera::Value::safe_string(&marks_html));
                drop(marks_html);
                let data = data.with_value("list_html", tera::Value::safe_string(&list_html));
                drop(list_html);
                let value = tera::Value::from_serializable(&map);
                drop(map);
                let data = data.with_value("map", value);
                Ok(match &period {
                    Some((period, years)) => data.with("period", &period.with_years(years)),
                    None => data,
                })
            })
    }
}
