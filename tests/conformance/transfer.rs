//! The transfer layer's backend surface: session logs written with their
//! ordinals and watermark, store items paged and written with their
//! expiry (`BulkEvents`, `BulkStore`).

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use threadctl::backend::{
    BulkEvents, BulkStore, ConflictKind, RecordOutcome, SessionEvent, SessionLogBackend,
    StoreBackend, StoreItem, WriteMode,
};
use threadctl::{Backend, Namespace};

use crate::{ns, tk, Fixture};

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
