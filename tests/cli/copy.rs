//! `copy`: every pair of backends through the binary — what lands in the
//! target record by record, dry runs, conflict policies, `--verify`,
//! `--move`, selections and the `-o json` summary. (Interruptions and
//! server faults: `faults`.)

use serde_json::{json, Value};

use threadctl::{BackendKind, EnvelopeVersion};

use crate::common::{reference, TestStore};
use crate::env::{bin, Env};
use crate::seed::{self, cp, DumpText, AWKWARD, AWKWARD_RECORDS, T1, T2};

/// `threadctl copy --from SOURCE --to TARGET ARGS…`; returns (exit code,
/// stdout, stderr).
pub fn copy(source: &Env, target: &Env, args: &[&str]) -> (i32, String, String) {
    copy_between(source.url(), target.url(), args)
}

/// [`copy`] between two URLs.
pub fn copy_between(from: &str, to: &str, args: &[&str]) -> (i32, String, String) {
    let output = bin()
        .args(["copy", "--from", from, "--to", to])
        .args(args)
        .output()
        .expect("run threadctl copy");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).to_string(),
        stderr,
    )
}

/// `copy … -o json`, asserting exit `code`; returns the summary.
fn copy_json(source: &Env, target: &Env, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let (status, out, err) = copy(source, target, &all);
    assert_eq!(status, code, "copy {args:?}: {out}{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("copy printed non-JSON ({e}): {out}"))
}

/// `threadctl --url A verify --against B`: its exit code and stdout.
pub fn verify_against(a: &Env, b: &Env, args: &[&str]) -> (i32, String) {
    verify_against_url(a, b.url(), args)
}

/// [`verify_against`] a store named by its URL.
pub fn verify_against_url(a: &Env, b: &str, args: &[&str]) -> (i32, String) {
    let output = a
        .cmd()
        .args(["verify", "--against", b])
        .args(args)
        .output()
        .expect("run threadctl verify");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).to_string(),
    )
}

/// `args` run with `--tenant TENANT` on `env`, parsed as JSON.
fn json_of(env: &Env, (tenant, _): (&str, &str), args: &[&str]) -> Value {
    let mut all = vec!["--tenant", tenant];
    all.extend(args);
    env.json(&all)
}

/// A thread's history and session log, as `-o json` prints them.
fn thread_content(env: &Env, thread: (&str, &str)) -> (Value, Value) {
    (
        json_of(env, thread, &["history", thread.1, "-o", "json"]),
        json_of(env, thread, &["events", "tail", thread.1, "-o", "json"]),
    )
}

fn copies_everything_identically_and_resumes_without_duplicates(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    let before = seed::exported_records(source);

    // A dry run writes nothing, not even the schema: it needs one.
    target.ok(&["migrate", "schema"]);
    let dry = copy_json(source, target, &["--dry-run"], 0);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["threads"], 3);
    assert_eq!(dry["records"], AWKWARD_RECORDS);
    assert_eq!(dry["written"], 0);
    assert!(seed::exported_records(target).len() == 1, "a dry run wrote");

    let summary = copy_json(source, target, &[], 0);
    assert_eq!(summary["dry_run"], false);
    assert_eq!(summary["threads"], 3);
    assert_eq!(summary["records"], AWKWARD_RECORDS);
    assert_eq!(summary["written"], AWKWARD_RECORDS);
    assert_eq!(summary["unchanged"], 0);
    assert_eq!(summary["problem_count"], 0);
    assert_eq!(summary["verification"], Value::Null);

    assert_eq!(seed::exported_records(target), before);
    for thread in [T1, T2, AWKWARD] {
        assert_eq!(
            thread_content(target, thread),
            thread_content(source, thread)
        );
    }
    let log = json_of(target, T1, &["events", "tail", "t1", "-o", "json"]);
    let ordinals: Vec<u64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ordinal"].as_u64().unwrap())
        .collect();
    assert_eq!(ordinals, [3, 4, 5], "the archived events stay archived");
    let (code, out) = verify_against(source, target, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("; 0 difference(s)\n"), "{out}");

    let again = copy_json(source, target, &["--verify"], 0);
    assert_eq!(again["written"], 0);
    assert_eq!(again["unchanged"], AWKWARD_RECORDS);
    assert_eq!(again["verification"]["identical"], true);
    assert_eq!(again["verification"]["threads"], 3);
    assert_eq!(seed::exported_records(target), before, "a rerun duplicated");

    let next = target.ok(&[
        "--tenant", "acme", "events", "append", "t1", "--event", "{}",
    ]);
    assert_eq!(
        next.trim(),
        "6",
        "the target continues the source's numbering"
    );
}

on_every_pair!(crate::env::run_pair =>
    copies_everything_identically_and_resumes_without_duplicates,
);

/// Runs `case` with a SQLite source and a fresh target of `kind`.
fn into(kind: threadctl::BackendKind, case: fn(&Env, &Env)) {
    case(&Env::new(threadctl::BackendKind::Sqlite), &Env::new(kind));
}

/// What the target holds before the conflict cases copy into it: `cp(1)`
/// identical to the source's, `cp(2)` and an item differing.
fn conflicting_target() -> String {
    let mut dump = DumpText::new();
    dump.checkpoint(T1, 1, None, 0, json!({"messages": []}))
        .checkpoint(T1, 2, Some(1), 1, json!("the target's own"))
        .item("acme", &["other"], "k", json!("the target's own"), None);
    dump.finish()
}

/// The value of a store item, read with `store get -o json`.
fn item_value(env: &Env, tenant: &str, namespace: &str, key: &str) -> Value {
    env.json(&[
        "--tenant", tenant, "store", "get", namespace, key, "-o", "json",
    ])["value"]
        .clone()
}

fn state_of(env: &Env, id: u32) -> Value {
    json_of(env, T1, &["show", "t1", &cp(id), "-o", "json"])["state"].clone()
}

fn conflicts_are_skipped_reported_failed_or_overwritten(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    seed::import(target, &conflicting_target());

    let (code, out, err) = copy(source, target, &[]);
    assert_eq!(code, 5, "{out}{err}");
    assert!(
        out.contains(&format!("checkpoint {} of acme/t1", cp(2))),
        "{out}"
    );
    assert!(out.contains("differs"), "{out}");
    assert!(err.contains("2 record(s) not copied"), "{err}");
    assert_eq!(state_of(target, 2), json!("the target's own"), "left alone");
    assert_eq!(state_of(target, 4), state_of(source, 4), "the rest copied");
    assert_eq!(thread_content(target, T2), thread_content(source, T2));

    let rerun = copy_json(source, target, &[], 5);
    assert_eq!(rerun["problem_count"], 2);
    let mut problems: Vec<&str> = rerun["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["problem"].as_str().unwrap())
        .collect();
    problems.dedup();
    assert_eq!(problems, ["differs"]);
    assert_eq!(rerun["written"], 0);
    assert_eq!(rerun["unchanged"], AWKWARD_RECORDS - 2);

    let verified = copy_json(source, target, &["--verify"], 6);
    let differences = &verified["verification"]["differences"];
    assert_eq!(
        verified["verification"]["difference_count"], 2,
        "{differences}"
    );
    assert!(
        differences
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["difference"] == "differs"),
        "{differences}"
    );
    let (code, out) = verify_against(source, target, &[]);
    assert_eq!(code, 6, "{out}");

    let (code, _, err) = copy(source, target, &["--on-conflict", "fail"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--on-conflict fail"), "{err}");
    assert_eq!(state_of(target, 2), json!("the target's own"));

    let overwritten = copy_json(source, target, &["--on-conflict", "overwrite"], 0);
    assert_eq!(overwritten["problem_count"], 0);
    assert_eq!(state_of(target, 2), state_of(source, 2));
    assert_eq!(item_value(target, "acme", "other", "k"), json!("x"));
    assert_eq!(verify_against(source, target, &[]).0, 0);
}

fn move_deletes_only_verified_threads_and_keeps_store_items(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    let mut differing = DumpText::new();
    differing.checkpoint(T2, 5, None, 0, json!("the target's own"));
    seed::import(target, &differing.finish());
    source.ok(&[
        "--tenant", "acme", "events", "append", "log-only", "--event", "1",
    ]);

    let (code, _, err) = copy(source, target, &["--move"]);
    assert_eq!(code, 2, "without --yes off a terminal: {err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(
        source.ok(&["threads", "-A", "-o", "jsonl"]).lines().count(),
        3
    );

    let moved = copy_json(source, target, &["--move", "--yes"], 6);
    assert_eq!(
        moved["moved"], 3,
        "two threads and one log without checkpoints"
    );
    let tail = [
        "--tenant", "acme", "events", "tail", "log-only", "-o", "jsonl",
    ];
    assert_eq!(source.ok(&tail), "", "the moved log leaves the source");
    assert_eq!(target.ok(&tail).lines().count(), 1, "{moved}");
    let left: Vec<Value> = source.jsonl(&["threads", "-A", "-o", "jsonl"]);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(
        (left[0]["tenant_id"].as_str(), left[0]["thread_id"].as_str()),
        (Some("acme"), Some("t2"))
    );
    for (tenant, thread) in [T1, AWKWARD] {
        source.fails(&["--tenant", tenant, "history", thread], 3);
        target.ok(&["--tenant", tenant, "history", thread]);
    }
    assert_eq!(
        source.ok(&["--tenant", "acme", "events", "tail", "t1", "-o", "jsonl"]),
        "",
        "a moved thread's log leaves the source too"
    );
    // Store items are not threads: they stay in the source.
    for env in [source, target] {
        assert_eq!(
            item_value(env, "acme", "agent:notes", "k2"),
            json!({"v": 2})
        );
    }
}

fn selections_copy_only_what_they_name(source: &Env, first: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    let threads_of = |env: &Env| -> Vec<(String, String)> {
        env.jsonl(&["threads", "-A", "-o", "jsonl"])
            .iter()
            .map(|t| {
                (
                    t["tenant_id"].as_str().unwrap().into(),
                    t["thread_id"].as_str().unwrap().into(),
                )
            })
            .collect()
    };

    let summary = copy_json(
        source,
        first,
        &["--tenants", "ac*", "--no-events", "--namespace", "agent"],
        0,
    );
    assert_eq!(summary["threads"], 2);
    assert_eq!(
        threads_of(first),
        [("acme".into(), "t1".into()), ("acme".into(), "t2".into())]
    );
    assert_eq!(
        first.ok(&["--tenant", "acme", "events", "tail", "t1", "-o", "jsonl"]),
        ""
    );
    assert_eq!(
        first
            .ok(&["--tenant", "acme", "history", "t1", "-o", "jsonl"])
            .lines()
            .count(),
        4
    );
    first.ok(&["--tenant", "acme", "store", "get", "agent:notes", "k1"]);
    first.fails(&["--tenant", "acme", "store", "get", "other", "k"], 3);
    first.fails(&["--tenant", "a:b", "store", "get", "ns", "ключ"], 3);

    let second = Env::new(first.kind());
    let summary = copy_json(source, &second, &["--thread", "t*", "--no-store"], 0);
    assert_eq!(summary["records"], 4 + 1 + 3 + 1 + 2);
    assert_eq!(
        threads_of(&second),
        [("acme".into(), "t1".into()), ("acme".into(), "t2".into())]
    );
    assert_eq!(thread_content(&second, T1), thread_content(source, T1));
    second.fails(
        &["--tenant", "acme", "store", "get", "agent:notes", "k2"],
        3,
    );
    let (code, out) = verify_against(source, &second, &["--thread", "t*", "--no-store"]);
    assert_eq!(code, 0, "{out}");

    // Every seeded thread was last written on 2026-11-01.
    let third = Env::new(first.kind());
    let later = ["--since", "2026-11-02T00:00:00Z", "--no-store"];
    assert_eq!(copy_json(source, &third, &later, 0)["threads"], 0);
    assert!(threads_of(&third).is_empty());
    let earlier = ["--until", "2026-11-02T00:00:00Z", "--no-store"];
    assert_eq!(copy_json(source, &third, &earlier, 0)["threads"], 3);
    assert_eq!(threads_of(&third).len(), 3);
}

/// `verify --against` compares what the `--url` store's selection holds:
/// a thread only the other store has is not looked for (compare the other
/// way round to find those), while extra records of a compared thread and
/// extra items of a compared tenant are differences.
fn verify_against_looks_only_at_the_url_stores_selection(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    assert_eq!(copy(source, target, &[]).0, 0);
    target.ok(&["--tenant", "acme", "put", "only-here", "--state", "1"]);
    target.ok(&["--tenant", "elsewhere", "store", "put", "ns", "k", "1"]);
    let (code, out) = verify_against(source, target, &[]);
    assert_eq!(code, 0, "{out}");

    let (code, out) = verify_against(target, source, &["-o", "json"]);
    assert_eq!(code, 6, "{out}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let mut found: Vec<(String, String)> = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["record"].as_str().unwrap().into(),
                d["difference"].as_str().unwrap().into(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].0.contains("acme/only-here") && found[0].1 == "missing_in_target",
        "{found:?}"
    );
    assert!(
        found[1].0.contains("elsewhere") && found[1].1 == "missing_in_target",
        "{found:?}"
    );

    target.ok(&["--tenant", "acme", "events", "append", "t2", "--event", "3"]);
    target.ok(&["--tenant", "acme", "store", "put", "other", "extra", "1"]);
    let (code, out) = verify_against(source, target, &["-o", "json"]);
    assert_eq!(code, 6, "{out}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let kinds: Vec<&str> = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["difference"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"only_in_target"), "{doc}");
    assert_eq!(doc["identical"], false);
}

fn verify_against_compares_logs_of_threads_without_checkpoints(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    assert_eq!(copy(source, target, &[]).0, 0);
    source.ok(&[
        "--tenant", "acme", "events", "append", "log-only", "--event", "1",
    ]);
    let (code, out) = verify_against(source, target, &["-o", "json"]);
    assert_eq!(code, 6, "{out}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let differences = doc["differences"].as_array().unwrap();
    assert!(
        differences.iter().any(|d| {
            d["record"].as_str().unwrap().contains("acme/log-only")
                && d["difference"] == "missing_in_target"
        }),
        "{doc}"
    );
    assert_eq!(copy(source, target, &[]).0, 0);
    let (code, out) = verify_against(source, target, &[]);
    assert_eq!(code, 0, "{out}");
}

on_every_backend!(crate::copy::into =>
    conflicts_are_skipped_reported_failed_or_overwritten,
    move_deletes_only_verified_threads_and_keeps_store_items,
    selections_copy_only_what_they_name,
    verify_against_looks_only_at_the_url_stores_selection,
    verify_against_compares_logs_of_threads_without_checkpoints,
    copies_write_at_the_targets_version,
);

/// Runs `case` with a Redis source holding the data the reference itself
/// wrote, and a fresh target of `kind`.
fn from_reference_redis(kind: BackendKind, case: fn(&Env, &Env)) {
    let source = Env::new(BackendKind::Redis);
    let TestStore::Redis(db) = &source.store else {
        unreachable!("a Redis store")
    };
    reference::load_redis(db);
    case(&source, &Env::new(kind));
}

/// The reference's data copied into a fresh (version 1) store is stored
/// at version 1, and reads back as the reference itself read it; into
/// Postgres its nanosecond timestamps need `--allow-lossy`.
fn reference_data_copies_at_version_1_and_reads_as_the_reference_read_it(
    source: &Env,
    target: &Env,
) {
    if target.kind() == BackendKind::Postgres {
        // The reference stamped its forks with nanoseconds; Postgres keeps
        // microseconds: those records go only when truncating is allowed.
        let (code, out, err) = copy(source, target, &[]);
        assert_eq!(code, 5, "{out}{err}");
        assert_eq!(out.matches("timestamp has nanoseconds").count(), 9, "{out}");
        let (code, out, err) = copy(source, target, &["--allow-lossy"]);
        assert_eq!(code, 0, "{out}{err}");
    } else {
        let (code, out, err) = copy(source, target, &["--verify"]);
        assert_eq!(code, 0, "{out}{err}");
    }
    let status = target.json(&["-o", "json", "migrate", "status"]);
    assert_eq!(status["records"]["by_version"]["1"], 54, "{status}");
    assert!(
        status["records"]["by_version"]["2"].as_u64().unwrap_or(0) == 0,
        "{status}"
    );
    crate::migrate::check_reference_histories(target.url(), "redis");
}

#[test]
fn reference_data_copies_into_sqlite_at_version_1() {
    from_reference_redis(
        BackendKind::Sqlite,
        reference_data_copies_at_version_1_and_reads_as_the_reference_read_it,
    );
}

#[test]
fn reference_data_copies_into_postgres_at_version_1() {
    from_reference_redis(
        BackendKind::Postgres,
        reference_data_copies_at_version_1_and_reads_as_the_reference_read_it,
    );
}

#[test]
fn reference_data_copies_into_redis_at_version_1() {
    from_reference_redis(
        BackendKind::Redis,
        reference_data_copies_at_version_1_and_reads_as_the_reference_read_it,
    );
}

/// A version-2 record with metadata into a version-1 target is refused
/// unless `--allow-lossy`; version 1 into a version-2 target upgrades.
fn copies_write_at_the_targets_version(source: &Env, target: &Env) {
    source.set_write_version(EnvelopeVersion::V2);
    let id = source.put("t1", r#"{"n": 1}"#);
    target.ok(&["migrate", "schema"]);

    let (code, out, err) = copy(source, target, &[]);
    assert_eq!(code, 5, "{out}{err}");
    assert!(out.contains("--allow-lossy"), "{out}");
    let listed = target.json(&["-o", "json", "threads"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");

    let (code, out, err) = copy(source, target, &["--allow-lossy"]);
    assert_eq!(code, 0, "{out}{err}");
    let copied = target.json(&["-o", "json", "show", "t1", id.trim()]);
    assert_eq!(copied["schema_version"], 1, "{copied}");
    assert_eq!(copied["state"], json!({"n": 1}));

    // Back the other way, into a store now written at version 2.
    let upgraded = Env::new(target.kind());
    upgraded.ok(&["migrate", "schema"]);
    upgraded.set_write_version(EnvelopeVersion::V2);
    let (code, out, err) = copy(target, &upgraded, &["--verify"]);
    assert_eq!(code, 0, "{out}{err}");
    let copied = upgraded.json(&["-o", "json", "show", "t1", id.trim()]);
    assert_eq!(copied["schema_version"], 2, "{copied}");
    assert_eq!(copied["state"], json!({"n": 1}));
}
