//! `VACUUM` of the tables a prune touched, and their size on disk.

use crate::backend::bulk::{DataTable, Vacuum};
use crate::error::Result;

use super::errors::driver_error;
use super::PostgresBackend;

/// The tables that hold `table`'s rows.
fn relations(table: DataTable) -> &'static [&'static str] {
    match table {
        DataTable::Checkpoints => &["checkpoints"],
        DataTable::SessionEvents => &["session_events", "threadctl_session_watermarks"],
        DataTable::StoreItems => &["memory_items"],
    }
}

/// Every relation of `tables`, once each.
fn relations_of(tables: &[DataTable]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = tables.iter().flat_map(|t| relations(*t)).copied().collect();
    names.sort_unstable();
    names.dedup();
    names
}

impl Vacuum for PostgresBackend {
    async fn storage_size(&self, tables: &[DataTable]) -> Result<Option<u64>> {
        let names: Vec<String> = relations_of(tables).into_iter().map(String::from).collect();
        let bytes: i64 = sqlx::query_scalar(
            "SELECT coalesce(sum(pg_total_relation_size(to_regclass(name))), 0)::int8 \
             FROM unnest($1::text[]) AS name",
        )
        .bind(&names)
        .fetch_one(&*self.pool)
        .await
        .map_err(driver_error("reading the size of the pruned tables"))?;
        Ok(Some(u64::try_from(bytes).unwrap_or(0)))
    }

    async fn vacuum(&self, tables: &[DataTable]) -> Result<bool> {
        let names = relations_of(tables);
        if names.is_empty() {
            return Ok(true);
        }
        // One statement of its own: VACUUM cannot run in a transaction.
        sqlx::query(&format!("VACUUM (ANALYZE) {}", names.join(", ")))
            .persistent(false)
            .execute(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "vacuuming {} (needs the tables' owner or a superuser)",
                names.join(", ")
            )))?;
        Ok(true)
    }
}
