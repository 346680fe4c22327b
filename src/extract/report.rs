//! What a scan found: one [`Found`] per (service, code), each with its first sightings, and the
//! bounds that keep memory flat whatever the input: at most [`MAX_CODES`] codes, at most
//! [`MAX_OCCURRENCES`] sightings kept per code and [`MAX_KEPT_BYTES`] of sighting text in all.
//! Everything beyond is counted, never dropped silently.

use std::collections::HashMap;

use serde::Serialize;

/// Where and with what context a code was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The input the code was seen in, when several were scanned.
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

    /// The bytes of text this sighting keeps (what the memory bound counts).
    pub fn weight(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        64 + opt(&self.file)
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
                .map(|r| r.len() + 24)
                .sum::<usize>()
    }
}

/// Every sighting of one code in one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The catalog spelling when known, else the code as seen (without `Client.`/`Server.`).
    pub code: String,
    /// The service the text says it came from; `None` when it does not say (or is ambiguous).
    pub service: Option<String>,
    /// Services the code may come from, when the text does not say which.
    pub candidates: Vec<String>,
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
/// Bytes of sighting text kept in all; later sightings are counted in
/// [`Report::dropped_sightings`].
pub const MAX_KEPT_BYTES: usize = 8 * 1024 * 1024;

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
    /// Distinct codes not kept because [`MAX_CODES`] was reached (their sightings are not
    /// counted anywhere else).
    pub dropped_codes: u64,
    /// Sightings counted but not kept because [`MAX_KEPT_BYTES`] was reached.
    pub dropped_sightings: u64,
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
            let mut first = true;
            if f.occurrences.is_empty() && !self.index.contains_key(&key) {
                // Counted but not kept in the other report: counted here too.
                if self.found.len() >= MAX_CODES {
                    self.dropped_codes += f.count;
                    continue;
                }
                self.index.insert(key, self.found.len());
                self.found.push(f);
                continue;
            }
            for mut occ in f.occurrences {
                if let Some(file) = file {
                    occ.file = file.map(str::to_owned);
                }
                let shape = first.then(|| (f.known, f.handler, f.candidates.clone()));
                first = false;
                self.add_with(key.clone(), shape, occ);
            }
            match self.index.get(&key) {
                Some(&i) => self.found[i].count += extra,
                None => self.dropped_codes += extra,
            }
        }
        self.dropped_codes += other.dropped_codes;
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

    /// Counts a sighting without keeping it (its context was not read). `shape` (known,
    /// handler, candidates) describes a new finding.
    pub(crate) fn count(&mut self, key: &Key, shape: impl FnOnce() -> (bool, bool, Vec<String>)) {
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
                self.dropped_codes += 1;
                return;
            }
            None => {
                // A new code after the byte bound (or, in a block, one the whole input already
                // has enough of): counted, with no sighting kept.
                let (known, handler, candidates) = shape();
                self.index.insert(key.clone(), self.found.len());
                self.found.push(Found {
                    code: key.code.clone(),
                    service: key.service.clone(),
                    candidates,
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

    /// Adds a sighting. `shape` (known, handler, candidates) describes a new finding.
    pub(crate) fn add_with(
        &mut self,
        key: Key,
        shape: Option<(bool, bool, Vec<String>)>,
        occ: Occurrence,
    ) {
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
            self.dropped_codes += 1;
            return;
        }
        let (known, handler, candidates) = shape.unwrap_or((false, false, Vec::new()));
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
                r.add_with(k, Some((false, false, Vec::new())), big.clone());
            } else {
                r.count(&k, || (false, false, Vec::new()));
            }
        }
        assert_eq!(r.found.len(), MAX_CODES);
        assert_eq!(r.dropped_codes, 1000, "codes 1000..1500, twice each");
        assert!(r.kept_bytes() <= MAX_KEPT_BYTES + big.weight());
        assert!(r.dropped_sightings > 0);
        let counted: u64 = r.found.iter().map(|f| f.count).sum();
        assert_eq!(counted + r.dropped_codes, 3000);
    }
}
