//! The memory store: validation, overwrite, TTLs, literal key prefixes and
//! namespaces whose segments contain the separator or escape characters.

use std::time::Duration;

use serde_json::{json, Value};
use threadctl::backend::StoreBackend;
use threadctl::{BackendKind, Error, Store};

use crate::{ns, Fixture};

async fn items_put_get_delete_and_validate(f: &Fixture) {
    let b = &*f.backend;
    let n = ns("acme", &["agent", "notes"]);
    assert!(b.store_get(&n, "k").await.unwrap().is_none());
    Store::put(b, &n, "k", &json!({"v": 1}), None)
        .await
        .unwrap();
    let item = b.store_get(&n, "k").await.unwrap().unwrap();
    assert_eq!(item.value, json!({"v": 1}));
    assert_eq!(item.namespace, n);
    assert_eq!(item.key, "k");
    assert_eq!(item.expires_at, None);

    Store::put(b, &n, "k", &json!(["replaced", "ü"]), None)
        .await
        .unwrap();
    let typed: Option<Vec<String>> = Store::get(b, &n, "k").await.unwrap();
    assert_eq!(typed, Some(vec!["replaced".to_string(), "ü".to_string()]));
    for value in [json!(null), json!("s"), json!(3.25), json!(false)] {
        b.store_put(&n, "scalar", &value, None).await.unwrap();
        assert_eq!(
            b.store_get(&n, "scalar").await.unwrap().unwrap().value,
            value
        );
    }

    assert!(matches!(
        b.store_put(&n, "", &json!(1), None).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        b.store_put(&n, "z", &json!(1), Some(Duration::ZERO)).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(b.store_get(&n, "z").await.unwrap().is_none());

    assert!(Store::<Value>::delete(b, &n, "k").await.unwrap());
    assert!(!b.store_delete(&n, "k").await.unwrap());
    assert!(b.store_get(&n, "k").await.unwrap().is_none());
    assert_eq!(b.store_list_keys(&n, "").await.unwrap(), vec!["scalar"]);
}

async fn ttl_expiry_hides_items_and_evict_keeps_live_ones(f: &Fixture) {
    let b = &*f.backend;
    let short = ns("acme", &["ttl"]);
    let gone = ns("acme", &["ttl", "only-short"]);
    b.store_put(&short, "brief", &json!(1), Some(Duration::from_millis(300)))
        .await
        .unwrap();
    b.store_put(&gone, "brief", &json!(2), Some(Duration::from_millis(300)))
        .await
        .unwrap();
    b.store_put(&short, "lasting", &json!(3), None)
        .await
        .unwrap();
    b.store_put(&short, "long", &json!(4), Some(Duration::from_secs(600)))
        .await
        .unwrap();

    let item = b.store_get(&short, "brief").await.unwrap().unwrap();
    let expires = item.expires_at.expect("a TTL item has an expiry");
    let left = expires - chrono::Utc::now();
    assert!(left <= chrono::Duration::milliseconds(300), "{left}");
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &["ttl"]))
            .await
            .unwrap(),
        vec![short.clone(), gone.clone()]
    );

    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(b.store_get(&short, "brief").await.unwrap().is_none());
    assert!(b.store_get(&gone, "brief").await.unwrap().is_none());
    assert_eq!(
        b.store_list_keys(&short, "").await.unwrap(),
        vec!["lasting", "long"]
    );
    assert!(b.store_list_keys(&gone, "").await.unwrap().is_empty());
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &[])).await.unwrap(),
        vec![short.clone()]
    );
    assert!(!b.store_delete(&short, "brief").await.unwrap());

    b.store_evict_expired(&short.tenant).await.unwrap();
    assert_eq!(
        b.store_list_keys(&short, "").await.unwrap(),
        vec!["lasting", "long"]
    );
    assert_eq!(
        b.store_get(&short, "long").await.unwrap().unwrap().value,
        json!(4)
    );
    assert_eq!(b.store_evict_expired(&short.tenant).await.unwrap(), 0);

    // An expired key can be written again.
    b.store_put(&short, "brief", &json!("again"), None)
        .await
        .unwrap();
    assert_eq!(
        b.store_get(&short, "brief").await.unwrap().unwrap().value,
        json!("again")
    );

    // Evicting counts the expired items it deletes: an SQL store deletes the
    // row; Redis expired the key itself and has nothing left to delete.
    let evicted = ns("acme", &["ttl", "evicted"]);
    b.store_put(&evicted, "brief", &json!(1), Some(Duration::from_millis(1)))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let expected = if b.kind() == BackendKind::Redis { 0 } else { 1 };
    assert_eq!(
        b.store_evict_expired(&evicted.tenant).await.unwrap(),
        expected
    );
}

async fn key_prefixes_are_literal(f: &Fixture) {
    let b = &*f.backend;
    let n = ns("acme", &["keys"]);
    let keys = [
        "abc", "ab", "a%c", "a_c", "a*", "a?b", "a[1]", "a]", "a\\b", "a\\:b", "x", "X", "%", "*",
        "é",
    ];
    for key in keys {
        b.store_put(&n, key, &json!(key), None).await.unwrap();
    }
    let mut sorted: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    sorted.sort();
    assert_eq!(b.store_list_keys(&n, "").await.unwrap(), sorted);

    let cases: [(&str, &[&str]); 11] = [
        ("a%", &["a%c"]),
        ("a_", &["a_c"]),
        ("*", &["*"]),
        ("%", &["%"]),
        ("a*", &["a*"]),
        ("a?", &["a?b"]),
        ("a[", &["a[1]"]),
        ("a]", &["a]"]),
        ("a\\", &["a\\:b", "a\\b"]),
        ("ab", &["ab", "abc"]),
        ("nothing", &[]),
    ];
    for (prefix, expected) in cases {
        assert_eq!(
            b.store_list_keys(&n, prefix).await.unwrap(),
            expected.to_vec(),
            "prefix {prefix:?}"
        );
    }
    let a_keys: Vec<String> = sorted
        .iter()
        .filter(|k| k.starts_with('a'))
        .cloned()
        .collect();
    assert_eq!(b.store_list_keys(&n, "a").await.unwrap(), a_keys);
    assert!(b
        .store_list_keys(&ns("acme", &["keys", "sub"]), "")
        .await
        .unwrap()
        .is_empty());
}

async fn namespaces_with_separators_stay_apart(f: &Fixture) {
    let b = &*f.backend;
    let spaces = [
        ns("acme", &["agent"]),
        ns("acme", &["agent", "1"]),
        ns("acme", &["agent:1"]),
        ns("acme", &["agent:1", "notes"]),
        ns("acme", &["agentx"]),
        ns("acme", &["back\\slash"]),
        ns("acme", &["back\\", "slash"]),
        ns("acme", &["w%", "*?["]),
        ns("acme", &[]),
    ];
    for (i, n) in spaces.iter().enumerate() {
        b.store_put(n, &format!("k{i}"), &json!(i), None)
            .await
            .unwrap();
    }
    b.store_put(&ns("acme-2", &["agent"]), "k", &json!("other tenant"), None)
        .await
        .unwrap();

    for (i, n) in spaces.iter().enumerate() {
        let mut listed = b.store_list_keys(n, "").await.unwrap();
        if b.kind().colon_keys_are_ambiguous() {
            // Redis also lists deeper namespaces' items under the key
            // they read as here (docs/format.md, "Redis layout").
            listed.retain(|k| !k.contains(':'));
        }
        assert_eq!(listed, vec![format!("k{i}")], "{n}");
        assert_eq!(
            b.store_get(n, &format!("k{i}"))
                .await
                .unwrap()
                .unwrap()
                .value,
            json!(i)
        );
    }

    let mut all = spaces.to_vec();
    all.sort();
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &[])).await.unwrap(),
        all
    );
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &["agent"]))
            .await
            .unwrap(),
        vec![ns("acme", &["agent"]), ns("acme", &["agent", "1"])]
    );
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &["agent:1"]))
            .await
            .unwrap(),
        vec![ns("acme", &["agent:1"]), ns("acme", &["agent:1", "notes"])]
    );
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &["back\\"]))
            .await
            .unwrap(),
        vec![ns("acme", &["back\\", "slash"])]
    );
    assert_eq!(
        b.store_list_namespaces(&ns("acme", &["w%"])).await.unwrap(),
        vec![ns("acme", &["w%", "*?["])]
    );
    assert!(b
        .store_list_namespaces(&ns("acme", &["agen"]))
        .await
        .unwrap()
        .is_empty());
    assert!(b
        .store_list_namespaces(&ns("acme", &["w"]))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        b.store_list_namespaces(&ns("acme-2", &[])).await.unwrap(),
        vec![ns("acme-2", &["agent"])]
    );
}

on_every_backend!(crate::run =>
    items_put_get_delete_and_validate,
    ttl_expiry_hides_items_and_evict_keeps_live_ones,
    key_prefixes_are_literal,
    namespaces_with_separators_stay_apart,
);
