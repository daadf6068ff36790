//! `threadctl doctor`: ok after `migrate schema` on every backend, an
//! empty Postgres schema diagnosed without creating anything, a role bound
//! by row-level security, and an unreachable server.

use serde_json::Value;
use threadctl::BackendKind;

use crate::common::{pg_base_url, PgRole, PgSchema};
use crate::env::{bin, Env};

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
    let text = env.ok(&["doctor"]);
    for name in ["connection", "schema", "write version"] {
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
    assert!(version["detail"].as_str().unwrap().contains("1 records"));
    let expected: &[&str] = match env.kind() {
        BackendKind::Postgres => &["server", "tls", "row-level security"],
        BackendKind::Redis => &["server", "tls", "eviction", "persistence"],
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
    let count = std::sync::Arc::new(std::sync::Mutex::new(0));
    let url = pg_base_url();
    let schema = schema.to_string();
    let out = count.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                let n: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1")
                        .bind(&schema)
                        .fetch_one(&mut conn)
                        .await
                        .unwrap();
                *out.lock().unwrap() = n;
            })
    })
    .join()
    .unwrap();
    let n = *count.lock().unwrap();
    n
}

#[test]
fn an_empty_postgres_schema_fails_and_stays_empty() {
    let schema = PgSchema::new();
    let output = bin()
        .args(["--url", &schema.url, "-o", "json", "doctor"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let checks: Value = serde_json::from_slice(&output.stdout).unwrap();
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
    let schema = PgSchema::new();
    let setup = bin()
        .args(["--url", &schema.url, "migrate", "schema"])
        .output()
        .unwrap();
    assert!(setup.status.success());
    let role = PgRole::restricted(&schema);
    let output = bin()
        .args(["--url", &schema.url_as(&role.name), "-o", "json", "doctor"])
        .output()
        .unwrap();
    let checks: Value = serde_json::from_slice(&output.stdout).unwrap();
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
    assert_eq!(output.status.code(), Some(0), "{checks}");
    // The superuser's report says it sees every tenant.
    let output = bin()
        .args(["--url", &schema.url, "-o", "json", "doctor"])
        .output()
        .unwrap();
    let checks: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(check(&checks, "row-level security")["status"], "ok");
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
}
