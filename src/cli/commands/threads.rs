//! `threadctl threads [PATTERN]`: threads with their checkpoint count,
//! latest step and last write, for one tenant or all.

use std::ops::ControlFlow;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;
use threadctl::backend::{ThreadListing, ThreadSummary};

use crate::cli::ui::number::parse_count;
use crate::cli::ui::output::{escape, Format, ListWriter, PagedTable};
use crate::cli::ui::time::json_time;
use crate::cli::Context;
use threadctl::model::{parse_glob, NameGlob};

/// Arguments of `threads`.
#[derive(Debug, Args)]
pub struct ThreadsArgs {
    /// Only threads whose id matches this glob (`*`, `?`, `\` escapes)
    #[arg(value_name = "PATTERN", value_parser = parse_glob)]
    pub pattern: Option<NameGlob>,
    /// List every tenant's threads instead of only --tenant's
    #[arg(long, short = 'A')]
    pub all_tenants: bool,
    /// Only tenants whose id matches this glob (implies --all-tenants)
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub tenants: Option<NameGlob>,
    /// Order of the rows
    #[arg(long, value_enum, default_value_t = SortBy::Thread)]
    pub sort: SortBy,
    /// At most N threads (the first N in --sort order)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<usize>)]
    pub limit: Option<usize>,
}

/// The orders `threads --sort` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Newest last write first
    LastWrite,
    /// By tenant, then thread id
    Thread,
    /// Most checkpoints first
    Checkpoints,
}

/// Orders `rows` as `sort` says; ties (and `thread`) by tenant and thread.
fn sort_rows(rows: &mut [ThreadSummary], sort: SortBy) {
    rows.sort_by(|a, b| {
        let by_key = || {
            (a.thread.tenant.as_str(), a.thread.thread.as_str())
                .cmp(&(b.thread.tenant.as_str(), b.thread.thread.as_str()))
        };
        match sort {
            SortBy::LastWrite => b.last_write.cmp(&a.last_write).then_with(by_key),
            SortBy::Thread => by_key(),
            SortBy::Checkpoints => b.checkpoints.cmp(&a.checkpoints).then_with(by_key),
        }
    });
}

/// Summaries per page of the listing: the most `threads` holds at once
/// in `--sort thread` order.
const PAGE: usize = 1000;

/// Prints one row per thread, in `--sort` order, at most `--limit`. In
/// the default order the listing streams, a page at a time; the other
/// orders need every row before the first, so they hold the listing (with
/// `--limit N`, only the first N rows so far and one page).
pub async fn run(ctx: &Context, args: ThreadsArgs) -> Result<()> {
    let backend = ctx.reader().await?;
    let every_tenant = args.all_tenants || args.tenants.is_some();
    let tenant = ctx.tenant()?;
    let keep = |s: &ThreadSummary| {
        args.tenants
            .as_ref()
            .is_none_or(|g| g.matches(s.thread.tenant.as_str()))
            && args
                .pattern
                .as_ref()
                .is_none_or(|g| g.matches(s.thread.thread.as_str()))
    };
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut rows = Rows::new(ctx);
    let mut held: Vec<ThreadSummary> = Vec::new();
    let mut printed = 0;
    // A write that failed (a closed pipe) stops the listing, then is
    // returned as it is.
    let mut write_failed = None;
    let mut sink = |page: Vec<ThreadSummary>| -> threadctl::Result<ControlFlow<()>> {
        let kept = page.into_iter().filter(|s| keep(s));
        if args.sort == SortBy::Thread {
            let page: Vec<ThreadSummary> = kept.take(limit - printed).collect();
            printed += page.len();
            if let Err(e) = rows.page(&page) {
                write_failed = Some(e);
                return Ok(ControlFlow::Break(()));
            }
            return Ok(if printed >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            });
        }
        held.extend(kept);
        if held.len() > limit {
            sort_rows(&mut held, args.sort);
            held.truncate(limit);
        }
        Ok(ControlFlow::Continue(()))
    };
    if limit > 0 {
        backend
            .summary_pages(
                if every_tenant { None } else { Some(&tenant) },
                None,
                PAGE,
                &mut sink,
            )
            .await?;
    }
    if let Some(e) = write_failed {
        return Err(e.into());
    }
    sort_rows(&mut held, args.sort);
    held.truncate(limit);
    for page in held.chunks(PAGE) {
        rows.page(page)?;
    }
    rows.finish()?;
    Ok(())
}

/// The listing's rows in the chosen format, written a page at a time.
enum Rows<'a> {
    /// Table rows, and the time format of their cells.
    Table(PagedTable<'a>, &'a Context),
    /// `json` items (printed as one array at the end) or `jsonl` lines.
    List(ListWriter<'a>),
}

impl<'a> Rows<'a> {
    fn new(ctx: &'a Context) -> Self {
        match ctx.out.format() {
            Format::Table => Self::Table(
                ctx.out.paged_table([
                    "TENANT",
                    "THREAD",
                    "CHECKPOINTS",
                    "LATEST STEP",
                    "LAST WRITE",
                ]),
                ctx,
            ),
            Format::Json | Format::Jsonl => Self::List(ctx.out.list()),
        }
    }

    /// Writes one page of summaries.
    fn page(&mut self, page: &[ThreadSummary]) -> std::io::Result<()> {
        match self {
            Self::Table(table, ctx) => table.page(
                page.iter()
                    .map(|s| {
                        vec![
                            escape(s.thread.tenant.as_str()),
                            escape(s.thread.thread.as_str()),
                            s.checkpoints.to_string(),
                            s.latest_step.map_or_else(|| "-".into(), |v| v.to_string()),
                            s.last_write
                                .map_or_else(|| "-".into(), |t| ctx.out.time_cell(&t)),
                        ]
                    })
                    .collect(),
            ),
            Self::List(list) => {
                for s in page {
                    list.item(&json!({
                        "tenant_id": s.thread.tenant.as_str(),
                        "thread_id": s.thread.thread.as_str(),
                        "checkpoints": s.checkpoints,
                        "latest_step": s.latest_step,
                        "last_write": s.last_write.map(|t| json_time(&t)),
                    }))?;
                }
                Ok(())
            }
        }
    }

    /// Ends the output (the header of an empty table, the `json` array).
    fn finish(self) -> std::io::Result<()> {
        match self {
            Self::Table(table, _) => table.finish(),
            Self::List(list) => list.finish(),
        }
    }
}
