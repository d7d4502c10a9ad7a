//! Drawing a frame from the state: header tabs, the current tab, key hints, the status line,
//! and whatever is open on top. Reads the state only; no I/O.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::action::Tab;
use super::input::LineInput;
use super::keymap::{COMMAND_HINTS, FILTER_HINTS, FORM_HINTS};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::state::{App, Mode};
use super::tabs;
use super::widgets::text::{clip, safe};
use super::widgets::{merge_popup, popup};

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(screen) = layout::screen(area) else {
        too_small(frame, area);
        return;
    };
    header(frame, screen.header, app);
    match app.tab {
        Tab::Today => tabs::today::render(frame, screen.body, app),
        Tab::Contacts => tabs::contacts::render(frame, screen.body, app),
        Tab::Interactions => tabs::interactions::render(frame, screen.body, app),
        Tab::Segments => tabs::segments::render(frame, screen.body, app),
        Tab::AtRisk => tabs::at_risk::render(frame, screen.body, app),
        Tab::Overview => tabs::overview::render(frame, screen.body, app),
    }
    footer(frame, screen.footer, app);
    status(frame, screen.status, app);
    match &app.mode {
        Mode::Form(form) => popup::form(frame, screen.body, form, &app.theme),
        Mode::Help(pager) | Mode::Output(pager) => {
            popup::pager(frame, screen.body, pager, &app.theme)
        }
        Mode::Merge(prompt) => merge_popup::render(frame, screen.body, prompt, &app.theme),
        _ => {}
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "Rapport needs at least {}×{}; this terminal is {}×{}. Enlarge it, or press q to quit.",
        MIN_WIDTH, MIN_HEIGHT, area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    // Narrow terminals show only the numbers of the other tabs.
    let full_width: usize = Tab::ALL.iter().map(|t| t.title().width() + 4).sum();
    let compact = full_width > area.width as usize;
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let style = if tab == app.tab {
            theme.tab_active()
        } else {
            theme.plain()
        };
        let text = if compact && tab != app.tab {
            format!(" {} ", tab.index() + 1)
        } else {
            format!(" {} {} ", tab.index() + 1, tab.title())
        };
        spans.push(Span::styled(text, style));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let right = format!("Rapport · {}", app.today);
    if used + right.width() + 1 < area.width as usize {
        spans.push(Span::raw(
            " ".repeat(area.width as usize - used - right.width()),
        ));
        spans.push(Span::styled(right, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Key hints of the current view, as many as fit; help and quit always stay at the end.
fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let owned: Vec<(String, &str)>;
    let hints: Vec<(&str, &str)> = match &app.mode {
        Mode::Form(_) => FORM_HINTS.to_vec(),
        Mode::Filter => FILTER_HINTS.to_vec(),
        Mode::Command(_) => COMMAND_HINTS.to_vec(),
        Mode::Help(_) | Mode::Output(_) => vec![("j/k", "scroll"), ("esc", "close")],
        Mode::Confirm(_) => vec![("y", "yes"), ("any other key", "no")],
        Mode::Merge(_) => vec![("y", "merge"), ("tab", "swap kept"), ("n/esc", "cancel")],
        Mode::Normal => {
            owned = app.keymap.hints(app.tab);
            owned.iter().map(|(k, h)| (k.as_str(), *h)).collect()
        }
    };
    let width = area.width as usize;
    let item_width = |(k, h): &(&str, &str)| k.width() + h.width() + 3;
    type Hints<'a> = Vec<(&'a str, &'a str)>;
    let (must, optional): (Hints, Hints) = hints
        .into_iter()
        .partition(|(_, h)| matches!(*h, "help" | "quit"));
    let mut budget = width.saturating_sub(must.iter().map(item_width).sum());
    let mut shown: Vec<(&str, &str)> = Vec::new();
    for hint in optional {
        let w = item_width(&hint);
        if w > budget {
            break;
        }
        budget -= w;
        shown.push(hint);
    }
    shown.extend(must);
    let mut spans = Vec::new();
    for (key, hint) in shown {
        spans.push(Span::styled(format!(" {}", key), theme.key()));
        spans.push(Span::styled(format!(" {} ", hint), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn input_line(frame: &mut Frame, area: Rect, prompt: &str, line: &LineInput) {
    let text = safe(line.text());
    let before: String = line.text().chars().take(line.cursor()).collect();
    let cursor_col = prompt.width() + safe(&before).width();
    // Long input scrolls so the cursor stays on screen.
    let skip = (cursor_col + 1).saturating_sub(area.width as usize);
    let full = format!("{}{}", prompt, text);
    let shown: String = {
        let mut used = 0;
        full.chars()
            .skip_while(|c| {
                let skipping = used < skip;
                used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                skipping
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(shown), area);
    let x = area.x + (cursor_col - skip).min(area.width.saturating_sub(1) as usize) as u16;
    frame.set_cursor_position(Position::new(x, area.y));
}

fn status(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    match &app.mode {
        Mode::Filter => {
            let line = if app.tab == Tab::Interactions {
                &app.interactions.filter
            } else {
                &app.contacts.filter
            };
            return input_line(frame, area, "/", line);
        }
        Mode::Command(line) => return input_line(frame, area, ":", line),
        Mode::Confirm(confirm) => {
            let text = clip(&safe(&confirm.question), area.width as usize);
            frame.render_widget(Paragraph::new(Span::styled(text, theme.key())), area);
            return;
        }
        _ => {}
    }
    let width = area.width as usize;
    let busy = app
        .busy
        .as_ref()
        .map(|b| format!(" ⟳ {}", safe(b)))
        .unwrap_or_default();
    let busy = clip(&busy, width / 3);
    let room = width.saturating_sub(busy.width());
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        let style = if status.error {
            theme.error()
        } else {
            theme.plain()
        };
        spans.push(Span::styled(clip(&safe(&status.text), room), style));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if !busy.is_empty() {
        spans.push(Span::raw(" ".repeat(room.saturating_sub(used))));
        spans.push(Span::styled(busy, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
