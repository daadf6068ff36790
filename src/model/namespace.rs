//! Store namespaces: a tenant plus ordered scope segments, and their
//! escaped rendered form (`\` → `\\`, `:` → `\:`, joined by `:`).

use std::fmt;

use crate::error::{Error, Result};
use crate::model::TenantId;

/// A Store namespace: the tenant first, then scope segments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Namespace {
    /// Owning tenant (the first rendered segment).
    pub tenant: TenantId,
    /// Scope segments below the tenant, outermost first.
    pub scope: Vec<String>,
}

impl Namespace {
    /// A namespace for `tenant` with the given scope segments.
    pub fn new(tenant: TenantId, scope: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            tenant,
            scope: scope.into_iter().map(Into::into).collect(),
        }
    }

    /// The rendered form stored in Postgres/SQLite and used in Redis keys.
    pub fn render(&self) -> String {
        let mut out = String::new();
        push_escaped(&mut out, self.tenant.as_str());
        for segment in &self.scope {
            out.push(':');
            push_escaped(&mut out, segment);
        }
        out
    }

    /// Parses a rendered namespace; the exact inverse of [`Namespace::render`].
    ///
    /// Unknown escapes, a trailing lone `\` and an empty tenant are errors.
    pub fn parse(rendered: &str) -> Result<Self> {
        let mut segments = vec![String::new()];
        let mut chars = rendered.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('\\' | ':')) => segments.last_mut().expect("non-empty").push(e),
                    Some(other) => {
                        return Err(Error::invalid(
                            "namespace",
                            format!("unknown escape \\{other} in {rendered:?}"),
                        ))
                    }
                    None => {
                        return Err(Error::invalid(
                            "namespace",
                            format!("trailing lone \\ in {rendered:?}"),
                        ))
                    }
                },
                ':' => segments.push(String::new()),
                c => segments.last_mut().expect("non-empty").push(c),
            }
        }
        let mut segments = segments.into_iter();
        let tenant = TenantId::new(segments.next().unwrap_or_default())?;
        Ok(Self {
            tenant,
            scope: segments.collect(),
        })
    }

    /// True when `self` equals `prefix` or lies below it (segment-wise).
    pub fn starts_with(&self, prefix: &Namespace) -> bool {
        self.tenant == prefix.tenant && self.scope.starts_with(&prefix.scope)
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        if c == '\\' || c == ':' {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(tenant: &str, scope: &[&str]) -> Namespace {
        Namespace::new(TenantId::new(tenant).unwrap(), scope.iter().copied())
    }

    #[test]
    fn renders_the_format_example() {
        assert_eq!(
            ns("acme", &["agent:1", "notes"]).render(),
            "acme:agent\\:1:notes"
        );
    }

    #[test]
    fn parse_is_the_inverse_of_render() {
        for n in [
            ns("acme", &[]),
            ns("a:b", &["c\\d", "", "e:"]),
            ns("x", &["\\", ":", "%_*?["]),
        ] {
            assert_eq!(Namespace::parse(&n.render()).unwrap(), n);
        }
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert!(Namespace::parse("acme:a\\x").is_err());
        assert!(Namespace::parse("acme:a\\").is_err());
        assert!(Namespace::parse(":a").is_err());
    }
}
