//! Backends: the JSON-level traits, the lock guard, choosing a backend from
//! a URL, how to connect (time limits, TLS trust), and the Postgres, Redis
//! and SQLite implementations.

pub mod any;
pub mod bulk;
mod deadline;
pub mod diagnostics;
pub mod floor;
pub mod lock;
pub mod options;
pub mod postgres;
pub mod redis;
mod retry;
pub mod schema;
pub mod sqlite;
mod tls;
pub mod traits;
pub mod url;
pub(crate) mod version_cache;

pub use any::Backend;
pub use bulk::*;
pub use diagnostics::{Check, CheckLevel, Diagnostics, SizeEstimate};
pub use floor::{BenchFloor, FloorOp};
pub use lock::LockGuard;
pub use options::ConnectOptions;
pub use retry::is_connection_failure;
pub use schema::{SchemaAdmin, SchemaSetup, SchemaStatus};
pub use traits::*;
pub use url::StoreUrl;
pub use version_cache::WRITE_VERSION_REFRESH;
