//! `threadctl rm THREAD`: delete one thread — its checkpoints, session
//! events and archive watermark — under its session lock.

use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use threadctl::ops::rm::{remove_thread, thread_exists, RmOptions};

use crate::cli::exit::not_found;
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::output::Format;
use crate::cli::Context;

/// How long `rm`'s session lock outlives a run that dies holding it.
const LOCK_TTL: Duration = Duration::from_secs(30);

/// Arguments of `rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// The thread to delete (in --tenant)
    #[arg(value_name = "THREAD")]
    pub thread: String,
    /// Wait up to DURATION for the thread's session lock instead of
    /// exiting 4 at once when a service holds it
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, num_args = 0..=1, default_missing_value = "1m")]
    pub wait: Option<Duration>,
}

/// Confirms, then deletes the thread and says what went.
pub async fn run(ctx: &Context, args: RmArgs) -> Result<()> {
    let thread = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    if !thread_exists(&backend, &thread).await? {
        return Err(not_found(format!(
            "thread {thread} has no checkpoints and no session log: nothing to delete \
             (`threadctl threads` lists the tenant's threads)"
        )));
    }
    confirm(
        &format!("delete thread {thread} with its checkpoints and session events"),
        ctx.globals.yes,
    )
    .await?;
    let options = RmOptions {
        lock_ttl: LOCK_TTL,
        lock_wait: args.wait.unwrap_or(Duration::ZERO),
    };
    let deleted = remove_thread(&backend, &thread, &options)
        .await
        .with_context(|| format!("thread {thread} was not deleted"))?;
    if ctx.out.format() != Format::Table {
        ctx.out.document(&json!({
            "tenant_id": thread.tenant.as_str(),
            "thread_id": thread.thread.as_str(),
            "checkpoints": deleted.checkpoints,
            "events": deleted.events,
            "shared_log_kept": deleted.shared_log_kept,
        }))?;
    } else {
        ctx.out.line(&format!(
            "deleted {thread}: {} checkpoint(s), {} event(s)",
            deleted.checkpoints, deleted.events
        ))?;
    }
    if deleted.shared_log_kept {
        ctx.note(&format!(
            "note: the session log of {thread} was kept: on Redis its keys are also those of \
             another thread (ids containing ':'), whose checkpoints are still there"
        ));
    }
    Ok(())
}
