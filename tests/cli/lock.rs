//! `threadctl lock` end to end on every backend: mutual exclusion between
//! concurrent `lock run`s and with the library, exit statuses, the lock's
//! environment, lost locks, killed holders, `status`, `ls` and `break`.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use threadctl::backend::LockAdmin;
use threadctl::backend::SessionLogBackend;
use threadctl::{Backend, BackendKind, DistributedLock, LockKey, ThreadKey};
use tokio::runtime::Runtime;

use crate::common::TestStore;
use crate::env::Env;

/// THREADCTL_LOCK_KEY of tenant `acme`, thread `t1` on `kind` (docs/format.md,
/// "Session lock" vectors).
fn acme_t1_key(kind: BackendKind) -> &'static str {
    match kind {
        BackendKind::Postgres => "advisory(-1938773096,1722464576)",
        BackendKind::Redis | BackendKind::Sqlite => "entelix:lock:8c70ab9866aab940",
    }
}

/// Whether a lock outlives a killed holder until its TTL passes (Redis,
/// SQLite) rather than ending with its connection (Postgres).
fn lock_outlives_holder(kind: BackendKind) -> bool {
    !kind.lock_lives_on_its_connection()
}

/// Whether `lock status` reports the holding process (Postgres).
fn reports_holder(kind: BackendKind) -> bool {
    kind == BackendKind::Postgres
}

/// The backend key of `thread`'s lock on `kind`, spelled out from the
/// derived hash as docs/format.md describes it.
fn key_of(kind: BackendKind, thread: &ThreadKey) -> String {
    let key = LockKey::session(thread);
    match kind {
        BackendKind::Postgres => {
            let (hi, lo) = key.pg_pair();
            format!("advisory({hi},{lo})")
        }
        BackendKind::Redis | BackendKind::Sqlite => key.redis_key(),
    }
}

/// Takes `thread`'s lock away from its holder behind its back.
fn remove_lock(env: &Env, rt: &Runtime, backend: &Backend, thread: &ThreadKey) {
    match &env.store {
        TestStore::Sqlite(file) => rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&file.url)
                .await
                .expect("open the SQLite file");
            let deleted = sqlx::query("DELETE FROM threadctl_locks WHERE key = ?")
                .bind(key_of(BackendKind::Sqlite, thread))
                .execute(&mut conn)
                .await
                .expect("delete the lock row");
            assert_eq!(deleted.rows_affected(), 1, "the lock row was there");
        }),
        TestStore::Redis(db) => {
            let deleted: u64 = ::redis::cmd("DEL")
                .arg(key_of(BackendKind::Redis, thread))
                .query(&mut db.connection())
                .expect("DEL the lock key");
            assert_eq!(deleted, 1, "the lock key was there");
        }
        TestStore::Postgres(_) => {
            let broken = rt
                .block_on(backend.break_lock(thread))
                .expect("break the lock");
            assert!(broken, "the lock was held");
        }
    }
}

/// Longest any step may take before a test gives up (a hang guard, not a
/// speed requirement).
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A unique thread of tenant `acme` (Postgres advisory locks are shared by
/// every schema of the database, so tests must not share thread ids).
fn unique_thread() -> ThreadKey {
    ThreadKey::new("acme", format!("t-{}", uuid::Uuid::new_v4().simple())).expect("thread key")
}

/// `threadctl` against the fixture's store, tenant `acme`, stdin closed.
fn threadctl(fx: &Env) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("threadctl"));
    cmd.env("THREADCTL_URL", fx.url())
        .env("THREADCTL_TENANT", "acme")
        .env_remove("THREADCTL_LOCK_KEY")
        .env_remove("THREADCTL_LOCK_TOKEN")
        .stdin(Stdio::null());
    cmd
}

/// Runs `threadctl ARGS` to completion.
fn run(fx: &Env, args: &[&str]) -> Output {
    threadctl(fx).args(args).output().expect("run threadctl")
}

/// Starts `threadctl ARGS` in the background.
fn spawn(fx: &Env, args: &[&str], dir: &Path) -> Child {
    threadctl(fx)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start threadctl")
}

/// Waits for `child`, killing it if it hangs.
fn wait(mut child: Child) -> (ExitStatus, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("poll threadctl") {
            let output = child.wait_with_output().expect("collect output");
            return (status, String::from_utf8_lossy(&output.stderr).into_owned());
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("threadctl did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until the command under `lock run` wrote its pid to `path`.
fn wait_for_pid(path: &Path) -> i32 {
    let started = Instant::now();
    loop {
        if let Some(pid) = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| text.trim().parse().ok())
        {
            return pid;
        }
        assert!(started.elapsed() < HANG_GUARD, "the command never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until process `pid` has ended (gone or a zombie); SIGKILLs it and
/// fails if it is still running at the hang guard.
fn wait_until_dead(pid: i32, what: &str) {
    let started = Instant::now();
    loop {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
        // The state follows the parenthesised command name.
        let running = state
            .as_deref()
            .and_then(|stat| stat.rsplit_once(") "))
            .is_some_and(|(_, rest)| !rest.starts_with('Z'));
        if !running {
            return;
        }
        if started.elapsed() > HANG_GUARD {
            // SAFETY: kill(2) on a process this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("{what} still runs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn open(rt: &Runtime, fx: &Env) -> Backend {
    rt.block_on(Backend::open(fx.url()))
        .expect("open the store")
}

fn lock_is_free(rt: &Runtime, backend: &Backend, thread: &ThreadKey) -> bool {
    let guard = rt
        .block_on(backend.try_acquire(thread, Duration::from_secs(30)))
        .expect("try the lock");
    match guard {
        Some(guard) => {
            rt.block_on(guard.release()).expect("release");
            true
        }
        None => false,
    }
}

fn status_json(fx: &Env, thread: &ThreadKey) -> Value {
    let out = run(
        fx,
        &["lock", "status", thread.thread.as_str(), "-o", "json"],
    );
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("status is JSON")
}

fn concurrent_runs_count_every_increment(fx: &Env) {
    let thread = unique_thread();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("count"), "0\n").expect("write counter");
    let increment = "n=$(cat count); sleep 0.05; echo $((n+1)) > count";
    let runs: Vec<Child> = (0..6)
        .map(|_| {
            spawn(
                fx,
                &[
                    "lock",
                    "run",
                    thread.thread.as_str(),
                    "--wait",
                    "60s",
                    "--",
                    "sh",
                    "-c",
                    increment,
                ],
                dir.path(),
            )
        })
        .collect();
    for child in runs {
        let (status, stderr) = wait(child);
        assert!(status.success(), "{status:?}: {stderr}");
    }
    let count = std::fs::read_to_string(dir.path().join("count")).expect("read counter");
    assert_eq!(count.trim(), "6");
}

fn exit_status_passes_through(fx: &Env) {
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let code = |args: &[&str]| run(fx, args).status.code();
    assert_eq!(
        code(&["lock", "run", t, "--", "sh", "-c", "exit 7"]),
        Some(7)
    );
    assert_eq!(code(&["lock", "run", t, "--", "true"]), Some(0));
    assert_eq!(
        code(&["lock", "run", t, "--", "sh", "-c", "kill -TERM $$"]),
        Some(128 + 15)
    );
    assert_eq!(
        code(&["lock", "run", t, "--", "threadctl-no-such-command"]),
        Some(127)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let not_executable = dir.path().join("script");
    std::fs::write(&not_executable, "#!/bin/sh\n").expect("write script");
    let not_executable = not_executable.to_str().expect("utf-8 path");
    assert_eq!(code(&["lock", "run", t, "--", not_executable]), Some(126));
    let rt = Runtime::new().expect("runtime");
    assert!(
        lock_is_free(&rt, &open(&rt, fx), &thread),
        "released after every run"
    );
}

fn command_sees_the_lock(fx: &Env) {
    let script = r#"printf '%s %s ' "$THREADCTL_LOCK_KEY" "$THREADCTL_LOCK_TOKEN"; "$TC" lock acquire t1 --no-wait >/dev/null 2>&1; echo $?"#;
    let out = threadctl(fx)
        .env("TC", assert_cmd::cargo::cargo_bin("threadctl"))
        .args([
            "lock", "run", "t1", "--wait", "60s", "--", "sh", "-c", script,
        ])
        .output()
        .expect("run threadctl");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "{stdout:?}");
    assert_eq!(fields[0], acme_t1_key(fx.kind()));
    assert!(fields[1].len() >= 16, "a random token: {stdout:?}");
    assert_eq!(fields[2], "4", "the lock is held while the command runs");
}

fn command_under_lock_run_appends_to_its_thread(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let script = format!(
        r#""$TC" events append {t} --event 1 && "$TC" events append {t} --event 2 && "$TC" -y events archive {t} --before 2"#
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let child = threadctl(fx)
        .env("TC", assert_cmd::cargo::cargo_bin("threadctl"))
        .args(["lock", "run", t, "--", "sh", "-c", &script])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start threadctl");
    let (status, said) = wait(child);
    assert!(status.success(), "{status:?}: {said}");
    let backend = open(&rt, fx);
    let events = rt
        .block_on(backend.load_events(&thread, 0, None))
        .expect("load events");
    let kept: Vec<(u64, Value)> = events.into_iter().map(|e| (e.ordinal, e.event)).collect();
    assert_eq!(kept, vec![(2, serde_json::json!(2))]);
}

fn library_and_cli_exclude_each_other(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let t = thread.thread.as_str();

    let guard = rt
        .block_on(backend.try_acquire(&thread, Duration::from_secs(30)))
        .expect("try the lock")
        .expect("free at first");
    assert_eq!(
        run(fx, &["lock", "acquire", t, "--no-wait"]).status.code(),
        Some(4)
    );
    rt.block_on(guard.release()).expect("release");

    let out = run(fx, &["lock", "acquire", t, "--no-wait"]);
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    assert!(
        !token.is_empty() && !token.contains(char::is_whitespace),
        "{token:?}"
    );
    assert!(
        !lock_is_free(&rt, &backend, &thread),
        "the CLI's lock blocks the library"
    );

    let released = run(fx, &["lock", "release", t, "--token", &token]);
    assert!(released.status.success(), "{released:?}");
    assert!(lock_is_free(&rt, &backend, &thread), "released by token");
    assert_eq!(
        run(fx, &["lock", "release", t, "--token", &token])
            .status
            .code(),
        Some(3),
        "a token that no longer holds the lock"
    );
}

/// A token that does not hold the thread's lock (wrong, malformed, or
/// another thread's) is refused with exit 3 on every backend, and the lock
/// stays held.
fn release_with_a_token_not_holding_the_lock_exits_3(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let (thread, other) = (unique_thread(), unique_thread());
    let (t, o) = (thread.thread.as_str(), other.thread.as_str());
    let acquired = run(fx, &["lock", "acquire", t, "--ttl", "30s"]);
    assert!(acquired.status.success(), "{acquired:?}");
    let token = String::from_utf8(acquired.stdout).expect("utf-8");
    let token = token.trim();
    let wrong = uuid::Uuid::new_v4().simple().to_string();
    for (thread_arg, token_arg) in [(t, wrong.as_str()), (t, "not a token!"), (o, token)] {
        let out = run(fx, &["lock", "release", thread_arg, "--token", token_arg]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{token_arg} on {thread_arg}: {stderr}"
        );
        assert!(stderr.contains("not held by"), "{stderr}");
    }
    assert!(!lock_is_free(&rt, &backend, &thread), "still held");
    let out = run(fx, &["lock", "release", t, "--token", token]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        lock_is_free(&rt, &backend, &thread),
        "released by its token"
    );
}

/// `-o json` and `-o jsonl` give acquire, release and break JSON results.
fn acquire_release_and_break_speak_json(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let key = key_of(fx.kind(), &thread);
    let json = |out: Output| -> Value {
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("a JSON document")
    };

    let acquired = json(run(
        fx,
        &["lock", "acquire", t, "--ttl", "30s", "-o", "json"],
    ));
    assert_eq!(acquired["thread_id"], t);
    assert_eq!(acquired["tenant_id"], "acme");
    assert_eq!(acquired["key"], key.as_str());
    assert_eq!(acquired["ttl_ms"], 30_000);
    let token = acquired["token"].as_str().expect("a token").to_string();
    let released = json(run(
        fx,
        &["lock", "release", t, "--token", &token, "-o", "jsonl"],
    ));
    assert_eq!(
        released,
        serde_json::json!({"thread_id": t, "tenant_id": "acme", "key": key, "released": true})
    );
    assert!(
        lock_is_free(&rt, &backend, &thread),
        "released by the token"
    );

    let out = run(fx, &["lock", "acquire", t, "--ttl", "30s", "-o", "jsonl"]);
    let line = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(line.lines().count(), 1, "one JSON line: {line}");
    let acquired: Value = serde_json::from_str(&line).expect("JSON");
    assert!(acquired["token"].is_string(), "{acquired}");
    for held in [true, false] {
        let broken = json(run(fx, &["lock", "break", t, "--yes", "-o", "json"]));
        assert_eq!(
            broken,
            serde_json::json!({"thread_id": t, "tenant_id": "acme", "key": key, "released": held})
        );
    }
}

fn acquired_lock_ends_with_its_ttl(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let out = run(
        fx,
        &["lock", "acquire", thread.thread.as_str(), "--ttl", "1500ms"],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(!lock_is_free(&rt, &backend, &thread), "held after acquire");
    let guard = rt
        .block_on(backend.acquire(&thread, Duration::from_secs(30), HANG_GUARD))
        .expect("free once its TTL has passed");
    rt.block_on(guard.release()).expect("release");
}

fn busy_lock_times_out_with_4(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let guard = rt
        .block_on(backend.try_acquire(&thread, Duration::from_secs(30)))
        .expect("try the lock")
        .expect("free at first");
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        run(fx, &["lock", "acquire", t, "--wait", "300ms"])
            .status
            .code(),
        Some(4)
    );
    let ran = threadctl(fx)
        .current_dir(dir.path())
        .args(["lock", "run", t, "--wait", "300ms", "--", "touch", "ran"])
        .output()
        .expect("run threadctl");
    assert_eq!(ran.status.code(), Some(4));
    assert!(!dir.path().join("ran").exists(), "the command must not run");
    rt.block_on(guard.release()).expect("release");
}

fn lost_lock_terminates_the_command(fx: &Env) {
    let (pid, status, stderr) = lose_lock_under(fx, "echo $$ > pid; exec sleep 30");
    assert_eq!(status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("lock lost"), "{stderr}");
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "the command was killed"
    );
}

/// A lost lock ends everything the command started, not just the command.
fn lost_lock_terminates_what_the_command_started(fx: &Env) {
    // Not on threadctl's pipes: a survivor must not hold them open.
    let (grandchild, status, stderr) = lose_lock_under(
        fx,
        r#"sh -c 'echo $$ > pid; exec sleep 1000' >/dev/null 2>&1; true"#,
    );
    assert_eq!(status.code(), Some(4), "{stderr}");
    wait_until_dead(grandchild, "a process the command started");
}

/// Runs `lock run THREAD --ttl 1500ms -- sh -c SCRIPT`, waits for the
/// script to write a process id to `pid`, then deletes the lock under it;
/// returns that process id and how `lock run` ended.
fn lose_lock_under(fx: &Env, script: &str) -> (i32, ExitStatus, String) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let dir = tempfile::tempdir().expect("tempdir");
    let child = spawn(
        fx,
        &[
            "lock",
            "run",
            thread.thread.as_str(),
            "--ttl",
            "1500ms",
            "--",
            "sh",
            "-c",
            script,
        ],
        dir.path(),
    );
    let pid = wait_for_pid(&dir.path().join("pid"));
    remove_lock(fx, &rt, &backend, &thread);
    let (status, stderr) = wait(child);
    (pid, status, stderr)
}

/// A lock lost while the command runs, the command finishing before the
/// next heartbeat notices: found at release, exit 4 "lock lost".
fn lock_lost_before_release_exits_4(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let dir = tempfile::tempdir().expect("tempdir");
    let child = spawn(
        fx,
        &[
            "lock",
            "run",
            thread.thread.as_str(),
            "--ttl",
            "60s",
            "--",
            "sh",
            "-c",
            "echo $$ > pid; while [ ! -e go ]; do sleep 0.05; done",
        ],
        dir.path(),
    );
    wait_for_pid(&dir.path().join("pid"));
    remove_lock(fx, &rt, &backend, &thread);
    std::fs::write(dir.path().join("go"), "").expect("let the command finish");
    let (status, stderr) = wait(child);
    assert_eq!(status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("lock lost"), "{stderr}");
}

fn killed_holder_leaves_a_lock_that_ends(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = spawn(
        fx,
        &[
            "lock",
            "run",
            thread.thread.as_str(),
            "--ttl",
            "3s",
            "--",
            "sh",
            "-c",
            "echo $$ > pid; exec sleep 1000",
        ],
        dir.path(),
    );
    let pid = wait_for_pid(&dir.path().join("pid"));
    child.kill().expect("SIGKILL threadctl");
    child.wait().expect("reap threadctl");
    wait_until_dead(pid, "the command of a killed lock run");
    if lock_outlives_holder(fx.kind()) {
        assert!(
            !lock_is_free(&rt, &backend, &thread),
            "held until its TTL passes"
        );
    }
    let guard = rt
        .block_on(backend.acquire(&thread, Duration::from_secs(30), HANG_GUARD))
        .expect("the lock ends by TTL or with its connection");
    rt.block_on(guard.release()).expect("release");
}

fn break_needs_yes_off_a_terminal(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let guard = rt
        .block_on(backend.try_acquire(&thread, Duration::from_secs(30)))
        .expect("try the lock")
        .expect("free at first");
    assert_eq!(run(fx, &["lock", "break", t]).status.code(), Some(2));
    assert_eq!(
        status_json(fx, &thread)["held"],
        Value::Bool(true),
        "not broken"
    );
    let broken = run(fx, &["lock", "break", t, "--yes"]);
    assert!(broken.status.success(), "{broken:?}");
    // Another instance: the library's own holder does not yet know its lock
    // was broken. Postgres frees it once the terminated holder has exited.
    let other = open(&rt, fx);
    let retaken = rt
        .block_on(other.acquire(&thread, Duration::from_secs(30), HANG_GUARD))
        .expect("the broken lock can be taken");
    rt.block_on(retaken.release()).expect("release");
    drop(rt.block_on(guard.release()));
}

fn status_and_ls_describe_the_lock(fx: &Env) {
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let out = run(fx, &["lock", "acquire", t, "--ttl", "30s"]);
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();

    let status = status_json(fx, &thread);
    assert_eq!(status["tenant_id"], "acme");
    assert_eq!(status["thread_id"], t);
    assert_eq!(status["key"], key_of(fx.kind(), &thread).as_str());
    assert_eq!(status["held"], true);
    if lock_outlives_holder(fx.kind()) {
        let ttl = status["ttl_remaining_ms"]
            .as_u64()
            .expect("a remaining TTL");
        assert!(ttl > 0 && ttl <= 30_000, "{status}");
    }
    if reports_holder(fx.kind()) {
        assert!(
            status["holder"].as_str().is_some_and(|h| !h.is_empty()),
            "{status}"
        );
    }

    let ls = run(fx, &["lock", "ls", "-o", "json"]);
    assert!(ls.status.success(), "{ls:?}");
    let locks: Vec<Value> = serde_json::from_slice(&ls.stdout).expect("ls is a JSON array");
    assert!(
        locks
            .iter()
            .any(|l| l["key"] == key_of(fx.kind(), &thread).as_str() && l["held"] == true),
        "{locks:?}"
    );

    let table = run(fx, &["lock", "status", t]);
    let table = String::from_utf8(table.stdout).expect("utf-8");
    assert!(
        table.contains(&key_of(fx.kind(), &thread)) && table.contains("held"),
        "{table}"
    );

    // The token is a capability to release the lock: never shown.
    for args in [
        &["lock", "status", t][..],
        &["lock", "status", t, "-o", "json"],
        &["lock", "ls"],
        &["lock", "ls", "-o", "jsonl"],
    ] {
        let out = run(fx, args);
        assert!(out.status.success(), "{out:?}");
        let shown = String::from_utf8(out.stdout).expect("utf-8");
        assert!(!shown.contains(&token), "{args:?} shows the token: {shown}");
    }

    assert!(run(fx, &["lock", "release", t, "--token", &token])
        .status
        .success());
    assert_eq!(status_json(fx, &thread)["held"], false);
}

fn status_shows_the_ttl_left_for_people(fx: &Env) {
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let out = run(fx, &["lock", "acquire", t, "--ttl", "5m"]);
    assert!(out.status.success(), "{out:?}");
    let table = String::from_utf8(run(fx, &["lock", "status", t]).stdout).expect("utf-8");
    let ttl = table
        .lines()
        .nth(1)
        .expect("a row")
        .split_whitespace()
        .nth(3)
        .expect("TTL");
    if lock_outlives_holder(fx.kind()) {
        assert!(
            ttl == "5m0s" || (ttl.starts_with("4m5") && ttl.ends_with('s')),
            "{table}"
        );
    } else {
        assert_eq!(ttl, "-", "no TTL on a connection's lock: {table}");
    }
    let out = run(fx, &["lock", "break", t, "--yes"]);
    assert!(out.status.success(), "{out:?}");
}

/// `lock ls` names the thread of a lock taken by threadctl and of one
/// taken by a library user, and marks a lock of a thread the store does
/// not know.
fn ls_names_the_threads_of_locks(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let (cli, library, unknown) = (unique_thread(), unique_thread(), unique_thread());
    for thread in [&cli, &library] {
        let out = run(fx, &["put", thread.thread.as_str(), "--state", "1"]);
        assert!(out.status.success(), "{out:?}");
    }
    let out = run(fx, &["lock", "acquire", cli.thread.as_str(), "--ttl", "1m"]);
    assert!(out.status.success(), "{out:?}");
    let guard = rt
        .block_on(backend.try_acquire(&library, Duration::from_secs(60)))
        .expect("try the lock")
        .expect("free");
    let out = run(
        fx,
        &["lock", "acquire", unknown.thread.as_str(), "--ttl", "1m"],
    );
    assert!(out.status.success(), "{out:?}");

    let out = run(fx, &["lock", "ls", "-o", "json"]);
    let locks: Vec<Value> = serde_json::from_slice(&out.stdout).expect("ls is a JSON array");
    for thread in [&cli, &library] {
        let key = key_of(fx.kind(), thread);
        let lock = locks
            .iter()
            .find(|l| l["key"] == key.as_str())
            .expect("listed");
        assert_eq!(lock["tenant_id"], "acme", "{lock}");
        assert_eq!(lock["thread_id"], thread.thread.as_str(), "{lock}");
    }
    let key = key_of(fx.kind(), &unknown);
    let lock = locks
        .iter()
        .find(|l| l["key"] == key.as_str())
        .expect("listed");
    assert!(lock.get("thread_id").is_none(), "{lock}");
    let table = String::from_utf8(run(fx, &["lock", "ls"]).stdout).expect("utf-8");
    assert!(table.starts_with("THREAD"), "{table}");
    assert!(
        table.contains(&format!("acme/{}", library.thread)),
        "{table}"
    );
    assert!(table.contains("(unknown)"), "{table}");

    rt.block_on(guard.release()).expect("release");
    for thread in [&cli, &unknown] {
        assert!(run(fx, &["lock", "break", thread.thread.as_str(), "--yes"])
            .status
            .success());
    }
}

fn signals_reach_the_command(fx: &Env) {
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let dir = tempfile::tempdir().expect("tempdir");
    let script =
        r#"trap 'echo term > got; exit 3' TERM; echo $$ > pid; while :; do sleep 0.1; done"#;
    let child = spawn(
        fx,
        &[
            "lock",
            "run",
            thread.thread.as_str(),
            "--",
            "sh",
            "-c",
            script,
        ],
        dir.path(),
    );
    wait_for_pid(&dir.path().join("pid"));
    let threadctl_pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) on the threadctl process this test started.
    assert_eq!(unsafe { libc::kill(threadctl_pid, libc::SIGTERM) }, 0);
    let (status, stderr) = wait(child);
    assert_eq!(status.code(), Some(3), "{stderr}");
    let got = std::fs::read_to_string(dir.path().join("got")).expect("the trap ran");
    assert_eq!(got.trim(), "term");
    assert!(
        lock_is_free(&rt, &backend, &thread),
        "released after the signal"
    );
}

fn signal_while_waiting_gives_up(fx: &Env) {
    use std::io::{BufRead, BufReader, Read};
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let guard = rt
        .block_on(backend.try_acquire(&thread, Duration::from_secs(30)))
        .expect("try the lock")
        .expect("free at first");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut waiter = spawn(
        fx,
        &[
            "lock",
            "run",
            thread.thread.as_str(),
            "--wait",
            "60s",
            "--",
            "touch",
            "ran",
        ],
        dir.path(),
    );
    let mut stderr = BufReader::new(waiter.stderr.take().expect("stderr"));
    let mut said = String::new();
    while !said.contains("waiting") {
        let read = stderr.read_line(&mut said).expect("read stderr");
        assert!(read > 0, "threadctl ended without waiting: {said}");
    }
    let waiter_pid = i32::try_from(waiter.id()).expect("pid");
    // SAFETY: kill(2) on the threadctl process this test started.
    assert_eq!(unsafe { libc::kill(waiter_pid, libc::SIGTERM) }, 0);
    stderr.read_to_string(&mut said).expect("read stderr");
    let (status, _) = wait(waiter);
    assert_eq!(status.code(), Some(128 + 15), "{said}");
    assert!(said.contains("interrupted while waiting"), "{said}");
    assert!(!dir.path().join("ran").exists(), "the command must not run");
    rt.block_on(guard.release()).expect("release");
}

on_every_backend!(crate::env::run =>
    concurrent_runs_count_every_increment,
    exit_status_passes_through,
    command_sees_the_lock,
    command_under_lock_run_appends_to_its_thread,
    library_and_cli_exclude_each_other,
    acquired_lock_ends_with_its_ttl,
    release_with_a_token_not_holding_the_lock_exits_3,
    acquire_release_and_break_speak_json,
    busy_lock_times_out_with_4,
    lost_lock_terminates_the_command,
    lock_lost_before_release_exits_4,
    lost_lock_terminates_what_the_command_started,
    killed_holder_leaves_a_lock_that_ends,
    break_needs_yes_off_a_terminal,
    status_and_ls_describe_the_lock,
    status_shows_the_ttl_left_for_people,
    ls_names_the_threads_of_locks,
    a_ttl_too_long_for_the_backend_is_a_usage_error,
    signals_reach_the_command,
    signal_while_waiting_gives_up,
);

/// On Postgres an append waits for another session's hold on the thread's
/// lock only so long (`THREADCTL_LOCK_WAIT`), then exits 4; a lock key of
/// another thread in the environment does not let it through.
#[test]
fn postgres_append_outside_the_lock_gives_up_with_4() {
    let fx = &Env::new(BackendKind::Postgres);
    let rt = Runtime::new().expect("runtime");
    let backend = open(&rt, fx);
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let before = [serde_json::json!("a"), serde_json::json!("b")];
    rt.block_on(backend.append_events(&thread, &before))
        .expect("append");
    let guard = rt
        .block_on(backend.try_acquire(&thread, Duration::from_secs(60)))
        .expect("try the lock")
        .expect("free at first");
    let other_key = key_of(BackendKind::Postgres, &unique_thread());
    let attempts: [(&[&str], Option<&str>); 3] = [
        (&["events", "append", t, "--event", "1"], None),
        (&["events", "append", t, "--event", "1"], Some(&other_key)),
        (&["-y", "events", "archive", t, "--before", "2"], None),
    ];
    for (args, key) in attempts {
        let mut cmd = threadctl(fx);
        cmd.env("THREADCTL_LOCK_WAIT", "300ms")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(key) = key {
            cmd.env("THREADCTL_LOCK_KEY", key);
        }
        let (status, said) = wait(cmd.spawn().expect("start threadctl"));
        assert_eq!(status.code(), Some(4), "{args:?} {key:?}: {said}");
        assert!(said.contains(t), "names the thread: {said}");
    }
    rt.block_on(guard.release()).expect("release");
    let events = rt
        .block_on(backend.load_events(&thread, 0, None))
        .expect("load events");
    assert_eq!(
        events.iter().map(|e| e.ordinal).collect::<Vec<_>>(),
        vec![1, 2],
        "nothing was appended or archived"
    );
}

/// A TTL longer than Postgres keeps a lock is refused by `lock acquire`
/// itself (exit 2), not by its holder process; the other backends take it.
fn a_ttl_too_long_for_the_backend_is_a_usage_error(fx: &Env) {
    let thread = unique_thread();
    let t = thread.thread.as_str();
    let out = run(fx, &["lock", "acquire", t, "--ttl", "30d"]);
    if fx.kind().lock_lives_on_its_connection() {
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("give a shorter --ttl"), "{stderr}");
        assert!(!stderr.contains("holder"), "the helper's error: {stderr}");
        let out = run(fx, &["lock", "acquire", t, "--ttl", "100000000000d"]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
    } else {
        assert!(out.status.success(), "{out:?}");
        assert!(run(fx, &["lock", "break", t, "--yes"]).status.success());
    }
}

/// `lock break` on Postgres also ends the holder process `lock acquire`
/// left behind (it removes its release socket as it exits), instead of
/// leaving it waiting out its TTL.
#[test]
fn postgres_break_ends_the_acquire_holder_process() {
    let fx = Env::new(BackendKind::Postgres);
    let runtime = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        threadctl(&fx)
            .env("XDG_RUNTIME_DIR", runtime.path())
            .args(args)
            .output()
            .expect("run threadctl")
    };
    let out = run(&["lock", "acquire", "t1", "--ttl", "5m"]);
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    let socket = runtime
        .path()
        .join("threadctl-locks")
        .join(format!("{token}.sock"));
    assert!(
        socket.exists(),
        "the holder listens on {}",
        socket.display()
    );
    let out = run(&["lock", "break", "t1", "--yes", "-o", "json"]);
    assert!(out.status.success(), "{out:?}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["released"], true, "{doc}");
    let started = Instant::now();
    while socket.exists() && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!socket.exists(), "the holder still runs after lock break");
    let out = run(&["lock", "release", "t1", "--token", &token]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
}
