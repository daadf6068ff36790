//! The data model shared by every backend: identities, the checkpoint
//! record, store namespaces, envelope versions and the v2 checksum.

pub mod checkpoint;
pub mod checksum;
pub mod envelope;
pub mod glob;
pub mod ids;
pub mod namespace;

pub use checkpoint::{
    ensure_metadata_fits, now_micros, prepare_new_write, Checkpoint, Origin, StoredCheckpoint,
};
pub use envelope::EnvelopeVersion;
pub use glob::{parse_glob, NameGlob};
pub use ids::{CheckpointId, TenantId, ThreadId, ThreadKey};
pub use namespace::Namespace;
