//! The command line, as clap types only, plus what only clap can make: the completion scripts
//! and the man page. `main.rs` turns the parsed arguments into a command.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Explains AWS API error codes, offline: every AWS service's codes, the common ones explained.
///
/// With no arguments on a terminal, opens the interactive browser. With codes, explains them
/// (`errex AccessDenied`, `errex s3:AccessDenied`). With text on standard input
/// (`terraform apply 2>&1 | errex`), finds every error code in it and explains each one with
/// the context around it.
#[derive(Debug, Parser)]
#[command(name = "errex", version)]
#[command(
    after_help = "Exit status: 0 something was explained or found, 1 nothing was, 2 usage, input or \
                  configuration error; `errex run` exits with the command's status."
)]
pub struct Cli {
    /// Error codes to explain (case-insensitive; `service:Code` picks one service; a `Client.`
    /// or `Server.` prefix, quotes and punctuation around a code are ignored).
    #[arg(value_name = "CODE")]
    pub codes: Vec<String>,

    /// What to do instead of explaining codes.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
}

/// Options accepted before or after any command.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text, global = true)]
    pub format: FormatArg,

    /// When to use colour: auto means only when stdout is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    pub color: ColorArg,

    /// Wrap text at this many columns (default: the terminal's width up to 100, else COLUMNS, else 80).
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,

    /// Also load this knowledge-base file or directory of *.toml (repeatable; later wins).
    #[arg(long = "kb", value_name = "PATH", global = true)]
    pub kb: Vec<PathBuf>,

    /// Ignore ERREX_KB_PATH and the config directory's kb/ (--kb still applies).
    #[arg(long, global = true)]
    pub no_user_kb: bool,

    /// Only this service's codes (an id such as s3 or elbv2, or a name such as "Auto Scaling");
    /// for piped text, the service of each code whose service the text does not say.
    #[arg(long, value_name = "SERVICE", global = true)]
    pub service: Option<String>,

    /// For piped text: print every code's whole entry instead of the digest and first steps.
    #[arg(long, global = true)]
    pub full: bool,

    /// Never send long output through a pager (the pager is used only on a terminal).
    #[arg(long, global = true)]
    pub no_pager: bool,

    /// Open the terminal UI, with the codes found in piped standard input listed first.
    #[arg(long, global = true)]
    pub tui: bool,

    /// Open the terminal UI and print the code chosen with Enter (status 1 if none is chosen).
    #[arg(long, global = true)]
    pub pick: bool,

    /// Copy standard input to standard output as it arrives, and explain each code briefly under
    /// the line where it first appears (works with `tail -f`).
    #[arg(long, global = true)]
    pub tee: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank codes against a query: exact code, then code words, messages, summaries, synonyms.
    Search {
        /// Words, a code, a message or a whole log line.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Show at most this many matches.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
    },
    /// List codes, sorted by code: written entries and the registry's.
    List {
        /// Only entries of this category.
        #[arg(long, value_enum)]
        category: Option<CategoryArg>,
        /// Only entries with this retry class.
        #[arg(long, value_enum)]
        retry: Option<RetryArg>,
        /// Only written entries, only services explained by a cross-service entry, or only codes
        /// the registry alone knows.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// Find and explain every error code in files (`-` reads standard input).
    Explain {
        /// Files to read; none, or `-`, means standard input.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Run a command, pass its output through, explain its AWS errors, exit with its status.
    Run {
        /// The command and its arguments (put `--` before them).
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<String>,
    },
    /// Work with knowledge-base files.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Print a shell completion script (codes and `service:` prefixes included).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the man page (roff).
    Man,
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
        /// The code to write an entry for (`service:Code` to pick a service).
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
    /// GitHub Actions annotations (`::error ...`), for CI logs.
    Github,
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

/// `--kind`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Written entries: a service's own, and the cross-service (`aws`) ones.
    Written,
    /// A service's code with no entry of its own, explained by the cross-service entry.
    CrossService,
    /// Codes only the registry knows (service, status, fault, the SDKs' retry verdict).
    Registry,
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

/// `completions SHELL`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// Elvish.
    Elvish,
    /// PowerShell.
    Powershell,
}

/// Parses the arguments, with `--version` saying which catalog is built in.
pub fn parse(long_version: &str) -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os(), long_version)
}

/// Parses `args` (the program name first). Codes given beside a subcommand are a usage error:
/// `errex AccessDenied list` would otherwise run `list` and drop the code without a word.
pub fn parse_from(
    args: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
    long_version: &str,
) -> Result<Cli, clap::Error> {
    let long_version: &'static str = Box::leak(long_version.to_owned().into_boxed_str());
    let mut cmd = Cli::command()
        .long_version(long_version)
        .version(long_version);
    let mut matches = cmd.try_get_matches_from_mut(args)?;
    let mut cli = Cli::from_arg_matches_mut(&mut matches)?;
    // A subcommand after codes is read as one more code (clap lets a subcommand's name win only
    // where no value is expected, so `--kb kb list` keeps its path): find it among the codes.
    let commands: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    let beside = cli
        .codes
        .iter()
        .position(|c| commands.contains(&c.as_str()));
    let subcommand = match beside {
        Some(at) => Some(cli.codes.split_off(at).swap_remove(0)),
        None => matches.subcommand_name().map(str::to_owned),
    };
    if let (Some(code), Some(name)) = (cli.codes.first(), subcommand) {
        let code = errex::render::sanitize(code);
        return Err(cmd.error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "the code '{code}' cannot be given to `errex {name}`; look codes up on their own: `errex {code}`"
            ),
        ));
    }
    Ok(cli)
}

/// Writes the completion script for `shell`; `codes` (every code, and each service as
/// `service:`) complete the CODE argument.
pub fn completions(shell: ShellArg, codes: Vec<String>, out: &mut dyn Write) -> io::Result<()> {
    use clap_complete::Shell;
    let words = codes.clone();
    let values: Vec<clap::builder::PossibleValue> = codes
        .into_iter()
        .map(|c| clap::builder::PossibleValue::new(Box::leak(c.into_boxed_str()) as &'static str))
        .collect();
    // Only for the script: the real parser accepts any code.
    let mut cmd = Cli::command().mut_arg("codes", |a| {
        a.value_parser(clap::builder::PossibleValuesParser::new(values))
            .hide_possible_values(true)
    });
    let generator = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Elvish => Shell::Elvish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut cmd, "errex", &mut script);
    let script = String::from_utf8(script).map_err(io::Error::other)?;
    // `generate` has built the command, so its `help` subcommand is listed too.
    let subcommands: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    out.write_all(with_codes(shell, &script, &words, &subcommands).as_bytes())
}

/// clap's bash script offers a positional argument's values; its fish, elvish and PowerShell
/// scripts do not, so the codes are added to those: where no subcommand was typed (fish), or in
/// the top-level branch of the script (elvish, PowerShell); zsh's offers them, but not beside
/// the subcommands (see below).
fn with_codes(shell: ShellArg, script: &str, codes: &[String], subcommands: &[&str]) -> String {
    match shell {
        ShellArg::Bash => script.to_owned(),
        ShellArg::Zsh => {
            // clap puts the codes at the first position and the subcommands at the second, so
            // zsh offered only codes first, then commands after a code. Both go first instead:
            // the codes join the subcommands' list.
            let without: String = script
                .split_inclusive('\n')
                .filter(|line| !line.starts_with("'::codes -- "))
                .collect();
            // Its top level read the subcommand as the second word (`$line[2]`), after the
            // codes; it is the first now. Nested levels already use `$line[1]`.
            let without = without.replacen("$line[2]", "$line[1]", 3);
            let words: String = codes
                .iter()
                .map(|c| {
                    let c = c
                        .replace('\\', "\\\\")
                        .replace(':', "\\:")
                        .replace('\'', "'\\''");
                    format!("'{c}:error code' \\\n")
                })
                .collect();
            insert_after(&without, "    local commands; commands=(\n", &words)
        }
        ShellArg::Fish => {
            let words: Vec<String> = codes.iter().map(|c| fish_word(c)).collect();
            format!(
                "{script}complete -c errex -n \"not __fish_seen_subcommand_from {}\" -f -a '{}'\n",
                subcommands.join(" "),
                words.join(" ")
            )
        }
        ShellArg::Elvish => {
            let words: Vec<String> = codes.iter().map(|c| quoted(c)).collect();
            let line = format!("            put {}\n", words.join(" "));
            insert_after(script, "        &'errex'= {\n", &line)
        }
        ShellArg::Powershell => {
            let words: Vec<String> = codes.iter().map(|c| quoted(c)).collect();
            let line = format!(
                "            foreach ($code in @({})) {{ [CompletionResult]::new($code, $code, [CompletionResultType]::ParameterValue, $code) }}\n",
                words.join(", ")
            );
            insert_after(script, "        'errex' {\n", &line)
        }
    }
}

/// `script` with `line` after the first `anchor`; unchanged if clap's script has no such line
/// (a unit test notices).
fn insert_after(script: &str, anchor: &str, line: &str) -> String {
    match script.find(anchor) {
        Some(at) => {
            let end = at + anchor.len();
            format!("{}{line}{}", &script[..end], &script[end..])
        }
        None => script.to_owned(),
    }
}

/// A word inside fish's single-quoted `-a` list, which fish splits and expands again: every
/// character that is not plainly part of a word is backslash-escaped for that second reading.
fn fish_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '_' | '/') {
            out.push(c);
            continue;
        }
        // `\\` is one backslash inside single quotes; `'` and `\` need their own backslash.
        out.push_str("\\\\");
        if matches!(c, '\'' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A single-quoted string for elvish and PowerShell, which both double an inner `'`.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', "''"))
}

/// Writes the man page.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_beside_a_subcommand_is_a_usage_error() {
        let e = parse_from(["errex", "AccessDenied", "list"], "v").expect_err("a conflict");
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert!(e.to_string().contains("AccessDenied"), "{e}");
        let cli = parse_from(["errex", "--format", "json", "list"], "v").expect("parses");
        assert!(cli.codes.is_empty() && matches!(cli.command, Some(Command::List { .. })));
        let cli = parse_from(["errex", "kb", "paths", "--kb", "team"], "v").expect("parses");
        assert_eq!(cli.global.kb, [PathBuf::from("team")]);
    }

    #[test]
    fn an_option_value_named_like_a_subcommand_stays_a_value() {
        let cli = parse_from(["errex", "--kb", "kb", "list"], "v").expect("parses");
        assert_eq!(cli.global.kb, [PathBuf::from("kb")]);
        assert!(matches!(cli.command, Some(Command::List { .. })));
        let cli = parse_from(["errex", "--kb", "kb", "kb", "paths"], "v").expect("parses");
        assert_eq!(cli.global.kb, [PathBuf::from("kb")]);
        assert!(matches!(cli.command, Some(Command::Kb(_))));
        let e = parse_from(["errex", "A", "B", "search", "x"], "v").expect_err("a conflict");
        assert!(e.to_string().contains("`errex search`"), "{e}");
    }

    #[test]
    fn zsh_offers_codes_beside_the_subcommands() {
        let codes = vec!["InvalidVpcID.NotFound".to_owned(), "s3:".to_owned()];
        let mut out = Vec::new();
        completions(ShellArg::Zsh, codes, &mut out).expect("written");
        let script = String::from_utf8(out).expect("utf-8");
        assert!(
            !script.contains("'::codes -- "),
            "codes are not a position of their own"
        );
        let list = script
            .split("    local commands; commands=(\n")
            .nth(1)
            .expect("the subcommands' list");
        assert!(
            list.starts_with("'InvalidVpcID.NotFound:error code' \\\n's3\\::error code' \\\n"),
            "{}",
            &list[..200.min(list.len())]
        );
        // The top level reads the subcommand as the first word now.
        assert!(!script.contains("$line[2]"), "{script}");
        assert!(script.contains("case $line[1] in"));
    }

    #[test]
    fn every_shell_script_offers_the_codes() {
        let codes = || vec!["InvalidVpcID.NotFound".to_owned(), "s3:".to_owned()];
        for shell in ShellArg::value_variants() {
            let mut out = Vec::new();
            completions(*shell, codes(), &mut out).expect("written");
            let script = String::from_utf8(out).expect("utf-8");
            // For elvish and PowerShell this also says clap's script still has the line the
            // codes are inserted after.
            assert!(script.contains("InvalidVpcID.NotFound"), "{shell:?}");
        }
    }

    #[test]
    fn words_are_quoted_for_each_shell() {
        assert_eq!(fish_word("s3:No.Such-Key_1"), "s3:No.Such-Key_1");
        assert_eq!(fish_word("a$b"), "a\\\\$b");
        assert_eq!(fish_word("it's"), "it\\\\\\'s");
        assert_eq!(quoted("it's"), "'it''s'");
    }
}
