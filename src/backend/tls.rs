//! What to tell an operator when a TLS connection fails: the driver's
//! reason names the host and what did not verify, this adds how to fix it.

/// A hint to append to a failed TLS connection's reason, saying how to
/// make the server's certificate verify; empty for other failures.
pub(crate) fn tls_hint(reason: &str) -> &'static str {
    let lower = reason.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("unknownissuer") {
        " (the server's certificate did not verify: give the CA that signed it with \
         --ca-file or THREADCTL_CA_FILE, or sslrootcert= in a Postgres URL)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_certificate_failures_get_the_ca_hint() {
        assert!(tls_hint("invalid peer certificate: UnknownIssuer").contains("--ca-file"));
        assert_eq!(tls_hint("Connection refused (os error 111)"), "");
    }
}
