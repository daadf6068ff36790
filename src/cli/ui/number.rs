//! Parsing numeric flags (`--limit`, `--since`, `--step`, …): anything
//! but a non-negative integer, a negative number included, gets one
//! message saying what is expected (clap alone would take `-1` for a flag
//! and suggest `-- -1`, which is wrong advice).

use std::str::FromStr;

/// Parses a non-negative integer flag value. Use with
/// `allow_negative_numbers = true` so that `-1` reaches it.
pub fn parse_count<T: FromStr>(raw: &str) -> Result<T, String> {
    raw.parse()
        .map_err(|_| "must be a non-negative integer, e.g. 10".to_string())
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
}
