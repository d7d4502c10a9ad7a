//! Rapport: a terminal CRM workspace for one-person companies.
//!
//! Layers depend only downward: `tui` → `cli` → `store` → `scoring` → `domain`; `config` is plain
//! data; `interop` (vCard text ↔ domain types) sits beside `store`, above `domain`; `encryption`
//! seals whole files for `cli`. The binary wires `cli` and `tui` together.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod encryption;
pub mod interop;
pub mod scoring;
pub mod store;
pub mod tui;
