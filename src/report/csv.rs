//! CSV: one row per cause (or one `none` row), UTF-8 with a BOM so that Excel reads it right.
//!
//! Every CSV sfbtriage writes (this report and `batch --format csv`) goes through
//! [`Writer`]: quoting by the `csv` crate, and every cell a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) neutralised by a leading
//! apostrophe, since log text is written by whoever sent the bundle.
//!
//! The header stays English in every language (scripts read it); the cells follow `--lang`.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diagnosis::Analysis;

/// `cell`, with a leading `'` when a spreadsheet would otherwise read it as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// CSV rows: UTF-8 BOM first, then quoted, formula-safe rows. It does not hold on to the
/// output, so a caller can interleave other writes (and stream rows as they come).
pub struct Writer {
    columns: usize,
}

impl Writer {
    /// Write the BOM and the header row to `out`.
    pub fn new(out: &mut dyn Write, header: &[&str]) -> io::Result<Self> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = Self {
            columns: header.len(),
        };
        w.row(out, header)?;
        Ok(w)
    }

    /// One row to `out`, each cell neutralised; it has as many cells as the header.
    pub fn row<S: AsRef<str>>(&mut self, out: &mut dyn Write, cells: &[S]) -> io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns);
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(io::Error::other)?;
        let bytes = w
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(&bytes)
    }
}

pub fn render(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::new(
        out,
        &[
            "input",
            "rank",
            "cause",
            "title",
            "confidence",
            "label",
            "evidence_count",
            "first_member",
            "first_line",
            "first_time",
            "first_text",
            "article_url",
        ],
    )?;
    let input = a.inputs.join(" ");
    if a.causes.is_empty() {
        w.row(
            out,
            &[
                input.as_str(),
                "0",
                "none",
                crate::i18n::tr(a.lang, "csv.no_cause"),
                "0",
                "",
                "0",
                "",
                "",
                "",
                "",
                "",
            ],
        )?;
    }
    for c in &a.causes {
        let first = c.evidence.first();
        w.row(
            out,
            &[
                input.clone(),
                c.rank.to_string(),
                c.id.0.clone(),
                c.title.clone(),
                format!("{:.2}", c.confidence),
                c.confidence_label.to_string(),
                c.evidence_count.to_string(),
                first.map_or(String::new(), |e| e.member.clone()),
                first.map_or(String::new(), |e| e.line.to_string()),
                first.and_then(|e| e.time.clone()).unwrap_or_default(),
                first.map_or(String::new(), |e| e.text.clone()),
                c.article.url.clone(),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_cells_quoted() {
        let mut out = Vec::new();
        let mut w = Writer::new(&mut out, &["a", "b"]).unwrap();
        w.row(&mut out, &["=HYPERLINK(\"http://x\")", "+1"])
            .unwrap();
        w.row(&mut out, &["-2", "@SUM(A1)"]).unwrap();
        w.row(&mut out, &["\tx", "\rx"]).unwrap();
        w.row(&mut out, &["plain, with comma", "say \"hi\"\nnext"])
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "\u{feff}a,b\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1\n'-2,'@SUM(A1)\n'\tx,\"'\rx\"\n\"plain, with comma\",\"say \"\"hi\"\"\nnext\"\n"
        );
        // Read back with the csv crate: every cell round-trips, formula cells keep their text
        // after the apostrophe.
        let mut r =
            csv::ReaderBuilder::new().from_reader(s.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows[0], ["'=HYPERLINK(\"http://x\")", "'+1"]);
        assert_eq!(rows[3], ["plain, with comma", "say \"hi\"\nnext"]);
    }
}
