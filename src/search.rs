//! Ranking codes against what a person types, for `errex search` and the terminal UI.
//!
//! People search error codes in four ways, and each has its signal:
//! - a code, whole or with punctuation, quotes or `Client.` around it, or `service:Code`:
//!   the exact code ranks first;
//! - something pasted (a log line, an SDK error): the codes errex's text extraction finds in it
//!   rank first, in the service the line names;
//! - a message AWS returns (`The instance ID 'i-0abc' does not exist`): the entries whose
//!   message patterns match rank next;
//! - words: fragments and abbreviations of the code's words (`InvalidVpcID.NotFound` is
//!   `invalid vpc id not found`: `vpc notfound`, `insufcap`, `insufinstcap`), words of the
//!   summary, aliases and tags (as words or word prefixes, never as a subsequence scattered over
//!   a paragraph), service names (`s3`, `dynamodb`), and synonyms for AWS concepts (sg, eni,
//!   eip, throttle, access denied ...). Every word must match somewhere, in any order, as in fzf.
//!   fuzzy-matcher's skim scorer catches typos in codes when the words do not match.
//!
//! How often a code is met (the catalog's `weight`) breaks ties, then written entries before
//! codes only the registry knows, then shorter codes. fuzzy-matcher reports *character*
//! indices; [`Hit::code_matches`] keeps them as such.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::messages::{Pattern, fold};
use crate::catalog::{Catalog, Item, normalize, registry, split_query};
use crate::extract::Extractor;

/// How a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The code equals the query (ignoring case, punctuation and prefixes), or was found in
    /// pasted text.
    Exact,
    /// The query holds a message AWS returns with the code.
    Message,
    /// The query's words match the code, its text, its service or synonyms.
    Words,
}

/// How many hits get their matched characters computed (the rest rank, unhighlighted).
pub const HIGHLIGHTED: usize = 200;

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the item in [`Index::items`].
    pub index: usize,
    /// How it matched.
    pub tier: Tier,
    /// The score within the tier (higher is better).
    pub score: i64,
    /// Character indices of the code that matched the query, for highlighting (for the first
    /// [`HIGHLIGHTED`] hits).
    pub code_matches: Vec<usize>,
}

/// Synonyms people use for AWS concepts: each group's phrases stand for one another.
const SYNONYMS: &[&[&str]] = &[
    &["sg", "security group", "securitygroup"],
    &["eni", "network interface", "networkinterface"],
    &["eip", "elastic ip", "elastic address", "address"],
    &[
        "throttle",
        "throttled",
        "throttling",
        "rate",
        "request limit",
        "rate exceeded",
        "too many requests",
        "slow down",
    ],
    &[
        "access denied",
        "not authorized",
        "unauthorized",
        "forbidden",
        "permission",
        "accessdenied",
    ],
    &[
        "not found",
        "notfound",
        "does not exist",
        "no such",
        "nosuch",
        "missing",
    ],
    &["ami", "image"],
    &["quota", "limit", "limitexceeded"],
    &["ddb", "dynamodb"],
    &["asg", "auto scaling", "autoscaling"],
    &["alb", "nlb", "elb", "load balancer", "loadbalancer"],
    &["ebs", "volume"],
    &["capacity", "insufficient capacity"],
    &["expired", "expiredtoken", "expired token"],
    &["token", "credentials", "credential"],
    &["vcpu", "cpu"],
    &["tgw", "transit gateway", "transitgateway"],
    &["igw", "internet gateway", "internetgateway"],
    &["nat", "nat gateway", "natgateway"],
    &["kp", "key pair", "keypair"],
    &["exists", "already exists", "alreadyexists", "duplicate"],
    &["in use", "inuse", "attached"],
    &["bucket", "s3"],
    &["sfn", "step functions", "stepfunctions", "states"],
    &["cfn", "cloudformation", "stack"],
    &["sm", "secrets manager", "secretsmanager", "secret"],
];

/// Splits a code into lower-case words: `InvalidVpcID.NotFound` is `invalid vpc id not found`,
/// `EC2ThrottledException` is `ec2 throttled exception`. Returns each word with its first
/// character's index in the code.
pub fn code_words(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut start: Option<usize> = None;
    let boundary = |i: usize| -> bool {
        let (p, c) = (chars[i - 1], chars[i]);
        (p.is_ascii_lowercase() && c.is_ascii_uppercase())
            || (p.is_ascii_digit() && c.is_ascii_alphabetic())
            || (p.is_ascii_uppercase()
                && c.is_ascii_uppercase()
                && chars.get(i + 1).is_some_and(char::is_ascii_lowercase))
    };
    for i in 0..=chars.len() {
        let alnum = chars.get(i).is_some_and(char::is_ascii_alphanumeric);
        match start {
            Some(s) if !alnum || boundary(i) => {
                out.push((
                    s,
                    chars[s..i].iter().collect::<String>().to_ascii_lowercase(),
                ));
                start = alnum.then_some(i);
            }
            None if alnum => start = Some(i),
            _ => {}
        }
    }
    out
}

/// The words of a text, lower-cased: letters and digits.
fn text_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Precomputed, lower-cased words of each item, so a keystroke costs only the matching.
struct Prepared {
    code_lower: String,
    code_words: Vec<(usize, String)>,
    /// Summary, aliases and tags, as words (sorted, without repeats).
    text_words: Vec<String>,
    /// The services the item speaks for, as people name them (squeezed: `s3`, `dynamodb`).
    services: Vec<String>,
}

/// The catalog's items prepared for ranking.
pub struct Index<'c> {
    items: Vec<Item<'c>>,
    prepared: Vec<Prepared>,
    extractor: Extractor,
    /// (item, pattern) for every message pattern of a written item.
    patterns: Vec<(usize, Pattern)>,
    matcher: SkimMatcherV2,
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

impl<'c> Index<'c> {
    /// Prepares every item of the catalog (written entries and registry codes).
    pub fn new(catalog: &'c Catalog) -> Index<'c> {
        Index::from_items(catalog, catalog.items())
    }

    /// Prepares these items (the UI may list others first).
    pub fn from_items(catalog: &'c Catalog, items: Vec<Item<'c>>) -> Index<'c> {
        let prepared = items
            .iter()
            .map(|item| {
                let mut words: Vec<String> = Vec::new();
                if let Some(e) = item.entry {
                    words.extend(text_words(&e.summary));
                    for a in e.aliases.iter().chain(e.tags.iter()) {
                        words.extend(text_words(a));
                        words.extend(code_words(a).into_iter().map(|(_, w)| w));
                    }
                }
                words.sort_unstable();
                words.dedup();
                let mut services: Vec<String> = Vec::new();
                let mut add_service = |id: &str| {
                    let s = registry::service(id);
                    for name in [Some(id), s.map(|s| s.service_id)].into_iter().flatten() {
                        let n = squeeze(name);
                        if !n.is_empty() && !services.contains(&n) {
                            services.push(n);
                        }
                    }
                };
                if let Some(s) = item.service {
                    add_service(s);
                }
                for r in &item.rows {
                    add_service(r.service().id);
                }
                Prepared {
                    code_lower: item.code.to_ascii_lowercase(),
                    code_words: code_words(item.code),
                    text_words: words,
                    services,
                }
            })
            .collect();
        let patterns = items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                item.entry
                    .into_iter()
                    .flat_map(|e| e.messages.iter())
                    .map(move |m| (i, Pattern::new(m)))
            })
            .collect();
        Index {
            items,
            prepared,
            extractor: Extractor::new(catalog),
            patterns,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// The items, in catalog order (hits refer to positions here).
    pub fn items(&self) -> &[Item<'c>] {
        &self.items
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Ranks the items whose position passes `keep` against `query`. An empty query returns
    /// every kept item in catalog order.
    pub fn rank(&self, query: &str, keep: impl Fn(usize) -> bool) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() {
            // Nothing typed yet: the codes people meet most first, then catalog order.
            let mut all: Vec<Hit> = (0..self.items.len())
                .filter(|&i| keep(i))
                .map(|index| Hit {
                    index,
                    tier: Tier::Words,
                    score: self.tiebreak(index),
                    code_matches: Vec::new(),
                })
                .collect();
            all.sort_by_key(|h| std::cmp::Reverse(h.score));
            return all;
        }
        let mut best: Vec<Option<(Tier, i64)>> = vec![None; self.items.len()];
        let offer = |i: usize, tier: Tier, score: i64, best: &mut Vec<Option<(Tier, i64)>>| {
            if !keep(i) {
                return;
            }
            let better = match best[i] {
                None => true,
                Some((t, s)) => (tier, -score) < (t, -s),
            };
            if better {
                best[i] = Some((tier, score));
            }
        };

        // A code as typed, or `service:Code`.
        let (service, code) = split_query(query);
        let service = service.map(squeeze);
        if !code.contains(char::is_whitespace) && !code.is_empty() {
            for (i, p) in self.prepared.iter().enumerate() {
                if p.code_lower.eq_ignore_ascii_case(code) {
                    let exact = i32::from(self.items[i].code == code);
                    let own = i32::from(service.as_ref().is_some_and(|s| p.services.contains(s)));
                    if service.is_none() || own == 1 {
                        let score = 1000 + 100 * i64::from(own) + 50 * i64::from(exact);
                        offer(i, Tier::Exact, score + self.tiebreak(i), &mut best);
                    }
                }
            }
        }
        // Pasted text: the codes the extractor finds in it, in the service it names.
        if query.len() >= 12 || query.contains(['(', ':', '<', '"']) {
            let report = self.extractor.scan_str(query);
            for f in &report.found {
                for (i, p) in self.prepared.iter().enumerate() {
                    if p.code_lower.eq_ignore_ascii_case(&f.code) {
                        let own = f
                            .service
                            .as_ref()
                            .is_some_and(|s| p.services.contains(&squeeze(s)));
                        offer(
                            i,
                            Tier::Exact,
                            900 + 100 * i64::from(own) + self.tiebreak(i),
                            &mut best,
                        );
                    }
                }
            }
        }
        // A message AWS returns.
        let folded = fold(query);
        if folded.chars().count() >= 10 {
            for (i, p) in &self.patterns {
                if p.find(&folded).is_some() {
                    offer(
                        *i,
                        Tier::Message,
                        p.literal() as i64 * 10 + self.tiebreak(*i),
                        &mut best,
                    );
                }
            }
        }
        // Words.
        let groups = query_groups(query);
        if !groups.is_empty() {
            for (i, p) in self.prepared.iter().enumerate() {
                if let Some(score) = self.words_score(p, &groups) {
                    offer(i, Tier::Words, score * 10 + self.tiebreak(i), &mut best);
                }
            }
        }

        let mut hits: Vec<Hit> = best
            .into_iter()
            .enumerate()
            .filter_map(|(index, b)| {
                b.map(|(tier, score)| Hit {
                    index,
                    tier,
                    score,
                    code_matches: Vec::new(),
                })
            })
            .collect();
        // Stable: equal tier and score keep catalog order.
        hits.sort_by(|a, b| a.tier.cmp(&b.tier).then(b.score.cmp(&a.score)));
        for h in hits.iter_mut().take(HIGHLIGHTED) {
            h.code_matches = self.highlight(h.index, &groups, h.tier == Tier::Exact);
        }
        hits
    }

    /// The best `limit` hits for `query` over every item, each with its item: what [`rank`]
    /// returns, for callers that keep the index (the fuzz target; building one costs far more
    /// than a query).
    pub fn top(&self, query: &str, limit: usize) -> Vec<(Hit, Item<'c>)> {
        let mut hits = self.rank(query, |_| true);
        hits.truncate(limit);
        hits.into_iter()
            .map(|h| {
                let item = self.items[h.index].clone();
                (h, item)
            })
            .collect()
    }

    /// Breaks ties: how often the code is met, written before registry, shorter codes first.
    fn tiebreak(&self, i: usize) -> i64 {
        let item = &self.items[i];
        let written = i64::from(item.entry.is_some());
        i64::from(item.weight()) * 30 + written * 10 - (item.code.len() as i64 / 16).min(2)
    }

    /// The score of an item for the query's word groups, or `None` when a group does not match.
    fn words_score(&self, p: &Prepared, groups: &[Vec<Vec<String>>]) -> Option<i64> {
        let mut total = 0;
        let mut all_in_code = true;
        for alternatives in groups {
            let mut best = 0;
            let mut in_code = false;
            for (k, phrase) in alternatives.iter().enumerate() {
                // The word as typed scores a little more than its synonyms.
                let penalty = if k == 0 { 0 } else { 5 };
                let (score, code) = self.phrase_score(p, phrase);
                if score - penalty > best {
                    best = score - penalty;
                    in_code = code;
                }
            }
            if best <= 0 {
                return None;
            }
            all_in_code &= in_code;
            total += best;
        }
        if all_in_code {
            total += 40;
        }
        Some(total)
    }

    /// How well a phrase (one or more words) matches an item; and whether it matched the code.
    fn phrase_score(&self, p: &Prepared, phrase: &[String]) -> (i64, bool) {
        if phrase.len() > 1 {
            // Every word of a synonym phrase must match, the code's words best.
            let mut sum = 0;
            let mut code = true;
            for w in phrase {
                let (s, c) = self.word_score(p, w);
                if s == 0 {
                    return (0, false);
                }
                sum += s;
                code &= c;
            }
            return (sum / phrase.len() as i64, code);
        }
        self.word_score(p, &phrase[0])
    }

    fn word_score(&self, p: &Prepared, w: &str) -> (i64, bool) {
        let mut best = code_score(&p.code_words, w);
        let mut in_code = best > 0;
        if p.services.iter().any(|s| s == w) && best < 55 {
            best = 55;
            in_code = true;
        }
        let text = text_score(&p.text_words, w);
        if text > best {
            best = text;
            in_code = false;
        }
        if best == 0 && w.len() >= 4 {
            // A typo: skim's fuzzy score on the code alone, demanding most of the word.
            if let Some(s) = self.matcher.fuzzy_match(&p.code_lower, w)
                && s >= (w.len() as i64) * 12
            {
                best = 15 + (s / 20).min(20);
                in_code = true;
            }
        }
        (best, in_code)
    }

    /// Character indices of the code that the query matched.
    fn highlight(&self, i: usize, groups: &[Vec<Vec<String>>], exact: bool) -> Vec<usize> {
        let p = &self.prepared[i];
        let n = self.items[i].code.chars().count();
        if exact {
            return (0..n).collect();
        }
        let mut out: Vec<usize> = Vec::new();
        for alternatives in groups {
            for phrase in alternatives {
                for w in phrase {
                    out.extend(hump_indices(&p.code_words, w));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&c| c < n);
        out
    }
}

/// The query as word groups: each word (or a synonym phrase it starts) with its alternatives.
fn query_groups(query: &str) -> Vec<Vec<Vec<String>>> {
    let words: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == '.' || c == ',' || c == ':' || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut groups: Vec<Vec<Vec<String>>> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // The longest synonym phrase starting here ("access denied", "security group").
        let mut taken = 1;
        let mut group: Vec<Vec<String>> = vec![vec![words[i].clone()]];
        'phrases: for len in (1..=3.min(words.len() - i)).rev() {
            let phrase = words[i..i + len].join(" ");
            for syn in SYNONYMS {
                if syn.contains(&phrase.as_str()) {
                    taken = len;
                    group = std::iter::once(phrase.split(' ').map(str::to_owned).collect())
                        .chain(
                            syn.iter()
                                .filter(|s| **s != phrase)
                                .map(|s| s.split(' ').map(str::to_owned).collect()),
                        )
                        .collect();
                    break 'phrases;
                }
            }
        }
        groups.push(group);
        i += taken;
    }
    groups
}

/// How well `w` matches the code's words: a whole word (100), a word's prefix (70 to 100), or
/// prefixes of several words in order (`insufcap`, `vpcnotfound`: 50 to 90).
fn code_score(words: &[(usize, String)], w: &str) -> i64 {
    let mut best = 0;
    for (_, cw) in words {
        if cw == w {
            return 100;
        }
        if cw.starts_with(w) && w.len() >= 2 {
            best = best.max(70 + 30 * w.len() as i64 / cw.len() as i64);
        }
    }
    if best == 0
        && w.len() >= 3
        && let Some((covered, pieces, skips)) = hump(words, w)
    {
        // How much of each word it takes the abbreviation covers, on average: `insufcap`
        // says more about InsufficientCapacity than about InsufficientCapabilities.
        best = 55 + (30 * covered / pieces.max(1) / 100) as i64 - 2 * skips as i64;
    }
    best
}

/// Whether `w` is a concatenation of non-empty prefixes of successive code words (words may be
/// skipped between them). Returns, for the best such reading, the sum over its pieces of the
/// share of its word each piece covers (in percent), the number of pieces, and the words
/// skipped.
fn hump(words: &[(usize, String)], w: &str) -> Option<(usize, usize, usize)> {
    fn go(
        words: &[(usize, String)],
        from: usize,
        w: &[u8],
        depth: usize,
    ) -> Option<(usize, usize, usize)> {
        if w.is_empty() {
            return Some((0, 0, 0));
        }
        if depth > 8 {
            return None;
        }
        let mut best: Option<(usize, usize, usize)> = None;
        for (k, (_, cw)) in words.iter().enumerate().skip(from) {
            let skipped = if depth == 0 { 0 } else { k - from };
            let cwb = cw.as_bytes();
            let common = cwb.iter().zip(w).take_while(|(a, b)| a == b).count();
            for take in (1..=common).rev() {
                if let Some((c, p, sk)) = go(words, k + 1, &w[take..], depth + 1) {
                    let cand = (c + 100 * take / cwb.len(), p + 1, sk + skipped);
                    // Compare average coverage, then fewer skips.
                    let better = best.is_none_or(|b| {
                        let (x, y) = (cand.0 * b.1, b.0 * cand.1);
                        x > y || x == y && cand.2 < b.2
                    });
                    if better {
                        best = Some(cand);
                    }
                    break;
                }
            }
        }
        best
    }
    // A single word's prefix is not a hump; at least two pieces.
    if words.iter().any(|(_, cw)| cw.starts_with(w)) {
        return None;
    }
    go(words, 0, w.as_bytes(), 0)
}

/// The character indices a word or hump match covers in the code.
fn hump_indices(words: &[(usize, String)], w: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = w.as_bytes();
    for (start, cw) in words {
        if rest.is_empty() {
            break;
        }
        let common = cw
            .as_bytes()
            .iter()
            .zip(rest)
            .take_while(|(a, b)| a == b)
            .count();
        if common > 0 {
            out.extend(*start..*start + common);
            rest = &rest[common..];
        }
    }
    if rest.is_empty() { out } else { Vec::new() }
}

/// How well `w` matches the item's text words: a whole word (45) or, from three letters, a
/// word's prefix (30 to 40).
fn text_score(words: &[String], w: &str) -> i64 {
    if words.binary_search_by(|x| x.as_str().cmp(w)).is_ok() {
        return 45;
    }
    if w.chars().count() < 3 {
        return 0;
    }
    let from = words.partition_point(|x| x.as_str() < w);
    words[from..]
        .iter()
        .take_while(|x| x.starts_with(w))
        .map(|x| 30 + 10 * w.len() as i64 / x.len() as i64)
        .max()
        .unwrap_or(0)
}

/// Ranks the catalog against `query` and returns at most `limit` hits with their items: the
/// one-shot form used by `errex search`.
pub fn rank<'c>(catalog: &'c Catalog, query: &str, limit: usize) -> Vec<(Hit, Item<'c>)> {
    Index::new(catalog).top(query, limit)
}

/// Whether `query` (as typed) names a code exactly, ignoring case and decoration.
pub fn is_code(catalog: &Catalog, query: &str) -> bool {
    !catalog.lookup(normalize(query)).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(index: &Index<'_>, q: &str, n: usize) -> Vec<String> {
        index
            .rank(q, |_| true)
            .iter()
            .take(n)
            .map(|h| index.items()[h.index].code.to_owned())
            .collect()
    }

    #[test]
    fn code_words_split_camel_case_dots_and_acronyms() {
        let w: Vec<String> = code_words("InvalidVpcID.NotFound")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w, ["invalid", "vpc", "id", "not", "found"]);
        let w: Vec<String> = code_words("EC2ThrottledException")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w, ["ec2", "throttled", "exception"]);
        let w: Vec<String> = code_words("DBInstanceNotFound")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w, ["db", "instance", "not", "found"]);
    }

    #[test]
    fn humps_take_prefixes_of_successive_words() {
        let w = code_words("InsufficientInstanceCapacity");
        assert_eq!(hump(&w, "insufcap").map(|h| h.2), Some(1));
        assert_eq!(hump(&w, "insufinstcap").map(|h| h.2), Some(0));
        assert_eq!(hump(&w, "capinsuf"), None);
        let w = code_words("InvalidVpcID.NotFound");
        assert_eq!(hump(&w, "notfound"), Some((200, 2, 0)));
        assert_eq!(hump_indices(&w, "vpcid"), [7, 8, 9, 10, 11]);
    }

    #[test]
    fn exact_code_ranks_first_with_punctuation_around() {
        let cat = Catalog::builtin();
        let index = Index::new(&cat);
        for q in [
            "invalidamiid.notfound",
            "InvalidVpcID.NotFound:",
            "(InsufficientInstanceCapacity)",
            "Client.AuthFailure",
        ] {
            let want = normalize(q).to_ascii_lowercase();
            assert_eq!(top(&index, q, 1)[0].to_ascii_lowercase(), want, "{q}");
        }
    }

    #[test]
    fn words_match_in_any_order_and_every_word_must_match() {
        let cat = Catalog::builtin();
        let index = Index::new(&cat);
        assert_eq!(top(&index, "vcpu limit", 3), top(&index, "limit vcpu", 3));
        assert!(index.rank("vcpu zzzzqqq", |_| true).is_empty());
    }
}
