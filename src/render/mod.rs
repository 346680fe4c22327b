//! Writing explanations as plain text, Markdown, JSON or GitHub Actions annotations to any
//! `io::Write`.
//!
//! The commands build a [`Finding`] per code (a lookup, or a code found in piped text) and a
//! list of [`Item`]s for `list` and `search`; this module only formats them. It never reads
//! input, the environment or the terminal: width, colour and detail are decided by the caller.
//! Every string that came from outside (log text, team files) is cleaned on its way out:
//! [`sanitize`] for text and Markdown, escapes for JSON and annotations.

mod github;
mod json;
mod markdown;
mod text;

use std::io::{self, Write};

pub use crate::catalog::Item;
use crate::catalog::{Entry, Family, Kind, Known, registry};
use crate::extract::Occurrence;
pub(crate) use crate::text::paragraphs;
pub use crate::text::{sanitize, wrap};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Wrapped, optionally coloured text for people.
    Text,
    /// Markdown, for tickets and chat.
    Markdown,
    /// JSON, for scripts (the contract is in README.md).
    Json,
    /// GitHub Actions workflow commands (`::error title=...::...`), one per finding.
    Github,
}

/// How text output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emit ANSI colour and bold.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
    /// Cut list lines to the width (on a terminal); piped output keeps whole lines.
    pub cut: bool,
    /// Everything about each code found in text, not the digest and first steps.
    pub full: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 80,
            cut: false,
            full: false,
        }
    }
}

/// One code to explain: looked up by name, or found in text.
#[derive(Debug, Clone)]
pub struct Finding<'a> {
    /// The catalog's spelling when known, otherwise the code as given or seen.
    pub code: String,
    /// The service it belongs to, when known (given, or told by the text).
    pub service: Option<String>,
    /// What errex knows about the code in that service; `None` for an unknown code, or for a
    /// code several services have when the text does not say which.
    pub known: Option<Known<'a>>,
    /// Other services this finding speaks for (a lookup of a code many services return lists
    /// the ones without their own entry here, explained once).
    pub also: Vec<Known<'a>>,
    /// Services the code may come from when the text does not say (piped text): the first few,
    /// those with a written entry first.
    pub candidates: Vec<String>,
    /// How many services the code may come from in all (`candidates` names the first ones).
    pub candidate_count: usize,
    /// The closest known codes, for unknown ones.
    pub suggestions: Vec<String>,
    /// What the code's shape says, for codes without a written explanation: unknown codes,
    /// groups of services, and a service's registry facts ([`Finding::set_known`]). Every
    /// format shows this one value.
    pub family: Option<Family>,
    /// Where the code was seen, in piped-text mode; `None` for lookups.
    pub occurrences: Option<Vec<Occurrence>>,
    /// How many times the code was seen (occurrences keep only the first ones).
    pub count: u64,
    /// The text printed no code: it was inferred from the message (evidence on each sighting).
    pub inferred: bool,
    /// A classification CloudFormation's resource handler reported (`HandlerErrorCode`), not a
    /// service's own code.
    pub handler: bool,
}

impl<'a> Finding<'a> {
    /// A finding for a lookup or a sighting, with nothing else known yet.
    pub fn new(code: impl Into<String>) -> Finding<'a> {
        Finding {
            code: code.into(),
            service: None,
            known: None,
            also: Vec::new(),
            candidates: Vec::new(),
            candidate_count: 0,
            suggestions: Vec::new(),
            family: None,
            occurrences: None,
            count: 0,
            inferred: false,
            handler: false,
        }
    }

    /// Whether errex knows the code (written, cross-service or registry).
    pub fn is_known(&self) -> bool {
        self.known.is_some() || !self.also.is_empty()
    }

    /// Records what errex knows about the code in its service. A code with only the
    /// registry's facts there also gets what its shape means, shown beside those facts.
    pub fn set_known(&mut self, k: Known<'a>) {
        self.known = Some(k);
        self.family = (k.kind() == Kind::Registry).then(|| k.family()).flatten();
    }

    /// How many services the finding speaks for without deciding among them: a piped code the
    /// text does not place (of which `candidates` and `also` name the first few), or a lookup's
    /// group of services without an entry of their own (all in `also`).
    pub fn services_undecided(&self) -> usize {
        self.candidate_count
            .max(self.candidates.len())
            .max(self.also.len())
    }

    /// The code this one refines and is explained by, when the catalog lacks it but knows the
    /// code before its detail (`AuthFailure` for `AuthFailure.ServiceLinkedRoleCreationNotPermitted`).
    pub fn refines(&self) -> Option<&'a str> {
        let k = self.known?;
        let detail = self.code.strip_prefix(k.code)?;
        (detail.len() > 1 && detail.starts_with('.')).then_some(k.code)
    }

    /// A sentence saying so, for [`Finding::refines`].
    pub fn refines_note(&self) -> Option<String> {
        self.refines().map(|p| {
            format!(
                "{} is not in the catalog: it refines {p}, whose explanation follows.",
                self.code
            )
        })
    }

    /// The written text that explains it, if any.
    pub fn explanation(&self) -> Option<&'a Entry> {
        self.known.and_then(|k| k.explanation())
    }

    /// The service as people name it, when known.
    pub fn service_name(&self) -> Option<&str> {
        match (&self.known, &self.service) {
            (Some(k), _) => Some(k.service_name()),
            (None, Some(s)) => Some(registry::service(s).map_or(s.as_str(), |s| s.service_id)),
            (None, None) => None,
        }
    }

    /// The command that shows everything about this code.
    pub fn full_command(&self) -> String {
        match &self.service {
            Some(s) if self.is_known() => format!("errex {s}:{}", self.code),
            _ => format!("errex {}", self.code),
        }
    }
}

/// Writes findings (lookup or piped-text results).
pub fn write_findings(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Text => text::findings(out, findings, style),
        Format::Markdown => markdown::findings(out, findings, style),
        Format::Json => json::findings(out, findings),
        Format::Github => github::findings(out, findings),
    }
}

/// Writes a list of entries (`list`, `search`).
pub fn write_items(
    out: &mut dyn Write,
    items: &[Item<'_>],
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Text | Format::Github => text::items(out, items, style),
        Format::Markdown => markdown::items(out, items),
        Format::Json => json::items(out, items),
    }
}

/// Writes any serializable value as JSON, with every character that could drive a terminal
/// escaped (the shared JSON writer of every command).
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    json::write(out, value)
}
