//! The operations compared: each one the reference's public API offers
//! and threadctl's counterpart.

/// One compared operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Write a new checkpoint.
    Put,
    /// Read a thread's latest checkpoint (of 1,000).
    Latest,
    /// Read one checkpoint by id.
    GetById,
    /// Read the newest 100 checkpoints of a thread of 1,000.
    History,
    /// Branch from a checkpoint (the reference's `update_state`).
    Fork,
    /// Write a store item.
    StorePut,
    /// Read a store item.
    StoreGet,
    /// Append 10 events.
    Append,
    /// Load a log of 1,000 events.
    Load,
    /// Take and release a session lock.
    Lock,
}

impl Op {
    /// Every operation, in the order a run measures them.
    pub const ALL: [Op; 10] = [
        Op::Put,
        Op::Latest,
        Op::GetById,
        Op::History,
        Op::Fork,
        Op::StorePut,
        Op::StoreGet,
        Op::Append,
        Op::Load,
        Op::Lock,
    ];

    /// The name `--only` takes and the report shows.
    pub fn name(self) -> &'static str {
        match self {
            Op::Put => "put",
            Op::Latest => "latest",
            Op::GetById => "get-by-id",
            Op::History => "history-100",
            Op::Fork => "fork",
            Op::StorePut => "store-put",
            Op::StoreGet => "store-get",
            Op::Append => "append-10",
            Op::Load => "load-1000",
            Op::Lock => "lock",
        }
    }

    /// The operation named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}
