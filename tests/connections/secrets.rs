//! Passwords never reach stdout or stderr, at any verbosity: in the URL's
//! user info, in a `password=` parameter, or in `PGPASSWORD`; against a
//! server that is not there, one that refuses them, and one that accepts.

use crate::common::{PgSchema, RedisDb};
use crate::servers::free_port;
use crate::{bin, run};

/// The secret every case uses; distinctive so that no other text matches.
const SECRET: &str = "Pa55-w0rd-zzq";

/// Runs `threads` on `url` at `-vvv` (with `env` set) and asserts the
/// secret appears nowhere in what it printed.
fn assert_never_printed(url: &str, env: &[(&str, &str)]) {
    for args in [
        vec!["threads", "-vvv"],
        vec!["history", "some-thread", "-vvv"],
    ] {
        let mut cmd = bin();
        cmd.args(&args)
            .args(["--url", url, "--connect-timeout", "1s"]);
        cmd.envs(env.iter().copied());
        let ran = run(&mut cmd);
        for (stream, text) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
            assert!(
                !text.contains(SECRET),
                "{url} {args:?}: the password is in {stream}:\n{text}"
            );
        }
        assert!(!ran.stderr.is_empty(), "{url}: -vvv logged nothing");
    }
}

/// Postgres URLs carrying the secret each way, on `host_port`/`rest`.
fn postgres_urls(host_port: &str, rest: &str) -> Vec<String> {
    let sep = if rest.contains('?') { '&' } else { '?' };
    vec![
        format!("postgres://postgres:{SECRET}@{host_port}{rest}"),
        format!("postgres://postgres@{host_port}{rest}{sep}password={SECRET}"),
        format!("postgres://postgres:{SECRET}@{host_port}{rest}{sep}sslmode=bogus"),
    ]
}

#[test]
fn postgres_passwords_never_print_when_the_server_is_not_there() {
    let host_port = format!("127.0.0.1:{}", free_port());
    for url in postgres_urls(&host_port, "/test") {
        assert_never_printed(&url, &[]);
    }
    let plain = format!("postgres://postgres@{host_port}/test");
    assert_never_printed(&plain, &[("PGPASSWORD", SECRET)]);
}

#[test]
fn postgres_passwords_never_print_when_the_server_accepts_them() {
    let schema = PgSchema::new();
    let rest = schema
        .url
        .split_once("5432")
        .expect("port in URL")
        .1
        .to_string();
    for url in postgres_urls("127.0.0.1:5432", &rest) {
        assert_never_printed(&url, &[]);
    }
    assert_never_printed(&schema.url, &[("PGPASSWORD", SECRET)]);
}

#[test]
fn redis_passwords_never_print_when_refused_or_unreachable() {
    let db = RedisDb::new();
    let refused = db.url.replace("redis://", &format!("redis://:{SECRET}@"));
    assert_never_printed(&refused, &[]);
    let with_user = db
        .url
        .replace("redis://", &format!("redis://default:{SECRET}@"));
    assert_never_printed(&with_user, &[]);
    let absent = format!("redis://:{SECRET}@127.0.0.1:{}/0", free_port());
    assert_never_printed(&absent, &[]);
}
