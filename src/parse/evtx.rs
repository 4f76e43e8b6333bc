//! Binary Windows event logs (`.evtx`), read in memory with the `evtx` crate.
//!
//! This module owns turning a member's bytes into [`WinEvent`]s and counting what could not
//! be read. The crate walks the file chunk by chunk; a chunk or record it cannot read is an
//! error item in its stream, counted here, and reading goes on with the next one, so a dirty
//! chunk never aborts the file. The counts equal those of the crate's own `evtx_dump -o jsonl`
//! (same settings: checksums not enforced, no record carving), which the corpus test checks.
//! An `.evtx` holds no rendered message, only insertion strings (formats.md §6.1), so events
//! from here have `message: None` and rules read their EventData.

use std::io::Cursor;
use std::ops::ControlFlow;

use ::evtx::{EvtxParser, ParserSettings};
use thiserror::Error;

use super::eventxml;
use super::winevent::WinEvent;

/// A member that is not an `.evtx` file at all (its header cannot be read).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not a readable .evtx file: {0}")]
pub struct EvtxFileError(pub String);

/// What reading one `.evtx` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvtxStats {
    /// Records read and turned into events.
    pub records: u64,
    /// Chunks or records that could not be read.
    pub errors: u64,
    /// The first error, for the inventory note.
    pub first_error: Option<String>,
    /// The caller stopped the reading before the end (a time budget).
    pub stopped: bool,
}

impl EvtxStats {
    fn error(&mut self, e: impl std::fmt::Display) {
        self.errors += 1;
        if self.first_error.is_none() {
            // The crate's messages can span lines (a chain of causes).
            let text = e.to_string();
            self.first_error = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

/// Read every record of an `.evtx` held in `bytes`, in the order Windows reads the log
/// (oldest chunk first), calling `each` with each event. Fails only when the file header
/// cannot be read; everything after that is counted in the returned stats.
///
/// Records come from the crate as XML (`EvtxParser::records`) and go through the same
/// quick-xml reader as Event Viewer exports. That is the faster of the two record APIs:
/// `records_json_value` renders each record to JSON text and then parses that text back into
/// a `serde_json::Value` tree (one allocation per node, every key a `String`), while the XML
/// path renders once and quick-xml reads it without building a tree, copying only the fields
/// [`WinEvent`] keeps (`examples/evtx_count.rs` measures both). It also means one mapping from
/// event XML to [`WinEvent`], not two.
pub fn read_evtx(bytes: &[u8], mut each: impl FnMut(WinEvent)) -> Result<EvtxStats, EvtxFileError> {
    read_evtx_until(bytes, |e| {
        each(e);
        ControlFlow::Continue(())
    })
}

/// [`read_evtx`], stopping as soon as `each` returns `Break` (then `stopped` is set). A
/// record is never interrupted: the crate reads one at a time.
pub fn read_evtx_until(
    bytes: &[u8],
    mut each: impl FnMut(WinEvent) -> ControlFlow<()>,
) -> Result<EvtxStats, EvtxFileError> {
    // `from_read_seek` over a borrowed cursor: no copy of the member, no temporary file.
    let parser =
        EvtxParser::from_read_seek(Cursor::new(bytes)).map_err(|e| EvtxFileError(e.to_string()))?;
    // No indentation: smaller XML, and Data values keep exactly the text they hold.
    // The crate is built without `multithreading`: members already run in parallel.
    let mut parser = parser.with_configuration(ParserSettings::new().indent(false));
    let mut stats = EvtxStats::default();
    // The crate is `forbid(unsafe_code)` and reports bad data as errors; this guard keeps a
    // bug in it from taking the whole run down with one member.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for record in parser.records() {
            match record {
                Ok(r) => match eventxml::parse_event(&r.data) {
                    Ok(mut ev) => {
                        ev.record_id.get_or_insert(r.event_record_id);
                        if ev.time.is_none() {
                            // The record header's time, when the XML has none.
                            let t = r.timestamp;
                            ev.time = chrono::DateTime::from_timestamp(
                                t.as_second(),
                                u32::try_from(t.subsec_nanosecond()).unwrap_or(0),
                            );
                        }
                        stats.records += 1;
                        if each(ev).is_break() {
                            stats.stopped = true;
                            return;
                        }
                    }
                    Err(e) => stats.error(format!("record {}: {e}", r.event_record_id)),
                },
                Err(e) => stats.error(e),
            }
        }
    }));
    if outcome.is_err() {
        stats.error("the evtx reader stopped unexpectedly; later records were not read");
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/evtx/");

    fn corpus_file(name: &str) -> Option<Vec<u8>> {
        crate::corpus::read(&format!("evtx/{name}"))
    }

    #[test]
    fn dirty_file_counts_good_and_bad_records() {
        let Some(bytes) = corpus_file("evtx/samples/sample_with_a_bad_chunk_magic.evtx") else {
            return;
        };
        let mut n = 0;
        let stats = read_evtx(&bytes, |_| n += 1).unwrap();
        assert_eq!((stats.records, stats.errors), (301, 3));
        assert_eq!(n, 301);
        assert!(stats.first_error.is_some());
    }

    #[test]
    fn system_log_events_have_their_fields() {
        let Some(bytes) = corpus_file("anotherc0ne-EventLog/System.evtx") else {
            return;
        };
        let mut events = Vec::new();
        let stats = read_evtx(&bytes, |e| events.push(e)).unwrap();
        assert_eq!((stats.records, stats.errors), (7857, 0));
        let e = &events[0];
        assert!(!e.provider.is_empty() && e.channel == "System" && !e.computer.is_empty());
        assert!(e.time.is_some() && e.record_id.is_some() && e.message.is_none());
        assert!(events.iter().any(|e| !e.data.is_empty()));
        // Classic providers carry EventID qualifiers.
        assert!(events.iter().any(|e| e.qualifiers.is_some()));
    }

    #[test]
    fn mangled_files_never_panic() {
        let Some(bytes) = corpus_file("evtx/samples/Application_no_crc32.evtx") else {
            return;
        };
        let clean = read_evtx(&bytes, |_| {}).unwrap();
        // Cut anywhere, and overwrite stretches of the first chunk with noise.
        for cut in [4096, 4096 + 512, 4096 + 65536 / 2, bytes.len() - 1] {
            let stats = read_evtx(&bytes[..cut.min(bytes.len())], |_| {}).unwrap();
            assert!(stats.records <= clean.records);
        }
        let mut seed = 0x9E37_79B9_u32;
        for round in 0..16 {
            let mut m = bytes.clone();
            let start = 4096 + 128 + round * 3000;
            for b in m.iter_mut().skip(start).take(400) {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                *b = (seed >> 24) as u8;
            }
            let _ = read_evtx(&m, |_| {});
        }
    }

    #[test]
    fn not_evtx_is_an_error_not_a_panic() {
        assert!(read_evtx(b"ElfFile\0short", |_| {}).is_err());
        assert!(read_evtx(b"", |_| {}).is_err());
        let mut truncated = b"ElfFile\0".to_vec();
        truncated.resize(4096 + 100, 0);
        let _ = read_evtx(&truncated, |_| {});
    }

    /// Every corpus file gives exactly the record and error counts `evtx_dump -o jsonl`
    /// (evtx 0.15.1) gave, as listed in MANIFEST.tsv.
    #[test]
    fn corpus_counts_match_the_manifest() {
        let Some(manifest) = crate::corpus::read_to_string("evtx/MANIFEST.tsv") else {
            return;
        };
        let mut checked = 0;
        let mut wrong = Vec::new();
        for line in manifest.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let [file, _, _, _, _, records, errors] = f[..] else {
                panic!("bad manifest line: {line}");
            };
            let bytes = std::fs::read(format!("{CORPUS}{file}")).expect(file);
            let stats = read_evtx(&bytes, |_| {}).expect(file);
            let want = (records.parse().unwrap(), errors.parse().unwrap());
            if (stats.records, stats.errors) != want {
                wrong.push(format!(
                    "{file}: got {:?}, manifest {want:?}",
                    (stats.records, stats.errors)
                ));
            }
            checked += 1;
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        assert_eq!(checked, 75);
    }
}
