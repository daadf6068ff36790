//! `export` and `import`: a round trip gives back the same dump
//! (docs/dump-format.md says exactly what may differ), a pipe carries a
//! store from any backend to any other, importing twice changes nothing,
//! a damaged stream imports what came before it, and a dry run needs an
//! existing store.

use std::process::Stdio;

use serde_json::{json, Value};
use threadctl::BackendKind;

use crate::copy::verify_against;
use crate::env::{process, Env};
use crate::seed::{self, AWKWARD_RECORDS, T1};

/// `import ARGS…` with `dump` on stdin: (exit code, stdout, stderr).
fn import(env: &Env, dump: &str, args: &[&str]) -> (i32, String, String) {
    let output = env
        .cmd()
        .arg("import")
        .args(args)
        .write_stdin(dump.to_string())
        .output()
        .expect("run threadctl import");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).to_string(),
        stderr,
    )
}

/// The header of a dump without its `written_at`, and its other lines.
fn split_dump(dump: &str) -> (Value, Vec<&str>) {
    let mut lines = dump.lines();
    let mut header: Value = serde_json::from_str(lines.next().expect("a header")).expect("JSON");
    assert!(header["written_at"].is_string(), "{header}");
    header["written_at"] = Value::Null;
    (header, lines.collect())
}

fn a_round_trip_gives_back_the_same_dump(first: &Env) {
    let second = Env::new(first.kind());
    for env in [first, &second] {
        env.ok(&["migrate", "run", "--to", "2", "--yes"]);
    }
    seed::import(first, &seed::awkward_store().finish());
    first.ok(&[
        "--tenant",
        "acme",
        "put",
        "t1",
        "--state",
        "{\"v2\":true}",
        "--metadata",
        "{\"who\":\"ünï\"}",
    ]);
    let exported = first.ok(&["export"]);
    let (code, _, err) = import(&second, &exported, &[]);
    assert_eq!(code, 0, "{err}");
    let again = second.ok(&["export"]);

    let (header, records) = split_dump(&exported);
    let (header_again, records_again) = split_dump(&again);
    assert_eq!(header, header_again, "headers differ beyond written_at");
    assert_eq!(records.len(), AWKWARD_RECORDS as usize + 2, "{exported}");
    if first.kind() == BackendKind::Redis {
        // Threads and items come in SCAN order, which follows the server's
        // hash table rather than the data: equal as sets of lines.
        let (mut records, mut records_again) = (records.clone(), records_again);
        records.sort_unstable();
        records_again.sort_unstable();
        assert_eq!(records, records_again);
    } else {
        assert_eq!(records, records_again, "the dumps differ beyond the header");
    }

    let (code, out, err) = import(&second, &exported, &["-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(report["written"], 0, "importing twice wrote: {report}");
    assert_eq!(report["unchanged"], AWKWARD_RECORDS + 1, "{report}");
    assert_eq!(report["complete"], true);
    let exported_twice = second.ok(&["export"]);
    let (_, mut twice) = split_dump(&exported_twice);
    let mut once = records.clone();
    twice.sort_unstable();
    once.sort_unstable();
    assert_eq!(twice, once, "importing twice changed the store");
}

fn import_selects_which_records_of_the_dump_land(env: &Env) {
    let dump = seed::awkward_store().finish();
    let (code, out, err) = import(
        env,
        &dump,
        &[
            "--tenants",
            "acme",
            "--thread",
            "t1",
            "--no-store",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(report["threads"], 1, "{report}");
    assert_eq!(report["records"], 4 + 1 + 3, "{report}");
    assert_eq!(report["unselected"], AWKWARD_RECORDS - 8, "{report}");
    let threads = env.jsonl(&["threads", "-A", "-o", "jsonl"]);
    assert_eq!(threads.len(), 1, "{threads:?}");
    assert_eq!(threads[0]["thread_id"], "t1");
    env.fails(&["--tenant", "acme", "store", "get", "other", "k"], 3);
    let (code, _, err) = import(env, &dump, &["--since", "1d"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("select them when exporting"), "{err}");
}

fn a_truncated_dump_imports_what_came_before_and_exits_5(env: &Env) {
    let dump = seed::awkward_store().finish();
    let cut: Vec<&str> = dump.lines().collect();
    let truncated = cut[..cut.len() - 1].join("\n");
    let (code, _, err) = import(env, &truncated, &[]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("truncated"), "{err}");
    let history = env.ok(&["--tenant", "acme", "history", "t1", "-o", "jsonl"]);
    assert_eq!(
        history.lines().count(),
        4,
        "the records before the cut landed"
    );
    let (code, _, err) = import(env, &dump, &[]);
    assert_eq!(code, 0, "importing the whole dump finishes the job: {err}");
}

fn a_dry_run_needs_an_existing_store_and_writes_nothing(env: &Env) {
    let dump = seed::awkward_store().finish();
    if env.kind() != BackendKind::Redis {
        let (code, _, err) = import(env, &dump, &["--dry-run"]);
        assert_eq!(code, 3, "{err}");
        assert!(err.contains("migrate schema"), "{err}");
        assert!(err.contains("--dry-run"), "{err}");
        env.ok(&["migrate", "schema"]);
    }
    let (code, _, err) = import(env, &dump, &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "would import {AWKWARD_RECORDS} record(s) of 3 thread(s)"
        )),
        "{err}"
    );
    assert_eq!(
        split_dump(&env.ok(&["export"])).1.len(),
        1,
        "a dry run wrote"
    );
}

on_every_backend!(crate::env::run =>
    a_round_trip_gives_back_the_same_dump,
    import_selects_which_records_of_the_dump_land,
    a_truncated_dump_imports_what_came_before_and_exits_5,
    a_dry_run_needs_an_existing_store_and_writes_nothing,
);

/// `threadctl --url SOURCE export | threadctl --url TARGET import`.
fn pipe(source: &Env, target: &Env) {
    let mut export = process()
        .args(["--url", source.url(), "export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start export");
    let import = process()
        .args(["--url", target.url(), "import"])
        .stdin(export.stdout.take().expect("export's stdout"))
        .output()
        .expect("run import");
    let exported = export.wait_with_output().expect("export ends");
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

fn a_pipe_carries_a_store_to_any_backend(source: &Env, target: &Env) {
    seed::import(source, &seed::awkward_store().finish());
    pipe(source, target);
    let (code, out) = verify_against(source, target, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        seed::exported_records(target),
        seed::exported_records(source)
    );
    let next = target.ok(&["--tenant", T1.0, "events", "append", T1.1, "--event", "{}"]);
    assert_eq!(next.trim(), "6");
    assert_eq!(
        target.json(&["--tenant", "a:b", "store", "get", "ns", "ключ", "-o", "json"])["value"],
        json!([1, 2])
    );
}

on_every_pair!(crate::env::run_pair => a_pipe_carries_a_store_to_any_backend);
