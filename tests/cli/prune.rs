//! `prune`: flags, confirmation, dry runs, exit codes, and `--vacuum`.

use threadctl::BackendKind;

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

/// When Postgres last vacuumed the `checkpoints` table of the schema
/// `url` selects (polled: the statistics are reported asynchronously).
fn last_vacuum_of_checkpoints(url: &str) -> Option<String> {
    let url = url.to_string();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                for _ in 0..50 {
                    let at: Option<String> = sqlx::query_scalar(
                        "SELECT last_vacuum::text FROM pg_stat_user_tables \
                         WHERE relid = to_regclass('checkpoints')",
                    )
                    .fetch_optional(&mut conn)
                    .await
                    .unwrap()
                    .flatten();
                    if at.is_some() {
                        return at;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                None
            })
    })
    .join()
    .unwrap()
}

fn prune_vacuum_reclaims_space_and_prints_the_sizes(env: &Env) {
    let pad = "x".repeat(20_000);
    for n in 0..20 {
        env.put("big", &format!(r#"{{"n": {n}, "pad": "{pad}"}}"#));
    }
    let (_, err) = env.fails(&["prune", "--keep-last", "1", "--vacuum", "--dry-run"], 2);
    assert!(err.contains("--dry-run"), "{err}");
    assert_eq!(
        history_ids(env, "big").len(),
        20,
        "a refused run changes nothing"
    );

    let report = env.json(&[
        "prune",
        "--keep-last",
        "1",
        "--vacuum",
        "--yes",
        "-o",
        "json",
    ]);
    assert_eq!(report["checkpoints"], 19);
    assert_eq!(history_ids(env, "big").len(), 1);
    let vacuum = &report["vacuum"];
    match env.kind() {
        BackendKind::Redis => assert_eq!(vacuum["applies"], false, "{vacuum}"),
        kind => {
            assert_eq!(vacuum["applies"], true, "{vacuum}");
            assert_eq!(
                vacuum["tables"],
                serde_json::json!(["checkpoints", "store items"])
            );
            let (before, after) = (
                vacuum["bytes_before"].as_u64().unwrap(),
                vacuum["bytes_after"].as_u64().unwrap(),
            );
            assert!(before > 0 && after > 0, "{vacuum}");
            if kind == BackendKind::Sqlite {
                assert!(
                    after + 19 * 20_000 / 2 < before,
                    "the file shrank by most of the deleted states: {vacuum}"
                );
            } else {
                assert!(
                    last_vacuum_of_checkpoints(env.url()).is_some(),
                    "checkpoints vacuumed"
                );
            }
        }
    }
    env.ok(&["verify"]);

    // The table form says what it did; nothing left to delete, nothing vacuumed.
    let text = env.ok(&["prune", "--keep-last", "1", "--vacuum", "--yes"]);
    let last = text.lines().last().unwrap();
    match env.kind() {
        BackendKind::Redis => assert_eq!(
            last,
            "vacuum: does not apply to Redis, which frees memory as keys are deleted"
        ),
        _ => assert_eq!(last, "vacuum: nothing was deleted, nothing to reclaim"),
    }
}

on_every_backend!(crate::env::run =>
    prune_exit_codes_dry_runs_and_windows,
    prune_vacuum_reclaims_space_and_prints_the_sizes,
);
