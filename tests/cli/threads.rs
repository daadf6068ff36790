//! `threads`: counts, latest steps and filters, and ids with control
//! characters.

use crate::env::Env;

fn threads_list_counts_and_filter(env: &Env) {
    env.put("alpha-1", "1");
    env.put("alpha-1", "2");
    env.put("beta", "1");
    env.ok(&["--tenant", "acme", "put", "alpha-2", "--state", "1"]);

    let mine = env.jsonl(&["threads", "-o", "jsonl"]);
    let names: Vec<&str> = mine
        .iter()
        .map(|t| t["thread_id"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alpha-1", "beta"]);
    assert_eq!(mine[0]["tenant_id"], "default");
    assert_eq!(mine[0]["checkpoints"], 2);
    assert_eq!(mine[0]["latest_step"], 1);
    assert!(mine[0]["last_write"].as_str().is_some());

    let all = env.json(&["threads", "--all-tenants", "alpha-*", "-o", "json"]);
    let pairs: Vec<(&str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tenant_id"].as_str().unwrap(),
                t["thread_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, [("acme", "alpha-2"), ("default", "alpha-1")]);
    let acme = env.jsonl(&["threads", "--tenants", "ac?e", "-o", "jsonl"]);
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0]["thread_id"], "alpha-2");

    let table = env.ok(&["threads"]);
    assert!(table.starts_with("TENANT"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains("alpha-1") && l.contains(" 2 ")),
        "{table}"
    );
}

/// Writes one checkpoint of `thread` through the library, as a service
/// that does not validate its ids would.
fn library_put(env: &Env, thread: &str) {
    let thread = thread.to_string();
    env.with_library(move |backend| async move {
        use threadctl::backend::CheckpointBackend;
        let key = threadctl::ThreadKey::new("default", thread).expect("key");
        let checkpoint =
            threadctl::Checkpoint::new(&key, None, 0, serde_json::json!({}), Some("n\x07".into()));
        backend
            .put_checkpoint(&checkpoint, None)
            .await
            .expect("library put");
    });
}

fn control_characters_are_refused_in_new_ids_and_escaped_in_tables(env: &Env) {
    let (_, stderr) = env.fails(&["put", "a\nb", "--state", "1"], 2);
    assert!(stderr.contains("control character"), "{stderr}");
    let (_, stderr) = env.fails(&["--tenant", "t\u{1b}", "put", "x", "--state", "1"], 2);
    assert!(stderr.contains("tenant id"), "{stderr}");
    let plain = env.put("plain", "1");
    let (_, stderr) = env.fails(
        &[
            "fork", "plain", "--from", &plain, "--state", "2", "--into", "p\tq",
        ],
        2,
    );
    assert!(stderr.contains("control character"), "{stderr}");

    library_put(env, "evil\u{1b}[31m\nrow");
    let table = env.ok(&["threads"]);
    assert_eq!(table.lines().count(), 3, "a header and two rows: {table}");
    assert!(table.contains("evil\\u{1b}[31m\\nrow"), "{table}");
    assert!(!table.contains('\u{1b}'), "{table}");
    let json = env.json(&["threads", "-o", "json"]);
    assert!(json
        .as_array()
        .expect("array")
        .iter()
        .any(|t| t["thread_id"] == "evil\u{1b}[31m\nrow"));
    let shown = env.ok(&["latest", "evil\u{1b}[31m\nrow"]);
    assert!(shown.contains("evil\\u{1b}[31m\\nrow"), "{shown}");
    assert!(shown.contains("n\\u{7}"), "next node escaped: {shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
}

fn threads_sort_and_limit(env: &Env) {
    for (thread, count) in [("b", 3), ("a", 1), ("c", 2)] {
        for i in 0..count {
            env.put(thread, &i.to_string());
        }
    }
    let order = |args: &[&str]| -> Vec<String> {
        env.jsonl(&[&["threads", "-o", "jsonl"], args].concat())
            .iter()
            .map(|t| t["thread_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(order(&[]), ["a", "b", "c"]);
    assert_eq!(order(&["--sort", "thread"]), ["a", "b", "c"]);
    assert_eq!(order(&["--sort", "checkpoints"]), ["b", "c", "a"]);
    assert_eq!(order(&["--sort", "last-write"]), ["c", "a", "b"]);
    assert_eq!(
        order(&["--sort", "checkpoints", "--limit", "2"]),
        ["b", "c"]
    );
    assert_eq!(order(&["--limit", "0"]), Vec::<String>::new());
    let table = env.ok(&["threads", "--sort", "last-write", "--limit", "1"]);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.lines().nth(1).unwrap().contains(" c "), "{table}");
    let (_, stderr) = env.fails(&["threads", "--sort", "size"], 2);
    assert!(stderr.contains("last-write"), "{stderr}");
}

on_every_backend!(crate::env::run =>
    threads_sort_and_limit,
    threads_list_counts_and_filter,
    control_characters_are_refused_in_new_ids_and_escaped_in_tables,
);
