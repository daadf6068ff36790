//! The cross-backend conformance suite: every case is written once against
//! the traits, in the module of its topic, and run on SQLite, Postgres and
//! Redis (`on_every_backend!`), each in a fresh isolated store
//! (tests/common). Run one backend with `cargo test --test conformance
//! sqlite` (or `postgres`, `redis`).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod ambiguity;
mod bulk;
mod checkpoints;
mod concurrency;
mod events;
mod hostile;
mod isolation;
mod locks;
mod maintenance;
mod store;
mod transfer;

use std::sync::Arc;

use serde_json::{Map, Value};
use threadctl::{Backend, BackendKind, Checkpoint, CheckpointId, Namespace, TenantId, ThreadKey};

/// An open backend plus what keeps its store alive (dropped last).
pub struct Fixture {
    /// The backend under test, shareable with spawned tasks.
    pub backend: Arc<Backend>,
    /// Its URL, to open a second handle on the same store.
    pub url: String,
    _store: common::TestStore,
}

/// Runs `case` on a fresh isolated store of `kind`, on a multi-threaded
/// runtime (cases spawn concurrent tasks); the runner of `on_every_backend!`.
pub fn run(kind: BackendKind, case: impl AsyncFnOnce(&Fixture)) {
    let store = common::TestStore::new(kind);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let url = store.url().to_string();
            let backend = Backend::open(&url)
                .await
                .unwrap_or_else(|e| panic!("open {url}: {e}"));
            let fixture = Fixture {
                backend: Arc::new(backend),
                url,
                _store: store,
            };
            case(&fixture).await;
        });
}

/// A thread key from literals.
pub fn tk(tenant: &str, thread: &str) -> ThreadKey {
    ThreadKey::new(tenant, thread).expect("valid thread key")
}

/// A namespace from literals.
pub fn ns(tenant: &str, scope: &[&str]) -> Namespace {
    Namespace::new(
        TenantId::new(tenant).expect("tenant"),
        scope.iter().copied(),
    )
}

/// A checkpoint id from a literal UUID.
pub fn id(raw: &str) -> CheckpointId {
    raw.parse().expect("uuid literal")
}

/// A new checkpoint of `thread` at `step` with `state`.
pub fn cp(thread: &ThreadKey, step: u64, state: Value) -> Checkpoint<Value> {
    Checkpoint::new(thread, None, step, state, Some("agent".into()))
}

/// Metadata from a JSON object literal.
pub fn meta(value: Value) -> Map<String, Value> {
    value.as_object().expect("object literal").clone()
}
