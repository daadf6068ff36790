//! The embedded SQLite backend (docs/format.md, "SQLite layout"): the
//! Postgres tables in one local file, plus threadctl's own log-bounds and
//! lock tables. Safe for several processes on one file: WAL journal, a busy
//! timeout, and every read-modify-write in a `BEGIN IMMEDIATE` transaction
//! or a single statement.
//!
//! Canonical forms (see `migrations/sqlite/0001_tables.sql`): ids are
//! lowercase hyphenated UUID text (text order = UUID order, so equal steps
//! break ties on the greatest id in SQL); `ts` columns are RFC 3339 UTC as
//! [`format_timestamp`](crate::model::envelope::format_timestamp) writes
//! them; store expiries are RFC 3339 UTC with exactly six fractional digits
//! (text order = time order); the `state` column holds the JSON text of
//! [`encode_state_column`](crate::model::envelope::encode_state_column);
//! lock expiries are Unix milliseconds.

mod admin;
mod bulk;
mod bulk_events;
mod bulk_store;
mod checkpoints;
mod diagnostics;
mod events;
mod floor;
mod listing;
mod lock;
mod private_files;
mod schema;
mod store;
mod vacuum;
mod wal;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::backend::schema::SchemaSetup;
use crate::backend::version_cache::WriteVersionCache;
use crate::error::{Error, Result};
use crate::model::{BackendKind, EnvelopeVersion};

pub use wal::checkpoint_wal;

/// This backend's kind; its name is the one errors use.
const KIND: BackendKind = BackendKind::Sqlite;

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections per process: enough for a few concurrent tasks, small
/// because SQLite serialises writers anyway.
const MAX_CONNECTIONS: u32 = 4;

/// Opens the pool. Switching a new file to WAL needs the file to itself,
/// and SQLite reports "database is locked" at once (without waiting) when
/// another process opens the same new file at that moment, so a busy
/// open is retried until [`BUSY_TIMEOUT`].
async fn connect(options: SqliteConnectOptions) -> std::result::Result<SqlitePool, sqlx::Error> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        match SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            // A file connection does not go stale: no ping per checkout.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
        {
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            outcome => return outcome,
        }
    }
}

/// SQLITE_BUSY or SQLITE_LOCKED (primary result codes 5 and 6).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// An open SQLite store file.
pub struct SqliteBackend {
    pool: SqlitePool,
    path: PathBuf,
    write_version: WriteVersionCache,
}

impl SqliteBackend {
    /// Opens (creating the file and its parent directories on first use,
    /// readable by the owner only) and sets up the store at `path`; idempotent and safe to run from
    /// several processes at once.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with_setup(path, SchemaSetup::Create).await
    }

    /// Opens the store at `path`, doing to it what `setup` allows: only
    /// [`SchemaSetup::Create`] creates a missing file.
    pub async fn open_with_setup(path: &Path, setup: SchemaSetup) -> Result<Self> {
        let target = format!("sqlite://{}", path.display());
        let create = setup == SchemaSetup::Create;
        if !create && !path.exists() {
            return Err(Error::NotFound(format!(
                "no SQLite database at {}; create it with `threadctl migrate schema` \
                 (or write something first)",
                path.display()
            )));
        }
        if let Some(parent) = path
            .parent()
            .filter(|p| create && !p.as_os_str().is_empty())
        {
            private_files::create_private_dirs(parent).map_err(|e| Error::Connect {
                target: target.clone(),
                reason: format!("cannot create directory {}: {e}", parent.display()),
            })?;
        }
        if create {
            private_files::create_private_file(path).map_err(|e| Error::Connect {
                target: target.clone(),
                reason: format!("cannot create the database file {}: {e}", path.display()),
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // Committed writes survive a power loss, as on the servers.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = connect(options).await.map_err(|e| Error::Connect {
            target: target.clone(),
            reason: e.to_string(),
        })?;
        let version = match setup {
            SchemaSetup::Inspect if !schema::has_tables(&pool).await? => EnvelopeVersion::V1,
            SchemaSetup::Inspect => schema::load_write_version(&pool).await?,
            SchemaSetup::Existing if !schema::has_tables(&pool).await? => {
                return Err(Error::NotFound(format!(
                    "{target} has no checkpoint tables; create them with `threadctl migrate schema`"
                )))
            }
            SchemaSetup::Existing | SchemaSetup::Create => {
                schema::set_up(&pool, false).await?;
                schema::load_write_version(&pool).await?
            }
        };
        let write_version = WriteVersionCache::new(version);
        if setup != SchemaSetup::Inspect || schema::has_tables(&pool).await? {
            let pool = pool.clone();
            write_version.keep_fresh(move || {
                let pool = pool.clone();
                Some(async move { schema::load_write_version(&pool).await })
            });
        }
        Ok(Self {
            pool,
            path: path.to_path_buf(),
            write_version,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A write transaction that holds the database's write lock from its
    /// first statement, so what it reads stays true until it commits.
    ///
    /// The `BEGIN` runs in a task of its own: a caller dropped while it is
    /// in flight (a timeout, a cancelled request) would otherwise leave
    /// the connection inside a transaction that nothing rolls back, holding
    /// the write lock for every other writer, and back in the pool. Run to
    /// its end, the task drops an unclaimed transaction, which rolls back.
    async fn begin_immediate(&self, context: &str) -> Result<Transaction<'static, Sqlite>> {
        let pool = self.pool.clone();
        tokio::spawn(async move { pool.begin_with("BEGIN IMMEDIATE").await })
            .await
            .map_err(|e| Error::backend(KIND.name(), context.to_string(), e))?
            .map_err(driver_error(context))
    }
}

/// Maps a driver error to [`Error::Backend`] with what was being done.
fn driver_error(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
    let context = context.into();
    move |e| Error::backend(KIND.name(), context, e)
}

/// The canonical text of an expiry: RFC 3339 UTC with exactly six
/// fractional digits, so that text order is time order.
fn expiry_text(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Converts a stored integer (step, ordinal) that must not be negative.
fn non_negative(value: i64, record: &str, field: &str) -> Result<u64> {
    u64::try_from(value)
        .map_err(|_| Error::corrupt(record, format!("`{field}` is negative ({value})")))
}

/// Converts a caller's count or step to SQLite's signed integer.
fn to_sql_int(value: u64, what: &'static str) -> Result<i64> {
    i64::try_from(value)
        .map_err(|_| Error::invalid(what, format!("{value} is too large for SQLite")))
}
