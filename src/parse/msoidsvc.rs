//! Microsoft Online Services Sign-in Assistant traces (`msoidsvctrace{GUID}.txt`, "IDCRL").
//!
//! This module owns reading the trace the Sign-in Assistant (service `msoidsvc`) writes to
//! `C:\MSOTrace` / `C:\MSOTraceLite` when tracing is on (formats-addendum.md): lines prefixed
//! `<PID,TID,HH:MM:SS:mmm>: ` in decimal, with a colon before the milliseconds and no date,
//! and `## SOAP Request:` / `## SOAP Response:` markers followed by XML that may run over
//! unprefixed lines. Each prefixed line starts a record; the unprefixed lines after it belong
//! to it. A record is `ERROR` when it holds a SOAP fault, an HTTP status of 400 or more from
//! `WinHttpQueryHeaders`, a `## SOAP Response:` that is HTML rather than SOAP (a proxy
//! answering for the server) or an IDCRL failure HRESULT (`0x8004…`), else `INFO`. Whitespace
//! is collapsed so record rules match the XML however it was laid out. It never fails: text it
//! does not recognise becomes part of the record before it, or a record of its own.

/// One record: the 1-based line it starts on, its level and its normalized text (prefix
/// removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRecord {
    pub line: u32,
    pub level: &'static str,
    pub text: String,
}

/// The text after a `<PID,TID,HH:MM:SS:mmm>: ` prefix, when the line has one.
fn after_prefix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('<')?;
    let (inner, tail) = rest.split_once(">:")?;
    let mut parts = inner.split(',');
    let (pid, tid, time) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || pid.is_empty()
        || tid.is_empty()
        || !pid.bytes().all(|b| b.is_ascii_digit())
        || !tid.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // HH:MM:SS:mmm
    let t: Vec<&str> = time.split(':').collect();
    if t.len() != 4
        || t.iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(tail.strip_prefix(' ').unwrap_or(tail))
}

/// True when the start of a text is a Sign-in Assistant trace: two prefixed lines among its
/// first fifty, or one that carries a `## SOAP` marker or a `WinHttpQueryHeaders` result.
pub fn sniff(text: &str) -> bool {
    let prefixed: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .take(50)
        .filter_map(|l| after_prefix(l.trim_end()))
        .collect();
    prefixed.len() >= 2
        || prefixed
            .iter()
            .any(|r| r.starts_with("## SOAP") || r.starts_with("WinHttpQueryHeaders"))
}

/// `msoidsvctrace{GUID}.txt`, the name the Sign-in Assistant gives its traces.
pub fn is_trace_name(file_name: &str) -> bool {
    let n = file_name.to_ascii_lowercase();
    n.starts_with("msoidsvctrace") && n.ends_with(".txt")
}

fn is_error(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains(":fault>")
        || lower.contains("<fault>")
        || lower.contains("failedauthentication")
    {
        return true;
    }
    const RETURNS: &str = "winhttpqueryheaders returns ";
    if let Some(i) = lower.find(RETURNS) {
        let code: String = lower[i + RETURNS.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if code.parse::<u16>().is_ok_and(|c| c >= 400) {
            return true;
        }
    }
    if lower.contains("## soap response:")
        && (lower.contains("<html") || lower.contains("<!doctype html"))
    {
        return true;
    }
    // IDCRL failure HRESULTs: 0x8004 8xxx.
    lower.match_indices("0x80048").any(|(i, _)| {
        lower[i + 7..]
            .chars()
            .take(3)
            .all(|c| c.is_ascii_hexdigit())
    })
}

/// Read a trace into records, in order.
pub fn read(text: &str) -> Vec<TraceRecord> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<TraceRecord> = Vec::new();
    let mut open: Option<(u32, String)> = None;
    let close = |open: &mut Option<(u32, String)>, out: &mut Vec<TraceRecord>| {
        if let Some((line, raw)) = open.take() {
            let text = super::powershell::normalize(&raw);
            if !text.is_empty() {
                out.push(TraceRecord {
                    line,
                    level: if is_error(&text) { "ERROR" } else { "INFO" },
                    text,
                });
            }
        }
    };
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        match after_prefix(line) {
            Some(rest) => {
                close(&mut open, &mut out);
                open = Some((no, rest.to_string()));
            }
            None if line.trim().is_empty() => {}
            None => match &mut open {
                Some((_, raw)) => {
                    raw.push(' ');
                    raw.push_str(line);
                }
                None => open = Some((no, line.to_string())),
            },
        }
    }
    close(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real lines of idcrl_msoidsvc_trace_format_supportarticles.txt (2), as a trace.
    const TRACE: &str = "<6056,5268,13:40:30:101>: ## SOAP Request: <s:Envelope><s:Body>…</s:Body></s:Envelope>\r\n<6056,5268,13:40:30:233>: ## SOAP Response: ........\r\n<s:Subcode><s:Value xmlns:a=\"http://schemas.xmlsoap.org/ws/2005/02/trust\">\r\na:FailedAuthentication</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">MSIS7068: Access denied.</s:Text>\r\n<6056,5268,13:40:30:240>: WinHttpQueryHeaders returns 200\r\n<6056,5268,13:40:31:002>: WinHttpQueryHeaders returns 407\r\n";

    #[test]
    fn prefixed_lines_start_records_and_faults_are_errors() {
        assert!(sniff(TRACE));
        assert!(!sniff("<html>\r\n<body>x</body>\r\n"));
        assert!(!sniff("11/03/2026|09:14:01.483 2F4C:2AD0 INFO  :: x\r\n"));
        let r = read(TRACE);
        let got: Vec<(u32, &str)> = r.iter().map(|r| (r.line, r.level)).collect();
        assert_eq!(got, [(1, "INFO"), (2, "ERROR"), (5, "INFO"), (6, "ERROR")]);
        assert!(r[1].text.contains("a:FailedAuthentication</s:Value>"));
        assert!(r[1].text.contains("MSIS7068: Access denied."));
    }

    /// The real trace lines of the corpus excerpt (its section 2), as they stand there.
    #[test]
    fn corpus_excerpt_trace_lines() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/excerpts/idcrl_msoidsvc_trace_format_supportarticles.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("note: {path} absent; skipped");
            return;
        };
        let start = text.find("\n<6056,5268,").expect("the real IDCRL line") + 1;
        let section: String = text[start..]
            .lines()
            .take_while(|l| !l.trim().is_empty() && !l.starts_with("Additionally"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(sniff(&section));
        let r = read(&section);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].level, "ERROR");
        assert!(r[0].text.contains("a:FailedAuthentication</s:Value>"));
        assert!(r[0].text.ends_with("MSIS7068: Access denied.</s:Text>"));
        assert!(is_trace_name(
            "msoidsvctrace{5E3B2A61-0C4D-4F7A-9B2E-7D1C8A6F4E20}.txt"
        ));
        assert!(!is_trace_name("trace.txt"));
    }

    #[test]
    fn html_instead_of_soap_and_idcrl_hresults() {
        let t = "<10,20,08:00:00:000>: ## SOAP Response:\r\n<!DOCTYPE html><html><body>Access to this site is blocked</body></html>\r\n<10,20,08:00:00:010>: GetAuthStateEx results: authState (0x80048800), requestStatus (0x800488ff)\r\n<10,20,08:00:00:020>: hr = 0x00000000\r\n";
        let r = read(t);
        let levels: Vec<&str> = r.iter().map(|r| r.level).collect();
        assert_eq!(levels, ["ERROR", "ERROR", "INFO"]);
        // Never panics on cut or odd input.
        for cut in 0..t.len() {
            if t.is_char_boundary(cut) {
                let _ = read(&t[..cut]);
            }
        }
        assert!(read("").is_empty());
        assert_eq!(after_prefix("<1,2,3>: x"), None);
        assert_eq!(after_prefix("<1,2,03:04:05:678>: x"), Some("x"));
    }
}
