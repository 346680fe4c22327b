//! Every writer over what arbitrary text yields: the report of a scan (as `<text> | errex`
//! writes it), the one-line notes of `--tee` and `errex run`, and lookups of arbitrary code
//! strings (as `errex CODE...` writes them), in text without colour, Markdown, JSON and GitHub
//! annotations.
//!
//! Text, Markdown and annotations must carry no raw control character but newline and tab, and
//! no bidirectional control; JSON must parse, with the same characters escaped. Both the
//! output and the notes on the error stream are checked.
//!
//! Input: `[width, flags, text...]`: the width (20 to 275 columns); flags bit 0 cuts lines to
//! the width, bit 1 shows full detail, bits 2-3 pick `--service` for the lookup (none, s3,
//! ec2, dynamodb), bits 4-5 its format. The lookup takes the text's first two lines as codes.
//! The report is written in every format (cheap); the lookup in one (an unknown code is
//! compared with every code of every service for suggestions, which dominates a run).

#![no_main]

use errex::commands::{Context, explain, lookup};
use errex::render::Format;
use errex_fuzz::{assert_json, assert_printable, catalog, extractor, style};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 4] = [Format::Text, Format::Markdown, Format::Json, Format::Github];

/// Checks one writer's output and notes.
fn check(what: &str, format: Format, out: &[u8], err: &[u8]) {
    if format == Format::Json && !out.is_empty() {
        assert_json(what, out);
    } else {
        assert_printable(what, out);
    }
    assert_printable(&format!("{what} (stderr)"), err);
}

fuzz_target!(|data: &[u8]| {
    let Some((&[width, flags], text)) = data.split_first_chunk::<2>() else {
        return;
    };
    let style = style(width, flags);
    let service = [None, Some("s3"), Some("ec2"), Some("dynamodb")][usize::from((flags >> 2) & 3)];
    let cat = catalog();
    let report = extractor().scan_bytes(text);

    for format in FORMATS {
        let ctx = Context {
            catalog: cat,
            format,
            style,
            service: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        explain::write_report(&ctx, &report, &mut out, &mut err)
            .expect("writing to memory cannot fail");
        check(&format!("report as {format:?}"), format, &out, &err);
    }
    for f in &report.found {
        assert_printable("--tee note", explain::brief_line(cat, f).as_bytes());
    }

    let codes: Vec<String> = String::from_utf8_lossy(text)
        .lines()
        .take(2)
        .map(str::to_owned)
        .collect();
    if codes.is_empty() {
        return;
    }
    let format = FORMATS[usize::from((flags >> 4) & 3)];
    let ctx = Context {
        catalog: cat,
        format,
        style,
        service: service.map(str::to_owned),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    lookup::run(&ctx, &codes, &mut out, &mut err).expect("writing to memory cannot fail");
    check(&format!("lookup as {format:?}"), format, &out, &err);
});
