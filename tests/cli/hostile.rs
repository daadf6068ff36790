//! Hostile values through the CLI (issue 14): tenants that are LIKE or
//! glob patterns address only themselves, input the store cannot keep
//! exactly is refused with exit 2, and records others planted (nested too
//! deep, numbers out of range, integers a double would round) are reported
//! with exit 5, never a crash.

use serde_json::Value;

use crate::env::{Damage, Env};

/// Tenants of `threads -o json`, sorted.
fn listed_tenants(env: &Env, args: &[&str]) -> Vec<String> {
    let rows = env.json(&[args, &["threads", "-o", "json"]].concat());
    let mut tenants: Vec<String> = rows
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|row| row["tenant_id"].as_str().expect("tenant_id").to_string())
        .collect();
    tenants.sort();
    tenants
}

fn pattern_tenants_see_only_themselves(env: &Env) {
    for tenant in ["ab", "a%", "a_", "*", "a*", "[a]b", "a\\b"] {
        env.ok(&["--tenant", tenant, "put", "t", "--state", "1", "-q"]);
    }
    for tenant in ["a%", "a_", "*", "[a]b", "a\\b"] {
        assert_eq!(
            listed_tenants(env, &["--tenant", tenant]),
            vec![tenant.to_string()],
            "--tenant {tenant}"
        );
        let latest = env.json(&["--tenant", tenant, "latest", "t", "-o", "json"]);
        assert_eq!(latest["tenant_id"], tenant);
    }
    // --tenants is a glob, with `\` escaping the metacharacters.
    let all = env.json(&["threads", "--tenants", "a*", "-o", "json"]);
    let mut globbed: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["tenant_id"].as_str().unwrap())
        .collect();
    globbed.sort_unstable();
    assert_eq!(globbed, ["a%", "a*", "a\\b", "a_", "ab"]);
    let literal = env.json(&["threads", "--tenants", "a\\*", "-o", "json"]);
    assert_eq!(literal.as_array().unwrap().len(), 1, "{literal}");
    assert_eq!(literal[0]["tenant_id"], "a*");
    // Deleting the thread of tenant `a%` leaves tenant `ab`'s alone.
    env.ok(&["--tenant", "a%", "rm", "t", "--yes"]);
    assert_eq!(listed_tenants(env, &["--tenant", "ab"]), vec!["ab"]);
}

fn store_keys_with_pattern_characters_are_literal(env: &Env) {
    let keys = ["k%", "k_", "k*", "k?", "k[x]", "k\\", "k'\"", "kX", "kxx"];
    for (i, key) in keys.iter().enumerate() {
        env.ok(&["store", "put", "n%\\:s", key, &i.to_string()]);
    }
    env.ok(&["store", "put", "nXs", "k%", "\"other namespace\""]);
    for (i, key) in keys.iter().enumerate() {
        let item = env.json(&["store", "get", "n%\\:s", key, "-o", "json"]);
        assert_eq!(item["key"], *key);
        assert_eq!(item["value"], i, "{key}");
        let listed = env.json(&["store", "ls", "n%\\:s", "--prefix", key, "-o", "json"]);
        let listed: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["key"].as_str().unwrap())
            .collect();
        assert_eq!(listed, [*key], "--prefix {key}");
    }
    let other = env.json(&["store", "get", "nXs", "k%", "-o", "json"]);
    assert_eq!(other["value"], "other namespace");
    env.ok(&["store", "rm", "n%\\:s", "k%", "--yes"]);
    let other = env.json(&["store", "get", "nXs", "k%", "-o", "json"]);
    assert_eq!(other["value"], "other namespace");
}

fn input_the_store_cannot_keep_exactly_is_a_usage_error(env: &Env) {
    env.put("t", "0");
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.json");
    std::fs::write(&latin1, b"{\"name\": \"caf\xe9\"}").unwrap();
    let at_latin1 = format!("@{}", latin1.display());
    let deep = dir.path().join("deep.json");
    std::fs::write(&deep, "[".repeat(10_000) + &"]".repeat(10_000)).unwrap();
    let at_deep = format!("@{}", deep.display());
    let cases: [(&[&str], &str); 8] = [
        (&["put", "t", "--state", &at_latin1], "UTF-8"),
        (&["store", "put", "ns", "k", &at_latin1], "UTF-8"),
        (&["events", "append", "t", "--event", &at_latin1], "UTF-8"),
        (&["put", "t", "--state", &at_deep], "recursion limit"),
        (&["store", "put", "ns", "k", &at_deep], "recursion limit"),
        (
            &["put", "t", "--state", &("[".repeat(101) + &"]".repeat(101))],
            "101 levels",
        ),
        (
            &[
                "put",
                "t",
                "--state",
                r#"{"n": 123456789012345678901234567890}"#,
            ],
            "64 bits",
        ),
        (&["put", "t", "--state", "1e400"], "out of range"),
    ];
    for (args, says) in cases {
        let (_, stderr) = env.fails(args, 2);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(crate::env::history_ids(env, "t").len(), 1);
    assert_eq!(
        env.json(&["store", "ls", "ns", "-o", "json"]),
        serde_json::json!([])
    );
    // The largest integers that fit are kept exactly.
    env.ok(&[
        "put",
        "t",
        "--state",
        r#"{"u": 18446744073709551615, "i": -9223372036854775808}"#,
        "-q",
    ]);
    let latest = env.json(&["latest", "t", "-o", "json"]);
    assert_eq!(latest["state"]["u"].as_u64(), Some(u64::MAX));
    assert_eq!(latest["state"]["i"].as_i64(), Some(i64::MIN));
}

fn a_fifty_megabyte_state_from_a_file_round_trips(env: &Env) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let blob: String = (0..50u32 << 20)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    std::fs::write(&path, format!(r#"{{"blob": "{blob}"}}"#)).unwrap();
    env.ok(&[
        "put",
        "big",
        "--state",
        &format!("@{}", path.display()),
        "-q",
    ]);
    let latest = env.json(&["latest", "big", "-o", "json"]);
    assert!(latest["state"]["blob"].as_str() == Some(blob.as_str()));
}

fn planted_records_too_deep_out_of_range_or_too_long_are_data_errors(env: &Env) {
    let deep = env.put("deep", "1");
    env.corrupt(
        "default",
        "deep",
        &deep,
        Damage::State("[".repeat(10_000) + &"]".repeat(10_000)),
    );
    let huge = env.put("huge", "1");
    env.corrupt(
        "default",
        "huge",
        &huge,
        Damage::State(r#"{"n": 1e400}"#.to_string()),
    );
    let long = env.put("long", "1");
    env.corrupt(
        "default",
        "long",
        &long,
        Damage::State(r#"{"n": 123456789012345678901234567890}"#.to_string()),
    );
    let (_, stderr) = env.fails(&["latest", "long"], 5);
    assert!(
        stderr.contains("rounded to 1.2345678901234568e+29"),
        "{stderr}"
    );
    for thread in ["deep", "huge", "long"] {
        let (_, stderr) = env.fails(&["latest", thread], 5);
        assert!(stderr.contains(thread), "{stderr}");
        let (_, stderr) = env.fails(&["history", thread], 5);
        assert!(!stderr.is_empty());
    }
    let (stdout, _) = env.fails(&["verify", "-o", "json"], 5);
    let report: Value = serde_json::from_str(&stdout).expect("a JSON report");
    let text = report.to_string();
    assert!(
        text.contains(&deep) && text.contains(&huge) && text.contains(&long),
        "{text}"
    );
    // The damaged threads can still be removed.
    for thread in ["deep", "huge", "long"] {
        let removed = env.ok(&["rm", thread, "--yes"]);
        assert!(removed.contains("1 checkpoint(s)"), "{removed}");
    }
    assert!(listed_tenants(env, &[]).is_empty());
}

on_every_backend!(crate::env::run =>
    pattern_tenants_see_only_themselves,
    store_keys_with_pattern_characters_are_literal,
    input_the_store_cannot_keep_exactly_is_a_usage_error,
    planted_records_too_deep_out_of_range_or_too_long_are_data_errors,
    a_fifty_megabyte_state_from_a_file_round_trips,
);
