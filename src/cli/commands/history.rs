//! `threadctl history THREAD`: a thread's checkpoints, newest first, or
//! `--graph` to draw the parent links as a tree.

use anyhow::Result;
use clap::Args;
use threadctl::backend::CheckpointBackend;
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, CheckpointId, ThreadKey};

use crate::cli::exit::not_found;
use crate::cli::ui::graph;
use crate::cli::ui::number::parse_count;
use crate::cli::ui::output::Format;
use crate::cli::ui::view::{add_checkpoint_row, checkpoint_json, checkpoint_list_table};
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
    let mut pages = Pages {
        backend: &backend,
        key: &key,
        remaining: args.limit,
        cursor: args.before,
        done: false,
    };
    let first = pages.next().await?;
    if first.is_empty() && args.before.is_none() && args.limit != Some(0) {
        return Err(not_found(format!("thread {key} has no checkpoints")));
    }
    if args.graph {
        let mut all = first;
        while !pages.done {
            all.extend(pages.next().await?);
        }
        let complete = args.limit.is_none() && args.before.is_none();
        return graph::print(&ctx.out, &all, complete);
    }
    match ctx.out.format() {
        Format::Table => {
            let mut table = checkpoint_list_table();
            let mut page = first;
            loop {
                page.iter()
                    .for_each(|cp| add_checkpoint_row(&mut table, cp));
                if pages.done {
                    break;
                }
                page = pages.next().await?;
            }
            ctx.out.fitted_table(&table)?;
        }
        Format::Json | Format::Jsonl => {
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
            list.finish()?;
        }
    }
    Ok(())
}

/// Walks a thread's history in bounded pages.
struct Pages<'a> {
    backend: &'a Backend,
    key: &'a ThreadKey,
    remaining: Option<usize>,
    cursor: Option<CheckpointId>,
    done: bool,
}

impl Pages<'_> {
    /// The next page (empty once `done`).
    async fn next(&mut self) -> Result<Vec<StoredCheckpoint>> {
        let want = self.remaining.map_or(PAGE, |r| r.min(PAGE));
        if self.done || want == 0 {
            self.done = true;
            return Ok(Vec::new());
        }
        let page = self
            .backend
            .checkpoint_history(self.key, Some(want), self.cursor)
            .await?;
        self.cursor = page.last().map(|cp| cp.checkpoint.id).or(self.cursor);
        if let Some(r) = self.remaining.as_mut() {
            *r -= page.len();
        }
        self.done = page.len() < want || self.remaining == Some(0);
        Ok(page)
    }
}
