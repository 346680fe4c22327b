//! The validated domain types of the catalog: an [`Entry`] and its closed sets.
//!
//! This file is compiled twice: into the library, and into `build.rs`, which parses `kb/` at
//! build time and writes the built-in entries out as a static table of these very types. It
//! must therefore depend on nothing but `std` and `serde`, and every field must be constructible
//! in a `static` (hence `Cow<'static, _>` rather than `String` and `Vec`).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// Text that is either borrowed from the binary (built-in entries) or owned (user files).
pub type Text = Cow<'static, str>;

/// A list of texts, borrowed or owned like [`Text`].
pub type TextList = Cow<'static, [Text]>;

/// The weight of an entry that does not say how often its code is met.
pub const DEFAULT_WEIGHT: u8 = 2;

/// Who is at fault for an error, as AWS classifies the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The request was wrong or not allowed (HTTP 4xx).
    Client,
    /// AWS failed to serve a valid request (HTTP 5xx).
    Server,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 2] = [Category::Client, Category::Server];

    /// The spelling used in TOML, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Client => "client",
            Category::Server => "server",
        }
    }

    /// Parses the TOML spelling.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether and how retrying the same request can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Retry {
    /// Retrying fails the same way: fix the request.
    #[serde(rename = "never")]
    Never,
    /// Throttling: retry with exponential backoff and jitter.
    #[serde(rename = "backoff")]
    Backoff,
    /// A server-side fault: retry (the SDKs already do).
    #[serde(rename = "transient")]
    Transient,
    /// Eventual consistency: wait and retry for a bounded time, then treat it as real.
    #[serde(rename = "propagation")]
    Propagation,
    /// No capacity right now: retry later, or change zone or instance type.
    #[serde(rename = "capacity")]
    Capacity,
    /// Retry once a condition is fixed: clock, credentials, a dependency, a state.
    #[serde(rename = "after-fix")]
    AfterFix,
}

impl Retry {
    /// Every retry class, in the order a person would consider them.
    pub const ALL: [Retry; 6] = [
        Retry::Never,
        Retry::Backoff,
        Retry::Transient,
        Retry::Propagation,
        Retry::Capacity,
        Retry::AfterFix,
    ];

    /// The spelling used in TOML, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Retry::Never => "never",
            Retry::Backoff => "backoff",
            Retry::Transient => "transient",
            Retry::Propagation => "propagation",
            Retry::Capacity => "capacity",
            Retry::AfterFix => "after-fix",
        }
    }

    /// Parses the TOML spelling.
    pub fn parse(s: &str) -> Option<Retry> {
        Retry::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// A short label for badges and lists.
    pub fn label(self) -> &'static str {
        match self {
            Retry::Never => "don't retry",
            Retry::Backoff => "retry with backoff",
            Retry::Transient => "retry",
            Retry::Propagation => "wait, then retry",
            Retry::Capacity => "retry later or elsewhere",
            Retry::AfterFix => "retry after fixing",
        }
    }

    /// The advice in words, shared by every front end.
    pub fn advice(self) -> &'static str {
        match self {
            Retry::Never => {
                "Retrying the same request fails the same way. Fix the request, then send it again."
            }
            Retry::Backoff => {
                "Throttled. Retry with exponential backoff and jitter (the SDKs do, within their \
                 attempt limit), and reduce the request rate."
            }
            Retry::Transient => {
                "A fault on AWS's side. Retry; the SDKs already retry it a few times with backoff."
            }
            Retry::Propagation => {
                "Often eventual consistency right after a create or change. Retry with backoff \
                 for a few minutes; if it persists, the error is real."
            }
            Retry::Capacity => {
                "AWS lacks capacity for this right now. Retry later, or ask for a different \
                 Availability Zone, instance type or size."
            }
            Retry::AfterFix => {
                "Retrying helps only after the condition is fixed (the clock, the credentials, a \
                 dependency, or the resource's state)."
            }
        }
    }
}

impl fmt::Display for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an entry's text came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// Compiled into the binary from `kb/` (the path is relative to `kb/`).
    Builtin {
        /// The kb file, relative to `kb/`.
        file: &'static str,
    },
    /// Loaded from a user catalog at run time.
    User {
        /// The file's path as given.
        file: Text,
    },
}

/// One error code and everything errex knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The service the code belongs to (`ec2`); codes are unique per service.
    pub service: Text,
    /// The code exactly as the API returns it.
    pub code: Text,
    /// Who is at fault.
    pub category: Category,
    /// One line a person understands without knowing the code.
    pub summary: Text,
    /// The situations that produce the code, most common first; lines starting `- ` are bullets.
    pub cause: Text,
    /// The concrete steps that fix it; lines starting `- ` are bullets.
    pub remedy: Text,
    /// Whether and how retrying helps.
    pub retry: Retry,
    /// The HTTP status returned with the code, when known.
    pub http_status: Option<u16>,
    /// Codes confused with this one or met next.
    pub related: TextList,
    /// A link to the documentation.
    pub docs: Option<Text>,
    /// API actions known to return the code.
    pub actions: TextList,
    /// Other names people search by.
    pub aliases: TextList,
    /// Lower-case topics for search.
    pub tags: TextList,
    /// Why the code is no longer returned, when it is not.
    pub deprecated: Option<Text>,
    /// The code returned instead, when there is one.
    pub replaced_by: Option<Text>,
    /// Why `retry` differs from what the SDKs do, when it does.
    pub retry_note: Option<Text>,
    /// Team notes from user catalogs, shown under the remedy.
    pub notes: Option<Text>,
    /// Messages AWS returns with the code, as patterns (`*` stands for an id, a name, a number):
    /// they recognise pasted messages and errors that print no code.
    pub messages: TextList,
    /// How often people meet the code, 1 (rare) to 5 (met daily by many); breaks search ties.
    pub weight: u8,
    /// The cross-service entry (service `aws`) this one took the fields it does not set from.
    pub extends: Option<Text>,
    /// Where the entry was defined.
    pub source: Source,
    /// User files that changed fields of this entry, in the order they were applied.
    pub overridden_by: TextList,
}

impl Entry {
    /// Where the entry came from, in words, when it is not plainly the built-in catalog, so no
    /// one mistakes a team's note for AWS's meaning.
    pub fn provenance(&self) -> Option<String> {
        let changed = || self.overridden_by.join(", ");
        match (&self.source, self.overridden_by.is_empty()) {
            (Source::Builtin { .. }, true) => None,
            (Source::Builtin { .. }, false) => Some(format!("built-in, changed by {}", changed())),
            (Source::User { file }, true) => Some(format!("team catalog {file}")),
            (Source::User { file }, false) => {
                Some(format!("team catalog {file}, changed by {}", changed()))
            }
        }
    }
}
