//! `diff`: the changed paths between two checkpoints and `--exit-code`.

use serde_json::json;

use crate::env::Env;

fn diff_reports_paths(env: &Env) {
    let a = env.put("t1", r#"{"n":1,"gone":true,"list":[1,2],"same":"x"}"#);
    let b = env.put("t1", r#"{"n":2,"list":[1],"same":"x","new":{"k":"v"}}"#);
    let changes = env.json(&["diff", "t1", &a, &b, "-o", "json"]);
    assert_eq!(
        changes,
        json!([
            {"path": "/n", "change": "changed", "old": 1, "new": 2},
            {"path": "/gone", "change": "removed", "old": true},
            {"path": "/list/1", "change": "removed", "old": 2},
            {"path": "/new", "change": "added", "new": {"k": "v"}},
        ])
    );
    assert_eq!(env.jsonl(&["diff", "t1", &a, &b, "-o", "jsonl"]).len(), 4);
    let table = env.ok(&["diff", "t1", &a, &b]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("changed") && l.contains("/n")),
        "{table}"
    );
    env.fails(&["diff", "t1", &a, &b, "--exit-code"], 6);
    assert!(env.ok(&["diff", "t1", &a, &a, "--exit-code"]).is_empty());
    env.fails(
        &["diff", "t1", &a, "01a213bc-3250-7271-b540-b750b3a4e878"],
        3,
    );
}

on_every_backend!(crate::env::run =>
    diff_reports_paths,
);
