//! `threadctl latest THREAD`: the newest checkpoint of a thread.

use anyhow::Result;
use clap::Args;
use threadctl::backend::CheckpointBackend;

use crate::cli::exit::not_found;
use crate::cli::ui::view::print_checkpoint;
use crate::cli::Context;

/// Arguments of `latest`.
#[derive(Debug, Args)]
pub struct LatestArgs {
    /// Thread to read
    pub thread: String,
    /// Print only the state, as compact JSON on one line
    #[arg(long)]
    pub state_only: bool,
}

/// Prints the thread's latest checkpoint; exit 3 when it has none.
pub async fn run(ctx: &Context, args: LatestArgs) -> Result<()> {
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let latest = backend
        .latest_checkpoint(&key)
        .await?
        .ok_or_else(|| not_found(format!("thread {key} has no checkpoints")))?;
    Ok(print_checkpoint(&ctx.out, &latest, args.state_only)?)
}
