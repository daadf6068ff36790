//! The cross-backend conformance suite: every case is written once against
//! the traits and run on SQLite, Postgres and Redis, each in a fresh
//! isolated store (tests/common). Run one backend with
//! `cargo test --test conformance sqlite` (or `postgres`, `redis`).

mod common;

#[path = "conformance/bulk.rs"]
mod bulk;
#[path = "conformance/checkpoints.rs"]
mod checkpoints;
#[path = "conformance/concurrency.rs"]
mod concurrency;
#[path = "conformance/events.rs"]
mod events;
#[path = "conformance/isolation.rs"]
mod isolation;
#[path = "conformance/locks.rs"]
mod locks;
#[path = "conformance/store.rs"]
mod store;

use std::any::Any;
use std::sync::Arc;

use serde_json::{Map, Value};
use threadctl::{Backend, Checkpoint, CheckpointId, Namespace, TenantId, ThreadKey};

/// An open backend plus what keeps its store alive (dropped last).
pub struct Fixture {
    /// The backend under test, shareable with spawned tasks.
    pub backend: Arc<Backend>,
    /// Its URL, to open a second handle on the same store.
    pub url: String,
    _guard: Box<dyn Any + Send>,
}

async fn open(url: String, guard: Box<dyn Any + Send>) -> Fixture {
    let backend = Backend::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    Fixture {
        backend: Arc::new(backend),
        url,
        _guard: guard,
    }
}

async fn sqlite_fixture() -> Fixture {
    let file = common::SqliteFile::new();
    open(file.url.clone(), Box::new(file)).await
}

async fn pg_fixture() -> Fixture {
    let schema = common::PgSchema::new();
    open(schema.url.clone(), Box::new(schema)).await
}

async fn redis_fixture() -> Fixture {
    let db = common::RedisDb::new();
    open(db.url.clone(), Box::new(db)).await
}

/// A thread key from literals.
pub fn tk(tenant: &str, thread: &str) -> ThreadKey {
    ThreadKey::new(tenant, thread).expect("valid thread key")
}

/// A namespace from literals.
pub fn ns(tenant: &str, scope: &[&str]) -> Namespace {
    Namespace::new(
        TenantId::new(tenant).expect("tenant"),
        scope.iter().copied(),
    )
}

/// A checkpoint id from a literal UUID.
pub fn id(raw: &str) -> CheckpointId {
    raw.parse().expect("uuid literal")
}

/// A new checkpoint of `thread` at `step` with `state`.
pub fn cp(thread: &ThreadKey, step: u64, state: Value) -> Checkpoint<Value> {
    Checkpoint::new(thread, None, step, state, Some("agent".into()))
}

/// Metadata from a JSON object literal.
pub fn meta(value: Value) -> Map<String, Value> {
    value.as_object().expect("object literal").clone()
}

macro_rules! conformance {
    ($backend:ident, $fixture:path) => {
        mod $backend {
            conformance!(@cases $fixture;
                checkpoints::latest_and_history_order_by_step_then_greatest_id,
                checkpoints::history_limits_and_before,
                checkpoints::put_refuses_duplicates_and_stale_expectations,
                checkpoints::metadata_needs_v2_and_v2_records_the_source,
                checkpoints::fork_branches_from_the_parent,
                checkpoints::fork_from_elsewhere_writes_nothing,
                checkpoints::records_round_trip_exactly,
                checkpoints::write_version_round_trips_and_is_read_at_open,
                checkpoints::thread_summaries,
                bulk::batched_writes_keep_records_and_follow_their_mode,
                bulk::pages_walk_every_record_and_report_unreadable_ones,
                bulk::thread_pages_cover_each_selected_thread,
                bulk::versions_are_counted_per_selection,
                bulk::the_bulk_lock_admits_one_run,
                bulk::migrations_round_trip_and_leave_unreadable_records_alone,
                bulk::fork_into_copies_the_ancestry_in_one_batch,
                bulk::deletes_remove_only_what_they_name,
                store::items_put_get_delete_and_validate,
                store::ttl_expiry_hides_items_and_evict_keeps_live_ones,
                store::key_prefixes_are_literal,
                store::namespaces_with_separators_stay_apart,
                events::ordinals_are_gapless_and_loadable,
                events::archiving_clamps_and_never_moves_back,
                events::numbering_continues_after_archiving_everything,
                locks::exclusion_release_and_reacquire,
                locks::expiry_extend_and_lost_locks,
                locks::waiting_times_out_and_admin_acts_on_locks,
                locks::ttls_that_cannot_be_honoured_are_refused,
                isolation::tenants_never_see_each_other,
                concurrency::concurrent_appends_are_gapless,
                concurrency::lock_serialises_holders,
                concurrency::concurrent_expect_latest_writers_let_one_through,
            );
        }
    };
    (@cases $fixture:path; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let fixture = $fixture().await;
                crate::$module::$case(&fixture).await;
            }
        )*
    };
}

conformance!(sqlite, crate::sqlite_fixture);
conformance!(postgres, crate::pg_fixture);
conformance!(redis, crate::redis_fixture);
