//! SQLite-specific checks: the on-disk layout seen through plain SQL,
//! hand-written rows, corrupt rows, file and directory creation, and two
//! backends sharing one file.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};
use sqlx::{Connection, Row, SqliteConnection};
use threadctl::backend::sqlite::SqliteBackend;
use threadctl::backend::{
    CheckpointBackend, DistributedLock, LockAdmin, SessionLogBackend, StoreBackend, ThreadListing,
    WriteVersionAdmin,
};
use threadctl::model::checksum::state_checksum;
use threadctl::model::envelope::format_timestamp;
use threadctl::{
    Checkpoint, Checkpointer, EnvelopeVersion, Error, LockKey, Namespace, StoreUrl, TenantId,
    ThreadKey,
};

use common::SqliteFile;

fn tk(tenant: &str, thread: &str) -> ThreadKey {
    ThreadKey::new(tenant, thread).unwrap()
}

fn ns(tenant: &str, scope: &[&str]) -> Namespace {
    Namespace::new(TenantId::new(tenant).unwrap(), scope.iter().copied())
}

async fn raw(file: &SqliteFile) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", file.path.display()))
        .await
        .expect("plain connection")
}

async fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    sqlx::query(&format!("PRAGMA table_info({table})"))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("name"))
        .collect()
}

async fn state_column(conn: &mut SqliteConnection, id: &str) -> Value {
    let raw: String = sqlx::query_scalar("SELECT state FROM checkpoints WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    serde_json::from_str(&raw).unwrap()
}

#[tokio::test]
async fn layout_matches_the_documented_tables_and_encodings() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let t = tk("acme", "t1");
    let v1 = Checkpoint::new(
        &t,
        None,
        0,
        json!({"b": 1, "a": [true]}),
        Some("agent".into()),
    );
    Checkpointer::put(&b, &v1).await.unwrap();
    b.set_write_version(EnvelopeVersion::V2).await.unwrap();
    let v2 = Checkpoint::new(&t, Some(v1.id), 1, json!({"x": "y"}), None);
    Checkpointer::put(&b, &v2).await.unwrap();
    b.append_events(&t, &[json!("e1"), json!({"k": 2})])
        .await
        .unwrap();
    b.archive_events(&t, 1).await.unwrap();
    b.store_put(
        &ns("acme", &["agent:1", "notes"]),
        "k",
        &json!([1]),
        Some(Duration::from_secs(60)),
    )
    .await
    .unwrap();
    let guard = b
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();

    let mut conn = raw(&file).await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(
        columns(&mut conn, "checkpoints").await,
        [
            "tenant_id",
            "thread_id",
            "id",
            "parent_id",
            "step",
            "state",
            "next_node",
            "ts"
        ]
    );
    assert_eq!(
        columns(&mut conn, "session_events").await,
        ["tenant_id", "thread_id", "seq", "event", "ts"]
    );
    assert_eq!(
        columns(&mut conn, "memory_items").await,
        ["tenant_id", "namespace", "key", "value", "ts", "expires_at"]
    );
    assert_eq!(
        columns(&mut conn, "schema_version").await,
        ["component", "version", "applied_at"]
    );

    // Checkpoint rows: canonical ids and timestamps, the Postgres state object.
    let row = sqlx::query("SELECT * FROM checkpoints WHERE id = ?")
        .bind(v2.id.to_string())
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("tenant_id"), "acme");
    assert_eq!(row.get::<String, _>("thread_id"), "t1");
    assert_eq!(row.get::<String, _>("parent_id"), v1.id.to_string());
    assert_eq!(row.get::<i64, _>("step"), 1);
    assert_eq!(row.get::<Option<String>, _>("next_node"), None);
    assert_eq!(row.get::<String, _>("ts"), format_timestamp(&v2.timestamp));
    assert_eq!(
        state_column(&mut conn, &v1.id.to_string()).await,
        json!({"schema_version": 1, "state": {"b": 1, "a": [true]}})
    );
    common::assert_v2_state_column(
        &state_column(&mut conn, &v2.id.to_string()).await,
        &json!({"x": "y"}),
        &json!({"source": "put"}),
    );

    let envelope: i64 =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'envelope'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(envelope, 2);

    // Events keep their ordinal as seq; the bounds row remembers the watermark.
    let seqs: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, event FROM session_events ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(seqs, vec![(2, "{\"k\":2}".to_string())]);
    let bounds: (i64, i64) = sqlx::query_as(
        "SELECT watermark, last_seq FROM threadctl_session_log WHERE tenant_id = 'acme' AND thread_id = 't1'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(bounds, (1, 2));

    // Store rows: rendered namespace, plain JSON value, fixed-width expiry.
    let item = sqlx::query("SELECT * FROM memory_items")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(item.get::<String, _>("namespace"), "acme:agent\\:1:notes");
    assert_eq!(item.get::<String, _>("value"), "[1]");
    let expires: String = item.get("expires_at");
    assert_eq!(
        expires.len(),
        "2026-11-25T16:40:27.123456Z".len(),
        "{expires}"
    );

    // The lock row: the Redis key of the thread, our token, expiry in ms.
    let (key, token, expires_at): (String, String, i64) =
        sqlx::query_as("SELECT key, token, expires_at FROM threadctl_locks")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(key, LockKey::session(&t).redis_key());
    assert_eq!(key, "entelix:lock:8c70ab9866aab940");
    assert_eq!(token, guard.token());
    let now = chrono::Utc::now().timestamp_millis();
    assert!(expires_at > now && expires_at <= now + 30_000);
    let status = b.lock_status(&t).await.unwrap();
    let left = status.ttl_remaining.unwrap();
    assert!(left > Duration::from_secs(20) && left <= Duration::from_secs(30));
    guard.release().await.unwrap();
}

#[tokio::test]
async fn hand_written_rows_are_read_as_written() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let mut conn = raw(&file).await;
    let state = json!({"messages": ["hi\u{0000}there"], "n": 1});
    let v2 = json!({
        "schema_version": 2, "state": state,
        "metadata": {"source": "fork", "who": "me"},
        "checksum": state_checksum(&state),
    });
    for (id, parent, step, column, ts) in [
        (
            "0193c0de-0000-7000-8000-000000000001",
            None,
            0,
            json!({"schema_version": 1, "state": {"x": 1}}),
            "2026-11-25T16:40:27.123456789Z",
        ),
        (
            "0193c0de-0000-7000-8000-000000000002",
            Some("0193c0de-0000-7000-8000-000000000001"),
            1,
            v2,
            "2026-11-25T16:41:00Z",
        ),
    ] {
        sqlx::query("INSERT INTO checkpoints VALUES ('acme', 't1', ?, ?, ?, ?, 'agent', ?)")
            .bind(id)
            .bind(parent)
            .bind(step)
            .bind(column.to_string())
            .bind(ts)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let t = tk("acme", "t1");
    let history = b.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(history.len(), 2);
    let latest = &history[0];
    assert_eq!(latest.schema_version, EnvelopeVersion::V2);
    assert_eq!(latest.checkpoint.state, state);
    assert_eq!(latest.checkpoint.metadata["who"], "me");
    assert_eq!(latest.checkpoint.parent_id, Some(history[1].checkpoint.id));
    let first = &history[1].checkpoint;
    assert_eq!(
        format_timestamp(&first.timestamp),
        "2026-11-25T16:40:27.123456789Z"
    );
    assert_eq!(first.state, json!({"x": 1}));
    assert_eq!(first.next_node.as_deref(), Some("agent"));
    assert_eq!(history[1].schema_version, EnvelopeVersion::V1);

    // NUL characters survive everywhere.
    let nul = tk("acme\u{0000}x", "t\u{0000}");
    let n = ns("acme\u{0000}x", &["a\u{0000}b"]);
    b.append_events(&nul, &[json!("e\u{0000}")]).await.unwrap();
    b.store_put(&n, "k\u{0000}1", &json!("v\u{0000}"), None)
        .await
        .unwrap();
    b.store_put(&n, "k", &json!(1), None).await.unwrap();
    assert_eq!(
        b.load_events(&nul, 0, None).await.unwrap()[0].event,
        json!("e\u{0000}")
    );
    assert_eq!(
        b.store_list_keys(&n, "k\u{0000}").await.unwrap(),
        vec!["k\u{0000}1"]
    );
    assert_eq!(
        b.store_list_keys(&n, "").await.unwrap(),
        vec!["k", "k\u{0000}1"]
    );
    assert_eq!(
        b.store_list_namespaces(&ns("acme\u{0000}x", &[]))
            .await
            .unwrap(),
        vec![n.clone()]
    );
    assert!(b
        .store_list_namespaces(&ns("acme", &[]))
        .await
        .unwrap()
        .is_empty());
}

/// Inserts a checkpoint row of thread `acme/bad` with the given columns.
async fn insert_bad(conn: &mut SqliteConnection, tenant: &str, id: &str, step: i64, state: &str) {
    sqlx::query(
        "INSERT INTO checkpoints VALUES (?, 'bad', ?, NULL, ?, ?, NULL, '2026-11-25T16:40:27Z')",
    )
    .bind(tenant)
    .bind(id)
    .bind(step)
    .bind(state)
    .execute(&mut *conn)
    .await
    .unwrap();
}

fn corrupt_text(result: threadctl::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(e @ Error::Corrupt { .. }) => e.to_string(),
        other => panic!("expected a corrupt-record error, got {other:?}"),
    }
}

#[tokio::test]
async fn corrupt_rows_are_reported_with_their_identity() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let mut conn = raw(&file).await;
    let t = tk("acme", "bad");
    let ok_state = r#"{"schema_version":1,"state":{}}"#;
    let cases: [(&str, i64, &str, &str); 6] = [
        (
            "0193c0de-0000-7000-8000-00000000000a",
            0,
            "{not json",
            "invalid JSON",
        ),
        (
            "0193c0de-0000-7000-8000-00000000000b",
            0,
            r#"{"state":{}}"#,
            "schema_version",
        ),
        (
            "0193c0de-0000-7000-8000-00000000000c",
            0,
            r#"{"schema_version":1}"#,
            "`state`",
        ),
        (
            "0193c0de-0000-7000-8000-00000000000d",
            -1,
            ok_state,
            "negative",
        ),
        (
            "0193c0de-0000-7000-8000-00000000000e",
            0,
            r#"{"schema_version":2,"state":{},"metadata":{},"checksum":"sha256:00"}"#,
            "checksum",
        ),
        ("not-a-uuid", 0, ok_state, "not a UUID"),
    ];
    for (id, step, state, problem) in cases {
        insert_bad(&mut conn, "acme", id, step, state).await;
        let text = corrupt_text(b.checkpoint_history(&t, None, None).await);
        assert!(text.contains(problem), "{text}");
        assert!(
            text.contains(id) && text.contains("bad") && text.contains("checkpoints"),
            "{text}"
        );
        if let Ok(parsed) = id.parse() {
            corrupt_text(b.get_checkpoint(&t, parsed).await);
        }
        sqlx::query("DELETE FROM checkpoints")
            .execute(&mut conn)
            .await
            .unwrap();
    }

    insert_bad(
        &mut conn,
        "acme",
        "0193c0de-0000-7000-8000-00000000000f",
        0,
        r#"{"schema_version":7,"state":{}}"#,
    )
    .await;
    match b.latest_checkpoint(&t).await {
        Err(e @ Error::UnsupportedVersion { found: 7, .. }) => {
            assert!(e.to_string().contains("1..=2"), "{e}")
        }
        other => panic!("expected an unsupported version, got {other:?}"),
    }
    sqlx::query("DELETE FROM checkpoints")
        .execute(&mut conn)
        .await
        .unwrap();

    insert_bad(
        &mut conn,
        "",
        "0193c0de-0000-7000-8000-000000000010",
        0,
        ok_state,
    )
    .await;
    corrupt_text(b.list_tenants().await);
    corrupt_text(b.list_threads(None).await);
    sqlx::query("DELETE FROM checkpoints")
        .execute(&mut conn)
        .await
        .unwrap();

    sqlx::query(
        "INSERT INTO session_events VALUES ('acme', 'bad', 1, '{oops', '2026-11-25T16:40:27Z')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let text = corrupt_text(b.load_events(&t, 0, None).await);
    assert!(
        text.contains("session_events") && text.contains("acme/bad"),
        "{text}"
    );

    sqlx::query("INSERT INTO memory_items VALUES ('acme', 'acme:n', 'k', '{oops', '2026-11-25T16:40:27Z', NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    let text = corrupt_text(b.store_get(&ns("acme", &["n"]), "k").await);
    assert!(
        text.contains("memory_items") && text.contains("acme:n"),
        "{text}"
    );
    sqlx::query("INSERT INTO memory_items VALUES ('acme', 'acme:bad\\escape', 'k', '1', '2026-11-25T16:40:27Z', NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    let text = corrupt_text(b.store_list_namespaces(&ns("acme", &[])).await);
    assert!(text.contains("bad\\\\escape"), "{text}");

    sqlx::query("INSERT INTO schema_version VALUES ('envelope', 9, '2026-11-25T16:40:27Z')")
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(matches!(
        b.refresh_write_version().await,
        Err(Error::UnsupportedVersion { found: 9, .. })
    ));
    assert!(matches!(
        SqliteBackend::open(&file.path).await,
        Err(Error::UnsupportedVersion { found: 9, .. })
    ));
}

#[tokio::test]
async fn opening_creates_directories_and_is_idempotent() {
    let file = SqliteFile::new();
    let deep = file.dir.path().join("a/b/c/store.db");
    let b = SqliteBackend::open(&deep).await.unwrap();
    assert!(deep.is_file());
    assert_eq!(b.path(), deep.as_path());
    Checkpointer::put(&b, &Checkpoint::new(&tk("x", "y"), None, 0, json!(1), None))
        .await
        .unwrap();
    let again = SqliteBackend::open(&deep).await.unwrap();
    assert_eq!(
        again
            .checkpoint_history(&tk("x", "y"), None, None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(again.write_version(), EnvelopeVersion::V1);

    // The embedded default lives in the user's data directory.
    std::env::set_var("XDG_DATA_HOME", file.dir.path().join("xdg"));
    let StoreUrl::Sqlite(default) = StoreUrl::embedded_default().unwrap() else {
        panic!("the embedded default is SQLite");
    };
    assert_eq!(default, file.dir.path().join("xdg/threadctl/threadctl.db"));
    let url = StoreUrl::Sqlite(default.clone());
    let opened = threadctl::Backend::open_parsed(&url, &Default::default())
        .await
        .unwrap();
    assert_eq!(opened.kind(), threadctl::BackendKind::Sqlite);
    assert!(default.is_file());
}

#[tokio::test]
async fn expired_items_are_evicted_and_counted() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let n = ns("acme", &["ttl"]);
    for key in ["a", "b"] {
        b.store_put(&n, key, &json!(key), Some(Duration::from_millis(50)))
            .await
            .unwrap();
    }
    b.store_put(&n, "c", &json!("c"), None).await.unwrap();
    b.store_put(
        &ns("other", &[]),
        "d",
        &json!(1),
        Some(Duration::from_millis(50)),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(b.store_evict_expired(&n.tenant).await.unwrap(), 2);
    let mut conn = raw(&file).await;
    let left: Vec<String> = sqlx::query_scalar("SELECT key FROM memory_items ORDER BY key")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(left, vec!["c", "d"], "only the tenant's expired rows go");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_backends_share_one_file() {
    let file = SqliteFile::new();
    let (one, two) = tokio::join!(
        SqliteBackend::open(&file.path),
        SqliteBackend::open(&file.path)
    );
    let (one, two) = (Arc::new(one.unwrap()), Arc::new(two.unwrap()));
    let t = tk("acme", "shared");

    let held = one
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert!(two
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .is_none());
    assert!(two.lock_status(&t).await.unwrap().held);
    held.release().await.unwrap();
    let theirs = two
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert!(one
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .is_none());
    theirs.release().await.unwrap();

    // Appends from both handles interleave without gaps or repeats.
    let mut tasks = Vec::new();
    for (i, backend) in [&one, &two, &one, &two].into_iter().enumerate() {
        let (backend, t) = (Arc::clone(backend), t.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for j in 0..15 {
                got.push(
                    backend
                        .append_events(&t, &[json!([i, j]), json!([i, j, "b"])])
                        .await
                        .unwrap(),
                );
            }
            got
        }));
    }
    let mut lasts = BTreeSet::new();
    for task in tasks {
        lasts.extend(task.await.unwrap());
    }
    assert_eq!(lasts, (1..=60).map(|n| n * 2).collect::<BTreeSet<u64>>());
    let ordinals: Vec<u64> = two
        .load_events(&t, 0, None)
        .await
        .unwrap()
        .iter()
        .map(|e| e.ordinal)
        .collect();
    assert_eq!(ordinals, (1..=120).collect::<Vec<_>>());

    // Concurrent forks of one parent from both handles all land.
    let root = Checkpoint::new(&t, None, 0, json!("root"), None);
    Checkpointer::put(&*one, &root).await.unwrap();
    let forks = futures_util::future::join_all((0..6).map(|i| {
        let backend = if i % 2 == 0 {
            Arc::clone(&one)
        } else {
            Arc::clone(&two)
        };
        let t = t.clone();
        async move {
            backend
                .fork_checkpoint(&t, root.id, json!(i), Map::new())
                .await
        }
    }))
    .await;
    assert!(forks
        .iter()
        .all(|f| f.as_ref().is_ok_and(|f| f.checkpoint.step == 1)));
    assert_eq!(
        one.checkpoint_history(&t, None, None).await.unwrap().len(),
        7
    );

    two.set_write_version(EnvelopeVersion::V2).await.unwrap();
    assert_eq!(
        one.refresh_write_version().await.unwrap(),
        EnvelopeVersion::V2
    );
}

/// Set in child processes of [`separate_processes_exclude_each_other`]: the
/// database file to work on.
const CHILD_ENV: &str = "THREADCTL_SQLITE_TEST_CHILD_DB";
const CHILD_ROUNDS: u64 = 5;

/// Runs only as a child process: increments a shared counter under the
/// session lock (read, pause, write) and appends events.
#[tokio::test]
async fn child_process_worker() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let b = SqliteBackend::open(std::path::Path::new(&path))
        .await
        .unwrap();
    let t = tk("acme", "processes");
    let n = ns("acme", &["processes"]);
    for round in 0..CHILD_ROUNDS {
        let guard = b
            .acquire(&t, Duration::from_secs(30), Duration::from_secs(60))
            .await
            .unwrap();
        let seen = b
            .store_get(&n, "counter")
            .await
            .unwrap()
            .map_or(0, |i| i.value.as_u64().unwrap());
        tokio::time::sleep(Duration::from_millis(10)).await;
        b.store_put(&n, "counter", &json!(seen + 1), None)
            .await
            .unwrap();
        guard.release().await.unwrap();
        b.append_events(&t, &[json!({"pid": std::process::id(), "round": round})])
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn separate_processes_exclude_each_other() {
    let file = SqliteFile::new();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_process_worker", "--quiet"])
                .env(CHILD_ENV, &file.path)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let counter = b
        .store_get(&ns("acme", &["processes"]), "counter")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        counter.value,
        json!(3 * CHILD_ROUNDS),
        "no lost updates across processes"
    );
    let events = b
        .load_events(&tk("acme", "processes"), 0, None)
        .await
        .unwrap();
    let ordinals: Vec<u64> = events.iter().map(|e| e.ordinal).collect();
    assert_eq!(ordinals, (1..=3 * CHILD_ROUNDS).collect::<Vec<_>>());
    let pids: BTreeSet<u64> = events
        .iter()
        .map(|e| e.event["pid"].as_u64().unwrap())
        .collect();
    assert_eq!(pids.len(), 3);
}

/// Many processes' first opens of one new file race to switch it to WAL;
/// every open must succeed (SQLite answers that race with an immediate
/// "database is locked").
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_opens_of_a_new_file_all_succeed() {
    for _ in 0..10 {
        let file = SqliteFile::new();
        let opens = (0..8).map(|_| SqliteBackend::open(&file.path));
        for opened in futures_util::future::join_all(opens).await {
            opened.expect("open");
        }
    }
}

/// An append larger than one INSERT statement numbers its events in order
/// across the statements, after what the thread had; each row holds the
/// event's JSON text.
#[tokio::test]
async fn a_large_append_numbers_every_event_in_order() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let t = tk("acme", "large");
    assert_eq!(b.append_events(&t, &[json!("first")]).await.unwrap(), 1);
    let events: Vec<Value> = (0..2500).map(|i| json!({"i": i})).collect();
    assert_eq!(b.append_events(&t, &events).await.unwrap(), 2501);

    let loaded = b.load_events(&t, 1, None).await.unwrap();
    let ordinals: Vec<u64> = loaded.iter().map(|e| e.ordinal).collect();
    assert_eq!(ordinals, (2..=2501).collect::<Vec<u64>>());
    let stored: Vec<Value> = loaded.into_iter().map(|e| e.event).collect();
    assert_eq!(stored, events);
    assert_eq!(b.log_bounds(&t).await.unwrap().last, 2501);

    let mut conn = raw(&file).await;
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT event FROM session_events WHERE seq IN (1, 2501) ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(texts, ["\"first\"", "{\"i\":2499}"]);
}

/// A write dropped while its `BEGIN IMMEDIATE` is in flight (a timeout, a
/// cancelled request) leaves no open transaction behind: the next writes
/// neither find the database locked nor a pooled connection still inside
/// a transaction. The drops land at varying points of the writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_cancelled_mid_transaction_leave_no_transaction_behind() {
    let file = SqliteFile::new();
    let b = SqliteBackend::open(&file.path).await.unwrap();
    let t = tk("acme", "cancelled");
    for i in 0..600u64 {
        let cut = Duration::from_micros(i % 300);
        let _ = tokio::time::timeout(cut, b.archive_events(&t, i)).await;
        let _ = tokio::time::timeout(cut, b.append_events(&t, &[json!(i)])).await;
        if let Err(e) = b.archive_events(&t, i / 2).await {
            panic!("a write after {i} cancelled ones failed: {e}");
        }
    }
    b.append_events(&t, &[json!("last")]).await.unwrap();
}

#[tokio::test]
async fn a_fork_of_a_missing_or_corrupt_parent_writes_nothing_and_says_why() {
    let file = SqliteFile::new();
    let backend = SqliteBackend::open(&file.path).await.unwrap();
    let t = tk("acme", "forks");
    let mut parent = Checkpoint::new(&t, None, 4, json!("parent"), Some("tools".into()));
    parent.next_node = Some("tools".into());
    Checkpointer::put(&backend, &parent).await.unwrap();

    let forked = backend
        .fork_checkpoint(&t, parent.id, json!("child"), Map::new())
        .await
        .unwrap();
    assert_eq!(forked.checkpoint.step, 5);
    assert_eq!(forked.checkpoint.next_node.as_deref(), Some("tools"));
    assert_eq!(forked.checkpoint.parent_id, Some(parent.id));
    assert_eq!(
        backend
            .get_checkpoint(&t, forked.checkpoint.id)
            .await
            .unwrap()
            .unwrap(),
        forked
    );

    let missing = threadctl::CheckpointId::new_v7();
    let err = backend
        .fork_checkpoint(&t, missing, json!("x"), Map::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
    assert!(err.to_string().contains(&missing.to_string()), "{err}");

    let mut conn = raw(&file).await;
    for (step, says) in [
        ("'four'", "not an integer"),
        ("-1", "negative"),
        ("9223372036854775807", "cannot be incremented"),
    ] {
        sqlx::query(&format!(
            "UPDATE checkpoints SET step = {step} WHERE id = ?"
        ))
        .bind(parent.id.to_string())
        .execute(&mut conn)
        .await
        .unwrap();
        let err = backend
            .fork_checkpoint(&t, parent.id, json!("x"), Map::new())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "step {step}: {err}");
        assert!(err.to_string().contains(says), "step {step}: {err}");
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM checkpoints")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(count, 2, "step {step}: nothing written");
    }
}
