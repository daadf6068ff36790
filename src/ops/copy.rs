//! `copy`: moving whole threads — checkpoints, session logs with their
//! ordinals and watermark — and the selected tenants' store items from
//! one store to another, whatever their kinds, through the transfer layer
//! ([`crate::ops::transfer`]).
//!
//! Session logs of threads without checkpoints are copied as well, and
//! Redis records whose keys read in more than one way go where
//! [`crate::ops::transfer::Ambiguity`]'s rules say (or are reported).
//!
//! Resumable at thread granularity: every write skips what the target
//! already holds identical, so running the same copy again after any
//! interruption finishes it without duplicates. Optionally each thread is
//! copied under its session lock on the source, compared afterwards, and
//! deleted from the source once it compared identical (`--move`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::backend::{LogReading, StoreBackend};
use crate::error::{Error, Result};
use crate::model::ThreadKey;
use crate::ops::threads_walk::ThreadWalk;
use crate::ops::transfer::compare::{compare_items, compare_log, compare_thread, Comparison};
use crate::ops::transfer::{
    AmbiguityPolicy, ItemReader, LogWalk, Read, TargetWriter, ThreadReader, TransferSelection,
    TransferStore, TransferTally, WriteOptions,
};

/// Everything a store offers that `copy` uses, as source or target.
pub trait CopyStore: TransferStore + StoreBackend {}

impl<T> CopyStore for T where T: TransferStore + StoreBackend {}

/// What `copy` is asked to do.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// What to copy.
    pub selection: TransferSelection,
    /// How to write (conflict policy, lossy downgrade, dry run, batch size).
    pub write: WriteOptions,
    /// Compare source and target over the selection afterwards.
    pub verify: bool,
    /// Delete each thread from the source once it compared identical.
    pub move_verified: bool,
    /// Hold each thread's session lock on the source while copying it,
    /// with this TTL (extended as the copy goes).
    pub lock: Option<Duration>,
    /// How long to wait for a thread's session lock before skipping it.
    pub lock_wait: Duration,
    /// Threads copied at once.
    pub jobs: usize,
    /// At most this many records read per second, over every job.
    pub rate: Option<u32>,
    /// Records read per round trip.
    pub page_size: usize,
    /// What to do with records whose Redis key reads in more than one way.
    pub ambiguous: AmbiguityPolicy,
}

impl Default for CopyOptions {
    fn default() -> Self {
        Self {
            selection: TransferSelection::default(),
            write: WriteOptions::default(),
            verify: false,
            move_verified: false,
            lock: None,
            lock_wait: Duration::from_secs(5),
            jobs: 4,
            rate: None,
            page_size: 500,
            ambiguous: AmbiguityPolicy::Prefer,
        }
    }
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyProgress {
    /// Threads finished.
    pub threads: u64,
    /// Records read.
    pub records: u64,
    /// Payload bytes read.
    pub bytes: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct CopyReport {
    /// Record by record: read, written, already there, left out.
    pub tally: TransferTally,
    /// The comparison afterwards (`verify`, `move_verified`).
    pub comparison: Option<Comparison>,
    /// Threads deleted from the source (`move_verified`).
    pub moved: u64,
    /// Threads skipped because their session lock was held.
    pub busy: Vec<ThreadKey>,
    /// True for a dry run: nothing was written.
    pub dry_run: bool,
}

/// Caps how many records per second all jobs read together.
struct RateLimit {
    per_record: Duration,
    next: Mutex<Instant>,
}

impl RateLimit {
    fn new(rate: u32) -> Self {
        Self {
            per_record: Duration::from_secs(1) / rate.max(1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits until `records` more may be read.
    async fn take(&self, records: usize) {
        let at = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let at = (*next).max(Instant::now());
            *next = at + self.per_record * records as u32;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}

/// What copying one thread did.
struct ThreadCopy {
    thread: ThreadKey,
    tally: TransferTally,
    comparison: Option<Comparison>,
    moved: bool,
    busy: bool,
}

/// Copies the selection from `source` to `target`: first the session
/// logs no thread with checkpoints owns alone ([`LogWalk`]), then every
/// selected thread, then the selected tenants' store items.
pub async fn run<S: CopyStore, T: CopyStore>(
    source: &S,
    target: &T,
    options: &CopyOptions,
    mut progress: impl FnMut(&CopyProgress),
) -> Result<CopyReport> {
    let limit = options.rate.map(RateLimit::new);
    let mut report = CopyReport {
        dry_run: options.write.dry_run,
        comparison: (options.verify || options.move_verified).then(Comparison::default),
        ..CopyReport::default()
    };
    let mut state = CopyProgress::default();
    let mut logs = LogWalk::new(source, &options.selection, options.ambiguous);
    while let Some(readings) = logs.next_page().await? {
        for reading in readings {
            let (tally, comparison, moved) =
                copy_log(source, target, &reading, options, limit.as_ref()).await?;
            report.moved += u64::from(moved);
            state.records += tally.records;
            state.bytes += tally.bytes;
            report.tally.absorb(tally);
            if let (Some(total), Some(one)) = (&mut report.comparison, comparison) {
                total.absorb(one);
            }
            progress(&state);
        }
    }
    report.tally.absorb(std::mem::take(&mut logs.tally));
    let mut walk = ThreadWalk::new(source, &options.selection.threads);
    while let Some(fresh) = walk.next_page().await? {
        let mut work = futures_util::stream::iter(
            fresh
                .iter()
                .map(|thread| copy_thread(source, target, thread, options, limit.as_ref())),
        )
        .buffer_unordered(options.jobs.max(1));
        while let Some(done) = work.next().await {
            let Some(done) = done? else { continue };
            if done.busy {
                report.busy.push(done.thread);
                continue;
            }
            state.threads += 1;
            state.records += done.tally.records;
            state.bytes += done.tally.bytes;
            report.tally.absorb(done.tally);
            if let (Some(total), Some(one)) = (&mut report.comparison, done.comparison) {
                total.absorb(one);
            }
            report.moved += u64::from(done.moved);
            progress(&state);
        }
    }
    if options.selection.store {
        for tenant in options.selection.tenants(source).await? {
            let prefix = options.selection.namespace_of(&tenant);
            let mut reader =
                ItemReader::new(source, prefix.clone(), options.page_size, options.ambiguous);
            let mut writer = TargetWriter::new(target, options.write.clone());
            while let Some(batch) = reader.next_batch().await? {
                paced(limit.as_ref(), &batch).await;
                state.records += batch.len() as u64;
                writer.write(batch).await?;
                progress(&state);
            }
            let mut tally = writer.finish().await?;
            state.bytes += tally.bytes;
            tally.absorb(std::mem::take(&mut reader.tally));
            report.tally.absorb(tally);
            if let Some(total) = &mut report.comparison {
                if !options.write.dry_run {
                    total.absorb(compare_items(source, target, &prefix, options.page_size).await?);
                }
            }
        }
    }
    Ok(report)
}

/// Copies one session log on its own (a thread without checkpoints, or
/// one reading of an ambiguous Redis log), and compares it when asked and
/// no thread copy will (its thread has no checkpoints). With
/// `move_verified`, a log found identical is deleted from the source; the
/// returned flag says so.
async fn copy_log<S: CopyStore, T: CopyStore>(
    source: &S,
    target: &T,
    reading: &LogReading,
    options: &CopyOptions,
    limit: Option<&RateLimit>,
) -> Result<(TransferTally, Option<Comparison>, bool)> {
    let thread = &reading.thread;
    let mut reader = ThreadReader::log_only(source, thread.clone(), options.page_size);
    let mut writer = TargetWriter::new(target, options.write.clone());
    while let Some(batch) = reader.next_batch().await? {
        paced(limit, &batch).await;
        writer.write(batch).await?;
    }
    let tally = writer.finish().await?;
    let check = (options.verify || options.move_verified) && !options.write.dry_run;
    let comparison = if check && !reading.has_checkpoints {
        let mut one = Comparison::default();
        compare_log(source, target, thread, options.page_size, &mut one).await?;
        Some(one)
    } else {
        None
    };
    // A log whose key another pair's log may share stays in the source:
    // deleting it would delete that one too.
    let verified = comparison.as_ref().is_some_and(Comparison::is_identical);
    let moved = options.move_verified && verified && source.shared_log_key(thread).is_none();
    if moved {
        source.delete_thread(thread).await?;
    }
    Ok((tally, comparison, moved))
}

async fn paced(limit: Option<&RateLimit>, batch: &[Read]) {
    if let Some(limit) = limit {
        limit.take(batch.len()).await;
    }
}

/// Copies one thread (under its session lock when asked), then compares
/// it and deletes it from the source when asked. `None` when the thread
/// is outside `--since`/`--until`.
async fn copy_thread<S: CopyStore, T: CopyStore>(
    source: &S,
    target: &T,
    thread: &ThreadKey,
    options: &CopyOptions,
    limit: Option<&RateLimit>,
) -> Result<Option<ThreadCopy>> {
    let selection = &options.selection;
    if selection.filters_by_time() {
        let latest = source.latest_checkpoint(thread).await?;
        if !selection.covers_last_write(latest.map(|l| l.checkpoint.timestamp)) {
            return Ok(None);
        }
    }
    let mut guard = match options.lock {
        None => None,
        Some(ttl) => match source.acquire(thread, ttl, options.lock_wait).await {
            Ok(guard) => Some((guard, Instant::now())),
            Err(Error::LockBusy { .. }) => {
                return Ok(Some(ThreadCopy {
                    thread: thread.clone(),
                    tally: TransferTally::default(),
                    comparison: None,
                    moved: false,
                    busy: true,
                }));
            }
            Err(e) => return Err(e),
        },
    };
    let outcome = async {
        let mut reader =
            ThreadReader::new(source, thread.clone(), options.page_size, selection.events);
        let mut writer = TargetWriter::new(target, options.write.clone());
        while let Some(batch) = reader.next_batch().await? {
            paced(limit, &batch).await;
            writer.write(batch).await?;
            if let (Some((held, since)), Some(ttl)) = (&mut guard, options.lock) {
                if since.elapsed() > ttl / 3 {
                    held.extend(ttl).await?;
                    *since = Instant::now();
                }
            }
        }
        let mut tally = writer.finish().await?;
        tally.absorb(std::mem::take(&mut reader.tally));
        tally.threads = 1;
        let check = options.verify || options.move_verified;
        let comparison = if check && !options.write.dry_run {
            Some(compare_thread(source, target, thread, options.page_size, selection.events).await?)
        } else {
            None
        };
        let verified = comparison.as_ref().is_some_and(Comparison::is_identical);
        let moved = options.move_verified && verified && !options.write.dry_run;
        if moved {
            source.delete_thread(thread).await?;
        }
        Ok::<_, Error>(ThreadCopy {
            thread: thread.clone(),
            tally,
            comparison,
            moved,
            busy: false,
        })
    }
    .await;
    if let Some((held, _)) = guard {
        let released = held.release().await;
        if outcome.is_ok() {
            released?;
        }
    }
    outcome.map(Some)
}
