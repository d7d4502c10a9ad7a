//! Rapport: a terminal CRM workspace for one-person companies.
//!
//! Layers depend only downward: `cli`/`tui` → `store` → `scoring` → `domain`; `config` is plain data.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod scoring;
pub mod store;
pub mod tui;
