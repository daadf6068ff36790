//! Transfers out of and into Redis where ids containing `:` make keys
//! ambiguous (FORMAT.md, "Redis layout"), and source records a transfer
//! cannot carry (corrupt, NUL characters bound for Postgres): each is
//! reported with its tenant, thread and id, and the rest is copied.

use serde_json::{json, Value};
use threadctl::backend::{BulkEvents, CheckpointBackend, SessionLogBackend, StoreBackend};
use threadctl::ops::copy::{self, CopyOptions};
use threadctl::ops::export::{self, ExportOptions};
use threadctl::ops::transfer::{AmbiguityPolicy, ProblemKind, TransferSelection, TransferTally};
use threadctl::{Backend, BackendKind, ThreadKey};

use crate::common::TestStore;
use crate::transfer::on_stores;
use crate::{ns, tk};

/// Runs a raw command on the Redis store behind `store`.
fn raw<T: redis::FromRedisValue>(store: &TestStore, cmd: &mut redis::Cmd) -> T {
    let TestStore::Redis(db) = store else {
        panic!("a Redis store")
    };
    cmd.query(&mut db.connection()).expect("raw redis command")
}

/// Plants a checkpoint of `owner` into the keys `stored_as` uses, by
/// rewriting one of `stored_as`'s envelopes: two pairs then share keys, as
/// the reference's services leave them.
async fn plant_shared_checkpoint(
    store: &TestStore,
    b: &Backend,
    stored_as: &ThreadKey,
    owner: &ThreadKey,
) {
    let first = crate::cp(stored_as, 0, json!({"of": stored_as.to_string()}));
    b.put_checkpoint(&first, None).await.unwrap();
    let byid = format!("entelix:cp:{}:{}:byid", stored_as.tenant, stored_as.thread);
    let bystep = format!(
        "entelix:cp:{}:{}:bystep",
        stored_as.tenant, stored_as.thread
    );
    let envelope: String = raw(
        store,
        redis::cmd("HGET").arg(&byid).arg(first.id.to_string()),
    );
    let mut doc: Value = serde_json::from_str(&envelope).unwrap();
    let other = crate::cp(owner, 0, json!({"of": owner.to_string()}));
    doc["body"]["tenant_id"] = json!(owner.tenant.as_str());
    doc["body"]["thread_id"] = json!(owner.thread.as_str());
    doc["body"]["id"] = json!(other.id.to_string());
    doc["body"]["state"] = json!({"of": owner.to_string()});
    let _: () = raw(
        store,
        redis::cmd("HSET")
            .arg(&byid)
            .arg(other.id.to_string())
            .arg(doc.to_string()),
    );
    let _: () = raw(
        store,
        redis::cmd("ZADD")
            .arg(&bystep)
            .arg(0)
            .arg(other.id.to_string()),
    );
}

fn events_of(page: &[threadctl::backend::SessionEvent]) -> Vec<Value> {
    page.iter().map(|e| e.event.clone()).collect()
}

fn problems_of(tally: &TransferTally, kind: ProblemKind) -> Vec<String> {
    tally
        .problems
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.what.clone())
        .collect()
}

async fn ambiguous_logs_and_items(store: &TestStore, source: &Backend, target: &Backend) {
    // Settled: `a:b` / `c` has checkpoints, `a` / `b:c` has none.
    let settled = tk("a:b", "c");
    source
        .put_checkpoint(&crate::cp(&settled, 0, json!(1)), None)
        .await
        .unwrap();
    source
        .append_events(&settled, &[json!("s1"), json!("s2")])
        .await
        .unwrap();
    // Neither `x` / `y:z` nor `x:y` / `z` has checkpoints.
    let _: () = raw(
        store,
        redis::cmd("RPUSH")
            .arg("entelix:session:x:y:z:events")
            .arg(r#"{"n":1}"#),
    );
    // Both `p:q` / `r` and `p` / `q:r` have checkpoints.
    // (threadctl refuses that log to both; another program wrote it.)
    plant_shared_checkpoint(store, source, &tk("p:q", "r"), &tk("p", "q:r")).await;
    let _: () = raw(
        store,
        redis::cmd("RPUSH")
            .arg("entelix:session:p:q:r:events")
            .arg(r#""both""#),
    );
    // Store keys: `pref:color` in [agent-a], beside a plain item there,
    // could also be `color` in [agent-a, pref], which another item's key
    // makes a namespace. An item alone in a nested namespace is plain.
    for (scope, key, value) in [
        (&["agent-a"][..], "theme", json!("dark")),
        (&["agent-a"][..], "pref:color", json!("blue")),
        (&["agent-a", "pref"][..], "size", json!(3)),
        (&["agent:1", "notes"][..], "k", json!("deep")),
    ] {
        source
            .store_put(&ns("acme", scope), key, &value, None)
            .await
            .unwrap();
    }
    let dry = CopyOptions {
        write: threadctl::ops::transfer::WriteOptions {
            dry_run: true,
            ..Default::default()
        },
        ..CopyOptions::default()
    };
    let report = copy::run(source, target, &dry, |_| {}).await.unwrap();
    assert_eq!(report.tally.ambiguous, 5, "{:?}", report.tally.ambiguities);
    assert_eq!(report.tally.ambiguities.len(), 5);
    assert!(
        target.log_bounds(&settled).await.unwrap().last == 0,
        "dry run wrote nothing"
    );

    let report = copy::run(source, target, &CopyOptions::default(), |_| {})
        .await
        .unwrap();
    let t = &report.tally;
    assert_eq!(t.ambiguous, 5, "{:?}", t.ambiguities);
    let settled_log = t
        .ambiguities
        .iter()
        .find(|a| a.what == "session log of a:b/c")
        .expect("the settled log is counted");
    assert_eq!(settled_log.written_as, ["tenant \"a:b\", thread \"c\""]);
    assert_eq!(settled_log.readings.len(), 2);
    let mut left_out = problems_of(t, ProblemKind::Ambiguous);
    left_out.sort();
    assert_eq!(
        left_out,
        [
            "session log of p/q:r or p:q/r".to_string(),
            "session log of x/y:z or x:y/z".to_string()
        ],
        "{:?}",
        t.problems
    );
    assert_eq!(t.problem_count, 2, "{:?}", t.problems);
    let described: Vec<&str> = t.ambiguities.iter().map(|a| a.what.as_str()).collect();
    assert!(
        described.contains(&"store item namespace acme:agent-a, key \"pref:color\"")
            && described.contains(&"store item namespace acme:agent-a, key \"pref:size\""),
        "{described:?}"
    );
    // The settled log went with the thread that has checkpoints.
    let page = target.read_events(&settled, 0, 10).await.unwrap();
    assert_eq!(events_of(&page.events), [json!("s1"), json!("s2")]);
    assert_eq!(target.log_bounds(&tk("a", "b:c")).await.unwrap().last, 0);
    for t in [
        tk("x", "y:z"),
        tk("x:y", "z"),
        tk("p", "q:r"),
        tk("p:q", "r"),
    ] {
        assert_eq!(target.log_bounds(&t).await.unwrap().last, 0, "{t} left out");
    }
    // Both pairs sharing keys kept their own checkpoints.
    for t in [tk("p", "q:r"), tk("p:q", "r")] {
        let latest = target.latest_checkpoint(&t).await.unwrap().expect("copied");
        assert_eq!(latest.checkpoint.state, json!({"of": t.to_string()}));
    }
    for (scope, key, value) in [
        (&["agent-a"][..], "theme", json!("dark")),
        (&["agent-a"][..], "pref:color", json!("blue")),
        (&["agent-a"][..], "pref:size", json!(3)),
        (&["agent:1", "notes"][..], "k", json!("deep")),
    ] {
        let item = target.store_get(&ns("acme", scope), key).await.unwrap();
        assert_eq!(item.map(|i| i.value), Some(value), "{scope:?} / {key}");
    }
    for (scope, key) in [
        (&["agent-a", "pref"][..], "color"),
        (&["agent-a", "pref"][..], "size"),
    ] {
        let item = target.store_get(&ns("acme", scope), key).await.unwrap();
        assert!(item.is_none(), "{scope:?} / {key} is the other reading");
    }
    // --ambiguous both: every reading.
    let both = CopyOptions {
        ambiguous: AmbiguityPolicy::Both,
        ..CopyOptions::default()
    };
    let report = copy::run(source, target, &both, |_| {}).await.unwrap();
    assert!(report.tally.is_complete(), "{:?}", report.tally.problems);
    for t in [tk("x", "y:z"), tk("x:y", "z")] {
        let page = target.read_events(&t, 0, 10).await.unwrap();
        assert_eq!(events_of(&page.events), [json!({"n": 1})], "{t}");
    }
    for t in [tk("p", "q:r"), tk("p:q", "r")] {
        let page = target.read_events(&t, 0, 10).await.unwrap();
        assert_eq!(events_of(&page.events), [json!("both")], "{t}");
    }
    assert_eq!(target.log_bounds(&tk("a", "b:c")).await.unwrap().last, 0);
    for (namespace, key) in [
        (ns("acme", &["agent-a"]), "pref:color"),
        (ns("acme", &["agent-a", "pref"]), "color"),
        (ns("acme", &["agent-a", "pref"]), "size"),
    ] {
        assert!(
            target.store_get(&namespace, key).await.unwrap().is_some(),
            "{namespace} / {key}"
        );
    }
}

#[test]
fn redis_to_postgres_places_ambiguous_logs_and_items() {
    on_stores(
        BackendKind::Redis,
        BackendKind::Postgres,
        ambiguous_logs_and_items,
    );
}

#[test]
fn redis_to_sqlite_places_ambiguous_logs_and_items() {
    on_stores(
        BackendKind::Redis,
        BackendKind::Sqlite,
        ambiguous_logs_and_items,
    );
}

async fn two_records_never_land_on_one_redis_key(
    _: &TestStore,
    source: &Backend,
    target: &Backend,
) {
    let (one, two, plain) = (tk("a:b", "c"), tk("a", "b:c"), tk("a", "plain"));
    for (n, t) in [&one, &two, &plain].into_iter().enumerate() {
        source
            .put_checkpoint(&crate::cp(t, 0, json!(n)), None)
            .await
            .unwrap();
        source
            .append_events(t, &[json!({"log": n}), json!(2)])
            .await
            .unwrap();
    }
    source
        .store_put(&ns("t", &["x"]), "y:z", &json!("first"), None)
        .await
        .unwrap();
    source
        .store_put(&ns("t", &["x", "y"]), "z", &json!("second"), None)
        .await
        .unwrap();
    source
        .store_put(&ns("t", &["x"]), "other", &json!("plain"), None)
        .await
        .unwrap();
    // One record per batch: the collisions are across batches.
    let options = CopyOptions {
        write: threadctl::ops::transfer::WriteOptions {
            batch_size: 1,
            ..Default::default()
        },
        page_size: 1,
        jobs: 1,
        ..CopyOptions::default()
    };
    for run in 0..2 {
        let report = copy::run(source, target, &options, |_| {}).await.unwrap();
        let refused = problems_of(&report.tally, ProblemKind::Refused);
        assert!(!report.tally.is_complete());
        // One thread's checkpoint, its two events, and one store item.
        assert_eq!(refused.len(), 4, "run {run}: {:?}", report.tally.problems);
        let lost_log = if refused.iter().any(|r| r.contains("of a:b/c")) {
            &one
        } else {
            &two
        };
        assert!(
            refused
                .iter()
                .filter(|r| r.starts_with("event "))
                .all(|r| r.ends_with(&format!("of {lost_log}"))),
            "{refused:?}"
        );
        assert_eq!(
            refused
                .iter()
                .filter(|r| r.starts_with("store item"))
                .count(),
            1,
            "{refused:?}"
        );
    }
    // The log is served only to the pair whose checkpoint landed.
    let kept = if target.latest_checkpoint(&one).await.unwrap().is_some() {
        &one
    } else {
        &two
    };
    let landed = target.load_events(kept, 0, None).await.unwrap();
    let refused = if kept == &one { &two } else { &one };
    assert!(target.load_events(refused, 0, None).await.is_err());
    assert_eq!(landed.len(), 2, "one log, not two");
    let source_logs = [
        source.read_events(&one, 0, 10).await.unwrap().events,
        source.read_events(&two, 0, 10).await.unwrap().events,
    ];
    assert!(source_logs.contains(&landed));
    let item = target
        .store_get(&ns("t", &["x"]), "y:z")
        .await
        .unwrap()
        .expect("one of the two");
    assert!([json!("first"), json!("second")].contains(&item.value));
    assert_eq!(
        target
            .read_events(&plain, 0, 10)
            .await
            .unwrap()
            .events
            .len(),
        2,
        "the rest is copied"
    );
    assert!(target
        .store_get(&ns("t", &["x"]), "other")
        .await
        .unwrap()
        .is_some());
}

#[test]
fn postgres_to_redis_refuses_two_records_on_one_key() {
    on_stores(
        BackendKind::Postgres,
        BackendKind::Redis,
        two_records_never_land_on_one_redis_key,
    );
}

#[test]
fn sqlite_to_redis_refuses_two_records_on_one_key() {
    on_stores(
        BackendKind::Sqlite,
        BackendKind::Redis,
        two_records_never_land_on_one_redis_key,
    );
}

/// Plants a corrupt checkpoint, a corrupt event and a corrupt store item
/// in a Redis source, and a checkpoint whose state holds a NUL character;
/// returns the corrupt checkpoint's id and the NUL checkpoint's id.
async fn plant_bad_records(store: &TestStore, source: &Backend) -> (String, String) {
    let good = tk("acme", "good");
    source
        .put_checkpoint(&crate::cp(&good, 0, json!("fine")), None)
        .await
        .unwrap();
    source.append_events(&good, &[json!(1)]).await.unwrap();
    let broken = tk("acme", "broken");
    source
        .put_checkpoint(&crate::cp(&broken, 0, json!("fine")), None)
        .await
        .unwrap();
    let bad_id = "0193c0de-0000-7000-8000-000000000bad";
    let _: () = raw(
        store,
        redis::cmd("HSET")
            .arg("entelix:cp:acme:broken:byid")
            .arg(bad_id)
            .arg("{not json"),
    );
    let _: () = raw(
        store,
        redis::cmd("ZADD")
            .arg("entelix:cp:acme:broken:bystep")
            .arg(1)
            .arg(bad_id),
    );
    source.append_events(&broken, &[json!("ok")]).await.unwrap();
    let _: () = raw(
        store,
        redis::cmd("RPUSH")
            .arg("entelix:session:acme:broken:events")
            .arg("{bad"),
    );
    let _: () = raw(
        store,
        redis::cmd("SET")
            .arg("entelix:store:acme:acme:notes:bad")
            .arg("{bad"),
    );
    source
        .store_put(&ns("acme", &["notes"]), "fine", &json!("ok"), None)
        .await
        .unwrap();
    let nul = tk("acme", "nul");
    let with_nul = crate::cp(&nul, 0, json!({"text": "a\u{0}b"}));
    source.put_checkpoint(&with_nul, None).await.unwrap();
    source
        .put_checkpoint(&crate::cp(&nul, 1, json!("after")), None)
        .await
        .unwrap();
    (bad_id.to_string(), with_nul.id.to_string())
}

async fn bad_source_records_are_reported_and_the_rest_copied(
    store: &TestStore,
    source: &Backend,
    target: &Backend,
) {
    let (bad_id, nul_id) = plant_bad_records(store, source).await;
    let report = copy::run(source, target, &CopyOptions::default(), |_| {})
        .await
        .unwrap();
    let t = &report.tally;
    let unreadable = problems_of(t, ProblemKind::Unreadable);
    assert!(
        unreadable.contains(&format!("checkpoint {bad_id} of acme/broken")),
        "{:?}",
        t.problems
    );
    assert!(
        unreadable
            .iter()
            .any(|u| u.starts_with("session log of acme/broken")),
        "{unreadable:?}"
    );
    assert!(
        unreadable
            .iter()
            .any(|u| u.contains("entelix:store:acme:acme:notes:bad")),
        "{unreadable:?}"
    );
    let refused = t
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Refused)
        .expect("the NUL checkpoint is refused");
    assert_eq!(refused.what, format!("checkpoint {nul_id} of acme/nul"));
    assert!(refused.message.contains("NUL"), "{}", refused.message);
    assert_eq!(t.problem_count, 4, "{:?}", t.problems);
    // The rest is there.
    assert!(target
        .latest_checkpoint(&tk("acme", "good"))
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        target.log_bounds(&tk("acme", "good")).await.unwrap().last,
        1
    );
    let broken = target
        .checkpoint_history(&tk("acme", "broken"), None, None)
        .await
        .unwrap();
    assert_eq!(broken.len(), 1, "the readable checkpoint of the thread");
    let nul = target
        .latest_checkpoint(&tk("acme", "nul"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(nul.checkpoint.state, json!("after"));
    assert!(target
        .store_get(&ns("acme", &["notes"]), "fine")
        .await
        .unwrap()
        .is_some());

    // Export reports the corrupt records and writes the rest (NUL is
    // JSON-escaped in a dump).
    let mut dump = Vec::new();
    let options = ExportOptions {
        selection: TransferSelection::default(),
        source: BackendKind::Redis,
        page_size: 100,
        ambiguous: AmbiguityPolicy::Prefer,
    };
    let exported = export::run(source, &mut dump, "memory", &options, |_| {})
        .await
        .unwrap();
    let unreadable = problems_of(&exported.tally, ProblemKind::Unreadable);
    assert_eq!(unreadable.len(), 3, "{unreadable:?}");
    let text = String::from_utf8(dump).unwrap();
    assert!(text.contains(&nul_id) && text.contains("\\u0000"), "{text}");
    assert_eq!(exported.counts.get("checkpoint").copied(), Some(4));
}

#[test]
fn redis_to_postgres_reports_bad_records_and_copies_the_rest() {
    on_stores(
        BackendKind::Redis,
        BackendKind::Postgres,
        bad_source_records_are_reported_and_the_rest_copied,
    );
}
