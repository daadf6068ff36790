//! Shared test fixtures: an isolated Postgres schema, a leased Redis logical
//! database and a temporary SQLite file, each cleaned up on drop; a
//! [`TestStore`] of any backend kind; and [`on_every_backend!`], the one way
//! a suite runs a case on every backend.
#![allow(dead_code, unused_macros)]

pub mod reference;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use threadctl::BackendKind;

/// Instantiates each listed case once per backend: expands to `mod sqlite`,
/// `mod postgres` and `mod redis`, each holding one `#[test]` per case,
/// named after it, that calls `RUNNER(kind, super::CASE)`. `RUNNER` is an
/// absolute path (`crate::…`) to the suite's function that sets up a fresh
/// isolated store of `kind` and runs the case on it; the cases are
/// functions of the invoking module. Run one backend with
/// `cargo test --test SUITE sqlite` (or `postgres`, `redis`).
macro_rules! on_every_backend {
    ($runner:path => $($case:ident),+ $(,)?) => {
        on_every_backend!(@one sqlite, Sqlite, $runner => $($case),+);
        on_every_backend!(@one postgres, Postgres, $runner => $($case),+);
        on_every_backend!(@one redis, Redis, $runner => $($case),+);
    };
    (@one $module:ident, $kind:ident, $runner:path => $($case:ident),+) => {
        mod $module {
            $(
                #[test]
                fn $case() {
                    $runner(threadctl::BackendKind::$kind, super::$case)
                }
            )+
        }
    };
}

/// Base Postgres URL of the test server (`THREADCTL_TEST_PG` overrides).
pub fn pg_base_url() -> String {
    std::env::var("THREADCTL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Base Redis URL of the test server (`THREADCTL_TEST_REDIS` overrides).
pub fn redis_base_url() -> String {
    std::env::var("THREADCTL_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_string())
}

fn unique_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

/// Runs `sql` statements on the test server from a fresh thread and runtime
/// (usable from `Drop` and from inside async tests).
pub fn pg_admin_exec(statements: Vec<String>) {
    let url = pg_base_url();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("connect to test Postgres");
            for statement in statements {
                sqlx::raw_sql(&statement)
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
            }
        })
    })
    .join()
    .expect("admin thread");
}

/// A Postgres schema of its own; the URL selects it via `search_path`.
pub struct PgSchema {
    /// Schema name.
    pub schema: String,
    /// URL whose connections use only this schema.
    pub url: String,
}

impl PgSchema {
    /// Creates a fresh, empty schema.
    pub fn new() -> Self {
        let schema = format!("tc_test_{}", unique_suffix());
        pg_admin_exec(vec![format!("CREATE SCHEMA {schema}")]);
        let url = url_with_search_path(&pg_base_url(), &schema);
        Self { schema, url }
    }

    /// The same schema reached as another role (`user` with trust auth).
    pub fn url_as(&self, user: &str) -> String {
        let base = pg_base_url();
        let mut parsed = url::Url::parse(&base).expect("base url");
        parsed.set_username(user).expect("username");
        url_with_search_path(parsed.as_str(), &self.schema)
    }
}

fn url_with_search_path(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        pg_admin_exec(vec![format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            self.schema
        )]);
    }
}

/// A login role of its own that is neither superuser nor BYPASSRLS.
pub struct PgRole {
    /// Role name.
    pub name: String,
}

impl PgRole {
    /// Creates the role and lets it use `schema`'s tables.
    pub fn restricted(schema: &PgSchema) -> Self {
        let name = format!("tc_role_{}", unique_suffix());
        let s = &schema.schema;
        pg_admin_exec(vec![
            format!("CREATE ROLE {name} LOGIN NOSUPERUSER NOBYPASSRLS"),
            format!("GRANT USAGE ON SCHEMA {s} TO {name}"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {name}"),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {name}"),
            format!("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {s} TO {name}"),
        ]);
        Self { name }
    }

    /// Creates the role and grants it, in `schema`, only what a service of
    /// the reference needs: usage of the schema and SELECT, INSERT, UPDATE,
    /// DELETE on each of `tables` (no CREATE, nothing on other tables).
    pub fn on_tables(schema: &PgSchema, tables: &[&str]) -> Self {
        let name = format!("tc_role_{}", unique_suffix());
        let s = &schema.schema;
        let mut statements = vec![
            format!("CREATE ROLE {name} LOGIN NOSUPERUSER NOBYPASSRLS"),
            format!("GRANT USAGE ON SCHEMA {s} TO {name}"),
        ];
        statements.extend(
            tables.iter().map(|table| {
                format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{table} TO {name}")
            }),
        );
        pg_admin_exec(statements);
        Self { name }
    }
}

impl Drop for PgRole {
    fn drop(&mut self) {
        pg_admin_exec(vec![
            format!("DROP OWNED BY {} CASCADE", self.name),
            format!("DROP ROLE IF EXISTS {}", self.name),
        ]);
    }
}

/// A Redis logical database leased for one test (1..=15), flushed before
/// and after use. Leases live in db 0 and expire if a test process dies.
pub struct RedisDb {
    /// Database number.
    pub db: u8,
    /// URL selecting it.
    pub url: String,
    lease: String,
    token: String,
}

impl RedisDb {
    /// Waits for a free database and leases it.
    pub fn new() -> Self {
        let client = redis::Client::open(redis_base_url()).expect("redis url");
        let mut conn = client.get_connection().expect("connect to test Redis");
        let token = unique_suffix();
        for attempt in 0.. {
            for db in 1..=15u8 {
                let lease = format!("threadctl-test:lease:{db}");
                let taken: Option<String> = redis::cmd("SET")
                    .arg(&lease)
                    .arg(&token)
                    .arg("NX")
                    .arg("EX")
                    .arg(600)
                    .query(&mut conn)
                    .expect("lease");
                if taken.is_some() {
                    let url = format!("{}/{db}", redis_base_url().trim_end_matches('/'));
                    let this = Self {
                        db,
                        url,
                        lease,
                        token,
                    };
                    this.flush();
                    return this;
                }
            }
            assert!(
                attempt < 6000,
                "no free Redis test database after 10 minutes"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        unreachable!()
    }

    /// A synchronous connection to the leased database.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .expect("redis url")
            .get_connection()
            .expect("connect to test Redis")
    }

    fn flush(&self) {
        let _: () = redis::cmd("FLUSHDB")
            .query(&mut self.connection())
            .expect("flushdb");
    }
}

impl Drop for RedisDb {
    fn drop(&mut self) {
        self.flush();
        let client = redis::Client::open(redis_base_url()).expect("redis url");
        if let Ok(mut conn) = client.get_connection() {
            let current: Option<String> = redis::cmd("GET")
                .arg(&self.lease)
                .query(&mut conn)
                .unwrap_or(None);
            if current.as_deref() == Some(self.token.as_str()) {
                let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&self.lease).query(&mut conn);
            }
        }
    }
}

/// A temporary SQLite database file, removed on drop.
pub struct SqliteFile {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The database path.
    pub path: PathBuf,
    /// `sqlite://` URL of it.
    pub url: String,
}

impl SqliteFile {
    /// A path in a fresh temporary directory (the file is not created yet).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("threadctl.db");
        let url = format!("sqlite://{}", path.display());
        Self { dir, path, url }
    }
}

/// A fresh, isolated store of some backend kind, cleaned up on drop.
pub enum TestStore {
    /// A temporary SQLite file.
    Sqlite(SqliteFile),
    /// A Postgres schema of its own.
    Postgres(PgSchema),
    /// A leased Redis logical database.
    Redis(RedisDb),
}

impl TestStore {
    /// Creates an empty store of `kind`.
    pub fn new(kind: BackendKind) -> Self {
        match kind {
            BackendKind::Sqlite => TestStore::Sqlite(SqliteFile::new()),
            BackendKind::Postgres => TestStore::Postgres(PgSchema::new()),
            BackendKind::Redis => TestStore::Redis(RedisDb::new()),
        }
    }

    /// Which kind of store it is.
    pub fn kind(&self) -> BackendKind {
        match self {
            TestStore::Sqlite(_) => BackendKind::Sqlite,
            TestStore::Postgres(_) => BackendKind::Postgres,
            TestStore::Redis(_) => BackendKind::Redis,
        }
    }

    /// Its URL.
    pub fn url(&self) -> &str {
        match self {
            TestStore::Sqlite(file) => &file.url,
            TestStore::Postgres(schema) => &schema.url,
            TestStore::Redis(db) => &db.url,
        }
    }
}

/// Asserts that `column` is a v2 state column as docs/format.md lays it out
/// for Postgres and SQLite: exactly `schema_version` 2, the state, the
/// metadata and the state's checksum (`sha256:` and 64 hex digits).
pub fn assert_v2_state_column(column: &Value, state: &Value, metadata: &Value) {
    let mut keys: Vec<&str> = column
        .as_object()
        .unwrap_or_else(|| panic!("a state column is a JSON object: {column}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["checksum", "metadata", "schema_version", "state"]);
    assert_eq!(column["schema_version"], 2, "{column}");
    assert_eq!(&column["state"], state, "{column}");
    assert_eq!(&column["metadata"], metadata, "{column}");
    let checksum = column["checksum"].as_str().expect("a checksum string");
    assert_eq!(checksum, threadctl::model::checksum::state_checksum(state));
    let digest = checksum.strip_prefix("sha256:").expect("a sha256 checksum");
    assert!(
        digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{checksum}"
    );
}

/// A plain redis-server of the test's own on a free loopback port, with
/// the configuration `args` give (e.g. `--maxmemory-policy allkeys-lru`),
/// its files in a temporary directory; killed on drop.
pub struct RedisServer {
    /// URL reaching it.
    pub url: String,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts one configured with `args`, and waits until it answers.
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--dir", &dir.path().display().to_string()])
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start redis-server");
        let url = format!("redis://127.0.0.1:{port}");
        let client = redis::Client::open(url.as_str()).expect("redis url");
        let started = std::time::Instant::now();
        while client
            .get_connection()
            .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
            .is_err()
        {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("redis-server {args:?} exited early: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not answer on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self {
            url,
            child,
            _dir: dir,
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
