//! What the writers were told succeeded (their acknowledgements), what
//! they were refused in ways a concurrent store may refuse, and anything
//! else that went wrong, kept in memory for the checks afterwards.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

/// One acknowledged append: the batch and the last ordinal it was given.
#[derive(Debug, Clone)]
pub struct AppendAck {
    /// Index of the thread appended to.
    pub thread: usize,
    /// Ordinal of the batch's last event.
    pub last: u64,
    /// The events, in order.
    pub events: Vec<Value>,
}

/// Everything recorded during a run.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Acknowledged checkpoints per thread index: (id, state).
    pub checkpoints: HashMap<usize, Vec<(String, Value)>>,
    /// Acknowledged appends.
    pub appends: Vec<AppendAck>,
    /// Highest acknowledged sequence number per (writer, store key).
    pub items: HashMap<(usize, String), u64>,
    /// Completed `lock run`s per lock thread index.
    pub lock_runs: HashMap<usize, u64>,
    /// Critical sections that found the lock's marker already taken.
    pub lock_violations: Vec<String>,
    /// Conditional puts that lost to another writer (nothing written).
    pub raced_puts: u64,
    /// Lock waits that timed out (nothing run).
    pub busy_locks: u64,
    /// Anything else that failed, with its error.
    pub failures: Vec<String>,
    /// Acknowledged forks (also in `checkpoints`).
    pub forks: u64,
    /// Acknowledged store writes.
    pub store_writes: u64,
}

impl Ledger {
    /// Records an acknowledged checkpoint.
    pub fn checkpoint(&mut self, thread: usize, id: String, state: Value) {
        self.checkpoints
            .entry(thread)
            .or_default()
            .push((id, state));
    }

    /// Records an acknowledged store write of `seq` by `writer` under `key`.
    pub fn item(&mut self, writer: usize, key: String, seq: u64) {
        self.store_writes += 1;
        let best = self.items.entry((writer, key)).or_default();
        *best = (*best).max(seq);
    }

    /// A known checkpoint of `thread` to fork from, picked by `pick`.
    pub fn parent_of(&self, thread: usize, pick: usize) -> Option<String> {
        let known = self.checkpoints.get(&thread)?;
        known.get(pick % known.len()).map(|(id, _)| id.clone())
    }

    /// Acknowledged checkpoints in all (roots included).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.values().map(Vec::len).sum()
    }
}

/// The ledger the writers share.
pub type SharedLedger = Mutex<Ledger>;
