//! Parsers: text of one member → typed records that borrow from it.
//!
//! [`uccapi`] reads the client trace log, [`sip`] reads one SIP message and its Microsoft
//! diagnostic headers (shared with every other source that embeds SIP text). Parsers never
//! fail on content: what they do not understand stays text and is counted.

pub mod sip;
pub mod uccapi;
