//! The command line a ripgrep user expects: global options anywhere, quiet pipes, codes cleaned
//! of what was pasted around them, whole lines when piped, JSON from every `kb` command,
//! Markdown that renders what it was given, completion scripts that know the codes, a man page
//! and a version that names the catalog.
//!
//! Every command runs with a clean environment (no user catalogs, no colour settings, no
//! COLUMNS) so results do not depend on the machine. Shells and `man` that are not installed
//! are skipped with a message on stderr.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use common::{errex, errex_bin, fits, home, json, stdout, stdout_string, utf8};
use serde_json::Value;

mod common;

/// The longest line, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Whether `program` can be run (found on PATH).
fn installed(program: &str) -> bool {
    StdCommand::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A team catalog whose text holds every character Markdown would read as formatting.
const TEAM: &str = r#"service = "payments-api"

[[entry]]
code = "CardDeclined"
category = "client"
summary = "Payment refused for _custom_id_ on *star* plans: a|b <tag> `pay show --id a|b`"
cause = """
- The charge named _custom_id_ and a *star* plan; the issuer answered a|b <tag>.
"""
remedy = """
- Run `pay retry --id a|b` once <tag> is fixed.
"""
retry = "never"
related = []
"#;

/// A directory holding the team catalog.
fn team_kb(home: &Path) -> PathBuf {
    let dir = home.join("team-kb");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("payments.toml"), TEAM).expect("write");
    dir
}

/// Every code the catalog explains in writing, once each.
fn written_codes() -> Vec<String> {
    let mut codes: Vec<String> = errex::catalog::Catalog::builtin()
        .entries()
        .iter()
        .map(|e| e.code.to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn global_options_work_before_and_after_every_subcommand() {
    let h = home();
    let kb = team_kb(h.path());
    let kb = kb.to_str().expect("utf-8 path");
    // The forms the issue names, each with the option first.
    let v = json(&stdout(
        errex(h.path()).args(["--format", "json", "list"]),
        0,
    ));
    assert!(v["entries"].as_array().is_some_and(|e| e.len() > 1000));
    let plain = stdout_string(errex(h.path()).args(["--color", "never", "list"]), 0);
    assert!(!plain.contains('\x1b') && plain.lines().count() > 1000);
    let paths = stdout_string(errex(h.path()).args(["--kb", kb, "kb", "paths"]), 0);
    assert!(paths.contains("payments.toml"), "{paths}");
    let found = stdout_string(
        errex(h.path()).args(["--kb", kb, "search", "payment", "-n", "3"]),
        0,
    );
    assert!(
        (1..=3).contains(&found.lines().count()) && found.starts_with("CardDeclined"),
        "{found}"
    );
    let found = stdout_string(
        errex(h.path()).args(["--kb", kb, "search", "card", "declined", "-n", "3"]),
        0,
    );
    assert!(found.starts_with("CardDeclined "), "{found}");

    // Each global option gives the same output before the subcommand, after it, and after
    // the subcommand's own arguments. Columns: the option, the subcommand, its arguments, and
    // whether the option shows in piped output at all (KB is the team catalog).
    let cases: &[(&str, &str, &str, bool)] = &[
        ("--format json", "list", "--kind written", true),
        ("--format markdown", "search", "throttl -n 5", true),
        ("--format json", "kb paths", "", true),
        ("--format json", "kb template", "VolumeInUse", false),
        ("--color always", "search", "throttl -n 5", true),
        ("--color never", "list", "--kind written", false),
        ("--width 30", "explain", "", true),
        ("--kb KB", "search", "card declined -n 3", true),
        ("--kb KB --format json", "kb paths", "", true),
        ("--no-user-kb --format json", "kb paths", "", true),
        ("--service s3", "list", "--kind written", true),
        ("--full", "explain", "-", true),
        ("--no-pager", "list", "--category server", false),
        ("--format json", "kb check", "KB", true),
    ];
    let log =
        "An error occurred (Throttling) when calling the DescribeStacks operation: Rate exceeded\n";
    for &(global, command, rest, changes) in cases {
        let run = |parts: [&str; 3], must_succeed: bool| {
            let args: Vec<&str> = parts
                .iter()
                .flat_map(|p| p.split_whitespace())
                .map(|a| if a == "KB" { kb } else { a })
                .collect();
            let out = errex(h.path()).args(&args).write_stdin(log).assert();
            let out = out.get_output();
            if must_succeed {
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "errex {}: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            out.stdout.clone()
        };
        let before = run([global, command, rest], true);
        let between = run([command, global, rest], true);
        let after = run([command, rest, global], true);
        let shown = format!("{global} with {command} {rest}");
        assert!(before == between && before == after, "{shown}");
        // Without the option the command may find nothing (a team code without --kb).
        let without = run([command, rest, ""], false);
        assert_eq!(before != without, changes, "{shown} changes the output");
    }
}

/// A word of a team entry's summary ranks it above codes that only hold the word's letters
/// scattered (`payment` in `InvalidVpnGatewayAttachment.NotFound`: vPn gAteway ... attachMENT).
#[test]
fn search_finds_a_team_entry_by_a_word_of_its_summary() {
    let h = home();
    let kb = team_kb(h.path());
    let found = stdout_string(
        errex(h.path())
            .args(["search", "payment", "-n", "3", "--kb"])
            .arg(&kb),
        0,
    );
    assert!(found.starts_with("CardDeclined "), "{found}");
}

#[test]
fn a_subcommand_word_is_never_taken_as_a_code() {
    let h = home();
    // `list` is the command, not a code to look up.
    let v = json(&stdout(
        errex(h.path()).args(["list", "--format", "json"]),
        0,
    ));
    assert!(v.get("entries").is_some() && v.get("findings").is_none());
    // A code beside a subcommand is a usage error, not silently dropped.
    for args in [
        &["AccessDenied", "list"][..],
        &["AccessDenied", "search", "throttling"],
        &["--format", "json", "AccessDenied", "kb", "paths"],
    ] {
        let out = errex(h.path()).args(args).assert().code(2);
        let err = utf8(&out.get_output().stderr);
        assert!(
            err.contains("AccessDenied") && out.get_output().stdout.is_empty(),
            "{args:?}: {err}"
        );
    }
    // A group without its subcommand is a usage error too.
    errex(h.path()).arg("kb").assert().code(2);
    // An option's value that is spelled like a subcommand stays the option's value: a team
    // catalog in a directory called `kb` is common.
    let dir = h.path().join("kb");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::copy(
        team_kb(h.path()).join("payments.toml"),
        dir.join("payments.toml"),
    )
    .expect("copy");
    for args in [&["--kb", "kb", "kb", "paths"][..], &["--kb", "kb", "list"]] {
        let out = stdout_string(errex(h.path()).current_dir(h.path()).args(args), 0);
        assert!(
            out.contains("payments") || out.contains("CardDeclined"),
            "{args:?}: {out}"
        );
    }
}

/// Runs errex with stdout on a pipe, reads one byte, closes the pipe, and asserts that errex
/// ended with 0 and wrote nothing to stderr. The outputs are all far larger than a pipe's
/// buffer, so errex is still writing when the pipe closes.
fn assert_quiet_broken_pipe(home: &Path, args: &[&str], stdin: Option<&Path>) {
    let bin = errex_bin();
    let input = match stdin {
        Some(file) => Stdio::from(File::open(file).expect("input")),
        None => Stdio::null(),
    };
    let mut child = StdCommand::new(bin)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdin(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    out.read_exact(&mut first)
        .unwrap_or_else(|e| panic!("errex {}: no output: {e}", args.join(" ")));
    drop(out);
    let done = child.wait_with_output().expect("exits");
    assert_eq!(
        (done.status.code(), String::from_utf8_lossy(&done.stderr)),
        (Some(0), "".into()),
        "errex {}",
        args.join(" ")
    );
}

#[test]
fn a_closed_pipe_is_a_quiet_success_in_every_format_and_command() {
    let h = home();
    let codes = written_codes();
    // Piped text naming every written code once: a long report in every format.
    let log = h.path().join("big.log");
    let lines: Vec<String> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "An error occurred ({c}) when calling the DescribeThings operation: about i-{i:017x}"
            )
        })
        .collect();
    fs::write(&log, lines.join("\n") + "\n").expect("write");
    // Hundreds of team files with long names (a walk reads at most 1000), which `kb paths`
    // lists one by one: far more than a pipe holds.
    let many = h.path().join("many");
    fs::create_dir_all(&many).expect("mkdir");
    for i in 0..900 {
        fs::write(
            many.join(format!(
                "team-catalog-file-with-a-long-name-so-that-the-listing-outgrows-a-pipe-{i:05}.toml"
            )),
            format!("service = \"team\"\n[[entry]]\ncode = \"TeamCode{i}\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\n"),
        )
        .expect("write");
    }
    let many = many.to_str().expect("utf-8 path");
    // Thousands of broken entries, each reported by `kb check`. Had errex written all of it,
    // it would exit 1; 0 says the closed pipe ended it.
    let broken = h.path().join("broken.toml");
    let entries: String = (0..5000)
        .map(|i| format!("[[entry]]\ncode = \"Broken{i}\"\ncolour = 1\n\n"))
        .collect();
    fs::write(&broken, format!("service = \"team\"\n\n{entries}")).expect("write");
    let broken = broken.to_str().expect("utf-8 path");
    let lookup: Vec<&str> = codes.iter().map(String::as_str).collect();
    for format in ["text", "json", "markdown", "github"] {
        let f = ["--format", format];
        assert_quiet_broken_pipe(h.path(), &[&f[..], &["list"]].concat(), None);
        assert_quiet_broken_pipe(
            h.path(),
            &[&f[..], &["search", "exception", "-n", "3000"]].concat(),
            None,
        );
        assert_quiet_broken_pipe(h.path(), &[&f[..], &lookup[..]].concat(), None);
        assert_quiet_broken_pipe(h.path(), &f, Some(&log));
        assert_quiet_broken_pipe(h.path(), &[&f[..], &["explain", "-"]].concat(), Some(&log));
        assert_quiet_broken_pipe(
            h.path(),
            &[&f[..], &["kb", "paths", "--kb", many]].concat(),
            None,
        );
        assert_quiet_broken_pipe(h.path(), &[&f[..], &["kb", "check", broken]].concat(), None);
    }
}

#[test]
fn codes_are_trimmed_of_punctuation_and_quotes() {
    let h = home();
    for (given, code) in [
        ("InvalidVpcID.NotFound:", "InvalidVpcID.NotFound"),
        (
            "(InsufficientInstanceCapacity)",
            "InsufficientInstanceCapacity",
        ),
        ("\"AccessDenied\"", "AccessDenied"),
        ("'VolumeInUse',", "VolumeInUse"),
        ("  `UnauthorizedOperation`.  ", "UnauthorizedOperation"),
        ("\"s3:NoSuchBucket\";", "NoSuchBucket"),
    ] {
        let v = json(&stdout(
            errex(h.path()).args(["--format", "json", given]),
            0,
        ));
        let first = &v["findings"][0];
        assert_eq!(
            (first["code"].as_str(), first["known"].as_bool()),
            (Some(code), Some(true)),
            "{given:?}"
        );
    }
}

#[test]
fn an_empty_code_is_a_usage_error() {
    let h = home();
    for given in ["", "  ", "()", "\"\"", "'',"] {
        let out = errex(h.path()).arg(given).assert().code(2);
        let out = out.get_output();
        assert!(out.stdout.is_empty(), "{given:?}");
        let err = utf8(&out.stderr);
        assert!(
            err.starts_with("errex: ") && err.contains("not an error code"),
            "{given:?}: {err}"
        );
        // Beside a good code too: nothing is explained until the command line is right.
        errex(h.path())
            .args(["AccessDenied", given])
            .assert()
            .code(2);
    }
}

#[test]
fn piped_list_and_search_keep_whole_lines() {
    let h = home();
    let list = stdout_string(errex(h.path()).arg("list"), 0);
    let v = json(&stdout(
        errex(h.path()).args(["list", "--format", "json"]),
        0,
    ));
    let entries = v["entries"].as_array().expect("entries");
    let summary = |e: &Value| e["summary"].as_str().expect("summary").to_owned();
    // `errex list | grep -ci ipv4` counts what the JSON says.
    let grep = list
        .lines()
        .filter(|l| l.to_lowercase().contains("ipv4"))
        .count();
    let in_json = entries
        .iter()
        .filter(|e| summary(e).to_lowercase().contains("ipv4"))
        .count();
    assert!(in_json > 0);
    assert_eq!(grep, in_json);
    // Stronger: one line per entry, each with its whole summary.
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), entries.len());
    for (line, e) in lines.iter().zip(entries) {
        assert!(line.contains(&summary(e)), "cut: {line}");
    }
    assert!(widest(&list) > 100, "longer than any terminal's cut");

    let found = stdout_string(errex(h.path()).args(["search", "capacity", "-n", "30"]), 0);
    let v = json(&stdout(
        errex(h.path()).args(["search", "capacity", "-n", "30", "--format", "json"]),
        0,
    ));
    let entries = v["entries"].as_array().expect("entries");
    let lines: Vec<&str> = found.lines().collect();
    assert_eq!(lines.len(), entries.len());
    for (line, e) in lines.iter().zip(entries) {
        assert!(line.contains(&summary(e)), "cut: {line}");
    }
    // COLUMNS does not cut list lines either; it only wraps prose.
    let narrow = stdout_string(errex(h.path()).arg("list").env("COLUMNS", "40"), 0);
    assert_eq!(narrow, list);
}

#[test]
fn columns_and_width_set_the_wrap() {
    let h = home();
    let default = stdout_string(errex(h.path()).arg("InsufficientInstanceCapacity"), 0);
    assert!(fits(&default, 80) && widest(&default) > 60, "80 when piped");
    let columns = stdout_string(
        errex(h.path())
            .arg("InsufficientInstanceCapacity")
            .env("COLUMNS", "50"),
        0,
    );
    assert!(
        fits(&columns, 50) && !fits(&columns, 40),
        "COLUMNS=50:\n{columns}"
    );
    // --width wins over COLUMNS, before or after the codes.
    for args in [
        ["--width", "30", "InsufficientInstanceCapacity"],
        ["InsufficientInstanceCapacity", "--width", "30"],
    ] {
        let narrow = stdout_string(errex(h.path()).args(args).env("COLUMNS", "50"), 0);
        assert!(
            fits(&narrow, 30) && !fits(&narrow, 25),
            "{args:?}:\n{narrow}"
        );
    }
    // Piped text's explanations are prose too.
    let log = "An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient p4d.24xlarge capacity in the Availability Zone you requested (us-east-1a).\n";
    let piped = stdout_string(errex(h.path()).env("COLUMNS", "50").write_stdin(log), 0);
    // The digest's rows wrap between their facts, never cutting one; the explanations wrap.
    let (digest, explained) = piped.split_once("\n\n").expect("a digest, then the codes");
    assert!(
        fits(digest, 50) && digest.contains("retry later or elsewhere"),
        "{digest}"
    );
    assert!(fits(explained, 50), "{explained}");
    errex(h.path())
        .args(["--width", "5", "AccessDenied"])
        .assert()
        .code(2);
}

#[test]
fn kb_paths_and_kb_check_print_json() {
    let h = home();
    let kb = team_kb(h.path());
    let v = json(&stdout(
        errex(h.path())
            .args(["kb", "paths", "--format", "json", "--kb"])
            .arg(&kb),
        0,
    ));
    let places = v["places"].as_array().expect("places");
    let flag = places
        .iter()
        .find(|p| p["origin"] == "--kb")
        .expect("the --kb place");
    assert_eq!(flag["present"], true);
    assert!(
        flag["files"][0]
            .as_str()
            .is_some_and(|f| f.ends_with("payments.toml"))
    );
    assert!(v["builtin"]["written"].as_u64().is_some_and(|n| n > 0));

    let v = json(&stdout(
        errex(h.path())
            .args(["kb", "check", "--format", "json"])
            .arg(&kb),
        0,
    ));
    assert_eq!(
        (&v["files_checked"], &v["errors"], &v["warnings"]),
        (&Value::from(1), &Value::from(0), &Value::from(0))
    );
    // A broken file: the JSON still parses, and says what and where.
    let broken = h.path().join("broken.toml");
    fs::write(
        &broken,
        "service = \"team\"\n[[entry]]\ncode = \"X\"\ncolour = 1\n",
    )
    .expect("write");
    let v = json(&stdout(
        errex(h.path())
            .args(["kb", "check", "--format", "json"])
            .arg(&broken),
        1,
    ));
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert!(
        d["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("broken.toml"))
    );
    assert!(d["line"].as_u64().is_some_and(|l| l > 0));
}

#[test]
fn kb_template_then_strict_check_fails_only_for_the_documented_reason() {
    let h = home();
    // `kb check --help` and README: --strict turns warnings into errors; the only warnings a
    // template earns are its own placeholders (a new code) — team notes for a code errex has
    // override nothing, so they pass as they are.
    for code in [
        "InsufficientInstanceCapacity",
        "s3:NoSuchBucket",
        "iam:AccessDenied",
    ] {
        let file = h.path().join("notes.toml");
        fs::write(
            &file,
            stdout(errex(h.path()).args(["kb", "template", code]), 0),
        )
        .expect("write");
        errex(h.path())
            .args(["kb", "check", "--strict"])
            .arg(&file)
            .assert()
            .code(0);
    }
    let file = h.path().join("new.toml");
    let template = stdout_string(
        errex(h.path()).args(["kb", "template", "PaymentDeclined"]),
        0,
    );
    fs::write(&file, &template).expect("write");
    errex(h.path())
        .args(["kb", "check"])
        .arg(&file)
        .assert()
        .code(0);
    let v = json(&stdout(
        errex(h.path())
            .args(["kb", "check", "--strict", "--format", "json"])
            .arg(&file),
        1,
    ));
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(!diags.is_empty());
    for d in diags {
        assert!(
            d["severity"] == "warning"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("template's placeholder")),
            "{d}"
        );
    }
    // With the placeholders replaced, --strict passes.
    let filled = template
        .replace(
            "One line a person understands without knowing the code",
            "The card was declined",
        )
        .replace(
            "The most common situation that produces it.",
            "The issuer said no.",
        )
        .replace(
            "The command, console place or setting that fixes the first cause.",
            "Ask for another card.",
        )
        .replace(
            "https://example.com/runbook",
            "https://wiki.example/payments",
        );
    fs::write(&file, filled).expect("write");
    errex(h.path())
        .args(["kb", "check", "--strict"])
        .arg(&file)
        .assert()
        .code(0);
}

/// The cells of a Markdown table row, split at the pipes that are not escaped.
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in row.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else if let Some(cell) = cells.last_mut() {
            cell.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells
}

#[test]
fn markdown_escapes_team_text() {
    let h = home();
    let kb = team_kb(h.path());
    let md = stdout_string(
        errex(h.path())
            .args(["--format", "markdown", "CardDeclined", "--kb"])
            .arg(&kb),
        0,
    );
    let md = md.replace(&kb.display().to_string(), "TEAM-KB");
    for escaped in [r"\_custom\_id\_", r"\*star\*", r"a\|b", r"\<tag\>"] {
        assert!(md.contains(escaped), "{escaped} in:\n{md}");
    }
    assert!(
        md.contains("`pay retry --id a|b`"),
        "commands stay code spans:\n{md}"
    );
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/markdown_team.md");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&golden, &md).expect("write snapshot");
    }
    assert_eq!(
        md,
        fs::read_to_string(&golden).expect("snapshot; run with UPDATE_SNAPSHOTS=1")
    );

    // In a table a pipe, even inside a code span, would start a new cell.
    for args in [
        &["search", "CardDeclined", "-n", "1"][..],
        &["list", "--service", "payments-api"],
    ] {
        let table = stdout_string(
            errex(h.path())
                .args(args)
                .args(["--format", "markdown", "--kb"])
                .arg(&kb),
            0,
        );
        let row = table
            .lines()
            .find(|l| l.contains("CardDeclined"))
            .expect("the team row");
        assert_eq!(cells(row).len(), 6, "four cells: {row}");
        assert!(row.contains(r"`pay show --id a\|b`"), "{row}");
    }
}

/// The completion function bash would call for errex, from `complete -p errex`.
fn bash_function(script: &Path) -> String {
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(format!("source {}; complete -p errex", script.display()))
        .output()
        .expect("bash runs");
    let spec = utf8(&out.stdout);
    let words: Vec<&str> = spec.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| *w == "-F")
        .unwrap_or_else(|| panic!("a -F function: {spec}"));
    words[at + 1].to_owned()
}

/// What bash offers for `errex WORD<Tab>`.
fn bash_completes(script: &Path, word: &str) -> Vec<String> {
    let function = bash_function(script);
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(errex {word}); COMP_CWORD=1; {function} errex {word} errex; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", utf8(&out.stderr));
    utf8(&out.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn completion_scripts_offer_the_catalog_codes() {
    let h = home();
    let script = |shell: &str| -> PathBuf {
        let out = stdout(errex(h.path()).args(["completions", shell]), 0);
        assert!(!out.is_empty(), "{shell}");
        let file = h.path().join(format!("errex.{shell}"));
        fs::write(&file, out).expect("write");
        file
    };
    let bash = script("bash");
    let offered = bash_completes(&bash, "InvalidVpc");
    assert!(
        offered.iter().any(|c| c == "InvalidVpcID.NotFound"),
        "{offered:?}"
    );
    assert!(offered.iter().all(|c| c.starts_with("InvalidVpc")));
    let offered = bash_completes(&bash, "dynamo");
    assert!(offered.iter().any(|c| c == "dynamodb:"), "{offered:?}");

    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let body = fs::read_to_string(script(shell)).expect("script");
        assert!(
            body.contains("InvalidVpcID.NotFound") && body.contains("dynamodb"),
            "{shell} offers the codes and services"
        );
    }
    // The shells that are installed read their script and offer the codes.
    if installed("zsh") {
        let out = StdCommand::new("zsh")
            .arg("-n")
            .arg(script("zsh"))
            .output()
            .expect("zsh runs");
        assert!(out.status.success(), "zsh: {}", utf8(&out.stderr));
    } else {
        eprintln!("skipped: zsh is not installed, its script is only read as text");
    }
    if installed("fish") {
        let complete = |line: &str| {
            let out = StdCommand::new("fish")
                .arg("--no-config")
                .arg("-c")
                .arg(format!(
                    "source {}; complete -C'{line}'",
                    script("fish").display()
                ))
                .output()
                .expect("fish runs");
            assert!(out.status.success(), "fish: {}", utf8(&out.stderr));
            utf8(&out.stdout)
        };
        let offered = complete("errex InvalidVpcID.N");
        assert!(
            offered.lines().any(|l| l == "InvalidVpcID.NotFound"),
            "{offered}"
        );
        assert!(complete("errex dynamo").lines().any(|l| l == "dynamodb:"));
        assert!(
            !complete("errex list InvalidVpcID.N").contains("InvalidVpcID.NotFound"),
            "no codes after a subcommand"
        );
    } else {
        eprintln!("skipped: fish is not installed, its script is only read as text");
    }
}

#[test]
fn the_man_page_renders() {
    let h = home();
    let roff = stdout(errex(h.path()).arg("man"), 0);
    assert!(utf8(&roff).contains(".TH errex 1"));
    if !installed("man") {
        eprintln!("skipped: `man` is not installed (apt-get install man-db); roff checked as text");
        return;
    }
    let mut man = StdCommand::new("man")
        .args(["-l", "-"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man runs");
    {
        use std::io::Write;
        let mut input = man.stdin.take().expect("stdin");
        input.write_all(&roff).expect("man reads the page");
    }
    let out = man.wait_with_output().expect("man ends");
    assert!(out.status.success(), "{}", utf8(&out.stderr));
    // man fills and may hyphenate lines: compare words.
    let page = utf8(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in ["NAME", "SYNOPSIS", "OPTIONS", "format", "Exit status: 0"] {
        assert!(page.contains(part), "{part} in:\n{page}");
    }
    // The description is errex's own, not the crate's old one-liner.
    let roff = utf8(&roff);
    assert!(roff.contains("every AWS service") && !roff.contains("EC2 catalog"));
}

#[test]
fn version_names_the_catalog_and_the_sdk_models() {
    let h = home();
    let version = stdout_string(errex(h.path()).arg("--version"), 0);
    let b = json(&stdout(
        errex(h.path()).args(["kb", "paths", "--format", "json"]),
        0,
    ))["builtin"]
        .clone();
    let mut lines = version.lines();
    assert_eq!(
        lines.next(),
        Some(format!("errex {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    let catalog = lines.next().expect("a line on the catalog");
    for (what, n) in [
        ("written entries", &b["written"]),
        ("codes", &b["registry_codes"]),
        ("from the SDK models", &b["from_models"]),
        ("kept by hand", &b["kept_by_hand"]),
    ] {
        let n = n.as_u64().expect("a count");
        assert!(
            n > 0 && catalog.contains(&format!("{n} {what}")),
            "{what}: {catalog}"
        );
    }
    let botocore = b["botocore"].as_str().expect("botocore version");
    assert!(
        catalog.contains(&format!("botocore {botocore}")),
        "{catalog}"
    );
    // -V says the same.
    assert_eq!(stdout_string(errex(h.path()).arg("-V"), 0), version);
}
