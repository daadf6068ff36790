//! One module per subcommand: its clap arguments and its `run`.

pub mod bench;
pub mod copy;
pub mod diff;
pub mod docs;
pub mod doctor;
pub mod events;
pub mod export;
pub mod fork;
pub mod history;
pub mod import;
pub mod latest;
pub mod lock;
pub mod migrate;
pub mod prune;
pub mod put;
pub mod rm;
pub mod show;
pub mod store;
pub mod threads;
pub mod verify;
