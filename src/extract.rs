//! Finding error codes, and what the text says around them, in arbitrary text.
//!
//! Pure and streaming: a [`Scanner`] is fed chunks of bytes (any bytes: invalid UTF-8, NULs,
//! a gigabyte without a newline) and keeps only a bounded window, so memory does not grow with
//! the input. `main.rs` does the reading.
//!
//! One Aho-Corasick automaton finds, in a single pass, every catalog code and every *frame
//! marker*: the fixed text that error producers put around a code (`error occurred (`,
//! `Error Code: `, `api error `, `<Code>`, `status code: `, `"errorCode": "` ...). Then:
//! - a catalog code that is distinctive (dotted, or a compound of three or more words, not an
//!   ordinary word or identifier) counts wherever it stands, at word boundaries;
//! - every other code counts only when a frame parser reads it out of a frame. Strong frames
//!   (AWS-specific ones) also report unknown codes; generic `code` keys report known codes only.
//!
//! Context (operation, request id, HTTP status, resource ids, message, encoded authorization
//! message) is read from the lines of the same error.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Serialize;

use crate::catalog::{Catalog, normalize};

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
    /// Resource ids (`i-...`, `sg-...`) named in the error, in order, without repeats.
    pub resource_ids: Vec<String>,
    /// The error's message, with control characters removed.
    pub message: Option<String>,
    /// An encoded authorization failure message, joined when it was wrapped over lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_message: Option<String>,
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
        if let Some(m) = &self.message {
            facts.push(format!("“{m}”"));
        }
        facts
    }
}

/// Every occurrence of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The catalog spelling when known, else the code as seen (without `Client.`/`Server.`).
    pub code: String,
    /// Whether the catalog knows the code.
    pub known: bool,
    /// How many times it was seen.
    pub count: u64,
    /// The first [`MAX_OCCURRENCES`] occurrences, in order.
    pub occurrences: Vec<Occurrence>,
}

/// Occurrences kept per code (all are counted).
pub const MAX_OCCURRENCES: usize = 100;
/// Distinct codes kept (later new codes are counted in [`Report::dropped_codes`]).
pub const MAX_CODES: usize = 1000;

/// Everything found so far, codes in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per code.
    pub found: Vec<Found>,
    /// Distinct codes not kept because [`MAX_CODES`] was reached.
    pub dropped_codes: u64,
    index: HashMap<String, usize>,
}

impl Report {
    /// Adds another report's findings (from another input) to this one, tagging its
    /// occurrences with `file`.
    pub fn absorb(&mut self, other: Report, file: Option<&str>) {
        for f in other.found {
            for mut occ in f.occurrences {
                occ.file = file.map(str::to_owned);
                self.add(&f.code, f.known, occ);
            }
        }
        self.dropped_codes += other.dropped_codes;
    }

    fn add(&mut self, code: &str, known: bool, occ: Occurrence) {
        if let Some(&i) = self.index.get(code) {
            let f = &mut self.found[i];
            f.count += 1;
            if f.occurrences.len() < MAX_OCCURRENCES {
                f.occurrences.push(occ);
            }
            return;
        }
        if self.found.len() >= MAX_CODES {
            self.dropped_codes += 1;
            return;
        }
        self.index.insert(code.to_owned(), self.found.len());
        self.found.push(Found {
            code: code.to_owned(),
            known,
            count: 1,
            occurrences: vec![occ],
        });
    }
}

/// The kinds of frame the markers announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `An error occurred (X) when calling the Y operation`, `A client error (X) occurred`.
    Paren,
    /// Java: `Error Code: X;`, `AWS Error Code: X,`.
    JavaCode,
    /// Go v2: `api error X: message`.
    GoV2,
    /// Go v1: `X: message` then `status code: 400, request id: ...`.
    GoV1Status,
    /// XML: `<Code>X</Code>`.
    Xml,
    /// CloudTrail: `"errorCode": "X"`.
    ErrorCodeKey,
    /// logfmt: `aws-error-code=X`.
    Logfmt,
    /// Ruby: `Errors::X` (dots dropped).
    Ruby,
    /// botocore: `errorfactory.XException`.
    Botocore,
    /// Rust SDK: `code: Some("X")`.
    RustSome,
    /// Generic `code` keys: `"Code": "X"`, `code: 'X'`, `'Code': 'X'`.
    CodeKey,
    /// JavaScript v3 `name: 'X'` / `"name": "X"`, which count only beside `$metadata`.
    JsName,
}

impl Frame {
    /// Strong frames are AWS-specific enough to report unknown codes.
    fn strong(self) -> bool {
        !matches!(self, Frame::CodeKey | Frame::JsName)
    }
}

const MARKERS: &[(&str, Frame)] = &[
    ("error occurred (", Frame::Paren),
    ("client error (", Frame::Paren),
    ("server error (", Frame::Paren),
    ("Error Code: ", Frame::JavaCode),
    ("api error ", Frame::GoV2),
    ("status code: ", Frame::GoV1Status),
    ("<Code>", Frame::Xml),
    ("\\u003cCode\\u003e", Frame::Xml),
    ("&lt;Code&gt;", Frame::Xml),
    ("\"errorCode\":", Frame::ErrorCodeKey),
    ("\\\"errorCode\\\":", Frame::ErrorCodeKey),
    ("aws-error-code=", Frame::Logfmt),
    ("Errors::", Frame::Ruby),
    ("errorfactory.", Frame::Botocore),
    ("code: Some(\"", Frame::RustSome),
    ("\"Code\":", Frame::CodeKey),
    ("\"code\":", Frame::CodeKey),
    ("\\\"Code\\\":", Frame::CodeKey),
    ("\\\"code\\\":", Frame::CodeKey),
    ("'Code':", Frame::CodeKey),
    ("'code':", Frame::CodeKey),
    ("Code: '", Frame::CodeKey),
    ("code: '", Frame::CodeKey),
    ("Code: \"", Frame::CodeKey),
    ("code: \"", Frame::CodeKey),
    ("name: '", Frame::JsName),
    ("\"name\":", Frame::JsName),
];

/// Short substrings that every built-in code and every marker contains (a greedy set cover that
/// avoids lower-case English): Teddy finds these at several GB/s, and only the text around them
/// is run through the full automaton. A test checks the coverage; codes from user catalogs that
/// contain none of them get an anchor of their own.
const ANCHORS: &[&str] = &[
    "Invalid",
    "Exceeded",
    "Instance",
    "Exceptio",
    "Already",
    "Unsuppor",
    "Gateway",
    "ode: ",
    "Capacity",
    "Volume",
    "Missing",
    "eNot",
    "ode\\",
    "Conflict",
    "Operatio",
    "Mismatch",
    "Internal",
    "Unavaila",
    "ficMirro",
    "Incorrec",
    "ode\":",
    "nProgres",
    "Endpoint",
    "yViolati",
    "Signatur",
    " error (",
    "Destinat",
    "Account",
    "Network",
    "Require",
    "Delete",
    "Subnet",
    "NotEx",
    "eTooL",
    "bleSt",
    "ode':",
    "thFailur",
    "oSuchVer",
    "gVerific",
    "tExpired",
    "TagAcces",
    "yableErr",
    "curred (",
    "UnknownP",
    "igratedT",
    "LegacySe",
    "formedQu",
    "lt;Code&",
    "ror-code",
    "Errors::",
    "factory.",
    "PCIdNotS",
    "idationE",
    "stomerKe",
    "name: '",
    "Blocked",
    "\"name\":",
    "<Code>",
    "api erro",
];

/// Teddy takes at most this many patterns.
const MAX_ANCHORS: usize = 64;

/// Teddy over the anchors, and for each anchor the offsets at which it occurs in patterns.
struct Prefilter {
    searcher: aho_corasick::packed::Searcher,
    offsets: Vec<Vec<usize>>,
}

/// The anchor searcher for these pattern texts, if Teddy is available and the anchors fit.
fn prefilter(texts: &[String]) -> Option<Prefilter> {
    let mut anchors: Vec<String> = ANCHORS.iter().map(|a| (*a).to_owned()).collect();
    for t in texts {
        if !anchors.iter().any(|a| t.contains(a.as_str())) {
            // A user code no anchor covers anchors itself (its first 8 bytes; codes are ASCII).
            anchors.push(t.chars().take(8).collect());
        }
    }
    if anchors.len() > MAX_ANCHORS {
        return None;
    }
    let offsets = anchors
        .iter()
        .map(|a| {
            let mut o: Vec<usize> = texts
                .iter()
                .flat_map(|t| t.match_indices(a.as_str()).map(|(i, _)| i))
                .collect();
            o.sort_unstable();
            o.dedup();
            o
        })
        .collect();
    let searcher = aho_corasick::packed::Config::new()
        .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(&anchors)
        .build()?;
    Some(Prefilter { searcher, offsets })
}

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

/// Whether a known code may be reported outside any frame.
fn distinctive(code: &str) -> bool {
    if AMBIGUOUS.contains(&code) {
        return false;
    }
    if code.contains('.') {
        return true;
    }
    let words = code.chars().filter(char::is_ascii_uppercase).count();
    words >= 3
        || matches!(
            code,
            "AuthFailure" | "VolumeInUse" | "DependencyViolation" | "UnauthorizedOperation"
        )
}

#[derive(Debug, Clone, Copy)]
enum Pattern {
    Code { known: usize, distinctive: bool },
    Marker(Frame),
}

/// Finds codes in text; built once per catalog.
pub struct Extractor {
    ac: AhoCorasick,
    /// Finds the anchors (SIMD, Teddy); `None` where the CPU lacks the instructions or a user
    /// catalog needs more anchors than Teddy takes.
    prefilter: Option<Prefilter>,
    /// The longest pattern, in bytes: how far around an anchor a pattern can reach.
    longest: usize,
    patterns: Vec<Pattern>,
    codes: Vec<String>,
    /// Lower-cased code (and lower-cased code with dots removed) to the canonical codes.
    folded: HashMap<String, Vec<usize>>,
}

impl Extractor {
    /// Builds the automaton for this catalog's codes and the frame markers.
    pub fn new(catalog: &Catalog) -> Extractor {
        let mut texts: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut codes = Vec::new();
        let mut folded: HashMap<String, Vec<usize>> = HashMap::new();
        for (m, frame) in MARKERS {
            texts.push((*m).to_owned());
            patterns.push(Pattern::Marker(*frame));
        }
        for e in catalog.entries() {
            let known = codes.len();
            codes.push(e.code.to_string());
            folded
                .entry(e.code.to_ascii_lowercase())
                .or_default()
                .push(known);
            if e.code.contains('.') {
                folded
                    .entry(e.code.replace('.', "").to_ascii_lowercase())
                    .or_default()
                    .push(known);
            }
            texts.push(e.code.to_string());
            patterns.push(Pattern::Code {
                known,
                distinctive: distinctive(&e.code),
            });
        }
        let prefilter = prefilter(&texts);
        // With the prefilter every search is a short anchored one, for which a contiguous NFA
        // is as good as a DFA and several times cheaper to build; without it, one DFA pass.
        let (kind, start) = if prefilter.is_some() {
            (
                AhoCorasickKind::ContiguousNFA,
                aho_corasick::StartKind::Anchored,
            )
        } else {
            (AhoCorasickKind::DFA, aho_corasick::StartKind::Unanchored)
        };
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .start_kind(start)
            .build(&texts)
            .expect("a few hundred short literal patterns always build");
        let longest = texts.iter().map(String::len).max().unwrap_or(0);
        Extractor {
            ac,
            prefilter,
            longest,
            patterns,
            codes,
            folded,
        }
    }

    /// The same extractor without the prefilter: one DFA pass over everything (tests compare).
    #[cfg(test)]
    fn without_prefilter(catalog: &Catalog) -> Extractor {
        let mut ex = Extractor::new(catalog);
        let texts: Vec<&str> = MARKERS
            .iter()
            .map(|(m, _)| *m)
            .chain(ex.codes.iter().map(String::as_str))
            .collect();
        ex.ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .expect("builds");
        ex.prefilter = None;
        ex
    }

    /// Every pattern match starting in `buf[start..end]`, as (start, end, pattern index).
    ///
    /// With the prefilter, Teddy finds the anchors and each is verified by anchored searches
    /// of the full automaton at the few offsets where that anchor sits inside some pattern:
    /// a mismatch dies within a few bytes, so ordinary text costs almost nothing.
    fn matches(&self, buf: &[u8], start: usize, end: usize) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let Some(pre) = &self.prefilter else {
            for m in self.ac.find_iter(&buf[start..]) {
                if start + m.start() >= end {
                    break;
                }
                out.push((start + m.start(), start + m.end(), m.pattern().as_usize()));
            }
            return out;
        };
        // A pattern starting before `end` may hold its anchor up to `longest` bytes later.
        let limit = end.saturating_add(self.longest).min(buf.len());
        let mut at = start;
        while at < limit {
            let Some(a) = pre
                .searcher
                .find_in(buf, aho_corasick::Span::from(at..limit))
            else {
                break;
            };
            for &off in &pre.offsets[a.pattern().as_usize()] {
                let Some(s) = a
                    .start()
                    .checked_sub(off)
                    .filter(|s| (start..end).contains(s))
                else {
                    continue;
                };
                let input = aho_corasick::Input::new(buf)
                    .span(s..(s + self.longest).min(buf.len()))
                    .anchored(aho_corasick::Anchored::Yes);
                if let Some(m) = self.ac.find(input) {
                    out.push((m.start(), m.end(), m.pattern().as_usize()));
                }
            }
            // Anchors may overlap: look again from the next byte, not after this anchor.
            at = a.start() + 1;
        }
        out.sort_unstable();
        out.dedup();
        // Keep what a leftmost-longest scan keeps: no match starting inside an earlier one.
        let mut last_end = 0;
        out.retain(|&(s, e, _)| {
            let keep = s >= last_end;
            if keep {
                last_end = e;
            }
            keep
        });
        out
    }

    /// Resolves a token read from a frame to a catalog code: exact, then ignoring case, then
    /// ignoring dropped dots (Ruby class names).
    fn resolve(&self, token: &str) -> Option<&str> {
        let token = normalize(token);
        let ids = self.folded.get(&token.to_ascii_lowercase())?;
        let best = ids
            .iter()
            .find(|&&i| self.codes[i] == token)
            .or_else(|| ids.first())?;
        Some(&self.codes[*best])
    }

    /// Scans a whole text at once (tests, small inputs).
    pub fn scan_str(&self, text: &str) -> Report {
        let mut s = Scanner::new(self);
        s.feed(text.as_bytes());
        s.finish()
    }
}

/// A code found in the region, before its context is read.
struct Hit {
    pos: usize,
    code: String,
    known: bool,
    message: Option<String>,
    /// From a generic `code`/`name` field, which restates an error shown just above.
    restating: bool,
}

/// Whether the text between two sightings stays within one error: at most 12 lines and no
/// blank line.
fn same_block(between: &[u8]) -> bool {
    let mut lines = 0;
    for line in between.split(|&b| b == b'\n').skip(1) {
        lines += 1;
        if lines > 12 || line.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
    }
    true
}

/// Bytes kept before the scanned region, so context can look back at earlier lines.
const KEEP_BEHIND: usize = 4 * 1024;
/// Bytes held back at the end of a chunk, so context can look ahead at later lines.
const HOLD_AHEAD: usize = 8 * 1024;
/// How far context extraction looks from a code, each way.
const CONTEXT: usize = 4 * 1024;
/// Chunk size at which the buffer is processed.
const CHUNK: usize = 1024 * 1024;

/// A streaming scan: feed bytes, then finish.
pub struct Scanner<'e> {
    ex: &'e Extractor,
    buf: Vec<u8>,
    /// Bytes of `buf` before this offset were already scanned (they are kept as look-behind).
    scanned: usize,
    /// Line number (1-based) at `buf[0]`.
    line_at_start: u64,
    report: Report,
}

impl<'e> Scanner<'e> {
    /// Starts a scan.
    pub fn new(ex: &'e Extractor) -> Scanner<'e> {
        Scanner {
            ex,
            buf: Vec::with_capacity(CHUNK + HOLD_AHEAD + KEEP_BEHIND),
            scanned: 0,
            line_at_start: 1,
            report: Report::default(),
        }
    }

    /// Adds bytes; scans whenever a chunk's worth has accumulated.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = (CHUNK + HOLD_AHEAD + KEEP_BEHIND)
                .saturating_sub(self.buf.len())
                .max(1);
            let take = room.min(bytes.len());
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.buf.len() >= CHUNK + HOLD_AHEAD + KEEP_BEHIND {
                let end = self.buf.len() - HOLD_AHEAD;
                // Cut at a line start when one is near, so a line is scanned in one piece.
                let end =
                    memchr::memrchr(b'\n', &self.buf[self.scanned.max(end - HOLD_AHEAD)..end])
                        .map_or(end, |i| self.scanned.max(end - HOLD_AHEAD) + i + 1);
                self.scan_region(end);
                self.compact();
            }
        }
    }

    /// Scans what is left and returns the report.
    pub fn finish(mut self) -> Report {
        let end = self.buf.len();
        self.scan_region(end);
        self.report
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Bytes currently held (for tests of the memory bound).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    fn compact(&mut self) {
        let keep_from = self.scanned.saturating_sub(KEEP_BEHIND);
        let keep_from = memchr::memchr(b'\n', &self.buf[keep_from..self.scanned])
            .map_or(self.scanned, |i| keep_from + i + 1)
            .min(self.scanned);
        self.line_at_start += memchr::memchr_iter(b'\n', &self.buf[..keep_from]).count() as u64;
        self.buf.drain(..keep_from);
        self.scanned -= keep_from;
    }

    /// Scans matches starting in `buf[self.scanned..end]`.
    fn scan_region(&mut self, end: usize) {
        let start = self.scanned;
        let buf = &self.buf;
        let mut hits: Vec<Hit> = Vec::new();
        for (pos, mend, pattern) in self.ex.matches(buf, start, end) {
            match self.ex.patterns[pattern] {
                Pattern::Code { known, distinctive } => {
                    if distinctive && bare_boundaries(buf, pos, mend) {
                        hits.push(Hit {
                            pos,
                            code: self.ex.codes[known].clone(),
                            known: true,
                            message: None,
                            restating: false,
                        });
                    }
                }
                Pattern::Marker(frame) => {
                    let candidates = read_frame(buf, pos, mend, frame);
                    let names: Vec<_> = candidates
                        .iter()
                        .map(|(p, t, msg)| (*p, String::from_utf8_lossy(t), msg))
                        .collect();
                    let restating = !frame.strong();
                    // A frame that names another service (`Service: AmazonAutoScaling`,
                    // `operation error Auto Scaling:`) carries that service's code, even when
                    // the spelling is also an EC2 code.
                    let foreign = frame_service(buf, pos, frame)
                        .is_some_and(|s| !s.to_ascii_lowercase().contains("ec2"));
                    if let Some((p, code, msg)) = names
                        .iter()
                        .filter(|_| !foreign)
                        .find_map(|(p, n, msg)| self.ex.resolve(n).map(|c| (*p, c, *msg)))
                    {
                        hits.push(Hit {
                            pos: p,
                            code: code.to_owned(),
                            known: true,
                            message: msg.clone(),
                            restating,
                        });
                    } else if frame.strong() {
                        // Generic `code` keys and JS names never report unknown codes.
                        if let Some((p, n, msg)) = names.iter().find(|(_, n, _)| {
                            looks_like_code(n) && (frame != Frame::GoV1Status || compound(n))
                        }) {
                            hits.push(Hit {
                                pos: *p,
                                code: normalize(n).to_owned(),
                                known: false,
                                message: (*msg).clone(),
                                restating,
                            });
                        }
                    }
                }
            }
        }
        hits.sort_by_key(|h| h.pos);
        // A code inside a frame is also seen bare at the same place: one hit, with the frame's say.
        hits.dedup_by(|later, earlier| {
            let same = later.pos == earlier.pos && later.code == earlier.code;
            if same {
                earlier.restating |= later.restating;
                if earlier.message.is_none() {
                    earlier.message = later.message.take();
                }
            }
            same
        });

        // One sighting per error: a bare code and its frame on the same line are one, and so is a
        // `code: 'X'` field that restates the code of the error object it belongs to.
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            let ls = line_start(buf, h.pos);
            let same_line = kept
                .iter_mut()
                .rev()
                .take_while(|k| line_start(buf, k.pos) == ls)
                .find(|k| k.code == h.code);
            let target = match same_line {
                Some(k) => Some(k),
                None => kept
                    .last_mut()
                    .filter(|k| h.restating && k.code == h.code && same_block(&buf[k.pos..h.pos])),
            };
            match target {
                Some(k) => {
                    if k.message.is_none() {
                        k.message = h.message;
                    }
                }
                None => kept.push(h),
            }
        }

        let mut line = self.line_at_start;
        let mut counted = 0;
        let line_starts: Vec<usize> = kept.iter().map(|h| line_start(buf, h.pos)).collect();
        let mut sightings = Vec::with_capacity(kept.len());
        for (i, h) in kept.into_iter().enumerate() {
            line += memchr::memchr_iter(b'\n', &buf[counted..h.pos]).count() as u64;
            counted = h.pos;
            // An error's following lines end where the next error's line begins.
            // ... and its preceding lines start after the previous error's line.
            let prev_error = i
                .checked_sub(1)
                .map(|j| line_starts[j])
                .filter(|&p| p < line_starts[i])
                .map_or(0, |p| line_end(buf, p) + 1);
            let next_error = line_starts[i + 1..]
                .iter()
                .copied()
                .find(|&s| s > h.pos)
                .unwrap_or(buf.len());
            let mut occ = context(buf, h.pos, prev_error, next_error);
            occ.line = line;
            // Without a frame's message, `Code: message` on the code's line is the message.
            if let Some(m) = h.message.or_else(|| message_after(buf, h.pos)) {
                occ.message = Some(clean(&m));
            }
            sightings.push((h.code, h.known, occ));
        }
        for (code, known, occ) in sightings {
            self.report.add(&code, known, occ);
        }
        self.scanned = end;
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the code at `buf[start..end]` stands alone: not part of a longer identifier, with
/// `Client.`/`Server.` prefixes and ANSI colour sequences allowed around it.
fn bare_boundaries(buf: &[u8], start: usize, end: usize) -> bool {
    let left_ok = match start.checked_sub(1).map(|i| buf[i]) {
        None => true,
        Some(b'.') => {
            let before = &buf[start.saturating_sub(7)..start - 1];
            before.eq_ignore_ascii_case(b"Client") || before.eq_ignore_ascii_case(b"Server")
        }
        Some(b'm') => ends_with_ansi(&buf[..start]),
        Some(b) => !is_word(b) && b != b'-',
    };
    let right_ok = match buf.get(end) {
        None => true,
        Some(b'.') => buf.get(end + 1).is_none_or(|&b| !is_word(b)),
        Some(b) if b.is_ascii_uppercase() => glued_message(&buf[end..]),
        Some(&b) => !is_word(b) && b != b'-',
    };
    left_ok && right_ok
}

/// Whether the text right after a code is a message glued to it (boto 2 printed
/// `RequestLimitExceededRequest limit exceeded.`): a capitalised word followed by a space, and
/// not the rest of a longer identifier such as `...Exception` or `...Error`.
fn glued_message(rest: &[u8]) -> bool {
    let word = 1 + rest[1..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    let name = &rest[..word];
    word >= 3
        && rest.get(word) == Some(&b' ')
        && !matches!(name, b"Exception" | b"Error" | b"Fault" | b"Errors")
}

/// Whether `buf` ends with an ANSI SGR sequence (`ESC[1;31m`, or its escaped spellings).
fn ends_with_ansi(buf: &[u8]) -> bool {
    let Some(rest) = buf.strip_suffix(b"m") else {
        return false;
    };
    let digits = rest
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    let rest = &rest[..rest.len() - digits];
    let Some(rest) = rest.strip_suffix(b"[") else {
        return false;
    };
    rest.ends_with(b"\x1b")
        || rest.ends_with(b"\\u001b")
        || rest.ends_with(b"\\x1b")
        || rest.ends_with(b"\\033")
        || rest.ends_with(b"\\e")
}

/// Skips white space, quotes and ANSI sequences (raw or escaped) from `i`.
fn skip_noise(buf: &[u8], mut i: usize) -> usize {
    loop {
        match buf.get(i) {
            Some(b' ' | b'\t' | b'"' | b'\'' | b'`') => i += 1,
            Some(b'\\') if buf.get(i + 1) == Some(&b'"') => i += 2,
            Some(_) => {
                let Some(after) = ansi_at(buf, i) else {
                    return i;
                };
                i = after;
            }
            None => return i,
        }
    }
}

/// If an ANSI SGR sequence (raw or escaped) starts at `i`, where it ends.
fn ansi_at(buf: &[u8], i: usize) -> Option<usize> {
    let rest = &buf[i..];
    let intro = [&b"\x1b["[..], b"\\u001b[", b"\\x1b[", b"\\033[", b"\\e["]
        .into_iter()
        .find(|p| rest.starts_with(p))?;
    let body = &rest[intro.len()..];
    let digits = body
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    (body.get(digits) == Some(&b'm')).then_some(i + intro.len() + digits + 1)
}

/// Reads a code-shaped token at `i`: letters, digits, `.`, `_`, `-`.
fn token(buf: &[u8], i: usize) -> &[u8] {
    let len = buf[i.min(buf.len())..]
        .iter()
        .take(128)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .count();
    let t = &buf[i.min(buf.len())..i.min(buf.len()) + len];
    // A sentence may end right after the code.
    t.strip_suffix(b".").unwrap_or(t)
}

/// Whether a token is a compound name (`Foo.Bar`, `FooBar`), not a single word: the weakest
/// strong frame (Go v1's `Word: message`) needs that before it reports an unknown code.
fn compound(t: &str) -> bool {
    t.contains('.') || t.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// Whether an unknown token has the shape of an AWS error code.
fn looks_like_code(t: &str) -> bool {
    let t = normalize(t);
    let mut chars = t.chars();
    let first_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    first_upper
        && (4..=100).contains(&t.len())
        && t.chars().any(|c| c.is_ascii_lowercase())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !t.ends_with('.')
        && !matches!(
            t,
            "Error" | "Exception" | "None" | "Null" | "True" | "False" | "Unknown" | "Message"
        )
}

/// Parses the frame whose marker is at `buf[mstart..mend]`. Returns the code's position, the
/// code token and, when the frame carries one, the message.
fn read_frame(
    buf: &[u8],
    mstart: usize,
    mend: usize,
    frame: Frame,
) -> Vec<(usize, &[u8], Option<String>)> {
    let one = match frame {
        Frame::Paren
        | Frame::JavaCode
        | Frame::GoV2
        | Frame::Xml
        | Frame::ErrorCodeKey
        | Frame::Logfmt
        | Frame::Ruby
        | Frame::RustSome
        | Frame::CodeKey => {
            let at = skip_noise(buf, mend);
            let t = token(buf, at);
            if t.is_empty() {
                return Vec::new();
            }
            let after = at + t.len();
            let message = match frame {
                Frame::Paren => {
                    let line_end = line_end(buf, after);
                    let rest = &buf[after..line_end];
                    find(rest, b"operation: ")
                        .map(|i| lossy(&rest[i + 11..]))
                        .or_else(|| find(rest, b"occurred: ").map(|i| lossy(&rest[i + 10..])))
                }
                Frame::GoV2 => {
                    let line_end = line_end(buf, after);
                    buf[after..line_end].strip_prefix(b":").map(lossy)
                }
                Frame::Xml => xml_value(buf, after, b"Message"),
                _ => None,
            };
            Some((at, t, message))
        }
        Frame::Botocore => {
            let t = token(buf, mend);
            (t.len() > "Exception".len() && t.ends_with(b"Exception")).then_some((mend, t, None))
        }
        Frame::JsName => {
            // Only an SDK error object: `$metadata` or `$fault` must be near.
            let lo = mstart.saturating_sub(2048);
            let hi = (mend + 2048).min(buf.len());
            let window = &buf[lo..hi];
            if find(window, b"$metadata").is_none() && find(window, b"$fault").is_none() {
                return Vec::new();
            }
            let at = skip_noise(buf, mend);
            let t = token(buf, at);
            (!t.is_empty()).then_some((at, t, None))
        }
        Frame::GoV1Status => {
            // `status code: 400, request id:` follows the `Code: message` text, on the line
            // before or after an escaped `\n` in the same line.
            let after = &buf[mend..line_end(buf, mend).min(mend + 64)];
            if !after.first().is_some_and(u8::is_ascii_digit)
                || find(after, b"request id").is_none()
            {
                return Vec::new();
            }
            return previous_segment(buf, mstart)
                .map_or_else(Vec::new, |(s, e)| go_v1_code(buf, s, e));
        }
    };
    one.into_iter().collect()
}

/// `Code: message` (or `Code\x1b[0m: message`): the rest of the code's line after the colon.
fn message_after(buf: &[u8], pos: usize) -> Option<String> {
    let mut i = pos + token(buf, pos).len();
    if let Some(after) = ansi_at(buf, i) {
        i = after;
    }
    let rest = buf[i..line_end(buf, i)].strip_prefix(b": ")?;
    (rest.len() >= 3).then(|| lossy(rest))
}

/// The service a Java or Go v2 frame names on the same line, if any.
fn frame_service(buf: &[u8], mstart: usize, frame: Frame) -> Option<String> {
    let line = &buf[line_start(buf, mstart)..mstart];
    let (marker, stop): (&[u8], &[u8]) = match frame {
        Frame::JavaCode => (b"Service: ", b";,)"),
        Frame::GoV2 => (b"operation error ", b":"),
        _ => return None,
    };
    let i = rfind(line, marker)? + marker.len();
    let name: Vec<u8> = line[i..]
        .iter()
        .copied()
        .take(40)
        .take_while(|b| !stop.contains(b))
        .collect();
    let name = String::from_utf8_lossy(&name).trim().to_owned();
    (!name.is_empty()).then_some(name)
}

/// The text that precedes a `status code:` line: the previous physical line, or the part of the
/// same line before an escaped `\n`.
fn previous_segment(buf: &[u8], mstart: usize) -> Option<(usize, usize)> {
    let ls = line_start(buf, mstart);
    let before = &buf[ls..mstart];
    if let Some(i) = rfind(before, b"\\n") {
        let seg_end = ls + i;
        let seg_start = rfind(&buf[ls..seg_end], b"\\n").map_or(ls, |j| ls + j + 2);
        return Some((seg_start, seg_end));
    }
    // Only white space or box-drawing between the line start and the marker.
    if !String::from_utf8_lossy(before)
        .chars()
        .all(|c| c.is_whitespace() || c == '│' || c == '|')
        || ls == 0
    {
        return None;
    }
    let prev_end = ls - 1;
    let prev_start = line_start(buf, prev_end);
    Some((prev_start, prev_end))
}

/// Finds the last `Code: ` in a Go v1 segment.
fn go_v1_code(buf: &[u8], start: usize, end: usize) -> Vec<(usize, &[u8], Option<String>)> {
    let seg = &buf[start..end];
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(j) = find(&seg[i..], b": ") {
        let colon = i + j;
        // A colour reset may sit between the code and its colon.
        let code_end = colon - ansi_suffix_len(&seg[..colon]);
        let tok_start = seg[..code_end]
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.'))
            .map_or(0, |k| k + 1);
        let mut tok_start = tok_start;
        if let Some(skip) = ansi_prefix_in_token(seg, tok_start, code_end) {
            tok_start += skip;
        }
        let t = &seg[tok_start..code_end];
        // `Key: 'value'` is a field of the message, not `Code: message`.
        let quoted = matches!(seg.get(colon + 2), Some(b'\'' | b'"'));
        if !t.is_empty() && !quoted {
            found.push((start + tok_start, t, Some(lossy(&seg[colon + 2..]))));
        }
        i = colon + 2;
    }
    // The code is usually the last `Code: ` before the message; try that first.
    found.reverse();
    found
}

/// When `seg[start..end]` begins with the tail of a colour sequence (`1m` after `ESC[`), its
/// length, so the token can start after it.
fn ansi_prefix_in_token(seg: &[u8], start: usize, end: usize) -> Option<usize> {
    if start == 0 || seg[start - 1] != b'[' {
        return None;
    }
    let digits = seg[start..end]
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    (seg.get(start + digits) == Some(&b'm')
        && ansi_at(seg, start - 1 - ansi_intro_len(&seg[..start - 1])?).is_some())
    .then_some(digits + 1)
}

/// The length of an ANSI introducer (`ESC` or an escaped spelling) ending `buf`, if any.
fn ansi_intro_len(buf: &[u8]) -> Option<usize> {
    [&b"\x1b"[..], b"\\u001b", b"\\x1b", b"\\033", b"\\e"]
        .into_iter()
        .find(|p| buf.ends_with(p))
        .map(<[u8]>::len)
}

/// The length of an ANSI SGR sequence at the end of `buf`, or 0.
fn ansi_suffix_len(buf: &[u8]) -> usize {
    if !ends_with_ansi(buf) {
        return 0;
    }
    let body = buf.len()
        - 1
        - buf[..buf.len() - 1]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count()
        - 1;
    let intro = [&b"\x1b"[..], b"\\u001b", b"\\x1b", b"\\033", b"\\e"]
        .into_iter()
        .find(|p| buf[..body].ends_with(p))
        .map_or(0, <[u8]>::len);
    buf.len() - body + intro
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

fn line_start(buf: &[u8], i: usize) -> usize {
    let lo = i.saturating_sub(CONTEXT);
    memchr::memrchr(b'\n', &buf[lo..i]).map_or(lo, |j| lo + j + 1)
}

fn line_end(buf: &[u8], i: usize) -> usize {
    let hi = (i + CONTEXT).min(buf.len());
    memchr::memchr(b'\n', &buf[i..hi]).map_or(hi, |j| i + j)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Control characters out, escapes decoded where they are plain, length capped.
fn clean(s: &str) -> String {
    let s = s
        .replace("\\n", " ")
        .replace("\\t", " ")
        .replace("\\\"", "\"");
    let mut out: String = s.chars().filter(|c| !c.is_control()).collect();
    for cut in [
        " Encoded authorization failure message:",
        " (Service:",
        "\tstatus code:",
        " status code:",
        "\"}",
        "\", \"",
        "<",
    ] {
        if cut == "<" && !out.starts_with('<') {
            if let Some(i) = out.find("</") {
                out.truncate(i);
            }
            continue;
        }
        if let Some(i) = out.find(cut).filter(|&i| i > 0) {
            out.truncate(i);
        }
    }
    let out = out.trim().trim_end_matches(['"', '\'', ',']).trim();
    let out = strip_ansi(out);
    if out.chars().count() > 300 {
        let mut t: String = out.chars().take(299).collect();
        t.push('…');
        t
    } else {
        out
    }
}

fn strip_ansi(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(after) = ansi_at(b, i) {
            i = after;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `<Name>value</Name>` after `from` (also HTML- or JSON-escaped), before the next `<Code>`.
fn xml_value(buf: &[u8], from: usize, name: &[u8]) -> Option<String> {
    let hi = (from + CONTEXT).min(buf.len());
    let mut win = &buf[from..hi];
    if let Some(next) = [&b"<Code>"[..], b"\\u003cCode\\u003e", b"&lt;Code&gt;"]
        .iter()
        .filter_map(|m| find(win, m))
        .min()
    {
        win = &win[..next];
    }
    let opens = [
        (&b"<"[..], &b">"[..]),
        (b"\\u003c", b"\\u003e"),
        (b"&lt;", b"&gt;"),
    ];
    let (i, open_len) = opens
        .iter()
        .filter_map(|(l, r)| {
            let tag = [*l, name, *r].concat();
            find(win, &tag).map(|i| (i, tag.len()))
        })
        .min()?;
    let value = &win[i + open_len..];
    let end = [&b"</"[..], b"\\u003c/", b"&lt;/"]
        .iter()
        .filter_map(|m| find(value, m))
        .min()?;
    Some(lossy(&value[..end]))
}

/// Reads the context of the error whose code is at `pos`: the code's line, the line before, and
/// the following lines up to a blank line (at most 12 lines, [`CONTEXT`] bytes each way).
fn context(buf: &[u8], pos: usize, prev_error: usize, next_error: usize) -> Occurrence {
    let blank = |line: &[u8]| {
        String::from_utf8_lossy(line)
            .trim_matches(|c: char| {
                c.is_whitespace() || c == '│' || c == '|' || c == '╷' || c == '╵'
            })
            .is_empty()
    };
    let ls = line_start(buf, pos);
    let le = line_end(buf, pos);
    // Following lines of the same error: up to a blank line.
    let mut end = le;
    for _ in 0..12 {
        if end >= buf.len() || end - pos > CONTEXT {
            break;
        }
        let next_end = line_end(buf, end + 1);
        if blank(&buf[end + 1..next_end]) || end + 1 >= next_error {
            break;
        }
        end = next_end;
    }
    // Preceding lines (a status line before an XML body): up to a blank line.
    let mut start = ls;
    for _ in 0..8 {
        if start == 0 || start <= prev_error || pos - start > CONTEXT {
            break;
        }
        let prev_start = line_start(buf, start - 1);
        if blank(&buf[prev_start..start - 1]) {
            break;
        }
        start = prev_start;
    }
    let own = &buf[ls..le];
    let after = &buf[le.min(end)..end];
    let before = &buf[start..ls];
    // Prefer facts on the code's own line, then the lines after it, then those before.
    let pick = |f: fn(&[u8]) -> Option<String>| f(own).or_else(|| f(after)).or_else(|| f(before));
    Occurrence {
        operation: pick(operation),
        // The own line and the lines after it in one piece, so an id wrapped onto the next line
        // can be joined.
        request_id: request_id(&buf[ls..end]).or_else(|| request_id(before)),
        http_status: http_status(own)
            .or_else(|| http_status(after))
            .or_else(|| http_status(before)),
        resource_ids: resource_ids(&buf[ls..end]),
        encoded_message: encoded_message(&buf[ls..end]),
        ..Occurrence::default()
    }
}

fn operation(w: &[u8]) -> Option<String> {
    for (marker, stop) in [
        (&b"when calling the "[..], &b" operation"[..]),
        (b"operation error EC2: ", b","),
        (b"\"eventName\": \"", b"\""),
        (b"\"eventName\":\"", b"\""),
        (b"Action=", b"&"),
        (b" ec2/", b" "),
    ] {
        if let Some(i) = find(w, marker) {
            let rest = &w[i + marker.len()..];
            let t = token(rest, 0);
            let followed = &rest[t.len()..];
            if !t.is_empty()
                && t[0].is_ascii_uppercase()
                && (followed.starts_with(stop) || followed.is_empty() || stop == b"&")
            {
                return Some(lossy(t));
            }
        }
    }
    None
}

fn request_id(w: &[u8]) -> Option<String> {
    let lower = w.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"request") {
        let mut j = from + i + 7;
        if matches!(lower.get(j), Some(b' ' | b'_' | b'-')) {
            j += 1;
        }
        if lower[j..].starts_with(b"id") {
            j += 2;
            // Separators: `: `, `=`, `>` (also escaped), quotes, escaped quotes.
            loop {
                match lower.get(j) {
                    Some(b':' | b'=' | b'>' | b' ' | b'"' | b'\'' | b'\\') => j += 1,
                    _ if lower[j..].starts_with(b"u003e") => j += 5,
                    _ if lower[j..].starts_with(b"&gt;") => j += 4,
                    _ if lower[j..].starts_with(b"some(") => j += 5,
                    _ => break,
                }
            }
            let id_char = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-';
            let mut id: Vec<u8> = w[j..]
                .iter()
                .take(80)
                .copied()
                .take_while(id_char)
                .collect();
            // A UUID cut by a line wrap continues at the start of the next line.
            let after = j + id.len();
            if id.len() < 36 && is_uuid(&id, true) && w.get(after) == Some(&b'\n') {
                let more: Vec<u8> = w[after + 1..]
                    .iter()
                    .take(36 - id.len())
                    .copied()
                    .take_while(id_char)
                    .collect();
                let joined = [id.as_slice(), more.as_slice()].concat();
                if is_uuid(&joined, false) {
                    id = joined;
                }
            }
            if id.len() >= 8 && id.iter().any(u8::is_ascii_digit) {
                return Some(lossy(&id));
            }
        }
        from += i + 7;
    }
    None
}

/// Whether `id` is a UUID (8-4-4-4-12 hex), or with `prefix`, the start of one.
fn is_uuid(id: &[u8], prefix: bool) -> bool {
    const SHAPE: &[u8] = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    (if prefix {
        id.len() <= SHAPE.len()
    } else {
        id.len() == SHAPE.len()
    }) && id.iter().zip(SHAPE).all(|(b, s)| {
        if *s == b'-' {
            *b == b'-'
        } else {
            b.is_ascii_hexdigit()
        }
    })
}

fn http_status(w: &[u8]) -> Option<u16> {
    const MARKERS: &[&[u8]] = &[
        b"status code: ",
        b"Status Code: ",
        b"StatusCode: ",
        b"httpStatusCode: ",
        b"\"httpStatusCode\":",
        b"'HTTPStatusCode': ",
        b"\"HTTPStatusCode\": ",
        b"\"http_status_code\": ",
        b"ResponseError: ",
        b"HTTP/1.1 ",
    ];
    MARKERS.iter().find_map(|marker| {
        memchr::memmem::find_iter(w, marker).find_map(|i| {
            let rest = &w[i + marker.len()..];
            let rest = &rest[rest.iter().take_while(|b| **b == b' ').count()..];
            let digits = rest
                .iter()
                .take(4)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let v: u16 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
            (digits == 3 && (100..=599).contains(&v)).then_some(v)
        })
    })
}

/// Resource id prefixes EC2 uses.
const ID_PREFIXES: &[&str] = &[
    "i",
    "ami",
    "sg",
    "sgr",
    "subnet",
    "vpc",
    "vol",
    "snap",
    "eni",
    "igw",
    "eigw",
    "rtb",
    "rtbassoc",
    "eipalloc",
    "eipassoc",
    "nat",
    "acl",
    "aclassoc",
    "lt",
    "pcx",
    "tgw",
    "tgw-attach",
    "tgw-rtb",
    "vpce",
    "vpce-svc",
    "dopt",
    "key",
    "cvpn-endpoint",
    "fl",
    "r",
    "lgw",
    "pl",
    "cgw",
    "vgw",
    "vpn",
    "fleet",
    "sir",
    "sfr",
    "cr",
    "h",
    "ipam",
    "ipam-pool",
    "ipam-scope",
    "vpc-cidr-assoc",
    "subnet-cidr-assoc",
    "tmt",
    "tmf",
    "tms",
    "tmfr",
    "eipalloc",
    "export-ami",
    "import-ami",
    "import-snap",
    "elastic-gpu",
    "fpga",
    "aki",
    "ari",
    "bundle",
    "dhcp",
    "carrier-gateway",
    "nat",
    "pool",
    "vai",
    "vagr",
    "vae",
    "vatp",
];

fn resource_ids(w: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'-', &w[i..]) {
        let dash = i + j;
        i = dash + 1;
        // The hex part: 8 or 17 lower-case hex digits, then a boundary.
        let hex = w[dash + 1..]
            .iter()
            .take(18)
            .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            .count();
        if !(hex == 8 || hex == 17)
            || w.get(dash + 1 + hex)
                .is_some_and(|&b| is_word(b) || b == b'-')
        {
            continue;
        }
        // The prefix: the longest known prefix ending at the dash, at a word boundary.
        let found = ID_PREFIXES
            .iter()
            .filter(|p| {
                let p = p.as_bytes();
                dash >= p.len()
                    && &w[dash - p.len()..dash] == p
                    && (dash == p.len()
                        || !is_word(w[dash - p.len() - 1]) && w[dash - p.len() - 1] != b'-')
            })
            .max_by_key(|p| p.len());
        if let Some(p) = found {
            let id = lossy(&w[dash - p.len()..dash + 1 + hex]);
            if !out.contains(&id) && out.len() < 20 {
                out.push(id);
            }
        }
    }
    out
}

/// `Encoded authorization failure message: <base64url...>`, possibly wrapped over lines.
fn encoded_message(w: &[u8]) -> Option<String> {
    const MARKER: &[u8] = b"uthorization failure message: ";
    let mut j = find(w, MARKER)? + MARKER.len();
    let mut out = String::new();
    loop {
        let part: Vec<u8> = w[j..]
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .collect();
        out.push_str(&String::from_utf8_lossy(&part));
        j += part.len();
        // Continue over a line break (with indentation or box characters) into more base64.
        let rest = &w[j..];
        let skip = rest
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
            .count();
        let mut k = j + skip;
        if skip == 0 || !rest[..skip].contains(&b'\n') {
            break;
        }
        if w[k..].starts_with("│".as_bytes()) {
            k += "│".len();
            k += w[k..].iter().take_while(|b| **b == b' ').count();
        }
        let next: usize = w[k..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .count();
        // A continuation line is base64 only, and long.
        let line_rest = &w[k + next..];
        if next < 16
            || !(line_rest.is_empty() || matches!(line_rest[0], b'\n' | b'\r' | b' ' | b'"'))
        {
            break;
        }
        j = k;
    }
    (out.len() >= 32).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        let ex = Extractor::new(&Catalog::builtin());
        ex.scan_str(text)
            .found
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn every_builtin_code_and_marker_contains_an_anchor() {
        let cat = Catalog::builtin();
        let texts = MARKERS
            .iter()
            .map(|(m, _)| *m)
            .chain(cat.entries().iter().map(|e| &*e.code));
        let uncovered: Vec<&str> = texts
            .filter(|t| !ANCHORS.iter().any(|a| t.contains(a)))
            .collect();
        assert!(uncovered.is_empty(), "add anchors for {uncovered:?}");
        assert!(ANCHORS.len() <= MAX_ANCHORS);
        for a in ANCHORS {
            assert!(
                !ANCHORS.iter().any(|b| b != a && b.starts_with(a)),
                "{a} is a prefix of another anchor"
            );
        }
    }

    #[test]
    fn prefiltered_and_full_scans_agree() {
        let cat = Catalog::builtin();
        let ex = Extractor::new(&cat);
        assert!(ex.prefilter.is_some(), "this machine has Teddy");
        let text = "x InvalidAMIID.NotFound y <Code>Blocked</Code> An error occurred (AuthFailure) when ... \
                    InvalidParameterValueException Client.RequestLimitExceeded api error VcpuLimitExceeded: z";
        let buf = text.as_bytes();
        let with = ex.matches(buf, 0, buf.len());
        let full = Extractor::without_prefilter(&cat);
        let without = full.matches(buf, 0, buf.len());
        assert_eq!(with, without);
        assert!(with.len() >= 8);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// The prefilter finds exactly what the plain automaton finds, on text made of codes,
        /// markers, their fragments and noise.
        #[test]
        fn prefilter_is_exact(pieces in proptest::collection::vec((0usize..2000, 0usize..40, "[ -~]{0,6}"), 0..40)) {
            static EX: std::sync::OnceLock<(Extractor, Extractor)> = std::sync::OnceLock::new();
            let (with, without) = EX.get_or_init(|| {
                let cat = Catalog::builtin();
                (Extractor::new(&cat), Extractor::without_prefilter(&cat))
            });
            let cat = Catalog::builtin();
            let words: Vec<&str> = MARKERS.iter().map(|(m, _)| *m).chain(cat.entries().iter().map(|e| &*e.code)).collect();
            let mut text = String::new();
            for (w, cut, noise) in &pieces {
                let word = words[w % words.len()];
                // Whole words, and words cut short or started late, glued to noise.
                let cut = cut % (word.len() + 1);
                text.push_str(if w % 3 == 0 { &word[cut..] } else if w % 3 == 1 { &word[..word.len() - cut.min(word.len())] } else { word });
                text.push_str(noise);
            }
            let b = text.as_bytes();
            proptest::prop_assert_eq!(with.matches(b, 0, b.len()), without.matches(b, 0, b.len()));
        }
    }

    #[test]
    fn boundaries_reject_longer_identifiers() {
        assert!(bare_boundaries(b" AuthFailure ", 1, 12));
        assert!(!bare_boundaries(b"XAuthFailure", 1, 12));
        assert!(!bare_boundaries(b"AuthFailureException", 0, 11));
        assert!(bare_boundaries(b"Client.AuthFailure", 7, 18));
        assert!(!bare_boundaries(b"foo.AuthFailure", 4, 15));
        assert!(bare_boundaries(b"\x1b[31mAuthFailure\x1b[0m", 5, 16));
    }

    #[test]
    fn finds_cli_frame_with_operation() {
        let ex = Extractor::new(&Catalog::builtin());
        let r = ex.scan_str("An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation.\n");
        assert_eq!(r.found.len(), 1);
        let o = &r.found[0].occurrences[0];
        assert_eq!(o.operation.as_deref(), Some("RunInstances"));
        assert_eq!(o.line, 1);
        assert_eq!(
            o.message.as_deref(),
            Some("You are not authorized to perform this operation.")
        );
    }

    #[test]
    fn ordinary_words_need_a_frame() {
        assert!(
            codes("the request was Blocked by policy and the service is Unavailable").is_empty()
        );
        assert_eq!(
            codes("<Response><Errors><Error><Code>Blocked</Code></Error></Errors></Response>"),
            ["Blocked"]
        );
    }

    #[test]
    fn resource_ids_and_request_ids() {
        assert_eq!(
            resource_ids(b"instance i-0123456789abcdef0 in subnet-0123abcd, not xi-12345678"),
            ["i-0123456789abcdef0", "subnet-0123abcd"]
        );
        assert_eq!(
            request_id(b"status code: 400, request id: 1b2c3d4e-aaaa-bbbb-cccc-0123456789ab")
                .as_deref(),
            Some("1b2c3d4e-aaaa-bbbb-cccc-0123456789ab")
        );
        assert_eq!(http_status(b"StatusCode: 403, RequestID"), Some(403));
    }

    #[test]
    fn unknown_code_only_in_strong_frame() {
        assert_eq!(
            codes(
                "An error occurred (AccessDeniedException) when calling the Invoke operation: no"
            ),
            ["AccessDeniedException"]
        );
        assert!(codes("{\"code\": \"ECONNRESET\"}").is_empty());
        assert!(codes("{\"code\": \"SomeThing\"}").is_empty());
    }
}
