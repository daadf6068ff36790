//! Reading JSON arguments: a literal, `@FILE`, or `-` for stdin, with
//! errors that say which flag and where the JSON is invalid.

use std::io::{IsTerminal, Read};

use anyhow::Result;
use serde_json::{Map, Value};

use threadctl::model::json_depth::ensure_depth_fits;
use threadctl::model::stored_json::inexact_integer;

use crate::cli::exit::usage;

/// Parses the JSON given to `flag` as a literal, `@FILE` or `-` (stdin).
///
/// Invalid JSON, unreadable files (also files that are not UTF-8), values
/// nested deeper than threadctl stores and integers that do not fit in 64
/// bits and that a double would change (serde_json would silently round
/// them; [`inexact_integer`]) are usage errors
/// (exit 2) naming the flag, the file and the line and column of the problem.
pub fn read_json(flag: &str, raw: &str) -> Result<Value> {
    let (text, source) = if raw == "-" {
        if std::io::stdin().is_terminal() {
            eprintln!("reading {flag} from the terminal; end with Ctrl-D");
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| usage(format!("cannot read {flag} from stdin: {e}")))?;
        (text, format!("{flag} (stdin)"))
    } else if let Some(path) = raw.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read {flag} file {path}: {e}")))?;
        (text, format!("{flag} file {path}"))
    } else {
        (raw.to_string(), flag.to_string())
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| usage(format!("invalid JSON in {source}: {e}")))?;
    ensure_depth_fits(&value, "JSON input").map_err(|e| usage(format!("{source}: {e}")))?;
    if let Some(inexact) = inexact_integer(text.as_bytes()) {
        return Err(usage(format!("{source} {}", inexact.describe())));
    }
    Ok(value)
}

/// Like [`read_json`], but the value must be a JSON object.
pub fn read_object(flag: &str, raw: &str) -> Result<Map<String, Value>> {
    match read_json(flag, raw)? {
        Value::Object(map) => Ok(map),
        other => Err(usage(format!(
            "{flag} must be a JSON object, got {}",
            crate::cli::ui::output::summary(&other, 40)
        ))),
    }
}

/// Refuses more than one of `sources` reading stdin (`-`): stdin can be
/// read only once.
pub fn at_most_one_stdin(sources: &[(&str, Option<&str>)]) -> Result<()> {
    let readers: Vec<&str> = sources
        .iter()
        .filter(|(_, raw)| *raw == Some("-"))
        .map(|(flag, _)| *flag)
        .collect();
    if readers.len() > 1 {
        return Err(usage(format!(
            "only one argument can read stdin, but {} all use -",
            readers.join(" and ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_names_the_flag_and_the_position() {
        let err = read_json("--state", r#"{"a": 1,}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--state"), "{err}");
        assert!(err.contains("line 1 column 9"), "{err}");
    }

    #[test]
    fn literals_and_files_parse() {
        assert_eq!(
            read_json("--state", "[1, 2]").unwrap(),
            serde_json::json!([1, 2])
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, r#"{"k": "v"}"#).unwrap();
        let value = read_json("--state", &format!("@{}", path.display())).unwrap();
        assert_eq!(value["k"], "v");
        let missing = read_json("--state", "@/nonexistent/x.json").unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/x.json"));
    }

    #[test]
    fn integers_beyond_64_bits_are_refused_not_rounded() {
        for fits in [
            r#"{"n": 18446744073709551615}"#,
            r#"[-9223372036854775808, 1e300, 123456789012345678901234.5]"#,
            r#"{"s": "123456789012345678901234567890", "e\\\"": 1}"#,
        ] {
            assert!(read_json("--state", fits).is_ok(), "{fits}");
        }
        for (beyond, number) in [
            (r#"{"n": 18446744073709551616}"#, "18446744073709551616"),
            (r#"["\"", -9223372036854775809]"#, "-9223372036854775809"),
        ] {
            let err = read_json("--state", beyond).unwrap_err().to_string();
            assert!(err.contains(number) && err.contains("64 bits"), "{err}");
        }
    }

    #[test]
    fn deep_json_and_non_utf8_files_are_usage_errors() {
        let deep = "[".repeat(101) + &"]".repeat(101);
        let err = read_json("--state", &deep).unwrap_err().to_string();
        assert!(err.contains("101 levels"), "{err}");
        let deeper = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = read_json("--state", &deeper).unwrap_err().to_string();
        assert!(err.contains("recursion limit"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.json");
        std::fs::write(&path, b"{\"k\": \"caf\xe9\"}").unwrap();
        let err = read_json("--state", &format!("@{}", path.display()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("UTF-8") && err.contains("latin1.json"),
            "{err}"
        );
    }

    #[test]
    fn objects_are_required_where_asked() {
        assert!(read_object("--metadata", "[]").is_err());
        assert!(at_most_one_stdin(&[("--state", Some("-")), ("--metadata", Some("-"))]).is_err());
        assert!(at_most_one_stdin(&[("--state", Some("-")), ("--metadata", None)]).is_ok());
    }
}
