//! Backends: the JSON-level traits, the lock guard, choosing a backend from
//! a URL, and the Postgres, Redis and SQLite implementations.

pub mod any;
pub mod bulk;
pub mod lock;
pub mod postgres;
pub mod redis;
pub mod schema;
pub mod sqlite;
pub mod traits;
pub mod url;
pub(crate) mod version_cache;

pub use any::Backend;
pub use bulk::*;
pub use lock::LockGuard;
pub use schema::{SchemaAdmin, SchemaSetup, SchemaStatus};
pub use traits::*;
pub use url::StoreUrl;
