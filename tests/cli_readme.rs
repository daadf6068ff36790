//! Every ```console example in README.md runs, in order, against one
//! fresh SQLite store, and prints what the README shows.
//!
//! In a block, a line starting with `$ ` is a command (bash; a trailing
//! `\` continues it on the next line) and the other lines are its expected
//! output, stdout and stderr together. Lines are compared after
//! replacing every checkpoint id, whole or shortened as tables show it
//! (`01a213c0-527`), with `<id>`, every timestamp with `<time>`, every
//! lock token (32 hex digits) with `<token>`, every duration such as
//! `299.8s`, `4m59s` or the `12s` of `12s ago` (a remaining TTL, a wait,
//! an age) with
//! `<secs>` and every run of blanks with one space, so the README can show
//! realistic output; `…` matches any text, and a line that is only `…`
//! matches any number of lines.

use std::path::Path;
use std::process::Command;

/// One console block: its first line number, the script and the output.
struct Example {
    line: usize,
    script: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut current: Option<Example> = None;
    let mut continued = false;
    for (index, line) in readme.lines().enumerate() {
        match current.as_mut() {
            None if line.trim_end() == "```console" => {
                current = Some(Example {
                    line: index + 1,
                    script: String::new(),
                    expected: Vec::new(),
                });
            }
            None => {}
            Some(_) if line.trim_end() == "```" => examples.extend(current.take()),
            Some(example) => {
                if let Some(command) = line.strip_prefix("$ ").filter(|_| !continued) {
                    example.script.push_str(command);
                    example.script.push('\n');
                    continued = command.ends_with('\\');
                } else if continued {
                    example.script.push_str(line);
                    example.script.push('\n');
                    continued = line.ends_with('\\');
                } else {
                    example.expected.push(line.to_string());
                }
            }
        }
    }
    assert!(current.is_none(), "unclosed ```console block in README.md");
    examples
}

/// `line` with ids, timestamps, tokens, durations and blank runs
/// made comparable.
fn normalize(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if let Some(len) =
            uuid_at(&chars[i..]).or_else(|| short_id_at(&chars[i..]).filter(|_| word_start))
        {
            out.push_str("<id>");
            i += len;
        } else if let Some(len) = timestamp_at(&chars[i..]) {
            out.push_str("<time>");
            i += len;
        } else if let Some(len) = token_at(&chars[i..]).filter(|_| word_start) {
            out.push_str("<token>");
            i += len;
        } else if let Some(len) = duration_at(&chars[i..]).filter(|_| word_start) {
            out.push_str("<secs>");
            i += len;
        } else if chars[i] == ' ' {
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            out.push(' ');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.trim_end().to_string()
}

/// Length of a hyphenated UUID starting at `text[0]`, if there is one.
fn uuid_at(text: &[char]) -> Option<usize> {
    let shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    (text.len() >= shape.len()
        && shape.chars().zip(text).all(|(s, &c)| {
            if s == '-' {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        }))
    .then_some(shape.len())
}

/// Length of a shortened checkpoint id (a prefix of a UUID, at least its
/// first group, ending on a hex digit and a word) starting at `text[0]`.
fn short_id_at(text: &[char]) -> Option<usize> {
    let shape: Vec<char> = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".chars().collect();
    let len = shape
        .iter()
        .zip(text)
        .take_while(|(s, c)| {
            if **s == '-' {
                **c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
        .count();
    let ends = text
        .get(len)
        .is_none_or(|c| !c.is_alphanumeric() && *c != '-');
    (len >= 8 && len < shape.len() && text[len - 1] != '-' && ends).then_some(len)
}

/// Whether a word ends before `text[len]`.
fn word_ends(text: &[char], len: usize) -> bool {
    text.get(len).is_none_or(|c| !c.is_alphanumeric())
}

/// Length of a lock token (32 lowercase hex digits, a whole word)
/// starting at `text[0]`, if there is one.
fn token_at(text: &[char]) -> Option<usize> {
    let len = 32;
    (text.len() >= len
        && text[..len]
            .iter()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(c))
        && word_ends(text, len))
    .then_some(len)
}

/// Length of a duration (`12.3s`, two units such as `4m59s`, or whole
/// seconds in an age such as `12s ago`,
/// a whole word) starting at `text[0]`, if there is one.
fn duration_at(text: &[char]) -> Option<usize> {
    let digits = text.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = &text[digits..];
    if digits > 0 && rest.len() >= 3 && rest[0] == '.' && rest[1].is_ascii_digit() && rest[2] == 's'
    {
        return word_ends(text, digits + 3).then_some(digits + 3);
    }
    let ago: Vec<char> = "s ago".chars().collect();
    if digits > 0 && rest.starts_with(&ago) && word_ends(text, digits + ago.len()) {
        return Some(digits + 1);
    }
    let unit = rest.first().filter(|c| matches!(c, 'd' | 'h' | 'm'))?;
    let after = &rest[1..];
    let more = after.iter().take_while(|c| c.is_ascii_digit()).count();
    let small = match unit {
        'd' => 'h',
        'h' => 'm',
        _ => 's',
    };
    let len = digits + 1 + more + 1;
    (digits > 0 && more > 0 && after.get(more) == Some(&small) && word_ends(text, len))
        .then_some(len)
}

/// Length of an RFC 3339 UTC timestamp starting at `text[0]`, if any.
fn timestamp_at(text: &[char]) -> Option<usize> {
    let shape = "dddd-dd-ddTdd:dd:dd";
    let fits = text.len() > shape.len()
        && shape.chars().zip(text).all(
            |(s, &c)| {
                if s == 'd' {
                    c.is_ascii_digit()
                } else {
                    c == s
                }
            },
        );
    if !fits {
        return None;
    }
    let mut len = shape.len();
    if text.get(len) == Some(&'.') {
        len += 1;
        while text.get(len).is_some_and(|c| c.is_ascii_digit()) {
            len += 1;
        }
    }
    (text.get(len) == Some(&'Z')).then_some(len + 1)
}

/// Whether `line` matches `pattern` once both are normalized.
fn line_matches(pattern: &str, line: &str) -> bool {
    let (pattern, line) = (normalize(pattern), normalize(line));
    let (pattern, line) = (pattern.as_str(), line.as_str());
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `actual` matches `expected` line by line (`…` lines match any run).
fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            !actual.is_empty() && line_matches(first, actual[0]) && lines_match(rest, &actual[1..])
        }
    }
}

#[test]
fn readme_examples_run_and_print_what_they_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 8, "README.md lost its examples");

    let work = tempfile::tempdir().expect("tempdir");
    let binary = assert_cmd::cargo::cargo_bin("threadctl");
    let bin_dir = binary.parent().expect("binary dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let url = format!("sqlite://{}", work.path().join("readme.db").display());
    for example in &examples {
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!("set -eo pipefail\nexec 2>&1\n{}", example.script))
            .current_dir(work.path())
            .env("PATH", &path)
            .env("HOME", work.path())
            .env("THREADCTL_URL", &url)
            .env_remove("THREADCTL_TENANT")
            .env_remove("THREADCTL_LOG")
            .env_remove("COLUMNS")
            .output()
            .expect("run bash");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "README.md example at line {} failed ({:?}):\n{}\n--- output ---\n{stdout}",
            example.line,
            output.status.code(),
            example.script
        );
        let actual: Vec<&str> = stdout.lines().collect();
        assert!(
            lines_match(&example.expected, &actual),
            "README.md example at line {} printed something else.\n--- script ---\n{}--- expected ---\n{}\n--- actual ---\n{stdout}",
            example.line,
            example.script,
            example.expected.join("\n")
        );
    }
}

/// The lines of the first code block in `text` that opens with `fence`,
/// after removing `prefix` from each line.
fn code_block(text: &str, fence: &str, prefix: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            line.strip_prefix(prefix)
                .or_else(|| line.strip_prefix(prefix.trim_end()))
                .unwrap_or(line)
        })
        .collect();
    let start = lines
        .iter()
        .position(|line| *line == fence)
        .unwrap_or_else(|| panic!("no {fence} block"));
    lines[start + 1..]
        .iter()
        .take_while(|line| **line != "```")
        .map(|line| line.to_string())
        .collect()
}

#[test]
fn the_library_example_is_the_compiled_doctest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let in_readme = code_block(&readme, "```rust", "");
    let in_lib = code_block(&lib, "```no_run", "//! ");
    assert!(in_readme.len() > 10, "README.md lost its library example");
    assert_eq!(
        in_readme, in_lib,
        "README.md's ```rust example must equal the doctest in src/lib.rs, which `cargo test --doc` compiles"
    );
}

#[test]
fn the_matcher_understands_ellipses_and_placeholders() {
    assert!(line_matches("id  …", "id  0193"));
    assert!(line_matches("a…b…c", "aXbYc"));
    assert!(!line_matches("a…b…c", "aXbY"));
    assert!(!line_matches("exact", "exact!"));
    assert!(line_matches(
        "● 01a213bf-d417-7358-909d-fda328e1f74e  step 0  2026-11-25T17:27:48.503Z",
        "● 01a213bf-d558-74e2-962f-4dfea672b14e step 0     2026-11-25T17:27:48.824581Z"
    ));
    assert!(!line_matches("step 0", "step 1"));
    assert!(line_matches(
        "entelix:lock:606cfe0d6a56483b  held  300.0s  -",
        "entelix:lock:606cfe0d6a56483b  held  299.8s  -"
    ));
    assert!(!line_matches(
        "entelix:lock:606cfe0d6a56483b  held",
        "entelix:lock:606cfe0d6a56483c  held"
    ));
    assert!(line_matches("held  5m0s  -", "held  4m59s  -"));
    assert!(!line_matches("held 300.0s", "free 300.0s"));
    assert!(!line_matches("TTL 5s", "TTL 6s"));
    assert!(line_matches(
        "default  t1  4  12s ago",
        "default  t1  4  0s ago"
    ));
    assert!(line_matches("t1  3m2s ago", "t1  12s ago"));
    assert!(line_matches(
        "01a213c0-527  01a213c0  1  agent",
        "01a2381e-e3  01a2381e-e35b  1  agent"
    ));
    assert!(!line_matches("01a213c0-527  1", "01a2381e-e3  2"));
    assert!(!line_matches(
        "KEY 0123456789abcdef",
        "KEY 0123456789abcdee"
    ));
    assert!(!line_matches("v1.0s2", "v1.9s2"));
    assert!(line_matches(
        "c1b44628d43a47ca8e25517c63d776f2",
        "6c3c9c310a214e9eb73ad7606417354f"
    ));
    assert!(!line_matches(
        "c1b44628d43a47ca8e25517c63d776f2",
        "6c3c9c310a214e9eb73ad7606417354f0"
    ));
    let expected = vec!["[".to_string(), "…".to_string(), "]".to_string()];
    assert!(lines_match(&expected, &["[", "1", "2", "]"]));
    assert!(lines_match(&expected, &["[", "]"]));
    assert!(!lines_match(&expected, &["[", "1"]));
}
