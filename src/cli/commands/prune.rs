//! `threadctl prune`: delete old checkpoints (`--keep-last N`) and idle
//! threads (`--older-than DURATION`), each thread under its session lock,
//! and with `--vacuum` reclaim the space afterwards.

use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use threadctl::backend::DataTable;
use threadctl::model::{parse_glob, NameGlob};
use threadctl::ops::prune::{self, PruneOptions, PruneReport, VacuumOutcome};

use crate::cli::args::selection::ThreadArgs;
use crate::cli::exit::usage;
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::number::{count_in, parse_count};
use crate::cli::ui::output::Format;
use crate::cli::ui::progress;
use crate::cli::Context;

/// How long a thread's session lock outlives a run that dies holding it.
const LOCK_TTL: Duration = Duration::from_secs(30);

/// Arguments of `prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Per thread, keep the latest checkpoint and every branch head, each
    /// with its N-1 nearest ancestors; delete the rest
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = count_in(1u32, None))]
    pub keep_last: Option<u32>,
    /// Delete whole threads (checkpoints, events, watermark) whose newest
    /// checkpoint is older than DURATION, e.g. 30d
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub older_than: Option<Duration>,
    /// Archive each session log down to its last N events
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub events_keep_last: Option<u64>,
    /// Show what would go (threads, checkpoints, events, bytes); change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Reclaim the space afterwards (Postgres VACUUM of the tables pruned,
    /// SQLite VACUUM; nothing to do on Redis) and print the size before
    /// and after
    #[arg(long, conflicts_with = "dry_run")]
    pub vacuum: bool,
    /// Tenants and threads.
    #[command(flatten)]
    pub threads: ThreadArgs,
    /// Never touch threads matching this glob
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub exclude: Option<NameGlob>,
    /// Checkpoints read, and deleted, per round trip
    #[arg(long, value_name = "K", default_value_t = 500, allow_negative_numbers = true, value_parser = count_in(1u32, Some(10_000)))]
    pub batch_size: u32,
}

/// Confirms, prunes, prints what went; exit 4 when a thread was skipped
/// because its session lock was held.
pub async fn run(ctx: &Context, args: PruneArgs) -> Result<()> {
    if args.keep_last.is_none() && args.older_than.is_none() && args.events_keep_last.is_none() {
        return Err(usage(
            "prune needs --keep-last N, --older-than DURATION or --events-keep-last N",
        ));
    }
    let idle_before = match args.older_than {
        Some(age) => Some(
            chrono::Utc::now()
                - chrono::Duration::from_std(age).map_err(|_| usage("--older-than is too long"))?,
        ),
        None => None,
    };
    let options = PruneOptions {
        selection: args.threads.selection(),
        exclude: args.exclude,
        keep_last: args.keep_last.map(|n| n as usize),
        events_keep_last: args.events_keep_last,
        idle_before,
        dry_run: args.dry_run,
        batch_size: args.batch_size as usize,
        lock_ttl: LOCK_TTL,
        vacuum: args.vacuum,
    };
    let backend = if args.dry_run {
        ctx.reader().await?
    } else {
        ctx.backend().await?
    };
    if !args.dry_run {
        confirm(
            "delete the selected checkpoints and threads for good",
            ctx.globals.yes,
        )
        .await?;
    }
    let bar = progress::bar(ctx, 0, "pruning");
    let outcome = prune::run(&backend, &options, |p| {
        bar.set_length(p.to_check.max(p.records));
        bar.set_position(p.records);
    })
    .await;
    bar.finish_and_clear();
    let stopped = if args.dry_run {
        "prune --dry-run stopped; nothing was deleted"
    } else {
        "prune stopped; what it deleted is gone, run it again to finish"
    };
    let report = outcome.context(stopped)?;
    print_report(ctx, &report)?;
    if !report.busy.is_empty() {
        return Err(threadctl::Error::LockBusy {
            key: format!(
                "the session lock of {} thread(s) (skipped, listed above); run prune again later",
                report.busy.len()
            ),
            waited: None,
        }
        .into());
    }
    Ok(())
}

/// The name of a table group as printed.
fn table_name(table: DataTable) -> &'static str {
    match table {
        DataTable::Checkpoints => "checkpoints",
        DataTable::SessionEvents => "session events",
        DataTable::StoreItems => "store items",
    }
}

/// `--vacuum`'s outcome in `-o json`.
fn vacuum_json(outcome: &VacuumOutcome) -> serde_json::Value {
    match outcome {
        VacuumOutcome::NotApplicable => json!({"applies": false}),
        VacuumOutcome::Reclaimed {
            tables,
            before,
            after,
        } => json!({
            "applies": true,
            "tables": tables.iter().map(|t| table_name(*t)).collect::<Vec<_>>(),
            "bytes_before": before,
            "bytes_after": after,
        }),
    }
}

/// `--vacuum`'s outcome as a line.
fn vacuum_line(outcome: &VacuumOutcome) -> String {
    match outcome {
        VacuumOutcome::NotApplicable => {
            "vacuum: does not apply to Redis, which frees memory as keys are deleted".into()
        }
        VacuumOutcome::Reclaimed { tables, .. } if tables.is_empty() => {
            "vacuum: nothing was deleted, nothing to reclaim".into()
        }
        VacuumOutcome::Reclaimed {
            tables,
            before,
            after,
        } => format!(
            "vacuum of {}: {before} byte(s) before, {after} byte(s) after",
            tables
                .iter()
                .map(|t| table_name(*t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn print_report(ctx: &Context, report: &PruneReport) -> Result<()> {
    if ctx.out.format() != Format::Table {
        ctx.out.document(&json!({
            "dry_run": report.dry_run,
            "threads": report.threads,
            "threads_deleted": report.threads_deleted,
            "records_scanned": report.scanned,
            "checkpoints": report.checkpoints,
            "events": report.events,
            "events_archived": report.events_archived,
            "bytes": report.bytes,
            "busy": report.busy.iter().map(|t| json!({
                "tenant_id": t.tenant.as_str(),
                "thread_id": t.thread.as_str(),
            })).collect::<Vec<_>>(),
            "vacuum": report.vacuum.as_ref().map(vacuum_json),
        }))?;
        return Ok(());
    }
    for thread in &report.busy {
        ctx.note(&format!("skipped {thread}: its session lock is held"));
    }
    ctx.out.line(&format!(
        "{} {} checkpoint(s) of {} thread(s): {} idle thread(s) whole, {} event(s), {} byte(s) of state; {} event(s) archived",
        if report.dry_run { "dry run: would delete" } else { "deleted" },
        report.checkpoints,
        report.threads,
        report.threads_deleted,
        report.events,
        report.bytes,
        report.events_archived
    ))?;
    if let Some(outcome) = &report.vacuum {
        ctx.out.line(&vacuum_line(outcome))?;
    }
    Ok(())
}
