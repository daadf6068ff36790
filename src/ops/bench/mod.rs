//! `bench`: each operation of the data model run through the library and,
//! beside it in the same run, its raw floor ([`BenchFloor`]: the least the
//! backend must do for the same work), measured the same way, so that
//! their ratio is threadctl's own overhead. Like redis-benchmark or
//! pgbench, but for checkpoints, the store, session logs and locks.
//!
//! Everything is written under a tenant of the bench's own (and a second
//! one for the thread listing), under thread and key names fixed by the
//! options, so [`clean_up`] can remove it all even after an interrupted
//! run.

mod stats;

use std::time::{Duration, Instant};

use futures_util::future::try_join_all;
use serde_json::{json, Map, Value};

pub use stats::Figures;

use crate::backend::{
    BenchFloor, BulkCheckpoints, BulkDeletes, CheckpointBackend, DistributedLock, FloorOp,
    SessionLogBackend, StoreBackend, ThreadListing, WriteMode,
};
use crate::error::{Error, Result};
use crate::model::{Checkpoint, CheckpointId, Namespace, StoredCheckpoint, TenantId, ThreadKey};

/// Checkpoints of the thread that latest, show and history read.
const HISTORY_THREAD_SIZE: usize = 1_000;
/// Checkpoints one history call reads.
const HISTORY_PAGE: usize = 100;
/// Events one append writes.
const APPEND_BATCH: usize = 10;
/// Events of the log that one load reads.
const LOAD_SIZE: usize = 1_000;
/// Events per append while preparing the log that load reads.
const PREPARE_EVENTS: usize = 100;
/// TTL of the benchmarked locks (they are released at once).
const LOCK_TTL: Duration = Duration::from_secs(30);
/// Unmeasured calls per client before each measured run.
const WARM_UP: usize = 5;
/// Listing calls per `ops` (each reads every thread of the listing).
const OPS_PER_LISTING: usize = 1_000;
/// Rounds each side's calls are split into, run in the order library,
/// floor, floor, library, … so that a change in the machine's load during
/// the run weighs on both sides alike.
const ROUNDS: usize = 4;

/// Everything a backend offers that the bench uses.
pub trait BenchStore:
    CheckpointBackend
    + StoreBackend
    + SessionLogBackend
    + DistributedLock
    + ThreadListing
    + BulkCheckpoints
    + BulkDeletes
    + BenchFloor
{
}

impl<T> BenchStore for T where
    T: CheckpointBackend
        + StoreBackend
        + SessionLogBackend
        + DistributedLock
        + ThreadListing
        + BulkCheckpoints
        + BulkDeletes
        + BenchFloor
{
}

/// One benchmarked operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BenchOp {
    /// Write a new checkpoint.
    Put,
    /// Read a thread's latest checkpoint.
    Latest,
    /// Read one checkpoint by id.
    Show,
    /// Read the newest 100 checkpoints of a thread of 1,000.
    History,
    /// Branch from a checkpoint.
    Fork,
    /// Write a store item.
    StorePut,
    /// Read a store item.
    StoreGet,
    /// Append 10 events.
    Append,
    /// Load a log of 1,000 events.
    Load,
    /// Take and release a session lock.
    Lock,
    /// List a tenant's threads.
    Threads,
}

impl BenchOp {
    /// Every operation, in the order a run measures them.
    pub const ALL: [BenchOp; 11] = [
        BenchOp::Put,
        BenchOp::Latest,
        BenchOp::Show,
        BenchOp::History,
        BenchOp::Fork,
        BenchOp::StorePut,
        BenchOp::StoreGet,
        BenchOp::Append,
        BenchOp::Load,
        BenchOp::Lock,
        BenchOp::Threads,
    ];

    /// The name `--only` takes and reports show.
    pub fn name(self) -> &'static str {
        match self {
            BenchOp::Put => "put",
            BenchOp::Latest => "latest",
            BenchOp::Show => "show",
            BenchOp::History => "history",
            BenchOp::Fork => "fork",
            BenchOp::StorePut => "store-put",
            BenchOp::StoreGet => "store-get",
            BenchOp::Append => "append",
            BenchOp::Load => "load",
            BenchOp::Lock => "lock",
            BenchOp::Threads => "threads",
        }
    }

    /// The operation named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// What one call does, for reports.
    pub fn describe(self, options: &BenchOptions) -> String {
        match self {
            BenchOp::Put => "write a new checkpoint".into(),
            BenchOp::Latest => "read the latest checkpoint".into(),
            BenchOp::Show => "read a checkpoint by id".into(),
            BenchOp::History => {
                format!("read {HISTORY_PAGE} of a thread's {HISTORY_THREAD_SIZE} checkpoints")
            }
            BenchOp::Fork => "branch from a checkpoint".into(),
            BenchOp::StorePut => "write a store item".into(),
            BenchOp::StoreGet => "read a store item".into(),
            BenchOp::Append => format!("append {APPEND_BATCH} events"),
            BenchOp::Load => format!("load {LOAD_SIZE} events"),
            BenchOp::Lock => "take and release a session lock".into(),
            BenchOp::Threads => format!("list {} threads", options.threads),
        }
    }
}

/// What `bench` is asked to do.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The bench's own tenant; the listing uses `{tenant}-threads` too.
    pub tenant: TenantId,
    /// Measured calls per operation and side, over all clients (listings:
    /// one per 1,000, at least one).
    pub ops: usize,
    /// Concurrent clients.
    pub clients: usize,
    /// Size of each checkpoint's state and store value, in bytes of text.
    pub state_bytes: usize,
    /// Threads of the listing `threads` reads.
    pub threads: usize,
    /// The operations to measure (all when empty).
    pub only: Vec<BenchOp>,
}

impl BenchOptions {
    /// The operations this run measures, in order.
    pub fn selected(&self) -> Vec<BenchOp> {
        BenchOp::ALL
            .into_iter()
            .filter(|op| self.only.is_empty() || self.only.contains(op))
            .collect()
    }

    fn listing_tenant(&self) -> Result<TenantId> {
        TenantId::new(format!("{}-threads", self.tenant))
    }

    fn thread(&self, name: impl Into<String>) -> Result<ThreadKey> {
        ThreadKey::new(self.tenant.as_str(), name)
    }

    /// One thread per client for `side` of `op` (writers must not queue
    /// behind each other's thread lock).
    fn client_threads(&self, op: &str, side: Side) -> Result<Vec<ThreadKey>> {
        (0..self.clients)
            .map(|c| self.thread(format!("{op}-{}-{c}", side.name())))
            .collect()
    }

    fn listing_threads(&self) -> Result<Vec<ThreadKey>> {
        let tenant = self.listing_tenant()?;
        (0..self.threads)
            .map(|i| ThreadKey::new(tenant.as_str(), format!("t{i:06}")))
            .collect()
    }

    fn namespace(&self) -> Namespace {
        Namespace::new(self.tenant.clone(), ["bench"])
    }

    fn state(&self) -> Value {
        json!({ "data": "x".repeat(self.state_bytes) })
    }

    fn check(&self) -> Result<()> {
        if self.ops == 0 || self.clients == 0 || self.threads == 0 {
            return Err(Error::invalid(
                "bench options",
                "--ops, --clients and --threads must each be at least 1",
            ));
        }
        Ok(())
    }
}

/// Which way an operation is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Through threadctl's library.
    Library,
    /// As its raw floor.
    Floor,
}

impl Side {
    /// `lib` or `floor` (in thread names and reports).
    pub fn name(self) -> &'static str {
        match self {
            Side::Library => "lib",
            Side::Floor => "floor",
        }
    }
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchProgress {
    /// Writing the data an operation reads.
    Preparing(BenchOp),
    /// Measuring one side of an operation.
    Measuring(BenchOp, Side),
}

/// One operation's figures, library and floor.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRow {
    /// The operation.
    pub op: BenchOp,
    /// Through the library.
    pub library: Figures,
    /// Its raw floor.
    pub floor: Figures,
}

impl BenchRow {
    /// Library throughput over floor throughput: 1 is the floor's speed,
    /// 0.67 is 1.5× its time.
    pub fn ratio(&self) -> f64 {
        if self.floor.ops_per_sec > 0.0 {
            self.library.ops_per_sec / self.floor.ops_per_sec
        } else {
            0.0
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// One row per measured operation, in order.
    pub rows: Vec<BenchRow>,
}

/// Measures every selected operation, library and floor in alternating
/// rounds, reporting progress as it goes. Leaves its data behind: call
/// [`clean_up`] after it, whether it succeeded, failed or was cancelled.
pub async fn run<B: BenchStore>(
    backend: &B,
    options: &BenchOptions,
    mut progress: impl FnMut(BenchProgress),
) -> Result<BenchReport> {
    options.check()?;
    let mut rows = Vec::new();
    for op in options.selected() {
        progress(BenchProgress::Preparing(op));
        let bench = Prepared::new(backend, options, op).await?;
        let [library, floor] = bench.measure(&mut progress).await?;
        if library.1 != floor.1 {
            return Err(Error::invalid(
                "bench",
                format!(
                    "{}: the raw floor read {} documents per call where threadctl read {}, so \
                     they did not do the same work (on Postgres, the floor needs a role that \
                     row-level security does not restrict)",
                    op.name(),
                    floor.1,
                    library.1
                ),
            ));
        }
        rows.push(BenchRow {
            op,
            library: library.0,
            floor: floor.0,
        });
    }
    Ok(BenchReport { rows })
}

/// What a clean-up removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CleanupReport {
    /// Threads deleted (checkpoints, events and watermark).
    pub threads: u64,
    /// Store items deleted.
    pub items: u64,
}

/// Deletes everything a run with `options` may have written: its threads
/// (checkpoints, session logs) and store items. Safe to call after a run
/// that was interrupted at any point, or twice.
pub async fn clean_up<B: BenchStore>(backend: &B, options: &BenchOptions) -> Result<CleanupReport> {
    let mut report = CleanupReport::default();
    let mut threads = options.listing_threads()?;
    for listed in backend.list_threads(Some(&options.tenant)).await? {
        threads.push(listed.thread);
    }
    for op in ["append", "lock"] {
        for side in [Side::Library, Side::Floor] {
            threads.extend(options.client_threads(op, side)?);
        }
    }
    threads.push(options.thread("load")?);
    for thread in &threads {
        let deleted = backend.delete_thread(thread).await?;
        if deleted.checkpoints > 0 || deleted.events > 0 {
            report.threads += 1;
        }
    }
    let namespace = options.namespace();
    for key in backend.store_list_keys(&namespace, "").await? {
        if backend.store_delete(&namespace, &key).await? {
            report.items += 1;
        }
    }
    Ok(report)
}

/// One operation with the data it reads in place.
struct Prepared<'a, B> {
    backend: &'a B,
    options: &'a BenchOptions,
    op: BenchOp,
    state: Value,
    /// The thread read (latest, show, history) or forked from, or loaded.
    target: ThreadKey,
    /// Checkpoints of `target` (show reads them in turn; fork's parent).
    ids: Vec<CheckpointId>,
    /// Per-client threads, or store keys, of each side.
    library_threads: Vec<ThreadKey>,
    floor_threads: Vec<ThreadKey>,
    events: Vec<Value>,
}

impl<'a, B: BenchStore> Prepared<'a, B> {
    async fn new(backend: &'a B, options: &'a BenchOptions, op: BenchOp) -> Result<Self> {
        let mut bench = Self {
            backend,
            options,
            op,
            state: options.state(),
            target: options.thread(op.name())?,
            ids: Vec::new(),
            library_threads: options.client_threads(op.name(), Side::Library)?,
            floor_threads: options.client_threads(op.name(), Side::Floor)?,
            events: (0..APPEND_BATCH)
                .map(|n| json!({"kind": "message", "n": n, "text": "an event of the bench"}))
                .collect(),
        };
        match op {
            BenchOp::Latest | BenchOp::Show | BenchOp::History => {
                bench.target = options.thread("history")?;
                bench.ids = bench.write_thread(HISTORY_THREAD_SIZE).await?;
            }
            BenchOp::Fork => bench.ids = bench.write_thread(1).await?,
            BenchOp::StoreGet => {
                backend
                    .store_put(&options.namespace(), "get", &bench.state, None)
                    .await?;
            }
            BenchOp::Load => {
                if backend.log_bounds(&bench.target).await?.last == 0 {
                    let events: Vec<Value> = (0..PREPARE_EVENTS)
                        .map(
                            |n| json!({"kind": "message", "n": n, "text": "an event of the bench"}),
                        )
                        .collect();
                    for _ in 0..LOAD_SIZE / PREPARE_EVENTS {
                        backend.append_events(&bench.target, &events).await?;
                    }
                }
            }
            BenchOp::Threads => bench.write_listing().await?,
            BenchOp::Put | BenchOp::StorePut | BenchOp::Append | BenchOp::Lock => {}
        }
        Ok(bench)
    }

    /// Writes `n` checkpoints into `target` in one batch (unless a
    /// previous operation did); returns their ids.
    async fn write_thread(&self, n: usize) -> Result<Vec<CheckpointId>> {
        let existing = self
            .backend
            .checkpoint_history(&self.target, None, None)
            .await?;
        if existing.len() >= n {
            return Ok(existing.iter().map(|s| s.checkpoint.id).collect());
        }
        let records: Vec<StoredCheckpoint> = (0..n)
            .map(|step| self.record(&self.target, step as u64))
            .collect();
        self.backend
            .write_batch(&self.target, &records, WriteMode::OnlyNew)
            .await?;
        Ok(records.iter().map(|r| r.checkpoint.id).collect())
    }

    /// One checkpoint in each of the listing's threads, `clients` threads
    /// at a time.
    async fn write_listing(&self) -> Result<()> {
        let threads = self.options.listing_threads()?;
        for chunk in threads.chunks(self.options.clients) {
            try_join_all(chunk.iter().map(|thread| async move {
                let record = self.record(thread, 0);
                self.backend
                    .write_batch(thread, std::slice::from_ref(&record), WriteMode::Replace)
                    .await
            }))
            .await?;
        }
        Ok(())
    }

    fn record(&self, thread: &ThreadKey, step: u64) -> StoredCheckpoint {
        StoredCheckpoint {
            checkpoint: self.checkpoint(thread, step),
            schema_version: self.backend.write_version(),
        }
    }

    fn checkpoint(&self, thread: &ThreadKey, step: u64) -> Checkpoint<Value> {
        Checkpoint::new(thread, None, step, self.state.clone(), Some("agent".into()))
    }

    /// Measures both sides, library and floor: each `ops` calls over
    /// `clients` concurrent clients, after a few unmeasured ones per client
    /// (connections opened, statements prepared, scripts cached), in
    /// [`ROUNDS`] alternating rounds. Returns each side's figures and how
    /// many documents a call read.
    async fn measure(
        &self,
        progress: &mut impl FnMut(BenchProgress),
    ) -> Result<[(Figures, usize); 2]> {
        let (ops, warm_up) = match self.op {
            BenchOp::Threads => ((self.options.ops / OPS_PER_LISTING).max(1), 1),
            _ => (self.options.ops, WARM_UP),
        };
        let rounds = ROUNDS.min(ops);
        let per_round = ops.div_ceil(rounds);
        let mut sides =
            [Side::Library, Side::Floor].map(|side| (side, Vec::new(), Duration::ZERO, 0));
        let clients = self.options.clients.min(ops);
        for (side, ..) in &sides {
            self.run_calls(*side, 0, warm_up * clients, clients).await?;
        }
        for round in 0..rounds {
            let count = ops / rounds + usize::from(round < ops % rounds);
            let first = warm_up + round * per_round;
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for index in order {
                let (side, latencies, wall, read) = &mut sides[index];
                progress(BenchProgress::Measuring(self.op, *side));
                let started = Instant::now();
                let (measured, last_read) = self
                    .run_calls(*side, first, count, clients.min(count))
                    .await?;
                *wall += started.elapsed();
                latencies.extend(measured);
                *read = last_read;
            }
        }
        Ok(sides.map(|(_, latencies, wall, read)| (Figures::of(latencies, wall), read)))
    }

    /// Runs `total` calls of `side` spread over `clients` concurrent
    /// clients, each numbering its own calls from `start` (a call's number
    /// picks its step, ordinals or checkpoint, so no client repeats one);
    /// returns each call's latency and how many documents a call read.
    async fn run_calls(
        &self,
        side: Side,
        start: usize,
        total: usize,
        clients: usize,
    ) -> Result<(Vec<Duration>, usize)> {
        let results = try_join_all((0..clients).map(|client| {
            let count = total / clients + usize::from(client < total % clients);
            async move {
                let mut latencies = Vec::with_capacity(count);
                let mut read = 0;
                for call in start..start + count {
                    let began = Instant::now();
                    read = self.call(side, client, call).await?;
                    latencies.push(began.elapsed());
                }
                Ok::<_, Error>((latencies, read))
            }
        }))
        .await?;
        let read = results.first().map_or(0, |r| r.1);
        Ok((results.into_iter().flat_map(|r| r.0).collect(), read))
    }

    /// One call of `client`'s `call`-th operation on `side`; how many
    /// documents it read.
    async fn call(&self, side: Side, client: usize, call: usize) -> Result<usize> {
        let b = self.backend;
        let threads = match side {
            Side::Library => &self.library_threads,
            Side::Floor => &self.floor_threads,
        };
        let own = &threads[client];
        let library = side == Side::Library;
        match self.op {
            BenchOp::Put => {
                let cp = self.checkpoint(own, call as u64);
                if library {
                    b.put_checkpoint(&cp, None).await?;
                    Ok(0)
                } else {
                    b.floor(FloorOp::Put(&cp)).await
                }
            }
            BenchOp::Latest if library => Ok(usize::from(
                b.latest_checkpoint(&self.target).await?.is_some(),
            )),
            BenchOp::Latest => b.floor(FloorOp::Latest(&self.target)).await,
            BenchOp::Show => {
                let id = self.ids[(client * 7919 + call) % self.ids.len()];
                if library {
                    Ok(usize::from(
                        b.get_checkpoint(&self.target, id).await?.is_some(),
                    ))
                } else {
                    b.floor(FloorOp::Show(&self.target, id)).await
                }
            }
            BenchOp::History if library => Ok(b
                .checkpoint_history(&self.target, Some(HISTORY_PAGE), None)
                .await?
                .len()),
            BenchOp::History => b.floor(FloorOp::History(&self.target, HISTORY_PAGE)).await,
            BenchOp::Fork => {
                let parent = self.ids[0];
                if library {
                    b.fork_checkpoint(&self.target, parent, self.state.clone(), Map::new())
                        .await?;
                    Ok(1)
                } else {
                    let child = CheckpointId::new_v7();
                    b.floor(FloorOp::Fork(&self.target, parent, child, &self.state))
                        .await
                }
            }
            BenchOp::StorePut => {
                let ns = self.options.namespace();
                let key = own.thread.as_str();
                if library {
                    b.store_put(&ns, key, &self.state, None).await?;
                    Ok(0)
                } else {
                    b.floor(FloorOp::StorePut(&ns, key, &self.state)).await
                }
            }
            BenchOp::StoreGet => {
                let ns = self.options.namespace();
                if library {
                    Ok(usize::from(b.store_get(&ns, "get").await?.is_some()))
                } else {
                    b.floor(FloorOp::StoreGet(&ns, "get")).await
                }
            }
            BenchOp::Append if library => {
                b.append_events(own, &self.events).await?;
                Ok(0)
            }
            BenchOp::Append => {
                let first = (call * APPEND_BATCH) as u64 + 1;
                b.floor(FloorOp::Append(own, first, &self.events)).await
            }
            BenchOp::Load if library => Ok(b.load_events(&self.target, 0, None).await?.len()),
            BenchOp::Load => b.floor(FloorOp::Load(&self.target)).await,
            BenchOp::Lock if library => {
                let guard = b
                    .try_acquire(own, LOCK_TTL)
                    .await?
                    .ok_or_else(|| Error::LockBusy {
                        key: format!("the bench's own session lock of {own}"),
                        waited: None,
                    })?;
                guard.release().await?;
                Ok(1)
            }
            BenchOp::Lock => b.floor(FloorOp::Lock(own)).await,
            BenchOp::Threads => {
                let tenant = self.options.listing_tenant()?;
                if library {
                    Ok(b.list_threads(Some(&tenant)).await?.len())
                } else {
                    b.floor(FloorOp::Threads(&tenant)).await
                }
            }
        }
    }
}
