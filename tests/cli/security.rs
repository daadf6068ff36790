//! Row-level security (issue 14): every command, run by a Postgres role
//! that neither owns the tables nor bypasses RLS, either works within its
//! `--tenant` (and shows nothing of another tenant) or says plainly that
//! the role cannot see other tenants' rows (exit 1). Afterwards the other
//! tenant's data is untouched.

use serde_json::Value;

use crate::common::{PgRole, PgSchema};
use crate::env::bin;

/// What a command run by the restricted role must do.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Exit 0, and no output mentions the other tenant.
    Within,
    /// Exit 1, saying the role is bound by row-level security.
    CannotSee,
    /// Exit 3: the other tenant's record is not found.
    NotFound,
}

/// Runs `args` against `url` as tenant `acme`; returns (code, stdout, stderr).
fn run(url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = bin()
        .args(["--url", url, "--tenant", "acme"])
        .args(args)
        .output()
        .expect("run threadctl");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// Writes `args` as the schema's owner for `tenant`; returns stdout.
fn owner(url: &str, tenant: &str, args: &[&str]) -> String {
    let output = bin()
        .args(["--url", url, "--tenant", tenant])
        .args(args)
        .output()
        .expect("run threadctl");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

#[test]
fn every_command_works_within_its_tenant_or_says_what_it_cannot_see() {
    let schema = PgSchema::new();
    let su = schema.url.clone();
    owner(&su, "acme", &["migrate", "schema"]);
    let mut ids = Vec::new();
    for tenant in ["acme", "globex"] {
        let state = format!(r#"{{"who": "{tenant}"}}"#);
        ids.push(owner(&su, tenant, &["put", "t1", "--state", &state]));
        owner(&su, tenant, &["events", "append", "t1", "--event", &state]);
        owner(&su, tenant, &["store", "put", "ns", "k", &state]);
    }
    let (acme_id, globex_id) = (ids[0].as_str(), ids[1].as_str());
    let role = PgRole::restricted(&schema);
    let url = schema.url_as(&role.name);
    let dir = tempfile::tempdir().unwrap();
    let all_dump = dir.path().join("all.jsonl").display().to_string();
    let acme_dump = dir.path().join("acme.jsonl").display().to_string();
    let copy_to = format!("sqlite://{}", dir.path().join("copy.db").display());

    use Outcome::*;
    let table: Vec<(Vec<&str>, Outcome)> = vec![
        (vec!["threads"], Within),
        (vec!["threads", "--tenants", "*"], CannotSee),
        (vec!["latest", "t1"], Within),
        (vec!["history", "t1"], Within),
        (vec!["show", "t1", acme_id], Within),
        (vec!["show", "t1", globex_id], NotFound),
        (vec!["put", "t2", "--state", "1"], Within),
        (
            vec!["fork", "t1", "--from", acme_id, "--state", "2"],
            Within,
        ),
        (vec!["diff", "t1", acme_id, acme_id], Within),
        (vec!["events", "append", "t1", "--event", "3"], Within),
        (vec!["events", "tail", "t1"], Within),
        (vec!["events", "archive", "t1", "--before", "1"], Within),
        (vec!["store", "put", "ns", "k2", "4"], Within),
        (vec!["store", "get", "ns", "k"], Within),
        (vec!["store", "ls", "ns"], Within),
        (vec!["store", "namespaces"], Within),
        (vec!["store", "rm", "ns", "k2", "--yes"], Within),
        (vec!["store", "evict"], Within),
        (vec!["lock", "status", "t1"], Within),
        (vec!["lock", "run", "t1", "--", "true"], Within),
        (vec!["verify"], CannotSee),
        (vec!["verify", "--tenants", "acme"], Within),
        (vec!["prune", "--keep-last", "1", "--dry-run"], CannotSee),
        (
            vec![
                "prune",
                "--keep-last",
                "1",
                "--dry-run",
                "--tenants",
                "acme",
            ],
            Within,
        ),
        (vec!["export", "--file", &all_dump], CannotSee),
        (
            vec!["export", "--tenants", "acme", "--file", &acme_dump],
            Within,
        ),
        (vec!["import", "--file", &acme_dump], Within),
        (vec!["copy", "--to", &copy_to], CannotSee),
        (vec!["copy", "--tenants", "acme", "--to", &copy_to], Within),
        (vec!["migrate", "status"], CannotSee),
        (vec!["migrate", "check"], CannotSee),
        (vec!["migrate", "run", "--to", "2", "--yes"], CannotSee),
        (
            vec!["migrate", "run", "--to", "2", "--yes", "--tenants", "acme"],
            Within,
        ),
        (vec!["doctor"], Within),
        (vec!["rm", "t2", "--yes"], Within),
    ];
    let mut failures = Vec::new();
    for (args, expected) in &table {
        let (code, stdout, stderr) = run(&url, args);
        if args.contains(&"--dry-run") && code != Some(0) {
            assert!(stderr.contains("nothing was deleted"), "{stderr}");
        }
        let fine = match expected {
            Within => code == Some(0) && !stdout.contains("globex") && !stderr.contains("globex"),
            CannotSee => {
                code == Some(1)
                    && stderr.contains("row-level security")
                    && stderr.contains("cannot see other tenants")
            }
            NotFound => code == Some(3) && !stdout.contains("globex"),
        };
        if !fine {
            failures.push(format!(
                "{args:?}: expected {expected:?}, got exit {code:?}\nstdout: {stdout}\nstderr: {stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // What worked within acme really was acme's.
    let (_, latest, _) = run(&url, &["latest", "t1", "-o", "json"]);
    let latest: Value = serde_json::from_str(&latest).unwrap();
    assert_eq!(latest["tenant_id"], "acme");
    let dump = std::fs::read_to_string(&acme_dump).unwrap();
    assert!(
        dump.contains("\"acme\"") && !dump.contains("globex"),
        "{dump}"
    );
    // The other tenant's data is exactly as written.
    let globex: Value =
        serde_json::from_str(&owner(&su, "globex", &["latest", "t1", "-o", "json"])).unwrap();
    assert_eq!(globex["id"], globex_id);
    assert_eq!(globex["state"]["who"], "globex");
    let item = owner(&su, "globex", &["store", "get", "ns", "k", "-o", "json"]);
    assert!(item.contains("globex"), "{item}");
    let events = owner(&su, "globex", &["events", "tail", "t1", "-o", "jsonl"]);
    assert_eq!(events.lines().count(), 1, "{events}");
}

/// The permission bits of `path`.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn the_embedded_database_and_its_folders_are_the_owners_only() {
    let home = tempfile::tempdir().unwrap();
    let output = bin()
        .env("HOME", home.path())
        .env_remove("XDG_DATA_HOME")
        .args(["put", "t1", "--state", "1"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let folder = home.path().join(".local/share/threadctl");
    for created in [
        home.path().join(".local"),
        home.path().join(".local/share"),
        folder.clone(),
    ] {
        assert_eq!(mode(&created), 0o700, "{}", created.display());
    }
    let file = folder.join("threadctl.db");
    assert_eq!(mode(&file), 0o600);
    for sidecar in ["threadctl.db-wal", "threadctl.db-shm"] {
        let path = folder.join(sidecar);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{sidecar}");
        }
    }
    // An explicit sqlite:// path in an existing folder: the file is 0600
    // and the folder keeps its mode.
    let dir = tempfile::tempdir().unwrap();
    let before = mode(dir.path());
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let output = bin()
        .args(["--url", &url, "put", "t1", "--state", "1"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(mode(&dir.path().join("fresh.db")), 0o600);
    assert_eq!(mode(dir.path()), before);
}
