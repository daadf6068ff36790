//! threadctl: persistence for AI-agent thread state — checkpoints, a
//! namespaced memory store, a session event log and a per-thread lock — on
//! Postgres, Redis or embedded SQLite, byte-compatible with the reference
//! deployments (`entelix-persistence` 0.5/0.6).
//!
//! Open a store with [`Backend::open`], then use the typed traits
//! [`Checkpointer`], [`Store`], [`SessionLog`] and [`DistributedLock`].

pub mod api;
pub mod backend;
pub mod error;
pub mod lock_key;
pub mod model;

pub use api::{Checkpointer, SessionLog, Storable, Store};
pub use backend::{Admin, Backend, DistributedLock, LockGuard, StoreUrl};
pub use error::{Error, Result};
pub use lock_key::LockKey;
pub use model::{
    Checkpoint, CheckpointId, EnvelopeVersion, Namespace, TenantId, ThreadId, ThreadKey,
};
