//! TLS: a TLS-only Redis started with certificates made here, and the
//! test Postgres (`ssl = on`, a self-signed certificate for `localhost`).

use std::path::Path;

use crate::common::PgSchema;
use crate::servers::{TestPki, TlsRedis};
use crate::{bin, run, Ran};

/// The test Postgres server's certificate (self-signed, so its own CA).
const PG_SERVER_CERT: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";

/// `put` then `latest` on `url`, with `ca_file` as `--ca-file` and the
/// system's roots replaced by `system_roots` (so that what the machine
/// happens to trust does not decide the outcome).
fn round_trip(url: &str, ca_file: Option<&Path>, system_roots: &Path) -> Ran {
    let with_roots = |cmd: &mut assert_cmd::Command| {
        cmd.env("SSL_CERT_FILE", system_roots)
            .env("SSL_CERT_DIR", system_roots.with_file_name("no-such-dir"));
        if let Some(ca) = ca_file {
            cmd.arg("--ca-file").arg(ca);
        }
    };
    let mut put = bin();
    put.args([
        "put",
        "tls-thread",
        "--state",
        r#"{"secure": true}"#,
        "--url",
        url,
    ]);
    with_roots(&mut put);
    let wrote = run(&mut put);
    if wrote.code != Some(0) {
        return wrote;
    }
    let mut latest = bin();
    latest.args(["latest", "tls-thread", "--state-only", "--url", url]);
    with_roots(&mut latest);
    run(&mut latest)
}

/// An unrelated CA, standing in for the system's roots.
fn unrelated_roots() -> TestPki {
    TestPki::new()
}

#[test]
fn tls_redis_connects_with_the_right_ca() {
    let pki = TestPki::new();
    let server = TlsRedis::start(&pki);
    let roots = unrelated_roots();
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("rediss://{host}:{}/0", server.port);
        let ran = round_trip(&url, Some(&pki.ca), &roots.ca);
        assert_eq!(ran.code, Some(0), "{host}: {}", ran.stderr);
        assert_eq!(ran.stdout.trim(), r#"{"secure":true}"#);
    }
}

#[test]
fn tls_redis_takes_the_ca_from_the_environment() {
    let pki = TestPki::new();
    let server = TlsRedis::start(&pki);
    let url = format!("rediss://localhost:{}/0", server.port);
    let ran = run(bin()
        .args(["threads", "--url", &url])
        .env("THREADCTL_CA_FILE", &pki.ca));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
}

#[test]
fn tls_redis_refuses_a_certificate_it_cannot_verify() {
    let pki = TestPki::new();
    let server = TlsRedis::start(&pki);
    let roots = unrelated_roots();
    let url = format!("rediss://localhost:{}/0", server.port);
    for ca in [None, Some(roots.ca.as_path())] {
        let ran = round_trip(&url, ca, &roots.ca);
        assert_eq!(ran.code, Some(1), "{}", ran.stderr);
        let stderr = ran.stderr.to_ascii_lowercase();
        assert!(
            stderr.contains(&format!("localhost:{}", server.port))
                && stderr.contains("certificate")
                && stderr.contains("--ca-file"),
            "{}",
            ran.stderr
        );
    }
}

#[test]
fn postgres_sslmode_require_and_disable_work() {
    let schema = PgSchema::new();
    let roots = unrelated_roots();
    for mode in ["require", "disable", "prefer"] {
        let url = format!("{}&sslmode={mode}", schema.url);
        let ran = round_trip(&url, None, &roots.ca);
        assert_eq!(ran.code, Some(0), "{mode}: {}", ran.stderr);
        assert_eq!(ran.stdout.trim(), r#"{"secure":true}"#, "{mode}");
    }
}

#[test]
fn postgres_verify_full_accepts_the_right_ca_by_flag_or_url() {
    let schema = PgSchema::new();
    let roots = unrelated_roots();
    let url = schema.url.replace("127.0.0.1", "localhost");
    let flag = round_trip(
        &format!("{url}&sslmode=verify-full"),
        Some(Path::new(PG_SERVER_CERT)),
        &roots.ca,
    );
    assert_eq!(flag.code, Some(0), "{}", flag.stderr);
    let in_url = format!("{url}&sslmode=verify-full&sslrootcert={PG_SERVER_CERT}");
    let ran = round_trip(&in_url, None, &roots.ca);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    // A CA file alone turns verification on, and this one verifies.
    let implied = round_trip(&url, Some(Path::new(PG_SERVER_CERT)), &roots.ca);
    assert_eq!(implied.code, Some(0), "{}", implied.stderr);
}

#[test]
fn postgres_verify_full_refuses_a_wrong_ca_naming_the_host_and_reason() {
    let schema = PgSchema::new();
    let wrong = TestPki::new();
    let url = schema.url.replace("127.0.0.1", "localhost");
    // Explicit verify-full, and verify-full implied by the CA file.
    for url in [format!("{url}&sslmode=verify-full"), url.clone()] {
        let ran = round_trip(&url, Some(&wrong.ca), &wrong.ca);
        assert_eq!(ran.code, Some(1), "{url}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("localhost:5432")
                && ran.stderr.contains("invalid peer certificate")
                && ran.stderr.contains("--ca-file"),
            "{}",
            ran.stderr
        );
    }
}

#[test]
fn postgres_verify_full_refuses_a_certificate_for_another_name() {
    let schema = PgSchema::new();
    let roots = unrelated_roots();
    let url = format!("{}&sslmode=verify-full", schema.url);
    let ran = round_trip(&url, Some(Path::new(PG_SERVER_CERT)), &roots.ca);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("not valid for name \"127.0.0.1\""),
        "{}",
        ran.stderr
    );
}

/// `verify-ca` verifies the certificate chain. With this build's driver it
/// checks the host name too (stricter than libpq, documented in the
/// README), so the right CA is tried by the certificate's name.
#[test]
fn postgres_verify_ca_verifies_the_chain() {
    let schema = PgSchema::new();
    let wrong = TestPki::new();
    let url = format!(
        "{}&sslmode=verify-ca",
        schema.url.replace("127.0.0.1", "localhost")
    );
    let right = round_trip(&url, Some(Path::new(PG_SERVER_CERT)), &wrong.ca);
    assert_eq!(right.code, Some(0), "{}", right.stderr);
    let refused = round_trip(&url, Some(&wrong.ca), &wrong.ca);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("invalid peer certificate"),
        "{}",
        refused.stderr
    );
}
