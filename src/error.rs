//! Error types shared by the stages.
//!
//! This module owns the error that stops a run: [`ConfigError`] for rule and catalogue files
//! (always naming the file and line). A bundle member that cannot be read is not an error
//! here: `bundle.rs` hands the sink its status and reason (naming what failed and, where
//! known, the byte offset), and the pipeline lists it as a `skipped` or `failed` inventory
//! entry, so one member never stops the others.

use thiserror::Error;

/// 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count()
}

/// A rule or catalogue file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{}", location(.file, .line), .message)]
pub struct ConfigError {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

fn location(file: &Option<String>, line: &Option<usize>) -> String {
    match (file, line) {
        (Some(f), Some(l)) => format!("{f}:{l}: "),
        (Some(f), None) => format!("{f}: "),
        _ => String::new(),
    }
}

impl ConfigError {
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: Some(file.to_string()),
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn in_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: Some(file.to_string()),
            line: None,
            message: message.into(),
        }
    }

    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            message: message.into(),
        }
    }

    /// From a TOML syntax or schema error, with the line of its span.
    pub fn toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = err.message().trim().replace('\n', " ");
        Self::at(file, line, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_messages() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        assert_eq!(
            ConfigError::at("f.toml", 3, "bad").to_string(),
            "f.toml:3: bad"
        );
        assert_eq!(ConfigError::plain("bad").to_string(), "bad");
    }
}
