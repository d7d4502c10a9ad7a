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

const LISTS: &[Tab] = &[Tab::Contacts, Tab::Interactions];
const OPENERS: &[Tab] = &[Tab::Today, Tab::Contacts, Tab::Interactions, Tab::AtRisk];
const TODAY: &[Tab] = &[Tab::Today];
const OVERVIEW: &[Tab] = &[Tab::Overview];

const fn spec(
    action: Action,
    name: &'static str,
    description: &'static str,
    hint: Option<&'static str>,
    scope: Scope,
    keys: &'static [&'static str],
) -> ActionSpec {
    ActionSpec {
        action,
        name,
        description,
        hint,
        scope,
        keys,
    }
}

/// Every bindable action with its defaults, in the order help lists them.
pub const SPECS: &[ActionSpec] = &[
    spec(
        Action::Filter,
        "filter",
        "filter the list as you type",
        Some("filter"),
        Scope::Tabs(LISTS),
        &["/"],
    ),
    spec(
        Action::Sort,
        "sort",
        "cycle the sort column",
        Some("sort"),
        Scope::Tabs(&[Tab::Contacts]),
        &["s"],
    ),
    spec(
        Action::KindFilter,
        "kind_filter",
        "cycle the kind shown",
        Some("kind"),
        Scope::Tabs(&[Tab::Interactions]),
        &["t"],
    ),
    spec(
        Action::Open,
        "open",
        "open the contact (Contacts: full detail)",
        Some("open"),
        Scope::Tabs(OPENERS),
        &["enter"],
    ),
    spec(
        Action::FollowUpDone,
        "follow_up_done",
        "mark the follow-up done (asks what to log, or nothing)",
        Some("done"),
        Scope::Tabs(TODAY),
        &["d"],
    ),
    spec(
        Action::FollowUpSnooze,
        "follow_up_snooze",
        "put the follow-up off (tomorrow, fri, 3d, 2026-12-24 14:00)",
        Some("snooze"),
        Scope::Tabs(TODAY),
        &["z"],
    ),
    spec(
        Action::FollowUpEdit,
        "follow_up_edit",
        "edit the follow-up's text, due date or repeat",
        Some("edit"),
        Scope::Tabs(TODAY),
        &["i"],
    ),
    spec(
        Action::FollowUpDelete,
        "follow_up_delete",
        "delete the follow-up (asks first)",
        Some("delete"),
        Scope::Tabs(TODAY),
        &["x"],
    ),
    spec(
        Action::CyclePeriod,
        "period_kind",
        "show months, quarters or years (cycles)",
        Some("period"),
        Scope::Tabs(OVERVIEW),
        &["P"],
    ),
    spec(
        Action::EarlierPeriod,
        "period_earlier",
        "the period before",
        Some("earlier"),
        Scope::Tabs(OVERVIEW),
        &["[", "left"],
    ),
    spec(
        Action::LaterPeriod,
        "period_later",
        "the period after",
        Some("later"),
        Scope::Tabs(OVERVIEW),
        &["]", "right"],
    ),
    spec(
        Action::AddFollowUp,
        "add_follow_up",
        "plan a follow-up for the selected contact",
        Some("follow up"),
        Scope::Global,
        &["F"],
    ),
    spec(
        Action::Log(InteractionKind::Call),
        "log_call",
        "log a call with the selected contact",
        Some("call"),
        Scope::Global,
        &["c"],
    ),
    spec(
        Action::Log(InteractionKind::Email),
        "log_email",
        "log an email",
        Some("email"),
        Scope::Global,
        &["e"],
    ),
    spec(
        Action::Log(InteractionKind::Meeting),
        "log_meeting",
        "log a meeting",
        Some("meeting"),
        Scope::Global,
        &["m"],
    ),
    spec(
        Action::Log(InteractionKind::Note),
        "log_note",
        "log a note",
        Some("note"),
        Scope::Global,
        &["n"],
    ),
    spec(
        Action::Log(InteractionKind::Purchase),
        "log_purchase",
        "log a purchase",
        Some("purchase"),
        Scope::Global,
        &["p"],
    ),
    spec(
        Action::Log(InteractionKind::Feedback),
        "log_feedback",
        "log feedback ratings",
        Some("feedback"),
        Scope::Global,
        &["f"],
    ),
    spec(
        Action::AddContact,
        "add_contact",
        "add a contact",
        Some("add"),
        Scope::Global,
        &["a"],
    ),
    spec(
        Action::Undo,
        "undo",
        "undo the last entry logged in this session",
        Some("undo"),
        Scope::Global,
        &["u"],
    ),
    spec(
        Action::EditNote,
        "edit_note",
        "edit the contact's note in $EDITOR",
        Some("edit note"),
        Scope::Global,
        &["E"],
    ),
    spec(
        Action::DraftMail,
        "draft_mail",
        "draft a mail to the contact in $EDITOR and send it",
        None,
        Scope::Global,
        &["M"],
    ),
    spec(
        Action::Command,
        "command",
        "run a command as on the CLI (:log call ana)",
        Some("command"),
        Scope::Global,
        &[":"],
    ),
    spec(
        Action::Report,
        "report_actions",
        "report: did the suggested actions work?",
        None,
        Scope::Global,
        &["r"],
    ),
    spec(
        Action::GoTab(Tab::Today),
        "tab_today",
        "show Today",
        None,
        Scope::Global,
        &["1"],
    ),
    spec(
        Action::GoTab(Tab::Contacts),
        "tab_contacts",
        "show Contacts",
        None,
        Scope::Global,
        &["2"],
    ),
    spec(
        Action::GoTab(Tab::Interactions),
        "tab_interactions",
        "show Interactions",
        None,
        Scope::Global,
        &["3"],
    ),
    spec(
        Action::GoTab(Tab::Segments),
        "tab_segments",
        "show Segments",
        None,
        Scope::Global,
        &["4"],
    ),
    spec(
        Action::GoTab(Tab::AtRisk),
        "tab_at_risk",
        "show At risk",
        None,
        Scope::Global,
        &["5"],
    ),
    spec(
        Action::GoTab(Tab::Overview),
        "tab_overview",
        "show Overview",
        None,
        Scope::Global,
        &["6"],
    ),
    spec(
        Action::NextTab,
        "next_tab",
        "next tab",
        None,
        Scope::Global,
        &["tab"],
    ),
    spec(
        Action::PrevTab,
        "prev_tab",
        "previous tab",
        None,
        Scope::Global,
        &["shift-tab"],
    ),
    spec(
        Action::Down,
        "down",
        "move down",
        None,
        Scope::Global,
        &["j", "down"],
    ),
    spec(
        Action::Up,
        "up",
        "move up",
        None,
        Scope::Global,
        &["k", "up"],
    ),
    spec(
        Action::Top,
        "top",
        "go to the first row",
        None,
        Scope::Global,
        &["g", "home"],
    ),
    spec(
        Action::Bottom,
        "bottom",
        "go to the last row",
        None,
        Scope::Global,
        &["G", "end"],
    ),
    spec(
        Action::PageDown,
        "page_down",
        "one page down",
        None,
        Scope::Global,
        &["pgdn", "ctrl-d"],
    ),
    spec(
        Action::PageUp,
        "page_up",
        "one page up",
        None,
        Scope::Global,
        &["pgup", "ctrl-u"],
    ),
    spec(
        Action::Redraw,
        "redraw",
        "redraw the screen",
        None,
        Scope::Global,
        &["ctrl-l"],
    ),
    spec(
        Action::Close,
        "close",
        "close what is open, clear the filter",
        None,
        Scope::Global,
        &["esc"],
    ),
    spec(
        Action::Help,
        "help",
        "show this help",
        Some("help"),
        Scope::Global,
        &["?"],
    ),
    spec(
        Action::Quit,
        "quit",
        "quit",
        Some("quit"),
        Scope::Global,
        &["q", "ctrl-c"],
    ),
];

/// The spec of a config name such as `log_call`.
pub fn spec_named(name: &str) -> Option<&'static ActionSpec> {
    SPECS.iter().find(|s| s.name == name)
}
