//! The output modes of piped text, end to end: `--tee` (a byte-exact copy that streams, with a
//! note under the first sighting of each code), `run -- CMD` (the command's output and status,
//! the digest after), the pager (never when stdout is a pipe), `--format github` (workflow
//! commands, escaped as the runner expects), the digest before the per-code sections, `--full`,
//! the width, and "nothing found" on stderr with status 1. Every command runs with a clean
//! environment (no user catalogs, no colour settings) so results do not depend on the machine.
//!
//! Tests that fail because the program is wrong are kept, marked `#[ignore = "fails: ..."]`
//! with the reason, and un-ignored when it is fixed.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{
    errex, errex_bin, fits, fixture, fixture_path, home, json, output, stderr_text, stdout,
    stdout_string, stdout_text, too_wide,
};
use serde_json::Value;

mod common;

/// The note `--tee` and `run` print under a line: `errex ▸ Code (Service): ...`.
const NOTE: &str = "errex ▸ ";

const ACCESS_DENIED: &str =
    "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied";

// --tee

#[test]
fn tee_copies_input_byte_for_byte_and_explains_each_code_once() {
    let h = home();
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(b"starting deploy\n");
    input.extend_from_slice(format!("{ACCESS_DENIED}\n").as_bytes());
    input.extend_from_slice(b"a line with CRLF\r\n");
    input.extend_from_slice(b"bytes that are not UTF-8: \xff\xfe\ttab\n");
    input.extend_from_slice(format!("retrying: {ACCESS_DENIED}\n").as_bytes());
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"the last line has no newline");
    let out = output(errex(h.path()).arg("--tee").write_stdin(input.clone()), 0);
    let copied: Vec<u8> = out
        .stdout
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(NOTE.as_bytes()))
        .flatten()
        .copied()
        .collect();
    assert_eq!(
        String::from_utf8_lossy(&copied),
        String::from_utf8_lossy(&input),
        "without the notes, the output is the input"
    );
    assert_eq!(copied, input, "byte for byte");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let notes: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with(NOTE))
        .collect();
    assert_eq!(notes, [2], "one note, under the first sighting:\n{text}");
    assert!(
        lines[2].starts_with("errex ▸ AccessDenied (S3): ") && lines[1] == ACCESS_DENIED,
        "{text}"
    );
    assert!(
        text.ends_with("the last line has no newline"),
        "the last line is passed on without a newline added: {text:?}"
    );
}

#[test]
fn tee_streams_each_line_before_the_input_ends() {
    let h = home();
    let mut child = StdCommand::new(errex_bin())
        .arg("--tee")
        .env_clear()
        .env("HOME", h.path())
        .env("XDG_CONFIG_HOME", h.path().join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn errex --tee");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut line = Vec::new();
            match r.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if tx.send(line).is_err() {
                        return;
                    }
                }
            }
        }
    });
    // Only a guard against hanging forever: the lines must come back while stdin is open.
    let guard = Duration::from_secs(120);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"first line\n").expect("write");
    stdin.flush().expect("flush");
    let got = rx
        .recv_timeout(guard)
        .expect("the first line is copied before the input ends");
    assert_eq!(got, b"first line\n");
    stdin
        .write_all(format!("{ACCESS_DENIED}\n").as_bytes())
        .expect("write");
    stdin.flush().expect("flush");
    let got = rx.recv_timeout(guard).expect("the error line, streamed");
    assert_eq!(got, format!("{ACCESS_DENIED}\n").as_bytes());
    let note = rx.recv_timeout(guard).expect("its note, streamed");
    let note = String::from_utf8_lossy(&note);
    assert!(note.starts_with("errex ▸ AccessDenied (S3): "), "{note}");
    drop(stdin);
    let status = child.wait().expect("exits once stdin closes");
    assert!(status.success(), "{status:?}");
    reader.join().expect("the reader ends");
    assert!(rx.try_recv().is_err(), "nothing more after the input ended");
}

#[test]
fn tee_on_a_large_file_copies_it_and_notes_each_code_under_its_line() {
    // Megabytes read from a file are scanned in blocks on several threads: codes far apart,
    // one where a block is likely to end, and the same code again later.
    let h = home();
    let path = h.path().join("big.log");
    let mut input: Vec<u8> = Vec::new();
    let mut expect: Vec<(usize, &str)> = Vec::new();
    let errors = [
        (1_000, ACCESS_DENIED, "errex ▸ AccessDenied (S3): "),
        (
            40_000,
            "api error InsufficientInstanceCapacity: We currently do not have sufficient capacity",
            "errex ▸ InsufficientInstanceCapacity (EC2): ",
        ),
        (60_000, ACCESS_DENIED, ""),
        (
            90_000,
            "operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 4f0e, api error VcpuLimitExceeded: You have requested more vCPU capacity",
            "errex ▸ VcpuLimitExceeded (EC2): ",
        ),
    ];
    for i in 1..=100_000 {
        match errors.iter().find(|e| e.0 == i) {
            Some((_, line, note)) => {
                input.extend_from_slice(format!("{line}\n").as_bytes());
                if !note.is_empty() {
                    expect.push((i, note));
                }
            }
            None => input.extend_from_slice(
                format!("2026-12-07T06:00:00Z INFO worker {i} processed a batch in {i}ms\n")
                    .as_bytes(),
            ),
        }
    }
    fs::write(&path, &input).expect("write the log");
    let out = output(
        errex(h.path())
            .arg("--tee")
            .pipe_stdin(&path)
            .expect("the log as stdin"),
        0,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let notes: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(NOTE))
        .map(|(i, l)| (i, *l))
        .collect();
    assert_eq!(notes.len(), expect.len(), "one note per code: {notes:?}");
    for (k, ((at, note), (line, prefix))) in notes.iter().zip(&expect).enumerate() {
        // Right under its input line (0-based `at`), after the notes before it.
        assert_eq!(at - k, *line, "{note}");
        assert!(note.starts_with(prefix), "{note}");
    }
    let copied: Vec<u8> = out
        .stdout
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(NOTE.as_bytes()))
        .flatten()
        .copied()
        .collect();
    assert!(copied == input, "without the notes, the output is the file");
}

#[test]
fn tee_passes_on_a_line_in_progress_while_the_input_waits() {
    // A prompt (`Enter a value: `) has no line end until someone answers it: it must show.
    let h = home();
    let mut child = StdCommand::new(errex_bin())
        .arg("--tee")
        .env_clear()
        .env("HOME", h.path())
        .env("XDG_CONFIG_HOME", h.path().join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn errex --tee");
    let mut stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match std::io::Read::read(&mut stdout, &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let guard = Duration::from_secs(120);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut got: Vec<u8> = Vec::new();
    // Reads until what came out satisfies `done`.
    let until = |got: &mut Vec<u8>, what: &str, done: &dyn Fn(&[u8]) -> bool| {
        while !done(got) {
            let piece = rx.recv_timeout(guard).unwrap_or_else(|_| {
                panic!("waiting for {what}: {:?}", String::from_utf8_lossy(got))
            });
            got.extend_from_slice(&piece);
        }
    };
    stdin.write_all(b"Enter a value: ").expect("write");
    stdin.flush().expect("flush");
    until(&mut got, "the prompt", &|g| g.ends_with(b"Enter a value: "));
    // The rest of the line, holding a code: the note comes under the whole line.
    stdin
        .write_all(format!("yes\n{ACCESS_DENIED}").as_bytes())
        .expect("write");
    stdin.flush().expect("flush");
    until(&mut got, "the error so far", &|g| {
        g.ends_with(ACCESS_DENIED.as_bytes())
    });
    stdin.write_all(b" (retrying)\n").expect("write");
    stdin.flush().expect("flush");
    until(&mut got, "the note", &|g| {
        g.ends_with(b"\n") && String::from_utf8_lossy(g).contains(NOTE)
    });
    let text = String::from_utf8_lossy(&got).into_owned();
    assert!(
        text.starts_with(&format!(
            "Enter a value: yes\n{ACCESS_DENIED} (retrying)\nerrex ▸ AccessDenied (S3): "
        )),
        "{text:?}"
    );
    drop(stdin);
    assert!(child.wait().expect("exits").success());
    reader.join().expect("the reader ends");
}

// run -- CMD ARGS...

#[test]
fn run_passes_output_through_and_exits_with_the_commands_status() {
    let h = home();
    let script = format!("echo out-line; echo \"{ACCESS_DENIED}\" >&2; exit 3");
    let out = output(errex(h.path()).args(["run", "--", "sh", "-c", &script]), 3);
    assert_eq!(
        stdout_text(&out),
        "out-line\n",
        "the command's stdout is untouched"
    );
    let err = stderr_text(&out);
    let passed = err
        .find(&format!("{ACCESS_DENIED}\n"))
        .expect("the command's stderr is passed through");
    // The line number counts the command's stdout and stderr lines in the order they
    // arrived, which the two pipes do not fix: line 1 or 2.
    let digest = err
        .find("1 AWS error in the input, 1 code:\n  AccessDenied  S3 · line ")
        .unwrap_or_else(|| panic!("the digest names AccessDenied:\n{err}"));
    assert!(passed < digest, "the digest comes at the end:\n{err}");
    assert!(
        err[digest..].contains("\n── AccessDenied · S3 · line "),
        "a section follows the digest:\n{err}"
    );
}

#[test]
fn run_a_command_without_errors_exits_0_and_adds_nothing() {
    let h = home();
    let out = output(
        errex(h.path()).args([
            "run",
            "--",
            "sh",
            "-c",
            "echo all good; echo warming up >&2",
        ]),
        0,
    );
    assert_eq!(stdout_text(&out), "all good\n");
    assert_eq!(stderr_text(&out), "warming up\n");
}

#[test]
fn run_a_missing_command_is_a_clear_error_with_status_127() {
    let h = home();
    let out = output(
        errex(h.path()).args(["run", "--", "no-such-command-errex-test", "--flag"]),
        127,
    );
    assert!(out.stdout.is_empty());
    let err = stderr_text(&out);
    assert!(
        err.starts_with("errex: cannot run no-such-command-errex-test: "),
        "{err}"
    );
}

// The pager

#[test]
fn piped_stdout_never_uses_the_pager() {
    let h = home();
    let marker = h.path().join("pager-ran");
    let pager = h.path().join("pager.sh");
    fs::write(
        &pager,
        format!("#!/bin/sh\ntouch '{}'\ncat\n", marker.display()),
    )
    .expect("write the pager");
    StdCommand::new("chmod")
        .arg("+x")
        .arg(&pager)
        .status()
        .expect("chmod");
    let long_input = fixture("positive/terraform.txt");
    for (what, args, stdin) in [
        ("a lookup", vec!["UnauthorizedOperation"], None),
        ("the list", vec!["list"], None),
        ("piped text", vec![], Some(long_input.clone())),
        (
            "piped text, --full",
            vec!["--full"],
            Some(long_input.clone()),
        ),
        ("--no-pager", vec!["--no-pager", "--full"], Some(long_input)),
    ] {
        let mut cmd = errex(h.path());
        cmd.env("PAGER", &pager).args(&args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let out = output(&mut cmd, 0);
        assert!(
            out.stdout.iter().filter(|&&b| b == b'\n').count() > 30,
            "{what}: long enough to page on a terminal"
        );
        assert!(!marker.exists(), "{what}: the pager ran on a pipe");
    }
}

// --format github

/// The workflow commands in `out`, each checked for its shape: `::error ` or `::warning `,
/// properties, `::`, a message.
fn annotations(out: &str) -> Vec<&str> {
    let lines: Vec<&str> = out.lines().collect();
    for l in &lines {
        assert!(
            (l.starts_with("::error ") || l.starts_with("::warning "))
                && l.contains("title=")
                && l.splitn(4, "::").count() == 3,
            "not a workflow command: {l:?}"
        );
    }
    lines
}

#[test]
fn github_annotations_one_per_finding_with_the_operation() {
    let h = home();
    let out = output(
        errex(h.path())
            .args(["--format", "github"])
            .write_stdin(fixture("positive/terraform_v5.txt")),
        0,
    );
    let text = stdout_text(&out);
    let lines = annotations(&text);
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("::error title=403 (S3)::HeadBucket: "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("::error title=InvalidParameterCombination (EC2)::RunInstances: "),
        "{text}"
    );
    assert!(
        lines[2].starts_with("::error title=AccessDenied (STS)::AssumeRole: "),
        "{text}"
    );
    assert!(out.stderr.is_empty(), "{}", stderr_text(&out));
}

#[test]
fn github_a_repeated_code_is_one_annotation() {
    let h = home();
    let input = format!("{ACCESS_DENIED}\nretrying\n{ACCESS_DENIED}\n");
    let text = stdout_string(
        errex(h.path())
            .args(["--format", "github"])
            .write_stdin(input),
        0,
    );
    assert_eq!(annotations(&text).len(), 1, "{text}");
}

/// A team file whose summary and first step hold `%`, `:` and `,`.
fn team_kb(dir: &Path) -> PathBuf {
    let path = dir.join("team.toml");
    fs::write(
        &path,
        r#"service = "payments-api"

[[entry]]
code = "CardDeclined.Limit"
category = "client"
summary = "The card issuer declined: 100% of the limit, or more, is used"
cause = """
- The card is at its limit.
"""
remedy = """
- Ask the customer to use another card, or wait: 50%, then retry.
"""
retry = "never"
"#,
    )
    .expect("write the team file");
    path
}

#[test]
fn github_escapes_the_message_and_the_properties() {
    let h = home();
    let team = team_kb(h.path());
    let odd = "ci,run:1%\nretry.log";
    fs::write(
        h.path().join(odd),
        "charge failed: CardDeclined.Limit: over the limit\n",
    )
    .expect("write the log");
    fs::write(h.path().join("deploy.log"), format!("{ACCESS_DENIED}\n")).expect("write");
    let text = stdout_string(
        errex(h.path())
            .current_dir(h.path())
            .arg("--kb")
            .arg(&team)
            .args(["--format", "github", "explain", odd, "deploy.log"]),
        0,
    );
    let lines = annotations(&text);
    assert_eq!(lines.len(), 2, "{text}");
    let (props, message) = lines[0]
        .strip_prefix("::error ")
        .and_then(|l| l.split_once("::"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        props,
        "file=ci%2Crun%3A1%25%0Aretry.log,line=1,title=CardDeclined.Limit (payments-api)"
    );
    assert!(
        message.starts_with("The card issuer declined: 100%25 of the limit, or more, is used"),
        "in the message only `%`, CR and LF are escaped: {message}"
    );
    assert!(message.contains("wait: 50%25, then retry."), "{message}");
    assert!(
        lines[1].starts_with("::error file=deploy.log,line=1,title=AccessDenied (S3)::PutObject: "),
        "{text}"
    );
}

#[test]
fn github_escapes_a_carriage_return_as_0d() {
    let h = home();
    let odd = "ci,run:1%\r\nretry.log";
    fs::write(h.path().join(odd), format!("{ACCESS_DENIED}\n")).expect("write the log");
    fs::write(h.path().join("deploy.log"), format!("{ACCESS_DENIED}\n")).expect("write");
    let text = stdout_string(
        errex(h.path()).current_dir(h.path()).args([
            "--format",
            "github",
            "explain",
            odd,
            "deploy.log",
        ]),
        0,
    );
    assert!(
        text.starts_with("::error file=ci%2Crun%3A1%25%0D%0Aretry.log,line=1,"),
        "{text}"
    );
}

#[test]
fn github_file_and_line_for_a_single_file_argument() {
    let h = home();
    let path = fixture_path("positive/terraform_v5.txt");
    let text = stdout_string(
        errex(h.path())
            .args(["--format", "github", "explain"])
            .arg(&path),
        0,
    );
    let file = path
        .display()
        .to_string()
        .replace(':', "%3A")
        .replace(',', "%2C");
    let lines = annotations(&text);
    for (line, n) in lines.iter().zip([5, 13, 34]) {
        assert!(
            line.starts_with(&format!("::error file={file},line={n},title=")),
            "{text}"
        );
    }
}

// The digest, --full and the width

#[test]
fn digest_first_then_a_section_per_code_in_80_columns() {
    let h = home();
    let text = stdout_string(
        errex(h.path())
            .args(["--width", "80"])
            .write_stdin(fixture("positive/terraform_v5.txt")),
        0,
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "3 AWS errors in the input, 3 codes:",
            "  403                          S3 · line 5 · don't retry",
            "  InvalidParameterCombination  EC2 · line 13 · don't retry",
            "  AccessDenied                 STS · line 34 · don't retry",
            "",
        ],
        "{text}"
    );
    let sections: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("── "))
        .collect();
    assert_eq!(
        sections,
        [
            "── 403 · S3 · line 5",
            "── InvalidParameterCombination · EC2 · line 13",
            "── AccessDenied · STS · line 34"
        ]
    );
    assert!(
        lines[5].starts_with("── 403 · S3"),
        "the first section follows the digest:\n{text}"
    );
    assert!(
        text.contains("  line 13: RunInstances, HTTP 400\n    request id 3d5f7b9c-1e3a-4c5e-9a7b-9d1f3b5c7e9a\n"),
        "{text}"
    );
    assert!(
        !text.contains("\nCause\n"),
        "no whole entries without --full"
    );
    assert!(fits(&text, 80), "{:#?}", too_wide(&text, 80));
}

#[test]
fn full_prints_every_entry_whole_after_the_digest() {
    let h = home();
    let text = stdout_string(
        errex(h.path())
            .args(["--width", "80", "--full"])
            .write_stdin(fixture("positive/awscli_v2_retries.txt")),
        0,
    );
    assert!(
        text.starts_with("3 AWS errors in the input, 3 codes:\n  AccessDenied  "),
        "{text}"
    );
    for heading in ["\nCause\n", "\nRemedy\n", "\nDocs     https://"] {
        assert_eq!(
            text.matches(heading).count(),
            3,
            "{heading:?} once per code:\n{text}"
        );
    }
    assert!(
        !text.contains("First steps:"),
        "--full replaces the first steps"
    );
    assert!(fits(&text, 80), "{:#?}", too_wide(&text, 80));
}

#[test]
fn every_shape_fixture_fits_80_columns() {
    let h = home();
    let mut wide: Vec<String> = Vec::new();
    for name in [
        "clojure_aws_api.txt",
        "ruby_v1.txt",
        "js_v2_node.txt",
        "go_v1_k8s_box.txt",
        "ec2_fleet_json.txt",
        "several_codes_one_line.txt",
        "lowercased.txt",
        "java_v2_exception_suffix.txt",
        "java_v2_codeless.txt",
        "cfn_handler.txt",
        "cloudtrail.txt",
        "awscli_v2_retries.txt",
        "terraform_v5.txt",
        "trailing_context.txt",
    ] {
        for full in [false, true] {
            let mut cmd = errex(h.path());
            cmd.args(["--width", "80"]);
            if full {
                cmd.arg("--full");
            }
            let text = stdout_string(cmd.write_stdin(fixture(&format!("positive/{name}"))), 0);
            wide.extend(
                too_wide(&text, 80)
                    .into_iter()
                    .map(|l| format!("{name} (full: {full}): {l}")),
            );
        }
    }
    assert!(wide.is_empty(), "{wide:#?}");
}

#[test]
fn digest_line_fits_when_a_code_is_seen_in_several_places() {
    let h = home();
    let joined = fixture("positive/several_codes_one_line.txt");
    fs::write(h.path().join("karpenter.log"), &joined).expect("write");
    fs::write(h.path().join("nodes.log"), &joined).expect("write");
    let text = stdout_string(
        errex(h.path()).current_dir(h.path()).args([
            "--width",
            "80",
            "explain",
            "karpenter.log",
            "nodes.log",
        ]),
        0,
    );
    let digest: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    assert!(fits(&digest.join("\n"), 80), "{digest:#?}");
}

#[test]
fn digest_does_not_call_an_ambiguous_known_code_unknown() {
    let h = home();
    let text = stdout_string(
        errex(h.path())
            .args(["--width", "80"])
            .write_stdin(CONDITIONAL),
        0,
    );
    let line = text.lines().nth(1).expect("a digest line");
    assert!(
        line.contains("dynamodb") && !line.contains("unknown code"),
        "{text}"
    );
}

/// A code DynamoDB and two other services return, printed without a word that names the
/// service, and with a message no entry's pattern matches.
const CONDITIONAL: &str = "{\"__type\":\"ConditionalCheckFailedException\",\"message\":\"Condition not met for the request\"}\n";

#[test]
fn a_shared_codes_documented_message_names_its_service() {
    // DynamoDB's message for the same code: no longer a guess among three services.
    let h = home();
    let text = stdout_string(
        errex(h.path()).args(["--width", "80"]).write_stdin(
            "{\"__type\":\"ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}\n",
        ),
        0,
    );
    let line = text.lines().nth(1).expect("a digest line");
    assert!(line.contains("DynamoDB") && !line.contains('?'), "{text}");
}

#[test]
fn an_ambiguous_known_code_is_explained_per_service_in_every_format() {
    let h = home();
    let run = |format: &str| {
        stdout_string(
            errex(h.path())
                .args(["--width", "80", "--format", format])
                .write_stdin(CONDITIONAL),
            0,
        )
    };
    let text = run("text");
    assert!(
        text.contains("Known in 3 services; the text does not say which:")
            && text.contains("    • DynamoDB: ")
            && text.contains("Everything: errex dynamodb:ConditionalCheckFailedException"),
        "{text}"
    );
    let markdown = run("markdown");
    assert!(
        markdown.contains("| ? | 1 | known in 3 services |")
            && markdown.contains("- DynamoDB: ")
            && !markdown.contains("no entry of their own"),
        "{markdown}"
    );
    assert!(
        !markdown
            .lines()
            .any(|l| l.starts_with("- line") && l.ends_with(':')),
        "no dangling colon: {markdown}"
    );
    let github = run("github");
    assert!(
        github.contains("::Known in 3 services (DynamoDB, ") && !github.contains("Unknown code"),
        "{github}"
    );
}

#[test]
fn piped_text_does_not_repeat_an_unknown_code_under_its_heading() {
    let h = home();
    let text = stdout_string(
        errex(h.path())
            .args(["--width", "80"])
            .write_stdin(
                "│ Error: creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 3d5f7b9c, api error MadeUpCapacityFailure: no capacity today\n",
            ),
        0,
    );
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("── MadeUpCapacityFailure"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        section.iter().all(|l| l.starts_with("  ")),
        "every line of a section is indented under its heading: {section:#?}"
    );
    assert!(
        section.iter().any(|l| l.contains("Not in the catalog")),
        "{section:#?}"
    );
}

#[test]
fn markdown_counts_read_as_words() {
    let h = home();
    let text = stdout_string(
        errex(h.path())
            .args(["--format", "markdown"])
            .write_stdin(fixture("positive/terraform_v5.txt")),
        0,
    );
    assert!(
        text.starts_with("**3 AWS errors in the input, 3 codes:**"),
        "{text}"
    );
    assert!(text.contains("Seen 1 time, line 5."), "{text}");
    assert!(!text.contains("(s)"), "{text}");
}

#[test]
fn github_names_the_other_files_a_code_was_seen_in() {
    let h = home();
    let joined = fixture("positive/several_codes_one_line.txt");
    fs::write(h.path().join("karpenter.log"), &joined).expect("write");
    fs::write(h.path().join("nodes.log"), &joined).expect("write");
    let text = stdout_string(
        errex(h.path()).current_dir(h.path()).args([
            "--format",
            "github",
            "explain",
            "karpenter.log",
            "nodes.log",
        ]),
        0,
    );
    // The line joins two errors; each code is one annotation however often it was seen.
    let lines: Vec<_> = annotations(&text)
        .into_iter()
        .filter(|l| l.contains("title=InsufficientInstanceCapacity"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with("::warning file=karpenter.log,line=1,")
            && lines[0].contains("it is not your quota. First step: ")
            && lines[0].contains(" Also seen at line 3, nodes.log:1, nodes.log:3. Everything: "),
        "{text}"
    );
}

// Nothing found

#[test]
fn nothing_found_goes_to_stderr_in_every_format_with_status_1() {
    let h = home();
    let negative = fixture_path("negative/aws_without_errors.txt");
    for format in ["text", "markdown", "json", "github"] {
        for from_file in [false, true] {
            let mut cmd = errex(h.path());
            cmd.args(["--format", format]);
            if from_file {
                cmd.arg("explain").arg(&negative);
            } else {
                cmd.write_stdin(fixture("negative/aws_without_errors.txt"));
            }
            let out = output(&mut cmd, 1);
            let what = format!("{format}, from a file: {from_file}");
            assert_eq!(
                stderr_text(&out),
                "errex: no AWS error codes found in the input\n",
                "{what}"
            );
            if format == "json" {
                assert_eq!(
                    json(&out.stdout)["findings"],
                    Value::Array(vec![]),
                    "{what}"
                );
            } else {
                assert!(out.stdout.is_empty(), "{what}: {}", stdout_text(&out));
            }
        }
    }
}

/// `--service` on piped text: the service of the codes whose service the text does not say,
/// never over what the text says.
#[test]
fn service_option_names_the_service_the_text_does_not() {
    let h = home();
    let text = "An error occurred (ConditionalCheckFailedException): The conditional request failed\n\
                An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n";
    let services = |args: &[&str]| -> Vec<(String, Value)> {
        let out = stdout(
            errex(h.path())
                .args(["--format", "json"])
                .args(args)
                .write_stdin(text),
            0,
        );
        let v: Value = serde_json::from_slice(&out).expect("json");
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or("").to_owned(),
                    f["service"].clone(),
                )
            })
            .collect()
    };
    let plain = services(&[]);
    assert_eq!(
        plain[0],
        ("ConditionalCheckFailedException".into(), Value::Null),
        "{plain:?}"
    );
    assert_eq!(plain[1].1, "s3", "{plain:?}");
    let assumed = services(&["--service", "dynamodb"]);
    assert_eq!(assumed[0].1, "dynamodb", "{assumed:?}");
    assert_eq!(
        assumed[1].1, "s3",
        "the text's own service stays: {assumed:?}"
    );
}
