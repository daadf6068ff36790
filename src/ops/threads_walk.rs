//! Walking a store's selected threads with checkpoints page by page, each
//! thread once: the enumeration loop `copy`, `export` and `verify` share.
//!
//! Backends that page by key (Postgres, SQLite) return each thread exactly
//! once, so nothing is remembered for them. Redis enumerates with SCAN,
//! which may return a key again in a later page and keeps no state that
//! could tell; there the walk remembers an 8-byte hash of every thread
//! returned ([`Repeats`]): 1,000,000 threads cost about 16 MB. That is the
//! one thing that grows with the store, and only on Redis.

use crate::backend::{Repeats, ThreadCursor, ThreadListing, ThreadSelection};
use crate::error::Result;
use crate::model::ThreadKey;

/// Threads asked for per enumeration page.
pub const THREADS_PER_PAGE: usize = 500;

/// The selected threads of a source, a page at a time, each once.
pub struct ThreadWalk<'s, S> {
    source: &'s S,
    selection: &'s ThreadSelection,
    cursor: Option<ThreadCursor>,
    done: bool,
    repeats: Repeats,
}

impl<'s, S: ThreadListing> ThreadWalk<'s, S> {
    /// A walk over the threads of `source` that `selection` covers.
    pub fn new(source: &'s S, selection: &'s ThreadSelection) -> Self {
        Self {
            source,
            selection,
            cursor: None,
            done: false,
            repeats: Repeats::new(source.pages_may_repeat()),
        }
    }

    /// The next page of threads not returned before (possibly empty), or
    /// `None` once the enumeration is over.
    pub async fn next_page(&mut self) -> Result<Option<Vec<ThreadKey>>> {
        if self.done {
            return Ok(None);
        }
        let page = self
            .source
            .thread_page(self.selection, self.cursor.as_ref(), THREADS_PER_PAGE)
            .await?;
        self.done = page.next.is_none();
        self.cursor = page.next;
        Ok(Some(
            page.threads
                .into_iter()
                .filter(|t| self.repeats.first_time(t))
                .collect(),
        ))
    }
}
