//! Formats other programs read and write (vCard for khard, phones and vdirsyncer): pure
//! conversions between their text and the domain types, no SQL and no terminal.

pub mod vcard_read;
pub mod vcard_write;
