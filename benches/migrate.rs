//! `cargo bench --bench migrate`: `threadctl migrate run --to 2` against its
//! floor on each server, as ratios measured in one run (BENCHMARKS.md).
//!
//! For each of Postgres and Redis it writes `THREADCTL_BENCH_RECORDS`
//! (default 100,000) version-1 checkpoints with 1 KB states over
//! `THREADCTL_BENCH_THREADS` (default 1,000) threads into a store of its
//! own, then times:
//! - the floor: on Postgres one server-side `UPDATE` rewriting every row to
//!   version 2 (checksum computed by the server); on Redis a pipelined
//!   HGET/HSET loop over the same envelopes, re-encoded at version 2 by the
//!   same code threadctl uses;
//! - after putting the records back at version 1 (untimed), the release
//!   `threadctl` binary running `migrate run --to 2 --yes`, whose peak
//!   resident memory is read with `/usr/bin/time -v`.
//!
//! Servers: `THREADCTL_TEST_PG` / `THREADCTL_TEST_REDIS`, as the tests.

mod support;

use std::time::{Duration, Instant};

use sqlx::Connection;
use support::{env_number, run_release, seed};
use threadctl::model::envelope::{decode_document, encode_document};
use threadctl::EnvelopeVersion;

/// `migrate run --to 2` by the release binary: (elapsed, peak RSS in MB).
fn threadctl_migrate(url: &str) -> (Duration, f64) {
    run_release(&["--url", url, "-q", "migrate", "run", "--to", "2", "--yes"])
}

/// The v2 rewrite the server does alone: state column at version 2 with
/// empty metadata and the checksum of the state's canonical text. (Postgres'
/// jsonb text sorts keys by length first, so this checksum differs from
/// threadctl's canonical one; the work per row is the same.)
const PG_FLOOR: &str = "UPDATE checkpoints SET state = jsonb_build_object(\
    'schema_version', 2, 'state', state -> 'state', 'metadata', '{}'::jsonb, \
    'checksum', 'sha256:' || encode(sha256(convert_to((state -> 'state')::text, 'UTF8')), 'hex')) \
    WHERE tenant_id = 'bench'";

const PG_RESET: &str = "UPDATE checkpoints SET state = jsonb_build_object(\
    'schema_version', 1, 'state', state -> 'state') WHERE tenant_id = 'bench'";

async fn postgres(records: usize, threads: usize) -> (usize, Duration, Duration, f64) {
    let base = std::env::var("THREADCTL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("threadctl_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("postgres");
    sqlx::raw_sql(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .execute(&mut admin)
    .await
    .expect("schema");
    let url = format!("{base}?options=-c%20search_path%3D{schema}");
    seed(&url, records, threads, Some(EnvelopeVersion::V1)).await;
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("postgres");
    sqlx::raw_sql("VACUUM ANALYZE checkpoints")
        .execute(&mut conn)
        .await
        .expect("vacuum");
    let started = Instant::now();
    sqlx::raw_sql(PG_FLOOR)
        .execute(&mut conn)
        .await
        .expect("floor");
    let floor = started.elapsed();
    sqlx::raw_sql(PG_RESET)
        .execute(&mut conn)
        .await
        .expect("reset");
    sqlx::raw_sql("VACUUM ANALYZE checkpoints")
        .execute(&mut conn)
        .await
        .expect("vacuum");
    let (ours, rss) = threadctl_migrate(&url);
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .expect("drop");
    (records, floor, ours, rss)
}

/// Rewrites every envelope of the bench threads at `version` with
/// pipelined HGET/HSET, a thread's hash at a time.
async fn redis_loop(
    conn: &mut redis::aio::MultiplexedConnection,
    threads: usize,
    version: EnvelopeVersion,
) {
    for t in 0..threads {
        let byid = format!("entelix:cp:bench:thread-{t:06}:byid");
        let fields: Vec<String> = redis::cmd("HKEYS")
            .arg(&byid)
            .query_async(conn)
            .await
            .expect("hkeys");
        let mut get = redis::pipe();
        for field in &fields {
            get.cmd("HGET").arg(&byid).arg(field);
        }
        let docs: Vec<String> = get.query_async(conn).await.expect("hget");
        let mut set = redis::pipe();
        for (field, doc) in fields.iter().zip(docs) {
            let stored = decode_document(&doc, field).expect("decode");
            set.cmd("HSET")
                .arg(&byid)
                .arg(field)
                .arg(encode_document(&stored.checkpoint, version))
                .ignore();
        }
        set.query_async::<()>(conn).await.expect("hset");
    }
}

async fn redis(records: usize, threads: usize) -> (usize, Duration, Duration, f64) {
    let base =
        std::env::var("THREADCTL_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let url = format!("{}/14", base.trim_end_matches('/'));
    let client = redis::Client::open(url.as_str()).expect("redis");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    redis::cmd("FLUSHDB")
        .query_async::<()>(&mut conn)
        .await
        .expect("flush");
    seed(&url, records, threads, Some(EnvelopeVersion::V1)).await;
    let started = Instant::now();
    redis_loop(&mut conn, threads, EnvelopeVersion::V2).await;
    let floor = started.elapsed();
    redis_loop(&mut conn, threads, EnvelopeVersion::V1).await;
    let (ours, rss) = threadctl_migrate(&url);
    redis::cmd("FLUSHDB")
        .query_async::<()>(&mut conn)
        .await
        .expect("flush");
    (records, floor, ours, rss)
}

#[tokio::main]
async fn main() {
    let records = env_number("THREADCTL_BENCH_RECORDS", 100_000);
    let threads = env_number("THREADCTL_BENCH_THREADS", 1_000);
    let only = std::env::var("THREADCTL_BENCH_ONLY").unwrap_or_default();
    println!("migrate v1 -> v2: {records} checkpoints, 1 KB states, {threads} threads");
    if only.is_empty() || only == "postgres" {
        let (records, floor, ours, rss) = postgres(records, threads).await;
        support::report("postgres", records, floor, ours, rss);
    }
    if only.is_empty() || only == "redis" {
        let (records, floor, ours, rss) = redis(records, threads).await;
        support::report("redis", records, floor, ours, rss);
    }
}
