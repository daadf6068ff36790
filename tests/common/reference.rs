//! The data the reference services wrote (tests/fixtures/reference-0.5.4,
//! see its README), loaded into an isolated store as they left it.

use std::time::Duration;

use serde_json::Value;

use super::{PgSchema, RedisDb};

/// The fixture directory.
pub const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reference-0.5.4"
);

/// SHA-384 of the reference's first migration file, as sqlx records it.
pub const CHECKSUM_INITIAL: &str = "b9281f928b1e5484f9fd0fd659512046ad8ac866a7ecebfad994cfdc163121c175b1b91280869672ddd1febcf4c8e150";
/// SHA-384 of the reference's row-level-security migration file.
pub const CHECKSUM_RLS: &str = "c49538bdf855fa3d45aee8eca4ab872f6067fe9f34a608da6f75677de7d92c234e809d5d1847ff5e2e4d1bed67be2e90";

/// The reference's layout written independently of threadctl's own SQL,
/// as the reference's migrations leave a schema (tables, indexes, policies,
/// recorded sqlx migrations).
pub fn reference_layout_sql() -> String {
    let policy = "tenant_id = current_setting('entelix.tenant_id', true)";
    let mut sql = String::from(
        "CREATE TABLE checkpoints (tenant_id text NOT NULL, thread_id text NOT NULL, id uuid NOT NULL, \
           parent_id uuid, step bigint NOT NULL, state jsonb NOT NULL, next_node text, \
           ts timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, thread_id, id));
         CREATE INDEX ref_cp_step ON checkpoints (tenant_id, thread_id, step DESC, ts DESC);
         CREATE INDEX ref_cp_parent ON checkpoints (tenant_id, thread_id, parent_id) WHERE parent_id IS NOT NULL;
         CREATE TABLE session_events (tenant_id text NOT NULL, thread_id text NOT NULL, seq bigint NOT NULL, \
           event jsonb NOT NULL, ts timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, thread_id, seq));
         CREATE TABLE memory_items (tenant_id text NOT NULL, namespace text NOT NULL, key text NOT NULL, \
           value jsonb NOT NULL, ts timestamptz NOT NULL DEFAULT now(), expires_at timestamptz, \
           PRIMARY KEY (tenant_id, namespace, key));
         CREATE TABLE schema_version (component text PRIMARY KEY, version bigint NOT NULL, \
           applied_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO schema_version (component, version) VALUES ('entelix-persistence', 2);
         CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY, description text NOT NULL, \
           installed_on timestamptz NOT NULL DEFAULT now(), success boolean NOT NULL, \
           checksum bytea NOT NULL, execution_time bigint NOT NULL);",
    );
    sql.push_str(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES \
           (20260426000000, 'initial', true, decode('{CHECKSUM_INITIAL}', 'hex'), 1234), \
           (20260501000001, 'row level security', true, decode('{CHECKSUM_RLS}', 'hex'), 567);"
    ));
    for table in ["checkpoints", "session_events", "memory_items"] {
        sql.push_str(&format!(
            "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
             CREATE POLICY tenant_isolation ON {table} USING ({policy}) WITH CHECK ({policy});"
        ));
    }
    sql
}

/// Sets `schema` up as the reference does and loads its rows; items that
/// had a one-hour TTL get one again from now.
pub async fn load_postgres(schema: &PgSchema) {
    let rows = std::fs::read_to_string(format!("{DIR}/postgres-rows.sql")).expect("rows");
    let pool = sqlx::PgPool::connect(&schema.url).await.expect("connect");
    sqlx::raw_sql(&reference_layout_sql())
        .execute(&pool)
        .await
        .expect("reference layout");
    sqlx::raw_sql(&rows.replace("INSERT INTO public.", "INSERT INTO "))
        .execute(&pool)
        .await
        .expect("reference rows");
    sqlx::query(
        "UPDATE memory_items SET expires_at = now() + interval '1 hour' WHERE expires_at IS NOT NULL",
    )
    .execute(&pool)
    .await
    .expect("shift expiries");
    pool.close().await;
}

/// Writes every key of the fixture into `db`, TTL'd ones with an hour.
pub fn load_redis(db: &RedisDb) {
    let text = std::fs::read_to_string(format!("{DIR}/redis-keys.jsonl")).expect("keys");
    let mut conn = db.connection();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Value = serde_json::from_str(line).expect("jsonl");
        let key = entry["key"].as_str().expect("key");
        let value = &entry["value"];
        let mut pipe = redis::pipe();
        match entry["type"].as_str().expect("type") {
            "string" => {
                pipe.cmd("SET")
                    .arg(key)
                    .arg(value.as_str().expect("string"));
            }
            "hash" => {
                for (field, v) in value.as_object().expect("hash") {
                    pipe.cmd("HSET")
                        .arg(key)
                        .arg(field)
                        .arg(v.as_str().expect("field"));
                }
            }
            "zset" => {
                for pair in value.as_array().expect("zset") {
                    pipe.cmd("ZADD")
                        .arg(key)
                        .arg(pair[1].as_f64().expect("score"))
                        .arg(pair[0].as_str().expect("member"));
                }
            }
            "list" => {
                for item in value.as_array().expect("list") {
                    pipe.cmd("RPUSH").arg(key).arg(item.as_str().expect("item"));
                }
            }
            other => panic!("unknown key type {other}"),
        }
        if entry["has_ttl"] == Value::Bool(true) {
            pipe.cmd("EXPIRE")
                .arg(key)
                .arg(Duration::from_secs(3600).as_secs());
        }
        pipe.query::<()>(&mut conn).expect("load key");
    }
}

/// What the reference itself read back from `backend` (`redis` or
/// `postgres`), one entry per read.
pub fn reads(backend: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{DIR}/reference-reads.jsonl")).expect("reads");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).expect("jsonl"))
        .filter(|r| r["backend"] == backend)
        .collect()
}

/// The (tenant, thread) pairs of the data set.
pub fn threads() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for tenant in ["acme", "globex", "t:colon"] {
        for thread in ["main", "conv:42", "스레드-ünïcødé-🧵"] {
            out.push((tenant, thread));
        }
    }
    out
}
