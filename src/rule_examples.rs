//! Rules prove themselves: every rule carries examples that must (or must not) match.
//!
//! This module sits above the pipeline (it runs an example through the pipeline's member
//! analyzers and the bundle-wide facts, exactly as `analyze` would), not inside `rules/`, so
//! that data flows one way: the rule engine never calls back into the stages that use it.
//!
//! An example is a log excerpt. A full UccApi excerpt is read as it is; a bare SIP message is
//! wrapped in the framing a client writes (`Data Received -` for a response, `Sending Packet
//! -` for a request); any other text becomes one `INFO` record. The excerpt then goes through
//! the same parser, rules and correlator as a real member, so an example tests the rule as it
//! runs, not a copy of its logic. An example that starts with `<Event` is a Windows event as
//! Event Viewer saves it as XML (one `<Event>`, or several under `<Events>`) and goes through
//! the event XML reader and the same rules as an exported event log. Any other text that reads
//! as a Windows event export ([`crate::detect::sniff_event_export`]: `wevtutil` text, "Copy
//! details as text", Event Viewer CSV, PowerShell JSON / CSV / list) goes through that form's
//! reader. An example that reads as PowerShell output (a transcript banner, a `PS …>` prompt,
//! error-record details, or a first line `Cmdlet-Name : message`) goes through the transcript
//! reader, and one that reads as Windows command output (`nslookup`, `netsh winhttp show
//! proxy`, a `.reg` export …) through the command-output reader, each followed by the
//! bundle-wide facts its clues give.

use crate::detect::Format;
use crate::parse::{cmdout, powershell, sip, uccapi};
use crate::pipeline;
use crate::rules::RuleSet;
use crate::rules::spec::ExampleSpec;

/// The outcome of one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleResult {
    pub rule: String,
    pub file: String,
    pub line: usize,
    /// 1-based position of the example in the rule.
    pub example: usize,
    pub expected: bool,
    pub matched: bool,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.expected == self.matched
    }
}

const STAMP: &str = "01/01/2026|00:00:00.000 0A0:0B0 INFO  :: ";

/// Turn an example's text into a UccApi log.
pub fn as_log(example: &str) -> String {
    let example = example.trim_start_matches(['\r', '\n']);
    if uccapi::sniff(example) {
        return example.to_string();
    }
    let first = example.lines().next().unwrap_or("");
    match sip::start_line(first) {
        Some(start) => {
            let frame = match start {
                sip::StartLine::Response { .. } => {
                    "Data Received - 192.0.2.1:443 (To Local Address: 192.0.2.10:50000) 0 bytes:"
                }
                sip::StartLine::Request { .. } => {
                    "Sending Packet - 192.0.2.1:443 (From Local Address: 192.0.2.10:50000) 0 bytes:"
                }
            };
            let mut out = format!(
                "{STAMP}{frame}\r\n{STAMP}{}",
                example.replace("\r\n", "\n").replace('\n', "\r\n")
            );
            if !out.ends_with("\r\n\r\n") {
                out.push_str(if out.ends_with("\r\n") {
                    "\r\n"
                } else {
                    "\r\n\r\n"
                });
            }
            out.push_str(&format!("{STAMP}End of Data\r\n"));
            out
        }
        None => example.lines().map(|l| format!("{STAMP}{l}\r\n")).collect(),
    }
}

/// Indices of the rules that match `log` (member rules and fact rules), sorted.
pub fn rules_matching(rules: &RuleSet, log: &str) -> Vec<usize> {
    let outcome = pipeline::analyze_uccapi(rules, "example", log.as_bytes());
    pipeline::correlate_members(rules, vec![outcome]).matched_rules()
}

/// True when an example is Event Viewer XML (starts with `<Event`, `<Events` included).
pub fn is_event_xml(example: &str) -> bool {
    let t = example.trim_start();
    ["<Events>", "<Events ", "<Event>", "<Event "]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Indices of the rules that match the events of an Event Viewer XML excerpt, sorted.
pub fn rules_matching_events(rules: &RuleSet, xml: &str) -> Vec<usize> {
    let outcome = pipeline::analyze_event_xml(rules, "example", xml.as_bytes());
    pipeline::correlate_members(rules, vec![outcome]).matched_rules()
}

/// Indices of the rules that match the events of a text export of the given form, sorted.
pub fn rules_matching_event_text(
    rules: &RuleSet,
    format: crate::detect::Format,
    text: &str,
) -> Vec<usize> {
    let outcome = pipeline::analyze_event_text(rules, "example", format, text.as_bytes());
    pipeline::correlate_members(rules, vec![outcome]).matched_rules()
}

/// The text format an example is written in, when it is PowerShell output or command output.
pub fn text_format(example: &str) -> Option<Format> {
    let example = example.trim_start_matches(['\r', '\n']);
    if uccapi::sniff(example) || is_event_xml(example) {
        return None;
    }
    if crate::parse::msoidsvc::sniff(example) {
        return Some(Format::SignInAssistantTrace);
    }
    if powershell::looks_like_excerpt(example) {
        return Some(Format::PowerShell);
    }
    cmdout::classify(example).map(|k| match k {
        cmdout::OutputKind::Nslookup => Format::Nslookup,
        cmdout::OutputKind::Ipconfig => Format::Ipconfig,
        cmdout::OutputKind::WinHttpProxy => Format::WinHttpProxy,
        cmdout::OutputKind::SystemInfo => Format::SystemInfo,
        cmdout::OutputKind::RegExport => Format::RegExport,
    })
}

/// Indices of the rules that match a PowerShell or command-output excerpt (its records, and
/// the facts its clues give on their own), sorted.
pub fn rules_matching_text(rules: &RuleSet, format: Format, text: &str) -> Vec<usize> {
    let outcome = pipeline::analyze_text(rules, "example", format, text.as_bytes());
    pipeline::correlate_members(rules, vec![outcome]).matched_rules()
}

/// Indices of the rules that match a small bundle (member path → content), read as the
/// members of a zip are: format by name, then by content; then the bundle-wide step.
pub fn rules_matching_files(
    rules: &RuleSet,
    files: &std::collections::BTreeMap<String, String>,
) -> Vec<usize> {
    let outcomes = files
        .iter()
        .map(|(path, text)| {
            let bytes = text.as_bytes();
            let format = crate::detect::detect(path, &bytes[..bytes.len().min(4096)]);
            pipeline::member_outcome(rules, path, format, bytes)
        })
        .collect();
    pipeline::correlate_members(rules, outcomes).matched_rules()
}

/// The rules one example matches.
pub fn example_matches(rules: &RuleSet, ex: &ExampleSpec) -> Vec<usize> {
    let Some(log) = &ex.log else {
        return rules_matching_files(rules, &ex.files);
    };
    if is_event_xml(log) {
        rules_matching_events(rules, log)
    } else if let Some(format) = crate::detect::sniff_event_export(log.trim_start()) {
        rules_matching_event_text(rules, format, log.trim_start())
    } else if let Some(format) = text_format(log) {
        rules_matching_text(rules, format, log.trim_start_matches(['\r', '\n']))
    } else {
        rules_matching(rules, &as_log(log))
    }
}

/// Run every example of every rule.
pub fn run(rules: &RuleSet) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for (i, rule) in rules.rules().iter().enumerate() {
        for (n, ex) in rule.examples.iter().enumerate() {
            let matched = example_matches(rules, ex).contains(&i);
            out.push(ExampleResult {
                rule: rule.id.clone(),
                file: rule.origin.file.clone(),
                line: rule.origin.line,
                example: n + 1,
                expected: ex.matches,
                matched,
            });
        }
    }
    out
}

/// What `rules test` reports at its end: `N rules, M examples, K failed, U rules without
/// examples` (a rule "without examples" lacks a positive or a negative one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub rules: usize,
    pub examples: usize,
    pub failed: usize,
    pub without_examples: usize,
}

impl Summary {
    pub fn of(rules: &RuleSet, results: &[ExampleResult]) -> Summary {
        Summary {
            rules: rules.len(),
            examples: results.len(),
            failed: results.iter().filter(|r| !r.passed()).count(),
            without_examples: lacking_examples(rules).len(),
        }
    }

    pub fn passed(&self) -> bool {
        self.failed == 0 && self.without_examples == 0
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rules, {} examples, {} failed, {} rules without examples",
            self.rules, self.examples, self.failed, self.without_examples
        )
    }
}

/// Rules that lack a positive or a negative example, with what they lack.
pub fn lacking_examples(rules: &RuleSet) -> Vec<(&str, &'static str)> {
    rules
        .rules()
        .iter()
        .filter_map(|r| {
            let pos = r.examples.iter().any(|e| e.matches);
            let neg = r.examples.iter().any(|e| !e.matches);
            match (pos, neg) {
                (true, true) => None,
                (false, false) => Some((r.id.as_str(), "no example")),
                (false, true) => Some((r.id.as_str(), "no positive example")),
                (true, false) => Some((r.id.as_str(), "no negative example")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Matcher;

    #[test]
    fn wraps_bare_sip_and_text() {
        let log = as_log("SIP/2.0 404 Not Found\nCSeq: 1 REGISTER\n");
        let items: Vec<_> = uccapi::UccApiReader::new(&log).collect();
        assert!(
            matches!(
                items[1],
                uccapi::UccApiItem::Sip {
                    direction: sip::Direction::Received,
                    ..
                }
            ),
            "{log}"
        );
        let log = as_log("hr=0x80090324 here");
        assert!(log.starts_with(STAMP) && log.ends_with("here\r\n"));
    }

    #[test]
    fn event_xml_examples_go_through_the_event_reader() {
        let (rules, _) = RuleSet::load(&[]).unwrap();
        let xml = "\n<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Time-Service'/><EventID>129</EventID><Level>3</Level></System></Event></Events>";
        assert!(is_event_xml(xml));
        assert!(!is_event_xml("SIP/2.0 404 Not Found"));
        assert!(!is_event_xml("<Eventually>"));
        let hits: Vec<_> = rules_matching_events(&rules, xml)
            .into_iter()
            .map(|i| rules.get(i).id.as_str())
            .collect();
        assert_eq!(hits, ["clock-skew.time-service-not-syncing"]);
        // UccApi examples are unchanged: text that is not XML still becomes an INFO record.
        assert!(as_log("<Eventually>").starts_with(STAMP));
    }

    #[test]
    fn text_export_examples_go_through_their_reader() {
        let (rules, _) = RuleSet::load(&[]).unwrap();
        let text = "Event[0]:\n  Log Name: System\n  Source: Microsoft-Windows-Time-Service\n  Date: 2026-11-03T09:00:00.000\n  Event ID: 129\n  Level: Warning\n  Description:\nNtpClient was unable to set a domain peer to use as a time source.\n";
        let format = crate::detect::sniff_event_export(text).unwrap();
        let hits: Vec<_> = rules_matching_event_text(&rules, format, text)
            .into_iter()
            .map(|i| rules.get(i).id.as_str())
            .collect();
        assert_eq!(hits, ["clock-skew.time-service-not-syncing"]);
        // Plain text examples are still UccApi records.
        assert!(crate::detect::sniff_event_export("hr=0x80090324 here").is_none());
    }

    #[test]
    fn powershell_and_command_output_examples_go_through_their_readers() {
        assert_eq!(
            text_format("\nGet-CsWebTicket : Failed to connect live id servers."),
            Some(Format::PowerShell)
        );
        assert_eq!(
            text_format("PS C:\\Users\\kim> Get-Service msoidsvc"),
            Some(Format::PowerShell)
        );
        assert_eq!(
            text_format("Server:  dc01\nAddress:  10.0.0.1\n"),
            Some(Format::Nslookup)
        );
        assert_eq!(
            text_format("Windows Registry Editor Version 5.00\n"),
            Some(Format::RegExport)
        );
        // Existing kinds keep their path.
        assert_eq!(text_format("hr=0x80090324 here"), None);
        assert_eq!(
            text_format("SIP/2.0 404 Not Found\nCSeq: 1 REGISTER\n"),
            None
        );
        assert_eq!(
            text_format("01/01/2026|00:00:00.000 0A0:0B0 ERROR :: Get-X : y"),
            None
        );
        assert_eq!(text_format("<Events><Event>"), None);

        let (rules, _) = RuleSet::load(&[]).unwrap();
        let ids = |hits: Vec<usize>| -> Vec<String> {
            hits.into_iter().map(|i| rules.get(i).id.clone()).collect()
        };
        // A wrapped error record: the stem spans the wrap.
        let ps = "Import-Module : File C:\\x.psm1 cannot be loaded because running scripts is\r\ndisabled on this system.\r\n    + CategoryInfo          : SecurityError: (:) [Import-Module], PSSecurityException\r\n";
        assert_eq!(
            ids(rules_matching_text(&rules, Format::PowerShell, ps)),
            ["ps-execution-policy.scripts-disabled"]
        );
        // The same words as a plain INFO line would not carry the ERROR level.
        assert!(
            ids(rules_matching(
                &rules,
                &as_log("running scripts is disabled on this system")
            ))
            .is_empty()
        );
        // Command output gives facts from its clues alone.
        let ns = "Server:  dc01.corp.contoso.com\r\nAddress:  10.0.0.10\r\n\r\n*** dc01.corp.contoso.com can't find sip.contoso.com: Non-existent domain\r\n";
        assert_eq!(
            ids(rules_matching_text(&rules, Format::Nslookup, ns)),
            [
                "dns-cname-missing.sip-not-found",
                "dns-propagation.sip-not-found"
            ]
        );
    }

    #[test]
    fn every_builtin_rule_passes_its_examples() {
        let (rules, _) = RuleSet::load(&[]).unwrap();
        let results = run(&rules);
        let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn every_builtin_rule_has_a_positive_and_a_negative_example() {
        let (rules, _) = RuleSet::load(&[]).unwrap();
        assert_eq!(lacking_examples(&rules), Vec::<(&str, &str)>::new());
        let results = run(&rules);
        let summary = Summary::of(&rules, &results);
        assert!(summary.passed(), "{summary}");
        assert_eq!(
            summary.to_string(),
            format!(
                "{} rules, {} examples, 0 failed, 0 rules without examples",
                rules.len(),
                results.len()
            )
        );
        // Fact rules too: every kind of rule is proven.
        assert!(
            rules
                .rules()
                .iter()
                .any(|r| matches!(r.matcher, Matcher::Fact(_)))
        );
    }

    #[test]
    fn a_bundle_example_needs_its_members_together() {
        let (rules, _) = RuleSet::load(&[]).unwrap();
        let lacks = rules
            .rules()
            .iter()
            .position(|r| r.id == "trustmodeldata-missing.lacks-domain")
            .unwrap();
        let log = "01/01/2026|00:00:00.000 0A0:0B0 INFO  :: Sending Packet - 192.0.2.1:443 (From Local Address: 192.0.2.10:50000) 0 bytes:\r\n01/01/2026|00:00:00.000 0A0:0B0 INFO  :: REGISTER sip:contoso.com SIP/2.0\r\nFrom: <sip:kim@contoso.com>;tag=1\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n\r\n";
        let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Communicator]\r\n\"TrustModelData\"=\"fabrikam.com\"\r\n";
        let files = |members: &[(&str, &str)]| {
            members
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let both = files(&[
            ("Tracing/Lync-UccApi-0.UccApilog", log),
            ("Registry/communicator.reg", reg),
        ]);
        assert!(rules_matching_files(&rules, &both).contains(&lacks));
        // Each member alone proves nothing.
        let reg_only = files(&[("Registry/communicator.reg", reg)]);
        assert!(!rules_matching_files(&rules, &reg_only).contains(&lacks));
    }
}
