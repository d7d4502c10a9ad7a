//! Rapport: a terminal CRM workspace for one-person companies.
//!
//! Layers depend only downward: `cli`/`tui` → `outbox` (mail out) → `store` → `scoring` → `domain`;
//! `config` is plain data, `editor` the $EDITOR round trip.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod editor;
pub mod outbox;
pub mod scoring;
pub mod store;
pub mod tui;
