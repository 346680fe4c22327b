//! The catalog of error codes: the built-in entries compiled from `kb/`, user catalogs layered
//! over them, and lookup by code.
//!
//! This is the leaf of the crate: it knows nothing of output formats, terminals or text
//! scanning. Shared wording about the closed sets (how a retry class reads to a person) lives
//! on the types in [`model`], so every front end says the same thing.

mod family;
mod model;
mod parse;
pub mod registry;
pub mod user;

use std::borrow::Cow;

pub use family::{Family, of as family_of};
pub use model::{Category, DEFAULT_WEIGHT, Entry, Retry, Source, Text, TextList};
pub use parse::{
    CROSS_SERVICE, Diagnostic, Layering, MAX_SUMMARY, ParsedFile, Severity, is_valid_code,
    parse_file, pattern_problem, split_reference,
};

mod builtin {
    //! The table written by `build.rs`.
    use super::model::{Category, Entry, Retry, Source};
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// Every knowledge-base file compiled into the binary, relative to `kb/`.
pub fn builtin_files() -> &'static [&'static str] {
    builtin::FILES
}

/// Assembles files as `build.rs` does for the built-in catalog: one definition per code across
/// all files, every reference resolved. Used by the kb invariant tests.
pub fn assemble_strict(files: &[ParsedFile]) -> (Vec<Entry>, Vec<Diagnostic>) {
    parse::assemble(
        Vec::new(),
        files,
        Layering::Strict,
        |f| Source::User {
            file: Cow::Owned(f.file.clone()),
        },
        &in_registry,
    )
}

fn in_registry(service: &str, code: &str) -> bool {
    registry::find(service, code).is_some()
}

/// A set of entries: the built-in ones, possibly extended and overridden by user files.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Cow<'static, [Entry]>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::builtin()
    }
}

impl Catalog {
    /// The catalog compiled into the binary. Costs nothing: the entries are static.
    pub fn builtin() -> Catalog {
        Catalog {
            entries: Cow::Borrowed(builtin::ENTRIES),
        }
    }

    /// A catalog of exactly these entries (tests and benchmarks build synthetic ones).
    pub fn from_entries(entries: Vec<Entry>) -> Catalog {
        Catalog {
            entries: Cow::Owned(entries),
        }
    }

    /// Layers parsed user files over this catalog; later files win. Entries with errors are left
    /// out and reported; the rest still load.
    pub fn layered(self, files: &[ParsedFile]) -> (Catalog, Vec<Diagnostic>) {
        if files.is_empty() {
            return (self, Vec::new());
        }
        let (entries, diagnostics) = parse::assemble(
            self.entries.into_owned(),
            files,
            Layering::Override,
            |f| Source::User {
                file: Cow::Owned(f.file.clone()),
            },
            &in_registry,
        );
        (
            Catalog {
                entries: Cow::Owned(entries),
            },
            diagnostics,
        )
    }

    /// Every entry, in catalog order (built-in entries sorted by code, then user additions).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with exactly this code (case-sensitive), in any service.
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.code == code)
    }

    /// Every entry whose code matches `query` case-insensitively, after dropping a `Client.` or
    /// `Server.` prefix and surrounding quotes. Exact spellings come first.
    pub fn lookup(&self, query: &str) -> Vec<&Entry> {
        let wanted = normalize(query);
        let mut found: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.code.eq_ignore_ascii_case(wanted))
            .collect();
        found.sort_by_key(|e| e.code != wanted);
        found
    }

    /// The codes closest to an unknown `query`, best first: small edit distances, then codes
    /// that contain the query. At most `limit`.
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<&Entry> {
        let wanted = normalize(query).to_ascii_lowercase();
        if wanted.is_empty() {
            return Vec::new();
        }
        let budget = (wanted.chars().count() / 3).clamp(1, 6);
        let mut scored: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let code = e.code.to_ascii_lowercase();
                let d = edit_distance(&wanted, &code);
                if d <= budget {
                    Some((d, e))
                } else if wanted.len() >= 4 && code.contains(&wanted) {
                    Some((budget + 1 + code.len() - wanted.len(), e))
                } else {
                    None
                }
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
        scored.into_iter().take(limit).map(|(_, e)| e).collect()
    }
}

/// Strips white space, quotes and a `Client.` / `Server.` prefix from a code as typed.
pub fn normalize(query: &str) -> &str {
    let q = query.trim().trim_matches(|c| matches!(c, '"' | '\'' | '`'));
    for prefix in ["Client.", "Server."] {
        if q.len() > prefix.len() && q.is_char_boundary(prefix.len()) {
            let (head, rest) = q.split_at(prefix.len());
            if head.eq_ignore_ascii_case(prefix) {
                return rest;
            }
        }
    }
    q
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_strips_prefixes_quotes_and_space() {
        for (input, want) in [
            ("AuthFailure", "AuthFailure"),
            ("  Client.RequestLimitExceeded ", "RequestLimitExceeded"),
            ("server.InternalError", "InternalError"),
            ("'Blocked'", "Blocked"),
            ("Client.", "Client."),
            ("", ""),
        ] {
            assert_eq!(normalize(input), want, "{input:?}");
        }
    }

    #[test]
    fn edit_distance_counts_edits_and_transpositions() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("abc", "abd", 1),
            ("abc", "acb", 1),
            ("abc", "", 3),
            ("authfailure", "authfialure", 1),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
        }
    }

    #[test]
    fn builtin_catalog_is_sorted_and_nonempty() {
        let cat = Catalog::builtin();
        assert!(!cat.is_empty());
        let codes: Vec<String> = cat
            .entries()
            .iter()
            .map(|e| e.code.to_ascii_lowercase())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn lookup_is_case_insensitive_with_exact_spelling_first() {
        let cat = Catalog::builtin();
        let hits = cat.lookup("unauthorizedoperation");
        assert_eq!(
            hits.first().map(|e| &*e.code),
            Some("UnauthorizedOperation")
        );
        let hits = cat.lookup("Client.AuthFailure");
        assert_eq!(hits.first().map(|e| &*e.code), Some("AuthFailure"));
        assert!(cat.lookup("NoSuchCodeAtAll").is_empty());
    }

    #[test]
    fn case_pairs_are_separate_entries_and_exact_comes_first() {
        let cat = Catalog::builtin();
        let hits: Vec<&str> = cat
            .lookup("InvalidSubnetId.NotFound")
            .iter()
            .map(|e| &*e.code)
            .collect();
        assert_eq!(
            hits,
            ["InvalidSubnetId.NotFound", "InvalidSubnetID.NotFound"]
        );
        let hits: Vec<&str> = cat
            .lookup("InvalidSubnetID.NotFound")
            .iter()
            .map(|e| &*e.code)
            .collect();
        assert_eq!(
            hits,
            ["InvalidSubnetID.NotFound", "InvalidSubnetId.NotFound"]
        );
    }

    #[test]
    fn suggestions_find_typos_and_fragments() {
        let cat = Catalog::builtin();
        let s: Vec<&str> = cat
            .suggest("AuthFailur", 5)
            .iter()
            .map(|e| &*e.code)
            .collect();
        assert_eq!(s.first(), Some(&"AuthFailure"));
        let s: Vec<&str> = cat
            .suggest("UnauthorizedOp", 5)
            .iter()
            .map(|e| &*e.code)
            .collect();
        assert!(s.contains(&"UnauthorizedOperation"), "{s:?}");
        assert!(cat.suggest("zzzzzzzzzzzzzzzzzz", 5).is_empty());
    }
}
