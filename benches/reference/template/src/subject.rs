//! What each side (threadctl, the reference) offers the harness: writing
//! the data the reads need, and one call of an operation.

use async_trait::async_trait;

use crate::op::Op;

/// One library under measurement, opened on its own store.
#[async_trait]
pub trait Subject: Send + Sync {
    /// Writes, through the library's own public API, the data the reads
    /// and the fork need (a thread of 1,000 checkpoints, a fork parent, a
    /// store item, a log of 1,000 events), and the first event of every
    /// log that `clients` clients append to ([`crate::fixture::seeded_logs`]).
    async fn prepare(&mut self, clients: usize) -> anyhow::Result<()>;

    /// One call of `op` by `client`, its `call`-th; returns how many
    /// documents it read, so the two sides can be checked to do the same
    /// work.
    async fn call(&self, op: Op, client: usize, call: usize) -> anyhow::Result<usize>;
}
