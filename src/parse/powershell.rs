//! Windows PowerShell transcripts and console captures (formats.md §4, §6.7).
//!
//! This module owns turning the text of a `Start-Transcript` file, or of a console window
//! copied to a file, into [`PsRecord`]s: one per command typed at a `PS …>` prompt, one per
//! error record (`Cmdlet : message` down to its `+ FullyQualifiedErrorId` line, or a
//! transcript's `PS>TerminatingError(…)` line), one per paragraph of other output, and one for
//! each transcript banner block. Lines that the console wrapped are joined before anything
//! matches them: a capture whose long lines all stop at the same width was hard-wrapped
//! (mid-word, so lines are glued), anything else was word-wrapped (lines joined by a space);
//! whitespace is then collapsed to single spaces and typographic apostrophes become `'`, so a
//! rule stem written on one line with plain spaces matches however the console laid it out.
//! It never fails: text it does not recognise becomes output records.

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PsKind {
    /// The transcript banner block (start or end, with its header fields).
    Banner,
    /// A command typed at a prompt (continuation `>>` lines joined).
    Command,
    /// An error record, or a transcript `TerminatingError` line.
    Error,
    /// Any other output paragraph.
    Output,
}

impl PsKind {
    /// The level word a record rule sees (`ERROR` for error records, `INFO` otherwise).
    pub fn level(self) -> &'static str {
        match self {
            PsKind::Error => "ERROR",
            _ => "INFO",
        }
    }
}

/// One record, its wrapped lines joined and its whitespace normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsRecord {
    pub kind: PsKind,
    /// 1-based line where the record starts.
    pub line: u32,
    /// The joined, whitespace-normalised text.
    pub text: String,
}

/// Counts kept while reading, for the inventory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PsStats {
    pub lines: u64,
    pub records: u64,
    pub errors: u64,
    pub commands: u64,
    /// The console width the capture was hard-wrapped at, when it was.
    pub hard_wrap_width: Option<usize>,
}

const BANNER_MIN: usize = 10;

fn is_banner(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= BANNER_MIN && t.bytes().all(|b| b == b'*')
}

/// The command after a `PS C:\path> ` / `PS>` prompt, if the line is a prompt line.
fn prompt_command(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("PS")?;
    if let Some(cmd) = rest.strip_prefix('>') {
        return Some(cmd);
    }
    let rest = rest.strip_prefix(' ')?;
    // The location is a provider path (`C:\…`, `HKLM:\…`, `Microsoft.PowerShell.Core\…`):
    // no spaces before its drive colon, and the prompt ends at the first `> `.
    let end = rest.find('>')?;
    let location = &rest[..end];
    if location.is_empty() || !location.contains(':') && !location.contains('\\') {
        return None;
    }
    Some(
        rest[end + 1..]
            .strip_prefix(' ')
            .unwrap_or(&rest[end + 1..]),
    )
}

/// `Get-CsWebTicket : …`, `New-PSSession : [host] …`, `nouveauté-PSSession : …`: a command
/// name with a dash, then ` : ` (Windows PowerShell), or `Get-CsWebTicket: …` (PowerShell 7's
/// concise view, whose name must then be an approved verb and a noun).
fn starts_error(line: &str) -> bool {
    let Some(i) = line.find(" : ") else {
        return line
            .split_once(": ")
            .is_some_and(|(name, _)| verb_noun(name));
    };
    let name = &line[..i];
    !name.is_empty()
        && name.len() <= 64
        && name.contains('-')
        && !name.starts_with('-')
        && !name.contains(char::is_whitespace)
        && !name.contains(['\\', '/', ':'])
}

/// Verbs PowerShell approves for command names (the ones a support bundle shows).
const VERBS: &[&str] = &[
    "Add",
    "Clear",
    "Close",
    "Compare",
    "Connect",
    "Convert",
    "ConvertFrom",
    "ConvertTo",
    "Copy",
    "Disable",
    "Disconnect",
    "Enable",
    "Enter",
    "Exit",
    "Export",
    "Find",
    "Format",
    "Get",
    "Grant",
    "Import",
    "Install",
    "Invoke",
    "Join",
    "Measure",
    "Move",
    "New",
    "Out",
    "Read",
    "Receive",
    "Register",
    "Remove",
    "Rename",
    "Repair",
    "Reset",
    "Resolve",
    "Restart",
    "Resume",
    "Revoke",
    "Save",
    "Search",
    "Select",
    "Send",
    "Set",
    "Show",
    "Start",
    "Stop",
    "Suspend",
    "Test",
    "Uninstall",
    "Unregister",
    "Update",
    "Wait",
    "Write",
];

/// `Get-CsWebTicket`, `New-PSSession`: an approved verb, a dash, a noun of letters and digits.
fn verb_noun(name: &str) -> bool {
    let Some((verb, noun)) = name.split_once('-') else {
        return false;
    };
    VERBS.contains(&verb)
        && noun.starts_with(|c: char| c.is_ascii_uppercase())
        && noun.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_error_tail(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("+ FullyQualifiedErrorId")
}

fn is_error_detail(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("+ CategoryInfo")
        || t.starts_with("+ FullyQualifiedErrorId")
        || t.starts_with("+ PSComputerName")
        || t.starts_with("At line:")
        || t.starts_with("Au caractère")
        || t.starts_with("+ ~")
        || is_position_line(t)
}

/// The position line of an error record in any display language, read by its shape: one or
/// two words, then `label:N label:N` or a script path `X:\…:N label:N` (`At line:1 char:1`,
/// `In Zeile:1 Zeichen:1`, `発生場所 行:1 文字:1`, `En línea: 1 Carácter: 1`,
/// `Au caractère Ligne:5 : 12`, `In C:\…\Startup.psm1:147 Zeichen:16`).
pub fn is_position_line(line: &str) -> bool {
    static POSITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[^\W\d_]+ ){1,2}(?:[^\W\d_]+ ?: ?\d+|[A-Za-z]:\\.*:\d+)(?: ?: ?\d+| +[^\W\d_]+ ?: ?\d+) *$",
        )
        .expect("valid position regex")
    });
    let t = line.trim();
    t.len() <= 400 && POSITION.is_match(t)
}

/// Where the position part of a joined error record starts, in any display language (see
/// [`is_position_line`]): ` In Zeile:1 Zeichen:1`, ` 発生場所 行:1 文字:1`.
fn position_start(record: &str) -> Option<usize> {
    static POSITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r" (?:[^\W\d_]+ ){1,2}[^\W\d_]+ ?: ?\d+(?: ?: ?\d+| +[^\W\d_]+ ?: ?\d+)(?: |$)",
        )
        .expect("valid position regex")
    });
    POSITION.find(record).map(|m| m.start())
}

/// Words that open a position line naming a script path, by display language.
const POSITION_WORDS: &[&str] = &["At", "at", "In", "発生場所", "所在位置", "En"];

/// The message of a joined error record: the text before its position (`At line:…`,
/// `At C:\…`, `Au caractère …`) and category lines, so that the same error raised from
/// different places reads the same.
pub fn error_message(record: &str) -> &str {
    let mut end = record.len();
    for marker in [
        " At line:",
        " At char:",
        " Au caractère",
        " + CategoryInfo",
        " + ~",
    ] {
        if let Some(i) = record.find(marker) {
            end = end.min(i);
        }
    }
    if let Some(i) = position_start(record) {
        end = end.min(i);
    }
    // `At C:\path\file.psm1:149 char:16`, `In C:\…`, `発生場所 C:\…`
    for word in POSITION_WORDS {
        let needle = format!(" {word} ");
        let mut from = 0;
        while let Some(i) = record[from..end].find(&needle) {
            let at = from + i;
            let path = at + needle.len();
            let b = record.as_bytes();
            if b.len() > path + 2
                && b[path].is_ascii_alphabetic()
                && b[path + 1] == b':'
                && b[path + 2] == b'\\'
            {
                end = at;
                break;
            }
            from = at + needle.len();
        }
    }
    record[..end].trim_end()
}

/// True when the start of a text looks like a PowerShell transcript or console capture.
pub fn sniff(text: &str) -> bool {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    if head.contains("Windows PowerShell transcript start")
        || head.contains("PowerShell transcript start")
    {
        return true;
    }
    // A transcript banner in any display language: its header lines are localized, but the
    // version lines keep their English names (`PSVersion:`, `PSEdition:`).
    if head.lines().any(is_banner)
        && head.lines().any(|l| {
            let l = l.trim_start_matches('\u{feff}');
            l.starts_with("PSVersion: ") || l.starts_with("PSEdition: ")
        })
    {
        return true;
    }
    head.lines().take(80).any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        let t = l.trim_start();
        t.starts_with("+ CategoryInfo")
            || t.starts_with("+ FullyQualifiedErrorId")
            || prompt_command(l).is_some_and(|_| l.starts_with("PS ") && l.contains(":\\"))
            || l.starts_with("PS>TerminatingError(")
            // Bare error lines: `Get-CsWebTicket : …` / `Get-CsWebTicket: …`.
            || l.split_once(':')
                .is_some_and(|(name, rest)| verb_noun(name.trim_end()) && rest.starts_with(' '))
    })
}

/// True for an excerpt (e.g. a rule example) written as PowerShell output: what [`sniff`]
/// accepts, or a first line of the form `Cmdlet-Name : message`.
pub fn looks_like_excerpt(text: &str) -> bool {
    let first = text
        .trim_start_matches(['\u{feff}', '\r', '\n'])
        .lines()
        .next()
        .unwrap_or("");
    sniff(text) || is_banner(first) || starts_error(first) || prompt_command(first).is_some()
}

/// The width a console capture was hard-wrapped at: the length (in characters) shared by most
/// of its long lines, when at least two different lines have it and they make up half the
/// different lines that long or longer. Word-wrapped text spreads its line lengths and gets
/// `None`; so does a transcript that repeats one long error line many times (only distinct
/// lines are counted).
fn hard_wrap_width(lines: &[&str]) -> Option<usize> {
    let mut long: Vec<(usize, &str)> = lines
        .iter()
        .map(|l| (columns(l), *l))
        .filter(|&(n, _)| n >= 60)
        .collect();
    long.sort_unstable();
    long.dedup();
    // The most common length (the longer one on a tie); a few longer lines are allowed, since
    // a transcript writes some lines (its "output file is …" line) without wrapping them.
    let mut best: Option<(usize, usize)> = None;
    for &(n, _) in &long {
        let count = long.iter().filter(|&&(m, _)| m == n).count();
        if best.is_none_or(|(_, c)| count >= c) {
            best = Some((n, count));
        }
    }
    let (width, at_width) = best?;
    let near = long
        .iter()
        .filter(|&&(n, _)| n <= width && n + 10 >= width)
        .count();
    let longer = long.iter().filter(|&&(n, _)| n > width).count();
    (at_width >= 2 && at_width * 2 >= near && longer <= at_width).then_some(width)
}

/// A character a console draws two columns wide (East Asian wide and full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6)
}

/// The columns a console gives a line: wide characters take two.
fn columns(line: &str) -> usize {
    line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Join the lines of one record and normalise it. Lines a hard-wrapped capture cut at its
/// width are glued; so are lines that break between two wide (CJK) characters, since those
/// languages put no space between words; other lines are joined with a space.
fn join(lines: &[&str], width: Option<usize>) -> String {
    let mut raw = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            let prev = lines[i - 1];
            let glued = width.is_some_and(|w| {
                let n = columns(prev);
                // A wide character that did not fit leaves the last column empty.
                n == w || n + 1 == w && prev.chars().last().is_some_and(is_wide)
            }) || prev.trim_end().chars().last().is_some_and(is_wide)
                && l.trim_start().chars().next().is_some_and(is_wide);
            if !glued {
                raw.push(' ');
            }
        }
        raw.push_str(l);
    }
    normalize(&raw)
}

/// Collapse whitespace to single spaces, trim, and fold typographic apostrophes to `'`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.push(match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
                c => c,
            });
        }
    }
    out
}

struct Open<'a> {
    kind: PsKind,
    line: u32,
    lines: Vec<&'a str>,
    /// An error record that has reached its `+ FullyQualifiedErrorId` line.
    tail_seen: bool,
}

/// Read a transcript or console capture into records, in order.
pub fn read(text: &str) -> (Vec<PsRecord>, PsStats) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let n_lines = if text.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    let width = hard_wrap_width(&lines);
    let mut stats = PsStats {
        lines: n_lines as u64,
        hard_wrap_width: width,
        ..PsStats::default()
    };
    let mut out: Vec<PsRecord> = Vec::new();
    let mut open: Option<Open> = None;
    let mut in_banner = false;
    let close = |open: &mut Option<Open>, out: &mut Vec<PsRecord>, stats: &mut PsStats| {
        if let Some(o) = open.take() {
            let text = join(&o.lines, width);
            if text.is_empty() {
                return;
            }
            match o.kind {
                PsKind::Error => stats.errors += 1,
                PsKind::Command => stats.commands += 1,
                _ => {}
            }
            stats.records += 1;
            out.push(PsRecord {
                kind: o.kind,
                line: o.line,
                text,
            });
        }
    };
    for (i, &line) in lines.iter().take(n_lines).enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if is_banner(line) {
            if in_banner {
                in_banner = false;
                close(&mut open, &mut out, &mut stats);
            } else {
                close(&mut open, &mut out, &mut stats);
                in_banner = true;
                open = Some(Open {
                    kind: PsKind::Banner,
                    line: no,
                    lines: Vec::new(),
                    tail_seen: false,
                });
            }
            continue;
        }
        if in_banner {
            if let Some(o) = &mut open {
                o.lines.push(line);
            }
            continue;
        }
        if let Some(cmd) = prompt_command(line) {
            close(&mut open, &mut out, &mut stats);
            let kind = if cmd.starts_with("TerminatingError(") {
                PsKind::Error
            } else {
                PsKind::Command
            };
            open = Some(Open {
                kind,
                line: no,
                lines: vec![cmd],
                tail_seen: kind == PsKind::Error,
            });
            continue;
        }
        if line.trim().is_empty() {
            // A blank line ends a paragraph; an error record that has not reached its
            // `+ FullyQualifiedErrorId` line yet keeps going only if details follow.
            let keep = open.as_ref().is_some_and(|o| {
                o.kind == PsKind::Error
                    && !o.tail_seen
                    && lines
                        .get(i + 1)
                        .is_some_and(|next| is_error_detail(next) || next.starts_with("    "))
            });
            if !keep {
                close(&mut open, &mut out, &mut stats);
            }
            continue;
        }
        match &mut open {
            Some(o) if o.kind == PsKind::Command && line.starts_with(">> ") => {
                o.lines.push(&line[3..]);
            }
            Some(o) if o.kind == PsKind::Error => {
                // A new `Cmdlet : message` line starts the next error record (bare error lines
                // as a console shows them with `$ErrorView` set to show messages only).
                if (o.tail_seen && !line.starts_with(' ')) || starts_error(line) {
                    // The record ended with its FullyQualifiedErrorId (and its wrapped tail).
                    close(&mut open, &mut out, &mut stats);
                    open = Some(new_output(line, no));
                } else {
                    o.tail_seen |= is_error_tail(line);
                    o.lines.push(line);
                }
            }
            Some(o) if o.kind == PsKind::Output && !starts_error(line) => {
                if is_error_detail(line) {
                    // Details without a recognised header line: the paragraph was an error.
                    o.kind = PsKind::Error;
                    o.tail_seen = is_error_tail(line);
                }
                o.lines.push(line);
            }
            _ => {
                close(&mut open, &mut out, &mut stats);
                open = Some(new_output(line, no));
            }
        }
    }
    close(&mut open, &mut out, &mut stats);
    (out, stats)
}

fn new_output(line: &str, no: u32) -> Open<'_> {
    let error = starts_error(line) || is_error_detail(line);
    Open {
        kind: if error { PsKind::Error } else { PsKind::Output },
        line: no,
        lines: vec![line],
        tail_seen: is_error_tail(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSCRIPT: &str = r"**********************
Windows PowerShell transcript start
Start time: 20261103091402
Username: CONTOSO\admin
Machine: WS-0417 (Microsoft Windows NT 10.0.19045.0)
**********************
Transcript started, output file is C:\Users\admin\Documents\sfbo.txt
PS C:\Users\admin> Import-Module SkypeOnlineConnector
Import-Module : File C:\Program Files\Common Files\Skype for Business Online\Modules\SkypeOnlineConnector\SkypeOnlineConnectorStartup.psm1 cannot be loaded because running scripts is
disabled on this system. For more information, see about_Execution_Policies at
https:/go.microsoft.com/fwlink/?LinkID=135170.
At line:1 char:1
+ Import-Module SkypeOnlineConnector
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : SecurityError: (:) [Import-Module], PSSecurityException
    + FullyQualifiedErrorId : UnauthorizedAccess,Microsoft.PowerShell.Commands.ImportModule
   Command
PS C:\Users\admin> Get-ExecutionPolicy
Restricted
PS C:\Users\admin> $s = New-CsOnlineSession `
>> -Credential $c
**********************
Windows PowerShell transcript end
End time: 20261103091501
**********************
";

    #[test]
    fn transcript_records() {
        let crlf = TRANSCRIPT.replace('\n', "\r\n");
        assert!(sniff(&crlf));
        let (records, stats) = read(&crlf);
        let kinds: Vec<_> = records.iter().map(|r| (r.kind, r.line)).collect();
        assert_eq!(
            kinds,
            [
                (PsKind::Banner, 1),
                (PsKind::Output, 7),
                (PsKind::Command, 8),
                (PsKind::Error, 9),
                (PsKind::Command, 18),
                (PsKind::Output, 19),
                (PsKind::Command, 20),
                (PsKind::Banner, 22),
            ]
        );
        let err = &records[3].text;
        assert!(
            err.contains("because running scripts is disabled on this system"),
            "{err}"
        );
        assert!(err.ends_with("ImportModule Command"), "word-wrapped: {err}");
        assert_eq!(records[6].text, "$s = New-CsOnlineSession ` -Credential $c");
        assert_eq!(
            (stats.errors, stats.commands, stats.hard_wrap_width),
            (1, 3, None)
        );
    }

    #[test]
    fn hard_wrapped_console_capture_is_glued() {
        let msg = "New-PSSession : [admin1a.online.lync.com] Connecting to remote server admin1a.online.lync.com failed with the following error message : The WS-Management service cannot process the request. The maximum number of concurrent shells for this tenant has been exceeded. Close existing shells or raise the quota for this tenant. For more information, see the about_Remote_Troubleshooting Help topic.";
        let chars: Vec<char> = msg.chars().collect();
        let mut text = String::from("PS C:\\> $s = New-CsOnlineSession\r\n");
        for chunk in chars.chunks(80) {
            text.push_str(&chunk.iter().collect::<String>());
            text.push_str("\r\n");
        }
        // The details are wrapped at the same width, with their own indentation.
        text.push_str(
            "    + CategoryInfo          : OpenError: (System.Manageme....RemoteRunspace:Remo\r\n",
        );
        text.push_str("   teRunspace) [New-PSSession], PSRemotingTransportException\r\n");
        text.push_str("    + FullyQualifiedErrorId : -2144108174,PSSessionOpenFailed\r\n");
        let (records, stats) = read(&text);
        assert_eq!(stats.hard_wrap_width, Some(80));
        let err = records.iter().find(|r| r.kind == PsKind::Error).unwrap();
        assert!(err.text.starts_with(msg), "{}", err.text);
    }

    #[test]
    fn error_messages_without_position() {
        assert_eq!(
            error_message(
                "Get-Service : Cannot find 'msoidsvc'. At line:1 char:1 + Get-Service msoidsvc + ~~~ + CategoryInfo : ObjectNotFound"
            ),
            "Get-Service : Cannot find 'msoidsvc'."
        );
        assert_eq!(
            error_message(
                "Get-CsWebTicket : Boom. At C:\\Program Files\\x.psm1:149 char:16 + ... $w = Get-CsWebTicket"
            ),
            "Get-CsWebTicket : Boom."
        );
        assert_eq!(error_message("X-Y : Look At this"), "X-Y : Look At this");
        assert_eq!(error_message(""), "");
    }

    #[test]
    fn a_repeated_long_line_is_not_a_console_width() {
        let block = "Get-CsOnlineUser : Management object not found for identity x, and this line is long enough to count.\r\nAt line:1 char:1\r\n";
        let (records, stats) = read(&block.repeat(5));
        assert_eq!(stats.hard_wrap_width, None);
        assert!(
            records[0].text.contains("count. At line:1"),
            "{}",
            records[0].text
        );
    }

    #[test]
    fn bare_error_lines_and_french() {
        let text = "Get-CsWebTicket : Failed to connect live id servers. Make sure proxy is enabled.\r\n\r\nnouveauté-PSSession : [admin.vDomain.com] l’utilisateur’user@foo.com’n’est pas autorisé à gérer ce client.\r\n";
        assert!(looks_like_excerpt(text));
        let (records, _) = read(text);
        assert_eq!(records.len(), 2);
        assert!(records.iter().all(|r| r.kind == PsKind::Error));
        assert!(
            records[1]
                .text
                .contains("n'est pas autorisé à gérer ce client")
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "\n",
            "PS",
            "PS>",
            "PS C:\\>",
            "**********",
            "**********\n",
            "+ CategoryInfo",
            "a : b\n\n\n    + x",
            "PS C:\\> x\n>> ",
            "\u{feff}é : ü\r\n",
        ] {
            let _ = read(s);
            let _ = sniff(s);
        }
        assert!(!sniff("just some text\nwith lines"));
        assert!(!sniff("Note-Taking : a few words\nWell-Known: quick"));
        assert!(sniff("Get-CsWebTicket: Failed to connect live id servers."));
        assert!(sniff(
            "# a comment\nImport-Module : File x cannot be loaded"
        ));
        assert!(!sniff("11/03/2026|09:14:02.117 2F4C:1B80 INFO  :: PS C:\\"));
    }

    /// Position lines in the display languages seen in real consoles, by their shape.
    #[test]
    fn position_lines_in_any_language() {
        for line in [
            "At line:1 char:1",
            "In Zeile:1 Zeichen:1",
            "Bei Zeile:1 Zeichen:14",
            "発生場所 行:1 文字:1",
            "所在位置 行:1 字符: 1",
            "En línea: 1 Carácter: 1",
            "Au caractère Ligne:5 : 12",
            "In C:\\Program Files\\Common Files\\Skype for Business Online\\Modules\\SkypeOnlineConnector\\SkypeOnlineConnectorStartup.psm1:147 Zeichen:16",
            "発生場所 C:\\Users\\a\\x.psm1:63 文字:22",
        ] {
            assert!(is_position_line(line), "{line}");
        }
        for line in [
            "Status: 1 Count: 2",
            "Restricted",
            "VERBOSE: Requesting token from Live ID",
            "AUSFÜHRLICH: Admin Domain was successfully determined",
        ] {
            assert!(!is_position_line(line), "{line}");
        }
        assert_eq!(
            error_message(
                "Import-Module : Die Datei \"C:\\x.psm1\" kann nicht geladen werden. In Zeile:1 Zeichen:1 + Import-Module x"
            ),
            "Import-Module : Die Datei \"C:\\x.psm1\" kann nicht geladen werden."
        );
        assert_eq!(
            error_message("Get-CsWebTicket : Failed. 発生場所 C:\\m\\s.psm1:149 文字:16 + ..."),
            "Get-CsWebTicket : Failed."
        );
    }

    /// A German or Japanese transcript is recognised by its banner's version lines, and a
    /// Japanese console cut at 120 columns (wide characters take two) is glued back together.
    #[test]
    fn german_and_japanese_transcripts() {
        let de = "**********************\r\nStart der Windows PowerShell-Aufzeichnung\r\nStartzeit: 20261127091205\r\nPSVersion: 5.1.19041.3570\r\nPSEdition: Desktop\r\n**********************\r\n";
        assert!(sniff(de));
        let ja = "**********************\r\nWindows PowerShell トランスクリプト開始\r\n開始時刻: 20261127174033\r\nPSVersion: 5.1.19041.3570\r\n**********************\r\n";
        assert!(sniff(ja));
        let wide: String = std::iter::repeat_n("あ", 60).collect();
        let head = format!(
            "Import-Module : {}C:\\Skype for B",
            std::iter::repeat_n("あ", 45).collect::<String>()
        );
        assert_eq!(columns(&head), 120);
        let text = format!(
            "{head}\r\nusiness\\x.psm1 を読み込むことができません。\r\n発生場所 行:1 文字:1\r\n    + FullyQualifiedErrorId : UnauthorizedAccess\r\n{wide}\r\nいうえお\r\n"
        );
        let (records, stats) = read(&text);
        assert_eq!(stats.hard_wrap_width, Some(120));
        assert!(
            records[0]
                .text
                .contains("C:\\Skype for Business\\x.psm1 を読み込む"),
            "{:?}",
            records[0].text
        );
        // Word-wrapped Japanese lines meet without a space.
        let (records, _) = read("詳細については、\r\nヘルプを参照してください。\r\n");
        assert_eq!(
            records[0].text,
            "詳細については、ヘルプを参照してください。"
        );
    }
}
