//! Markdown, for pasting into tickets, pull requests and chat.

use std::io::{self, Write};

use super::{Finding, paragraphs, sanitize};
use crate::catalog::Entry;

fn code_span(s: &str) -> String {
    format!("`{}`", sanitize(s).replace('`', "'"))
}

fn body(out: &mut dyn Write, text: &str) -> io::Result<()> {
    let text = sanitize(text);
    for (bullet, para) in paragraphs(&text) {
        if bullet {
            writeln!(out, "- {para}")?;
        } else {
            writeln!(out, "{para}")?;
            writeln!(out)?;
        }
    }
    writeln!(out)
}

fn entry(out: &mut dyn Write, e: &Entry, f: &Finding<'_>) -> io::Result<()> {
    writeln!(out, "## {}\n", code_span(&e.code))?;
    let status = e
        .http_status
        .map(|s| format!(" · HTTP {s}"))
        .unwrap_or_default();
    writeln!(
        out,
        "**{}**{status} · {} (`{}`)\n",
        e.category,
        e.retry.label(),
        e.retry.as_str()
    )?;
    writeln!(out, "{}\n", sanitize(&e.summary))?;
    sightings(out, f)?;
    if let Some(why) = &e.deprecated {
        let replaced = e
            .replaced_by
            .as_ref()
            .map(|r| format!(" Now returned as {}.", code_span(r)))
            .unwrap_or_default();
        writeln!(out, "> **Deprecated:** {}{replaced}\n", sanitize(why))?;
    }
    writeln!(out, "### Cause\n")?;
    body(out, &e.cause)?;
    writeln!(out, "### Remedy\n")?;
    body(out, &e.remedy)?;
    if let Some(notes) = &e.notes {
        writeln!(out, "### Team notes\n")?;
        body(out, notes)?;
    }
    writeln!(out, "**Retry:** {}", e.retry.advice())?;
    if let Some(note) = &e.retry_note {
        writeln!(out, "{}", sanitize(note))?;
    }
    writeln!(out)?;
    if !e.related.is_empty() {
        let related: Vec<String> = e.related.iter().map(|c| code_span(c)).collect();
        writeln!(out, "**Related:** {}\n", related.join(", "))?;
    }
    if !e.actions.is_empty() {
        writeln!(out, "**Actions:** {}\n", sanitize(&e.actions.join(", ")))?;
    }
    if let Some(docs) = &e.docs {
        writeln!(out, "**Docs:** <{}>\n", sanitize(docs))?;
    }
    if let Some(src) = e.provenance() {
        writeln!(out, "**Source:** {}\n", sanitize(&src))?;
    }
    Ok(())
}

/// Where a code was seen in piped text: the count, then one line per sighting.
fn sightings(out: &mut dyn Write, f: &Finding<'_>) -> io::Result<()> {
    let Some(occ) = &f.occurrences else {
        return Ok(());
    };
    let lines: Vec<String> = occ.iter().map(|o| o.line.to_string()).collect();
    writeln!(
        out,
        "Seen {} time(s), line(s) {}.\n",
        f.count.max(occ.len() as u64),
        lines.join(", ")
    )?;
    for o in occ.iter().take(5) {
        let facts = o.facts(|s| format!("`{}`", sanitize(s)));
        writeln!(out, "- line {}: {}", o.line, sanitize(&facts.join(", ")))?;
    }
    writeln!(out)
}

pub(super) fn findings(out: &mut dyn Write, findings: &[Finding<'_>]) -> io::Result<()> {
    for f in findings {
        match f.entry {
            Some(e) => entry(out, e, f)?,
            None => {
                writeln!(out, "## {}\n", code_span(&f.code))?;
                sightings(out, f)?;
                writeln!(out, "Unknown code.")?;
                if let Some(family) = &f.family {
                    writeln!(
                        out,
                        " Its shape ({}) says: {} Usually: {}",
                        family.pattern, family.meaning, family.remedy
                    )?;
                }
                if !f.suggestions.is_empty() {
                    let s: Vec<String> = f.suggestions.iter().map(|e| code_span(&e.code)).collect();
                    writeln!(out, "\nDid you mean: {}?", s.join(", "))?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

pub(super) fn entries(out: &mut dyn Write, entries: &[&Entry]) -> io::Result<()> {
    writeln!(out, "| code | category | summary |")?;
    writeln!(out, "| --- | --- | --- |")?;
    for e in entries {
        writeln!(
            out,
            "| {} | {} | {} |",
            code_span(&e.code),
            e.category,
            sanitize(&e.summary).replace('|', "\\|")
        )?;
    }
    Ok(())
}
