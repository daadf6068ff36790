//! The surface bulk work stands on (`migrate`, `copy`, `export`/`import`,
//! `verify`, `prune`, `rm`): paged enumeration of threads, pages of a
//! thread's records where one unreadable record does not spoil the page,
//! batched writes with an explicit mode, counts per envelope version, and
//! deletes. Every batch is atomic and one statement, script or transaction.

mod events;
mod store;
mod vacuum;

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::ops::ControlFlow;

pub use events::*;
pub use store::*;
pub use vacuum::*;

pub use crate::error::ConflictKind;
use crate::error::{Error, Result};
use crate::lock_key::LockKey;
use crate::model::{NameGlob, StoredCheckpoint, ThreadKey};

/// Which threads a bulk operation covers: every thread whose tenant and
/// thread id match the globs (no glob = every one).
#[derive(Debug, Clone, Default)]
pub struct ThreadSelection {
    /// Tenants to cover (`--tenants`).
    pub tenants: Option<NameGlob>,
    /// Threads to cover within them (`--thread`).
    pub threads: Option<NameGlob>,
}

impl ThreadSelection {
    /// Every thread of the store.
    pub fn everything() -> Self {
        Self::default()
    }

    /// True when the selection leaves nothing out.
    pub fn is_everything(&self) -> bool {
        self.tenants.is_none() && self.threads.is_none()
    }

    /// True when `thread` is selected.
    pub fn matches(&self, thread: &ThreadKey) -> bool {
        self.tenants
            .as_ref()
            .is_none_or(|g| g.matches(thread.tenant.as_str()))
            && self
                .threads
                .as_ref()
                .is_none_or(|g| g.matches(thread.thread.as_str()))
    }

    /// The one tenant selected, when the tenant glob has no wildcard.
    pub fn single_tenant(&self) -> Option<&str> {
        self.tenants.as_ref().and_then(NameGlob::literal)
    }
}

/// Where a thread enumeration stopped: give it back to continue after the
/// last thread returned. Opaque; its text survives being stored (an
/// export's resume point) and is only meaningful to the backend kind that
/// made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadCursor(String);

impl ThreadCursor {
    /// Wraps a cursor's text as a backend made it.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The cursor's text, to store and give back later.
    pub fn as_text(&self) -> &str {
        &self.0
    }
}

/// One page of an enumeration of threads.
#[derive(Debug, Clone, Default)]
pub struct ThreadPage {
    /// Selected threads with checkpoints, in backend order. On Redis a
    /// thread may appear in more than one page (SCAN's guarantee:
    /// [`ThreadListing::pages_may_repeat`]).
    pub threads: Vec<ThreadKey>,
    /// Where to continue; `None` when the enumeration is complete.
    pub next: Option<ThreadCursor>,
}

/// One keyset page of `(tenant, thread)` rows (Postgres, SQLite) read as
/// thread keys: those `selection` covers, and the last row's key when the
/// page is full (`limit` rows), where the next page starts. A row with an
/// empty tenant or thread is corrupt; `what` names such rows in the error.
pub(crate) fn keyset_page(
    rows: Vec<(String, String)>,
    selection: &ThreadSelection,
    limit: usize,
    what: &str,
) -> Result<(Vec<ThreadKey>, Option<ThreadKey>)> {
    let full = rows.len() >= limit.max(1);
    let mut keys = Vec::with_capacity(rows.len());
    let mut last = None;
    for (tenant, thread) in rows {
        let key = ThreadKey::new(tenant.clone(), thread.clone()).map_err(|_| {
            Error::corrupt(
                format!("{what} of tenant {tenant:?}, thread {thread:?}"),
                "empty or null tenant_id or thread_id",
            )
        })?;
        if selection.matches(&key) {
            keys.push(key.clone());
        }
        last = Some(key);
    }
    Ok((keys, last.filter(|_| full)))
}

/// What an enumeration returned already, when its pages may repeat: an
/// 8-byte hash of each thread (about 16 bytes with the set's overhead),
/// the least a consumer of SCAN pages must keep to handle each thread
/// once; nothing at all for keyset-paged backends.
#[derive(Debug, Default)]
pub struct Repeats(Option<HashSet<u64>>);

impl Repeats {
    /// Remembers nothing unless `pages_may_repeat`
    /// ([`ThreadListing::pages_may_repeat`]).
    pub fn new(pages_may_repeat: bool) -> Self {
        Self(pages_may_repeat.then(HashSet::new))
    }

    /// True the first time `thread` is offered.
    pub fn first_time(&mut self, thread: &ThreadKey) -> bool {
        match &mut self.0 {
            None => true,
            Some(seen) => seen.insert(LockKey::session(thread).hash()),
        }
    }
}

/// A position in a thread's records, in ascending (step, stored id) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCursor {
    /// Step of the last record returned.
    pub step: u64,
    /// Stored id (text) of the last record returned.
    pub id: String,
}

/// What kind of fault makes a record unreadable where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFault {
    /// It cannot be decoded: bad JSON, a missing or empty field, a
    /// checksum mismatch, an unsupported version.
    Undecodable,
    /// Redis: its id is in the thread's sorted set but its envelope is
    /// not in the thread's hash.
    NoEnvelope,
    /// It decodes, but names another tenant or thread than the one it
    /// was found under.
    Misplaced,
}

/// A record that could not be decoded, reported instead of aborting the
/// page it is on.
#[derive(Debug)]
pub struct UnreadableRecord {
    /// The thread it was found under.
    pub thread: ThreadKey,
    /// Its stored id, as text (it may not even be a UUID).
    pub id: String,
    /// What kind of fault it is.
    pub fault: RecordFault,
    /// Why it cannot be read: [`Error::Corrupt`] or
    /// [`Error::UnsupportedVersion`].
    pub error: Error,
}

/// One record of a page: decoded, or why not (boxed: pages hold mostly
/// readable records).
pub type RecordRead = std::result::Result<StoredCheckpoint, Box<UnreadableRecord>>;

/// A bounded run of a thread's records, ascending by (step, id).
#[derive(Debug, Default)]
pub struct RecordPage {
    /// The records, each readable or not.
    pub records: Vec<RecordRead>,
    /// Where to continue; `None` when the thread has no more records.
    pub next: Option<RecordCursor>,
}

/// What a batched write does with a record whose id the thread already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Write only new ids; an existing id is a [`ConflictKind::DuplicateId`].
    OnlyNew,
    /// Write every record, replacing an existing one of the same id.
    Replace,
    /// Write new ids; an existing record equal in content (fields, state,
    /// metadata; whatever its envelope version) is left as it is, and one
    /// that differs is a [`ConflictKind::DuplicateId`] and left alone.
    SkipIdentical,
}

/// What happened to one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Written (inserted or replaced).
    Written,
    /// An identical record was already there ([`WriteMode::SkipIdentical`]).
    Unchanged,
    /// Refused, and nothing of it written; the rest of the batch was.
    Conflict(ConflictKind),
}

/// Records per envelope version over a selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionCounts {
    /// Records per supported envelope version number.
    pub by_version: BTreeMap<u32, u64>,
    /// Records whose version is missing, not a number or unsupported.
    pub unversioned: u64,
    /// Version-2 records whose metadata is not empty: what a downgrade to
    /// version 1 would lose.
    pub with_metadata: u64,
}

impl VersionCounts {
    /// Every record counted.
    pub fn total(&self) -> u64 {
        self.by_version.values().sum::<u64>() + self.unversioned
    }

    /// Records at `version`.
    pub fn at(&self, version: u32) -> u64 {
        self.by_version.get(&version).copied().unwrap_or(0)
    }

    /// Adds another count to this one.
    pub fn absorb(&mut self, other: &VersionCounts) {
        for (version, n) in &other.by_version {
            *self.by_version.entry(*version).or_default() += n;
        }
        self.unversioned += other.unversioned;
        self.with_metadata += other.with_metadata;
    }
}

/// What deleting a thread removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreadDeletion {
    /// Checkpoints deleted.
    pub checkpoints: u64,
    /// Session events deleted (archived ones are gone already).
    pub events: u64,
    /// True when the thread's session-log keys on Redis may belong to
    /// another (tenant, thread) pair as well (ids containing `:`,
    /// docs/format.md) and hold that pair's records, so they were kept.
    pub shared_log_kept: bool,
}

/// Summaries per page [`ThreadListing::list_threads`] asks for.
pub const SUMMARY_PAGE: usize = 1000;

/// Where [`ThreadListing::summary_pages`] hands each page: `Break` stops
/// the listing (a `--limit` reached), an error ends it with that error.
pub type SummarySink<'a> =
    dyn FnMut(Vec<crate::backend::ThreadSummary>) -> Result<ControlFlow<()>> + Send + 'a;

/// Enumerating what a store holds, across tenants.
pub trait ThreadListing: Send + Sync {
    /// Every tenant with data. On Postgres this needs a role that bypasses
    /// row-level security ([`crate::Error::RlsRestricted`] otherwise).
    fn list_tenants(&self) -> impl Future<Output = Result<Vec<crate::TenantId>>> + Send;

    /// Threads with checkpoints, of one tenant or of all, sorted by key,
    /// with their counts, all at once: [`Self::summary_pages`] collected.
    fn list_threads(
        &self,
        tenant: Option<&crate::TenantId>,
    ) -> impl Future<Output = Result<Vec<crate::backend::ThreadSummary>>> + Send {
        async move {
            let mut all = Vec::new();
            self.summary_pages(tenant, None, SUMMARY_PAGE, &mut |page| {
                all.extend(page);
                Ok(ControlFlow::Continue(()))
            })
            .await?;
            Ok(all)
        }
    }

    /// Threads with checkpoints, of one tenant or of all, sorted by key and
    /// strictly after `after`, with their counts, handed to `sink` about
    /// `page_size` at a time (for `threads`, which prints each page as it
    /// comes) until the listing ends or `sink` breaks. Memory stays within
    /// a page of summaries, except on Redis, whose keys have no order: it
    /// holds the thread keys (not their summaries) to sort them.
    fn summary_pages(
        &self,
        tenant: Option<&crate::TenantId>,
        after: Option<&ThreadKey>,
        page_size: usize,
        sink: &mut SummarySink<'_>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// True when an enumeration ([`Self::thread_page`],
    /// [`BulkEvents::log_page`]) may return an entry in more than one page
    /// (Redis SCAN); false when each comes exactly once (keyset paging).
    fn pages_may_repeat(&self) -> bool {
        false
    }

    /// About `limit` selected threads with checkpoints after `cursor`, in
    /// bounded memory whatever the store's size. Across every tenant this
    /// needs a role that bypasses row-level security on Postgres, unless
    /// the selection names one tenant literally.
    fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<ThreadPage>> + Send;
}

/// Reading and writing records in bulk, exactly as given.
pub trait BulkCheckpoints: Send + Sync {
    /// True when records keep their timestamps to the nanosecond; false
    /// where the store keeps microseconds (Postgres' `timestamptz`), so
    /// that a copy can say which records it would have to truncate.
    fn keeps_nanoseconds(&self) -> bool {
        true
    }

    /// Up to `limit` of the thread's records after `after`, ascending by
    /// (step, id); an undecodable record is an [`UnreadableRecord`] in its
    /// place. Records of another pair sharing Redis keys are not returned.
    fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<RecordPage>> + Send;

    /// Writes `records` of `thread`, each encoded at its own
    /// `schema_version` with its id, parent, step, state, next node,
    /// timestamp and metadata as given, in one atomic statement or script:
    /// either every outcome returned holds, or nothing was written. One
    /// outcome per record, in order. Ids must be unique in the batch and
    /// every record must belong to `thread`.
    fn write_batch(
        &self,
        thread: &ThreadKey,
        records: &[StoredCheckpoint],
        mode: WriteMode,
    ) -> impl Future<Output = Result<Vec<RecordOutcome>>> + Send;

    /// Ids of records stored for `thread` that its index does not list, so
    /// that [`Self::read_page`] never returns them: on Redis, envelopes in
    /// the thread's hash without a member in its sorted set. Stores that
    /// keep one copy of each record have none.
    fn unindexed_records(
        &self,
        thread: &ThreadKey,
    ) -> impl Future<Output = Result<Vec<String>>> + Send {
        let _ = thread;
        async { Ok(Vec::new()) }
    }

    /// Records per envelope version over the selection, counted on the
    /// server where the backend can (Postgres, SQLite), else by reading
    /// only each record's version (Redis).
    fn count_by_version(
        &self,
        selection: &ThreadSelection,
    ) -> impl Future<Output = Result<VersionCounts>> + Send;
}

/// Deleting records in bulk, each call atomic.
pub trait BulkDeletes: Send + Sync {
    /// Deletes the given checkpoints of `thread` in one statement or
    /// script; returns how many of them existed. Nothing of another thread
    /// is touched, on Redis keys that two pairs share included.
    fn delete_checkpoints(
        &self,
        thread: &ThreadKey,
        ids: &[crate::CheckpointId],
    ) -> impl Future<Output = Result<u64>> + Send;

    /// Deletes a whole thread — its checkpoints, session events and
    /// archive watermark — in one statement, script or transaction.
    fn delete_thread(
        &self,
        thread: &ThreadKey,
    ) -> impl Future<Output = Result<ThreadDeletion>> + Send;
}

/// Checks what every [`BulkCheckpoints::write_batch`] implementation
/// requires of its input: records of `thread` only, each id once.
pub fn check_batch(thread: &ThreadKey, records: &[StoredCheckpoint]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(records.len());
    for record in records {
        let cp = &record.checkpoint;
        if cp.thread_key() != *thread {
            return Err(Error::invalid(
                "batch",
                format!(
                    "checkpoint {} belongs to {}, not to {thread}",
                    cp.id,
                    cp.thread_key()
                ),
            ));
        }
        if !seen.insert(cp.id) {
            return Err(Error::invalid(
                "batch",
                format!("checkpoint {} appears twice", cp.id),
            ));
        }
    }
    Ok(())
}

/// True when two records hold the same content whatever their envelope
/// versions: what [`WriteMode::SkipIdentical`] leaves alone.
pub fn same_content(a: &StoredCheckpoint, b: &StoredCheckpoint) -> bool {
    a.checkpoint == b.checkpoint
}
