//! The session lock: exclusion, release and re-acquire, TTL expiry,
//! extension, waiting with a timeout, and the admin lock operations.

use std::time::Duration;

use threadctl::backend::{DistributedLock, LockAdmin};
use threadctl::Error;

use crate::{tk, Fixture};

const SHORT: Duration = Duration::from_millis(300);
const LONG: Duration = Duration::from_secs(30);

pub async fn exclusion_release_and_reacquire(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "lock");
    let guard = b.try_acquire(&t, LONG).await.unwrap().expect("free lock");
    assert_eq!(guard.thread(), &t);
    assert!(b.try_acquire(&t, LONG).await.unwrap().is_none());
    assert!(b.try_acquire(&t, LONG).await.unwrap().is_none());

    // Other threads and tenants have their own locks.
    let sibling = b
        .try_acquire(&tk("acme", "lock-2"), LONG)
        .await
        .unwrap()
        .expect("another thread's lock is free");
    let foreign = b
        .try_acquire(&tk("globex", "lock"), LONG)
        .await
        .unwrap()
        .expect("another tenant's lock is free");

    let status = b.lock_status(&t).await.unwrap();
    assert!(status.held);
    assert_eq!(status.key, guard.key());
    guard.release().await.unwrap();
    assert!(!b.lock_status(&t).await.unwrap().held);

    let again = b
        .try_acquire(&t, LONG)
        .await
        .unwrap()
        .expect("released lock is free");
    assert!(b.try_acquire(&t, LONG).await.unwrap().is_none());
    again.release().await.unwrap();
    sibling.release().await.unwrap();
    foreign.release().await.unwrap();
}

pub async fn expiry_extend_and_lost_locks(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "lock-ttl");
    let mut kept = b.try_acquire(&t, SHORT).await.unwrap().unwrap();
    kept.extend(LONG).await.unwrap();
    tokio::time::sleep(SHORT + Duration::from_millis(150)).await;
    assert!(
        b.try_acquire(&t, SHORT).await.unwrap().is_none(),
        "an extended lock outlives its first TTL"
    );
    kept.release().await.unwrap();

    let mut old = b.try_acquire(&t, SHORT).await.unwrap().unwrap();
    tokio::time::sleep(SHORT + Duration::from_millis(150)).await;
    assert!(
        !b.lock_status(&t).await.unwrap().held,
        "expired after its TTL"
    );
    let new = b
        .try_acquire(&t, LONG)
        .await
        .unwrap()
        .expect("an expired lock can be taken");
    assert_ne!(new.token(), old.token());
    assert!(matches!(old.extend(LONG).await, Err(Error::LockLost(_))));
    let stale = old.release().await;
    assert!(
        matches!(stale, Err(Error::LockLost(_))),
        "releasing a lock that is no longer ours reports it lost: {stale:?}"
    );
    assert!(
        b.try_acquire(&t, LONG).await.unwrap().is_none(),
        "a stale holder's release leaves the new holder's lock alone"
    );
    assert!(b.lock_status(&t).await.unwrap().held);
    new.release().await.unwrap();
}

pub async fn waiting_times_out_and_admin_acts_on_locks(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", "lock-admin");
    let held = b.try_acquire(&t, LONG).await.unwrap().unwrap();
    let err = b
        .acquire(&t, LONG, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LockBusy { .. }), "{err}");

    assert!(b
        .list_locks()
        .await
        .unwrap()
        .iter()
        .any(|l| l.key == held.key() && l.held));
    assert!(!b.release_lock_token(&t, "not-the-token").await.unwrap());
    assert!(b.lock_status(&t).await.unwrap().held);
    assert!(b.release_lock_token(&t, held.token()).await.unwrap());
    assert!(!b.lock_status(&t).await.unwrap().held);
    assert!(!b
        .list_locks()
        .await
        .unwrap()
        .iter()
        .any(|l| l.key == held.key()));
    let released = held.release().await;
    assert!(
        matches!(released, Err(Error::LockLost(_))),
        "a lock released by token is lost to its guard: {released:?}"
    );

    // A waiter gets the lock once the holder lets go.
    let holder = b.try_acquire(&t, SHORT).await.unwrap().unwrap();
    let waited = b
        .acquire(&t, LONG, Duration::from_secs(5))
        .await
        .expect("the lock frees up when its TTL runs out");
    assert!(b.lock_status(&t).await.unwrap().held);
    waited.release().await.unwrap();
    let expired = holder.release().await;
    assert!(
        matches!(expired, Err(Error::LockLost(_))),
        "a lock whose TTL ran out is lost to its guard: {expired:?}"
    );

    let broken = b.try_acquire(&t, LONG).await.unwrap().unwrap();
    assert!(b.break_lock(&t).await.unwrap());
    assert!(!b.lock_status(&t).await.unwrap().held);
    assert!(!b.break_lock(&t).await.unwrap());
    let next = b
        .try_acquire(&t, LONG)
        .await
        .unwrap()
        .expect("broken lock is free");
    next.release().await.unwrap();
    let broken = broken.release().await;
    assert!(
        matches!(broken, Err(Error::LockLost(_))),
        "a broken lock is lost to its guard: {broken:?}"
    );
}

/// A TTL the backend could not honour exactly (zero, below a millisecond,
/// or beyond what it keeps) is refused before anything is taken.
pub async fn ttls_that_cannot_be_honoured_are_refused(f: &Fixture) {
    let b = &*f.backend;
    let t = tk("acme", &format!("ttl-{}", uuid::Uuid::new_v4().simple()));
    for ttl in [Duration::ZERO, Duration::from_micros(500)] {
        let err = b.try_acquire(&t, ttl).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{ttl:?}: {err}");
    }
    let long = Duration::from_secs(u64::MAX / 1000);
    let err = b.try_acquire(&t, long).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert!(!b.lock_status(&t).await.unwrap().held);
    let guard = b
        .try_acquire(&t, Duration::from_millis(1))
        .await
        .unwrap()
        .expect("1ms is honoured");
    drop(guard.release().await);
}
