//! `rm`: confirmation, exit codes, and deleting one thread only.

use serde_json::json;

use crate::env::{history_ids, Env};

fn rm_deletes_one_thread_with_yes_and_says_what_went(env: &Env) {
    env.put("doomed", "1");
    env.put("doomed", "2");
    env.put("kept", "1");
    env.ok(&["--tenant", "acme", "put", "doomed", "--state", "1"]);
    env.ok(&["events", "append", "doomed", "--event", "{}"]);

    // Off a terminal without --yes: refused, nothing deleted.
    let (_, err) = env.fails(&["rm", "doomed"], 2);
    assert!(err.contains("pass --yes"), "{err}");
    assert_eq!(history_ids(env, "doomed").len(), 2);

    let deleted = env.json(&["rm", "doomed", "--yes", "-o", "json"]);
    assert_eq!(
        deleted,
        json!({"tenant_id": "default", "thread_id": "doomed", "checkpoints": 2,
               "events": 1, "shared_log_kept": false})
    );
    env.fails(&["latest", "doomed"], 3);
    assert_eq!(history_ids(env, "kept").len(), 1);
    let acme = env.ok(&["--tenant", "acme", "latest", "doomed", "-o", "json"]);
    assert!(acme.contains("\"doomed\""), "{acme}");

    // Gone already: not found.
    let (_, err) = env.fails(&["rm", "doomed", "--yes"], 3);
    assert!(err.contains("nothing to delete"), "{err}");
    let table = env.ok(&["rm", "kept", "--yes"]);
    assert_eq!(table, "deleted default/kept: 1 checkpoint(s), 0 event(s)\n");
}

fn rm_of_a_locked_thread_exits_4_and_deletes_nothing(env: &Env) {
    env.put("busy", "1");
    let token = env.ok(&["lock", "acquire", "busy", "--ttl", "30s"]);
    let (_, err) = env.fails(&["rm", "busy", "--yes"], 4);
    assert!(
        err.contains("was not deleted") && err.contains("lock busy"),
        "{err}"
    );
    assert_eq!(history_ids(env, "busy").len(), 1);
    env.ok(&["lock", "release", "busy", "--token", token.trim()]);
    env.ok(&["rm", "busy", "--yes"]);
    env.fails(&["latest", "busy"], 3);
}

on_every_backend!(crate::env::run =>
    rm_deletes_one_thread_with_yes_and_says_what_went,
    rm_of_a_locked_thread_exits_4_and_deletes_nothing,
);
