//! The streaming scan: bytes in, a [`Report`] out, with a bounded window.
//!
//! [`Scanner::feed`] keeps a buffer of at most one chunk plus some look-behind and look-ahead;
//! each chunk is cut at a line start when one is near, its candidates are found (prefilter), read
//! (frames), resolved to codes, grouped into errors (one sighting per error), and each error's
//! context is read from its own region: its line (or, on a line holding many errors, the piece
//! between its neighbours) and the lines after and before it up to the next error or a blank
//! line. Every byte is looked at a bounded number of times, so time is linear in the input
//! whatever its shape, and memory is the window plus what the report keeps.

use super::{Extractor, Resolved};
use std::borrow::Cow;

use super::clean::{blank, clean, line_end, line_start, lossy, token};
use super::context;
use super::frames::{self, FRAMES};
use super::prefilter::Candidate;
use super::report::{Key, Occurrence, Report, Shape};
use super::service::{self, Verdict};

/// Bytes kept before the scanned region, so context can look back at earlier lines.
pub(super) const KEEP_BEHIND: usize = 4 * 1024;
/// Bytes held back at the end of a chunk, so context can look ahead at later lines.
pub(super) const HOLD_AHEAD: usize = 8 * 1024;
/// How far an error's region reaches from its code, each way.
const REGION: usize = 4 * 1024;
/// Chunk size at which the buffer is processed.
pub(super) const CHUNK: usize = 1024 * 1024;
/// Lines after and before a code that can still belong to its error.
const LINES_AFTER: usize = 12;
const LINES_BEFORE: usize = 8;
/// Lines each way that can belong to an error inside a Terraform diagnostic box.
const BOX_LINES: usize = 40;

/// A code read at a position, before it becomes a sighting.
struct Hit<'b> {
    pos: usize,
    /// The furthest place that restates this error (a `code` field of its printed object):
    /// the lines after it are the error's too.
    reach: usize,
    /// Where its line starts (filled in when hits are grouped into errors).
    line_start: usize,
    /// The frame row that read it (`None` for a code standing bare).
    frame: Option<usize>,
    /// The token as read (the code as the text spells it), `Client.`/`Server.` dropped.
    token: Cow<'b, str>,
    /// The known (service, code) pairs it may mean; empty for unknown codes.
    known: Resolved<'b>,
    /// The message, as the text has it (cleaned only when the sighting is kept).
    message: Option<Cow<'b, [u8]>>,
    /// A field that restates the code of an error object printed just above.
    restates: bool,
    /// A service the frame itself names (a handler classification, Java v2's `Service:`).
    service: Option<&'static str>,
    /// The text printed no code: infer it from the message.
    infer: bool,
}

/// A streaming scan: feed bytes, then finish.
pub struct Scanner<'e> {
    ex: &'e Extractor,
    buf: Vec<u8>,
    /// Bytes of `buf` before this offset were already scanned (they are kept as look-behind).
    scanned: usize,
    /// Line number (1-based) at `buf[0]`.
    line_at_start: u64,
    report: Report,
    candidates: Vec<Candidate>,
    /// Scratch space reused from chunk to chunk: each error's region and line, and the markers.
    regions: Vec<(Region, u64)>,
    marks: Vec<service::Mark>,
    /// Recent sightings' decisions, reused while errors repeat (a log of one error per line).
    memo: Memos,
}

/// The decisions of the last few distinct errors, so a log that repeats a handful of errors
/// decides each once.
#[derive(Default)]
struct Memos {
    recent: Vec<Memo>,
    /// The slot the next new decision replaces once `recent` is full.
    next: usize,
    /// An inferred code's decision (never reused: the message decides it).
    inferred: Memo,
    /// A shared code's service decided by its message (never reused, for the same reason).
    by_message: Memo,
}

impl Memos {
    /// How many decisions are kept.
    const SIZE: usize = 64;

    /// Keeps a decision, replacing the oldest when full, and returns its slot.
    fn remember(&mut self, m: Memo) -> usize {
        if self.recent.len() < Memos::SIZE {
            self.recent.push(m);
            return self.recent.len() - 1;
        }
        let i = self.next;
        self.recent[i] = m;
        self.next = (i + 1) % Memos::SIZE;
        i
    }
}

/// What decided a sighting's key, and the key: the same inputs give the same key.
#[derive(Default)]
struct Memo {
    token: String,
    operation: Option<String>,
    named: Option<&'static str>,
    hinted: Vec<&'static str>,
    forced: Option<&'static str>,
    key: Key,
    /// The finding's shape, but for `handler` (which the key says).
    shape: Shape,
}

impl<'e> Scanner<'e> {
    /// Starts a scan.
    pub fn new(ex: &'e Extractor) -> Scanner<'e> {
        Scanner::with_buffer(ex, Vec::with_capacity(CHUNK + HOLD_AHEAD + KEEP_BEHIND))
    }

    fn with_buffer(ex: &'e Extractor, buf: Vec<u8>) -> Scanner<'e> {
        Scanner {
            ex,
            buf,
            scanned: 0,
            line_at_start: 1,
            report: Report::default(),
            candidates: Vec::new(),
            memo: Memos::default(),
            regions: Vec::new(),
            marks: Vec::new(),
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
                let floor = self.scanned.max(end - HOLD_AHEAD);
                // Cut at a line start when one is near, so a line is scanned in one piece.
                let end =
                    memchr::memrchr(b'\n', &self.buf[floor..end]).map_or(end, |i| floor + i + 1);
                self.scan_region(end);
                self.compact();
            }
        }
    }

    /// Scans everything buffered up to the last complete line now, without waiting for a full
    /// chunk (live use: `--tee`, `errex run`). Context that the following lines would add is
    /// not waited for.
    pub fn flush_lines(&mut self) {
        if let Some(i) = memchr::memrchr(b'\n', &self.buf[self.scanned..]) {
            let end = self.scanned + i + 1;
            self.scan_region(end);
            self.compact();
        }
    }

    /// Scans one block of a larger input on its own: `data` holds the look-behind, the block
    /// (`block`) and the look-ahead, and its first byte is on line `line`. Only codes starting
    /// in the block are reported, with the context a streaming scan would have read, so blocks
    /// scanned apart and merged in order report what one streaming scan would.
    pub(super) fn block(
        ex: &'e Extractor,
        data: &[u8],
        block: std::ops::Range<usize>,
        line: u64,
        report: Report,
    ) -> Report {
        let mut s = Scanner {
            scanned: block.start,
            line_at_start: line,
            report,
            ..Scanner::with_buffer(ex, Vec::new())
        };
        s.scan_in(data, block.end);
        s.report
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
            .map_or(keep_from, |i| keep_from + i + 1)
            .min(self.scanned);
        self.line_at_start += memchr::memchr_iter(b'\n', &self.buf[..keep_from]).count() as u64;
        self.buf.drain(..keep_from);
        self.scanned -= keep_from;
    }
}

/// Reads every code in the frames and bare candidates starting in `buf[start..end]`.
fn hits<'b>(
    ex: &'b Extractor,
    buf: &'b [u8],
    candidates: &mut Vec<Candidate>,
    start: usize,
    end: usize,
) -> Vec<Hit<'b>> {
    {
        ex.prefilter.candidates(buf, start, end, candidates);
        let mut hits: Vec<Hit<'b>> = Vec::with_capacity(candidates.len());
        for &c in candidates.iter() {
            match c {
                Candidate::Code { start, end, .. } => {
                    let spelled = text(&buf[start..end]);
                    let known = ex.resolve(&spelled);
                    if !known.is_empty() {
                        hits.push(Hit {
                            line_start: 0,
                            frame: None,
                            pos: start,
                            reach: start,
                            token: spelled,
                            known,
                            message: None,
                            restates: false,
                            service: None,
                            infer: false,
                        });
                    }
                }
                Candidate::SubCode { start, end, dot } => {
                    if let Some(message) = sub_code_message(buf, start, dot, end) {
                        hits.push(Hit {
                            line_start: 0,
                            frame: None,
                            pos: start,
                            reach: start,
                            token: text(&buf[start..end]),
                            known: Resolved::default(),
                            message: Some(Cow::Borrowed(message)),
                            restates: false,
                            service: Some("ec2"),
                            infer: false,
                        });
                    }
                }
                Candidate::Marker { start, end, marker } => {
                    let frame = &FRAMES[ex.marker_frame[marker]];
                    for r in frames::read(buf, start, end, frame) {
                        let token = match r.token {
                            Cow::Borrowed(b) => match text(b) {
                                Cow::Borrowed(t) => Cow::Borrowed(crate::catalog::normalize(t)),
                                Cow::Owned(t) => {
                                    Cow::Owned(crate::catalog::normalize(&t).to_owned())
                                }
                            },
                            Cow::Owned(b) => Cow::Owned(
                                crate::catalog::normalize(&String::from_utf8_lossy(&b)).to_owned(),
                            ),
                        };
                        let forced = r.service;
                        if token.is_empty() {
                            if r.message.is_some() {
                                hits.push(Hit {
                                    line_start: 0,
                                    frame: Some(ex.marker_frame[marker]),
                                    pos: r.pos,
                                    reach: r.pos,
                                    token,
                                    known: Resolved::default(),
                                    message: r.message,
                                    restates: false,
                                    service: forced,
                                    infer: true,
                                });
                            }
                            continue;
                        }
                        // botocore's status stand-ins (`An error occurred (403)`) are codes only
                        // in that frame; elsewhere a number is a number.
                        if token.bytes().all(|b| b.is_ascii_digit())
                            && frame.read != frames::Read::After(frames::Msg::Paren)
                        {
                            continue;
                        }
                        // A generic lower-case `code` field holds words of every API; a code
                        // that is an ordinary word (NotFound, Conflict) needs a stronger frame.
                        if frame.markers[0] == "\"code\":" && ordinary(&token) {
                            continue;
                        }
                        // A Java class for a service whose wire code lacks the suffix.
                        let token = match forced.and_then(|f| ex.resolve_in(&token, f)) {
                            Some(stem) => Cow::Owned(stem.to_owned()),
                            None => token,
                        };
                        let known = ex.resolve(&token);
                        let unknown_ok = frame.strong
                            && looks_like_code(&token)
                            && (frame.read != frames::Read::GoV1Status || compound(&token));
                        if known.is_empty() && !unknown_ok {
                            continue;
                        }
                        hits.push(Hit {
                            line_start: 0,
                            frame: Some(ex.marker_frame[marker]),
                            pos: r.pos,
                            reach: r.pos,
                            token,
                            known,
                            message: r.message,
                            restates: frame.restates,
                            service: forced,
                            infer: false,
                        });
                    }
                }
            }
        }
        // In place (a chunk of one long line holds tens of thousands of hits); a frame before the
        // bare code it names.
        if !hits.is_sorted_by_key(|h| (h.pos, h.frame.is_none())) {
            hits.sort_unstable_by_key(|h| (h.pos, h.frame.is_none()));
        }
        if joined(ex, buf, &mut hits) {
            hits.sort_unstable_by_key(|h| (h.pos, h.frame.is_none()));
        }
        // A code inside a frame is also seen bare at the same place: one hit, with the frame's
        // say (a restating field stays restating). A bare code that is only the start of the
        // frame's code (`InvalidInstanceID` of Ruby's `InvalidInstanceID::NotFound`) is part
        // of it.
        hits.dedup_by(|later, earlier| {
            let same = later.pos == earlier.pos
                && (later.token.eq_ignore_ascii_case(&earlier.token)
                    || later.frame.is_none()
                        && earlier.frame.is_some()
                        && starts_with_ignoring_case(&earlier.token, &later.token));
            if same {
                earlier.restates |= later.restates;
                if earlier.message.is_none() {
                    earlier.message = later.message.take();
                }
                if earlier.service.is_none() {
                    earlier.service = later.service;
                }
            }
            same
        });
        hits
    }
}

impl Scanner<'_> {
    /// Scans matches starting in `self.buf[self.scanned..end]`.
    fn scan_region(&mut self, end: usize) {
        let buf = std::mem::take(&mut self.buf);
        self.scan_in(&buf, end);
        self.buf = buf;
    }

    /// Scans matches starting in `buf[self.scanned..end]`, `buf` standing for the buffer.
    fn scan_in(&mut self, buf: &[u8], end: usize) {
        let start = self.scanned;
        let ex = self.ex;
        // Every error is reported by the chunk holding its code: a frame read in the look-ahead
        // may name a code in this chunk (Go v1's status line under its code), and one in this
        // chunk may name a code before it, which the previous chunk reported.
        // The look-behind is read too: a frame that starts there may name a code in this chunk
        // (a chunk cut inside a long line), and the error before this chunk's first one bounds
        // its context.
        let mut hits = hits(ex, buf, &mut self.candidates, 0, buf.len());
        let ahead = hits.iter().find(|h| h.pos >= end).map(|h| h.pos);
        let behind = hits
            .iter()
            .rfind(|h| h.pos < start)
            .map(|h| (h.pos, h.token.len()));
        hits.retain(|h| (start..end).contains(&h.pos));
        let report = &mut self.report;
        let memo = &mut self.memo;

        // One sighting per error: the same code at the same place (a frame and the bare code),
        // on the same line, or restated by a `code` field of the same error object, is one.
        // Two spellings of one code (a class name and the wire code) are one error too.
        let exact = |h: &Hit| h.known.exact.is_some();
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for mut h in hits {
            // Near the previous hit, on its line, the line start is known without a search.
            let ls = match kept.last() {
                Some(k)
                    if k.pos <= h.pos
                        && h.pos - k.pos <= NEAR
                        && !buf[k.pos..h.pos].contains(&b'\n') =>
                {
                    k.line_start
                }
                _ => line_start(buf, h.pos),
            };
            h.line_start = ls;
            // A code and its frame, or two spellings of one code, close together on one line
            // are one error; the same code further along a long line is another.
            let same = kept.iter_mut().rev().take(8).find(|k| {
                // Cheap tests of place first: most neighbours are other errors on other lines.
                let close = k.pos == h.pos || k.line_start == ls && h.pos.abs_diff(k.pos) <= NEAR;
                // A response's `Code` field and the same code in its message or a field below
                // it (a Java v1 error quoted in the message, the query protocol's other
                // spelling) are one error, whichever comes first.
                if !(close || (h.restates || k.restates) && k.pos < h.pos) {
                    return false;
                }
                // Two readings by the same frame row are two errors (a line of many `An error
                // occurred (X)` frames); different rows, or a bare code, restate one error.
                let same_frame = k.frame.is_some() && k.frame == h.frame;
                let one_code = k.token.eq_ignore_ascii_case(&h.token) || k.known.overlaps(&h.known);
                one_code
                    && !(same_frame && k.pos != h.pos)
                    && (close || near_block(&buf[k.pos..h.pos]))
            });
            match same {
                Some(k) => {
                    k.reach = k.reach.max(h.reach);
                    if !exact(k) && exact(&h) {
                        k.token = h.token;
                        k.known = h.known;
                    }
                    if k.message.is_none() {
                        k.message = h.message;
                    }
                    if k.service.is_none() {
                        k.service = h.service;
                    }
                }
                None => {
                    if h.restates {
                        let floor = kept.last().map_or(start, |k| k.pos + 1);
                        start_at_object_head(buf, &mut h, floor);
                    }
                    kept.push(h);
                }
            }
        }

        // An error that printed its code needs no inferred one: an inferred reading within the
        // same block as a printed code (the message of `An error occurred (AccessDenied)`) is
        // that error's message.
        if kept.iter().any(|h| h.infer) {
            drop_inferred_beside_printed(buf, &mut kept);
        }

        // Each error's region: bounded by its neighbours, so many errors on one line (or one
        // huge line) cost no more than the bytes between them. Another error on the same line
        // bounds this one at its code; on another line, at that line.
        let mut line = self.line_at_start;
        let mut counted = 0;
        // The errors just outside the region bound the first and last errors' context too, so
        // where a chunk (or a block scanned apart) ends does not change what an error reads.
        let regions = &mut self.regions;
        regions.clear();
        for i in 0..kept.len() {
            let pos = kept[i].pos;
            line += memchr::memchr_iter(b'\n', &buf[counted..pos]).count() as u64;
            counted = pos;
            let ls = kept[i].line_start;
            let prev = match i.checked_sub(1) {
                Some(j) => Some((kept[j].pos, kept[j].token.len())),
                None => behind,
            };
            let floor = match prev {
                Some((p, len)) if p >= ls => (p + len).min(pos),
                Some((p, _)) => (line_end(buf, p) + 1).min(ls),
                None => 0,
            };
            let le = line_end(buf, pos);
            let next = kept.get(i + 1).map(|n| n.pos).or(ahead);
            let ceil = match next {
                Some(n) if n <= le => n,
                Some(n) => line_start(buf, n).max(le),
                None => buf.len(),
            };
            regions.push((Region::around(buf, pos, kept[i].reach, floor, ceil), line));
        }
        // The clue and operation markers of every region, in one pass over the span they cover.
        let marks = &mut self.marks;
        marks.clear();
        if let (Some((first, _)), Some((last, _))) = (regions.first(), regions.last()) {
            let (lo, hi) = (
                first.all.0,
                regions
                    .iter()
                    .map(|(r, _)| r.all.1)
                    .max()
                    .unwrap_or(last.all.1),
            );
            service::marks(&buf[lo..hi], marks);
            for m in marks.iter_mut() {
                m.start += lo;
                m.end += lo;
            }
        }
        for (h, at) in kept.iter().zip(regions.iter()) {
            sighting(ex, buf, report, memo, marks, h, at);
        }
        self.scanned = end;
    }
}

/// Decides the service and code of one error, and keeps its context if the report wants it.
/// The decision is remembered: a repeated error (same code, operation and clues) reuses it, so
/// a log of one error per line costs little more than finding them.
fn sighting(
    ex: &Extractor,
    buf: &[u8],
    report: &mut Report,
    memo: &mut Memos,
    marks: &[service::Mark],
    h: &Hit<'_>,
    (r, line): &(Region, u64),
) {
    let line = *line;
    let own = &buf[r.own.0..r.own.1];
    let whole = &buf[r.all.0..r.all.1];
    let (clues, operation) =
        service::read(whole, marks, r.all.0, r.own.0 - r.all.0..r.own.1 - r.all.0);
    // Another cloud's error in AWS's words (Oracle's `Error Code:`), with nothing of AWS's
    // around it, is not an AWS error.
    if clues.foreign && clues.named.is_none() && clues.hinted.is_empty() {
        return;
    }
    let mut evidence = None;
    let m: &Memo = if h.infer {
        // A frame without a code (Java v2, an IAM or handler message): find the code by the
        // message, in its service when the frame names one.
        let Some((matched, code, pattern)) = h
            .message
            .as_deref()
            .and_then(|m| ex.infer(h.service, &lossy(m)))
        else {
            return;
        };
        let service = h
            .service
            .map(str::to_owned)
            .or(matched)
            .or_else(|| clues.named.map(|s| s.id.to_owned()));
        let code = match service.as_deref() {
            Some(s) => service::spelled_in(s, &code).unwrap_or(code),
            None => code,
        };
        evidence = Some(pattern);
        memo.inferred = Memo {
            token: String::new(),
            operation: None,
            named: None,
            hinted: Vec::new(),
            forced: None,
            key: Key {
                service,
                code,
                inferred: true,
            },
            shape: Shape {
                known: true,
                ..Shape::default()
            },
        };
        &memo.inferred
    } else {
        let named = clues.named.map(|s| s.id);
        let hinted = &clues.hinted;
        let found = memo.recent.iter().position(|m| {
            m.token == h.token
                && m.operation == operation
                && m.named == named
                && m.hinted.len() == hinted.len()
                && m.hinted.iter().zip(hinted).all(|(a, b)| *a == b.id)
                && m.forced == h.service
        });
        let i = match found {
            Some(i) => i,
            None => {
                let has: Vec<&str> = h
                    .known
                    .ids
                    .iter()
                    .map(|&k| &*ex.known[k as usize].service)
                    .collect();
                let common = h
                    .known
                    .ids
                    .iter()
                    .any(|&k| ex.known[k as usize].service == crate::catalog::CROSS_SERVICE);
                let verdict = match h.service {
                    Some(s) => Verdict::Service(s.to_owned()),
                    None => service::decide(
                        &clues,
                        operation.as_deref(),
                        &has,
                        h.known.services as usize,
                        common,
                    ),
                };
                let (service, candidates, candidate_count) = match verdict {
                    Verdict::Service(s) => (Some(s), Vec::new(), 0),
                    Verdict::Ambiguous { services, total } => (None, services, total),
                    Verdict::Unknown => (None, Vec::new(), 0),
                };
                // The code as that service spells it (the text's own spelling first).
                let pick =
                    |k: &u32| ex.known[*k as usize].service == *service.as_deref().unwrap_or("");
                let code = h
                    .known
                    .exact
                    .filter(pick)
                    .or_else(|| h.known.ids.iter().copied().find(pick))
                    .or_else(|| h.known.first())
                    .map_or_else(
                        || h.token.to_string(),
                        |k| ex.known[k as usize].code.to_string(),
                    );
                memo.remember(Memo {
                    token: h.token.to_string(),
                    operation: operation.clone(),
                    named,
                    hinted: hinted.iter().map(|s| s.id).collect(),
                    forced: h.service,
                    key: Key {
                        service,
                        code,
                        inferred: false,
                    },
                    shape: Shape {
                        known: !h.known.is_empty(),
                        handler: false,
                        candidates,
                        candidate_count,
                    },
                })
            }
        };
        &memo.recent[i]
    };
    // A code several services share, in text that does not place it: its message may match
    // the pattern of one service's entry (Secrets Manager's "marked for deletion").
    let mut message = None;
    let decided = if m.key.service.is_none()
        && !m.shape.candidates.is_empty()
        && ex.has_patterns(&m.key.code)
    {
        let record = context::json_record(buf, h.pos);
        let text = message.insert(sighting_message(buf, h, r, record.as_ref()));
        let services: Vec<&str> = h
            .known
            .ids
            .iter()
            .map(|&k| &*ex.known[k as usize].service)
            .collect();
        text.as_deref()
            .and_then(|t| ex.service_by_message(&m.key.code, &services, t))
    } else {
        None
    };
    let m: &Memo = match decided {
        Some(service) => {
            let code = h
                .known
                .ids
                .iter()
                .map(|&k| &ex.known[k as usize])
                .find(|k| k.service == service)
                .map_or_else(|| m.key.code.clone(), |k| k.code.to_string());
            memo.by_message = Memo {
                key: Key {
                    service: Some(service),
                    code,
                    inferred: false,
                },
                shape: Shape {
                    known: true,
                    ..Shape::default()
                },
                ..Memo::default()
            };
            &memo.by_message
        }
        None => m,
    };
    if !report.wants(&m.key) {
        let handler = m.key.service.as_deref() == Some("cloudformation-handler");
        report.count(&m.key, || Shape {
            handler,
            ..m.shape.clone()
        });
        return;
    }
    let own_and_after = &buf[r.own.0..r.after_end];
    // A JSON record's fields belong to its error wherever they stand in the record.
    let record = context::json_record(buf, h.pos);
    let beyond = record.as_ref().map_or(&[][..], |rec| {
        &buf[rec.start.max(r.after_end)..rec.end.max(r.after_end)]
    });
    let above = record
        .as_ref()
        .map_or(&[][..], |rec| &buf[rec.start.min(r.all.0)..r.all.0]);
    let resource_span = record.as_ref().map_or(r.all.0..r.all.1, |rec| {
        rec.start.min(r.all.0)..rec.end.max(r.all.1)
    });
    let mut occ = Occurrence {
        line,
        operation,
        request_id: context::request_id(own_and_after)
            .or_else(|| context::request_id(&buf[r.all.0..r.own.0]))
            .or_else(|| context::request_id(beyond))
            .or_else(|| context::request_id(above)),
        // botocore's status stand-in (`An error occurred (404)`) is the status itself.
        http_status: status_code(&h.token)
            .or_else(|| context::http_status(own))
            .or_else(|| context::http_status(&buf[r.own.1..r.after_end]))
            .or_else(|| context::http_status(&buf[r.all.0..r.own.0]))
            .or_else(|| context::http_status(beyond)),
        resource_ids: context::resources_in(&[own, &buf[resource_span]]),
        encoded_message: context::encoded_message(own_and_after),
        terraform_address: context::terraform_address(whole),
        source_location: context::source_location(whole),
        evidence,
        ..Occurrence::default()
    };
    let message = message.unwrap_or_else(|| sighting_message(buf, h, r, record.as_ref()));
    if let Some(text) = message {
        let text = clean(&text);
        if !text.is_empty() {
            occ.message = Some(text);
        }
    }
    let handler = m.key.service.as_deref() == Some("cloudformation-handler");
    report.add_with(
        m.key.clone(),
        Some(Shape {
            handler,
            ..m.shape.clone()
        }),
        occ,
    );
}

/// The message of an error as the text gives it: read by its frame, after its code, in Java's
/// form, or from its JSON record's message field.
fn sighting_message(
    buf: &[u8],
    h: &Hit<'_>,
    r: &Region,
    record: Option<&std::ops::Range<usize>>,
) -> Option<String> {
    h.message
        .as_deref()
        .map(lossy)
        .or_else(|| message_after(&buf[..r.own.1], h.pos))
        .or_else(|| context::java_message(&buf[r.own.0..r.own.1]))
        .or_else(|| {
            let rec = record?;
            context::json_message(&buf[h.pos.min(rec.end)..rec.end])
        })
}

/// The bytes of one error, as offsets into the buffer.
struct Region {
    /// The code's own line, cut at the neighbouring errors on the same line.
    own: (usize, usize),
    /// Where the lines after it end.
    after_end: usize,
    /// From the first line before it to the end of the lines after it.
    all: (usize, usize),
}

impl Region {
    /// The region of the error at `pos`, whose printed object reaches `reach`, between its
    /// neighbours `floor` and `ceil`.
    fn around(buf: &[u8], pos: usize, reach: usize, floor: usize, ceil: usize) -> Region {
        let lo = floor.max(pos.saturating_sub(REGION));
        let hi = ceil.min(pos + REGION).min(buf.len()).max(pos);
        let ls = memchr::memrchr(b'\n', &buf[lo..pos]).map_or(lo, |i| lo + i + 1);
        let le = memchr::memchr(b'\n', &buf[pos..hi]).map_or(hi, |i| pos + i);
        // Inside a Terraform diagnostic (`╷`, lines that start `│`, `╵`) the error is the whole
        // box: its `│` lines separate the parts (summary, `with`/`on ... line N`, detail), they
        // do not end it.
        let boxed = is_box_line(&buf[ls..le]);
        let ends = |line: &[u8]| blank(line) && !(boxed && is_box_line(line));
        let (after, before) = if boxed {
            (BOX_LINES, BOX_LINES)
        } else {
            (LINES_AFTER, LINES_BEFORE)
        };
        // Following lines of the same error: those of its object down to its last restating
        // field, then up to a blank line or the next error.
        let reach = reach.clamp(pos, hi);
        let mut end = memchr::memchr(b'\n', &buf[reach..hi]).map_or(hi, |i| reach + i);
        for _ in 0..after {
            if end >= hi {
                break;
            }
            let next_end = memchr::memchr(b'\n', &buf[end + 1..hi]).map_or(hi, |i| end + 1 + i);
            if ends(&buf[end + 1..next_end]) {
                break;
            }
            end = next_end;
        }
        // Preceding lines (a status line before an XML body): up to a blank line.
        let mut start = ls;
        for _ in 0..before {
            if start <= lo || start == 0 {
                break;
            }
            let prev_start = memchr::memrchr(b'\n', &buf[lo..start - 1]).map_or(lo, |i| lo + i + 1);
            if ends(&buf[prev_start..start - 1]) {
                break;
            }
            start = prev_start;
        }
        Region {
            own: (ls, le),
            after_end: end,
            all: (start, end),
        }
    }
}

/// Whether a line is inside a Terraform diagnostic box: it starts (after indentation) with `│`.
fn is_box_line(line: &[u8]) -> bool {
    line.trim_ascii_start().starts_with("│".as_bytes())
}

/// Removes the inferred readings within four lines of a printed code, in one block. The nearest
/// printed code on each side is enough: a farther one is near only if the nearer one is. A
/// CloudFormation handler's classification (`HandlerErrorCode: NotFound`) is not the service's
/// code: the service's code inferred from the handler's message stays beside it.
fn drop_inferred_beside_printed(buf: &[u8], kept: &mut Vec<Hit<'_>>) {
    let printed = |h: &Hit<'_>| {
        !h.infer
            && h.frame
                .is_none_or(|f| FRAMES[f].read != frames::Read::Handler)
    };
    let mut drop = vec![false; kept.len()];
    // The next printed code after each hit, found in one backward pass (linear however many
    // inferred readings a chunk holds).
    let mut next_printed = vec![None; kept.len()];
    let mut next = None;
    for (i, h) in kept.iter().enumerate().rev() {
        next_printed[i] = next;
        if printed(h) {
            next = Some(h.pos);
        }
    }
    let mut before: Option<usize> = None;
    for (i, h) in kept.iter().enumerate() {
        if printed(h) {
            before = Some(h.pos);
        }
        if !h.infer {
            continue;
        }
        let after = next_printed[i];
        // Up to and with the later one's first byte: a code at a line start is on that line.
        // Within four lines: a CLI error's message may wrap, a Go v1 code joined from a box is
        // read at the box's first line; a neighbouring error's message is further.
        let near = |a: usize, b: usize| {
            let between = &buf[a.min(b)..(a.max(b) + 1).min(buf.len())];
            near_block(between) && memchr::memchr_iter(b'\n', between).count() <= 4
        };
        drop[i] = before.is_some_and(|p| near(p, h.pos)) || after.is_some_and(|p| near(h.pos, p));
    }
    let mut i = 0;
    kept.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// How close two hits on one line must be to be one error (a frame and the code it names, two
/// spellings of one code); further apart on a long line, they are two errors.
const NEAR: usize = 512;

/// Whether the text between two sightings stays within one error: at most 12 lines, no blank
/// line, and not far.
fn near_block(between: &[u8]) -> bool {
    between.len() <= 4 * NEAR && same_block(between)
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

/// A code that is an HTTP status (botocore's stand-in for a bodiless response).
fn status_code(token: &str) -> Option<u16> {
    let v: u16 = token.parse().ok()?;
    (token.len() == 3 && (100..=599).contains(&v)).then_some(v)
}

/// `Code: message` (or `Code\x1b[0m: message`): the rest of the code's line after the colon,
/// without the `; ` that joins it to the next error on the line (the caller cuts `buf` there).
fn message_after(buf: &[u8], pos: usize) -> Option<String> {
    let mut i = pos + token(buf, pos).len();
    if let Some(after) = super::clean::ansi_at(buf, i) {
        i = after;
    }
    let rest = buf[i..line_end(buf, i)].strip_prefix(b": ")?;
    let rest = rest.trim_ascii_end();
    let rest = rest.strip_suffix(b";").unwrap_or(rest);
    (rest.len() >= 3).then(|| lossy(rest))
}

/// Whether `s` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// A field restating a code no earlier sighting has (`code: 'X'` of a printed error object):
/// when the line that starts the object names the code (`{ [X: message]`), the error starts
/// there, with that message, and reaches down to the field. Not before `floor` (the previous
/// error, or the region being scanned).
fn start_at_object_head<'b>(buf: &'b [u8], h: &mut Hit<'b>, floor: usize) {
    let Some((pos, message)) = frames::object_head(buf, h.pos, h.token.as_bytes(), floor) else {
        return;
    };
    h.reach = h.reach.max(h.pos);
    h.pos = pos;
    h.line_start = line_start(buf, pos);
    h.message = Some(Cow::Borrowed(message));
}

/// Errors joined on one line (`A: message; B: message`: Karpenter's fleet errors, multierr):
/// after a hit read as `Code: message`, each `; Code: ` before the next hit on its line is
/// another error when the catalog knows the code. Adds them to `hits` (sorted by place) and
/// says whether it did. Each byte is looked at once: a hit's search stops at the next hit.
fn joined<'b>(ex: &'b Extractor, buf: &'b [u8], hits: &mut Vec<Hit<'b>>) -> bool {
    let mut more: Vec<Hit<'b>> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        let end = h.pos + token(buf, h.pos).len();
        if !buf[end..].starts_with(b": ") {
            continue;
        }
        let limit = line_end(buf, end).min(hits.get(i + 1).map_or(usize::MAX, |n| n.pos));
        let mut from = end + 2;
        while let Some(j) = buf
            .get(from..limit)
            .and_then(|seg| super::clean::find(seg, b"; "))
        {
            let at = from + j + 2;
            from = at;
            let t = token(buf, at);
            if !t.first().is_some_and(u8::is_ascii_uppercase)
                || !buf[at + t.len()..].starts_with(b": ")
            {
                continue;
            }
            let spelled = text(t);
            let known = ex.resolve(&spelled);
            if known.is_empty() {
                continue;
            }
            more.push(Hit {
                pos: at,
                reach: at,
                line_start: 0,
                frame: None,
                token: spelled,
                known,
                message: None,
                restates: false,
                service: None,
                infer: false,
            });
        }
    }
    let added = !more.is_empty();
    hits.append(&mut more);
    added
}

/// Bytes as text: borrowed when they are UTF-8 (codes are ASCII), which is checked far faster
/// than a lossy conversion walks them.
fn text(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// Whether a code is also an ordinary word or two (`NotFound`, `Conflict`, `AccessDenied`):
/// no dot, no `Exception` suffix, at most two capitalised words.
fn ordinary(t: &str) -> bool {
    !t.contains('.')
        && !t.ends_with("Exception")
        && t.chars().filter(char::is_ascii_uppercase).count() <= 2
}

/// The message of an EC2 code refined by a detail the catalog lacks
/// (`AuthFailure.ServiceLinkedRoleCreationNotPermitted: The provided credentials ...`) at
/// `buf[start..end]`, the code it refines ending at `dot`, when it stands where a printed error
/// puts its code: first on its line (after indentation, a list or quote mark) or right after
/// the `: ` of the text that wraps it, followed by `: ` and a message in words. The detail is
/// capitalised words with two capitals at least, as EC2 writes them. So a file name
/// (`AuthFailure.java`), a path, a word in a sentence or a setting (`AuthFailure.RetryLimit: 3`)
/// does not count.
fn sub_code_message(buf: &[u8], start: usize, dot: usize, end: usize) -> Option<&[u8]> {
    let detail = &buf[dot + 1..end];
    let capitalised = detail.split(|&b| b == b'.').all(|w| {
        w.first().is_some_and(u8::is_ascii_uppercase) && w.iter().all(u8::is_ascii_alphanumeric)
    });
    if !capitalised || detail.iter().filter(|b| b.is_ascii_uppercase()).count() < 2 {
        return None;
    }
    let head = &buf[line_start(buf, start)..start];
    let first = head
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'>' | b'-' | b'*' | b'`'));
    if !first && !head.ends_with(b": ") {
        return None;
    }
    let message = buf[end..line_end(buf, end)].strip_prefix(b": ")?;
    let words = message.first().is_some_and(u8::is_ascii_alphabetic)
        && message
            .windows(2)
            .any(|w| w[0] == b' ' && w[1].is_ascii_alphabetic());
    words.then_some(message)
}

/// Whether a token is a compound name (`Foo.Bar`, `FooBar`), not a single word: the weakest
/// strong frame (Go v1's `Word: message`) needs that before it reports an unknown code.
fn compound(t: &str) -> bool {
    t.contains('.') || t.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// Whether an unknown token has the shape of an AWS error code.
fn looks_like_code(t: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_stop_at_neighbours_and_blank_lines() {
        let buf = b"a\nX: one\nmore\n\nnext";
        let r = Region::around(buf, 2, 2, 0, buf.len());
        assert_eq!(&buf[r.own.0..r.own.1], b"X: one");
        assert_eq!(&buf[r.all.0..r.all.1], b"a\nX: one\nmore");
        let line = b"E1: x E2: y E3: z";
        let r = Region::around(line, 6, 6, 2, 12);
        assert_eq!(&line[r.own.0..r.own.1], b": x E2: y ");
        // In a Terraform box, `│` lines join the parts; `╷`/`╵` and plain blank lines end it.
        let boxed = "╷\n│ Error: a\n│\n│ X: b\n│\n│   with aws_s3_bucket.b,\n╵\nnext".as_bytes();
        let x = boxed.iter().position(|&b| b == b'X').expect("X");
        let r = Region::around(boxed, x, x, 0, boxed.len());
        assert_eq!(
            std::str::from_utf8(&boxed[r.all.0..r.all.1]),
            Ok("│ Error: a\n│\n│ X: b\n│\n│   with aws_s3_bucket.b,")
        );
        let plain = b"a\n|\nX: b\n|\nc";
        let r = Region::around(plain, 4, 4, 0, plain.len());
        assert_eq!(&plain[r.all.0..r.all.1], b"X: b");
    }

    fn scan(text: &str) -> Vec<(String, u64, Option<String>)> {
        static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        let ex = EX.get_or_init(|| Extractor::new(&crate::catalog::Catalog::builtin()));
        ex.scan_str(text)
            .found
            .into_iter()
            .flat_map(|f| {
                let code = f.code.clone();
                f.occurrences
                    .into_iter()
                    .map(move |o| (code.clone(), o.line, o.message))
            })
            .collect()
    }

    #[test]
    fn errors_joined_on_one_line_are_each_reported() {
        let found = scan(
            "with fleet error(s), InsufficientInstanceCapacity: no capacity in us-east-1a.; UnfulfillableCapacity: Unable to fulfill capacity; MaxSpotInstanceCountExceeded: Max spot instance count exceeded",
        );
        assert_eq!(
            found,
            [
                (
                    "InsufficientInstanceCapacity".to_owned(),
                    1,
                    Some("no capacity in us-east-1a.".to_owned())
                ),
                (
                    "UnfulfillableCapacity".to_owned(),
                    1,
                    Some("Unable to fulfill capacity".to_owned())
                ),
                (
                    "MaxSpotInstanceCountExceeded".to_owned(),
                    1,
                    Some("Max spot instance count exceeded".to_owned())
                ),
            ]
        );
        // Only codes the catalog knows, in the `Code: message` shape.
        let found = scan("InsufficientInstanceCapacity: none; Note: retry later; NotFound ok");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn fields_after_a_long_stack_belong_to_the_error() {
        let mut text = String::from("{ NoSuchKey: The specified key does not exist.\n");
        for i in 0..11 {
            text.push_str(&format!(
                "    at Request.step{i} (/app/node_modules/aws-sdk/lib/request.js:{i}:1)\n"
            ));
        }
        text.push_str(
            "  code: 'NoSuchKey',\n  requestId: 'H7N2K9QX4VZ3B1M8',\n  statusCode: 404 }\n",
        );
        let ex = Extractor::new(&crate::catalog::Catalog::builtin());
        let r = ex.scan_str(&text);
        let o = &r.found[0].occurrences[0];
        assert_eq!(
            (o.line, o.request_id.as_deref(), o.http_status),
            (1, Some("H7N2K9QX4VZ3B1M8"), Some(404))
        );
    }

    #[test]
    fn code_shapes() {
        assert!(looks_like_code("AccessDeniedException"));
        assert!(!looks_like_code("error"));
        assert!(compound("Foo.Bar") && compound("FooBar") && !compound("Foo"));
    }
}
