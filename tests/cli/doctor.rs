//! `threadctl doctor`: ok after `migrate schema` on every backend with the
//! store's counts, an empty Postgres schema diagnosed without creating
//! anything, a superuser and a role bound by row-level security, Redis
//! servers that can evict or have no persistence, ids that collide in the
//! Redis layout, and an unreachable server.

use serde_json::Value;
use threadctl::BackendKind;

use crate::common::{pg_base_url, PgRole, PgSchema, RedisDb, RedisServer};
use crate::env::{bin, block_on, Env};

/// The `-o json` check named `name`.
fn check<'a>(checks: &'a Value, name: &str) -> &'a Value {
    checks
        .as_array()
        .expect("a list of checks")
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {checks}"))
}

fn reports_ok_after_migrate_schema(env: &Env) {
    env.ok(&["migrate", "schema"]);
    env.put("t1", r#"{"n":1}"#);
    env.put("t1", r#"{"n":2}"#);
    env.ok(&["--tenant", "acme", "put", "t2", "--state", "1"]);
    let text = env.ok(&["doctor"]);
    for name in ["connection", "latency", "schema", "write version", "counts"] {
        let line = text
            .lines()
            .find(|l| l.split("  ").any(|cell| cell.trim() == name))
            .unwrap_or_else(|| panic!("no {name} line in {text}"));
        assert!(line.starts_with("ok "), "{line}");
    }
    let checks = env.json(&["-o", "json", "doctor"]);
    assert_eq!(check(&checks, "schema")["status"], "ok");
    assert_eq!(check(&checks, "connection")["status"], "ok");
    let version = check(&checks, "write version");
    assert_eq!(version["status"], "ok", "{version}");
    let detail = version["detail"].as_str().unwrap();
    assert!(
        detail.contains("; 3 records (v") && detail.ends_with(" 3), 0 at another version"),
        "{version}"
    );
    let counts = check(&checks, "counts");
    assert_eq!(
        counts["detail"], "2 tenant(s), 2 thread(s), 3 checkpoint(s)",
        "{counts}"
    );
    assert_eq!(counts["estimated"], false);
    let latency = check(&checks, "latency")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(latency.starts_with("round trip "), "{latency}");
    let expected: &[&str] = match env.kind() {
        BackendKind::Postgres => &["server", "tls", "row-level security"],
        BackendKind::Redis => &["server", "tls", "eviction", "persistence", "colliding ids"],
        BackendKind::Sqlite => &["file", "journal mode"],
    };
    for name in expected {
        let status = check(&checks, name)["status"].as_str().unwrap().to_string();
        assert!(
            ["ok", "warn"].contains(&status.as_str()),
            "{name}: {status}"
        );
    }
}

on_every_backend!(crate::env::run => reports_ok_after_migrate_schema);

/// Tables in `schema`.
fn tables_in(schema: &str) -> i64 {
    let url = pg_base_url();
    let schema = schema.to_string();
    block_on(move || async move {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1")
            .bind(&schema)
            .fetch_one(&mut conn)
            .await
            .unwrap()
    })
}

/// A schema with threadctl's tables, and a role bound by its row-level
/// security.
fn migrated_schema_and_restricted_role() -> (PgSchema, PgRole) {
    let schema = PgSchema::new();
    let setup = bin()
        .args(["--url", &schema.url, "migrate", "schema"])
        .output()
        .unwrap();
    assert!(setup.status.success());
    let role = PgRole::restricted(&schema);
    (schema, role)
}

#[test]
fn an_empty_postgres_schema_fails_and_stays_empty() {
    let schema = PgSchema::new();
    let (checks, code) = doctor_json(&schema.url);
    assert_eq!(code, Some(1));
    assert_eq!(check(&checks, "connection")["status"], "ok");
    let schema_check = check(&checks, "schema");
    assert_eq!(schema_check["status"], "fail", "{schema_check}");
    assert!(schema_check["hint"]
        .as_str()
        .unwrap()
        .contains("threadctl migrate schema"));
    assert_eq!(tables_in(&schema.schema), 0, "doctor created tables");
}

#[test]
fn a_restricted_role_is_reported_as_bound_by_row_level_security() {
    let (schema, role) = migrated_schema_and_restricted_role();
    let (checks, code) = doctor_json(&schema.url_as(&role.name));
    let rls = check(&checks, "row-level security");
    assert_eq!(rls["status"], "warn", "{rls}");
    assert!(
        rls["detail"].as_str().unwrap().contains(&role.name),
        "{rls}"
    );
    assert!(rls["detail"].as_str().unwrap().contains("subject to it"));
    let version = check(&checks, "write version");
    assert!(
        version["detail"]
            .as_str()
            .unwrap()
            .starts_with("write version 1; "),
        "{version}"
    );
    assert_eq!(code, Some(0), "{checks}");
    // The superuser's report says it sees every tenant.
    let (checks, _) = doctor_json(&schema.url);
    let rls = check(&checks, "row-level security");
    assert_eq!(rls["status"], "ok", "{rls}");
    assert!(
        rls["detail"].as_str().unwrap().contains("superuser"),
        "{rls}"
    );
    assert_eq!(
        check(&checks, "counts")["detail"],
        "0 tenant(s), 0 thread(s), 0 checkpoint(s)"
    );
}

#[test]
fn a_restricted_role_is_told_its_counts_cover_no_other_tenant() {
    let (schema, role) = migrated_schema_and_restricted_role();
    let (checks, _) = doctor_json(&schema.url_as(&role.name));
    let counts = check(&checks, "counts");
    assert_eq!(counts["status"], "warn", "{counts}");
    assert!(
        counts["hint"].as_str().unwrap().contains("BYPASSRLS"),
        "{counts}"
    );
}

/// `doctor -o json` of `url`, with its exit code.
fn doctor_json(url: &str) -> (Value, Option<i32>) {
    let output = bin()
        .args(["--url", url, "-o", "json", "doctor"])
        .output()
        .unwrap();
    let checks = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (checks, output.status.code())
}

#[test]
fn a_redis_that_can_evict_or_loses_everything_on_restart_is_warned_about() {
    let lru = RedisServer::start(&["--maxmemory-policy", "allkeys-lru", "--save", "900 1"]);
    let (checks, code) = doctor_json(&lru.url());
    assert_eq!(code, Some(0), "{checks}");
    let eviction = check(&checks, "eviction");
    assert_eq!(eviction["status"], "warn", "{eviction}");
    assert!(
        eviction["detail"].as_str().unwrap().contains("allkeys-lru"),
        "{eviction}"
    );
    assert_eq!(check(&checks, "persistence")["status"], "ok", "RDB is on");

    let volatile = RedisServer::start(&[
        "--maxmemory-policy",
        "volatile-lru",
        "--save",
        "",
        "--appendonly",
        "no",
    ]);
    let (checks, _) = doctor_json(&volatile.url());
    assert_eq!(
        check(&checks, "eviction")["status"],
        "ok",
        "nothing expires yet"
    );
    let persistence = check(&checks, "persistence");
    assert_eq!(persistence["status"], "warn", "{persistence}");
    assert_eq!(persistence["detail"], "rdb off, aof off");
    let output = bin()
        .args([
            "--url",
            &volatile.url(),
            "store",
            "put",
            "notes",
            "k",
            "1",
            "--ttl",
            "1h",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let (checks, _) = doctor_json(&volatile.url());
    let eviction = check(&checks, "eviction");
    assert_eq!(eviction["status"], "warn", "{eviction}");
    assert!(
        eviction["detail"]
            .as_str()
            .unwrap()
            .contains("1 key(s) with a TTL"),
        "{eviction}"
    );

    let aof = RedisServer::start(&["--save", "", "--appendonly", "yes"]);
    let (checks, _) = doctor_json(&aof.url());
    assert_eq!(check(&checks, "persistence")["status"], "ok");
    assert_eq!(check(&checks, "eviction")["status"], "ok");

    // The shared test server keeps nothing on disk: doctor says so.
    let shared = RedisDb::new();
    let (checks, _) = doctor_json(&shared.url);
    assert_eq!(check(&checks, "persistence")["status"], "warn");
}

#[test]
fn redis_keys_holding_two_pairs_records_are_reported() {
    let db = RedisDb::new();
    let mut conn = db.connection();
    let (byid, bystep) = ("entelix:cp:a:b:c:byid", "entelix:cp:a:b:c:bystep");
    let record = |id: &str, tenant: &str, thread: &str| {
        serde_json::json!({"schema_version": 1, "body": {
            "id": id, "tenant_id": tenant, "thread_id": thread, "parent_id": null,
            "step": 0, "state": {}, "next_node": null,
            "timestamp": "2026-11-25T16:40:27.123456Z"}})
        .to_string()
    };
    let (one, two) = (
        "01900000-0000-7000-8000-000000000001",
        "01900000-0000-7000-8000-000000000002",
    );
    let _: () = ::redis::pipe()
        .cmd("HSET")
        .arg(byid)
        .arg(one)
        .arg(record(one, "a", "b:c"))
        .arg(two)
        .arg(record(two, "a:b", "c"))
        .cmd("ZADD")
        .arg(bystep)
        .arg(0)
        .arg(one)
        .arg(0)
        .arg(two)
        .query(&mut conn)
        .unwrap();
    let (checks, code) = doctor_json(&db.url);
    assert_eq!(code, Some(0), "{checks}");
    let colliding = check(&checks, "colliding ids");
    assert_eq!(colliding["status"], "warn", "{colliding}");
    let detail = colliding["detail"].as_str().unwrap();
    assert!(
        detail.contains(bystep) && detail.contains("a/b:c") && detail.contains("a:b/c"),
        "{detail}"
    );
    assert_eq!(
        check(&checks, "counts")["detail"],
        "2 tenant(s), 2 thread(s), 2 checkpoint(s)"
    );

    // One pair alone in keys that could collide is no collision.
    let _: () = ::redis::cmd("HDEL")
        .arg(byid)
        .arg(two)
        .query(&mut conn)
        .unwrap();
    let _: () = ::redis::cmd("ZREM")
        .arg(bystep)
        .arg(two)
        .query(&mut conn)
        .unwrap();
    let (checks, _) = doctor_json(&db.url);
    let colliding = check(&checks, "colliding ids");
    assert_eq!(colliding["status"], "ok", "{colliding}");
    assert!(colliding["detail"]
        .as_str()
        .unwrap()
        .contains("1 with ids containing ':'"));
}

#[test]
fn an_unreachable_server_fails_with_exit_1_and_says_why() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    for url in [
        format!("postgres://postgres:hunter2@127.0.0.1:{port}/test"),
        format!("redis://:hunter2@127.0.0.1:{port}"),
    ] {
        let output = bin()
            .args(["--url", &url, "--connect-timeout", "1s", "doctor"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let text = String::from_utf8_lossy(&output.stdout);
        let first = text.lines().next().unwrap_or_default();
        assert!(first.starts_with("fail  connection"), "{text}");
        assert!(first.contains(&format!("127.0.0.1:{port}")), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("hint: check the URL"), "{text}");
    }
    let output = bin()
        .args([
            "--url",
            "sqlite:///nonexistent-dir/x.db",
            "-o",
            "json",
            "doctor",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let checks: Value = serde_json::from_slice(&output.stdout).unwrap();
    let connection = check(&checks, "connection");
    assert_eq!(connection["status"], "fail", "{connection}");
    assert!(
        connection["detail"]
            .as_str()
            .unwrap()
            .contains("/nonexistent-dir/x.db"),
        "{connection}"
    );
}
