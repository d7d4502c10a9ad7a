//! The workspace's state: what each tab shows, which row is selected, what is open.
//! Plain data: no terminal and no database here, so key handling is testable as is.

use chrono::NaiveDate;

use super::action::Tab;
use super::form::Form;
use super::input::LineInput;
use super::keymap::Keymap;
use super::layout;
use super::merge::{Duplicate, MergePrompt};
use super::theme::Theme;
use crate::config::Config;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::{
    Contact, ContactId, Due, FollowUp, FollowUpId, InteractionId, InteractionKind, Scores,
};
use crate::scoring::overview::PeriodFigures;
use crate::scoring::{ModelQuality, SegmentSummary};
use crate::store::{
    BirthdayRow, ContactTotals, FollowUpRow, InteractionRow, ScoredContact, ScoredSort, TouchDue,
};

/// A selection in a list of `total` rows of which a window starting at `offset` is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
    pub total: usize,
}

impl ListCursor {
    /// Moves by `delta` rows, keeping the selection inside the list and the window.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        if self.total == 0 {
            *self = ListCursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, self.total as isize - 1) as usize;
        self.scroll_into_view(height);
    }

    pub fn top(&mut self, height: usize) {
        self.move_by(-(self.total as isize), height);
    }

    pub fn bottom(&mut self, height: usize) {
        self.move_by(self.total as isize, height);
    }

    /// After the list or the window changed size: keep the selection valid and visible.
    pub fn clamp(&mut self, total: usize, height: usize) {
        self.total = total;
        self.move_by(0, height);
    }

    fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.total.saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// Index of the selection inside the loaded window.
    pub fn in_window(&self) -> usize {
        self.selected - self.offset
    }
}

/// What the selected contact's detail pane shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub contact: Contact,
    /// Birthday, title, address, url and every email and phone (the card-side fields).
    pub card: crate::domain::card::Card,
    pub scores: Option<Scores>,
    pub totals: ContactTotals,
    pub referrals: i64,
    pub timeline: Vec<InteractionRow>,
    /// Open follow-ups, soonest first.
    pub follow_ups: Vec<FollowUp>,
    /// Filled a moment later (on the next tick), so moving through the list stays instant.
    pub similar: Option<Vec<(String, f64)>>,
    /// Likely duplicates of the contact (as `rapport duplicates` pairs them), filled a moment
    /// later like `similar`.
    pub duplicates: Option<Vec<Duplicate>>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactsState {
    pub cursor: ListCursor,
    pub filter: LineInput,
    pub sort: ScoredSort,
    pub rows: Vec<ScoredContact>,
    /// False while `cursor.total` is a lower bound (counting stopped early).
    pub total_exact: bool,
    /// The filter's matches are still being searched (by the worker thread).
    pub searching: bool,
    pub detail: Option<Detail>,
    /// The detail fills the body (Enter); Esc returns to the list.
    pub expanded: bool,
}

#[derive(Debug, Clone, Default)]
pub struct InteractionsState {
    pub cursor: ListCursor,
    pub filter: LineInput,
    pub kind: Option<InteractionKind>,
    pub rows: Vec<InteractionRow>,
    /// False while `cursor.total` is a lower bound (counting stopped early).
    pub total_exact: bool,
}

/// One client on the scatter chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterPoint {
    pub segment: usize,
    pub recency_days: f64,
    /// Major units.
    pub spend: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentsData {
    pub summaries: Vec<SegmentSummary>,
    pub points: Vec<ScatterPoint>,
    /// Clients per tenth of churn probability (0–10 %, …, 90–100 %).
    pub churn_histogram: [u64; 10],
    pub scored: usize,
}

#[derive(Debug, Clone, Default)]
pub struct SegmentsState {
    pub cursor: ListCursor,
    pub data: Option<SegmentsData>,
}

/// The churn model in use, for the At-risk title.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    pub version: i64,
    pub fitted_as_of: NaiveDate,
    pub training_size: usize,
    pub quality: ModelQuality,
}

#[derive(Debug, Clone, Default)]
pub struct AtRiskState {
    pub cursor: ListCursor,
    pub rows: Vec<ScoredContact>,
    /// The next planned follow-up of the clients on the page that have one.
    pub planned: std::collections::HashMap<ContactId, Due>,
    pub model: Option<ModelInfo>,
}

/// The Today tab's sections, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TodaySection {
    Overdue,
    DueToday,
    /// Shown only on a day someone has a birthday.
    Birthdays,
    StayInTouch,
    Suggested,
}

impl TodaySection {
    pub const ALL: [TodaySection; 5] = [
        TodaySection::Overdue,
        TodaySection::DueToday,
        TodaySection::Birthdays,
        TodaySection::StayInTouch,
        TodaySection::Suggested,
    ];

    pub fn title(self) -> &'static str {
        match self {
            TodaySection::Overdue => "Overdue",
            TodaySection::DueToday => "Today",
            TodaySection::Birthdays => "Birthdays",
            TodaySection::StayInTouch => "Stay in touch",
            TodaySection::Suggested => "Suggested: at risk, nothing planned",
        }
    }
}

/// One row of the Today tab.
#[derive(Debug, Clone, PartialEq)]
pub enum TodayItem {
    FollowUp(FollowUpRow),
    Touch(TouchDue),
    Birthday(BirthdayRow),
    /// Boxed: scores are large and there are at most a few suggestions.
    Suggested(Box<ScoredContact>),
}

impl TodayItem {
    pub fn contact(&self) -> (ContactId, &str) {
        match self {
            TodayItem::FollowUp(row) => (row.follow_up.contact_id, &row.contact_name),
            TodayItem::Touch(t) => (t.contact_id, &t.contact_name),
            TodayItem::Birthday(b) => (b.contact_id, &b.name),
            TodayItem::Suggested(row) => (row.contact.id, &row.contact.name),
        }
    }
}

/// The Today tab: every item of every section, in order, with each section's full size (the
/// loaded lists are capped).
#[derive(Debug, Clone, Default)]
pub struct TodayState {
    pub cursor: ListCursor,
    /// (section, item) in screen order.
    pub items: Vec<(TodaySection, TodayItem)>,
    pub totals: std::collections::HashMap<TodaySection, usize>,
    /// Clients at risk in all (the suggested ones are the first without a plan).
    pub at_risk: usize,
    pub loaded: bool,
}

impl TodayState {
    pub fn selected(&self) -> Option<&(TodaySection, TodayItem)> {
        self.items.get(self.cursor.selected)
    }

    /// The selected follow-up, if the selection is one.
    pub fn selected_follow_up(&self) -> Option<&FollowUpRow> {
        match self.selected() {
            Some((_, TodayItem::FollowUp(row))) => Some(row),
            _ => None,
        }
    }
}

/// What the Overview shows of one period: its figures, the previous period's (for the changes),
/// and the months up to its end (for the charts).
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewData {
    pub now: PeriodFigures,
    pub before: PeriodFigures,
    /// Up to 24 months, oldest first, ending with the period's last month (today's month while
    /// it runs) and starting no earlier than the first sale's.
    pub months: Vec<PeriodFigures>,
}

/// The Overview tab: which period is chosen and, once the reader has them, its figures.
#[derive(Debug, Clone, Default)]
pub struct OverviewState {
    pub kind: PeriodKind,
    /// The period chosen by stepping; None follows today (the current month, quarter or year).
    pub chosen: Option<Period>,
    /// The day of the first purchase: no period before its own is shown.
    pub first_sale: Option<NaiveDate>,
    /// Looked up, and nothing was ever sold.
    pub nothing_sold: bool,
    /// The figures of a period, or why they could not be read; the reader fills it in.
    pub data: Option<(Period, Result<OverviewData, String>)>,
    /// Nothing to select here; the movement keys move this and nothing else.
    pub cursor: ListCursor,
}

impl OverviewState {
    /// The period on screen.
    pub fn period(&self, today: NaiveDate) -> Period {
        self.chosen
            .unwrap_or_else(|| Period::containing(self.kind, today))
    }

    /// What was read for `period`; None while it is being read.
    pub fn data_of(&self, period: Period) -> Option<Result<&OverviewData, &str>> {
        match &self.data {
            Some((of, result)) if *of == period => Some(result.as_ref().map_err(String::as_str)),
            _ => None,
        }
    }
}

/// A scrollable block of text (help, command output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing into the current tab's filter.
    Filter,
    Form(Form),
    Command(LineInput),
    Help(Pager),
    Output(Pager),
    /// A yes/no question on the status line; `y` does the effect, anything else cancels.
    Confirm(Confirm),
    /// Merging a likely duplicate: what would move, which is kept; `y` merges.
    Merge(MergePrompt),
}

/// What a yes answers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub effect: Effect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// One entry logged in this session, which `u` can take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoEntry {
    pub interaction: InteractionId,
    pub description: String,
}

/// The whole workspace.
#[derive(Debug, Clone)]
pub struct App {
    pub tab: Tab,
    pub mode: Mode,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub today: NaiveDate,
    pub config: Config,
    pub keymap: Keymap,
    pub theme: Theme,
    pub today_tab: TodayState,
    pub contacts: ContactsState,
    pub interactions: InteractionsState,
    pub segments: SegmentsState,
    pub at_risk: AtRiskState,
    pub overview: OverviewState,
    pub status: Option<Status>,
    pub undo: Vec<UndoEntry>,
    /// A command or refit running in the background, described for the status line.
    pub busy: Option<String>,
    pub quit: bool,
    /// Entries logged without a date get the current time (false: noon of `today`, for tests
    /// and `--as-of`), and `today` moves on at midnight.
    pub follow_clock: bool,
    /// Bumped whenever the data may have changed; cached pages older than it reload.
    pub generation: u64,
}

impl App {
    pub fn new(
        config: Config,
        keymap: Keymap,
        theme: Theme,
        today: NaiveDate,
        tab: Tab,
        size: (u16, u16),
    ) -> App {
        App {
            tab,
            mode: Mode::Normal,
            size,
            today,
            config,
            keymap,
            theme,
            today_tab: TodayState::default(),
            contacts: ContactsState::default(),
            interactions: InteractionsState::default(),
            segments: SegmentsState::default(),
            at_risk: AtRiskState::default(),
            overview: OverviewState::default(),
            status: None,
            undo: Vec::new(),
            busy: None,
            quit: false,
            follow_clock: false,
            generation: 0,
        }
    }

    /// Rows of the current tab's list that fit on screen.
    pub fn list_height(&self, tab: Tab) -> usize {
        layout::list_rows(tab, self.size, self.contacts.expanded)
    }

    pub fn cursor_mut(&mut self, tab: Tab) -> &mut ListCursor {
        match tab {
            Tab::Today => &mut self.today_tab.cursor,
            Tab::Contacts => &mut self.contacts.cursor,
            Tab::Interactions => &mut self.interactions.cursor,
            Tab::Segments => &mut self.segments.cursor,
            Tab::AtRisk => &mut self.at_risk.cursor,
            Tab::Overview => &mut self.overview.cursor,
        }
    }

    /// The contact quick-log keys act on: the selected row of this tab (Segments: the Contacts selection).
    pub fn selected_contact(&self) -> Option<(ContactId, String)> {
        let pick = |rows: &[ScoredContact], cursor: &ListCursor| {
            rows.get(cursor.selected.checked_sub(cursor.offset)?)
                .map(|r| (r.contact.id, r.contact.name.clone()))
        };
        match self.tab {
            Tab::Today => self
                .today_tab
                .selected()
                .map(|(_, item)| item.contact())
                .map(|(id, name)| (id, name.to_string())),
            Tab::Contacts | Tab::Segments => pick(&self.contacts.rows, &self.contacts.cursor),
            Tab::AtRisk => pick(&self.at_risk.rows, &self.at_risk.cursor),
            Tab::Interactions => {
                let cursor = &self.interactions.cursor;
                let row = self
                    .interactions
                    .rows
                    .get(cursor.selected.checked_sub(cursor.offset)?)?;
                Some((row.interaction.contact_id, row.contact_name.clone()))
            }
            Tab::Overview => None,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Marks every cached page stale.
    pub fn data_changed(&mut self) {
        self.generation += 1;
    }
}

/// Work for the runtime: writes, background commands, the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save(super::form::Submission),
    Undo(UndoEntry),
    /// A command line as typed after `:`.
    Run(String),
    EditNote(ContactId),
    /// Draft a mail to this contact in $EDITOR.
    DraftMail(ContactId),
    /// Delete this follow-up (asked first); the text says which.
    DeleteFollowUp(FollowUpId, String),
    /// Show this contact on the Contacts tab.
    Jump(ContactId),
    /// Merge `other` into `keep` (confirmed in the merge popup).
    Merge {
        keep: ContactId,
        other: ContactId,
    },
    Redraw,
}
