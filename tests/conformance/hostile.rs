//! Hostile names and values (issue 14): tenant, thread, namespace and key
//! values carrying quotes, LIKE and glob metacharacters, the namespace
//! escape characters, line breaks, NUL and a megabyte of text are stored
//! and found exactly, or refused with a clear error, and never reach
//! another tenant's data or another key; JSON nested past the limit is
//! refused on write, whichever way it is written; and records another
//! program wrote with an integer a double would change are unreadable,
//! never rounded.

use std::time::Duration;

use serde_json::{json, Value};
use threadctl::backend::{CheckpointBackend, SessionLogBackend, StoreBackend, ThreadListing};
use threadctl::model::json_depth::MAX_JSON_DEPTH;
use threadctl::{Backend, BackendKind, Checkpointer, ConnectOptions, Error, SessionLog, Store};

use crate::bulk::plant_raw;
use crate::{cp, ns, tk, Fixture};

/// Each hostile name with a neighbour: a tenant (and key) that a LIKE
/// pattern, a glob or a Redis key built carelessly from the name would
/// also match or collide with.
fn hostile_names() -> Vec<(String, String)> {
    let megabyte = "m".repeat(1 << 20);
    let mut names: Vec<(String, String)> = [
        ("q'uo\"te", "q'uo"),
        ("pct%", "pctX"),
        ("under_", "underX"),
        ("star*", "starX"),
        ("ques?", "quesX"),
        ("br[ack]et", "braet"),
        ("back\\slash", "backslash"),
        ("back\\", "back"),
        ("co:lon", "co"),
        ("new\nline", "new"),
        ("nul\0byte", "nul"),
        ("%", "anything"),
        ("*", "x"),
    ]
    .into_iter()
    .map(|(name, neighbour)| (name.to_string(), neighbour.to_string()))
    .collect();
    names.push((megabyte.clone(), megabyte[1..].to_string()));
    names
}

/// Whether `kind` refuses `name` as an id: Postgres cannot hold NUL in
/// text, and its indexes hold at most 2 kB of ids per row.
fn refused(kind: BackendKind, name: &str) -> bool {
    kind == BackendKind::Postgres && (name.contains('\0') || name.len() > 1024)
}

async fn hostile_names_are_found_exactly_and_never_cross(f: &Fixture) {
    let b = &*f.backend;
    let kind = b.kind();
    for (name, neighbour) in hostile_names() {
        let shown = &name[..name.len().min(24)];
        let thread = tk(&name, &name);
        // For `co:lon`, the neighbour's thread `lon:co:lon` puts its Redis
        // keys where a careless join of `co:lon` and `co:lon` lands.
        let other_thread = match name.strip_prefix(&format!("{neighbour}:")) {
            Some(rest) => format!("{rest}:{name}"),
            None => name.clone(),
        };
        let other = tk(&neighbour, &other_thread);
        let space = ns(&name, &[&name]);
        let other_space = ns(&neighbour, &[&name]);

        let written = Checkpointer::put(b, &cp(&thread, 0, json!({ "who": name }))).await;
        if refused(kind, &name) {
            let err = written.expect_err("Postgres refuses it");
            assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
            let text = err.to_string();
            assert!(
                text.contains("NUL") || text.contains("2048 bytes"),
                "{text:.200}"
            );
            let err = b
                .store_put(&space, &name, &json!(1), None)
                .await
                .unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
            assert!(b.append_events(&thread, &[json!(1)]).await.is_err());
            let listed = b.list_threads(Some(&thread.tenant)).await;
            assert!(
                matches!(&listed, Err(Error::InvalidInput { .. }))
                    || listed.as_ref().is_ok_and(Vec::is_empty),
                "{listed:.200?}"
            );
            continue;
        }
        written.unwrap_or_else(|e| panic!("{kind:?} put {shown:?}: {e}"));
        // On Redis the colliding neighbour's keys are the name's own keys:
        // its writes are refused, never mixed in.
        let collides = kind == BackendKind::Redis && other_thread != name;
        let neighbour_put =
            Checkpointer::put(b, &cp(&other, 0, json!({ "who": "neighbour" }))).await;
        if collides {
            let err = neighbour_put.expect_err("writes into another thread's keys are refused");
            assert!(matches!(err, Error::Conflict { .. }), "{err}");
        } else {
            neighbour_put.unwrap();
        }
        b.store_put(&space, &name, &json!(name), None)
            .await
            .unwrap();
        b.store_put(&space, &neighbour, &json!("same tenant, other key"), None)
            .await
            .unwrap();
        b.store_put(&other_space, &name, &json!("neighbour"), None)
            .await
            .unwrap();
        assert_eq!(b.append_events(&thread, &[json!(name)]).await.unwrap(), 1);
        let neighbour_append = b.append_events(&other, &[json!("n")]).await;
        // Events name no owner: on Redis the colliding pair would share the
        // log (docs/format.md, "Redis layout"), so it is refused to the pair
        // without checkpoints there.
        if collides {
            let err = neighbour_append.expect_err("the log is the other thread's");
            assert!(matches!(err, Error::Conflict { .. }), "{err}");
        } else {
            assert_eq!(neighbour_append.unwrap(), 1);
        }

        let latest = b.latest_checkpoint(&thread).await.unwrap().expect("stored");
        assert_eq!(
            latest.checkpoint.state,
            json!({ "who": name }),
            "{kind:?} {shown:?}"
        );
        assert_eq!(latest.checkpoint.thread_key(), thread);
        let listed = b.list_threads(Some(&thread.tenant)).await.unwrap();
        let listed: Vec<_> = listed.into_iter().map(|s| s.thread).collect();
        assert_eq!(listed, vec![thread.clone()], "{kind:?} {shown:?}");
        let item = b.store_get(&space, &name).await.unwrap().expect("item");
        assert_eq!(item.value, json!(name));
        assert_eq!(
            b.store_list_keys(&space, &name).await.unwrap(),
            vec![name.clone()],
            "{kind:?} {shown:?}: a key prefix is literal"
        );
        let mut keys = b.store_list_keys(&space, "").await.unwrap();
        keys.sort();
        let mut expected = vec![name.clone(), neighbour.clone()];
        expected.sort();
        assert_eq!(keys, expected, "{kind:?} {shown:?}");
        // Every namespace listed is the tenant's own; on Redis an item key
        // with `:` is also listed under the namespaces it can belong to
        // (docs/format.md, "Redis layout").
        let listed = b.store_list_namespaces(&ns(&name, &[])).await.unwrap();
        assert!(listed.contains(&space), "{kind:?} {shown:?}");
        assert!(
            listed.iter().all(|n| n.tenant == space.tenant),
            "{listed:?}"
        );
        if !(kind == BackendKind::Redis && name.contains(':')) {
            assert_eq!(listed, vec![space.clone()], "{kind:?} {shown:?}");
        }
        let events = b.load_events(&thread, 0, None).await.unwrap();
        assert_eq!(events.len(), 1, "nothing crossed");
        assert_eq!(events[0].event, json!(name));

        // The neighbour's data stays the neighbour's.
        assert_eq!(
            b.store_get(&other_space, &name)
                .await
                .unwrap()
                .unwrap()
                .value,
            json!("neighbour")
        );
        let neighbours = b.list_threads(Some(&other.tenant)).await.unwrap();
        let neighbours: Vec<_> = neighbours.into_iter().map(|s| s.thread).collect();
        let expected = if collides {
            vec![]
        } else {
            vec![other.clone()]
        };
        assert_eq!(neighbours, expected, "{kind:?} {shown:?}");
        assert!(b.store_delete(&space, &name).await.unwrap());
        assert!(b.store_get(&other_space, &name).await.unwrap().is_some());
        assert!(b.store_get(&space, &neighbour).await.unwrap().is_some());
    }
}

/// `levels` nested arrays around `1`, built without recursion.
fn nested(levels: usize) -> Value {
    let mut value = json!(1);
    for _ in 0..levels {
        value = Value::Array(vec![value]);
    }
    value
}

async fn json_nested_past_the_limit_is_refused_on_every_write(f: &Fixture) {
    let b = &*f.backend;
    let thread = tk("deep", "t");
    let space = ns("deep", &["n"]);
    for levels in [MAX_JSON_DEPTH + 1, 10_000] {
        let err = Checkpointer::put(b, &cp(&thread, 0, nested(levels)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("levels deep"), "{err}");
        let err = b
            .store_put(&space, "k", &nested(levels), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("levels"), "{err}");
        let err = Store::put(b, &space, "k", &nested(levels), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("levels"), "{err}");
        let err = b
            .append_events(&thread, &[nested(levels)])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("levels"), "{err}");
    }
    assert!(b.latest_checkpoint(&thread).await.unwrap().is_none());
    assert!(b.store_get(&space, "k").await.unwrap().is_none());
    assert!(b.load_events(&thread, 0, None).await.unwrap().is_empty());

    // The deepest allowed state is written and read back whole.
    Checkpointer::put(b, &cp(&thread, 0, nested(MAX_JSON_DEPTH)))
        .await
        .unwrap();
    let back = b.latest_checkpoint(&thread).await.unwrap().unwrap();
    assert_eq!(back.checkpoint.state, nested(MAX_JSON_DEPTH));
}

async fn a_fifty_megabyte_state_round_trips(f: &Fixture) {
    // This case is about size, not speed: on a loaded machine moving and
    // checksumming 50 MB can outlast the default operation timeout.
    let options = ConnectOptions::default().with_operation_timeout(Duration::from_secs(300));
    let b = &Backend::open_with(&f.url, &options).await.unwrap();
    let thread = tk("big", "t");
    let text: String = (0..50u32 << 20)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let state = json!({ "blob": text });
    Checkpointer::put(b, &cp(&thread, 0, state.clone()))
        .await
        .unwrap();
    let back = b.latest_checkpoint(&thread).await.unwrap().unwrap();
    assert_eq!(
        back.checkpoint.state["blob"].as_str().map(str::len),
        Some(50 << 20)
    );
    assert!(back.checkpoint.state == state);
}

/// An integer no double holds, as a Python service or a `jsonb` column
/// would store it, and what serde_json would round it to.
const LONG_INTEGER: (&str, &str) = ("123456789012345678901234567890", "1.2345678901234568e+29");

/// Replaces the stored JSON of `thread`'s first event, or of the item
/// `key` of `tenant`, with `raw`, bypassing threadctl.
async fn overwrite_json(f: &Fixture, target: (&str, &str, &str), raw: &str) {
    let (table, tenant, name) = target;
    let (column, filter) = match table {
        "session_events" => ("event", "thread_id"),
        _ => ("value", "key"),
    };
    match f.backend.kind() {
        BackendKind::Postgres => {
            let pool = sqlx::PgPool::connect(&f.url).await.unwrap();
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1::jsonb WHERE tenant_id = $2 AND {filter} = $3"
            ))
            .bind(raw)
            .bind(tenant)
            .bind(name)
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&f.url).await.unwrap();
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = ? WHERE tenant_id = ? AND {filter} = ?"
            ))
            .bind(raw)
            .bind(tenant)
            .bind(name)
            .execute(&pool)
            .await
            .unwrap();
        }
        BackendKind::Redis => {
            let client = ::redis::Client::open(f.url.as_str()).unwrap();
            let mut conn = client.get_multiplexed_async_connection().await.unwrap();
            let mut command = match table {
                "session_events" => {
                    let mut c = ::redis::cmd("LSET");
                    c.arg(format!("entelix:session:{tenant}:{name}:events"))
                        .arg(0);
                    c
                }
                _ => {
                    let mut c = ::redis::cmd("SET");
                    c.arg(format!("entelix:store:{tenant}:{tenant}:n:{name}"));
                    c
                }
            };
            command.arg(raw).query_async::<()>(&mut conn).await.unwrap();
        }
    }
}

async fn integers_a_double_would_change_are_unreadable_not_rounded(f: &Fixture) {
    let b = &*f.backend;
    let (literal, rounded) = LONG_INTEGER;
    let raw = format!(r#"{{"n": {literal}}}"#);
    let says = |err: Error| {
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains(literal) && text.contains(rounded), "{text}");
    };

    let thread = tk("long", "t");
    let id = "0193c0de-0000-7000-8000-0000000000aa";
    let envelope = match b.kind() {
        BackendKind::Redis => format!(
            r#"{{"schema_version": 1, "body": {{"id": "{id}", "tenant_id": "long", "thread_id": "t", "parent_id": null, "step": 0, "state": {raw}, "next_node": null, "timestamp": "2026-01-01T00:00:00Z"}}}}"#
        ),
        _ => format!(r#"{{"schema_version": 1, "state": {raw}}}"#),
    };
    plant_raw(f, &thread, 0, id, &envelope).await;
    says(b.latest_checkpoint(&thread).await.unwrap_err());

    b.append_events(&thread, &[json!({"n": 1})]).await.unwrap();
    overwrite_json(f, ("session_events", "long", "t"), &raw).await;
    says(b.load_events(&thread, 0, None).await.unwrap_err());
    // The typed reads (on Redis decoded straight from the stored text, into
    // a double here) refuse it alike.
    says(
        SessionLog::<Value>::load_since(b, &thread, 0)
            .await
            .unwrap_err(),
    );
    says(
        SessionLog::<Number>::load_since(b, &thread, 0)
            .await
            .unwrap_err(),
    );

    let space = ns("long", &["n"]);
    b.store_put(&space, "k", &json!(1), None).await.unwrap();
    overwrite_json(f, ("memory_items", "long", "k"), &raw).await;
    says(b.store_get(&space, "k").await.unwrap_err());
    says(Store::<Value>::get(b, &space, "k").await.unwrap_err());
    says(Store::<Number>::get(b, &space, "k").await.unwrap_err());

    // The same number with its digits as a double writes them back (how
    // jsonb renders 1e23) is read as usual.
    overwrite_json(
        f,
        ("memory_items", "long", "k"),
        r#"{"n": 100000000000000000000000}"#,
    )
    .await;
    let item = b.store_get(&space, "k").await.unwrap().unwrap();
    assert_eq!(item.value, json!({"n": 1e23}));
    let typed = Store::<Number>::get(b, &space, "k").await.unwrap().unwrap();
    assert_eq!(typed.n, 1e23);

    // Sound JSON of another type is a type error, not a corrupt record.
    let err = Store::<Vec<u8>>::get(b, &space, "k").await.unwrap_err();
    assert!(matches!(err, Error::Serde { .. }), "{err}");
    let other = tk("long", "typed");
    SessionLog::append(b, &other, &[json!({"n": 2}), json!({"n": "two"})])
        .await
        .unwrap();
    for cursor in [0, 1] {
        let err = SessionLog::<Number>::load_since(b, &other, cursor)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Serde { .. }), "{err}");
        assert!(err.to_string().contains("event 2 of long/typed"), "{err}");
    }
}

/// A caller's type for the typed reads above.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Number {
    n: f64,
}

on_every_backend!(crate::run =>
    hostile_names_are_found_exactly_and_never_cross,
    json_nested_past_the_limit_is_refused_on_every_write,
    a_fifty_megabyte_state_round_trips,
    integers_a_double_would_change_are_unreadable_not_rounded,
);
