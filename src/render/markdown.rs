//! Markdown, for pasting into tickets, pull requests and chat.
//!
//! Catalog text keeps its backticked commands as code spans and has every other Markdown
//! character escaped, so `_custom_id_` stays literal; text from outside (log messages, codes
//! seen in text, file names) is escaped whole or put in a code span.

use std::io::{self, Write};

use super::{Finding, Item, Style, paragraphs, sanitize};
use crate::catalog::{Entry, Family, Kind, Known};

/// A code span that holds any text: the fence is longer than any run of backticks inside.
pub(super) fn code_span(s: &str) -> String {
    let s = sanitize(s).replace('\n', " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Escapes the characters Markdown would read as formatting.
fn escape_all(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '<' | '>' | '|' | '[' | ']' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text from outside: cleaned and escaped whole.
fn literal(s: &str) -> String {
    escape_all(&sanitize(s))
}

/// Catalog text: backticked spans stay code spans, everything else is escaped.
fn prose(s: &str) -> String {
    let s = sanitize(s);
    let parts: Vec<&str> = s.split('`').collect();
    // With an odd number of backticks the last one opens no span: it and the rest are text.
    let unmatched = parts.len().is_multiple_of(2);
    let mut out = String::with_capacity(s.len());
    for (i, part) in parts.iter().enumerate() {
        if unmatched && i == parts.len() - 1 {
            out.push_str("\\`");
            out.push_str(&escape_all(part));
        } else if i % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            out.push_str(&escape_all(part));
        }
    }
    out
}

/// A table cell: a `|` ends the cell even inside a code span, where GFM reads `\|` as `|`.
/// Outside spans every `|` is escaped already (an odd run of backslashes before it).
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut backslashes = 0usize;
    for c in s.chars() {
        if c == '|' && backslashes.is_multiple_of(2) {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

fn body(out: &mut dyn Write, text: &str) -> io::Result<()> {
    for (bullet, para) in paragraphs(text) {
        if bullet {
            writeln!(out, "- {}", prose(para))?;
        } else {
            writeln!(out, "{}", prose(para))?;
            writeln!(out)?;
        }
    }
    writeln!(out)
}

fn badges(k: &Known<'_>) -> String {
    let mut parts = vec![literal(k.service_name()), format!("**{}**", k.category())];
    if let Some(s) = k.http_status() {
        parts.push(format!("HTTP {s}"));
    }
    if let Some(r) = k.retry() {
        parts.push(format!("{} (`{}`)", r.label(), r.as_str()));
    }
    if k.kind() == Kind::Registry {
        parts.push("registry facts only".to_owned());
    }
    parts.join(" · ")
}

fn entry(out: &mut dyn Write, k: &Known<'_>, e: &Entry, full: bool) -> io::Result<()> {
    writeln!(out, "{}\n", badges(k))?;
    if k.kind() == Kind::CrossService {
        writeln!(
            out,
            "_{} has no entry of its own; what the code means in every service:_\n",
            literal(k.service_name())
        )?;
    }
    writeln!(out, "{}\n", prose(&e.summary))?;
    if let Some(why) = &e.deprecated {
        let replaced = e
            .replaced_by
            .as_ref()
            .map(|r| format!(" Now returned as {}.", code_span(r)))
            .unwrap_or_default();
        writeln!(out, "> **Deprecated:** {}{replaced}\n", prose(why))?;
    }
    if !full {
        writeln!(out, "**Retry:** {}\n", prose(e.retry.advice()))?;
        let steps: Vec<&str> = paragraphs(&e.remedy)
            .filter(|(b, _)| *b)
            .map(|(_, p)| p)
            .take(2)
            .collect();
        if !steps.is_empty() {
            writeln!(out, "**First steps:**\n")?;
            for s in steps {
                writeln!(out, "- {}", prose(s))?;
            }
            writeln!(out)?;
        }
        return Ok(());
    }
    writeln!(out, "### Cause\n")?;
    body(out, &e.cause)?;
    writeln!(out, "### Remedy\n")?;
    body(out, &e.remedy)?;
    if let Some(notes) = &e.notes {
        writeln!(out, "### Team notes\n")?;
        body(out, notes)?;
    }
    writeln!(out, "**Retry:** {}", prose(e.retry.advice()))?;
    if let Some(note) = &e.retry_note {
        writeln!(out, "{}", prose(note))?;
    }
    writeln!(out)?;
    if !e.related.is_empty() {
        let related: Vec<String> = e.related.iter().map(|c| code_span(c)).collect();
        writeln!(out, "**Related:** {}\n", related.join(", "))?;
    }
    if !e.actions.is_empty() {
        writeln!(out, "**Actions:** {}\n", literal(&e.actions.join(", ")))?;
    }
    if let Some(docs) = k.docs() {
        writeln!(out, "**Docs:** <{}>\n", sanitize(&docs).replace('>', "%3E"))?;
    }
    if let Some(src) = e.provenance() {
        writeln!(out, "**Source:** {}\n", literal(&src))?;
    }
    Ok(())
}

fn registry_only(out: &mut dyn Write, k: &Known<'_>, family: Option<Family>) -> io::Result<()> {
    writeln!(out, "{}\n", badges(k))?;
    if let Some(r) = k.registry {
        writeln!(
            out,
            "No written explanation yet. From the SDK model: {} returns it as a {} fault. {}\n",
            literal(r.service().full_name),
            r.fault,
            r.sdk_retry.advice()
        )?;
    }
    if let Some(f) = family {
        writeln!(
            out,
            "Its shape ({}) says: {} Usually: {}\n",
            literal(f.pattern),
            prose(f.meaning),
            prose(f.remedy)
        )?;
    }
    if let Some(docs) = k.docs() {
        writeln!(out, "**Docs:** <{}>\n", sanitize(&docs).replace('>', "%3E"))?;
    }
    Ok(())
}

/// `1 code`, `3 codes`.
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where a code was seen in piped text: the count, then one line per sighting.
fn sightings(out: &mut dyn Write, f: &Finding<'_>) -> io::Result<()> {
    let Some(occ) = &f.occurrences else {
        return Ok(());
    };
    let lines: Vec<String> = occ.iter().take(20).map(|o| o.line.to_string()).collect();
    let seen = f.count.max(occ.len() as u64);
    writeln!(
        out,
        "Seen {}, {} {}{}.\n",
        counted(seen, "time", "times"),
        if lines.len() == 1 { "line" } else { "lines" },
        lines.join(", "),
        if occ.len() > lines.len() { ", …" } else { "" }
    )?;
    for o in occ.iter().take(5) {
        let mut facts = o.facts(code_span);
        if let Some(m) = facts.iter_mut().find(|f| f.starts_with('“')) {
            *m = literal(m);
        }
        let place = match &o.file {
            Some(file) => format!("{}:{}", literal(file), o.line),
            None => format!("line {}", o.line),
        };
        if facts.is_empty() {
            writeln!(out, "- {place}")?;
        } else {
            writeln!(out, "- {place}: {}", facts.join(", "))?;
        }
    }
    writeln!(out)
}

pub(super) fn findings(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    style: Style,
) -> io::Result<()> {
    let piped = findings.iter().any(|f| f.occurrences.is_some());
    if piped {
        let total: u64 = findings.iter().map(|f| f.count.max(1)).sum();
        writeln!(
            out,
            "**{} in the input, {}:**\n",
            counted(total, "AWS error", "AWS errors"),
            counted(findings.len() as u64, "code", "codes")
        )?;
        writeln!(out, "| code | service | lines | retry |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for f in findings {
            let lines: Vec<String> = f
                .occurrences
                .iter()
                .flatten()
                .take(5)
                .map(|o| o.line.to_string())
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&code_span(&f.code)),
                f.service_name().map_or_else(|| "?".to_owned(), literal),
                lines.join(", "),
                match (f.known, f.also.len()) {
                    (Some(k), _) => k
                        .retry()
                        .map_or("registry facts only", |r| r.label())
                        .to_owned(),
                    (None, 0) => "unknown code".to_owned(),
                    (None, 1) => "registry facts only".to_owned(),
                    (None, _) => format!("known in {} services", f.services_undecided()),
                }
            )?;
        }
        writeln!(out)?;
    }
    let full = style.full || !piped;
    for f in findings {
        let service = f
            .service_name()
            .map(|s| format!(" · {}", literal(s)))
            .unwrap_or_default();
        writeln!(out, "## {}{service}\n", code_span(&f.code))?;
        sightings(out, f)?;
        if f.handler {
            writeln!(
                out,
                "A CloudFormation resource handler's classification, not the service's own \
                 code; the stack event's status reason holds the service's error.\n"
            )?;
        }
        if let Some(note) = f.refines_note() {
            writeln!(out, "_{}_\n", prose(&note))?;
        }
        match &f.known {
            Some(k) => match k.explanation() {
                Some(e) => entry(out, k, e, full)?,
                None => registry_only(out, k, f.family)?,
            },
            None if !f.also.is_empty() => {}
            None => {
                writeln!(out, "Unknown code.")?;
                if !f.candidates.is_empty() {
                    let more = match f.services_undecided() - f.candidates.len() {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    writeln!(
                        out,
                        " The text does not say which service: {}{more}.",
                        literal(&f.candidates.join(", "))
                    )?;
                }
                if let Some(family) = &f.family {
                    writeln!(
                        out,
                        " Its shape ({}) says: {} Usually: {}",
                        literal(family.pattern),
                        prose(family.meaning),
                        prose(family.remedy)
                    )?;
                }
                if !f.suggestions.is_empty() {
                    let s: Vec<String> = f.suggestions.iter().map(|c| code_span(c)).collect();
                    writeln!(out, "\nDid you mean: {}?", s.join(", "))?;
                }
                writeln!(out)?;
            }
        }
        if !f.also.is_empty() && f.known.is_none() {
            writeln!(
                out,
                "**Known in {} services**; the text does not say which:\n",
                f.services_undecided()
            )?;
            for k in &f.also {
                let what = k.explanation().map_or_else(
                    || "no written explanation; registry facts only".to_owned(),
                    |e| prose(&e.summary),
                );
                writeln!(
                    out,
                    "- {}: {what} ({})",
                    literal(k.service_name()),
                    code_span(&format!("errex {}:{}", k.service, f.code))
                )?;
            }
            let more = f.services_undecided().saturating_sub(f.also.len());
            if more > 0 {
                writeln!(
                    out,
                    "- {more} more services (every one: {})",
                    code_span(&format!("errex {}", f.code))
                )?;
            }
            writeln!(out)?;
        } else if !f.also.is_empty() {
            let names: Vec<String> = f.also.iter().map(|k| literal(k.service)).collect();
            writeln!(
                out,
                "**Also returned by** (no entry of their own): {}\n",
                names.join(", ")
            )?;
        }
        if piped && !style.full {
            writeln!(out, "Everything: {}\n", code_span(&f.full_command()))?;
        }
    }
    Ok(())
}

pub(super) fn items(out: &mut dyn Write, items: &[Item<'_>]) -> io::Result<()> {
    writeln!(out, "| code | service | category | summary |")?;
    writeln!(out, "| --- | --- | --- | --- |")?;
    for i in items {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&code_span(i.code)),
            literal(i.service.unwrap_or("*")),
            i.category(),
            cell(&prose(&i.summary()))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_but_keeps_commands() {
        assert_eq!(
            prose("set _custom_id_ to *x* <b> a|b, run `aws s3 ls s3://a_b`"),
            "set \\_custom\\_id\\_ to \\*x\\* \\<b\\> a\\|b, run `aws s3 ls s3://a_b`"
        );
        assert_eq!(literal("`rm -rf` _x_"), "\\`rm -rf\\` \\_x\\_");
        assert_eq!(
            prose("a ` b_c"),
            "a \\` b\\_c",
            "an unmatched backtick is text"
        );
        assert_eq!(
            cell(&prose("run `a | b` or c|d")),
            "run `a \\| b` or c\\|d",
            "a pipe in a span would end the table cell"
        );
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("x\u{1b}[2Jy"), "`xy`");
    }
}
