//! `prune`: retention that is safe for human-in-the-loop flows, which
//! resume from older checkpoints and from side branches.
//!
//! - Keeping the last N: per thread, the latest checkpoint and every branch
//!   head (a checkpoint no other names as its parent) are kept, each with
//!   its N-1 nearest ancestors; the rest is deleted. Unreadable records are
//!   never deleted.
//! - Session logs: archived down to their last N events.
//! - Idle threads: a thread whose newest checkpoint is older than a cutoff
//!   is deleted whole (checkpoints, events, watermark).
//!
//! Each thread is pruned under its session lock (a busy thread is skipped
//! and reported) in batches of bounded size; a dry run takes no lock and
//! changes nothing. Memory holds one thread's ids and links at a time.
//! What was removed is recorded first ([`horizon`]), so that the store
//! verifies clean afterwards. With `vacuum`, the space of the deleted rows
//! is reclaimed at the end ([`Vacuum`]) and its size before and after
//! reported.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::backend::{
    BulkCheckpoints, BulkDeletes, DataTable, DistributedLock, RecordCursor, SessionLogBackend,
    StoreBackend, ThreadCursor, ThreadListing, ThreadSelection, Vacuum,
};
use crate::error::Result;
use crate::model::{CheckpointId, NameGlob, ThreadKey};
use crate::ops::horizon;

/// Threads asked for per enumeration page.
const THREADS_PER_PAGE: usize = 500;

/// Everything a backend offers that pruning uses.
pub trait PruneStore:
    ThreadListing
    + BulkCheckpoints
    + BulkDeletes
    + SessionLogBackend
    + DistributedLock
    + StoreBackend
    + Vacuum
{
}

impl<T> PruneStore for T where
    T: ThreadListing
        + BulkCheckpoints
        + BulkDeletes
        + SessionLogBackend
        + DistributedLock
        + StoreBackend
        + Vacuum
{
}

/// Every table prune may delete from, whose size `vacuum` reports.
const PRUNED_TABLES: [DataTable; 3] = [
    DataTable::Checkpoints,
    DataTable::SessionEvents,
    DataTable::StoreItems,
];

/// What `prune` is asked to do.
#[derive(Debug, Clone)]
pub struct PruneOptions {
    /// Which threads to consider.
    pub selection: ThreadSelection,
    /// Threads (by thread id) never to touch.
    pub exclude: Option<NameGlob>,
    /// Keep the latest checkpoint and every branch head, each with its
    /// N-1 nearest ancestors (N at least 1).
    pub keep_last: Option<usize>,
    /// Archive each session log down to its last N events.
    pub events_keep_last: Option<u64>,
    /// Delete whole threads whose newest checkpoint is older than this.
    pub idle_before: Option<DateTime<Utc>>,
    /// Count what would go; take no lock and change nothing.
    pub dry_run: bool,
    /// Checkpoints read, and deleted, per round trip.
    pub batch_size: usize,
    /// How long a thread's session lock outlives a run that dies holding it.
    pub lock_ttl: Duration,
    /// Reclaim the space afterwards (ignored by a dry run, which deletes
    /// nothing).
    pub vacuum: bool,
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneProgress {
    /// Records of the selection when the run started (a goal for the
    /// display; later writes can add to it).
    pub to_check: u64,
    /// Records read so far.
    pub records: u64,
    /// Threads considered so far.
    pub threads: u64,
    /// Checkpoints deleted (or, for a dry run, that would be) so far.
    pub checkpoints: u64,
}

/// What a run deleted, or for a dry run would delete.
#[derive(Debug, Clone, Default)]
pub struct PruneReport {
    /// Threads considered (selected and not excluded).
    pub threads: u64,
    /// Records read (unreadable ones included).
    pub scanned: u64,
    /// Idle threads deleted whole.
    pub threads_deleted: u64,
    /// Checkpoints deleted, idle threads' included.
    pub checkpoints: u64,
    /// Session events deleted with idle threads.
    pub events: u64,
    /// Session events archived (`events_keep_last`).
    pub events_archived: u64,
    /// Bytes of state JSON of the deleted checkpoints (an estimate of the
    /// space freed, before the store's own overhead).
    pub bytes: u64,
    /// Threads skipped because a session lock was held on them.
    pub busy: Vec<ThreadKey>,
    /// True for a dry run: nothing was changed.
    pub dry_run: bool,
    /// What reclaiming the space did, when asked to.
    pub vacuum: Option<VacuumOutcome>,
}

/// What `vacuum` did after the deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VacuumOutcome {
    /// The store frees space as records go (Redis): nothing to do.
    NotApplicable,
    /// The tables the run deleted from were vacuumed (SQLite: the file).
    Reclaimed {
        /// The tables vacuumed (none when nothing was deleted).
        tables: Vec<DataTable>,
        /// Bytes on disk of every table prune deletes from (SQLite: the
        /// file), before the run.
        before: u64,
        /// The same after the vacuum.
        after: u64,
    },
}

/// Prunes every selected thread, calling `progress` after each one; then,
/// with `options.vacuum`, reclaims the space of what was deleted.
pub async fn run<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    progress: impl FnMut(&PruneProgress),
) -> Result<PruneReport> {
    let vacuum = options.vacuum && !options.dry_run;
    let before = if vacuum {
        backend.storage_size(&PRUNED_TABLES).await?
    } else {
        None
    };
    let mut report = prune_threads(backend, options, progress).await?;
    if vacuum {
        report.vacuum = Some(match before {
            None => VacuumOutcome::NotApplicable,
            Some(before) => {
                let tables = touched_tables(&report);
                if !tables.is_empty() {
                    backend.vacuum(&tables).await?;
                }
                let after = backend
                    .storage_size(&PRUNED_TABLES)
                    .await?
                    .unwrap_or(before);
                VacuumOutcome::Reclaimed {
                    tables,
                    before,
                    after,
                }
            }
        });
    }
    Ok(report)
}

/// The tables a run deleted from: checkpoints (and the horizons kept
/// with the store items), session events.
fn touched_tables(report: &PruneReport) -> Vec<DataTable> {
    let mut tables = Vec::new();
    if report.checkpoints > 0 || report.threads_deleted > 0 {
        tables.extend([DataTable::Checkpoints, DataTable::StoreItems]);
    }
    if report.events > 0 || report.events_archived > 0 {
        tables.push(DataTable::SessionEvents);
    }
    tables
}

/// Prunes every selected thread, calling `progress` after each one.
async fn prune_threads<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    mut progress: impl FnMut(&PruneProgress),
) -> Result<PruneReport> {
    let mut report = PruneReport {
        dry_run: options.dry_run,
        ..PruneReport::default()
    };
    let mut state = PruneProgress {
        to_check: backend.count_by_version(&options.selection).await?.total(),
        ..PruneProgress::default()
    };
    progress(&state);
    let mut cursor: Option<ThreadCursor> = None;
    // On Redis a thread may come in more than one page: prune it once.
    let mut seen: HashSet<ThreadKey> = HashSet::new();
    loop {
        let page = backend
            .thread_page(&options.selection, cursor.as_ref(), THREADS_PER_PAGE)
            .await?;
        for thread in page.threads {
            let excluded = options
                .exclude
                .as_ref()
                .is_some_and(|g| g.matches(thread.thread.as_str()));
            if excluded || !seen.insert(thread.clone()) {
                continue;
            }
            report.threads += 1;
            let before = report.checkpoints;
            prune_thread(backend, options, &thread, &mut report).await?;
            state.threads = report.threads;
            state.records = report.scanned;
            state.checkpoints += report.checkpoints - before;
            progress(&state);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(report),
        }
    }
}

/// One readable checkpoint, as much of it as pruning needs.
struct Node {
    parent: Option<CheckpointId>,
    step: u64,
    bytes: u64,
}

/// A thread's checkpoints, read page by page.
struct ThreadScan {
    /// Records read, unreadable ones included.
    records: u64,
    nodes: HashMap<CheckpointId, Node>,
    newest: Option<DateTime<Utc>>,
}

async fn scan<B: PruneStore>(backend: &B, thread: &ThreadKey, page: usize) -> Result<ThreadScan> {
    let mut scan = ThreadScan {
        records: 0,
        nodes: HashMap::new(),
        newest: None,
    };
    let mut after: Option<RecordCursor> = None;
    loop {
        let records = backend.read_page(thread, after.as_ref(), page).await?;
        scan.records += records.records.len() as u64;
        // Unreadable records are left alone: never deleted, never counted.
        for stored in records.records.into_iter().flatten() {
            let cp = stored.checkpoint;
            scan.newest = scan.newest.max(Some(cp.timestamp));
            let bytes = serde_json::to_vec(&cp.state).map_or(0, |v| v.len() as u64);
            scan.nodes.insert(
                cp.id,
                Node {
                    parent: cp.parent_id,
                    step: cp.step,
                    bytes,
                },
            );
        }
        match records.next {
            Some(next) => after = Some(next),
            None => return Ok(scan),
        }
    }
}

/// The checkpoints `--keep-last keep` keeps: the latest and every branch
/// head, each with its `keep - 1` nearest ancestors.
fn kept(nodes: &HashMap<CheckpointId, Node>, keep: usize) -> HashSet<CheckpointId> {
    let named: HashSet<CheckpointId> = nodes.values().filter_map(|n| n.parent).collect();
    let latest = nodes
        .iter()
        .max_by_key(|(id, n)| (n.step, **id))
        .map(|(id, _)| *id);
    let starts = nodes
        .keys()
        .copied()
        .filter(|id| !named.contains(id))
        .chain(latest);
    let mut kept = HashSet::new();
    for start in starts {
        let mut at = Some(start);
        for _ in 0..keep {
            let Some(node) = at.and_then(|id| nodes.get(&id).map(|n| (id, n))) else {
                break;
            };
            kept.insert(node.0);
            at = node.1.parent;
        }
    }
    kept
}

async fn prune_thread<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    thread: &ThreadKey,
    report: &mut PruneReport,
) -> Result<()> {
    let batch = options.batch_size.max(1);
    let guard = if options.dry_run {
        None
    } else {
        match backend.try_acquire(thread, options.lock_ttl).await? {
            Some(guard) => Some(guard),
            None => {
                report.busy.push(thread.clone());
                return Ok(());
            }
        }
    };
    let outcome = prune_locked(backend, options, thread, batch, report).await;
    let released = match guard {
        Some(guard) => guard.release().await,
        None => Ok(()),
    };
    outcome?;
    released
}

async fn prune_locked<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    thread: &ThreadKey,
    batch: usize,
    report: &mut PruneReport,
) -> Result<()> {
    let scan = scan(backend, thread, batch).await?;
    report.scanned += scan.records;
    let idle = options
        .idle_before
        .is_some_and(|cutoff| scan.newest.is_some_and(|newest| newest < cutoff));
    if idle {
        report.threads_deleted += 1;
        report.bytes += scan.nodes.values().map(|n| n.bytes).sum::<u64>();
        if options.dry_run {
            let bounds = backend.log_bounds(thread).await?;
            report.checkpoints += scan.nodes.len() as u64;
            report.events += bounds.last - bounds.watermark;
        } else {
            let gone = backend.delete_thread(thread).await?;
            horizon::forget(backend, thread).await?;
            report.checkpoints += gone.checkpoints;
            report.events += gone.events;
        }
        return Ok(());
    }
    if let Some(keep) = options.keep_last {
        prune_checkpoints(backend, options, thread, &scan, keep, report).await?;
    }
    if let Some(keep) = options.events_keep_last {
        archive_events(backend, options, thread, keep, report).await?;
    }
    Ok(())
}

/// Archives the session log of `thread` down to its last `keep` events.
async fn archive_events<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    thread: &ThreadKey,
    keep: u64,
    report: &mut PruneReport,
) -> Result<()> {
    let bounds = backend.log_bounds(thread).await?;
    let through = bounds.last.saturating_sub(keep);
    if through <= bounds.watermark {
        return Ok(());
    }
    report.events_archived += through - bounds.watermark;
    if !options.dry_run {
        backend.archive_events(thread, through).await?;
    }
    Ok(())
}

/// Deletes what `--keep-last keep` does not keep of a scanned thread.
async fn prune_checkpoints<B: PruneStore>(
    backend: &B,
    options: &PruneOptions,
    thread: &ThreadKey,
    scan: &ThreadScan,
    keep: usize,
    report: &mut PruneReport,
) -> Result<()> {
    let batch = options.batch_size.max(1);
    let kept = kept(&scan.nodes, keep.max(1));
    let doomed: Vec<CheckpointId> = scan
        .nodes
        .keys()
        .copied()
        .filter(|id| !kept.contains(id))
        .collect();
    report.bytes += doomed.iter().map(|id| scan.nodes[id].bytes).sum::<u64>();
    if options.dry_run {
        report.checkpoints += doomed.len() as u64;
        return Ok(());
    }
    if doomed.is_empty() {
        return Ok(());
    }
    // Recorded before deleting: an interrupted run leaves no false damage.
    let doomed_set: HashSet<CheckpointId> = doomed.iter().copied().collect();
    let mut roots: HashSet<CheckpointId> = horizon::load(backend, thread)
        .await?
        .into_iter()
        .filter(|id| kept.contains(id))
        .collect();
    roots.extend(kept.iter().copied().filter(|id| {
        scan.nodes[id]
            .parent
            .is_some_and(|parent| doomed_set.contains(&parent))
    }));
    horizon::save(backend, thread, &roots).await?;
    for ids in doomed.chunks(batch) {
        report.checkpoints += backend.delete_checkpoints(thread, ids).await?;
    }
    Ok(())
}
