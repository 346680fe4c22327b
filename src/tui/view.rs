//! Drawing the UI from its state. No side effects beyond the frame: the layout is a pure
//! function of the area, so the event loop can map mouse positions with the same arithmetic.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Focus};
use crate::catalog::{Category, Item, Kind, Retry};
use crate::extract::Found;
use crate::text::{cut, paragraphs, sanitize, wrap_all as wrap};

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The search line.
    pub search: Rect,
    /// The list, with its border.
    pub list: Rect,
    /// The detail pane, with its border (zero-sized when hidden).
    pub detail: Rect,
    /// The status line.
    pub status: Rect,
    /// Whether panes have borders (not on tiny screens).
    pub borders: bool,
}

impl Areas {
    /// The inner area of a pane (inside its border, if any).
    pub fn inner(&self, r: Rect) -> Rect {
        if self.borders && r.width >= 2 && r.height >= 2 {
            Rect::new(r.x + 1, r.y + 1, r.width - 2, r.height - 2)
        } else {
            r
        }
    }
}

/// Width from which list and detail sit side by side.
pub const WIDE: u16 = 100;

/// Splits the screen: search line, list and detail (side by side when wide, stacked when tall
/// enough, the detail as a full view when focused on small screens), status line.
pub fn layout(area: Rect, focus: Focus) -> Areas {
    let borders = area.width >= 30 && area.height >= 10;
    let [search, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let empty = Rect::new(body.x, body.y, 0, 0);
    let (list, detail) = if area.width >= WIDE {
        let [l, d] = Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
            .areas(body);
        (l, d)
    } else if focus == Focus::Detail {
        (empty, body)
    } else if body.height >= 14 {
        let [l, d] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(40), Constraint::Percentage(60)])
            .areas(body);
        (l, d)
    } else {
        (body, empty)
    };
    Areas {
        search,
        list,
        detail,
        status,
        borders,
    }
}

/// Colours, or none (NO_COLOR): every distinction also has a modifier.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    color: bool,
}

impl Palette {
    /// A palette that uses the terminal's named colours when `color` is on.
    pub fn new(color: bool) -> Palette {
        Palette { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    fn category(&self, c: Category) -> Style {
        self.fg(match c {
            Category::Client => Color::Yellow,
            Category::Server => Color::Magenta,
        })
    }

    fn retry(&self, r: Retry) -> Style {
        self.fg(match r {
            Retry::Never => Color::Red,
            Retry::AfterFix => Color::Yellow,
            _ => Color::Green,
        })
    }

    fn code(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    fn matched(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
}

fn block<'a>(title: &'a str, focused: bool, areas: &Areas) -> Block<'a> {
    if !areas.borders {
        return Block::new();
    }
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::DIM)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            title,
            Style::new().add_modifier(Modifier::BOLD),
        ))
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &mut App<'_>, palette: Palette) {
    let area = frame.area();
    let areas = layout(area, app.focus);
    let list_inner = areas.inner(areas.list);
    let detail_inner = areas.inner(areas.detail);
    app.update(super::app::Action::Viewport {
        list_rows: list_inner.height as usize,
        detail_rows: detail_inner.height as usize,
    });

    draw_search(frame, app, &areas, palette);
    if areas.list.width > 0 && areas.list.height > 0 {
        draw_list(frame, app, &areas, palette);
    }
    if areas.detail.width > 0 && areas.detail.height > 0 {
        draw_detail(frame, app, &areas, palette);
    }
    draw_status(frame, app, &areas, palette);
    if app.help {
        draw_help(frame, area);
    }
}

fn draw_search(frame: &mut Frame<'_>, app: &App<'_>, areas: &Areas, palette: Palette) {
    let prompt = Span::styled("> ", palette.code());
    // Show the end of a long query: the cursor stays on screen.
    let room = (areas.search.width as usize).saturating_sub(3);
    let chars: Vec<char> = sanitize(&app.query).chars().collect();
    let skip = app.cursor.saturating_sub(room).min(chars.len());
    let query = Span::raw(chars[skip..].iter().collect::<String>());
    let hint = if app.query.is_empty() {
        let hint = if app.pick {
            "type to search; Enter prints the code, Esc cancels"
        } else {
            "type a code, words, a message or a log line"
        };
        Span::styled(hint, palette.dim())
    } else {
        Span::raw("")
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![prompt, query, hint])),
        areas.search,
    );
    if app.focus == Focus::Search && !app.help {
        let x = areas
            .search
            .x
            .saturating_add(2)
            .saturating_add((app.cursor - skip) as u16);
        if x < areas.search.right() {
            frame.set_cursor_position((x, areas.search.y));
        }
    }
}

fn badge(item: &Item<'_>) -> &'static str {
    match (item.kind, item.category()) {
        (Kind::Registry, _) => "R",
        (_, Category::Client) => "C",
        (_, Category::Server) => "S",
    }
}

/// `n code(s)`, in words.
pub fn count(n: usize) -> String {
    if n == 1 {
        "1 code".to_owned()
    } else {
        format!("{n} codes")
    }
}

fn draw_list(frame: &mut Frame<'_>, app: &App<'_>, areas: &Areas, palette: Palette) {
    let title = format!(" {} ", count(app.rows.len()));
    let blk = block(&title, app.focus == Focus::Search, areas);
    let inner = areas.inner(areas.list);
    frame.render_widget(blk, areas.list);
    let width = inner.width as usize;
    let items = app.items();
    let mut lines = Vec::with_capacity(inner.height as usize);
    for (i, row) in app
        .rows
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(inner.height as usize)
    {
        let mut spans = Vec::new();
        let selected = i == app.selected;
        spans.push(Span::raw(if selected { "▶" } else { " " }));
        if row.found.is_some() {
            spans.push(Span::styled(
                "●",
                palette.fg(Color::Red).add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(" "));
        }
        let (code, badge_span, service, summary) = match row.item {
            Some(ii) => {
                let item = &items[ii];
                (
                    sanitize(item.code),
                    Span::styled(badge(item), palette.category(item.category())),
                    item.service
                        .map(sanitize)
                        .unwrap_or_else(|| format!("{} services", item.rows.len())),
                    sanitize(&item.summary()),
                )
            }
            None => {
                let code = row
                    .found
                    .map(|f| sanitize(&app.found[f].code))
                    .unwrap_or_default();
                (
                    code,
                    Span::styled("?", palette.fg(Color::Red)),
                    String::new(),
                    "unknown code found in the input".to_owned(),
                )
            }
        };
        spans.push(badge_span);
        spans.push(Span::raw(" "));
        // A code that does not fit ends with `…`, so it never looks like a shorter real code.
        let room = width.saturating_sub(4);
        let shown: Vec<char> = code.chars().collect();
        let cut_at = if shown.len() > room {
            room.saturating_sub(1)
        } else {
            shown.len()
        };
        for (ci, ch) in shown.iter().take(cut_at).enumerate() {
            let style = if row.matches.contains(&ci) {
                palette.matched()
            } else {
                palette.code()
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        if cut_at < shown.len() && room > 0 {
            spans.push(Span::styled("…", palette.code()));
        }
        let used = 4 + cut_at + usize::from(cut_at < shown.len());
        if width > used + 3 {
            let rest = format!(
                "{service}{}{summary}",
                if service.is_empty() { "" } else { " · " }
            );
            spans.push(Span::raw("  "));
            spans.push(Span::styled(cut(&rest, width - used - 2), palette.dim()));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(Style::new().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    if app.rows.is_empty() {
        lines.push(Line::styled(
            "no match; Esc clears the query",
            palette.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Pushes wrapped paragraphs (bullets with a hanging indent).
fn push_wrapped(lines: &mut Vec<Line<'static>>, text: &str, width: usize, style: Style) {
    for (bullet, para) in paragraphs(&sanitize(text)) {
        let lead = if bullet { "• " } else { "" };
        for (i, l) in wrap(para, width.saturating_sub(lead.len().min(2)))
            .into_iter()
            .enumerate()
        {
            let pre = if i == 0 {
                lead
            } else if bullet {
                "  "
            } else {
                ""
            };
            lines.push(Line::styled(format!("{pre}{l}"), style));
        }
    }
}

/// The detail text, wrapped to `width`, as lines; also tells the app where the highlighted
/// related code is, so it can be scrolled into view.
pub fn detail_lines(app: &mut App<'_>, width: usize, palette: Palette) -> Vec<Line<'static>> {
    let width = width.max(10);
    let mut lines: Vec<Line<'static>> = Vec::new();
    app.related_line = None;
    if let Some(f) = app.shown_found() {
        found_lines(&mut lines, f, width, palette);
    }
    let Some(ii) = app.shown() else {
        if let Some(f) = app.shown_found() {
            lines.push(Line::styled(
                format!("{} is not in the catalog.", sanitize(&f.code)),
                palette.heading(),
            ));
            if let Some(family) = crate::catalog::family_of(&f.code) {
                push_wrapped(
                    &mut lines,
                    &format!("Its shape ({}) says: {}", family.pattern, family.meaning),
                    width,
                    Style::new(),
                );
                push_wrapped(
                    &mut lines,
                    &format!("Usually: {}", family.remedy),
                    width,
                    Style::new(),
                );
            }
        }
        return lines;
    };
    let item = app.items()[ii].clone();
    if !app.trail.is_empty() {
        let trail: Vec<String> = app
            .trail
            .iter()
            .map(|&i| app.items()[i].code.to_owned())
            .collect();
        push_wrapped(
            &mut lines,
            &format!("trail: {} (Backspace goes back)", trail.join(" › ")),
            width,
            palette.dim(),
        );
    }
    lines.push(Line::styled(sanitize(item.code), palette.code()));
    let category = item.category();
    let mut badges = vec![
        Span::raw(match item.service {
            Some(s) => format!(
                "{} · ",
                sanitize(crate::catalog::registry::service(s).map_or(s, |x| x.service_id))
            ),
            None => format!("{} services · ", item.rows.len()),
        }),
        Span::styled(category.as_str(), palette.category(category)),
    ];
    let status = item
        .entry
        .and_then(|e| e.http_status)
        .or(item.rows.first().and_then(|r| r.http_status));
    if let Some(s) = status {
        badges.push(Span::raw(format!(" · HTTP {s}")));
    }
    if let Some(r) = item.retry() {
        badges.push(Span::raw(" · "));
        badges.push(Span::styled(r.label(), palette.retry(r)));
    }
    if item.kind == Kind::Registry {
        badges.push(Span::styled(" · registry", palette.dim()));
    }
    if item.entry.is_some_and(|e| e.deprecated.is_some()) {
        badges.push(Span::styled(" · deprecated", palette.dim()));
    }
    lines.push(Line::from(badges));
    match item.entry {
        Some(e) => written_lines(app, &mut lines, &item, e, width, palette),
        None => registry_lines(&mut lines, &item, width, palette),
    }
    lines
}

fn written_lines(
    app: &mut App<'_>,
    lines: &mut Vec<Line<'static>>,
    item: &Item<'_>,
    e: &crate::catalog::Entry,
    width: usize,
    palette: Palette,
) {
    push_wrapped(
        lines,
        &e.summary,
        width,
        Style::new().add_modifier(Modifier::ITALIC),
    );
    if let Some(why) = &e.deprecated {
        let by = e
            .replaced_by
            .as_ref()
            .map(|r| format!(" Now returned as {r}."))
            .unwrap_or_default();
        push_wrapped(
            lines,
            &format!("Deprecated: {why}{by}"),
            width,
            palette.dim(),
        );
    }
    for (title, body) in [
        ("Cause", Some(&e.cause)),
        ("Remedy", Some(&e.remedy)),
        ("Team notes", e.notes.as_ref()),
    ] {
        let Some(body) = body else { continue };
        lines.push(Line::raw(""));
        if app.reveal == Some(title) {
            app.reveal = None;
            app.detail_scroll = lines.len();
        }
        lines.push(Line::styled(title, palette.heading()));
        push_wrapped(lines, body, width, Style::new());
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Retry", palette.heading()));
    let mut advice = e.retry.advice().to_owned();
    if let Some(note) = &e.retry_note {
        advice.push(' ');
        advice.push_str(note);
    }
    if let Some(r) = item
        .rows
        .first()
        .filter(|r| r.sdk_retry.class() != Some(e.retry))
        && item.rows.len() == 1
    {
        advice.push(' ');
        advice.push_str(r.sdk_retry.advice());
    }
    push_wrapped(lines, &advice, width, palette.retry(e.retry));
    if !e.related.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Related (Enter/Tab highlight, Enter or 1-9 follows)",
            palette.heading(),
        ));
        for (i, r) in e.related.iter().enumerate() {
            let mut style = palette.code();
            if app.focus == Focus::Detail && app.related_cursor == Some(i) {
                style = style.add_modifier(Modifier::REVERSED);
                app.related_line = Some(lines.len());
            }
            lines.push(Line::from(vec![
                Span::raw(format!(" {}  ", i + 1)),
                Span::styled(sanitize(r), style),
            ]));
        }
    }
    if item.service == Some(crate::catalog::CROSS_SERVICE) && !item.rows.is_empty() {
        lines.push(Line::raw(""));
        let names: Vec<&str> = item.rows.iter().map(|r| r.service().id).collect();
        push_wrapped(
            lines,
            &format!(
                "Returned by {} services without an entry of their own: {}",
                names.len(),
                names.join(", ")
            ),
            width,
            palette.dim(),
        );
    }
    if !e.actions.is_empty() {
        lines.push(Line::raw(""));
        push_wrapped(
            lines,
            &format!("Actions: {}", e.actions.join(", ")),
            width,
            palette.dim(),
        );
    }
    if let Some(docs) = &e.docs {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("Docs ", palette.heading()),
            Span::styled(
                sanitize(docs),
                palette.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            ),
        ]));
    }
    if let Some(s) = e.provenance() {
        push_wrapped(lines, &format!("Source: {s}"), width, palette.dim());
    }
    lines.push(Line::styled(
        "e: write your team's notes for this code",
        palette.dim(),
    ));
}

fn registry_lines(lines: &mut Vec<Line<'static>>, item: &Item<'_>, width: usize, palette: Palette) {
    push_wrapped(
        lines,
        "No written explanation yet. What the SDK models say:",
        width,
        Style::new().add_modifier(Modifier::ITALIC),
    );
    lines.push(Line::raw(""));
    for r in item.rows.iter().take(40) {
        let s = r.service();
        let status = r
            .http_status
            .map(|h| format!(", HTTP {h}"))
            .unwrap_or_default();
        push_wrapped(
            lines,
            &format!(
                "- {} ({}){status}, {} fault; {}",
                s.full_name,
                s.id,
                r.fault,
                r.sdk_retry.advice()
            ),
            width,
            Style::new(),
        );
    }
    if item.rows.len() > 40 {
        push_wrapped(
            lines,
            &format!("... and {} more services", item.rows.len() - 40),
            width,
            palette.dim(),
        );
    }
    if let Some(f) = crate::catalog::family_of(item.code) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Its shape ({})", f.pattern),
            palette.heading(),
        ));
        push_wrapped(lines, f.meaning, width, Style::new());
        lines.push(Line::styled("Usually", palette.heading()));
        push_wrapped(lines, f.remedy, width, Style::new());
    }
    if let Some(docs) = item.rows.first().and_then(|r| r.docs()) {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("Docs ", palette.heading()),
            Span::styled(
                docs,
                palette.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            ),
        ]));
    }
}

fn found_lines(lines: &mut Vec<Line<'static>>, f: &Found, width: usize, palette: Palette) {
    let seen: Vec<String> = f
        .occurrences
        .iter()
        .take(10)
        .map(|o| o.line.to_string())
        .collect();
    let more = if f.count as usize > seen.len() {
        ", …"
    } else {
        ""
    };
    let service = f
        .service
        .as_deref()
        .map(|s| format!(" ({})", sanitize(s)))
        .unwrap_or_default();
    lines.push(Line::styled(
        format!(
            "Found in the input{service} {}×, line {}{more}",
            f.count,
            seen.join(", ")
        ),
        palette.fg(Color::Red).add_modifier(Modifier::BOLD),
    ));
    for o in f.occurrences.iter().take(3) {
        let facts = o.facts(str::to_owned);
        for l in wrap(
            &sanitize(&format!("line {}: {}", o.line, facts.join(" · "))),
            width.saturating_sub(2),
        ) {
            lines.push(Line::styled(format!("  {l}"), palette.dim()));
        }
    }
    lines.push(Line::raw(""));
}

fn draw_detail(frame: &mut Frame<'_>, app: &mut App<'_>, areas: &Areas, palette: Palette) {
    let blk = block(" detail ", app.focus == Focus::Detail, areas);
    let inner = areas.inner(areas.detail);
    frame.render_widget(blk, areas.detail);
    let lines = detail_lines(app, inner.width as usize, palette);
    app.reveal_related();
    app.clamp_detail(lines.len());
    let visible: Vec<Line<'static>> = lines
        .into_iter()
        .skip(app.detail_scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn draw_status(frame: &mut Frame<'_>, app: &App<'_>, areas: &Areas, palette: Palette) {
    // The filter reads `all`, `server`, `client/capacity`, `all/registry`; the keys fit in 80
    // columns.
    let mut filter = app.category.map_or("all", Category::as_str).to_owned();
    if let Some(r) = app.retry {
        filter = format!("{filter}/{r}");
    }
    if let Some(k) = app.kind {
        filter = format!("{filter}/{}", k.as_str());
    }
    let keys = match (app.focus, app.pick) {
        (Focus::Search, true) => "↑↓ move · Enter pick · Esc cancel · ? help",
        (Focus::Search, false) => "↑↓ move · Enter read · ^F ^R ^T filter · ? help",
        (Focus::Detail, _) => "j/k g/G scroll · Enter related · ⌫ back · e notes · ?",
    };
    let text = match &app.message {
        Some(m) => sanitize(m),
        None => format!(
            "{}/{} {filter} · {keys}",
            app.rows.len().min(app.selected + 1),
            app.rows.len()
        ),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            text,
            palette.dim().add_modifier(Modifier::REVERSED),
        )),
        areas.status,
    );
}

/// Every key, for the help overlay.
pub const HELP: &[(&str, &str)] = &[
    (
        "type / paste",
        "search: a code, words, a message, a log line",
    ),
    (
        "Backspace ^U ^W",
        "delete a character, to the start, a word",
    ),
    ("← →", "move in the query"),
    ("↑ ↓ ^P ^N", "move the selection"),
    ("PgUp PgDn Home End", "move by a page, to the ends"),
    ("Enter Tab", "read the selected entry (--pick: choose it)"),
    ("j k ↑ ↓ PgUp PgDn", "scroll the entry (detail)"),
    ("g G Home End", "top or end of the entry (detail)"),
    (
        "Enter Tab S-Tab",
        "highlight a related code; Enter follows it",
    ),
    ("1-9", "follow a related code by number"),
    ("Backspace Alt-←", "go back along the followed codes"),
    ("^F", "filter: all / client / server"),
    ("^R", "filter by retry class"),
    ("^T", "filter: all / written / registry"),
    ("^Y", "copy code and summary (OSC 52)"),
    ("o", "open the docs link (detail)"),
    ("e", "write your team's notes (detail; $EDITOR)"),
    ("/", "back to the search line"),
    ("Esc", "clear query, leave detail, quit (status 0)"),
    ("^C", "quit now (status 130)"),
    ("mouse", "wheel scrolls the pane under it; click selects"),
];

/// The help overlay's size for a screen: as wide and tall as its text needs, within the screen.
pub fn help_area(area: Rect) -> Rect {
    let key_w = HELP
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_w = HELP
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    let w = (key_w + 1 + text_w + 2) as u16;
    let h = HELP.len() as u16 + 2;
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_help(frame: &mut Frame<'_>, area: Rect) {
    let r = help_area(area);
    frame.render_widget(Clear, r);
    let key_w = HELP
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line<'static>> = HELP
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    format!("{k:>key_w$} "),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*v),
            ])
        })
        .collect();
    let blk = if r.width >= 10 && r.height >= 3 {
        Block::bordered().title(" keys · any key closes this ")
    } else {
        Block::new()
    };
    frame.render_widget(Paragraph::new(lines).block(blk), r);
}
