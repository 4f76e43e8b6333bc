//! Output of the Windows commands a support bundle carries, classified by content.
//!
//! This module owns recognising `nslookup`, `ipconfig /all`, `netsh winhttp show proxy`,
//! `systeminfo` output and registry exports (`.reg`, "Windows Registry Editor Version 5.00")
//! from their text, whatever the file is called, and reading from them what a diagnosis
//! needs: each DNS lookup and its answer ([`DnsLookup`]), the WinHTTP proxy, the time zone,
//! and registry values ([`RegValue`]). A file may hold several outputs one after the other
//! (a MOSDAL network report, a transcript that ran `nslookup` or `Resolve-DnsName`): [`scan`]
//! reads all of them, with nslookup's labels in English, French, German, Spanish, Italian,
//! Portuguese, Dutch or Japanese, and its `***` failure lines in any word order.
//! It never fails: lines it does not understand are only counted as lines.

/// Which command's output a text is, by its first recognisable marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Nslookup,
    Ipconfig,
    WinHttpProxy,
    SystemInfo,
    RegExport,
}

/// What kind of command output the start of a text is, if any.
pub fn classify(text: &str) -> Option<OutputKind> {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text[..end].trim_start_matches('\u{feff}');
    let first = head.trim_start().lines().next().unwrap_or("").trim();
    if first == "Windows Registry Editor Version 5.00" || first == "REGEDIT4" {
        return Some(OutputKind::RegExport);
    }
    // `reg query` output: a key path, then indented `Name    REG_TYPE    data` lines.
    if first.starts_with("HKEY_")
        && head
            .lines()
            .skip(1)
            .take(20)
            .any(|l| reg_query_value(l).is_some())
    {
        return Some(OutputKind::RegExport);
    }
    let mut best: Option<(usize, OutputKind)> = None;
    let mut consider = |at: Option<usize>, kind: OutputKind| {
        if let Some(at) = at
            && best.is_none_or(|(b, _)| at < b)
        {
            best = Some((at, kind));
        }
    };
    consider(head.find("Windows IP Configuration"), OutputKind::Ipconfig);
    consider(
        head.find("Current WinHTTP proxy settings"),
        OutputKind::WinHttpProxy,
    );
    consider(
        head.find("\nTime Zone:")
            .filter(|_| head.contains("OS Name:") || head.contains("System Boot Time:")),
        OutputKind::SystemInfo,
    );
    consider(nslookup_marker(head), OutputKind::Nslookup);
    best.map(|(_, k)| k)
}

/// Where nslookup output starts: a `Server:` line followed by an `Address:` line, or a
/// `*** … can't find …` line.
fn nslookup_marker(head: &str) -> Option<usize> {
    let mut offset = 0;
    let mut prev_server: Option<usize> = None;
    for line in head.split_inclusive('\n') {
        let t = line.trim();
        if let Some(at) = prev_server.take()
            && labelled(t, ADDRESS_LABELS).is_some()
        {
            return Some(at);
        }
        if labelled(t, SERVER_LABELS).is_some() {
            prev_server = Some(offset);
        }
        if t.starts_with("Resolve-DnsName : ") {
            return Some(offset);
        }
        if t.starts_with("*** ") && (t.contains("can't find") || t.contains("Non-existent domain"))
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The answer to one DNS lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsAnswer {
    /// The name is an alias of `canonical` (a CNAME, or `Aliases:` under `Name:`).
    Alias { canonical: String },
    /// An SRV record pointing at `target`.
    Srv { target: String },
    /// The name has addresses of its own (no alias).
    Address,
    /// The server said the name does not exist or has no data; `reason` as written.
    NotFound { reason: String },
}

/// One lookup: which name, at which server, with which answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsLookup {
    /// 1-based line of the answer.
    pub line: u32,
    /// The name asked about, lowercase, without a trailing dot.
    pub name: String,
    /// The server that answered (the `Server:` line), lowercase.
    pub server: Option<String>,
    pub answer: DnsAnswer,
    /// The line as written, for evidence.
    pub text: String,
}

/// A registry value from a `.reg` export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegValue {
    pub line: u32,
    /// The key, as written between brackets.
    pub key: String,
    /// The value name (`@` for the default value).
    pub name: String,
    /// String data decoded; other types as written after `=`.
    pub data: String,
}

/// Everything read from one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub lookups: Vec<DnsLookup>,
    /// `(line, proxy server list)` when WinHTTP uses a proxy.
    pub winhttp_proxy: Option<(u32, String)>,
    /// Line of `Direct access (no proxy server).`
    pub winhttp_direct: Option<u32>,
    /// `(line, time zone)` from systeminfo.
    pub time_zone: Option<(u32, String)>,
    pub reg_values: Vec<RegValue>,
    /// Registry keys exported (with the line of their header), values or not.
    pub reg_keys: Vec<(u32, String)>,
}

/// nslookup's field labels as English, French, German, Spanish, Italian, Portuguese, Dutch and
/// Japanese Windows print them (many keep the English `Address:` / `Aliases:`).
const SERVER_LABELS: &[&str] = &["Server", "Serveur", "Servidor", "サーバー"];
const NAME_LABELS: &[&str] = &["Name", "Nom", "Nombre", "Nome", "Naam", "名前"];
const ALIAS_LABELS: &[&str] = &["Aliases", "Alias", "Aliase", "Aliasnamen", "エイリアス"];
const ADDRESS_LABELS: &[&str] = &[
    "Address",
    "Addresses",
    "Adresse",
    "Adresses",
    "Adressen",
    "Dirección",
    "Direcciones",
    "Indirizzo",
    "Indirizzi",
    "Endereço",
    "Endereços",
    "Adres",
    "Adressen",
    "アドレス",
];

/// The value after `Label:` / `Label :` (or a full-width `：`) when the line starts with one
/// of `labels`.
fn labelled<'a>(t: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels.iter().find_map(|l| {
        let rest = t.strip_prefix(l)?.trim_start_matches([' ', '\t']);
        rest.strip_prefix(':')
            .or_else(|| rest.strip_prefix('\u{FF1A}'))
            .map(str::trim)
    })
}

fn clean_name(s: &str) -> String {
    s.trim()
        .trim_end_matches(':')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

fn after_colon(line: &str) -> Option<&str> {
    line.split_once(':').map(|(_, v)| v.trim())
}

/// Read every kind of command output found in `text`.
pub fn scan(text: &str) -> CommandOutput {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = CommandOutput::default();
    let mut server: Option<String> = None;
    let mut reg_key: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim();
        i += 1;
        if t.is_empty() {
            continue;
        }
        // --- registry export, or `reg query` output ------------------------------------------
        if line.starts_with("HKEY_") && !t.contains("    ") {
            out.reg_keys.push((no, t.to_string()));
            reg_key = Some(t.to_string());
            continue;
        }
        if let Some(key) = &reg_key
            && let Some((name, data)) = reg_query_value(line)
        {
            out.reg_values.push(RegValue {
                line: no,
                key: key.clone(),
                name: name.to_string(),
                data: data.to_string(),
            });
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') && t.len() > 2 {
            let key = t[1..t.len() - 1].to_string();
            if key.starts_with("HKEY_") || key.starts_with("-HKEY_") {
                out.reg_keys.push((no, key.clone()));
                reg_key = Some(key);
                continue;
            }
        }
        if let Some(key) = &reg_key
            && (t.starts_with('"') || t.starts_with("@="))
        {
            // Values may continue on following lines with a trailing backslash (hex data).
            let mut full = t.to_string();
            while full.ends_with('\\') && !full.ends_with("\"") && i < lines.len() {
                full.pop();
                full.push_str(lines[i].trim());
                i += 1;
            }
            if let Some((name, data)) = reg_value(&full) {
                out.reg_values.push(RegValue {
                    line: no,
                    key: key.clone(),
                    name,
                    data,
                });
            }
            continue;
        }
        // --- netsh winhttp show proxy ------------------------------------------------------
        if t.starts_with("Direct access (no proxy server)") {
            out.winhttp_direct = Some(no);
            continue;
        }
        if t.starts_with("Proxy Server(s)") {
            if let Some(v) = after_colon(t).filter(|v| !v.is_empty()) {
                out.winhttp_proxy = Some((no, v.to_string()));
            }
            continue;
        }
        // --- systeminfo --------------------------------------------------------------------
        if t.starts_with("Time Zone:") {
            if let Some(v) = after_colon(t) {
                out.time_zone = Some((no, v.to_string()));
            }
            continue;
        }
        // --- nslookup ----------------------------------------------------------------------
        if let Some(v) = labelled(t, SERVER_LABELS) {
            server = Some(clean_name(v)).filter(|s| !s.is_empty());
            continue;
        }
        // PowerShell's Resolve-DnsName: `Resolve-DnsName : sip.contoso.com : DNS name does not
        // exist` (an error record) and table rows `name  CNAME  3600  Answer  target`.
        if let Some(rest) = t.strip_prefix("Resolve-DnsName : ") {
            if let Some((name, reason)) = rest.split_once(" : ")
                && name.contains('.')
                && !name.contains(' ')
            {
                out.lookups.push(DnsLookup {
                    line: no,
                    name: clean_name(name),
                    server: None,
                    answer: DnsAnswer::NotFound {
                        reason: reason.trim().to_string(),
                    },
                    text: t.to_string(),
                });
            }
            continue;
        }
        if let Some(lookup) = resolve_dnsname_row(t, no) {
            out.lookups.push(lookup);
            continue;
        }
        if let Some(rest) = t.strip_prefix("*** ") {
            // `*** dns.contoso.com can't find sip.contoso.com: Non-existent domain`, in any
            // language: the reason follows the last `:`; the name is the dotted word that is
            // not the server (German puts it first: `*** sip.contoso.de wurde von
            // dc01.contoso.de nicht gefunden: Non-existent domain.`).
            if let Some(colon) = rest.rfind([':', '\u{FF1A}']) {
                let reason = rest[colon..]
                    .trim_start_matches([':', '\u{FF1A}'])
                    .trim()
                    .trim_end_matches('.');
                let name = star_line_name(&rest[..colon], server.as_deref());
                if let Some(name) = name.filter(|n| n.contains('.'))
                    && !reason.is_empty()
                    && !rest.starts_with("Request to")
                    && !rest.contains("timed-out")
                {
                    out.lookups.push(DnsLookup {
                        line: no,
                        name,
                        server: server.clone(),
                        answer: DnsAnswer::NotFound {
                            reason: reason.to_string(),
                        },
                        text: t.to_string(),
                    });
                }
            }
            continue;
        }
        if let Some((name, target)) = t.split_once("canonical name =") {
            out.lookups.push(DnsLookup {
                line: no,
                name: clean_name(name),
                server: server.clone(),
                answer: DnsAnswer::Alias {
                    canonical: clean_name(target),
                },
                text: t.to_string(),
            });
            continue;
        }
        if let Some((name, _)) = t.split_once("SRV service location") {
            // The target follows a few lines later: `svr hostname   = sipdir.online.lync.com`.
            let target = lines[i..lines.len().min(i + 6)]
                .iter()
                .find_map(|l| l.trim().strip_prefix("svr hostname"))
                .and_then(|v| v.split_once('=').map(|(_, v)| clean_name(v)));
            if let Some(target) = target {
                out.lookups.push(DnsLookup {
                    line: no,
                    name: clean_name(name),
                    server: server.clone(),
                    answer: DnsAnswer::Srv { target },
                    text: t.to_string(),
                });
            }
            continue;
        }
        if let Some((name, _)) = t.split_once("internet address =") {
            out.lookups.push(DnsLookup {
                line: no,
                name: clean_name(name),
                server: server.clone(),
                answer: DnsAnswer::Address,
                text: t.to_string(),
            });
            continue;
        }
        if let Some(v) = labelled(t, NAME_LABELS) {
            let canonical = clean_name(v);
            if !canonical.contains('.') {
                continue;
            }
            // Skip `Address(es):` lines; `Aliases:` names and their indented followers are
            // aliases of `canonical`.
            let mut j = i;
            while j < lines.len() && labelled(lines[j].trim(), ADDRESS_LABELS).is_some() {
                j += 1;
                while j < lines.len()
                    && lines[j].starts_with([' ', '\t'])
                    && !lines[j].trim().is_empty()
                {
                    j += 1;
                }
            }
            let mut aliases = Vec::new();
            if j < lines.len()
                && let Some(first) = labelled(lines[j].trim(), ALIAS_LABELS)
            {
                aliases.push((j, first.trim()));
                j += 1;
                while j < lines.len()
                    && lines[j].starts_with([' ', '\t'])
                    && !lines[j].trim().is_empty()
                {
                    aliases.push((j, lines[j].trim()));
                    j += 1;
                }
            }
            if aliases.is_empty() {
                out.lookups.push(DnsLookup {
                    line: no,
                    name: canonical,
                    server: server.clone(),
                    answer: DnsAnswer::Address,
                    text: t.to_string(),
                });
            } else {
                for (at, alias) in aliases {
                    out.lookups.push(DnsLookup {
                        line: u32::try_from(at + 1).unwrap_or(u32::MAX),
                        name: clean_name(alias),
                        server: server.clone(),
                        answer: DnsAnswer::Alias {
                            canonical: canonical.clone(),
                        },
                        text: format!("{alias} is an alias of {canonical}"),
                    });
                }
            }
            i = j;
            continue;
        }
    }
    out
}

/// The name an nslookup `***` line is about: of its dotted words (IPv4 addresses excluded),
/// the one that is not the server of the preceding `Server:` line; without that line, the
/// last one, or the first when the language names the name first (German `wurde von`).
fn star_line_name(text: &str, server: Option<&str>) -> Option<String> {
    let dotted: Vec<String> = text
        .split_whitespace()
        .map(|w| clean_name(w.trim_matches(|c: char| "\"'«»“”「」()".contains(c))))
        .filter(|w| {
            w.contains('.')
                && !w.starts_with('.')
                && !w.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
        .collect();
    if let Some(server) = server
        && let Some(n) = dotted.iter().find(|w| w.as_str() != server)
    {
        return Some(n.clone());
    }
    if text.contains(" wurde von ") {
        dotted.first().cloned()
    } else {
        dotted.last().cloned()
    }
}

/// A Resolve-DnsName table row: `name  TYPE  ttl  Section  target…` with a numeric TTL and an
/// `Answer` section (CNAME, SRV, A/AAAA rows; others are ignored).
fn resolve_dnsname_row(t: &str, no: u32) -> Option<DnsLookup> {
    let cols: Vec<&str> = t.split_whitespace().collect();
    let [name, kind, ttl, section, rest @ ..] = cols.as_slice() else {
        return None;
    };
    if !name.contains('.') || !ttl.bytes().all(|b| b.is_ascii_digit()) || *section != "Answer" {
        return None;
    }
    let answer = match *kind {
        "CNAME" => DnsAnswer::Alias {
            canonical: clean_name(rest.first()?),
        },
        "SRV" => DnsAnswer::Srv {
            target: clean_name(rest.first()?),
        },
        "A" | "AAAA" => DnsAnswer::Address,
        _ => return None,
    };
    Some(DnsLookup {
        line: no,
        name: clean_name(name),
        server: None,
        answer,
        text: t.to_string(),
    })
}

/// A `reg query` value line: `    TrustModelData    REG_SZ    contoso.com,fabrikam.com` (four
/// spaces around each column; the default value's name is `(Default)` or localized).
fn reg_query_value(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("    ")?;
    let (name, rest) = rest.split_once("    REG_")?;
    let (_kind, data) = rest.split_once("    ").unwrap_or((rest, ""));
    let name = name.trim();
    (!name.is_empty()).then_some((name, data.trim()))
}

/// The standard UTC offset of a Windows time zone display name, in minutes:
/// `(UTC+05:30) Chennai, …` → 330, `(UTC) Coordinated Universal Time` → 0, `(GMT-05:00) …` → -300.
pub fn zone_offset_minutes(zone: &str) -> Option<i32> {
    let rest = zone.trim().strip_prefix('(')?;
    let rest = rest
        .strip_prefix("UTC")
        .or_else(|| rest.strip_prefix("GMT"))?;
    if rest.starts_with(')') {
        return Some(0);
    }
    let sign = match rest.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hh, mm) = rest[1..].split_once(')')?.0.split_once(':')?;
    let (h, m): (i32, i32) = (hh.parse().ok()?, mm.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// `"Name"="data"` / `@="data"` / `"Name"=dword:00000001` → (name, data).
fn reg_value(line: &str) -> Option<(String, String)> {
    let (name, rest) = if let Some(rest) = line.strip_prefix("@=") {
        ("@".to_string(), rest)
    } else {
        let (name, end) = quoted(line)?;
        let rest = line[end..].trim_start().strip_prefix('=')?;
        (name, rest)
    };
    let rest = rest.trim();
    let data = if rest.starts_with('"') {
        quoted(rest)?.0
    } else if let Some(hex) = rest
        .strip_prefix("hex(2):")
        .or_else(|| rest.strip_prefix("hex(1):"))
    {
        utf16_hex(hex).unwrap_or_else(|| rest.to_string())
    } else {
        rest.to_string()
    };
    Some((name, data))
}

/// A `"…"` string at the start of `s` with `\\` and `\"` escapes; returns it and the byte
/// offset just after the closing quote.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut out = String::new();
    let mut escaped = false;
    for (at, c) in chars {
        if escaped {
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return Some((out, at + 1));
        } else {
            out.push(c);
        }
    }
    None
}

/// `hex(2):` data: comma-separated bytes of a NUL-terminated UTF-16LE string.
fn utf16_hex(hex: &str) -> Option<String> {
    let bytes: Vec<u8> = hex
        .split(',')
        .map(|b| u8::from_str_radix(b.trim(), 16).ok())
        .collect::<Option<_>>()?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .take_while(|&u| u != 0)
        .collect();
    Some(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NSLOOKUP: &str = r"C:\>nslookup sip.contoso.com
Server:  dc01.corp.contoso.com
Address:  10.0.0.10

*** dc01.corp.contoso.com can't find sip.contoso.com: Non-existent domain

C:\>nslookup lyncdiscover.contoso.com 8.8.8.8
Server:  dns.google
Address:  8.8.8.8

Non-authoritative answer:
Name:    webdir.online.lync.com
Addresses:  52.112.193.16
          52.112.193.17
Aliases:  lyncdiscover.contoso.com
          webdir.online.lync.com.trafficmanager.net

C:\>nslookup -type=SRV _sip._tls.contoso.com
Server:  dc01.corp.contoso.com
Address:  10.0.0.10

_sip._tls.contoso.com	SRV service location:
          priority       = 100
          weight         = 1
          port           = 443
          svr hostname   = sipdir.online.lync.com

C:\>nslookup -type=CNAME sip.fabrikam.com
Server:  dc01.corp.contoso.com
Address:  10.0.0.10

sip.fabrikam.com	canonical name = sipdir.online.microsoft.com
";

    #[test]
    fn nslookup_answers() {
        assert_eq!(classify(NSLOOKUP), Some(OutputKind::Nslookup));
        let crlf = NSLOOKUP.replace('\n', "\r\n");
        let out = scan(&crlf);
        let got: Vec<_> = out
            .lookups
            .iter()
            .map(|l| {
                (
                    l.line,
                    l.name.as_str(),
                    l.server.as_deref(),
                    l.answer.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    5,
                    "sip.contoso.com",
                    Some("dc01.corp.contoso.com"),
                    DnsAnswer::NotFound {
                        reason: "Non-existent domain".into()
                    }
                ),
                (
                    15,
                    "lyncdiscover.contoso.com",
                    Some("dns.google"),
                    DnsAnswer::Alias {
                        canonical: "webdir.online.lync.com".into()
                    }
                ),
                (
                    16,
                    "webdir.online.lync.com.trafficmanager.net",
                    Some("dns.google"),
                    DnsAnswer::Alias {
                        canonical: "webdir.online.lync.com".into()
                    }
                ),
                (
                    22,
                    "_sip._tls.contoso.com",
                    Some("dc01.corp.contoso.com"),
                    DnsAnswer::Srv {
                        target: "sipdir.online.lync.com".into()
                    }
                ),
                (
                    32,
                    "sip.fabrikam.com",
                    Some("dc01.corp.contoso.com"),
                    DnsAnswer::Alias {
                        canonical: "sipdir.online.microsoft.com".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn localized_nslookup_and_resolve_dnsname() {
        let fr = "Serveur :   dc01.corp.contoso.fr\r\nAddress:  10.0.0.10\r\n\r\n*** dc01.corp.contoso.fr ne parvient pas à trouver sip.contoso.fr : Non-existent domain\r\n\r\nNom :    sipdir.online.lync.com\r\nAddress:  52.112.64.12\r\nAliases:  lyncdiscover.contoso.fr\r\n";
        assert_eq!(classify(fr), Some(OutputKind::Nslookup));
        let got: Vec<_> = scan(fr)
            .lookups
            .into_iter()
            .map(|l| (l.name, l.server, l.answer))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "sip.contoso.fr".to_string(),
                    Some("dc01.corp.contoso.fr".to_string()),
                    DnsAnswer::NotFound {
                        reason: "Non-existent domain".into()
                    }
                ),
                (
                    "lyncdiscover.contoso.fr".to_string(),
                    Some("dc01.corp.contoso.fr".to_string()),
                    DnsAnswer::Alias {
                        canonical: "sipdir.online.lync.com".into()
                    }
                ),
            ]
        );
        let ps = "PS C:\\> Resolve-DnsName sip.contoso.com -Type CNAME\r\n\r\nName                           Type   TTL   Section    NameHost\r\n----                           ----   ---   -------    --------\r\nsip.contoso.com                CNAME  3600  Answer     sipdir.online.lync.com\r\n\r\nPS C:\\> Resolve-DnsName lyncdiscover.contoso.com\r\nResolve-DnsName : lyncdiscover.contoso.com : DNS name does not exist\r\n";
        let got: Vec<_> = scan(ps)
            .lookups
            .into_iter()
            .map(|l| (l.line, l.name, l.answer))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    5,
                    "sip.contoso.com".to_string(),
                    DnsAnswer::Alias {
                        canonical: "sipdir.online.lync.com".into()
                    }
                ),
                (
                    8,
                    "lyncdiscover.contoso.com".to_string(),
                    DnsAnswer::NotFound {
                        reason: "DNS name does not exist".into()
                    }
                ),
            ]
        );
    }

    /// German, Spanish and Japanese nslookup: localized labels, and the German `***` line that
    /// names the queried name before the server.
    #[test]
    fn nslookup_in_german_spanish_japanese() {
        let de = "Server:  dc01.corp.example.de\r\nAddress:  10.1.0.10\r\n\r\n*** sip.example.de wurde von dc01.corp.example.de nicht gefunden: Non-existent domain.\r\n\r\nServer:  dc01.corp.example.de\r\nAddress:  10.1.0.10\r\n\r\nNicht autorisierende Antwort:\r\nName:    sipdir.online.lync.com.\r\nAddress:  52.112.64.12\r\nAliase:  lyncdiscover.example.de\r\n\r\n";
        let es = "Servidor:  UnKnown\r\nAddress:  192.168.1.1\r\n\r\n*** UnKnown no encuentra sip.ejemplo.es: Non-existent domain\r\nRespuesta no autoritativa:\r\nNombre:  webdir.online.lync.com\r\nAddresses:  52.112.64.1\r\n\t  52.112.64.2\r\nAliases:  lyncdiscover.ejemplo.es\r\n";
        let ja = "サーバー:  UnKnown\r\nAddress:  192.168.1.1\r\n\r\n*** UnKnown が sip.example.co.jp を見つけられません: Non-existent domain\r\n権限のない回答:\r\n名前:    sipdir.online.lync.com\r\nAddress:  52.112.64.12\r\nAliases:  sip2.example.co.jp\r\n";
        let want = [
            (
                de,
                "sip.example.de",
                "lyncdiscover.example.de",
                "sipdir.online.lync.com",
            ),
            (
                es,
                "sip.ejemplo.es",
                "lyncdiscover.ejemplo.es",
                "webdir.online.lync.com",
            ),
            (
                ja,
                "sip.example.co.jp",
                "sip2.example.co.jp",
                "sipdir.online.lync.com",
            ),
        ];
        for (text, missing, alias, canonical) in want {
            assert_eq!(classify(text), Some(OutputKind::Nslookup), "{text}");
            let got: Vec<_> = scan(text)
                .lookups
                .into_iter()
                .map(|l| (l.name, l.answer))
                .collect();
            assert_eq!(
                got,
                vec![
                    (
                        missing.to_string(),
                        DnsAnswer::NotFound {
                            reason: "Non-existent domain".into()
                        }
                    ),
                    (
                        alias.to_string(),
                        DnsAnswer::Alias {
                            canonical: canonical.into()
                        }
                    ),
                ],
                "{text}"
            );
        }
        // Without a `Server:` line the German order still gives the name, and an address-only
        // line gives nothing.
        let bare = scan(
            "*** sip.example.de wurde von dc01.example.de nicht gefunden: Non-existent domain.\r\n*** Can't find server name for address 10.1.0.10: Non-existent domain\r\n",
        );
        assert_eq!(bare.lookups.len(), 1);
        assert_eq!(bare.lookups[0].name, "sip.example.de");
    }

    #[test]
    fn proxy_ipconfig_systeminfo() {
        let proxy = "\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.contoso.com:8080\r\n    Bypass List     :  *.contoso.com;<local>\r\n";
        assert_eq!(classify(proxy), Some(OutputKind::WinHttpProxy));
        assert_eq!(
            scan(proxy).winhttp_proxy,
            Some((4, "proxy.contoso.com:8080".to_string()))
        );
        let direct =
            "Current WinHTTP proxy settings:\r\n\r\n    Direct access (no proxy server).\r\n";
        let out = scan(direct);
        assert_eq!((out.winhttp_direct, out.winhttp_proxy), (Some(3), None));
        let ipconfig = "\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : KIMA-PC\r\n";
        assert_eq!(classify(ipconfig), Some(OutputKind::Ipconfig));
        let si = "\r\nHost Name:                 WS-0417\r\nOS Name:                   Microsoft Windows 10 Pro\r\nTime Zone:                 (UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\r\n";
        assert_eq!(classify(si), Some(OutputKind::SystemInfo));
        assert_eq!(
            scan(si).time_zone.unwrap().1,
            "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
        );
        assert_eq!(
            classify("Time Zone: x"),
            None,
            "needs systeminfo's other fields"
        );
        assert_eq!(classify("hello\nworld"), None);
    }

    #[test]
    fn registry_export() {
        let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Communicator]\r\n\"TrustModelData\"=\"fabrikam.com,contoso.net\"\r\n\"Path\"=\"C:\\\\Program Files\\\\x \\\"y\\\"\"\r\n\"Flag\"=dword:00000001\r\n\"Exp\"=hex(2):25,00,41,00,00,00\r\n\"Long\"=hex(2):25,00,41,00,\\\r\n  42,00,00,00\r\n";
        assert_eq!(classify(reg), Some(OutputKind::RegExport));
        let out = scan(reg);
        assert_eq!(out.reg_keys.len(), 1);
        let vals: Vec<_> = out
            .reg_values
            .iter()
            .map(|v| (v.line, v.name.as_str(), v.data.as_str()))
            .collect();
        assert_eq!(
            vals,
            vec![
                (4, "TrustModelData", "fabrikam.com,contoso.net"),
                (5, "Path", "C:\\Program Files\\x \"y\""),
                (6, "Flag", "dword:00000001"),
                (7, "Exp", "%A"),
                (8, "Long", "%AB"),
            ]
        );
    }

    #[test]
    fn zone_offsets() {
        assert_eq!(
            zone_offset_minutes("(UTC+05:30) Chennai, Kolkata"),
            Some(330)
        );
        assert_eq!(
            zone_offset_minutes("(UTC-05:00) Eastern Time (US & Canada)"),
            Some(-300)
        );
        assert_eq!(
            zone_offset_minutes("(UTC) Coordinated Universal Time"),
            Some(0)
        );
        assert_eq!(zone_offset_minutes("(GMT+01:00) Amsterdam"), Some(60));
        for bad in [
            "",
            "(UTC",
            "(UTC+)",
            "(UTC+99:00) x",
            "UTC+01:00",
            "(UTC+1:xx)",
        ] {
            assert_eq!(zone_offset_minutes(bad), None, "{bad}");
        }
    }

    #[test]
    fn reg_query_output() {
        let q = "\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Communicator\r\n    TrustModelData    REG_SZ    fabrikam.com,contoso.net\r\n    EnableTracing    REG_DWORD    0x1\r\n\r\n";
        assert_eq!(classify(q), Some(OutputKind::RegExport));
        let out = scan(q);
        assert_eq!(out.reg_keys.len(), 1);
        let vals: Vec<_> = out
            .reg_values
            .iter()
            .map(|v| (v.line, v.name.as_str(), v.data.as_str()))
            .collect();
        assert_eq!(
            vals,
            [
                (3, "TrustModelData", "fabrikam.com,contoso.net"),
                (4, "EnableTracing", "0x1")
            ]
        );
        assert_eq!(
            classify("HKEY_LOCAL_MACHINE is a hive\r\nno values\r\n"),
            None
        );
    }

    #[test]
    fn never_panics() {
        for s in [
            "",
            "***",
            "*** :",
            "*** a.b:",
            "Name:",
            "Name: a.b\nAddress",
            "x SRV service location",
            "[",
            "[]",
            "[HKEY_X]\n\"",
            "[HKEY_X]\n\"a\"=hex(2):zz",
            "[HKEY_X]\n\"a\"=\\",
            "[HKEY_X]\n@=\"\\",
            "HKEY_X\n    REG_",
            "HKEY_X\n        REG_SZ    ",
            "HKEY_X\n    a    REG_SZ",
            "Proxy Server(s)",
            "é*** é: é",
        ] {
            let _ = scan(s);
            let _ = classify(s);
        }
    }
}
