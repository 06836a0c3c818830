//! "Did you mean ...?": the closest known name to a misspelt one.

/// Longest name a suggestion is looked for: ids, keys and zone names are
/// short, and comparing a huge value with every name would take seconds.
const MAX_NAME_CHARS: usize = 64;

/// Most comparison steps one suggestion may take (candidates × length²):
/// a site with a hundred thousand ids still answers at once.
const MAX_STEPS: usize = 20_000_000;

/// The candidate closest to `wrong`, if it is within a small edit distance:
/// two edits, or one more for every further eight characters of long ids.
/// Names longer than 64 characters get no suggestion, candidates whose length
/// alone rules them out are not compared, and the search stops after a fixed
/// amount of work.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if wrong.len() > MAX_NAME_CHARS * 4 || wrong.chars().count() > MAX_NAME_CHARS {
        return None;
    }
    let len = wrong.chars().count();
    let limit = max_edits(wrong);
    let mut steps = 0usize;
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == wrong || c.len() > MAX_NAME_CHARS * 4 {
            continue;
        }
        let c_len = c.chars().count();
        if c_len.abs_diff(len) > limit {
            continue;
        }
        steps += (len + 1) * (c_len + 1);
        if steps > MAX_STEPS {
            break;
        }
        let d = edit_distance(wrong, c);
        if d <= limit && best.is_none_or(|b| (d, c) < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn max_edits(s: &str) -> usize {
    let len = s.chars().count();
    if len <= 3 {
        1
    } else {
        2 + len.saturating_sub(16) / 8
    }
}

/// Edit distance counting insertions, deletions, substitutions and swaps of
/// two neighbouring characters (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("putin", "putin"), 0);
        assert_eq!(edit_distance("vladimir-putn", "vladimir-putin"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_close_names() {
        let known = ["vladimir-putin", "volodymyr-zelensky", "donald-trump"];
        assert_eq!(
            did_you_mean("vladimir-puttin", known),
            Some("vladimir-putin")
        );
        assert_eq!(did_you_mean("donald-trupm", known), Some("donald-trump"));
        assert_eq!(did_you_mean("keir-starmer", known), None);
        assert_eq!(did_you_mean("tittle", ["title", "date"]), Some("title"));
    }

    #[test]
    fn huge_values_are_not_compared() {
        let huge = "a".repeat(10_000_000);
        let started = std::time::Instant::now();
        assert_eq!(did_you_mean(&huge, ["a", "aa"]), None);
        let many: Vec<String> = (0..200_000).map(|i| format!("actor-{i}")).collect();
        let _ = did_you_mean("actor-x", many.iter().map(String::as_str));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
