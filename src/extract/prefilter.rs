//! Finding candidate matches fast: frame markers and codes that count without a frame.
//!
//! Teddy (SIMD) looks for a few dozen short anchors that every marker and every such code
//! contains; ordinary text holds almost none of them, so almost every byte is skipped at several
//! GB/s. At an anchor, a marker is confirmed by an anchored search of the marker automaton at
//! the offsets where the anchor sits in markers, and a code by reading the whole token around the
//! anchor and looking it up, so each token is read once however many anchors it holds. Without
//! Teddy (or when a team catalog needs more anchors than it takes) one automaton pass over every
//! byte finds the same matches, more slowly; a property test checks that both agree.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::clean::{ansi_suffix_len, is_word};
use crate::catalog::Text;

/// Short substrings that every frame marker, every EC2 code and all but a few registry codes
/// that count without a frame contain, chosen (greedy set cover) to be rare in ordinary logs.
/// A test checks the coverage; codes from team catalogs that contain none get an anchor of
/// their own while there is room.
///
/// The order matters for speed only: it decides which of Teddy's 16 buckets each anchor shares,
/// and so how often ordinary text passes a bucket's masks and must be compared with its
/// anchors. `benches/anchor_order.py` searched it on application logs, source code and
/// documentation; it let through 7x fewer false candidates than the order before (BENCHMARKS.md).
pub(super) const ANCHORS: &[&str] = &[
    "Inst", "Dupl", "dler ret", "Stor", "TooM", "(Ser", "tedT", "\"cod", "Alre", "code: ", "Erro",
    "Exis", "nUse", "Exce", "Host", "State", "Atta", "Faul", "TooL", "Violatio", "Unsu", "Inva",
    "ogDe", "Conf", "ws-error", " de_", "otFo", "Grou", "sNot", "Access", "tGat", "Auth", "_typ",
    "Oper", "de \"", "Addr", "$met", "error ", "tNot", "'cod", "rized to", "Code", "ory.", "Quer",
    "nReq", "NoSu", "NotS", "Cust", "Mism", "InPr", "Volu",
];

/// Teddy takes at most this many patterns.
pub(super) const MAX_ANCHORS: usize = 64;

/// A candidate: where, and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Candidate {
    /// A frame marker (index into the marker list) at `[start, end)`.
    Marker {
        start: usize,
        end: usize,
        marker: usize,
    },
    /// A code that counts without a frame (index into the bare list) at `[start, end)`.
    Code {
        start: usize,
        end: usize,
        code: usize,
    },
    /// An EC2 code with a dotted detail the catalog lacks (`AuthFailure.SomethingNew`) at
    /// `[start, end)`; the code it refines ends at `dot`. It counts only where a printed error
    /// puts its code (the scanner decides).
    SubCode {
        start: usize,
        end: usize,
        dot: usize,
    },
}

impl Candidate {
    pub(super) fn start(&self) -> usize {
        match *self {
            Candidate::Marker { start, .. }
            | Candidate::Code { start, .. }
            | Candidate::SubCode { start, .. } => start,
        }
    }
}

struct Teddy {
    searcher: aho_corasick::packed::Searcher,
    /// For each anchor, the offsets at which it occurs in markers.
    marker_offsets: Vec<Vec<usize>>,
    /// For each anchor, whether some bare code contains it.
    in_codes: Vec<bool>,
}

/// Finds candidates in bytes.
pub(super) struct Prefilter {
    /// Each marker's bytes.
    markers: Vec<Box<[u8]>>,
    /// For each first byte, the markers starting with it, longest first.
    by_first_byte: Vec<Vec<usize>>,
    longest_marker: usize,
    /// Exact spelling of each bare code to its index.
    bare: HashMap<Cow<'static, [u8]>, usize, super::BuildFx>,
    /// The bare codes EC2 refines with a dotted detail (`AuthFailure` of
    /// `AuthFailure.ServiceLinkedRoleCreationNotPermitted`).
    families: HashSet<Box<[u8]>, super::BuildFx>,
    teddy: Option<Teddy>,
    /// Markers and bare codes in one automaton, for the scan without Teddy (and the tests).
    full: Option<AhoCorasick>,
    marker_count: usize,
}

/// A code's bytes, borrowed when the code is (the built-in ones).
fn bytes(code: &Text) -> Cow<'static, [u8]> {
    match code {
        Cow::Borrowed(c) => Cow::Borrowed(c.as_bytes()),
        Cow::Owned(c) => Cow::Owned(c.as_bytes().to_vec()),
    }
}

/// Whether a byte can be part of a code token.
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

impl Prefilter {
    /// Builds the search for `markers` and `bare` codes. Returns the prefilter and the bare codes
    /// it can find (all of them, except built-in registry codes no anchor covers when
    /// `optional_from` marks where the optional ones start). `families` are the bare codes that
    /// may carry a dotted detail the catalog lacks; each is found as its bare code is.
    pub(super) fn new(
        markers: &[&str],
        bare: &[Text],
        optional_from: usize,
        families: &[&str],
        use_teddy: bool,
    ) -> (Prefilter, Vec<bool>) {
        // A marker is confirmed where an anchor puts its start by comparing the few markers
        // that begin with the byte there (an anchored automaton search cost more per call).
        let mut by_first_byte = vec![Vec::new(); 256];
        for (i, m) in markers.iter().enumerate() {
            if let Some(&b) = m.as_bytes().first() {
                by_first_byte[usize::from(b)].push(i);
            }
        }
        for group in &mut by_first_byte {
            group.sort_by_key(|&i| std::cmp::Reverse(markers[i].len()));
        }
        let longest_marker = markers.iter().map(|m| m.len()).max().unwrap_or(0);
        let mut anchors: Vec<String> = ANCHORS.iter().map(|a| (*a).to_owned()).collect();
        let mut findable = vec![true; bare.len()];
        let mut need_full = false;
        // Thousands of codes against dozens of anchors: one automaton pass per code, which also
        // notes the built-in anchors some code holds. (An NFA: a DFA took longer to build than
        // the pass over every code takes.)
        let builtin = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(ANCHORS)
            .expect("short literal anchors always build");
        let mut in_codes = vec![false; MAX_ANCHORS];
        for (i, code) in bare.iter().enumerate() {
            let mut covered = false;
            for m in builtin.find_overlapping_iter(&**code) {
                in_codes[m.pattern().as_usize()] = true;
                covered = true;
            }
            if covered
                || anchors[ANCHORS.len()..]
                    .iter()
                    .any(|a| code.contains(a.as_str()))
            {
                continue;
            }
            if i >= optional_from {
                // A built-in registry code no anchor covers: found in frames only.
                findable[i] = false;
            } else if anchors.len() < MAX_ANCHORS {
                anchors.push(code.chars().take(8).collect());
            } else {
                need_full = true;
            }
        }
        for m in markers {
            if !anchors.iter().any(|a| m.contains(a.as_str())) {
                need_full = true;
            }
        }
        let mut bare_map: HashMap<Cow<'static, [u8]>, usize, super::BuildFx> =
            HashMap::with_capacity_and_hasher(bare.len(), super::BuildFx::default());
        bare_map.extend(
            bare.iter()
                .enumerate()
                .filter(|(i, _)| findable[*i])
                .map(|(i, c)| (bytes(c), i)),
        );
        let teddy = if need_full || !use_teddy {
            None
        } else {
            aho_corasick::packed::Config::new()
                .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
                .builder()
                .extend(&anchors)
                .build()
                .map(|searcher| Teddy {
                    searcher,
                    marker_offsets: anchors
                        .iter()
                        .map(|a| {
                            let mut o: Vec<usize> = markers
                                .iter()
                                .flat_map(|m| m.match_indices(a.as_str()).map(|(i, _)| i))
                                .collect();
                            o.sort_unstable();
                            o.dedup();
                            o
                        })
                        .collect(),
                    in_codes: {
                        // The built-in anchors were noted above (a code no anchor covers holds
                        // none); each added one is the start of a findable code.
                        for (a, held) in anchors.iter().zip(&mut in_codes).skip(ANCHORS.len()) {
                            *held = bare
                                .iter()
                                .zip(&findable)
                                .any(|(c, &f)| f && c.contains(a.as_str()));
                        }
                        in_codes.truncate(anchors.len());
                        in_codes
                    },
                })
        };
        let families = families
            .iter()
            .filter(|f| bare_map.contains_key(f.as_bytes()))
            .map(|f| f.as_bytes().into())
            .collect();
        let mut pf = Prefilter {
            markers: markers.iter().map(|m| m.as_bytes().into()).collect(),
            by_first_byte,
            longest_marker,
            bare: bare_map,
            families,
            teddy,
            full: None,
            marker_count: markers.len(),
        };
        if pf.teddy.is_none() {
            pf.full = Some(Self::full_automaton(markers, bare, &findable));
        }
        (pf, findable)
    }

    fn full_automaton(markers: &[&str], bare: &[Text], findable: &[bool]) -> AhoCorasick {
        let texts: Vec<&str> = markers
            .iter()
            .copied()
            .chain(
                bare.iter()
                    .zip(findable)
                    .map(|(c, &f)| if f { &**c } else { "\u{0}\u{0}never" }),
            )
            .collect();
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .expect("literal patterns always build")
    }

    /// Whether Teddy is in use.
    pub(super) fn fast(&self) -> bool {
        self.teddy.is_some()
    }

    /// The longest marker, in bytes: how far past a region's end a marker can reach.
    pub(super) fn reach(&self) -> usize {
        self.longest_marker.max(128)
    }

    /// Every candidate starting in `buf[start..end]`, in order.
    pub(super) fn candidates(
        &self,
        buf: &[u8],
        start: usize,
        end: usize,
        out: &mut Vec<Candidate>,
    ) {
        out.clear();
        match &self.teddy {
            Some(t) => self.with_teddy(t, buf, start, end, out),
            None => self.with_automaton(buf, start, end, out),
        }
        let key = |c: &Candidate| (c.start(), matches!(c, Candidate::Code { .. }));
        if !out.is_sorted_by_key(key) {
            out.sort_unstable_by_key(key);
        }
        out.dedup();
    }

    fn with_teddy(
        &self,
        t: &Teddy,
        buf: &[u8],
        start: usize,
        end: usize,
        out: &mut Vec<Candidate>,
    ) {
        let limit = end.saturating_add(self.reach()).min(buf.len());
        let mut at = start;
        // Codes: each token is read once, whatever anchors it holds.
        let mut token_end = 0;
        while at < limit {
            let Some(a) = t.searcher.find_in(buf, aho_corasick::Span::from(at..limit)) else {
                break;
            };
            let anchor = a.pattern().as_usize();
            for &off in &t.marker_offsets[anchor] {
                let Some(s) = a
                    .start()
                    .checked_sub(off)
                    .filter(|s| (start..end).contains(s))
                else {
                    continue;
                };
                if let Some(marker) = self.marker_at(&buf[s..]) {
                    out.push(Candidate::Marker {
                        start: s,
                        end: s + self.markers[marker].len(),
                        marker,
                    });
                }
            }
            if t.in_codes[anchor] && a.start() >= token_end {
                let (s, e) = token_around(buf, a.start());
                token_end = e;
                if let Some(c) = self.bare_code(buf, s, e)
                    && (start..end).contains(&c.start())
                {
                    out.push(c);
                }
            }
            at = a.start() + 1;
        }
    }

    /// The longest marker `rest` starts with.
    fn marker_at(&self, rest: &[u8]) -> Option<usize> {
        let first = usize::from(*rest.first()?);
        self.by_first_byte[first]
            .iter()
            .copied()
            .find(|&i| rest.starts_with(&self.markers[i]))
    }

    fn with_automaton(&self, buf: &[u8], start: usize, end: usize, out: &mut Vec<Candidate>) {
        let Some(full) = &self.full else { return };
        let mut token_end = 0;
        for m in full.find_iter(&buf[start..]) {
            let (s, e) = (start + m.start(), start + m.end());
            if s >= end {
                break;
            }
            let p = m.pattern().as_usize();
            if p < self.marker_count {
                out.push(Candidate::Marker {
                    start: s,
                    end: e,
                    marker: p,
                });
            } else if s >= token_end {
                let (ts, te) = token_around(buf, s);
                token_end = te;
                if let Some(c) = self.bare_code(buf, ts, te) {
                    out.push(c);
                }
            }
        }
    }

    /// The bare code the token `buf[s..e]` is, if it is one: the token itself, after a
    /// `Client.`/`Server.` prefix or the tail of a colour sequence, without a sentence's final
    /// dot, or a code with a message glued to it (boto 2 printed `RequestLimitExceededRequest
    /// limit exceeded.`).
    fn bare_code(&self, buf: &[u8], mut s: usize, mut e: usize) -> Option<Candidate> {
        if buf[s..e].ends_with(b".") {
            e -= 1;
        }
        // `\x1b[31mCode`: the token starts inside the colour sequence.
        if s > 0 && buf[s - 1] == b'[' {
            let digits = buf[s..e]
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b';')
                .count();
            if buf.get(s + digits) == Some(&b'm') && ansi_suffix_len(&buf[..s + digits + 1]) > 0 {
                s += digits + 1;
            }
        }
        // A `-` before the token makes it part of a longer name.
        if s > 0 && (buf[s - 1] == b'-' || is_word(buf[s - 1])) {
            return None;
        }
        let mut t = &buf[s..e];
        for prefix in [&b"Client."[..], b"Server."] {
            if t.len() > prefix.len() && t[..prefix.len()].eq_ignore_ascii_case(prefix) {
                s += prefix.len();
                t = &buf[s..e];
            }
        }
        if let Some(&code) = self.bare.get(t) {
            return Some(Candidate::Code {
                start: s,
                end: e,
                code,
            });
        }
        // A glued message: the longest code prefix followed by a capitalised word and a space.
        for cut in (4..t.len()).rev() {
            if !t[cut].is_ascii_uppercase() {
                continue;
            }
            if glued_message(&buf[s + cut..])
                && let Some(&code) = self.bare.get(&t[..cut])
            {
                return Some(Candidate::Code {
                    start: s,
                    end: s + cut,
                    code,
                });
            }
        }
        // `Family.Detail`, where EC2 refines a code it returns with a detail no model lists.
        let dot = memchr::memchr(b'.', t)?;
        self.families
            .contains(&t[..dot])
            .then_some(Candidate::SubCode {
                start: s,
                end: e,
                dot: s + dot,
            })
    }
}

/// The token (letters, digits, `.`, `_`, `-`) holding position `p`, at most 128 bytes each way.
fn token_around(buf: &[u8], p: usize) -> (usize, usize) {
    let lo = p.saturating_sub(128);
    let s = buf[lo..p]
        .iter()
        .rposition(|&b| !token_byte(b))
        .map_or(lo, |i| lo + i + 1);
    let hi = (p + 128).min(buf.len());
    let e = buf[p..hi]
        .iter()
        .position(|&b| !token_byte(b))
        .map_or(hi, |i| p + i);
    (s, e)
}

/// Whether the text right after a code is a message glued to it: a capitalised word followed
/// by a space, and not the rest of a longer identifier such as `...Exception` or `...Error`.
fn glued_message(rest: &[u8]) -> bool {
    if rest.is_empty() {
        return false;
    }
    let word = 1 + rest[1..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    let name = &rest[..word];
    word >= 3
        && rest.get(word) == Some(&b' ')
        && !matches!(name, b"Exception" | b"Error" | b"Fault" | b"Errors")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_glued_messages() {
        assert_eq!(token_around(b"x AuthFailure: y", 5), (2, 13));
        assert!(glued_message(b"Request limit exceeded."));
        assert!(!glued_message(b"Exception: x"));
    }
}
