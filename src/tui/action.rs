//! What a key means: the actions of the workspace, independent of which key triggers them.

use crate::domain::InteractionKind;

/// The tabs, in header order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Tab {
    /// The morning view: follow-ups due, touches due, at-risk clients without a plan.
    #[default]
    Today,
    Contacts,
    Interactions,
    Segments,
    AtRisk,
    /// The business at a glance: a month, quarter or year against the one before.
    Overview,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Today,
        Tab::Contacts,
        Tab::Interactions,
        Tab::Segments,
        Tab::AtRisk,
        Tab::Overview,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::Contacts => "Contacts",
            Tab::Interactions => "Interactions",
            Tab::Segments => "Segments",
            Tab::AtRisk => "At risk",
            Tab::Overview => "Overview",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// Everything the update function understands. Bindable actions come from the keymap;
/// the text-editing ones are produced while a form, filter or command line has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Close,
    Redraw,
    GoTab(Tab),
    NextTab,
    PrevTab,
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    Filter,
    Sort,
    KindFilter,
    Open,
    Log(InteractionKind),
    AddContact,
    Undo,
    Command,
    EditNote,
    /// Draft a mail to the selected contact from their template, in $EDITOR.
    DraftMail,
    Report,
    /// Merge one of the selected contact's likely duplicates (asks first, in a popup).
    MergeDuplicate,
    /// Plan a follow-up for the selected contact.
    AddFollowUp,
    /// The selected follow-up: done (asking what to log), put off, edited, deleted.
    FollowUpDone,
    FollowUpSnooze,
    FollowUpEdit,
    FollowUpDelete,
    /// The Overview's period: month → quarter → year, and one period earlier or later.
    CyclePeriod,
    EarlierPeriod,
    LaterPeriod,
    // Text editing (forms, filter, command line); not remappable.
    Insert(char),
    DeleteBack,
    DeleteForward,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    ClearLine,
    Submit,
    Cancel,
    NextField,
    PrevField,
    /// The terminal changed size.
    Resize(u16, u16),
}

/// Where a bindable action applies: everywhere, or only on some tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Tabs(&'static [Tab]),
}

impl Scope {
    pub fn covers(self, tab: Tab) -> bool {
        match self {
            Scope::Global => true,
            Scope::Tabs(tabs) => tabs.contains(&tab),
        }
    }
}

/// A bindable action: its config name, what help says, the short footer hint, where it applies
/// and its default keys.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    pub action: Action,
    pub name: &'static str,
    pub description: &'static str,
    pub hint: Option<&'static str>,
    pub scope: Scope,
    pub keys: &'static [&'static str],
}
