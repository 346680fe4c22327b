//! The streaming scanner fed arbitrary bytes in arbitrary chunks: what it finds must not depend
//! on how the input was split into `feed` calls, and nothing may panic.
//!
//! Input: `[mode, seed_lo, seed_hi, text...]`. The seed decides the chunk sizes (and, padded,
//! where the text lands); the mode decides the shape:
//!
//! - bits 0-1: `0` live (`--tee`, `errex run`): `flush_lines` after every chunk, checking that
//!   findings only ever grow at the end (the live writers print `found[shown..]`); `1` the text
//!   as it is; `2` the text after a line of `x` that runs past the scanner's first window, so
//!   the window is cut inside it; `3` the text after ordinary log lines, placed across the
//!   first window's edge, where the look-behind and look-ahead are cut.
//! - bits 2-3: the largest chunk: 8 bytes, 512, 8 KiB or 128 KiB.
//!
//! In modes 1 to 3 every finding must equal the one-call scan's: code, service, candidates,
//! whether known, inferred or a handler's, count, and the sightings kept with their context
//! (as `tests/extract.rs` demands for a fixture), in the same order; so must the counts of
//! dropped codes and sightings.

#![no_main]

use errex::extract::{Occurrence, Report, Scanner};
use errex_fuzz::{Rng, extractor, pieces};
use libfuzzer_sys::fuzz_target;

/// Where the scanner's first window ends, roughly: a 1 MiB chunk plus look-ahead (see
/// `src/extract/scan.rs`). Only aims the padding; if the window changes, the target still
/// holds, it just aims less well.
const FIRST_WINDOW: usize = (1 << 20) + 4 * 1024;

/// Filler closer than this to the text is split like the text.
const NEAR: usize = 32 * 1024;

/// A log line with nothing AWS-like in it.
const LOG_LINE: &[u8] = b"2026-01-01T00:00:00.000Z INFO  http GET /health 200 0.4ms\n";

/// What must not depend on chunking: per finding, then the dropped codes and sightings.
type Summary<'r> = (
    Vec<(
        &'r Option<String>,
        &'r str,
        &'r [String],
        [bool; 3],
        u64,
        &'r [Occurrence],
    )>,
    u64,
    u64,
);

fn summary(r: &Report) -> Summary<'_> {
    (
        r.found
            .iter()
            .map(|f| {
                (
                    &f.service,
                    f.code.as_str(),
                    f.candidates.as_slice(),
                    [f.known, f.inferred, f.handler],
                    f.count,
                    f.occurrences.as_slice(),
                )
            })
            .collect(),
        r.dropped_codes,
        r.dropped_sightings,
    )
}

/// The text, padded as `mode` asks so that it lands across the first window's edge; and how
/// many of the leading bytes are filler far from the text, fed in one call (splitting a
/// megabyte of filler into 8-byte pieces costs much and shows nothing the pieces near the text
/// do not).
fn layout(mode: u8, text: &[u8], rng: &mut Rng) -> (Vec<u8>, usize) {
    let filler: &[u8] = match mode {
        2 => b"x",
        3 => LOG_LINE,
        _ => return (text.to_vec(), 0),
    };
    // The text starts up to its own length plus 8 KiB before the edge.
    let before = (rng.draw() % (text.len() as u64 + 8 * 1024 + 1)) as usize;
    let pad = FIRST_WINDOW.saturating_sub(before);
    let mut out = Vec::with_capacity(pad + text.len());
    while out.len() < pad {
        let take = filler.len().min(pad - out.len());
        out.extend_from_slice(&filler[..take]);
    }
    out.extend_from_slice(text);
    (out, pad.saturating_sub(NEAR))
}

fuzz_target!(|data: &[u8]| {
    let Some((&[flags, lo, hi], text)) = data.split_first_chunk::<3>() else {
        return;
    };
    let mut rng = Rng::new(u64::from(u16::from_le_bytes([lo, hi])));
    let mode = flags & 3;
    let max = [8, 512, 8 * 1024, 128 * 1024][usize::from((flags >> 2) & 3)];
    let (input, far) = layout(mode, text, &mut rng);
    let ex = extractor();

    let mut scanner = Scanner::new(ex);
    if mode == 0 {
        let mut before: Vec<(Option<String>, String)> = Vec::new();
        for piece in pieces(&input, &mut rng, max) {
            scanner.feed(piece);
            scanner.flush_lines();
            let now: Vec<(Option<String>, String)> = scanner
                .report()
                .found
                .iter()
                .map(|f| (f.service.clone(), f.code.clone()))
                .collect();
            assert!(
                now.starts_with(&before),
                "a finding changed or moved after flush_lines: {before:?} became {now:?}"
            );
            before = now;
        }
        let last: Vec<(Option<String>, String)> = scanner
            .finish()
            .found
            .into_iter()
            .map(|f| (f.service, f.code))
            .collect();
        assert!(
            last.starts_with(&before),
            "a finding changed or moved at finish: {before:?} became {last:?}"
        );
        return;
    }

    let whole = ex.scan_bytes(&input);
    let (head, tail) = input.split_at(far);
    scanner.feed(head);
    for piece in pieces(tail, &mut rng, max) {
        scanner.feed(piece);
    }
    let chunked = scanner.finish();
    assert_eq!(
        summary(&chunked),
        summary(&whole),
        "chunked (at most {max} bytes) differs from one call, mode {mode}, {} bytes",
        input.len()
    );
});
