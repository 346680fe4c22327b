//! Byte-level helpers shared by the scanner, the frame readers and context extraction: lines,
//! tokens, ANSI colour sequences (raw and escaped), and turning a piece of untrusted text into
//! a clean, bounded message. Pure functions on `&[u8]`; nothing here allocates unless it
//! returns a `String`.

/// How far line lookups go from a position, each way: a line longer than this is read in
/// pieces of this size around each error (a frame's code and message sit close to its marker),
/// so a line of any length costs the same per error.
pub(super) const LINE_REACH: usize = 1024;

/// The longest message kept, in characters.
pub(super) const MAX_MESSAGE: usize = 300;

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Haystacks up to this long are searched by their needle's first byte (memchr) and a
/// comparison: building a SIMD substring searcher costs more than searching an error's few
/// hundred bytes, and context reading runs dozens of searches per error.
const SMALL: usize = 4096;

/// How common a byte is in logs (lower is rarer): the search keys on a needle's rarest byte.
fn commonness(b: u8) -> u8 {
    match b {
        b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 9,
        b'a'..=b'z' | b'0'..=b'9' => 6,
        b'.' | b',' | b'-' | b'/' | b':' | b'"' | b'=' => 5,
        b'A'..=b'Z' => 3,
        _ => 1,
    }
}

/// The index of the needle's rarest byte.
fn key(needle: &[u8]) -> usize {
    (0..needle.len())
        .min_by_key(|&i| commonness(needle[i]))
        .unwrap_or(0)
}

/// The first position of `needle` in `hay`.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() > SMALL {
        return memchr::memmem::find(hay, needle);
    }
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    let k = key(needle);
    let mut from = k;
    while let Some(i) = memchr::memchr(needle[k], &hay[from..]) {
        let at = from + i - k;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from += i + 1;
    }
    None
}

/// The last position of `needle` in `hay`.
pub(super) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() > SMALL {
        return memchr::memmem::rfind(hay, needle);
    }
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    let k = key(needle);
    let mut to = hay.len() - (needle.len() - 1 - k);
    while let Some(i) = memchr::memrchr(needle[k], &hay[..to]) {
        if i < k {
            return None;
        }
        let at = i - k;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        to = i;
    }
    None
}

/// Every (possibly overlapping) position of `needle` in `hay`, in order.
pub(super) fn find_iter<'h>(hay: &'h [u8], needle: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    let mut from = 0;
    std::iter::from_fn(move || {
        let i = find(hay.get(from..)?, needle)?;
        let at = from + i;
        from = at + 1;
        Some(at)
    })
}

/// The start of the line holding `i` (at most [`LINE_REACH`] back).
pub(super) fn line_start(buf: &[u8], i: usize) -> usize {
    let lo = i.saturating_sub(LINE_REACH);
    memchr::memrchr(b'\n', &buf[lo..i]).map_or(lo, |j| lo + j + 1)
}

/// The end of the line holding `i` (at most [`LINE_REACH`] ahead), excluding the newline.
pub(super) fn line_end(buf: &[u8], i: usize) -> usize {
    let i = i.min(buf.len());
    let hi = (i + LINE_REACH).min(buf.len());
    memchr::memchr(b'\n', &buf[i..hi]).map_or(hi, |j| i + j)
}

pub(super) fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Reads a code-shaped token at `i`: letters, digits, `.`, `_`, `-` (at most 128 bytes). A
/// sentence may end right after the code, so one trailing `.` is not part of it.
pub(super) fn token(buf: &[u8], i: usize) -> &[u8] {
    let i = i.min(buf.len());
    let len = buf[i..]
        .iter()
        .take(128)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .count();
    let t = &buf[i..i + len];
    t.strip_suffix(b".").unwrap_or(t)
}

/// If an ANSI SGR sequence (raw or escaped as `\u001b`, `\x1b`, `\033`, `\e`) starts at `i`,
/// where it ends.
pub(super) fn ansi_at(buf: &[u8], i: usize) -> Option<usize> {
    let rest = buf.get(i..)?;
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

/// The length of an ANSI SGR sequence at the end of `buf`, or 0.
pub(super) fn ansi_suffix_len(buf: &[u8]) -> usize {
    let Some(rest) = buf.strip_suffix(b"m") else {
        return 0;
    };
    let digits = rest
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    let rest = &rest[..rest.len() - digits];
    let Some(rest) = rest.strip_suffix(b"[") else {
        return 0;
    };
    [&b"\x1b"[..], b"\\u001b", b"\\x1b", b"\\033", b"\\e"]
        .into_iter()
        .find(|p| rest.ends_with(p))
        .map_or(0, |p| p.len() + 1 + digits + 1)
}

/// Skips white space, quotes and ANSI sequences (raw or escaped) from `i`.
pub(super) fn skip_noise(buf: &[u8], mut i: usize) -> usize {
    loop {
        match buf.get(i) {
            Some(b' ' | b'\t' | b'"' | b'\'' | b'`') => i += 1,
            Some(b'\\') if buf.get(i + 1) == Some(&b'"') => i += 2,
            Some(_) => match ansi_at(buf, i) {
                Some(after) => i = after,
                None => return i,
            },
            None => return i,
        }
    }
}

/// Removes ANSI sequences (raw or escaped) from text.
pub(super) fn strip_ansi(s: &str) -> String {
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

/// A message as read from a frame: escapes that are plain decoded, control characters out,
/// cut at what follows a message (a Java service tail, a Go status line, the end of a JSON
/// string or an XML element), length capped.
pub(super) fn clean(s: &str) -> String {
    let s = s
        .replace("\\n", " ")
        .replace("\\t", " ")
        .replace("\\\"", "\"");
    // Colour sequences (raw and escaped) out first, then every other control sequence.
    let s = crate::text::sanitize(&strip_ansi(&s)).replace('\n', " ");
    let mut out = s;
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
    if out.chars().count() > MAX_MESSAGE {
        let mut t: String = out.chars().take(MAX_MESSAGE - 1).collect();
        t.push('…');
        t
    } else {
        out.to_owned()
    }
}

/// Whether a line holds nothing but white space and box-drawing borders.
pub(super) fn blank(line: &[u8]) -> bool {
    String::from_utf8_lossy(line)
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '│' | '|' | '╷' | '╵'))
        .is_empty()
}

/// A set of literal markers found in one pass: a SIMD search (Teddy) where the CPU has it, else
/// one automaton pass. Every occurrence is reported, overlapping ones too, so each reader sees
/// its own marker even where another starts at the same place.
pub(super) enum Markers {
    Teddy(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl Markers {
    /// Builds the search over `markers` (pattern ids are their indices).
    pub(super) fn new<'m>(markers: impl Iterator<Item = &'m str> + Clone) -> Markers {
        match aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(markers.clone())
            .build()
        {
            Some(t) => Markers::Teddy(t),
            None => Markers::Automaton(
                aho_corasick::AhoCorasick::new(markers).expect("literal markers always build"),
            ),
        }
    }

    /// Calls `each(marker, start, end)` for every marker in `w`.
    pub(super) fn each(&self, w: &[u8], mut each: impl FnMut(usize, usize, usize)) {
        match self {
            Markers::Teddy(t) => {
                let mut at = 0;
                while let Some(m) = t.find_in(w, aho_corasick::Span::from(at..w.len())) {
                    each(m.pattern().as_usize(), m.start(), m.end());
                    at = m.start() + 1;
                }
            }
            Markers::Automaton(ac) => {
                for m in ac.find_overlapping_iter(w) {
                    each(m.pattern().as_usize(), m.start(), m.end());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_searches_agree_with_memmem() {
        let hay =
            b"An error occurred (X) when calling the Y operation: status 400 status code: 403";
        for needle in [
            &b"status code: "[..],
            b"operation",
            b"An",
            b"403",
            b" status ",
            b"zz",
            b"X)",
        ] {
            assert_eq!(
                find(hay, needle),
                memchr::memmem::find(hay, needle),
                "{needle:?}"
            );
            assert_eq!(
                rfind(hay, needle),
                memchr::memmem::rfind(hay, needle),
                "{needle:?}"
            );
        }
        assert_eq!(find_iter(b"aXaXa", b"a").collect::<Vec<_>>(), [0, 2, 4]);
    }

    proptest::proptest! {
        #[test]
        fn find_is_memmem(hay in "[ab: ]{0,40}", needle in "[ab: ]{1,4}") {
            let (h, n) = (hay.as_bytes(), needle.as_bytes());
            proptest::prop_assert_eq!(find(h, n), memchr::memmem::find(h, n));
            proptest::prop_assert_eq!(rfind(h, n), memchr::memmem::rfind(h, n));
        }
    }

    #[test]
    fn tokens_lines_and_ansi() {
        assert_eq!(
            token(b"InvalidAMIID.NotFound. next", 0),
            b"InvalidAMIID.NotFound"
        );
        assert_eq!(line_start(b"ab\ncd", 4), 3);
        assert_eq!(line_end(b"ab\ncd", 0), 2);
        assert_eq!(ansi_at(b"\x1b[1;31mX", 0), Some(7));
        assert_eq!(ansi_at(b"\\u001b[0mX", 0), Some(9));
        assert!(ansi_suffix_len(b"abc\x1b[0m") > 0);
        assert_eq!(ansi_suffix_len(b"abc\\e[1m"), 5);
        assert_eq!(skip_noise(b" \"\x1b[1mX", 0), 6);
        assert_eq!(clean("Access Denied (Service: S3)"), "Access Denied");
        assert_eq!(clean("x\u{1b}]0;pwn\u{7}y"), "xy");
    }
}
