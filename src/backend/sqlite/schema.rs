//! threadctl's numbered migrations on the file (`crate::backend::schema`),
//! and reading/writing the store's envelope write version
//! (`schema_version`, component `envelope`).

use chrono::Utc;
use sqlx::{Executor, SqliteConnection, SqlitePool};

use super::{driver_error, KIND};
use crate::backend::schema::{
    pending, plan, AppliedMigration, Migration, SchemaObject, SchemaStatus,
};
use crate::error::{Error, Result};
use crate::model::envelope::format_timestamp;
use crate::model::EnvelopeVersion;

/// threadctl's SQLite layout, in the order it applies.
pub(super) const MIGRATIONS: [Migration; 1] = [Migration {
    version: 1,
    description: "tables and indexes",
    sql: include_str!("../../../migrations/sqlite/0001_tables.sql"),
}];

/// The table recording applied migrations.
const RECORDS: &str = "CREATE TABLE IF NOT EXISTS threadctl_migrations (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum BLOB NOT NULL,
    applied_at TEXT NOT NULL)";

/// `schema_version` component holding the envelope write version.
const ENVELOPE_COMPONENT: &str = "envelope";

/// The migrations the file recorded (none before the first set-up).
async fn applied(conn: &mut SqliteConnection) -> Result<Vec<AppliedMigration>> {
    let rows: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM threadctl_migrations ORDER BY version")
            .fetch_all(conn)
            .await
            .or_else(|e| match &e {
                // Before the first set-up the table does not exist at all.
                sqlx::Error::Database(db) if db.message().contains("no such table") => {
                    Ok(Vec::new())
                }
                _ => Err(e),
            })
            .map_err(driver_error("reading threadctl's migration records"))?;
    Ok(rows
        .into_iter()
        .map(|(version, checksum)| AppliedMigration { version, checksum })
        .collect())
}

/// Applies pending migrations in one write transaction, so concurrent
/// first opens do not race. With `strict`, an applied migration whose
/// file changed is an error (else a warning).
///
/// The migration records are read first without a transaction: a file
/// that is up to date (every open after the first) costs one read and
/// never takes the write lock.
pub(super) async fn set_up(pool: &SqlitePool, strict: bool) -> Result<()> {
    let context = "setting up the store schema";
    let recorded = {
        let mut conn = pool.acquire().await.map_err(driver_error(context))?;
        applied(&mut conn).await?
    };
    if pending(&MIGRATIONS, &recorded, strict, "SQLite schema")?.is_empty() {
        return Ok(());
    }
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(driver_error(context))?;
    (&mut *tx)
        .execute(RECORDS)
        .await
        .map_err(driver_error(context))?;
    let pending = pending(
        &MIGRATIONS,
        &applied(&mut tx).await?,
        strict,
        "SQLite schema",
    )?;
    for migration in pending {
        (&mut *tx)
            .execute(migration.sql)
            .await
            .map_err(driver_error(format!(
                "applying threadctl migration {} ({})",
                migration.version, migration.description
            )))?;
        sqlx::query(
            "INSERT INTO threadctl_migrations (version, description, checksum, applied_at)
             VALUES (?, ?, ?, ?)",
        )
        .bind(migration.version)
        .bind(migration.description)
        .bind(migration.checksum())
        .bind(format_timestamp(&Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(driver_error("recording a threadctl migration"))?;
    }
    tx.commit().await.map_err(driver_error(context))
}

/// What the file has and lacks.
pub(super) async fn status(pool: &SqlitePool) -> Result<SchemaStatus> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(driver_error("inspecting the store schema"))?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(driver_error("inspecting the store schema"))?;
    let objects = [
        "checkpoints",
        "session_events",
        "memory_items",
        "schema_version",
        "threadctl_session_log",
        "threadctl_locks",
        "threadctl_migrations",
    ]
    .into_iter()
    .map(|table| SchemaObject {
        name: format!("table {table}"),
        present: tables.iter().any(|t| t == table),
    })
    .collect();
    Ok(SchemaStatus {
        objects,
        migrations: plan(&MIGRATIONS, &applied(&mut conn).await?),
    })
}

/// Whether the file has the checkpoint table (a reader needs it).
pub(super) async fn has_tables(pool: &SqlitePool) -> Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints')",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("inspecting the store schema"))
}

/// The stored write version; absent means 1.
pub(super) async fn load_write_version(pool: &SqlitePool) -> Result<EnvelopeVersion> {
    let stored: Option<Option<i64>> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = ?")
            .bind(ENVELOPE_COMPONENT)
            .fetch_optional(pool)
            .await
            .map_err(driver_error("reading the envelope write version"))?;
    match stored {
        None => Ok(EnvelopeVersion::V1),
        Some(None) => Err(Error::corrupt(
            format!("{KIND} schema_version row `{ENVELOPE_COMPONENT}`"),
            "version is null",
        )),
        Some(Some(found)) => EnvelopeVersion::from_number(
            found,
            &format!("{KIND} schema_version row `{ENVELOPE_COMPONENT}`"),
        ),
    }
}

/// Saves the write version.
pub(super) async fn save_write_version(pool: &SqlitePool, version: EnvelopeVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO schema_version (component, version, applied_at) VALUES (?, ?, ?)
         ON CONFLICT (component) DO UPDATE SET version = excluded.version,
                                               applied_at = excluded.applied_at",
    )
    .bind(ENVELOPE_COMPONENT)
    .bind(i64::from(version.number()))
    .bind(format_timestamp(&Utc::now()))
    .execute(pool)
    .await
    .map_err(driver_error("storing the envelope write version"))?;
    Ok(())
}
