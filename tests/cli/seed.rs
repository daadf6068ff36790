//! Stores seeded through `threadctl import`: dumps written by the tests
//! (docs/dump-format.md), so that a store with forks, archived logs,
//! TTL'd items and awkward ids, or with hundreds of threads, is one
//! process away; and the helpers that compare two stores through their
//! exports.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{json, Value};

use crate::env::Env;

/// A dump being written line by line; [`DumpText::finish`] adds the end
/// line with the counts.
pub struct DumpText {
    lines: Vec<String>,
    counts: BTreeMap<&'static str, u64>,
}

impl DumpText {
    /// A dump with only its header.
    pub fn new() -> Self {
        let header = json!({
            "type": "header", "format": "threadctl-dump", "version": "1.0",
            "source": "sqlite", "written_at": "2026-11-30T12:00:00Z",
            "writer": "threadctl tests", "selection": {},
        });
        Self {
            lines: vec![header.to_string()],
            counts: BTreeMap::new(),
        }
    }

    fn push(&mut self, kind: &'static str, mut line: Value) -> &mut Self {
        line["type"] = json!(kind);
        self.lines.push(line.to_string());
        *self.counts.entry(kind).or_default() += 1;
        self
    }

    /// A version-1 checkpoint `cp(id)` of `tenant/thread`, written at a
    /// fixed time that depends on its step.
    pub fn checkpoint(
        &mut self,
        (tenant, thread): (&str, &str),
        id: u32,
        parent: Option<u32>,
        step: u64,
        state: Value,
    ) -> &mut Self {
        self.push(
            "checkpoint",
            json!({
                "tenant_id": tenant, "thread_id": thread, "id": cp(id),
                "parent_id": parent.map(cp), "step": step, "state": state,
                "next_node": if step == 0 { Value::Null } else { json!("node ☃") },
                "timestamp": format!("2026-11-01T10:00:{:02}.123456Z", step % 60),
                "schema_version": 1, "metadata": {},
            }),
        )
    }

    /// `tenant/thread`'s archive watermark.
    pub fn watermark(&mut self, (tenant, thread): (&str, &str), watermark: u64) -> &mut Self {
        self.push(
            "watermark",
            json!({"tenant_id": tenant, "thread_id": thread, "watermark": watermark}),
        )
    }

    /// Events `from..=through` of `tenant/thread`, each [`event`]`(n)`.
    pub fn events(&mut self, (tenant, thread): (&str, &str), from: u64, through: u64) -> &mut Self {
        for n in from..=through {
            self.push(
                "event",
                json!({"tenant_id": tenant, "thread_id": thread, "ordinal": n, "event": event(n)}),
            );
        }
        self
    }

    /// A store item of `tenant` in the namespace `scope`.
    pub fn item(
        &mut self,
        tenant: &str,
        scope: &[&str],
        key: &str,
        value: Value,
        expires_at: Option<DateTime<Utc>>,
    ) -> &mut Self {
        self.push(
            "item",
            json!({
                "tenant_id": tenant, "namespace": scope, "key": key, "value": value,
                "expires_at": expires_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            }),
        )
    }

    /// The whole dump, end line included.
    pub fn finish(&self) -> String {
        let end = json!({"type": "end", "counts": self.counts});
        let mut text = self.lines.join("\n");
        text.push('\n');
        text.push_str(&end.to_string());
        text.push('\n');
        text
    }
}

/// The id of checkpoint number `n` of a seeded store.
pub fn cp(n: u32) -> String {
    format!("00000000-0000-7000-8000-{n:012}")
}

/// Event number `n` of a seeded log.
pub fn event(n: u64) -> Value {
    json!({"n": n, "text": "é ☃"})
}

/// `acme/t1`: a fork and a log archived through 2 (events 3..=5 left).
pub const T1: (&str, &str) = ("acme", "t1");
/// `acme/t2`: one checkpoint, events 1..=2.
pub const T2: (&str, &str) = ("acme", "t2");
/// A tenant with `:` and a unicode thread: one checkpoint, one event.
pub const AWKWARD: (&str, &str) = ("a:b", "ünï ☃");

/// An hour from now, to the millisecond (every backend holds that much).
pub fn in_an_hour() -> DateTime<Utc> {
    (Utc::now() + chrono::Duration::hours(1)).trunc_subsecs(3)
}

/// The store every copy and dump test starts from: forks ([`T1`]), an
/// archived log, a thread of a tenant with `:` and unicode ([`AWKWARD`]),
/// and store items in nested namespaces, one with a TTL.
pub fn awkward_store() -> DumpText {
    let mut dump = DumpText::new();
    dump.checkpoint(T1, 1, None, 0, json!({"messages": []}))
        .checkpoint(T1, 2, Some(1), 1, json!({"messages": ["hi"]}))
        .checkpoint(T1, 3, Some(1), 1, json!({"messages": ["fork"]}))
        .checkpoint(T1, 4, Some(2), 2, json!({"messages": ["hi", "there"]}))
        .watermark(T1, 2)
        .events(T1, 3, 5)
        .checkpoint(T2, 5, None, 0, json!(7))
        .events(T2, 1, 2)
        .checkpoint(AWKWARD, 6, None, 0, json!({"ключ": "значение ☃"}))
        .events(AWKWARD, 1, 1)
        .item(
            "acme",
            &["agent", "notes"],
            "k1",
            json!({"v": 1}),
            Some(in_an_hour()),
        )
        .item("acme", &["agent", "notes"], "k2", json!({"v": 2}), None)
        .item("acme", &["other"], "k", json!("x"), None)
        .item("a:b", &["ns"], "ключ", json!([1, 2]), None);
    dump
}

/// Records in [`awkward_store`]: 6 checkpoints, 1 watermark, 6 events, 4 items.
pub const AWKWARD_RECORDS: u64 = 17;

/// Imports `dump` into `env`'s store (creating it), asserting success.
pub fn import(env: &Env, dump: &str) {
    let output = env
        .cmd()
        .arg("import")
        .write_stdin(dump.to_string())
        .output()
        .expect("run threadctl import");
    assert!(
        output.status.success(),
        "seeding import failed with {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The record lines of `env`'s export (header dropped), each with its
/// object keys sorted, and sorted: equal for two stores that hold the same
/// records, whatever order their listings return them in and whatever
/// order their JSON columns keep keys in (Postgres' jsonb has its own).
pub fn exported_records(env: &Env) -> Vec<String> {
    let dump = env.ok(&["export"]);
    let mut lines: Vec<String> = dump
        .lines()
        .skip(1)
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("a dump line is JSON ({e}): {line}"));
            keys_sorted(&value).to_string()
        })
        .collect();
    assert!(
        lines.last().is_some_and(|l| l.starts_with(r#"{"counts""#)),
        "{dump}"
    );
    lines.sort();
    lines
}

/// `value` with the keys of every object in it sorted.
fn keys_sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), keys_sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(keys_sorted).collect()),
        other => other.clone(),
    }
}

/// The tenant of [`many_threads`].
pub const BULK_TENANT: &str = "bulk";

/// The name of thread number `i` of [`many_threads`].
pub fn bulk_thread(i: u32) -> String {
    format!("thread-{i:04}")
}

/// Records per thread of [`many_threads`].
pub const RECORDS_PER_BULK_THREAD: u64 = 8;

/// `count` threads of [`BULK_TENANT`], each with three checkpoints and a
/// log archived through 1 (events 2..=5 left).
pub fn many_threads(count: u32) -> DumpText {
    let mut dump = DumpText::new();
    for i in 0..count {
        let name = bulk_thread(i);
        let thread = (BULK_TENANT, name.as_str());
        let first = i * 3 + 1;
        dump.checkpoint(thread, first, None, 0, json!({"thread": i}))
            .checkpoint(
                thread,
                first + 1,
                Some(first),
                1,
                json!({"thread": i, "step": 1}),
            )
            .checkpoint(
                thread,
                first + 2,
                Some(first + 1),
                2,
                json!({"thread": i, "step": 2}),
            )
            .watermark(thread, 1)
            .events(thread, 2, 5);
    }
    dump
}
