//! The session log: gapless 1-based ordinals, cursors, archiving with a
//! watermark that clamps, never moves back and never restarts numbering.

use serde_json::{json, Value};
use threadctl::backend::{LogBounds, SessionEvent, SessionLogBackend};
use threadctl::{Backend, SessionLog};

use crate::{tk, Fixture};

fn ordinals(events: &[SessionEvent]) -> Vec<u64> {
    events.iter().map(|e| e.ordinal).collect()
}

/// A log's bounds as `(watermark, last)` (`LogBounds` is not built outside the library).
fn bounds(bounds: LogBounds) -> (u64, u64) {
    (bounds.watermark, bounds.last)
}

async fn ordinals_are_gapless_and_loadable(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "events");
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (0, 0));
    assert!(b.load_events(&t, 0, None).await.unwrap().is_empty());
    assert_eq!(b.append_events(&t, &[]).await.unwrap(), 0);
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (0, 0));

    let first = [
        json!({"kind": "user", "text": "hi"}),
        json!("two"),
        json!(3),
    ];
    assert_eq!(b.append_events(&t, &first).await.unwrap(), 3);
    assert_eq!(
        SessionLog::append(b, &t, &[json!(null), json!([4, 5])])
            .await
            .unwrap(),
        5
    );
    assert_eq!(b.append_events(&t, &[]).await.unwrap(), 5);

    let all = b.load_events(&t, 0, None).await.unwrap();
    assert_eq!(ordinals(&all), vec![1, 2, 3, 4, 5]);
    let values: Vec<Value> = all.iter().map(|e| e.event.clone()).collect();
    assert_eq!(
        values,
        vec![
            first[0].clone(),
            first[1].clone(),
            first[2].clone(),
            json!(null),
            json!([4, 5])
        ]
    );
    assert_eq!(
        ordinals(&b.load_events(&t, 3, None).await.unwrap()),
        vec![4, 5]
    );
    assert_eq!(
        ordinals(&b.load_events(&t, 0, Some(2)).await.unwrap()),
        vec![1, 2]
    );
    assert_eq!(
        ordinals(&b.load_events(&t, 1, Some(2)).await.unwrap()),
        vec![2, 3]
    );
    assert!(b.load_events(&t, 0, Some(0)).await.unwrap().is_empty());
    assert!(b.load_events(&t, 5, None).await.unwrap().is_empty());
    assert!(b.load_events(&t, 99, None).await.unwrap().is_empty());

    let typed: Vec<SessionEvent<Value>> = SessionLog::load_since(b, &t, 4).await.unwrap();
    assert_eq!(
        typed,
        vec![SessionEvent {
            ordinal: 5,
            event: json!([4, 5])
        }]
    );
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (0, 5));
}

async fn archiving_clamps_and_never_moves_back(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "archive");
    assert_eq!(b.archive_events(&t, 3).await.unwrap(), 0, "empty log");
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (0, 0));

    let events: Vec<Value> = (1..=5).map(|i| json!({"n": i})).collect();
    b.append_events(&t, &events).await.unwrap();
    assert_eq!(SessionLog::<Value>::archive(b, &t, 2).await.unwrap(), 2);
    assert_eq!(
        ordinals(&b.load_events(&t, 0, None).await.unwrap()),
        vec![3, 4, 5]
    );
    assert_eq!(
        b.load_events(&t, 0, None).await.unwrap()[0].event,
        json!({"n": 3})
    );
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (2, 5));

    // Lower or equal: a no-op that reports the current watermark.
    assert_eq!(b.archive_events(&t, 1).await.unwrap(), 2);
    assert_eq!(b.archive_events(&t, 2).await.unwrap(), 2);
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (2, 5));
    assert_eq!(
        ordinals(&b.load_events(&t, 0, None).await.unwrap()),
        vec![3, 4, 5]
    );

    // Beyond the end clamps to the last ordinal: no gap later.
    assert_eq!(b.archive_events(&t, 100).await.unwrap(), 5);
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (5, 5));
    assert!(b.load_events(&t, 0, None).await.unwrap().is_empty());
    assert_eq!(b.append_events(&t, &[json!("six")]).await.unwrap(), 6);
    let after = b.load_events(&t, 0, None).await.unwrap();
    assert_eq!(
        after,
        vec![SessionEvent {
            ordinal: 6,
            event: json!("six")
        }]
    );
}

async fn numbering_continues_after_archiving_everything(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "restart");
    b.append_events(&t, &[json!(1), json!(2)]).await.unwrap();
    assert_eq!(b.archive_events(&t, 2).await.unwrap(), 2);
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (2, 2));
    assert_eq!(b.append_events(&t, &[json!(3)]).await.unwrap(), 3);
    assert_eq!(b.archive_events(&t, 3).await.unwrap(), 3);
    assert_eq!(b.append_events(&t, &[]).await.unwrap(), 3);
    assert_eq!(b.append_events(&t, &[json!(4), json!(5)]).await.unwrap(), 5);
    assert_eq!(
        ordinals(&b.load_events(&t, 0, None).await.unwrap()),
        vec![4, 5]
    );
    assert_eq!(
        ordinals(&b.load_events(&t, 4, None).await.unwrap()),
        vec![5]
    );
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (3, 5));

    // A fresh handle agrees: the watermark and last ordinal are stored, not cached.
    let fresh = Backend::open(&f.url).await.expect("a second handle");
    assert_eq!(fresh.append_events(&t, &[json!(6)]).await.unwrap(), 6);
    assert_eq!(bounds(b.log_bounds(&t).await.unwrap()), (3, 6));

    // Other threads keep their own numbering.
    let other = tk("acme", "restart-2");
    assert_eq!(b.append_events(&other, &[json!("x")]).await.unwrap(), 1);
}

on_every_backend!(crate::run =>
    ordinals_are_gapless_and_loadable,
    archiving_clamps_and_never_moves_back,
    numbering_continues_after_archiving_everything,
);
