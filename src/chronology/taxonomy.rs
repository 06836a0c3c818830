//! Taxonomies: the tags, actors, places and tracks of the entries, each a
//! sorted list of terms with the entries under each, and every way a term
//! was written leading to it.

use foldhash::HashMap;

/// A term of a taxonomy (a tag, actor, place or track) and its entries.
#[derive(Debug, Clone)]
pub struct Term {
    /// Its URL slug (the id for actors and places).
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Positions of its entries in the chronology, in order.
    pub entries: Vec<usize>,
}

/// The terms of one taxonomy, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The terms used by published entries.
    pub terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// Each entry's terms as it lists them (indexes into `terms`, [`NO_TERM`]
    /// for one with no slug): those of entry `pos` are
    /// `of_entry[starts[pos]..starts[pos + 1]]`.
    of_entry: Vec<u32>,
    starts: Vec<u32>,
}

/// In [`Taxonomy::entry_terms`]: a term written without letters or digits.
pub const NO_TERM: u32 = u32::MAX;

impl Taxonomy {
    /// The terms the entry at `pos` lists, in its order, as indexes into
    /// [`Taxonomy::terms`] ([`NO_TERM`] for one that has no slug).
    pub fn entry_terms(&self, pos: usize) -> &[u32] {
        match (self.starts.get(pos), self.starts.get(pos + 1)) {
            (Some(&a), Some(&b)) => &self.of_entry[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The term with this slug.
    pub fn get(&self, slug: &str) -> Option<&Term> {
        self.by_slug.get(slug).map(|&i| &self.terms[i])
    }

    /// The terms the entry at `pos` lists, in its order, skipping those
    /// with no slug.
    pub fn terms_of(&self, pos: usize) -> impl Iterator<Item = &Term> {
        self.entry_terms(pos)
            .iter()
            .filter(|&&i| i != NO_TERM)
            .map(|&i| &self.terms[i as usize])
    }

    /// The taxonomy of these terms (in any order, each entry's listed by
    /// those indexes), sorted by slug.
    fn new(terms: Vec<Term>, mut of_entry: Vec<u32>, starts: Vec<u32>) -> Taxonomy {
        let mut sorted: Vec<(usize, Term)> = terms.into_iter().enumerate().collect();
        sorted.sort_unstable_by(|a, b| a.1.slug.cmp(&b.1.slug));
        let mut rank = vec![0; sorted.len()];
        for (new, (old, _)) in sorted.iter().enumerate() {
            rank[*old] = new as u32;
        }
        for t in &mut of_entry {
            if *t != NO_TERM {
                *t = rank[*t as usize];
            }
        }
        let terms: Vec<Term> = sorted.into_iter().map(|(_, t)| t).collect();
        let by_slug = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Taxonomy {
            terms,
            by_slug,
            of_entry,
            starts,
        }
    }
}

/// A taxonomy being built: terms as they are first met.
#[derive(Default)]
pub(super) struct TermsBuilder<'a> {
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// As written → the term's index, or none when it has no slug.
    written: HashMap<&'a str, Option<usize>>,
    /// Each entry's terms, as in [`Taxonomy`].
    of_entry: Vec<u32>,
    starts: Vec<u32>,
}

impl<'a> TermsBuilder<'a> {
    /// Lists the entry at `pos` under the term written `value`, whose slug
    /// and name `make` gives the first time; false when it has no slug.
    pub(super) fn add(
        &mut self,
        value: &'a str,
        make: impl FnOnce() -> (String, String),
        pos: usize,
    ) -> bool {
        let index = match self.written.get(value) {
            Some(&i) => i,
            None => {
                let (slug, name) = make();
                let i = (!slug.is_empty()).then(|| match self.by_slug.get(&slug) {
                    Some(&i) => i,
                    None => {
                        self.by_slug.insert(slug.clone(), self.terms.len());
                        self.terms.push(Term {
                            slug,
                            name,
                            entries: Vec::new(),
                        });
                        self.terms.len() - 1
                    }
                });
                self.written.insert(value, i);
                i
            }
        };
        self.of_entry.push(index.map_or(NO_TERM, |i| i as u32));
        let Some(i) = index else { return false };
        let term = &mut self.terms[i];
        if term.entries.last() != Some(&pos) {
            term.entries.push(pos);
        }
        true
    }

    /// Starts the terms of the next entry (entries are added in order).
    pub(super) fn next_entry(&mut self) {
        self.starts.push(self.of_entry.len() as u32);
    }

    pub(super) fn finish(mut self) -> Taxonomy {
        self.next_entry();
        Taxonomy::new(self.terms, self.of_entry, self.starts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slug::slugify;
    fn tag(b: &mut TermsBuilder<'_>, written: &'static str, pos: usize) -> bool {
        b.add(written, || (slugify(written), written.to_string()), pos)
    }

    #[test]
    fn terms_are_found_by_slug_and_by_every_way_they_are_written() {
        let mut b = TermsBuilder::default();
        b.next_entry();
        assert!(tag(&mut b, "Drones", 0));
        assert!(tag(&mut b, "Air strikes", 0));
        b.next_entry();
        assert!(tag(&mut b, "air-strikes", 1));
        // The same entry under the same term twice is listed once.
        assert!(tag(&mut b, "Air strikes", 1));
        b.next_entry();
        assert!(!tag(&mut b, "???", 2));
        b.next_entry();
        b.next_entry();
        assert!(!tag(&mut b, "???", 4));
        b.next_entry();
        for written in ["Air strikes", "air-strikes", "AIR strikes"] {
            assert!(tag(&mut b, written, 5), "{written}");
        }
        let t = b.finish();
        // Each entry's terms as it wrote them, by sorted index.
        assert_eq!(t.entry_terms(0), [1, 0]);
        assert_eq!(t.entry_terms(1), [0, 0]);
        assert_eq!(t.entry_terms(2), [NO_TERM]);
        assert_eq!(t.entry_terms(3), [] as [u32; 0]);
        assert_eq!(t.entry_terms(4), [NO_TERM]);
        // Every way of writing a term finds it.
        assert_eq!(t.entry_terms(5), [0, 0, 0]);
        assert_eq!(t.entry_terms(6), [] as [u32; 0]);
        let slugs: Vec<&str> = t.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["air-strikes", "drones"]);
        // Named as first met; entries in order.
        assert_eq!(t.terms[0].name, "Air strikes");
        assert_eq!(t.terms[0].entries, [0, 1, 5]);
        assert_eq!(t.terms[1].entries, [0]);
        let names = |pos| t.terms_of(pos).map(|t| t.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names(0), ["Drones", "Air strikes"]);
        assert_eq!(t.get("drones").map(|t| t.name.as_str()), Some("Drones"));
        assert!(names(2).is_empty());
        assert!(t.get("tanks").is_none());
    }
}
