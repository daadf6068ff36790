//! The data both sides write and read, identical for each: the same
//! tenant, thread names, state, store value and events.

use std::time::Duration;

use chrono::Utc;
use entelix_session::GraphEvent;
use serde_json::{json, Value};

/// The tenant everything is written under.
pub const TENANT: &str = "bench";
/// The store namespace's one scope segment.
pub const SCOPE: &str = "bench";
/// Checkpoints of the thread that latest, get-by-id and history read.
pub const HISTORY_THREAD_SIZE: usize = 1_000;
/// Checkpoints one history call reads.
pub const HISTORY_PAGE: usize = 100;
/// Events one append writes.
pub const APPEND_BATCH: usize = 10;
/// Events of the log that one load reads.
pub const LOAD_SIZE: usize = 1_000;
/// Events per append while preparing the log that load reads.
pub const PREPARE_BATCH: usize = 100;
/// Events every log starts with before it is measured (see
/// [`seeded_logs`]).
pub const SEED_EVENTS: usize = 1;
/// Concurrent writes while preparing.
pub const PREPARE_CONCURRENCY: usize = 16;
/// TTL of the measured locks (released at once).
pub const LOCK_TTL: Duration = Duration::from_secs(30);
/// The thread latest, get-by-id and history read.
pub const HISTORY_THREAD: &str = "history";
/// The thread whose one checkpoint every fork branches from.
pub const FORK_THREAD: &str = "fork";
/// The thread whose log load reads.
pub const LOAD_THREAD: &str = "load";
/// The store key store-get reads.
pub const STORE_GET_KEY: &str = "get";

/// Client `client`'s own thread (or store key) for `op`: writers must not
/// queue behind each other's thread.
pub fn own(op: &str, client: usize) -> String {
    format!("{op}-{client}")
}

/// The threads whose logs get one event before anything is measured: the
/// reference's Postgres `append` fails on a thread without events (its
/// `MAX(seq)` of no rows is NULL, decoded as a number: "unexpected null"),
/// so every log both sides append to or load starts with one event.
pub fn seeded_logs(clients: usize) -> Vec<String> {
    let mut threads: Vec<String> = (0..clients).map(|c| own("append", c)).collect();
    threads.push(LOAD_THREAD.to_string());
    threads
}

/// A checkpoint state, or store value, of `bytes` bytes of text.
pub fn state(bytes: usize) -> Value {
    json!({ "data": "x".repeat(bytes) })
}

/// `n` events as an agent's log holds them: tool calls with a small input.
pub fn events(n: usize) -> Vec<GraphEvent> {
    (0..n)
        .map(|i| GraphEvent::ToolCall {
            id: format!("call-{i}"),
            name: "search".to_string(),
            input: json!({ "query": "an event of the bench", "n": i }),
            timestamp: Utc::now(),
        })
        .collect()
}
