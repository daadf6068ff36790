//! End-to-end tests of the `threadctl` binary, one module per command
//! (plus `global` for the flags, URLs and exit codes every command shares,
//! and `docs` for help, completions and man pages). Cases that depend on
//! the store run on every backend through `on_every_backend!`, each in a
//! fresh isolated store; run one backend with `cargo test --test cli
//! sqlite` (or `postgres`, `redis`).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

#[macro_use]
mod env;
mod seed;

mod ambiguity;
mod copy;
mod diff;
mod docs;
mod doctor;
mod dump;
mod events;
mod faults;
mod fork;
mod global;
mod history;
mod hostile;
mod lock;
mod migrate;
mod prune;
mod put;
mod rm;
mod security;
mod show;
mod store;
mod threads;
mod verify;
