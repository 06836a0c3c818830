//! "Did you mean ...?": the closest known name to a misspelt one.

/// The candidate closest to `wrong`, if it is within a small edit distance:
/// two edits, or one more for every further eight characters of long ids.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = max_edits(wrong);
    candidates
        .into_iter()
        .filter(|c| *c != wrong)
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
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
}
