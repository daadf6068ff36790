//! Security guard (issue 14): every Postgres statement threadctl sends is
//! bound, never formatted from input. This scans the Postgres backend's
//! source: each SQL text handed to sqlx is a string literal, a constant,
//! or a `format!` whose every interpolation is an allow-listed constant
//! fragment; no SQL is assembled with `push_str` or `+`. Values (tenant,
//! thread, namespace, key, state) can then reach the server only as bind
//! parameters (`$1`), so none of them can change a statement.

use std::path::Path;

/// The source folder whose SQL is checked.
const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/backend/postgres");

/// Names a `format!` building SQL may interpolate: constant SQL fragments
/// of the source itself, never values.
const ALLOWED_FRAGMENTS: [&str; 3] = [
    // The advisory-lock view (a `const &str` in admin.rs).
    "ADVISORY_LOCKS",
    // The checkpoint column list (a `const &str` in floor.rs).
    "ROW",
    // A GROUP BY prefix chosen between two literals (bulk.rs).
    "group",
];

/// SQL texts that are neither literals nor constants, and why they are
/// still not input: (file, argument).
const ALLOWED_ARGUMENTS: [(&str, &str); 3] = [
    // One of two constants, the listing from the start or after a pair.
    ("listing.rs", "summaries"),
    // A `&'static str` parameter of a closure given only literals.
    ("schema.rs", "sql"),
    // The migration files, compiled in with `include_str!`.
    ("schema.rs", "migration.sql"),
];

/// Calls whose first argument is a SQL text.
const SQL_CALLS: [&str; 5] = [
    "sqlx::query(",
    "sqlx::query_scalar(",
    "sqlx::query_as(",
    "sqlx::raw_sql(",
    ".execute(",
];

/// Words that start a string literal holding SQL.
const SQL_WORDS: [&str; 10] = [
    "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "ALTER ", "DROP ", "GRANT ", "WITH ",
    "SET ",
];

fn sources() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(SOURCE)
        .expect("the Postgres backend's source folder")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (
                name,
                std::fs::read_to_string(&path).expect("readable source"),
            )
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "found only {} files in {SOURCE}",
        files.len()
    );
    files
}

/// The length of the string literal starting at `text[0] == '"'`
/// (through its closing quote), honouring backslash escapes.
fn literal_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The arguments of the call whose `(` is just before `text`, split at
/// top-level commas, up to the matching `)`.
fn call_arguments(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    let mut arguments = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += literal_len(&text[i..]);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => {
                arguments.push(text[start..i].trim());
                return arguments;
            }
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                arguments.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced call: {}", &text[..text.len().min(200)]);
}

/// The string literals of `text`, in order (an unterminated last one, as
/// on a line ending a multi-line literal, is left out).
fn literals(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = text[i..].find('"') {
        let start = i + offset;
        let len = literal_len(&text[start..]);
        if len < 2 || !text[start..start + len].ends_with('"') {
            break;
        }
        found.push(&text[start + 1..start + len - 1]);
        i = start + len;
    }
    found
}

/// The names interpolated by the format string `literal` (`{name}` or
/// `{name:spec}`); an empty name is a positional argument.
fn placeholders(literal: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        if rest[open + 1..].starts_with('{') {
            rest = &rest[open + 2..];
            continue;
        }
        let close = rest[open..]
            .find('}')
            .unwrap_or_else(|| panic!("an unclosed placeholder in {literal:?}"))
            + open;
        let inner = &rest[open + 1..close];
        names.push(inner.split(':').next().unwrap_or("").to_string());
        rest = &rest[close + 1..];
    }
    names
}

fn is_sql(literal: &str) -> bool {
    SQL_WORDS
        .iter()
        .any(|word| literal.trim_start().starts_with(word))
}

fn is_constant(argument: &str) -> bool {
    let name = argument.trim_start_matches('&');
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// An `.execute(…)` argument that is an executor (pool, connection,
/// transaction), not SQL.
fn is_executor(argument: &str) -> bool {
    argument.starts_with("&mut ")
        || argument.starts_with("&*")
        || ["pool", "conn", "tx"].contains(&argument)
}

/// Problems in one `format!(…)` whose literal is SQL.
fn check_sql_format(file: &str, arguments: &[&str], problems: &mut Vec<String>) {
    let Some(template) = arguments.first().and_then(|a| literals(a).first().copied()) else {
        return;
    };
    if !is_sql(template) {
        return;
    }
    for name in placeholders(template) {
        if !ALLOWED_FRAGMENTS.contains(&name.as_str()) {
            problems.push(format!(
                "{file}: SQL format!(\"{template:.60}…\") interpolates {{{name}}}, which is not an allow-listed constant fragment"
            ));
        }
    }
    for named in &arguments[1..] {
        let (name, value) = named.split_once('=').unwrap_or(("", named));
        let without_literals = literals(value).iter().fold(value.to_string(), |v, lit| {
            v.replacen(&format!("\"{lit}\""), "", 1)
        });
        let words_ok = without_literals
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .all(|w| ["if", "else", "per_thread"].contains(&w));
        if !(ALLOWED_FRAGMENTS.contains(&name.trim()) && words_ok) {
            problems.push(format!(
                "{file}: SQL format! argument `{named}` is not a choice between literals"
            ));
        }
    }
}

#[test]
fn postgres_statements_are_bound_never_formatted_from_input() {
    let mut problems = Vec::new();
    let (mut sql_calls, mut sql_formats) = (0, 0);
    for (file, text) in sources() {
        for (at, _) in text.match_indices("format!(") {
            let arguments = call_arguments(&text[at + "format!(".len()..]);
            if literals(arguments[0]).first().is_some_and(|l| is_sql(l)) {
                sql_formats += 1;
            }
            check_sql_format(&file, &arguments, &mut problems);
        }
        for call in SQL_CALLS {
            for (at, _) in text.match_indices(call) {
                let argument = call_arguments(&text[at + call.len()..])[0];
                if call == ".execute(" && is_executor(argument) {
                    continue;
                }
                sql_calls += 1;
                let fine = argument.starts_with('"')
                    || argument.starts_with("&format!(")
                    || is_constant(argument)
                    || ALLOWED_ARGUMENTS.contains(&(file.as_str(), argument));
                if !fine {
                    problems.push(format!(
                        "{file}: {call}{argument}) sends SQL that is neither a literal, a constant nor a checked format!"
                    ));
                }
            }
        }
        for line in text
            .lines()
            .filter(|l| literals(l).iter().any(|lit| is_sql(lit)))
        {
            if line.contains("push_str(") || line.contains("\" +") || line.contains("+ \"") {
                problems.push(format!(
                    "{file}: SQL assembled by concatenation: {}",
                    line.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The scan found what it guards: dozens of statements, a few formatted.
    assert!(sql_calls > 30, "only {sql_calls} SQL calls found");
    assert!(sql_formats >= 5, "only {sql_formats} SQL format!s found");
}

#[test]
fn the_scan_catches_values_formatted_into_sql() {
    let mut problems = Vec::new();
    let bad = r#""SELECT * FROM checkpoints WHERE tenant_id = '{tenant}'", tenant = t)"#;
    check_sql_format("x.rs", &call_arguments(bad), &mut problems);
    let positional = r#""DELETE FROM memory_items WHERE key = '{}'", key)"#;
    check_sql_format("x.rs", &call_arguments(positional), &mut problems);
    let fine = r#""SELECT {ROW} FROM checkpoints WHERE tenant_id = $1")"#;
    check_sql_format("x.rs", &call_arguments(fine), &mut problems);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].contains("{tenant}"));
    assert!(problems[2].contains("{}"));
    assert!(!is_constant("sql") && is_constant("&REFERENCE_LAYOUT"));
    assert!(Path::new(SOURCE).is_dir());
}
