//! `BackendKind`: which kind of store a backend is, and the differences
//! between kinds that callers act on, asked as capabilities rather than
//! by comparing names.

use std::fmt;

/// The kinds of store threadctl implements (docs/format.md describes the
/// layout of each). Deliberately exhaustive: a new kind is a change every
/// per-backend match (and test fixture) must handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// A Postgres database.
    Postgres,
    /// A Redis server.
    Redis,
    /// An embedded SQLite file.
    Sqlite,
}

impl BackendKind {
    /// The lowercase name used in messages and errors: `postgres`,
    /// `redis` or `sqlite`.
    pub const fn name(self) -> &'static str {
        match self {
            BackendKind::Postgres => "postgres",
            BackendKind::Redis => "redis",
            BackendKind::Sqlite => "sqlite",
        }
    }

    /// Whether a session lock lives on its holder's connection (Postgres'
    /// advisory locks): it ends when that connection closes, and only that
    /// connection can release it, so a lock that must outlive the process
    /// taking it needs a process of its own to hold it. Redis and SQLite
    /// locks are records that any process holding the token can release.
    pub const fn lock_lives_on_its_connection(self) -> bool {
        matches!(self, BackendKind::Postgres)
    }

    /// Whether a store item key containing `:` is ambiguous: Redis inserts
    /// it verbatim after the namespace (docs/format.md, "Redis layout"), so
    /// namespace `[a]` with key `b:c` is namespace `[a, b]` with key `c`,
    /// and listings show such an item under every namespace it can belong to.
    pub const fn colon_keys_are_ambiguous(self) -> bool {
        matches!(self, BackendKind::Redis)
    }

    /// The longest session-lock TTL the store keeps, in milliseconds:
    /// Postgres' `idle_session_timeout` holds at most `i32::MAX`, Redis'
    /// `PEXPIRE` and SQLite's expiry column an `i64`. Longer TTLs are
    /// refused, never clamped.
    pub const fn max_lock_ttl_ms(self) -> u64 {
        match self {
            BackendKind::Postgres => i32::MAX as u64,
            BackendKind::Redis | BackendKind::Sqlite => i64::MAX as u64,
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
