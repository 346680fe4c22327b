//! JSON for scripts. The shapes here are a contract documented in README.md; tests parse them.
//!
//! Every character that could drive a terminal (C0 and C1 controls, bidirectional controls) is
//! written as a `\u` escape, so a script that prints a field cannot be tricked by a log line.
//! I/O errors keep their kind, so a closed pipe is recognised as one.

use std::io::{self, Write};

use serde::Serialize;

use super::{Finding, Item};
use crate::catalog::{Category, Entry, Family, Kind, Known, Retry, registry};
use crate::extract::Occurrence;
use crate::text::is_dangerous;

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

/// What the registry says about a code in one service.
#[derive(Serialize)]
struct RegistryJson {
    service: &'static str,
    service_name: &'static str,
    code: &'static str,
    shapes: Vec<&'static str>,
    http_status: Option<u16>,
    fault: Category,
    sdk_retry: registry::SdkRetry,
    sdk_retry_advice: &'static str,
    origin: registry::Origin,
    docs: Option<String>,
}

impl From<&'static registry::Code> for RegistryJson {
    fn from(r: &'static registry::Code) -> Self {
        RegistryJson {
            service: r.service().id,
            service_name: r.service().service_id,
            code: r.code,
            shapes: r.shape_names().collect(),
            http_status: r.http_status,
            fault: r.fault,
            sdk_retry: r.sdk_retry,
            sdk_retry_advice: r.sdk_retry.advice(),
            origin: r.origin,
            docs: r.docs(),
        }
    }
}

/// A service the finding speaks for, without its own entry.
#[derive(Serialize)]
struct AlsoJson {
    service: String,
    kind: Kind,
    registry: Option<RegistryJson>,
}

impl From<&Known<'_>> for AlsoJson {
    fn from(k: &Known<'_>) -> Self {
        AlsoJson {
            service: k.service.to_owned(),
            kind: k.kind(),
            registry: k.registry.map(RegistryJson::from),
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'a str,
    known: bool,
    kind: Option<Kind>,
    service: Option<&'a str>,
    service_name: Option<&'a str>,
    entry: Option<EntryJson<'a>>,
    registry: Option<RegistryJson>,
    http_status: Option<u16>,
    retry: Option<Retry>,
    also: Vec<AlsoJson>,
    candidates: &'a [String],
    candidate_count: usize,
    suggestions: &'a [String],
    family: Option<Family>,
    refines: Option<&'a str>,
    inferred: bool,
    handler: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    occurrences: Option<&'a [Occurrence]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
}

/// Serializes `value` (pretty) with dangerous characters escaped, and a final newline.
pub(super) fn write(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::from)?;
    let mut escaped = String::with_capacity(text.len());
    // Such characters only ever occur inside JSON strings, where `\uXXXX` means the same.
    for c in text.chars() {
        if is_dangerous(c) && !matches!(c, '\n' | ' ') {
            for unit in c.encode_utf16(&mut [0; 2]) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            escaped.push(c);
        }
    }
    out.write_all(escaped.as_bytes())?;
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
                known: f.is_known(),
                kind: f.known.map(|k| k.kind()),
                service: f.service.as_deref(),
                service_name: f.service_name(),
                entry: f.explanation().map(EntryJson::from),
                registry: f.known.and_then(|k| k.registry).map(RegistryJson::from),
                http_status: f.known.and_then(|k| k.http_status()),
                retry: f.known.and_then(|k| k.retry()),
                also: f.also.iter().map(AlsoJson::from).collect(),
                candidates: &f.candidates,
                candidate_count: f.candidate_count.max(f.candidates.len()),
                suggestions: &f.suggestions,
                family: f.family,
                refines: f.refines(),
                inferred: f.inferred,
                handler: f.handler,
                occurrences: f.occurrences.as_deref(),
                count: f.occurrences.as_ref().map(|_| f.count),
            })
            .collect(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
#[serde(untagged)]
enum ItemJson<'a> {
    Written {
        kind: Kind,
        #[serde(flatten)]
        entry: EntryJson<'a>,
    },
    Registry {
        kind: Kind,
        service: Option<&'a str>,
        code: &'a str,
        category: Category,
        summary: String,
        retry: Option<Retry>,
        family: Option<Family>,
        services: Vec<RegistryJson>,
    },
}

pub(super) fn items(out: &mut dyn Write, items: &[Item<'_>]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        entries: Vec<ItemJson<'a>>,
    }
    let entries = items
        .iter()
        .map(|i| match i.entry {
            Some(e) => ItemJson::Written {
                kind: i.kind,
                entry: EntryJson::from(e),
            },
            None => ItemJson::Registry {
                kind: i.kind,
                service: i.service,
                code: i.code,
                category: i.category(),
                summary: i.summary(),
                retry: i.retry(),
                family: crate::catalog::family_of(i.code),
                services: i.rows.iter().map(|r| RegistryJson::from(*r)).collect(),
            },
        })
        .collect();
    write(out, &Doc { entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Any string goes out with every dangerous character as a `\u` escape, and comes back
        /// the same when parsed.
        #[test]
        fn dangerous_characters_are_escaped_and_round_trip(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<char>(),
                    proptest::char::range('\u{0}', '\u{9f}'),
                    proptest::char::range('\u{2066}', '\u{2069}'),
                    proptest::char::range('\u{202a}', '\u{202e}'),
                    proptest::strategy::Just('\u{200f}'),
                    proptest::strategy::Just('\u{61c}'),
                ],
                0..48,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let mut out = Vec::new();
            write(&mut out, &serde_json::json!({ "message": s })).expect("written");
            let text = String::from_utf8(out).expect("UTF-8");
            proptest::prop_assert!(
                !text.chars().any(|c| is_dangerous(c) && c != '\n'),
                "{:?}",
                text
            );
            let back: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            proptest::prop_assert_eq!(back["message"].as_str(), Some(s.as_str()));
        }
    }
}
