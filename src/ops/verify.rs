//! `verify`: reading every selected record and session log and reporting
//! each problem with its tenant, thread and id — a corrupt record (bad
//! JSON, a missing field, an empty stored tenant, a checksum mismatch), an
//! unsupported envelope version, a record that names another tenant or
//! thread than where it is stored, a Redis sorted-set member without an
//! envelope and an envelope without a sorted-set member, a parent id that
//! is not in the thread (unless `prune` removed it: [`horizon`]), and gaps
//! in the session-event ordinals. Nothing is written.
//!
//! Memory stays bounded whatever the store's size (but for the threads a
//! Redis walk remembers: [`crate::ops::threads_walk`]): threads come in pages,
//! records and events in pages, and only the ids and parent links of the
//! few threads under way are held at once (32 bytes a record); at most
//! [`MAX_DESCRIBED`] problems are described, the rest counted.

use std::collections::HashSet;

use futures_util::StreamExt;

use crate::backend::{
    BulkCheckpoints, BulkEvents, RecordCursor, RecordFault, Repeats, SessionLogBackend,
    StoreBackend, ThreadListing, ThreadSelection, UnreadableRecord,
};
use crate::error::{ConflictKind, Error, Result};
use crate::model::{CheckpointId, ThreadKey};
use crate::ops::horizon;
use crate::ops::threads_walk::{ThreadWalk, THREADS_PER_PAGE};

/// Threads checked at once.
const CONCURRENT_THREADS: usize = 4;

/// Problems a report describes one by one; the rest are counted.
pub const MAX_DESCRIBED: usize = 1000;

/// Everything a backend offers that verification uses.
pub trait VerifyStore:
    ThreadListing + BulkCheckpoints + BulkEvents + SessionLogBackend + StoreBackend
{
}

impl<T> VerifyStore for T where
    T: ThreadListing + BulkCheckpoints + BulkEvents + SessionLogBackend + StoreBackend
{
}

/// What `verify` is asked to check.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Which threads to check.
    pub selection: ThreadSelection,
    /// Records (and events) read per page.
    pub page_size: usize,
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyProgress {
    /// Records of the selection when the run started (a goal for the
    /// display; later writes can add to it).
    pub to_check: u64,
    /// Records read so far.
    pub records: u64,
    /// Threads finished so far.
    pub threads: u64,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The record cannot be decoded: bad JSON, a missing or ill-typed
    /// field, an empty stored tenant, a checksum mismatch. The text says which.
    Corrupt(String),
    /// The record's envelope version is not one this build reads.
    UnsupportedVersion(String),
    /// The record names another tenant or thread than the one it is
    /// stored under. The text says which.
    Misplaced(String),
    /// Redis: the id is in the thread's sorted set, but its envelope is
    /// not in the thread's hash.
    MissingEnvelope,
    /// Redis: the envelope is in the thread's hash, but its id is not in
    /// the thread's sorted set, so no read finds it.
    Unindexed,
    /// The record names a parent that is not in its thread.
    MissingParent(CheckpointId),
    /// Redis: the thread's session log is under keys that are also another
    /// tenant/thread pair's, one with checkpoints, and events record no
    /// owner: the log cannot be attributed. The text names the pairs.
    SharedLog(String),
    /// Session-event ordinals `from..=through` are missing from the log.
    EventGap {
        /// First missing ordinal.
        from: u64,
        /// Last missing ordinal.
        through: u64,
    },
}

impl ProblemKind {
    /// A short, stable name for scripts (`-o json`).
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Corrupt(_) => "corrupt",
            ProblemKind::UnsupportedVersion(_) => "unsupported_version",
            ProblemKind::Misplaced(_) => "misplaced",
            ProblemKind::MissingEnvelope => "missing_envelope",
            ProblemKind::Unindexed => "unindexed",
            ProblemKind::MissingParent(_) => "missing_parent",
            ProblemKind::SharedLog(_) => "shared_log",
            ProblemKind::EventGap { .. } => "event_gap",
        }
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProblemKind::Corrupt(why)
            | ProblemKind::UnsupportedVersion(why)
            | ProblemKind::Misplaced(why)
            | ProblemKind::SharedLog(why) => f.write_str(why),
            ProblemKind::MissingEnvelope => {
                f.write_str("listed in the sorted set, but the hash has no envelope for it")
            }
            ProblemKind::Unindexed => f.write_str(
                "its envelope is in the hash, but the sorted set does not list it: no read finds it",
            ),
            ProblemKind::MissingParent(parent) => {
                write!(f, "parent {parent} is not in the thread")
            }
            ProblemKind::EventGap { from, through } if from == through => {
                write!(f, "session event {from} is missing")
            }
            ProblemKind::EventGap { from, through } => {
                write!(f, "session events {from}..={through} are missing")
            }
        }
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The thread it was found in.
    pub thread: ThreadKey,
    /// The stored id of the record at fault (as text: it may not even be
    /// a UUID); `None` for a problem of the session log.
    pub id: Option<String>,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What a run found.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    /// Threads checked.
    pub threads: u64,
    /// Records read.
    pub records: u64,
    /// Session events read.
    pub events: u64,
    /// At most [`MAX_DESCRIBED`] problems (see `problem_count`), in the
    /// order threads finished.
    pub problems: Vec<Problem>,
    /// Every problem found.
    pub problem_count: u64,
}

impl VerifyReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.problem_count == 0
    }

    /// Adds what checking one thread found.
    fn absorb(&mut self, checked: ThreadCheck) {
        self.threads += 1;
        self.records += checked.records;
        self.events += checked.events;
        self.problem_count += checked.problem_count;
        let room = MAX_DESCRIBED.saturating_sub(self.problems.len());
        self.problems
            .extend(checked.problems.into_iter().take(room));
    }
}

/// Checks every thread of `options.selection`, calling `progress` after
/// each thread.
pub async fn run<B: VerifyStore>(
    backend: &B,
    options: &VerifyOptions,
    mut progress: impl FnMut(&VerifyProgress),
) -> Result<VerifyReport> {
    let mut state = VerifyProgress {
        to_check: backend.count_by_version(&options.selection).await?.total(),
        ..VerifyProgress::default()
    };
    progress(&state);
    let mut report = VerifyReport::default();
    let mut walk = ThreadWalk::new(backend, &options.selection);
    while let Some(fresh) = walk.next_page().await? {
        let mut work = futures_util::stream::iter(
            fresh
                .iter()
                .map(|thread| check_thread(backend, thread, options.page_size.max(1))),
        )
        .buffer_unordered(CONCURRENT_THREADS);
        while let Some(checked) = work.next().await {
            let checked = checked?;
            state.records += checked.records;
            report.absorb(checked);
            state.threads += 1;
            progress(&state);
        }
    }
    check_orphan_logs(backend, options, &mut report, &mut state, &mut progress).await?;
    Ok(report)
}

/// Checks the session logs that no thread with checkpoints owns (the walk
/// above lists only threads with checkpoints): their ordinals must be
/// gapless too.
async fn check_orphan_logs<B: VerifyStore>(
    backend: &B,
    options: &VerifyOptions,
    report: &mut VerifyReport,
    state: &mut VerifyProgress,
    progress: &mut impl FnMut(&VerifyProgress),
) -> Result<()> {
    let page_size = options.page_size.max(1);
    let mut repeats = Repeats::new(backend.pages_may_repeat());
    let mut cursor = None;
    loop {
        let page = backend
            .log_page(&options.selection, cursor.as_ref(), THREADS_PER_PAGE)
            .await?;
        for log in &page.logs {
            // A reading with checkpoints had its log checked with its
            // thread above. Every reading names the same keys: checking
            // one checks the log.
            if log.readings.iter().any(|r| r.has_checkpoints) {
                continue;
            }
            let Some(reading) = log.readings.first() else {
                continue;
            };
            if !repeats.first_time(&reading.thread) {
                continue;
            }
            let mut check = ThreadCheck::default();
            check_events(backend, &reading.thread, page_size, &mut check).await?;
            report.absorb(check);
            state.threads += 1;
            progress(state);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

/// What checking one thread found.
#[derive(Default)]
struct ThreadCheck {
    records: u64,
    events: u64,
    /// At most [`MAX_DESCRIBED`] of them.
    problems: Vec<Problem>,
    problem_count: u64,
}

impl ThreadCheck {
    /// Counts `problem`, and keeps it while there is room.
    fn found(&mut self, problem: Problem) {
        self.problem_count += 1;
        if self.problems.len() < MAX_DESCRIBED {
            self.problems.push(problem);
        }
    }
}

/// Reads one thread's records and session log.
async fn check_thread<B: VerifyStore>(
    backend: &B,
    thread: &ThreadKey,
    page_size: usize,
) -> Result<ThreadCheck> {
    let mut check = ThreadCheck::default();
    let mut ids: HashSet<CheckpointId> = HashSet::new();
    let mut links: Vec<(CheckpointId, CheckpointId)> = Vec::new();
    let mut after: Option<RecordCursor> = None;
    loop {
        let page = backend.read_page(thread, after.as_ref(), page_size).await?;
        for read in page.records {
            check.records += 1;
            match read {
                Ok(stored) => {
                    let cp = stored.checkpoint;
                    ids.insert(cp.id);
                    if let Some(parent) = cp.parent_id {
                        links.push((cp.id, parent));
                    }
                }
                Err(unreadable) => {
                    // Its children name it: they are not missing a parent.
                    if let Ok(id) = unreadable.id.parse() {
                        ids.insert(id);
                    }
                    let UnreadableRecord {
                        id, fault, error, ..
                    } = *unreadable;
                    check.found(Problem {
                        thread: thread.clone(),
                        kind: unreadable_kind(fault, error),
                        id: Some(id),
                    });
                }
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    for id in backend.unindexed_records(thread).await? {
        // It exists: its children are not missing a parent.
        if let Ok(parsed) = id.parse() {
            ids.insert(parsed);
        }
        check.found(Problem {
            thread: thread.clone(),
            id: Some(id),
            kind: ProblemKind::Unindexed,
        });
    }
    let pruned_parents = horizon::load(backend, thread).await?;
    for (id, parent) in links {
        if !ids.contains(&parent) && !pruned_parents.contains(&id) {
            check.found(Problem {
                thread: thread.clone(),
                id: Some(id.to_string()),
                kind: ProblemKind::MissingParent(parent),
            });
        }
    }
    check_events(backend, thread, page_size, &mut check).await?;
    Ok(check)
}

/// What a record's fault and decoding error say is wrong with it.
fn unreadable_kind(fault: RecordFault, error: Error) -> ProblemKind {
    match (fault, error) {
        (RecordFault::NoEnvelope, _) => ProblemKind::MissingEnvelope,
        (RecordFault::Misplaced, e) => ProblemKind::Misplaced(e.to_string()),
        (RecordFault::Undecodable, e @ Error::UnsupportedVersion { .. }) => {
            ProblemKind::UnsupportedVersion(e.to_string())
        }
        (RecordFault::Undecodable, e) => ProblemKind::Corrupt(e.to_string()),
    }
}

/// Walks the unarchived events, from the watermark to the last ordinal,
/// and reports every run of missing ordinals.
async fn check_events<B: VerifyStore>(
    backend: &B,
    thread: &ThreadKey,
    page_size: usize,
    check: &mut ThreadCheck,
) -> Result<()> {
    let bounds = match backend.log_bounds(thread).await {
        Err(Error::Conflict {
            kind: ConflictKind::ForeignKeys,
            message,
        }) => {
            check.found(Problem {
                thread: thread.clone(),
                id: None,
                kind: ProblemKind::SharedLog(message),
            });
            return Ok(());
        }
        bounds => bounds?,
    };
    let mut expected = bounds.watermark + 1;
    let gap = |from: u64, through: u64, check: &mut ThreadCheck| {
        check.found(Problem {
            thread: thread.clone(),
            id: None,
            kind: ProblemKind::EventGap { from, through },
        });
    };
    loop {
        let events = backend
            .load_events(thread, expected - 1, Some(page_size))
            .await?;
        for event in &events {
            check.events += 1;
            if event.ordinal > expected {
                gap(expected, event.ordinal - 1, check);
            }
            expected = event.ordinal + 1;
        }
        if events.len() < page_size {
            break;
        }
    }
    if expected <= bounds.last {
        gap(expected, bounds.last, check);
    }
    Ok(())
}
