//! `prune`: flags, confirmation, dry runs and exit codes.

use crate::env::{history_ids, Env};

fn prune_exit_codes_dry_runs_and_windows(env: &Env) {
    for n in 0..5 {
        env.put("long", &n.to_string());
    }
    env.put("short", "1");
    let (_, err) = env.fails(&["prune"], 2);
    assert!(err.contains("--keep-last"), "{err}");
    let (_, err) = env.fails(&["prune", "--keep-last", "2"], 2);
    assert!(err.contains("pass --yes"), "{err}");
    assert_eq!(history_ids(env, "long").len(), 5);

    let dry = env.json(&["prune", "--keep-last", "2", "--dry-run", "-o", "json"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["checkpoints"], 3);
    assert_eq!(dry["threads"], 2);
    assert_eq!(
        history_ids(env, "long").len(),
        5,
        "a dry run changes nothing"
    );

    let latest = env.ok(&["latest", "long", "-o", "json"]);
    let kept: Vec<String> = history_ids(env, "long")[..2].to_vec();
    assert_eq!(
        env.ok(&["prune", "--keep-last", "2", "--exclude", "sh*", "--yes"]),
        "deleted 3 checkpoint(s) of 1 thread(s): 0 idle thread(s) whole, 0 event(s), 3 byte(s) of state; 0 event(s) archived\n"
    );
    assert_eq!(history_ids(env, "long"), kept);
    assert_eq!(env.ok(&["latest", "long", "-o", "json"]), latest);
    env.ok(&["verify"]);

    // A held lock: the thread is skipped and listed, exit 4.
    let token = env.ok(&["lock", "acquire", "long", "--ttl", "30s"]);
    let (out, err) = env.fails(&["prune", "--keep-last", "1", "--yes"], 4);
    assert!(err.contains("skipped default/long"), "{err}");
    assert!(
        out.starts_with("deleted 0 checkpoint(s) of 2 thread(s)"),
        "{out}"
    );
    assert_eq!(history_ids(env, "long").len(), 2);
    env.ok(&["lock", "release", "long", "--token", token.trim()]);

    // Nothing is older than an hour: --older-than deletes nothing.
    env.ok(&["prune", "--older-than", "1h", "--yes"]);
    assert_eq!(history_ids(env, "short").len(), 1);

    // Session logs down to their last N events.
    env.ok(&["events", "append", "short", "--event", "[1, 2, 3, 4]"]);
    let archived = env.json(&["prune", "--events-keep-last", "1", "--yes", "-o", "json"]);
    assert_eq!(archived["events_archived"], 3);
    assert_eq!(archived["checkpoints"], 0);
    let left = env.jsonl(&["events", "tail", "short", "-o", "jsonl"]);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["ordinal"], 4);
}

on_every_backend!(crate::env::run =>
    prune_exit_codes_dry_runs_and_windows,
);
