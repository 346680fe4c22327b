//! Arbitrary bytes as a team knowledge-base file, through the path `errex --kb` and
//! `errex kb check` take: `parse_file` (what `user::load_file` calls once the bytes are UTF-8),
//! then layering over the built-in catalog, then explaining every entry the file defines in each
//! output format.
//!
//! Nothing may panic; every diagnostic names the file and points at a line and column inside
//! it (a column may be one past the line's last character: the end of the line) and prints as
//! one line without control characters, whatever the file holds; a team entry's text, however
//! hostile, reaches no writer's output raw.

#![no_main]

use errex::catalog::{Catalog, Diagnostic, parse_file};
use errex::commands::lookup;
use errex::render::{self, Format, Style};
use errex_fuzz::{assert_json, assert_printable};
use libfuzzer_sys::fuzz_target;

const FILE: &str = "team.toml";

/// Panics unless `d` points inside `text` and prints as one clean line.
fn check(text: &str, d: &Diagnostic) {
    assert_eq!(d.file, FILE, "{d:?}");
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&d.line),
        "line {} outside the file's {} lines: {d:?}",
        d.line,
        lines.len()
    );
    let width = lines[d.line - 1].chars().count();
    assert!(
        (1..=width + 1).contains(&d.column),
        "column {} outside line {} ({width} characters): {d:?}",
        d.column,
        d.line
    );
    let shown = d.to_string();
    assert!(!shown.contains(['\n', '\t']), "not one line: {shown:?}");
    assert_printable("diagnostic", shown.as_bytes());
}

fuzz_target!(|data: &[u8]| {
    // `user::load_file` turns non-UTF-8 into a diagnostic before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = match parse_file(FILE, text) {
        Ok((parsed, diags)) => {
            diags.iter().for_each(|d| check(text, d));
            parsed
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "a file rejected without a diagnostic");
            diags.iter().for_each(|d| check(text, d));
            return;
        }
    };
    let (catalog, diags) = Catalog::builtin().layered(std::slice::from_ref(&parsed));
    diags.iter().for_each(|d| check(text, d));

    let style = Style {
        full: true,
        ..Style::default()
    };
    for draft in parsed.drafts.iter().take(8) {
        let findings = lookup::findings(
            &catalog,
            &format!("{}:{}", parsed.service, draft.code),
            None,
        );
        for format in [Format::Text, Format::Markdown, Format::Json, Format::Github] {
            let mut out = Vec::new();
            render::write_findings(&mut out, &findings, format, style)
                .expect("writing to memory cannot fail");
            let what = format!("team entry {:?} as {format:?}", draft.code);
            if format == Format::Json {
                assert_json(&what, &out);
            } else {
                assert_printable(&what, &out);
            }
        }
    }
});
