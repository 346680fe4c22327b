//! Hostile input, end to end: each finding of the hostile-input issue has a regression test
//! here with a small input. Time and memory are asserted through structure and counters, never
//! the clock; the 20 s limit on every command is only a guard that turns a hang into a failure.
//! (The linear-parsing and did-you-mean counters are unit tests beside the code:
//! `catalog::parse` and `catalog::tests`; the clipboard text is tested in `tui::app`.)
//!
//! Every command runs with a clean environment (no user catalogs, no colour settings).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use common::{clean_env, errex_bin, home, json, lossy};
use errex::catalog::Catalog;
use errex::extract::{Extractor, MAX_CODES, MAX_KEPT_BYTES, Report, Scanner};
use errex::search::Index;
use proptest::prelude::*;
use serde_json::Value;

mod common;

/// The hang guard: a command still running after this is killed and the test fails.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// The clean-environment command of `common::errex`, killed by the hang guard if it runs on.
fn errex(home: &Path) -> Command {
    let mut cmd = common::errex(home);
    cmd.timeout(HANG_GUARD);
    cmd
}

/// Runs a command to its end, failing the test if the hang guard had to kill it.
fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.code().is_some(),
        "hung: killed after {HANG_GUARD:?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether a character must never reach a terminal from text or Markdown output: ESC and every
/// other control but the newline, C1 controls, and the bidirectional controls.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let s = lossy(bytes);
    let bad: Vec<char> = s.chars().filter(|&c| forbidden(c)).collect();
    assert!(
        bad.is_empty() && !bytes.contains(&0x1b),
        "{what}: {bad:?} reached the output:\n{s}"
    );
}

/// Notes for a built-in entry, in a team file.
const NOTES: &str = "service = \"ec2\"\n\n[[entry]]\ncode = \"VolumeInUse\"\nnotes = \"- Page the storage on-call.\"\n";

fn kb_with_notes(h: &Path) -> PathBuf {
    let kb = h.join("kb");
    fs::create_dir_all(&kb).expect("mkdir");
    fs::write(kb.join("notes.toml"), NOTES).expect("write");
    kb
}

/// The one warning line on stderr, which must name `file` and say `what`.
fn one_warning(out: &Output, file: &str, what: &str) {
    let err = lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one warning line:\n{err}");
    assert!(
        err.starts_with("errex: warning: ") && err.contains(file) && err.contains(what),
        "the warning names {file} and says {what:?}:\n{err}"
    );
}

/// Issue 2: a FIFO named `*.toml` hung every command that loads the catalog. Only regular
/// files are read; the FIFO is named in one warning line, and `kb check` fails on it.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_knowledge_base_never_hangs_a_command() {
    let h = home();
    let kb = kb_with_notes(h.path());
    let fifo = kb.join("pipe.toml");
    let made = StdCommand::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available here");
        return;
    }
    for args in [
        &["list"][..],
        &["VolumeInUse"],
        &["--format", "json", "VolumeInUse"],
        &["search", "volume"],
        &["kb", "paths"],
    ] {
        let out = run(errex(h.path()).arg("--kb").arg(&kb).args(args));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            lossy(&out.stderr)
        );
        one_warning(&out, "pipe.toml", "not a regular file");
    }
    // The rest of the directory still loads.
    let out = run(errex(h.path()).arg("--kb").arg(&kb).arg("VolumeInUse"));
    assert!(lossy(&out.stdout).contains("Page the storage on-call"));
    // Piped text, the variable and the config directory too.
    let out = run(errex(h.path()).arg("--kb").arg(&kb).write_stdin(
        "An error occurred (VolumeInUse) when calling the DeleteVolume operation: in use\n",
    ));
    assert_eq!(out.status.code(), Some(0));
    one_warning(&out, "pipe.toml", "not a regular file");
    let out = run(errex(h.path()).env("ERREX_KB_PATH", &kb).arg("VolumeInUse"));
    assert_eq!(out.status.code(), Some(0));
    one_warning(&out, "pipe.toml", "not a regular file");
    // Given directly with --kb: a warning, not a hang and not a failure.
    let out = run(errex(h.path()).arg("--kb").arg(&fifo).arg("VolumeInUse"));
    assert_eq!(out.status.code(), Some(0));
    one_warning(&out, "pipe.toml", "not a regular file");
    // kb check names it and fails.
    for path in [&kb, &fifo] {
        let out = run(errex(h.path()).args(["kb", "check"]).arg(path));
        assert_eq!(out.status.code(), Some(1));
        let stdout = lossy(&out.stdout);
        assert!(
            stdout.contains("pipe.toml:1:1: error: not a regular file"),
            "{stdout}"
        );
    }
    let config_kb = h.path().join("config/errex/kb");
    fs::create_dir_all(&config_kb).expect("mkdir");
    let made = StdCommand::new("mkfifo")
        .arg(config_kb.join("team.toml"))
        .status();
    assert!(made.is_ok_and(|s| s.success()));
    let out = run(errex(h.path()).arg("VolumeInUse"));
    assert_eq!(out.status.code(), Some(0));
    one_warning(&out, "team.toml", "not a regular file");
}

/// Issue 3: `--kb /dev/zero`, `ERREX_KB_PATH=/dev/zero` and a `*.toml` link to it were read
/// without limit (or made every command fail). Only regular files are read, at most 8 MiB of
/// them; the built-in catalog still answers.
#[cfg(unix)]
#[test]
fn a_device_is_never_read_and_the_builtin_catalog_still_answers() {
    let h = home();
    let kb = h.path().join("kb");
    fs::create_dir_all(&kb).expect("mkdir");
    std::os::unix::fs::symlink("/dev/zero", kb.join("zero.toml")).expect("link");
    let mut by_flag = errex(h.path());
    by_flag.args(["--kb", "/dev/zero", "AuthFailure"]);
    let mut by_env = errex(h.path());
    by_env.env("ERREX_KB_PATH", "/dev/zero").arg("AuthFailure");
    let mut by_link = errex(h.path());
    by_link.arg("--kb").arg(&kb).arg("AuthFailure");
    for (name, mut cmd) in [
        ("/dev/zero", by_flag),
        ("/dev/zero", by_env),
        ("zero.toml", by_link),
    ] {
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", lossy(&out.stderr));
        assert!(
            lossy(&out.stdout).starts_with("AuthFailure"),
            "{}",
            lossy(&out.stdout)
        );
        one_warning(&out, name, "not a regular file");
    }
    for path in [Path::new("/dev/zero"), &kb] {
        let out = run(errex(h.path()).args(["kb", "check"]).arg(path));
        assert_eq!(out.status.code(), Some(1));
        assert!(lossy(&out.stdout).contains("not a regular file"));
    }
    // A regular file over the cap is refused after reading no more than the cap.
    let big = h.path().join("big.toml");
    let mut bytes = b"service = \"ec2\"\n".to_vec();
    bytes.resize(8 * 1024 * 1024 + 1, b'#');
    fs::write(&big, bytes).expect("write");
    let out = run(errex(h.path()).arg("--kb").arg(&big).arg("AuthFailure"));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        lossy(&out.stderr).contains("larger than 8388608 bytes"),
        "{}",
        lossy(&out.stderr)
    );
}

/// Issue 4: two links to `.` listed a file 512 times in `kb paths` and `overridden_by`. Each
/// real directory and file is visited once.
#[cfg(unix)]
#[test]
fn symbolic_link_loops_list_each_file_once() {
    use std::os::unix::fs::symlink;
    let h = home();
    let kb = kb_with_notes(h.path());
    symlink(".", kb.join("l1")).expect("link");
    symlink(".", kb.join("l2")).expect("link");
    fs::create_dir(kb.join("sub")).expect("mkdir");
    symlink("..", kb.join("sub/back")).expect("link");
    symlink("notes.toml", kb.join("again.toml")).expect("link");
    let out = run(errex(h.path())
        .arg("--kb")
        .arg(&kb)
        .args(["kb", "paths", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    let place = v["places"]
        .as_array()
        .expect("places")
        .iter()
        .find(|p| p["origin"] == "--kb")
        .expect("the --kb place");
    let files: Vec<&str> = place["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("notes.toml") || files[0].ends_with("again.toml"));
    let out = run(errex(h.path())
        .arg("--kb")
        .arg(&kb)
        .args(["--format", "json", "VolumeInUse"]));
    let v = json(&out.stdout);
    let by = v["findings"][0]["entry"]["overridden_by"]
        .as_array()
        .expect("overridden_by");
    assert_eq!(by.len(), 1, "{by:?}");
    let notes = v["findings"][0]["entry"]["notes"].as_str().expect("notes");
    assert_eq!(notes.matches("on-call").count(), 1, "{notes}");
}

/// Issue 5: an unreadable directory, inside a knowledge base or given with --kb, is a warning
/// at run time and an error for `kb check`. As root, chmod 000 does not stop reading: then
/// errex runs as nobody through setpriv, and where that cannot be done the test says so.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_warns_and_fails_kb_check() {
    use std::os::unix::fs::PermissionsExt;
    let h = home();
    let kb = kb_with_notes(h.path());
    let locked = kb.join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let restore = || {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
    };
    const NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let as_nobody = fs::read_dir(&locked).is_ok();
    if as_nobody {
        // The temp dir is private to its owner; nobody must be able to walk to the kb.
        fs::set_permissions(h.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let setpriv = |args: &[&str]| {
            StdCommand::new("setpriv")
                .args(NOBODY)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let locked_arg = locked.to_str().expect("a UTF-8 temp path");
        if !setpriv(&["true"]) || setpriv(&["ls", locked_arg]) {
            restore();
            eprintln!(
                "skipped an_unreadable_directory_warns_and_fails_kb_check: chmod 000 does not \
                 stop this user (root?) from reading, and setpriv cannot run errex as nobody"
            );
            return;
        }
    }
    let errex = |args: &[&std::ffi::OsStr]| {
        let mut cmd = if as_nobody {
            let mut c = Command::new("setpriv");
            c.args(NOBODY).arg(errex_bin());
            c
        } else {
            Command::cargo_bin("errex").expect("the binary is built")
        };
        clean_env(&mut cmd, h.path()).timeout(HANG_GUARD).args(args);
        run(&mut cmd)
    };
    for place in [&kb, &locked] {
        let out = errex(&["--kb".as_ref(), place.as_ref(), "VolumeInUse".as_ref()]);
        assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
        one_warning(&out, "locked", "cannot read directory");
        let out = errex(&["kb".as_ref(), "check".as_ref(), place.as_ref()]);
        assert_eq!(out.status.code(), Some(1), "{}", lossy(&out.stdout));
        assert!(lossy(&out.stdout).contains("locked:1:1: error: cannot read directory"));
    }
    restore();
}

/// A team catalog written to attack the terminal: an unknown key, text fields, aliases and a
/// file name full of escape sequences, C1 and bidi controls.
fn hostile_kb(h: &Path) -> PathBuf {
    let kb = h.join("kb");
    fs::create_dir_all(&kb).expect("mkdir");
    fs::write(
        kb.join("key.toml"),
        "service = \"ec2\"\n\n[[entry]]\ncode = \"VolumeInUse\"\n\"evil\\u001b]0;pwned\\u0007\\u001b[2J\" = \"x\"\nnotes = \"n\"\n",
    )
    .expect("write");
    fs::write(
        kb.join("text.toml"),
        r#"service = "team"

[[entry]]
code = "EvilThing"
category = "client"
retry = "never"
summary = "evil \u001b]0;pwned\u0007 summary \u202eexe.txt \u009b2J"
cause = "- cause \u001b[31mred\u001b[0m \u200f\u061c \u0085 \u0007 end"
remedy = "- remedy \u2066isolate\u2069 \u001bPdcs\u001b\\ done"
notes = "notes \u009b31m \u0090x\u009c"
aliases = ["alias\u001b[2J"]
tags = ["tag\u202e"]
"#,
    )
    .expect("write");
    fs::write(
        kb.join("notes.toml"),
        "service = \"ec2\"\n[[entry]]\ncode = \"AuthFailure\"\nnotes = \"team \\u001b]52;c;cHduZWQ=\\u0007 \\u202e \\u009b2J note\"\n",
    )
    .expect("write");
    fs::write(
        kb.join("named \u{1b}]0;pwned\u{7}\u{202e}.toml"),
        "service = \"team\"\n[[entry]]\ncode = \"NamedThing\"\ncategory = \"server\"\nretry = \"backoff\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\n",
    )
    .expect("write");
    fs::write(
        kb.join("broken \u{1b}[2J\u{9b}.toml"),
        "service = \"team\"\n[[entry]\n",
    )
    .expect("write");
    kb
}

const HOSTILE_LOG: &str = "An error occurred (AuthFailure) when calling the RunInstances operation: x\u{202e}y\u{200f}z\u{61c} \u{1b}]0;t\u{7} \u{9b}31m \u{85}\r\nAn error occurred (EvilThing) when calling the Pay operation: \u{1b}[2Jgone\n";

/// Issue 6: nothing from a team file, a file name, a command-line path or piped text reaches
/// the terminal raw in the text or Markdown output (stdout or stderr) of any command.
#[cfg(unix)]
#[test]
fn hostile_text_never_reaches_the_terminal() {
    let h = home();
    let kb = hostile_kb(h.path());
    let log = h.path().join("log \u{1b}]0;x\u{7}\u{202e}.txt");
    fs::write(&log, HOSTILE_LOG).expect("write");
    let commands: [&[&str]; 7] = [
        &["AuthFailure", "VolumeInUse"],
        &["EvilThing", "NamedThing", "team:EvilThin"],
        &["search", "evil"],
        &["search", "NamedThing"],
        &["list"],
        &["kb", "paths"],
        &["--full"],
    ];
    for format in ["text", "markdown"] {
        for args in commands {
            let what = format!("{format} {args:?}");
            let out = run(errex(h.path())
                .arg("--kb")
                .arg(&kb)
                .args(["--format", format])
                .args(args)
                .write_stdin(HOSTILE_LOG));
            assert!(
                out.status.code() != Some(2),
                "{what}: {}",
                lossy(&out.stderr)
            );
            assert_clean(&format!("stdout of {what}"), &out.stdout);
            assert_clean(&format!("stderr of {what}"), &out.stderr);
        }
        let out = run(errex(h.path())
            .arg("--kb")
            .arg(&kb)
            .args(["--format", format, "explain"])
            .arg(&log)
            .arg(&log));
        assert_clean("stdout of explain", &out.stdout);
        assert_clean("stderr of explain", &out.stderr);
        assert!(lossy(&out.stdout).contains("AuthFailure"));
    }
    // What was attacked is still shown, minus the attack.
    let out = run(errex(h.path()).arg("--kb").arg(&kb).arg("EvilThing"));
    let stdout = lossy(&out.stdout);
    assert!(
        stdout.contains("summary exe.txt") && stdout.contains("cause red"),
        "{stdout}"
    );
    let stderr = lossy(&out.stderr);
    assert!(
        stderr.contains("unknown field `evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J`"),
        "the unknown key is shown escaped: {stderr}"
    );
    assert!(
        stderr.contains("named") || stderr.contains("broken"),
        "{stderr}"
    );
    // kb check, text: every diagnostic printable.
    let out = run(errex(h.path()).args(["kb", "check"]).arg(&kb));
    assert_eq!(out.status.code(), Some(1));
    assert_clean("kb check", &out.stdout);
    assert_clean("kb check stderr", &out.stderr);
    assert!(lossy(&out.stdout).contains("unknown field `evil\\u{1b}"));
}

/// Issue 6: paths typed on the command line come back in error messages without their escapes.
#[test]
fn command_line_paths_in_errors_are_clean() {
    let h = home();
    let missing = h
        .path()
        .join("missing \u{1b}]0;pwned\u{7}\u{202e}\u{9b}2J.toml");
    let out = run(errex(h.path()).arg("--kb").arg(&missing).arg("AuthFailure"));
    assert_eq!(out.status.code(), Some(2));
    assert_clean("--kb missing", &out.stderr);
    assert!(
        lossy(&out.stderr).contains("missing"),
        "{}",
        lossy(&out.stderr)
    );
    let out = run(errex(h.path()).arg("explain").arg(&missing));
    assert_eq!(out.status.code(), Some(2));
    assert_clean("explain missing", &out.stderr);
    let out = run(errex(h.path()).args(["kb", "check"]).arg(&missing));
    assert_eq!(out.status.code(), Some(1));
    assert_clean("kb check missing", &out.stdout);
    let out = run(errex(h.path()).arg("Auth\u{1b}[2J\u{202e}Failure\u{9b}"));
    assert_clean("a code with escapes", &out.stdout);
    assert_clean("a code with escapes, stderr", &out.stderr);
}

/// Issue 6: JSON keeps every character, but only as `\u` escapes: U+202E from piped text (in a
/// file name) and U+009B from a team file come back when parsed and are never raw in the bytes.
#[cfg(unix)]
#[test]
fn json_escapes_what_text_removes() {
    let h = home();
    let kb = hostile_kb(h.path());
    let log = h.path().join("log\u{202e}txt.log");
    fs::write(&log, HOSTILE_LOG).expect("write");
    let lookups: [&[&str]; 6] = [
        &["EvilThing", "NamedThing", "AuthFailure"],
        &["search", "evil"],
        &["list", "--kind", "written"],
        &["kb", "paths"],
        &["explain", "-"],
        &["--full"],
    ];
    for args in lookups {
        let out = run(errex(h.path())
            .arg("--kb")
            .arg(&kb)
            .args(["--format", "json"])
            .args(args)
            .write_stdin(HOSTILE_LOG));
        assert_clean(&format!("JSON of {args:?}"), &out.stdout);
        assert_clean(&format!("stderr of {args:?}"), &out.stderr);
        json(&out.stdout);
    }
    let out = run(errex(h.path())
        .arg("--kb")
        .arg(&kb)
        .args(["--format", "json", "EvilThing"]));
    let raw = lossy(&out.stdout);
    let v = json(&out.stdout);
    let entry = &v["findings"][0]["entry"];
    assert!(
        entry["notes"]
            .as_str()
            .is_some_and(|n| n.contains('\u{9b}'))
    );
    assert!(raw.contains("\\u009b") && raw.contains("\\u001b") && raw.contains("\\u202e"));
    // A file name with U+202E, as piped text's `file`.
    let out = run(errex(h.path())
        .args(["--format", "json", "explain"])
        .arg(&log)
        .arg(&log));
    let raw = lossy(&out.stdout);
    let v = json(&out.stdout);
    let file = v["findings"][0]["occurrences"][0]["file"]
        .as_str()
        .expect("file");
    assert!(file.contains('\u{202e}'), "{file:?}");
    assert!(raw.contains("\\u202e"));
    assert_clean("JSON of explain", &out.stdout);
    // kb check: the unknown key's escapes, escaped.
    let out = run(errex(h.path())
        .args(["kb", "check", "--format", "json"])
        .arg(&kb));
    assert_eq!(out.status.code(), Some(1));
    assert_clean("JSON of kb check", &out.stdout);
    let v = json(&out.stdout);
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["message"]
                .as_str()
                .is_some_and(|m| m.contains("evil\u{1b}]0;pwned\u{7}")))
    );
}

/// One strong frame per line, for a code made of letters (`ZzAbcFailure`).
fn frame(i: usize) -> String {
    let mut name = String::from("Zz");
    let mut n = i;
    for k in 0..3 {
        let c = char::from(b'a' + (n % 26) as u8);
        name.push(if k == 0 { c.to_ascii_uppercase() } else { c });
        n /= 26;
    }
    format!("An error occurred ({name}Failure) when calling the RunInstances operation: m\n")
}

/// 1,000 codes seen three times each, then `extra` more codes seen `times` times each.
fn many_codes(extra: usize, times: usize) -> String {
    let mut s = String::new();
    for _ in 0..3 {
        for i in 0..MAX_CODES {
            s.push_str(&frame(i));
        }
    }
    for _ in 0..times {
        for i in MAX_CODES..MAX_CODES + extra {
            s.push_str(&frame(i));
        }
    }
    s
}

/// A file name of about 3,000 bytes: every sighting from it keeps its name, so a few thousand
/// sightings reach the byte bound without megabytes of input.
fn long_dir(h: &Path) -> PathBuf {
    let mut dir = h.to_path_buf();
    for k in 0..12 {
        dir.push(format!("{k}{}", "d".repeat(248)));
    }
    fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Issue 7: memory is bounded by bytes as well as by count. Through the library: the report
/// keeps at most `MAX_CODES` codes and `MAX_KEPT_BYTES` of sighting text, and counts the rest.
#[test]
fn piped_text_memory_is_bounded_by_bytes_and_by_count() {
    let ex = Extractor::new(&Catalog::builtin());
    let mut scanner = Scanner::new(&ex);
    scanner.feed(many_codes(500, 1).as_bytes());
    let scanned = scanner.finish();
    assert_eq!(scanned.found.len(), MAX_CODES);
    assert!(scanned.dropped_codes > 0);
    let mut merged = Report::default();
    let name = "f".repeat(3000);
    merged.absorb(scanned.clone(), Some(&name));
    let kept: usize = merged
        .found
        .iter()
        .flat_map(|f| &f.occurrences)
        .map(|o| o.weight())
        .sum();
    let one = 64 + name.len() + 100;
    assert_eq!(kept, merged.kept_bytes());
    assert!(
        merged.kept_bytes() <= MAX_KEPT_BYTES + one,
        "{} bytes kept",
        merged.kept_bytes()
    );
    assert!(merged.dropped_sightings > 0, "the byte bound was reached");
    let counted: u64 = merged.found.iter().map(|f| f.count).sum();
    let listed: u64 = merged
        .found
        .iter()
        .map(|f| f.occurrences.len() as u64)
        .sum();
    assert_eq!(counted, 3 * MAX_CODES as u64, "every sighting is counted");
    assert_eq!(
        counted - listed,
        merged.dropped_sightings,
        "what was not kept is what was dropped"
    );
    assert_eq!(merged.found.len(), MAX_CODES);
    assert_eq!(merged.dropped_codes, scanned.dropped_codes);
}

/// `dropped_codes` counts distinct codes, not their sightings: 10 more codes seen 50 times
/// each are "10 more were counted but not listed", not 500.
#[test]
fn dropped_codes_counts_distinct_codes() {
    let ex = Extractor::new(&Catalog::builtin());
    let mut scanner = Scanner::new(&ex);
    scanner.feed(many_codes(10, 50).as_bytes());
    let report = scanner.finish();
    assert_eq!(report.dropped_codes, 10);
}

/// Issue 7, on the command line: the output says what was dropped, in text and JSON.
#[test]
fn piped_text_says_what_was_dropped() {
    let h = home();
    let dir = long_dir(h.path());
    let log = dir.join("a.log");
    fs::write(&log, many_codes(500, 1)).expect("write");
    for format in ["text", "json"] {
        let out = run(errex(h.path())
            .args(["--format", format, "explain"])
            .arg(&log)
            .arg("/dev/null"));
        assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
        let err = lossy(&out.stderr);
        assert!(
            err.contains("the input names more than 1000 different codes;")
                && err.contains("more were counted but not listed"),
            "{err}"
        );
        assert!(
            err.contains("sightings were counted but their context not kept"),
            "{err}"
        );
        if format == "json" {
            let v = json(&out.stdout);
            let findings = v["findings"].as_array().expect("findings");
            assert_eq!(findings.len(), MAX_CODES);
            let counted: u64 = findings.iter().filter_map(|f| f["count"].as_u64()).sum();
            let listed: usize = findings
                .iter()
                .filter_map(|f| f["occurrences"].as_array())
                .map(Vec::len)
                .sum();
            let dropped: u64 = err
                .lines()
                .filter(|l| l.contains("sightings were counted"))
                .find_map(|l| {
                    l.strip_prefix("errex: warning: ")?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()
                })
                .expect("a count of dropped sightings");
            assert_eq!(counted - listed as u64, dropped, "{err}");
        }
    }
}

/// Issue 8: a 131 KB unknown code and thousands of unknown codes finish, still with
/// suggestions for real typos. (The bound on the work is the unit test
/// `catalog::tests::suggestions_compare_few_codes`; 10,000 codes are measured by hand with a
/// release build, as this debug build is some 20 times slower.)
#[test]
fn did_you_mean_survives_a_huge_code_and_many_codes() {
    let h = home();
    // Just under the 128 KiB Linux allows one argument.
    let out = run(errex(h.path()).arg("Z".repeat(131_000)));
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = (0..2_000).map(|i| format!("ZzUnknown{i}Thing")).collect();
    let out = run(errex(h.path())
        .args(["--format", "json"])
        .args(&codes)
        .arg("AuthFailur"));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2_001);
    assert_eq!(findings[2_000]["suggestions"][0], "AuthFailure");
}

/// Issue 9: JSON to a closed pipe ends quietly: status 0, nothing on stderr.
#[test]
fn json_to_a_closed_pipe_ends_quietly() {
    let h = home();
    let bin = errex_bin();
    let lots = many_codes(0, 0);
    let runs: [(&[&str], Option<&str>); 4] = [
        (&["--format", "json", "list"], None),
        (
            &["--format", "json", "search", "invalid", "-n", "5000"],
            None,
        ),
        (
            &["--format", "json", "AccessDenied", "ThrottlingException"],
            None,
        ),
        (&["--format", "json"], Some(&lots)),
    ];
    for (args, stdin) in runs {
        let mut child = StdCommand::new(&bin)
            .env_clear()
            .env("HOME", h.path())
            .env("XDG_CONFIG_HOME", h.path().join("config"))
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            std::io::Write::write_all(&mut pipe, input.as_bytes()).expect("input");
        }
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let out = child.wait_with_output().expect("exits");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any query, pasted log or noise, ranks without panicking, each item at most once, and
    /// within the catalog.
    #[test]
    fn search_ranks_any_query(query in "(\\PC|[():<>\"'.\\-_ \\n\\t\u{1b}\u{202e}]|An error occurred \\(|AccessDenied|i-0abc|s3:){0,24}") {
        static INDEX: std::sync::OnceLock<(&'static Catalog, Index<'static>)> = std::sync::OnceLock::new();
        let (_, index) = INDEX.get_or_init(|| {
            let cat: &'static Catalog = Box::leak(Box::new(Catalog::builtin()));
            (cat, Index::new(cat))
        });
        let hits = index.rank(&query, |_| true);
        prop_assert!(hits.len() <= index.len());
        let mut seen = vec![false; index.len()];
        for h in &hits {
            prop_assert!(h.index < index.len());
            prop_assert!(!seen[h.index], "{} twice", h.index);
            seen[h.index] = true;
            let code_len = index.items()[h.index].code.chars().count();
            prop_assert!(h.code_matches.iter().all(|&c| c < code_len));
        }
    }
}
