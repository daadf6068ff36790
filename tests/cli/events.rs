//! `events`: append, tail (and `--follow`), archive, and corrupt events.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::{json, Value};
use threadctl::BackendKind;

use crate::common::TestStore;
use crate::env::{sqlite_exec, Env};

fn events_append_tail_and_archive(env: &Env) {
    assert_eq!(
        env.ok(&["events", "append", "t1", "--event", r#"{"k":"a"}"#])
            .trim(),
        "1"
    );
    let batch = env.json(&[
        "events",
        "append",
        "t1",
        "--event",
        r#"[{"k":"b"},{"k":"c"},{"k":"d"}]"#,
        "-o",
        "json",
    ]);
    assert_eq!(batch, json!({"appended": 3, "last_ordinal": 4}));

    let all = env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]);
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], json!({"ordinal": 1, "event": {"k": "a"}}));
    let since = env.json(&[
        "events", "tail", "t1", "--since", "2", "--limit", "1", "-o", "json",
    ]);
    assert_eq!(since, json!([{"ordinal": 3, "event": {"k": "c"}}]));
    let table = env.ok(&["events", "tail", "t1"]);
    assert_eq!(table.lines().count(), 4);
    assert!(
        table.lines().nth(3).unwrap().contains(r#"{"k":"d"}"#),
        "{table}"
    );

    let (_, stderr) = env.fails(&["events", "archive", "t1", "--before", "3"], 2);
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(
        env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]).len(),
        4,
        "nothing archived without --yes"
    );
    let archived = env.json(&[
        "events", "archive", "t1", "--before", "3", "--yes", "-o", "json",
    ]);
    assert_eq!(archived["watermark"], 2);
    let rest = env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]);
    assert_eq!(
        rest.iter()
            .map(|e| e["ordinal"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(
        env.ok(&["events", "archive", "t1", "--before", "99", "-y"])
            .trim(),
        "4"
    );
    assert_eq!(
        env.ok(&["events", "append", "t1", "--event", "5"]).trim(),
        "5"
    );
    env.fails(&["events", "tail", "t1", "--follow", "-o", "json"], 2);
    env.fails(&["events", "append", "t1", "--event", "{oops"], 2);
}

fn events_follow_streams_new_events(env: &Env) {
    env.ok(&["events", "append", "t1", "--event", r#"{"n":1}"#]);
    let mut follower: Child = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"))
        .env_remove("THREADCTL_URL")
        .env_remove("THREADCTL_TENANT")
        .args([
            "--url",
            env.url(),
            "events",
            "tail",
            "t1",
            "--follow",
            "--interval",
            "50ms",
            "-o",
            "jsonl",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn follower");
    let mut lines = BufReader::new(follower.stdout.take().expect("stdout")).lines();
    let first: Value =
        serde_json::from_str(&lines.next().expect("first line").expect("read")).unwrap();
    assert_eq!(first, json!({"ordinal": 1, "event": {"n": 1}}));
    env.ok(&["events", "append", "t1", "--event", r#"[{"n":2},{"n":3}]"#]);
    let second: Value =
        serde_json::from_str(&lines.next().expect("second line").expect("read")).unwrap();
    let third: Value =
        serde_json::from_str(&lines.next().expect("third line").expect("read")).unwrap();
    follower.kill().expect("stop follower");
    follower.wait().expect("reap follower");
    assert_eq!(second["ordinal"], 2);
    assert_eq!(third, json!({"ordinal": 3, "event": {"n": 3}}));
}

#[test]
fn events_json_with_a_corrupt_event_on_page_two_prints_no_partial_document() {
    let env = Env::new(BackendKind::Sqlite);
    let batch = format!(
        "[{}]",
        (1..=505)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    env.ok(&["events", "append", "t1", "--event", &batch]);
    let TestStore::Sqlite(file) = &env.store else {
        unreachable!()
    };
    sqlite_exec(
        &file.url,
        "UPDATE session_events SET event = '{broken' WHERE seq = 504".to_string(),
    );
    let (stdout, stderr) = env.fails(&["events", "tail", "t1", "-o", "json"], 5);
    assert!(stderr.contains("504"), "{stderr}");
    assert!(stdout.is_empty(), "a partial JSON document: {stdout}");
}

fn events_tail_last_starts_with_the_newest_events(env: &Env) {
    env.ok(&["events", "append", "t1", "--event", "[1,2,3,4,5]"]);
    let ordinals = |args: &[&str]| -> Vec<u64> {
        env.jsonl(&[&["events", "tail", "t1", "-o", "jsonl"], args].concat())
            .iter()
            .map(|e| e["ordinal"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ordinals(&["--last", "2"]), [4, 5]);
    assert_eq!(ordinals(&["--last", "9"]), [1, 2, 3, 4, 5]);
    assert_eq!(ordinals(&["--last", "0"]), Vec::<u64>::new());
    assert_eq!(ordinals(&["--last", "3", "--limit", "1"]), [3]);
    env.ok(&["events", "archive", "t1", "--before", "4", "--yes"]);
    let output = env
        .cmd()
        .args(["events", "tail", "t1", "--last", "9"])
        .output()
        .expect("run");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
    assert!(
        output.stderr.is_empty(),
        "no note about archived events the caller did not ask for: {output:?}"
    );
    env.fails(&["events", "tail", "t1", "--last", "2", "--since", "1"], 2);
}

on_every_backend!(crate::env::run =>
    events_tail_last_starts_with_the_newest_events,
    events_append_tail_and_archive,
    events_follow_streams_new_events,
);
