//! `put`, and reading back with `latest` and `show`: output formats, the
//! record layout, defaults and overrides, `--if-latest`, concurrent writers,
//! v2 metadata and checksums.

use serde_json::{json, Value};
use threadctl::EnvelopeVersion;

use crate::env::{assert_record_layout, history_ids, Env};

fn put_latest_and_show_in_every_format(env: &Env) {
    let first = env.ok(&["put", "t1", "--state", r#"{"n":1}"#, "--next-node", "agent"]);
    let first = first.trim();
    assert_eq!(first.len(), 36, "put prints the id: {first}");
    let second = env.put("t1", r#"{"n":2}"#);

    let table = env.ok(&["latest", "t1"]);
    assert!(
        table.contains(&second) && table.contains("\"n\": 2"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("parent") && l.contains(first)),
        "{table}"
    );

    let latest = env.json(&["latest", "t1", "-o", "json"]);
    assert_eq!(latest["id"], second.as_str());
    assert_eq!(latest["tenant_id"], "default");
    assert_eq!(latest["thread_id"], "t1");
    assert_eq!(latest["parent_id"], first);
    assert_eq!(latest["step"], 1);
    assert_eq!(latest["state"], json!({"n": 2}));
    assert_eq!(
        latest["next_node"], "agent",
        "next_node is inherited from the parent"
    );
    assert_eq!(latest["schema_version"], 1);
    assert!(latest["timestamp"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert_record_layout(&latest, EnvelopeVersion::V1);

    let lines = env.jsonl(&["latest", "t1", "-o", "jsonl"]);
    assert_eq!(lines, vec![latest.clone()]);

    let shown = env.json(&["show", "t1", first, "-o", "json"]);
    assert_eq!(shown["id"], first);
    assert_eq!(shown["parent_id"], Value::Null);
    assert_eq!(shown["step"], 0);
    assert_eq!(
        env.jsonl(&["show", "t1", first, "-o", "jsonl"]),
        vec![shown]
    );
    let shown_table = env.ok(&["show", "t1", first]);
    assert!(
        shown_table.contains(first) && shown_table.contains("\"n\": 1"),
        "{shown_table}"
    );

    let put_json = env.json(&["put", "t1", "--state", "[]", "-o", "json", "--finished"]);
    assert_eq!(put_json["step"], 2);
    assert_eq!(put_json["next_node"], Value::Null);
    assert_eq!(env.json(&["latest", "t1", "-o", "json"]), put_json);
}

fn state_only_output_round_trips_byte_exact(env: &Env) {
    let state = r#"{"zeta":1,"alpha":[1.5,1e300,"ü\u0007\"",null,{"b":true,"a":false}],"big":18446744073709551615}"#;
    env.put("t1", state);
    let out = env.ok(&["latest", "t1", "--state-only"]);
    let put = env
        .cmd()
        .args(["put", "t2", "--state", "-"])
        .write_stdin(out.clone())
        .output()
        .expect("put from stdin");
    assert!(
        put.status.success(),
        "{}",
        String::from_utf8_lossy(&put.stderr)
    );
    let again = env.ok(&["latest", "t2", "--state-only"]);
    assert_eq!(again, out, "the state survives latest | put byte for byte");
    assert_eq!(out.lines().count(), 1);
    let parsed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed, serde_json::from_str::<Value>(state).unwrap());
}

fn put_defaults_overrides_and_if_latest(env: &Env) {
    let root = env.put("t1", "1");
    let child = env.put("t1", "2");
    let explicit = env.json(&[
        "put",
        "t1",
        "--state",
        "3",
        "--parent",
        &root,
        "--step",
        "7",
        "--next-node",
        "tools",
        "-o",
        "json",
    ]);
    assert_eq!(explicit["parent_id"], root.as_str());
    assert_eq!(explicit["step"], 7);
    assert_eq!(explicit["next_node"], "tools");
    let newest = explicit["id"].as_str().unwrap().to_string();

    let (_, stderr) = env.fails(&["put", "t1", "--state", "4", "--if-latest", &child], 1);
    assert!(
        stderr.contains(&child) && stderr.contains(&newest),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        history_ids(env, "t1").len(),
        3,
        "a refused --if-latest writes nothing"
    );

    let ok = env.json(&[
        "put",
        "t1",
        "--state",
        "4",
        "--if-latest",
        &newest,
        "-o",
        "json",
    ]);
    assert_eq!(ok["parent_id"], newest.as_str());
    assert_eq!(ok["step"], 8);

    let (_, stderr) = env.fails(
        &["put", "t1", "--state", "5", "--metadata", r#"{"by":"ops"}"#],
        2,
    );
    assert!(
        stderr.contains("metadata")
            && stderr.contains("version 1")
            && stderr.contains("write version must be 2")
            && !stderr.contains("migrate --to"),
        "{stderr}"
    );
    let stranger = "01a213bc-3250-7271-b540-b750b3a4e878";
    let (_, stderr) = env.fails(&["put", "t1", "--state", "5", "--if-latest", stranger], 3);
    assert!(
        stderr.contains(stranger) && stderr.contains("is not a checkpoint of thread"),
        "{stderr}"
    );
    let (_, stderr) = env.fails(
        &[
            "put",
            "t1",
            "--state",
            "5",
            "--parent",
            "01a213bc-3250-7271-b540-b750b3a4e878",
        ],
        3,
    );
    assert!(
        stderr.contains("01a213bc-3250-7271-b540-b750b3a4e878"),
        "{stderr}"
    );
    assert_eq!(history_ids(env, "t1").len(), 4);
}

fn concurrent_plain_puts_form_one_chain(env: &Env) {
    const WRITERS: usize = 4;
    const PUTS: usize = 5;
    env.put("t1", "\"seed\"");
    let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                scope.spawn(move || {
                    (0..PUTS)
                        .map(|i| {
                            env.cmd()
                                .args(["put", "t1", "--state", &format!("[{w},{i}]")])
                                .output()
                                .expect("run threadctl")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|w| w.join().expect("writer thread"))
            .collect()
    });
    let written = count_written(&outputs);
    assert!(written > 0);
    assert_single_chain(env, "t1", written + 1);
}

/// Runs `puts` in parallel processes, each `threadctl put THREAD --state
/// [i]`; returns how many succeeded (see [`count_written`]).
fn parallel_puts(env: &Env, thread: &str, puts: usize) -> usize {
    let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..puts)
            .map(|i| {
                scope.spawn(move || {
                    env.cmd()
                        .args(["put", thread, "--state", &format!("[{i}]")])
                        .output()
                        .expect("run threadctl")
                })
            })
            .collect();
        writers
            .into_iter()
            .map(|w| w.join().expect("writer thread"))
            .collect()
    });
    count_written(&outputs)
}

/// How many of the racing `put`s in `outputs` wrote, asserting that every
/// other one failed as a lost race (exit 1, nothing written).
fn count_written(outputs: &[std::process::Output]) -> usize {
    let mut written = 0;
    for output in outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            written += 1;
        } else {
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            assert!(
                stderr.contains("another writer added a checkpoint")
                    && stderr.contains("nothing was written; retry"),
                "{stderr}"
            );
        }
    }
    written
}

/// The thread holds `len` checkpoints forming one chain: one root at step
/// 0, each later one the child of the one before.
fn assert_single_chain(env: &Env, thread: &str, len: usize) {
    let history = env.jsonl(&["history", thread, "-o", "jsonl"]);
    assert_eq!(history.len(), len, "{history:#?}");
    for (i, cp) in history.iter().enumerate() {
        assert_eq!(cp["step"], (len - 1 - i) as u64, "{history:#?}");
        let parent = history.get(i + 1).map_or(Value::Null, |p| p["id"].clone());
        assert_eq!(cp["parent_id"], parent, "{history:#?}");
    }
}

/// Concurrent first puts into an empty thread: exactly one becomes the
/// root, every other one that succeeds builds on the chain.
fn concurrent_first_puts_make_one_root(env: &Env) {
    let written = parallel_puts(env, "fresh", 8);
    assert!(written > 0);
    assert_single_chain(env, "fresh", written);
}

fn v2_store_records_metadata_and_checksum(env: &Env) {
    env.set_write_version(EnvelopeVersion::V2);
    let put = env.json(&[
        "put",
        "t1",
        "--state",
        r#"{"b":1,"a":[true]}"#,
        "--metadata",
        r#"{"by":"ops"}"#,
        "-o",
        "json",
    ]);
    assert_eq!(put["schema_version"], 2);
    assert_eq!(put["metadata"], json!({"by": "ops", "source": "put"}));
    let checksum = threadctl::model::checksum::state_checksum(&json!({"a": [true], "b": 1}));
    assert_eq!(put["checksum"], checksum.as_str());
    let latest = env.json(&["latest", "t1", "-o", "json"]);
    assert_eq!(latest, put);
    assert_record_layout(&latest, EnvelopeVersion::V2);
    assert!(env.ok(&["latest", "t1"]).contains(&checksum));

    let root = put["id"].as_str().unwrap();
    let fork = env.json(&[
        "fork",
        "t1",
        "--from",
        root,
        "--patch",
        r#"{"b":2}"#,
        "-o",
        "json",
    ]);
    assert_eq!(fork["metadata"]["source"], "fork");
    assert_eq!(
        fork["metadata"]["forked_from"],
        json!({"thread_id": "t1", "checkpoint_id": root})
    );
    let into = env.json(&[
        "fork",
        "t1",
        "--from",
        root,
        "--state",
        "0",
        "--into",
        "t9",
        "--metadata",
        r#"{"why":"replay"}"#,
        "-o",
        "json",
    ]);
    assert_eq!(
        into["metadata"]["forked_from"],
        json!({"thread_id": "t1", "checkpoint_id": root})
    );
    assert_eq!(into["metadata"]["why"], "replay");
    let copied = env.json(&["show", "t9", root, "-o", "json"]);
    assert_eq!(
        copied["metadata"], put["metadata"],
        "the copied history keeps its metadata"
    );
}

on_every_backend!(crate::env::run =>
    put_latest_and_show_in_every_format,
    state_only_output_round_trips_byte_exact,
    put_defaults_overrides_and_if_latest,
    concurrent_plain_puts_form_one_chain,
    concurrent_first_puts_make_one_root,
    v2_store_records_metadata_and_checksum,
);
