//! Reports in five languages: `--lang`, the environment's language, catalogue and chrome
//! completeness, localized article links checked against the seeds, golden reports per
//! language, the 80-column text report by display width, and the Japanese page in Chromium.

#[path = "common/browser.rs"]
mod browser;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;
use sfbtriage::catalog::Catalog;
use sfbtriage::i18n::{self, Lang};
use unicode_width::UnicodeWidthStr;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command with no colour and no language from the environment.
fn cmd() -> Command {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    c.env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .current_dir(root());
    c
}

fn run(args: &[&str]) -> String {
    let out = cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const OTHERS: [Lang; 4] = [Lang::Fr, Lang::Ja, Lang::ZhTw, Lang::ZhCn];

// ------------------------------------------------------------------------------------------
// Data completeness
// ------------------------------------------------------------------------------------------

#[test]
fn every_cause_has_every_text_in_every_language() {
    let catalog = Catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for lang in OTHERS {
        for c in catalog.iter() {
            let Some(t) = catalog.translations().get(lang, &c.id) else {
                problems.push(format!("{lang} {}: no translation", c.id));
                continue;
            };
            let fields = [
                ("title", &t.title, &c.title),
                ("symptom", &t.symptom, &c.symptom),
                ("resolution", &t.resolution, &c.resolution),
                ("section", &t.section, &c.section),
                ("distinguish", &t.distinguish, &c.distinguish),
            ];
            for (name, text, english) in fields {
                let expected = !english.is_empty();
                match text.as_deref().map(str::trim) {
                    None | Some("") if expected => {
                        problems.push(format!("{lang} {} {name}: missing or empty", c.id))
                    }
                    Some(t) if !expected && !t.is_empty() => problems.push(format!(
                        "{lang} {} {name}: English has none, so neither should this",
                        c.id
                    )),
                    Some(t) if t == english.trim() => {
                        problems.push(format!("{lang} {} {name}: same as English", c.id))
                    }
                    _ => {}
                }
            }
            // Japanese and Chinese texts are written in their script, not left in English.
            if matches!(lang, Lang::Ja | Lang::ZhTw | Lang::ZhCn) {
                let title = t.title.as_deref().unwrap_or("");
                if !title
                    .chars()
                    .any(|ch| UnicodeWidthStr::width(ch.to_string().as_str()) == 2)
                {
                    problems.push(format!("{lang} {}: title has no CJK text", c.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_built_in_rule_has_its_reason_in_every_language() {
    let english = i18n::builtin_rule_reasons();
    let (rules, _) = sfbtriage::rules::RuleSet::load(&[]).unwrap();
    assert_eq!(english.len(), rules.len(), "every built-in rule is read");
    let mut problems = Vec::new();
    for lang in OTHERS {
        let table = i18n::reason_table(lang).unwrap();
        for (id, en) in english {
            match table.get(id).map(|t| t.trim()) {
                None | Some("") => problems.push(format!("{lang} {id}: missing or empty")),
                Some(t) if t == en.trim() => problems.push(format!("{lang} {id}: same as English")),
                Some(t) => assert_eq!(i18n::reason(lang, id, en), Some(t)),
            }
        }
        for id in table.keys() {
            if !english.contains_key(id) {
                problems.push(format!("{lang} {id}: no such built-in rule"));
            }
        }
        // A rule of a --rules DIR with its own words keeps them.
        let (id, _) = english.iter().next().unwrap();
        assert_eq!(i18n::reason(lang, id, "my own words"), None);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\{([a-z_0-9]+)\}").unwrap();
    re.captures_iter(s).map(|c| c[1].to_string()).collect()
}

/// Keys whose text may equal the English one (names, codes and words French shares).
const SAME_AS_ENGLISH_ALLOWED: [&str; 14] = [
    "column.sip",
    "unit.h",
    "unit.min",
    "unit.s",
    "who.client",
    "html.title_suffix",
    "explain.kind_hresult",
    "who.client_title",
    "ladder.client",
    "column.format",
    "cause.source",
    "cause.source_title",
    "rules.count",
    "note.winhttp_proxy",
];

#[test]
fn every_chrome_key_exists_in_every_language_with_the_same_placeholders() {
    let keys = i18n::chrome_keys();
    assert!(keys.len() > 80, "{} keys", keys.len());
    // Keys the sign-in story (report/story.rs) calls.
    for k in [
        "attempts.heading",
        "history.heading",
        "story.failing_headline",
        "story.signed_in_headline",
        "story.attempts.other",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
    let english = i18n::chrome_table(Lang::En).unwrap();
    let mut problems = Vec::new();
    for lang in OTHERS {
        let table = i18n::chrome_table(lang).unwrap();
        for k in &keys {
            match table.get(*k) {
                None => problems.push(format!("{lang}: `{k}` missing")),
                Some(t) if t.trim().is_empty() && !english[*k].trim().is_empty() => {
                    problems.push(format!("{lang}: `{k}` empty"))
                }
                Some(t) => {
                    if placeholders(t) != placeholders(&english[*k]) {
                        problems.push(format!("{lang}: `{k}` placeholders differ"));
                    }
                    if t == &english[*k]
                        && !SAME_AS_ENGLISH_ALLOWED.contains(k)
                        && !(lang == Lang::Fr && t.split_whitespace().count() < 2)
                    {
                        problems.push(format!("{lang}: `{k}` same as English"));
                    }
                }
            }
        }
        for k in table.keys() {
            if !english.contains_key(k) {
                problems.push(format!("{lang}: `{k}` is not an English key"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn seeds() -> Option<PathBuf> {
    let d = root().join("../shared/seeds");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipped: ../shared/seeds not found");
        None
    }
}

/// The seed of each article in each language (`ms.contentlocale`), read from the files.
fn seed_for(dir: &Path, locale: &str, article_anchor: &str) -> Option<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .find(|t| {
            t.contains(&format!("ms.contentlocale: {locale}"))
                && t.contains(&format!("name=\"{article_anchor}\""))
        })
}

#[test]
fn localized_links_keep_an_anchor_the_localized_article_has() {
    let Some(dir) = seeds() else { return };
    let catalog = Catalog::builtin().unwrap();
    let mut checked = 0;
    let mut unverified = BTreeSet::new();
    for lang in OTHERS {
        let locale = match lang {
            Lang::Fr => "fr-FR",
            Lang::Ja => "ja-JP",
            Lang::ZhTw => "zh-TW",
            _ => "zh-CN",
        };
        for c in catalog.iter() {
            let shown = i18n::cause_text(&catalog, &c.id, lang).unwrap();
            let prefix = format!("https://learn.microsoft.com/{}/", lang.url_locale());
            assert!(shown.url.starts_with(&prefix), "{lang} {}", shown.url);
            let (_, anchor) = shown.url.split_once('#').expect("a section anchor");
            assert_eq!(Some(anchor), c.url.split_once('#').map(|x| x.1));
            // Each article is recognised by its top anchor.
            let article = if c.article == "connector" {
                "diagnose-connection-problems-with-the-skype-for-business-online-connector"
            } else {
                "troubleshooting-skype-for-business-online-sign-in-errors-for-administrators"
            };
            match seed_for(&dir, locale, article) {
                Some(text) => {
                    assert!(
                        text.contains(&format!("name=\"{anchor}\"")),
                        "{lang} {}: anchor {anchor} not in the {locale} seed",
                        c.id
                    );
                    checked += 1;
                }
                None => {
                    unverified.insert(format!("{locale} {}", c.article));
                }
            }
        }
    }
    // Both articles in French, the sign-in article in every language.
    assert!(checked >= 24 + 3 * 14, "{checked} links checked");
    eprintln!("no seed to check against: {unverified:?}");
}

#[test]
fn ui_names_match_the_localized_articles() {
    let Some(dir) = seeds() else { return };
    let catalog = Catalog::builtin().unwrap();
    // "Delete my sign-in info" and Credential Manager as each language's seed names them.
    for (lang, locale, names) in [
        (
            Lang::Fr,
            "fr-FR",
            &["Supprimer mes informations de connexion"][..],
        ),
        (Lang::Ja, "ja-JP", &["サインイン情報を削除", "資格情報"][..]),
        (Lang::ZhTw, "zh-TW", &["刪除我的登入資訊", "認證管理員"][..]),
    ] {
        let seed = seed_for(
            &dir,
            locale,
            "troubleshooting-skype-for-business-online-sign-in-errors-for-administrators",
        )
        .unwrap();
        let ours = format!(
            "{} {}",
            i18n::cause_text(
                &catalog,
                &sfbtriage::catalog::CauseId("personal-certificate".into()),
                lang
            )
            .unwrap()
            .resolution,
            i18n::cause_text(
                &catalog,
                &sfbtriage::catalog::CauseId("corrupt-credentials".into()),
                lang
            )
            .unwrap()
            .resolution
        );
        for n in names {
            assert!(seed.contains(n), "{locale} seed lacks {n}");
            assert!(ours.contains(n), "{lang} texts lack {n}");
        }
    }
}

// ------------------------------------------------------------------------------------------
// Choosing the language
// ------------------------------------------------------------------------------------------

#[test]
fn lang_flag_and_environment_choose_the_language() {
    let ja = run(&["analyze", "--lang", "ja", "samples/clock-skew.zip"]);
    assert!(ja.contains("PC の時計がサーバーとずれている"), "{ja}");
    assert!(ja.contains("対処方法:"));
    assert!(ja.contains("/ja-jp/skypeforbusiness/"));

    // LANG, overridden by LC_MESSAGES, overridden by LC_ALL; --lang wins over all.
    let by_env = |vars: &[(&str, &str)], extra: &[&str]| {
        let mut c = cmd();
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c
            .args(["analyze"])
            .args(extra)
            .arg("samples/clock-skew.zip")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(by_env(&[("LANG", "fr_FR.UTF-8")], &[]).contains("que faire :"));
    assert!(
        by_env(
            &[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "zh_TW.UTF-8")],
            &[]
        )
        .contains("處理方式：")
    );
    assert!(
        by_env(
            &[("LC_MESSAGES", "zh_TW.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")],
            &[]
        )
        .contains("处理方法：")
    );
    assert!(by_env(&[("LC_ALL", "ja_JP.UTF-8")], &["--lang", "en"]).contains("what to do:"));
    // A language we do not have: English, silently.
    assert!(by_env(&[("LANG", "de_DE.UTF-8")], &[]).contains("what to do:"));
}

#[test]
fn unknown_lang_value_falls_back_to_english_with_one_line_on_stderr() {
    let out = cmd()
        .args(["analyze", "--lang", "klingon", "samples/clock-skew.zip"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("klingon") && err.contains("English"), "{err}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("what to do:")
    );
}

// ------------------------------------------------------------------------------------------
// Machine-readable output stays stable
// ------------------------------------------------------------------------------------------

/// Every key path of a JSON value (array items merged).
fn shape(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{path}.{k}");
                out.insert(p.clone());
                shape(v, &p, out);
            }
        }
        Value::Array(a) => {
            for v in a {
                shape(v, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_keeps_ids_codes_and_field_names_and_says_its_language() {
    let en: Value = serde_json::from_str(&run(&[
        "analyze",
        "--format",
        "json",
        "samples/dns-cname-missing.zip",
    ]))
    .unwrap();
    assert_eq!(en["lang"], "en");
    let mut en_shape = BTreeSet::new();
    shape(&en, "", &mut en_shape);
    for lang in OTHERS {
        let v: Value = serde_json::from_str(&run(&[
            "analyze",
            "--format",
            "json",
            "--lang",
            lang.code(),
            "samples/dns-cname-missing.zip",
        ]))
        .unwrap();
        assert_eq!(v["lang"], lang.code());
        let mut s = BTreeSet::new();
        shape(&v, "", &mut s);
        assert_eq!(s, en_shape, "{lang}: same fields");
        let (a, b) = (&en["causes"][0], &v["causes"][0]);
        for k in ["id", "confidence_label", "group", "rank", "confidence"] {
            assert_eq!(a[k], b[k], "{lang} {k}");
        }
        assert_eq!(a["evidence"], b["evidence"], "{lang}: evidence verbatim");
        assert_eq!(en["verdict"], v["verdict"]);
        assert_eq!(en["inventory"], v["inventory"], "{lang}: inventory codes");
        assert_ne!(a["title"], b["title"], "{lang}: title localized");
        assert_ne!(a["resolution"], b["resolution"]);
        assert_eq!(a["look_alikes"][0]["id"], b["look_alikes"][0]["id"]);
        assert_ne!(a["look_alikes"][0]["title"], b["look_alikes"][0]["title"]);
        assert!(
            b["article"]["url"]
                .as_str()
                .unwrap()
                .contains(&format!("/{}/", lang.url_locale()))
        );
    }
}

#[test]
fn csv_headers_stay_english_and_cells_follow_the_language() {
    let en = run(&["analyze", "--format", "csv", "samples/clock-skew.zip"]);
    let ja = run(&[
        "analyze",
        "--format",
        "csv",
        "--lang",
        "ja",
        "samples/clock-skew.zip",
    ]);
    assert_eq!(en.lines().next(), ja.lines().next());
    assert!(ja.contains("PC の時計がサーバーとずれている"));
    assert!(ja.contains(",clock-skew,"));
    let healthy = run(&[
        "analyze",
        "--format",
        "csv",
        "--lang",
        "fr",
        "samples/healthy-signin.zip",
    ]);
    assert!(
        healthy.contains(",none,Aucune cause documentée trouvée,"),
        "{healthy}"
    );
}

#[test]
fn batch_reports_in_the_chosen_language() {
    let out = run(&["batch", "--format", "jsonl", "--lang", "zh-TW", "samples"]);
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["lang"], "zh-TW");
}

// ------------------------------------------------------------------------------------------
// explain and rules list
// ------------------------------------------------------------------------------------------

#[test]
fn explain_answers_a_japanese_message_in_japanese() {
    // The message as the Japanese article quotes it.
    let out = run(&[
        "explain",
        "--lang",
        "ja",
        "認証サービスがこのバージョンのプログラムと互換性がない可能性があります",
    ]);
    assert!(
        out.replace('\n', "")
            .contains("をエラー メッセージとして解釈しました"),
        "{out}"
    );
    assert!(
        out.contains("wrong-client-version  誤ったバージョンの Skype for Business クライアント")
    );
    assert!(out.contains("[ヘルプ] > [バージョン情報]"));
    assert!(out.contains("https://learn.microsoft.com/ja-jp/"));
    assert!(
        out.lines()
            .all(|l| l.width() <= 80 || !l.trim().contains(' ')),
        "{out}"
    );

    let json: Value =
        serde_json::from_str(&run(&["explain", "--json", "--lang", "zh-CN", "4005"])).unwrap();
    for c in json["causes"].as_array().unwrap() {
        assert!(c["url"].as_str().unwrap().contains("/zh-cn/"), "{c}");
    }
}

#[test]
fn rules_list_in_traditional_chinese() {
    let out = run(&["rules", "list", "--lang", "zh-TW"]);
    assert!(out.contains("個原因"), "{out}");
    assert!(out.contains("電腦時鐘與伺服器不同步"));
    assert!(out.contains("/zh-tw/skypeforbusiness/"));
    assert!(!out.contains("/en-us/"));
}

#[test]
fn a_rules_dir_adds_and_overrides_translations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/ja.toml"),
        "[clock-skew]\ntitle = \"時計のずれ (社内用の表現)\"\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let out = run(&[
        "analyze",
        "--lang",
        "ja",
        "--rules",
        d,
        "samples/clock-skew.zip",
    ]);
    assert!(out.contains("時計のずれ (社内用の表現)"), "{out}");
    // Fields the override leaves out keep the built-in translation.
    assert!(out.contains("w32tm /resync"));
    assert!(out.contains("信頼できる時刻源"));

    std::fs::write(
        dir.path().join("i18n/ja.toml"),
        "[no-such-cause]\ntitle = \"x\"\n",
    )
    .unwrap();
    let out = cmd()
        .args(["rules", "list", "--rules", d])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-cause"));
}

// ------------------------------------------------------------------------------------------
// Golden reports and width
// ------------------------------------------------------------------------------------------

/// Compare with `tests/golden/i18n/NAME`; `SFBTRIAGE_UPDATE_GOLDEN=1` rewrites the file.
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden/i18n").join(name);
    if std::env::var_os("SFBTRIAGE_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing (SFBTRIAGE_UPDATE_GOLDEN=1)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n(rerun with SFBTRIAGE_UPDATE_GOLDEN=1 after checking the change)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn golden_text_and_html_report_per_language() {
    for lang in Lang::ALL {
        for (format, ext) in [("text", "txt"), ("html", "html")] {
            let out = run(&[
                "analyze",
                "--format",
                format,
                "--lang",
                lang.code(),
                "samples/clock-skew.zip",
            ]);
            golden(&format!("clock-skew.{}.{ext}", lang.code()), &out);
        }
    }
    let ja = std::fs::read_to_string(root().join("tests/golden/i18n/clock-skew.ja.html")).unwrap();
    assert!(ja.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert!(ja.contains("最も可能性の高い原因: PC の時計がサーバーとずれている"));
    assert!(ja.contains("2026-11-03T09:14:02.573+01:00"), "ISO dates");
}

#[test]
fn wrapping_breaks_cjk_between_characters_by_display_width_and_keeps_punctuation() {
    let text = "ユーザーに、サインアウトし、サインイン画面上の [サインイン情報を削除] をクリックし、もう一度サインインするよう依頼します。証明書は「個人」ストアにあります。";
    for width in [24, 30, 41, 80] {
        let w = sfbtriage::report::wrap(text, "  ", width);
        for line in w.lines() {
            assert!(
                line.width() <= width,
                "{width}: {line:?} is {} wide",
                line.width()
            );
            let body = line.trim_start();
            assert!(
                !body.starts_with(['、', '。', '」', ']']),
                "{width}: line starts with closing punctuation: {line:?}"
            );
            assert!(!body.ends_with(['「', '[']), "{width}: {line:?}");
        }
        // Nothing lost, nothing added but line breaks and the indent.
        assert_eq!(
            w.lines().collect::<String>().replace(' ', ""),
            text.replace(' ', ""),
            "{width}"
        );
    }
    // English is wrapped at spaces only, as before.
    let en = sfbtriage::report::wrap("Delete my sign-in info and sign in again", "", 20);
    assert_eq!(en, "Delete my sign-in\ninfo and sign in\nagain\n");
}

/// Lines of the text report fit 80 columns by display width, except an unbreakable token
/// (a URL, a long path) on a line of its own.
fn over_width(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.width() > 80 && l.trim().contains(' '))
        .map(|l| format!("{} cols: {l}", l.width()))
        .collect()
}

#[test]
fn text_report_holds_80_columns_by_display_width_in_every_language() {
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    samples.sort();
    let mut problems = Vec::new();
    for lang in [Lang::Ja, Lang::ZhTw, Lang::ZhCn, Lang::Fr] {
        for s in &samples {
            let rel = s.strip_prefix(root()).unwrap().to_str().unwrap();
            let out = run(&["analyze", "--lang", lang.code(), rel]);
            for p in over_width(&out) {
                problems.push(format!("{lang} {rel}: {p}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ------------------------------------------------------------------------------------------
// The Japanese page in a real browser
// ------------------------------------------------------------------------------------------

const FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// A screenshot of `html` as RGB rows.
fn screenshot(browser: &Path, dir: &Path, name: &str, html: &str, size: (u32, u32)) -> Vec<u8> {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let shot = dir.join(format!("{name}.png"));
    let out = Process::new(browser)
        .args(FLAGS)
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{name}")).display()
        ))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Ok(keep) = std::env::var("SFBTRIAGE_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&shot, format!("{keep}.{name}.png"));
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    buf.chunks(channels)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect()
}

/// Render the Japanese report in headless Chromium: its DOM carries the Japanese verdict, the
/// screenshot shows the red verdict banner, and the Japanese characters are real glyphs, not
/// tofu: drawn in the report's own font stack, two different strings of its verdict title
/// must give different pictures (missing glyphs all draw the same box, or nothing).
#[test]
fn japanese_html_renders_in_chromium_without_tofu() {
    let Some(browser) = browser::required_chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = run(&[
        "analyze",
        "--format",
        "html",
        "--lang",
        "ja",
        "samples/clock-skew.zip",
    ]);
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let dom = Process::new(&browser)
        .args(FLAGS)
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("p0").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("最も可能性の高い原因: PC の時計がサーバーとずれている"),
        "rendered DOM lacks the Japanese verdict"
    );

    let (w, h) = (1200u32, 900u32);
    let shot = screenshot(&browser, dir.path(), "report", &html, (w, h));
    let red = (0..h as usize)
        .filter(|&y| {
            let i = (y * w as usize + 600) * 3;
            shot[i] > 150 && shot[i + 1] < 70 && shot[i + 2] < 70
        })
        .count();
    assert!(red > 40, "no red verdict banner in the screenshot");

    // The report's font stack (its <style>), one line of large text.
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap();
    let probe = |text: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><style>{style} body{{background:#fff;margin:0}} p{{font-size:64px;line-height:1;margin:8px;color:#000}}</style></head><body><p>{text}</p></body></html>"
        )
    };
    let a = screenshot(
        &browser,
        dir.path(),
        "probe-a",
        &probe("時計サーバー"),
        (800, 120),
    );
    let b = screenshot(
        &browser,
        dir.path(),
        "probe-b",
        &probe("時時時時時時"),
        (800, 120),
    );
    let ink = |img: &[u8]| img.chunks(3).filter(|p| p[0] < 128).count();
    assert!(ink(&a) > 500, "the Japanese text drew nothing");
    let differing = a.chunks(3).zip(b.chunks(3)).filter(|(p, q)| p != q).count();
    assert!(
        differing > 500,
        "different Japanese characters drew the same picture: missing CJK font (tofu); install fonts-noto-cjk"
    );
}
