//! Postgres-specific behaviour: schema setup and compatibility with the
//! reference's layout, what threadctl writes, row-level security, the
//! reference's shortfalls, and the advisory session lock.

mod common;

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::{PgPool, Row};
use threadctl::backend::postgres::PostgresBackend;
use threadctl::backend::{
    BulkCheckpoints, CheckpointBackend, DistributedLock, LockAdmin, SessionLogBackend,
    StoreBackend, ThreadListing, WriteVersionAdmin,
};
use threadctl::{Checkpoint, CheckpointId, EnvelopeVersion, Error, Namespace, TenantId, ThreadKey};

use common::reference::{reference_layout_sql, CHECKSUM_INITIAL, CHECKSUM_RLS};
use common::{PgRole, PgSchema};

async fn open(url: &str) -> PostgresBackend {
    PostgresBackend::connect(url).await.expect("connect")
}

async fn plain(schema: &PgSchema) -> PgPool {
    PgPool::connect(&schema.url)
        .await
        .expect("plain connection")
}

/// The schema version the reference's own component row records.
async fn reference_schema_version(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'entelix-persistence'")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn key(tenant: &str, thread: &str) -> ThreadKey {
    ThreadKey::new(tenant, thread).unwrap()
}

fn ns(tenant: &str, scope: &[&str]) -> Namespace {
    Namespace::new(TenantId::new(tenant).unwrap(), scope.iter().copied())
}

fn cp(thread: &ThreadKey, step: u64, state: Value) -> Checkpoint<Value> {
    Checkpoint::new(thread, None, step, state, Some("agent".into()))
}

/// The reference's layout, written by hand from docs/format.md (index names
/// deliberately differ from threadctl's).
#[tokio::test]
async fn setup_on_an_empty_schema_is_idempotent_and_safe_concurrently() {
    let schema = PgSchema::new();
    let first = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    first
        .put_checkpoint(&cp(&t, 0, json!(1)), None)
        .await
        .unwrap();
    let second = open(&schema.url).await;
    assert_eq!(
        second
            .latest_checkpoint(&t)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .step,
        0
    );

    let other = PgSchema::new();
    let (a, b) = tokio::join!(
        PostgresBackend::connect(&other.url),
        PostgresBackend::connect(&other.url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    a.append_events(&t, &[json!("x")]).await.unwrap();
    assert_eq!(b.log_bounds(&t).await.unwrap().last, 1);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&plain(&other).await)
        .await
        .unwrap();
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn reads_what_the_reference_wrote_in_its_own_schema() {
    let schema = PgSchema::new();
    let pool = plain(&schema).await;
    sqlx::raw_sql(&reference_layout_sql())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::raw_sql(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts) VALUES \
           ('acme', 't1', '0193c0de-0000-7000-8000-000000000001', NULL, 0, \
            '{\"schema_version\": 1, \"state\": {\"messages\": [\"hi\"]}}', 'agent', '2026-11-25T16:40:27.123456Z'), \
           ('acme', 't1', '0193c0de-0000-7000-8000-000000000002', '0193c0de-0000-7000-8000-000000000001', 1, \
            '{\"schema_version\": 1, \"state\": {\"messages\": [\"hi\", \"yo\"]}}', NULL, '2026-11-25T16:40:28Z');
         INSERT INTO session_events (tenant_id, thread_id, seq, event) VALUES \
           ('acme', 't1', 1, '{\"kind\": \"a\"}'), ('acme', 't1', 2, '{\"kind\": \"b\"}');
         INSERT INTO memory_items (tenant_id, namespace, key, value, expires_at) VALUES \
           ('acme', 'acme:agent\\:1:notes', 'k', '{\"v\": 1}', NULL), \
           ('acme', 'acme:agent\\:1:notes', 'gone', '1', now() - interval '1 hour');",
    )
    .execute(&pool)
    .await
    .unwrap();

    let backend = open(&schema.url).await;
    assert_eq!(backend.write_version(), EnvelopeVersion::V1);
    let t = key("acme", "t1");
    let latest = backend.latest_checkpoint(&t).await.unwrap().unwrap();
    assert_eq!(latest.schema_version, EnvelopeVersion::V1);
    assert_eq!(
        latest.checkpoint.id.to_string(),
        "0193c0de-0000-7000-8000-000000000002"
    );
    assert_eq!(latest.checkpoint.state, json!({"messages": ["hi", "yo"]}));
    assert_eq!(latest.checkpoint.next_node, None);
    let history = backend.checkpoint_history(&t, None, None).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].checkpoint.next_node.as_deref(), Some("agent"));
    assert_eq!(
        threadctl::model::envelope::format_timestamp(&history[1].checkpoint.timestamp),
        "2026-11-25T16:40:27.123456Z"
    );

    let events = backend.load_events(&t, 0, None).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.ordinal).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(
        backend
            .append_events(&t, &[json!({"kind": "c"})])
            .await
            .unwrap(),
        3
    );

    let notes = ns("acme", &["agent:1", "notes"]);
    assert_eq!(
        backend.store_get(&notes, "k").await.unwrap().unwrap().value,
        json!({"v": 1})
    );
    assert!(backend.store_get(&notes, "gone").await.unwrap().is_none());
    assert_eq!(
        backend.store_list_keys(&notes, "").await.unwrap(),
        vec!["k"]
    );

    // Nothing of the reference's was duplicated or rewritten.
    let indexes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'checkpoints'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        indexes, 4,
        "primary key, the reference's two indexes and threadctl's (step, id) one"
    );
    let times: Vec<i64> =
        sqlx::query_scalar("SELECT execution_time FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(times, vec![1234, 567]);
    assert_eq!(reference_schema_version(&pool).await, 2);
}

#[tokio::test]
async fn an_empty_schema_is_left_as_the_reference_expects() {
    let schema = PgSchema::new();
    let _backend = open(&schema.url).await;
    let pool = plain(&schema).await;

    let rows = sqlx::query(
        "SELECT version, description, success, encode(checksum, 'hex') AS checksum, installed_on IS NOT NULL AS dated \
         FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let got: Vec<(i64, String, bool, String, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                20260426000000,
                "initial".into(),
                true,
                CHECKSUM_INITIAL.into(),
                true
            ),
            (
                20260501000001,
                "row level security".into(),
                true,
                CHECKSUM_RLS.into(),
                true
            ),
        ]
    );
    let sqlx_columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations' ORDER BY ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        sqlx_columns,
        [
            ("version", "bigint"),
            ("description", "text"),
            ("installed_on", "timestamp with time zone"),
            ("success", "boolean"),
            ("checksum", "bytea"),
            ("execution_time", "bigint"),
        ]
        .map(|(c, t)| (c.to_string(), t.to_string()))
    );

    for table in ["checkpoints", "session_events", "memory_items"] {
        let (enabled, forced): (bool, bool) = sqlx::query_as(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class \
             WHERE relname = $1 AND relnamespace = current_schema()::regnamespace",
        )
        .bind(table)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(
            enabled && forced,
            "{table}: RLS enabled {enabled}, forced {forced}"
        );
        let (cmd, using, check): (String, String, String) = sqlx::query_as(
            "SELECT cmd::text, qual, with_check FROM pg_policies \
             WHERE schemaname = current_schema() AND tablename = $1 AND policyname = 'tenant_isolation'",
        )
        .bind(table)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(cmd, "ALL");
        for expr in [using, check] {
            assert!(
                expr.contains("current_setting('entelix.tenant_id'::text, true)"),
                "{expr}"
            );
        }
    }

    let columns = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (String, String, String)>(
                "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(c, t, n)| format!("{c} {t} {n}"))
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        columns("checkpoints").await,
        [
            "tenant_id text NO",
            "thread_id text NO",
            "id uuid NO",
            "parent_id uuid YES",
            "step bigint NO",
            "state jsonb NO",
            "next_node text YES",
            "ts timestamp with time zone NO"
        ]
    );
    assert_eq!(
        columns("memory_items").await,
        [
            "tenant_id text NO",
            "namespace text NO",
            "key text NO",
            "value jsonb NO",
            "ts timestamp with time zone NO",
            "expires_at timestamp with time zone YES"
        ]
    );
    let primary_keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, pg_get_constraintdef(k.oid) FROM pg_constraint k \
         JOIN pg_class c ON c.oid = k.conrelid \
         WHERE k.contype = 'p' AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let pk = |t: &str| {
        primary_keys
            .iter()
            .find(|(n, _)| n == t)
            .map(|(_, d)| d.clone())
    };
    assert_eq!(
        pk("checkpoints").unwrap(),
        "PRIMARY KEY (tenant_id, thread_id, id)"
    );
    assert_eq!(
        pk("session_events").unwrap(),
        "PRIMARY KEY (tenant_id, thread_id, seq)"
    );
    assert_eq!(
        pk("memory_items").unwrap(),
        "PRIMARY KEY (tenant_id, namespace, key)"
    );
    assert_eq!(pk("schema_version").unwrap(), "PRIMARY KEY (component)");
    let index_defs: Vec<String> = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'checkpoints'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(index_defs
        .iter()
        .any(|d| d.contains("(tenant_id, thread_id, step DESC, ts DESC)")));
    assert!(index_defs
        .iter()
        .any(|d| d.contains("(tenant_id, thread_id, parent_id) WHERE (parent_id IS NOT NULL)")));

    assert_eq!(reference_schema_version(&pool).await, 2);
}

#[tokio::test]
async fn what_threadctl_writes_is_the_documented_layout() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let pool = plain(&schema).await;
    let t = key("acme", "t1");

    let first = cp(&t, 0, json!({"b": 1, "a": "x"}));
    backend.put_checkpoint(&first, None).await.unwrap();
    let (state, next, ts): (Value, Option<String>, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "SELECT state, next_node, ts FROM checkpoints WHERE tenant_id = 'acme' AND thread_id = 't1' AND id = $1",
    )
    .bind(first.id.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        state,
        json!({"schema_version": 1, "state": {"b": 1, "a": "x"}})
    );
    assert_eq!(next.as_deref(), Some("agent"));
    assert_eq!(ts, first.timestamp);

    backend
        .set_write_version(EnvelopeVersion::V2)
        .await
        .unwrap();
    let stored: i64 =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'envelope'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 2);
    assert_eq!(open(&schema.url).await.write_version(), EnvelopeVersion::V2);

    let mut second = cp(&t, 1, json!({"b": 2, "a": [true]}));
    second.parent_id = Some(first.id);
    second.metadata.insert("source".into(), json!("put"));
    backend.put_checkpoint(&second, None).await.unwrap();
    let state: Value = sqlx::query_scalar("SELECT state FROM checkpoints WHERE id = $1")
        .bind(second.id.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    common::assert_v2_state_column(
        &state,
        &json!({"b": 2, "a": [true]}),
        &json!({"source": "put"}),
    );

    let fork = backend
        .fork_checkpoint(&t, first.id, json!("forked"), Default::default())
        .await
        .unwrap();
    let (parent, step, next, state): (Option<uuid::Uuid>, i64, Option<String>, Value) =
        sqlx::query_as("SELECT parent_id, step, next_node, state FROM checkpoints WHERE id = $1")
            .bind(fork.checkpoint.id.0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (parent, step, next.as_deref()),
        (Some(first.id.0), 1, Some("agent"))
    );
    assert_eq!(state["metadata"]["source"], "fork");
    assert_eq!(
        state["metadata"]["forked_from"]["checkpoint_id"],
        first.id.to_string()
    );

    backend
        .append_events(&t, &[json!({"n": 1}), json!({"n": 2})])
        .await
        .unwrap();
    let events: Vec<(i64, Value)> = sqlx::query_as(
        "SELECT seq, event FROM session_events WHERE tenant_id = 'acme' AND thread_id = 't1' ORDER BY seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(events, vec![(1, json!({"n": 1})), (2, json!({"n": 2}))]);

    let notes = ns("acme", &["agent:1", "notes"]);
    backend
        .store_put(
            &notes,
            "k",
            &json!({"v": [1]}),
            Some(Duration::from_secs(3600)),
        )
        .await
        .unwrap();
    let (namespace, value, live): (String, Value, bool) = sqlx::query_as(
        "SELECT namespace, value, expires_at > now() + interval '59 minutes' FROM memory_items WHERE key = 'k'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(namespace, "acme:agent\\:1:notes");
    assert_eq!(value, json!({"v": [1]}));
    assert!(live);
}

#[tokio::test]
async fn corrupt_rows_are_reported_by_record() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let pool = plain(&schema).await;
    sqlx::raw_sql(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, step, state, ts) VALUES \
           ('acme', 't1', '0193c0de-0000-7000-8000-00000000000a', 0, '{\"state\": 1}', now()), \
           ('acme', 't2', '0193c0de-0000-7000-8000-00000000000b', 0, '{\"schema_version\": 9, \"state\": 1}', now())",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = backend
        .latest_checkpoint(&key("acme", "t1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("0193c0de-0000-7000-8000-00000000000a")
            && text.contains("acme/t1")
            && text.contains("schema_version"),
        "{text}"
    );
    let err = backend
        .latest_checkpoint(&key("acme", "t2"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedVersion { found: 9, .. }),
        "{err}"
    );

    sqlx::raw_sql(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, step, state, ts) VALUES \
           ('acme', '', '0193c0de-0000-7000-8000-00000000000c', 0, '{\"schema_version\": 1, \"state\": 1}', now())",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = backend.list_threads(None).await.unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

#[tokio::test]
async fn tenants_never_see_each_other_under_row_level_security() {
    let schema = PgSchema::new();
    let admin = open(&schema.url).await;
    let role = PgRole::restricted(&schema);
    let restricted = open(&schema.url_as(&role.name)).await;

    let a = key("tenant-a", "t1");
    let b = key("tenant-b", "t1");
    let secret = cp(&a, 0, json!("secret of A"));
    restricted.put_checkpoint(&secret, None).await.unwrap();
    restricted
        .append_events(&a, &[json!("a1"), json!("a2")])
        .await
        .unwrap();
    restricted.archive_events(&a, 1).await.unwrap();
    let ns_a = ns("tenant-a", &["s"]);
    restricted
        .store_put(&ns_a, "k", &json!("A"), None)
        .await
        .unwrap();

    // Tenant B asks about the same thread id and about A's ids.
    assert!(restricted.latest_checkpoint(&b).await.unwrap().is_none());
    assert!(restricted
        .get_checkpoint(&b, secret.id)
        .await
        .unwrap()
        .is_none());
    assert!(restricted
        .checkpoint_history(&b, None, None)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        restricted
            .fork_checkpoint(&b, secret.id, json!(1), Default::default())
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(restricted
        .load_events(&b, 0, None)
        .await
        .unwrap()
        .is_empty());
    let bounds = restricted.log_bounds(&b).await.unwrap();
    assert_eq!((bounds.watermark, bounds.last), (0, 0));
    assert_eq!(
        restricted.append_events(&b, &[json!("b1")]).await.unwrap(),
        1
    );
    let ns_b = ns("tenant-b", &["s"]);
    assert!(restricted.store_get(&ns_b, "k").await.unwrap().is_none());
    assert!(restricted
        .store_list_namespaces(&ns("tenant-b", &[]))
        .await
        .unwrap()
        .is_empty());
    assert!(restricted
        .list_threads(Some(&b.tenant))
        .await
        .unwrap()
        .is_empty());
    assert!(restricted
        .read_page(&b, None, 10)
        .await
        .unwrap()
        .records
        .is_empty());

    // A still sees its own data, through the function a bound role pages
    // with and through the table the admin (bypassing it) pages directly.
    for reader in [&restricted, &admin] {
        let page = reader.read_page(&a, None, 10).await.unwrap();
        let records: Vec<_> = page.records.into_iter().map(Result::unwrap).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].checkpoint, secret);
    }
    // A still sees its own data.
    assert_eq!(
        restricted
            .latest_checkpoint(&a)
            .await
            .unwrap()
            .unwrap()
            .checkpoint,
        secret
    );
    assert_eq!(restricted.log_bounds(&a).await.unwrap().watermark, 1);
    assert_eq!(
        restricted
            .list_threads(Some(&a.tenant))
            .await
            .unwrap()
            .len(),
        1
    );

    // Cross-tenant work says why it cannot see, instead of "nothing".
    assert!(!restricted.bypasses_rls() && admin.bypasses_rls());
    assert_eq!(restricted.role_name(), role.name);
    assert!(matches!(
        restricted.list_tenants().await,
        Err(Error::RlsRestricted { .. })
    ));
    assert!(matches!(
        restricted.list_threads(None).await,
        Err(Error::RlsRestricted { .. })
    ));
    let tenants = admin.list_tenants().await.unwrap();
    assert_eq!(tenants, vec![a.tenant.clone(), b.tenant.clone()]);

    // Plain SQL as the restricted role without the tenant setting sees nothing.
    let raw = PgPool::connect(&schema.url_as(&role.name)).await.unwrap();
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM checkpoints")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(visible, 0);
    raw.close().await;
    restricted.close().await;
}

#[tokio::test]
async fn appending_while_holding_the_lock_completes() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    let guard = backend
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    let appended = tokio::time::timeout(Duration::from_secs(20), async {
        backend
            .append_events(&t, &[json!("a"), json!("b")])
            .await
            .unwrap();
        backend.archive_events(&t, 1).await.unwrap();
        backend.append_events(&t, &[json!("c")]).await.unwrap()
    })
    .await
    .expect("an append by the lock holder must not wait on its own lock");
    assert_eq!(appended, 3);

    // Another instance's append waits for the holder, then continues.
    let other = open(&schema.url).await;
    let thread = t.clone();
    let waiting = tokio::spawn(async move {
        let last = other.append_events(&thread, &[json!("d")]).await.unwrap();
        (last, other)
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !waiting.is_finished(),
        "another connection's append waits for the lock holder"
    );
    guard.release().await.unwrap();
    let (last, _other) = waiting.await.unwrap();
    assert_eq!(last, 4);
}

#[tokio::test]
async fn fork_and_multi_event_append_are_atomic() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let pool = plain(&schema).await;
    let t = key("acme", &schema.schema);
    let root = cp(&t, 4, json!("root"));
    backend.put_checkpoint(&root, None).await.unwrap();

    let missing = CheckpointId::new_v7();
    assert!(matches!(
        backend
            .fork_checkpoint(&t, missing, json!("x"), Default::default())
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        backend
            .fork_checkpoint(
                &key("acme", "other"),
                root.id,
                json!("x"),
                Default::default()
            )
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        backend
            .checkpoint_history(&t, None, None)
            .await
            .unwrap()
            .len(),
        1
    );
    let fork = backend
        .fork_checkpoint(&t, root.id, json!("x"), Default::default())
        .await
        .unwrap();
    assert_eq!(fork.checkpoint.step, 5);
    assert_eq!(backend.latest_checkpoint(&t).await.unwrap().unwrap(), fork);

    // A failure on the third row of an append leaves none of its rows.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.event = '\"poison\"'::jsonb THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER refuse_poison BEFORE INSERT ON session_events FOR EACH ROW EXECUTE FUNCTION refuse_poison();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = backend
        .append_events(&t, &[json!("ok1"), json!("ok2"), json!("poison")])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Backend { .. }), "{err}");
    assert!(backend.load_events(&t, 0, None).await.unwrap().is_empty());
    assert_eq!(backend.append_events(&t, &[json!("ok")]).await.unwrap(), 1);

    // Each operation is one statement: a single threadctl function.
    let functions: Vec<String> = sqlx::query_scalar(
        "SELECT proname::text FROM pg_proc WHERE pronamespace = current_schema()::regnamespace \
         AND proname LIKE 'threadctl\\_%' AND NOT prosecdef ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(functions.contains(&"threadctl_cp_fork".to_string()));
    assert!(functions.contains(&"threadctl_events_append".to_string()));
}

#[tokio::test]
async fn a_lock_that_is_not_extended_expires_with_its_ttl() {
    let schema = PgSchema::new();
    let holder = open(&schema.url).await;
    let other = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    let mut guard = holder
        .try_acquire(&t, Duration::from_millis(300))
        .await
        .unwrap()
        .unwrap();
    guard.extend(Duration::from_secs(30)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        other
            .try_acquire(&t, Duration::from_secs(5))
            .await
            .unwrap()
            .is_none(),
        "extended to 30s"
    );
    guard.extend(Duration::from_millis(200)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let taken = other
        .acquire(&t, Duration::from_secs(5), Duration::from_secs(5))
        .await
        .expect("the expired lock is free");
    assert!(matches!(
        guard.extend(Duration::from_secs(1)).await,
        Err(Error::LockLost(_))
    ));
    assert!(
        matches!(guard.release().await, Err(Error::LockLost(_))),
        "releasing an expired lock reports it lost"
    );
    assert!(
        holder.lock_status(&t).await.unwrap().held,
        "releasing a lost lock leaves the new holder alone"
    );
    taken.release().await.unwrap();

    // The same instance can take its own expired lock again.
    let mut mine = holder
        .try_acquire(&t, Duration::from_millis(100))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = holder
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .expect("our own expired lock is free again");
    assert!(matches!(
        mine.extend(Duration::from_secs(1)).await,
        Err(Error::LockLost(_))
    ));
    assert!(matches!(mine.release().await, Err(Error::LockLost(_))));
    assert!(other
        .try_acquire(&t, Duration::from_secs(1))
        .await
        .unwrap()
        .is_none());
    again.release().await.unwrap();
}

#[tokio::test]
async fn nul_characters_are_refused_before_anything_is_written() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    let bad = cp(&t, 0, json!({"text": "a\u{0}b"}));
    let err = backend.put_checkpoint(&bad, None).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert!(
        err.to_string().contains("NUL") && err.to_string().contains("/text"),
        "{err}"
    );
    assert!(backend.latest_checkpoint(&t).await.unwrap().is_none());

    let err = backend
        .append_events(&t, &[json!("fine"), json!(["\u{0}"])])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { .. }) && err.to_string().contains("NUL"),
        "{err}"
    );
    assert_eq!(backend.log_bounds(&t).await.unwrap().last, 0);

    let n = ns("acme", &["s"]);
    let err = backend
        .store_put(&n, "k", &json!({"k\u{0}": 1}), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert!(backend.store_get(&n, "k").await.unwrap().is_none());
    assert!(matches!(
        backend.store_put(&n, "k\u{0}", &json!(1), None).await,
        Err(Error::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn the_session_lock_excludes_and_uses_the_documented_advisory_pair() {
    let schema = PgSchema::new();
    let first = open(&schema.url).await;
    let second = open(&schema.url).await;
    let t = key("acme", "t1");
    let guard = first
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(guard.key(), "advisory(-1938773096,1722464576)");
    assert!(second
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .is_none());
    assert!(first
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .is_none());

    let pool = plain(&schema).await;
    let holders: Vec<i32> = sqlx::query_scalar(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted \
         AND classid = 2356194200::oid AND objid = 1722464576::oid",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(holders.len(), 1);
    let status = second.lock_status(&t).await.unwrap();
    assert!(status.held);
    assert_eq!(status.key, "advisory(-1938773096,1722464576)");
    assert!(status
        .holder
        .unwrap()
        .contains(&format!("pid {}", holders[0])));
    assert!(second
        .list_locks()
        .await
        .unwrap()
        .iter()
        .any(|l| l.key == guard.key()));

    let err = second
        .release_lock_token(&t, guard.token())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("connection"), "{err}");
    assert!(!first.release_lock_token(&t, "not-the-token").await.unwrap());
    assert!(first.release_lock_token(&t, guard.token()).await.unwrap());
    assert!(!second.lock_status(&t).await.unwrap().held);
    assert!(
        matches!(guard.release().await, Err(Error::LockLost(_))),
        "a lock released by token is lost to its guard"
    );

    // The other test vectors map to the documented pairs too.
    let g = second
        .try_acquire(&key("globex", "a:b/ü"), Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(g.key(), "advisory(1284400042,-1844987830)");
    assert!(first.break_lock(&key("globex", "a:b/ü")).await.unwrap());
    let mut g = g;
    assert!(matches!(
        g.extend(Duration::from_secs(1)).await,
        Err(Error::LockLost(_))
    ));
    assert!(matches!(g.release().await, Err(Error::LockLost(_))));
    assert!(!first.break_lock(&key("globex", "a:b/ü")).await.unwrap());
}

#[tokio::test]
async fn a_lock_is_freed_when_its_holders_connection_closes() {
    let schema = PgSchema::new();
    let t = key("default", "thread-1");
    let holder = open(&schema.url).await;
    let guard = holder
        .try_acquire(&t, Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(guard.key(), "advisory(-1386757873,1302141018)");
    let other = open(&schema.url).await;
    assert!(other
        .try_acquire(&t, Duration::from_secs(60))
        .await
        .unwrap()
        .is_none());
    // The holding process goes away without releasing.
    drop(guard);
    drop(holder);
    let taken = other
        .acquire(&t, Duration::from_secs(60), Duration::from_secs(10))
        .await
        .expect("the lock is free once its connection closed");
    taken.release().await.unwrap();
}

/// The backend sessions of one test's backend, by its application name.
async fn session_pids(admin: &PgPool, app: &str) -> Vec<i32> {
    sqlx::query_scalar("SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid")
        .bind(app)
        .fetch_all(admin)
        .await
        .unwrap()
}

/// Released, a lock's connection goes back to the pool with the session's
/// own `idle_session_timeout` again, not the lock's TTL: it outlives a short
/// TTL and serves the next call, and a session timeout of the URL's own
/// still ends it once it has been idle that long.
#[tokio::test]
async fn a_released_locks_connection_is_pooled_with_its_own_session_timeout() {
    let schema = PgSchema::new();
    let admin = plain(&schema).await;
    let t = key("acme", &schema.schema);

    let app = format!("tc_{}", schema.schema);
    let backend = open(&format!("{}&application_name={app}", schema.url)).await;
    let guard = backend
        .try_acquire(&t, Duration::from_millis(300))
        .await
        .unwrap()
        .expect("the lock is free");
    guard.release().await.unwrap();
    let pooled = session_pids(&admin, &app).await;
    assert_eq!(pooled.len(), 1, "{pooled:?}");
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(session_pids(&admin, &app).await, pooled);
    backend.append_events(&t, &[json!(1)]).await.unwrap();
    assert_eq!(session_pids(&admin, &app).await, pooled);

    let own = format!("{app}_own");
    let timed = open(&format!(
        "{}&application_name={own}&options=-c%20idle_session_timeout%3D2000",
        schema.url
    ))
    .await;
    let guard = timed
        .try_acquire(&t, Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the lock is free");
    guard.release().await.unwrap();
    assert_eq!(session_pids(&admin, &own).await.len(), 1);
    // The server ends the session 2 s after it went idle; on a loaded
    // machine that can take longer to show, so wait for it, boundedly.
    let mut left = session_pids(&admin, &own).await;
    for _ in 0..60 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        left = session_pids(&admin, &own).await;
    }
    assert_eq!(left, Vec::<i32>::new(), "the idle session was never ended");
}

/// More locks released at once than the pool's size (10) while others are
/// still held: their connections stay pooled and serve the next locks,
/// instead of being closed and opened again.
#[tokio::test]
async fn connections_of_locks_released_together_are_reused() {
    let schema = PgSchema::new();
    let admin = plain(&schema).await;
    let app = format!("tc_{}_many", schema.schema);
    let backend = open(&format!("{}&application_name={app}", schema.url)).await;
    let take = |set: &'static str| {
        let backend = &backend;
        let schema = &schema.schema;
        async move {
            let threads: Vec<ThreadKey> = (0..13)
                .map(|i| key("acme", &format!("{schema}-{set}-{i}")))
                .collect();
            let mut guards = Vec::new();
            for t in &threads {
                let guard = backend.try_acquire(t, Duration::from_secs(30)).await;
                guards.push(guard.unwrap().expect("the lock is free"));
            }
            guards
        }
    };
    let first = take("a").await;
    let held = take("b").await;
    let sessions = session_pids(&admin, &app).await;
    assert!(sessions.len() >= 26, "{sessions:?}");
    for guard in first {
        guard.release().await.unwrap();
    }
    let again = take("c").await;
    assert_eq!(
        session_pids(&admin, &app).await,
        sessions,
        "the released locks' connections served the next ones"
    );
    for guard in held.into_iter().chain(again) {
        guard.release().await.unwrap();
    }
}

#[tokio::test]
async fn connect_reports_bad_urls_and_unreachable_servers() {
    assert!(matches!(
        PostgresBackend::connect("postgres://u:pw@host:notaport/db").await,
        Err(Error::InvalidInput { .. })
    ));
    let err = PostgresBackend::connect("postgres://u:s3cret@127.0.0.1:1/db")
        .await
        .err()
        .expect("nothing listens on port 1");
    assert!(matches!(err, Error::Connect { .. }), "{err}");
    assert!(
        !err.to_string().contains("s3cret") && err.to_string().contains("127.0.0.1:1"),
        "{err}"
    );
}

#[tokio::test]
async fn a_pooled_connection_ended_by_the_server_is_not_reused() {
    let schema = PgSchema::new();
    let app = format!("tc_{}", schema.schema);
    let backend = open(&format!("{}&application_name={app}", schema.url)).await;
    let t = key("acme", &schema.schema);
    backend.append_events(&t, &[json!(1)]).await.unwrap();
    let admin = plain(&schema).await;
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(&app)
    .fetch_all(&admin)
    .await
    .unwrap();
    assert!(!ended.is_empty());
    // The call meeting the dead connection may fail; the next one works.
    let first = backend.log_bounds(&t).await;
    assert!(
        matches!(first, Ok(_) | Err(Error::Backend { .. })),
        "{first:?}"
    );
    assert_eq!(backend.log_bounds(&t).await.unwrap().last, 1);
}

#[tokio::test]
async fn a_role_granted_only_on_the_reference_tables_works_once_an_admin_set_up() {
    let schema = PgSchema::new();
    let pool = plain(&schema).await;
    sqlx::raw_sql(&reference_layout_sql())
        .execute(&pool)
        .await
        .unwrap();
    let role = PgRole::on_tables(
        &schema,
        &[
            "checkpoints",
            "session_events",
            "memory_items",
            "schema_version",
        ],
    );
    let url = schema.url_as(&role.name);

    // Before anyone set threadctl up, the role is told what to do.
    let err = PostgresBackend::connect(&url)
        .await
        .err()
        .expect("the role cannot create threadctl's objects");
    let said = err.to_string();
    assert!(matches!(err, Error::Connect { .. }), "{said}");
    for needed in [
        schema.schema.as_str(),
        role.name.as_str(),
        "CREATE",
        "threadctl --url",
    ] {
        assert!(said.contains(needed), "{needed:?} missing from: {said}");
    }
    assert!(!said.contains("permission denied"), "{said}");

    // An admin opens threadctl once; then the role does its work.
    let admin = open(&schema.url).await;
    let restricted = open(&url).await;
    let t = key("acme", &schema.schema);
    assert_eq!(
        restricted
            .append_events(&t, &[json!(1), json!(2), json!(3)])
            .await
            .unwrap(),
        3
    );
    assert_eq!(restricted.archive_events(&t, 2).await.unwrap(), 2);
    let events = restricted.load_events(&t, 0, None).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.ordinal).collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(restricted.append_events(&t, &[json!(4)]).await.unwrap(), 4);
    assert_eq!(admin.log_bounds(&t).await.unwrap().watermark, 2);
    let root = cp(&t, 0, json!("root"));
    restricted.put_checkpoint(&root, None).await.unwrap();
    restricted
        .fork_checkpoint(&t, root.id, json!("fork"), Default::default())
        .await
        .unwrap();
    restricted.close().await;
}

#[tokio::test]
async fn a_search_path_naming_no_schema_is_reported_as_such() {
    let missing = format!("tc_missing_{}", uuid::Uuid::new_v4().simple());
    let base = common::pg_base_url();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{missing}");
    let err = PostgresBackend::connect(&url)
        .await
        .err()
        .expect("no current schema");
    let said = err.to_string();
    assert!(matches!(err, Error::InvalidInput { .. }), "{said}");
    assert!(
        said.contains("search_path") && said.contains(&missing),
        "{said}"
    );
}

#[tokio::test]
async fn an_older_setup_gets_the_current_functions() {
    let schema = PgSchema::new();
    let _first = open(&schema.url).await;
    let pool = plain(&schema).await;
    sqlx::raw_sql(
        "DROP FUNCTION threadctl_threads(text); DROP TABLE threadctl_migrations; \
         UPDATE schema_version SET version = 1 WHERE component = 'threadctl'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let backend = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    backend
        .put_checkpoint(&cp(&t, 0, json!(0)), None)
        .await
        .unwrap();
    assert_eq!(
        backend.list_threads(Some(&t.tenant)).await.unwrap().len(),
        1
    );
    let version: i64 =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'threadctl'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(version > 1, "recorded the current version, not {version}");
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM threadctl_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(applied, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn an_edited_migration_is_detected_and_nothing_is_applied_over_it() {
    use threadctl::backend::schema::MigrationState;
    use threadctl::backend::SchemaAdmin;
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let pool = plain(&schema).await;
    sqlx::raw_sql(
        "UPDATE threadctl_migrations SET checksum = '\\x00' WHERE version = 1; \
         DELETE FROM threadctl_migrations WHERE version = 2",
    )
    .execute(&pool)
    .await
    .unwrap();
    let status = backend.schema_status().await.unwrap();
    let states: Vec<_> = status
        .migrations
        .iter()
        .map(|m| (m.version, m.state))
        .collect();
    assert_eq!(
        states,
        vec![
            (1, MigrationState::Modified),
            (2, MigrationState::Pending),
            (3, MigrationState::Applied),
            (4, MigrationState::Applied),
            (5, MigrationState::Applied)
        ]
    );
    assert!(!status.is_complete());
    let err = backend.apply_schema().await.unwrap_err();
    assert!(err.to_string().contains("migration 1"), "{err}");
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM threadctl_migrations WHERE version = 2")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(pending, 0, "nothing applied over an edited migration");
}

#[tokio::test]
async fn last_write_is_the_latest_checkpoints_timestamp() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    let mut steps = Vec::new();
    for step in 0..=2 {
        let c = cp(&t, step, json!(step));
        backend.put_checkpoint(&c, None).await.unwrap();
        steps.push(c);
    }
    let fork = backend
        .fork_checkpoint(&t, steps[0].id, json!("fork"), Default::default())
        .await
        .unwrap();
    assert!(fork.checkpoint.timestamp > steps[2].timestamp);
    let latest = backend.latest_checkpoint(&t).await.unwrap().unwrap();
    assert_eq!(latest.checkpoint.id, steps[2].id);
    for listing in [
        backend.list_threads(Some(&t.tenant)).await.unwrap(),
        backend.list_threads(None).await.unwrap(),
    ] {
        let summary = listing
            .iter()
            .find(|s| s.thread == t)
            .expect("the thread is listed");
        assert_eq!(summary.checkpoints, 4);
        assert_eq!(summary.latest_step, Some(2));
        assert_eq!(summary.last_write, Some(latest.checkpoint.timestamp));
    }
}

/// A thread with one checkpoint (`root`), and another session's open
/// transaction (`holder`) holding the thread's checkpoint-writer lock
/// through `lock_function` (`threadctl_cp_lock`: exclusive, as a checked
/// put between its check and insert; `threadctl_cp_lock_shared`: shared,
/// as a fork or a plain put).
struct WriterLockHeld {
    backend: std::sync::Arc<PostgresBackend>,
    thread: ThreadKey,
    root: Checkpoint<Value>,
    pool: PgPool,
    holder: sqlx::Transaction<'static, sqlx::Postgres>,
    _schema: PgSchema,
}

async fn writer_lock_held(lock_function: &str) -> WriterLockHeld {
    let schema = PgSchema::new();
    let backend = std::sync::Arc::new(open(&schema.url).await);
    let thread = key("acme", &schema.schema);
    let root = cp(&thread, 0, json!("root"));
    backend.put_checkpoint(&root, None).await.unwrap();
    let pool = plain(&schema).await;
    let mut holder = pool.begin().await.unwrap();
    sqlx::query(&format!("SELECT {lock_function}($1, $2)"))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .execute(&mut *holder)
        .await
        .unwrap();
    WriterLockHeld {
        backend,
        thread,
        root,
        pool,
        holder,
        _schema: schema,
    }
}

/// A fork and a put without a check (each one statement taking the
/// writer lock shared) wait for an exclusive writer of their thread.
#[tokio::test]
async fn writers_that_only_add_wait_for_an_exclusive_writer_of_their_thread() {
    let WriterLockHeld {
        backend,
        thread: t,
        root,
        holder: writer,
        pool: _pool,
        _schema,
    } = writer_lock_held("threadctl_cp_lock").await;
    let forking = {
        let (backend, t) = (backend.clone(), t.clone());
        tokio::spawn(async move {
            backend
                .fork_checkpoint(&t, root.id, json!("fork"), Default::default())
                .await
        })
    };
    let plain_put = cp(&t, 5, json!("plain"));
    let putting = {
        let (backend, plain_put) = (backend.clone(), plain_put.clone());
        tokio::spawn(async move { backend.put_checkpoint(&plain_put, None).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !forking.is_finished(),
        "the fork must wait for the writer's transaction"
    );
    assert!(
        !putting.is_finished(),
        "the put must wait for the writer's transaction"
    );
    writer.commit().await.unwrap();
    let fork = tokio::time::timeout(Duration::from_secs(20), forking)
        .await
        .expect("the fork continues once the writer is done")
        .unwrap()
        .unwrap();
    assert_eq!(fork.checkpoint.step, 1);
    tokio::time::timeout(Duration::from_secs(20), putting)
        .await
        .expect("the put continues once the writer is done")
        .unwrap()
        .unwrap();
    let stored = backend.get_checkpoint(&t, plain_put.id).await.unwrap();
    assert_eq!(stored.unwrap().checkpoint.state, json!("plain"));
}

#[tokio::test]
async fn writers_that_only_add_share_the_thread_lock_and_a_checked_put_waits_for_them() {
    // Another session's fork or plain put is under way.
    let WriterLockHeld {
        backend,
        thread: t,
        root,
        pool,
        holder: adder,
        _schema,
    } = writer_lock_held("threadctl_cp_lock_shared").await;
    let fork = guarded(backend.fork_checkpoint(&t, root.id, json!("fork"), Default::default()))
        .await
        .expect("a fork does not wait for another adding writer");
    assert_eq!(fork.checkpoint.step, 1);
    guarded(backend.put_checkpoint(&cp(&t, 2, json!("plain")), None))
        .await
        .expect("a put without a check does not wait for another adding writer");
    let latest = backend.latest_checkpoint(&t).await.unwrap().unwrap();

    let checked = {
        let (backend, t) = (backend.clone(), t.clone());
        let next = cp(&t, 3, json!("checked"));
        tokio::spawn(async move {
            backend
                .put_checkpoint(&next, Some(Some(latest.checkpoint.id)))
                .await
        })
    };
    guarded(async {
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
                 AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) \
                     = threadctl_cp_lock_key($1, $2)",
            )
            .bind(t.tenant.as_str())
            .bind(t.thread.as_str())
            .fetch_one(&pool)
            .await
            .unwrap();
            if waiting > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        !checked.is_finished(),
        "a checked put waits for the adding writer's transaction"
    );
    adder.commit().await.unwrap();
    guarded(checked)
        .await
        .unwrap()
        .expect("the checked put goes on once the adding writer is done");
    assert_eq!(
        backend
            .latest_checkpoint(&t)
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .step,
        3
    );
}

#[tokio::test]
async fn appends_wait_for_another_sessions_lock_only_so_long() {
    let schema = PgSchema::new();
    let holder = open(&schema.url).await;
    let t = key("acme", &schema.schema);
    let guard = holder
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    let other = open(&schema.url).await;
    assert_eq!(
        other.lock_wait(),
        threadctl::backend::postgres::DEFAULT_LOCK_WAIT
    );
    other.set_lock_wait(Duration::from_millis(300));

    let err = guarded(other.append_events(&t, &[json!("x")]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LockBusy {
                waited: Some(_),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains(&t.to_string()), "{err}");
    let err = guarded(other.archive_events(&t, 1)).await.unwrap_err();
    assert!(matches!(err, Error::LockBusy { .. }), "{err}");

    // Covered by a hold made on its behalf (`lock run`), it does not wait.
    let (hi, lo) = threadctl::LockKey::session(&t).pg_pair();
    let other_thread = key("acme", "another");
    assert!(!other.trust_external_lock(&t, "entelix:lock:8c70ab9866aab940"));
    assert!(!other.trust_external_lock(&other_thread, &format!("advisory({hi},{lo})")));
    assert!(matches!(
        guarded(other.append_events(&t, &[json!("x")])).await,
        Err(Error::LockBusy { .. })
    ));
    assert!(other.trust_external_lock(&t, &format!("advisory({hi},{lo})")));
    assert_eq!(
        guarded(other.append_events(&t, &[json!("a"), json!("b")]))
            .await
            .unwrap(),
        2
    );
    assert_eq!(guarded(other.archive_events(&t, 1)).await.unwrap(), 1);
    assert_eq!(
        guarded(holder.append_events(&t, &[json!("c")]))
            .await
            .unwrap(),
        3
    );
    guard.release().await.unwrap();
}

/// Awaits `what`, failing the test if it hangs (a hang guard, not a timing).
async fn guarded<T>(what: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), what)
        .await
        .expect("must not wait forever")
}

/// An append abandoned while it waits for another session's lock (its
/// process killed, its future dropped) must not commit once the lock frees.
#[tokio::test]
async fn an_abandoned_append_never_commits_later() {
    let schema = PgSchema::new();
    let holder = open(&schema.url).await;
    let t = key("acme", &format!("abandoned-{}", schema.schema));
    let guard = holder
        .try_acquire(&t, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    let other = open(&schema.url).await;
    let waiting = tokio::time::timeout(
        Duration::from_millis(300),
        other.append_events(&t, &[json!("ghost")]),
    )
    .await;
    assert!(waiting.is_err(), "the append waits for the holder");
    // The server notices the vanished client within its check interval.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    guard.release().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let events = holder.load_events(&t, 0, None).await.unwrap();
    assert!(events.is_empty(), "abandoned append committed: {events:?}");
}

/// The TTL rides on idle_session_timeout, which holds at most i32::MAX ms
/// (about 24.8 days): a longer TTL is refused, not silently shortened.
#[tokio::test]
async fn lock_ttls_beyond_the_session_timeout_are_refused() {
    let schema = PgSchema::new();
    let backend = open(&schema.url).await;
    let t = key("acme", &format!("long-ttl-{}", schema.schema));
    let err = backend
        .try_acquire(&t, Duration::from_secs(30 * 24 * 3600))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("idle_session_timeout"), "{err}");
    let guard = backend
        .try_acquire(&t, Duration::from_secs(20 * 24 * 3600))
        .await
        .unwrap()
        .expect("20 days fit");
    guard.release().await.unwrap();
}

/// The hot reads of `threadctl_cp_latest`, `threadctl_cp_history` and the
/// stale check of `threadctl_cp_put`, written as those functions run them.
const ORDERED_READS: [(&str, &str); 3] = [
    (
        "latest",
        "SELECT c.* FROM checkpoints c WHERE c.tenant_id = $1 AND c.thread_id = $2 \
         ORDER BY c.step DESC, c.id DESC LIMIT 1",
    ),
    (
        "history",
        "SELECT c.* FROM checkpoints c WHERE c.tenant_id = $1 AND c.thread_id = $2 \
         ORDER BY c.step DESC, c.id DESC LIMIT $3::bigint",
    ),
    (
        "history before",
        "SELECT c.* FROM checkpoints c WHERE c.tenant_id = $1 AND c.thread_id = $2 \
         AND (c.step, c.id) < ($3::bigint, $4::uuid) ORDER BY c.step DESC, c.id DESC LIMIT $5::bigint",
    ),
];

/// Every plan node of an `EXPLAIN (FORMAT JSON)` answer, depth first.
fn plan_nodes(node: &Value, out: &mut Vec<Value>) {
    out.push(node.clone());
    for child in node["Plans"].as_array().into_iter().flatten() {
        plan_nodes(child, out);
    }
}

/// Latest and history read a thread's checkpoints through threadctl's own
/// (step desc, id desc) index and never sort the thread's rows, both on a
/// table with statistics and on one that has none, in the custom plans
/// PL/pgSQL makes first and in the generic plan it may switch to.
#[tokio::test]
async fn latest_and_history_are_served_by_the_index_in_their_order() {
    for analyzed in [false, true] {
        let schema = PgSchema::new();
        open(&schema.url).await;
        let pool = plain(&schema).await;
        // Statistics only when this case asks for them.
        sqlx::query("ALTER TABLE checkpoints SET (autovacuum_enabled = false)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO checkpoints (tenant_id, thread_id, id, step, state) \
             SELECT 'acme', 't' || (g % 20), gen_random_uuid(), g / 20, '{}'::jsonb \
             FROM generate_series(0, 19999) g",
        )
        .execute(&pool)
        .await
        .unwrap();
        if analyzed {
            sqlx::query("ANALYZE checkpoints")
                .execute(&pool)
                .await
                .unwrap();
        }
        let stats: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stats WHERE schemaname = $1 AND tablename = 'checkpoints'",
        )
        .bind(&schema.schema)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(stats > 0, analyzed, "statistics present: {stats}");
        let mut conn = pool.acquire().await.unwrap();
        for (name, sql) in ORDERED_READS {
            for mode in ["force_custom_plan", "force_generic_plan"] {
                sqlx::query(&format!("SET plan_cache_mode = {mode}"))
                    .execute(&mut *conn)
                    .await
                    .unwrap();
                sqlx::query(&format!("PREPARE hot AS {sql}"))
                    .execute(&mut *conn)
                    .await
                    .unwrap();
                let args = match name {
                    "latest" => "'acme', 't7'",
                    "history" => "'acme', 't7', 100",
                    _ => "'acme', 't7', 500, 'ffffffff-ffff-ffff-ffff-ffffffffffff', 100",
                };
                let plan: Value =
                    sqlx::query_scalar(&format!("EXPLAIN (FORMAT JSON) EXECUTE hot({args})"))
                        .fetch_one(&mut *conn)
                        .await
                        .unwrap();
                sqlx::query("DEALLOCATE hot")
                    .execute(&mut *conn)
                    .await
                    .unwrap();
                let mut nodes = Vec::new();
                plan_nodes(&plan[0]["Plan"], &mut nodes);
                let case = format!("{name}, {mode}, analyzed: {analyzed}: {plan}");
                assert!(
                    nodes
                        .iter()
                        .any(|n| n["Index Name"] == "threadctl_checkpoints_order_idx"),
                    "{case}"
                );
                assert!(
                    !nodes
                        .iter()
                        .any(|n| n["Node Type"].as_str().is_some_and(|t| t.contains("Sort"))),
                    "{case}"
                );
            }
        }
    }
}

/// An append reads the log's last ordinal from one index entry, not by
/// aggregating the thread's events: on a table without statistics (where
/// the aggregate once won) and with them, past the five custom plans
/// PL/pgSQL makes before it may switch to a generic one.
#[tokio::test]
async fn an_append_reads_the_last_ordinal_from_one_index_entry() {
    const LOGGED: i64 = 2000;
    const APPENDS: i64 = 8;
    for analyzed in [false, true] {
        let schema = PgSchema::new();
        open(&schema.url).await;
        let pool = plain(&schema).await;
        // Statistics only when this case asks for them.
        sqlx::query("ALTER TABLE session_events SET (autovacuum_enabled = false)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts) \
             SELECT 'acme', 't', g, '{}'::jsonb, now() FROM generate_series(1, $1) g",
        )
        .bind(LOGGED)
        .execute(&pool)
        .await
        .unwrap();
        if analyzed {
            sqlx::query("ANALYZE session_events")
                .execute(&pool)
                .await
                .unwrap();
        }
        let mut tx = pool.begin().await.unwrap();
        for n in 1..=APPENDS {
            let last: i64 =
                sqlx::query_scalar("SELECT threadctl_events_append($1, $2, $3, $4, $5, $6)")
                    .bind("acme")
                    .bind("t")
                    .bind(1_i32)
                    .bind(2_i32)
                    .bind(json!([n]))
                    .bind(10_000_i64)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            assert_eq!(last, LOGGED + n, "analyzed: {analyzed}");
        }
        let read: i64 = sqlx::query_scalar(
            "SELECT pg_stat_get_xact_tuples_returned('session_events_pkey'::regclass)",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        assert!(
            read <= 4 * APPENDS,
            "{APPENDS} appends read {read} index entries of a log of {LOGGED} (analyzed: {analyzed})"
        );
        // Ended here: the schema's drop must not wait for this transaction.
        tx.rollback().await.unwrap();
    }
}
