//! The terminal UI's state and the actions that change it. Pure: no terminal, no drawing, no
//! I/O. Side effects the user asks for (copy, open a link, edit a team file, end with a choice)
//! come back as [`Effect`]s for the event loop to perform, so every transition is testable.
//!
//! As in fzf, every edit of the query ranks again and puts the best hit on top, selected; a
//! filter toggle keeps the selection on the same row when it is still listed.

use crate::catalog::{CROSS_SERVICE, Catalog, Category, Item, Kind, Retry, split_reference};
use crate::extract::{Found, Occurrence};
use crate::search::{Hit, Index};

/// Everything a key, a click or a resize can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Insert a character into the query at the cursor.
    Insert(char),
    /// Insert pasted text into the query (line breaks become spaces).
    Paste(String),
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
    /// Select the next row (scroll down in the detail).
    Down,
    /// Select the previous row (scroll up in the detail).
    Up,
    /// A page further down.
    PageDown,
    /// A page further up.
    PageUp,
    /// The first row (the top of the detail).
    First,
    /// The last row (the end of the detail).
    Last,
    /// Read the selected entry; in the detail, show the related codes, then follow the
    /// highlighted one; in pick mode, choose the selected code.
    Enter,
    /// Highlight the next related code in the detail pane (and scroll it into view).
    NextRelated,
    /// Highlight the previous related code in the detail pane.
    PrevRelated,
    /// Follow the n-th related code (1-based).
    FollowRelated(usize),
    /// Go back along the trail of followed related codes.
    Back,
    /// Clear the query, leave the detail, close help, or quit from an empty search.
    Escape,
    /// Cycle the category filter: all, client, server.
    CycleCategory,
    /// Cycle the retry-class filter: any, then each class.
    CycleRetry,
    /// Cycle the kind filter: all, written explanations, registry codes.
    CycleKind,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Copy the shown code and its summary to the clipboard.
    Copy,
    /// Open the shown entry's documentation link.
    OpenDocs,
    /// Edit the team's notes for the shown code.
    Edit,
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
    /// Quit now (Ctrl-C): status 130, as fzf.
    Interrupt,
    /// Quit (q in the detail).
    Quit,
}

/// Something the event loop must do outside the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Open this URL with the system opener.
    Open(String),
    /// Open the team file for this service and code in the editor, then reload.
    Edit {
        /// The service of the code.
        service: String,
        /// The code.
        code: String,
    },
}

/// How the UI ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Esc from an empty search, or q.
    Quit,
    /// Ctrl-C.
    Interrupted,
    /// Enter in pick mode: this code was chosen.
    Picked(String),
    /// Esc in pick mode: nothing was chosen.
    Cancelled,
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
    /// The item shown (an index into [`App::items`]), if the code is known.
    pub item: Option<usize>,
    /// The piped-text finding this row stands for, if any.
    pub found: Option<usize>,
    /// Character indices of the code matched by the query.
    pub matches: Vec<usize>,
}

/// The UI's whole state.
pub struct App<'c> {
    catalog: &'c Catalog,
    index: Index<'c>,
    /// Codes found in piped text, listed first.
    pub found: &'c [Found],
    /// For each finding, its item.
    found_items: Vec<Option<usize>>,
    /// The query as typed.
    pub query: String,
    /// Cursor position in the query, in characters.
    pub cursor: usize,
    /// Category filter.
    pub category: Option<Category>,
    /// Retry-class filter.
    pub retry: Option<Retry>,
    /// Kind filter.
    pub kind: Option<Kind>,
    /// Only this service's codes (`--service`).
    pub service: Option<String>,
    /// The rows matching the query and filters.
    pub rows: Vec<Row>,
    /// The selected row.
    pub selected: usize,
    /// The first visible row.
    pub list_offset: usize,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// The first visible line of the detail.
    pub detail_scroll: usize,
    /// Items reached by following related codes (the detail shows the last).
    pub trail: Vec<usize>,
    /// The highlighted related code, once the reader has asked for them.
    pub related_cursor: Option<usize>,
    /// Where the highlighted related code is in the detail (set by the view), to scroll to it.
    pub related_line: Option<usize>,
    /// Scroll the detail to this heading on the next draw (after team notes were written).
    pub reveal: Option<&'static str>,
    /// Whether the help overlay is shown.
    pub help: bool,
    /// A one-line message for the status line.
    pub message: Option<String>,
    /// Set when the UI should end, and how.
    pub end: Option<End>,
    /// Enter chooses a code instead of reading it (`--pick`).
    pub pick: bool,
    list_rows: usize,
    detail_rows: usize,
}

impl<'c> App<'c> {
    /// A UI over the catalog, with piped-text findings listed first.
    pub fn new(catalog: &'c Catalog, found: &'c [Found]) -> App<'c> {
        let index = Index::new(catalog);
        let found_items = found
            .iter()
            .map(|f| {
                let items = index.items();
                let same = |i: &&Item<'_>| i.code == f.code;
                let by_service = |i: &&Item<'_>| {
                    f.service.as_deref().is_some_and(|s| {
                        i.service == Some(s) || i.rows.iter().any(|r| r.service().id == s)
                    })
                };
                items
                    .iter()
                    .position(|i| same(&i) && by_service(&i))
                    .or_else(|| {
                        items
                            .iter()
                            .position(|i| same(&i) && i.service == Some(CROSS_SERVICE))
                    })
                    .or_else(|| items.iter().position(|i| same(&i)))
            })
            .collect();
        let mut app = App {
            catalog,
            index,
            found,
            found_items,
            query: String::new(),
            cursor: 0,
            category: None,
            retry: None,
            kind: None,
            service: None,
            rows: Vec::new(),
            selected: 0,
            list_offset: 0,
            focus: Focus::Search,
            detail_scroll: 0,
            trail: Vec::new(),
            related_cursor: None,
            related_line: None,
            reveal: None,
            help: false,
            message: None,
            end: None,
            pick: false,
            list_rows: 10,
            detail_rows: 10,
        };
        app.refresh(true);
        app
    }

    /// The catalog.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// Every item, in catalog order.
    pub fn items(&self) -> &[Item<'c>] {
        self.index.items()
    }

    /// The item the detail pane shows: the end of the trail, or the selected row's.
    pub fn shown(&self) -> Option<usize> {
        self.trail
            .last()
            .copied()
            .or_else(|| self.rows.get(self.selected).and_then(|r| r.item))
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
        let item = &self.index.items()[i];
        self.category.is_none_or(|c| item.category() == c)
            && self.retry.is_none_or(|r| item.retry() == Some(r))
            && self
                .kind
                .is_none_or(|k| (k == Kind::Registry) == (item.kind == Kind::Registry))
            && self.service.as_deref().is_none_or(|s| {
                item.service == Some(s) || item.rows.iter().any(|r| r.service().id == s)
            })
    }

    /// Recomputes the rows. After an edit of the query (`reset`) the best hit is selected, at
    /// the top; after a filter change the selection stays on the same row when it is listed.
    fn refresh(&mut self, reset: bool) {
        let before = self.rows.get(self.selected).map(|r| (r.item, r.found));
        let hits: Vec<Hit> = self.index.rank(&self.query, |i| self.keep(i));
        let mut rows = Vec::with_capacity(hits.len() + self.found.len());
        let mut listed = vec![false; self.index.len()];
        let q = self.query.trim().to_lowercase();
        for (fi, f) in self.found.iter().enumerate() {
            let item = self.found_items[fi];
            let passes = item.map_or(
                self.category.is_none() && self.retry.is_none() && self.kind.is_none(),
                |i| self.keep(i),
            );
            let matches_query = q.is_empty()
                || f.code.to_lowercase().contains(&q)
                || hits.iter().any(|h| Some(h.index) == item);
            if passes && matches_query {
                if let Some(i) = item {
                    listed[i] = true;
                }
                let matches = item
                    .and_then(|i| hits.iter().find(|h| h.index == i))
                    .map(|h| h.code_matches.clone())
                    .unwrap_or_default();
                rows.push(Row {
                    item,
                    found: Some(fi),
                    matches,
                });
            }
        }
        rows.extend(hits.into_iter().filter(|h| !listed[h.index]).map(|h| Row {
            item: Some(h.index),
            found: None,
            matches: h.code_matches,
        }));
        self.rows = rows;
        self.selected = if reset {
            0
        } else {
            before
                .and_then(|b| self.rows.iter().position(|r| (r.item, r.found) == b))
                .unwrap_or(0)
        };
        if reset {
            self.list_offset = 0;
        }
        self.detail_scroll = 0;
        self.related_cursor = None;
        self.clamp();
    }

    fn select(&mut self, to: usize) {
        let last = self.rows.len().saturating_sub(1);
        let to = to.min(last);
        if to != self.selected {
            self.selected = to;
            self.detail_scroll = 0;
            self.related_cursor = None;
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

    /// The related codes of the shown item, as written (`Code` or `service:Code`).
    pub fn related(&self) -> Vec<&'c str> {
        self.shown()
            .and_then(|i| self.index.items()[i].entry)
            .map(|e| e.related.iter().map(|r| &**r).collect())
            .unwrap_or_default()
    }

    /// The item a related reference leads to: the same service's code, the cross-service
    /// entry, or the registry's code; `service:Code` in that service.
    fn resolve(&self, from: usize, reference: &str) -> Option<usize> {
        let items = self.index.items();
        let own = items[from].service;
        let (service, code) = split_reference(reference);
        let find = |s: Option<&str>| {
            items.iter().position(|i| {
                i.code == code
                    && (s.is_none()
                        || i.service == s
                        || i.rows.iter().any(|r| Some(r.service().id) == s))
            })
        };
        match service {
            Some(s) => find(Some(s)),
            None => find(own)
                .or_else(|| find(Some(CROSS_SERVICE)))
                .or_else(|| find(None)),
        }
    }

    fn follow(&mut self, n: usize) {
        let related = self.related();
        let Some(reference) = related.get(n) else {
            self.message = Some(format!("no related code #{}", n + 1));
            return;
        };
        let Some(from) = self.shown() else { return };
        match self.resolve(from, reference) {
            Some(i) => {
                self.trail.push(i);
                self.focus = Focus::Detail;
                self.detail_scroll = 0;
                self.related_cursor = None;
            }
            None => self.message = Some(format!("{reference} is not in the catalog")),
        }
    }

    fn edit(&mut self, f: impl FnOnce(&mut Vec<char>, &mut usize)) {
        let mut chars: Vec<char> = self.query.chars().collect();
        let mut cursor = self.cursor.min(chars.len());
        f(&mut chars, &mut cursor);
        let query: String = chars.into_iter().collect();
        self.cursor = cursor;
        self.focus = Focus::Search;
        if query == self.query {
            return;
        }
        self.query = query;
        self.trail.clear();
        self.refresh(true);
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

    /// Scrolls the detail so that the highlighted related code is visible (the view tells
    /// where it is).
    pub fn reveal_related(&mut self) {
        if let Some(line) = self.related_line {
            let rows = self.detail_rows.max(1);
            if line < self.detail_scroll {
                self.detail_scroll = line;
            } else if line >= self.detail_scroll + rows {
                self.detail_scroll = line + 1 - rows;
            }
        }
    }

    /// The code shown, with its service (for copying, picking, editing).
    fn shown_code(&self) -> Option<(Option<&'c str>, String)> {
        match (self.shown(), self.shown_found()) {
            (_, Some(f)) => Some((
                self.found_items[self.rows[self.selected].found?]
                    .and_then(|i| self.index.items()[i].service),
                f.code.clone(),
            )),
            (Some(i), None) => {
                let item = &self.index.items()[i];
                Some((item.service, item.code.to_owned()))
            }
            (None, None) => None,
        }
    }

    /// Applies an action; returns a side effect for the event loop, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if !matches!(action, Action::Viewport { .. }) {
            self.message = None;
        }
        if self.help && !matches!(action, Action::Viewport { .. } | Action::Interrupt) {
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
            Action::Paste(text) => {
                let clean: Vec<char> = text
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .take(4096)
                    .collect();
                self.edit(|q, cur| {
                    for c in clean {
                        q.insert(*cur, c);
                        *cur += 1;
                    }
                });
            }
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
            Action::First if self.focus == Focus::Detail => self.detail_scroll = 0,
            Action::Last if self.focus == Focus::Detail => self.detail_scroll = usize::MAX,
            Action::First => self.select(0),
            Action::Last => self.select(usize::MAX),
            Action::Enter if self.pick => match self.shown_code() {
                Some((_, code)) => self.end = Some(End::Picked(code)),
                None => self.message = Some("nothing to pick; type to search".into()),
            },
            Action::Enter if self.focus == Focus::Search => {
                if self.shown().is_some() || self.shown_found().is_some() {
                    self.focus = Focus::Detail;
                    self.detail_scroll = 0;
                }
            }
            Action::Enter => match self.related_cursor {
                // The first Enter in the detail shows where the related codes are; only a
                // highlighted (visible) one is ever followed.
                Some(n) => self.follow(n),
                None if !self.related().is_empty() => {
                    self.related_cursor = Some(0);
                    self.reveal_related();
                }
                None => self.message = Some("no related codes".into()),
            },
            Action::NextRelated | Action::PrevRelated => {
                let n = self.related().len();
                if n > 0 {
                    self.related_cursor = Some(match (self.related_cursor, &action) {
                        (None, _) => 0,
                        (Some(c), Action::NextRelated) => (c + 1) % n,
                        (Some(c), _) => (c + n - 1) % n,
                    });
                    self.reveal_related();
                }
            }
            Action::FollowRelated(n) => self.follow(n.saturating_sub(1)),
            Action::Back => {
                if self.trail.pop().is_some() {
                    self.detail_scroll = 0;
                    self.related_cursor = None;
                } else {
                    self.focus = Focus::Search;
                }
            }
            Action::Escape => {
                if self.focus == Focus::Detail {
                    self.focus = Focus::Search;
                    self.trail.clear();
                    self.detail_scroll = 0;
                    self.related_cursor = None;
                } else if !self.query.is_empty() {
                    self.edit(|q, cur| {
                        q.clear();
                        *cur = 0;
                    });
                } else {
                    self.end = Some(if self.pick { End::Cancelled } else { End::Quit });
                }
            }
            Action::CycleCategory => {
                self.category = match self.category {
                    None => Some(Category::Client),
                    Some(Category::Client) => Some(Category::Server),
                    Some(Category::Server) => None,
                };
                self.refresh(false);
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
                self.refresh(false);
            }
            Action::CycleKind => {
                self.kind = match self.kind {
                    None => Some(Kind::Written),
                    Some(Kind::Written) => Some(Kind::Registry),
                    Some(_) => None,
                };
                self.refresh(false);
            }
            Action::ToggleHelp => self.help = true,
            Action::Copy => {
                let (_, code) = self.shown_code()?;
                let summary = self
                    .shown()
                    .map(|i| self.index.items()[i].summary())
                    .unwrap_or_default();
                self.message = Some(format!("copied {code}"));
                return Some(Effect::Copy(clipboard_text(&code, &summary)));
            }
            Action::OpenDocs => {
                let i = self.shown()?;
                let item = &self.index.items()[i];
                let docs = item
                    .entry
                    .and_then(|e| e.docs.as_deref().map(str::to_owned))
                    .or_else(|| item.rows.first().and_then(|r| r.docs()));
                match docs {
                    Some(url) => {
                        self.message = Some(format!("opening {url}"));
                        return Some(Effect::Open(url));
                    }
                    None => self.message = Some(format!("{} has no documentation link", item.code)),
                }
            }
            Action::Edit => {
                let (service, code) = self.shown_code()?;
                let Some(service) = service else {
                    self.message = Some(format!(
                        "{code} is returned by several services; follow one (service:{code}) to write notes for it"
                    ));
                    return None;
                };
                return Some(Effect::Edit {
                    service: service.to_owned(),
                    code,
                });
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
            Action::Interrupt => self.end = Some(End::Interrupted),
            Action::Quit => self.end = Some(if self.pick { End::Cancelled } else { End::Quit }),
        }
        None
    }

    /// Restores what the reader had: the query, filters and selected code (after a reload).
    pub fn restore(&mut self, from: &Restore) {
        self.query = from.query.clone();
        self.cursor = self.query.chars().count();
        self.category = from.category;
        self.retry = from.retry;
        self.kind = from.kind;
        self.service = from.service.clone();
        self.pick = from.pick;
        self.refresh(true);
        if let Some((service, code)) = &from.selected
            && let Some(pos) = self.rows.iter().position(|r| {
                r.item.is_some_and(|i| {
                    let it = &self.index.items()[i];
                    it.code == code && it.service.map(str::to_owned) == *service
                })
            })
        {
            self.selected = pos;
            self.clamp();
        }
        self.focus = from.focus;
    }

    /// What [`App::restore`] needs to put the reader back where they were.
    pub fn snapshot(&self) -> Restore {
        Restore {
            query: self.query.clone(),
            category: self.category,
            retry: self.retry,
            kind: self.kind,
            service: self.service.clone(),
            pick: self.pick,
            focus: self.focus,
            selected: self.shown().map(|i| {
                let it = &self.index.items()[i];
                (it.service.map(str::to_owned), it.code.to_owned())
            }),
        }
    }
}

impl Restore {
    /// Sets the service filter to restore.
    pub fn set_service(&mut self, service: Option<String>) {
        self.service = service;
    }
}

/// The reader's place, kept across a catalog reload.
#[derive(Debug, Clone)]
pub struct Restore {
    query: String,
    category: Option<Category>,
    retry: Option<Retry>,
    kind: Option<Kind>,
    service: Option<String>,
    pick: bool,
    focus: Focus,
    selected: Option<(Option<String>, String)>,
}

/// What `^Y` puts on the clipboard: `Code: summary`, on one line, without anything that could
/// drive the terminal it is pasted into (a team file's summary is untrusted text).
pub fn clipboard_text(code: &str, summary: &str) -> String {
    let text = if summary.is_empty() {
        code.to_owned()
    } else {
        format!("{code}: {summary}")
    };
    crate::text::sanitize(&text).replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(app: &mut App<'_>, s: &str) {
        for c in s.chars() {
            app.update(Action::Insert(c));
        }
    }

    fn shown_code<'a>(app: &App<'a>) -> Option<&'a str> {
        app.shown().map(|i| app.items()[i].code)
    }

    #[test]
    fn every_edit_selects_the_best_hit_at_the_top() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
        app.update(Action::Viewport {
            list_rows: 20,
            detail_rows: 20,
        });
        app.update(Action::PageDown);
        app.update(Action::PageDown);
        assert!(app.selected > 0);
        typed(&mut app, "insufcap");
        assert_eq!((app.selected, app.list_offset), (0, 0));
        let top3: Vec<&str> = app
            .rows
            .iter()
            .take(3)
            .map(|r| app.items()[r.item.unwrap_or(0)].code)
            .collect();
        assert!(top3.contains(&"InsufficientInstanceCapacity"), "{top3:?}");
        assert!(shown_code(&app).is_some_and(|c| c.starts_with("Insufficient")));
        app.update(Action::Down);
        typed(&mut app, " ");
        assert_eq!(app.selected, 0, "any edit selects the best hit again");
    }

    #[test]
    fn typing_ranks_and_editing_keys_work() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
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
    fn a_filter_toggle_keeps_the_selection() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
        typed(&mut app, "notfound");
        app.update(Action::Down);
        app.update(Action::Down);
        let before = app.rows[app.selected].clone();
        assert!(app.items()[before.item.unwrap_or(0)].entry.is_some());
        app.update(Action::CycleKind);
        assert_eq!(app.kind, Some(Kind::Written));
        assert_eq!(
            app.rows[app.selected], before,
            "still listed, still selected"
        );
    }

    #[test]
    fn second_enter_reveals_related_codes_and_only_then_follows() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
        typed(&mut app, "InvalidAMIID.NotFound");
        app.update(Action::Enter);
        assert_eq!(app.focus, Focus::Detail);
        app.update(Action::Enter);
        assert_eq!(
            app.related_cursor,
            Some(0),
            "the second Enter highlights, not follows"
        );
        assert_eq!(shown_code(&app), Some("InvalidAMIID.NotFound"));
        app.update(Action::Enter);
        assert_ne!(shown_code(&app), Some("InvalidAMIID.NotFound"));
        assert_eq!(app.trail.len(), 1);
        app.update(Action::Backspace);
        assert_eq!(shown_code(&app), Some("InvalidAMIID.NotFound"));
        app.update(Action::Escape);
        assert_eq!((app.focus, app.trail.len()), (Focus::Search, 0));
        app.update(Action::Escape);
        assert_eq!(app.query, "");
        assert_eq!(app.end, None);
        app.update(Action::Escape);
        assert_eq!(app.end, Some(End::Quit));
    }

    #[test]
    fn pick_mode_chooses_or_cancels_and_ctrl_c_interrupts() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
        app.pick = true;
        typed(&mut app, "VcpuLimitExceeded");
        app.update(Action::Enter);
        assert_eq!(app.end, Some(End::Picked("VcpuLimitExceeded".into())));
        let mut app = App::new(&cat, &[]);
        app.pick = true;
        app.update(Action::Escape);
        assert_eq!(app.end, Some(End::Cancelled));
        let mut app = App::new(&cat, &[]);
        app.update(Action::Interrupt);
        assert_eq!(app.end, Some(End::Interrupted));
    }

    #[test]
    fn help_closes_on_any_key_and_effects_are_returned() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
        app.update(Action::ToggleHelp);
        assert!(app.help);
        app.update(Action::Insert('x'));
        assert!(!app.help);
        assert_eq!(app.query, "");
        typed(&mut app, "VcpuLimitExceeded");
        match app.update(Action::Copy) {
            Some(Effect::Copy(t)) => assert!(t.starts_with("VcpuLimitExceeded: ")),
            other => panic!("expected a copy, got {other:?}"),
        }
        assert!(
            matches!(app.update(Action::OpenDocs), Some(Effect::Open(u)) if u.starts_with("https://"))
        );
        assert!(matches!(
            app.update(Action::Edit),
            Some(Effect::Edit { service, code }) if service == "ec2" && code == "VcpuLimitExceeded"
        ));
    }

    /// Issue: `^Y` on a team entry copied its summary as written, escapes and all.
    #[test]
    fn copying_a_team_entry_copies_clean_text() {
        let team = "service = \"team\"\n[[entry]]\ncode = \"EvilCode\"\ncategory = \"client\"\n\
                    retry = \"never\"\nsummary = \"bad \\u001b]52;c;cHduZWQ=\\u0007news\\u202e \\u009b2J\\u200fend\"\n\
                    cause = \"- c\"\nremedy = \"- r\"\n";
        let (parsed, diags) = crate::catalog::parse_file("team.toml", team).expect("parses");
        assert!(diags.is_empty(), "{diags:?}");
        let (cat, diags) = Catalog::builtin().layered(&[parsed]);
        assert!(diags.is_empty(), "{diags:?}");
        let mut app = App::new(&cat, &[]);
        typed(&mut app, "EvilCode");
        match app.update(Action::Copy) {
            Some(Effect::Copy(t)) => assert_eq!(t, "EvilCode: bad news end"),
            other => panic!("expected a copy, got {other:?}"),
        }
        assert_eq!(clipboard_text("C", "one\ntwo\u{1b}[31m"), "C: one two");
    }

    #[test]
    fn piped_findings_are_listed_first() {
        let cat = Catalog::builtin();
        let found = vec![
            Found {
                code: "VcpuLimitExceeded".into(),
                service: Some("ec2".into()),
                candidates: vec![],
                candidate_count: 0,
                known: true,
                inferred: false,
                handler: false,
                count: 2,
                occurrences: vec![],
            },
            Found {
                code: "TotallyUnknownThing".into(),
                service: None,
                candidates: vec![],
                candidate_count: 0,
                known: false,
                inferred: false,
                handler: false,
                count: 1,
                occurrences: vec![],
            },
        ];
        let app = App::new(&cat, &found);
        assert_eq!(app.rows[0].found, Some(0));
        assert_eq!(
            app.rows[1],
            Row {
                item: None,
                found: Some(1),
                matches: vec![]
            }
        );
        assert_eq!(
            app.rows.len(),
            app.items().len() + 1,
            "a known found code is not listed twice"
        );
    }

    #[test]
    fn mouse_scroll_and_click() {
        let cat = Catalog::builtin();
        let mut app = App::new(&cat, &[]);
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
