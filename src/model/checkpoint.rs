//! The checkpoint record and how new ones are stamped.

use std::borrow::Cow;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::json_depth::{ensure_depth_fits, to_json_within_depth};
use crate::model::{CheckpointId, EnvelopeVersion, TenantId, ThreadId, ThreadKey};

/// One snapshot of a thread's state (docs/format.md, "Checkpoint record").
///
/// `S` is the application state; the CLI uses [`serde_json::Value`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint<S = Value> {
    /// Unique id (v7 for new checkpoints).
    pub id: CheckpointId,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Owning thread.
    pub thread_id: ThreadId,
    /// The checkpoint this one branches from.
    pub parent_id: Option<CheckpointId>,
    /// Step counter within the thread.
    pub step: u64,
    /// Application state, opaque to threadctl.
    pub state: S,
    /// Node to run next; `None` means the graph finished.
    pub next_node: Option<String>,
    /// Write time (microsecond precision for records threadctl writes).
    pub timestamp: DateTime<Utc>,
    /// Envelope v2 metadata; always empty for records stored at v1.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

impl<S> Checkpoint<S> {
    /// A new checkpoint with a fresh v7 id, the current time (truncated to
    /// microseconds) and empty metadata.
    pub fn new(
        key: &ThreadKey,
        parent_id: Option<CheckpointId>,
        step: u64,
        state: S,
        next_node: Option<String>,
    ) -> Self {
        Self {
            id: CheckpointId::new_v7(),
            tenant_id: key.tenant.clone(),
            thread_id: key.thread.clone(),
            parent_id,
            step,
            state,
            next_node,
            timestamp: now_micros(),
            metadata: Map::new(),
        }
    }

    /// The thread this checkpoint belongs to.
    pub fn thread_key(&self) -> ThreadKey {
        ThreadKey {
            tenant: self.tenant_id.clone(),
            thread: self.thread_id.clone(),
        }
    }

    /// Replaces the state, keeping every other field.
    pub fn with_state<T>(self, state: T) -> Checkpoint<T> {
        Checkpoint {
            id: self.id,
            tenant_id: self.tenant_id,
            thread_id: self.thread_id,
            parent_id: self.parent_id,
            step: self.step,
            state,
            next_node: self.next_node,
            timestamp: self.timestamp,
            metadata: self.metadata,
        }
    }
}

impl<S: Serialize> Checkpoint<S> {
    /// Converts the state to JSON (what backends store).
    pub fn to_json_state(&self) -> Result<Checkpoint<Value>> {
        let state =
            to_json_within_depth(&self.state, format_args!("state of checkpoint {}", self.id))?;
        Ok(self.clone_with(state))
    }

    fn clone_with(&self, state: Value) -> Checkpoint<Value> {
        Checkpoint {
            id: self.id,
            tenant_id: self.tenant_id.clone(),
            thread_id: self.thread_id.clone(),
            parent_id: self.parent_id,
            step: self.step,
            state,
            next_node: self.next_node.clone(),
            timestamp: self.timestamp,
            metadata: self.metadata.clone(),
        }
    }
}

impl Checkpoint<Value> {
    /// Converts a stored JSON state into the caller's type.
    /// The state is moved into the conversion, not copied.
    pub fn from_json_state<S: serde::de::DeserializeOwned>(mut self) -> Result<Checkpoint<S>> {
        let json = std::mem::take(&mut self.state);
        let state = serde_json::from_value(json).map_err(|source| Error::Serde {
            what: format!("state of checkpoint {}", self.id),
            source,
        })?;
        Ok(self.with_state(state))
    }
}

/// A checkpoint as read from a store, with the envelope version it was
/// stored at.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckpoint {
    /// The decoded record.
    pub checkpoint: Checkpoint<Value>,
    /// The envelope version of the stored bytes.
    pub schema_version: EnvelopeVersion,
}

/// The current time truncated to microseconds, the precision every backend
/// keeps (so a record reads back equal wherever it is stored).
pub fn now_micros() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Refuses metadata at envelope v1, which cannot store it: a new write
/// must never lose what the caller asked to record.
pub(crate) fn ensure_metadata_fits(
    metadata: &Map<String, Value>,
    version: EnvelopeVersion,
) -> Result<()> {
    if version == EnvelopeVersion::V1 && !metadata.is_empty() {
        return Err(Error::invalid(
            "metadata",
            "this store writes envelope version 1, which cannot hold metadata; the store's write version must be 2 first: `threadctl migrate run --to 2`",
        ));
    }
    Ok(())
}

/// The record a backend stores for a new checkpoint written at `version`:
/// its metadata checked against the version, its state and metadata
/// against [`MAX_JSON_DEPTH`](crate::model::json_depth::MAX_JSON_DEPTH),
/// and its timestamp truncated
/// to microseconds, the precision every backend keeps, so that it reads
/// back equal wherever it is stored. A checkpoint whose timestamp already
/// has no more than microseconds (every one [`Checkpoint::new`] makes) is
/// the record as it is, not a copy.
pub(crate) fn prepare_new_write(
    checkpoint: &Checkpoint<Value>,
    version: EnvelopeVersion,
) -> Result<Cow<'_, Checkpoint<Value>>> {
    ensure_metadata_fits(&checkpoint.metadata, version)?;
    ensure_depth_fits(&checkpoint.state, "state")?;
    for value in checkpoint.metadata.values() {
        ensure_depth_fits(value, "metadata")?;
    }
    let truncated = checkpoint.timestamp.trunc_subsecs(6);
    if truncated == checkpoint.timestamp {
        return Ok(Cow::Borrowed(checkpoint));
    }
    let mut record = checkpoint.clone();
    record.timestamp = truncated;
    Ok(Cow::Owned(record))
}

/// Why a new checkpoint is written; recorded as `metadata.source` at v2.
/// Non-exhaustive: new kinds of write may get sources of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// A plain `put`.
    Put,
    /// A fork from `checkpoint` of `thread`.
    Fork {
        /// The thread holding the parent checkpoint.
        thread: ThreadId,
        /// The parent checkpoint.
        checkpoint: CheckpointId,
    },
}

impl Origin {
    /// The metadata of a fork of `parent` in `thread` at `version`: the
    /// caller's keys plus what [`Origin::stamp`] records for a fork.
    pub fn fork_metadata(
        thread: &ThreadKey,
        parent: CheckpointId,
        mut metadata: Map<String, Value>,
        version: EnvelopeVersion,
    ) -> Result<Map<String, Value>> {
        Origin::Fork {
            thread: thread.thread.clone(),
            checkpoint: parent,
        }
        .stamp(&mut metadata, version)?;
        Ok(metadata)
    }

    /// Fills in the metadata threadctl records for a new write at `version`.
    ///
    /// At v2 it sets `source` (and `forked_from` for forks), keeping any
    /// other caller keys. At v1 nothing can be recorded, so caller metadata
    /// is refused rather than silently dropped.
    pub fn stamp(&self, metadata: &mut Map<String, Value>, version: EnvelopeVersion) -> Result<()> {
        ensure_metadata_fits(metadata, version)?;
        if version == EnvelopeVersion::V1 {
            return Ok(());
        }
        match self {
            Origin::Put => {
                metadata.insert("source".into(), Value::from("put"));
            }
            Origin::Fork { thread, checkpoint } => {
                metadata.insert("source".into(), Value::from("fork"));
                metadata.insert(
                    "forked_from".into(),
                    serde_json::json!({"thread_id": thread.as_str(), "checkpoint_id": checkpoint.to_string()}),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn new_checkpoints_have_microsecond_timestamps() {
        let key = ThreadKey::new("t", "th").unwrap();
        let cp = Checkpoint::new(&key, None, 0, Value::Null, None);
        assert_eq!(cp.timestamp.nanosecond() % 1000, 0);
    }

    #[test]
    fn new_writes_keep_microseconds_only() {
        let key = ThreadKey::new("t", "th").unwrap();
        let mut cp = Checkpoint::new(&key, None, 0, Value::Null, None);
        cp.timestamp = DateTime::parse_from_rfc3339("2026-11-25T16:40:27.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let stored = prepare_new_write(&cp, EnvelopeVersion::V1).unwrap();
        assert_eq!(stored.timestamp.nanosecond(), 123_456_000);
        let again = prepare_new_write(&stored, EnvelopeVersion::V1).unwrap();
        assert!(matches!(again, Cow::Borrowed(_)));
        assert_eq!(*again, *stored);
        cp.metadata.insert("k".into(), Value::Null);
        assert!(prepare_new_write(&cp, EnvelopeVersion::V1).is_err());
    }

    #[test]
    fn stamping_refuses_metadata_at_v1_and_records_the_source_at_v2() {
        let mut empty = Map::new();
        Origin::Put.stamp(&mut empty, EnvelopeVersion::V1).unwrap();
        assert!(empty.is_empty());

        let mut user = Map::new();
        user.insert("by".into(), Value::from("ops"));
        assert!(Origin::Put
            .stamp(&mut user.clone(), EnvelopeVersion::V1)
            .is_err());

        let parent = CheckpointId::new_v7();
        let origin = Origin::Fork {
            thread: ThreadId::new("t1").unwrap(),
            checkpoint: parent,
        };
        origin.stamp(&mut user, EnvelopeVersion::V2).unwrap();
        assert_eq!(user["source"], "fork");
        assert_eq!(user["by"], "ops");
        assert_eq!(user["forked_from"]["checkpoint_id"], parent.to_string());
    }
}
