//! `threadctl events`: a thread's session log — append, tail (optionally
//! following new events), archive.

use std::time::Duration;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use threadctl::backend::{is_connection_failure, SessionEvent, SessionLogBackend};
use threadctl::{Backend, ThreadKey};

use crate::cli::commands::lock::KEY_ENV;
use crate::cli::exit::usage;
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::input::read_json;
use crate::cli::ui::number::parse_count;
use crate::cli::ui::output::{Format, Output};
use crate::cli::ui::reconnect::Reconnect;
use crate::cli::Context;

/// How many events one backend call fetches.
const PAGE: usize = 500;

/// Environment variable bounding how long an append or archive waits for
/// a session lock held elsewhere (Postgres; default 30s).
pub const LOCK_WAIT_ENV: &str = "THREADCTL_LOCK_WAIT";

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// What to do with the log.
    #[command(subcommand)]
    pub command: EventsCommand,
}

/// The `events` subcommands.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Append an event, or a JSON array of events as one atomic batch
    Append(AppendArgs),
    /// Print events after a cursor, oldest first; --follow waits for more
    Tail(TailArgs),
    /// Archive (drop) the events before an ordinal
    Archive(ArchiveArgs),
}

/// Arguments of `events append`.
#[derive(Debug, Args)]
pub struct AppendArgs {
    /// Thread whose log to append to
    pub thread: String,
    /// The event: JSON literal, @FILE, or - for stdin; an array appends
    /// each element (wrap a single array event in another array)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub event: String,
}

/// Arguments of `events tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    /// Thread whose log to read
    pub thread: String,
    /// Cursor: print only events with a greater ordinal
    #[arg(long, value_name = "ORDINAL", default_value_t = 0, allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub since: u64,
    /// Start with the last N events of the log (then, with --follow, the
    /// new ones)
    #[arg(long, value_name = "N", conflicts_with = "since", allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub last: Option<u64>,
    /// At most N events (without --follow)
    #[arg(long, value_name = "N", conflicts_with = "follow", allow_negative_numbers = true, value_parser = parse_count::<usize>)]
    pub limit: Option<usize>,
    /// Keep polling for new events until interrupted (table or jsonl
    /// output), reconnecting with backoff when the store is lost
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Poll interval for --follow (e.g. 500ms, 2s)
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,
}

/// Arguments of `events archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Thread whose log to archive
    pub thread: String,
    /// Archive every event with an ordinal below N
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub before: u64,
}

/// Runs one `events` subcommand.
pub async fn run(ctx: &Context, args: EventsArgs) -> Result<()> {
    match args.command {
        EventsCommand::Append(args) => append(ctx, args).await,
        EventsCommand::Tail(args) => tail(ctx, args).await,
        EventsCommand::Archive(args) => archive(ctx, args).await,
    }
}

/// Appends atomically and prints the last ordinal; an empty array
/// appends nothing, which a note on stderr says.
async fn append(ctx: &Context, args: AppendArgs) -> Result<()> {
    let events = match read_json("--event", &args.event)? {
        Value::Array(events) => events,
        event => vec![event],
    };
    let key = ctx.new_thread(&args.thread)?;
    let backend = writer(ctx, &key).await?;
    let last = backend.append_events(&key, &events).await?;
    if events.is_empty() {
        ctx.note("nothing appended (empty batch)");
    }
    match ctx.out.format() {
        Format::Table => ctx.out.line(&last.to_string())?,
        Format::Json | Format::Jsonl => ctx
            .out
            .document(&json!({"appended": events.len(), "last_ordinal": last}))?,
    }
    Ok(())
}

/// Opens the store for appending to or archiving `thread`'s log: the wait
/// for a session lock held elsewhere is bounded by `THREADCTL_LOCK_WAIT`,
/// and under `threadctl lock run` for that thread (`THREADCTL_LOCK_KEY`)
/// the parent's hold covers this process, so it does not wait for it.
async fn writer(ctx: &Context, thread: &ThreadKey) -> Result<Backend> {
    let wait = match std::env::var_os(LOCK_WAIT_ENV) {
        Some(text) => Some(
            parse_duration(&text.to_string_lossy())
                .map_err(|e| usage(format!("{LOCK_WAIT_ENV}: {e}")))?,
        ),
        None => None,
    };
    let mut options = ctx.globals.connect_options();
    if let Some(wait) = wait {
        options = options.with_lock_wait(wait);
    }
    if let Some(key) = std::env::var_os(KEY_ENV) {
        options = options.with_external_lock(thread.clone(), key.to_string_lossy());
    }
    ctx.backend_with(options).await
}

/// Prints events after the cursor, then (with --follow) polls for more;
/// while following, a lost connection to the store is waited out (said on
/// stderr), and the tail continues after the last event it printed.
async fn tail(ctx: &Context, args: TailArgs) -> Result<()> {
    if args.follow && ctx.out.format() == Format::Json {
        return Err(usage(
            "--follow streams: use -o jsonl or the table output, not -o json",
        ));
    }
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let mut cursor = match args.last {
        Some(n) => {
            let bounds = backend.log_bounds(&key).await?;
            bounds.last.saturating_sub(n).max(bounds.watermark)
        }
        None => args.since,
    };
    let mut remaining = args.limit;
    let mut list = ctx.out.list();
    let mut reconnect = Reconnect::new();
    loop {
        let want = remaining.map_or(PAGE, |r| r.min(PAGE));
        let page = if want == 0 {
            Vec::new()
        } else {
            match backend.load_events(&key, cursor, Some(want)).await {
                Ok(page) => {
                    reconnect.back(ctx, &format!("continuing after ordinal {cursor}"));
                    page
                }
                Err(e) if args.follow && is_connection_failure(&e) => {
                    let doing = format!("continuing after ordinal {cursor}");
                    reconnect.wait(ctx, &doing, &e).await;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        };
        if let Some(first) = page.first() {
            if cursor > 0 && first.ordinal > cursor + 1 {
                ctx.note(&format!(
                    "events {}..={} of {key} were archived and are skipped",
                    cursor + 1,
                    first.ordinal - 1
                ));
            }
        }
        for event in &page {
            print_event(&ctx.out, &mut list, event)?;
            cursor = event.ordinal;
        }
        if let Some(r) = remaining.as_mut() {
            *r -= page.len();
        }
        if page.len() == want && want > 0 {
            continue;
        }
        if !args.follow {
            break;
        }
        tokio::time::sleep(args.interval).await;
    }
    Ok(list.finish()?)
}

fn print_event(
    out: &Output,
    list: &mut crate::cli::ui::output::ListWriter<'_>,
    event: &SessionEvent,
) -> std::io::Result<()> {
    match out.format() {
        Format::Table => out.line(&format!("{:>6}  {}", event.ordinal, event.event)),
        Format::Json | Format::Jsonl => {
            list.item(&json!({"ordinal": event.ordinal, "event": event.event}))
        }
    }
}

/// Archives events below `--before` after confirmation; prints the new
/// watermark.
async fn archive(ctx: &Context, args: ArchiveArgs) -> Result<()> {
    if args.before == 0 {
        return Err(usage("--before must be at least 1 (ordinals start at 1)"));
    }
    let key = ctx.thread(&args.thread)?;
    let backend = writer(ctx, &key).await?;
    let bounds = backend.log_bounds(&key).await?;
    let through = (args.before - 1).min(bounds.last);
    let watermark = if through <= bounds.watermark {
        ctx.note(&format!(
            "nothing to archive: events of {key} up to {} are already archived",
            bounds.watermark
        ));
        bounds.watermark
    } else {
        confirm(
            &format!(
                "archive events {}..={through} of {key}",
                bounds.watermark + 1
            ),
            ctx.globals.yes,
        )
        .await?;
        backend.archive_events(&key, through).await?
    };
    print_watermark(ctx, &key, watermark)
}

fn print_watermark(ctx: &Context, key: &ThreadKey, watermark: u64) -> Result<()> {
    match ctx.out.format() {
        Format::Table => ctx.out.line(&watermark.to_string())?,
        Format::Json | Format::Jsonl => ctx.out.document(&json!({
            "tenant_id": key.tenant.as_str(),
            "thread_id": key.thread.as_str(),
            "watermark": watermark,
        }))?,
    }
    Ok(())
}
