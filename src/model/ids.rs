//! Identities: tenant, thread, the pair of them, and checkpoint ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};

macro_rules! non_empty_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps the id; empty ids are refused.
            pub fn new(id: impl Into<String>) -> Result<Self> {
                let id = id.into();
                if id.is_empty() {
                    return Err(Error::invalid($what, "must not be empty"));
                }
                Ok(Self(id))
            }

            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(id: String) -> Result<Self> {
                Self::new(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

non_empty_id!(
    /// A tenant id: non-empty UTF-8; every record and query is scoped by one.
    TenantId,
    "tenant id"
);
non_empty_id!(
    /// A thread id: non-empty UTF-8, unique within its tenant.
    ThreadId,
    "thread id"
);

/// The pair `(tenant, thread)` that addresses one thread's data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadKey {
    /// Owning tenant.
    pub tenant: TenantId,
    /// Thread within the tenant.
    pub thread: ThreadId,
}

impl ThreadKey {
    /// Builds a key from raw strings, refusing empty parts.
    pub fn new(tenant: impl Into<String>, thread: impl Into<String>) -> Result<Self> {
        Ok(Self {
            tenant: TenantId::new(tenant)?,
            thread: ThreadId::new(thread)?,
        })
    }
}

impl fmt::Display for ThreadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.tenant, self.thread)
    }
}

/// A checkpoint id: a UUID, version 7 for new ids, shown lowercase hyphenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CheckpointId(pub Uuid);

impl CheckpointId {
    /// A fresh, time-ordered (v7) id.
    pub fn new_v7() -> Self {
        Self(Uuid::now_v7())
    }

    /// The underlying UUID.
    pub fn uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for CheckpointId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl FromStr for CheckpointId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|e| Error::invalid("checkpoint id", format!("{s:?} is not a UUID: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_ids_are_refused() {
        assert!(TenantId::new("").is_err());
        assert!(ThreadKey::new("a", "").is_err());
        assert!(serde_json::from_str::<TenantId>("\"\"").is_err());
    }

    #[test]
    fn checkpoint_ids_render_lowercase_hyphenated_and_grow() {
        let a = CheckpointId::new_v7();
        let b = CheckpointId::new_v7();
        assert!(a < b);
        let s = a.to_string();
        assert_eq!(s, s.to_lowercase());
        assert_eq!(s.len(), 36);
        assert_eq!(s.parse::<CheckpointId>().unwrap(), a);
        assert!("nope".parse::<CheckpointId>().is_err());
    }
}
