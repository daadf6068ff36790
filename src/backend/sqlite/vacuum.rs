//! `VACUUM` of the database file, and its size.

use crate::backend::bulk::{DataTable, Vacuum};
use crate::error::Result;

use super::{driver_error, SqliteBackend};

impl Vacuum for SqliteBackend {
    /// The whole database: SQLite frees space only file-wide.
    async fn storage_size(&self, _tables: &[DataTable]) -> Result<Option<u64>> {
        let bytes: i64 = sqlx::query_scalar(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(driver_error("reading the database's size"))?;
        Ok(Some(u64::try_from(bytes).unwrap_or(0)))
    }

    /// Rewrites the whole file without its free pages.
    async fn vacuum(&self, _tables: &[DataTable]) -> Result<bool> {
        sqlx::query("VACUUM")
            .execute(&self.pool)
            .await
            .map_err(driver_error(
                "vacuuming the database (it needs free disk space about the file's size)",
            ))?;
        Ok(true)
    }
}
