//! Times and durations as the CLI prints them: to the second in tables
//! (`2026-11-25T17:28:20Z`), RFC 3339 with a fixed six fraction digits in
//! JSON, and remaining durations for people (`12.3s`, `4m59s`, `2h5m`).

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// A time for a table cell: RFC 3339 UTC to the second.
pub fn table_time(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time for JSON output: RFC 3339 UTC with exactly six fraction digits.
pub fn json_time(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A duration for people: tenths of seconds under a minute, else its two
/// largest units (`4m59s`, `2h5m`, `3d4h`).
pub fn human_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs < 60 {
        return format!("{:.1}s", duration.as_secs_f64());
    }
    let (days, hours, minutes) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60);
    if days > 0 {
        format!("{days}d{hours}h")
    } else if hours > 0 {
        format!("{hours}h{minutes}m")
    } else {
        format!("{minutes}m{}s", secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_two_units() {
        assert_eq!(human_duration(Duration::from_millis(29_940)), "29.9s");
        assert_eq!(human_duration(Duration::from_secs(299)), "4m59s");
        assert_eq!(human_duration(Duration::from_secs(7500)), "2h5m");
        assert_eq!(
            human_duration(Duration::from_secs(8_639_999_999)),
            "99999d23h"
        );
    }

    #[test]
    fn times_have_a_fixed_precision() {
        let ts = DateTime::parse_from_rfc3339("2026-11-25T17:28:20.5Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(table_time(&ts), "2026-11-25T17:28:20Z");
        assert_eq!(json_time(&ts), "2026-11-25T17:28:20.500000Z");
    }
}
