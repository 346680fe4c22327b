//! The errex binary: parse arguments, load the catalog, choose the mode, map the outcome to an
//! exit status. The only place that touches stdin, stdout, the environment and exit codes.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use errex::catalog::{self, Catalog, Category, Diagnostic, Entry, Retry, Severity, user};
use errex::extract::{Extractor, Report, Scanner};
use errex::render::{self, Finding, Format, Style};
use errex::{search, tui};

mod cli;

use cli::{Cli, ColorArg, Command, FormatArg, KbCommand};

/// What a run achieved, as the exit status reports it.
enum Outcome {
    /// Something was explained or found (0).
    Found,
    /// Nothing was (1).
    Nothing,
    /// Usage, input or configuration error (2), already reported.
    Failed,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match try_main(cli) {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::Nothing) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("errex: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `errex list | head` closes the pipe early; that is success, not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn try_main(cli: Cli) -> Result<Outcome> {
    let g = &cli.global;
    let format = match g.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Markdown => Format::Markdown,
    };
    let stdout_tty = io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let style = Style {
        color: match g.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => stdout_tty && !no_color,
        },
        width: if stdout_tty {
            tui::terminal_width().unwrap_or(80).clamp(40, 100)
        } else {
            80
        },
    };

    let places = user_places(g.kb.as_slice(), g.no_user_kb);
    if let Some(Command::Kb(kb)) = &cli.command {
        return kb_command(kb, &places);
    }
    let catalog = load_catalog(&places)?;

    match &cli.command {
        Some(Command::Search { query, limit }) => {
            let query = query.join(" ");
            let hits = search::rank(catalog.entries(), &query, *limit);
            let entries: Vec<&Entry> = hits.iter().map(|h| &catalog.entries()[h.index]).collect();
            print_entries(&entries, format, style)
        }
        Some(Command::List { category, retry }) => {
            let category = category.map(|c| match c {
                cli::CategoryArg::Client => Category::Client,
                cli::CategoryArg::Server => Category::Server,
            });
            let retry = retry.map(retry_class);
            let entries: Vec<&Entry> = catalog
                .entries()
                .iter()
                .filter(|e| {
                    category.is_none_or(|c| e.category == c) && retry.is_none_or(|r| e.retry == r)
                })
                .collect();
            print_entries(&entries, format, style)
        }
        Some(Command::Explain { files }) => {
            let report = scan_inputs(&catalog, files)?;
            print_report(&catalog, &report, format, style)
        }
        Some(Command::Kb(_)) => unreachable!("handled above"),
        None if g.tui => {
            if !cli.codes.is_empty() {
                bail!("--tui takes no codes; type them into the search box instead");
            }
            let stdin_tty = io::stdin().is_terminal();
            let report = if stdin_tty {
                Report::default()
            } else {
                scan_inputs(&catalog, &[])?
            };
            if !tui::available() {
                eprintln!(
                    "errex: --tui needs a terminal (none is attached); use `errex explain` or --format json instead"
                );
                return Ok(Outcome::Failed);
            }
            tui::run(&catalog, &report, tui_options(no_color))
                .context("running the terminal UI")?;
            Ok(Outcome::Found)
        }
        None if !cli.codes.is_empty() => lookup(&catalog, &cli.codes, format, style),
        None => {
            if !io::stdin().is_terminal() {
                let report = scan_inputs(&catalog, &[])?;
                print_report(&catalog, &report, format, style)
            } else if stdout_tty {
                tui::run(&catalog, &Report::default(), tui_options(no_color))
                    .context("running the terminal UI")?;
                Ok(Outcome::Found)
            } else {
                eprintln!(
                    "errex: nothing to explain: give error codes (errex AuthFailure), pipe text in, or run it on a \
                     terminal for the browser; see errex --help"
                );
                Ok(Outcome::Failed)
            }
        }
    }
}

fn tui_options(no_color: bool) -> tui::Options {
    tui::Options {
        color: !no_color,
        panic_for_test: std::env::var_os("ERREX_TEST_PANIC").is_some(),
    }
}

fn retry_class(r: cli::RetryArg) -> Retry {
    match r {
        cli::RetryArg::Never => Retry::Never,
        cli::RetryArg::Backoff => Retry::Backoff,
        cli::RetryArg::Transient => Retry::Transient,
        cli::RetryArg::Propagation => Retry::Propagation,
        cli::RetryArg::Capacity => Retry::Capacity,
        cli::RetryArg::AfterFix => Retry::AfterFix,
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
/// one warning line on stderr; the rest still loads. A missing `--kb` path is a usage error.
fn load_catalog(places: &[user::Place]) -> Result<Catalog> {
    let mut parsed = Vec::new();
    for place in places {
        let files = match user::files_at(&place.path, place.origin == user::Origin::Flag) {
            Ok(files) => files,
            Err(d) => bail!("--kb {}: {}", place.path.display(), d.message),
        };
        for file in files {
            match user::load_file(&file) {
                Ok((p, diags)) => {
                    // Entries with errors were left out; say so once, load the rest.
                    if diags.iter().any(|d| d.severity == Severity::Error) {
                        warn_file(&file, &diags);
                    }
                    parsed.push(p);
                }
                Err(diags) => warn_file(&file, &diags),
            }
        }
    }
    let (catalog, diags) = Catalog::builtin().layered(&parsed);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
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
        file.display(),
        file.display()
    );
}

fn print_entries(entries: &[&Entry], format: Format, style: Style) -> Result<Outcome> {
    let mut out = io::stdout().lock();
    render::write_entries(&mut out, entries, format, style)?;
    out.flush()?;
    Ok(if entries.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

fn lookup(catalog: &Catalog, codes: &[String], format: Format, style: Style) -> Result<Outcome> {
    let mut findings = Vec::new();
    for code in codes {
        let hits = catalog.lookup(code);
        if hits.is_empty() {
            let wanted = catalog::normalize(code);
            findings.push(Finding {
                code: wanted.to_owned(),
                entry: None,
                suggestions: catalog.suggest(code, 5),
                family: catalog::family_of(wanted),
                occurrences: None,
                count: 0,
            });
        }
        for e in hits {
            findings.push(Finding {
                code: e.code.to_string(),
                entry: Some(e),
                suggestions: Vec::new(),
                family: None,
                occurrences: None,
                count: 0,
            });
        }
    }
    let found = findings.iter().any(|f| f.entry.is_some());
    let mut out = io::stdout().lock();
    render::write_findings(&mut out, &findings, format, style)?;
    out.flush()?;
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::Nothing
    })
}

/// Reads files (or stdin for none or `-`) through the scanner, in bounded chunks.
fn scan_inputs(catalog: &Catalog, files: &[PathBuf]) -> Result<Report> {
    let extractor = Extractor::new(catalog);
    let mut scanner = Scanner::new(&extractor);
    let mut buf = vec![0u8; 256 * 1024];
    let stdin_only = files.is_empty();
    let inputs: Vec<Option<&Path>> = if stdin_only {
        vec![None]
    } else {
        files
            .iter()
            .map(|f| (f.as_os_str() != "-").then_some(f.as_path()))
            .collect()
    };
    let mut reports = Vec::new();
    for input in inputs {
        let (mut reader, name): (Box<dyn Read>, String) = match input {
            None => (Box::new(io::stdin().lock()), "standard input".into()),
            Some(path) => (
                Box::new(
                    File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
                ),
                path.display().to_string(),
            ),
        };
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot read {name}")),
            };
            scanner.feed(&buf[..n]);
        }
        let report = std::mem::replace(&mut scanner, Scanner::new(&extractor)).finish();
        reports.push((input.map(|p| p.display().to_string()), report));
    }
    Ok(merge_reports(reports))
}

/// Combines per-file reports, tagging occurrences with their file when there are several.
fn merge_reports(reports: Vec<(Option<String>, Report)>) -> Report {
    if reports.len() == 1 {
        return reports
            .into_iter()
            .next()
            .map(|(_, r)| r)
            .unwrap_or_default();
    }
    let mut merged = Report::default();
    for (file, report) in reports {
        merged.absorb(report, file.as_deref());
    }
    merged
}

fn print_report(
    catalog: &Catalog,
    report: &Report,
    format: Format,
    style: Style,
) -> Result<Outcome> {
    if report.dropped_codes > 0 {
        eprintln!(
            "errex: warning: the input names more than {} different codes; {} more were counted but not listed",
            errex::extract::MAX_CODES,
            report.dropped_codes
        );
    }
    let findings: Vec<Finding<'_>> = report
        .found
        .iter()
        .map(|f| {
            let entry = if f.known { catalog.get(&f.code) } else { None };
            Finding {
                code: f.code.clone(),
                entry,
                suggestions: if entry.is_none() {
                    catalog.suggest(&f.code, 5)
                } else {
                    Vec::new()
                },
                family: if entry.is_none() {
                    catalog::family_of(&f.code)
                } else {
                    None
                },
                occurrences: Some(f.occurrences.clone()),
                count: f.count,
            }
        })
        .collect();
    let mut out = io::stdout().lock();
    if findings.is_empty() && format == Format::Text {
        writeln!(out, "No AWS error codes found in the input.")?;
    } else {
        render::write_findings(&mut out, &findings, format, style)?;
    }
    out.flush()?;
    Ok(if findings.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

fn kb_command(cmd: &KbCommand, places: &[user::Place]) -> Result<Outcome> {
    let mut out = io::stdout().lock();
    match cmd {
        KbCommand::Paths => {
            for place in places {
                let files = user::files_at(&place.path, false).unwrap_or_default();
                let state = if place.path.exists() {
                    format!("{} file(s)", files.len())
                } else {
                    "not present".into()
                };
                writeln!(
                    out,
                    "{}: {} ({state})",
                    place.origin.label(),
                    place.path.display()
                )?;
                for f in files {
                    writeln!(out, "  {}", f.display())?;
                }
            }
            if places.is_empty() {
                writeln!(out, "no user catalog places (--no-user-kb and no --kb)")?;
            }
            writeln!(
                out,
                "built-in: {} file(s), {} entries",
                catalog::builtin_files().len(),
                Catalog::builtin().len()
            )?;
            Ok(Outcome::Found)
        }
        KbCommand::Template { code } => {
            writeln!(out, "{}", template(code.as_deref()))?;
            Ok(Outcome::Found)
        }
        KbCommand::Check { paths, strict } => {
            let mut diags: Vec<Diagnostic> = Vec::new();
            let mut parsed = Vec::new();
            let mut files_checked = 0;
            for path in paths {
                match user::files_at(path, true) {
                    Ok(files) => {
                        for file in files {
                            files_checked += 1;
                            match user::load_file(&file) {
                                Ok((p, w)) => {
                                    diags.extend(w);
                                    parsed.push(p);
                                }
                                Err(d) => diags.extend(d),
                            }
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            let (_, layered) = Catalog::builtin().layered(&parsed);
            diags.extend(layered);
            diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error || *strict)
                .count();
            for d in &diags {
                writeln!(out, "{d}")?;
            }
            let warnings = diags.len()
                - diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
            writeln!(
                out,
                "checked {files_checked} file(s): {} error(s), {warnings} warning(s)",
                diags.len() - warnings
            )?;
            Ok(if errors > 0 {
                Outcome::Nothing
            } else {
                Outcome::Found
            })
        }
    }
}

/// A ready-to-edit entry; for an existing code, the fields a team usually overrides.
fn template(code: Option<&str>) -> String {
    let builtin = Catalog::builtin();
    match code.and_then(|c| builtin.lookup(c).into_iter().next()) {
        Some(e) => format!(
            "# Team override for {code}: fields set here replace the built-in ones;\n\
             # `notes` is shown under the built-in remedy, marked as your team's.\n\
             service = \"{service}\"\n\n[[entry]]\ncode = \"{code}\"\nnotes = \"\"\"\n\
             - What this error means for us, who owns it, and the runbook link.\n\"\"\"\n\
             # remedy = \"\"\"\n# - Replace the built-in remedy only if ours is different.\n# \"\"\"\n\
             # related = [{related}]\n",
            code = e.code,
            service = e.service,
            related = e
                .related
                .iter()
                .map(|r| format!("\"{r}\""))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        None => {
            let code = code
                .map(catalog::normalize)
                .filter(|c| catalog::is_valid_code(c))
                .unwrap_or("MyService.SomethingFailed");
            format!(
                "# A new entry. Name your own service to keep its codes apart from AWS's.\n\
                 service = \"my-service\"\n\n[[entry]]\ncode = \"{code}\"\ncategory = \"client\"      # client | server\n\
                 http_status = 400\nretry = \"never\"          # never | backoff | transient | propagation | capacity | after-fix\n\
                 summary = \"One line a person understands without knowing the code\"\ncause = \"\"\"\n\
                 - The most common situation that produces it.\n- The next most common.\n\"\"\"\nremedy = \"\"\"\n\
                 - The command, console place or setting that fixes the first cause.\n\"\"\"\nrelated = []\n\
                 docs = \"https://example.com/runbook\"\n"
            )
        }
    }
}
