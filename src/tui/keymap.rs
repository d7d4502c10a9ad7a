//! Which key means which action: defaults from [`SPECS`], patched by the `[keys]` config table.
//! Footer hints and help are generated from here, so they always show the keys in force.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, ActionSpec, Scope, Tab};
use super::specs::{spec_named, SPECS};

/// A key with the modifiers that matter (Ctrl, Alt); Shift is folded into the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// The key codes Rapport binds, in an orderable form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
}

const NAMED: &[(&str, KeyCodeOrd)] = &[
    ("enter", KeyCodeOrd::Enter),
    ("return", KeyCodeOrd::Enter),
    ("esc", KeyCodeOrd::Esc),
    ("escape", KeyCodeOrd::Esc),
    ("tab", KeyCodeOrd::Tab),
    ("backtab", KeyCodeOrd::BackTab),
    ("backspace", KeyCodeOrd::Backspace),
    ("bs", KeyCodeOrd::Backspace),
    ("delete", KeyCodeOrd::Delete),
    ("del", KeyCodeOrd::Delete),
    ("up", KeyCodeOrd::Up),
    ("down", KeyCodeOrd::Down),
    ("left", KeyCodeOrd::Left),
    ("right", KeyCodeOrd::Right),
    ("home", KeyCodeOrd::Home),
    ("end", KeyCodeOrd::End),
    ("pgup", KeyCodeOrd::PageUp),
    ("pageup", KeyCodeOrd::PageUp),
    ("pgdn", KeyCodeOrd::PageDown),
    ("pagedown", KeyCodeOrd::PageDown),
    ("insert", KeyCodeOrd::Insert),
    ("space", KeyCodeOrd::Char(' ')),
];

impl Key {
    pub const fn plain(code: KeyCodeOrd) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// The key of a terminal event, or None for keys Rapport never binds (media keys, modifiers).
    pub fn from_event(event: KeyEvent) -> Option<Key> {
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCodeOrd::BackTab,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Delete => KeyCodeOrd::Delete,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Insert => KeyCodeOrd::Insert,
            _ => return None,
        };
        let mut ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        // Terminals report ctrl-letters as lowercase; fold so `ctrl-D` and `ctrl-d` are one key.
        let code = match code {
            KeyCodeOrd::Char(c) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            other => other,
        };
        if code == KeyCodeOrd::BackTab {
            ctrl = false;
        }
        Some(Key {
            code,
            ctrl,
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Parses `q`, `G`, `ctrl-d`, `<ctrl-d>`, `alt-x`, `shift-tab`, `enter`, `pgdn`, `f5`, `space`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let bad = || {
            format!(
                "key '{}' cannot be read (use e.g. q, G, ctrl-d, alt-x, enter, esc, tab, shift-tab, up, pgdn, f5, space)",
                crate::domain::text::printable(text)
            )
        };
        let trimmed = text.trim();
        let inner = trimmed
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(trimmed);
        if inner.is_empty() {
            return Err(bad());
        }
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = inner;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "c-", "alt-", "a-", "m-", "shift-", "s-"]
                .into_iter()
                .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(prefix) = prefix else { break };
            match prefix {
                "ctrl-" | "c-" => ctrl = true,
                "alt-" | "a-" | "m-" => alt = true,
                _ => shift = true,
            }
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            (Some(c), None) if shift => KeyCodeOrd::Char(c.to_ascii_uppercase()),
            (Some(c), None) => KeyCodeOrd::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
                    *code
                } else if let Some(n) = lower
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n))
                {
                    KeyCodeOrd::F(n)
                } else {
                    return Err(bad());
                }
            }
        };
        let code = match code {
            KeyCodeOrd::Tab if shift => KeyCodeOrd::BackTab,
            other => other,
        };
        if ctrl && code == KeyCodeOrd::BackTab {
            return Err(bad());
        }
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{}", c),
            KeyCodeOrd::F(n) => write!(f, "f{}", n),
            KeyCodeOrd::BackTab => f.write_str("shift-tab"),
            KeyCodeOrd::PageUp => f.write_str("pgup"),
            KeyCodeOrd::PageDown => f.write_str("pgdn"),
            other => {
                let name = NAMED
                    .iter()
                    .find(|(_, code)| *code == other)
                    .map(|(n, _)| *n)
                    .unwrap_or("?");
                f.write_str(name)
            }
        }
    }
}

/// One action with the keys bound to it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub spec: &'static ActionSpec,
    pub keys: Vec<Key>,
}

/// The keys in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = SPECS
            .iter()
            .map(|spec| Binding {
                spec,
                keys: spec
                    .keys
                    .iter()
                    .map(|k| Key::parse(k).expect("default keys parse"))
                    .collect(),
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults patched by `[keys]`: `action = "key"` (several keys separated by spaces).
    /// An unknown action, an unreadable key or two actions on one key in one tab is an error.
    pub fn from_config(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let Some(spec) = spec_named(name) else {
                let known: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
                return Err(format!(
                    "[keys] {}: unknown action '{}'; actions are {}",
                    crate::domain::text::printable(name),
                    crate::domain::text::printable(name),
                    known.join(", ")
                ));
            };
            let parsed = keys
                .split_whitespace()
                .map(Key::parse)
                .collect::<Result<Vec<Key>, String>>()
                .map_err(|e| format!("[keys] {}: {}", name, e))?;
            if parsed.is_empty() {
                return Err(format!("[keys] {}: no key given", name));
            }
            if let Some(binding) = map.bindings.iter_mut().find(|b| b.spec.name == spec.name) {
                binding.keys = parsed;
            }
        }
        map.check_conflicts().map_err(|e| format!("[keys] {}", e))?;
        Ok(map)
    }

    /// Two actions sharing a key on one tab, described, or Ok.
    pub fn check_conflicts(&self) -> Result<(), String> {
        for tab in Tab::ALL {
            let mut seen: BTreeMap<Key, &str> = BTreeMap::new();
            for binding in self.bindings.iter().filter(|b| b.spec.scope.covers(tab)) {
                for key in &binding.keys {
                    if let Some(other) = seen.insert(*key, binding.spec.name) {
                        if other != binding.spec.name {
                            return Err(format!(
                                "key '{}' is bound to both {} and {} on the {} tab",
                                key,
                                other,
                                binding.spec.name,
                                tab.title()
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The action a key means on `tab` in normal mode.
    pub fn action(&self, tab: Tab, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.spec.scope.covers(tab) && b.keys.contains(&key))
            .map(|b| b.spec.action)
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys of an action, as shown (`j/down`).
    pub fn keys_of(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.spec.action == action)
            .map(|b| {
                b.keys
                    .iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }

    /// Help text: every action with its keys, the tab-specific ones grouped by tab.
    pub fn help_lines(&self) -> Vec<String> {
        let line = |b: &Binding| {
            format!(
                "  {:<16} {}",
                b.keys
                    .iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                b.spec.description
            )
        };
        let mut lines = vec!["Everywhere".to_string()];
        lines.extend(
            self.bindings
                .iter()
                .filter(|b| b.spec.scope == Scope::Global)
                .map(line),
        );
        for tab in Tab::ALL {
            let own: Vec<String> = self
                .bindings
                .iter()
                .filter(|b| b.spec.scope != Scope::Global && b.spec.scope.covers(tab))
                .map(line)
                .collect();
            if !own.is_empty() {
                lines.push(String::new());
                lines.push(tab.title().to_string());
                lines.extend(own);
            }
        }
        lines.push(String::new());
        lines.push("In forms, the filter and the command line".to_string());
        for (keys, what) in [
            ("tab shift-tab", "next / previous field"),
            ("enter", "save, keep the filter, run"),
            ("esc ctrl-c", "cancel"),
            ("ctrl-u", "clear the field"),
        ] {
            lines.push(format!("  {:<16} {}", keys, what));
        }
        lines.push(String::new());
        lines.push("Keys can be changed in the config file: [keys] log_call = \"C\"".to_string());
        lines
    }

    /// Footer hints for a tab: its own actions first, then the global ones, help and quit last.
    pub fn hints(&self, tab: Tab) -> Vec<(String, &'static str)> {
        let with_hint = |b: &&Binding| b.spec.hint.is_some() && b.spec.scope.covers(tab);
        let first_key = |b: &Binding| b.keys.first().map(Key::to_string).unwrap_or_default();
        let mut own: Vec<(String, &'static str)> = Vec::new();
        let mut global = Vec::new();
        let mut last = Vec::new();
        for binding in self.bindings.iter().filter(with_hint) {
            let entry = (first_key(binding), binding.spec.hint.unwrap_or_default());
            match (binding.spec.action, binding.spec.scope) {
                (Action::Help | Action::Quit, _) => last.push(entry),
                (_, Scope::Tabs(_)) => own.push(entry),
                (_, Scope::Global) => global.push(entry),
            }
        }
        own.extend(global);
        own.extend(last);
        own
    }
}

/// What a key means while a text field (form, filter, command line) has the keyboard.
pub fn text_action(key: Key) -> Option<Action> {
    let action = match (key.code, key.ctrl) {
        (KeyCodeOrd::Esc, _) => Action::Cancel,
        (KeyCodeOrd::Char('c'), true) => Action::Cancel,
        (KeyCodeOrd::Enter, _) => Action::Submit,
        (KeyCodeOrd::Tab, _) => Action::NextField,
        (KeyCodeOrd::BackTab, _) => Action::PrevField,
        (KeyCodeOrd::Backspace, _) | (KeyCodeOrd::Char('h'), true) => Action::DeleteBack,
        (KeyCodeOrd::Delete, _) => Action::DeleteForward,
        (KeyCodeOrd::Left, _) => Action::CursorLeft,
        (KeyCodeOrd::Right, _) => Action::CursorRight,
        (KeyCodeOrd::Home, _) | (KeyCodeOrd::Char('a'), true) => Action::CursorHome,
        (KeyCodeOrd::End, _) | (KeyCodeOrd::Char('e'), true) => Action::CursorEnd,
        (KeyCodeOrd::Char('u'), true) => Action::ClearLine,
        (KeyCodeOrd::Up, _) => Action::Up,
        (KeyCodeOrd::Down, _) => Action::Down,
        (KeyCodeOrd::Char(c), false) if !key.alt && !c.is_control() => Action::Insert(c),
        _ => return None,
    };
    Some(action)
}

/// Fixed hints of the text-editing modes (not remappable).
pub const FORM_HINTS: &[(&str, &str)] =
    &[("tab", "next field"), ("enter", "save"), ("esc", "cancel")];
pub const FILTER_HINTS: &[(&str, &str)] =
    &[("enter", "keep"), ("esc", "clear"), ("up/down", "move")];
pub const COMMAND_HINTS: &[(&str, &str)] =
    &[("enter", "run"), ("esc", "cancel"), ("ctrl-u", "clear")];
