//! The transfer layer's backend surface: session logs written with their
//! ordinals and watermark, store items paged and written with their
//! expiry (`BulkEvents`, `BulkStore`).

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use threadctl::backend::{BulkCheckpoints, CheckpointBackend};
use threadctl::backend::{
    BulkEvents, BulkStore, ConflictKind, RecordOutcome, SessionEvent, SessionLogBackend,
    StoreBackend, StoreItem, WriteMode,
};
use threadctl::model::parse_glob;
use threadctl::ops::copy::{self, CopyOptions};
use threadctl::ops::export::{self, ExportOptions};
use threadctl::ops::import::{self, ImportOptions};
use threadctl::ops::transfer::{compare, AmbiguityPolicy, TransferSelection};
use threadctl::{Backend, BackendKind, Namespace, ThreadKey};

use crate::{common, ns, tk, Fixture};

fn events(from: u64, through: u64) -> Vec<SessionEvent> {
    (from..=through)
        .map(|n| SessionEvent {
            ordinal: n,
            event: json!({"n": n, "text": "é"}),
        })
        .collect()
}

/// Every live item under `prefix`, through pages of `size`, deduplicated
/// and sorted (Redis may list an item twice).
async fn all_items(b: &Backend, prefix: &Namespace, size: usize) -> Vec<StoreItem> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = b.item_page(prefix, cursor.as_ref(), size).await.unwrap();
        out.extend(page.items.into_iter().map(|r| r.expect("readable").item));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    out.sort_by(|a, b| (&a.namespace, &a.key).cmp(&(&b.namespace, &b.key)));
    out.dedup_by(|a, b| a.namespace == b.namespace && a.key == b.key);
    out
}

on_every_backend!(crate::run =>
    logs_land_at_their_ordinals_and_appends_continue,
    rewriting_a_log_changes_nothing_and_differences_are_reported,
    a_log_that_ends_early_refuses_a_gap,
    items_page_and_write_with_their_expiry,
);

async fn logs_land_at_their_ordinals_and_appends_continue(f: &Fixture) {
    let b = &f.backend;
    let t = tk("acme", "t1");
    // A source with events 1..=7 archived through 3: 4..=7 remain.
    let outcomes = b
        .write_events(&t, 3, &events(4, 7), WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(outcomes, vec![RecordOutcome::Written; 4]);
    let page = b.read_events(&t, 0, 100).await.unwrap();
    assert_eq!(page.bounds.watermark, 3);
    assert_eq!(page.bounds.last, 7);
    assert_eq!(page.events, events(4, 7));
    assert_eq!(b.append_events(&t, &[json!("next")]).await.unwrap(), 8);

    // A log archived to its end: only the watermark goes over.
    let all_archived = tk("acme", "t2");
    b.write_events(&all_archived, 5, &[], WriteMode::SkipIdentical)
        .await
        .unwrap();
    let bounds = b.log_bounds(&all_archived).await.unwrap();
    assert_eq!((bounds.watermark, bounds.last), (5, 5));
    assert_eq!(
        b.append_events(&all_archived, &[json!(1)]).await.unwrap(),
        6
    );
}

async fn rewriting_a_log_changes_nothing_and_differences_are_reported(f: &Fixture) {
    let b = &f.backend;
    let t = tk("a:b", "ü");
    b.write_events(&t, 0, &events(1, 5), WriteMode::SkipIdentical)
        .await
        .unwrap();
    let again = b
        .write_events(&t, 0, &events(1, 5), WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(again, vec![RecordOutcome::Unchanged; 5]);
    let mut changed = events(4, 6);
    changed[0].event = json!("different");
    let outcomes = b
        .write_events(&t, 0, &changed, WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        vec![
            RecordOutcome::Conflict(ConflictKind::DuplicateId),
            RecordOutcome::Unchanged,
            RecordOutcome::Written
        ]
    );
    let kept = b.load_events(&t, 3, Some(1)).await.unwrap();
    assert_eq!(kept[0].event, events(4, 4)[0].event);
    b.write_events(&t, 0, &changed[..1], WriteMode::Replace)
        .await
        .unwrap();
    let replaced = b.load_events(&t, 3, Some(1)).await.unwrap();
    assert_eq!(replaced[0].event, json!("different"));
    // A later watermark archives what the source archived.
    b.write_events(&t, 2, &[], WriteMode::SkipIdentical)
        .await
        .unwrap();
    let page = b.read_events(&t, 0, 100).await.unwrap();
    assert_eq!(page.bounds.watermark, 2);
    assert_eq!(page.events.first().map(|e| e.ordinal), Some(3));
}

async fn a_log_that_ends_early_refuses_a_gap(f: &Fixture) {
    let b = &f.backend;
    let t = tk("acme", "gap");
    b.append_events(&t, &[json!(1), json!(2)]).await.unwrap();
    let outcomes = b
        .write_events(&t, 0, &events(5, 6), WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        vec![RecordOutcome::Conflict(ConflictKind::OrdinalGap); 2]
    );
    assert_eq!(b.log_bounds(&t).await.unwrap().last, 2);
}

async fn items_page_and_write_with_their_expiry(f: &Fixture) {
    let b = &f.backend;
    let root = ns("acme", &[]);
    let later = Utc::now() + chrono::Duration::hours(1);
    let item = |scope: &[&str], key: &str, value: Value, expires_at| {
        StoreItem::new(ns("acme", scope), key, value, expires_at)
    };
    let items = vec![
        item(&["agent:1", "notes"], "k1", json!({"v": 1}), None),
        item(&["agent:1"], "k2", json!("ü"), Some(later)),
        item(&["other"], "k3", json!([1, 2]), None),
        item(
            &["other"],
            "gone",
            json!(0),
            Some(Utc::now() - chrono::Duration::seconds(1)),
        ),
    ];
    let tenant = root.tenant.clone();
    let outcomes = b
        .write_items(&tenant, &items, WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        vec![
            RecordOutcome::Written,
            RecordOutcome::Written,
            RecordOutcome::Written,
            RecordOutcome::Unchanged
        ]
    );
    assert!(b
        .store_get(&ns("acme", &["other"]), "gone")
        .await
        .unwrap()
        .is_none());
    let listed = all_items(b, &root, 2).await;
    assert_eq!(listed.len(), 3);
    let k2 = listed.iter().find(|i| i.key == "k2").expect("k2 listed");
    let drift = (k2.expires_at.expect("expiry kept") - later)
        .num_milliseconds()
        .abs();
    assert!(drift <= 1000, "expiry drifted by {drift} ms");
    let under = all_items(b, &ns("acme", &["agent:1"]), 10).await;
    assert_eq!(under.len(), 2);

    let again = b
        .write_items(&tenant, &items[..3], WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(again, vec![RecordOutcome::Unchanged; 3]);
    let mut changed = items[2].clone();
    changed.value = json!("new");
    let refused = b
        .write_items(&tenant, &[changed.clone()], WriteMode::SkipIdentical)
        .await
        .unwrap();
    assert_eq!(
        refused,
        vec![RecordOutcome::Conflict(ConflictKind::DuplicateId)]
    );
    b.write_items(&tenant, &[changed], WriteMode::Replace)
        .await
        .unwrap();
    let now = b
        .store_get(&ns("acme", &["other"]), "k3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.value, json!("new"));
    b.store_put(
        &ns("acme", &["x"]),
        "ttl",
        &json!(1),
        Some(Duration::from_secs(60)),
    )
    .await
    .unwrap();
}

/// Runs `case(source store, source, target)` on fresh isolated stores of
/// two kinds (the source's store, to plant raw records in it).
pub fn on_stores(
    from: BackendKind,
    to: BackendKind,
    case: impl AsyncFnOnce(&common::TestStore, &Backend, &Backend),
) {
    let (a, b) = (common::TestStore::new(from), common::TestStore::new(to));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let source = Backend::open(a.url()).await.expect("open source");
            let target = Backend::open(b.url()).await.expect("open target");
            case(&a, &source, &target).await;
        });
}

/// Runs `case(source, target)` on fresh isolated stores of two kinds.
fn on_pair(from: BackendKind, to: BackendKind, case: impl AsyncFnOnce(&Backend, &Backend)) {
    on_stores(from, to, async |_, source, target| {
        case(source, target).await
    });
}

/// A source with forks, an archived log, TTL'd items and awkward ids.
async fn seed(b: &Backend) -> Vec<ThreadKey> {
    let threads = vec![tk("acme", "t1"), tk("a:b", "ü/€"), tk("日本", "thread:2")];
    for (n, t) in threads.iter().enumerate() {
        let root = crate::cp(t, 0, json!({"n": n, "s": "é"}));
        b.put_checkpoint(&root, None).await.unwrap();
        let child = crate::cp(t, 1, json!({"step": 1}));
        let mut child = child;
        child.parent_id = Some(root.id);
        b.put_checkpoint(&child, None).await.unwrap();
        b.fork_checkpoint(t, root.id, json!({"fork": true}), Default::default())
            .await
            .unwrap();
        let events: Vec<Value> = (0..5).map(|i| json!({"i": i})).collect();
        b.append_events(t, &events).await.unwrap();
        b.archive_events(t, 2).await.unwrap();
    }
    b.store_put(
        &ns("acme", &["agent:1", "notes"]),
        "k",
        &json!({"v": "ü"}),
        None,
    )
    .await
    .unwrap();
    b.store_put(
        &ns("acme", &["agent"]),
        "ttl",
        &json!(1),
        Some(Duration::from_secs(3600)),
    )
    .await
    .unwrap();
    threads
}

async fn copies_verify_identical_and_resume(source: &Backend, target: &Backend) {
    let threads = seed(source).await;
    // An interrupted run: only one thread landed.
    let mut partial = CopyOptions::default();
    partial.selection.threads.threads = Some(parse_glob("t1").unwrap());
    partial.selection.store = false;
    copy::run(source, target, &partial, |_| {}).await.unwrap();
    let options = CopyOptions {
        verify: true,
        ..CopyOptions::default()
    };
    let report = copy::run(source, target, &options, |_| {}).await.unwrap();
    assert!(report.tally.is_complete(), "{:?}", report.tally.problems);
    assert_eq!(report.tally.threads, 3);
    assert!(
        report.tally.unchanged >= 3,
        "t1's checkpoints were already there"
    );
    let comparison = report.comparison.expect("verified");
    assert!(comparison.is_identical(), "{:?}", comparison.differences);
    for t in &threads {
        let a = source.checkpoint_history(t, None, None).await.unwrap();
        let b = target.checkpoint_history(t, None, None).await.unwrap();
        assert_eq!(
            a.iter().map(|s| &s.checkpoint).collect::<Vec<_>>(),
            b.iter().map(|s| &s.checkpoint).collect::<Vec<_>>()
        );
        assert_eq!(target.log_bounds(t).await.unwrap().watermark, 2);
        assert_eq!(target.append_events(t, &[json!("next")]).await.unwrap(), 6);
    }
    let ttl = target
        .store_get(&ns("acme", &["agent"]), "ttl")
        .await
        .unwrap()
        .unwrap();
    assert!(ttl.expires_at.is_some(), "the TTL went along");
    // Running it again writes nothing new.
    let again = copy::run(source, target, &CopyOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(again.tally.written, 0);
    let differences = compare::run(source, target, &TransferSelection::default(), 100, |_| {})
        .await
        .unwrap();
    assert!(
        !differences.is_identical(),
        "the target's new events differ"
    );
}

async fn move_empties_the_source_of_verified_threads(source: &Backend, target: &Backend) {
    let threads = seed(source).await;
    // A conflicting record in the target keeps t1 from verifying.
    let t1 = &threads[0];
    let first = source
        .checkpoint_history(t1, None, None)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let mut changed = first.clone();
    changed.checkpoint.state = json!("different");
    target
        .write_batch(t1, &[changed], WriteMode::Replace)
        .await
        .unwrap();
    let options = CopyOptions {
        move_verified: true,
        ..CopyOptions::default()
    };
    let report = copy::run(source, target, &options, |_| {}).await.unwrap();
    assert_eq!(report.moved, 2);
    assert_eq!(report.tally.problem_count, 1);
    assert!(source.latest_checkpoint(t1).await.unwrap().is_some());
    for t in &threads[1..] {
        assert!(source.latest_checkpoint(t).await.unwrap().is_none());
        assert!(target.latest_checkpoint(t).await.unwrap().is_some());
    }
}

async fn logs_of_threads_without_checkpoints_are_copied(source: &Backend, target: &Backend) {
    let with = tk("acme", "with");
    source
        .put_checkpoint(&crate::cp(&with, 0, json!(0)), None)
        .await
        .unwrap();
    let orphan = tk("acme", "log only");
    let archived = tk("acme", "archived only");
    let events: Vec<Value> = (0..4).map(|i| json!({"i": i})).collect();
    for t in [&with, &orphan, &archived] {
        source.append_events(t, &events).await.unwrap();
    }
    source.archive_events(&orphan, 1).await.unwrap();
    source.archive_events(&archived, 4).await.unwrap();
    // Through a dump first: export carries the logs, import lands them.
    let mut dump = Vec::new();
    let export_options = ExportOptions {
        selection: TransferSelection::default(),
        source: source.kind(),
        page_size: 2,
        ambiguous: AmbiguityPolicy::Prefer,
    };
    let exported = export::run(source, &mut dump, "memory", &export_options, |_| {})
        .await
        .unwrap();
    assert!(
        exported.tally.is_complete(),
        "{:?}",
        exported.tally.problems
    );
    assert_eq!(exported.counts.get("watermark").copied(), Some(2));
    let import_options = ImportOptions {
        selection: TransferSelection::default(),
        write: Default::default(),
        max_line_bytes: 1 << 20,
    };
    let imported = import::run(target, dump.as_slice(), &import_options, |_| {})
        .await
        .unwrap();
    assert!(
        imported.tally.is_complete(),
        "{:?}",
        imported.tally.problems
    );
    let bounds = target.log_bounds(&orphan).await.unwrap();
    assert_eq!((bounds.watermark, bounds.last), (1, 4), "imported");
    let options = CopyOptions {
        verify: true,
        ..CopyOptions::default()
    };
    let report = copy::run(source, target, &options, |_| {}).await.unwrap();
    assert!(report.tally.is_complete(), "{:?}", report.tally.problems);
    assert_eq!(report.tally.ambiguous, 0);
    let comparison = report.comparison.expect("verified");
    assert!(comparison.is_identical(), "{:?}", comparison.differences);
    let page = target.read_events(&orphan, 0, 100).await.unwrap();
    assert_eq!((page.bounds.watermark, page.bounds.last), (1, 4));
    assert_eq!(
        page.events.iter().map(|e| &e.event).collect::<Vec<_>>(),
        events[1..].iter().collect::<Vec<_>>()
    );
    let bounds = target.log_bounds(&archived).await.unwrap();
    assert_eq!((bounds.watermark, bounds.last), (4, 4));
    assert_eq!(
        target
            .append_events(&archived, &[json!("next")])
            .await
            .unwrap(),
        5
    );
    assert_eq!(target.log_bounds(&with).await.unwrap().last, 4);
    assert!(target.latest_checkpoint(&orphan).await.unwrap().is_none());
    // Again: everything is there already.
    let again = copy::run(source, target, &CopyOptions::default(), |_| {})
        .await
        .unwrap();
    assert!(again.tally.is_complete(), "{:?}", again.tally.problems);
    assert!(again.tally.unchanged >= 6, "{:?}", again.tally);
}

macro_rules! pairs {
    ($($name:ident: $from:ident => $to:ident),+ $(,)?) => {
        mod pairs {
            use super::*;
            $(
                mod $name {
                    use super::*;
                    #[test]
                    fn copies_verify_identical_and_resume() {
                        on_pair(BackendKind::$from, BackendKind::$to, super::super::copies_verify_identical_and_resume);
                    }
                    #[test]
                    fn logs_of_threads_without_checkpoints_are_copied() {
                        on_pair(BackendKind::$from, BackendKind::$to, super::super::logs_of_threads_without_checkpoints_are_copied);
                    }
                    #[test]
                    fn move_empties_the_source_of_verified_threads() {
                        on_pair(BackendKind::$from, BackendKind::$to, super::super::move_empties_the_source_of_verified_threads);
                    }
                }
            )+
        }
    };
}

pairs!(
    sqlite_to_postgres: Sqlite => Postgres,
    sqlite_to_redis: Sqlite => Redis,
    postgres_to_sqlite: Postgres => Sqlite,
    postgres_to_redis: Postgres => Redis,
    redis_to_sqlite: Redis => Sqlite,
    redis_to_postgres: Redis => Postgres,
    sqlite_to_sqlite: Sqlite => Sqlite,
    redis_to_redis: Redis => Redis,
);
