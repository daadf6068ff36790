//! Postgres' btree indexes hold at most about 2.7 kB per entry, and every
//! table's primary key starts with its text columns (tenant and thread;
//! tenant, namespace and key). Longer ids are refused before anything is
//! sent, with an error that says so, instead of the server's "index row
//! size exceeds the maximum" in the middle of a write.

use crate::error::{Error, Result};

/// The most bytes the text columns of one primary key may hold together,
/// leaving room below the btree limit for the rest of the entry.
pub(super) const MAX_KEY_BYTES: usize = 2048;

/// Refuses the text columns `parts` of one row's primary key (named
/// `what`) when together they exceed [`MAX_KEY_BYTES`].
pub(super) fn check_key_bytes(parts: &[&str], what: &'static str) -> Result<()> {
    let total: usize = parts.iter().map(|part| part.len()).sum();
    if total > MAX_KEY_BYTES {
        return Err(Error::invalid(
            what,
            format!(
                "its text takes {total} bytes; Postgres indexes at most {MAX_KEY_BYTES} bytes of ids per row (btree entries are limited to about 2.7 kB): choose shorter ids"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_parts_together() {
        let half = "x".repeat(MAX_KEY_BYTES / 2);
        assert!(check_key_bytes(&[&half, &half], "thread").is_ok());
        let err = check_key_bytes(&[&half, &half, "y"], "thread").unwrap_err();
        assert!(err.to_string().contains("2049 bytes"), "{err}");
    }
}
