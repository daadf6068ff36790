//! Envelope migrations: rewriting every selected record at one envelope
//! version in bounded, atomic batches, and switching the store's write
//! version once every record is there (docs/format.md, "Write version").
//!
//! Safe to interrupt at any moment: each batch is atomic and rewrites
//! records to the same content at the target version, so running the same
//! migration again finishes the work, whatever was done before. Two runs
//! never interleave (the store-wide bulk lock), and records services write
//! at the old version meanwhile are caught by the passes that follow the
//! first, until a count finds none left.

use std::time::{Duration, Instant};

use crate::backend::{
    BulkCheckpoints, BulkOperation, LockAdmin, RecordCursor, RecordOutcome, SchemaAdmin,
    SchemaStatus, ThreadCursor, ThreadListing, ThreadSelection, UnreadableRecord, VersionCounts,
    WriteMode, WriteVersionAdmin,
};
use crate::error::{Error, Result};
use crate::model::{EnvelopeVersion, StoredCheckpoint, ThreadKey};

/// How long the bulk lock lives unless extended; a run that dies frees it
/// after this at most (on Postgres at once, with its connection).
const LOCK_TTL: Duration = Duration::from_secs(15);

/// How often a run extends its bulk lock (between batches).
const LOCK_EXTEND_EVERY: Duration = Duration::from_secs(5);

/// Threads asked for per enumeration page.
const THREADS_PER_PAGE: usize = 500;

/// Passes after the first, each catching records written at the old
/// version while the previous one ran, before a run gives up converging.
const MAX_CATCH_UP_PASSES: u32 = 5;

/// Unreadable records a report describes one by one; the rest are counted.
pub const MAX_DESCRIBED: usize = 1000;

/// Everything a backend offers that migrations use.
pub trait MigrationStore:
    ThreadListing + BulkCheckpoints + WriteVersionAdmin + LockAdmin + SchemaAdmin
{
}

impl<T> MigrationStore for T where
    T: ThreadListing + BulkCheckpoints + WriteVersionAdmin + LockAdmin + SchemaAdmin
{
}

/// What `migrate run` is asked to do.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The envelope version to rewrite records at.
    pub to: EnvelopeVersion,
    /// Which threads to rewrite; the write version switches only when this
    /// is everything.
    pub selection: ThreadSelection,
    /// Records per atomic batch.
    pub batch_size: usize,
    /// Count and check only; write nothing.
    pub dry_run: bool,
    /// Allow a downgrade to version 1 to drop non-empty metadata.
    pub allow_lossy: bool,
    /// How long to wait for another run's bulk lock (`None`: not at all).
    pub lock_wait: Option<Duration>,
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrateProgress {
    /// Records not at the target version when the run started (a goal for
    /// the display; later writes can add to it).
    pub to_rewrite: u64,
    /// Records rewritten so far.
    pub rewritten: u64,
    /// Records read so far, over every pass.
    pub scanned: u64,
    /// The pass under way (1 for the first).
    pub pass: u32,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct MigrateReport {
    /// Records per version over the selection before the run.
    pub before: VersionCounts,
    /// Records per version over the selection after it (equal to `before`
    /// for a dry run).
    pub after: VersionCounts,
    /// Records rewritten at the target version.
    pub rewritten: u64,
    /// Records read, over every pass.
    pub scanned: u64,
    /// Passes over the selection.
    pub passes: u32,
    /// Records that could not be read, so were left as they are; at most
    /// [`MAX_DESCRIBED`] of them (see `unreadable_count`).
    pub unreadable: Vec<UnreadableRecord>,
    /// How many unreadable records the last pass met.
    pub unreadable_count: u64,
    /// Records a write refused (Redis keys holding another pair's records).
    pub refused: u64,
    /// The write version set at the end, if the run set it.
    pub write_version_set: Option<EnvelopeVersion>,
    /// Why the write version was not switched, when it was not.
    pub write_version_kept: Option<String>,
    /// True for a dry run: nothing was written.
    pub dry_run: bool,
}

impl MigrateReport {
    /// True when every selected record is at the target version and
    /// nothing was unreadable or refused.
    pub fn is_complete(&self, to: EnvelopeVersion) -> bool {
        self.unreadable_count == 0
            && self.refused == 0
            && self.after.total() == self.after.at(to.number())
    }
}

/// Why a run did not start.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// A downgrade to version 1 would drop non-empty metadata.
    #[error(
        "{records} record(s) carry metadata, which envelope version 1 cannot hold; \
         rerun with --allow-lossy to drop it"
    )]
    LossyDowngrade {
        /// How many records have non-empty metadata.
        records: u64,
    },
    /// The store failed (lock busy included: [`Error::LockBusy`]).
    #[error(transparent)]
    Store(#[from] Error),
}

/// Runs a migration over `options.selection`, calling `progress` after
/// every batch.
pub async fn run<B: MigrationStore>(
    backend: &B,
    options: &MigrateOptions,
    mut progress: impl FnMut(&MigrateProgress),
) -> std::result::Result<MigrateReport, MigrateError> {
    let before = backend.count_by_version(&options.selection).await?;
    if options.to == EnvelopeVersion::V1 && before.with_metadata > 0 && !options.allow_lossy {
        return Err(MigrateError::LossyDowngrade {
            records: before.with_metadata,
        });
    }
    let mut report = MigrateReport {
        after: before.clone(),
        before,
        dry_run: options.dry_run,
        ..MigrateReport::default()
    };
    if options.dry_run {
        return Ok(report);
    }
    let mut lock = acquire_bulk_lock(backend, options.lock_wait).await?;
    let outcome = migrate_locked(backend, options, &mut report, &mut lock, &mut progress).await;
    let released = lock.guard.release().await;
    outcome?;
    released?;
    Ok(report)
}

/// The held bulk lock and when it was last extended.
struct HeldBulkLock {
    guard: crate::LockGuard,
    extended: Instant,
}

impl HeldBulkLock {
    /// Extends the lock when it is due; [`Error::LockLost`] if it is gone.
    async fn keep(&mut self) -> Result<()> {
        if self.extended.elapsed() >= LOCK_EXTEND_EVERY {
            self.guard.extend(LOCK_TTL).await?;
            self.extended = Instant::now();
        }
        Ok(())
    }
}

async fn acquire_bulk_lock<B: LockAdmin>(
    backend: &B,
    wait: Option<Duration>,
) -> Result<HeldBulkLock> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        if let Some(guard) = backend
            .try_bulk_lock(BulkOperation::Migrate, LOCK_TTL)
            .await?
        {
            return Ok(HeldBulkLock {
                guard,
                extended: Instant::now(),
            });
        }
        let waited = started.elapsed();
        match wait {
            Some(limit) if waited < limit => {
                tokio::time::sleep(pause.min(limit - waited)).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            _ => {
                return Err(Error::LockBusy {
                    key: "the store's migrate lock (another `migrate run` is under way)".into(),
                    waited: wait.map(|_| waited),
                })
            }
        }
    }
}

async fn migrate_locked<B: MigrationStore>(
    backend: &B,
    options: &MigrateOptions,
    report: &mut MigrateReport,
    lock: &mut HeldBulkLock,
    progress: &mut impl FnMut(&MigrateProgress),
) -> Result<()> {
    let target = options.to.number();
    let mut state = MigrateProgress {
        to_rewrite: report.before.total() - report.before.at(target),
        rewritten: 0,
        scanned: 0,
        pass: 0,
    };
    loop {
        state.pass += 1;
        report.unreadable.clear();
        report.unreadable_count = 0;
        report.refused = 0;
        let mut pass = Pass {
            backend,
            options,
            report: &mut *report,
            lock: &mut *lock,
            state: &mut state,
            progress: &mut *progress,
        };
        pass.run().await?;
        report.after = backend.count_by_version(&options.selection).await?;
        let left = report.after.total() - report.after.at(target);
        let stuck = report.unreadable_count + report.refused;
        if left <= stuck || state.pass > MAX_CATCH_UP_PASSES {
            break;
        }
    }
    report.passes = state.pass;
    report.rewritten = state.rewritten;
    report.scanned = state.scanned;
    report.write_version_kept = if !options.selection.is_everything() {
        Some("the run covered only part of the store (--tenants/--thread)".into())
    } else if report.unreadable_count > 0 {
        Some(format!(
            "{} record(s) could not be read and were left as they are",
            report.unreadable_count
        ))
    } else if !report.is_complete(options.to) {
        Some(format!(
            "{} record(s) are not at version {} (written meanwhile, or refused)",
            report.after.total() - report.after.at(target),
            options.to
        ))
    } else {
        None
    };
    if report.write_version_kept.is_none() {
        backend.set_write_version(options.to).await?;
        report.write_version_set = Some(options.to);
    }
    Ok(())
}

/// One pass over the selection.
struct Pass<'a, B, P> {
    backend: &'a B,
    options: &'a MigrateOptions,
    report: &'a mut MigrateReport,
    lock: &'a mut HeldBulkLock,
    state: &'a mut MigrateProgress,
    progress: &'a mut P,
}

impl<B: MigrationStore, P: FnMut(&MigrateProgress)> Pass<'_, B, P> {
    async fn run(&mut self) -> Result<()> {
        let mut cursor: Option<ThreadCursor> = None;
        loop {
            let page = self
                .backend
                .thread_page(&self.options.selection, cursor.as_ref(), THREADS_PER_PAGE)
                .await?;
            for thread in &page.threads {
                self.thread(thread).await?;
            }
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// Rewrites one thread's records that are not at the target version.
    async fn thread(&mut self, thread: &ThreadKey) -> Result<()> {
        let to = self.options.to;
        let mut after: Option<RecordCursor> = None;
        loop {
            self.lock.keep().await?;
            let page = self
                .backend
                .read_page(thread, after.as_ref(), self.options.batch_size.max(1))
                .await?;
            let mut batch: Vec<StoredCheckpoint> = Vec::new();
            for read in page.records {
                self.state.scanned += 1;
                match read {
                    Ok(stored) if stored.schema_version == to => {}
                    Ok(stored)
                        if to == EnvelopeVersion::V1
                            && !stored.checkpoint.metadata.is_empty()
                            && !self.options.allow_lossy =>
                    {
                        // Written with metadata after the run checked.
                        self.report.refused += 1;
                    }
                    Ok(mut stored) => {
                        stored.schema_version = to;
                        batch.push(stored);
                    }
                    Err(unreadable) => {
                        self.report.unreadable_count += 1;
                        if self.report.unreadable.len() < MAX_DESCRIBED {
                            self.report.unreadable.push(*unreadable);
                        }
                    }
                }
            }
            if !batch.is_empty() {
                let outcomes = self
                    .backend
                    .write_batch(thread, &batch, WriteMode::Replace)
                    .await?;
                for outcome in outcomes {
                    match outcome {
                        RecordOutcome::Written | RecordOutcome::Unchanged => {
                            self.state.rewritten += 1
                        }
                        RecordOutcome::Conflict(_) => self.report.refused += 1,
                    }
                }
            }
            (self.progress)(self.state);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    }
}

/// What `migrate status` and `migrate check` report.
#[derive(Debug, Clone)]
pub struct MigrationStatus {
    /// The schema's objects and threadctl's migrations.
    pub schema: SchemaStatus,
    /// The store's write version.
    pub write_version: EnvelopeVersion,
    /// Records per envelope version over the whole store (`None` when the
    /// store has no tables to count in).
    pub counts: Option<VersionCounts>,
}

impl MigrationStatus {
    /// True when the schema is complete and every record is at the write
    /// version: what `migrate check` requires.
    pub fn is_current(&self) -> bool {
        self.schema.is_complete()
            && self
                .counts
                .as_ref()
                .is_some_and(|c| c.total() == c.at(self.write_version.number()))
    }
}

/// Inspects the store without changing it.
pub async fn status<B: MigrationStore>(backend: &B) -> Result<MigrationStatus> {
    let schema = backend.schema_status().await?;
    let has_tables = schema.objects.is_empty()
        || schema
            .objects
            .iter()
            .any(|o| o.name == "table checkpoints" && o.present);
    let counts = if has_tables {
        Some(
            backend
                .count_by_version(&ThreadSelection::everything())
                .await?,
        )
    } else {
        None
    };
    // Absent means 1, and a store without tables has nothing stored.
    let write_version = if has_tables {
        backend.refresh_write_version().await?
    } else {
        EnvelopeVersion::V1
    };
    Ok(MigrationStatus {
        schema,
        write_version,
        counts,
    })
}
