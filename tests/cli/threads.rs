//! `threads`: counts, latest steps and filters.

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

on_every_backend!(crate::env::run =>
    threads_list_counts_and_filter,
);
