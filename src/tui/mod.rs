//! The terminal workspace: the Today view it opens on, then tabs for contacts, interactions,
//! segments, clients at risk and the business overview (a month, quarter or year at a glance),
//! with quick logging and follow-ups on the selected contact.
//!
//! Layout: `action` (what a key means) and `keymap` (which key), `update` (what it does to the
//! `state`), `render` with `tabs/*` and `widgets/*` (how it looks), `data` (loading visible
//! pages from the store), `session` (effects: writes, undo, background work) and `runtime`
//! (the terminal event loop).

pub mod action;
pub mod command;
pub mod data;
pub mod form;
pub mod form_follow_up;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod ledger;
pub mod merge;
pub mod render;
pub mod runtime;
pub mod search;
pub mod session;
pub mod specs;
pub mod state;
pub mod tabs;
pub mod theme;
pub mod update;
pub mod widgets;
pub mod worker;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _};
use chrono::NaiveDate;

pub use action::{Action, Tab};

use crate::config::Config;
use crate::store::Store;
use keymap::Keymap;
use session::Session;
use state::App;
use theme::Theme;

/// Everything the workspace starts from.
#[derive(Debug, Clone)]
pub struct Options {
    pub store_path: PathBuf,
    pub config: Config,
    /// The config file, so `:` commands read the same one (None: the CLI's default lookup).
    pub config_path: Option<PathBuf>,
    pub today: NaiveDate,
    /// None: Today.
    pub start_tab: Option<Tab>,
}

/// Opens the workspace on `store_path` until the user quits (or a signal asks it to stop).
pub fn run(
    store_path: &Path,
    config: Config,
    today: NaiveDate,
    start_tab: Tab,
) -> anyhow::Result<()> {
    run_with(Options {
        store_path: store_path.to_path_buf(),
        config,
        config_path: None,
        today,
        start_tab: Some(start_tab),
    })
}

/// The tab to open on: Today, the morning view (what is due, who is at risk without a plan).
pub fn start_tab() -> Tab {
    Tab::Today
}

pub fn run_with(options: Options) -> anyhow::Result<()> {
    let keymap = Keymap::from_config(&options.config.keys).map_err(|e| anyhow!("config {}", e))?;
    let store = Store::open_with(&options.store_path, options.config.clone())
        .with_context(|| format!("cannot open the database {}", options.store_path.display()))?;
    let tab = match options.start_tab {
        Some(tab) => tab,
        None => start_tab(),
    };
    let stop = runtime::stop_signals().context("cannot install the signal handlers")?;
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        anyhow!("cannot set up the terminal: {}", e)
    })?;
    let result = (|| {
        let size = terminal.size()?;
        let mut app = App::new(
            options.config,
            keymap,
            Theme::from_env(),
            options.today,
            tab,
            (size.width, size.height),
        );
        app.follow_clock = options.today == chrono::Local::now().date_naive();
        let mut session = Session::new(store, app);
        session.set_config_path(options.config_path);
        session.enable_auto_refit();
        runtime::run_loop(&mut terminal, &mut session, &stop)
    })();
    // Errors here mean the terminal is gone (a dropped connection); nothing is left to restore.
    let _ = ratatui::try_restore();
    result
}
