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
    // `--service` decided what the text left open.
    if service.is_none() || f.service.is_some() {
        out.candidates = f.candidates.clone();
        out.candidate_count = f.candidate_count;
    }
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
        Some(k) => out.set_known(k),
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
            (Some(_), fam) => format!(
                "no written explanation; {}",
                fam.map_or("see the registry facts", |f| f.short)
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
/// appears prints a one-line explanation. `more` says whether the input has bytes ready now:
/// when it has none (`tail -f`, `kubectl logs -f`), what has arrived is explained and written at
/// once, the line in progress included. Memory is the scanner's blocks in flight plus the
/// report's bound.
pub fn tee(
    ctx: &Context<'_>,
    input: impl Read,
    more: Option<&dyn Fn() -> bool>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let ex = Extractor::new(ctx.catalog);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut notes = Notes {
        catalog: ctx.catalog,
        out,
        written: 0,
        shown: 0,
        line_ended: true,
    };
    let report = crate::extract::pass_through(&ex, input, threads, more, &mut notes)?;
    // Codes on a last line without a line end: their notes go under it.
    for f in report.found.iter().skip(notes.shown) {
        if !notes.line_ended {
            writeln!(notes.out)?;
            notes.line_ended = true;
        }
        writeln!(notes.out, "{}", brief_line(ctx.catalog, f))?;
    }
    notes.out.flush()?;
    Ok(Outcome::found_if(!report.found.is_empty()))
}

/// `--tee`'s output: the text, with each new code's explanation under its line.
struct Notes<'a, 'w> {
    catalog: &'a Catalog,
    out: &'w mut dyn Write,
    /// Bytes of the input written so far.
    written: u64,
    /// Codes of the report explained so far.
    shown: usize,
    /// Whether what was written ends a line.
    line_ended: bool,
}

impl Notes<'_, '_> {
    /// Writes `text` (input from offset `at`) past what is already written.
    fn through(&mut self, text: &[u8], at: u64) -> io::Result<()> {
        let skip = self.written.saturating_sub(at).min(text.len() as u64) as usize;
        if skip < text.len() {
            self.out.write_all(&text[skip..])?;
            self.line_ended = text.ends_with(b"\n");
        }
        self.written = self.written.max(at + text.len() as u64);
        Ok(())
    }
}

impl crate::extract::Sink for Notes<'_, '_> {
    /// Writes the block, each new code's explanation under its line. The lines between two
    /// explanations go out in one write (a write per line cost a system call per line). A code
    /// whose sightings were all dropped goes under the first line it can.
    fn block(&mut self, report: &Report, text: &[u8], at: u64, line: u64) -> io::Result<()> {
        let mut ends = memchr::memchr_iter(b'\n', text);
        // Lines of `text` written through, and the bytes they take.
        let (mut done, mut upto) = (0u64, 0usize);
        while let Some(f) = report.found.get(self.shown) {
            let on = f
                .occurrences
                .first()
                .map_or(line, |o| o.line)
                .max(line + done.saturating_sub(1));
            let through = on - line + 1;
            if through > done {
                let Some(end) = ends.nth((through - done - 1) as usize) else {
                    break;
                };
                self.through(&text[upto..=end], at + upto as u64)?;
                upto = end + 1;
                done = through;
            }
            writeln!(self.out, "{}", brief_line(self.catalog, f))?;
            self.shown += 1;
        }
        self.through(&text[upto..], at + upto as u64)
    }

    fn paused(&mut self, text: &[u8], at: u64) -> io::Result<()> {
        self.through(text, at)?;
        self.out.flush()
    }
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

    /// A code more than eight services share, in text that names none of them, is known and
    /// undecided: the first candidates (written entries first) are explained, all are counted.
    #[test]
    fn a_code_many_services_share_is_known_when_the_text_does_not_place_it() {
        let cat = Catalog::builtin();
        let ex = Extractor::new(&cat);
        let report = ex.scan_str("{\"__type\":\"InvalidRequestException\",\"message\":\"x\"}");
        let f = findings(&cat, &report);
        assert_eq!(f.len(), 1);
        let f = &f[0];
        assert!(f.is_known() && f.service.is_none() && f.known.is_none());
        assert!(f.candidate_count > crate::extract::service::CANDIDATES);
        assert_eq!(f.candidates.len(), crate::extract::service::CANDIDATES);
        assert_eq!(f.also.len(), f.candidates.len());
        let written: Vec<&str> = f
            .also
            .iter()
            .take_while(|k| k.explanation().is_some())
            .map(|k| k.service)
            .collect();
        assert!(written.contains(&"secretsmanager"), "{written:?}");
        assert!(
            f.also[written.len()..]
                .iter()
                .all(|k| k.explanation().is_none()),
            "the written entries come first"
        );
        assert!(f.family.is_some());
        // Text that places the code decides its service as before.
        let placed = ex.scan_str(
            "{\"__type\":\"InvalidRequestException\",\"message\":\"x\"} \
             arn:aws:secretsmanager:us-east-1:111122223333:secret:db",
        );
        let f = findings(&cat, &placed);
        assert_eq!(f[0].service.as_deref(), Some("secretsmanager"));
        assert_eq!((f[0].candidates.len(), f[0].candidate_count), (0, 0));
    }
}
