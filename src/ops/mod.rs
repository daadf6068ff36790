//! Backend-agnostic bulk operations, generic over the backend traits and
//! never naming a concrete backend: each takes its options and a progress
//! callback and returns a typed report, which the CLI renders.

pub mod bench;
pub mod copy;
pub mod doctor;
pub mod dump;
pub mod export;
pub mod fork_into;
pub mod horizon;
pub mod import;
pub mod migrate;
pub mod prune;
pub mod rm;
pub mod threads_walk;
pub mod transfer;
pub mod verify;
