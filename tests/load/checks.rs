//! The invariants checked after a run: every acknowledged write is found,
//! event ordinals are gapless, no lock was held twice, the store verifies.

use std::collections::{HashMap, HashSet};
use std::process::Command;

use serde_json::Value;
use threadctl::backend::{CheckpointBackend, SessionLogBackend, StoreBackend};
use threadctl::Backend;

use crate::ledger::Ledger;
use crate::writers::{namespace_of, Run};

/// Every acknowledged checkpoint is stored with its state.
pub async fn checkpoints_found(backend: &Backend, run: &Run, ledger: &Ledger) {
    for (&t, acked) in &ledger.checkpoints {
        let key = run.thread(t);
        let stored: HashMap<String, Value> = backend
            .checkpoint_history(&key, None, None)
            .await
            .expect("history")
            .into_iter()
            .map(|s| (s.checkpoint.id.to_string(), s.checkpoint.state))
            .collect();
        for (id, state) in acked {
            assert_eq!(
                stored.get(id),
                Some(state),
                "acknowledged checkpoint {id} of {key}"
            );
        }
    }
}

/// Each touched log's ordinals run 1, 2, … without a gap or a repeat, every
/// acknowledged batch sits at the ordinals it was given, and no event is
/// stored twice.
pub async fn events_gapless(backend: &Backend, run: &Run, ledger: &Ledger) {
    let mut by_thread: HashMap<usize, Vec<&crate::ledger::AppendAck>> = HashMap::new();
    for ack in &ledger.appends {
        by_thread.entry(ack.thread).or_default().push(ack);
    }
    for (t, acks) in by_thread {
        let key = run.thread(t);
        let log = backend.load_events(&key, 0, None).await.expect("events");
        let ordinals: Vec<u64> = log.iter().map(|e| e.ordinal).collect();
        let expected: Vec<u64> = (1..=log.len() as u64).collect();
        assert_eq!(ordinals, expected, "ordinals of {key}");
        let distinct: HashSet<String> = log.iter().map(|e| e.event.to_string()).collect();
        assert_eq!(distinct.len(), log.len(), "an event of {key} stored twice");
        for ack in acks {
            let first = ack.last + 1 - ack.events.len() as u64;
            for (offset, event) in ack.events.iter().enumerate() {
                let ordinal = first + offset as u64;
                assert_eq!(
                    log.get(ordinal as usize - 1).map(|e| &e.event),
                    Some(event),
                    "acknowledged event {ordinal} of {key}"
                );
            }
        }
    }
}

/// Each writer's store keys hold its last acknowledged value (or a later
/// one of its own).
pub async fn items_found(backend: &Backend, ledger: &Ledger) {
    for ((writer, key), &seq) in &ledger.items {
        let item = backend
            .store_get(&namespace_of(*writer), key)
            .await
            .expect("store get")
            .unwrap_or_else(|| panic!("acknowledged item {key} of writer {writer} is gone"));
        assert_eq!(item.value["w"], *writer, "owner of {key}");
        let stored = item.value["s"].as_u64().expect("sequence number");
        assert!(
            stored >= seq,
            "item {key} of writer {writer}: {stored} < {seq}"
        );
    }
}

/// No critical section found the lock's marker taken, and each lock
/// thread's counter equals the critical sections completed on it (a
/// lost increment would mean two holders at once).
pub fn locks_exclusive(run: &Run, ledger: &Ledger) {
    assert_eq!(
        ledger.lock_violations,
        Vec::<String>::new(),
        "lock held twice"
    );
    for lt in 0..run.plan.lock_threads {
        let count: u64 = std::fs::read_to_string(run.lock_folder(lt).join("count"))
            .expect("counter")
            .trim()
            .parse()
            .expect("counter value");
        let runs = ledger.lock_runs.get(&lt).copied().unwrap_or(0);
        assert_eq!(count, runs, "critical sections on lock thread {lt}");
        assert!(
            !run.lock_folder(lt).join("held").exists(),
            "marker of lock thread {lt} left behind"
        );
    }
}

/// `threadctl verify` finds no problem.
pub fn store_verifies(run: &Run) {
    let output = Command::new(&run.binary)
        .args(["--url", &run.url, "verify"])
        .output()
        .expect("run threadctl verify");
    assert!(
        output.status.success(),
        "verify exit {:?}: {}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
