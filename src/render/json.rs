//! JSON for scripts. The shapes here are a contract documented in README.md; tests parse them.

use std::io::{self, Write};

use serde::Serialize;

use super::Finding;
use crate::catalog::{Entry, Family};
use crate::extract::Occurrence;

/// An entry as JSON: every catalog field, plus the retry advice in words.
#[derive(Serialize)]
struct EntryJson<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    retry_advice: &'static str,
}

impl<'a> From<&'a Entry> for EntryJson<'a> {
    fn from(entry: &'a Entry) -> Self {
        EntryJson {
            entry,
            retry_advice: entry.retry.advice(),
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'a str,
    known: bool,
    entry: Option<EntryJson<'a>>,
    suggestions: Vec<&'a str>,
    family: Option<Family>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occurrences: Option<&'a [Occurrence]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
}

fn finish(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

pub(super) fn findings(out: &mut dyn Write, findings: &[Finding<'_>]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        findings: Vec<FindingJson<'a>>,
    }
    let doc = Doc {
        findings: findings
            .iter()
            .map(|f| FindingJson {
                code: &f.code,
                known: f.entry.is_some(),
                entry: f.entry.map(EntryJson::from),
                suggestions: f.suggestions.iter().map(|e| &*e.code).collect(),
                family: f.family,
                occurrences: f.occurrences.as_deref(),
                count: f.occurrences.as_ref().map(|_| f.count),
            })
            .collect(),
    };
    finish(out, &doc)
}

pub(super) fn entries(out: &mut dyn Write, entries: &[&Entry]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        entries: Vec<EntryJson<'a>>,
    }
    finish(
        out,
        &Doc {
            entries: entries.iter().map(|e| EntryJson::from(*e)).collect(),
        },
    )
}
