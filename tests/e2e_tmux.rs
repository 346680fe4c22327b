//! The real binary in a real terminal (tmux): start, search, read, follow a related code, go
//! back, quit; and a panic inside the UI. Both must hand the shell back intact: the screen from
//! before, a line-buffered (cooked) terminal and a visible cursor.
//!
//! Needs tmux (`.ci/run` installs it). Without tmux the tests say so and pass, except under CI,
//! where a missing tmux is a failure.

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, script: &str) -> Option<Tmux> {
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
                "80",
                "-y",
                "24",
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

fn errex_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("errex")
}

/// Runs errex in a shell that prints a marker before and the terminal state after.
fn script(env: &str) -> String {
    script_with(env, "")
}

/// As [`script`], with arguments (and redirections) after the binary.
fn script_with(env: &str, args: &str) -> String {
    let home = std::env::temp_dir().join(format!("errex-tmux-home-{}", std::process::id()));
    format!(
        "sh -c 'echo BEFORE-ERREX; env -u NO_COLOR HOME={home} XDG_CONFIG_HOME={home}/c {env} {bin} {args}; echo EXITED:$?; \
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
        s.contains("type to search") && s.contains("489 codes")
    });
    t.keys(&["-l", "insufinstcap"]);
    let s = t.wait("the capacity entry with its cause", |s| {
        s.contains("InsufficientInstanceCapacity") && s.contains("Cause")
    });
    assert!(s.contains("The Availability Zone"), "{s}");
    t.keys(&["Enter"]);
    t.wait("detail focus", |s| s.contains("j/k scroll"));
    let related = errex::catalog::Catalog::builtin()
        .get("InsufficientInstanceCapacity")
        .and_then(|e| e.related.first().map(ToString::to_string))
        .expect("has related codes");
    t.keys(&["1"]);
    t.wait("the followed related code", |s| {
        s.contains("trail:") && s.contains(&related)
    });
    t.keys(&["BSpace"]);
    t.wait("back on the first entry", |s| {
        !s.contains("trail:") && s.contains("server · HTTP 500")
    });
    t.keys(&["Escape"]);
    t.wait("search focus", |s| s.contains("Enter read"));
    t.keys(&["Escape"]);
    t.wait("cleared query", |s| s.contains("type to search"));
    t.keys(&["Escape"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("BEFORE-ERREX") && s.contains("EXITED:0"), "{s}");
    assert!(s.contains("TTY:icanon"), "canonical mode is back:\n{s}");
    assert!(
        !s.contains("489 codes"),
        "the alternate screen is gone:\n{s}"
    );
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
fn resize_redraws() {
    let Some(t) = Tmux::start("resize", &script("")) else {
        return;
    };
    t.wait("the UI", |s| s.contains("489 codes"));
    t.resize(120, 30);
    t.wait("the wide layout", |s| s.contains("┐┌ detail"));
    t.resize(20, 5);
    t.wait("the tiny layout", |s| {
        s.lines().count() <= 6 && s.contains("> ")
    });
    t.keys(&["C-c"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("EXITED:0"), "{s}");
}

#[test]
fn piped_text_opens_the_ui_with_found_codes_first() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/positive/terraform.txt");
    let script = script_with("", &format!("--tui < {}", fixture.display()));
    let Some(t) = Tmux::start("piped", &script) else {
        return;
    };
    let s = t.wait("the UI with the found codes", |s| {
        s.contains("●") && s.contains("Found in the input")
    });
    assert!(s.contains("InsufficientInstanceCapacity"), "{s}");
    t.keys(&["C-c"]);
    let s = t.wait("the shell", |s| s.contains("TTY:"));
    assert!(s.contains("EXITED:0") && s.contains("TTY:icanon"), "{s}");
}
