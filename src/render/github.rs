//! GitHub Actions annotations: one `::error` (or `::warning` for codes AWS retries) workflow
//! command per sighting, so a failing `terraform apply` in a workflow shows what each AWS error
//! means beside the log. Values are escaped as the runner expects (`%`, CR, LF, and in
//! properties also `:` and `,`), after control characters are removed.

use std::io::{self, Write};

use super::{Finding, paragraphs, sanitize};
use crate::catalog::Retry;

/// Escapes an annotation's message.
fn data(s: &str) -> String {
    sanitize(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property (`title`, `file`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The message: the summary and the first remedy step, or what is known of the code.
fn message(f: &Finding<'_>) -> String {
    let mut parts = Vec::new();
    match f.explanation() {
        Some(e) => {
            parts.push(e.summary.to_string());
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
                if let Some(fam) = fam.or(k.family()) {
                    parts.push(fam.meaning.to_owned());
                }
            }
            (None, Some(fam)) => parts.push(format!("Unknown code. {}", fam.meaning)),
            (None, None) => parts.push("Unknown code.".to_owned()),
        },
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
        let msg = data(&message(f));
        let sightings = f.occurrences.as_deref().unwrap_or(&[]);
        if sightings.is_empty() {
            writeln!(out, "::{level} title={}::{msg}", property(&title))?;
        }
        for o in sightings.iter().take(10) {
            let place = match &o.file {
                Some(file) => format!("file={},line={},", property(file), o.line),
                None => String::new(),
            };
            let seen = o
                .operation
                .as_ref()
                .map(|op| format!("{op}: "))
                .unwrap_or_default();
            writeln!(
                out,
                "::{level} {place}title={}::{}{msg}",
                property(&title),
                data(&seen)
            )?;
        }
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
    }
}
