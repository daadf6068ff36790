//! The session logs a thread walk does not reach: logs of threads without
//! checkpoints, which are copied like any other, and Redis logs whose key
//! reads as several threads of which none or more than one has
//! checkpoints ([`super::ambiguity`]).

use crate::backend::{BulkEvents, LogReading, Repeats, ThreadCursor, ThreadListing};
use crate::error::Result;
use crate::ops::threads_walk::THREADS_PER_PAGE;

use super::ambiguity::thread_reading;
use super::{Ambiguity, AmbiguityPolicy, ProblemKind, TransferSelection, TransferTally};

/// The threads whose session logs to transfer on their own, a page at a
/// time, each log once; ambiguous logs are counted and described in
/// [`LogWalk::tally`], and those left out reported there as problems.
pub struct LogWalk<'s, S> {
    source: &'s S,
    selection: &'s TransferSelection,
    policy: AmbiguityPolicy,
    cursor: Option<ThreadCursor>,
    done: bool,
    repeats: Repeats,
    /// Ambiguous logs, and the ones left out.
    pub tally: TransferTally,
}

impl<'s, S: ThreadListing + BulkEvents> LogWalk<'s, S> {
    /// A walk over the logs of `source` that `selection` covers. Nothing
    /// when it leaves events out, or selects threads by the time of their
    /// last write: a log without checkpoints has none.
    pub fn new(source: &'s S, selection: &'s TransferSelection, policy: AmbiguityPolicy) -> Self {
        Self {
            source,
            selection,
            policy,
            cursor: None,
            done: !selection.events || selection.filters_by_time(),
            repeats: Repeats::new(source.pages_may_repeat()),
            tally: TransferTally::default(),
        }
    }

    /// The next page of readings to transfer logs under (possibly empty),
    /// or `None` once every log was seen.
    pub async fn next_page(&mut self) -> Result<Option<Vec<LogReading>>> {
        if self.done {
            return Ok(None);
        }
        let page = self
            .source
            .log_page(
                &self.selection.threads,
                self.cursor.as_ref(),
                THREADS_PER_PAGE,
            )
            .await?;
        self.done = page.next.is_none();
        self.cursor = page.next;
        let mut threads = Vec::new();
        for log in page.logs {
            let Some(first) = log.readings.first() else {
                continue;
            };
            if !self.repeats.first_time(&first.thread) {
                continue;
            }
            let selected = log
                .readings
                .iter()
                .filter(|r| self.selection.threads.matches(&r.thread));
            if !log.is_ambiguous() {
                threads.extend(selected.cloned());
                continue;
            }
            let written: Vec<LogReading> = match self.policy {
                AmbiguityPolicy::Both => selected.cloned().collect(),
                AmbiguityPolicy::Prefer => Vec::new(),
            };
            let with_checkpoints = log.readings.iter().filter(|r| r.has_checkpoints).count();
            let what = format!(
                "session log of {}",
                log.readings
                    .iter()
                    .map(|r| r.thread.to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            );
            if written.is_empty() {
                let why = if with_checkpoints == 0 {
                    "none of them has checkpoints"
                } else {
                    "more than one of them has checkpoints"
                };
                self.tally.problem(
                    what.clone(),
                    ProblemKind::Ambiguous,
                    format!(
                        "its Redis key reads as {} threads and {why}, so which one it belongs \
                         to is unknown; left out (--ambiguous both writes it under every reading)",
                        log.readings.len()
                    ),
                );
            }
            self.tally.ambiguity(Ambiguity {
                what,
                readings: log
                    .readings
                    .iter()
                    .map(|r| thread_reading(&r.thread))
                    .collect(),
                written_as: written.iter().map(|r| thread_reading(&r.thread)).collect(),
            });
            threads.extend(written);
        }
        Ok(Some(threads))
    }
}
