//! threadctl's side: its public typed API (`Checkpointer`, `Store`,
//! `SessionLog`, `DistributedLock`) on a `Backend` opened by URL, which
//! sets up threadctl's own schema in a new Postgres schema or Redis db.

use anyhow::Context;
use async_trait::async_trait;
use entelix_session::GraphEvent;
use futures_util::future::try_join_all;
use serde_json::Value;
use threadctl::{
    Backend, Checkpoint, CheckpointId, Checkpointer, DistributedLock, Namespace, SessionLog, Store,
    TenantId, ThreadKey,
};

use crate::fixture::{self, HISTORY_PAGE, LOCK_TTL};
use crate::op::Op;
use crate::subject::Subject;

/// threadctl on its own store.
pub struct Threadctl {
    backend: Backend,
    state: Value,
    events: Vec<GraphEvent>,
    namespace: Namespace,
    history_ids: Vec<CheckpointId>,
    fork_parent: Option<CheckpointId>,
}

impl Threadctl {
    /// Opens `url` (creating threadctl's schema there, as `Backend::open`
    /// does for a new store).
    pub async fn open(url: &str, state_bytes: usize) -> anyhow::Result<Self> {
        let backend = Backend::open(url)
            .await
            .with_context(|| format!("opening threadctl's store {url}"))?;
        Ok(Self {
            backend,
            state: fixture::state(state_bytes),
            events: fixture::events(fixture::APPEND_BATCH),
            namespace: Namespace::new(TenantId::new(fixture::TENANT)?, [fixture::SCOPE]),
            history_ids: Vec::new(),
            fork_parent: None,
        })
    }

    fn thread(name: &str) -> anyhow::Result<ThreadKey> {
        Ok(ThreadKey::new(fixture::TENANT, name)?)
    }

    fn checkpoint(&self, thread: &ThreadKey, step: usize) -> Checkpoint<Value> {
        Checkpoint::new(
            thread,
            None,
            step as u64,
            self.state.clone(),
            Some("agent".into()),
        )
    }

    /// Writes checkpoints of steps 0..n into `thread`; returns their ids.
    async fn write_thread(
        &self,
        thread: &ThreadKey,
        n: usize,
    ) -> anyhow::Result<Vec<CheckpointId>> {
        let checkpoints: Vec<Checkpoint<Value>> =
            (0..n).map(|step| self.checkpoint(thread, step)).collect();
        for chunk in checkpoints.chunks(fixture::PREPARE_CONCURRENCY) {
            try_join_all(chunk.iter().map(|cp| Checkpointer::put(&self.backend, cp))).await?;
        }
        Ok(checkpoints.iter().map(|cp| cp.id).collect())
    }
}

#[async_trait]
impl Subject for Threadctl {
    async fn prepare(&mut self, clients: usize) -> anyhow::Result<()> {
        let history = Self::thread(fixture::HISTORY_THREAD)?;
        self.history_ids = self
            .write_thread(&history, fixture::HISTORY_THREAD_SIZE)
            .await?;
        let fork = Self::thread(fixture::FORK_THREAD)?;
        self.fork_parent = self.write_thread(&fork, 1).await?.first().copied();
        Store::put(
            &self.backend,
            &self.namespace,
            fixture::STORE_GET_KEY,
            &self.state,
            None,
        )
        .await?;
        let seed = fixture::events(fixture::SEED_EVENTS);
        for name in fixture::seeded_logs(clients) {
            SessionLog::append(&self.backend, &Self::thread(&name)?, &seed).await?;
        }
        let load = Self::thread(fixture::LOAD_THREAD)?;
        let rest = fixture::events(fixture::LOAD_SIZE - fixture::SEED_EVENTS);
        for batch in rest.chunks(fixture::PREPARE_BATCH) {
            SessionLog::append(&self.backend, &load, batch).await?;
        }
        Ok(())
    }

    async fn call(&self, op: Op, client: usize, call: usize) -> anyhow::Result<usize> {
        let b = &self.backend;
        Ok(match op {
            Op::Put => {
                let thread = Self::thread(&fixture::own("put", client))?;
                Checkpointer::put(b, &self.checkpoint(&thread, call)).await?;
                0
            }
            Op::Latest => {
                let thread = Self::thread(fixture::HISTORY_THREAD)?;
                usize::from(Checkpointer::<Value>::latest(b, &thread).await?.is_some())
            }
            Op::GetById => {
                let thread = Self::thread(fixture::HISTORY_THREAD)?;
                let id = self.history_ids[(client * 7919 + call) % self.history_ids.len()];
                usize::from(Checkpointer::<Value>::get(b, &thread, id).await?.is_some())
            }
            Op::History => {
                let thread = Self::thread(fixture::HISTORY_THREAD)?;
                Checkpointer::<Value>::history(b, &thread, Some(HISTORY_PAGE))
                    .await?
                    .len()
            }
            Op::Fork => {
                let thread = Self::thread(fixture::FORK_THREAD)?;
                let parent = self
                    .fork_parent
                    .context("prepare() writes the fork parent")?;
                Checkpointer::fork(b, &thread, parent, &self.state).await?;
                1
            }
            Op::StorePut => {
                let key = fixture::own("put", client);
                Store::put(b, &self.namespace, &key, &self.state, None).await?;
                0
            }
            Op::StoreGet => usize::from(
                Store::<Value>::get(b, &self.namespace, fixture::STORE_GET_KEY)
                    .await?
                    .is_some(),
            ),
            Op::Append => {
                let thread = Self::thread(&fixture::own("append", client))?;
                SessionLog::append(b, &thread, &self.events).await?;
                0
            }
            Op::Load => {
                let thread = Self::thread(fixture::LOAD_THREAD)?;
                SessionLog::<GraphEvent>::load_since(b, &thread, 0)
                    .await?
                    .len()
            }
            Op::Lock => {
                let thread = Self::thread(&fixture::own("lock", client))?;
                let guard = DistributedLock::try_acquire(b, &thread, LOCK_TTL)
                    .await?
                    .with_context(|| format!("the harness's own lock of {thread} was busy"))?;
                guard.release().await?;
                1
            }
        })
    }
}
