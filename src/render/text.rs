//! Plain text for people: wrapped to the width, with the category, HTTP status and retry advice
//! on the first line, and colour only when asked for.
//!
//! Piped text gets a digest first (each code once: its service, where it was seen, what to do
//! about retrying) and then, per code, the summary, the retry advice and the first remedy steps,
//! ending with the command that shows everything; `--full` prints every entry whole, as a lookup
//! does.

use std::io::{self, Write};

use super::{Finding, Item, Style, paragraphs, sanitize, wrap};
use crate::catalog::{Category, Entry, Family, Kind, Known, Retry};
use crate::extract::Occurrence;
use crate::text::cut;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const MAGENTA: &str = "\x1b[35m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// How many remedy steps the digest shows per code.
const FIRST_STEPS: usize = 2;

/// Wraps a piece of text in an ANSI style when colour is on.
struct Paint {
    on: bool,
}

impl Paint {
    fn p(&self, style: &str, s: &str) -> String {
        if self.on {
            format!("{style}{s}{RESET}")
        } else {
            s.to_owned()
        }
    }

    fn code(&self, s: &str) -> String {
        self.p(&format!("{BOLD}{CYAN}"), &sanitize(s))
    }
}

fn category_color(c: Category) -> &'static str {
    match c {
        Category::Client => YELLOW,
        Category::Server => MAGENTA,
    }
}

fn retry_color(r: Retry) -> &'static str {
    match r {
        Retry::Never => RED,
        Retry::AfterFix => YELLOW,
        Retry::Backoff | Retry::Transient | Retry::Propagation | Retry::Capacity => GREEN,
    }
}

/// The first line about a code: code, service, category, HTTP status, retry label; badges that
/// do not fit in the width go on the next line.
fn headline(k: &Known<'_>, paint: &Paint, width: usize) -> String {
    let mut parts: Vec<(Option<&str>, String)> = Vec::new();
    parts.push((None, sanitize(k.service_name())));
    let category = k.category();
    parts.push((Some(category_color(category)), category.as_str().to_owned()));
    if let Some(status) = k.http_status() {
        parts.push((None, format!("HTTP {status}")));
    }
    if let Some(retry) = k.retry() {
        parts.push((Some(retry_color(retry)), retry.label().to_owned()));
    }
    if k.explanation().is_some_and(|e| e.deprecated.is_some()) {
        parts.push((Some(DIM), "deprecated".to_owned()));
    }
    if k.kind() == Kind::Registry {
        parts.push((Some(DIM), "registry".to_owned()));
    }
    let mut line = paint.code(k.code);
    let mut used = sanitize(k.code).chars().count();
    for (i, (color, s)) in parts.iter().enumerate() {
        let (sep, sep_width) = if i == 0 { ("  ", 2) } else { (" · ", 3) };
        let w = s.chars().count();
        // A badge that does not fit starts a new, indented line (unless that line is new).
        if used + sep_width + w > width && used > 2 {
            line.push_str("\n  ");
            used = 2;
        } else {
            line.push_str(sep);
            used += sep_width;
        }
        line.push_str(&color.map_or_else(|| s.clone(), |c| paint.p(c, s)));
        used += w;
    }
    line
}

fn section(
    out: &mut dyn Write,
    title: &str,
    body: &str,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    writeln!(out, "{}", paint.p(BOLD, title))?;
    block(out, body, 2, style)
}

/// Writes wrapped paragraphs indented by `indent`, bullets with a hanging indent.
fn block(out: &mut dyn Write, body: &str, indent: usize, style: Style) -> io::Result<()> {
    let body = sanitize(body);
    let pad = " ".repeat(indent);
    for (bullet, para) in paragraphs(&body) {
        let (first, rest) = if bullet { ("• ", "  ") } else { ("", "") };
        let width = style.width.saturating_sub(indent + first.len().min(2));
        for (i, line) in wrap(para, width).iter().enumerate() {
            let lead = if i == 0 { first } else { rest };
            writeln!(out, "{pad}{lead}{line}")?;
        }
    }
    Ok(())
}

fn inline_list(
    out: &mut dyn Write,
    label: &str,
    items: &[impl AsRef<str>],
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let joined = sanitize(
        &items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", "),
    );
    let label_w = 9;
    for (i, line) in wrap(&joined, style.width.saturating_sub(label_w))
        .iter()
        .enumerate()
    {
        let head = if i == 0 {
            format!("{label:<label_w$}")
        } else {
            " ".repeat(label_w)
        };
        writeln!(out, "{}{line}", paint.p(BOLD, &head))?;
    }
    Ok(())
}

/// The retry advice of an explained code, with its note.
fn retry_advice(e: &Entry) -> String {
    let mut retry = e.retry.advice().to_owned();
    if let Some(note) = &e.retry_note {
        retry.push(' ');
        retry.push_str(note);
    }
    retry
}

/// Writes what errex knows about a code in one service, in full.
/// `family` is the finding's (see [`Finding::family`]), shown with registry facts.
fn known(
    out: &mut dyn Write,
    k: &Known<'_>,
    family: Option<Family>,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    writeln!(out, "{}", headline(k, paint, style.width))?;
    match (k.kind(), k.explanation()) {
        (Kind::Written, Some(e)) => entry_body(out, k, e, style, paint),
        (Kind::CrossService, Some(e)) => {
            block(
                out,
                &format!(
                    "{} has no entry of its own for this code; what it means in every service:",
                    k.service_name()
                ),
                2,
                style,
            )?;
            entry_body(out, k, e, style, paint)
        }
        _ => registry_body(out, k, family, style, paint),
    }
}

fn entry_body(
    out: &mut dyn Write,
    k: &Known<'_>,
    e: &Entry,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    block(out, &e.summary, 2, style)?;
    if let Some(why) = &e.deprecated {
        let replaced = e
            .replaced_by
            .as_ref()
            .map(|r| format!(" Now returned as {r}."))
            .unwrap_or_default();
        block(out, &format!("Deprecated: {why}{replaced}"), 2, style)?;
    }
    writeln!(out)?;
    section(out, "Cause", &e.cause, style, paint)?;
    section(out, "Remedy", &e.remedy, style, paint)?;
    if let Some(notes) = &e.notes {
        let from = e
            .overridden_by
            .last()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        section(
            out,
            &format!("Team notes{}", sanitize(&from)),
            notes,
            style,
            paint,
        )?;
    }
    let mut retry = retry_advice(e);
    if let Some(r) = k.registry.filter(|r| r.sdk_retry.class() != Some(e.retry)) {
        retry.push(' ');
        retry.push_str(r.sdk_retry.advice());
    }
    section(
        out,
        &format!("Retry ({})", e.retry.as_str()),
        &retry,
        style,
        paint,
    )?;
    inline_list(out, "Related", &e.related, style, paint)?;
    inline_list(out, "Actions", &e.actions, style, paint)?;
    if let Some(docs) = k.docs() {
        writeln!(
            out,
            "{}{}",
            paint.p(BOLD, "Docs     "),
            paint.p(BLUE, &sanitize(&docs))
        )?;
    }
    if let Some(src) = e.provenance() {
        writeln!(
            out,
            "{}{}",
            paint.p(BOLD, "Source   "),
            paint.p(DIM, &sanitize(&src))
        )?;
    }
    Ok(())
}

/// What the registry alone says: the facts, the family's meaning, and plainly that no written
/// explanation exists yet.
fn registry_body(
    out: &mut dyn Write,
    k: &Known<'_>,
    family: Option<Family>,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    let Some(r) = k.registry else {
        return Ok(());
    };
    let service = r.service();
    let status = r
        .http_status
        .map(|s| format!(", with HTTP {s}"))
        .unwrap_or_default();
    block(
        out,
        &format!(
            "No written explanation yet. From the SDK model: {} ({}) returns it{status}, as a \
             {} fault.",
            service.full_name, service.id, r.fault
        ),
        2,
        style,
    )?;
    if let Some(f) = family {
        writeln!(out)?;
        section(
            out,
            &format!("Its shape ({})", f.pattern),
            f.meaning,
            style,
            paint,
        )?;
        section(out, "Usually", f.remedy, style, paint)?;
    }
    section(out, "Retry", r.sdk_retry.advice(), style, paint)?;
    let shapes: Vec<&str> = r.shape_names().collect();
    inline_list(out, "Also as", &shapes, style, paint)?;
    if let Some(docs) = k.docs() {
        writeln!(
            out,
            "{}{}",
            paint.p(BOLD, "Docs     "),
            paint.p(BLUE, &sanitize(&docs))
        )?;
    }
    Ok(())
}

/// Other services that return the code without an entry of their own.
fn also(out: &mut dyn Write, f: &Finding<'_>, style: Style, paint: &Paint) -> io::Result<()> {
    if f.also.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = f
        .also
        .iter()
        .map(|k| match k.http_status() {
            Some(s) => format!("{} ({s})", k.service),
            None => k.service.to_owned(),
        })
        .collect();
    let written = f.also.iter().filter(|k| k.explanation().is_some()).count();
    let total = f.services_undecided();
    let head = match (f.known.is_some(), written) {
        (true, _) => match names.len() {
            1 => "Also returned by 1 other service without an entry of its own".to_owned(),
            n => format!("Also returned by {n} other services without an entry of their own"),
        },
        (false, _) if total > names.len() => format!("Returned by {total} services, among them"),
        (false, 0) => format!("Returned by {total} services, none with a written entry"),
        (false, w) => format!("Returned by {total} services, {w} with a written entry"),
    };
    let more = match total.saturating_sub(names.len()) {
        0 => String::new(),
        n => format!(" and {n} more (errex {})", f.code),
    };
    writeln!(out)?;
    section(
        out,
        &head,
        &format!("{}{more}", names.join(", ")),
        style,
        paint,
    )?;
    if f.known.is_none() {
        if let Some(fam) = f.family {
            section(
                out,
                &format!("Its shape ({})", fam.pattern),
                fam.meaning,
                style,
                paint,
            )?;
            section(out, "Usually", fam.remedy, style, paint)?;
        }
        let what = if f.also[0].explanation().is_some() {
            "explanation"
        } else {
            "facts"
        };
        block(
            out,
            &format!(
                "One service's {what}: errex {}:{}",
                f.also[0].service, f.code
            ),
            2,
            style,
        )?;
    }
    Ok(())
}

/// One sighting: where, the operation and status, then the request id, message and resources
/// each on a line of their own so long ids never break mid-fact.
fn occurrence_lines(o: &Occurrence) -> Vec<String> {
    let place = match &o.file {
        Some(file) => format!("{file}:{}", o.line),
        None => format!("line {}", o.line),
    };
    let facts: Vec<String> = o
        .operation
        .iter()
        .cloned()
        .chain(o.http_status.map(|s| format!("HTTP {s}")))
        .collect();
    let mut lines = vec![if facts.is_empty() {
        place
    } else {
        format!("{place}: {}", facts.join(", "))
    }];
    if let Some(id) = &o.request_id {
        lines.push(format!("request id {id}"));
    }
    if let Some(msg) = &o.message {
        lines.push(format!("“{msg}”"));
    }
    if !o.resource_ids.is_empty() {
        lines.push(format!("resources {}", o.resource_ids.join(", ")));
    }
    match (&o.terraform_address, &o.source_location) {
        (Some(a), Some(l)) => lines.push(format!("{a} ({l})")),
        (Some(a), None) => lines.push(a.clone()),
        (None, Some(l)) => lines.push(l.clone()),
        (None, None) => {}
    }
    if let Some(e) = &o.evidence {
        lines.push(format!("inferred: {e}"));
    }
    lines
}

/// What errex says about a code it does not know. `headline`: start with the code (a lookup);
/// piped text has said it in the section's heading.
fn unknown(
    out: &mut dyn Write,
    f: &Finding<'_>,
    headline: bool,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    let what = if f.handler {
        "CloudFormation handler classification"
    } else {
        "unknown code"
    };
    let service = f
        .service_name()
        .map(|s| format!(" · {}", sanitize(s)))
        .unwrap_or_default();
    if headline {
        writeln!(
            out,
            "{}{service}  {}",
            paint.code(&f.code),
            paint.p(RED, what)
        )?;
    } else if f.handler {
        writeln!(
            out,
            "  {}",
            paint.p(RED, "A CloudFormation handler classification")
        )?;
    }
    if !f.candidates.is_empty() {
        let more = match f.services_undecided() - f.candidates.len() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        block(
            out,
            &format!(
                "The text does not say which service; it is a code of {}{more}. Pick one: \
                 errex SERVICE:{}",
                f.candidates.join(", "),
                f.code
            ),
            2,
            style,
        )?;
    }
    match &f.family {
        Some(family) => {
            block(
                out,
                &format!(
                    "Not in the catalog, but its shape ({}) says: {}",
                    family.pattern, family.meaning
                ),
                2,
                style,
            )?;
            block(out, &format!("Usually: {}", family.remedy), 2, style)?;
        }
        None if f.candidates.is_empty() => block(out, "Not in the catalog.", 2, style)?,
        None => {}
    }
    if !f.suggestions.is_empty() {
        block(
            out,
            &format!("Did you mean: {}?", f.suggestions.join(", ")),
            2,
            style,
        )?;
    }
    Ok(())
}

/// Writes findings: lookups and `--full` in full, piped text as a digest and first steps.
pub(super) fn findings(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    style: Style,
) -> io::Result<()> {
    let paint = Paint { on: style.color };
    let piped = findings.iter().any(|f| f.occurrences.is_some());
    if piped {
        digest(out, findings, style, &paint)?;
    }
    for (i, f) in findings.iter().enumerate() {
        if i > 0 || piped {
            writeln!(out)?;
        }
        if let Some(occ) = &f.occurrences {
            sightings(out, f, occ, style, &paint)?;
        }
        if piped && !style.full {
            brief(out, f, style, &paint)?;
            continue;
        }
        match &f.known {
            Some(k) => {
                if let Some(note) = f.refines_note() {
                    block(out, &sanitize(&note), 0, style)?;
                }
                known(out, k, f.family, style, &paint)?
            }
            None if !f.also.is_empty() => {
                // Several services, one written: the group is not registry facts only.
                let badge = if f.also.iter().all(|k| k.kind() == Kind::Registry) {
                    "registry"
                } else {
                    "service undecided"
                };
                writeln!(out, "{}  {}", paint.code(&f.code), paint.p(DIM, badge))?;
            }
            None => unknown(out, f, true, style, &paint)?,
        }
        also(out, f, style, &paint)?;
    }
    Ok(())
}

/// Candidate services named in the digest; more are shown as `…` (the count is in the line).
const DIGEST_CANDIDATES: usize = 2;

/// The digest: one line per code (service, where seen, retry), before the details. A line that
/// does not fit the width goes on under the service column, broken between its facts.
fn digest(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    let total: u64 = findings.iter().map(|f| f.count.max(1)).sum();
    let errors = if total == 1 { "error" } else { "errors" };
    let codes = if findings.len() == 1 { "code" } else { "codes" };
    writeln!(
        out,
        "{}",
        paint.p(
            BOLD,
            &format!(
                "{total} AWS {errors} in the input, {} {codes}:",
                findings.len()
            )
        )
    )?;
    let code_w = findings
        .iter()
        .map(|f| sanitize(&f.code).chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for f in findings {
        let service = f.service_name().map_or_else(
            || match f.candidates.len() {
                0 => "service?".to_owned(),
                n if n <= DIGEST_CANDIDATES => format!("{}?", f.candidates.join("/")),
                _ => format!("{}/…?", f.candidates[..DIGEST_CANDIDATES].join("/")),
            },
            sanitize,
        );
        let what = match (&f.known, f.handler) {
            (_, true) => "handler classification".to_owned(),
            (Some(k), _) => k
                .retry()
                .map_or("registry facts only", Retry::label)
                .to_owned(),
            (None, _) if f.services_undecided() > 1 && !f.also.is_empty() => {
                format!("known in {} services", f.services_undecided())
            }
            (None, _) if !f.also.is_empty() => "registry facts only".to_owned(),
            (None, _) => "unknown code".to_owned(),
        };
        let inferred = if f.inferred { " (inferred)" } else { "" };
        let head = format!("  {:<code_w$}  ", sanitize(&f.code));
        let pieces = [vec![service], places(f), vec![format!("{what}{inferred}")]];
        // Go on under the service column, unless that leaves too little room.
        let head_w = head.chars().count();
        let indent = if head_w <= style.width / 2 { head_w } else { 4 };
        for line in hang(&head, &pieces, indent, style.width) {
            let line = if style.cut {
                cut(&line, style.width)
            } else {
                line
            };
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Lays out `head` then `pieces` (each a list of words that may be broken between), the pieces
/// separated by ` · `, within `width`: a line that would pass it goes on `indent` columns in. A
/// word longer than a whole line is never broken.
fn hang(head: &str, pieces: &[Vec<String>], indent: usize, width: usize) -> Vec<String> {
    let head_w = head.chars().count();
    let mut lines = Vec::new();
    let mut line = head.to_owned();
    let mut used = head_w;
    let mut fresh = true;
    for (p, words) in pieces.iter().enumerate() {
        for (w, word) in words.iter().enumerate() {
            let sep = match (fresh, p > 0 && w == 0) {
                (true, _) => "",
                (false, true) => " · ",
                (false, false) => " ",
            };
            // The last word of a piece may need room for the separator after it.
            let tail = if w + 1 == words.len() && p + 1 < pieces.len() {
                2
            } else {
                0
            };
            let len = word.chars().count();
            if !fresh && used + sep.chars().count() + len + tail > width {
                // Keep the piece separator at the end of the line it follows.
                if sep == " · " {
                    line.push_str(" ·");
                }
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(indent);
                used = indent;
            } else {
                line.push_str(sep);
                used += sep.chars().count();
            }
            line.push_str(word);
            used += len;
            fresh = false;
        }
    }
    lines.push(line);
    lines
}

/// Where a code was seen, as words that may be broken between: `line 4`, `lines 4, 9, 12`,
/// `build.log:4`, with a count when there are more.
fn places(f: &Finding<'_>) -> Vec<String> {
    let seen = where_seen(f);
    let mut words: Vec<String> = Vec::new();
    // Break only after a comma and before the count, so `line 4` and `(seen 9×)` stay whole.
    for part in seen.split_inclusive(", ") {
        let part = part.trim_end();
        match part.split_once(" (seen ") {
            Some((place, count)) => {
                words.push(place.to_owned());
                words.push(format!("(seen {count}"));
            }
            None => words.push(part.to_owned()),
        }
    }
    words
}

/// `line 4`, `lines 4, 9, 12`, `build.log:4`, with a count when there are more.
fn where_seen(f: &Finding<'_>) -> String {
    let Some(occ) = &f.occurrences else {
        return String::new();
    };
    let places: Vec<String> = occ
        .iter()
        .take(3)
        .map(|o| match &o.file {
            Some(file) => format!("{}:{}", sanitize(file), o.line),
            None => o.line.to_string(),
        })
        .collect();
    let more = if f.count as usize > places.len() {
        format!(" (seen {}×)", f.count)
    } else {
        String::new()
    };
    let word = if occ.first().is_some_and(|o| o.file.is_some()) {
        ""
    } else if places.len() == 1 {
        "line "
    } else {
        "lines "
    };
    format!("{word}{}{more}", places.join(", "))
}

/// The sightings of a code: a heading, then up to five with their facts.
fn sightings(
    out: &mut dyn Write,
    f: &Finding<'_>,
    occ: &[Occurrence],
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    let service = f
        .service_name()
        .map(|s| format!(" · {}", sanitize(s)))
        .unwrap_or_default();
    let head = format!("── {}{service} · ", sanitize(&f.code));
    for line in hang(&head, &[places(f)], 3, style.width) {
        writeln!(out, "{}", paint.p(BOLD, &line))?;
    }
    let shown = if style.full { 5 } else { 2 };
    for o in occ.iter().take(shown) {
        for (j, line) in occurrence_lines(o).iter().enumerate() {
            block(out, line, if j == 0 { 2 } else { 4 }, style)?;
        }
        if let Some(encoded) = &o.encoded_message {
            authorization_hint(out, encoded, style, paint)?;
        }
    }
    let seen = f.count.max(occ.len() as u64);
    if seen > shown as u64 {
        block(
            out,
            &format!("... and {} more", seen - shown as u64),
            2,
            style,
        )?;
    }
    Ok(())
}

/// Per code, for piped text: the summary, the retry advice and the first remedy steps, then the
/// command that shows everything.
fn brief(out: &mut dyn Write, f: &Finding<'_>, style: Style, paint: &Paint) -> io::Result<()> {
    let Some(k) = &f.known else {
        if f.also.is_empty() {
            unknown(out, f, false, style, paint)?;
        }
        return also_brief(out, f, style, paint);
    };
    if let Some(note) = f.refines_note() {
        block(out, &sanitize(&note), 2, style)?;
    }
    let Some(e) = k.explanation() else {
        registry_body(out, k, f.family, style, paint)?;
        return more(out, f, style, paint);
    };
    if f.handler {
        block(
            out,
            "A CloudFormation resource handler's classification of the failure, not the \
             service's own error code; the stack event's status reason holds the service's error.",
            2,
            style,
        )?;
    }
    if k.kind() == Kind::CrossService {
        block(
            out,
            &format!(
                "(what it means in every service; {} has no entry of its own)",
                k.service_name()
            ),
            2,
            style,
        )?;
    }
    block(out, &e.summary, 2, style)?;
    writeln!(
        out,
        "  {} {}",
        paint.p(BOLD, "Retry:"),
        paint.p(retry_color(e.retry), e.retry.label())
    )?;
    let steps: Vec<&str> = paragraphs(&e.remedy)
        .filter(|(bullet, _)| *bullet)
        .map(|(_, p)| p)
        .take(FIRST_STEPS)
        .collect();
    if !steps.is_empty() {
        writeln!(out, "  {}", paint.p(BOLD, "First steps:"))?;
        for step in steps {
            block(out, &format!("- {step}"), 4, style)?;
        }
    }
    more(out, f, style, paint)
}

/// A code several services know, when the text does not say which: one line per service with
/// what it means there, and the command for everything. When more services share the code than
/// the finding names, the named ones without a written entry share one line, and the lookup
/// (which shows every service) is the command for everything.
fn also_brief(out: &mut dyn Write, f: &Finding<'_>, style: Style, paint: &Paint) -> io::Result<()> {
    if f.also.is_empty() {
        return Ok(());
    }
    let total = f.services_undecided();
    let cut = total > f.also.len();
    block(
        out,
        &format!("Known in {total} services; the text does not say which:"),
        2,
        style,
    )?;
    let mut unwritten: Vec<&str> = Vec::new();
    for k in &f.also {
        let what = match k.explanation() {
            Some(e) => format!("{} (retry: {})", e.summary, e.retry.label()),
            None if cut => {
                unwritten.push(k.service);
                continue;
            }
            None => "no written explanation; registry facts only".to_owned(),
        };
        block(out, &format!("- {}: {what}", k.service_name()), 4, style)?;
        writeln!(
            out,
            "      {} {}",
            paint.p(DIM, "Everything:"),
            paint.p(GREEN, &sanitize(&format!("errex {}:{}", k.service, f.code)))
        )?;
    }
    if cut {
        let others = total - (f.also.len() - unwritten.len());
        let names = if unwritten.is_empty() {
            String::new()
        } else {
            format!(": {}, …", unwritten.join(", "))
        };
        block(out, &format!("- {others} more services{names}"), 4, style)?;
        writeln!(
            out,
            "  {} {}",
            paint.p(DIM, "Every service:"),
            paint.p(GREEN, &sanitize(&format!("errex {}", f.code)))
        )?;
    }
    Ok(())
}

fn more(out: &mut dyn Write, f: &Finding<'_>, _style: Style, paint: &Paint) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}",
        paint.p(DIM, "Everything:"),
        paint.p(GREEN, &sanitize(&f.full_command()))
    )
}

fn authorization_hint(
    out: &mut dyn Write,
    encoded: &str,
    style: Style,
    paint: &Paint,
) -> io::Result<()> {
    block(
        out,
        "The message carries an encoded authorization failure. Decode it (needs sts:DecodeAuthorizationMessage):",
        4,
        style,
    )?;
    writeln!(
        out,
        "      {}",
        paint.p(GREEN, &format!("aws sts decode-authorization-message --encoded-message {} --query DecodedMessage --output text", sanitize(encoded)))
    )?;
    block(
        out,
        "In the decoded JSON, look at context.action and context.resource (what was refused), \
         allowed (false), explicitDeny (true means a Deny statement, an SCP or a permissions \
         boundary matched; false means no policy allowed it), and matchedStatements.",
        4,
        style,
    )
}

/// Writes one line per item: code, service, category, summary (cut to the width on a
/// terminal; whole when piped, so `grep` sees everything).
pub(super) fn items(out: &mut dyn Write, items: &[Item<'_>], style: Style) -> io::Result<()> {
    let paint = Paint { on: style.color };
    let code_w = items
        .iter()
        .map(|i| i.code.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let service_w = items
        .iter()
        .map(|i| i.service.map_or(1, |s| s.chars().count()))
        .max()
        .unwrap_or(0)
        .min(24);
    for item in items {
        let code = sanitize(item.code);
        let pad = code_w.saturating_sub(code.chars().count());
        let service = sanitize(item.service.unwrap_or("*"));
        let spad = service_w.saturating_sub(service.chars().count());
        let used = code_w.max(code.chars().count()) + 2 + service_w + 2 + 6 + 2;
        let summary = sanitize(&item.summary());
        let summary = if style.cut {
            cut(&summary, style.width.saturating_sub(used).max(10))
        } else {
            summary
        };
        let category = item.category();
        writeln!(
            out,
            "{}{}  {service}{}  {}  {summary}",
            paint.code(&code),
            " ".repeat(pad),
            " ".repeat(spad),
            paint.p(
                category_color(category),
                &format!("{:<6}", category.as_str())
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn hang_breaks_between_facts_under_the_service_column() {
        let head = "  InsufficientInstanceCapacity  ";
        let pieces = [
            words(&["EC2"]),
            words(&[
                "karpenter.log:1,",
                "karpenter.log:3,",
                "nodes.log:1",
                "(seen 4×)",
            ]),
            words(&["retry later or elsewhere"]),
        ];
        assert_eq!(
            hang(head, &pieces, 32, 80),
            [
                "  InsufficientInstanceCapacity  EC2 · karpenter.log:1, karpenter.log:3,",
                "                                nodes.log:1 (seen 4×) · retry later or elsewhere",
            ]
        );
        assert_eq!(
            hang("  Code  ", &pieces[..1], 8, 80),
            ["  Code  EC2"],
            "a line that fits is one line"
        );
        assert_eq!(
            hang(
                "  NotFound  ",
                &[
                    words(&["CloudFormation handlers"]),
                    words(&["line 2"]),
                    words(&["handler classification"])
                ],
                12,
                50
            ),
            [
                "  NotFound  CloudFormation handlers · line 2 ·",
                "            handler classification",
            ],
            "the separator stays at the end of the line it follows"
        );
    }

    #[test]
    fn places_break_only_between_sightings() {
        let mut f = Finding::new("X");
        f.count = 9;
        f.occurrences = Some(
            [4, 9, 12]
                .map(|line| Occurrence {
                    line,
                    ..Occurrence::default()
                })
                .to_vec(),
        );
        assert_eq!(places(&f), ["lines 4,", "9,", "12", "(seen 9×)"]);
        f.count = 1;
        f.occurrences.as_mut().expect("set").truncate(1);
        assert_eq!(places(&f), ["line 4"]);
    }
}
