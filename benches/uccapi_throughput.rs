//! UccApi parse + rules throughput on a generated log of about 200 MB.
//!
//! Run: `cargo bench --bench uccapi_throughput`. Besides `analyze_uccapi` (parse every record
//! and SIP message, evaluate every rule, track registrations and clock samples), the same run
//! measures two floors on the same buffer, so the figure can be read as a ratio:
//! `floor_memchr_lines` (find every line end: the least any line parser must do) and
//! `floor_literal_scan` (the rules' own Aho-Corasick pass for their literals over the whole
//! buffer, what `rg -F` with the same literals would do).
//! Set `SFBTRIAGE_BENCH_MB` to change the size.

use std::fmt::Write;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use sfbtriage::pipeline::analyze_uccapi;
use sfbtriage::rules::RuleSet;

fn main() {
    divan::main();
}

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::load(&[]).expect("built-in rules load").0);

/// A deterministic log: sign-in attempts (some failing), presence traffic and trace noise.
static LOG: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mb: usize = std::env::var("SFBTRIAGE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    generate(mb << 20)
});

fn generate(target: usize) -> Vec<u8> {
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
        if n % 10 == 0 {
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

#[divan::bench(sample_count = 5, sample_size = 1)]
fn analyze_uccapi_parse_and_rules(bencher: divan::Bencher) {
    let log = &*LOG;
    let rules = &*RULES;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| analyze_uccapi(rules, "bench.UccApilog", divan::black_box(log)));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_memchr_lines(bencher: divan::Bencher) {
    let log = &*LOG;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| memchr::memchr_iter(b'\n', divan::black_box(log)).count());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_literal_scan(bencher: divan::Bencher) {
    // The rule literals' own prefilter pass (what `rg -F` with the same literals would do).
    let log = &*LOG;
    let rules = &*RULES;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| rules.literal_hits(divan::black_box(log)).len());
}
