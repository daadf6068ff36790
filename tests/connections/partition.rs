//! `lock run` under a network partition (a proxy holding the bytes): its
//! command, one that ignores SIGTERM included, is dead before a rival can
//! take the lock.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use threadctl::{Backend, DistributedLock, ThreadKey};

use crate::common::{PgSchema, RedisDb};
use crate::servers::Proxy;

/// Nanoseconds since the Unix epoch, as `date +%s%N` prints them.
fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos()
}

/// Waits for `path` to hold a line, for at most 15s.
fn wait_for_file(path: &Path) -> String {
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.ends_with('\n') {
                return text;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(15), "no {path:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn partitioned_lock_run(url: &str, port: u16) {
    let proxy = Proxy::start(port);
    let via = url.replace(&format!(":{port}/"), &format!(":{}/", proxy.port));
    let rival = Backend::open(url).await.expect("open directly");
    let thread = ThreadKey::new("default", format!("partitioned-{}", std::process::id())).unwrap();
    let dir = tempfile::tempdir().expect("temp dir");
    // Ignores SIGTERM and writes the time every few milliseconds.
    let script = r#"trap '' TERM; echo $$ > pid; while :; do date +%s%N > beat.new; mv beat.new beat; sleep 0.01; done"#;
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"))
        .args([
            "lock",
            "run",
            thread.thread.as_str(),
            "--ttl",
            "3s",
            "--url",
            &via,
        ])
        .args(["--", "sh", "-c", script])
        .current_dir(dir.path())
        .env_remove("THREADCTL_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lock run");
    wait_for_file(&dir.path().join("pid"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.hold();

    let started = Instant::now();
    let taken_at = loop {
        let asked = now_ns();
        if let Some(guard) = rival
            .try_acquire(&thread, Duration::from_secs(30))
            .await
            .unwrap()
        {
            guard.release().await.unwrap();
            break asked;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the rival never got the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let output = child.wait_with_output().expect("wait for lock run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("lock lost"), "{stderr}");
    let last_beat: u128 = wait_for_file(&dir.path().join("beat"))
        .trim()
        .parse()
        .unwrap();
    assert!(
        last_beat < taken_at,
        "the command ran {}ms after the rival asked for the lock: {stderr}",
        (last_beat - taken_at) / 1_000_000
    );
    eprintln!(
        "command dead {}ms before the rival asked for the lock",
        (taken_at - last_beat) / 1_000_000
    );
}

#[tokio::test]
async fn postgres_lock_run_stops_its_command_before_a_rival_can_lock() {
    let schema = PgSchema::new();
    partitioned_lock_run(&schema.url, 5432).await;
}

#[tokio::test]
async fn redis_lock_run_stops_its_command_before_a_rival_can_lock() {
    let db = RedisDb::new();
    partitioned_lock_run(&db.url, 6379).await;
}
