//! Reading a bundle: zip archives (nested to a depth limit), folders and plain files.
//!
//! This module owns finding every member of the inputs, inflating it in memory (nothing is
//! ever written to disk), enforcing the size, total and compression-ratio limits, and
//! handing each member's bytes to a [`MemberSink`] in parallel. Whatever happens to a member
//! (read, skipped over a limit, failed with a bad CRC or truncated data), the sink is told,
//! so every member shows up in the inventory. Results come back in a fixed order — inputs as
//! given, folders sorted by name, archives in central-directory order, nested members right
//! after their archive — whatever the number of threads. Limit decisions are taken on the
//! sizes the archive declares, in that order, so they are deterministic too.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use zip::ZipArchive;

use crate::detect::{self, Format};

/// Limits that protect against zip bombs and oversized members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest inflated member, in bytes.
    pub max_member_size: u64,
    /// Largest sum of inflated members of one bundle (archive by archive, in order).
    pub max_total_size: u64,
    /// Largest inflated/compressed ratio, for members over [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Deepest archive nesting (1 = the bundle itself is read, but no zip inside it).
    pub max_depth: u32,
}

/// Members smaller than this are never refused for their compression ratio.
pub const RATIO_FLOOR: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_member_size: 4 << 30,
            max_total_size: 64 << 30,
            max_ratio: 1000,
            max_depth: 4,
        }
    }
}

/// How a member was treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Parsed,
    Skipped,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Parsed => "parsed",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
        }
    }
}

/// What the bundle reader hands each member to.
pub trait MemberSink: Sync {
    type Outcome: Send;
    /// A member's bytes, read in full, that is not an archive to open.
    fn content(&self, path: &str, format: Format, bytes: &[u8]) -> Self::Outcome;
    /// A member that was not read (or not opened), with the reason.
    fn not_read(
        &self,
        path: &str,
        size: u64,
        format: Format,
        status: Status,
        reason: String,
    ) -> Self::Outcome;
    /// A zip archive that was opened; its members follow it.
    fn archive(&self, path: &str, size: u64, members: usize) -> Self::Outcome;
    /// Called once per member after it is handled (for progress).
    fn done(&self, _bytes: u64) {}
}

/// Display form of a member name: control characters escaped, backslashes made slashes.
pub fn display_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else if c == '\\' {
            out.push('/');
        } else {
            out.push(c);
        }
    }
    out
}

/// Read every input (zip, folder or file) and return the sink's outcomes in order.
pub fn read_inputs<S: MemberSink>(
    inputs: &[PathBuf],
    limits: &Limits,
    sink: &S,
) -> Vec<S::Outcome> {
    let several = inputs.len() > 1;
    inputs
        .iter()
        .flat_map(|input| read_input(input, several, limits, sink))
        .collect()
}

/// With one input, members are named by their path inside it; with several, the input's own
/// name comes first (`bundle.zip!Tracing/x`, `folder/Tracing/x`).
fn read_input<S: MemberSink>(
    input: &Path,
    several: bool,
    limits: &Limits,
    sink: &S,
) -> Vec<S::Outcome> {
    let shown = |p: &Path| -> String {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string());
        display_name(&name)
    };
    let prefix = if several {
        format!("{}/", shown(input))
    } else {
        String::new()
    };
    let meta = match std::fs::metadata(input) {
        Ok(m) => m,
        Err(e) => {
            return vec![sink.not_read(
                &shown(input),
                0,
                Format::Unknown,
                Status::Failed,
                format!("cannot open: {e}"),
            )];
        }
    };
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(input, &mut files);
        return files
            .par_iter()
            .flat_map_iter(|(path, err)| {
                let rel = path.strip_prefix(input).unwrap_or(path);
                let name = format!("{prefix}{}", display_name(&rel.to_string_lossy()));
                match err {
                    Some(e) => {
                        vec![sink.not_read(&name, 0, Format::Unknown, Status::Skipped, e.clone())]
                    }
                    None => read_file(path, &name, false, limits, sink),
                }
            })
            .collect();
    }
    read_file(input, &shown(input), !several, limits, sink)
}

/// Files below `dir`, sorted; symbolic links are listed with a reason instead of followed.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, Option<String>)>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            out.push((dir.to_path_buf(), Some(format!("cannot list folder: {e}"))));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_symlink() => out.push((path, Some("symbolic link, not followed".into()))),
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(_) => out.push((path, None)),
            Err(err) => out.push((path, Some(format!("cannot stat: {err}")))),
        }
    }
}

/// `top` is true for the single input zip, whose members are then named without its name.
fn read_file<S: MemberSink>(
    path: &Path,
    name: &str,
    top: bool,
    limits: &Limits,
    sink: &S,
) -> Vec<S::Outcome> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return vec![sink.not_read(
                name,
                0,
                Format::Unknown,
                Status::Failed,
                format!("cannot open: {e}"),
            )];
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut file, &mut head).unwrap_or(0);
    let format = detect::detect(name, &head[..n]);
    if format == Format::Zip {
        let reader = PositionedFile::new(file, size);
        return match ZipArchive::new(reader) {
            Ok(archive) => {
                // The single input archive is the bundle itself, not a member of it.
                let mut out = if top {
                    Vec::new()
                } else {
                    vec![sink.archive(name, size, archive.len())]
                };
                let prefix = if top {
                    String::new()
                } else {
                    format!("{name}!")
                };
                out.extend(read_archive(
                    archive,
                    &prefix,
                    1,
                    limits,
                    limits.max_total_size,
                    sink,
                ));
                sink.done(size);
                out
            }
            Err(e) => {
                sink.done(size);
                vec![sink.not_read(
                    name,
                    size,
                    Format::Zip,
                    Status::Failed,
                    format!("not a readable zip archive: {e}"),
                )]
            }
        };
    }
    if size > limits.max_member_size {
        sink.done(size);
        return vec![sink.not_read(
            name,
            size,
            format,
            Status::Skipped,
            format!(
                "{size} bytes, over the member size limit of {} (--max-member-size)",
                limits.max_member_size
            ),
        )];
    }
    if file.seek(SeekFrom::Start(0)).is_err() {
        return vec![sink.not_read(
            name,
            size,
            format,
            Status::Failed,
            "cannot rewind the file".into(),
        )];
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let result = file
        .take(limits.max_member_size + 1)
        .read_to_end(&mut bytes);
    sink.done(size);
    match result {
        Ok(_) => vec![sink.content(name, format, &bytes)],
        Err(e) => vec![sink.not_read(
            name,
            size,
            format,
            Status::Failed,
            format!("read error after {} bytes: {e}", bytes.len()),
        )],
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// What the central directory says about one entry, before anything is inflated.
struct EntryPlan {
    index: usize,
    name: String,
    size: u64,
    decision: Result<(), String>,
}

/// Read the members of an open archive; each is named `prefix` + its path.
fn read_archive<R, S>(
    mut archive: ZipArchive<R>,
    prefix: &str,
    depth: u32,
    limits: &Limits,
    budget: u64,
    sink: &S,
) -> Vec<S::Outcome>
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    // Plan sequentially so that limit decisions do not depend on thread timing.
    let mut plans = Vec::with_capacity(archive.len());
    let mut used: u64 = 0;
    for index in 0..archive.len() {
        let (name, size, compressed, is_dir) = match archive.by_index_raw(index) {
            Ok(f) => (
                display_name(&String::from_utf8_lossy(f.name_raw())),
                f.size(),
                f.compressed_size(),
                f.is_dir(),
            ),
            Err(e) => {
                plans.push(EntryPlan {
                    index,
                    name: format!("#{index}"),
                    size: 0,
                    decision: Err(format!("unreadable entry header: {e}")),
                });
                continue;
            }
        };
        if is_dir {
            continue;
        }
        let decision = if size > limits.max_member_size {
            Err(format!(
                "inflates to {size} bytes, over the member size limit of {} (--max-member-size)",
                limits.max_member_size
            ))
        } else if size > RATIO_FLOOR
            && compressed > 0
            && size / compressed.max(1) > limits.max_ratio
        {
            Err(format!(
                "compression ratio {}:1 is over the limit of {}:1 (--max-ratio)",
                size / compressed.max(1),
                limits.max_ratio
            ))
        } else if used.saturating_add(size) > budget {
            Err(format!(
                "the bundle's inflated size would pass the total limit of {budget} bytes (--max-total-size)"
            ))
        } else {
            used += size;
            Ok(())
        };
        plans.push(EntryPlan {
            index,
            name,
            size,
            decision,
        });
    }

    let nested_budget = budget;
    plans
        .par_iter()
        .map_init(
            || archive.clone(),
            |archive, plan| {
                let path = format!("{prefix}{}", plan.name);
                let outcome = read_entry(archive, plan, &path, depth, limits, nested_budget, sink);
                sink.done(plan.size);
                outcome
            },
        )
        .flatten_iter()
        .collect()
}

fn read_entry<R, S>(
    archive: &mut ZipArchive<R>,
    plan: &EntryPlan,
    path: &str,
    depth: u32,
    limits: &Limits,
    budget: u64,
    sink: &S,
) -> Vec<S::Outcome>
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    let format_by_name = detect::detect(path, &[]);
    if let Err(reason) = &plan.decision {
        return vec![sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Skipped,
            reason.clone(),
        )];
    }
    let mut file = match archive.by_index(plan.index) {
        Ok(f) => f,
        Err(e) => {
            return vec![sink.not_read(
                path,
                plan.size,
                format_by_name,
                Status::Failed,
                format!("cannot open entry: {e}"),
            )];
        }
    };
    let offset = file.header_start();
    let mut bytes = Vec::with_capacity(plan.size.min(limits.max_member_size) as usize);
    let result = (&mut file)
        .take(plan.size.min(limits.max_member_size) + 1)
        .read_to_end(&mut bytes);
    drop(file);
    if let Err(e) = result {
        return vec![sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Failed,
            format!(
                "corrupt data in the entry at offset {offset} (after {} bytes inflated): {e}",
                bytes.len()
            ),
        )];
    }
    if bytes.len() as u64 > plan.size {
        return vec![sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Failed,
            format!(
                "entry at offset {offset} inflates beyond its declared size of {} bytes",
                plan.size
            ),
        )];
    }
    let format = detect::detect(path, &bytes[..bytes.len().min(4096)]);
    if format != Format::Zip {
        return vec![sink.content(path, format, &bytes)];
    }
    if depth >= limits.max_depth {
        return vec![sink.not_read(
            path,
            plan.size,
            Format::Zip,
            Status::Skipped,
            format!(
                "archive nested deeper than {} levels (--max-depth)",
                limits.max_depth
            ),
        )];
    }
    let inner: Arc<[u8]> = Arc::from(bytes);
    match ZipArchive::new(ArcCursor::new(inner)) {
        Ok(inner_archive) => {
            let mut out = vec![sink.archive(path, plan.size, inner_archive.len())];
            out.extend(read_archive(
                inner_archive,
                &format!("{path}!"),
                depth + 1,
                limits,
                budget,
                sink,
            ));
            out
        }
        Err(e) => vec![sink.not_read(
            path,
            plan.size,
            Format::Zip,
            Status::Failed,
            format!("not a readable zip archive: {e}"),
        )],
    }
}

/// A cloneable in-memory reader (each clone keeps its own position).
#[derive(Clone)]
struct ArcCursor(Cursor<ArcBytes>);

#[derive(Clone)]
struct ArcBytes(Arc<[u8]>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl ArcCursor {
    fn new(bytes: Arc<[u8]>) -> Self {
        ArcCursor(Cursor::new(ArcBytes(bytes)))
    }
}

impl Read for ArcCursor {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for ArcCursor {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

/// A file read with positioned reads, so that clones share one descriptor but not a cursor:
/// every worker thread reads its own members of the archive without re-opening it.
#[derive(Clone)]
pub struct PositionedFile {
    file: Arc<File>,
    pos: u64,
    len: u64,
}

impl PositionedFile {
    pub fn new(file: File, len: u64) -> Self {
        PositionedFile {
            file: Arc::new(file),
            pos: 0,
            len,
        }
    }
}

impl Read for PositionedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PositionedFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match new {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;
    use zip::write::SimpleFileOptions;

    /// Records what the reader reported, as `path status format reason`.
    #[derive(Default)]
    struct Log(Mutex<u64>);

    impl MemberSink for Log {
        type Outcome = String;
        fn content(&self, path: &str, format: Format, bytes: &[u8]) -> String {
            format!("{path} content {} {}", format.as_str(), bytes.len())
        }
        fn not_read(
            &self,
            path: &str,
            _size: u64,
            format: Format,
            status: Status,
            reason: String,
        ) -> String {
            format!("{path} {} {} {reason}", status.as_str(), format.as_str())
        }
        fn archive(&self, path: &str, _size: u64, members: usize) -> String {
            format!("{path} archive {members}")
        }
        fn done(&self, bytes: u64) {
            *self.0.lock().unwrap() += bytes;
        }
    }

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn nested_archives_in_order_with_depth_limit() {
        let level3 = zip_of(&[("deep.txt", b"x")], zip::CompressionMethod::Stored);
        let level2 = zip_of(
            &[("l3.zip", &level3), ("b.txt", b"hello")],
            zip::CompressionMethod::Deflated,
        );
        let outer = zip_of(
            &[
                (
                    "Tracing/Lync-UccApi-0.UccApilog",
                    b"01/15/2012|11:30:10.163 1 INFO  :: x\n",
                ),
                ("inner.zip", &level2),
            ],
            zip::CompressionMethod::Deflated,
        );
        let dir = tempfile::tempdir().unwrap();
        let p = write_temp(dir.path(), "bundle.zip", &outer);
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let log = Log::default();
        let got = read_inputs(&[p], &limits, &log);
        assert_eq!(
            got,
            vec![
                "Tracing/Lync-UccApi-0.UccApilog content uccapi-log 37",
                "inner.zip archive 2",
                "inner.zip!l3.zip skipped zip archive nested deeper than 2 levels (--max-depth)",
                "inner.zip!b.txt content unknown 5",
            ]
        );
    }

    #[test]
    fn limits_and_corruption_are_per_member() {
        let big = vec![b'a'; 3 << 20];
        let mut bytes = zip_of(
            &[
                ("ok.txt", b"fine"),
                ("bomb.txt", &big),
                ("crc.txt", b"some text that will be damaged"),
            ],
            zip::CompressionMethod::Stored,
        );
        // Damage the stored data of crc.txt: its CRC no longer matches.
        let at = bytes.windows(9).position(|w| w == b"some text").unwrap();
        bytes[at] = b'S';
        let dir = tempfile::tempdir().unwrap();
        let p = write_temp(dir.path(), "b.zip", &bytes);
        let limits = Limits {
            max_member_size: 1 << 20,
            ..Limits::default()
        };
        let got = read_inputs(&[p.clone()], &limits, &Log::default());
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], "ok.txt content unknown 4");
        assert!(got[1].starts_with("bomb.txt skipped"), "{}", got[1]);
        assert!(
            got[2].starts_with("crc.txt failed") && got[2].contains("offset"),
            "{}",
            got[2]
        );

        let deflated = zip_of(&[("bomb.txt", &big)], zip::CompressionMethod::Deflated);
        let p = write_temp(dir.path(), "ratio.zip", &deflated);
        let got = read_inputs(
            &[p],
            &Limits {
                max_ratio: 100,
                ..Limits::default()
            },
            &Log::default(),
        );
        assert!(got[0].contains("compression ratio"), "{}", got[0]);

        let both = zip_of(
            &[("a.txt", &[b'a'; 100]), ("b.txt", &[b'b'; 100])],
            zip::CompressionMethod::Stored,
        );
        let p = write_temp(dir.path(), "total.zip", &both);
        let got = read_inputs(
            &[p],
            &Limits {
                max_total_size: 150,
                ..Limits::default()
            },
            &Log::default(),
        );
        assert!(got[0].starts_with("a.txt content"), "{}", got[0]);
        assert!(got[1].contains("total limit"), "{}", got[1]);
    }

    #[test]
    fn folders_files_and_fake_zips() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        write_temp(dir.path(), "b/c/z.txt", b"z");
        write_temp(dir.path(), "a.txt", b"a");
        write_temp(dir.path(), "fake.zip", b"not a zip at all");
        let log = Log::default();
        let got = read_inputs(&[dir.path().to_path_buf()], &Limits::default(), &log);
        assert_eq!(got[0], "a.txt content unknown 1");
        assert_eq!(got[1], "b/c/z.txt content unknown 1");
        assert!(
            got[2].starts_with("fake.zip failed zip not a readable zip archive"),
            "{}",
            got[2]
        );
        assert_eq!(*log.0.lock().unwrap(), 1 + 1 + 16);

        let missing = dir.path().join("missing.zip");
        let got = read_inputs(&[missing], &Limits::default(), &Log::default());
        assert!(
            got[0].starts_with("missing.zip failed unknown cannot open"),
            "{}",
            got[0]
        );
    }

    #[test]
    fn truncated_archive_fails_cleanly() {
        let bytes = zip_of(
            &[("a.txt", b"hello world")],
            zip::CompressionMethod::Deflated,
        );
        let dir = tempfile::tempdir().unwrap();
        let p = write_temp(dir.path(), "cut.zip", &bytes[..bytes.len() - 10]);
        let got = read_inputs(&[p], &Limits::default(), &Log::default());
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("failed"), "{}", got[0]);
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(display_name("a\u{1b}[31m\\b"), "a\\u{1b}[31m/b");
    }
}
