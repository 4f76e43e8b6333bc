//! Reading a bundle: zip archives (nested to a depth limit), folders and plain files.
//!
//! This module owns finding every member of the inputs, inflating it in memory (nothing is
//! ever written to disk), enforcing the size, total and compression-ratio limits, and
//! handing each member to a [`MemberSink`] in parallel: a nested archive's bytes whole, any
//! other member as a stream ([`MemberSink::content_stream`]) whose integrity (CRC, declared
//! size, read errors) is checked when the sink is done, so a sink may parse while inflating. Whatever happens to a member
//! (read, skipped over a limit, failed with a bad CRC or truncated data), the sink is told,
//! so every member shows up in the inventory. Results come back in a fixed order — inputs as
//! given, folders sorted by name, archives in central-directory order, nested members right
//! after their archive — whatever the number of threads. Limit decisions are taken on the
//! sizes the archive declares, in that order, so they are deterministic too; one
//! `--max-total-size` budget covers the whole bundle ([`read_inputs`]). In a folder, only
//! regular files are opened: symbolic links, FIFOs, sockets and devices are listed with the
//! reason, and every error of the walk is listed too.
//!
//! Hostile archives are handled here too (`docs/ROBUSTNESS.md`): entries whose data overlaps
//! another entry's or the central directory are refused (the overlapping-entry zip bomb), no
//! buffer is reserved beyond [`PREALLOC_CAP`] whatever an entry declares, and an archive whose
//! central directory cannot be read is salvaged from its local headers ([`salvage`]).

use std::collections::BTreeMap;
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
    /// Largest sum of inflated bytes of one bundle: folder files, archive members and the
    /// members of nested archives, counted in a fixed order (see [`read_inputs`]).
    pub max_total_size: u64,
    /// Largest inflated/compressed ratio, for members over [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Deepest archive nesting (1 = the bundle itself is read, but no zip inside it).
    pub max_depth: u32,
}

/// Why a member is skipped unread: a limit, or a folder entry that is never opened. The
/// inventory shows its text (`Display`); code decides on the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A plain file larger than `--max-member-size`.
    FileOverMemberSize { size: u64, limit: u64 },
    /// An archive member that inflates to more than `--max-member-size`.
    InflatesOverMemberSize { size: u64, limit: u64 },
    /// An archive member inflating more than `--max-ratio` to one (`ratio`: from the declared
    /// sizes, when they are known).
    Ratio { ratio: Option<u64>, limit: u64 },
    /// Past the bundle's `--max-total-size`.
    Total { limit: u64 },
    /// An archive nested deeper than `--max-depth`.
    Depth { limit: u32 },
    /// A symbolic link in a folder input.
    SymbolicLink,
    /// A FIFO, socket or device: reading one could block for ever.
    NotAFile,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Skip::FileOverMemberSize { size, limit } => write!(
                f,
                "{size} bytes, over the member size limit of {limit} (--max-member-size)"
            ),
            Skip::InflatesOverMemberSize { size, limit } => write!(
                f,
                "inflates to {size} bytes, over the member size limit of {limit} (--max-member-size)"
            ),
            Skip::Ratio {
                ratio: Some(r),
                limit,
            } => write!(
                f,
                "compression ratio {r}:1 is over the limit of {limit}:1 (--max-ratio)"
            ),
            Skip::Ratio { ratio: None, limit } => {
                write!(
                    f,
                    "compression ratio over the limit of {limit}:1 (--max-ratio)"
                )
            }
            Skip::Total { limit } => write!(
                f,
                "the bundle's inflated size would pass the total limit of {limit} bytes (--max-total-size)"
            ),
            Skip::Depth { limit } => {
                write!(f, "archive nested deeper than {limit} levels (--max-depth)")
            }
            Skip::SymbolicLink => f.write_str("symbolic link, not followed"),
            Skip::NotAFile => {
                f.write_str("not a regular file (a FIFO, socket or device): not opened")
            }
        }
    }
}

/// What is left of `--max-total-size` while one bundle is read. It is spent in a fixed order
/// (inputs as given, folder files by name, archive members in directory order, a nested
/// archive's members after its parent's), never by racing threads, so the same members are
/// skipped whatever the thread count. Everything inflated into memory counts: plain files of
/// a folder, every archive's members, and the members of archives nested in them.
#[derive(Debug, Clone, Copy)]
struct Budget {
    limit: u64,
    used: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget { limit, used: 0 }
    }

    /// Spend `size` bytes if they fit; false (nothing spent) if they would pass the limit.
    fn take(&mut self, size: u64) -> bool {
        if self.used.saturating_add(size) > self.limit {
            return false;
        }
        self.used += size;
        true
    }

    fn left(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    fn refusal(&self) -> String {
        Skip::Total { limit: self.limit }.to_string()
    }
}

/// Members smaller than this are never refused for their compression ratio.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// Largest buffer reserved up front for one member, whatever size it declares: a lying
/// header cannot make the reader reserve memory the data never fills.
pub const PREALLOC_CAP: u64 = 16 << 20;

/// Most members salvaged from one archive whose central directory is unreadable (the most a
/// zip without ZIP64 records can hold).
pub const SALVAGE_MAX_MEMBERS: usize = 65_535;

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

pub use crate::model::Status;

/// What the bundle reader hands each member to.
pub trait MemberSink: Sync {
    type Outcome: Send;
    /// A member's bytes, read in full, that is not an archive to open.
    fn content(&self, path: &str, format: Format, bytes: &[u8]) -> Self::Outcome;
    /// A member read as a stream: `input` yields its bytes (`size` as declared; the bundle
    /// reader checks after the sink returns that the stream was whole and of that size, and
    /// reports the member failed otherwise, whatever the sink returned). The sink may stop
    /// reading early. By default the bytes are read in full and given to
    /// [`MemberSink::content`]; a sink that parses while reading keeps memory independent of
    /// the member's size.
    fn content_stream(
        &self,
        path: &str,
        format: Format,
        size: u64,
        input: &mut dyn Read,
    ) -> Self::Outcome {
        let mut bytes = Vec::with_capacity(size.min(PREALLOC_CAP) as usize);
        match input.read_to_end(&mut bytes) {
            Ok(_) => self.content(path, format, &bytes),
            // The bundle reader reports the error (see above).
            Err(e) => self.not_read(path, size, format, Status::Failed, e.to_string()),
        }
    }
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
    /// A member recovered from its local header because its archive's central directory
    /// could not be read; `note` says so, for the inventory. By default it is treated like
    /// [`MemberSink::content`].
    fn salvaged(&self, path: &str, format: Format, bytes: &[u8], note: &str) -> Self::Outcome {
        let _ = note;
        self.content(path, format, bytes)
    }
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
///
/// `--max-total-size` covers the whole bundle: all inputs, every plain file of a folder,
/// every archive's members and those of nested archives share one budget, spent in that
/// order.
pub fn read_inputs<S: MemberSink>(
    inputs: &[PathBuf],
    limits: &Limits,
    sink: &S,
) -> Vec<S::Outcome> {
    let several = inputs.len() > 1;
    let mut budget = Budget::new(limits.max_total_size);
    inputs
        .iter()
        .flat_map(|input| read_input(input, several, limits, &mut budget, sink))
        .collect()
}

/// Read one input held in memory, as if it were a single file named `name` given on the
/// command line: a zip's members are named by their path inside it, anything else is one
/// member. The fuzz target of the bundle reader and the hostile-bundle tests use it.
pub fn read_bytes<S: MemberSink>(
    name: &str,
    bytes: Vec<u8>,
    limits: &Limits,
    sink: &S,
) -> Vec<S::Outcome> {
    let name = display_name(name);
    let size = bytes.len() as u64;
    let format = detect::detect(&name, &bytes[..bytes.len().min(4096)]);
    let mut budget = Budget::new(limits.max_total_size);
    let out = if format == Format::Zip {
        let reader = Cursor::new(Arc::<[u8]>::from(bytes));
        open_archive(reader, &name, size, true, 1, limits, &mut budget, sink)
    } else if size > limits.max_member_size {
        vec![
            sink.not_read(
                &name,
                size,
                format,
                Status::Skipped,
                Skip::FileOverMemberSize {
                    size,
                    limit: limits.max_member_size,
                }
                .to_string(),
            ),
        ]
    } else if !budget.take(size) {
        vec![sink.not_read(&name, size, format, Status::Skipped, budget.refusal())]
    } else {
        vec![sink.content(&name, format, &bytes)]
    };
    sink.done(size);
    out
}

/// Open `reader` as a zip archive named `name` and read its members; `top` is true for the
/// single input archive (the bundle itself, not listed as a member, its members named
/// without its name). When the central directory cannot be read, the archive is listed as
/// failed and whatever its local headers still describe is salvaged.
#[allow(clippy::too_many_arguments)]
fn open_archive<R, S>(
    reader: R,
    name: &str,
    size: u64,
    top: bool,
    depth: u32,
    limits: &Limits,
    budget: &mut Budget,
    sink: &S,
) -> Vec<S::Outcome>
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    let prefix = if top {
        String::new()
    } else {
        format!("{name}!")
    };
    let opened = ZipArchive::new(reader.clone()).map_err(|e| e.to_string());
    // A central directory that lists nothing while the file holds local headers (an
    // end-of-directory record planted after the data, or a directory cut to nothing) would
    // hide every member: the archive is treated as damaged and salvaged.
    let opened = match opened {
        Ok(a)
            if a.is_empty()
                && HeaderScanner::new()
                    .next(&mut reader.clone(), 0, size)
                    .is_some() =>
        {
            Err(format!(
                "its central directory (at offset {}) lists no entries, yet the file holds local headers",
                a.central_directory_start()
            ))
        }
        other => other,
    };
    match opened {
        Ok(archive) => {
            let mut out = if top {
                Vec::new()
            } else {
                vec![sink.archive(name, size, archive.len())]
            };
            // The zip crate keeps one entry per name: the repeats are listed as one entry.
            let repeated = if archive.has_duplicate_names() {
                let mut r = reader.clone();
                central_entry_count(&mut r, archive.central_directory_start())
                    .saturating_sub(archive.len())
            } else {
                0
            };
            out.extend(read_archive(
                archive, &prefix, depth, limits, budget, repeated, sink,
            ));
            out
        }
        Err(e) => {
            let (members, found) = salvage(reader, size, &prefix, depth, limits, budget, sink);
            let reason = if found == 0 {
                format!("not a readable zip archive: {e}")
            } else {
                format!(
                    "not a readable zip archive: {e}; {found} members salvaged from their local headers (they follow)"
                )
            };
            let mut out = vec![sink.not_read(name, size, Format::Zip, Status::Failed, reason)];
            out.extend(members);
            out
        }
    }
}

/// With one input, members are named by their path inside it; with several, the input's own
/// name comes first (`bundle.zip!Tracing/x`, `folder/Tracing/x`).
fn read_input<S: MemberSink>(
    input: &Path,
    several: bool,
    limits: &Limits,
    budget: &mut Budget,
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
        let named: Vec<(String, &PathBuf, &Option<String>)> = files
            .iter()
            .map(|(path, err)| {
                let rel = path.strip_prefix(input).unwrap_or(path);
                let name = format!("{prefix}{}", display_name(&rel.to_string_lossy()));
                (name, path, err)
            })
            .collect();
        // 1. In parallel: open each file and detect its format from its first 4 KB.
        let opened: Vec<Result<Opened, S::Outcome>> = named
            .par_iter()
            .map(|(name, path, err)| match err {
                Some(e) => Err(sink.not_read(name, 0, Format::Unknown, Status::Skipped, e.clone())),
                None => open_file(path, name, sink),
            })
            .collect();
        // 2. In order: spend the budget; archives are read here (their members in parallel).
        let mut slots: Vec<Option<Vec<S::Outcome>>> = Vec::with_capacity(opened.len());
        let mut plain: Vec<(usize, Opened)> = Vec::new();
        for (i, (o, (name, _, _))) in opened.into_iter().zip(&named).enumerate() {
            match o {
                Err(outcome) => slots.push(Some(vec![outcome])),
                Ok(o) if o.format == Format::Zip => {
                    slots.push(Some(read_zip_file(o, name, false, limits, budget, sink)))
                }
                Ok(o) => match refuse_plain(&o, limits, budget) {
                    Some((status, reason)) => {
                        sink.done(o.size);
                        slots.push(Some(vec![
                            sink.not_read(name, o.size, o.format, status, reason),
                        ]));
                    }
                    None => {
                        slots.push(None);
                        plain.push((i, o));
                    }
                },
            }
        }
        // 3. In parallel: read and analyse the plain files accepted.
        let read: Vec<(usize, S::Outcome)> = plain
            .into_par_iter()
            .map(|(i, o)| {
                let name = &named[i].0;
                (i, read_plain(o, name, limits, sink))
            })
            .collect();
        for (i, outcome) in read {
            slots[i] = Some(vec![outcome]);
        }
        return slots.into_iter().flatten().flatten().collect();
    }
    if !meta.is_file() {
        return vec![sink.not_read(
            &shown(input),
            0,
            Format::Unknown,
            Status::Skipped,
            Skip::NotAFile.to_string(),
        )];
    }
    let name = shown(input);
    match open_file(input, &name, sink) {
        Err(outcome) => vec![outcome],
        Ok(o) if o.format == Format::Zip => read_zip_file(o, &name, !several, limits, budget, sink),
        Ok(o) => match refuse_plain(&o, limits, budget) {
            Some((status, reason)) => {
                sink.done(o.size);
                vec![sink.not_read(&name, o.size, o.format, status, reason)]
            }
            None => vec![read_plain(o, &name, limits, sink)],
        },
    }
}

/// Files below `dir`, sorted by name at each level, each with the reason it is not read (if
/// any): every error of the walk is listed (a folder that cannot be listed, an entry that
/// cannot be read), symbolic links are listed instead of followed, and FIFOs, sockets and
/// devices are listed as not regular files — never opened, so never waited on. The checks use
/// `FileType::is_file` / `is_dir` / `is_symlink`, the same on every platform.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, Option<String>)>) {
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(e) => {
                let t = e.file_type();
                if t.is_symlink() {
                    out.push((e.into_path(), Some(Skip::SymbolicLink.to_string())));
                } else if t.is_dir() {
                    continue;
                } else if t.is_file() {
                    out.push((e.into_path(), None));
                } else {
                    out.push((e.into_path(), Some(Skip::NotAFile.to_string())));
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let why = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                let reason = if err.depth() == 0 || path.is_dir() {
                    format!("cannot list folder: {why}")
                } else {
                    format!("cannot read: {why}")
                };
                out.push((path, Some(reason)));
            }
        }
    }
}

/// A regular file opened, with its size and the format its name and first 4 KB show.
struct Opened {
    file: File,
    size: u64,
    format: Format,
}

/// Open `path` (a regular file) and detect its format; a failure is the member's outcome.
fn open_file<S: MemberSink>(path: &Path, name: &str, sink: &S) -> Result<Opened, S::Outcome> {
    let fail = |reason: String| sink.not_read(name, 0, Format::Unknown, Status::Failed, reason);
    let mut file = File::open(path).map_err(|e| fail(format!("cannot open: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| fail(format!("cannot stat: {e}")))?;
    if !meta.is_file() {
        // Replaced by a FIFO or device since the walk: never read from it.
        return Err(sink.not_read(
            name,
            0,
            Format::Unknown,
            Status::Skipped,
            Skip::NotAFile.to_string(),
        ));
    }
    let size = meta.len();
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut file, &mut head).unwrap_or(0);
    let format = detect::detect(name, &head[..n]);
    Ok(Opened { file, size, format })
}

/// A zip file of the bundle: `top` is true for the single input zip, whose members are then
/// named without its name.
fn read_zip_file<S: MemberSink>(
    o: Opened,
    name: &str,
    top: bool,
    limits: &Limits,
    budget: &mut Budget,
    sink: &S,
) -> Vec<S::Outcome> {
    let reader = PositionedFile::new(o.file, o.size);
    let out = open_archive(reader, name, o.size, top, 1, limits, budget, sink);
    sink.done(o.size);
    out
}

/// Why a plain file is not read (over the member size limit, or past the total), spending
/// the budget when it is.
fn refuse_plain(o: &Opened, limits: &Limits, budget: &mut Budget) -> Option<(Status, String)> {
    if o.size > limits.max_member_size {
        return Some((
            Status::Skipped,
            Skip::FileOverMemberSize {
                size: o.size,
                limit: limits.max_member_size,
            }
            .to_string(),
        ));
    }
    if !budget.take(o.size) {
        return Some((Status::Skipped, budget.refusal()));
    }
    None
}

/// Read a plain file accepted by [`refuse_plain`] and hand it to the sink.
fn read_plain<S: MemberSink>(o: Opened, name: &str, limits: &Limits, sink: &S) -> S::Outcome {
    let Opened {
        mut file,
        size,
        format,
    } = o;
    if file.seek(SeekFrom::Start(0)).is_err() {
        sink.done(size);
        return sink.not_read(
            name,
            size,
            format,
            Status::Failed,
            "cannot rewind the file".into(),
        );
    }
    // Never more than the size it had when the budget was spent (a growing file is cut).
    let mut input = Tracked::new(file.take(size.min(limits.max_member_size)));
    let outcome = sink.content_stream(name, format, size, &mut input);
    let (read, failure) = input.finish();
    sink.done(size);
    match failure {
        None => outcome,
        Some(e) => sink.not_read(
            name,
            size,
            format,
            Status::Failed,
            format!("read error after {read} bytes: {e}"),
        ),
    }
}

/// A member's bytes on their way to the sink: counts them and keeps the first read error, so
/// the bundle reader can tell after the sink returns whether the member was read whole.
struct Tracked<R> {
    inner: R,
    read: u64,
    error: Option<io::Error>,
}

impl<R: Read> Tracked<R> {
    fn new(inner: R) -> Self {
        Tracked {
            inner,
            read: 0,
            error: None,
        }
    }

    /// Read what the sink left unread (so every byte is inflated and checked, as when a
    /// member was read whole first) and return the bytes read (before the first error, if
    /// any) and that error.
    fn finish(mut self) -> (u64, Option<io::Error>) {
        if self.error.is_none() {
            let _ = io::copy(&mut self, &mut io::sink());
        }
        (self.read, self.error)
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = &self.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.read += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let copy = io::Error::new(e.kind(), e.to_string());
                    self.error = Some(e);
                    return Err(copy);
                }
            }
        }
    }
}

/// Fill `buf` from `r` as far as it goes; fewer bytes than `buf` holds only at the end.
pub(crate) fn read_up_to<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
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
    /// `Err((status, reason))` when the entry is not read.
    decision: Result<(), (Status, String)>,
}

/// Read the members of an open archive; each is named `prefix` + its path.
///
/// `repeated` is how many directory entries repeat a name already listed (the zip crate
/// keeps one per name); local headers no listed entry covers are reported as hidden members,
/// and repeats not accounted for that way are summed up in one entry.
fn read_archive<R, S>(
    mut archive: ZipArchive<R>,
    prefix: &str,
    depth: u32,
    limits: &Limits,
    budget: &mut Budget,
    repeated: usize,
    sink: &S,
) -> Vec<S::Outcome>
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    // Plan sequentially so that limit decisions do not depend on thread timing.
    let mut plans = Vec::with_capacity(archive.len());
    let dir_start = archive.central_directory_start();
    // Byte ranges (local header to end of data) of the entries accepted so far: disjoint.
    let mut taken: BTreeMap<u64, (u64, String)> = BTreeMap::new();
    // Byte ranges of every entry the directory lists (directories included).
    let mut listed: Vec<(u64, u64)> = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let (name, size, compressed, is_dir, start, data_start) = match archive.by_index_raw(index)
        {
            Ok(f) => (
                display_name(&String::from_utf8_lossy(f.name_raw())),
                f.size(),
                f.compressed_size(),
                f.is_dir(),
                f.header_start(),
                f.data_start(),
            ),
            Err(e) => {
                plans.push(EntryPlan {
                    index,
                    name: format!("#{index}"),
                    size: 0,
                    decision: Err((Status::Failed, format!("unreadable entry header: {e}"))),
                });
                continue;
            }
        };
        let end = data_start.unwrap_or(start).saturating_add(compressed);
        listed.push((start, end.max(start + 1)));
        if is_dir {
            continue;
        }
        let overlap = taken
            .range(..end)
            .next_back()
            .filter(|(_, (other_end, _))| *other_end > start)
            .map(|(_, (_, other))| other.clone());
        let decision = if let Some(other) = overlap {
            Err((
                Status::Failed,
                format!(
                    "its data (offset {start} to {end}) overlaps member {other}: overlapping entries are how non-recursive zip bombs multiply their output; not read"
                ),
            ))
        } else if end > dir_start {
            Err((
                Status::Failed,
                format!(
                    "its data (offset {start} to {end}) runs into the central directory at offset {dir_start}; not read"
                ),
            ))
        } else if size > limits.max_member_size {
            Err((
                Status::Skipped,
                Skip::InflatesOverMemberSize {
                    size,
                    limit: limits.max_member_size,
                }
                .to_string(),
            ))
        } else if size > RATIO_FLOOR
            && compressed > 0
            && size / compressed.max(1) > limits.max_ratio
        {
            Err((
                Status::Skipped,
                Skip::Ratio {
                    ratio: Some(size / compressed.max(1)),
                    limit: limits.max_ratio,
                }
                .to_string(),
            ))
        } else if !budget.take(size) {
            Err((Status::Skipped, budget.refusal()))
        } else {
            Ok(())
        };
        if decision.is_ok() {
            taken.insert(start, (end, name.clone()));
        }
        plans.push(EntryPlan {
            index,
            name,
            size,
            decision,
        });
    }

    let hidden = unlisted_headers(
        archive.clone().into_inner(),
        archive.offset(),
        dir_start,
        listed,
    );

    // Members are inflated and analysed in parallel; archives among them are opened
    // afterwards, in order, so that their members spend the budget in a fixed order.
    let read: Vec<Member<S::Outcome>> = plans
        .par_iter()
        .map_init(
            || archive.clone(),
            |archive, plan| {
                let path = format!("{prefix}{}", plan.name);
                let member = read_entry(archive, plan, &path, depth, limits, sink);
                sink.done(plan.size);
                member
            },
        )
        .collect();
    let mut out: Vec<S::Outcome> = Vec::with_capacity(read.len());
    for member in read {
        out.extend(member.finish(depth, limits, budget, sink));
    }
    let why = if repeated > 0 {
        "is not listed in the central directory, or only under a name another entry repeats"
    } else {
        "is not listed in the central directory (a hidden member)"
    };
    let unaccounted = repeated.saturating_sub(hidden.len());
    for (at, name) in hidden {
        let path = format!("{prefix}{name}");
        out.push(sink.not_read(
            &path,
            0,
            detect::detect(&path, &[]),
            Status::Failed,
            format!("local header at offset {at} {why}; not read"),
        ));
    }
    if unaccounted > 0 {
        out.push(sink.not_read(
            &format!("{prefix}({unaccounted} entries with repeated names)"),
            0,
            Format::Unknown,
            Status::Failed,
            format!(
                "the central directory lists {unaccounted} more entries under names already listed; only one entry per name is read"
            ),
        ));
    }
    out
}

/// Local headers in the stretches of the archive that no listed entry covers, before the
/// central directory: members the directory does not list. Returns their offsets and display
/// names, in file order (directories left out).
fn unlisted_headers<R: Read + Seek>(
    mut reader: R,
    from: u64,
    dir_start: u64,
    mut listed: Vec<(u64, u64)>,
) -> Vec<(u64, String)> {
    listed.sort_unstable();
    let mut gaps = Vec::new();
    let mut pos = from;
    for (start, end) in listed {
        if start > pos {
            gaps.push((pos, start.min(dir_start)));
        }
        pos = pos.max(end);
    }
    if pos < dir_start {
        gaps.push((pos, dir_start));
    }
    let mut out = Vec::new();
    let mut scanner = HeaderScanner::new();
    for (gap_start, gap_end) in gaps {
        let mut p = gap_start;
        while let Some(at) = scanner.next(&mut reader, p, gap_end) {
            if at >= gap_end || out.len() >= SALVAGE_MAX_MEMBERS {
                break;
            }
            match LocalHeader::read(&mut reader, at, dir_start) {
                Some(h) => {
                    let name = display_name(&String::from_utf8_lossy(&h.name));
                    if !name.ends_with('/') {
                        out.push((at, name));
                    }
                    p = h.data_start.max(at + 1);
                }
                None => p = at + 1,
            }
        }
    }
    out
}

fn read_entry<R, S>(
    archive: &mut ZipArchive<R>,
    plan: &EntryPlan,
    path: &str,
    depth: u32,
    limits: &Limits,
    sink: &S,
) -> Member<S::Outcome>
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    let format_by_name = detect::detect(path, &[]);
    let done = |o: S::Outcome| Member::Done(vec![o]);
    if let Err((status, reason)) = &plan.decision {
        return done(sink.not_read(path, plan.size, format_by_name, *status, reason.clone()));
    }
    let mut file = match archive.by_index(plan.index) {
        Ok(f) => f,
        Err(e) => {
            return done(sink.not_read(
                path,
                plan.size,
                format_by_name,
                Status::Failed,
                format!("cannot open entry: {e}"),
            ));
        }
    };
    let offset = file.header_start();
    let cap = plan.size.min(limits.max_member_size);
    let mut input = Tracked::new((&mut file).take(cap + 1));
    // The head decides the format; an archive is read whole (it is opened from memory), any
    // other member streams to the sink, head first.
    let mut head = vec![0u8; HEAD_BYTES];
    let head_result = read_up_to(&mut input, &mut head);
    let n = head_result.as_ref().map_or(0, |&n| n);
    head.truncate(n);
    let format = detect::detect(path, &head);
    let (outcome, bytes) = if head_result.is_ok() && format != Format::Zip {
        let mut stream = io::Cursor::new(head).chain(&mut input);
        (
            Some(sink.content_stream(path, format, plan.size, &mut stream)),
            Vec::new(),
        )
    } else {
        let mut bytes = head;
        if head_result.is_ok() {
            let _ = input.read_to_end(&mut bytes);
        }
        (None, bytes)
    };
    let (inflated, failure) = input.finish();
    drop(file);
    if let Some(e) = failure {
        return done(sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Failed,
            format!("corrupt data in the entry at offset {offset} (after {inflated} bytes inflated): {e}"),
        ));
    }
    if inflated > plan.size {
        return done(sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Failed,
            format!(
                "entry at offset {offset} inflates beyond its declared size of {} bytes",
                plan.size
            ),
        ));
    }
    if inflated < plan.size {
        return done(sink.not_read(
            path,
            plan.size,
            format_by_name,
            Status::Failed,
            format!(
                "entry at offset {offset} holds {inflated} bytes, fewer than its declared size of {} bytes",
                plan.size
            ),
        ));
    }
    match outcome {
        Some(outcome) => Member::Done(vec![outcome]),
        None => member_bytes(path, plan.size, bytes, None, depth, limits, sink),
    }
}

/// Bytes of a member's start that decide its format ([`detect::detect`]).
const HEAD_BYTES: usize = 4096;

/// A member read: its outcomes, or a nested archive still to open.
enum Member<O> {
    Done(Vec<O>),
    Archive {
        path: String,
        size: u64,
        bytes: Vec<u8>,
    },
}

impl<O> Member<O> {
    /// The outcomes, opening a nested archive with what is left of the budget.
    fn finish<S: MemberSink<Outcome = O>>(
        self,
        depth: u32,
        limits: &Limits,
        budget: &mut Budget,
        sink: &S,
    ) -> Vec<O> {
        match self {
            Member::Done(v) => v,
            Member::Archive { path, size, bytes } => {
                let inner = Cursor::new(Arc::<[u8]>::from(bytes));
                open_archive(inner, &path, size, false, depth + 1, limits, budget, sink)
            }
        }
    }
}

/// A member read in full: content for the sink, or an archive to open (to the depth limit).
/// `note` is set for members salvaged from a local header.
fn member_bytes<S: MemberSink>(
    path: &str,
    size: u64,
    bytes: Vec<u8>,
    note: Option<&str>,
    depth: u32,
    limits: &Limits,
    sink: &S,
) -> Member<S::Outcome> {
    let format = detect::detect(path, &bytes[..bytes.len().min(4096)]);
    if format != Format::Zip {
        return Member::Done(vec![match note {
            Some(note) => sink.salvaged(path, format, &bytes, note),
            None => sink.content(path, format, &bytes),
        }]);
    }
    if depth >= limits.max_depth {
        return Member::Done(vec![
            sink.not_read(
                path,
                size,
                Format::Zip,
                Status::Skipped,
                Skip::Depth {
                    limit: limits.max_depth,
                }
                .to_string(),
            ),
        ]);
    }
    Member::Archive {
        path: path.to_string(),
        size,
        bytes,
    }
}

/// Reads of a zip's bytes at given offsets (seek, then read as much as there is).
fn read_at<R: Read + Seek>(reader: &mut R, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
    reader.seek(SeekFrom::Start(offset))?;
    read_up_to(reader, buf)
}

/// How many entries the central directory starting at `dir_start` holds, walked header by
/// header (at most [`SALVAGE_MAX_MEMBERS`] × 16).
fn central_entry_count<R: Read + Seek>(reader: &mut R, dir_start: u64) -> usize {
    let mut pos = dir_start;
    let mut n = 0;
    let mut h = [0u8; 46];
    while n < SALVAGE_MAX_MEMBERS * 16
        && read_at(reader, pos, &mut h).is_ok_and(|k| k == 46)
        && h[..4] == *b"PK\x01\x02"
    {
        n += 1;
        let var = [28, 30, 32].map(|i| u64::from(u16::from_le_bytes([h[i], h[i + 1]])));
        pos += 46 + var.iter().sum::<u64>();
    }
    n
}

/// Finds local-header signatures (`PK\x03\x04`) for salvage, through one window of the
/// archive kept between calls: looking for the next signature costs the distance to it, so a
/// file packed with signatures is scanned in linear time, not one window read per signature.
struct HeaderScanner {
    finder: memchr::memmem::Finder<'static>,
    window: Vec<u8>,
    /// Offset of `window[0]` in the archive, and how many bytes of it are valid.
    start: u64,
    filled: usize,
}

impl HeaderScanner {
    const SIG: &'static [u8] = b"PK\x03\x04";

    fn new() -> Self {
        HeaderScanner {
            finder: memchr::memmem::Finder::new(Self::SIG),
            window: vec![0u8; 64 << 10],
            start: 0,
            filled: 0,
        }
    }

    /// Offset of the next signature at or after `from` (before `len`).
    fn next<R: Read + Seek>(&mut self, reader: &mut R, from: u64, len: u64) -> Option<u64> {
        let mut pos = from;
        while pos < len {
            let end = self.start + self.filled as u64;
            if pos < self.start || pos + Self::SIG.len() as u64 > end {
                self.filled = read_at(reader, pos, &mut self.window).ok()?;
                self.start = pos;
                if self.filled < Self::SIG.len() {
                    return None;
                }
            }
            let from_here = (pos - self.start) as usize;
            if let Some(i) = self.finder.find(&self.window[from_here..self.filled]) {
                return Some(pos + i as u64);
            }
            // Keep the last three bytes: a signature may straddle two windows.
            let next = self.start + (self.filled - (Self::SIG.len() - 1)) as u64;
            if next <= pos || self.start + self.filled as u64 >= len {
                return None;
            }
            pos = next;
            self.filled = 0;
        }
        None
    }
}

/// A local file header, as far as salvage needs it.
struct LocalHeader {
    offset: u64,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    name: Vec<u8>,
    data_start: u64,
}

impl LocalHeader {
    /// The header at `offset`, or `None` when what is there is not a plausible header (a
    /// signature inside some member's data, or cut off before its name ends).
    fn read<R: Read + Seek>(reader: &mut R, offset: u64, len: u64) -> Option<Self> {
        let mut h = [0u8; 30];
        if read_at(reader, offset, &mut h).ok()? < 30 {
            return None;
        }
        let u16_at = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        let version = u16_at(4) & 0xFF;
        let (name_len, extra_len) = (u16_at(26) as u64, u16_at(28) as u64);
        if version > 63 || name_len == 0 {
            return None;
        }
        let name_at = offset + 30;
        let data_start = name_at + name_len + extra_len;
        if data_start > len {
            return None;
        }
        let mut name = vec![0u8; name_len as usize];
        let mut extra = vec![0u8; extra_len as usize];
        read_at(reader, name_at, &mut name).ok()?;
        read_at(reader, name_at + name_len, &mut extra).ok()?;
        let mut compressed = u64::from(u32_at(18));
        let mut size = u64::from(u32_at(22));
        if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            // ZIP64: both sizes in the 0x0001 extra field (uncompressed first).
            let mut e = &extra[..];
            while e.len() >= 4 {
                let id = u16::from_le_bytes([e[0], e[1]]);
                let n = u16::from_le_bytes([e[2], e[3]]) as usize;
                let body = e.get(4..4 + n)?;
                if id == 1 && n >= 16 {
                    size = u64::from_le_bytes(body[0..8].try_into().ok()?);
                    compressed = u64::from_le_bytes(body[8..16].try_into().ok()?);
                }
                e = &e[4 + n..];
            }
        }
        Some(LocalHeader {
            offset,
            flags: u16_at(6),
            method: u16_at(8),
            crc: u32_at(14),
            compressed,
            size,
            name,
            data_start,
        })
    }
}

/// Inflate (method 8) or copy (method 0) one member from `data_start`, reading at most
/// `available` compressed bytes and producing at most `cap` bytes. Stops early (returning
/// `Err` with the reason and status) when the output passes `cap`, the ratio limit, or the
/// size its header declares (when it declares one: no data descriptor).
/// Returns the bytes and how many compressed bytes the data used.
fn salvage_data<R: Read + Seek>(
    reader: &mut R,
    h: &LocalHeader,
    available: u64,
    cap: u64,
    limits: &Limits,
) -> Result<(Vec<u8>, u64), (Status, String)> {
    let at = h.offset;
    let io_err = |e: io::Error| {
        (
            Status::Failed,
            format!("corrupt data in the member at offset {at}: {e}"),
        )
    };
    reader.seek(SeekFrom::Start(h.data_start)).map_err(io_err)?;
    let input = reader.take(available);
    let mut out = Vec::with_capacity(h.size.min(cap).min(PREALLOC_CAP) as usize);
    match h.method {
        0 => {
            input.take(cap + 1).read_to_end(&mut out).map_err(io_err)?;
            let used = out.len() as u64;
            Ok((out, used))
        }
        8 => {
            let mut dec = flate2::read::DeflateDecoder::new(input);
            let mut chunk = vec![0u8; 64 << 10];
            loop {
                let n = dec.read(&mut chunk).map_err(io_err)?;
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..n]);
                let len = out.len() as u64;
                if h.flags & 8 == 0 && len > h.size {
                    // The header's size is known: no need to inflate further to know it lies.
                    return Err((
                        Status::Failed,
                        format!(
                            "member at offset {at} inflates beyond its declared size of {} bytes",
                            h.size
                        ),
                    ));
                }
                if len > cap {
                    return Err((
                        Status::Skipped,
                        format!("inflates to more than {cap} bytes (member size or total limit)"),
                    ));
                }
                if len > RATIO_FLOOR && len / dec.total_in().max(1) > limits.max_ratio {
                    return Err((
                        Status::Skipped,
                        Skip::Ratio {
                            ratio: None,
                            limit: limits.max_ratio,
                        }
                        .to_string(),
                    ));
                }
            }
            let used = dec.total_in();
            Ok((out, used))
        }
        m => Err((
            Status::Failed,
            format!("compression method {m} cannot be salvaged (only stored and deflate)"),
        )),
    }
}

/// Recover the members of an archive whose central directory cannot be read, from their
/// local headers, in file order. Sizes come from each local header; a member whose sizes
/// follow its data (a data descriptor, flag bit 3) is salvaged only when it is deflated, its
/// stream ends cleanly, and the descriptor after it matches the CRC and both sizes; a stored
/// one is reported failed, since nothing but the central directory says where it ends.
/// Every member read is checked against its CRC. Returns the outcomes and how many members
/// were found (directory entries and implausible headers are not members).
fn salvage<R, S>(
    mut reader: R,
    len: u64,
    prefix: &str,
    depth: u32,
    limits: &Limits,
    budget: &mut Budget,
    sink: &S,
) -> (Vec<S::Outcome>, usize)
where
    R: Read + Seek + Clone + Send + Sync,
    S: MemberSink,
{
    const NOTE: &str =
        "salvaged from its local header (the archive's central directory is unreadable)";
    let mut out = Vec::new();
    let mut found = 0;
    let mut pos = 0;
    let mut scanner = HeaderScanner::new();
    while let Some(at) = scanner.next(&mut reader, pos, len) {
        let Some(h) = LocalHeader::read(&mut reader, at, len) else {
            pos = at + 1;
            continue;
        };
        let name = display_name(&String::from_utf8_lossy(&h.name));
        if name.ends_with('/') && h.size == 0 {
            pos = h.data_start;
            continue;
        }
        if found == SALVAGE_MAX_MEMBERS {
            out.push(sink.not_read(
                &format!("{prefix}#{SALVAGE_MAX_MEMBERS}+"),
                0,
                Format::Unknown,
                Status::Failed,
                format!(
                    "more local headers from offset {at} on: salvage stops at {SALVAGE_MAX_MEMBERS} members"
                ),
            ));
            break;
        }
        found += 1;
        let path = format!("{prefix}{name}");
        let by_name = detect::detect(&path, &[]);
        let fail = |status: Status, reason: String| {
            sink.not_read(&path, h.size, by_name, status, format!("{reason}; {NOTE}"))
        };
        let descriptor = h.flags & 8 != 0;
        let remaining = len - h.data_start;
        let cap = limits.max_member_size.min(budget.left());
        let decision: Result<(), (Status, String)> = if h.flags & 1 != 0 {
            Err((Status::Failed, "encrypted member".into()))
        } else if descriptor && h.method != 8 {
            Err((
                Status::Failed,
                format!(
                    "member at offset {at} is stored with a data descriptor: only the central directory says where it ends"
                ),
            ))
        } else if !descriptor && h.compressed > remaining {
            Err((
                Status::Failed,
                format!(
                    "member at offset {at} is cut off: it declares {} compressed bytes, {remaining} remain",
                    h.compressed
                ),
            ))
        } else if !descriptor && h.size > limits.max_member_size {
            Err((
                Status::Skipped,
                Skip::InflatesOverMemberSize {
                    size: h.size,
                    limit: limits.max_member_size,
                }
                .to_string(),
            ))
        } else if !descriptor
            && h.size > RATIO_FLOOR
            && h.size / h.compressed.max(1) > limits.max_ratio
        {
            Err((
                Status::Skipped,
                Skip::Ratio {
                    ratio: Some(h.size / h.compressed.max(1)),
                    limit: limits.max_ratio,
                }
                .to_string(),
            ))
        } else if !descriptor && h.size > budget.left() {
            Err((Status::Skipped, budget.refusal()))
        } else {
            Ok(())
        };
        if let Err((status, reason)) = decision {
            out.push(fail(status, reason));
            sink.done(h.size);
            // Past the data when its length is known; else look for the next header inside.
            pos = if descriptor || h.compressed > remaining {
                h.data_start
            } else {
                h.data_start + h.compressed
            };
            continue;
        }
        let available = if descriptor { remaining } else { h.compressed };
        let read = salvage_data(&mut reader, &h, available, cap, limits);
        let checked = read.and_then(|(bytes, consumed)| {
            let crc = crc32fast::hash(&bytes);
            if descriptor {
                // `PK\x07\x08` (optional), CRC, compressed size, size (32-bit forms).
                let mut d = [0u8; 16];
                let n = read_at(&mut reader, h.data_start + consumed, &mut d).unwrap_or(0);
                let skip = if d[..4] == *b"PK\x07\x08" { 4 } else { 0 };
                let field = |i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
                let ok = n >= skip + 12
                    && field(skip) == crc
                    && u64::from(field(skip + 4)) == consumed & 0xFFFF_FFFF
                    && u64::from(field(skip + 8)) == bytes.len() as u64 & 0xFFFF_FFFF;
                if !ok {
                    return Err((
                        Status::Failed,
                        format!(
                            "member at offset {at}: no data descriptor matching its data after the deflate stream"
                        ),
                    ));
                }
                Ok((bytes, consumed + skip as u64 + 12))
            } else if bytes.len() as u64 != h.size {
                Err((
                    Status::Failed,
                    format!(
                        "member at offset {at} holds {} bytes, its header declares {}",
                        bytes.len(),
                        h.size
                    ),
                ))
            } else if crc != h.crc {
                Err((
                    Status::Failed,
                    format!("member at offset {at}: CRC mismatch (damaged data)"),
                ))
            } else {
                Ok((bytes, h.compressed))
            }
        });
        match checked {
            Ok((bytes, consumed)) => {
                pos = h.data_start + consumed;
                let size = bytes.len() as u64;
                budget.take(size);
                let member = member_bytes(&path, size, bytes, Some(NOTE), depth, limits, sink);
                out.extend(member.finish(depth, limits, budget, sink));
                sink.done(size);
            }
            Err((status, reason)) => {
                out.push(fail(status, reason));
                sink.done(h.size);
                pos = if descriptor {
                    h.data_start
                } else {
                    h.data_start + h.compressed
                };
            }
        }
    }
    (out, found)
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
    fn skip_reasons_read_as_before() {
        assert_eq!(
            Skip::Total { limit: 5 }.to_string(),
            "the bundle's inflated size would pass the total limit of 5 bytes (--max-total-size)"
        );
        assert_eq!(
            Skip::Ratio {
                ratio: Some(2000),
                limit: 1000
            }
            .to_string(),
            "compression ratio 2000:1 is over the limit of 1000:1 (--max-ratio)"
        );
        assert!(Skip::NotAFile.to_string().starts_with("not a regular file"));
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
        let got = read_inputs(std::slice::from_ref(&p), &limits, &Log::default());
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
        // The archive is failed; its member is salvaged from its local header.
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("cut.zip failed zip not a readable zip archive")
                && got[0].ends_with("1 members salvaged from their local headers (they follow)"),
            "{}",
            got[0]
        );
        assert_eq!(got[1], "a.txt content unknown 11");

        // Cut inside the member's data: nothing to salvage, the member is failed.
        let p = write_temp(dir.path(), "cut2.zip", &bytes[..40]);
        let got = read_inputs(&[p], &Limits::default(), &Log::default());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[1].starts_with("a.txt failed") && got[1].contains("cut off"),
            "{}",
            got[1]
        );

        // Garbage with no local header at all: only the archive, failed.
        let p = write_temp(dir.path(), "junk.zip", b"PK\x05\x06 nothing else");
        let got = read_inputs(&[p], &Limits::default(), &Log::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(!got[0].contains("salvaged"), "{}", got[0]);
    }

    /// A reader that counts the bytes read through it.
    #[derive(Clone)]
    struct Counting(Cursor<Arc<[u8]>>, Arc<std::sync::atomic::AtomicU64>);

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }

    impl Seek for Counting {
        fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
            self.0.seek(pos)
        }
    }

    /// Salvage over a file packed with signatures that are not plausible headers: each
    /// lookup used to read a fresh 64 KiB window (64 KiB per 4 bytes of input: hours for
    /// 100 MB). It now reads each byte about twice (window, then the header itself).
    #[test]
    fn salvage_scan_is_linear_in_signatures() {
        let mut bytes = Vec::new();
        while bytes.len() < 1 << 20 {
            bytes.extend_from_slice(b"PK\x03\x04");
        }
        // One real member at the end.
        let tail = zip_of(&[("a.txt", b"hello")], zip::CompressionMethod::Stored);
        let cd = tail.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes.extend_from_slice(&tail[..cd]);
        let len = bytes.len() as u64;
        let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let reader = Counting(Cursor::new(Arc::<[u8]>::from(bytes)), counter.clone());
        let log = Log::default();
        let (got, found) = salvage(
            reader,
            len,
            "",
            1,
            &Limits::default(),
            &mut Budget::new(u64::MAX),
            &log,
        );
        assert_eq!((got.len(), found), (1, 1), "{got:?}");
        assert_eq!(got[0], "a.txt content unknown 5");
        let read = counter.load(std::sync::atomic::Ordering::Relaxed);
        assert!(read < 16 * len, "read {read} bytes for {len}");

        // Signatures at every offset around a window boundary are still found.
        for shift in 0..6 {
            let mut b = vec![b'x'; (64 << 10) - 2 + shift];
            b.extend_from_slice(&tail[..cd]);
            let got = read_bytes("shifted.zip", b, &Limits::default(), &Log::default());
            assert_eq!(got.len(), 2, "shift {shift}: {got:?}");
        }
    }

    #[test]
    fn read_bytes_matches_read_inputs() {
        let bytes = zip_of(
            &[
                ("a.txt", b"hello world"),
                (
                    "inner.zip",
                    &zip_of(&[("b.txt", b"b")], zip::CompressionMethod::Stored),
                ),
            ],
            zip::CompressionMethod::Deflated,
        );
        let dir = tempfile::tempdir().unwrap();
        let p = write_temp(dir.path(), "x.zip", &bytes);
        let from_file = read_inputs(&[p], &Limits::default(), &Log::default());
        let from_bytes = read_bytes("x.zip", bytes, &Limits::default(), &Log::default());
        assert_eq!(from_file, from_bytes);
        assert_eq!(from_bytes.len(), 3);
        let got = read_bytes(
            "plain\u{7}.txt",
            b"text".to_vec(),
            &Limits::default(),
            &Log::default(),
        );
        assert_eq!(got, vec!["plain\\u{7}.txt content unknown 4"]);
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(display_name("a\u{1b}[31m\\b"), "a\\u{1b}[31m/b");
    }
}
