//! One large input scanned on several threads.
//!
//! The reader cuts the input into blocks where the streaming scanner would cut its chunks (at a
//! line start near the block's end), and hands each block to a worker with the look-behind and
//! look-ahead the streaming scanner would hold around it. Workers scan their block on its own;
//! the reports are merged in input order, so the result is what one streaming scan reports:
//! the same codes, counts, lines and first sightings. Each block is told which codes the report
//! so far already has enough sightings of, so blocks do not read context that would be thrown
//! away. Memory stays bounded: one block per worker is in flight, and one being read.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, mpsc};

use super::Extractor;
use super::report::Report;
use super::scan::{CHUNK, HOLD_AHEAD, KEEP_BEHIND, Scanner};

/// A block handed to a worker.
struct Job {
    seq: u64,
    /// Look-behind, the block, look-ahead.
    data: Vec<u8>,
    block: std::ops::Range<usize>,
    /// The line number of `data[0]`.
    line: u64,
    enough: Arc<super::report::Enough>,
}

/// Scans `input` on `threads` workers in blocks of [`BLOCK`] bytes; see the module header.
pub fn scan_parallel(ex: &Extractor, input: impl Read, threads: usize) -> io::Result<Report> {
    scan_blocks(ex, input, threads, BLOCK)
}

/// Bytes per block: small enough that a block of one long line of errors (tens of thousands of
/// hits) stays a few megabytes in flight, large enough that the look-around read with each
/// block costs a few percent.
const BLOCK: usize = CHUNK / 4;

/// [`scan_parallel`] with a chosen block size (tests use small blocks to cut often).
#[doc(hidden)]
pub fn scan_blocks(
    ex: &Extractor,
    mut input: impl Read,
    threads: usize,
    block_size: usize,
) -> io::Result<Report> {
    let threads = threads.max(1);
    let block_size = block_size.max(1);
    std::thread::scope(|scope| {
        // A rendezvous: a block is read while the workers scan theirs, and no more are held.
        let (jobs, queue) = mpsc::sync_channel::<Job>(0);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = mpsc::channel::<(u64, Report, Vec<u8>)>();
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
                    let report = Report::with_enough(job.enough);
                    let (report, data) = Scanner::block(ex, job.data, job.block, job.line, report);
                    if done.send((job.seq, report, data)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);

        let mut merged = Merged::default();
        // Blocks' buffers come back to be filled again: memory stays what is in flight.
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        // Where the next block starts in `buf`, and the line number of `buf[0]`.
        let mut start = 0;
        let mut line = 1u64;
        let mut eof = false;
        let mut seq = 0;
        loop {
            while !eof && buf.len() < start + block_size + HOLD_AHEAD {
                let have = buf.len();
                buf.resize(start + block_size + HOLD_AHEAD, 0);
                match input.read(&mut buf[have..]) {
                    Ok(0) => {
                        buf.truncate(have);
                        eof = true;
                    }
                    Ok(n) => buf.truncate(have + n),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(have),
                    Err(e) => return Err(e),
                }
            }
            if start >= buf.len() {
                break;
            }
            // Cut where the streaming scanner cuts: at a line start near the end.
            let end = if eof {
                buf.len()
            } else {
                let end = buf.len() - HOLD_AHEAD;
                let floor = start.max(end.saturating_sub(HOLD_AHEAD));
                memchr::memrchr(b'\n', &buf[floor..end]).map_or(end, |i| floor + i + 1)
            };
            // The look-behind the streaming scanner keeps: from a line start, if one is near.
            let behind = start.saturating_sub(KEEP_BEHIND);
            let behind = memchr::memchr(b'\n', &buf[behind..start])
                .map_or(start, |i| behind + i + 1)
                .min(start);
            let ahead = (end + HOLD_AHEAD).min(buf.len());
            let mut data = spare.pop().unwrap_or_default();
            data.clear();
            data.extend_from_slice(&buf[behind..ahead]);
            let job = Job {
                seq,
                data,
                block: start - behind..end - behind,
                line: line + memchr::memchr_iter(b'\n', &buf[..behind]).count() as u64,
                enough: merged.enough(),
            };
            seq += 1;
            if jobs.send(job).is_err() {
                break;
            }
            while let Ok((s, r, data)) = results.try_recv() {
                merged.arrive(s, r);
                spare.push(data);
            }
            // Keep what the next block's look-behind needs.
            let keep_from = end.saturating_sub(KEEP_BEHIND);
            line += memchr::memchr_iter(b'\n', &buf[..keep_from]).count() as u64;
            buf.drain(..keep_from);
            start = end - keep_from;
        }
        drop(jobs);
        drop(spare);
        for (s, r, _) in results {
            merged.arrive(s, r);
        }
        Ok(merged.report)
    })
}

/// The merged report, and blocks that finished before the ones ahead of them.
#[derive(Default)]
struct Merged {
    report: Report,
    next: u64,
    waiting: BTreeMap<u64, Report>,
    enough: Option<Arc<super::report::Enough>>,
}

impl Merged {
    /// Takes a finished block; merges every block that is now next in order.
    fn arrive(&mut self, seq: u64, report: Report) {
        self.waiting.insert(seq, report);
        while let Some(r) = self.waiting.remove(&self.next) {
            self.report.absorb_block(r);
            self.next += 1;
            self.enough = None;
        }
    }

    /// What the report merged so far has enough of.
    fn enough(&mut self) -> Arc<super::report::Enough> {
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
}
