//! Rules: declarative files that map what a log shows to a documented cause.
//!
//! Three layers, as in a Sigma engine: [`spec`] is the file format serde reads, [`compile`]
//! checks it and builds an indexed [`RuleSet`] (structured keys plus one literal prefilter),
//! and [`examples`] proves each rule on its own positive and negative examples. Built-in rule
//! files live in `rules/` at the top of the repository and are embedded at build time.

pub mod compile;
pub mod fact;
pub mod spec;
pub mod text;

pub use compile::{BUILTIN_RULES, Matcher, Rule, RuleOrigin, RuleSet, TimeWindow};
pub use spec::Effect;
