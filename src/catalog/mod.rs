//! The catalog of error codes: the built-in entries compiled from `kb/`, user catalogs layered
//! over them, and lookup by code.
//!
//! This is the leaf of the crate: it knows nothing of output formats, terminals or text
//! scanning. Shared wording about the closed sets (how a retry class reads to a person) lives
//! on the types in [`model`], so every front end says the same thing.

mod family;
pub mod messages;
mod model;
mod parse;
pub mod registry;
pub mod user;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

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
    /// Where each code is, built on first use: lookups run once per registry code, and a team
    /// catalog may hold 100,000 entries.
    index: OnceLock<Index>,
    /// Every code prepared for suggestions, built the first time one is asked for.
    candidates: OnceLock<Candidates>,
    /// Lookups made without the index (see [`Catalog::index_if_worth_it`]).
    scans: Scans,
}

/// A count shared by the threads that read a catalog; a clone starts from the same count.
#[derive(Debug, Default)]
struct Scans(std::sync::atomic::AtomicU32);

impl Clone for Scans {
    fn clone(&self) -> Self {
        Scans(std::sync::atomic::AtomicU32::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

/// Positions of entries by service and code, and by code ignoring case.
#[derive(Debug, Clone, Default)]
struct Index {
    exact: HashMap<String, HashMap<String, usize>>,
    folded: HashMap<String, Vec<usize>>,
}

impl Index {
    fn of(entries: &[Entry]) -> Index {
        let mut index = Index::default();
        for (i, e) in entries.iter().enumerate() {
            // The first of two same entries wins, as a search from the front would find it.
            match index.exact.get_mut(&*e.service) {
                Some(codes) => {
                    codes.entry(e.code.to_string()).or_insert(i);
                }
                None => {
                    index.exact.insert(
                        e.service.to_string(),
                        HashMap::from([(e.code.to_string(), i)]),
                    );
                }
            }
            index
                .folded
                .entry(e.code.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        index
    }
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
            index: OnceLock::new(),
            candidates: OnceLock::new(),
            scans: Scans::default(),
        }
    }

    /// A catalog of exactly these entries (tests and benchmarks build synthetic ones).
    pub fn from_entries(entries: Vec<Entry>) -> Catalog {
        Catalog {
            entries: Cow::Owned(entries),
            index: OnceLock::new(),
            candidates: OnceLock::new(),
            scans: Scans::default(),
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
                index: OnceLock::new(),
                candidates: OnceLock::new(),
                scans: Scans::default(),
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

    /// The written entry of this service with exactly this code.
    pub fn entry(&self, service: &str, code: &str) -> Option<&Entry> {
        let Some(index) = self.index_if_worth_it() else {
            return self
                .entries
                .iter()
                .find(|e| *e.service == *service && *e.code == *code);
        };
        let i = *index.exact.get(service)?.get(code)?;
        Some(&self.entries[i])
    }

    /// The written entries of this code in any service, ignoring case, in catalog order.
    fn entries_named(&self, code: &str) -> Box<dyn Iterator<Item = &Entry> + '_> {
        let Some(index) = self.index_if_worth_it() else {
            let code = code.to_owned();
            return Box::new(
                self.entries
                    .iter()
                    .filter(move |e| e.code.eq_ignore_ascii_case(&code)),
            );
        };
        Box::new(
            index
                .folded
                .get(&code.to_ascii_lowercase())
                .into_iter()
                .flatten()
                .map(|&i| &self.entries[i]),
        )
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(&self.entries))
    }

    /// The index once enough lookups were made to pay for it. `errex CODE` makes a handful:
    /// scanning the built-in entries for each is cheaper than building the index (hashing
    /// every code), which was a tenth of a lookup's whole run. A large catalog, or the
    /// thousands of lookups of `list`, get the index.
    fn index_if_worth_it(&self) -> Option<&Index> {
        if let Some(index) = self.index.get() {
            return Some(index);
        }
        let scans = self
            .scans
            .0
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (self.entries.len() > 2048 || scans >= 64).then(|| self.index())
    }

    /// Everything errex knows about this code (exact spelling) in this service: its written
    /// entry, the cross-service entry, the registry's row. `None` when it knows none of them.
    pub fn known<'a>(&'a self, service: &'a str, code: &'a str) -> Option<Known<'a>> {
        let k = Known {
            service,
            code,
            entry: self.entry(service, code),
            cross: (service != CROSS_SERVICE)
                .then(|| self.entry(CROSS_SERVICE, code))
                .flatten(),
            registry: registry::find(service, code),
        };
        (k.entry.is_some() || k.cross.is_some() || k.registry.is_some()).then_some(k)
    }

    /// What errex knows about the code a dotted sub-code refines, when `code` itself is not
    /// known in `service`: EC2 returns some codes with a detail no model lists
    /// (`AuthFailure.ServiceLinkedRoleCreationNotPermitted`), and the longest known code before
    /// one of its dots (`AuthFailure`) explains it.
    pub fn refined<'a>(&'a self, service: &'a str, code: &str) -> Option<Known<'a>> {
        let known = self.entry(service, code).is_some()
            || self.entry(CROSS_SERVICE, code).is_some()
            || registry::find(service, code).is_some();
        if known {
            return None;
        }
        code.rmatch_indices('.').find_map(|(i, _)| {
            let prefix = &code[..i];
            let own = self
                .entry(service, prefix)
                .or_else(|| self.entry(CROSS_SERVICE, prefix))
                .map(|e| &*e.code)
                .or_else(|| registry::find(service, prefix).map(|r| r.code))?;
            self.known(service, own)
        })
    }

    /// The services that have this code (exact spelling), written or in the registry, cross
    /// service first.
    pub fn services_of(&self, code: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .entries_named(code)
            .filter(|e| e.code == code)
            .map(|e| &*e.service)
            .chain(
                registry::named(code)
                    .iter()
                    .filter(|r| r.code == code)
                    .map(|r| r.service().id),
            )
            .collect();
        out.sort_by_key(|s| (*s != CROSS_SERVICE, *s));
        out.dedup();
        out
    }

    /// Everything known under a code as typed: case-insensitive, with `Client.`/`Server.`,
    /// quotes and punctuation around it dropped, and an optional `service:` in front
    /// (`s3:AccessDenied`; the service by id or serviceId, ignoring case). Exact spellings
    /// first, then written entries, then the cross-service entry, then codes the registry
    /// alone knows, each group by service.
    pub fn lookup<'a>(&'a self, query: &str) -> Vec<Known<'a>> {
        let (service, wanted) = split_query(query);
        let service = service.map(|s| self.service_id(s).unwrap_or(s).to_owned());
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut pairs: Vec<(&'a str, &'a str)> = self
            .entries_named(wanted)
            .map(|e| (&*e.service, &*e.code))
            .chain(
                registry::named(wanted)
                    .iter()
                    .map(|r| (r.service().id, r.code)),
            )
            .filter(|(s, _)| service.as_deref().is_none_or(|want| *s == want))
            .collect();
        if pairs.is_empty() {
            return self.named_otherwise(wanted, service.as_deref());
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut found: Vec<Known<'a>> = pairs
            .into_iter()
            .filter_map(|(s, c)| self.known(s, c))
            .collect();
        // Handler classifications (a pseudo-service) after the services' own codes; among
        // written entries, the codes people meet most first.
        found.sort_by_key(|k| {
            (
                k.code != wanted,
                k.kind(),
                k.service != CROSS_SERVICE,
                k.service == "cloudformation-handler",
                std::cmp::Reverse(k.entry.map_or(0, |e| e.weight)),
                k.service,
            )
        });
        found
    }

    /// The codes (of `service`, if given) that `name` is another name of: a model's shape name,
    /// a legacy spelling, or the Go SDK v2's name for S3's bodiless errors (`Forbidden` for
    /// `403`). For names no code has; it reads every registry row.
    pub fn named_otherwise<'a>(&'a self, name: &str, service: Option<&str>) -> Vec<Known<'a>> {
        let mut pairs: Vec<(&str, &str)> = registry::codes()
            .iter()
            .filter(|r| service.is_none_or(|s| r.service().id == s))
            .filter(|r| r.shape_names().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|r| (r.service().id, r.code))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
            .into_iter()
            .filter_map(|(s, c)| self.known(s, c))
            .collect()
    }

    /// The id errex uses for a service named by id, serviceId or endpoint name, ignoring case;
    /// or the service of a team catalog.
    pub fn service_id<'a>(&'a self, name: &str) -> Option<&'a str> {
        registry::service(name).map(|s| s.id).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.service.eq_ignore_ascii_case(name))
                .map(|e| &*e.service)
        })
    }

    /// The codes closest to an unknown `query`, best first: small edit distances, then codes
    /// that contain the query. At most `limit`. Codes of `service` come first when given. The
    /// cost is bounded: a code longer than any real one is not compared at all, and only codes
    /// whose length and letters could be close enough are compared letter by letter, so
    /// thousands of unknown codes cost little each.
    pub fn suggest(&self, query: &str, service: Option<&str>, limit: usize) -> Vec<String> {
        self.suggest_counted(query, service, limit).0
    }

    /// [`Catalog::suggest`], and how many edit distances it computed.
    fn suggest_counted(
        &self,
        query: &str,
        service: Option<&str>,
        limit: usize,
    ) -> (Vec<String>, usize) {
        let wanted = normalize(query).to_ascii_lowercase();
        if wanted.is_empty() || wanted.len() > MAX_CODE_LEN {
            return (Vec::new(), 0);
        }
        let pool = self
            .candidates
            .get_or_init(|| Candidates::of(self.entries()));
        let budget = (wanted.chars().count() / 3).clamp(1, 6);
        let bag = letters(&wanted);
        let mut scored: Vec<(usize, usize)> = Vec::new();
        let mut computed = 0;
        // Close in length, then close in letters (a lower bound of the distance), then the
        // distance itself.
        let from = pool
            .codes
            .partition_point(|c| c.lower.len() + budget < wanted.len());
        for (k, c) in pool.codes.iter().enumerate().skip(from) {
            if c.lower.len() > wanted.len() + budget {
                break;
            }
            if bag_distance(&bag, &c.letters) <= budget {
                computed += 1;
                if let Some(d) = bounded_edit_distance(&wanted, &c.lower, budget) {
                    scored.push((d, k));
                }
            }
        }
        // Codes that contain the query, found in one pass over all of them.
        if wanted.len() >= 4 && !wanted.contains('\n') {
            for at in memchr::memmem::find_iter(pool.joined.as_bytes(), wanted.as_bytes()) {
                let k = pool.starts.partition_point(|&s| s <= at) - 1;
                let len = pool.codes[k].lower.len();
                scored.push((budget + 1 + len - wanted.len(), k));
            }
        }
        let mut ranked: Vec<(bool, usize, &str)> = scored
            .into_iter()
            .map(|(d, k)| {
                let code = pool.codes[k].code.as_str();
                let other_service = service.is_some_and(|s| {
                    !self
                        .services_of(code)
                        .iter()
                        .any(|svc| *svc == s || *svc == CROSS_SERVICE)
                });
                (other_service, d, code)
            })
            .collect();
        ranked.sort_unstable();
        let mut out: Vec<String> = Vec::new();
        for (_, _, code) in ranked {
            if out.len() == limit {
                break;
            }
            if !out.iter().any(|c| c == code) && !code.eq_ignore_ascii_case(&wanted) {
                out.push(code.to_owned());
            }
        }
        (out, computed)
    }
}

/// Every distinct code (written or in the registry), prepared for suggestions once.
#[derive(Debug, Clone)]
struct Candidates {
    /// Sorted by length, so the ones close in length are a slice.
    codes: Vec<Candidate>,
    /// Every lower-case code, each followed by a newline, in the order of `codes`.
    joined: String,
    /// Where each code starts in `joined`.
    starts: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Candidate {
    code: String,
    lower: String,
    letters: Letters,
}

impl Candidates {
    fn of(entries: &[Entry]) -> Candidates {
        let mut codes: Vec<&str> = entries
            .iter()
            .map(|e| &*e.code)
            .chain(registry::codes().iter().map(|r| r.code))
            .collect();
        codes.sort_unstable_by_key(|c| (c.len(), *c));
        codes.dedup();
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(codes.len());
        let codes: Vec<Candidate> = codes
            .into_iter()
            .map(|code| {
                let lower = code.to_ascii_lowercase();
                starts.push(joined.len());
                joined.push_str(&lower);
                joined.push('\n');
                Candidate {
                    code: code.to_owned(),
                    letters: letters(&lower),
                    lower,
                }
            })
            .collect();
        Candidates {
            codes,
            joined,
            starts,
        }
    }
}

/// How many of each letter, digit and other character a lower-case code has.
type Letters = [u8; 37];

fn letters(lower: &str) -> Letters {
    let mut bag = [0u8; 37];
    for b in lower.bytes() {
        let i = match b {
            b'a'..=b'z' => usize::from(b - b'a'),
            b'0'..=b'9' => 26 + usize::from(b - b'0'),
            _ => 36,
        };
        bag[i] = bag[i].saturating_add(1);
    }
    bag
}

/// A lower bound of the edit distance: every edit changes the letters by at most one on each
/// side, and a transposition not at all.
fn bag_distance(a: &Letters, b: &Letters) -> usize {
    let (mut more, mut fewer) = (0, 0);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// One line of `list`, `search` and the UI's list: a written entry, or a code only the
/// registry knows (in one service, or gathered over the services that return it).
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The code.
    pub code: &'a str,
    /// The service (`aws` for the cross-service meaning); `None` for a registry code gathered
    /// over several services.
    pub service: Option<&'a str>,
    /// How errex knows it.
    pub kind: Kind,
    /// The written entry, for written items.
    pub entry: Option<&'a Entry>,
    /// The cross-service entry that explains a [`Kind::CrossService`] item (one service
    /// without an entry of its own, as `list` shows it).
    pub cross: Option<&'a Entry>,
    /// The registry rows of the services the item stands for (for written items, the row of its
    /// own service if any; for a cross-service entry, every service without its own entry).
    pub rows: Vec<&'static registry::Code>,
}

impl Item<'_> {
    /// Whose fault.
    pub fn category(&self) -> Category {
        self.entry
            .map(|e| e.category)
            .or(self.rows.first().map(|r| r.fault))
            .unwrap_or(Category::Client)
    }

    /// The retry class, when known: the written one (the cross-service entry's for a service
    /// it explains, as a lookup gives), else what the SDKs' verdict says.
    pub fn retry(&self) -> Option<Retry> {
        self.entry
            .or(self.cross)
            .map(|e| e.retry)
            .or_else(|| self.rows.first().and_then(|r| r.sdk_retry.class()))
    }

    /// How often people meet it (registry codes count as rarely met).
    pub fn weight(&self) -> u8 {
        self.entry.map_or(1, |e| e.weight)
    }

    /// One line about it: the summary, or for registry codes what the registry says (and for a
    /// service the cross-service entry explains, that entry's summary).
    pub fn summary(&self) -> String {
        if let Some(e) = self.entry {
            return e.summary.to_string();
        }
        let services: Vec<&str> = self.rows.iter().map(|r| r.service().service_id).collect();
        let whose = match services.as_slice() {
            [one] => (*one).to_owned(),
            [a, b] => format!("{a}, {b}"),
            [a, b, rest @ ..] => format!("{a}, {b} and {} more services", rest.len()),
            [] => String::new(),
        };
        let status = self
            .rows
            .first()
            .and_then(|r| r.http_status)
            .filter(|s| self.rows.iter().all(|r| r.http_status == Some(*s)))
            .map(|s| format!(", HTTP {s}"))
            .unwrap_or_default();
        if let Some(cross) = self.cross {
            return format!("{whose}{status} (cross-service: {})", cross.summary);
        }
        let meaning = family_of(self.code)
            .map(|f| format!(": {}", f.short))
            .unwrap_or_default();
        format!("{whose}{status} (registry{meaning})")
    }
}

impl Catalog {
    /// Everything to browse and search: every written entry, and each code the registry alone
    /// knows, gathered over the services that return it (codes with a cross-service entry are
    /// listed once, under it). Sorted by code, ignoring case.
    pub fn items(&self) -> Vec<Item<'_>> {
        let mut items: Vec<Item<'_>> = self
            .entries()
            .iter()
            .map(|e| Item {
                code: &e.code,
                service: Some(&e.service),
                kind: Kind::Written,
                entry: Some(e),
                cross: None,
                rows: if e.service == CROSS_SERVICE {
                    registry::named(&e.code)
                        .iter()
                        .filter(|r| {
                            r.code == e.code && self.entry(r.service().id, r.code).is_none()
                        })
                        .collect()
                } else {
                    registry::find(&e.service, &e.code).into_iter().collect()
                },
            })
            .collect();
        let codes = registry::codes();
        let mut i = 0;
        while i < codes.len() {
            let code = codes[i].code;
            let mut j = i;
            while j < codes.len() && codes[j].code == code {
                j += 1;
            }
            if self.entry(CROSS_SERVICE, code).is_none() {
                let rows: Vec<&'static registry::Code> = codes[i..j]
                    .iter()
                    .filter(|r| self.entry(r.service().id, r.code).is_none())
                    .collect();
                if !rows.is_empty() {
                    items.push(Item {
                        code,
                        service: (rows.len() == 1).then(|| rows[0].service().id),
                        kind: Kind::Registry,
                        entry: None,
                        cross: None,
                        rows,
                    });
                }
            }
            i = j;
        }
        items.sort_by_cached_key(|i| (i.code.to_ascii_lowercase(), i.kind, i.service));
        items
    }
}

/// The longest code worth comparing letter by letter (the longest real one is well under it).
pub const MAX_CODE_LEN: usize = 128;

/// How errex knows a code in a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The service has a written entry for it (or it is the cross-service entry itself).
    Written,
    /// No written entry for the service; the cross-service entry explains it.
    CrossService,
    /// Only the registry's facts: service, status, fault, the SDKs' retry verdict.
    Registry,
}

impl Kind {
    /// The spelling used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Written => "written",
            Kind::CrossService => "cross-service",
            Kind::Registry => "registry",
        }
    }
}

/// Everything errex knows about one code in one service.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The service (`s3`, `ec2`, `aws` for the cross-service meaning, or a team's service).
    pub service: &'a str,
    /// The code, exactly as the service returns it.
    pub code: &'a str,
    /// The service's written entry.
    pub entry: Option<&'a Entry>,
    /// The cross-service entry of the same code.
    pub cross: Option<&'a Entry>,
    /// The registry's row.
    pub registry: Option<&'static registry::Code>,
}

impl<'a> Known<'a> {
    /// How errex knows the code.
    pub fn kind(&self) -> Kind {
        match (self.entry, self.cross) {
            (Some(_), _) => Kind::Written,
            (None, Some(_)) => Kind::CrossService,
            (None, None) => Kind::Registry,
        }
    }

    /// The written text that explains the code: the service's entry, else the cross-service one.
    pub fn explanation(&self) -> Option<&'a Entry> {
        self.entry.or(self.cross)
    }

    /// Whose fault: the written entry's category, else the registry's.
    pub fn category(&self) -> Category {
        self.entry
            .map(|e| e.category)
            .or(self.registry.map(|r| r.fault))
            .or(self.cross.map(|e| e.category))
            .unwrap_or(Category::Client)
    }

    /// The HTTP status: the service's entry, else the registry's row for this service, else the
    /// cross-service entry.
    pub fn http_status(&self) -> Option<u16> {
        self.entry
            .and_then(|e| e.http_status)
            .or(self.registry.and_then(|r| r.http_status))
            .or(self.cross.and_then(|e| e.http_status))
    }

    /// The retry class, when errex has one: the written one, else what the SDKs' verdict says.
    pub fn retry(&self) -> Option<Retry> {
        self.explanation()
            .map(|e| e.retry)
            .or(self.registry.and_then(|r| r.sdk_retry.class()))
    }

    /// The documentation link: the service's entry, else the registry's API reference link,
    /// else the cross-service entry's.
    pub fn docs(&self) -> Option<Cow<'a, str>> {
        self.entry
            .and_then(|e| e.docs.as_deref().map(Cow::Borrowed))
            .or_else(|| self.registry.and_then(|r| r.docs()).map(Cow::Owned))
            .or_else(|| {
                self.cross
                    .and_then(|e| e.docs.as_deref().map(Cow::Borrowed))
            })
    }

    /// The service as people name it (`S3`, `DynamoDB`), or its id when the registry does not
    /// know it.
    pub fn service_name(&self) -> &'a str {
        registry::service(self.service).map_or(self.service, |s| s.service_id)
    }

    /// What the code's shape says, for codes without a written entry.
    pub fn family(&self) -> Option<Family> {
        (self.kind() != Kind::Written)
            .then(|| family_of(self.code))
            .flatten()
    }
}

/// Splits `service:Code` (the code as typed is normalized).
pub fn split_query(query: &str) -> (Option<&str>, &str) {
    let q = query.trim();
    match q.split_once(':') {
        Some((service, code)) if is_valid_code(service) && !normalize(code).is_empty() => {
            (Some(service), normalize(code))
        }
        _ => (None, normalize(q)),
    }
}

/// Strips white space, quotes, punctuation around it (`(Code)`, `Code:`) and a `Client.` /
/// `Server.` prefix from a code as typed.
pub fn normalize(query: &str) -> &str {
    let q = query.trim_matches(|c: char| !c.is_ascii_alphanumeric());
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

/// The optimal-string-alignment distance when it is at most `budget`, else `None`; gives up as
/// soon as a whole row exceeds the budget, so a hopeless pair costs a few rows, not all.
pub fn bounded_edit_distance(a: &str, b: &str, budget: usize) -> Option<usize> {
    let a = a.as_bytes();
    let b = b.as_bytes();
    if a.len().abs_diff(b.len()) > budget {
        return None;
    }
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > budget {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= budget).then_some(prev[b.len()])
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
    fn lookups_agree_before_and_after_the_index_is_built() {
        let c = Catalog::builtin();
        let probes = [
            ("ec2", "InvalidVpcID.NotFound"),
            ("s3", "AccessDenied"),
            ("aws", "ThrottlingException"),
            ("ec2", "InvalidSubnetId.NotFound"),
            ("ec2", "NoSuchCode"),
        ];
        let names = ["accessdenied", "INVALIDSUBNETID.NOTFOUND", "nosuchcode"];
        let look = |c: &Catalog| {
            let exact: Vec<_> = probes
                .iter()
                .map(|(s, k)| {
                    c.entry(s, k)
                        .map(|e| (e.service.to_string(), e.code.to_string()))
                })
                .collect();
            let named: Vec<Vec<_>> = names
                .iter()
                .map(|k| {
                    c.entries_named(k)
                        .map(|e| (e.service.to_string(), e.code.to_string()))
                        .collect()
                })
                .collect();
            (exact, named)
        };
        let scanned = look(&c);
        assert!(c.index.get().is_none(), "a few lookups scan");
        let _ = c.index();
        assert_eq!(look(&c), scanned);
        assert!(
            scanned.1[0].len() > 1 && scanned.1[1].len() == 2,
            "{scanned:?}"
        );
    }

    #[test]
    fn normalize_strips_prefixes_quotes_and_space() {
        for (input, want) in [
            ("AuthFailure", "AuthFailure"),
            ("  Client.RequestLimitExceeded ", "RequestLimitExceeded"),
            ("server.InternalError", "InternalError"),
            ("'Blocked'", "Blocked"),
            ("Client.", "Client"),
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
        assert_eq!(hits.first().map(|e| e.code), Some("UnauthorizedOperation"));
        let hits = cat.lookup("Client.AuthFailure");
        assert_eq!(hits.first().map(|e| e.code), Some("AuthFailure"));
        assert!(cat.lookup("NoSuchCodeAtAll").is_empty());
    }

    #[test]
    fn case_pairs_are_separate_entries_and_exact_comes_first() {
        let cat = Catalog::builtin();
        let hits: Vec<&str> = cat
            .lookup("InvalidSubnetId.NotFound")
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            hits,
            ["InvalidSubnetId.NotFound", "InvalidSubnetID.NotFound"]
        );
        let hits: Vec<&str> = cat
            .lookup("InvalidSubnetID.NotFound")
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            hits,
            ["InvalidSubnetID.NotFound", "InvalidSubnetId.NotFound"]
        );
    }

    #[test]
    fn suggestions_find_typos_and_fragments() {
        let cat = Catalog::builtin();
        let s = cat.suggest("AuthFailur", None, 5);
        assert_eq!(s.first().map(String::as_str), Some("AuthFailure"));
        let s = cat.suggest("UnauthorizedOp", None, 5);
        assert!(s.iter().any(|c| c == "UnauthorizedOperation"), "{s:?}");
        assert!(cat.suggest("zzzzzzzzzzzzzzzzzz", None, 5).is_empty());
        // A long argument costs nothing: no code is that long.
        assert!(cat.suggest(&"x".repeat(200_000), None, 5).is_empty());
    }

    /// Suggestions as they were computed before they were bounded: every code compared.
    fn suggest_everything(cat: &Catalog, query: &str, service: Option<&str>) -> Vec<String> {
        let wanted = normalize(query).to_ascii_lowercase();
        if wanted.is_empty() || wanted.len() > MAX_CODE_LEN {
            return Vec::new();
        }
        let budget = (wanted.chars().count() / 3).clamp(1, 6);
        let mut scored: Vec<(bool, usize, &str)> = Vec::new();
        let candidates = cat
            .entries
            .iter()
            .map(|e| (&*e.service, &*e.code))
            .chain(registry::codes().iter().map(|r| (r.service().id, r.code)));
        for (svc, code) in candidates {
            let lower = code.to_ascii_lowercase();
            let score = bounded_edit_distance(&wanted, &lower, budget).or_else(|| {
                (wanted.len() >= 4 && lower.contains(&wanted))
                    .then(|| budget + 1 + lower.len() - wanted.len())
            });
            if let Some(d) = score {
                let other_service = service.is_some_and(|s| s != svc && svc != CROSS_SERVICE);
                scored.push((other_service, d, code));
            }
        }
        scored.sort_unstable();
        let mut out: Vec<String> = Vec::new();
        for (_, _, code) in scored {
            if out.len() == 5 {
                break;
            }
            if !out.iter().any(|c| c == code) && !code.eq_ignore_ascii_case(&wanted) {
                out.push(code.to_owned());
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// The bounded search suggests exactly what comparing every code suggests, for real
        /// codes with a few letters changed, in a service or not.
        #[test]
        fn bounded_suggestions_are_the_same_as_comparing_everything(
            pick in 0usize..7000,
            edits in proptest::collection::vec((0usize..64, "[a-zA-Z0-9.]?"), 0..4),
            service in proptest::option::of(proptest::sample::select(vec!["ec2", "s3", "dynamodb", "aws", "nope"])),
        ) {
            static CAT: OnceLock<Catalog> = OnceLock::new();
            let cat = CAT.get_or_init(Catalog::builtin);
            let codes = registry::codes();
            let mut query: Vec<char> = codes[pick % codes.len()].code.chars().collect();
            for (at, with) in &edits {
                let at = at % (query.len() + 1);
                match with.chars().next() {
                    Some(c) if at < query.len() => query[at] = c,
                    Some(c) => query.push(c),
                    None if at < query.len() => { query.remove(at); }
                    None => {}
                }
            }
            let query: String = query.into_iter().collect();
            proptest::prop_assert_eq!(
                cat.suggest(&query, service, 5),
                suggest_everything(cat, &query, service),
                "{}", query
            );
        }
    }

    /// Issue: did-you-mean compared a 131 KB argument, and each of 10,000 unknown codes, with
    /// every code. Too long: nothing is compared. Otherwise only codes close in length and
    /// letters are.
    #[test]
    fn suggestions_compare_few_codes() {
        let cat = Catalog::builtin();
        let huge = "A".repeat(131 * 1024);
        assert_eq!(cat.suggest_counted(&huge, None, 5), (Vec::new(), 0));
        assert_eq!(
            cat.suggest_counted(&"b".repeat(MAX_CODE_LEN + 1), None, 5)
                .1,
            0
        );
        let every = cat.entries().len() + registry::codes().len();
        for query in [
            "ZzUnknownThing1234",
            "InvalidInstanceIDNotFoun",
            "AuthFailur",
        ] {
            let (_, computed) = cat.suggest_counted(query, None, 5);
            assert!(
                computed * 20 < every,
                "{query}: {computed} distances computed of {every} codes"
            );
        }
    }

    #[test]
    fn bounded_edit_distance_gives_up_early() {
        assert_eq!(
            bounded_edit_distance("authfailure", "authfialure", 2),
            Some(1)
        );
        assert_eq!(bounded_edit_distance("abcdef", "uvwxyz", 2), None);
        assert_eq!(bounded_edit_distance("abc", "abcdefgh", 2), None);
    }

    #[test]
    fn lookup_knows_every_service_and_the_service_syntax() {
        let cat = Catalog::builtin();
        let all: Vec<&str> = cat
            .lookup("AccessDenied")
            .iter()
            .map(|k| k.service)
            .collect();
        for s in ["s3", "sts", "iam"] {
            assert!(all.contains(&s), "{all:?}");
        }
        assert_ne!(
            all[0], "cloudformation-handler",
            "handler classifications come after services"
        );
        let one = cat.lookup("s3:AccessDenied");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].kind(), Kind::Written);
        let k = cat.lookup("dynamodb:ConditionalCheckFailedException");
        assert_eq!(k[0].service, "dynamodb");
        let t = cat.lookup("ThrottlingException");
        assert_eq!(t[0].service, CROSS_SERVICE);
        assert!(t.len() > 100, "ThrottlingException is in most services");
    }

    #[test]
    fn normalize_drops_punctuation_around_codes() {
        assert_eq!(normalize("InvalidVpcID.NotFound:"), "InvalidVpcID.NotFound");
        assert_eq!(
            normalize("(InsufficientInstanceCapacity)"),
            "InsufficientInstanceCapacity"
        );
        assert_eq!(normalize("\"'403'\""), "403");
        assert_eq!(split_query("s3:NoSuchKey"), (Some("s3"), "NoSuchKey"));
        assert_eq!(split_query(" :: "), (None, ""));
    }
}
