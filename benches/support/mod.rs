//! What the benchmarks share: their size knobs, seeding a store with
//! checkpoints of 1 KB states, and running the release binary under
//! `/usr/bin/time -v` to read its peak resident memory.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use threadctl::backend::{BulkCheckpoints, CheckpointBackend, WriteMode};
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, Checkpoint, EnvelopeVersion, ThreadKey};

/// The number in environment variable `name`, or `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The tenant every benchmark writes under.
pub const TENANT: &str = "bench";

/// The id of bench thread number `t`.
pub fn thread_id(t: usize) -> String {
    format!("thread-{t:06}")
}

/// Writes `records` checkpoints with 1 KB states over `threads` threads of
/// tenant [`TENANT`], each thread a chain, at `version` (the store's own
/// write version when `None`), in batches of 500.
pub async fn seed(url: &str, records: usize, threads: usize, version: Option<EnvelopeVersion>) {
    let backend = Backend::open(url).await.expect("open store");
    let version = version.unwrap_or_else(|| backend.write_version());
    let pad = "x".repeat(1000);
    let per_thread = records / threads;
    for t in 0..threads {
        let thread = ThreadKey::new(TENANT, thread_id(t)).expect("key");
        let mut batch = Vec::with_capacity(per_thread.min(500));
        let mut parent = None;
        for step in 0..per_thread as u64 {
            let cp = Checkpoint::new(
                &thread,
                parent,
                step,
                json!({"step": step, "pad": pad}),
                None,
            );
            parent = Some(cp.id);
            batch.push(StoredCheckpoint {
                checkpoint: cp,
                schema_version: version,
            });
            if batch.len() == 500 {
                backend
                    .write_batch(&thread, &batch, WriteMode::OnlyNew)
                    .await
                    .expect("seed");
                batch.clear();
            }
        }
        backend
            .write_batch(&thread, &batch, WriteMode::OnlyNew)
            .await
            .expect("seed");
    }
}

/// The release binary the benchmarks time.
pub fn release_binary() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/threadctl")
}

/// Runs the release binary with `args` under `/usr/bin/time -v`; returns
/// its wall time and its peak resident memory in MB. Panics, with its
/// output, when it fails.
pub fn run_release(args: &[&str]) -> (Duration, f64) {
    let binary = release_binary();
    assert!(
        binary.exists(),
        "{} is missing: build it with cargo build --release --locked",
        binary.display()
    );
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(&binary)
        .args(args)
        .output()
        .expect("run /usr/bin/time (install GNU time)");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "threadctl {args:?} failed: {stderr}"
    );
    let rss_kb: f64 = stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maximum resident set size in: {stderr}"));
    (elapsed, rss_kb / 1024.0)
}

/// Prints one line of figures: the floor's and threadctl's rates, their
/// ratio, and threadctl's peak resident memory.
pub fn report(name: &str, records: usize, floor: Duration, ours: Duration, rss_mb: f64) {
    let rate = |d: Duration| records as f64 / d.as_secs_f64();
    println!(
        "{name:<16} {records:>9} records  floor {:>8.0} rec/s ({:>6.2}s)  threadctl {:>8.0} rec/s ({:>6.2}s)  ratio {:.2}  peak RSS {:.0} MB",
        rate(floor),
        floor.as_secs_f64(),
        rate(ours),
        ours.as_secs_f64(),
        rate(ours) / rate(floor),
        rss_mb
    );
}
