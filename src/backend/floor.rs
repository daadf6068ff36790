//! The raw floor of `threadctl bench`: for each benchmarked operation, the
//! least the backend itself must do for the same work, sent straight
//! through the driver (one INSERT of the same row; one ZREVRANGE plus one
//! HGET; one SET; …) and decoding the returned JSON the same way threadctl
//! does. The bench runs it beside the library call, in the same process
//! and run, so their ratio is threadctl's own overhead.
//!
//! Each backend implements [`BenchFloor`] in its `floor.rs`; the bench
//! itself (`crate::ops::bench`) stays generic over the traits.

use std::future::Future;

use serde_json::Value;

use crate::error::Result;
use crate::model::{Checkpoint, CheckpointId, Namespace, TenantId, ThreadKey};

/// One operation done the raw way.
#[derive(Debug, Clone, Copy)]
pub enum FloorOp<'a> {
    /// Insert this new checkpoint's row (the store's layout, write version).
    Put(&'a Checkpoint<Value>),
    /// Read the thread's latest checkpoint and decode its JSON.
    Latest(&'a ThreadKey),
    /// Read one checkpoint by id and decode its JSON.
    Show(&'a ThreadKey, CheckpointId),
    /// Read the thread's newest `n` checkpoints and decode their JSON.
    History(&'a ThreadKey, usize),
    /// Write a child of `parent` (step + 1, its next node) with this id
    /// and state.
    Fork(&'a ThreadKey, CheckpointId, CheckpointId, &'a Value),
    /// Write (or overwrite) one store item without expiry.
    StorePut(&'a Namespace, &'a str, &'a Value),
    /// Read one store item with its expiry and decode its JSON.
    StoreGet(&'a Namespace, &'a str),
    /// Append these events, the first getting this ordinal (the caller
    /// owns the thread's log, so no bounds are read).
    Append(&'a ThreadKey, u64, &'a [Value]),
    /// Read every event of the thread's log and decode each.
    Load(&'a ThreadKey),
    /// Take the thread's session lock and release it.
    Lock(&'a ThreadKey),
    /// Each of the tenant's threads with its checkpoint count, latest step
    /// and last write.
    Threads(&'a TenantId),
}

/// The raw floor of each benchmarked operation on one backend.
pub trait BenchFloor: Send + Sync {
    /// Does `op` the least way the backend allows; returns how many JSON
    /// documents (records, events, items, threads) it read back, so the
    /// bench can check that it did the same work as the library call.
    fn floor(&self, op: FloorOp<'_>) -> impl Future<Output = Result<usize>> + Send;
}
