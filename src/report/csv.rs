//! CSV: one row per cause (or one `none` row), UTF-8 with a BOM so that Excel reads it right.
//! The header stays English in every language (scripts read it); the cells follow `--lang`.

use std::io::{self, Write};

use crate::diagnosis::Analysis;

/// One CSV field, quoted when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn render(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(
        out,
        "input,rank,cause,title,confidence,label,evidence_count,first_member,first_line,first_time,first_text,article_url"
    )?;
    let input = a.inputs.join(" ");
    if a.causes.is_empty() {
        writeln!(
            out,
            "{},0,none,{},0,,0,,,,,",
            field(&input),
            field(crate::i18n::tr(a.lang, "csv.no_cause"))
        )?;
    }
    for c in &a.causes {
        let first = c.evidence.first();
        let cells = [
            field(&input),
            c.rank.to_string(),
            field(&c.id.0),
            field(&c.title),
            format!("{:.2}", c.confidence),
            c.confidence_label.to_string(),
            c.evidence_count.to_string(),
            field(first.map_or("", |e| e.member.as_str())),
            first.map_or(String::new(), |e| e.line.to_string()),
            field(first.and_then(|e| e.time.as_deref()).unwrap_or("")),
            field(first.map_or("", |e| e.text.as_str())),
            field(&c.article.url),
        ];
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}
