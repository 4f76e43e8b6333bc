//! JSON and JSON Lines: the schema in `docs/schema/analysis.schema.json`, summarised in
//! README.md ("JSON output"); tests validate every sample's output against it. The top-level
//! `lang` says which language the text fields are in; ids, codes and field names never change.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnosis::Analysis;

/// Schema identifier; the number changes only when a field is removed or changes meaning.
pub const SCHEMA: &str = "sfbtriage.analysis/1";

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool,
    #[serde(flatten)]
    analysis: &'a Analysis,
}

pub fn to_json_value(analysis: &Analysis) -> serde_json::Value {
    serde_json::to_value(document(analysis)).expect("analysis serialises")
}

fn document(analysis: &Analysis) -> Document<'_> {
    Document {
        schema: SCHEMA,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        analysis,
    }
}

pub fn render(analysis: &Analysis, pretty: bool, out: &mut dyn Write) -> io::Result<()> {
    let doc = document(analysis);
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &doc)?;
    } else {
        serde_json::to_writer(&mut *out, &doc)?;
    }
    out.write_all(b"\n")
}
