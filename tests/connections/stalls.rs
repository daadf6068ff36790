//! Time limits: a server that accepts and never answers, and one that
//! stops answering mid-session (a proxy holding the bytes), end in an
//! error naming the server and what was being done, within the limit.

use std::time::{Duration, Instant};

use threadctl::backend::{CheckpointBackend, SessionLogBackend};
use threadctl::{Backend, ConnectOptions, ThreadKey};

use crate::common::{PgSchema, RedisDb};
use crate::servers::{Proxy, Stall};
use crate::{bin, run};

/// Slack on top of a limit for process start and scheduling on a busy
/// machine: a bound on a hang, not a speed target.
const MARGIN: Duration = Duration::from_secs(4);

/// Runs `threads` on `url` with a 1s connect limit given by `how`.
fn stalled_cli(url: &str, flag: bool) -> (crate::Ran, Duration) {
    let mut cmd = bin();
    cmd.args(["threads", "--url", url]);
    if flag {
        cmd.args(["--connect-timeout", "1s"]);
    } else {
        cmd.env("THREADCTL_CONNECT_TIMEOUT", "1s");
    }
    let started = Instant::now();
    let ran = run(&mut cmd);
    (ran, started.elapsed())
}

#[test]
fn a_server_that_never_answers_fails_the_connect_within_the_limit() {
    let stall = Stall::start();
    let urls = [
        format!("postgres://postgres@127.0.0.1:{}/test", stall.port),
        format!("redis://127.0.0.1:{}/0", stall.port),
        format!("rediss://127.0.0.1:{}/0", stall.port),
    ];
    for url in &urls {
        for flag in [true, false] {
            let (ran, took) = stalled_cli(url, flag);
            assert_eq!(ran.code, Some(1), "{url}: {}", ran.stderr);
            assert!(
                took < Duration::from_secs(1) + MARGIN,
                "{url}: took {took:?}"
            );
            let server = format!("127.0.0.1:{}", stall.port);
            assert!(
                ran.stderr.contains(&server)
                    && ran.stderr.contains("while connecting")
                    && ran.stderr.contains("--connect-timeout"),
                "{url}: {}",
                ran.stderr
            );
        }
    }
}

/// Opens `url` through a proxy, lets the proxy hold the bytes, and checks
/// that a read fails within the operation limit, naming the proxy's
/// address and what it was reading.
async fn read_through_a_partition(url_via: impl Fn(u16) -> String, upstream: u16) {
    let proxy = Proxy::start(upstream);
    let limit = Duration::from_secs(1);
    let options = ConnectOptions::new().with_operation_timeout(limit);
    let backend = Backend::open_with(&url_via(proxy.port), &options)
        .await
        .expect("open through the proxy");
    let thread = ThreadKey::new("default", "stalled").unwrap();
    assert!(backend.latest_checkpoint(&thread).await.unwrap().is_none());
    proxy.hold();
    let started = Instant::now();
    let error = backend
        .latest_checkpoint(&thread)
        .await
        .expect_err("a held connection cannot answer")
        .to_string();
    let took = started.elapsed();
    assert!(took < limit + MARGIN, "took {took:?}: {error}");
    assert!(
        error.contains(&format!("127.0.0.1:{}", proxy.port))
            && error.contains("within 1s")
            && error.contains("--timeout"),
        "{error}"
    );
}

#[tokio::test]
async fn postgres_stalled_mid_session_fails_the_call_within_the_limit() {
    let schema = PgSchema::new();
    let url = schema.url.clone();
    read_through_a_partition(|port| url.replace(":5432/", &format!(":{port}/")), 5432).await;
}

#[tokio::test]
async fn redis_stalled_mid_session_fails_the_call_within_the_limit() {
    let db = RedisDb::new();
    let url = db.url.clone();
    read_through_a_partition(|port| url.replace(":6379/", &format!(":{port}/")), 6379).await;
}

/// An append that stalls is not repeated: it fails within the limit,
/// saying the server may have applied it.
async fn stalled_append(url_via: impl Fn(u16) -> String, upstream: u16) {
    let proxy = Proxy::start(upstream);
    let limit = Duration::from_secs(1);
    let options = ConnectOptions::new().with_operation_timeout(limit);
    let backend = Backend::open_with(&url_via(proxy.port), &options)
        .await
        .expect("open through the proxy");
    if let Backend::Postgres(pg) = &backend {
        // Appends wait for the session lock on purpose, on top of the limit.
        pg.set_lock_wait(Duration::from_millis(100));
    }
    let thread = ThreadKey::new("default", "stalled-append").unwrap();
    backend.log_bounds(&thread).await.expect("connected");
    proxy.hold();
    let started = Instant::now();
    let error = backend
        .append_events(&thread, &[serde_json::json!({"n": 1})])
        .await
        .expect_err("a held connection cannot answer")
        .to_string();
    assert!(started.elapsed() < limit + MARGIN, "{error}");
    assert!(
        error.starts_with("the server may have applied it: appending 1 event(s)")
            && error.contains("within 1s"),
        "{error}"
    );
}

#[tokio::test]
async fn postgres_stalled_append_says_it_may_be_applied() {
    let schema = PgSchema::new();
    let url = schema.url.clone();
    stalled_append(|port| url.replace(":5432/", &format!(":{port}/")), 5432).await;
}

#[tokio::test]
async fn redis_stalled_append_says_it_may_be_applied() {
    let db = RedisDb::new();
    let url = db.url.clone();
    stalled_append(|port| url.replace(":6379/", &format!(":{port}/")), 6379).await;
}
