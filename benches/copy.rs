//! `cargo bench --bench copy`: `threadctl copy` between Redis and Postgres
//! against its floor in each direction, as ratios measured in one run
//! (BENCHMARKS.md, "copy (issue 9)").
//!
//! It writes `THREADCTL_BENCH_RECORDS` (default 100,000) checkpoints with
//! 1 KB states over `THREADCTL_BENCH_THREADS` (default 1,000) threads into
//! a leased Redis database, then times:
//! - Redis → Postgres: the release binary's `copy` into an empty schema,
//!   against a plain `COPY … FROM STDIN` of the very rows it wrote (read
//!   back with `COPY … TO STDOUT`, the table truncated in between);
//! - Postgres → Redis: the release binary's `copy` into an empty Redis
//!   database, against a pipelined raw write of the same keys (one
//!   pipeline per thread: `HSET` of every envelope, `ZADD` of every step),
//!   their contents read beforehand from the seeded Redis.
//!
//! The Postgres → Redis source is the floor's rows, vacuumed and analyzed
//! first (as autovacuum leaves a live table).
//!
//! Each direction is also set against an end-to-end floor: the source read
//! raw (Redis: `HGETALL` and `ZRANGE` per thread; Postgres: one `COPY … TO
//! STDOUT`) plus the raw write above ("read+write").
//!
//! Peak resident memory of each `copy` comes from `/usr/bin/time -v`.
//! Stores are the tests' own (a fresh Postgres schema, leased Redis
//! databases), so it runs beside the test suite; servers as in the tests
//! (`THREADCTL_TEST_PG` / `THREADCTL_TEST_REDIS`).

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use sqlx::{Connection, PgConnection};
use support::{env_number, report, run_release, seed, thread_id, TENANT};

/// The raw Redis keys of one thread's checkpoints.
struct ThreadKeys {
    byid: String,
    envelopes: Vec<(String, String)>,
    bystep: String,
    steps: Vec<(String, f64)>,
}

/// Reads every bench thread's checkpoint hash and sorted set.
async fn read_raw(conn: &mut redis::aio::MultiplexedConnection, threads: usize) -> Vec<ThreadKeys> {
    let mut all = Vec::with_capacity(threads);
    for t in 0..threads {
        let prefix = format!("entelix:cp:{TENANT}:{}", thread_id(t));
        let byid = format!("{prefix}:byid");
        let bystep = format!("{prefix}:bystep");
        let envelopes: Vec<(String, String)> = redis::cmd("HGETALL")
            .arg(&byid)
            .query_async(conn)
            .await
            .expect("hgetall");
        let steps: Vec<(String, f64)> = redis::cmd("ZRANGE")
            .arg(&bystep)
            .arg(0)
            .arg(-1)
            .arg("WITHSCORES")
            .query_async(conn)
            .await
            .expect("zrange");
        all.push(ThreadKeys {
            byid,
            envelopes,
            bystep,
            steps,
        });
    }
    all
}

/// The floor of Postgres → Redis: writes `keys` with one pipeline per thread.
async fn redis_raw_write(conn: &mut redis::aio::MultiplexedConnection, keys: &[ThreadKeys]) {
    for thread in keys {
        let mut hset = redis::cmd("HSET");
        hset.arg(&thread.byid);
        for (field, value) in &thread.envelopes {
            hset.arg(field).arg(value);
        }
        let mut zadd = redis::cmd("ZADD");
        zadd.arg(&thread.bystep);
        for (member, score) in &thread.steps {
            zadd.arg(score).arg(member);
        }
        redis::pipe()
            .add_command(hset)
            .ignore()
            .add_command(zadd)
            .ignore()
            .query_async::<()>(conn)
            .await
            .expect("raw write");
    }
}

/// Checkpoint envelopes held by the bench threads of a Redis database.
async fn redis_envelopes(conn: &mut redis::aio::MultiplexedConnection, threads: usize) -> usize {
    let mut total = 0;
    for t in 0..threads {
        let byid = format!("entelix:cp:{TENANT}:{}:byid", thread_id(t));
        let n: usize = redis::cmd("HLEN")
            .arg(byid)
            .query_async(conn)
            .await
            .expect("hlen");
        total += n;
    }
    total
}

async fn pg_rows(conn: &mut PgConnection) -> usize {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM checkpoints")
        .fetch_one(conn)
        .await
        .expect("count");
    usize::try_from(n).expect("count")
}

/// Reads the whole table out in `COPY` text form (timed: the read half of
/// the Postgres → Redis end-to-end floor).
async fn pg_copy_out(conn: &mut PgConnection) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut out = conn
        .copy_out_raw("COPY checkpoints TO STDOUT")
        .await
        .expect("copy out");
    while let Some(chunk) = out.try_next().await.expect("copy out") {
        rows.extend_from_slice(&chunk);
    }
    (rows, started.elapsed())
}

/// The floor of Redis → Postgres: the table truncated, then the timed
/// `COPY … FROM STDIN` of `rows`.
async fn pg_copy_in(conn: &mut PgConnection, rows: &[u8]) -> Duration {
    sqlx::raw_sql("TRUNCATE checkpoints")
        .execute(&mut *conn)
        .await
        .expect("truncate");
    let started = Instant::now();
    let mut copy = conn
        .copy_in_raw("COPY checkpoints FROM STDIN")
        .await
        .expect("copy in");
    for chunk in rows.chunks(1 << 20) {
        copy.send(chunk).await.expect("copy in");
    }
    copy.finish().await.expect("copy in");
    started.elapsed()
}

async fn redis_connection(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .expect("redis")
}

fn flush(db: &common::RedisDb) {
    let _: () = redis::cmd("FLUSHDB")
        .query(&mut db.connection())
        .expect("flushdb");
}

#[tokio::main]
async fn main() {
    let records = env_number("THREADCTL_BENCH_RECORDS", 100_000);
    let threads = env_number("THREADCTL_BENCH_THREADS", 1_000);
    println!("copy: {records} checkpoints, 1 KB states, {threads} threads");
    let source = common::RedisDb::new();
    let target = common::RedisDb::new();
    let schema = common::PgSchema::new();
    seed(&source.url, records, threads, None).await;

    let mut from = redis_connection(&source.url).await;
    let started = Instant::now();
    let keys = read_raw(&mut from, threads).await;
    let redis_read = started.elapsed();

    let (ours, rss) = run_release(&["-q", "copy", "--from", &source.url, "--to", &schema.url]);
    let mut pg = PgConnection::connect(&schema.url).await.expect("postgres");
    assert_eq!(pg_rows(&mut pg).await, records, "rows copied to Postgres");
    let (rows, pg_read) = pg_copy_out(&mut pg).await;
    let pg_write = pg_copy_in(&mut pg, &rows).await;
    drop(rows);
    assert_eq!(pg_rows(&mut pg).await, records, "rows of the COPY floor");
    // The Postgres source of the other direction is these rows, as a live
    // store holds them once autovacuum went by: vacuumed (hint bits and
    // visibility map set, so the copy's first read does not write them)
    // and analyzed. Untimed.
    sqlx::raw_sql("VACUUM ANALYZE checkpoints")
        .execute(&mut pg)
        .await
        .expect("vacuum");
    report("redis->postgres", records, pg_write, ours, rss);
    report("  read+write", records, redis_read + pg_write, ours, rss);

    let mut to = redis_connection(&target.url).await;
    let started = Instant::now();
    redis_raw_write(&mut to, &keys).await;
    let redis_write = started.elapsed();
    assert_eq!(
        redis_envelopes(&mut to, threads).await,
        records,
        "floor keys"
    );
    drop(keys);
    flush(&target);
    let (ours, rss) = run_release(&["-q", "copy", "--from", &schema.url, "--to", &target.url]);
    assert_eq!(
        redis_envelopes(&mut to, threads).await,
        records,
        "checkpoints copied to Redis"
    );
    report("postgres->redis", records, redis_write, ours, rss);
    report("  read+write", records, pg_read + redis_write, ours, rss);
}
