//! Rapport: a terminal CRM workspace for one-person companies.
//!
//! Layers depend only downward: `cli`/`tui` → `store` → `scoring` → `domain`; `config` is plain data;
//! `interop` (vCard text ↔ domain types) sits beside `store`, above `domain`.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod interop;
pub mod scoring;
pub mod store;
pub mod tui;
