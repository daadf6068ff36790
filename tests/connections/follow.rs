//! `events tail --follow` through an outage longer than the retries of a
//! single call: it says on stderr that it is disconnected, reconnects,
//! and continues after the last event it printed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::json;
use threadctl::backend::SessionLogBackend;
use threadctl::{Backend, ThreadKey};

use crate::common::{PgSchema, RedisDb};
use crate::servers::Proxy;

/// The lines a child prints on one stream, as they come.
fn lines(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// The next line, failing the test after `within`.
fn next(lines: &Receiver<String>, within: Duration, what: &str) -> String {
    lines
        .recv_timeout(within)
        .unwrap_or_else(|_| panic!("no {what} within {within:?}"))
}

/// Kills the follower when the test ends, however it ends.
struct Follower(Child);

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn follow_through_an_outage(url: &str, port: u16) {
    let proxy = Proxy::start(port);
    let via = url.replace(&format!(":{port}/"), &format!(":{}/", proxy.port));
    let direct = Backend::open(url).await.expect("open directly");
    let thread = ThreadKey::new("default", "followed").unwrap();
    direct
        .append_events(&thread, &[json!({"n": 1})])
        .await
        .unwrap();

    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"));
    cmd.args([
        "events",
        "tail",
        "followed",
        "--follow",
        "--interval",
        "200ms",
        "-o",
        "jsonl",
    ])
    .args(["--url", &via])
    .env_remove("THREADCTL_LOG")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut follower = Follower(cmd.spawn().expect("start the follower"));
    let stdout = lines(follower.0.stdout.take().unwrap());
    let stderr = lines(follower.0.stderr.take().unwrap());
    let wait = Duration::from_secs(15);
    assert_eq!(
        next(&stdout, wait, "first event"),
        r#"{"ordinal":1,"event":{"n":1}}"#
    );

    // Down for longer than one call's retries (about 4s).
    proxy.set_down(true);
    let lost = next(&stderr, wait, "disconnection note");
    assert!(lost.starts_with("disconnected from the store"), "{lost}");
    assert!(lost.contains("continuing after ordinal 1"), "{lost}");
    direct
        .append_events(&thread, &[json!({"n": 2})])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    proxy.set_down(false);

    assert_eq!(
        next(&stdout, wait, "event after the outage"),
        r#"{"ordinal":2,"event":{"n":2}}"#
    );
    let back = std::iter::from_fn(|| stderr.recv_timeout(Duration::from_secs(1)).ok())
        .find(|line| line.starts_with("reconnected after"))
        .expect("a reconnection note");
    assert!(back.contains("continuing after ordinal 1"), "{back}");
    eprintln!("{lost}\n{back}");
    assert!(
        follower.0.try_wait().unwrap().is_none(),
        "the follower is still running"
    );
}

#[tokio::test]
async fn postgres_follow_survives_an_outage() {
    let schema = PgSchema::new();
    follow_through_an_outage(&schema.url, 5432).await;
}

#[tokio::test]
async fn redis_follow_survives_an_outage() {
    let db = RedisDb::new();
    follow_through_an_outage(&db.url, 6379).await;
}
