//! The keymap: no two actions share a key in one view, and `[keys]` remapping is checked.

use std::collections::{BTreeMap, HashSet};

use rapport::tui::keymap::{Key, Keymap};
use rapport::tui::specs::SPECS;
use rapport::tui::{Action, Tab};

fn overrides(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, k)| (a.to_string(), k.to_string()))
        .collect()
}

#[test]
fn no_two_actions_share_a_key_in_one_view() {
    let map = Keymap::default();
    for tab in Tab::ALL {
        let mut seen = HashSet::new();
        for binding in map.bindings().iter().filter(|b| b.spec.scope.covers(tab)) {
            for key in &binding.keys {
                assert!(
                    seen.insert(*key),
                    "key {} is bound twice on {:?} (one is {})",
                    key,
                    tab,
                    binding.spec.name
                );
            }
        }
    }
    assert_eq!(map.check_conflicts(), Ok(()));
}

#[test]
fn every_action_has_a_unique_name_and_a_key() {
    let names: HashSet<&str> = SPECS.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), SPECS.len());
    assert!(SPECS.iter().all(|s| !s.keys.is_empty()));
}

#[test]
fn keys_parse_and_print() {
    for (text, shown) in [
        ("q", "q"),
        ("G", "G"),
        ("<ctrl-d>", "ctrl-d"),
        ("C-x", "ctrl-x"),
        ("shift-tab", "shift-tab"),
        ("PgDn", "pgdn"),
        ("f5", "f5"),
        ("space", "space"),
        ("alt-j", "alt-j"),
        ("shift-g", "G"),
    ] {
        assert_eq!(Key::parse(text).unwrap().to_string(), shown, "{text}");
    }
    for bad in ["", "ctrl-", "hyper-x", "f13", "enterr", "<>"] {
        assert!(Key::parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn remapping_replaces_the_default_keys() {
    let map = Keymap::from_config(&overrides(&[("log_call", "C"), ("quit", "ctrl-q")])).unwrap();
    assert_eq!(
        map.action(Tab::Contacts, Key::parse("C").unwrap()),
        Some(Action::Log(rapport::domain::InteractionKind::Call))
    );
    assert_eq!(map.action(Tab::Contacts, Key::parse("c").unwrap()), None);
    assert_eq!(
        map.action(Tab::AtRisk, Key::parse("ctrl-q").unwrap()),
        Some(Action::Quit)
    );
    assert_eq!(map.action(Tab::AtRisk, Key::parse("q").unwrap()), None);
    // Hints and help follow the remap.
    assert!(map
        .hints(Tab::Contacts)
        .iter()
        .any(|(k, h)| k == "C" && *h == "call"));
    assert!(map
        .help_lines()
        .iter()
        .any(|l| l.contains("ctrl-q") && l.contains("quit")));
}

#[test]
fn bad_config_is_a_clear_error() {
    let err = Keymap::from_config(&overrides(&[("launch_rockets", "x")])).unwrap_err();
    assert!(
        err.contains("unknown action 'launch_rockets'") && err.contains("log_call"),
        "{err}"
    );
    let err = Keymap::from_config(&overrides(&[("quit", "ctrl-")])).unwrap_err();
    assert!(
        err.contains("quit") && err.contains("cannot be read"),
        "{err}"
    );
    let err = Keymap::from_config(&overrides(&[("sort", "j")])).unwrap_err();
    assert!(
        err.contains("'j'") && err.contains("down") && err.contains("sort"),
        "{err}"
    );
    // A key free on the tabs where the action lives is fine even if used elsewhere.
    assert!(Keymap::from_config(&overrides(&[("kind_filter", "s")])).is_ok());
}

#[test]
fn the_action_report_key_is_listed_and_remappable() {
    let map = Keymap::default();
    assert_eq!(
        map.action(Tab::AtRisk, Key::parse("r").unwrap()),
        Some(Action::Report)
    );
    assert!(map
        .help_lines()
        .iter()
        .any(|l| l.contains("r ") && l.contains("did the suggested actions work")));
    let map = Keymap::from_config(&overrides(&[("report_actions", "ctrl-r")])).unwrap();
    assert_eq!(
        map.action(Tab::Contacts, Key::parse("ctrl-r").unwrap()),
        Some(Action::Report)
    );
    assert_eq!(map.action(Tab::Contacts, Key::parse("r").unwrap()), None);
}

#[test]
fn follow_up_keys_act_on_today_and_planning_works_from_every_tab() {
    let map = Keymap::default();
    let key = |k: &str| Key::parse(k).unwrap();
    for (k, action) in [
        ("d", Action::FollowUpDone),
        ("z", Action::FollowUpSnooze),
        ("i", Action::FollowUpEdit),
        ("x", Action::FollowUpDelete),
    ] {
        assert_eq!(map.action(Tab::Today, key(k)), Some(action), "{k}");
        assert_eq!(map.action(Tab::Contacts, key(k)), None, "{k} on Contacts");
    }
    for tab in Tab::ALL {
        assert_eq!(
            map.action(tab, key("F")),
            Some(Action::AddFollowUp),
            "{tab:?}"
        );
    }
    // The tab numbers follow the header: Today first.
    for (n, tab) in Tab::ALL.iter().enumerate() {
        assert_eq!(
            map.action(Tab::Contacts, key(&(n + 1).to_string())),
            Some(Action::GoTab(*tab))
        );
    }
    let help = map.help_lines();
    let today = help
        .iter()
        .position(|l| l == "Today")
        .expect("a Today group");
    assert!(help[today..]
        .iter()
        .any(|l| l.contains("d ") && l.contains("asks what to log")));
    assert!(map
        .hints(Tab::Today)
        .iter()
        .any(|(k, h)| k == "z" && *h == "snooze"));
    // Remapped, the old key is free; a clash on Today is refused.
    let map = Keymap::from_config(&overrides(&[("follow_up_done", "D")])).unwrap();
    assert_eq!(map.action(Tab::Today, key("D")), Some(Action::FollowUpDone));
    assert_eq!(map.action(Tab::Today, key("d")), None);
    let err = Keymap::from_config(&overrides(&[("follow_up_snooze", "c")])).unwrap_err();
    assert!(err.contains("log_call") && err.contains("Today"), "{err}");
}

#[test]
fn the_example_config_names_every_action_with_its_default_keys() {
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
            .unwrap();
    for spec in SPECS {
        let entry = format!("{} ({})", spec.name, spec.keys.join(" "));
        assert!(
            example.contains(&entry),
            "config.example.toml does not list {entry}"
        );
    }
}

#[test]
fn the_overview_period_keys_act_there_only_and_are_remappable() {
    let map = Keymap::default();
    let key = |k: &str| Key::parse(k).unwrap();
    for (k, action) in [
        ("P", Action::CyclePeriod),
        ("[", Action::EarlierPeriod),
        ("left", Action::EarlierPeriod),
        ("]", Action::LaterPeriod),
        ("right", Action::LaterPeriod),
    ] {
        assert_eq!(map.action(Tab::Overview, key(k)), Some(action), "{k}");
        assert_eq!(map.action(Tab::Contacts, key(k)), None, "{k} on Contacts");
    }
    // `p` stays the purchase key everywhere; the period kind is `P`.
    assert_eq!(
        map.action(Tab::Overview, key("p")),
        Some(Action::Log(rapport::domain::InteractionKind::Purchase))
    );
    assert_eq!(
        map.action(Tab::Today, key("6")),
        Some(Action::GoTab(Tab::Overview))
    );
    let help = map.help_lines();
    let overview = help
        .iter()
        .position(|l| l == "Overview")
        .expect("an Overview group");
    for (keys, what) in [
        ("P ", "months, quarters or years"),
        ("[ left", "the period before"),
        ("] right", "the period after"),
    ] {
        assert!(
            help[overview..]
                .iter()
                .any(|l| l.contains(keys) && l.contains(what)),
            "{keys} {what} not in {help:?}"
        );
    }
    let hints = map.hints(Tab::Overview);
    assert_eq!(
        hints[..3]
            .iter()
            .map(|(k, h)| format!("{k} {h}"))
            .collect::<Vec<_>>(),
        ["P period", "[ earlier", "] later"]
    );
    // Remapped: the new keys work, the old ones are free; a clash with a global key is refused.
    let map =
        Keymap::from_config(&overrides(&[("period_earlier", "h"), ("period_kind", "y")])).unwrap();
    assert_eq!(
        map.action(Tab::Overview, key("h")),
        Some(Action::EarlierPeriod)
    );
    assert_eq!(map.action(Tab::Overview, key("[")), None);
    assert_eq!(
        map.action(Tab::Overview, key("y")),
        Some(Action::CyclePeriod)
    );
    let err = Keymap::from_config(&overrides(&[("period_later", "c")])).unwrap_err();
    assert!(
        err.contains("log_call") && err.contains("Overview"),
        "{err}"
    );
}
