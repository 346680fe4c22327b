//! The command line, as clap types only. `main.rs` turns these into actions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Explains AWS API error codes, offline: the whole Amazon EC2 catalog built in.
///
/// With no arguments on a terminal, opens the interactive browser. With codes, explains them.
/// With text on standard input (`terraform apply 2>&1 | errex`), finds every error code in it
/// and explains each one with the context around it.
#[derive(Debug, Parser)]
#[command(name = "errex", version, about, long_about = None, args_conflicts_with_subcommands = true)]
#[command(
    after_help = "Exit status: 0 something was explained or found, 1 nothing was, 2 usage, input or \
                         configuration error."
)]
pub struct Cli {
    /// Error codes to explain (case-insensitive; a `Client.` or `Server.` prefix is accepted).
    #[arg(value_name = "CODE")]
    pub codes: Vec<String>,

    /// What to do instead of explaining codes.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
}

/// Options accepted by every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text, global = true)]
    pub format: FormatArg,

    /// When to use colour: auto means only when stdout is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    pub color: ColorArg,

    /// Also load this knowledge-base file or directory of *.toml (repeatable; later wins).
    #[arg(long = "kb", value_name = "PATH", global = true)]
    pub kb: Vec<PathBuf>,

    /// Ignore ERREX_KB_PATH and the config directory's kb/ (--kb still applies).
    #[arg(long, global = true)]
    pub no_user_kb: bool,

    /// Open the terminal UI, with the codes found in piped standard input listed first.
    #[arg(long)]
    pub tui: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank catalog entries against a query: exact code, then code prefix, then fuzzy matches.
    Search {
        /// Words to search for in codes, summaries, aliases and tags.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Show at most this many matches.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
    },
    /// List catalog entries, sorted by code.
    List {
        /// Only entries of this category.
        #[arg(long, value_enum)]
        category: Option<CategoryArg>,
        /// Only entries with this retry class.
        #[arg(long, value_enum)]
        retry: Option<RetryArg>,
    },
    /// Find and explain every error code in files (`-` reads standard input).
    Explain {
        /// Files to read; none, or `-`, means standard input.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Work with knowledge-base files.
    #[command(subcommand)]
    Kb(KbCommand),
}

/// `errex kb ...`
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate knowledge-base files or directories like code: exit 0 clean, 1 on errors.
    Check {
        /// Files or directories of *.toml to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Treat warnings (such as overrides of built-in entries) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Print every place searched for user catalogs, in order, and the files loaded from each.
    Paths,
    /// Print a ready-to-edit entry; for an existing code, prefilled for a team override.
    Template {
        /// The code to write an entry for.
        code: Option<String>,
    },
}

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Wrapped text for people.
    Text,
    /// JSON for scripts.
    Json,
    /// Markdown for tickets and chat.
    Markdown,
}

/// `--color`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--category`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CategoryArg {
    /// Client errors (4xx).
    Client,
    /// Server errors (5xx).
    Server,
}

/// `--retry`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryArg {
    /// Fix the request.
    Never,
    /// Throttling.
    Backoff,
    /// Server fault.
    Transient,
    /// Eventual consistency.
    Propagation,
    /// Capacity.
    Capacity,
    /// After fixing a condition.
    AfterFix,
}
