//! GitHub Actions annotations: one `::error` (or `::warning` for codes AWS retries) workflow
//! command per finding, so a failing `terraform apply` in a workflow shows what each AWS error
//! means beside the log. The annotation points at the first sighting and names the others, so a
//! code retried fifty times is one annotation, not fifty. Values are escaped as the runner
//! expects (`%`, CR and LF, and in properties also `:` and `,`); every other control character
//! is removed.

use std::io::{self, Write};

use super::{Finding, paragraphs, sanitize};
use crate::catalog::Retry;
use crate::extract::Occurrence;

/// Other sightings named in an annotation; the rest are counted.
const OTHER_PLACES: usize = 5;

/// Escapes an annotation's message: `%`, CR and LF as the runner reads them back, every other
/// control character removed.
fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for piece in s.split_inclusive(['\r', '\n']) {
        let (text, end) = match piece.strip_suffix('\r') {
            Some(text) => (text, "%0D"),
            None => piece
                .strip_suffix('\n')
                .map_or((piece, ""), |text| (text, "%0A")),
        };
        out.push_str(&sanitize(text).replace('%', "%25"));
        out.push_str(end);
    }
    out
}

/// Escapes an annotation property (`title`, `file`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Where else a code was seen, beside the annotated sighting `first`: `Also seen at lines 3, 9
/// (4 times in all).`, naming the file where it differs.
fn elsewhere(f: &Finding<'_>, first: &Occurrence, rest: &[Occurrence]) -> String {
    if rest.is_empty() {
        return String::new();
    }
    let same_file = rest.iter().take(OTHER_PLACES).all(|o| o.file == first.file);
    // With several files, each place says which (`line 3` in the annotated file).
    let places: Vec<String> = rest
        .iter()
        .take(OTHER_PLACES)
        .map(|o| match &o.file {
            _ if same_file => o.line.to_string(),
            Some(file) if o.file != first.file => format!("{file}:{}", o.line),
            _ => format!("line {}", o.line),
        })
        .collect();
    let word = match (same_file, places.len()) {
        (false, _) => "",
        (true, 1) => "line ",
        (true, _) => "lines ",
    };
    let total = f.count.max(1 + rest.len() as u64);
    let shown = 1 + places.len() as u64;
    let more = if total > shown {
        format!(" ({total} times in all)")
    } else {
        String::new()
    };
    format!("Also seen at {word}{}{more}.", places.join(", "))
}

/// The message: the summary and the first remedy step, or what is known of the code, then
/// `seen` (where else it was seen) and the command for everything.
fn message(f: &Finding<'_>, seen: &str) -> String {
    let mut parts: Vec<String> = f.refines_note().into_iter().collect();
    match f.explanation() {
        Some(e) => {
            let summary = e.summary.trim_end();
            let stop = if summary.ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            parts.push(format!("{summary}{stop}"));
            if let Some((_, step)) = paragraphs(&e.remedy).find(|(b, _)| *b) {
                parts.push(format!("First step: {step}"));
            }
            parts.push(format!("Retry: {}.", e.retry.label()));
        }
        None => match (&f.known, &f.family) {
            (Some(k), fam) => {
                parts.push(format!(
                    "A {} code with no written explanation yet.",
                    k.service_name()
                ));
                if let Some(fam) = fam {
                    parts.push(fam.meaning.to_owned());
                }
            }
            (None, _) if !f.also.is_empty() => {
                let mut names: Vec<&str> = f.also.iter().map(|k| k.service_name()).collect();
                let total = f.services_undecided();
                if total > names.len() {
                    names.push("…");
                }
                parts.push(format!(
                    "Known in {} ({}); the text does not say which. One service's explanation: \
                     errex {}:{}",
                    if total == 1 {
                        "1 service".to_owned()
                    } else {
                        format!("{total} services")
                    },
                    names.join(", "),
                    f.also[0].service,
                    f.code
                ));
            }
            (None, Some(fam)) => parts.push(format!("Unknown code. {}", fam.meaning)),
            (None, None) => parts.push("Unknown code.".to_owned()),
        },
    }
    if !seen.is_empty() {
        parts.push(seen.to_owned());
    }
    parts.push(format!("Everything: {}", f.full_command()));
    parts.join(" ")
}

pub(super) fn findings(out: &mut dyn Write, findings: &[Finding<'_>]) -> io::Result<()> {
    for f in findings {
        let level = match f.known.and_then(|k| k.retry()) {
            Some(Retry::Backoff | Retry::Transient | Retry::Capacity | Retry::Propagation) => {
                "warning"
            }
            _ => "error",
        };
        let title = match f.service_name() {
            Some(s) => format!("{} ({s})", f.code),
            None => f.code.clone(),
        };
        let Some((first, rest)) = f.occurrences.as_deref().and_then(<[_]>::split_first) else {
            let msg = message(f, "");
            writeln!(out, "::{level} title={}::{}", property(&title), data(&msg))?;
            continue;
        };
        let place = match &first.file {
            Some(file) => format!("file={},line={},", property(file), first.line),
            None => String::new(),
        };
        let seen = first
            .operation
            .as_ref()
            .map(|op| format!("{op}: "))
            .unwrap_or_default();
        writeln!(
            out,
            "::{level} {place}title={}::{}",
            property(&title),
            data(&format!("{seen}{}", message(f, &elsewhere(f, first, rest))))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% done\nnext\u{1b}[31m"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(data("a\r\nb\rc\n"), "a%0D%0Ab%0Dc%0A");
        assert_eq!(
            data("1%\u{1b}[31m2%\u{7}\r"),
            "1%252%25%0D",
            "sequences go whole, before `%` is escaped"
        );
        assert_eq!(property("a\u{9b}31m:\r"), "a%3A%0D");
    }
}
