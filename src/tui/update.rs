//! What a key does: `update` changes the state for an action and returns the one effect, if any,
//! that needs the database or the terminal. No I/O happens here.

use super::action::{Action, Tab};
use super::form::{default_instant, Form, Target};
use super::keymap::{self, Key};
use super::merge::{Answer, MergePrompt, Side};
// The effect lives with the state it is carried in (a confirmation holds one).
pub use super::state::Effect;
use super::state::{App, Confirm, ListCursor, Mode, Pager, TodayItem};
use crate::domain::period::Period;
use crate::domain::text::printable;
use crate::domain::InteractionKind;
use crate::store::ScoredSort;

/// The action a key means in the current mode.
pub fn action_for_key(app: &App, key: Key) -> Option<Action> {
    match app.mode {
        Mode::Filter | Mode::Command(_) | Mode::Form(_) | Mode::Confirm(_) | Mode::Merge(_) => {
            keymap::text_action(key)
        }
        Mode::Normal | Mode::Help(_) | Mode::Output(_) => app.keymap.action(app.tab, key),
    }
}

pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if let Action::Resize(width, height) = action {
        resize(app, width, height);
        return None;
    }
    match std::mem::replace(&mut app.mode, Mode::Normal) {
        Mode::Normal => normal(app, action),
        Mode::Help(pager) => {
            app.mode = pager_action(pager, action, app.size.1)
                .map(Mode::Help)
                .unwrap_or(Mode::Normal);
            None
        }
        Mode::Output(pager) => {
            app.mode = pager_action(pager, action, app.size.1)
                .map(Mode::Output)
                .unwrap_or(Mode::Normal);
            None
        }
        Mode::Filter => {
            filter(app, action);
            None
        }
        Mode::Command(mut line) => match action {
            Action::Submit if !line.text().trim().is_empty() => {
                Some(Effect::Run(line.text().trim().to_string()))
            }
            Action::Submit | Action::Cancel => None,
            other => {
                line.apply(other);
                app.mode = Mode::Command(line);
                None
            }
        },
        Mode::Form(form) => form_action(app, form, action),
        Mode::Confirm(confirm) => match action {
            Action::Insert('y' | 'Y') => Some(confirm.effect),
            _ => {
                app.info("Nothing deleted.");
                None
            }
        },
        Mode::Merge(mut prompt) => match prompt.answer(action) {
            Answer::Stay => {
                app.mode = Mode::Merge(prompt);
                None
            }
            Answer::Cancel => {
                app.info("Nothing merged.");
                None
            }
            Answer::Merge { keep, other } => Some(Effect::Merge { keep, other }),
        },
    }
}

fn resize(app: &mut App, width: u16, height: u16) {
    app.size = (width, height);
    for tab in Tab::ALL {
        let height = app.list_height(tab);
        let cursor = app.cursor_mut(tab);
        cursor.clamp(cursor.total, height);
    }
}

/// Scrolls a pager; None closes it.
fn pager_action(mut pager: Pager, action: Action, rows: u16) -> Option<Pager> {
    let page = (rows as usize).saturating_sub(6).max(1);
    let last = pager.lines.len().saturating_sub(1);
    match action {
        Action::Down => pager.scroll = (pager.scroll + 1).min(last),
        Action::Up => pager.scroll = pager.scroll.saturating_sub(1),
        Action::PageDown => pager.scroll = (pager.scroll + page).min(last),
        Action::PageUp => pager.scroll = pager.scroll.saturating_sub(page),
        Action::Top => pager.scroll = 0,
        Action::Bottom => pager.scroll = last,
        Action::Close
        | Action::Quit
        | Action::Help
        | Action::Cancel
        | Action::Submit
        | Action::Open => return None,
        _ => {}
    }
    Some(pager)
}

fn filter(app: &mut App, action: Action) {
    let tab = app.tab;
    let height = app.list_height(tab);
    let line = match tab {
        Tab::Interactions => &mut app.interactions.filter,
        _ => &mut app.contacts.filter,
    };
    match action {
        Action::Submit => {}
        Action::Cancel => {
            line.apply(Action::ClearLine);
            *app.cursor_mut(tab) = ListCursor::default();
        }
        Action::Down => {
            app.cursor_mut(tab).move_by(1, height);
            app.mode = Mode::Filter;
        }
        Action::Up => {
            app.cursor_mut(tab).move_by(-1, height);
            app.mode = Mode::Filter;
        }
        other => {
            let before = line.text().to_string();
            line.apply(other);
            if line.text() != before {
                // A new filter starts at the top; the total is re-counted on refresh.
                *app.cursor_mut(tab) = ListCursor::default();
            }
            app.mode = Mode::Filter;
        }
    }
}

fn form_action(app: &mut App, mut form: Form, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => None,
        Action::Submit => match form.validate(
            app.today,
            default_instant(app.today, app.follow_clock),
            &app.config,
        ) {
            Ok(submission) => {
                // The form stays open until the write succeeds; a store error is shown in it.
                form.error = None;
                app.mode = Mode::Form(form);
                Some(Effect::Save(submission))
            }
            Err(error) => {
                if let Some(field) = error.field {
                    form.focus = field;
                }
                form.error = Some(error);
                app.mode = Mode::Form(form);
                None
            }
        },
        other => {
            form.apply(other);
            app.mode = Mode::Form(form);
            None
        }
    }
}

const SORTS: [ScoredSort; 5] = [
    ScoredSort::Name,
    ScoredSort::ValueAtRisk,
    ScoredSort::Churn,
    ScoredSort::Clv,
    ScoredSort::LastTouch,
];

pub fn sort_label(sort: ScoredSort) -> &'static str {
    match sort {
        ScoredSort::Name => "name",
        ScoredSort::ValueAtRisk => "value at risk",
        ScoredSort::Churn => "churn",
        ScoredSort::Clv => "CLV",
        ScoredSort::LastTouch => "last touch",
        ScoredSort::Id => "id",
    }
}

fn normal(app: &mut App, action: Action) -> Option<Effect> {
    let tab = app.tab;
    let height = app.list_height(tab);
    match action {
        Action::Quit => app.quit = true,
        Action::Close => close(app),
        Action::Help => {
            app.mode = Mode::Help(Pager {
                title: "Keys".into(),
                lines: app.keymap.help_lines(),
                scroll: 0,
            })
        }
        Action::GoTab(to) => app.tab = to,
        Action::NextTab => app.tab = tab.next(),
        Action::PrevTab => app.tab = tab.prev(),
        Action::Down => app.cursor_mut(tab).move_by(1, height),
        Action::Up => app.cursor_mut(tab).move_by(-1, height),
        Action::PageDown => app.cursor_mut(tab).move_by(height as isize, height),
        Action::PageUp => app.cursor_mut(tab).move_by(-(height as isize), height),
        Action::Top => app.cursor_mut(tab).top(height),
        Action::Bottom => app.cursor_mut(tab).bottom(height),
        Action::Filter if matches!(tab, Tab::Contacts | Tab::Interactions) => {
            app.mode = Mode::Filter
        }
        Action::Sort if tab == Tab::Contacts => {
            let next = SORTS[(SORTS
                .iter()
                .position(|s| *s == app.contacts.sort)
                .unwrap_or(0)
                + 1)
                % SORTS.len()];
            app.contacts.sort = next;
            // The same clients in another order: back to the top, and the count still holds
            // (the loader does not count an unchanged list again).
            app.contacts.cursor.top(height);
            app.info(format!("Sorted by {}.", sort_label(next)));
        }
        Action::KindFilter if tab == Tab::Interactions => {
            let kinds = InteractionKind::ALL;
            let next = match app.interactions.kind {
                None => Some(kinds[0]),
                Some(kind) => kinds
                    .iter()
                    .position(|k| *k == kind)
                    .and_then(|i| kinds.get(i + 1))
                    .copied(),
            };
            app.interactions.kind = next;
            app.interactions.cursor = ListCursor::default();
            app.info(match next {
                Some(kind) => format!("Showing {} entries only.", kind),
                None => "Showing every kind.".into(),
            });
        }
        Action::Open => match tab {
            Tab::Contacts => {
                app.contacts.expanded = !app.contacts.expanded && app.selected_contact().is_some()
            }
            Tab::Today | Tab::Interactions | Tab::AtRisk => {
                return app.selected_contact().map(|(id, _)| Effect::Jump(id))
            }
            Tab::Segments | Tab::Overview => {}
        },
        Action::Log(kind) => match app.selected_contact() {
            Some((id, name)) => {
                app.mode = Mode::Form(Form::log(kind, Target { id, name }, &app.config))
            }
            None => app.error(format!(
                "No contact is selected to log a {} with; add one with {}.",
                kind,
                app.keymap.keys_of(Action::AddContact)
            )),
        },
        Action::AddContact => app.mode = Mode::Form(Form::add_contact()),
        Action::AddFollowUp => match app.selected_contact() {
            Some((id, name)) => app.mode = Mode::Form(Form::add_follow_up(Target { id, name })),
            None => app.error(format!(
                "No contact is selected to follow up with; add one with {}.",
                app.keymap.keys_of(Action::AddContact)
            )),
        },
        Action::CyclePeriod | Action::EarlierPeriod | Action::LaterPeriod
            if tab == Tab::Overview =>
        {
            step_period(app, action)
        }
        Action::FollowUpDone
        | Action::FollowUpSnooze
        | Action::FollowUpEdit
        | Action::FollowUpDelete => return on_follow_up(app, action),
        Action::Undo => match app.undo.pop() {
            Some(entry) => return Some(Effect::Undo(entry)),
            None => app.info("Nothing to undo: no entry was logged in this session."),
        },
        Action::Command => app.mode = Mode::Command(Default::default()),
        Action::EditNote => match app.selected_contact() {
            Some((id, _)) => return Some(Effect::EditNote(id)),
            None => app.error("No contact is selected."),
        },
        Action::DraftMail => match app.selected_contact() {
            Some((id, _)) => return Some(Effect::DraftMail(id)),
            None => app.error("No contact is selected."),
        },
        Action::MergeDuplicate if tab == Tab::Contacts => open_merge(app),
        Action::Redraw => return Some(Effect::Redraw),
        // The same report as the CLI's, run in the background and shown in the output pager.
        Action::Report => return Some(Effect::Run("report actions".into())),
        _ => {}
    }
    None
}

/// The Overview's period keys: the next kind around the same days, or one period either way,
/// never before the first sale's period nor after today's. The current period is followed as
/// the days pass (it stays "this month" over midnight).
fn step_period(app: &mut App, action: Action) {
    let today = app.today;
    let state = &mut app.overview;
    let shown = state.period(today);
    let to = match action {
        Action::CyclePeriod => {
            state.kind = shown.kind.cycle();
            Period::containing(state.kind, shown.last_day().min(today))
        }
        Action::EarlierPeriod => {
            let earlier = shown.previous();
            match state.first_sale {
                Some(first) if earlier.end_exclusive() > first => earlier,
                Some(first) => {
                    return app.info(format!(
                        "{} is the first {}: nothing was sold before {}.",
                        shown.label(),
                        shown.kind.key(),
                        first
                    ))
                }
                None => return app.info("Nothing sold yet: there is no earlier period."),
            }
        }
        _ => {
            let later = shown.next();
            if later.start > today {
                return app.info(format!(
                    "{} is the current {}; the next has not begun.",
                    shown.label(),
                    shown.kind.key()
                ));
            }
            later
        }
    };
    state.chosen = (to != Period::containing(to.kind, today)).then_some(to);
}

/// Done, snooze, edit or delete on the selected Today row; other rows say what to do instead.
fn on_follow_up(app: &mut App, action: Action) -> Option<Effect> {
    let Some(row) = app.today_tab.selected_follow_up().cloned() else {
        let message = match app.today_tab.selected() {
            Some((_, TodayItem::Touch(t))) => format!(
                "A stay-in-touch reminder clears when you log a touch with {}: {} call, {} email, {} meeting.",
                printable(&t.contact_name),
                app.keymap.keys_of(Action::Log(InteractionKind::Call)),
                app.keymap.keys_of(Action::Log(InteractionKind::Email)),
                app.keymap.keys_of(Action::Log(InteractionKind::Meeting)),
            ),
            Some((_, TodayItem::Birthday(b))) => format!(
                "It is {}'s birthday today; {} plans a follow-up, {} logs a call.",
                printable(&b.name),
                app.keymap.keys_of(Action::AddFollowUp),
                app.keymap.keys_of(Action::Log(InteractionKind::Call)),
            ),
            Some((_, TodayItem::Suggested(r))) => format!(
                "Nothing is planned for {} yet; {} plans a follow-up.",
                printable(&r.contact.name),
                app.keymap.keys_of(Action::AddFollowUp)
            ),
            _ => "No follow-up is selected.".to_string(),
        };
        app.info(message);
        return None;
    };
    let name = row.contact_name.clone();
    let follow_up = row.follow_up;
    app.mode = match action {
        Action::FollowUpDone => Mode::Form(Form::done(follow_up, &name)),
        Action::FollowUpSnooze => Mode::Form(Form::snooze(follow_up, &name)),
        Action::FollowUpEdit => Mode::Form(Form::edit_follow_up(follow_up, &name)),
        _ => {
            let what = format!(
                "follow-up #{} for {} ({})",
                follow_up.id,
                printable(&name),
                printable(&follow_up.text)
            );
            Mode::Confirm(Confirm {
                question: format!("Delete {}? y to delete, any other key keeps it.", what),
                effect: Effect::DeleteFollowUp(follow_up.id, what),
            })
        }
    };
    None
}

/// The merge popup on the contact in the detail pane, or why not.
fn open_merge(app: &mut App) {
    let Some(detail) = &app.contacts.detail else {
        return app.error("No contact is selected.");
    };
    let open = Side {
        id: detail.contact.id,
        name: detail.contact.name.clone(),
    };
    match MergePrompt::open(open, detail.duplicates.as_deref()) {
        Ok(prompt) => app.mode = Mode::Merge(prompt),
        Err(message) => app.info(message),
    }
}

/// Esc: the expanded detail first, then the filter, then the message.
fn close(app: &mut App) {
    if app.tab == Tab::Contacts && app.contacts.expanded {
        app.contacts.expanded = false;
        return;
    }
    let filter = match app.tab {
        Tab::Contacts => Some(&mut app.contacts.filter),
        Tab::Interactions => Some(&mut app.interactions.filter),
        _ => None,
    };
    if let Some(line) = filter.filter(|l| !l.text().is_empty()) {
        line.apply(Action::ClearLine);
        *app.cursor_mut(app.tab) = ListCursor::default();
        return;
    }
    app.status = None;
}
