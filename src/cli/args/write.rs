//! How a transfer writes into its target (`copy`, `import`): the
//! conflict policy, the lossy downgrade, dry runs and the batch size.

use clap::{Args, ValueEnum};
use threadctl::ops::transfer::{ConflictPolicy, WriteOptions};

/// `--on-conflict`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnConflict {
    /// Leave a record the target holds differently, report it, exit 5 at the end
    Skip,
    /// Replace it with the incoming record
    Overwrite,
    /// Stop at the first one (exit 1)
    Fail,
}

/// The write options of a transfer.
#[derive(Debug, Clone, Args)]
pub struct WriteArgs {
    /// What to do with a record the target holds differently (an identical one is always skipped)
    #[arg(long, value_enum, value_name = "POLICY", default_value = "skip")]
    pub on_conflict: OnConflict,
    /// Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres
    #[arg(long)]
    pub allow_lossy: bool,
    /// Read everything and count it; write nothing (the target must exist)
    #[arg(long)]
    pub dry_run: bool,
    /// Records written per atomic batch (copy also reads this many per round trip)
    #[arg(long, value_name = "K", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch_size: u32,
}

impl From<WriteArgs> for WriteOptions {
    fn from(args: WriteArgs) -> Self {
        WriteOptions {
            on_conflict: match args.on_conflict {
                OnConflict::Skip => ConflictPolicy::Skip,
                OnConflict::Overwrite => ConflictPolicy::Overwrite,
                OnConflict::Fail => ConflictPolicy::Fail,
            },
            allow_lossy: args.allow_lossy,
            dry_run: args.dry_run,
            batch_size: args.batch_size as usize,
            ..WriteOptions::default()
        }
    }
}
