//! The terminal UI drawn into ratatui's `TestBackend`: whole screens compared with golden
//! files under `tests/snapshots/` (set `UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate
//! change, then review the diff), plus invariants that hold at any size.

use std::fs;
use std::path::Path;

use errex::catalog::Catalog;
use errex::extract::Extractor;
use errex::tui::app::{Action, App, Focus};
use errex::tui::view::{self, Palette};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &mut App<'_>, width: u16, height: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    term.draw(|f| view::draw(f, app, Palette::new(false)))
        .expect("draws");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "screen {name} changed:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn typed(app: &mut App<'_>, s: &str) {
    for c in s.chars() {
        app.update(Action::Insert(c));
    }
}

#[test]
fn start_screen_80x24() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    snapshot("start_80x24", &screen(&mut app, 80, 24));
}

#[test]
fn fuzzy_query_80x24_shows_capacity_with_its_cause() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    typed(&mut app, "insufinstcap");
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("InsufficientInstanceCapacity") && s.contains("Cause"),
        "{s}"
    );
    snapshot("query_80x24", &s);
}

#[test]
fn detail_focus_80x24_is_a_full_view() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    typed(&mut app, "VcpuLimitExceeded");
    app.update(Action::Enter);
    assert_eq!(app.focus, Focus::Detail);
    snapshot("detail_80x24", &screen(&mut app, 80, 24));
}

#[test]
fn wide_120x40_with_server_filter() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    app.update(Action::CycleCategory);
    app.update(Action::CycleCategory);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains(" server · ↑↓ move"), "{s}");
    snapshot("server_filter_120x40", &s);
}

#[test]
fn help_overlay_120x40() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    app.update(Action::ToggleHelp);
    let s = screen(&mut app, 120, 40);
    for (key, _) in view::HELP {
        assert!(s.contains(key), "help lists {key}");
    }
    snapshot("help_120x40", &s);
}

#[test]
fn tiny_20x5_draws_something_sensible() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    typed(&mut app, "vpc");
    let s = screen(&mut app, 20, 5);
    assert!(s.starts_with("> vpc"), "{s}");
    snapshot("tiny_20x5", &s);
    app.update(Action::Enter);
    snapshot("tiny_detail_20x5", &screen(&mut app, 20, 5));
    app.update(Action::ToggleHelp);
    let _ = screen(&mut app, 20, 5);
}

#[test]
fn piped_findings_listed_first_with_context() {
    let cat = Catalog::builtin();
    let ex = Extractor::new(&cat);
    let log = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/positive/terraform.txt"),
    )
    .expect("fixture");
    let report = ex.scan_str(&log);
    let mut app = App::new(&cat, &report.found);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("Found in the input (ec2) 1×, line 4"), "{s}");
    snapshot("piped_120x40", &s);
}

#[test]
fn every_size_from_tiny_to_large_draws_without_panic() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    typed(&mut app, "notfound");
    for (w, h) in [
        (1, 1),
        (5, 2),
        (20, 5),
        (30, 10),
        (40, 12),
        (79, 23),
        (99, 30),
        (100, 30),
        (200, 60),
    ] {
        for focus_detail in [false, true] {
            if focus_detail {
                app.update(Action::Enter);
            }
            let _ = screen(&mut app, w, h);
            app.update(Action::PageDown);
            let _ = screen(&mut app, w, h);
        }
        app.update(Action::Escape);
    }
}

#[test]
fn resize_keeps_the_selection_visible() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    let _ = screen(&mut app, 120, 40);
    app.update(Action::Last);
    let _ = screen(&mut app, 120, 40);
    let last = app.items()[app.rows[app.selected].item.expect("an item")]
        .code
        .to_string();
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains(&last),
        "after resizing, the selected last entry is still on screen:\n{s}"
    );
}

#[test]
fn detail_scrolls_and_stops_at_the_end() {
    let cat = Catalog::builtin();
    let mut app = App::new(&cat, &[]);
    typed(&mut app, "UnauthorizedOperation");
    app.update(Action::Enter);
    let top = screen(&mut app, 80, 24);
    for _ in 0..500 {
        app.update(Action::Down);
    }
    let bottom = screen(&mut app, 80, 24);
    assert_ne!(top, bottom);
    assert!(
        bottom.contains("Docs"),
        "the end of the entry is reachable:\n{bottom}"
    );
    app.update(Action::Down);
    assert_eq!(
        screen(&mut app, 80, 24),
        bottom,
        "no scrolling past the end"
    );
}
