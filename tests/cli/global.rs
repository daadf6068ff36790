//! What every command shares: exit codes for bad input and unreachable
//! servers, broken pipes, `--tenant`, `-q`/`-v`, password-free logs, and
//! which store a URL (or none) selects.

use std::io::Read;
use std::process::Stdio;

use serde_json::Value;
use threadctl::BackendKind;

use crate::env::{bin, history_ids, Env};

fn bad_input_exits_with_its_code_and_writes_nothing(env: &Env) {
    let (stdout, stderr) = env.fails(&["put", "t1", "--state", r#"{"a": 1,}"#], 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--state") && stderr.contains("line 1 column 9"),
        "{stderr}"
    );
    let (_, stderr) = env.fails(&["put", "t1", "--state", "@/nonexistent/state.json"], 2);
    assert!(stderr.contains("/nonexistent/state.json"), "{stderr}");
    env.fails(&["put", "t1", "--state", "-", "--metadata", "-"], 2);
    env.fails(
        &[
            "put",
            "t1",
            "--state",
            "1",
            "--finished",
            "--next-node",
            "x",
        ],
        2,
    );
    env.fails(&["-q", "-v", "latest", "t1"], 2);
    let (_, stderr) = env.fails(
        &[
            "fork",
            "t1",
            "--from",
            "01a213bc-3250-7271-b540-b750b3a4e878",
        ],
        2,
    );
    assert!(
        stderr.contains("--state") && stderr.contains("--patch"),
        "{stderr}"
    );
    let empty = env
        .cmd()
        .args(["events", "append", "t1", "--event", "[]"])
        .output()
        .expect("run threadctl");
    assert!(empty.status.success());
    assert_eq!(String::from_utf8_lossy(&empty.stdout), "0\n");
    assert_eq!(
        String::from_utf8_lossy(&empty.stderr),
        "nothing appended (empty batch)\n"
    );
    env.fails(&["show", "t1", "not-a-uuid"], 2);
    env.fails(&["frobnicate"], 2);
    let (_, stderr) = env.fails(&["latest", "t1"], 3);
    assert_eq!(stderr, "error: thread default/t1 has no checkpoints\n");

    let id = env.put("t1", "1");
    env.fails(&["show", "t1", "01a213bc-3250-7271-b540-b750b3a4e878"], 3);
    env.fails(&["show", "other-thread", &id], 3);
    env.fails(&["latest", "t1", "--tenant", ""], 2);
    assert_eq!(history_ids(env, "t1"), vec![id]);
}

fn broken_pipe_ends_quietly(env: &Env) {
    let big = format!("{{\"blob\":\"{}\"}}", "x".repeat(40_000));
    for _ in 0..4 {
        env.put("t1", &big);
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"))
        .env_remove("THREADCTL_URL")
        .args(["--url", env.url(), "history", "t1", "-o", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn history");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("wait");
    assert!(stderr.is_empty(), "a closed pipe is not an error: {stderr}");
    assert_eq!(status.code(), Some(0));
}

fn tenant_comes_from_flag_or_environment(env: &Env) {
    env.ok(&["put", "t1", "--state", r#""acme""#, "--tenant", "acme"]);
    let by_env = env
        .cmd()
        .env("THREADCTL_TENANT", "acme")
        .args(["latest", "t1", "--state-only"])
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&by_env.stdout), "\"acme\"\n");
    env.fails(&["latest", "t1"], 3);
    let by_url_env = bin()
        .env("THREADCTL_URL", env.url())
        .args(["--tenant", "acme", "latest", "t1", "-o", "json"])
        .output()
        .expect("run");
    assert!(by_url_env.status.success());
    let record: Value = serde_json::from_slice(&by_url_env.stdout).unwrap();
    assert_eq!(record["tenant_id"], "acme");
}

fn quiet_and_verbose_change_only_stderr(env: &Env) {
    let normal = env
        .cmd()
        .args(["store", "put", "ns", "k", "1"])
        .output()
        .expect("run");
    assert!(normal.status.success());
    assert!(normal.stdout.is_empty());
    assert!(String::from_utf8_lossy(&normal.stderr).contains("stored"));

    let quiet = env
        .cmd()
        .args(["store", "put", "ns", "k", "2", "-q"])
        .output()
        .expect("run");
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());

    let plain = env.ok(&["store", "get", "ns", "k", "--value-only"]);
    let verbose = env
        .cmd()
        .args(["-v", "store", "get", "ns", "k", "--value-only"])
        .output()
        .expect("run");
    assert!(verbose.status.success());
    assert_eq!(
        String::from_utf8_lossy(&verbose.stdout),
        plain,
        "-v never touches stdout"
    );
    assert!(String::from_utf8_lossy(&verbose.stderr).contains("opening"));
}

/// The password of `url` appears nowhere in what `-vvv` logs.
fn assert_password_never_logged(url: &str, password: &str) {
    let output = bin()
        .args(["-vvv", "--url", url, "threads"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains(password), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn passwords_stay_out_of_verbose_logs() {
    assert_password_never_logged("postgres://ops:hunter2@127.0.0.1:1/x", "hunter2");
    assert_password_never_logged("redis://:hunter2@127.0.0.1:1", "hunter2");
}

/// Runs `args` against an unreachable server whose URL carries the
/// password `hunter2`: one error line naming the host, exit 1, no password.
fn assert_unreachable_reported_in_one_line(args: &[&str]) {
    let output = bin().args(args).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn unreachable_postgres_is_one_line_naming_the_host_without_password() {
    assert_unreachable_reported_in_one_line(&[
        "--url",
        "postgres://ops:hunter2@127.0.0.1:1/x",
        "latest",
        "t1",
    ]);
}

#[test]
fn unreachable_redis_is_one_line_naming_the_host_without_password() {
    assert_unreachable_reported_in_one_line(&[
        "--url",
        "redis://:hunter2@127.0.0.1:1",
        "store",
        "get",
        "ns",
        "k",
    ]);
}

#[test]
fn unknown_url_scheme_is_a_usage_error() {
    let output = bin()
        .args(["--url", "mysql://h/db", "latest", "t1"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("mysql"));
}

#[test]
fn read_only_commands_do_not_create_a_mistyped_sqlite_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nonexistent-dir/x.db");
    let url = format!("sqlite://{}", missing.display());
    let id = "01a213bc-3250-7271-b540-b750b3a4e878";
    for args in [
        &["latest", "t1"][..],
        &["show", "t1", id],
        &["history", "t1"],
        &["diff", "t1", id, id],
        &["threads"],
        &["events", "tail", "t1"],
        &["store", "get", "ns", "k"],
        &["store", "ls", "ns"],
        &["store", "namespaces"],
        &["lock", "status", "t1"],
        &["lock", "ls"],
    ] {
        let output = bin()
            .arg("--url")
            .arg(&url)
            .args(args)
            .output()
            .expect("run threadctl");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!("error: no SQLite database at {}\n", missing.display()),
            "{args:?}"
        );
        assert!(!missing.parent().unwrap().exists(), "{args:?} created it");
    }
    let put = bin()
        .arg("--url")
        .arg(&url)
        .args(["put", "t1", "--state", "1"])
        .output()
        .expect("run threadctl");
    let stderr = String::from_utf8_lossy(&put.stderr);
    assert_eq!(put.status.code(), Some(3), "{stderr}");
    let dir = missing.parent().unwrap();
    assert!(
        stderr.contains(&format!("no directory {}", dir.display())) && stderr.contains("mkdir -p"),
        "{stderr}"
    );
    assert!(!dir.exists(), "a write created the directory");
    std::fs::create_dir(dir).expect("mkdir");
    let put = bin()
        .arg("--url")
        .arg(&url)
        .args(["put", "t1", "--state", "1"])
        .output()
        .expect("run threadctl");
    assert!(put.status.success(), "a write creates the file");
    assert!(missing.is_file());
}

#[test]
fn after_a_write_the_sqlite_file_alone_holds_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("x.db");
    let url = format!("sqlite://{}", db.display());
    let run = |url: &str, args: &[&str]| {
        let output = bin()
            .arg("--url")
            .arg(url)
            .args(args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    run(&url, &["put", "t1", "--state", r#"{"n":2}"#]);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).expect("copy the .db alone");
    let copy_url = format!("sqlite://{}", copy.display());
    assert_eq!(
        run(&copy_url, &["latest", "t1", "--state-only"]),
        "{\"n\":2}\n"
    );
}

#[test]
fn without_a_url_the_embedded_store_in_the_data_directory_is_used() {
    let home = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        bin()
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .args(args)
            .output()
            .expect("run")
    };
    let put = run(&["put", "t1", "--state", r#"{"fresh":true}"#]);
    assert!(
        put.status.success(),
        "{}",
        String::from_utf8_lossy(&put.stderr)
    );
    let latest = run(&["latest", "t1", "--state-only"]);
    assert_eq!(
        String::from_utf8_lossy(&latest.stdout),
        "{\"fresh\":true}\n"
    );
    assert!(home
        .path()
        .join(".local/share/threadctl/threadctl.db")
        .is_file());
}

on_every_backend!(crate::env::run =>
    bad_input_exits_with_its_code_and_writes_nothing,
    broken_pipe_ends_quietly,
    tenant_comes_from_flag_or_environment,
    quiet_and_verbose_change_only_stderr,
    no_headers_leaves_out_every_tables_header_row,
);

#[test]
fn bad_numbers_are_refused_as_not_non_negative_integers() {
    let env = Env::new(BackendKind::Sqlite);
    for args in [
        &["history", "t1", "--limit", "-1"][..],
        &["events", "tail", "t1", "--limit", "-1"],
        &["events", "tail", "t1", "--since", "-5"],
        &["put", "t1", "--state", "{}", "--step", "-2"],
        &["events", "tail", "t1", "--last", "-3"],
        &["threads", "--limit", "-1"],
        &["show", "t1", "--step", "-1"],
        &["prune", "--keep-last", "-1"],
        &["prune", "--keep-last", "0"],
        &["prune", "--events-keep-last", "-1"],
        &["prune", "--keep-last", "2", "--batch-size", "-5"],
        &["verify", "--page-size", "0"],
        &["migrate", "run", "--to", "2", "--batch-size", "20000"],
    ] {
        let (_, stderr) = env.fails(args, 2);
        assert!(
            stderr.contains("must be a non-negative integer"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("-- -"), "clap's wrong tip: {stderr}");
    }
}

fn no_headers_leaves_out_every_tables_header_row(env: &Env) {
    env.put("t1", "1");
    env.ok(&["store", "put", "ns", "k", "1"]);
    for (args, header) in [
        // Wide: times to the second, which do not move between the runs.
        (&["threads", "-o", "wide"][..], "TENANT"),
        (&["history", "t1", "-o", "wide"], "ID"),
        (&["store", "ls", "ns"], "KEY"),
        (&["latest", "t1"], "FIELD"),
    ] {
        let with = env.ok(args);
        assert!(with.starts_with(header), "{args:?}: {with}");
        let without = env.ok(&[args, &["--no-headers"]].concat());
        assert!(!without.contains(header), "{args:?}: {without}");
        let rows = |text: &str| {
            text.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&without), rows(&with)[1..], "{args:?}: the same rows");
    }
}
