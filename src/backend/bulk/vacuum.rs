//! Reclaiming the space that deleted records leave behind: Postgres
//! `VACUUM` of the tables a bulk delete touched, SQLite `VACUUM` of the
//! file. Redis frees memory as keys go, so there is nothing to do there.

use std::future::Future;

use crate::error::Result;

/// What a bulk delete may have left dead rows in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataTable {
    /// The checkpoints.
    Checkpoints,
    /// Session events and archive watermarks.
    SessionEvents,
    /// Store items (which also hold threadctl's prune horizons).
    StoreItems,
}

/// Reclaiming the space of deleted records.
pub trait Vacuum: Send + Sync {
    /// Bytes on disk of `tables` (Postgres: with their indexes and TOAST;
    /// SQLite: the whole database), or `None` where space is not reclaimed
    /// this way (Redis).
    fn storage_size(
        &self,
        tables: &[DataTable],
    ) -> impl Future<Output = Result<Option<u64>>> + Send;

    /// Reclaims the space of deleted rows in `tables` (SQLite: the whole
    /// file). Returns false where it does not apply (Redis).
    fn vacuum(&self, tables: &[DataTable]) -> impl Future<Output = Result<bool>> + Send;
}
