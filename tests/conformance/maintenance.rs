//! Keeping stores intact and bounded: `verify` finding each kind of
//! problem planted with raw SQL or Redis commands (and nothing on a clean
//! store), `prune` keeping exactly
//! its windows and verifying clean afterwards, and `rm` deleting one thread under its
//! session lock without touching any other (the same id in another tenant
//! included; Redis ids that collide are in tests/redis_backend.rs).

use std::time::Duration;

use serde_json::json;
use threadctl::backend::{
    BulkCheckpoints, BulkDeletes, CheckpointBackend, DistributedLock, SessionLogBackend,
    ThreadSelection, WriteMode,
};
use threadctl::model::{parse_glob, StoredCheckpoint};
use threadctl::ops::prune::{self, PruneOptions, PruneReport};
use threadctl::ops::rm::{remove_thread, thread_exists, RmOptions};
use threadctl::ops::verify::{self, ProblemKind, VerifyOptions, VerifyReport};
use threadctl::{BackendKind, CheckpointId, EnvelopeVersion, Error, ThreadKey};

use crate::bulk::{plant_raw, plant_redis, plant_unreadable};
use crate::{cp, tk, Fixture};

async fn verify_all(f: &Fixture) -> VerifyReport {
    let options = VerifyOptions {
        selection: ThreadSelection::everything(),
        page_size: 2,
    };
    let mut calls = 0;
    let report = verify::run(&*f.backend, &options, |_| calls += 1)
        .await
        .expect("verify");
    assert_eq!(
        calls as u64,
        report.threads + 1,
        "progress after each thread"
    );
    report
}

/// A thread of `n` linked checkpoints, with one fork off the first.
async fn linked_thread(f: &Fixture, thread: &ThreadKey, n: u64) -> Vec<CheckpointId> {
    let mut ids: Vec<CheckpointId> = Vec::new();
    for step in 0..n {
        let mut c = cp(thread, step, json!({"step": step}));
        c.parent_id = ids.last().copied();
        f.backend.put_checkpoint(&c, None).await.unwrap();
        ids.push(c.id);
    }
    f.backend
        .fork_checkpoint(thread, ids[0], json!("fork"), Default::default())
        .await
        .unwrap();
    ids
}

/// Replaces the checksum of the version-2 record `id` with a wrong one.
async fn break_checksum(f: &Fixture, thread: &ThreadKey, id: CheckpointId) {
    let (tenant, name) = (thread.tenant.as_str(), thread.thread.as_str());
    match f.backend.kind() {
        BackendKind::Postgres => {
            let pool = sqlx::PgPool::connect(&f.url).await.unwrap();
            sqlx::query(
                "UPDATE checkpoints SET state = jsonb_set(state, '{checksum}', '\"bad\"') \
                 WHERE tenant_id = $1 AND thread_id = $2 AND id = $3::uuid",
            )
            .bind(tenant)
            .bind(name)
            .bind(id.to_string())
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&f.url).await.unwrap();
            sqlx::query(
                "UPDATE checkpoints SET state = json_set(state, '$.checksum', 'bad') \
                 WHERE tenant_id = ? AND thread_id = ? AND id = ?",
            )
            .bind(tenant)
            .bind(name)
            .bind(id.to_string())
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Redis => {
            let client = ::redis::Client::open(f.url.as_str()).unwrap();
            let mut conn = client.get_multiplexed_async_connection().await.unwrap();
            let key = format!("entelix:cp:{tenant}:{name}:byid");
            let raw: String = ::redis::cmd("HGET")
                .arg(&key)
                .arg(id.to_string())
                .query_async(&mut conn)
                .await
                .unwrap();
            let mut doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
            doc["body"]["checksum"] = json!("bad");
            ::redis::cmd("HSET")
                .arg(&key)
                .arg(id.to_string())
                .arg(doc.to_string())
                .query_async::<()>(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// Deletes session event `seq` of `thread` (SQL backends: a Redis log is
/// a list, whose ordinals cannot have gaps).
async fn drop_event(f: &Fixture, thread: &ThreadKey, seq: i64) {
    match f.backend.kind() {
        BackendKind::Postgres => {
            let pool = sqlx::PgPool::connect(&f.url).await.unwrap();
            sqlx::query(
                "DELETE FROM session_events WHERE tenant_id = $1 AND thread_id = $2 AND seq = $3",
            )
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&f.url).await.unwrap();
            sqlx::query(
                "DELETE FROM session_events WHERE tenant_id = ? AND thread_id = ? AND seq = ?",
            )
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Redis => unreachable!("a Redis log has no gaps"),
    }
}

async fn a_clean_store_verifies_clean(f: &Fixture) {
    let b = &*f.backend;
    for t in [tk("acme", "one"), tk("globex", "two")] {
        linked_thread(f, &t, 5).await;
        b.append_events(&t, &[json!(1), json!(2), json!(3), json!(4), json!(5)])
            .await
            .unwrap();
        b.archive_events(&t, 2).await.unwrap();
    }
    let report = verify_all(f).await;
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(
        (report.threads, report.records, report.events),
        (2, 12, 6),
        "every record and unarchived event read, through pages of 2"
    );
}

async fn verify_finds_every_planted_problem(f: &Fixture) {
    let b = &*f.backend;
    let clean = tk("acme", "clean");
    linked_thread(f, &clean, 3).await;

    // An undecodable record (unsupported version 9 on Postgres and Redis,
    // bad JSON on SQLite) that another record names as its parent.
    let damaged = tk("acme", "damaged");
    let ids = linked_thread(f, &damaged, 2).await;
    let planted = "01900000-0000-7000-8000-000000000009";
    plant_unreadable(f, &damaged, 7, planted).await;
    let mut child = cp(&damaged, 8, json!("child of the unreadable one"));
    child.parent_id = Some(planted.parse().unwrap());
    b.put_checkpoint(&child, None).await.unwrap();

    // A record whose parent is not in its thread, and a version-2 record
    // whose checksum no longer matches its state.
    let orphan_parent = CheckpointId::new_v7();
    let mut orphan = cp(&damaged, 9, json!("orphan"));
    orphan.parent_id = Some(orphan_parent);
    let mut summed = cp(&damaged, 10, json!({"sum": 1}));
    summed.parent_id = Some(ids[1]);
    let batch = [
        StoredCheckpoint {
            checkpoint: orphan.clone(),
            schema_version: EnvelopeVersion::V1,
        },
        StoredCheckpoint {
            checkpoint: summed.clone(),
            schema_version: EnvelopeVersion::V2,
        },
    ];
    b.write_batch(&damaged, &batch, WriteMode::OnlyNew)
        .await
        .unwrap();
    break_checksum(f, &damaged, summed.id).await;

    // Gaps in the session log (where ordinals are stored: not Redis).
    let gapped = tk("globex", "gapped");
    linked_thread(f, &gapped, 1).await;
    b.append_events(&gapped, &(1..=8).map(|n| json!(n)).collect::<Vec<_>>())
        .await
        .unwrap();
    b.archive_events(&gapped, 1).await.unwrap();
    // And in the log of a thread that has no checkpoint.
    let log_only = tk("globex", "log-only");
    b.append_events(&log_only, &(1..=3).map(|n| json!(n)).collect::<Vec<_>>())
        .await
        .unwrap();
    let gaps = f.backend.kind() != BackendKind::Redis;
    if gaps {
        for seq in [3, 4, 6] {
            drop_event(f, &gapped, seq).await;
        }
        drop_event(f, &log_only, 2).await;
    }

    let report = verify_all(f).await;
    let mut found: Vec<(String, Option<String>, &str)> = report
        .problems
        .iter()
        .map(|p| (p.thread.to_string(), p.id.clone(), p.kind.code()))
        .collect();
    found.sort();
    let first_kind = match f.backend.kind() {
        BackendKind::Sqlite => "corrupt",
        _ => "unsupported_version",
    };
    let mut expected = vec![
        (
            "acme/damaged".to_string(),
            Some(planted.to_string()),
            first_kind,
        ),
        (
            "acme/damaged".into(),
            Some(orphan.id.to_string()),
            "missing_parent",
        ),
        (
            "acme/damaged".into(),
            Some(summed.id.to_string()),
            "corrupt",
        ),
    ];
    if gaps {
        expected.push(("globex/gapped".into(), None, "event_gap"));
        expected.push(("globex/gapped".into(), None, "event_gap"));
        expected.push(("globex/log-only".into(), None, "event_gap"));
    }
    expected.sort();
    assert_eq!(found, expected, "{:#?}", report.problems);
    assert_eq!(report.problem_count, expected.len() as u64);
    let text = |code: &str| {
        report
            .problems
            .iter()
            .filter(|p| p.kind.code() == code)
            .map(|p| p.kind.to_string())
            .collect::<Vec<_>>()
    };
    assert!(text("corrupt")
        .iter()
        .any(|m| m.contains("checksum mismatch")));
    assert_eq!(
        report
            .problems
            .iter()
            .find(|p| p.kind.code() == "missing_parent")
            .map(|p| p.kind.clone()),
        Some(ProblemKind::MissingParent(orphan_parent))
    );
    if gaps {
        let mut gap_texts = text("event_gap");
        gap_texts.sort();
        assert_eq!(
            gap_texts,
            [
                "session event 2 is missing",
                "session event 6 is missing",
                "session events 3..=4 are missing"
            ]
        );
    }

    // A selection checks only its threads.
    let options = VerifyOptions {
        selection: ThreadSelection {
            tenants: Some(parse_glob("acme").unwrap()),
            threads: Some(parse_glob("cl*").unwrap()),
        },
        page_size: 100,
    };
    let narrow = verify::run(b, &options, |_| {}).await.unwrap();
    assert!(narrow.is_clean(), "{:?}", narrow.problems);
    assert_eq!((narrow.threads, narrow.records), (1, 4));
}

/// A version-1 Redis envelope of record `id` at `step`, naming `owner`,
/// with `drop` removed from its body.
fn envelope(id: &str, owner: (&str, &str), step: u64, drop: Option<&str>) -> String {
    let mut doc = json!({"schema_version": 1, "body": {
        "id": id, "tenant_id": owner.0, "thread_id": owner.1, "parent_id": null,
        "step": step, "state": {"planted": true}, "next_node": null,
        "timestamp": "2026-11-25T16:40:27.123456Z"}});
    if let Some(field) = drop {
        doc["body"].as_object_mut().unwrap().remove(field);
    }
    doc.to_string()
}

async fn verify_finds_each_kind_of_damaged_record(f: &Fixture) {
    let clean = tk("acme", "clean");
    linked_thread(f, &clean, 2).await;
    let damaged = tk("acme", "damaged");
    linked_thread(f, &damaged, 1).await;
    let redis = f.backend.kind() == BackendKind::Redis;
    let ids: Vec<String> = (1..=6)
        .map(|n| format!("01900000-0000-7000-8000-00000000010{n}"))
        .collect();
    let mut expected: Vec<(String, &str, &str)> = Vec::new();

    // Bad JSON (Postgres keeps only valid JSON: a state that is no envelope).
    let bad_json = if f.backend.kind() == BackendKind::Postgres {
        r#""not an envelope""#
    } else {
        "{not json"
    };
    plant_raw(f, &damaged, 5, &ids[0], bad_json).await;
    expected.push((ids[0].clone(), "corrupt", ""));

    // A missing field: the state (SQL) or the step (Redis).
    if redis {
        let raw = envelope(&ids[1], ("acme", "damaged"), 6, Some("step"));
        plant_raw(f, &damaged, 6, &ids[1], &raw).await;
        expected.push((ids[1].clone(), "corrupt", "step"));
    } else {
        plant_raw(f, &damaged, 6, &ids[1], r#"{"schema_version": 1}"#).await;
        expected.push((ids[1].clone(), "corrupt", "state"));
    }

    if redis {
        // An empty stored tenant.
        let raw = envelope(&ids[2], ("", "damaged"), 7, None);
        plant_raw(f, &damaged, 7, &ids[2], &raw).await;
        expected.push((ids[2].clone(), "corrupt", "tenant"));
        // A sorted-set member without an envelope, and an envelope
        // without a sorted-set member.
        plant_redis(f, &damaged, 8, &ids[3], None, true).await;
        expected.push((ids[3].clone(), "missing_envelope", ""));
        let raw = envelope(&ids[4], ("acme", "damaged"), 9, None);
        plant_redis(f, &damaged, 9, &ids[4], Some(&raw), false).await;
        expected.push((ids[4].clone(), "unindexed", ""));
        // A record naming another tenant and thread than its keys.
        let raw = envelope(&ids[5], ("globex", "elsewhere"), 10, None);
        plant_raw(f, &damaged, 10, &ids[5], &raw).await;
        expected.push((ids[5].clone(), "misplaced", "globex"));
    }

    let report = verify_all(f).await;
    let mut found: Vec<(String, &str)> = report
        .problems
        .iter()
        .map(|p| {
            assert_eq!(p.thread, damaged, "{p:?}");
            (p.id.clone().unwrap(), p.kind.code())
        })
        .collect();
    found.sort();
    let mut wanted: Vec<(String, &str)> =
        expected.iter().map(|(i, k, _)| (i.clone(), *k)).collect();
    wanted.sort();
    assert_eq!(found, wanted, "{:#?}", report.problems);
    assert_eq!(report.problem_count, expected.len() as u64);
    for (id, _, says) in &expected {
        let problem = report
            .problems
            .iter()
            .find(|p| p.id.as_deref() == Some(id.as_str()))
            .unwrap();
        assert!(
            problem.kind.to_string().contains(says),
            "{id}: {} should mention {says:?}",
            problem.kind
        );
    }

    // The clean thread alone verifies clean.
    let options = VerifyOptions {
        selection: ThreadSelection {
            tenants: None,
            threads: Some(parse_glob("clean").unwrap()),
        },
        page_size: 2,
    };
    let narrow = verify::run(&*f.backend, &options, |_| {}).await.unwrap();
    assert!(narrow.is_clean(), "{:?}", narrow.problems);
    assert_eq!(narrow.records, 3);
}

async fn rm_deletes_one_thread_and_nothing_else(f: &Fixture) {
    let b = &*f.backend;
    let options = RmOptions {
        lock_ttl: Duration::from_secs(10),
        lock_wait: Duration::ZERO,
    };
    // The same thread id in another tenant, and another thread of the tenant.
    let (doomed, twin, other) = (
        tk("acme", "doomed"),
        tk("globex", "doomed"),
        tk("acme", "other"),
    );
    for t in [&doomed, &twin, &other] {
        linked_thread(f, t, 3).await;
        b.append_events(t, &[json!(1), json!(2)]).await.unwrap();
    }
    let before_twin = b.checkpoint_history(&twin, None, None).await.unwrap();
    let before_other = b.checkpoint_history(&other, None, None).await.unwrap();

    // A held session lock stops it, and nothing is deleted.
    let guard = b
        .try_acquire(&doomed, Duration::from_secs(10))
        .await
        .unwrap()
        .expect("free lock");
    let busy = remove_thread(b, &doomed, &options).await;
    assert!(matches!(busy, Err(Error::LockBusy { .. })), "{busy:?}");
    assert_eq!(
        b.checkpoint_history(&doomed, None, None)
            .await
            .unwrap()
            .len(),
        4
    );
    guard.release().await.unwrap();

    let gone = remove_thread(b, &doomed, &options).await.unwrap();
    assert_eq!(
        (gone.checkpoints, gone.events, gone.shared_log_kept),
        (4, 2, false)
    );
    assert!(b.latest_checkpoint(&doomed).await.unwrap().is_none());
    assert!(!thread_exists(b, &doomed).await.unwrap());
    assert!(b
        .try_acquire(&doomed, Duration::from_secs(1))
        .await
        .unwrap()
        .is_some());

    assert_eq!(
        b.checkpoint_history(&twin, None, None).await.unwrap(),
        before_twin
    );
    assert_eq!(
        b.checkpoint_history(&other, None, None).await.unwrap(),
        before_other
    );
    for t in [&twin, &other] {
        assert_eq!(b.load_events(t, 0, None).await.unwrap().len(), 2, "{t}");
    }
    let report = verify_all(f).await;
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.threads, 2);
}

/// Writes `(id, parent, step)` records of `thread` at `timestamp`.
async fn tree(
    f: &Fixture,
    thread: &ThreadKey,
    shape: &[(CheckpointId, Option<CheckpointId>, u64)],
    timestamp: &str,
) {
    let records: Vec<StoredCheckpoint> = shape
        .iter()
        .map(|(id, parent, step)| {
            let mut c = cp(thread, *step, json!({"step": step, "pad": "xxxxxxxx"}));
            c.id = *id;
            c.parent_id = *parent;
            c.timestamp = chrono::DateTime::parse_from_rfc3339(timestamp)
                .unwrap()
                .with_timezone(&chrono::Utc);
            StoredCheckpoint {
                checkpoint: c,
                schema_version: EnvelopeVersion::V1,
            }
        })
        .collect();
    f.backend
        .write_batch(thread, &records, WriteMode::OnlyNew)
        .await
        .unwrap();
}

/// A chain of `n` records, steps 0.., ids returned oldest first.
async fn chain(f: &Fixture, thread: &ThreadKey, n: u64, timestamp: &str) -> Vec<CheckpointId> {
    let ids: Vec<CheckpointId> = (0..n).map(|_| CheckpointId::new_v7()).collect();
    let shape: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i.checked_sub(1).map(|p| ids[p]), i as u64))
        .collect();
    tree(f, thread, &shape, timestamp).await;
    ids
}

async fn ids_of(f: &Fixture, thread: &ThreadKey) -> std::collections::BTreeSet<CheckpointId> {
    f.backend
        .checkpoint_history(thread, None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.checkpoint.id)
        .collect()
}

async fn prune_with(f: &Fixture, keep_last: usize, dry_run: bool) -> PruneReport {
    let options = PruneOptions {
        selection: ThreadSelection {
            tenants: Some(parse_glob("acme").unwrap()),
            threads: None,
        },
        exclude: Some(parse_glob("idle-kept").unwrap()),
        keep_last: Some(keep_last),
        events_keep_last: Some(1),
        idle_before: Some(chrono::Utc::now() - chrono::Duration::days(1)),
        dry_run,
        batch_size: 2,
        lock_ttl: Duration::from_secs(10),
        vacuum: false,
    };
    let mut last = None;
    let report = prune::run(&*f.backend, &options, |p| last = Some(*p))
        .await
        .unwrap();
    let last = last.expect("progress reported");
    assert_eq!(
        (last.threads, last.records),
        (report.threads, report.scanned)
    );
    report
}

async fn prune_keeps_branch_windows_and_the_store_verifies_clean(f: &Fixture) {
    let b = &*f.backend;
    let now = chrono::Utc::now().to_rfc3339();
    // r0 - r1 - r2 - r3 - r4, and a side branch r1 - s2 - s3.
    let (t, r): (ThreadKey, Vec<CheckpointId>) = {
        let t = tk("acme", "tree");
        (t.clone(), chain(f, &t, 5, &now).await)
    };
    let (s2, s3) = (CheckpointId::new_v7(), CheckpointId::new_v7());
    tree(f, &t, &[(s2, Some(r[1]), 2), (s3, Some(s2), 3)], &now).await;
    let idle = tk("acme", "idle");
    chain(f, &idle, 3, "2020-01-01T00:00:00Z").await;
    b.append_events(&idle, &[json!(1), json!(2)]).await.unwrap();
    let idle_kept = tk("acme", "idle-kept");
    chain(f, &idle_kept, 3, "2020-01-01T00:00:00Z").await;
    let fresh = tk("acme", "fresh");
    chain(f, &fresh, 1, &now).await;
    b.append_events(&fresh, &[json!(1), json!(2), json!(3)])
        .await
        .unwrap();
    let busy = tk("acme", "busy");
    chain(f, &busy, 4, &now).await;
    let elsewhere = tk("globex", "tree");
    chain(f, &elsewhere, 4, "2020-01-01T00:00:00Z").await;
    let everything = [&t, &idle, &idle_kept, &fresh, &busy, &elsewhere];
    let mut before = Vec::new();
    for thread in everything {
        before.push(ids_of(f, thread).await);
    }
    let latest = b.latest_checkpoint(&t).await.unwrap().unwrap();

    // A dry run counts and changes nothing.
    let dry = prune_with(f, 2, true).await;
    assert_eq!(
        (
            dry.threads,
            dry.threads_deleted,
            dry.checkpoints,
            dry.events,
            dry.dry_run
        ),
        (4, 1, 3 + 3 + 2, 2, true)
    );
    assert!(dry.bytes > 0 && dry.busy.is_empty());
    assert_eq!(dry.events_archived, 2, "all but the last event of fresh");
    assert_eq!(b.log_bounds(&fresh).await.unwrap().watermark, 0);
    for (thread, ids) in everything.iter().zip(&before) {
        assert_eq!(
            &ids_of(f, thread).await,
            ids,
            "{thread} untouched by a dry run"
        );
    }

    // A held lock skips its thread.
    let guard = b
        .try_acquire(&busy, Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    let done = prune_with(f, 2, false).await;
    guard.release().await.unwrap();
    assert_eq!(
        (
            done.threads,
            done.threads_deleted,
            done.checkpoints,
            done.events
        ),
        (4, 1, 3 + 3, 2)
    );
    assert_eq!(done.busy, vec![busy.clone()]);
    assert_eq!(
        done.scanned,
        7 + 3 + 1,
        "tree, idle and fresh read; busy skipped"
    );
    assert_eq!(done.events_archived, 2);
    let events = b.load_events(&fresh, 0, None).await.unwrap();
    assert_eq!(events.iter().map(|e| e.ordinal).collect::<Vec<_>>(), [3]);
    let window: std::collections::BTreeSet<_> = [r[3], r[4], s2, s3].into();
    assert_eq!(
        ids_of(f, &t).await,
        window,
        "each head with its nearest ancestor"
    );
    assert_eq!(b.latest_checkpoint(&t).await.unwrap().unwrap(), latest);
    assert!(
        !thread_exists(b, &idle).await.unwrap(),
        "idle thread gone whole"
    );
    for (thread, ids) in everything.iter().zip(&before).skip(2) {
        assert_eq!(&ids_of(f, thread).await, ids, "{thread} kept");
    }
    let report = verify_all(f).await;
    assert!(
        report.is_clean(),
        "pruned parents are no damage: {:?}",
        report.problems
    );

    // Pruning further keeps the store verifying clean.
    let again = prune_with(f, 1, false).await;
    assert_eq!(
        (again.checkpoints, again.busy.len(), again.events_archived),
        (2 + 3, 0, 0)
    );
    assert_eq!(ids_of(f, &t).await, [r[4], s3].into());
    assert_eq!(ids_of(f, &busy).await.len(), 1);
    let report = verify_all(f).await;
    assert!(report.is_clean(), "{:?}", report.problems);

    // A parent removed by anything else than prune is still reported.
    b.delete_checkpoints(&elsewhere, &[*before[5].iter().nth(1).unwrap()])
        .await
        .unwrap();
    assert_eq!(verify_all(f).await.problem_count, 1);
}

on_every_backend!(crate::run =>
    prune_keeps_branch_windows_and_the_store_verifies_clean,
    a_clean_store_verifies_clean,
    verify_finds_every_planted_problem,
    verify_finds_each_kind_of_damaged_record,
    rm_deletes_one_thread_and_nothing_else,
);
