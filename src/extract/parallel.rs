//! One large input scanned on several threads.
//!
//! The reader cuts the input into blocks where the streaming scanner would cut its chunks (at a
//! line start near the block's end), and hands each block to a worker with the look-behind and
//! look-ahead the streaming scanner would hold around it. Workers scan their block on its own;
//! the reports are merged in input order, so the result is what one streaming scan reports:
//! the same codes, counts, lines and first sightings. Each block is told which codes the report
//! so far already has enough sightings of, so blocks do not read context that would be thrown
//! away. Memory stays bounded: at most two blocks per worker are out (being scanned, or scanned
//! and waiting for a slower one before them), and one is being read. Blocks start small and
//! grow once the text shows itself sparse in errors; text dense with errors keeps them small,
//! because there a block's report, not its text, is what weighs.
//!
//! Bytes are read straight into the buffer a block is scanned from; only the few kilobytes of
//! look-behind and look-ahead that two blocks share are copied. A [`Sink`] sees each block, in
//! input order, as soon as it is merged: `--tee` writes the text through with its notes. Live
//! input (a pipe that pauses) is not held back: when the input has nothing more to give, the
//! lines read so far are scanned without waiting for a whole block, and the line in progress is
//! handed on as it is.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, mpsc};

use super::Extractor;
use super::report::{Enough, Report};
use super::scan::{CHUNK, HOLD_AHEAD, KEEP_BEHIND, Scanner};

/// What the reader does with each block once it is scanned and merged, in input order.
pub trait Sink {
    /// `text` is a block: the input's bytes from offset `at`, the first of them on line `line`
    /// (numbered as the report numbers its sightings; see [`pass_through`]).
    /// `report` is what the input has shown so far, this block included. Blocks end at a line
    /// end, except the last one and blocks of a line too long to wait for.
    fn block(&mut self, report: &Report, text: &[u8], at: u64, line: u64) -> io::Result<()>;

    /// The input paused in the middle of a line: `text` (from offset `at`) is that line so far,
    /// not yet scanned; it comes again, whole, in a later block. Every block before it has been
    /// given to [`Sink::block`].
    fn paused(&mut self, text: &[u8], at: u64) -> io::Result<()>;
}

/// A sink that does nothing: a plain scan.
struct Discard;

impl Sink for Discard {
    fn block(&mut self, _: &Report, _: &[u8], _: u64, _: u64) -> io::Result<()> {
        Ok(())
    }
    fn paused(&mut self, _: &[u8], _: u64) -> io::Result<()> {
        Ok(())
    }
}

/// A block handed to a worker.
struct Job {
    seq: u64,
    /// Look-behind, the block, look-ahead, then unused room (`data[..filled]` is the input).
    data: Vec<u8>,
    filled: usize,
    block: std::ops::Range<usize>,
    /// The input offset and the line number of `data[0]` (1 when lines are numbered within each
    /// block; see [`pass_through`]).
    at: u64,
    line: u64,
    enough: Arc<Enough>,
}

/// A scanned block on its way back to the reader.
struct Done {
    report: Report,
    job: Job,
}

/// Scans `input` on `threads` workers in blocks of up to [`BLOCK`] bytes; see the module header.
pub fn scan_parallel(ex: &Extractor, input: impl Read, threads: usize) -> io::Result<Report> {
    scan_blocks(ex, input, threads, BLOCK)
}

/// Scans `input` like [`scan_parallel`], handing each block to `sink` in input order once it is
/// scanned. `more` says whether the input has bytes ready to read now; when it has none (a live
/// pipe), what has been read is scanned and handed on at once instead of waiting for a whole
/// block. `None` never waits less than a block (files, and inputs read to their end anyway).
///
/// Lines are numbered within each block, not across the input: the sink's `line` and the
/// report's sightings count from the first line of the block's look-behind, so a sink can place
/// what it writes within a block, and the report's codes, counts and order are the input's, but
/// its line numbers are not. Numbering the input's lines would mean counting every line on the
/// reader's thread, a tenth of the CPU on a large log.
pub fn pass_through(
    ex: &Extractor,
    input: impl Read,
    threads: usize,
    more: Option<&dyn Fn() -> bool>,
    sink: &mut dyn Sink,
) -> io::Result<Report> {
    blocks(ex, input, threads, BLOCK, more, sink, false)
}

/// Bytes per block once the text has shown itself sparse in errors: large enough that handing
/// blocks to the workers and back costs little (256 KiB blocks made the judged log's scan about
/// a quarter slower), small enough to stay in the core's cache while it is scanned. The input
/// starts, and text dense with errors (see [`dense`]) goes on, in blocks a quarter this size, so
/// the reports in flight (a sighting keeps its context) stay a few megabytes.
const BLOCK: usize = CHUNK;

/// Whether a block's report makes the text around it dense with errors: more than one sighting
/// per 16 KiB.
fn dense(report: &Report, len: usize) -> bool {
    let sightings: u64 = report.found.iter().map(|f| f.count).sum::<u64>() + report.dropped_codes;
    sightings.saturating_mul(16 * 1024) > len as u64
}

/// [`scan_parallel`] with a chosen largest block size (tests use small blocks to cut often); dense
/// text is cut in quarters of it.
#[doc(hidden)]
pub fn scan_blocks(
    ex: &Extractor,
    input: impl Read,
    threads: usize,
    block_size: usize,
) -> io::Result<Report> {
    blocks(ex, input, threads, block_size, None, &mut Discard, true)
}

/// The reader: fills buffers, cuts blocks, hands them out, and merges what comes back. Lines are
/// numbered across the input when `input_lines` is set, else within each block (see
/// [`pass_through`]).
fn blocks(
    ex: &Extractor,
    mut input: impl Read,
    threads: usize,
    block_size: usize,
    more: Option<&dyn Fn() -> bool>,
    sink: &mut dyn Sink,
    input_lines: bool,
) -> io::Result<Report> {
    let threads = threads.max(1);
    let block_size = block_size.max(1);
    let small = (block_size / 4).max(1);
    // Room for the look-behind carried in, a block and its look-ahead.
    let room = |size: usize| KEEP_BEHIND + size + HOLD_AHEAD;
    std::thread::scope(|scope| {
        // A rendezvous: a block is read while the workers scan theirs, and no more are held.
        let (jobs, queue) = mpsc::sync_channel::<Job>(0);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = mpsc::channel::<Done>();
        for _ in 0..threads {
            let queue = Arc::clone(&queue);
            let done = done.clone();
            scope.spawn(move || {
                loop {
                    // A poisoned lock means another worker panicked; the scope re-raises it.
                    let job = match queue.lock().map(|q| q.recv()) {
                        Ok(Ok(job)) => job,
                        _ => break,
                    };
                    let report = Report::with_enough(Arc::clone(&job.enough));
                    let data = &job.data[..job.filled];
                    let report = Scanner::block(ex, data, job.block.clone(), job.line, report);
                    if done.send(Done { report, job }).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);

        let mut merged = Merged::default();
        // Buffers come back with their blocks to be filled again: memory stays what is in
        // flight.
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut cur = vec![0u8; room(small)];
        // Bytes of `cur` read, where the next block starts in it, and the input offset and
        // line number of `cur[0]`.
        let (mut filled, mut start, mut at, mut line) = (0usize, 0usize, 0u64, 1u64);
        let mut eof = false;
        let mut in_flight = 0usize;
        loop {
            let size = if merged.sparse_run >= SPARSE_RUN {
                block_size
            } else {
                // Buffers grown for large blocks go: dense text holds no more than it needs.
                spare.retain(|b| b.len() <= room(small));
                small
            };
            let want = start + size + HOLD_AHEAD;
            if cur.len() < want {
                cur.resize(want, 0);
            }
            let mut paused = false;
            while !eof && filled < want {
                match input.read(&mut cur[filled..want]) {
                    Ok(0) => eof = true,
                    Ok(n) => {
                        filled += n;
                        paused = filled < want && more.is_some_and(|m| !m());
                        if paused {
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            // Cut where the streaming scanner cuts: at a line start near the end. At the end of
            // the input, everything; when it pauses, after the last whole line.
            let end = if eof {
                filled
            } else if paused {
                memchr::memrchr(b'\n', &cur[start..filled]).map_or(start, |i| start + i + 1)
            } else {
                let end = filled - HOLD_AHEAD;
                let floor = start.max(end.saturating_sub(HOLD_AHEAD));
                memchr::memrchr(b'\n', &cur[floor..end]).map_or(end, |i| floor + i + 1)
            };
            if end > start {
                // Blocks scanned ahead of a slow one wait to be merged in order, with their
                // reports and buffers: no more than two per worker may be out at once.
                while merged.sent - merged.next >= 2 * threads as u64 {
                    let Ok(d) = results.recv() else { break };
                    in_flight -= 1;
                    merged.arrive(d, sink, &mut spare)?;
                }
                // The next block's look-behind (from a line start, if one is near; inside a
                // long line, its last bytes) and what is read past this block move to a fresh
                // buffer.
                let behind = end.saturating_sub(KEEP_BEHIND);
                let keep = memchr::memchr(b'\n', &cur[behind..end])
                    .map_or(behind, |i| behind + i + 1)
                    .min(end);
                let mut next = spare.pop().unwrap_or_default();
                let carried = filled - keep;
                if next.len() < room(size).max(carried) {
                    next.resize(room(size).max(carried), 0);
                }
                next[..carried].copy_from_slice(&cur[keep..filled]);
                let next_line = if input_lines {
                    line + memchr::memchr_iter(b'\n', &cur[..keep]).count() as u64
                } else {
                    1
                };
                let job = Job {
                    seq: merged.sent,
                    data: std::mem::replace(&mut cur, next),
                    filled,
                    block: start..end,
                    at,
                    line,
                    enough: merged.enough(),
                };
                merged.sent += 1;
                if jobs.send(job).is_err() {
                    break;
                }
                in_flight += 1;
                (filled, start, at, line) = (carried, end - keep, at + keep as u64, next_line);
            }
            // Merge what has come back; at a pause or the end, everything.
            let wait_all = paused || eof;
            loop {
                let d = if wait_all && in_flight > 0 {
                    match results.recv() {
                        Ok(d) => d,
                        Err(_) => break,
                    }
                } else {
                    match results.try_recv() {
                        Ok(d) => d,
                        Err(_) => break,
                    }
                };
                in_flight -= 1;
                merged.arrive(d, sink, &mut spare)?;
            }
            if eof {
                break;
            }
            if paused {
                sink.paused(&cur[start..filled], at + start as u64)?;
            }
        }
        drop(jobs);
        for d in results {
            merged.arrive(d, sink, &mut spare)?;
        }
        Ok(merged.report)
    })
}

/// The merged report, and blocks that finished before the ones ahead of them.
#[derive(Default)]
struct Merged {
    report: Report,
    /// Blocks handed out, and the next one to merge.
    sent: u64,
    next: u64,
    waiting: BTreeMap<u64, Done>,
    enough: Option<Arc<Enough>>,
    /// How many blocks in a row, up to the last merged, were sparse in errors.
    sparse_run: u32,
}

/// Sparse blocks in a row after which blocks are cut large.
const SPARSE_RUN: u32 = 4;

impl Merged {
    /// Takes a finished block; merges every block that is now next in order and shows it to
    /// `sink`. The buffers of merged blocks go to `spare`.
    fn arrive(&mut self, d: Done, sink: &mut dyn Sink, spare: &mut Vec<Vec<u8>>) -> io::Result<()> {
        self.waiting.insert(d.job.seq, d);
        while let Some(Done { report, job }) = self.waiting.remove(&self.next) {
            self.sparse_run = if dense(&report, job.block.len()) {
                0
            } else {
                self.sparse_run.saturating_add(1)
            };
            self.report.absorb_block(report);
            self.next += 1;
            self.enough = None;
            let text = &job.data[job.block.clone()];
            let line =
                job.line + memchr::memchr_iter(b'\n', &job.data[..job.block.start]).count() as u64;
            sink.block(&self.report, text, job.at + job.block.start as u64, line)?;
            spare.push(job.data);
        }
        Ok(())
    }

    /// What the report merged so far has enough of.
    fn enough(&mut self) -> Arc<Enough> {
        Arc::clone(
            self.enough
                .get_or_insert_with(|| Arc::new(self.report.enough())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn summary(r: &Report) -> Vec<(Option<String>, String, u64, Vec<u64>)> {
        r.found
            .iter()
            .map(|f| {
                (
                    f.service.clone(),
                    f.code.clone(),
                    f.count,
                    f.occurrences.iter().map(|o| o.line).collect(),
                )
            })
            .collect()
    }

    /// One long line of Go v2 errors (a JSON log's escaped newlines): wherever a block is cut,
    /// between a frame's marker and its code too, every error is found once.
    #[test]
    fn a_cut_inside_a_long_line_loses_no_error() {
        let ex = Extractor::new(&Catalog::builtin());
        let frame = "operation error S3: PutObject, https response error StatusCode: 403, RequestID: X1, api error AccessDenied: Access Denied\\n";
        let text = frame.repeat(100);
        let whole = ex.scan_str(&text);
        assert_eq!(summary(&whole)[0].2, 100, "{:?}", summary(&whole));
        // Sizes that put cuts at every place in a frame over the line (the frame is 126 bytes).
        for (threads, block) in [(1, 61), (1, 97), (2, 125), (2, 127), (1, 4096)] {
            let r = scan_blocks(&ex, text.as_bytes(), threads, block).expect("in memory");
            assert_eq!(
                summary(&r),
                summary(&whole),
                "{threads} threads, blocks of {block}"
            );
        }
    }

    #[test]
    fn blocks_merged_in_order_report_what_one_stream_reports() {
        let ex = Extractor::new(&Catalog::builtin());
        let lines = [
            "2026-01-01 ERROR An error occurred (UnauthorizedOperation) when calling the RunInstances operation: no\n",
            "ordinary line with nothing in it at all\n",
            "operation error S3: PutObject, https response error StatusCode: 403, RequestID: X1, api error AccessDenied: Access Denied\n",
            "InvalidInstanceID.NotFound: The instance ID 'i-0abc' does not exist\n\tstatus code: 400, request id: 5f1\n",
            "\n",
        ];
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(lines[i * 7 % lines.len()]);
        }
        let whole = ex.scan_str(&text);
        for (threads, block) in [(1, 97), (2, 1000), (3, 4096), (2, 1 << 20)] {
            let r = scan_blocks(&ex, text.as_bytes(), threads, block).expect("in memory");
            assert_eq!(
                summary(&r),
                summary(&whole),
                "{threads} threads, blocks of {block}"
            );
        }
    }

    /// Gives its bytes in pieces of `step`, like a pipe that a writer fills a little at a time.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// What a sink was shown: the blocks (text, offset, line) and the paused pieces.
    #[derive(Default)]
    struct Record {
        blocks: Vec<(Vec<u8>, u64, u64)>,
        paused: Vec<(Vec<u8>, u64)>,
        found_when: Vec<usize>,
        /// For each block, the codes first found in it and their first sighting's line.
        new_codes: Vec<Vec<(String, Option<u64>)>>,
    }

    impl Sink for Record {
        fn block(&mut self, report: &Report, text: &[u8], at: u64, line: u64) -> io::Result<()> {
            self.blocks.push((text.to_vec(), at, line));
            let before = self.found_when.last().copied().unwrap_or(0);
            self.found_when.push(report.found.len());
            self.new_codes.push(
                report.found[before..]
                    .iter()
                    .map(|f| (f.code.clone(), f.occurrences.first().map(|o| o.line)))
                    .collect(),
            );
            Ok(())
        }
        fn paused(&mut self, text: &[u8], at: u64) -> io::Result<()> {
            self.paused.push((text.to_vec(), at));
            Ok(())
        }
    }

    /// `pass_through` numbers lines within each block: a code first seen in a block is on the
    /// block's line that its sighting's line, less the block's, says (what `--tee` needs to put
    /// a note under it).
    #[test]
    fn without_input_lines_a_code_is_placed_within_its_block() {
        let ex = Extractor::new(&Catalog::builtin());
        let errors = [
            (
                400,
                "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: no\n",
            ),
            (
                1300,
                "operation error S3: PutObject, https response error StatusCode: 403, RequestID: X1, api error AccessDenied: Access Denied\n",
            ),
            (
                2900,
                "InvalidInstanceID.NotFound: The instance ID 'i-0abc' does not exist\n\tstatus code: 400, request id: 5f1\n",
            ),
        ];
        let mut text = String::new();
        for i in 0..3000 {
            match errors.iter().find(|(at, _)| *at == i) {
                Some((_, e)) => text.push_str(e),
                None => text.push_str(&format!("{i} ordinary line with nothing in it\n")),
            }
        }
        for block in [1000, 4096, 20_000] {
            let mut rec = Record::default();
            blocks(&ex, text.as_bytes(), 2, block, None, &mut rec, false).expect("in memory");
            let mut placed = 0;
            for ((t, _, line), new) in rec.blocks.iter().zip(&rec.new_codes) {
                for (code, on) in new {
                    let on = on.expect("a sighting is kept");
                    let k = usize::try_from(on - line).expect("small");
                    let held = t.split(|&b| b == b'\n').nth(k).expect("within the block");
                    let held = String::from_utf8_lossy(held);
                    assert!(
                        held.contains(code.as_str()),
                        "blocks of {block}: {code} on {held:?}"
                    );
                    placed += 1;
                }
            }
            assert_eq!(placed, 3, "blocks of {block}");
        }
    }

    #[test]
    fn a_sink_sees_every_byte_once_in_order_with_its_line() {
        let ex = Extractor::new(&Catalog::builtin());
        let mut text = String::new();
        for i in 0..3000 {
            match i % 97 {
                5 => text.push_str(
                    "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: no\n",
                ),
                50 => text.push_str("a long line without an end yet "),
                _ => text.push_str(&format!("{i} ordinary line with nothing in it\n")),
            }
        }
        text.push_str("the last line has no end");
        let bytes = text.as_bytes();
        let whole = ex.scan_str(&text);
        // (reader step, block size, pauses)
        for (step, block, pause) in [
            (usize::MAX, 1 << 20, false),
            (usize::MAX, 4096, false),
            (7000, 1000, false),
            (333, 4096, true),
            (64 * 1024, 64 * 1024, true),
        ] {
            let mut rec = Record::default();
            let never = || false;
            let more: Option<&dyn Fn() -> bool> = if pause { Some(&never) } else { None };
            let input = Trickle { data: bytes, step };
            let report =
                blocks(&ex, input, 2, block, more, &mut rec, true).expect("reads from memory");
            let what = format!("step {step}, blocks of {block}, pauses {pause}");
            let mut at = 0u64;
            for (t, a, line) in &rec.blocks {
                assert_eq!(*a, at, "{what}: blocks follow each other");
                let before = &bytes[..at as usize];
                assert_eq!(
                    *line,
                    1 + memchr::memchr_iter(b'\n', before).count() as u64,
                    "{what}"
                );
                assert_eq!(&bytes[at as usize..at as usize + t.len()], &t[..], "{what}");
                at += t.len() as u64;
            }
            assert_eq!(at as usize, bytes.len(), "{what}: every byte, once");
            for (t, a) in &rec.paused {
                assert_eq!(&bytes[*a as usize..*a as usize + t.len()], &t[..], "{what}");
                assert!(
                    !t.contains(&b'\n'),
                    "{what}: a pause hands on a line in progress"
                );
            }
            assert_eq!(pause, !rec.paused.is_empty(), "{what}");
            assert!(rec.found_when.is_sorted(), "{what}: the report only grows");
            let codes = |r: &Report| {
                r.found
                    .iter()
                    .map(|f| (f.code.clone(), f.count))
                    .collect::<Vec<_>>()
            };
            assert_eq!(codes(&report), codes(&whole), "{what}");
            if !pause {
                assert_eq!(summary(&report), summary(&whole), "{what}");
            }
        }
    }
}
