//! Time: the client's clock against the servers', and how times are written.
//!
//! This module owns the clock estimate — the client's time-zone offset taken as the real-world
//! UTC offset nearest to the median difference between the client's log time and the servers'
//! `Date:` headers, and the skew that remains — and the one way every report writes a time:
//! ISO 8601 local time with the estimated offset, UTC with `Z`, or as written when the zone is
//! unknown.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::model::{ClockSample, Evidence};

/// UTC offsets in use somewhere in the world, in minutes.
const ZONE_OFFSETS: [i32; 39] = [
    -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -150, -120, -60, 0, 60,
    120, 180, 210, 240, 270, 300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720,
    765, 780, 840,
];

/// The bundle's clock, as estimated from `Date:` headers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockEstimate {
    /// Estimated UTC offset of the client's local time, in minutes.
    pub zone_offset_minutes: i32,
    /// Median skew after that offset, in seconds (positive: client clock ahead).
    pub skew_seconds: f64,
    pub samples: usize,
}

impl ClockEstimate {
    /// A UTC time (a Windows event's) as the client's local time.
    pub fn local_from_utc(&self, t: NaiveDateTime) -> NaiveDateTime {
        t + chrono::Duration::minutes(i64::from(self.zone_offset_minutes))
    }

    /// A client-local time (a log line's) in UTC.
    pub fn utc_from_local(&self, t: NaiveDateTime) -> NaiveDateTime {
        t - chrono::Duration::minutes(i64::from(self.zone_offset_minutes))
    }

    pub fn zone(&self) -> String {
        format_offset(self.zone_offset_minutes)
    }

    /// The client clock against the server's, for reports: `in step with the server` or
    /// `6 min 30 s ahead of the server`.
    pub fn relation(&self) -> String {
        if self.skew_seconds.abs() < 1.0 {
            "in step with the server".to_string()
        } else {
            let way = if self.skew_seconds > 0.0 {
                "ahead of"
            } else {
                "behind"
            };
            format!("{} {way} the server", format_duration(self.skew_seconds))
        }
    }
}

/// `+01:00`, `-05:00`, `+05:45`.
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Skew shown as `6 min 30 s`.
pub fn format_duration(seconds: f64) -> String {
    let s = seconds.abs().round() as i64;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, min, sec) => format!("{min} min {sec} s"),
        (h, min, _) => format!("{h} h {min} min"),
    }
}

/// Estimate the zone offset and the skew from every sample of the bundle.
pub fn estimate_clock(samples: &[ClockSample]) -> Option<(ClockEstimate, &ClockSample)> {
    if samples.is_empty() {
        return None;
    }
    let mut diffs: Vec<(f64, usize)> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.difference(), i))
        .collect();
    diffs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (median, at) = diffs[diffs.len() / 2];
    let offset = ZONE_OFFSETS
        .iter()
        .copied()
        .min_by(|a, b| {
            (median - f64::from(*a) * 60.0)
                .abs()
                .total_cmp(&(median - f64::from(*b) * 60.0).abs())
        })
        .expect("non-empty table");
    let skew = median - f64::from(offset) * 60.0;
    Some((
        ClockEstimate {
            zone_offset_minutes: offset,
            skew_seconds: (skew * 1000.0).round() / 1000.0,
            samples: samples.len(),
        },
        &samples[at],
    ))
}

/// ISO local time, with the estimated offset when there is one.
pub fn format_time(t: Option<NaiveDateTime>, clock: Option<&ClockEstimate>) -> Option<String> {
    let t = t?;
    let base = t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string();
    Some(match clock {
        Some(c) => format!("{base}{}", c.zone()),
        None => base,
    })
}

/// How an evidence time is shown: UTC with `Z`; a local time with the client's estimated
/// zone; a local time of unknown zone (a text event export) as written.
pub fn evidence_time(e: &Evidence, clock: Option<&ClockEstimate>) -> Option<String> {
    if e.utc {
        e.time
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    } else if e.zone_unknown {
        format_time(e.time, None)
    } else {
        format_time(e.time, clock)
    }
}
