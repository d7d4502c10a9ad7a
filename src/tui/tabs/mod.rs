//! One module per tab; each draws from the state only.

pub mod at_risk;
mod contact_detail;
pub mod contacts;
pub mod interactions;
pub mod overview;
mod overview_mix;
pub mod segments;
pub mod today;
