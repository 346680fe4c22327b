//! The errex binary: parse arguments, read the environment, load the catalog, choose the
//! command, and map its outcome to an exit status. The only place that touches stdin, stdout,
//! the environment, the pager and exit codes; every command lives in `errex::commands`.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};

use anyhow::{Result, bail};

use errex::catalog::{Catalog, Category, Diagnostic, Kind, Retry, Severity, registry, user};
use errex::commands::explain::Input;
use errex::commands::kb::Builtin;
use errex::commands::{self, Context, Outcome, explain, list, lookup, run, search};
use errex::extract::Report;
use errex::render::{Format, Style, sanitize};
use errex::tui;

mod cli;

use cli::{CategoryArg, Cli, ColorArg, Command, FormatArg, KbCommand, KindArg, RetryArg};

fn main() -> ExitCode {
    // Counting the catalog for `--version` costs more than a lookup; only `--version` needs it.
    let asks_version = std::env::args_os().any(|a| a == "--version" || a == "-V");
    let version = if asks_version {
        version_text()
    } else {
        env!("CARGO_PKG_VERSION").to_owned()
    };
    let cli = match cli::parse(&version) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match try_main(cli) {
        Ok(outcome) => ExitCode::from(outcome.status()),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("errex: {}", sanitize(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// `errex --version`: the version, and which catalog is built in.
fn version_text() -> String {
    let b = Builtin::of(&Catalog::builtin());
    format!(
        "{}\ncatalog: {} written entries in {} services ({} kb files); registry: {} codes in {} \
         services ({} from the SDK models of botocore {}, {} kept by hand)",
        env!("CARGO_PKG_VERSION"),
        b.written,
        b.written_services,
        b.files,
        b.registry_codes,
        b.services,
        b.from_models,
        b.botocore,
        b.kept_by_hand
    )
}

/// `errex list | head` closes the pipe early; that is success, not an error, in every format.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// What the environment says about output.
struct Terminal {
    stdout_tty: bool,
    stdin_tty: bool,
    /// The terminal's size, when stdout is one.
    size: Option<(usize, usize)>,
}

fn try_main(cli: Cli) -> Result<Outcome> {
    let g = &cli.global;
    let stdout_tty = io::stdout().is_terminal();
    let term = Terminal {
        stdout_tty,
        stdin_tty: io::stdin().is_terminal(),
        // Only asked of a terminal: without one, crossterm runs `tput` to guess, a process
        // spawned on every piped run.
        size: stdout_tty.then(tui::terminal_size).flatten(),
    };
    let format = match g.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Github => Format::Github,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // The UI draws on the terminal whatever stdout is (`--pick`), so only the flag and
    // NO_COLOR decide its colour.
    let ui_no_color = match g.color {
        ColorArg::Always => false,
        ColorArg::Never => true,
        ColorArg::Auto => no_color,
    };
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20);
    let width = g
        .width
        .map(usize::from)
        .or(term
            .size
            .filter(|_| term.stdout_tty)
            .map(|(w, _)| w.min(100)))
        .or(columns)
        .unwrap_or(80)
        .max(20);
    let style = Style {
        color: match g.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => term.stdout_tty && !no_color,
        },
        width,
        cut: term.stdout_tty,
        full: g.full,
    };
    let places = user_places(g.kb.as_slice(), g.no_user_kb);

    // Commands that need no catalog of their own.
    match &cli.command {
        Some(Command::Kb(KbCommand::Check { paths, strict })) => {
            let catalog = Catalog::builtin();
            let ctx = context(&catalog, format, style, None);
            return Ok(commands::kb::check(
                &ctx,
                paths,
                *strict,
                &mut io::stdout().lock(),
            )?);
        }
        Some(Command::Completions { shell }) => {
            cli::completions(*shell, completion_words(), &mut io::stdout().lock())?;
            return Ok(Outcome::Found);
        }
        Some(Command::Man) => {
            cli::man(&mut io::stdout().lock())?;
            return Ok(Outcome::Found);
        }
        _ => {}
    }

    // Kept until the process ends: freeing a large team catalog entry by entry cost an eighth of
    // loading it (100,000 entries), and the process is about to exit anyway.
    let catalog: &'static Catalog = Box::leak(Box::new(load_catalog(&places, false)?));
    let service = match &g.service {
        Some(s) => match catalog.service_id(s) {
            Some(id) => Some(id.to_owned()),
            None => {
                eprintln!(
                    "errex: --service {}: no such service; use an id from `errex list --format json` (s3, ec2, dynamodb, elbv2 ...)",
                    sanitize(s)
                );
                return Ok(Outcome::Failed);
            }
        },
        None => None,
    };
    let ctx = context(catalog, format, style, service);
    let pager = Pager::choose(&term, g.no_pager, format);

    match &cli.command {
        Some(Command::Kb(KbCommand::Paths)) => Ok(commands::kb::paths(
            &ctx,
            &places,
            &mut io::stdout().lock(),
        )?),
        Some(Command::Kb(KbCommand::Template { code })) => Ok(commands::kb::template(
            &ctx,
            code.as_deref(),
            &mut io::stdout().lock(),
        )?),
        Some(Command::Kb(KbCommand::Check { .. }) | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled before the catalog is loaded")
        }
        Some(Command::Search { query, limit }) => {
            pager.output(|out| search::run(&ctx, query, *limit, out))
        }
        Some(Command::List {
            category,
            retry,
            kind,
        }) => {
            let filter = list::Filter {
                category: category.map(|c| match c {
                    CategoryArg::Client => Category::Client,
                    CategoryArg::Server => Category::Server,
                }),
                retry: retry.map(retry_class),
                kind: kind.map(|k| match k {
                    KindArg::Written => Kind::Written,
                    KindArg::CrossService => Kind::CrossService,
                    KindArg::Registry => Kind::Registry,
                }),
            };
            pager.output(|out| list::run(&ctx, filter, out))
        }
        Some(Command::Explain { files }) => {
            let inputs = open_inputs(files)?;
            pager.output(|out| explain::run(&ctx, inputs, out, &mut io::stderr()))
        }
        Some(Command::Run { command }) => Ok(run::run(
            &ctx,
            command,
            &mut io::stdout(),
            &mut io::stderr(),
            &mut io::stderr(),
        )?),
        None if g.tui || g.pick => {
            if !cli.codes.is_empty() {
                bail!("--tui and --pick take no codes; type them into the search box instead");
            }
            let report = if term.stdin_tty {
                Report::default()
            } else {
                explain::scan(&errex::extract::Extractor::new(catalog), open_inputs(&[])?)?
            };
            ui(catalog, &report, ui_no_color, g.pick, &ctx, &places)
        }
        None if g.tee => Ok(explain::tee(
            &ctx,
            io::stdin().lock(),
            Some(&stdin_has_more),
            &mut io::stdout().lock(),
        )?),
        None if !cli.codes.is_empty() => {
            pager.output(|out| lookup::run(&ctx, &cli.codes, out, &mut io::stderr()))
        }
        None if !term.stdin_tty => {
            let inputs = open_inputs(&[])?;
            pager.output(|out| explain::run(&ctx, inputs, out, &mut io::stderr()))
        }
        None if term.stdout_tty => ui(
            catalog,
            &Report::default(),
            ui_no_color,
            false,
            &ctx,
            &places,
        ),
        None => {
            eprintln!(
                "errex: nothing to explain: give error codes (errex AccessDenied), pipe text in, or run it on a \
                 terminal for the browser; see errex --help"
            );
            Ok(Outcome::Failed)
        }
    }
}

fn context(
    catalog: &Catalog,
    format: Format,
    style: Style,
    service: Option<String>,
) -> Context<'_> {
    Context {
        catalog,
        format,
        style,
        service,
    }
}

/// Runs the terminal UI; with `pick`, prints the chosen code.
fn ui(
    catalog: &Catalog,
    report: &Report,
    no_color: bool,
    pick: bool,
    ctx: &Context<'_>,
    places: &[user::Place],
) -> Result<Outcome> {
    if !tui::available(pick) {
        eprintln!(
            "errex: the terminal UI needs a terminal (none is attached); use `errex explain`, `errex search` or --format json instead"
        );
        return Ok(Outcome::Failed);
    }
    let options = tui::Options {
        color: !no_color,
        panic_for_test: std::env::var_os("ERREX_TEST_PANIC").is_some(),
        editor: std::env::var_os("VISUAL")
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var_os("EDITOR").filter(|v| !v.is_empty())),
        team_dir: config_dir().map(|d| d.join("errex").join("kb")),
        pick,
        service: ctx.service.clone(),
        reload: Some({
            let places = places.to_vec();
            Box::new(move || load_catalog(&places, true).unwrap_or_else(|_| Catalog::builtin()))
        }),
    };
    let end = tui::run(catalog, report, options)?;
    Ok(match end {
        tui::End::Quit => Outcome::Found,
        tui::End::Interrupted => Outcome::Exit(130),
        tui::End::Picked(code) => {
            println!("{}", sanitize(&code));
            Outcome::Found
        }
        tui::End::Cancelled if pick => Outcome::Nothing,
        tui::End::Cancelled => Outcome::Found,
    })
}

/// Standard input (none given, or `-`) and files, each opened with a message naming it.
fn open_inputs(files: &[PathBuf]) -> Result<Vec<Input<'static>>> {
    if files.is_empty() {
        return Ok(vec![Input {
            name: None,
            reader: Box::new(io::stdin()),
        }]);
    }
    files
        .iter()
        .map(|f| {
            if f.as_os_str() == "-" {
                return Ok(Input {
                    name: None,
                    reader: Box::new(io::stdin()) as Box<dyn Read>,
                });
            }
            let file =
                File::open(f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
            Ok(Input {
                name: Some(f.display().to_string()),
                reader: Box::new(file) as Box<dyn Read>,
            })
        })
        .collect()
}

/// Every word the CODE argument completes to: each code, and each service as `service:`.
fn completion_words() -> Vec<String> {
    let catalog = Catalog::builtin();
    let mut words: Vec<String> = catalog
        .entries()
        .iter()
        .map(|e| e.code.to_string())
        .chain(registry::codes().iter().map(|c| c.code.to_owned()))
        .chain(registry::services().iter().map(|s| format!("{}:", s.id)))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn retry_class(r: RetryArg) -> Retry {
    match r {
        RetryArg::Never => Retry::Never,
        RetryArg::Backoff => Retry::Backoff,
        RetryArg::Transient => Retry::Transient,
        RetryArg::Propagation => Retry::Propagation,
        RetryArg::Capacity => Retry::Capacity,
        RetryArg::AfterFix => Retry::AfterFix,
    }
}

/// The user's config directory, by the platform's convention.
fn config_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x));
    }
    if cfg!(windows) {
        return std::env::var_os("APPDATA").map(PathBuf::from);
    }
    let home = PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?);
    Some(if cfg!(target_os = "macos") {
        home.join("Library").join("Application Support")
    } else {
        home.join(".config")
    })
}

fn user_places(flags: &[PathBuf], no_user_kb: bool) -> Vec<user::Place> {
    let env: Vec<PathBuf> = std::env::var_os("ERREX_KB_PATH")
        .map(|v: OsString| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    user::places(config_dir(), env, flags, no_user_kb)
}

/// The built-in catalog with every readable user file layered over it. A broken user file costs
/// one warning line on stderr (none when `quiet`, inside the UI); the rest still loads. A missing
/// `--kb` path is a usage error.
fn load_catalog(places: &[user::Place], quiet: bool) -> Result<Catalog> {
    let mut parsed = Vec::new();
    for place in places {
        let (files, problems) =
            match user::files_at(&place.path, place.origin == user::Origin::Flag) {
                Ok(found) => found,
                Err(d) => bail!("--kb {}: {}", place.path.display(), d.message),
            };
        for p in problems.iter().filter(|_| !quiet) {
            eprintln!("errex: warning: {p}");
        }
        for file in files {
            match user::load_file(&file) {
                Ok((p, diags)) => {
                    // Entries with errors were left out; say so once, load the rest.
                    if !quiet && diags.iter().any(|d| d.severity == Severity::Error) {
                        warn_file(&file, &diags);
                    }
                    parsed.push(p);
                }
                Err(diags) if !quiet => warn_file(&file, &diags),
                Err(_) => {}
            }
        }
    }
    let (catalog, diags) = Catalog::builtin().layered(&parsed);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first().filter(|_| !quiet) {
        let more = if errors.len() > 1 {
            format!(" (and {} more)", errors.len() - 1)
        } else {
            String::new()
        };
        eprintln!(
            "errex: warning: skipped entries with errors: {first}{more}; run `errex kb check` for all"
        );
    }
    Ok(catalog)
}

fn warn_file(file: &Path, diags: &[Diagnostic]) {
    let more = if diags.len() > 1 {
        format!(" (and {} more)", diags.len() - 1)
    } else {
        String::new()
    };
    let first = diags
        .first()
        .map(ToString::to_string)
        .unwrap_or_else(|| file.display().to_string());
    eprintln!(
        "errex: warning: skipped what is broken in {}: {first}{more}; run `errex kb check {}`",
        sanitize(&file.display().to_string()),
        sanitize(&file.display().to_string())
    );
}

/// Where long output goes on a terminal: `$PAGER`, else `less -FRX`; never when piped, for
/// JSON or annotations, or with `--no-pager`.
struct Pager {
    command: Option<Vec<String>>,
    /// The terminal's height: output longer than this is paged.
    height: usize,
}

impl Pager {
    fn choose(term: &Terminal, no_pager: bool, format: Format) -> Pager {
        let command = catalog_pager(
            std::env::var("PAGER").ok().as_deref(),
            term.stdout_tty,
            no_pager || matches!(format, Format::Json | Format::Github),
        );
        Pager {
            command,
            height: term.size.map_or(24, |(_, h)| h),
        }
    }

    /// Runs `write` into the pager when the output is longer than the terminal, else straight
    /// to stdout.
    fn output(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<Outcome>) -> Result<Outcome> {
        let Some(cmd) = &self.command else {
            let mut out = io::stdout().lock();
            let outcome = write(&mut out)?;
            out.flush()?;
            return Ok(outcome);
        };
        let mut buf: Vec<u8> = Vec::new();
        let outcome = write(&mut buf)?;
        let lines = buf.iter().filter(|&&b| b == b'\n').count();
        if lines < self.height {
            let mut out = io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
            return Ok(outcome);
        }
        let spawned = std::process::Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdin(Stdio::piped())
            .spawn();
        match spawned {
            Ok(mut child) => {
                if let Some(mut stdin) = child.stdin.take() {
                    // The reader may quit early (q in less): that is not an error.
                    let _ = stdin.write_all(&buf);
                }
                child.wait()?;
            }
            Err(_) => {
                let mut out = io::stdout().lock();
                out.write_all(&buf)?;
                out.flush()?;
            }
        }
        Ok(outcome)
    }
}

/// The pager command: `$PAGER` split into words (empty or `cat` means none), else `less -FRX`,
/// and only on a terminal.
fn catalog_pager(pager_env: Option<&str>, tty: bool, disabled: bool) -> Option<Vec<String>> {
    if !tty || disabled {
        return None;
    }
    let words: Vec<String> = match pager_env {
        Some(p) => p.split_whitespace().map(str::to_owned).collect(),
        None => vec!["less".into(), "-FRX".into()],
    };
    (!words.is_empty() && words[0] != "cat").then_some(words)
}

/// Whether standard input has bytes ready to read now (a poll that does not wait). A regular
/// file always has; a pipe from `tail -f` has not while it waits for the next line.
#[cfg(unix)]
fn stdin_has_more() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // An error (no such descriptor) leaves nothing to wait for: explain what has arrived.
    poll(&mut fds, Some(&now)).is_ok_and(|n| n > 0)
}

/// Without poll, every short read is treated as a pause: explanations come as soon as possible.
#[cfg(not(unix))]
fn stdin_has_more() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_is_chosen_only_for_terminals() {
        assert_eq!(catalog_pager(None, false, false), None);
        assert_eq!(catalog_pager(None, true, true), None);
        assert_eq!(
            catalog_pager(None, true, false),
            Some(vec!["less".to_owned(), "-FRX".to_owned()])
        );
        assert_eq!(
            catalog_pager(Some("most -s"), true, false),
            Some(vec!["most".to_owned(), "-s".to_owned()])
        );
        assert_eq!(catalog_pager(Some(""), true, false), None);
        assert_eq!(catalog_pager(Some("cat"), true, false), None);
    }

    #[test]
    fn the_version_names_the_catalog() {
        let v = version_text();
        assert!(
            v.contains("written entries") && v.contains("botocore"),
            "{v}"
        );
    }
}
