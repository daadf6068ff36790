//! `copy` under faults: SIGKILL at random points and a rerun, a Redis
//! target restarted mid-run, unreachable and read-only targets, a
//! Postgres role that row-level security keeps from other tenants, a
//! corrupt source record and a NUL character bound for Postgres.

use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use threadctl::BackendKind;

use crate::common::{free_port, reference, PgRole, PgSchema, RedisServer, TestStore};
use crate::copy::{copy, copy_between, verify_against, verify_against_url};
use crate::env::{process, Damage, Env};
use crate::seed::{self, bulk_thread, cp, BULK_TENANT, RECORDS_PER_BULK_THREAD, T2};

/// Threads of the interrupted copies: long enough at [`RATE`] to be
/// killed mid-run, a few seconds in all.
const THREADS: u32 = 300;

/// Records per second the interrupted copies read (`--rate`).
const RATE: &str = "1500";

/// A random number below `bound`.
fn random_below(bound: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() % u128::from(bound)) as u64
}

/// Starts `copy --from FROM --to TO ARGS…` in the background.
fn start_copy(from: &str, to: &str, args: &[&str]) -> Child {
    process()
        .args(["copy", "--from", from, "--to", to])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start threadctl copy")
}

/// The ordinals of a bulk thread's unarchived events in `env`.
fn ordinals(env: &Env, i: u32) -> Vec<u64> {
    env.json(&[
        "--tenant",
        BULK_TENANT,
        "events",
        "tail",
        &bulk_thread(i),
        "-o",
        "json",
    ])
    .as_array()
    .expect("a list")
    .iter()
    .map(|e| e["ordinal"].as_u64().expect("ordinal"))
    .collect()
}

fn killed_copies_resume_without_duplicates(from: BackendKind, to: BackendKind) {
    let (source, target) = (Env::new(from), Env::new(to));
    seed::import(&source, &seed::many_threads(THREADS).finish());
    let args = ["--rate", RATE, "--batch-size", "20"];
    let mut delays = Vec::new();
    for _ in 0..3 {
        let mut child = start_copy(source.url(), target.url(), &args);
        let delay = 300 + random_below(700);
        delays.push(delay);
        std::thread::sleep(Duration::from_millis(delay));
        let running = child.try_wait().expect("poll copy").is_none();
        child.kill().expect("SIGKILL copy");
        let output = child.wait_with_output().expect("reap copy");
        assert!(
            running,
            "the copy finished before it was killed ({delays:?} ms): {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = process()
        .args([
            "copy",
            "--from",
            source.url(),
            "--to",
            target.url(),
            "-o",
            "json",
        ])
        .args(args)
        .output()
        .expect("run copy");
    assert!(
        output.status.success(),
        "after kills at {delays:?} ms: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).expect("JSON summary");
    let records = u64::from(THREADS) * RECORDS_PER_BULK_THREAD;
    assert_eq!(summary["records"], records);
    assert_eq!(summary["problem_count"], 0);
    let unchanged = summary["unchanged"].as_u64().expect("unchanged");
    assert!(
        unchanged > 0,
        "nothing had landed before the rerun ({delays:?} ms)"
    );
    assert_eq!(
        unchanged + summary["written"].as_u64().expect("written"),
        records,
        "each record written or found already there: {summary}"
    );

    let (code, out) = verify_against(&source, &target, &[]);
    assert_eq!(code, 0, "after kills at {delays:?} ms: {out}");
    assert_eq!(
        seed::exported_records(&target),
        seed::exported_records(&source)
    );
    for i in [0, THREADS / 2, THREADS - 1] {
        assert_eq!(ordinals(&target, i), [2, 3, 4, 5], "thread {i}");
    }
    let next = target.ok(&[
        "--tenant",
        BULK_TENANT,
        "events",
        "append",
        &bulk_thread(0),
        "--event",
        "{}",
    ]);
    assert_eq!(next.trim(), "6");
}

#[test]
fn killed_copies_resume_sqlite_to_postgres() {
    killed_copies_resume_without_duplicates(BackendKind::Sqlite, BackendKind::Postgres);
}

#[test]
fn killed_copies_resume_redis_to_sqlite() {
    killed_copies_resume_without_duplicates(BackendKind::Redis, BackendKind::Sqlite);
}

/// Starts a copy of `source` to `server` that takes about two seconds,
/// and lets it run for 600 ms. Each connection attempt is given 300 ms, so
/// the retries give up after about 6 s (with the default 5 s, after about
/// 40 s).
fn copy_under_way(source: &Env, server: &RedisServer) -> Child {
    let child = start_copy(
        source.url(),
        &server.url(),
        &[
            "--rate",
            "800",
            "--batch-size",
            "20",
            "--connect-timeout",
            "300ms",
        ],
    );
    std::thread::sleep(Duration::from_millis(600));
    child
}

/// Waits for a copy; its exit code and stderr.
fn finish(child: Child) -> (Option<i32>, String) {
    let output = child.wait_with_output().expect("copy ends");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code(), stderr)
}

/// After a fault: the same copy again completes, and the stores compare
/// identical (the restarted server lost what had landed before).
fn rerun_completes(source: &Env, server: &RedisServer) {
    let (code, out, err) = copy_between(source.url(), &server.url(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out) = verify_against_url(source, &server.url(), &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_target_restarted_mid_copy_is_ridden_out_and_an_outage_is_a_clear_error() {
    let source = Env::new(BackendKind::Sqlite);
    seed::import(&source, &seed::many_threads(200).finish());
    let mut server = RedisServer::start(&[]);

    // Down for 300 ms: the writes are retried with backoff and land.
    let child = copy_under_way(&source, &server);
    server.kill();
    std::thread::sleep(Duration::from_millis(300));
    server.restart();
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(0), "a restart within the retries: {stderr}");
    rerun_completes(&source, &server);

    // Down for longer than the retries last: a clear error, exit 1.
    server.restart();
    let child = copy_under_way(&source, &server);
    server.kill();
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("127.0.0.1:{}", server.port))
            && stderr.contains("run the same command again"),
        "{stderr}"
    );
    server.restart();
    rerun_completes(&source, &server);
}

#[test]
fn an_unreachable_target_is_a_clear_error() {
    let source = Env::new(BackendKind::Sqlite);
    seed::import(&source, &seed::awkward_store().finish());
    let port = free_port();
    for url in [
        format!("redis://127.0.0.1:{port}/0"),
        format!("postgres://postgres@127.0.0.1:{port}/test"),
    ] {
        // Refused connections are retried until the connect timeout.
        let (code, _, err) = copy_between(source.url(), &url, &["--connect-timeout", "500ms"]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("opening the target (--to)"), "{err}");
        assert!(err.contains(&format!("cannot connect to {url}")), "{err}");
        assert!(err.contains("Connection refused"), "{err}");
    }
}

#[test]
fn a_read_only_target_is_a_clear_error() {
    let source = Env::new(BackendKind::Sqlite);
    seed::import(&source, &seed::awkward_store().finish());

    let target = Env::new(BackendKind::Postgres);
    target.ok(&["migrate", "schema"]);
    let TestStore::Postgres(schema) = &target.store else {
        unreachable!("a Postgres store")
    };
    let role = PgRole::read_only(schema);
    let (code, _, err) = copy_between(source.url(), &schema.url_as(&role.name), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("permission denied for table"), "{err}");
    assert!(err.contains("copy stopped before the end"), "{err}");
    assert_eq!(seed::exported_records(&target).len(), 1, "nothing landed");

    let replica = RedisServer::start(&["--replicaof", "127.0.0.1", &free_port().to_string()]);
    let (code, _, err) = copy_between(source.url(), &replica.url(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("read only replica"), "{err}");
}

#[test]
fn a_role_under_row_level_security_is_told_so_and_can_copy_its_tenant() {
    let source = Env::new(BackendKind::Postgres);
    seed::import(&source, &seed::awkward_store().finish());
    let TestStore::Postgres(schema) = &source.store else {
        unreachable!("a Postgres store")
    };
    let role = PgRole::restricted(schema);
    let restricted = schema.url_as(&role.name);
    let target = Env::new(BackendKind::Sqlite);
    let (code, _, err) = copy_between(&restricted, target.url(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("row-level security"), "{err}");
    assert!(err.contains(&role.name), "{err}");
    assert!(
        err.contains("one tenant at a time (--tenants TENANT)"),
        "{err}"
    );

    let (code, out, err) = copy_between(&restricted, target.url(), &["--tenants", "acme"]);
    assert_eq!(code, 0, "{out}{err}");
    let threads = target.jsonl(&["threads", "-A", "-o", "jsonl"]);
    assert_eq!(threads.len(), 2, "{threads:?}");
    assert!(
        threads.iter().all(|t| t["tenant_id"] == "acme"),
        "{threads:?}"
    );
    let (code, out) = verify_against(&source, &target, &["--tenants", "acme"]);
    assert_eq!(code, 0, "{out}");
}

/// A corrupt record in the source, and one holding an integer a double
/// would round, are reported, the rest is copied, and the run exits 5.
fn a_corrupt_source_record_is_reported_and_the_rest_copied(source: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    source.corrupt("acme", "t1", &cp(3), Damage::MissingState);
    let long = "123456789012345678901234567890";
    source.corrupt(
        "acme",
        "t1",
        &cp(2),
        Damage::State(format!(r#"{{"n": {long}}}"#)),
    );
    let target = Env::new(BackendKind::Sqlite);
    let (code, out, err) = copy(source, &target, &[]);
    assert_eq!(code, 5, "{out}{err}");
    assert!(out.contains("unreadable") && out.contains(&cp(3)), "{out}");
    assert!(out.contains(&cp(2)) && out.contains(long), "{out}");
    assert!(err.contains("2 record(s) not copied"), "{err}");
    let copied = target.ok(&["--tenant", "acme", "history", "t1", "-o", "jsonl"]);
    assert_eq!(copied.lines().count(), 2, "the other checkpoints landed");
    for refused in [cp(3), cp(2)] {
        assert!(
            !copied.contains(&format!(r#""id":"{refused}""#)),
            "{copied}"
        );
    }
    target.ok(&["--tenant", "acme", "history", "t2"]);
}

on_every_backend!(crate::env::run =>
    a_corrupt_source_record_is_reported_and_the_rest_copied,
);

#[test]
fn a_nul_character_bound_for_postgres_is_reported_and_the_rest_copied() {
    let source = Env::new(BackendKind::Sqlite);
    let mut dump = seed::awkward_store();
    dump.checkpoint(T2, 7, Some(5), 1, json!({"text": "before\u{0}after"}));
    seed::import(&source, &dump.finish());
    let target = Env::new(BackendKind::Postgres);
    let (code, out, err) = copy(&source, &target, &["-o", "json"]);
    assert_eq!(code, 5, "{out}{err}");
    let summary: Value = serde_json::from_str(&out).expect("JSON summary");
    assert_eq!(summary["problem_count"], 1, "{summary}");
    let problem = &summary["problems"][0];
    assert_eq!(problem["problem"], "refused", "{problem}");
    assert!(
        problem["record"].as_str().unwrap().contains(&cp(7)),
        "{problem}"
    );
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("nul"),
        "{problem}"
    );
    let t2 = target.ok(&["--tenant", "acme", "history", "t2", "-o", "jsonl"]);
    assert_eq!(t2.lines().count(), 1, "{t2}");
    target.ok(&["--tenant", "acme", "history", "t1"]);
}

/// The reference's own Postgres layout, row-level security forced on every
/// table: a role it restricts is told so for every tenant at once, and
/// copies the one tenant it names.
#[tokio::test]
async fn reference_data_under_row_level_security_copies_tenant_by_tenant() {
    let schema = PgSchema::new();
    reference::load_postgres(&schema).await;
    // threadctl's objects beside the reference's, created by the owner,
    // as an operator does once before restricted roles use the schema.
    let setup = process()
        .args(["--url", &schema.url, "migrate", "schema"])
        .output()
        .expect("run migrate schema");
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let role = PgRole::restricted(&schema);
    let restricted = schema.url_as(&role.name);
    let target = Env::new(BackendKind::Sqlite);
    let (code, _, err) = copy_between(&restricted, target.url(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("row-level security"), "{err}");

    let (code, out, err) = copy_between(&restricted, target.url(), &["--tenants", "acme"]);
    assert_eq!(code, 0, "{out}{err}");
    let mut copied: Vec<String> = target
        .jsonl(&["threads", "-A", "-o", "jsonl"])
        .iter()
        .map(|t| {
            format!(
                "{}/{}",
                t["tenant_id"].as_str().unwrap(),
                t["thread_id"].as_str().unwrap()
            )
        })
        .collect();
    copied.sort();
    let mut expected: Vec<String> = reference::threads()
        .into_iter()
        .filter(|(tenant, _)| *tenant == "acme")
        .map(|(tenant, thread)| format!("{tenant}/{thread}"))
        .collect();
    expected.sort();
    assert_eq!(copied, expected);
    let output = process()
        .args([
            "--url",
            &restricted,
            "verify",
            "--against",
            target.url(),
            "--tenants",
            "acme",
        ])
        .output()
        .expect("run verify");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
