//! `verify`: exit 0 on a clean store, 5 listing each problem.

use crate::env::{Damage, Env};

fn verify_exits_0_when_clean_and_5_listing_each_problem(env: &Env) {
    env.put("t1", "1");
    env.put("t1", "2");
    env.ok(&["--tenant", "acme", "put", "t2", "--state", "1"]);
    env.ok(&["events", "append", "t1", "--event", "{}"]);
    assert_eq!(
        env.ok(&["verify"]),
        "ok: 2 thread(s), 3 record(s), 1 event(s) checked; no problems\n"
    );

    let broken = env.put("t1", "3");
    env.corrupt("default", "t1", &broken, Damage::MissingState);
    let future = env.ok(&["--tenant", "acme", "put", "t2", "--state", "2"]);
    let future = future.trim();
    env.corrupt("acme", "t2", future, Damage::FutureVersion);

    let (out, err) = env.fails(&["verify"], 5);
    assert!(out.starts_with("TENANT"), "{out}");
    assert!(out.contains(&broken) && out.contains(future), "{out}");
    assert!(
        out.ends_with("2 thread(s), 5 record(s), 1 event(s) checked\n"),
        "{out}"
    );
    assert!(err.contains("2 problem(s) found"), "{err}");

    let (out, _) = env.fails(&["verify", "-o", "json"], 5);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(doc["clean"], false);
    assert_eq!(doc["problem_count"], 2);
    let mut problems: Vec<(String, String, String, String)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["tenant_id"].as_str().unwrap().to_string(),
                p["thread_id"].as_str().unwrap().to_string(),
                p["id"].as_str().unwrap().to_string(),
                p["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    problems.sort();
    assert_eq!(
        problems,
        [
            (
                "acme".into(),
                "t2".into(),
                future.to_string(),
                "unsupported_version".into()
            ),
            (
                "default".into(),
                "t1".into(),
                broken.clone(),
                "corrupt".into()
            ),
        ]
    );

    // A selection without the damage is clean.
    assert_eq!(
        env.ok(&["verify", "--tenants", "default", "--thread", "nothing*"]),
        "ok: 0 thread(s), 0 record(s), 0 event(s) checked; no problems\n"
    );
    let (_, err) = env.fails(&["verify", "--tenants", "acme"], 5);
    assert!(err.contains("1 problem(s) found"), "{err}");
}

on_every_backend!(crate::env::run =>
    verify_exits_0_when_clean_and_5_listing_each_problem,
);
