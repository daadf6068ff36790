//! Sustained load (issue 14): writers that are tokio tasks calling the
//! library and writers that run the real binary, together, over many
//! threads of one Postgres or Redis store, mixing put, fork, append, store
//! writes and `lock run`. Afterwards: every acknowledged write is found,
//! event ordinals are gapless, no lock was ever held twice, and
//! `threadctl verify` exits 0. The throughput held is printed (run with
//! `--nocapture` to see it).
//!
//! `short_*` run in the default suite (8 writers, 40 threads, 5 s);
//! `sustained_*` are issue 14's load (16 writers, 1,000 threads,
//! `THREADCTL_LOAD_SECS`, default 120) and are ignored by default:
//! `cargo test --release --locked --test load -- --ignored --nocapture`.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod checks;
mod ledger;
mod plan;
mod writers;

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use threadctl::{Backend, BackendKind, Checkpoint, Checkpointer};

use common::TestStore;
use ledger::Ledger;
use plan::Plan;
use writers::{process_writer, task_writer, Run};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn short_postgres() {
    load(BackendKind::Postgres, Plan::short()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn short_redis() {
    load(BackendKind::Redis, Plan::short()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "minutes long: cargo test --release --test load -- --ignored"]
async fn sustained_postgres() {
    load(BackendKind::Postgres, Plan::sustained()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "minutes long: cargo test --release --test load -- --ignored"]
async fn sustained_redis() {
    load(BackendKind::Redis, Plan::sustained()).await;
}

/// Seeds the threads with a root each, runs the writers until the plan's
/// duration has passed, reports the throughput and checks the invariants.
async fn load(kind: BackendKind, plan: Plan) {
    let store = TestStore::new(kind);
    let backend = Arc::new(Backend::open(store.url()).await.expect("open store"));
    let lock_dir = tempfile::tempdir().expect("tempdir");
    let mut run = Run {
        url: store.url().to_string(),
        plan: plan.clone(),
        deadline: Instant::now(),
        lock_dir: lock_dir.path().to_path_buf(),
        binary: assert_cmd::cargo::cargo_bin("threadctl"),
        ledger: Default::default(),
    };
    for lt in 0..plan.lock_threads {
        std::fs::create_dir(run.lock_folder(lt)).expect("lock folder");
        std::fs::write(run.lock_folder(lt).join("count"), "0\n").expect("counter");
    }
    let mut roots = Ledger::default();
    for t in 0..plan.threads {
        let root = Checkpoint::new(&run.thread(t), None, 0, json!({"root": t}), None);
        backend.put(&root).await.expect("seed root");
        roots.checkpoint(t, root.id.to_string(), root.state);
    }
    run.ledger = roots.into();
    let started = Instant::now();
    run.deadline = started + plan.duration;
    let run = Arc::new(run);
    let mut writers = Vec::new();
    for w in 0..plan.task_writers {
        writers.push(tokio::spawn(task_writer(w, backend.clone(), run.clone())));
    }
    for w in plan.task_writers..plan.task_writers + plan.process_writers {
        writers.push(tokio::spawn(process_writer(w, run.clone())));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    let elapsed = started.elapsed();
    let ledger = std::mem::take(&mut *run.ledger.lock().unwrap());
    report(kind, &plan, elapsed.as_secs_f64(), &ledger);

    assert_eq!(ledger.failures, Vec::<String>::new(), "failed operations");
    let lock_runs: u64 = ledger.lock_runs.values().sum();
    assert!(
        ledger.checkpoint_count() > plan.threads
            && ledger.forks > 0
            && !ledger.appends.is_empty()
            && ledger.store_writes > 0
            && lock_runs > 0,
        "every kind of operation was acknowledged at least once"
    );
    checks::checkpoints_found(&backend, &run, &ledger).await;
    checks::events_gapless(&backend, &run, &ledger).await;
    checks::items_found(&backend, &ledger).await;
    checks::locks_exclusive(&run, &ledger);
    checks::store_verifies(&run);
}

/// Prints the throughput held, per kind of operation.
fn report(kind: BackendKind, plan: &Plan, secs: f64, ledger: &Ledger) {
    let puts = (ledger.checkpoint_count() - plan.threads) as u64 - ledger.forks;
    let events: usize = ledger.appends.iter().map(|a| a.events.len()).sum();
    let lock_runs: u64 = ledger.lock_runs.values().sum();
    let ops = puts + ledger.forks + ledger.appends.len() as u64 + ledger.store_writes + lock_runs;
    println!(
        "load {kind:?}: {} task + {} process writers, {} threads, {secs:.1} s: \
         {ops} acknowledged operations, {:.0} ops/s (puts {puts}, forks {}, appends {} \
         carrying {events} events, store writes {}, lock runs {lock_runs}); \
         raced puts {}, busy locks {}",
        plan.task_writers,
        plan.process_writers,
        plan.threads,
        ops as f64 / secs,
        ledger.forks,
        ledger.appends.len(),
        ledger.store_writes,
        ledger.raced_puts,
        ledger.busy_locks,
    );
}
