//! sfbtriage: why a Lync / Skype for Business user cannot sign in, from their log bundle.
//!
//! Data flows one way — bundle → detect → parse → events → rules → diagnosis → report —
//! with one module per stage; `docs/ARCHITECTURE.md` is the map. The `sfbtriage` binary
//! (`src/main.rs`) is the command line over this library; `exit` names its exit statuses.
#![forbid(unsafe_code)]

pub mod attempts;
pub mod batch;
pub mod bundle;
pub mod catalog;
pub mod clock;
pub mod codes;
#[doc(hidden)]
pub mod corpus;
pub mod correlate;
pub mod detect;
pub mod diagnosis;
pub mod error;
pub mod events;
pub mod exit;
pub mod explain;
pub mod i18n;
pub mod messages;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod redact;
pub mod report;
pub mod rule_examples;
pub mod rules;
pub mod score;
pub mod serve;
pub mod synth;
pub mod timeline;
