//! SIP messages kept whole for the HTML report's message browser.
//!
//! This module owns keeping an owned, bounded copy of the SIP messages the client logs hold,
//! so a report can show them as Snooper does (a list, filters, the whole message on a click).
//! Everything here is bounded: one member keeps its first [`MEMBER_FIRST`] and its last
//! [`MEMBER_LAST`] messages, each cut at [`MESSAGE_BYTES_MAX`] bytes, and the bundle keeps
//! at most [`MESSAGES_KEPT`] — every message of the failing registration's Call-ID first, then
//! the others in inventory order — with the count of all messages seen, for a "first N of M"
//! note. Credentials are masked ([`crate::redact::secrets`]) when a message is kept;
//! `--redact` pseudonymises the rest with the analysis. The JSON output does not carry them.

use std::borrow::Cow;
use std::collections::VecDeque;

use chrono::NaiveDateTime;

use crate::parse::sip::{Direction, MsDiagnostic, SipMessage};
use crate::parse::uccapi::UccApiRecord;

/// Most messages one bundle keeps.
pub const MESSAGES_KEPT: usize = 2_000;
/// Messages kept from the start of one member.
pub const MEMBER_FIRST: usize = 1_500;
/// Messages kept from the end of one member (the last registrations are usually the failing
/// ones).
pub const MEMBER_LAST: usize = 500;
/// Longest message text kept, in bytes; longer ones are cut (and marked so).
pub const MESSAGE_BYTES_MAX: usize = 8 * 1024;

/// One SIP message, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptMessage {
    pub member: String,
    /// Line of the message's start line in the member.
    pub line: u32,
    /// Local time as written by the client.
    pub local: Option<NaiveDateTime>,
    /// Display time (set once the zone is known).
    pub time: Option<String>,
    pub direction: Direction,
    /// `REGISTER` or `401 Unauthorized`.
    pub label: String,
    /// The request's method, or the method the response answers (from CSeq).
    pub method: String,
    pub status: Option<u16>,
    pub call_id: String,
    /// `1013 "Significant time skew…"`, joined when there are several.
    pub diagnostics: Option<String>,
    /// The whole message (start line, headers, body), credentials masked.
    pub text: String,
    /// True when `text` was cut at [`MESSAGE_BYTES_MAX`].
    pub cut: bool,
    /// True when the message belongs to the failing (or drawn) registration.
    pub in_ladder_call: bool,
}

/// The messages a bundle keeps, and how many there were.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeptMessages {
    pub messages: Vec<KeptMessage>,
    /// Every SIP message seen in the bundle's client logs.
    pub total: u64,
}

/// Bounded collection of one member's messages. The last ones are held borrowed from the
/// member's text and made owned only at [`MessageCollector::finish`], so a long log pays for
/// copying and masking only the messages it keeps. A member read block by block calls
/// [`MessageCollector::end_block`] before its block's text goes: the window's messages (at
/// most [`MEMBER_LAST`]) are then copied, unmasked, and the collector borrows nothing.
#[derive(Debug, Default)]
pub struct MessageCollector<'a> {
    first: Vec<KeptMessage>,
    last: VecDeque<Pending<'a>>,
    total: u64,
}

/// A message of the last window: its record's place, time and text (borrowed, or copied at
/// the end of a block) and direction; the SIP message is parsed again from the text when it is
/// kept.
#[derive(Debug)]
struct Pending<'a> {
    line: u32,
    time: Option<NaiveDateTime>,
    text: Cow<'a, str>,
    continuation: Cow<'a, str>,
    direction: Direction,
}

impl<'a> MessageCollector<'a> {
    pub fn observe(
        &mut self,
        member: &str,
        record: &UccApiRecord<'a>,
        direction: Direction,
        message: &SipMessage<'a>,
        diagnostics: &[MsDiagnostic<'a>],
    ) {
        self.total += 1;
        if self.first.len() < MEMBER_FIRST {
            self.first
                .push(keep(member, record, direction, message, diagnostics));
        } else {
            if self.last.len() >= MEMBER_LAST {
                self.last.pop_front();
            }
            self.last.push_back(Pending {
                line: record.line,
                time: record.time,
                text: Cow::Borrowed(record.text),
                continuation: Cow::Borrowed(record.continuation),
                direction,
            });
        }
    }

    /// The collector without borrows, for the next block of the member: the window's
    /// messages are copied.
    pub fn end_block<'b>(self) -> MessageCollector<'b> {
        let own = |c: Cow<'a, str>| -> Cow<'b, str> { Cow::Owned(c.into_owned()) };
        MessageCollector {
            first: self.first,
            last: self
                .last
                .into_iter()
                .map(|p| Pending {
                    line: p.line,
                    time: p.time,
                    text: own(p.text),
                    continuation: own(p.continuation),
                    direction: p.direction,
                })
                .collect(),
            total: self.total,
        }
    }

    /// The kept messages in file order, and the count seen.
    pub fn finish(self, member: &str) -> KeptMessages {
        let mut messages = self.first;
        messages.extend(self.last.iter().filter_map(|p| {
            let m = SipMessage::parse(&p.text, &p.continuation)?;
            let diags = m.diagnostics();
            let record = UccApiRecord {
                line: p.line,
                time: p.time,
                thread: "",
                level: "",
                text: &p.text,
                continuation: &p.continuation,
                raw: "",
            };
            Some(keep(member, &record, p.direction, &m, &diags))
        }));
        KeptMessages {
            messages,
            total: self.total,
        }
    }
}

fn keep(
    member: &str,
    record: &UccApiRecord<'_>,
    direction: Direction,
    message: &SipMessage<'_>,
    diagnostics: &[MsDiagnostic<'_>],
) -> KeptMessage {
    let mut whole = String::with_capacity(record.text.len() + 2 + record.continuation.len());
    whole.push_str(record.text.trim_start());
    whole.push('\n');
    whole.push_str(record.continuation);
    let whole = whole.trim_end();
    let (text, cut) = if whole.len() > MESSAGE_BYTES_MAX {
        let mut end = MESSAGE_BYTES_MAX;
        while !whole.is_char_boundary(end) {
            end -= 1;
        }
        (&whole[..end], true)
    } else {
        (whole, false)
    };
    let diags: Vec<String> = diagnostics
        .iter()
        .map(|d| match d.reason {
            Some(r) => format!("{} \"{}\"", d.code, r),
            None => d.code.to_string(),
        })
        .collect();
    KeptMessage {
        member: member.to_string(),
        line: record.line,
        local: record.time,
        time: None,
        direction,
        label: message.start.label(),
        method: message.method().unwrap_or("").to_string(),
        status: message.status(),
        call_id: message.call_id().unwrap_or("").trim().to_string(),
        diagnostics: (!diags.is_empty())
            .then(|| crate::redact::abridge(&crate::redact::secrets(&diags.join("; ")), 200)),
        text: crate::redact::secrets(text).into_owned(),
        cut,
        in_ladder_call: false,
    }
}

/// The bundle's kept messages from its members' (in inventory order): every message of
/// `ladder_call_id` first, then the others, at most [`MESSAGES_KEPT`], back in inventory
/// order.
pub fn select(members: Vec<KeptMessages>, ladder_call_id: Option<&str>) -> KeptMessages {
    let total = members.iter().map(|m| m.total).sum();
    let mut all: Vec<KeptMessage> = members.into_iter().flat_map(|m| m.messages).collect();
    for m in &mut all {
        m.in_ladder_call = ladder_call_id.is_some_and(|c| c == m.call_id);
    }
    if all.len() > MESSAGES_KEPT {
        let mut order: Vec<usize> = (0..all.len()).collect();
        // Stable: ladder messages first, each group in inventory order.
        order.sort_by_key(|&i| !all[i].in_ladder_call);
        let mut chosen: Vec<usize> = order.into_iter().take(MESSAGES_KEPT).collect();
        chosen.sort_unstable();
        let mut slots: Vec<Option<KeptMessage>> = all.into_iter().map(Some).collect();
        all = chosen.into_iter().filter_map(|i| slots[i].take()).collect();
    }
    KeptMessages {
        messages: all,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(call_id: &str, line: u32) -> KeptMessage {
        KeptMessage {
            member: "m".into(),
            line,
            local: None,
            time: None,
            direction: Direction::Sent,
            label: "REGISTER".into(),
            method: "REGISTER".into(),
            status: None,
            call_id: call_id.into(),
            diagnostics: None,
            text: String::new(),
            cut: false,
            in_ladder_call: false,
        }
    }

    #[test]
    fn the_ladder_call_is_kept_whatever_the_cap_and_order_is_kept() {
        let mut m: Vec<KeptMessage> = (0..MESSAGES_KEPT as u32 + 10)
            .map(|i| message("other", i))
            .collect();
        m.push(message("failing", 99_999));
        let k = select(
            vec![KeptMessages {
                messages: m,
                total: 5_000,
            }],
            Some("failing"),
        );
        assert_eq!(k.total, 5_000);
        assert_eq!(k.messages.len(), MESSAGES_KEPT);
        assert!(k.messages.last().unwrap().in_ladder_call);
        assert!(k.messages.windows(2).all(|w| w[0].line < w[1].line));
    }

    #[test]
    fn a_member_keeps_its_first_and_last_messages_and_masks_credentials() {
        let text = "REGISTER sip:contoso.com SIP/2.0\r\nCall-ID: abc\r\nCSeq: 1 REGISTER\r\nAuthorization: NTLM TlRMTVNTUAADAAAAGAAYAHAAAAA=\r\n\r\n";
        let (start, rest) = text.split_once('\n').unwrap();
        let msg = SipMessage::parse(start, rest).unwrap();
        let mut c = MessageCollector::default();
        for line in 0..(MEMBER_FIRST + MEMBER_LAST + 7) as u32 {
            let record = UccApiRecord {
                line,
                time: None,
                thread: "",
                level: "",
                text: start,
                continuation: rest,
                raw: text,
            };
            c.observe("log", &record, Direction::Sent, &msg, &[]);
        }
        let k = c.finish("log");
        assert_eq!(k.total, (MEMBER_FIRST + MEMBER_LAST + 7) as u64);
        assert_eq!(k.messages.len(), MEMBER_FIRST + MEMBER_LAST);
        assert_eq!(k.messages[MEMBER_FIRST].line, MEMBER_FIRST as u32 + 7);
        let first = &k.messages[0];
        assert_eq!(
            (first.label.as_str(), first.call_id.as_str()),
            ("REGISTER", "abc")
        );
        assert!(!first.text.contains("TlRMTVNT"), "{}", first.text);
        assert!(first.text.starts_with("REGISTER sip:contoso.com"));
    }
}
