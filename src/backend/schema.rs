//! threadctl's own schema objects on the SQL backends, as numbered
//! migrations with a recorded checksum (as sqlx's migrator records its
//! own): what a store has applied, what is pending, and what was edited
//! after it was applied. Each SQL backend keeps the records in a table
//! `threadctl_migrations (version, description, checksum, applied_at)` and
//! applies pending files in order, each in the transaction that records it.

use std::future::Future;

use sha2::{Digest, Sha384};

use crate::error::Result;

/// What opening a store may do to its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaSetup {
    /// Create whatever is missing (for writers: a first write sets up an
    /// empty store).
    Create,
    /// The store's tables must exist ([`crate::Error::NotFound`] naming
    /// `threadctl migrate schema` otherwise); only threadctl's pending
    /// migrations (functions, never data tables) are applied. For readers.
    Existing,
    /// Change nothing, check nothing (`migrate status`, `migrate check`).
    Inspect,
}

/// One numbered migration file of threadctl's own objects.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number: files apply in ascending order, each once.
    pub version: i64,
    /// What it creates, for `migrate status`.
    pub description: &'static str,
    /// Its SQL text.
    pub sql: &'static str,
}

impl Migration {
    /// SHA-384 of the file's text, recorded when it is applied.
    pub fn checksum(&self) -> Vec<u8> {
        Sha384::digest(self.sql.as_bytes()).to_vec()
    }
}

/// A migration a store has recorded as applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    /// Its number.
    pub version: i64,
    /// The checksum recorded when it was applied.
    pub checksum: Vec<u8>,
}

/// Where one of threadctl's migrations stands in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied from the file as it is now.
    Applied,
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since (its checksum differs): the
    /// store's objects may not be what this build expects.
    Modified,
    /// Recorded by the store but unknown to this build (a newer threadctl
    /// applied it).
    Unknown,
}

/// One line of a schema report: a migration and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Its number.
    pub version: i64,
    /// What it creates (empty for an unknown one).
    pub description: String,
    /// Where it stands.
    pub state: MigrationState,
}

/// The state of each of `available` (and any unknown one) given what a
/// store recorded as `applied`, in version order.
pub fn plan(available: &[Migration], applied: &[AppliedMigration]) -> Vec<MigrationStatus> {
    let mut statuses: Vec<MigrationStatus> = available
        .iter()
        .map(|m| MigrationStatus {
            version: m.version,
            description: m.description.to_string(),
            state: match applied.iter().find(|a| a.version == m.version) {
                None => MigrationState::Pending,
                Some(a) if a.checksum == m.checksum() => MigrationState::Applied,
                Some(_) => MigrationState::Modified,
            },
        })
        .collect();
    statuses.extend(
        applied
            .iter()
            .filter(|a| available.iter().all(|m| m.version != a.version))
            .map(|a| MigrationStatus {
                version: a.version,
                description: String::new(),
                state: MigrationState::Unknown,
            }),
    );
    statuses.sort_by_key(|s| s.version);
    statuses
}

/// The migrations of `available` to apply given the store's `applied`
/// ones, in order. An applied migration whose file changed is an error
/// naming it when `strict` (`migrate schema`), else a warning (an ordinary
/// open).
pub fn pending(
    available: &[Migration],
    applied: &[AppliedMigration],
    strict: bool,
    store: &'static str,
) -> crate::error::Result<Vec<Migration>> {
    let statuses = plan(available, applied);
    if let Some(edited) = statuses
        .iter()
        .find(|s| s.state == MigrationState::Modified)
    {
        let message = format!(
            "threadctl migration {} ({}) was applied from a file that has changed since; \
             the store's objects may differ from this build's: check which threadctl set \
             it up and upgrade it",
            edited.version, edited.description
        );
        if strict {
            return Err(crate::error::Error::invalid(store, message));
        }
        tracing::warn!("{message}");
    }
    Ok(available
        .iter()
        .filter(|m| {
            statuses
                .iter()
                .any(|s| s.version == m.version && s.state == MigrationState::Pending)
        })
        .copied()
        .collect())
}

/// One table, policy or other object a store's layout needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaObject {
    /// What it is, e.g. `table checkpoints`, `policy tenant_isolation on
    /// memory_items`, `reference migration 20260426000000`.
    pub name: String,
    /// Whether the store has it.
    pub present: bool,
}

/// What `migrate status` shows of a store's schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The layout's objects (the reference's and threadctl's), each present
    /// or missing. Empty on Redis, which has no schema.
    pub objects: Vec<SchemaObject>,
    /// threadctl's migrations and their states (none on Redis).
    pub migrations: Vec<MigrationStatus>,
}

impl SchemaStatus {
    /// True when every object is present and every migration applied from
    /// its current file.
    pub fn is_complete(&self) -> bool {
        self.objects.iter().all(|o| o.present)
            && self
                .migrations
                .iter()
                .all(|m| m.state == MigrationState::Applied)
    }
}

/// Inspecting and creating a store's schema.
pub trait SchemaAdmin: Send + Sync {
    /// What the store has and lacks; changes nothing.
    fn schema_status(&self) -> impl Future<Output = Result<SchemaStatus>> + Send;

    /// Creates what is missing and applies pending migrations, idempotently
    /// and additively (the reference's layout first, on an empty store);
    /// refuses, changing nothing, when an applied migration's file was
    /// edited. Returns the status afterwards.
    fn apply_schema(&self) -> impl Future<Output = Result<SchemaStatus>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [Migration; 2] = [
        Migration {
            version: 1,
            description: "objects",
            sql: "SELECT 1;",
        },
        Migration {
            version: 2,
            description: "bulk",
            sql: "SELECT 2;",
        },
    ];

    #[test]
    fn plan_names_applied_pending_modified_and_unknown() {
        let applied = [
            AppliedMigration {
                version: 1,
                checksum: FILES[0].checksum(),
            },
            AppliedMigration {
                version: 7,
                checksum: vec![1],
            },
        ];
        let states: Vec<_> = plan(&FILES, &applied)
            .into_iter()
            .map(|s| (s.version, s.state))
            .collect();
        assert_eq!(
            states,
            [
                (1, MigrationState::Applied),
                (2, MigrationState::Pending),
                (7, MigrationState::Unknown)
            ]
        );
        let edited = [AppliedMigration {
            version: 2,
            checksum: FILES[0].checksum(),
        }];
        assert_eq!(plan(&FILES, &edited)[1].state, MigrationState::Modified);
    }
}
