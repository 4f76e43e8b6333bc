//! Finding a headless Chromium for the browser tests, shared by the test files that render
//! pages (`#[path = "common/browser.rs"] mod browser;`).

use std::path::PathBuf;

/// The first Chromium-family browser on `PATH`.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// The browser, or `None` when there is none and the test may skip itself; with
/// `SFBTRIAGE_REQUIRE_BROWSER` set (CI), a missing browser fails the test instead.
pub fn required_chromium() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("SFBTRIAGE_REQUIRE_BROWSER").is_none(),
            "chromium is required here but was not found"
        );
        eprintln!("skipped: no chromium on PATH");
    }
    found
}
