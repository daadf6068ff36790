//! Every ```console example in README.md runs, in order, against one
//! fresh SQLite store, and prints what the README shows.
//!
//! In a block, a line starting with `$ ` is a command (bash; a trailing
//! `\` continues it on the next line) and the other lines are its expected
//! output, stdout and stderr together. Lines are compared after
//! replacing every checkpoint id with `<id>`, every timestamp with
//! `<time>` and every run of blanks with one space, so the README can show
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

/// `line` with ids, timestamps and blank runs made comparable.
fn normalize(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = uuid_at(&chars[i..]) {
            out.push_str("<id>");
            i += len;
        } else if let Some(len) = timestamp_at(&chars[i..]) {
            out.push_str("<time>");
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

#[test]
fn the_matcher_understands_ellipses() {
    assert!(line_matches("id  …", "id  0193"));
    assert!(line_matches("a…b…c", "aXbYc"));
    assert!(!line_matches("a…b…c", "aXbY"));
    assert!(!line_matches("exact", "exact!"));
    assert!(line_matches(
        "● 01a213bf-d417-7358-909d-fda328e1f74e  step 0  2026-11-25T17:27:48.503Z",
        "● 01a213bf-d558-74e2-962f-4dfea672b14e step 0     2026-11-25T17:27:48.824581Z"
    ));
    assert!(!line_matches("step 0", "step 1"));
    let expected = vec!["[".to_string(), "…".to_string(), "]".to_string()];
    assert!(lines_match(&expected, &["[", "1", "2", "]"]));
    assert!(lines_match(&expected, &["[", "]"]));
    assert!(!lines_match(&expected, &["[", "1"]));
}
