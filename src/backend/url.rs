//! Choosing a backend from a URL, and printing URLs without passwords.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// A parsed store location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// `postgres://…` or `postgresql://…`, passed to the driver as written.
    Postgres(String),
    /// `redis://…` (or `rediss://…`), passed to the driver as written.
    Redis(String),
    /// `sqlite://PATH` (relative or absolute path to the database file).
    Sqlite(PathBuf),
}

impl StoreUrl {
    /// Parses `url`, refusing unknown schemes and empty SQLite paths.
    pub fn parse(url: &str) -> Result<Self> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            Error::invalid(
                "store URL",
                format!(
                    "{:?} has no scheme; expected postgres://, redis:// or sqlite://",
                    redact(url)
                ),
            )
        })?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(StoreUrl::Postgres(url.to_string())),
            "redis" | "rediss" => Ok(StoreUrl::Redis(url.to_string())),
            "sqlite" if rest.is_empty() => Err(Error::invalid(
                "store URL",
                "sqlite:// needs a file path, e.g. sqlite:///var/lib/threadctl.db",
            )),
            "sqlite" => Ok(StoreUrl::Sqlite(PathBuf::from(rest))),
            other => Err(Error::invalid(
                "store URL",
                format!("unknown scheme {other:?}; expected postgres://, redis:// or sqlite://"),
            )),
        }
    }

    /// The embedded default: `threadctl/threadctl.db` in the user's data
    /// directory (e.g. `~/.local/share/threadctl/threadctl.db`).
    pub fn embedded_default() -> Result<Self> {
        let base = dirs::data_dir().ok_or_else(|| {
            Error::invalid(
                "store URL",
                "no user data directory (is $HOME set?); pass --url sqlite://PATH",
            )
        })?;
        Ok(StoreUrl::Sqlite(
            base.join("threadctl").join("threadctl.db"),
        ))
    }

    /// The location with any password replaced by `***`, safe to print.
    pub fn redacted(&self) -> String {
        match self {
            StoreUrl::Postgres(u) | StoreUrl::Redis(u) => redact(u),
            StoreUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }
}

/// `url` with its password (if any) replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Setting a password only fails on URLs that cannot have one.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => match (url.find("://"), url.rfind('@')) {
            (Some(start), Some(at)) if at > start => {
                format!("{}***{}", &url[..start + 3], &url[at..])
            }
            _ => url.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_pick_backends() {
        assert!(matches!(
            StoreUrl::parse("postgresql://h/db"),
            Ok(StoreUrl::Postgres(_))
        ));
        assert!(matches!(
            StoreUrl::parse("redis://127.0.0.1/3"),
            Ok(StoreUrl::Redis(_))
        ));
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/x.db").unwrap(),
            StoreUrl::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert!(StoreUrl::parse("mysql://h").is_err());
        assert!(StoreUrl::parse("nonsense").is_err());
        assert!(StoreUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_print() {
        let url = "postgres://admin:s3cret@db.internal:5432/app";
        assert_eq!(redact(url), "postgres://admin:***@db.internal:5432/app");
        assert!(!StoreUrl::parse(url).unwrap().redacted().contains("s3cret"));
        assert!(!redact("redis://:hunter2@cache:6379/0").contains("hunter2"));
        assert!(!redact("postgres://u:p@ss@[bad").contains("p@ss"));
    }
}
