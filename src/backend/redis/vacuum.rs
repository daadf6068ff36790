//! Redis frees memory as keys are deleted: there is nothing to vacuum.

use crate::backend::bulk::{DataTable, Vacuum};
use crate::error::Result;

use super::RedisBackend;

impl Vacuum for RedisBackend {
    async fn storage_size(&self, _tables: &[DataTable]) -> Result<Option<u64>> {
        Ok(None)
    }

    async fn vacuum(&self, _tables: &[DataTable]) -> Result<bool> {
        Ok(false)
    }
}
