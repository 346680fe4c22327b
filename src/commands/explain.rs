//! `<text> | errex`, `errex explain FILE...` and `errex --tee`: find every code in text and
//! explain it.

use std::io::{self, Read, Write};

use super::{Context, Outcome};
use crate::catalog::{CROSS_SERVICE, Catalog, family_of};
use crate::extract::{Extractor, Found, MAX_CODES, Report, Scanner};
use crate::render::{self, Finding, Format, sanitize};

/// One input: its name (for headers and `file:line`), or `None` for standard input.
pub struct Input<'r> {
    /// The file as named on the command line.
    pub name: Option<String>,
    /// Its bytes.
    pub reader: Box<dyn Read + 'r>,
}

/// The size of each read.
const READ_SIZE: usize = 256 * 1024;

/// Reads every input through the scanner, in bounded chunks. Sightings name their file when
/// several inputs were read.
pub fn scan(ex: &Extractor, inputs: Vec<Input<'_>>) -> io::Result<Report> {
    scan_named(ex, inputs, false)
}

/// Like [`scan`], but with `name_one` a single named file is named too (GitHub annotations need
/// the file; text, like grep, names files only when there are several).
fn scan_named(ex: &Extractor, inputs: Vec<Input<'_>>, name_one: bool) -> io::Result<Report> {
    // Error-dense text costs more to read than to find; a second core reads it twice as fast.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let many = inputs.len() > 1 || name_one && inputs.iter().any(|i| i.name.is_some());
    let mut merged = Report::default();
    let mut single = None;
    for input in inputs {
        let name = input.name.as_deref().unwrap_or("standard input").to_owned();
        let report = if threads > 1 {
            crate::extract::scan_parallel(ex, input.reader, threads)
        } else {
            stream(ex, input.reader)
        }
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", sanitize(&name))))?;
        if many {
            merged.absorb(report, input.name.as_deref());
        } else {
            single = Some(report);
        }
    }
    Ok(single.unwrap_or(merged))
}

/// Reads one input through one streaming scanner.
fn stream(ex: &Extractor, mut reader: impl Read) -> io::Result<Report> {
    let mut buf = vec![0u8; READ_SIZE];
    let mut scanner = Scanner::new(ex);
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(scanner.finish()),
            Ok(n) => scanner.feed(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// What errex says about each code found: the service's entry (or the cross-service one, or the
/// registry's facts), and for codes several services have when the text does not say which,
/// those services.
pub fn findings<'a>(catalog: &'a Catalog, report: &Report) -> Vec<Finding<'a>> {
    assuming(catalog, report, None)
}

/// The findings, with `assumed` (`--service`) as the service of each code the text does not
/// say the service of, when that service has the code.
pub fn assuming<'a>(
    catalog: &'a Catalog,
    report: &Report,
    assumed: Option<&str>,
) -> Vec<Finding<'a>> {
    report
        .found
        .iter()
        .map(|f| {
            let service = f.service.clone().or_else(|| {
                let s = assumed?;
                catalog_code(catalog, s, &f.code).map(|_| s.to_owned())
            });
            finding(catalog, f, service)
        })
        .collect()
}

fn finding<'a>(catalog: &'a Catalog, f: &Found, service: Option<String>) -> Finding<'a> {
    let mut out = Finding::new(f.code.clone());
    out.occurrences = Some(f.occurrences.clone());
    out.count = f.count;
    out.inferred = f.inferred;
    out.handler = f.handler;
    out.candidates = if service.is_some() && f.service.is_none() {
        Vec::new()
    } else {
        f.candidates.clone()
    };
    out.service = service;
    // The finding borrows the catalog, so look the service up there (the report owns its
    // strings).
    let known = match out.service.as_deref() {
        Some(s) => catalog.service_id(s).and_then(|id| {
            catalog_code(catalog, id, &f.code)
                .and_then(|c| catalog.known(id, c))
                .or_else(|| catalog.refined(id, &f.code))
        }),
        None => catalog
            .entry(CROSS_SERVICE, &f.code)
            .and_then(|e| catalog.known(CROSS_SERVICE, &e.code)),
    };
    match known {
        Some(k) => out.known = Some(k),
        None if out.service.is_none() && !out.candidates.is_empty() => {
            out.also = out
                .candidates
                .iter()
                .filter_map(|s| catalog.service_id(s))
                .filter_map(|s| catalog.known(s, catalog_code(catalog, s, &f.code)?))
                .collect();
            out.family = family_of(&f.code);
        }
        None => {
            out.family = family_of(&f.code);
            if !f.known {
                out.suggestions = catalog.suggest(&f.code, out.service.as_deref(), 5);
            }
        }
    }
    out
}

/// The catalog's own copy of a code (a `&'a str` the finding can hold); `None` when the
/// catalog does not know it in that service, and so has nothing to say about it. (It used to
/// leak a copy of the unknown code instead, once per finding: the render fuzz target's leak
/// check caught it.)
fn catalog_code<'a>(catalog: &'a Catalog, service: &str, code: &str) -> Option<&'a str> {
    catalog
        .entry(service, code)
        .or_else(|| catalog.entry(CROSS_SERVICE, code))
        .map(|e| &*e.code)
        .or_else(|| crate::catalog::registry::find(service, code).map(|r| r.code))
}

/// Writes what a scan found, with notes (nothing found, codes or sightings not kept) on `err`.
pub fn write_report(
    ctx: &Context<'_>,
    report: &Report,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    if report.dropped_codes > 0 {
        let about = if report.dropped_codes_exact() {
            ""
        } else {
            "about "
        };
        writeln!(
            err,
            "errex: warning: the input names more than {MAX_CODES} different codes; {about}{} more were counted but not listed",
            report.dropped_codes
        )?;
    }
    if report.dropped_sightings > 0 {
        writeln!(
            err,
            "errex: warning: {} sightings were counted but their context not kept (the memory bound for piped text was reached)",
            report.dropped_sightings
        )?;
    }
    let findings = assuming(ctx.catalog, report, ctx.service.as_deref());
    if findings.is_empty() {
        writeln!(err, "errex: no AWS error codes found in the input")?;
        if ctx.format == Format::Json {
            render::write_findings(out, &findings, ctx.format, ctx.style)?;
        }
        return Ok(Outcome::Nothing);
    }
    render::write_findings(out, &findings, ctx.format, ctx.style)?;
    Ok(Outcome::Found)
}

/// Scans the inputs and explains what it finds.
pub fn run(
    ctx: &Context<'_>,
    inputs: Vec<Input<'_>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    let ex = Extractor::new(ctx.catalog);
    let name_one = matches!(ctx.format, Format::Json | Format::Github);
    let report = scan_named(&ex, inputs, name_one)?;
    write_report(ctx, &report, out, err)
}

/// One line under an error, the first time its code appears: the code, its service, the
/// summary and what to do about retrying, and the command for everything.
pub fn brief_line(catalog: &Catalog, f: &Found) -> String {
    let finding = finding(catalog, f, f.service.clone());
    let service = finding
        .service_name()
        .map(|s| format!(" ({})", sanitize(s)))
        .unwrap_or_default();
    let what = match finding.explanation() {
        Some(e) => format!("{} [{}]", e.summary, e.retry.label()),
        None => match (&finding.known, finding.family) {
            (Some(k), fam) => format!(
                "no written explanation; {}",
                fam.or(k.family())
                    .map_or("see the registry facts", |f| f.short)
            ),
            (None, Some(fam)) => format!("unknown code; {}", fam.short),
            (None, None) => "unknown code".to_owned(),
        },
    };
    format!(
        "errex ▸ {}{service}: {} · {}",
        sanitize(&finding.code),
        sanitize(&what),
        finding.full_command()
    )
}

/// `--tee`: copies `input` to `out` as it arrives, and under the line where a code first
/// appears prints a one-line explanation. Reads line by line, so it works with `tail -f`;
/// memory is the scanner's window plus the report's bound.
pub fn tee(ctx: &Context<'_>, mut input: impl Read, out: &mut dyn Write) -> io::Result<Outcome> {
    let ex = Extractor::new(ctx.catalog);
    let mut scanner = Scanner::new(&ex);
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes read but not yet ended by a newline (held back, and flushed at the end).
    let mut pending: Vec<u8> = Vec::new();
    let mut line_no: u64 = 0;
    let mut shown = 0;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        pending.extend_from_slice(&buf[..n]);
        let Some(last_nl) = memchr::memrchr(b'\n', &pending) else {
            // A line longer than the read buffer: pass it on without waiting for its end.
            if pending.len() > 1024 * 1024 {
                out.write_all(&pending)?;
                scanner.feed(&pending);
                pending.clear();
            }
            continue;
        };
        let complete: Vec<u8> = pending.drain(..=last_nl).collect();
        scanner.feed(&complete);
        scanner.flush_lines();
        shown = write_lines(ctx.catalog, &scanner, &complete, &mut line_no, shown, out)?;
        out.flush()?;
    }
    out.write_all(&pending)?;
    scanner.feed(&pending);
    let report = scanner.finish();
    if !pending.is_empty() {
        for f in report.found.iter().skip(shown) {
            writeln!(out)?;
            writeln!(out, "{}", brief_line(ctx.catalog, f))?;
        }
    }
    out.flush()?;
    Ok(Outcome::found_if(!report.found.is_empty()))
}

/// Writes `lines` (the text just scanned, whole lines), each new code's explanation under its
/// line. The lines between two explanations go out in one write: a write per line made `--tee`
/// cost a system call per line (stdout is line-buffered).
fn write_lines(
    catalog: &Catalog,
    scanner: &Scanner<'_>,
    lines: &[u8],
    line_no: &mut u64,
    shown: usize,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let found = &scanner.report().found;
    let first_line = *line_no + 1;
    let mut ends = memchr::memchr_iter(b'\n', lines);
    // Lines of `lines` written so far, and the bytes they take.
    let (mut done, mut written) = (0u64, 0usize);
    let mut next = shown;
    while let Some(f) = found.get(next) {
        // A code whose sightings were all dropped goes under the first line it can.
        let line = f
            .occurrences
            .first()
            .map_or(first_line, |o| o.line)
            .max(first_line + done.saturating_sub(1));
        let target = line - first_line + 1;
        if target > done {
            let Some(end) = ends.nth((target - done - 1) as usize) else {
                break;
            };
            out.write_all(&lines[written..=end])?;
            written = end + 1;
            done = target;
        }
        writeln!(out, "{}", brief_line(catalog, f))?;
        next += 1;
    }
    out.write_all(&lines[written..])?;
    *line_no = first_line - 1 + memchr::memchr_iter(b'\n', lines).count() as u64;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From the render fuzz target (`fuzz/regressions/render/`): a code the catalog does not
    /// know, in a frame that names the service, was copied and leaked for every finding made of
    /// it (each output format, each `--tee` note).
    #[test]
    fn an_unknown_code_in_a_named_service_is_explained_without_a_copy() {
        let cat = Catalog::builtin();
        assert_eq!(catalog_code(&cat, "lambda", "TotallyMadeUpFailure"), None);
        assert_eq!(
            catalog_code(&cat, "s3", "NoSuchBucket"),
            Some("NoSuchBucket"),
            "a known code is the catalog's own copy"
        );
        let report = Extractor::new(&cat).scan_str(
            "An error occurred (TotallyMadeUpFailure) when calling the Invoke operation: no",
        );
        let f = findings(&cat, &report);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].service.as_deref(), Some("lambda"));
        assert!(f[0].known.is_none() && f[0].also.is_empty());
        assert!(brief_line(&cat, &report.found[0]).contains("unknown code"));
    }
}
