//! The interactive terminal UI: the only module that touches ratatui and crossterm.
//!
//! [`app`] holds the state machine, [`keys`] maps terminal events to its actions, [`view`]
//! draws it. This file owns the terminal: it enters raw mode and the alternate screen, and
//! restores both on every way out (normal exit, error, panic).

pub mod app;
pub mod keys;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::catalog::{Catalog, user};
use crate::extract::Report;
pub use app::End;
use app::{App, Effect};

/// Whether a UI can be shown: stdout is a terminal and a controlling terminal can be opened
/// for the keyboard (so piped stdin is fine).
pub fn available() -> bool {
    io::stdout().is_terminal()
        && std::fs::File::open(if cfg!(windows) { "CONIN$" } else { "/dev/tty" }).is_ok()
}

/// Whether the terminal is in the UI's state (so it is restored once, not again by the guard
/// after the panic hook already did: a second "leave the alternate screen" would move the cursor
/// back over the panic message).
static ACTIVE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Puts the terminal back: raw mode off, alternate screen left, mouse released, cursor shown.
/// Safe to call more than once: only the first call after [`enter`] does anything.
pub fn restore() {
    if !ACTIVE.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
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
#[derive(Default)]
pub struct Options {
    /// Use colour (off when `NO_COLOR` is set).
    pub color: bool,
    /// Panic right after the terminal is set up: lets the end-to-end test prove that a panic
    /// leaves the terminal usable (`ERREX_TEST_PANIC`).
    pub panic_for_test: bool,
    /// `$VISUAL` or `$EDITOR`, for writing team notes (`e`).
    pub editor: Option<std::ffi::OsString>,
    /// The team's knowledge-base directory (the config directory's `errex/kb/`).
    pub team_dir: Option<PathBuf>,
    /// Enter prints the chosen code (`--pick`).
    pub pick: bool,
    /// Only this service's codes (`--service`).
    pub service: Option<String>,
    /// Builds the catalog again (built-in plus every team file), after an edit.
    pub reload: Option<Box<dyn Fn() -> Catalog>>,
}

/// The terminal's size in columns and rows, when stdout is one.
pub fn terminal_size() -> Option<(usize, usize)> {
    terminal::size()
        .ok()
        .map(|(w, h)| (usize::from(w), usize::from(h)))
        .filter(|&(w, h)| w > 0 && h > 0)
}

/// Enters the UI's terminal state (raw, alternate screen, mouse, bracketed paste).
fn enter() -> io::Result<()> {
    ACTIVE.store(true, std::sync::atomic::Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Runs the UI until the user quits or picks.
pub fn run(catalog: &Catalog, report: &Report, options: Options) -> io::Result<End> {
    if !available() {
        return Err(io::Error::other("no terminal to draw on"));
    }
    install_panic_hook();
    enter()?;
    let _guard = Guard;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    let palette = view::Palette::new(options.color);
    let mut owned: Option<Catalog> = None;
    let mut place: Option<app::Restore> = None;
    loop {
        let current = owned.as_ref().unwrap_or(catalog);
        let mut app = App::new(current, &report.found);
        app.pick = options.pick;
        match &place {
            Some(p) => {
                app.restore(p);
                app.reveal = Some("Team notes");
                app.message = Some("saved; your team's notes are shown under Team notes".into());
            }
            None if options.service.is_some() => {
                let mut snap = app.snapshot();
                snap.set_service(options.service.clone());
                app.restore(&snap);
            }
            None => {}
        }
        if options.panic_for_test {
            panic!("ERREX_TEST_PANIC is set: panicking inside the UI on purpose");
        }
        let mut reload = false;
        while app.end.is_none() {
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
                    out.write_all(osc52(&text).as_bytes())?;
                    out.flush()?;
                }
                Some(Effect::Open(url)) if !open(&url) => {
                    app.message = Some(format!("no opener found; the link is {url}"));
                }
                Some(Effect::Edit { service, code }) => {
                    match edit(&options, &service, &code, &mut terminal)? {
                        Edited::Ok if options.reload.is_some() => {
                            place = Some(app.snapshot());
                            reload = true;
                            break;
                        }
                        Edited::Ok => app.message = Some("saved; restart errex to see it".into()),
                        Edited::Problem(p) => app.message = Some(p),
                    }
                }
                _ => {}
            }
            if matches!(ev, Event::Resize(..)) {
                terminal.autoresize()?;
            }
        }
        if reload {
            if let Some(r) = &options.reload {
                owned = Some(r());
            }
            continue;
        }
        return Ok(app.end.unwrap_or(End::Quit));
    }
}

/// What came of an edit.
enum Edited {
    /// The file is valid.
    Ok,
    /// The file has a problem (`file:line:column: message`), or no editor could run.
    Problem(String),
}

/// Opens the team file for `service:code` in the editor (creating it from the template when
/// absent), with the terminal handed over, and checks the file on return.
fn edit(
    options: &Options,
    service: &str,
    code: &str,
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
) -> io::Result<Edited> {
    let (Some(editor), Some(dir)) = (&options.editor, &options.team_dir) else {
        return Ok(Edited::Problem(
            "set $VISUAL or $EDITOR (and HOME or XDG_CONFIG_HOME) to write team notes".into(),
        ));
    };
    let dir = dir.join(service);
    let path = dir.join(format!("{code}.toml"));
    if !path.exists() {
        std::fs::create_dir_all(&dir)?;
        let mut text = Vec::new();
        let ctx = crate::commands::Context {
            catalog: &Catalog::builtin(),
            format: crate::render::Format::Text,
            style: crate::render::Style::default(),
            service: None,
        };
        crate::commands::kb::template(&ctx, Some(&format!("{service}:{code}")), &mut text)?;
        std::fs::write(&path, text)?;
    }
    restore();
    let words: Vec<String> = editor
        .to_string_lossy()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let status = match words.split_first() {
        Some((program, args)) => std::process::Command::new(program)
            .args(args)
            .arg(&path)
            .status(),
        None => Err(io::Error::other("empty editor")),
    };
    enter()?;
    terminal.clear()?;
    if let Err(e) = status {
        return Ok(Edited::Problem(format!("cannot run the editor: {e}")));
    }
    match user::load_file(&path) {
        Ok((parsed, diags)) => {
            let (_, layered) = Catalog::builtin().layered(std::slice::from_ref(&parsed));
            let first = diags
                .iter()
                .chain(&layered)
                .find(|d| d.severity == crate::catalog::Severity::Error);
            Ok(match first {
                Some(d) => Edited::Problem(format!("e edits again · {d}")),
                None => Edited::Ok,
            })
        }
        Err(diags) => Ok(Edited::Problem(format!(
            "e edits again · {}",
            diags.first().map(ToString::to_string).unwrap_or_default()
        ))),
    }
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

/// The OSC 52 sequence that puts `text` on the clipboard (it works over SSH and tmux). The text
/// is cleaned again here, whoever made it: only base64 goes inside the sequence.
fn osc52(text: &str) -> String {
    let text = crate::text::sanitize(text);
    format!("\x1b]52;c;{}\x07", keys::base64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clipboard_sequence_carries_only_clean_base64() {
        assert_eq!(osc52("foo"), "\x1b]52;c;Zm9v\x07");
        assert_eq!(
            osc52("f\x1b]0;pwned\x07o\u{202e}o\u{9b}2J"),
            "\x1b]52;c;Zm9v\x07"
        );
    }
}
