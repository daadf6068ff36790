//! Name filters (`threads`, and the `--tenants`/`--thread` selections of
//! bulk commands): globs matched by the `glob` crate, limited
//! to `*` (any run of characters, `/` included), `?` (one character) and
//! `\` (the next character is literal). Every other character is literal,
//! so ids holding `[` or `]` are matched as written.

use glob::{MatchOptions, Pattern};

/// Names are not paths: `*` and `?` cross `/`, and a leading `.` is
/// ordinary.
const NAME_MATCHING: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: false,
    require_literal_leading_dot: false,
};

/// A compiled name filter. Built by clap through [`parse_glob`], so a bad
/// pattern is a usage error that names its flag.
#[derive(Debug, Clone)]
pub struct NameGlob {
    /// The pattern as given.
    text: String,
    pattern: Pattern,
    /// The one name matched, when the pattern has no wildcard.
    literal: Option<String>,
}

impl NameGlob {
    /// True when `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        self.pattern.matches_with(name, NAME_MATCHING)
    }

    /// The only name the pattern matches, when it has no `*` or `?`: lets
    /// a backend look that name up instead of scanning (and lets Postgres
    /// scope a query to one tenant under row-level security).
    pub fn literal(&self) -> Option<&str> {
        self.literal.as_deref()
    }

    /// The pattern as it was given (recorded in a dump's header).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Compiles `text`; used as a clap value parser.
pub fn parse_glob(text: &str) -> Result<NameGlob, String> {
    let invalid = |why: &str| format!("{text:?} is not a valid pattern: {why}");
    let syntax = to_crate_syntax(text).ok_or_else(|| invalid("it ends with a lone `\\`"))?;
    Ok(NameGlob {
        text: text.to_string(),
        pattern: Pattern::new(&syntax).map_err(|e| invalid(e.msg))?,
        literal: literal_of(text),
    })
}

/// The name `pattern` matches when it has no wildcard (escapes resolved).
fn literal_of(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' | '?' => return None,
            '\\' => out.push(chars.next()?),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// `pattern` in the `glob` crate's syntax with its extras switched off:
/// `\X` and brackets become bracketed literals, and runs of `*` fold into
/// one (the crate gives `**` a directory meaning). `None` for a trailing
/// lone `\`.
fn to_crate_syntax(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut after_star = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str(&Pattern::escape(chars.next()?.encode_utf8(&mut [0; 4]))),
            '[' | ']' => out.push_str(&Pattern::escape(c.encode_utf8(&mut [0; 4]))),
            '*' if after_star => {}
            _ => out.push(c),
        }
        after_star = c == '*';
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::parse_glob;

    fn matches(pattern: &str, name: &str) -> bool {
        parse_glob(pattern).expect(pattern).matches(name)
    }

    #[test]
    fn stars_and_questions_match_whole_names() {
        assert!(matches("*", ""));
        assert!(matches("t*", "t1"));
        assert!(matches("*-prod", "agent-prod"));
        assert!(!matches("*-prod", "agent-prod2"));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(matches("t?", "t1"));
        assert!(matches("t?", "tü"));
        assert!(!matches("t?", "t12"));
        assert!(matches("ü*", "über"));
        assert!(matches("*", ".hidden"));
    }

    #[test]
    fn slashes_are_ordinary_characters() {
        assert!(matches("team/*", "team/a/b"));
        assert!(matches("a?b", "a/b"));
        assert!(matches("a**b", "a/x/b"));
        assert!(!matches("**/x", "x"));
        assert!(matches("**/x", "a/x"));
    }

    #[test]
    fn escapes_and_brackets_are_literal() {
        assert!(matches(r"a\*", "a*"));
        assert!(!matches(r"a\*", "ab"));
        assert!(matches(r"a\**", "a*b"));
        assert!(!matches(r"a\**", "ab"));
        assert!(matches(r"a\?", "a?"));
        assert!(!matches(r"a\?", "ab"));
        assert!(matches(r"a\\*", r"a\b"));
        assert!(matches("run[1]", "run[1]"));
        assert!(!matches("run[1]", "run1"));
        assert!(matches("[!x]", "[!x]"));
        assert!(matches(r"a\[*", "a[x"));
    }

    #[test]
    fn only_wildcard_free_patterns_are_literals() {
        let literal = |p: &str| parse_glob(p).expect(p).literal().map(str::to_string);
        assert_eq!(literal("acme"), Some("acme".into()));
        assert_eq!(literal(r"a\*b"), Some("a*b".into()));
        assert_eq!(literal("run[1]"), Some("run[1]".into()));
        assert_eq!(literal("a*"), None);
        assert_eq!(literal("a?"), None);
    }

    #[test]
    fn a_lone_trailing_backslash_is_refused() {
        let error = parse_glob("t\\").expect_err("dangling escape");
        assert!(error.contains("lone"), "{error}");
    }
}
