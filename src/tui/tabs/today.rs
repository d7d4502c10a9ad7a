//! The Today tab, where the workspace opens: follow-ups overdue and due today, birthdays, stay-in-touch
//! cadences that came round, and the most valuable at-risk clients with nothing planned.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::cadence::CadenceSource;
use crate::domain::text::plural;
use crate::domain::FollowUpSource;
use crate::store::{BirthdayRow, FollowUpRow, ScoredContact, TouchDue};
use crate::tui::action::Action;
use crate::tui::state::{App, TodayItem, TodaySection};
use crate::tui::widgets::format::{self, NONE};
use crate::tui::widgets::table::{fit_columns, Column};
use crate::tui::widgets::text::{pad, pad_left, safe};

/// When · who · what · how often or how much; the last column goes first on narrow screens.
const COLUMNS: [Column; 4] = [
    Column::number("When", 9, 0),
    Column::flex("Contact", 10, 1, 1),
    Column::flex("What", 12, 3, 2),
    Column::fixed("", 13, 3),
];

/// Days late as `3d late`, or the day's time, or `today`.
fn when(due: NaiveDate, time: Option<chrono::NaiveTime>, today: NaiveDate) -> String {
    match (today - due).num_days() {
        late if late >= 1000 => format!("{}y late", late / 365),
        late if late > 0 => format!("{}d late", late),
        _ => time.map_or("today".to_string(), |t| t.format("%H:%M").to_string()),
    }
}

fn follow_up_cells(row: &FollowUpRow, today: NaiveDate) -> [String; 4] {
    let f = &row.follow_up;
    let mut extra: Vec<String> = Vec::new();
    if let Some(every) = f.every {
        extra.push(format!("↻ {}", every.to_text()));
    }
    if f.source == FollowUpSource::Rule {
        extra.push("rule".into());
    }
    [
        when(f.due.date, f.due.time, today),
        safe(&row.contact_name),
        format!("#{} {}", f.id, safe(&f.text)),
        extra.join(" · "),
    ]
}

fn touch_cells(t: &TouchDue, today: NaiveDate) -> [String; 4] {
    let last = t.last_touch.map_or("no touch yet".to_string(), |at| {
        format!("last touch {}", at.date())
    });
    // Where the cadence came from, short enough for the last column.
    let source = match t.source {
        CadenceSource::Own => "own".to_string(),
        CadenceSource::Stage(stage) => stage.label().to_string(),
        CadenceSource::Rhythm => "rhythm".to_string(),
    };
    [
        when(t.due, None, today),
        safe(&t.contact_name),
        last,
        format!("↻ {} {}", t.every.to_text(), source),
    ]
}

fn birthday_cells(b: &BirthdayRow) -> [String; 4] {
    [
        "today".into(),
        safe(&b.name),
        match b.age {
            Some(age) => format!("birthday: turns {age}"),
            None => "birthday".into(),
        },
        String::new(),
    ]
}

fn suggested_cells(row: &ScoredContact) -> [String; 4] {
    let Some(s) = &row.scores else {
        return [
            NONE.into(),
            safe(&row.contact.name),
            NONE.into(),
            String::new(),
        ];
    };
    let why = s.churn_reasons.first().map(|r| safe(&r.text));
    let what = match (why, s.actions.first()) {
        // What to do first: the reason is there to be read when there is room.
        (Some(why), Some(action)) => format!("{}: {}", safe(action), why),
        (Some(why), None) => why,
        (None, Some(action)) => safe(action),
        (None, None) => NONE.into(),
    };
    let churn = s.churn_probability.unwrap_or(0.0);
    [
        format::opt_percent(s.churn_probability),
        safe(&row.contact.name),
        what,
        format!("{} at risk", format::major(churn * s.clv)),
    ]
}

fn section_title(app: &App, section: TodaySection) -> String {
    let state = &app.today_tab;
    let total = state.totals.get(&section).copied().unwrap_or(0);
    let shown = state.items.iter().filter(|(s, _)| *s == section).count();
    let count = match section {
        TodaySection::Suggested => format!("{} of {} at risk", shown, state.at_risk),
        _ if total > shown => format!("{} (first {} shown)", total, shown),
        _ => total.to_string(),
    };
    let empty = match section {
        TodaySection::Overdue => "nothing late",
        TodaySection::DueToday => "nothing due",
        TodaySection::Birthdays => "no birthday",
        TodaySection::StayInTouch => "nobody due for a touch",
        TodaySection::Suggested if state.at_risk == 0 => "nobody at risk",
        TodaySection::Suggested => "every at-risk client has a plan",
    };
    if shown == 0 {
        format!("{} · {}", section.title(), empty)
    } else {
        format!("{} · {}", section.title(), count)
    }
}

fn title(app: &App) -> String {
    let state = &app.today_tab;
    let count = |section| state.totals.get(&section).copied().unwrap_or(0) as i64;
    format!(
        " Today, {} · {} overdue · {} due · {} ",
        app.today.format("%a %-d %b"),
        count(TodaySection::Overdue),
        count(TodaySection::DueToday),
        plural(count(TodaySection::StayInTouch), "touch", "touches"),
    )
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let state = &app.today_tab;
    let block = Block::bordered().title(Span::styled(title(app), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if state.loaded && state.items.is_empty() {
        let text = format!(
            "Nothing is due and nobody at risk is without a plan. {} plans a follow-up for the selected contact on any tab; {} shows Contacts.",
            app.keymap.keys_of(Action::AddFollowUp),
            app.keymap.keys_of(Action::GoTab(crate::tui::Tab::Contacts)),
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let widths = fit_columns(&COLUMNS, inner.width);
    // The When cell carries the urgency colour; a selected row is highlighted whole.
    let line_of = |cells: [String; 4], when_style: Style, style: Style| -> Line<'static> {
        let mut spans = Vec::new();
        for (i, ((text, column), width)) in cells.iter().zip(&COLUMNS).zip(&widths).enumerate() {
            let Some(width) = width else { continue };
            let width = *width as usize;
            if !spans.is_empty() {
                spans.push(Span::styled(" ", style));
            }
            let text = if column.right {
                pad_left(text, width)
            } else {
                pad(text, width)
            };
            spans.push(Span::styled(text, if i == 0 { when_style } else { style }));
        }
        Line::from(spans)
    };
    let height = inner.height as usize;
    let first = state.cursor.offset.min(state.items.len());
    // Scrolled down, the window starts at the section of its first item, whose title is shown
    // even when the section began above; every later section shows its title (empty ones say so).
    let start = match state.items.get(first) {
        Some((section, _)) if first > 0 => *section,
        _ => TodaySection::Overdue,
    };
    let mut lines: Vec<Line> = Vec::new();
    for section in TodaySection::ALL.into_iter().skip_while(|s| *s != start) {
        if lines.len() >= height {
            break;
        }
        // Most days nobody has a birthday: no empty section for it.
        if section == TodaySection::Birthdays && !state.items.iter().any(|(s, _)| *s == section) {
            continue;
        }
        lines.push(Line::from(Span::styled(
            section_title(app, section),
            theme.header_row(),
        )));
        for (index, (_, item)) in state
            .items
            .iter()
            .enumerate()
            .skip(first)
            .filter(|(_, (s, _))| *s == section)
        {
            if lines.len() >= height {
                break;
            }
            let cells = match item {
                TodayItem::FollowUp(row) => follow_up_cells(row, app.today),
                TodayItem::Touch(t) => touch_cells(t, app.today),
                TodayItem::Birthday(b) => birthday_cells(b),
                TodayItem::Suggested(row) => suggested_cells(row),
            };
            let urgency = match item {
                TodayItem::Suggested(row) => theme.churn(
                    row.scores
                        .as_ref()
                        .and_then(|s| s.churn_probability)
                        .unwrap_or(0.0),
                ),
                _ if section == TodaySection::DueToday => theme.plain(),
                _ if cells[0].ends_with("late") => theme.error(),
                _ => theme.plain(),
            };
            lines.push(if index == state.cursor.selected {
                line_of(cells, theme.selected(), theme.selected())
            } else {
                line_of(cells, urgency, theme.plain())
            });
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
