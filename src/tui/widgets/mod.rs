//! Reusable drawing pieces: fitted text, tables, charts, popups.

pub mod charts;
pub mod format;
pub mod popup;
pub mod table;
pub mod text;
