//! `doctor`: one read-only diagnosis of why threadctl may not see what an
//! operator expects. The backend's own facts ([`Diagnostics`]) come first,
//! then the schema and the write version as `migrate status` reads them.
//! Nothing is created or changed.

use crate::backend::schema::MigrationState;
use crate::backend::{Check, CheckLevel, Diagnostics, SchemaStatus};
use crate::ops::migrate::{self, MigrationStatus, MigrationStore};

/// A diagnosis: its checks in the order they were made.
#[derive(Debug, Clone)]
pub struct DoctorReport {
    /// Every check made.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// The report of a store that could not be opened: one failed
    /// connection check saying why (`reason`, which names the store
    /// without its password).
    pub fn unreachable(reason: &str) -> Self {
        Self {
            checks: vec![Check::fail(
                "connection",
                reason,
                "check the URL, that the server runs and accepts connections from here, and the credentials",
            )],
        }
    }

    /// True when a check failed: the store is unusable as it is.
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.level == CheckLevel::Fail)
    }
}

/// What a store needs for a diagnosis.
pub trait DoctorStore: Diagnostics + MigrationStore {}

impl<T> DoctorStore for T where T: Diagnostics + MigrationStore {}

/// Diagnoses an opened store; reads only. A fact that cannot be read
/// becomes a check saying why rather than an error, so the report shows
/// everything that could be checked.
pub async fn run<B: DoctorStore>(backend: &B) -> DoctorReport {
    let mut checks = match backend.diagnostics().await {
        Ok(checks) => checks,
        Err(e) => vec![Check::fail(
            "server",
            format!("cannot read the server's state: {e}"),
            "check that the server is up and the role may read its settings",
        )],
    };
    match migrate::status(backend).await {
        Ok(status) => checks.extend(status_checks(&status)),
        Err(counting) => match backend.schema_status().await {
            Ok(schema) => {
                checks.push(schema_check(&schema));
                let version = match backend.refresh_write_version().await {
                    Ok(version) => format!("write version {}", version.number()),
                    Err(e) => format!("write version unknown ({e})"),
                };
                checks.push(Check::warn(
                    "write version",
                    format!("{version}; records not counted: {counting}"),
                    "count records with a role that sees every tenant (threadctl migrate status)",
                ));
            }
            Err(e) => checks.push(Check::fail(
                "schema",
                format!("cannot read the schema: {e}"),
                "check the role's privileges on the store's schema",
            )),
        },
    }
    DoctorReport { checks }
}

/// The schema and write-version checks of a `migrate status`.
fn status_checks(status: &MigrationStatus) -> Vec<Check> {
    let mut checks = vec![schema_check(&status.schema)];
    let Some(counts) = &status.counts else {
        return checks;
    };
    let version = status.write_version.number();
    let total = counts.total();
    let behind = total - counts.at(version);
    let detail = format!("write version {version}; {total} records, {behind} at another version");
    checks.push(if counts.unversioned > 0 {
        Check::warn(
            "write version",
            detail,
            format!(
                "{} records have no supported version: threadctl verify lists them",
                counts.unversioned
            ),
        )
    } else if behind > 0 {
        Check::warn(
            "write version",
            detail,
            format!("rewrite them with threadctl migrate run --to {version}"),
        )
    } else {
        Check::ok("write version", detail)
    });
    checks
}

/// Whether the schema is present and complete.
fn schema_check(schema: &SchemaStatus) -> Check {
    if schema.objects.is_empty() && schema.migrations.is_empty() {
        return Check::ok("schema", "none needed (Redis keys)");
    }
    let missing: Vec<&str> = schema
        .objects
        .iter()
        .filter(|o| !o.present)
        .map(|o| o.name.as_str())
        .collect();
    let not_applied = |state: MigrationState| {
        schema
            .migrations
            .iter()
            .filter(move |m| m.state == state)
            .count()
    };
    let (pending, modified, unknown) = (
        not_applied(MigrationState::Pending),
        not_applied(MigrationState::Modified),
        not_applied(MigrationState::Unknown),
    );
    if missing.contains(&"table checkpoints") {
        return Check::fail(
            "schema",
            format!("no checkpoint table ({} of {} objects missing)", missing.len(), schema.objects.len()),
            "check that the URL names the right database and schema; create it with threadctl migrate schema",
        );
    }
    if unknown > 0 {
        return Check::warn(
            "schema",
            format!("{unknown} migrations applied by a newer threadctl"),
            "upgrade threadctl to the release that applied them",
        );
    }
    if modified > 0 {
        return Check::warn(
            "schema",
            format!("{modified} migrations were applied from files changed since"),
            "see threadctl migrate status; restore the applied migration files",
        );
    }
    if !missing.is_empty() || pending > 0 {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", missing.join(", ")));
        }
        if pending > 0 {
            parts.push(format!("{pending} threadctl migrations pending"));
        }
        return Check::warn(
            "schema",
            format!("incomplete: {}", parts.join("; ")),
            "create what is missing with threadctl migrate schema",
        );
    }
    Check::ok(
        "schema",
        format!(
            "complete ({} objects, {} threadctl migrations applied)",
            schema.objects.len(),
            schema.migrations.len()
        ),
    )
}
