//! What the fuzz targets share: the built-in catalog and its extractor (built once per process,
//! since building them costs far more than one run of a target), the checks every piece of
//! output must pass, and the decoding of a fuzz input's control bytes into options.
//!
//! The checks state what errex promises about its output, independently of how it keeps the
//! promise: text, Markdown and annotations never carry a character that could drive a terminal
//! or make text read differently than it is, and JSON is JSON. They must not call the library's
//! own cleaning (`errex::text`), or a bug there would check itself.

use std::sync::OnceLock;

use errex::catalog::Catalog;
use errex::extract::Extractor;
use errex::render::Style;

/// The built-in catalog, shared by every run of a target.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// The extractor for the built-in catalog, as the binary builds it.
pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(catalog()))
}

/// Whether `c` must never appear raw in text, Markdown or annotation output: C0 controls other
/// than newline and tab (ESC among them), DEL, C1 controls (U+0080 to U+009F), and the
/// bidirectional controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C).
pub fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        )
}

/// The first forbidden character of `text`, with its byte offset.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| forbidden(c))
}

/// Panics unless `bytes` is UTF-8 without a [`forbidden`] character; `what` names the output.
pub fn assert_printable(what: &str, bytes: &[u8]) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => panic!("{what}: output is not UTF-8 ({e})"),
    };
    if let Some((at, c)) = first_forbidden(text) {
        let from = text.floor_char_boundary(at.saturating_sub(60));
        let to = text.ceil_char_boundary((at + 60).min(text.len()));
        panic!(
            "{what}: raw {:?} (U+{:04X}) at byte {at}: ...{:?}...",
            c,
            u32::from(c),
            &text[from..to]
        );
    }
}

/// Panics unless `bytes` is a sequence of JSON documents (one, for every errex writer) with
/// no raw control or bidirectional character, which the JSON writer promises to escape.
pub fn assert_json(what: &str, bytes: &[u8]) {
    let mut docs = 0;
    for doc in serde_json::Deserializer::from_slice(bytes).into_iter::<serde_json::Value>() {
        if let Err(e) = doc {
            panic!(
                "{what}: not JSON ({e}): {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        docs += 1;
    }
    assert!(docs == 1, "{what}: {docs} JSON documents, expected one");
    assert_printable(what, bytes);
}

/// A [`Style`] without colour, decided by two bytes: the width (20 to 275 columns, the CLI's
/// floor upwards), whether lines are cut to it, and whether the full detail is shown.
pub fn style(width: u8, flags: u8) -> Style {
    Style {
        color: false,
        width: 20 + usize::from(width),
        cut: flags & 1 != 0,
        full: flags & 2 != 0,
    }
}

/// A small deterministic generator, so the same input always splits the same way (libFuzzer
/// needs reproducible runs).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `seed` (any value, zero included).
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next value (splitmix64).
    pub fn draw(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `1..=max`.
    pub fn size(&mut self, max: usize) -> usize {
        1 + (self.draw() % max.max(1) as u64) as usize
    }
}

/// Splits `bytes` into consecutive pieces of 1 to `max` bytes, as `rng` decides.
pub fn pieces<'b>(bytes: &'b [u8], rng: &mut Rng, max: usize) -> Vec<&'b [u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (piece, tail) = rest.split_at(rng.size(max).min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_catch_what_they_promise_to() {
        for bad in [
            "\u{1b}[31m",
            "a\rb",
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
            "x\u{202e}y",
            "\u{2066}",
            "\u{200f}",
            "\u{61c}",
            "\0",
        ] {
            assert!(first_forbidden(bad).is_some(), "{bad:?}");
        }
        assert_eq!(first_forbidden("line\n\tindented · ▸ é 日本"), None);
    }

    #[test]
    #[should_panic(expected = "not JSON")]
    fn broken_json_is_caught() {
        assert_json("test", b"{\"a\": ");
    }

    #[test]
    #[should_panic(expected = "raw")]
    fn a_raw_control_in_json_is_caught() {
        assert_json("test", b"{\"a\": \"\xc2\x9b\"}");
    }

    #[test]
    fn pieces_cover_the_input_in_order() {
        let bytes: Vec<u8> = (0..=255).collect();
        for max in [1, 3, 1000] {
            let joined: Vec<u8> = pieces(&bytes, &mut Rng::new(7), max).concat();
            assert_eq!(joined, bytes);
        }
        assert!(pieces(&[], &mut Rng::new(0), 5).is_empty());
    }
}
