//! Writing explanations as plain text, Markdown or JSON to any `io::Write`.
//!
//! The front ends build a [`Finding`] per code (a lookup, or a code found in piped text) and a
//! list of entries for `list` and `search`; this module only formats them. It never reads
//! input, the environment or the terminal: width and colour are decided by the caller.

mod json;
mod markdown;
mod text;

use std::io::{self, Write};

use crate::catalog::{Entry, Family};
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
}

/// How text output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emit ANSI colour and bold.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 80,
        }
    }
}

/// One code to explain: looked up by name, or found in text.
#[derive(Debug, Clone)]
pub struct Finding<'a> {
    /// The catalog's spelling when known, otherwise the code as given or seen.
    pub code: String,
    /// The catalog entry, when the code is known.
    pub entry: Option<&'a Entry>,
    /// The closest known codes, for unknown ones.
    pub suggestions: Vec<&'a Entry>,
    /// What the code's shape says, for unknown ones.
    pub family: Option<Family>,
    /// Where the code was seen, in piped-text mode; `None` for lookups.
    pub occurrences: Option<Vec<Occurrence>>,
    /// How many times the code was seen (occurrences keep only the first ones).
    pub count: u64,
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
        Format::Markdown => markdown::findings(out, findings),
        Format::Json => json::findings(out, findings),
    }
}

/// Writes a list of entries (`list`, `search`).
pub fn write_entries(
    out: &mut dyn Write,
    entries: &[&Entry],
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Text => text::entries(out, entries, style),
        Format::Markdown => markdown::entries(out, entries),
        Format::Json => json::entries(out, entries),
    }
}
