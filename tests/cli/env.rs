//! What every CLI test uses: [`Env`], an isolated store and the binary
//! pointed at it, with helpers to run commands and damage records; the
//! runner of `on_every_backend!`; and the checkpoint record's JSON layout.

use std::future::Future;

use assert_cmd::Command;
use serde_json::Value;
use threadctl::{BackendKind, EnvelopeVersion};

use crate::common::{self, TestStore};

/// Runs `case` on a fresh isolated store of `kind` (the runner of
/// `on_every_backend!`).
pub fn run(kind: BackendKind, case: fn(&Env)) {
    case(&Env::new(kind));
}

/// Runs `case` on a fresh isolated source store of `from` and target
/// store of `to` (the runner of `on_every_pair!`).
pub fn run_pair(from: BackendKind, to: BackendKind, case: fn(&Env, &Env)) {
    case(&Env::new(from), &Env::new(to));
}

/// Instantiates each listed case once per (source, target) pair of
/// backends, nine in all: `mod from_sqlite { mod to_postgres { #[test]
/// fn CASE } … }` and so on, each calling `RUNNER(from, to, CASE)` (see
/// [`run_pair`]). Run one pair with `cargo test --test cli
/// from_redis::to_sqlite`.
macro_rules! on_every_pair {
    ($runner:path => $($case:ident),+ $(,)?) => {
        on_every_pair!(@from from_sqlite, Sqlite, $runner => $($case),+);
        on_every_pair!(@from from_postgres, Postgres, $runner => $($case),+);
        on_every_pair!(@from from_redis, Redis, $runner => $($case),+);
    };
    (@from $module:ident, $from:ident, $runner:path => $($case:ident),+) => {
        mod $module {
            on_every_pair!(@to to_sqlite, $from, Sqlite, $runner => $($case),+);
            on_every_pair!(@to to_postgres, $from, Postgres, $runner => $($case),+);
            on_every_pair!(@to to_redis, $from, Redis, $runner => $($case),+);
        }
    };
    (@to $module:ident, $from:ident, $to:ident, $runner:path => $($case:ident),+) => {
        mod $module {
            $(
                #[test]
                fn $case() {
                    $runner(
                        threadctl::BackendKind::$from,
                        threadctl::BackendKind::$to,
                        super::super::$case,
                    )
                }
            )+
        }
    };
}

/// A store plus helpers to run the binary against it.
pub struct Env {
    /// The store the commands address.
    pub store: TestStore,
}

impl Env {
    /// A fresh, empty store of `kind`.
    pub fn new(kind: BackendKind) -> Self {
        Self {
            store: TestStore::new(kind),
        }
    }

    /// The store's URL.
    pub fn url(&self) -> &str {
        self.store.url()
    }

    /// The store's kind.
    pub fn kind(&self) -> BackendKind {
        self.store.kind()
    }

    /// The binary with a clean environment, pointed at this store.
    pub fn cmd(&self) -> Command {
        let mut cmd = bin();
        cmd.arg("--url").arg(self.url());
        cmd
    }

    /// Runs `args`, asserts success and an empty stderr, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
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
    pub fn fails(&self, args: &[&str], code: i32) -> (String, String) {
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
    pub fn put(&self, thread: &str, state: &str) -> String {
        self.ok(&["put", thread, "--state", state])
            .trim()
            .to_string()
    }

    /// Parses the stdout of `args` as one JSON document.
    pub fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed non-JSON ({e}): {stdout}"))
    }

    /// Parses the stdout of `args` as JSON lines.
    pub fn jsonl(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}"))
            })
            .collect()
    }

    /// Replaces the stored record `id` of `tenant/thread` with a broken
    /// one, the way each backend stores it.
    pub fn corrupt(&self, tenant: &str, thread: &str, id: &str, damage: Damage) {
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
            Damage::State(state) => (
                format!(r#"{{"schema_version": 1, "state": {state}}}"#),
                format!(
                    r#"{{"schema_version": 1, "body": {{"id": "{id}", "tenant_id": "{tenant}", "thread_id": "{thread}", "parent_id": null, "step": 0, "state": {state}, "next_node": null, "timestamp": "2026-11-25T16:40:27Z"}}}}"#
                ),
            ),
        };
        match &self.store {
            TestStore::Sqlite(file) => sqlite_exec(
                &file.url,
                format!(
                    "UPDATE checkpoints SET state = '{column}' \
                     WHERE tenant_id = '{tenant}' AND thread_id = '{thread}' AND id = '{id}'"
                ),
            ),
            TestStore::Postgres(schema) => common::pg_admin_exec(vec![format!(
                "UPDATE {}.checkpoints SET state = '{column}'::jsonb \
                 WHERE tenant_id = '{tenant}' AND thread_id = '{thread}' AND id = '{id}'",
                schema.schema
            )]),
            TestStore::Redis(db) => {
                let _: () = ::redis::cmd("HSET")
                    .arg(format!("entelix:cp:{tenant}:{thread}:byid"))
                    .arg(id)
                    .arg(document)
                    .query(&mut db.connection())
                    .expect("HSET broken envelope");
            }
        }
    }

    /// Opens the store through the library and runs `work` on it, the way
    /// a service sharing the store would write.
    pub fn with_library<T, F>(
        &self,
        work: impl FnOnce(threadctl::Backend) -> F + Send + 'static,
    ) -> T
    where
        F: Future<Output = T>,
        T: Send + 'static,
    {
        let url = self.url().to_string();
        block_on(move || async move {
            let backend = threadctl::Backend::open(&url).await.expect("open store");
            work(backend).await
        })
    }

    /// Sets the store's envelope write version through the library, the
    /// way an envelope migration leaves a migrated store.
    pub fn set_write_version(&self, version: EnvelopeVersion) {
        self.with_library(move |backend| async move {
            use threadctl::backend::WriteVersionAdmin;
            backend
                .set_write_version(version)
                .await
                .expect("set write version");
        });
    }
}

/// How [`Env::corrupt`] breaks a record.
#[derive(Clone)]
pub enum Damage {
    /// The envelope lacks its state (or body fields): a corrupt record.
    MissingState,
    /// The envelope claims a schema version this build does not read.
    FutureVersion,
    /// A v1 envelope holding this raw JSON text as its state, as another
    /// program might write it (nested too deep, numbers out of range).
    State(String),
}

/// The caller's variables that would change what the binary does.
const CALLER_VARIABLES: [&str; 4] = [
    "THREADCTL_URL",
    "THREADCTL_TENANT",
    "THREADCTL_LOG",
    "COLUMNS",
];

/// The binary with no THREADCTL_* variables from the caller's environment.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("threadctl").expect("threadctl binary");
    for var in CALLER_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// [`bin`] as a plain process, for tests that pipe, interrupt or kill it.
pub fn process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("threadctl"));
    for var in CALLER_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs the future `work` makes to completion on a runtime and a thread
/// of its own, so that the synchronous CLI tests can also drive async
/// clients.
pub fn block_on<T, F>(work: impl FnOnce() -> F + Send + 'static) -> T
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work())
    })
    .join()
    .expect("async test thread")
}

/// Runs one SQL statement on a SQLite file.
pub fn sqlite_exec(url: &str, statement: String) {
    let url = url.to_string();
    block_on(move || async move {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("open sqlite");
        sqlx::raw_sql(&statement)
            .execute(&mut conn)
            .await
            .expect("sqlite statement");
    });
}

/// The ids listed by `history THREAD -o jsonl`, newest first.
pub fn history_ids(env: &Env, thread: &str) -> Vec<String> {
    env.jsonl(&["history", thread, "-o", "jsonl"])
        .iter()
        .map(|cp| cp["id"].as_str().expect("id").to_string())
        .collect()
}

/// The keys of a checkpoint record as `-o json` prints it, in order; a v2
/// record adds [`V2_RECORD_KEYS`].
const RECORD_KEYS: [&str; 9] = [
    "id",
    "tenant_id",
    "thread_id",
    "parent_id",
    "step",
    "state",
    "next_node",
    "timestamp",
    "schema_version",
];

/// The keys a v2 record has after [`RECORD_KEYS`].
const V2_RECORD_KEYS: [&str; 2] = ["metadata", "checksum"];

/// Asserts that `record` has exactly the keys of a checkpoint record at
/// `version`, in their documented order.
pub fn assert_record_layout(record: &Value, version: EnvelopeVersion) {
    let keys: Vec<&str> = record
        .as_object()
        .unwrap_or_else(|| panic!("a record is a JSON object: {record}"))
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = RECORD_KEYS.to_vec();
    if version == EnvelopeVersion::V2 {
        expected.extend(V2_RECORD_KEYS);
    }
    assert_eq!(keys, expected, "{record}");
}
