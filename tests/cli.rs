//! The command line, end to end: real arguments and real piped text in, JSON parsed out, exit
//! statuses checked. Every command runs with a clean environment (no user catalogs, no colour
//! settings) so results do not depend on the machine.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use common::{errex, errex_bin, fits, fixture, home, json, stdout, stdout_string};
use serde_json::Value;

mod common;

#[test]
fn lookup_is_case_insensitive_and_explains() {
    let h = home();
    let text = stdout_string(errex(h.path()).arg("unauthorizedoperation"), 0);
    assert!(
        text.starts_with("UnauthorizedOperation  EC2 · client · HTTP 403 · don't retry\n"),
        "{text}"
    );
    for section in [
        "\nCause\n",
        "\nRemedy\n",
        "\nRetry (never)\n",
        "\nDocs     https://",
    ] {
        assert!(text.contains(section), "missing {section:?}");
    }
    assert!(fits(&text, 80), "wrapped at 80 columns:\n{text}");
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn json_lookup_contract_with_known_prefixed_and_unknown_codes() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args([
            "--format",
            "json",
            "ec2:AuthFailure",
            "Client.RequestLimitExceeded",
            "nosuch",
        ]),
        0,
    ));
    let findings = v["findings"].as_array().expect("findings");
    let pairs: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["service"].as_str().unwrap_or("-"),
                f["code"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(pairs[0], ("ec2", "AuthFailure"));
    assert!(
        pairs.contains(&("ec2", "RequestLimitExceeded"))
            && pairs.contains(&("dynamodb", "RequestLimitExceeded")),
        "the catalog's spelling, prefix dropped, every service that has it: {pairs:?}"
    );
    assert_eq!(pairs.last(), Some(&("-", "nosuch")));
    for f in &findings[..findings.len() - 1] {
        assert_eq!(f["known"], true);
        if f["kind"] != "written" {
            continue;
        }
        let e = &f["entry"];
        for key in [
            "service",
            "code",
            "category",
            "summary",
            "cause",
            "remedy",
            "retry",
            "http_status",
            "related",
            "docs",
            "source",
            "messages",
            "weight",
        ] {
            assert!(e.get(key).is_some(), "entry has {key}");
        }
        assert_eq!(f["suggestions"], Value::Array(vec![]));
    }
    assert_eq!(findings[1]["entry"]["retry"], "backoff");
    let unknown = findings.last().expect("one");
    assert_eq!(unknown["known"], false);
    assert_eq!(unknown["kind"], Value::Null);
    assert_eq!(unknown["entry"], Value::Null);
    assert!(unknown["suggestions"].is_array());
    assert!(
        findings.iter().all(|f| f.get("occurrences").is_none()),
        "lookups have no occurrences"
    );
}

#[test]
fn unknown_code_gets_suggestions_and_status_1() {
    let h = home();
    let text = stdout_string(errex(h.path()).arg("AuthFailur"), 1);
    assert!(text.contains("Did you mean: AuthFailure"), "{text}");
    errex(h.path()).arg("nosuch").assert().code(1);
    let out = errex(h.path())
        .args(["--format", "json", "InvalidWidgetId.NotFound"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["findings"][0]["family"]["pattern"], "*NotFound*");
}

#[test]
fn case_variants_are_all_shown_exact_first() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args(["--format", "json", "InvalidSubnetId.NotFound"]),
        0,
    ));
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["code"].as_str().expect("str"))
        .collect();
    assert_eq!(
        codes,
        ["InvalidSubnetId.NotFound", "InvalidSubnetID.NotFound"]
    );
    let out = errex(h.path())
        .args(["--format", "json", "invalidsubnetid.notfound"])
        .assert()
        .success();
    assert_eq!(
        json(&out.get_output().stdout)["findings"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn list_json_has_every_reference_code_and_filters_by_category() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args(["list", "--format", "json"]),
        0,
    ));
    let entries = v["entries"].as_array().expect("entries");
    assert!(entries.len() >= 6000, "{}", entries.len());
    let written: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "written").collect();
    assert!(written.len() >= 489 + 300, "{}", written.len());
    assert!(
        written
            .iter()
            .all(|e| !e["cause"].as_str().unwrap_or("").is_empty()
                && !e["remedy"].as_str().unwrap_or("").is_empty())
    );
    // Every service of the SDK models is listed.
    let mut services: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["service"].as_str())
        .collect();
    services.sort_unstable();
    services.dedup();
    for s in errex::catalog::registry::services() {
        if s.uid.is_empty() || s.id == "ec2" || s.id == "sagemaker-metrics" {
            continue;
        }
        assert!(services.binary_search(&s.id).is_ok(), "{} is listed", s.id);
    }
    let servers = json(&stdout(
        errex(h.path()).args(["list", "--category", "server", "--format", "json"]),
        0,
    ));
    let servers = servers["entries"].as_array().expect("entries");
    assert!(!servers.is_empty() && servers.iter().all(|e| e["category"] == "server"));
    let out = errex(h.path())
        .args(["list", "--retry", "capacity"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout).contains("InsufficientInstanceCapacity")
    );
}

#[test]
fn search_ranks_exact_then_prefix_then_fuzzy_with_limit() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args(["search", "invalidamiid", "--limit", "3", "--format", "json"]),
        0,
    ));
    let codes: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), 3);
    assert!(
        codes.iter().all(|c| c.starts_with("InvalidAMIID")),
        "{codes:?}"
    );
    let out = errex(h.path())
        .args(["search", "InvalidAMIID.NotFound", "-n", "1"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).starts_with("InvalidAMIID.NotFound"));
    let v = json(&stdout(
        errex(h.path()).args(["search", "insufcap", "--format", "json"]),
        0,
    ));
    let top: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .take(10)
        .map(|e| e["code"].as_str().unwrap_or(""))
        .collect();
    assert!(top.contains(&"InsufficientInstanceCapacity"), "{top:?}");
    let out = errex(h.path())
        .args(["search", "insufinstcap", "-n", "1"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .starts_with("InsufficientInstanceCapacity")
    );
    errex(h.path())
        .args(["search", "zzqqxxjj"])
        .assert()
        .code(1);
}

#[test]
fn markdown_and_colour_options() {
    let h = home();
    let out = errex(h.path())
        .args(["--format", "markdown", "VolumeInUse"])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        md.starts_with("## `VolumeInUse` · EC2\n") && md.contains("### Remedy"),
        "{md}"
    );
    let out = errex(h.path())
        .args(["--color", "always", "VolumeInUse"])
        .assert()
        .success();
    assert!(
        out.get_output().stdout.contains(&0x1b),
        "--color always colours even into a pipe"
    );
    let out = errex(h.path())
        .args(["--color", "auto", "VolumeInUse"])
        .env("NO_COLOR", "1")
        .assert()
        .success();
    assert!(!out.get_output().stdout.contains(&0x1b));
}

#[test]
fn usage_errors_exit_2() {
    let h = home();
    errex(h.path())
        .args(["--format", "yaml", "AuthFailure"])
        .assert()
        .code(2);
    errex(h.path())
        .args(["list", "--category", "both"])
        .assert()
        .code(2);
    errex(h.path())
        .args(["explain", "/nonexistent/file.log"])
        .assert()
        .code(2);
    errex(h.path())
        .args(["--kb", "/nonexistent/dir", "AuthFailure"])
        .assert()
        .code(2);
    errex(h.path()).arg("--help").assert().success();
}

#[test]
fn tui_without_a_terminal_fails_with_a_reason() {
    let h = home();
    let out = errex(h.path())
        .arg("--tui")
        .write_stdin("nothing")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("needs a terminal") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    let bin = errex_bin();
    let mut child = StdCommand::new(bin)
        .args(["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("exits");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn piped_terraform_log_explains_each_error_with_context() {
    let h = home();
    let v = json(&stdout(
        errex(h.path())
            .args(["--format", "json"])
            .write_stdin(fixture("positive/terraform.txt")),
        0,
    ));
    let findings = v["findings"].as_array().expect("findings");
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        [
            "InsufficientInstanceCapacity",
            "DependencyViolation",
            "InvalidPermission.Duplicate"
        ]
    );
    let occ = &findings[0]["occurrences"][0];
    assert_eq!(occ["line"], 4);
    assert_eq!(occ["operation"], "RunInstances");
    assert_eq!(occ["http_status"], 500);
    assert_eq!(occ["request_id"], "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
    assert_eq!(
        findings[1]["occurrences"][0]["resource_ids"][0],
        "subnet-0a1b2c3d4e5f60718"
    );
    assert!(
        findings
            .iter()
            .all(|f| f["known"] == true && f["entry"]["remedy"].is_string())
    );

    assert!(findings.iter().all(|f| f["service"] == "ec2"));

    let text = errex(h.path())
        .write_stdin(fixture("positive/terraform.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).expect("utf-8");
    // A digest first: each code once, with its service, where it was seen, what to do.
    assert!(
        text.starts_with("3 AWS errors in the input, 3 codes:\n  InsufficientInstanceCapacity  EC2 · line 4 · retry later or elsewhere\n"),
        "{text}"
    );
    assert!(
        text.contains("── InsufficientInstanceCapacity · EC2 · line 4\n"),
        "{text}"
    );
    assert!(text.contains("  line 4: RunInstances, HTTP 500\n    request id 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\n"), "{text}");
    assert!(text.contains("First steps:"), "{text}");
    assert!(
        text.contains("Everything: errex ec2:InsufficientInstanceCapacity"),
        "{text}"
    );
    assert!(
        text.lines().count() < 90,
        "three errors read in well under 90 lines:\n{text}"
    );
    assert!(fits(&text, 80), "80 columns:\n{text}");
    // --full prints every entry whole.
    let full = errex(h.path())
        .arg("--full")
        .write_stdin(fixture("positive/terraform.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let full = String::from_utf8(full).expect("utf-8");
    assert!(
        full.contains("\nCause\n") && full.contains("\nRemedy\n"),
        "{full}"
    );
    assert!(full.contains("“the specified rule \"peer: 10.0.0.0/16, TCP, from port: 443, to port: 443,\n    ALLOW\" already exists”"), "{full}");
}

#[test]
fn explain_files_and_stdin_dash_and_nothing_found() {
    let h = home();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let v = json(&stdout(
        errex(h.path())
            .args(["explain", "--format", "json"])
            .arg(dir.join("positive/go_v1.txt"))
            .arg(dir.join("positive/awscli.txt")),
        0,
    ));
    let f = v["findings"].as_array().expect("findings");
    assert_eq!(f.len(), 4);
    assert!(
        f[0]["occurrences"][0]["file"]
            .as_str()
            .is_some_and(|p| p.ends_with("go_v1.txt"))
    );
    errex(h.path())
        .args(["explain", "-", "--format", "json"])
        .write_stdin(fixture("positive/go_v2.txt"))
        .assert()
        .success();
    let md = errex(h.path())
        .args(["explain", "-", "--format", "markdown"])
        .write_stdin(fixture("positive/go_v2.txt"))
        .assert()
        .success();
    let md = String::from_utf8_lossy(&md.get_output().stdout).into_owned();
    assert!(md.contains("\n## `VcpuLimitExceeded` · EC2\n"), "{md}");
    assert!(md.contains("- line 1: operation `RunInstances`, HTTP 400, request id `0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`"), "{md}");
    // Nothing found: the note goes to stderr in every format, stdout stays empty (JSON: an
    // empty list).
    for format in ["text", "markdown", "json", "github"] {
        let out = errex(h.path())
            .args(["--format", format])
            .write_stdin(fixture("negative/prose.txt"))
            .assert()
            .code(1);
        let o = out.get_output();
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("no AWS error codes found"),
            "{format}"
        );
        if format == "json" {
            assert_eq!(json(&o.stdout)["findings"], Value::Array(vec![]));
        } else {
            assert!(
                o.stdout.is_empty(),
                "{format}: {}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
    }
}

#[test]
fn encoded_authorization_message_gets_the_decode_command() {
    let h = home();
    let out = errex(h.path())
        .write_stdin(fixture("positive/boto3_traceback.txt"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("aws sts decode-authorization-message --encoded-message Zq3f8Xk1"),
        "{text}"
    );
    assert!(text.contains("--query DecodedMessage --output text"));
    assert!(text.contains("explicitDeny"));
}

#[test]
fn control_characters_in_input_never_reach_the_terminal() {
    let h = home();
    let evil = "An error occurred (AuthFailure) when calling the X\x1b]0;pwned\x07 operation: \x1b[2Jcleared\r\n";
    let out = errex(h.path()).write_stdin(evil).assert().success();
    let stdout = &out.get_output().stdout;
    assert!(
        !stdout.iter().any(|&b| b == 0x1b || b == 0x07 || b == b'\r'),
        "{}",
        String::from_utf8_lossy(stdout)
    );
}

#[test]
fn unknown_code_in_a_frame_is_reported_with_its_family() {
    let h = home();
    let input = "An error occurred (InvalidWidgetId.NotFound) when calling the DescribeWidgets operation: The widget 'w-1' does not exist\n";
    let v = json(&stdout(
        errex(h.path())
            .args(["--format", "json"])
            .write_stdin(input),
        0,
    ));
    let f = &v["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["known"].as_bool()),
        (Some("InvalidWidgetId.NotFound"), Some(false))
    );
    assert_eq!(f["family"]["pattern"], "*NotFound*");
    assert!(!f["suggestions"].as_array().expect("suggestions").is_empty());
}

// --- team knowledge bases -------------------------------------------------------------------

const TEAM: &str = r#"service = "ec2"

[[entry]]
code = "InsufficientInstanceCapacity"
notes = """
- On the render fleet: switch the ASG to the g5 mixed policy and page #infra.
"""
"#;

const PAYMENTS: &str = r#"service = "payments-api"

[[entry]]
code = "CardDeclined"
category = "client"
http_status = 402
retry = "never"
summary = "The card issuer declined the charge"
cause = "- The issuer refused the authorisation."
remedy = "- Ask the customer for another card; see the runbook at https://wiki.example/payments."
related = []
"#;

#[test]
fn team_files_extend_and_annotate_with_their_source() {
    let h = home();
    let kb = h.path().join("team");
    fs::create_dir_all(&kb).expect("mkdir");
    fs::write(kb.join("notes.toml"), TEAM).expect("write");
    fs::write(kb.join("payments.toml"), PAYMENTS).expect("write");
    let v = json(&stdout(
        errex(h.path()).args(["--kb"]).arg(&kb).args([
            "--format",
            "json",
            "InsufficientInstanceCapacity",
            "carddeclined",
        ]),
        0,
    ));
    let e = &v["findings"][0]["entry"];
    assert!(
        e["notes"]
            .as_str()
            .is_some_and(|n| n.contains("render fleet"))
    );
    assert_eq!(e["source"]["kind"], "builtin");
    assert!(
        e["overridden_by"][0]
            .as_str()
            .is_some_and(|f| f.ends_with("notes.toml"))
    );
    assert!(
        e["remedy"]
            .as_str()
            .is_some_and(|r| r.contains("Availability Zone")),
        "built-in remedy kept"
    );
    let p = &v["findings"][1]["entry"];
    assert_eq!(p["service"], "payments-api");
    assert_eq!(p["source"]["kind"], "user");
    let text = errex(h.path())
        .args(["--kb"])
        .arg(&kb)
        .arg("InsufficientInstanceCapacity")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&text).into_owned();
    assert!(
        text.contains("Team notes")
            && text.contains("render fleet")
            && text.contains("Source   built-in, changed by"),
        "{text}"
    );
}

#[test]
fn precedence_env_var_config_dir_and_no_user_kb() {
    let h = home();
    let config_kb = h.path().join("config/errex/kb");
    fs::create_dir_all(&config_kb).expect("mkdir");
    let note = |n: &str| {
        format!(
            "service = \"ec2\"\n[[entry]]\ncode = \"VolumeInUse\"\nsummary = \"summary from {n}\"\n"
        )
    };
    fs::write(config_kb.join("a.toml"), note("config")).expect("write");
    let env_dir = h.path().join("env");
    fs::create_dir_all(&env_dir).expect("mkdir");
    fs::write(env_dir.join("b.toml"), note("env")).expect("write");
    let flag = h.path().join("flag.toml");
    fs::write(&flag, note("flag")).expect("write");
    let summary = |cmd: &mut Command| {
        let out = cmd
            .args(["--format", "json", "VolumeInUse"])
            .assert()
            .success();
        json(&out.get_output().stdout)["findings"][0]["entry"]["summary"]
            .as_str()
            .expect("summary")
            .to_owned()
    };
    assert_eq!(summary(&mut errex(h.path())), "summary from config");
    assert_eq!(
        summary(errex(h.path()).env("ERREX_KB_PATH", &env_dir)),
        "summary from env"
    );
    assert_eq!(
        summary(
            errex(h.path())
                .env("ERREX_KB_PATH", &env_dir)
                .arg("--kb")
                .arg(&flag)
        ),
        "summary from flag"
    );
    let builtin = errex::catalog::Catalog::builtin()
        .entry("ec2", "VolumeInUse")
        .map(|e| e.summary.to_string())
        .expect("built in");
    let mut no_user = errex(h.path());
    no_user.env("ERREX_KB_PATH", &env_dir).arg("--no-user-kb");
    assert_eq!(summary(&mut no_user), builtin);
    let out = errex(h.path())
        .env("ERREX_KB_PATH", &env_dir)
        .args(["kb", "paths"])
        .assert()
        .success();
    let paths = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let config_at = paths.find("config directory").expect("config listed");
    let env_at = paths.find("ERREX_KB_PATH").expect("env listed");
    assert!(config_at < env_at && paths.contains("b.toml"), "{paths}");
}

#[test]
fn a_broken_user_file_warns_once_and_everything_else_loads() {
    let h = home();
    let kb = h.path().join("kb");
    fs::create_dir_all(&kb).expect("mkdir");
    fs::write(
        kb.join("broken.toml"),
        "service = \"ec2\"\n[[entry]\ncode = \"X\"\n",
    )
    .expect("write");
    fs::write(kb.join("payments.toml"), PAYMENTS).expect("write");
    let out = errex(h.path())
        .arg("--kb")
        .arg(&kb)
        .args(["AuthFailure", "CardDeclined"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("broken.toml:2:") && err.contains("warning"),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("AuthFailure") && stdout.contains("CardDeclined"));
}

#[test]
fn kb_check_reports_like_a_compiler_with_statuses() {
    let h = home();
    let dir = h.path().join("kb");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("good.toml"), PAYMENTS).expect("write");
    errex(h.path())
        .args(["kb", "check"])
        .arg(dir.join("good.toml"))
        .assert()
        .code(0);
    // Notes add to a built-in entry; they override nothing, so even --strict passes.
    fs::write(dir.join("notes.toml"), TEAM).expect("write");
    errex(h.path())
        .args(["kb", "check", "--strict"])
        .arg(dir.join("notes.toml"))
        .assert()
        .code(0);
    fs::write(
        dir.join("override.toml"),
        TEAM.replace("notes = \"\"\"", "summary = \"ours\"\nnotes = \"\"\""),
    )
    .expect("write");
    let out = errex(h.path())
        .args(["kb", "check"])
        .arg(dir.join("override.toml"))
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("override.toml:4:8: warning: overrides the built-in entry \"InsufficientInstanceCapacity\" (summary, notes)"), "{text}");
    errex(h.path())
        .args(["kb", "check", "--strict"])
        .arg(dir.join("override.toml"))
        .assert()
        .code(1);
    let bad = "service = \"team\"\n\n[[entry]]\ncode = \"A\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\ncolour = \"red\"\n\n[[entry]]\ncode = \"B\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\nhttp_status = \"400\"\n\n[[entry]]\ncode = \"C\"\ncategory = \"client\"\nsummary = \"s\"\ncause = \"- c\"\nremedy = \"- r\"\nretry = \"never\"\nrelated = [\"Nope\"]\ndocs = \"http://x\"\n";
    fs::write(dir.join("bad.toml"), bad).expect("write");
    let out = errex(h.path())
        .args(["kb", "check"])
        .arg(dir.join("bad.toml"))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.replace(&dir.display().to_string(), "DIR"))
        .collect();
    assert_eq!(
        lines[0],
        "DIR/bad.toml:10:1: error: unknown field `colour`, expected one of `code`, `category`, `summary`, `cause`, `remedy`, `retry`, `http_status`, `related`, `docs`, `actions`, `aliases`, `tags`, `deprecated`, `replaced_by`, `retry_note`, `notes`, `messages`, `weight`"
    );
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/kb_check_bad.txt");
    let actual = lines.join("\n") + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&golden, &actual).expect("write snapshot");
    }
    assert_eq!(
        actual,
        fs::read_to_string(&golden).expect("snapshot; run with UPDATE_SNAPSHOTS=1")
    );
    errex(h.path())
        .args(["kb", "check", "/nonexistent.toml"])
        .assert()
        .code(1);
    errex(h.path()).args(["kb", "check"]).assert().code(2);
}

#[test]
fn kb_template_passes_strict_or_names_the_placeholder() {
    let h = home();
    let dir = h.path();
    // For a code errex has: team notes, which --strict accepts as they are.
    let out = errex(dir)
        .args(["kb", "template", "VcpuLimitExceeded"])
        .assert()
        .success();
    let file = dir.join("notes.toml");
    fs::write(&file, &out.get_output().stdout).expect("write");
    errex(dir)
        .args(["kb", "check", "--strict"])
        .arg(&file)
        .assert()
        .code(0);
    // For a new code: valid, but --strict names each placeholder to replace.
    let out = errex(dir)
        .args(["kb", "template", "PaymentDeclined"])
        .assert()
        .success();
    let file = dir.join("new.toml");
    fs::write(&file, &out.get_output().stdout).expect("write");
    errex(dir).args(["kb", "check"]).arg(&file).assert().code(0);
    let out = errex(dir)
        .args(["kb", "check", "--strict"])
        .arg(&file)
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for field in ["summary", "cause", "remedy", "docs"] {
        assert!(
            text.contains(&format!(
                "still has the template's placeholder in `{field}`"
            )),
            "{text}"
        );
    }
}

/// The distinct services a lookup of `code` names: each finding's own service and the services
/// it speaks for.
fn lookup_services(home: &Path, code: &str) -> std::collections::BTreeSet<String> {
    let out = errex(home)
        .args(["--format", "json", code])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let mut services = std::collections::BTreeSet::new();
    for f in v["findings"].as_array().expect("findings") {
        if let Some(s) = f["service"].as_str() {
            services.insert(s.to_owned());
        }
        for a in f["also"].as_array().expect("also") {
            services.insert(a["service"].as_str().expect("service").to_owned());
        }
    }
    services
}

/// A code more than eight services share, with no cross-service entry, in text that does not
/// name the service: known and undecided (it used to read as an unknown code). The candidates
/// name the first eight (written entries first) and `candidate_count` counts them all, as many
/// as the lookup shows; text and Markdown say the count and stay short.
#[test]
fn a_code_many_services_share_is_known_and_undecided_in_piped_text() {
    let h = home();
    let input = "{\"__type\":\"InvalidRequestException\",\"message\":\"x\"}\n";
    let all = lookup_services(h.path(), "InvalidRequestException");
    assert!(all.len() > 8 && all.contains("secretsmanager"), "{all:?}");
    let v = json(&stdout(
        errex(h.path())
            .args(["--format", "json"])
            .write_stdin(input),
        0,
    ));
    let f = &v["findings"][0];
    assert_eq!(f["known"], true);
    assert_eq!(f["service"], Value::Null);
    assert_eq!(f["kind"], Value::Null);
    assert_eq!(f["candidate_count"], all.len());
    let candidates: Vec<&str> = f["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(candidates.len(), 8, "{candidates:?}");
    assert!(candidates.iter().all(|c| all.contains(*c)));
    let also = f["also"].as_array().expect("also");
    assert_eq!(also.len(), candidates.len());
    let kinds: Vec<&str> = also.iter().filter_map(|a| a["kind"].as_str()).collect();
    let written = kinds.iter().take_while(|k| **k == "written").count();
    assert!(
        kinds[written..].iter().all(|k| *k == "registry"),
        "written entries first: {kinds:?}"
    );
    assert!(candidates[..written].contains(&"secretsmanager"));

    let out = errex(h.path()).write_stdin(input).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(!text.contains("unknown code"), "{text}");
    assert!(
        text.contains(&format!("known in {} services", all.len())),
        "{text}"
    );
    assert!(text.contains("errex secretsmanager:InvalidRequestException"));
    assert!(text.contains(&format!("{} more services", all.len() - written)));
    assert!(text.contains("Every service: errex InvalidRequestException"));
    assert!(fits(&text, 80), "{text}");
    assert!(text.lines().count() < 30, "{text}");

    let out = errex(h.path())
        .args(["--format", "markdown"])
        .write_stdin(input)
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        md.contains(&format!("**Known in {} services**", all.len())),
        "{md}"
    );
    assert!(
        md.contains(&format!("- {} more services", all.len() - 8)),
        "{md}"
    );
}

/// A code a few services share keeps its whole list, and `candidate_count` is its length; a
/// decided service has none.
#[test]
fn candidate_count_is_the_length_of_a_whole_list_and_zero_when_decided() {
    let h = home();
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin("<Error><Code>BucketAlreadyOwnedByYou</Code><Message>x</Message></Error>\n")
        .assert()
        .success();
    let f = &json(&out.get_output().stdout)["findings"][0];
    assert_eq!(f["candidates"].as_array().map(Vec::len), Some(2), "{f}");
    assert_eq!(f["candidate_count"], 2);
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin(
            "An error occurred (InvalidRequestException) when calling the CreateSecret \
             operation: x\n",
        )
        .assert()
        .success();
    let f = &json(&out.get_output().stdout)["findings"][0];
    assert_eq!(f["service"], "secretsmanager");
    assert_eq!(f["candidate_count"], 0);
}

/// JSON's `family` is there whenever the text shows a code's shape: a registry-only code looked
/// up (as `service:Code` or the code alone when one service has it) or found in text that names
/// its service. Checked over a spread of the registry's codes.
#[test]
fn json_carries_the_family_whenever_text_shows_one() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args(["list", "--kind", "registry", "--format", "json"]),
        0,
    ));
    let entries = v["entries"].as_array().expect("entries");
    let mut checked = 0;
    let mut with_family = 0;
    for e in entries.iter().step_by(97) {
        let (Some(service), Some(code)) = (e["service"].as_str(), e["code"].as_str()) else {
            continue;
        };
        let query = format!("{service}:{code}");
        let out = errex(h.path())
            .args(["--format", "json", &query])
            .assert()
            .success();
        let f = json(&out.get_output().stdout)["findings"][0].clone();
        assert_eq!(f["kind"], "registry", "{query}");
        let out = errex(h.path()).arg(&query).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        match f["family"]["pattern"].as_str() {
            Some(pattern) => {
                assert!(text.contains(&format!("Its shape ({pattern})")), "{query}");
                assert_eq!(f["family"], e["family"], "{query}: as `list` says");
                with_family += 1;
            }
            None => assert!(!text.contains("Its shape ("), "{query}: {text}"),
        }
        checked += 1;
    }
    assert!(
        checked >= 30 && with_family >= 5,
        "{checked} checked, {with_family} with a family"
    );
    // The same finding from text that names the service.
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin(
            "EntityAlreadyExistsException: x (Service: AWSDirectoryService; Status Code: 400; \
             Error Code: EntityAlreadyExistsException; Request ID: 1)\n",
        )
        .assert()
        .success();
    let f = &json(&out.get_output().stdout)["findings"][0];
    assert_eq!(
        (f["service"].as_str(), f["kind"].as_str()),
        (Some("ds"), Some("registry"))
    );
    assert_eq!(f["family"]["pattern"], "*AlreadyExists* / *.Duplicate");
    let out = errex(h.path())
        .args(["--format", "json", "EntityAlreadyExistsException"])
        .assert()
        .success();
    let group = &json(&out.get_output().stdout)["findings"][0];
    assert_eq!(group["family"], f["family"], "a group's family as before");
}

/// A service's code with no entry of its own, explained by the cross-service entry, is
/// `cross-service` everywhere: `list` (JSON `kind`, the text line, `--kind`), the lookup of
/// `service:Code` and piped text that names the service; with the same retry class.
#[test]
fn list_lookup_and_piped_text_call_a_cross_service_code_the_same() {
    let h = home();
    let v = json(&stdout(
        errex(h.path()).args(["list", "--service", "acm", "--format", "json"]),
        0,
    ));
    let row = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["code"] == "ConflictException")
        .expect("acm's ConflictException is listed")
        .clone();
    let out = errex(h.path())
        .args(["--format", "json", "acm:ConflictException"])
        .assert()
        .success();
    let lookup = json(&out.get_output().stdout)["findings"][0].clone();
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin(
            "An error occurred (ConflictException) when calling the RequestCertificate \
             operation: x\n",
        )
        .assert()
        .success();
    let piped = json(&out.get_output().stdout)["findings"][0].clone();
    assert_eq!(piped["service"], "acm");
    for (what, v) in [("list", &row), ("lookup", &lookup), ("piped text", &piped)] {
        assert_eq!(v["kind"], "cross-service", "{what}: {v}");
        assert_eq!(v["retry"], lookup["retry"], "{what}");
    }
    assert_eq!(row["services"][0]["service"], "acm");

    let out = errex(h.path())
        .args(["list", "--service", "acm"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("ConflictException "))
        .expect("a line");
    assert!(line.contains("(cross-service: "), "{line}");

    // `--kind` picks each kind alone, and the three make up the whole list.
    let count = |args: &[&str]| {
        let out = errex(h.path())
            .args(["list", "--format", "json"])
            .args(args)
            .assert()
            .success();
        json(&out.get_output().stdout)["entries"]
            .as_array()
            .expect("entries")
            .clone()
    };
    let all = count(&[]).len();
    let mut sum = 0;
    for kind in ["written", "cross-service", "registry"] {
        let only = count(&["--kind", kind]);
        assert!(only.iter().all(|e| e["kind"] == kind), "--kind {kind}");
        sum += only.len();
    }
    assert_eq!(sum, all);
}

#[test]
fn a_sub_code_the_catalog_lacks_names_the_code_it_refines_in_json() {
    let h = home();
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin(
            "AuthFailure.LaunchRoleNotReachable: The launch role of the request cannot be assumed\n",
        )
        .assert()
        .success()
        .get_output()
        .clone();
    let v = json(&out.stdout);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "AuthFailure.LaunchRoleNotReachable", "{v}");
    assert_eq!(f["service"], "ec2", "{v}");
    assert_eq!(f["refines"], "AuthFailure", "{v}");
    assert_eq!(
        f["entry"]["code"], "AuthFailure",
        "the entry is the refined code's: {v}"
    );
    // A code the catalog has refines nothing.
    let out = errex(h.path())
        .args(["--format", "json", "ec2:InvalidInstanceID.NotFound"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(json(&out.stdout)["findings"][0]["refines"].is_null());
}

/// The Go SDK v2 names S3's bodiless errors by their status text (`api error Forbidden:
/// Forbidden` for a HEAD that got 403); botocore by the status (`403`). Both, piped or looked
/// up, are S3's entry for the status.
#[test]
fn s3_bodiless_errors_by_the_go_sdks_names_are_the_status_entries() {
    let h = home();
    let piped = "Error: error loading state: operation error S3: HeadObject, https response error StatusCode: 403, RequestID: 8BDXRAT0PPCQ4EZQ, HostID: 7jML04, api error Forbidden: Forbidden\n\
        Error: reading S3 Object (frontend.zip): operation error S3: HeadObject, https response error StatusCode: 301, RequestID: XD233PVJMTK580GW, HostID: Fh, api error MovedPermanently: Moved Permanently\n";
    let out = errex(h.path())
        .args(["--format", "json"])
        .write_stdin(piped)
        .assert()
        .success()
        .get_output()
        .clone();
    let v = json(&out.stdout);
    let found: Vec<(&str, &str, &str)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or(""),
                f["service"].as_str().unwrap_or(""),
                f["entry"]["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [("403", "s3", "403"), ("301", "s3", "301")], "{v}");
    for (query, code) in [
        ("Forbidden", "403"),
        ("s3:Forbidden", "403"),
        ("s3:NotFound", "404"),
        ("MovedPermanently", "301"),
    ] {
        let out = errex(h.path())
            .args(["--format", "json", query])
            .assert()
            .success()
            .get_output()
            .clone();
        let v = json(&out.stdout);
        assert_eq!(v["findings"][0]["code"], code, "{query}: {v}");
        assert_eq!(v["findings"][0]["service"], "s3", "{query}: {v}");
    }
    // Another service keeps its own code of the name.
    let out = errex(h.path())
        .args(["--format", "json", "sns:NotFound"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(json(&out.stdout)["findings"][0]["code"], "NotFound");
}
