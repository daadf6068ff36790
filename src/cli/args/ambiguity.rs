//! `--ambiguous`: what `copy` and `export` do with Redis records whose key
//! reads in more than one way (ids containing `:`).

use clap::{Args, ValueEnum};
use threadctl::ops::transfer::AmbiguityPolicy;

/// `--ambiguous`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Ambiguous {
    /// Take the preferred reading; report a session log that has none and leave it out (exit 5)
    Prefer,
    /// Write the record under every reading
    Both,
}

/// How to place records whose Redis key reads in more than one way.
#[derive(Debug, Clone, Args)]
pub struct AmbiguityArgs {
    /// Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading
    #[arg(long, value_enum, value_name = "READING", default_value = "prefer")]
    pub ambiguous: Ambiguous,
}

impl From<AmbiguityArgs> for AmbiguityPolicy {
    fn from(args: AmbiguityArgs) -> Self {
        match args.ambiguous {
            Ambiguous::Prefer => AmbiguityPolicy::Prefer,
            Ambiguous::Both => AmbiguityPolicy::Both,
        }
    }
}
