//! Retries: reads go through connections killed over and over; a write
//! whose reply is lost is either settled (a put, by its id) or reported as
//! possibly applied (an append), and never stored twice.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use threadctl::backend::{CheckpointBackend, SessionLogBackend};
use threadctl::{Backend, Checkpoint, ThreadKey};

use crate::common::{PgSchema, RedisDb};
use crate::servers::Proxy;

/// A store reached directly and through a proxy of its own.
struct Routed {
    direct: Backend,
    proxied: Backend,
    proxy: Arc<Proxy>,
}

impl Routed {
    async fn open(url: &str, port: u16) -> Self {
        let proxy = Arc::new(Proxy::start(port));
        let via = url.replace(&format!(":{port}/"), &format!(":{}/", proxy.port));
        Self {
            direct: Backend::open(url).await.expect("open directly"),
            proxied: Backend::open(&via).await.expect("open through the proxy"),
            proxy,
        }
    }
}

fn thread(name: &str) -> ThreadKey {
    ThreadKey::new("default", name).unwrap()
}

/// Puts checkpoint number `step` of `thread` on `backend`.
async fn put(backend: &Backend, thread: &ThreadKey, step: u64) -> Checkpoint {
    let parent = backend
        .latest_checkpoint(thread)
        .await
        .unwrap()
        .map(|cp| cp.checkpoint.id);
    let cp = Checkpoint::new(thread, parent, step, json!({ "step": step }), None);
    backend.put_checkpoint(&cp, None).await.expect("put");
    cp
}

/// Reads `thread`'s history and log through the proxy while another
/// thread cuts every connection every 300ms; every read must succeed.
async fn reads_through_kills(routed: Routed) {
    let key = thread("kill-loop");
    for step in 0..3 {
        put(&routed.direct, &key, step).await;
    }
    routed
        .direct
        .append_events(&key, &[json!({"n": 1})])
        .await
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let (proxy, stop) = (routed.proxy.clone(), done.clone());
    let killer = std::thread::spawn(move || {
        let mut cuts = 0;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(300));
            proxy.cut();
            cuts += 1;
        }
        cuts
    });
    let mut failures = Vec::new();
    let mut reads = 0;
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(4) {
        match routed.proxied.checkpoint_history(&key, None, None).await {
            Ok(history) => assert_eq!(history.len(), 3),
            Err(e) => failures.push(e.to_string()),
        }
        match routed.proxied.load_events(&key, 0, None).await {
            Ok(events) => assert_eq!(events.len(), 1),
            Err(e) => failures.push(e.to_string()),
        }
        reads += 2;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done.store(true, Ordering::Relaxed);
    let cuts = killer.join().unwrap();
    assert!(cuts >= 10, "only {cuts} cuts happened");
    eprintln!(
        "{reads} reads over {cuts} connection cuts, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {reads} reads failed over {cuts} cuts: {failures:?}",
        failures.len()
    );
}

#[tokio::test]
async fn postgres_reads_survive_connection_kill_loops() {
    let schema = PgSchema::new();
    reads_through_kills(Routed::open(&schema.url, 5432).await).await;
}

#[tokio::test]
async fn redis_reads_survive_connection_kill_loops() {
    let db = RedisDb::new();
    reads_through_kills(Routed::open(&db.url, 6379).await).await;
}

/// Appends whose reply is lost say so and are not repeated; a put whose
/// reply is lost is found by its id and reported written, stored once.
async fn lost_replies(routed: Routed) {
    let key = thread("lost-reply");
    // Warm-ups, so that the statements and scripts are already prepared
    // and the next reply lost is that of the write itself.
    routed
        .proxied
        .append_events(&key, &[json!({"n": 1})])
        .await
        .unwrap();
    put(&routed.proxied, &key, 0).await;

    // The connection is open (a read), so the next reply is the write's.
    routed.proxied.log_bounds(&key).await.unwrap();
    routed.proxy.drop_next_reply();
    let error = routed
        .proxied
        .append_events(&key, &[json!({"n": 2})])
        .await
        .expect_err("the reply was lost")
        .to_string();
    assert!(
        error.starts_with(
            "the server may have applied it: appending 1 event(s) to the log of default/lost-reply"
        ),
        "{error}"
    );
    let events = routed.direct.load_events(&key, 0, None).await.unwrap();
    assert_eq!(events.len(), 2, "applied once, not repeated: {events:?}");

    let parent = routed
        .direct
        .latest_checkpoint(&key)
        .await
        .unwrap()
        .unwrap()
        .checkpoint
        .id;
    let cp = Checkpoint::new(&key, Some(parent), 1, json!({"step": 1}), None);
    routed.proxied.log_bounds(&key).await.unwrap();
    routed.proxy.drop_next_reply();
    routed
        .proxied
        .put_checkpoint(&cp, Some(Some(parent)))
        .await
        .expect("settled by its id");
    let history = routed
        .direct
        .checkpoint_history(&key, None, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "stored once");
    assert_eq!(history[0].checkpoint.id, cp.id);
}

#[tokio::test]
async fn postgres_writes_with_lost_replies_are_never_duplicated() {
    let schema = PgSchema::new();
    lost_replies(Routed::open(&schema.url, 5432).await).await;
}

#[tokio::test]
async fn redis_writes_with_lost_replies_are_never_duplicated() {
    let db = RedisDb::new();
    lost_replies(Routed::open(&db.url, 6379).await).await;
}

/// A write on a connection the server terminated while it was idle (what
/// a restart does) is sent again on a new one, and stored once.
#[tokio::test]
async fn postgres_writes_after_the_server_ended_idle_sessions_go_through() {
    let schema = PgSchema::new();
    let name = format!("tc_terminated_{}", std::process::id());
    let url = format!("{}&application_name={name}", schema.url);
    let backend = Backend::open(&url).await.expect("open");
    let key = thread("terminated");
    backend.log_bounds(&key).await.expect("connected");
    crate::common::pg_admin_exec(vec![format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
    )]);
    let last = backend
        .append_events(&key, &[json!({"n": 1})])
        .await
        .expect("sent again on a new connection");
    assert_eq!(last, 1);
    assert_eq!(backend.load_events(&key, 0, None).await.unwrap().len(), 1);
}

/// An append under a held session lock whose reply is lost is reported as
/// possibly applied, and not written again on another connection.
#[tokio::test]
async fn postgres_appends_under_a_hold_with_lost_replies_are_not_repeated() {
    use threadctl::DistributedLock;
    let schema = PgSchema::new();
    let routed = Routed::open(&schema.url, 5432).await;
    let key = thread("held-lost-reply");
    // The warm-up prepares the append on the connection the lock then takes.
    routed
        .proxied
        .append_events(&key, &[json!({"n": 1})])
        .await
        .unwrap();
    let guard = routed
        .proxied
        .try_acquire(&key, Duration::from_secs(30))
        .await
        .unwrap()
        .expect("the lock is free");
    routed.proxy.drop_next_reply();
    let error = routed
        .proxied
        .append_events(&key, &[json!({"n": 2})])
        .await
        .expect_err("the reply was lost")
        .to_string();
    assert!(
        error.starts_with("the server may have applied it"),
        "{error}"
    );
    let events = routed.direct.load_events(&key, 0, None).await.unwrap();
    assert_eq!(events.len(), 2, "applied once, not repeated: {events:?}");
    drop(guard.release().await);
}
