//! The Postgres backend (docs/format.md, "Postgres layout").
//!
//! Tenant-scoped work goes through threadctl-owned PL/pgSQL functions
//! (`threadctl_*`, created by `schema`) that first scope their implicit
//! transaction to the tenant (`set_config('entelix.tenant_id', …, true)`)
//! and then do the work, so every operation is one statement and one round
//! trip, and row-level security still applies to the caller's role. The
//! connection pool (`pool`) adds no round trip of its own either.
//!
//! Files: `schema` (setup, write version), `checkpoints`, `store`,
//! `events`, `lock` (session lock and the registry of locks held here),
//! `admin`, plus `pool`, `errors` (driver error mapping) and `nul`
//! (refusing what Postgres cannot store).

mod admin;
mod bulk;
mod bulk_events;
mod bulk_store;
mod checkpoints;
mod connect;
mod diagnostics;
mod errors;
mod events;
mod floor;
mod index_key;
mod json_column;
mod listing;
mod lock;
mod nul;
mod pool;
mod schema;
mod store;
mod vacuum;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::backend::options::ConnectOptions;
use crate::backend::schema::SchemaSetup;
use crate::backend::traits::WriteVersionAdmin;
use crate::backend::url::redact;
use crate::backend::version_cache::WriteVersionCache;
use crate::error::{Error, Result};
use crate::lock_key::{advisory_name, LockKey};
use crate::model::{BackendKind, EnvelopeVersion, ThreadKey};

use lock::{LockRegistry, Pair};
use pool::ConnPool;

/// This backend's kind; its name is the one errors use.
const KIND: BackendKind = BackendKind::Postgres;

pub use crate::backend::options::DEFAULT_LOCK_WAIT;

/// A Postgres database in the layout the reference uses, plus threadctl's
/// additive objects.
pub struct PostgresBackend {
    /// The URL without its password, for messages.
    target: String,
    /// Connections for single-statement calls (no per-call checks).
    pool: Arc<ConnPool>,
    /// The cached write version (see [`crate::backend::traits::CheckpointBackend::write_version`]).
    write_version: WriteVersionCache,
    /// The connected role and whether it sees every tenant's rows.
    role: schema::RoleInfo,
    /// Session locks this instance holds, with their dedicated connections.
    locks: LockRegistry,
    /// Longest wait, in milliseconds, of an append or archive for the
    /// thread's session lock.
    lock_wait_ms: AtomicU64,
    /// Threads whose session lock another session holds on our behalf
    /// (see [`PostgresBackend::trust_external_lock`]).
    trusted_locks: Mutex<HashSet<Pair>>,
}

impl PostgresBackend {
    /// Connects to `url` with the default [`ConnectOptions`]; see
    /// [`PostgresBackend::connect_with`].
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, &ConnectOptions::default()).await
    }

    /// Connects to `url` (its `sslmode` and `sslrootcert` choose TLS, the
    /// driver's default being `prefer`), does to the schema what `setup`
    /// allows, and caches the write version.
    ///
    /// The first connection must succeed within the connect timeout of
    /// `options`, refused or reset attempts being retried until then, else
    /// [`Error::Connect`] (a certificate that does not verify included); a
    /// malformed URL or unreadable CA file is [`Error::InvalidInput`].
    /// Every later call waits at most the operation timeout for its answer.
    pub async fn connect_with(url: &str, options: &ConnectOptions) -> Result<Self> {
        let setup = options.setup();
        let driver = connect::driver_options(url, options)?;
        let pool = connect::connect_pool(driver, url, options).await?;
        let role = schema::ensure(&pool, &redact(url), setup).await?;
        let backend = Self {
            target: redact(url),
            pool: Arc::new(pool),
            write_version: WriteVersionCache::new(EnvelopeVersion::V1),
            role,
            locks: LockRegistry::default(),
            lock_wait_ms: AtomicU64::new(millis(options.lock_wait())),
            trusted_locks: Mutex::default(),
        };
        if setup != SchemaSetup::Inspect || schema::has_versions(&backend.pool).await? {
            WriteVersionAdmin::refresh_write_version(&backend).await?;
            let pool = Arc::downgrade(&backend.pool);
            backend.write_version.keep_fresh(move || {
                pool.upgrade()
                    .map(|pool| async move { schema::load_write_version(&pool).await })
            });
        }
        if let Some((thread, key)) = options.external_lock() {
            backend.trust_external_lock(thread, key);
        }
        Ok(backend)
    }

    /// Closes the idle connections; the backend stays usable and opens new
    /// ones as needed.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The role this backend connected as (`current_user`).
    pub fn role_name(&self) -> &str {
        &self.role.name
    }

    /// Whether the role sees every tenant's rows (superuser or BYPASSRLS);
    /// without it, cross-tenant work fails with [`Error::RlsRestricted`].
    pub fn bypasses_rls(&self) -> bool {
        self.role.bypasses_rls
    }

    /// Sets how long an append or archive waits while another session
    /// holds the thread's session lock (default [`DEFAULT_LOCK_WAIT`])
    /// before failing with [`Error::LockBusy`], instead of waiting forever.
    pub fn set_lock_wait(&self, wait: Duration) {
        self.lock_wait_ms.store(millis(wait), Ordering::Relaxed);
    }

    /// How long an append or archive waits for the thread's session lock.
    pub fn lock_wait(&self) -> Duration {
        Duration::from_millis(self.lock_wait_ms.load(Ordering::Relaxed))
    }

    /// Declares that the session lock of `thread` is held on this
    /// process's behalf by another session — a process started by
    /// `threadctl lock run`, whose parent holds the lock and passes its key
    /// in `THREADCTL_LOCK_KEY`. When `key` is that lock's key
    /// (`advisory(hi,lo)`), appends and archives of `thread` no longer wait
    /// for the lock (they would wait for their own parent forever); they
    /// are still serialized among such covered callers. Returns whether
    /// `key` matched; a key of another thread or backend changes nothing.
    ///
    /// Only call this when the holder really acts for this process: a
    /// covered append does not exclude the holder's own appends.
    pub fn trust_external_lock(&self, thread: &ThreadKey, key: &str) -> bool {
        let pair = LockKey::session(thread).pg_pair();
        if key != advisory_name(pair) {
            return false;
        }
        self.trusted_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(pair);
        true
    }

    /// Whether `pair` is held on this process's behalf by another session.
    fn lock_is_trusted(&self, pair: Pair) -> bool {
        self.trusted_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(&pair)
    }

    /// Refuses cross-tenant work for a role that row-level security
    /// restricts, instead of reporting an empty store.
    fn require_bypass(&self, operation: &'static str) -> Result<()> {
        if self.role.bypasses_rls {
            Ok(())
        } else {
            Err(Error::RlsRestricted {
                role: self.role.name.clone(),
                operation,
            })
        }
    }
}

/// Whole milliseconds of `wait`, saturating.
fn millis(wait: Duration) -> u64 {
    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
}
