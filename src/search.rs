//! Ranking catalog entries against a typed query, for `errex search` and the terminal UI.
//!
//! Order: an exact code match (case-insensitive, exact spelling first), then codes that start
//! with the query (shorter first), then fuzzy matches over code, summary, aliases and tags
//! (best score first). Ties keep catalog order, so results are stable from keystroke to
//! keystroke. The fuzzy scorer is fuzzy-matcher's skim algorithm; a cheap subsequence test
//! runs first so most entries are rejected without scoring.
//!
//! fuzzy-matcher reports *character* indices; [`Hit::code_matches`] keeps them as such.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::{self, Entry};

/// How a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The code equals the query, ignoring case.
    Exact,
    /// The code starts with the query, ignoring case.
    Prefix,
    /// A fuzzy match over code, summary, aliases or tags.
    Fuzzy,
}

/// How many fuzzy hits get their matched characters computed (the rest rank, unhighlighted).
pub const HIGHLIGHTED: usize = 200;

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry in the slice that was searched.
    pub index: usize,
    /// How it matched.
    pub tier: Tier,
    /// The fuzzy score (higher is better); for exact and prefix hits, a score that keeps
    /// shorter codes and exact spellings first.
    pub score: i64,
    /// Character indices of the code that matched the query, for highlighting (for the first
    /// [`HIGHLIGHTED`] fuzzy hits).
    pub code_matches: Vec<usize>,
}

/// Precomputed, lower-cased text of each entry, so a keystroke costs only the scoring.
pub struct Index {
    items: Vec<Item>,
    matcher: SkimMatcherV2,
}

struct Item {
    code: String,
    code_lower: String,
    /// Summary, aliases and tags, lower-cased and joined.
    rest_lower: String,
}

impl Index {
    /// Indexes `entries` (the order is kept: hits refer to positions in this slice).
    pub fn new(entries: &[Entry]) -> Index {
        let items = entries
            .iter()
            .map(|e| {
                let mut rest = e.summary.to_lowercase();
                for extra in e.aliases.iter().chain(e.tags.iter()) {
                    rest.push(' ');
                    rest.push_str(&extra.to_lowercase());
                }
                Item {
                    code: e.code.to_string(),
                    code_lower: e.code.to_lowercase(),
                    rest_lower: rest,
                }
            })
            .collect();
        Index {
            items,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// The number of indexed entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Ranks the entries whose position passes `keep` against `query`. An empty query returns
    /// every kept entry in catalog order.
    pub fn rank(&self, query: &str, keep: impl Fn(usize) -> bool) -> Vec<Hit> {
        let query = catalog::normalize(query);
        let q: String = query.to_lowercase().split_whitespace().collect();
        let lowered = query.to_lowercase();
        let words: Vec<&str> = lowered.split_whitespace().collect();
        let mut hits: Vec<Hit> = Vec::new();
        if q.is_empty() {
            return (0..self.items.len())
                .filter(|&i| keep(i))
                .map(|index| Hit {
                    index,
                    tier: Tier::Fuzzy,
                    score: 0,
                    code_matches: Vec::new(),
                })
                .collect();
        }
        let qlen = q.chars().count();
        for (index, item) in self.items.iter().enumerate() {
            if !keep(index) {
                continue;
            }
            if item.code_lower == q {
                let score = if item.code == query { 2 } else { 1 };
                hits.push(Hit {
                    index,
                    tier: Tier::Exact,
                    score,
                    code_matches: (0..qlen).collect(),
                });
            } else if item.code_lower.starts_with(&q) {
                let score = -(item.code_lower.len() as i64);
                hits.push(Hit {
                    index,
                    tier: Tier::Prefix,
                    score,
                    code_matches: (0..qlen).collect(),
                });
            } else if let Some(score) = self.fuzzy(item, &words) {
                hits.push(Hit {
                    index,
                    tier: Tier::Fuzzy,
                    score,
                    code_matches: Vec::new(),
                });
            }
        }
        // Stable: equal tier and score keep catalog order.
        hits.sort_by(|a, b| a.tier.cmp(&b.tier).then(b.score.cmp(&a.score)));
        // Highlighting costs more than scoring: do it for the hits a screen can show.
        for h in hits
            .iter_mut()
            .filter(|h| h.tier == Tier::Fuzzy)
            .take(HIGHLIGHTED)
        {
            h.code_matches = self.code_indices(&self.items[h.index].code, &words);
        }
        // Highlighting costs more than scoring: do it for the hits a screen can show.
        for h in hits
            .iter_mut()
            .filter(|h| h.tier == Tier::Fuzzy)
            .take(HIGHLIGHTED)
        {
            h.code_matches = self.code_indices(&self.items[h.index].code, &words);
        }
        hits
    }
}

impl Index {
    /// Fuzzy-matches every word of the query (as fzf does, in any order) against the code or
    /// the prose; the score is the sum over words, a code match counting double. Returns the
    /// score and the code's matched character indices.
    fn fuzzy(&self, item: &Item, words: &[&str]) -> Option<i64> {
        // Cheap rejection first: every word must be a subsequence of the code or the prose.
        let places: Vec<(bool, bool)> = words
            .iter()
            .map(|w| {
                (
                    is_subsequence(w, &item.code_lower),
                    is_subsequence(w, &item.rest_lower),
                )
            })
            .collect();
        if places.iter().any(|&(code, rest)| !code && !rest) {
            return None;
        }
        let mut total = 0;
        for (w, &(in_code, in_rest)) in words.iter().zip(&places) {
            let code = if in_code {
                self.matcher.fuzzy_match(&item.code, w)
            } else {
                None
            };
            let rest = if in_rest && code.is_none() {
                self.matcher.fuzzy_match(&item.rest_lower, w)
            } else {
                None
            };
            total += match (code, rest) {
                (Some(c), _) => c * 2,
                (None, Some(r)) => r,
                (None, None) => return None,
            };
        }
        Some(total)
    }

    /// Character indices of `code` matched by the query's words, for highlighting.
    fn code_indices(&self, code: &str, words: &[&str]) -> Vec<usize> {
        let mut idx: Vec<usize> = words
            .iter()
            .filter_map(|w| self.matcher.fuzzy_indices(code, w))
            .flat_map(|(_, i)| i)
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx
    }
}

/// Whether every character of `needle` appears in `haystack` in order (both lower-cased).
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut hay = haystack.chars();
    needle.chars().all(|n| hay.any(|h| h == n))
}

/// Ranks `entries` against `query` and returns at most `limit` hits: the one-shot form used by
/// `errex search`.
pub fn rank(entries: &[Entry], query: &str, limit: usize) -> Vec<Hit> {
    let mut hits = Index::new(entries).rank(query, |_| true);
    hits.truncate(limit);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn codes(entries: &[Entry], hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| entries[h.index].code.to_string())
            .collect()
    }

    #[test]
    fn exact_code_ranks_first_then_prefixes() {
        let cat = Catalog::builtin();
        let hits = rank(cat.entries(), "invalidamiid.notfound", 10);
        assert_eq!(
            codes(cat.entries(), &hits).first().map(String::as_str),
            Some("InvalidAMIID.NotFound")
        );
        let hits = rank(cat.entries(), "InvalidAMIID", 10);
        let got = codes(cat.entries(), &hits);
        assert!(
            got.iter().take(2).all(|c| c.starts_with("InvalidAMIID")),
            "{got:?}"
        );
        assert!(hits.windows(2).all(|w| w[0].tier <= w[1].tier));
    }

    #[test]
    fn fuzzy_query_finds_code_with_char_indices() {
        let cat = Catalog::builtin();
        let hits = rank(cat.entries(), "unauthop", 5);
        let first = hits.first().expect("a hit");
        assert_eq!(cat.entries()[first.index].code, "UnauthorizedOperation");
        let chars: Vec<char> = cat.entries()[first.index].code.chars().collect();
        let matched: String = first.code_matches.iter().map(|&i| chars[i]).collect();
        assert_eq!(matched.to_lowercase(), "unauthop");
    }

    #[test]
    fn summary_words_match_when_code_does_not() {
        let cat = Catalog::builtin();
        let hits = rank(cat.entries(), "vcpu quota", 20);
        assert!(
            codes(cat.entries(), &hits)
                .iter()
                .any(|c| c == "VcpuLimitExceeded")
        );
    }

    #[test]
    fn empty_query_keeps_everything_in_order_and_filters_apply() {
        let cat = Catalog::builtin();
        let index = Index::new(cat.entries());
        let all = index.rank("", |_| true);
        assert_eq!(all.len(), cat.len());
        assert!(all.windows(2).all(|w| w[0].index < w[1].index));
        let servers = index.rank("", |i| {
            cat.entries()[i].category == crate::catalog::Category::Server
        });
        assert!(
            servers
                .iter()
                .all(|h| cat.entries()[h.index].category == crate::catalog::Category::Server)
        );
    }

    #[test]
    fn ranking_is_stable_across_calls() {
        let cat = Catalog::builtin();
        let index = Index::new(cat.entries());
        assert_eq!(
            index.rank("notfound", |_| true),
            index.rank("notfound", |_| true)
        );
    }

    #[test]
    fn words_match_in_any_order_like_fzf() {
        let cat = Catalog::builtin();
        let a = codes(cat.entries(), &rank(cat.entries(), "vcpu quota", 5));
        let b = codes(cat.entries(), &rank(cat.entries(), "quota vcpu", 5));
        assert_eq!(a, b);
        assert_eq!(a.first().map(String::as_str), Some("VcpuLimitExceeded"));
        assert!(
            rank(cat.entries(), "vcpu zzzzqqq", 5).is_empty(),
            "every word must match"
        );
    }

    #[test]
    fn subsequence_check() {
        assert!(is_subsequence("abc", "xaxbxc"));
        assert!(!is_subsequence("abc", "acb"));
        assert!(is_subsequence("", "x"));
    }
}
