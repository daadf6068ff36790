//! Every tenant-scoped Postgres operation is one round trip, tenant scoping
//! included: counted as ReadyForQuery messages through a relaying proxy.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use threadctl::backend::postgres::PostgresBackend;
use threadctl::backend::{CheckpointBackend, DistributedLock, SessionLogBackend, StoreBackend};
use threadctl::{Checkpoint, Namespace, TenantId, ThreadKey};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use common::PgSchema;

/// Relays connections to the test server, counting the server's
/// ReadyForQuery messages (one per completed round trip).
async fn counting_proxy(upstream: String) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(&upstream).await.unwrap();
            let counter = counter.clone();
            tokio::spawn(relay(client, server, counter));
        }
    });
    (port, count)
}

async fn relay(client: TcpStream, server: TcpStream, count: Arc<AtomicUsize>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
    });
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match server_read.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        // Backend messages: one type byte, then a big-endian length that
        // counts itself.
        while pending.len() >= 5 {
            let len = u32::from_be_bytes([pending[1], pending[2], pending[3], pending[4]]) as usize;
            if pending.len() < 1 + len {
                break;
            }
            if pending[0] == b'Z' {
                count.fetch_add(1, Ordering::SeqCst);
            }
            pending.drain(..1 + len);
        }
        if client_write.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn each_operation_is_one_round_trip() {
    let schema = PgSchema::new();
    let base = url::Url::parse(&common::pg_base_url()).unwrap();
    let upstream = format!(
        "{}:{}",
        base.host_str().unwrap(),
        base.port().unwrap_or(5432)
    );
    let (port, count) = counting_proxy(upstream).await;
    let mut proxied = url::Url::parse(&schema.url).unwrap();
    proxied.set_host(Some("127.0.0.1")).unwrap();
    proxied.set_port(Some(port)).unwrap();
    let url = format!("{proxied}&sslmode=disable");
    let backend = PostgresBackend::connect(&url).await.unwrap();

    let thread = ThreadKey::new("acme", format!("rt-{}", schema.schema)).unwrap();
    let ns = Namespace::new(TenantId::new("acme").unwrap(), ["notes"]);
    let first = Checkpoint::new(&thread, None, 0, json!({"n": 0}), None);
    backend.put_checkpoint(&first, None).await.unwrap();

    // A warm-up pass prepares each statement on the connection.
    pass(&backend, &count, &thread, &ns, &first).await;
    for (name, taken) in pass(&backend, &count, &thread, &ns, &first).await {
        assert_eq!(taken, 1, "{name} took {taken} round trips");
    }
}

/// Runs each operation once; returns how many round trips each took.
async fn pass(
    backend: &PostgresBackend,
    count: &AtomicUsize,
    thread: &ThreadKey,
    ns: &Namespace,
    first: &Checkpoint,
) -> Vec<(&'static str, usize)> {
    let mut trips = Vec::new();
    let mut before = count.load(Ordering::SeqCst);
    let mut record = |name: &'static str| {
        let now = count.load(Ordering::SeqCst);
        trips.push((name, now - before));
        before = now;
    };
    let next = Checkpoint::new(thread, None, 1, json!({"n": 1}), None);
    // A stale expectation is refused in the same single round trip.
    let _ = backend.put_checkpoint(&next, Some(Some(first.id))).await;
    record("put with expect_latest");
    backend.latest_checkpoint(thread).await.unwrap();
    record("latest");
    backend
        .checkpoint_history(thread, Some(10), None)
        .await
        .unwrap();
    record("history");
    backend
        .fork_checkpoint(thread, first.id, json!("f"), Default::default())
        .await
        .unwrap();
    record("fork");
    backend
        .append_events(thread, &[json!(1), json!(2), json!(3)])
        .await
        .unwrap();
    record("append of 3 events");
    backend.load_events(thread, 0, None).await.unwrap();
    record("load events");
    backend.archive_events(thread, 2).await.unwrap();
    record("archive");
    backend
        .store_put(ns, "k", &json!(1), Some(Duration::from_secs(60)))
        .await
        .unwrap();
    record("store put");
    backend.store_get(ns, "k").await.unwrap();
    record("store get");
    backend.store_list_keys(ns, "").await.unwrap();
    record("store list keys");
    // The lock lives on a pooled connection: no new session (whose
    // start-up would count as one more round trip) to take it, and the
    // connection goes back to the pool for the next call.
    let guard = backend
        .try_acquire(thread, Duration::from_secs(30))
        .await
        .unwrap()
        .expect("the lock is free");
    record("lock acquire");
    guard.release().await.unwrap();
    record("lock release");
    backend.latest_checkpoint(thread).await.unwrap();
    record("latest after a lock");
    trips
}
