//! Rapport: a terminal CRM workspace for one-person companies.
//!
//! Layers depend only downward: `tui` → `cli` → `outbox` (mail out) → `store` → `scoring` →
//! `domain`; `config` is plain data; `interop` (vCard text ↔ domain types) sits beside `store`,
//! above `domain`; `encryption` seals whole files for `cli`; `editor` is the $EDITOR round trip.
//! The binary wires `cli` and `tui` together.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod editor;
pub mod encryption;
pub mod interop;
pub mod outbox;
pub mod scoring;
pub mod store;
pub mod tui;
