//! `threadctl threads [PATTERN]`: threads with their checkpoint count,
//! latest step and last write, for one tenant or all.

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;
use threadctl::backend::{ThreadListing, ThreadSummary};

use crate::cli::ui::number::parse_count;
use crate::cli::ui::output::{escape, new_table, Format};
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
fn sort_rows(rows: &mut [&ThreadSummary], sort: SortBy) {
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

/// Prints one row per thread, in `--sort` order, at most `--limit`.
pub async fn run(ctx: &Context, args: ThreadsArgs) -> Result<()> {
    let backend = ctx.reader().await?;
    let every_tenant = args.all_tenants || args.tenants.is_some();
    let tenant = ctx.tenant()?;
    let summaries = backend
        .list_threads(if every_tenant { None } else { Some(&tenant) })
        .await?;
    let keep = |s: &ThreadSummary| {
        args.tenants
            .as_ref()
            .is_none_or(|g| g.matches(s.thread.tenant.as_str()))
            && args
                .pattern
                .as_ref()
                .is_none_or(|g| g.matches(s.thread.thread.as_str()))
    };
    let mut rows: Vec<&ThreadSummary> = summaries.iter().filter(|s| keep(s)).collect();
    sort_rows(&mut rows, args.sort);
    rows.truncate(args.limit.unwrap_or(usize::MAX));
    match ctx.out.format() {
        Format::Table => {
            let mut table = new_table([
                "TENANT",
                "THREAD",
                "CHECKPOINTS",
                "LATEST STEP",
                "LAST WRITE",
            ]);
            for s in &rows {
                table.add_row(vec![
                    escape(s.thread.tenant.as_str()),
                    escape(s.thread.thread.as_str()),
                    s.checkpoints.to_string(),
                    s.latest_step.map_or_else(|| "-".into(), |v| v.to_string()),
                    s.last_write
                        .map_or_else(|| "-".into(), |t| ctx.out.time_cell(&t)),
                ]);
            }
            ctx.out.fitted_table(&table)?;
        }
        Format::Json | Format::Jsonl => {
            let mut list = ctx.out.list();
            for s in &rows {
                list.item(&json!({
                    "tenant_id": s.thread.tenant.as_str(),
                    "thread_id": s.thread.thread.as_str(),
                    "checkpoints": s.checkpoints,
                    "latest_step": s.latest_step,
                    "last_write": s.last_write.map(|t| json_time(&t)),
                }))?;
            }
            list.finish()?;
        }
    }
    Ok(())
}
