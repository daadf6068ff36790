//! Times and durations as the CLI prints them: ages in tables (`3m ago`,
//! `in 4m59s`) or to the second with `-o wide` (`2026-11-25T17:28:20Z`),
//! RFC 3339 with a fixed six fraction digits in JSON, and remaining
//! durations for people (`12.3s`, `4m59s`, `2h5m`); and the TIME flags
//! (`--since`, `--until`).

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::cli::ui::duration::parse_duration;

/// A time for a table cell: RFC 3339 UTC to the second.
pub fn table_time(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time for JSON output: RFC 3339 UTC with exactly six fraction digits.
pub fn json_time(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `ts` as seen from `now`, to the second: `12s ago`, `4m59s ago`,
/// `in 2h5m` for a time still to come.
pub fn relative_time(ts: &DateTime<Utc>, now: DateTime<Utc>) -> String {
    let whole = |d: Duration| {
        if d.as_secs() < 60 {
            format!("{}s", d.as_secs())
        } else {
            human_duration(d)
        }
    };
    match (now - *ts).to_std() {
        Ok(past) => format!("{} ago", whole(past)),
        Err(_) => format!("in {}", whole((*ts - now).to_std().unwrap_or_default())),
    }
}

/// Parses a TIME flag: an RFC 3339 time (`2026-11-25T17:28:20Z`) or a
/// duration meaning that long ago (`30m`, `2h`).
pub fn parse_time(raw: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(ts) = DateTime::parse_from_rfc3339(raw) {
        return Ok(ts.with_timezone(&Utc));
    }
    parse_duration(raw)
        .ok()
        .and_then(|ago| chrono::Duration::from_std(ago).ok())
        .and_then(|ago| Utc::now().checked_sub_signed(ago))
        .ok_or_else(|| {
            "must be an RFC 3339 time (2026-11-25T17:28:20Z) or a duration ago (30m, 2h)"
                .to_string()
        })
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
    fn ages_read_to_the_second_past_or_to_come() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T17:28:20Z")
            .expect("time")
            .with_timezone(&Utc);
        let ago = |secs| now - chrono::Duration::seconds(secs);
        assert_eq!(relative_time(&ago(12), now), "12s ago");
        assert_eq!(relative_time(&ago(299), now), "4m59s ago");
        assert_eq!(relative_time(&ago(-7500), now), "in 2h5m");
        assert_eq!(relative_time(&now, now), "0s ago");
    }

    #[test]
    fn time_flags_take_rfc3339_or_a_duration_ago() {
        let exact = parse_time("2026-11-25T17:28:20+01:00").expect("rfc 3339");
        assert_eq!(table_time(&exact), "2026-11-25T16:28:20Z");
        let hour_ago = parse_time("1h").expect("duration");
        let age = Utc::now() - hour_ago;
        assert!(age >= chrono::Duration::minutes(59) && age <= chrono::Duration::minutes(61));
        assert!(parse_time("yesterday").unwrap_err().contains("RFC 3339"));
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
