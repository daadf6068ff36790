//! threadctl: persistence for AI-agent thread state — checkpoints, a
//! namespaced memory store, a session event log and a per-thread lock — on
//! Postgres, Redis or embedded SQLite, byte-compatible with the reference
//! deployments (`entelix-persistence` 0.5/0.6).
//!
//! Open a store with [`Backend::open`], then use the typed traits
//! [`Checkpointer`], [`Store`], [`SessionLog`] and [`DistributedLock`].
//! States, values and events are any serde types. `Checkpointer` and
//! `Store` both have `put` and `get`, so name the trait for those.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use serde::{Deserialize, Serialize};
//! use serde_json::{json, Value};
//! use threadctl::{Backend, Checkpoint, Checkpointer, DistributedLock};
//! use threadctl::{Namespace, SessionLog, Store, ThreadKey};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Chat {
//!     messages: Vec<String>,
//! }
//!
//! #[tokio::main]
//! async fn main() -> threadctl::Result<()> {
//!     let backend = Backend::open("postgres://postgres@127.0.0.1:5432/test").await?;
//!     let thread = ThreadKey::new("default", "support-42")?;
//!
//!     // Hold the thread's session lock (TTL 30s, wait up to 5s for it).
//!     let lock = backend
//!         .acquire(&thread, Duration::from_secs(30), Duration::from_secs(5))
//!         .await?;
//!
//!     // Checkpoints: continue from the latest one, if any.
//!     let latest: Option<Checkpoint<Chat>> = backend.latest(&thread).await?;
//!     let (parent, step, mut chat) = match latest {
//!         Some(cp) => (Some(cp.id), cp.step + 1, cp.state),
//!         None => (None, 0, Chat { messages: Vec::new() }),
//!     };
//!     chat.messages.push("hi".to_string());
//!     let next = Checkpoint::new(&thread, parent, step, chat, Some("agent".to_string()));
//!     Checkpointer::put(&backend, &next).await?;
//!
//!     // The session log: append returns the last ordinal.
//!     let last = backend.append(&thread, &[json!({"type": "user", "text": "hi"})]).await?;
//!     let events = SessionLog::<Value>::load_since(&backend, &thread, last - 1).await?;
//!     println!("event {}: {}", events[0].ordinal, events[0].event);
//!
//!     // The store: namespaced items, optionally expiring.
//!     let notes = Namespace::new(thread.tenant.clone(), ["agent", "notes"]);
//!     let ttl = Some(Duration::from_secs(3600));
//!     Store::put(&backend, &notes, "greeting", &"hello".to_string(), ttl).await?;
//!     let greeting: Option<String> = Store::get(&backend, &notes, "greeting").await?;
//!     println!("{greeting:?}");
//!
//!     lock.release().await?;
//!     Ok(())
//! }
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod backend;
pub mod error;
pub mod lock_key;
pub mod model;
pub mod ops;

pub use api::{Checkpointer, SessionLog, Storable, Store};
pub use backend::{Backend, ConnectOptions, DistributedLock, LockGuard, StoreUrl};
pub use error::{ConflictKind, Error, Result};
pub use lock_key::LockKey;
pub use model::{
    BackendKind, Checkpoint, CheckpointId, EnvelopeVersion, Namespace, TenantId, ThreadId,
    ThreadKey,
};
