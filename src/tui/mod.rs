//! The interactive terminal UI: the only module that touches ratatui and crossterm.
//!
//! [`app`] holds the state machine, [`keys`] maps terminal events to its actions, [`view`]
//! draws it. This file owns the terminal: it enters raw mode and the alternate screen, and
//! restores both on every way out (normal exit, error, panic).

pub mod app;
pub mod keys;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::catalog::Catalog;
use crate::extract::Report;
use app::{App, Effect};

/// Whether a UI can be shown: stdout is a terminal and a controlling terminal can be opened
/// for the keyboard (so piped stdin is fine).
pub fn available() -> bool {
    io::stdout().is_terminal()
        && std::fs::File::open(if cfg!(windows) { "CONIN$" } else { "/dev/tty" }).is_ok()
}

/// The terminal's width in columns, when stdout is one.
pub fn terminal_width() -> Option<usize> {
    terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
        .filter(|&w| w > 0)
}

/// Puts the terminal back: raw mode off, alternate screen left, mouse released, cursor shown.
/// Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Installs a panic hook that restores the terminal before the panic message is printed.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Restores the terminal when dropped, so early returns and `?` cannot leave it raw.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// How the UI runs; the caller reads these from the environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Use colour (off when `NO_COLOR` is set).
    pub color: bool,
    /// Panic right after the terminal is set up: lets the end-to-end test prove that a panic
    /// leaves the terminal usable (`ERREX_TEST_PANIC`).
    pub panic_for_test: bool,
}

/// Runs the UI until the user quits.
pub fn run(catalog: &Catalog, report: &Report, options: Options) -> io::Result<()> {
    if !available() {
        return Err(io::Error::other("no terminal to draw on"));
    }
    install_panic_hook();
    terminal::enable_raw_mode()?;
    let _guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;

    let palette = view::Palette::new(options.color);
    let mut app = App::new(catalog.entries(), &report.found);
    if options.panic_for_test {
        panic!("ERREX_TEST_PANIC is set: panicking inside the UI on purpose");
    }
    while !app.quit {
        terminal.draw(|f| view::draw(f, &mut app, palette))?;
        if !event::poll(Duration::from_millis(500))? {
            continue;
        }
        let ev = event::read()?;
        let size = terminal.size()?;
        let areas = view::layout(
            ratatui::layout::Rect::new(0, 0, size.width, size.height),
            app.focus,
        );
        let Some(action) = keys::action(&ev, &app, &areas) else {
            continue;
        };
        match app.update(action) {
            Some(Effect::Copy(text)) => {
                let mut out = io::stdout();
                write!(out, "\x1b]52;c;{}\x07", keys::base64(text.as_bytes()))?;
                out.flush()?;
            }
            Some(Effect::Open(url)) if !open(&url) => {
                app.message = Some(format!("no opener found; the link is {url}"));
            }
            _ => {}
        }
        if matches!(ev, Event::Resize(..)) {
            terminal.autoresize()?;
        }
    }
    Ok(())
}

/// Opens a URL with the system opener, detached. Returns whether one started.
fn open(url: &str) -> bool {
    let candidates: &[&[&str]] = if cfg!(target_os = "macos") {
        &[&["open"]]
    } else if cfg!(windows) {
        &[&["cmd", "/C", "start", ""]]
    } else {
        &[&["xdg-open"], &["gio", "open"], &["sensible-browser"]]
    };
    candidates.iter().any(|c| {
        std::process::Command::new(c[0])
            .args(&c[1..])
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    })
}
