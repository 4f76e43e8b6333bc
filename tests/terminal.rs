//! Terminal output: Japanese text keeps to 80 display columns, the batch table stays aligned
//! with CJK names, and colour follows `--color`, NO_COLOR, CLICOLOR and CLICOLOR_FORCE.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use unicode_width::UnicodeWidthStr;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A PowerShell transcript as a Japanese Windows writes it, with a long error in Japanese.
const JA_TRANSCRIPT: &str = "**********************\r
Windows PowerShell トランスクリプト開始\r
開始時刻: 20261117163821\r
**********************\r
PS C:\\> Get-CsOnlineUser -Identity taro@contoso.com\r
Get-CsOnlineUser : 指定されたユーザー 'taro@contoso.com' はテナント内に見つからなかったため、要求を完了できませんでした。管理者に問い合わせて、ユーザーのライセンスとアカウントの状態を確認してください。\r
発生場所 行:1 文字:1\r
+ Get-CsOnlineUser -Identity taro@contoso.com\r
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\r
    + CategoryInfo          : ObjectNotFound: (taro@contoso.com:String) [Get-CsOnlineUser], ManagementException\r
    + FullyQualifiedErrorId : UserNotFound,Microsoft.Rtc.Management.Hosted.Online.GetCsOnlineUserCmdlet\r
";

fn ja_bundle(dir: &Path, name: &str) -> PathBuf {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "PowerShell/transcript.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(JA_TRANSCRIPT.as_bytes()).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, w.finish().unwrap().into_inner()).unwrap();
    p
}

fn run(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    for v in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn japanese_text_keeps_to_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = ja_bundle(dir.path(), "ja.zip");
    let text = run(&["analyze", bundle.to_str().unwrap()], &[]);
    assert!(text.contains("テナント内に"), "{text}");
    let mut cjk_lines = 0;
    for line in text.lines() {
        if line.chars().any(|c| c > '\u{2e80}') {
            cjk_lines += 1;
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
        }
    }
    assert!(cjk_lines >= 4, "{text}");
}

#[test]
fn batch_table_stays_aligned_with_cjk_names() {
    let dir = tempfile::tempdir().unwrap();
    ja_bundle(dir.path(), "東京-サインイン失敗-チケット12345.zip");
    ja_bundle(dir.path(), "osaka.zip");
    let text = run(&["batch", dir.path().to_str().unwrap()], &[]);
    let lines: Vec<&str> = text.lines().take(3).collect();
    // The columns after the bundle start at the same display column on every row.
    let user_col = |l: &str| {
        let at = l.find(" -").or_else(|| l.find(" USER")).unwrap();
        l[..at].width()
    };
    assert_eq!(user_col(lines[0]), user_col(lines[1]), "{text}");
    assert_eq!(user_col(lines[1]), user_col(lines[2]), "{text}");
    assert!(lines[1].contains('…') || lines[2].contains('…'), "{text}");
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let sample = root().join("samples/clock-skew.zip");
    let s = sample.to_str().unwrap();
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut a = vec!["analyze"];
        a.extend_from_slice(args);
        a.push(s);
        run(&a, env).contains('\u{1b}')
    };
    // Not a terminal (a pipe): no colour by default.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!coloured(&[], &[("CLICOLOR", "0")]));
    assert!(coloured(&["--color", "always"], &[]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    // Colour never reaches other formats.
    assert!(
        !run(
            &["analyze", "--format", "md", s],
            &[("CLICOLOR_FORCE", "1")]
        )
        .contains('\u{1b}')
    );
}
