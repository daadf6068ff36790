//! Records whose Redis key reads in more than one way (FORMAT.md, "Redis
//! layout": tenants, threads and store keys are inserted unescaped): what
//! a transfer does with them, and how it reports each one.
//!
//! - A session log goes with the reading whose thread has checkpoints;
//!   when none or several have, it is reported and left out, unless
//!   [`AmbiguityPolicy::Both`] writes it under every reading.
//! - A store item whose key splits into namespace and key in more than
//!   one way, in namespaces that exist ([`super::ItemReader`]), goes under
//!   the reading whose namespace also holds items with unambiguous keys,
//!   else under the one with the fewest namespace segments;
//!   [`AmbiguityPolicy::Both`] writes it under every reading.

use crate::model::{Namespace, ThreadKey};

/// What to do with a record whose place in the source is ambiguous
/// (`--ambiguous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmbiguityPolicy {
    /// Write it under the preferred reading; a session log with no
    /// preferred reading is reported and left out.
    #[default]
    Prefer,
    /// Write it under every reading.
    Both,
}

/// One ambiguous source record, as reports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// Which record (a session log, a store item).
    pub what: String,
    /// Every place it can belong, preferred first when there is one.
    pub readings: Vec<String>,
    /// The readings it was written under; empty when it was left out.
    pub written_as: Vec<String>,
}

/// A thread reading, as reports name it.
pub fn thread_reading(thread: &ThreadKey) -> String {
    format!(
        "tenant {:?}, thread {:?}",
        thread.tenant.as_str(),
        thread.thread.as_str()
    )
}

/// A store-item reading, as reports name it.
pub fn item_reading(namespace: &Namespace, key: &str) -> String {
    format!("namespace {namespace}, key {key:?}")
}

/// One way to read a stored item: its namespace and its key.
pub type ItemReading = (Namespace, String);

/// Every reading of an ambiguous store item, preferred first, and the ones
/// to write: the readings by fewest namespace segments, the first whose
/// namespace holds items with unambiguous keys (`holds_plain`) moved to
/// the front.
pub fn item_choice(
    mut readings: Vec<ItemReading>,
    policy: AmbiguityPolicy,
    holds_plain: impl Fn(&Namespace) -> bool,
) -> (Vec<ItemReading>, Vec<ItemReading>) {
    readings.sort_by_key(|(namespace, _)| namespace.scope.len());
    if let Some(at) = readings.iter().position(|(n, _)| holds_plain(n)) {
        let preferred = readings.remove(at);
        readings.insert(0, preferred);
    }
    let written = match policy {
        AmbiguityPolicy::Both => readings.clone(),
        AmbiguityPolicy::Prefer => readings.iter().take(1).cloned().collect(),
    };
    (readings, written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TenantId;

    fn ns(scope: &[&str]) -> Namespace {
        Namespace::new(TenantId::new("acme").unwrap(), scope.iter().copied())
    }

    fn readings() -> Vec<(Namespace, String)> {
        vec![
            (ns(&["agent-a", "pref"]), "color".to_string()),
            (ns(&["agent-a"]), "pref:color".to_string()),
        ]
    }

    #[test]
    fn fewest_segments_win_unless_a_namespace_holds_plain_items() {
        let (all, written) = item_choice(readings(), AmbiguityPolicy::Prefer, |_| false);
        assert_eq!(written, vec![(ns(&["agent-a"]), "pref:color".to_string())]);
        assert_eq!(all.len(), 2);
        let plain = ns(&["agent-a", "pref"]);
        let (_, written) = item_choice(readings(), AmbiguityPolicy::Prefer, |n| *n == plain);
        assert_eq!(written, vec![(plain.clone(), "color".to_string())]);
        let (_, written) = item_choice(readings(), AmbiguityPolicy::Both, |n| *n == plain);
        assert_eq!(written.len(), 2);
        assert_eq!(written[0].0, plain);
    }
}
