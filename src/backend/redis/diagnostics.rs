//! `doctor`'s facts about a Redis server: its version and mode, TLS, the
//! eviction policy (which may evict checkpoints or store items),
//! persistence (without any, a restart loses every thread), ids that
//! collide in the reference layout in a sample of the keys, and the size
//! of the store estimated from `DBSIZE` and random keys.

use redis::aio::ConnectionLike;

use crate::backend::diagnostics::{Check, Diagnostics, SizeEstimate};
use crate::error::Result;

use super::admin::joined_of_bystep;
use super::scan::KeyScan;
use super::{driver_error, keys, RedisBackend};

/// Checkpoint keys looked at for colliding ids.
const COLLISION_SAMPLE: usize = 1000;

/// SCAN calls at most spent finding them (a big keyspace with few
/// checkpoint keys would otherwise be walked whole).
const COLLISION_SCAN_CALLS: usize = 100;

/// Random keys drawn to estimate the store's size.
const SIZE_SAMPLE: usize = 64;

/// The value of `field` in an `INFO` reply (`field:value` lines).
fn info_field<'a>(info: &'a str, field: &str) -> Option<&'a str> {
    info.lines()
        .find_map(|line| line.trim_end().strip_prefix(field)?.strip_prefix(':'))
}

/// The number of keys with an expiry in database `db`, from an
/// `INFO keyspace` reply (`db0:keys=5,expires=1,avg_ttl=0`).
fn expiring_keys(keyspace: &str, db: i64) -> u64 {
    info_field(keyspace, &format!("db{db}"))
        .and_then(|stats| {
            stats
                .split(',')
                .find_map(|pair| pair.strip_prefix("expires="))
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The check of a `maxmemory-policy`: an `allkeys-*` policy evicts
/// checkpoints, which have no expiry, when memory runs out; a
/// `volatile-*` one evicts keys with a TTL (store items put with one)
/// before they expire.
fn eviction_check(policy: &str, maxmemory: &str, expiring: u64) -> Check {
    let limit = if maxmemory == "0" {
        "no maxmemory set now".to_string()
    } else {
        format!("maxmemory {maxmemory}")
    };
    if policy.starts_with("allkeys-") {
        Check::warn(
            "eviction",
            format!(
                "maxmemory-policy {policy} ({limit}) can evict checkpoints when memory is full"
            ),
            "set maxmemory-policy to noeviction for this server",
        )
    } else if policy.starts_with("volatile-") && expiring > 0 {
        Check::warn(
            "eviction",
            format!(
                "maxmemory-policy {policy} ({limit}) can evict the {expiring} key(s) with a TTL (store items) before they expire"
            ),
            "set maxmemory-policy to noeviction if store items must live out their TTL",
        )
    } else {
        Check::ok("eviction", format!("maxmemory-policy {policy} ({limit})"))
    }
}

/// The check of a sample of checkpoint keys: `shared` lists keys that hold
/// records of more than one (tenant, thread) pair, each with those pairs.
fn collision_check(sampled: usize, ambiguous: usize, shared: &[(String, Vec<String>)]) -> Check {
    match shared.first() {
        None => Check::ok(
            "colliding ids",
            format!(
                "none in a sample of {sampled} thread key(s) ({ambiguous} with ids containing ':')"
            ),
        ),
        Some((key, pairs)) => Check::warn(
            "colliding ids",
            format!(
                "{} of {sampled} sampled thread key(s) hold records of more than one (tenant, thread) pair, e.g. {key}: {}",
                shared.len(),
                pairs.join(", ")
            ),
            "threadctl keeps them apart, but the reference's services read each other's records there: rename one of the pairs (threadctl copy to new ids, then rm)",
        ),
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

    /// Keys in the selected database.
    async fn dbsize(&self) -> Result<u64> {
        redis::cmd("DBSIZE")
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error("reading DBSIZE"))
    }

    /// Looks at up to [`COLLISION_SAMPLE`] checkpoint keys and reads the
    /// owners of those two pairs could share.
    async fn collisions(&self) -> Result<Check> {
        let mut scan = KeyScan::new(keys::scan_prefix_pattern(keys::CHECKPOINT_PREFIX));
        let mut conn = self.conn();
        let (mut sampled, mut ambiguous) = (0, 0);
        let mut shared = Vec::new();
        let mut calls = 0;
        while sampled < COLLISION_SAMPLE && calls < COLLISION_SCAN_CALLS {
            calls += 1;
            let Some(batch) = scan.next_batch(&mut conn).await? else {
                break;
            };
            for key in batch {
                let Some(joined) = joined_of_bystep(&key) else {
                    continue;
                };
                sampled += 1;
                let candidates = keys::thread_candidates(joined);
                if candidates.len() < 2 {
                    continue;
                }
                ambiguous += 1;
                let owners = self.summarize_shared(&key, &candidates, None).await?;
                if owners.len() > 1 {
                    let pairs = owners.iter().map(|o| o.thread.to_string()).collect();
                    shared.push((key, pairs));
                }
            }
        }
        Ok(collision_check(sampled, ambiguous, &shared))
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
        let keyspace = self.info("keyspace").await?;
        let expiring = expiring_keys(&keyspace, self.conn().get_db());
        let maxmemory = self
            .config_get("maxmemory")
            .await
            .unwrap_or_else(|| "unknown".into());
        let eviction = match self.config_get("maxmemory-policy").await {
            Some(policy) => eviction_check(&policy, &maxmemory, expiring),
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
            self.collisions().await?,
        ])
    }

    async fn ping(&self) -> Result<()> {
        redis::cmd("PING")
            .query_async::<()>(&mut self.conn())
            .await
            .map_err(driver_error("timing a round trip"))
    }

    /// Threads from the share of `bystep` keys among random keys, and
    /// checkpoints from their average size: one pipeline each.
    async fn estimate_size(&self) -> Result<SizeEstimate> {
        let keys_total = self.dbsize().await?;
        if keys_total == 0 {
            return Ok(SizeEstimate::default());
        }
        let draws = SIZE_SAMPLE.min(usize::try_from(keys_total).unwrap_or(SIZE_SAMPLE));
        let mut pipe = redis::pipe();
        for _ in 0..draws {
            pipe.cmd("RANDOMKEY");
        }
        let drawn: Vec<Option<String>> = pipe
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error("sampling random keys"))?;
        let bysteps: Vec<String> = drawn
            .into_iter()
            .flatten()
            .filter(|k| joined_of_bystep(k).is_some())
            .collect();
        if bysteps.is_empty() {
            return Ok(SizeEstimate::default());
        }
        let mut pipe = redis::pipe();
        for key in &bysteps {
            pipe.cmd("ZCARD").arg(key);
        }
        let sizes: Vec<u64> = pipe
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error("sizing sampled sorted sets"))?;
        let threads = keys_total * bysteps.len() as u64 / draws as u64;
        let average = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64;
        Ok(SizeEstimate {
            checkpoints: (threads as f64 * average).round() as u64,
            threads: Some(threads),
            tenants: None,
        })
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
    fn allkeys_policies_warn_and_volatile_ones_when_keys_expire() {
        assert_eq!(
            eviction_check("allkeys-lru", "0", 0).level,
            CheckLevel::Warn
        );
        assert_eq!(eviction_check("noeviction", "0", 5).level, CheckLevel::Ok);
        assert_eq!(
            eviction_check("volatile-lru", "100mb", 0).level,
            CheckLevel::Ok
        );
        let volatile = eviction_check("volatile-ttl", "100mb", 3);
        assert_eq!(volatile.level, CheckLevel::Warn);
        assert!(volatile.detail.contains("3 key(s) with a TTL"));
    }

    #[test]
    fn expiring_keys_are_read_for_the_selected_database() {
        let info =
            "# Keyspace\r\ndb0:keys=5,expires=1,avg_ttl=0\r\ndb3:keys=9,expires=4,avg_ttl=7\r\n";
        assert_eq!(expiring_keys(info, 0), 1);
        assert_eq!(expiring_keys(info, 3), 4);
        assert_eq!(expiring_keys(info, 5), 0);
    }

    #[test]
    fn shared_keys_warn_and_name_their_pairs() {
        assert_eq!(collision_check(10, 2, &[]).level, CheckLevel::Ok);
        let shared = [(
            "entelix:cp:a:b:c:bystep".to_string(),
            vec!["a/b:c".to_string(), "a:b/c".to_string()],
        )];
        let check = collision_check(10, 2, &shared);
        assert_eq!(check.level, CheckLevel::Warn);
        assert!(check.detail.contains("a/b:c, a:b/c"), "{}", check.detail);
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
