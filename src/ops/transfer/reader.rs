//! Reading a source as batches of [`Record`]s: one thread at a time, and
//! one tenant's store items at a time.

use std::collections::HashSet;

use crate::backend::{
    BulkCheckpoints, BulkEvents, BulkStore, ItemCursor, RecordCursor, SessionEvent, StoreItem,
};
use crate::error::{Error, Result};
use crate::model::{Namespace, ThreadKey};

use super::ambiguity::{item_choice, item_reading, thread_reading};
use super::{Ambiguity, AmbiguityPolicy, Read, Record, TransferTally, Unreadable};

/// Where a thread's reading stands.
enum Stage {
    /// Checkpoints, after this position.
    Checkpoints(Option<RecordCursor>),
    /// Whether the session log is the thread's: it is when its key reads
    /// one way, or when this thread is the only reading with checkpoints
    /// (counted as ambiguous); any other log is left to
    /// [`super::LogWalk`].
    LogOwner,
    /// Session events after this ordinal; the watermark is sent first.
    Events { after: u64, first: bool },
    /// Everything was read.
    Done,
}

/// Reads one thread's checkpoints, then its archive watermark and events,
/// in batches of about `page_size` records.
pub struct ThreadReader<'s, S> {
    source: &'s S,
    thread: ThreadKey,
    page_size: usize,
    events: bool,
    stage: Stage,
    /// A session log whose Redis key reads as several threads, counted
    /// and described when it goes with this one.
    pub tally: TransferTally,
}

impl<'s, S: BulkCheckpoints + BulkEvents> ThreadReader<'s, S> {
    /// A reader of `thread` on `source`; with `events` false the session
    /// log is left out.
    pub fn new(source: &'s S, thread: ThreadKey, page_size: usize, events: bool) -> Self {
        Self {
            source,
            thread,
            page_size: page_size.max(1),
            events,
            stage: Stage::Checkpoints(None),
            tally: TransferTally::default(),
        }
    }

    /// A reader of `thread`'s session log alone (archive watermark and
    /// events), for the logs a [`super::LogWalk`] yields.
    pub fn log_only(source: &'s S, thread: ThreadKey, page_size: usize) -> Self {
        Self {
            source,
            thread,
            page_size: page_size.max(1),
            events: true,
            stage: Stage::Events {
                after: 0,
                first: true,
            },
            tally: TransferTally::default(),
        }
    }

    /// The thread being read.
    pub fn thread(&self) -> &ThreadKey {
        &self.thread
    }

    /// The next batch of records, or `None` once the thread is read.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Read>>> {
        match &self.stage {
            Stage::Checkpoints(after) => {
                let page = self
                    .source
                    .read_page(&self.thread, after.as_ref(), self.page_size)
                    .await?;
                self.stage = match page.next {
                    Some(next) => Stage::Checkpoints(Some(next)),
                    None if self.events => Stage::LogOwner,
                    None => Stage::Done,
                };
                Ok(Some(
                    page.records
                        .into_iter()
                        .map(|r| match r {
                            Ok(stored) => Ok(Record::Checkpoint(stored)),
                            Err(bad) => Err(Box::new(Unreadable {
                                what: format!("checkpoint {} of {}", bad.id, bad.thread),
                                error: bad.error,
                            })),
                        })
                        .collect(),
                ))
            }
            Stage::LogOwner => {
                let readings = self.source.log_readings(&self.thread).await?;
                let with_checkpoints: Vec<&ThreadKey> = readings
                    .iter()
                    .filter(|r| r.has_checkpoints)
                    .map(|r| &r.thread)
                    .collect();
                let own = readings.is_empty() || with_checkpoints == [&self.thread];
                if own && !readings.is_empty() {
                    self.tally.ambiguity(Ambiguity {
                        what: format!("session log of {}", self.thread),
                        readings: readings.iter().map(|r| thread_reading(&r.thread)).collect(),
                        written_as: vec![thread_reading(&self.thread)],
                    });
                }
                self.stage = if own {
                    Stage::Events {
                        after: 0,
                        first: true,
                    }
                } else {
                    Stage::Done
                };
                Ok(Some(Vec::new()))
            }
            Stage::Events { after, first } => {
                let (after, first) = (*after, *first);
                let page = match self
                    .source
                    .read_events(&self.thread, after, self.page_size)
                    .await
                {
                    Ok(page) => page,
                    Err(error @ Error::Corrupt { .. }) => {
                        // Ordinals must stay contiguous: the rest of the
                        // log cannot go without the event it cannot read.
                        self.stage = Stage::Done;
                        return Ok(Some(vec![Err(Box::new(Unreadable {
                            what: format!(
                                "session log of {} (from event {})",
                                self.thread,
                                after + 1
                            ),
                            error,
                        }))]));
                    }
                    Err(e) => return Err(e),
                };
                let mut batch = Vec::with_capacity(page.events.len() + 1);
                if first && page.bounds.watermark > 0 {
                    batch.push(Ok(Record::Watermark {
                        thread: self.thread.clone(),
                        watermark: page.bounds.watermark,
                    }));
                }
                let events = page.events.into_iter().map(|event: SessionEvent| {
                    Ok(Record::Event {
                        thread: self.thread.clone(),
                        event,
                    })
                });
                batch.extend(events);
                self.stage = match page.next {
                    Some(after) => Stage::Events {
                        after,
                        first: false,
                    },
                    None => Stage::Done,
                };
                Ok(Some(batch))
            }
            Stage::Done => Ok(None),
        }
    }
}

/// Which of a tenant's items an [`ItemReader`] is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Every item: those whose key reads one way are sent; of the others,
    /// the namespace of their deepest reading (key without `:`) is noted.
    Namespaces,
    /// Items whose key reads several ways: those with one reading in a
    /// namespace noted in the first pass are plain, and sent.
    Plain,
    /// The rest, ambiguous: sent under the readings
    /// [`super::ambiguity::item_choice`] picks.
    Ambiguous,
}

/// Reads a tenant's live store items under a namespace prefix in batches.
///
/// On Redis a store key splits into namespace and key at any `:`
/// (FORMAT.md, "Redis layout"). A reading counts when its namespace
/// exists: when some item's deepest reading lies in it. An item with one
/// such reading is plain; one with several is ambiguous, and goes under
/// the reading whose namespace holds plain items, else the one with the
/// fewest segments. That takes up to three passes over the items (only
/// one on backends whose items name their namespace), and memory for the
/// namespaces, never for the items.
pub struct ItemReader<'s, S> {
    source: &'s S,
    prefix: Namespace,
    page_size: usize,
    policy: AmbiguityPolicy,
    pass: Pass,
    cursor: Option<ItemCursor>,
    done: bool,
    /// Namespaces holding some item's deepest reading.
    existing: HashSet<Namespace>,
    /// Namespaces holding plain items.
    plain: HashSet<Namespace>,
    /// True when the pass under way found items for the next one.
    more: bool,
    /// Items whose Redis key splits into (namespace, key) in more than one
    /// way, counted and described as they are read.
    pub tally: TransferTally,
}

impl<'s, S: BulkStore> ItemReader<'s, S> {
    /// A reader of the items of `prefix`'s tenant at or below `prefix`.
    pub fn new(
        source: &'s S,
        prefix: Namespace,
        page_size: usize,
        policy: AmbiguityPolicy,
    ) -> Self {
        Self {
            source,
            prefix,
            page_size: page_size.max(1),
            policy,
            pass: Pass::Namespaces,
            cursor: None,
            done: false,
            existing: HashSet::new(),
            plain: HashSet::new(),
            more: false,
            tally: TransferTally::default(),
        }
    }

    /// The next batch of items (possibly empty), or `None` once every item
    /// was read.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Read>>> {
        if self.done {
            let next = match self.pass {
                Pass::Namespaces if self.more => Pass::Plain,
                Pass::Plain if self.more => Pass::Ambiguous,
                _ => return Ok(None),
            };
            self.pass = next;
            self.more = false;
            self.done = false;
            self.cursor = None;
        }
        let page = self
            .source
            .item_page(&self.prefix, self.cursor.as_ref(), self.page_size)
            .await?;
        self.done = page.next.is_none();
        self.cursor = page.next;
        let mut batch = Vec::with_capacity(page.items.len());
        for read in page.items {
            let listed = match read {
                Ok(listed) => listed,
                Err(bad) if self.pass == Pass::Namespaces => {
                    batch.push(Err(Box::new(Unreadable {
                        what: bad.location,
                        error: bad.error,
                    })));
                    continue;
                }
                Err(_) => continue,
            };
            if listed.other_readings.is_empty() {
                if self.pass == Pass::Namespaces {
                    self.existing.insert(listed.item.namespace.clone());
                    self.plain.insert(listed.item.namespace.clone());
                    batch.push(Ok(Record::Item(listed.item)));
                }
                continue;
            }
            if self.pass == Pass::Namespaces {
                self.existing.insert(listed.item.namespace.clone());
                self.more = true;
                continue;
            }
            let StoreItem {
                namespace,
                key,
                value,
                expires_at,
            } = listed.item;
            let mut readings = listed.other_readings;
            readings.push((namespace, key));
            readings.retain(|(n, _)| self.existing.contains(n));
            let written = match (self.pass, readings.len()) {
                (Pass::Plain, 1) => {
                    self.plain.insert(readings[0].0.clone());
                    readings
                }
                (Pass::Plain, _) => {
                    self.more = true;
                    continue;
                }
                (_, 1) => continue,
                _ => {
                    let (readings, written) =
                        item_choice(readings, self.policy, |n| self.plain.contains(n));
                    let name = |(n, k): &(Namespace, String)| item_reading(n, k);
                    self.tally.ambiguity(Ambiguity {
                        what: format!("store item {}", name(&readings[0])),
                        readings: readings.iter().map(name).collect(),
                        written_as: written.iter().map(name).collect(),
                    });
                    written
                }
            };
            batch.extend(written.into_iter().map(|(namespace, key)| {
                Ok(Record::Item(StoreItem {
                    namespace,
                    key,
                    value: value.clone(),
                    expires_at,
                }))
            }));
        }
        Ok(Some(batch))
    }
}
