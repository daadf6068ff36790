//! End-to-end tests of the `threadctl` binary: every command, output
//! format and exit code, run against each backend in a fresh isolated
//! store (SQLite file, Postgres schema, Redis database). Run one backend
//! with `cargo test --test cli sqlite` (or `postgres`, `redis`).

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

use assert_cmd::Command;
use serde_json::{json, Value};

/// One isolated store of some backend.
enum Store {
    Sqlite(common::SqliteFile),
    Postgres(common::PgSchema),
    Redis(common::RedisDb),
}

/// A store plus helpers to run the binary against it.
struct Env {
    store: Store,
}

impl Env {
    fn sqlite() -> Self {
        Self {
            store: Store::Sqlite(common::SqliteFile::new()),
        }
    }

    fn postgres() -> Self {
        Self {
            store: Store::Postgres(common::PgSchema::new()),
        }
    }

    fn redis() -> Self {
        Self {
            store: Store::Redis(common::RedisDb::new()),
        }
    }

    fn url(&self) -> &str {
        match &self.store {
            Store::Sqlite(s) => &s.url,
            Store::Postgres(s) => &s.url,
            Store::Redis(s) => &s.url,
        }
    }

    /// The binary with a clean environment, pointed at this store.
    fn cmd(&self) -> Command {
        let mut cmd = bin();
        cmd.arg("--url").arg(self.url());
        cmd
    }

    /// Runs `args`, asserts success and an empty stderr, returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().expect("run threadctl");
        assert!(
            output.status.success(),
            "threadctl {args:?} failed with {:?}: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }

    /// Runs `args` and asserts the exit code; returns (stdout, stderr).
    fn fails(&self, args: &[&str], code: i32) -> (String, String) {
        let output = self.cmd().args(args).output().expect("run threadctl");
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(
            output.status.code(),
            Some(code),
            "threadctl {args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        (String::from_utf8_lossy(&output.stdout).to_string(), stderr)
    }

    /// `put THREAD --state STATE`, returning the new id.
    fn put(&self, thread: &str, state: &str) -> String {
        self.ok(&["put", thread, "--state", state])
            .trim()
            .to_string()
    }

    /// Parses the stdout of `args` as one JSON document.
    fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed non-JSON ({e}): {stdout}"))
    }

    /// Parses the stdout of `args` as JSON lines.
    fn jsonl(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}"))
            })
            .collect()
    }

    /// Replaces the stored record `id` of `tenant/thread` with a broken
    /// one, the way each backend stores it.
    fn corrupt(&self, tenant: &str, thread: &str, id: &str, damage: Damage) {
        let (column, document) = match damage {
            Damage::MissingState => (
                r#"{"schema_version": 1}"#.to_string(),
                r#"{"schema_version": 1, "body": {"id": "broken"}}"#.to_string(),
            ),
            Damage::FutureVersion => (
                r#"{"schema_version": 99, "state": {}}"#.to_string(),
                format!(
                    r#"{{"schema_version": 99, "body": {{"id": "{id}", "tenant_id": "{tenant}", "thread_id": "{thread}", "parent_id": null, "step": 0, "state": {{}}, "next_node": null, "timestamp": "2026-11-25T16:40:27Z"}}}}"#
                ),
            ),
        };
        match &self.store {
            Store::Sqlite(file) => sqlite_exec(
                &file.url,
                format!(
                    "UPDATE checkpoints SET state = '{column}' \
                     WHERE tenant_id = '{tenant}' AND thread_id = '{thread}' AND id = '{id}'"
                ),
            ),
            Store::Postgres(schema) => common::pg_admin_exec(vec![format!(
                "UPDATE {}.checkpoints SET state = '{column}'::jsonb \
                 WHERE tenant_id = '{tenant}' AND thread_id = '{thread}' AND id = '{id}'",
                schema.schema
            )]),
            Store::Redis(db) => {
                let _: () = ::redis::cmd("HSET")
                    .arg(format!("entelix:cp:{tenant}:{thread}:byid"))
                    .arg(id)
                    .arg(document)
                    .query(&mut db.connection())
                    .expect("HSET broken envelope");
            }
        }
    }

    /// Sets the store's envelope write version through the library, the
    /// way an envelope migration leaves a migrated store.
    fn set_write_version(&self, version: threadctl::EnvelopeVersion) {
        let url = self.url().to_string();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                use threadctl::backend::WriteVersionAdmin;
                let backend = threadctl::Backend::open(&url).await.expect("open store");
                backend
                    .set_write_version(version)
                    .await
                    .expect("set write version");
            })
        })
        .join()
        .expect("library thread");
    }
}

/// How [`Env::corrupt`] breaks a record.
#[derive(Clone, Copy)]
enum Damage {
    /// The envelope lacks its state (or body fields): a corrupt record.
    MissingState,
    /// The envelope claims a schema version this build does not read.
    FutureVersion,
}

/// The binary with no THREADCTL_* variables from the caller's environment.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("threadctl").expect("threadctl binary");
    for var in ["THREADCTL_URL", "THREADCTL_TENANT", "THREADCTL_LOG"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs one SQL statement on a SQLite file.
fn sqlite_exec(url: &str, statement: String) {
    let url = url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("open sqlite");
            sqlx::raw_sql(&statement)
                .execute(&mut conn)
                .await
                .expect("sqlite statement");
        })
    })
    .join()
    .expect("sqlite thread");
}

/// The ids listed by `history THREAD -o jsonl`, newest first.
fn history_ids(env: &Env, thread: &str) -> Vec<String> {
    env.jsonl(&["history", thread, "-o", "jsonl"])
        .iter()
        .map(|cp| cp["id"].as_str().expect("id").to_string())
        .collect()
}

/// Every case, instantiated once per backend.
macro_rules! per_backend {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $case() { super::cases::$case(&super::Env::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $case() { super::cases::$case(&super::Env::postgres()) } )*
        }
        mod redis {
            $( #[test] fn $case() { super::cases::$case(&super::Env::redis()) } )*
        }
    };
}

per_backend!(
    put_latest_and_show_in_every_format,
    state_only_output_round_trips_byte_exact,
    put_defaults_overrides_and_if_latest,
    concurrent_plain_puts_form_one_chain,
    history_limit_before_and_formats,
    history_graph_draws_forks_as_branches,
    fork_with_state_patch_and_into,
    diff_reports_paths,
    threads_list_counts_and_filter,
    events_append_tail_and_archive,
    events_follow_streams_new_events,
    store_commands,
    bad_input_exits_with_its_code_and_writes_nothing,
    corrupt_record_in_history_exits_5_naming_it,
    v2_store_records_metadata_and_checksum,
    broken_pipe_ends_quietly,
    tenant_comes_from_flag_or_environment,
    quiet_and_verbose_change_only_stderr,
);

mod cases {
    use super::*;

    pub fn put_latest_and_show_in_every_format(env: &Env) {
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
        let keys: Vec<&str> = latest
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "tenant_id",
                "thread_id",
                "parent_id",
                "step",
                "state",
                "next_node",
                "timestamp",
                "schema_version"
            ]
        );

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

    pub fn state_only_output_round_trips_byte_exact(env: &Env) {
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

    pub fn put_defaults_overrides_and_if_latest(env: &Env) {
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

    pub fn concurrent_plain_puts_form_one_chain(env: &Env) {
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
        let mut written = 0;
        for output in &outputs {
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
        assert!(written > 0);
        let history = env.jsonl(&["history", "t1", "-o", "jsonl"]);
        assert_eq!(history.len(), written + 1);
        for (i, cp) in history.iter().enumerate() {
            assert_eq!(cp["step"], (written - i) as u64, "{history:#?}");
            let parent = history.get(i + 1).map_or(Value::Null, |p| p["id"].clone());
            assert_eq!(cp["parent_id"], parent, "{history:#?}");
        }
    }

    pub fn history_limit_before_and_formats(env: &Env) {
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
        assert!(lines[1].starts_with(&newest_first[0]), "{table}");

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

    pub fn history_graph_draws_forks_as_branches(env: &Env) {
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

    pub fn fork_with_state_patch_and_into(env: &Env) {
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

    pub fn diff_reports_paths(env: &Env) {
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

    pub fn threads_list_counts_and_filter(env: &Env) {
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

    pub fn events_append_tail_and_archive(env: &Env) {
        assert_eq!(
            env.ok(&["events", "append", "t1", "--event", r#"{"k":"a"}"#])
                .trim(),
            "1"
        );
        let batch = env.json(&[
            "events",
            "append",
            "t1",
            "--event",
            r#"[{"k":"b"},{"k":"c"},{"k":"d"}]"#,
            "-o",
            "json",
        ]);
        assert_eq!(batch, json!({"appended": 3, "last_ordinal": 4}));

        let all = env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0], json!({"ordinal": 1, "event": {"k": "a"}}));
        let since = env.json(&[
            "events", "tail", "t1", "--since", "2", "--limit", "1", "-o", "json",
        ]);
        assert_eq!(since, json!([{"ordinal": 3, "event": {"k": "c"}}]));
        let table = env.ok(&["events", "tail", "t1"]);
        assert_eq!(table.lines().count(), 4);
        assert!(
            table.lines().nth(3).unwrap().contains(r#"{"k":"d"}"#),
            "{table}"
        );

        let (_, stderr) = env.fails(&["events", "archive", "t1", "--before", "3"], 2);
        assert!(stderr.contains("--yes"), "{stderr}");
        assert_eq!(
            env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]).len(),
            4,
            "nothing archived without --yes"
        );
        let archived = env.json(&[
            "events", "archive", "t1", "--before", "3", "--yes", "-o", "json",
        ]);
        assert_eq!(archived["watermark"], 2);
        let rest = env.jsonl(&["events", "tail", "t1", "-o", "jsonl"]);
        assert_eq!(
            rest.iter()
                .map(|e| e["ordinal"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            [3, 4]
        );
        assert_eq!(
            env.ok(&["events", "archive", "t1", "--before", "99", "-y"])
                .trim(),
            "4"
        );
        assert_eq!(
            env.ok(&["events", "append", "t1", "--event", "5"]).trim(),
            "5"
        );
        env.fails(&["events", "tail", "t1", "--follow", "-o", "json"], 2);
        env.fails(&["events", "append", "t1", "--event", "{oops"], 2);
    }

    pub fn events_follow_streams_new_events(env: &Env) {
        env.ok(&["events", "append", "t1", "--event", r#"{"n":1}"#]);
        let mut follower: Child =
            std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"))
                .env_remove("THREADCTL_URL")
                .env_remove("THREADCTL_TENANT")
                .args([
                    "--url",
                    env.url(),
                    "events",
                    "tail",
                    "t1",
                    "--follow",
                    "--interval",
                    "50ms",
                    "-o",
                    "jsonl",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn follower");
        let mut lines = BufReader::new(follower.stdout.take().expect("stdout")).lines();
        let first: Value =
            serde_json::from_str(&lines.next().expect("first line").expect("read")).unwrap();
        assert_eq!(first, json!({"ordinal": 1, "event": {"n": 1}}));
        env.ok(&["events", "append", "t1", "--event", r#"[{"n":2},{"n":3}]"#]);
        let second: Value =
            serde_json::from_str(&lines.next().expect("second line").expect("read")).unwrap();
        let third: Value =
            serde_json::from_str(&lines.next().expect("third line").expect("read")).unwrap();
        follower.kill().expect("stop follower");
        follower.wait().expect("reap follower");
        assert_eq!(second["ordinal"], 2);
        assert_eq!(third, json!({"ordinal": 3, "event": {"n": 3}}));
    }

    pub fn store_commands(env: &Env) {
        let ns = r"agent\:1:notes";
        env.ok(&["store", "put", ns, "k1", r#"{"v":1}"#, "--ttl", "1h"]);
        let k2 = env.json(&["store", "put", ns, "k2", r#""x""#, "-o", "json"]);
        assert_eq!(k2["namespace"], r"default:agent\:1:notes");
        assert_eq!(k2["scope"], json!(["agent:1", "notes"]));
        assert_eq!(k2["expires_at"], Value::Null);
        env.ok(&["store", "put", ns, "other", "3"]);
        env.ok(&["store", "put", "agent\\:1:notes:deeper", "k", "true"]);

        let k1 = env.json(&["store", "get", ns, "k1", "-o", "json"]);
        assert_eq!(k1["key"], "k1");
        assert_eq!(k1["value"], json!({"v": 1}));
        assert!(
            k1["expires_at"].as_str().is_some(),
            "a TTL shows as expires_at: {k1}"
        );
        let mut line = env.jsonl(&["store", "get", ns, "k1", "-o", "jsonl"]);
        assert_eq!(line.len(), 1);
        let without_expiry =
            |item: &mut Value| item.as_object_mut().map(|o| o.remove("expires_at"));
        assert!(without_expiry(&mut line[0]).is_some_and(|e| e.is_some()));
        let mut k1 = k1;
        without_expiry(&mut k1);
        assert_eq!(
            line[0], k1,
            "jsonl and json show the same item (expiry aside: Redis derives it from the TTL)"
        );
        assert_eq!(
            env.ok(&["store", "get", ns, "k1", "--value-only"]),
            "{\"v\":1}\n"
        );
        assert!(env.ok(&["store", "get", ns, "k1"]).contains("\"v\": 1"));

        let keys = env.jsonl(&["store", "ls", ns, "--prefix", "k", "-o", "jsonl"]);
        let keys: Vec<&str> = keys.iter().map(|k| k["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["k1", "k2"]);
        assert_eq!(env.ok(&["store", "ls", ns]), "KEY\nk1\nk2\nother\n");
        let spaces = env.json(&["store", "namespaces", "-o", "json"]);
        let scopes: Vec<&Value> = spaces
            .as_array()
            .unwrap()
            .iter()
            .map(|n| &n["scope"])
            .collect();
        assert_eq!(
            scopes,
            [
                &json!(["agent:1", "notes"]),
                &json!(["agent:1", "notes", "deeper"])
            ]
        );
        assert_eq!(
            env.ok(&["store", "namespaces", ns]),
            "NAMESPACE\nagent\\:1:notes\nagent\\:1:notes:deeper\n"
        );

        let (_, stderr) = env.fails(&["store", "rm", ns, "k2"], 2);
        assert!(stderr.contains("--yes"), "{stderr}");
        assert!(env
            .ok(&["store", "get", ns, "k2", "--value-only"])
            .contains('x'));
        env.ok(&["store", "rm", ns, "k2", "--yes"]);
        env.fails(&["store", "get", ns, "k2"], 3);
        env.fails(&["store", "rm", ns, "k2", "--yes"], 3);
        env.fails(&["store", "put", ns, "k3", "1", "--ttl", "soon"], 2);
        env.fails(&["store", "get", r"bad\escape", "k"], 2);

        let evicted = env.json(&["store", "evict", "-o", "json"]);
        assert_eq!(evicted["tenant_id"], "default");
        assert!(evicted["evicted"].as_u64().is_some());
        assert!(env.ok(&["store", "evict"]).trim().parse::<u64>().is_ok());
    }

    pub fn bad_input_exits_with_its_code_and_writes_nothing(env: &Env) {
        let (stdout, stderr) = env.fails(&["put", "t1", "--state", r#"{"a": 1,}"#], 2);
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("--state") && stderr.contains("line 1 column 9"),
            "{stderr}"
        );
        let (_, stderr) = env.fails(&["put", "t1", "--state", "@/nonexistent/state.json"], 2);
        assert!(stderr.contains("/nonexistent/state.json"), "{stderr}");
        env.fails(&["put", "t1", "--state", "-", "--metadata", "-"], 2);
        env.fails(
            &[
                "put",
                "t1",
                "--state",
                "1",
                "--finished",
                "--next-node",
                "x",
            ],
            2,
        );
        env.fails(&["-q", "-v", "latest", "t1"], 2);
        let (_, stderr) = env.fails(
            &[
                "fork",
                "t1",
                "--from",
                "01a213bc-3250-7271-b540-b750b3a4e878",
            ],
            2,
        );
        assert!(
            stderr.contains("--state") && stderr.contains("--patch"),
            "{stderr}"
        );
        let empty = env
            .cmd()
            .args(["events", "append", "t1", "--event", "[]"])
            .output()
            .expect("run threadctl");
        assert!(empty.status.success());
        assert_eq!(String::from_utf8_lossy(&empty.stdout), "0\n");
        assert_eq!(
            String::from_utf8_lossy(&empty.stderr),
            "nothing appended (empty batch)\n"
        );
        env.fails(&["show", "t1", "not-a-uuid"], 2);
        env.fails(&["frobnicate"], 2);
        let (_, stderr) = env.fails(&["latest", "t1"], 3);
        assert_eq!(stderr, "error: thread default/t1 has no checkpoints\n");

        let id = env.put("t1", "1");
        env.fails(&["show", "t1", "01a213bc-3250-7271-b540-b750b3a4e878"], 3);
        env.fails(&["show", "other-thread", &id], 3);
        env.fails(&["latest", "t1", "--tenant", ""], 2);
        assert_eq!(history_ids(env, "t1"), vec![id]);
    }

    pub fn corrupt_record_in_history_exits_5_naming_it(env: &Env) {
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

    pub fn v2_store_records_metadata_and_checksum(env: &Env) {
        env.set_write_version(threadctl::EnvelopeVersion::V2);
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
        let keys: Vec<&str> = latest
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(&keys[8..], ["schema_version", "metadata", "checksum"]);
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

    pub fn broken_pipe_ends_quietly(env: &Env) {
        let big = format!("{{\"blob\":\"{}\"}}", "x".repeat(40_000));
        for _ in 0..4 {
            env.put("t1", &big);
        }
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"))
            .env_remove("THREADCTL_URL")
            .args(["--url", env.url(), "history", "t1", "-o", "jsonl"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn history");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("wait");
        assert!(stderr.is_empty(), "a closed pipe is not an error: {stderr}");
        assert_eq!(status.code(), Some(0));
    }

    pub fn tenant_comes_from_flag_or_environment(env: &Env) {
        env.ok(&["put", "t1", "--state", r#""acme""#, "--tenant", "acme"]);
        let by_env = env
            .cmd()
            .env("THREADCTL_TENANT", "acme")
            .args(["latest", "t1", "--state-only"])
            .output()
            .expect("run");
        assert_eq!(String::from_utf8_lossy(&by_env.stdout), "\"acme\"\n");
        env.fails(&["latest", "t1"], 3);
        let by_url_env = bin()
            .env("THREADCTL_URL", env.url())
            .args(["--tenant", "acme", "latest", "t1", "-o", "json"])
            .output()
            .expect("run");
        assert!(by_url_env.status.success());
        let record: Value = serde_json::from_slice(&by_url_env.stdout).unwrap();
        assert_eq!(record["tenant_id"], "acme");
    }

    pub fn quiet_and_verbose_change_only_stderr(env: &Env) {
        let normal = env
            .cmd()
            .args(["store", "put", "ns", "k", "1"])
            .output()
            .expect("run");
        assert!(normal.status.success());
        assert!(normal.stdout.is_empty());
        assert!(String::from_utf8_lossy(&normal.stderr).contains("stored"));

        let quiet = env
            .cmd()
            .args(["store", "put", "ns", "k", "2", "-q"])
            .output()
            .expect("run");
        assert!(quiet.status.success());
        assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());

        let plain = env.ok(&["store", "get", "ns", "k", "--value-only"]);
        let verbose = env
            .cmd()
            .args(["-v", "store", "get", "ns", "k", "--value-only"])
            .output()
            .expect("run");
        assert!(verbose.status.success());
        assert_eq!(
            String::from_utf8_lossy(&verbose.stdout),
            plain,
            "-v never touches stdout"
        );
        assert!(String::from_utf8_lossy(&verbose.stderr).contains("opening"));
    }
}

/// The password of `url` appears nowhere in what `-vvv` logs.
fn assert_password_never_logged(url: &str, password: &str) {
    let output = bin()
        .args(["-vvv", "--url", url, "threads"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains(password), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn passwords_stay_out_of_verbose_logs() {
    assert_password_never_logged("postgres://ops:hunter2@127.0.0.1:1/x", "hunter2");
    assert_password_never_logged("redis://:hunter2@127.0.0.1:1", "hunter2");
}

/// Runs `args` against an unreachable server whose URL carries the
/// password `hunter2`: one error line naming the host, exit 1, no password.
fn assert_unreachable_reported_in_one_line(args: &[&str]) {
    let output = bin().args(args).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn unreachable_postgres_is_one_line_naming_the_host_without_password() {
    assert_unreachable_reported_in_one_line(&[
        "--url",
        "postgres://ops:hunter2@127.0.0.1:1/x",
        "latest",
        "t1",
    ]);
}

#[test]
fn unreachable_redis_is_one_line_naming_the_host_without_password() {
    assert_unreachable_reported_in_one_line(&[
        "--url",
        "redis://:hunter2@127.0.0.1:1",
        "store",
        "get",
        "ns",
        "k",
    ]);
}

#[test]
fn unknown_url_scheme_is_a_usage_error() {
    let output = bin()
        .args(["--url", "mysql://h/db", "latest", "t1"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("mysql"));
}

#[test]
fn help_documents_exit_codes_and_completions_print() {
    let help = bin().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success());
    for line in [
        "Exit codes:",
        "3  not found",
        "5  data problem",
        "6  verification",
    ] {
        assert!(text.contains(line), "{line} missing from --help");
    }
    let bash = bin().args(["completions", "bash"]).output().expect("run");
    assert!(bash.status.success());
    assert!(String::from_utf8_lossy(&bash.stdout).contains("_threadctl"));
}

#[test]
fn history_json_with_a_corrupt_record_on_page_two_prints_no_partial_document() {
    let env = Env::sqlite();
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
    let env = Env::sqlite();
    let Store::Sqlite(file) = &env.store else {
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

#[test]
fn read_only_commands_do_not_create_a_mistyped_sqlite_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nonexistent-dir/x.db");
    let url = format!("sqlite://{}", missing.display());
    let id = "01a213bc-3250-7271-b540-b750b3a4e878";
    for args in [
        &["latest", "t1"][..],
        &["show", "t1", id],
        &["history", "t1"],
        &["diff", "t1", id, id],
        &["threads"],
        &["events", "tail", "t1"],
        &["store", "get", "ns", "k"],
        &["store", "ls", "ns"],
        &["store", "namespaces"],
        &["lock", "status", "t1"],
        &["lock", "ls"],
    ] {
        let output = bin()
            .arg("--url")
            .arg(&url)
            .args(args)
            .output()
            .expect("run threadctl");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!("error: no SQLite database at {}\n", missing.display()),
            "{args:?}"
        );
        assert!(!missing.parent().unwrap().exists(), "{args:?} created it");
    }
    let put = bin()
        .arg("--url")
        .arg(&url)
        .args(["put", "t1", "--state", "1"])
        .output()
        .expect("run threadctl");
    assert!(put.status.success(), "a write creates the store");
    assert!(missing.is_file());
}

#[test]
fn without_a_url_the_embedded_store_in_the_data_directory_is_used() {
    let home = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        bin()
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .args(args)
            .output()
            .expect("run")
    };
    let put = run(&["put", "t1", "--state", r#"{"fresh":true}"#]);
    assert!(
        put.status.success(),
        "{}",
        String::from_utf8_lossy(&put.stderr)
    );
    let latest = run(&["latest", "t1", "--state-only"]);
    assert_eq!(
        String::from_utf8_lossy(&latest.stdout),
        "{\"fresh\":true}\n"
    );
    assert!(home
        .path()
        .join(".local/share/threadctl/threadctl.db")
        .is_file());
}

#[test]
fn events_json_with_a_corrupt_event_on_page_two_prints_no_partial_document() {
    let env = Env::sqlite();
    let batch = format!(
        "[{}]",
        (1..=505)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    env.ok(&["events", "append", "t1", "--event", &batch]);
    let Store::Sqlite(file) = &env.store else {
        unreachable!()
    };
    sqlite_exec(
        &file.url,
        "UPDATE session_events SET event = '{broken' WHERE seq = 504".to_string(),
    );
    let (stdout, stderr) = env.fails(&["events", "tail", "t1", "-o", "json"], 5);
    assert!(stderr.contains("504"), "{stderr}");
    assert!(stdout.is_empty(), "a partial JSON document: {stdout}");
}
