//! `threadctl fork THREAD --from ID`: branch from a checkpoint with a new
//! state or a JSON merge patch, in the same thread or `--into` a new one.

use anyhow::Result;
use clap::{ArgGroup, Args};
use serde_json::Map;
use threadctl::backend::CheckpointBackend;
use threadctl::ops::fork_into::fork_into;
use threadctl::CheckpointId;

use crate::cli::exit::{not_found, usage};
use crate::cli::ui::input::{at_most_one_stdin, read_json, read_object};
use crate::cli::ui::view::print_written;
use crate::cli::Context;
use threadctl::model::json_ops::merge_patch;

/// Arguments of `fork`: exactly one of `--state` and `--patch`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("new_state").required(true).args(["state", "patch"])))]
pub struct ForkArgs {
    /// Thread holding the parent checkpoint
    pub thread: String,
    /// The parent checkpoint to branch from
    #[arg(long, value_name = "ID")]
    pub from: CheckpointId,
    /// The new state: JSON literal, @FILE, or - for stdin
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub state: Option<String>,
    /// A JSON merge patch (RFC 7386) applied to the parent's state
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub patch: Option<String>,
    /// Extra metadata (a JSON object; needs envelope version 2)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub metadata: Option<String>,
    /// Copy the history up to ID into this new thread and fork there
    #[arg(long, value_name = "THREAD")]
    pub into: Option<String>,
}

/// Writes the fork and prints its id (or the record with `-o json`).
pub async fn run(ctx: &Context, args: ForkArgs) -> Result<()> {
    at_most_one_stdin(&[
        ("--state", args.state.as_deref()),
        ("--patch", args.patch.as_deref()),
        ("--metadata", args.metadata.as_deref()),
    ])?;
    let new_state = args
        .state
        .as_deref()
        .map(|raw| read_json("--state", raw))
        .transpose()?;
    let patch = args
        .patch
        .as_deref()
        .map(|raw| read_json("--patch", raw))
        .transpose()?;
    let metadata = match &args.metadata {
        Some(raw) => read_object("--metadata", raw)?,
        None => Map::new(),
    };
    let source = ctx.thread(&args.thread)?;
    let target = args
        .into
        .as_deref()
        .map(|t| ctx.new_thread(t))
        .transpose()?;
    if target.as_ref() == Some(&source) {
        return Err(usage(
            "--into must name another thread than the one forked from",
        ));
    }
    let backend = ctx.backend().await?;
    let parent = backend
        .get_checkpoint(&source, args.from)
        .await?
        .ok_or_else(|| {
            not_found(format!(
                "checkpoint {} not found in thread {source}",
                args.from
            ))
        })?;
    let state = match (new_state, patch) {
        (Some(state), _) => state,
        (None, Some(patch)) => {
            let mut state = parent.checkpoint.state.clone();
            merge_patch(&mut state, &patch);
            state
        }
        (None, None) => return Err(usage("give the new state with --state or --patch")),
    };
    let written = match target {
        None => {
            backend
                .fork_checkpoint(&source, args.from, state, metadata)
                .await?
        }
        Some(target) => fork_into(&backend, &parent, &target, state, metadata).await?,
    };
    Ok(print_written(&ctx.out, &written)?)
}
