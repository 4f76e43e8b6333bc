//! `sfbtriage serve`: a local web page to drop bundles on, and the HTTP API it uses.
//!
//! This module owns the HTTP server (axum on a small tokio runtime), its access control and
//! the in-memory handling of uploads. The model is Jupyter's: the server listens on loopback
//! unless told otherwise, prints one URL holding a random access token, and refuses every
//! request that lacks the token (`401`), names a `Host` other than the listen address or
//! `localhost` (`403`, DNS rebinding) or carries a foreign `Origin` (`403`, cross-site
//! requests from other open pages). There is no CORS. Every response carries a
//! Content-Security-Policy, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`
//! and `Cache-Control: no-store`. An upload is read into memory up to `--max-upload` bytes
//! and analysed with [`pipeline::analyze_bytes`] — nothing is written to disk; at most
//! `--max-concurrent` analyses run at once and every request has a time limit. Each analysis
//! is kept in memory (the last [`KEPT_RESULTS`]) so the page can show its HTML report and
//! offer every format for download without sending the bundle again.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::ValueEnum;

use crate::bundle::Status;
use crate::catalog::Catalog;
use crate::diagnosis::Analysis;
use crate::pipeline::{self, Options};
use crate::report::{self, OutputFormat};
use crate::rules::RuleSet;

/// How many analyses the server keeps in memory for `GET /api/result/{id}`.
pub const KEPT_RESULTS: usize = 16;

/// Default largest upload: 2 GiB.
pub const DEFAULT_MAX_UPLOAD: u64 = 2 << 30;

const PAGE_HTML: &str = include_str!("serve/page.html");
const PAGE_CSS: &str = include_str!("serve/page.css");
const PAGE_JS: &str = include_str!("serve/page.js");

/// What `serve` was asked for.
pub struct Config {
    pub listen: SocketAddr,
    pub allow_remote: bool,
    pub open: bool,
    pub max_upload: u64,
    pub max_concurrent: usize,
    pub request_timeout: Duration,
    /// Redact every analysis before it is rendered or kept (`serve --redact`).
    pub redact: bool,
    /// Language of the reports (`serve --lang`), as `analyze` chooses it.
    pub lang: crate::i18n::Lang,
    pub options: Options,
    pub rules: RuleSet,
    pub catalog: Catalog,
}

struct Shared {
    token: String,
    port: u16,
    max_upload: u64,
    redact: bool,
    lang: crate::i18n::Lang,
    timeout: Duration,
    permits: Arc<tokio::sync::Semaphore>,
    rules: Arc<RuleSet>,
    catalog: Arc<Catalog>,
    options: Options,
    results: Mutex<VecDeque<(String, Arc<Kept>)>>,
}

/// One kept analysis, as the pipeline gave it: not yet localized nor redacted, so that each
/// request can ask for its own language (localizing comes before redaction).
struct Kept {
    name: String,
    analysis: Analysis,
}

impl Shared {
    /// The analysis as a request in `lang` sees it: localized, then redacted under
    /// `serve --redact`.
    fn view(&self, raw: &Analysis, lang: crate::i18n::Lang) -> Analysis {
        let mut a = raw.clone();
        crate::i18n::localize(&mut a, &self.catalog, lang);
        if self.redact {
            a.redact_identifiers();
        }
        a
    }
}

/// A fresh token of 192 random bits, as hex.
fn new_token(bytes: usize) -> io::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| io::Error::other(format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Run the server until Ctrl-C. The first line on stdout is the URL to open.
pub fn run(config: Config) -> io::Result<()> {
    let ip = config.listen.ip();
    if !ip.is_loopback() {
        if !config.allow_remote {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{ip} is not a loopback address: anyone who can reach it could try the server; pass --allow-remote to listen there anyway"
                ),
            ));
        }
        eprintln!(
            "sfbtriage: WARNING: listening on {ip}, reachable from other machines; the token is the only protection and traffic is not encrypted"
        );
    }
    let listener = std::net::TcpListener::bind(config.listen)?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let token = new_token(24)?;
    let host = match addr.ip() {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V4(v4) => v4.to_string(),
    };
    let url = format!("http://{host}:{}/?token={token}", addr.port());
    {
        let mut out = io::stdout().lock();
        writeln!(out, "{url}")?;
        out.flush()?;
    }
    eprintln!(
        "sfbtriage: serving on {addr}; open the URL above (it holds the access token). Ctrl-C stops the server."
    );
    if config.open {
        open_browser(&url);
    }
    let shared = Arc::new(Shared {
        token,
        port: addr.port(),
        max_upload: config.max_upload,
        redact: config.redact,
        lang: config.lang,
        timeout: config.request_timeout,
        permits: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent.max(1))),
        rules: Arc::new(config.rules),
        catalog: Arc::new(config.catalog),
        options: config.options,
        results: Mutex::new(VecDeque::new()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
                eprintln!("sfbtriage: stopping");
            })
            .await
    })
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/analyze", post(analyze))
        .route("/api/result/{id}", get(result))
        .route("/api/overview", get(overview))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such page") })
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// Open `url` in the default browser (best effort: the URL is printed anyway).
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("rundll32");
        c.args(["url.dll,FileProtocolHandler", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    if let Err(e) = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("sfbtriage: could not open a browser ({e}); open the URL yourself");
    }
}

/// A JSON error body `{"error": message}` with `status`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message, "status": status.as_u16() }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The value of `key` in the query string, percent-decoded.
fn query_param(uri: &axum::http::Uri, key: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Compare two strings in time that depends only on their lengths.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Is `host` (a `Host` header value) this server: `localhost` or an IP literal, with our port?
/// A name other than `localhost` is refused: that is what a DNS-rebinding page would send.
fn host_allowed(host: &str, port: u16) -> bool {
    let (name, p) = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((n, "")) => (n, None),
            Some((n, p)) => match p.strip_prefix(':') {
                Some(p) => (n, Some(p)),
                None => return false,
            },
            None => return false,
        }
    } else {
        match host.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match p {
        Some(p) => p.parse::<u16>().ok() == Some(port),
        None => port == 80,
    };
    port_ok && (name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok())
}

const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/// The HTML report: its own policy (inline style, its own script by hash), framed only by
/// the page.
fn report_csp() -> String {
    format!(
        "{}; frame-ancestors 'self'",
        report::message_browser::policy()
    )
}

/// Access control on every request, then the security headers on every response.
async fn guard(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let mut response = if !host_allowed(host, s.port) {
        error(
            StatusCode::FORBIDDEN,
            "refused: the Host header does not name this server (use the printed URL)",
        )
    } else if let Some(origin) = headers.get(header::ORIGIN) {
        if origin.to_str().ok() != Some(&format!("http://{host}")) {
            error(
                StatusCode::FORBIDDEN,
                "refused: requests from other sites are not accepted",
            )
        } else {
            authorized(&s, req, next).await
        }
    } else {
        authorized(&s, req, next).await
    };
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !h.contains_key(header::X_FRAME_OPTIONS) {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

async fn authorized(s: &Shared, req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    let given = bearer.or_else(|| query_param(req.uri(), "token"));
    if !given.is_some_and(|t| same_secret(&t, &s.token)) {
        return error(
            StatusCode::UNAUTHORIZED,
            "this server needs its access token: open the full URL that `sfbtriage serve` printed",
        );
    }
    match tokio::time::timeout(s.timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "the request took over {} s (--request-timeout)",
                s.timeout.as_secs()
            ),
        ),
    }
}

/// The `[page]` messages of every language, as the JSON object the page reads:
/// `{"en": {"heading": …, "found.one": …}, "fr": …}` (keys without the `page.` prefix).
pub fn page_messages() -> serde_json::Value {
    let mut all = serde_json::Map::new();
    for lang in crate::i18n::Lang::ALL {
        let table: serde_json::Map<String, serde_json::Value> = crate::i18n::chrome_table(lang)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| {
                k.strip_prefix("page.")
                    .map(|k| (k.to_string(), serde_json::Value::from(v.as_str())))
            })
            .collect();
        all.insert(lang.code().to_string(), table.into());
    }
    all.into()
}

/// JSON made safe inside an HTML `<script>` element: no `<`, `>` or `&` left as such.
fn json_in_script(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

async fn page(State(s): State<Arc<Shared>>) -> Response {
    let nonce = match new_token(16) {
        Ok(n) => n,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let lang = s.lang.code();
    let html = PAGE_HTML
        .replace("{{STYLE}}", PAGE_CSS)
        .replace("{{SCRIPT}}", PAGE_JS)
        .replace("{{MESSAGES}}", &json_in_script(&page_messages()))
        .replace("{{LANG}}", lang)
        .replace(
            "{{TITLE}}",
            &html_escape(crate::i18n::tr(s.lang, "page.title")),
        )
        .replace("{{NONCE}}", &nonce);
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    let mut r = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

/// The upload's name as the CLI would show it: the last path component, control characters
/// dropped; `upload` when none is given.
pub fn upload_name(raw: Option<&str>) -> String {
    let last = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    let last = last.trim();
    if last.is_empty() || last == "." || last == ".." {
        "upload".to_string()
    } else {
        last.to_string()
    }
}

fn html_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `lang` asked for (one of the five codes); the server's language when none is given;
/// a 400 response when it is unknown.
fn lang_of(
    uri: &axum::http::Uri,
    default: crate::i18n::Lang,
) -> Result<crate::i18n::Lang, Box<Response>> {
    match query_param(uri, "lang") {
        None => Ok(default),
        Some(l) => crate::i18n::Lang::ALL
            .into_iter()
            .find(|x| x.code() == l)
            .ok_or_else(|| {
                Box::new(error(
                    StatusCode::BAD_REQUEST,
                    &format!("unknown language `{l}`: use en, fr, ja, zh-TW or zh-CN"),
                ))
            }),
    }
}

/// The `format` asked for; a 400 response when it is unknown.
fn format_of(uri: &axum::http::Uri) -> Result<OutputFormat, Box<Response>> {
    match query_param(uri, "format") {
        None => Ok(OutputFormat::Json),
        Some(f) => OutputFormat::from_str(&f, true).map_err(|_| {
            Box::new(error(
                StatusCode::BAD_REQUEST,
                &format!("unknown format `{f}`: use json, jsonl, html, md, csv or text"),
            ))
        }),
    }
}

fn flag(uri: &axum::http::Uri, key: &str) -> bool {
    query_param(uri, key).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | ""))
}

/// `POST /api/analyze`: the raw body is the bundle.
async fn analyze(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let uri = req.uri().clone();
    let format = match format_of(&uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let lang = match lang_of(&uri, s.lang) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    let redact = flag(&uri, "redact");
    let raw_name = req
        .headers()
        .get("x-filename")
        .and_then(|h| h.to_str().ok())
        .map(|h| {
            percent_encoding::percent_decode_str(h)
                .decode_utf8_lossy()
                .into_owned()
        })
        .or_else(|| query_param(&uri, "name"));
    let name = upload_name(raw_name.as_deref());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<u64>().ok());
    if declared.is_some_and(|n| n > s.max_upload) {
        return too_large(s.max_upload);
    }
    // Wait for a free analysis slot before reading the body, so memory stays bounded too.
    let Ok(permit) = s.permits.clone().acquire_owned().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    let limit = usize::try_from(s.max_upload).unwrap_or(usize::MAX);
    let bytes = match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(b) => b,
        Err(e) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|c| c.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            return if over {
                too_large(s.max_upload)
            } else {
                error(
                    StatusCode::BAD_REQUEST,
                    &format!("the upload was cut short: {e}"),
                )
            };
        }
    };
    if bytes.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "the upload is empty: send the bundle (a .zip or a log file) as the request body",
        );
    }
    let shared = Arc::clone(&s);
    let job_name = name.clone();
    let analysis = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        pipeline::analyze_bytes(
            &job_name,
            Vec::from(bytes),
            &shared.rules,
            &shared.catalog,
            &shared.options,
        )
    })
    .await;
    let analysis = match analysis {
        Ok(a) => a,
        Err(e) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("the analysis failed: {e}"),
            );
        }
    };
    if let Some(message) = unreadable(&analysis) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    let kept = Arc::new(Kept { name, analysis });
    let id = match new_token(12) {
        Ok(id) => id,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    {
        let mut results = s.results.lock().unwrap_or_else(|p| p.into_inner());
        if results.len() >= KEPT_RESULTS {
            results.pop_front();
        }
        results.push_back((id.clone(), Arc::clone(&kept)));
    }
    let mut r = rendered(
        &kept.name,
        &s.view(&kept.analysis, lang),
        format,
        redact,
        false,
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        r.headers_mut().insert("x-sfbtriage-result", v);
    }
    r
}

fn too_large(max: u64) -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("the upload is over the server's limit of {max} bytes (serve --max-upload)"),
    )
}

/// Why nothing of the upload could be read, when that is so (the CLI exits 2 then).
fn unreadable(a: &Analysis) -> Option<String> {
    if a.inventory.iter().any(|e| e.status == Status::Parsed) {
        return None;
    }
    let reasons: Vec<String> = a
        .inventory
        .iter()
        .take(3)
        .map(|e| match &e.reason {
            Some(r) => format!("{}: {r}", e.path),
            None => e.path.clone(),
        })
        .collect();
    Some(format!(
        "nothing in this upload could be read — send a log bundle (.zip) or a client log. {}",
        reasons.join("; ")
    ))
}

/// `GET /api/result/{id}?format=…&redact=1&download=1`: a kept analysis in any format.
async fn result(State(s): State<Arc<Shared>>, Path(id): Path<String>, req: Request) -> Response {
    let uri = req.uri();
    let format = match format_of(uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let lang = match lang_of(uri, s.lang) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    let kept = {
        let results = s.results.lock().unwrap_or_else(|p| p.into_inner());
        results
            .iter()
            .find(|(k, _)| same_secret(k, &id))
            .map(|(_, a)| Arc::clone(a))
    };
    match kept {
        Some(k) => rendered(
            &k.name,
            &s.view(&k.analysis, lang),
            format,
            flag(uri, "redact"),
            flag(uri, "download"),
        ),
        None => error(
            StatusCode::NOT_FOUND,
            "this result is no longer kept: drop the bundle again",
        ),
    }
}

/// `GET /api/overview?ids=ID,ID…`: the `batch --html-dir` overview (index.html) of kept
/// analyses, each row linking its report.
async fn overview(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let lang = match lang_of(req.uri(), s.lang) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    let ids = query_param(req.uri(), "ids").unwrap_or_default();
    let rows: Vec<report::overview::OverviewRow> = {
        let results = s.results.lock().unwrap_or_else(|p| p.into_inner());
        ids.split(',')
            .filter_map(|id| {
                results
                    .iter()
                    .find(|(k, _)| same_secret(k, id))
                    .map(|(k, kept)| {
                        report::overview::OverviewRow::of(
                            &kept.name,
                            Some(format!(
                                "/api/result/{k}?format=html&lang={}&token={}",
                                lang.code(),
                                s.token
                            )),
                            &s.view(&kept.analysis, lang),
                        )
                    })
            })
            .collect()
    };
    if rows.is_empty() {
        return error(
            StatusCode::NOT_FOUND,
            "none of these results is kept any more: drop the bundles again",
        );
    }
    let mut body = Vec::new();
    let title = crate::i18n::trf(lang, "page.overview_title", &[("count", &rows.len())]);
    if let Err(e) = report::overview::render(&title, &rows, lang, &mut body) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    let mut r = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}; frame-ancestors 'self'",
        report::overview::policy()
    )) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    r
}

/// Render an analysis exactly as `analyze --format F [--redact]` prints it.
pub fn render_bytes(analysis: &Analysis, format: OutputFormat, redact: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let result = if redact {
        let mut a = analysis.clone();
        a.redact_identifiers();
        report::render(&a, format, false, &mut out)
    } else {
        report::render(analysis, format, false, &mut out)
    };
    result.expect("writing to memory does not fail");
    out
}

fn rendered(
    name: &str,
    analysis: &Analysis,
    format: OutputFormat,
    redact: bool,
    download: bool,
) -> Response {
    let body = render_bytes(analysis, format, redact);
    let (mime, ext) = match format {
        OutputFormat::Json => ("application/json; charset=utf-8", "json"),
        OutputFormat::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
        OutputFormat::Html => ("text/html; charset=utf-8", "html"),
        OutputFormat::Md => ("text/markdown; charset=utf-8", "md"),
        OutputFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        OutputFormat::Text => ("text/plain; charset=utf-8", "txt"),
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if format == OutputFormat::Html {
        if let Ok(v) = HeaderValue::from_str(&report_csp()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    if download {
        let stem: String = name
            .trim_end_matches(".zip")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file = format!(
            "{stem}.sfbtriage{}.{ext}",
            if redact { ".redacted" } else { "" }
        );
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    (StatusCode::OK, headers, Body::from(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_server_are_allowed_and_others_refused() {
        assert!(host_allowed("127.0.0.1:8080", 8080));
        assert!(host_allowed("localhost:8080", 8080));
        assert!(host_allowed("LOCALHOST:8080", 8080));
        assert!(host_allowed("[::1]:8080", 8080));
        assert!(!host_allowed("127.0.0.1:8081", 8080));
        assert!(!host_allowed("evil.example:8080", 8080));
        assert!(!host_allowed("localhost.evil.example:8080", 8080));
        assert!(!host_allowed("", 8080));
        assert!(host_allowed("localhost", 80));
    }

    #[test]
    fn upload_names_keep_only_the_last_component() {
        assert_eq!(upload_name(Some("C:\\tickets\\a.zip")), "a.zip");
        assert_eq!(upload_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(upload_name(Some("a\u{7}b.zip")), "ab.zip");
        assert_eq!(upload_name(Some("..")), "upload");
        assert_eq!(upload_name(None), "upload");
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn query_parameters_are_percent_decoded() {
        let uri: axum::http::Uri = "/api/analyze?name=a%20b.zip&format=md&redact"
            .parse()
            .unwrap();
        assert_eq!(query_param(&uri, "name").as_deref(), Some("a b.zip"));
        assert_eq!(query_param(&uri, "format").as_deref(), Some("md"));
        assert!(flag(&uri, "redact"));
        assert!(!flag(&uri, "download"));
    }
}
