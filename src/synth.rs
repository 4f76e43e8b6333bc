//! Synthetic client logs for benchmarks and load tests (never used to diagnose).
//!
//! This module owns generating realistic, deterministic UccApi log text of any size: trace
//! noise, REGISTER exchanges with NTLM challenges, rejections with ms-diagnostics codes and
//! error lines, and presence traffic, in the layout `parse::uccapi` reads. The benchmark and
//! the `gen_bundle` example use it.

use std::fmt::Write;

/// A UccApi log of about `target` bytes: per block, trace noise, one REGISTER exchange
/// (most accepted, one in ten rejected with ms-diagnostics 1000 and an error line, one in ten
/// challenged) and presence noise. Deterministic: the same size gives the same bytes.
pub fn uccapi_log(target: usize) -> Vec<u8> {
    let mut s = String::with_capacity(target + 4096);
    let mut n: u64 = 0;
    while s.len() < target {
        n += 1;
        let secs = n % 86_400;
        let (h, m, sec) = (secs / 3600, (secs / 60) % 60, secs % 60);
        let t = format!("11/03/2026|{h:02}:{m:02}:{sec:02}.{:03}", n % 1000);
        let gmt = format!("Tue, 03 Nov 2026 {:02}:{m:02}:{sec:02} GMT", (h + 23) % 24);
        let call = format!("{:032x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for i in 0..12 {
            let _ = write!(
                s,
                "{t} 2F4C:1B80 TRACE :: CUccPresenceManager::OnTimer - refresh {i} of subscription set {n}, state=Active, hr=0x00000000\r\n"
            );
        }
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: CSIPAsyncSocket::ProcessRead - 1380 bytes from 52.112.64.13:443\r\n"
        );
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: Sending Packet - 52.112.64.13:443 (From Local Address: 192.168.1.20:51234) 1456 bytes:\r\n"
        );
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: REGISTER sip:contoso.com SIP/2.0\r\nVia: SIP/2.0/TLS 192.168.1.20:51234\r\nMax-Forwards: 70\r\nFrom: <sip:kim.akers@contoso.com>;tag=a1b2c3;epid=0f1e2d3c4b\r\nTo: <sip:kim.akers@contoso.com>\r\nCall-ID: {call}\r\nCSeq: 2 REGISTER\r\nContact: <sip:192.168.1.20:51234;transport=tls>;methods=\"INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY\";proxy=replace\r\nUser-Agent: UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)\r\nAuthorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", targetname=\"sippoolbl20a01.infra.lync.com\", gssapi-data=\"TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAAAAAB4AAAAEAAQAHgAAAAQABAAiAAAABAAEACYAAAANYKJ4g==\", version=4\r\nSupported: gruu-10, adhoclist, msrtc-event-categories\r\nEvent: registration\r\nContent-Length: 0\r\n\r\n"
        );
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: End of Sending Packet - 52.112.64.13:443 (From Local Address: 192.168.1.20:51234) 1456 bytes\r\n"
        );
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: Data Received - 52.112.64.13:443 (To Local Address: 192.168.1.20:51234) 980 bytes:\r\n"
        );
        let (status, extra) = match n % 10 {
            0 => (
                "401 Unauthorized",
                "ms-diagnostics: 1000;reason=\"Final handshake failed\";source=\"sippoolbl20a01.infra.lync.com\"\r\n",
            ),
            1 => (
                "401 Unauthorized",
                "WWW-Authenticate: NTLM opaque=\"78D29AC8\", gssapi-data=\"TlRMTVNTUAACAAAAAAAAADgAAADzgpjiyggGf8bkagEAAAAA\", targetname=\"sippoolbl20a01.infra.lync.com\", realm=\"SIP Communications Service\", version=4\r\n",
            ),
            _ => (
                "200 OK",
                "Authentication-Info: NTLM qop=\"auth\", targetname=\"sippoolbl20a01.infra.lync.com\", realm=\"SIP Communications Service\", version=4\r\n",
            ),
        };
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: SIP/2.0 {status}\r\nDate: {gmt}\r\n{extra}From: <sip:kim.akers@contoso.com>;tag=a1b2c3;epid=0f1e2d3c4b\r\nTo: <sip:kim.akers@contoso.com>;tag=9F8E7D\r\nCall-ID: {call}\r\nCSeq: 2 REGISTER\r\nVia: SIP/2.0/TLS 192.168.1.20:51234;received=203.0.113.7;ms-received-port=51234;ms-received-cid=1F7F00\r\nServer: RTC/7.0\r\nContent-Length: 0\r\n\r\n"
        );
        let _ = write!(
            s,
            "{t} 2F4C:1B80 INFO  :: End of Data Received - 52.112.64.13:443 (To Local Address: 192.168.1.20:51234) 980 bytes\r\n"
        );
        if n.is_multiple_of(10) {
            let _ = write!(
                s,
                "{t} 2F4C:1B80 ERROR :: CUccServerEndpoint::OnRegisterComplete - Sign-in failed: hr=0x8009030C\r\n"
            );
        }
        for i in 0..6 {
            let _ = write!(
                s,
                "{t} 2F4C:1B80 INFO  :: CUccContactManager::UpdateContact - contact {i} presence 3500 (Available), groups 4, note length 0\r\n"
            );
        }
    }
    s.into_bytes()
}
