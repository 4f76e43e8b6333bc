//! Detection: what a bundle member is, and how its bytes become text.
//!
//! This module owns two decisions for each member: its [`Format`] (by name first,
//! case-insensitively, then by sniffing the first 4 KB of content) and its text encoding
//! (UTF-8 with or without BOM, UTF-16LE/BE with BOM or recognisably without, else lossy
//! UTF-8). It never reads beyond the bytes it is given and never fails: a member no parser
//! claims gets [`Format::Unknown`] with the reason it was not claimed. Content sniffing tries
//! the UccApi prefix first, then the Windows event exports ([`sniff_event_export`]: "Copy
//! details as text", Event Viewer XML, `wevtutil` text, PowerShell JSON / CSV, Event Viewer
//! CSV / tab-delimited text, PowerShell `Format-List`), then a PowerShell transcript or console
//! capture, then Windows command output (`nslookup`, `ipconfig`, `netsh winhttp`,
//! `systeminfo`, registry exports), each recognised by its own content markers, never by
//! English captions alone. Event exports that are not UTF-8 or UTF-16 are decoded in a legacy
//! code page ([`decode_events`]); everything else keeps [`decode`].

use std::borrow::Cow;

use crate::parse::cmdout::{self, OutputKind};
use crate::parse::{eventxml, powershell, uccapi};

/// What a member is, as far as sfbtriage is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Lync / SfB / Communicator client trace (`*.UccApilog`, `.bak` rollovers).
    UccApiLog,
    /// A zip archive (a bundle inside the bundle).
    Zip,
    /// Binary ETW trace (`Lync-*.etl`): needs Microsoft's private TMF files to decode.
    Etl,
    /// Windows event log (`.evtx`).
    Evtx,
    /// Event Viewer "Save … as XML" export (`<Events><Event xmlns=…>`), any file name.
    EventXml,
    /// Event Viewer "Save … as CSV (Comma Separated)": five columns plus a description.
    EventCsv,
    /// Event Viewer "Save … as Text (Tab delimited)": the same table, tab-separated.
    EventTsv,
    /// `wevtutil qe <log> /f:text`: `Event[n]:` blocks.
    EventWevtutil,
    /// Event Viewer "Copy details as text": labelled fields, optional `Event Xml:` block.
    EventDetailsText,
    /// PowerShell `Get-EventLog` / `Get-WinEvent` | `ConvertTo-Json`.
    EventPsJson,
    /// PowerShell `Get-EventLog` / `Get-WinEvent` | `Export-Csv`.
    EventPsCsv,
    /// PowerShell `Get-EventLog` / `Get-WinEvent` | `Format-List`.
    EventPsList,
    /// Windows PowerShell transcript or console capture, any file name.
    PowerShell,
    /// `nslookup` output.
    Nslookup,
    /// `ipconfig /all` output.
    Ipconfig,
    /// `netsh winhttp show proxy` output.
    WinHttpProxy,
    /// `systeminfo` output.
    SystemInfo,
    /// Registry export (`.reg`, "Windows Registry Editor Version 5.00").
    RegExport,
    /// Microsoft Online Services Sign-in Assistant trace (`msoidsvctrace{GUID}.txt`).
    SignInAssistantTrace,
    /// Lync for Mac 2011 log (`Microsoft-Lync.log`), a different layout.
    MacLyncLog,
    /// Anything else.
    Unknown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UccApiLog => "uccapi-log",
            Self::Zip => "zip",
            Self::Etl => "etl",
            Self::Evtx => "evtx",
            Self::EventXml => "event-xml",
            Self::EventCsv => "event-csv",
            Self::EventTsv => "event-tsv",
            Self::EventWevtutil => "event-wevtutil",
            Self::EventDetailsText => "event-details-text",
            Self::EventPsJson => "event-ps-json",
            Self::EventPsCsv => "event-ps-csv",
            Self::EventPsList => "event-ps-list",
            Self::PowerShell => "powershell-transcript",
            Self::Nslookup => "nslookup",
            Self::Ipconfig => "ipconfig",
            Self::WinHttpProxy => "winhttp-proxy",
            Self::SystemInfo => "systeminfo",
            Self::RegExport => "reg-export",
            Self::SignInAssistantTrace => "msoidsvc-trace",
            Self::MacLyncLog => "mac-lync-log",
            Self::Unknown => "unknown",
        }
    }
}

/// The last path component, for name matching.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\', '!']).next().unwrap_or(path)
}

/// `(communicator|lync)-uccapi-<n>.uccapilog[.bak]`, case-insensitive.
pub fn is_uccapi_name(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let name = name.strip_suffix(".bak").unwrap_or(&name);
    let Some(stem) = name.strip_suffix(".uccapilog") else {
        return false;
    };
    let Some(n) = stem
        .strip_prefix("communicator-uccapi-")
        .or_else(|| stem.strip_prefix("lync-uccapi-"))
    else {
        return false;
    };
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

fn has_ext(path: &str, ext: &str) -> bool {
    // Bytes, not `str` slicing: the cut may fall inside a multi-byte character.
    let name = file_name(path).as_bytes();
    name.len() > ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
}

/// Decide a member's format from its name and the start of its content.
pub fn detect(path: &str, head: &[u8]) -> Format {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    if head.starts_with(b"ElfFile\0") {
        return Format::Evtx;
    }
    if is_uccapi_name(path) {
        return Format::UccApiLog;
    }
    let name = file_name(path);
    if has_ext(name, ".etl") || has_ext(name, ".etl.bak") {
        return Format::Etl;
    }
    if has_ext(name, ".evtx") {
        return Format::Evtx;
    }
    if has_ext(name, ".zip") {
        return Format::Zip;
    }
    if crate::parse::msoidsvc::is_trace_name(name) {
        return Format::SignInAssistantTrace;
    }
    let sniff_len = head.len().min(4096);
    let text = decode(&head[..sniff_len]).text;
    if uccapi::sniff(&text) {
        return Format::UccApiLog;
    }
    // Event exports: the text may be in a legacy code page, and the head may end inside a
    // character.
    let events_text = decode_events(&head[..sniff_len]).text;
    if let Some(f) = sniff_event_export(&events_text) {
        return f;
    }
    if crate::parse::msoidsvc::sniff(&text) {
        return Format::SignInAssistantTrace;
    }
    if powershell::sniff(&text) {
        return Format::PowerShell;
    }
    if let Some(kind) = cmdout::classify(&text) {
        return match kind {
            OutputKind::Nslookup => Format::Nslookup,
            OutputKind::Ipconfig => Format::Ipconfig,
            OutputKind::WinHttpProxy => Format::WinHttpProxy,
            OutputKind::SystemInfo => Format::SystemInfo,
            OutputKind::RegExport => Format::RegExport,
        };
    }
    if text.contains("SIPService::") || text.contains("Office Communications Server LOGON") {
        return Format::MacLyncLog;
    }
    Format::Unknown
}

/// Which Windows event export a text is, by content. "Copy details as text" goes first
/// because its trailing `Event Xml:` block would otherwise read as an XML export; the
/// PowerShell CSV (property names) before Event Viewer's CSV (captions in any language).
pub fn sniff_event_export(text: &str) -> Option<Format> {
    use crate::parse::{evcopy, evcsv, pscsv, psjson, pslist, wevtutil};
    if evcopy::sniff(text) {
        Some(Format::EventDetailsText)
    } else if eventxml::sniff(text) {
        Some(Format::EventXml)
    } else if wevtutil::sniff(text) {
        Some(Format::EventWevtutil)
    } else if psjson::sniff(text) {
        Some(Format::EventPsJson)
    } else if pscsv::sniff(text) {
        Some(Format::EventPsCsv)
    } else if let Some(d) = evcsv::sniff(text) {
        Some(match d {
            evcsv::Delimiter::Comma => Format::EventCsv,
            evcsv::Delimiter::Tab => Format::EventTsv,
        })
    } else if pslist::sniff(text) {
        Some(Format::EventPsList)
    } else {
        None
    }
}

/// Why an unknown member was not read, in a few words.
pub fn unknown_reason(head: &[u8]) -> &'static str {
    if head.is_empty() {
        "empty file"
    } else if looks_binary(head) {
        "binary content that no parser recognises"
    } else {
        "text that no parser recognises"
    }
}

fn looks_binary(head: &[u8]) -> bool {
    let n = head.len().min(1024);
    if n == 0 || bom(head).is_some() || utf16_without_bom(head).is_some() {
        return false;
    }
    let controls = head[..n]
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    controls * 10 > n
}

/// The encoding a member was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Bytes that were not valid UTF-8: invalid sequences became U+FFFD.
    Utf8Lossy,
    /// Windows-1252 (Western European ANSI code page): an event export that was not UTF-8.
    Windows1252,
    /// Shift_JIS / cp932 (Japanese ANSI code page): an event export with Japanese labels.
    ShiftJis,
    /// GBK / cp936 (Simplified Chinese ANSI code page): an event export with Chinese labels.
    Gbk,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Bom => "utf-8-bom",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Utf8Lossy => "utf-8-lossy",
            Self::Windows1252 => "windows-1252",
            Self::ShiftJis => "shift_jis",
            Self::Gbk => "gbk",
        }
    }
}

/// Decoded text; borrowed when the bytes were already UTF-8.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

fn bom(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some(Encoding::Utf8Bom)
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(Encoding::Utf16Le)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// UTF-16 without a BOM: mostly-ASCII text shows NULs at every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let n = bytes.len().min(512) & !1;
    if n < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in bytes[..n].chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let half = n / 2;
    if odd * 10 >= half * 9 && even == 0 {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= half * 9 && odd == 0 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Decode a member's bytes to text. Never fails: undecodable sequences become U+FFFD.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let encoding = bom(bytes).or_else(|| utf16_without_bom(bytes));
    match encoding {
        Some(Encoding::Utf16Le) | Some(Encoding::Utf16Be) => {
            let enc = if encoding == Some(Encoding::Utf16Le) {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            // decode_without_bom_handling keeps an odd trailing byte as U+FFFD.
            let body = if bom(bytes).is_some() {
                &bytes[2..]
            } else {
                bytes
            };
            let (text, _) = enc.decode_without_bom_handling(body);
            Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding: encoding.unwrap(),
            }
        }
        Some(Encoding::Utf8Bom) => utf8(&bytes[3..], Encoding::Utf8Bom),
        _ => utf8(bytes, Encoding::Utf8),
    }
}

/// [`decode`] block by block, for a member read as a stream: the text comes out in pieces
/// whose concatenation is exactly what [`decode`] gives for the whole bytes, and
/// [`TextStream::encoding`] is then what [`decode`] reports. The encoding is decided on the
/// first 512 bytes (held back until there are that many, or the input ends), as [`decode`]
/// does; a UTF-8 sequence or UTF-16 code unit cut by a block boundary is completed by the next
/// block.
#[derive(Default)]
pub struct TextStream {
    state: StreamState,
    /// Bytes held back: the head before the encoding is decided, or an incomplete UTF-8
    /// sequence at the end of the last block.
    held: Vec<u8>,
    lossy: bool,
}

#[derive(Default)]
enum StreamState {
    #[default]
    Undecided,
    Utf8(Encoding),
    Utf16(Encoding, Box<encoding_rs::Decoder>),
}

/// How many bytes [`decode`] looks at to recognise UTF-16 without a BOM.
const SNIFF_UTF16: usize = 512;

impl TextStream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode `bytes` (the next block; `last` for the final one, possibly empty) and append
    /// the text to `out`.
    pub fn push(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        if let StreamState::Undecided = self.state {
            self.held.extend_from_slice(bytes);
            if self.held.len() < SNIFF_UTF16 && !last {
                return;
            }
            let head = std::mem::take(&mut self.held);
            let encoding = bom(&head).or_else(|| utf16_without_bom(&head));
            let skip = match encoding {
                Some(Encoding::Utf16Le) | Some(Encoding::Utf16Be) => {
                    let enc = if encoding == Some(Encoding::Utf16Le) {
                        encoding_rs::UTF_16LE
                    } else {
                        encoding_rs::UTF_16BE
                    };
                    self.state = StreamState::Utf16(
                        encoding.unwrap_or(Encoding::Utf16Le),
                        Box::new(enc.new_decoder_without_bom_handling()),
                    );
                    if bom(&head).is_some() { 2 } else { 0 }
                }
                Some(Encoding::Utf8Bom) => {
                    self.state = StreamState::Utf8(Encoding::Utf8Bom);
                    3
                }
                _ => {
                    self.state = StreamState::Utf8(Encoding::Utf8);
                    0
                }
            };
            self.decode(&head[skip..], last, out);
            return;
        }
        self.decode(bytes, last, out);
    }

    fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        match &mut self.state {
            StreamState::Undecided => {}
            StreamState::Utf16(_, decoder) => {
                let mut src = bytes;
                loop {
                    out.reserve(
                        decoder
                            .max_utf8_buffer_length(src.len())
                            .unwrap_or(src.len() * 3),
                    );
                    let (result, read, _) = decoder.decode_to_string(src, out, last);
                    src = &src[read..];
                    if result == encoding_rs::CoderResult::InputEmpty {
                        break;
                    }
                }
            }
            StreamState::Utf8(_) => {
                let joined;
                let mut rest: &[u8] = if self.held.is_empty() {
                    bytes
                } else {
                    self.held.extend_from_slice(bytes);
                    joined = std::mem::take(&mut self.held);
                    &joined
                };
                // As `String::from_utf8_lossy`: one U+FFFD per invalid sequence, and one for
                // an incomplete sequence at the very end.
                loop {
                    match std::str::from_utf8(rest) {
                        Ok(s) => {
                            out.push_str(s);
                            break;
                        }
                        Err(e) => {
                            let (good, bad) = rest.split_at(e.valid_up_to());
                            out.push_str(&String::from_utf8_lossy(good));
                            match e.error_len() {
                                Some(n) => {
                                    out.push('\u{FFFD}');
                                    self.lossy = true;
                                    rest = &bad[n..];
                                }
                                None if last => {
                                    out.push('\u{FFFD}');
                                    self.lossy = true;
                                    break;
                                }
                                None => {
                                    self.held = bad.to_vec();
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The encoding the text was read in, as [`decode`] names it (once the last block is in).
    pub fn encoding(&self) -> Encoding {
        match &self.state {
            StreamState::Utf16(e, _) => *e,
            _ if self.lossy => Encoding::Utf8Lossy,
            StreamState::Utf8(e) => *e,
            StreamState::Undecided => Encoding::Utf8,
        }
    }
}

/// Words only a Japanese event export holds (labels and level names of "Copy details as text",
/// CSV captions), to tell cp932 bytes from cp936 ones.
const JAPANESE_EVENT_WORDS: [&str; 8] = [
    "ログの名前",
    "イベント ID",
    "レベル",
    "ソース",
    "情報",
    "エラー",
    "警告",
    "日付",
];
/// The same for Simplified Chinese.
const CHINESE_EVENT_WORDS: [&str; 8] = [
    "日志名称",
    "事件 ID",
    "级别",
    "来源",
    "信息",
    "错误",
    "警告",
    "日期",
];

/// Decode a Windows event export: like [`decode`], but bytes that are not UTF-8 are read in
/// the legacy ANSI code page they were most likely written in (Event Viewer text exports and
/// `wevtutil` redirected by `cmd` use it): cp932 or cp936 when the bytes decode cleanly in that
/// code page and then hold Japanese or Chinese event labels, else cp1252. UccApi logs keep
/// using [`decode`].
pub fn decode_events(bytes: &[u8]) -> Decoded<'_> {
    let d = decode(bytes);
    if d.encoding != Encoding::Utf8Lossy {
        return d;
    }
    let holds = |enc: &'static encoding_rs::Encoding, words: &[&str]| {
        // A sniffed head may end in the middle of a two-byte character.
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .or_else(|| {
                let cut = &bytes[..bytes.len().saturating_sub(1)];
                enc.decode_without_bom_handling_and_without_replacement(cut)
            })
            .filter(|t| words.iter().filter(|w| t.contains(*w)).count() >= 2)
            .map(|t| t.into_owned())
    };
    if let Some(text) = holds(encoding_rs::SHIFT_JIS, &JAPANESE_EVENT_WORDS) {
        return Decoded {
            text: Cow::Owned(text),
            encoding: Encoding::ShiftJis,
        };
    }
    if let Some(text) = holds(encoding_rs::GBK, &CHINESE_EVENT_WORDS) {
        return Decoded {
            text: Cow::Owned(text),
            encoding: Encoding::Gbk,
        };
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Decoded {
        text: Cow::Owned(text.into_owned()),
        encoding: Encoding::Windows1252,
    }
}

/// Words a Japanese console's output holds (nslookup labels and failure line, PowerShell's
/// position line and verbose prefix), to recognise cp932 bytes redirected to a file.
const JAPANESE_CONSOLE_WORDS: [&str; 7] = [
    "サーバー:",
    "名前:",
    "権限のない回答",
    "を見つけられません",
    "発生場所",
    "詳細:",
    "トランスクリプト",
];

/// [`decode`], and for console output redirected to a file on a Japanese Windows (no BOM,
/// not UTF-8) its ANSI/OEM code page cp932 when the text then reads as Japanese console output.
/// Other legacy bytes stay as [`decode`] leaves them (lossy UTF-8).
pub fn decode_console(bytes: &[u8]) -> Decoded<'_> {
    let d = decode(bytes);
    if d.encoding != Encoding::Utf8Lossy {
        return d;
    }
    if let Some(text) = encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .filter(|t| JAPANESE_CONSOLE_WORDS.iter().any(|w| t.contains(*w)))
    {
        return Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: Encoding::ShiftJis,
        };
    }
    d
}

fn utf8(bytes: &[u8], encoding: Encoding) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: Cow::Borrowed(s),
            encoding,
        },
        Err(_) => Decoded {
            text: String::from_utf8_lossy(bytes),
            encoding: Encoding::Utf8Lossy,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uccapi_names() {
        for ok in [
            "Tracing/Lync-UccApi-0.UccApilog",
            "x.zip!Tracing/Communicator-uccapi-0.uccapilog",
            "LYNC-UCCAPI-12.UCCAPILOG.BAK",
            "C:\\Users\\a\\Tracing\\Lync-UccApi-2.UccApilog",
        ] {
            assert!(is_uccapi_name(ok), "{ok}");
        }
        for no in [
            "Lync-UccApi-.UccApilog",
            "Lync-UccApi-0.log",
            "UccApi-0.UccApilog",
            "Lync-UccApi-x.UccApilog",
            "Lync-UccApi-0.UccApilog.old",
        ] {
            assert!(!is_uccapi_name(no), "{no}");
        }
    }

    #[test]
    fn formats_by_name_and_content() {
        let line = b"11/03/2026|09:14:02.117 2F4C:1B80 INFO  :: hello\r\n";
        assert_eq!(detect("renamed.txt", line), Format::UccApiLog);
        assert_eq!(
            detect("Lync-16.0.1-Office-x86ship-U.etl", b"\x00\x01"),
            Format::Etl
        );
        assert_eq!(detect("inner.bin", b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(detect("System.evtx", b"x"), Format::Evtx);
        assert_eq!(detect("noname", b"ElfFile\0xxxx"), Format::Evtx);
        assert_eq!(
            detect(
                "Microsoft-Lync.log",
                b"2012/05/18 08:32:28.604 SIPService::Logon"
            ),
            Format::MacLyncLog
        );
        assert_eq!(detect("readme.txt", b"hello"), Format::Unknown);
        // A name whose last bytes cut a multi-byte character (a hostile-bundle finding).
        assert_eq!(detect("\u{202e}txt.exe", b"x"), Format::Unknown);
        assert_eq!(detect("日本.etl", b"x"), Format::Etl);
        assert_eq!(detect("é", b"x"), Format::Unknown);
        let xml = b"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>";
        assert_eq!(detect("Lync events.xml", xml), Format::EventXml);
        assert_eq!(detect("saved.txt", xml), Format::EventXml);
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                String::from_utf8_lossy(xml)
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(detect("app.xml", &le), Format::EventXml);
        assert_eq!(
            detect("other.xml", b"<config><Event/></config>"),
            Format::Unknown
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(line.iter().flat_map(|&b| [b, 0]));
        assert_eq!(detect("a.txt", &utf16), Format::UccApiLog);
    }

    #[test]
    fn powershell_and_command_output_by_content() {
        let transcript = "**********************\r\nWindows PowerShell transcript start\r\nStart time: 20261103091402\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(transcript.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect("notes/session.log", &le), Format::PowerShell);
        assert_eq!(
            detect(
                "x.txt",
                b"PS C:\\Users\\kim> Import-Module SkypeOnlineConnector\r\n"
            ),
            Format::PowerShell
        );
        assert_eq!(
            detect("x.txt", b"Get-CsWebTicket : Failed\r\n    + CategoryInfo          : NotSpecified: (:) [Get-CsWebTicket]\r\n"),
            Format::PowerShell
        );
        let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE]\r\n";
        let reg_le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(reg.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect("policy.txt", &reg_le), Format::RegExport);
        assert_eq!(
            detect("a", b"Server:  dc01\r\nAddress:  10.0.0.1\r\n"),
            Format::Nslookup
        );
        assert_eq!(
            detect(
                "a",
                b"\r\nWindows IP Configuration\r\n\r\n   Host Name : X\r\n"
            ),
            Format::Ipconfig
        );
        assert_eq!(
            detect("a", b"\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Direct access (no proxy server).\r\n"),
            Format::WinHttpProxy
        );
        assert_eq!(
            detect("a", b"Host Name: WS\r\nOS Name: Microsoft Windows 10\r\nTime Zone: (UTC+01:00) Paris\r\n"),
            Format::SystemInfo
        );
        assert_eq!(detect("a", b"Server room notes: none"), Format::Unknown);
    }

    #[test]
    fn decodes_every_encoding() {
        let s = "01/15/2012|11:30:10.163 é";
        let d = decode(s.as_bytes());
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.encoding, Encoding::Utf8);

        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend(s.as_bytes());
        let d = decode(&b);
        assert_eq!((d.text.as_ref(), d.encoding), (s, Encoding::Utf8Bom));

        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&le);
        assert_eq!((d.text.as_ref(), d.encoding), (s, Encoding::Utf16Le));

        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let d = decode(&be);
        assert_eq!((d.text.as_ref(), d.encoding), (s, Encoding::Utf16Be));

        let no_bom: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&no_bom).encoding, Encoding::Utf16Le);

        let d = decode(b"abc\xFF\xFEdef");
        assert_eq!(d.encoding, Encoding::Utf8Lossy);
        assert_eq!(d.text, "abc\u{FFFD}\u{FFFD}def");

        // An odd-length UTF-16 file keeps its last byte as a replacement character.
        let mut odd = le.clone();
        odd.push(0x41);
        assert!(decode(&odd).text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn event_exports_by_content_in_any_encoding() {
        use crate::parse::eventtext::tests_support::{excerpt, utf16le};
        let cases = [
            (
                "eventviewer_saveas_csv_security_keywords_col.csv.txt",
                Format::EventCsv,
            ),
            (
                "eventviewer_saveas_txt_tabdelimited_sysmon1.txt",
                Format::EventTsv,
            ),
            (
                "wevtutil_text_en_security4799_htb.txt",
                Format::EventWevtutil,
            ),
            (
                "wevtutil_text_zhCN_kernelpower107.txt",
                Format::EventWevtutil,
            ),
            (
                "eventviewer_copy_as_text_ja_defrag259.txt",
                Format::EventDetailsText,
            ),
            (
                "eventviewer_copy_as_text_zhCN_security4688.txt",
                Format::EventDetailsText,
            ),
            (
                "lync_server_eventviewer_text_LS_DataMCU_daniyar.txt",
                Format::EventDetailsText,
            ),
            (
                "uccapi_ms-diagnostics_4005_and_LS_UserReplicator_30061_supportarticles.txt",
                Format::EventDetailsText,
            ),
            (
                "lync_client_app_events_get-eventlog_json.txt",
                Format::EventPsJson,
            ),
        ];
        for (name, format) in cases {
            let Some(text) = excerpt(name) else { return };
            assert_eq!(detect("export.txt", text.as_bytes()), format, "{name}");
            let le = utf16le(&text);
            assert_eq!(
                detect("export.txt", &le[..le.len().min(4096)]),
                format,
                "{name} utf-16le"
            );
        }
        // Not every CSV or listing is an event export.
        assert_eq!(
            detect(
                "a.csv",
                b"name,age,city,zip,country\nBob,42,Paris,75001,FR\n"
            ),
            Format::Unknown
        );
        assert_eq!(
            detect("svc.txt", b"Name : msoidsvc\nStatus : Running\n"),
            Format::Unknown
        );
    }

    #[test]
    fn legacy_code_pages_for_event_exports_only() {
        let fr = "Niveau,Date et heure,Source,ID de l'événement,Catégorie de la tâche\r\nErreur,05/11/2026 09:14:02,Lync,3,Aucun,\"Lync n'a pas pu résoudre le nom d'hôte DNS du serveur de connexion sip.contoso.com.\"\r\n";
        let (cp1252, _, bad) = encoding_rs::WINDOWS_1252.encode(fr);
        assert!(!bad);
        let d = decode_events(&cp1252);
        assert_eq!((d.text.as_ref(), d.encoding), (fr, Encoding::Windows1252));
        assert_eq!(detect("Application.csv", &cp1252), Format::EventCsv);
        // `decode` itself is unchanged: invalid UTF-8 stays lossy UTF-8 (UccApi logs).
        assert_eq!(decode(&cp1252).encoding, Encoding::Utf8Lossy);
        // Japanese bytes without Japanese event words are not taken for cp932.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("テスト,テスト");
        assert_eq!(decode_events(&sjis).encoding, Encoding::Windows1252);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("ログの名前:         Application\r\nイベント ID:       3\r\nレベル:           エラー\r\n");
        assert_eq!(decode_events(&sjis).encoding, Encoding::ShiftJis);
        let (gbk, _, _) = encoding_rs::GBK
            .encode("日志名称:          System\r\n事件 ID:         3\r\n级别:            错误\r\n");
        assert_eq!(decode_events(&gbk).encoding, Encoding::Gbk);
        // Japanese console output redirected to a file (cp932).
        let (ja, _, _) = encoding_rs::SHIFT_JIS
            .encode("サーバー:  UnKnown\r\n*** UnKnown が sip.example.jp を見つけられません: Non-existent domain\r\n");
        let d = decode_console(&ja);
        assert_eq!(d.encoding, Encoding::ShiftJis);
        assert!(d.text.contains("を見つけられません"));
        assert_eq!(decode_console(&cp1252).encoding, Encoding::Utf8Lossy);
        assert_eq!(detect("copy.txt", &gbk), Format::EventDetailsText);
    }

    #[test]
    fn unknown_reasons() {
        assert_eq!(unknown_reason(b""), "empty file");
        assert_eq!(
            unknown_reason(&[0u8; 64]),
            "binary content that no parser recognises"
        );
        assert_eq!(
            unknown_reason(b"just words"),
            "text that no parser recognises"
        );
    }
}
