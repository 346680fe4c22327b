//! Turning knowledge-base TOML into validated entries, with precise diagnostics.
//!
//! Two steps, both pure: [`parse_file`] checks one file on its own (syntax, types, unknown
//! fields, empty text, closed sets, links, duplicates within the file) and yields drafts;
//! [`assemble`] layers drafts from many files over a base set of entries, completing new
//! entries, overriding existing ones, and checking cross-references. Every problem is a
//! [`Diagnostic`] with file, line and column.
//!
//! Like `model.rs`, this file is also compiled into `build.rs`, so it may use only `std`,
//! `serde`, `toml` and its sibling `model`.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::model::{Category, DEFAULT_WEIGHT, Entry, Retry, Source, Text};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file (or entry) cannot be used as written.
    Error,
    /// Usable, but worth a look (for example an override of a built-in entry).
    Warning,
}

/// One problem found in a knowledge-base file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as it was named to the parser.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: error: message`, with every character that could drive a terminal
    /// removed from the file name and the message (both may come from a hostile file).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            printable(&self.file),
            self.line,
            self.column,
            printable(&self.message)
        )
    }
}

/// Text with control and bidirectional characters shown as `\u{..}` escapes (this file is also
/// compiled into build.rs, so it cannot use the library's cleaning).
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether a character is a bidirectional control, which can make text read differently than
/// it is.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// A position in a file, kept so that later checks can point at the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The raw shape of a file, mirroring the TOML exactly.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    service: Option<Spanned<String>>,
    #[serde(default)]
    entry: Vec<Spanned<RawEntry>>,
}

/// The raw shape of one `[[entry]]`; every field is optional here so that an override can set
/// only what it changes. Completeness is checked in [`assemble`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    cause: Option<Spanned<String>>,
    remedy: Option<Spanned<String>>,
    retry: Option<Spanned<String>>,
    http_status: Option<Spanned<i64>>,
    related: Option<Spanned<Vec<String>>>,
    docs: Option<Spanned<String>>,
    actions: Option<Vec<String>>,
    aliases: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    deprecated: Option<Spanned<String>>,
    replaced_by: Option<Spanned<String>>,
    retry_note: Option<Spanned<String>>,
    notes: Option<Spanned<String>>,
    messages: Option<Spanned<Vec<String>>>,
    weight: Option<Spanned<i64>>,
}

/// One entry as a file states it: the fields it sets, checked on their own.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The code.
    pub code: String,
    /// Where the entry starts (its `[[entry]]` header or first key).
    pub at: Option<Location>,
    /// The category, if set.
    pub category: Option<Category>,
    /// The summary, if set.
    pub summary: Option<String>,
    /// The cause, if set.
    pub cause: Option<String>,
    /// The remedy, if set.
    pub remedy: Option<String>,
    /// The retry class, if set.
    pub retry: Option<Retry>,
    /// The HTTP status, if set.
    pub http_status: Option<u16>,
    /// Related codes, with where they were written.
    pub related: Option<(Vec<String>, Location)>,
    /// The docs link, if set.
    pub docs: Option<String>,
    /// API actions, if set.
    pub actions: Option<Vec<String>>,
    /// Aliases, if set.
    pub aliases: Option<Vec<String>>,
    /// Tags, if set.
    pub tags: Option<Vec<String>>,
    /// Deprecation reason, if set.
    pub deprecated: Option<String>,
    /// Replacement code, with where it was written.
    pub replaced_by: Option<(String, Location)>,
    /// Note on the retry class, if set.
    pub retry_note: Option<String>,
    /// Team notes, if set.
    pub notes: Option<String>,
    /// Message patterns, if set.
    pub messages: Option<Vec<String>>,
    /// How often the code is met (1 to 5), if set.
    pub weight: Option<u8>,
}

/// A file that parsed and passed its own checks.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// The file's name, as given.
    pub file: String,
    /// The service its codes belong to.
    pub service: String,
    /// Its entries, in file order.
    pub drafts: Vec<Draft>,
}

/// Maps byte offsets to lines and columns. The line starts are found once (a lookup is a
/// binary search), and columns are counted on from the last position located, not from the
/// start of the line: a hostile file of one long line (`entry = [{...}, {...}, ...]`) would
/// otherwise recount that line for every entry. Offsets arrive roughly in file order, so the
/// characters walked to count columns stay linear in the file's size.
struct Lines<'a> {
    text: &'a str,
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
    /// Added to every line number: the text is a piece of a file that starts at this line.
    first_line: usize,
    /// The last position located: (byte offset, 1-based line index into `starts`, 0-based
    /// column in characters).
    cursor: Cell<(usize, usize, usize)>,
    /// Bytes walked to count columns so far (the work a test holds to a linear bound).
    walked: Cell<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            first_line,
            cursor: Cell::new((0, 1, 0)),
            walked: Cell::new(0),
        }
    }

    fn locate(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let chars = |from: usize, to: usize| {
            self.walked.set(self.walked.get() + (to - from));
            self.text[from..to].chars().count()
        };
        let (at, at_line, at_column) = self.cursor.get();
        // From the cursor when it is on the same line and nearer than the line's start.
        let column = if at_line == line && offset >= at {
            at_column + chars(at, offset)
        } else if at_line == line && at - offset < offset - start {
            at_column - chars(offset, at)
        } else {
            chars(start, offset)
        };
        self.cursor.set((offset, line, column));
        Location {
            line: line + self.first_line - 1,
            column: column + 1,
        }
    }

    /// Bytes walked to count columns so far.
    #[cfg(test)]
    fn walked(&self) -> usize {
        self.walked.get()
    }
}

/// The longest summary we accept: it must fit on one line of a list.
pub const MAX_SUMMARY: usize = 120;

/// Parses and checks one file.
///
/// Returns the entries that passed with the diagnostics of those that did not (left out), so
/// one broken entry never hides the rest; `Err` only when nothing in the file is usable.
pub fn parse_file(
    file: &str,
    text: &str,
) -> Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_with(file, text, &Lines::new(text, 1))
}

/// [`parse_file`] with the line index given, so a test can see the work locating took.
fn parse_with(
    file: &str,
    text: &str,
    lines: &Lines<'_>,
) -> Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let diag = |span: Range<usize>, message: String| {
        let at = lines.locate(span.start);
        Diagnostic {
            file: file.to_owned(),
            line: at.line,
            column: at.column,
            severity: Severity::Error,
            message,
        }
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            // serde stops at the first problem. Look at each entry on its own to report the
            // first problem of every entry, as a compiler would, then check the rest of the
            // file without the broken entries.
            let segments = entry_segments(text);
            let mut broken = Vec::new();
            let mut all = Vec::new();
            for (k, (first_line, piece)) in segments.iter().enumerate() {
                if let Err(e) = toml::from_str::<RawFile>(piece) {
                    broken.push(k);
                    let at = Lines::new(piece, *first_line).locate(e.span().unwrap_or(0..0).start);
                    all.push(Diagnostic {
                        file: file.to_owned(),
                        line: at.line,
                        column: at.column,
                        severity: Severity::Error,
                        message: e.message().trim().to_owned(),
                    });
                }
            }
            if all.is_empty() || broken.len() == segments.len() {
                if all.is_empty() {
                    all.push(diag(
                        e.span().unwrap_or(0..0),
                        e.message().trim().to_owned(),
                    ));
                }
                return Err(all);
            }
            let rest = blank_entries(text, &broken);
            return match parse_file(file, &rest) {
                Ok((parsed, more)) => {
                    all.extend(more);
                    all.sort_by_key(|d| (d.line, d.column));
                    Ok((parsed, all))
                }
                Err(more) => {
                    all.extend(more);
                    Err(all)
                }
            };
        }
    };
    let service = match raw.service {
        Some(s) if is_valid_code(s.get_ref()) => s.into_inner(),
        Some(s) => {
            errors.push(diag(
                s.span(),
                format!(
                    "service {:?} must be letters, digits, '.', '_' or '-'",
                    s.get_ref()
                ),
            ));
            String::new()
        }
        None => {
            errors.push(diag(
                0..0,
                "missing `service = \"...\"` at the top of the file".into(),
            ));
            String::new()
        }
    };

    let mut drafts = Vec::with_capacity(raw.entry.len());
    let mut seen: HashMap<String, Location> = HashMap::new();
    for spanned in raw.entry {
        let errors_before = errors.len();
        let entry_span = spanned.span();
        let raw = spanned.into_inner();
        let mut draft = Draft {
            at: Some(lines.locate(entry_span.start)),
            ..Draft::default()
        };
        match raw.code {
            Some(code) if is_valid_code(code.get_ref()) => {
                let at = lines.locate(code.span().start);
                draft.at = Some(at);
                if let Some(first) = seen.insert(code.get_ref().clone(), at) {
                    errors.push(diag(
                        code.span(),
                        format!(
                            "duplicate code {:?}: already defined at line {} of this file",
                            code.get_ref(),
                            first.line
                        ),
                    ));
                }
                draft.code = code.into_inner();
            }
            Some(code) => errors.push(diag(
                code.span(),
                format!(
                    "code {:?} is not a valid error code: use letters, digits, '.', '_' or '-', \
                     exactly as the API returns it",
                    code.get_ref()
                ),
            )),
            None => errors.push(diag(entry_span.clone(), "entry has no `code`".into())),
        }
        if let Some(c) = raw.category {
            match Category::parse(c.get_ref()) {
                Some(cat) => draft.category = Some(cat),
                None => errors.push(diag(
                    c.span(),
                    format!("category {:?} is not one of: client, server", c.get_ref()),
                )),
            }
        }
        if let Some(r) = raw.retry {
            match Retry::parse(r.get_ref()) {
                Some(retry) => draft.retry = Some(retry),
                None => errors.push(diag(
                    r.span(),
                    format!(
                        "retry {:?} is not one of: {}",
                        r.get_ref(),
                        Retry::ALL.map(Retry::as_str).join(", ")
                    ),
                )),
            }
        }
        if let Some(s) = raw.http_status {
            match u16::try_from(*s.get_ref()) {
                Ok(v) if (100..=599).contains(&v) => draft.http_status = Some(v),
                _ => errors.push(diag(
                    s.span(),
                    format!(
                        "http_status {} is not an HTTP status (100 to 599)",
                        s.get_ref()
                    ),
                )),
            }
        }
        if let Some(d) = raw.docs {
            // A link is opened and printed: no spaces, and nothing that could drive a terminal.
            if !d.get_ref().starts_with("https://")
                || d.get_ref()
                    .contains(|c: char| c.is_whitespace() || c.is_control() || is_bidi(c))
            {
                errors.push(diag(
                    d.span(),
                    format!("docs {:?} must be an https:// link", d.get_ref()),
                ));
            } else {
                draft.docs = Some(d.into_inner());
            }
        }
        if let Some(s) = &raw.summary {
            let t = s.get_ref().trim();
            if t.contains('\n') || t.chars().count() > MAX_SUMMARY {
                errors.push(diag(
                    s.span(),
                    format!("summary must be one line of at most {MAX_SUMMARY} characters"),
                ));
            }
        }
        let mut text_field = |name: &str, value: Option<Spanned<String>>| -> Option<String> {
            let value = value?;
            if value.get_ref().trim().is_empty() {
                errors.push(diag(
                    value.span(),
                    format!("`{name}` is empty; write the text or remove the field"),
                ));
                return None;
            }
            Some(value.into_inner())
        };
        draft.summary = text_field("summary", raw.summary).map(trimmed);
        draft.cause = text_field("cause", raw.cause).map(trimmed);
        draft.remedy = text_field("remedy", raw.remedy).map(trimmed);
        draft.deprecated = text_field("deprecated", raw.deprecated).map(trimmed);
        draft.retry_note = text_field("retry_note", raw.retry_note).map(trimmed);
        draft.notes = text_field("notes", raw.notes).map(trimmed);
        if let Some(m) = raw.messages {
            match m.get_ref().iter().find_map(|p| pattern_problem(p)) {
                Some(problem) => errors.push(diag(m.span(), problem)),
                None => draft.messages = Some(m.into_inner()),
            }
        }
        if let Some(w) = raw.weight {
            match u8::try_from(*w.get_ref()) {
                Ok(v) if (1..=5).contains(&v) => draft.weight = Some(v),
                _ => errors.push(diag(
                    w.span(),
                    format!(
                        "weight {} is not 1 (rarely met) to 5 (met daily by many)",
                        w.get_ref()
                    ),
                )),
            }
        }
        if let Some(r) = raw.related {
            let at = lines.locate(r.span().start);
            let span = r.span();
            let list = r.into_inner();
            if list.iter().any(|c| c == &draft.code) {
                errors.push(diag(
                    span,
                    format!("`related` lists the entry's own code {:?}", draft.code),
                ));
            }
            draft.related = Some((list, at));
        }
        if let Some(r) = raw.replaced_by {
            draft.replaced_by = Some((r.get_ref().clone(), lines.locate(r.span().start)));
        }
        draft.actions = raw.actions;
        draft.aliases = raw.aliases;
        draft.tags = raw.tags;
        // An entry with a problem is left out; the file's other entries still count.
        if errors.len() == errors_before {
            drafts.push(draft);
        }
    }
    if service.is_empty() {
        return Err(errors);
    }
    Ok((
        ParsedFile {
            file: file.to_owned(),
            service,
            drafts,
        },
        errors,
    ))
}

/// The string without white space around it, reusing it when there is none (most text).
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_owned()
    }
}

/// Line ranges of each `[[entry]]` (from its header to the next one).
fn entry_ranges(lines: &[&str]) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[entry]]"))
        .map(|(i, _)| i)
        .collect();
    (0..starts.len())
        .map(|k| (starts[k], starts.get(k + 1).copied().unwrap_or(lines.len())))
        .collect()
}

/// Blanks a line but keeps its length and newline, so offsets, lines and columns stay put.
fn blank(line: &str) -> String {
    line.chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect()
}

/// Each `[[entry]]` on its own, with the line it starts at, so each entry parses alone and its
/// problems are reported at their lines in the file. Linear in the file's size.
fn entry_segments(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    entry_ranges(&lines)
        .into_iter()
        .map(|(from, to)| (from + 1, lines[from..to].concat()))
        .collect()
}

/// The file with the given entries (by index) blanked out.
fn blank_entries(text: &str, which: &[usize]) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let ranges = entry_ranges(&lines);
    let mut gone = vec![false; lines.len()];
    for &(from, to) in which.iter().filter_map(|&k| ranges.get(k)) {
        gone[from..to].fill(true);
    }
    lines
        .iter()
        .zip(gone)
        .map(|(l, gone)| if gone { blank(l) } else { (*l).to_owned() })
        .collect()
}

/// Whether `s` has the shape of an error code (or service name).
pub fn is_valid_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// How drafts whose code already exists are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layering {
    /// The built-in catalog: one definition per code, across all files.
    Strict,
    /// User catalogs: a later definition overrides the fields it sets, with a warning when it
    /// overrides a built-in entry.
    Override,
}

/// The service of cross-service entries: what a code means in every service that returns it.
pub const CROSS_SERVICE: &str = "aws";

/// Tells whether the registry (the codes imported from the SDK models) has `(service, code)`.
pub type InRegistry<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Splits a reference to another entry: `Code` (same service, else cross-service) or
/// `service:Code`.
pub fn split_reference(reference: &str) -> (Option<&str>, &str) {
    match reference.split_once(':') {
        Some((service, code)) => (Some(service), code),
        None => (None, reference),
    }
}

/// Layers `files` over `base`, in order, and checks the result.
///
/// `source` says where a file's new entries come from; `registry` answers for codes that have
/// no written entry, so `related` may name them. Cross-service files are applied first, so a
/// service entry can leave out what its cross-service entry already says and take it from
/// there. Returns the combined entries and every diagnostic; entries with errors are left out,
/// so one bad entry never hides the rest.
pub fn assemble(
    base: Vec<Entry>,
    files: &[ParsedFile],
    layering: Layering,
    source: impl Fn(&ParsedFile) -> Source,
    registry: InRegistry<'_>,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut ordered: Vec<&ParsedFile> = files.iter().collect();
    ordered.sort_by_key(|f| f.service != CROSS_SERVICE);
    let mut entries = base;
    let mut diagnostics = Vec::new();
    let mut index = Index::default();
    for (i, e) in entries.iter().enumerate() {
        index.insert(&e.service, &e.code, i);
    }
    let builtin_count = entries.len();
    // Only the strict layering reports where a duplicate was first defined.
    let mut defined_in: HashMap<(String, String), (String, usize)> = HashMap::new();
    // (entry index, file, draft) for the cross-reference checks after all layers are applied.
    let mut to_check: Vec<(usize, &ParsedFile, &Draft)> = Vec::new();

    for file in ordered {
        for draft in &file.drafts {
            let at = draft.at.unwrap_or(Location { line: 1, column: 1 });
            let diag = |severity, message: String| Diagnostic {
                file: file.file.clone(),
                line: at.line,
                column: at.column,
                severity,
                message,
            };
            match index.get(&file.service, &draft.code) {
                Some(_) if layering == Layering::Strict => {
                    let (first_file, first_line) = defined_in
                        .get(&(file.service.clone(), draft.code.clone()))
                        .cloned()
                        .unwrap_or_default();
                    diagnostics.push(diag(
                        Severity::Error,
                        format!(
                            "duplicate code {:?}: already defined at {first_file}:{first_line}",
                            draft.code
                        ),
                    ));
                }
                Some(i) => {
                    // Notes add to an entry; only fields that replace built-in text warn.
                    if i < builtin_count && overridden_fields(draft) != ["notes"] {
                        diagnostics.push(diag(
                            Severity::Warning,
                            format!(
                                "overrides the built-in entry {:?} ({})",
                                draft.code,
                                overridden_fields(draft).join(", ")
                            ),
                        ));
                    }
                    apply_override(&mut entries[i], draft, &file.file);
                    to_check.push((i, file, draft));
                }
                None => match complete(
                    draft,
                    &file.service,
                    source(file),
                    index
                        .get(CROSS_SERVICE, &draft.code)
                        .filter(|_| file.service != CROSS_SERVICE)
                        .map(|i| &entries[i]),
                ) {
                    Ok(entry) => {
                        index.insert(&file.service, &draft.code, entries.len());
                        if layering == Layering::Strict {
                            defined_in.insert(
                                (file.service.clone(), draft.code.clone()),
                                (file.file.clone(), at.line),
                            );
                        }
                        to_check.push((entries.len(), file, draft));
                        entries.push(entry);
                    }
                    Err(missing) => diagnostics.push(diag(
                        Severity::Error,
                        format!(
                            "entry {:?} is missing required field{} {}",
                            draft.code,
                            if missing.len() == 1 { "" } else { "s" },
                            missing.join(", ")
                        ),
                    )),
                },
            }
        }
    }

    let mut rejected = vec![false; entries.len()];
    for (i, file, draft) in to_check {
        let service = &file.service;
        let written = |service: &str, code: &str| index.get(service, code).is_some();
        // `Code` names an entry of the same service, else the cross-service one, else a code
        // of the same service in the registry; `service:Code` names another service's code.
        let exists = |reference: &str| match split_reference(reference) {
            (Some(other), code) => written(other, code) || registry(other, code),
            (None, code) => {
                written(service, code) || written(CROSS_SERVICE, code) || registry(service, code)
            }
        };
        let mut bad = Vec::new();
        if let Some((related, at)) = &draft.related {
            for code in related.iter().filter(|c| !exists(c)) {
                bad.push((
                    *at,
                    format!(
                        "related code {code:?} does not exist in service {service:?} (nor across \
                         services, nor in its registry); write `service:Code` for another \
                         service's code"
                    ),
                ));
            }
        }
        if let Some((code, at)) = draft.replaced_by.as_ref().filter(|(code, _)| !exists(code)) {
            bad.push((
                *at,
                format!("replaced_by code {code:?} does not exist in service {service:?}"),
            ));
        }
        if !bad.is_empty() && i >= builtin_count {
            rejected[i] = true;
        }
        diagnostics.extend(bad.into_iter().map(|(at, message)| Diagnostic {
            file: file.file.clone(),
            line: at.line,
            column: at.column,
            severity: Severity::Error,
            message,
        }));
    }
    let mut k = 0;
    entries.retain(|_| {
        k += 1;
        !rejected[k - 1]
    });
    (entries, diagnostics)
}

/// Entries by service, then code, found with borrowed strings: looking a draft up allocates
/// nothing. (The standard hasher stays: a hostile file must not be able to pick collisions.)
#[derive(Default)]
struct Index(HashMap<String, HashMap<String, usize>>);

impl Index {
    fn get(&self, service: &str, code: &str) -> Option<usize> {
        self.0.get(service)?.get(code).copied()
    }

    fn insert(&mut self, service: &str, code: &str, at: usize) {
        match self.0.get_mut(service) {
            Some(codes) => {
                codes.insert(code.to_owned(), at);
            }
            None => {
                self.0
                    .insert(service.to_owned(), HashMap::from([(code.to_owned(), at)]));
            }
        }
    }
}

/// The names of the fields a draft sets, other than its code.
pub fn overridden_fields(d: &Draft) -> Vec<&'static str> {
    [
        ("category", d.category.is_some()),
        ("summary", d.summary.is_some()),
        ("cause", d.cause.is_some()),
        ("remedy", d.remedy.is_some()),
        ("retry", d.retry.is_some()),
        ("http_status", d.http_status.is_some()),
        ("related", d.related.is_some()),
        ("docs", d.docs.is_some()),
        ("actions", d.actions.is_some()),
        ("aliases", d.aliases.is_some()),
        ("tags", d.tags.is_some()),
        ("deprecated", d.deprecated.is_some()),
        ("replaced_by", d.replaced_by.is_some()),
        ("retry_note", d.retry_note.is_some()),
        ("notes", d.notes.is_some()),
        ("messages", d.messages.is_some()),
        ("weight", d.weight.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

fn owned(s: &str) -> Text {
    Cow::Owned(s.to_owned())
}

fn owned_list(list: &[String]) -> Cow<'static, [Text]> {
    Cow::Owned(list.iter().map(|s| owned(s)).collect())
}

/// Turns a draft into a new entry, or names the required fields it lacks. With `base` (the
/// cross-service entry of the same code) the draft needs nothing but its code: what it does
/// not set is taken from the base.
fn complete(
    d: &Draft,
    service: &str,
    source: Source,
    base: Option<&Entry>,
) -> Result<Entry, Vec<&'static str>> {
    if let Some(base) = base {
        let mut e = base.clone();
        e.service = owned(service);
        e.source = source;
        e.overridden_by = Cow::Borrowed(&[]);
        e.weight = DEFAULT_WEIGHT;
        let sets_all = d.category.is_some()
            && d.summary.is_some()
            && d.cause.is_some()
            && d.remedy.is_some()
            && d.retry.is_some();
        e.extends = (!sets_all).then(|| owned(CROSS_SERVICE));
        set_fields(&mut e, d);
        return Ok(e);
    }
    let mut missing = Vec::new();
    if d.category.is_none() {
        missing.push("category");
    }
    if d.summary.is_none() {
        missing.push("summary");
    }
    if d.cause.is_none() {
        missing.push("cause");
    }
    if d.remedy.is_none() {
        missing.push("remedy");
    }
    if d.retry.is_none() {
        missing.push("retry");
    }
    let (Some(category), Some(_), Some(_), Some(_), Some(retry)) =
        (d.category, &d.summary, &d.cause, &d.remedy, d.retry)
    else {
        return Err(missing);
    };
    let mut e = Entry {
        service: owned(service),
        code: owned(&d.code),
        category,
        // Set from the draft below, with every other field it has.
        summary: Cow::Borrowed(""),
        cause: Cow::Borrowed(""),
        remedy: Cow::Borrowed(""),
        retry,
        http_status: None,
        related: Cow::Borrowed(&[]),
        docs: None,
        actions: Cow::Borrowed(&[]),
        aliases: Cow::Borrowed(&[]),
        tags: Cow::Borrowed(&[]),
        deprecated: None,
        replaced_by: None,
        retry_note: None,
        notes: None,
        messages: Cow::Borrowed(&[]),
        weight: DEFAULT_WEIGHT,
        extends: None,
        source,
        overridden_by: Cow::Borrowed(&[]),
    };
    set_fields(&mut e, d);
    Ok(e)
}

/// Applies the fields a draft sets to an existing entry, recording the file as an override.
fn apply_override(e: &mut Entry, d: &Draft, file: &str) {
    set_fields(e, d);
    let mut by = e.overridden_by.to_vec();
    by.push(owned(file));
    e.overridden_by = Cow::Owned(by);
}

/// Sets every field the draft sets. `notes` accumulate; all else replaces.
fn set_fields(e: &mut Entry, d: &Draft) {
    if let Some(v) = d.category {
        e.category = v;
    }
    if let Some(v) = &d.summary {
        e.summary = owned(v);
    }
    if let Some(v) = &d.cause {
        e.cause = owned(v);
    }
    if let Some(v) = &d.remedy {
        e.remedy = owned(v);
    }
    if let Some(v) = d.retry {
        e.retry = v;
    }
    if let Some(v) = d.http_status {
        e.http_status = Some(v);
    }
    if let Some((v, _)) = &d.related {
        e.related = owned_list(v);
    }
    if let Some(v) = &d.docs {
        e.docs = Some(owned(v));
    }
    if let Some(v) = &d.actions {
        e.actions = owned_list(v);
    }
    if let Some(v) = &d.aliases {
        e.aliases = owned_list(v);
    }
    if let Some(v) = &d.tags {
        e.tags = owned_list(v);
    }
    if let Some(v) = &d.deprecated {
        e.deprecated = Some(owned(v));
    }
    if let Some((v, _)) = &d.replaced_by {
        e.replaced_by = Some(owned(v));
    }
    if let Some(v) = &d.retry_note {
        e.retry_note = Some(owned(v));
    }
    if let Some(v) = &d.messages {
        e.messages = owned_list(v);
    }
    if let Some(v) = d.weight {
        e.weight = v;
    }
    if let Some(v) = &d.notes {
        e.notes = Some(match e.notes.take() {
            Some(old) => Cow::Owned(format!("{old}\n{v}")),
            None => owned(v),
        });
    }
}

/// Why a message pattern cannot be used, if it cannot. A pattern is the message's text with
/// `*` where an id, a name or a number goes; it must say enough to point at one code.
pub fn pattern_problem(p: &str) -> Option<String> {
    let literal = p
        .chars()
        .filter(|c| *c != '*' && !c.is_whitespace())
        .count();
    if p.contains('\n') || p.chars().count() > 300 {
        Some(format!(
            "message pattern {p:?} must be one line of at most 300 characters"
        ))
    } else if literal < 10 {
        Some(format!(
            "message pattern {p:?} has {literal} literal characters; at least 10 are needed \
             to tell one message from another"
        ))
    } else if p.contains("**") {
        Some(format!(
            "message pattern {p:?} has `**`; one `*` already matches any run"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"service = "ec2"

[[entry]]
code = "Alpha.NotFound"
category = "client"
summary = "Alpha is missing"
cause = "- it was deleted"
remedy = "- create it again with the alpha command"
retry = "never"
http_status = 400
related = ["Beta"]
docs = "https://docs.aws.amazon.com/alpha"

[[entry]]
code = "Beta"
category = "server"
summary = "Beta failed"
cause = "- the beta service broke"
remedy = "- wait for beta to recover, then retry the call"
retry = "transient"
"#;

    fn no_registry(_: &str, _: &str) -> bool {
        false
    }

    fn builtin_source(_: &ParsedFile) -> Source {
        Source::Builtin { file: "test.toml" }
    }

    fn errors_of(text: &str) -> Vec<String> {
        match parse_file("kb/test.toml", text) {
            Ok((file, parsed)) => {
                let (_, diags) = assemble(
                    Vec::new(),
                    &[file],
                    Layering::Strict,
                    builtin_source,
                    &no_registry,
                );
                parsed
                    .iter()
                    .chain(&diags)
                    .map(ToString::to_string)
                    .collect()
            }
            Err(diags) => diags.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_good_file_assembles_without_diagnostics() {
        assert_eq!(errors_of(GOOD), Vec::<String>::new());
        let (file, _) = parse_file("kb/test.toml", GOOD).expect("parses");
        let (entries, _) = assemble(
            Vec::new(),
            &[file],
            Layering::Strict,
            builtin_source,
            &no_registry,
        );
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].http_status, Some(400));
        assert_eq!(entries[1].retry, Retry::Transient);
    }

    /// Each mistake is reported with file, line, column and what is wrong.
    #[test]
    fn each_mistake_names_file_line_and_problem() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "unknown field",
                "retry = \"never\"\n",
                "retry = \"never\"\ncolour = \"red\"\n",
            ),
            ("missing required field", "summary = \"Beta failed\"\n", ""),
            (
                "empty",
                "cause = \"- the beta service broke\"",
                "cause = \"  \"",
            ),
            ("category", "category = \"server\"", "category = \"sever\""),
            ("retry", "retry = \"transient\"", "retry = \"sometimes\""),
            (
                "https",
                "docs = \"https://docs.aws.amazon.com/alpha\"",
                "docs = \"http://example.com\"",
            ),
            (
                "does not exist",
                "related = [\"Beta\"]",
                "related = [\"Gamma\"]",
            ),
            (
                "not a valid error code",
                "code = \"Beta\"",
                "code = \"Be ta\"",
            ),
            ("HTTP status", "http_status = 400", "http_status = 4000"),
            (
                "https",
                "docs = \"https://docs.aws.amazon.com/alpha\"",
                "docs = \"https://docs.aws.amazon.com/\\u001b]8;;x\\u0007\"",
            ),
            (
                "https",
                "docs = \"https://docs.aws.amazon.com/alpha\"",
                "docs = \"https://docs.aws.amazon.com/\\u202egnp.exe\"",
            ),
            (
                "own code",
                "related = [\"Beta\"]",
                "related = [\"Alpha.NotFound\"]",
            ),
        ];
        for (want, from, to) in cases {
            let text = GOOD.replacen(from, to, 1);
            assert_ne!(text, GOOD, "case {want}: replacement did not apply");
            let errors = errors_of(&text);
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with("kb/test.toml:") && e.contains(want)),
                "case {want}: {errors:?}"
            );
            let first = &errors[0];
            let mut parts = first.splitn(4, ':');
            let _file = parts.next();
            let line: usize = parts
                .next()
                .and_then(|l| l.parse().ok())
                .expect("a line number");
            let col: usize = parts
                .next()
                .and_then(|c| c.parse().ok())
                .expect("a column number");
            assert!(line >= 1 && col >= 1, "{first}");
        }
    }

    #[test]
    fn unknown_field_points_at_its_line() {
        let text = GOOD.replacen(
            "retry = \"never\"\n",
            "retry = \"never\"\ncolour = \"red\"\n",
            1,
        );
        let errors = errors_of(&text);
        let line = text
            .lines()
            .position(|l| l.starts_with("colour"))
            .expect("inserted")
            + 1;
        assert!(
            errors[0].starts_with(&format!("kb/test.toml:{line}:")),
            "{errors:?}"
        );
    }

    #[test]
    fn duplicate_codes_are_rejected_within_and_across_files_but_case_variants_are_not() {
        let dup = format!(
            "{GOOD}\n[[entry]]\ncode = \"Beta\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\n"
        );
        assert!(
            errors_of(&dup)
                .iter()
                .any(|e| e.contains("duplicate code \"Beta\""))
        );
        let (a, _) = parse_file("kb/a.toml", GOOD).expect("parses");
        let (b, _) = parse_file("kb/b.toml", GOOD).expect("parses");
        let (_, diags) = assemble(
            Vec::new(),
            &[a, b],
            Layering::Strict,
            builtin_source,
            &no_registry,
        );
        assert!(
            diags.iter().any(
                |d| d.file == "kb/b.toml" && d.message.contains("already defined at kb/a.toml")
            ),
            "{diags:?}"
        );
        let case = GOOD
            .replace("code = \"Beta\"", "code = \"BETA\"")
            .replace("related = [\"Beta\"]", "related = [\"BETA\"]");
        let (a, _) = parse_file("kb/a.toml", GOOD).expect("parses");
        let (c, _) = parse_file(
            "kb/c.toml",
            &case.replace("Alpha.NotFound", "ALPHA.NotFound"),
        )
        .expect("parses");
        let (entries, diags) = assemble(
            Vec::new(),
            &[a, c],
            Layering::Strict,
            builtin_source,
            &no_registry,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn overrides_replace_set_fields_and_accumulate_notes() {
        let (base, _) = parse_file("kb/base.toml", GOOD).expect("parses");
        let (entries, _) = assemble(
            Vec::new(),
            &[base],
            Layering::Strict,
            builtin_source,
            &no_registry,
        );
        let team = "service = \"ec2\"\n[[entry]]\ncode = \"Beta\"\nnotes = \"page #infra\"\nretry = \"never\"\n";
        let (t1, _) = parse_file("team1.toml", team).expect("parses");
        let (t2, _) = parse_file(
            "team2.toml",
            "service = \"ec2\"\n[[entry]]\ncode = \"Beta\"\nnotes = \"second note\"\n",
        )
        .expect("parses");
        let (out, diags) = assemble(
            entries,
            &[t1, t2],
            Layering::Override,
            |f| Source::User {
                file: Cow::Owned(f.file.clone()),
            },
            &no_registry,
        );
        let beta = out.iter().find(|e| e.code == "Beta").expect("still there");
        assert_eq!(beta.retry, Retry::Never);
        assert_eq!(beta.summary, "Beta failed");
        assert_eq!(beta.notes.as_deref(), Some("page #infra\nsecond note"));
        assert_eq!(beta.overridden_by.len(), 2);
        assert!(
            diags.iter().all(|d| d.severity == Severity::Warning),
            "{diags:?}"
        );
        assert!(
            diags.iter().any(|d| d
                .message
                .contains("overrides the built-in entry \"Beta\" (retry, notes)")),
            "{diags:?}"
        );
    }

    #[test]
    fn a_new_user_entry_missing_fields_is_dropped_and_the_rest_loads() {
        let text = "service = \"team\"\n[[entry]]\ncode = \"Half\"\nsummary = \"half an entry\"\n\n[[entry]]\ncode = \"Whole\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\n";
        let (f, _) = parse_file("team.toml", text).expect("parses");
        let (out, diags) = assemble(
            Vec::new(),
            &[f],
            Layering::Override,
            |f| Source::User {
                file: Cow::Owned(f.file.clone()),
            },
            &no_registry,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].service, "team");
        assert!(diags[0].to_string().starts_with("team.toml:3:8: error: entry \"Half\" is missing required fields category, cause, remedy, retry"), "{diags:?}");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let errors = errors_of("service = \"ec2\"\n[[entry]\ncode = 1\n");
        assert!(errors[0].starts_with("kb/test.toml:2:"), "{errors:?}");
    }

    /// Where a byte offset is, counted the slow and obvious way.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    /// Issue: parsing a team file was quadratic, because every entry's position was counted
    /// from the start of its line. On a file of one long line, locating N entries (and the
    /// fields they have problems with, out of file order) must walk a bounded multiple of the
    /// file, not N times the line.
    #[test]
    fn locating_every_entry_of_one_long_line_is_linear() {
        let n = 2000;
        // `weight` is checked after `category` but written before it: every entry sends the
        // cursor back and forth.
        let entries: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "{{code = \"T{i}\", summary = \"édition {i}\", weight = 9, category = \"sever\"}}"
                )
            })
            .collect();
        let text = format!("service = \"team\"\nentry = [{}]\n", entries.join(", "));
        let lines = Lines::new(&text, 1);
        let diags = match parse_with("team.toml", &text, &lines) {
            Ok((parsed, diags)) => {
                assert!(parsed.drafts.is_empty());
                diags
            }
            Err(diags) => diags,
        };
        assert_eq!(
            diags.len(),
            2 * n,
            "a weight and a category error per entry"
        );
        assert!(
            lines.walked() <= 3 * text.len(),
            "walked {} bytes to locate in a file of {}",
            lines.walked(),
            text.len()
        );
        // And the positions are still exact.
        for (what, written) in [("category", "\"sever\""), ("weight", "9, category")] {
            let last = diags
                .iter()
                .rfind(|d| d.message.starts_with(what))
                .expect("reported");
            let at = text.rfind(written).expect("written above");
            assert_eq!((last.line, last.column), naive(&text, at), "{what}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// The cursor gives the same line and column as counting from the start, in any order
        /// of offsets, on any text (offsets inside a character count as that character).
        #[test]
        fn locate_agrees_with_counting(
            text in "(\\PC|\n|é|✓){0,80}",
            offsets in proptest::collection::vec(0usize..400, 0..20),
        ) {
            let lines = Lines::new(&text, 1);
            for o in offsets {
                let mut o = o.min(text.len());
                while !text.is_char_boundary(o) {
                    o -= 1;
                }
                let at = lines.locate(o);
                proptest::prop_assert_eq!((at.line, at.column), naive(&text, o));
            }
        }

        /// Any text, TOML-shaped or not, parses or fails with diagnostics that point inside
        /// the file: never a panic, never a position past the end.
        #[test]
        fn any_text_parses_or_fails_with_positions(
            text in "(service = \"team\"\n|\\[\\[entry\\]\\]\n|code = \"A\"\n|category = \"client\"\n|retry = \"x\"\n|\\{|\\}|\\[|\\]|=|\"|,|\n|\\PC){0,40}",
        ) {
            let lines = text.matches('\n').count() + 1;
            let diags = match parse_file("t.toml", &text) {
                Ok((_, diags)) | Err(diags) => diags,
            };
            for d in &diags {
                proptest::prop_assert!(d.line >= 1 && d.line <= lines, "{d}");
                proptest::prop_assert!(d.column >= 1, "{d}");
                let prefix = format!("t.toml:{}:{}: ", d.line, d.column);
                proptest::prop_assert!(d.to_string().starts_with(&prefix), "{}", d);
            }
        }

        /// Arbitrary bytes, made text the way a loader would, never panic the parser.
        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_file("t.toml", &text);
        }
    }
}
