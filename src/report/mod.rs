//! Reports: one [`Analysis`], rendered for people or for scripts.
//!
//! This module owns every output format: `text` (80 display columns; colour when the caller
//! asks, which `main.rs` decides), `json` (the schema in `docs/schema/analysis.schema.json`,
//! pretty), `jsonl` (the same object on one line), `md` (for pasting into a ticket), `csv`
//! (one row per cause, UTF-8 with BOM for Excel, formula cells neutralised) and `html` (one
//! self-contained page with a timeline and a SIP ladder in inline SVG). Renderers only read
//! the analysis; secrets were removed before it was built.

pub mod csv;
pub mod html;
mod json;
mod markdown;
pub mod message_browser;
pub mod overview;
pub mod story;
mod text;

use std::io::{self, Write};

use crate::diagnosis::Analysis;

pub use json::{SCHEMA, to_json_value};
pub use text::{display_width, fit, wrap};

/// The output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Md,
    Csv,
    Html,
}

/// Render `analysis` in `format` to `out`; `color` applies to text only.
pub fn render(
    analysis: &Analysis,
    format: OutputFormat,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::render(analysis, color, out),
        OutputFormat::Json => json::render(analysis, true, out),
        OutputFormat::Jsonl => json::render(analysis, false, out),
        OutputFormat::Md => markdown::render(analysis, out),
        OutputFormat::Csv => csv::render(analysis, out),
        OutputFormat::Html => html::render(analysis, out),
    }
}
