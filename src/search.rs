//! Ranking codes against what a person types, for `errex search` and the terminal UI.
//!
//! People search error codes in four ways, and each has its signal:
//! - a code, whole or with punctuation, quotes or `Client.` around it, or `service:Code`, or a
//!   name an entry lists as an alias (`QueueDoesNotExist`, `Server.InternalError`): the exact
//!   code ranks first;
//! - something pasted (a log line, an SDK error): the codes errex's text extraction finds in it
//!   rank first, in the service the line names;
//! - a message AWS returns (`The instance ID 'i-0abc' does not exist`): the entries whose
//!   message patterns match rank next. A few words of a message (`no updates are to be
//!   performed`, `log group does not exist`) count as words, with a bonus for how much of the
//!   message they cover;
//! - words: fragments and abbreviations of the code's words (`InvalidVpcID.NotFound` is
//!   `invalid vpc id not found`: `vpc notfound`, `insufcap`, `insufinstcap`), other forms of
//!   them (`throttle` for `Throttling`), service names (`kms access denied` prefers KMS's own
//!   code), aliases and tags, words of the summary and messages (as words or word prefixes,
//!   never as a subsequence scattered over a paragraph), and synonyms for AWS concepts (sg, eni,
//!   eip, throttle, access denied ...). Every word must match somewhere, in any order, as in
//!   fzf. Typos in codes are caught by edit distance and by fuzzy-matcher's skim scorer, only
//!   when a word matches nothing else.
//!
//! A word in the code counts more than the same word in a tag, which counts more than one in
//! the summary; codes whose every word the query covers come before codes with words left over.
//! How often a code is met (the catalog's `weight`) breaks ties, then written entries before
//! codes only the registry knows, then shorter codes. fuzzy-matcher reports *character*
//! indices; [`Hit::code_matches`] keeps them as such.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::messages::{Pattern, code_like, fold};
use crate::catalog::{
    CROSS_SERVICE, Catalog, Item, bounded_edit_distance, normalize, registry, split_query,
};
use crate::extract::Extractor;

/// How a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The code equals the query (ignoring case, punctuation and prefixes), an alias of the
    /// entry does, or the code was found in pasted text.
    Exact,
    /// The query holds a message AWS returns with the code, or is one.
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
    // ALB and NLB are `elbv2`; the service `elb` is the Classic Load Balancer.
    &["alb", "nlb", "elbv2", "load balancer", "loadbalancer"],
    &["elb", "clb", "classic load balancer", "load balancer"],
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

/// Words that also stand for broader ones, one way: a limit or a quota is what a code named
/// `...Exceeded` says was hit (`spot limit`: MaxSpotInstanceCountExceeded), but `exceeded`
/// does not mean a quota (`rate exceeded`).
const BROADER: &[(&str, &[&str])] = &[("limit", &["exceeded"]), ("quota", &["exceeded"])];

// What each kind of match is worth, for one query word. A code word is the yardstick.

/// The word is a whole word of the code.
const CODE_WORD: i64 = 100;
/// Another form of a code word (`throttle`, `throttled` for `Throttling`; `cancelled` for
/// `Canceled`).
const VARIANT: i64 = 90;
/// The word names the item's own service. More than a code word, so that `kms access denied`
/// puts KMS's own AccessDeniedException before SQS's `KMS.AccessDeniedException`.
const OWN_SERVICE: i64 = 125;
/// The word names one of the services a cross-service entry or gathered registry code speaks
/// for.
const OTHER_SERVICE: i64 = 95;
/// The word starts the name of the item's own service (`log` for `logs`).
const SERVICE_PREFIX: i64 = 80;
/// A whole word of an alias (another name of the code).
const ALIAS_WORD: i64 = 90;
/// A whole word of a tag (a topic the writer gave the entry).
const TAG_WORD: i64 = 85;
/// A whole word of the summary or of a message.
const TEXT_WORD: i64 = 45;
/// What a synonym costs against the word as typed.
const SYNONYM: i64 = 5;
/// Every word matched the code, a service, an alias or a tag, none only the summary.
const ALL_STRONG: i64 = 40;
/// Each word of the code the query leaves uncovered (up to five): `tgw not found` prefers
/// InvalidTransitGatewayID.NotFound to InvalidTransitGatewayAttachmentID.NotFound.
const UNCOVERED: i64 = 2;
/// The query is a run of a message's words: this much when it covers the whole message.
const FRAGMENT: i64 = 200;
/// Code words that say nothing about which error it is, left out of coverage.
const FILLER: &[&str] = &["invalid", "exception", "id", "fault", "error"];

/// Splits a code into lower-case words: `InvalidVpcID.NotFound` is `invalid vpc id not found`,
/// `EC2ThrottledException` is `ec2 throttled exception`, `InvalidAMIID.NotFound` is
/// `invalid ami id not found`. Returns each word with its first character's index in the code.
pub fn code_words(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut start: Option<usize> = None;
    let upper_run = |i: usize| {
        chars[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
    };
    let boundary = |i: usize| -> bool {
        let (p, c) = (chars[i - 1], chars[i]);
        let next = chars.get(i + 1);
        (p.is_ascii_lowercase() && c.is_ascii_uppercase())
            || (p.is_ascii_digit() && c.is_ascii_alphabetic())
            || (p.is_ascii_uppercase()
                && c.is_ascii_uppercase()
                && next.is_some_and(char::is_ascii_lowercase))
            // An acronym followed by `ID` (`AMIID`): the id is a word of its own.
            || (c == 'I'
                && next == Some(&'D')
                && !chars.get(i + 2).is_some_and(char::is_ascii_lowercase)
                && upper_run(i).count() >= 3)
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

/// A message pattern's words, `None` where it has a `*` (runs of them merged).
fn pattern_words(pattern: &str) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    let mut word = String::new();
    for c in pattern.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(Some(std::mem::take(&mut word)));
        }
        if c == '*' && out.last().is_none_or(Option::is_some) {
            out.push(None);
        }
    }
    out
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The letters and digits present in `s`, one bit each: a word with letters the code lacks
/// cannot be a typo of it.
fn letters(s: &str) -> u64 {
    s.bytes().fold(0, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + b - b'0'),
        _ => m,
    })
}

/// Where in an item a vocabulary word occurs; what a match is worth depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// A word of the code.
    Code,
    /// A name of the item's own service.
    OwnService,
    /// A name of another service the item speaks for.
    OtherService,
    /// A word of an alias.
    Alias,
    /// A word of a tag, or a hyphenated tag squeezed.
    Tag,
    /// A word of the summary or of a message.
    Text,
}

/// How a query word relates to a vocabulary word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Equal,
    /// The query word starts it (with both lengths).
    Prefix(usize, usize),
    /// Another form of it.
    Variant,
}

impl Field {
    /// What a word related so to a word of this field is worth, and whether it is strong.
    fn score(self, relation: Relation) -> (i64, bool) {
        use Relation::{Equal, Prefix, Variant};
        let share =
            |whole: i64, w: usize, v: usize| whole * 2 / 3 + whole / 4 * w as i64 / v as i64;
        match (self, relation) {
            (Field::Code, Equal) => (CODE_WORD, true),
            (Field::Code, Prefix(w, v)) => (70 + 30 * w as i64 / v as i64, true),
            (Field::Code, Variant) => (VARIANT, true),
            (Field::OwnService, Equal) => (OWN_SERVICE, true),
            (Field::OwnService, Prefix(w, _)) if w >= 3 => (SERVICE_PREFIX, true),
            (Field::OtherService, Equal) => (OTHER_SERVICE, true),
            (Field::Alias, Equal) => (ALIAS_WORD, true),
            (Field::Tag, Equal) => (TAG_WORD, true),
            (Field::Text, Equal) => (TEXT_WORD, false),
            (Field::Alias | Field::Tag | Field::Text, Prefix(w, v)) if w >= 3 => {
                let whole = self.score(Equal).0;
                (share(whole, w, v), self != Field::Text)
            }
            (Field::Alias | Field::Tag | Field::Text, Variant) => {
                let whole = self.score(Equal).0;
                (whole * 9 / 10, self != Field::Text)
            }
            _ => (0, false),
        }
    }
}

/// Every word of every item, sorted, with where it occurs: a query word is looked up once per
/// keystroke, whatever the number of items.
struct Vocabulary {
    words: Vec<Box<str>>,
    /// For each word, the items (and fields) it occurs in.
    postings: Vec<Vec<(u32, Field)>>,
    /// For each word, its [`letters`].
    letters: Vec<u64>,
}

impl Vocabulary {
    fn new(items: impl Iterator<Item = Vec<(String, Field)>>) -> Vocabulary {
        let mut map: HashMap<String, Vec<(u32, Field)>> = HashMap::new();
        for (i, words) in items.enumerate() {
            let i = u32::try_from(i).expect("fewer than 4 billion items");
            for (w, field) in words {
                let list = map.entry(w).or_default();
                // Items come in order: a repeat can only be among the last entries.
                let seen = list.iter().rev().take_while(|&&(j, _)| j == i);
                if !seen.clone().any(|&(_, f)| f == field) {
                    list.push((i, field));
                }
            }
        }
        let mut pairs: Vec<(String, Vec<(u32, Field)>)> = map.into_iter().collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (words, postings): (Vec<Box<str>>, _) = pairs
            .into_iter()
            .map(|(w, p)| (w.into_boxed_str(), p))
            .unzip();
        let letters = words.iter().map(|w| letters(w)).collect();
        Vocabulary {
            words,
            postings,
            letters,
        }
    }

    /// Where the word is.
    fn position(&self, w: &str) -> Option<u32> {
        let k = self.words.binary_search_by(|x| (**x).cmp(w)).ok()?;
        u32::try_from(k).ok()
    }

    /// The words `w` relates to: itself, the words it starts (if it has two letters or more,
    /// or is being typed), and other forms of it.
    fn related(&self, w: &str, typing: bool) -> Vec<(usize, Relation)> {
        let mut out = Vec::new();
        let from = self.words.partition_point(|x| &**x < w);
        for (k, x) in self.words[from..].iter().enumerate() {
            if !x.starts_with(w) || (w.len() < 2 && !typing && x.len() > w.len()) {
                break;
            }
            let relation = if x.len() == w.len() {
                Relation::Equal
            } else {
                Relation::Prefix(w.len(), x.len())
            };
            out.push((from + k, relation));
        }
        if w.len() >= 5 && w.is_char_boundary(5) {
            let stem = &w[..5];
            let from = self.words.partition_point(|x| &**x < stem);
            for (k, x) in self.words[from..].iter().enumerate() {
                if !x.starts_with(stem) {
                    break;
                }
                if !x.starts_with(w) && is_variant(w, x) {
                    out.push((from + k, Relation::Variant));
                }
            }
        }
        out
    }
}

/// What each item needs at every keystroke besides the vocabulary.
struct Prepared {
    code_lower: String,
    /// The code's letters and digits only (`invalidvpcidnotfound`), for typos of a whole code.
    squeezed: String,
    /// [`letters`] of the code.
    letters: u64,
    code_words: Vec<(usize, String)>,
    /// How many code words say which error it is (not [`FILLER`]).
    telling: usize,
    /// Aliases that are spellings of a code (`QueueDoesNotExist`, `Server.InternalError`),
    /// lower-cased.
    alias_codes: Vec<String>,
    /// Names of every service it speaks for, squeezed and sorted.
    services: Vec<String>,
}

impl Prepared {
    /// Prepares an item, and lists its words for the vocabulary.
    fn new<'n>(
        item: &Item<'_>,
        names: &mut impl FnMut(&str) -> &'n [String],
    ) -> (Prepared, Vec<(String, Field)>) {
        let code_words = code_words(item.code);
        let mut words: Vec<(String, Field)> = code_words
            .iter()
            .map(|(_, w)| (w.clone(), Field::Code))
            .collect();
        let mut alias_codes = Vec::new();
        if let Some(e) = item.entry {
            words.extend(text_words(&e.summary).map(|w| (w, Field::Text)));
            for m in e.messages.iter() {
                words.extend(
                    pattern_words(m)
                        .into_iter()
                        .flatten()
                        .map(|w| (w, Field::Text)),
                );
            }
            for a in e.aliases.iter() {
                if code_like(a) {
                    alias_codes.push(a.to_ascii_lowercase());
                }
                words.extend(text_words(a).map(|w| (w, Field::Alias)));
                words.extend(code_words_of(a).map(|w| (w, Field::Alias)));
            }
            for t in e.tags.iter() {
                words.extend(text_words(t).map(|w| (w, Field::Tag)));
                words.push((squeeze(t), Field::Tag));
            }
        }
        let own: &[String] = item.service.map(&mut *names).unwrap_or_default();
        words.extend(own.iter().map(|s| (s.clone(), Field::OwnService)));
        let mut others: Vec<&String> = Vec::new();
        for r in &item.rows {
            others.extend(names(r.service().id));
        }
        others.sort_unstable();
        others.dedup();
        others.retain(|s| !own.contains(s));
        words.extend(others.iter().map(|s| ((*s).clone(), Field::OtherService)));
        let mut services: Vec<String> = own.iter().chain(others).cloned().collect();
        services.sort_unstable();
        let code_lower = item.code.to_ascii_lowercase();
        let prepared = Prepared {
            squeezed: squeeze(item.code),
            letters: letters(&code_lower),
            telling: code_words
                .iter()
                .filter(|(_, w)| !FILLER.contains(&w.as_str()))
                .count(),
            code_lower,
            code_words,
            alias_codes,
            services,
        };
        (prepared, words)
    }

    /// Whether the item speaks for the service named (squeezed).
    fn serves(&self, service: &str) -> bool {
        self.services
            .binary_search_by(|s| s.as_str().cmp(service))
            .is_ok()
    }
}

fn code_words_of(code: &str) -> impl Iterator<Item = String> {
    code_words(code).into_iter().map(|(_, w)| w)
}

/// The names people use for a service, squeezed: its id, its service id and the first part of
/// a hyphenated id when that names a family of services (`bedrock` for `bedrock-runtime`,
/// `cognito` for `cognito-idp`; not `security` for `security-ir`).
fn service_names(id: &str) -> Vec<String> {
    let mut out = vec![squeeze(id)];
    if let Some(s) = registry::service(id) {
        out.push(squeeze(s.service_id));
    }
    if let Some((head, _)) = id.split_once('-')
        && families().contains(head)
    {
        out.push(squeeze(head));
    }
    out.sort_unstable();
    out.dedup();
    out.retain(|n| !n.is_empty());
    out
}

/// First parts of hyphenated service ids that name a family: a service's own id (`ecr` for
/// `ecr-public`), or shared by three services or more (`cognito`, `bedrock`, `sagemaker`).
fn families() -> &'static HashSet<&'static str> {
    static FAMILIES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        let services = registry::services();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for s in services {
            if let Some((head, _)) = s.id.split_once('-') {
                *count.entry(head).or_default() += 1;
            }
        }
        count
            .into_iter()
            .filter(|&(head, n)| n >= 3 || services.iter().any(|s| s.id == head))
            .map(|(head, _)| head)
            .collect()
    })
}

/// How one query word matched an item.
#[derive(Debug, Clone, Copy, Default)]
struct WordMatch {
    score: i32,
    /// It matched the code, a service, an alias or a tag (not only the summary or a message).
    strong: bool,
    /// How many code words it covered.
    covered: u8,
}

impl WordMatch {
    fn new(score: i64, strong: bool, covered: usize) -> WordMatch {
        WordMatch {
            score: i32::try_from(score).unwrap_or(i32::MAX),
            strong,
            covered: u8::try_from(covered).unwrap_or(u8::MAX),
        }
    }

    fn offer(&mut self, other: WordMatch) {
        if other.score > self.score {
            *self = WordMatch {
                covered: self.covered.max(other.covered),
                ..other
            };
        } else {
            self.covered = self.covered.max(other.covered);
        }
    }
}

/// A message pattern prepared both ways: to find it in pasted text, and to find typed words in
/// it.
struct Message {
    item: usize,
    pattern: Pattern,
    words: Vec<Option<String>>,
    /// How many of `words` are words (not `*`).
    literal_words: usize,
    /// The vocabulary positions of its words, sorted: a quick test of whether the query has
    /// enough of them to be worth reading it for a run.
    ids: Vec<u32>,
}

/// The query read as a run of one message's words.
#[derive(Debug, Clone, Copy)]
struct Fragment {
    /// What it adds to the words' score: [`FRAGMENT`] for the whole message, less for a part
    /// or for skipped words.
    bonus: i64,
    /// The query is the message, near enough whole (then it ranks as a message).
    whole: bool,
    /// The characters of the message's words it holds (more say more).
    literal: usize,
}

/// The catalog's items prepared for ranking.
pub struct Index<'c> {
    items: Vec<Item<'c>>,
    prepared: Vec<Prepared>,
    vocabulary: Vocabulary,
    /// Items by lower-cased code and code-like alias.
    codes: HashMap<String, Vec<usize>>,
    /// Every service name any item answers to.
    services: HashSet<String>,
    /// Items by alias phrase (`not authorized to perform`, `clock skew`), its words lower-cased
    /// and joined by single spaces.
    phrases: HashMap<String, Vec<usize>>,
    /// [`tiebreak`] of each item.
    tiebreaks: Vec<i64>,
    extractor: Extractor,
    /// Every message pattern of a written item.
    messages: Vec<Message>,
    matcher: SkimMatcherV2,
}

impl<'c> Index<'c> {
    /// Prepares every item of the catalog (written entries and registry codes).
    pub fn new(catalog: &'c Catalog) -> Index<'c> {
        Index::from_items(catalog, catalog.items())
    }

    /// Prepares these items (the UI may list others first).
    pub fn from_items(catalog: &'c Catalog, items: Vec<Item<'c>>) -> Index<'c> {
        // Each service's names, worked out once: most items share a few services.
        let ids: HashSet<&str> = items
            .iter()
            .flat_map(|i| {
                i.service
                    .into_iter()
                    .chain(i.rows.iter().map(|r| r.service().id))
            })
            .collect();
        let names: HashMap<&str, Vec<String>> =
            ids.into_iter().map(|id| (id, service_names(id))).collect();
        let mut lookup = |id: &str| names.get(id).map_or(&[][..], Vec::as_slice);
        let (prepared, words): (Vec<Prepared>, Vec<Vec<(String, Field)>>) = items
            .iter()
            .map(|item| Prepared::new(item, &mut lookup))
            .unzip();
        let vocabulary = Vocabulary::new(words.into_iter());
        let prepared_services = prepared
            .iter()
            .flat_map(|p| p.services.iter().cloned())
            .collect();
        let mut codes: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in prepared.iter().enumerate() {
            for c in std::iter::once(&p.code_lower).chain(&p.alias_codes) {
                let list = codes.entry(c.clone()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        let mut phrases: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            for a in item.entry.into_iter().flat_map(|e| e.aliases.iter()) {
                if !code_like(a) {
                    let key = text_words(a).collect::<Vec<_>>().join(" ");
                    phrases.entry(key).or_default().push(i);
                }
            }
        }
        let vocabulary_ref = &vocabulary;
        let messages = items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                item.entry
                    .into_iter()
                    .flat_map(|e| e.messages.iter())
                    .map(move |m| {
                        let words = pattern_words(m);
                        let mut ids: Vec<u32> = words
                            .iter()
                            .flatten()
                            .filter_map(|w| vocabulary_ref.position(w))
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        Message {
                            item: i,
                            pattern: Pattern::new(m),
                            literal_words: words.iter().flatten().count(),
                            words,
                            ids,
                        }
                    })
            })
            .collect();
        let tiebreaks = items.iter().map(tiebreak).collect();
        Index {
            items,
            prepared,
            vocabulary,
            codes,
            services: prepared_services,
            phrases,
            tiebreaks,
            extractor: Extractor::new(catalog),
            messages,
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
                    score: self.tiebreaks[index],
                    code_matches: Vec::new(),
                })
                .collect();
            all.sort_by_key(|h| std::cmp::Reverse(h.score));
            return all;
        }
        let mut best: Vec<Option<(Tier, i64)>> = vec![None; self.items.len()];
        let mut offer = |i: usize, tier: Tier, score: i64| {
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

        // A code as typed, or `service:Code`, or an alias that spells a code.
        let (service, code) = split_query(query);
        let service = service.map(squeeze);
        if !code.contains(char::is_whitespace) && !code.is_empty() {
            // As typed, `Client.`/`Server.` kept: an alias may spell it so (EC2 does).
            let typed = query
                .trim_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_ascii_lowercase();
            let code_lower = code.to_ascii_lowercase();
            let mut seen: Vec<usize> = Vec::new();
            for key in [&code_lower, &typed] {
                for &i in self.codes.get(key.as_str()).into_iter().flatten() {
                    if seen.contains(&i) {
                        continue;
                    }
                    seen.push(i);
                    let p = &self.prepared[i];
                    let own = match &service {
                        Some(s) if !p.serves(s) => continue,
                        Some(_) => 100,
                        None => 0,
                    };
                    // The code as typed, case and all; an alias spelling what was typed with
                    // its prefix says which service, as `service:` would.
                    let exact = self.items[i].code == code || p.alias_codes.contains(&code_lower);
                    let prefixed = typed != code_lower && p.alias_codes.contains(&typed);
                    let score = 1000 + own + 50 * i64::from(exact) + 100 * i64::from(prefixed);
                    offer(i, Tier::Exact, score + self.tiebreaks[i]);
                }
            }
        }

        // A phrase an entry gives as another name for its code.
        let key = text_words(query).collect::<Vec<_>>().join(" ");
        for &i in self.phrases.get(&key).into_iter().flatten() {
            offer(i, Tier::Exact, 950 + self.tiebreaks[i]);
        }

        // A message AWS returns, held in pasted text (or long enough to be sure of).
        let folded = fold(query);
        let mut said = vec![false; self.items.len()];
        if folded.chars().count() >= 10 {
            let pasted = query.split_whitespace().count() >= 8;
            for m in &self.messages {
                if m.pattern.find(&folded).is_some() {
                    said[m.item] = true;
                    let literal = m.pattern.literal();
                    // A short message inside a few typed words (`iam access denied`) is left
                    // to the words, where the other words count.
                    if pasted || literal >= 25 {
                        offer(
                            m.item,
                            Tier::Message,
                            literal as i64 * 10 + self.tiebreaks[m.item],
                        );
                    }
                }
            }
        }

        // Pasted text: the codes the extractor finds in it, in the service it names.
        if query.len() >= 12 || query.contains(['(', ':', '<', '"']) {
            self.offer_extracted(query, &said, &mut |i, s| offer(i, Tier::Exact, s));
        }

        // Words, and runs of a message's words.
        let fragments = self.fragments(query, &folded);
        for (i, f) in fragments.iter().enumerate() {
            if let Some(f) = f.filter(|f| f.whole) {
                offer(i, Tier::Message, f.literal as i64 * 10 + self.tiebreaks[i]);
            }
        }
        let groups = query_groups(query);
        if !groups.is_empty() {
            let words = self.words_scores(&groups, &fragments);
            for (i, score) in words.into_iter().enumerate() {
                if let Some(score) = score {
                    offer(i, Tier::Words, score * 10 + self.tiebreaks[i]);
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
        // Equal tier and score keep catalog order.
        hits.sort_unstable_by(|a, b| {
            a.tier
                .cmp(&b.tier)
                .then(b.score.cmp(&a.score))
                .then(a.index.cmp(&b.index))
        });
        for h in hits.iter_mut().take(HIGHLIGHTED) {
            h.code_matches = self.highlight(h.index, &groups, h.tier == Tier::Exact);
        }
        hits
    }

    /// Offers the codes found in pasted text: those of the service the text names first, then
    /// those whose message the text also holds (`said`).
    fn offer_extracted(&self, query: &str, said: &[bool], offer: &mut impl FnMut(usize, i64)) {
        let report = self.extractor.scan_str(query);
        let with_code = |code: &str| self.codes.get(code).into_iter().flatten().copied();
        for f in &report.found {
            let named = f.service.as_deref().map(squeeze);
            let mut code = f.code.to_ascii_lowercase();
            // The Java SDK v2 names its exceptions after the code (`NoSuchBucketException` for
            // S3's NoSuchBucket): when the named service has no such code, try without.
            if let Some(s) = &named
                && let Some(stem) = code.strip_suffix("exception")
                && !with_code(&code).any(|i| self.prepared[i].serves(s))
                && with_code(stem).any(|i| self.prepared[i].serves(s))
            {
                code = stem.to_owned();
            }
            let candidates: Vec<String> = f.candidates.iter().map(|c| squeeze(c)).collect();
            for i in with_code(&code) {
                let p = &self.prepared[i];
                if p.code_lower != code {
                    continue;
                }
                let own = named.as_ref().is_some_and(|s| p.serves(s));
                let candidate = candidates.iter().any(|c| p.serves(c));
                let score = 900
                    + 100 * i64::from(own)
                    + 30 * i64::from(candidate)
                    + 50 * i64::from(said[i]);
                offer(i, score + self.tiebreaks[i]);
            }
        }
    }

    /// For each item, how the query reads as a run of one of its messages' words (`None` when
    /// it does not).
    fn fragments(&self, query: &str, folded: &str) -> Vec<Option<Fragment>> {
        let mut out = vec![None; self.items.len()];
        let words: Vec<String> = text_words(query).collect();
        let n = words.len();
        if !(2..=40).contains(&n) || folded.chars().count() < 10 {
            return out;
        }
        // `ses email not verified`: a service's name, then words of its message.
        let services: Vec<&String> = words
            .iter()
            .filter(|w| self.services.contains(w.as_str()))
            .collect();
        // Each query word's vocabulary position (the last one, still being typed, as the
        // range of words it starts).
        let vocabulary = &self.vocabulary;
        let spans: Vec<(u32, u32)> = words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let from = vocabulary.words.partition_point(|x| **x < **w);
                let to = if k + 1 == n && w.len() >= 2 {
                    from + vocabulary.words[from..].partition_point(|x| x.starts_with(w.as_str()))
                } else {
                    from + usize::from(vocabulary.words.get(from).is_some_and(|x| **x == **w))
                };
                (from as u32, to as u32)
            })
            .collect();
        for m in &self.messages {
            let held = spans
                .iter()
                .filter(|&&(from, to)| {
                    let k = m.ids.partition_point(|&id| id < from);
                    m.ids.get(k).is_some_and(|&id| id < to)
                })
                .count();
            if held < 2 {
                continue;
            }
            let own = &self.prepared[m.item];
            let rest: Vec<String> = if services.iter().any(|s| own.serves(s)) {
                words.iter().filter(|w| !own.serves(w)).cloned().collect()
            } else {
                Vec::new()
            };
            let run = fragment(&words, &m.words);
            let Some(run) = run.or_else(|| fragment(&rest, &m.words)) else {
                continue;
            };
            let share = (run.matched * 100 / m.literal_words.max(1)) as i64;
            // Two words are found in many messages; four or more say which.
            let length = run.matched.min(4) as i64;
            let f = Fragment {
                bonus: (FRAGMENT * share * length / 400 - 20 * run.skipped as i64).max(0),
                // The message near enough whole, or a long stretch of it pasted or typed.
                whole: run.skipped == 0 && (share >= 80 || (n >= 6 && run.matched * 3 >= n * 2)),
                literal: run.chars,
            };
            let slot: &mut Option<Fragment> = &mut out[m.item];
            if slot.is_none_or(|o| (f.whole, f.bonus) > (o.whole, o.bonus)) {
                *slot = Some(f);
            }
        }
        out
    }

    /// Each item's words score (`None` when a group of the query does not match it and the
    /// query is no run of its messages), fragments' bonus included.
    fn words_scores(
        &self,
        groups: &[Vec<Vec<String>>],
        fragments: &[Option<Fragment>],
    ) -> Vec<Option<i64>> {
        // Each distinct word is matched once; the groups refer to it by position.
        let typed: HashSet<&str> = groups
            .iter()
            .filter_map(|g| g.first())
            .flatten()
            .map(String::as_str)
            .collect();
        let mut words: Vec<&str> = Vec::new();
        let groups: Vec<Vec<Vec<usize>>> = groups
            .iter()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .map(|phrase| {
                        phrase
                            .iter()
                            .map(|w| {
                                words.iter().position(|x| x == w).unwrap_or_else(|| {
                                    words.push(w);
                                    words.len() - 1
                                })
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let last = groups
            .last()
            .and_then(|g| g.first())
            .and_then(|phrase| phrase.last())
            .copied();
        let matches: Vec<Vec<WordMatch>> = words
            .iter()
            .enumerate()
            .map(|(k, w)| self.word_matches(w, typed.contains(w), last == Some(k)))
            .collect();
        // Coverage tells apart codes that two or more words both match (`tgw not found`); a
        // single word being typed (`ins`) covers a word by chance, and ranks by weight.
        let coverage = groups.len() >= 2;
        (0..self.items.len())
            .map(|i| {
                let p = &self.prepared[i];
                let words = item_score(p, i, &groups, &matches, coverage);
                let fragment = fragments[i].map(|f| f.bonus);
                if words.is_none() && fragment.is_none() {
                    return None;
                }
                Some(words.unwrap_or(0) + fragment.unwrap_or(0))
            })
            .collect()
    }
}

/// One item's score for the query's word groups (each word given by its position in
/// `matches`), or `None` when a group does not match; less for code words left uncovered when
/// `coverage` holds.
fn item_score(
    p: &Prepared,
    i: usize,
    groups: &[Vec<Vec<usize>>],
    matches: &[Vec<WordMatch>],
    coverage: bool,
) -> Option<i64> {
    let mut total = 0;
    let mut all_strong = true;
    let mut covered = 0;
    for alternatives in groups {
        let mut best = WordMatch::default();
        for (k, phrase) in alternatives.iter().enumerate() {
            // The word as typed scores a little more than its synonyms; every word of a
            // phrase must match.
            let mut m = WordMatch {
                strong: true,
                ..WordMatch::default()
            };
            for &w in phrase {
                let wm = matches[w][i];
                if wm.score <= 0 {
                    m.score = 0;
                    break;
                }
                m.score += wm.score;
                m.strong &= wm.strong;
                m.covered = m.covered.saturating_add(wm.covered);
            }
            m.score /= phrase.len().max(1) as i32;
            if k > 0 {
                m.score -= SYNONYM as i32;
            }
            // The best alternative counts; the code words any alternative covers count
            // too (`alb` names the service of LoadBalancerNotFound and, as `load
            // balancer`, its words).
            if m.score > 0 {
                best.offer(m);
            }
        }
        if best.score <= 0 {
            return None;
        }
        all_strong &= best.strong;
        covered += usize::from(best.covered);
        total += i64::from(best.score);
    }
    if all_strong {
        total += ALL_STRONG;
    }
    if coverage {
        let uncovered = p.telling.saturating_sub(covered).min(5) as i64;
        total -= UNCOVERED * uncovered;
    }
    Some(total)
}

impl Index<'_> {
    /// How one query word matches every item. Only a word as typed (not a synonym) is read
    /// as an abbreviation or a typo: the synonyms are spelled right. The last word typed may
    /// be a single letter of a code word (`vpc n`), as it is still being typed.
    fn word_matches(&self, w: &str, typed: bool, last: bool) -> Vec<WordMatch> {
        let mut out = vec![WordMatch::default(); self.items.len()];
        let vocabulary = &self.vocabulary;
        let related = vocabulary.related(w, last);
        for &(v, relation) in &related {
            for &(i, field) in &vocabulary.postings[v] {
                let (score, strong) = field.score(relation);
                if score > 0 {
                    let covered = usize::from(field == Field::Code);
                    out[i as usize].offer(WordMatch::new(score, strong, covered));
                }
            }
        }
        if !typed {
            return out;
        }
        // Prefixes of several code words in order (`insufcap`, `vpcnotfound`), unless the
        // word is a word of the catalog (`does`, `the`): then it means itself. Only items
        // with a code word starting with its first two letters can have one.
        let is_word = related.iter().any(|&(v, r)| {
            r == Relation::Equal
                && vocabulary.postings[v]
                    .iter()
                    .any(|&(_, f)| matches!(f, Field::Code | Field::Text | Field::Alias))
        });
        if w.len() >= 3 && !is_word && w.is_char_boundary(2) {
            let need = letters(w);
            let mut tried = vec![false; self.items.len()];
            for (v, _) in vocabulary.related(&w[..2], false) {
                for &(i, field) in &vocabulary.postings[v] {
                    let i = i as usize;
                    let p = &self.prepared[i];
                    if field != Field::Code
                        || tried[i]
                        || out[i].covered > 0
                        || need & !p.letters != 0
                    {
                        continue;
                    }
                    tried[i] = true;
                    if let Some((covered, pieces, _)) = hump(&p.code_words, w) {
                        // How much of each word the abbreviation covers, on average:
                        // `insufcap` says more about InsufficientCapacity than about
                        // InsufficientCapabilities.
                        // The words skipped count as uncovered code words.
                        let score = 55 + (30 * covered / pieces.max(1) / 100) as i64;
                        out[i].offer(WordMatch::new(score, true, pieces));
                    }
                }
            }
        }
        // A word found nowhere may be a typo; not a whole code (`vcpulimitexceeded` is no typo
        // of VpcLimitExceeded).
        if related.is_empty() && w.len() >= 5 && !self.codes.contains_key(w) {
            self.typos(w, &mut out);
        }
        out
    }

    /// Reads a word found nowhere as a mistyped code word or code: edit distance for letters
    /// swapped, left out or replaced (`UnauthorisedOperation`), then skim's fuzzy score for a
    /// long code with more letters left out.
    fn typos(&self, w: &str, out: &mut [WordMatch]) {
        let budget = if w.len() >= 8 { 2 } else { 1 };
        let vocabulary = &self.vocabulary;
        let need = letters(w);
        // Code words, each spelled once in the vocabulary however many codes have it. A
        // letter in one word and not the other takes an edit.
        for (v, word) in vocabulary.words.iter().enumerate() {
            let has = vocabulary.letters[v];
            if word.len() < 4
                || word.len().abs_diff(w.len()) > budget
                || (need ^ has).count_ones() as usize > 2 * budget
                || bounded_edit_distance(w, word, budget).is_none()
            {
                continue;
            }
            for &(i, field) in &vocabulary.postings[v] {
                if field == Field::Code && out[i as usize].score == 0 {
                    out[i as usize] = WordMatch::new(60, true, 1);
                }
            }
        }
        if w.len() < 8 {
            return;
        }
        for (i, p) in self.prepared.iter().enumerate() {
            if out[i].score >= 80 {
                continue;
            }
            let foreign = (need & !p.letters).count_ones() as usize;
            let length = p.squeezed.len();
            // The whole code mistyped.
            if foreign <= budget
                && length.abs_diff(w.len()) <= budget
                && bounded_edit_distance(w, &p.squeezed, budget).is_some()
            {
                out[i] = WordMatch::new(80, true, p.telling);
                continue;
            }
            // Letters left out of a whole code: demand nearly every letter in a row, so that
            // scattered letters (`function` in KMSNotFoundException) do not pass.
            if out[i].score == 0
                && foreign == 0
                && (w.len()..=w.len() + 4).contains(&length)
                && let Some(score) = self.matcher.fuzzy_match(&p.squeezed, w)
                && score >= (w.len() as i64) * 16
            {
                out[i] = WordMatch::new(50 + (score / 40).min(20), true, p.telling);
            }
        }
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

/// Breaks ties: how often the code is met, written before registry, the meaning in every
/// service before one service's (`rate exceeded`: ThrottlingException before Lambda's
/// TooManyRequestsException), shorter codes first.
fn tiebreak(item: &Item<'_>) -> i64 {
    let written = i64::from(item.entry.is_some());
    let cross = i64::from(item.service == Some(CROSS_SERVICE));
    i64::from(item.weight()) * 30 + written * 10 + cross * 3 - (item.code.len() as i64 / 16).min(2)
}

/// How a query reads as a run of one message's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Query words that are the message's own words.
    matched: usize,
    /// Their characters, with a space between each two (comparable with
    /// [`Pattern::literal`]).
    chars: usize,
    /// Message words skipped between them.
    skipped: usize,
}

/// Whether the query's words are a run of a message's words: each word, in order, is the
/// message's next word (the last may be a prefix, as it is still being typed) or is taken by a
/// `*` (an id, a name); up to three message words may be skipped between them. A `*` takes
/// words only before a word that matches, unless the query is pasted text (eight words or more)
/// that ends in the middle of the message. `None` unless at least two words matched and they
/// are at least half the query.
fn fragment(query: &[String], message: &[Option<String>]) -> Option<Run> {
    const MAX_SKIPPED: usize = 3;
    let (n, m) = (query.len(), message.len());
    let pasted = n >= 8;
    let value = |r: &Run| r.matched as i64 * 10 - r.skipped as i64 * 3;
    // after_word[i][j]: the best run with query[..i] taken, the last by a word of the message,
    // which is read up to j (a run may start anywhere, so after_word[0][*] is free);
    // in_star[i][j]: the same, the last query word taken by the `*` at j.
    let empty = Run {
        matched: 0,
        chars: 0,
        skipped: 0,
    };
    let mut after_word: Vec<Vec<Option<Run>>> = vec![vec![None; m + 1]; n + 1];
    let mut in_star: Vec<Vec<Option<Run>>> = vec![vec![None; m + 1]; n + 1];
    after_word[0].fill(Some(empty));
    let put = |table: &mut Vec<Vec<Option<Run>>>, i: usize, j: usize, r: Run| {
        if r.skipped <= MAX_SKIPPED && table[i][j].is_none_or(|o| value(&r) > value(&o)) {
            table[i][j] = Some(r);
        }
    };
    let matches = |i: usize, word: &str| {
        query[i] == word || (i + 1 == n && query[i].len() >= 2 && word.starts_with(&query[i]))
    };
    for i in 0..=n {
        for j in 0..m {
            if let Some(r) = after_word[i][j] {
                match &message[j] {
                    Some(word) => {
                        if i < n && matches(i, word) {
                            let chars = r.chars + word.len() + usize::from(r.matched > 0);
                            let next = Run {
                                matched: r.matched + 1,
                                chars,
                                ..r
                            };
                            put(&mut after_word, i + 1, j + 1, next);
                        }
                        if i > 0 && i < n {
                            let next = Run {
                                skipped: r.skipped + 1,
                                ..r
                            };
                            put(&mut after_word, i, j + 1, next);
                        }
                    }
                    None => {
                        if i > 0 && i < n {
                            put(&mut in_star, i + 1, j, r);
                        }
                        put(&mut after_word, i, j + 1, r);
                    }
                }
            }
            if let Some(r) = in_star[i][j]
                && i < n
            {
                put(&mut in_star, i + 1, j, r);
                if let Some(Some(word)) = message.get(j + 1)
                    && matches(i, word)
                {
                    let next = Run {
                        matched: r.matched + 1,
                        chars: r.chars + word.len() + 1,
                        ..r
                    };
                    put(&mut after_word, i + 1, j + 2, next);
                }
            }
        }
    }
    let ends = after_word[n].iter();
    let trailing = in_star[n].iter().filter(|_| pasted);
    ends.chain(trailing)
        .flatten()
        .copied()
        .max_by_key(value)
        .filter(|r| r.matched >= 2 && r.matched * 2 >= n)
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
        let typed = words[i..i + taken].join(" ");
        for (narrow, broad) in BROADER {
            if *narrow == typed {
                group.extend(broad.iter().map(|b| vec![(*b).to_owned()]));
            }
        }
        groups.push(group);
        i += taken;
    }
    groups
}

/// Whether two words are forms of one (`throttle`, `throttled`, `throttling`; `cancelled`,
/// `canceled`): a long common start, and at most three letters after it in either.
fn is_variant(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    common >= 5 && common + 3 >= a.len().max(b.len())
}

/// Whether `w` is a concatenation of prefixes of successive code words (words may be skipped
/// between them), each of two letters or more but the last. Returns, for the best such reading, the sum over its pieces of the
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
            // A piece of one letter only at the end, as the word is being typed: letters
            // picked from word after word (`verified` from VERIFIcation Email Does) are no
            // abbreviation.
            for take in (1..=common).rev().filter(|&t| t >= 2 || t == w.len()) {
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

    fn words(code: &str) -> Vec<String> {
        code_words(code).into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn code_words_split_camel_case_dots_and_acronyms() {
        assert_eq!(
            words("InvalidVpcID.NotFound"),
            ["invalid", "vpc", "id", "not", "found"]
        );
        assert_eq!(
            words("EC2ThrottledException"),
            ["ec2", "throttled", "exception"]
        );
        assert_eq!(
            words("DBInstanceNotFound"),
            ["db", "instance", "not", "found"]
        );
        assert_eq!(
            words("InvalidAMIID.NotFound"),
            ["invalid", "ami", "id", "not", "found"]
        );
        assert_eq!(words("IDPRejectedClaim"), ["idp", "rejected", "claim"]);
        assert_eq!(words("InvalidVPCId"), ["invalid", "vpc", "id"]);
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
    fn variants_share_a_long_start() {
        for (a, b) in [
            ("throttle", "throttling"),
            ("throttled", "throttling"),
            ("cancelled", "canceled"),
            ("exceeds", "exceeded"),
        ] {
            assert!(is_variant(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("deny", "denied"),
            ("configured", "configuration"),
            ("limit", "line"),
        ] {
            assert!(!is_variant(a, b), "{a} {b}");
        }
    }

    #[test]
    fn fragments_are_runs_of_a_message_with_small_gaps() {
        let q = |s: &str| text_words(s).collect::<Vec<_>>();
        let stack = pattern_words("Stack with id * does not exist");
        assert_eq!(stack.len(), 7);
        let run =
            |s: &str, m: &[Option<String>]| fragment(&q(s), m).map(|r| (r.matched, r.skipped));
        assert_eq!(run("stack does not exist", &stack), Some((4, 2)));
        assert_eq!(run("does not ex", &stack), Some((3, 0)));
        assert_eq!(
            run("stack with id my-app does not exist", &stack),
            Some((6, 0))
        );
        assert_eq!(run("stack was not found", &stack), None);
        assert_eq!(
            pattern_words("Requested resource not found*"),
            [
                Some("requested".into()),
                Some("resource".into()),
                Some("not".into()),
                Some("found".into()),
                None
            ]
        );
        let param = pattern_words("Parameter * not found.");
        assert_eq!(
            run("Parameter /app/db/password not found", &param),
            Some((3, 0))
        );
        // A `*` does not take the whole query, nor typed words after the message.
        assert_eq!(run("app db password", &param), None);
        let lambda = pattern_words("Lambda was unable to decrypt because KMS access was denied*");
        assert_eq!(run("access denied exception", &lambda), None);
        // Unless a long paste stops in the middle of a message.
        let capacity = pattern_words(
            "We currently do not have sufficient * capacity in the Availability Zone you requested (*). Our system will be working on it.",
        );
        assert_eq!(
            run(
                "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).",
                &capacity
            ),
            Some((13, 0))
        );
        // Nor do unrelated words pass for skipped ones.
        assert_eq!(
            run("iam access denied", &pattern_words("Access Denied")),
            None
        );
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
    fn an_alias_that_spells_a_code_ranks_with_the_codes() {
        let cat = Catalog::builtin();
        let index = Index::new(&cat);
        assert_eq!(top(&index, "Server.InternalError", 1), ["InternalError"]);
        let hits = index.rank("Server.InternalError", |_| true);
        assert_eq!(index.items()[hits[0].index].service, Some("ec2"));
        assert_eq!(
            top(&index, "QueueDoesNotExist", 1),
            ["AWS.SimpleQueueService.NonExistentQueue"]
        );
    }

    #[test]
    fn words_match_in_any_order_and_every_word_must_match() {
        let cat = Catalog::builtin();
        let index = Index::new(&cat);
        assert_eq!(top(&index, "vcpu limit", 3), top(&index, "limit vcpu", 3));
        assert!(index.rank("vcpu zzzzqqq", |_| true).is_empty());
    }

    #[test]
    fn a_typo_in_a_code_still_finds_it_but_scattered_letters_do_not() {
        let cat = Catalog::builtin();
        let index = Index::new(&cat);
        assert_eq!(
            top(&index, "UnauthorisedOperation", 1),
            ["UnauthorizedOperation"]
        );
        assert_eq!(
            top(&index, "InsuficientInstanceCapacity", 1),
            ["InsufficientInstanceCapacity"]
        );
        // `spot` is in no word of SnapshotLimitExceeded, though its letters are, in order.
        assert!(!top(&index, "spot limit", 50).contains(&"SnapshotLimitExceeded".to_owned()));
    }
}
