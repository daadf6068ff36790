//! Tenant isolation: nothing tenant A writes is visible to tenant B through
//! any call, for the same thread ids, namespaces and keys.

use std::time::Duration;

use serde_json::{json, Map};
use threadctl::backend::{
    BulkCheckpoints, CheckpointBackend, DistributedLock, LockAdmin, LogBounds, SessionLogBackend,
    StoreBackend, ThreadListing,
};
use threadctl::{Checkpointer, Error};

use crate::{cp, ns, tk, Fixture};

pub async fn tenants_never_see_each_other(f: &Fixture) {
    let b = &*f.backend;
    let a = tk("tenant-a", "t1");
    let bb = tk("tenant-b", "t1");
    let ns_a = ns("tenant-a", &["mem"]);
    let ns_b = ns("tenant-b", &["mem"]);

    let a0 = cp(&a, 0, json!("a0"));
    Checkpointer::put(b, &a0).await.unwrap();
    let a1 = b
        .fork_checkpoint(&a, a0.id, json!("a1"), Map::new())
        .await
        .unwrap();
    b.append_events(&a, &[json!("ea1"), json!("ea2")])
        .await
        .unwrap();
    b.store_put(&ns_a, "k", &json!("va"), None).await.unwrap();
    b.store_put(&ns_a, "k2", &json!("va2"), Some(Duration::from_secs(60)))
        .await
        .unwrap();
    let lock_a = b
        .try_acquire(&a, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();

    // B sees none of it.
    assert!(b.latest_checkpoint(&bb).await.unwrap().is_none());
    assert!(b
        .checkpoint_history(&bb, None, None)
        .await
        .unwrap()
        .is_empty());
    assert!(b.get_checkpoint(&bb, a0.id).await.unwrap().is_none());
    assert!(matches!(
        b.checkpoint_history(&bb, None, Some(a1.checkpoint.id))
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        b.fork_checkpoint(&bb, a0.id, json!("steal"), Map::new())
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(b
        .read_page(&bb, None, 100)
        .await
        .unwrap()
        .records
        .is_empty());
    assert!(b.load_events(&bb, 0, None).await.unwrap().is_empty());
    assert_eq!(
        b.log_bounds(&bb).await.unwrap(),
        LogBounds {
            watermark: 0,
            last: 0
        }
    );
    assert!(b.store_get(&ns_b, "k").await.unwrap().is_none());
    assert!(!b.store_delete(&ns_b, "k").await.unwrap());
    assert!(b.store_list_keys(&ns_b, "").await.unwrap().is_empty());
    assert!(b
        .store_list_namespaces(&ns("tenant-b", &[]))
        .await
        .unwrap()
        .is_empty());
    assert!(b.list_threads(Some(&bb.tenant)).await.unwrap().is_empty());
    assert!(!b.lock_status(&bb).await.unwrap().held);
    let lock_b = b
        .try_acquire(&bb, Duration::from_secs(30))
        .await
        .unwrap()
        .expect("B's lock is its own");
    assert_eq!(b.archive_events(&bb, 10).await.unwrap(), 0);
    assert_eq!(b.store_evict_expired(&bb.tenant).await.unwrap(), 0);

    // B writes the same ids; A is unchanged and B gets its own numbering.
    let b0 = cp(&bb, 5, json!("b0"));
    Checkpointer::put(b, &b0).await.unwrap();
    assert_eq!(b.append_events(&bb, &[json!("eb1")]).await.unwrap(), 1);
    b.store_put(&ns_b, "k", &json!("vb"), None).await.unwrap();

    assert_eq!(b.latest_checkpoint(&a).await.unwrap().unwrap(), a1);
    assert_eq!(b.checkpoint_history(&a, None, None).await.unwrap().len(), 2);
    assert_eq!(
        b.latest_checkpoint(&bb)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .id,
        b0.id
    );
    let events_a = b.load_events(&a, 0, None).await.unwrap();
    assert_eq!(
        events_a.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        vec![json!("ea1"), json!("ea2")]
    );
    assert_eq!(
        b.load_events(&bb, 0, None).await.unwrap()[0].event,
        json!("eb1")
    );
    assert_eq!(
        b.store_get(&ns_a, "k").await.unwrap().unwrap().value,
        json!("va")
    );
    assert_eq!(
        b.store_get(&ns_b, "k").await.unwrap().unwrap().value,
        json!("vb")
    );
    assert_eq!(b.store_list_keys(&ns_a, "").await.unwrap(), vec!["k", "k2"]);
    assert_eq!(b.store_list_keys(&ns_b, "").await.unwrap(), vec!["k"]);

    let threads_a = b.list_threads(Some(&a.tenant)).await.unwrap();
    assert_eq!(threads_a.len(), 1);
    assert_eq!(threads_a[0].thread, a);
    assert_eq!(threads_a[0].checkpoints, 2);

    // Archiving and deleting in B leave A alone.
    b.archive_events(&bb, 1).await.unwrap();
    assert!(b.store_delete(&ns_b, "k").await.unwrap());
    assert_eq!(b.load_events(&a, 0, None).await.unwrap().len(), 2);
    assert!(b.store_get(&ns_a, "k").await.unwrap().is_some());

    lock_b.release().await.unwrap();
    assert!(b.lock_status(&a).await.unwrap().held);
    lock_a.release().await.unwrap();
}
