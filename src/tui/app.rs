//! The terminal UI's state and the actions that change it. Pure: no terminal, no drawing, no
//! I/O. Side effects the user asks for (copy, open a link) come back as [`Effect`]s for the
//! event loop to perform, so every transition is testable.

use crate::catalog::{Category, Entry, Retry};
use crate::extract::{Found, Occurrence};
use crate::search::{Hit, Index};

/// Everything a key, a click or a resize can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Insert a character into the query at the cursor.
    Insert(char),
    /// Delete the character before the cursor (or go back along the trail in the detail).
    Backspace,
    /// Delete from the cursor to the start of the query (Ctrl-U).
    ClearToStart,
    /// Delete the word before the cursor (Ctrl-W).
    DeleteWord,
    /// Move the query cursor left.
    CursorLeft,
    /// Move the query cursor right.
    CursorRight,
    /// Select the next row.
    Down,
    /// Select the previous row.
    Up,
    /// Select a page further down.
    PageDown,
    /// Select a page further up.
    PageUp,
    /// Select the first row.
    First,
    /// Select the last row.
    Last,
    /// Focus the detail pane (Enter, Tab), or follow the highlighted related code there.
    Enter,
    /// Highlight the next related code in the detail pane.
    NextRelated,
    /// Highlight the previous related code in the detail pane.
    PrevRelated,
    /// Follow the n-th related code (1-based).
    FollowRelated(usize),
    /// Go back along the trail of followed related codes.
    Back,
    /// Scroll the detail pane down one line.
    ScrollDown,
    /// Scroll the detail pane up one line.
    ScrollUp,
    /// Clear the query, leave the detail, close help, or quit from an empty search.
    Escape,
    /// Cycle the category filter: all, client, server.
    CycleCategory,
    /// Cycle the retry-class filter: any, then each class.
    CycleRetry,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Copy the shown code and its summary to the clipboard.
    Copy,
    /// Open the shown entry's documentation link.
    OpenDocs,
    /// Put the focus back on the search line.
    FocusSearch,
    /// Mouse wheel over the list (positive: down).
    ScrollList(i32),
    /// Mouse wheel over the detail (positive: down).
    ScrollDetail(i32),
    /// Click on a list row (0-based among visible rows).
    ClickRow(usize),
    /// The terminal has this many rows for the list and detail (set on every draw).
    Viewport {
        /// Visible list rows.
        list_rows: usize,
        /// Visible detail rows.
        detail_rows: usize,
    },
    /// Quit now (Ctrl-C).
    Quit,
}

/// Something the event loop must do outside the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Open this URL with the system opener.
    Open(String),
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Typing edits the query; arrows move the selection.
    Search,
    /// Keys scroll the detail and follow related codes.
    Detail,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The catalog entry shown, if the code is known.
    pub entry: Option<usize>,
    /// The piped-text finding this row stands for, if any.
    pub found: Option<usize>,
    /// Character indices of the code matched by the query.
    pub matches: Vec<usize>,
}

/// The UI's whole state.
pub struct App<'c> {
    entries: &'c [Entry],
    index: Index,
    /// Codes found in piped text, listed first.
    pub found: &'c [Found],
    /// The query as typed.
    pub query: String,
    /// Cursor position in the query, in characters.
    pub cursor: usize,
    /// Category filter.
    pub category: Option<Category>,
    /// Retry-class filter.
    pub retry: Option<Retry>,
    /// The rows matching the query and filters.
    pub rows: Vec<Row>,
    /// The selected row.
    pub selected: usize,
    /// The first visible list row.
    pub list_offset: usize,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// First visible detail line.
    pub detail_scroll: usize,
    /// Entries reached by following related codes, most recent last.
    pub trail: Vec<usize>,
    /// The highlighted related code in the detail pane.
    pub related_cursor: usize,
    /// Whether the help overlay is shown.
    pub help: bool,
    /// A one-line message for the status bar (cleared on the next key).
    pub message: Option<String>,
    /// Set when the user asked to quit.
    pub quit: bool,
    list_rows: usize,
    detail_rows: usize,
}

impl<'c> App<'c> {
    /// A fresh UI over these entries, with these piped-text findings listed first.
    pub fn new(entries: &'c [Entry], found: &'c [Found]) -> App<'c> {
        let mut app = App {
            entries,
            index: Index::new(entries),
            found,
            query: String::new(),
            cursor: 0,
            category: None,
            retry: None,
            rows: Vec::new(),
            selected: 0,
            list_offset: 0,
            focus: Focus::Search,
            detail_scroll: 0,
            trail: Vec::new(),
            related_cursor: 0,
            help: false,
            message: None,
            quit: false,
            list_rows: 10,
            detail_rows: 10,
        };
        app.refresh();
        app
    }

    /// All catalog entries.
    pub fn entries(&self) -> &'c [Entry] {
        self.entries
    }

    /// The entry the detail pane shows: the end of the trail, or the selected row's.
    pub fn shown(&self) -> Option<usize> {
        self.trail
            .last()
            .copied()
            .or_else(|| self.rows.get(self.selected).and_then(|r| r.entry))
    }

    /// The selected row's piped-text finding, when the detail shows it.
    pub fn shown_found(&self) -> Option<&'c Found> {
        if !self.trail.is_empty() {
            return None;
        }
        self.rows
            .get(self.selected)
            .and_then(|r| r.found)
            .map(|i| &self.found[i])
    }

    /// Occurrences to show for the selected row.
    pub fn shown_occurrences(&self) -> &'c [Occurrence] {
        self.shown_found().map_or(&[], |f| &f.occurrences)
    }

    fn keep(&self, i: usize) -> bool {
        let e = &self.entries[i];
        self.category.is_none_or(|c| e.category == c) && self.retry.is_none_or(|r| e.retry == r)
    }

    /// Recomputes the rows after the query or a filter changed; keeps the selection on the same
    /// entry when it is still listed.
    fn refresh(&mut self) {
        let before = self.rows.get(self.selected).map(|r| (r.entry, r.found));
        let hits: Vec<Hit> = self.index.rank(&self.query, |i| self.keep(i));
        let mut rows = Vec::with_capacity(hits.len() + self.found.len());
        let mut listed_found = vec![false; self.entries.len()];
        let q = self.query.trim().to_lowercase();
        for (fi, f) in self.found.iter().enumerate() {
            let entry = if f.known {
                self.entries.iter().position(|e| e.code == f.code)
            } else {
                None
            };
            let passes_filter = entry
                .map_or(self.category.is_none() && self.retry.is_none(), |i| {
                    self.keep(i)
                });
            let matches_query = q.is_empty()
                || f.code.to_lowercase().contains(&q)
                || hits.iter().any(|h| Some(h.index) == entry);
            if passes_filter && matches_query {
                if let Some(i) = entry {
                    listed_found[i] = true;
                }
                let matches = entry
                    .and_then(|i| hits.iter().find(|h| h.index == i))
                    .map(|h| h.code_matches.clone())
                    .unwrap_or_default();
                rows.push(Row {
                    entry,
                    found: Some(fi),
                    matches,
                });
            }
        }
        rows.extend(
            hits.into_iter()
                .filter(|h| !listed_found[h.index])
                .map(|h| Row {
                    entry: Some(h.index),
                    found: None,
                    matches: h.code_matches,
                }),
        );
        self.rows = rows;
        self.selected = before
            .and_then(|b| self.rows.iter().position(|r| (r.entry, r.found) == b))
            .unwrap_or(0);
        if self.query.is_empty() && before.is_none() {
            self.selected = 0;
        }
        self.clamp();
    }

    fn select(&mut self, to: usize) {
        let last = self.rows.len().saturating_sub(1);
        let to = to.min(last);
        if to != self.selected {
            self.selected = to;
            self.detail_scroll = 0;
            self.related_cursor = 0;
            self.trail.clear();
        }
        self.clamp();
    }

    /// Keeps the selection visible.
    fn clamp(&mut self) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        let rows = self.list_rows.max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        self.list_offset = self.list_offset.min(self.rows.len().saturating_sub(1));
    }

    fn related(&self) -> Vec<&'c str> {
        self.shown()
            .map(|i| self.entries[i].related.iter().map(|r| &**r).collect())
            .unwrap_or_default()
    }

    fn follow(&mut self, n: usize) {
        let related = self.related();
        let Some(code) = related.get(n) else {
            self.message = Some(format!("no related code #{}", n + 1));
            return;
        };
        let service = self.shown().map(|i| self.entries[i].service.clone());
        match self
            .entries
            .iter()
            .position(|e| e.code == *code && Some(&e.service) == service.as_ref())
        {
            Some(i) => {
                self.trail.push(i);
                self.focus = Focus::Detail;
                self.detail_scroll = 0;
                self.related_cursor = 0;
            }
            None => self.message = Some(format!("{code} is not in the catalog")),
        }
    }

    fn edit(&mut self, f: impl FnOnce(&mut Vec<char>, &mut usize)) {
        let mut chars: Vec<char> = self.query.chars().collect();
        let mut cursor = self.cursor.min(chars.len());
        f(&mut chars, &mut cursor);
        self.query = chars.into_iter().collect();
        self.cursor = cursor;
        self.focus = Focus::Search;
        self.trail.clear();
        self.detail_scroll = 0;
        self.refresh();
    }

    fn scroll_detail(&mut self, by: i32) {
        self.detail_scroll = self.detail_scroll.saturating_add_signed(by as isize);
    }

    /// Clamps the detail scroll to the content height (called by the view, which knows it).
    pub fn clamp_detail(&mut self, content_lines: usize) {
        self.detail_scroll = self
            .detail_scroll
            .min(content_lines.saturating_sub(self.detail_rows.max(1)));
    }

    /// Applies an action; returns a side effect for the event loop, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if !matches!(action, Action::Viewport { .. }) {
            self.message = None;
        }
        if self.help && !matches!(action, Action::Viewport { .. } | Action::Quit) {
            self.help = false;
            return None;
        }
        let page = self.list_rows.max(1);
        match action {
            Action::Insert(c) if !c.is_control() => self.edit(|q, cur| {
                q.insert(*cur, c);
                *cur += 1;
            }),
            Action::Insert(_) => {}
            Action::Backspace if self.focus == Focus::Detail => return self.update(Action::Back),
            Action::Backspace => self.edit(|q, cur| {
                if *cur > 0 {
                    q.remove(*cur - 1);
                    *cur -= 1;
                }
            }),
            Action::ClearToStart => self.edit(|q, cur| {
                q.drain(..*cur);
                *cur = 0;
            }),
            Action::DeleteWord => self.edit(|q, cur| {
                let mut start = *cur;
                while start > 0 && q[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !q[start - 1].is_whitespace() {
                    start -= 1;
                }
                q.drain(start..*cur);
                *cur = start;
            }),
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(self.query.chars().count()),
            Action::Down if self.focus == Focus::Detail => self.scroll_detail(1),
            Action::Up if self.focus == Focus::Detail => self.scroll_detail(-1),
            Action::Down => self.select(self.selected + 1),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::PageDown if self.focus == Focus::Detail => {
                self.scroll_detail(self.detail_rows.max(2) as i32 - 1)
            }
            Action::PageUp if self.focus == Focus::Detail => {
                self.scroll_detail(1 - self.detail_rows.max(2) as i32)
            }
            Action::PageDown => self.select(self.selected + page),
            Action::PageUp => self.select(self.selected.saturating_sub(page)),
            Action::First => self.select(0),
            Action::Last => self.select(usize::MAX),
            Action::Enter if self.focus == Focus::Search => {
                if self.shown().is_some() || self.shown_found().is_some() {
                    self.focus = Focus::Detail;
                }
            }
            Action::Enter => {
                if !self.related().is_empty() {
                    self.follow(self.related_cursor);
                }
            }
            Action::NextRelated => {
                let n = self.related().len();
                if n > 0 {
                    self.related_cursor = (self.related_cursor + 1) % n;
                }
            }
            Action::PrevRelated => {
                let n = self.related().len();
                if n > 0 {
                    self.related_cursor = (self.related_cursor + n - 1) % n;
                }
            }
            Action::FollowRelated(n) => self.follow(n.saturating_sub(1)),
            Action::Back => {
                if self.trail.pop().is_some() {
                    self.detail_scroll = 0;
                    self.related_cursor = 0;
                } else {
                    self.focus = Focus::Search;
                }
            }
            Action::ScrollDown => self.scroll_detail(1),
            Action::ScrollUp => self.scroll_detail(-1),
            Action::Escape => {
                if self.focus == Focus::Detail {
                    self.focus = Focus::Search;
                    self.trail.clear();
                    self.detail_scroll = 0;
                } else if !self.query.is_empty() {
                    self.edit(|q, cur| {
                        q.clear();
                        *cur = 0;
                    });
                } else {
                    self.quit = true;
                }
            }
            Action::CycleCategory => {
                self.category = match self.category {
                    None => Some(Category::Client),
                    Some(Category::Client) => Some(Category::Server),
                    Some(Category::Server) => None,
                };
                self.refresh();
            }
            Action::CycleRetry => {
                self.retry = match self.retry {
                    None => Some(Retry::ALL[0]),
                    Some(r) => Retry::ALL
                        .iter()
                        .position(|x| *x == r)
                        .and_then(|i| Retry::ALL.get(i + 1))
                        .copied(),
                };
                self.refresh();
            }
            Action::ToggleHelp => self.help = true,
            Action::Copy => {
                let text = match (self.shown(), self.shown_found()) {
                    (Some(i), _) => {
                        format!("{}: {}", self.entries[i].code, self.entries[i].summary)
                    }
                    (None, Some(f)) => f.code.clone(),
                    (None, None) => return None,
                };
                self.message = Some(format!(
                    "copied {}",
                    text.split(':').next().unwrap_or_default()
                ));
                return Some(Effect::Copy(text));
            }
            Action::OpenDocs => {
                let i = self.shown()?;
                match &self.entries[i].docs {
                    Some(url) => {
                        self.message = Some(format!("opening {url}"));
                        return Some(Effect::Open(url.to_string()));
                    }
                    None => {
                        self.message = Some(format!(
                            "{} has no documentation link",
                            self.entries[i].code
                        ))
                    }
                }
            }
            Action::FocusSearch => {
                self.focus = Focus::Search;
                self.trail.clear();
            }
            Action::ScrollList(by) => {
                let to = self.selected.saturating_add_signed(by as isize);
                self.select(to);
            }
            Action::ScrollDetail(by) => self.scroll_detail(by),
            Action::ClickRow(r) => {
                let to = self.list_offset + r;
                if to < self.rows.len() {
                    self.select(to);
                    self.focus = Focus::Search;
                }
            }
            Action::Viewport {
                list_rows,
                detail_rows,
            } => {
                self.list_rows = list_rows;
                self.detail_rows = detail_rows;
                self.clamp();
            }
            Action::Quit => self.quit = true,
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn typed(app: &mut App<'_>, s: &str) {
        for c in s.chars() {
            app.update(Action::Insert(c));
        }
    }

    fn shown_code<'a>(app: &App<'a>) -> Option<&'a str> {
        app.shown().map(|i| &*app.entries()[i].code)
    }

    #[test]
    fn typing_ranks_and_editing_keys_work() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        assert_eq!(app.rows.len(), cat.len());
        typed(&mut app, "unauthop");
        assert_eq!(shown_code(&app), Some("UnauthorizedOperation"));
        app.update(Action::DeleteWord);
        assert_eq!(app.query, "");
        typed(&mut app, "ab cd");
        app.update(Action::CursorLeft);
        app.update(Action::CursorLeft);
        app.update(Action::ClearToStart);
        assert_eq!((app.query.as_str(), app.cursor), ("cd", 0));
        app.update(Action::CursorRight);
        app.update(Action::Backspace);
        assert_eq!(app.query, "d");
    }

    #[test]
    fn selection_moves_and_stays_in_bounds() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        app.update(Action::Viewport {
            list_rows: 5,
            detail_rows: 5,
        });
        app.update(Action::Up);
        assert_eq!(app.selected, 0);
        app.update(Action::PageDown);
        assert_eq!(app.selected, 5);
        assert!(app.list_offset <= 5 && app.selected < app.list_offset + 5);
        app.update(Action::Last);
        assert_eq!(app.selected, cat.len() - 1);
        app.update(Action::Down);
        assert_eq!(app.selected, cat.len() - 1);
        app.update(Action::First);
        assert_eq!((app.selected, app.list_offset), (0, 0));
    }

    #[test]
    fn filters_cycle_and_restrict_rows() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        app.update(Action::CycleCategory);
        assert_eq!(app.category, Some(Category::Client));
        app.update(Action::CycleCategory);
        assert!(
            app.rows
                .iter()
                .all(|r| cat.entries()[r.entry.unwrap_or(0)].category == Category::Server)
        );
        app.update(Action::CycleCategory);
        assert_eq!(app.rows.len(), cat.len());
        for _ in 0..Retry::ALL.len() {
            app.update(Action::CycleRetry);
            let r = app.retry.expect("a class");
            assert!(
                app.rows
                    .iter()
                    .all(|row| cat.entries()[row.entry.unwrap_or(0)].retry == r)
            );
        }
        app.update(Action::CycleRetry);
        assert_eq!(app.retry, None);
    }

    #[test]
    fn detail_focus_follows_related_and_goes_back() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        typed(&mut app, "InvalidAMIID.NotFound");
        app.update(Action::Enter);
        assert_eq!(app.focus, Focus::Detail);
        let first_related = cat
            .get("InvalidAMIID.NotFound")
            .and_then(|e| e.related.first().cloned())
            .expect("has related");
        app.update(Action::Enter);
        assert_eq!(shown_code(&app), Some(&*first_related));
        app.update(Action::Backspace);
        assert_eq!(shown_code(&app), Some("InvalidAMIID.NotFound"));
        app.update(Action::FollowRelated(1));
        assert_eq!(app.trail.len(), 1);
        app.update(Action::Escape);
        assert_eq!((app.focus, app.trail.len()), (Focus::Search, 0));
        app.update(Action::Escape);
        assert_eq!(app.query, "");
        assert!(!app.quit);
        app.update(Action::Escape);
        assert!(app.quit);
    }

    #[test]
    fn help_closes_on_any_key_and_effects_are_returned() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        app.update(Action::ToggleHelp);
        assert!(app.help);
        app.update(Action::Insert('x'));
        assert!(!app.help);
        assert_eq!(app.query, "");
        app.update(Action::Escape);
        typed(&mut app, "VcpuLimitExceeded");
        match app.update(Action::Copy) {
            Some(Effect::Copy(t)) => assert!(t.starts_with("VcpuLimitExceeded: ")),
            other => panic!("expected a copy, got {other:?}"),
        }
        assert!(
            matches!(app.update(Action::OpenDocs), Some(Effect::Open(u)) if u.starts_with("https://"))
        );
    }

    #[test]
    fn piped_findings_are_listed_first() {
        let cat = Catalog::builtin();
        let found = vec![
            Found {
                code: "VcpuLimitExceeded".into(),
                known: true,
                count: 2,
                occurrences: vec![],
            },
            Found {
                code: "TotallyUnknownThing".into(),
                known: false,
                count: 1,
                occurrences: vec![],
            },
        ];
        let app = App::new(cat.entries(), &found);
        assert_eq!(app.rows[0].found, Some(0));
        assert_eq!(
            app.rows[1],
            Row {
                entry: None,
                found: Some(1),
                matches: vec![]
            }
        );
        assert_eq!(
            app.rows.len(),
            cat.len() + 1,
            "a known found code is not listed twice"
        );
    }

    #[test]
    fn mouse_scroll_and_click() {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        app.update(Action::Viewport {
            list_rows: 10,
            detail_rows: 10,
        });
        app.update(Action::ScrollList(3));
        assert_eq!(app.selected, 3);
        app.update(Action::ClickRow(7));
        assert_eq!(app.selected, 7);
        app.update(Action::ScrollDetail(4));
        assert_eq!(app.detail_scroll, 4);
        app.clamp_detail(6);
        assert_eq!(
            app.detail_scroll, 0,
            "content shorter than the pane cannot scroll"
        );
    }
}
