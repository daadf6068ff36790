//! `history`: limits, `--before`, formats, the `--graph` tree, and corrupt
//! records met while listing.

use serde_json::{json, Value};
use threadctl::BackendKind;

use crate::common::TestStore;
use crate::env::{history_ids, sqlite_exec, Damage, Env};

fn history_limit_before_and_formats(env: &Env) {
    let ids: Vec<String> = (0..5)
        .map(|i| env.put("t1", &format!("{{\"i\":{i}}}")))
        .collect();
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(history_ids(env, "t1"), newest_first);

    let limited = env.jsonl(&["history", "t1", "--limit", "2", "-o", "jsonl"]);
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0]["id"], newest_first[0].as_str());
    let page = env.jsonl(&[
        "history",
        "t1",
        "--before",
        &newest_first[1],
        "--limit",
        "2",
        "-o",
        "jsonl",
    ]);
    let page_ids: Vec<&str> = page.iter().map(|cp| cp["id"].as_str().unwrap()).collect();
    assert_eq!(
        page_ids,
        [newest_first[2].as_str(), newest_first[3].as_str()]
    );

    let array = env.json(&["history", "t1", "-o", "json"]);
    assert_eq!(array.as_array().map(Vec::len), Some(5));
    assert_eq!(array[4]["state"], json!({"i": 0}));
    assert_eq!(
        env.json(&["history", "t1", "--limit", "0", "-o", "json"]),
        json!([])
    );

    let table = env.ok(&["history", "t1"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("STEP"),
        "{table}"
    );
    assert_eq!(lines.len(), 6);
    assert!(lines[1].starts_with(&newest_first[0][..8]), "{table}");
    assert!(
        !table.contains(&newest_first[0]),
        "ids are shortened: {table}"
    );
    let wide = env.ok(&["history", "t1", "-o", "wide"]);
    assert!(
        wide.lines().nth(1).unwrap().starts_with(&newest_first[0]),
        "{wide}"
    );

    let (stdout, stderr) = env.fails(&["history", "nothing-here"], 3);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr.trim(),
        "error: thread default/nothing-here has no checkpoints"
    );
    env.fails(
        &[
            "history",
            "t1",
            "--before",
            "01a213bc-3250-7271-b540-b750b3a4e878",
        ],
        3,
    );
}

fn history_graph_draws_forks_as_branches(env: &Env) {
    let root = env.put("t1", r#"{"v":0}"#);
    let main = env.put("t1", r#"{"v":1}"#);
    let forked = env.ok(&["fork", "t1", "--from", &root, "--state", r#"{"v":"f"}"#]);
    let forked = forked.trim();
    let tip = env.ok(&["put", "t1", "--state", r#"{"v":2}"#, "--parent", &main]);
    let tip = tip.trim().to_string();

    let graph = env.ok(&["history", "t1", "--graph"]);
    let lines: Vec<&str> = graph.lines().collect();
    assert_eq!(lines.len(), 4, "{graph}");
    assert!(lines[0].starts_with(&format!("● {root}")), "{graph}");
    assert!(lines[1].starts_with(&format!("├─● {main}")), "{graph}");
    assert!(lines[2].starts_with(&format!("│ ● {tip}")), "{graph}");
    assert!(lines[3].starts_with(&format!("└─● {forked}")), "{graph}");

    let nodes = env.jsonl(&["history", "t1", "--graph", "-o", "jsonl"]);
    let order: Vec<(&str, u64)> = nodes
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["depth"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            (root.as_str(), 0),
            (main.as_str(), 1),
            (tip.as_str(), 1),
            (forked, 1)
        ]
    );
    assert_eq!(
        env.json(&["history", "t1", "--graph", "-o", "json"])
            .as_array()
            .map(Vec::len),
        Some(4)
    );
}

fn corrupt_record_in_history_exits_5_naming_it(env: &Env) {
    env.put("t1", r#"{"ok":0}"#);
    let broken = env.put("t1", r#"{"ok":1}"#);
    env.put("t1", r#"{"ok":2}"#);
    env.corrupt("default", "t1", &broken, Damage::MissingState);
    for format in ["table", "json", "jsonl"] {
        let (_, stderr) = env.fails(&["history", "t1", "-o", format], 5);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(&broken),
            "{stderr}"
        );
    }
    let (_, stderr) = env.fails(&["show", "t1", &broken], 5);
    assert!(stderr.contains(&broken), "{stderr}");

    let future = env.put("t2", "{}");
    env.corrupt("default", "t2", &future, Damage::FutureVersion);
    let (_, stderr) = env.fails(&["latest", "t2"], 5);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("99") && stderr.contains(&future),
        "{stderr}"
    );
}

#[test]
fn times_are_ages_in_tables_to_the_second_wide_and_to_the_microsecond_in_json() {
    let env = Env::new(BackendKind::Sqlite);
    env.put("t1", "1");
    let table = env.ok(&["history", "t1"]);
    let row = table.lines().nth(1).expect("a row");
    assert!(row.contains("s ago"), "an age: {table}");
    let table = env.ok(&["history", "t1", "-o", "wide"]);
    let row = table.lines().nth(1).expect("a row");
    let time = row.split_whitespace().nth(4).expect("TIMESTAMP");
    assert_eq!(time.len(), "2026-11-25T17:28:20Z".len(), "{table}");
    assert!(env.ok(&["threads"]).contains("s ago"), "an age");
    let json = env.json(&["history", "t1", "-o", "json"]);
    let time = json[0]["timestamp"].as_str().expect("timestamp");
    assert_eq!(time.len(), "2026-11-25T17:28:20.861138Z".len(), "{json}");
    let threads = env.json(&["threads", "-o", "json"]);
    let last = threads[0]["last_write"].as_str().expect("last_write");
    assert_eq!(last.len(), "2026-11-25T17:28:20.861138Z".len(), "{threads}");
}

#[test]
fn history_json_with_a_corrupt_record_on_page_two_prints_no_partial_document() {
    let env = Env::new(BackendKind::Sqlite);
    let oldest = env.put("t1", "0");
    for i in 1..=104 {
        env.put("t1", &i.to_string());
    }
    env.corrupt("default", "t1", &oldest, Damage::MissingState);
    let (stdout, stderr) = env.fails(&["history", "t1", "-o", "json"], 5);
    assert!(stderr.contains(&oldest), "{stderr}");
    assert!(stdout.is_empty(), "a partial JSON document: {stdout}");
    let (stdout, _) = env.fails(&["history", "t1", "-o", "jsonl"], 5);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("whole JSON lines"))
        .collect();
    assert_eq!(lines.len(), 100, "jsonl streams the good first page");
}

#[test]
fn history_graph_reports_parent_cycles_and_marks_missing_parents() {
    let env = Env::new(BackendKind::Sqlite);
    let TestStore::Sqlite(file) = &env.store else {
        unreachable!()
    };
    let set_parent = |thread: &str, id: &str, parent: &str| {
        sqlite_exec(
            &file.url,
            format!(
                "UPDATE checkpoints SET parent_id = '{parent}' \
                 WHERE thread_id = '{thread}' AND id = '{id}'"
            ),
        )
    };
    let root = env.put("t1", "0");
    env.put("t1", "1");
    let newest = env.put("t1", "2");
    set_parent("t1", &root, &newest);
    for format in ["table", "json"] {
        let (stdout, stderr) = env.fails(&["history", "t1", "--graph", "-o", format], 5);
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("parent cycle"), "{stderr}");
    }

    let orphan_root = env.put("t2", "0");
    let orphan = env.put("t2", "1");
    let stranger = "01a213bc-3250-7271-b540-b750b3a4e878";
    set_parent("t2", &orphan, stranger);
    let graph = env.ok(&["history", "t2", "--graph"]);
    assert_eq!(graph.lines().count(), 2, "{graph}");
    assert!(graph.contains(&orphan_root), "{graph}");
    assert!(
        graph.contains(&format!("{orphan}  step 1"))
            && graph.contains(&format!("(parent {stranger} not in the thread)")),
        "{graph}"
    );
    let listed = env.json(&["history", "t2", "--graph", "-o", "json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
}

/// Writes checkpoints of `thread` through the library, one per age in
/// `hours_ago`, each the child of the one before (as a service writing
/// them at those times would).
fn put_aged(env: &Env, thread: &str, hours_ago: &'static [i64]) {
    let thread = thread.to_string();
    env.with_library(move |backend| async move {
        use threadctl::backend::CheckpointBackend;
        let key = threadctl::ThreadKey::new("default", thread).expect("key");
        let mut parent = None;
        for (step, hours) in hours_ago.iter().enumerate() {
            let mut checkpoint =
                threadctl::Checkpoint::new(&key, parent, step as u64, json!(hours), None);
            checkpoint.timestamp = chrono::Utc::now() - chrono::Duration::hours(*hours);
            parent = Some(checkpoint.id);
            backend
                .put_checkpoint(&checkpoint, None)
                .await
                .expect("library put");
        }
    });
}

fn history_since_and_until_bound_the_times(env: &Env) {
    put_aged(env, "t1", &[3, 1, 0]);
    let states = |args: &[&str]| -> Vec<Value> {
        env.jsonl(&[&["history", "t1", "-o", "jsonl"], args].concat())
            .into_iter()
            .map(|cp| cp["state"].clone())
            .collect()
    };
    assert_eq!(states(&["--since", "2h"]), [json!(0), json!(1)]);
    assert_eq!(states(&["--until", "30m"]), [json!(1), json!(3)]);
    assert_eq!(states(&["--since", "2h", "--until", "30m"]), [json!(1)]);
    assert_eq!(states(&["--since", "2h", "--limit", "1"]), [json!(0)]);
    let exact = env.jsonl(&["history", "t1", "-o", "jsonl"])[1]["timestamp"]
        .as_str()
        .expect("timestamp")
        .to_string();
    assert_eq!(states(&["--since", &exact, "--until", &exact]), [json!(1)]);
    let table = env.ok(&["history", "t1", "--until", "30m"]);
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(
        table.contains("1h0m ago") && table.contains("3h0m ago"),
        "{table}"
    );
    assert_eq!(
        env.ok(&["history", "t1", "--until", "5h", "--no-headers"]),
        "",
        "nothing that old, and no error"
    );
    let (_, stderr) = env.fails(&["history", "t1", "--since", "yesterday"], 2);
    assert!(stderr.contains("RFC 3339"), "{stderr}");
}

on_every_backend!(crate::env::run =>
    history_since_and_until_bound_the_times,
    history_limit_before_and_formats,
    history_graph_draws_forks_as_branches,
    corrupt_record_in_history_exits_5_naming_it,
);

#[test]
fn listing_tables_fit_an_80_column_terminal() {
    let env = Env::new(BackendKind::Sqlite);
    let long = "long-thread-id-".repeat(20);
    env.put(
        &long,
        r#"{"a":"a long state that does not fit in the column at all"}"#,
    );
    env.put("t1", "1");
    env.put(
        "t1",
        r#"{"x":"a long state that does not fit in the column at all"}"#,
    );
    let fitted = |args: &[&str]| {
        let output = env
            .cmd()
            .env("COLUMNS", "80")
            .args(args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    for args in [&["threads"][..], &["history", "t1"], &["history", &long]] {
        let table = fitted(args);
        assert!(table.lines().count() >= 2, "{table}");
        for line in table.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: {line:?} is wider than 80"
            );
        }
    }
    assert!(fitted(&["threads"]).contains('…'), "the long id is cut");
    let whole = env.ok(&["threads"]);
    assert!(
        whole.contains(&long),
        "off a terminal rows stay whole: {whole}"
    );
}
