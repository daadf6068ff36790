//! `doctor`'s facts about a Redis server: its version and mode, TLS, the
//! eviction policy (which may evict checkpoints) and persistence (without
//! any, a restart loses every thread).

use crate::backend::diagnostics::{Check, Diagnostics};
use crate::error::Result;

use super::{driver_error, RedisBackend};

/// The value of `field` in an `INFO` reply (`field:value` lines).
fn info_field<'a>(info: &'a str, field: &str) -> Option<&'a str> {
    info.lines()
        .find_map(|line| line.trim_end().strip_prefix(field)?.strip_prefix(':'))
}

/// The check of a `maxmemory-policy`: an `allkeys-*` policy evicts
/// checkpoints, which have no expiry, when memory runs out.
fn eviction_check(policy: &str) -> Check {
    if policy.starts_with("allkeys-") {
        Check::warn(
            "eviction",
            format!("maxmemory-policy {policy} can evict checkpoints when memory is full"),
            "set maxmemory-policy to noeviction (or a volatile-* policy) for this server",
        )
    } else {
        Check::ok("eviction", format!("maxmemory-policy {policy}"))
    }
}

/// The check of the persistence settings: RDB snapshots (`save`, when
/// known) and the append-only file.
fn persistence_check(rdb: Option<bool>, aof: bool) -> Check {
    let rdb_text = match rdb {
        Some(true) => "rdb on",
        Some(false) => "rdb off",
        None => "rdb unknown (CONFIG GET refused)",
    };
    let detail = format!("{rdb_text}, aof {}", if aof { "on" } else { "off" });
    match (rdb, aof) {
        (_, true) | (Some(true), false) => Check::ok("persistence", detail),
        (Some(false), false) => Check::warn(
            "persistence",
            detail,
            "a restart loses every thread: enable appendonly yes or RDB snapshots (save)",
        ),
        (None, false) => Check::warn(
            "persistence",
            detail,
            "without RDB snapshots a restart loses every thread: check the server's save setting",
        ),
    }
}

impl RedisBackend {
    /// `CONFIG GET name`, or `None` when the server refuses it (managed
    /// Redis often renames or disables CONFIG).
    async fn config_get(&self, name: &str) -> Option<String> {
        let reply: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg(name)
            .query_async(&mut self.conn())
            .await
            .ok()?;
        reply.into_iter().nth(1)
    }

    /// The text of `INFO section`.
    async fn info(&self, section: &str) -> Result<String> {
        redis::cmd("INFO")
            .arg(section)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("reading INFO {section}")))
    }
}

impl Diagnostics for RedisBackend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        let server = self.info("server").await?;
        let version = info_field(&server, "redis_version").unwrap_or("unknown");
        let mode = info_field(&server, "redis_mode").unwrap_or("standalone");
        let server_check = if mode == "cluster" {
            Check::warn(
                "server",
                format!("Redis {version}, cluster mode"),
                "threadctl's keys of one thread may live on different nodes: use a standalone server or a single shard",
            )
        } else {
            Check::ok("server", format!("Redis {version}, {mode}"))
        };
        let tls = if self.tls {
            Check::ok("tls", "encrypted (rediss://)")
        } else {
            Check::warn(
                "tls",
                "not encrypted (redis://)",
                "use a rediss:// URL if the network is not trusted",
            )
        };
        let eviction = match self.config_get("maxmemory-policy").await {
            Some(policy) => eviction_check(&policy),
            None => Check::warn(
                "eviction",
                "unknown: the server refused CONFIG GET maxmemory-policy (managed Redis?)",
                "check in the provider's settings that maxmemory-policy is noeviction or volatile-*",
            ),
        };
        let persistence = self.info("persistence").await?;
        let aof = info_field(&persistence, "aof_enabled") == Some("1");
        let rdb = self
            .config_get("save")
            .await
            .map(|save| !save.trim().is_empty());
        Ok(vec![
            Check::ok("connection", self.target.clone()),
            server_check,
            tls,
            eviction,
            persistence_check(rdb, aof),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::diagnostics::CheckLevel;

    #[test]
    fn info_fields_are_read_from_their_lines() {
        let info = "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n";
        assert_eq!(info_field(info, "redis_version"), Some("7.2.4"));
        assert_eq!(info_field(info, "redis_mode"), Some("standalone"));
        assert_eq!(info_field(info, "redis"), None);
    }

    #[test]
    fn allkeys_policies_warn_and_others_do_not() {
        assert_eq!(eviction_check("allkeys-lru").level, CheckLevel::Warn);
        assert_eq!(eviction_check("noeviction").level, CheckLevel::Ok);
        assert_eq!(eviction_check("volatile-lru").level, CheckLevel::Ok);
    }

    #[test]
    fn no_persistence_at_all_warns() {
        assert_eq!(
            persistence_check(Some(false), false).level,
            CheckLevel::Warn
        );
        assert_eq!(persistence_check(None, false).level, CheckLevel::Warn);
        assert_eq!(persistence_check(Some(false), true).level, CheckLevel::Ok);
        assert_eq!(persistence_check(Some(true), false).level, CheckLevel::Ok);
    }
}
