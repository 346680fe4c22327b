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
    /// Character indices of the code that matched the query, for highlighting.
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
            } else {
                let code_score = if is_subsequence(&q, &item.code_lower) {
                    self.matcher.fuzzy_indices(&item.code, &q)
                } else {
                    None
                };
                let rest_score = if is_subsequence(&q, &item.rest_lower) {
                    self.matcher.fuzzy_match(&item.rest_lower, &q)
                } else {
                    None
                };
                // A code match is worth more than the same match in prose.
                let best = match (&code_score, rest_score) {
                    (Some((c, _)), Some(r)) => Some((*c * 2).max(r)),
                    (Some((c, _)), None) => Some(*c * 2),
                    (None, Some(r)) => Some(r),
                    (None, None) => None,
                };
                if let Some(score) = best {
                    let code_matches = code_score.map(|(_, idx)| idx).unwrap_or_default();
                    hits.push(Hit {
                        index,
                        tier: Tier::Fuzzy,
                        score,
                        code_matches,
                    });
                }
            }
        }
        // Stable: equal tier and score keep catalog order.
        hits.sort_by(|a, b| a.tier.cmp(&b.tier).then(b.score.cmp(&a.score)));
        hits
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
    fn subsequence_check() {
        assert!(is_subsequence("abc", "xaxbxc"));
        assert!(!is_subsequence("abc", "acb"));
        assert!(is_subsequence("", "x"));
    }
}
