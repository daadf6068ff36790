//! `fork`: a new state or a merge patch, and `--into` another thread.

use serde_json::json;

use crate::env::{history_ids, Env};

fn fork_with_state_patch_and_into(env: &Env) {
    let root = env.ok(&[
        "put",
        "t1",
        "--state",
        r#"{"a":1,"b":{"c":2,"d":3}}"#,
        "--next-node",
        "agent",
    ]);
    let root = root.trim();
    let second = env.put("t1", r#"{"a":2}"#);

    let forked = env.json(&[
        "fork",
        "t1",
        "--from",
        root,
        "--state",
        r#"{"new":true}"#,
        "-o",
        "json",
    ]);
    assert_eq!(forked["parent_id"], root);
    assert_eq!(forked["step"], 1);
    assert_eq!(forked["next_node"], "agent");
    assert_eq!(forked["state"], json!({"new": true}));

    let patched = env.json(&[
        "fork",
        "t1",
        "--from",
        root,
        "--patch",
        r#"{"a":9,"b":{"d":null}}"#,
        "-o",
        "jsonl",
    ]);
    assert_eq!(patched["state"], json!({"a": 9, "b": {"c": 2}}));
    assert_eq!(history_ids(env, "t1").len(), 4);

    let into = env.json(&[
        "fork",
        "t1",
        "--from",
        &second,
        "--patch",
        r#"{"z":0}"#,
        "--into",
        "t2",
        "-o",
        "json",
    ]);
    assert_eq!(into["thread_id"], "t2");
    assert_eq!(into["parent_id"], second.as_str());
    assert_eq!(into["step"], 2);
    assert_eq!(into["state"], json!({"a": 2, "z": 0}));
    let copied = history_ids(env, "t2");
    assert_eq!(
        copied,
        vec![
            into["id"].as_str().unwrap().to_string(),
            second.clone(),
            root.to_string()
        ]
    );
    let copied_root = env.json(&["show", "t2", root, "-o", "json"]);
    let original_root = env.json(&["show", "t1", root, "-o", "json"]);
    assert_eq!(copied_root["timestamp"], original_root["timestamp"]);
    assert_eq!(copied_root["state"], original_root["state"]);
    assert_eq!(copied_root["thread_id"], "t2");

    let (_, stderr) = env.fails(
        &["fork", "t1", "--from", root, "--state", "1", "--into", "t2"],
        1,
    );
    assert!(stderr.contains("t2"), "{stderr}");
    env.fails(
        &[
            "fork",
            "t1",
            "--from",
            "01a213bc-3250-7271-b540-b750b3a4e878",
            "--state",
            "1",
        ],
        3,
    );
    env.fails(
        &[
            "fork", "t1", "--from", root, "--state", "1", "--patch", "{}",
        ],
        2,
    );
    env.fails(&["fork", "t1", "--from", root], 2);
    assert_eq!(
        history_ids(env, "t1").len(),
        4,
        "failed forks write nothing"
    );
    assert_eq!(history_ids(env, "t2").len(), 3);
}

on_every_backend!(crate::env::run =>
    fork_with_state_patch_and_into,
);
