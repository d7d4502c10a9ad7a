//! Reusable drawing pieces: fitted text, tables, charts, popups.

pub mod charts;
pub mod format;
pub mod merge_popup;
pub mod popup;
pub mod table;
pub mod text;
