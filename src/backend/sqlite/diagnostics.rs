//! `doctor`'s facts about a SQLite store: the file, its size and
//! permissions, and its journal mode.

use std::os::unix::fs::PermissionsExt;

use crate::backend::diagnostics::{Check, Diagnostics, SizeEstimate};
use crate::error::Result;

use super::{driver_error, SqliteBackend};

/// Permission bits that let every local user write the file.
const WORLD_WRITABLE: u32 = 0o002;

/// The check of the file's metadata: size and permissions.
fn file_check(path: &str, len: u64, mode: u32, readonly: bool) -> Check {
    let detail = format!("{path} ({len} bytes, mode {:04o})", mode & 0o7777);
    if mode & WORLD_WRITABLE != 0 {
        Check::warn(
            "file",
            detail,
            "every local user may change or delete the threads: chmod o-w the file",
        )
    } else if readonly {
        Check::warn(
            "file",
            format!("{detail}, read-only"),
            "make the file writable for commands that write (chmod u+w)",
        )
    } else {
        Check::ok("file", detail)
    }
}

impl Diagnostics for SqliteBackend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        let path = self.path().display().to_string();
        let file = match std::fs::metadata(self.path()) {
            Ok(meta) => file_check(
                &path,
                meta.len(),
                meta.permissions().mode(),
                meta.permissions().readonly(),
            ),
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

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(driver_error("timing a round trip"))
    }

    /// An embedded file is counted exactly: the primary key makes it cheap.
    async fn estimate_size(&self) -> Result<SizeEstimate> {
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(driver_error("looking for the checkpoint table"))?;
        if tables == 0 {
            return Ok(SizeEstimate::default());
        }
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM checkpoints")
            .fetch_one(&self.pool)
            .await
            .map_err(driver_error("counting checkpoints"))?;
        Ok(SizeEstimate {
            checkpoints: u64::try_from(rows).unwrap_or(0),
            threads: None,
            tenants: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::diagnostics::CheckLevel;

    #[test]
    fn world_writable_and_read_only_files_warn() {
        assert_eq!(file_check("f", 1, 0o100644, false).level, CheckLevel::Ok);
        assert!(file_check("f", 1, 0o100644, false)
            .detail
            .contains("mode 0644"));
        assert_eq!(file_check("f", 1, 0o100666, false).level, CheckLevel::Warn);
        assert_eq!(file_check("f", 1, 0o100444, true).level, CheckLevel::Warn);
    }
}
