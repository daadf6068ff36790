//! Moving data between stores, whatever their kinds: the one code path
//! that `copy`, `export` and `import` share.
//!
//! A [`ThreadReader`] reads one thread's full content from a source —
//! checkpoints page by page, then the archive watermark and the session
//! events with their ordinals — and an [`ItemReader`] a tenant's store
//! items under a namespace prefix, each as batches of typed [`Record`]s.
//! A [`TargetWriter`] writes such batches to a target at the target's
//! write version, under a [`ConflictPolicy`], counting what happened in a
//! [`TransferTally`]. Copy is a reader feeding a writer; import is a
//! stream decoder feeding the same writer; export is a reader feeding a
//! stream encoder.
//!
//! Every write skips records already stored identical, so running the same
//! transfer again after an interruption finishes it without duplicates:
//! the unit of resumption is the thread.

mod ambiguity;
pub mod compare;
mod logs;
mod reader;
mod selection;
mod writer;

pub use ambiguity::{Ambiguity, AmbiguityPolicy};
pub use logs::LogWalk;
pub use reader::{ItemReader, ThreadReader};
pub use selection::TransferSelection;
pub use writer::{ConflictPolicy, KeyClaims, TargetWriter, TransferStore, WriteOptions};

use crate::backend::{SessionEvent, StoreItem};
use crate::error::Error;
use crate::model::compact_json::compact_json_len;
use crate::model::{StoredCheckpoint, ThreadKey};

/// Problems a tally describes one by one; the rest are counted.
pub const MAX_DESCRIBED: usize = 1000;

/// One unit of data moved between stores.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A checkpoint, exactly as stored (its envelope version included).
    Checkpoint(StoredCheckpoint),
    /// A thread's archive watermark: the highest ordinal archived. Comes
    /// before the thread's events.
    Watermark {
        /// The thread whose log it is.
        thread: ThreadKey,
        /// The watermark.
        watermark: u64,
    },
    /// One session event with its ordinal.
    Event {
        /// The thread whose log it is in.
        thread: ThreadKey,
        /// The event and its ordinal.
        event: SessionEvent,
    },
    /// A live store item with its absolute expiry.
    Item(StoreItem),
}

impl Record {
    /// The record's kind, as reports and streams name it.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Checkpoint(_) => RecordKind::Checkpoint,
            Record::Watermark { .. } => RecordKind::Watermark,
            Record::Event { .. } => RecordKind::Event,
            Record::Item(_) => RecordKind::Item,
        }
    }

    /// Which record this is, for messages: kind, owner and id.
    pub fn describe(&self) -> String {
        match self {
            Record::Checkpoint(s) => describe_checkpoint(s),
            Record::Watermark { thread, .. } => format!("archive watermark of {thread}"),
            Record::Event { thread, event } => format!("event {} of {thread}", event.ordinal),
            Record::Item(item) => describe_item(item),
        }
    }

    /// The size of its payload in bytes (state, event or value as compact
    /// JSON), for progress and dry runs.
    pub fn bytes(&self) -> u64 {
        let json = match self {
            Record::Checkpoint(s) => &s.checkpoint.state,
            Record::Watermark { .. } => return 0,
            Record::Event { event, .. } => &event.event,
            Record::Item(item) => &item.value,
        };
        compact_json_len(json)
    }
}

/// Which checkpoint this is, for messages, without copying the record.
fn describe_checkpoint(stored: &StoredCheckpoint) -> String {
    format!(
        "checkpoint {} of {}",
        stored.checkpoint.id,
        stored.checkpoint.thread_key()
    )
}

/// Which store item this is, for messages, without copying the record.
fn describe_item(item: &StoreItem) -> String {
    format!("store item {} / {:?}", item.namespace, item.key)
}

/// The kinds of [`Record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// [`Record::Checkpoint`].
    Checkpoint,
    /// [`Record::Watermark`].
    Watermark,
    /// [`Record::Event`].
    Event,
    /// [`Record::Item`].
    Item,
}

impl RecordKind {
    /// Its stable name (`checkpoint`, `watermark`, `event`, `item`).
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Checkpoint => "checkpoint",
            RecordKind::Watermark => "watermark",
            RecordKind::Event => "event",
            RecordKind::Item => "item",
        }
    }
}

/// A source record that could not be read, reported instead of stopping
/// the transfer.
#[derive(Debug)]
pub struct Unreadable {
    /// Which record, where.
    pub what: String,
    /// Why ([`Error::Corrupt`], [`Error::UnsupportedVersion`]).
    pub error: Error,
}

/// One record of a batch: read, or why not (boxed: batches hold mostly
/// readable records).
pub type Read = std::result::Result<Record, Box<Unreadable>>;

/// Why a record was not transferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The source record cannot be read.
    Unreadable,
    /// The target holds a different record under the same id, ordinal or
    /// key, left as it is (`--on-conflict overwrite` replaces it).
    Differs,
    /// The target refused it (a NUL character bound for Postgres, keys
    /// that another record takes, a gap in the log's ordinals, metadata a
    /// version-1 target cannot hold).
    Refused,
    /// The source's Redis key reads as more than one thread and none or
    /// several of them have checkpoints, so where it belongs is unknown
    /// (`--ambiguous both` writes it under every reading).
    Ambiguous,
}

impl ProblemKind {
    /// A short, stable name for scripts (`-o json`).
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::Differs => "differs",
            ProblemKind::Refused => "refused",
            ProblemKind::Ambiguous => "ambiguous",
        }
    }
}

/// One record that was not transferred, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which record ([`Record::describe`]).
    pub what: String,
    /// The kind of problem.
    pub kind: ProblemKind,
    /// What happened, and what to do.
    pub message: String,
}

/// What a transfer did, record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferTally {
    /// Threads transferred (read to the end).
    pub threads: u64,
    /// Records read from the source.
    pub records: u64,
    /// Payload bytes read ([`Record::bytes`]).
    pub bytes: u64,
    /// Records written to the target.
    pub written: u64,
    /// Records the target already held identical.
    pub unchanged: u64,
    /// Records left out: at most [`MAX_DESCRIBED`] of them (see
    /// `problem_count`).
    pub problems: Vec<Problem>,
    /// Every record left out.
    pub problem_count: u64,
    /// Records whose place in the source is ambiguous (Redis keys that
    /// split in more than one way).
    pub ambiguous: u64,
    /// At most [`MAX_DESCRIBED`] of them, each with its readings and
    /// where it went (see `ambiguous`).
    pub ambiguities: Vec<Ambiguity>,
}

impl TransferTally {
    /// Records a problem.
    pub fn problem(&mut self, what: String, kind: ProblemKind, message: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_DESCRIBED {
            self.problems.push(Problem {
                what,
                kind,
                message,
            });
        }
    }

    /// Records an ambiguous source record.
    pub fn ambiguity(&mut self, ambiguity: Ambiguity) {
        self.ambiguous += 1;
        if self.ambiguities.len() < MAX_DESCRIBED {
            self.ambiguities.push(ambiguity);
        }
    }

    /// Adds another tally to this one.
    pub fn absorb(&mut self, other: TransferTally) {
        self.threads += other.threads;
        self.records += other.records;
        self.bytes += other.bytes;
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.problem_count += other.problem_count;
        self.ambiguous += other.ambiguous;
        let room = MAX_DESCRIBED.saturating_sub(self.problems.len());
        self.problems.extend(other.problems.into_iter().take(room));
        let room = MAX_DESCRIBED.saturating_sub(self.ambiguities.len());
        self.ambiguities
            .extend(other.ambiguities.into_iter().take(room));
    }

    /// True when every record read landed (written or already there).
    pub fn is_complete(&self) -> bool {
        self.problem_count == 0
    }
}
