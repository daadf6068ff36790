//! Property tests (proptest): the namespace's rendered form, the envelope
//! versions, the checksum's canonical form, and a model-based test that
//! runs one random sequence of operations on SQLite, Postgres, Redis and a
//! plain in-memory model, compares every observable answer after each
//! operation, and checks that `verify` finds each store clean at the end.
//!
//! Cases per property: proptest's default (256) for the pure ones, 16 for
//! the model test; `PROPTEST_CASES=1000 cargo test --test properties` runs
//! more of each.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::{Map, Number, Value};
use threadctl::backend::{
    CheckpointBackend, SessionLogBackend, StoreBackend, ThreadListing, ThreadSelection,
    WriteVersionAdmin,
};
use threadctl::model::checksum::state_checksum;
use threadctl::model::envelope::{
    decode_document, decode_state_column, encode_document, encode_state_column,
};
use threadctl::model::{parse_glob, Origin};
use threadctl::ops::prune::{self, PruneOptions};
use threadctl::ops::verify::{self, VerifyOptions};
use threadctl::{
    Backend, BackendKind, Checkpoint, CheckpointId, Checkpointer, ConflictKind, EnvelopeVersion,
    Error, Namespace, SessionLog, Store, TenantId, ThreadKey,
};
use uuid::Uuid;

use common::TestStore;

/// Cases of the model test unless `PROPTEST_CASES` says otherwise.
const MODEL_CASES: u32 = 16;

// ---------------------------------------------------------------------------
// Generators shared by the properties.

/// Strings rich in what the formats escape or mishandle: separators,
/// backslashes, quotes, wildcards, unicode; plus fully arbitrary ones.
fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof!["[a:\\\\\"%_*?\\[\\]é🦀 ]{0,8}", any::<String>(),]
}

/// Any JSON value up to a few levels deep, objects keeping generated key order.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        awkward_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((awkward_string(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A metadata-like JSON object.
fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((awkward_string(), json_value()), 0..5)
        .prop_map(|entries| entries.into_iter().collect())
}

/// An awkward string that is a valid id (non-empty).
fn non_empty_string() -> impl Strategy<Value = String> {
    awkward_string().prop_filter("non-empty", |s| !s.is_empty())
}

/// Any instant from 1970 to 2200, at nanosecond precision.
fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..7_258_118_400, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| Utc.timestamp_opt(secs, nanos).unwrap())
}

/// Any checkpoint: arbitrary ids, step, state, next node, time and metadata.
fn checkpoint() -> impl Strategy<Value = Checkpoint<Value>> {
    (
        (non_empty_string(), non_empty_string()),
        any::<u128>(),
        prop::option::of(any::<u128>()),
        any::<u64>(),
        json_value(),
        prop::option::of(awkward_string()),
        timestamp(),
        json_object(),
    )
        .prop_map(
            |((tenant, thread), id, parent, step, state, next_node, timestamp, metadata)| {
                let key = ThreadKey::new(tenant, thread).unwrap();
                let mut cp = Checkpoint::new(&key, None, step, state, next_node);
                cp.id = CheckpointId(Uuid::from_u128(id));
                cp.parent_id = parent.map(|p| CheckpointId(Uuid::from_u128(p)));
                cp.timestamp = timestamp;
                cp.metadata = metadata;
                cp
            },
        )
}

// ---------------------------------------------------------------------------
// 1. Namespaces.

/// Any namespace: an awkward tenant and up to four awkward scope segments.
fn namespace() -> impl Strategy<Value = Namespace> {
    (
        non_empty_string(),
        prop::collection::vec(awkward_string(), 0..5),
    )
        .prop_map(|(tenant, scope)| Namespace::new(TenantId::new(tenant).unwrap(), scope))
}

proptest! {
    #[test]
    fn namespace_parse_inverts_render(ns in namespace()) {
        prop_assert_eq!(Namespace::parse(&ns.render()).unwrap(), ns);
    }

    /// Whatever text is parsed, it is either refused or read as exactly the
    /// namespace that renders back to it: never mis-parsed.
    #[test]
    fn namespace_parse_refuses_or_reads_exactly(text in prop_oneof![
        "[a:\\\\x]{0,10}",
        any::<String>(),
    ]) {
        match Namespace::parse(&text) {
            Ok(ns) => prop_assert_eq!(ns.render(), text),
            Err(e) => prop_assert!(matches!(e, Error::InvalidInput { .. }), "{e}"),
        }
    }

    /// An empty tenant (nothing before the first unescaped `:`) is refused.
    #[test]
    fn namespace_parse_refuses_an_empty_tenant(rest in any::<String>()) {
        let text = format!(":{rest}");
        prop_assert!(Namespace::parse(&text).is_err());
        prop_assert!(Namespace::parse("").is_err());
    }

    #[test]
    fn namespace_rendering_keeps_distinct_namespaces_distinct(a in namespace(), b in namespace()) {
        prop_assert_eq!(a.render() == b.render(), a == b);
    }
}

// ---------------------------------------------------------------------------
// 2. Envelope versions.

/// `cp` as a v1 envelope keeps it.
fn without_metadata(cp: &Checkpoint<Value>) -> Checkpoint<Value> {
    let mut stripped = cp.clone();
    stripped.metadata = Map::new();
    stripped
}

/// The column as SQLite keeps it (text) and reads it back.
fn through_text(column: &Value) -> Value {
    serde_json::from_str(&column.to_string()).unwrap()
}

proptest! {
    #[test]
    fn documents_round_trip_at_both_versions(cp in checkpoint()) {
        let v2 = decode_document(&encode_document(&cp, EnvelopeVersion::V2), "p").unwrap();
        prop_assert_eq!(v2.schema_version, EnvelopeVersion::V2);
        prop_assert_eq!(&v2.checkpoint, &cp);

        let v1 = decode_document(&encode_document(&cp, EnvelopeVersion::V1), "p").unwrap();
        prop_assert_eq!(v1.schema_version, EnvelopeVersion::V1);
        prop_assert_eq!(v1.checkpoint, without_metadata(&cp));
    }

    /// Reading a document and writing it again gives the same bytes.
    #[test]
    fn documents_are_rewritten_byte_for_byte(cp in checkpoint()) {
        for version in [EnvelopeVersion::V1, EnvelopeVersion::V2] {
            let bytes = encode_document(&cp, version);
            let read = decode_document(&bytes, "p").unwrap();
            prop_assert_eq!(encode_document(&read.checkpoint, version), bytes);
        }
    }

    #[test]
    fn state_columns_round_trip_at_both_versions(cp in checkpoint()) {
        let v2 = decode_state_column(through_text(&encode_state_column(&cp, EnvelopeVersion::V2)), "p")
            .unwrap();
        prop_assert_eq!(v2.version, EnvelopeVersion::V2);
        prop_assert_eq!(&v2.state, &cp.state);
        prop_assert_eq!(&v2.metadata, &cp.metadata);

        let v1 = decode_state_column(through_text(&encode_state_column(&cp, EnvelopeVersion::V1)), "p")
            .unwrap();
        prop_assert_eq!(v1.version, EnvelopeVersion::V1);
        prop_assert_eq!(&v1.state, &cp.state);
        prop_assert!(v1.metadata.is_empty());
    }

    /// Down to v1 and back up keeps every field but the metadata.
    #[test]
    fn v2_to_v1_to_v2_keeps_all_but_metadata(cp in checkpoint()) {
        let v2 = decode_document(&encode_document(&cp, EnvelopeVersion::V2), "p").unwrap();
        let v1 = decode_document(&encode_document(&v2.checkpoint, EnvelopeVersion::V1), "p").unwrap();
        let back = decode_document(&encode_document(&v1.checkpoint, EnvelopeVersion::V2), "p").unwrap();
        prop_assert_eq!(back.schema_version, EnvelopeVersion::V2);
        prop_assert_eq!(back.checkpoint, without_metadata(&cp));

        let column = |c: &Checkpoint<Value>, v| decode_state_column(through_text(&encode_state_column(c, v)), "p").unwrap();
        let down = column(&cp, EnvelopeVersion::V1);
        let up = column(&cp.clone().with_state(down.state), EnvelopeVersion::V2);
        prop_assert_eq!(&up.state, &cp.state);
        prop_assert_eq!(up.metadata, cp.metadata);
    }
}

// ---------------------------------------------------------------------------
// 3. The checksum's canonical form.

/// `value` with the keys of every object, at every depth, in shuffled order.
fn shuffle_keys(value: &Value, rng: &mut StdRng) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map
                .iter()
                .map(|(k, v)| (k.clone(), shuffle_keys(v, rng)))
                .collect();
            entries.shuffle(rng);
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| shuffle_keys(v, rng)).collect()),
        scalar => scalar.clone(),
    }
}

/// Every node of `value` in pre-order, by its path of child positions.
fn node_paths(value: &Value, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(path.clone());
    let children: Vec<&Value> = match value {
        Value::Object(map) => map.values().collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        path.push(i);
        node_paths(child, path, out);
        path.pop();
    }
}

/// The node of `value` at `path` (from [`node_paths`]).
fn node_at<'a>(value: &'a mut Value, path: &[usize]) -> &'a mut Value {
    match path.split_first() {
        None => value,
        Some((&i, rest)) => match value {
            Value::Object(map) => node_at(map.values_mut().nth(i).unwrap(), rest),
            Value::Array(items) => node_at(&mut items[i], rest),
            _ => unreachable!("paths only lead through containers"),
        },
    }
}

/// A different value in the JSON sense: another scalar, an extra element,
/// or an object with a key added or renamed.
fn changed(value: &Value, rename: bool) -> Value {
    match value {
        Value::Null => Value::Bool(false),
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) if i < i64::MAX => Value::from(i + 1),
            (_, Some(u), _) if u > 0 => Value::from(u - 1),
            (_, _, Some(f)) if f != 0.0 && f != f * 2.0 => Value::from(f * 2.0),
            _ => Value::from(1.5),
        },
        Value::String(s) => Value::String(format!("{s}~")),
        Value::Array(items) => {
            let mut more = items.clone();
            more.push(Value::Null);
            Value::Array(more)
        }
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let fresh = fresh_key(map);
            match entries.first_mut() {
                Some(first) if rename => first.0 = fresh,
                _ => entries.push((fresh, Value::Null)),
            }
            Value::Object(entries.into_iter().collect())
        }
    }
}

/// A key `map` does not hold.
fn fresh_key(map: &Map<String, Value>) -> String {
    let mut key = String::from("~");
    while map.contains_key(&key) {
        key.push('~');
    }
    key
}

proptest! {
    #[test]
    fn checksum_ignores_key_order(state in json_value(), seed in any::<u64>()) {
        let shuffled = shuffle_keys(&state, &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(state_checksum(&shuffled), state_checksum(&state));
    }

    #[test]
    fn checksum_changes_with_any_value_change(
        state in json_value(),
        pick in any::<prop::sample::Index>(),
        rename in any::<bool>(),
    ) {
        let mut paths = Vec::new();
        node_paths(&state, &mut Vec::new(), &mut paths);
        let path = pick.get(&paths);
        let mut edited = state.clone();
        let node = node_at(&mut edited, path);
        *node = changed(node, rename);
        prop_assert_ne!(&edited, &state);
        prop_assert_ne!(state_checksum(&edited), state_checksum(&state));
    }
}

// ---------------------------------------------------------------------------
// 4. Model-based: every backend and a plain in-memory model agree.

/// Thread ids of one case (within a tenant of its own).
const THREADS: [&str; 3] = ["t0", "t1", "t:ü %"];
/// Store keys; `a`, `ab` and `a%_` share prefixes (`%`, `_` taken literally).
const KEYS: [&str; 4] = ["a", "ab", "a%_", "b"];
/// Key prefixes listed after each operation.
const PREFIXES: [&str; 3] = ["", "a", "a%"];

/// Namespace scopes of one case: two nested, one with an escaped `:`.
fn scopes() -> [Vec<&'static str>; 3] {
    [vec!["agent"], vec!["agent", "notes"], vec!["other:x"]]
}

/// One generated operation; indices pick among what exists when it runs.
#[derive(Debug, Clone)]
enum Op {
    /// A checkpoint whose parent is one of the thread's (or none when it
    /// has none, or `root`), at the parent's step + 1 or at `step`.
    Put {
        thread: usize,
        parent: prop::sample::Index,
        root: bool,
        step: Option<u8>,
        state: Value,
        next_node: Option<String>,
    },
    /// `put_if_latest` naming the latest checkpoint, or a stale one.
    PutIfLatest {
        thread: usize,
        stale: prop::sample::Index,
        fresh: bool,
        state: Value,
    },
    /// A fork of one of the thread's checkpoints (of an unknown id when empty).
    Fork {
        thread: usize,
        parent: prop::sample::Index,
        state: Value,
    },
    /// Appending a batch of events (possibly empty).
    Append { thread: usize, events: Vec<Value> },
    /// Archiving through an ordinal, which may lie past the last one.
    Archive { thread: usize, through: u8 },
    /// Writing a store item, with a TTL of hours or none.
    StorePut {
        scope: usize,
        key: usize,
        value: Value,
        ttl_hours: Option<u8>,
    },
    /// Deleting a store item, present or not.
    StoreDelete { scope: usize, key: usize },
    /// Evicting expired items: none are (TTLs are hours long).
    Evict,
    /// `prune --keep-last` over the case's tenant.
    Prune { keep_last: usize },
}

/// Small JSON (what backends keep exactly; hostile values are tested elsewhere).
fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        "[a-z é:]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Any operation, puts and store writes most often.
fn op() -> impl Strategy<Value = Op> {
    let thread = 0..THREADS.len();
    let scope = 0..scopes().len();
    prop_oneof![
        4 => (thread.clone(), any::<prop::sample::Index>(), prop::bool::weighted(0.1),
              prop::option::weighted(0.2, 0u8..4), small_json(),
              prop::option::of("[a-z]{1,5}"))
            .prop_map(|(thread, parent, root, step, state, next_node)| Op::Put {
                thread, parent, root, step, state, next_node,
            }),
        1 => (thread.clone(), any::<prop::sample::Index>(), any::<bool>(), small_json())
            .prop_map(|(thread, stale, fresh, state)| Op::PutIfLatest { thread, stale, fresh, state }),
        2 => (thread.clone(), any::<prop::sample::Index>(), small_json())
            .prop_map(|(thread, parent, state)| Op::Fork { thread, parent, state }),
        2 => (thread.clone(), prop::collection::vec(small_json(), 0..4))
            .prop_map(|(thread, events)| Op::Append { thread, events }),
        1 => (thread, 0u8..12).prop_map(|(thread, through)| Op::Archive { thread, through }),
        3 => (scope.clone(), 0..KEYS.len(), small_json(), prop::option::of(1u8..48))
            .prop_map(|(scope, key, value, ttl_hours)| Op::StorePut { scope, key, value, ttl_hours }),
        1 => (scope, 0..KEYS.len()).prop_map(|(scope, key)| Op::StoreDelete { scope, key }),
        1 => Just(Op::Evict),
        1 => (1usize..4).prop_map(|keep_last| Op::Prune { keep_last }),
    ]
}

/// One store item of the model: its value and the window its expiry must
/// fall in (now + TTL, measured before and after the write).
#[derive(Debug, Clone)]
struct ModelItem {
    value: Value,
    expiry: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// One thread of the model.
#[derive(Debug, Clone, Default)]
struct ModelThread {
    checkpoints: Vec<Checkpoint<Value>>,
    events: Vec<(u64, Value)>,
    watermark: u64,
}

impl ModelThread {
    /// Newest first: highest step, then greatest id.
    fn history(&self) -> Vec<Checkpoint<Value>> {
        let mut sorted = self.checkpoints.clone();
        sorted.sort_by_key(|c| std::cmp::Reverse((c.step, c.id)));
        sorted
    }

    fn latest(&self) -> Option<Checkpoint<Value>> {
        self.history().into_iter().next()
    }

    fn last_ordinal(&self) -> u64 {
        self.events.last().map_or(0, |(ordinal, _)| *ordinal)
    }

    /// What `prune --keep-last n` keeps: the latest checkpoint and every
    /// branch head, each with its n-1 nearest ancestors. Returns the ids
    /// of the checkpoints that went.
    fn prune(&mut self, keep_last: usize) -> HashSet<CheckpointId> {
        let parents: HashSet<CheckpointId> = self
            .checkpoints
            .iter()
            .filter_map(|c| c.parent_id)
            .collect();
        let mut heads: Vec<CheckpointId> = self
            .checkpoints
            .iter()
            .filter(|c| !parents.contains(&c.id))
            .map(|c| c.id)
            .collect();
        heads.extend(self.latest().map(|c| c.id));
        let mut keep = HashSet::new();
        for head in heads {
            let mut current = Some(head);
            for _ in 0..keep_last {
                let Some(cp) = current.and_then(|id| self.checkpoints.iter().find(|c| c.id == id))
                else {
                    break;
                };
                keep.insert(cp.id);
                current = cp.parent_id;
            }
        }
        let doomed = self
            .checkpoints
            .iter()
            .map(|c| c.id)
            .filter(|id| !keep.contains(id))
            .collect();
        self.checkpoints.retain(|c| keep.contains(&c.id));
        doomed
    }
}

/// The in-memory model of one case's tenant on one backend (fork ids and
/// times come from the backend, so each backend has its own model).
#[derive(Debug, Clone, Default)]
struct Model {
    threads: Vec<ModelThread>,
    items: BTreeMap<(Namespace, String), ModelItem>,
}

impl Model {
    /// The keys `store_list_keys(namespace, prefix)` answers, sorted.
    ///
    /// On Redis an item's key is `{rendered namespace}:{key}` with the key
    /// verbatim, so an item of a deeper namespace is also an item of
    /// `namespace` whose key is the rest (docs/format.md, "Redis layout";
    /// listings show it under every namespace it can belong to).
    fn listed_keys(&self, namespace: &Namespace, prefix: &str, kind: BackendKind) -> Vec<String> {
        let below = format!("{}:", namespace.render());
        self.items
            .keys()
            .filter_map(|(ns, key)| {
                if ns == namespace {
                    Some(key.clone())
                } else if kind == BackendKind::Redis && ns.starts_with(namespace) {
                    let rendered = ns.render();
                    Some(format!("{}:{key}", &rendered[below.len()..]))
                } else {
                    None
                }
            })
            .filter(|key| key.starts_with(prefix))
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect()
    }

    /// The namespaces `store_list_namespaces(prefix)` answers, sorted.
    ///
    /// Redis reads a store key's item key as the text after its last `:`
    /// (src/backend/redis/keys.rs, `split_item`), so an item whose key
    /// holds `:` (none of [`KEYS`]; prune's horizon of a thread id with
    /// `:`) is listed in a deeper namespace there.
    fn listed_namespaces(&self, prefix: &Namespace, kind: BackendKind) -> Vec<Namespace> {
        self.items
            .keys()
            .filter(|(ns, _)| ns.starts_with(prefix))
            .filter_map(|(ns, key)| match key.rfind(':') {
                Some(colon) if kind == BackendKind::Redis => {
                    let deeper = format!("{}:{}", ns.render(), &key[..colon]);
                    let named = colon + 1 < key.len();
                    named.then(|| Namespace::parse(&deeper).ok()).flatten()
                }
                _ => Some(ns.clone()),
            })
            .collect::<BTreeSet<Namespace>>()
            .into_iter()
            .collect()
    }
}

/// One case's names: a tenant of its own, its threads and namespaces.
struct CaseNames {
    tenant: TenantId,
    threads: Vec<ThreadKey>,
    /// The scopes' namespaces (what `StorePut` picks from), then prune's
    /// horizon namespace (observed, never written by the operations).
    namespaces: Vec<Namespace>,
}

impl CaseNames {
    fn fresh() -> Self {
        let tenant = format!("props-{}", Uuid::new_v4().simple());
        let threads = THREADS
            .iter()
            .map(|t| ThreadKey::new(tenant.clone(), *t).unwrap())
            .collect();
        let tenant = TenantId::new(tenant).unwrap();
        let mut namespaces: Vec<Namespace> = scopes()
            .into_iter()
            .map(|scope| Namespace::new(tenant.clone(), scope))
            .collect();
        namespaces.push(horizon_namespace(&tenant));
        Self {
            tenant,
            threads,
            namespaces,
        }
    }
}

/// A failure naming the backend and the operation it happened at.
fn fail(backend: BackendKind, step: usize, op: &Op, what: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("{backend:?}, op #{step} {op:?}: {what}"))
}

/// Returns a failure from the enclosing function when `actual != expected`.
macro_rules! check_eq {
    ($ctx:expr, $what:literal, $actual:expr, $expected:expr) => {{
        let (actual, expected) = (&$actual, &$expected);
        if actual != expected {
            return Err($ctx(format!(
                "{}: backend gave {actual:?}, model expects {expected:?}",
                $what
            )));
        }
    }};
}

/// Applies `op` to `backend` and to `model`, checking the answer it gives.
async fn apply(
    backend: &Backend,
    names: &CaseNames,
    model: &mut Model,
    step: usize,
    op: &Op,
) -> Result<(), TestCaseError> {
    let ctx = |what: String| fail(backend.kind(), step, op, what);
    let version = backend.write_version();
    match op {
        Op::Put {
            thread,
            parent,
            root,
            step,
            state,
            next_node,
        } => {
            let key = &names.threads[*thread];
            let existing = &model.threads[*thread].checkpoints;
            let parent = (!root && !existing.is_empty()).then(|| parent.get(existing));
            let step = step
                .map(u64::from)
                .unwrap_or_else(|| parent.map_or(0, |p| p.step + 1));
            let cp = Checkpoint::new(
                key,
                parent.map(|p| p.id),
                step,
                state.clone(),
                next_node.clone(),
            );
            Checkpointer::put(backend, &cp)
                .await
                .map_err(|e| ctx(format!("put: {e}")))?;
            model.threads[*thread]
                .checkpoints
                .push(stamped(cp, version));
        }
        Op::PutIfLatest {
            thread,
            stale,
            fresh,
            state,
        } => {
            let key = &names.threads[*thread];
            let modelled = &model.threads[*thread];
            let Some(latest) = modelled.latest() else {
                return Ok(());
            };
            let expected = if *fresh {
                latest.id
            } else {
                stale.get(&modelled.checkpoints).id
            };
            let cp = Checkpoint::new(key, Some(expected), latest.step + 1, state.clone(), None);
            let outcome = Checkpointer::put_if_latest(backend, &cp, expected).await;
            match outcome {
                Ok(()) if expected == latest.id => {
                    model.threads[*thread]
                        .checkpoints
                        .push(stamped(cp, version));
                }
                Err(Error::Conflict {
                    kind: ConflictKind::StaleLatest,
                    ..
                }) if expected != latest.id => {}
                other => {
                    return Err(ctx(format!(
                        "put_if_latest({expected}) with latest {}: {other:?}",
                        latest.id
                    )))
                }
            }
        }
        Op::Fork {
            thread,
            parent,
            state,
        } => {
            let key = &names.threads[*thread];
            let existing = &model.threads[*thread].checkpoints;
            if existing.is_empty() {
                let unknown = CheckpointId::new_v7();
                match Checkpointer::fork(backend, key, unknown, state).await {
                    Err(Error::NotFound(_)) => {}
                    other => return Err(ctx(format!("fork of an unknown id: {other:?}"))),
                }
                return Ok(());
            }
            let parent = parent.get(existing).clone();
            let forked = Checkpointer::fork(backend, key, parent.id, state)
                .await
                .map_err(|e| ctx(format!("fork: {e}")))?;
            let mut expected = Checkpoint::new(
                key,
                Some(parent.id),
                parent.step + 1,
                state.clone(),
                parent.next_node.clone(),
            );
            expected.id = forked.id;
            expected.timestamp = forked.timestamp;
            expected.metadata = Origin::fork_metadata(key, parent.id, Map::new(), version)
                .map_err(|e| ctx(format!("fork metadata: {e}")))?;
            check_eq!(ctx, "forked checkpoint", forked, expected);
            if existing.iter().any(|c| c.id == forked.id) {
                return Err(ctx(format!("fork reused id {}", forked.id)));
            }
            model.threads[*thread].checkpoints.push(expected);
        }
        Op::Append { thread, events } => {
            let key = &names.threads[*thread];
            let last = SessionLog::append(backend, key, events)
                .await
                .map_err(|e| ctx(format!("append: {e}")))?;
            let modelled = &mut model.threads[*thread];
            let first = modelled.last_ordinal() + 1;
            modelled
                .events
                .extend((first..).zip(events.iter().cloned()));
            check_eq!(ctx, "append's last ordinal", last, modelled.last_ordinal());
        }
        Op::Archive { thread, through } => {
            let key = &names.threads[*thread];
            let watermark = SessionLog::<Value>::archive(backend, key, u64::from(*through))
                .await
                .map_err(|e| ctx(format!("archive: {e}")))?;
            let modelled = &mut model.threads[*thread];
            let clamped = u64::from(*through).min(modelled.last_ordinal());
            modelled.watermark = modelled.watermark.max(clamped);
            check_eq!(ctx, "archive's watermark", watermark, modelled.watermark);
        }
        Op::StorePut {
            scope,
            key,
            value,
            ttl_hours,
        } => {
            let ns = &names.namespaces[*scope];
            let ttl = ttl_hours.map(|h| Duration::from_secs(u64::from(h) * 3600));
            let before = Utc::now();
            Store::put(backend, ns, KEYS[*key], value, ttl)
                .await
                .map_err(|e| ctx(format!("store put: {e}")))?;
            let after = Utc::now();
            let expiry = ttl.map(|ttl| {
                let ttl = chrono::Duration::from_std(ttl).unwrap();
                (before + ttl, after + ttl)
            });
            model.items.insert(
                (ns.clone(), KEYS[*key].to_string()),
                ModelItem {
                    value: value.clone(),
                    expiry,
                },
            );
        }
        Op::StoreDelete { scope, key } => {
            let ns = &names.namespaces[*scope];
            let deleted = Store::<Value>::delete(backend, ns, KEYS[*key])
                .await
                .map_err(|e| ctx(format!("store delete: {e}")))?;
            let existed = model
                .items
                .remove(&(ns.clone(), KEYS[*key].to_string()))
                .is_some();
            check_eq!(ctx, "store delete's answer", deleted, existed);
        }
        Op::Evict => {
            let evicted = Store::<Value>::evict_expired(backend, &names.tenant)
                .await
                .map_err(|e| ctx(format!("evict: {e}")))?;
            check_eq!(ctx, "items evicted", evicted, 0);
        }
        Op::Prune { keep_last } => {
            let options = PruneOptions {
                selection: tenant_selection(&names.tenant),
                exclude: None,
                keep_last: Some(*keep_last),
                events_keep_last: None,
                idle_before: None,
                dry_run: false,
                batch_size: 3,
                lock_ttl: Duration::from_secs(30),
                vacuum: false,
            };
            let report = prune::run(backend, &options, |_| {})
                .await
                .map_err(|e| ctx(format!("prune: {e}")))?;
            let mut deleted = 0;
            for (key, modelled) in names.threads.iter().zip(&mut model.threads) {
                let doomed = modelled.prune(*keep_last);
                deleted += doomed.len() as u64;
                if !doomed.is_empty() {
                    record_horizon(&mut model.items, key, modelled, &doomed);
                }
            }
            check_eq!(ctx, "checkpoints pruned", report.checkpoints, deleted);
        }
    }
    Ok(())
}

/// The namespace where prune records what it removed (src/ops/horizon.rs).
fn horizon_namespace(tenant: &TenantId) -> Namespace {
    Namespace::new(tenant.clone(), ["threadctl", "pruned"])
}

/// What prune records in the store after deleting `doomed` from `thread`:
/// the kept checkpoints whose parent it removed, now or before, as a
/// sorted array of ids under the thread's id; nothing when there are none.
fn record_horizon(
    items: &mut BTreeMap<(Namespace, String), ModelItem>,
    thread: &ThreadKey,
    modelled: &ModelThread,
    doomed: &HashSet<CheckpointId>,
) {
    let key = (
        horizon_namespace(&thread.tenant),
        thread.thread.as_str().to_string(),
    );
    let earlier: HashSet<String> = match items.get(&key) {
        Some(item) => item
            .value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|id| id.as_str().map(str::to_string))
            .collect(),
        None => HashSet::new(),
    };
    let roots: BTreeSet<String> = modelled
        .checkpoints
        .iter()
        .filter(|c| {
            earlier.contains(&c.id.to_string()) || c.parent_id.is_some_and(|p| doomed.contains(&p))
        })
        .map(|c| c.id.to_string())
        .collect();
    if roots.is_empty() {
        items.remove(&key);
    } else {
        let value = Value::Array(roots.into_iter().map(Value::String).collect());
        items.insert(
            key,
            ModelItem {
                value,
                expiry: None,
            },
        );
    }
}

/// `cp` as the backend stores it through `Checkpointer::put` at `version`.
fn stamped(mut cp: Checkpoint<Value>, version: EnvelopeVersion) -> Checkpoint<Value> {
    Origin::Put.stamp(&mut cp.metadata, version).unwrap();
    cp
}

/// One row of the thread listing: key, checkpoints, latest step, last write.
type ListedThread = (ThreadKey, u64, Option<u64>, Option<DateTime<Utc>>);

/// Compares every observable answer of the case's tenant with the model.
async fn observe(
    backend: &Backend,
    names: &CaseNames,
    model: &Model,
    step: usize,
    op: &Op,
) -> Result<(), TestCaseError> {
    let ctx = |what: String| fail(backend.kind(), step, op, what);
    let err = |what: &'static str| move |e: Error| ctx(format!("{what}: {e}"));
    for (key, modelled) in names.threads.iter().zip(&model.threads) {
        let latest: Option<Checkpoint<Value>> = backend.latest(key).await.map_err(err("latest"))?;
        check_eq!(ctx, "latest", latest, modelled.latest());
        let history: Vec<Checkpoint<Value>> = Checkpointer::history(backend, key, None)
            .await
            .map_err(err("history"))?;
        check_eq!(ctx, "history", history, modelled.history());
        let stored = backend
            .checkpoint_history(key, Some(2), None)
            .await
            .map_err(err("history --limit 2"))?;
        let stored: Vec<(CheckpointId, EnvelopeVersion)> = stored
            .iter()
            .map(|s| (s.checkpoint.id, s.schema_version))
            .collect();
        let expected: Vec<(CheckpointId, EnvelopeVersion)> = modelled
            .history()
            .iter()
            .take(2)
            .map(|c| (c.id, backend.write_version()))
            .collect();
        check_eq!(ctx, "history --limit 2 (ids, versions)", stored, expected);

        let events = backend
            .load_events(key, 0, None)
            .await
            .map_err(err("load events"))?;
        let events: Vec<(u64, Value)> = events.into_iter().map(|e| (e.ordinal, e.event)).collect();
        let unarchived: Vec<(u64, Value)> = modelled
            .events
            .iter()
            .filter(|(ordinal, _)| *ordinal > modelled.watermark)
            .cloned()
            .collect();
        check_eq!(ctx, "events", events, unarchived);
        let after = modelled.last_ordinal().saturating_sub(3);
        let tail = backend
            .load_events(key, after, Some(2))
            .await
            .map_err(err("events tail"))?;
        let tail: Vec<u64> = tail.into_iter().map(|e| e.ordinal).collect();
        let expected: Vec<u64> = unarchived
            .iter()
            .map(|(ordinal, _)| *ordinal)
            .filter(|ordinal| *ordinal > after)
            .take(2)
            .collect();
        check_eq!(ctx, "events after a cursor, limited", tail, expected);
        let bounds = backend.log_bounds(key).await.map_err(err("log bounds"))?;
        check_eq!(
            ctx,
            "watermark and last ordinal",
            (bounds.watermark, bounds.last),
            (modelled.watermark, modelled.last_ordinal())
        );
    }

    let listed = backend
        .list_threads(Some(&names.tenant))
        .await
        .map_err(err("list threads"))?;
    let listed: Vec<ListedThread> = listed
        .into_iter()
        .map(|s| (s.thread, s.checkpoints, s.latest_step, s.last_write))
        .collect();
    let mut expected: Vec<_> = names
        .threads
        .iter()
        .zip(&model.threads)
        .filter_map(|(key, t)| {
            let latest = t.latest()?;
            Some((
                key.clone(),
                t.checkpoints.len() as u64,
                Some(latest.step),
                Some(latest.timestamp),
            ))
        })
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    check_eq!(ctx, "thread listing", listed, expected);

    observe_store(backend, names, model, &ctx).await
}

/// Compares every store answer of the case's namespaces with the model.
async fn observe_store(
    backend: &Backend,
    names: &CaseNames,
    model: &Model,
    ctx: &impl Fn(String) -> TestCaseError,
) -> Result<(), TestCaseError> {
    for ns in &names.namespaces {
        for key in KEYS {
            let item = backend
                .store_get(ns, key)
                .await
                .map_err(|e| ctx(format!("store get: {e}")))?;
            let modelled = model.items.get(&(ns.clone(), key.to_string()));
            match (item, modelled) {
                (None, None) => {}
                (Some(item), Some(modelled)) => {
                    check_eq!(ctx, "store value", item.value, modelled.value);
                    let in_window = match (item.expires_at, modelled.expiry) {
                        (None, None) => true,
                        (Some(at), Some((lo, hi))) => {
                            let slack = chrono::Duration::seconds(2);
                            lo - slack <= at && at <= hi + slack
                        }
                        _ => false,
                    };
                    if !in_window {
                        return Err(ctx(format!(
                            "{ns}/{key} expires at {:?}, model expects {:?}",
                            item.expires_at, modelled.expiry
                        )));
                    }
                }
                (item, modelled) => {
                    return Err(ctx(format!(
                        "{ns}/{key}: backend has {item:?}, model has {modelled:?}"
                    )))
                }
            }
        }
        for prefix in PREFIXES {
            let keys = backend
                .store_list_keys(ns, prefix)
                .await
                .map_err(|e| ctx(format!("store list keys: {e}")))?;
            let expected = model.listed_keys(ns, prefix, backend.kind());
            check_eq!(ctx, "store keys", keys, expected);
        }
    }
    let root = Namespace::new(names.tenant.clone(), Vec::<String>::new());
    for prefix in [root, names.namespaces[0].clone()] {
        let listed = backend
            .store_list_namespaces(&prefix)
            .await
            .map_err(|e| ctx(format!("store namespaces: {e}")))?;
        let expected = model.listed_namespaces(&prefix, backend.kind());
        check_eq!(ctx, "store namespaces", listed, expected);
    }
    Ok(())
}

/// Runs one case's operations on every backend, each beside its own model.
async fn run_case(backends: &[Backend], ops: &[Op]) -> Result<(), TestCaseError> {
    for backend in backends {
        let names = CaseNames::fresh();
        let mut model = Model {
            threads: vec![ModelThread::default(); THREADS.len()],
            items: BTreeMap::new(),
        };
        for (step, op) in ops.iter().enumerate() {
            apply(backend, &names, &mut model, step, op).await?;
            observe(backend, &names, &model, step, op).await?;
        }
        verify_clean(backend, &names, &model).await?;
    }
    Ok(())
}

/// `verify` over the case's tenant reads every modelled checkpoint and
/// finds nothing wrong (forks, archives and prunes leave no false damage).
async fn verify_clean(
    backend: &Backend,
    names: &CaseNames,
    model: &Model,
) -> Result<(), TestCaseError> {
    let options = VerifyOptions {
        selection: tenant_selection(&names.tenant),
        page_size: 2,
    };
    let report = verify::run(backend, &options, |_| {})
        .await
        .map_err(|e| TestCaseError::fail(format!("{:?}: verify: {e}", backend.kind())))?;
    let checkpoints: usize = model.threads.iter().map(|t| t.checkpoints.len()).sum();
    prop_assert_eq!(report.records, checkpoints as u64, "{:?}", backend.kind());
    prop_assert!(
        report.is_clean(),
        "{:?}: verify found {:?}",
        backend.kind(),
        report.problems
    );
    Ok(())
}

/// Every thread of `tenant`, and nothing of any other tenant.
fn tenant_selection(tenant: &TenantId) -> ThreadSelection {
    ThreadSelection {
        tenants: Some(parse_glob(tenant.as_str()).unwrap()),
        threads: None,
    }
}

/// The model test's configuration: [`MODEL_CASES`] cases unless
/// `PROPTEST_CASES` is set; no regression file (cases use fresh names).
fn model_config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = MODEL_CASES;
    }
    config
}

/// One isolated store per backend for the whole run; each case works in a
/// tenant of its own.
#[test]
fn every_backend_matches_the_in_memory_model() {
    let stores: Vec<TestStore> = [
        BackendKind::Sqlite,
        BackendKind::Postgres,
        BackendKind::Redis,
    ]
    .into_iter()
    .map(TestStore::new)
    .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let backends: Vec<Backend> = runtime.block_on(async {
        let mut backends = Vec::new();
        for store in &stores {
            let backend = Backend::open(store.url())
                .await
                .unwrap_or_else(|e| panic!("open {}: {e}", store.url()));
            backend
                .set_write_version(EnvelopeVersion::V2)
                .await
                .expect("write version 2");
            backends.push(backend);
        }
        backends
    });
    let mut runner = TestRunner::new(model_config());
    let result = runner.run(&prop::collection::vec(op(), 1..=20), |ops| {
        runtime.block_on(run_case(&backends, &ops))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
