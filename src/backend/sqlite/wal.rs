//! Folding the write-ahead log back into the database file, so that the
//! `.db` file alone holds every committed write (a copy of it is a whole
//! backup).

use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::{driver_error, BUSY_TIMEOUT};
use crate::error::{Error, Result};

/// Checkpoints the WAL of the database at `path` into the file and
/// truncates the log (`PRAGMA wal_checkpoint(TRUNCATE)`). Creates
/// nothing: a missing file is an error. Call it once the writers are done:
/// what another process is still reading or writing stays (safely) in the
/// log until a later checkpoint.
pub async fn checkpoint_wal(path: &Path) -> Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(BUSY_TIMEOUT)
        .connect()
        .await
        .map_err(|e| Error::Connect {
            target: format!("sqlite://{}", path.display()),
            reason: e.to_string(),
        })?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .map_err(driver_error("checkpointing the WAL"))?;
    conn.close()
        .await
        .map_err(driver_error("closing after the WAL checkpoint"))
}
