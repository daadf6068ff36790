//! Comparing two stores record by record over a selection: the engine of
//! `copy --verify` and `verify --against`. Checkpoints are compared by
//! content whatever their envelope versions ([`same_content`]), session
//! logs by watermark and by event at each ordinal, store items by value
//! and expiry ([`same_item`]). Nothing is written; memory stays bounded
//! (both sides are read in pages, side by side).

use std::cmp::Ordering;

use crate::backend::{
    same_content, same_item, BulkCheckpoints, BulkEvents, BulkStore, RecordCursor, RecordRead,
    StoreBackend,
};
use crate::error::Result;
use crate::model::{Namespace, StoredCheckpoint, ThreadKey};

use super::{AmbiguityPolicy, LogWalk, MAX_DESCRIBED};
use crate::ops::threads_walk::ThreadWalk;

/// How a record differs between the two stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifferenceKind {
    /// In the source, not in the target.
    MissingInTarget,
    /// In the target, not in the source.
    OnlyInTarget,
    /// In both, with different content.
    Differs,
    /// Unreadable on one side.
    Unreadable,
}

impl DifferenceKind {
    /// A short, stable name for scripts (`-o json`).
    pub fn code(self) -> &'static str {
        match self {
            DifferenceKind::MissingInTarget => "missing_in_target",
            DifferenceKind::OnlyInTarget => "only_in_target",
            DifferenceKind::Differs => "differs",
            DifferenceKind::Unreadable => "unreadable",
        }
    }
}

/// One record that is not the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Which record (kind, owner, id).
    pub what: String,
    /// How it differs.
    pub kind: DifferenceKind,
}

/// What a comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Threads compared.
    pub threads: u64,
    /// Records compared (both sides' records counted once).
    pub records: u64,
    /// At most [`MAX_DESCRIBED`] differences (see `difference_count`).
    pub differences: Vec<Difference>,
    /// Every difference found.
    pub difference_count: u64,
}

impl Comparison {
    /// True when both sides hold the same records.
    pub fn is_identical(&self) -> bool {
        self.difference_count == 0
    }

    fn differ(&mut self, what: String, kind: DifferenceKind) {
        self.difference_count += 1;
        if self.differences.len() < MAX_DESCRIBED {
            self.differences.push(Difference { what, kind });
        }
    }

    /// Adds another comparison to this one.
    pub fn absorb(&mut self, other: Comparison) {
        self.threads += other.threads;
        self.records += other.records;
        self.difference_count += other.difference_count;
        let room = MAX_DESCRIBED.saturating_sub(self.differences.len());
        self.differences
            .extend(other.differences.into_iter().take(room));
    }
}

/// Pages through one side's records of a thread, one record at a time.
struct Side<'s, S> {
    store: &'s S,
    thread: &'s ThreadKey,
    page_size: usize,
    buffered: std::collections::VecDeque<RecordRead>,
    next: Option<RecordCursor>,
    started: bool,
}

impl<'s, S: BulkCheckpoints> Side<'s, S> {
    fn new(store: &'s S, thread: &'s ThreadKey, page_size: usize) -> Self {
        Self {
            store,
            thread,
            page_size,
            buffered: Default::default(),
            next: None,
            started: false,
        }
    }

    async fn peek(&mut self) -> Result<Option<&RecordRead>> {
        while self.buffered.is_empty() && (!self.started || self.next.is_some()) {
            let page = self
                .store
                .read_page(self.thread, self.next.as_ref(), self.page_size)
                .await?;
            self.started = true;
            self.next = page.next;
            self.buffered.extend(page.records);
        }
        Ok(self.buffered.front())
    }

    fn pop(&mut self) -> Option<RecordRead> {
        self.buffered.pop_front()
    }
}

/// The (step, id) order of a page entry; unreadable ones by their id.
fn position(read: &RecordRead) -> (u64, String) {
    match read {
        Ok(s) => (s.checkpoint.step, s.checkpoint.id.to_string()),
        Err(bad) => (0, bad.id.clone()),
    }
}

fn name(thread: &ThreadKey, stored: &StoredCheckpoint) -> String {
    format!("checkpoint {} of {thread}", stored.checkpoint.id)
}

/// Compares one thread's checkpoints, and with `events` its session log,
/// between `source` and `target`.
pub async fn compare_thread<S, T>(
    source: &S,
    target: &T,
    thread: &ThreadKey,
    page_size: usize,
    events: bool,
) -> Result<Comparison>
where
    S: BulkCheckpoints + BulkEvents,
    T: BulkCheckpoints + BulkEvents,
{
    let mut out = Comparison {
        threads: 1,
        ..Comparison::default()
    };
    let page_size = page_size.max(1);
    let (mut a, mut b) = (
        Side::new(source, thread, page_size),
        Side::new(target, thread, page_size),
    );
    loop {
        let order = match (a.peek().await?, b.peek().await?) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => position(x).cmp(&position(y)),
        };
        out.records += 1;
        match order {
            Ordering::Less => match a.pop() {
                Some(Ok(s)) => out.differ(name(thread, &s), DifferenceKind::MissingInTarget),
                Some(Err(bad)) => out.differ(
                    format!("checkpoint {} of {thread} (source)", bad.id),
                    DifferenceKind::Unreadable,
                ),
                None => {}
            },
            Ordering::Greater => match b.pop() {
                Some(Ok(s)) => out.differ(name(thread, &s), DifferenceKind::OnlyInTarget),
                Some(Err(bad)) => out.differ(
                    format!("checkpoint {} of {thread} (target)", bad.id),
                    DifferenceKind::Unreadable,
                ),
                None => {}
            },
            Ordering::Equal => match (a.pop(), b.pop()) {
                (Some(Ok(x)), Some(Ok(y))) if same_content(&x, &y) => {}
                (Some(Ok(x)), Some(Ok(_))) => out.differ(name(thread, &x), DifferenceKind::Differs),
                (Some(read), _) => out.differ(
                    format!("checkpoint {} of {thread}", position(&read).1),
                    DifferenceKind::Unreadable,
                ),
                (None, _) => {}
            },
        }
    }
    if events {
        compare_log(source, target, thread, page_size, &mut out).await?;
    }
    Ok(out)
}

/// Compares the watermark and the unarchived events of one log.
pub async fn compare_log<S: BulkEvents, T: BulkEvents>(
    source: &S,
    target: &T,
    thread: &ThreadKey,
    page_size: usize,
    out: &mut Comparison,
) -> Result<()> {
    let mut after = 0;
    let mut first = true;
    loop {
        let x = source.read_events(thread, after, page_size).await?;
        let y = target.read_events(thread, after, page_size).await?;
        if first && x.bounds != y.bounds {
            out.records += 1;
            out.differ(
                format!(
                    "session log of {thread}: watermark {} / last {} in the source, {} / {} in the target",
                    x.bounds.watermark, x.bounds.last, y.bounds.watermark, y.bounds.last
                ),
                DifferenceKind::Differs,
            );
        }
        first = false;
        let (mut xs, mut ys) = (x.events.iter().peekable(), y.events.iter().peekable());
        loop {
            match (xs.peek(), ys.peek()) {
                (None, None) => break,
                (Some(e), None) => {
                    out.differ(
                        format!("event {} of {thread}", e.ordinal),
                        DifferenceKind::MissingInTarget,
                    );
                    xs.next();
                }
                (None, Some(e)) => {
                    out.differ(
                        format!("event {} of {thread}", e.ordinal),
                        DifferenceKind::OnlyInTarget,
                    );
                    ys.next();
                }
                (Some(e), Some(f)) => match e.ordinal.cmp(&f.ordinal) {
                    Ordering::Less => {
                        out.differ(
                            format!("event {} of {thread}", e.ordinal),
                            DifferenceKind::MissingInTarget,
                        );
                        xs.next();
                    }
                    Ordering::Greater => {
                        out.differ(
                            format!("event {} of {thread}", f.ordinal),
                            DifferenceKind::OnlyInTarget,
                        );
                        ys.next();
                    }
                    Ordering::Equal => {
                        if e.event != f.event {
                            out.differ(
                                format!("event {} of {thread}", e.ordinal),
                                DifferenceKind::Differs,
                            );
                        }
                        xs.next();
                        ys.next();
                    }
                },
            }
            out.records += 1;
        }
        // Both pages end at the same ordinal only when both logs do.
        let next = match (x.next, y.next) {
            (None, None) => return Ok(()),
            (a, b) => a.max(b),
        };
        match next {
            Some(n) => after = n,
            None => return Ok(()),
        }
    }
}

/// Compares a tenant's store items under `prefix`: every source item is
/// looked up in the target, every target item in the source.
pub async fn compare_items<S, T>(
    source: &S,
    target: &T,
    prefix: &Namespace,
    page_size: usize,
) -> Result<Comparison>
where
    S: BulkStore + StoreBackend,
    T: BulkStore + StoreBackend,
{
    let mut out = Comparison::default();
    one_way(source, target, prefix, page_size, true, &mut out).await?;
    one_way(target, source, prefix, page_size, false, &mut out).await?;
    Ok(out)
}

/// Looks every item of `from` up in `to`; with `forward` a mismatch is
/// reported in full, else only items missing from `to` (the source).
async fn one_way<A, B>(
    from: &A,
    to: &B,
    prefix: &Namespace,
    page_size: usize,
    forward: bool,
    out: &mut Comparison,
) -> Result<()>
where
    A: BulkStore,
    B: StoreBackend,
{
    let mut cursor = None;
    loop {
        let page = from.item_page(prefix, cursor.as_ref(), page_size).await?;
        for read in page.items {
            let listed = match read {
                Ok(listed) => listed,
                Err(bad) => {
                    out.records += 1;
                    out.differ(bad.location, DifferenceKind::Unreadable);
                    continue;
                }
            };
            let item = listed.item;
            let what = format!("store item {} / {:?}", item.namespace, item.key);
            // An item whose Redis key reads several ways is where the
            // other side holds it under any of its readings.
            let mut other = to.store_get(&item.namespace, &item.key).await?;
            for (namespace, key) in &listed.other_readings {
                if other.is_some() {
                    break;
                }
                other = to.store_get(namespace, key).await?;
            }
            match (forward, other) {
                (true, None) => out.differ(what, DifferenceKind::MissingInTarget),
                (true, Some(o)) if !same_item(&item, &o) => {
                    out.differ(what, DifferenceKind::Differs)
                }
                (false, None) => out.differ(what, DifferenceKind::OnlyInTarget),
                _ => {}
            }
            if forward {
                out.records += 1;
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

/// Compares the whole selection: every selected thread of `source` (its
/// checkpoints, and its session log unless `selection.events` is off),
/// the session logs of `source` that no thread with checkpoints owns
/// (under every reading of an ambiguous Redis key), then the selected
/// tenants' store items (unless `selection.store` is off). Threads only
/// `target` has are not looked for.
pub async fn run<S, T>(
    source: &S,
    target: &T,
    selection: &super::TransferSelection,
    page_size: usize,
    mut progress: impl FnMut(&Comparison),
) -> Result<Comparison>
where
    S: super::TransferStore + StoreBackend,
    T: super::TransferStore + StoreBackend,
{
    let mut out = Comparison::default();
    let mut walk = ThreadWalk::new(source, &selection.threads);
    while let Some(fresh) = walk.next_page().await? {
        for thread in fresh {
            if selection.filters_by_time() {
                let latest = source.latest_checkpoint(&thread).await?;
                if !selection.covers_last_write(latest.map(|l| l.checkpoint.timestamp)) {
                    continue;
                }
            }
            out.absorb(compare_thread(source, target, &thread, page_size, selection.events).await?);
            progress(&out);
        }
    }
    // Logs no thread with checkpoints owns, under every reading of their
    // key: the threads above had theirs compared.
    let mut logs = LogWalk::new(source, selection, AmbiguityPolicy::Both);
    while let Some(readings) = logs.next_page().await? {
        for reading in readings.iter().filter(|r| !r.has_checkpoints) {
            let mut log = Comparison {
                threads: 1,
                ..Comparison::default()
            };
            compare_log(source, target, &reading.thread, page_size, &mut log).await?;
            out.absorb(log);
            progress(&out);
        }
    }
    if selection.store {
        for tenant in selection.tenants(source).await? {
            let prefix = selection.namespace_of(&tenant);
            out.absorb(compare_items(source, target, &prefix, page_size).await?);
            progress(&out);
        }
    }
    Ok(out)
}
