//! `threadctl history THREAD`: a thread's checkpoints, newest first, or
//! `--graph` to draw the parent links as a tree.

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;
use threadctl::backend::CheckpointBackend;
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, CheckpointId, ThreadKey};

use crate::cli::exit::not_found;
use crate::cli::ui::graph;
use crate::cli::ui::number::parse_count;
use crate::cli::ui::output::Format;
use crate::cli::ui::time::parse_time;
use crate::cli::ui::view::{checkpoint_json, checkpoint_list};
use crate::cli::Context;

/// How many checkpoints one backend call fetches.
const PAGE: usize = 100;

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Thread to list
    pub thread: String,
    /// At most N checkpoints
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<usize>)]
    pub limit: Option<usize>,
    /// Start after checkpoint ID (newest-first order), for paging
    #[arg(long, value_name = "ID")]
    pub before: Option<CheckpointId>,
    /// Only checkpoints written at or after TIME (RFC 3339, or a duration
    /// ago such as 2h)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,
    /// Only checkpoints written at or before TIME (RFC 3339, or a duration
    /// ago such as 30m)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,
    /// Draw parent links as a tree (oldest first); forks show as branches
    #[arg(long)]
    pub graph: bool,
}

/// Lists the checkpoints. JSON lines stream page by page; a table and a
/// JSON array are printed only once every page has been read (see
/// [`crate::cli::ui::output::ListWriter`]), so a corrupt record (an error
/// naming it, exit 5) never leaves a partial document.
pub async fn run(ctx: &Context, args: HistoryArgs) -> Result<()> {
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let window = Window {
        since: args.since,
        until: args.until,
    };
    let mut pages = Pages {
        backend: &backend,
        key: &key,
        remaining: args.limit,
        cursor: args.before,
        window,
        done: false,
    };
    let first = pages.next().await?;
    let unfiltered = args.before.is_none() && window.is_everything();
    if first.is_empty() && pages.done && unfiltered && args.limit != Some(0) {
        return Err(not_found(format!("thread {key} has no checkpoints")));
    }
    if args.graph || ctx.out.format() == Format::Table {
        let mut all = first;
        while !pages.done {
            all.extend(pages.next().await?);
        }
        if args.graph {
            let complete = args.limit.is_none() && unfiltered;
            return graph::print(&ctx.out, &all, complete);
        }
        return Ok(ctx.out.fitted_table(&checkpoint_list(&ctx.out, &all))?);
    }
    let mut list = ctx.out.list();
    let mut page = first;
    loop {
        for cp in &page {
            list.item(&checkpoint_json(cp))?;
        }
        if pages.done {
            break;
        }
        page = pages.next().await?;
    }
    Ok(list.finish()?)
}

/// The `--since` / `--until` bounds of the listed checkpoints' times.
#[derive(Debug, Clone, Copy)]
struct Window {
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Window {
    /// Whether no bound is set.
    fn is_everything(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether `cp` was written within the bounds.
    fn contains(&self, cp: &StoredCheckpoint) -> bool {
        let ts = cp.checkpoint.timestamp;
        self.since.is_none_or(|since| ts >= since) && self.until.is_none_or(|until| ts <= until)
    }
}

/// Walks a thread's history in bounded pages, keeping the checkpoints
/// within `window`, at most `remaining` of them.
struct Pages<'a> {
    backend: &'a Backend,
    key: &'a ThreadKey,
    remaining: Option<usize>,
    cursor: Option<CheckpointId>,
    window: Window,
    done: bool,
}

impl Pages<'_> {
    /// The next page (empty once `done`; possibly empty before, when a
    /// page held nothing within the window).
    async fn next(&mut self) -> Result<Vec<StoredCheckpoint>> {
        let want = match self.remaining {
            Some(r) if self.window.is_everything() => r.min(PAGE),
            Some(0) => 0,
            _ => PAGE,
        };
        if self.done || want == 0 {
            self.done = true;
            return Ok(Vec::new());
        }
        let mut page = self
            .backend
            .checkpoint_history(self.key, Some(want), self.cursor)
            .await?;
        let read = page.len();
        self.cursor = page.last().map(|cp| cp.checkpoint.id).or(self.cursor);
        page.retain(|cp| self.window.contains(cp));
        if let Some(r) = self.remaining.as_mut() {
            page.truncate(*r);
            *r -= page.len();
        }
        self.done = read < want || self.remaining == Some(0);
        Ok(page)
    }
}
