//! Redis backend: byte layout against docs/format.md, hand-written fixtures,
//! owner isolation for colliding ids (shortfall #3), round trips (#5),
//! fork, conflicts and the admin surface.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::RedisDb;
use redis::Commands;
use serde_json::{json, Map, Value};
use threadctl::backend::redis::RedisBackend;
use threadctl::backend::{
    BulkCheckpoints, CheckpointBackend, RecordOutcome, ThreadListing, WriteMode, WriteVersionAdmin,
};
use threadctl::model::{Checkpoint, CheckpointId, EnvelopeVersion, StoredCheckpoint, ThreadKey};
use threadctl::Error;

async fn open(db: &RedisDb) -> RedisBackend {
    RedisBackend::connect(&db.url).await.expect("connect")
}

fn key(tenant: &str, thread: &str) -> ThreadKey {
    ThreadKey::new(tenant, thread).unwrap()
}

fn checkpoint(thread: &ThreadKey, step: u64, state: Value) -> Checkpoint<Value> {
    Checkpoint::new(thread, None, step, state, Some("agent".into()))
}

/// A v1 envelope as the reference writes it.
fn reference_envelope(id: &str, tenant: &str, thread: &str, step: u64) -> String {
    json!({"schema_version": 1, "body": {
        "id": id, "tenant_id": tenant, "thread_id": thread, "parent_id": null,
        "step": step, "state": {"n": step}, "next_node": "agent",
        "timestamp": "2026-11-25T16:40:27.123456789Z"}})
    .to_string()
}

/// Stores an envelope under a thread's keys with plain Redis commands.
/// Writes six reference records under the keys `a:b:c`, alternately of
/// tenant `a:b` thread `c` (even steps) and tenant `a` thread `b:c` (odd
/// steps), as the reference does for the two pairs; returns the ids of
/// each pair, ascending by step.
fn hand_write_interleaved(conn: &mut redis::Connection) -> (Vec<String>, Vec<String>) {
    let (mut even, mut odd) = (Vec::new(), Vec::new());
    for step in 0..6u64 {
        let id = uuid_v7();
        let (tenant, thread, ids) = if step % 2 == 0 {
            ("a:b", "c", &mut even)
        } else {
            ("a", "b:c", &mut odd)
        };
        hand_write(
            conn,
            "a:b:c",
            &id,
            step,
            &reference_envelope(&id, tenant, thread, step),
        );
        ids.push(id);
    }
    (even, odd)
}

fn hand_write(conn: &mut redis::Connection, keys_of: &str, id: &str, step: u64, envelope: &str) {
    let _: () = conn
        .zadd(format!("entelix:cp:{keys_of}:bystep"), id, step)
        .unwrap();
    let _: () = conn
        .hset(format!("entelix:cp:{keys_of}:byid"), id, envelope)
        .unwrap();
}

fn uuid_v7() -> String {
    CheckpointId::new_v7().to_string()
}

/// The readable records of a page (every one must be).
fn readable(page: &threadctl::backend::RecordPage) -> Vec<threadctl::model::StoredCheckpoint> {
    page.records
        .iter()
        .map(|r| r.as_ref().expect("readable record").clone())
        .collect()
}

#[tokio::test]
async fn checkpoints_are_stored_as_the_format_describes_at_v1_and_v2() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    let thread = key("acme", "t1");

    assert_eq!(backend.write_version(), EnvelopeVersion::V1);
    let first = checkpoint(&thread, 0, json!({"messages": ["hi"]}));
    backend.put_checkpoint(&first, None).await.unwrap();

    let scores: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg("entelix:cp:acme:t1:bystep")
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query(&mut conn)
        .unwrap();
    assert_eq!(scores, vec![(first.id.to_string(), 0.0)]);
    let raw: String = conn
        .hget("entelix:cp:acme:t1:byid", first.id.to_string())
        .unwrap();
    let envelope: Value = serde_json::from_str(&raw).unwrap();
    let expected_ts = first
        .timestamp
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    assert_eq!(
        envelope,
        json!({"schema_version": 1, "body": {
            "id": first.id.to_string(), "tenant_id": "acme", "thread_id": "t1",
            "parent_id": null, "step": 0, "state": {"messages": ["hi"]},
            "next_node": "agent", "timestamp": expected_ts}})
    );

    backend
        .set_write_version(EnvelopeVersion::V2)
        .await
        .unwrap();
    let stored: String = conn.get("entelix:meta:envelope_version").unwrap();
    assert_eq!(stored, "2");
    assert_eq!(backend.write_version(), EnvelopeVersion::V2);

    let mut second = checkpoint(&thread, 7, json!({"a": 1}));
    second.parent_id = Some(first.id);
    second.metadata.insert("source".into(), "put".into());
    backend.put_checkpoint(&second, None).await.unwrap();
    let score: f64 = conn
        .zscore("entelix:cp:acme:t1:bystep", second.id.to_string())
        .unwrap();
    assert_eq!(score, 7.0);
    let raw: String = conn
        .hget("entelix:cp:acme:t1:byid", second.id.to_string())
        .unwrap();
    let envelope: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(envelope["schema_version"], 2);
    assert_eq!(envelope["body"]["parent_id"], first.id.to_string());
    assert_eq!(envelope["body"]["metadata"], json!({"source": "put"}));
    // sha256 of the 7 bytes `{"a":1}`, computed with coreutils' sha256sum.
    assert_eq!(
        envelope["body"]["checksum"],
        "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
    );

    // A fresh connection reads the stored write version.
    assert_eq!(open(&db).await.write_version(), EnvelopeVersion::V2);
}

#[tokio::test]
async fn connect_reports_bad_urls_unreachable_servers_and_bad_versions() {
    assert!(matches!(
        RedisBackend::connect("redis://[nope").await,
        Err(Error::InvalidInput { .. })
    ));
    let err = RedisBackend::connect("redis://:hunter2@127.0.0.1:1/0")
        .await
        .err()
        .expect("port 1 is closed");
    let text = err.to_string();
    assert!(matches!(err, Error::Connect { .. }), "{text}");
    assert!(
        text.contains("127.0.0.1:1") && !text.contains("hunter2"),
        "{text}"
    );

    let db = RedisDb::new();
    let mut conn = db.connection();
    for (raw, needle) in [("3", "3"), ("two", "\"two\"")] {
        let _: () = conn.set("entelix:meta:envelope_version", raw).unwrap();
        let text = RedisBackend::connect(&db.url)
            .await
            .err()
            .expect("bad version")
            .to_string();
        assert!(text.contains(needle) && text.contains("1..=2"), "{text}");
    }
}

#[tokio::test]
async fn hand_written_reference_and_v2_records_read_back() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    let thread = key("acme", "t1");

    let old = "0193c0de-0000-7000-8000-000000000001";
    hand_write(
        &mut conn,
        "acme:t1",
        old,
        0,
        &reference_envelope(old, "acme", "t1", 0),
    );
    let new = "0193c0de-0000-7000-8000-000000000002";
    let v2 = format!(
        r#"{{"schema_version":2,"body":{{"id":"{new}","tenant_id":"acme","thread_id":"t1","parent_id":"{old}","step":1,"state":{{"a":1}},"next_node":null,"timestamp":"2026-11-25T16:41:00Z","metadata":{{"source":"fork","by":"ops"}},"checksum":"sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"}}}}"#
    );
    hand_write(&mut conn, "acme:t1", new, 1, &v2);

    let latest = backend.latest_checkpoint(&thread).await.unwrap().unwrap();
    assert_eq!(latest.schema_version, EnvelopeVersion::V2);
    assert_eq!(latest.checkpoint.id.to_string(), new);
    assert_eq!(latest.checkpoint.parent_id.unwrap().to_string(), old);
    assert_eq!(latest.checkpoint.next_node, None);
    assert_eq!(latest.checkpoint.metadata["by"], "ops");

    let first = backend
        .get_checkpoint(&thread, old.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.schema_version, EnvelopeVersion::V1);
    assert_eq!(
        first
            .checkpoint
            .timestamp
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        "2026-11-25T16:40:27.123456789Z"
    );
    assert!(first.checkpoint.metadata.is_empty());

    let history = backend
        .checkpoint_history(&thread, None, None)
        .await
        .unwrap();
    let ids: Vec<String> = history
        .iter()
        .map(|s| s.checkpoint.id.to_string())
        .collect();
    assert_eq!(ids, vec![new, old]);
}

#[tokio::test]
async fn corrupt_records_are_reported_with_their_name() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    let good = reference_envelope("ID", "acme", "THREAD", 0);
    let cases: Vec<(&str, String, bool)> = vec![
        ("bad-json", "{not json".to_string(), false),
        (
            "missing-field",
            good.replace(r#""next_node":"agent","#, ""),
            false,
        ),
        (
            "wrong-checksum",
            json!({"schema_version": 2, "body": {
                "id": "ID", "tenant_id": "acme", "thread_id": "THREAD", "parent_id": null,
                "step": 0, "state": {"a": 2}, "next_node": null,
                "timestamp": "2026-11-25T16:40:27Z", "metadata": {},
                "checksum": "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"}})
            .to_string(),
            false,
        ),
        (
            "empty-tenant",
            good.replace(r#""tenant_id":"acme""#, r#""tenant_id":"""#),
            false,
        ),
        (
            "version-3",
            good.replace(r#""schema_version":1"#, r#""schema_version":3"#),
            true,
        ),
    ];
    for (thread_name, template, unsupported) in cases {
        let id = uuid_v7();
        let envelope = template.replace("ID", &id).replace("THREAD", thread_name);
        hand_write(&mut conn, &format!("acme:{thread_name}"), &id, 0, &envelope);
        let thread = key("acme", thread_name);
        for result in [
            backend.latest_checkpoint(&thread).await.map(|_| ()),
            backend
                .get_checkpoint(&thread, id.parse().unwrap())
                .await
                .map(|_| ()),
            backend
                .checkpoint_history(&thread, Some(10), None)
                .await
                .map(|_| ()),
        ] {
            let err = result.expect_err(thread_name);
            let text = err.to_string();
            if unsupported {
                assert!(
                    matches!(err, Error::UnsupportedVersion { found: 3, .. }),
                    "{text}"
                );
            } else {
                assert!(
                    matches!(err, Error::Corrupt { .. }),
                    "{thread_name}: {text}"
                );
            }
            assert!(text.contains(&id), "{thread_name}: {text}");
        }
    }

    // A sorted-set member without an envelope.
    let id = uuid_v7();
    let _: () = conn
        .zadd("entelix:cp:acme:dangling:bystep", &id, 0)
        .unwrap();
    let err = backend
        .checkpoint_history(&key("acme", "dangling"), None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains(&id), "{err}");
    let err = backend
        .latest_checkpoint(&key("acme", "dangling"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains(&id), "{err}");
}

#[tokio::test]
async fn a_put_over_half_a_record_reports_it_and_a_taken_id_changes_nothing() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    let t = key("acme", "halves");
    let (bystep, byid) = (
        "entelix:cp:acme:halves:bystep",
        "entelix:cp:acme:halves:byid",
    );

    // Listed without an envelope: the put stores the envelope and says so.
    let listed = checkpoint(&t, 3, json!("listed"));
    let _: () = conn.zadd(bystep, listed.id.to_string(), 7).unwrap();
    let err = backend.put_checkpoint(&listed, None).await.unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(
        err.to_string().contains(&listed.id.to_string()) && err.to_string().contains(bystep),
        "{err}"
    );
    let score: f64 = conn.zscore(bystep, listed.id.to_string()).unwrap();
    assert_eq!(score, 7.0, "the listed step is kept");
    let stored: Option<String> = conn.hget(byid, listed.id.to_string()).unwrap();
    assert!(stored.is_some(), "the envelope was stored");

    // An envelope that is not listed: the put lists it, envelope unchanged.
    let unlisted = checkpoint(&t, 4, json!("unlisted"));
    let planted = reference_envelope(&unlisted.id.to_string(), "acme", "halves", 9);
    let _: () = conn.hset(byid, unlisted.id.to_string(), &planted).unwrap();
    let err = backend.put_checkpoint(&unlisted, None).await.unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains(byid), "{err}");
    let kept: String = conn.hget(byid, unlisted.id.to_string()).unwrap();
    assert_eq!(kept, planted);
    let score: f64 = conn.zscore(bystep, unlisted.id.to_string()).unwrap();
    assert_eq!(score, 4.0);

    // A whole record already there: refused, nothing changed.
    let whole = checkpoint(&t, 5, json!("whole"));
    backend.put_checkpoint(&whole, None).await.unwrap();
    let before: String = conn.hget(byid, whole.id.to_string()).unwrap();
    let mut again = whole.clone();
    again.step = 6;
    again.state = json!("other");
    let err = backend.put_checkpoint(&again, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                kind: threadctl::error::ConflictKind::DuplicateId,
                ..
            }
        ),
        "{err}"
    );
    let after: String = conn.hget(byid, whole.id.to_string()).unwrap();
    assert_eq!(after, before);
    let score: f64 = conn.zscore(bystep, whole.id.to_string()).unwrap();
    assert_eq!(score, 5.0);
}

#[tokio::test]
async fn fork_branches_atomically_from_a_parent_of_the_thread() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    backend
        .set_write_version(EnvelopeVersion::V2)
        .await
        .unwrap();
    let mut conn = db.connection();
    let thread = key("acme", "forks");
    let mut parent = checkpoint(&thread, 4, json!({"x": 1}));
    parent.next_node = Some("tools".into());
    backend.put_checkpoint(&parent, None).await.unwrap();

    let mut md = Map::new();
    md.insert("by".into(), json!("ops"));
    let child = backend
        .fork_checkpoint(&thread, parent.id, json!({"x": 2}), md)
        .await
        .unwrap();
    let cp = &child.checkpoint;
    assert_eq!(
        (cp.step, cp.parent_id, cp.next_node.as_deref()),
        (5, Some(parent.id), Some("tools"))
    );
    assert_eq!(cp.metadata["source"], "fork");
    assert_eq!(cp.metadata["by"], "ops");
    assert_eq!(
        cp.metadata["forked_from"]["checkpoint_id"],
        parent.id.to_string()
    );
    let stored = backend
        .get_checkpoint(&thread, cp.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, child);

    let before: u64 = conn.zcard("entelix:cp:acme:forks:bystep").unwrap();
    let elsewhere = checkpoint(&key("acme", "other"), 0, json!(0));
    backend.put_checkpoint(&elsewhere, None).await.unwrap();
    assert!(matches!(
        backend
            .fork_checkpoint(&thread, elsewhere.id, json!(1), Map::new())
            .await,
        Err(Error::NotFound(_))
    ));
    let after: u64 = conn.zcard("entelix:cp:acme:forks:bystep").unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn colliding_pairs_never_see_or_write_into_each_others_records() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    // Tenant `a:b` thread `c` and tenant `a` thread `b:c` share these keys.
    let ours = key("a:b", "c");
    let theirs = key("a", "b:c");

    // The reference already wrote interleaved records of both pairs.
    let (mut mine, _) = hand_write_interleaved(&mut conn);
    mine.reverse();
    let history = backend
        .checkpoint_history(&ours, Some(2), None)
        .await
        .unwrap();
    let ids: Vec<String> = history
        .iter()
        .map(|s| s.checkpoint.id.to_string())
        .collect();
    assert_eq!(ids, mine[..2]);
    assert!(history
        .iter()
        .all(|s| s.checkpoint.tenant_id.as_str() == "a:b"));
    let latest = backend.latest_checkpoint(&theirs).await.unwrap().unwrap();
    assert_eq!(latest.checkpoint.tenant_id.as_str(), "a");
    assert_eq!(latest.checkpoint.step, 5);
    let page: Vec<u64> = readable(&backend.read_page(&ours, None, 10).await.unwrap())
        .iter()
        .map(|s| s.checkpoint.step)
        .collect();
    assert_eq!(page, vec![0, 2, 4]);
    // Another pair's record is invisible by id, as a cursor and as a parent.
    let foreign = latest.checkpoint.id;
    assert!(backend
        .get_checkpoint(&ours, foreign)
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        backend.checkpoint_history(&ours, None, Some(foreign)).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        backend
            .fork_checkpoint(&ours, foreign, json!(1), Map::new())
            .await,
        Err(Error::NotFound(_))
    ));
    // Writing into the shared keys is refused, naming the other pair.
    let err = backend
        .put_checkpoint(&checkpoint(&ours, 9, json!(9)), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { message: m, .. } if m.contains("b:c")),
        "{err}"
    );

    // Both pairs are listed, each with its own records only.
    let threads = backend.list_threads(None).await.unwrap();
    let summary: Vec<(ThreadKey, u64, Option<u64>)> = threads
        .into_iter()
        .map(|s| (s.thread, s.checkpoints, s.latest_step))
        .collect();
    assert_eq!(
        summary,
        vec![(theirs.clone(), 3, Some(5)), (ours.clone(), 3, Some(4))]
    );
    let tenants: Vec<String> = backend
        .list_tenants()
        .await
        .unwrap()
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(tenants, vec!["a", "a:b"]);
}

#[tokio::test]
async fn a_colliding_pair_alone_in_its_keys_writes_normally() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let ours = key("a:b", "c");
    let first = checkpoint(&ours, 0, json!(0));
    backend.put_checkpoint(&first, None).await.unwrap();
    let second = checkpoint(&ours, 1, json!(1));
    backend
        .put_checkpoint(&second, Some(Some(first.id)))
        .await
        .unwrap();
    // The pair that would share the keys is refused, and sees nothing.
    let theirs = key("a", "b:c");
    assert!(matches!(
        backend
            .put_checkpoint(&checkpoint(&theirs, 0, json!(0)), None)
            .await,
        Err(Error::Conflict { .. })
    ));
    assert!(backend.latest_checkpoint(&theirs).await.unwrap().is_none());
    assert_eq!(
        backend
            .latest_checkpoint(&ours)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .id,
        second.id
    );
}

/// A TCP relay in front of the test Redis that counts the commands its
/// clients send (RESP arrays), so a test can count one backend's round
/// trips without seeing other tests' traffic on the shared server.
mod relay {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// Starts the relay; returns its port and the command counter.
    pub async fn start() -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, counter.clone()));
            }
        });
        (port, count)
    }

    async fn relay(client: TcpStream, count: Arc<AtomicUsize>) {
        let base = url::Url::parse(&common::redis_base_url()).unwrap();
        let server_addr = format!(
            "{}:{}",
            base.host_str().unwrap_or("127.0.0.1"),
            base.port().unwrap_or(6379)
        );
        let Ok(server) = TcpStream::connect(server_addr).await else {
            return;
        };
        let (mut client_rx, mut client_tx) = client.into_split();
        let (mut server_rx, mut server_tx) = server.into_split();
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut server_rx, &mut client_tx).await;
        });
        let mut pending = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = match client_rx.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            pending.extend_from_slice(&chunk[..n]);
            while let Some(used) = complete_command(&pending) {
                pending.drain(..used);
                count.fetch_add(1, Ordering::SeqCst);
            }
            if server_tx.write_all(&chunk[..n]).await.is_err() {
                return;
            }
        }
    }

    /// Length of the first complete RESP command in `buf`, if any.
    fn complete_command(buf: &[u8]) -> Option<usize> {
        let (items, mut at) = header(buf, 0, b'*')?;
        for _ in 0..items {
            let (len, body) = header(buf, at, b'$')?;
            at = body + len + 2;
            if buf.len() < at {
                return None;
            }
        }
        Some(at)
    }

    /// Parses `<kind><number>\r\n` at `at`: the number and where it ends.
    fn header(buf: &[u8], at: usize, kind: u8) -> Option<(usize, usize)> {
        if *buf.get(at)? != kind {
            panic!("unexpected RESP from the client");
        }
        let end = at + buf[at..].windows(2).position(|w| w == b"\r\n")?;
        let n = std::str::from_utf8(&buf[at + 1..end]).ok()?.parse().ok()?;
        Some((n, end + 2))
    }
}

#[tokio::test]
async fn history_and_latest_take_at_most_two_round_trips() {
    let db = RedisDb::new();
    let (port, count) = relay::start().await;
    let backend = RedisBackend::connect(&format!("redis://127.0.0.1:{port}/{}", db.db))
        .await
        .unwrap();
    let thread = key("acme", "long");
    for step in 0..150u64 {
        backend
            .put_checkpoint(&checkpoint(&thread, step, json!({"step": step})), None)
            .await
            .unwrap();
    }
    // Even with the script cache empty (EVALSHA fails, EVAL follows).
    let _: () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query(&mut db.connection())
        .unwrap();
    for _ in 0..2 {
        let start = count.load(Ordering::SeqCst);
        let history = backend
            .checkpoint_history(&thread, Some(100), None)
            .await
            .unwrap();
        let used = count.load(Ordering::SeqCst) - start;
        assert!((1..=2).contains(&used), "history took {used} commands");
        let steps: Vec<u64> = history.iter().map(|s| s.checkpoint.step).collect();
        assert_eq!(steps, (50..150).rev().collect::<Vec<_>>());

        let start = count.load(Ordering::SeqCst);
        let latest = backend.latest_checkpoint(&thread).await.unwrap().unwrap();
        let used = count.load(Ordering::SeqCst) - start;
        assert!((1..=2).contains(&used), "latest took {used} commands");
        assert_eq!(latest.checkpoint.step, 149);
    }
    // Sanity: the relay does count (a put is at least one command).
    let start = count.load(Ordering::SeqCst);
    backend
        .put_checkpoint(&checkpoint(&thread, 150, json!(0)), None)
        .await
        .unwrap();
    assert!(count.load(Ordering::SeqCst) > start);
}

/// Steps are sorted-set scores (doubles): one beyond 2^53 is refused
/// instead of being stored in the wrong order.
#[tokio::test]
async fn steps_beyond_exact_scores_are_refused() {
    let db = RedisDb::new();
    let backend = open(&db).await;
    let thread = key("acme", "big-steps");
    let exact = checkpoint(&thread, 1 << 53, json!({}));
    backend.put_checkpoint(&exact, None).await.unwrap();
    let beyond = checkpoint(&thread, (1 << 53) + 1, json!({}));
    let err = backend.put_checkpoint(&beyond, None).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    let history = backend
        .checkpoint_history(&thread, None, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "nothing else was written");
}

#[tokio::test]
async fn deletes_on_shared_keys_leave_the_other_pairs_records() {
    use threadctl::backend::{BulkDeletes, SessionLogBackend};
    let db = RedisDb::new();
    let backend = open(&db).await;
    // Both pairs land on the keys entelix:cp:a:b:c:… (docs/format.md);
    // threadctl never mixes them, the reference does: plant the other's.
    let (ours, theirs) = (key("a:b", "c"), key("a", "b:c"));
    let mine = checkpoint(&ours, 0, json!("mine"));
    let other = checkpoint(&theirs, 0, json!("theirs"));
    backend.put_checkpoint(&mine, None).await.unwrap();
    backend.append_events(&ours, &[json!(1)]).await.unwrap();
    let _: () = redis::pipe()
        .cmd("ZADD")
        .arg("entelix:cp:a:b:c:bystep")
        .arg(0)
        .arg(other.id.to_string())
        .cmd("HSET")
        .arg("entelix:cp:a:b:c:byid")
        .arg(other.id.to_string())
        .arg(threadctl::model::envelope::encode_document(
            &other,
            EnvelopeVersion::V1,
        ))
        .query(&mut db.connection())
        .unwrap();

    assert_eq!(
        backend
            .delete_checkpoints(&ours, &[other.id])
            .await
            .unwrap(),
        0
    );
    let gone = backend.delete_thread(&ours).await.unwrap();
    assert_eq!(gone.checkpoints, 1);
    assert!(gone.shared_log_kept, "the log may be the other pair's");
    assert!(backend.latest_checkpoint(&ours).await.unwrap().is_none());
    assert_eq!(
        backend
            .latest_checkpoint(&theirs)
            .await
            .unwrap()
            .unwrap()
            .checkpoint,
        other
    );
    assert_eq!(backend.log_bounds(&theirs).await.unwrap().last, 1);

    // Once no other pair's records remain, the log goes with the thread.
    let gone = backend.delete_thread(&theirs).await.unwrap();
    assert_eq!(
        (gone.checkpoints, gone.events, gone.shared_log_kept),
        (1, 1, false)
    );
    let left: Vec<String> = redis::cmd("KEYS")
        .arg("entelix:*")
        .query(&mut db.connection())
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn rm_of_a_colliding_pair_leaves_the_other_pairs_records_and_log() {
    use std::time::Duration;
    use threadctl::backend::{SessionLogBackend, ThreadSelection};
    use threadctl::ops::rm::{remove_thread, RmOptions};
    use threadctl::ops::verify::{self, VerifyOptions};

    let db = RedisDb::new();
    let backend = open(&db).await;
    let mut conn = db.connection();
    let (ours, theirs) = (key("a:b", "c"), key("a", "b:c"));
    let (_, their_ids) = hand_write_interleaved(&mut conn);
    // One log under the shared keys: whose events they are is unknowable
    // (so threadctl refuses it to both; another program wrote it).
    let _: () = conn
        .rpush("entelix:session:a:b:c:events", &["1", "2"])
        .unwrap();

    let options = RmOptions {
        lock_ttl: Duration::from_secs(10),
        lock_wait: Duration::ZERO,
    };
    let gone = remove_thread(&backend, &ours, &options).await.unwrap();
    assert_eq!(
        (gone.checkpoints, gone.events, gone.shared_log_kept),
        (3, 0, true)
    );
    assert!(backend.latest_checkpoint(&ours).await.unwrap().is_none());
    let left: Vec<String> = readable(&backend.read_page(&theirs, None, 10).await.unwrap())
        .iter()
        .map(|s| s.checkpoint.id.to_string())
        .collect();
    assert_eq!(left, their_ids);
    assert_eq!(
        backend.load_events(&theirs, 0, None).await.unwrap().len(),
        2
    );

    let report = verify::run(
        &backend,
        &VerifyOptions {
            selection: ThreadSelection::everything(),
            page_size: 10,
        },
        |_| {},
    )
    .await
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!((report.threads, report.records), (1, 3));
}

/// A batch into a thread the store does not hold yet is staged under keys
/// of its own and renamed into the thread's in one transaction; concurrent
/// batches into the same new thread race for it, and those that lose go
/// through the checked write instead. Whatever the interleaving, every
/// record lands, the thread's keys keep no expiry and no staging key is
/// left behind; a taken id is still refused afterwards.
#[tokio::test]
async fn batches_racing_into_a_new_thread_all_land_without_leftover_keys() {
    let db = RedisDb::new();
    let backend = Arc::new(open(&db).await);
    let thread = key("acme", "racing");
    let batches: Vec<Vec<StoredCheckpoint>> = (0..8u64)
        .map(|b| {
            (0..5u64)
                .map(|s| StoredCheckpoint {
                    checkpoint: checkpoint(&thread, b * 5 + s, json!({"batch": b, "step": s})),
                    schema_version: EnvelopeVersion::V1,
                })
                .collect()
        })
        .collect();
    let writes = batches.iter().cloned().map(|batch| {
        let (backend, thread) = (Arc::clone(&backend), thread.clone());
        tokio::spawn(async move {
            backend
                .write_batch(&thread, &batch, WriteMode::OnlyNew)
                .await
        })
    });
    for outcome in futures_util::future::join_all(writes).await {
        assert_eq!(outcome.unwrap().unwrap(), vec![RecordOutcome::Written; 5]);
    }

    let mut conn = db.connection();
    let staged: Vec<String> = conn.keys("threadctl:staging:*").unwrap();
    assert!(staged.is_empty(), "staging keys left: {staged:?}");
    for name in [
        "entelix:cp:acme:racing:bystep",
        "entelix:cp:acme:racing:byid",
    ] {
        let ttl: i64 = conn.ttl(name).unwrap();
        assert_eq!(ttl, -1, "{name} must not expire");
    }
    let page = backend.read_page(&thread, None, 100).await.unwrap();
    let mut expected: Vec<StoredCheckpoint> = batches.concat();
    expected.sort_by_key(|s| s.checkpoint.step);
    assert_eq!(readable(&page), expected);

    let mut taken = batches[0][0].clone();
    taken.checkpoint.state = json!("other");
    let outcomes = backend
        .write_batch(&thread, &[taken], WriteMode::OnlyNew)
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        vec![RecordOutcome::Conflict(
            threadctl::error::ConflictKind::DuplicateId
        )]
    );
}
