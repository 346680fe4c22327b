//! What a scan found: one [`Found`] per (service, code), each with its first sightings, and the
//! bounds that keep memory flat whatever the input: at most [`MAX_CODES`] codes, at most
//! [`MAX_OCCURRENCES`] sightings kept per code and [`MAX_KEPT_BYTES`] of sightings (text and records) in all.
//! Everything beyond is counted, never dropped silently: codes past [`MAX_CODES`] in a small
//! fixed-size sketch of distinct codes ([`Report::dropped_codes`]), sightings past the byte
//! bound one by one ([`Report::dropped_sightings`]).

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use serde::Serialize;

/// Where and with what context a code was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The file the code was seen in, when several inputs were scanned (or one named file, for
    /// output that needs it: JSON and GitHub annotations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line number of the code.
    pub line: u64,
    /// The API operation named in the error (`RunInstances`).
    pub operation: Option<String>,
    /// The request id named in the error.
    pub request_id: Option<String>,
    /// The HTTP status named in the error.
    pub http_status: Option<u16>,
    /// Resources named in the error: EC2-style ids (`i-...`, `sg-...`), ARNs, `s3://` URIs and
    /// bucket names, in order, without repeats.
    pub resource_ids: Vec<String>,
    /// The error's message, with control characters removed.
    pub message: Option<String>,
    /// An encoded authorization failure message, joined when it was wrapped over lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_message: Option<String>,
    /// Terraform's address of the resource being changed (`aws_instance.web[0]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform_address: Option<String>,
    /// Where in the configuration, as Terraform says it (`main.tf line 12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_location: Option<String>,
    /// For a code the text did not print: what it was inferred from (the message pattern).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Occurrence {
    /// The facts of this sighting in reading order (operation, status, request id, resources,
    /// message), with `literal` wrapping ids and names (Markdown backticks, or nothing).
    pub fn facts(&self, literal: impl Fn(&str) -> String) -> Vec<String> {
        let mut facts = Vec::new();
        if let Some(op) = &self.operation {
            facts.push(format!("operation {}", literal(op)));
        }
        if let Some(status) = self.http_status {
            facts.push(format!("HTTP {status}"));
        }
        if let Some(id) = &self.request_id {
            facts.push(format!("request id {}", literal(id)));
        }
        if !self.resource_ids.is_empty() {
            let ids: Vec<String> = self.resource_ids.iter().map(|r| literal(r)).collect();
            facts.push(format!("resources {}", ids.join(", ")));
        }
        if let Some(a) = &self.terraform_address {
            facts.push(format!("resource {}", literal(a)));
        }
        if let Some(l) = &self.source_location {
            facts.push(l.clone());
        }
        if let Some(e) = &self.evidence {
            facts.push(format!("inferred from {}", literal(e)));
        }
        if let Some(m) = &self.message {
            facts.push(format!("“{m}”"));
        }
        facts
    }

    /// The bytes this sighting keeps (what the memory bound counts): its text, the record
    /// itself, and what the allocator spends on each string (about 32 bytes): on text where
    /// every line is an error, the records outweigh their short text.
    pub fn weight(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, |s| s.len() + 32);
        std::mem::size_of::<Occurrence>()
            + opt(&self.file)
            + opt(&self.operation)
            + opt(&self.request_id)
            + opt(&self.message)
            + opt(&self.encoded_message)
            + opt(&self.terraform_address)
            + opt(&self.source_location)
            + opt(&self.evidence)
            + self
                .resource_ids
                .iter()
                .map(|r| r.len() + 24 + 32)
                .sum::<usize>()
    }
}

/// What a new finding is, beyond its key: whether the catalog knows the code, whether it is a
/// handler classification, and the services it may come from when the text does not say.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    pub known: bool,
    pub handler: bool,
    pub candidates: Vec<String>,
    pub candidate_count: usize,
}

impl Shape {
    /// The shape of an existing finding.
    fn of(f: &Found) -> Shape {
        Shape {
            known: f.known,
            handler: f.handler,
            candidates: f.candidates.clone(),
            candidate_count: f.candidate_count,
        }
    }
}

/// Every sighting of one code in one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The catalog spelling when known, else the code as seen (without `Client.`/`Server.`).
    pub code: String,
    /// The service the text says it came from; `None` when it does not say (or is ambiguous).
    pub service: Option<String>,
    /// Services the code may come from, when the text does not say which: at most
    /// [`CANDIDATES`](super::service::CANDIDATES) of them, those with a written entry first.
    pub candidates: Vec<String>,
    /// How many services the code may come from in all (`candidates` names the first ones);
    /// 0 when the text says which.
    pub candidate_count: usize,
    /// Whether the catalog knows the code.
    pub known: bool,
    /// The text printed no code; it was inferred from the message (see each sighting's
    /// evidence).
    pub inferred: bool,
    /// A CloudFormation resource handler's classification (`HandlerErrorCode`), not a service's
    /// own code.
    pub handler: bool,
    /// How many times it was seen.
    pub count: u64,
    /// The first sightings, in order (see [`MAX_OCCURRENCES`] and [`MAX_KEPT_BYTES`]).
    pub occurrences: Vec<Occurrence>,
}

/// Sightings kept per code (all are counted).
pub const MAX_OCCURRENCES: usize = 100;
/// Distinct codes kept (later new codes are counted in [`Report::dropped_codes`]).
pub const MAX_CODES: usize = 1000;
/// Bytes of sightings (their text and records, see [`Occurrence::weight`]) kept in all; later sightings are counted in
/// [`Report::dropped_sightings`].
pub const MAX_KEPT_BYTES: usize = 4 * 1024 * 1024;
/// Distinct dropped codes counted exactly; beyond, [`Report::dropped_codes`] is an estimate.
pub const DROPPED_EXACT: usize = 4096;

/// Counts distinct values in fixed memory (a "k minimum values" sketch): it keeps the
/// [`DROPPED_EXACT`] smallest 64-bit hashes seen. Below that many values the count is exact
/// (barring a 64-bit hash collision); above, the k-th smallest hash says how densely the hash
/// space is filled, which estimates the count within about 1/sqrt(k) (under 2%). Two sketches
/// merge by keeping the smallest hashes of both, so blocks and files count each code once.
#[derive(Debug, Clone, Default)]
struct Distinct {
    smallest: BTreeSet<u64>,
}

impl Distinct {
    fn hash(key: &Key) -> u64 {
        // Fixed keys (the same in every block of a run), and spread evenly, which the estimate
        // needs.
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        h.finish()
    }

    fn insert(&mut self, hash: u64) {
        if self.smallest.len() < DROPPED_EXACT {
            self.smallest.insert(hash);
        } else if self.smallest.last().is_some_and(|&max| hash < max) && self.smallest.insert(hash)
        {
            self.smallest.pop_last();
        }
    }

    fn exact(&self) -> bool {
        self.smallest.len() < DROPPED_EXACT
    }

    fn count(&self) -> u64 {
        match self.smallest.last() {
            Some(&max) if !self.exact() => {
                // (k - 1) values fall below the k-th smallest of n uniform hashes, at about
                // k/n of the way through the space.
                let fraction = (max as f64 + 1.0) / (u64::MAX as f64 + 1.0);
                ((DROPPED_EXACT - 1) as f64 / fraction).round() as u64
            }
            _ => self.smallest.len() as u64,
        }
    }
}

/// The identity of a finding: service (or none) and code, and how it was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub service: Option<String>,
    pub code: String,
    pub inferred: bool,
}

/// Everything found so far, codes in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per (service, code).
    pub found: Vec<Found>,
    /// Distinct codes (one per service and code, like [`Report::found`]) not kept because
    /// [`MAX_CODES`] was reached; their sightings are not counted anywhere else. Exact up to
    /// [`DROPPED_EXACT`] codes, an estimate (within a few percent) beyond: see
    /// [`Report::dropped_codes_exact`].
    pub dropped_codes: u64,
    /// Sightings counted but not kept because [`MAX_KEPT_BYTES`] was reached.
    pub dropped_sightings: u64,
    /// The codes behind [`Report::dropped_codes`].
    dropped: Distinct,
    kept_bytes: usize,
    index: HashMap<Key, usize, super::BuildFx>,
    /// The last key looked up and its finding: errors repeat, so most lookups hit it.
    last: Option<(Key, usize)>,
    /// For the report of one block of a larger input: what the whole input's report already
    /// has enough of, so the block does not read context that would be thrown away.
    enough: Option<std::sync::Arc<Enough>>,
}

/// What a report has enough of: keys with [`MAX_OCCURRENCES`] sightings kept, and whether
/// [`MAX_KEPT_BYTES`] was reached.
#[derive(Debug, Clone, Default)]
pub(crate) struct Enough {
    keys: std::collections::HashSet<Key, super::BuildFx>,
    bytes: bool,
    codes: bool,
}

impl Report {
    /// What this report has enough of (see [`Report::with_enough`]).
    pub(crate) fn enough(&self) -> Enough {
        Enough {
            keys: self
                .index
                .iter()
                .filter(|&(_, &i)| self.found[i].occurrences.len() >= MAX_OCCURRENCES)
                .map(|(k, _)| k.clone())
                .collect(),
            bytes: self.kept_bytes >= MAX_KEPT_BYTES,
            codes: self.found.len() >= MAX_CODES,
        }
    }

    /// Whether [`Report::dropped_codes`] is an exact count (it is an estimate beyond
    /// [`DROPPED_EXACT`] codes).
    pub fn dropped_codes_exact(&self) -> bool {
        self.dropped.exact()
    }

    /// Counts a code not kept because [`MAX_CODES`] was reached (once, however often seen).
    fn drop_code(&mut self, key: &Key) {
        self.dropped.insert(Distinct::hash(key));
        self.dropped_codes = self.dropped.count();
    }

    /// An empty report for one block of an input whose report so far has `enough`.
    pub(crate) fn with_enough(enough: std::sync::Arc<Enough>) -> Report {
        Report {
            enough: Some(enough),
            ..Report::default()
        }
    }

    /// Adds another report's findings (from another input) to this one, tagging its
    /// occurrences with `file`.
    pub fn absorb(&mut self, other: Report, file: Option<&str>) {
        self.merge(other, Some(file));
    }

    /// Adds the report of the next block of the same input.
    pub(crate) fn absorb_block(&mut self, other: Report) {
        self.merge(other, None);
    }

    /// Adds another report's findings, tagging its occurrences with `file` when given.
    fn merge(&mut self, other: Report, file: Option<Option<&str>>) {
        for f in other.found {
            let key = Key {
                service: f.service.clone(),
                code: f.code.clone(),
                inferred: f.inferred,
            };
            let extra = f.count.saturating_sub(f.occurrences.len() as u64);
            if f.occurrences.is_empty() && !self.index.contains_key(&key) {
                // Counted but not kept in the other report: counted here too.
                if self.found.len() >= MAX_CODES {
                    self.drop_code(&key);
                    continue;
                }
                self.index.insert(key, self.found.len());
                self.found.push(f);
                continue;
            }
            // The first sighting brings the finding's shape.
            let mut shape = Some(Shape::of(&f));
            for mut occ in f.occurrences {
                if let Some(file) = file {
                    occ.file = file.map(str::to_owned);
                }
                self.add_with(key.clone(), shape.take(), occ);
            }
            if let Some(&i) = self.index.get(&key) {
                self.found[i].count += extra;
            }
        }
        if !other.dropped.smallest.is_empty() {
            // A code the other report dropped but this one lists is not dropped.
            let listed: std::collections::HashSet<u64, super::BuildFx> =
                self.index.keys().map(Distinct::hash).collect();
            for &h in &other.dropped.smallest {
                if !listed.contains(&h) {
                    self.dropped.insert(h);
                }
            }
            self.dropped_codes = self.dropped.count();
        }
        self.dropped_sightings += other.dropped_sightings;
    }

    /// The finding of a key, if there is one.
    fn position(&self, key: &Key) -> Option<usize> {
        match &self.last {
            Some((k, i)) if k == key => Some(*i),
            _ => self.index.get(key).copied(),
        }
    }

    /// Whether a sighting of this key would be kept (so its context is worth reading).
    pub(crate) fn wants(&self, key: &Key) -> bool {
        if let Some(e) = &self.enough
            && (e.bytes || e.keys.contains(key) || e.codes && self.position(key).is_none())
        {
            return false;
        }
        self.kept_bytes < MAX_KEPT_BYTES
            && match self.position(key) {
                Some(i) => self.found[i].occurrences.len() < MAX_OCCURRENCES,
                None => self.found.len() < MAX_CODES,
            }
    }

    /// Counts a sighting without keeping it (its context was not read). `shape` describes a new
    /// finding.
    pub(crate) fn count(&mut self, key: &Key, shape: impl FnOnce() -> Shape) {
        let full =
            self.kept_bytes >= MAX_KEPT_BYTES || self.enough.as_ref().is_some_and(|e| e.bytes);
        match self.position(key) {
            Some(i) => {
                self.found[i].count += 1;
                if self.last.as_ref().is_none_or(|(k, _)| k != key) {
                    self.last = Some((key.clone(), i));
                }
            }
            None if self.found.len() >= MAX_CODES => {
                self.drop_code(key);
                return;
            }
            None => {
                // A new code after the byte bound (or, in a block, one the whole input already
                // has enough of): counted, with no sighting kept.
                let Shape {
                    known,
                    handler,
                    candidates,
                    candidate_count,
                } = shape();
                self.index.insert(key.clone(), self.found.len());
                self.found.push(Found {
                    code: key.code.clone(),
                    service: key.service.clone(),
                    candidates,
                    candidate_count,
                    known,
                    inferred: key.inferred,
                    handler,
                    count: 1,
                    occurrences: Vec::new(),
                });
            }
        }
        if full {
            self.dropped_sightings += 1;
        }
    }

    /// Adds a sighting. `shape` describes a new finding.
    pub(crate) fn add_with(&mut self, key: Key, shape: Option<Shape>, occ: Occurrence) {
        if let Some(&i) = self.index.get(&key) {
            let f = &mut self.found[i];
            f.count += 1;
            if f.occurrences.len() < MAX_OCCURRENCES && self.kept_bytes < MAX_KEPT_BYTES {
                self.kept_bytes += occ.weight();
                f.occurrences.push(occ);
            } else if self.kept_bytes >= MAX_KEPT_BYTES {
                self.dropped_sightings += 1;
            }
            return;
        }
        if self.found.len() >= MAX_CODES {
            self.drop_code(&key);
            return;
        }
        let Shape {
            known,
            handler,
            candidates,
            candidate_count,
        } = shape.unwrap_or_default();
        self.index.insert(key.clone(), self.found.len());
        let keep = self.kept_bytes < MAX_KEPT_BYTES;
        if keep {
            self.kept_bytes += occ.weight();
        } else {
            self.dropped_sightings += 1;
        }
        self.found.push(Found {
            code: key.code,
            service: key.service,
            candidates,
            candidate_count,
            known,
            inferred: key.inferred,
            handler,
            count: 1,
            occurrences: if keep { vec![occ] } else { Vec::new() },
        });
    }

    /// The bytes of sighting text kept so far.
    pub fn kept_bytes(&self) -> usize {
        self.kept_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str) -> Key {
        Key {
            service: None,
            code: code.to_owned(),
            inferred: false,
        }
    }

    #[test]
    fn memory_is_bounded_by_count_and_bytes() {
        let mut r = Report::default();
        let big = Occurrence {
            message: Some("x".repeat(300)),
            encoded_message: Some("y".repeat(8000)),
            ..Occurrence::default()
        };
        for i in 0..3000u64 {
            let k = key(&format!("Zz{}Failure", i % 1500));
            if r.wants(&k) {
                r.add_with(k, Some(Shape::default()), big.clone());
            } else {
                r.count(&k, Shape::default);
            }
        }
        assert_eq!(r.found.len(), MAX_CODES);
        assert_eq!(
            r.dropped_codes, 500,
            "codes 1000..1500, each once though seen twice"
        );
        assert!(r.dropped_codes_exact());
        assert!(r.kept_bytes() <= MAX_KEPT_BYTES + big.weight());
        assert!(r.dropped_sightings > 0);
        let counted: u64 = r.found.iter().map(|f| f.count).sum();
        assert_eq!(counted, 2000, "codes 0..1000, twice each");
    }

    /// A report that is full (codes `{prefix}0` ...), so every new code is dropped.
    fn full(prefix: &str) -> Report {
        let mut r = Report::default();
        for i in 0..MAX_CODES {
            r.add_with(key(&format!("{prefix}{i}")), None, Occurrence::default());
        }
        r
    }

    #[test]
    fn dropped_codes_are_counted_once_each_in_fixed_memory() {
        let mut r = full("Kept");
        for round in 0..3 {
            for i in 0..100 {
                r.count(&key(&format!("Dropped{i}")), Shape::default);
            }
            assert_eq!(r.dropped_codes, 100, "round {round}");
        }
        // Far more codes than the sketch holds: an estimate, in fixed memory.
        let n = 200_000u64;
        for i in 0..n {
            r.count(&key(&format!("Many{i}")), Shape::default);
        }
        assert!(!r.dropped_codes_exact());
        assert!(r.dropped.smallest.len() <= DROPPED_EXACT);
        let err = (r.dropped_codes as f64 - (n + 100) as f64).abs() / (n + 100) as f64;
        assert!(err < 0.06, "{} for {}", r.dropped_codes, n + 100);
    }

    #[test]
    fn merging_counts_a_code_dropped_in_two_reports_once() {
        let mut a = full("Kept");
        let mut b = full("Other");
        for i in 0..10 {
            a.count(&key(&format!("Dropped{i}")), Shape::default);
            b.count(&key(&format!("Dropped{}", i + 5)), Shape::default);
        }
        // A code `b` dropped that `a` lists stays listed, not dropped.
        b.count(&key("Kept7"), Shape::default);
        assert_eq!((a.dropped_codes, b.dropped_codes), (10, 11));
        a.absorb_block(b);
        assert_eq!(
            a.dropped_codes, 1015,
            "Dropped0..15 and b's 1000 listed codes, but not Kept7, which `a` lists"
        );
    }
}
