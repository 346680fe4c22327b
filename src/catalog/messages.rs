//! Message patterns: the wordings AWS returns with a code, with `*` where an id, a name or a
//! number goes. They recognise a pasted message in search, and the code of an error that prints
//! none (Java SDK v2, handler failures).
//!
//! Matching ignores case and runs of white space, and looks for the pattern anywhere in the
//! text: its literal pieces must appear in order, a `*` spanning at most [`MAX_GAP`] characters
//! within one line.

use super::{Entry, is_valid_code};

/// The most characters one `*` stands for (an ARN, a long name).
pub const MAX_GAP: usize = 256;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The literal pieces, lower-cased, white space collapsed.
    pieces: Vec<String>,
    /// How many literal characters the pattern has (longer patterns say more).
    literal: usize,
}

/// Lower-cases and collapses white space, as patterns and texts are compared.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

impl Pattern {
    /// Compiles a pattern as written in the catalog.
    pub fn new(pattern: &str) -> Pattern {
        let folded = fold(pattern);
        let pieces: Vec<String> = folded
            .split('*')
            .map(|p| p.to_owned())
            .filter(|p| !p.trim().is_empty())
            .collect();
        let literal = pieces.iter().map(|p| p.trim().chars().count()).sum();
        Pattern { pieces, literal }
    }

    /// How many literal characters the pattern has.
    pub fn literal(&self) -> usize {
        self.literal
    }

    /// Whether the folded `text` holds the pattern; returns the matched span (byte range).
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        let first = self.pieces.first()?;
        let mut from = 0;
        // Try every place the first piece occurs: a later one may complete when an earlier
        // one does not.
        while let Some(i) = text.get(from..)?.find(first.trim_start()) {
            let start = from + i;
            if let Some(end) = self.rest_from(text, start + first.trim_start().len()) {
                return Some((start, end));
            }
            from = start + 1;
            while !text.is_char_boundary(from) {
                from += 1;
            }
        }
        None
    }

    fn rest_from(&self, text: &str, mut at: usize) -> Option<usize> {
        for piece in &self.pieces[1..] {
            let piece = piece.trim();
            let window_end = (at + MAX_GAP * 4).min(text.len());
            let mut end = window_end;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let window = &text[at..end];
            let i = window.find(piece)?;
            let gap = &window[..i];
            if gap.chars().count() > MAX_GAP || gap.contains('\n') {
                return None;
            }
            at += i + piece.len();
        }
        Some(at)
    }
}

/// Every message pattern of a set of entries, for finding which entries a text's message
/// belongs to.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// (entry index, the pattern as written, compiled).
    patterns: Vec<(usize, String, Pattern)>,
}

/// A message that matched an entry's pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the entry in the slice the index was built from.
    pub entry: usize,
    /// The pattern as the catalog writes it (the evidence).
    pub pattern: String,
    /// How many literal characters matched (longer is surer).
    pub strength: usize,
}

impl Index {
    /// Indexes the patterns of `entries` (positions are kept: matches refer to them).
    pub fn new(entries: &[Entry]) -> Index {
        let patterns = entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.messages
                    .iter()
                    .map(move |m| (i, m.to_string(), Pattern::new(m)))
            })
            .collect();
        Index { patterns }
    }

    /// The entries whose patterns occur in `text` (already folded with [`fold`]), surest
    /// first; `keep` filters by entry index.
    pub fn matches(&self, folded: &str, keep: impl Fn(usize) -> bool) -> Vec<Match> {
        let mut out: Vec<Match> = self
            .patterns
            .iter()
            .filter(|(i, _, _)| keep(*i))
            .filter(|(_, _, p)| p.find(folded).is_some())
            .map(|(i, written, p)| Match {
                entry: *i,
                pattern: written.clone(),
                strength: p.literal(),
            })
            .collect();
        out.sort_by(|a, b| b.strength.cmp(&a.strength).then(a.entry.cmp(&b.entry)));
        out.dedup_by_key(|m| m.entry);
        out
    }

    /// Whether any pattern is indexed.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// Whether `s` could be an error code (used before treating a pasted word as one).
pub fn code_like(s: &str) -> bool {
    is_valid_code(s) && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_ids_anywhere_ignoring_case_and_space() {
        let p = Pattern::new("The instance ID '*' does not exist");
        let text = fold("An error occurred: the  instance ID 'i-0abc123' does not exist.");
        assert!(p.find(&text).is_some());
        assert!(p.find(&fold("The instance ID does not exist")).is_none());
        let cap = Pattern::new(
            "We currently do not have sufficient * capacity in the Availability Zone you requested (*)",
        );
        assert!(cap.find(&fold("We currently do not have sufficient t3.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity.")).is_some());
        assert!(cap.literal() > 60);
    }

    #[test]
    fn a_gap_does_not_cross_lines_or_run_forever() {
        let p = Pattern::new("key pair '*' does not exist");
        assert!(
            p.find(&"key pair 'x\ny' does not exist".to_lowercase())
                .is_none()
        );
        let long = format!("key pair '{}' does not exist", "a".repeat(MAX_GAP + 1));
        assert!(p.find(&long).is_none());
    }

    #[test]
    fn fold_collapses_and_lowercases() {
        assert_eq!(fold("  A\tB\n\nC "), "a b c");
    }
}
