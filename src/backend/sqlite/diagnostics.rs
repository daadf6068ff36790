//! `doctor`'s facts about a SQLite store: the file, its size and
//! permissions, and its journal mode.

use crate::backend::diagnostics::{Check, Diagnostics};
use crate::error::Result;

use super::{driver_error, SqliteBackend};

impl Diagnostics for SqliteBackend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        let path = self.path().display().to_string();
        let file = match std::fs::metadata(self.path()) {
            Ok(meta) if meta.permissions().readonly() => Check::warn(
                "file",
                format!("{path} ({} bytes, read-only)", meta.len()),
                "make the file writable for commands that write (chmod u+w)",
            ),
            Ok(meta) => Check::ok("file", format!("{path} ({} bytes)", meta.len())),
            Err(e) => Check::fail(
                "file",
                format!("{path}: {e}"),
                "check the path in the URL and the file's permissions",
            ),
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await
            .map_err(driver_error("reading the journal mode"))?;
        let journal = if mode.eq_ignore_ascii_case("wal") {
            Check::ok("journal mode", mode)
        } else {
            Check::warn(
                "journal mode",
                mode,
                "readers and writers block each other outside WAL: keep the database on a local file system, where WAL works",
            )
        };
        Ok(vec![
            Check::ok("connection", format!("sqlite://{path}")),
            file,
            journal,
        ])
    }
}
