//! Schema setup: the reference's layout when absent, threadctl's numbered
//! migrations when pending (`crate::backend::schema`), and the stored write
//! version.

use sqlx::{Connection, Executor, Row};

use crate::backend::schema::{
    pending, plan, AppliedMigration, Migration, MigrationState, SchemaObject, SchemaSetup,
    SchemaStatus,
};
use crate::error::{Error, Result};
use crate::model::EnvelopeVersion;

use super::errors::driver_error;
use super::pool::ConnPool;

/// The reference's tables, RLS, policies and migration records.
const REFERENCE_LAYOUT: &str = include_str!("../../../migrations/postgres/reference_layout.sql");

/// threadctl's own objects, in the order they apply.
pub(super) const MIGRATIONS: [Migration; 5] = [
    Migration {
        version: 1,
        description: "watermark table, checkpoint, store and event functions",
        sql: include_str!("../../../migrations/postgres/threadctl/0001_objects.sql"),
    },
    Migration {
        version: 2,
        description: "batched checkpoint writes",
        sql: include_str!("../../../migrations/postgres/threadctl/0002_bulk.sql"),
    },
    Migration {
        version: 3,
        description: "checkpoint index in threadctl's (step, id) order",
        sql: include_str!("../../../migrations/postgres/threadctl/0003_thread_order_index.sql"),
    },
    Migration {
        version: 4,
        description: "checkpoint writers that only add a row share the writer lock",
        sql: include_str!("../../../migrations/postgres/threadctl/0004_shared_writer_lock.sql"),
    },
    Migration {
        version: 5,
        description:
            "inlined checkpoint writer key, an append reads the last ordinal from the index",
        sql: include_str!("../../../migrations/postgres/threadctl/0005_lean_writes.sql"),
    },
];

/// The table recording threadctl's applied migrations. Every role may
/// read it: roles granted only on the reference's tables must still see
/// that the schema is current.
const MIGRATION_RECORDS: &str = "DO $$ BEGIN \
    IF to_regclass(format('%I.threadctl_migrations', current_schema())) IS NULL THEN \
        CREATE TABLE threadctl_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
            checksum BYTEA NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()); \
        GRANT SELECT ON threadctl_migrations TO PUBLIC; \
    END IF; END $$";

/// Advisory transaction lock serializing concurrent setups (single-int key,
/// so it never meets a session lock's two-int key).
const SETUP_LOCK: i64 = 0x7468_7264_6374_6c31;

/// The reference's data tables, each under row-level security.
const DATA_TABLES: [&str; 3] = ["checkpoints", "session_events", "memory_items"];

/// The reference's recorded sqlx migrations (docs/format.md, "Postgres layout").
const REFERENCE_MIGRATIONS: [i64; 2] = [20260426000000, 20260501000001];

/// The connected role and whether row-level security restricts it.
#[derive(Debug, Clone)]
pub(super) struct RoleInfo {
    /// `current_user`.
    pub name: String,
    /// Superuser or BYPASSRLS: sees every tenant's rows.
    pub bypasses_rls: bool,
}

/// Brings the schema to what `setup` asks; returns the role.
///
/// `target` is the redacted URL, for errors.
pub(super) async fn ensure(pool: &ConnPool, target: &str, setup: SchemaSetup) -> Result<RoleInfo> {
    // No format('%I', …) here: current_schema() is NULL when no schema of
    // the search_path exists, which is reported below.
    let row = sqlx::query(
        "SELECT current_user::text AS name, \
                coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), false) AS bypass, \
                current_schema()::text AS schema, \
                current_setting('search_path') AS search_path, \
                to_regclass(quote_ident(current_schema()) || '.checkpoints') IS NOT NULL AS has_tables, \
                to_regclass(quote_ident(current_schema()) || '.threadctl_migrations') IS NOT NULL AS has_records, \
                coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) AS can_create",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("inspecting the connection's role and schema"))?;
    let role = RoleInfo {
        name: row.get("name"),
        bypasses_rls: row.get("bypass"),
    };
    if setup == SchemaSetup::Inspect {
        return Ok(role);
    }
    let Some(schema) = row.get::<Option<String>, _>("schema") else {
        let search_path: String = row.get("search_path");
        return Err(Error::invalid(
            "Postgres URL",
            format!(
                "search_path `{search_path}` names no existing schema, so the connection has no \
                 current schema; create the schema or fix `options=-c search_path=…` in the URL"
            ),
        ));
    };
    let has_tables: bool = row.get("has_tables");
    if !has_tables && setup == SchemaSetup::Existing {
        return Err(Error::NotFound(format!(
            "no checkpoint tables in schema \"{schema}\" of {target}; create them with \
             `threadctl migrate schema` (or write something first)"
        )));
    }
    let pending = !has_tables
        || !row.get::<bool, _>("has_records")
        || plan(&MIGRATIONS, &applied_migrations(pool).await?)
            .iter()
            .any(|m| m.state == MigrationState::Pending);
    if pending {
        let missing = MissingObjects {
            target,
            schema: &schema,
            role: &role.name,
        };
        if !row.get::<bool, _>("can_create") {
            return Err(missing.error());
        }
        set_up(pool, &missing, false).await?;
    }
    Ok(role)
}

/// The migrations the store recorded (none when it has no record table).
async fn applied_migrations(pool: &ConnPool) -> Result<Vec<AppliedMigration>> {
    let has_records: bool = sqlx::query_scalar(
        "SELECT to_regclass(quote_ident(current_schema()) || '.threadctl_migrations') IS NOT NULL",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("looking for threadctl's migration records"))?;
    if !has_records {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM threadctl_migrations ORDER BY version")
            .fetch_all(pool)
            .await
            .map_err(driver_error("reading threadctl's migration records"))?;
    Ok(rows
        .into_iter()
        .map(|(version, checksum)| AppliedMigration { version, checksum })
        .collect())
}

/// What the schema has and lacks.
pub(super) async fn status(pool: &ConnPool) -> Result<SchemaStatus> {
    let context = "inspecting the Postgres schema";
    let present = |sql: &'static str, name: &str| {
        let name = name.to_string();
        async move {
            let found: bool = sqlx::query_scalar(sql)
                .bind(&name)
                .fetch_one(pool)
                .await
                .map_err(driver_error(context))?;
            Ok::<_, Error>(found)
        }
    };
    let table_sql =
        "SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1)) IS NOT NULL";
    let mut objects = Vec::new();
    let mut tables = DATA_TABLES.to_vec();
    tables.extend([
        "schema_version",
        "threadctl_session_watermarks",
        "threadctl_migrations",
    ]);
    for table in &tables {
        objects.push(SchemaObject {
            name: format!("table {table}"),
            present: present(table_sql, table).await?,
        });
    }
    for table in DATA_TABLES
        .iter()
        .chain(["threadctl_session_watermarks"].iter())
    {
        let secured = present(
            "SELECT coalesce((SELECT c.relrowsecurity AND c.relforcerowsecurity FROM pg_class c \
             WHERE c.oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))), false) \
             AND EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() \
                         AND tablename = $1 AND policyname = 'tenant_isolation')",
            table,
        )
        .await?;
        objects.push(SchemaObject {
            name: format!("row-level security and policy tenant_isolation on {table}"),
            present: secured,
        });
    }
    let has_sqlx_records = present(table_sql, "_sqlx_migrations").await?;
    for version in REFERENCE_MIGRATIONS {
        let recorded = has_sqlx_records
            && sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM _sqlx_migrations WHERE version = $1 AND success)",
            )
            .bind(version)
            .fetch_one(pool)
            .await
            .map_err(driver_error(context))?;
        objects.push(SchemaObject {
            name: format!("reference migration {version} recorded in _sqlx_migrations"),
            present: recorded,
        });
    }
    Ok(SchemaStatus {
        objects,
        migrations: plan(&MIGRATIONS, &applied_migrations(pool).await?),
    })
}

/// Creates what is missing and applies pending migrations; with
/// `strict`, an applied migration whose file changed is an error (else it
/// is left as it is, with a warning).
pub(super) async fn apply(pool: &ConnPool, target: &str, strict: bool) -> Result<SchemaStatus> {
    let row = sqlx::query(
        "SELECT current_user::text AS role, coalesce(current_schema()::text, '') AS schema",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("inspecting the connection's role and schema"))?;
    let (role, schema): (String, String) = (row.get("role"), row.get("schema"));
    let missing = MissingObjects {
        target,
        schema: &schema,
        role: &role,
    };
    set_up(pool, &missing, strict).await?;
    status(pool).await
}

/// What to tell a role that cannot set up the objects threadctl needs.
struct MissingObjects<'a> {
    /// Redacted URL.
    target: &'a str,
    /// `current_schema()`.
    schema: &'a str,
    /// `current_user`.
    role: &'a str,
}

impl MissingObjects<'_> {
    fn error(&self) -> Error {
        let Self {
            target,
            schema,
            role,
        } = self;
        Error::Connect {
            target: target.to_string(),
            reason: format!(
                "threadctl's objects (threadctl_* functions, tables threadctl_session_watermarks \
                 and threadctl_migrations) are missing or outdated in schema \"{schema}\", and role \
                 \"{role}\" cannot create them (it lacks CREATE on the schema or does not own them); \
                 run `threadctl migrate schema` once as the schema's owner or a role with CREATE on \
                 \"{schema}\", e.g. `threadctl --url postgres://OWNER@…?options=-c%20search_path%3D{schema} \
                 migrate schema`, then retry as \"{role}\""
            ),
        }
    }
}

/// Creates what is missing, in one transaction serialized against other
/// processes doing the same. A permission failure is reported as
/// `missing` explains it.
async fn set_up(pool: &ConnPool, missing: &MissingObjects<'_>, strict: bool) -> Result<()> {
    let context = "setting up the Postgres schema";
    let mut conn = pool.acquire().await.map_err(driver_error(context))?;
    let result = set_up_on(&mut conn, context, strict).await;
    // After a failed setup the connection may hold an aborted transaction.
    conn.finish(result.is_ok());
    result.map_err(|e| {
        if is_permission_denied(&e) {
            missing.error()
        } else {
            e
        }
    })
}

/// SQLSTATE 42501 (insufficient_privilege) from the server.
fn is_permission_denied(error: &Error) -> bool {
    let Error::Backend { source, .. } = error else {
        return false;
    };
    source
        .downcast_ref::<sqlx::Error>()
        .and_then(|e| e.as_database_error())
        .and_then(|db| db.code())
        .is_some_and(|code| code == "42501")
}

async fn set_up_on(
    conn: &mut sqlx::PgConnection,
    context: &'static str,
    strict: bool,
) -> Result<()> {
    let mut tx = conn.begin().await.map_err(driver_error(context))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SETUP_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(driver_error(context))?;
    let has_checkpoints: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.checkpoints', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(driver_error(context))?;
    if !has_checkpoints {
        (&mut *tx)
            .execute(REFERENCE_LAYOUT)
            .await
            .map_err(driver_error(
                "creating the reference's tables, policies and migration records",
            ))?;
    }
    let has_versions: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.schema_version', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(driver_error(context))?;
    if !has_versions {
        return Err(Error::invalid(
            "Postgres schema",
            "table `checkpoints` exists but `schema_version` does not; this is not a layout threadctl knows",
        ));
    }
    (&mut *tx)
        .execute(MIGRATION_RECORDS)
        .await
        .map_err(driver_error("creating threadctl's migration records"))?;
    let applied: Vec<AppliedMigration> =
        sqlx::query_as::<_, (i64, Vec<u8>)>("SELECT version, checksum FROM threadctl_migrations")
            .fetch_all(&mut *tx)
            .await
            .map_err(driver_error(context))?
            .into_iter()
            .map(|(version, checksum)| AppliedMigration { version, checksum })
            .collect();
    let pending = pending(&MIGRATIONS, &applied, strict, "Postgres schema")?;
    for migration in pending {
        (&mut *tx)
            .execute(migration.sql)
            .await
            .map_err(driver_error(format!(
                "applying threadctl migration {} ({})",
                migration.version, migration.description
            )))?;
        sqlx::query(
            "INSERT INTO threadctl_migrations (version, description, checksum) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.description)
        .bind(migration.checksum())
        .execute(&mut *tx)
        .await
        .map_err(driver_error("recording a threadctl migration"))?;
    }
    // Older threadctl builds look at component `threadctl` to decide
    // whether to set up their objects: keep it at the highest version, so
    // they find nothing to redo.
    sqlx::query(
        "INSERT INTO schema_version (component, version) \
         SELECT 'threadctl', max(version) FROM threadctl_migrations HAVING max(version) IS NOT NULL \
         ON CONFLICT (component) DO UPDATE SET version = greatest(schema_version.version, EXCLUDED.version)",
    )
    .execute(&mut *tx)
    .await
    .map_err(driver_error("recording threadctl's schema version"))?;
    tx.commit().await.map_err(driver_error(context))
}

/// Whether the schema has table `schema_version` (an uninspected store may not).
pub(super) async fn has_versions(pool: &ConnPool) -> Result<bool> {
    sqlx::query_scalar(
        "SELECT to_regclass(quote_ident(current_schema()) || '.schema_version') IS NOT NULL",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("looking for table schema_version"))
}

/// Reads the write version (`schema_version` component `envelope`; absent = 1).
pub(super) async fn load_write_version(pool: &ConnPool) -> Result<EnvelopeVersion> {
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'envelope'")
            .fetch_optional(pool)
            .await
            .map_err(driver_error("reading the write version"))?;
    match stored {
        None => Ok(EnvelopeVersion::V1),
        Some(n) => EnvelopeVersion::from_number(n, "write version (schema_version `envelope`)"),
    }
}

/// Saves the write version.
pub(super) async fn save_write_version(pool: &ConnPool, version: EnvelopeVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO schema_version (component, version, applied_at) VALUES ('envelope', $1, now()) \
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
    )
    .bind(i64::from(version.number()))
    .execute(pool)
    .await
    .map_err(driver_error("storing the write version"))?;
    Ok(())
}
