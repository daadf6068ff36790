//! `threadctl show THREAD ID`: one checkpoint by id.

use anyhow::Result;
use clap::Args;
use threadctl::backend::CheckpointBackend;
use threadctl::CheckpointId;

use crate::cli::exit::not_found;
use crate::cli::ui::view::print_checkpoint;
use crate::cli::Context;

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Thread holding the checkpoint
    pub thread: String,
    /// Checkpoint id
    pub id: CheckpointId,
    /// Print only the state, as compact JSON on one line
    #[arg(long)]
    pub state_only: bool,
}

/// Prints one checkpoint; exit 3 when the thread has no such id.
pub async fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let stored = backend
        .get_checkpoint(&key, args.id)
        .await?
        .ok_or_else(|| not_found(format!("checkpoint {} not found in thread {key}", args.id)))?;
    Ok(print_checkpoint(&ctx.out, &stored, args.state_only)?)
}
