//! Creating the tables (idempotently) and reading/writing the store's
//! envelope write version (`schema_version`, component `envelope`).

use chrono::Utc;
use sqlx::SqlitePool;

use super::{driver_error, KIND};
use crate::error::{Error, Result};
use crate::model::envelope::format_timestamp;
use crate::model::EnvelopeVersion;

/// The tables, indexes and threadctl's own tables.
const TABLES: &str = include_str!("../../../migrations/sqlite/0001_tables.sql");

/// `schema_version` component recording threadctl's own table layout.
const LAYOUT_COMPONENT: &str = "threadctl-sqlite";

/// Version of the layout in [`TABLES`].
const LAYOUT_VERSION: i64 = 1;

/// `schema_version` component holding the envelope write version.
const ENVELOPE_COMPONENT: &str = "envelope";

/// Creates whatever is missing, in one write transaction so concurrent
/// first opens do not race.
pub(super) async fn set_up(pool: &SqlitePool) -> Result<()> {
    let context = "setting up the store schema";
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(driver_error(context))?;
    sqlx::raw_sql(TABLES)
        .execute(&mut *tx)
        .await
        .map_err(driver_error(context))?;
    sqlx::query(
        "INSERT INTO schema_version (component, version, applied_at) VALUES (?, ?, ?)
         ON CONFLICT (component) DO NOTHING",
    )
    .bind(LAYOUT_COMPONENT)
    .bind(LAYOUT_VERSION)
    .bind(format_timestamp(&Utc::now()))
    .execute(&mut *tx)
    .await
    .map_err(driver_error(context))?;
    tx.commit().await.map_err(driver_error(context))
}

/// Loads the stored write version; absent means 1.
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
