//! Concurrency: appends from many tasks stay gapless and unique, and the
//! session lock admits one holder at a time.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use threadctl::backend::{CheckpointBackend, DistributedLock, SessionLogBackend};
use threadctl::{Checkpoint, ConflictKind, Error};

use crate::{cp, tk, Fixture};

const TASKS: u64 = 8;

async fn concurrent_appends_are_gapless(f: &Fixture) {
    let t = tk("acme", "concurrent-events");
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let backend = Arc::clone(&f.backend);
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let mut returned = Vec::new();
            for i in 0..10 {
                let last = backend
                    .append_events(&t, &[json!({"task": task, "i": i})])
                    .await
                    .expect("append");
                returned.push(last);
            }
            returned
        }));
    }
    let mut returned = BTreeSet::new();
    for task in tasks {
        for ordinal in task.await.expect("task") {
            assert!(
                returned.insert(ordinal),
                "ordinal {ordinal} handed out twice"
            );
        }
    }
    assert_eq!(returned, (1..=TASKS * 10).collect::<BTreeSet<_>>());

    let events = f.backend.load_events(&t, 0, None).await.unwrap();
    let ordinals: Vec<u64> = events.iter().map(|e| e.ordinal).collect();
    assert_eq!(ordinals, (1..=TASKS * 10).collect::<Vec<_>>());
    let distinct: BTreeSet<String> = events.iter().map(|e| e.event.to_string()).collect();
    assert_eq!(distinct.len() as u64, TASKS * 10);
    // Each task's own events keep their order.
    for task in 0..TASKS {
        let mine: Vec<u64> = events
            .iter()
            .filter(|e| e.event["task"] == task)
            .map(|e| e.event["i"].as_u64().unwrap())
            .collect();
        assert_eq!(mine, (0..10).collect::<Vec<_>>());
    }
}

async fn lock_serialises_holders(f: &Fixture) {
    let t = tk("acme", "concurrent-lock");
    let counter = Arc::new(AtomicU64::new(0));
    let inside = Arc::new(AtomicBool::new(false));
    const ROUNDS: u64 = 3;
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let backend = Arc::clone(&f.backend);
        let (t, counter, inside) = (t.clone(), Arc::clone(&counter), Arc::clone(&inside));
        tasks.push(tokio::spawn(async move {
            for _ in 0..ROUNDS {
                let guard = backend
                    .acquire(&t, Duration::from_secs(30), Duration::from_secs(60))
                    .await
                    .expect("acquire");
                assert!(
                    !inside.swap(true, Ordering::SeqCst),
                    "two holders inside at once"
                );
                let read = counter.load(Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
                counter.store(read + 1, Ordering::SeqCst);
                inside.store(false, Ordering::SeqCst);
                guard.release().await.expect("release");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a holder task panicked");
    }
    assert_eq!(counter.load(Ordering::SeqCst), TASKS * ROUNDS);
}

/// Writers racing with the same `expect_latest`: exactly one gets through,
/// the others get a conflict and write nothing.
async fn concurrent_expect_latest_writers_let_one_through(f: &Fixture) {
    let t = tk("acme", "expect-latest-race");
    let root = cp(&t, 0, json!("root"));
    f.backend.put_checkpoint(&root, None).await.expect("root");
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let backend = Arc::clone(&f.backend);
        let next = cp(&t, 1, json!(i));
        tasks.push(tokio::spawn(async move {
            backend.put_checkpoint(&next, Some(Some(root.id))).await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(()) => won += 1,
            Err(Error::Conflict { .. }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(won, 1);
    let history = f.backend.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(history.len(), 2);
}

/// Writers racing to write the first checkpoint of an empty thread, each
/// expecting it empty: exactly one becomes the root; the others are refused
/// as stale and, re-reading the latest and expecting it, build one chain.
async fn concurrent_first_writes_make_one_root(f: &Fixture) {
    let t = tk("acme", "first-write-race");
    let mut tasks = Vec::new();
    for i in 0..TASKS * 2 {
        let backend = Arc::clone(&f.backend);
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let mut refusals = 0;
            let mut latest: Option<Checkpoint<_>> = None;
            loop {
                let mut next = cp(&t, 0, json!(i));
                if let Some(parent) = &latest {
                    next.parent_id = Some(parent.id);
                    next.step = parent.step + 1;
                }
                let expect = latest.as_ref().map(|p| p.id);
                match backend.put_checkpoint(&next, Some(expect)).await {
                    Ok(()) => return refusals,
                    Err(Error::Conflict {
                        kind: ConflictKind::StaleLatest,
                        ..
                    }) => {
                        refusals += 1;
                        latest = backend
                            .latest_checkpoint(&t)
                            .await
                            .expect("latest")
                            .map(|s| s.checkpoint);
                    }
                    Err(other) => panic!("{other}"),
                }
            }
        }));
    }
    let mut refused = 0;
    for task in tasks {
        refused += task.await.expect("task");
    }
    assert!(refused > 0, "no writer ever lost a race");
    let history = f.backend.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(history.len() as u64, TASKS * 2);
    let roots = history
        .iter()
        .filter(|s| s.checkpoint.parent_id.is_none())
        .count();
    assert_eq!(roots, 1, "{history:#?}");
    for (i, stored) in history.iter().enumerate() {
        let parent = history.get(i + 1).map(|p| p.checkpoint.id);
        assert_eq!(stored.checkpoint.parent_id, parent);
        assert_eq!(stored.checkpoint.step as usize, history.len() - 1 - i);
    }
}

/// A write expecting an empty thread is refused once the thread has a
/// checkpoint, and the refusal names the latest.
async fn write_expecting_empty_thread_is_refused_when_not_empty(f: &Fixture) {
    let t = tk("acme", "not-empty");
    let root = cp(&t, 0, json!("root"));
    f.backend
        .put_checkpoint(&root, Some(None))
        .await
        .expect("root");
    let err = f
        .backend
        .put_checkpoint(&cp(&t, 0, json!("second root")), Some(None))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                kind: ConflictKind::StaleLatest,
                ..
            }
        ),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("to be empty") && message.contains(&root.id.to_string()),
        "{message}"
    );
    assert_eq!(
        f.backend
            .checkpoint_history(&t, None, None)
            .await
            .unwrap()
            .len(),
        1
    );
}

on_every_backend!(crate::run =>
    concurrent_appends_are_gapless,
    lock_serialises_holders,
    concurrent_expect_latest_writers_let_one_through,
    concurrent_first_writes_make_one_root,
    write_expecting_empty_thread_is_refused_when_not_empty,
);
