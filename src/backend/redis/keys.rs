//! The Redis key layout of docs/format.md ("Redis layout"), SCAN pattern
//! escaping, and splitting store keys back into namespace and item key.
//!
//! Tenant, thread and item keys are inserted verbatim, exactly as the
//! reference does, so some distinct ids share keys; callers check owners
//! (checkpoints) or warn (events, store items).

use crate::lock_key::LockKey;
use crate::model::{Namespace, TenantId, ThreadKey};

/// Prefix of every checkpoint key.
pub const CHECKPOINT_PREFIX: &str = "entelix:cp:";
/// Suffix of a thread's checkpoint sorted set.
pub const BYSTEP_SUFFIX: &str = ":bystep";
/// Prefix of every session-log key.
pub const SESSION_PREFIX: &str = "entelix:session:";
/// Suffix of a thread's event list.
pub const EVENTS_SUFFIX: &str = ":events";
/// Suffix of a thread's archive watermark.
pub const WATERMARK_SUFFIX: &str = ":watermark";
/// Prefix of every store item key.
pub const STORE_PREFIX: &str = "entelix:store:";
/// Prefix of every session-lock key.
pub const LOCK_PREFIX: &str = "entelix:lock:";
/// Where the store's envelope write version lives.
pub const WRITE_VERSION_KEY: &str = "entelix:meta:envelope_version";

/// True when `thread`'s keys could be shared with another pair's: the
/// layout inserts tenant and thread verbatim, joined by `:`, so only a pair
/// with a `:` in either can collide.
pub fn thread_keys_may_collide(thread: &ThreadKey) -> bool {
    thread.tenant.as_str().contains(':') || thread.thread.as_str().contains(':')
}

/// The sorted set of a thread's checkpoint ids scored by step.
pub fn bystep(thread: &ThreadKey) -> String {
    format!(
        "{CHECKPOINT_PREFIX}{}:{}{BYSTEP_SUFFIX}",
        thread.tenant, thread.thread
    )
}

/// The hash of a thread's envelopes by checkpoint id.
pub fn byid(thread: &ThreadKey) -> String {
    format!(
        "{CHECKPOINT_PREFIX}{}:{}:byid",
        thread.tenant, thread.thread
    )
}

/// Prefix of the keys a batch is staged under before it becomes a new
/// thread's (`write_batch`): outside every prefix the reference and its
/// services read or scan.
pub const STAGING_PREFIX: &str = "threadctl:staging:";

/// A fresh pair of staging keys (hash, sorted set) for one batch.
pub fn staging() -> (String, String) {
    let base = format!("{STAGING_PREFIX}{}", uuid::Uuid::new_v4());
    (format!("{base}:byid"), format!("{base}{BYSTEP_SUFFIX}"))
}

/// The `byid` hash that goes with a `bystep` sorted-set key.
pub fn byid_of_bystep(bystep_key: &str) -> Option<String> {
    bystep_key
        .strip_suffix(BYSTEP_SUFFIX)
        .map(|base| format!("{base}:byid"))
}

/// A thread's event list.
pub fn events(thread: &ThreadKey) -> String {
    format!(
        "{SESSION_PREFIX}{}:{}{EVENTS_SUFFIX}",
        thread.tenant, thread.thread
    )
}

/// A thread's archive watermark.
pub fn watermark(thread: &ThreadKey) -> String {
    format!(
        "{SESSION_PREFIX}{}:{}:watermark",
        thread.tenant, thread.thread
    )
}

/// Everything before the item key: `entelix:store:{tenant}:{rendered}:`.
pub fn store_namespace_prefix(namespace: &Namespace) -> String {
    format!("{STORE_PREFIX}{}:{}:", namespace.tenant, namespace.render())
}

/// One store item.
pub fn store_item(namespace: &Namespace, key: &str) -> String {
    format!("{}{key}", store_namespace_prefix(namespace))
}

/// A thread's session lock.
pub fn lock(thread: &ThreadKey) -> String {
    LockKey::session(thread).redis_key()
}

/// True for a key shaped like a session lock (`entelix:lock:` + 16 hex).
pub fn is_lock_key(key: &str) -> bool {
    key.strip_prefix(LOCK_PREFIX).is_some_and(|hash| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// True when a store item's key could be shared with another (namespace,
/// key) pair: the tenant and the item key are inserted verbatim, so a `:`
/// in either makes the split ambiguous. (Scope segments are escaped and
/// cannot collide on their own.)
pub fn store_key_may_collide(tenant: &TenantId, key: &str) -> bool {
    tenant.as_str().contains(':') || key.contains(':')
}

/// `literal` escaped for SCAN MATCH, followed by `*`: every key that
/// starts with `literal`, with no wildcard meaning for any of its
/// characters.
pub fn scan_prefix_pattern(literal: &str) -> String {
    let mut pattern = String::with_capacity(literal.len() + 8);
    for c in literal.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('*');
    pattern
}

/// Splits the part of a store key after a namespace prefix into deeper
/// scope segments and the item key, for listing namespaces.
///
/// Item keys are inserted verbatim, so a key holding `:` cannot be told
/// apart from a deeper namespace. The rule threadctl applies here: the
/// item key is the text after the last `:` not escaped by a backslash,
/// taken verbatim; what comes before it is rendered scope segments. (Key
/// listings take the whole rest as the key instead, so such an item is
/// listed under every namespace it can belong to.) `None` when the split
/// yields an empty key or invalid escapes in the scope part.
pub fn split_item(rest: &str) -> Option<(Vec<String>, String)> {
    let mut last_colon = None;
    let mut escaped = false;
    for (i, b) in rest.bytes().enumerate() {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b':') => last_colon = Some(i),
            _ => {}
        }
    }
    let (scope_part, key) = match last_colon {
        None => return (!rest.is_empty()).then(|| (Vec::new(), rest.to_string())),
        Some(i) => (&rest[..i], &rest[i + 1..]),
    };
    if key.is_empty() {
        return None;
    }
    Some((parse_segments(scope_part)?, key.to_string()))
}

/// Every (namespace, key) reading of the part of a store key after
/// `prefix`'s namespace prefix, within `prefix`, fewest namespace segments
/// first: the whole rest as the key, then one reading per unescaped `:`
/// whose left side is valid rendered segments. Exactly one reading when
/// the rest holds no unescaped `:`.
pub fn item_readings(prefix: &Namespace, rest: &str) -> Vec<(Namespace, String)> {
    let mut readings = Vec::new();
    if !rest.is_empty() {
        readings.push((prefix.clone(), rest.to_string()));
    }
    let mut escaped = false;
    for (i, b) in rest.bytes().enumerate() {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b':') if i + 1 < rest.len() => {
                if let Some(segments) = parse_segments(&rest[..i]) {
                    let mut namespace = prefix.clone();
                    namespace.scope.extend(segments);
                    readings.push((namespace, rest[i + 1..].to_string()));
                }
            }
            _ => {}
        }
    }
    readings
}

/// Unescapes rendered scope segments (`\\` and `\:`), split at bare `:`.
fn parse_segments(rendered: &str) -> Option<Vec<String>> {
    let mut segments = vec![String::new()];
    let mut chars = rendered.chars();
    while let Some(c) = chars.next() {
        let current = segments.last_mut()?;
        match c {
            '\\' => match chars.next()? {
                e @ ('\\' | ':') => current.push(e),
                _ => return None,
            },
            ':' => segments.push(String::new()),
            c => current.push(c),
        }
    }
    Some(segments)
}

/// Candidate (tenant, thread) readings of the `{tenant}:{thread}` part of
/// a checkpoint or session key: one per `:`. Exactly one when the ids
/// contain no `:`.
pub fn thread_candidates(joined: &str) -> Vec<ThreadKey> {
    joined
        .match_indices(':')
        .filter_map(|(i, _)| ThreadKey::new(&joined[..i], &joined[i + 1..]).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pairs_with_a_colon_may_collide() {
        assert!(thread_keys_may_collide(
            &ThreadKey::new("a:b", "c").unwrap()
        ));
        assert!(thread_keys_may_collide(
            &ThreadKey::new("a", "b:c").unwrap()
        ));
        assert!(!thread_keys_may_collide(&ThreadKey::new("a", "c").unwrap()));
    }

    fn ns(tenant: &str, scope: &[&str]) -> Namespace {
        Namespace::new(TenantId::new(tenant).unwrap(), scope.iter().copied())
    }

    #[test]
    fn keys_follow_the_format() {
        let t = ThreadKey::new("acme", "t1").unwrap();
        assert_eq!(bystep(&t), "entelix:cp:acme:t1:bystep");
        assert_eq!(byid(&t), "entelix:cp:acme:t1:byid");
        assert_eq!(events(&t), "entelix:session:acme:t1:events");
        assert_eq!(watermark(&t), "entelix:session:acme:t1:watermark");
        assert_eq!(lock(&t), "entelix:lock:8c70ab9866aab940");
        assert_eq!(
            store_item(&ns("acme", &["agent:1", "notes"]), "k"),
            "entelix:store:acme:acme:agent\\:1:notes:k"
        );
        assert_eq!(
            byid_of_bystep("entelix:cp:a:b:bystep").as_deref(),
            Some("entelix:cp:a:b:byid")
        );
        assert!(is_lock_key("entelix:lock:8c70ab9866aab940"));
        assert!(!is_lock_key("entelix:lock:8c70ab9866aab94"));
        assert!(!is_lock_key("entelix:lock:8C70AB9866AAB940"));
    }

    #[test]
    fn scan_patterns_escape_every_special() {
        assert_eq!(
            scan_prefix_pattern("a\\:b*?[x]%_"),
            "a\\\\:b\\*\\?\\[x\\]%_*"
        );
    }

    #[test]
    fn items_split_at_the_last_unescaped_colon() {
        assert_eq!(split_item("k"), Some((vec![], "k".into())));
        assert_eq!(
            split_item("a\\:b:c\\\\:k"),
            Some((vec!["a:b".into(), "c\\".into()], "k".into()))
        );
        assert_eq!(split_item("x\\:y"), Some((vec![], "x\\:y".into())));
        assert_eq!(split_item("a:"), None);
        assert_eq!(split_item("a\\q:k"), None);
    }

    #[test]
    fn store_keys_have_one_reading_per_unescaped_colon() {
        let agent = ns("acme", &["agent-a"]);
        let readings = item_readings(&agent, "pref:color");
        assert_eq!(
            readings,
            vec![
                (agent.clone(), "pref:color".to_string()),
                (ns("acme", &["agent-a", "pref"]), "color".to_string()),
            ]
        );
        assert_eq!(item_readings(&agent, "x\\:y").len(), 1);
        assert!(item_readings(&agent, "").is_empty());
    }

    #[test]
    fn thread_parts_have_one_reading_per_colon() {
        assert_eq!(
            thread_candidates("a:b"),
            vec![ThreadKey::new("a", "b").unwrap()]
        );
        assert_eq!(thread_candidates("a:b:c").len(), 2);
        assert!(thread_candidates("ab").is_empty());
    }
}
