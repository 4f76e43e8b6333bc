//! Shared by the fuzz targets: the built-in rule set, loaded once per process.
use std::sync::OnceLock;

use sfbtriage::rules::RuleSet;

pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&[]).expect("built-in rules load").0)
}
