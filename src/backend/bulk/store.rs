//! Store items in bulk: a tenant's live items under a namespace prefix,
//! page by page with their expiry, and batched writes that keep each
//! item's expiry and never bring back one that has expired.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::{ConflictKind, RecordOutcome, WriteMode};
use crate::backend::traits::StoreItem;
use crate::error::{Error, Result};
use crate::model::{Namespace, TenantId};

/// Where an item enumeration stopped. Opaque, and only meaningful to the
/// backend kind that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCursor(String);

impl ItemCursor {
    /// Wraps a cursor's text as a backend made it.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The cursor's text.
    pub fn as_text(&self) -> &str {
        &self.0
    }
}

/// One live item of a page, with the other places it could belong.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedItem {
    /// The item under its default reading: on Redis, where a `:` in the
    /// key makes the split into namespace and key ambiguous (FORMAT.md,
    /// "Redis layout"), the one whose key holds no `:` (the deepest
    /// namespace, where `store namespaces` lists it).
    pub item: StoreItem,
    /// The other (namespace, key) readings of the same stored record
    /// within the prefix asked for, fewest namespace segments first;
    /// empty except on Redis.
    pub other_readings: Vec<(Namespace, String)>,
}

/// An item that could not be decoded, reported instead of aborting the
/// page it is on.
#[derive(Debug)]
pub struct UnreadableItem {
    /// Where it was found (the rendered namespace, or the Redis key).
    pub location: String,
    /// Why it cannot be read ([`Error::Corrupt`]).
    pub error: Error,
}

/// One item of a page: decoded, or why not.
pub type ItemRead = std::result::Result<ListedItem, Box<UnreadableItem>>;

/// A bounded run of a tenant's items.
#[derive(Debug, Default)]
pub struct ItemPage {
    /// The items, each readable or not. On Redis an item may appear in
    /// more than one page (SCAN's guarantee): consumers are idempotent.
    pub items: Vec<ItemRead>,
    /// Where to continue; `None` when the enumeration is complete.
    pub next: Option<ItemCursor>,
}

/// True when two items hold the same value and the same expiry, give or
/// take a second (Redis reports expiry as a remaining TTL, so it reads
/// back a little differently each time); what [`WriteMode::SkipIdentical`]
/// leaves alone.
pub fn same_item(a: &StoreItem, b: &StoreItem) -> bool {
    let close = match (a.expires_at, b.expires_at) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).num_milliseconds().abs() <= 1000,
        _ => false,
    };
    a.value == b.value && close
}

/// True when the item expired at `now` (an expiry exactly now included).
pub fn expired(item: &StoreItem, now: DateTime<Utc>) -> bool {
    item.expires_at.is_some_and(|at| at <= now)
}

/// Checks what every [`BulkStore::write_items`] requires of its input:
/// items of `tenant` only, each (namespace, key) once, no empty key.
pub fn check_items(tenant: &TenantId, items: &[StoreItem]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        if item.namespace.tenant != *tenant {
            return Err(Error::invalid(
                "items",
                format!(
                    "item {} / {:?} belongs to tenant {}, not to {tenant}",
                    item.namespace, item.key, item.namespace.tenant
                ),
            ));
        }
        if item.key.is_empty() {
            return Err(Error::invalid("store key", "must not be empty"));
        }
        if !seen.insert((&item.namespace, &item.key)) {
            return Err(Error::invalid(
                "items",
                format!("item {} / {:?} appears twice", item.namespace, item.key),
            ));
        }
    }
    Ok(())
}

/// Each item's outcome given what the target held under its
/// (namespace, key) before the write (live items only): the rule every
/// [`BulkStore::write_items`] follows. Expired items are
/// [`RecordOutcome::Unchanged`]: never written.
pub fn item_outcomes(
    items: &[StoreItem],
    before: &[Option<StoreItem>],
    mode: WriteMode,
    now: DateTime<Utc>,
) -> Vec<RecordOutcome> {
    items
        .iter()
        .zip(before)
        .map(|(item, before)| match (mode, before) {
            _ if expired(item, now) => RecordOutcome::Unchanged,
            (WriteMode::Replace, _) | (_, None) => RecordOutcome::Written,
            (WriteMode::SkipIdentical, Some(stored)) if same_item(stored, item) => {
                RecordOutcome::Unchanged
            }
            (_, Some(_)) => RecordOutcome::Conflict(ConflictKind::DuplicateId),
        })
        .collect()
}

/// A target key that more than one source item can land on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedKey {
    /// The key.
    pub key: String,
    /// True when this item can take the key from another (a `:` in its
    /// key or tenant). Of two items bound for one key, at least one is
    /// such; transfers remember only those and check the others against
    /// them, which keeps what they hold to the items whose ids hold `:`.
    pub remember: bool,
}

/// Reading and writing a tenant's store items in bulk, expiry included.
pub trait BulkStore: Send + Sync {
    /// About `limit` live items of `prefix`'s tenant whose namespace is
    /// `prefix` or below it, after `cursor`; an undecodable item is an
    /// [`UnreadableItem`] in its place.
    fn item_page(
        &self,
        prefix: &Namespace,
        cursor: Option<&ItemCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<ItemPage>> + Send;

    /// The key an item lands on when another (namespace, key) pair can
    /// land on it too (Redis: any item below the tenant's bare namespace,
    /// since scope and key are joined by `:`), so that a transfer can
    /// refuse to land two source items there; `None` otherwise.
    fn shared_item_key(&self, namespace: &Namespace, key: &str) -> Option<SharedKey> {
        let _ = (namespace, key);
        None
    }

    /// Writes `items` of `tenant` with their values and absolute expiry,
    /// atomically, as [`item_outcomes`] says: an item whose expiry has
    /// passed is not written; a target item that has expired counts as
    /// absent. One outcome per item, in order; `items` must pass
    /// [`check_items`].
    fn write_items(
        &self,
        tenant: &TenantId,
        items: &[StoreItem],
        mode: WriteMode,
    ) -> impl Future<Output = Result<Vec<RecordOutcome>>> + Send;
}
