//! Shared helpers for user-facing errors: "did you mean" suggestions and source snippets
//! with a caret under the offending column.
//!
//! Knows nothing about rules, geodata or the CLI.

/// Levenshtein distance over Unicode scalar values.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The candidate closest to `word` within an edit distance of `max(2, len/3)`, if any.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let cap = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, _)| *d <= cap)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// A ``help: did you mean `x`?`` suffix, or an empty string.
pub fn hint<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match did_you_mean(word, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count() + 1)
        .unwrap_or(1);
    (line, col)
}

/// A one-line snippet of `text` at `line` (1-based) with a caret under `col` (1-based),
/// formatted like a compiler diagnostic.
pub fn snippet(text: &str, line: usize, col: usize) -> String {
    let Some(src) = text.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    // Width of the prefix in terminal columns: CJK characters take two.
    let width: usize = src
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{pad} |\n{gutter} | {src}\n{pad} | {}^", " ".repeat(width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_basics() {
        assert_eq!(levenshtein("civil", "civl"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("青浦区", "青埔区"), 1);
    }

    #[test]
    fn suggestions_are_capped() {
        let words = ["criminal", "civil", "administrative"];
        assert_eq!(did_you_mean("crimnal", words), Some("criminal"));
        assert_eq!(did_you_mean("zzzzzz", words), None);
    }

    #[test]
    fn line_col_and_snippet() {
        let text = "a: 1\nkind: civl\n";
        let off = text.find("civl").unwrap();
        assert_eq!(line_col(text, off), (2, 7));
        let s = snippet(text, 2, 7);
        assert!(s.contains("2 | kind: civl"));
        assert!(s.ends_with("      ^"));
    }
}
