//! `copy` and `export` out of Redis: ambiguous keys listed (table, JSON,
//! `--dry-run`) and placed by `--ambiguous`; records that cannot go
//! (corrupt, NUL bound for Postgres) reported with their thread and id,
//! exit 5, the rest copied.

use serde_json::{json, Value};
use threadctl::BackendKind;

use crate::common::TestStore;
use crate::env::{Damage, Env};

/// Runs a raw command on the Redis store of `env`.
fn raw(env: &Env, args: &[&str]) {
    let TestStore::Redis(db) = &env.store else {
        panic!("a Redis store")
    };
    let mut cmd = redis::cmd(args[0]);
    for arg in &args[1..] {
        cmd.arg(*arg);
    }
    let _: redis::Value = cmd.query(&mut db.connection()).expect("raw redis command");
}

/// A Redis source with an event log whose key reads as two threads
/// without checkpoints, and a store key that reads in two namespaces.
fn ambiguous_source() -> Env {
    let env = Env::new(BackendKind::Redis);
    raw(
        &env,
        &["RPUSH", "entelix:session:x:y:z:events", r#"{"n":1}"#],
    );
    raw(
        &env,
        &["SET", "entelix:store:acme:acme:agent-a:theme", r#""dark""#],
    );
    raw(
        &env,
        &[
            "SET",
            "entelix:store:acme:acme:agent-a:pref:color",
            r#""blue""#,
        ],
    );
    raw(
        &env,
        &["SET", "entelix:store:acme:acme:agent-a:pref:size", "3"],
    );
    env
}

#[test]
fn copy_lists_ambiguous_records_and_writes_every_reading_with_ambiguous_both() {
    let source = ambiguous_source();
    let target = TestStore::new(BackendKind::Sqlite);
    let on_target = |args: &[&str]| {
        let out = crate::env::bin()
            .arg("--url")
            .arg(target.url())
            .args(args)
            .output()
            .expect("run threadctl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    // A dry run needs a target that exists.
    on_target(&["--tenant", "other", "put", "t", "--state", "0"]);
    let json_on_target =
        |args: &[&str]| serde_json::from_slice::<Value>(&on_target(args)).expect("JSON");
    let copy = |extra: &[&str]| {
        let mut args = vec!["copy", "--to", target.url()];
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let args = copy(&["--dry-run"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, err) = source.fails(&args, 5);
    assert!(out.contains("AMBIGUOUS RECORD"), "{out}");
    assert!(out.contains("session log of x/y:z or x:y/z"), "{out}");
    assert!(out.contains("(left out)"), "{out}");
    assert!(
        out.contains("store item namespace acme:agent-a, key \"pref:color\""),
        "{out}"
    );
    assert!(out.contains("3 ambiguous"), "{out}");
    assert!(err.contains("1 record(s) not copied"), "{err}");

    let args = copy(&["--dry-run", "-o", "json"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, _) = source.fails(&args, 5);
    let doc: Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(doc["dry_run"], true);
    assert_eq!(doc["ambiguous"], 3);
    let records = doc["ambiguous_records"].as_array().expect("listed");
    assert_eq!(records.len(), 3, "{records:?}");
    let log = records
        .iter()
        .find(|r| r["record"] == "session log of x/y:z or x:y/z")
        .expect("the log");
    assert_eq!(log["written_as"], json!([]));
    assert_eq!(doc["problems"][0]["problem"], "ambiguous");

    let args = copy(&["--ambiguous", "both", "-o", "json"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let doc: Value = serde_json::from_str(&source.ok(&args)).expect("JSON report");
    assert_eq!(doc["problem_count"], 0, "{doc}");
    assert_eq!(doc["ambiguous"], 3);
    for (tenant, thread) in [("x", "y:z"), ("x:y", "z")] {
        let events = json_on_target(&["--tenant", tenant, "events", "tail", thread, "-o", "json"]);
        assert_eq!(
            events,
            json!([{"ordinal": 1, "event": {"n": 1}}]),
            "{tenant}/{thread}"
        );
    }
    for (namespace, key, value) in [
        ("agent-a", "pref:color", json!("blue")),
        ("agent-a:pref", "color", json!("blue")),
        ("agent-a", "theme", json!("dark")),
    ] {
        let item = json_on_target(&[
            "--tenant", "acme", "store", "get", namespace, key, "-o", "json",
        ]);
        assert_eq!(item["value"], value, "{namespace} / {key}: {item}");
    }
}

#[test]
fn copy_and_export_report_bad_records_with_their_ids_and_exit_5() {
    let source = Env::new(BackendKind::Redis);
    source.put("t1", "1");
    let broken = source.put("t1", "2");
    source.corrupt("default", "t1", &broken, Damage::MissingState);
    let nul = source.ok(&["put", "t2", "--state", r#"{"text":"a\u0000b"}"#]);
    let nul = nul.trim();
    source.put("t2", "3");
    let target = TestStore::new(BackendKind::Postgres);

    let (out, err) = source.fails(&["copy", "--to", target.url()], 5);
    assert!(
        out.contains(&format!("checkpoint {broken} of default/t1")),
        "{out}"
    );
    assert!(out.contains("unreadable"), "{out}");
    assert!(
        out.contains(&format!("checkpoint {nul} of default/t2")),
        "{out}"
    );
    assert!(out.contains("NUL"), "{out}");
    assert!(err.contains("2 record(s) not copied"), "{err}");
    let history = crate::env::bin()
        .args(["--url", target.url(), "history", "t2", "-o", "json"])
        .output()
        .expect("run threadctl");
    let history: Value = serde_json::from_slice(&history.stdout).expect("JSON history");
    assert_eq!(
        history.as_array().map(Vec::len),
        Some(1),
        "the rest of t2 was copied"
    );
    assert_eq!(history[0]["state"], json!(3));

    let dir = tempfile::tempdir().expect("tempdir");
    let dump = dir.path().join("dump.jsonl");
    let dump = dump.to_str().expect("utf-8 path");
    let (_, err) = source.fails(&["export", "--file", dump], 5);
    assert!(
        err.contains(&format!(
            "left out checkpoint {broken} of default/t1 (unreadable)"
        )),
        "{err}"
    );
    let text = std::fs::read_to_string(dump).expect("the dump");
    assert!(text.contains(nul), "the NUL checkpoint is exported: {text}");
    assert!(!text.contains(&broken));
}
