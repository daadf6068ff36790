//! Durations on the command line, read by `humantime`: `250ms`, `30s`,
//! `5m`, `1h`, `2d`, and sums such as `1h30m`.

use std::time::Duration;

/// Parses a positive duration; used as a clap value parser, so a bad
/// value is a usage error (exit 2) that names the flag and shows the
/// accepted forms.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| {
        format!("{text:?} is not a duration ({e}); use e.g. 250ms, 30s, 5m, 1h, 2d or 1h30m")
    })?;
    if duration.is_zero() {
        return Err(format!("{text:?} is zero; a duration must be positive"));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_forms_parse() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
    }

    #[test]
    fn zero_is_refused_with_its_reason() {
        for zero in ["0s", "0ms", "0h0m"] {
            let error = parse_duration(zero).expect_err(zero);
            assert!(error.contains("is zero"), "{error}");
        }
    }

    #[test]
    fn nonsense_is_refused_with_the_accepted_forms() {
        for bad in ["", "30", "s", "1x", "-1s", "5 parsecs"] {
            let error = parse_duration(bad).expect_err(bad);
            assert!(error.contains("use e.g. 250ms"), "{bad}: {error}");
        }
    }
}
