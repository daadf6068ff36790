//! `threadctl migrate` end to end: on the data the reference services
//! wrote, on empty and older schemas, killed at random points and run
//! twice at once.

use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{json, Value};
use threadctl::backend::{BulkCheckpoints, ThreadListing, ThreadSelection, WriteMode};
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, BackendKind, Checkpoint, EnvelopeVersion, ThreadKey};

use crate::common::reference::{self, reference_layout_sql};
use crate::common::{PgSchema, RedisDb};
use crate::env::Env;

fn threadctl(url: &str) -> Command {
    let mut cmd = Command::cargo_bin("threadctl").expect("binary");
    cmd.env_clear()
        .env("HOME", std::env::temp_dir())
        .arg("--url")
        .arg(url);
    cmd
}

/// Runs `args` and returns (exit code, stdout, stderr).
fn run(url: &str, args: &[&str]) -> (i32, String, String) {
    let out = threadctl(url).args(args).output().expect("run threadctl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(url: &str, args: &[&str]) -> String {
    let (code, out, err) = run(url, args);
    assert_eq!(code, 0, "threadctl {args:?} failed: {err}");
    out
}

/// Every record of every thread of the store, by thread, oldest first.
async fn snapshot(url: &str) -> Vec<StoredCheckpoint> {
    let backend = Backend::open(url).await.expect("open");
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = backend
            .thread_page(&ThreadSelection::everything(), cursor.as_ref(), 100)
            .await
            .unwrap();
        for thread in page.threads {
            let mut after = None;
            loop {
                let records = backend
                    .read_page(&thread, after.as_ref(), 100)
                    .await
                    .unwrap();
                out.extend(records.records.into_iter().map(|r| r.expect("readable")));
                match records.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    out.sort_by_key(|r| {
        (
            r.checkpoint.thread_key(),
            r.checkpoint.step,
            r.checkpoint.id,
        )
    });
    out.dedup_by_key(|r| r.checkpoint.id);
    out
}

fn contents(records: &[StoredCheckpoint]) -> Vec<Checkpoint<Value>> {
    records.iter().map(|r| r.checkpoint.clone()).collect()
}

/// What the reference read back as history, for tenants whose reads the
/// reference gets right (no `:` in the tenant: docs/format.md shortfall 3).
pub fn check_reference_histories(url: &str, backend: &str) {
    for read in reference::reads(backend) {
        let tenant = read["tenant"].as_str().unwrap_or_default();
        if read["read"] != "history" || tenant.contains(':') {
            continue;
        }
        let thread = read["thread"].as_str().expect("thread");
        let out = ok(url, &["--tenant", tenant, "-o", "json", "history", thread]);
        let ours: Vec<Value> = serde_json::from_str(&out).expect("json");
        let theirs = read["result"].as_array().expect("result");
        assert_eq!(ours.len(), theirs.len(), "{tenant}/{thread}");
        for (mine, reference) in ours.iter().zip(theirs) {
            for field in ["id", "parent_id", "step", "state", "next_node"] {
                assert_eq!(mine[field], reference[field], "{tenant}/{thread} {field}");
            }
        }
    }
}

async fn reference_data_migrates_up_and_back(url: &str, backend: &str) {
    let original = snapshot(url).await;
    assert_eq!(original.len(), 54, "the fixture's checkpoints");
    assert!(original
        .iter()
        .all(|r| r.schema_version == EnvelopeVersion::V1));
    check_reference_histories(url, backend);

    let status = ok(url, &["-o", "json", "migrate", "status"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["records"]["by_version"]["1"], 54);

    let (code, _, err) = run(url, &["migrate", "run", "--to", "2"]);
    assert_eq!(code, 2, "an upgrade needs --yes off a terminal: {err}");
    assert!(err.contains("refuse envelope version 2"), "{err}");
    let out = ok(
        url,
        &["migrate", "run", "--to", "2", "--yes", "--batch-size", "4"],
    );
    assert!(out.contains("rewrote 54 record(s)"), "{out}");
    ok(url, &["migrate", "check"]);
    let upgraded = snapshot(url).await;
    assert!(upgraded
        .iter()
        .all(|r| r.schema_version == EnvelopeVersion::V2));
    assert_eq!(contents(&upgraded), contents(&original));
    check_reference_histories(url, backend);

    // threadctl now writes v2 with its metadata.
    let id = ok(
        url,
        &[
            "--tenant",
            "acme",
            "put",
            "written-by-threadctl",
            "--state",
            "{\"new\": true}",
        ],
    );
    let written = ok(
        url,
        &[
            "--tenant",
            "acme",
            "-o",
            "json",
            "show",
            "written-by-threadctl",
            id.trim(),
        ],
    );
    let written: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        (
            written["schema_version"].clone(),
            written["metadata"]["source"].clone()
        ),
        (json!(2), json!("put"))
    );

    let (code, _, err) = run(url, &["migrate", "run", "--to", "1", "--yes"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("1 record(s) carry metadata") && err.contains("--allow-lossy"),
        "{err}"
    );
    ok(
        url,
        &["migrate", "run", "--to", "1", "--yes", "--allow-lossy"],
    );
    ok(url, &["migrate", "check"]);
    let mut downgraded = snapshot(url).await;
    downgraded.retain(|r| r.checkpoint.id.to_string() != id.trim());
    assert!(downgraded
        .iter()
        .all(|r| r.schema_version == EnvelopeVersion::V1));
    assert_eq!(
        contents(&downgraded),
        contents(&original),
        "v1 -> v2 -> v1 keeps every record"
    );
    check_reference_histories(url, backend);
}

#[tokio::test]
async fn reference_postgres_data_migrates_up_and_back() {
    let schema = PgSchema::new();
    reference::load_postgres(&schema).await;
    let pool = sqlx::PgPool::connect(&schema.url).await.unwrap();
    let states_before: Vec<(String, String)> =
        sqlx::query_as("SELECT id::text, state::text FROM checkpoints ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    reference_data_migrates_up_and_back(&schema.url, "postgres").await;
    let states_after: Vec<(String, String)> = sqlx::query_as(
        "SELECT id::text, state::text FROM checkpoints WHERE id::text = ANY($1) ORDER BY id",
    )
    .bind(
        states_before
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>(),
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        states_after, states_before,
        "the state columns as the reference wrote them"
    );
    // The reference's recorded migrations are untouched, so its own
    // start-up migration step finds nothing to do.
    let recorded: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        recorded,
        vec![
            (
                20260426000000,
                hex::decode(reference::CHECKSUM_INITIAL).unwrap(),
                true
            ),
            (
                20260501000001,
                hex::decode(reference::CHECKSUM_RLS).unwrap(),
                true
            )
        ]
    );
}

#[tokio::test]
async fn reference_redis_data_migrates_up_and_back() {
    let db = RedisDb::new();
    reference::load_redis(&db);
    reference_data_migrates_up_and_back(&db.url, "redis").await;
}

#[tokio::test]
async fn a_read_on_an_empty_postgres_schema_creates_nothing_and_exits_3() {
    let schema = PgSchema::new();
    for args in [
        &["latest", "t1"][..],
        &["history", "t1"],
        &["threads"],
        &["migrate", "check"],
    ] {
        let (code, _, err) = run(&schema.url, args);
        let expected = if args[0] == "migrate" { 6 } else { 3 };
        assert_eq!(code, expected, "{args:?}: {err}");
        if expected == 3 {
            assert!(err.contains("threadctl migrate schema"), "{err}");
        }
    }
    ok(&schema.url, &["migrate", "status"]);
    let pool = sqlx::PgPool::connect(&schema.url).await.unwrap();
    let objects: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = $1) \
              + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = $1)",
    )
    .bind(&schema.schema)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(objects, 0, "reads and inspections created nothing");

    let out = ok(&schema.url, &["migrate", "schema"]);
    assert!(out.contains("threadctl migration 2"), "{out}");
    ok(&schema.url, &["migrate", "schema"]);
    ok(&schema.url, &["migrate", "check"]);
    assert_eq!(
        run(&schema.url, &["latest", "t1"]).0,
        3,
        "an empty thread now"
    );
}

#[tokio::test]
async fn migrate_schema_completes_a_schema_the_reference_set_up() {
    let schema = PgSchema::new();
    let pool = sqlx::PgPool::connect(&schema.url).await.unwrap();
    sqlx::raw_sql(&reference_layout_sql())
        .execute(&pool)
        .await
        .unwrap();
    let (code, out, _) = run(&schema.url, &["migrate", "check"]);
    assert_eq!(code, 6);
    assert!(out.is_empty());
    let status = ok(&schema.url, &["-o", "json", "migrate", "status"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["schema"]["complete"], false);
    ok(&schema.url, &["migrate", "schema"]);
    let check = ok(&schema.url, &["migrate", "check"]);
    assert!(check.starts_with("ok: schema complete"), "{check}");
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        recorded, 2,
        "threadctl never records in the reference's table"
    );
}

/// `threads` threads of `per_thread` v1 checkpoints with 1 KB states,
/// written in batches.
async fn fill(url: &str, threads: usize, per_thread: u64) -> Vec<StoredCheckpoint> {
    let backend = Backend::open(url).await.unwrap();
    let filler = "x".repeat(1000);
    for t in 0..threads {
        let thread = ThreadKey::new(format!("tenant-{}", t % 3), format!("t{t}")).unwrap();
        let mut batch = Vec::new();
        let mut parent = None;
        for step in 0..per_thread {
            let mut cp = Checkpoint::new(
                &thread,
                parent,
                step,
                json!({"step": step, "pad": filler}),
                None,
            );
            cp.timestamp = threadctl::model::now_micros();
            parent = Some(cp.id);
            batch.push(StoredCheckpoint {
                checkpoint: cp,
                schema_version: EnvelopeVersion::V1,
            });
        }
        backend
            .write_batch(&thread, &batch, WriteMode::OnlyNew)
            .await
            .unwrap();
    }
    snapshot(url).await
}

/// Starts `migrate run --to 2`, kills it with SIGKILL after a random
/// moment, `kills` times, then runs it to the end; the store ends complete.
async fn killed_runs_then_a_full_run_end_complete(url: &str, kills: usize, wait: &str) {
    let original = fill(url, 40, 50).await;
    assert_eq!(original.len(), 2000);
    for round in 0..kills {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("threadctl"))
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .args([
                "--url",
                url,
                "migrate",
                "run",
                "--to",
                "2",
                "--yes",
                "--batch-size",
                "7",
                "--wait",
                wait,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pause = 150 + (rand::random::<u64>() % 600);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        let partial = snapshot(url).await;
        assert_eq!(
            contents(&partial),
            contents(&original),
            "round {round}: nothing lost, duplicated or half-written"
        );
    }
    let (code, out, err) = run(
        url,
        &["migrate", "run", "--to", "2", "--yes", "--wait", wait],
    );
    assert_eq!(code, 0, "{out}{err}");
    ok(url, &["migrate", "check"]);
    let finished = snapshot(url).await;
    assert!(finished
        .iter()
        .all(|r| r.schema_version == EnvelopeVersion::V2));
    assert_eq!(contents(&finished), contents(&original));
}

/// Runs killed at random points, then a full run, leave every record
/// migrated. A killed run's bulk lock ends with its connection on Postgres;
/// on Redis and SQLite it lives out its TTL, so the next run waits for it.
fn migrations_survive_sigkill(env: &Env) {
    if env.kind() == BackendKind::Postgres {
        ok(env.url(), &["migrate", "schema"]);
    }
    let (kills, wait) = if env.kind().lock_lives_on_its_connection() {
        (4, "5s")
    } else {
        (2, "60s")
    };
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(killed_runs_then_a_full_run_end_complete(
            env.url(),
            kills,
            wait,
        ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_never_interleave() {
    let schema = PgSchema::new();
    ok(&schema.url, &["migrate", "schema"]);
    let original = fill(&schema.url, 60, 40).await;
    let spawn = |extra: &[&str]| {
        let mut args = vec![
            "--url",
            schema.url.as_str(),
            "migrate",
            "run",
            "--to",
            "2",
            "--yes",
            "--batch-size",
            "2",
        ];
        args.extend_from_slice(extra);
        StdCommand::new(assert_cmd::cargo::cargo_bin("threadctl"))
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    let first = spawn(&[]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let busy = spawn(&[]);
    let waiting = spawn(&["--wait", "2m"]);
    let codes: Vec<(i32, String)> = [first, busy, waiting]
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect();
    assert_eq!(codes[0].0, 0, "{}", codes[0].1);
    assert!(
        codes[1].0 == 4 && codes[1].1.contains("another `migrate run`"),
        "a second run exits 4 while the first holds the lock (after {:?}): {:?}",
        started.elapsed(),
        codes[1]
    );
    assert_eq!(
        codes[2].0, 0,
        "a waiting run finishes after it: {}",
        codes[2].1
    );
    ok(&schema.url, &["migrate", "check"]);
    assert_eq!(contents(&snapshot(&schema.url).await), contents(&original));
}

on_every_backend!(crate::env::run => migrations_survive_sigkill);
