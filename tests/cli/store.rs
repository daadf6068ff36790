//! `store`: get, put, ls, rm, namespaces and evict.

use serde_json::{json, Value};

use crate::env::Env;

fn store_commands(env: &Env) {
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
    let without_expiry = |item: &mut Value| item.as_object_mut().map(|o| o.remove("expires_at"));
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
    let table = env.ok(&["store", "ls", ns]);
    if env.kind().colon_keys_are_ambiguous() {
        // The deeper namespace's item reads as key `deeper:k` here too.
        let rows: Vec<&str> = table
            .lines()
            .skip(1)
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(rows, ["deeper:k", "k1", "k2", "other"], "{table}");
        assert!(
            table.lines().nth(1).unwrap().contains("ambiguous"),
            "{table}"
        );
    } else {
        let keys: Vec<&str> = table
            .lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(keys, ["KEY", "k1", "k2", "other"], "{table}");
    }
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

/// An item whose key contains `:` is listed where `store get` finds it;
/// on Redis that is also the deeper namespace its key reads as, and the
/// listing marks it ambiguous there.
fn keys_containing_a_colon_are_listed(env: &Env) {
    env.ok(&["store", "put", "agent-a", "pref:color", r#""blue""#]);
    let table = env.ok(&["store", "ls", "agent-a"]);
    assert!(
        table.lines().any(|l| l.starts_with("pref:color")),
        "{table}"
    );
    let listed = env.jsonl(&["store", "ls", "agent-a", "-o", "jsonl"]);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["key"], "pref:color");
    assert_eq!(
        env.ok(&["store", "get", "agent-a", "pref:color", "--value-only"]),
        "\"blue\"\n"
    );
    if env.kind().colon_keys_are_ambiguous() {
        assert_eq!(listed[0]["ambiguous"], true, "{listed:?}");
        assert!(table.contains("ambiguous"), "{table}");
        let deeper = env.jsonl(&["store", "ls", "agent-a:pref", "-o", "jsonl"]);
        assert_eq!(deeper.len(), 1, "{deeper:?}");
        assert_eq!(deeper[0]["key"], "color");
    } else {
        assert!(listed[0].get("ambiguous").is_none(), "{listed:?}");
    }
}

fn store_ls_shows_when_items_expire(env: &Env) {
    env.ok(&["store", "put", "ns", "brief", "1", "--ttl", "10m"]);
    env.ok(&["store", "put", "ns", "kept", "2"]);
    let table = env.ok(&["store", "ls", "ns"]);
    let row = |key: &str| {
        table
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} row: {table}"))
            .to_string()
    };
    assert!(
        table.starts_with("KEY") && table.contains("EXPIRES"),
        "{table}"
    );
    assert!(
        row("brief").contains("in 9m5") || row("brief").contains("in 10m"),
        "{table}"
    );
    assert!(row("kept").contains("never"), "{table}");
    let wide = env.ok(&["store", "ls", "ns", "-o", "wide"]);
    assert!(wide.contains("Z"), "an RFC 3339 time: {wide}");
    let items = env.jsonl(&["store", "ls", "ns", "-o", "jsonl"]);
    assert!(items[0]["expires_at"].as_str().is_some(), "{items:?}");
    assert_eq!(items[1]["expires_at"], Value::Null);
}

fn new_namespaces_and_keys_with_control_characters_are_refused(env: &Env) {
    env.ok(&["store", "put", "ok", "k", "1"]);
    for (args, what) in [
        (
            ["store", "put", "agent\u{1b}", "k", "1"],
            "namespace segment",
        ),
        (["store", "put", "ns", "k\ney", "1"], "store key"),
        (["--tenant", "t\u{7}", "store", "put", "ns"], "tenant id"),
    ] {
        let mut args = args.to_vec();
        if what == "tenant id" {
            args.extend(["k", "1"]);
        }
        let (_, stderr) = env.fails(&args, 2);
        assert!(
            stderr.contains(what) && stderr.contains("control character"),
            "{stderr}"
        );
    }
    let namespaces = env.jsonl(&["store", "namespaces", "-o", "jsonl"]);
    assert_eq!(namespaces.len(), 1, "nothing else written: {namespaces:?}");
    assert_eq!(namespaces[0]["scope"], json!(["ok"]));
}

on_every_backend!(crate::env::run =>
    store_ls_shows_when_items_expire,
    new_namespaces_and_keys_with_control_characters_are_refused,
    store_commands,
    keys_containing_a_colon_are_listed,
);
