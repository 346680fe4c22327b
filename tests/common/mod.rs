//! Helpers shared by the integration tests: the binary run in a clean environment, a throwaway
//! home, fixtures read by path, output decoded with a failure message that shows it, the width
//! checks of the text formats, and one extractor built once per test binary. Each test file
//! does `mod common;` and imports what it needs. Nothing here asserts anything a test did not
//! ask for: a helper either returns a value or checks exactly what its name says.

// Cargo compiles this module into every test binary on its own, and no file uses every helper,
// so each binary would warn about the ones it leaves unused.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use errex::catalog::Catalog;
use errex::extract::{Extractor, Found, Report};
use serde_json::Value;

/// The errex binary with a clean environment: only `HOME`, `XDG_CONFIG_HOME` (below `home`)
/// and `PATH` are set, so no user catalog, colour setting or `COLUMNS` of the machine running
/// the tests can change a result.
pub fn errex(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("errex").expect("the binary is built");
    clean_env(&mut cmd, home);
    cmd
}

/// Clears `cmd`'s environment but for `HOME`, `XDG_CONFIG_HOME` (below `home`) and `PATH`: the
/// environment [`errex`] runs in, for a command that starts the binary some other way.
pub fn clean_env<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
}

/// The path of the built errex binary, for tests that start it without assert_cmd (to hold
/// its pipes open, or inside a terminal).
pub fn errex_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("errex")
}

/// A fresh, empty home directory, removed when the value is dropped.
pub fn home() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp dir")
}

/// Runs `cmd`, asserts that it exits with `status`, and returns its whole output.
pub fn output(cmd: &mut Command, status: i32) -> Output {
    cmd.assert().code(status).get_output().clone()
}

/// Runs `cmd`, asserts that it exits with `status`, and returns its stdout as bytes.
pub fn stdout(cmd: &mut Command, status: i32) -> Vec<u8> {
    cmd.assert().code(status).get_output().stdout.clone()
}

/// Runs `cmd`, asserts that it exits with `status`, and returns its stdout, which must be
/// UTF-8.
pub fn stdout_string(cmd: &mut Command, status: i32) -> String {
    stdout_text(&output(cmd, status))
}

/// The bytes as text; the test fails if they are not UTF-8.
pub fn utf8(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// The bytes as text, with anything that is not UTF-8 replaced: for output that may hold any
/// byte, and for failure messages.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A command's stdout as text; the test fails if it is not UTF-8.
pub fn stdout_text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

/// A command's stderr as text, with anything that is not UTF-8 replaced.
pub fn stderr_text(out: &Output) -> String {
    lossy(&out.stderr)
}

/// The bytes parsed as JSON; when they are not, the test fails showing them.
pub fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", lossy(out)))
}

/// Every line fits in `width` columns, except a line that ends in one word too long to wrap
/// (a URL, a long id) or holds a command in backticks, which is never broken (so it still
/// works when copied).
pub fn fits(text: &str, width: usize) -> bool {
    text.lines().all(|l| {
        l.chars().count() <= width
            || l.split_whitespace()
                .last()
                .is_some_and(|w| w.chars().count() > width / 2)
            || l.trim_start_matches([' ', '•', '(']).starts_with('`')
                && l.trim_end()
                    .trim_end_matches(['.', ',', ';', ')'])
                    .ends_with('`')
    })
}

/// The lines of `text` that do not fit in `width` (for failure messages).
pub fn too_wide(text: &str, width: usize) -> Vec<&str> {
    text.lines().filter(|l| !fits(l, width)).collect()
}

/// The path of a fixture, `name` relative to `tests/fixtures` (`positive/go_v2.txt`).
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of a fixture, `name` relative to `tests/fixtures`; a missing one fails the test
/// with its path.
pub fn fixture(name: &str) -> String {
    let path = fixture_path(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One extractor for the whole test binary: building the automaton is the slow part.
pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(&Catalog::builtin()))
}

/// The report of the built-in catalog's extractor on `text`.
pub fn scan(text: &str) -> Report {
    extractor().scan_str(text)
}

/// The codes of a report, in order.
pub fn codes(r: &Report) -> Vec<&str> {
    r.found.iter().map(|f| f.code.as_str()).collect()
}

/// The finding for `code`; the test fails, listing the codes found, if there is none.
pub fn get<'a>(r: &'a Report, code: &str) -> &'a Found {
    r.found
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("{code} not found in {:?}", codes(r)))
}
