//! `show`: by id, by a shortened id (a unique prefix) and by `--step`.

use crate::env::Env;

fn show_by_id_prefix_and_step(env: &Env) {
    let root = env.put("t1", r#"{"n":0}"#);
    let child = env.put("t1", r#"{"n":1}"#);
    env.ok(&["fork", "t1", "--from", &root, "--state", r#"{"n":"fork"}"#]);
    let state = |args: &[&str]| env.ok(&[&["show", "t1"], args, &["--state-only"]].concat());

    assert_eq!(state(&[&child]), "{\"n\":1}\n");
    let table = env.ok(&["history", "t1"]);
    let short = table
        .lines()
        .find(|l| l.contains(r#"{"n":1}"#))
        .and_then(|l| l.split_whitespace().next())
        .expect("the child's row")
        .to_string();
    assert!(
        short.len() < child.len() && child.starts_with(&short),
        "{table}"
    );
    assert_eq!(state(&[&short]), "{\"n\":1}\n", "the id a table shows");
    assert_eq!(state(&[&short.to_uppercase()]), "{\"n\":1}\n");

    // Ids written within the same hours share their first digits.
    let (_, stderr) = env.fails(&["show", "t1", &child[..4]], 2);
    assert!(stderr.contains("several checkpoints"), "{stderr}");
    let (_, stderr) = env.fails(&["show", "t1", "fffffff"], 3);
    assert!(stderr.contains("starting with fffffff"), "{stderr}");
    let (_, stderr) = env.fails(&["show", "t1", "not-an-id"], 2);
    assert!(stderr.contains("id prefix"), "{stderr}");

    assert_eq!(state(&["--step", "0"]), "{\"n\":0}\n");
    assert_eq!(
        state(&["--step", "1"]),
        "{\"n\":\"fork\"}\n",
        "the newest of the checkpoints at that step"
    );
    let (_, stderr) = env.fails(&["show", "t1", "--step", "7"], 3);
    assert!(stderr.contains("no checkpoint at step 7"), "{stderr}");
    env.fails(&["show", "t1", &child, "--step", "1"], 2);
    env.fails(&["show", "t1"], 2);
}

on_every_backend!(crate::env::run => show_by_id_prefix_and_step);
