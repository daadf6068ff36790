//! The writers: tokio tasks calling the library and loops running the real
//! binary, each picking operations at random (put, fork, append, store
//! write, `lock run`) until the deadline and recording what was
//! acknowledged in the [`Ledger`](crate::ledger::Ledger).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use threadctl::{
    Backend, Checkpoint, CheckpointId, Checkpointer, ConflictKind, DistributedLock, Error,
    Namespace, SessionLog, Store, TenantId, ThreadKey,
};

use crate::ledger::{AppendAck, SharedLedger};
use crate::plan::Plan;

/// The tenant every writer writes under.
pub const TENANT: &str = "load";

/// Exit status of the `lock run` command that found the lock's marker taken.
const VIOLATION_EXIT: i32 = 97;

/// How long a writer waits for a busy session lock.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// How long a critical section holds the lock.
const HOLD: Duration = Duration::from_millis(30);

/// What all writers of a run share.
pub struct Run {
    /// The store's URL.
    pub url: String,
    /// The run's shape.
    pub plan: Plan,
    /// When writers stop starting operations.
    pub deadline: Instant,
    /// Holds one folder per lock thread: `held` (present while someone is
    /// in the critical section) and `count` (critical sections completed).
    pub lock_dir: PathBuf,
    /// The binary the process writers run.
    pub binary: PathBuf,
    /// What was acknowledged.
    pub ledger: SharedLedger,
}

impl Run {
    /// The key of thread number `t`.
    pub fn thread(&self, t: usize) -> ThreadKey {
        ThreadKey::new(TENANT, thread_id(t)).expect("thread key")
    }

    /// The folder of lock thread `t`.
    pub fn lock_folder(&self, t: usize) -> PathBuf {
        self.lock_dir.join(t.to_string())
    }

    fn failure(&self, what: String) {
        self.ledger.lock().unwrap().failures.push(what);
    }
}

/// The id of thread number `t`.
pub fn thread_id(t: usize) -> String {
    format!("t-{t:04}")
}

/// The store namespace writer `writer` owns.
pub fn namespace_of(writer: usize) -> Namespace {
    Namespace::new(
        TenantId::new(TENANT).expect("tenant"),
        [format!("w{writer}")],
    )
}

/// One operation of the mix.
#[derive(Debug, Clone, Copy)]
enum Op {
    Put,
    Fork,
    Append,
    StorePut,
    LockRun,
}

fn pick_op(rng: &mut StdRng) -> Op {
    match rng.gen_range(0..100) {
        0..35 => Op::Put,
        35..45 => Op::Fork,
        45..75 => Op::Append,
        75..95 => Op::StorePut,
        _ => Op::LockRun,
    }
}

/// The state, event and store value writer `writer` writes at `seq`.
fn payload(writer: usize, seq: u64) -> Value {
    json!({"w": writer, "s": seq, "text": "load ü \"quoted\" %_*?"})
}

fn events_for(writer: usize, seq: u64, count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"w": writer, "s": seq, "i": i}))
        .collect()
}

/// A writer calling the library until the deadline.
pub async fn task_writer(writer: usize, backend: Arc<Backend>, run: Arc<Run>) {
    let mut rng = StdRng::seed_from_u64(writer as u64);
    let mut seq = 0u64;
    while Instant::now() < run.deadline {
        seq += 1;
        let t = rng.gen_range(0..run.plan.threads);
        let key = run.thread(t);
        match pick_op(&mut rng) {
            Op::Put => task_put(&backend, &run, t, &key, payload(writer, seq)).await,
            Op::Fork => {
                let pick = rng.gen();
                let parent = run.ledger.lock().unwrap().parent_of(t, pick);
                let parent: CheckpointId = parent
                    .expect("every thread has a root")
                    .parse()
                    .expect("acknowledged id");
                let state = payload(writer, seq);
                match Checkpointer::<Value>::fork(&*backend, &key, parent, &state).await {
                    Ok(cp) => {
                        let mut ledger = run.ledger.lock().unwrap();
                        ledger.forks += 1;
                        ledger.checkpoint(t, cp.id.to_string(), state);
                    }
                    Err(e) => run.failure(format!("fork {key}: {e}")),
                }
            }
            Op::Append => {
                let events = events_for(writer, seq, rng.gen_range(1..=3));
                match SessionLog::<Value>::append(&*backend, &key, &events).await {
                    Ok(last) => run.ledger.lock().unwrap().appends.push(AppendAck {
                        thread: t,
                        last,
                        events,
                    }),
                    Err(e) => run.failure(format!("append {key}: {e}")),
                }
            }
            Op::StorePut => {
                let item = format!("k{}", rng.gen_range(0..20));
                let ttl = rng.gen_bool(0.5).then_some(Duration::from_secs(3600));
                let value = payload(writer, seq);
                match Store::<Value>::put(&*backend, &namespace_of(writer), &item, &value, ttl)
                    .await
                {
                    Ok(()) => run.ledger.lock().unwrap().item(writer, item, seq),
                    Err(e) => run.failure(format!("store put {item}: {e}")),
                }
            }
            Op::LockRun => {
                let lt = rng.gen_range(0..run.plan.lock_threads);
                task_lock_run(&backend, &run, lt).await;
            }
        }
    }
}

/// Appends to `t` after its latest, conditionally, retrying a few times
/// when another writer got there first.
async fn task_put(backend: &Backend, run: &Run, t: usize, key: &ThreadKey, state: Value) {
    for _ in 0..5 {
        let latest = match Checkpointer::<Value>::latest(backend, key).await {
            Ok(Some(latest)) => latest,
            Ok(None) => return run.failure(format!("put {key}: the seeded root is gone")),
            Err(e) => return run.failure(format!("latest {key}: {e}")),
        };
        let cp = Checkpoint::new(key, Some(latest.id), latest.step + 1, state.clone(), None);
        match backend.put_if_latest(&cp, latest.id).await {
            Ok(()) => {
                return run
                    .ledger
                    .lock()
                    .unwrap()
                    .checkpoint(t, cp.id.to_string(), state)
            }
            Err(Error::Conflict {
                kind: ConflictKind::StaleLatest,
                ..
            }) => continue,
            Err(e) => return run.failure(format!("put {key}: {e}")),
        }
    }
    run.ledger.lock().unwrap().raced_puts += 1;
}

/// Takes lock thread `lt`'s session lock through the library and runs the
/// critical section under it.
async fn task_lock_run(backend: &Backend, run: &Run, lt: usize) {
    let key = run.thread(lt);
    let guard = match backend
        .acquire(&key, Duration::from_secs(10), LOCK_WAIT)
        .await
    {
        Ok(guard) => guard,
        Err(Error::LockBusy { .. }) => {
            run.ledger.lock().unwrap().busy_locks += 1;
            return;
        }
        Err(e) => return run.failure(format!("lock {key}: {e}")),
    };
    let exclusive = critical_section(&run.lock_folder(lt)).await;
    let released = guard.release().await;
    let mut ledger = run.ledger.lock().unwrap();
    match exclusive {
        Ok(()) => *ledger.lock_runs.entry(lt).or_default() += 1,
        Err(e) => ledger.lock_violations.push(format!("task on {key}: {e}")),
    }
    if let Err(e) = released {
        ledger.failures.push(format!("release {key}: {e}"));
    }
}

/// What the `lock run` command does, in process: take the marker (failing
/// if it is taken), bump the counter, hold a while, drop the marker.
async fn critical_section(folder: &Path) -> Result<(), String> {
    let held = folder.join("held");
    std::fs::create_dir(&held).map_err(|e| format!("marker already taken: {e}"))?;
    let count = folder.join("count");
    let n: u64 = std::fs::read_to_string(&count)
        .expect("counter")
        .trim()
        .parse()
        .expect("counter value");
    std::fs::write(&count, format!("{}\n", n + 1)).expect("counter");
    tokio::time::sleep(HOLD).await;
    std::fs::remove_dir(&held).expect("drop marker");
    Ok(())
}

/// The shell form of [`critical_section`], run by `lock run`.
const CRITICAL_SCRIPT: &str = "mkdir \"$D/held\" 2>/dev/null || exit 97; \
    n=$(cat \"$D/count\"); echo $((n + 1)) > \"$D/count\"; sleep 0.03; rmdir \"$D/held\"";

/// A writer running the binary, one process per operation, until the
/// deadline.
pub async fn process_writer(writer: usize, run: Arc<Run>) {
    let mut rng = StdRng::seed_from_u64(writer as u64);
    let mut seq = 0u64;
    while Instant::now() < run.deadline {
        seq += 1;
        let t = rng.gen_range(0..run.plan.threads);
        let thread = thread_id(t);
        match pick_op(&mut rng) {
            Op::Put => {
                let state = payload(writer, seq);
                let out = cli(&run, &["put", &thread, "--state", &state.to_string()], None).await;
                match out {
                    Ok(stdout) => {
                        let id = json_field(&stdout, "id");
                        run.ledger.lock().unwrap().checkpoint(t, id, state);
                    }
                    Err((_, stderr)) if stderr.contains("concurrently") => {
                        run.ledger.lock().unwrap().raced_puts += 1;
                    }
                    Err((_, stderr)) => run.failure(format!("cli put {thread}: {stderr}")),
                }
            }
            Op::Fork => {
                let pick = rng.gen();
                let parent = run.ledger.lock().unwrap().parent_of(t, pick);
                let parent = parent.expect("every thread has a root");
                let state = payload(writer, seq);
                let args = [
                    "fork",
                    &thread,
                    "--from",
                    &parent,
                    "--state",
                    &state.to_string(),
                ];
                match cli(&run, &args, None).await {
                    Ok(stdout) => {
                        let id = json_field(&stdout, "id");
                        let mut ledger = run.ledger.lock().unwrap();
                        ledger.forks += 1;
                        ledger.checkpoint(t, id, state);
                    }
                    Err((_, stderr)) => run.failure(format!("cli fork {thread}: {stderr}")),
                }
            }
            Op::Append => {
                let events = events_for(writer, seq, rng.gen_range(1..=3));
                let batch = Value::Array(events.clone()).to_string();
                match cli(
                    &run,
                    &["events", "append", &thread, "--event", &batch],
                    None,
                )
                .await
                {
                    Ok(stdout) => {
                        let last: Value = serde_json::from_str(&stdout).expect("append output");
                        let last = last["last_ordinal"].as_u64().expect("last_ordinal");
                        run.ledger.lock().unwrap().appends.push(AppendAck {
                            thread: t,
                            last,
                            events,
                        });
                    }
                    Err((_, stderr)) => run.failure(format!("cli append {thread}: {stderr}")),
                }
            }
            Op::StorePut => {
                let item = format!("k{}", rng.gen_range(0..20));
                let value = payload(writer, seq).to_string();
                let namespace = format!("w{writer}");
                let mut args = vec!["store", "put", &namespace, &item, &value];
                if rng.gen_bool(0.5) {
                    args.extend(["--ttl", "1h"]);
                }
                match cli(&run, &args, None).await {
                    Ok(_) => run.ledger.lock().unwrap().item(writer, item, seq),
                    Err((_, stderr)) => run.failure(format!("cli store put {item}: {stderr}")),
                }
            }
            Op::LockRun => {
                let lt = rng.gen_range(0..run.plan.lock_threads);
                let lock_thread = thread_id(lt);
                let wait = format!("{}s", LOCK_WAIT.as_secs());
                let args = [
                    "lock",
                    "run",
                    &lock_thread,
                    "--ttl",
                    "10s",
                    "--wait",
                    &wait,
                    "--",
                    "sh",
                    "-c",
                    CRITICAL_SCRIPT,
                ];
                let folder = run.lock_folder(lt);
                let out = cli(&run, &args, Some(&folder)).await;
                let mut ledger = run.ledger.lock().unwrap();
                match out {
                    Ok(_) => *ledger.lock_runs.entry(lt).or_default() += 1,
                    Err((Some(VIOLATION_EXIT), _)) => ledger
                        .lock_violations
                        .push(format!("process on {lock_thread}: marker already taken")),
                    Err((Some(4), _)) => ledger.busy_locks += 1,
                    Err((_, stderr)) => ledger
                        .failures
                        .push(format!("cli lock run {lock_thread}: {stderr}")),
                }
            }
        }
    }
}

/// Runs `threadctl --url URL --tenant load -o json ARGS` (with `D` set to
/// `lock_folder` when given): its stdout, or its exit code and stderr.
async fn cli(
    run: &Run,
    args: &[&str],
    lock_folder: Option<&Path>,
) -> Result<String, (Option<i32>, String)> {
    let mut command = tokio::process::Command::new(&run.binary);
    command
        .args(["--url", &run.url, "--tenant", TENANT, "-q", "-o", "json"])
        .args(args);
    if let Some(folder) = lock_folder {
        command.env("D", folder);
    }
    let output = command.output().await.expect("run threadctl");
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).expect("utf-8 output"))
    } else {
        Err((
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    }
}

fn json_field(stdout: &str, field: &str) -> String {
    let value: Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: not JSON: {stdout}"));
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {stdout}"))
        .to_string()
}
