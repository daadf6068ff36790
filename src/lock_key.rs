//! The session-lock key derivation shared with the reference services
//! (docs/format.md, "Session lock").

use xxhash_rust::xxh64::Xxh64;

use crate::model::{BackendKind, ThreadKey};

/// XXH64 seed: the bytes of `"entelix_"` read as a big-endian integer.
const SEED: u64 = 0x656e_7465_6c69_785f;

/// The derived identity of one thread's session lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LockKey(u64);

impl LockKey {
    /// Derives the session-lock key of `thread`.
    pub fn session(thread: &ThreadKey) -> Self {
        let mut hasher = Xxh64::new(SEED);
        for part in [
            "entelix:lock",
            "session",
            thread.tenant.as_str(),
            thread.thread.as_str(),
        ] {
            hasher.update(part.as_bytes());
            hasher.update(&[0]);
        }
        Self(hasher.digest())
    }

    /// The key of the store-wide lock of one bulk operation (`migrate`…):
    /// derived like a session key but under its own domain, so no
    /// thread's session key is meant to equal it. `store` tells apart
    /// stores whose locks share one namespace (the Postgres schema: a
    /// database's advisory locks are shared by all its schemas); it is
    /// empty where the lock lives inside the store (Redis, SQLite).
    pub fn bulk(operation: &str, store: &str) -> Self {
        let mut hasher = Xxh64::new(SEED);
        for part in ["threadctl:lock", "bulk", operation, store] {
            hasher.update(part.as_bytes());
            hasher.update(&[0]);
        }
        Self(hasher.digest())
    }

    /// The raw 64-bit hash.
    pub fn hash(self) -> u64 {
        self.0
    }

    /// The Redis key holding the lock token.
    pub fn redis_key(self) -> String {
        format!("entelix:lock:{:016x}", self.0)
    }

    /// The hash as Postgres' signed bigint.
    pub fn pg_bigint(self) -> i64 {
        self.0 as i64
    }

    /// The two-int advisory lock pair `(k >> 32, k & 0xFFFFFFFF)`.
    pub fn pg_pair(self) -> (i32, i32) {
        ((self.0 >> 32) as u32 as i32, self.0 as u32 as i32)
    }

    /// The lock's key as `backend` names it (in [`crate::backend::LockInfo`],
    /// errors and `THREADCTL_LOCK_KEY`): `advisory(hi,lo)` on Postgres, the
    /// Redis key on Redis and SQLite.
    pub fn name_on(self, backend: BackendKind) -> String {
        match backend {
            BackendKind::Postgres => advisory_name(self.pg_pair()),
            BackendKind::Redis | BackendKind::Sqlite => self.redis_key(),
        }
    }
}

/// `advisory(hi,lo)`: how a Postgres advisory pair is named, whether or
/// not it is a session lock threadctl derived.
pub fn advisory_name((hi, lo): (i32, i32)) -> String {
    format!("advisory({hi},{lo})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_format_test_vectors() {
        let vectors = [
            (
                "acme",
                "t1",
                "entelix:lock:8c70ab9866aab940",
                -8326967039962203840,
                (-1938773096, 1722464576),
            ),
            (
                "default",
                "thread-1",
                "entelix:lock:ad57c10f4d9d185a",
                -5956079710703380390,
                (-1386757873, 1302141018),
            ),
            (
                "globex",
                "a:b/ü",
                "entelix:lock:4c8e63aa9207b84a",
                5516456177821005898,
                (1284400042, -1844987830),
            ),
        ];
        for (tenant, thread, redis, bigint, pair) in vectors {
            let key = LockKey::session(&ThreadKey::new(tenant, thread).unwrap());
            assert_eq!(key.redis_key(), redis);
            assert_eq!(key.pg_bigint(), bigint);
            assert_eq!(key.pg_pair(), pair);
            assert_eq!(key.name_on(BackendKind::Redis), redis);
            assert_eq!(key.name_on(BackendKind::Sqlite), redis);
            let (hi, lo) = pair;
            assert_eq!(
                key.name_on(BackendKind::Postgres),
                format!("advisory({hi},{lo})")
            );
        }
    }

    #[test]
    fn bulk_keys_are_per_operation_and_store() {
        let migrate = LockKey::bulk("migrate", "schema_a");
        assert_ne!(migrate, LockKey::bulk("migrate", "schema_b"));
        assert_ne!(migrate, LockKey::bulk("prune", "schema_a"));
        assert_eq!(migrate, LockKey::bulk("migrate", "schema_a"));
    }
}
