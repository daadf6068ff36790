//! `doctor`: one read-only diagnosis of why threadctl may not see what an
//! operator expects. The backend's own facts ([`Diagnostics`]) come first,
//! then the round-trip latency, the schema, the write version with the
//! records per version, and the counts of tenants, threads and
//! checkpoints. A store small enough is counted exactly; a big one is
//! estimated from the server's statistics and a sample of its records,
//! and those checks say so. Nothing is created or changed.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::backend::schema::MigrationState;
use crate::backend::{
    Check, CheckLevel, Diagnostics, SchemaStatus, SizeEstimate, ThreadSelection, VersionCounts,
};
use crate::model::EnvelopeVersion;
use crate::ops::migrate::{self, MigrationStatus, MigrationStore};

/// Checkpoints up to which a store is counted exactly (records per
/// version, tenants, threads); above, the figures are estimates.
pub const EXACT_COUNT_LIMIT: u64 = 100_000;

/// Round trips timed for the latency check (the fastest is reported).
const LATENCY_PINGS: usize = 3;

/// A round trip slower than this is worth a warning: every command pays
/// it at least once.
const SLOW_ROUND_TRIP: Duration = Duration::from_millis(50);

/// Threads read to estimate the records per version of a big store.
const SAMPLE_THREADS: usize = 20;

/// Records read of each sampled thread.
const SAMPLE_RECORDS_PER_THREAD: usize = 50;

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
    checks.push(latency_check(backend).await);
    match backend.estimate_size().await {
        Ok(size) if size.checkpoints > EXACT_COUNT_LIMIT => {
            checks.extend(estimated_checks(backend, &size).await);
        }
        Ok(_) => checks.extend(counted_checks(backend).await),
        Err(e) => {
            checks.push(Check::warn(
                "counts",
                format!("cannot estimate the store's size: {e}"),
                "check the role's privileges on the store's statistics",
            ));
            checks.extend(counted_checks(backend).await);
        }
    }
    DoctorReport { checks }
}

/// The fastest of a few round trips.
async fn latency_check<B: Diagnostics>(backend: &B) -> Check {
    let mut fastest: Option<Duration> = None;
    for _ in 0..LATENCY_PINGS {
        let started = Instant::now();
        if let Err(e) = backend.ping().await {
            return Check::warn(
                "latency",
                format!("a round trip failed: {e}"),
                "check the network between here and the server",
            );
        }
        let took = started.elapsed();
        fastest = Some(fastest.map_or(took, |f| f.min(took)));
    }
    let took = fastest.unwrap_or_default();
    let detail = format!(
        "round trip {:.2} ms (fastest of {LATENCY_PINGS})",
        took.as_secs_f64() * 1000.0
    );
    if took > SLOW_ROUND_TRIP {
        Check::warn(
            "latency",
            detail,
            "every command pays this at least once: run threadctl close to the server for bulk work",
        )
    } else {
        Check::ok("latency", detail)
    }
}

/// Schema, write version and counts of a store small enough to count.
async fn counted_checks<B: DoctorStore>(backend: &B) -> Vec<Check> {
    let mut checks = Vec::new();
    match migrate::status(backend).await {
        Ok(status) => {
            checks.extend(status_checks(&status));
            if status.counts.is_some() {
                checks.push(counts_check(backend).await);
            }
        }
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
                checks.push(counts_check(backend).await);
            }
            Err(e) => checks.push(Check::fail(
                "schema",
                format!("cannot read the schema: {e}"),
                "check the role's privileges on the store's schema",
            )),
        },
    }
    checks
}

/// Tenants, threads and checkpoints, counted.
async fn counts_check<B: DoctorStore>(backend: &B) -> Check {
    match backend.list_threads(None).await {
        Ok(threads) => {
            let tenants: BTreeSet<_> = threads.iter().map(|t| &t.thread.tenant).collect();
            let checkpoints: u64 = threads.iter().map(|t| t.checkpoints).sum();
            Check::ok(
                "counts",
                format!(
                    "{} tenant(s), {} thread(s), {checkpoints} checkpoint(s)",
                    tenants.len(),
                    threads.len()
                ),
            )
        }
        Err(e) => Check::warn(
            "counts",
            format!("not counted: {e}"),
            "count with a role that sees every tenant (superuser or BYPASSRLS)",
        ),
    }
}

/// Schema, write version and counts of a big store: the counts from its
/// statistics, the records per version from a sample.
async fn estimated_checks<B: DoctorStore>(backend: &B, size: &SizeEstimate) -> Vec<Check> {
    let mut checks = Vec::new();
    match backend.schema_status().await {
        Ok(schema) => checks.push(schema_check(&schema)),
        Err(e) => {
            checks.push(Check::fail(
                "schema",
                format!("cannot read the schema: {e}"),
                "check the role's privileges on the store's schema",
            ));
            return checks;
        }
    }
    let about = |n: Option<u64>, what: &str| match n {
        Some(n) => format!("about {n} {what}"),
        None => format!("{what} not estimated"),
    };
    checks.push(
        Check::ok(
            "counts",
            format!(
                "{}, {}, about {} checkpoint(s) (estimate)",
                about(size.tenants, "tenant(s)"),
                about(size.threads, "thread(s)"),
                size.checkpoints
            ),
        )
        .estimated(),
    );
    let version = match backend.refresh_write_version().await {
        Ok(version) => version,
        Err(e) => {
            checks.push(Check::warn(
                "write version",
                format!("unknown: {e}"),
                "check the role's privileges (threadctl migrate status)",
            ));
            return checks;
        }
    };
    checks.push(match sample_versions(backend).await {
        Ok(sample) => version_check(version, &sample, Some(size.checkpoints)).estimated(),
        Err(e) => Check::warn(
            "write version",
            format!(
                "write version {}; records not sampled: {e}",
                version.number()
            ),
            "count records with a role that sees every tenant (threadctl migrate status)",
        ),
    });
    checks
}

/// Records per version of the first records of the first threads.
async fn sample_versions<B: DoctorStore>(backend: &B) -> crate::error::Result<VersionCounts> {
    let page = backend
        .thread_page(&ThreadSelection::everything(), None, SAMPLE_THREADS)
        .await?;
    let mut counts = VersionCounts::default();
    for thread in page.threads.iter().take(SAMPLE_THREADS) {
        let records = backend
            .read_page(thread, None, SAMPLE_RECORDS_PER_THREAD)
            .await?;
        for read in records.records {
            match read {
                Ok(stored) => {
                    *counts
                        .by_version
                        .entry(stored.schema_version.number())
                        .or_default() += 1;
                }
                Err(_) => counts.unversioned += 1,
            }
        }
    }
    Ok(counts)
}

/// The schema and write-version checks of a `migrate status`.
fn status_checks(status: &MigrationStatus) -> Vec<Check> {
    let mut checks = vec![schema_check(&status.schema)];
    if let Some(counts) = &status.counts {
        checks.push(version_check(status.write_version, counts, None));
    }
    checks
}

/// The write version and the records per version: counted, or a sample
/// of a store of about `estimated_total` records.
fn version_check(
    write: EnvelopeVersion,
    counts: &VersionCounts,
    estimated_total: Option<u64>,
) -> Check {
    let version = write.number();
    let total = counts.total();
    let behind = total - counts.at(version);
    let mut per_version: Vec<String> = counts
        .by_version
        .iter()
        .map(|(v, n)| format!("v{v} {n}"))
        .collect();
    if counts.unversioned > 0 {
        per_version.push(format!("unreadable {}", counts.unversioned));
    }
    let per_version = if per_version.is_empty() {
        String::new()
    } else {
        format!(" ({})", per_version.join(", "))
    };
    let detail = match estimated_total {
        None => format!(
            "write version {version}; {total} records{per_version}, {behind} at another version"
        ),
        Some(about) => format!(
            "write version {version}; about {about} records; a sample of {total}{per_version} has {behind} at another version"
        ),
    };
    if counts.unversioned > 0 {
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
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(v1: u64, v2: u64, unversioned: u64) -> VersionCounts {
        VersionCounts {
            by_version: [(1, v1), (2, v2)]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect(),
            unversioned,
            with_metadata: 0,
        }
    }

    #[test]
    fn counted_versions_list_each_version_and_what_is_behind() {
        let check = version_check(EnvelopeVersion::V2, &counts(3, 5, 0), None);
        assert_eq!(check.level, CheckLevel::Warn);
        assert_eq!(
            check.detail,
            "write version 2; 8 records (v1 3, v2 5), 3 at another version"
        );
        assert!(check.hint.unwrap().contains("migrate run --to 2"));
        let clean = version_check(EnvelopeVersion::V1, &counts(4, 0, 0), None);
        assert_eq!(clean.level, CheckLevel::Ok);
        let unreadable = version_check(EnvelopeVersion::V1, &counts(4, 0, 2), None);
        assert!(unreadable.hint.unwrap().contains("threadctl verify"));
    }

    #[test]
    fn sampled_versions_say_they_are_a_sample_of_about_the_total() {
        let check = version_check(EnvelopeVersion::V1, &counts(40, 10, 0), Some(2_000_000));
        assert_eq!(
            check.detail,
            "write version 1; about 2000000 records; a sample of 50 (v1 40, v2 10) has 10 at another version"
        );
    }
}
