//! Finding error codes, and what the text says around them, in arbitrary text.
//!
//! Pure and streaming: a [`Scanner`] is fed chunks of bytes (any bytes: invalid UTF-8, NULs,
//! a gigabyte without a newline) and keeps only a bounded window, so memory does not grow with
//! the input; `main` does the reading. The stages, each in its own file:
//!
//! - [`prefilter`]: Teddy finds the anchors of frame markers and of codes that count without a
//!   frame; candidates are confirmed at those places only.
//! - [`frames`]: the table of producer frames (`An error occurred (X)`, `Error Code: X`,
//!   `api error X:`, `<Code>X</Code>` ...), one row per producer, and how each is read.
//! - `scan`: the streaming window, grouping hits into errors, and each error's region.
//! - `context`: the operation, request id, status, resources and Terraform address of an error.
//! - `service`: which service the error came from.
//! - `clean`: bytes, lines, tokens, colour sequences and message cleaning.
//! - `report`: what is kept, bounded by count and bytes.
//!
//! A catalog code that is distinctive (dotted, or a compound of three or more words that at most
//! two services return, and not an ordinary word) counts wherever it stands; every other code
//! counts only when a frame reads it. Strong (AWS-specific) frames also report codes the catalog
//! does not know; generic `code` keys report known codes only.

mod clean;
mod context;
pub(crate) mod frames;
mod parallel;
mod prefilter;
mod report;
mod scan;
pub(crate) mod service;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

pub use parallel::{Sink, pass_through, scan_blocks, scan_parallel};
pub use report::{Found, MAX_CODES, MAX_KEPT_BYTES, MAX_OCCURRENCES, Occurrence, Report};
pub use scan::Scanner;

use crate::catalog::messages::{Pattern, fold};
use crate::catalog::{CROSS_SERVICE, Catalog, Source, Text, registry};
use prefilter::Prefilter;

/// Codes that are ordinary words or common identifiers: they count only inside a frame.
const AMBIGUOUS: &[&str] = &[
    "Blocked",
    "Unavailable",
    "Unsupported",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "ValidationError",
    "InvalidState",
    "IncorrectState",
    "InvalidInput",
    "InvalidRequest",
    "InvalidFormat",
    "InvalidID",
    "InvalidAction",
    "InvalidFilter",
    "InvalidTime",
    "InvalidParameter",
    "MissingParameter",
    "UnknownParameter",
    "MissingInput",
    "CannotDelete",
    "RetryableError",
    "NoSuchVersion",
    "OperationNotPermitted",
    "UnsupportedOperation",
    "UnsupportedException",
    "InvalidQuantity",
    "InvalidRegion",
    "InvalidSubnet",
    "InvalidCharacter",
    "InvalidAffinity",
    "InvalidTenancy",
    "ServerInternal",
    "ResourceNotReady",
    "InvalidClientToken",
    "PendingVerification",
    "RequestExpired",
    "InvalidTargetException",
    "IncorrectStateException",
];

/// Whether a code counts outside any frame, given how many services (other than the
/// cross-service one) return it.
fn distinctive(code: &str, services: usize) -> bool {
    // The list of ordinary words is checked last: it runs for every code before each scan,
    // and the cheap tests rule most codes out first.
    if !code.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    if code.contains('.') {
        return !AMBIGUOUS.contains(&code);
    }
    // Names many services share (ResourceNotFoundException) are also common in other
    // software: they need the error's frame.
    if services > 2 {
        return false;
    }
    let stem = ["Exception", "Fault", "Error"]
        .iter()
        .find_map(|s| code.strip_suffix(s))
        .unwrap_or(code);
    (stem.bytes().filter(u8::is_ascii_uppercase).count() >= 3
        || matches!(
            code,
            "AuthFailure" | "VolumeInUse" | "DependencyViolation" | "UnauthorizedOperation"
        ))
        && !AMBIGUOUS.contains(&code)
}

/// The longest token [`Extractor::resolve`] looks up; no code is longer.
const MAX_TOKEN: usize = 256;

/// The pairs one folded key may mean.
struct Folded {
    /// Where in [`Extractor::ids`]: ascending (the order of definition: written before
    /// registry).
    ids: Range<u32>,
    /// Where in [`Extractor::spellings`]: for each distinct spelling of a code that folds to
    /// this key, its first pair.
    spellings: Range<u32>,
    /// How many distinct services other than `aws` the pairs are in (counted here once, so
    /// deciding an error's service never counts a code's hundreds of services).
    services: u32,
}

/// What a token read from text may mean.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Resolved<'e> {
    /// Indices into the extractor's known pairs, the same slice for every spelling that folds
    /// to the same key; empty for an unknown code.
    pub ids: &'e [u32],
    /// How many distinct services other than `aws` the pairs are in.
    pub services: u32,
    /// The pair whose code the text spells exactly, when one does.
    pub exact: Option<u32>,
    /// The first pair whose code the text spells but for case.
    pub folded: Option<u32>,
}

impl Resolved<'_> {
    /// Whether the token is no known code.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The pair to show when nothing else decides: the exact spelling, else the first.
    pub fn first(&self) -> Option<u32> {
        self.exact
            .or(self.folded)
            .or_else(|| self.ids.first().copied())
    }

    /// Whether two readings may be the same code (a class name and its wire code).
    pub fn overlaps(&self, other: &Resolved<'_>) -> bool {
        std::ptr::eq(self.ids, other.ids) && !self.ids.is_empty()
            || self.ids.iter().any(|i| other.ids.binary_search(i).is_ok())
    }
}

/// FNV-1a: the catalog's own keys need no defence against chosen collisions, and hashing every
/// code read from text with SipHash showed in profiles.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Builds [`Fx`] hashers.
pub(crate) type BuildFx = std::hash::BuildHasherDefault<Fx>;

/// A (service, code) errex knows, written or in the registry.
#[derive(Debug, Clone)]
pub(crate) struct KnownCode {
    pub service: Text,
    pub code: Text,
}

/// The slice of `all` that `range` marks.
fn part<'a, T>(all: &'a [T], range: &Range<u32>) -> &'a [T] {
    &all[range.start as usize..range.end as usize]
}

/// Folded keys as they are collected: each distinct key is allocated once, and a key's pairs
/// are gathered with one sort instead of a vector per key.
struct Keys {
    slot_of: HashMap<Box<str>, u32, BuildFx>,
    /// (slot, pair) for every key of every pair, in any order, repeats allowed.
    pairs: Vec<(u32, u32)>,
    /// The key being folded, reused.
    buf: String,
}

impl Keys {
    fn with_capacity(pairs: usize) -> Keys {
        Keys {
            slot_of: HashMap::with_capacity_and_hasher(pairs, BuildFx::default()),
            pairs: Vec::with_capacity(pairs * 2),
            buf: String::new(),
        }
    }

    /// `key`, folded to lower case, may mean pair `id`.
    fn add(&mut self, key: &str, id: u32) {
        self.buf.clear();
        self.buf.push_str(key);
        self.insert(id);
    }

    /// A code's keys: itself, and without its dots (Ruby spells `InvalidAMIID.NotFound` as
    /// `InvalidAMIIDNotFound`).
    fn add_code(&mut self, code: &str, id: u32) {
        self.add(code, id);
        if code.contains('.') {
            self.buf.clear();
            self.buf.extend(code.chars().filter(|&c| c != '.'));
            self.insert(id);
        }
    }

    fn insert(&mut self, id: u32) {
        self.buf.make_ascii_lowercase();
        let slot = match self.slot_of.get(self.buf.as_str()) {
            Some(&slot) => slot,
            None => {
                let slot = self.slot_of.len() as u32;
                self.slot_of.insert(self.buf.as_str().into(), slot);
                slot
            }
        };
        self.pairs.push((slot, id));
    }

    /// The map from key to slot, each slot's [`Folded`], and the pairs and spellings they
    /// point into.
    #[expect(
        clippy::type_complexity,
        reason = "the four parts of one index, taken apart once"
    )]
    fn finish(
        mut self,
        known: &[KnownCode],
    ) -> (
        HashMap<Box<str>, u32, BuildFx>,
        Vec<Folded>,
        Box<[u32]>,
        Box<[u32]>,
    ) {
        // By slot, then in the order of definition, so `binary_search` works.
        self.pairs.sort_unstable();
        self.pairs.dedup();
        let mut key_of: Vec<&str> = vec![""; self.slot_of.len()];
        for (key, &slot) in &self.slot_of {
            key_of[slot as usize] = key;
        }
        let mut slots = Vec::with_capacity(key_of.len());
        let mut ids = Vec::with_capacity(self.pairs.len());
        let mut spellings: Vec<u32> = Vec::with_capacity(key_of.len());
        let mut services: Vec<&str> = Vec::new();
        // Every slot has a pair, so the groups come in slot order.
        for group in self.pairs.chunk_by(|a, b| a.0 == b.0) {
            let key = key_of[group[0].0 as usize];
            let (from, spelled_from) = (ids.len() as u32, spellings.len() as u32);
            ids.extend(group.iter().map(|&(_, i)| i));
            // One pair per distinct spelling that folds to the key itself (EC2's case pairs
            // have two), so an exact spelling is found without walking every service that
            // shares the code.
            for &(_, i) in group {
                let code = &known[i as usize].code;
                if code.eq_ignore_ascii_case(key)
                    && !spellings[spelled_from as usize..]
                        .iter()
                        .any(|&j| known[j as usize].code == *code)
                {
                    spellings.push(i);
                }
            }
            services.clear();
            services.extend(
                group
                    .iter()
                    .map(|&(_, i)| &*known[i as usize].service)
                    .filter(|s| *s != CROSS_SERVICE),
            );
            services.sort_unstable();
            services.dedup();
            slots.push(Folded {
                ids: from..ids.len() as u32,
                spellings: spelled_from..spellings.len() as u32,
                services: services.len() as u32,
            });
        }
        (
            self.slot_of,
            slots,
            ids.into_boxed_slice(),
            spellings.into_boxed_slice(),
        )
    }
}

/// Finds codes in text; built once per catalog.
pub struct Extractor {
    prefilter: Prefilter,
    /// For each marker (in prefilter order), its frame in [`frames::FRAMES`].
    marker_frame: Vec<usize>,
    /// Every (service, code) pair known.
    known: Vec<KnownCode>,
    /// A token folded to lower case (also without dots, also a shape name) to its slot: the
    /// pairs it may mean.
    folded: HashMap<Box<str>, u32, BuildFx>,
    /// Each slot's pairs and spellings.
    slots: Vec<Folded>,
    /// The pairs of every slot, one slot after another.
    ids: Box<[u32]>,
    /// The spellings of every slot, one slot after another.
    spellings: Box<[u32]>,
    /// Message patterns: (service, code, pattern as written).
    patterns: Vec<(Text, Text, Text)>,
    /// The patterns compiled, in the same order, on the first inference: most runs infer
    /// nothing and should not pay for folding every pattern before reading a byte.
    compiled: OnceLock<Box<[Pattern]>>,
    /// A code to its patterns (indices into `patterns`) in services other than `aws`, on first
    /// use: the messages that tell which service a shared code came from.
    patterns_of: OnceLock<HashMap<Box<str>, Vec<usize>, BuildFx>>,
}

impl Extractor {
    /// Builds the search for this catalog's codes (written entries and the registry) and the
    /// frame markers.
    pub fn new(catalog: &Catalog) -> Extractor {
        Extractor::build(catalog, true)
    }

    /// The same extractor with one automaton pass over every byte instead of Teddy (tests
    /// compare the two).
    #[doc(hidden)]
    pub fn without_teddy(catalog: &Catalog) -> Extractor {
        Extractor::build(catalog, false)
    }

    fn build(catalog: &Catalog, teddy: bool) -> Extractor {
        let mut markers: Vec<&str> = Vec::new();
        let mut marker_frame = Vec::new();
        for (i, f) in frames::FRAMES.iter().enumerate() {
            for m in f.markers {
                markers.push(m);
                marker_frame.push(i);
            }
        }
        let entries = catalog.entries();
        let codes = registry::codes();
        // Built-in codes are borrowed, not copied: this runs before every scan reads a byte.
        let mut known: Vec<KnownCode> = Vec::with_capacity(entries.len() + codes.len());
        let mut keys = Keys::with_capacity(entries.len() + codes.len());
        let mut written: HashMap<(&str, &str), u32, BuildFx> =
            HashMap::with_capacity_and_hasher(entries.len(), BuildFx::default());
        for (i, e) in entries.iter().enumerate() {
            known.push(KnownCode {
                service: e.service.clone(),
                code: e.code.clone(),
            });
            keys.add_code(&e.code, i as u32);
            written.entry((&e.service, &e.code)).or_insert(i as u32);
        }
        for r in codes {
            let service = r.service().id;
            // A written entry (the first of its service and code) takes the registry's shape
            // names as aliases; otherwise the registry's row is a pair of its own.
            let id = match written.get(&(service, r.code)) {
                Some(&i) => i,
                None => {
                    let id = known.len() as u32;
                    known.push(KnownCode {
                        service: Cow::Borrowed(service),
                        code: Cow::Borrowed(r.code),
                    });
                    keys.add_code(r.code, id);
                    id
                }
            };
            for s in r.shape_names() {
                keys.add(s, id);
            }
        }
        let mut services_of: HashMap<&str, usize, BuildFx> =
            HashMap::with_capacity_and_hasher(known.len(), BuildFx::default());
        for k in &known {
            if k.service != CROSS_SERVICE {
                *services_of.entry(&k.code).or_default() += 1;
            }
        }
        // Bare codes: team entries' first (each must be findable, even if that costs the fast
        // search), then the built-in ones: EC2's (a test checks that anchors cover them), other
        // written entries' and the registry's (a few rare ones no anchor covers are found in
        // frames only).
        let mut bare: Vec<Text> = Vec::new();
        let mut seen: HashSet<&str, BuildFx> =
            HashSet::with_capacity_and_hasher(known.len(), BuildFx::default());
        let team = |e: &&crate::catalog::Entry| matches!(e.source, Source::User { .. });
        for e in entries.iter().filter(team) {
            let n = services_of.get(&*e.code).copied().unwrap_or(1);
            if distinctive(&e.code, n) && seen.insert(&e.code) {
                bare.push(e.code.clone());
            }
        }
        let optional_from = bare.len();
        for e in entries.iter().filter(|e| !team(e)) {
            let n = services_of.get(&*e.code).copied().unwrap_or(1);
            // EC2's codes count without a frame as they always have, whoever else shares them.
            let n = if e.service == "ec2" { 1 } else { n };
            if distinctive(&e.code, n) && seen.insert(&e.code) {
                bare.push(e.code.clone());
            }
        }
        for r in codes {
            let n = services_of.get(r.code).copied().unwrap_or(1);
            if distinctive(r.code, n) && seen.insert(r.code) {
                bare.push(Cow::Borrowed(r.code));
            }
        }
        // EC2 refines some of its codes with a dotted detail no model lists
        // (`AuthFailure.ServiceLinkedRoleCreationNotPermitted`): its codes that count bare may
        // carry one.
        let families: Vec<&str> = entries
            .iter()
            .filter(|e| e.service == "ec2")
            .map(|e| &*e.code)
            .chain(
                codes
                    .iter()
                    .filter(|r| r.service().id == "ec2")
                    .map(|r| r.code),
            )
            .filter(|c| !c.contains('.') && distinctive(c, 1))
            .collect();
        let (prefilter, _) = Prefilter::new(&markers, &bare, optional_from, &families, teddy);
        let patterns = entries
            .iter()
            .flat_map(|e| {
                e.messages
                    .iter()
                    .map(|m| (e.service.clone(), e.code.clone(), m.clone()))
            })
            .collect();
        let (folded, slots, ids, spellings) = keys.finish(&known);
        Extractor {
            prefilter,
            marker_frame,
            known,
            folded,
            slots,
            ids,
            spellings,
            patterns,
            compiled: OnceLock::new(),
            patterns_of: OnceLock::new(),
        }
    }

    /// Whether the fast (Teddy) search is in use.
    pub fn is_fast(&self) -> bool {
        self.prefilter.fast()
    }

    /// The (service, code) pairs a token read from text may mean: ignoring case, without dots
    /// (Ruby), by shape name (SDK class names), or without an `Exception` suffix the wire code
    /// lacks (Java v2 `NoSuchEntityException`); and which of them the text spells exactly.
    /// Allocates nothing: this runs for every code in the text.
    pub(crate) fn resolve(&self, token: &str) -> Resolved<'_> {
        let mut lower = [0u8; MAX_TOKEN];
        let Some(folded) = lower.get_mut(..token.len()) else {
            return Resolved::default();
        };
        folded.copy_from_slice(token.as_bytes());
        folded.make_ascii_lowercase();
        // Lower-casing ASCII bytes of a `str` keeps it UTF-8.
        let folded = std::str::from_utf8(folded).unwrap_or_default();
        let Some(&slot) = self.folded.get(folded).or_else(|| {
            let stem = folded.strip_suffix("exception").filter(|s| s.len() >= 4)?;
            self.folded.get(stem)
        }) else {
            return Resolved::default();
        };
        let f = &self.slots[slot as usize];
        let spellings = part(&self.spellings, &f.spellings);
        let exact = spellings
            .iter()
            .copied()
            .find(|&i| self.known[i as usize].code == token);
        Resolved {
            ids: part(&self.ids, &f.ids),
            services: f.services,
            exact,
            folded: spellings.first().copied(),
        }
    }

    /// The code whose message patterns match `message`, among the entries of `service` and the
    /// cross-service ones (every entry's when no service is known): the longest pattern wins.
    /// Returns the service of the entry that matched (`None` for a cross-service one), the code
    /// and the pattern.
    pub(crate) fn infer(
        &self,
        service: Option<&str>,
        message: &str,
    ) -> Option<(Option<String>, String, String)> {
        let text = fold(message);
        self.patterns
            .iter()
            .zip(self.compiled())
            .filter(|((s, ..), _)| service.is_none_or(|want| s == want) || s == CROSS_SERVICE)
            .filter(|(_, p)| p.find(&text).is_some())
            .max_by_key(|((s, ..), p)| (p.literal(), s != CROSS_SERVICE))
            .map(|((s, code, written), _)| {
                let service = (s != CROSS_SERVICE).then(|| s.to_string());
                (service, code.to_string(), written.to_string())
            })
    }

    /// The message patterns, compiled.
    fn compiled(&self) -> &[Pattern] {
        self.compiled.get_or_init(|| {
            self.patterns
                .iter()
                .map(|(.., m)| Pattern::new(m))
                .collect()
        })
    }

    fn patterns_of(&self) -> &HashMap<Box<str>, Vec<usize>, BuildFx> {
        self.patterns_of.get_or_init(|| {
            let mut of: HashMap<Box<str>, Vec<usize>, BuildFx> = HashMap::default();
            for (i, (service, code, _)) in self.patterns.iter().enumerate() {
                if **service != *CROSS_SERVICE {
                    of.entry(Box::from(&**code)).or_default().push(i);
                }
            }
            of
        })
    }

    /// Whether some service's entry for `code` has message patterns (so a message may tell
    /// which of the services sharing the code sent it).
    pub(crate) fn has_patterns(&self, code: &str) -> bool {
        self.patterns_of().contains_key(code)
    }

    /// The one service, among `services`, whose entry for `code` has a pattern `message`
    /// matches; `None` when none does or several services' do.
    pub(crate) fn service_by_message(
        &self,
        code: &str,
        services: &[&str],
        message: &str,
    ) -> Option<String> {
        let ids = self.patterns_of().get(code)?;
        let compiled = self.compiled();
        let text = fold(message);
        let mut found: Option<&str> = None;
        for &i in ids {
            let service: &str = &self.patterns[i].0;
            if !services.contains(&service) || found == Some(service) {
                continue;
            }
            if compiled[i].find(&text).is_some() {
                if found.is_some() {
                    return None;
                }
                found = Some(service);
            }
        }
        found.map(str::to_owned)
    }

    /// A Java class name read for a service the text names (`NoSuchBucketException` in
    /// `Service: S3`): when none of its readings is that service's but its name without
    /// `Exception` is (the SDK adds the suffix to S3's `NoSuchBucket`), that name.
    pub(crate) fn resolve_in<'t>(&self, token: &'t str, service: &str) -> Option<&'t str> {
        let of = |r: &Resolved<'_>| {
            r.ids
                .iter()
                .any(|&i| self.known[i as usize].service == service)
        };
        if of(&self.resolve(token)) {
            return None;
        }
        let stem = token.strip_suffix("Exception").filter(|s| s.len() >= 4)?;
        of(&self.resolve(stem)).then_some(stem)
    }

    /// Scans a whole text at once (tests, small inputs).
    pub fn scan_str(&self, text: &str) -> Report {
        let mut s = Scanner::new(self);
        s.feed(text.as_bytes());
        s.finish()
    }

    /// Scans bytes at once (tests, small inputs).
    pub fn scan_bytes(&self, bytes: &[u8]) -> Report {
        let mut s = Scanner::new(self);
        s.feed(bytes);
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(Option<String>, String)> {
        let ex = Extractor::new(&Catalog::builtin());
        ex.scan_str(text)
            .found
            .into_iter()
            .map(|f| (f.service, f.code))
            .collect()
    }

    #[test]
    fn every_marker_and_ec2_code_is_covered_by_an_anchor() {
        let cat = Catalog::builtin();
        let ex = Extractor::new(&cat);
        assert!(ex.is_fast(), "the built-in catalog fits Teddy");
        let uncovered: Vec<&str> = frames::FRAMES
            .iter()
            .flat_map(|f| f.markers.iter().copied())
            .chain(
                cat.entries()
                    .iter()
                    .filter(|e| e.service == "ec2" && distinctive(&e.code, 1))
                    .map(|e| &*e.code),
            )
            .filter(|t| !prefilter::ANCHORS.iter().any(|a| t.contains(a)))
            .collect();
        assert!(uncovered.is_empty(), "add anchors for {uncovered:?}");
    }

    #[test]
    fn ordinary_words_need_a_frame() {
        assert!(
            codes("the request was Blocked by policy and the service is Unavailable").is_empty()
        );
        assert_eq!(
            codes("<Response><Errors><Error><Code>Blocked</Code></Error></Errors></Response>")
                .into_iter()
                .map(|(_, c)| c)
                .collect::<Vec<_>>(),
            ["Blocked"]
        );
    }

    #[test]
    fn the_service_comes_from_the_text() {
        assert_eq!(
            codes(
                "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied"
            ),
            [(Some("s3".to_owned()), "AccessDenied".to_owned())]
        );
        assert_eq!(
            codes(
                "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: x"
            ),
            [(
                Some("ec2".to_owned()),
                "InvalidInstanceID.NotFound".to_owned()
            )]
        );
        assert_eq!(
            codes(
                "botocore.errorfactory.NoSuchEntityException: An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name x cannot be found."
            ),
            [(Some("iam".to_owned()), "NoSuchEntity".to_owned())]
        );
    }

    #[test]
    fn unknown_code_only_in_strong_frame() {
        assert_eq!(
            codes("An error occurred (TotallyMadeUpFailure) when calling the Invoke operation: no"),
            [(Some("lambda".to_owned()), "TotallyMadeUpFailure".to_owned())]
        );
        assert!(codes("{\"code\": \"ECONNRESET\"}").is_empty());
        assert!(codes("{\"code\": \"SomeThing\"}").is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        /// Teddy's anchors find exactly what one automaton pass over every byte finds, on text
        /// made of codes, markers, their fragments and noise.
        #[test]
        fn the_prefilter_is_exact(pieces in proptest::collection::vec((0usize..4000, 0usize..40, "[ -~\n]{0,6}"), 0..40)) {
            static EX: std::sync::OnceLock<(Extractor, Extractor, Vec<String>)> = std::sync::OnceLock::new();
            let (fast, full, words) = EX.get_or_init(|| {
                let cat = Catalog::builtin();
                let words: Vec<String> = frames::FRAMES
                    .iter()
                    .flat_map(|f| f.markers.iter().map(|m| (*m).to_owned()))
                    .chain(cat.entries().iter().map(|e| e.code.to_string()))
                    .chain(registry::codes().iter().map(|c| c.code.to_owned()))
                    .collect();
                (Extractor::new(&cat), Extractor::without_teddy(&cat), words)
            });
            let mut text = String::new();
            for (w, cut, noise) in &pieces {
                let word = &words[w % words.len()];
                let cut = cut % (word.len() + 1);
                text.push_str(if w % 3 == 0 { &word[cut..] } else if w % 3 == 1 { &word[..word.len() - cut] } else { word });
                text.push_str(noise);
            }
            let a: Vec<(Option<String>, String, u64)> = fast.scan_str(&text).found.into_iter().map(|f| (f.service, f.code, f.count)).collect();
            let b: Vec<(Option<String>, String, u64)> = full.scan_str(&text).found.into_iter().map(|f| (f.service, f.code, f.count)).collect();
            proptest::prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn distinctive_codes() {
        assert!(distinctive("InvalidAMIID.NotFound", 1));
        assert!(distinctive("ConditionalCheckFailedException", 1));
        assert!(!distinctive("ResourceNotFoundException", 299));
        assert!(!distinctive("AccessDenied", 3));
        assert!(!distinctive("Blocked", 1));
        assert!(!distinctive("throttlingException", 1));
    }
}
