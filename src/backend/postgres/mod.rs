//! The Postgres backend (FORMAT.md, "Postgres layout").
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
mod checkpoints;
mod errors;
mod events;
mod lock;
mod nul;
mod pool;
mod schema;
mod store;

use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

use crate::backend::url::redact;
use crate::backend::version_cache::WriteVersionCache;
use crate::error::{Error, Result};
use crate::model::EnvelopeVersion;

use lock::LockRegistry;
use pool::ConnPool;

/// Backend name used in errors.
const BACKEND: &str = "postgres";

/// How long `connect` keeps retrying a server that refuses or resets connections.
const CONNECT_PATIENCE: Duration = Duration::from_secs(5);

/// A Postgres database in the layout the reference uses, plus threadctl's
/// additive objects.
pub struct PostgresBackend {
    /// Connections for single-statement calls (no per-call checks).
    pool: ConnPool,
    /// The cached write version (see [`crate::backend::traits::CheckpointBackend::write_version`]).
    write_version: WriteVersionCache,
    /// The connected role and whether it sees every tenant's rows.
    role: schema::RoleInfo,
    /// Session locks this instance holds, with their dedicated connections.
    locks: LockRegistry,
}

impl PostgresBackend {
    /// Connects to `url`, sets up the schema when it is missing or older
    /// than this build's, and caches the write version.
    ///
    /// A server that refuses or resets connections is retried for a few
    /// seconds before [`Error::Connect`]; a malformed URL is
    /// [`Error::InvalidInput`].
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            Error::invalid(
                "Postgres URL",
                format!("{}: {e}", redact(url)).replace(url, &redact(url)),
            )
        })?;
        let pool = connect_pool(options, url).await?;
        let role = schema::ensure(&pool).await?;
        let backend = Self {
            pool,
            write_version: WriteVersionCache::new(EnvelopeVersion::V1),
            role,
            locks: LockRegistry::default(),
        };
        backend.refresh_write_version().await?;
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

    async fn refresh_write_version(&self) -> Result<EnvelopeVersion> {
        let version = schema::read_write_version(&self.pool).await?;
        self.write_version.set(version);
        Ok(version)
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

/// Most connections a backend keeps for single-statement calls (held
/// session locks have their own).
const POOL_SIZE: usize = 10;

/// Opens the pool with a first connection, retrying transient failures
/// (refused, reset) with backoff for [`CONNECT_PATIENCE`] and failing fast
/// on anything else.
async fn connect_pool(options: PgConnectOptions, url: &str) -> Result<ConnPool> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match PgConnection::connect_with(&options).await {
            Ok(first) => return Ok(ConnPool::with_first(options, POOL_SIZE, first)),
            Err(e) if errors::is_transient(&e) && started.elapsed() < CONNECT_PATIENCE => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(800));
            }
            Err(e) => {
                return Err(Error::Connect {
                    target: redact(url),
                    reason: e.to_string().replace(url, &redact(url)),
                })
            }
        }
    }
}
