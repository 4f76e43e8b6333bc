//! The HTML report's SIP message browser: the kept SIP messages as a list with filters, and
//! the whole message on a click on a row or on a ladder arrow, as Snooper shows them.
//!
//! The list is rendered here (escaped), so it reads without script too; the message texts ride
//! along as JSON in a `<script type="application/json">` block whose `<`, `>` and `&` are
//! escaped, and a small inline script (allowed by its hash in the report's
//! Content-Security-Policy) does the filtering and the detail view.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::LazyLock;

use base64::Engine as _;
use sha2::Digest as _;

use super::html::esc;
use crate::diagnosis::Analysis;
use crate::i18n::{fill, tr};
use crate::parse::sip::Direction;

/// The browser's script, inlined in the report.
pub const SCRIPT: &str = include_str!("message_browser.js");

/// `'sha256-…'` of a script, for a Content-Security-Policy that allows just that script.
pub fn script_hash(script: &str) -> String {
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// [`script_hash`] of [`SCRIPT`].
pub static SCRIPT_HASH: LazyLock<String> = LazyLock::new(|| script_hash(SCRIPT));

/// The report's Content-Security-Policy: nothing from outside, inline style, and only the
/// browser's own script.
pub fn policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {}; base-uri 'none'; form-action 'none'",
        *SCRIPT_HASH
    )
}

pub const STYLE: &str = r#"
.msg-filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0;font-size:13px}
.msg-filters input[type=search],.msg-filters select{font:inherit;padding:2px 6px;border:1px solid #98a2b3;border-radius:6px}
#msg-list tbody tr{cursor:pointer}#msg-list tbody tr:hover,#msg-list tbody tr.current{background:#eff8ff}
#msg-list td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:200px}
#msg-list td.diag{color:#b42318;white-space:normal;min-width:240px;max-width:none}
.msg-scroll{max-height:420px;overflow:auto;border:1px solid #eaecf0;border-radius:6px}
#msg-view pre{white-space:pre-wrap;word-break:break-all;background:#f9fafb;border:1px solid #eaecf0;border-radius:6px;padding:10px;font-size:12px;max-height:520px;overflow:auto}
#msg-view mark{background:#fef0c7;color:#7a2e0e;font-weight:600}
svg .step{cursor:pointer}svg .step:hover line,svg .step:focus line{stroke-width:4}
"#;

/// The key that ties a ladder arrow to its message row: `member:line`.
pub fn key(member: &str, line: u32) -> String {
    format!("{member}:{line}")
}

/// JSON that can sit inside a `<script>` element: no `<`, `>` or `&` left to end it.
fn script_json(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v)
        .expect("strings serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The message browser section, or nothing when the bundle holds no SIP message.
pub fn render(h: &mut String, a: &Analysis) {
    let k = &a.messages;
    if k.messages.is_empty() {
        return;
    }
    let lang = a.lang;
    let t = |key: &str| esc(tr(lang, &format!("sip_browser.{key}")));
    let in_ladder = k.messages.iter().filter(|m| m.in_ladder_call).count();
    let _ = write!(
        h,
        "<h2>{}</h2><div class=\"card\" id=\"messages\">",
        t("heading")
    );
    let mut note = String::new();
    if let Some(l) = a.timeline.ladder.as_ref().filter(|_| in_ladder > 0) {
        let template = if l.outcome == "succeeded" {
            t("ladder_last")
        } else {
            t("ladder_failing")
        };
        let call_id = format!("<span class=\"mono\">{}</span>", esc(&l.call_id));
        let _ = write!(
            note,
            "{} ",
            fill(&template, &[("count", &in_ladder), ("call_id", &call_id)])
        );
    }
    if (k.messages.len() as u64) < k.total {
        note.push_str(&fill(
            &t("kept_some"),
            &[("kept", &k.messages.len()), ("total", &k.total)],
        ));
    } else {
        note.push_str(&fill(&t("kept_all"), &[("total", &k.total)]));
    }
    let _ = write!(h, "<p class=\"muted\">{note}</p>");
    let kinds: BTreeSet<&str> = k
        .messages
        .iter()
        .flat_map(|m| [m.label.as_str(), m.method.as_str()])
        .filter(|s| !s.is_empty())
        .collect();
    let _ = write!(
        h,
        "<div class=\"msg-filters\"><label><input type=\"checkbox\" id=\"msg-all\"{}> {}</label><label>{} <select id=\"msg-kind\"><option value=\"\">{}</option>",
        if in_ladder == 0 { " checked" } else { "" },
        fill(&t("every"), &[("count", &k.messages.len())]),
        t("kind"),
        t("any"),
    );
    for kind in kinds {
        let _ = write!(h, "<option>{}</option>", esc(kind));
    }
    let _ = write!(
        h,
        "</select></label><label>Call-ID <input type=\"search\" id=\"msg-call\"></label><label>{} <input type=\"search\" id=\"msg-text\"></label><span id=\"msg-count\" class=\"muted\" data-template=\"{}\"></span></div>",
        t("text"),
        t("shown"),
    );
    let _ = write!(
        h,
        "<div class=\"msg-scroll\"><table id=\"msg-list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>Call-ID</th><th>ms-diagnostics</th><th>{}</th></tr></thead><tbody>",
        t("col_time"),
        t("col_direction"),
        t("col_message"),
        t("col_where"),
    );
    let (sent, received) = (t("sent"), t("received"));
    for (i, m) in k.messages.iter().enumerate() {
        let dir = match m.direction {
            Direction::Sent => sent.as_str(),
            Direction::Received => received.as_str(),
            Direction::Unknown => "",
        };
        let hidden = in_ladder > 0 && !m.in_ladder_call;
        let _ = write!(
            h,
            "<tr data-i=\"{i}\" data-key=\"{}\" data-ladder=\"{}\" data-kind=\"{}\" data-method=\"{}\" data-call=\"{}\" tabindex=\"0\"{}><td class=\"mono\">{}</td><td>{dir}</td><td class=\"mono\">{}</td><td class=\"mono\" title=\"{}\">{}</td><td class=\"diag\">{}</td><td class=\"mono\">{}:{}</td></tr>",
            esc(&key(&m.member, m.line)),
            u8::from(m.in_ladder_call),
            esc(&m.label),
            esc(&m.method),
            esc(&m.call_id),
            if hidden { " hidden" } else { "" },
            esc(m.time.as_deref().unwrap_or("")),
            esc(&m.label),
            esc(&m.call_id),
            esc(&m.call_id),
            esc(m.diagnostics.as_deref().unwrap_or("")),
            esc(&m.member),
            m.line
        );
    }
    let texts: Vec<String> = k
        .messages
        .iter()
        .map(|m| {
            if m.cut {
                format!("{}\n[… cut at {} bytes]", m.text, m.text.len())
            } else {
                m.text.clone()
            }
        })
        .collect();
    let _ = write!(
        h,
        "</tbody></table></div><div id=\"msg-view\" hidden><h3 id=\"msg-view-title\" class=\"mono\"></h3><pre id=\"msg-view-text\"></pre></div><noscript><p class=\"muted\">{}</p></noscript></div>\n<script type=\"application/json\" id=\"msg-data\">{}</script>\n<script>{SCRIPT}</script>\n",
        t("noscript"),
        script_json(&texts)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_block_cannot_close_it() {
        let s = script_json(&vec!["</script><script>alert(1)</script>&amp;"]);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>&amp;");
    }

    /// A client log whose SIP messages carry markup, a script end tag and a credential.
    fn hostile_log() -> Vec<u8> {
        let msgs = [
            (
                "Sending Packet",
                "REGISTER sip:contoso.com SIP/2.0\r\nFrom: <sip:alice@contoso.com>;tag=1\r\nTo: <sip:alice@contoso.com>\r\nCall-ID: c1<b>x</b>\r\nCSeq: 1 REGISTER\r\nAuthorization: NTLM TlRMTVNTUAADAAAAGAAYAHAAAAAS3cr3t\r\nUser-Agent: </script><script>alert(1)</script>\r\nContent-Length: 0\r\n",
            ),
            (
                "Data Received",
                "SIP/2.0 401 Unauthorized\r\nDate: Tue, 03 Nov 2026 08:07:32 GMT\r\nFrom: <sip:alice@contoso.com>;tag=1\r\nTo: <sip:alice@contoso.com>;tag=2\r\nCall-ID: c1<b>x</b>\r\nCSeq: 1 REGISTER\r\nms-diagnostics: 1013;reason=\"<img src=x onerror=alert(2)>\";source=\"sip.contoso.com\"\r\nContent-Length: 0\r\n",
            ),
        ];
        let mut log = String::new();
        for (i, (frame, m)) in msgs.iter().enumerate() {
            log.push_str(&format!(
                "11/03/2026|09:14:0{i}.060 2F4C:9AF8 INFO  :: {frame} - 10.0.0.1:443 100 bytes:\r\n11/03/2026|09:14:0{i}.061 2F4C:9AF8 INFO  :: {m}\r\n"
            ));
        }
        log.into_bytes()
    }

    fn report(redact: bool) -> String {
        let (rules, catalog) = crate::rules::RuleSet::load(&[]).unwrap();
        let mut a = crate::pipeline::analyze_bytes(
            "Lync-UccApi-0.UccApilog",
            hostile_log(),
            &rules,
            &catalog,
            &crate::pipeline::Options::default(),
        );
        if redact {
            a.redact_identifiers();
        }
        assert_eq!(a.messages.messages.len(), 2, "{:?}", a.inventory);
        let mut out = Vec::new();
        crate::report::render(&a, crate::report::OutputFormat::Html, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hostile_messages_are_escaped_and_credentials_never_shown() {
        let html = report(false);
        assert!(!html.contains("<script>alert"), "script injected");
        assert!(!html.contains("<img src=x"), "markup injected");
        assert!(!html.contains("<b>x</b>"), "markup injected");
        assert!(
            !html.contains("S3cr3t") && !html.contains("TlRMTVNT"),
            "credential shown"
        );
        // Exactly the report's own script blocks.
        assert_eq!(html.matches("<script").count(), 2);
        assert_eq!(html.matches("</script>").count(), 2);
        assert!(html.contains("alice@contoso.com"));
    }

    #[test]
    fn redaction_reaches_the_messages() {
        let html = report(true);
        assert!(!html.contains("alice"), "user name left in the report");
        assert!(!html.contains("contoso"), "domain left in the report");
        assert!(html.contains("SIP/2.0 401 Unauthorized"));
    }

    #[test]
    fn the_policy_names_the_scripts_hash() {
        let p = policy();
        assert!(p.contains("script-src 'sha256-"), "{p}");
        assert!(!p.contains("unsafe-inline'; img-src data:; script-src 'unsafe-inline"));
        assert_eq!(SCRIPT_HASH.len(), "'sha256-'".len() + 44);
    }
}
