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

/// Writes one checkpoint in each of `threads` (tenant `default`) through
/// the library, in one runtime: quicker than a process per thread.
fn library_threads(env: &Env, threads: Vec<String>) {
    let url = env.url().to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            use threadctl::backend::CheckpointBackend;
            let backend = threadctl::Backend::open(&url).await.expect("open store");
            for thread in threads {
                let key = threadctl::ThreadKey::new("default", thread).expect("key");
                let checkpoint =
                    threadctl::Checkpoint::new(&key, None, 0, serde_json::json!({}), None);
                backend
                    .put_checkpoint(&checkpoint, None)
                    .await
                    .expect("library put");
            }
        })
    })
    .join()
    .expect("library thread");
}

/// More threads than one page of the listing (1,000): every row once, in
/// order, aligned as one table; `--limit` exact across the page boundary.
fn threads_listing_spans_pages(env: &Env) {
    let names: Vec<String> = (0..1203).map(|i| format!("t{i:05}")).collect();
    library_threads(env, names.clone());
    let listed: Vec<String> = env
        .jsonl(&["threads", "-o", "jsonl"])
        .iter()
        .map(|t| t["thread_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, names, "every thread once, in order");

    let table = env.ok(&["threads"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        1 + names.len(),
        "one header, one line per thread"
    );
    assert!(lines[0].starts_with("TENANT"));
    // Every column but the last (an age, whose width varies) starts
    // where the first page put it: the rows differ only in their name.
    let last = lines[0].find("LAST WRITE").expect("last column");
    for (line, name) in lines[1..].iter().zip(&names) {
        assert_eq!(
            line[..last],
            lines[1][..last].replace("t00000", name),
            "rows of every page aligned as the first page's"
        );
    }

    let bare = env.ok(&["--no-headers", "threads"]);
    let bare: Vec<&str> = bare.lines().collect();
    assert_eq!(bare.len(), names.len(), "no header, one line per thread");
    let at = bare[0].find("t00000").expect("thread column");
    assert!(
        bare.iter()
            .zip(&names)
            .all(|(l, name)| l[at..].starts_with(name.as_str())),
        "headerless rows aligned across pages"
    );

    for limit in [999, 1000, 1001, 1203, 5000] {
        let rows = env.jsonl(&["threads", "-o", "jsonl", "--limit", &limit.to_string()]);
        assert_eq!(rows.len(), limit.min(names.len()), "--limit {limit}");
        assert_eq!(
            rows.last().unwrap()["thread_id"],
            names[limit.min(names.len()) - 1]
        );
    }
    let newest = env.jsonl(&[
        "threads",
        "-o",
        "jsonl",
        "--sort",
        "last-write",
        "--limit",
        "2",
    ]);
    let newest: Vec<&str> = newest
        .iter()
        .map(|t| t["thread_id"].as_str().unwrap())
        .collect();
    assert_eq!(newest, ["t01202", "t01201"]);
}

on_every_backend!(crate::env::run =>
    threads_sort_and_limit,
    threads_listing_spans_pages,
    threads_list_counts_and_filter,
    control_characters_are_refused_in_new_ids_and_escaped_in_tables,
);
