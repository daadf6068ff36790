//! The data model shared by every backend: identities, the checkpoint
//! record, store namespaces, envelope versions, the v2 checksum and the
//! kinds of backend.

pub mod backend_kind;
pub mod checkpoint;
pub mod checksum;
pub mod compact_json;
pub mod envelope;
pub mod glob;
pub mod ids;
pub mod json_depth;
pub mod json_ops;
pub mod namespace;
pub mod stored_json;

pub use backend_kind::BackendKind;
pub(crate) use checkpoint::{ensure_metadata_fits, prepare_new_write};
pub use checkpoint::{now_micros, Checkpoint, Origin, StoredCheckpoint};
pub use envelope::EnvelopeVersion;
pub use glob::{parse_glob, NameGlob};
pub use ids::{CheckpointId, TenantId, ThreadId, ThreadKey};
pub use namespace::Namespace;
