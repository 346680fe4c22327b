//! Plain text for people: wrapped to the width, with the category, HTTP status and retry advice
//! on the first line, and colour only when asked for.

use std::io::{self, Write};

use super::{Finding, Style, paragraphs, sanitize, wrap};
use crate::catalog::{Category, Entry, Retry};
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

/// The first line of an entry: code, category, HTTP status, retry label.
fn headline(e: &Entry, paint: &Paint) -> String {
    let mut parts = vec![paint.p(category_color(e.category), e.category.as_str())];
    if let Some(status) = e.http_status {
        parts.push(format!("HTTP {status}"));
    }
    parts.push(paint.p(retry_color(e.retry), e.retry.label()));
    if e.deprecated.is_some() {
        parts.push(paint.p(DIM, "deprecated"));
    }
    format!(
        "{}  {}",
        paint.p(&format!("{BOLD}{CYAN}"), &sanitize(&e.code)),
        parts.join(" · ")
    )
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

/// Writes one entry in full.
pub(super) fn entry(out: &mut dyn Write, e: &Entry, style: Style) -> io::Result<()> {
    let paint = Paint { on: style.color };
    writeln!(out, "{}", headline(e, &paint))?;
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
    section(out, "Cause", &e.cause, style, &paint)?;
    section(out, "Remedy", &e.remedy, style, &paint)?;
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
            &paint,
        )?;
    }
    let mut retry = e.retry.advice().to_owned();
    if let Some(note) = &e.retry_note {
        retry.push(' ');
        retry.push_str(note);
    }
    section(
        out,
        &format!("Retry ({})", e.retry.as_str()),
        &retry,
        style,
        &paint,
    )?;
    inline_list(out, "Related", &e.related, style, &paint)?;
    inline_list(out, "Actions", &e.actions, style, &paint)?;
    if let Some(docs) = &e.docs {
        writeln!(
            out,
            "{}{}",
            paint.p(BOLD, "Docs     "),
            paint.p(BLUE, &sanitize(docs))
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
    lines
}

fn unknown(out: &mut dyn Write, f: &Finding<'_>, style: Style, paint: &Paint) -> io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        paint.p(&format!("{BOLD}{CYAN}"), &sanitize(&f.code)),
        paint.p(RED, "unknown code")
    )?;
    if let Some(family) = &f.family {
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
    } else {
        block(out, "Not in the catalog.", 2, style)?;
    }
    if !f.suggestions.is_empty() {
        let names: Vec<&str> = f.suggestions.iter().map(|e| &*e.code).collect();
        block(
            out,
            &format!("Did you mean: {}?", names.join(", ")),
            2,
            style,
        )?;
    }
    Ok(())
}

/// Writes findings, separated by a blank line.
pub(super) fn findings(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    style: Style,
) -> io::Result<()> {
    let paint = Paint { on: style.color };
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        if let Some(occ) = &f.occurrences {
            let lines: Vec<String> = occ.iter().map(|o| o.line.to_string()).collect();
            let seen = f.count.max(occ.len() as u64);
            let times = if seen == 1 {
                "once".to_owned()
            } else {
                format!("{seen} times")
            };
            let head = format!(
                "── {} · seen {times}, line{} {}",
                sanitize(&f.code),
                if seen == 1 { "" } else { "s" },
                abbreviate(&lines, seen)
            );
            writeln!(out, "{}", paint.p(BOLD, &head))?;
            for o in occ.iter().take(5) {
                for (j, line) in occurrence_lines(o).iter().enumerate() {
                    block(out, line, if j == 0 { 2 } else { 4 }, style)?;
                }
                if let Some(encoded) = &o.encoded_message {
                    authorization_hint(out, encoded, style, &paint)?;
                }
            }
            if seen > 5 {
                block(out, &format!("... and {} more", seen - 5), 2, style)?;
            }
            writeln!(out)?;
        }
        match f.entry {
            Some(e) => entry(out, e, style)?,
            None => unknown(out, f, style, &paint)?,
        }
    }
    Ok(())
}

fn abbreviate(items: &[String], total: u64) -> String {
    if items.len() <= 8 && total as usize <= items.len() {
        items.join(", ")
    } else {
        let shown = items.len().min(8);
        format!(
            "{}, ... ({} more)",
            items[..shown].join(", "),
            total.saturating_sub(shown as u64)
        )
    }
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

/// Writes one line per entry: code, category, summary cut to the width.
pub(super) fn entries(out: &mut dyn Write, entries: &[&Entry], style: Style) -> io::Result<()> {
    let paint = Paint { on: style.color };
    let code_w = entries
        .iter()
        .map(|e| e.code.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for e in entries {
        let code = sanitize(&e.code);
        let pad = code_w.saturating_sub(code.chars().count());
        let used = code_w.max(code.chars().count()) + 2 + 6 + 2;
        let room = style.width.saturating_sub(used).max(10);
        let summary = cut(&sanitize(&e.summary), room);
        writeln!(
            out,
            "{}{}  {}  {summary}",
            paint.p(&format!("{BOLD}{CYAN}"), &code),
            " ".repeat(pad),
            paint.p(
                category_color(e.category),
                &format!("{:<6}", e.category.as_str())
            ),
        )?;
    }
    Ok(())
}
