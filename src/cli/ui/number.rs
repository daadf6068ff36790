//! Parsing numeric flags (`--limit`, `--since`, `--step`, …): anything
//! but a non-negative integer, a negative number included, gets one
//! message saying what is expected (clap alone would take `-1` for a flag
//! and suggest `-- -1`, which is wrong advice).

use std::fmt::Display;
use std::str::FromStr;

/// Parses a non-negative integer flag value. Use with
/// `allow_negative_numbers = true` so that `-1` reaches it.
pub fn parse_count<T: FromStr>(raw: &str) -> Result<T, String> {
    raw.parse()
        .map_err(|_| "must be a non-negative integer, e.g. 10".to_string())
}

/// A parser of a non-negative integer flag value from `min` up to `max`
/// (no upper bound when `None`), with the same message as
/// [`parse_count`] naming the range. Use with `allow_negative_numbers`.
pub fn count_in<T>(
    min: T,
    max: Option<T>,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    move |raw| {
        let range = match max {
            Some(max) => format!("from {min} to {max}"),
            None => format!("of at least {min}"),
        };
        let message = || format!("must be a non-negative integer {range}, e.g. {min}");
        let n: T = raw.parse().map_err(|_| message())?;
        if n < min || max.is_some_and(|max| n > max) {
            return Err(message());
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_non_negative_integers() {
        assert_eq!(parse_count::<usize>("10"), Ok(10));
        assert!(parse_count::<usize>("-1").is_err());
        assert!(parse_count::<u64>("1.5").is_err());
    }

    #[test]
    fn bounded_counts_name_their_range() {
        let batch = count_in(1u32, Some(10_000));
        assert_eq!(batch("500"), Ok(500));
        for bad in ["0", "10001", "-1", "x"] {
            assert_eq!(
                batch(bad),
                Err("must be a non-negative integer from 1 to 10000, e.g. 1".to_string())
            );
        }
        assert_eq!(
            count_in(1u32, None)("0"),
            Err("must be a non-negative integer of at least 1, e.g. 1".to_string())
        );
    }
}
