#!/usr/bin/env python3
"""Write the synthetic sfbtriage sample bundles (samples/*.zip) next to this script.

Standard library only, no arguments, deterministic: every random value comes from a
random.Random seeded with a fixed integer, zip members carry a fixed timestamp and are
written in sorted order, so two runs produce byte-identical zips.

The SIP content is shaped after the real excerpts in shared/corpus/excerpts/
(uccapilog_401_tlsdsk_certprov_leoncon.txt, sip_lync2013_onprem_401_challenges_trueconf_rawsip.txt,
uccapilog_403_ms-diagnostics_4268_supportarticles.txt,
uccapi_ms-diagnostics_4005_and_LS_UserReplicator_30061_supportarticles.txt).
All names, addresses, GUIDs and NTLM blobs are invented; no credentials are present.
"""

from __future__ import annotations

import base64
import io
import random
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZIP_TIME = (2026, 11, 3, 9, 0, 0)
CRLF = "\r\n"

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
REALM = "SIP Communications Service"
METHODS = "INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY"

UA_SFB2016 = "UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)"
UA_LYNC2013 = "UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)"
UA_LYNC2010 = "UCCAPI/4.0.7577.0 OC/4.0.7577.4103 (Microsoft Lync 2010)"


def http_date(dt: datetime) -> str:
    """RFC 1123 date, independent of the process locale."""
    return f"{DAYS[dt.weekday()]}, {dt.day:02d} {MONTHS[dt.month - 1]} {dt.year} {dt:%H:%M:%S} GMT"


# --------------------------------------------------------------------------------------------
# Profile of one simulated client machine / user
# --------------------------------------------------------------------------------------------


@dataclass
class Profile:
    user: str                 # sip URI without scheme, e.g. kim.akers@contoso.com
    client: str               # "sfb2016" | "lync2013" | "lync2010"
    ua: str
    server_hdr: str           # "RTC/7.0" ...
    online: bool              # SfB Online (Edge / RemoteUser) vs on-premises
    targetname: str           # registrar FQDN used in WWW-Authenticate targetname
    diag_source: str          # ms-diagnostics source=
    sts_uri: str
    remote_ip: str
    remote_port: int
    local_ip: str
    public_ip: str | None     # NAT address seen by the server (received=), None on-prem
    tz: timedelta             # local time zone offset from UTC
    skew: timedelta           # local clock minus true local time (+ = local clock fast)
    pid: str
    start: datetime           # local timestamp of the first log line
    seed: int
    pool_hint: str = ""       # on-prem pool FQDN found via DNS SRV
    computer: str = "WS-0001"
    display: str = ""
    subnet: str = ""

    @property
    def domain(self) -> str:
        return self.user.split("@", 1)[1]

    @property
    def local_part(self) -> str:
        return self.user.split("@", 1)[0]


# --------------------------------------------------------------------------------------------
# NTLM-looking blobs (structurally plausible, contents random, never derived from a secret)
# --------------------------------------------------------------------------------------------


def _av(av_id: int, value: bytes) -> bytes:
    return struct.pack("<HH", av_id, len(value)) + value


def ntlm_type2(rng: random.Random, nb_domain: str, dns_domain: str, host: str) -> str:
    info = (
        _av(2, nb_domain.encode("utf-16-le"))
        + _av(1, host.split(".")[0].upper().encode("utf-16-le"))
        + _av(4, dns_domain.encode("utf-16-le"))
        + _av(3, host.encode("utf-16-le"))
        + _av(7, rng.randbytes(8))
        + _av(0, b"")
    )
    head = (
        b"NTLMSSP\x00"
        + struct.pack("<I", 2)
        + struct.pack("<HHI", 0, 0, 56)          # target name (empty)
        + struct.pack("<I", 0xE29882F3)          # negotiate flags
        + rng.randbytes(8)                       # server challenge
        + b"\x00" * 8
        + struct.pack("<HHI", len(info), len(info), 56)
        + bytes([6, 1, 0xB1, 0x1D, 0, 0, 0, 0x0F])  # version 6.1.7601, NTLM rev 15
    )
    return base64.b64encode(head + info).decode("ascii")


def ntlm_type3(rng: random.Random, nb_domain: str, user: str, workstation: str) -> str:
    lm = b"\x00" * 24
    nt = rng.randbytes(16) + b"\x01\x01\x00\x00\x00\x00\x00\x00" + rng.randbytes(8 + 8 + 4) + rng.randbytes(150)
    dom = nb_domain.encode("utf-16-le")
    usr = user.encode("utf-16-le")
    wks = workstation.encode("utf-16-le")
    skey = rng.randbytes(16)
    off = 88
    fields = []
    payload = b""
    for part in (lm, nt, dom, usr, wks, skey):
        fields.append((len(part), off + len(payload)))
        payload += part
    order = [0, 1, 2, 3, 4, 5]
    head = b"NTLMSSP\x00" + struct.pack("<I", 3)
    for i in order:
        ln, o = fields[i]
        head += struct.pack("<HHI", ln, ln, o)
    head += struct.pack("<I", 0xE2888215)
    head += bytes([10, 0, 0x61, 0x4A, 0, 0, 0, 0x0F])  # version 10.0.19041
    head += rng.randbytes(16)                          # MIC
    assert len(head) == off
    return base64.b64encode(head + payload).decode("ascii")


# --------------------------------------------------------------------------------------------
# SIP message model
# --------------------------------------------------------------------------------------------


@dataclass
class Sip:
    start: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    def h(self, name: str, value: str) -> "Sip":
        self.headers.append((name, value))
        return self

    def render(self) -> tuple[str, list[str], list[str]]:
        body_lines = self.body.split("\r\n") if self.body else []
        hdr = [f"{n}: {v}" for n, v in self.headers]
        return self.start, hdr, body_lines

    def wire_len(self) -> int:
        text = self.start + CRLF + "".join(f"{n}: {v}{CRLF}" for n, v in self.headers) + CRLF + self.body
        return len(text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Log writer
# --------------------------------------------------------------------------------------------


class Log:
    LEVELS = {"INFO": "INFO  ", "TRACE": "TRACE ", "WARN": "WARN  ", "ERROR": "ERROR "}

    def __init__(self, p: Profile, rng: random.Random):
        self.p = p
        self.rng = rng
        self.t = p.start
        self.lines: list[str] = []
        # thread ids: UI thread, SIP transport thread, DNS/HTTP worker, timer thread
        self.tid_ui = hexu(rng, 4)
        self.tid_sip = hexu(rng, 4)
        self.tid_net = hexu(rng, 4)
        self.tid_timer = hexu(rng, 4)

    # -- clock ------------------------------------------------------------------------------
    def adv(self, lo_ms: int = 0, hi_ms: int | None = None) -> None:
        hi = lo_ms if hi_ms is None else hi_ms
        self.t += timedelta(milliseconds=self.rng.randint(lo_ms, hi))

    def stamp(self) -> str:
        t = self.t
        return f"{t:%m/%d/%Y}|{t:%H:%M:%S}.{t.microsecond // 1000:03d}"

    def server_date(self, at: datetime) -> str:
        true_utc = at - self.p.skew - self.p.tz
        return http_date(true_utc.replace(microsecond=0))

    # -- lines ------------------------------------------------------------------------------
    def ln(self, level: str, text: str, tid: str | None = None, adv: tuple[int, int] = (0, 4)) -> None:
        self.adv(*adv)
        tid = tid or self.tid_ui
        self.lines.append(f"{self.stamp()} {self.p.pid}:{tid} {self.LEVELS[level]}:: {text}")

    def trace(self, text: str, tid: str | None = None, adv: tuple[int, int] = (0, 4)) -> None:
        self.ln("TRACE", text, tid, adv)

    def info(self, text: str, tid: str | None = None, adv: tuple[int, int] = (0, 4)) -> None:
        self.ln("INFO", text, tid, adv)

    def warn(self, text: str, tid: str | None = None, adv: tuple[int, int] = (0, 4)) -> None:
        self.ln("WARN", text, tid, adv)

    def error(self, text: str, tid: str | None = None, adv: tuple[int, int] = (0, 4)) -> None:
        self.ln("ERROR", text, tid, adv)

    def _frame(self, verb: str, dir_word: str, msg: Sip, remote: str, local: str) -> None:
        n = msg.wire_len()
        start, hdr, body = msg.render()
        pre = f"{self.p.pid}:{self.tid_sip} INFO  :: "
        self.lines.append(f"{self.stamp()} {pre}{verb} - {remote} ({dir_word} Local Address: {local}) {n} bytes:")
        self.lines.append(f"{self.stamp()} {pre}{start}")
        self.lines.extend(hdr)
        self.lines.append("")
        self.lines.extend(body)
        self.lines.append(f"{self.stamp()} {pre}End of {verb} - {remote} ({dir_word} Local Address: {local}) {n} bytes")

    def send(self, msg: Sip, remote: str, local: str) -> None:
        self.adv(1, 6)
        self._frame("Sending Packet", "From", msg, remote, local)

    def recv(self, msg: Sip, remote: str, local: str, sent_at: datetime | None = None,
             delay: tuple[int, int] = (70, 240), date: bool = True) -> None:
        """Receive a server message; inserts the Date: header (GMT) right after the status line
        area (position 0 or after ms-user-logon-data) computed from the simulated clock."""
        base = self.t if sent_at is None else sent_at
        d = self.rng.randint(*delay)
        server_moment = base + timedelta(milliseconds=d // 2)
        self.t = max(self.t, base + timedelta(milliseconds=d))
        if date:
            pos = 1 if msg.headers and msg.headers[0][0] == "ms-user-logon-data" else 0
            msg.headers.insert(pos, ("Date", self.server_date(server_moment)))
        self._frame("Data Received", "To", msg, remote, local)


def hexl(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def hexu(rng: random.Random, n: int) -> str:
    return hexl(rng, n).upper()


def uuid(rng: random.Random) -> str:
    h = hexl(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


# --------------------------------------------------------------------------------------------
# One client session (endpoint) and its sign-in attempts
# --------------------------------------------------------------------------------------------


class Session:
    def __init__(self, p: Profile, log: Log):
        self.p = p
        self.log = log
        r = log.rng
        self.rng = r
        self.epid = hexl(r, 10)
        self.instance = uuid(r)
        self.ms_opaque = hexl(r, 10)
        self.local_port = 50000 + r.randint(100, 9000)
        self.nat_port = self.local_port if not p.online else 1024 + r.randint(2000, 60000)
        self.cid = hexu(r, 6)
        # state of the current registration dialog
        self.call_id = ""
        self.tag = ""
        self.srv_tag = ""
        self.cseq = 0
        self.branch_base = ""
        self.branch_n = 0
        self.opaque = ""
        self.snum = 0
        self.cnum = 0
        self.gruu = ""

    # -- addressing -------------------------------------------------------------------------
    @property
    def remote(self) -> str:
        return f"{self.p.remote_ip}:{self.p.remote_port}"

    @property
    def local(self) -> str:
        return f"{self.p.local_ip}:{self.local_port}"

    def via_req(self) -> str:
        self.branch_n += 1
        return f"SIP/2.0/TLS {self.local};branch=z9hG4bK{self.branch_base}-{self.branch_n}"

    def via_resp(self, req_via: str) -> str:
        v = req_via
        if self.p.public_ip:
            v += f";received={self.p.public_ip}"
        return v + f";ms-received-port={self.nat_port};ms-received-cid={self.cid}"

    def from_hdr(self) -> str:
        return f"<sip:{self.p.user}>;tag={self.tag};epid={self.epid}"

    def contact(self) -> str:
        return (f"<sip:{self.local};transport=tls;ms-opaque={self.ms_opaque}>;methods=\"{METHODS}\";"
                f"proxy=replace;+sip.instance=\"<urn:uuid:{self.instance}>\"")

    def new_dialog(self) -> None:
        r = self.rng
        self.call_id = hexl(r, 32)
        self.tag = hexl(r, 10)
        self.srv_tag = hexu(r, 32)
        self.cseq = 0
        self.branch_base = hexu(r, 32)
        self.branch_n = 0
        self.opaque = hexu(r, 8)
        self.snum = 0
        self.cnum = 0

    def new_connection(self) -> None:
        r = self.rng
        self.local_port = 50000 + r.randint(100, 9000)
        self.nat_port = self.local_port if not self.p.online else 1024 + r.randint(2000, 60000)
        self.cid = hexu(r, 6)

    # -- noise ------------------------------------------------------------------------------
    def startup(self, first_run: bool = True) -> None:
        p, L = self.p, self.log
        prod = {"sfb2016": "Skype for Business 2016", "lync2013": "Microsoft Lync 2013",
                "lync2010": "Microsoft Lync 2010"}[p.client]
        build = p.ua.split(" ")[1].split("/")[1]
        L.info(f"CUccPlatform::Initialize - {prod} build {build} starting, logging level=Full")
        L.trace("CUccPlatform::Initialize - hr=0x00000000", adv=(1, 9))
        L.trace(f"COSInfo::Log - Windows 10.0.19045 x64, locale=1033, machine={p.computer}", adv=(0, 3))
        L.trace("CTraceConfig::Load - EnableTracing=1, TracingLevel=2", adv=(0, 2))
        L.info("CertificateStore: loaded 3 certificates", tid=L.tid_net, adv=(3, 20))
        L.trace("CertificateStore: root store opened, 57 trusted roots", tid=L.tid_net, adv=(0, 3))
        L.trace("CProxySettings::Detect - WinHTTP: Direct access (no proxy server).", tid=L.tid_net, adv=(1, 9))
        L.trace("CProxySettings::Detect - WinINet autodetect=0, autoconfig url=(null)", tid=L.tid_net, adv=(0, 2))
        L.trace(f"CUccCredentialManager::LoadCredential - found cached credential for sip:{p.user} (password not logged)",
                adv=(2, 12))
        L.trace("CUccSignInConfig::Load - ConfigurationMode=0 (automatic), ServerAddressInternal=(empty), "
                "ServerAddressExternal=(empty)", adv=(0, 3))
        L.info(f"CUccServerEndpoint::Enable - Sign-in requested for sip:{p.user}", adv=(5, 30))
        L.trace("CUccServerEndpoint::Register - state change UNREGISTERED -> DISCOVERING", adv=(0, 2))
        if first_run:
            L.trace("CUccNetworkMonitor::OnAdaptersChanged - 1 connected adapter, metric=25", tid=L.tid_net, adv=(1, 6))

    def dns_lookup(self, name: str, qtype: str, answer: str | None, hr_fail: str = "0x8007232B") -> None:
        L = self.log
        L.trace(f"CDnsResolver::Query - Resolving {name} ({qtype})", tid=L.tid_net, adv=(1, 5))
        if answer is None:
            L.trace(f"CDnsResolver::OnQueryComplete - {name}: DNS_ERROR_RCODE_NAME_ERROR hr={hr_fail}",
                    tid=L.tid_net, adv=(8, 60))
        else:
            L.trace(f"CDnsResolver::OnQueryComplete - {name} -> {answer} hr=0x00000000", tid=L.tid_net, adv=(6, 45))

    def discovery(self) -> None:
        p, L = self.p, self.log
        d = p.domain
        if p.client in ("sfb2016", "lync2013") and p.online:
            L.info(f"CUccAutoDiscovery::Start - domain={d}, mode=automatic", tid=L.tid_net, adv=(1, 4))
            self.dns_lookup(f"lyncdiscoverinternal.{d}", "A", None)
            self.dns_lookup(f"lyncdiscover.{d}", "A", "CNAME webdir.online.lync.com -> 52.112.196.40")
            L.trace(f"CHttpRequest::Send - GET https://lyncdiscover.{d}/?sipuri={p.user}", tid=L.tid_net, adv=(1, 5))
            L.trace("CHttpRequest::OnComplete - status=200, 1382 bytes, hr=0x00000000", tid=L.tid_net, adv=(90, 260))
            L.trace("CUccAutoDiscovery::ParseResponse - redirect to "
                    "https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root", tid=L.tid_net)
            L.trace("CHttpRequest::Send - GET https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/user",
                    tid=L.tid_net, adv=(1, 4))
            L.trace("CHttpRequest::OnComplete - status=200, 2211 bytes, hr=0x00000000", tid=L.tid_net, adv=(80, 240))
            L.info(f"CUccAutoDiscovery::OnComplete - SipServerInternalAccess={p.targetname}:443, "
                   f"SipServerExternalAccess={p.targetname}:443", tid=L.tid_net)
            self.dns_lookup(f"_sipinternaltls._tcp.{d}", "SRV", None)
            self.dns_lookup(p.targetname, "A", p.remote_ip)
        elif p.client == "lync2013":
            L.info(f"CUccAutoDiscovery::Start - domain={d}, mode=automatic", tid=L.tid_net, adv=(1, 4))
            self.dns_lookup(f"lyncdiscoverinternal.{d}", "A", "10.40.2.31")
            L.trace(f"CHttpRequest::Send - GET https://lyncdiscoverinternal.{d}/?sipuri={p.user}", tid=L.tid_net)
            L.trace("CHttpRequest::OnComplete - status=200, 1205 bytes, hr=0x00000000", tid=L.tid_net, adv=(20, 90))
            L.info(f"CUccAutoDiscovery::OnComplete - SipServerInternalAccess={p.pool_hint}:5061", tid=L.tid_net)
            self.dns_lookup(f"_sipinternaltls._tcp.{d}", "SRV", f"0 0 5061 {p.pool_hint}")
            self.dns_lookup(p.pool_hint, "A", p.remote_ip)
        else:  # Lync 2010: DNS SRV only
            L.info(f"CUccServerDiscovery::Start - domain={d}", tid=L.tid_net, adv=(1, 4))
            self.dns_lookup(f"_sipinternaltls._tcp.{d}", "SRV", f"0 0 5061 {p.pool_hint}")
            self.dns_lookup(p.pool_hint, "A", p.remote_ip)
        L.trace("CUccServerEndpoint::Register - state change DISCOVERING -> CONNECTING", adv=(0, 3))

    def connect(self) -> None:
        p, L = self.p, self.log
        L.trace(f"CSIPAsyncSocket::Connect - connecting to {self.remote} (TLS)", tid=L.tid_sip, adv=(1, 6))
        L.trace(f"CSIPAsyncSocket::OnConnect - TCP connected, local {self.local}", tid=L.tid_sip, adv=(15, 70))
        L.trace("CSIPAsyncSocket::NegotiateTls - TLS 1.2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                tid=L.tid_sip, adv=(20, 80))
        L.trace(f"CSIPAsyncSocket::VerifyServerCertificate - subject CN={p.targetname}, chain OK, hr=0x00000000",
                tid=L.tid_sip, adv=(1, 8))
        L.trace("CUccServerEndpoint::Register - state change CONNECTING -> REGISTERING", adv=(0, 3))

    def keepalive(self, n: int = 1) -> None:
        L = self.log
        for _ in range(n):
            L.trace(f"CSIPKeepAlive::OnTimer - sending CRLF keep-alive to {self.remote}", tid=L.tid_timer,
                    adv=(25000, 32000))
            L.trace(f"CSIPAsyncSocket::OnSendComplete - 4 bytes, hr=0x00000000", tid=L.tid_sip, adv=(0, 2))

    # -- REGISTER messages ------------------------------------------------------------------
    def register(self, auth: str | None) -> tuple[Sip, str]:
        p = self.p
        self.cseq += 1
        via = self.via_req()
        m = Sip(f"REGISTER sip:{p.domain} SIP/2.0")
        m.h("Via", via).h("Max-Forwards", "70").h("From", self.from_hdr()).h("To", f"<sip:{p.user}>")
        m.h("Call-ID", self.call_id).h("CSeq", f"{self.cseq} REGISTER").h("Contact", self.contact())
        m.h("User-Agent", p.ua)
        if auth:
            m.h("Authorization", auth)
        m.h("Supported", "gruu-10, adhoclist, msrtc-event-categories")
        m.h("Supported", "ms-forking")
        if p.client != "lync2010":
            m.h("Supported", "ms-cluster-failover")
            m.h("Supported", "ms-userservices-state-notification")
        m.h("ms-keep-alive", "UAC;hop-hop=yes")
        m.h("Event", "registration")
        m.h("ms-subnet", p.subnet)
        if p.client != "lync2010":
            m.h("ms-endpoint-location-data", "NetworkScope;ms-media-location-type=Intranet")
        m.h("Content-Length", "0")
        return m, via

    def resp_base(self, status: str, via: str, method: str = "REGISTER", cseq: int | None = None,
                  to_uri: str | None = None, from_hdr: str | None = None) -> Sip:
        m = Sip(f"SIP/2.0 {status}")
        if self.p.online:
            m.h("ms-user-logon-data", "RemoteUser")
        return m

    def resp_tail(self, m: Sip, via: str, method: str = "REGISTER", to_uri: str | None = None,
                  from_hdr: str | None = None, cseq: int | None = None) -> Sip:
        to_uri = to_uri or f"<sip:{self.p.user}>"
        m.h("From", from_hdr or self.from_hdr())
        m.h("To", f"{to_uri};tag={self.srv_tag}")
        m.h("Call-ID", self.call_id)
        m.h("CSeq", f"{self.cseq if cseq is None else cseq} {method}")
        m.h("Via", self.via_resp(via))
        return m

    def www_auth_initial(self, m: Sip) -> None:
        p = self.p
        m.h("WWW-Authenticate", f'NTLM realm="{REALM}", targetname="{p.targetname}", version=4')
        if not p.online:
            m.h("WWW-Authenticate", f'Kerberos realm="{REALM}", targetname="sip/{p.targetname}", version=4')
        m.h("WWW-Authenticate",
            f'TLS-DSK realm="{REALM}", targetname="{p.targetname}", version=4, sts-uri="{p.sts_uri}"')

    def auth_info(self) -> str:
        self.snum += 1
        return (f'NTLM rspauth="0100000000000000{hexl(self.rng, 16).upper()}", srand="{hexu(self.rng, 8)}", '
                f'snum="{self.snum}", opaque="{self.opaque}", qop="auth", targetname="{self.p.targetname}", '
                f'realm="{REALM}"')

    def client_auth(self) -> str:
        self.cnum += 1
        return (f'NTLM qop="auth", realm="{REALM}", opaque="{self.opaque}", crand="{hexl(self.rng, 8)}", '
                f'cnum="{self.cnum}", targetname="{self.p.targetname}", response="0100000000000000{hexl(self.rng, 16)}"')

    def finish(self, m: Sip, extra: list[tuple[str, str]] | None = None) -> Sip:
        for n, v in extra or []:
            m.h(n, v)
        m.h("Server", self.p.server_hdr)
        m.h("Content-Length", str(len(m.body.encode("utf-8"))))
        return m

    # -- one sign-in attempt ----------------------------------------------------------------
    def attempt(self, outcome: str) -> None:
        """outcome: ok | 503 | skew | badcreds | notsip | clientver"""
        p, L, r = self.p, self.log, self.rng
        self.new_dialog()
        nb_dom = p.domain.split(".")[0].upper()[:15]
        L.info(f"CUccServerEndpoint::Register - sending REGISTER, Call-ID={self.call_id}", adv=(1, 6))

        # 1) REGISTER without credentials
        req, via = self.register(None)
        L.send(req, self.remote, self.local)
        sent = L.t
        if outcome == "503":
            m = self.resp_base("503 Service Unavailable", via)
            self.resp_tail(m, via)
            self.finish(m, [("Retry-After", "3")])
            L.recv(m, self.remote, self.local, sent, delay=(900, 1400))
            L.warn(f"CUccServerEndpoint::OnRegisterComplete - REGISTER failed, status=503 Service Unavailable, "
                   f"Retry-After=3, Call-ID={self.call_id}", adv=(1, 4))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> RETRY_PENDING", adv=(0, 2))
            return
        m = self.resp_base("401 Unauthorized", via)
        self.www_auth_initial(m)
        self.resp_tail(m, via)
        self.finish(m)
        L.recv(m, self.remote, self.local, sent)
        if outcome.startswith("certprov"):
            self.certprov(outcome)
            return
        L.trace("CUccAuthManager::OnChallenge - schemes offered: " + ("NTLM, TLS-DSK" if p.online else
                "NTLM, Kerberos, TLS-DSK") + ", selected NTLM", adv=(1, 5))

        # 2) REGISTER with empty NTLM negotiate
        auth = f'NTLM qop="auth", realm="{REALM}", targetname="{p.targetname}", gssapi-data="", version=4'
        req, via = self.register(auth)
        L.send(req, self.remote, self.local)
        sent = L.t
        m = self.resp_base("401 Unauthorized", via)
        gss = ntlm_type2(r, nb_dom, p.domain if not p.online else "infra.lync.com", p.targetname)
        m.h("WWW-Authenticate", f'NTLM opaque="{self.opaque}", gssapi-data="{gss}", targetname="{p.targetname}", '
                                f'realm="{REALM}", version=4')
        self.resp_tail(m, via)
        self.finish(m)
        L.recv(m, self.remote, self.local, sent)
        L.trace("CUccAuthManager::OnChallenge - NTLM challenge received, building response (SSPI InitializeSecurityContext)",
                adv=(1, 4))
        L.trace("CSspiContext::Initialize - package=NTLM, hr=0x00090312 (SEC_I_CONTINUE_NEEDED)", adv=(1, 9))

        # 3) REGISTER with NTLM authenticate message
        gss3 = ntlm_type3(r, nb_dom, p.local_part, p.computer)
        auth = (f'NTLM qop="auth", realm="{REALM}", opaque="{self.opaque}", targetname="{p.targetname}", '
                f'gssapi-data="{gss3}", version=4')
        req, via = self.register(auth)
        L.send(req, self.remote, self.local)
        sent = L.t

        if outcome == "ok":
            m = self.resp_base("200 OK", via)
            m.h("Authentication-Info", self.auth_info())
            self.resp_tail(m, via)
            self.gruu = f"sip:{p.user};opaque=user:epid:{base64.b64encode(r.randbytes(16)).decode()[:22]};gruu"
            m.h("Contact", f"<sip:{self.local};transport=tls;ms-opaque={self.ms_opaque};ms-received-cid={self.cid};grid>;"
                           f"expires=7200;+sip.instance=\"<urn:uuid:{self.instance}>\";gruu=\"{self.gruu}\"")
            m.h("Expires", "7200")
            m.h("presence-state", 'register-action="added"')
            m.h("Allow-Events", "vnd-microsoft-provisioning,vnd-microsoft-roaming-contacts,vnd-microsoft-roaming-ACL,"
                                "presence,presence.wpending,vnd-microsoft-roaming-self,vnd-microsoft-provisioning-v2")
            m.h("Supported", "adhoclist")
            self.finish(m, [("Supported", "msrtc-event-categories"), ("Supported", "ms-keepalive-deregister"),
                            ("Supported", "ms-userservices-state-notification"),
                            ("ms-keep-alive", "UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300")])
            # Server header must stay before Content-Length: finish() appended it already
            L.recv(m, self.remote, self.local, sent)
            L.info(f"CUccServerEndpoint::OnRegisterComplete - registered, expires=7200, Call-ID={self.call_id}, "
                   "hr=0x00000000", adv=(1, 5))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> REGISTERED", adv=(0, 2))
            L.trace(f"CUccServerEndpoint::Register - GRUU {self.gruu}", adv=(0, 2))
            return

        if outcome in ("skew", "badcreds"):
            m = self.resp_base("401 Unauthorized", via)
            self.www_auth_initial(m)
            self.resp_tail(m, via)
            if outcome == "skew":
                diag = f'1013;reason="Significant time skew detected during authentication";source="{p.diag_source}"'
            else:
                diag = f'1000;reason="Final handshake failed";source="{p.diag_source}"'
            self.finish(m, [("ms-diagnostics", diag)])
            L.recv(m, self.remote, self.local, sent)
            if outcome == "skew":
                L.trace("CSspiContext::Complete - server rejected authentication, ms-diagnostics=1013", adv=(1, 4))
                L.error("CUccServerEndpoint::OnRegisterComplete - hr=0x80090324", adv=(0, 3))
                L.error("CUccServerEndpoint::OnSignInFailed - Sign-in failed: hr=0x80090324 (SEC_E_TIME_SKEW)",
                        adv=(0, 2))
            else:
                L.trace("CSspiContext::Complete - server rejected authentication, ms-diagnostics=1000", adv=(1, 4))
                L.error("CUccServerEndpoint::OnRegisterComplete - REGISTER rejected after final handshake, hr=0x8009030C",
                        adv=(0, 3))
                L.error("CUccServerEndpoint::OnSignInFailed - Sign-in failed: hr=0x8009030C (SEC_E_LOGON_DENIED)",
                        adv=(0, 2))
                L.trace(f"CUccCredentialManager::OnAuthFailure - marking cached credential for sip:{p.user} as invalid",
                        adv=(0, 3))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> SIGN_IN_FAILED", adv=(0, 2))
            return

        if outcome == "notsip":
            m = self.resp_base("404 Not Found", via)
            m.h("Authentication-Info", self.auth_info())
            self.resp_tail(m, via)
            self.finish(m, [("ms-diagnostics", f'4005;reason="Destination URI either not enabled for SIP or does '
                                               f'not exist";source="{p.diag_source}"')])
            L.recv(m, self.remote, self.local, sent)
            L.error(f"CUccServerEndpoint::OnRegisterComplete - REGISTER failed, status=404 Not Found, "
                    f"Call-ID={self.call_id}", adv=(1, 4))
            L.error(f"CUccServerEndpoint::OnSignInFailed - Sign-in failed for sip:{p.user}, status=404", adv=(0, 2))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> SIGN_IN_FAILED", adv=(0, 2))
            return

        if outcome == "clientver":
            m = self.resp_base("403 Forbidden", via)
            m.h("Authentication-Info", self.auth_info())
            self.resp_tail(m, via)
            self.finish(m, [("ms-diagnostics", f'17002;reason="Invalid protocol client version";'
                                               f'source="{p.diag_source}"')])
            L.recv(m, self.remote, self.local, sent)
            L.error(f"CUccServerEndpoint::OnRegisterComplete - REGISTER failed, status=403 Forbidden, "
                    f"Call-ID={self.call_id}", adv=(1, 4))
            L.error(f"CUccServerEndpoint::OnSignInFailed - Sign-in failed for sip:{p.user}, status=403", adv=(0, 2))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> SIGN_IN_FAILED", adv=(0, 2))
            return
        raise ValueError(outcome)

    def certprov(self, outcome: str) -> None:
        """After the first challenge, the client takes TLS-DSK: it asks the certificate
        provisioning service named by the challenge's sts-uri for its user certificate.
        outcome: certprov-ok (certificate issued, TLS-DSK handshake, 200 OK) | certprov-fail (the
        service's answer cannot be used, no key-container error) | certprov-keyset (the user's key
        container is broken: NTE_BAD_KEYSET, spelled as .NET renders it)."""
        p, L, r = self.p, self.log, self.rng
        L.trace("CUccAuthManager::OnChallenge - schemes offered: NTLM, TLS-DSK, selected TLS-DSK", adv=(1, 5))
        L.trace(f"CUccCertificateManager::FindCertificate - no valid user certificate for sip:{p.user} in the "
                "personal store", adv=(1, 6))
        L.info(f"CCertProvisioning::GetCertificate - POST {p.sts_uri}", adv=(1, 4))
        if outcome == "certprov-ok":
            L.trace("CCertProvisioning::OnComplete - status=200, certificate issued (CN=" + p.user +
                    "), hr=0x00000000", adv=(380, 900))
            L.trace("CUccCertificateManager::PublishCertificate - stored in the personal store, hr=0x00000000",
                    adv=(2, 12))
            gss = base64.b64encode(r.randbytes(96)).decode()
            auth = (f'TLS-DSK qop="auth", realm="{REALM}", targetname="{p.targetname}", '
                    f'gssapi-data="{gss}", version=4')
            req, via = self.register(auth)
            L.send(req, self.remote, self.local)
            sent = L.t
            m = self.resp_base("200 OK", via)
            self.snum += 1
            m.h("Authentication-Info", f'TLS-DSK opaque="{self.opaque}", qop="auth", realm="{REALM}", '
                                       f'targetname="{p.targetname}", snum="{self.snum}", '
                                       f'rspauth="{hexl(r, 16)}", srand="{hexu(r, 8)}", version=4')
            self.resp_tail(m, via)
            m.h("Expires", "7200")
            self.finish(m)
            L.recv(m, self.remote, self.local, sent)
            L.info(f"CUccServerEndpoint::OnRegisterComplete - registered, expires=7200, Call-ID={self.call_id}, "
                   "hr=0x00000000", adv=(1, 5))
            L.trace("CUccServerEndpoint::Register - state change REGISTERING -> REGISTERED", adv=(0, 2))
            return
        if outcome == "certprov-keyset":
            L.trace("CCertProvisioning::OnComplete - status=200, certificate issued (CN=" + p.user + ")",
                    adv=(380, 900))
            L.error("CUccCertificateManager::PublishCertificate - cannot open the private key of the user "
                    "certificate: Keyset does not exist (Exception from HRESULT: 0x80090016)", adv=(2, 12))
        elif outcome == "certprov-fail":
            L.warn("CCertProvisioning::OnComplete - status=200, the issued certificate does not match the "
                   f"sign-in address sip:{p.user}, hr=0x80004005", adv=(380, 900))
        else:
            raise ValueError(outcome)
        L.error("CUccServerEndpoint::OnSignInFailed - Sign-in failed: could not get a user certificate",
                adv=(0, 3))
        L.trace('CUccSignInUI::ShowError - "There was a problem acquiring a personal certificate required to '
                'sign in. If the problem continues, please contact your support team."', adv=(2, 10))
        L.trace("CUccServerEndpoint::Register - state change REGISTERING -> SIGN_IN_FAILED", adv=(0, 2))

    # -- post-registration traffic (healthy) ------------------------------------------------
    def in_dialog_request(self, method: str, target: str, headers: list[tuple[str, str]], body: str,
                          new_call: bool = True) -> tuple[Sip, str, str, str]:
        p, r = self.p, self.rng
        if new_call:
            self.call_id = hexl(r, 32)
            self.tag = hexl(r, 10)
            self.srv_tag = hexu(r, 32)
            self.cseq = 0
        self.cseq += 1
        via = self.via_req()
        m = Sip(f"{method} {target} SIP/2.0")
        m.h("Via", via).h("Max-Forwards", "70").h("From", self.from_hdr())
        to_uri = f"<{target.split(';')[0]}>"
        m.h("To", to_uri).h("Call-ID", self.call_id).h("CSeq", f"{self.cseq} {method}")
        m.h("Contact", f"<{self.gruu}>")
        m.h("User-Agent", p.ua)
        for n, v in headers:
            m.h(n, v)
        m.h("Proxy-Authorization", self.client_auth())
        m.body = body
        m.h("Content-Length", str(len(body.encode("utf-8"))))
        return m, via, to_uri, method

    def simple_exchange(self, method: str, target: str, headers: list[tuple[str, str]], body: str,
                        status: str = "200 OK", resp_headers: list[tuple[str, str]] | None = None,
                        resp_body: str = "", resp_ctype: str | None = None) -> None:
        L = self.log
        m, via, to_uri, meth = self.in_dialog_request(method, target, headers, body)
        L.send(m, self.remote, self.local)
        sent = L.t
        resp = self.resp_base(status, via)
        resp.h("Authentication-Info", self.auth_info())
        self.resp_tail(resp, via, meth, to_uri=to_uri)
        for n, v in resp_headers or []:
            resp.h(n, v)
        if resp_ctype:
            resp.h("Content-Type", resp_ctype)
        resp.body = resp_body
        self.finish(resp)
        L.recv(resp, self.remote, self.local, sent, delay=(40, 180))

    def post_registration(self, contacts: list[tuple[str, str]], missing_contact: str | None,
                          minimal: bool = False) -> None:
        p, L, r = self.p, self.log, self.rng
        d = p.domain
        L.info("CUccProvisioningManager::Subscribe - requesting in-band provisioning", adv=(5, 20))
        prov_req = ('<provisioningGroupList xmlns="http://schemas.microsoft.com/2006/09/sip/provisiongrouplist">'
                    '<provisioningGroup name="ServerConfiguration"/><provisioningGroup name="meetingPolicy"/>'
                    '<provisioningGroup name="ucPolicy"/><provisioningGroup name="userSetting"/>'
                    '<provisioningGroup name="privacyPublicationGrammar"/></provisioningGroupList>')
        prov_resp = ('<provisionGroupList xmlns="http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification">'
                     '\r\n<provisionGroup name="ServerConfiguration">'
                     f'<propertyEntryList><property name="focusFactoryUri">sip:{p.user};gruu;opaque=app:conf:focusfactory</property>'
                     f'<property name="absInternalServerUrl">https://webpool.{d}/abs/handler</property>'
                     '<property name="EnableContextualMessages">False</property></propertyEntryList></provisionGroup>'
                     '\r\n<provisionGroup name="userSetting"><propertyEntryList>'
                     '<property name="EnablePresenceStatePersistence">True</property></propertyEntryList></provisionGroup>'
                     '\r\n</provisionGroupList>')
        self.simple_exchange("SUBSCRIBE", f"sip:{p.user}", [
            ("Event", "vnd-microsoft-provisioning-v2"),
            ("Accept", "application/vnd-microsoft-roaming-provisioning-v2+xml"),
            ("Supported", "com.microsoft.autoextend"), ("Supported", "ms-benotify"), ("Supported", "ms-piggyback-first-notify"),
            ("Expires", "0"),
            ("Content-Type", "application/vnd-microsoft-roaming-provisioning-v2+xml")],
            prov_req, resp_headers=[("Expires", "0"), ("Event", "vnd-microsoft-provisioning-v2")],
            resp_body=prov_resp, resp_ctype="application/vnd-microsoft-roaming-provisioning-v2+xml")
        L.trace("CUccProvisioningManager::OnProvisioningData - 3 groups applied, hr=0x00000000", adv=(2, 10))
        L.trace("CUccPolicyManager::Apply - EnablePresenceStatePersistence=True", adv=(0, 3))

        # roaming contacts
        grp = f'<group id="1" name="~" externalURI=""/>'
        cl = "".join(f'<contact uri="{u}" name="{n}" groups="1" subscribed="true" externalURI=""/>' for u, n in contacts)
        body = (f'<contactList deltaNum="{r.randint(40, 400)}" >{grp}{cl}</contactList>')
        L.info("CUccContactManager::Subscribe - roaming contacts", adv=(3, 15))
        self.simple_exchange("SUBSCRIBE", f"sip:{p.user}", [
            ("Event", "vnd-microsoft-roaming-contacts"), ("Accept", "application/vnd-microsoft-roaming-contacts+xml"),
            ("Supported", "com.microsoft.autoextend"), ("Supported", "ms-benotify"),
            ("Supported", "ms-piggyback-first-notify")], "",
            resp_headers=[("Expires", "28800"), ("Event", "vnd-microsoft-roaming-contacts"),
                          ("subscription-state", "active;expires=28800")],
            resp_body=body, resp_ctype="application/vnd-microsoft-roaming-contacts+xml")
        L.trace(f"CUccContactManager::OnContactList - {len(contacts)} contacts in 1 group", adv=(2, 12))

        if minimal:  # older, shorter session in the .bak: provisioning + contacts + publish only
            self.publish_presence()
            L.info("CUccServerEndpoint::OnSignInComplete - signed in, UI state=Available", adv=(3, 20))
            return

        # roaming self
        L.info("CUccSelfManager::Subscribe - roaming self categories", adv=(2, 10))
        self.simple_exchange("SUBSCRIBE", f"sip:{p.user}", [
            ("Event", "vnd-microsoft-roaming-self"), ("Accept", "application/vnd-microsoft-roaming-self+xml"),
            ("Supported", "com.microsoft.autoextend"), ("Supported", "ms-benotify"),
            ("Content-Type", "application/vnd-microsoft-roaming-self+xml")],
            '<roamingList xmlns="http://schemas.microsoft.com/2006/09/sip/roaming-self"><roaming type="categories"/>'
            '<roaming type="containers"/><roaming type="subscribers"/></roamingList>',
            resp_headers=[("Expires", "28800"), ("Event", "vnd-microsoft-roaming-self"),
                          ("subscription-state", "active;expires=28800")],
            resp_body=f'<roamingData xmlns="http://schemas.microsoft.com/2006/09/sip/roaming-self"><categories uri="sip:{p.user}">'
                      '<category name="note" instance="0" publishTime="2026-10-28T16:02:11.000" container="400" version="3" '
                      'expireType="static"/></categories></roamingData>',
            resp_ctype="application/vnd-microsoft-roaming-self+xml")

        self.publish_presence()
        self.batch_and_notify(contacts)
        self.missing_contact(missing_contact)
        L.info("CUccServerEndpoint::OnSignInComplete - signed in, UI state=Available", adv=(3, 20))
        L.trace("CUccCalendarManager::Start - EWS discovery deferred 30s", adv=(1, 6))

    def publish_presence(self) -> None:
        p, L = self.p, self.log
        L.info("CUccPresenceManager::PublishSelf - availability=3500 (Available)", adv=(2, 10))
        pub = (f'<publish xmlns="http://schemas.microsoft.com/2006/09/sip/rich-presence"><publications uri="sip:{p.user}">'
               '<publication categoryName="state" instance="952049141" container="2" version="0" expireType="endpoint">'
               '<state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'manual="false" xsi:type="machineState"><availability>3500</availability><endpointLocation/></state></publication>'
               '</publications></publish>')
        self.simple_exchange("SERVICE", f"sip:{p.user}", [("Content-Type", "application/msrtc-category-publish+xml")], pub)
        L.trace("CUccPresenceManager::OnPublishComplete - hr=0x00000000", adv=(1, 6))

    def batch_and_notify(self, contacts: list[tuple[str, str]]) -> None:
        p, L, r = self.p, self.log, self.rng

        # batch presence subscription for contacts
        L.info(f"CUccPresenceManager::SubscribeBatch - {len(contacts)} contacts", adv=(3, 12))
        rl = "".join(f'<resource uri="{u}"/>' for u, _ in contacts)
        batch = ('<batchSub xmlns="http://schemas.microsoft.com/2006/01/sip/batch-subscribe" '
                 f'uri="sip:{p.user}" name=""><action name="subscribe" id="{r.randint(10**7, 10**8)}">'
                 '<adhocList>' + rl + '</adhocList><categoryList xmlns="http://schemas.microsoft.com/2006/09/sip/categorylist">'
                 '<category name="calendarData"/><category name="contactCard"/><category name="note"/>'
                 '<category name="state"/></categoryList></action></batchSub>')
        self.simple_exchange("SUBSCRIBE", f"sip:{p.user}", [
            ("Event", "presence"), ("Accept", "application/msrtc-event-categories+xml, "
                                              "application/xpidf+xml, text/xml+msrtc.pidf, application/pidf+xml, "
                                              "application/rlmi+xml, multipart/related"),
            ("Supported", "com.microsoft.autoextend"), ("Supported", "ms-benotify"), ("Supported", "ms-piggyback-first-notify"),
            ("Require", "adhoclist, categoryList"), ("Content-Type", "application/msrtc-adrl-categorylist+xml")],
            batch, resp_headers=[("Expires", "3600"), ("Event", "presence"),
                                 ("subscription-state", "active;expires=3600")])

        # server NOTIFY with a contact's presence, client answers 200 OK
        L.t += timedelta(milliseconds=r.randint(150, 600))
        uri0, _ = contacts[0]
        n = Sip(f"NOTIFY sip:{self.local};transport=tls;ms-opaque={self.ms_opaque};ms-received-cid={self.cid};grid SIP/2.0")
        nvia = f"SIP/2.0/TLS {p.remote_ip}:{p.remote_port};branch=z9hG4bK{hexu(r, 8)}.{hexu(r, 8)};branched=FALSE"
        ntag = self.srv_tag
        n.h("Authentication-Info", self.auth_info())
        n.h("Via", nvia).h("Max-Forwards", "69")
        n.h("From", f"<sip:{p.user}>;tag={ntag}").h("To", f"<sip:{p.user}>;tag={self.tag};epid={self.epid}")
        n.h("Call-ID", self.call_id).h("CSeq", "1 NOTIFY").h("Content-Type", "application/msrtc-event-categories+xml")
        n.h("Event", "presence").h("subscription-state", "active;expires=3600")
        n.body = (f'<categories xmlns="http://schemas.microsoft.com/2006/09/sip/categories" uri="{uri0}">'
                  f'<category name="state" instance="1" publishTime="{L.t - p.tz - p.skew - timedelta(minutes=43):%Y-%m-%dT%H:%M:%S}.403" container="2" version="7">'
                  '<state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xsi:type="aggregateState" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><availability>3500</availability></state>'
                  '</category></categories>')
        n.h("Server", p.server_hdr).h("Content-Length", str(len(n.body.encode())))
        L.recv(n, self.remote, self.local, L.t, delay=(0, 2), date=False)
        L.trace(f"CUccPresenceManager::OnNotify - {uri0} availability=3500", adv=(1, 5))
        ok = Sip("SIP/2.0 200 OK")
        ok.h("Via", nvia).h("From", f"<sip:{p.user}>;tag={ntag}").h("To", f"<sip:{p.user}>;tag={self.tag};epid={self.epid}")
        ok.h("Call-ID", self.call_id).h("CSeq", "1 NOTIFY").h("User-Agent", p.ua).h("Content-Length", "0")
        L.send(ok, self.remote, self.local)

    def missing_contact(self, missing_contact: str | None) -> None:
        p, L = self.p, self.log
        # noise: SUBSCRIBE to an unrelated, no longer existing contact -> 404 (not about this user's sign-in)
        if missing_contact:
            L.info(f"CUccPresenceManager::Subscribe - single subscription for {missing_contact}", adv=(200, 900))
            self.simple_exchange("SUBSCRIBE", missing_contact, [
                ("Event", "presence"), ("Accept", "application/msrtc-event-categories+xml"),
                ("Supported", "ms-benotify"), ("Expires", "3600")], "",
                status="404 Not Found",
                resp_headers=[("ms-diagnostics", '4005;reason="Destination URI either not enabled for SIP or does not '
                                                 f'exist";source="{p.diag_source}"')])
            L.warn(f"CUccPresenceManager::OnSubscribeFailed - {missing_contact}: status=404, contact shown as "
                   "presence unknown", adv=(1, 5))


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


def online_profile(**kw) -> Profile:
    base = dict(server_hdr="RTC/7.0", online=True, remote_port=443, client="sfb2016", ua=UA_SFB2016,
                sts_uri="https://webdir0b.online.lync.com:443/CertProv/CertProvisioningService.svc")
    base.update(kw)
    return Profile(**base)


def tail_noise(s: Session, n: int) -> None:
    L = s.log
    for i in range(n):
        s.keepalive(1)
        if i % 2 == 0:
            L.trace("CUccNetworkMonitor::Poll - connectivity unchanged, hr=0x00000000", tid=L.tid_net, adv=(0, 40))


def log_healthy(p: Profile, with_noise: bool, trust_prompt: str | None = None) -> str:
    rng = random.Random(p.seed)
    L = Log(p, rng)
    s = Session(p, L)
    s.startup()
    s.discovery()
    s.connect()
    if trust_prompt:
        # The client's server-trust question (dialog text as formats.md section 3 quotes it).
        L.info(f'CUccSignInUI::ShowServerTrustPrompt - host={trust_prompt}: "Skype for Business cannot verify that the '
               'server is trusted for your sign-in address. Connect anyway?"', adv=(2, 10))
        L.info("CUccSignInUI::OnServerTrustPromptClosed - user chose Connect, AlwaysTrust=1", adv=(4000, 9000))
    contacts = [(f"sip:juergen.weiss@{p.domain}", "Jürgen Weiß"), (f"sip:lena.mikkelsen@{p.domain}", "Lena Mikkelsen"),
                (f"sip:omar.haddad@{p.domain}", "Omar Haddad")]
    if with_noise:
        s.attempt("503")
        L.t += timedelta(seconds=3, milliseconds=rng.randint(5, 60))
        L.trace("CUccServerEndpoint::OnRetryTimer - retrying registration", tid=L.tid_timer)
        s.new_connection()
        s.connect()
        s.attempt("ok")
        s.post_registration(contacts, f"sip:former.contractor@{p.domain}")
        tail_noise(s, 6)
    else:
        s.attempt("ok")
        s.post_registration(contacts[:2], None, minimal=True)
        tail_noise(s, 2)
    L.info("CUccPlatform::Flush - trace buffer flushed", adv=(100, 900))
    return CRLF.join(L.lines) + CRLF


def log_failing(p: Profile, outcome: str, attempts: int, gap_s: int, non_ascii_display: str | None = None) -> str:
    rng = random.Random(p.seed)
    L = Log(p, rng)
    s = Session(p, L)
    s.startup()
    if non_ascii_display:
        L.trace(f'CUccSelfContact::LoadCache - cached display name "{non_ascii_display}"', adv=(0, 3))
    for i in range(attempts):
        if i:
            L.t += timedelta(seconds=gap_s, milliseconds=rng.randint(-900, 900))
            L.info(f"CUccServerEndpoint::OnRetryTimer - sign-in attempt {i + 1} of {attempts}", tid=L.tid_timer)
            s.startup(first_run=False)
            s.new_connection()
        s.discovery()
        s.connect()
        s.attempt(outcome)
        if outcome == "skew":
            L.trace("CUccSignInUI::ShowError - \"Cannot sign in because your computer clock is not set correctly\"",
                    adv=(2, 10))
        elif outcome == "badcreds":
            L.trace("CUccSignInUI::ShowError - \"The user name, password, or domain appears to be incorrect\"",
                    adv=(2, 10))
            L.info("CUccSignInUI::PromptCredentials - credential dialog shown", adv=(1, 4))
            if i + 1 < attempts:
                L.info("CUccSignInUI::PromptCredentials - user entered new credentials (not logged)", adv=(8000, 20000))
        elif outcome == "notsip":
            L.trace("CUccSignInUI::ShowError - \"Cannot sign in because this sign-in address was not found\"",
                    adv=(2, 10))
        elif outcome == "clientver":
            L.trace("CUccSignInUI::ShowError - \"...the authentication service may be incompatible with this version "
                    "of the program\"", adv=(2, 10))
        L.trace(f"CSIPAsyncSocket::Close - {s.remote} closed by client", tid=L.tid_sip, adv=(5, 40))
    L.info("CUccServerEndpoint::Disable - giving up, endpoint state=SIGN_IN_FAILED", adv=(100, 400))
    L.info("CUccPlatform::Flush - trace buffer flushed", adv=(100, 900))
    return CRLF.join(L.lines) + CRLF


def log_story(p: Profile, steps: list[tuple[datetime, str, timedelta]]) -> str:
    """A client log over several sign-ins: each step starts at its local time with the given clock
    skew and is one of ok | 503ok | skew | badcreds | notsip | dereg | certerr."""
    rng = random.Random(p.seed)
    L = Log(p, rng)
    s = Session(p, L)
    for i, (at, kind, skew) in enumerate(steps):
        p.skew = skew
        L.t = at
        s.startup(first_run=(i == 0))
        if i:
            s.new_connection()
        s.discovery()
        if kind == "certerr":
            L.trace(f"CSIPAsyncSocket::Connect - connecting to {s.remote} (TLS)", tid=L.tid_sip, adv=(1, 6))
            L.trace(f"CSIPAsyncSocket::OnConnect - TCP connected, local {s.local}", tid=L.tid_sip, adv=(15, 70))
            L.error(f"CSIPAsyncSocket::VerifyServerCertificate - subject CN={p.targetname}, chain not trusted, "
                    "hr=0x800B0109 (CERT_E_UNTRUSTEDROOT)", tid=L.tid_sip, adv=(20, 80))
            L.error("CUccServerEndpoint::OnSignInFailed - Sign-in failed: hr=0x800B0109", adv=(0, 3))
            L.trace("CUccServerEndpoint::Register - state change CONNECTING -> SIGN_IN_FAILED", adv=(0, 2))
            continue
        s.connect()
        if kind == "503ok":
            s.attempt("503")
            L.t += timedelta(seconds=3, milliseconds=rng.randint(5, 60))
            L.trace("CUccServerEndpoint::OnRetryTimer - retrying registration", tid=L.tid_timer)
            s.new_connection()
            s.connect()
            kind = "ok"
        s.attempt("ok" if kind == "dereg" else kind)
        if kind in ("ok", "dereg"):
            s.keepalive(2)
        if kind == "dereg":
            # The server signs the user out: a registration NOTIFY with the subscription
            # terminated and a public diagnostic (pidgin-sipe's OCS 2007 example, corpus
            # ms-diagnostics_misc_quotes_1017_2139_21002_4141.txt).
            m = Sip(f"NOTIFY sip:{s.local};transport=tls;ms-opaque={s.ms_opaque} SIP/2.0")
            m.h("ms-user-logon-data", "RemoteUser")
            m.h("Via", f"SIP/2.0/TLS {p.remote_ip}:{p.remote_port};branch=z9hG4bK{hexu(rng, 8)}")
            m.h("From", f"<sip:{p.user}>;tag={hexu(rng, 8)}")
            m.h("To", f"<sip:{p.user}>;tag={s.tag};epid={hexl(rng, 10)}")
            m.h("Call-ID", s.call_id).h("CSeq", "1 NOTIFY")
            m.h("Event", "registration")
            m.h("Subscription-State", "terminated;expires=0")
            m.h("ms-diagnostics-public", '4141;reason="User disabled"')
            m.h("Content-Type", "text/registration-event")
            m.body = "deregistered;event=rejected"
            m.h("Content-Length", str(len(m.body)))
            L.t += timedelta(seconds=rng.randint(40, 90))
            L.recv(m, s.remote, s.local)
            L.info("CUccServerEndpoint::OnDeregistered - server ended the registration, endpoint state=SIGNED_OUT",
                   adv=(1, 5))
    L.info("CUccPlatform::Flush - trace buffer flushed", adv=(100, 900))
    return CRLF.join(L.lines) + CRLF


def log_dns_failure(p: Profile, attempts: int, gap_s: int) -> str:
    """A client that finds no server: every DNS name of automatic configuration fails to
    resolve, so no SIP traffic is ever sent and the client gives up after each attempt."""
    rng = random.Random(p.seed)
    L = Log(p, rng)
    s = Session(p, L)
    s.startup()
    d = p.domain
    for i in range(attempts):
        if i:
            L.t += timedelta(seconds=gap_s, milliseconds=rng.randint(-900, 900))
            L.info(f"CUccServerEndpoint::OnRetryTimer - sign-in attempt {i + 1} of {attempts}", tid=L.tid_timer)
            s.startup(first_run=False)
        L.info(f"CUccAutoDiscovery::Start - domain={d}, mode=automatic", tid=L.tid_net, adv=(1, 4))
        s.dns_lookup(f"lyncdiscoverinternal.{d}", "A", None)
        s.dns_lookup(f"lyncdiscover.{d}", "A", None)
        L.warn(f"CUccAutoDiscovery::OnComplete - no autodiscover service found for {d}, hr=0x8007232B",
               tid=L.tid_net, adv=(1, 6))
        L.info(f"CUccServerDiscovery::Start - domain={d} (DNS SRV and fallback host names)", tid=L.tid_net, adv=(1, 4))
        s.dns_lookup(f"_sipinternaltls._tcp.{d}", "SRV", None)
        s.dns_lookup(f"_sip._tls.{d}", "SRV", None)
        s.dns_lookup(f"sipinternal.{d}", "A", None)
        s.dns_lookup(f"sip.{d}", "A", None)
        s.dns_lookup(f"sipexternal.{d}", "A", None)
        L.error(f"CUccServerEndpoint::Register - no SIP server found for sip:{p.user}, hr=0x8007232B",
                adv=(1, 5))
        L.trace("CUccSignInUI::ShowError - \"Cannot sign in because the server is temporarily unavailable\"",
                adv=(2, 10))
    L.info("CUccServerEndpoint::Disable - giving up, endpoint state=SIGN_IN_FAILED", adv=(100, 400))
    L.info("CUccPlatform::Flush - trace buffer flushed", adv=(100, 900))
    return CRLF.join(L.lines) + CRLF


def csv_field(text: str) -> str:
    """One Event Viewer CSV description field: always quoted, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def eventviewer_csv_fr(domain: str, computer: str, lync_times: list[datetime], spp_time: datetime) -> str:
    """Event Viewer "Save All Events As… CSV" of the Application log on a French Windows:
    French column captions, dd/MM/yyyy 24-hour local dates, CRLF line endings, a sixth
    unnamed quoted description column. The Lync event 3 text is the real English message of
    shared/corpus/excerpts/lync_client_app_events_get-eventlog_json.txt translated to French
    (constructed: no French Lync message was available); the Security-SPP line is noise."""
    rows = ["Niveau,Date et heure,Source,ID de l’événement,Catégorie de la tâche"]
    events = [(t, "Erreur", "Lync", 3, "Aucun",
               f"Lync n’a pas pu résoudre le nom d’hôte DNS du serveur de connexion sip.{domain}.\r\n\r\n\r\n\r\n"
               "Résolution :\r\n\r\nSi vous utilisez la configuration manuelle de Communicator, vérifiez que le nom "
               "du serveur est entré correctement et en entier.  Si vous utilisez la configuration automatique, "
               "l’administrateur réseau doit vérifier la configuration de l’enregistrement DNS A de "
               f"sip.{domain}, car il n’a pas pu être résolu.") for t in lync_times]
    events.append((spp_time, "Informations", "Microsoft-Windows-Security-SPP", 16384, "Aucun",
                   "Planification réussie du redémarrage du service de protection logicielle à "
                   f"{spp_time + timedelta(days=1):%Y-%m-%dT%H:%M:%S}Z. Raison : RulesEngine."))
    for t, level, source, eid, task, message in sorted(events, key=lambda e: e[0], reverse=True):
        rows.append(f"{level},{t:%d/%m/%Y %H:%M:%S},{source},{eid},{task},{csv_field(message)}")
    return CRLF.join(rows) + CRLF


def wevtutil_text(domain: str, computer: str, events: list[tuple[datetime, str, int, str, str, str]]) -> str:
    """`wevtutil qe System /f:text` on an older build (local ISO dates without a zone, as in
    shared/corpus/excerpts/wevtutil_text_en_wlms_tryhackme.txt): English labels, French values
    and descriptions (constructed translations of the real English texts of
    windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt)."""
    out = []
    for n, (t, source, eid, task, level, description) in enumerate(events):
        out += [f"Event[{n}]:",
                "  Log Name: System",
                f"  Source: {source}",
                f"  Date: {t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}",
                f"  Event ID: {eid}",
                f"  Task: {task}",
                f"  Level: {level}",
                "  Opcode: Informations",
                "  Keyword: N/A",
                "  User: S-1-5-19" if source.endswith("Time-Service") else "  User: N/A",
                "  User Name: AUTORITE NT\\SERVICE LOCAL" if source.endswith("Time-Service") else "  User Name: N/A",
                f"  Computer: {computer}.{domain}",
                "  Description: ",
                description,
                ""]
    return CRLF.join(out)


# --------------------------------------------------------------------------------------------
# Zip writing (deterministic)
# --------------------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes], dirs: bool = True) -> bytes:
    names = set(members)
    if dirs:
        for n in list(members):
            parts = n.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                names.add("/".join(parts[:i]) + "/")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(names):
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.create_system = 0                      # MS-DOS / Windows "compressed folder"
            if name.endswith("/"):
                zi.external_attr = 0x10               # FILE_ATTRIBUTE_DIRECTORY
                zi.compress_type = zipfile.ZIP_STORED
                z.writestr(zi, b"")
            else:
                zi.external_attr = 0x20               # FILE_ATTRIBUTE_ARCHIVE
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, members[name])
    return buf.getvalue()


def write_zip(name: str, members: dict[str, bytes]) -> Path:
    path = HERE / name
    path.write_bytes(zip_bytes(members))
    return path


def ipconfig_text(host: str, ip: str, gw: str, when: datetime) -> str:
    def long_date(d: datetime) -> str:
        full = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][d.weekday()]
        mon = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"][d.month - 1]
        h12 = d.hour % 12 or 12
        return f"{full}, {mon} {d.day}, {d.year} {h12}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"

    obtained = when
    lines = [
        "",
        "Windows IP Configuration",
        "",
        f"   Host Name . . . . . . . . . . . . : {host}",
        "   Primary Dns Suffix  . . . . . . . : ",
        "   Node Type . . . . . . . . . . . . : Hybrid",
        "   IP Routing Enabled. . . . . . . . : No",
        "   WINS Proxy Enabled. . . . . . . . : No",
        "   DNS Suffix Search List. . . . . . : home.lan",
        "",
        "Ethernet adapter Ethernet:",
        "",
        "   Connection-specific DNS Suffix  . : home.lan",
        "   Description . . . . . . . . . . . : Intel(R) Ethernet Connection (4) I219-LM",
        "   Physical Address. . . . . . . . . : 54-E1-AD-3F-9C-21",
        "   DHCP Enabled. . . . . . . . . . . : Yes",
        "   Autoconfiguration Enabled . . . . : Yes",
        "   Link-local IPv6 Address . . . . . : fe80::8d4c:2b1e:77a0:c3f1%12(Preferred) ",
        f"   IPv4 Address. . . . . . . . . . . : {ip}(Preferred) ",
        "   Subnet Mask . . . . . . . . . . . : 255.255.255.0",
        f"   Lease Obtained. . . . . . . . . . : {long_date(obtained)}",
        f"   Lease Expires . . . . . . . . . . : {long_date(obtained + timedelta(days=1))}",
        f"   Default Gateway . . . . . . . . . : {gw}",
        f"   DHCP Server . . . . . . . . . . . : {gw}",
        "   DHCPv6 IAID . . . . . . . . . . . : 106226093",
        "   DHCPv6 Client DUID. . . . . . . . : 00-01-00-01-2A-6B-11-F0-54-E1-AD-3F-9C-21",
        f"   DNS Servers . . . . . . . . . . . : {gw}",
        "   NetBIOS over Tcpip. . . . . . . . : Enabled",
        "",
        "Wireless LAN adapter Wi-Fi:",
        "",
        "   Media State . . . . . . . . . . . : Media disconnected",
        "   Connection-specific DNS Suffix  . : ",
        "   Description . . . . . . . . . . . : Intel(R) Dual Band Wireless-AC 8265",
        "   Physical Address. . . . . . . . . : 9C-B6-D0-0E-41-7A",
        "   DHCP Enabled. . . . . . . . . . . : Yes",
        "   Autoconfiguration Enabled . . . . : Yes",
        "",
    ]
    return CRLF.join(lines)


# --------------------------------------------------------------------------------------------
# PowerShell transcripts, console captures and Windows command output
# --------------------------------------------------------------------------------------------
# The connector error texts follow the wording the connector article quotes
# (shared/corpus/excerpts/powershell_sfbo_connector_errors_officedocs.txt, formats.md section 4);
# the French one follows the French article's translation (seed 002). The transcript header,
# the error-record layout (At line / CategoryInfo / FullyQualifiedErrorId) and the command output
# layouts are standard Windows PowerShell 5.1 / Windows 10 output, rebuilt from memory, not copied
# from a real machine. Hosts, users and addresses are invented.

MODULE_DIR = r"C:\Program Files\Common Files\Skype for Business Online\Modules\SkypeOnlineConnector"


def wrap_words(text: str, width: int, indent: str = "") -> list[str]:
    """Word-wrap like a transcript: break at spaces, long words split at the width."""
    out, line = [], ""
    for word in text.split(" "):
        cand = word if not line else f"{line} {word}"
        if len(cand) <= width:
            line = cand
            continue
        if line:
            out.append(line)
        while len(word) > width:
            out.append(word[:width])
            word = word[width:]
        line = indent + word if out else word
    if line:
        out.append(line)
    return out


def wrap_hard(text: str, width: int) -> list[str]:
    """Cut like a console window copied with the mouse: every `width` characters, mid-word."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def ps_error(message: str, position: list[str], category: str, fqid: str, width: int, hard: bool) -> list[str]:
    wrap = (lambda t: wrap_hard(t, width)) if hard else (lambda t: wrap_words(t, width))
    lines = wrap(message) + position
    lines += wrap(f"    + CategoryInfo          : {category}")
    lines += wrap(f"    + FullyQualifiedErrorId : {fqid}")
    return lines


def ps_header(user: str, machine: str, start: datetime, pid: int) -> list[str]:
    return [
        "**********************",
        "Windows PowerShell transcript start",
        f"Start time: {start:%Y%m%d%H%M%S}",
        f"Username: {user}",
        f"RunAs User: {user}",
        "Configuration Name: ",
        f"Machine: {machine} (Microsoft Windows NT 10.0.19045.0)",
        r"Host Application: C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        f"Process ID: {pid}",
        "PSVersion: 5.1.19041.3570",
        "PSEdition: Desktop",
        "PSCompatibleVersions: 1.0, 2.0, 3.0, 4.0, 5.0, 5.1.19041.3570",
        "BuildVersion: 10.0.19041.3570",
        "CLRVersion: 4.0.30319.42000",
        "WSManStackVersion: 3.0",
        "PSRemotingProtocolVersion: 2.3",
        "SerializationVersion: 1.1.0.1",
        "**********************",
    ]


def transcript(user: str, machine: str, start: datetime, pid: int, body: list[str], end: datetime) -> str:
    home = "C:\\Users\\" + user.split("\\")[-1]
    lines = ps_header(user, machine, start, pid)
    lines.append(f"Transcript started, output file is {home}\\Documents\\PowerShell_transcript.{machine}."
                 f"{pid:x}.{start:%Y%m%d%H%M%S}.txt")
    lines += [ln.replace("{HOME}", home) for ln in body]
    lines += [f"PS {home}> Stop-Transcript", "**********************", "Windows PowerShell transcript end",
              f"End time: {end:%Y%m%d%H%M%S}", "**********************"]
    return CRLF.join(lines) + CRLF


def connect_block(home_prompt: str, error: list[str], via: str = "New-CsOnlineSession") -> list[str]:
    return [
        f"{home_prompt} Import-Module SkypeOnlineConnector",
        f"{home_prompt} $cred = Get-Credential",
        "",
        "cmdlet Get-Credential at command pipeline position 1",
        "Supply values for the following parameters:",
        "Credential",
        f"{home_prompt} $s = {via} -Credential $cred -Verbose",
        "VERBOSE: Determining domain admin",
        "VERBOSE: Admin Domain was successfully determined",
        "VERBOSE: Requesting token from Live ID",
    ] + error


def connector_error(cmdlet: str, text: str, category: str, fqid: str, width: int = 120, hard: bool = False,
                    line_ref: str = f"At {MODULE_DIR}\\SkypeOnlineConnectorStartup.psm1:149 char:16") -> list[str]:
    position = wrap_words(line_ref, width) + ["+ ...            $webTicket = Get-CsWebTicket @params",
                                              "+                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"]
    return ps_error(f"{cmdlet} : {text}", position, category, fqid, width, hard)


def session_error(text: str, fqid: str, connecting: bool, host: str = "admin1a.online.lync.com",
                  width: int = 120, hard: bool = False, verb: str = "New-PSSession") -> list[str]:
    lead = (f"[{host}] Connecting to remote server {host} failed with the following error message : " if connecting
            else f"[{host}] Processing data from remote server {host} failed with the following error message: ")
    position = wrap_words(f"At {MODULE_DIR}\\SkypeOnlineConnectorStartup.psm1:175 char:16", width) + [
        "+ ...   $session = New-PSSession -Name $psSessionName -ConnectionUri $Con ...",
        "+                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"]
    return ps_error(f"{verb} : {lead}{text}", position,
                    "OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) [New-PSSession], "
                    "PSRemotingTransportException", fqid, width, hard)


def nslookup_query(cmd_prompt: str, query: str, server: tuple[str, str], answer: list[str]) -> list[str]:
    return [f"{cmd_prompt}nslookup {query}", f"Server:  {server[0]}", f"Address:  {server[1]}", ""] + answer + [""]


def nx(server: str, name: str) -> list[str]:
    return [f"*** {server} can't find {name}: Non-existent domain"]


def winhttp(proxy: str | None) -> str:
    lines = ["", "Current WinHTTP proxy settings:", ""]
    if proxy:
        lines += [f"    Proxy Server(s) :  {proxy}", "    Bypass List     :  <local>"]
    else:
        lines += ["    Direct access (no proxy server)."]
    return CRLF.join(lines + [""]) + CRLF


def systeminfo(host: str, zone: str, boot: datetime) -> str:
    lines = [
        "",
        f"Host Name:                 {host}",
        "OS Name:                   Microsoft Windows 10 Enterprise",
        "OS Version:                10.0.19045 N/A Build 19045",
        "OS Manufacturer:           Microsoft Corporation",
        "OS Configuration:          Member Workstation",
        "System Type:               x64-based PC",
        f"System Boot Time:          {boot:%m/%d/%Y, %I:%M:%S %p}",
        "System Locale:             en-us;English (United States)",
        "Input Locale:              en-us;English (United States)",
        f"Time Zone:                 {zone}",
        "Total Physical Memory:     16,204 MB",
        "Logon Server:              \\\\NWT-DC01",
        "",
    ]
    return CRLF.join(lines)


def reg_export(domains: str) -> bytes:
    text = CRLF.join([
        "Windows Registry Editor Version 5.00",
        "",
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Communicator]",
        f'"TrustModelData"="{domains}"',
        '"EnableTracing"=dword:00000001',
        "",
        "",
    ])
    return b"\xff\xfe" + text.encode("utf-16-le")    # regedit exports UTF-16LE with a BOM


def utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def bom8(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def connector_samples() -> list[Path]:
    written = []
    t0 = datetime(2026, 11, 12, 14, 5, 21)
    home = "PS {HOME}>"

    # ps-execution-policy: transcript, UTF-16LE (Out-File / redirection default in Windows PowerShell 5.1)
    body = [
        f"{home} Import-Module SkypeOnlineConnector",
    ] + ps_error(f"Import-Module : File {MODULE_DIR}\\SkypeOnlineConnectorStartup.psm1 cannot be loaded because "
                 "running scripts is disabled on this system. For more information, see about_Execution_Policies at "
                 "https:/go.microsoft.com/fwlink/?LinkID=135170.",
                 ["At line:1 char:1", "+ Import-Module SkypeOnlineConnector",
                  "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"],
                 "SecurityError: (:) [Import-Module], PSSecurityException",
                 "UnauthorizedAccess,Microsoft.PowerShell.Commands.ImportModuleCommand", 120, False) + [
        f"{home} Get-ExecutionPolicy",
        "Restricted",
    ]
    written.append(write_zip("ps-execution-policy.zip", {
        "PowerShell_transcript.NWT-ADM-02.txt": utf16(transcript(r"NORTHWIND\megan.b", "NWT-ADM-02", t0, 5120, body,
                                                                   t0 + timedelta(minutes=2, seconds=9))),
    }))

    # ps-version: a PowerShell 2.0 console window copied with the mouse (hard-wrapped at 80 columns)
    lines = ["PS C:\\Users\\tom.k> $PSVersionTable.PSVersion", "", "Major  Minor  Build  Revision",
             "-----  -----  -----  --------", "2      0      -1     -1", "",
             "PS C:\\Users\\tom.k> Import-Module LyncOnlineConnector"]
    lines += ps_error("Import-Module : The version of the loaded PowerShell is '2.0'. The module 'C:\\Program Files\\"
                      "Common Files\\Microsoft Lync Server 2013\\Modules\\LyncOnlineConnector\\LyncOnlineConnector.psd1'"
                      " requires a minimum PowerShell version of '3.0' to execute. Please verify the installation of "
                      "the PowerShell and try again.",
                      wrap_hard("At line:1 char:14", 80) + wrap_hard("+ Import-Module <<<<  LyncOnlineConnector", 80),
                      "ResourceUnavailable: (LyncOnlineConnector.psd1:String) [Import-Module], "
                      "InvalidOperationException",
                      "Modules_InsufficientPowerShellVersion,Microsoft.PowerShell.Commands.ImportModuleCommand",
                      80, True)
    lines += ["", "PS C:\\Users\\tom.k>"]
    written.append(write_zip("ps-version.zip", {
        "console-copy.txt": (CRLF.join(lines) + CRLF).encode("utf-8"),
    }))

    # winrm-basic-auth-disabled: transcript, UTF-16LE
    body = connect_block(home, session_error(
        "The WinRM client cannot process the request. Basic authentication is currently disabled in the client "
        "configuration. Change the client configuration and try the request again. For more information, see the "
        "about_Remote_Troubleshooting Help topic.", "-2144108321,PSSessionOpenFailed", True)) + [
        f"{home} winrm get winrm/config/client/auth",
        "Auth",
        "    Basic = false [Source=\"GPO\"]",
        "    Digest = true",
        "    Kerberos = true",
        "    Negotiate = true",
        "    Certificate = true",
        "    CredSSP = false",
    ]
    t = t0 + timedelta(days=1, hours=1, minutes=12)
    written.append(write_zip("winrm-basic-auth-disabled.zip", {
        "transcripts/sfbo-connect.txt": utf16(transcript(r"NORTHWIND\megan.b", "NWT-ADM-02", t, 6012, body,
                                                         t + timedelta(minutes=3, seconds=40))),
    }))

    # liveid-connect-failed: transcript, UTF-8 with BOM
    body = [f"{home} Get-Service msoidsvc", "", "Status   Name               DisplayName",
            "------   ----               -----------",
            "Running  msoidsvc           Microsoft Online Services Sign-in A...", ""]
    body += connect_block(home, connector_error(
        "Get-CsWebTicket", "Failed to connect live id servers. Make sure proxy is enabled or machine has network "
        "connection to live id servers.", "NotSpecified: (:) [Get-CsWebTicket], WebTicketException",
        "Microsoft.Rtc.Management.Hosted.Online.Models.WebTicketException"))
    t = t0 + timedelta(days=2, minutes=47)
    written.append(write_zip("liveid-connect-failed.zip", {
        "Admin/transcript.txt": bom8(transcript(r"LITWARE\it.ops", "LIT-MGMT-01", t, 3312, body,
                                                t + timedelta(minutes=1, seconds=5))),
    }))

    # liveid-module-missing: console window copied at 120 columns (hard wrap)
    lines = ["PS C:\\Users\\it.ops> Get-Service msoidsvc"]
    lines += ps_error("Get-Service : Cannot find any service with service name 'msoidsvc'.",
                      ["At line:1 char:1", "+ Get-Service msoidsvc", "+ ~~~~~~~~~~~~~~~~~~~~"],
                      "ObjectNotFound: (msoidsvc:String) [Get-Service], ServiceCommandException",
                      "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand", 120, True)
    lines += ["", "PS C:\\Users\\it.ops> $s = New-CsOnlineSession -Credential $cred"]
    lines += connector_error("Get-CsWebTicket", "Can not load Live Id module. Make sure correct version of Live Id "
                             "Sign-in assistant is installed.",
                             "NotSpecified: (:) [Get-CsWebTicket], WebTicketException",
                             "Microsoft.Rtc.Management.Hosted.Online.Models.WebTicketException", 120, True)
    lines += ["", "PS C:\\Users\\it.ops>"]
    written.append(write_zip("liveid-module-missing.zip", {
        "console.txt": (CRLF.join(lines) + CRLF).encode("utf-8"),
    }))

    # ps-logon-failed: transcript, UTF-16LE, two tries
    err = connector_error("Get-CsWebTicket", "Logon failed for the user 'admin@tailspintoys.onmicrosoft.com'. Please "
                          "create a new PSCredential object, making sure that you have used the correct user name and "
                          "password.", "NotSpecified: (:) [Get-CsWebTicket], WebTicketException",
                          "Microsoft.Rtc.Management.Hosted.Online.Models.WebTicketException")
    body = connect_block(home, err) + [f"{home} $s = New-CsOnlineSession -Credential $cred"] + err
    t = t0 + timedelta(days=3, hours=-4, minutes=2)
    written.append(write_zip("ps-logon-failed.zip", {
        "PowerShell_transcript.TST-ADMIN.txt": utf16(transcript(r"TAILSPIN\pieter.d", "TST-ADMIN", t, 9188, body,
                                                                 t + timedelta(minutes=4, seconds=51))),
    }))

    # ps-no-tenant-permission: French console capture (fr-FR Windows), UTF-8
    lines = ["PS C:\\Users\\julie.m> $s = New-CsOnlineSession -Credential $cred"]
    lines += wrap_words("New-PSSession : [admin3e.online.lync.com] le traitement des données à partir du serveur "
                        "distant admin3e.online.lync.com a échoué avec le message d’erreur suivant : l’utilisateur "
                        "'julie.martin@fourthcoffee.fr' n’est pas autorisé à gérer ce client. Les autorisations "
                        "peuvent être accordées en attribuant l’utilisateur au rôle RBAC approprié.", 120)
    lines += [f"Au caractère {MODULE_DIR}\\SkypeOnlineConnectorStartup.psm1:175 : 16",
              "    + CategoryInfo          : OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) "
              "[New-PSSession], PSRemotingTransportException",
              "    + FullyQualifiedErrorId : -2144108477,PSSessionOpenFailed", "", "PS C:\\Users\\julie.m>"]
    written.append(write_zip("ps-no-tenant-permission.zip", {
        "capture-console.txt": (CRLF.join(lines) + CRLF).encode("utf-8"),
    }))

    # ps-remote-access-disabled: transcript, UTF-8 with BOM
    body = connect_block(home, session_error(
        "The ability to connect to this tenant by using a remote PowerShell session has been disabled. Please contact "
        "Lync Help to check Tenant Powershell Policy of this tenant. For more information, see the "
        "about_Remote_Troubleshooting Help topic.", "-2144108477,PSSessionOpenFailed", False))
    t = t0 + timedelta(days=5, hours=2, minutes=33)
    written.append(write_zip("ps-remote-access-disabled.zip", {
        "transcript-2026-11-17.txt": bom8(transcript(r"WINGTIP\renee.c", "WTT-ADM", t, 4410, body,
                                                     t + timedelta(minutes=1, seconds=48))),
    }))

    # ps-max-shells-user: transcript, UTF-16LE; three sessions already open
    body = [f"{home} Get-PSSession", "",
            " Id Name            ComputerName    ComputerType    State         ConfigurationName     Availability",
            " -- ----            ------------    ------------    -----         -----------------     ------------"]
    for i in range(1, 4):
        body.append(f"  {i} SfBPowerShell... admin1a.onli... RemoteMachine   Opened        Microsoft.PowerShell     "
                    "Available")
    body.append("")
    body += connect_block(home, session_error(
        "The WS-Management service cannot process the request. The maximum number of concurrent shells for this user "
        "has been exceeded. Close existing shells or raise the quota for this user. For more information, see the "
        "about_Remote_Troubleshooting Help topic.", "-2144108090,PSSessionOpenFailed", True))
    t = t0 + timedelta(days=6, hours=-1, minutes=19)
    written.append(write_zip("ps-max-shells-user.zip", {
        "transcripts/PowerShell_transcript.NWT-ADM-02.txt": utf16(transcript(
            r"NORTHWIND\megan.b", "NWT-ADM-02", t, 7784, body, t + timedelta(minutes=2, seconds=2))),
    }))

    # ps-max-shells-tenant: console window copied at 120 columns (hard wrap), UTF-8
    lines = ["PS C:\\Scripts> .\\Nightly-SfBReport.ps1"]
    lines += session_error(
        "The WS-Management service cannot process the request. The maximum number of concurrent shells for this "
        "tenant has been exceeded. Close existing shells or raise the quota for this tenant. For more information, see "
        "the about_Remote_Troubleshooting Help topic.", "-2144108090,PSSessionOpenFailed", True, hard=True)
    lines += ["", "PS C:\\Scripts>"]
    written.append(write_zip("ps-max-shells-tenant.zip", {
        "nightly-report-console.txt": (CRLF.join(lines) + CRLF).encode("utf-8"),
    }))
    return written


def network_samples(profiles: dict[str, Profile]) -> list[Path]:
    written = []
    cmd = "C:\\Users\\ajohnson>"
    local = ("ws-dc01.woodgrovebank.com", "10.30.0.10")

    # dns-cname-missing: MOSDAL-style network diagnostics, no sip CNAME for the domain
    d = "woodgrovebank.com"
    ns = CRLF.join(
        nslookup_query(cmd, f"-type=CNAME sip.{d}", local, nx(local[0], f"sip.{d}"))
        + nslookup_query(cmd, f"lyncdiscover.{d}", local, nx(local[0], f"lyncdiscover.{d}"))
        + nslookup_query(cmd, f"-type=SRV _sip._tls.{d}", local, nx(local[0], f"_sip._tls.{d}"))
        + nslookup_query(cmd, f"sipinternal.{d}", local, nx(local[0], f"sipinternal.{d}"))
        + nslookup_query(cmd, "sipdir.online.lync.com", local,
                         ["Non-authoritative answer:", "Name:    sipdir.online.lync.com", "Address:  52.112.64.12"])
    ) + CRLF
    written.append(write_zip("dns-cname-missing.zip", {
        "MOSDAL_WGB-LT-0088_20261118/Network_Diagnostics/nslookup.txt": ns.encode("ascii"),
        "MOSDAL_WGB-LT-0088_20261118/Network_Diagnostics/ipconfig.txt":
            ipconfig_text("WGB-LT-0088", "10.30.7.88", "10.30.7.1", datetime(2026, 11, 18, 7, 40, 2)).encode("ascii"),
        "MOSDAL_WGB-LT-0088_20261118/Network_Diagnostics/proxy.txt": winhttp(None).encode("ascii"),
    }))

    # dns-propagation: the new records answer at the DNS host, not yet at the company resolver
    d = "fourthcoffee.com"
    inner = ("dc1.corp.fourthcoffee.com", "10.50.0.5")
    auth = ("ns1.dnshost-example.net", "203.0.113.53")
    ns = CRLF.join(
        nslookup_query(cmd, f"-type=CNAME sip.{d}", inner, nx(inner[0], f"sip.{d}"))
        + nslookup_query(cmd, f"-type=CNAME sip.{d} {auth[0]}", auth,
                         [f"sip.{d}\tcanonical name = sipdir.online.lync.com"])
        + nslookup_query(cmd, f"-type=CNAME lyncdiscover.{d}", inner, nx(inner[0], f"lyncdiscover.{d}"))
        + nslookup_query(cmd, f"-type=CNAME lyncdiscover.{d} {auth[0]}", auth,
                         [f"lyncdiscover.{d}\tcanonical name = webdir.online.lync.com"])
    ) + CRLF
    written.append(write_zip("dns-propagation.zip", {
        "dns-checks.txt": ns.encode("ascii"),
        "notes.txt": b"Domain fourthcoffee.com added to the tenant yesterday evening; records created at the DNS host "
                     b"this morning.\r\n",
    }))

    # msoidsvc-blocked: WinHTTP proxy + the Sign-In Assistant endpoint unreachable
    tnc = [
        "PS C:\\Users\\ajohnson> Test-NetConnection login.microsoftonline.com -Port 443",
        "WARNING: TCP connect to (20.190.151.68 : 443) failed",
        "WARNING: Ping to 20.190.151.68 failed with status: TimedOut",
        "",
        "",
        "ComputerName           : login.microsoftonline.com",
        "RemoteAddress          : 20.190.151.68",
        "RemotePort             : 443",
        "InterfaceAlias         : Ethernet",
        "SourceAddress          : 10.30.7.88",
        "PingSucceeded          : False",
        "PingReplyDetails (RTT) : 0 ms",
        "TcpTestSucceeded       : False",
        "",
        "",
        "PS C:\\Users\\ajohnson> Get-Service msoidsvc",
        "",
        "Status   Name               DisplayName",
        "------   ----               -----------",
        "Running  msoidsvc           Microsoft Online Services Sign-in A...",
        "",
    ]
    t = datetime(2026, 11, 18, 8, 2, 40)
    written.append(write_zip("msoidsvc-blocked.zip", {
        "Network/winhttp-proxy.txt": winhttp("proxy.woodgrovebank.com:8080").encode("ascii"),
        "Network/connectivity.txt": utf16(transcript(r"WOODGROVE\ajohnson", "WGB-LT-0088", t, 2264, tnc,
                                                     t + timedelta(seconds=58))),
    }))

    # trustmodeldata-missing: the policy value lists other domains, not the user's
    p = profiles["trust"]
    written.append(write_zip("trustmodeldata-missing.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_healthy(p, False).encode("utf-8"),
        "Registry/Communicator-policies.reg": reg_export("contoso.com,litwareinc.com"),
    }))

    # untrusted-server-prompt: the client asked the user, and the policy value lacks the domain
    p = profiles["prompt"]
    written.append(write_zip("untrusted-server-prompt.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_healthy(p, False, trust_prompt="sipdir.online.lync.com").encode("utf-8"),
        "Registry/Communicator-policies.reg": reg_export("fabrikam.com"),
    }))

    # healthy with noise: every command output present and fine, an admin session that worked
    p = profiles["healthy"]
    d = p.domain
    dns = ("nwt-dc01.corp.northwindtraders.com", "10.20.0.10")
    ns = CRLF.join(
        nslookup_query(cmd, f"sip.{d}", dns, ["Non-authoritative answer:",
                                              "Name:    sipdir.online.lync.com.trafficmanager.net",
                                              "Address:  52.112.64.12",
                                              f"Aliases:  sip.{d}",
                                              "          sipdir.online.lync.com"])
        + nslookup_query(cmd, f"lyncdiscover.{d}", dns, ["Non-authoritative answer:",
                                                         "Name:    webdir.online.lync.com",
                                                         "Addresses:  52.112.196.40",
                                                         "          52.112.196.41",
                                                         f"Aliases:  lyncdiscover.{d}"])
        + nslookup_query(cmd, f"-type=SRV _sip._tls.{d}", dns, [
            f"_sip._tls.{d}\tSRV service location:", "          priority       = 100", "          weight         = 1",
            "          port           = 443", "          svr hostname   = sipdir.online.lync.com"])
        + nslookup_query(cmd, f"lyncdiscoverinternal.{d}", dns, nx(dns[0], f"lyncdiscoverinternal.{d}"))
        + nslookup_query(cmd, f"sipinternal.{d}", dns, nx(dns[0], f"sipinternal.{d}"))
    ) + CRLF
    admin = [
        "PS {HOME}> Import-Module SkypeOnlineConnector",
        "PS {HOME}> $s = New-CsOnlineSession -Credential $cred",
        "PS {HOME}> Import-PSSession $s -AllowClobber | Out-Null",
        f"PS {{HOME}}> Get-CsOnlineUser -Identity {p.user} | Select-Object SipAddress, Enabled",
        "",
        "SipAddress                                 Enabled",
        "----------                                 -------",
        f"sip:{p.user:<38} True",
        "",
        "PS {HOME}> Get-CsOnlineUser -Identity former.contractor@" + d,
    ] + ps_error(f"Get-CsOnlineUser : Management object not found for identity \"former.contractor@{d}\".",
                 ["At line:1 char:1", f"+ Get-CsOnlineUser -Identity former.contractor@{d}",
                  "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"],
                 f"NotSpecified: (former.contractor@{d}:UserIdParameter) [Get-CsOnlineUser], ManagementException",
                 "Microsoft.Rtc.Management.AD.ManagementException,Microsoft.Rtc.Management.AD.Cmdlets.GetOcsUserCmdlet",
                 120, False) + ["PS {HOME}> Remove-PSSession $s"]
    t = datetime(2026, 11, 10, 9, 12, 4)
    written.append(write_zip("healthy-with-noise.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_healthy(p, True).encode("utf-8"),
        "Diagnostics/nslookup.txt": ns.encode("ascii"),
        "Diagnostics/winhttp.txt": winhttp(None).encode("ascii"),
        "Diagnostics/systeminfo.txt": systeminfo(p.computer, "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, "
                                                 "Vienna", datetime(2026, 11, 10, 7, 58, 31)).encode("ascii"),
        "Diagnostics/ipconfig.txt": ipconfig_text(p.computer, p.local_ip, "10.20.4.1",
                                                  datetime(2026, 11, 10, 7, 59, 2)).encode("ascii"),
        "Diagnostics/Communicator-policies.reg": reg_export(f"{d},contoso.com"),
        "Admin/PowerShell_transcript.txt": utf16(transcript(r"NORTHWIND\megan.b", "NWT-ADM-02", t, 1880, admin,
                                                            t + timedelta(minutes=3))),
        "readme.txt": b"All good now, sending the logs you asked for anyway. - Adele\r\n",
    }))
    return written


def log_certprov_ok(p: Profile) -> str:
    """A healthy first sign-in on a new machine: the client gets its user certificate from the
    provisioning service the challenge names and signs in with TLS-DSK."""
    rng = random.Random(p.seed)
    L = Log(p, rng)
    s = Session(p, L)
    s.startup()
    s.discovery()
    s.connect()
    s.attempt("certprov-ok")
    s.post_registration([(f"sip:megan.bowen@{p.domain}", "Megan Bowen")], None, minimal=True)
    tail_noise(s, 2)
    L.info("CUccPlatform::Flush - trace buffer flushed", adv=(100, 900))
    return CRLF.join(L.lines) + CRLF


def certificate_samples() -> list[Path]:
    """personal-certificate, corrupt-credentials and their healthy twin: the TLS-DSK challenge
    of uccapilog_401_tlsdsk_certprov_leoncon.txt (sts-uri …/CertProv/CertProvisioningService.svc)
    followed by the client's certificate request. Client-log component lines are invented; the
    NTE_BAD_KEYSET spelling, the Schannel 36870 text and the Kerberos 14 text follow
    eventtext_keyset_does_not_exist_0x80090016_and_schannel_36870.txt and
    windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt (36870 with "client"
    for "server": constructed)."""
    written = []
    common = dict(targetname="sippoolam30e02.infra.lync.com", diag_source="sippoolam30e02.infra.lync.com",
                  remote_ip="52.112.88.31", public_ip="62.216.14.90", tz=timedelta(hours=1), skew=timedelta(0),
                  sts_uri="https://webdir0a-ext.online.lync.com:443/CertProv/CertProvisioningService.svc")
    pc = online_profile(user="nestor.wilke@relecloud.com", local_ip="10.12.5.61", pid="2B94",
                        start=datetime(2026, 11, 25, 8, 4, 51, 118000), seed=1101, computer="RC-LT-0061",
                        subnet="10.12.5.0", **common)
    # personal-certificate: the same failure after the user's address changed; the client log
    # (rotated, so it still holds last week's session) shows a healthy sign-in under the old
    # address, then the failed certificate step under the new one.
    old = online_profile(user="nestor.wilke@relecloud-old.com", local_ip="10.12.5.61", pid="1A2C",
                         start=datetime(2026, 11, 18, 8, 1, 12, 440000), seed=1104, computer="RC-LT-0061",
                         subnet="10.12.5.0", **common)
    new = online_profile(**{**pc.__dict__, "seed": 1105})
    written.append(write_zip("personal-certificate.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": (log_healthy(old, False) + log_failing(new, "certprov-fail", 2, 40))
        .encode("utf-8"),
    }))
    written.append(write_zip("certprov-failed.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_failing(pc, "certprov-fail", 2, 40).encode("utf-8"),
    }))
    cc = online_profile(user="alex.wilber@relecloud.com", local_ip="10.12.5.77", pid="1E08",
                        start=datetime(2026, 11, 25, 9, 31, 7, 402000), seed=1102, computer="RC-LT-0077",
                        subnet="10.12.5.0", **common)
    t = cc.start + timedelta(seconds=2)
    private_key = ("A fatal error occurred when attempting to access the TLS client credential private key. The "
                   "error code returned from the cryptographic module is 0x8009030D. The internal error state is "
                   "10001.")
    vault = ("The password stored in Credential Manager is invalid. This might be caused by the logged on user "
             "changing the password from this computer or a different computer. To resolve this error, open "
             "Credential Manager in Control Panel, and reenter the password for the credential RELECLOUD\\awilber.")
    system = [(t - timedelta(hours=1, minutes=12), "Microsoft-Windows-Security-Kerberos", 14, "Aucun", "Avertissement",
               vault),
              (t, "Schannel", 36870, "Aucun", "Erreur", private_key),
              (t + timedelta(seconds=41), "Schannel", 36870, "Aucun", "Erreur", private_key)]
    written.append(write_zip("corrupt-credentials.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_failing(cc, "certprov-keyset", 2, 40).encode("utf-8"),
        "EventLogs/System.txt": wevtutil_text(cc.domain, cc.computer, system).encode("utf-8"),
    }))
    ok = online_profile(user="patti.fernandez@relecloud.com", local_ip="10.12.5.80", pid="0D5C",
                        start=datetime(2026, 11, 25, 10, 2, 40, 9000), seed=1103, computer="RC-LT-0080",
                        subnet="10.12.5.0", **common)
    written.append(write_zip("certprov-healthy.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_certprov_ok(ok).encode("utf-8"),
    }))
    return written


def clock_event_samples() -> list[Path]:
    """clock-skew from Windows events alone, and its negative twin. Texts: Kerberos 3 and
    Kernel-General 1 constructed from their message templates (Windows puts left-to-right marks
    inside the Kernel-General dates); Time-Service 129 verbatim from
    windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt; 134 constructed; 4771 in
    the layout of wevtutil_text_en_security4799_htb.txt."""
    written = []
    domain, computer = "margiestravel.com", "MT-LT-0342"
    t0 = datetime(2026, 11, 26, 8, 2, 14, 318000)
    lrm = "\u200e"

    def iso(t: datetime) -> str:
        return lrm + f"{t:%Y}" + lrm + "-" + lrm + f"{t:%m}" + lrm + "-" + lrm + f"{t:%d}T%s" % (
            f"{t:%H:%M:%S}.{t.microsecond:06d}000Z")

    def krb3(t: datetime) -> str:
        return ("A Kerberos error message was received:\r\n on logon session MARGIESTRAVEL.COM\\ryan.gill\r\n"
                " Client Time: \r\n"
                f" Server Time: {(t - timedelta(minutes=7, seconds=42)):%H:%M:%S}.0000 {t:%m/%d/%Y} Z\r\n"
                " Error Code: 0x25 KRB_AP_ERR_SKEW\r\n Extended Error: \r\n Client Realm: \r\n Client Name: \r\n"
                " Server Realm: MARGIESTRAVEL.COM\r\n Server Name: HTTP/sts.margiestravel.com\r\n"
                " Target Name: HTTP/sts.margiestravel.com@MARGIESTRAVEL.COM\r\n Error Text: \r\n File: 9\r\n"
                " Line: 12be\r\n Error Data is in record data.")
    no_peer = ("NtpClient was unable to set a domain peer to use as a time source because of discovery error. "
               "NtpClient will try again in 15 minutes and double the reattempt interval thereafter. The error was: "
               "The entry is not found. (0x800706E1)")
    no_source = ("The time provider NtpClient cannot reach or is currently receiving invalid time data from "
                 f"DC02.{domain} (ntp.d|0.0.0.0:123->10.6.0.12:123).")
    fixed = t0 + timedelta(minutes=9)
    jump = (f"The system time has changed to {iso(fixed - timedelta(minutes=7, seconds=42))} from {iso(fixed)}."
            "\r\n\r\nChange Reason: An application or system component changed the time.")
    system = [(t0 - timedelta(minutes=50), "Microsoft-Windows-Time-Service", 129, "None", "Warning", no_peer),
              (t0 - timedelta(minutes=35), "Microsoft-Windows-Time-Service", 134, "None", "Warning", no_source),
              (t0, "Microsoft-Windows-Security-Kerberos", 3, "None", "Error", krb3(t0)),
              (t0 + timedelta(seconds=64), "Microsoft-Windows-Security-Kerberos", 3, "None", "Error",
               krb3(t0 + timedelta(seconds=64))),
              (fixed, "Microsoft-Windows-Kernel-General", 1, "None", "Information", jump)]
    written.append(write_zip("clock-skew-events.zip", {
        "EventLogs/System.txt": wevtutil_text(domain, computer, system).encode("utf-8"),
    }))
    system_ok = [(t0 - timedelta(minutes=50), "Microsoft-Windows-Time-Service", 129, "None", "Warning", no_peer),
                 (t0 - timedelta(minutes=35), "Microsoft-Windows-Time-Service", 134, "None", "Warning", no_source),
                 (t0 + timedelta(minutes=15), "Microsoft-Windows-Time-Service", 129, "None", "Warning", no_peer)]
    # A domain controller's Security log attached by the admin (wevtutil text, English): 4771
    # pre-authentication failures with failure code 0x25 for the user's account, and an
    # unrelated 4771 with 0x18 (a wrong password) for another account.
    def dc4771(n: int, t: datetime, account: str, ip: str, code: str) -> list[str]:
        return [f"Event[{n}]:", "  Log Name: Security", "  Source: Microsoft-Windows-Security-Auditing",
                f"  Date: {t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}", "  Event ID: 4771",
                "  Task: Kerberos Authentication Service", "  Level: Information", "  Opcode: Info",
                "  Keyword: Audit Failure", "  User: N/A", "  User Name: N/A", f"  Computer: DC01.{domain}",
                "  Description: ", "Kerberos pre-authentication failed.", "", "Account Information:",
                f"\tSecurity ID:\t\tMARGIESTRAVEL\\{account}", f"\tAccount Name:\t\t{account}", "",
                "Service Information:", "\tService Name:\t\tkrbtgt/MARGIESTRAVEL.COM", "",
                "Network Information:", f"\tClient Address:\t\t::ffff:{ip}", "\tClient Port:\t\t50231", "",
                "Additional Information:", "\tTicket Options:\t\t0x40810010", f"\tFailure Code:\t\t{code}",
                "\tPre-Authentication Type:\t2", ""]
    dc = (dc4771(0, t0 - timedelta(minutes=7, seconds=30), "ryan.gill", "10.6.4.42", "0x25")
          + dc4771(1, t0 - timedelta(minutes=6, seconds=2), "ryan.gill", "10.6.4.42", "0x25")
          + dc4771(2, t0 - timedelta(minutes=3), "svc-backup", "10.6.0.31", "0x18"))
    written.append(write_zip("dc-kerberos-skew.zip", {"DC01/Security-4771.txt": (CRLF.join(dc) + CRLF).encode("utf-8")}))
    written.append(write_zip("time-service-offline.zip", {
        "EventLogs/System.txt": wevtutil_text(domain, computer, system_ok).encode("utf-8"),
    }))
    return written

# --------------------------------------------------------------------------------------------
# Connector transcripts from a German and a Japanese Windows (issue 10)
# --------------------------------------------------------------------------------------------
# What PowerShell prints itself is localized: the transcript banner, the position line ("In
# Zeile:1 Zeichen:1", "発生場所 行:1 文字:1"), the VERBOSE prefix ("AUSFÜHRLICH:", "詳細:"), the
# Get-Credential prompt, the execution-policy and version errors, WinRM's client errors, the
# "Connecting to remote server … failed" wrapper and the WS-Management quota texts. The connector
# module's Get-CsWebTicket messages and the remote service's texts stay English. The German
# execution-policy text and CategoryInfo "Sicherheitsfehler", the Japanese one and "セキュリティ
# エラー … 、PSSecurityException" follow real consoles quoted in public READMEs; the German
# WS-Management quota texts follow Microsoft's German connector article; the rest are
# constructed translations in Windows' usual wording.

def columns(text: str) -> int:
    return sum(2 if ord(c) >= 0x1100 and (0x1100 <= ord(c) <= 0x115F or 0x2E80 <= ord(c) <= 0xA4CF
                                          or 0xAC00 <= ord(c) <= 0xD7A3 or 0xF900 <= ord(c) <= 0xFAFF
                                          or 0xFE30 <= ord(c) <= 0xFE4F or 0xFF00 <= ord(c) <= 0xFF60
                                          or 0xFFE0 <= ord(c) <= 0xFFE6) else 1 for c in text)


def wrap_columns(text: str, width: int) -> list[str]:
    """Cut like a Japanese console: at the window width in display columns (wide characters take
    two), mid-word; a wide character that does not fit moves to the next line."""
    out, line, n = [], "", 0
    for c in text:
        w = columns(c)
        if n + w > width:
            out.append(line)
            line, n = "", 0
        line += c
        n += w
    out.append(line)
    return out


LOCALE = {
    "de": dict(
        start="Start der Windows PowerShell-Aufzeichnung", start_time="Startzeit", user="Benutzername",
        runas="RunAs-Benutzer", config="Konfigurationsname", machine="Computer", host="Hostanwendung",
        pid="Prozess-ID", end="Ende der Windows PowerShell-Aufzeichnung", end_time="Endzeit",
        started='Die Aufzeichnung wurde gestartet. Die Ausgabedatei ist "{path}".',
        verbose="AUSFÜHRLICH:",
        cred=["Cmdlet Get-Credential an der Befehlspipelineposition 1", "Geben Sie Werte für die folgenden Parameter an:",
              "Credential"],
        at_line="In Zeile:{line} Zeichen:{col}", at_path="In {path}:{line} Zeichen:{col}",
        security="Sicherheitsfehler: (:) [Import-Module], PSSecurityException",
        exec_policy=('Die Datei "{path}" kann nicht geladen werden, da die Ausführung von Skripts auf diesem System '
                     'deaktiviert ist. Weitere Informationen finden Sie unter "about_Execution_Policies" '
                     '(https:/go.microsoft.com/fwlink/?LinkID=135170).'),
        version=('Die Version der geladenen PowerShell ist "2.0". Für das Modul "{path}" ist mindestens '
                 'PowerShell-Version "3.0" erforderlich. Überprüfen Sie die Installation von PowerShell, und '
                 'versuchen Sie es erneut.'),
        connecting='[{host}] Beim Verbinden mit dem Remoteserver "{host}" ist folgender Fehler aufgetreten: ',
        processing='[{host}] Beim Verarbeiten der Daten vom Remoteserver "{host}" ist folgender Fehler aufgetreten: ',
        help=' Weitere Informationen finden Sie im Hilfethema "about_Remote_Troubleshooting".',
        basic=("Der WinRM-Client kann die Anforderung nicht verarbeiten. Die Standardauthentifizierung ist in der "
               "Clientkonfiguration zurzeit deaktiviert. Ändern Sie die Clientkonfiguration, und wiederholen Sie die "
               "Anforderung."),
        shells_user=("Die Anforderung kann vom WS-Verwaltungsdienst nicht verarbeitet werden. Die maximale Anzahl von "
                     "gleichzeitigen Shells für diesen Benutzer wurde überschritten. Schließen Sie bestehende Shells, "
                     "oder erhöhen Sie die Quote für diesen Benutzer."),
        shells_tenant=("Die Anforderung kann vom WS-Verwaltungsdienst nicht verarbeitet werden. Die maximale Anzahl von "
                       "gleichzeitigen Shells für diesen Mandanten wurde überschritten. Schließen Sie bestehende "
                       "Shells, oder erhöhen Sie die Quote für diesen Mandanten."),
        no_service='Es wurde kein Dienst mit dem Dienstnamen "msoidsvc" gefunden.',
        sep=", ", user_name=r"FABRIKAM\jonas.weber", machine_name="FAB-ADM-07", home=r"C:\Users\jonas.weber",
        admin="jonas.weber@fabrikam.de",
    ),
    "ja": dict(
        start="Windows PowerShell トランスクリプト開始", start_time="開始時刻", user="ユーザー名",
        runas="RunAs ユーザー", config="構成名", machine="コンピューター", host="ホスト アプリケーション",
        pid="プロセス ID", end="Windows PowerShell トランスクリプト終了", end_time="終了時刻",
        started="トランスクリプトが開始されました。出力ファイル: {path}",
        verbose="詳細:",
        cred=["コマンド パイプライン位置 1 のコマンドレット Get-Credential", "次のパラメーターに値を指定してください:",
              "Credential"],
        at_line="発生場所 行:{line} 文字:{col}", at_path="発生場所 {path}:{line} 文字:{col}",
        security="セキュリティ エラー: (: ) [Import-Module]、PSSecurityException",
        exec_policy=("このシステムではスクリプトの実行が無効になっているため、ファイル {path} を読み込むことができません。"
                     "詳細については、「about_Execution_Policies」(https:/go.microsoft.com/fwlink/?LinkID=135170) "
                     "を参照してください。"),
        version=("読み込まれた PowerShell のバージョンは '2.0' です。モジュール '{path}' を実行するには、PowerShell "
                 "のバージョン '3.0' 以降が必要です。PowerShell のインストールを確認してから、もう一度実行してください。"),
        connecting="[{host}] リモート サーバー {host} への接続に失敗しました。次のエラー メッセージが返されました: ",
        processing="[{host}] リモート サーバー {host} からのデータの処理が失敗しました。次のエラー メッセージが返されました: ",
        help=" 詳細については、about_Remote_Troubleshooting のヘルプ トピックを参照してください。",
        basic=("WinRM クライアントは要求を処理できません。現在、クライアント構成で基本認証が無効になっています。"
               "クライアント構成を変更してから、要求を再試行してください。"),
        shells_user=("WS-Management サービスは要求を処理できません。このユーザーの同時シェルの最大数を超過しています。"
                     "既存のシェルを閉じるか、このユーザーのクォータを増やしてください。"),
        shells_tenant=("WS-Management サービスは要求を処理できません。このテナントの同時シェルの最大数を超過しています。"
                       "既存のシェルを閉じるか、このテナントのクォータを増やしてください。"),
        no_service="サービス名 'msoidsvc' のサービスが見つかりません。",
        sep="、", user_name=r"TAILSPIN\kenji.sato", machine_name="TST-ADM-03", home=r"C:\Users\kenji.sato",
        admin="kenji.sato@tailspintoys.co.jp",
    ),
}

LYNC_MODULE_DIR = r"C:\Program Files\Common Files\Microsoft Lync Server 2013\Modules\LyncOnlineConnector"


def localized_connector_samples() -> list[Path]:
    written = []
    for lang, L in LOCALE.items():
        wrap = (lambda t, w=120: wrap_columns(t, w)) if lang == "ja" else (lambda t, w=120: wrap_words(t, w))
        home = L["home"]
        prompt = f"PS {home}>"

        def err(message: str, position: list[str], category: str, fqid: str) -> list[str]:
            lines = wrap(message) + position
            lines += wrap(f"    + CategoryInfo          : {category}")
            lines += wrap(f"    + FullyQualifiedErrorId : {fqid}")
            return lines

        def at_path(script: str, line: int, col: int, code: str) -> list[str]:
            return wrap(L["at_path"].format(path=script, line=line, col=col)) + [
                f"+ ...  {code}", "+        " + "~" * min(len(code), 60)]

        startup = f"{MODULE_DIR}\\SkypeOnlineConnectorStartup.psm1"

        def web_ticket(text: str) -> list[str]:
            return err(f"Get-CsWebTicket : {text}", at_path(startup, 149, 16, "$webTicket = Get-CsWebTicket @params"),
                       f"NotSpecified: (:) [Get-CsWebTicket]{L['sep']}WebTicketException",
                       "Microsoft.Rtc.Management.Hosted.Online.Models.WebTicketException")

        def session(text: str, connecting: bool, fqid: str) -> list[str]:
            lead = (L["connecting"] if connecting else L["processing"]).format(host="admin1a.online.lync.com")
            return err(f"New-PSSession : {lead}{text}{L['help']}",
                       at_path(startup, 175, 16, "$session = New-PSSession -Name $psSessionName -ConnectionUri $Con ..."),
                       f"OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) [New-PSSession]{L['sep']}"
                       "PSRemotingTransportException", fqid)

        def connect(error: list[str]) -> list[str]:
            return [f"{prompt} Import-Module SkypeOnlineConnector", f"{prompt} $cred = Get-Credential", ""] + L["cred"] + [
                f"{prompt} $s = New-CsOnlineSession -Credential $cred -Verbose",
                f"{L['verbose']} Determining domain admin",
                f"{L['verbose']} Admin Domain was successfully determined",
                f"{L['verbose']} Requesting token from Live ID"] + error

        import_line = [f"{prompt} Import-Module SkypeOnlineConnector"]
        bodies = {
            "ps-execution-policy": import_line + err(
                "Import-Module : " + L["exec_policy"].format(path=startup),
                [L["at_line"].format(line=1, col=1), "+ Import-Module SkypeOnlineConnector",
                 "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"], L["security"],
                "UnauthorizedAccess,Microsoft.PowerShell.Commands.ImportModuleCommand") + [
                f"{prompt} Get-ExecutionPolicy", "Restricted"],
            "ps-version": [f"{prompt} $PSVersionTable.PSVersion", "", "Major  Minor  Build  Revision",
                           "-----  -----  -----  --------", "2      0      -1     -1", "",
                           f"{prompt} Import-Module LyncOnlineConnector"] + err(
                "Import-Module : " + L["version"].format(path=f"{LYNC_MODULE_DIR}\\LyncOnlineConnector.psd1"),
                [L["at_line"].format(line=1, col=14), "+ Import-Module <<<<  LyncOnlineConnector"],
                f"ResourceUnavailable: (LyncOnlineConnector.psd1:String) [Import-Module]{L['sep']}"
                "InvalidOperationException",
                "Modules_InsufficientPowerShellVersion,Microsoft.PowerShell.Commands.ImportModuleCommand"),
            "winrm-basic-auth-disabled": connect(session(L["basic"], True, "-2144108321,PSSessionOpenFailed")) + [
                f"{prompt} winrm get winrm/config/client/auth", "Auth", "    Basic = false [Source=\"GPO\"]",
                "    Digest = true", "    Kerberos = true", "    Negotiate = true", "    Certificate = true",
                "    CredSSP = false"],
            "liveid-connect-failed": [f"{prompt} Get-Service msoidsvc", "", "Status   Name               DisplayName",
                                      "------   ----               -----------",
                                      "Running  msoidsvc           Microsoft Online Services Sign-in A...", ""]
            + connect(web_ticket("Failed to connect live id servers. Make sure proxy is enabled or machine has "
                                 "network connection to live id servers.")),
            "liveid-module-missing": [f"{prompt} Get-Service msoidsvc"] + err(
                f"Get-Service : {L['no_service']}",
                [L["at_line"].format(line=1, col=1), "+ Get-Service msoidsvc", "+ ~~~~~~~~~~~~~~~~~~~~"],
                f"ObjectNotFound: (msoidsvc:String) [Get-Service]{L['sep']}ServiceCommandException",
                "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand")
            + [""] + connect(web_ticket("Can not load Live Id module. Make sure correct version of Live Id Sign-in "
                                        "assistant is installed.")),
            "ps-logon-failed": connect(web_ticket(f"Logon failed for the user '{L['admin']}'. Please create a new "
                                                  "PSCredential object, making sure that you have used the correct "
                                                  "user name and password.")),
            "ps-no-tenant-permission": connect(session(
                f"The user '{L['admin']}' does not have permission to manage this tenant. Permissions can be granted "
                "by assigning the user to the appropriate RBAC role.", False, "-2144108477,PSSessionOpenFailed")),
            "ps-remote-access-disabled": connect(session(
                "The ability to connect to this tenant by using a remote PowerShell session has been disabled. Please "
                "contact Lync Help to check Tenant Powershell Policy of this tenant.", False,
                "-2144108477,PSSessionOpenFailed")),
            "ps-max-shells-user": connect(session(L["shells_user"], True, "-2144108090,PSSessionOpenFailed")),
            "ps-max-shells-tenant": connect(session(L["shells_tenant"], True, "-2144108090,PSSessionOpenFailed")),
        }
        members = {}
        t0 = datetime(2026, 11, 27, 9, 12, 5) if lang == "de" else datetime(2026, 11, 27, 17, 40, 33)
        for k, (cause, body) in enumerate(bodies.items()):
            start = t0 + timedelta(minutes=23 * k, seconds=7 * k)
            end = start + timedelta(minutes=1, seconds=30 + k)
            pid = 4100 + 37 * k
            tag = f"{(0x9A3C51E7 * (k + 1)) & 0xFFFFFFFF:08x}"[:8]
            name = f"PowerShell_transcript.{L['machine_name']}.{tag}.{start:%Y%m%d%H%M%S}.txt"
            path = f"{home}\\Documents\\{start:%Y%m%d}\\{name}"
            header = ["**********************", L["start"], f"{L['start_time']}: {start:%Y%m%d%H%M%S}",
                      f"{L['user']}: {L['user_name']}", f"{L['runas']}: {L['user_name']}", f"{L['config']}: ",
                      f"{L['machine']}: {L['machine_name']} (Microsoft Windows NT 10.0.19045.0)",
                      f"{L['host']}: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                      f"{L['pid']}: {pid}", "PSVersion: 5.1.19041.3570", "PSEdition: Desktop",
                      "PSCompatibleVersions: 1.0, 2.0, 3.0, 4.0, 5.0, 5.1.19041.3570",
                      "BuildVersion: 10.0.19041.3570", "CLRVersion: 4.0.30319.42000", "WSManStackVersion: 3.0",
                      "PSRemotingProtocolVersion: 2.3", "SerializationVersion: 1.1.0.1", "**********************",
                      L["started"].format(path=path)]
            footer = [f"{prompt} Stop-Transcript", "**********************", L["end"],
                      f"{L['end_time']}: {end:%Y%m%d%H%M%S}", "**********************"]
            text = CRLF.join(header + body + footer) + CRLF
            # Windows PowerShell 5.1 writes transcripts in UTF-8 with a BOM.
            members[f"{cause}/{start:%Y%m%d}/{name}"] = bom8(text)
        written.append(write_zip(f"connector-{lang}.zip", members))

    # Negative twin: a German admin connects, lists users, and mistypes one name.
    L = LOCALE["de"]
    home = L["home"]
    prompt = f"PS {home}>"
    start = datetime(2026, 11, 27, 15, 2, 41)
    body = [f"{prompt} Import-Module SkypeOnlineConnector", f"{prompt} $cred = Get-Credential", ""] + L["cred"] + [
        f"{prompt} $s = New-CsOnlineSession -Credential $cred", f"{prompt} Import-PSSession $s -AllowClobber", "",
        "ModuleType Version    Name                                ExportedCommands",
        "---------- -------    ----                                ----------------",
        "Script     1.0        tmp_4fkq2mzx.xsr                    {Clear-CsOnlineTelephoneNumberReservation, ...}",
        "", f"{prompt} Get-CsOnlineUser -Identity lena.kraus@fabrikam.de"] + wrap_words(
        "Get-CsOnlineUser : Management object not found for identity \"lena.kraus@fabrikam.de\".", 120) + [
        "In Zeile:1 Zeichen:1", "+ Get-CsOnlineUser -Identity lena.kraus@fabrikam.de",
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "    + CategoryInfo          : NotSpecified: (:) [Get-CsOnlineUser], ManagementException",
        "    + FullyQualifiedErrorId : Microsoft.Rtc.Management.AD.ManagementException,Microsoft.Rtc.Management.AD.Cmdlets.GetOcsUserCmdlet",
        "    + PSComputerName        : admin1a.online.lync.com",
        f"{prompt} Remove-PSSession $s"]
    name = f"PowerShell_transcript.{L['machine_name']}.5be0c2a4.{start:%Y%m%d%H%M%S}.txt"
    header = ["**********************", L["start"], f"{L['start_time']}: {start:%Y%m%d%H%M%S}",
              f"{L['user']}: {L['user_name']}", f"{L['runas']}: {L['user_name']}", f"{L['config']}: ",
              f"{L['machine']}: {L['machine_name']} (Microsoft Windows NT 10.0.19045.0)",
              f"{L['host']}: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
              f"{L['pid']}: 6620", "PSVersion: 5.1.19041.3570", "PSEdition: Desktop", "**********************",
              L["started"].format(path=f"{home}\\Documents\\{start:%Y%m%d}\\{name}")]
    footer = [f"{prompt} Stop-Transcript", "**********************", L["end"],
              f"{L['end_time']}: {start + timedelta(minutes=4):%Y%m%d%H%M%S}", "**********************"]
    written.append(write_zip("connector-de-healthy.zip", {
        f"{start:%Y%m%d}/{name}": bom8(CRLF.join(header + body + footer) + CRLF)}))
    return written

def localized_dns_samples() -> list[Path]:
    """nslookup on a German and a Japanese Windows (labels `Nicht autorisierende Antwort:`,
    `Aliase:`, `名前:`, `権限のない回答:`; the German `***` line names the queried name before the
    server), and a German negative twin whose sip CNAME is right. The layout follows the
    English samples (standard nslookup output rebuilt by hand); the localized labels are the
    ones formats.md and issue 10 name."""
    written = []
    d = "example-bank.de"
    server = ("dc01.corp.example-bank.de", "10.1.0.10")
    prompt = "C:\\Users\\m.schmidt>"

    def q(query: str, answer: list[str]) -> list[str]:
        return [f"{prompt}nslookup {query}", f"Server:  {server[0]}", f"Address:  {server[1]}", ""] + answer + [""]

    def nx_de(name: str) -> list[str]:
        return [f"*** {name} wurde von {server[0]} nicht gefunden: Non-existent domain."]

    ns = CRLF.join(
        q(f"-type=CNAME sip.{d}", nx_de(f"sip.{d}"))
        + q(f"lyncdiscover.{d}", nx_de(f"lyncdiscover.{d}"))
        + q(f"-type=SRV _sip._tls.{d}", nx_de(f"_sip._tls.{d}"))
        + q(f"sipinternal.{d}", nx_de(f"sipinternal.{d}"))
        + q("sipdir.online.lync.com", ["Nicht autorisierende Antwort:", "Name:    sipdir.online.lync.com",
                                       "Address:  52.112.64.12"])
    ) + CRLF
    # Windows console output redirected to a file on a German machine: code page 850.
    written.append(write_zip("dns-cname-missing-de.zip", {"Netzwerk/nslookup.txt": ns.encode("cp850")}))
    ok = CRLF.join(
        q(f"sip.{d}", ["Nicht autorisierende Antwort:", "Name:    sipdir.online.lync.com.",
                       "Address:  52.112.64.12", f"Aliase:  sip.{d}"])
        + q(f"lyncdiscover.{d}", ["Nicht autorisierende Antwort:", "Name:    webdir.online.lync.com",
                                  "Addresses:  52.112.64.2", "          52.112.64.3", f"Aliase:  lyncdiscover.{d}"])
        + q(f"sipinternal.{d}", nx_de(f"sipinternal.{d}"))
    ) + CRLF
    written.append(write_zip("dns-ok-de.zip", {"Netzwerk/nslookup.txt": ok.encode("cp850")}))
    d = "example-shoji.co.jp"
    jserver = ("UnKnown", "192.168.10.1")
    jprompt = "C:\\Users\\tanaka>"

    def jq(query: str, answer: list[str]) -> list[str]:
        return [f"{jprompt}nslookup {query}", f"サーバー:  {jserver[0]}", f"Address:  {jserver[1]}", ""] + answer + [""]

    def nx_ja(name: str) -> list[str]:
        return [f"*** {jserver[0]} が {name} を見つけられません: Non-existent domain"]

    ns = CRLF.join(
        jq(f"-type=CNAME sip.{d}", nx_ja(f"sip.{d}"))
        + jq(f"lyncdiscover.{d}", nx_ja(f"lyncdiscover.{d}"))
        + jq("sipdir.online.lync.com", ["権限のない回答:", "名前:    sipdir.online.lync.com", "Address:  52.112.64.12"])
    ) + CRLF
    # Redirected on a Japanese machine: code page 932 (Shift_JIS).
    written.append(write_zip("dns-cname-missing-ja.zip", {"network/nslookup.txt": ns.encode("cp932")}))
    return written

def usculture_csv_samples() -> list[Path]:
    """`Get-EventLog -LogName Application -Source Lync | Export-Csv -UseCulture` on a German
    Windows: `;` as the delimiter, `dd.MM.yyyy HH:mm:ss` local dates, property names as the
    header (PowerShell does not localize them), the event message in German around the
    English technical data (layout of lync_client_app_events_get-eventlog_json.txt's event 11).
    The German message wording is a constructed translation. Negative twin: event 11 whose
    Response Data holds only the progress report and the client's 51004 of the real excerpt."""
    written = []
    header = ['#TYPE System.Diagnostics.EventLogEntry#Application/Lync/11',
              '"EventID";"MachineName";"Data";"Index";"Category";"CategoryNumber";"EntryType";"Message";"Source";'
              '"ReplacementStrings";"InstanceId";"TimeGenerated";"TimeWritten";"UserName";"Site";"Container"']

    def row(index: int, when: datetime, response: str) -> str:
        msg = ("Eine SIP-Anforderung von Lync ist auf unerwartete Weise fehlgeschlagen (Statuscode 80090324). "
               "Weitere Informationen sind in den folgenden technischen Daten enthalten:\r\n\r\n"
               "RequestUri:   sip:contoso-gmbh.de\r\nFrom:         sip:anna.klein@contoso-gmbh.de;tag=9a1c015fa0\r\n"
               "To:           sip:anna.klein@contoso-gmbh.de\r\nCall-ID:      8d2f0c1e9a7b4c3d8a1f\r\n\r\n"
               f"Response Data:\r\n\r\n{response}\r\n\r\n\r\nLösung:\r\n\r\n"
               "Wenn dieser Fehler weiterhin auftritt, wenden Sie sich an den Netzwerkadministrator.")
        stamp = f"{when:%d.%m.%Y %H:%M:%S}"
        return (f'"11";"PC-0412.contoso-gmbh.de";"System.Byte[]";"{index}";"(0)";"0";"Warning";'
                f'"{msg.replace(chr(34), chr(34) * 2)}";"Lync";"System.String[]";"2147483659";"{stamp}";"{stamp}";;;')
    t0 = datetime(2026, 11, 30, 8, 47, 12)
    skew = ('401  Unauthorized\r\nms-diagnostics:  1013;reason="Significant time skew detected during '
            'authentication";source="sippoolam30e02.infra.lync.com"')
    rows = [row(48211 + k, t0 + timedelta(seconds=66 * k), skew) for k in range(3)]
    written.append(write_zip("clock-skew-csv-de.zip", {
        "Ereignisse/Lync-Anwendung.csv": bom8(CRLF.join(header + rows) + CRLF)}))
    ok = ('101  Progress Report\r\nms-diagnostics:  13004;reason="Request was proxied to one or more registered '
          'endpoints";source="sippoolam30e02.infra.lync.com";Count="1";appName="InboundRouting"\r\n\r\n\r\n'
          '0  (null)\r\n(null):  51004; reason="Action initiated by user";OriginalPresenceState="3000"')
    rows = [row(48300, t0, ok)]
    written.append(write_zip("lync-events-csv-de-healthy.zip", {
        "Ereignisse/Lync-Anwendung.csv": bom8(CRLF.join(header + rows) + CRLF)}))
    return written

def signin_assistant_samples() -> list[Path]:
    """Microsoft Online Services Sign-in Assistant traces (`C:\\MSOTrace\\msoidsvctrace{GUID}.txt`):
    the `<PID,TID,HH:MM:SS:mmm>: ` prefix, `## SOAP Request:` / `## SOAP Response:` markers and
    `WinHttpQueryHeaders returns …` lines of idcrl_msoidsvc_trace_format_supportarticles.txt; the
    fault for a wrong password (wst:FailedAuthentication, 0x80048821, "Error validating
    credentials") as formats-addendum.md gives it. Other lines and the SOAP bodies (shortened)
    are constructed."""
    written = []

    def trace(pid: int, tid: int, start: datetime, lines: list[str]) -> bytes:
        out, t = [], start
        for k, line in enumerate(lines):
            t += timedelta(milliseconds=7 + 13 * k)
            stamp = f"{t:%H:%M:%S}:{t.microsecond // 1000:03d}"
            first, *rest = line.split("\n")
            out.append(f"<{pid},{tid},{stamp}>: {first}")
            out += rest
        return (CRLF.join(out) + CRLF).encode("utf-8")

    request = ("## SOAP Request: <s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>"
               "<wsa:To>https://login.microsoftonline.com:443/RST2.srf</wsa:To></s:Header><s:Body>…</s:Body>"
               "</s:Envelope>")
    common = ["IDCRL: InitializeEx called, version 7.250.4556.0",
              "IDCRL: LogonIdentityEx for user megan.bowen@relecloud.com, policy MBI_SSL",
              "WinHttpSendRequest to https://login.microsoftonline.com:443/RST2.srf", request]
    bad = common + [
        "WinHttpQueryHeaders returns 500",
        "## SOAP Response:\n<S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\"><S:Body><S:Fault><S:Code>"
        "<S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:FailedAuthentication</S:Value></S:Subcode></S:Code>"
        "\n<S:Reason><S:Text xml:lang=\"en-US\">Authentication Failure</S:Text></S:Reason><S:Detail><psf:error>"
        "<psf:value>0x80048821</psf:value><psf:internalerror><psf:code>0x80041012</psf:code>"
        "\n<psf:text>Error validating credentials. </psf:text></psf:internalerror></psf:error></S:Detail>"
        "</S:Fault></S:Body></S:Envelope>",
        "IDCRL: LogonIdentityEx failed, hr = 0x80048821",
        "GetAuthStateEx results: authState (0x80048800), requestStatus (0x80048821)"]
    written.append(write_zip("msoidsvc-bad-password.zip", {
        "MSOTrace/msoidsvctrace{5E3B2A61-0C4D-4F7A-9B2E-7D1C8A6F4E20}.txt":
            trace(4120, 3876, datetime(2026, 11, 28, 9, 20, 30, 512000), bad)}))
    proxy = common + [
        "WinHttpQueryHeaders returns 407",
        "WinHttpSendRequest to https://login.microsoftonline.com:443/RST2.srf (retry with proxy credentials)",
        "WinHttpQueryHeaders returns 200",
        "## SOAP Response:\n<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Your request to "
        "login.microsoftonline.com was blocked by the web gateway.</body></html>",
        "IDCRL: the response is not a SOAP envelope"]
    written.append(write_zip("msoidsvc-proxy.zip", {
        "MSOTrace/msoidsvctrace{A07F6C3E-2B19-4E55-8D0A-31C9E4B7F062}.txt":
            trace(2984, 3012, datetime(2026, 11, 28, 10, 2, 11, 87000), proxy)}))
    ok = common + [
        "WinHttpQueryHeaders returns 200",
        "## SOAP Response:\n<S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\"><S:Body>"
        "<wst:RequestSecurityTokenResponseCollection>…</wst:RequestSecurityTokenResponseCollection></S:Body>"
        "</S:Envelope>",
        "IDCRL: LogonIdentityEx succeeded, hr = 0x00000000",
        "GetAuthStateEx results: authState (0x00048803), requestStatus (0x00000000)"]
    written.append(write_zip("msoidsvc-healthy.zip", {
        "MSOTrace/msoidsvctrace{0B6D1E94-7A3C-4C21-A5F8-9E2D6B1C0A37}.txt":
            trace(4120, 3876, datetime(2026, 11, 28, 9, 31, 2, 140000), ok)}))
    return written

def registry_samples() -> list[Path]:
    """Registry evidence the support article on hidden sign-in causes names
    (doc_signin_hidden_causes_clockskew_rsa_cert_supportarticles.txt): a `.reg` export
    (UTF-16LE, as regedit writes it) with the Sign-in Assistant's ClockSkew value, and
    `reg query` output with a MachineGuid written in braces."""
    written = []
    text = CRLF.join([
        "Windows Registry Editor Version 5.00", "",
        r"[HKEY_USERS\.DEFAULT\Software\Microsoft\MSOIdentityCRL]",
        '"ClockSkew"=dword:0000012c',
        '"UserExtendedProperties"=dword:00000001', "", ""])
    written.append(write_zip("clock-skew-registry.zip", {"Registry/MSOIdentityCRL.reg": utf16(text)}))
    text = CRLF.join([
        "", r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Cryptography",
        "    MachineGuid    REG_SZ    {c1cbd94c-0d35-414c-89ef-dd092b984883}", "", ""])
    written.append(write_zip("machineguid-braces.zip", {"reg-query-cryptography.txt": text.encode("ascii")}))
    return written


def main() -> None:
    written = []

    # 1. healthy sign-in (SfB 2016, Online, UTC+2)
    p1 = online_profile(user="adele.vance@northwindtraders.com", targetname="sippooldb40e07.infra.lync.com",
                        diag_source="sippooldb40e07.infra.lync.com", remote_ip="52.112.67.21", local_ip="10.20.4.117",
                        public_ip="85.76.112.9", tz=timedelta(hours=2), skew=timedelta(0), pid="1D3C",
                        start=datetime(2026, 11, 10, 8, 41, 7, 215000), seed=101, computer="NWT-LT-0417",
                        subnet="10.20.4.0")
    p1_bak = online_profile(**{**p1.__dict__, "start": datetime(2026, 11, 6, 8, 55, 42, 903000), "seed": 102,
                               "pid": "2A88"})
    etl = random.Random(103).randbytes(40)
    written.append(write_zip("healthy-signin.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_healthy(p1, True).encode("utf-8"),
        "Tracing/Lync-UccApi-0.UccApilog.bak": log_healthy(p1_bak, False).encode("utf-8"),
        "Tracing/Lync-16.0.4849.1000-Office-x86ship-U.etl": etl,
        "readme.txt": ("Hi, here are my Skype logs as requested. It signed in fine this morning, it just hung on "
                       "'Contacting server' for a few seconds first. - Adele\r\n").encode("utf-8"),
    }))

    # 2. clock skew (SfB 2016, Online, UTC+1, local clock 6m30s fast)
    p2 = online_profile(user="pieter.devries@tailspintoys.com", targetname="sippoolbl20a01.infra.lync.com",
                        diag_source="sippoolbl20a01.infra.lync.com", remote_ip="52.112.64.13", local_ip="192.168.1.20",
                        public_ip="77.249.18.203", tz=timedelta(hours=1), skew=timedelta(minutes=6, seconds=30),
                        pid="2F4C", start=datetime(2026, 11, 3, 9, 14, 1, 482000), seed=201, computer="TST-PIETER",
                        subnet="192.168.1.0")
    written.append(write_zip("clock-skew.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_failing(p2, "skew", 3, 60).encode("utf-8"),
    }))

    # 3. user not SIP enabled (Lync 2013, on-premises Lync Server 2013, UTC+5:30)
    p3 = Profile(user="jonas.weber@fabrikam.com", client="lync2013", ua=UA_LYNC2013, server_hdr="RTC/5.0", online=False,
                 targetname="LYNCFE01.fabrikam.com", diag_source="lyncpool01.fabrikam.com",
                 sts_uri="https://lyncpool01.fabrikam.com:443/CertProv/CertProvisioningService.svc",
                 remote_ip="10.40.2.21", remote_port=5061, local_ip="10.40.18.57", public_ip=None,
                 tz=timedelta(hours=5, minutes=30), skew=timedelta(0), pid="0F68",
                 start=datetime(2026, 11, 17, 10, 2, 33, 61000), seed=301, pool_hint="lyncpool01.fabrikam.com",
                 computer="FAB-BLR-0231", subnet="10.40.18.0")
    written.append(write_zip("user-not-sip-enabled.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_failing(p3, "notsip", 2, 45).encode("utf-8"),
    }))

    # 4. wrong client version (Lync 2010, on-premises Lync Server 2010, UTC-8)
    p4 = Profile(user="tom.kowalski@litwareinc.com", client="lync2010", ua=UA_LYNC2010, server_hdr="RTC/4.0",
                 online=False, targetname="LYNC10FE02.litwareinc.com", diag_source="lync10pool.litwareinc.com",
                 sts_uri="https://lync10pool.litwareinc.com:443/CertProv/CertProvisioningService.svc",
                 remote_ip="172.16.8.40", remote_port=5061, local_ip="172.16.33.142", public_ip=None,
                 tz=timedelta(hours=-8), skew=timedelta(0), pid="1174",
                 start=datetime(2026, 11, 19, 7, 48, 12, 330000), seed=401, pool_hint="lync10pool.litwareinc.com",
                 computer="LIT-WS-1142", subnet="172.16.32.0")
    written.append(write_zip("wrong-client-version.zip", {
        "Tracing/Communicator-uccapi-0.uccapilog": log_failing(p4, "clientver", 2, 90).encode("utf-8"),
    }))

    # Sign-in stories over several days (sign-in attempts, the current problem and its history).
    z = timedelta(0)
    sk = timedelta(minutes=6, seconds=30)
    pm = online_profile(user="megan.bowen@fabrikam.com", targetname="sippoolam41e02.infra.lync.com",
                        diag_source="sippoolam41e02.infra.lync.com", remote_ip="52.112.66.40", local_ip="10.1.8.44",
                        public_ip="93.184.10.7", tz=timedelta(hours=1), skew=z, pid="1F20",
                        start=datetime(2026, 11, 2, 8, 55, 3, 120000), seed=1101, computer="FAB-LT-0231",
                        subnet="10.1.8.0")
    pm_bak = online_profile(**{**pm.__dict__, "pid": "1A04", "seed": 1102})
    written.append(write_zip("password-changed-multiday.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(pm, [
            (datetime(2026, 11, 4, 8, 49, 12, 400000), "ok", z),
            (datetime(2026, 11, 5, 8, 10, 2, 10000), "badcreds", z),
            (datetime(2026, 11, 5, 8, 11, 15, 500000), "badcreds", z),
            (datetime(2026, 11, 5, 8, 14, 40, 200000), "badcreds", z),
            (datetime(2026, 11, 5, 8, 21, 3, 900000), "badcreds", z),
        ]).encode("utf-8"),
        "Tracing/Lync-UccApi-0.UccApilog.bak": log_story(pm_bak, [
            (datetime(2026, 11, 2, 8, 55, 3, 120000), "ok", z),
            (datetime(2026, 11, 2, 13, 12, 41, 700000), "ok", z),
            (datetime(2026, 11, 3, 8, 40, 55, 300000), "503ok", z),
        ]).encode("utf-8"),
    }))
    pf = online_profile(user="alex.wilber@fabrikam.com", targetname="sippoolam41e02.infra.lync.com",
                        diag_source="sippoolam41e02.infra.lync.com", remote_ip="52.112.66.40", local_ip="10.1.8.52",
                        public_ip="93.184.10.7", tz=timedelta(hours=1), skew=z, pid="2C18",
                        start=datetime(2026, 10, 27, 9, 0, 4, 500000), seed=1201, computer="FAB-LT-0317",
                        subnet="10.1.8.0")
    pf_bak = online_profile(**{**pf.__dict__, "pid": "2B90", "seed": 1202})
    written.append(write_zip("fixed-clock-skew-in-bak.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(pf, [
            (datetime(2026, 11, 3, 9, 2, 11, 300000), "badcreds", z),
            (datetime(2026, 11, 3, 9, 3, 20, 100000), "badcreds", z),
            (datetime(2026, 11, 3, 9, 5, 2, 600000), "badcreds", z),
        ]).encode("utf-8"),
        "Tracing/Lync-UccApi-0.UccApilog.bak": log_story(pf_bak, [
            (datetime(2026, 10, 27, 9, 0, 4, 500000), "skew", sk),
            (datetime(2026, 10, 27, 9, 2, 30, 800000), "skew", sk),
            (datetime(2026, 10, 27, 9, 5, 1, 100000), "skew", sk),
            (datetime(2026, 10, 27, 10, 30, 12, 0), "ok", z),
        ]).encode("utf-8"),
    }))
    ph = online_profile(**{**pf.__dict__, "user": "lidia.holloway@fabrikam.com", "pid": "3D44", "seed": 1301,
                           "computer": "FAB-LT-0408", "local_ip": "10.1.8.61"})
    written.append(write_zip("healthy-after-failures.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(ph, [
            (datetime(2026, 11, 9, 9, 0, 2, 300000), "skew", sk),
            (datetime(2026, 11, 9, 9, 4, 40, 700000), "skew", sk),
            (datetime(2026, 11, 9, 10, 30, 5, 0), "ok", z),
        ]).encode("utf-8"),
    }))
    pd = online_profile(**{**pf.__dict__, "user": "diego.siciliani@fabrikam.com", "pid": "4E10", "seed": 1401,
                           "computer": "FAB-LT-0522", "local_ip": "10.1.8.77"})
    written.append(write_zip("server-deregistered.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(pd, [
            (datetime(2026, 11, 12, 8, 30, 9, 100000), "ok", z),
            (datetime(2026, 11, 13, 8, 31, 44, 600000), "dereg", z),
        ]).encode("utf-8"),
    }))
    pn = online_profile(**{**pf.__dict__, "user": "nestor.wilke@fabrikam.com", "pid": "5A2C", "seed": 1501,
                           "computer": "FAB-LT-0601", "local_ip": "10.1.8.90"})
    written.append(write_zip("online-new-user-4005.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(pn, [
            (datetime(2026, 11, 16, 9, 15, 2, 0), "notsip", z),
            (datetime(2026, 11, 16, 9, 17, 30, 500000), "notsip", z),
        ]).encode("utf-8"),
    }))
    pc = online_profile(**{**pf.__dict__, "user": "joni.sherman@fabrikam.com", "pid": "6B38", "seed": 1601,
                           "computer": "FAB-LT-0644", "local_ip": "10.1.8.95"})
    written.append(write_zip("cert-error-unexplained.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log_story(pc, [
            (datetime(2026, 11, 17, 8, 5, 0, 0), "ok", z),
            (datetime(2026, 11, 18, 8, 2, 10, 0), "certerr", z),
            (datetime(2026, 11, 18, 8, 4, 45, 0), "certerr", z),
        ]).encode("utf-8"),
    }))

    # 5. wrong credentials (SfB 2016, Online, UTC-3), nested Tracing.zip inside a MOSDAL folder
    p5 = online_profile(user="kim.akers@contoso.com", targetname="sippoolsn23b04.infra.lync.com",
                        diag_source="sippoolsn23b04.infra.lync.com", remote_ip="52.112.70.55", local_ip="192.168.1.20",
                        public_ip="177.92.41.16", tz=timedelta(hours=-3), skew=timedelta(0), pid="3B10",
                        start=datetime(2026, 11, 3, 9, 6, 50, 774000), seed=501, computer="KIMA-PC",
                        subnet="192.168.1.0")
    inner = zip_bytes({"Lync-UccApi-0.UccApilog": log_failing(p5, "badcreds", 3, 20).encode("utf-8")}, dirs=False)
    written.append(write_zip("wrong-credentials.zip", {
        "MOSDAL_KIMA-PC_20261103/Tracing.zip": inner,
        "MOSDAL_KIMA-PC_20261103/Network_Diagnostics/ipconfig.txt":
            ipconfig_text("KIMA-PC", "192.168.1.20", "192.168.1.1", datetime(2026, 11, 3, 8, 2, 11)).encode("ascii"),
    }))

    # 6. clock skew, UTF-16LE with BOM (SfB 2016, Online, UTC-5, local clock 9m40s slow)
    p6 = online_profile(user="renee.cote@wingtiptoys.com", targetname="sippoolch10b02.infra.lync.com",
                        diag_source="sippoolch10b02.infra.lync.com", remote_ip="52.112.81.140", local_ip="192.168.0.34",
                        public_ip="68.44.201.7", tz=timedelta(hours=-5), skew=-timedelta(minutes=9, seconds=40),
                        pid="24E0", start=datetime(2026, 12, 1, 8, 30, 15, 126000), seed=601, computer="WTT-RCOTE",
                        subnet="192.168.0.0")
    text6 = log_failing(p6, "skew", 3, 60, non_ascii_display="Renée Côté")
    written.append(write_zip("utf16-clock-skew.zip", {
        "Lync-UccApi-1.UccApilog": b"\xff\xfe" + text6.encode("utf-16-le"),
    }))

    # 7. sip CNAME missing, with Windows event exports (SfB 2016, Online, UTC+1, French Windows):
    #    the client log shows every DNS name of automatic configuration answered "name does not
    #    exist"; the Application log export (Event Viewer CSV, French captions, UTF-16LE with
    #    BOM) holds Lync event 3 for sip.<domain> once per attempt; the System log export
    #    (wevtutil text) holds a healthy clock (Time-Service 35 and 37: synchronizing with the
    #    domain controller) and a Service Control Manager 7036, none of which any rule takes as
    #    a cause. Time-Service texts: constructed French translations.
    p7 = online_profile(user="mathilde.roux@fourthcoffee.com", targetname="sippoolpa30a05.infra.lync.com",
                        diag_source="sippoolpa30a05.infra.lync.com", remote_ip="52.112.90.17", local_ip="10.8.3.54",
                        public_ip="91.163.20.118", tz=timedelta(hours=1), skew=timedelta(0), pid="1C7C",
                        start=datetime(2026, 11, 24, 8, 52, 40, 318000), seed=701, computer="FC-PAR-0112",
                        subnet="10.8.3.0")
    log7 = log_dns_failure(p7, 2, 75)
    first = p7.start + timedelta(seconds=1)
    second = first + timedelta(seconds=76)
    ntp = f"DC01.{p7.domain} (ntp.d|{p7.local_ip}:123->10.8.0.10:123)"
    system7 = [
        (p7.start - timedelta(minutes=41, seconds=12), "Microsoft-Windows-Time-Service", 35, "Aucun", "Informations",
         f"Le service de temps synchronise maintenant l’heure système avec la source de temps {ntp}."),
        (p7.start - timedelta(minutes=41, seconds=11), "Microsoft-Windows-Time-Service", 37, "Aucun", "Informations",
         f"Le fournisseur de temps NtpClient reçoit actuellement des données de temps valides de {ntp}."),
        (p7.start - timedelta(minutes=3, seconds=12), "Service Control Manager", 7036, "Aucun", "Informations",
         "Le service Assistant Connexion avec un compte Microsoft est entré dans l’état : en cours d’exécution."),
    ]
    written.append(write_zip("event-exports-dns.zip", {
        "Tracing/Lync-UccApi-0.UccApilog": log7.encode("utf-8"),
        "EventLogs/Application.csv": b"\xff\xfe" + eventviewer_csv_fr(
            p7.domain, p7.computer, [first, second], p7.start - timedelta(hours=2, minutes=7)).encode("utf-16-le"),
        "EventLogs/System.txt": wevtutil_text(p7.domain, p7.computer, system7).encode("utf-8"),
    }))
    written += connector_samples()
    profiles = {
        "trust": online_profile(user="lee.gu@woodgrovebank.com", targetname="sippoolam41c03.infra.lync.com",
                                diag_source="sippoolam41c03.infra.lync.com", remote_ip="52.112.76.20",
                                local_ip="10.30.7.91", public_ip="84.241.10.77", tz=timedelta(hours=1),
                                skew=timedelta(0), pid="1F20", start=datetime(2026, 11, 18, 8, 10, 44, 52000),
                                seed=701, computer="WGB-LT-0091", subnet="10.30.7.0"),
        "prompt": online_profile(user="isaiah.langer@woodgrovebank.com", targetname="sippoolam41c03.infra.lync.com",
                                 diag_source="sippoolam41c03.infra.lync.com", remote_ip="52.112.76.20",
                                 local_ip="10.30.7.93", public_ip="84.241.10.77", tz=timedelta(hours=1),
                                 skew=timedelta(0), pid="0B74", start=datetime(2026, 11, 18, 8, 31, 9, 610000),
                                 seed=801, computer="WGB-LT-0093", subnet="10.30.7.0"),
        "healthy": online_profile(user="adele.vance@northwindtraders.com", targetname="sippooldb40e07.infra.lync.com",
                                  diag_source="sippooldb40e07.infra.lync.com", remote_ip="52.112.67.21",
                                  local_ip="10.20.4.117", public_ip="85.76.112.9", tz=timedelta(hours=1),
                                  skew=timedelta(0), pid="3A0C", start=datetime(2026, 11, 10, 9, 20, 51, 337000),
                                  seed=901, computer="NWT-LT-0417", subnet="10.20.4.0"),
    }
    written += network_samples(profiles)

    # ADFS single sign-on with a self-signed SSL certificate (enterprise table, "Server is
    # temporarily unavailable"): the System log, exported with `wevtutil qe System /f:text`, shows
    # Schannel refusing the federation server's certificate at each sign-in attempt (36882, and
    # 36888 with alert 48 unknown_ca). English message texts as in the Schannel table of
    # formats.md section 5.2; French level values as on a French Windows.
    t0 = datetime(2026, 11, 20, 8, 47, 12, 410000)
    sts = "sts.tailwindtraders.com"
    untrusted = ("The certificate received from the remote server was issued by an untrusted certificate "
                 "authority. Because of this, none of the data contained in the certificate can be validated. "
                 f"The TLS connection request has failed. The attached data contains the server certificate.\r\nTarget name: {sts}")
    alert48 = ("A fatal alert was generated and sent to the remote endpoint. This may result in termination of the "
               "connection. The TLS protocol defined fatal error code is 48. The Windows SChannel error state is 552.")
    system_adfs = []
    for k in range(3):
        t = t0 + timedelta(seconds=71 * k, milliseconds=137 * k)
        system_adfs += [(t, "Schannel", 36882, "Aucun", "Erreur", untrusted),
                        (t + timedelta(milliseconds=4), "Schannel", 36888, "Aucun", "Erreur", alert48)]
    system_adfs.append((t0 - timedelta(minutes=19), "Microsoft-Windows-Time-Service", 37, "Aucun", "Informations",
                        "Le fournisseur de temps NtpClient reçoit actuellement des données de temps valides de "
                        "DC02.tailwindtraders.com (ntp.d|10.4.1.20:123->10.4.0.5:123)."))
    system_adfs.sort(key=lambda e: e[0])
    written.append(write_zip("adfs-self-signed-cert.zip", {
        "EventLogs/System.txt": wevtutil_text("tailwindtraders.com", "TWT-LT-0233", system_adfs).encode("utf-8"),
    }))

    written += certificate_samples()
    written += clock_event_samples()
    written += localized_connector_samples()
    written += localized_dns_samples()
    written += usculture_csv_samples()
    written += signin_assistant_samples()
    written += registry_samples()

    for w in written:
        print(f"wrote {w.relative_to(HERE.parent)} ({w.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
