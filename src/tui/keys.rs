//! Mapping terminal events (keys, mouse, resize) to [`Action`]s, depending on the focus.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::app::{Action, App, Focus};
use super::view::Areas;

/// The action for an event, if it means one.
pub fn action(ev: &Event, app: &App<'_>, areas: &Areas) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => key(*k, app.focus),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Mouse(m) => mouse(*m, areas),
        Event::Resize(..) => Some(Action::Viewport {
            list_rows: 1,
            detail_rows: 1,
        }),
        _ => None,
    }
}

/// The action for a key press.
pub fn key(k: KeyEvent, focus: Focus) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    Some(match (k.code, ctrl, focus) {
        (KeyCode::Char('c'), true, _) => Action::Interrupt,
        (KeyCode::Char('t'), true, _) => Action::CycleKind,
        (KeyCode::Char('u'), true, _) => Action::ClearToStart,
        (KeyCode::Char('w'), true, _) => Action::DeleteWord,
        (KeyCode::Char('n'), true, _) => Action::Down,
        (KeyCode::Char('p'), true, _) => Action::Up,
        (KeyCode::Char('f'), true, _) => Action::CycleCategory,
        (KeyCode::Char('r'), true, _) => Action::CycleRetry,
        (KeyCode::Char('y'), true, _) => Action::Copy,
        (KeyCode::Char(_), true, _) => return None,
        (KeyCode::Left, _, _) if alt => Action::Back,
        (KeyCode::Char('?'), _, _) => Action::ToggleHelp,
        (KeyCode::Esc, _, _) => Action::Escape,
        (KeyCode::Up, _, _) => Action::Up,
        (KeyCode::Down, _, _) => Action::Down,
        (KeyCode::PageUp, _, _) => Action::PageUp,
        (KeyCode::PageDown, _, _) => Action::PageDown,
        (KeyCode::Home, _, Focus::Search) => Action::First,
        (KeyCode::End, _, Focus::Search) => Action::Last,
        (KeyCode::Enter, _, _) => Action::Enter,
        (KeyCode::Backspace, _, _) => Action::Backspace,
        // Search focus: characters edit the query.
        (KeyCode::Tab, _, Focus::Search) => Action::Enter,
        (KeyCode::Left, _, Focus::Search) => Action::CursorLeft,
        (KeyCode::Right, _, Focus::Search) => Action::CursorRight,
        (KeyCode::Char(c), _, Focus::Search) => Action::Insert(c),
        // Detail focus: letters are commands.
        (KeyCode::Tab, _, Focus::Detail) => Action::NextRelated,
        (KeyCode::BackTab, _, Focus::Detail) => Action::PrevRelated,
        (KeyCode::Char('j'), _, Focus::Detail) => Action::Down,
        (KeyCode::Char('k'), _, Focus::Detail) => Action::Up,
        (KeyCode::Char(' '), _, Focus::Detail) => Action::PageDown,
        (KeyCode::Char('o'), _, Focus::Detail) => Action::OpenDocs,
        (KeyCode::Char('e'), _, Focus::Detail) => Action::Edit,
        (KeyCode::Char('g'), _, Focus::Detail) => Action::First,
        (KeyCode::Char('G'), _, Focus::Detail) => Action::Last,
        (KeyCode::Char('q'), _, Focus::Detail) => Action::Quit,
        (KeyCode::Char('/'), _, Focus::Detail) => Action::FocusSearch,
        (KeyCode::Char(d @ '1'..='9'), _, Focus::Detail) => {
            Action::FollowRelated(d as usize - '0' as usize)
        }
        (KeyCode::Left, _, Focus::Detail) => Action::Back,
        (KeyCode::Home, _, Focus::Detail) => Action::First,
        (KeyCode::End, _, Focus::Detail) => Action::Last,
        _ => return None,
    })
}

fn inside(r: ratatui::layout::Rect, col: u16, row: u16) -> bool {
    col >= r.x && col < r.x + r.width && row >= r.y && row < r.y + r.height
}

/// The action for a mouse event: the wheel scrolls the pane under the pointer, a click selects.
pub fn mouse(m: MouseEvent, areas: &Areas) -> Option<Action> {
    let in_list = inside(areas.list, m.column, m.row);
    let in_detail = inside(areas.detail, m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown if in_list => Some(Action::ScrollList(3)),
        MouseEventKind::ScrollUp if in_list => Some(Action::ScrollList(-3)),
        MouseEventKind::ScrollDown if in_detail => Some(Action::ScrollDetail(3)),
        MouseEventKind::ScrollUp if in_detail => Some(Action::ScrollDetail(-3)),
        MouseEventKind::Down(MouseButton::Left) if in_list => {
            let inner = areas.inner(areas.list);
            inside(inner, m.column, m.row).then(|| Action::ClickRow(usize::from(m.row - inner.y)))
        }
        _ => None,
    }
}

/// Standard base64 (for OSC 52), without a dependency for twenty lines.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn letters_type_in_search_and_command_in_detail() {
        let k = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(key(k('o'), Focus::Search), Some(Action::Insert('o')));
        assert_eq!(key(k('o'), Focus::Detail), Some(Action::OpenDocs));
        assert_eq!(key(k('3'), Focus::Detail), Some(Action::FollowRelated(3)));
        assert_eq!(
            key(
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Focus::Detail
            ),
            Some(Action::Interrupt)
        );
        assert_eq!(
            key(
                KeyEvent::new(KeyCode::Left, KeyModifiers::ALT),
                Focus::Search
            ),
            Some(Action::Back)
        );
    }
}
