//! The reference's side: entelix-persistence 0.5.4 through its public API
//! only (its `*Persistence` bundles and the `Checkpointer`, `Store`,
//! `SessionLog` and `DistributedLock` traits), on a store of its own
//! (Postgres: its own migrations create its tables in a new schema).

use anyhow::Context;
use async_trait::async_trait;
use entelix_core::{ExecutionContext, TenantId, ThreadKey};
use entelix_graph::{Checkpoint, CheckpointId, Checkpointer};
use entelix_memory::{Namespace, Store};
use entelix_persistence::postgres::PostgresPersistence;
use entelix_persistence::redis::RedisPersistence;
use entelix_persistence::{AdvisoryKey, DistributedLock};
use entelix_session::{GraphEvent, SessionLog};
use futures_util::future::try_join_all;
use serde_json::Value;
use sqlx::PgPool;

use crate::fixture::{self, HISTORY_PAGE, LOCK_TTL};
use crate::op::Op;
use crate::subject::Subject;

/// The reference on its own store, its four handles from one bundle.
pub struct Reference {
    checkpointer: Box<dyn Checkpointer<Value>>,
    store: Box<dyn Store<Value>>,
    log: Box<dyn SessionLog>,
    lock: Box<dyn DistributedLock>,
    /// The bundle's pool on Postgres (for [`Self::seed_log`] only).
    pool: Option<PgPool>,
    context: ExecutionContext,
    tenant: TenantId,
    state: Value,
    events: Vec<GraphEvent>,
    namespace: Namespace,
    history_ids: Vec<CheckpointId>,
    fork_parent: Option<CheckpointId>,
}

impl Reference {
    /// Connects to Postgres at `url` with the builder's defaults and runs
    /// the reference's migrations (`connect_and_migrate`).
    pub async fn postgres(url: &str, state_bytes: usize) -> anyhow::Result<Self> {
        let p = PostgresPersistence::builder()
            .with_connection_string(url)
            .connect_and_migrate()
            .await
            .with_context(|| format!("opening the reference's Postgres store {url}"))?;
        Ok(Self::of(
            Box::new(p.checkpointer::<Value>()),
            Box::new(p.store::<Value>()),
            Box::new(p.session_log()),
            Box::new(p.lock()),
            Some(p.pool().clone()),
            state_bytes,
        ))
    }

    /// Connects to Redis at `url` (the reference's connection manager).
    pub async fn redis(url: &str, state_bytes: usize) -> anyhow::Result<Self> {
        let p = RedisPersistence::builder()
            .with_connection_string(url)
            .connect()
            .await
            .with_context(|| format!("opening the reference's Redis store {url}"))?;
        Ok(Self::of(
            Box::new(p.checkpointer::<Value>()),
            Box::new(p.store::<Value>()),
            Box::new(p.session_log()),
            Box::new(p.lock()),
            None,
            state_bytes,
        ))
    }

    fn of(
        checkpointer: Box<dyn Checkpointer<Value>>,
        store: Box<dyn Store<Value>>,
        log: Box<dyn SessionLog>,
        lock: Box<dyn DistributedLock>,
        pool: Option<PgPool>,
        state_bytes: usize,
    ) -> Self {
        let tenant = TenantId::new(fixture::TENANT);
        Self {
            checkpointer,
            store,
            log,
            lock,
            pool,
            context: ExecutionContext::new(),
            namespace: Namespace::new(tenant.clone()).with_scope(fixture::SCOPE),
            tenant,
            state: fixture::state(state_bytes),
            events: fixture::events(fixture::APPEND_BATCH),
            history_ids: Vec::new(),
            fork_parent: None,
        }
    }

    fn thread(&self, name: &str) -> ThreadKey {
        ThreadKey::new(self.tenant.clone(), name)
    }

    fn checkpoint(&self, thread: &ThreadKey, step: usize) -> Checkpoint<Value> {
        Checkpoint::new(thread, step, self.state.clone(), Some("agent".into()))
    }

    /// Gives `thread`'s log its first `events` (ordinals from 1): on
    /// Postgres as rows written straight into the reference's
    /// `session_events` (FORMAT.md; its own `append` cannot start a log,
    /// see [`fixture::seeded_logs`]), elsewhere through its `append`.
    async fn seed_log(&self, thread: &ThreadKey, events: &[GraphEvent]) -> anyhow::Result<()> {
        let Some(pool) = &self.pool else {
            self.log.append(thread, events).await?;
            return Ok(());
        };
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT set_config('entelix.tenant_id', $1, true)")
            .bind(thread.tenant_id().as_str())
            .execute(&mut *tx)
            .await?;
        for (seq, event) in (1_i64..).zip(events) {
            sqlx::query(
                "INSERT INTO session_events (tenant_id, thread_id, seq, event) VALUES ($1, $2, $3, $4)",
            )
            .bind(thread.tenant_id().as_str())
            .bind(thread.thread_id())
            .bind(seq)
            .bind(serde_json::to_value(event)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes checkpoints of steps 0..n into `thread`; returns their ids.
    async fn write_thread(
        &self,
        thread: &ThreadKey,
        n: usize,
    ) -> anyhow::Result<Vec<CheckpointId>> {
        let checkpoints: Vec<Checkpoint<Value>> =
            (0..n).map(|step| self.checkpoint(thread, step)).collect();
        let ids = checkpoints.iter().map(|cp| cp.id.clone()).collect();
        for chunk in checkpoints.chunks(fixture::PREPARE_CONCURRENCY) {
            try_join_all(chunk.iter().map(|cp| self.checkpointer.put(cp.clone()))).await?;
        }
        Ok(ids)
    }
}

#[async_trait]
impl Subject for Reference {
    async fn prepare(&mut self, clients: usize) -> anyhow::Result<()> {
        let history = self.thread(fixture::HISTORY_THREAD);
        self.history_ids = self
            .write_thread(&history, fixture::HISTORY_THREAD_SIZE)
            .await?;
        let fork = self.thread(fixture::FORK_THREAD);
        self.fork_parent = self.write_thread(&fork, 1).await?.into_iter().next();
        self.store
            .put(
                &self.context,
                &self.namespace,
                fixture::STORE_GET_KEY,
                self.state.clone(),
            )
            .await?;
        let seed = fixture::events(fixture::SEED_EVENTS);
        for name in fixture::seeded_logs(clients) {
            self.seed_log(&self.thread(&name), &seed).await?;
        }
        let load = self.thread(fixture::LOAD_THREAD);
        let rest = fixture::events(fixture::LOAD_SIZE - fixture::SEED_EVENTS);
        for batch in rest.chunks(fixture::PREPARE_BATCH) {
            self.log.append(&load, batch).await?;
        }
        Ok(())
    }

    async fn call(&self, op: Op, client: usize, call: usize) -> anyhow::Result<usize> {
        Ok(match op {
            Op::Put => {
                let thread = self.thread(&fixture::own("put", client));
                self.checkpointer
                    .put(self.checkpoint(&thread, call))
                    .await?;
                0
            }
            Op::Latest => {
                let thread = self.thread(fixture::HISTORY_THREAD);
                usize::from(self.checkpointer.get_latest(&thread).await?.is_some())
            }
            Op::GetById => {
                let thread = self.thread(fixture::HISTORY_THREAD);
                let id = &self.history_ids[(client * 7919 + call) % self.history_ids.len()];
                usize::from(self.checkpointer.get_by_id(&thread, id).await?.is_some())
            }
            Op::History => {
                let thread = self.thread(fixture::HISTORY_THREAD);
                self.checkpointer
                    .list_history(&thread, HISTORY_PAGE)
                    .await?
                    .len()
            }
            Op::Fork => {
                let thread = self.thread(fixture::FORK_THREAD);
                let parent = self
                    .fork_parent
                    .as_ref()
                    .context("prepare() writes the fork parent")?;
                self.checkpointer
                    .update_state(&thread, parent, self.state.clone())
                    .await?;
                1
            }
            Op::StorePut => {
                let key = fixture::own("put", client);
                self.store
                    .put(&self.context, &self.namespace, &key, self.state.clone())
                    .await?;
                0
            }
            Op::StoreGet => usize::from(
                self.store
                    .get(&self.context, &self.namespace, fixture::STORE_GET_KEY)
                    .await?
                    .is_some(),
            ),
            Op::Append => {
                let thread = self.thread(&fixture::own("append", client));
                self.log.append(&thread, &self.events).await?;
                0
            }
            Op::Load => {
                let thread = self.thread(fixture::LOAD_THREAD);
                self.log.load_since(&thread, 0).await?.len()
            }
            Op::Lock => {
                let thread = fixture::own("lock", client);
                let key = AdvisoryKey::for_session(&self.tenant, &thread);
                let guard = self
                    .lock
                    .try_acquire(&key, LOCK_TTL)
                    .await?
                    .with_context(|| format!("the harness's own lock of {thread} was busy"))?;
                self.lock.release(guard).await?;
                1
            }
        })
    }
}
