//! Checkpoints: ordering, limits, duplicate and stale writes, envelope
//! versions and metadata, forks, exact round trips, thread summaries.

use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use threadctl::backend::{
    CheckpointBackend, ThreadListing, ThreadSummary, WriteVersionAdmin, WRITE_VERSION_REFRESH,
};
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, Checkpoint, Checkpointer, ConflictKind, EnvelopeVersion, Error};

use crate::{cp, id, meta, tk, Fixture};

fn ids(list: &[StoredCheckpoint]) -> Vec<String> {
    list.iter().map(|s| s.checkpoint.id.to_string()).collect()
}

fn ts(raw: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw)
        .expect("timestamp")
        .with_timezone(&Utc)
}

/// Steps 0..n written in order through the typed API; returns them.
async fn chain(b: &Backend, thread: &threadctl::ThreadKey, n: u64) -> Vec<Checkpoint<Value>> {
    let mut out = Vec::new();
    for step in 0..n {
        let mut c = cp(thread, step, json!({"step": step}));
        c.parent_id = out.last().map(|p: &Checkpoint<Value>| p.id);
        Checkpointer::put(b, &c).await.expect("put");
        out.push(c);
    }
    out
}

async fn latest_and_history_order_by_step_then_greatest_id(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "order");
    assert!(b.latest_checkpoint(&t).await.unwrap().is_none());
    assert!(b
        .checkpoint_history(&t, None, None)
        .await
        .unwrap()
        .is_empty());

    // Equal steps written in an order unrelated to their ids: the greatest
    // id must win, whatever the insertion order (digits sort before letters).
    let lows = [
        "0193c0de-0000-7000-8000-9fffffffffff",
        "0193c0de-0000-7000-8000-a00000000000",
        "0193c0de-0000-7000-8000-000000000001",
    ];
    let mut step1 = Vec::new();
    for raw in lows {
        let mut c = cp(&t, 1, json!({"id": raw}));
        c.id = id(raw);
        b.put_checkpoint(&c, None).await.unwrap();
        step1.push(c);
    }
    let mut zero = cp(&t, 0, json!("root"));
    zero.id = id("0193c0de-0000-7000-8000-ffffffffffff");
    b.put_checkpoint(&zero, None).await.unwrap();

    let latest = b.latest_checkpoint(&t).await.unwrap().unwrap();
    assert_eq!(latest.checkpoint.id, id(lows[1]));
    let history = b.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(
        ids(&history),
        vec![
            lows[1],
            lows[0],
            lows[2],
            "0193c0de-0000-7000-8000-ffffffffffff"
        ]
    );

    // Forks of the same parent make equal steps too; newest-first is
    // (step desc, id desc) for them as well.
    let f1 = b
        .fork_checkpoint(&t, zero.id, json!("f1"), Map::new())
        .await
        .unwrap();
    let f2 = b
        .fork_checkpoint(&t, zero.id, json!("f2"), Map::new())
        .await
        .unwrap();
    assert_eq!(f1.checkpoint.step, 1);
    assert_eq!(f2.checkpoint.step, 1);
    let history = b.checkpoint_history(&t, None, None).await.unwrap();
    let mut expected: Vec<(u64, String)> = history
        .iter()
        .map(|s| (s.checkpoint.step, s.checkpoint.id.to_string()))
        .collect();
    expected.sort_by(|a, b| b.cmp(a));
    let got: Vec<(u64, String)> = history
        .iter()
        .map(|s| (s.checkpoint.step, s.checkpoint.id.to_string()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 6);
    let latest = b.latest_checkpoint(&t).await.unwrap().unwrap();
    assert_eq!(latest.checkpoint.id.to_string(), got[0].1);

    // A higher step beats any id.
    let mut top = cp(&t, 2, json!("top"));
    top.id = id("0193c0de-0000-7000-8000-000000000000");
    b.put_checkpoint(&top, None).await.unwrap();
    assert_eq!(
        b.latest_checkpoint(&t)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .id,
        top.id
    );
    let typed: Option<Checkpoint<Value>> = Checkpointer::latest(b, &t).await.unwrap();
    assert_eq!(typed.unwrap(), top);
}

async fn history_limits_and_before(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "limits");
    let written = chain(b, &t, 5).await;
    let newest_first: Vec<String> = written.iter().rev().map(|c| c.id.to_string()).collect();

    let all = b.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(ids(&all), newest_first);
    assert!(b
        .checkpoint_history(&t, Some(0), None)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ids(&b.checkpoint_history(&t, Some(1), None).await.unwrap()),
        newest_first[..1]
    );
    assert_eq!(
        ids(&b.checkpoint_history(&t, Some(3), None).await.unwrap()),
        newest_first[..3]
    );
    assert_eq!(
        ids(&b.checkpoint_history(&t, Some(50), None).await.unwrap()),
        newest_first
    );
    let typed: Vec<Checkpoint<Value>> = Checkpointer::history(b, &t, Some(2)).await.unwrap();
    assert_eq!(
        typed,
        written.iter().rev().take(2).cloned().collect::<Vec<_>>()
    );

    // `before` starts strictly after that checkpoint, newest first.
    let before = written[3].id;
    assert_eq!(
        ids(&b
            .checkpoint_history(&t, Some(2), Some(before))
            .await
            .unwrap()),
        newest_first[2..4]
    );
    assert_eq!(
        ids(&b.checkpoint_history(&t, None, Some(before)).await.unwrap()),
        newest_first[2..]
    );
    assert!(b
        .checkpoint_history(&t, None, Some(written[0].id))
        .await
        .unwrap()
        .is_empty());

    // `before` must belong to the thread.
    let other = tk("acme", "limits-other");
    let foreign = chain(b, &other, 1).await;
    for missing in [foreign[0].id, threadctl::CheckpointId::new_v7()] {
        assert!(matches!(
            b.checkpoint_history(&t, Some(2), Some(missing)).await,
            Err(Error::NotFound(_))
        ));
    }
}

async fn put_refuses_duplicates_and_stale_expectations(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "put");
    let first = cp(&t, 0, json!({"v": 1}));

    // Expecting a latest on an empty thread is stale, worded alike everywhere.
    let expected = threadctl::CheckpointId::new_v7();
    let err = Checkpointer::put_if_latest(b, &first, expected)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::StaleLatest, message }
            if *message == format!("expected {expected} to be the latest checkpoint of {t}, but the thread is empty")),
        "{err}"
    );
    assert!(b.latest_checkpoint(&t).await.unwrap().is_none());

    Checkpointer::put(b, &first).await.unwrap();
    let mut dup = first.clone();
    dup.state = json!({"v": "overwritten?"});
    dup.step = 9;
    let err = Checkpointer::put(b, &dup).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::DuplicateId, message }
            if *message == format!("checkpoint {} already exists in thread {t}; checkpoints are never overwritten", first.id)),
        "{err}"
    );
    let stored = b.get_checkpoint(&t, first.id).await.unwrap().unwrap();
    assert_eq!(stored.checkpoint.state, json!({"v": 1}));
    assert_eq!(stored.checkpoint.step, 0);

    let second = cp(&t, 1, json!({"v": 2}));
    Checkpointer::put_if_latest(b, &second, first.id)
        .await
        .unwrap();
    let stale = cp(&t, 2, json!({"v": 3}));
    let err = Checkpointer::put_if_latest(b, &stale, first.id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::StaleLatest, message }
            if *message == format!("expected {} to be the latest checkpoint of {t}, but the latest is {}", first.id, second.id)),
        "{err}"
    );
    assert!(b.get_checkpoint(&t, stale.id).await.unwrap().is_none());
    assert_eq!(b.checkpoint_history(&t, None, None).await.unwrap().len(), 2);
    Checkpointer::put_if_latest(b, &stale, second.id)
        .await
        .unwrap();
    assert_eq!(
        b.latest_checkpoint(&t)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .id,
        stale.id
    );
}

async fn metadata_needs_v2_and_v2_records_the_source(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "meta");
    assert_eq!(b.write_version(), EnvelopeVersion::V1);
    assert_eq!(
        b.refresh_write_version().await.unwrap(),
        EnvelopeVersion::V1
    );

    let mut with_meta = cp(&t, 0, json!(1));
    with_meta.metadata = meta(json!({"by": "ops"}));
    assert!(matches!(
        b.put_checkpoint(&with_meta, None).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(b.latest_checkpoint(&t).await.unwrap().is_none());

    let plain = cp(&t, 0, json!({"a": 1}));
    Checkpointer::put(b, &plain).await.unwrap();
    let stored = b.get_checkpoint(&t, plain.id).await.unwrap().unwrap();
    assert_eq!(stored.schema_version, EnvelopeVersion::V1);
    assert!(stored.checkpoint.metadata.is_empty());

    b.set_write_version(EnvelopeVersion::V2).await.unwrap();
    assert_eq!(b.write_version(), EnvelopeVersion::V2);
    let v2 = cp(&t, 1, json!({"b": [1, 2]}));
    Checkpointer::put(b, &v2).await.unwrap();
    let stored = b.get_checkpoint(&t, v2.id).await.unwrap().unwrap();
    assert_eq!(stored.schema_version, EnvelopeVersion::V2);
    assert_eq!(stored.checkpoint.metadata["source"], "put");
    assert_eq!(stored.checkpoint.state, json!({"b": [1, 2]}));

    b.put_checkpoint(&with_meta, None).await.unwrap();
    let stored = b.get_checkpoint(&t, with_meta.id).await.unwrap().unwrap();
    assert_eq!(stored.checkpoint, with_meta);
    assert_eq!(stored.schema_version, EnvelopeVersion::V2);

    // The v1 record written earlier still reads as v1.
    let old = b.get_checkpoint(&t, plain.id).await.unwrap().unwrap();
    assert_eq!(old.schema_version, EnvelopeVersion::V1);
}

async fn fork_branches_from_the_parent(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "fork");
    b.set_write_version(EnvelopeVersion::V2).await.unwrap();
    let mut parent = cp(&t, 3, json!({"n": 3}));
    parent.next_node = Some("tools".into());
    Checkpointer::put(b, &parent).await.unwrap();

    let forked = b
        .fork_checkpoint(
            &t,
            parent.id,
            json!({"n": 4}),
            meta(json!({"why": "retry"})),
        )
        .await
        .unwrap();
    let c = &forked.checkpoint;
    assert_eq!(forked.schema_version, EnvelopeVersion::V2);
    assert_ne!(c.id, parent.id);
    assert_eq!(c.step, 4);
    assert_eq!(c.parent_id, Some(parent.id));
    assert_eq!(c.next_node.as_deref(), Some("tools"));
    assert_eq!(c.tenant_id, t.tenant);
    assert_eq!(c.thread_id, t.thread);
    assert_eq!(c.state, json!({"n": 4}));
    assert_eq!(c.metadata["source"], "fork");
    assert_eq!(c.metadata["why"], "retry");
    assert_eq!(
        c.metadata["forked_from"],
        json!({"thread_id": "fork", "checkpoint_id": parent.id.to_string()})
    );
    assert_eq!(c.timestamp.timestamp_subsec_nanos() % 1000, 0);
    assert_eq!(b.get_checkpoint(&t, c.id).await.unwrap().unwrap(), forked);
    assert_eq!(b.latest_checkpoint(&t).await.unwrap().unwrap(), forked);

    // At v1 a fork records nothing and refuses caller metadata.
    b.set_write_version(EnvelopeVersion::V1).await.unwrap();
    let typed: Checkpoint<Value> = Checkpointer::fork(b, &t, c.id, &json!("v1 fork"))
        .await
        .unwrap();
    assert_eq!(typed.step, 5);
    assert!(typed.metadata.is_empty());
    let stored = b.get_checkpoint(&t, typed.id).await.unwrap().unwrap();
    assert_eq!(stored.schema_version, EnvelopeVersion::V1);
    assert_eq!(stored.checkpoint, typed);
    assert!(matches!(
        b.fork_checkpoint(&t, typed.id, json!(0), meta(json!({"x": 1})))
            .await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(b.checkpoint_history(&t, None, None).await.unwrap().len(), 3);
}

async fn fork_from_elsewhere_writes_nothing(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "fork-home");
    let other = tk("acme", "fork-other");
    let mine = chain(b, &t, 1).await;
    let theirs = chain(b, &other, 2).await;
    for parent in [theirs[1].id, threadctl::CheckpointId::new_v7()] {
        assert!(matches!(
            b.fork_checkpoint(&t, parent, json!("x"), Map::new()).await,
            Err(Error::NotFound(_))
        ));
    }
    assert_eq!(
        ids(&b.checkpoint_history(&t, None, None).await.unwrap()),
        vec![mine[0].id.to_string()]
    );
    assert_eq!(
        b.checkpoint_history(&other, None, None)
            .await
            .unwrap()
            .len(),
        2
    );
    let empty = tk("acme", "fork-empty");
    assert!(matches!(
        b.fork_checkpoint(&empty, mine[0].id, json!("x"), Map::new())
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(b.latest_checkpoint(&empty).await.unwrap().is_none());
}

fn rich_state() -> Value {
    json!({
        "messages": [{"role": "user", "content": "héllo ✓ \"quoted\" \\ back"}],
        "nested": {"z": 1, "a": [null, true, false, 1.5, -7, 12345678901234u64]},
        "empty": {},
        "list": [],
        "unicode": "日本語 🚀"
    })
}

async fn records_round_trip_exactly(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "roundtrip");
    let parent = cp(&t, 0, json!(null));
    b.put_checkpoint(&parent, None).await.unwrap();
    for (step, raw_ts) in [
        (1, "2026-11-25T16:40:27.123456Z"),
        (2, "2026-11-25T16:40:27Z"),
        (3, "2026-11-25T16:40:27.120Z"),
    ] {
        let mut c = cp(&t, step, rich_state());
        c.parent_id = Some(parent.id);
        c.next_node = None;
        c.timestamp = ts(raw_ts);
        b.put_checkpoint(&c, None).await.unwrap();
        let back = b.get_checkpoint(&t, c.id).await.unwrap().unwrap();
        assert_eq!(back.checkpoint, c);
        assert_eq!(back.schema_version, EnvelopeVersion::V1);
    }
    // A new write keeps microseconds only, on every backend alike.
    let mut nanos = cp(&t, 4, rich_state());
    nanos.timestamp = ts("2026-11-25T16:40:27.123456789Z");
    b.put_checkpoint(&nanos, None).await.unwrap();
    let back = b.get_checkpoint(&t, nanos.id).await.unwrap().unwrap();
    assert_eq!(back.checkpoint.timestamp, ts("2026-11-25T16:40:27.123456Z"));

    let now = cp(&t, 9, rich_state());
    Checkpointer::put(b, &now).await.unwrap();
    let back: Checkpoint<Value> = Checkpointer::get(b, &t, now.id).await.unwrap().unwrap();
    assert_eq!(back, now);

    b.set_write_version(EnvelopeVersion::V2).await.unwrap();
    let mut v2 = cp(&t, 10, rich_state());
    v2.metadata = meta(json!({"source": "put", "k": {"deep": [1]}}));
    b.put_checkpoint(&v2, None).await.unwrap();
    let back = b.get_checkpoint(&t, v2.id).await.unwrap().unwrap();
    assert_eq!(back.checkpoint, v2);
    assert_eq!(back.schema_version, EnvelopeVersion::V2);

    // Postgres keeps no negative zero; the v2 checksum must still verify.
    let zero = cp(&t, 11, serde_json::from_str(r#"{"t": -0.0}"#).unwrap());
    b.put_checkpoint(&zero, None).await.unwrap();
    let back = b.get_checkpoint(&t, zero.id).await.unwrap().unwrap();
    assert_eq!(back.checkpoint.state["t"].as_f64(), Some(0.0));

    // Typed states round-trip too.
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug, Clone)]
    struct Typed {
        turn: u32,
        notes: Vec<String>,
    }
    let typed = Checkpoint::new(
        &t,
        None,
        11,
        Typed {
            turn: 2,
            notes: vec!["a".into()],
        },
        Some("agent".into()),
    );
    b.set_write_version(EnvelopeVersion::V1).await.unwrap();
    Checkpointer::put(b, &typed).await.unwrap();
    let back: Checkpoint<Typed> = Checkpointer::get(b, &t, typed.id).await.unwrap().unwrap();
    assert_eq!(back, typed);
}

async fn write_version_round_trips_and_is_read_at_open(f: &Fixture) {
    let b = &*f.backend;
    b.set_write_version(EnvelopeVersion::V2).await.unwrap();
    assert_eq!(b.write_version(), EnvelopeVersion::V2);
    assert_eq!(
        b.refresh_write_version().await.unwrap(),
        EnvelopeVersion::V2
    );

    let second = Backend::open(&f.url).await.unwrap();
    assert_eq!(second.write_version(), EnvelopeVersion::V2);

    second.set_write_version(EnvelopeVersion::V1).await.unwrap();
    assert_eq!(
        b.refresh_write_version().await.unwrap(),
        EnvelopeVersion::V1
    );
    assert_eq!(b.write_version(), EnvelopeVersion::V1);
}

/// A write version another handle (another process, a `migrate` run)
/// sets reaches a long-lived handle that never re-reads it itself within
/// a bounded time, and its writes then use it.
async fn a_changed_write_version_is_seen_within_the_refresh_interval(f: &Fixture) {
    let b = &*f.backend;
    assert_eq!(b.write_version(), EnvelopeVersion::V1);
    let other = Backend::open(&f.url).await.unwrap();
    other.set_write_version(EnvelopeVersion::V2).await.unwrap();
    let bound = WRITE_VERSION_REFRESH * 3;
    let started = std::time::Instant::now();
    while b.write_version() != EnvelopeVersion::V2 {
        assert!(
            started.elapsed() < bound,
            "the change was not seen within {bound:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let t = tk("acme", "after-migrate");
    let c = cp(&t, 0, json!(1));
    Checkpointer::put(b, &c).await.unwrap();
    let stored = b.get_checkpoint(&t, c.id).await.unwrap().unwrap();
    assert_eq!(stored.schema_version, EnvelopeVersion::V2);
    assert_eq!(stored.checkpoint.metadata["source"], "put");
}

/// A summary's latest step and last write are those of the checkpoint
/// `latest` names (greatest step, then greatest id), not of the newest
/// clock or the last row written.
async fn summaries_name_the_latest_checkpoint_when_steps_ids_and_clocks_disagree(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("sum-latest", "t");
    let at = |secs: i64| chrono::DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap();
    // (id, step, written at): the latest is the step-2 checkpoint with the
    // greater id, written before its sibling; a step-1 fork is the newest.
    let shape = [
        ("0193c0de-0000-7000-8000-000000000001", 0, 0),
        ("0193c0de-0000-7000-8000-a00000000000", 2, 10),
        ("0193c0de-0000-7000-8000-9fffffffffff", 2, 20),
        ("0193c0de-0000-7000-8000-ffffffffffff", 1, 30),
    ];
    for (raw, step, secs) in shape {
        let mut c = cp(&t, step, json!({"id": raw}));
        c.id = id(raw);
        c.timestamp = at(secs);
        b.put_checkpoint(&c, None).await.unwrap();
    }
    let latest = b.latest_checkpoint(&t).await.unwrap().unwrap().checkpoint;
    assert_eq!(latest.id, id(shape[1].0));
    let summaries = b.list_threads(Some(&t.tenant)).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].checkpoints, 4);
    assert_eq!(summaries[0].latest_step, Some(2));
    assert_eq!(summaries[0].last_write, Some(latest.timestamp));
    assert_eq!(summaries[0].last_write, Some(at(10)));
}

async fn thread_summaries(f: &Fixture) {
    let b = &*f.backend;
    let a1 = tk("sum-a", "t1");
    let a2 = tk("sum-a", "t2");
    let other = tk("sum-b", "t1");
    chain(b, &a1, 3).await;
    let t2 = chain(b, &a2, 1).await;
    chain(b, &other, 2).await;

    let threads = b.list_threads(Some(&a1.tenant)).await.unwrap();
    let keys: Vec<_> = threads.iter().map(|s| s.thread.clone()).collect();
    assert_eq!(keys, vec![a1.clone(), a2.clone()]);
    assert_eq!(threads[0].checkpoints, 3);
    assert_eq!(threads[0].latest_step, Some(2));
    assert_eq!(threads[1].checkpoints, 1);
    assert_eq!(threads[1].last_write, Some(t2[0].timestamp));

    let all = b.list_threads(None).await.unwrap();
    let keys: Vec<_> = all.iter().map(|s| s.thread.clone()).collect();
    assert_eq!(keys, vec![a1.clone(), a2, other.clone()]);
    let tenants = b.list_tenants().await.unwrap();
    assert!(tenants.contains(&a1.tenant) && tenants.contains(&other.tenant));
}

/// Pages of the listing, each at most `page_size`, until the sink breaks
/// after `stop_after` pages (if given).
async fn summary_pages(
    b: &Backend,
    tenant: Option<&threadctl::TenantId>,
    after: Option<&threadctl::ThreadKey>,
    page_size: usize,
    stop_after: Option<usize>,
) -> Vec<Vec<ThreadSummary>> {
    let mut pages = Vec::new();
    b.summary_pages(tenant, after, page_size, &mut |page| {
        pages.push(page);
        Ok(if stop_after.is_some_and(|n| pages.len() >= n) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })
    .await
    .expect("summary pages");
    pages
}

async fn summary_pages_cover_every_thread_once_in_key_order(f: &Fixture) {
    let b = &*f.backend;
    let mut expected = Vec::new();
    for i in 0..23 {
        let thread = tk("pages-a", &format!("t{i:02}"));
        chain(b, &thread, 1 + i % 3).await;
        expected.push((thread, 1 + i % 3));
    }
    // On Redis a ':' gives the keys several readings: this pair is read
    // from its records, the others by key.
    let shared = tk("pages-a:x", "t");
    chain(b, &shared, 2).await;
    expected.push((shared, 2));
    chain(b, &tk("pages-b", "t00"), 1).await;
    expected.sort();

    let tenant = tk("pages-a", "-").tenant;
    let pages = summary_pages(b, None, None, 5, None).await;
    assert!(
        pages.iter().all(|p| !p.is_empty() && p.len() <= 5),
        "{pages:?}"
    );
    let listed: Vec<(threadctl::ThreadKey, u64)> = pages
        .iter()
        .flatten()
        .filter(|s| s.thread.tenant.as_str().starts_with("pages-a"))
        .map(|s| (s.thread.clone(), s.checkpoints))
        .collect();
    assert_eq!(listed, expected, "every thread once, in key order");
    let all: Vec<_> = pages.iter().flatten().map(|s| s.thread.clone()).collect();
    assert_eq!(all.len(), 25);
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "sorted without duplicates"
    );
    let newest = pages
        .iter()
        .flatten()
        .find(|s| s.thread == expected[2].0)
        .unwrap();
    assert_eq!(newest.latest_step, Some(expected[2].1 - 1));

    let one_tenant = summary_pages(b, Some(&tenant), None, 4, None).await;
    let keys: Vec<_> = one_tenant
        .iter()
        .flatten()
        .map(|s| s.thread.clone())
        .collect();
    let of_tenant: Vec<_> = expected
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k.tenant == tenant)
        .collect();
    assert_eq!(keys, of_tenant);

    let resumed = summary_pages(b, Some(&tenant), Some(&of_tenant[9]), 4, None).await;
    let keys: Vec<_> = resumed.iter().flatten().map(|s| s.thread.clone()).collect();
    assert_eq!(
        keys,
        of_tenant[10..],
        "resumes strictly after the given pair"
    );

    let stopped = summary_pages(b, Some(&tenant), None, 4, Some(2)).await;
    assert_eq!(stopped.len(), 2, "a break ends the listing");
    assert_eq!(stopped.concat().len(), 8);
}

on_every_backend!(crate::run =>
    latest_and_history_order_by_step_then_greatest_id,
    history_limits_and_before,
    put_refuses_duplicates_and_stale_expectations,
    metadata_needs_v2_and_v2_records_the_source,
    fork_branches_from_the_parent,
    fork_from_elsewhere_writes_nothing,
    records_round_trip_exactly,
    write_version_round_trips_and_is_read_at_open,
    a_changed_write_version_is_seen_within_the_refresh_interval,
    thread_summaries,
    summaries_name_the_latest_checkpoint_when_steps_ids_and_clocks_disagree,
    summary_pages_cover_every_thread_once_in_key_order,
);
