//! The real binary in a real terminal (tmux), typed at as a person types: start, search, read,
//! follow a related code, go back, quit; paste a log line; pick a code for the shell; write team
//! notes with an editor; a panic inside the UI. Every way out must hand the shell back intact:
//! the screen from before, a line-buffered (cooked) terminal and a visible cursor.
//!
//! Needs tmux (`.ci/run` installs it). Without tmux the tests say so and pass, except under CI,
//! where a missing tmux is a failure.

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{errex_bin, fixture_path};

mod common;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, script: &str) -> Option<Tmux> {
        Tmux::start_sized(name, script, 80, 24)
    }

    fn start_sized(name: &str, script: &str, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is required under CI"
            );
            eprintln!("skipped: tmux is not installed");
            return None;
        }
        let socket = format!("errex-test-{name}-{}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "-s",
                "t",
            ])
            .arg(script)
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs");
        assert!(status.success());
        Some(Tmux { socket })
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        let status = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "resize-window",
                "-t",
                "t",
                "-x",
                &w,
                "-y",
                &h,
            ])
            .status()
            .expect("resize");
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its colours and attributes as escape sequences.
    fn screen_with_escapes(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-e", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `ok`, or fails with the last screen.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{s}"
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// Runs errex in a shell that prints a marker before and the terminal state after.
fn script(env: &str) -> String {
    script_with(env, "")
}

/// As [`script`], with arguments (and redirections) after the binary.
fn script_with(env: &str, args: &str) -> String {
    let home = std::env::temp_dir().join(format!("errex-tmux-home-{}", std::process::id()));
    format!(
        "sh -c 'echo BEFORE-ERREX; env -u NO_COLOR -u RUST_BACKTRACE HOME={home} XDG_CONFIG_HOME={home}/c {env} {bin} {args}; echo EXITED:$?; \
         stty -a | grep -o -- \"-*icanon\" | head -1 | sed s/^/TTY:/; sleep 60'",
        home = home.display(),
        bin = errex_bin().display(),
    )
}

#[test]
fn search_read_follow_back_and_quit_restores_the_shell() {
    let Some(t) = Tmux::start("flow", &script("")) else {
        return;
    };
    t.wait("the UI", |s| {
        s.contains("type a code") && s.contains(" codes ")
    });
    t.keys(&["-l", "insufinstcap"]);
    // The whole query on screen: a list shown for the first letters may satisfy the rest.
    let s = t.wait("the capacity entry with its cause", |s| {
        s.contains("> insufinstcap")
            && s.contains("InsufficientInstanceCapacity")
            && s.contains("Cause")
    });
    assert!(s.contains("The Availability Zone"), "{s}");
    t.keys(&["Enter"]);
    t.wait("detail focus", |s| s.contains("j/k g/G scroll"));
    let related = errex::catalog::Catalog::builtin()
        .entry("ec2", "InsufficientInstanceCapacity")
        .and_then(|e| e.related.first().map(ToString::to_string))
        .expect("has related codes");
    // The second Enter shows the related codes, the highlighted one on screen; the third
    // follows it.
    t.keys(&["Enter"]);
    t.wait("the related codes on screen", |s| {
        s.contains("Related (") && s.contains(&related)
    });
    t.keys(&["Enter"]);
    t.wait("the followed related code", |s| {
        s.contains("trail:") && s.contains(&related)
    });
    t.keys(&["BSpace"]);
    t.wait("back on the first entry", |s| {
        !s.contains("trail:") && s.contains("EC2 · server · HTTP 500")
    });
    t.keys(&["Escape"]);
    t.wait("search focus", |s| s.contains("Enter read"));
    t.keys(&["Escape"]);
    t.wait("cleared query", |s| s.contains("type a code"));
    t.keys(&["Escape"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("BEFORE-ERREX") && s.contains("EXITED:0"), "{s}");
    assert!(s.contains("TTY:icanon"), "canonical mode is back:\n{s}");
    assert!(!s.contains(" codes "), "the alternate screen is gone:\n{s}");
}

/// The first row of the list, and the rows after it.
fn list_rows(s: &str) -> Vec<String> {
    s.lines()
        .skip(2)
        .take_while(|l| !l.starts_with('└'))
        .map(|l| l.trim_start_matches('│').to_owned())
        .collect()
}

#[test]
fn what_people_type_puts_the_best_hit_first_and_selected() {
    let Some(t) = Tmux::start_sized("typing", &script(""), 100, 30) else {
        return;
    };
    t.wait("the UI", |s| s.contains("type a code"));
    t.keys(&["-l", "insufcap"]);
    let s = t.wait("capacity codes", |s| {
        s.contains("> insufcap") && s.contains("Insufficient")
    });
    let rows = list_rows(&s);
    assert!(
        rows[0].starts_with("▶")
            && rows[0].contains("Insufficient")
            && rows[0].contains("Capacity"),
        "an Insufficient…Capacity code, selected, in the first row:\n{s}"
    );
    assert!(
        rows.iter()
            .take(3)
            .any(|r| r.contains("InsufficientInstanceCapacity ")),
        "InsufficientInstanceCapacity among the first three:\n{s}"
    );
    t.keys(&["C-u"]);
    t.keys(&["-l", "vpc not found"]);
    let s = t.wait("vpc codes", |s| {
        s.contains("> vpc not found") && s.contains("InvalidVpc")
    });
    let rows = list_rows(&s);
    assert!(rows[0].starts_with("▶"), "the first row is selected:\n{s}");
    assert!(
        rows.iter()
            .take(3)
            .any(|r| r.contains("InvalidVpcID.NotFound")),
        "InvalidVpcID.NotFound among the first three:\n{s}"
    );
    t.keys(&["C-u"]);
    t.keys(&["-l", "An error occurred (VcpuLimitExceeded) when calling the RunInstances operation: You have requested more vCPU capacity"]);
    // The whole line is in the box (it is wider than the screen, so its end shows), and the
    // list answers it: waiting for its start to show passed only while the paste was still
    // arriving.
    let s = t.wait("the pasted line's code", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("requested more vCPU capacity"))
            && list_rows(s)
                .first()
                .is_some_and(|r| r.contains("VcpuLimitExceeded"))
    });
    let rows = list_rows(&s);
    assert!(
        rows[0].starts_with("▶") && rows[0].contains("VcpuLimitExceeded"),
        "{s}"
    );
    t.keys(&["C-c"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(
        s.contains("EXITED:130"),
        "Ctrl-C exits with 130, as fzf:\n{s}"
    );
}

#[test]
fn pick_prints_the_chosen_code_and_esc_chooses_nothing() {
    let Some(t) = Tmux::start("pick", &script_with("", "--pick")) else {
        return;
    };
    t.wait("the UI", |s| s.contains("Enter pick"));
    t.keys(&["-l", "vpc not found"]);
    t.wait("vpc codes", |s| s.contains("InvalidVpcID.NotFound"));
    t.keys(&["Enter"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("\nInvalidVpcID.NotFound\nEXITED:0"), "{s}");
    let Some(t) = Tmux::start("pick-esc", &script_with("", "--pick")) else {
        return;
    };
    t.wait("the UI", |s| s.contains("Enter pick"));
    t.keys(&["Escape"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(
        s.contains("BEFORE-ERREX\nEXITED:1"),
        "nothing printed, status 1:\n{s}"
    );
}

/// `--color never` turns the UI's colours off as NO_COLOR does; `--color always` keeps them.
#[test]
fn color_flag_applies_to_the_ui() {
    // A foreground colour other than the default (39).
    let coloured =
        |s: &str| s.contains("[38;") || (30..39).any(|c| s.contains(&format!("\x1b[{c}m")));
    for (flag, want) in [("never", false), ("always", true)] {
        let Some(t) = Tmux::start(
            &format!("color-{flag}"),
            &script_with("", &format!("--color {flag}")),
        ) else {
            return;
        };
        t.wait("the UI", |s| s.contains(" codes "));
        let s = t.screen_with_escapes();
        assert_eq!(coloured(&s), want, "--color {flag}:\n{s:?}");
    }
}

/// `code=$(errex --pick)`: with stdout captured, the UI draws on the terminal (as fzf does)
/// and only the chosen code reaches the capture.
#[test]
fn pick_draws_on_the_terminal_when_stdout_is_captured() {
    let out = std::env::temp_dir().join(format!("errex-picked-{}", std::process::id()));
    let args = format!("--pick > {}", out.display());
    let Some(t) = Tmux::start("pick-captured", &script_with("", &args)) else {
        return;
    };
    t.wait("the UI", |s| s.contains("Enter pick"));
    t.keys(&["-l", "vpc not found"]);
    t.wait("vpc codes", |s| s.contains("InvalidVpcID.NotFound"));
    t.keys(&["Enter"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("EXITED:0"), "{s}");
    let picked = std::fs::read_to_string(&out).expect("the capture");
    let _ = std::fs::remove_file(&out);
    assert_eq!(picked, "InvalidVpcID.NotFound\n");
}

#[test]
fn e_edits_team_notes_and_the_ui_shows_them() {
    let dir = std::env::temp_dir().join(format!("errex-editor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    // A fake editor: the first time it writes a broken file, the second time good notes.
    let editor = dir.join("fake-editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh
if [ -e \"$1.once\" ]; then
  printf 'service = \"ec2\"\\n[[entry]]\\ncode = \"VcpuLimitExceeded\"\\nnotes = \"Ask #capacity for a quota bump\"\\n' > \"$1\"
else
  touch \"$1.once\"; printf 'service = \"ec2\"\\n[[entry]\\n' > \"$1\"
fi
",
    )
    .expect("write the editor");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .expect("chmod");
    let env = format!(
        "EDITOR={} XDG_CONFIG_HOME={}",
        editor.display(),
        dir.display()
    );
    let home = dir.display().to_string();
    let script = format!(
        "sh -c 'echo BEFORE-ERREX; env -u NO_COLOR -u VISUAL HOME={home} {env} {bin}; echo EXITED:$?; stty -a | grep -o -- \"-*icanon\" | head -1 | sed s/^/TTY:/; sleep 60'",
        bin = errex_bin().display()
    );
    let Some(t) = Tmux::start_sized("editor", &script, 100, 30) else {
        return;
    };
    t.wait("the UI", |s| s.contains("type a code"));
    t.keys(&["-l", "VcpuLimitExceeded"]);
    t.wait("the entry", |s| s.contains("On-Demand vCPU"));
    t.keys(&["Enter"]);
    t.wait("detail focus", |s| s.contains("e notes"));
    t.keys(&["e"]);
    let s = t.wait("the problem in the broken file", |s| {
        s.contains("e edits again")
    });
    assert!(
        s.contains("VcpuLimitExceeded.toml:2:"),
        "file:line:column shown:\n{s}"
    );
    t.keys(&["e"]);
    let s = t.wait("the team's notes", |s| s.contains("Team notes"));
    assert!(s.contains("Ask #capacity for a quota bump"), "{s}");
    t.keys(&["C-c"]);
    t.wait("the shell", |s| s.contains("TTY:"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_panic_inside_the_ui_restores_the_terminal() {
    let Some(t) = Tmux::start("panic", &script("ERREX_TEST_PANIC=1")) else {
        return;
    };
    let s = t.wait("the shell after the panic", |s| s.contains("TTY:"));
    assert!(s.contains("BEFORE-ERREX"), "the shell screen is back:\n{s}");
    assert!(s.contains("EXITED:101"), "the panic exit status:\n{s}");
    assert!(
        s.contains("panicking inside the UI on purpose"),
        "the panic message is readable:\n{s}"
    );
    assert!(s.contains("TTY:icanon"), "raw mode is off:\n{s}");
}

#[test]
fn resize_redraws_and_help_fits() {
    let Some(t) = Tmux::start("resize", &script("")) else {
        return;
    };
    t.wait("the UI", |s| s.contains(" codes "));
    t.keys(&["?"]);
    let s = t.wait("the help", |s| {
        s.contains("any key closes this") && s.contains("mouse")
    });
    assert!(
        s.contains("quit now (status 130)"),
        "nothing clipped at 80x24:\n{s}"
    );
    t.keys(&["x"]);
    t.resize(120, 30);
    t.wait("the wide layout", |s| s.contains("┐┌ detail"));
    t.resize(20, 5);
    t.wait("the tiny layout", |s| {
        s.lines().count() <= 6 && s.contains("> ")
    });
    t.keys(&["Escape"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("EXITED:0"), "{s}");
}

#[test]
fn piped_text_opens_the_ui_with_found_codes_first() {
    let fixture = fixture_path("positive/terraform.txt");
    let script = script_with("", &format!("--tui < {}", fixture.display()));
    let Some(t) = Tmux::start("piped", &script) else {
        return;
    };
    let s = t.wait("the UI with the found codes", |s| {
        s.contains("●") && s.contains("Found in the input")
    });
    assert!(s.contains("InsufficientInstanceCapacity"), "{s}");
    t.keys(&["Escape"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("EXITED:0") && s.contains("TTY:icanon"), "{s}");
}

/// A pager that prints `PAGER-RAN` and counts the lines it reads, in a fresh directory
/// `{name}-{pid}` under the temp dir; returns the directory (the caller removes it) and the pager.
fn fake_pager(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let pager = dir.join("pager.sh");
    std::fs::write(&pager, "#!/bin/sh\necho PAGER-RAN; wc -l\n").expect("write");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&pager)
        .status()
        .expect("chmod");
    (dir, pager)
}

#[test]
fn long_output_goes_through_the_pager_on_a_terminal() {
    let (dir, pager) = fake_pager("errex-pager");
    let script = script_with(
        &format!("PAGER={}", pager.display()),
        "UnauthorizedOperation",
    );
    let Some(t) = Tmux::start("pager", &script) else {
        return;
    };
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(
        s.contains("PAGER-RAN"),
        "a long entry on a terminal is paged:\n{s}"
    );
    let script = script_with(
        &format!("PAGER={}", pager.display()),
        "--no-pager UnauthorizedOperation",
    );
    let Some(t) = Tmux::start("no-pager", &script) else {
        return;
    };
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(!s.contains("PAGER-RAN"), "--no-pager prints directly:\n{s}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn piped_text_on_a_terminal_is_paged_unless_no_pager_or_tee() {
    let (dir, pager) = fake_pager("errex-piped-pager");
    let fixture = fixture_path("positive/terraform.txt");
    // Piped text explained on a terminal is longer than the screen: `$PAGER` reads it, unless
    // --no-pager; --tee streams and never waits for a pager.
    for (name, args, paged) in [
        ("piped-pager", "", true),
        ("piped-no-pager", "--no-pager", false),
        ("piped-tee", "--tee", false),
    ] {
        let script = script_with(
            &format!("PAGER={}", pager.display()),
            &format!("{args} < {}", fixture.display()),
        );
        let Some(t) = Tmux::start(name, &script) else {
            return;
        };
        let s = t.wait("the shell", |s| s.contains("TTY:"));
        assert_eq!(s.contains("PAGER-RAN"), paged, "{name}:\n{s}");
        assert!(s.contains("EXITED:0"), "{name}:\n{s}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
