//! Writing batches of [`Record`]s to a target: at the target's write
//! version, in atomic batches per thread (checkpoints, events) or per
//! tenant (store items), under a [`ConflictPolicy`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::backend::{
    BulkCheckpoints, BulkDeletes, BulkEvents, BulkStore, CheckpointBackend, ConflictKind,
    DistributedLock, RecordOutcome, SessionEvent, StoreItem, ThreadListing, WriteMode,
};
use crate::error::{Error, Result};
use crate::model::{EnvelopeVersion, StoredCheckpoint, ThreadKey};

use super::{describe_checkpoint, describe_item, ProblemKind, Read, Record, TransferTally};

/// Everything a store offers that transfers use, as source or target.
pub trait TransferStore:
    ThreadListing
    + BulkCheckpoints
    + BulkEvents
    + BulkStore
    + BulkDeletes
    + CheckpointBackend
    + DistributedLock
{
}

impl<T> TransferStore for T where
    T: ThreadListing
        + BulkCheckpoints
        + BulkEvents
        + BulkStore
        + BulkDeletes
        + CheckpointBackend
        + DistributedLock
{
}

/// What to do with a record the target holds differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictPolicy {
    /// Leave it, report it, carry on (the transfer ends incomplete).
    #[default]
    Skip,
    /// Replace it with the source's.
    Overwrite,
    /// Stop the transfer at the first one.
    Fail,
}

impl ConflictPolicy {
    fn mode(self) -> WriteMode {
        match self {
            ConflictPolicy::Overwrite => WriteMode::Replace,
            ConflictPolicy::Skip | ConflictPolicy::Fail => WriteMode::SkipIdentical,
        }
    }
}

/// The target keys that records of this transfer took, where distinct ids
/// share keys (Redis, ids containing `:`): each key with the source record
/// that took it, so a second one bound there is refused, across batches
/// and threads alike. Clones share one set; only keys of records whose ids
/// contain `:` are held ([`crate::backend::SharedKey`]), so it grows with
/// those, not with the transfer. An item without `:` is checked against
/// them: sources list a namespace before the ones below it, so of two
/// items bound for one key the one with `:` (in the shallower namespace)
/// comes first; should the other come first, the write still finds the
/// key taken and reports a difference rather than overwriting it, unless
/// `--on-conflict overwrite`.
#[derive(Debug, Clone, Default)]
pub struct KeyClaims(Arc<Mutex<HashMap<String, String>>>);

impl KeyClaims {
    /// Claims `key` for `owner` (only checks it, unless `remember`):
    /// `None` when it was free or already `owner`'s, else the owner that
    /// took it first.
    fn claim(&self, key: String, owner: &str, remember: bool) -> Option<String> {
        let mut taken = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match taken.get(&key) {
            Some(first) if first != owner => Some(first.clone()),
            Some(_) => None,
            None => {
                if remember {
                    taken.insert(key, owner.to_string());
                }
                None
            }
        }
    }
}

/// How a [`TargetWriter`] writes.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// What to do with records the target holds differently.
    pub on_conflict: ConflictPolicy,
    /// Write what the target cannot hold exactly: version-2 records with
    /// metadata into a version-1 target (dropping the metadata), nanosecond
    /// timestamps into Postgres (truncated to the microsecond).
    pub allow_lossy: bool,
    /// Count what would be written; write nothing.
    pub dry_run: bool,
    /// Records per atomic batch.
    pub batch_size: usize,
    /// The target keys taken so far, shared by every writer made from
    /// these options (clones included).
    pub claims: KeyClaims,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            on_conflict: ConflictPolicy::Skip,
            allow_lossy: false,
            dry_run: false,
            batch_size: 500,
            claims: KeyClaims::default(),
        }
    }
}

/// A thread's session-log records waiting to be written.
struct PendingLog {
    thread: ThreadKey,
    watermark: u64,
    events: Vec<SessionEvent>,
    /// True once a batch of it was written (with the watermark).
    flushed: bool,
    /// Why none of it is written: its target key is another source
    /// log's.
    refused: Option<String>,
}

/// Writes records to a target as they come, batching them, and tallies
/// the outcome. Call [`TargetWriter::finish`] at the end: records are only
/// known to be written once it returns.
pub struct TargetWriter<'t, T> {
    target: &'t T,
    options: WriteOptions,
    version: EnvelopeVersion,
    checkpoints: Vec<StoredCheckpoint>,
    log: Option<PendingLog>,
    items: Vec<StoreItem>,
    /// What was written so far.
    pub tally: TransferTally,
}

impl<'t, T: TransferStore> TargetWriter<'t, T> {
    /// A writer to `target`, at its write version.
    pub fn new(target: &'t T, options: WriteOptions) -> Self {
        Self {
            version: target.write_version(),
            target,
            options,
            checkpoints: Vec::new(),
            log: None,
            items: Vec::new(),
            tally: TransferTally::default(),
        }
    }

    /// Takes a batch of records, writing whatever batches fill up.
    pub async fn write(&mut self, batch: Vec<Read>) -> Result<()> {
        for read in batch {
            self.tally.records += 1;
            match read {
                Err(bad) => {
                    self.tally
                        .problem(bad.what, ProblemKind::Unreadable, bad.error.to_string());
                }
                Ok(record) => {
                    self.tally.bytes += record.bytes();
                    self.take(record).await?;
                }
            }
        }
        Ok(())
    }

    /// Writes everything still pending and returns the tally.
    pub async fn finish(mut self) -> Result<TransferTally> {
        self.flush_checkpoints().await?;
        self.flush_log().await?;
        self.flush_items().await?;
        Ok(self.tally)
    }

    async fn take(&mut self, record: Record) -> Result<()> {
        let limit = self.options.batch_size.max(1);
        match record {
            Record::Checkpoint(stored) => {
                let Some(stored) = self.at_target_version(stored) else {
                    return Ok(());
                };
                let same_thread = self.checkpoints.first().is_none_or(|first| {
                    first.checkpoint.thread_key() == stored.checkpoint.thread_key()
                });
                if !same_thread || self.checkpoints.len() >= limit {
                    self.flush_checkpoints().await?;
                }
                self.checkpoints.push(stored);
            }
            Record::Watermark { thread, watermark } => {
                self.flush_log().await?;
                self.start_log(thread, watermark);
            }
            Record::Event { thread, event } => {
                if self
                    .log
                    .as_ref()
                    .is_some_and(|log| log.events.len() >= limit)
                {
                    self.flush_log().await?;
                }
                if self.log.as_ref().is_none_or(|log| log.thread != thread) {
                    self.flush_log().await?;
                    self.start_log(thread, 0);
                }
                if let Some(log) = &mut self.log {
                    log.events.push(event);
                }
            }
            Record::Item(item) => {
                if let Some(shared) = self.target.shared_item_key(&item.namespace, &item.key) {
                    let owner = format!("store item {} / {:?}", item.namespace, item.key);
                    let key = shared.key;
                    let claim = self
                        .options
                        .claims
                        .claim(key.clone(), &owner, shared.remember);
                    if let Some(first) = claim {
                        self.tally
                            .problem(owner, ProblemKind::Refused, landed_on(&key, &first));
                        return Ok(());
                    }
                }
                let same_tenant = self
                    .items
                    .first()
                    .is_none_or(|first| first.namespace.tenant == item.namespace.tenant);
                let duplicate = self
                    .items
                    .iter()
                    .any(|i| i.namespace == item.namespace && i.key == item.key);
                if !same_tenant || duplicate || self.items.len() >= limit {
                    self.flush_items().await?;
                }
                self.items.push(item);
            }
        }
        Ok(())
    }

    /// Begins `thread`'s log, claiming its target key.
    fn start_log(&mut self, thread: ThreadKey, watermark: u64) {
        let refused = self.target.shared_log_key(&thread).and_then(|key| {
            let owner = format!("session log of {thread}");
            let first = self.options.claims.claim(key.clone(), &owner, true)?;
            Some(landed_on(&key, &first))
        });
        self.log = Some(PendingLog {
            thread,
            watermark,
            events: Vec::new(),
            flushed: false,
            refused,
        });
    }

    /// The record as the target stores it, or `None` (and a problem)
    /// when the target cannot hold it as it is: metadata bound for
    /// envelope version 1, a nanosecond timestamp bound for Postgres
    /// (`--allow-lossy` drops the one and truncates the other).
    fn at_target_version(&mut self, mut stored: StoredCheckpoint) -> Option<StoredCheckpoint> {
        if self.version == EnvelopeVersion::V1 && !stored.checkpoint.metadata.is_empty() {
            if !self.options.allow_lossy {
                self.tally.problem(
                    Record::Checkpoint(stored).describe(),
                    ProblemKind::Refused,
                    "it carries metadata, which the target's envelope version 1 cannot hold; \
                     rerun with --allow-lossy to drop it, or migrate the target to version 2 \
                     first (`threadctl migrate run --to 2`)"
                        .into(),
                );
                return None;
            }
            stored.checkpoint.metadata.clear();
        }
        let nanos = stored.checkpoint.timestamp.timestamp_subsec_nanos();
        if nanos % 1_000 != 0 && !self.target.keeps_nanoseconds() {
            if !self.options.allow_lossy {
                self.tally.problem(
                    Record::Checkpoint(stored).describe(),
                    ProblemKind::Refused,
                    "its timestamp has nanoseconds, and the target keeps microseconds; \
                     rerun with --allow-lossy to truncate it to the microsecond"
                        .into(),
                );
                return None;
            }
            stored.checkpoint.timestamp -= chrono::Duration::nanoseconds(i64::from(nanos % 1_000));
        }
        stored.schema_version = self.version;
        Some(stored)
    }

    async fn flush_checkpoints(&mut self) -> Result<()> {
        let records = std::mem::take(&mut self.checkpoints);
        let Some(first) = records.first() else {
            return Ok(());
        };
        let thread = &first.checkpoint.thread_key();
        let name = |i: usize| describe_checkpoint(&records[i]);
        let (target, mode) = (self.target, self.options.on_conflict.mode());
        let outcomes = self
            .per_record(&name, &records, |batch| async move {
                target.write_batch(thread, batch, mode).await
            })
            .await?;
        self.settle(&name, outcomes)
    }

    async fn flush_log(&mut self) -> Result<()> {
        let Some(log) = &mut self.log else {
            return Ok(());
        };
        if log.flushed && log.events.is_empty() {
            return Ok(());
        }
        let with_watermark = !log.flushed && log.watermark > 0;
        log.flushed = true;
        let events = std::mem::take(&mut log.events);
        let (thread, watermark) = (log.thread.clone(), log.watermark);
        let name = |i: usize| format!("event {} of {thread}", events[i].ordinal);
        // Every record of the batch, by name: for refusing all of it.
        let all_names = |watermark_too: bool| {
            let watermark = watermark_too.then(|| format!("archive watermark of {thread}"));
            (0..events.len()).map(name).chain(watermark)
        };
        if let Some(why) = log.refused.clone() {
            for one in all_names(with_watermark) {
                self.tally.problem(one, ProblemKind::Refused, why.clone());
            }
            return Ok(());
        }
        if self.options.dry_run {
            return Ok(());
        }
        // The watermark record is tallied like the others: written when it
        // moves the target's watermark on, already there otherwise.
        let moves_watermark = if with_watermark {
            Some(self.target.log_bounds(&thread).await?.watermark < watermark)
        } else {
            None
        };
        let mode = self.options.on_conflict.mode();
        match self
            .target
            .write_events(&thread, watermark, &events, mode)
            .await
        {
            Ok(outcomes) => {
                match moves_watermark {
                    Some(true) => self.tally.written += 1,
                    Some(false) => self.tally.unchanged += 1,
                    None => {}
                }
                self.settle(&name, outcomes)
            }
            Err(e @ Error::InvalidInput { .. }) => {
                // Ordinals must stay contiguous: one event the target
                // cannot hold keeps the whole batch out.
                for one in all_names(moves_watermark.is_some()) {
                    self.tally.problem(
                        one,
                        ProblemKind::Refused,
                        format!("the target refused this batch of the log: {e}"),
                    );
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    async fn flush_items(&mut self) -> Result<()> {
        let items = std::mem::take(&mut self.items);
        let Some(first) = items.first() else {
            return Ok(());
        };
        let tenant = first.namespace.tenant.clone();
        let name = |i: usize| describe_item(&items[i]);
        let (target, mode) = (self.target, self.options.on_conflict.mode());
        let tenant = &tenant;
        let outcomes = self
            .per_record(&name, &items, |batch| async move {
                target.write_items(tenant, batch, mode).await
            })
            .await?;
        self.settle(&name, outcomes)
    }

    /// Writes `records` in one batch; when the target refuses the batch
    /// for what one record holds (a NUL character bound for Postgres),
    /// writes them one at a time so the others still land, and records a
    /// problem for each refused one (`name` names record `i`, only when it
    /// is reported). `None` outcomes are such refusals, already tallied.
    /// Nothing is written on a dry run.
    async fn per_record<'r, R, F, Fut>(
        &mut self,
        name: &dyn Fn(usize) -> String,
        records: &'r [R],
        write: F,
    ) -> Result<Vec<Option<RecordOutcome>>>
    where
        F: Fn(&'r [R]) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<RecordOutcome>>>,
    {
        if self.options.dry_run {
            return Ok(Vec::new());
        }
        match write(records).await {
            Ok(outcomes) => return Ok(outcomes.into_iter().map(Some).collect()),
            Err(Error::InvalidInput { .. }) if records.len() > 1 => {}
            Err(e @ Error::InvalidInput { .. }) => {
                self.tally
                    .problem(name(0), ProblemKind::Refused, e.to_string());
                return Ok(vec![None]);
            }
            Err(e) => return Err(e),
        }
        let mut outcomes = Vec::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            match write(std::slice::from_ref(record)).await {
                Ok(mut one) => outcomes.push(one.pop()),
                Err(e @ Error::InvalidInput { .. }) => {
                    self.tally
                        .problem(name(i), ProblemKind::Refused, e.to_string());
                    outcomes.push(None);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(outcomes)
    }

    /// Tallies the outcomes of a batch (`name` names record `i`, only when
    /// it is reported); under [`ConflictPolicy::Fail`] the first differing
    /// record stops the transfer.
    fn settle<O: Into<Option<RecordOutcome>>>(
        &mut self,
        name: &dyn Fn(usize) -> String,
        outcomes: Vec<O>,
    ) -> Result<()> {
        for (i, outcome) in outcomes.into_iter().enumerate() {
            match outcome.into() {
                None => {}
                Some(RecordOutcome::Written) => self.tally.written += 1,
                Some(RecordOutcome::Unchanged) => self.tally.unchanged += 1,
                Some(RecordOutcome::Conflict(kind)) => {
                    let (problem, message) = conflict_message(kind);
                    if self.options.on_conflict == ConflictPolicy::Fail
                        && problem == ProblemKind::Differs
                    {
                        return Err(Error::conflict(
                            kind,
                            format!("{}: {message} (--on-conflict fail)", name(i)),
                        ));
                    }
                    self.tally.problem(name(i), problem, message.into());
                }
            }
        }
        Ok(())
    }
}

/// Why a record bound for a key another source record took is refused.
fn landed_on(key: &str, first: &str) -> String {
    format!(
        "it would land on target key {key}, which {first} of this transfer took already \
         (ids containing ':' share Redis keys); not written, so neither overwrites the other"
    )
}

/// How a refused write is reported.
fn conflict_message(kind: ConflictKind) -> (ProblemKind, &'static str) {
    match kind {
        ConflictKind::DuplicateId => (
            ProblemKind::Differs,
            "the target holds a different record there; left as it is \
             (--on-conflict overwrite replaces it)",
        ),
        ConflictKind::OrdinalGap => (
            ProblemKind::Refused,
            "the target's session log ends before this event's ordinal and still holds \
             events, so it cannot continue the source's numbering; archive or delete that \
             log on the target first",
        ),
        ConflictKind::ForeignKeys => (
            ProblemKind::Refused,
            "its Redis key is taken by another record (ids containing ':' share keys); \
             not written",
        ),
        _ => (ProblemKind::Refused, "the target refused it"),
    }
}
