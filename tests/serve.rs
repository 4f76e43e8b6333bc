//! `sfbtriage serve`: the HTTP API's access control, limits and outputs, over real sockets.

#[path = "common/browser.rs"]
mod browser;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_zips() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    v.sort();
    v
}

/// A running `sfbtriage serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfbtriage"))
        .arg("serve")
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    let rest = url.strip_prefix("http://").expect(url);
    let (addr, query) = rest.split_once("/?token=").expect(url);
    assert!(query.len() >= 32, "token of 128 bits or more: {url}");
    assert!(query.chars().all(|c| c.is_ascii_hexdigit()));
    Server {
        child,
        addr: addr.to_string(),
        token: query.to_string(),
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request; `headers` are sent as given (a `Host` among them replaces ours).
fn request(
    s: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut stream = TcpStream::connect(&s.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {}\r\n", s.addr));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        // The server may answer (413) and close before reading everything.
        let _ = stream.write_all(b);
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 4 + size..];
    }
}

fn bearer(s: &Server) -> String {
    format!("Bearer {}", s.token)
}

fn cli(args: &[&str], dir: &std::path::Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_sfbtriage"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    out.stdout
}

#[test]
fn every_request_needs_the_token_and_a_host_and_origin_of_this_server() {
    let s = serve(&[]);
    assert_eq!(request(&s, "GET", "/", &[], None).status, 401);
    assert_eq!(request(&s, "GET", "/?token=wrong", &[], None).status, 401);
    assert_eq!(
        request(&s, "POST", "/api/analyze", &[], Some(b"PK")).status,
        401
    );
    let page = request(&s, "GET", &format!("/?token={}", s.token), &[], None);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"drop\""));
    // Security headers on every response, refusals included.
    for r in [&page, &request(&s, "GET", "/", &[], None)] {
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert!(r.header("access-control-allow-origin").is_none());
    }
    // The page's inline script and style carry the nonce its policy names.
    let csp = page.header("content-security-policy").unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(page.text().contains(&format!("<script nonce=\"{nonce}\">")));

    // DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends its own name.
    let port = s.addr.rsplit(':').next().unwrap();
    let evil_host = format!("evil.example:{port}");
    let with_token = format!("/?token={}", s.token);
    let r = request(&s, "GET", &with_token, &[("Host", &evil_host)], None);
    assert_eq!(r.status, 403, "{}", r.text());
    let localhost = format!("localhost:{port}");
    assert_eq!(
        request(&s, "GET", &with_token, &[("Host", &localhost)], None).status,
        200
    );
    // Cross-site requests from another open page.
    let b = bearer(&s);
    let r = request(
        &s,
        "POST",
        "/api/analyze",
        &[("Authorization", &b), ("Origin", "https://evil.example")],
        Some(b"x"),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = request(
        &s,
        "POST",
        "/api/analyze",
        &[("Authorization", &b), ("Origin", "null")],
        Some(b"x"),
    );
    assert_eq!(r.status, 403);
    // The page's own origin is fine.
    let own = format!("http://{}", s.addr);
    let zip = std::fs::read(root().join("samples/clock-skew.zip")).unwrap();
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=clock-skew.zip",
        &[("Authorization", &b), ("Origin", &own)],
        Some(&zip),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // A CORS preflight gets no permission.
    let r = request(
        &s,
        "OPTIONS",
        "/api/analyze",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(r.status, 403);
    assert!(r.header("access-control-allow-origin").is_none());
}

#[test]
fn analyze_gives_the_clis_json_byte_for_byte_for_every_sample() {
    let s = serve(&[]);
    let b = bearer(&s);
    let samples = root().join("samples");
    for zip in sample_zips() {
        let name = zip.file_name().unwrap().to_str().unwrap();
        let bytes = std::fs::read(&zip).unwrap();
        let r = request(
            &s,
            "POST",
            &format!("/api/analyze?name={name}"),
            &[("Authorization", &b)],
            Some(&bytes),
        );
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        assert!(
            r.header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
        let expected = cli(&["analyze", "--format", "json", name], &samples);
        assert!(
            r.body == expected,
            "{name}: served JSON differs from the CLI's\n{}",
            r.text()
        );
    }
}

#[test]
fn other_formats_redaction_and_kept_results_match_the_cli() {
    let s = serve(&[]);
    let b = bearer(&s);
    let samples = root().join("samples");
    let bytes = std::fs::read(samples.join("wrong-credentials.zip")).unwrap();
    // The name may come in a header, percent-encoded.
    let r = request(
        &s,
        "POST",
        "/api/analyze?format=md&redact=1",
        &[
            ("Authorization", &b),
            ("X-Filename", "wrong-credentials.zip"),
        ],
        Some(&bytes),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.body,
        cli(
            &[
                "analyze",
                "--format",
                "md",
                "--redact",
                "wrong-credentials.zip"
            ],
            &samples
        )
    );
    let id = r.header("x-sfbtriage-result").unwrap().to_string();
    for (format, query, args) in [
        ("html", "", vec!["--format", "html"]),
        ("csv", "&redact=1", vec!["--format", "csv", "--redact"]),
        ("text", "", vec!["--format", "text", "--color", "never"]),
        ("json", "&redact=1", vec!["--format", "json", "--redact"]),
    ] {
        let r = request(
            &s,
            "GET",
            &format!("/api/result/{id}?format={format}{query}&download=1"),
            &[("Authorization", &b)],
            None,
        );
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        let mut cmd = vec!["analyze"];
        cmd.extend(args);
        cmd.push("wrong-credentials.zip");
        assert_eq!(r.body, cli(&cmd, &samples), "{format}{query}");
        assert!(
            r.header("content-disposition")
                .unwrap()
                .starts_with("attachment; filename=\"wrong-credentials.sfbtriage"),
        );
    }
    // The HTML report may be framed by the page (and only by it).
    let r = request(
        &s,
        "GET",
        &format!("/api/result/{id}?format=html&token={}", s.token),
        &[],
        None,
    );
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'self'")
    );
    // The overview of kept results, each linking its report.
    let r = request(
        &s,
        "GET",
        &format!("/api/overview?ids={id},nope"),
        &[("Authorization", &b)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("1 bundles: 1 with a documented cause"));
    assert!(r.text().contains(&format!(
        "href=\"/api/result/{id}?format=html&amp;lang=en&amp;token="
    )));
    assert_eq!(
        request(
            &s,
            "GET",
            "/api/overview?ids=nope",
            &[("Authorization", &b)],
            None
        )
        .status,
        404
    );
    // Unknown results and formats.
    let r = request(
        &s,
        "GET",
        "/api/result/0000?format=json",
        &[("Authorization", &b)],
        None,
    );
    assert_eq!(r.status, 404);
    let r = request(
        &s,
        "GET",
        &format!("/api/result/{id}?format=pdf"),
        &[("Authorization", &b)],
        None,
    );
    assert_eq!(r.status, 400);
}

#[test]
fn bad_uploads_get_a_clear_status_and_the_server_keeps_serving() {
    let s = serve(&["--max-upload", "20000", "--max-ratio", "10"]);
    let b = bearer(&s);
    // Declared over the limit.
    let big = vec![b'a'; 30_000];
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=big.log",
        &[("Authorization", &b)],
        Some(&big),
    );
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("--max-upload"));
    // Over the limit without a declared length (chunked).
    let mut chunked = Vec::new();
    for _ in 0..3 {
        chunked.extend_from_slice(format!("{:x}\r\n", 10_000).as_bytes());
        chunked.extend_from_slice(&[b'b'; 10_000]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=big.log",
        &[("Authorization", &b), ("Transfer-Encoding", "chunked")],
        Some(&chunked),
    );
    assert_eq!(r.status, 413, "{}", r.text());
    // Empty.
    let r = request(
        &s,
        "POST",
        "/api/analyze",
        &[("Authorization", &b)],
        Some(b""),
    );
    assert_eq!(r.status, 400);
    // Not a zip, named like one.
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=bundle.zip",
        &[("Authorization", &b)],
        Some(b"this is not a zip archive at all"),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("not a readable zip"),
        "{v}"
    );
    // A zip bomb: one member that inflates far past the compression-ratio limit.
    let mut bomb = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut bomb);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("Tracing/Lync-UccApi-0.UccApilog", opts)
            .unwrap();
        w.write_all(&vec![b' '; 2 << 20]).unwrap();
        w.finish().unwrap();
    }
    let bomb = bomb.into_inner();
    assert!(bomb.len() < 20_000);
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=bomb.zip",
        &[("Authorization", &b)],
        Some(&bomb),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("--max-ratio"), "{}", r.text());
    // A truncated zip.
    let zip = std::fs::read(root().join("samples/clock-skew.zip")).unwrap();
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=cut.zip",
        &[("Authorization", &b)],
        Some(&zip[..40]),
    );
    assert!((400..500).contains(&r.status), "{} {}", r.status, r.text());
    // Hostile names are taken as a file name only, and HTML in them is not a problem here.
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=..%2F..%2F%3Cscript%3E.zip",
        &[("Authorization", &b)],
        Some(&zip),
    );
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["inputs"][0], "<script>.zip");
    // Still serving.
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=clock-skew.zip",
        &[("Authorization", &b)],
        Some(&zip),
    );
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["causes"][0]["id"], "clock-skew");
}

#[test]
fn listening_beyond_loopback_needs_allow_remote() {
    let out = Command::new(env!("CARGO_BIN_EXE_sfbtriage"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-remote"), "{err}");
}

/// A tiny DevTools-protocol client: one page session of a headless Chromium.
mod cdp {
    use std::io::{BufRead, BufReader};
    use std::net::TcpStream;
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use serde_json::{Value, json};
    use tungstenite::stream::MaybeTlsStream;

    pub struct Browser {
        child: Child,
        ws: tungstenite::WebSocket<MaybeTlsStream<TcpStream>>,
        session: String,
        next_id: u64,
    }

    impl Drop for Browser {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Browser {
        pub fn launch(browser: &Path, profile: &Path) -> Browser {
            let mut child = Command::new(browser)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--window-size=1200,900",
                    "--remote-debugging-port=0",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg("about:blank")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stderr = BufReader::new(child.stderr.take().unwrap());
            let mut ws_url = None;
            let mut seen = String::new();
            for _ in 0..200 {
                let mut line = String::new();
                if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                seen.push_str(&line);
                if let Some(i) = line.find("ws://") {
                    ws_url = Some(line[i..].trim().to_string());
                    break;
                }
            }
            let ws_url = ws_url.unwrap_or_else(|| panic!("no DevTools URL from chromium:\n{seen}"));
            // Keep draining stderr so the browser never blocks on a full pipe.
            std::thread::spawn(move || {
                let mut sink = String::new();
                while stderr.read_line(&mut sink).unwrap_or(0) > 0 {
                    sink.clear();
                }
            });
            let (ws, _) = tungstenite::connect(ws_url.as_str()).unwrap();
            if let MaybeTlsStream::Plain(s) = ws.get_ref() {
                s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
            }
            let mut b = Browser {
                child,
                ws,
                session: String::new(),
                next_id: 0,
            };
            let target = b.call("Target.createTarget", json!({ "url": "about:blank" }));
            let attached = b.call(
                "Target.attachToTarget",
                json!({ "targetId": target["targetId"], "flatten": true }),
            );
            b.session = attached["sessionId"].as_str().unwrap().to_string();
            b.call("Page.enable", json!({}));
            b.call("Runtime.enable", json!({}));
            b
        }

        /// Send one command (to the page session once attached) and wait for its result.
        pub fn call(&mut self, method: &str, params: Value) -> Value {
            self.next_id += 1;
            let id = self.next_id;
            let mut msg = json!({ "id": id, "method": method, "params": params });
            if !self.session.is_empty() {
                msg["sessionId"] = json!(self.session);
            }
            self.ws
                .send(tungstenite::Message::Text(msg.to_string().into()))
                .unwrap();
            loop {
                let m = self.ws.read().expect("a DevTools message");
                let tungstenite::Message::Text(t) = m else {
                    continue;
                };
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["id"] == json!(id) {
                    if let Some(e) = v.get("error") {
                        panic!("{method}: {e}");
                    }
                    return v["result"].clone();
                }
            }
        }

        /// Evaluate a JavaScript expression in the page and return its value.
        pub fn eval(&mut self, expression: &str) -> Value {
            let r = self.call(
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
            );
            if let Some(e) = r.get("exceptionDetails") {
                panic!("{expression}: {e}");
            }
            r["result"]["value"].clone()
        }

        /// Poll `expression` until it is true, or panic with `what` after `secs`.
        pub fn wait_for(&mut self, expression: &str, secs: u64, what: &str) {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(secs) {
                if self.eval(expression) == json!(true) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let body = self.eval("document.body ? document.body.innerText : ''");
            panic!("timed out waiting for {what}; page text:\n{body}");
        }

        pub fn navigate(&mut self, url: &str) {
            self.call("Page.navigate", json!({ "url": url }));
            self.wait_for("document.readyState === 'complete'", 30, "the page to load");
        }

        /// Put `file` into the `<input type=file>` that `selector` finds (fires `change`).
        pub fn set_file(&mut self, selector: &str, file: &Path) {
            self.set_files(selector, &[file]);
        }

        /// Several files at once.
        pub fn set_files(&mut self, selector: &str, files: &[&Path]) {
            let r = self.call(
                "Runtime.evaluate",
                json!({ "expression": format!("document.querySelector({})", json!(selector)) }),
            );
            let object = r["result"]["objectId"].clone();
            assert!(object.is_string(), "no element {selector}");
            self.call(
                "DOM.setFileInputFiles",
                json!({ "objectId": object, "files": files.iter().map(|f| f.to_str().unwrap()).collect::<Vec<_>>() }),
            );
        }

        /// A PNG screenshot of the viewport.
        pub fn screenshot(&mut self) -> Vec<u8> {
            let r = self.call("Page.captureScreenshot", json!({ "format": "png" }));
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(r["data"].as_str().unwrap())
                .unwrap()
        }
    }
}

/// The served page in headless Chromium: upload a sample through the file input, read the
/// verdict; a hostile upload shows an error and the next upload still works; a screenshot
/// shows the red verdict banner.
#[test]
fn the_page_in_a_real_browser_uploads_a_bundle_and_shows_the_verdict() {
    let Some(browser) = browser::required_chromium() else {
        return;
    };
    let s = serve(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut b = cdp::Browser::launch(&browser, &dir.path().join("profile"));
    b.navigate(&format!("http://{}/?token={}", s.addr, s.token));
    assert_eq!(
        b.eval("!!document.getElementById('drop')"),
        serde_json::json!(true)
    );
    // The token left the address bar.
    assert_eq!(
        b.eval("location.search.includes('token')"),
        serde_json::json!(false)
    );

    b.set_file("#file", &root().join("samples/clock-skew.zip"));
    b.wait_for(
        "!document.getElementById('result').hidden && document.getElementById('verdict').textContent.includes('clock-skew')",
        90,
        "the clock-skew verdict",
    );
    let verdict = b.eval("document.getElementById('verdict').textContent");
    assert!(
        verdict
            .as_str()
            .unwrap()
            .contains("Most likely: Computer clock out of sync with the server"),
        "{verdict}"
    );
    // The report is framed from the server, and the download links carry the result id.
    let src = b.eval("document.getElementById('report').getAttribute('src')");
    assert!(src.as_str().unwrap().starts_with("/api/result/"), "{src}");
    let links = b.eval("document.querySelectorAll('#downloads a').length");
    assert_eq!(links, serde_json::json!(8));
    // Wait until the framed report has loaded, then look at the page.
    b.wait_for(
        "(function(){var f=document.getElementById('report');return !!f && f.getBoundingClientRect().height > 300;})()",
        30,
        "the report frame",
    );
    std::thread::sleep(Duration::from_millis(500));
    let png = b.screenshot();
    if let Ok(keep) = std::env::var("SFBTRIAGE_KEEP_SCREENSHOT_SERVE") {
        std::fs::write(keep, &png).unwrap();
    }
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    let red = (0..info.height as usize)
        .filter(|&y| {
            let i = y * info.line_size + (info.width as usize / 2) * channels;
            buf[i] > 150 && buf[i + 1] < 70 && buf[i + 2] < 70
        })
        .count();
    assert!(red > 40, "no red verdict banner in the screenshot");

    // A hostile upload: an error on the page, not a broken page.
    let hostile = dir.path().join("hostile.zip");
    std::fs::write(&hostile, b"PK\x03\x04<script>alert(1)</script> not a zip").unwrap();
    b.set_file("#file", &hostile);
    b.wait_for(
        "!document.getElementById('error').hidden && document.getElementById('error').textContent.includes('422')",
        60,
        "the error for the hostile upload",
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#error script, #progress-area script').length"),
        serde_json::json!(0)
    );
    // The next upload still works.
    b.set_file("#file", &root().join("samples/wrong-credentials.zip"));
    b.wait_for(
        "document.getElementById('verdict').textContent.includes('wrong-credentials')",
        90,
        "the next verdict",
    );
    // Several files at once: the batch overview (the same page as `batch --html-dir`).
    b.set_files(
        "#file",
        &[
            &root().join("samples/healthy-signin.zip"),
            &root().join("samples/dns-cname-missing.zip"),
        ],
    );
    b.wait_for(
        "!document.getElementById('batch').hidden && document.querySelectorAll('.job.done').length === 4",
        90,
        "the batch overview",
    );
    let src = b.eval("document.getElementById('overview').getAttribute('src')");
    assert!(
        src.as_str().unwrap().starts_with("/api/overview?ids="),
        "{src}"
    );
    let start = std::time::Instant::now();
    // The sandboxed frame runs in a process of its own: it is a target of its own.
    loop {
        let targets = b.call("Target.getTargets", serde_json::json!({}));
        let loaded = targets["targetInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t["url"].as_str().unwrap_or("").contains("/api/overview"));
        if loaded {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "overview frame never loaded: {targets}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Ok(keep) = std::env::var("SFBTRIAGE_KEEP_SCREENSHOT_SERVE_BATCH") {
        std::thread::sleep(Duration::from_millis(800));
        b.eval("document.getElementById('batch').scrollIntoView()");
        std::fs::write(keep, b.screenshot()).unwrap();
    }
    // A file dropped on the zone (a real drop event carrying a File) is analysed too.
    let bytes = std::fs::read(root().join("samples/trustmodeldata-missing.zip")).unwrap();
    let encoded = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    };
    b.eval(&format!(
        "(function(){{var bin = atob('{encoded}'); var a = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i); var dt = new DataTransfer(); dt.items.add(new File([a], 'dropped.zip')); document.getElementById('drop').dispatchEvent(new DragEvent('drop', {{dataTransfer: dt, bubbles: true, cancelable: true}})); return true;}})()"
    ));
    b.wait_for(
        "document.getElementById('verdict').textContent.includes('in dropped.zip')",
        90,
        "the dropped file's verdict",
    );
    // A bundle of the list shows its report in place.
    b.eval("document.querySelectorAll('.job.done')[0].click()");
    b.wait_for(
        "document.getElementById('verdict').textContent.includes('clock-skew')",
        10,
        "the first verdict again",
    );
    // The language menu: Japanese for the page's texts and for the shown verdict, which is
    // asked for again in Japanese; the choice is remembered across a reload.
    b.eval(
        "(function(){var m=document.getElementById('lang'); m.value='ja'; m.dispatchEvent(new Event('change')); return true;})()",
    );
    b.wait_for(
        "document.querySelector('h1').textContent === 'このユーザーがサインインできない理由' && document.documentElement.lang === 'ja'",
        10,
        "the Japanese heading",
    );
    b.wait_for(
        "document.getElementById('verdict').textContent.includes('最も可能性が高い原因') && document.getElementById('verdict').textContent.includes('信頼度 高 ') && document.getElementById('verdict').textContent.includes('clock-skew')",
        30,
        "the Japanese verdict",
    );
    let src = b.eval("document.getElementById('report').getAttribute('src')");
    assert!(src.as_str().unwrap().contains("lang=ja"), "{src}");
    b.navigate(&format!("http://{}/?token={}", s.addr, s.token));
    b.wait_for(
        "!!document.getElementById('lang') && document.getElementById('lang').value === 'ja' && document.querySelector('h1').textContent === 'このユーザーがサインインできない理由'",
        10,
        "the remembered language",
    );
}

/// The report's SIP message browser in headless Chromium: the failing registration's
/// messages are listed; clicking a ladder arrow opens that very message with its
/// ms-diagnostics highlighted; the filter reaches every message.
#[test]
fn the_reports_message_browser_opens_the_message_of_a_ladder_arrow() {
    let Some(browser) = browser::required_chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let samples = root().join("samples");
    let html = cli(&["analyze", "--format", "html", "clock-skew.zip"], &samples);
    let json: serde_json::Value = serde_json::from_slice(&cli(
        &["analyze", "--format", "json", "clock-skew.zip"],
        &samples,
    ))
    .unwrap();
    let steps = json["timeline"]["ladder"]["steps"]
        .as_array()
        .unwrap()
        .clone();
    let total: u64 = json["inventory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["counts"]["sip_messages"].as_u64().unwrap())
        .sum();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).unwrap();
    let mut b = cdp::Browser::launch(&browser, &dir.path().join("profile"));
    b.navigate(&format!("file://{}", page.display()));
    // The script ran (its hash is in the report's policy) and lists the failing registration.
    let visible = "document.querySelectorAll('#msg-list tbody tr:not([hidden])').length";
    b.wait_for(
        "/shown/.test((document.getElementById('msg-count')||{}).textContent||'')",
        20,
        "the message browser's script",
    );
    let shown = b.eval(visible).as_u64().unwrap();
    assert!(
        shown >= steps.len() as u64,
        "{shown} rows for {} steps",
        steps.len()
    );
    for s in &steps {
        let key = format!("{}:{}", s["member"].as_str().unwrap(), s["line"]);
        let q = format!(
            "!!Array.prototype.find.call(document.querySelectorAll('#msg-list tbody tr:not([hidden])'), function(r){{return r.dataset.key === {};}})",
            serde_json::json!(key)
        );
        assert_eq!(b.eval(&q), serde_json::json!(true), "no row for {key}");
    }
    // Click the last arrow (the failing 401 with ms-diagnostics 1013).
    let last = steps.len() - 1;
    b.eval(&format!(
        "document.querySelectorAll('svg .step')[{last}].dispatchEvent(new MouseEvent('click', {{bubbles: true}}))"
    ));
    b.wait_for(
        "!document.getElementById('msg-view').hidden",
        10,
        "the message view",
    );
    let current = b.eval("document.querySelector('#msg-list tr.current').dataset.key");
    assert_eq!(
        current,
        serde_json::json!(format!(
            "{}:{}",
            steps[last]["member"].as_str().unwrap(),
            steps[last]["line"]
        ))
    );
    let text = b.eval("document.getElementById('msg-view-text').textContent");
    let text = text.as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "SIP/2.0 {}",
            steps[last]["label"].as_str().unwrap()
        )),
        "{text}"
    );
    let marked = b.eval(
        "Array.prototype.map.call(document.querySelectorAll('#msg-view-text mark'), function(m){return m.textContent.split(':')[0].toLowerCase();}).join(',')",
    );
    let marked = marked.as_str().unwrap();
    assert!(marked.contains("ms-diagnostics"), "{marked}");
    assert!(marked.contains("date"), "{marked}");
    // Every message of the bundle behind the box, and the text filter searches them.
    b.eval("var a = document.getElementById('msg-all'); a.checked = true; a.dispatchEvent(new Event('change'))");
    assert_eq!(b.eval(visible).as_u64().unwrap(), total);
    b.eval("var t = document.getElementById('msg-text'); t.value = 'Significant time skew'; t.dispatchEvent(new Event('input'))");
    let skew = b.eval(visible).as_u64().unwrap();
    assert!(skew > 0 && skew < total, "{skew} of {total}");
}

#[test]
fn the_server_speaks_the_language_analyze_would() {
    let s = serve(&["--lang", "fr"]);
    let b = bearer(&s);
    let samples = root().join("samples");
    let bytes = std::fs::read(samples.join("clock-skew.zip")).unwrap();
    for format in ["md", "json"] {
        let r = request(
            &s,
            "POST",
            &format!("/api/analyze?name=clock-skew.zip&format={format}"),
            &[("Authorization", &b)],
            Some(&bytes),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.body,
            cli(
                &[
                    "analyze",
                    "--lang",
                    "fr",
                    "--format",
                    format,
                    "clock-skew.zip"
                ],
                &samples
            ),
            "{format}"
        );
    }
}

/// `lang=` on the API: the analysis in that language, kept results re-rendered in another,
/// the overview too; an unknown code is a 400 that says which codes there are.
#[test]
fn the_lang_parameter_chooses_the_analysis_language_and_unknown_ones_are_refused() {
    let s = serve(&["--lang", "en"]);
    let b = bearer(&s);
    let samples = root().join("samples");
    let bytes = std::fs::read(samples.join("clock-skew.zip")).unwrap();
    let r = request(
        &s,
        "POST",
        "/api/analyze?name=clock-skew.zip&format=json&lang=ja",
        &[("Authorization", &b)],
        Some(&bytes),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(json["lang"], "ja");
    assert_eq!(
        r.body,
        cli(
            &[
                "analyze",
                "--lang",
                "ja",
                "--format",
                "json",
                "clock-skew.zip"
            ],
            &samples
        )
    );
    let id = r.header("x-sfbtriage-result").unwrap().to_string();
    // The same kept analysis in French, and in the server's language when none is asked.
    for (query, want) in [("&lang=fr", "fr"), ("", "en"), ("&lang=zh-TW", "zh-TW")] {
        let r = request(
            &s,
            "GET",
            &format!("/api/result/{id}?format=json{query}"),
            &[("Authorization", &b)],
            None,
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(json["lang"], want, "{query}");
    }
    let r = request(
        &s,
        "GET",
        &format!("/api/overview?ids={id}&lang=ja"),
        &[("Authorization", &b)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("lang=ja"),
        "rows link the Japanese report"
    );
    assert!(r.text().contains("<html lang=\"ja\">"));
    assert!(
        r.text().contains("判定別のバンドル"),
        "the overview's texts"
    );
    assert!(
        r.text().contains("ドロップされたバンドル 1 個"),
        "its title"
    );
    // Unknown languages, on every endpoint, before any work is done.
    for (method, path, body) in [
        (
            "POST",
            "/api/analyze?name=clock-skew.zip&lang=de".to_string(),
            Some(&bytes[..]),
        ),
        ("GET", format!("/api/result/{id}?lang=jp"), None),
        ("GET", format!("/api/overview?ids={id}&lang=x%3Cb%3E"), None),
    ] {
        let r = request(&s, method, &path, &[("Authorization", &b)], body);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        let msg = json["error"].as_str().unwrap();
        assert!(
            msg.contains("unknown language") && msg.contains("zh-CN"),
            "{msg}"
        );
    }
}

/// The page carries every `[page]` message of every language, safely inside its script
/// element, and defaults to the server's `--lang`.
#[test]
fn the_page_embeds_every_page_message_in_every_language() {
    let s = serve(&["--lang", "ja"]);
    let r = request(&s, "GET", &format!("/?token={}", s.token), &[], None);
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("<html lang=\"ja\">"), "the server's language");
    assert!(html.contains("data-lang=\"ja\""));
    let open = "<script type=\"application/json\" id=\"messages\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let embedded = &html[start..end];
    assert!(
        !embedded.contains('<') && !embedded.contains('&'),
        "escaped"
    );
    let messages: serde_json::Value = serde_json::from_str(embedded).unwrap();
    let keys: Vec<&str> = sfbtriage::i18n::chrome_keys()
        .into_iter()
        .filter_map(|k| k.strip_prefix("page."))
        .collect();
    assert!(keys.len() > 20, "{keys:?}");
    for lang in ["en", "fr", "ja", "zh-TW", "zh-CN"] {
        let table = messages[lang]
            .as_object()
            .unwrap_or_else(|| panic!("{lang}"));
        assert_eq!(table.len(), keys.len(), "{lang}");
        for k in &keys {
            let text = table.get(*k).and_then(|v| v.as_str()).unwrap_or("");
            assert!(!text.trim().is_empty(), "{lang}: page.{k}");
        }
    }
    assert_eq!(
        messages["ja"]["heading"],
        "このユーザーがサインインできない理由"
    );
    // Every text the page marks for translation has its key.
    for marked in html.split("data-i18n=\"").skip(1) {
        let key = &marked[..marked.find('"').unwrap()];
        assert!(keys.contains(&key), "page.{key}");
    }
}
