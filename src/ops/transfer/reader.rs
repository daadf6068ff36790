//! Reading a source as batches of [`Record`]s: one thread at a time, and
//! one tenant's store items at a time.

use crate::backend::{
    BulkCheckpoints, BulkEvents, BulkStore, ItemCursor, RecordCursor, SessionEvent,
};
use crate::error::Result;
use crate::model::{Namespace, ThreadKey};

use super::{Read, Record, TransferTally, Unreadable};

/// Where a thread's reading stands.
enum Stage {
    /// Checkpoints, after this position.
    Checkpoints(Option<RecordCursor>),
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
                    None if self.events => Stage::Events {
                        after: 0,
                        first: true,
                    },
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
            Stage::Events { after, first } => {
                let (after, first) = (*after, *first);
                let page = self
                    .source
                    .read_events(&self.thread, after, self.page_size)
                    .await?;
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

/// Reads a tenant's live store items under a namespace prefix in batches.
pub struct ItemReader<'s, S> {
    source: &'s S,
    prefix: Namespace,
    page_size: usize,
    cursor: Option<ItemCursor>,
    done: bool,
    /// Items whose Redis key splits into (namespace, key) in more than one
    /// way, counted as they are read.
    pub tally: TransferTally,
}

impl<'s, S: BulkStore> ItemReader<'s, S> {
    /// A reader of the items of `prefix`'s tenant at or below `prefix`.
    pub fn new(source: &'s S, prefix: Namespace, page_size: usize) -> Self {
        Self {
            source,
            prefix,
            page_size: page_size.max(1),
            cursor: None,
            done: false,
            tally: TransferTally::default(),
        }
    }

    /// The next batch of items, or `None` once every item was read. An
    /// item whose Redis key has several readings is read under its
    /// preferred one ([`crate::backend::ListedItem`]) and counted as
    /// ambiguous.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Read>>> {
        if self.done {
            return Ok(None);
        }
        let page = self
            .source
            .item_page(&self.prefix, self.cursor.as_ref(), self.page_size)
            .await?;
        self.done = page.next.is_none();
        self.cursor = page.next;
        let mut batch = Vec::with_capacity(page.items.len());
        for read in page.items {
            batch.push(match read {
                Ok(listed) => {
                    if !listed.other_readings.is_empty() {
                        self.tally.ambiguous += 1;
                    }
                    Ok(Record::Item(listed.item))
                }
                Err(bad) => Err(Box::new(Unreadable {
                    what: bad.location,
                    error: bad.error,
                })),
            });
        }
        Ok(Some(batch))
    }
}
