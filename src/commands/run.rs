//! `errex run -- CMD ARGS...`: runs a command with its output passed through unchanged, prints
//! a one-line explanation (on stderr) under each AWS error the first time its code appears, the
//! digest at the end, and exits with the command's status.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use super::explain::{brief_line, write_report};
use super::{Context, Outcome};
use crate::extract::{Extractor, Scanner};
use crate::render::sanitize;

/// A line of the child's output, and which stream it came from.
enum Line {
    Out(Vec<u8>),
    Err(Vec<u8>),
}

/// Forwards a stream line by line to `tx`. Lines are capped (a line without a newline is sent
/// in pieces), so memory stays bounded.
fn pump(stream: impl Read, tx: mpsc::Sender<Line>, err: bool) {
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    loop {
        let mut line = Vec::new();
        match (&mut reader).take(1024 * 1024).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                let msg = if err {
                    Line::Err(line)
                } else {
                    Line::Out(line)
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        }
    }
}

/// Runs `command`, explaining its AWS errors as they appear. Explanations and the digest go to
/// `notes` (stderr), so the command's own stdout stays as it was.
pub fn run(
    ctx: &Context<'_>,
    command: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    notes: &mut dyn Write,
) -> io::Result<Outcome> {
    let Some((program, args)) = command.split_first() else {
        writeln!(
            notes,
            "errex: run needs a command: errex run -- terraform apply"
        )?;
        return Ok(Outcome::Failed);
    };
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            writeln!(notes, "errex: cannot run {}: {e}", sanitize(program))?;
            return Ok(Outcome::Exit(if e.kind() == io::ErrorKind::NotFound {
                127
            } else {
                126
            }));
        }
    };
    let (tx, rx) = mpsc::channel();
    let mut threads = Vec::new();
    if let Some(s) = child.stdout.take() {
        let tx = tx.clone();
        threads.push(std::thread::spawn(move || pump(s, tx, false)));
    }
    if let Some(s) = child.stderr.take() {
        let tx = tx.clone();
        threads.push(std::thread::spawn(move || pump(s, tx, true)));
    }
    drop(tx);
    let ex = Extractor::new(ctx.catalog);
    let mut scanner = Scanner::new(&ex);
    let mut shown = 0;
    for line in rx {
        let bytes = match &line {
            Line::Out(b) => {
                out.write_all(b)?;
                out.flush()?;
                b
            }
            Line::Err(b) => {
                err.write_all(b)?;
                err.flush()?;
                b
            }
        };
        scanner.feed(bytes);
        if bytes.ends_with(b"\n") {
            scanner.flush_lines();
        }
        let found = &scanner.report().found;
        while let Some(f) = found.get(shown) {
            writeln!(notes, "{}", brief_line(ctx.catalog, f))?;
            shown += 1;
        }
    }
    for t in threads {
        let _ = t.join();
    }
    let status = child.wait()?;
    let report = scanner.finish();
    if !report.found.is_empty() {
        writeln!(notes)?;
        write_report(ctx, &report, notes, &mut io::sink())?;
    }
    Ok(Outcome::Exit(exit_code(status)))
}

/// The command's exit status as a shell reports it (128 + the signal when killed).
fn exit_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code.clamp(0, 255)).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from((128 + sig).clamp(0, 255)).unwrap_or(1);
        }
    }
    1
}
