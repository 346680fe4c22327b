//! Drawing the UI from its state. No side effects beyond the frame: the layout is a pure
//! function of the area, so the event loop can map mouse positions with the same arithmetic.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Focus};
use crate::catalog::{Category, Entry, Retry};
use crate::extract::Found;
use crate::text::{cut, paragraphs, sanitize, wrap};

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
    let query = Span::raw(sanitize(&app.query));
    let hint = if app.query.is_empty() {
        Span::styled("type to search codes, summaries, tags", palette.dim())
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
            .saturating_add(app.cursor as u16);
        if x < areas.search.right() {
            frame.set_cursor_position((x, areas.search.y));
        }
    }
}

fn badge(e: &Entry) -> &'static str {
    match e.category {
        Category::Client => "C",
        Category::Server => "S",
    }
}

fn draw_list(frame: &mut Frame<'_>, app: &App<'_>, areas: &Areas, palette: Palette) {
    let title = format!(" {} codes ", app.rows.len());
    let blk = block(&title, app.focus == Focus::Search, areas);
    let inner = areas.inner(areas.list);
    frame.render_widget(blk, areas.list);
    let width = inner.width as usize;
    let entries = app.entries();
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
        let (code, badge_span, summary) = match row.entry {
            Some(ei) => {
                let e = &entries[ei];
                (
                    sanitize(&e.code),
                    Span::styled(badge(e), palette.category(e.category)),
                    sanitize(&e.summary),
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
                    "unknown code found in the input".to_owned(),
                )
            }
        };
        spans.push(badge_span);
        spans.push(Span::raw(" "));
        for (ci, ch) in code.chars().enumerate() {
            let style = if row.matches.contains(&ci) {
                palette.matched()
            } else {
                palette.code()
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        let used = 4 + code.chars().count();
        if width > used + 3 {
            spans.push(Span::raw("  "));
            let room = width - used - 2;
            spans.push(Span::styled(cut(&summary, room), palette.dim()));
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

/// The detail text, wrapped to `width`, as lines.
pub fn detail_lines(app: &App<'_>, width: usize, palette: Palette) -> Vec<Line<'static>> {
    let width = width.max(10);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let push_wrapped = |lines: &mut Vec<Line<'static>>, text: &str, indent: usize, style: Style| {
        for (bullet, para) in paragraphs(&sanitize(text)) {
            let lead = if bullet { "• " } else { "" };
            for (i, l) in wrap(para, width.saturating_sub(indent + lead.len().min(2)))
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
                lines.push(Line::styled(
                    format!("{}{pre}{l}", " ".repeat(indent)),
                    style,
                ));
            }
        }
    };
    if let Some(f) = app.shown_found() {
        found_lines(&mut lines, f, width, palette);
    }
    let Some(ei) = app.shown() else {
        if let Some(f) = app.shown_found() {
            lines.push(Line::styled(
                format!("{} is not in the catalog.", sanitize(&f.code)),
                palette.heading(),
            ));
            if let Some(family) = crate::catalog::family_of(&f.code) {
                push_wrapped(
                    &mut lines,
                    &format!("Its shape ({}) says: {}", family.pattern, family.meaning),
                    0,
                    Style::new(),
                );
                push_wrapped(
                    &mut lines,
                    &format!("Usually: {}", family.remedy),
                    0,
                    Style::new(),
                );
            }
        }
        return lines;
    };
    let e = &app.entries()[ei];
    if !app.trail.is_empty() {
        let trail: Vec<String> = app
            .trail
            .iter()
            .map(|&i| app.entries()[i].code.to_string())
            .collect();
        lines.push(Line::styled(
            format!("trail: {} (Backspace goes back)", trail.join(" › ")),
            palette.dim(),
        ));
    }
    lines.push(Line::styled(sanitize(&e.code), palette.code()));
    let mut badges = vec![Span::styled(
        e.category.as_str(),
        palette.category(e.category),
    )];
    if let Some(s) = e.http_status {
        badges.push(Span::raw(format!(" · HTTP {s}")));
    }
    badges.push(Span::raw(" · "));
    badges.push(Span::styled(e.retry.label(), palette.retry(e.retry)));
    if e.deprecated.is_some() {
        badges.push(Span::styled(" · deprecated", palette.dim()));
    }
    lines.push(Line::from(badges));
    push_wrapped(
        &mut lines,
        &e.summary,
        0,
        Style::new().add_modifier(Modifier::ITALIC),
    );
    if let Some(why) = &e.deprecated {
        let by = e
            .replaced_by
            .as_ref()
            .map(|r| format!(" Now returned as {r}."))
            .unwrap_or_default();
        push_wrapped(
            &mut lines,
            &format!("Deprecated: {why}{by}"),
            0,
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
        lines.push(Line::styled(title, palette.heading()));
        push_wrapped(&mut lines, body, 0, Style::new());
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Retry", palette.heading()));
    let mut advice = e.retry.advice().to_owned();
    if let Some(note) = &e.retry_note {
        advice.push(' ');
        advice.push_str(note);
    }
    push_wrapped(&mut lines, &advice, 0, palette.retry(e.retry));
    if !e.related.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Related (Tab picks, Enter or 1-9 follows)",
            palette.heading(),
        ));
        for (i, r) in e.related.iter().enumerate() {
            let mut style = palette.code();
            if app.focus == Focus::Detail && i == app.related_cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            lines.push(Line::from(vec![
                Span::raw(format!(" {}  ", i + 1)),
                Span::styled(sanitize(r), style),
            ]));
        }
    }
    if !e.actions.is_empty() {
        lines.push(Line::raw(""));
        push_wrapped(
            &mut lines,
            &format!("Actions: {}", e.actions.join(", ")),
            0,
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
    let source = e.provenance();
    if let Some(s) = source {
        push_wrapped(&mut lines, &format!("Source: {s}"), 0, palette.dim());
    }
    lines
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
    lines.push(Line::styled(
        format!(
            "Found in the input {}×, line {}{more}",
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
    app.clamp_detail(lines.len());
    let visible: Vec<Line<'static>> = lines
        .into_iter()
        .skip(app.detail_scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

fn draw_status(frame: &mut Frame<'_>, app: &App<'_>, areas: &Areas, palette: Palette) {
    // The filter reads `all`, `server`, `client/capacity`...; the keys fit in 80 columns.
    let mut filter = app.category.map_or("all", Category::as_str).to_owned();
    if let Some(r) = app.retry {
        filter = format!("{filter}/{r}");
    }
    let keys = match app.focus {
        Focus::Search => "↑↓ move · Enter read · ^F ^R filter · ? help · Esc quit",
        Focus::Detail => "j/k scroll · Tab/Enter related · ⌫ back · o docs · ? help",
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
    ("type", "search codes, summaries, aliases and tags"),
    (
        "Backspace ^U ^W",
        "delete a character, to the start, a word",
    ),
    ("← →", "move in the query"),
    ("↑ ↓ ^P ^N", "move the selection"),
    ("PgUp PgDn Home End", "move by a page, to the ends"),
    ("Enter Tab", "read the selected entry"),
    ("j k ↑ ↓ PgUp PgDn", "scroll the entry (detail focus)"),
    ("Tab S-Tab Enter 1-9", "pick and follow a related code"),
    ("Backspace Alt-←", "go back along the followed codes"),
    ("^F", "filter: all / client / server"),
    ("^R", "filter by retry class"),
    ("^Y", "copy code and summary (OSC 52)"),
    ("o", "open the docs link (detail focus)"),
    ("/", "back to the search line"),
    ("Esc", "clear query, leave detail, close help, quit"),
    ("^C", "quit"),
    ("mouse", "wheel scrolls the pane under it; click selects"),
];

fn draw_help(frame: &mut Frame<'_>, area: Rect) {
    let w = area.width.min(62);
    let h = area.height.min(HELP.len() as u16 + 2);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, r);
    let lines: Vec<Line<'static>> = HELP
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    format!("{k:>20} "),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*v),
            ])
        })
        .collect();
    let blk = if w >= 10 && h >= 3 {
        Block::bordered().title(" keys (any key closes) ")
    } else {
        Block::new()
    };
    frame.render_widget(Paragraph::new(lines).block(blk), r);
}
